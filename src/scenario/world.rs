//! The knowledge base parsed once, and the programs built from it: the baseline (the knowledge
//! base as of a date) and variants with scenarios, retractions and sweep assumptions applied.
//!
//! Parsing the knowledge base once and cloning its statements is what keeps a what-if (two
//! evaluations) fast; the two evaluations are independent and can run in parallel.

use super::{Group, Retract, Scenario, parse_scenario};
use crate::check::constants::{mentioned, occurrences, unknown_in_facts, unknown_in_goal};
use crate::check::defeasible::is_defeasible_statement;
use crate::check::{Analysis, check};
use crate::diag::{Code, Diagnostic, has_errors};
use crate::driver::{Evaluated, evaluate_program, read_source};
use crate::eval::Limits;
use crate::syntax::ast::{Atom, BodyItem, Expr, Ident, Program, Rule, Statement, binding_vars};
use crate::syntax::goal::GoalText;
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceFile, SourceMap, Span};
use crate::value::{Const, Date};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Name prefix of the hidden relations that expectations are compiled to.
pub(super) const EXPECT: &str = "pacta_expect_";

/// The knowledge base and the scenario files read so far, with the sources diagnostics point
/// into.
pub struct World {
    /// Every file read: knowledge base first, then scenarios.
    pub sources: SourceMap,
    kb: Vec<Statement>,
    /// Every symbol the knowledge base mentions (for `unknown_constant` warnings).
    known: BTreeSet<String>,
}

/// A program ready to evaluate, with the warnings about the scenario's own text.
pub struct Built {
    /// The statements.
    pub program: Program,
    /// The checker's result.
    pub analysis: Analysis,
    /// Warnings that point into scenario files.
    pub warnings: Vec<Diagnostic>,
}

impl World {
    /// The bundled knowledge base, or the `.pacta` files under `kb` (files or folders).
    pub fn open(kb: &[PathBuf]) -> Result<World, (Vec<Diagnostic>, SourceMap)> {
        let mut sources = SourceMap::new();
        if kb.is_empty() {
            for f in crate::kb::bundled_sources() {
                sources.add(f);
            }
        } else {
            let mut found = Vec::new();
            for p in kb {
                crate::files::pacta_files(p, &mut found)
                    .map_err(|d| (vec![d], SourceMap::new()))?;
            }
            for f in found {
                let file = read_source(&f).map_err(|d| (vec![d], SourceMap::new()))?;
                sources.add(file);
            }
        }
        let mut kb = Vec::new();
        let mut diags = Vec::new();
        for (id, file) in sources.files() {
            let (p, d) = parse(id, &file.text);
            kb.extend(p.statements);
            diags.extend(d);
        }
        if has_errors(&diags) {
            return Err((diags, sources));
        }
        let known = mentioned(&kb);
        Ok(World { sources, kb, known })
    }

    /// Reads and parses a scenario file. On error the file stays in [`World::sources`] so the
    /// diagnostics can be rendered, but nothing of it is used.
    pub fn read_scenario(&mut self, path: &Path) -> Result<Scenario, Vec<Diagnostic>> {
        let file = read_source(path).map_err(|d| vec![d])?;
        let text = file.text.clone();
        let id = self.sources.add(file);
        let (scenario, diags) = parse_scenario(id, &text);
        if has_errors(&diags) {
            return Err(diags);
        }
        Ok(scenario)
    }

    /// The knowledge base as of `as_of`, plus `scenarios` (their statements, retractions and
    /// expectations) and the `on` sweep groups, checked.
    pub fn build(
        &self,
        scenarios: &[&Scenario],
        on: &[&Group],
        as_of: Date,
    ) -> Result<Built, Vec<Diagnostic>> {
        // Retractions apply to the knowledge base alone, before anything is added: a scenario
        // never retracts what it (or another scenario, or a sweep group) adds, so retracting a
        // party and adding it back with a new end date keeps the new fact.
        let retracts = scenarios
            .iter()
            .flat_map(|s| &s.retracts)
            .chain(on.iter().flat_map(|g| &g.retracts));
        let added: Vec<&Statement> = scenarios.iter().flat_map(|s| &s.statements).collect();
        let mut warnings = Vec::new();
        let mut statements = self.kb.clone();
        for r in retracts {
            warnings.extend(unmatched(&self.kb, &added, r));
            statements.retain(|st| !retracted_by(st, r));
        }
        for s in scenarios {
            statements.extend(s.statements.iter().cloned());
        }
        for g in on {
            statements.extend(g.adds.iter().cloned().map(Statement::Rule));
        }
        statements.push(Statement::Rule(Rule::fact(
            "asof",
            vec![Const::Date(as_of)],
            Span::default(),
        )));
        for (i, e) in scenarios.iter().flat_map(|s| &s.expects).enumerate() {
            let mut rule = e.rule.clone();
            let span = rule.head.span;
            rule.head = Atom {
                kind: None,
                strong_neg: false,
                pred: Ident {
                    name: format!("{EXPECT}{i}"),
                    span,
                },
                args: e
                    .vars
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
            statements.push(Statement::Rule(rule));
        }
        if let Some(st) = statements.iter().find(|st| is_defeasible_statement(st)) {
            let span = match st {
                Statement::Rule(r) => Some(r.span),
                Statement::Superiority(x) => Some(x.span),
                Statement::Directive(d) => Some(d.span),
            };
            let msg = "what-ifs, exports and scenario directives run on plain Datalog knowledge bases; this one has defeasible rules";
            let d = match span {
                Some(span) => Diagnostic::error(Code::Unsupported, span, msg),
                None => Diagnostic::error_nowhere(Code::Unsupported, msg),
            };
            return Err(vec![d.with_hint(
                "query a defeasible theory with `pacta query` (scenario files without directives) or `pacta eval`",
            )]);
        }
        let program = Program { statements };
        let (analysis, diags) = check(&program);
        let ours: Vec<FileId> = scenarios.iter().map(|s| s.file).collect();
        if has_errors(&diags) {
            // Errors of the knowledge base itself were ruled out when it was opened.
            return Err(diags.into_iter().filter(|d| d.is_error()).collect());
        }
        warnings.extend(
            diags
                .into_iter()
                .filter(|d| d.span.is_some_and(|s| ours.contains(&s.file))),
        );
        warnings.extend(unread_facts(&program, &self.kb, scenarios));
        // A misspelt vocabulary symbol already has its `undeclared_symbol` warning.
        let vocab: Vec<Span> = warnings
            .iter()
            .filter(|d| d.code == Code::UndeclaredSymbol)
            .filter_map(|d| d.span)
            .collect();
        warnings.extend(
            self.unknown_constants(scenarios)
                .into_iter()
                .filter(|d| d.span.is_none_or(|s| !vocab.contains(&s))),
        );
        Ok(Built {
            program,
            analysis,
            warnings,
        })
    }

    /// Answers `goal` (a rule body, without `?-` and the final `.`) on the knowledge base with
    /// `scenarios` applied (statements, retractions) as of `as_of`; their expectations and
    /// `vary` groups are not used. Returns the goal's named variables, the distinct answers
    /// (sorted; one empty row for a ground goal that holds) and the warnings about the
    /// scenarios and the goal. The goal is added to [`World::sources`] as `<query>`.
    pub fn query(
        &mut self,
        scenarios: &[&Scenario],
        goal: &str,
        as_of: Date,
        limits: &Limits,
    ) -> Result<Answered, Vec<Diagnostic>> {
        // Parsed as a rule whose head is replaced by the hidden relation; diagnostics about the
        // goal are moved back into the goal as typed, and `<query>` shows it so.
        let typed = GoalText::new(goal);
        let (text, prefix) = typed.rule("pacta_query_answer");
        let file = self.sources.add(SourceFile::new("<query>", text.clone()));
        let (program, diags) = parse(file, &text);
        let relocate = |sources: &mut SourceMap, d| typed.relocate_all(d, sources, file, prefix);
        if has_errors(&diags) {
            return Err(relocate(&mut self.sources, diags));
        }
        let rule = match program.statements.into_iter().next() {
            Some(Statement::Rule(rule)) => rule,
            _ => {
                return Err(vec![Diagnostic::error_nowhere(
                    Code::SyntaxError,
                    "the goal is empty",
                )]);
            }
        };
        if let Some(span) = kind_span(&rule.body) {
            return Err(relocate(&mut self.sources, vec![
                Diagnostic::error(
                    Code::Unsupported,
                    span,
                    "conclusion kinds (`+d`, `-d`, `+D`, `-D`) and `~p` ask about a defeasible theory, but the loaded program is plain Datalog",
                )
                .with_hint("ask without the kind: every answer of a Datalog program simply holds"),
            ]));
        }
        let vars = binding_vars(&rule.body);
        let goal = Scenario {
            file,
            expects: vec![super::Expect {
                negated: false,
                span: rule.span,
                rule,
                vars: vars.clone(),
                text: typed.body().to_string(),
            }],
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
        let built = match self.build(&refs, &[], as_of) {
            Ok(b) => b,
            Err(d) => return Err(relocate(&mut self.sources, d)),
        };
        let evaluated = match self.evaluate(&built, limits) {
            Ok(e) => e,
            Err(d) => return Err(relocate(&mut self.sources, d)),
        };
        let name = format!("{EXPECT}0");
        let rows = evaluated
            .model_where(|n| n == name)
            .relations
            .remove(&name)
            .unwrap_or_default();
        Ok(Answered {
            vars,
            rows,
            warnings: relocate(&mut self.sources, built.warnings),
        })
    }

    /// Evaluates a built program.
    pub fn evaluate(&self, built: &Built, limits: &Limits) -> Result<Evaluated, Vec<Diagnostic>> {
        evaluate_program(&built.program, &built.analysis, &self.sources, &[], limits)
    }
}

impl World {
    /// `unknown_constant` warnings: symbols of the scenarios' facts that the knowledge base
    /// never mentions, and symbols of their `expect` goals (a query's goal is one) that
    /// neither the knowledge base nor the scenarios mention.
    fn unknown_constants(&self, scenarios: &[&Scenario]) -> Vec<Diagnostic> {
        let facts = scenarios
            .iter()
            .flat_map(|s| &s.statements)
            .filter_map(|st| match st {
                Statement::Rule(r) if r.is_fact() => Some(&r.head),
                _ => None,
            });
        let added: Vec<Statement> = scenarios
            .iter()
            .flat_map(|s| s.statements.clone())
            .collect();
        let uses = occurrences(&added);
        let mut out = unknown_in_facts(facts, &self.known, &uses);
        let mut known = self.known.clone();
        known.extend(uses.into_keys());
        for e in scenarios.iter().flat_map(|s| &s.expects) {
            out.extend(unknown_in_goal(&e.rule.body, &known));
        }
        out
    }
}

/// The answers of [`World::query`].
#[derive(Debug)]
pub struct Answered {
    /// The goal's named variables, in order of first appearance.
    pub vars: Vec<String>,
    /// One row per distinct answer, sorted.
    pub rows: Vec<Vec<Const>>,
    /// Warnings about the scenarios and the goal.
    pub warnings: Vec<Diagnostic>,
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

/// A scenario fact that no rule reads is most likely a misspelt event (`atack(...)`): it
/// changes nothing, so say so. A relation of which the knowledge base `kb` has facts is
/// documented data (`instrument`, `clause`: explanations read them), not a typo.
fn unread_facts(program: &Program, kb: &[Statement], scenarios: &[&Scenario]) -> Vec<Diagnostic> {
    let mut read = std::collections::BTreeSet::new();
    read.extend(kb.iter().filter_map(|st| match st {
        Statement::Rule(r) if r.is_fact() => Some(r.head.pred.name.as_str()),
        _ => None,
    }));
    for st in &program.statements {
        if let Statement::Rule(r) = st {
            let aggs = r.body.iter().flat_map(|item| match item {
                BodyItem::Agg(g) => g.body.iter(),
                _ => [].iter(),
            });
            for item in r.body.iter().chain(aggs) {
                if let BodyItem::Pos(a) | BodyItem::Neg(a, _) = item {
                    read.insert(a.pred.name.as_str());
                }
            }
        }
    }
    let mut out = Vec::new();
    for st in scenarios.iter().flat_map(|s| &s.statements) {
        let Statement::Rule(r) = st else { continue };
        let name = r.head.pred.name.as_str();
        if r.is_fact() && !read.contains(name) {
            let mut d = Diagnostic::warning(
                Code::UnknownRelation,
                r.head.pred.span,
                format!("no rule reads `{name}`, so this fact changes nothing"),
            );
            if let Some(near) = crate::diag::did_you_mean(name, read.iter().copied()) {
                d = d.with_hint(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
    }
    out
}

/// Relations derived by some rule with a body (the others are input).
pub(super) fn derived_relations(program: &Program) -> HashMap<&str, ()> {
    program
        .statements
        .iter()
        .filter_map(|st| match st {
            Statement::Rule(r) if !r.is_fact() => Some((r.head.pred.name.as_str(), ())),
            _ => None,
        })
        .collect()
}

/// Whether `statement` is a fact that the retraction `r` removes.
pub(super) fn retracted_by(statement: &Statement, r: &Retract) -> bool {
    matches!(statement, Statement::Rule(rule) if rule.is_fact() && matches(&r.pattern, &rule.head))
}

/// The warning for a retraction that matches no fact of the knowledge base `kb`, if it
/// matches none. It is a warning, not an error (issue 14): the scenario still means what it
/// says, but a misspelt pattern would otherwise change nothing without a word. `added` (the
/// scenario's own statements) only sharpens the hint.
pub(super) fn unmatched(kb: &[Statement], added: &[&Statement], r: &Retract) -> Option<Diagnostic> {
    if kb.iter().any(|st| retracted_by(st, r)) {
        return None;
    }
    let derived = kb.iter().chain(added.iter().copied()).any(
        |st| matches!(st, Statement::Rule(rule) if !rule.is_fact() && rule.head.pred.name == r.pattern.pred.name),
    );
    let own = added.iter().any(|st| retracted_by(st, r));
    let d = Diagnostic::warning(
        Code::InvalidDirective,
        r.span,
        format!(
            "`{}` matches no fact of the knowledge base, so this retraction changes nothing",
            r.pattern.pred.name
        ),
    );
    Some(if own {
        d.with_hint("`retract` removes knowledge-base facts only, never a fact the scenario itself adds: delete that fact instead")
    } else if derived {
        d.with_hint("this relation is derived by rules: retract the facts it is derived from")
    } else {
        d.with_hint("check the names and the number of arguments; `_` matches anything")
    })
}

/// Whether a fact's head matches a pattern: same predicate and arity, constants equal,
/// a repeated variable bound to one value.
pub(super) fn matches(pattern: &Atom, head: &Atom) -> bool {
    if pattern.pred.name != head.pred.name || pattern.args.len() != head.args.len() {
        return false;
    }
    let mut bound: HashMap<&str, &Const> = HashMap::new();
    pattern.args.iter().zip(&head.args).all(|(p, h)| {
        let Expr::Const(value, _) = h else {
            return false;
        };
        match p {
            Expr::Const(c, _) => c == value,
            Expr::Var(v) => *bound.entry(&v.name).or_insert(value) == value,
            _ => true,
        }
    })
}

impl World {
    /// A world over one text, for tests.
    pub fn from_text(name: &str, text: &str) -> Result<World, (Vec<Diagnostic>, SourceMap)> {
        let mut sources = SourceMap::new();
        let id = sources.add(SourceFile::new(name, text));
        let (p, d) = parse(id, text);
        if has_errors(&d) {
            return Err((d, sources));
        }
        Ok(World {
            sources,
            known: mentioned(&p.statements),
            kb: p.statements,
        })
    }
}
