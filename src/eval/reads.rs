//! What the rules of a stratum read from outside it: which views, lookup tables and aggregate
//! helpers. A re-evaluation (`incremental`) decides from it whether a change reaches a stratum,
//! and `delta` whether additions alone reach it.

use crate::plan::{Body, Input, Op, Plan, PredId, Right, StratumPlan};

/// What a stratum's rules read: views and lookup tables (compared by content), and aggregate
/// helpers (compared as whole relations).
#[derive(Clone, Copy, Debug)]
pub(super) enum Read {
    View(usize),
    Table(usize),
    Pred(PredId),
}

impl Read {
    /// The predicate read.
    pub fn pred(&self, plan: &Plan) -> PredId {
        match *self {
            Read::View(v) => plan.views[v].pred,
            Read::Table(t) => plan.tables[t].pred,
            Read::Pred(p) => p,
        }
    }
}

/// Everything the rules of `s` read: views, leapjoin and negation tables, and aggregates
/// (whose helper predicates live in lower strata).
pub(super) fn reads<'a>(plan: &'a Plan, s: &'a StratumPlan) -> impl Iterator<Item = Read> + 'a {
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
