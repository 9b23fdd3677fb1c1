//! Text formats: DOT (Graphviz), GraphML (yEd, Gephi, networkx), Mermaid (Markdown) and JSON.
//! Each carries the same nodes, edges, levels and highlights; styling follows `level_style`.

use super::graph::{Edge, EdgeKind, Graph};
use super::{ALERT_COLOR, ATTACK_COLOR, CHAIN_COLOR, CYCLE_COLOR, HOLLOW_COLOR, level_style};
use std::fmt::Write as _;

use super::escape::{dot as dq, mermaid};

/// Colour, width and dash of an edge in every format.
pub(super) fn edge_style(e: &Edge) -> (&'static str, f32, &'static str) {
    match e.kind {
        EdgeKind::Obligation => level_style(e.rank),
        EdgeKind::Chain => (CHAIN_COLOR, 1.6, "8 3 2 3"),
        EdgeKind::Hollow => (HOLLOW_COLOR, 1.8, "5 4"),
        EdgeKind::Attack => (ATTACK_COLOR, 3.0, ""),
    }
}

/// Graphviz DOT, left to right, with a legend cluster.
pub fn to_dot(g: &Graph) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "digraph pacta {{");
    let _ = writeln!(
        s,
        "  rankdir=LR; label={}; labelloc=t; fontname=\"Helvetica\";",
        dq(&format!("{} — as of {}", g.title, g.as_of))
    );
    let _ = writeln!(
        s,
        "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f7f7f7\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];"
    );
    for n in &g.nodes {
        let mut attrs = vec![format!("tooltip={}", dq(&n.tooltip()))];
        if n.unprotected || !n.conflicts.is_empty() {
            attrs.push(format!("color=\"{ALERT_COLOR}\", penwidth=3"));
        }
        if n.in_cycle {
            attrs.push(format!("fillcolor=\"{CYCLE_COLOR}\""));
        } else if n.aggressor {
            attrs.push("fillcolor=\"#bdbdbd\"".into());
        } else if n.victim {
            attrs.push("fillcolor=\"#fddbc7\"".into());
        }
        let _ = writeln!(s, "  {} [{}];", dq(&n.id), attrs.join(", "));
    }
    for e in &g.edges {
        let (color, width, dash) = edge_style(e);
        let style = if dash.is_empty() { "solid" } else { "dashed" };
        let _ = writeln!(
            s,
            "  {} -> {} [label={}, color=\"{color}\", penwidth={width}, style={style}, tooltip={}];",
            dq(&e.from),
            dq(&e.to),
            dq(&e.label()),
            dq(&e.tooltip())
        );
    }
    // Legend: one invisible pair of nodes per style.
    let _ = writeln!(
        s,
        "  subgraph cluster_legend {{ label=\"legend\"; fontsize=10; node [shape=plaintext, style=\"\"];"
    );
    for (i, (name, color, dash)) in legend(g).into_iter().enumerate() {
        let style = if dash.is_empty() { "solid" } else { "dashed" };
        let _ = writeln!(
            s,
            "    l{i}a [label=\"\"]; l{i}b [label={}]; l{i}a -> l{i}b [color=\"{color}\", style={style}];",
            dq(&name)
        );
    }
    let _ = writeln!(s, "  }}\n}}");
    s
}

/// The legend's entries: name, colour, dash.
pub(super) fn legend(g: &Graph) -> Vec<(String, &'static str, &'static str)> {
    let mut out: Vec<(String, &'static str, &'static str)> = g
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (c, _, d) = level_style(i + 1);
            (format!("obliged: {l}"), c, d)
        })
        .collect();
    out.push(("hollow commitment".into(), HOLLOW_COLOR, "5 4"));
    out.push((
        "chain: obliged if the acting state is attacked in turn".into(),
        CHAIN_COLOR,
        "8 3 2 3",
    ));
    out.push(("attack".into(), ATTACK_COLOR, ""));
    out
}

pub(super) use super::escape::xml;

/// GraphML with typed data keys for every attribute.
pub fn to_graphml(g: &Graph) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n",
    );
    for (id, on, ty) in [
        ("victim", "node", "boolean"),
        ("aggressor", "node", "boolean"),
        ("unprotected", "node", "boolean"),
        ("conflicts", "node", "string"),
        ("in_cycle", "node", "boolean"),
        ("kind", "edge", "string"),
        ("instrument", "edge", "string"),
        ("level", "edge", "string"),
        ("rank", "edge", "int"),
        ("action", "edge", "string"),
        ("edge_in_cycle", "edge", "boolean"),
        ("evidence", "edge", "string"),
    ] {
        let _ = writeln!(
            s,
            "  <key id=\"{id}\" for=\"{on}\" attr.name=\"{id}\" attr.type=\"{ty}\"/>"
        );
    }
    let _ = writeln!(
        s,
        "  <graph id=\"pacta\" edgedefault=\"directed\">\n    <desc>{} — as of {}</desc>",
        xml(&g.title),
        g.as_of
    );
    for n in &g.nodes {
        let _ = writeln!(
            s,
            "    <node id=\"{}\"><data key=\"victim\">{}</data><data key=\"aggressor\">{}</data><data key=\"unprotected\">{}</data><data key=\"conflicts\">{}</data><data key=\"in_cycle\">{}</data></node>",
            xml(&n.id),
            n.victim,
            n.aggressor,
            n.unprotected,
            xml(&n.conflicts.join("; ")),
            n.in_cycle
        );
    }
    for (i, e) in g.edges.iter().enumerate() {
        let kind = serde_json::to_value(&e.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\"><data key=\"kind\">{kind}</data><data key=\"instrument\">{}</data><data key=\"level\">{}</data><data key=\"rank\">{}</data><data key=\"action\">{}</data><data key=\"edge_in_cycle\">{}</data><data key=\"evidence\">{}</data></edge>",
            xml(&e.from),
            xml(&e.to),
            xml(&e.instrument),
            xml(&e.level),
            e.rank,
            xml(&e.action),
            e.in_cycle,
            xml(&e.evidence.join("\n"))
        );
    }
    s.push_str("  </graph>\n</graphml>\n");
    s
}

/// Mermaid flowchart (renders in GitHub Markdown): link styles by level.
pub fn to_mermaid(g: &Graph) -> String {
    let mut s = String::from("flowchart LR\n");
    // Node ids by position: names from the data may hold characters Mermaid ids cannot.
    let index: std::collections::BTreeMap<&str, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    let id = |name: &str| format!("n{}", index.get(name).copied().unwrap_or(0));
    for n in &g.nodes {
        let _ = writeln!(s, "  {}[\"{}\"]", id(&n.id), mermaid(&n.id));
    }
    for (i, e) in g.edges.iter().enumerate() {
        let arrow = match e.kind {
            EdgeKind::Attack => "==>",
            EdgeKind::Obligation if e.rank <= 2 => "-->",
            _ => "-.->",
        };
        let label = mermaid(&e.label());
        let _ = writeln!(s, "  {} {arrow}|\"{label}\"| {}", id(&e.from), id(&e.to));
        let (color, width, _) = edge_style(e);
        let _ = writeln!(s, "  linkStyle {i} stroke:{color},stroke-width:{width}px");
    }
    let _ = writeln!(
        s,
        "  classDef alert stroke:{ALERT_COLOR},stroke-width:3px\n  classDef cycle fill:{CYCLE_COLOR}"
    );
    for n in &g.nodes {
        if n.unprotected || !n.conflicts.is_empty() {
            let _ = writeln!(s, "  class {} alert", id(&n.id));
        } else if n.in_cycle {
            let _ = writeln!(s, "  class {} cycle", id(&n.id));
        }
    }
    s
}

/// The graph as JSON (via `serde`).
pub fn to_json(g: &Graph) -> String {
    crate::text::json_safe(serde_json::to_string_pretty(g).unwrap_or_default()) + "\n"
}
