//! A search's result as text — the answer first, then each set as a what-if file a user can
//! paste and run with `pacta whatif` — or as JSON.

use super::{Change, Found, Mode, Needed};
use crate::scenario::Scenario;
use crate::syntax::ast::Statement;
use crate::syntax::span::SourceMap;
use crate::text::escape;
use crate::value::Const;
use std::fmt::Write;

/// The statements of `scenarios` as lines of a what-if file: a comment naming each file, its
/// facts and rules, and its `retract` lines (its `@asof`, `expect` and `vary` are left out: the
/// file gets its own).
pub fn scenario_lines(sources: &SourceMap, scenarios: &[&Scenario]) -> Vec<String> {
    let mut out = Vec::new();
    for s in scenarios {
        out.push(format!("% from {}", sources.get(s.file).name));
        for r in &s.retracts {
            out.push(format!(
                "retract {}.",
                crate::explain::show_atom(&r.pattern, &Vec::new())
            ));
        }
        for st in &s.statements {
            let span = match st {
                Statement::Rule(r) => r.span,
                Statement::Superiority(x) => x.span,
                Statement::Directive(d) => d.span,
            };
            let text = crate::explain::span_ref(sources, span, None).text;
            out.push(text);
        }
    }
    out
}

/// The what-if file for one set: `@asof`, the context (the scenarios' statements), the changes
/// with a comment each, and the goal as an `expect`.
pub fn whatif_file(needed: &Needed, found: &Found, context: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "@asof {}.", needed.as_of);
    let set: Vec<&Change> = found
        .changes
        .iter()
        .map(|&i| &needed.candidates[i])
        .collect();
    for line in context {
        // A scenario fact that the set takes out is left out (a file's `retract` never
        // removes the file's own facts).
        if set.iter().any(|c| takes_out(c, line)) {
            let _ = writeln!(out, "% taken out: {line}");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    for c in &set {
        let clauses: Vec<String> = c.serves.iter().map(|(i, c)| format!("{i} {c}")).collect();
        let _ = writeln!(
            out,
            "% needed: {} (for {})",
            escape(&c.description),
            clauses.join(", ")
        );
        if let Some(p) = c.retract_pattern() {
            let _ = writeln!(out, "retract {p}.");
        }
        if c.mode != Mode::Retract {
            let _ = writeln!(out, "{}.", c.fact_text());
        }
    }
    let _ = writeln!(out, "expect {}.", needed.goal);
    out
}

/// Whether change `c` removes the fact written as `line` (a context line, `fact(...).`).
fn takes_out(c: &Change, line: &str) -> bool {
    match c.mode {
        Mode::Add => false,
        Mode::Retract => line == format!("{}.", c.fact_text()),
        Mode::Replace => c.fact.first().is_some_and(|k| {
            line.starts_with(&format!("{}({k},", c.relation))
                || line.starts_with(&format!("{}({k})", c.relation))
        }),
    }
}

/// One line per change: its meaning and its fact.
fn change_line(c: &Change) -> String {
    let what = match c.mode {
        Mode::Add => format!("add {}", c.fact_text()),
        Mode::Retract => format!("retract {}", c.fact_text()),
        Mode::Replace => format!(
            "{} instead of {}",
            c.fact_text(),
            c.retract_pattern().unwrap_or_default()
        ),
    };
    format!("{}: {what}", escape(&c.description))
}

/// The answers in `name = value` form, one answer per entry.
fn answers(needed: &Needed, rows: &[Vec<Const>]) -> Vec<String> {
    rows.iter()
        .map(|r| {
            if needed.vars.is_empty() {
                "yes".to_string()
            } else {
                needed
                    .vars
                    .iter()
                    .zip(r)
                    .map(|(v, c)| format!("{v} = {}", escape(&c.to_plain())))
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        })
        .collect()
}

/// The result as text. `context` is what each what-if file starts with after its `@asof` (the
/// scenarios' statements, [`scenario_lines`]).
pub fn render_text(needed: &Needed, context: &[String]) -> String {
    let mut out = String::new();
    let goal = escape(&needed.goal);
    let date = needed.as_of;
    if !needed.holds_already.is_empty() {
        let _ = writeln!(
            out,
            "`{goal}` already holds on {date}; nothing needs to change."
        );
        for a in answers(needed, &needed.holds_already) {
            let _ = writeln!(out, "  {a}");
        }
        return out;
    }
    let _ = writeln!(out, "What would make `{goal}` hold on {date}?");
    let _ = writeln!(
        out,
        "It does not hold now. The knowledge base proposes {} for {}; {} of at most {} {} evaluated.",
        count(needed.candidates.len(), "change"),
        count(needed.clauses, "clause"),
        count(needed.evaluated, "set"),
        needed.max_changes,
        if needed.evaluated == 1 { "was" } else { "were" }
    );
    if needed.found.is_empty() {
        let _ = writeln!(
            out,
            "\nNo set of at most {} assumable {} makes it hold.",
            needed.max_changes,
            if needed.max_changes == 1 {
                "change"
            } else {
                "changes"
            }
        );
        if needed.candidates.is_empty() {
            let _ = writeln!(
                out,
                "No clause of the knowledge base could give this goal with changes it declares \
                 assumable (rules/assumable.pacta): check the names, or ask about `obliged`, \
                 `strongest` or `defended`."
            );
        }
        larger(&mut out, needed);
        return out;
    }
    let n = needed.found.len();
    let _ = writeln!(
        out,
        "\n{} of changes {} it hold, each verified by evaluating the knowledge base with it:",
        count(n, "minimal set"),
        if n == 1 { "makes" } else { "make" }
    );
    for (k, f) in needed.found.iter().enumerate() {
        let _ = writeln!(out, "\n{}. {}:", k + 1, count(f.changes.len(), "change"));
        for &i in &f.changes {
            let _ = writeln!(out, "   - {}", change_line(&needed.candidates[i]));
        }
        for a in answers(needed, &f.answers) {
            let _ = writeln!(out, "   then: {a}");
        }
    }
    larger(&mut out, needed);
    let _ = writeln!(
        out,
        "\nEach as a what-if file (save one as FILE.pacta, run `pacta whatif FILE.pacta`):"
    );
    for (k, f) in needed.found.iter().enumerate() {
        let _ = writeln!(out, "\n% --- set {} of {n} ---", k + 1);
        out.push_str(&whatif_file(needed, f, context));
    }
    out
}

/// The result as one JSON object: the goal, the date, the candidates, and each set found with
/// its changes, its answers and its what-if file.
pub fn render_json(needed: &Needed, context: &[String]) -> String {
    let files: Vec<String> = needed
        .found
        .iter()
        .map(|f| whatif_file(needed, f, context))
        .collect();
    let sets: Vec<serde_json::Value> = needed
        .found
        .iter()
        .zip(files)
        .map(|(f, file)| {
            serde_json::json!({
                "changes": f.changes.iter().map(|&i| &needed.candidates[i]).collect::<Vec<_>>(),
                "answers": serde_json::to_value(f).map(|v| v["answers"].clone()).unwrap_or_default(),
                "whatif": file,
            })
        })
        .collect();
    let mut v = serde_json::to_value(needed).unwrap_or_default();
    v["found"] = serde_json::Value::Array(sets);
    v["holds"] = serde_json::Value::Bool(!needed.holds_already.is_empty());
    v.to_string()
}

/// The clauses whose changes together exceed the bound, and how many they have.
fn larger(out: &mut String, needed: &Needed) {
    if needed.larger.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nNot searched further (their changes together exceed --max-changes {}):",
        needed.max_changes
    );
    for (i, c, n) in &needed.larger {
        let _ = writeln!(out, "   {} {}: {n} changes", escape(i), escape(c));
    }
}

/// `1 change`, `2 changes`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
