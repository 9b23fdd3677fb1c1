//! The REPL's state: the knowledge-base files, what the user typed, and queries against both.
//!
//! Every change is checked before it is kept, so a statement that fails leaves the session as
//! it was. Nothing here prints.

use super::state::fact_key;
use crate::check::constants::{mentioned, unknown_in_goal};
use crate::check::defeasible::is_defeasible_statement;
use crate::diag::Code;
use crate::diag::{Diagnostic, has_errors};
use crate::driver::{Loaded, evaluate_program, read_source, run};
use crate::eval::Limits;
use crate::syntax::ast::{BodyItem, ConclusionKind, Rule, Statement, binding_vars};
use crate::syntax::goal::GoalText;
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceFile, SourceMap, Span};
use crate::value::Const;
use std::path::{Path, PathBuf};

/// Name of the hidden predicate a query is compiled to.
const QUERY: &str = "pacta_query_answer";
/// Display name of the text typed at the prompt.
pub(super) const SESSION: &str = "<session>";
/// Display name of the session's `asof(Date)` fact.
pub(super) const AS_OF: &str = "<as-of>";
/// Display name of a query.
const QUERY_FILE: &str = "<query>";

/// Diagnostics together with the files they point into (errors of a refused input, or the
/// warnings about an accepted one).
#[derive(Debug)]
pub struct Report {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The files, for rendering.
    pub sources: SourceMap,
}

/// Answers to one query: a column per named variable, rows sorted.
#[derive(Debug, PartialEq, Eq)]
pub struct Answer {
    /// Variable names, in order of first appearance in the goal.
    pub vars: Vec<String>,
    /// One row per distinct answer (one empty row for a ground goal that holds).
    pub rows: Vec<Vec<Const>>,
}

/// Where a file of the session came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Origin {
    /// The knowledge base the session opened on (bundled or `--kb`).
    Base,
    /// `:load`
    Loaded,
    /// `:scenario`
    Scenario,
}

/// Files and typed statements that make up the program queries run against.
#[derive(Default)]
pub struct Session {
    pub(super) files: Vec<SourceFile>,
    /// Per file: where it came from.
    pub(super) origins: Vec<Origin>,
    pub(super) typed: Vec<String>,
    /// Input facts taken out with `:retract` (relation with `~` if negated, tuple): hidden
    /// wherever they are written.
    pub(super) retracted: Vec<(String, Vec<Const>)>,
    /// Facts hidden by the `retract` directive of a scenario or loaded file: the fact, and the
    /// number of files before that file. Only the knowledge base is touched — files the
    /// session opened on or `:load`ed before it — never what a scenario or the user adds.
    pub(super) hidden: Vec<((String, Vec<Const>), usize)>,
    /// Bounds on each evaluation.
    pub limits: Limits,
    /// How defeasible theories treat ambiguity.
    pub ambiguity: crate::defeasible::Ambiguity,
    /// The date time-dependent rules read as `asof(Date)` (none: no such fact).
    pub as_of: Option<crate::value::Date>,
}

impl Session {
    /// A session over the bundled knowledge base (embedded in the binary).
    pub fn bundled() -> Result<Session, Report> {
        let files = crate::kb::bundled_sources();
        let session = Session {
            origins: vec![Origin::Base; files.len()],
            files,
            ..Session::default()
        };
        let loaded = session.program(None);
        if loaded.has_errors() {
            return Err(Report {
                diagnostics: loaded.diagnostics,
                sources: loaded.sources,
            });
        }
        Ok(session)
    }

    /// A session over the `.pacta` files in `paths` (files, or folders read recursively).
    pub fn open(paths: &[PathBuf]) -> Result<Session, Report> {
        let mut session = Session::default();
        for p in paths {
            session.load(p)?;
        }
        session.origins.fill(Origin::Base);
        Ok(session)
    }

    /// Adds a file or folder (a program, or a scenario file such as one `:save` wrote), if the
    /// program still checks with it: its `retract` directives hide knowledge-base facts and its
    /// `@asof` sets the date, as in `:scenario`; its `expect` lines are not checked. Comments
    /// never mean anything.
    pub fn load(&mut self, path: &Path) -> Result<super::Added, Report> {
        self.add_scenario(path, Origin::Loaded)
    }

    /// Adds the files under `path` with the given origin; returns how many.
    pub(super) fn add_files(&mut self, path: &Path, origin: Origin) -> Result<usize, Report> {
        let mut found = Vec::new();
        crate::files::pacta_files(path, &mut found).map_err(|d| Report {
            diagnostics: vec![d],
            sources: SourceMap::new(),
        })?;
        let mut files = Vec::new();
        for f in &found {
            files.push(read_source(f).map_err(|d| Report {
                diagnostics: vec![d],
                sources: SourceMap::new(),
            })?);
        }
        let before = self.files.len();
        self.origins.extend(files.iter().map(|_| origin));
        self.files.extend(files);
        let loaded = self.program(None);
        if loaded.has_errors() {
            self.files.truncate(before);
            self.origins.truncate(before);
            // Only the errors: the files loaded before were clean.
            return Err(Report {
                diagnostics: loaded
                    .diagnostics
                    .into_iter()
                    .filter(|d| d.is_error())
                    .collect(),
                sources: loaded.sources,
            });
        }
        Ok(found.len())
    }

    /// Adds a typed fact or rule (text ending in `.`) if the program still checks with it;
    /// returns the warnings about the new text.
    pub fn add(&mut self, text: &str) -> Result<Report, Report> {
        let start: usize = self.typed.iter().map(|t| t.len() + 1).sum();
        self.typed.push(text.to_string());
        let loaded = self.program(None);
        // Only what concerns the new text (or has no place): old warnings were shown before.
        let new = |d: &Diagnostic| {
            d.span.is_none_or(|sp| {
                loaded.sources.get(sp.file).name == SESSION && sp.start as usize >= start
            })
        };
        let report = Report {
            diagnostics: loaded
                .diagnostics
                .iter()
                .filter(|d| new(d))
                .cloned()
                .collect(),
            sources: loaded.sources.clone(),
        };
        if loaded.has_errors() {
            self.typed.pop();
            return Err(report);
        }
        // A fact typed again after `:retract` is back.
        let (program, _) = parse(FileId(0), text);
        for st in &program.statements {
            if let Some(key) = fact_key(st) {
                self.retracted.retain(|r| *r != key);
            }
        }
        Ok(report)
    }

    /// Answers `goal` (a rule body; a leading `?-` and a final `.` are optional), with the
    /// warnings about the goal itself (an unknown predicate, say). Diagnostics about the goal
    /// quote it as typed, at its own columns ([`GoalText`]).
    pub fn query(&self, goal: &str) -> Result<(Answer, Report), Report> {
        let goal = GoalText::new(goal);
        let (probe, prefix) = goal.rule(QUERY);
        let (program, diags) = parse(FileId(0), &probe);
        // Diagnostics of the goal alone, relocated into the goal as typed.
        let alone = |diagnostics: Vec<Diagnostic>| {
            let mut sources = SourceMap::new();
            let file = sources.add(SourceFile::new(QUERY_FILE, probe.clone()));
            let diagnostics = goal.relocate_all(diagnostics, &mut sources, file, prefix);
            Report {
                diagnostics,
                sources,
            }
        };
        if has_errors(&diags) {
            return Err(alone(diags));
        }
        // The probe parses (no errors above) as the one rule `QUERY :- goal.`
        let vars = match program.statements.first() {
            Some(Statement::Rule(rule)) => binding_vars(&rule.body),
            _ => Vec::new(),
        };
        let head = if vars.is_empty() {
            QUERY.to_string()
        } else {
            format!("{QUERY}({})", vars.join(", "))
        };
        let (text, prefix) = goal.rule(&head);
        // One load of the program with the goal; a defeasible program (judged without the
        // goal's own statement) is answered from its conclusions instead.
        let loaded = self.program(Some(&text));
        let is_goal = |span: Span| loaded.sources.get(span.file).name == QUERY_FILE;
        let theory = loaded.program.statements.iter().any(|st| {
            let in_goal = matches!(st, Statement::Rule(r) if is_goal(r.span));
            !in_goal && is_defeasible_statement(st)
        });
        if theory {
            return self.query_theory(&self.program(None), &goal, &head, vars);
        }
        if let Some(span) = kind_span(&program.statements) {
            let d = Diagnostic::error(
                Code::Unsupported,
                span,
                "conclusion kinds (`+d`, `-d`, `+D`, `-D`) and `~p` ask about a defeasible theory, but the loaded program is plain Datalog",
            )
            .with_hint("ask without the kind: every answer of a Datalog program simply holds");
            return Err(alone(vec![d]));
        }
        let query_file = loaded
            .sources
            .files()
            .find(|(_, f)| f.name == QUERY_FILE)
            .map(|(id, _)| id);
        let about_goal = |d: &&Diagnostic| d.span.is_none_or(|sp| Some(sp.file) == query_file);
        let mut sources = loaded.sources.clone();
        let mut relocate = |diagnostics: Vec<Diagnostic>| match query_file {
            Some(file) => goal.relocate_all(diagnostics, &mut sources, file, prefix),
            None => diagnostics,
        };
        let mut about: Vec<Diagnostic> = loaded
            .diagnostics
            .iter()
            .filter(about_goal)
            .cloned()
            .collect();
        // A symbol the program never mentions (`polnd`) can match nothing: say so.
        let in_goal =
            |st: &&Statement| matches!(st, Statement::Rule(r) if Some(r.span.file) == query_file);
        let known = mentioned(loaded.program.statements.iter().filter(|st| !in_goal(st)));
        if let Some(Statement::Rule(r)) = loaded.program.statements.iter().find(in_goal) {
            // A misspelt vocabulary symbol already has its `undeclared_symbol` warning.
            let told: Vec<_> = about.iter().map(|d| d.span).collect();
            about.extend(
                unknown_in_goal(&r.body, &known)
                    .into_iter()
                    .filter(|d| !told.contains(&d.span)),
            );
        }
        let diagnostics = relocate(about);
        let evaluated = if loaded.has_errors() {
            Err(Vec::new())
        } else {
            run(&loaded, &[], &self.limits)
        };
        match evaluated {
            Err(errors) => {
                let mut diagnostics = diagnostics;
                diagnostics.extend(relocate(errors));
                Err(Report {
                    diagnostics,
                    sources,
                })
            }
            Ok(evaluated) => {
                let mut model = evaluated.model();
                let rows = model.relations.remove(QUERY).unwrap_or_default();
                let report = Report {
                    diagnostics,
                    sources,
                };
                Ok((Answer { vars, rows }, report))
            }
        }
    }

    /// Answers a query over a defeasible theory from its conclusions: `+d p(X)` (or plain
    /// `p(X)`) asks for defeasibly provable literals, `-d`, `+D` and `-D` for the other kinds,
    /// `~p(X)` for the strongly negated literal. The goal may join, compare and negate these as
    /// in any Datalog rule.
    fn query_theory(
        &self,
        base: &Loaded,
        goal: &GoalText,
        head: &str,
        vars: Vec<String>,
    ) -> Result<(Answer, Report), Report> {
        let reasoned =
            crate::defeasible::run(base, &[], &self.limits, self.ambiguity).map_err(|d| {
                Report {
                    diagnostics: d,
                    sources: base.sources.clone(),
                }
            })?;
        let (text, prefix) = goal.rule(head);
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new(QUERY_FILE, text.clone()));
        let failed = |diagnostics: Vec<Diagnostic>| {
            let mut sources = sources.clone();
            let diagnostics = goal.relocate_all(diagnostics, &mut sources, file, prefix);
            Report {
                diagnostics,
                sources,
            }
        };
        let (mut program, diags) = parse(file, &text);
        if has_errors(&diags) {
            return Err(failed(diags));
        }
        for st in &mut program.statements {
            if let Statement::Rule(rule) = st {
                rename_conclusions(&mut rule.body);
            }
        }
        for (kind, rels) in reasoned.model() {
            for (name, tuples) in rels {
                let pred = format!("{kind}:{name}");
                for t in tuples {
                    program
                        .statements
                        .push(Statement::Rule(Rule::fact(&pred, t, Span::default())));
                }
            }
        }
        let (analysis, diags) = crate::check::check(&program);
        if has_errors(&diags) {
            return Err(failed(diags));
        }
        let report = failed(diags);
        let evaluated =
            evaluate_program(&program, &analysis, &sources, &[], &self.limits).map_err(failed)?;
        let rows = evaluated
            .model()
            .relations
            .remove(QUERY)
            .unwrap_or_default();
        Ok((Answer { vars, rows }, report))
    }

    /// Predicate names of the program, for completion and help.
    pub fn predicates(&self) -> Vec<String> {
        let loaded = self.program(None);
        loaded.analysis.arities.keys().cloned().collect()
    }

    /// The session's program (with `query` added, if any), parsed and checked, without the
    /// retracted facts.
    pub fn program(&self, query: Option<&str>) -> Loaded {
        let mut loaded = super::scenario::load(self.sources(query), &self.origins);
        if !self.retracted.is_empty() || !self.hidden.is_empty() {
            loaded.program.statements.retain(|st| !self.hides(st));
        }
        loaded
    }

    /// Whether the session hides a statement of its program: a fact taken out with
    /// `:retract`, or a knowledge-base fact retracted by a later file's directive.
    pub(super) fn hides(&self, st: &Statement) -> bool {
        let Some(key) = fact_key(st) else {
            return false;
        };
        if self.retracted.contains(&key) {
            return true;
        }
        let file = match st {
            Statement::Rule(r) => r.span.file.0 as usize,
            _ => return false,
        };
        let kb = self
            .origins
            .get(file)
            .is_some_and(|o| *o != Origin::Scenario);
        kb && self
            .hidden
            .iter()
            .any(|(k, before)| *k == key && file < *before)
    }

    pub(super) fn sources(&self, query: Option<&str>) -> SourceMap {
        let mut sources = SourceMap::new();
        for f in &self.files {
            sources.add(f.clone());
        }
        if !self.typed.is_empty() {
            sources.add(SourceFile::new(SESSION, self.typed.join("\n")));
        }
        if let Some(d) = self.as_of {
            sources.add(SourceFile::new(AS_OF, format!("asof({d}).")));
        }
        if let Some(q) = query {
            sources.add(SourceFile::new(QUERY_FILE, q));
        }
        sources
    }
}

/// Where the first conclusion kind (`+d p`) or strongly negated atom of a goal is, if any.
fn kind_span(statements: &[Statement]) -> Option<Span> {
    fn items(body: &[BodyItem]) -> Option<Span> {
        body.iter().find_map(|i| match i {
            BodyItem::Pos(a) | BodyItem::Neg(a, _) => {
                (a.kind.is_some() || a.strong_neg).then_some(a.span)
            }
            BodyItem::Agg(g) => items(&g.body),
            BodyItem::Cmp { .. } => None,
        })
    }
    statements.iter().find_map(|s| match s {
        Statement::Rule(r) => items(&r.body),
        _ => None,
    })
}

/// Points every atom of a goal at its conclusion relation (`defeasibly:~flies`); atoms without
/// a kind ask for `+d`.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_see_typed_facts_and_rules() {
        let mut s = Session::default();
        s.add("edge(a, b).").unwrap();
        s.add("edge(b, c).").unwrap();
        s.add("path(X, Y) :- edge(X, Y). path(X, Z) :- path(X, Y), edge(Y, Z).")
            .unwrap();
        let a = s.query("path(a, X)").unwrap().0;
        assert_eq!(a.vars, vec!["X"]);
        assert_eq!(a.rows.len(), 2);
        assert_eq!(s.query("path(a, c)").unwrap().0.rows.len(), 1);
        assert_eq!(s.query("path(c, a)").unwrap().0.rows.len(), 0);
    }

    #[test]
    fn a_failing_statement_changes_nothing() {
        let mut s = Session::default();
        s.add("p(a).").unwrap();
        assert!(s.add("p(a, b).").is_err(), "arity clash is refused");
        assert!(s.add("q(X) :- r(Y).").is_err(), "unsafe rule is refused");
        assert_eq!(s.query("p(X)").unwrap().0.rows.len(), 1);
        assert!(s.query("p(X").is_err());
        assert_eq!(s.query("p(X)").unwrap().0.rows.len(), 1);
    }
}
