//! A self-contained SVG: the layered layout, edges styled by level, highlighted nodes, a
//! legend, and a `<title>` tooltip on every node and edge with the instrument, the level and
//! the clause text, so a reader hovering in a browser sees the evidence.

use super::graph::{EdgeKind, Graph};
use super::layout::{Input, LINE, layout};
use super::text::{edge_style, legend, xml};
use super::{ALERT_COLOR, CYCLE_COLOR};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const STYLE: &str = "text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}\
.t{font-size:15px;font-weight:bold}.n{font-size:13px}.l{font-size:11px;paint-order:stroke;\
stroke:#fff;stroke-width:3px;stroke-linejoin:round}.g{font-size:11px}\
g.edge:hover path{stroke-width:4px}g.node:hover rect{stroke-width:3px}";

/// Top of the graph part (below the title).
const TOP: f32 = 44.0;

/// Draws the graph.
pub fn to_svg(g: &Graph) -> String {
    let index: BTreeMap<&str, usize> = g
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i))
        .collect();
    // One drawn path per (from, to, kind); its lines are the edges' labels.
    let mut bundles: BTreeMap<(usize, usize, EdgeKind), Vec<usize>> = BTreeMap::new();
    for (i, e) in g.edges.iter().enumerate() {
        let key = (index[e.from.as_str()], index[e.to.as_str()], e.kind.clone());
        bundles.entry(key).or_default().push(i);
    }
    let bundles: Vec<((usize, usize, EdgeKind), Vec<usize>)> = bundles.into_iter().collect();
    let input = Input {
        nodes: g.nodes.iter().map(|n| n.id.chars().count()).collect(),
        min_h: Vec::new(),
        bundles: bundles
            .iter()
            .map(|((a, b, _), es)| {
                let widths = es.iter().map(|&i| g.edges[i].label().chars().count());
                (*a, *b, widths.collect())
            })
            .collect(),
    };
    let lay = layout(&input, TOP);
    let entries = legend(g);
    let title = format!("Obligations as of {} — {}", g.as_of, g.title);
    let legend_h = 28.0 + (entries.len() as f32 + 4.0) * 16.0;
    let width = lay
        .size
        .0
        .max(title.chars().count() as f32 * 9.2 + 24.0)
        .max(460.0);
    let height = lay.size.1 + legend_h;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">"
    );
    let _ = writeln!(s, "<title>{}</title>\n<style>{STYLE}</style>", xml(&title));
    // One arrowhead per colour.
    let mut colors: Vec<&str> = g.edges.iter().map(|e| edge_style(e).0).collect();
    colors.sort();
    colors.dedup();
    s.push_str("<defs>");
    for c in &colors {
        let _ = write!(
            s,
            "<marker id=\"a{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"{c}\"/></marker>",
            &c[1..]
        );
    }
    s.push_str("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    let _ = writeln!(
        s,
        "<text class=\"t\" x=\"12\" y=\"26\">{}</text>",
        xml(&title)
    );
    for (b, ((_, _, _), es)) in bundles.iter().enumerate() {
        let p = &lay.bundles[b];
        // The most automatic (or the attack) edge gives the path its style.
        let main = es
            .iter()
            .copied()
            .min_by_key(|&i| g.edges[i].rank)
            .unwrap_or(es[0]);
        let (color, width, dash) = edge_style(&g.edges[main]);
        let tip: Vec<String> = es.iter().map(|&i| g.edges[i].tooltip()).collect();
        let _ = write!(
            s,
            "<g class=\"edge\"><title>{}</title>",
            xml(&tip.join("\n\n"))
        );
        if es.iter().any(|&i| g.edges[i].in_cycle) {
            let _ = write!(
                s,
                "<path d=\"{}\" fill=\"none\" stroke=\"{CYCLE_COLOR}\" stroke-width=\"{:.1}\" opacity=\"0.7\"/>",
                path_d(&p.path),
                width + 5.0
            );
        }
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = write!(
            s,
            "<path d=\"{}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"{dash} marker-end=\"url(#a{})\"/>",
            path_d(&p.path),
            &color[1..]
        );
        for (k, &i) in es.iter().enumerate() {
            let e = &g.edges[i];
            let (c, _, _) = edge_style(e);
            let y = p.label.1 + LINE * (k as f32 + 1.0) - 3.0;
            let _ = write!(
                s,
                "<text class=\"l\" x=\"{:.1}\" y=\"{y:.1}\" fill=\"{c}\">{}</text>",
                p.label.0,
                xml(&e.label())
            );
        }
        s.push_str("</g>\n");
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let r = lay.nodes[i];
        let fill = if n.in_cycle {
            CYCLE_COLOR
        } else if n.aggressor {
            "#d9d9d9"
        } else if n.victim {
            "#fddbc7"
        } else if n.chain_only {
            "#e5f5f0"
        } else {
            "#f7f7f7"
        };
        let (stroke, sw) = if n.unprotected || !n.conflicts.is_empty() {
            (ALERT_COLOR, 3.0)
        } else {
            ("#636363", 1.2)
        };
        let _ = writeln!(
            s,
            "<g class=\"node\"><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"5\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/><text class=\"n\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" dominant-baseline=\"central\">{}</text></g>",
            xml(&n.tooltip()),
            r.x,
            r.y,
            r.w,
            r.h,
            r.x + r.w / 2.0,
            r.y + r.h / 2.0,
            xml(&n.id)
        );
    }
    draw_legend(&mut s, &entries, lay.size.1 + 8.0);
    s.push_str("</svg>\n");
    s
}

fn path_d(p: &[(f32, f32); 5]) -> String {
    let [a, k, c1, c2, e] = p;
    format!(
        "M{:.1},{:.1}L{:.1},{:.1}C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
        a.0, a.1, k.0, k.1, c1.0, c1.1, c2.0, c2.1, e.0, e.1
    )
}

fn draw_legend(s: &mut String, entries: &[(String, &'static str, &'static str)], top: f32) {
    let _ = writeln!(
        s,
        "<g class=\"legend\"><title>legend</title><text class=\"g\" x=\"12\" y=\"{:.1}\" font-weight=\"bold\">legend (hover over nodes and edges for the clause text)</text>",
        top + 12.0
    );
    let mut y = top + 30.0;
    for (name, color, dash) in entries {
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            s,
            "<line x1=\"14\" y1=\"{:.1}\" x2=\"58\" y2=\"{:.1}\" stroke=\"{color}\" stroke-width=\"2.5\"{dash}/><text class=\"g\" x=\"66\" y=\"{:.1}\">{}</text>",
            y - 4.0,
            y - 4.0,
            y,
            xml(name)
        );
        y += 16.0;
    }
    for (label, fill, stroke) in [
        ("aggressor", "#d9d9d9", "#636363"),
        ("attacked", "#fddbc7", "#636363"),
        (
            "conflict or unprotected (red border)",
            "#f7f7f7",
            ALERT_COLOR,
        ),
        ("on a cycle of obligations", CYCLE_COLOR, "#636363"),
    ] {
        let _ = writeln!(
            s,
            "<rect x=\"24\" y=\"{:.1}\" width=\"24\" height=\"11\" rx=\"3\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/><text class=\"g\" x=\"66\" y=\"{:.1}\">{}</text>",
            y - 12.0,
            y,
            label
        );
        y += 16.0;
    }
    let _ = writeln!(s, "</g>");
}
