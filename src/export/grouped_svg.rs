//! The grouped SVG (the default picture): group nodes that list their commitments, unlabelled
//! arrows coloured by level (the node already says which instrument: no label is drawn twice),
//! the aggressor to the right of its victim with the attack's date, and a side legend naming
//! every group's members. Every node and edge keeps a `<title>` tooltip with the clause texts.

use super::escape::xml;
use super::graph::EdgeKind;
use super::group::{GEdge, Grouped};
use super::layout::{Input, LABEL_CHAR, LINE, NODE_CHAR, layout};
use super::{ALERT_COLOR, ATTACK_COLOR, CHAIN_COLOR, CYCLE_COLOR, HOLLOW_COLOR, level_style};
use std::fmt::Write as _;

const STYLE: &str = "text{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace}\
.t{font-size:15px;font-weight:bold}.n{font-size:13px;font-weight:bold}.c{font-size:11px}\
.l{font-size:11px;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}\
.g{font-size:11px}g.edge:hover path{stroke-width:5px}g.node:hover rect{stroke-width:3px}";

/// Top of the graph part (below the title).
const TOP: f32 = 44.0;
/// Height of a node's first line and of each further line.
const FIRST: f32 = 18.0;
const MORE: f32 = 14.0;
/// Width of the side legend, and its characters per member line.
const LEGEND_W: f32 = 360.0;
const WRAP: usize = 48;
/// The screen width the picture should fit without scrolling.
const FIT: f32 = 1400.0;

/// Colour, width and dash of a grouped edge.
pub(super) fn style(e: &GEdge) -> (&'static str, f32, &'static str) {
    match e.kind {
        EdgeKind::Obligation => level_style(e.rank),
        EdgeKind::Chain => (CHAIN_COLOR, 1.6, "8 3 2 3"),
        EdgeKind::Hollow => (HOLLOW_COLOR, 1.8, "5 4"),
        EdgeKind::Attack => (ATTACK_COLOR, 3.0, ""),
    }
}

/// Whether an attack is laid out from its victim to the aggressor, which puts the aggressor to
/// the right, apart from the obligors. Not when the aggressor has commitments of its own (the
/// Budapest assurer): that would close a cycle.
fn apart(g: &Grouped, e: &GEdge) -> bool {
    e.kind == EdgeKind::Attack
        && !g
            .edges
            .iter()
            .any(|o| o.from == e.from && o.kind != EdgeKind::Attack)
}

/// Fill of a node by its marks.
pub(super) fn fill(n: &super::group::GNode) -> &'static str {
    if n.in_cycle {
        CYCLE_COLOR
    } else if n.aggressor {
        "#d9d9d9"
    } else if n.victim {
        "#fddbc7"
    } else if n.chain_only {
        "#e5f5f0"
    } else {
        "#f7f7f7"
    }
}

/// Draws the grouped graph.
pub fn to_grouped_svg(g: &Grouped) -> String {
    let input = Input {
        nodes: g
            .nodes
            .iter()
            .map(|n| {
                let first = n.lines[0].chars().count();
                let rest = n.lines[1..].iter().map(|l| l.chars().count()).max();
                let rest = rest.map_or(0, |c| (c as f32 * LABEL_CHAR / NODE_CHAR).ceil() as usize);
                first.max(rest)
            })
            .collect(),
        // Room for each incoming arrowhead, so heavy arrows do not pile up on a victim.
        min_h: g
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let ins = g.edges.iter().filter(|e| e.to == i).count() as f32;
                (10.0 + FIRST + MORE * (n.lines.len() as f32 - 1.0)).max(ins * 22.0)
            })
            .collect(),
        // Attacks run from the victim to the aggressor in the layout, which puts the aggressor
        // to the right, apart from the obligors; the arrow is drawn the other way.
        bundles: g
            .edges
            .iter()
            .map(|e| {
                let w = if e.label.is_empty() {
                    Vec::new()
                } else {
                    vec![e.label.chars().count()]
                };
                if apart(g, e) {
                    (e.to, e.from, w)
                } else {
                    (e.from, e.to, w)
                }
            })
            .collect(),
    };
    let lay = layout(&input, TOP);
    let groups: Vec<(String, Vec<String>)> = g
        .nodes
        .iter()
        .filter(|n| !n.key.is_empty())
        .map(|n| (n.key.clone(), wrap(&n.members.join(", "), WRAP)))
        .collect();
    let legend_lines = g.levels.len() + 8 + groups.iter().map(|(_, l)| l.len() + 1).sum::<usize>();
    let legend_h = 24.0 + legend_lines as f32 * 15.0;
    // The legend goes beside the graph when both fit a 1400-pixel screen, else under it.
    let beside = lay.size.0 + LEGEND_W <= FIT;
    let (legend_x, legend_top) = if beside {
        (lay.size.0 + 8.0, TOP)
    } else {
        (12.0, lay.size.1)
    };
    let width = if beside {
        lay.size.0 + LEGEND_W
    } else {
        lay.size.0.max(LEGEND_W)
    };
    let width = width.max(g.title.chars().count() as f32 * 9.2 + 24.0);
    let height = (legend_top + legend_h).max(lay.size.1) + 12.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title>\n<style>{STYLE}</style>",
        xml(&g.title)
    );
    let mut colors: Vec<&str> = g.edges.iter().map(|e| style(e).0).collect();
    colors.sort();
    colors.dedup();
    s.push_str("<defs>");
    for c in &colors {
        let _ = write!(
            s,
            "<marker id=\"a{}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"11\" markerHeight=\"11\" markerUnits=\"userSpaceOnUse\" orient=\"auto\"><path d=\"M0,0L10,5L0,10z\" fill=\"{c}\"/></marker>",
            &c[1..]
        );
    }
    s.push_str("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n");
    let _ = writeln!(
        s,
        "<text class=\"t\" x=\"12\" y=\"26\">{}</text>",
        xml(&g.title)
    );
    for (i, e) in g.edges.iter().enumerate() {
        let p = &lay.bundles[i];
        let (color, w, dash) = style(e);
        let d = if apart(g, e) {
            let [a, k, c1, c2, z] = p.path;
            format!(
                "M{:.1},{:.1}C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}L{:.1},{:.1}",
                z.0,
                z.1,
                c2.0,
                c2.1,
                c1.0,
                c1.1,
                k.0,
                k.1,
                a.0 + 2.0,
                a.1
            )
        } else {
            let [a, k, c1, c2, z] = p.path;
            format!(
                "M{:.1},{:.1}L{:.1},{:.1}C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
                a.0, a.1, k.0, k.1, c1.0, c1.1, c2.0, c2.1, z.0, z.1
            )
        };
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = write!(
            s,
            "<g class=\"edge\" data-e=\"{i}\" data-from=\"{}\" data-to=\"{}\"><title>{}</title>",
            e.from,
            e.to,
            xml(&e.tooltip)
        );
        if g.nodes[e.from].in_cycle && g.nodes[e.to].in_cycle && e.kind != EdgeKind::Attack {
            let _ = write!(
                s,
                "<path d=\"{d}\" fill=\"none\" stroke=\"{CYCLE_COLOR}\" stroke-width=\"{:.1}\" opacity=\"0.7\"/>",
                w + 5.0
            );
        }
        // Wider for edges standing for many: a group of 20 weighs more than one state.
        let w = w + (e.count as f32).log2().min(4.0) * 0.5;
        let _ = write!(
            s,
            "<path d=\"{d}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{w:.1}\"{dash} marker-end=\"url(#a{})\"/>",
            &color[1..]
        );
        if !e.label.is_empty() {
            let _ = write!(
                s,
                "<text class=\"l\" x=\"{:.1}\" y=\"{:.1}\" fill=\"{color}\">{}</text>",
                p.label.0 + 8.0,
                p.label.1 + LINE - 3.0,
                xml(&e.label)
            );
        }
        s.push_str("</g>\n");
    }
    for (i, n) in g.nodes.iter().enumerate() {
        let r = lay.nodes[i];
        let (stroke, sw) = if n.alert {
            (ALERT_COLOR, 3.0)
        } else {
            ("#636363", 1.2)
        };
        let _ = write!(
            s,
            "<g class=\"node\" data-id=\"{i}\"><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"5\" fill=\"{}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>",
            xml(&n.tooltip),
            r.x,
            r.y,
            r.w,
            r.h,
            fill(n)
        );
        let top = r.y + (r.h - (FIRST + MORE * (n.lines.len() as f32 - 1.0))) / 2.0;
        let _ = write!(
            s,
            "<text class=\"n\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            r.x + r.w / 2.0,
            top + 14.0,
            xml(&n.lines[0])
        );
        for (k, line) in n.lines[1..].iter().enumerate() {
            let _ = write!(
                s,
                "<text class=\"c\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                r.x + 8.0,
                top + FIRST + 11.0 + MORE * k as f32,
                xml(line)
            );
        }
        s.push_str("</g>\n");
    }
    legend(&mut s, g, &groups, legend_x, legend_top);
    s.push_str("</svg>\n");
    s
}

/// Splits `text` at ", " into lines of at most `width` characters.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let last = lines.last_mut().expect("one line");
        if !last.is_empty() && last.chars().count() + 1 + word.chars().count() > width {
            lines.push(word.to_string());
        } else {
            if !last.is_empty() {
                last.push(' ');
            }
            last.push_str(word);
        }
    }
    lines
}

fn legend(s: &mut String, g: &Grouped, groups: &[(String, Vec<String>)], x: f32, top: f32) {
    let _ = writeln!(
        s,
        "<g class=\"legend\"><title>legend</title><text class=\"g\" x=\"{x:.1}\" y=\"{:.1}\" font-weight=\"bold\">legend (hover for members and clause texts)</text>",
        top + 12.0
    );
    let mut y = top + 30.0;
    let mut entries: Vec<(String, &str, &str)> = g
        .levels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let (c, _, d) = level_style(i + 1);
            (format!("obligation: {l}"), c, d)
        })
        .collect();
    entries.push(("hollow commitment".into(), HOLLOW_COLOR, "5 4"));
    entries.push((
        "chain (if the acting states are attacked)".into(),
        CHAIN_COLOR,
        "8 3 2 3",
    ));
    entries.push(("attack (with its date)".into(), ATTACK_COLOR, ""));
    for (name, color, dash) in entries {
        let dash = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        let _ = writeln!(
            s,
            "<line x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{color}\" stroke-width=\"2.5\"{dash}/><text class=\"g\" x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            x + 2.0,
            y - 4.0,
            x + 40.0,
            y - 4.0,
            x + 48.0,
            xml(&name)
        );
        y += 15.0;
    }
    for (label, f, stroke) in [
        ("attacked / aggressor", "#fddbc7", "#636363"),
        (
            "conflict or unprotected (red border)",
            "#f7f7f7",
            ALERT_COLOR,
        ),
        ("on a cycle of obligations", CYCLE_COLOR, "#636363"),
    ] {
        let _ = writeln!(
            s,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"24\" height=\"11\" rx=\"3\" fill=\"{f}\" stroke=\"{stroke}\" stroke-width=\"2\"/><text class=\"g\" x=\"{:.1}\" y=\"{y:.1}\">{label}</text>",
            x + 10.0,
            y - 11.0,
            x + 48.0
        );
        y += 15.0;
    }
    if !groups.is_empty() {
        y += 8.0;
        let _ = writeln!(
            s,
            "<text class=\"g\" x=\"{x:.1}\" y=\"{y:.1}\" font-weight=\"bold\">groups (same commitments)</text>"
        );
        y += 15.0;
        for (key, lines) in groups {
            for (k, line) in lines.iter().enumerate() {
                let head = if k == 0 { key.as_str() } else { "" };
                let _ = writeln!(
                    s,
                    "<text class=\"g\" x=\"{x:.1}\" y=\"{y:.1}\" font-weight=\"bold\">{}</text><text class=\"g\" x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
                    head,
                    x + 18.0,
                    xml(line)
                );
                y += 15.0;
            }
            y += 4.0;
        }
    }
    s.push_str("</g>\n");
}
