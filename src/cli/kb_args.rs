//! The one flag group of every command that works on a knowledge base (`query`, `explain`,
//! `export`, `whatif`, `repl`): parsed once by `clap` into [`KbArgs`], turned into the
//! library's [`Setup`] (the low-level → high-level step), and opened as a [`Workspace`].

use super::LimitArgs;
use crate::diag::render::render_text;
use crate::value::Date;
use crate::workspace::{Report, Setup, Workspace};
use std::io::IsTerminal;
use std::path::PathBuf;

/// `--kb`, `--scenario`, `--as-of`, `--ambiguity` and the limits.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct KbArgs {
    /// Knowledge-base folders or files instead of the bundled `rules/` and `facts/`.
    #[arg(long = "kb", value_name = "DIR")]
    pub kb: Vec<PathBuf>,
    /// Scenario files added on top of the knowledge base, in order: facts and rules join it,
    /// `retract` removes knowledge-base facts, `@asof` sets the date (docs/SCENARIOS.md).
    #[arg(long = "scenario", value_name = "FILE")]
    pub scenarios: Vec<PathBuf>,
    /// Evaluate as of this date (YYYY-MM-DD). Wins over every `@asof`, with a note on stderr;
    /// default: the last `@asof` read, else today.
    #[arg(long = "as-of", value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<Date>,
    /// How a defeasible knowledge base treats ambiguity.
    #[arg(long, value_enum, default_value_t = AmbiguityArg::Blocking)]
    pub ambiguity: AmbiguityArg,
    /// `--max-facts`, `--timeout`, `--max-memory`.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `--ambiguity blocking|propagating`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum AmbiguityArg {
    /// Ambiguous literals block (the default of defeasible logic).
    #[default]
    Blocking,
    /// Ambiguity propagates to what depends on it.
    Propagating,
}

impl From<AmbiguityArg> for crate::defeasible::Ambiguity {
    fn from(arg: AmbiguityArg) -> Self {
        match arg {
            AmbiguityArg::Blocking => Self::Blocking,
            AmbiguityArg::Propagating => Self::Propagating,
        }
    }
}

/// A `--as-of` value.
pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

impl KbArgs {
    /// What the library needs to open the workspace, with the limits of a one-shot command
    /// (the `--timeout` clock starts now).
    pub fn setup(&self) -> Setup {
        self.setup_with(self.limits.limits())
    }

    /// [`KbArgs::setup`] with the given limits.
    pub fn setup_with(&self, limits: crate::eval::Limits) -> Setup {
        Setup {
            kb: self.kb.clone(),
            scenarios: self.scenarios.clone(),
            as_of: self.as_of,
            limits,
            ambiguity: self.ambiguity.into(),
        }
    }

    /// Opens the workspace, printing the warnings and notes of the set-up on stderr; on
    /// error, prints it and returns `None` (exit 2).
    pub fn open(&self) -> Option<Workspace> {
        open(&self.setup())
    }
}

/// Opens a workspace for a command (see [`KbArgs::open`]).
pub(crate) fn open(setup: &Setup) -> Option<Workspace> {
    match Workspace::setup(setup) {
        Ok(opened) => {
            print_report(&opened.workspace.report(opened.warnings));
            for n in opened.notes {
                eprintln!("{n}");
            }
            Some(opened.workspace)
        }
        Err(r) => {
            print_report(&r);
            None
        }
    }
}

/// Prints a report's diagnostics as text on stderr (colour on a terminal, not with NO_COLOR).
pub(crate) fn print_report(r: &Report) {
    if r.diagnostics.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render_text(&r.diagnostics, &r.sources, color));
}

/// Prints a command's `text` on stdout, or writes it to `output` through the workspace (never
/// over a file it read; a temporary file renamed into place). `escape`: text for a terminal,
/// where names from a user's knowledge base must not arrive raw. Exit 0, or 2 if the write
/// fails.
pub(crate) fn deliver(
    workspace: &Workspace,
    output: Option<&std::path::Path>,
    text: &str,
    escape: bool,
) -> std::process::ExitCode {
    match output {
        None if escape => print!("{}", crate::text::escape_lines(text)),
        None => print!("{text}"),
        Some(path) => {
            if let Err(r) = workspace.write(path, text, &workspace.inputs()) {
                print_report(&r);
                return std::process::ExitCode::from(2);
            }
        }
    }
    std::process::ExitCode::SUCCESS
}
