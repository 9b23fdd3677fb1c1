//! Safety of aggregates `R = #f { T1, ..., Tn : body }`.
//!
//! Variables of the aggregate that also occur outside it are global (group-by): the rest of
//! the body must bind them, and they must occur in a positive atom of the aggregate body.
//! The others are local and must be bound inside the aggregate (its positive atoms and `=`).

use super::binding::{Bound, Ctx, Place, bind, collect_expr, collect_items, pos_vars};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{AggFunc, Aggregate, BodyItem, Expr};
use crate::syntax::span::Span;
use std::collections::HashMap;

fn func_name(f: AggFunc) -> &'static str {
    match f {
        AggFunc::Count => "#count",
        AggFunc::Sum => "#sum",
        AggFunc::Min => "#min",
        AggFunc::Max => "#max",
    }
}

/// Checks one aggregate of a rule whose outer body binds `outer`.
pub(super) fn check(agg: &Aggregate, outer: &Bound, ctx: &mut Ctx<'_>) {
    let mut inner: HashMap<String, Vec<Span>> = HashMap::new();
    agg.terms.iter().for_each(|e| collect_expr(e, &mut inner));
    collect_items(&agg.body, &mut inner);
    let mut names: Vec<(&String, &Vec<Span>)> = inner.iter().collect();
    names.sort_by_key(|(_, spans)| (spans[0].file, spans[0].start));

    let result = &agg.result.name;
    let inner_pos = pos_vars(&agg.body);
    let mut globals = Bound::new();
    for (name, spans) in names {
        if name == result {
            ctx.errored.insert(name.clone());
            ctx.diags.push(
                Diagnostic::error(
                    Code::InvalidAggregate,
                    spans[0],
                    format!("the result variable `{name}` is used inside its own aggregate"),
                )
                .with_hint("use another name for the variable inside the aggregate"),
            );
            continue;
        }
        let total = ctx.occ.get(name).map_or(0, Vec::len);
        if total <= spans.len() {
            continue;
        }
        globals.insert(name.clone());
        if !outer.contains(name) {
            ctx.unbound(name, spans[0], Place::AggGlobal);
        }
        if !inner_pos.contains(name) {
            ctx.errored.insert(name.clone());
            ctx.diags.push(
                Diagnostic::error(
                    Code::InvalidAggregate,
                    spans[0],
                    format!(
                        "variable `{name}` is shared by the aggregate and the rest of the rule, \
                         but occurs in no positive atom of the aggregate"
                    ),
                )
                .with_hint(format!(
                    "mention `{name}` in a positive atom inside the aggregate, or rename it if it \
                     is meant to be local to the aggregate"
                )),
            );
        }
    }

    let bound = bind(&agg.body, globals);
    for term in &agg.terms {
        if let Expr::Wildcard(span) = term {
            ctx.diags.push(
                Diagnostic::error(
                    Code::InvalidAggregate,
                    *span,
                    "`_` cannot be an aggregate element",
                )
                .with_hint("use a variable bound inside the aggregate"),
            );
        } else {
            ctx.require(term, &bound, Place::AggLocal);
        }
    }
    for item in &agg.body {
        match item {
            BodyItem::Pos(a) => ctx.check_pos(a, &bound, Place::AggLocal),
            BodyItem::Neg(a, _) => ctx.check_neg(a, &bound, Place::AggLocal),
            BodyItem::Cmp { lhs, rhs, .. } => {
                ctx.require(lhs, &bound, Place::AggLocal);
                ctx.require(rhs, &bound, Place::AggLocal);
            }
            BodyItem::Agg(nested) => ctx.diags.push(
                Diagnostic::error(
                    Code::InvalidAggregate,
                    nested.span,
                    "aggregates cannot be nested",
                )
                .with_hint("compute the inner aggregate in a rule of its own"),
            ),
        }
    }
    if agg.func != AggFunc::Count && agg.terms.is_empty() {
        let f = func_name(agg.func);
        ctx.diags.push(
            Diagnostic::error(
                Code::InvalidAggregate,
                agg.span,
                format!("`{f}` needs at least one element term"),
            )
            .with_hint(format!(
                "write e.g. `{} = {f} {{ X : p(X) }}`",
                agg.result.name
            )),
        );
    }
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
