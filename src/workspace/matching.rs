//! Facts as keys and patterns: which written fact a `retract` pattern or a `:retract` reaches,
//! and where a statement is. Shared by composing programs, warnings and `:save`.

use crate::scenario::Retract;
use crate::syntax::ast::{Atom, Expr, Program, Statement};
use crate::syntax::span::Span;
use crate::value::Const;
use std::collections::HashMap;

/// The span of a whole statement.
pub(crate) fn statement_span(st: &Statement) -> Span {
    match st {
        Statement::Rule(r) => r.span,
        Statement::Superiority(x) => x.span,
        Statement::Directive(d) => d.span,
    }
}

/// Relations derived by some rule with a body (the others are input).
pub(crate) fn derived_relations(program: &Program) -> HashMap<&str, ()> {
    program
        .statements
        .iter()
        .filter_map(|st| match st {
            Statement::Rule(r) if !r.is_fact() => Some((r.head.pred.name.as_str(), ())),
            _ => None,
        })
        .collect()
}

/// Whether `statement` is a fact that the retraction `r` removes.
pub(crate) fn retracted_by(statement: &Statement, r: &Retract) -> bool {
    matches!(statement, Statement::Rule(rule) if rule.is_fact() && matches(&r.pattern, &rule.head))
}

/// Whether a fact's head matches a pattern: same predicate and arity (and strong negation),
/// constants equal, a repeated variable bound to one value.
pub(crate) fn matches(pattern: &Atom, head: &Atom) -> bool {
    if pattern.pred.name != head.pred.name
        || pattern.strong_neg != head.strong_neg
        || pattern.args.len() != head.args.len()
    {
        return false;
    }
    let mut bound: HashMap<&str, &Const> = HashMap::new();
    pattern.args.iter().zip(&head.args).all(|(p, h)| {
        let Expr::Const(value, _) = h else {
            return false;
        };
        match p {
            Expr::Const(c, _) => c == value,
            Expr::Var(v) => *bound.entry(&v.name).or_insert(value) == value,
            _ => true,
        }
    })
}

/// The relation (`~p` if negated) and tuple of a ground fact statement.
pub(crate) fn fact_key(st: &Statement) -> Option<super::FactKey> {
    let Statement::Rule(r) = st else { return None };
    if !r.is_fact() {
        return None;
    }
    let tuple: Option<Vec<Const>> = r
        .head
        .args
        .iter()
        .map(|a| crate::explain::matcher::eval(a, &Vec::new()))
        .collect();
    let name = crate::defeasible::ground::literal_name(&r.head.pred.name, r.head.strong_neg);
    Some((name, tuple?))
}
