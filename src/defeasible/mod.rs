//! Defeasible logic (SPEC §3.1): norms with exceptions, priorities and conflicts.
//!
//! A theory with variables is grounded with the Datalog engine (only rule instances whose
//! bodies can be supported), then a propositional reasoner computes the four conclusion kinds
//! +Δ, −Δ, +∂, −∂ in time linear in the size of the ground theory.

pub mod ground;
pub mod output;
pub mod reason;
pub mod theory;

pub use reason::reason;
pub use theory::{Ambiguity, Conclusions, Kind, Lit, Rule, Theory, complement};

use crate::diag::Diagnostic;
use crate::driver::{FactFile, Loaded};
use crate::eval::Limits;
pub use output::{Conflict, KINDS, Reasoned};

/// Grounds and reasons about a loaded defeasible theory that has no errors.
pub fn run(
    loaded: &Loaded,
    extra: &[FactFile],
    limits: &Limits,
    ambiguity: Ambiguity,
) -> Result<Reasoned, Vec<Diagnostic>> {
    if loaded.has_errors() {
        return Err(loaded.diagnostics.clone());
    }
    let info = loaded
        .analysis
        .defeasible
        .as_ref()
        .expect("run is for defeasible theories");
    let grounded = ground::ground(loaded, info, extra, limits)?;
    let conclusions = reason(&grounded.theory, ambiguity);
    Ok(Reasoned {
        grounded,
        conclusions,
    })
}

/// Parses, checks, grounds and reasons about one theory text (file name `<input>`), for tests
/// and tools. Returns the conclusions by kind, or every diagnostic when there is an error.
pub fn reason_text(
    text: &str,
    ambiguity: Ambiguity,
) -> Result<output::ConclusionModel, Vec<Diagnostic>> {
    let mut sources = crate::syntax::span::SourceMap::new();
    sources.add(crate::syntax::span::SourceFile::new("<input>", text));
    let loaded = crate::driver::load(sources);
    if loaded.analysis.defeasible.is_none() && !loaded.has_errors() {
        return Err(vec![Diagnostic::error_nowhere(
            crate::diag::Code::Unsupported,
            "not a defeasible theory (no `:=`, `:~`, `~` or `>`)",
        )]);
    }
    Ok(run(&loaded, &[], &Limits::default(), ambiguity)?.model())
}
