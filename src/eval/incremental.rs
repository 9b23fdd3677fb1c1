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

use super::ops::passes;
use super::shared::{Reusable, Shared};
use super::stratum;
use super::{Database, Guard, Limits, Stored};
use crate::diag::Diagnostic;
use crate::intern::Interner;
use crate::intern::Val;
use crate::plan::{Body, ColFilter, FactRows, Input, Op, Plan, PredId, Right, StratumPlan};

/// What a re-evaluation did, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Strata kept from the base without running.
    pub kept: usize,
    /// Strata run again.
    pub rerun: usize,
    /// Strata not evaluated because no relation asked for depends on them (their relations
    /// are left as the base's and must not be read).
    pub skipped: usize,
}

/// Which strata the relations `wanted` depend on (themselves included), by the reads of
/// their rules.
fn needed_strata(plan: &Plan, wanted: &[PredId]) -> Vec<bool> {
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
        for read in reads(plan, &plan.strata[si]) {
            let p = match read {
                Read::View(v) => plan.views[v].pred,
                Read::Table(t) => plan.tables[t].pred,
                Read::Pred(p) => p,
            };
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
    /// The relations asked for (`None`: all).
    pub wanted: Option<&'a [PredId]>,
}

/// The relations of `plan` evaluated on the facts of `change` instead of those `base` was
/// evaluated on. Views and tables over unchanged relations come from `shared` (one per base,
/// filled by whichever variant needs them first). `interner` must be the base's (or an
/// extension of it: new constants appended), so that the base's rows keep their meaning. With
/// `change.wanted`, only the strata those relations depend on run; the others keep the
/// base's (stale) rows, which the caller must not read.
pub fn reevaluate(
    plan: &Plan,
    base: &Database,
    shared: &Shared,
    change: &Change<'_>,
    interner: &mut Interner,
    limits: &Limits,
) -> Result<(Database, Reuse), Diagnostic> {
    let Change {
        facts,
        changed,
        wanted,
    } = *change;
    let guard = Guard::new(limits);
    let needed = wanted.map(|w| needed_strata(plan, w));
    let mut dirty = vec![false; plan.preds.len()];
    for &p in changed {
        dirty[p] = true;
    }
    let mut db = base.clone();
    let mut reuse = Reuse::default();
    // Per changed relation: the rows added or removed (flat), against which each view's and
    // table's filters are tried. A view none of whose filters any changed row passes is the
    // base's, row for row: its readers need not run for it.
    let mut diffs: Vec<Vec<Val>> = vec![Vec::new(); plan.preds.len()];
    let mut views: Vec<Option<bool>> = vec![None; plan.views.len()];
    let mut tables: Vec<Option<bool>> = vec![None; plan.tables.len()];
    for (si, s) in plan.strata.iter().enumerate() {
        if needed.as_ref().is_some_and(|n| !n[si]) {
            reuse.skipped += 1;
            continue;
        }
        let own = |p: PredId| s.preds.contains(&p);
        let mut touched = s.preds.iter().any(|&p| dirty[p]);
        for read in reads(plan, s) {
            touched |= match read {
                Read::View(v) => {
                    let spec = &plan.views[v];
                    let p = spec.pred;
                    !own(p)
                        && dirty[p]
                        && *views[v].get_or_insert_with(|| {
                            reaches(&diffs[p], plan.preds[p].arity, &spec.filters)
                        })
                }
                Read::Table(t) => {
                    let spec = &plan.tables[t];
                    let p = spec.pred;
                    dirty[p]
                        && *tables[t].get_or_insert_with(|| {
                            reaches(&diffs[p], plan.preds[p].arity, &spec.filters)
                        })
                }
                Read::Pred(p) => dirty[p],
            };
            if touched {
                break;
            }
        }
        if !touched {
            reuse.kept += 1;
            let kept: usize = s.preds.iter().map(|&p| db.relations[p].len).sum();
            guard.done.set(guard.done.get() + kept);
            continue;
        }
        reuse.rerun += 1;
        let reusable = Reusable {
            shared,
            base,
            dirty: &dirty,
            views: &views,
            tables: &tables,
        };
        stratum::run(plan, facts, s, &mut db, interner, &guard, Some(reusable))?;
        for &p in &s.preds {
            diffs[p] = changed_rows(&db.relations[p], &base.relations[p]);
            dirty[p] = !diffs[p].is_empty() || db.relations[p].len != base.relations[p].len;
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

/// The rows in one of two sorted, distinct relations of the same width but not in the other,
/// flat, by one merge.
fn changed_rows(now: &Stored, was: &Stored) -> Vec<Val> {
    let w = now.width;
    let mut out = Vec::new();
    if w == 0 {
        return out;
    }
    let (a, b) = (now.rows(), was.rows());
    let (mut i, mut j) = (0, 0);
    while i < a.len && j < b.len {
        let (x, y) = (a.row(i), b.row(j));
        match x.cmp(y) {
            std::cmp::Ordering::Less => {
                out.extend_from_slice(x);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.extend_from_slice(y);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    (i..a.len).for_each(|k| out.extend_from_slice(a.row(k)));
    (j..b.len).for_each(|k| out.extend_from_slice(b.row(k)));
    out
}

/// What a stratum's rules read: views and lookup tables (compared by content), and aggregate
/// helpers (compared as whole relations).
enum Read {
    View(usize),
    Table(usize),
    Pred(PredId),
}

/// Everything the rules of `s` read: views, leapjoin and negation tables, and aggregates
/// (whose helper predicates live in lower strata).
fn reads<'a>(plan: &'a Plan, s: &'a StratumPlan) -> impl Iterator<Item = Read> + 'a {
    s.rules.iter().flat_map(move |rule| {
        let mut out = Vec::new();
        match &rule.body {
            Body::Static { ops } => op_reads(plan, ops, &mut out),
            Body::Scan { view, ops, .. } => {
                op_reads(plan, ops, &mut out);
                out.push(Read::View(*view));
            }
            Body::Joins { stages } => {
                for st in stages {
                    op_reads(plan, &st.ops, &mut out);
                    if let Input::View(v) = st.left {
                        out.push(Read::View(v));
                    }
                    match &st.right {
                        Right::Join { view, .. } => out.push(Read::View(*view)),
                        Right::Leap { extend, .. } => {
                            out.extend(extend.iter().map(|(t, _)| Read::Table(*t)));
                        }
                    }
                }
            }
        }
        out
    })
}

/// What negation and aggregate lookups among `ops` read.
fn op_reads(plan: &Plan, ops: &[Op], out: &mut Vec<Read>) {
    for op in ops {
        match op {
            Op::Absent(t, _) => out.push(Read::Table(*t)),
            Op::Aggregate { agg, .. } => out.push(Read::Pred(plan.aggs[*agg].pred)),
            Op::Filter(..) | Op::Assign(..) => {}
        }
    }
}
