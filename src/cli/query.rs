//! `pacta query 'GOAL'`: answers one goal on the bundled knowledge base (or `--kb` folders),
//! with scenario files added and time-dependent rules evaluated as of a date.

use super::kb_args::{KbArgs, print_report};
use crate::repl::answer_table;
use crate::workspace::Answer;
use std::process::ExitCode;

/// Arguments of `pacta query`.
#[derive(clap::Args, Debug)]
pub struct QueryArgs {
    /// The goal, e.g. 'obliged(S, poland, A, I, L)' (a trailing `.` and a leading `?-` are fine).
    goal: String,
    #[command(flatten)]
    kb: KbArgs,
    /// Answer format.
    #[arg(long, value_enum, default_value_t = QueryFormat::Table)]
    format: QueryFormat,
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

/// Runs `query`: exit 0 with the answers (none is still an answer), 2 on bad input.
pub fn run(args: QueryArgs) -> ExitCode {
    let Some(mut workspace) = args.kb.open() else {
        return ExitCode::from(2);
    };
    for layer in workspace.layers() {
        let (e, v) = (layer.scenario.expects.len(), layer.scenario.groups.len());
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
                crate::text::escape(&workspace.sources.get(layer.scenario.file).name)
            );
        }
    }
    // The goal as typed (`?-` and a final `.` allowed): diagnostics quote it at its columns.
    match workspace.ask(&args.goal) {
        Ok((answer, warnings)) => {
            print_report(&warnings);
            print!("{}", format_answer(&answer, args.format));
            ExitCode::SUCCESS
        }
        Err(r) => {
            print_report(&r);
            ExitCode::from(2)
        }
    }
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
