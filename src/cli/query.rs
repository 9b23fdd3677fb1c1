//! `pacta query 'GOAL'`: answers one goal on the bundled knowledge base (or `--kb` folders),
//! with scenario files added and time-dependent rules evaluated as of a date.

use super::LimitArgs;
use super::eval::AmbiguityArg;
use crate::diag::render::render_text;
use crate::repl::{Answer, Report, Session, answer_table};
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
    /// Scenario files whose facts and rules are added (events, assumptions).
    #[arg(long = "scenario", value_name = "FILE")]
    scenarios: Vec<PathBuf>,
    /// Evaluate as of this date (YYYY-MM-DD); default today.
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

/// Runs `query`: exit 0 with the answers (none is still an answer), 2 on bad input.
pub fn run(args: QueryArgs) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let fail = |r: Report| {
        eprint!("{}", render_text(&r.diagnostics, &r.sources, color));
        ExitCode::from(2)
    };
    let opened = if args.kb.is_empty() {
        Session::bundled()
    } else {
        Session::open(&args.kb)
    };
    let mut session = match opened {
        Ok(s) => s,
        Err(r) => return fail(r),
    };
    session.limits = args.limits.limits();
    session.as_of = Some(args.as_of.unwrap_or_else(Date::today));
    session.ambiguity = match args.ambiguity {
        AmbiguityArg::Blocking => crate::defeasible::Ambiguity::Blocking,
        AmbiguityArg::Propagating => crate::defeasible::Ambiguity::Propagating,
    };
    for s in &args.scenarios {
        if let Err(r) = session.load(s) {
            return fail(r);
        }
    }
    let goal = args.goal.trim();
    let goal = goal.strip_prefix("?-").unwrap_or(goal).trim();
    let goal = goal.strip_suffix('.').unwrap_or(goal);
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
            format!("{}\n", serde_json::Value::Array(rows))
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
