//! Random stratified, safe, terminating Datalog programs for property tests.
//!
//! The strategy draws *raw* choices (numbers, [`Index`]es into lists that are only known later)
//! that [`RawProgram::build`] turns into a [`Program`] deterministically. Every raw value maps to
//! a valid program, so shrinking never produces an invalid one.
//!
//! Guarantees, by construction:
//! - **Layers.** Layer 0 holds 1–3 EDB predicates (facts only); layers 1..=3 hold 1–3 predicates
//!   each, defined by 1–6 rules (and sometimes a few facts). A rule of layer `k` has its head in
//!   layer `k`, positive body atoms over layers `0..=k` (so recursion happens only within a
//!   layer, and only positively) and a negated atom over layers `0..k` (strictly lower): the
//!   program is stratified.
//! - **Safety.** Head variables, comparison variables and the right side of a `Z = X op Y`
//!   binding are picked from the variables of the rule's positive atoms (plus `Z` once bound);
//!   when there are none, constants are used instead. Expression arguments of positive atoms
//!   (`p(A + 1)`, which bind nothing) use only variables of *earlier* positive atoms. A negated
//!   atom's variables are bound variables (plain or in `X + c`), wildcards, or locals `L0`/`L1`
//!   that occur only in that atom ("there is none").
//! - **Termination and no overflow.** A rule is *recursive* when a positive body atom is in its
//!   own layer. Recursive rules never use arithmetic in the head, and their bindings are always
//!   `Z = X + c` (c in 1..=2) guarded by `Z < 8`; so each layer creates only finitely many new
//!   integers. Non-recursive rules bind with `+ - / mod` (no `*`) and may use `+ - * / mod` in
//!   the head, so a layer's largest magnitude `M` becomes at most `4·M²`: from base integers in
//!   -1..=4 and at most 3 rule layers that stays below 1.1·10⁹, and comparisons such as `X * Y`
//!   stay below 1.2·10¹⁸ < `i64::MAX`. Division and `mod` by zero do occur (no value: the rule
//!   instance yields nothing).
//! - **Aggregates** ([`raw_program_with_aggregates`] only; [`raw_program`] has none, since the
//!   defeasible layer rejects aggregates over its predicates). About 30% of the
//!   non-recursive rules get one `R = #f { T1[, T2] : body }` (`#count`, `#sum`, `#min`, `#max`)
//!   whose inner body — 1–2 positive atoms, sometimes a `not` atom and a comparison — reads only
//!   layers strictly below the rule's, so the program stays stratified. Its group variables are
//!   0–2 variables bound by the rule's positive atoms, used only in its positive inner atoms
//!   (which is what makes them group variables); the other inner variables (`I0`–`I2`, and a
//!   "there is none" local `J0` in the inner `not`) occur nowhere else. The element terms are
//!   inner-bound variables (the constant `1` when there are none). The result is either a
//!   variable a positive atom already binds (compare mode) or a fresh `R` (bind mode) that the
//!   head, the comparison and the negated atom may use. Sums over lower layers stay far below
//!   `i64::MAX`; a `#count` / `#sum` result that the aggregate binds is guarded by
//!   `R <= 32` (and `R >= -32` for a sum) and its rule gets no head arithmetic, so the magnitude
//!   bounds above still hold (`#min` / `#max` and compared results create no new values).

#![allow(dead_code)]

use super::reference::{
    AggFunc, Aggregate, ArithOp, Atom, CmpOp, Expr, Literal, Program, Rule, Stmt, Term,
};
use pacta::value::{Const, Date};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;

/// Names of the body variables drawn by positive atoms.
const VARS: [&str; 4] = ["A", "B", "C", "D"];
/// Name of the variable bound by `Z = X + c`.
const BIND_VAR: &str = "Z";
/// Upper bound (exclusive) guarding bindings in recursive rules.
const GUARD: i64 = 8;
/// Name of a fresh variable bound by an aggregate.
const AGG_VAR: &str = "R";
/// Names of the variables local to an aggregate's positive inner atoms.
const INNER_VARS: [&str; 3] = ["I0", "I1", "I2"];
/// Bound on the magnitude of a `#count` / `#sum` result bound by an aggregate (a guard).
const AGG_GUARD: i64 = 32;

/// A constant of the small domain: integers -1..=4, three strings (one needing quotes) and a date.
pub fn constant() -> impl Strategy<Value = Const> {
    prop_oneof![
        6 => (-1i64..=4).prop_map(Const::Int),
        1 => Just(Const::Str("a".into())),
        1 => Just(Const::Str("b".into())),
        1 => Just(Const::Str("Hi, \"you\"".into())),
        1 => Just(Const::Date(Date::from_ymd(2024, 2, 29).unwrap())),
    ]
}

fn arity() -> impl Strategy<Value = usize> {
    prop_oneof![1 => Just(0usize), 3 => Just(1usize), 4 => Just(2usize), 2 => Just(3usize)]
}

fn cmp_op() -> impl Strategy<Value = CmpOp> {
    prop_oneof![
        Just(CmpOp::Eq),
        Just(CmpOp::Ne),
        Just(CmpOp::Lt),
        Just(CmpOp::Le),
        Just(CmpOp::Gt),
        Just(CmpOp::Ge),
    ]
}

fn arith_op() -> impl Strategy<Value = ArithOp> {
    prop_oneof![
        3 => Just(ArithOp::Add),
        2 => Just(ArithOp::Sub),
        2 => Just(ArithOp::Mul),
        1 => Just(ArithOp::Div),
        1 => Just(ArithOp::Mod),
    ]
}

/// Operators for `Z = X op Y` bindings: no `*`, so that values grow slowly across layers.
fn bind_op() -> impl Strategy<Value = ArithOp> {
    prop_oneof![
        3 => Just(ArithOp::Add),
        1 => Just(ArithOp::Sub),
        1 => Just(ArithOp::Div),
        1 => Just(ArithOp::Mod),
    ]
}

/// An argument of a positive body atom.
#[derive(Clone, Debug)]
enum RawArg {
    Var(usize),
    Const(Const),
    Wild,
    /// `X op c` over a variable bound by an earlier positive atom (a filter, binds nothing).
    Expr(Index, ArithOp, i64),
}

fn raw_arg() -> impl Strategy<Value = RawArg> {
    prop_oneof![
        16 => (0..VARS.len()).prop_map(RawArg::Var),
        4 => constant().prop_map(RawArg::Const),
        2 => Just(RawArg::Wild),
        1 => (any::<Index>(), arith_op(), -1i64..=2).prop_map(|(i, o, c)| RawArg::Expr(i, o, c)),
    ]
}

/// An argument of a negated atom.
#[derive(Clone, Debug)]
enum RawNegArg {
    Bound(Index),
    Const(Const),
    Wild,
    Local(usize),
    /// `X + c` over a bound variable.
    Expr(Index, i64),
}

fn raw_neg_arg() -> impl Strategy<Value = RawNegArg> {
    prop_oneof![
        12 => any::<Index>().prop_map(RawNegArg::Bound),
        4 => constant().prop_map(RawNegArg::Const),
        2 => Just(RawNegArg::Wild),
        2 => (0usize..2).prop_map(RawNegArg::Local),
        1 => (any::<Index>(), -1i64..=1).prop_map(|(i, c)| RawNegArg::Expr(i, c)),
    ]
}

/// A head argument.
#[derive(Clone, Debug)]
enum RawHeadArg {
    Var(Index),
    Const(Const),
    Bin(Index, ArithOp, Index),
    AddConst(Index, i64),
}

fn raw_head_arg() -> impl Strategy<Value = RawHeadArg> {
    prop_oneof![
        10 => any::<Index>().prop_map(RawHeadArg::Var),
        1 => constant().prop_map(RawHeadArg::Const),
        1 => (any::<Index>(), arith_op(), any::<Index>())
            .prop_map(|(a, o, b)| RawHeadArg::Bin(a, o, b)),
        1 => (any::<Index>(), -2i64..=3).prop_map(|(a, c)| RawHeadArg::AddConst(a, c)),
    ]
}

/// The optional comparison of a rule.
#[derive(Clone, Debug)]
enum RawCmp {
    /// `X op Y` or `X op c`, where `X` may be `X aop W` (W a variable or an integer).
    Compare(
        Index,
        Option<(ArithOp, Result<Index, i64>)>,
        CmpOp,
        Result<Index, Const>,
    ),
    /// `Z = X op Y` or `Z = X op c`; in recursive rules always `Z = X + c`, `c` in 1..=2.
    Bind(Index, ArithOp, Result<Index, i64>),
}

/// A variable or a small integer.
fn var_or_int() -> impl Strategy<Value = Result<Index, i64>> {
    prop_oneof![any::<Index>().prop_map(Ok), (-1i64..=2).prop_map(Err)]
}

fn raw_cmp() -> impl Strategy<Value = RawCmp> {
    prop_oneof![
        3 => (
            any::<Index>(),
            proptest::option::weighted(0.25, (arith_op(), var_or_int())),
            cmp_op(),
            prop_oneof![any::<Index>().prop_map(Ok), constant().prop_map(Err)]
        )
            .prop_map(|(a, e, o, b)| RawCmp::Compare(a, e, o, b)),
        2 => (any::<Index>(), bind_op(), var_or_int()).prop_map(|(a, o, b)| RawCmp::Bind(a, o, b)),
    ]
}

/// An argument of a positive atom inside an aggregate.
#[derive(Clone, Debug)]
enum RawInnerArg {
    /// A group variable: one of the aggregate's group candidates (an outer bound variable).
    Group(Index),
    /// A variable local to the aggregate.
    Local(usize),
    Const(Const),
    Wild,
}

fn raw_inner_arg() -> impl Strategy<Value = RawInnerArg> {
    prop_oneof![
        7 => any::<Index>().prop_map(RawInnerArg::Group),
        8 => (0..INNER_VARS.len()).prop_map(RawInnerArg::Local),
        2 => constant().prop_map(RawInnerArg::Const),
        1 => Just(RawInnerArg::Wild),
    ]
}

fn agg_func() -> impl Strategy<Value = AggFunc> {
    prop_oneof![
        Just(AggFunc::Count),
        Just(AggFunc::Sum),
        Just(AggFunc::Min),
        Just(AggFunc::Max),
    ]
}

/// An aggregate literal, before it is fitted to the rule.
#[derive(Clone, Debug)]
struct RawAgg {
    func: AggFunc,
    /// Group candidates: outer variables bound by positive atoms (those used inside the
    /// aggregate's positive atoms become its group variables).
    groups: Vec<Index>,
    /// Positive inner atoms over strictly lower layers.
    pos: Vec<(Index, Vec<RawInnerArg>)>,
    /// A negated inner atom: its arguments are inner-bound variables (`Bound`), constants,
    /// wildcards or a local `J0` ("there is none").
    neg: Option<(Index, Vec<RawNegArg>)>,
    /// An inner comparison `X op Y` / `X op c` over inner-bound variables.
    cmp: Option<(Index, CmpOp, Result<Index, Const>)>,
    /// Element terms: inner-bound variables.
    terms: Vec<Index>,
    /// `Some`: the result is an outer variable already bound by a positive atom (compare mode);
    /// `None`: a fresh variable `R` (bind mode).
    result: Option<Index>,
    /// Where in the body the aggregate goes.
    at: Index,
}

fn raw_agg() -> impl Strategy<Value = RawAgg> {
    (
        agg_func(),
        vec(any::<Index>(), 0..=2),
        vec((any::<Index>(), vec(raw_inner_arg(), 3)), 1..=2),
        proptest::option::weighted(0.3, (any::<Index>(), vec(raw_neg_arg(), 3))),
        proptest::option::weighted(
            0.3,
            (
                any::<Index>(),
                cmp_op(),
                prop_oneof![any::<Index>().prop_map(Ok), constant().prop_map(Err)],
            ),
        ),
        vec(any::<Index>(), 1..=2),
        proptest::option::weighted(0.4, any::<Index>()),
        any::<Index>(),
    )
        .prop_map(|(func, groups, pos, neg, cmp, terms, result, at)| RawAgg {
            func,
            groups,
            pos,
            neg,
            cmp,
            terms,
            result,
            at,
        })
}

/// One rule, before it is fitted to the signature.
#[derive(Clone, Debug)]
struct RawRule {
    head: Index,
    head_args: Vec<RawHeadArg>,
    pos: Vec<(Index, Vec<RawArg>)>,
    neg: Option<(Index, Vec<RawNegArg>, Index)>,
    cmp: Option<(RawCmp, Index)>,
    /// Used only in non-recursive rules.
    agg: Option<RawAgg>,
}

fn raw_rule() -> impl Strategy<Value = RawRule> {
    (
        any::<Index>(),
        vec(raw_head_arg(), 3),
        vec((any::<Index>(), vec(raw_arg(), 3)), 1..=3),
        proptest::option::weighted(0.4, (any::<Index>(), vec(raw_neg_arg(), 3), any::<Index>())),
        proptest::option::weighted(0.5, (raw_cmp(), any::<Index>())),
        proptest::option::weighted(0.3, raw_agg()),
    )
        .prop_map(|(head, head_args, pos, neg, cmp, agg)| RawRule {
            head,
            head_args,
            pos,
            neg,
            cmp,
            agg,
        })
}

/// A whole program, before it is fitted together. Its `Debug` form (what proptest prints for a
/// failing case) is the built program's source text.
#[derive(Clone)]
pub struct RawProgram {
    /// Arities of the EDB predicates (layer 0).
    edb: Vec<usize>,
    /// Per rule layer: arities of its predicates and its rules.
    layers: Vec<(Vec<usize>, Vec<RawRule>)>,
    /// Per EDB predicate (first `edb.len()` used): up to 15 tuples of up to 3 constants.
    edb_facts: Vec<Vec<Vec<Const>>>,
    /// Facts for IDB predicates: (predicate index in its layer, tuple), per rule layer.
    idb_facts: Vec<Vec<(Index, Vec<Const>)>>,
    /// Whether rules may have an aggregate (their raw choices are drawn either way).
    aggregates: bool,
}

/// Random programs, per the module documentation, without aggregates (the defeasible layer
/// rejects aggregates over its predicates).
pub fn raw_program() -> impl Strategy<Value = RawProgram> {
    programs(false)
}

/// Random programs, per the module documentation, where about 30% of the non-recursive rules
/// have an aggregate.
pub fn raw_program_with_aggregates() -> impl Strategy<Value = RawProgram> {
    programs(true)
}

fn programs(aggregates: bool) -> impl Strategy<Value = RawProgram> {
    (
        vec(arity(), 1..=3),
        vec((vec(arity(), 1..=3), vec(raw_rule(), 1..=6)), 1..=3),
        vec(vec(vec(constant(), 3), 0..=15), 3),
        vec(vec((any::<Index>(), vec(constant(), 3)), 0..=2), 3),
    )
        .prop_map(move |(edb, layers, edb_facts, idb_facts)| RawProgram {
            edb,
            layers,
            edb_facts,
            idb_facts,
            aggregates,
        })
}

impl std::fmt::Debug for RawProgram {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "program:\n{}", self.build().to_source())
    }
}

/// The generated predicate name for predicate `i` of layer `layer`.
fn pred_name(layer: usize, i: usize) -> String {
    if layer == 0 {
        format!("e{i}")
    } else {
        format!("p{layer}_{i}")
    }
}

impl RawProgram {
    /// Fits the raw choices together into a safe, stratified, terminating program.
    pub fn build(&self) -> Program {
        // preds[layer] = (name, arity) of each predicate in that layer.
        let mut preds: Vec<Vec<(String, usize)>> = vec![
            self.edb
                .iter()
                .enumerate()
                .map(|(i, &n)| (pred_name(0, i), n))
                .collect(),
        ];
        for (k, (arities, _)) in self.layers.iter().enumerate() {
            preds.push(
                arities
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| (pred_name(k + 1, i), n))
                    .collect(),
            );
        }
        let mut stmts = Vec::new();
        for ((name, n), tuples) in preds[0].iter().zip(&self.edb_facts) {
            for t in tuples {
                stmts.push(Stmt::Fact(name.clone(), t[..*n].to_vec()));
            }
        }
        for (k, facts) in self.idb_facts.iter().enumerate().take(self.layers.len()) {
            for (i, t) in facts {
                let (name, n) = i.get(&preds[k + 1]);
                stmts.push(Stmt::Fact(name.clone(), t[..*n].to_vec()));
            }
        }
        for (k, (_, rules)) in self.layers.iter().enumerate() {
            let layer = k + 1;
            for r in rules {
                stmts.push(Stmt::Rule(build_rule(r, layer, &preds, self.aggregates)));
            }
        }
        Program { stmts }
    }
}

fn build_rule(r: &RawRule, layer: usize, preds: &[Vec<(String, usize)>], aggregates: bool) -> Rule {
    let visible: Vec<(usize, &(String, usize))> = preds[..=layer]
        .iter()
        .enumerate()
        .flat_map(|(l, ps)| ps.iter().map(move |p| (l, p)))
        .collect();
    let lower: Vec<&(String, usize)> = preds[..layer].iter().flatten().collect();

    // Positive atoms and the variables they bind.
    let mut recursive = false;
    let mut bound: Vec<String> = Vec::new();
    let mut body: Vec<Literal> = Vec::new();
    let mut earlier: Vec<String> = Vec::new();
    for (p, args) in &r.pos {
        let (l, (name, n)) = p.get(&visible);
        recursive |= *l == layer;
        let args: Vec<Term> = args[..*n]
            .iter()
            .map(|a| match a {
                RawArg::Var(i) => {
                    let x = VARS[*i].to_string();
                    if !bound.contains(&x) {
                        bound.push(x.clone());
                    }
                    Term::Var(x)
                }
                RawArg::Const(c) => Term::Const(c.clone()),
                RawArg::Wild => Term::Wild,
                // Only variables of *earlier* atoms: an atom never needs itself to be bound.
                RawArg::Expr(_, _, _) if earlier.is_empty() => Term::Const(Const::Int(0)),
                RawArg::Expr(i, op, c) => Term::Expr(Expr::Bin(
                    Box::new(Expr::Var(i.get(&earlier).clone())),
                    *op,
                    Box::new(Expr::Const(Const::Int(*c))),
                )),
            })
            .collect();
        earlier = bound.clone();
        body.push(Literal::Pos(Atom {
            pred: name.clone(),
            args,
        }));
    }

    // The aggregate, in non-recursive rules only. A `#count` / `#sum` result that it binds is
    // guarded to `AGG_GUARD` in magnitude and the rule's head gets no arithmetic, so values do
    // not grow faster than the module documentation says.
    let mut guarded = false;
    if let (Some(g), true, false) = (&r.agg, aggregates, recursive) {
        let (lit, guard) = build_agg(g, &bound, &lower);
        guarded = !guard.is_empty();
        let at = g.at.index(body.len() + 1);
        body.insert(at, Literal::Agg(lit.clone()));
        body.extend(guard);
        if !bound.contains(&lit.result) {
            bound.push(lit.result);
        }
    }

    // The comparison or binding (needs a bound variable).
    if let (Some((cmp, at)), false) = (&r.cmp, bound.is_empty()) {
        let mut lits = Vec::new();
        let var = |i: &Index| Expr::Var(i.get(&bound).clone());
        let var_or_int = |w: &Result<Index, i64>| match w {
            Ok(i) => var(i),
            Err(c) => Expr::Const(Const::Int(*c)),
        };
        match cmp {
            RawCmp::Compare(a, e, op, b) => {
                let rhs = match b {
                    Ok(b) => var(b),
                    Err(c) => Expr::Const(c.clone()),
                };
                let lhs = match e {
                    None => var(a),
                    Some((aop, w)) => Expr::Bin(Box::new(var(a)), *aop, Box::new(var_or_int(w))),
                };
                lits.push(Literal::Cmp(lhs, *op, rhs));
            }
            RawCmp::Bind(a, op, w) => {
                let sum = if recursive {
                    let c = match w {
                        Err(c) => 1 + c.rem_euclid(2),
                        Ok(_) => 1,
                    };
                    Expr::Bin(
                        Box::new(var(a)),
                        ArithOp::Add,
                        Box::new(Expr::Const(Const::Int(c))),
                    )
                } else {
                    Expr::Bin(Box::new(var(a)), *op, Box::new(var_or_int(w)))
                };
                lits.push(Literal::Cmp(Expr::Var(BIND_VAR.into()), CmpOp::Eq, sum));
                if recursive {
                    lits.push(Literal::Cmp(
                        Expr::Var(BIND_VAR.into()),
                        CmpOp::Lt,
                        Expr::Const(Const::Int(GUARD)),
                    ));
                }
                bound.push(BIND_VAR.into());
            }
        }
        let at = at.index(body.len() + 1);
        for (j, lit) in lits.into_iter().enumerate() {
            body.insert(at + j, lit);
        }
    }

    // The negated atom, over a strictly lower layer.
    if let Some((p, args, at)) = &r.neg {
        let (name, n) = p.get(&lower);
        let args: Vec<Term> = args[..*n]
            .iter()
            .map(|a| match a {
                RawNegArg::Bound(i) if !bound.is_empty() => Term::Var(i.get(&bound).clone()),
                RawNegArg::Bound(_) | RawNegArg::Wild => Term::Wild,
                RawNegArg::Const(c) => Term::Const(c.clone()),
                RawNegArg::Local(i) => Term::Var(format!("L{i}")),
                RawNegArg::Expr(_, c) if bound.is_empty() => Term::Const(Const::Int(*c)),
                RawNegArg::Expr(i, c) => Term::Expr(Expr::Bin(
                    Box::new(Expr::Var(i.get(&bound).clone())),
                    ArithOp::Add,
                    Box::new(Expr::Const(Const::Int(*c))),
                )),
            })
            .collect();
        let at = at.index(body.len() + 1);
        body.insert(
            at,
            Literal::Neg(Atom {
                pred: name.clone(),
                args,
            }),
        );
    }

    // The head.
    let (head, n) = r.head.get(&preds[layer]);
    let var = |i: &Index| Expr::Var(i.get(&bound).clone());
    let head_args = r.head_args[..*n]
        .iter()
        .map(|a| match a {
            _ if bound.is_empty() => match a {
                RawHeadArg::Const(c) => Expr::Const(c.clone()),
                _ => Expr::Const(Const::Int(0)),
            },
            RawHeadArg::Var(i) => var(i),
            RawHeadArg::Const(c) => Expr::Const(c.clone()),
            RawHeadArg::Bin(i, _, _) | RawHeadArg::AddConst(i, _) if recursive || guarded => var(i),
            RawHeadArg::Bin(i, op, j) => Expr::Bin(Box::new(var(i)), *op, Box::new(var(j))),
            RawHeadArg::AddConst(i, c) => Expr::Bin(
                Box::new(var(i)),
                ArithOp::Add,
                Box::new(Expr::Const(Const::Int(*c))),
            ),
        })
        .collect();
    Rule {
        head: head.clone(),
        head_args,
        body,
    }
}

/// Builds an aggregate literal over the lower layers `lower` for a rule whose positive atoms bind
/// `outer`, and the guard comparisons on its result (for a `#count` / `#sum` it binds).
fn build_agg(
    g: &RawAgg,
    outer: &[String],
    lower: &[&(String, usize)],
) -> (Aggregate, Vec<Literal>) {
    let candidates: Vec<String> = if outer.is_empty() {
        Vec::new()
    } else {
        g.groups.iter().map(|i| i.get(outer).clone()).collect()
    };
    // Positive inner atoms; `inner` collects the variables they bind (group and local ones).
    let mut inner: Vec<String> = Vec::new();
    let mut groups: Vec<String> = Vec::new();
    let mut body = Vec::new();
    for (p, args) in &g.pos {
        let (name, n) = p.get(lower);
        let args: Vec<Term> = args[..*n]
            .iter()
            .map(|a| {
                let x = match a {
                    RawInnerArg::Group(i) if !candidates.is_empty() => {
                        let x = i.get(&candidates).clone();
                        if !groups.contains(&x) {
                            groups.push(x.clone());
                        }
                        x
                    }
                    RawInnerArg::Group(_) => INNER_VARS[0].to_string(),
                    RawInnerArg::Local(i) => INNER_VARS[*i].to_string(),
                    RawInnerArg::Const(c) => return Term::Const(c.clone()),
                    RawInnerArg::Wild => return Term::Wild,
                };
                if !inner.contains(&x) {
                    inner.push(x.clone());
                }
                Term::Var(x)
            })
            .collect();
        body.push(Literal::Pos(Atom {
            pred: name.clone(),
            args,
        }));
    }
    if let Some((p, args)) = &g.neg {
        let (name, n) = p.get(lower);
        let args = args[..*n]
            .iter()
            .map(|a| match a {
                RawNegArg::Bound(i) | RawNegArg::Expr(i, _) if !inner.is_empty() => {
                    Term::Var(i.get(&inner).clone())
                }
                RawNegArg::Bound(_) | RawNegArg::Expr(..) | RawNegArg::Wild => Term::Wild,
                RawNegArg::Const(c) => Term::Const(c.clone()),
                RawNegArg::Local(_) => Term::Var("J0".into()),
            })
            .collect();
        body.push(Literal::Neg(Atom {
            pred: name.clone(),
            args,
        }));
    }
    if let (Some((a, op, b)), false) = (&g.cmp, inner.is_empty()) {
        let rhs = match b {
            Ok(b) => Expr::Var(b.get(&inner).clone()),
            Err(c) => Expr::Const(c.clone()),
        };
        body.push(Literal::Cmp(Expr::Var(a.get(&inner).clone()), *op, rhs));
    }
    // Element terms: inner-bound variables (a constant when there are none).
    let mut terms: Vec<Expr> = Vec::new();
    for t in &g.terms {
        let e = if inner.is_empty() {
            Expr::Const(Const::Int(1))
        } else {
            Expr::Var(t.get(&inner).clone())
        };
        if !terms.contains(&e) {
            terms.push(e);
        }
    }
    // The result: an outer variable that is not a group variable (compare mode), or fresh.
    let others: Vec<&String> = outer.iter().filter(|x| !groups.contains(x)).collect();
    let result = match &g.result {
        Some(i) if !others.is_empty() => i.get(&others).to_string(),
        _ => AGG_VAR.to_string(),
    };
    let mut guard = Vec::new();
    if !outer.contains(&result) && matches!(g.func, AggFunc::Count | AggFunc::Sum) {
        let r = || Expr::Var(result.clone());
        guard.push(Literal::Cmp(
            r(),
            CmpOp::Le,
            Expr::Const(Const::Int(AGG_GUARD)),
        ));
        if g.func == AggFunc::Sum {
            guard.push(Literal::Cmp(
                r(),
                CmpOp::Ge,
                Expr::Const(Const::Int(-AGG_GUARD)),
            ));
        }
    }
    (
        Aggregate {
            func: g.func,
            terms,
            result,
            body,
        },
        guard,
    )
}
