//! `:save`: the session as an ordinary scenario file (docs/SCENARIOS.md).
//!
//! The file starts with real directives — `@asof DATE.` and one `retract FACT.` per
//! knowledge-base fact the session hides — followed by the loaded files, scenarios and typed
//! statements, inlined. So `pacta whatif`, `pacta query --scenario`, `pacta explain
//! --scenario`, `pacta export --scenario` and the REPL's `:load` all read it the same way (on
//! the same knowledge base). Two rules make that work:
//! - a file's `retract` never removes the file's own facts, so a fact the session hid in
//!   inlined text is cut out of that text (and named in a comment) instead of retracted;
//! - the inlined files' own directives already took effect (they are summed up in the
//!   directives at the top), so they are turned into comments.
//!
//! Comments in the file are only comments: nothing reads meaning into them.

use super::session::{Origin, Session};
use super::state::fact_key;
use crate::explain::Goal;
use crate::scenario::parse_scenario;
use crate::syntax::ast::Statement;
use crate::syntax::span::{FileId, Span};
use std::fmt::Write as _;

impl Session {
    /// The session as a scenario file that `:load FILE` restores on the same knowledge base,
    /// and that every command reads the same way (see the module documentation).
    pub fn script(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "% Pacta session saved by `:save`: a scenario file (docs/SCENARIOS.md). Restore it with\n% `:load FILE`, or run it with `pacta whatif FILE`, on the same knowledge base."
        );
        if let Some(d) = self.as_of {
            let _ = writeln!(out, "@asof {d}.");
        }
        let mut keys = Vec::new();
        for (i, (f, o)) in self.files.iter().zip(&self.origins).enumerate() {
            if *o != Origin::Base {
                continue;
            }
            let (p, _) = crate::syntax::parse(FileId(i as u32), &f.text);
            for st in &p.statements {
                if let Some(key) = fact_key(st).filter(|_| self.hides(st))
                    && !keys.contains(&key)
                {
                    keys.push(key);
                }
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
        for (i, (f, o)) in self.files.iter().zip(&self.origins).enumerate() {
            let what = match o {
                Origin::Base => continue,
                Origin::Loaded => "loaded",
                Origin::Scenario => "scenario",
            };
            let _ = writeln!(out, "\n% --- {what}: {} ---", f.name);
            out.push_str(&self.inlined(&f.text, FileId(i as u32)));
            out.push('\n');
        }
        if !self.typed.is_empty() {
            let _ = writeln!(out, "\n% --- typed ---");
            // Typed text is read as the file after all others (see `Session::sources`).
            let typed = FileId(self.files.len() as u32);
            for t in &self.typed {
                out.push_str(&self.inlined(t, typed));
                out.push('\n');
            }
        }
        out
    }

    /// `text` (read as `file`) for inlining: its directives as comments, the facts the session
    /// hides cut out and listed in a comment.
    fn inlined(&self, text: &str, file: FileId) -> String {
        let (scenario, _) = parse_scenario(file, text);
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
                && self.hides(st)
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn inlined_directives_become_comments_without_swallowing_the_line() {
        let s = Session::default();
        let text = "@asof 2026-06-01.\np(a). retract q(_). p(b).\nexpect p(a).\n";
        let out = s.inlined(text, FileId(0));
        assert!(
            !out.lines()
                .any(|l| l.starts_with("@asof") || l.starts_with("expect"))
        );
        let (p, d) = parse(FileId(0), &out);
        assert!(d.is_empty(), "{d:?}\n{out}");
        assert_eq!(p.statements.len(), 2, "{out}");
    }

    #[test]
    fn the_saved_session_is_a_scenario_file() {
        let mut s = Session::default();
        s.add("p(a). p(b).").unwrap();
        s.retract("p(a)").unwrap();
        s.as_of = crate::value::Date::parse_iso("2026-06-01");
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
