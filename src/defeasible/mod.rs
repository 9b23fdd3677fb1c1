//! Defeasible logic (SPEC §3.1): norms with exceptions, priorities and conflicts.
//!
//! A theory with variables is grounded with the Datalog engine (only rule instances whose
//! bodies can be supported), then a propositional reasoner computes the four conclusion kinds
//! +Δ, −Δ, +∂, −∂ in time linear in the size of the ground theory.

pub mod reason;
pub mod theory;

pub use reason::reason;
pub use theory::{Ambiguity, Conclusions, Kind, Lit, Rule, Theory, complement};
