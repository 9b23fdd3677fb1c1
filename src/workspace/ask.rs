//! Answering goals: a goal is compiled to a hidden relation over the program as it stands
//! (Datalog), or answered from the conclusions of a defeasible theory. Diagnostics about the
//! goal quote it as typed, at the user's columns ([`GoalText`]).

use super::compose::expectation_rule;
use super::{EXPECT, Report, Workspace};
use crate::check::check;
use crate::check::defeasible::is_defeasible_statement;
use crate::diag::{Code, Diagnostic, has_errors};
use crate::driver::{Evaluated, Loaded, evaluate_program};
use crate::eval::Limits;
use crate::explain::{Explanation, Goal, explain, parse_goal};
use crate::scenario::{Expect, Scenario};
use crate::syntax::ast::{BodyItem, ConclusionKind, Rule, Statement, binding_vars};
use crate::syntax::goal::GoalText;
use crate::syntax::parse;
use crate::syntax::span::{SourceFile, SourceMap, Span};
use crate::value::{Const, Date};

/// A goal's answers with the warnings about it.
type Rows = (Vec<Vec<Const>>, Vec<Diagnostic>);

/// Display name of a goal.
const GOAL_FILE: &str = "<query>";

/// Answers to one goal: a column per named variable, rows sorted.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    /// Variable names, in order of first appearance in the goal.
    pub vars: Vec<String>,
    /// One row per distinct answer (one empty row for a ground goal that holds).
    pub rows: Vec<Vec<Const>>,
}

/// The answers of [`Workspace::query`], with the warnings about the scenarios and the goal.
#[derive(Debug)]
pub struct Answered {
    /// The goal's named variables, in order of first appearance.
    pub vars: Vec<String>,
    /// One row per distinct answer, sorted.
    pub rows: Vec<Vec<Const>>,
    /// Warnings about the scenarios and the goal.
    pub warnings: Vec<Diagnostic>,
}

impl Workspace {
    /// Answers `goal` (a rule body; a leading `?-` and a final `.` are optional) over the
    /// workspace as it stands, with the warnings about the goal itself (an unknown predicate,
    /// a symbol nothing mentions).
    pub fn ask(&mut self, goal: &str) -> Result<(Answer, Report), Report> {
        let (as_of, limits) = (self.as_of(), self.limits.clone());
        match self.recall(goal, as_of, &limits) {
            Some(Ok(answer)) => Ok((answer, self.report(Vec::new()))),
            Some(Err(d)) => Err(self.report(d)),
            None => self.ask_in_full(goal, as_of, &limits),
        }
    }

    /// [`Workspace::ask`] without a kept evaluation: the goal compiled with the program; the
    /// evaluation is kept for asking again when it drew no warning.
    fn ask_in_full(
        &mut self,
        goal: &str,
        as_of: Date,
        limits: &Limits,
    ) -> Result<(Answer, Report), Report> {
        self.forget();
        let asked = self.query(&[], goal, as_of, limits);
        if let Ok(a) = &asked
            && a.warnings.is_empty()
            && let Some(evaluated) = self.last.take()
        {
            self.remember(goal, a.vars.clone(), as_of, evaluated);
        }
        self.last = None;
        match asked {
            Ok(a) => {
                let report = self.report(a.warnings);
                Ok((
                    Answer {
                        vars: a.vars,
                        rows: a.rows,
                    },
                    report,
                ))
            }
            Err(d) => Err(self.report(d)),
        }
    }

    /// Answers `goal` on the workspace with `scenarios` added (statements, retractions; not
    /// their expectations or `vary` groups) as of `as_of`. The goal is added to
    /// [`Workspace::sources`] as `<query>`.
    pub fn query(
        &mut self,
        scenarios: &[&Scenario],
        goal: &str,
        as_of: Date,
        limits: &Limits,
    ) -> Result<Answered, Vec<Diagnostic>> {
        let typed = GoalText::new(goal);
        let (text, prefix) = typed.rule("pacta_query_answer");
        let file = self.sources.add(SourceFile::new(GOAL_FILE, text.clone()));
        let (program, diags) = parse(file, &text);
        let relocate = |sources: &mut SourceMap, d| typed.relocate_all(d, sources, file, prefix);
        if has_errors(&diags) {
            return Err(relocate(&mut self.sources, diags));
        }
        let Some(Statement::Rule(rule)) = program.statements.into_iter().next() else {
            return Err(vec![Diagnostic::error_nowhere(
                Code::SyntaxError,
                "the goal is empty",
            )]);
        };
        let vars = binding_vars(&rule.body);
        let expect = Expect {
            negated: false,
            span: rule.span,
            rule,
            vars: vars.clone(),
            text: typed.body().to_string(),
        };
        let defeasible = self.is_defeasible(scenarios);
        if !defeasible && let Some(span) = kind_span(&expect.rule.body) {
            let d = Diagnostic::error(
                Code::Unsupported,
                span,
                "conclusion kinds (`+d`, `-d`, `+D`, `-D`) and `~p` ask about a defeasible theory, but the loaded program is plain Datalog",
            )
            .with_hint("ask without the kind: every answer of a Datalog program simply holds");
            return Err(relocate(&mut self.sources, vec![d]));
        }
        let result = if defeasible {
            self.answer_theory(scenarios, &expect, as_of, limits)
        } else {
            self.answer_datalog(scenarios, expect, as_of, limits)
                .map(|(rows, evaluated)| {
                    // Imported files may change between asks: such programs are asked in full.
                    if scenarios.is_empty() && !evaluated.1 {
                        self.last = Some(evaluated.0);
                    }
                    rows
                })
        };
        match result {
            Ok((rows, warnings)) => Ok(Answered {
                vars,
                rows,
                warnings: relocate(&mut self.sources, warnings),
            }),
            Err(d) => Err(relocate(&mut self.sources, d)),
        }
    }

    /// Explains why `fact` (ground; a final `.` is optional) holds or does not, over the
    /// workspace as it stands.
    pub fn explain(&self, fact: &str) -> Result<Explanation, Report> {
        let goal = parse_fact(fact)?;
        let loaded = self.loaded();
        if loaded.has_errors() {
            let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).cloned();
            return Err(self.report(errors.collect()));
        }
        explain(&loaded, &goal, &self.limits, self.ambiguity).map_err(|d| self.report(d))
    }

    /// Whether the program (with `scenarios`) is a defeasible theory.
    fn is_defeasible(&self, scenarios: &[&Scenario]) -> bool {
        self.base
            .iter()
            .chain(self.layers.iter().flat_map(|l| &l.scenario.statements))
            .chain(scenarios.iter().flat_map(|s| &s.statements))
            .any(is_defeasible_statement)
    }

    /// The goal as an expectation of an extra scenario, evaluated with the program; also the
    /// evaluation and whether the program `@import`s files (for [`Workspace::remember`]).
    fn answer_datalog(
        &self,
        scenarios: &[&Scenario],
        expect: Expect,
        as_of: Date,
        limits: &Limits,
    ) -> Result<(Rows, (Evaluated, bool)), Vec<Diagnostic>> {
        let goal_file = expect.rule.span.file;
        let goal = Scenario {
            file: goal_file,
            expects: vec![expect],
            ..Scenario::default()
        };
        // The scenarios without their expectations: the goal is the only one, number 0.
        let mut all: Vec<Scenario> = scenarios
            .iter()
            .map(|s| Scenario {
                expects: Vec::new(),
                ..(*s).clone()
            })
            .collect();
        all.push(goal);
        let refs: Vec<&Scenario> = all.iter().collect();
        let built = self.build(&refs, &[], as_of)?;
        let evaluated = self.evaluate(&built, limits)?;
        let name = format!("{EXPECT}0");
        let rows = evaluated
            .model_where(|n| n == name)
            .relations
            .remove(&name)
            .unwrap_or_default();
        let imports = !built.analysis.imports.is_empty();
        Ok(((rows, built.warnings), (evaluated, imports)))
    }

    /// Answers a goal over a defeasible theory from its conclusions: `+d p(X)` (or plain
    /// `p(X)`) asks for defeasibly provable literals, `-d`, `+D` and `-D` for the other kinds,
    /// `~p(X)` for the strongly negated literal. The goal may join, compare and negate these
    /// as in any Datalog rule.
    fn answer_theory(
        &self,
        scenarios: &[&Scenario],
        expect: &Expect,
        as_of: Date,
        limits: &Limits,
    ) -> Result<Rows, Vec<Diagnostic>> {
        let (program, warnings) = self.compose(scenarios, &[], Some(as_of));
        let (analysis, diagnostics) = check(&program);
        let theory = Loaded {
            sources: self.sources.clone(),
            program,
            analysis,
            diagnostics,
        };
        let reasoned = crate::defeasible::run(&theory, &[], limits, self.ambiguity)?;
        let mut rule = expectation_rule(&expect.rule, &expect.vars, 0);
        rename_conclusions(&mut rule.body);
        let mut goal = crate::syntax::ast::Program {
            statements: vec![Statement::Rule(rule)],
        };
        for (kind, rels) in reasoned.model() {
            for (name, tuples) in rels {
                let pred = format!("{kind}:{name}");
                for t in tuples {
                    goal.statements
                        .push(Statement::Rule(Rule::fact(&pred, t, Span::default())));
                }
            }
        }
        let (analysis, diags) = check(&goal);
        if has_errors(&diags) {
            return Err(diags);
        }
        let evaluated = evaluate_program(&goal, &analysis, &self.sources, &[], limits)?;
        let name = format!("{EXPECT}0");
        let rows = evaluated
            .model()
            .relations
            .remove(&name)
            .unwrap_or_default();
        let mut all = warnings;
        all.extend(diags);
        Ok((rows, all))
    }
}

/// Parses a fact given to a command (`:why`, `explain`), errors pointing into it.
pub fn parse_fact(text: &str) -> Result<Goal, Report> {
    parse_goal(text).map_err(|diagnostics| {
        let t = text.trim();
        let t = t.strip_suffix('.').unwrap_or(t);
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new("<fact>", format!("{t}.")));
        Report {
            diagnostics,
            sources,
        }
    })
}

/// Where the first conclusion kind (`+d p`) or strongly negated atom of a goal is, if any.
fn kind_span(body: &[BodyItem]) -> Option<Span> {
    body.iter().find_map(|i| match i {
        BodyItem::Pos(a) | BodyItem::Neg(a, _) => {
            (a.kind.is_some() || a.strong_neg).then_some(a.span)
        }
        BodyItem::Agg(g) => kind_span(&g.body),
        BodyItem::Cmp { .. } => None,
    })
}

/// Points every atom of a goal at its conclusion relation (`defeasibly:~flies`); atoms
/// without a kind ask for `+d`.
fn rename_conclusions(body: &mut [BodyItem]) {
    for item in body {
        match item {
            BodyItem::Pos(a) | BodyItem::Neg(a, _)
                if !(a.pred.name == "true" && a.args.is_empty()) =>
            {
                let kind = a.kind.take().unwrap_or(ConclusionKind::Defeasibly);
                let name = if a.strong_neg {
                    format!("~{}", a.pred.name)
                } else {
                    a.pred.name.clone()
                };
                a.pred.name = format!("{}:{name}", kind.key());
                a.strong_neg = false;
            }
            BodyItem::Agg(g) => rename_conclusions(&mut g.body),
            _ => {}
        }
    }
}
