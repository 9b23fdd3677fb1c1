//! A rule body after name resolution, as `build` hands it to `stages`: each positive atom as
//! the variable slot (or filter) in each column ([`AtomCols`]), and every other condition —
//! comparison, `=`, negation, aggregate lookup — waiting for its variables ([`Pending`]).
//!
//! `build` resolves names and interns constants into these; `stages` orders the atoms and
//! places each pending condition at the first stage that binds its variables. Keeping the
//! types here lets both files depend on them without depending on each other's internals.

use super::{ColFilter, Expr, PredId, VarId};
use crate::syntax::ast;
use std::collections::BTreeSet;

/// One positive atom, resolved: the variable (or nothing) in each column, plus filters.
pub(super) struct AtomCols {
    pub(super) pred: PredId,
    pub(super) cols: Vec<Option<VarId>>,
    pub(super) filters: Vec<ColFilter>,
}

impl AtomCols {
    /// Column of each distinct variable (first occurrence).
    pub(super) fn var_col(&self, v: VarId) -> usize {
        self.cols
            .iter()
            .position(|c| *c == Some(v))
            .expect("variable of the atom")
    }

    /// The atom's distinct variables.
    pub(super) fn vars(&self) -> BTreeSet<VarId> {
        self.cols.iter().flatten().copied().collect()
    }
}

/// A condition waiting for its variables to be bound.
pub(super) enum Pending {
    /// A comparison; an `=` whose one side is an unbound variable binds it instead.
    Cmp(ast::CmpOp, Expr, Expr),
    /// A negated atom: no row of lookup table `.0` has key `.1`.
    Absent(usize, Vec<Expr>),
    /// Aggregate `.0` of the group with key `.1`, whose value goes to (or is compared with) `.2`.
    Aggregate(usize, Vec<Expr>, VarId),
}

impl Pending {
    /// The variables the condition reads (and an aggregate's result).
    pub(super) fn vars(&self) -> BTreeSet<VarId> {
        let mut out = BTreeSet::new();
        match self {
            Pending::Cmp(_, l, r) => {
                l.collect_vars(&mut out);
                r.collect_vars(&mut out);
            }
            Pending::Absent(_, key) => key.iter().for_each(|e| e.collect_vars(&mut out)),
            // The result too: if an atom binds it first, the aggregate compares with it, so
            // that atom's column must be kept.
            Pending::Aggregate(_, key, result) => {
                key.iter().for_each(|e| e.collect_vars(&mut out));
                out.insert(*result);
            }
        }
        out
    }
}

impl Expr {
    /// Adds every variable slot of the expression to `out`.
    pub(super) fn collect_vars(&self, out: &mut BTreeSet<VarId>) {
        match self {
            Expr::Var(v) => {
                out.insert(*v);
            }
            Expr::Const(_) => {}
            Expr::Bin(_, l, r) => {
                l.collect_vars(out);
                r.collect_vars(out);
            }
            Expr::Neg(e) => e.collect_vars(out),
        }
    }
}
