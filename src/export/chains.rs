//! Chains: which further states would be pulled in if the obliged states act.
//!
//! A state that acts for a victim (obliged at `discretionary` or above) enters the conflict, and
//! the aggressor may strike it in turn. Rather than re-implement the rules, this asks them: it
//! adds a hypothetical `attack(Aggressor, ActingState, Date)` for every acting state, evaluates
//! the knowledge base again, and reads which states *not yet involved* become obliged toward
//! them. Those are the chain edges; states pulled in at an acting level act in turn, up to
//! [`MAX_ROUNDS`] rounds.

use super::graph::{Graph, finish, level_ranks, obligations, rel};
use crate::diag::Diagnostic;
use crate::driver::Model;
use crate::eval::Limits;
use crate::scenario::{Group, Scenario};
use crate::syntax::ast::Rule;
use crate::syntax::span::Span;
use crate::value::{Const, Date};
use crate::workspace::Workspace;
use std::collections::{BTreeMap, BTreeSet};

/// How many times acting states pull in further states.
pub const MAX_ROUNDS: usize = 3;

/// The most automatic rank that counts as acting (`discretionary`: the `defended` threshold).
const ACTING: usize = 2;

/// Adds chain edges to `graph` (built from `model`, the evaluation of `scenarios` as of
/// `as_of`).
pub fn add_chains(
    graph: &mut Graph,
    world: &Workspace,
    scenarios: &[&Scenario],
    model: &Model,
    as_of: Date,
    limits: &Limits,
) -> Result<(), Vec<Diagnostic>> {
    use super::EdgeKind::{Attack, Obligation};
    let ranks = level_ranks(model);
    let mut involved: BTreeSet<String> = graph.nodes.iter().map(|n| n.id.clone()).collect();
    // When each aggressor first struck: the hypothetical strikes happen then too.
    let mut when: BTreeMap<String, Const> = BTreeMap::new();
    for t in rel(model, "attack_date") {
        let e = when.entry(t[0].to_plain()).or_insert(t[2].clone());
        if t[2] < *e {
            *e = t[2].clone();
        }
    }
    let aggressor_of: BTreeMap<&str, &str> = graph
        .edges
        .iter()
        .filter(|e| e.kind == Attack)
        .map(|e| (e.to.as_str(), e.from.as_str()))
        .collect();
    let mut frontier: BTreeMap<String, String> = graph
        .edges
        .iter()
        .filter(|e| e.kind == Obligation && e.rank <= ACTING)
        .filter_map(|e| Some((e.from.clone(), aggressor_of.get(e.to.as_str())?.to_string())))
        .filter(|(s, a)| s != a)
        .collect();
    let mut group = Group {
        name: "chains".into(),
        adds: Vec::new(),
        retracts: Vec::new(),
        span: Span::default(),
    };
    let mut chain_edges = Vec::new();
    for _ in 0..MAX_ROUNDS {
        if frontier.is_empty() {
            break;
        }
        for (state, aggressor) in &frontier {
            if let Some(date) = when.get(aggressor) {
                group.adds.push(attack(aggressor, state, date.clone()));
            }
        }
        let built = world.build(scenarios, &[&group], as_of)?;
        let hypo = world
            .evaluate(&built, limits)?
            .model_within(
                |n| matches!(n, "obliged" | "triggered" | "duty" | "clause"),
                limits,
            )
            .map_err(|d| vec![d])?;
        let mut next = BTreeMap::new();
        for mut e in obligations(&hypo, &ranks) {
            let Some(aggressor) = frontier.get(&e.to) else {
                continue;
            };
            if involved.contains(&e.from) || e.from == *aggressor {
                continue;
            }
            if e.rank <= ACTING {
                next.insert(e.from.clone(), aggressor.clone());
            }
            e.kind = super::EdgeKind::Chain;
            chain_edges.push(e);
        }
        involved.extend(next.keys().cloned());
        involved.extend(chain_edges.iter().map(|e| e.from.clone()));
        frontier = next;
    }
    graph.edges.extend(chain_edges);
    graph.edges.sort();
    graph.edges.dedup();
    finish(graph, model);
    Ok(())
}

/// The fact `attack(A, V, Date)`.
fn attack(aggressor: &str, victim: &str, date: Const) -> Rule {
    let args = vec![
        Const::Str(aggressor.into()),
        Const::Str(victim.into()),
        date,
    ];
    Rule::fact("attack", args, Span::default())
}
