//! The benchmark rules as Crepe programs (one module per program: each `crepe!` defines a
//! private runtime struct named `Crepe`, so each module also holds the function that runs it).

pub mod tc {
    use crepe::crepe;
    crepe! {
        @input
        struct Edge(u32, u32);
        @output
        struct Path(u32, u32);
        Path(x, y) <- Edge(x, y);
        Path(x, z) <- Path(x, y), Edge(y, z);
    }

    /// Size of `path`.
    pub fn run(edges: Vec<(u32, u32)>) -> usize {
        let mut rt = Crepe::new();
        rt.extend(edges.into_iter().map(|(a, b)| Edge(a, b)));
        rt.run().0.len()
    }
}

pub mod sg {
    use crepe::crepe;
    crepe! {
        @input
        struct Parent(u32, u32);
        @output
        struct Sg(u32, u32);
        Sg(x, y) <- Parent(p, x), Parent(p, y), (x != y);
        Sg(x, y) <- Parent(a, x), Sg(a, b), Parent(b, y);
    }

    /// Size of `sg`.
    pub fn run(parent: Vec<(u32, u32)>) -> usize {
        let mut rt = Crepe::new();
        rt.extend(parent.into_iter().map(|(a, b)| Parent(a, b)));
        rt.run().0.len()
    }
}

pub mod oblig {
    use crepe::crepe;
    crepe! {
        @input
        struct State(u32);
        @input
        struct Member(u32, u32);
        @input
        struct Attack(u32, u32);
        @output
        struct Obliged(u32, u32);
        @output
        struct Chain(u32, u32);
        struct Victim(u32);
        @output
        struct Unprotected(u32);
        Obliged(s, v) <- Attack(a, v), Member(v, t), Member(s, t), (s != v && s != a);
        Chain(s, v) <- Obliged(s, v);
        Chain(s, w) <- Chain(s, v), Obliged(v, w);
        Victim(v) <- Obliged(_, v);
        Unprotected(v) <- State(v), !Victim(v);
    }

    /// Sizes of `chain`, `obliged` and `unprotected`.
    pub fn run(
        state: Vec<u32>,
        member: Vec<(u32, u32)>,
        attack: Vec<(u32, u32)>,
    ) -> (usize, usize, usize) {
        let mut rt = Crepe::new();
        rt.extend(state.into_iter().map(State));
        rt.extend(member.into_iter().map(|(s, t)| Member(s, t)));
        rt.extend(attack.into_iter().map(|(a, v)| Attack(a, v)));
        let (obliged, chain, unprotected) = rt.run();
        (chain.len(), obliged.len(), unprotected.len())
    }
}
