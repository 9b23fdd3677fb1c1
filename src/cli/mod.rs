//! The command line (SPEC §2): flags are parsed by `clap`, then each command module turns
//! files into answers through `driver` and prints them. Only this module prints.
//!
//! Exit codes: 0 success, 1 a failed expectation, 2 bad input or usage — so scripts can tell
//! "the program is wrong" from "the answer is no".

mod check;
mod conclusions;
mod eval;
mod explain;
mod export;
pub mod kb_args;
mod needed;
mod output;
mod query;
mod report;
mod timeline;
mod whatif;

use crate::diag::Diagnostic;
use crate::diag::render::{render_json, render_text};
use crate::syntax::span::SourceMap;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Pacta: which states are bound to act, how automatically, and where commitments are hollow.
#[derive(Parser, Debug)]
#[command(name = "pacta", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Evaluate standalone programs and print every relation (or the named ones).
    Eval(eval::EvalArgs),
    /// Parse and analyse programs; print diagnostics only.
    Check(check::CheckArgs),
    /// Interactive session on the bundled knowledge base (the default command).
    Repl(ReplArgs),
    /// Answer one goal on the bundled knowledge base (or --kb), with scenarios and --as-of.
    Query(query::QueryArgs),
    /// Run scenario files: what changed against the knowledge base, and their expectations.
    Whatif(whatif::WhatifArgs),
    /// Export the obligation graph as DOT, GraphML, JSON, Mermaid or SVG.
    Export(export::ExportArgs),
    /// What each state would owe a beneficiary if attacked, at every change over a date range.
    Timeline(timeline::TimelineArgs),
    /// Explain a fact: its proof with rules and clause texts, or why it does not hold.
    Explain(explain::ExplainArgs),
    /// Write a brief on one scenario (Markdown or self-contained HTML): who must act, why.
    Report(report::ReportArgs),
}

/// Arguments of `pacta repl`.
#[derive(clap::Args, Debug, Default)]
struct ReplArgs {
    #[command(flatten)]
    kb: kb_args::KbArgs,
}

/// How diagnostics are printed on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiagFormat {
    /// Human-readable, with the source line and a caret.
    Text,
    /// One JSON object `{"errors": [...], "warnings": [...]}` (SPEC §3.2).
    Json,
}

/// Limits shared by every evaluating command.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Stop with an error when more than N facts exist (off unless given).
    #[arg(long, value_name = "N")]
    pub max_facts: Option<usize>,
    /// Stop with an error after this many seconds, for the whole command (in the REPL: for
    /// each line, 60 s unless given; elsewhere no limit unless given).
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<f64>,
    /// Stop with an error when the process would hold more memory than SIZE: bytes, 512M, 4G,
    /// or a share of physical memory such as 50% (default 75% of physical memory).
    #[arg(long, value_name = "SIZE", value_parser = crate::eval::limits::parse_memory)]
    pub max_memory: Option<usize>,
}

impl LimitArgs {
    /// The engine's limits for a one-shot command: the `--timeout` clock starts now and covers
    /// every evaluation the command makes.
    pub fn limits(&self) -> crate::eval::Limits {
        self.unarmed(None).armed()
    }

    /// The limits with `default_timeout` when `--timeout` is not given, the clock not started.
    fn unarmed(&self, default_timeout: Option<f64>) -> crate::eval::Limits {
        let timeout = self.timeout.or(default_timeout);
        crate::eval::Limits {
            max_facts: self.max_facts,
            timeout: timeout.and_then(|t| std::time::Duration::try_from_secs_f64(t.max(0.0)).ok()),
            deadline: None,
            max_memory: self
                .max_memory
                .or_else(crate::eval::limits::default_memory_budget),
            cancel: INTERRUPTED.get().cloned(),
        }
    }
}

/// Set by the first Ctrl-C (SIGINT) of a one-shot command: evaluation stops cooperatively with
/// a `cancelled` error (exit 2); a second Ctrl-C ends the process at once (exit 130). The REPL
/// installs its own handler instead, so this stays unset there.
static INTERRUPTED: std::sync::OnceLock<std::sync::Arc<std::sync::atomic::AtomicBool>> =
    std::sync::OnceLock::new();

/// Installs the Ctrl-C handler of one-shot commands (see [`INTERRUPTED`]).
fn catch_interrupts() {
    use std::sync::atomic::Ordering;
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let set = std::sync::Arc::clone(&flag);
    let installed = ctrlc::set_handler(move || {
        if set.swap(true, Ordering::SeqCst) {
            std::process::exit(130);
        }
    });
    if installed.is_ok() {
        let _ = INTERRUPTED.set(flag);
    }
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    if !matches!(
        cli.command,
        None | Some(Command::Repl(_)) | Some(Command::Check(_))
    ) {
        catch_interrupts();
    }
    match cli.command {
        Some(Command::Eval(args)) => eval::run(args),
        Some(Command::Check(args)) => check::run(args),
        Some(Command::Repl(args)) => repl(args),
        Some(Command::Query(args)) => query::run(args),
        Some(Command::Whatif(args)) => whatif::run(args),
        Some(Command::Export(args)) => export::run(args),
        Some(Command::Timeline(args)) => timeline::run(args),
        Some(Command::Explain(args)) => explain::run(args),
        Some(Command::Report(args)) => report::run(args),
        None => repl(ReplArgs::default()),
    }
}

fn repl(args: ReplArgs) -> ExitCode {
    // A person waits at the REPL: each line gets a time budget by default (see `repl::run`).
    let limits = args.kb.limits.unarmed(Some(REPL_TIMEOUT));
    match kb_args::open(&args.kb.setup_with(limits)) {
        Some(workspace) => crate::repl::run(workspace),
        None => ExitCode::from(2),
    }
}

/// Default `--timeout` of the REPL, in seconds, for each line.
const REPL_TIMEOUT: f64 = 60.0;

/// Prints diagnostics on stderr in the chosen format. JSON is printed even when empty, so
/// machines always get one object.
pub(crate) fn report(diags: &[Diagnostic], sources: &SourceMap, format: DiagFormat) {
    match format {
        DiagFormat::Json => eprintln!("{}", render_json(diags, sources)),
        DiagFormat::Text if diags.is_empty() => {}
        DiagFormat::Text => {
            let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            eprint!("{}", render_text(diags, sources, color));
        }
    }
}
