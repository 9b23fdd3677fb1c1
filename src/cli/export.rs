//! `pacta export --format F`: the obligation graph (SPEC §6) of the knowledge base with
//! scenarios, as DOT, GraphML, JSON, Mermaid or a self-contained SVG, on stdout or `-o FILE`.

use super::kb_args::KbArgs;
use super::{DiagFormat, report};
use crate::export::{
    Filter, Names, add_chains, build_graph, build_matrix, group, to_dot, to_graphml,
    to_grouped_svg, to_html, to_json, to_matrix_csv, to_matrix_svg, to_mermaid, to_svg,
};
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
    /// Only the obligations of this state and those toward it (every format).
    #[arg(long, value_name = "STATE")]
    focus: Option<String>,
    /// Only obligations and chains at this level or a more automatic one (every format).
    #[arg(long = "min-level", value_name = "LEVEL")]
    min_level: Option<String>,
    /// Only edges under this instrument (attacks stay; every format).
    #[arg(long, value_name = "ID")]
    instrument: Option<String>,
    /// SVG: one box per state, as before grouping (the default groups states that owe the
    /// same beneficiaries the same commitments).
    #[arg(long)]
    ungrouped: bool,
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
    /// SVG, laid out by Pacta itself (no Graphviz needed); grouped unless `--ungrouped`.
    Svg,
    /// SVG matrix: obligors × beneficiaries, coloured by the strongest level.
    Matrix,
    /// The matrix as CSV (a spreadsheet's rows and columns).
    MatrixCsv,
    /// One self-contained interactive HTML page (filters, pan and zoom, clause texts).
    Html,
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
    let filter = Filter {
        focus: args.focus.clone(),
        min_level: args.min_level.clone(),
        instrument: args.instrument.clone(),
    };
    if let Err((msg, hint)) = filter.apply(&mut graph) {
        eprintln!("error: {msg}\n  hint: {hint}");
        return ExitCode::from(2);
    }
    for note in filter_notes(&filter, &graph, &model) {
        eprintln!("note: {note}");
    }
    let names = Names::from_model(&model);
    let text = match args.format {
        ExportFormat::Dot => to_dot(&graph),
        ExportFormat::Graphml => to_graphml(&graph),
        ExportFormat::Json => to_json(&graph),
        ExportFormat::Mermaid => to_mermaid(&graph),
        ExportFormat::Svg if args.ungrouped => to_svg(&graph),
        ExportFormat::Svg => to_grouped_svg(&group(&graph, &names)),
        ExportFormat::Matrix => to_matrix_svg(&build_matrix(&graph)),
        ExportFormat::MatrixCsv => to_matrix_csv(&build_matrix(&graph)),
        ExportFormat::Html => to_html(&group(&graph, &names), &names),
    };
    super::kb_args::deliver(&world, args.output.as_deref(), &text, false)
}

/// Notes for filters that match nothing: a misspelt state or instrument gives an empty picture,
/// and the reader should know why.
fn filter_notes(
    filter: &Filter,
    graph: &crate::export::Graph,
    model: &crate::driver::Model,
) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(i) = &filter.instrument {
        let known = model
            .relations
            .get("instrument")
            .is_some_and(|r| r.iter().any(|t| t[0].to_plain() == *i));
        if !known {
            out.push(format!(
                "`{i}` is not an instrument of the knowledge base (`instrument/2`)"
            ));
        } else if graph.edges.is_empty() {
            out.push(format!("no edge under `{i}` in this picture"));
        }
    }
    if let Some(f) = &filter.focus
        && graph.edges.is_empty()
    {
        out.push(format!("`{f}` has no obligation in this picture"));
    }
    out
}
