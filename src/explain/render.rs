//! Explanations as text (an indented tree) and as JSON (the same structure, via `serde`).

use super::summary_text::summary_text;
use super::theory::{GroundRule, Verdict};
use super::{Condition, Explanation, Outcome, Proof, RuleRef, Step, WhyNot};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The explanation as pretty-printed JSON.
pub fn render_json(e: &Explanation) -> String {
    serde_json::to_string_pretty(e).map_or_else(|_| "{}".into(), crate::text::json_safe)
}

/// What a text explanation shows.
#[derive(Clone, Copy, Debug, Default)]
pub struct View {
    /// Show the proof tree (and the generic why-not) even when a summary answers the question.
    pub full: bool,
    /// Cut the proof tree below this depth (the root is depth 0).
    pub depth: Option<usize>,
}

/// The explanation as readable text: the summary alone where there is one, else the tree.
/// Facts, rule text and quoted clauses come from data and source files, so control and bidi
/// characters are escaped (`\u{1b}`) before it is shown.
pub fn render_text(e: &Explanation) -> String {
    render_text_with(e, View::default())
}

/// The explanation as readable text, as `view` asks.
pub fn render_text_with(e: &Explanation, view: View) -> String {
    let mut out = String::new();
    let more = "\n(the full proof: `pacta explain --full`, or `:why --full` in the REPL)\n";
    match e {
        Explanation::Holds { summary, proof } => {
            if let Some(s) = summary {
                summary_text(&mut out, s);
                if !view.full {
                    out.push_str(more);
                    return crate::text::escape_lines(&out).into_owned();
                }
                out.push('\n');
            }
            let _ = writeln!(
                out,
                "{} holds (proof of height {}):",
                proof.fact, proof.height
            );
            let mut seen = BTreeSet::new();
            proof_text(&mut out, proof, "", "", &mut seen, (0, view.depth));
        }
        Explanation::Fails { summary, why_not } => {
            if let Some(s) = summary {
                summary_text(&mut out, s);
                if !view.full {
                    out.push_str(
                        "\n(rule by rule: `pacta explain --full`, or `:whynot --full` in the REPL)\n",
                    );
                    return crate::text::escape_lines(&out).into_owned();
                }
                out.push('\n');
            }
            why_not_text(&mut out, why_not)
        }
        Explanation::Theory { verdict } => verdict_text(&mut out, verdict, ""),
    }
    crate::text::escape_lines(&out).into_owned()
}

fn rule_line(r: &RuleRef) -> String {
    format!("{}:{}: {}", r.at.file, r.at.line, r.text)
}

/// One node: `first` prefixes the fact's line, `rest` every line below it; `depth` is this
/// node's depth and the limit, if any.
fn proof_text(
    out: &mut String,
    p: &Proof,
    first: &str,
    rest: &str,
    seen: &mut BTreeSet<String>,
    depth: (usize, Option<usize>),
) {
    if let (Step::Rule { .. }, (d, Some(max))) = (&p.step, depth)
        && d >= max
    {
        let _ = writeln!(
            out,
            "{first}{}  [deeper than --depth {max}: ask about it]",
            p.fact
        );
        return;
    }
    match &p.step {
        Step::Fact { source, .. } if source.file == "<as-of>" => {
            let _ = writeln!(out, "{first}{}  [the as-of date: --as-of or :asof]", p.fact);
        }
        Step::Fact { source, citation } => {
            let _ = writeln!(
                out,
                "{first}{}  [fact, {}:{}]",
                p.fact, source.file, source.line
            );
            if let Some(c) = citation {
                let mut what = c.instrument.clone();
                let first_time = seen.insert(format!("instrument {what}"));
                if let Some(t) = c.title.as_ref().filter(|_| first_time) {
                    let _ = write!(what, " ({t})");
                }
                match (&c.clause, &c.text) {
                    (Some(cl), Some(_))
                        if !seen.insert(format!("clause {} {cl}", c.instrument)) =>
                    {
                        let _ = writeln!(out, "{rest}   {what}, {cl} [text above]");
                    }
                    (Some(cl), Some(text)) => {
                        let _ = writeln!(
                            out,
                            "{rest}   {what}, {cl} [{}; {}]: \"{text}\"",
                            c.fidelity.as_deref().unwrap_or("?"),
                            c.source.as_deref().unwrap_or("?"),
                        );
                    }
                    _ => {
                        let _ = writeln!(out, "{rest}   instrument: {what}");
                    }
                }
            }
        }
        Step::Imported => {
            let _ = writeln!(out, "{first}{}  [fact, imported]", p.fact);
        }
        Step::Above => {
            let _ = writeln!(out, "{first}{}  [proved above]", p.fact);
        }
        Step::Elided => {
            let _ = writeln!(
                out,
                "{first}{}  [deeper proof not shown: ask about it]",
                p.fact
            );
        }
        Step::Rule { rule, conditions } => {
            let _ = writeln!(out, "{first}{}", p.fact);
            let _ = writeln!(out, "{rest}   by {}", rule_line(rule));
            let n = conditions.len();
            for (i, c) in conditions.iter().enumerate() {
                let last = i + 1 == n;
                let (a, b) = if last {
                    ("└─ ", "   ")
                } else {
                    ("├─ ", "│  ")
                };
                let first = format!("{rest}{a}");
                let rest = format!("{rest}{b}");
                match c {
                    Condition::Proved { proof } => {
                        proof_text(out, proof, &first, &rest, seen, (depth.0 + 1, depth.1))
                    }
                    Condition::Absent { atom } => {
                        let _ = writeln!(out, "{first}no fact matches {atom}");
                    }
                    Condition::Comparison { text } => {
                        let _ = writeln!(out, "{first}{text}");
                    }
                    Condition::Aggregate { text } => {
                        let _ = writeln!(out, "{first}{text}");
                    }
                }
            }
        }
    }
}

fn why_not_text(out: &mut String, w: &WhyNot) {
    let _ = writeln!(out, "{} does not hold.", w.fact);
    let rel = w.fact.split('(').next().unwrap_or(&w.fact);
    if !w.known_relation {
        let _ = write!(out, "No rule or fact of the program uses `{rel}`");
        match &w.did_you_mean {
            Some(d) => {
                let _ = writeln!(out, ": did you mean `{d}`?");
            }
            None => {
                let _ = writeln!(out, "; the relations are listed in docs/SCHEMA.md.");
            }
        }
    } else if let Some(n) = w.arity {
        let _ = writeln!(
            out,
            "`{rel}` takes {n} argument{}: the fact has another number.",
            if n == 1 { "" } else { "s" }
        );
        return;
    } else if w.rules.is_empty() {
        let _ = writeln!(
            out,
            "No rule derives `{rel}`: it holds only as a written fact."
        );
    } else {
        let _ = writeln!(out, "Rules that could derive it:");
        for a in &w.rules {
            let _ = writeln!(out, "- {}", rule_line(&a.rule));
            match &a.outcome {
                Outcome::HeadDiffers { head } => {
                    let _ = writeln!(out, "  its head {head} does not match the fact");
                }
                Outcome::Fails {
                    given,
                    condition,
                    reason,
                    near,
                } => {
                    if !given.is_empty() {
                        let _ = writeln!(out, "  after: {}", given.join(", "));
                    }
                    let _ = writeln!(out, "  fails at: {condition} — {reason}");
                    if !near.is_empty() {
                        let label = if reason.starts_with("a fact matches") {
                            "matching"
                        } else {
                            "nearest"
                        };
                        let _ = writeln!(out, "  {label}: {}", near.join("; "));
                    }
                }
            }
        }
    }
    if !w.near.is_empty() {
        let _ = writeln!(out, "Nearest facts of `{rel}`: {}", w.near.join("; "));
    }
}

fn ground_line(out: &mut String, g: &GroundRule, indent: &str) {
    let _ = writeln!(out, "{indent}- {} ({})", rule_line(&g.rule), g.kind);
    let _ = writeln!(out, "{indent}  instance: {}", g.instance);
    if let Some(f) = &g.fails_at {
        let _ = writeln!(out, "{indent}  not applicable: {f}");
    } else {
        let _ = writeln!(out, "{indent}  applicable");
    }
    if let Some(b) = &g.beaten_by {
        let _ = writeln!(out, "{indent}  beaten by {b}");
    }
}

fn verdict_text(out: &mut String, v: &Verdict, indent: &str) {
    let status = if v.definitely {
        "definitely provable (+D)"
    } else if v.defeasibly {
        "defeasibly provable (+d)"
    } else if v.not_defeasibly {
        "not defeasibly provable (-d)"
    } else {
        "undecided (neither +d nor -d)"
    };
    let fact = if v.fact { ", a fact" } else { "" };
    let _ = writeln!(out, "{indent}{}: {status}{fact}", v.literal);
    if !v.known {
        let _ = writeln!(
            out,
            "{indent}  no fact or rule instance of the theory mentions it"
        );
        return;
    }
    if !v.rules_for.is_empty() {
        let _ = writeln!(out, "{indent}  rules for it:");
        for g in &v.rules_for {
            ground_line(out, g, &format!("{indent}  "));
        }
    }
    if !v.rules_against.is_empty() {
        let _ = writeln!(out, "{indent}  rules against it:");
        for g in &v.rules_against {
            ground_line(out, g, &format!("{indent}  "));
            if let Some(b) = &g.beats {
                let _ = writeln!(out, "{indent}    defeats it: {b}");
            } else if g.applicable && g.beaten_by.is_none() && !v.defeasibly {
                let _ = writeln!(
                    out,
                    "{indent}    defeats it: no superiority decides between the rules"
                );
            }
        }
    }
    if !v.missing_superiority.is_empty() {
        let _ = writeln!(
            out,
            "{indent}  missing superiority: {}",
            v.missing_superiority.join(", ")
        );
    }
    if v.rules_for.is_empty() && !v.fact {
        let _ = writeln!(out, "{indent}  no rule concludes it");
    }
    if !v.premises.is_empty() {
        let _ = writeln!(out, "{indent}  because:");
        for p in &v.premises {
            verdict_text(out, p, &format!("{indent}    "));
        }
    }
}
