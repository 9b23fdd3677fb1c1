//! The timeline as an SVG: one lane per obligor, coloured by the strongest level it owes the
//! beneficiary between two change points (with the instrument's title where there is room),
//! the change points as vertical lines labelled with their date, and a year axis.

use super::escape::xml;
use super::level_style;
use super::timeline::Timeline;
use crate::value::Date;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Height of a lane.
const LANE: f32 = 16.0;
/// Width of the time axis.
const PLOT: f32 = 1080.0;
/// Width of a character (11 px monospace).
const CHAR: f32 = 6.6;

/// Draws the timeline.
pub fn to_timeline_svg(t: &Timeline) -> String {
    let day = |s: &str| Date::parse_iso(s).map_or(0, |d| d.0);
    let (from, to) = (day(&t.from), day(&t.to));
    let span = (to - from).max(1) as f32;
    // Lanes: states in order of the first date they owe anything, then by name.
    let mut first: BTreeMap<&str, usize> = BTreeMap::new();
    for (k, p) in t.points.iter().enumerate() {
        for o in &p.owed {
            first.entry(o.state.as_str()).or_insert(k);
        }
    }
    let mut lanes: Vec<(&str, usize)> = first.into_iter().collect();
    lanes.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    let left = 16.0
        + lanes
            .iter()
            .map(|(s, _)| s.chars().count())
            .max()
            .unwrap_or(4) as f32
            * CHAR;
    let x = |d: i32| left + (d - from) as f32 / span * PLOT;
    let top = 150.0;
    let bottom = top + lanes.len().max(1) as f32 * LANE;
    let width = left + PLOT + 40.0;
    let height = bottom + 120.0 + 18.0 * (t.levels.len() as f32 / 3.0).ceil();
    let title = format!(
        "What each state would owe {} if attacked, {} to {}",
        t.beneficiary, t.from, t.to
    );
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\">"
    );
    let _ = writeln!(
        s,
        "<title>{}</title>\n<style>text{{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:11px}}.t{{font-size:15px;font-weight:bold}}g.seg:hover rect{{stroke:#000}}</style>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>",
        xml(&title)
    );
    let _ = writeln!(
        s,
        "<text class=\"t\" x=\"12\" y=\"26\">{}</text>",
        xml(&title)
    );
    let attackers: Vec<&str> = {
        let mut v: Vec<&str> = t.points.iter().map(|p| p.attacker.as_str()).collect();
        v.dedup();
        v
    };
    let _ = writeln!(
        s,
        "<text x=\"12\" y=\"44\" fill=\"#555\">attacker: {} · {} dates evaluated, {} change points</text>",
        xml(&attackers.join(" → ")),
        t.evaluated,
        t.points.len()
    );
    // Change points: a line each, a date label where there is room.
    let (mut last_label, mut last_below) = (f32::MIN, f32::MIN);
    for (k, p) in t.points.iter().enumerate() {
        let px = x(day(&p.date));
        if k == 0 && p.owed.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "<line class=\"change\" x1=\"{px:.1}\" y1=\"{:.1}\" x2=\"{px:.1}\" y2=\"{bottom:.1}\" stroke=\"#999\" stroke-width=\"0.6\"><title>{}</title></line>",
            top - 4.0,
            xml(&p.date)
        );
        // Above the lanes where there is room, else below the axis (one of the two always
        // has room unless three dates fall within a few pixels).
        if px - last_label >= 12.0 {
            let _ = writeln!(
                s,
                "<text class=\"date\" transform=\"translate({:.1},{:.1}) rotate(-60)\">{}</text>",
                px + 3.0,
                top - 8.0,
                xml(&p.date)
            );
            last_label = px;
        } else if px - last_below >= 12.0 {
            let _ = writeln!(
                s,
                "<line x1=\"{px:.1}\" y1=\"{bottom:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#999\" stroke-width=\"0.6\"/><text class=\"date\" transform=\"translate({:.1},{:.1}) rotate(60)\">{}</text>",
                bottom + 22.0,
                px - 2.0,
                bottom + 24.0,
                xml(&p.date)
            );
            last_below = px;
        }
    }
    // Lanes.
    for (i, (state, _)) in lanes.iter().enumerate() {
        let y = top + i as f32 * LANE;
        let _ = writeln!(
            s,
            "<text class=\"lane\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + LANE - 4.0,
            xml(state)
        );
        // Runs of equal obligations, each one segment (one label, no seams).
        let mut runs: Vec<(usize, usize, &super::timeline::Owed)> = Vec::new();
        for (k, p) in t.points.iter().enumerate() {
            let o = p.owed.iter().find(|o| o.state == *state);
            match (runs.last_mut(), o) {
                (Some(last), Some(o)) if last.1 == k && last.2 == o => last.1 = k + 1,
                (_, Some(o)) => runs.push((k, k + 1, o)),
                _ => {}
            }
        }
        for (k, end, o) in runs {
            let a = day(&t.points[k].date);
            let b = t.points.get(end).map_or(to + 1, |q| day(&q.date));
            let (x0, x1) = (x(a), x(b).max(x(a) + 1.0));
            let names: Vec<String> = o
                .instruments
                .iter()
                .map(|i| t.titles.get(i).cloned().unwrap_or_else(|| i.clone()))
                .collect();
            let tip = format!(
                "{state} owes {} {} from {} to {} under {}",
                t.beneficiary,
                o.level,
                t.points[k].date,
                Date(b - 1),
                names.join(", ")
            );
            let _ = write!(
                s,
                "<g class=\"seg\"><title>{}</title><rect x=\"{x0:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                xml(&tip),
                y + 1.0,
                x1 - x0,
                LANE - 2.0,
                level_style(o.rank).0
            );
            let label = names.join(", ");
            if (label.chars().count() as f32) * CHAR + 6.0 < x1 - x0 {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"#fff\">{}</text>",
                    x0 + 3.0,
                    y + LANE - 4.0,
                    xml(&label)
                );
            }
            s.push_str("</g>\n");
        }
    }
    // Year axis.
    let (y0, y1) = (Date(from).to_string(), Date(to).to_string());
    let year = |d: &str| d[..4].parse::<i32>().unwrap_or(0);
    let (first_year, last_year) = (year(&y0), year(&y1));
    let step = match last_year - first_year {
        0..=12 => 1,
        13..=40 => 5,
        _ => 10,
    };
    let _ = writeln!(
        s,
        "<line x1=\"{left:.1}\" y1=\"{bottom:.1}\" x2=\"{:.1}\" y2=\"{bottom:.1}\" stroke=\"#333\"/>",
        left + PLOT
    );
    let mut yr = (first_year + step - 1) / step * step;
    while yr <= last_year {
        if let Some(d) = Date::from_ymd(yr, 1, 1)
            && d.0 >= from
        {
            let px = x(d.0);
            let _ = writeln!(
                s,
                "<line x1=\"{px:.1}\" y1=\"{bottom:.1}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#333\"/><text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{yr}</text>",
                bottom + 5.0,
                bottom + 17.0
            );
        }
        yr += step;
    }
    // Legend.
    let ly = bottom + 100.0;
    for (i, l) in t.levels.iter().enumerate() {
        let (lx, yy) = (left + (i % 3) as f32 * 200.0, ly + (i / 3) as f32 * 18.0);
        let _ = writeln!(
            s,
            "<rect x=\"{lx:.1}\" y=\"{:.1}\" width=\"14\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{yy:.1}\">{}</text>",
            yy - 10.0,
            level_style(i + 1).0,
            lx + 20.0,
            xml(l)
        );
    }
    s.push_str("</svg>\n");
    s
}
