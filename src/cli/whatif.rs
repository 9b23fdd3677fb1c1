//! `pacta whatif FILE...`: runs scenario files against the knowledge base and prints what
//! changed and whether each expectation holds; `--sweep` runs every combination of a file's
//! `vary` groups. Exit 0 all expectations hold, 1 one failed, 2 bad input (a sweep's
//! expectations are the columns of its table, so a sweep exits 0 unless the input is bad).

use super::kb_args::KbArgs;
use super::{DiagFormat, report};
use crate::scenario::{asof_sites, pick_as_of};
use crate::value::Const;
use crate::workspace::{Checked, Outcome, RelationDiff, Sweep, run_sweep, run_whatif};
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta whatif`.
#[derive(clap::Args, Debug)]
pub struct WhatifArgs {
    /// Scenario files (facts, rules, `@asof`, `retract`, `expect`, `vary`; see docs/SCENARIOS.md).
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    kb: KbArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = WhatifFormat::Text)]
    format: WhatifFormat,
    /// Only counts per relation, not the facts themselves (text format).
    #[arg(long)]
    summary: bool,
    /// Show the facts of these derived relations only (text format; counts for the rest).
    #[arg(long = "relation", value_name = "NAME")]
    relations: Vec<String>,
    /// Run every combination of the files' `vary` groups and print a table of verdicts.
    #[arg(long)]
    sweep: bool,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum WhatifFormat {
    /// Grouped, for people.
    Text,
    /// One JSON object, for machines.
    Json,
}

/// Runs `whatif`.
pub fn run(args: WhatifArgs) -> ExitCode {
    let Some(mut world) = args.kb.open() else {
        return ExitCode::from(2);
    };
    let limits = world.limits.clone();
    let (mut bad, mut failed) = (false, false);
    let mut json = Vec::new();
    let mut text = String::new();
    for path in &args.files {
        let name = path.display().to_string();
        let result = world.read_scenario(path).and_then(|scenario| {
            // The file's own `@asof` is the last one read; `--as-of` wins over it.
            let sites = asof_sites(&world.sources, &[&scenario]);
            let (as_of, notes) = match (args.kb.as_of, sites.is_empty()) {
                (None, true) => (world.as_of(), Vec::new()),
                (explicit, _) => pick_as_of(explicit, &sites),
            };
            for n in notes {
                eprintln!("{n}");
            }
            if args.sweep {
                let bar = progress(&scenario);
                let tick = || bar.inc(1);
                let sweep = run_sweep(&world, &scenario, as_of, &limits, &tick);
                bar.finish_and_clear();
                sweep.map(Ran::Sweep)
            } else if !scenario.groups.is_empty() {
                // A sweep file's expectations are questions for each combination of its
                // groups, not assertions about the scenario alone: a plain run over a glob
                // explains it instead of counting its questions as failures.
                Ok(Ran::SweepOnly(scenario.groups.len()))
            } else {
                run_whatif(&world, &scenario, as_of, &limits).map(Ran::One)
            }
        });
        match result {
            Err(diags) => {
                report(&diags, &world.sources, DiagFormat::Text);
                bad = true;
            }
            Ok(Ran::One(out)) => {
                report(&out.warnings, &world.sources, DiagFormat::Text);
                failed |= !out.passed();
                match args.format {
                    WhatifFormat::Text => text.push_str(&outcome_text(&name, &out, &args)),
                    WhatifFormat::Json => json.push(outcome_json(&name, &out)),
                }
            }
            Ok(Ran::Sweep(sweep)) => {
                report(&sweep.warnings, &world.sources, DiagFormat::Text);
                // In a sweep the expectations are the table's questions, not assertions.
                match args.format {
                    WhatifFormat::Text => text.push_str(&sweep_text(&name, &sweep)),
                    WhatifFormat::Json => json.push(sweep_json(&name, &sweep)),
                }
            }
            Ok(Ran::SweepOnly(groups)) => {
                let why = format!(
                    "a sweep file ({groups} `vary` group{}): its `expect` lines are questions asked of every combination, not assertions; run it with `pacta whatif --sweep {name}`",
                    if groups == 1 { "" } else { "s" }
                );
                match args.format {
                    WhatifFormat::Text => {
                        let _ = writeln!(text, "== {name}\n  skipped: {why}\n");
                    }
                    WhatifFormat::Json => json.push(serde_json::json!({
                        "file": name, "sweep": true, "skipped": why, "passed": true,
                    })),
                }
            }
        }
    }
    match args.format {
        // Facts, goals and file names come from data: no raw control or bidi characters.
        WhatifFormat::Text => print!("{}", crate::text::escape_lines(&text)),
        WhatifFormat::Json => {
            let doc = serde_json::json!({ "scenarios": json, "passed": !failed && !bad });
            println!("{}", crate::text::json_safe(doc.to_string()));
        }
    }
    ExitCode::from(if bad {
        2
    } else if failed {
        1
    } else {
        0
    })
}

enum Ran {
    One(Outcome),
    Sweep(Sweep),
    /// A file with `vary` groups in a plain run: the number of groups.
    SweepOnly(usize),
}

/// A progress bar on stderr, only on a terminal (scripts and tests see nothing).
fn progress(scenario: &crate::scenario::Scenario) -> indicatif::ProgressBar {
    let n = 1u64 << scenario.groups.len().min(crate::workspace::MAX_GROUPS);
    if !std::io::stderr().is_terminal() || scenario.groups.is_empty() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(n);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} combinations {elapsed}")
    {
        bar.set_style(style);
    }
    bar
}

fn tuple(relation: &str, t: &[Const]) -> String {
    let args: Vec<String> = t.iter().map(|c| c.to_string()).collect();
    format!("{relation}({})", args.join(", "))
}

fn counts(r: &RelationDiff) -> String {
    match (r.added.len(), r.removed.len()) {
        (a, 0) => format!("+{a}"),
        (0, d) => format!("-{d}"),
        (a, d) => format!("+{a} -{d}"),
    }
}

fn outcome_text(name: &str, out: &Outcome, args: &WhatifArgs) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "== {name} (as of {})", out.as_of);
    for r in &out.diff.input {
        for t in &r.added {
            let _ = writeln!(s, "  assumed    {}", tuple(&r.relation, t));
        }
        for t in &r.removed {
            let _ = writeln!(s, "  retracted  {}", tuple(&r.relation, t));
        }
    }
    let derived = &out.diff.derived;
    if derived.is_empty() {
        let _ = writeln!(s, "  no derived fact changed");
    } else {
        let width = derived.iter().map(|r| r.relation.len()).max().unwrap_or(0);
        let _ = writeln!(s, "  derived facts that changed, by relation:");
        for r in derived {
            let _ = writeln!(s, "    {:width$}  {}", r.relation, counts(r));
        }
        for r in derived {
            let shown = !args.summary
                && (args.relations.is_empty() || args.relations.contains(&r.relation));
            if !shown {
                continue;
            }
            let _ = writeln!(s, "  {} ({})", r.relation, counts(r));
            for t in &r.added {
                let _ = writeln!(s, "    + {}", tuple(&r.relation, t));
            }
            for t in &r.removed {
                let _ = writeln!(s, "    - {}", tuple(&r.relation, t));
            }
        }
    }
    if !out.checked.is_empty() {
        let passed = out.checked.iter().filter(|c| c.passed).count();
        let _ = writeln!(
            s,
            "  expectations: {passed} passed, {} failed",
            out.checked.len() - passed
        );
        for c in &out.checked {
            let _ = writeln!(s, "    {}", verdict(c));
        }
    }
    s.push('\n');
    s
}

/// `pass  line 4  expect obliged(...)`, with the answers that broke an `expect not`.
fn verdict(c: &Checked) -> String {
    let mark = if c.passed { "pass" } else { "FAIL" };
    let not = if c.negated { "not " } else { "" };
    let mut s = format!("{mark}  line {:<3} expect {not}{}", c.line, c.text);
    if c.negated && !c.passed {
        let shown: Vec<String> = c.answers.iter().take(5).map(|a| binding(c, a)).collect();
        let more = c.answers.len().saturating_sub(shown.len());
        let _ = write!(s, "\n          holds: {}", shown.join("; "));
        if more > 0 {
            let _ = write!(s, "; ... and {more} more");
        }
    } else if !c.negated && c.passed && !c.vars.is_empty() {
        let _ = write!(s, "  ({} answers)", c.answers.len());
    }
    s
}

fn binding(c: &Checked, answer: &[Const]) -> String {
    if c.vars.is_empty() {
        return "yes".into();
    }
    c.vars
        .iter()
        .zip(answer)
        .map(|(v, x)| format!("{v} = {x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn relations_json(rs: &[RelationDiff], added: bool) -> serde_json::Value {
    let map = rs
        .iter()
        .filter_map(|r| {
            let ts = if added { &r.added } else { &r.removed };
            (!ts.is_empty()).then(|| {
                let rows = ts
                    .iter()
                    .map(|t| serde_json::Value::Array(t.iter().map(Const::to_json).collect()))
                    .collect();
                (r.relation.clone(), serde_json::Value::Array(rows))
            })
        })
        .collect();
    serde_json::Value::Object(map)
}

fn checked_json(c: &Checked) -> serde_json::Value {
    let answers: Vec<serde_json::Value> = c
        .answers
        .iter()
        .map(|a| {
            serde_json::Value::Object(
                c.vars
                    .iter()
                    .zip(a)
                    .map(|(v, x)| (v.clone(), x.to_json()))
                    .collect(),
            )
        })
        .collect();
    serde_json::json!({
        "goal": c.text, "negated": c.negated, "line": c.line, "column": c.column,
        "passed": c.passed, "answers": answers,
    })
}

fn outcome_json(name: &str, out: &Outcome) -> serde_json::Value {
    serde_json::json!({
        "file": name,
        "as_of": out.as_of.to_string(),
        "input": { "added": relations_json(&out.diff.input, true), "removed": relations_json(&out.diff.input, false) },
        "derived": { "added": relations_json(&out.diff.derived, true), "removed": relations_json(&out.diff.derived, false) },
        "expectations": out.checked.iter().map(checked_json).collect::<Vec<_>>(),
        "passed": out.passed(),
    })
}

fn sweep_text(name: &str, sweep: &Sweep) -> String {
    let mut s = String::new();
    let n = sweep.combinations.len();
    let _ = writeln!(
        s,
        "== sweep {name} (as of {}): {} groups, {n} combinations",
        sweep.as_of,
        sweep.groups.len()
    );
    let expects = sweep
        .combinations
        .first()
        .map_or(&[][..], |c| &c.checked[..]);
    let widths: Vec<usize> = sweep.groups.iter().map(|g| g.len().max(3)).collect();
    let mut header = String::from(" ");
    for (g, w) in sweep.groups.iter().zip(&widths) {
        let _ = write!(header, " {g:w$}");
    }
    header.push_str(" |");
    for i in 0..expects.len() {
        let _ = write!(header, " E{:<3}", i + 1);
    }
    let _ = writeln!(s, "{}", header.trim_end());
    for c in &sweep.combinations {
        let mut row = String::from(" ");
        for (on, w) in c.on.iter().zip(&widths) {
            let _ = write!(row, " {:w$}", if *on { "on" } else { "-" });
        }
        row.push_str(" |");
        for e in &c.checked {
            let _ = write!(row, " {:4}", if e.passed { "yes" } else { "no" });
        }
        let _ = writeln!(s, "{}", row.trim_end());
    }
    for (i, e) in expects.iter().enumerate() {
        let holds = sweep
            .combinations
            .iter()
            .filter(|c| c.checked[i].passed)
            .count();
        let not = if e.negated { "not " } else { "" };
        let _ = writeln!(
            s,
            "  E{:<3} line {:<3} expect {not}{}: holds in {holds} of {n}",
            i + 1,
            e.line,
            e.text
        );
    }
    s.push('\n');
    s
}

fn sweep_json(name: &str, sweep: &Sweep) -> serde_json::Value {
    let combos: Vec<serde_json::Value> = sweep
        .combinations
        .iter()
        .map(|c| {
            let on: serde_json::Map<String, serde_json::Value> = sweep
                .groups
                .iter()
                .zip(&c.on)
                .map(|(g, o)| (g.clone(), serde_json::Value::Bool(*o)))
                .collect();
            serde_json::json!({
                "groups": on,
                "expectations": c.checked.iter().map(checked_json).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "file": name, "as_of": sweep.as_of.to_string(), "sweep": true,
        "groups": sweep.groups, "combinations": combos,
    })
}
