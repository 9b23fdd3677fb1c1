//! Graph exports (SPEC §6): who is bound to whom, as DOT, GraphML, JSON, Mermaid or a
//! self-contained SVG.
//!
//! The graph is built from an evaluated model's query vocabulary (SPEC §4: `obliged`,
//! `hollow`, `conflict`, `unprotected`, `victim`, and `clause` for the evidence), so the writers
//! know nothing about treaties either: they draw nodes and styled edges.
//!
//! - `graph.rs`: model → [`Graph`] (nodes, edges, levels, highlights, cycles via `petgraph`).
//! - `chains.rs`: which further states the acting states' own allies would pull in.
//! - `text.rs`: DOT, GraphML, Mermaid and JSON writers.
//! - `escape.rs`: data made safe for each format (well-formed XML for any string, no HTML in
//!   Mermaid, Graphviz escapes kept literal).
//! - `layout.rs`: a layered layout (longest-path layers, barycentre ordering).
//! - `svg.rs`: the SVG writer (tooltips with instrument, level and clause text; a legend).
//! - `filter.rs`: `--focus`, `--min-level`, `--instrument`, for every format.
//! - `names.rs`: short instrument titles and article references for the drawings.
//! - `group.rs` + `grouped_svg.rs`: the default picture, states with the same commitments as
//!   one node.
//! - `html.rs`: the interactive page (the grouped SVG, filters in the URL fragment, clause
//!   texts on click), self-contained.
//! - `timeline.rs` + `timeline_svg.rs`: what each state would owe a beneficiary over a date
//!   range, evaluated at every date the data mentions (in parallel); `timeline_html.rs` the
//!   page with a date slider over its change points.
//! - `matrix.rs` + `matrix_svg.rs`: obligors × beneficiaries, ordered into blocks (SVG, CSV).

mod chains;
pub(crate) mod escape;
mod filter;
mod graph;
mod group;
mod grouped_svg;
mod html;
mod layout;
mod matrix;
mod matrix_svg;
mod names;
mod svg;
mod text;
mod timeline;
mod timeline_html;
mod timeline_svg;

pub use chains::add_chains;
pub use filter::Filter;
pub use graph::{Edge, EdgeKind, Graph, Node, build_graph};
pub use group::{GEdge, GNode, Grouped, group};
pub use grouped_svg::to_grouped_svg;
pub use html::to_html;
pub use matrix::{Cell, Matrix, build_matrix, to_matrix_csv};
pub use matrix_svg::to_matrix_svg;
pub use names::Names;
pub use svg::to_svg;
pub use text::{to_dot, to_graphml, to_json, to_mermaid};
pub use timeline::{Attacker, Owed, Point, Spec, Timeline, candidate_dates, owed_in, timeline};
pub use timeline_html::to_timeline_html;
pub use timeline_svg::to_timeline_svg;

/// The visual style of a level's rank (1 = most automatic): stroke colour, width, dash.
pub fn level_style(rank: usize) -> (&'static str, f32, &'static str) {
    match rank {
        1 => ("#b2182b", 3.0, ""),
        2 => ("#e08214", 2.2, ""),
        3 => ("#2166ac", 1.6, "6 3"),
        4 => ("#5e8c31", 1.4, "2 3"),
        _ => ("#8c8c8c", 1.2, "1 3"),
    }
}

/// Style of the other edge kinds.
pub const HOLLOW_COLOR: &str = "#7b3294";
/// Chains: obligations that would follow if the acting states were attacked in turn.
pub const CHAIN_COLOR: &str = "#1b9e77";
/// Attacks.
pub const ATTACK_COLOR: &str = "#111111";
/// Conflicts and unprotected victims.
pub const ALERT_COLOR: &str = "#d7191c";
/// Cycles (strongly connected components).
pub const CYCLE_COLOR: &str = "#fdb863";
