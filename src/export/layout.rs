//! A layered left-to-right layout, so the SVG needs no Graphviz.
//!
//! Layers by longest path to a sink (beneficiaries on the right, those obliged toward them to
//! their left, chains further left), after reversing the edges that close cycles; order within
//! a layer by repeated barycentre sweeps. Each node's slot is as tall as the labels of the edges
//! leaving it, and labels sit in the gap right of their source, so labels never overlap one
//! another or a node. Text widths are exact for the monospace font the SVG uses.

/// Width of one character of edge-label text (11 px monospace: 0.6 em).
pub const LABEL_CHAR: f32 = 6.6;
/// Height of one label line.
pub const LINE: f32 = 13.0;
/// Width of one character of a node name (13 px monospace).
pub const NODE_CHAR: f32 = 7.8;
/// Node height without ports.
const NODE_H: f32 = 26.0;
/// Vertical room per incoming edge (so arrowheads do not pile up).
const PORT: f32 = 9.0;
/// Room under a bundle's label lines for its path.
const BELOW: f32 = 7.0;
/// Free space between slots and around the drawing.
const GAP: f32 = 12.0;
/// Room for the curves between a layer's labels and the next layer.
const CURVE: f32 = 70.0;

/// Input: node name widths and, per edge bundle, (from, to, label widths).
pub struct Input {
    /// Character count of each node's name.
    pub nodes: Vec<usize>,
    /// Least height of each node, for nodes of several lines (empty: one line each).
    pub min_h: Vec<f32>,
    /// (from, to, character count of each label line).
    pub bundles: Vec<(usize, usize, Vec<usize>)>,
}

/// A placed node.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rect {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// A placed bundle: where its label lines go and the path's points.
#[derive(Clone, Debug, Default)]
pub struct Placed {
    /// Top-left of the first label line.
    pub label: (f32, f32),
    /// Start (on the source), the knee after the label, the two bezier control points, end.
    pub path: [(f32, f32); 5],
}

/// The result.
pub struct Layout {
    /// Per node.
    pub nodes: Vec<Rect>,
    /// Per bundle.
    pub bundles: Vec<Placed>,
    /// Total width and height of the graph part.
    pub size: (f32, f32),
}

/// Lays out the graph; `top` is where the first row may start.
pub fn layout(input: &Input, top: f32) -> Layout {
    let n = input.nodes.len();
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, (a, b, _)) in input.bundles.iter().enumerate() {
        if a != b {
            out[*a].push(i);
        }
    }
    // Reverse back edges found by a depth-first search, then layer by distance to a sink.
    let mut reversed = vec![false; input.bundles.len()];
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    for root in 0..n {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some(&mut (v, ref mut k)) = stack.last_mut() {
            if let Some(&e) = out[v].get(*k) {
                *k += 1;
                let w = input.bundles[e].1;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    let dag: Vec<(usize, usize)> = input
        .bundles
        .iter()
        .enumerate()
        .filter(|(_, (a, b, _))| a != b)
        .map(|(i, (a, b, _))| if reversed[i] { (*b, *a) } else { (*a, *b) })
        .collect();
    let mut dist = vec![0usize; n];
    for _ in 0..n {
        let mut changed = false;
        for &(a, b) in &dag {
            if dist[a] < dist[b] + 1 {
                dist[a] = dist[b] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let max = dist.iter().copied().max().unwrap_or(0);
    let layer: Vec<usize> = dist.iter().map(|d| max - d).collect();
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); max + 1];
    for v in 0..n {
        layers[layer[v]].push(v);
    }
    order(&mut layers, &dag, &layer);

    // Sizes: node heights from incoming ports, slots from outgoing label blocks.
    // Edges that run backward (closing a cycle) or loop go in lanes under the drawing instead.
    let back: Vec<bool> = (0..input.bundles.len())
        .map(|e| reversed[e] || input.bundles[e].0 == input.bundles[e].1)
        .collect();
    for list in &mut out {
        list.retain(|&e| !back[e]);
    }
    let mut indeg = vec![0usize; n];
    let mut block = vec![0f32; n];
    for (e, (a, b, lines)) in input.bundles.iter().enumerate() {
        if !back[e] {
            indeg[*b] += 1;
            block[*a] += lines.len() as f32 * LINE + BELOW;
        }
    }
    let mut rects: Vec<Rect> = (0..n)
        .map(|v| Rect {
            w: input.nodes[v] as f32 * NODE_CHAR + 20.0,
            // As tall as its outgoing label block, so every path leaves from the node itself.
            h: NODE_H
                .max(indeg[v] as f32 * PORT + 8.0)
                .max(block[v] + 2.0)
                .max(input.min_h.get(v).copied().unwrap_or(0.0)),
            ..Rect::default()
        })
        .collect();
    let slot = |v: usize, r: &Rect| r.h.max(block[v]) + GAP;
    let heights: Vec<f32> = layers
        .iter()
        .map(|l| l.iter().map(|&v| slot(v, &rects[v])).sum())
        .collect();
    let tallest = heights.iter().copied().fold(0.0, f32::max);
    let mut x = GAP;
    let mut label_end = vec![0f32; n];
    for (li, l) in layers.iter().enumerate() {
        let width = l.iter().map(|&v| rects[v].w).fold(0.0, f32::max);
        let labels = l
            .iter()
            .flat_map(|&v| out[v].iter())
            .flat_map(|&e| input.bundles[e].2.iter())
            .map(|&c| c as f32 * LABEL_CHAR)
            .fold(0.0, f32::max);
        let mut y = top + (tallest - heights[li]) / 2.0;
        for &v in l {
            let s = slot(v, &rects[v]);
            rects[v].x = x + (width - rects[v].w) / 2.0;
            rects[v].y = y + (s - rects[v].h) / 2.0;
            label_end[v] = x + width + 16.0 + labels;
            y += s;
        }
        x += width + 16.0 + labels + CURVE;
    }
    let width = x - CURVE + GAP;
    let mut bundles = place(input, &rects, &label_end, &out, &back);
    let bottom = top + tallest + GAP;
    let (height, right) = lanes(input, &rects, &back, &mut bundles, bottom);
    Layout {
        nodes: rects,
        bundles,
        size: (width.max(right + GAP).max(200.0), height),
    }
}

/// Barycentre ordering: alternate sweeps right-to-left and left-to-right.
fn order(layers: &mut [Vec<usize>], dag: &[(usize, usize)], layer: &[usize]) {
    let mut pos = vec![0f32; layer.len()];
    let set = |layers: &[Vec<usize>], pos: &mut Vec<f32>| {
        for l in layers {
            for (i, &v) in l.iter().enumerate() {
                pos[v] = i as f32;
            }
        }
    };
    set(layers, &mut pos);
    for round in 0..8 {
        let forward = round % 2 == 1;
        let idx: Vec<usize> = if forward {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for li in idx {
            let neighbour = if forward { li - 1 } else { li + 1 };
            let bary = |v: usize| {
                let ps: Vec<f32> = dag
                    .iter()
                    .filter_map(|&(a, b)| {
                        if a == v && layer[b] == neighbour {
                            Some(pos[b])
                        } else if b == v && layer[a] == neighbour {
                            Some(pos[a])
                        } else {
                            None
                        }
                    })
                    .collect();
                if ps.is_empty() {
                    pos[v]
                } else {
                    ps.iter().sum::<f32>() / ps.len() as f32
                }
            };
            let mut keyed: Vec<(f32, usize)> = layers[li].iter().map(|&v| (bary(v), v)).collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[li] = keyed.into_iter().map(|(_, v)| v).collect();
            set(layers, &mut pos);
        }
    }
}

/// Label rows right of the source, centred on it; paths from there to ports spread along the
/// target's left side.
fn place(
    input: &Input,
    rects: &[Rect],
    label_end: &[f32],
    out: &[Vec<usize>],
    back: &[bool],
) -> Vec<Placed> {
    let mut placed = vec![Placed::default(); input.bundles.len()];
    // Incoming ports, ordered by the source's height so curves do not cross at the target.
    let mut ins: Vec<Vec<usize>> = vec![Vec::new(); rects.len()];
    for (i, (_, b, _)) in input.bundles.iter().enumerate() {
        if !back[i] {
            ins[*b].push(i);
        }
    }
    let mut port = vec![0f32; input.bundles.len()];
    for (v, list) in ins.iter_mut().enumerate() {
        list.sort_by(|&p, &q| {
            let (a, b) = (input.bundles[p].0, input.bundles[q].0);
            rects[a].y.total_cmp(&rects[b].y)
        });
        let r = rects[v];
        for (k, &e) in list.iter().enumerate() {
            port[e] = r.y + r.h * (k as f32 + 1.0) / (list.len() as f32 + 1.0);
        }
    }
    for (v, list) in out.iter().enumerate() {
        let r = rects[v];
        let total: f32 = list
            .iter()
            .map(|&e| input.bundles[e].2.len() as f32 * LINE + BELOW)
            .sum();
        let mut y = r.y + r.h / 2.0 - total / 2.0;
        let mut sorted = list.clone();
        sorted.sort_by(|&p, &q| port[p].total_cmp(&port[q]));
        for e in sorted {
            let (_, b, lines) = &input.bundles[e];
            let h = lines.len() as f32 * LINE;
            // The path runs just under its label lines, so no text is struck through.
            let mid = y + h + 3.0;
            let t = rects[*b];
            let start = (r.x + r.w, mid.clamp(r.y + 3.0, r.y + r.h - 3.0));
            let knee = (label_end[v], mid);
            let end = (t.x - 2.0, port[e]);
            let dx = (end.0 - knee.0).max(20.0) / 2.0;
            let (c1, c2) = ((knee.0 + dx, mid), (end.0 - dx, end.1));
            placed[e] = Placed {
                label: (r.x + r.w + 8.0, y + 2.0),
                path: [start, knee, c1, c2, end],
            };
            y += h + BELOW;
        }
    }
    placed
}

/// Backward edges and loops, one lane each under the drawing: down from the source, along the
/// lane (label above it), up into the target. Returns the new bottom and the right-most label
/// end.
fn lanes(
    input: &Input,
    rects: &[Rect],
    back: &[bool],
    placed: &mut [Placed],
    top: f32,
) -> (f32, f32) {
    let (mut y, mut right) = (top, 0f32);
    for (e, (a, b, lines)) in input.bundles.iter().enumerate() {
        if !back[e] {
            continue;
        }
        let (s, t) = (rects[*a], rects[*b]);
        let h = lines.len() as f32 * LINE;
        let lane = y + h + 3.0;
        let (sx, tx) = (
            s.x + s.w / 2.0,
            t.x + t.w / 2.0 + if a == b { 12.0 } else { 0.0 },
        );
        placed[e] = Placed {
            label: (sx.min(tx) + 8.0, y + 2.0),
            path: [
                (sx, s.y + s.h),
                (sx, lane),
                (tx, lane),
                (tx, lane),
                (tx, t.y + t.h + 2.0),
            ],
        };
        let widest = lines.iter().copied().max().unwrap_or(0) as f32 * LABEL_CHAR;
        right = right.max(sx.min(tx) + 8.0 + widest);
        y += h + BELOW + 4.0;
    }
    (y, right)
}
