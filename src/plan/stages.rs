//! Stages of a rule body: join order, leapjoins, and the placement of every condition at
//! the first stage whose bindings can run it.

use super::build::Builder;
use super::order::{AtomShape, join_order};
use super::resolved::{AtomCols, Pending};
use super::*;
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast;
use std::collections::BTreeSet;

impl Builder<'_> {
    /// Whether an atom reads a completed relation of a lower stratum (so it can be a
    /// leapjoin table).
    fn is_static(&self, atom: &AtomCols) -> bool {
        self.stratum_of
            .get(&atom.pred)
            .is_none_or(|&s| s < self.current)
    }

    /// Orders the atoms and places each pending condition at the first stage that binds its
    /// variables.
    pub(super) fn body(
        &mut self,
        atoms: &[AtomCols],
        mut pending: Vec<Pending>,
        head: &[Expr],
        span: Span,
    ) -> Option<Body> {
        let shapes: Vec<AtomShape> = atoms
            .iter()
            .map(|a| AtomShape {
                vars: a.vars(),
                consts: a.filters.len(),
            })
            .collect();
        let order = join_order(&shapes);
        let mut head_vars = BTreeSet::new();
        head.iter().for_each(|e| e.collect_vars(&mut head_vars));
        let needed = |rest: &[usize], pending: &[Pending]| needed(atoms, rest, pending, &head_vars);
        let mut bound: BTreeSet<VarId> = BTreeSet::new();
        let body = match order.len() {
            0 => Body::Static {
                ops: place(&mut bound, &mut pending),
            },
            1 => {
                let a = &atoms[order[0]];
                let need = needed(&[], &pending);
                let vars: Vec<VarId> = a.vars().into_iter().filter(|v| need.contains(v)).collect();
                bound.extend(vars.iter().copied());
                let view = self.view_for(a, &vars);
                Body::Scan {
                    view,
                    vars,
                    ops: place(&mut bound, &mut pending),
                }
            }
            _ => Body::Joins {
                stages: self.stages(atoms, &order, &mut pending, &mut bound, &head_vars),
            },
        };
        if !pending.is_empty() || !head_vars.is_subset(&bound) {
            // The checker rejects unsafe rules; this is a guard, not a diagnostic users see.
            self.errors.push(
                Diagnostic::error(
                    Code::UnboundVariable,
                    span,
                    "this rule has a variable that nothing binds",
                )
                .with_hint("bind every variable in a positive body atom or with `X = ...`"),
            );
            return None;
        }
        Some(body)
    }

    /// The stages of a body with two or more atoms, in join order. An atom of a lower stratum
    /// that adds exactly one variable is combined by leapjoin with every other such atom that
    /// needs nothing else, instead of joining pairwise.
    fn stages(
        &mut self,
        atoms: &[AtomCols],
        order: &[usize],
        pending: &mut Vec<Pending>,
        bound: &mut BTreeSet<VarId>,
        head_vars: &BTreeSet<VarId>,
    ) -> Vec<JoinStage> {
        let first = &atoms[order[0]];
        bound.extend(first.vars());
        // Values available in the bindings after the last stage, in column order.
        let mut avail: Vec<VarId> = first.vars().into_iter().collect();
        let mut rest: Vec<usize> = order[1..].to_vec();
        let mut stages: Vec<JoinStage> = Vec::new();
        while !rest.is_empty() {
            let next = rest.remove(0);
            let right = &atoms[next];
            let new: Vec<VarId> = right
                .vars()
                .into_iter()
                .filter(|v| !bound.contains(v))
                .collect();
            let mut leap = Vec::new();
            if new.len() == 1 && self.is_static(right) {
                let v = new[0];
                leap.push(next);
                for &b in &rest {
                    let vs = atoms[b].vars();
                    if self.is_static(&atoms[b])
                        && vs.contains(&v)
                        && vs.iter().all(|x| *x == v || bound.contains(x))
                    {
                        leap.push(b);
                    }
                }
                if leap.len() == 1 {
                    leap.clear(); // one atom: a plain join is as good
                }
            }
            rest.retain(|b| !leap.contains(b));
            let mut need = needed(atoms, &rest, pending, head_vars);
            for &b in &leap {
                need.extend(atoms[b].vars());
            }
            let key: Vec<VarId> = if leap.is_empty() {
                right
                    .vars()
                    .into_iter()
                    .filter(|v| bound.contains(v))
                    .collect()
            } else {
                Vec::new()
            };
            let mut layout = key.clone();
            layout.extend(
                avail
                    .iter()
                    .copied()
                    .filter(|v| !key.contains(v) && need.contains(v)),
            );
            let left = match stages.last_mut() {
                None => Input::View(self.view_for(first, &layout)),
                Some(prev) => {
                    prev.out = Some(layout.clone());
                    Input::Stage(stages.len() - 1)
                }
            };
            let (right_side, added) = if leap.is_empty() {
                let mut vars = key.clone();
                vars.extend(
                    right
                        .vars()
                        .into_iter()
                        .filter(|v| !key.contains(v) && need.contains(v)),
                );
                let added = vars[key.len()..].to_vec();
                let view = self.view_for(right, &vars);
                (
                    Right::Join {
                        view,
                        vars,
                        key_len: key.len(),
                    },
                    added,
                )
            } else {
                let v = new[0];
                let extend = leap
                    .iter()
                    .map(|&b| self.leap_table(&atoms[b], v, &layout))
                    .collect();
                (Right::Leap { var: v, extend }, vec![v])
            };
            bound.extend(right.vars());
            let ops = place(bound, pending);
            avail = layout
                .iter()
                .chain(&added)
                .copied()
                .chain(assigned(&ops))
                .collect();
            stages.push(JoinStage {
                left,
                left_vars: layout,
                right: right_side,
                ops,
                out: None,
            });
        }
        stages
    }

    /// A leapjoin atom's table (its bound variables' columns, then `var`'s) and the left
    /// columns holding its key.
    fn leap_table(&mut self, atom: &AtomCols, var: VarId, layout: &[VarId]) -> (usize, Vec<usize>) {
        let keys: Vec<VarId> = atom.vars().into_iter().filter(|v| *v != var).collect();
        let mut cols: Vec<usize> = keys.iter().map(|&v| atom.var_col(v)).collect();
        cols.push(atom.var_col(var));
        let positions = keys
            .iter()
            .map(|v| {
                layout
                    .iter()
                    .position(|x| x == v)
                    .expect("key variable kept on the left")
            })
            .collect();
        let table = self.table(TableSpec {
            pred: atom.pred,
            filters: atom.filters.clone(),
            cols,
        });
        (table, positions)
    }
}

/// Variables still needed: by the given atoms, any pending condition, the head.
fn needed(
    atoms: &[AtomCols],
    rest: &[usize],
    pending: &[Pending],
    head_vars: &BTreeSet<VarId>,
) -> BTreeSet<VarId> {
    let mut need = head_vars.clone();
    for &a in rest {
        need.extend(atoms[a].vars());
    }
    for p in pending {
        need.extend(p.vars());
    }
    need
}

/// Variables bound by `Assign` and `Aggregate` ops, in order.
fn assigned(ops: &[Op]) -> impl Iterator<Item = VarId> + '_ {
    ops.iter().filter_map(|op| match op {
        Op::Assign(v, _) => Some(*v),
        Op::Aggregate {
            result,
            bound: false,
            ..
        } => Some(*result),
        _ => None,
    })
}

/// Moves every pending condition whose variables are bound into ops, binding as it goes.
pub(super) fn place(bound: &mut BTreeSet<VarId>, pending: &mut Vec<Pending>) -> Vec<Op> {
    let mut ops = Vec::new();
    loop {
        let mut progressed = false;
        let mut i = 0;
        while i < pending.len() {
            if let Some(op) = try_place(&pending[i], bound) {
                pending.remove(i);
                if let Some(v) = assigned(std::slice::from_ref(&op)).next() {
                    bound.insert(v);
                }
                ops.push(op);
                progressed = true;
            } else {
                i += 1;
            }
        }
        if !progressed {
            return ops;
        }
    }
}

fn try_place(p: &Pending, bound: &BTreeSet<VarId>) -> Option<Op> {
    let all_bound = |e: &Expr| {
        let mut vs = BTreeSet::new();
        e.collect_vars(&mut vs);
        vs.is_subset(bound)
    };
    match p {
        Pending::Cmp(op, l, r) => {
            if all_bound(l) && all_bound(r) {
                return Some(Op::Filter(*op, l.clone(), r.clone()));
            }
            if *op != ast::CmpOp::Eq {
                return None;
            }
            match (l, r) {
                (Expr::Var(v), e) | (e, Expr::Var(v)) if !bound.contains(v) && all_bound(e) => {
                    Some(Op::Assign(*v, e.clone()))
                }
                _ => None,
            }
        }
        Pending::Absent(id, key) => key
            .iter()
            .all(all_bound)
            .then(|| Op::Absent(*id, key.clone())),
        Pending::Aggregate(id, key, result) => key.iter().all(all_bound).then(|| Op::Aggregate {
            agg: *id,
            key: key.clone(),
            result: *result,
            bound: bound.contains(result),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::driver::load;
    use crate::intern::Interner;
    use crate::syntax::span::{SourceFile, SourceMap};

    fn plan(text: &str) -> Plan {
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new("t", text));
        let loaded = load(sources);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        build(&loaded.program, &loaded.analysis, &mut Interner::new()).expect("plans")
    }

    /// The stages of the first multi-atom rule for `head`.
    fn stages_of(plan: &Plan, head: &str) -> Vec<JoinStage> {
        let id = plan.preds.iter().position(|p| p.name == head).unwrap();
        plan.strata
            .iter()
            .flat_map(|s| &s.rules)
            .filter(|r| r.head == id)
            .find_map(|r| match &r.body {
                Body::Joins { stages } => Some(stages.clone()),
                _ => None,
            })
            .expect("a rule with joins")
    }

    #[test]
    fn triangle_over_a_lower_stratum_is_one_leapjoin() {
        let p = plan("e(1, 2).\ntri(X, Y, Z) :- e(X, Y), e(Y, Z), e(X, Z).");
        let stages = stages_of(&p, "tri");
        assert_eq!(stages.len(), 1);
        assert!(matches!(&stages[0].right, Right::Leap { extend, .. } if extend.len() == 2));
    }

    #[test]
    fn recursive_atoms_join_pairwise() {
        let p = plan("e(1, 2).\np(X, Y) :- e(X, Y).\np(X, Z) :- p(X, Y), p(Y, Z), e(X, Z).");
        let stages = stages_of(&p, "p");
        assert!(stages.iter().all(|s| matches!(s.right, Right::Join { .. })));
    }

    #[test]
    fn join_keys_lead_both_sides() {
        let p = plan("e(1, 2).\npath(X, Y) :- e(X, Y).\npath(X, Z) :- path(X, Y), e(Y, Z).");
        let stages = stages_of(&p, "path");
        let Right::Join { vars, key_len, .. } = &stages[0].right else {
            panic!("join")
        };
        assert_eq!(*key_len, 1);
        assert_eq!(
            stages[0].left_vars[0], vars[0],
            "both sides start with the key"
        );
    }
}
