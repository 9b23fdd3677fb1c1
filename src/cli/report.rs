//! `pacta report SCENARIO... [--as-of DATE] [-o FILE.md|FILE.html]`: a brief on one scenario
//! for readers who do not use a REPL ([`crate::report`]). Without `-o`, Markdown on stdout
//! (without the graph); `-o FILE.html` is one self-contained page with the graph inline;
//! `-o FILE.md` writes the graph next to it as `FILE.svg` and links it.

use super::kb_args::KbArgs;
use super::{DiagFormat, report};
use crate::report::{gather, html::to_html, markdown::to_markdown};
use crate::scenario::{Scenario, asof_sites, pick_as_of};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `pacta report`.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Scenario files, read together as one scenario (docs/SCENARIOS.md).
    #[arg(required = true, value_name = "SCENARIO")]
    scenarios: Vec<PathBuf>,
    #[command(flatten)]
    kb: KbArgs,
    /// Write the brief here: `.html` (self-contained) or `.md` (with FILE.svg next to it).
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
}

enum Kind {
    Markdown,
    Html,
}

/// Runs `report`: exit 0 with the brief written, 2 on bad input or a failed write.
pub fn run(args: ReportArgs) -> ExitCode {
    let fail = |diags: &[crate::diag::Diagnostic], sources: &crate::syntax::span::SourceMap| {
        report(diags, sources, DiagFormat::Text);
        ExitCode::from(2)
    };
    let kind = match args.output.as_deref().map(extension).as_deref() {
        None | Some("md" | "markdown") => Kind::Markdown,
        Some("html" | "htm") => Kind::Html,
        Some(other) => {
            let d = crate::diag::Diagnostic::error_nowhere(
                crate::diag::Code::InvalidInput,
                format!("`pacta report` writes Markdown or HTML, not `.{other}`"),
            )
            .with_hint("name the output FILE.md or FILE.html");
            return fail(&[d], &crate::syntax::span::SourceMap::new());
        }
    };
    let Some(mut world) = args.kb.open() else {
        return ExitCode::from(2);
    };
    let mut read = Vec::new();
    for p in &args.scenarios {
        match world.read_scenario(p) {
            Ok(s) => read.push(s),
            Err(d) => return fail(&d, &world.sources),
        }
    }
    let refs: Vec<&Scenario> = read.iter().collect();
    // The files' own `@asof` (the last read) unless `--as-of` wins; else the workspace's date.
    let sites = asof_sites(&world.sources, &refs);
    let (as_of, notes) = match (args.kb.as_of, sites.is_empty()) {
        (None, true) => (world.as_of(), Vec::new()),
        (explicit, _) => pick_as_of(explicit, &sites),
    };
    for n in notes {
        eprintln!("{n}");
    }
    let scenario = merge(read);
    let title: Vec<String> = args
        .scenarios
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let limits = world.limits.clone();
    let brief = match gather(&world, &scenario, &title.join(", "), as_of, &limits) {
        Ok(b) => b,
        Err(d) => return fail(&d, &world.sources),
    };
    let inputs: Vec<PathBuf> = world
        .sources
        .files()
        .map(|(_, f)| PathBuf::from(&f.name))
        .collect();
    let Some(path) = &args.output else {
        print!("{}", to_markdown(&brief, None));
        return ExitCode::SUCCESS;
    };
    let written = match kind {
        Kind::Html => crate::files::write_file(path, to_html(&brief).as_bytes(), &inputs),
        Kind::Markdown => {
            let svg = path.with_extension("svg");
            let name = svg
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            crate::files::write_file(&svg, brief.svg.as_bytes(), &inputs).and_then(|()| {
                let text = to_markdown(&brief, Some(&name));
                crate::files::write_file(path, text.as_bytes(), &inputs)
            })
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(d) => fail(&[d], &world.sources),
    }
}

fn extension(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Several scenario files as one: their statements, retractions and expectations in order, the
/// last `@asof`.
fn merge(files: Vec<Scenario>) -> Scenario {
    let mut all = Scenario::default();
    for (n, s) in files.into_iter().enumerate() {
        if n == 0 {
            all.file = s.file;
        }
        all.statements.extend(s.statements);
        all.retracts.extend(s.retracts);
        all.expects.extend(s.expects);
        all.groups.extend(s.groups);
        if s.as_of.is_some() {
            all.as_of = s.as_of;
        }
    }
    all
}
