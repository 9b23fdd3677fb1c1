//! The hand-written `datafrog` programs of the three benchmark rule sets, over plain tuples.
//! Shared by the `datafrog_floor` example (the floor of bench/compare.sh) and the criterion
//! benchmarks in benches/, so both measure exactly the same floor.
//!
//! The rules (the same as bench/programs/*/):
//! - tc:    `path(X, Y) :- edge(X, Y).  path(X, Z) :- path(X, Y), edge(Y, Z).`
//! - sg:    `sg(X, Y) :- parent(P, X), parent(P, Y), X != Y.`
//!   `sg(X, Y) :- parent(A, X), sg(A, B), parent(B, Y).`
//! - oblig: `obliged(S, V) :- attack(A, V), member(V, T), member(S, T), S != V, S != A.`
//!   `chain(S, V) :- obliged(S, V).  chain(S, W) :- chain(S, V), obliged(V, W).`
//!   `unprotected(V) :- state(V), not obliged(_, V).`

use datafrog::{Iteration, Relation};

/// Transitive closure of `edges`: the size of `path`.
pub fn tc(edges: &[(u32, u32)]) -> usize {
    let edges: Relation<(u32, u32)> = edges.iter().copied().collect();
    let mut iteration = Iteration::new();
    let path = iteration.variable::<(u32, u32)>("path");
    let path_by_dst = iteration.variable::<(u32, u32)>("path_by_dst");
    path.insert(edges.iter().copied().collect());
    while iteration.changed() {
        // path(X, Z) :- path(X, Y), edge(Y, Z).
        path_by_dst.from_map(&path, |&(x, y)| (y, x));
        path.from_join(&path_by_dst, &edges, |_, &x, &z| (x, z));
    }
    path.complete().len()
}

/// Same generation over `parent(Parent, Child)` pairs: the size of `sg`.
pub fn sg(parent: &[(u32, u32)]) -> usize {
    let parent: Relation<(u32, u32)> = parent.iter().copied().collect();
    // sg(X, Y) :- parent(P, X), parent(P, Y), X != Y.
    let siblings: Relation<(u32, u32)> = Relation::from_join(&parent, &parent, |_, &x, &y| (x, y))
        .iter()
        .filter(|(x, y)| x != y)
        .copied()
        .collect();
    let mut iteration = Iteration::new();
    let sg = iteration.variable::<(u32, u32)>("sg");
    let sg_bx = iteration.variable::<(u32, u32)>("sg_bx");
    sg.insert(siblings);
    while iteration.changed() {
        // sg(X, Y) :- parent(A, X), sg(A, B), parent(B, Y).
        sg_bx.from_join(&sg, &parent, |_a, &b, &x| (b, x));
        sg.from_join(&sg_bx, &parent, |_b, &x, &y| (x, y));
    }
    sg.complete().len()
}

/// Counts of the obligation workload: `(chain, obliged, unprotected)`.
pub fn oblig(state: &[u32], member: &[(u32, u32)], attack: &[(u32, u32)]) -> (usize, usize, usize) {
    let state: Relation<u32> = state.iter().copied().collect();
    // member(State, Treaty), attack(Aggressor, Victim)
    let member_by_state: Relation<(u32, u32)> = member.iter().copied().collect();
    let member_by_treaty: Relation<(u32, u32)> = member.iter().map(|&(s, t)| (t, s)).collect();
    let attack_by_victim: Relation<(u32, u32)> = attack.iter().map(|&(a, v)| (v, a)).collect();

    // obliged(S, V) :- attack(A, V), member(V, T), member(S, T), S != V, S != A.
    let victim_treaty: Relation<(u32, (u32, u32))> =
        Relation::from_join(&attack_by_victim, &member_by_state, |&v, &a, &t| {
            (t, (v, a))
        });
    let candidates: Relation<(u32, u32, u32)> =
        Relation::from_join(&victim_treaty, &member_by_treaty, |_t, &(v, a), &s| {
            (s, v, a)
        });
    let obliged: Relation<(u32, u32)> = candidates
        .iter()
        .filter(|&&(s, v, a)| s != v && s != a)
        .map(|&(s, v, _)| (s, v))
        .collect();

    // chain(S, V) :- obliged(S, V).  chain(S, W) :- chain(S, V), obliged(V, W).
    let mut iteration = Iteration::new();
    let chain = iteration.variable::<(u32, u32)>("chain");
    let chain_by_mid = iteration.variable::<(u32, u32)>("chain_by_mid");
    chain.insert(obliged.iter().copied().collect());
    while iteration.changed() {
        chain_by_mid.from_map(&chain, |&(s, v)| (v, s));
        chain.from_join(&chain_by_mid, &obliged, |_v, &s, &w| (s, w));
    }

    // unprotected(V) :- state(V), not obliged(_, V).
    let victims: Relation<u32> = obliged.iter().map(|&(_, v)| v).collect();
    // (datafrog 2.0.1's `Relation::from_antijoin` reads only the "recent" tuples of its first
    // input, which a `Relation` has none of, so the anti-join is a merge by hand.)
    let unprotected: Relation<u32> = state
        .iter()
        .filter(|v| victims.binary_search(v).is_err())
        .copied()
        .collect();

    (chain.complete().len(), obliged.len(), unprotected.len())
}
