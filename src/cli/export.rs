//! `pacta export --format F`: the obligation graph (SPEC §6) of the knowledge base with
//! scenarios, as DOT, GraphML, JSON, Mermaid or a self-contained SVG, on stdout or `-o FILE`.

use super::kb_args::KbArgs;
use super::{DiagFormat, report};
use crate::export::{add_chains, build_graph, to_dot, to_graphml, to_json, to_mermaid, to_svg};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `pacta export`.
#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    /// Output format.
    #[arg(long, value_enum)]
    format: ExportFormat,
    #[command(flatten)]
    kb: KbArgs,
    /// Write to this file instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Leave out the chains (states the acting states' allies would pull in).
    #[arg(long)]
    no_chains: bool,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// Graphviz DOT.
    Dot,
    /// GraphML (XML).
    Graphml,
    /// JSON: nodes, edges, levels.
    Json,
    /// Mermaid flowchart.
    Mermaid,
    /// SVG, laid out by Pacta itself (no Graphviz needed).
    Svg,
}

/// Runs `export`: exit 0, or 2 on bad input.
pub fn run(args: ExportArgs) -> ExitCode {
    let Some(world) = args.kb.open() else {
        return ExitCode::from(2);
    };
    let as_of = world.as_of();
    let limits = world.limits.clone();
    let result = world.build(&[], &[], as_of).and_then(|built| {
        report(&built.warnings, &world.sources, DiagFormat::Text);
        world.evaluate(&built, &limits)
    });
    let model = match result {
        Ok(e) => e.model(),
        Err(d) => {
            report(&d, &world.sources, DiagFormat::Text);
            return ExitCode::from(2);
        }
    };
    let title = if args.kb.scenarios.is_empty() {
        "knowledge base, no scenario".to_string()
    } else {
        let names: Vec<String> = args
            .kb
            .scenarios
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        names.join(", ")
    };
    let mut graph = build_graph(&model, as_of, &title);
    if !args.no_chains
        && let Err(d) = add_chains(&mut graph, &world, &[], &model, as_of, &limits)
    {
        report(&d, &world.sources, DiagFormat::Text);
        return ExitCode::from(2);
    }
    let text = match args.format {
        ExportFormat::Dot => to_dot(&graph),
        ExportFormat::Graphml => to_graphml(&graph),
        ExportFormat::Json => to_json(&graph),
        ExportFormat::Mermaid => to_mermaid(&graph),
        ExportFormat::Svg => to_svg(&graph),
    };
    match &args.output {
        None => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Some(path) => {
            // Every file read (knowledge base and scenarios) is protected from `-o`.
            let inputs: Vec<PathBuf> = world
                .sources
                .files()
                .map(|(_, f)| PathBuf::from(&f.name))
                .collect();
            match crate::files::write_file(path, text.as_bytes(), &inputs) {
                Ok(()) => ExitCode::SUCCESS,
                Err(d) => {
                    report(&[d], &world.sources, DiagFormat::Text);
                    ExitCode::from(2)
                }
            }
        }
    }
}
