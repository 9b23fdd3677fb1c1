//! Stratification: the predicate dependency graph (edge body predicate → head predicate,
//! negative for `not` atoms and for every atom inside an aggregate), its strongly connected
//! components in evaluation order, and `cyclic_negation` for a negative edge inside one.

use super::{Role, Stratum, TRUE, rule_atoms, rules};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::Program;
use crate::syntax::span::Span;
use petgraph::Direction;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};

/// A dependency: the head predicate reads the body predicate through this literal.
#[derive(Clone, Copy, Debug)]
struct Dep {
    /// Through `not` or an aggregate.
    negative: bool,
    /// Whether the literal is an aggregate (for the message).
    aggregate: bool,
    /// The `not` literal or the aggregate.
    literal: Span,
}

/// Builds the dependency graph of every predicate in `arities`, reports negation through
/// recursion, and returns the components in evaluation order (dependencies first; among the
/// components that are ready, the one with the alphabetically smallest predicate first).
pub(super) fn stratify(
    program: &Program,
    arities: &BTreeMap<String, usize>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Stratum> {
    let mut graph: DiGraph<&str, Dep> = DiGraph::new();
    let index: HashMap<&str, NodeIndex> = arities
        .keys()
        .map(|name| (name.as_str(), graph.add_node(name.as_str())))
        .collect();
    for rule in rules(program) {
        let Some(&head) = index.get(rule.head.pred.name.as_str()) else {
            continue;
        };
        for u in rule_atoms(rule) {
            if !u.role.in_body() || u.atom.pred.name == TRUE {
                continue;
            }
            let Some(&body) = index.get(u.atom.pred.name.as_str()) else {
                continue;
            };
            let dep = Dep {
                negative: u.role != Role::Pos,
                aggregate: matches!(u.role, Role::AggPos | Role::AggNeg),
                literal: u.literal,
            };
            graph.add_edge(body, head, dep);
        }
    }

    let sccs = tarjan_scc(&graph);
    let mut comp = vec![0; graph.node_count()];
    for (c, nodes) in sccs.iter().enumerate() {
        for n in nodes {
            comp[n.index()] = c;
        }
    }

    // Negation through recursion, once per literal, in edge (= source) order.
    let mut reported = HashSet::new();
    for e in graph.edge_indices() {
        let (body, head) = graph.edge_endpoints(e).expect("edge exists");
        let dep = graph[e];
        if !dep.negative
            || comp[body.index()] != comp[head.index()]
            || !reported.insert(dep.literal)
        {
            continue;
        }
        let cycle = cycle_through(&graph, &comp, head, body).join(" -> ");
        let what = if dep.aggregate {
            "aggregate"
        } else {
            "negation"
        };
        diags.push(
            Diagnostic::error(
                Code::CyclicNegation,
                dep.literal,
                format!("{what} through recursion: {cycle}"),
            )
            .with_hint(format!(
                "a predicate cannot depend on itself through {what}; compute the {} predicate \
                     without using the head predicate",
                if dep.aggregate {
                    "aggregated"
                } else {
                    "negated"
                }
            )),
        );
    }

    // Condensed graph, then Kahn's algorithm with deterministic ties.
    let preds: Vec<Vec<String>> = sccs
        .iter()
        .map(|nodes| {
            let mut v: Vec<String> = nodes.iter().map(|n| graph[*n].to_string()).collect();
            v.sort();
            v
        })
        .collect();
    let mut succ: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); sccs.len()];
    let mut recursive: Vec<bool> = sccs.iter().map(|nodes| nodes.len() > 1).collect();
    for e in graph.edge_indices() {
        let (a, b) = graph.edge_endpoints(e).expect("edge exists");
        let (ca, cb) = (comp[a.index()], comp[b.index()]);
        if ca == cb {
            recursive[ca] = true;
        } else {
            succ[ca].insert(cb);
        }
    }
    let mut indegree = vec![0usize; sccs.len()];
    for s in &succ {
        for &t in s {
            indegree[t] += 1;
        }
    }
    let mut ready: BinaryHeap<Reverse<(&str, usize)>> = (0..sccs.len())
        .filter(|&c| indegree[c] == 0)
        .map(|c| Reverse((preds[c][0].as_str(), c)))
        .collect();
    let mut out = Vec::with_capacity(sccs.len());
    while let Some(Reverse((_, c))) = ready.pop() {
        out.push(Stratum {
            preds: preds[c].clone(),
            recursive: recursive[c],
        });
        for &t in &succ[c] {
            indegree[t] -= 1;
            if indegree[t] == 0 {
                ready.push(Reverse((preds[t][0].as_str(), t)));
            }
        }
    }
    out
}

/// The cycle `head -> body -> ... -> head` in "depends on" direction, inside one component:
/// a shortest path from `body` back to `head`, choosing neighbours alphabetically.
fn cycle_through(
    graph: &DiGraph<&str, Dep>,
    comp: &[usize],
    head: NodeIndex,
    body: NodeIndex,
) -> Vec<String> {
    let c = comp[head.index()];
    let mut prev: HashMap<NodeIndex, NodeIndex> = HashMap::new();
    let mut seen = HashSet::from([body]);
    let mut queue = VecDeque::from([body]);
    'search: while let Some(n) = queue.pop_front() {
        if n == head {
            break;
        }
        // n depends on m when there is an edge m -> n.
        let mut next: Vec<NodeIndex> = graph
            .neighbors_directed(n, Direction::Incoming)
            .filter(|m| comp[m.index()] == c)
            .collect();
        next.sort_by_key(|m| graph[*m]);
        next.dedup();
        for m in next {
            if seen.insert(m) {
                prev.insert(m, n);
                if m == head {
                    break 'search;
                }
                queue.push_back(m);
            }
        }
    }
    // Walk back from head to body, then put head in front.
    let mut path = vec![head];
    let mut n = head;
    while n != body {
        n = prev[&n];
        path.push(n);
    }
    path.reverse(); // body ... head
    let mut out = vec![graph[head].to_string()];
    out.extend(path.iter().map(|n| graph[*n].to_string()));
    out
}
