//! `pacta query 'GOAL'`: answers one goal on the bundled knowledge base (or `--kb` folders),
//! with scenario files added and time-dependent rules evaluated as of a date.

use super::LimitArgs;
use super::eval::AmbiguityArg;
use crate::diag::render::render_text;
use crate::repl::{Answer, Report, Session, answer_table};
use crate::scenario::{Scenario, World, asof_sites, pick_as_of, uses_directives};
use crate::value::Date;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta query`.
#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// The goal, e.g. 'obliged(S, poland, A, I, L)' (a trailing `.` and a leading `?-` are fine).
    goal: String,
    /// Knowledge-base folders or files instead of the bundled one.
    #[arg(long = "kb", value_name = "DIR")]
    kb: Vec<PathBuf>,
    /// Scenario files: their facts and rules are added, `retract` removes facts, `@asof` sets
    /// the date; `expect` and `vary` are not checked here (use `pacta whatif`).
    #[arg(long = "scenario", value_name = "FILE")]
    scenarios: Vec<PathBuf>,
    /// Evaluate as of this date (YYYY-MM-DD); wins over a scenario's `@asof`, with a note on
    /// stderr. Default: the scenarios' `@asof` (the last file's), else today.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Answer format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    format: QueryFormat,
    /// Defeasible ambiguity variant.
    #[arg(long, value_enum, default_value_t = AmbiguityArg::Blocking)]
    ambiguity: AmbiguityArg,
    #[command(flatten)]
    limits: LimitArgs,
}

/// How answers are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum QueryFormat {
    /// Aligned columns (`yes`/`no` for a ground goal).
    Table,
    /// An array of objects, variable → value (`[{}]` / `[]` for a ground goal).
    Json,
    /// A header of variable names, then one line per answer.
    Csv,
}

/// A `--as-of` value.
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// The session `query` and `explain` answer in: the bundled knowledge base (or `--kb`), with
/// the limits, the date (default today) and the ambiguity regime asked for.
pub(super) fn open_session(
    kb: &[PathBuf],
    limits: &LimitArgs,
    as_of: Option<Date>,
    ambiguity: AmbiguityArg,
) -> Result<Session, Report> {
    let mut session = if kb.is_empty() {
        Session::bundled()
    } else {
        Session::open(kb)
    }?;
    session.limits = limits.limits();
    session.as_of = Some(as_of.unwrap_or_else(Date::today));
    session.ambiguity = ambiguity.into();
    Ok(session)
}

/// Runs `query`: exit 0 with the answers (none is still an answer), 2 on bad input.
pub fn run(args: QueryArgs) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let fail = |r: Report| {
        eprint!("{}", render_text(&r.diagnostics, &r.sources, color));
        ExitCode::from(2)
    };
    // The goal as typed (`?-` and a final `.` allowed): diagnostics quote it at its columns.
    let goal = args.goal.as_str();
    if has_directives(&args.scenarios) {
        return run_with_directives(&args, goal, color);
    }
    let mut session = match open_session(&args.kb, &args.limits, args.as_of, args.ambiguity) {
        Ok(s) => s,
        Err(r) => return fail(r),
    };
    for s in &args.scenarios {
        match session.load(s) {
            Err(r) => return fail(r),
            Ok(added) if !added.warnings.diagnostics.is_empty() => eprint!(
                "{}",
                render_text(&added.warnings.diagnostics, &added.warnings.sources, color)
            ),
            Ok(_) => {}
        }
    }
    match session.query(goal) {
        Ok((answer, warnings)) => {
            if !warnings.diagnostics.is_empty() {
                eprint!(
                    "{}",
                    render_text(&warnings.diagnostics, &warnings.sources, color)
                );
            }
            print!("{}", format_answer(&answer, args.format));
            ExitCode::SUCCESS
        }
        Err(r) => fail(r),
    }
}

/// Whether any scenario file uses directives (`@asof`, `retract`, `expect`, `vary`). Files
/// without them are loaded into a REPL session as plain program text, which also serves
/// defeasible knowledge bases; files with them go through [`World`], which applies
/// retractions. (An unreadable file is left to the chosen path to report.)
fn has_directives(paths: &[PathBuf]) -> bool {
    paths.iter().any(|p| {
        let Ok(file) = crate::driver::read_source(p) else {
            return false;
        };
        uses_directives(&file.text)
    })
}

/// `query` with scenario files that use directives: facts and rules added, retractions and
/// `@asof` applied (`--as-of` wins), expectations and `vary` groups noted on stderr and
/// otherwise ignored.
fn run_with_directives(args: &QueryArgs, goal: &str, color: bool) -> ExitCode {
    let fail = |d: &[crate::diag::Diagnostic], sources: &crate::syntax::span::SourceMap| {
        eprint!("{}", render_text(d, sources, color));
        ExitCode::from(2)
    };
    let mut world = match World::open(&args.kb) {
        Ok(w) => w,
        Err((d, sources)) => return fail(&d, &sources),
    };
    let mut scenarios = Vec::new();
    for p in &args.scenarios {
        match world.read_scenario(p) {
            Ok(s) => scenarios.push(s),
            Err(d) => return fail(&d, &world.sources),
        }
    }
    let refs: Vec<&Scenario> = scenarios.iter().collect();
    let (as_of, notes) = pick_as_of(args.as_of, &asof_sites(&world.sources, &refs));
    for n in notes {
        eprintln!("{n}");
    }
    let answered = match world.query(&refs, goal, as_of, &args.limits.limits()) {
        Ok(a) => a,
        Err(d) => return fail(&d, &world.sources),
    };
    if !answered.warnings.is_empty() {
        eprint!("{}", render_text(&answered.warnings, &world.sources, color));
    }
    for (s, path) in scenarios.iter().zip(&args.scenarios) {
        let (e, v) = (s.expects.len(), s.groups.len());
        if e + v > 0 {
            let what = match (e, v) {
                (e, 0) => plural(e, "`expect` statement"),
                (0, v) => plural(v, "`vary` group"),
                (e, v) => format!(
                    "{} and {}",
                    plural(e, "`expect` statement"),
                    plural(v, "`vary` group")
                ),
            };
            eprintln!(
                "note: {}: {what} not used by `pacta query`; `pacta whatif` checks them",
                path.display()
            );
        }
    }
    let answer = Answer {
        vars: answered.vars,
        rows: answered.rows,
    };
    print!("{}", format_answer(&answer, args.format));
    ExitCode::SUCCESS
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn format_answer(answer: &Answer, format: QueryFormat) -> String {
    match format {
        QueryFormat::Table => answer_table(answer),
        QueryFormat::Json => {
            let rows: Vec<serde_json::Value> = answer
                .rows
                .iter()
                .map(|row| {
                    let obj = answer
                        .vars
                        .iter()
                        .zip(row)
                        .map(|(v, c)| (v.clone(), c.to_json()))
                        .collect();
                    serde_json::Value::Object(obj)
                })
                .collect();
            let json = serde_json::Value::Array(rows).to_string();
            format!("{}\n", crate::text::json_safe(json))
        }
        QueryFormat::Csv => {
            let mut w = csv::WriterBuilder::new()
                .flexible(true)
                .from_writer(Vec::new());
            if answer.vars.is_empty() {
                let _ = w.write_record([if answer.rows.is_empty() { "no" } else { "yes" }]);
            } else {
                let _ = w.write_record(&answer.vars);
                for row in &answer.rows {
                    let _ = w.write_record(row.iter().map(|c| c.to_plain()));
                }
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
    }
}
