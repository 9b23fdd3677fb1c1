//! Stage 4c: a non-recursive stratum brought up to date by the rows a change added (issue 18),
//! rather than evaluated again.
//!
//! A rule `h :- b1, …, bn` over relations below its stratum derives, after rows `Δbi` were
//! added to them, exactly the old `h` plus what joins at least one added row with the old or
//! new rows of the others. That is what one semi-naive pass computes when each view starts with
//! the base's rows as *stable* and the added rows as *recent*, and each join intermediate with
//! the base's intermediate as stable (`stratum::run` with [`Seed`]): the cost follows the
//! change, not the relations. The base's intermediates are kept once per base, by a scratch run
//! of the stratum on the base ([`capture`], stored in `shared::Shared`).
//!
//! Sound only when nothing the stratum reads lost a row or changed otherwise than by additions
//! to joined views ([`eligible`]): a row gone from a view (it may have supported an old
//! conclusion), a changed negation or leapjoin table (a probe that failed may now succeed, and
//! the reverse), a changed aggregate, facts of its own that were taken away, or recursion (its
//! own rows would be read). `incremental` re-runs such a stratum whole.

use super::Database;
use super::Guard;
use super::ops::passes;
use super::reads::Read;
use super::shared::{Captured, Shared};
use super::stratum::{self, Start};
use crate::diag::Diagnostic;
use crate::intern::{Interner, Val};
use crate::plan::{FactRows, Plan, PredId, StratumPlan};
use std::sync::Arc;

/// Whether stratum `s` can be brought up to date by delta (see the module documentation), given
/// what it reads (`reads`), which predicates changed (`dirty`), the rows each lost (`removed`),
/// which views and tables no changed row reaches (`Some(false)`), and which predicates lost
/// written facts (`shrunk`).
pub(super) fn eligible(
    plan: &Plan,
    s: &StratumPlan,
    reads: &[Read],
    dirty: &[bool],
    removed: &[Vec<Val>],
    tables: &[Option<bool>],
    shrunk: &[bool],
) -> bool {
    let own = |p: PredId| s.preds.contains(&p);
    if s.rules.is_empty() || s.preds.iter().any(|&p| shrunk[p]) {
        return false;
    }
    reads.iter().all(|read| match *read {
        Read::View(v) => {
            let spec = &plan.views[v];
            let p = spec.pred;
            let width = plan.preds[p].arity;
            !own(p)
                && (!dirty[p]
                    || (width > 0
                        && !removed[p]
                            .chunks_exact(width)
                            .any(|row| passes(row, &spec.filters))))
        }
        Read::Table(t) => {
            let p = plan.tables[t].pred;
            !own(p) && (!dirty[p] || tables[t] == Some(false))
        }
        Read::Pred(p) => !own(p) && !dirty[p],
    })
}

/// The base's join intermediates of stratum `si`, kept in `shared` by a run of it on the base
/// the first time a variant asks (`base`, `base_interner`: the base's relations and
/// constants). `Ok(None)` when they cannot be shared (see [`capture`]).
pub(super) fn base_stages(
    plan: &Plan,
    si: usize,
    facts: &[&FactRows],
    shared: &Shared,
    (base, base_interner): (&Database, &Interner),
    guard: &Guard<'_>,
) -> Result<Option<Arc<Captured>>, Diagnostic> {
    let slot = shared.stages(si);
    if let Some(kept) = slot.get() {
        return Ok(kept.clone());
    }
    let kept = capture(plan, si, facts, base, base_interner, guard)?.map(Arc::new);
    // Another variant may have kept them meanwhile: the same rows either way.
    Ok(slot.get_or_init(|| kept).clone())
}

/// Runs stratum `si` on the base (its facts `facts`, relations `base`, constants a copy of
/// `interner`) to keep its join intermediates. `None` when the run made constants the base does
/// not have (arithmetic results): rows holding their ids would mean nothing to another variant.
fn capture(
    plan: &Plan,
    si: usize,
    facts: &[&FactRows],
    base: &Database,
    interner: &Interner,
    guard: &Guard<'_>,
) -> Result<Option<Captured>, Diagnostic> {
    let mut scratch = base.clone();
    let mut constants = interner.clone();
    // The base's facts, counted apart from the variant's (a fact limit is the variant's).
    let guard = &guard.sibling();
    let start = Start {
        capture: true,
        ..Start::default()
    };
    let captured = stratum::run(
        plan,
        facts,
        &plan.strata[si],
        &mut scratch,
        &mut constants,
        guard,
        start,
    )?;
    Ok(captured.filter(|_| constants.len() == interner.len()))
}
