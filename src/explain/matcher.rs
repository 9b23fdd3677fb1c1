//! Matching rule bodies against a finished model, for explanations.
//!
//! Explanations are computed after evaluation, from the final [`Model`], so the engine records
//! nothing while it reasons. This matcher is deliberately simple (nested loops over hash
//! indexes built on demand): it only ever looks at the rules a question depends on.
//!
//! Conditions are taken in the rule's order, except that a comparison, a `not` or an aggregate
//! waits until the variables it needs are bound (the same order for every solution, see
//! [`order`]), so "the first condition that fails" is well defined.

use crate::driver::Model;
use crate::syntax::ast::{AggFunc, Aggregate, Atom, BinOp, BodyItem, CmpOp, Expr};
use crate::value::Const;
use std::cell::RefCell;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering as AtomicOrdering};

/// Variable bindings of one partial solution, in the order they were made.
pub type Env = Vec<(String, Const)>;

/// The value of a variable in `env`.
pub fn lookup<'e>(env: &'e Env, name: &str) -> Option<&'e Const> {
    env.iter().rev().find(|(n, _)| n == name).map(|(_, c)| c)
}

/// Relation name and positions bound → key values → row numbers.
type Index = HashMap<Vec<Const>, Vec<usize>>;

/// The finished model with lazily built indexes.
pub struct Facts<'m> {
    /// Relation name → sorted tuples.
    pub model: &'m Model,
    indexes: RefCell<HashMap<(String, Vec<usize>), Index>>,
    cancel: Option<Arc<AtomicBool>>,
    deadline: Option<std::time::Instant>,
    max_memory: Option<usize>,
    steps: std::cell::Cell<u64>,
}

/// Why a search stopped early.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The user cancelled (Ctrl-C).
    Cancelled,
    /// The time limit (`--timeout`) ran out.
    Timeout,
    /// More rule instances than `--max-facts` allows.
    TooLarge,
    /// The memory budget (`--max-memory`) was passed.
    Memory,
}

impl Stop {
    /// The diagnostic for the user.
    pub fn diagnostic(self) -> crate::diag::Diagnostic {
        use crate::diag::{Code, Diagnostic};
        match self {
            Stop::Cancelled => Diagnostic::error_nowhere(Code::Cancelled, "explanation cancelled"),
            Stop::Timeout => Diagnostic::error_nowhere(
                Code::Timeout,
                "explanation stopped: time is up (--timeout)",
            )
            .with_hint("raise --timeout, or ask about a fact that depends on less"),
            Stop::TooLarge => Diagnostic::error_nowhere(
                Code::FactLimit,
                "explanation stopped: more rule instances than --max-facts",
            )
            .with_hint("raise --max-facts, or ask about a fact that depends on less"),
            Stop::Memory => Diagnostic::error_nowhere(
                Code::MemoryLimit,
                "explanation stopped: it would use more memory than --max-memory allows",
            )
            .with_hint("raise --max-memory, or ask about a fact that depends on less"),
        }
    }
}

impl<'m> Facts<'m> {
    /// Wraps a model; the cancel flag, the time limit and the memory budget of `limits` are
    /// polled while searching (the clock starts now, unless the command's already runs).
    pub fn new(model: &'m Model, limits: &crate::eval::Limits) -> Facts<'m> {
        Facts {
            model,
            indexes: RefCell::new(HashMap::new()),
            cancel: limits.cancel.clone(),
            deadline: limits.deadline_from(std::time::Instant::now()),
            max_memory: limits.max_memory,
            steps: std::cell::Cell::new(0),
        }
    }

    /// Whether the relation holds the tuple.
    pub fn holds(&self, rel: &str, tuple: &[Const]) -> bool {
        self.model
            .relations
            .get(rel)
            .is_some_and(|rows| rows.binary_search_by(|r| r.as_slice().cmp(tuple)).is_ok())
    }

    /// Rows of `rel` that agree with `pattern` where it has a value.
    pub fn matching(&self, rel: &str, pattern: &[Option<Const>]) -> Vec<&'m [Const]> {
        let Some(rows) = self.model.relations.get(rel) else {
            return Vec::new();
        };
        let bound: Vec<usize> = (0..pattern.len())
            .filter(|&i| pattern[i].is_some())
            .collect();
        if bound.is_empty() {
            return rows.iter().map(Vec::as_slice).collect();
        }
        let key: Vec<Const> = bound.iter().filter_map(|&i| pattern[i].clone()).collect();
        let mut indexes = self.indexes.borrow_mut();
        let index = indexes
            .entry((rel.to_string(), bound.clone()))
            .or_insert_with(|| {
                let mut ix: Index = HashMap::new();
                for (n, r) in rows.iter().enumerate() {
                    let k = bound.iter().filter_map(|&i| r.get(i).cloned()).collect();
                    ix.entry(k).or_default().push(n);
                }
                ix
            });
        index
            .get(&key)
            .map(|ns| ns.iter().map(|&n| rows[n].as_slice()).collect())
            .unwrap_or_default()
    }

    fn tick(&self) -> Result<(), Stop> {
        let n = self.steps.get().wrapping_add(1);
        self.steps.set(n);
        if n & 0x3FF == 0 {
            if let Some(c) = &self.cancel
                && c.load(AtomicOrdering::Relaxed)
            {
                return Err(Stop::Cancelled);
            }
            if self.deadline.is_some_and(|d| std::time::Instant::now() > d) {
                return Err(Stop::Timeout);
            }
            if self
                .max_memory
                .is_some_and(|max| crate::alloc::allocated() > max)
            {
                return Err(Stop::Memory);
            }
        }
        Ok(())
    }

    /// Calls `each` with every solution of `body` extending `env`, in [`order`]. Returns the
    /// number of conditions of the longest satisfiable prefix of that order and the bindings
    /// of the first partial solution that got that far (for "why not").
    pub fn solve(
        &self,
        body: &[BodyItem],
        outside: &BTreeSet<String>,
        env: &mut Env,
        each: &mut dyn FnMut(&Env) -> ControlFlow<()>,
    ) -> Result<Reach, Stop> {
        let bound: BTreeSet<String> = env.iter().map(|(n, _)| n.clone()).collect();
        let order = order(body, outside, &bound);
        let mut reach = Reach {
            order: order.clone(),
            depth: 0,
            env: env.clone(),
        };
        let items: Vec<&BodyItem> = order.iter().map(|&i| &body[i]).collect();
        let _ = self.dfs(&items, 0, env, &mut reach, each)?;
        Ok(reach)
    }

    fn dfs(
        &self,
        items: &[&BodyItem],
        k: usize,
        env: &mut Env,
        reach: &mut Reach,
        each: &mut dyn FnMut(&Env) -> ControlFlow<()>,
    ) -> Result<ControlFlow<()>, Stop> {
        self.tick()?;
        if k > reach.depth {
            reach.depth = k;
            reach.env = env.clone();
        }
        let Some(item) = items.get(k) else {
            return Ok(each(env));
        };
        let mark = env.len();
        match item {
            BodyItem::Pos(a) if is_true(a) => return self.dfs(items, k + 1, env, reach, each),
            BodyItem::Pos(a) => {
                let pattern = pattern(a, env);
                for row in self.matching(&a.pred.name, &pattern) {
                    // Every row examined is work, whether it unifies or not.
                    self.tick()?;
                    if unify(a, row, env) {
                        let flow = self.dfs(items, k + 1, env, reach, each)?;
                        env.truncate(mark);
                        if flow.is_break() {
                            return Ok(flow);
                        }
                    }
                    env.truncate(mark);
                }
            }
            BodyItem::Neg(a, _) => {
                if self.negation_holds(a, env) {
                    return self.dfs(items, k + 1, env, reach, each);
                }
            }
            BodyItem::Cmp { op, lhs, rhs, .. } => {
                if compare_or_bind(*op, lhs, rhs, env) {
                    let flow = self.dfs(items, k + 1, env, reach, each)?;
                    env.truncate(mark);
                    return Ok(flow);
                }
            }
            BodyItem::Agg(g) => {
                if let Some(value) = self.aggregate(g, env)?
                    && bind_or_check(&g.result.name, value, env)
                {
                    let flow = self.dfs(items, k + 1, env, reach, each)?;
                    env.truncate(mark);
                    return Ok(flow);
                }
            }
        }
        Ok(ControlFlow::Continue(()))
    }

    /// Whether no row matches the negated atom (its unbound variables read "there is none").
    pub fn negation_holds(&self, a: &Atom, env: &Env) -> bool {
        if is_true(a) {
            return false;
        }
        let pattern = pattern(a, env);
        let mut scratch = env.clone();
        let mark = scratch.len();
        !self.matching(&a.pred.name, &pattern).iter().any(|row| {
            let ok = unify(a, row, &mut scratch);
            scratch.truncate(mark);
            ok
        })
    }

    /// The value of an aggregate under `env` (`None`: `#min`/`#max` over nothing).
    pub fn aggregate(&self, g: &Aggregate, env: &Env) -> Result<Option<Const>, Stop> {
        let mut elements: BTreeSet<Vec<Const>> = BTreeSet::new();
        let mut inner = env.clone();
        let outside: BTreeSet<String> = env.iter().map(|(n, _)| n.clone()).collect();
        self.solve(&g.body, &outside, &mut inner, &mut |e| {
            let t: Option<Vec<Const>> = g.terms.iter().map(|t| eval(t, e)).collect();
            if let Some(t) = t {
                elements.insert(t);
            }
            ControlFlow::Continue(())
        })?;
        let firsts = elements.iter().filter_map(|t| t.first().cloned());
        Ok(match g.func {
            AggFunc::Count => Some(Const::Int(elements.len() as i64)),
            AggFunc::Sum => {
                // Overflow would have stopped the evaluation: no value.
                let mut sum: Option<i64> = Some(0);
                for c in firsts {
                    if let Const::Int(i) = c {
                        sum = sum.and_then(|s| s.checked_add(i));
                    }
                }
                sum.map(Const::Int)
            }
            AggFunc::Min => firsts.min(),
            AggFunc::Max => firsts.max(),
        })
    }
}

/// How far a search got: the condition order and the longest satisfiable prefix.
#[derive(Debug, Clone)]
pub struct Reach {
    /// Indices into the body, in the order the conditions were tried.
    pub order: Vec<usize>,
    /// Conditions of `order` satisfied by at least one partial solution.
    pub depth: usize,
    /// The bindings of the first partial solution that reached `depth`.
    pub env: Env,
}

/// Whether the atom is the built-in `true`.
pub fn is_true(a: &Atom) -> bool {
    a.pred.name == "true" && a.args.is_empty()
}

/// The order in which the conditions of a body are tried: the rule's order, but a comparison
/// waits until it can be evaluated (or `=` can bind its one unbound side), a `not` until its
/// variables that occur elsewhere (`outside` or in other conditions) are bound, an aggregate
/// until its group variables are.
pub fn order(
    body: &[BodyItem],
    outside: &BTreeSet<String>,
    bound: &BTreeSet<String>,
) -> Vec<usize> {
    let mut bound = bound.clone();
    let mut done = vec![false; body.len()];
    let mut out = Vec::with_capacity(body.len());
    // Variables used by more than one condition (or outside): the ones a `not` must see bound.
    let mut uses: HashMap<String, usize> = HashMap::new();
    for item in body {
        let distinct: BTreeSet<String> = item_vars(item).into_iter().collect();
        for v in distinct {
            *uses.entry(v).or_default() += 1;
        }
    }
    let shared = |v: &String| outside.contains(v) || uses.get(v).copied().unwrap_or(0) > 1;
    while out.len() < body.len() {
        let ready = (0..body.len()).find(|&i| {
            !done[i]
                && match &body[i] {
                    BodyItem::Pos(_) => true,
                    BodyItem::Neg(..) | BodyItem::Agg(_) => item_vars(&body[i])
                        .iter()
                        .all(|v| !shared(v) || bound.contains(v)),
                    BodyItem::Cmp { op, lhs, rhs, .. } => {
                        let free = |e: &Expr| expr_vars(e).into_iter().any(|v| !bound.contains(&v));
                        match (free(lhs), free(rhs)) {
                            (false, false) => true,
                            (true, false) => *op == CmpOp::Eq && matches!(lhs, Expr::Var(_)),
                            (false, true) => *op == CmpOp::Eq && matches!(rhs, Expr::Var(_)),
                            (true, true) => false,
                        }
                    }
                }
        });
        let i = ready.unwrap_or_else(|| (0..body.len()).find(|&i| !done[i]).unwrap_or(0));
        done[i] = true;
        out.push(i);
        match &body[i] {
            BodyItem::Pos(a) => {
                for e in &a.args {
                    if let Expr::Var(id) = e {
                        bound.insert(id.name.clone());
                    }
                }
            }
            BodyItem::Cmp { lhs, rhs, .. } => {
                bound.extend(expr_vars(lhs));
                bound.extend(expr_vars(rhs));
            }
            BodyItem::Agg(g) => {
                bound.insert(g.result.name.clone());
            }
            BodyItem::Neg(..) => {}
        }
    }
    out
}

/// Named variables of a condition (for an aggregate: its result and the group candidates).
pub fn item_vars(item: &BodyItem) -> Vec<String> {
    let mut out = Vec::new();
    match item {
        BodyItem::Pos(a) | BodyItem::Neg(a, _) => {
            for e in &a.args {
                out.extend(expr_vars(e));
            }
        }
        BodyItem::Cmp { lhs, rhs, .. } => {
            out.extend(expr_vars(lhs));
            out.extend(expr_vars(rhs));
        }
        BodyItem::Agg(g) => {
            out.push(g.result.name.clone());
            for i in &g.body {
                out.extend(item_vars(i));
            }
            for t in &g.terms {
                out.extend(expr_vars(t));
            }
        }
    }
    out
}

/// Named variables of an expression.
pub fn expr_vars(e: &Expr) -> Vec<String> {
    let mut out = Vec::new();
    e.for_each_var(&mut |id| out.push(id.name.clone()));
    out
}

/// The atom's arguments where they already have a value.
pub fn pattern(a: &Atom, env: &Env) -> Vec<Option<Const>> {
    a.args
        .iter()
        .map(|e| match e {
            Expr::Wildcard(_) => None,
            Expr::Var(id) => lookup(env, &id.name).cloned(),
            e => eval(e, env),
        })
        .collect()
}

/// Binds the atom's unbound variables to `row` if the row agrees with it; the caller truncates
/// `env` afterwards either way.
pub fn unify(a: &Atom, row: &[Const], env: &mut Env) -> bool {
    if row.len() != a.args.len() {
        return false;
    }
    for (e, v) in a.args.iter().zip(row) {
        match e {
            Expr::Wildcard(_) => {}
            Expr::Var(id) => match lookup(env, &id.name) {
                Some(c) if c != v => return false,
                Some(_) => {}
                None => env.push((id.name.clone(), v.clone())),
            },
            e => {
                if eval(e, env).as_ref() != Some(v) {
                    return false;
                }
            }
        }
    }
    true
}

fn bind_or_check(name: &str, value: Const, env: &mut Env) -> bool {
    match lookup(env, name) {
        Some(c) => *c == value,
        None => {
            env.push((name.to_string(), value));
            true
        }
    }
}

fn compare_or_bind(op: CmpOp, lhs: &Expr, rhs: &Expr, env: &mut Env) -> bool {
    match (eval(lhs, env), eval(rhs, env)) {
        (Some(a), Some(b)) => compare(op, &a, &b),
        (None, Some(b)) if op == CmpOp::Eq => match lhs {
            Expr::Var(id) => bind_or_check(&id.name, b, env),
            _ => false,
        },
        (Some(a), None) if op == CmpOp::Eq => match rhs {
            Expr::Var(id) => bind_or_check(&id.name, a, env),
            _ => false,
        },
        _ => false,
    }
}

/// Whether `a op b` holds: values of different kinds are unequal and unordered (as in the
/// engine).
pub fn compare(op: CmpOp, a: &Const, b: &Const) -> bool {
    let ord = match (a, b) {
        (Const::Int(x), Const::Int(y)) => Some(x.cmp(y)),
        (Const::Date(x), Const::Date(y)) => Some(x.cmp(y)),
        (Const::Str(x), Const::Str(y)) => Some(x.cmp(y)),
        _ => None,
    };
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => ord == Some(Ordering::Less),
        CmpOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
        CmpOp::Gt => ord == Some(Ordering::Greater),
        CmpOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
    }
}

/// The value of an expression under `env` (`None`: unbound, not an integer, overflow or
/// division by zero — no instance, as in the engine).
pub fn eval(e: &Expr, env: &Env) -> Option<Const> {
    match e {
        Expr::Var(id) => lookup(env, &id.name).cloned(),
        Expr::Wildcard(_) => None,
        Expr::Const(c, _) => Some(c.clone()),
        Expr::Neg(x, _) => match eval(x, env)? {
            Const::Int(i) => i.checked_neg().map(Const::Int),
            _ => None,
        },
        Expr::Binary { op, lhs, rhs, .. } => {
            let (Const::Int(a), Const::Int(b)) = (eval(lhs, env)?, eval(rhs, env)?) else {
                return None;
            };
            match op {
                BinOp::Add => a.checked_add(b),
                BinOp::Sub => a.checked_sub(b),
                BinOp::Mul => a.checked_mul(b),
                BinOp::Div => a.checked_div(b),
                BinOp::Mod => a.checked_rem(b),
            }
            .map(Const::Int)
        }
    }
}
