//! Pacta against hand-written `datafrog` on the three rule sets of bench/compare.sh, in the
//! same run: transitive closure (1,000 nodes / 5,000 edges), same generation (a 5,000-node
//! random tree) and the obligation workload (2,000 states, 300 treaties, 1,000 attacks).
//!
//! The data are generated exactly as bench/gen.py generates them (same xorshift, same seeds), so
//! the counts match the harness's. The floor is the very code of the `datafrog_floor` example.
//! Pacta's figure covers planning, interning the facts and evaluation; parsing and checking
//! happen once outside the timed loop, as the hand-written program has no text to read.
//! Run: `cargo bench --bench engines` (or `-- oblig` for one workload).

#[path = "../examples/datafrog_floor/programs.rs"]
mod floor;

use criterion::{Criterion, criterion_group, criterion_main};
use pacta::driver::{Loaded, load, run};
use pacta::eval::Limits;
use pacta::syntax::span::{SourceFile, SourceMap};
use std::collections::HashSet;
use std::fmt::Write;
use std::hint::black_box;

/// bench/gen.py's 64-bit xorshift.
struct XorShift(u64);

impl XorShift {
    fn below(&mut self, n: u32) -> u32 {
        let mut s = self.0;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        self.0 = s;
        (s % u64::from(n)) as u32
    }
}

/// `edges` distinct directed edges, ends uniform among `nodes` (gen.py `random_graph`).
fn random_graph(nodes: u32, edges: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = XorShift(seed);
    let (mut seen, mut out) = (HashSet::new(), Vec::new());
    while out.len() < edges {
        let e = (rng.below(nodes), rng.below(nodes));
        if seen.insert(e) {
            out.push(e);
        }
    }
    out
}

/// A random recursive tree as `parent(P, C)` pairs (gen.py `random_tree`).
fn random_tree(nodes: u32, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = XorShift(seed);
    (1..nodes).map(|i| (rng.below(i), i)).collect()
}

/// The obligation data: states, `member(State, Treaty)`, `attack(Aggressor, Victim)`
/// (gen.py `obligation` with treaty sizes 2..=30).
type Obligation = (Vec<u32>, Vec<(u32, u32)>, Vec<(u32, u32)>);

fn obligation(states: u32, treaties: u32, attacks: usize, seed: u64) -> Obligation {
    let mut rng = XorShift(seed);
    let mut member = Vec::new();
    for t in 0..treaties {
        let size = 2 + rng.below(29) as usize;
        let (mut chosen, mut order) = (HashSet::new(), Vec::new());
        while order.len() < size {
            let s = rng.below(states);
            if chosen.insert(s) {
                order.push(s);
            }
        }
        member.extend(order.into_iter().map(|s| (s, t)));
    }
    let (mut seen, mut attack) = (HashSet::new(), Vec::new());
    while attack.len() < attacks {
        let (a, v) = (rng.below(states), rng.below(states));
        if a != v && seen.insert((a, v)) {
            attack.push((a, v));
        }
    }
    ((0..states).collect(), member, attack)
}

/// Loads the rules (text) and the facts (as fact statements) into a checked program.
fn pacta_program(rules: &str, facts: &[(&str, Vec<Vec<u32>>)]) -> Loaded {
    let mut text = String::from(rules);
    for (pred, rows) in facts {
        for row in rows {
            let args: Vec<String> = row.iter().map(u32::to_string).collect();
            writeln!(text, "{pred}({}).", args.join(", ")).expect("write to a String");
        }
    }
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("bench.pacta", text));
    let loaded = load(sources);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded
}

/// Evaluates `loaded` and returns the sizes of the named relations.
fn pacta_counts(loaded: &Loaded, names: &[&str]) -> Vec<usize> {
    let evaluated = run(loaded, &[], &Limits::default()).expect("evaluates");
    names
        .iter()
        .map(|name| {
            let at = evaluated.plan.preds.iter().position(|p| p.name == *name);
            evaluated.db.relations[at.expect("relation exists")].len
        })
        .collect()
}

fn pairs(rows: &[(u32, u32)]) -> Vec<Vec<u32>> {
    rows.iter().map(|&(a, b)| vec![a, b]).collect()
}

fn bench(c: &mut Criterion) {
    let edges = random_graph(1000, 5000, 0x9E37_79B9_7F4A_7C15);
    let tc = pacta_program(
        "path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n",
        &[("edge", pairs(&edges))],
    );
    assert_eq!(vec![floor::tc(&edges)], pacta_counts(&tc, &["path"]));
    let mut group = c.benchmark_group("tc_1k");
    group.sample_size(10);
    group.bench_function("datafrog", |b| b.iter(|| floor::tc(black_box(&edges))));
    group.bench_function("pacta", |b| {
        b.iter(|| pacta_counts(black_box(&tc), &["path"]))
    });
    group.finish();

    let parent = random_tree(5000, 0x2545_F491_4F6C_DD1D);
    let sg = pacta_program(
        "sg(X, Y) :- parent(P, X), parent(P, Y), X != Y.\n\
         sg(X, Y) :- parent(A, X), sg(A, B), parent(B, Y).\n",
        &[("parent", pairs(&parent))],
    );
    assert_eq!(vec![floor::sg(&parent)], pacta_counts(&sg, &["sg"]));
    let mut group = c.benchmark_group("sg_tree");
    group.sample_size(10);
    group.bench_function("datafrog", |b| b.iter(|| floor::sg(black_box(&parent))));
    group.bench_function("pacta", |b| {
        b.iter(|| pacta_counts(black_box(&sg), &["sg"]))
    });
    group.finish();

    let (state, member, attack) = obligation(2000, 300, 1000, 0xA076_1D64_78BD_642F);
    let oblig = pacta_program(
        "obliged(S, V) :- attack(A, V), member(V, T), member(S, T), S != V, S != A.\n\
         chain(S, V) :- obliged(S, V).\n\
         chain(S, W) :- chain(S, V), obliged(V, W).\n\
         unprotected(V) :- state(V), not obliged(_, V).\n",
        &[
            ("state", state.iter().map(|&s| vec![s]).collect()),
            ("member", pairs(&member)),
            ("attack", pairs(&attack)),
        ],
    );
    let names = ["chain", "obliged", "unprotected"];
    let (chain, obliged, unprotected) = floor::oblig(&state, &member, &attack);
    assert_eq!(
        vec![chain, obliged, unprotected],
        pacta_counts(&oblig, &names)
    );
    let mut group = c.benchmark_group("oblig");
    group.sample_size(10);
    group.bench_function("datafrog", |b| {
        b.iter(|| floor::oblig(black_box(&state), &member, &attack))
    });
    group.bench_function("pacta", |b| {
        b.iter(|| pacta_counts(black_box(&oblig), &names))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
