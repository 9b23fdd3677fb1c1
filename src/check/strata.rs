//! Stratification: the predicate dependency graph (edge body predicate → head predicate,
//! negative for `not` atoms and for every atom inside an aggregate), its strongly connected
//! components in evaluation order, and `cyclic_negation` for a negative edge inside one.

use super::preds::{PredId, Preds, Use};
use super::{Role, Stratum};
use crate::diag::{Code, Diagnostic};
use crate::syntax::span::Span;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};

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

/// Builds the dependency graph of every predicate (but `true`), reports negation through
/// recursion, and returns the components in evaluation order (dependencies first; among the
/// components that are ready, the one with the alphabetically smallest predicate first) —
/// when `order` asks for them, or none.
pub(super) fn stratify(preds: &Preds, order: bool, diags: &mut Vec<Diagnostic>) -> Vec<Stratum> {
    // Node `i` is predicate number `i`.
    let mut graph: DiGraph<&str, Dep> =
        DiGraph::with_capacity(preds.len(), preds.uses().len().saturating_sub(preds.len()));
    for p in 0..preds.len() as PredId {
        graph.add_node(preds.name(p));
    }
    let mut head = Preds::TRUE;
    for &Use { atom: u, pred } in preds.uses() {
        if u.role == Role::Head {
            head = pred;
            continue;
        }
        if head == Preds::TRUE || pred == Preds::TRUE {
            continue;
        }
        let dep = Dep {
            negative: u.role != Role::Pos,
            aggregate: matches!(u.role, Role::AggPos | Role::AggNeg),
            literal: u.literal,
        };
        graph.add_edge(
            NodeIndex::new(pred as usize),
            NodeIndex::new(head as usize),
            dep,
        );
    }

    let (comp, count) = super::scc::components(&graph);

    // Negation through recursion: once per component (one cycle, one error), at its first
    // negated literal in edge (= source) order.
    let mut reported = HashSet::new();
    for e in graph.edge_indices() {
        let (body, head) = graph.edge_endpoints(e).expect("edge exists");
        let dep = graph[e];
        if !dep.negative
            || comp[body.index()] != comp[head.index()]
            || !reported.insert(comp[head.index()])
        {
            continue;
        }
        let cycle = crate::diag::short_list(&cycle_through(&graph, &comp, head, body), " -> ");
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

    if !order {
        return Vec::new();
    }
    // Condensed graph, then Kahn's algorithm with deterministic ties. Flat arrays indexed by
    // component throughout: a million one-predicate components must not be a million small
    // allocations each.
    let members = group(
        count,
        (0..preds.len() as u32).map(|p| (comp[p as usize], p)),
    );
    let mut recursive: Vec<bool> = (0..count as u32).map(|c| members.of(c).len() > 1).collect();
    let mut links = Vec::new();
    for e in graph.edge_indices() {
        let (a, b) = graph.edge_endpoints(e).expect("edge exists");
        let (ca, cb) = (comp[a.index()], comp[b.index()]);
        if ca == cb {
            recursive[ca as usize] = true;
        } else {
            links.push((ca, cb));
        }
    }
    links.sort_unstable();
    links.dedup();
    let succ = group(count, links.iter().copied());
    let mut indegree = vec![0u32; count];
    for &t in &succ.items {
        indegree[t as usize] += 1;
    }
    // The smallest name of each component.
    let first = |c: u32| -> &str {
        members
            .of(c)
            .iter()
            .map(|&p| preds.name(p))
            .min()
            .expect("not empty")
    };
    let mut ready: BinaryHeap<Reverse<(&str, u32)>> = (0..count as u32)
        .filter(|&c| indegree[c as usize] == 0)
        .map(|c| Reverse((first(c), c)))
        .collect();
    let mut out = Vec::with_capacity(count);
    while let Some(Reverse((_, c))) = ready.pop() {
        let mut names: Vec<String> = members
            .of(c)
            .iter()
            .map(|&p| preds.name(p).to_string())
            .collect();
        names.sort_unstable();
        out.push(Stratum {
            preds: names,
            recursive: recursive[c as usize],
        });
        for &t in succ.of(c) {
            indegree[t as usize] -= 1;
            if indegree[t as usize] == 0 {
                ready.push(Reverse((first(t), t)));
            }
        }
    }
    out
}

/// Lists of `u32` by key `0..keys`, in one vector.
struct Grouped {
    /// Where each key's items start (one more entry than keys).
    starts: Vec<u32>,
    /// The items, key by key, each key's in the order given.
    items: Vec<u32>,
}

impl Grouped {
    fn of(&self, key: u32) -> &[u32] {
        &self.items[self.starts[key as usize] as usize..self.starts[key as usize + 1] as usize]
    }
}

/// Groups `(key, item)` pairs by key (a counting sort).
fn group(keys: usize, pairs: impl Iterator<Item = (u32, u32)> + Clone) -> Grouped {
    let mut starts = vec![0u32; keys + 1];
    for (k, _) in pairs.clone() {
        starts[k as usize + 1] += 1;
    }
    for k in 0..keys {
        starts[k + 1] += starts[k];
    }
    let mut fill = starts.clone();
    let mut items = vec![0; starts[keys] as usize];
    for (k, item) in pairs {
        items[fill[k as usize] as usize] = item;
        fill[k as usize] += 1;
    }
    Grouped { starts, items }
}

/// The cycle `head -> body -> ... -> head` in "depends on" direction, inside one component:
/// a shortest path from `body` back to `head`, choosing neighbours alphabetically.
fn cycle_through(
    graph: &DiGraph<&str, Dep>,
    comp: &[u32],
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

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::check::{Stratum, check};
    use crate::diag::{Code, Severity};
    use crate::syntax::ast::AggFunc;

    fn p0(name: &str) -> crate::syntax::ast::Atom {
        atom(name, vec![])
    }

    fn st(preds: &[&str], recursive: bool) -> Stratum {
        Stratum {
            preds: preds.iter().map(|s| s.to_string()).collect(),
            recursive,
        }
    }

    #[test]
    fn chain_of_negations_in_dependency_order() {
        // d :- c, not a.  c :- not b.  b :- not a.  a.
        let p = prog(vec![
            rule(p0("d"), vec![pos(p0("c")), not(p0("a"))]),
            rule(p0("c"), vec![pos(p0("true")), not(p0("b"))]),
            rule(p0("b"), vec![pos(p0("true")), not(p0("a"))]),
            fact(p0("a")),
        ]);
        let (a, diags) = check(&p);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            a.strata,
            vec![
                st(&["a"], false),
                st(&["b"], false),
                st(&["c"], false),
                st(&["d"], false)
            ]
        );
    }

    #[test]
    fn recursion_makes_one_recursive_stratum() {
        // path(X,Y) :- edge(X,Y).  path(X,Z) :- path(X,Y), edge(Y,Z).
        // even :- odd. odd :- even.  top :- even, path(_, _).  base.
        let xy = || vec![var("X"), var("Y")];
        let p = prog(vec![
            rule(atom("path", xy()), vec![pos(atom("edge", xy()))]),
            rule(
                atom("path", vec![var("X"), var("Z")]),
                vec![
                    pos(atom("path", xy())),
                    pos(atom("edge", vec![var("Y"), var("Z")])),
                ],
            ),
            rule(p0("even"), vec![pos(p0("odd"))]),
            rule(p0("odd"), vec![pos(p0("even"))]),
            rule(
                p0("top"),
                vec![pos(p0("even")), pos(atom("path", vec![wild(), wild()]))],
            ),
            fact(p0("base")),
        ]);
        let (a, _) = check(&p);
        assert_eq!(
            a.strata,
            vec![
                st(&["base"], false),
                st(&["edge"], false),
                st(&["even", "odd"], true),
                st(&["path"], true),
                st(&["top"], false),
            ]
        );
    }

    #[test]
    fn ties_are_broken_by_name() {
        // d :- b, c.  c :- a.  b :- a.  z.  y.  a.
        let p = prog(vec![
            rule(p0("d"), vec![pos(p0("c")), pos(p0("b"))]),
            rule(p0("c"), vec![pos(p0("a"))]),
            rule(p0("b"), vec![pos(p0("a"))]),
            fact(p0("z")),
            fact(p0("y")),
            fact(p0("a")),
        ]);
        let expected = vec![
            st(&["a"], false),
            st(&["b"], false),
            st(&["c"], false),
            st(&["d"], false),
            st(&["y"], false),
            st(&["z"], false),
        ];
        for _ in 0..5 {
            assert_eq!(check(&p).0.strata, expected);
        }
    }

    #[test]
    fn negation_through_a_two_cycle_names_it() {
        // p :- r, not q.  q :- p.  r.
        let n = not(p0("q"));
        let nspan = item_span(&n);
        let prog_ = prog(vec![
            rule(p0("p"), vec![pos(p0("r")), n]),
            rule(p0("q"), vec![pos(p0("p"))]),
            fact(p0("r")),
        ]);
        let (a, diags) = check(&prog_);
        assert_eq!(
            summary(&diags),
            vec![("cyclic_negation", Severity::Error, nspan)]
        );
        assert_eq!(diags[0].message, "negation through recursion: p -> q -> p");
        assert_eq!(
            a.strata,
            vec![st(&["p", "q"], true), st(&["r"], false)]
                .into_iter()
                .rev()
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn negation_through_a_longer_cycle_and_a_self_loop() {
        // p :- r, not q.  q :- s.  s :- p, t.  t :- r, not t.  r.
        let n = not(p0("q"));
        let nspan = item_span(&n);
        let self_neg = not(p0("t"));
        let sspan = item_span(&self_neg);
        let prog_ = prog(vec![
            rule(p0("p"), vec![pos(p0("r")), n]),
            rule(p0("q"), vec![pos(p0("s"))]),
            rule(p0("s"), vec![pos(p0("p")), pos(p0("t"))]),
            rule(p0("t"), vec![pos(p0("r")), self_neg]),
            fact(p0("r")),
        ]);
        let (_, diags) = check(&prog_);
        let cyc = with_code(&diags, Code::CyclicNegation);
        assert_eq!(cyc.len(), 2);
        assert_eq!(cyc[0].span, Some(nspan));
        assert_eq!(
            cyc[0].message,
            "negation through recursion: p -> q -> s -> p"
        );
        assert_eq!(cyc[1].span, Some(sspan));
        assert_eq!(cyc[1].message, "negation through recursion: t -> t");
    }

    #[test]
    fn aggregate_through_recursion() {
        // c(N) :- N = #count { X : c(X) }.
        let g = agg(
            "N",
            AggFunc::Count,
            vec![var("X")],
            vec![pos(atom("c", vec![var("X")]))],
        );
        let gspan = item_span(&g);
        let (_, diags) = check(&prog(vec![rule(atom("c", vec![var("N")]), vec![g])]));
        assert_eq!(
            summary(&diags),
            vec![("cyclic_negation", Severity::Error, gspan)]
        );
        assert_eq!(diags[0].message, "aggregate through recursion: c -> c");
    }

    #[test]
    fn aggregate_over_a_lower_stratum_orders_it_first() {
        // n(N) :- N = #count { X : item(X) }.  item(a).
        let p = prog(vec![
            rule(
                atom("n", vec![var("N")]),
                vec![agg(
                    "N",
                    AggFunc::Count,
                    vec![var("X")],
                    vec![pos(atom("item", vec![var("X")]))],
                )],
            ),
            fact(atom("item", vec![sym("a")])),
        ]);
        let (a, diags) = check(&p);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(a.strata, vec![st(&["item"], false), st(&["n"], false)]);
    }

    #[test]
    fn undefined_body_predicates_get_a_stratum_true_does_not() {
        let p = prog(vec![rule(p0("p"), vec![pos(p0("true")), not(p0("ghost"))])]);
        let (a, _) = check(&p);
        assert_eq!(
            a.arities.keys().cloned().collect::<Vec<_>>(),
            vec!["ghost", "p"]
        );
        assert_eq!(a.strata, vec![st(&["ghost"], false), st(&["p"], false)]);
    }
}
