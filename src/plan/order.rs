//! Join order: which positive atom to read first and which to join next.
//!
//! Greedy: start from the atom with the most constants (the most selective, ties by source
//! order), then repeatedly take the atom sharing the most variables with what is already bound,
//! so that joins stay keyed and cartesian products come last.

use std::collections::BTreeSet;

/// The variables and constant count of one positive atom.
#[derive(Clone, Debug)]
pub struct AtomShape {
    /// Variables of the atom.
    pub vars: BTreeSet<usize>,
    /// How many arguments are constants.
    pub consts: usize,
}

/// Returns the atoms' indices in join order.
pub fn join_order(atoms: &[AtomShape]) -> Vec<usize> {
    let mut left: Vec<usize> = (0..atoms.len()).collect();
    let mut order = Vec::with_capacity(atoms.len());
    let mut bound = BTreeSet::new();
    while !left.is_empty() {
        let best = left
            .iter()
            .enumerate()
            .max_by_key(|&(pos, &a)| {
                let shared = atoms[a].vars.intersection(&bound).count();
                // More shared variables first; among equals, more constants; then source order.
                (shared, atoms[a].consts, std::cmp::Reverse(pos))
            })
            .map(|(pos, _)| pos)
            .unwrap_or(0);
        let a = left.remove(best);
        bound.extend(atoms[a].vars.iter().copied());
        order.push(a);
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(vars: &[usize], consts: usize) -> AtomShape {
        AtomShape {
            vars: vars.iter().copied().collect(),
            consts,
        }
    }

    #[test]
    fn connected_atoms_come_before_cartesian_products() {
        // a(X), b(Y), c(X, Y): after a, c shares X while b shares nothing.
        let order = join_order(&[shape(&[0], 0), shape(&[1], 0), shape(&[0, 1], 0)]);
        assert_eq!(order, vec![0, 2, 1]);
    }

    #[test]
    fn selective_atom_first() {
        let order = join_order(&[shape(&[0, 1], 0), shape(&[1], 1)]);
        assert_eq!(order, vec![1, 0]);
    }
}
