//! `pacta explain 'FACT'`: for the knowledge base's `obliged`/`strongest`, a summary in plain
//! sentences (duty, trigger, clause, level and the caps that set it, with their texts); the
//! proof of a fact (a tree of minimal height, citing rules and clause texts) with `--full` or
//! for any other fact; or, if it does not hold, why not — on the bundled knowledge base (or
//! `--kb`), with scenario files and an as-of date, like `pacta query`.

use super::kb_args::{KbArgs, print_report};
use crate::explain::{View, render_json, render_text_with};
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
    #[command(flatten)]
    kb: KbArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    format: ExplainFormat,
    /// Show the proof tree (or the rule-by-rule why-not) after the summary.
    #[arg(long)]
    full: bool,
    /// Cut the proof tree below this depth.
    #[arg(long, value_name = "N")]
    depth: Option<usize>,
}

/// How the explanation is printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExplainFormat {
    /// An indented tree.
    Text,
    /// The same structure as JSON.
    Json,
}

/// Runs `explain`: exit 0 with the explanation (a fact that does not hold is explained too),
/// 2 on bad input.
pub fn run(args: ExplainArgs) -> ExitCode {
    if let Some(goal) = &args.needed {
        return super::needed::run(super::needed::NeededRun {
            goal,
            kb: &args.kb.kb,
            scenarios: &args.kb.scenarios,
            as_of: args.kb.as_of,
            max_changes: args.max_changes as usize,
            json: args.format == ExplainFormat::Json,
            limits: args.kb.limits.limits(),
        });
    }
    let Some(workspace) = args.kb.open() else {
        return ExitCode::from(2);
    };
    let fact = args.fact.as_deref().unwrap_or_default().trim();
    let fact = fact.strip_prefix("?-").unwrap_or(fact);
    match workspace.explain(fact) {
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
        Err(r) => {
            print_report(&r);
            ExitCode::from(2)
        }
    }
}
