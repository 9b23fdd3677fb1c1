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

use super::stratum;
use super::{Database, Guard, Limits};
use crate::diag::Diagnostic;
use crate::intern::Interner;
use crate::plan::{Body, FactRows, Input, Op, Plan, PredId, Right, StratumPlan};

/// What a re-evaluation did, for tests and benchmarks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    /// Strata kept from the base without running.
    pub kept: usize,
    /// Strata run again.
    pub rerun: usize,
}

/// The relations of `plan` evaluated on `facts` (one entry per predicate) instead of the facts
/// `base` was evaluated on, where `changed` lists the predicates whose written facts differ
/// (as sets of rows) from the base's. `interner` must be the base's (or an extension of it:
/// new constants appended), so that the base's rows keep their meaning.
pub fn reevaluate(
    plan: &Plan,
    base: &Database,
    facts: &[&FactRows],
    changed: &[PredId],
    interner: &mut Interner,
    limits: &Limits,
) -> Result<(Database, Reuse), Diagnostic> {
    let guard = Guard::new(limits);
    let mut dirty = vec![false; plan.preds.len()];
    for &p in changed {
        dirty[p] = true;
    }
    let mut db = base.clone();
    let mut reuse = Reuse::default();
    for s in &plan.strata {
        let touched = s.preds.iter().any(|&p| dirty[p]) || reads(plan, s).any(|p| dirty[p]);
        if !touched {
            reuse.kept += 1;
            let kept: usize = s.preds.iter().map(|&p| db.relations[p].len).sum();
            guard.done.set(guard.done.get() + kept);
            continue;
        }
        reuse.rerun += 1;
        stratum::run(plan, facts, s, &mut db, interner, &guard)?;
        for &p in &s.preds {
            let (now, was) = (&db.relations[p], &base.relations[p]);
            dirty[p] = now.len != was.len || now.data != was.data;
        }
    }
    Ok((db, reuse))
}

/// Every predicate the rules of `s` read: through views, leapjoin and negation tables, and
/// aggregates (whose helper predicates live in lower strata).
fn reads<'a>(plan: &'a Plan, s: &'a StratumPlan) -> impl Iterator<Item = PredId> + 'a {
    s.rules.iter().flat_map(move |rule| {
        let mut preds = Vec::new();
        match &rule.body {
            Body::Static { ops } => op_reads(plan, ops, &mut preds),
            Body::Scan { view, ops, .. } => {
                op_reads(plan, ops, &mut preds);
                preds.push(plan.views[*view].pred);
            }
            Body::Joins { stages } => {
                for st in stages {
                    op_reads(plan, &st.ops, &mut preds);
                    if let Input::View(v) = st.left {
                        preds.push(plan.views[v].pred);
                    }
                    match &st.right {
                        Right::Join { view, .. } => preds.push(plan.views[*view].pred),
                        Right::Leap { extend, .. } => {
                            preds.extend(extend.iter().map(|(t, _)| plan.tables[*t].pred));
                        }
                    }
                }
            }
        }
        preds
    })
}

/// The predicates that negation and aggregate lookups among `ops` read.
fn op_reads(plan: &Plan, ops: &[Op], preds: &mut Vec<PredId>) {
    for op in ops {
        match op {
            Op::Absent(t, _) => preds.push(plan.tables[*t].pred),
            Op::Aggregate { agg, .. } => preds.push(plan.aggs[*agg].pred),
            Op::Filter(..) | Op::Assign(..) => {}
        }
    }
}
