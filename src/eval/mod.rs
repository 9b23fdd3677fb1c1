//! Stage 4: bottom-up evaluation of a [`Plan`], stratum by stratum, in `datafrog`'s manner.
//!
//! Within a stratum, evaluation is semi-naive: every relation, view and intermediate is a
//! variable kept as `datafrog` keeps one (stable batches, recent rows, rows to add; see
//! `variable`), each join combines only the tuples that are new since the last round with the
//! rest, and a stratum ends when no variable changes. Negation and aggregates read
//! completed lower strata only. **The engine knows nothing about treaties.**

mod dedup;
mod delta;
mod dense;
pub mod expr;
pub mod incremental;
mod known;
pub mod leap;
pub mod limits;
mod ops;
mod reads;
pub mod rows;
mod rule;
mod seed;
pub mod shared;
mod stratum;
mod variable;
mod vars;

use crate::diag::Diagnostic;
use crate::intern::{Interner, Val};
use crate::plan::{FactRows, Plan};
pub(crate) use limits::Guard;
pub use limits::Limits;
use std::sync::Arc;
use stratum::Start;

/// Every relation after evaluation, indexed by predicate id: sorted flat rows.
///
/// Relations are shared by reference count, so that a variant of an evaluation starts as a
/// copy of its base for the price of the pointers and replaces only the relations it changes.
#[derive(Clone, Debug, Default)]
pub struct Database {
    /// One entry per predicate of the plan.
    pub relations: Vec<Arc<Stored>>,
}

/// A completed relation: `len` sorted, distinct rows of `width` values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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
            .map(|p| {
                Arc::new(Stored {
                    width: p.arity,
                    ..Stored::default()
                })
            })
            .collect(),
    };
    let facts: Vec<&FactRows> = plan.facts.iter().collect();
    for s in &plan.strata {
        stratum::run(plan, &facts, s, &mut db, interner, &guard, Start::default())?;
    }
    Ok(db)
}
