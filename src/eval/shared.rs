//! Views and lookup tables over relations that a re-evaluation left as they were in the base
//! (issue 18). Every variant of one base builds them from the same rows, so the first variant
//! to need one builds it and the others copy it: the projection, sort and deduplication that
//! dominated a re-run stratum's cost are paid once per base, not once per variant.

use super::ops::{lookup_table, project_sorted, sort_dedup};
use super::reads::{Read, reads};
use super::{Database, Stored};
use crate::plan::{FactRows, Plan, PredId};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// A stratum's join intermediates at its fixpoint, by (rule index, stage index).
pub(super) type Captured = FxHashMap<(usize, usize), Arc<Stored>>;

/// Relations asked for, and per stratum whether they depend on it.
type Needed = (Vec<PredId>, Arc<Vec<bool>>);

/// The shared views and tables of one base evaluation, built on first use.
#[derive(Debug, Default)]
pub struct Shared {
    /// Per view id: its rows (projected, sorted, distinct) over the base's relation.
    views: Vec<OnceLock<Arc<Stored>>>,
    /// Per lookup-table id: its rows over the base's relation.
    lookups: Vec<OnceLock<Arc<Stored>>>,
    /// Per stratum: the base's join intermediates, for delta runs (`None`: not shareable).
    stages: Vec<OnceLock<Option<Arc<Captured>>>>,
    /// Per predicate: the base's written facts, sorted and distinct.
    written: Vec<OnceLock<Arc<Stored>>>,
    /// Per stratum: what its rules read (the same for every variant).
    reads: OnceLock<Vec<Vec<Read>>>,
    /// The strata some relations asked for depend on, for the last such set asked for (a
    /// sweep or a timeline asks for the same relations of every variant).
    needed: Mutex<Option<Needed>>,
}

impl Shared {
    /// Empty slots for every view, table and stratum of `plan`.
    pub fn new(plan: &Plan) -> Shared {
        Shared {
            views: (0..plan.views.len()).map(|_| OnceLock::new()).collect(),
            lookups: (0..plan.tables.len()).map(|_| OnceLock::new()).collect(),
            stages: (0..plan.strata.len()).map(|_| OnceLock::new()).collect(),
            written: (0..plan.preds.len()).map(|_| OnceLock::new()).collect(),
            reads: OnceLock::new(),
            needed: Mutex::new(None),
        }
    }

    /// What the rules of each stratum read.
    pub(super) fn reads(&self, plan: &Plan) -> &[Vec<Read>] {
        self.reads.get_or_init(|| {
            plan.strata
                .iter()
                .map(|s| reads(plan, s).collect())
                .collect()
        })
    }

    /// Which strata `wanted` depend on, worked out by `needed` the first time they are asked.
    pub(super) fn needed(
        &self,
        wanted: &[PredId],
        needed: impl FnOnce() -> Vec<bool>,
    ) -> Arc<Vec<bool>> {
        let mut last = self.needed.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((w, n)) = last.as_ref()
            && w == wanted
        {
            return Arc::clone(n);
        }
        let n = Arc::new(needed());
        *last = Some((wanted.to_vec(), Arc::clone(&n)));
        n
    }

    /// Predicate `p`'s written facts in the base (`facts`, of `width` values a row), sorted and
    /// distinct: sorted once per base, for the variants to compare theirs with.
    pub fn written(&self, p: usize, facts: &FactRows, width: usize) -> Arc<Stored> {
        let sorted = self.written[p]
            .get_or_init(|| Arc::new(sort_dedup(facts.data.clone(), facts.len, width)));
        Arc::clone(sorted)
    }
}

impl Shared {
    /// The slot for the base's join intermediates of stratum `si`, filled by the first variant
    /// that runs it by delta (`delta::base_stages`).
    pub(super) fn stages(&self, si: usize) -> &OnceLock<Option<Arc<Captured>>> {
        &self.stages[si]
    }

    /// View `v` over the base's relations (`base` must be the base's database): its
    /// predicate's rows filtered, projected, sorted and distinct.
    pub(super) fn base_view(&self, plan: &Plan, v: usize, base: &Database) -> Arc<Stored> {
        let spec = &plan.views[v];
        let rows = self.views[v].get_or_init(|| {
            Arc::new(project_sorted(
                base.relations[spec.pred].rows(),
                &spec.filters,
                &spec.cols,
            ))
        });
        Arc::clone(rows)
    }
}

/// What a stratum re-run may take from [`Shared`]: views and tables whose rows are the base's
/// — over a predicate not `dirty`, or one no changed row of which passes their filters
/// (`Some(false)`). Either way the base's relation gives the same rows, so `base` (the base's
/// database, from which the shared copies are built) is the right source.
#[derive(Clone, Copy)]
pub(super) struct Reusable<'a> {
    pub shared: &'a Shared,
    pub base: &'a Database,
    pub dirty: &'a [bool],
    pub views: &'a [Option<bool>],
    pub tables: &'a [Option<bool>],
}

impl Reusable<'_> {
    /// View `v`'s rows, if they are the base's.
    pub fn view(&self, plan: &Plan, v: usize) -> Option<Arc<Stored>> {
        let p = plan.views[v].pred;
        (!self.dirty[p] || self.views[v] == Some(false))
            .then(|| self.shared.base_view(plan, v, self.base))
    }

    /// Lookup table `t`'s rows, if they are the base's.
    pub fn lookup(&self, plan: &Plan, t: usize) -> Option<Stored> {
        let p = plan.tables[t].pred;
        (!self.dirty[p] || self.tables[t] == Some(false)).then(|| {
            let rows = self.shared.lookups[t]
                .get_or_init(|| Arc::new(lookup_table(&plan.tables[t], self.base)));
            (**rows).clone()
        })
    }
}
