//! A tiny, deliberately naive reference evaluator for stratified Datalog, used to check the
//! Pacta engine differentially.
//!
//! It has its own program representation (it shares nothing with Pacta's AST, parser or checker,
//! only the constant type [`Const`], so that answers compare directly) and evaluates by the
//! textbook method:
//!
//! 1. compute a stratum for every predicate (positive dependencies: same or lower stratum,
//!    negative dependencies: strictly lower stratum; an unstratifiable program panics);
//! 2. for each stratum in order, apply *all* rules of the stratum to the *current* facts by
//!    nested-loop enumeration (every tuple of every positive body atom is tried), add what they
//!    derive, and repeat until a round derives nothing new (naive, not semi-naive).
//!
//! Comparison semantics follow LANGUAGE-DECISIONS.md: integers numerically, dates
//! chronologically, strings by code point; across kinds `=` is false, `!=` is true and the ordering
//! comparisons are false. Arithmetic works on integers only (anything else: the rule instance
//! yields nothing); integer overflow panics (test generators must keep integers small).
//!
//! Aggregates (`R = #count { T1, ..., Tn : body }`, `#sum`, `#min`, `#max`) are evaluated for each
//! binding of the rest of the body that binds their group variables: the inner body runs over the
//! (complete, lower-stratum) facts with the group variables bound, the distinct element tuples
//! are collected into a set, the function is applied (count and sum of nothing are 0, min and max
//! of nothing give no result), and `R` is bound to the value, or compared with it when already
//! bound.
//!
//! [`Program::to_source`] prints a program in Pacta's surface syntax.

#![allow(dead_code)]

use pacta::value::Const;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A term of a body atom: a variable, a constant, the anonymous variable `_`, or an arithmetic
/// expression (which binds nothing: its variables must be bound elsewhere, as in `fib(N - 1, X)`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Term {
    /// A named variable (must start with an uppercase letter to print correctly).
    Var(String),
    /// A constant.
    Const(Const),
    /// `_`: matches anything, binds nothing.
    Wild,
    /// An expression whose value the argument must equal (no match if it has none).
    Expr(Expr),
}

/// Integer arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`, truncating toward zero; division by zero has no value.
    Div,
    /// `mod`, with the sign of the dividend; modulo zero has no value.
    Mod,
}

/// An expression: in rule heads and in comparisons.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A variable.
    Var(String),
    /// A constant.
    Const(Const),
    /// A binary arithmetic operation on integers.
    Bin(Box<Expr>, ArithOp, Box<Expr>),
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// A body atom `pred(args...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Atom {
    /// Predicate name.
    pub pred: String,
    /// Arguments.
    pub args: Vec<Term>,
}

/// A body literal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    /// A positive atom: binds its variables.
    Pos(Atom),
    /// `not atom`: variables not bound elsewhere in the rule are "there is none" locals.
    Neg(Atom),
    /// `lhs op rhs`; `V = expr` (or `expr = V`) with `V` not yet bound binds `V`.
    Cmp(Expr, CmpOp, Expr),
    /// `R = #f { T1, ..., Tn : body }`: binds `R`, or compares with it when the rest of the body
    /// binds it.
    Agg(Aggregate),
}

/// Aggregate functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    /// `#count`: the number of distinct element tuples.
    Count,
    /// `#sum`: the sum of the integer first elements of the distinct tuples (others ignored).
    Sum,
    /// `#min`: the least first element (none for an empty set).
    Min,
    /// `#max`: the greatest first element (none for an empty set).
    Max,
}

/// An aggregate `result = #func { terms : body }`. Its variables that also occur elsewhere in
/// the rule are the group-by (global) variables; the others are local to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aggregate {
    /// The function.
    pub func: AggFunc,
    /// The element terms (variables of the inner body, or constants).
    pub terms: Vec<Expr>,
    /// The result variable (must not occur inside the aggregate).
    pub result: String,
    /// The inner body: positive atoms, `not` atoms and comparisons (no aggregates).
    pub body: Vec<Literal>,
}

/// A rule `head(args) :- body.`; head arguments may be arithmetic expressions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// Head predicate.
    pub head: String,
    /// Head arguments.
    pub head_args: Vec<Expr>,
    /// Body literals, in written order (the evaluator reorders them for binding).
    pub body: Vec<Literal>,
}

/// One statement of a program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stmt {
    /// A ground fact.
    Fact(String, Vec<Const>),
    /// A rule.
    Rule(Rule),
}

/// A program: statements in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Program {
    /// The statements.
    pub stmts: Vec<Stmt>,
}

/// The reference answer: every predicate occurring in the program → its set of tuples.
pub type Output = BTreeMap<String, BTreeSet<Vec<Const>>>;

// ---------------------------------------------------------------------------------------------
// Convenience constructors for hand-written programs.

/// A variable term.
pub fn v(name: &str) -> Term {
    Term::Var(name.to_string())
}
/// An integer term.
pub fn int(i: i64) -> Term {
    Term::Const(Const::Int(i))
}
/// A symbol/string term.
pub fn sym(s: &str) -> Term {
    Term::Const(Const::Str(s.into()))
}
/// A variable expression.
pub fn ev(name: &str) -> Expr {
    Expr::Var(name.to_string())
}
/// An integer expression.
pub fn ei(i: i64) -> Expr {
    Expr::Const(Const::Int(i))
}
/// An atom.
pub fn atom(pred: &str, args: Vec<Term>) -> Atom {
    Atom {
        pred: pred.to_string(),
        args,
    }
}
/// A rule whose head arguments are plain variables.
pub fn rule(head: &str, head_vars: &[&str], body: Vec<Literal>) -> Stmt {
    Stmt::Rule(Rule {
        head: head.to_string(),
        head_args: head_vars.iter().map(|x| ev(x)).collect(),
        body,
    })
}
/// A fact.
pub fn fact(pred: &str, args: Vec<Const>) -> Stmt {
    Stmt::Fact(pred.to_string(), args)
}

// ---------------------------------------------------------------------------------------------
// Variables.

impl Atom {
    /// The variables the atom binds (plain variable arguments).
    fn vars(&self) -> impl Iterator<Item = &str> {
        self.args.iter().filter_map(|t| match t {
            Term::Var(x) => Some(x.as_str()),
            _ => None,
        })
    }

    /// The variables of expression arguments: they must be bound before the atom is used.
    fn expr_vars(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for t in &self.args {
            if let Term::Expr(e) = t {
                e.vars(&mut out);
            }
        }
        out
    }
}

impl Expr {
    fn vars<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Var(x) => out.push(x),
            Expr::Const(_) => {}
            Expr::Bin(a, _, b) => {
                a.vars(out);
                b.vars(out);
            }
        }
    }
}

impl Literal {
    fn vars(&self) -> Vec<&str> {
        match self {
            Literal::Pos(a) | Literal::Neg(a) => {
                let mut out: Vec<&str> = a.vars().collect();
                out.extend(a.expr_vars());
                out
            }
            Literal::Cmp(l, _, r) => {
                let mut out = Vec::new();
                l.vars(&mut out);
                r.vars(&mut out);
                out
            }
            Literal::Agg(g) => {
                let mut out = g.inner_vars();
                out.push(&g.result);
                out
            }
        }
    }
}

impl Aggregate {
    /// The variables of the element terms and of the inner body (not the result).
    fn inner_vars(&self) -> Vec<&str> {
        let mut out = Vec::new();
        for t in &self.terms {
            t.vars(&mut out);
        }
        for l in &self.body {
            assert!(!matches!(l, Literal::Agg(_)), "reference: nested aggregate");
            out.extend(l.vars());
        }
        out
    }

    /// Applies the function to the set of distinct element tuples; `None`: no result.
    fn apply(&self, tuples: &BTreeSet<Vec<Const>>) -> Option<Const> {
        match self.func {
            AggFunc::Count => Some(Const::Int(
                i64::try_from(tuples.len()).expect("reference: count"),
            )),
            AggFunc::Sum => {
                let mut sum = 0i64;
                for t in tuples {
                    if let Const::Int(i) = t[0] {
                        sum = sum.checked_add(i).expect("reference: integer overflow");
                    }
                }
                Some(Const::Int(sum))
            }
            // Const's Ord: integers < dates < strings, each in natural order.
            AggFunc::Min => tuples.iter().map(|t| t[0].clone()).min(),
            AggFunc::Max => tuples.iter().map(|t| t[0].clone()).max(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Evaluation.

type Binding = BTreeMap<String, Const>;

/// How the evaluator runs one literal, decided statically per rule.
#[derive(Clone, Debug)]
enum Step {
    /// Enumerate the relation, matching the atom.
    Scan(Atom),
    /// Check that no tuple matches (with the locals free).
    NotExists(Atom),
    /// Evaluate `expr` and bind the variable to it.
    Bind(String, Expr),
    /// Evaluate both sides and compare.
    Test(Expr, CmpOp, Expr),
    /// Evaluate an aggregate for the bound group variables (`globals`) by running `inner` (the
    /// plan of its body, with the globals bound) over the facts, then bind or compare the result.
    Agg {
        agg: Aggregate,
        globals: Vec<String>,
        inner: Vec<Step>,
    },
}

/// Orders a rule body so that every literal runs once the variables it needs are bound:
/// repeatedly the first remaining positive atom that is ready (all variables of its expression
/// arguments bound), else the first other literal that is ready. Panics when no order exists (an
/// unsafe rule). Any such order gives the same answers; this one is simply easy to follow.
fn plan(rule: &Rule) -> Vec<Step> {
    plan_with(rule, &BTreeSet::new())
}

/// [`plan`] with the variables `pre` bound before the body runs (an aggregate body's globals).
fn plan_with(rule: &Rule, pre: &BTreeSet<String>) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut bound: BTreeSet<&str> = pre.iter().map(String::as_str).collect();
    let mut rest: Vec<(usize, &Literal)> = rule.body.iter().enumerate().collect();
    // Where each variable occurs: literal indices, `usize::MAX` for the head. A variable of a
    // negated atom that occurs in no other place is a local ("there is none").
    let mut places: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for e in &rule.head_args {
        let mut out = Vec::new();
        e.vars(&mut out);
        for x in out {
            places.entry(x).or_default().insert(usize::MAX);
        }
    }
    for (i, lit) in rule.body.iter().enumerate() {
        for x in lit.vars() {
            places.entry(x).or_default().insert(i);
        }
    }
    let local = |x: &str, i: usize| places[x].len() == 1 && places[x].contains(&i);
    while !rest.is_empty() {
        let ready = |lit: &(usize, &Literal)| match *lit {
            (_, Literal::Pos(a)) => a.expr_vars().iter().all(|x| bound.contains(x)),
            (i, Literal::Neg(a)) => {
                a.vars().all(|x| bound.contains(x) || local(x, i))
                    && a.expr_vars().iter().all(|x| bound.contains(x))
            }
            (_, Literal::Cmp(l, op, r)) => {
                let all_bound = |e: &Expr| {
                    let mut out = Vec::new();
                    e.vars(&mut out);
                    out.iter().all(|x| bound.contains(x))
                };
                let binds = |a: &Expr, b: &Expr| {
                    matches!(a, Expr::Var(x) if !bound.contains(x.as_str())) && all_bound(b)
                };
                (all_bound(l) && all_bound(r)) || (*op == CmpOp::Eq && (binds(l, r) || binds(r, l)))
            }
            // Ready once its globals (variables that occur elsewhere too) are bound.
            (i, Literal::Agg(g)) => g
                .inner_vars()
                .iter()
                .all(|x| bound.contains(x) || local(x, i)),
        };
        let pos = rest
            .iter()
            .position(|lit| matches!(lit.1, Literal::Pos(_)) && ready(lit))
            .or_else(|| rest.iter().position(ready));
        let Some(pos) = pos else {
            panic!("reference: unsafe rule (no binding order): {rule:?}");
        };
        let (_, lit) = rest.remove(pos);
        match lit {
            Literal::Pos(a) => {
                bound.extend(a.vars());
                steps.push(Step::Scan(a.clone()));
            }
            Literal::Neg(a) => steps.push(Step::NotExists(a.clone())),
            Literal::Cmp(l, op, r) => {
                let unbound_var = |e: &Expr| match e {
                    Expr::Var(x) if !bound.contains(x.as_str()) => Some(x.clone()),
                    _ => None,
                };
                if let Some(x) = unbound_var(l) {
                    bound.insert(match l {
                        Expr::Var(x) => x,
                        _ => unreachable!(),
                    });
                    steps.push(Step::Bind(x, r.clone()));
                } else if let Some(x) = unbound_var(r) {
                    bound.insert(match r {
                        Expr::Var(x) => x,
                        _ => unreachable!(),
                    });
                    steps.push(Step::Bind(x, l.clone()));
                } else {
                    steps.push(Step::Test(l.clone(), *op, r.clone()));
                }
            }
            Literal::Agg(g) => {
                let mut globals: Vec<String> = Vec::new();
                for x in g.inner_vars() {
                    if bound.contains(x) && !globals.iter().any(|y| y == x) {
                        globals.push(x.to_string());
                    }
                }
                // The inner body as a rule whose head is the element terms.
                let inner_rule = Rule {
                    head: String::new(),
                    head_args: g.terms.clone(),
                    body: g.body.clone(),
                };
                let pre: BTreeSet<String> = globals.iter().cloned().collect();
                let inner = plan_with(&inner_rule, &pre);
                bound.insert(&g.result);
                steps.push(Step::Agg {
                    agg: g.clone(),
                    globals,
                    inner,
                });
            }
        }
    }
    for e in &rule.head_args {
        let mut out = Vec::new();
        e.vars(&mut out);
        for x in out {
            assert!(
                bound.contains(x),
                "reference: unbound head variable {x} in {rule:?}"
            );
        }
    }
    steps
}

/// Matches an atom against a tuple, extending `b`; `false` (with `b` partly extended) on failure.
fn matches(atom: &Atom, tuple: &[Const], b: &mut Binding) -> bool {
    if atom.args.len() != tuple.len() {
        return false;
    }
    for (t, c) in atom.args.iter().zip(tuple) {
        match t {
            Term::Wild => {}
            Term::Const(k) => {
                if k != c {
                    return false;
                }
            }
            Term::Expr(e) => {
                if eval_expr(e, b).as_ref() != Some(c) {
                    return false;
                }
            }
            Term::Var(x) => match b.get(x) {
                Some(old) => {
                    if old != c {
                        return false;
                    }
                }
                None => {
                    b.insert(x.clone(), c.clone());
                }
            },
        }
    }
    true
}

/// Evaluates an expression; `None` when arithmetic meets a non-integer.
fn eval_expr(e: &Expr, b: &Binding) -> Option<Const> {
    match e {
        Expr::Var(x) => Some(b.get(x).expect("reference: unbound variable").clone()),
        Expr::Const(c) => Some(c.clone()),
        Expr::Bin(l, op, r) => {
            let (Const::Int(x), Const::Int(y)) = (eval_expr(l, b)?, eval_expr(r, b)?) else {
                return None;
            };
            let v = match op {
                ArithOp::Add => x.checked_add(y),
                ArithOp::Sub => x.checked_sub(y),
                ArithOp::Mul => x.checked_mul(y),
                ArithOp::Div | ArithOp::Mod if y == 0 => return None,
                ArithOp::Div => x.checked_div(y),
                ArithOp::Mod => x.checked_rem(y),
            };
            Some(Const::Int(v.expect("reference: integer overflow")))
        }
    }
}

/// Compares two constants with the language's semantics.
pub fn compare(a: &Const, op: CmpOp, b: &Const) -> bool {
    let same_kind = matches!(
        (a, b),
        (Const::Int(_), Const::Int(_))
            | (Const::Date(_), Const::Date(_))
            | (Const::Str(_), Const::Str(_))
    );
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        // Within one kind, Const's Ord is numeric / chronological / by code point.
        CmpOp::Lt => same_kind && a < b,
        CmpOp::Le => same_kind && a <= b,
        CmpOp::Gt => same_kind && a > b,
        CmpOp::Ge => same_kind && a >= b,
    }
}

/// Runs the steps from `i` on, calling `emit` for every complete binding.
fn run(steps: &[Step], i: usize, b: &Binding, facts: &Output, emit: &mut dyn FnMut(&Binding)) {
    let Some(step) = steps.get(i) else {
        emit(b);
        return;
    };
    let empty = BTreeSet::new();
    match step {
        Step::Scan(a) => {
            for t in facts.get(&a.pred).unwrap_or(&empty) {
                let mut b2 = b.clone();
                if matches(a, t, &mut b2) {
                    run(steps, i + 1, &b2, facts, emit);
                }
            }
        }
        Step::NotExists(a) => {
            // An expression argument without a value (arithmetic on a non-integer, division by
            // zero) makes the whole rule instance yield nothing, even under `not`.
            let defined = a.args.iter().all(|t| match t {
                Term::Expr(e) => eval_expr(e, b).is_some(),
                _ => true,
            });
            if !defined {
                return;
            }
            let any = facts
                .get(&a.pred)
                .unwrap_or(&empty)
                .iter()
                .any(|t| matches(a, t, &mut b.clone()));
            if !any {
                run(steps, i + 1, b, facts, emit);
            }
        }
        Step::Bind(x, e) => {
            if let Some(c) = eval_expr(e, b) {
                let mut b2 = b.clone();
                b2.insert(x.clone(), c);
                run(steps, i + 1, &b2, facts, emit);
            }
        }
        Step::Test(l, op, r) => {
            if let (Some(x), Some(y)) = (eval_expr(l, b), eval_expr(r, b))
                && compare(&x, *op, &y)
            {
                run(steps, i + 1, b, facts, emit);
            }
        }
        Step::Agg {
            agg,
            globals,
            inner,
        } => {
            // Only the group variables flow into the aggregate body.
            let start: Binding = globals.iter().map(|x| (x.clone(), b[x].clone())).collect();
            let mut tuples: BTreeSet<Vec<Const>> = BTreeSet::new();
            run(inner, 0, &start, facts, &mut |ib| {
                let t: Option<Vec<Const>> = agg.terms.iter().map(|e| eval_expr(e, ib)).collect();
                if let Some(t) = t {
                    tuples.insert(t);
                }
            });
            let Some(value) = agg.apply(&tuples) else {
                return;
            };
            match b.get(&agg.result) {
                Some(old) => {
                    if *old == value {
                        run(steps, i + 1, b, facts, emit);
                    }
                }
                None => {
                    let mut b2 = b.clone();
                    b2.insert(agg.result.clone(), value);
                    run(steps, i + 1, &b2, facts, emit);
                }
            }
        }
    }
}

impl Program {
    /// Every predicate occurring in the program (facts, heads, body atoms), with its arity.
    /// Panics on an arity mismatch.
    pub fn predicates(&self) -> BTreeMap<String, usize> {
        let mut out: BTreeMap<String, usize> = BTreeMap::new();
        let mut add = |p: &str, n: usize| {
            let old = *out.entry(p.to_string()).or_insert(n);
            assert_eq!(old, n, "reference: arity mismatch for {p}");
        };
        for s in &self.stmts {
            match s {
                Stmt::Fact(p, args) => add(p, args.len()),
                Stmt::Rule(r) => {
                    add(&r.head, r.head_args.len());
                    for lit in &r.body {
                        match lit {
                            Literal::Pos(a) | Literal::Neg(a) => add(&a.pred, a.args.len()),
                            Literal::Agg(g) => {
                                for l in &g.body {
                                    if let Literal::Pos(a) | Literal::Neg(a) = l {
                                        add(&a.pred, a.args.len());
                                    }
                                }
                            }
                            Literal::Cmp(..) => {}
                        }
                    }
                }
            }
        }
        out
    }

    /// A stratum for every predicate: the least numbers with `stratum(head) >= stratum(q)` for a
    /// positive body atom `q` and `> stratum(q)` for a negated one or one inside an aggregate. Panics if negation runs
    /// through a cycle.
    pub fn strata(&self) -> BTreeMap<String, usize> {
        let preds = self.predicates();
        let mut s: BTreeMap<String, usize> = preds.keys().map(|p| (p.clone(), 0)).collect();
        loop {
            let mut changed = false;
            for st in &self.stmts {
                let Stmt::Rule(r) = st else { continue };
                for lit in &r.body {
                    // An aggregate needs its predicates complete: strictly lower.
                    let need = match lit {
                        Literal::Pos(a) => s[&a.pred],
                        Literal::Neg(a) => s[&a.pred] + 1,
                        Literal::Cmp(..) => 0,
                        Literal::Agg(g) => g
                            .body
                            .iter()
                            .filter_map(|l| match l {
                                Literal::Pos(a) | Literal::Neg(a) => Some(s[&a.pred] + 1),
                                _ => None,
                            })
                            .max()
                            .unwrap_or(0),
                    };
                    if s[&r.head] < need {
                        assert!(need <= preds.len(), "reference: negation through recursion");
                        s.insert(r.head.clone(), need);
                        changed = true;
                    }
                }
            }
            if !changed {
                return s;
            }
        }
    }

    /// One application of every rule (all strata at once) to `facts`: the set of head tuples
    /// derivable in one step. The minimal model `M` of a stratified program is a fixpoint:
    /// `M = base facts ∪ consequences(M)`, which the tests use to check the evaluator.
    pub fn consequences(&self, facts: &Output) -> BTreeSet<(String, Vec<Const>)> {
        let mut out = BTreeSet::new();
        for s in &self.stmts {
            let Stmt::Rule(r) = s else { continue };
            run(&plan(r), 0, &Binding::new(), facts, &mut |b| {
                let tuple: Option<Vec<Const>> =
                    r.head_args.iter().map(|e| eval_expr(e, b)).collect();
                if let Some(t) = tuple {
                    out.insert((r.head.clone(), t));
                }
            });
        }
        out
    }

    /// The minimal model, computed naively stratum by stratum.
    pub fn evaluate(&self) -> Output {
        let mut facts: Output = self
            .predicates()
            .keys()
            .map(|p| (p.clone(), BTreeSet::new()))
            .collect();
        for s in &self.stmts {
            if let Stmt::Fact(p, args) = s {
                facts.get_mut(p).unwrap().insert(args.clone());
            }
        }
        let strata = self.strata();
        let top = strata.values().copied().max().unwrap_or(0);
        for level in 0..=top {
            let rules: Vec<(&Rule, Vec<Step>)> = self
                .stmts
                .iter()
                .filter_map(|s| match s {
                    Stmt::Rule(r) if strata[&r.head] == level => Some((r, plan(r))),
                    _ => None,
                })
                .collect();
            loop {
                let mut new: Vec<(String, Vec<Const>)> = Vec::new();
                for (r, steps) in &rules {
                    run(steps, 0, &Binding::new(), &facts, &mut |b| {
                        let tuple: Option<Vec<Const>> =
                            r.head_args.iter().map(|e| eval_expr(e, b)).collect();
                        if let Some(t) = tuple
                            && !facts[&r.head].contains(&t)
                        {
                            new.push((r.head.clone(), t));
                        }
                    });
                }
                if new.is_empty() {
                    break;
                }
                for (p, t) in new {
                    facts.get_mut(&p).unwrap().insert(t);
                }
            }
        }
        facts
    }

    /// The program in Pacta's surface syntax, one statement per line; plain lowercase symbols
    /// are written bare (`nato`), other strings quoted and escaped.
    pub fn to_source(&self) -> String {
        Printer { quote_all: false }.program(self)
    }

    /// The same program spelled differently: every string quoted (`"nato"`, the same constant
    /// as `nato`), `%` comments, and each body literal of a rule on its own line.
    pub fn to_source_verbose(&self) -> String {
        Printer { quote_all: true }.program(self)
    }
}

/// Words that cannot be written as bare symbols.
const RESERVED: &[&str] = &["not", "mod", "true"];

/// A constant in source form: plain lowercase symbols bare, other strings quoted and escaped.
pub fn print_const(c: &Const) -> String {
    Printer { quote_all: false }.constant(c)
}

/// Writes programs in the surface syntax.
struct Printer {
    /// Quote every string, even plain symbols; add comments and line breaks.
    quote_all: bool,
}

impl Printer {
    fn program(&self, p: &Program) -> String {
        let mut out = String::new();
        if self.quote_all {
            out.push_str("% generated program, verbose spelling\n");
        }
        for s in &p.stmts {
            match s {
                Stmt::Fact(p, args) => {
                    out.push_str(p);
                    if !args.is_empty() {
                        let a: Vec<String> = args.iter().map(|c| self.constant(c)).collect();
                        write!(out, "({})", a.join(", ")).unwrap();
                    }
                    out.push_str(".\n");
                }
                Stmt::Rule(r) => {
                    out.push_str(&r.head);
                    if !r.head_args.is_empty() {
                        let a: Vec<String> =
                            r.head_args.iter().map(|e| self.expr(e, true)).collect();
                        write!(out, "({})", a.join(", ")).unwrap();
                    }
                    let body: Vec<String> = r.body.iter().map(|l| self.literal(l)).collect();
                    if self.quote_all {
                        out.push_str(" :-   % rule\n    ");
                        out.push_str(&body.join(",\t% and\n    "));
                        out.push_str("\n  .  % end\n");
                    } else {
                        out.push_str(" :- ");
                        out.push_str(&body.join(", "));
                        out.push_str(".\n");
                    }
                }
            }
        }
        out
    }

    fn constant(&self, c: &Const) -> String {
        match c {
            Const::Str(s)
                if (self.quote_all || RESERVED.contains(&s.as_ref()))
                    && Const::is_plain_symbol(s) =>
            {
                format!("\"{s}\"")
            }
            // Const's Display quotes and escapes whatever is not a plain symbol.
            other => other.to_string(),
        }
    }

    fn term(&self, t: &Term) -> String {
        match t {
            Term::Var(x) => x.clone(),
            Term::Const(c) => self.constant(c),
            Term::Wild => "_".to_string(),
            Term::Expr(e) => self.expr(e, true),
        }
    }

    fn atom(&self, a: &Atom) -> String {
        if a.args.is_empty() {
            a.pred.clone()
        } else {
            let args: Vec<String> = a.args.iter().map(|t| self.term(t)).collect();
            format!("{}({})", a.pred, args.join(", "))
        }
    }

    /// Prints an expression; nested operations and negative numbers are parenthesised.
    fn expr(&self, e: &Expr, top: bool) -> String {
        match e {
            Expr::Var(x) => x.clone(),
            Expr::Const(Const::Int(i)) if *i < 0 && !top => format!("({i})"),
            Expr::Const(c) => self.constant(c),
            Expr::Bin(l, op, r) => {
                let op = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "-",
                    ArithOp::Mul => "*",
                    ArithOp::Div => "/",
                    ArithOp::Mod => "mod",
                };
                let s = format!("{} {op} {}", self.expr(l, false), self.expr(r, false));
                if top { s } else { format!("({s})") }
            }
        }
    }

    fn literal(&self, l: &Literal) -> String {
        match l {
            Literal::Pos(a) => self.atom(a),
            Literal::Neg(a) => format!("not {}", self.atom(a)),
            Literal::Cmp(l, op, r) => {
                let op = match op {
                    CmpOp::Eq => "=",
                    CmpOp::Ne => "!=",
                    CmpOp::Lt => "<",
                    CmpOp::Le => "<=",
                    CmpOp::Gt => ">",
                    CmpOp::Ge => ">=",
                };
                format!("{} {op} {}", self.expr(l, true), self.expr(r, true))
            }
            Literal::Agg(g) => {
                let f = match g.func {
                    AggFunc::Count => "#count",
                    AggFunc::Sum => "#sum",
                    AggFunc::Min => "#min",
                    AggFunc::Max => "#max",
                };
                let terms: Vec<String> = g.terms.iter().map(|e| self.expr(e, true)).collect();
                let body: Vec<String> = g.body.iter().map(|l| self.literal(l)).collect();
                format!(
                    "{} = {f} {{ {} : {} }}",
                    g.result,
                    terms.join(", "),
                    body.join(", ")
                )
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tests of the reference evaluator itself, on hand-computed programs.

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(rows: &[&[i64]]) -> BTreeSet<Vec<Const>> {
        rows.iter()
            .map(|r| r.iter().map(|&i| Const::Int(i)).collect())
            .collect()
    }

    fn s(x: &str) -> Const {
        Const::Str(x.into())
    }

    fn edges(pairs: &[(i64, i64)]) -> Vec<Stmt> {
        pairs
            .iter()
            .map(|&(a, b)| fact("edge", vec![Const::Int(a), Const::Int(b)]))
            .collect()
    }

    #[test]
    fn transitive_closure() {
        let mut stmts = edges(&[(1, 2), (2, 3), (3, 4), (5, 5)]);
        stmts.push(rule(
            "path",
            &["X", "Y"],
            vec![Literal::Pos(atom("edge", vec![v("X"), v("Y")]))],
        ));
        stmts.push(rule(
            "path",
            &["X", "Z"],
            vec![
                Literal::Pos(atom("path", vec![v("X"), v("Y")])),
                Literal::Pos(atom("edge", vec![v("Y"), v("Z")])),
            ],
        ));
        let out = Program { stmts }.evaluate();
        assert_eq!(
            out["path"],
            ints(&[
                &[1, 2],
                &[1, 3],
                &[1, 4],
                &[2, 3],
                &[2, 4],
                &[3, 4],
                &[5, 5]
            ])
        );
        assert_eq!(out.len(), 2);
    }

    #[test]
    fn stratified_negation() {
        // reach from 1; unreachable nodes are those with no path from 1.
        let mut stmts = edges(&[(1, 2), (2, 3), (4, 1), (4, 5)]);
        for n in 1..=5 {
            stmts.push(fact("node", vec![Const::Int(n)]));
        }
        stmts.push(rule(
            "unreach",
            &["X"],
            vec![
                Literal::Pos(atom("node", vec![v("X")])),
                Literal::Neg(atom("reach", vec![v("X")])),
            ],
        ));
        stmts.push(fact("reach", vec![Const::Int(1)]));
        stmts.push(rule(
            "reach",
            &["Y"],
            vec![
                Literal::Pos(atom("reach", vec![v("X")])),
                Literal::Pos(atom("edge", vec![v("X"), v("Y")])),
            ],
        ));
        // No node has an incoming edge from nowhere: "not edge(_, X)" via a wildcard, and
        // "not edge(X, L)" with L local (no outgoing edge).
        stmts.push(rule(
            "source",
            &["X"],
            vec![
                Literal::Pos(atom("node", vec![v("X")])),
                Literal::Neg(atom("edge", vec![Term::Wild, v("X")])),
            ],
        ));
        stmts.push(rule(
            "sink",
            &["X"],
            vec![
                Literal::Pos(atom("node", vec![v("X")])),
                Literal::Neg(atom("edge", vec![v("X"), v("L")])),
            ],
        ));
        let p = Program { stmts };
        assert_eq!(p.strata()["unreach"], 1);
        let out = p.evaluate();
        assert_eq!(out["reach"], ints(&[&[1], &[2], &[3]]));
        assert_eq!(out["unreach"], ints(&[&[4], &[5]]));
        assert_eq!(out["source"], ints(&[&[4]]));
        assert_eq!(out["sink"], ints(&[&[3], &[5]]));
    }

    #[test]
    fn negation_local_repeated_variable() {
        // not s(X, P, P): no P with s(X, P, P).
        let stmts = vec![
            fact("t", vec![Const::Int(1)]),
            fact("t", vec![Const::Int(2)]),
            fact("s", vec![Const::Int(1), Const::Int(7), Const::Int(8)]),
            fact("s", vec![Const::Int(2), Const::Int(7), Const::Int(7)]),
            rule(
                "q",
                &["X"],
                vec![
                    Literal::Pos(atom("t", vec![v("X")])),
                    Literal::Neg(atom("s", vec![v("X"), v("P"), v("P")])),
                ],
            ),
        ];
        assert_eq!(Program { stmts }.evaluate()["q"], ints(&[&[1]]));
    }

    #[test]
    fn comparisons_and_binding() {
        let mut stmts: Vec<Stmt> = [1, 2, 3]
            .iter()
            .map(|&i| fact("n", vec![Const::Int(i)]))
            .collect();
        stmts.push(fact("n", vec![s("a")]));
        stmts.push(fact("n", vec![s("b")]));
        stmts.push(fact("n", vec![Const::Date(pacta::value::Date(700_000))]));
        let both = vec![
            Literal::Pos(atom("n", vec![v("X")])),
            Literal::Pos(atom("n", vec![v("Y")])),
        ];
        let cmp = |op| {
            let mut b = both.clone();
            b.push(Literal::Cmp(ev("X"), op, ev("Y")));
            b
        };
        stmts.push(rule("lt", &["X", "Y"], cmp(CmpOp::Lt)));
        stmts.push(rule("ne", &["X", "Y"], cmp(CmpOp::Ne)));
        stmts.push(rule("eq", &["X", "Y"], cmp(CmpOp::Eq)));
        stmts.push(rule(
            "succ",
            &["X", "Z"],
            vec![
                Literal::Pos(atom("n", vec![v("X")])),
                Literal::Cmp(
                    ev("Z"),
                    CmpOp::Eq,
                    Expr::Bin(Box::new(ev("X")), ArithOp::Add, Box::new(ei(1))),
                ),
            ],
        ));
        // Counting up to a bound, recursively.
        stmts.push(fact("cnt", vec![Const::Int(0)]));
        stmts.push(rule(
            "cnt",
            &["Z"],
            vec![
                Literal::Pos(atom("cnt", vec![v("X")])),
                Literal::Cmp(
                    Expr::Bin(Box::new(ev("X")), ArithOp::Add, Box::new(ei(2))),
                    CmpOp::Eq,
                    ev("Z"),
                ),
                Literal::Cmp(ev("Z"), CmpOp::Le, ei(7)),
            ],
        ));
        stmts.push(Stmt::Rule(Rule {
            head: "sq".into(),
            head_args: vec![Expr::Bin(
                Box::new(ev("X")),
                ArithOp::Mul,
                Box::new(ev("X")),
            )],
            body: vec![Literal::Pos(atom("n", vec![v("X")]))],
        }));
        let out = Program { stmts }.evaluate();
        let lt: BTreeSet<Vec<Const>> = out["lt"].clone();
        let mut want = ints(&[&[1, 2], &[1, 3], &[2, 3]]);
        want.insert(vec![s("a"), s("b")]);
        assert_eq!(lt, want);
        // 6 constants, != holds for all 30 ordered distinct pairs (across kinds too).
        assert_eq!(out["ne"].len(), 30);
        assert_eq!(out["eq"].len(), 6);
        assert!(out["eq"].iter().all(|t| t[0] == t[1]));
        assert_eq!(out["succ"], ints(&[&[1, 2], &[2, 3], &[3, 4]]));
        assert_eq!(out["cnt"], ints(&[&[0], &[2], &[4], &[6]]));
        assert_eq!(out["sq"], ints(&[&[1], &[4], &[9]]));
    }

    #[test]
    fn zero_ary_and_constants_in_body() {
        let stmts = vec![
            fact("p", vec![Const::Int(1), s("a")]),
            fact("p", vec![Const::Int(2), s("b")]),
            fact("p", vec![Const::Int(3), Const::Int(3)]),
            rule(
                "alarm",
                &[],
                vec![Literal::Pos(atom("p", vec![Term::Wild, sym("b")]))],
            ),
            rule(
                "quiet",
                &[],
                vec![Literal::Pos(atom("p", vec![Term::Wild, sym("zzz")]))],
            ),
            rule(
                "diag",
                &["X"],
                vec![Literal::Pos(atom("p", vec![v("X"), v("X")]))],
            ),
            rule(
                "ok",
                &["X"],
                vec![
                    Literal::Pos(atom("p", vec![v("X"), Term::Wild])),
                    Literal::Pos(atom("alarm", vec![])),
                    Literal::Neg(atom("quiet", vec![])),
                    Literal::Neg(atom("missing", vec![v("X")])),
                ],
            ),
        ];
        let p = Program { stmts };
        let out = p.evaluate();
        assert_eq!(out["alarm"], ints(&[&[]]));
        assert!(out["quiet"].is_empty());
        assert!(out["missing"].is_empty());
        assert_eq!(out["diag"], ints(&[&[3]]));
        assert_eq!(out["ok"], ints(&[&[1], &[2], &[3]]));
    }

    #[test]
    fn printer_writes_surface_syntax() {
        let stmts = vec![
            fact("p", vec![Const::Int(1), s("a")]),
            fact("p", vec![Const::Int(-2), s("Art. 5")]),
            fact("p", vec![s("not"), s("a\"b")]),
            fact("alarm", vec![]),
            Stmt::Rule(Rule {
                head: "q".into(),
                head_args: vec![
                    ev("X"),
                    Expr::Bin(
                        Box::new(Expr::Bin(Box::new(ev("X")), ArithOp::Add, Box::new(ei(-1)))),
                        ArithOp::Mul,
                        Box::new(ev("Z")),
                    ),
                ],
                body: vec![
                    Literal::Pos(atom("p", vec![v("X"), Term::Wild])),
                    Literal::Neg(atom("r", vec![v("X"), sym("b")])),
                    Literal::Pos(atom("alarm", vec![])),
                    Literal::Cmp(
                        ev("Z"),
                        CmpOp::Eq,
                        Expr::Bin(Box::new(ev("X")), ArithOp::Add, Box::new(ei(1))),
                    ),
                    Literal::Cmp(ev("X"), CmpOp::Ge, ei(0)),
                ],
            }),
        ];
        assert_eq!(
            Program {
                stmts: stmts.clone()
            }
            .to_source(),
            "p(1, a).\n\
             p(-2, \"Art. 5\").\n\
             p(\"not\", \"a\\\"b\").\n\
             alarm.\n\
             q(X, (X + (-1)) * Z) :- p(X, _), not r(X, b), alarm, Z = X + 1, X >= 0.\n"
        );
        let verbose = Program { stmts }.to_source_verbose();
        assert!(verbose.contains("\np(1, \"a\").\np(-2, \"Art. 5\").\np(\"not\", \"a\\\"b\")."));
        assert!(verbose.contains("q(X, (X + (-1)) * Z) :-   % rule\n    p(X, _),\t% and\n"));
        assert!(verbose.contains("not r(X, \"b\")"));
        assert!(verbose.ends_with("X >= 0\n  .  % end\n"));
    }

    #[test]
    fn division_modulo_and_arithmetic_in_body_atoms() {
        let bin = |a: Expr, op, b: Expr| Expr::Bin(Box::new(a), op, Box::new(b));
        let mut stmts: Vec<Stmt> = [-7, 0, 2]
            .iter()
            .map(|&i| fact("n", vec![Const::Int(i)]))
            .collect();
        stmts.push(fact("n", vec![s("a")]));
        // Truncation toward zero, sign of the dividend, nothing on division by zero.
        stmts.push(Stmt::Rule(Rule {
            head: "dm".into(),
            head_args: vec![
                ev("X"),
                ev("Y"),
                bin(ev("X"), ArithOp::Div, ev("Y")),
                bin(ev("X"), ArithOp::Mod, ev("Y")),
            ],
            body: vec![
                Literal::Pos(atom("n", vec![v("X")])),
                Literal::Pos(atom("n", vec![v("Y")])),
            ],
        }));
        // `n(X + 2)` binds nothing: it tests that X + 2 is in n; written before X is bound.
        stmts.push(rule(
            "plus2",
            &["X"],
            vec![
                Literal::Pos(atom(
                    "n",
                    vec![Term::Expr(bin(ev("X"), ArithOp::Add, ei(2)))],
                )),
                Literal::Pos(atom("n", vec![v("X")])),
            ],
        ));
        stmts.push(rule(
            "noprev",
            &["X"],
            vec![
                Literal::Pos(atom("n", vec![v("X")])),
                Literal::Neg(atom(
                    "n",
                    vec![Term::Expr(bin(ev("X"), ArithOp::Sub, ei(2)))],
                )),
            ],
        ));
        let out = Program { stmts }.evaluate();
        let want: BTreeSet<Vec<Const>> = [
            [-7, -7, 1, 0],
            [-7, 2, -3, -1],
            [0, -7, 0, 0],
            [0, 2, 0, 0],
            [2, -7, 0, 2],
            [2, 2, 1, 0],
        ]
        .iter()
        .map(|r| r.iter().map(|&i| Const::Int(i)).collect())
        .collect();
        assert_eq!(out["dm"], want);
        assert_eq!(out["plus2"], ints(&[&[0]]));
        // 2 - 2 = 0 is in n; a - 2 has no value, so that rule instance yields nothing at all.
        assert_eq!(out["noprev"], ints(&[&[-7], &[0]]));
    }

    #[test]
    fn aggregates_over_sets() {
        // LANGUAGE.md's example, plus set semantics and a compared (not bound) result.
        let agg = |func, terms: &[&str], result: &str, body: Vec<Literal>| {
            Literal::Agg(Aggregate {
                func,
                terms: terms.iter().map(|x| ev(x)).collect(),
                result: result.into(),
                body,
            })
        };
        let member = |o: &str, s: &str| Literal::Pos(atom("member", vec![v(o), v(s)]));
        let troops = |s: &str, n: &str| Literal::Pos(atom("troops", vec![v(s), v(n)]));
        let mut stmts = vec![
            fact("org", vec![s("nato")]),
            fact("org", vec![s("asean")]),
            fact("member", vec![s("nato"), s("poland")]),
            fact("member", vec![s("nato"), s("france")]),
            fact("troops", vec![s("poland"), Const::Int(200)]),
            fact("troops", vec![s("france"), Const::Int(200)]),
            fact("troops", vec![s("x"), s("lots")]),
        ];
        let org = || Literal::Pos(atom("org", vec![v("O")]));
        stmts.push(rule(
            "size",
            &["O", "N"],
            vec![
                org(),
                agg(AggFunc::Count, &["S"], "N", vec![member("O", "S")]),
            ],
        ));
        for (name, terms) in [("sum1", &["N"][..]), ("sum2", &["N", "S"][..])] {
            stmts.push(rule(
                name,
                &["O", "T"],
                vec![
                    org(),
                    agg(
                        AggFunc::Sum,
                        terms,
                        "T",
                        vec![member("O", "S"), troops("S", "N")],
                    ),
                ],
            ));
        }
        stmts.push(rule(
            "weakest",
            &["O", "M"],
            vec![
                org(),
                agg(
                    AggFunc::Min,
                    &["N"],
                    "M",
                    vec![member("O", "S"), troops("S", "N")],
                ),
            ],
        ));
        stmts.push(rule(
            "top",
            &["M"],
            vec![agg(AggFunc::Max, &["N"], "M", vec![troops("S", "N")])],
        ));
        // Compared: N is bound by troops first.
        stmts.push(rule(
            "strongest",
            &["S"],
            vec![
                troops("S", "N"),
                agg(
                    AggFunc::Max,
                    &["K"],
                    "N",
                    vec![troops("T", "K"), Literal::Cmp(ev("K"), CmpOp::Lt, ei(1000))],
                ),
            ],
        ));
        let p = Program { stmts };
        assert_eq!(p.strata()["size"], 1);
        let out = p.evaluate();
        let rows = |r: &[(&str, i64)]| -> BTreeSet<Vec<Const>> {
            r.iter().map(|(a, b)| vec![s(a), Const::Int(*b)]).collect()
        };
        assert_eq!(out["size"], rows(&[("asean", 0), ("nato", 2)]));
        assert_eq!(out["sum1"], rows(&[("asean", 0), ("nato", 200)]));
        assert_eq!(out["sum2"], rows(&[("asean", 0), ("nato", 400)]));
        assert_eq!(out["weakest"], rows(&[("nato", 200)]));
        assert_eq!(out["top"], [vec![s("lots")]].into_iter().collect());
        assert_eq!(
            out["strongest"],
            [vec![s("france")], vec![s("poland")]].into_iter().collect()
        );
        assert!(
            p.to_source().contains(
                "weakest(O, M) :- org(O), M = #min { N : member(O, S), troops(S, N) }.\n"
            )
        );
    }

    #[test]
    #[should_panic(expected = "negation through recursion")]
    fn unstratifiable_program_is_refused() {
        let stmts = vec![
            fact("d", vec![Const::Int(1)]),
            rule(
                "p",
                &["X"],
                vec![
                    Literal::Pos(atom("d", vec![v("X")])),
                    Literal::Neg(atom("p", vec![v("X")])),
                ],
            ),
        ];
        Program { stmts }.evaluate();
    }
}
