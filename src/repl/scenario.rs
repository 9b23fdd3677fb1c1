//! `:scenario FILE`: a scenario file with its directives (docs/SCENARIOS.md) — facts and rules
//! join the session, `retract` patterns hide the facts they match, `@asof` sets the date, and
//! each `expect [not] GOAL.` is checked against the session afterwards.
//!
//! The file stays in the session as written; its ordinary statements are read with
//! [`parse_scenario`] (so spans still point into it), and what its directives did is recorded
//! in the session's retractions and as-of date, which `:save` writes as `%:retract` / `%:asof`.

use super::session::{Origin, Report, Session};
use super::state::fact_key;
use crate::driver::{Loaded, load_with};
use crate::scenario::{Expect, parse_scenario, resolve};
use crate::syntax::ast::Statement;
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceMap};
use crate::value::Date;
use std::path::Path;

/// What `:scenario` did.
#[derive(Debug, Clone)]
pub struct Added {
    /// Files read.
    pub files: usize,
    /// Facts they add.
    pub facts: usize,
    /// Rules (and other statements) they add.
    pub rules: usize,
    /// Facts their `retract` directives hid.
    pub retracted: usize,
    /// The date of their `@asof`, if any (now the session's).
    pub as_of: Option<Date>,
    /// Their `expect` statements, to check with [`Session::expectation`].
    pub expects: Vec<Expect>,
}

/// Parses and checks the session's files: scenario files with their directives set aside
/// ([`parse_scenario`]), the others as plain programs.
pub(super) fn load(sources: SourceMap, origins: &[Origin]) -> Loaded {
    load_with(sources, |id, text| {
        if origins.get(id.0 as usize) == Some(&Origin::Scenario) {
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

impl Session {
    /// Adds a scenario file (or the `.pacta` files of a folder): its facts and rules join the
    /// session, its `retract` directives hide the facts they match (of the session or of the
    /// scenario itself), its `@asof` sets the date. Checked first: on any error (a syntax error,
    /// a malformed directive, a retraction that matches nothing, a clash with the session)
    /// nothing changes. The expectations are returned, not checked.
    pub fn scenario(&mut self, path: &Path) -> Result<Added, Report> {
        let before = self.files.len();
        let files = self.add_files(path, Origin::Scenario)?;
        let loaded = self.program(None);
        let mut added = Added {
            files,
            facts: 0,
            rules: 0,
            retracted: 0,
            as_of: None,
            expects: Vec::new(),
        };
        let mut keys = Vec::new();
        for i in before..self.files.len() {
            let id = FileId(i as u32);
            let (scenario, _) = parse_scenario(id, &self.files[i].text);
            for st in &scenario.statements {
                if fact_key(st).is_some() {
                    added.facts += 1;
                } else {
                    added.rules += 1;
                }
            }
            // The program without this file's own statements (`resolve` adds them back, so a
            // scenario may retract its own facts, as in a what-if).
            let others: Vec<Statement> = loaded
                .program
                .statements
                .iter()
                .filter(|st| statement_file(st) != id)
                .cloned()
                .collect();
            match resolve(&others, scenario) {
                Ok(r) => {
                    for rule in &r.retracted {
                        if let Some(key) = fact_key(&Statement::Rule(rule.clone()))
                            && !keys.contains(&key)
                        {
                            keys.push(key);
                        }
                    }
                    if r.as_of.is_some() {
                        added.as_of = r.as_of;
                    }
                    added.expects.extend(r.expects);
                }
                Err(diagnostics) => {
                    self.files.truncate(before);
                    self.origins.truncate(before);
                    return Err(Report {
                        diagnostics,
                        sources: loaded.sources.clone(),
                    });
                }
            }
        }
        added.retracted = keys.len();
        for key in keys {
            if !self.retracted.contains(&key) {
                self.retracted.push(key);
            }
        }
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

/// A scenario file's text for `:save`: its directives (whose effects the script records as
/// `%:asof` / `%:retract` lines) turned into comments, so that `:load` reads the rest.
pub(super) fn without_directives(text: &str) -> String {
    let (scenario, _) = parse_scenario(FileId(0), text);
    let mut ranges: Vec<(usize, usize)> = scenario
        .retracts
        .iter()
        .map(|r| r.span)
        .chain(scenario.expects.iter().map(|e| e.span))
        .chain(scenario.groups.iter().map(|g| g.span))
        .chain(scenario.as_of.iter().map(|(_, s)| *s))
        .map(|s| (s.start as usize, s.end as usize))
        .collect();
    ranges.sort_unstable();
    let mut out = String::new();
    let mut at = 0;
    for (start, end) in ranges {
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        let directive = &text[start..end];
        // A plain comment (not `%:`, which `:load` reads as an instruction).
        out.push_str("% ");
        out.push_str(&directive.replace('\n', "\n% "));
        at = end;
    }
    out.push_str(&text[at..]);
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_become_comments_for_save() {
        let text = "@asof 2026-06-01.\np(a). retract q(_).\nexpect p(a).\n";
        let out = without_directives(text);
        assert!(
            !out.lines()
                .any(|l| l.starts_with("@asof") || l.starts_with("expect"))
        );
        let (p, d) = parse(FileId(0), &out);
        assert!(d.is_empty(), "{d:?}\n{out}");
        assert_eq!(p.statements.len(), 1);
    }

    #[test]
    fn a_scenario_with_directives_applies_them_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::default();
        s.add("p(a). p(b). q(X) :- p(X).").unwrap();
        let good = dir.path().join("good.pacta");
        std::fs::write(
            &good,
            "@asof 2020-01-01.\nretract p(b).\np(c).\nexpect q(c).\nexpect not q(b).\nexpect q(b).\n",
        )
        .unwrap();
        let bad = dir.path().join("bad.pacta");
        std::fs::write(&bad, "p(d).\nretract p(zzz).\n").unwrap();
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
        assert!(s.script().contains("%:retract p(b)."));
    }
}
