//! One stratum, evaluated semi-naively on `datafrog` variables until nothing changes.

use super::leap::{DynLeapers, Extender};
use super::ops::{Tables, aggregate_table, emit, lookup_table, project, run_ops};
use super::rows::{DynVar, Rows, join, new_var};
use super::{Database, Guard, Stored};
use crate::diag::{Code, Diagnostic};
use crate::eval::expr::EvalError;
use crate::intern::{Interner, Val};
use crate::plan::{
    Body, Expr, Input, JoinStage, Op, Plan, PredId, Right, RulePlan, StratumPlan, ViewId,
};
use crate::syntax::span::Span;
use datafrog::Iteration;
use rustc_hash::FxHashMap;

/// Where each relation, view and intermediate of the stratum lives.
struct Vars {
    /// Predicate of this stratum → its variable.
    preds: FxHashMap<PredId, Box<dyn DynVar>>,
    /// View → its own variable, unless it is a predicate's identity view.
    views: FxHashMap<ViewId, Box<dyn DynVar>>,
    /// Identity views of this stratum's predicates.
    aliases: FxHashMap<ViewId, PredId>,
    /// (rule index, stage index) → intermediate variable.
    stages: FxHashMap<(usize, usize), Box<dyn DynVar>>,
}

impl Vars {
    fn view(&self, v: ViewId) -> &dyn DynVar {
        match self.aliases.get(&v) {
            Some(p) => &*self.preds[p],
            None => &*self.views[&v],
        }
    }
}

/// Evaluates stratum `s`, storing its completed relations in `db`.
pub(super) fn run(
    plan: &Plan,
    s: &StratumPlan,
    db: &mut Database,
    interner: &mut Interner,
    guard: &Guard<'_>,
) -> Result<(), Diagnostic> {
    if s.rules.is_empty() {
        // Facts only: no iteration needed (programs with many fact-only predicates stay fast).
        for &p in &s.preds {
            let facts = &plan.facts[p];
            let width = plan.preds[p].arity;
            let stored = super::ops::sort_dedup(facts.data.clone(), facts.len, width);
            guard.done.set(guard.done.get() + stored.len);
            db.relations[p] = stored;
        }
        return guard.facts(0);
    }
    let mut it = Iteration::new();
    let too_wide = |span: Option<Span>| {
        let d = Diagnostic::error_nowhere(
            Code::Unsupported,
            "a relation or rule binds more than 32 values per row",
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
        let var = new_var(&mut it, plan.preds[p].arity).ok_or_else(|| too_wide(None))?;
        var.insert_flat(&plan.facts[p].data, plan.facts[p].len);
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
            let var = new_var(&mut it, spec.cols.len()).ok_or_else(|| too_wide(Some(rule.span)))?;
            if !vars.preds.contains_key(&spec.pred) {
                let mut buf = Vec::new();
                let n = project(
                    db.relations[spec.pred].rows(),
                    &spec.filters,
                    &spec.cols,
                    &mut buf,
                );
                var.insert_flat(&buf, n);
            }
            vars.views.insert(view, var);
        }
        if let Body::Joins { stages } = &rule.body {
            for (si, st) in stages.iter().enumerate() {
                if let Some(out) = &st.out {
                    let var =
                        new_var(&mut it, out.len()).ok_or_else(|| too_wide(Some(rule.span)))?;
                    vars.stages.insert((ri, si), var);
                }
                if let Right::Leap { extend, .. } = &st.right {
                    for (id, _) in extend {
                        tables
                            .lookups
                            .entry(*id)
                            .or_insert_with(|| lookup_table(&plan.tables[*id], db));
                    }
                }
            }
        }
        for op in rule_ops(rule) {
            match op {
                Op::Absent(id, _) if !tables.lookups.contains_key(id) => {
                    tables
                        .lookups
                        .insert(*id, lookup_table(&plan.tables[*id], db));
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
    };
    for rule in &s.rules {
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
            vars.preds[&rule.head].insert_flat(&ctx.out, n);
        }
    }
    while it.changed() {
        guard.tick()?;
        // Views of this stratum's relations follow their new tuples.
        for (&view, var) in &vars.views {
            let spec = &plan.views[view];
            if let Some(src) = vars.preds.get(&spec.pred) {
                let mut buf = Vec::new();
                let mut n = 0;
                src.with_recent(&mut |rows| n = project(rows, &spec.filters, &spec.cols, &mut buf));
                var.insert_flat(&buf, n);
            }
        }
        for (ri, rule) in s.rules.iter().enumerate() {
            ctx.rule(ri, rule, &vars).map_err(|e| match e {
                Stop::Eval(e) => eval_error(e, rule.span),
                Stop::Limit(d) => d,
            })?;
        }
        guard.facts(vars.preds.values().map(|v| v.count()).sum())?;
    }
    drop(ctx);
    let mut total = 0;
    for (p, var) in vars.preds {
        let (data, len) = var.complete();
        total += len;
        db.relations[p] = Stored {
            data,
            len,
            width: plan.preds[p].arity,
        };
    }
    guard.done.set(guard.done.get() + total);
    Ok(())
}

enum Stop {
    Eval(EvalError),
    Limit(Diagnostic),
}

impl From<EvalError> for Stop {
    fn from(e: EvalError) -> Stop {
        Stop::Eval(e)
    }
}

fn eval_error(e: EvalError, span: Span) -> Diagnostic {
    match e {
        EvalError::Overflow => {
            Diagnostic::error(Code::IntegerOverflow, span, "integer overflow in this rule")
                .with_hint(
                    "values are 64-bit signed integers; the rule's arithmetic left that range",
                )
        }
        EvalError::Unbound => {
            Diagnostic::error(Code::UnboundVariable, span, "a variable has no value here")
        }
    }
}

/// Buffers and tables shared by every rule of the stratum.
struct Ctx<'a, 'i> {
    plan: &'a Plan,
    tables: &'a Tables,
    interner: &'i mut Interner,
    out: Vec<Val>,
    key: Vec<Val>,
    scratch: Vec<Val>,
    guard: &'a Guard<'a>,
}

impl Ctx<'_, '_> {
    /// Runs ops on the scratch bindings and appends the head row if they pass.
    fn candidate(&mut self, ops: &[Op], head: &[crate::plan::Expr]) -> Result<bool, EvalError> {
        if !run_ops(
            ops,
            &mut self.scratch,
            self.plan,
            self.tables,
            self.interner,
            &mut self.key,
        )? {
            return Ok(false);
        }
        emit(head, &self.scratch, self.interner, &mut self.out)
    }

    /// One round of one rule: read new tuples, write derived ones.
    fn rule(&mut self, ri: usize, rule: &RulePlan, vars: &Vars) -> Result<(), Stop> {
        match &rule.body {
            Body::Static { .. } => Ok(()),
            Body::Scan {
                view,
                vars: cols,
                ops,
            } => {
                self.reset(rule.nvars);
                let mut n = 0;
                let mut err = None;
                vars.view(*view).with_recent(&mut |rows| {
                    for i in 0..rows.len {
                        let row = rows.row(i);
                        for (c, &v) in cols.iter().enumerate() {
                            self.scratch[v] = row[c];
                        }
                        match self.candidate(ops, &rule.head_args) {
                            Ok(true) => n += 1,
                            Ok(false) => {}
                            Err(e) => {
                                err = Some(e);
                                return;
                            }
                        }
                    }
                });
                if let Some(e) = err {
                    return Err(e.into());
                }
                vars.preds[&rule.head].insert_flat(&self.out, n);
                Ok(())
            }
            Body::Joins { stages } => {
                for (si, st) in stages.iter().enumerate() {
                    self.reset(rule.nvars);
                    let left: &dyn DynVar = match st.left {
                        Input::View(v) => vars.view(v),
                        Input::Stage(i) => &*vars.stages[&(ri, i)],
                    };
                    let mut n = 0usize;
                    let mut err: Option<Stop> = None;
                    if let (Right::Join { view, key_len, .. }, Some(proj)) =
                        (&st.right, direct_projection(st, &rule.head_args))
                    {
                        // No condition and plain variables out: copy columns straight from the
                        // pair of rows, without the scratch bindings, into a buffer the target
                        // variable takes over (its capacity stays a whole number of rows).
                        let mut buffer: Vec<Val> = Vec::with_capacity(proj.len().max(1) * 1024);
                        let out = &mut buffer;
                        let guard = self.guard;
                        let mut pair = |l: &[Val], r: &[Val]| {
                            out.extend(
                                proj.iter()
                                    .map(|&(right, c)| if right { r[c] } else { l[c] }),
                            );
                            n += 1;
                            if n & 0xFFFF == 0
                                && err.is_none()
                                && let Err(d) = guard.tick()
                            {
                                err = Some(Stop::Limit(d));
                            }
                        };
                        semi_naive_join(left, vars.view(*view), *key_len, &mut pair);
                        if let Some(e) = err {
                            return Err(e);
                        }
                        let target: &dyn DynVar = match &st.out {
                            Some(_) => &*vars.stages[&(ri, si)],
                            None => &*vars.preds[&rule.head],
                        };
                        target.insert_vec(buffer, n);
                        continue;
                    }
                    let mut pair = |l: &[Val], r: &[Val]| {
                        if err.is_some() {
                            return;
                        }
                        for (c, &v) in st.left_vars.iter().enumerate() {
                            self.scratch[v] = l[c];
                        }
                        match &st.right {
                            Right::Join { vars, key_len, .. } => {
                                for (c, &v) in vars.iter().enumerate().skip(*key_len) {
                                    self.scratch[v] = r[c];
                                }
                            }
                            Right::Leap { var, .. } => self.scratch[*var] = r[0],
                        }
                        let ok = match run_ops(
                            &st.ops,
                            &mut self.scratch,
                            self.plan,
                            self.tables,
                            self.interner,
                            &mut self.key,
                        ) {
                            Ok(ok) => ok,
                            Err(e) => {
                                err = Some(e.into());
                                return;
                            }
                        };
                        if !ok {
                            return;
                        }
                        let written = match &st.out {
                            Some(out) => {
                                self.out.extend(out.iter().map(|&v| self.scratch[v]));
                                Ok(true)
                            }
                            None => {
                                emit(&rule.head_args, &self.scratch, self.interner, &mut self.out)
                            }
                        };
                        match written {
                            Ok(true) => {
                                n += 1;
                                if n & 0xFFFF == 0
                                    && let Err(d) = self.guard.tick()
                                {
                                    err = Some(Stop::Limit(d));
                                }
                            }
                            Ok(false) => {}
                            Err(e) => err = Some(e.into()),
                        }
                    };
                    match &st.right {
                        Right::Join { view, key_len, .. } => {
                            semi_naive_join(left, vars.view(*view), *key_len, &mut pair)
                        }
                        Right::Leap { extend, .. } => {
                            let mut leapers = DynLeapers {
                                extenders: extend
                                    .iter()
                                    .map(|(id, key)| {
                                        Extender::new(self.tables.lookups[id].rows(), key)
                                    })
                                    .collect(),
                            };
                            left.leapjoin(&mut leapers, &mut |l, v| pair(l, &[v]));
                        }
                    }
                    if let Some(e) = err {
                        return Err(e);
                    }
                    let target: &dyn DynVar = match &st.out {
                        Some(_) => &*vars.stages[&(ri, si)],
                        None => &*vars.preds[&rule.head],
                    };
                    target.insert_flat(&self.out, n);
                }
                Ok(())
            }
        }
    }

    fn reset(&mut self, nvars: usize) {
        self.out.clear();
        self.scratch.clear();
        self.scratch.resize(nvars, 0);
    }
}

/// `datafrog`'s join discipline: new × old, old × new, new × new — every pair once.
fn semi_naive_join<F: FnMut(&[Val], &[Val])>(
    left: &dyn DynVar,
    right: &dyn DynVar,
    k: usize,
    f: &mut F,
) {
    left.with_recent(&mut |lr: Rows<'_>| {
        right.with_stable(&mut |rs: &[Rows<'_>]| {
            for &b in rs {
                join(lr, b, k, &mut *f);
            }
        });
    });
    left.with_stable(&mut |ls: &[Rows<'_>]| {
        right.with_recent(&mut |rr: Rows<'_>| {
            for &a in ls {
                join(a, rr, k, &mut *f);
            }
        });
    });
    left.with_recent(&mut |lr: Rows<'_>| {
        right.with_recent(&mut |rr: Rows<'_>| join(lr, rr, k, &mut *f));
    });
}

/// For a join stage with no conditions whose output is plain variables: where each output
/// value comes from (`true`: the right row) and which column.
fn direct_projection(st: &JoinStage, head: &[Expr]) -> Option<Vec<(bool, usize)>> {
    let Right::Join { vars: right, .. } = &st.right else {
        return None;
    };
    if !st.ops.is_empty() {
        return None;
    }
    let out: Vec<usize> = match &st.out {
        Some(vars) => vars.clone(),
        None => head
            .iter()
            .map(|e| match e {
                Expr::Var(v) => Some(*v),
                _ => None,
            })
            .collect::<Option<_>>()?,
    };
    out.iter()
        .map(|v| {
            st.left_vars
                .iter()
                .position(|x| x == v)
                .map(|c| (false, c))
                .or_else(|| right.iter().position(|x| x == v).map(|c| (true, c)))
        })
        .collect()
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
