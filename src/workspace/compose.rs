//! Programs from the parts: the knowledge base as of a date, the layers, extra scenarios and
//! sweep groups, with retractions applied and expectations compiled to hidden relations.
//!
//! Retractions apply to the knowledge base (and files `:load`ed before the retracting file)
//! before anything is added: a scenario never retracts what it, another scenario, a sweep
//! group or the user adds, so retracting a party and adding it back with a new end date keeps
//! the new fact.

use super::matching::{fact_key, retracted_by, statement_span};
use super::{EXPECT, Layer, Origin, Workspace};
use crate::check::defeasible::is_defeasible_statement;
use crate::check::{Analysis, check};
use crate::diag::{Code, Diagnostic, has_errors};
use crate::driver::{Evaluated, Loaded, evaluate_with_imports};
use crate::eval::Limits;
use crate::scenario::{Group, Scenario};
use crate::syntax::ast::{Atom, Expr, Ident, Program, Rule, Statement};
use crate::syntax::span::{FileId, Span};
use crate::value::{Const, Date};

/// A program ready to evaluate, with the warnings about the scenarios' own text.
pub struct Built {
    /// The statements.
    pub program: Program,
    /// The checker's result.
    pub analysis: Analysis,
    /// Warnings that point into the scenario files given to [`Workspace::build`].
    pub warnings: Vec<Diagnostic>,
    /// The first this many statements are the knowledge base and the `:load`ed files: what a
    /// `retract` reaches (scenarios' and groups' own statements follow).
    pub retractable: usize,
}

impl Workspace {
    /// The knowledge base as of `as_of` with the workspace's layers, then `scenarios` (their
    /// statements, retractions and expectations) and the `on` sweep groups, checked. A
    /// defeasible program is refused: what-ifs, sweeps and exports compare Datalog models.
    pub fn build(
        &self,
        scenarios: &[&Scenario],
        on: &[&Group],
        as_of: Date,
    ) -> Result<Built, Vec<Diagnostic>> {
        let (program, composed, retractable) = self.compose_split(scenarios, on, Some(as_of));
        if let Some(d) = defeasible_refusal(&program) {
            return Err(vec![d]);
        }
        let (analysis, diags) = check(&program);
        if has_errors(&diags) {
            return Err(diags.into_iter().filter(|d| d.is_error()).collect());
        }
        // Only what concerns the scenarios given here (and the groups): the layers' own
        // warnings were reported when they were added.
        let ours: Vec<FileId> = scenarios.iter().map(|s| s.file).collect();
        let mut warnings: Vec<Diagnostic> = composed
            .into_iter()
            .filter(|d| {
                d.span
                    .is_none_or(|s| ours.contains(&s.file) || !self.is_layer_file(s.file))
            })
            .collect();
        warnings.extend(
            diags
                .into_iter()
                .filter(|d| d.span.is_some_and(|s| ours.contains(&s.file))),
        );
        warnings.extend(super::warn::unread_facts(&program, &self.base, scenarios));
        let unknown = self.unknown_constants(scenarios);
        warnings.extend(super::warn::not_told(unknown, &warnings));
        Ok(Built {
            program,
            analysis,
            warnings,
            retractable,
        })
    }

    /// Whether `file` is one of the layers' files.
    fn is_layer_file(&self, file: FileId) -> bool {
        self.layers.iter().any(|l| l.scenario.file == file)
    }

    /// Evaluates a built program within `limits`.
    pub fn evaluate(&self, built: &Built, limits: &Limits) -> Result<Evaluated, Vec<Diagnostic>> {
        evaluate_with_imports(
            &built.program,
            &built.analysis,
            &self.sources,
            &[],
            limits,
            Some(&self.imports),
        )
    }

    /// The program as it stands (knowledge base, layers, the date), parsed and checked, for
    /// the explainer and the defeasible reasoner.
    pub fn loaded(&self) -> Loaded {
        let (mut program, _) = self.compose(&[], &[], None);
        // The date as a file of its own, so that explanations cite it as the as-of date.
        let mut sources = self.sources.clone();
        let text = format!("asof({}).", self.as_of());
        let span = Span::new(FileId(0), 0..text.len() - 1);
        let id = sources.add(crate::syntax::span::SourceFile::new("<as-of>", text));
        let fact = Rule::fact(
            "asof",
            vec![Const::Date(self.as_of())],
            Span { file: id, ..span },
        );
        program.statements.push(Statement::Rule(fact));
        let (analysis, diagnostics) = check(&program);
        Loaded {
            sources,
            program,
            analysis,
            diagnostics,
        }
    }

    /// The statements of the knowledge base with the layers, then `scenarios` and the `on`
    /// groups; the `asof` fact when a date is given; every expectation of `scenarios` as a
    /// hidden relation numbered in order. Also the warnings about retractions that match
    /// nothing.
    pub(super) fn compose(
        &self,
        scenarios: &[&Scenario],
        on: &[&Group],
        as_of: Option<Date>,
    ) -> (Program, Vec<Diagnostic>) {
        let (program, warnings, _) = self.compose_split(scenarios, on, as_of);
        (program, warnings)
    }

    /// [`Workspace::compose`], also saying how many statements come first from the knowledge
    /// base and the `:load`ed files (what retractions reach).
    fn compose_split(
        &self,
        scenarios: &[&Scenario],
        on: &[&Group],
        as_of: Option<Date>,
    ) -> (Program, Vec<Diagnostic>, usize) {
        let parts: Vec<(Origin, &Scenario)> = self
            .layers
            .iter()
            .map(|l: &Layer| (l.origin, &l.scenario))
            .chain(scenarios.iter().map(|s| (Origin::Scenario, *s)))
            .collect();
        let hidden = |st: &Statement| {
            !self.retracted.is_empty() && fact_key(st).is_some_and(|k| self.retracted.contains(&k))
        };
        let mut kb: Vec<Statement> = self.base.iter().filter(|s| !hidden(s)).cloned().collect();
        // What retractions are matched against: the knowledge base and the loaded files before
        // each, as written (so two scenarios may retract the same fact without a warning).
        let mut written: Vec<Statement> = Vec::new();
        let any_retract = parts.iter().any(|(_, s)| !s.retracts.is_empty())
            || on.iter().any(|g| !g.retracts.is_empty());
        if any_retract {
            written = kb.clone();
        }
        let mut added: Vec<Statement> = Vec::new();
        let mut warnings = Vec::new();
        for (origin, s) in &parts {
            if !s.retracts.is_empty() {
                let own: Vec<&Statement> = s.statements.iter().collect();
                for r in &s.retracts {
                    warnings.extend(super::warn::unmatched(&written, &own, r));
                }
                kb.retain(|st| !s.retracts.iter().any(|r| retracted_by(st, r)));
            }
            if any_retract && *origin == Origin::Loaded {
                written.extend(s.statements.iter().cloned());
            }
            let statements = s.statements.iter().filter(|st| !hidden(st)).cloned();
            match origin {
                Origin::Loaded => kb.extend(statements),
                Origin::Scenario | Origin::Typed => added.extend(statements),
            }
        }
        for g in on {
            let own: Vec<&Statement> = Vec::new();
            for r in &g.retracts {
                warnings.extend(super::warn::unmatched(&written, &own, r));
            }
            kb.retain(|st| !g.retracts.iter().any(|r| retracted_by(st, r)));
            added.extend(g.adds.iter().cloned().map(Statement::Rule));
        }
        let retractable = kb.len();
        let mut statements = kb;
        statements.extend(added);
        if let Some(d) = as_of {
            statements.push(Statement::Rule(Rule::fact(
                "asof",
                vec![Const::Date(d)],
                Span::default(),
            )));
        }
        for (i, e) in scenarios.iter().flat_map(|s| &s.expects).enumerate() {
            statements.push(Statement::Rule(expectation_rule(&e.rule, &e.vars, i)));
        }
        (Program { statements }, warnings, retractable)
    }
}

/// An expectation's goal as the rule `pacta_expect_I(Vars) :- goal.`
pub(super) fn expectation_rule(rule: &Rule, vars: &[String], i: usize) -> Rule {
    let mut rule = rule.clone();
    let span = rule.head.span;
    rule.head = Atom {
        kind: None,
        strong_neg: false,
        pred: Ident {
            name: format!("{EXPECT}{i}"),
            span,
        },
        args: vars
            .iter()
            .map(|v| {
                Expr::Var(Ident {
                    name: v.clone(),
                    span,
                })
            })
            .collect(),
        span,
    };
    rule
}

/// The refusal of a defeasible program where only Datalog is compared.
fn defeasible_refusal(program: &Program) -> Option<Diagnostic> {
    let st = program
        .statements
        .iter()
        .find(|st| is_defeasible_statement(st))?;
    let span = statement_span(st);
    let msg = "what-ifs, exports and scenario directives run on plain Datalog knowledge bases; this one has defeasible rules";
    let d = if span == Span::default() {
        Diagnostic::error_nowhere(Code::Unsupported, msg)
    } else {
        Diagnostic::error(Code::Unsupported, span, msg)
    };
    Some(d.with_hint(
        "query a defeasible theory with `pacta query` (scenario files without directives) or `pacta eval`",
    ))
}
