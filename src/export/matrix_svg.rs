//! The matrix as a self-contained SVG: one square per (obligor, beneficiary), coloured by the
//! strongest level; a purple ring marks a hollow commitment, a red border a conflict, a faded
//! square an obligation that only a chain would create. Lines separate rows (and columns) whose
//! instrument sets differ, so the blocks of `matrix.rs`'s ordering show.

use super::escape::xml;
use super::matrix::Matrix;
use super::{ALERT_COLOR, HOLLOW_COLOR, level_style};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// Side of a cell.
const CELL: f32 = 16.0;
/// Width of a label character (11 px monospace).
const CHAR: f32 = 6.6;

/// The instrument set of each row (or column), for the block separators.
fn sets(m: &Matrix, rows: bool) -> Vec<BTreeSet<&str>> {
    let n = if rows { m.rows.len() } else { m.cols.len() };
    let mut out = vec![BTreeSet::new(); n];
    for ((r, c), cell) in &m.cells {
        let k = if rows { *r } else { *c };
        out[k].extend(cell.instruments.iter().map(String::as_str));
        out[k].extend(cell.hollow.iter().filter_map(|h| h.split(':').next()));
    }
    out
}

/// Draws the matrix.
pub fn to_matrix_svg(m: &Matrix) -> String {
    let longest = |v: &[String]| v.iter().map(|s| s.chars().count()).max().unwrap_or(0) as f32;
    let left = 16.0 + longest(&m.rows) * CHAR;
    // Column labels are turned 60°: their height is about 0.87 of their width.
    let top = 64.0 + longest(&m.cols) * CHAR * 0.87;
    let (w, h) = (m.cols.len() as f32 * CELL, m.rows.len() as f32 * CELL);
    let legend_x = left + w + 24.0;
    let width = (legend_x + 300.0).max(m.title.chars().count() as f32 * 9.2 + 24.0);
    let height = (top + h + 20.0).max(top + 20.0 + (m.levels.len() as f32 + 4.0) * 18.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title>\n<style>text{{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:11px}}.t{{font-size:15px;font-weight:bold}}g.cell:hover rect{{stroke:#000;stroke-width:2px}}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        xml(&m.title)
    );
    let _ = writeln!(
        s,
        "<text class=\"t\" x=\"12\" y=\"26\">{}</text>",
        xml(&m.title)
    );
    let _ = writeln!(
        s,
        "<text x=\"12\" y=\"{:.1}\" fill=\"#555\">rows: obligors · columns: beneficiaries</text>",
        44.0
    );
    // Grid.
    let _ = writeln!(
        s,
        "<rect x=\"{left:.1}\" y=\"{top:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" fill=\"#fafafa\" stroke=\"#bbb\"/>"
    );
    for (r, name) in m.rows.iter().enumerate() {
        let y = top + r as f32 * CELL;
        let _ = writeln!(
            s,
            "<text class=\"row\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + CELL - 4.0,
            xml(name)
        );
    }
    for (c, name) in m.cols.iter().enumerate() {
        let x = left + c as f32 * CELL + CELL / 2.0;
        let _ = writeln!(
            s,
            "<text class=\"col\" transform=\"translate({x:.1},{:.1}) rotate(-60)\">{}</text>",
            top - 6.0,
            xml(name)
        );
    }
    // Block separators where the instrument set changes.
    let (rs, cs) = (sets(m, true), sets(m, false));
    for r in 1..m.rows.len() {
        if rs[r] != rs[r - 1] {
            let y = top + r as f32 * CELL;
            let _ = writeln!(
                s,
                "<line x1=\"{:.1}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#888\" stroke-width=\"1.2\"/>",
                left - 4.0,
                left + w
            );
        }
    }
    for c in 1..m.cols.len() {
        if cs[c] != cs[c - 1] {
            let x = left + c as f32 * CELL;
            let _ = writeln!(
                s,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#888\" stroke-width=\"1.2\"/>",
                top - 4.0,
                top + h
            );
        }
    }
    for ((r, c), cell) in &m.cells {
        let (x, y) = (left + *c as f32 * CELL, top + *r as f32 * CELL);
        let tip = format!("{} → {}: {}", m.rows[*r], m.cols[*c], cell.text());
        let _ = write!(s, "<g class=\"cell\"><title>{}</title>", xml(&tip));
        if cell.rank > 0 {
            let opacity = if cell.chain_only { 0.35 } else { 1.0 };
            let (stroke, sw) = if cell.conflict.is_empty() {
                ("#fff", 1.0)
            } else {
                (ALERT_COLOR, 2.5)
            };
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" fill-opacity=\"{opacity}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>",
                x + 0.5,
                y + 0.5,
                CELL - 1.0,
                CELL - 1.0,
                level_style(cell.rank).0
            );
        } else {
            // No obligation (only hollow commitments): an empty square, red-bordered for a
            // conflict (the aggressor breaking its own assurance).
            let stroke = if cell.conflict.is_empty() {
                String::new()
            } else {
                format!(" stroke=\"{ALERT_COLOR}\" stroke-width=\"2.5\"")
            };
            let _ = write!(
                s,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#fff\" fill-opacity=\"0\"{stroke}/>",
                x + 0.5,
                y + 0.5,
                CELL - 1.0,
                CELL - 1.0
            );
        }
        if !cell.hollow.is_empty() {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"none\" stroke=\"{HOLLOW_COLOR}\" stroke-width=\"2.2\"/>",
                x + CELL / 2.0,
                y + CELL / 2.0
            );
        }
        s.push_str("</g>\n");
    }
    // Legend.
    let mut y = top + 10.0;
    let swatch = |s: &mut String, y: f32, fill: &str, extra: &str, label: &str| {
        let _ = writeln!(
            s,
            "<rect x=\"{legend_x:.1}\" y=\"{:.1}\" width=\"14\" height=\"14\" fill=\"{fill}\"{extra}/><text x=\"{:.1}\" y=\"{y:.1}\">{}</text>",
            y - 11.0,
            legend_x + 22.0,
            xml(label)
        );
    };
    for (i, l) in m.levels.iter().enumerate() {
        swatch(
            &mut s,
            y,
            level_style(i + 1).0,
            "",
            &format!("strongest: {l}"),
        );
        y += 18.0;
    }
    swatch(
        &mut s,
        y,
        level_style(2).0,
        " fill-opacity=\"0.35\"",
        "only through a chain",
    );
    y += 18.0;
    swatch(
        &mut s,
        y,
        "#fff",
        &format!(" stroke=\"{ALERT_COLOR}\" stroke-width=\"2.5\""),
        "conflict",
    );
    y += 18.0;
    let _ = writeln!(
        s,
        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4.5\" fill=\"none\" stroke=\"{HOLLOW_COLOR}\" stroke-width=\"2.2\"/><text x=\"{:.1}\" y=\"{y:.1}\">hollow commitment</text>",
        legend_x + 7.0,
        y - 4.0,
        legend_x + 22.0
    );
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::{build_graph, build_matrix};

    #[test]
    fn hostile_names_stay_well_formed() {
        let m = crate::driver::eval_text(
            "level_rank(automatic, 1). obliged(\"<a>\\u{1b}\", \"&b\", assist, t, automatic).",
        )
        .unwrap()
        .0;
        let x = build_matrix(&build_graph(&m, crate::value::Date::today(), "t"));
        let svg = to_matrix_svg(&x);
        roxmltree::Document::parse(&svg).expect("well-formed");
        assert!(svg.contains("&lt;a&gt;\\u{1b}"));
    }
}
