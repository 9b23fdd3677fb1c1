//! Compressed adjacency lists (CSR) over a ground theory: built once, in linear time.

use crate::defeasible::theory::{Kind, Theory, complement};

/// A list of `u32` items per key, stored contiguously (compressed sparse rows).
pub(super) struct Csr {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Csr {
    /// Builds the lists from `(key, item)` pairs by a counting sort (stable, linear).
    fn build(keys: usize, pairs: &[(u32, u32)]) -> Csr {
        let mut start = vec![0u32; keys + 1];
        for &(k, _) in pairs {
            start[k as usize + 1] += 1;
        }
        for i in 0..keys {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut items = vec![0u32; pairs.len()];
        for &(k, v) in pairs {
            let slot = &mut fill[k as usize];
            items[*slot as usize] = v;
            *slot += 1;
        }
        Csr { start, items }
    }

    /// The items of `key`.
    #[inline]
    pub(super) fn get(&self, key: u32) -> &[u32] {
        let k = key as usize;
        &self.items[self.start[k] as usize..self.start[k + 1] as usize]
    }
}

/// The indices the reasoner walks: who uses a literal, who concludes it, who beats whom.
pub(super) struct Index {
    /// Literal → rules with that literal in the body (once per occurrence).
    pub(super) occ: Csr,
    /// Literal → rules with that head (all kinds).
    pub(super) by_head: Csr,
    /// Rule → rules it is superior to, among those with the complementary head.
    pub(super) beats: Csr,
    /// Rule → rules superior to it, among those with the complementary head.
    pub(super) beaten_by: Csr,
}

impl Index {
    /// Builds the indices. Superiority pairs between rules whose heads are not complementary
    /// (or that name no rule) play no part in the proof conditions and are dropped.
    pub(super) fn new(theory: &Theory) -> Index {
        let lits = 2 * theory.atoms as usize;
        let rules = theory.rules.len();
        let check = |l: u32| {
            assert!(
                (l as usize) < lits,
                "literal {l} out of range for a theory of {} atoms",
                theory.atoms
            );
            l
        };
        let body_len: usize = theory.rules.iter().map(|r| r.body.len()).sum();
        let mut pairs = Vec::with_capacity(body_len);
        for (i, r) in theory.rules.iter().enumerate() {
            for &b in &r.body {
                pairs.push((check(b), i as u32));
            }
        }
        let occ = Csr::build(lits, &pairs);
        pairs.clear();
        for (i, r) in theory.rules.iter().enumerate() {
            pairs.push((check(r.head), i as u32));
        }
        let by_head = Csr::build(lits, &pairs);
        pairs.clear();
        for &(a, b) in &theory.superiority {
            if a < rules && b < rules && theory.rules[a].head == complement(theory.rules[b].head) {
                pairs.push((a as u32, b as u32));
            }
        }
        let beats = Csr::build(rules, &pairs);
        for p in pairs.iter_mut() {
            *p = (p.1, p.0);
        }
        let beaten_by = Csr::build(rules, &pairs);
        Index {
            occ,
            by_head,
            beats,
            beaten_by,
        }
    }
}

/// Whether a rule can support its head (strict or defeasible: the set R_sd).
#[inline]
pub(super) fn supports(kind: Kind) -> bool {
    kind != Kind::Defeater
}
