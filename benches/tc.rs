//! Transitive closure on a random graph (1,000 nodes, 5,000 edges, fixed seed): Pacta against
//! a hand-written `datafrog` program of the same rules, in the same run.
//!
//! Pacta's figure covers planning, interning the edges and evaluation; parsing and checking
//! happen once outside the timed loop, as the hand-written program has no text to read.
//! Run: `cargo bench --bench tc`.

use criterion::{Criterion, criterion_group, criterion_main};
use datafrog::{Iteration, Relation};
use pacta::driver::{Loaded, load, run};
use pacta::eval::Limits;
use pacta::syntax::span::{SourceFile, SourceMap};
use std::hint::black_box;

/// Deterministic pseudo-random edges (xorshift), so every run measures the same graph.
fn random_edges(nodes: u32, edges: usize, mut seed: u64) -> Vec<(u32, u32)> {
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..edges)
        .map(|_| {
            (
                (next() % nodes as u64) as u32,
                (next() % nodes as u64) as u32,
            )
        })
        .collect()
}

fn datafrog_tc(edges: &[(u32, u32)]) -> usize {
    let mut iteration = Iteration::new();
    let edges: Relation<(u32, u32)> = edges.iter().copied().collect();
    let path = iteration.variable::<(u32, u32)>("path");
    let path_by_dst = iteration.variable::<(u32, u32)>("path_by_dst");
    path.insert(edges.iter().copied().collect());
    while iteration.changed() {
        path_by_dst.from_map(&path, |&(x, y)| (y, x));
        path.from_join(&path_by_dst, &edges, |_, &x, &z| (x, z));
    }
    path.complete().len()
}

fn pacta_program(edges: &[(u32, u32)]) -> Loaded {
    let mut text =
        String::from("path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n");
    for (a, b) in edges {
        text.push_str(&format!("edge({a}, {b}).\n"));
    }
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("tc.pacta", text));
    load(sources)
}

fn pacta_tc(loaded: &Loaded) -> usize {
    let evaluated = run(loaded, &[], &Limits::default()).expect("evaluates");
    let path = evaluated
        .plan
        .preds
        .iter()
        .position(|p| p.name == "path")
        .expect("path");
    evaluated.db.relations[path].len
}

fn bench(c: &mut Criterion) {
    let edges = random_edges(1000, 5000, 0x9E37_79B9_7F4A_7C15);
    let loaded = pacta_program(&edges);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    assert_eq!(
        datafrog_tc(&edges),
        pacta_tc(&loaded),
        "both compute the same closure"
    );
    let mut group = c.benchmark_group("tc_1000_5000");
    group.sample_size(10);
    group.bench_function("datafrog", |b| b.iter(|| datafrog_tc(black_box(&edges))));
    group.bench_function("pacta", |b| b.iter(|| pacta_tc(black_box(&loaded))));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
