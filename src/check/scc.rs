//! Strongly connected components of a directed graph, as one component number per node.
//!
//! Why not `petgraph::algo`: its Tarjan recurses (a chain of a million rules overflows the
//! stack) and its Kosaraju returns a vector per component (a million allocations for a chain
//! of a million one-predicate components). This is Tarjan's algorithm with an explicit stack,
//! writing numbers into one array.

use petgraph::graph::{DiGraph, NodeIndex};

/// No number yet.
const UNSEEN: u32 = u32::MAX;

/// The component of every node (numbered from 0 in the order Tarjan's algorithm completes
/// them: every component after all components it reaches), and the number of components.
pub(super) fn components<N, E>(graph: &DiGraph<N, E>) -> (Vec<u32>, usize) {
    let n = graph.node_count();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack: Vec<NodeIndex> = Vec::new();
    let mut calls = Vec::new();
    let mut next = 0u32;
    let mut count = 0u32;
    for root in graph.node_indices() {
        if index[root.index()] != UNSEEN {
            continue;
        }
        index[root.index()] = next;
        low[root.index()] = next;
        next += 1;
        on_stack[root.index()] = true;
        stack.push(root);
        calls.push((root, graph.neighbors(root)));
        while let Some((v, successors)) = calls.last_mut() {
            let v = *v;
            if let Some(w) = successors.next() {
                if index[w.index()] == UNSEEN {
                    index[w.index()] = next;
                    low[w.index()] = next;
                    next += 1;
                    on_stack[w.index()] = true;
                    stack.push(w);
                    calls.push((w, graph.neighbors(w)));
                } else if on_stack[w.index()] {
                    low[v.index()] = low[v.index()].min(index[w.index()]);
                }
                continue;
            }
            calls.pop();
            if let Some((u, _)) = calls.last() {
                low[u.index()] = low[u.index()].min(low[v.index()]);
            }
            if low[v.index()] == index[v.index()] {
                while let Some(w) = stack.pop() {
                    on_stack[w.index()] = false;
                    comp[w.index()] = count;
                    if w == v {
                        break;
                    }
                }
                count += 1;
            }
        }
    }
    (comp, count as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comps(nodes: usize, edges: &[(u32, u32)]) -> Vec<u32> {
        let mut g = DiGraph::<(), ()>::new();
        for _ in 0..nodes {
            g.add_node(());
        }
        for &(a, b) in edges {
            g.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
        }
        let (comp, count) = components(&g);
        assert!(comp.iter().all(|&c| (c as usize) < count));
        comp
    }

    #[test]
    fn cycles_share_a_number_and_come_before_what_reaches_them() {
        // 0 -> 1 -> 2 -> 1, 2 -> 3, 4 alone, 5 -> 5.
        let c = comps(6, &[(0, 1), (1, 2), (2, 1), (2, 3), (5, 5)]);
        assert_eq!(c[1], c[2]);
        let distinct: std::collections::BTreeSet<u32> = c.iter().copied().collect();
        assert_eq!(distinct.len(), 5);
        // Reverse topological order: a component is numbered after those it reaches.
        assert!(c[3] < c[1] && c[1] < c[0]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let n = 1_000_000;
        let edges: Vec<(u32, u32)> = (0..n - 1).map(|i| (i, i + 1)).collect();
        let c = comps(n as usize, &edges);
        assert_eq!(c[0] as usize, n as usize - 1);
        assert_eq!(c[n as usize - 1], 0);
    }
}
