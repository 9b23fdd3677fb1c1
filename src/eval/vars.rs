//! The variables of a stratum: one per relation, view and intermediate, each of the width it
//! needs.
//!
//! Pacta's relations get their width at run time, but rows are best kept as plain arrays
//! `[Val; N]` (sorted, compared and merged as in a hand-written `datafrog` program). Each
//! variable is a `variable::Var<N>` for its width `N` (made by `variable::new_var`), hidden
//! behind the object-safe [`DynVar`], whose batches the operators read as flat [`Rows`].
//! [`Vars`] holds a stratum's variables: `stratum` creates and fills them, `rule` joins them,
//! and [`Vars::changed`] ends a round (the role of `datafrog::Iteration::changed`).

use super::leap::DynLeapers;
use super::rows::Rows;
use super::{Guard, Stored};
use crate::diag::Diagnostic;
use crate::intern::Val;
use crate::plan::{PredId, ViewId};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Where each relation, view and intermediate of the stratum lives.
pub(super) struct Vars {
    /// Predicate of this stratum → its variable.
    pub preds: FxHashMap<PredId, Box<dyn DynVar>>,
    /// View → its own variable, unless it is a predicate's identity view.
    pub views: FxHashMap<ViewId, Box<dyn DynVar>>,
    /// Identity views of this stratum's predicates.
    pub aliases: FxHashMap<ViewId, PredId>,
    /// (rule index, stage index) → intermediate variable.
    pub stages: FxHashMap<(usize, usize), Box<dyn DynVar>>,
}

impl Vars {
    /// Bytes of the largest variable (all its batches): what one merge may need.
    pub fn largest_bytes(&self) -> usize {
        let all = self
            .preds
            .values()
            .chain(self.views.values())
            .chain(self.stages.values());
        all.map(|v| v.count() * v.width() * size_of::<Val>())
            .max()
            .unwrap_or(0)
    }

    /// Ends a round: in every variable, the rows derived in it that are new become the recent
    /// rows and the last round's become stable. Whether any variable has new rows; an error
    /// when memory runs out.
    pub fn changed(&self, guard: &Guard<'_>) -> Result<bool, Diagnostic> {
        let mut any = false;
        let all = self
            .preds
            .values()
            .chain(self.views.values())
            .chain(self.stages.values());
        for var in all {
            any |= var.changed(guard).ok_or_else(|| guard.stopped())?;
        }
        Ok(any)
    }

    /// The variable of view `v`: its own, or its predicate's for an identity view.
    pub fn view(&self, v: ViewId) -> &dyn DynVar {
        match self.aliases.get(&v) {
            Some(p) => &*self.preds[p],
            None => &*self.views[&v],
        }
    }
}

/// A variable of some width, with flat access for the operators.
pub trait DynVar {
    /// Values per row.
    fn width(&self) -> usize;
    /// Calls `f` with the tuples added in the last round.
    fn with_recent(&self, f: &mut dyn FnMut(Rows<'_>));
    /// Calls `f` with the batches of older tuples; [`DynVar::prepare_stable`] first.
    fn with_stable(&self, f: &mut dyn FnMut(&[Rows<'_>]));
    /// Puts the older tuples in batches for [`DynVar::with_stable`] (until a join reads them,
    /// a variable may keep them as bits only, see `known`); `false` when memory runs out.
    fn prepare_stable(&self, guard: &Guard<'_>) -> bool;
    /// Adds the first `len` rows of a flat buffer it takes over (sorted and deduplicated in
    /// place when its capacity is a whole number of rows, else copied), for the next round.
    /// `false` (the reason is in `guard`) when memory runs out.
    fn insert_vec(&self, data: Vec<Val>, len: usize, guard: &Guard<'_>) -> bool;
    /// Sorts and deduplicates the `len` rows of `chunk` into the rows this round derived so far
    /// (`dedup::Distinct`), and empties `chunk`, keeping its capacity for the next chunk. Returns
    /// the values now kept, or `None` (the loop must stop; the reason is in `guard`) when
    /// memory runs out.
    fn absorb(&self, chunk: &mut Vec<Val>, len: usize, guard: &Guard<'_>) -> Option<usize>;
    /// Ends the round for this variable (see [`Vars::changed`]): whether it has new rows, or
    /// `None` when memory runs out (the reason is in `guard`).
    fn changed(&self, guard: &Guard<'_>) -> Option<bool>;
    /// Adds `len` rows that are already sorted and distinct (no sort, no deduplication), for
    /// the next round. `false` (the reason is in `guard`) when memory runs out.
    fn insert_sorted(&self, data: &[Val], len: usize, guard: &Guard<'_>) -> bool;
    /// Makes sorted, distinct `rows` (of the variable's width) its stable rows before its first
    /// round, as if an earlier evaluation had derived them (a delta run, `delta`: only rows new
    /// to them are joined with them). They are shared, not copied. `false` (the reason is in
    /// `guard`) when memory runs out.
    fn seed_stable(&mut self, rows: Arc<Stored>, guard: &Guard<'_>) -> bool;
    /// Number of tuples in all batches (stable and recent), for limits.
    fn count(&self) -> usize;
    /// Leapjoin of the tuples added in the last round with `leapers`; calls `f` with each
    /// source row and each value all leapers agree on.
    fn leapjoin(&self, leapers: &mut DynLeapers<'_>, f: &mut dyn FnMut(&[Val], Val));
    /// Ends the iteration and returns every tuple, sorted, as a flat vector; `None` when memory
    /// runs out (the reason is in `guard`).
    fn complete(self: Box<Self>, guard: &Guard<'_>) -> Option<(Vec<Val>, usize)>;
}
