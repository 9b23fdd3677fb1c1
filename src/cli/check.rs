//! `pacta check FILE...`: parse and analyse only.

use super::{DiagFormat, report};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Program files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Diagnostics format on stderr.
    #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
    format: DiagFormat,
}

/// Runs `check`: exit 2 if any error, else 0 (warnings do not fail).
pub fn run(args: CheckArgs) -> ExitCode {
    let (loaded, mut diags) = super::eval::load_files(&args.files);
    diags.extend(loaded.diagnostics.iter().cloned());
    report(&diags, &loaded.sources, args.format);
    if crate::diag::has_errors(&diags) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
