//! Grouping for readable pictures: states that owe the same beneficiaries the same set of
//! (instrument, level) become one node ("26 states"), with one edge per group and instrument.
//! An attack on Poland draws as five boxes instead of forty, and a state is never grouped when
//! an edge ends at it (a beneficiary, a victim, a chain's acting state) or it attacks, so every
//! arrow still has a single state at its head.

use super::graph::{EdgeKind, Graph};
use super::names::{Names, clause_ref, evidence_clauses};
use std::collections::{BTreeMap, BTreeSet};

/// The grouped picture's data.
#[derive(Clone, Debug, Default)]
pub struct Grouped {
    /// Title line.
    pub title: String,
    /// Level names by rank.
    pub levels: Vec<String>,
    /// Groups and single states.
    pub nodes: Vec<GNode>,
    /// One edge per (group, target, kind, instrument).
    pub edges: Vec<GEdge>,
}

/// A node: one state, or a group of states with the same commitments.
#[derive(Clone, Debug, Default)]
pub struct GNode {
    /// Legend key of a group (`A`, `B`...), empty for a single state.
    pub key: String,
    /// Member states, sorted.
    pub members: Vec<String>,
    /// The drawn lines: the name (or `A · 26 states`), then one line per commitment.
    pub lines: Vec<String>,
    /// Attacks someone.
    pub aggressor: bool,
    /// Attacked.
    pub victim: bool,
    /// Some member is in conflict, or the state is an unprotected victim.
    pub alert: bool,
    /// Some member lies on a cycle of obligations.
    pub in_cycle: bool,
    /// Only reached through chains.
    pub chain_only: bool,
    /// The tooltip.
    pub tooltip: String,
}

/// A drawn edge standing for the edges of every member of its source group.
#[derive(Clone, Debug)]
pub struct GEdge {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Kind.
    pub kind: EdgeKind,
    /// Instrument id (empty for attacks).
    pub instrument: String,
    /// The most automatic rank among the levels (0 when not an obligation).
    pub rank: usize,
    /// The drawn label: only attacks carry one (their date); the rest is in the source node.
    pub label: String,
    /// The tooltip: who, what, the levels, the clause texts.
    pub tooltip: String,
    /// How many edges of the full graph it stands for.
    pub count: usize,
}

/// One line describing a commitment: `North Atlantic Treaty Art 5 · discretionary`.
fn commitment(
    names: &Names,
    kind: &EdgeKind,
    instrument: &str,
    level: &str,
    ev: &[String],
) -> String {
    let refs: Vec<String> = evidence_clauses(instrument, ev)
        .iter()
        .map(|c| clause_ref(c))
        .collect();
    let mut head = names.title(instrument);
    if !refs.is_empty() {
        head = format!("{head} {}", refs.join(", "));
    }
    match kind {
        EdgeKind::Hollow => format!("{head} · hollow: {level}"),
        EdgeKind::Chain => format!("chain: {head} · {level}"),
        _ => format!("{head} · {level}"),
    }
}

/// Levels (or hollow reasons) and evidence of one commitment line.
type Lines<'a> = (Vec<&'a str>, Vec<String>);

/// Groups `g`.
pub fn group(g: &Graph, names: &Names) -> Grouped {
    // Pinned states: edges end at them, or they attack.
    let pinned: BTreeSet<&str> = g
        .edges
        .iter()
        .flat_map(|e| {
            let mut v = vec![e.to.as_str()];
            if e.kind == EdgeKind::Attack {
                v.push(e.from.as_str());
            }
            v
        })
        .collect();
    // Each state's signature: its outgoing (target, kind, instrument, level) set.
    type Sig = Vec<(String, EdgeKind, String, String)>;
    let mut sig: BTreeMap<&str, Sig> = BTreeMap::new();
    for e in &g.edges {
        if e.kind != EdgeKind::Attack {
            sig.entry(e.from.as_str()).or_default().push((
                e.to.clone(),
                e.kind.clone(),
                e.instrument.clone(),
                e.level.clone(),
            ));
        }
    }
    for s in sig.values_mut() {
        s.sort();
        s.dedup();
    }
    let mut by_sig: BTreeMap<Sig, Vec<String>> = BTreeMap::new();
    let mut singles: Vec<String> = Vec::new();
    for n in &g.nodes {
        match sig.get(n.id.as_str()) {
            Some(s) if !pinned.contains(n.id.as_str()) => {
                by_sig.entry(s.clone()).or_default().push(n.id.clone())
            }
            _ => singles.push(n.id.clone()),
        }
    }
    let mut members: Vec<Vec<String>> = singles.into_iter().map(|s| vec![s]).collect();
    // Largest groups first, so the keys read A, B, C by size.
    let mut groups: Vec<Vec<String>> = by_sig.into_values().collect();
    groups.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    members.extend(groups);
    let node_of: BTreeMap<&str, usize> = members
        .iter()
        .enumerate()
        .flat_map(|(i, m)| m.iter().map(move |s| (s.as_str(), i)))
        .collect();
    let info: BTreeMap<&str, &super::graph::Node> =
        g.nodes.iter().map(|n| (n.id.as_str(), n)).collect();

    // Edges: one per (source node, target node, kind, instrument).
    type Key = (usize, usize, EdgeKind, String);
    let mut bundles: BTreeMap<Key, Vec<&super::graph::Edge>> = BTreeMap::new();
    for e in &g.edges {
        let key = (
            node_of[e.from.as_str()],
            node_of[e.to.as_str()],
            e.kind.clone(),
            e.instrument.clone(),
        );
        bundles.entry(key).or_default().push(e);
    }
    let mut key_no = 0u8;
    let mut nodes: Vec<GNode> = Vec::new();
    for m in &members {
        let many = m.len() > 1;
        let key = if many {
            let k = char::from(b'A' + key_no % 26).to_string();
            key_no += 1;
            k
        } else {
            String::new()
        };
        let first = if many {
            format!("{key} · {} states", m.len())
        } else {
            m[0].clone()
        };
        // The commitments of the first member stand for all (same signature).
        let out: Vec<&super::graph::Edge> = g
            .edges
            .iter()
            .filter(|e| e.from == m[0] && e.kind != EdgeKind::Attack)
            .collect();
        let targets: BTreeSet<&str> = out.iter().map(|e| e.to.as_str()).collect();
        // One line per (target, kind, instrument), its levels (or hollow reasons) joined.
        let mut per: BTreeMap<(&str, &EdgeKind, &str), Lines> = BTreeMap::new();
        for e in &out {
            let slot = per
                .entry((e.to.as_str(), &e.kind, e.instrument.as_str()))
                .or_default();
            if !slot.0.contains(&e.level.as_str()) {
                slot.0.push(&e.level);
            }
            if e.kind != EdgeKind::Hollow {
                slot.1.extend(e.evidence.iter().cloned());
            }
        }
        let mut lines = vec![first];
        for ((to, kind, instrument), (levels, ev)) in per {
            let mut line = commitment(names, kind, instrument, &levels.join(", "), &ev);
            if targets.len() > 1 {
                line = format!("→ {to}: {line}");
            }
            lines.push(line);
        }
        let ns: Vec<&super::graph::Node> = m
            .iter()
            .filter_map(|s| info.get(s.as_str()).copied())
            .collect();
        let mut tip = if many {
            vec![format!("{} states: {}", m.len(), m.join(", "))]
        } else {
            vec![
                ns.first()
                    .map(|n| n.tooltip())
                    .unwrap_or_else(|| m[0].clone()),
            ]
        };
        if many {
            for n in &ns {
                for c in &n.conflicts {
                    tip.push(format!("{}: conflict: {c}", n.id));
                }
            }
        }
        nodes.push(GNode {
            key,
            members: m.clone(),
            lines,
            aggressor: ns.iter().any(|n| n.aggressor),
            victim: ns.iter().any(|n| n.victim),
            alert: ns.iter().any(|n| n.unprotected || !n.conflicts.is_empty()),
            in_cycle: ns.iter().any(|n| n.in_cycle),
            chain_only: !ns.is_empty() && ns.iter().all(|n| n.chain_only),
            tooltip: tip.join("\n"),
        });
    }
    let mut edges = Vec::new();
    for ((from, to, kind, instrument), es) in bundles {
        let rank = es.iter().map(|e| e.rank).min().unwrap_or(0);
        let who = &nodes[from];
        let subject = if who.members.len() > 1 {
            format!("group {} ({} states)", who.key, who.members.len())
        } else {
            who.members[0].clone()
        };
        let target = &nodes[to].members[0];
        let label = if kind == EdgeKind::Attack {
            let date = &es[0].level;
            match names.forces.get(&(es[0].from.clone(), es[0].to.clone())) {
                Some(place) => format!("attack on forces in {place}, {date}"),
                None => format!("attack {date}"),
            }
        } else {
            String::new()
        };
        let mut tip = Vec::new();
        let full = names
            .full
            .get(&instrument)
            .cloned()
            .unwrap_or(instrument.clone());
        let mut levels = BTreeSet::new();
        let mut evidence: Vec<String> = Vec::new();
        // One line per (action, level); the members share them.
        for e in es.iter().filter(|e| e.from == es[0].from) {
            levels.insert(match kind {
                EdgeKind::Obligation => format!("{subject} must {} {target} under {full} — level: {}", e.action, e.level),
                EdgeKind::Chain => format!("chain: if {target} acts and is attacked in turn, {subject} must {} it under {full} — level: {}", e.action, e.level),
                EdgeKind::Hollow => format!("hollow: {subject}'s commitment under {full} toward {target} — {}", e.level),
                EdgeKind::Attack => format!("{subject} attacks {target}: {label}"),
            });
            for line in &e.evidence {
                if !evidence.contains(line) {
                    evidence.push(line.clone());
                }
            }
        }
        tip.extend(levels);
        tip.extend(evidence);
        edges.push(GEdge {
            from,
            to,
            kind,
            instrument,
            rank,
            label,
            tooltip: tip.join("\n"),
            count: es.len(),
        });
    }
    Grouped {
        title: format!("Obligations as of {} — {}", g.as_of, g.title),
        levels: g.levels.clone(),
        nodes,
        edges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::build_graph;

    #[test]
    fn same_commitments_share_a_node() {
        let m = crate::driver::eval_text(
            "level_rank(automatic, 1). level_rank(discretionary, 2).
             instrument(t, \"Some Treaty (ST)\").
             obliged(a, v, assist, t, automatic). obliged(b, v, assist, t, automatic).
             obliged(c, v, assist, t, discretionary).
             victim(v, x). opened_fire(x, v, 2020-01-01).",
        )
        .unwrap()
        .0;
        let g = build_graph(&m, crate::value::Date::today(), "t");
        let gr = group(&g, &Names::from_model(&m));
        let ab = gr.nodes.iter().find(|n| n.members == ["a", "b"]).unwrap();
        assert_eq!(ab.lines, ["A · 2 states", "ST · automatic"]);
        assert!(ab.tooltip.contains("a, b"));
        assert_eq!(gr.nodes.len(), 4, "v, x, c and the group");
        assert_eq!(gr.edges.len(), 3);
        let attack = gr
            .edges
            .iter()
            .find(|e| e.kind == EdgeKind::Attack)
            .unwrap();
        assert_eq!(attack.label, "attack 2020-01-01");
        let e = gr.edges.iter().find(|e| e.count == 2).unwrap();
        assert!(
            e.tooltip
                .contains("group A (2 states) must assist v under Some Treaty (ST)")
        );
    }
}
