//! `pacta timeline --beneficiary V --attacker A --from D --to D`: what each state would owe V
//! if A attacked it, at every date in range where that changes (see `export::timeline`), as a
//! table of the changes, JSON or CSV of every state at every change point, or an SVG of lanes.

use super::{DiagFormat, LimitArgs, report};
use crate::export::{Attacker, Spec, Timeline, timeline, to_timeline_html, to_timeline_svg};
use crate::value::{Const, Date};
use crate::workspace::Workspace;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta timeline`.
#[derive(clap::Args, Debug)]
pub struct TimelineArgs {
    /// The attacked state.
    #[arg(long, value_name = "STATE", value_parser = parse_state)]
    beneficiary: String,
    /// The attacker; `NAME:UNTIL` ends its turn on UNTIL and the next `--attacker` follows
    /// (a successor state: `--attacker soviet_union:1991-12-25 --attacker russia`).
    #[arg(long, value_name = "STATE[:UNTIL]", required = true, value_parser = parse_attacker)]
    attacker: Vec<Attacker>,
    /// First day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = super::kb_args::parse_date)]
    from: Date,
    /// Last day (YYYY-MM-DD); default today.
    #[arg(long, value_name = "DATE", value_parser = super::kb_args::parse_date)]
    to: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: TimelineFormat,
    /// Knowledge-base folders or files instead of the bundled one.
    #[arg(long = "kb", value_name = "DIR")]
    kb: Vec<PathBuf>,
    /// Scenario files added at every date (their `@asof` is ignored: each date is its own).
    #[arg(long = "scenario", value_name = "FILE")]
    scenarios: Vec<PathBuf>,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Timeline formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum TimelineFormat {
    /// The changes, one line per state whose obligation changes.
    Table,
    /// Every state at every change point.
    Json,
    /// `date,attacker,state,level,instruments`, every state at every change point.
    Csv,
    /// One lane per state over time.
    Svg,
    /// A self-contained page: the lanes and a date slider over the change points.
    Html,
}

fn parse_state(s: &str) -> Result<String, String> {
    if Const::is_plain_symbol(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "`{}` is not a state name (lower case letters, digits, `_`)",
            crate::text::escape(s)
        ))
    }
}

fn parse_attacker(s: &str) -> Result<Attacker, String> {
    let (name, until) = match s.split_once(':') {
        Some((n, u)) => (n, Some(super::kb_args::parse_date(u)?)),
        None => (s, None),
    };
    Ok(Attacker {
        name: parse_state(name)?,
        until,
    })
}

/// Runs `timeline`: exit 0, or 2 on bad input.
pub fn run(args: TimelineArgs) -> ExitCode {
    let to = args.to.unwrap_or_else(Date::today);
    if to < args.from {
        eprintln!("error: --to {to} is before --from {}", args.from);
        return ExitCode::from(2);
    }
    let mut world = match Workspace::open(&args.kb) {
        Ok(w) => w,
        Err(r) => {
            report(&r.diagnostics, &r.sources, DiagFormat::Text);
            return ExitCode::from(2);
        }
    };
    let mut scenarios = Vec::new();
    for p in &args.scenarios {
        match world.read_scenario(p) {
            Ok(s) => scenarios.push(s),
            Err(d) => {
                report(&d, &world.sources, DiagFormat::Text);
                return ExitCode::from(2);
            }
        }
    }
    let refs: Vec<&crate::scenario::Scenario> = scenarios.iter().collect();
    let spec = Spec {
        beneficiary: args.beneficiary.clone(),
        attackers: args.attacker.clone(),
        from: args.from,
        to,
    };
    let t = match timeline(&world, &refs, &spec, &args.limits.limits()) {
        Ok(t) => t,
        Err(d) => {
            report(&d, &world.sources, DiagFormat::Text);
            return ExitCode::from(2);
        }
    };
    for n in &t.notes {
        eprintln!("warning: {}", crate::text::escape(n));
    }
    let text = match args.format {
        TimelineFormat::Table => table(&t),
        TimelineFormat::Json => {
            crate::text::json_safe(serde_json::to_string_pretty(&t).unwrap_or_default()) + "\n"
        }
        TimelineFormat::Csv => csv(&t),
        TimelineFormat::Svg => to_timeline_svg(&t),
        TimelineFormat::Html => to_timeline_html(&t),
    };
    // Names from a user's knowledge base never reach the terminal raw.
    let for_terminal = matches!(args.format, TimelineFormat::Table | TimelineFormat::Csv);
    super::kb_args::deliver(&world, args.output.as_deref(), &text, for_terminal)
}

/// The changes: at each change point, the states whose level or instruments differ from the
/// previous point (`none` when they owe nothing any more).
fn table(t: &Timeline) -> String {
    let mut rows: Vec<[String; 5]> = Vec::new();
    let mut before: Vec<crate::export::Owed> = Vec::new();
    for p in &t.points {
        let mut states: Vec<&str> = p
            .owed
            .iter()
            .chain(before.iter())
            .map(|o| o.state.as_str())
            .collect();
        states.sort();
        states.dedup();
        let mut any = false;
        for st in states {
            let now = p.owed.iter().find(|o| o.state == st);
            let was = before.iter().find(|o| o.state == st);
            if now == was {
                continue;
            }
            any = true;
            let (level, inst) = now.map_or(("none".to_string(), String::new()), |o| {
                (o.level.clone(), o.instruments.join(" "))
            });
            rows.push([
                p.date.clone(),
                p.attacker.clone(),
                st.to_string(),
                level,
                inst,
            ]);
        }
        if !any {
            rows.push([
                p.date.clone(),
                p.attacker.clone(),
                "-".into(),
                "none".into(),
                String::new(),
            ]);
        }
        before = p.owed.clone();
    }
    let head = ["date", "attacker", "state", "level", "instruments"];
    let mut width = head.map(str::len);
    for r in &rows {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    let line = |s: &mut String, cells: [&str; 5]| {
        let parts: Vec<String> = cells
            .iter()
            .zip(width)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        let _ = writeln!(s, "{}", parts.join("  ").trim_end());
    };
    line(&mut s, head);
    for r in &rows {
        line(&mut s, [&r[0], &r[1], &r[2], &r[3], &r[4]]);
    }
    let _ = writeln!(
        s,
        "({} change points; {} dates evaluated)",
        t.points.len(),
        t.evaluated
    );
    s
}

fn csv(t: &Timeline) -> String {
    let mut w = ::csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record(["date", "attacker", "state", "level", "instruments"]);
    for p in &t.points {
        for o in &p.owed {
            let _ = w.write_record([
                p.date.as_str(),
                p.attacker.as_str(),
                o.state.as_str(),
                o.level.as_str(),
                o.instruments.join(" ").as_str(),
            ]);
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
