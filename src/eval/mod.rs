//! Stage 4: bottom-up evaluation of a [`Plan`] on `datafrog`, stratum by stratum.
//!
//! Within a stratum, evaluation is semi-naive: every relation, view and intermediate is a
//! `datafrog::Variable`, each join combines only the tuples that are new since the last round
//! with the rest, and a stratum ends when no variable changes. Negation and aggregates read
//! completed lower strata only. **The engine knows nothing about treaties.**

pub mod expr;
pub mod leap;
mod ops;
pub mod rows;
mod stratum;

use crate::diag::{Code, Diagnostic};
use crate::intern::{Interner, Val};
use crate::plan::Plan;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Bounds on one evaluation, so that runaway programs stop with a clear error.
#[derive(Clone, Debug, Default)]
pub struct Limits {
    /// Stop when more than this many tuples exist in all relations together.
    pub max_facts: Option<usize>,
    /// Stop after this long.
    pub timeout: Option<Duration>,
    /// Stop when this flag becomes true (Ctrl-C in the REPL).
    pub cancel: Option<Arc<AtomicBool>>,
}

/// Every relation after evaluation, indexed by predicate id: sorted flat rows.
#[derive(Clone, Debug, Default)]
pub struct Database {
    /// One entry per predicate of the plan.
    pub relations: Vec<Stored>,
}

/// A completed relation: `len` sorted, distinct rows of `width` values.
#[derive(Clone, Debug, Default)]
pub struct Stored {
    /// Row after row.
    pub data: Vec<Val>,
    /// Number of rows.
    pub len: usize,
    /// Values per row.
    pub width: usize,
}

impl Stored {
    /// The rows as a batch for the operators.
    pub fn rows(&self) -> rows::Rows<'_> {
        rows::Rows {
            data: &self.data,
            width: self.width,
            len: self.len,
        }
    }
}

/// Evaluates the plan. Fails on integer overflow, on exceeded limits, or on cancellation.
pub fn evaluate(
    plan: &Plan,
    interner: &mut Interner,
    limits: &Limits,
) -> Result<Database, Diagnostic> {
    let guard = Guard::new(limits);
    let mut db = Database {
        relations: plan
            .preds
            .iter()
            .map(|p| Stored {
                width: p.arity,
                ..Stored::default()
            })
            .collect(),
    };
    for s in &plan.strata {
        stratum::run(plan, s, &mut db, interner, &guard)?;
    }
    Ok(db)
}

/// Checks limits cheaply from inside the loops.
pub(crate) struct Guard<'a> {
    limits: &'a Limits,
    deadline: Option<Instant>,
    /// Tuples in completed strata.
    pub done: std::cell::Cell<usize>,
}

impl<'a> Guard<'a> {
    fn new(limits: &'a Limits) -> Guard<'a> {
        Guard {
            limits,
            deadline: limits.timeout.map(|t| Instant::now() + t),
            done: std::cell::Cell::new(0),
        }
    }

    /// Fails when time is up or the user cancelled.
    pub fn tick(&self) -> Result<(), Diagnostic> {
        if let Some(c) = &self.limits.cancel
            && c.load(Ordering::Relaxed)
        {
            return Err(Diagnostic::error_nowhere(
                Code::Cancelled,
                "evaluation cancelled",
            ));
        }
        if let Some(d) = self.deadline
            && Instant::now() > d
        {
            let secs = self.limits.timeout.map(|t| t.as_secs_f64()).unwrap_or(0.0);
            return Err(Diagnostic::error_nowhere(
                Code::Timeout,
                format!("evaluation stopped after {secs} s (--timeout)"),
            )
            .with_hint(
                "a recursive rule may derive facts without end; raise --timeout if it is just slow",
            ));
        }
        Ok(())
    }

    /// Fails when the stratum under way holds more facts than allowed.
    pub fn facts(&self, in_stratum: usize) -> Result<(), Diagnostic> {
        if let Some(max) = self.limits.max_facts
            && self.done.get() + in_stratum > max
        {
            return Err(Diagnostic::error_nowhere(
                Code::FactLimit,
                format!("evaluation stopped: more than {max} facts (--max-facts)"),
            )
            .with_hint("a recursive rule may derive facts without end (e.g. `n(Y) :- n(X), Y = X + 1.`); raise --max-facts if the program is just large"));
        }
        Ok(())
    }
}
