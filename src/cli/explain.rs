//! `pacta explain 'FACT'`: for the knowledge base's `obliged`/`strongest`, a summary in plain
//! sentences (duty, trigger, clause, level and the caps that set it, with their texts); the
//! proof of a fact (a tree of minimal height, citing rules and clause texts) with `--full` or
//! for any other fact; or, if it does not hold, why not — on the bundled knowledge base (or
//! `--kb`), with scenario files and an as-of date, like `pacta query`.

use super::LimitArgs;
use super::eval::AmbiguityArg;
use crate::diag::render::render_text;
use crate::explain::{View, render_json, render_text_with};
use crate::repl::Report;
use crate::value::Date;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta explain`.
#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The fact, e.g. 'obliged(germany, poland, assist, north_atlantic_treaty, discretionary)'.
    #[arg(required_unless_present = "needed")]
    fact: Option<String>,
    /// Instead of explaining a fact: the smallest sets of changes to assumable inputs
    /// (rules/assumable.pacta) that make GOAL hold on the date, each verified, e.g.
    /// 'obliged(united_states, ukraine, A, I, L), level_rank(L, N), N <= 2'.
    #[arg(long, value_name = "GOAL", conflicts_with_all = ["fact", "full", "depth"])]
    needed: Option<String>,
    /// With --needed: the largest set of changes tried.
    #[arg(long, value_name = "N", default_value_t = 3, requires = "needed",
          value_parser = clap::value_parser!(u64).range(1..=8))]
    max_changes: u64,
    /// Knowledge-base folders or files instead of the bundled one.
    #[arg(long = "kb", value_name = "DIR")]
    kb: Vec<PathBuf>,
    /// Scenario files whose facts and rules are added (events, assumptions).
    #[arg(long = "scenario", value_name = "FILE")]
    scenarios: Vec<PathBuf>,
    /// Evaluate as of this date (YYYY-MM-DD); wins over a scenario's `@asof`, with a note on
    /// stderr. Default: the scenarios' `@asof` (the last file's), else today.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_date)]
    as_of: Option<Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    /// Show the proof tree (or the rule-by-rule why-not) after the summary.
    #[arg(long)]
    full: bool,
    /// Cut the proof tree below this depth.
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
    /// Defeasible ambiguity variant.
    #[arg(long, value_enum, default_value_t = AmbiguityArg::Blocking)]
    ambiguity: AmbiguityArg,
    #[command(flatten)]
    limits: LimitArgs,
}

/// How the explanation is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// An indented tree.
    Text,
    /// The same structure as JSON.
    Json,
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// Runs `explain`: exit 0 with the explanation (a fact that does not hold is explained too),
/// 2 on bad input.
pub fn run(args: ExplainArgs) -> ExitCode {
    if let Some(goal) = &args.needed {
        return super::needed::run(super::needed::NeededRun {
            goal,
            kb: &args.kb,
            scenarios: &args.scenarios,
            as_of: args.as_of,
            max_changes: args.max_changes as usize,
            format: args.format,
            limits: args.limits.limits(),
        });
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let fail = |r: Report| {
        eprint!("{}", render_text(&r.diagnostics, &r.sources, color));
        ExitCode::from(2)
    };
    let opened = super::query::open_session(&args.kb, &args.limits, args.as_of, args.ambiguity);
    let mut session = match opened {
        Ok(s) => s,
        Err(r) => return fail(r),
    };
    let mut sites = Vec::new();
    for s in &args.scenarios {
        match session.scenario(s) {
            Ok(added) => {
                if !added.warnings.diagnostics.is_empty() {
                    let w = &added.warnings;
                    eprint!("{}", render_text(&w.diagnostics, &w.sources, color));
                }
                sites.extend(added.sites);
            }
            Err(r) => return fail(r),
        }
    }
    // The one precedence rule (docs/SCENARIOS.md): `--as-of` wins over `@asof`, with a note.
    let (as_of, notes) = crate::scenario::pick_as_of(args.as_of, &sites);
    for n in notes {
        eprintln!("{n}");
    }
    session.as_of = Some(as_of);
    let fact = args.fact.as_deref().unwrap_or_default().trim();
    let fact = fact.strip_prefix("?-").unwrap_or(fact);
    match session.explain(fact) {
        Ok(e) => {
            match args.format {
                ExplainFormat::Text => {
                    let view = View {
                        full: args.full || args.depth.is_some(),
                        depth: args.depth,
                    };
                    print!("{}", render_text_with(&e, view))
                }
                ExplainFormat::Json => println!("{}", render_json(&e)),
            }
            ExitCode::SUCCESS
        }
        Err(r) => fail(r),
    }
}
