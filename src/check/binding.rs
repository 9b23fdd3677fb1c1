//! Which variables of a rule body get a value, and the per-rule state that reports those that
//! do not.
//!
//! Shared by the safety check of a rule (`safety`) and of its aggregates (`aggregate`): both
//! collect variable occurrences, compute what a list of body items binds (`bind`), and report
//! through one `Ctx`, so that a variable is reported once per rule whether it stands inside an
//! aggregate or outside. The rules themselves (what a head, a comparison, a negated atom or an
//! aggregate needs) live in those two files; this one only holds the vocabulary.

use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{Atom, BodyItem, CmpOp, Expr};
use crate::syntax::span::Span;
use std::collections::{HashMap, HashSet};

/// The names of bound variables.
pub(super) type Bound = HashSet<String>;

/// Where a variable that needs a value stands; picks the wording of `unbound_variable`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    /// In a rule head.
    Head,
    /// In a fact.
    Fact,
    /// In a comparison of the rule body.
    Cmp,
    /// Inside arithmetic in an atom's argument.
    AtomArith,
    /// In a negated atom, and elsewhere too.
    Neg,
    /// Inside an aggregate, shared with the rest of the rule.
    AggGlobal,
    /// Inside an aggregate, local to it.
    AggLocal,
}

impl Place {
    fn message_and_hint(self, v: &str) -> (String, String) {
        let bind = format!("bind `{v}` in a positive body atom, or with `{v} = ...`");
        match self {
            Place::Head => (
                format!("variable `{v}` in the head is not bound by the body"),
                bind,
            ),
            Place::Fact => (
                format!("variable `{v}` in a fact has no value"),
                format!(
                    "facts must be ground: replace `{v}` with a constant, or add a body that binds it"
                ),
            ),
            Place::Cmp => (
                format!("variable `{v}` in this comparison is not bound"),
                bind,
            ),
            Place::AtomArith => (
                format!(
                    "variable `{v}` is used in arithmetic inside an atom, which does not bind it"
                ),
                format!(
                    "bind `{v}` in a positive body atom (as a plain argument), or with `{v} = ...`"
                ),
            ),
            Place::Neg => (
                format!("variable `{v}` in a negated atom is not bound by a positive atom"),
                bind,
            ),
            Place::AggGlobal => (
                format!(
                    "variable `{v}` is shared by the aggregate and the rest of the rule, but the rest of the body does not bind it"
                ),
                format!(
                    "bind {v} in a positive body atom outside the aggregate, or rename it if it is meant to be local to the aggregate"
                ),
            ),
            Place::AggLocal => (
                format!(
                    "variable `{v}` in the aggregate is not bound by a positive atom inside it"
                ),
                format!("bind {v} in a positive atom inside the aggregate, or with {v} = ..."),
            ),
        }
    }
}

/// State of the check of one rule.
pub(super) struct Ctx<'d> {
    /// Every occurrence of every named variable in the rule (head, body, aggregates).
    pub(super) occ: HashMap<String, Vec<Span>>,
    /// Variables that already have an error (reported once per rule; no singleton warning).
    pub(super) errored: HashSet<String>,
    /// Variables that drew `negation_local_variable` (no singleton warning).
    pub(super) neg_local: HashSet<String>,
    /// Where diagnostics go.
    pub(super) diags: &'d mut Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// Reports `v` as unbound at `span`, once per variable and rule.
    pub(super) fn unbound(&mut self, v: &str, span: Span, place: Place) {
        if self.errored.insert(v.to_string()) {
            let (msg, hint) = place.message_and_hint(v);
            self.diags
                .push(Diagnostic::error(Code::UnboundVariable, span, msg).with_hint(hint));
        }
    }

    /// Requires every variable of `e` to be bound; `_` inside it has no value at all.
    pub(super) fn require(&mut self, e: &Expr, bound: &Bound, place: Place) {
        match e {
            Expr::Var(id) if !bound.contains(&id.name) => self.unbound(&id.name, id.span, place),
            Expr::Var(_) | Expr::Const(..) => {}
            Expr::Wildcard(span) => self.diags.push(
                Diagnostic::error(
                    Code::UnboundVariable,
                    *span,
                    "the anonymous variable `_` has no value here",
                )
                .with_hint("use a named variable that a positive body atom binds"),
            ),
            Expr::Binary { lhs, rhs, .. } => {
                self.require(lhs, bound, place);
                self.require(rhs, bound, place);
            }
            Expr::Neg(inner, _) => self.require(inner, bound, place),
        }
    }

    /// Checks the arithmetic arguments of a positive atom (plain variables bind, they need
    /// nothing).
    pub(super) fn check_pos(&mut self, atom: &Atom, bound: &Bound, place: Place) {
        for arg in &atom.args {
            if !matches!(arg, Expr::Var(_) | Expr::Wildcard(_) | Expr::Const(..)) {
                self.require(arg, bound, place);
            }
        }
    }

    /// Checks a negated atom: its variables must be bound, except those that occur only in
    /// this atom as plain arguments ("there is none"), which draw a warning.
    pub(super) fn check_neg(&mut self, atom: &Atom, bound: &Bound, place: Place) {
        let mut here: HashMap<&str, (usize, bool)> = HashMap::new();
        for arg in &atom.args {
            let plain = matches!(arg, Expr::Var(_));
            arg.for_each_var(&mut |id| {
                let e = here.entry(id.name.as_str()).or_insert((0, true));
                e.0 += 1;
                e.1 &= plain;
            });
        }
        for arg in &atom.args {
            let Expr::Var(id) = arg else {
                if !matches!(arg, Expr::Wildcard(_) | Expr::Const(..)) {
                    self.require(arg, bound, place);
                }
                continue;
            };
            if bound.contains(&id.name) {
                continue;
            }
            let (count, plain) = here[id.name.as_str()];
            let total = self.occ.get(&id.name).map_or(0, Vec::len);
            if plain && count == total {
                if id.name.starts_with('_') || !self.neg_local.insert(id.name.clone()) {
                    continue;
                }
                let v = &id.name;
                let hint = if count == 1 {
                    format!("write `_` instead of `{v}` to say \"any value\" explicitly")
                } else {
                    format!(
                        "the repeated `{v}` asks for equal values; name it `_{v}` to silence this warning"
                    )
                };
                self.diags.push(
                    Diagnostic::warning(
                        Code::NegationLocalVariable,
                        id.span,
                        format!("variable `{v}` occurs only in this negated atom, so it reads as \"there is no {v}\""),
                    )
                    .with_hint(hint),
                );
            } else {
                self.unbound(&id.name, id.span, place);
            }
        }
    }
}

/// Records every named variable occurrence of `e`.
pub(super) fn collect_expr(e: &Expr, occ: &mut HashMap<String, Vec<Span>>) {
    e.for_each_var(&mut |id| occ.entry(id.name.clone()).or_default().push(id.span));
}

/// Records every named variable occurrence of body items (aggregates included, with their
/// result variable).
pub(super) fn collect_items(items: &[BodyItem], occ: &mut HashMap<String, Vec<Span>>) {
    for item in items {
        match item {
            BodyItem::Pos(a) | BodyItem::Neg(a, _) => {
                a.args.iter().for_each(|e| collect_expr(e, occ))
            }
            BodyItem::Cmp { lhs, rhs, .. } => {
                collect_expr(lhs, occ);
                collect_expr(rhs, occ);
            }
            BodyItem::Agg(g) => {
                occ.entry(g.result.name.clone())
                    .or_default()
                    .push(g.result.span);
                g.terms.iter().for_each(|e| collect_expr(e, occ));
                collect_items(&g.body, occ);
            }
        }
    }
}

/// Variables that are plain arguments of the positive atoms among `items`.
pub(super) fn pos_vars(items: &[BodyItem]) -> Bound {
    let mut out = Bound::new();
    for item in items {
        if let BodyItem::Pos(a) = item {
            for arg in &a.args {
                if let Expr::Var(id) = arg {
                    out.insert(id.name.clone());
                }
            }
        }
    }
    out
}

/// Whether every variable of `e` is bound and it has no `_`.
fn all_bound(e: &Expr, bound: &Bound) -> bool {
    match e {
        Expr::Var(id) => bound.contains(&id.name),
        Expr::Wildcard(_) => false,
        Expr::Const(..) => true,
        Expr::Binary { lhs, rhs, .. } => all_bound(lhs, bound) && all_bound(rhs, bound),
        Expr::Neg(inner, _) => all_bound(inner, bound),
    }
}

/// The variables bound by `items`, starting from `bound`: positive atoms, aggregate results,
/// then `=` comparisons until nothing changes.
pub(super) fn bind(items: &[BodyItem], mut bound: Bound) -> Bound {
    bound.extend(pos_vars(items));
    for item in items {
        if let BodyItem::Agg(g) = item {
            bound.insert(g.result.name.clone());
        }
    }
    loop {
        let mut changed = false;
        for item in items {
            let BodyItem::Cmp {
                op: CmpOp::Eq,
                lhs,
                rhs,
                ..
            } = item
            else {
                continue;
            };
            for (v, e) in [(lhs, rhs), (rhs, lhs)] {
                if let Expr::Var(id) = v
                    && !bound.contains(&id.name)
                    && all_bound(e, &bound)
                {
                    bound.insert(id.name.clone());
                    changed = true;
                }
            }
        }
        if !changed {
            return bound;
        }
    }
}
