//! Filters shared by every export format (`--focus`, `--min-level`, `--instrument`), applied to
//! the built [`Graph`] so that DOT, JSON, the SVGs, the matrix and the page all show the same
//! subset.

use super::graph::{EdgeKind, Graph};

/// What to keep. Empty fields keep everything.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Keep only edges from or to this state.
    pub focus: Option<String>,
    /// Keep only obligations and chains at this level or a more automatic one (hollow
    /// commitments and attacks have no level and stay).
    pub min_level: Option<String>,
    /// Keep only edges under this instrument (attacks stay).
    pub instrument: Option<String>,
}

impl Filter {
    /// Whether the filter keeps everything.
    pub fn is_empty(&self) -> bool {
        self.focus.is_none() && self.min_level.is_none() && self.instrument.is_none()
    }

    /// Removes the edges the filter drops, then the nodes no edge touches any more. Errors
    /// (as a message with a hint) when the level is not one of the graph's levels.
    pub fn apply(&self, g: &mut Graph) -> Result<(), (String, String)> {
        let max_rank = match &self.min_level {
            None => usize::MAX,
            Some(l) => match g.levels.iter().position(|x| x == l) {
                Some(p) => p + 1,
                None => {
                    return Err((
                        format!("`{l}` is not a level of the knowledge base"),
                        format!("levels, most automatic first: {}", g.levels.join(", ")),
                    ));
                }
            },
        };
        g.edges.retain(|e| {
            let ranked = matches!(e.kind, EdgeKind::Obligation | EdgeKind::Chain);
            let level_ok = !ranked || e.rank <= max_rank;
            let instrument_ok = match &self.instrument {
                None => true,
                Some(i) => e.kind == EdgeKind::Attack || e.instrument == *i,
            };
            let focus_ok = match &self.focus {
                None => true,
                Some(f) => e.from == *f || e.to == *f,
            };
            level_ok && instrument_ok && focus_ok
        });
        // An attack alone says nothing about the filtered obligations: keep it only when its
        // victim is still the end of some other edge (or the filter keeps everything else).
        if self.min_level.is_some() || self.instrument.is_some() {
            let victims: Vec<String> = g
                .edges
                .iter()
                .filter(|e| e.kind != EdgeKind::Attack)
                .map(|e| e.to.clone())
                .collect();
            g.edges
                .retain(|e| e.kind != EdgeKind::Attack || victims.contains(&e.to));
        }
        let used: std::collections::BTreeSet<&str> = g
            .edges
            .iter()
            .flat_map(|e| [e.from.as_str(), e.to.as_str()])
            .collect();
        let keep: Vec<bool> = g
            .nodes
            .iter()
            .map(|n| used.contains(n.id.as_str()))
            .collect();
        let mut k = keep.iter();
        g.nodes.retain(|_| *k.next().unwrap_or(&false));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::build_graph;

    fn graph() -> Graph {
        let m = crate::driver::eval_text(
            "level_rank(automatic, 1). level_rank(discretionary, 2).
             obliged(a, v, assist, t, automatic). obliged(b, v, assist, u, discretionary).
             obliged(c, a, assist, u, discretionary).
             victim(v, x). opened_fire(x, v, 2020-01-01).",
        )
        .unwrap()
        .0;
        build_graph(&m, crate::value::Date::today(), "t")
    }

    #[test]
    fn each_filter_keeps_its_subset() {
        let mut g = graph();
        Filter {
            min_level: Some("automatic".into()),
            ..Filter::default()
        }
        .apply(&mut g)
        .unwrap();
        let ids: Vec<&str> = g.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["a", "v", "x"]);
        let mut g = graph();
        Filter {
            focus: Some("a".into()),
            ..Filter::default()
        }
        .apply(&mut g)
        .unwrap();
        assert_eq!(g.edges.len(), 2);
        let mut g = graph();
        Filter {
            instrument: Some("u".into()),
            ..Filter::default()
        }
        .apply(&mut g)
        .unwrap();
        assert!(g.edges.iter().all(|e| e.instrument == "u" || e.to == "v"));
        assert_eq!(g.edges.len(), 3, "two under u and the attack on v");
        let err = Filter {
            min_level: Some("urgent".into()),
            ..Filter::default()
        }
        .apply(&mut graph())
        .unwrap_err();
        assert!(err.1.contains("automatic, discretionary"));
    }
}
