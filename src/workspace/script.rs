//! `:save`: the workspace as an ordinary scenario file (docs/SCENARIOS.md).
//!
//! The file starts with real directives — `@asof DATE.` and one `retract FACT.` per
//! knowledge-base fact the workspace hides — followed by the loaded files, scenarios and typed
//! statements, inlined. So `pacta whatif`, `pacta query --scenario`, `pacta explain
//! --scenario`, `pacta export --scenario` and the REPL's `:load` all read it the same way (on
//! the same knowledge base). Two rules make that work:
//! - a file's `retract` never removes the file's own facts, so a fact the workspace hides in
//!   inlined text is cut out of that text (and named in a comment) instead of retracted;
//! - the inlined files' own directives already took effect (they are summed up in the
//!   directives at the top), so they are turned into comments.
//!
//! Comments in the file are only comments: nothing reads meaning into them.

use super::matching::fact_key;
use super::{FactKey, Origin, Report, Workspace};
use crate::explain::Goal;
use crate::scenario::Scenario;
use crate::syntax::ast::Statement;
use crate::syntax::span::Span;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

impl Workspace {
    /// The workspace as a scenario file that `:load FILE` restores on the same knowledge
    /// base, and that every command reads the same way (see the module documentation).
    pub fn script(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "% Pacta session saved by `:save`: a scenario file (docs/SCENARIOS.md). Restore it with\n% `:load FILE`, or run it with `pacta whatif FILE`, on the same knowledge base."
        );
        if let Some(d) = self.as_of {
            let _ = writeln!(out, "@asof {d}.");
        }
        let (program, _) = self.compose(&[], &[], None);
        let present: HashSet<FactKey> = program.statements.iter().filter_map(fact_key).collect();
        let mut keys: Vec<FactKey> = Vec::new();
        for key in self.base.iter().filter_map(fact_key) {
            if !present.contains(&key) && !keys.contains(&key) {
                keys.push(key);
            }
        }
        for (name, tuple) in keys {
            let goal = Goal {
                pred: name.trim_start_matches('~').to_string(),
                neg: name.starts_with('~'),
                tuple,
            };
            let _ = writeln!(out, "retract {goal}.");
        }
        let mut typed_header = false;
        for layer in &self.layers {
            let file = self.sources.get(layer.scenario.file);
            match layer.origin {
                Origin::Typed => {
                    if !typed_header {
                        let _ = writeln!(out, "\n% --- typed ---");
                        typed_header = true;
                    }
                    for st in &layer.scenario.statements {
                        let span = super::matching::statement_span(st);
                        let text = file.text.get(span.range()).unwrap_or_default();
                        if fact_key(st).is_some_and(|k| !present.contains(&k)) {
                            let _ = writeln!(out, "% retracted: {}.", text.replace('\n', " "));
                        } else {
                            let _ = writeln!(out, "{text}.");
                        }
                    }
                }
                origin => {
                    let what = if origin == Origin::Loaded {
                        "loaded"
                    } else {
                        "scenario"
                    };
                    let _ = writeln!(out, "\n% --- {what}: {} ---", file.name);
                    out.push_str(&inlined(&file.text, &layer.scenario, &present));
                    out.push('\n');
                }
            }
        }
        out
    }

    /// Writes [`Workspace::script`] to `path` atomically (a temporary file in the same
    /// folder, then a rename). Saving over a loaded file is allowed: the script holds its
    /// text.
    pub fn save(&self, path: &Path) -> Result<(), Report> {
        self.write(path, &self.script(), &[])
    }

    /// Writes `text` to `path` with [`crate::files::write_file`] (temporary file, sync,
    /// rename; no special targets), never over one of `inputs`.
    pub fn write(&self, path: &Path, text: &str, inputs: &[PathBuf]) -> Result<(), Report> {
        crate::files::write_file(path, text.as_bytes(), inputs).map_err(|d| Report {
            diagnostics: vec![d],
            sources: Default::default(),
        })
    }

    /// The files the workspace was read from (exports never write over them).
    pub fn inputs(&self) -> Vec<PathBuf> {
        self.sources
            .files()
            .map(|(_, f)| PathBuf::from(&f.name))
            .filter(|p| p.exists())
            .collect()
    }
}

/// A file's text for inlining: its directives as comments, the facts the workspace no longer
/// has cut out and listed in a comment.
fn inlined(text: &str, scenario: &Scenario, present: &HashSet<FactKey>) -> String {
    let directives = scenario
        .retracts
        .iter()
        .map(|r| r.span)
        .chain(scenario.expects.iter().map(|e| e.span))
        .chain(scenario.groups.iter().map(|g| g.span))
        .chain(scenario.as_of.iter().map(|(_, s)| *s));
    let mut cuts: Vec<(Span, bool)> = directives.map(|s| (s, false)).collect();
    for st in &scenario.statements {
        if let Statement::Rule(r) = st
            && fact_key(st).is_some_and(|k| !present.contains(&k))
        {
            cuts.push((r.span, true));
        }
    }
    cuts.sort_by_key(|(s, _)| s.start);
    let mut out = String::new();
    let mut dropped = Vec::new();
    let mut at = 0;
    for (span, drop) in cuts {
        let (start, mut end) = (span.start as usize, span.end as usize);
        if start < at || end > text.len() {
            continue;
        }
        out.push_str(&text[at..start]);
        if drop {
            // A rule's span stops before its `.`.
            let rest = &text[end..];
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with('.') {
                end += skip + 1;
            }
            dropped.push(text[start..end].to_string());
        } else {
            out.push_str("% ");
            out.push_str(&text[start..end].replace('\n', "\n% "));
            // What follows on the same line must not become part of the comment.
            let line_rest = text[end..].split('\n').next().unwrap_or("");
            if !line_rest.trim().is_empty() {
                out.push('\n');
            }
        }
        at = end;
    }
    out.push_str(&text[at..]);
    let mut out = out.trim_end().to_string();
    for d in dropped {
        let _ = write!(out, "\n% retracted: {}", d.replace('\n', " "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse_scenario;
    use crate::syntax::parse;
    use crate::syntax::span::FileId;

    #[test]
    fn inlined_directives_become_comments_without_swallowing_the_line() {
        let text = "@asof 2026-06-01.\np(a). retract q(_). p(b).\nexpect p(a).\n";
        let (scenario, _) = parse_scenario(FileId(0), text);
        let out = inlined(text, &scenario, &HashSet::new());
        assert!(
            !out.lines()
                .any(|l| l.starts_with("@asof") || l.starts_with("expect"))
        );
        let (p, d) = parse(FileId(0), &out);
        assert!(d.is_empty(), "{d:?}\n{out}");
        assert_eq!(
            p.statements.len(),
            0,
            "facts absent from the workspace are cut: {out}"
        );
    }

    #[test]
    fn the_saved_session_is_a_scenario_file() {
        let mut s = Workspace::empty();
        s.add("p(a). p(b).").unwrap();
        s.retract("p(a)").unwrap();
        s.set_as_of(crate::value::Date::parse_iso("2026-06-01").unwrap());
        let script = s.script();
        let (scenario, d) = parse_scenario(FileId(0), &script);
        assert!(d.is_empty(), "{d:?}\n{script}");
        assert_eq!(
            scenario.as_of.map(|(d, _)| d.to_string()).as_deref(),
            Some("2026-06-01")
        );
        assert_eq!(scenario.statements.len(), 1, "p(a) is cut out:\n{script}");
        assert!(script.contains("% retracted: p(a)."), "{script}");
        assert!(
            !script.contains("%:"),
            "no comment carries meaning:\n{script}"
        );
    }
}
