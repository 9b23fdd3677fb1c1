//! Safety (range restriction) of each rule: which variables get a value, and from where.
//!
//! A variable is bound by a plain argument of a positive body atom (arithmetic inside an atom
//! binds nothing), by `V = expr` / `expr = V` once every variable of `expr` is bound (to a
//! fixpoint, in any order), or as the result of an aggregate (see `binding`). Also here: `_` in
//! heads, variables of facts, negation-local variables and singleton warnings. Aggregate bodies
//! are checked in `aggregate`.

use super::aggregate;
use super::binding::{Bound, Ctx, Place, bind, collect_expr, collect_items};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{BodyItem, Expr, Rule};
use crate::syntax::span::Span;
use std::collections::{HashMap, HashSet};

/// Reports every `_` in a head expression.
fn wildcards_in_head(e: &Expr, diags: &mut Vec<Diagnostic>) {
    match e {
        Expr::Wildcard(span) => diags.push(
            Diagnostic::error(Code::WildcardInHead, *span, "`_` cannot stand in a rule head")
                .with_hint("a head needs a value at every place: use a variable bound in the body, or a constant"),
        ),
        Expr::Var(_) | Expr::Const(..) => {}
        Expr::Binary { lhs, rhs, .. } => {
            wildcards_in_head(lhs, diags);
            wildcards_in_head(rhs, diags);
        }
        Expr::Neg(inner, _) => wildcards_in_head(inner, diags),
    }
}

/// Checks the safety of one rule (or fact) and warns about singleton variables.
pub(super) fn check_rule(rule: &Rule, diags: &mut Vec<Diagnostic>) {
    let mut occ = HashMap::new();
    rule.head
        .args
        .iter()
        .for_each(|e| collect_expr(e, &mut occ));
    collect_items(&rule.body, &mut occ);
    for arg in &rule.head.args {
        wildcards_in_head(arg, diags);
    }
    let mut ctx = Ctx {
        occ,
        errored: HashSet::new(),
        neg_local: HashSet::new(),
        diags,
    };
    let bound = bind(&rule.body, Bound::new());
    let place = if rule.body.is_empty() {
        Place::Fact
    } else {
        Place::Head
    };
    for arg in &rule.head.args {
        ctx.require_head(arg, &bound, place);
    }
    for item in &rule.body {
        match item {
            BodyItem::Pos(a) => ctx.check_pos(a, &bound, Place::AtomArith),
            BodyItem::Neg(a, _) => ctx.check_neg(a, &bound, Place::Neg),
            BodyItem::Cmp { lhs, rhs, .. } => {
                ctx.require(lhs, &bound, Place::Cmp);
                ctx.require(rhs, &bound, Place::Cmp);
            }
            BodyItem::Agg(g) => aggregate::check(g, &bound, &mut ctx),
        }
    }
    let mut singles: Vec<(&String, Span)> = ctx
        .occ
        .iter()
        .filter(|(name, spans)| {
            spans.len() == 1
                && !name.starts_with('_')
                && !ctx.errored.contains(*name)
                && !ctx.neg_local.contains(*name)
        })
        .map(|(name, spans)| (name, spans[0]))
        .collect();
    singles.sort_by_key(|(_, s)| (s.file, s.start));
    for (name, span) in singles {
        ctx.diags.push(
            Diagnostic::warning(
                Code::SingletonVariable,
                span,
                format!("variable `{name}` occurs only once in this rule"),
            )
            .with_hint("use `_` if the value does not matter"),
        );
    }
}

impl Ctx<'_> {
    /// Like `require`, but `_` in a head is already reported as `wildcard_in_head`.
    fn require_head(&mut self, e: &Expr, bound: &Bound, place: Place) {
        e.for_each_var(&mut |id| {
            if !bound.contains(&id.name) {
                self.unbound(&id.name, id.span, place);
            }
        });
    }
}

#[cfg(test)]
#[path = "safety_tests.rs"]
mod tests;
