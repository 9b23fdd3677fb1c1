//! Changing the workspace: adding files, scenarios and typed statements, setting the date,
//! retracting, undoing and resetting. Every change is checked first and kept only if it
//! succeeds, so a change that fails leaves the workspace as it was.

use super::matching::{fact_key, statement_span};
use super::{FactKey, Layer, Origin, Report, TYPED, Workspace};
use crate::check::check;
use crate::diag::{Code, Diagnostic, has_errors};
use crate::driver::read_source;
use crate::scenario::{Expect, Scenario, parse_scenario};
use crate::syntax::ast::{Expr, Statement};
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceFile};
use crate::value::Date;
use std::path::Path;

/// What one change did, so `:undo` can take it back.
#[derive(Clone)]
pub(super) enum Change {
    /// Layers were added at the end (how many).
    Added(usize),
    /// The layers, retractions and date before a change that touched them.
    Restore(Box<Snapshot>),
}

/// The parts of the workspace a retraction, a date or a reset changes.
#[derive(Clone)]
pub(super) struct Snapshot {
    layers: Vec<Layer>,
    retracted: Vec<FactKey>,
    as_of: Option<Date>,
}

/// What adding a file or folder (`:load`, `:scenario`, `--scenario`) did.
#[derive(Debug, Default)]
pub struct Added {
    /// Files read.
    pub files: usize,
    /// Facts they add.
    pub facts: usize,
    /// Rules (and other statements) they add.
    pub rules: usize,
    /// Knowledge-base facts their `retract` directives hide.
    pub retracted: usize,
    /// The date of their last `@asof`, if any (now the workspace's).
    pub as_of: Option<Date>,
    /// Their `expect` statements, to check with [`Workspace::expectation`].
    pub expects: Vec<Expect>,
    /// Warnings about them (a retraction that matches no knowledge-base fact, say).
    pub warnings: Report,
    /// Where they set the date: each `@asof` as `(date, "file:line")`, in order.
    pub sites: Vec<(Date, String)>,
}

impl Workspace {
    /// Adds the `.pacta` files under `path` as program text (`:load`): like the knowledge
    /// base, later scenarios' `retract` directives reach their facts. Their own directives
    /// (`@asof`, `retract`) apply as in a scenario; `expect` lines are not checked.
    pub fn load(&mut self, path: &Path) -> Result<Added, Report> {
        self.add_files(path, Origin::Loaded)
    }

    /// Adds a scenario file (or the `.pacta` files of a folder): its facts and rules join the
    /// workspace, its `retract` directives hide the knowledge-base facts they match, its
    /// `@asof` sets the date. The expectations are returned, not checked.
    pub fn scenario(&mut self, path: &Path) -> Result<Added, Report> {
        self.add_files(path, Origin::Scenario)
    }

    /// Reads and parses a scenario file without adding it as a layer (what-ifs compare it
    /// with the baseline). On error the file stays in [`Workspace::sources`] so the
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

    fn add_files(&mut self, path: &Path, origin: Origin) -> Result<Added, Report> {
        let mut found = Vec::new();
        crate::files::pacta_files(path, &mut found).map_err(|d| self.report(vec![d]))?;
        let mut layers = Vec::new();
        let mut diags = Vec::new();
        let mut sites = Vec::new();
        for f in &found {
            let file = read_source(f).map_err(|d| self.report(vec![d]))?;
            let text = file.text.clone();
            let id = self.sources.add(file);
            let (scenario, d) = parse_scenario(id, &text);
            if let Some((date, span)) = scenario.as_of {
                let (line, _) = self.sources.get(id).line_col(span.start as usize);
                sites.push((date, format!("{}:{line}", self.sources.get(id).name)));
            }
            diags.extend(d);
            layers.push(Layer::new(origin, scenario));
        }
        if has_errors(&diags) {
            return Err(self.report(errors(diags)));
        }
        let mut added = Added {
            files: found.len(),
            sites,
            ..Added::default()
        };
        let ours: Vec<FileId> = layers.iter().map(|l| l.scenario.file).collect();
        let scenarios: Vec<&Scenario> = layers.iter().map(|l| &l.scenario).collect();
        if origin == Origin::Scenario {
            // A `:load`ed file is program text like the knowledge base: its names are new by
            // design.
            diags.extend(super::warn::unknown_in(&scenarios, self.constants()));
        }
        let before = self.compose(&[], &[], None).0.statements.len();
        let n = layers.len();
        self.layers.extend(layers);
        let (program, warnings) = self.compose(&[], &[], Some(self.as_of()));
        let (analysis, checked) = check(&program);
        if has_errors(&checked) {
            self.layers.truncate(self.layers.len() - n);
            return Err(self.report(errors(checked)));
        }
        let about_ours = |d: &Diagnostic| d.span.is_some_and(|s| ours.contains(&s.file));
        let checked: Vec<Diagnostic> = checked.into_iter().filter(about_ours).collect();
        diags = super::warn::not_told(diags, &checked);
        diags.extend(checked);
        diags.extend(warnings.into_iter().filter(about_ours));
        let layers = &self.layers[self.layers.len() - n..];
        for l in layers {
            for st in &l.scenario.statements {
                if fact_key(st).is_some() {
                    added.facts += 1;
                } else {
                    added.rules += 1;
                }
            }
            added.expects.extend(l.scenario.expects.iter().cloned());
            if let Some((d, _)) = l.scenario.as_of {
                added.as_of = Some(d);
            }
        }
        let added_statements = added.facts + added.rules;
        added.retracted = (before + added_statements + 1).saturating_sub(program.statements.len());
        self.arities = analysis.arities.into_iter().collect();
        self.undo.push(Change::Added(n));
        if let Some(d) = added.as_of {
            self.as_of = Some(d);
        }
        added.warnings = self.report(diags);
        Ok(added)
    }

    /// Adds typed statements (text ending in `.`) if the program still checks with them;
    /// returns the warnings about the new text. A ground fact of a relation the program
    /// already has, with the right number of arguments, is kept without re-checking anything
    /// else (nothing else can change by it), so piping in many facts stays fast.
    pub fn add(&mut self, text: &str) -> Result<Report, Report> {
        let id = self.sources.add(SourceFile::new(TYPED, text));
        let (scenario, diags) = parse_scenario(id, text);
        if has_errors(&diags) {
            return Err(self.report(errors(diags)));
        }
        if let Some(d) = directive_in_typed(&scenario) {
            return Err(self.report(vec![d]));
        }
        let unknown = self.unknown_typed(&scenario);
        let simple = diags.is_empty()
            && scenario
                .statements
                .iter()
                .all(|st| self.is_known_ground_fact(st));
        // A fact typed again after `:retract` is back.
        let back: Vec<FactKey> = scenario.statements.iter().filter_map(fact_key).collect();
        let retracted = self.retracted.clone();
        self.retracted.retain(|k| !back.contains(k));
        self.layers.push(Layer::new(super::Origin::Typed, scenario));
        if simple {
            self.undo.push(Change::Added(1));
            return Ok(self.report(unknown));
        }
        let (program, _) = self.compose(&[], &[], Some(self.as_of()));
        let (analysis, checked) = check(&program);
        let mine = |d: &Diagnostic| d.span.is_none_or(|s| s.file == id);
        let mut report: Vec<Diagnostic> = diags
            .into_iter()
            .chain(checked.iter().filter(|d| mine(d)).cloned())
            .collect();
        report.extend(super::warn::not_told(unknown, &report));
        if has_errors(&checked) {
            self.layers.pop();
            self.retracted = retracted;
            let mut errs: Vec<Diagnostic> = checked.into_iter().filter(|d| d.is_error()).collect();
            if !errs.iter().any(mine) {
                errs.retain(mine);
            }
            return Err(self.report(errs));
        }
        self.arities = analysis.arities.into_iter().collect();
        self.undo.push(Change::Added(1));
        Ok(self.report(report))
    }

    /// Whether a statement is a plain ground fact of a relation the program has, with its
    /// arity: such a fact cannot make the program fail to check or draw a new warning from
    /// the checker (its names are checked apart: `unknown_typed`).
    fn is_known_ground_fact(&self, st: &Statement) -> bool {
        let Statement::Rule(r) = st else { return false };
        r.is_fact()
            && r.label.is_none()
            && !r.head.strong_neg
            && r.head.kind.is_none()
            && r.head.args.iter().all(|a| matches!(a, Expr::Const(..)))
            && self.arities.get(&r.head.pred.name) == Some(&r.head.args.len())
    }

    /// Sets the date evaluations use.
    pub fn set_as_of(&mut self, date: Date) {
        let snapshot = self.snapshot();
        self.undo.push(Change::Restore(Box::new(snapshot)));
        self.as_of = Some(date);
    }

    /// Takes an input fact or a typed rule out: a typed input that is just this statement is
    /// dropped; a written fact anywhere else is hidden from then on. A fact that is not
    /// written anywhere (derived, or absent) is refused. Returns what was taken out, as text.
    pub fn retract(&mut self, text: &str) -> Result<String, Report> {
        // Layers change in place: a kept answer may no longer hold.
        self.forget();
        let file = self.sources.add(SourceFile::new("<retract>", text.trim()));
        let body = text.trim();
        let with_dot = if body.ends_with('.') {
            body.to_string()
        } else {
            format!("{body}.")
        };
        self.sources
            .replace(file, SourceFile::new("<retract>", with_dot.clone()));
        let (program, diags) = parse(file, &with_dot);
        if has_errors(&diags) {
            return Err(self.report(errors(diags)));
        }
        let [target] = program.statements.as_slice() else {
            return Err(nowhere(
                "`:retract` takes one fact or one rule",
                "e.g. `:retract attack(russia, poland, 2026-05-01).`",
            ));
        };
        let snapshot = self.snapshot();
        if let Some(key) = fact_key(target) {
            return self.retract_fact(key, snapshot);
        }
        // A rule: taken out of the typed inputs that hold it (rules of files stay).
        let wanted = written(&self.sources, target);
        let sources = &self.sources;
        let mut found = false;
        for l in self.layers.iter_mut().filter(|l| l.origin == Origin::Typed) {
            let before = l.scenario.statements.len();
            l.scenario
                .statements
                .retain(|st| written(sources, st) != wanted);
            found |= l.scenario.statements.len() < before;
        }
        if !found {
            let in_files = self
                .base
                .iter()
                .chain(self.layers.iter().flat_map(|l| &l.scenario.statements))
                .any(|st| written(&self.sources, st) == wanted);
            let hint = if in_files {
                "only rules typed at the prompt can be retracted; a rule of a file stays with its file"
            } else {
                "no typed rule is written exactly so; `:save` to a file shows the session's text"
            };
            return Err(nowhere("this rule was not typed in the session", hint));
        }
        self.layers.retain(|l| {
            !(l.origin == Origin::Typed
                && l.scenario.statements.is_empty()
                && l.scenario.as_of.is_none())
        });
        self.undo.push(Change::Restore(Box::new(snapshot)));
        self.refresh();
        Ok(with_dot.trim_end_matches('.').to_string())
    }

    fn retract_fact(&mut self, key: FactKey, snapshot: Snapshot) -> Result<String, Report> {
        let (program, _) = self.compose(&[], &[], None);
        if !program
            .statements
            .iter()
            .any(|st| fact_key(st).as_ref() == Some(&key))
        {
            return Err(nowhere(
                &format!(
                    "`{}` is not a fact of the session or its files",
                    show_key(&key)
                ),
                "only written facts can be retracted; a derived fact goes when what it depends on goes (see `:why`)",
            ));
        }
        // A typed input that is just this fact is forgotten; anything else is hidden.
        let alone = self.layers.iter().position(|l| {
            l.origin == Origin::Typed
                && l.scenario.statements.len() == 1
                && fact_key(&l.scenario.statements[0]).as_ref() == Some(&key)
        });
        if let Some(i) = alone {
            self.layers.remove(i);
        }
        let (program, _) = self.compose(&[], &[], None);
        if program
            .statements
            .iter()
            .any(|st| fact_key(st).as_ref() == Some(&key))
        {
            self.retracted.push(key.clone());
        }
        self.undo.push(Change::Restore(Box::new(snapshot)));
        Ok(show_key(&key))
    }

    /// Takes back the last change that succeeded; `false` when there is none.
    pub fn undo(&mut self) -> bool {
        // Layers change in place: a kept answer may no longer hold.
        self.forget();
        let Some(change) = self.undo.pop() else {
            return false;
        };
        match change {
            Change::Added(n) => {
                let keep = self.layers.len().saturating_sub(n);
                self.layers.truncate(keep);
            }
            Change::Restore(s) => {
                self.layers = s.layers;
                self.retracted = s.retracted;
                self.as_of = s.as_of;
            }
        }
        self.refresh();
        true
    }

    /// Back to the knowledge base alone: no layers, no retractions, today's date (undoable).
    pub fn reset(&mut self) {
        // Layers change in place: a kept answer may no longer hold.
        self.forget();
        let snapshot = self.snapshot();
        self.undo.push(Change::Restore(Box::new(snapshot)));
        self.layers.clear();
        self.retracted.clear();
        self.as_of = None;
        self.refresh();
    }

    /// Whether an expectation is met by the workspace as it stands (`expect not` inverted).
    pub fn expectation(&mut self, e: &Expect) -> Result<bool, Report> {
        let (answer, _) = self.ask(&e.text)?;
        Ok(answer.rows.is_empty() == e.negated)
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            layers: self.layers.clone(),
            retracted: self.retracted.clone(),
            as_of: self.as_of,
        }
    }

    /// Recomputes the arities after a change that took something out.
    fn refresh(&mut self) {
        let (program, _) = self.compose(&[], &[], Some(self.as_of()));
        let (analysis, _) = check(&program);
        self.arities = analysis.arities.into_iter().collect();
    }
}

/// Only the errors of `diags`.
fn errors(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.into_iter().filter(|d| d.is_error()).collect()
}

fn nowhere(message: &str, hint: &str) -> Report {
    Report {
        diagnostics: vec![Diagnostic::error_nowhere(Code::InvalidInput, message).with_hint(hint)],
        sources: Default::default(),
    }
}

/// A typed input is program text: scenario directives belong in files (or the commands
/// `:asof`, `:retract`).
fn directive_in_typed(s: &Scenario) -> Option<Diagnostic> {
    let (span, what) = if let Some((_, span)) = s.as_of {
        (span, "`@asof` in typed text: use `:asof DATE`")
    } else if let Some(r) = s.retracts.first() {
        (r.span, "`retract` in typed text: use `:retract FACT`")
    } else if let Some(e) = s.expects.first() {
        (e.span, "`expect` in typed text: ask `?- GOAL.`")
    } else if let Some(g) = s.groups.first() {
        (
            g.span,
            "`vary` belongs in a sweep file (`pacta whatif --sweep`)",
        )
    } else {
        return None;
    };
    Some(Diagnostic::error(Code::InvalidDirective, span, what).with_hint(
        "scenario directives are read from files (`:scenario FILE`); at the prompt use the commands",
    ))
}

/// A fact key as text (`p(a, 1)`, `~q(b)`).
fn show_key(key: &FactKey) -> String {
    crate::explain::Goal {
        pred: key.0.trim_start_matches('~').to_string(),
        neg: key.0.starts_with('~'),
        tuple: key.1.clone(),
    }
    .to_string()
}

/// A statement's text as written, without white space (to find a typed rule again).
fn written(sources: &crate::syntax::span::SourceMap, st: &Statement) -> String {
    let span = statement_span(st);
    let text = &sources.get(span.file).text;
    text.get(span.range())
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}
