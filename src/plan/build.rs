//! From a checked syntax tree to a [`Plan`]: resolve names, intern constants, order joins,
//! choose views and place every condition at the first stage that can run it.

use super::resolved::{AtomCols, Pending};
use super::*;
use crate::check::Analysis;
use crate::diag::{Code, Diagnostic};
use crate::eval::expr::{EvalError, eval_const};
use crate::intern::Interner;
use crate::syntax::ast::{self, Aggregate, Atom, BodyItem, Program, Statement};
use std::collections::{BTreeSet, HashMap};

/// Builds the plan of a program that passed the checks. Errors here are the few that need
/// values (a fact's arithmetic overflowing) or exceed what the engine supports.
pub fn build(
    program: &Program,
    analysis: &Analysis,
    interner: &mut Interner,
) -> Result<Plan, Vec<Diagnostic>> {
    let mut b = Builder {
        plan: Plan::default(),
        ids: HashMap::new(),
        view_ids: HashMap::new(),
        table_ids: HashMap::new(),
        stratum_of: HashMap::new(),
        current: 0,
        interner,
        errors: Vec::new(),
    };
    for (name, &arity) in &analysis.arities {
        b.pred(name, arity, false);
    }
    let mut main: Vec<StratumPlan> = analysis
        .strata
        .iter()
        .map(|s| StratumPlan {
            preds: s
                .preds
                .iter()
                .filter_map(|p| b.ids.get(p).copied())
                .collect(),
            rules: Vec::new(),
            recursive: s.recursive,
        })
        .collect();
    b.stratum_of = main
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.preds.iter().map(move |&p| (p, i)))
        .collect();
    // Helper strata for aggregates run just before the stratum that uses them.
    let mut before: Vec<Vec<StratumPlan>> = vec![Vec::new(); main.len()];
    for stmt in &program.statements {
        let Statement::Rule(rule) = stmt else {
            continue;
        };
        if rule.body.iter().any(is_false) {
            // `not true` never holds: the rule never fires (and `true` is no relation to plan).
            continue;
        }
        let body: Vec<&BodyItem> = rule.body.iter().filter(|i| !is_true(i)).collect();
        let Some(&head) = b.ids.get(&rule.head.pred.name) else {
            continue;
        };
        if body.is_empty() {
            b.fact(head, &rule.head.args, rule.span);
            continue;
        }
        let s = b.stratum_of[&head];
        b.current = s;
        let plan = b.rule(&rule.head.args, head, &body, rule.span, &mut before[s]);
        if let Some(plan) = plan {
            main[s].rules.push(plan);
        }
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    for (pre, s) in before.into_iter().zip(main) {
        b.plan.strata.extend(pre);
        b.plan.strata.push(s);
    }
    Ok(b.plan)
}

fn is_true(item: &BodyItem) -> bool {
    matches!(item, BodyItem::Pos(a) if a.pred.name == "true" && a.args.is_empty())
}

/// `not true`: a condition that never holds.
fn is_false(item: &BodyItem) -> bool {
    matches!(item, BodyItem::Neg(a, _) if a.pred.name == "true" && a.args.is_empty())
}

pub(super) struct Builder<'a> {
    pub(super) plan: Plan,
    ids: HashMap<String, PredId>,
    view_ids: HashMap<ViewSpec, ViewId>,
    table_ids: HashMap<TableSpec, usize>,
    /// Stratum of each user predicate (helpers have none: they are always below their user).
    pub(super) stratum_of: HashMap<PredId, usize>,
    /// Stratum of the rule being compiled.
    pub(super) current: usize,
    interner: &'a mut Interner,
    pub(super) errors: Vec<Diagnostic>,
}

/// Variable names of one rule → slots; every `_` gets a fresh slot.
#[derive(Default)]
struct Vars {
    ids: HashMap<String, VarId>,
    count: usize,
}

impl Vars {
    fn named(&mut self, name: &str) -> VarId {
        if let Some(&v) = self.ids.get(name) {
            return v;
        }
        let v = self.fresh();
        self.ids.insert(name.to_string(), v);
        v
    }
    fn fresh(&mut self) -> VarId {
        self.count += 1;
        self.count - 1
    }
}

impl Builder<'_> {
    fn pred(&mut self, name: &str, arity: usize, hidden: bool) -> PredId {
        let id = self.plan.preds.len();
        self.plan.preds.push(PredInfo {
            name: name.to_string(),
            arity,
            hidden,
        });
        self.plan.facts.push(FactRows::default());
        self.ids.insert(name.to_string(), id);
        id
    }

    fn fact(&mut self, pred: PredId, args: &[ast::Expr], span: Span) {
        let mut vars = Vars::default();
        let mut row = Vec::with_capacity(args.len());
        for arg in args {
            let e = self.expr(arg, &mut vars);
            match eval_const(&e, self.interner) {
                Ok(Some(v)) => row.push(v),
                Ok(None) => return, // division by zero or non-integer arithmetic: no fact
                Err(EvalError::Overflow) => {
                    self.errors.push(overflow_error(span));
                    return;
                }
                Err(EvalError::Unbound) => return, // reported by the checker
            }
        }
        self.plan.facts[pred].push(&row);
    }

    fn expr(&mut self, e: &ast::Expr, vars: &mut Vars) -> Expr {
        match e {
            ast::Expr::Var(id) => Expr::Var(vars.named(&id.name)),
            ast::Expr::Wildcard(_) => Expr::Var(vars.fresh()),
            ast::Expr::Const(c, _) => Expr::Const(self.interner.intern(c)),
            ast::Expr::Binary { op, lhs, rhs, .. } => {
                let l = self.expr(lhs, vars);
                let r = self.expr(rhs, vars);
                Expr::Bin(*op, Box::new(l), Box::new(r))
            }
            ast::Expr::Neg(inner, _) => Expr::Neg(Box::new(self.expr(inner, vars))),
        }
    }

    /// Resolves a positive atom; arithmetic arguments become fresh variables plus a pending
    /// equality, constants and repeated variables become filters.
    fn atom(&mut self, atom: &Atom, vars: &mut Vars, pending: &mut Vec<Pending>) -> AtomCols {
        let pred = self.ids[&atom.pred.name];
        let mut out = AtomCols {
            pred,
            cols: Vec::new(),
            filters: Vec::new(),
        };
        for (col, arg) in atom.args.iter().enumerate() {
            let var = match arg {
                ast::Expr::Wildcard(_) => None,
                ast::Expr::Var(id) => Some(vars.named(&id.name)),
                ast::Expr::Const(c, _) => {
                    let v = self.interner.intern(c);
                    out.filters.push(ColFilter::Const(col, v));
                    None
                }
                _ => {
                    let fresh = vars.fresh();
                    let e = self.expr(arg, vars);
                    pending.push(Pending::Cmp(ast::CmpOp::Eq, Expr::Var(fresh), e));
                    Some(fresh)
                }
            };
            if let Some(v) = var
                && let Some(first) = out.cols.iter().position(|c| *c == Some(v))
            {
                out.filters.push(ColFilter::SameAs(col, first));
                out.cols.push(None);
                continue;
            }
            out.cols.push(var);
        }
        out
    }

    /// The id of a lookup table, shared by every use of the same spec.
    pub(super) fn table(&mut self, spec: TableSpec) -> usize {
        if let Some(&id) = self.table_ids.get(&spec) {
            return id;
        }
        self.plan.tables.push(spec.clone());
        self.table_ids.insert(spec, self.plan.tables.len() - 1);
        self.plan.tables.len() - 1
    }

    fn view(&mut self, spec: ViewSpec) -> ViewId {
        if let Some(&id) = self.view_ids.get(&spec) {
            return id;
        }
        let id = self.plan.views.len();
        self.plan.views.push(spec.clone());
        self.view_ids.insert(spec, id);
        id
    }

    /// A view of `atom` whose columns hold `vars` in that order.
    pub(super) fn view_for(&mut self, atom: &AtomCols, vars: &[VarId]) -> ViewId {
        let cols = vars.iter().map(|&v| atom.var_col(v)).collect();
        self.view(ViewSpec {
            pred: atom.pred,
            filters: atom.filters.clone(),
            cols,
        })
    }

    /// Compiles one rule with a non-empty body.
    fn rule(
        &mut self,
        head_args: &[ast::Expr],
        head: PredId,
        body: &[&BodyItem],
        span: Span,
        helpers: &mut Vec<StratumPlan>,
    ) -> Option<RulePlan> {
        let mut vars = Vars::default();
        let mut pending = Vec::new();
        let mut atoms = Vec::new();
        for item in body {
            if let BodyItem::Pos(a) = item {
                let cols = self.atom(a, &mut vars, &mut pending);
                atoms.push(cols);
            }
        }
        let outside = names_outside_negations(head_args, body);
        for item in body {
            match item {
                BodyItem::Pos(_) => {}
                BodyItem::Cmp { op, lhs, rhs, .. } => {
                    let l = self.expr(lhs, &mut vars);
                    let r = self.expr(rhs, &mut vars);
                    pending.push(Pending::Cmp(*op, l, r));
                }
                BodyItem::Neg(atom, _) => {
                    let p = self.negation(atom, &outside, &mut vars);
                    pending.push(p);
                }
                BodyItem::Agg(agg) => {
                    let p = self.aggregate(agg, head_args, body, &mut vars, helpers);
                    pending.push(p);
                }
            }
        }
        let head_args: Vec<Expr> = head_args.iter().map(|a| self.expr(a, &mut vars)).collect();
        let plan_body = self.body(&atoms, pending, &head_args, span)?;
        Some(RulePlan {
            span,
            head,
            head_args,
            nvars: vars.count,
            body: plan_body,
        })
    }

    fn negation(
        &mut self,
        atom: &Atom,
        outside: &HashMap<String, usize>,
        vars: &mut Vars,
    ) -> Pending {
        let pred = self.ids[&atom.pred.name];
        let mut filters = Vec::new();
        let mut cols = Vec::new();
        let mut key = Vec::new();
        let mut local_first: HashMap<&str, usize> = HashMap::new();
        for (col, arg) in atom.args.iter().enumerate() {
            match arg {
                ast::Expr::Wildcard(_) => {}
                ast::Expr::Const(c, _) => {
                    filters.push(ColFilter::Const(col, self.interner.intern(c)))
                }
                ast::Expr::Var(id) if !outside.contains_key(&id.name) => {
                    // Occurs only inside this negated atom: "there is none".
                    match local_first.get(id.name.as_str()) {
                        Some(&first) => filters.push(ColFilter::SameAs(col, first)),
                        None => {
                            local_first.insert(&id.name, col);
                        }
                    }
                }
                _ => {
                    cols.push(col);
                    key.push(self.expr(arg, vars));
                }
            }
        }
        let id = self.table(TableSpec {
            pred,
            filters,
            cols,
        });
        Pending::Absent(id, key)
    }

    /// An aggregate becomes a hidden helper predicate `(group..., element...)` filled by its
    /// body in a stratum of its own, and a lookup in the rule.
    fn aggregate(
        &mut self,
        agg: &Aggregate,
        head_args: &[ast::Expr],
        body: &[&BodyItem],
        vars: &mut Vars,
        helpers: &mut Vec<StratumPlan>,
    ) -> Pending {
        // Global variables: those of the aggregate that also occur outside it.
        let mut outside = BTreeSet::new();
        for a in head_args {
            a.for_each_var(&mut |id| {
                outside.insert(id.name.clone());
            });
        }
        for item in body {
            if !matches!(item, BodyItem::Agg(other) if std::ptr::eq(other, agg)) {
                item_vars(item, &mut |id| {
                    outside.insert(id.name.clone());
                });
            }
        }
        let mut globals: Vec<String> = Vec::new();
        let mut note = |id: &ast::Ident| {
            if outside.contains(&id.name) && !globals.contains(&id.name) {
                globals.push(id.name.clone());
            }
        };
        agg.terms.iter().for_each(|t| t.for_each_var(&mut note));
        agg.body.iter().for_each(|i| item_vars(i, &mut note));
        let arity = globals.len() + agg.terms.len();
        let name = format!("$agg{}", self.plan.aggs.len());
        let pred = self.pred(&name, arity, true);
        let mut helper_head: Vec<ast::Expr> = globals
            .iter()
            .map(|g| {
                ast::Expr::Var(ast::Ident {
                    name: g.clone(),
                    span: agg.span,
                })
            })
            .collect();
        helper_head.extend(agg.terms.iter().cloned());
        let inner: Vec<&BodyItem> = agg.body.iter().filter(|i| !is_true(i)).collect();
        let rules = if agg.body.iter().any(is_false) {
            // `not true` inside the aggregate: its body never holds, the helper stays empty.
            Vec::new()
        } else if inner.is_empty() {
            self.fact(pred, &helper_head, agg.span);
            Vec::new()
        } else {
            self.rule(&helper_head, pred, &inner, agg.span, helpers)
                .into_iter()
                .collect()
        };
        helpers.push(StratumPlan {
            preds: vec![pred],
            rules,
            recursive: false,
        });
        self.plan.aggs.push(AggSpec {
            pred,
            group_len: globals.len(),
            func: agg.func,
            span: agg.span,
        });
        let key = globals.iter().map(|g| Expr::Var(vars.named(g))).collect();
        Pending::Aggregate(self.plan.aggs.len() - 1, key, vars.named(&agg.result.name))
    }
}

/// How often each variable name occurs outside negated atoms (head and other body items);
/// a negated atom's variable not counted here is "there is none".
fn names_outside_negations(head: &[ast::Expr], body: &[&BodyItem]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    let mut note = |id: &ast::Ident| *counts.entry(id.name.clone()).or_insert(0) += 1;
    head.iter().for_each(|e| e.for_each_var(&mut note));
    for item in body {
        if !matches!(item, BodyItem::Neg(..)) {
            item_vars(item, &mut note);
        }
    }
    // A variable shared by two negated atoms is not local to either (the checker reports it
    // as unbound); counting it keeps the plan consistent.
    let mut in_negs: HashMap<String, usize> = HashMap::new();
    for item in body {
        if let BodyItem::Neg(a, _) = item {
            let mut seen = BTreeSet::new();
            a.args.iter().for_each(|e| {
                e.for_each_var(&mut |id| {
                    seen.insert(id.name.clone());
                })
            });
            for n in seen {
                *in_negs.entry(n).or_insert(0) += 1;
            }
        }
    }
    for (n, c) in in_negs {
        if c > 1 {
            *counts.entry(n).or_insert(0) += 1;
        }
    }
    counts
}

/// Calls `f` on every variable of a body item (aggregates: terms and inner body, not result).
fn item_vars<'a>(item: &'a BodyItem, f: &mut impl FnMut(&'a ast::Ident)) {
    match item {
        BodyItem::Pos(a) | BodyItem::Neg(a, _) => a.args.iter().for_each(|e| e.for_each_var(f)),
        BodyItem::Cmp { lhs, rhs, .. } => {
            lhs.for_each_var(f);
            rhs.for_each_var(f);
        }
        BodyItem::Agg(agg) => {
            f(&agg.result);
            agg.terms.iter().for_each(|t| t.for_each_var(f));
            agg.body.iter().for_each(|i| item_vars(i, f));
        }
    }
}

fn overflow_error(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::IntegerOverflow,
        span,
        "integer overflow in this fact's arithmetic",
    )
    .with_hint("values are 64-bit signed integers")
}
