//! Placeholder: the propositional reasoner lands here.
use super::theory::{Ambiguity, Conclusions, Theory};

/// Computes +Δ, −Δ, +∂ and −∂ for every literal of the theory.
pub fn reason(theory: &Theory, _ambiguity: Ambiguity) -> Conclusions {
    let n = 2 * theory.atoms as usize;
    Conclusions {
        definitely: vec![false; n],
        not_definitely: vec![false; n],
        defeasibly: vec![false; n],
        not_defeasibly: vec![false; n],
    }
}
