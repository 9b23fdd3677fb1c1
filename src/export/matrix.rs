//! The obligation matrix: obligors × beneficiaries, each cell the strongest level one owes the
//! other, with hollow commitments and conflicts marked. Rows and columns are ordered by the set
//! of instruments behind them, most common instrument first, so the states of one bloc sit
//! next to each other and a bloc reads as a block — a 60 × 60 picture stays legible where a
//! graph of 3,600 possible edges would not.

use super::graph::{EdgeKind, Graph};
use std::collections::{BTreeMap, BTreeSet};

/// One cell.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    /// The most automatic rank of an obligation (0: none).
    pub rank: usize,
    /// Its level name.
    pub level: String,
    /// Instruments of the obligations, sorted.
    pub instruments: Vec<String>,
    /// Only chains (hypothetical: if the beneficiary acted and were attacked in turn).
    pub chain_only: bool,
    /// Hollow commitments: `instrument: reason`.
    pub hollow: Vec<String>,
    /// The obligor has a conflict involving one of the cell's instruments.
    pub conflict: Vec<String>,
}

/// The matrix.
#[derive(Clone, Debug, Default)]
pub struct Matrix {
    /// Title line.
    pub title: String,
    /// Level names by rank.
    pub levels: Vec<String>,
    /// Obligors, in block order.
    pub rows: Vec<String>,
    /// Beneficiaries, in block order.
    pub cols: Vec<String>,
    /// Cells by (row, column) index; absent: nothing owed.
    pub cells: BTreeMap<(usize, usize), Cell>,
}

/// Orders `ids` by their instrument sets: the instrument of most edges first, then the next, so
/// states sharing instruments are adjacent; ties by name.
fn block_order(
    sets: &BTreeMap<String, BTreeSet<String>>,
    freq: &BTreeMap<String, usize>,
) -> Vec<String> {
    let mut by_freq: Vec<(&str, usize)> = freq.iter().map(|(i, n)| (i.as_str(), *n)).collect();
    by_freq.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut keyed: Vec<(Vec<bool>, &String)> = sets
        .iter()
        .map(|(id, s)| {
            let key = by_freq.iter().map(|(i, _)| !s.contains(*i)).collect();
            (key, id)
        })
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, id)| id.clone()).collect()
}

/// Builds the matrix of a (filtered) graph.
pub fn build_matrix(g: &Graph) -> Matrix {
    let mut out_sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut in_sets: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for e in g.edges.iter().filter(|e| e.kind != EdgeKind::Attack) {
        out_sets
            .entry(e.from.clone())
            .or_default()
            .insert(e.instrument.clone());
        in_sets
            .entry(e.to.clone())
            .or_default()
            .insert(e.instrument.clone());
    }
    let mut freq: BTreeMap<String, usize> = BTreeMap::new();
    for e in g.edges.iter().filter(|e| e.kind != EdgeKind::Attack) {
        *freq.entry(e.instrument.clone()).or_default() += 1;
    }
    let rows = block_order(&out_sets, &freq);
    let cols = block_order(&in_sets, &freq);
    let ri: BTreeMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.as_str(), i))
        .collect();
    let ci: BTreeMap<&str, usize> = cols
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let conflicts: BTreeMap<&str, &Vec<String>> = g
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), &n.conflicts))
        .collect();
    let mut cells: BTreeMap<(usize, usize), Cell> = BTreeMap::new();
    for e in g.edges.iter().filter(|e| e.kind != EdgeKind::Attack) {
        let key = (ri[e.from.as_str()], ci[e.to.as_str()]);
        let cell = cells.entry(key).or_insert_with(|| Cell {
            chain_only: true,
            ..Cell::default()
        });
        match e.kind {
            EdgeKind::Hollow => cell.hollow.push(format!("{}: {}", e.instrument, e.level)),
            _ => {
                if e.kind == EdgeKind::Obligation {
                    cell.chain_only = false;
                }
                if cell.rank == 0 || e.rank < cell.rank {
                    cell.rank = e.rank;
                    cell.level = e.level.clone();
                }
                if !cell.instruments.contains(&e.instrument) {
                    cell.instruments.push(e.instrument.clone());
                    cell.instruments.sort();
                }
            }
        }
        if let Some(cs) = conflicts.get(e.from.as_str()) {
            for c in cs.iter() {
                let named = c.split([' ', ':', '/']).any(|w| w == e.instrument.as_str());
                if named && !cell.conflict.contains(c) {
                    cell.conflict.push(c.clone());
                }
            }
        }
    }
    for c in cells.values_mut() {
        if c.rank == 0 {
            c.chain_only = false;
        }
    }
    Matrix {
        title: format!("Obligation matrix as of {} — {}", g.as_of, g.title),
        levels: g.levels.clone(),
        rows,
        cols,
        cells,
    }
}

impl Cell {
    /// The cell as text: `level (instruments)`, then the marks.
    pub fn text(&self) -> String {
        let mut parts = Vec::new();
        if self.rank > 0 {
            let chain = if self.chain_only { "chain: " } else { "" };
            parts.push(format!(
                "{chain}{} ({})",
                self.level,
                self.instruments.join(" ")
            ));
        }
        for h in &self.hollow {
            parts.push(format!("hollow {h}"));
        }
        for c in &self.conflict {
            parts.push(format!("conflict {c}"));
        }
        parts.join("; ")
    }
}

/// A CSV cell that a spreadsheet will not read as a formula.
fn cell_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The matrix as CSV: a header `obligor,<beneficiaries…>`, one row per obligor.
pub fn to_matrix_csv(m: &Matrix) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut head = vec!["obligor".to_string()];
    head.extend(m.cols.iter().map(|c| cell_safe(c)));
    let _ = w.write_record(&head);
    for (r, row) in m.rows.iter().enumerate() {
        let mut rec = vec![cell_safe(row)];
        for c in 0..m.cols.len() {
            rec.push(
                m.cells
                    .get(&(r, c))
                    .map_or(String::new(), |x| cell_safe(&x.text())),
            );
        }
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::build_graph;

    #[test]
    fn blocs_are_adjacent_and_cells_hold_the_strongest_level() {
        let m = crate::driver::eval_text(
            "level_rank(automatic, 1). level_rank(discretionary, 2).
             obliged(a, v, assist, t, discretionary). obliged(a, v, assist, u, automatic).
             obliged(z, v, assist, t, discretionary). obliged(m, v, assist, u, automatic).
             obliged(b, v, assist, t, discretionary).
             conflict(a, u, u, reason).",
        )
        .unwrap()
        .0;
        let g = build_graph(&m, crate::value::Date::today(), "t");
        let x = build_matrix(&g);
        // t is the most common: a, b, z (all t) before m (u only); a has both, so first.
        assert_eq!(x.rows, ["a", "b", "z", "m"]);
        let a = &x.cells[&(0, 0)];
        assert_eq!((a.rank, a.level.as_str()), (1, "automatic"));
        assert_eq!(a.conflict, ["u: reason"]);
        let csv = to_matrix_csv(&x);
        assert!(csv.starts_with("obligor,v\n"));
        assert!(
            csv.contains("a,automatic (t u); conflict u: reason\n"),
            "{csv}"
        );
        assert_eq!(cell_safe("=cmd()"), "'=cmd()");
    }
}
