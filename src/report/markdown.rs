//! A [`Brief`] as Markdown, with the graph linked as an SVG file next to it. Every piece of data
//! is escaped: control characters via [`crate::text::escape`], Markdown's own characters with a
//! backslash, and code spans fenced longer than any run of backticks inside them.

use super::{Brief, Cap, DutyGroup};
use crate::explain::Citation;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Markdown text with data escaped.
pub fn md(s: &str) -> String {
    let mut out = String::new();
    for c in crate::text::escape(s).chars() {
        if "\\`*_[]<>|#!&~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A code span that holds `s` whatever backticks it contains.
pub fn code(s: &str) -> String {
    let s = crate::text::escape(s).replace(['\n', '\r'], " ");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if s.starts_with('`') || s.ends_with('`') {
        format!("{fence} {s} {fence}")
    } else {
        format!("{fence}{s}{fence}")
    }
}

/// The brief as Markdown; `svg` is the file name of the graph written next to it, if any.
pub fn to_markdown(b: &Brief, svg: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Brief: {} (as of {})\n", md(&b.title), md(&b.as_of));
    let _ = writeln!(
        out,
        "Who must act, how automatically, and under which clause, if the events of this \
         scenario happen. Written by Pacta from its knowledge base; every quote is the clause \
         text the knowledge base holds, with its fidelity and source.\n"
    );
    let _ = writeln!(out, "## The scenario\n");
    list(&mut out, "Assumed", &b.assumed);
    list(&mut out, "Retracted from the knowledge base", &b.retracted);
    out.push('\n');
    let mut quoted = BTreeSet::new();
    if b.attacked.is_empty() {
        let _ = writeln!(
            out,
            "No state is the victim of aggression on this date: nobody is obliged to help.\n"
        );
    }
    for a in &b.attacked {
        let by: Vec<String> =
            a.by.iter()
                .map(|(s, d)| format!("{} (first use of force {})", md(s), md(d)))
                .collect();
        let _ = writeln!(out, "## {} — attacked by {}\n", md(&a.state), by.join(", "));
        if a.unprotected {
            let _ = writeln!(
                out,
                "**Unprotected:** no state is obliged to act for {} at the discretionary level or \
                 above.\n",
                md(&a.state)
            );
        }
        if a.duties.is_empty() {
            let _ = writeln!(out, "No state is obliged toward {}.\n", md(&a.state));
        }
        for g in &a.duties {
            group(&mut out, g, &mut quoted);
        }
    }
    let _ = writeln!(out, "## Hollow, circular and conflicting commitments\n");
    if b.hollow.is_empty() && b.circular.is_empty() && b.conflicts.is_empty() {
        let _ = writeln!(out, "None.\n");
    }
    if !b.hollow.is_empty() {
        let _ = writeln!(
            out,
            "| instrument | hollow because | for |\n| --- | --- | --- |"
        );
        for h in &b.hollow {
            let _ = writeln!(
                out,
                "| {} ({}) | {} ({}) | {} |",
                md(&h.title),
                code(&h.instrument),
                md(&h.meaning),
                code(&h.reason),
                md(&h.states.join(", "))
            );
        }
        out.push('\n');
    }
    for (what, items) in [("Circular", &b.circular), ("Conflicting", &b.conflicts)] {
        for p in items {
            let _ = writeln!(out, "- {what}: {} — {}", code(&p.fact), md(&p.meaning));
        }
    }
    out.push('\n');
    let _ = writeln!(
        out,
        "## What the scenario changed\n\nAgainst the knowledge base without the scenario, on the \
         same date:\n"
    );
    if b.changes.is_empty() {
        let _ = writeln!(out, "No conclusion changed.\n");
    } else {
        let _ = writeln!(out, "| conclusion | added | removed |\n| --- | --- | --- |");
        for c in &b.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                code(&c.relation),
                c.added_count,
                c.removed_count
            );
        }
        out.push('\n');
        for c in b.changes.iter().filter(|c| c.relation != "obliged") {
            for (sign, facts, n) in [
                ("+", &c.added, c.added_count),
                ("−", &c.removed, c.removed_count),
            ] {
                for f in facts {
                    let _ = writeln!(out, "- {sign} {}", code(f));
                }
                if n > facts.len() {
                    let _ = writeln!(out, "- … and {} more", n - facts.len());
                }
            }
        }
        out.push('\n');
    }
    let _ = writeln!(out, "## Expectations\n");
    if b.expectations.is_empty() {
        let _ = writeln!(out, "The scenario states none.\n");
    }
    for e in &b.expectations {
        let mark = if e.passed { "pass" } else { "**FAIL**" };
        let _ = writeln!(out, "- {mark} (line {}): {}", e.line, code(&e.text));
    }
    if let Some(svg) = svg {
        let _ = writeln!(
            out,
            "\n## The obligation graph\n\n![Who is bound to whom, by level]({})",
            svg.replace(' ', "%20").replace(['(', ')'], "")
        );
    }
    out
}

fn list(out: &mut String, what: &str, facts: &[String]) {
    if facts.is_empty() {
        return;
    }
    let shown: Vec<String> = facts.iter().map(|f| code(f)).collect();
    let _ = writeln!(out, "- {what}: {}", shown.join(", "));
}

fn group(out: &mut String, g: &DutyGroup, quoted: &mut BTreeSet<String>) {
    let clause = g
        .clause
        .as_ref()
        .and_then(|c| c.clause.clone())
        .unwrap_or_default();
    let n = g.states.len();
    let _ = writeln!(
        out,
        "### {}: {} under {} ({}) — {} state{}\n",
        md(&g.level),
        md(&g.action),
        md(&g.title),
        md(&clause),
        n,
        if n == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "{}\n", md(&g.states.join(", ")));
    if let Some(c) = &g.clause {
        quote(out, c, quoted);
    }
    let setting = g.caps.iter().any(|c| c.sets_level);
    if setting {
        let _ = writeln!(
            out,
            "Level **{}** (the clause's own level: {}), set by:\n",
            md(&g.level),
            md(&g.base_level)
        );
    } else {
        let _ = writeln!(
            out,
            "Level **{}**: the clause's own level; no caveat lowers it.\n",
            md(&g.level)
        );
    }
    for cap in &g.caps {
        cap_line(out, cap, quoted);
    }
}

fn cap_line(out: &mut String, cap: &Cap, quoted: &mut BTreeSet<String>) {
    let note = if cap.sets_level {
        ""
    } else {
        " (not the binding cap)"
    };
    let facts: Vec<String> = cap.facts.iter().map(|f| code(f)).collect();
    let _ = writeln!(
        out,
        "- {} caps it at {}{note}",
        facts.join(", "),
        md(&cap.level)
    );
    if let Some(c) = &cap.citation {
        let mut inner = String::new();
        quote(&mut inner, c, quoted);
        for line in inner.trim_end().lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    out.push('\n');
}

/// A clause's text as a block quote with its fidelity and source, once per brief.
fn quote(out: &mut String, c: &Citation, quoted: &mut BTreeSet<String>) {
    let (Some(clause), Some(text)) = (&c.clause, &c.text) else {
        return;
    };
    let key = format!("{} {clause}", c.instrument);
    if !quoted.insert(key) {
        let _ = writeln!(
            out,
            "(The text of {} {} is quoted above.)\n",
            md(c.title.as_deref().unwrap_or(&c.instrument)),
            md(clause)
        );
        return;
    }
    let _ = writeln!(
        out,
        "> “{}”\n>\n> — {} {}, {}; {}\n",
        md(text),
        md(c.title.as_deref().unwrap_or(&c.instrument)),
        md(clause),
        md(c.fidelity.as_deref().unwrap_or("fidelity not given")),
        md(c.source.as_deref().unwrap_or("source not given"))
    );
}

#[cfg(test)]
mod tests {
    use super::{code, md};

    #[test]
    fn markdown_and_html_in_data_are_escaped() {
        assert_eq!(md("a_b *c* <x>"), "a\\_b \\*c\\* \\<x\\>");
        assert_eq!(md("line\u{202e}"), "line\\\\u{202e}");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("x"), "`x`");
    }
}
