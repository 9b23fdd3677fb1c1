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
    fact: String,
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
    let Some(workspace) = args.kb.open() else {
        return ExitCode::from(2);
    };
    let fact = args.fact.trim();
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
