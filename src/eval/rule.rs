//! One round of one rule: its join stages (merge joins and leapjoins), the conditions on each
//! candidate binding, and the rows it derives.
//!
//! Every candidate a stage examines — a pair of rows with equal keys, a source tuple of a
//! leapjoin, a proposed value, a scanned row — is counted by the [`Guard`] whether or not it
//! passes the conditions (pairs a run at a time: [`PairSink::run`] announces up to 4,096 pairs
//! of one left row), so `--timeout`, Ctrl-C and the memory budget stop a join that rejects
//! almost everything as quickly as one that keeps everything. Derived rows go to an output
//! buffer that grows only through [`Guard::grow`] (budget checked, allocation fallible);
//! whenever it is full (see [`Fill`]) it is sorted and deduplicated into the target
//! variable's rows of the round (`DynVar::absorb`), so a round never holds all its candidates.

use super::Guard;
use super::dedup::CHUNK;
use super::leap::{DynLeapers, Extender};
use super::ops::{Tables, emit, run_ops};
use super::rows::{PairSink, Rows, join};
use super::vars::{DynVar, Vars};
use crate::diag::{Code, Diagnostic};
use crate::eval::expr::EvalError;
use crate::intern::{Interner, Val};
use crate::plan::{Body, Expr, Input, JoinStage, Op, Plan, Right, RulePlan};
use crate::syntax::span::Span;
use std::cell::Cell;

/// Why a rule's round ended early.
pub(super) enum Stop {
    /// Arithmetic failed in the rule.
    Eval(EvalError),
    /// A limit was reached (or the user cancelled).
    Limit(Diagnostic),
}

impl From<EvalError> for Stop {
    fn from(e: EvalError) -> Stop {
        Stop::Eval(e)
    }
}

/// The diagnostic for an arithmetic failure in the rule at `span`.
pub(super) fn eval_error(e: EvalError, span: Span) -> Diagnostic {
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
pub(super) struct Ctx<'a, 'i> {
    pub plan: &'a Plan,
    pub tables: &'a Tables,
    pub interner: &'i mut Interner,
    pub out: Vec<Val>,
    pub key: Vec<Val>,
    pub scratch: Vec<Val>,
    pub guard: &'a Guard<'a>,
    /// Bytes of rows derived this round (merged by the next `changed`).
    pub round_bytes: usize,
}

impl Ctx<'_, '_> {
    /// Runs ops on the scratch bindings and appends the head row if they pass.
    pub fn candidate(&mut self, ops: &[Op], head: &[Expr]) -> Result<bool, EvalError> {
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

    /// Ends a stage: the last `n` rows of `self.out` join the target's rows of the round.
    fn finish(&mut self, target: &dyn DynVar, n: usize) -> Result<(), Stop> {
        let guard = self.guard;
        guard.take().map_err(Stop::Limit)?;
        let kept = target
            .absorb(&mut self.out, n, guard)
            .ok_or_else(|| Stop::Limit(guard.stopped()))?;
        self.round_bytes += kept * size_of::<Val>();
        // A large buffer is not kept for the next stage: the round's merges need the memory.
        if self.out.capacity() > CHUNK {
            self.out = Vec::new();
        }
        Ok(())
    }

    /// One round of one rule: read new tuples, write derived ones.
    pub fn rule(&mut self, ri: usize, rule: &RulePlan, vars: &Vars) -> Result<(), Stop> {
        match &rule.body {
            Body::Static { .. } => Ok(()),
            Body::Scan {
                view,
                vars: cols,
                ops,
            } => {
                self.reset(rule.nvars);
                let mut fill = Fill::new();
                let mut err = None;
                let guard = self.guard;
                let width = rule.head_args.len();
                let target = &*vars.preds[&rule.head];
                vars.view(*view).with_recent(&mut |rows| {
                    for i in 0..rows.len {
                        if !guard.work() || !fill.room(guard, target, &mut self.out, width) {
                            return;
                        }
                        let row = rows.row(i);
                        for (c, &v) in cols.iter().enumerate() {
                            self.scratch[v] = row[c];
                        }
                        match self.candidate(ops, &rule.head_args) {
                            Ok(true) => fill.n += 1,
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
                self.finish(target, fill.n)
            }
            Body::Joins { stages } => {
                for (si, st) in stages.iter().enumerate() {
                    self.stage(ri, si, st, rule, vars)?;
                }
                Ok(())
            }
        }
    }

    /// One join stage of rule `ri`.
    fn stage(
        &mut self,
        ri: usize,
        si: usize,
        st: &JoinStage,
        rule: &RulePlan,
        vars: &Vars,
    ) -> Result<(), Stop> {
        self.reset(rule.nvars);
        let left: &dyn DynVar = match st.left {
            Input::View(v) => vars.view(v),
            Input::Stage(i) => &*vars.stages[&(ri, i)],
        };
        let target: &dyn DynVar = match &st.out {
            Some(_) => &*vars.stages[&(ri, si)],
            None => &*vars.preds[&rule.head],
        };
        let guard = self.guard;
        if let (Right::Join { view, key_len, .. }, Some(proj)) =
            (&st.right, direct_projection(st, &rule.head_args))
        {
            // No condition and plain variables out: copy columns straight from the pair of
            // rows, without the scratch bindings, into a buffer the target variable takes over
            // (its capacity stays a whole number of rows).
            let mut sink = Direct {
                guard,
                proj: &proj,
                target,
                out: &mut self.out,
                fill: Fill::new(),
            };
            semi_naive_join(left, vars.view(*view), *key_len, guard, &mut sink);
            let n = sink.fill.n;
            return self.finish(target, n);
        }
        let width = st.out.as_ref().map_or(rule.head_args.len(), Vec::len);
        let mut err: Option<EvalError> = None;
        let failed = Cell::new(false);
        let mut fill = Fill::new();
        let mut pair = |l: &[Val], r: &[Val]| {
            if failed.get() {
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
                    err = Some(e);
                    failed.set(true);
                    return;
                }
            };
            if !ok {
                return;
            }
            if !fill.room(guard, target, &mut self.out, width) {
                failed.set(true);
                return;
            }
            let written = match &st.out {
                Some(out) => {
                    self.out.extend(out.iter().map(|&v| self.scratch[v]));
                    Ok(true)
                }
                None => emit(&rule.head_args, &self.scratch, self.interner, &mut self.out),
            };
            match written {
                Ok(true) => fill.n += 1,
                Ok(false) => {}
                Err(e) => {
                    err = Some(e);
                    failed.set(true);
                }
            }
        };
        match &st.right {
            Right::Join { view, key_len, .. } => {
                // Every pair is work, kept or not: counted a run at a time.
                let run = |pairs: usize| !failed.get() && guard.work_n(pairs);
                semi_naive_join(
                    left,
                    vars.view(*view),
                    *key_len,
                    guard,
                    &mut (run, &mut pair),
                );
            }
            Right::Leap { extend, .. } => {
                // The leapers count the work: each source tuple and each proposed value.
                let mut leapers = DynLeapers {
                    extenders: extend
                        .iter()
                        .map(|(id, key)| Extender::new(self.tables.lookups[id].rows(), key))
                        .collect(),
                    guard: Some(guard),
                };
                left.leapjoin(&mut leapers, &mut |l, v| pair(l, &[v]));
            }
        }
        if let Some(e) = err {
            return Err(e.into());
        }
        self.finish(target, fill.n)
    }

    fn reset(&mut self, nvars: usize) {
        self.out.clear();
        self.scratch.clear();
        self.scratch.resize(nvars, 0);
    }
}

/// How full a stage's output buffer may get before it is absorbed into the target variable.
struct Fill {
    /// Rows in the buffer.
    n: usize,
    /// Values the buffer may hold before it is absorbed: at least [`CHUNK`], and half as many
    /// as the target keeps from this round, so that every candidate costs a bounded number of
    /// moves (a buffer is merged into at most about twice its size) while the buffer and its
    /// sort scratch stay near the size of the round's distinct rows. (The whole size measured
    /// the same speed and 7 MB more memory on the obligation workload.)
    limit: usize,
}

impl Fill {
    fn new() -> Fill {
        Fill { n: 0, limit: CHUNK }
    }

    /// Makes room in `buf` for `extra` more values; a full buffer is first sorted and
    /// deduplicated into `target`. `false` when the loop must stop (the reason is in `guard`).
    #[inline]
    fn room(
        &mut self,
        guard: &Guard<'_>,
        target: &dyn DynVar,
        buf: &mut Vec<Val>,
        extra: usize,
    ) -> bool {
        if buf.len() + extra > self.limit && self.n > 0 {
            match target.absorb(buf, std::mem::take(&mut self.n), guard) {
                Some(kept) => self.limit = (kept / 2).max(CHUNK),
                None => return false,
            }
            // One block of the new size rather than doublings past it.
            if !guard.reserve(buf, self.limit) {
                return false;
            }
        }
        guard.grow(buf, extra)
    }
}

/// The sink of a join stage without conditions: columns copied straight into `out`.
struct Direct<'a> {
    guard: &'a Guard<'a>,
    /// Where each output value comes from (`true`: the right row) and which column.
    proj: &'a [(bool, usize)],
    /// Where full buffers go.
    target: &'a dyn DynVar,
    out: &'a mut Vec<Val>,
    fill: Fill,
}

impl PairSink for Direct<'_> {
    #[inline]
    fn run(&mut self, n: usize) -> bool {
        self.guard.work_n(n)
            && self
                .fill
                .room(self.guard, self.target, self.out, n * self.proj.len())
    }

    #[inline]
    fn pair(&mut self, l: &[Val], r: &[Val]) {
        let proj = self.proj;
        self.out.extend(
            proj.iter()
                .map(|&(right, c)| if right { r[c] } else { l[c] }),
        );
        self.fill.n += 1;
    }

    /// Most rows a join derives are narrow: for up to four columns the run is copied with
    /// the projection known at compile time's width (an unrolled copy per row, not a loop
    /// over the projection with a branch per value; the join's hottest loop).
    #[inline]
    fn pairs(&mut self, l: &[Val], r: Rows<'_>, from: usize, to: usize) {
        match self.proj.len() {
            // Right rows without values (a key-only atom) do not cut into chunks.
            _ if r.width == 0 => (from..to).for_each(|z| self.pair(l, r.row(z))),
            1 => self.copy::<1>(l, r, from, to),
            2 => self.copy::<2>(l, r, from, to),
            3 => self.copy::<3>(l, r, from, to),
            4 => self.copy::<4>(l, r, from, to),
            _ => (from..to).for_each(|z| self.pair(l, r.row(z))),
        }
    }
}

impl Direct<'_> {
    /// [`PairSink::pairs`] for `W` output values: the left row's values are set once, the
    /// right rows' copied in row by row. `run` has made room for the run.
    #[inline(always)]
    fn copy<const W: usize>(&mut self, l: &[Val], r: Rows<'_>, from: usize, to: usize) {
        let proj: &[(bool, usize); W] = self.proj.try_into().expect("W columns");
        let mut row = [0; W];
        for (v, &(right, c)) in row.iter_mut().zip(proj) {
            if !right {
                *v = l[c];
            }
        }
        let rows = &r.data[from * r.width..to * r.width];
        let out = &mut self.out.spare_capacity_mut()[..(to - from) * W];
        for (dst, src) in out.chunks_exact_mut(W).zip(rows.chunks_exact(r.width)) {
            for (v, &(right, c)) in row.iter_mut().zip(proj) {
                if right {
                    *v = src[c];
                }
            }
            for (d, &v) in dst.iter_mut().zip(&row) {
                d.write(v);
            }
        }
        let len = self.out.len() + (to - from) * W;
        // SAFETY: the values up to `len` were written just above.
        unsafe { self.out.set_len(len) };
        self.fill.n += to - from;
    }
}

/// `datafrog`'s join discipline: new × old, old × new, new × new — every pair once. Stops when
/// the sink says so, or when the old rows of a side cannot be put in batches (the reason is in
/// `guard`). A side's old rows are read only when the other side has new ones, so a variable
/// joined only with rows that no longer change can keep its old rows as bits (see `known`).
fn semi_naive_join<S: PairSink>(
    left: &dyn DynVar,
    right: &dyn DynVar,
    k: usize,
    guard: &Guard<'_>,
    sink: &mut S,
) {
    let has_recent = |v: &dyn DynVar| {
        let mut n = 0;
        v.with_recent(&mut |r| n = r.len);
        n > 0
    };
    let (left_new, right_new) = (has_recent(left), has_recent(right));
    if (left_new && !right.prepare_stable(guard)) || (right_new && !left.prepare_stable(guard)) {
        return;
    }
    let mut going = true;
    if left_new {
        left.with_recent(&mut |lr: Rows<'_>| {
            right.with_stable(&mut |rs: &[Rows<'_>]| {
                for &b in rs {
                    going = going && join(lr, b, k, sink);
                }
            });
        });
    }
    if going && right_new {
        left.with_stable(&mut |ls: &[Rows<'_>]| {
            right.with_recent(&mut |rr: Rows<'_>| {
                for &a in ls {
                    going = going && join(a, rr, k, sink);
                }
            });
        });
    }
    if !going || !left_new || !right_new {
        return;
    }
    left.with_recent(&mut |lr: Rows<'_>| {
        right.with_recent(&mut |rr: Rows<'_>| {
            join(lr, rr, k, sink);
        });
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
