//! The floor of the engine comparison (bench/compare.sh): hand-written `datafrog` programs of the
//! three benchmark rule sets, reading the same CSV files as the engines and printing
//! `relation<TAB>count` lines like `pacta eval --format count` (derived relations only).
//!
//! Usage: `cargo run --release --example datafrog_floor -- WORKLOAD DIR`
//! where WORKLOAD is `tc` (also `tc_1k`, `tc_5k`), `sg` (also `sg_tree`) or `oblig`, and DIR holds
//! the workload's CSV files as written by bench/gen.py (`edge.csv`; `parent.csv`;
//! `state.csv`, `member.csv`, `attack.csv`): integer columns, no header.
//!
//! The rules (the same as bench/programs/*/):
//! - tc:    `path(X, Y) :- edge(X, Y).  path(X, Z) :- path(X, Y), edge(Y, Z).`
//! - sg:    `sg(X, Y) :- parent(P, X), parent(P, Y), X != Y.`
//!   `sg(X, Y) :- parent(A, X), sg(A, B), parent(B, Y).`
//! - oblig: `obliged(S, V) :- attack(A, V), member(V, T), member(S, T), S != V, S != A.`
//!   `chain(S, V) :- obliged(S, V).  chain(S, W) :- chain(S, V), obliged(V, W).`
//!   `unprotected(V) :- state(V), not obliged(_, V).`

use datafrog::{Iteration, Relation};
use std::path::Path;
use std::process::exit;

/// Reads a headerless CSV file of `N` unsigned integer columns.
fn read<const N: usize>(dir: &Path, name: &str) -> Vec<[u32; N]> {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("datafrog_floor: {}: {e}", path.display());
        exit(2)
    });
    text.lines()
        .filter(|l| !l.is_empty())
        .enumerate()
        .map(|(i, line)| {
            let mut row = [0u32; N];
            let mut fields = line.split(',');
            for cell in row.iter_mut() {
                *cell = fields
                    .next()
                    .and_then(|f| f.trim().parse().ok())
                    .unwrap_or_else(|| {
                        eprintln!("datafrog_floor: {} row {}: bad row", path.display(), i + 1);
                        exit(2)
                    });
            }
            row
        })
        .collect()
}

fn pairs(dir: &Path, name: &str) -> Vec<(u32, u32)> {
    read::<2>(dir, name)
        .into_iter()
        .map(|[a, b]| (a, b))
        .collect()
}

fn tc(dir: &Path) -> Vec<(&'static str, usize)> {
    let edges: Relation<(u32, u32)> = pairs(dir, "edge.csv").into_iter().collect();
    let mut iteration = Iteration::new();
    let path = iteration.variable::<(u32, u32)>("path");
    let path_by_dst = iteration.variable::<(u32, u32)>("path_by_dst");
    path.insert(edges.iter().copied().collect());
    while iteration.changed() {
        // path(X, Z) :- path(X, Y), edge(Y, Z).
        path_by_dst.from_map(&path, |&(x, y)| (y, x));
        path.from_join(&path_by_dst, &edges, |_, &x, &z| (x, z));
    }
    vec![("path", path.complete().len())]
}

fn sg(dir: &Path) -> Vec<(&'static str, usize)> {
    let parent: Relation<(u32, u32)> = pairs(dir, "parent.csv").into_iter().collect();
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
    vec![("sg", sg.complete().len())]
}

fn oblig(dir: &Path) -> Vec<(&'static str, usize)> {
    let state: Relation<u32> = read::<1>(dir, "state.csv")
        .into_iter()
        .map(|[s]| s)
        .collect();
    let member = pairs(dir, "member.csv"); // member(State, Treaty)
    let member_by_state: Relation<(u32, u32)> = member.iter().copied().collect();
    let member_by_treaty: Relation<(u32, u32)> = member.iter().map(|&(s, t)| (t, s)).collect();
    let attack_by_victim: Relation<(u32, u32)> = pairs(dir, "attack.csv")
        .into_iter()
        .map(|(a, v)| (v, a))
        .collect();

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

    vec![
        ("chain", chain.complete().len()),
        ("obliged", obliged.len()),
        ("unprotected", unprotected.len()),
    ]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [workload, dir] = args.as_slice() else {
        eprintln!("usage: datafrog_floor tc|sg|oblig DIR");
        exit(2)
    };
    let dir = Path::new(dir);
    let counts = match workload.split('_').next().unwrap_or_default() {
        "tc" => tc(dir),
        "sg" => sg(dir),
        "oblig" => oblig(dir),
        other => {
            eprintln!("datafrog_floor: unknown workload `{other}` (tc, sg or oblig)");
            exit(2)
        }
    };
    for (name, n) in counts {
        println!("{name}\t{n}");
    }
}
