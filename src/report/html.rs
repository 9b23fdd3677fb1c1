//! A [`Brief`] as one self-contained HTML page: the graph's SVG inline, no script, no external
//! file, a stylesheet that reads on screen and prints on paper (A4, sections kept together).
//! Every piece of data goes through [`crate::text::escape`] and then [`crate::export::escape::xml`].

use super::{Brief, Cap, DutyGroup};
use crate::explain::Citation;
use std::collections::BTreeSet;
use std::fmt::Write;

/// Data as HTML text.
fn h(s: &str) -> String {
    crate::export::escape::xml(&crate::text::escape(s))
}

const STYLE: &str = "
body { font-family: Georgia, 'Times New Roman', serif; color: #1a1a1a; max-width: 58rem;
       margin: 2rem auto; padding: 0 1.5rem; line-height: 1.45; }
h1 { font-size: 1.7rem; border-bottom: 2px solid #1a1a1a; padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2rem; border-bottom: 1px solid #999; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.lead { color: #444; font-style: italic; }
.states { font-size: .92rem; color: #333; }
.level { display: inline-block; padding: 0 .45rem; border-radius: .3rem; color: #fff;
         font-family: Helvetica, Arial, sans-serif; font-size: .85rem; }
.level-automatic { background: #8b0000; } .level-discretionary { background: #c05600; }
.level-deferred { background: #6b6b00; } .level-consultative { background: #2f5f8f; }
.level-declaratory { background: #777; }
blockquote { margin: .5rem 0 .5rem 1rem; padding: .2rem .8rem; border-left: 3px solid #999;
             background: #f6f6f3; }
blockquote .src { display: block; font-size: .82rem; color: #555; margin-top: .2rem; }
code { font-family: Menlo, Consolas, monospace; font-size: .85em; background: #f0f0f0;
       padding: 0 .2rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #eee; }
.fail { color: #a00; font-weight: bold; } .pass { color: #060; }
.warn { background: #fdecea; border: 1px solid #a00; padding: .4rem .8rem; }
.duty { page-break-inside: avoid; break-inside: avoid; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
@media print {
  body { max-width: none; margin: 0; font-size: 10.5pt; }
  h2 { page-break-after: avoid; break-after: avoid; }
  blockquote { background: none; }
  figure { page-break-before: always; break-before: page; }
}
@page { size: A4; margin: 18mm 16mm; }
";

/// The brief as a complete HTML document.
pub fn to_html(b: &Brief) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Brief: {} (as of {})</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        h(&b.title),
        h(&b.as_of)
    );
    let _ = writeln!(
        out,
        "<h1>Brief: {} <small>as of {}</small></h1>\n<p class=\"lead\">Who must act, how \
         automatically, and under which clause, if the events of this scenario happen. Written \
         by Pacta from its knowledge base; every quote is the clause text the knowledge base \
         holds, with its fidelity and source.</p>",
        h(&b.title),
        h(&b.as_of)
    );
    let _ = writeln!(out, "<h2>The scenario</h2>\n<ul>");
    for (what, facts) in [
        ("Assumed", &b.assumed),
        ("Retracted from the knowledge base", &b.retracted),
    ] {
        if !facts.is_empty() {
            let shown: Vec<String> = facts
                .iter()
                .map(|f| format!("<code>{}</code>", h(f)))
                .collect();
            let _ = writeln!(out, "<li>{what}: {}</li>", shown.join(", "));
        }
    }
    let _ = writeln!(out, "</ul>");
    let mut quoted = BTreeSet::new();
    if b.attacked.is_empty() {
        let _ = writeln!(
            out,
            "<p>No state is the victim of aggression on this date: nobody is obliged to help.</p>"
        );
    }
    for a in &b.attacked {
        let by: Vec<String> =
            a.by.iter()
                .map(|(s, d)| format!("{} (first use of force {})", h(s), h(d)))
                .collect();
        let _ = writeln!(
            out,
            "<h2>{} — attacked by {}</h2>",
            h(&a.state),
            by.join(", ")
        );
        if a.unprotected {
            let _ = writeln!(
                out,
                "<p class=\"warn\"><strong>Unprotected:</strong> no state is obliged to act for \
                 {} at the discretionary level or above.</p>",
                h(&a.state)
            );
        }
        if a.duties.is_empty() {
            let _ = writeln!(out, "<p>No state is obliged toward {}.</p>", h(&a.state));
        }
        for g in &a.duties {
            group(&mut out, g, &mut quoted);
        }
    }
    commitments(&mut out, b);
    changes(&mut out, b);
    let _ = writeln!(out, "<h2>Expectations</h2>");
    if b.expectations.is_empty() {
        let _ = writeln!(out, "<p>The scenario states none.</p>");
    } else {
        let _ = writeln!(out, "<ul>");
        for e in &b.expectations {
            let (class, word) = if e.passed {
                ("pass", "pass")
            } else {
                ("fail", "FAIL")
            };
            let _ = writeln!(
                out,
                "<li><span class=\"{class}\">{word}</span> (line {}): <code>{}</code></li>",
                e.line,
                h(&e.text)
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    let svg = b.svg.trim_start();
    let svg = match svg.strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(svg, |(_, s)| s.trim_start()),
        None => svg,
    };
    let _ = writeln!(
        out,
        "<figure>\n<h2>The obligation graph</h2>\n{svg}\n<figcaption>Who is bound to whom, by \
         level; hover over an edge for its clause.</figcaption>\n</figure>\n</body>\n</html>"
    );
    out
}

fn commitments(out: &mut String, b: &Brief) {
    let _ = writeln!(out, "<h2>Hollow, circular and conflicting commitments</h2>");
    if b.hollow.is_empty() && b.circular.is_empty() && b.conflicts.is_empty() {
        let _ = writeln!(out, "<p>None.</p>");
        return;
    }
    if !b.hollow.is_empty() {
        let _ = writeln!(
            out,
            "<table><tr><th>instrument</th><th>hollow because</th><th>for</th></tr>"
        );
        for x in &b.hollow {
            let _ = writeln!(
                out,
                "<tr><td>{} (<code>{}</code>)</td><td>{} (<code>{}</code>)</td><td>{}</td></tr>",
                h(&x.title),
                h(&x.instrument),
                h(&x.meaning),
                h(&x.reason),
                h(&x.states.join(", "))
            );
        }
        let _ = writeln!(out, "</table>");
    }
    let _ = writeln!(out, "<ul>");
    for (what, items) in [("Circular", &b.circular), ("Conflicting", &b.conflicts)] {
        for p in items {
            let _ = writeln!(
                out,
                "<li>{what}: <code>{}</code> — {}</li>",
                h(&p.fact),
                h(&p.meaning)
            );
        }
    }
    let _ = writeln!(out, "</ul>");
}

fn changes(out: &mut String, b: &Brief) {
    let _ = writeln!(
        out,
        "<h2>What the scenario changed</h2>\n<p>Against the knowledge base without the \
         scenario, on the same date:</p>"
    );
    if b.changes.is_empty() {
        let _ = writeln!(out, "<p>No conclusion changed.</p>");
        return;
    }
    let _ = writeln!(
        out,
        "<table><tr><th>conclusion</th><th>added</th><th>removed</th><th>examples</th></tr>"
    );
    for c in &b.changes {
        let mut ex: Vec<String> = Vec::new();
        if c.relation != "obliged" {
            ex.extend(c.added.iter().map(|f| format!("+ <code>{}</code>", h(f))));
            ex.extend(c.removed.iter().map(|f| format!("− <code>{}</code>", h(f))));
            let more = (c.added_count + c.removed_count).saturating_sub(ex.len());
            if more > 0 {
                ex.push(format!("… and {more} more"));
            }
        }
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            h(&c.relation),
            c.added_count,
            c.removed_count,
            ex.join("<br>")
        );
    }
    let _ = writeln!(out, "</table>");
}

fn group(out: &mut String, g: &DutyGroup, quoted: &mut BTreeSet<String>) {
    let clause = g
        .clause
        .as_ref()
        .and_then(|c| c.clause.clone())
        .unwrap_or_default();
    let n = g.states.len();
    let class: String = g
        .level
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let _ = writeln!(
        out,
        "<div class=\"duty\">\n<h3><span class=\"level level-{class}\">{}</span> {} under {} \
         ({}) — {n} state{}</h3>\n<p class=\"states\">{}</p>",
        h(&g.level),
        h(&g.action),
        h(&g.title),
        h(&clause),
        if n == 1 { "" } else { "s" },
        h(&g.states.join(", "))
    );
    if let Some(c) = &g.clause {
        quote(out, c, quoted);
    }
    if g.caps.iter().any(|c| c.sets_level) {
        let _ = writeln!(
            out,
            "<p>Level <strong>{}</strong> (the clause's own level: {}), set by:</p>\n<ul>",
            h(&g.level),
            h(&g.base_level)
        );
    } else {
        let _ = writeln!(
            out,
            "<p>Level <strong>{}</strong>: the clause's own level; no caveat lowers it.</p>\n<ul>",
            h(&g.level)
        );
    }
    for cap in &g.caps {
        cap_item(out, cap, quoted);
    }
    let _ = writeln!(out, "</ul>\n</div>");
}

fn cap_item(out: &mut String, cap: &Cap, quoted: &mut BTreeSet<String>) {
    let note = if cap.sets_level {
        ""
    } else {
        " (not the binding cap)"
    };
    let facts: Vec<String> = cap
        .facts
        .iter()
        .map(|f| format!("<code>{}</code>", h(f)))
        .collect();
    let _ = write!(
        out,
        "<li>{} caps it at {}{note}",
        facts.join(", "),
        h(&cap.level)
    );
    if let Some(c) = &cap.citation {
        quote(out, c, quoted);
    }
    let _ = writeln!(out, "</li>");
}

/// A clause's text as a block quote with its fidelity and source, once per page.
fn quote(out: &mut String, c: &Citation, quoted: &mut BTreeSet<String>) {
    let (Some(clause), Some(text)) = (&c.clause, &c.text) else {
        return;
    };
    if !quoted.insert(format!("{} {clause}", c.instrument)) {
        let _ = writeln!(
            out,
            " <span class=\"src\">(the text of {} {} is quoted above)</span>",
            h(c.title.as_deref().unwrap_or(&c.instrument)),
            h(clause)
        );
        return;
    }
    let _ = writeln!(
        out,
        "<blockquote>“{}”<span class=\"src\">— {} {}, {}; {}</span></blockquote>",
        h(text),
        h(c.title.as_deref().unwrap_or(&c.instrument)),
        h(clause),
        h(c.fidelity.as_deref().unwrap_or("fidelity not given")),
        h(c.source.as_deref().unwrap_or("source not given"))
    );
}

#[cfg(test)]
mod tests {
    use super::h;

    #[test]
    fn data_cannot_open_tags_or_hide_text() {
        assert_eq!(h("<script>&"), "&lt;script&gt;&amp;");
        assert!(!h("a\u{202e}b").contains('\u{202e}'));
    }
}
