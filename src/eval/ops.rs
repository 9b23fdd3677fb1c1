//! Conditions on one candidate binding: filters, `=` bindings, negation lookups, aggregate
//! lookups — and writing the surviving binding out as a row.

use super::expr::{EvalError, compare, eval};
use super::rows::Rows;
use super::{Database, Stored};
use crate::intern::{Interner, Val, ValRef};
use crate::plan::{AggSpec, ColFilter, Expr, Op, Plan, TableSpec};
use crate::syntax::ast::AggFunc;
use rustc_hash::FxHashMap;
use std::cmp::Ordering;

/// The completed lower-strata tables a stratum's ops read.
#[derive(Default)]
pub struct Tables {
    /// Per lookup-table id (only those used by the stratum): its sorted rows.
    pub lookups: FxHashMap<usize, Stored>,
    /// Per aggregate id: group key → result.
    pub aggs: FxHashMap<usize, FxHashMap<Box<[Val]>, Val>>,
}

/// Runs `ops` on the bindings; `Ok(false)` drops the candidate.
#[inline]
pub fn run_ops(
    ops: &[Op],
    vars: &mut [Val],
    plan: &Plan,
    tables: &Tables,
    interner: &mut Interner,
    key: &mut Vec<Val>,
) -> Result<bool, EvalError> {
    for op in ops {
        match op {
            Op::Filter(cmp, l, r) => {
                let (Some(a), Some(b)) = (eval(l, vars, interner)?, eval(r, vars, interner)?)
                else {
                    return Ok(false);
                };
                if !compare(*cmp, a, b, interner) {
                    return Ok(false);
                }
            }
            Op::Assign(v, e) => match eval(e, vars, interner)? {
                Some(x) => vars[*v] = x,
                None => return Ok(false),
            },
            Op::Absent(id, exprs) => {
                if !fill_key(exprs, vars, interner, key)? {
                    return Ok(false);
                }
                if tables.lookups[id].rows().contains_prefix(key) {
                    return Ok(false);
                }
            }
            Op::Aggregate {
                agg,
                key: exprs,
                result,
                bound,
            } => {
                if !fill_key(exprs, vars, interner, key)? {
                    return Ok(false);
                }
                let value = match tables.aggs[agg].get(key.as_slice()) {
                    Some(&v) => v,
                    None => match plan.aggs[*agg].func {
                        AggFunc::Count | AggFunc::Sum => interner.int(0),
                        AggFunc::Min | AggFunc::Max => return Ok(false),
                    },
                };
                if *bound {
                    if vars[*result] != value {
                        return Ok(false);
                    }
                } else {
                    vars[*result] = value;
                }
            }
        }
    }
    Ok(true)
}

fn fill_key(
    exprs: &[Expr],
    vars: &[Val],
    interner: &mut Interner,
    key: &mut Vec<Val>,
) -> Result<bool, EvalError> {
    key.clear();
    for e in exprs {
        match eval(e, vars, interner)? {
            Some(v) => key.push(v),
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// Appends the head row computed from the bindings; `Ok(false)` (nothing appended) when an
/// argument has no value (division by zero).
#[inline]
pub fn emit(
    args: &[Expr],
    vars: &[Val],
    interner: &mut Interner,
    out: &mut Vec<Val>,
) -> Result<bool, EvalError> {
    let start = out.len();
    for a in args {
        match a {
            Expr::Var(v) => out.push(vars[*v]),
            Expr::Const(c) => out.push(*c),
            _ => match eval(a, vars, interner)? {
                Some(v) => out.push(v),
                None => {
                    out.truncate(start);
                    return Ok(false);
                }
            },
        }
    }
    Ok(true)
}

/// Whether a row passes a view's or negation's column filters.
#[inline]
pub fn passes(row: &[Val], filters: &[ColFilter]) -> bool {
    filters.iter().all(|f| match *f {
        ColFilter::Const(c, v) => row[c] == v,
        ColFilter::SameAs(c, d) => row[c] == row[d],
    })
}

/// Filters and projects rows into a flat buffer; returns the number of rows written.
pub fn project(rows: Rows<'_>, filters: &[ColFilter], cols: &[usize], out: &mut Vec<Val>) -> usize {
    let mut n = 0;
    for i in 0..rows.len {
        let row = rows.row(i);
        if passes(row, filters) {
            out.extend(cols.iter().map(|&c| row[c]));
            n += 1;
        }
    }
    n
}

/// The sorted, distinct rows of a lookup table.
pub fn lookup_table(spec: &TableSpec, db: &Database) -> Stored {
    project_sorted(db.relations[spec.pred].rows(), &spec.filters, &spec.cols)
}

/// The rows of `rows` that pass `filters`, projected to `cols`, sorted and distinct: a lookup
/// table's or a view's rows over a completed relation.
pub fn project_sorted(rows: Rows<'_>, filters: &[ColFilter], cols: &[usize]) -> Stored {
    let mut data = Vec::new();
    let len = project(rows, filters, cols, &mut data);
    sort_dedup(data, len, cols.len())
}

/// Sorts and deduplicates flat rows.
pub fn sort_dedup(data: Vec<Val>, len: usize, width: usize) -> Stored {
    if width == 0 {
        return Stored {
            data,
            len: len.min(1),
            width,
        };
    }
    let mut rows: Vec<&[Val]> = data.chunks_exact(width).collect();
    rows.sort_unstable();
    rows.dedup();
    let len = rows.len();
    let flat = rows.concat();
    Stored {
        data: flat,
        len,
        width,
    }
}

/// Group key → aggregate value, from the helper relation `(group..., element...)`.
pub fn aggregate_table(
    spec: &AggSpec,
    db: &Database,
    interner: &mut Interner,
) -> Result<FxHashMap<Box<[Val]>, Val>, EvalError> {
    let rel = db.relations[spec.pred].rows();
    let g = spec.group_len;
    let mut groups: FxHashMap<Box<[Val]>, Acc> = FxHashMap::default();
    for i in 0..rel.len {
        let row = rel.row(i);
        let acc = groups.entry(row[..g].into()).or_insert(Acc::Empty);
        // Rows are distinct, so each distinct element tuple is seen once.
        let x = row.get(g).copied();
        *acc = match (spec.func, acc.clone(), x) {
            (AggFunc::Count, Acc::Empty, _) => Acc::Int(1),
            (AggFunc::Count, Acc::Int(n), _) => Acc::Int(n + 1),
            (AggFunc::Sum, acc, Some(x)) => match interner.as_int(x) {
                Some(v) => {
                    let base = if let Acc::Int(n) = acc { n } else { 0 };
                    Acc::Int(base.checked_add(v).ok_or(EvalError::Overflow)?)
                }
                None => acc,
            },
            (AggFunc::Min | AggFunc::Max, Acc::Empty, Some(x)) => Acc::Val(x),
            (AggFunc::Min, Acc::Val(m), Some(x)) => {
                Acc::Val(if total_cmp(interner, x, m) == Ordering::Less {
                    x
                } else {
                    m
                })
            }
            (AggFunc::Max, Acc::Val(m), Some(x)) => {
                Acc::Val(if total_cmp(interner, x, m) == Ordering::Greater {
                    x
                } else {
                    m
                })
            }
            (_, acc, _) => acc,
        };
    }
    let mut out = FxHashMap::default();
    for (k, acc) in groups {
        let v = match acc {
            Acc::Int(n) => interner.int(n),
            Acc::Val(v) => v,
            Acc::Empty if spec.func == AggFunc::Sum => interner.int(0),
            Acc::Empty => continue,
        };
        out.insert(k, v);
    }
    Ok(out)
}

#[derive(Clone)]
enum Acc {
    Empty,
    Int(i64),
    Val(Val),
}

/// The answer order: integers < dates < strings, natural order within a kind.
fn total_cmp(interner: &Interner, a: Val, b: Val) -> Ordering {
    let rank = |v: ValRef<'_>| match v {
        ValRef::Int(_) => 0,
        ValRef::Date(_) => 1,
        ValRef::Str(_) => 2,
    };
    interner
        .compare(a, b)
        .unwrap_or_else(|| rank(interner.get(a)).cmp(&rank(interner.get(b))))
}
