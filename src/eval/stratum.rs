//! One stratum, evaluated semi-naively on its variables (`vars`) until nothing changes.
//!
//! A run starts from scratch (every evaluation, and a re-run after a change), or — for a
//! non-recursive stratum under a change that only added rows below it — from the base's
//! relations and join intermediates as stable rows with only the added rows recent
//! ([`Start::seed`], see `delta`), so that each join combines the new rows with the old ones
//! and nothing old with anything old. A scratch run can also keep its join intermediates
//! ([`Start::capture`]) for such later runs.

use super::ops::{Tables, aggregate_table, lookup_table, project};
use super::rule::{Ctx, Stop, eval_error};
use super::seed::{Seed, union_stored};
use super::shared::{Captured, Reusable};
use super::variable::{MAX_WIDTH, new_var};
use super::vars::Vars;
use super::{Database, Guard, Stored};
use crate::diag::{Code, Diagnostic};
use crate::intern::Interner;
use crate::plan::{Body, FactRows, Input, Op, Plan, Right, RulePlan, StratumPlan, ViewId};
use crate::syntax::span::Span;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Where a run of a stratum starts, beyond its facts and the completed relations below it.
#[derive(Clone, Copy, Default)]
pub(super) struct Start<'a> {
    /// Views and tables to copy rather than build (a re-evaluation's: see `shared`).
    pub reuse: Option<Reusable<'a>>,
    /// Start from the base's rows and join only what the change added (`delta`).
    pub seed: Option<&'a Seed<'a>>,
    /// Return the join intermediates at the fixpoint.
    pub capture: bool,
}

/// Evaluates stratum `s`, storing its completed relations in `db`. The written facts come
/// from `facts` (indexed by predicate), not from `plan.facts`, so that a re-evaluation after a
/// change of facts (`incremental`) runs the same plan on other facts. With `start.capture`,
/// returns the join intermediates.
pub(super) fn run(
    plan: &Plan,
    facts: &[&FactRows],
    s: &StratumPlan,
    db: &mut Database,
    interner: &mut Interner,
    guard: &Guard<'_>,
    start: Start<'_>,
) -> Result<Option<Captured>, Diagnostic> {
    let Start {
        reuse,
        seed,
        capture,
    } = start;
    if s.rules.is_empty() {
        // Facts only: no iteration needed (programs with many fact-only predicates stay fast).
        for &p in &s.preds {
            let facts = facts[p];
            let width = plan.preds[p].arity;
            let stored = if facts.distinct {
                Stored {
                    data: facts.data.clone(),
                    len: facts.len,
                    width,
                }
            } else {
                super::ops::sort_dedup(facts.data.clone(), facts.len, width)
            };
            guard.done.set(guard.done.get() + stored.len);
            db.relations[p] = Arc::new(stored);
        }
        guard.facts(0)?;
        return Ok(None);
    }
    let too_wide = |span: Option<Span>| {
        let d = Diagnostic::error_nowhere(
            Code::Unsupported,
            format!("a relation or rule binds more than {MAX_WIDTH} values per row"),
        );
        match span {
            Some(sp) => Diagnostic {
                span: Some(sp),
                ..d
            },
            None => d,
        }
    };
    let mut vars = Vars {
        preds: FxHashMap::default(),
        views: FxHashMap::default(),
        aliases: FxHashMap::default(),
        stages: FxHashMap::default(),
    };
    for &p in &s.preds {
        let var = new_var(plan.preds[p].arity).ok_or_else(|| too_wide(None))?;
        let FactRows {
            data,
            len,
            distinct,
            ..
        } = facts[p];
        let inserted = if *distinct {
            var.insert_sorted(data, *len, guard)
        } else {
            var.insert_vec(data.clone(), *len, guard)
        };
        if !inserted {
            return Err(guard.stopped());
        }
        vars.preds.insert(p, var);
    }
    let mut tables = Tables::default();
    // Views, negation and aggregate tables used here; lower-strata views are filled once.
    for (ri, rule) in s.rules.iter().enumerate() {
        for view in rule_views(rule) {
            let spec = &plan.views[view];
            if vars.views.contains_key(&view) || vars.aliases.contains_key(&view) {
                continue;
            }
            if vars.preds.contains_key(&spec.pred) && spec.is_identity(plan.preds[spec.pred].arity)
            {
                vars.aliases.insert(view, spec.pred);
                continue;
            }
            let mut var = new_var(spec.cols.len()).ok_or_else(|| too_wide(Some(rule.span)))?;
            if let Some(seed) = seed {
                // The base's rows stable; the rows the change added to the relation, recent.
                if !seed.view(plan, view, &mut *var, guard) {
                    return Err(guard.stopped());
                }
            } else if !vars.preds.contains_key(&spec.pred) {
                if let Some(rows) = reuse.and_then(|r| r.view(plan, view)) {
                    if !var.insert_sorted(&rows.data, rows.len, guard) {
                        return Err(guard.stopped());
                    }
                    vars.views.insert(view, var);
                    continue;
                }
                let mut buf = Vec::new();
                let n = project(
                    db.relations[spec.pred].rows(),
                    &spec.filters,
                    &spec.cols,
                    &mut buf,
                );
                if !var.insert_vec(buf, n, guard) {
                    return Err(guard.stopped());
                }
            }
            vars.views.insert(view, var);
        }
        if let Body::Joins { stages } = &rule.body {
            for (si, st) in stages.iter().enumerate() {
                if let Some(out) = &st.out {
                    let mut var = new_var(out.len()).ok_or_else(|| too_wide(Some(rule.span)))?;
                    if let Some(rows) = seed.and_then(|seed| seed.stages.get(&(ri, si)))
                        && !var.seed_stable(Arc::clone(rows), guard)
                    {
                        return Err(guard.stopped());
                    }
                    vars.stages.insert((ri, si), var);
                }
                if let Right::Leap { extend, .. } = &st.right {
                    for (id, _) in extend {
                        tables
                            .lookups
                            .entry(*id)
                            .or_insert_with(|| table(plan, *id, db, reuse));
                    }
                }
            }
        }
        for op in rule_ops(rule) {
            match op {
                Op::Absent(id, _) if !tables.lookups.contains_key(id) => {
                    tables.lookups.insert(*id, table(plan, *id, db, reuse));
                }
                Op::Aggregate { agg, .. } if !tables.aggs.contains_key(agg) => {
                    let t = aggregate_table(&plan.aggs[*agg], db, interner)
                        .map_err(|e| eval_error(e, plan.aggs[*agg].span))?;
                    tables.aggs.insert(*agg, t);
                }
                _ => {}
            }
        }
    }
    let mut ctx = Ctx {
        plan,
        tables: &tables,
        interner,
        out: Vec::new(),
        key: Vec::new(),
        scratch: Vec::new(),
        guard,
        round_bytes: 0,
    };
    // A delta run leaves out rules without atoms: they read nothing the change reached, so
    // the base's rows hold what they derive.
    for rule in s.rules.iter().filter(|_| seed.is_none()) {
        if let Body::Static { ops } = &rule.body {
            ctx.scratch.clear();
            ctx.scratch.resize(rule.nvars, 0);
            ctx.out.clear();
            let mut n = 0;
            if ctx
                .candidate(ops, &rule.head_args)
                .map_err(|e| eval_error(e, rule.span))?
            {
                n = 1;
            }
            if !vars.preds[&rule.head].insert_vec(std::mem::take(&mut ctx.out), n, guard) {
                return Err(guard.stopped());
            }
        }
    }
    while vars.changed(guard)? {
        guard.tick()?;
        // Views of this stratum's relations follow their new tuples.
        for (&view, var) in &vars.views {
            let spec = &plan.views[view];
            if let Some(src) = vars.preds.get(&spec.pred) {
                let mut buf = Vec::new();
                let mut n = 0;
                src.with_recent(&mut |rows| n = project(rows, &spec.filters, &spec.cols, &mut buf));
                if !var.insert_vec(buf, n, guard) {
                    return Err(guard.stopped());
                }
            }
        }
        for (ri, rule) in s.rules.iter().enumerate() {
            ctx.rule(ri, rule, &vars).map_err(|e| match e {
                Stop::Eval(e) => eval_error(e, rule.span),
                Stop::Limit(d) => d,
            })?;
        }
        guard.facts(vars.preds.values().map(|v| v.count()).sum())?;
        // `changed` merges each variable's new rows into its old ones.
        guard.room(vars.largest_bytes() + std::mem::take(&mut ctx.round_bytes))?;
    }
    drop(ctx);
    let mut total = 0;
    for (p, var) in vars.preds {
        let (data, len) = var.complete(guard).ok_or_else(|| guard.stopped())?;
        let mut stored = Arc::new(Stored {
            data,
            len,
            width: plan.preds[p].arity,
        });
        if let Some(seed) = seed {
            stored = union_stored(&seed.base.relations[p], Arc::unwrap_or_clone(stored), guard)?;
        }
        total += stored.len;
        db.relations[p] = stored;
    }
    guard.done.set(guard.done.get() + total);
    if !capture {
        return Ok(None);
    }
    let mut captured = Captured::default();
    for (key, var) in vars.stages {
        let width = var.width();
        let (data, len) = var.complete(guard).ok_or_else(|| guard.stopped())?;
        captured.insert(key, Arc::new(Stored { data, len, width }));
    }
    Ok(Some(captured))
}

/// Lookup table `id` over `db`: shared with other variants of the base when its relation is
/// unchanged.
fn table(plan: &Plan, id: usize, db: &Database, reuse: Option<Reusable<'_>>) -> Stored {
    reuse
        .and_then(|r| r.lookup(plan, id))
        .unwrap_or_else(|| lookup_table(&plan.tables[id], db))
}

fn rule_views(rule: &RulePlan) -> Vec<ViewId> {
    match &rule.body {
        Body::Static { .. } => Vec::new(),
        Body::Scan { view, .. } => vec![*view],
        Body::Joins { stages } => stages
            .iter()
            .flat_map(|st| {
                let left = match st.left {
                    Input::View(v) => Some(v),
                    Input::Stage(_) => None,
                };
                let right = match st.right {
                    Right::Join { view, .. } => Some(view),
                    Right::Leap { .. } => None,
                };
                left.into_iter().chain(right)
            })
            .collect(),
    }
}

fn rule_ops(rule: &RulePlan) -> Vec<&Op> {
    match &rule.body {
        Body::Static { ops } | Body::Scan { ops, .. } => ops.iter().collect(),
        Body::Joins { stages } => stages.iter().flat_map(|s| s.ops.iter()).collect(),
    }
}
