//! Defeasible logic (SPEC §3.1): norms with exceptions, priorities and conflicts.
//!
//! A theory with variables is grounded with the Datalog engine (only rule instances whose
//! bodies can be supported), then a propositional reasoner computes the four conclusion kinds
//! +Δ, −Δ, +∂, −∂ in time linear in the size of the ground theory.

pub mod ground;
mod instances;
pub mod output;
pub mod reason;
pub mod theory;

pub use reason::{Stop, Stopped, reason, reason_until};
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
    let started = std::time::Instant::now();
    let grounded = ground::ground(loaded, info, extra, limits)?;
    // Grounding polls the limits itself; the reasoner polls the same flag, and the deadline
    // counts from the start of the whole run.
    let stop = Stop {
        cancel: limits.cancel.as_deref(),
        deadline: limits.deadline_from(started),
        max_memory: limits.max_memory,
    };
    let conclusions =
        reason_until(&grounded.theory, ambiguity, &stop).map_err(|s| vec![stopped(s, limits)])?;
    Ok(Reasoned {
        grounded,
        conclusions,
    })
}

/// The error for a reasoning run that gave up.
fn stopped(s: Stopped, limits: &Limits) -> Diagnostic {
    use crate::diag::Code;
    match s {
        Stopped::Cancelled => Diagnostic::error_nowhere(Code::Cancelled, "evaluation cancelled"),
        Stopped::Timeout => limits.timeout_error("evaluation").with_hint(
            "stopped while reasoning: the ground theory is large; raise --timeout if it is just slow",
        ),
        Stopped::Memory => limits.memory_error("reasoning"),
    }
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
