//! `:scenario FILE`: a scenario file with its directives (docs/SCENARIOS.md) — facts and rules
//! join the session, `retract` patterns hide the facts they match, `@asof` sets the date, and
//! each `expect [not] GOAL.` is checked against the session afterwards.
//!
//! The file stays in the session as written; its ordinary statements are read with
//! [`parse_scenario`] (so spans still point into it), and what its directives did is recorded
//! in the session's hidden facts and as-of date, which `:save` writes as real `retract` and
//! `@asof` directives (`script.rs`). `:load` reads files the same way, without checking
//! expectations.

use super::session::{Origin, Report, Session};
use super::state::fact_key;
use crate::check::constants::{mentioned, occurrences, unknown_in_facts, unknown_in_goal};
use crate::diag::{Code, Diagnostic};
use crate::driver::{Loaded, load_with};
use crate::scenario::{Expect, Scenario, parse_scenario, resolve};
use crate::syntax::ast::Statement;
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceMap};
use crate::value::Date;
use std::path::Path;

/// What `:scenario` (or `:load`) did.
#[derive(Debug)]
pub struct Added {
    /// Files read.
    pub files: usize,
    /// Facts they add.
    pub facts: usize,
    /// Rules (and other statements) they add.
    pub rules: usize,
    /// Knowledge-base facts their `retract` directives hid.
    pub retracted: usize,
    /// The date of their `@asof`, if any (now the session's).
    pub as_of: Option<Date>,
    /// Their `expect` statements, to check with [`Session::expectation`].
    pub expects: Vec<Expect>,
    /// Warnings about them (a retraction that matches no knowledge-base fact, say).
    pub warnings: Report,
    /// Where they set the date: each `@asof` as `(date, "file:line")`, in order.
    pub sites: Vec<(Date, String)>,
}

/// Parses and checks the session's files: loaded and scenario files with their directives set
/// aside ([`parse_scenario`]), the knowledge base as plain programs.
pub(super) fn load(sources: SourceMap, origins: &[Origin]) -> Loaded {
    load_with(sources, |id, text| {
        if matches!(
            origins.get(id.0 as usize),
            Some(Origin::Scenario | Origin::Loaded)
        ) {
            let (s, d) = parse_scenario(id, text);
            (s.statements, d)
        } else {
            let (p, d) = parse(id, text);
            (p.statements, d)
        }
    })
}

fn statement_file(st: &Statement) -> FileId {
    match st {
        Statement::Rule(r) => r.span.file,
        Statement::Superiority(x) => x.span.file,
        Statement::Directive(d) => d.span.file,
    }
}

/// `unknown_constant` warnings for a scenario file `id` of the session: symbols of its facts
/// that the rest of the session never mentions, and of its `expect` goals that the session
/// (this file included) never mentions.
fn unknown_constants(loaded: &Loaded, id: FileId, scenario: &Scenario) -> Vec<Diagnostic> {
    let others = loaded
        .program
        .statements
        .iter()
        .filter(|st| statement_file(st) != id);
    let mut known = mentioned(others);
    let uses = occurrences(&scenario.statements);
    let facts = scenario.statements.iter().filter_map(|st| match st {
        Statement::Rule(r) if r.is_fact() => Some(&r.head),
        _ => None,
    });
    let mut out = unknown_in_facts(facts, &known, &uses);
    known.extend(uses.into_keys());
    for e in &scenario.expects {
        out.extend(unknown_in_goal(&e.rule.body, &known));
    }
    out
}

impl Session {
    /// Adds a scenario file (or the `.pacta` files of a folder): its facts and rules join the
    /// session, its `retract` directives hide the knowledge-base facts they match (never the
    /// facts a scenario or the user adds), its `@asof` sets the date. Checked first: on any
    /// error (a syntax error, a malformed directive, a clash with the session) nothing changes.
    /// The expectations are returned, not checked.
    pub fn scenario(&mut self, path: &Path) -> Result<Added, Report> {
        self.add_scenario(path, Origin::Scenario)
    }

    /// [`Session::scenario`] and [`Session::load`]: the files under `path` with `origin`.
    pub(super) fn add_scenario(&mut self, path: &Path, origin: Origin) -> Result<Added, Report> {
        let before = self.files.len();
        let files = self.add_files(path, origin)?;
        let loaded = self.program(None);
        let mut added = Added {
            files,
            facts: 0,
            rules: 0,
            retracted: 0,
            as_of: None,
            expects: Vec::new(),
            warnings: Report {
                diagnostics: Vec::new(),
                sources: loaded.sources.clone(),
            },
            sites: Vec::new(),
        };
        let mut hidden = Vec::new();
        for i in before..self.files.len() {
            let id = FileId(i as u32);
            let (scenario, _) = parse_scenario(id, &self.files[i].text);
            if let Some((d, span)) = scenario.as_of {
                let (line, _) = self.files[i].line_col(span.start as usize);
                added
                    .sites
                    .push((d, format!("{}:{line}", self.files[i].name)));
            }
            for st in &scenario.statements {
                if fact_key(st).is_some() {
                    added.facts += 1;
                } else {
                    added.rules += 1;
                }
            }
            // The knowledge base this file's retractions apply to: the files before it that the
            // session opened on or loaded, as the session shows them.
            let kb: Vec<Statement> = loaded
                .program
                .statements
                .iter()
                .filter(|st| {
                    let f = statement_file(st).0 as usize;
                    f < i && self.origins[f] != Origin::Scenario
                })
                .cloned()
                .collect();
            // A symbol its kind does not declare (issue 13), in any file added.
            let vocab: Vec<Diagnostic> = loaded
                .diagnostics
                .iter()
                .filter(|d| {
                    d.code == Code::UndeclaredSymbol && d.span.is_some_and(|s| s.file == id)
                })
                .cloned()
                .collect();
            if origin == Origin::Scenario {
                // A `:load`ed file is program text like the knowledge base: its names are new
                // by design.
                let warnings = unknown_constants(&loaded, id, &scenario);
                let told = |d: &Diagnostic| vocab.iter().any(|v| v.span == d.span);
                added
                    .warnings
                    .diagnostics
                    .extend(warnings.into_iter().filter(|d| !told(d)));
            }
            added.warnings.diagnostics.extend(vocab);
            let r = match resolve(&kb, scenario) {
                Ok(r) => r,
                Err(diagnostics) => {
                    self.files.truncate(before);
                    self.origins.truncate(before);
                    return Err(Report {
                        diagnostics,
                        sources: loaded.sources.clone(),
                    });
                }
            };
            for rule in &r.retracted {
                if let Some(key) = fact_key(&Statement::Rule(rule.clone())) {
                    hidden.push((key, i));
                }
            }
            if r.as_of.is_some() {
                added.as_of = r.as_of;
            }
            added.expects.extend(r.expects);
            added.warnings.diagnostics.extend(r.warnings);
        }
        added.retracted = hidden.len();
        self.hidden.extend(hidden);
        if let Some(d) = added.as_of {
            self.as_of = Some(d);
        }
        Ok(added)
    }

    /// Whether an expectation is met by the session as it stands (`expect not` inverted).
    pub fn expectation(&self, e: &Expect) -> Result<bool, Report> {
        let (answer, _) = self.query(&e.text)?;
        Ok(answer.rows.is_empty() == e.negated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_with_directives_applies_them_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::default();
        let kb = dir.path().join("kb.pacta");
        std::fs::write(&kb, "p(a). p(b). q(X) :- p(X).\n").unwrap();
        s.load(&kb).unwrap();
        let good = dir.path().join("good.pacta");
        std::fs::write(
            &good,
            "@asof 2020-01-01.\nretract p(b).\np(c).\nexpect q(c).\nexpect not q(b).\nexpect q(b).\n",
        )
        .unwrap();
        let bad = dir.path().join("bad.pacta");
        std::fs::write(&bad, "p(d).\nretract p(zzz\n").unwrap();
        let before = s.script();
        assert!(s.scenario(&bad).is_err());
        assert_eq!(s.script(), before, "a failing scenario changes nothing");
        let added = s.scenario(&good).unwrap();
        assert_eq!((added.facts, added.rules, added.retracted), (1, 0, 1));
        assert_eq!(s.as_of, Date::parse_iso("2020-01-01"));
        let results: Vec<bool> = added
            .expects
            .iter()
            .map(|e| s.expectation(e).unwrap())
            .collect();
        assert_eq!(results, [true, true, false]);
        assert_eq!(s.query("q(X)").unwrap().0.rows.len(), 2);
        assert!(
            s.script().contains("\nretract p(b).\n") || s.script().contains("% retracted: p(b).")
        );
        // A retraction that matches nothing is a warning, and the rest applies.
        let odd = dir.path().join("odd.pacta");
        std::fs::write(&odd, "p(e).\nretract p(zzz).\n").unwrap();
        let added = s.scenario(&odd).unwrap();
        let codes: Vec<&str> = added
            .warnings
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(
            codes,
            ["unknown_constant", "invalid_directive"],
            "`e` is new, `zzz` matches nothing"
        );
        assert_eq!(s.query("p(e)").unwrap().0.rows.len(), 1);
    }
}
