//! `pacta check FILE...`: parse and analyse only.

use super::{DiagFormat, report};
use crate::check::constants::{mentioned, unknown_in_goal};
use crate::diag::{Code, Diagnostic};
use crate::driver::{load_with, read_source};
use crate::files::pacta_files;
use crate::scenario::parse_scenario;
use crate::syntax::span::SourceMap;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta check`.
#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// Program or scenario files (with `@asof`, `retract`, `expect`, `vary`), or folders of
    /// them (every `.pacta` file inside, recursively).
    #[arg(required = true, value_name = "FILE|DIR")]
    files: Vec<PathBuf>,
    /// Diagnostics format on stderr.
    #[arg(long, value_enum, default_value_t = DiagFormat::Text)]
    format: DiagFormat,
}

/// Runs `check`: exit 2 if any error, else 0 (warnings do not fail). Files are read as
/// scenario files, so the directives of `docs/SCENARIOS.md` are checked too (a file without
/// them is an ordinary program), and folders are walked as `--kb` walks them; all files are
/// checked together as one program.
pub fn run(args: CheckArgs) -> ExitCode {
    let mut sources = SourceMap::new();
    let mut diags = Vec::new();
    for path in &args.files {
        let mut found = Vec::new();
        match pacta_files(path, &mut found) {
            Err(d) => diags.push(d),
            Ok(()) if found.is_empty() => diags.push(
                Diagnostic::error_nowhere(
                    Code::FileNotFound,
                    format!("`{}` has no .pacta files", path.display()),
                )
                .with_hint("give a .pacta file or a folder that holds some"),
            ),
            Ok(()) => {}
        }
        for f in found {
            match read_source(&f) {
                Ok(file) => {
                    sources.add(file);
                }
                Err(d) => diags.push(d),
            }
        }
    }
    let mut expects = Vec::new();
    let loaded = load_with(sources, |id, text| {
        let (scenario, d) = parse_scenario(id, text);
        expects.extend(scenario.expects);
        (scenario.statements, d)
    });
    diags.extend(loaded.diagnostics.iter().cloned());
    // An `expect` naming a symbol that no file mentions can only fail (or, negated, pass)
    // without meaning anything.
    let known = mentioned(&loaded.program.statements);
    for e in &expects {
        diags.extend(unknown_in_goal(&e.rule.body, &known));
    }
    report(&diags, &loaded.sources, args.format);
    if crate::diag::has_errors(&diags) {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    }
}
