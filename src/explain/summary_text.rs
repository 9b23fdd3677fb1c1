//! The summary of [`super::summary`] as plain sentences: the answer first, then each duty with
//! its trigger, its clause's words and the caps that set its level, each quoted with fidelity
//! and source. Quotes are wrapped to the terminal's usual width, never cut.

use super::Citation;
use super::summary::{DutySummary, Summary};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Width of wrapped quotes.
const WIDTH: usize = 96;

/// Appends the summary to `out`.
pub fn summary_text(out: &mut String, s: &Summary) {
    para(out, "", "", &s.answer);
    for m in &s.missing {
        para(out, "  - ", "    ", m);
    }
    let mut quoted = BTreeSet::new();
    for d in &s.duties {
        duty_text(out, d, &mut quoted);
    }
}

fn duty_text(out: &mut String, d: &DutySummary, quoted: &mut BTreeSet<String>) {
    let title = d.title.as_deref().unwrap_or(&d.instrument);
    let clause = d
        .clause
        .as_ref()
        .and_then(|c| c.clause.clone())
        .unwrap_or_default();
    let _ = writeln!(out);
    let head = format!(
        "{} must {} {} under {title} ({}, {clause}), at the {} level.",
        d.obligor, d.action, d.beneficiary, d.instrument, d.level
    );
    para(out, "", "  ", &head);
    for t in &d.triggers {
        let since = t
            .since
            .as_ref()
            .map(|s| format!(", first use of force on {s}"))
            .unwrap_or_default();
        let line = format!(
            "Triggered by: {} by {} against {}{since}; {} is a victim of aggression ({} struck \
             first, not in self-defence).",
            t.kind.replace('_', " "),
            t.attacker,
            d.beneficiary,
            d.beneficiary,
            t.attacker
        );
        para(out, "  ", "    ", &line);
    }
    if let Some(c) = &d.clause {
        quote(out, "  The clause", c, quoted);
    }
    let setting: Vec<_> = d.caps.iter().filter(|c| c.sets_level).collect();
    if setting.is_empty() {
        let _ = writeln!(
            out,
            "  Level: {} — the clause's own level; no caveat lowers it.",
            d.level
        );
    } else {
        let _ = writeln!(
            out,
            "  Level: {} (the clause's own level: {}), set by:",
            d.level, d.base_level
        );
    }
    for cap in &d.caps {
        let mark = if cap.sets_level {
            ""
        } else {
            " (not the binding cap)"
        };
        for r in &cap.because {
            let _ = writeln!(out, "    - {} caps it at {}{mark}", r.fact, cap.level);
            if let Some(c) = &r.citation {
                quote(out, "      ", c, quoted);
            }
        }
    }
}

/// Prints a clause's text once; later mentions refer back to it.
fn quote(out: &mut String, lead: &str, c: &Citation, quoted: &mut BTreeSet<String>) {
    let (Some(clause), Some(text)) = (&c.clause, &c.text) else {
        if let Some(t) = &c.title {
            let _ = writeln!(out, "{lead} {t}");
        }
        return;
    };
    let key = format!("{} {clause}", c.instrument);
    let indent = " ".repeat(lead.len().min(8) + 2);
    if !quoted.insert(key) {
        let _ = writeln!(out, "{lead} {clause}: the text quoted above.");
        return;
    }
    let header = format!(
        "{} [{}; {}]:",
        clause,
        c.fidelity.as_deref().unwrap_or("?"),
        c.source.as_deref().unwrap_or("source not given"),
    );
    para(out, &format!("{lead} "), &indent, &header);
    for line in wrap(&format!("\"{text}\""), WIDTH.saturating_sub(indent.len())) {
        let _ = writeln!(out, "{indent}{line}");
    }
}

/// A paragraph wrapped to the width: `first` before its first line, `rest` before the others.
fn para(out: &mut String, first: &str, rest: &str, text: &str) {
    for (n, line) in wrap(text, WIDTH.saturating_sub(rest.len()))
        .iter()
        .enumerate()
    {
        let lead = if n == 0 { first } else { rest };
        let _ = writeln!(out, "{lead}{line}");
    }
}

/// Greedy word wrap; a word longer than the width stands on its own line.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_keeps_every_word_and_the_width() {
        let text = "such action as it deems necessary, including the use of armed force";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| l.chars().count() <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        assert_eq!(wrap("", 10), Vec::<String>::new());
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            vec!["averyveryverylongword", "x"]
        );
    }
}
