//! Arithmetic and comparisons on interned values.
//!
//! Arithmetic is checked: overflow is an error (`integer_overflow`), never a wrap. Division by
//! zero and arithmetic on a non-integer make the rule instance yield nothing (`Ok(None)`).

use crate::intern::{Interner, Val};
use crate::plan::Expr;
use crate::syntax::ast::{BinOp, CmpOp};
use std::cmp::Ordering;

/// Why an expression has no value that is not simply "no instance".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EvalError {
    /// A 64-bit overflow.
    Overflow,
    /// A variable without a value (only in constant folding).
    Unbound,
}

/// Evaluates an expression over the scratch bindings `vars`.
#[inline]
pub fn eval(e: &Expr, vars: &[Val], interner: &mut Interner) -> Result<Option<Val>, EvalError> {
    match e {
        Expr::Var(v) => Ok(Some(vars[*v])),
        Expr::Const(c) => Ok(Some(*c)),
        _ => match eval_int(e, vars, interner)? {
            Some(i) => Ok(Some(interner.int(i))),
            None => Ok(None),
        },
    }
}

/// Evaluates an expression without variables (facts).
pub fn eval_const(e: &Expr, interner: &mut Interner) -> Result<Option<Val>, EvalError> {
    let mut has_var = false;
    check_vars(e, &mut has_var);
    if has_var {
        return Err(EvalError::Unbound);
    }
    eval(e, &[], interner)
}

fn check_vars(e: &Expr, found: &mut bool) {
    match e {
        Expr::Var(_) => *found = true,
        Expr::Const(_) => {}
        Expr::Bin(_, l, r) => {
            check_vars(l, found);
            check_vars(r, found);
        }
        Expr::Neg(x) => check_vars(x, found),
    }
}

fn eval_int(e: &Expr, vars: &[Val], interner: &Interner) -> Result<Option<i64>, EvalError> {
    Ok(match e {
        Expr::Var(v) => interner.as_int(vars[*v]),
        Expr::Const(c) => interner.as_int(*c),
        Expr::Neg(x) => match eval_int(x, vars, interner)? {
            Some(i) => Some(i.checked_neg().ok_or(EvalError::Overflow)?),
            None => None,
        },
        Expr::Bin(op, l, r) => {
            let (Some(a), Some(b)) = (eval_int(l, vars, interner)?, eval_int(r, vars, interner)?)
            else {
                return Ok(None);
            };
            match op {
                BinOp::Add => Some(a.checked_add(b).ok_or(EvalError::Overflow)?),
                BinOp::Sub => Some(a.checked_sub(b).ok_or(EvalError::Overflow)?),
                BinOp::Mul => Some(a.checked_mul(b).ok_or(EvalError::Overflow)?),
                BinOp::Div if b == 0 => None,
                BinOp::Mod if b == 0 => None,
                BinOp::Div => Some(a.checked_div(b).ok_or(EvalError::Overflow)?),
                BinOp::Mod => Some(a.checked_rem(b).ok_or(EvalError::Overflow)?),
            }
        }
    })
}

/// Whether `a op b` holds: equality on ids (each constant has one id), order within a kind;
/// values of different kinds are unequal and unordered.
#[inline]
pub fn compare(op: CmpOp, a: Val, b: Val, interner: &Interner) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        _ => match interner.compare(a, b) {
            None => false,
            Some(ord) => match op {
                CmpOp::Lt => ord == Ordering::Less,
                CmpOp::Le => ord != Ordering::Greater,
                CmpOp::Gt => ord == Ordering::Greater,
                CmpOp::Ge => ord != Ordering::Less,
                CmpOp::Eq | CmpOp::Ne => unreachable!("handled above"),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(op: BinOp, a: i64, b: i64, i: &mut Interner) -> Result<Option<i64>, EvalError> {
        let e = Expr::Bin(
            op,
            Box::new(Expr::Const(i.int(a))),
            Box::new(Expr::Const(i.int(b))),
        );
        Ok(eval(&e, &[], i)?.map(|v| i.as_int(v).unwrap()))
    }

    #[test]
    fn arithmetic_follows_rust_semantics() {
        let i = &mut Interner::new();
        assert_eq!(bin(BinOp::Div, -7, 2, i), Ok(Some(-3)));
        assert_eq!(bin(BinOp::Mod, -7, 2, i), Ok(Some(-1)));
        assert_eq!(bin(BinOp::Div, 1, 0, i), Ok(None));
        assert_eq!(bin(BinOp::Add, i64::MAX, 1, i), Err(EvalError::Overflow));
        assert_eq!(bin(BinOp::Div, i64::MIN, -1, i), Err(EvalError::Overflow));
        assert_eq!(bin(BinOp::Mod, i64::MIN, -1, i), Err(EvalError::Overflow));
    }
}
