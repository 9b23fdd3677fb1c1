//! Stage 4b: re-evaluation after a change of written facts (issue 18), so that what-if
//! variants — a sweep's combinations, a timeline's dates, a counterfactual search's candidate
//! sets — cost what the change touches, not the whole program.
//!
//! The base is a plan already evaluated on its own facts ([`Database`]). A variant gives other
//! written facts for some predicates. Strata run in order, as in [`evaluate`](super::evaluate):
//! - a stratum none of whose inputs changed (its own written facts, and every relation its
//!   rules read — through views, leapjoin and negation tables, aggregates) keeps the base's
//!   relations as they are, without running;
//! - any other stratum runs again, alone, on the variant's facts and the relations below it
//!   as they now stand;
//! - **early cut-off**: after a stratum ran, each of its relations is compared with the base's;
//!   one that came out the same does not count as changed for the strata above it. A change
//!   that does not alter a conclusion (a party added to a treaty nobody invokes) stops there.
//!
//! Re-running a touched stratum whole, rather than propagating tuple deltas through it, is
//! sound for every stratum — recursive, negated or aggregated — because evaluation of a stratum
//! depends only on its facts and the completed relations below it. It is what a change costs
//! when it reaches a stratum; the saving is in the strata it never reaches and in everything
//! before evaluation (parsing, checking, planning), which a variant skips.

use super::delta;
use super::ops::passes;
use super::reads::Read;
use super::seed::Seed;
use super::shared::{Reusable, Shared};
use super::stratum::{self, Start};
use super::{Database, Guard, Limits, Stored};
use crate::diag::Diagnostic;
use crate::intern::{Interner, Val};
use crate::plan::{ColFilter, FactRows, Plan, PredId};
use std::sync::Arc;

/// What a re-evaluation did, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Strata kept from the base without running.
    pub kept: usize,
    /// Strata run again, whole.
    pub rerun: usize,
    /// Strata brought up to date by the rows the change added to what they read (`delta`).
    pub delta: usize,
    /// Strata not evaluated because no relation asked for depends on them (their relations
    /// are left as the base's and must not be read).
    pub skipped: usize,
}

/// Which strata the relations `wanted` depend on (themselves included), by the reads of
/// their rules.
fn needed_strata(plan: &Plan, reads: &[Vec<Read>], wanted: &[PredId]) -> Vec<bool> {
    let mut stratum_of = vec![0; plan.preds.len()];
    for (si, s) in plan.strata.iter().enumerate() {
        for &p in &s.preds {
            stratum_of[p] = si;
        }
    }
    let mut needed = vec![false; plan.strata.len()];
    let mut todo: Vec<usize> = wanted.iter().map(|&p| stratum_of[p]).collect();
    while let Some(si) = todo.pop() {
        if std::mem::replace(&mut needed[si], true) {
            continue;
        }
        for read in &reads[si] {
            let p = read.pred(plan);
            if !needed[stratum_of[p]] {
                todo.push(stratum_of[p]);
            }
        }
    }
    needed
}

/// What differs from the base: the facts, and which relations are asked for.
#[derive(Clone, Copy)]
pub struct Change<'a> {
    /// The written facts of every predicate (the base's where unchanged).
    pub facts: &'a [&'a FactRows],
    /// The predicates whose written facts differ from the base's.
    pub changed: &'a [PredId],
    /// Those of them that lost a written fact (the others only gained some).
    pub shrunk: &'a [PredId],
    /// The relations asked for (`None`: all).
    pub wanted: Option<&'a [PredId]>,
}

/// The base: a plan evaluated on its facts, with what its variants share.
#[derive(Clone, Copy)]
pub struct Base<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Its relations.
    pub db: &'a Database,
    /// The constants they were evaluated with.
    pub interner: &'a Interner,
    /// Views, tables and join intermediates over `db`, filled by whichever variant needs them
    /// first.
    pub shared: &'a Shared,
}

/// The relations of `base.plan` evaluated on the facts of `change` instead of those `base` was
/// evaluated on. `interner` must be a clone of the base's (or an extension of it: new
/// constants appended), so that the base's rows keep their meaning. With `change.wanted`, only
/// the strata those relations depend on run; the others keep the base's (stale) rows, which
/// the caller must not read.
pub fn reevaluate(
    base: &Base<'_>,
    change: &Change<'_>,
    interner: &mut Interner,
    limits: &Limits,
) -> Result<(Database, Reuse), Diagnostic> {
    let plan = base.plan;
    let Change {
        facts,
        changed,
        shrunk,
        wanted,
    } = *change;
    let guard = Guard::new(limits);
    let all_reads = base.shared.reads(plan);
    let needed = wanted.map(|w| base.shared.needed(w, || needed_strata(plan, all_reads, w)));
    let mut dirty = vec![false; plan.preds.len()];
    for &p in changed {
        dirty[p] = true;
    }
    let mut lost_facts = vec![false; plan.preds.len()];
    for &p in shrunk {
        lost_facts[p] = true;
    }
    let mut db = base.db.clone();
    let mut reuse = Reuse::default();
    // Per changed relation: the rows added and the rows removed (flat), against which each
    // view's and table's filters are tried. A view none of whose filters any changed row
    // passes is the base's, row for row: its readers need not run for it.
    let mut added: Vec<Vec<Val>> = vec![Vec::new(); plan.preds.len()];
    let mut removed: Vec<Vec<Val>> = vec![Vec::new(); plan.preds.len()];
    let mut views: Vec<Option<bool>> = vec![None; plan.views.len()];
    let mut tables: Vec<Option<bool>> = vec![None; plan.tables.len()];
    for (si, s) in plan.strata.iter().enumerate() {
        if needed.as_ref().is_some_and(|n| !n[si]) {
            reuse.skipped += 1;
            continue;
        }
        let own = |p: PredId| s.preds.contains(&p);
        let read = &all_reads[si];
        let mut touched = s.preds.iter().any(|&p| dirty[p]);
        for r in read {
            let p = r.pred(plan);
            let reached = |filters: &[ColFilter]| {
                let width = plan.preds[p].arity;
                reaches(&added[p], width, filters) || reaches(&removed[p], width, filters)
            };
            touched |= match *r {
                Read::View(v) => {
                    !own(p)
                        && dirty[p]
                        && *views[v].get_or_insert_with(|| reached(&plan.views[v].filters))
                }
                Read::Table(t) => {
                    dirty[p] && *tables[t].get_or_insert_with(|| reached(&plan.tables[t].filters))
                }
                Read::Pred(_) => dirty[p],
            };
        }
        if !touched {
            reuse.kept += 1;
            let kept: usize = s.preds.iter().map(|&p| db.relations[p].len).sum();
            guard.done.set(guard.done.get() + kept);
            continue;
        }
        let reusable = Reusable {
            shared: base.shared,
            base: base.db,
            dirty: &dirty,
            views: &views,
            tables: &tables,
        };
        let stages = if delta::eligible(plan, s, read, &dirty, &removed, &tables, &lost_facts) {
            let on = (base.db, base.interner);
            delta::base_stages(plan, si, facts, base.shared, on, &guard)?
        } else {
            None
        };
        let seed = stages.as_deref().map(|stages| Seed {
            base: base.db,
            shared: base.shared,
            added: &added,
            stages,
        });
        let start = Start {
            reuse: Some(reusable),
            seed: seed.as_ref(),
            capture: false,
        };
        stratum::run(plan, facts, s, &mut db, interner, &guard, start)?;
        if seed.is_some() {
            reuse.delta += 1;
        } else {
            reuse.rerun += 1;
        }
        for &p in &s.preds {
            let (now, was) = (&db.relations[p], &base.db.relations[p]);
            // A delta run that added nothing hands back the base's relation; a re-run that
            // came out the same compares equal in one `memcmp`.
            if Arc::ptr_eq(now, was) || (now.len == was.len && now.data == was.data) {
                dirty[p] = false;
                (added[p], removed[p]) = (Vec::new(), Vec::new());
                continue;
            }
            (added[p], removed[p]) = changed_rows(&db.relations[p], &base.db.relations[p]);
            dirty[p] = !added[p].is_empty()
                || !removed[p].is_empty()
                || db.relations[p].len != base.db.relations[p].len;
        }
    }
    Ok((db, reuse))
}

/// Whether some changed row (flat, `width` values each) passes `filters`. For a relation
/// without columns, a change is its one empty row appearing or going.
fn reaches(changed: &[Val], width: usize, filters: &[ColFilter]) -> bool {
    if width == 0 {
        return true;
    }
    changed.chunks_exact(width).any(|row| passes(row, filters))
}

/// The rows of `now` not in `was`, and those of `was` not in `now` (two sorted, distinct
/// relations of one width), flat, by one merge.
fn changed_rows(now: &Stored, was: &Stored) -> (Vec<Val>, Vec<Val>) {
    let w = now.width;
    let (mut gained, mut lost) = (Vec::new(), Vec::new());
    if w == 0 {
        return (gained, lost);
    }
    let (a, b) = (now.rows(), was.rows());
    let (mut i, mut j) = (0, 0);
    while i < a.len && j < b.len {
        let (x, y) = (a.row(i), b.row(j));
        match x.cmp(y) {
            std::cmp::Ordering::Less => {
                gained.extend_from_slice(x);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                lost.extend_from_slice(y);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    (i..a.len).for_each(|k| gained.extend_from_slice(a.row(k)));
    (j..b.len).for_each(|k| lost.extend_from_slice(b.row(k)));
    (gained, lost)
}
