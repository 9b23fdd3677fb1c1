//! The benchmark rules as Ascent programs.

use ascent::ascent;

ascent! {
    struct Tc;
    relation edge(u32, u32);
    relation path(u32, u32);
    path(x, y) <-- edge(x, y);
    path(x, z) <-- path(x, y), edge(y, z);
}

ascent! {
    struct Sg;
    relation parent(u32, u32);
    relation sg(u32, u32);
    sg(x, y) <-- parent(p, x), parent(p, y), if x != y;
    sg(x, y) <-- parent(a, x), sg(a, b), parent(b, y);
}

ascent! {
    struct Oblig;
    relation state(u32);
    relation member(u32, u32);
    relation attack(u32, u32);
    relation obliged(u32, u32);
    relation chain(u32, u32);
    relation victim(u32);
    relation unprotected(u32);
    obliged(s, v) <-- attack(a, v), member(v, t), member(s, t), if s != v && s != a;
    chain(s, v) <-- obliged(s, v);
    chain(s, w) <-- chain(s, v), obliged(v, w);
    victim(v) <-- obliged(_, v);
    unprotected(v) <-- state(v), !victim(v);
}

/// Size of `path`.
pub fn tc(edges: Vec<(u32, u32)>) -> usize {
    let mut p = Tc {
        edge: edges,
        ..Default::default()
    };
    p.run();
    p.path.len()
}

/// Size of `sg`.
pub fn sg(parent: Vec<(u32, u32)>) -> usize {
    let mut p = Sg {
        parent,
        ..Default::default()
    };
    p.run();
    p.sg.len()
}

/// Sizes of `chain`, `obliged` and `unprotected`.
pub fn oblig(
    state: Vec<u32>,
    member: Vec<(u32, u32)>,
    attack: Vec<(u32, u32)>,
) -> (usize, usize, usize) {
    let mut p = Oblig {
        state: state.into_iter().map(|s| (s,)).collect(),
        member,
        attack,
        ..Default::default()
    };
    p.run();
    (p.chain.len(), p.obliged.len(), p.unprotected.len())
}
