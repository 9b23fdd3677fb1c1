//! Model → graph: states as nodes; obligations, hollow commitments toward victims and attacks
//! as edges; conflicts, unprotected victims and cycles marked. Every edge carries the evidence
//! (clause text with its fidelity and source) from the `clause` facts, never invented text.

use crate::driver::Model;
use crate::value::{Const, Date};
use petgraph::graph::DiGraph;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The exported graph.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Graph {
    /// The as-of date.
    pub as_of: String,
    /// What was evaluated (scenario file names).
    pub title: String,
    /// Level names by rank (1 = most automatic), from `level_rank` facts.
    pub levels: Vec<String>,
    /// States, sorted by id.
    pub nodes: Vec<Node>,
    /// Edges, sorted.
    pub edges: Vec<Edge>,
}

/// A state.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Node {
    /// The state's name in the knowledge base.
    pub id: String,
    /// Attacked by someone.
    pub victim: bool,
    /// Attacks someone.
    pub aggressor: bool,
    /// A victim no state is obliged to defend at `discretionary` or above.
    pub unprotected: bool,
    /// Conflicts: `Instrument1 / Instrument2: reason`.
    pub conflicts: Vec<String>,
    /// Part of a cycle of obligations (a strongly connected component of two or more).
    pub in_cycle: bool,
    /// Only reached through chains.
    pub chain_only: bool,
}

/// What an edge means.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// `obliged(From, To, Action, Instrument, Level)`.
    Obligation,
    /// If `To` acted and were attacked in turn, `From` would be obliged toward it.
    Chain,
    /// `hollow(Instrument, From, Reason)` toward the victim `To`.
    Hollow,
    /// `From` attacked `To`.
    Attack,
}

/// One edge.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Edge {
    /// Source state (the obligor, the hollow guarantor, the aggressor).
    pub from: String,
    /// Target state (the beneficiary, the victim).
    pub to: String,
    /// What it means.
    pub kind: EdgeKind,
    /// The instrument (empty for attacks).
    pub instrument: String,
    /// The level (obligations and chains), the reason (hollow) or the date (attacks).
    pub level: String,
    /// The level's rank, 1 = most automatic (0 when not an obligation).
    pub rank: usize,
    /// The action owed (`assist`, `consult`...), if any.
    pub action: String,
    /// Both ends lie on one cycle.
    pub in_cycle: bool,
    /// The evidence: clause references and their text, one per line.
    pub evidence: Vec<String>,
}

impl Edge {
    /// The short label drawn on the edge.
    pub fn label(&self) -> String {
        match self.kind {
            EdgeKind::Attack => format!("attack {}", self.level),
            EdgeKind::Hollow => format!("{} · hollow: {}", self.instrument, self.level),
            _ => format!("{} · {}", self.instrument, self.level),
        }
    }

    /// The tooltip: what, at which level, and the clause text.
    pub fn tooltip(&self) -> String {
        let head = match self.kind {
            EdgeKind::Obligation => format!(
                "{} must {} {} under {} — level: {}",
                self.from, self.action, self.to, self.instrument, self.level
            ),
            EdgeKind::Chain => format!(
                "chain: if {} acts and is attacked in turn, {} must {} it under {} — level: {}",
                self.to, self.from, self.action, self.instrument, self.level
            ),
            EdgeKind::Hollow => format!(
                "hollow: {}'s commitment under {} toward {} — {}",
                self.from, self.instrument, self.to, self.level
            ),
            EdgeKind::Attack => format!("{} attacks {} on {}", self.from, self.to, self.level),
        };
        std::iter::once(head)
            .chain(self.evidence.iter().cloned())
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Tuples of a relation, or none.
pub(super) fn rel<'a>(model: &'a Model, name: &str) -> &'a [Vec<Const>] {
    model.relations.get(name).map_or(&[], Vec::as_slice)
}

fn s(c: &Const) -> String {
    c.to_plain()
}

/// Longest clause text shown in a tooltip, in characters (marked when cut).
const MAX_TEXT: usize = 400;

/// `clause` facts by instrument.
pub(super) type Clauses<'a> = HashMap<String, Vec<&'a [Const]>>;

/// The `clause` facts of a model, by instrument.
pub(super) fn clause_index(model: &Model) -> Clauses<'_> {
    let mut out: Clauses = HashMap::new();
    for t in rel(model, "clause").iter().filter(|t| t.len() == 5) {
        out.entry(s(&t[0])).or_default().push(t);
    }
    out
}

/// The evidence for clauses `cs` of instrument `i`: `i c (fidelity; source): "text"`.
pub(super) fn evidence(model: &Model, i: &str, cs: &BTreeSet<String>) -> Vec<String> {
    evidence_from(&clause_index(model), i, cs)
}

fn evidence_from(clauses: &Clauses, i: &str, cs: &BTreeSet<String>) -> Vec<String> {
    clauses
        .get(i)
        .into_iter()
        .flatten()
        .filter(|t| cs.contains(&s(&t[1])))
        .map(|t| {
            let text = s(&t[2]);
            let cut: String = text.chars().take(MAX_TEXT).collect();
            let more = if cut.len() < text.len() { " [cut]" } else { "" };
            format!(
                "{i} {} ({}; {}): \"{cut}\"{more}",
                s(&t[1]),
                s(&t[3]),
                s(&t[4])
            )
        })
        .collect()
}

/// Level names with their ranks, most automatic first.
pub(super) fn level_ranks(model: &Model) -> Vec<(usize, String)> {
    let mut ranks: Vec<(usize, String)> = rel(model, "level_rank")
        .iter()
        .filter_map(|t| match (&t[0], t.get(1)) {
            (l, Some(Const::Int(n))) => Some((usize::try_from(*n).ok()?, s(l))),
            _ => None,
        })
        .collect();
    ranks.sort();
    ranks
}

/// Every `obliged` fact as an edge, with the clauses that were triggered for its beneficiary.
pub(super) fn obligations(model: &Model, ranks: &[(usize, String)]) -> Vec<Edge> {
    let rank_of = |l: &str| {
        ranks
            .iter()
            .find(|(_, n)| n == l)
            .map_or(ranks.len() + 1, |(r, _)| *r)
    };
    // Indexes, so large hypothetical models (chains) stay linear.
    let mut triggered: HashMap<(String, String), Vec<String>> = HashMap::new();
    for x in rel(model, "triggered").iter().filter(|x| x.len() == 4) {
        triggered
            .entry((s(&x[0]), s(&x[3])))
            .or_default()
            .push(s(&x[1]));
    }
    let duties: HashSet<(String, String, String)> = rel(model, "duty")
        .iter()
        .filter(|d| d.len() == 7)
        .map(|d| (s(&d[0]), s(&d[1]), s(&d[5])))
        .collect();
    let clauses = clause_index(model);
    let mut edges = Vec::new();
    for t in rel(model, "obliged") {
        let [st, v, action, i, level] = &t[..] else {
            continue;
        };
        let (v, i, action) = (s(v), s(i), s(action));
        let cs: BTreeSet<String> = triggered
            .get(&(i.clone(), v.clone()))
            .into_iter()
            .flatten()
            .filter(|c| duties.contains(&(i.clone(), (*c).clone(), action.clone())))
            .cloned()
            .collect();
        edges.push(Edge {
            from: s(st),
            to: v,
            kind: EdgeKind::Obligation,
            evidence: evidence_from(&clauses, &i, &cs),
            instrument: i,
            level: s(level),
            rank: rank_of(&s(level)),
            action,
            in_cycle: false,
        });
    }
    edges
}

/// Builds the graph of a model evaluated with scenarios as of `as_of`.
pub fn build_graph(model: &Model, as_of: Date, title: &str) -> Graph {
    let ranks = level_ranks(model);
    let mut edges: BTreeSet<Edge> = obligations(model, &ranks).into_iter().collect();
    let victims: BTreeSet<(String, String)> = rel(model, "victim")
        .iter()
        .map(|t| (s(&t[0]), s(&t[1])))
        .collect();
    for (v, a) in &victims {
        let date = rel(model, "opened_fire")
            .iter()
            .filter(|t| s(&t[0]) == *a && s(&t[1]) == *v)
            .map(|t| s(&t[2]))
            .min()
            .unwrap_or_default();
        edges.insert(Edge {
            from: a.clone(),
            to: v.clone(),
            kind: EdgeKind::Attack,
            instrument: String::new(),
            level: date,
            rank: 0,
            action: String::new(),
            in_cycle: false,
            evidence: Vec::new(),
        });
    }
    // Hollow commitments toward a victim that is a party to the instrument.
    for t in rel(model, "hollow") {
        let (i, st, reason) = (s(&t[0]), s(&t[1]), s(&t[2]));
        for (v, _) in &victims {
            // The victim is a party, and the hollow state owes it an act (not only restraint).
            let roles = |who: &str| -> BTreeSet<String> {
                rel(model, "listed_party")
                    .iter()
                    .filter(|p| s(&p[0]) == i && s(&p[1]) == who)
                    .map(|p| s(&p[2]))
                    .collect()
            };
            let (mine, theirs) = (roles(&st), roles(v));
            let owes = rel(model, "duty").iter().any(|d| {
                d.len() == 7
                    && s(&d[0]) == i
                    && mine.contains(&s(&d[2]))
                    && theirs.contains(&s(&d[3]))
            });
            if !owes || *v == st {
                continue;
            }
            let clauses: BTreeSet<String> = rel(model, "duty")
                .iter()
                .chain(rel(model, "negative_duty"))
                .filter(|d| s(&d[0]) == i)
                .map(|d| s(&d[1]))
                .collect();
            let mut evidence = evidence(model, &i, &clauses);
            for c in rel(model, "circular").iter().filter(|c| s(&c[0]) == i) {
                evidence.insert(0, format!("circular: {}", s(&c[1])));
            }
            edges.insert(Edge {
                from: st.clone(),
                to: v.clone(),
                kind: EdgeKind::Hollow,
                instrument: i.clone(),
                level: reason.clone(),
                rank: 0,
                action: String::new(),
                in_cycle: false,
                evidence,
            });
        }
    }
    let mut graph = Graph {
        as_of: as_of.to_string(),
        title: title.to_string(),
        levels: ranks.into_iter().map(|(_, n)| n).collect(),
        nodes: Vec::new(),
        edges: edges.into_iter().collect(),
    };
    finish(&mut graph, model);
    graph
}

/// Fills the nodes from the edges and the model's marks, and finds the cycles.
pub(super) fn finish(graph: &mut Graph, model: &Model) {
    let ids: BTreeSet<&String> = graph.edges.iter().flat_map(|e| [&e.from, &e.to]).collect();
    let conflicts = rel(model, "conflict");
    graph.nodes = ids
        .into_iter()
        .map(|id| Node {
            id: id.clone(),
            victim: graph
                .edges
                .iter()
                .any(|e| e.kind == EdgeKind::Attack && e.to == *id),
            aggressor: graph
                .edges
                .iter()
                .any(|e| e.kind == EdgeKind::Attack && e.from == *id),
            unprotected: rel(model, "unprotected").iter().any(|t| s(&t[0]) == *id),
            conflicts: conflicts
                .iter()
                .filter(|t| s(&t[0]) == *id)
                .map(|t| {
                    if t[1] == t[2] {
                        format!("{}: {}", s(&t[1]), s(&t[3]))
                    } else {
                        format!("{} / {}: {}", s(&t[1]), s(&t[2]), s(&t[3]))
                    }
                })
                .collect(),
            in_cycle: false,
            chain_only: graph
                .edges
                .iter()
                .filter(|e| e.from == *id || e.to == *id)
                .all(|e| e.kind == EdgeKind::Chain),
        })
        .collect();
    // Cycles among obligations and chains: strongly connected components of two or more.
    let index: BTreeMap<String, usize> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.clone(), i))
        .collect();
    let mut g = DiGraph::<(), ()>::new();
    let vs: Vec<_> = graph.nodes.iter().map(|_| g.add_node(())).collect();
    for e in &graph.edges {
        if matches!(e.kind, EdgeKind::Obligation | EdgeKind::Chain) {
            g.add_edge(vs[index[e.from.as_str()]], vs[index[e.to.as_str()]], ());
        }
    }
    let mut component = vec![usize::MAX; graph.nodes.len()];
    for (c, scc) in petgraph::algo::tarjan_scc(&g).into_iter().enumerate() {
        if scc.len() > 1 {
            for v in scc {
                component[v.index()] = c;
                graph.nodes[v.index()].in_cycle = true;
            }
        }
    }
    for e in &mut graph.edges {
        let (a, b) = (index[e.from.as_str()], index[e.to.as_str()]);
        e.in_cycle = component[a] != usize::MAX
            && component[a] == component[b]
            && matches!(e.kind, EdgeKind::Obligation | EdgeKind::Chain);
    }
}

impl Node {
    /// The tooltip: the state and its marks.
    pub fn tooltip(&self) -> String {
        let mut lines = vec![self.id.clone()];
        if self.aggressor {
            lines.push("aggressor".into());
        }
        if self.victim {
            lines.push("attacked".into());
        }
        if self.unprotected {
            lines.push("unprotected: no state obliged at discretionary level or above".into());
        }
        for c in &self.conflicts {
            lines.push(format!("conflict: {c}"));
        }
        if self.in_cycle {
            lines.push("on a cycle of obligations".into());
        }
        if self.chain_only {
            lines.push("pulled in only through a chain".into());
        }
        lines.join("\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Model {
        crate::driver::eval_text(text).unwrap().0
    }

    #[test]
    fn cycles_conflicts_and_evidence() {
        let m = model(
            "level_rank(automatic, 1). level_rank(discretionary, 2).
             obliged(a, b, assist, t, automatic). obliged(b, a, assist, t, discretionary).
             obliged(c, a, assist, u, discretionary).
             victim(a, x). opened_fire(x, a, 2020-01-01). conflict(c, u, t, both_sides).
             unprotected(z, x).
             triggered(t, art1, x, b). triggered(t, art1, x, a).
             duty(t, art1, member, member, armed_attack, assist, automatic).
             clause(t, art1, \"The parties shall assist.\", verbatim, \"the treaty\").",
        );
        let g = build_graph(&m, crate::value::Date::today(), "test");
        assert_eq!(g.levels, ["automatic", "discretionary"]);
        let node = |id: &str| g.nodes.iter().find(|n| n.id == id).unwrap();
        assert!(node("a").in_cycle && node("b").in_cycle && !node("c").in_cycle);
        assert!(node("a").victim && node("x").aggressor);
        assert_eq!(node("c").conflicts, ["u / t: both_sides"]);
        let ab = g
            .edges
            .iter()
            .find(|e| e.from == "a" && e.to == "b")
            .unwrap();
        assert!(ab.in_cycle);
        assert_eq!(ab.rank, 1);
        assert!(ab.tooltip().contains("\"The parties shall assist.\""));
        let ca = g.edges.iter().find(|e| e.from == "c").unwrap();
        assert!(
            !ca.in_cycle && ca.evidence.is_empty(),
            "no clause of u was triggered"
        );
        // Every writer copes with the cycle.
        let svg = super::super::to_svg(&g);
        assert!(svg.contains("<title>a must assist b under t"));
        assert!(super::super::to_dot(&g).contains("\"a\" -> \"b\""));
    }

    #[test]
    fn an_empty_model_draws_an_empty_graph() {
        let g = build_graph(&Model::default(), crate::value::Date::today(), "none");
        assert!(g.nodes.is_empty() && g.edges.is_empty());
        assert!(super::super::to_svg(&g).ends_with("</svg>\n"));
        assert!(super::super::to_graphml(&g).ends_with("</graphml>\n"));
    }
}
