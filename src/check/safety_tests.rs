//! Tests of rule safety, negation-local variables and singletons (aggregates: in
//! `aggregate_tests.rs`).

use super::super::testutil::*;
use crate::check::check;
use crate::diag::{Code, Severity};
use crate::syntax::ast::{BinOp, CmpOp};

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

#[test]
fn unbound_head_variable_points_at_the_head() {
    let y = var("Y");
    let ys = y.span();
    let p = prog(vec![rule(
        atom("p", vec![var("X"), y]),
        vec![pos(atom("q", vec![var("X")]))],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(own(&diags), vec![("unbound_variable", E, ys)]);
    assert_eq!(
        diags[0].message,
        "variable `Y` in the head is not bound by the body"
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("bind `Y` in a positive body atom, or with `Y = ...`")
    );
}

#[test]
fn wildcard_in_head_is_an_error() {
    let w = wild();
    let ws = w.span();
    let w2 = wild();
    let w2s = w2.span();
    let p = prog(vec![
        rule(
            atom("p", vec![var("X"), w]),
            vec![pos(atom("q", vec![var("X")]))],
        ),
        fact(atom("r", vec![bin(BinOp::Add, w2, int(1))])),
    ]);
    let (_, diags) = check(&p);
    assert_eq!(
        own(&diags),
        vec![("wildcard_in_head", E, ws), ("wildcard_in_head", E, w2s)]
    );
}

#[test]
fn variable_in_a_fact_is_unbound() {
    let x = var("X");
    let xs = x.span();
    let (_, diags) = check(&prog(vec![fact(atom("p", vec![sym("a"), x]))]));
    assert_eq!(own(&diags), vec![("unbound_variable", E, xs)]);
    assert!(diags[0].message.contains("in a fact"));
}

#[test]
fn comparison_variables_must_be_bound() {
    let y = var("Y");
    let ys = y.span();
    let w = wild();
    let ws = w.span();
    let p = prog(vec![rule(
        atom("p", vec![var("X")]),
        vec![
            pos(atom("q", vec![var("X")])),
            cmp(CmpOp::Gt, y, var("X")),
            cmp(CmpOp::Ne, var("X"), w),
        ],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(
        own(&diags),
        vec![("unbound_variable", E, ys), ("unbound_variable", E, ws)]
    );
    assert_eq!(
        diags[0].message,
        "variable `Y` in this comparison is not bound"
    );
}

#[test]
fn equality_binds_in_either_order_and_in_chains() {
    // p(Z, W) :- Z = Y * 2, Y = X + 1, q(X), X + 1 = W.
    let p = prog(vec![rule(
        atom("p", vec![var("Z"), var("W")]),
        vec![
            eq(var("Z"), bin(BinOp::Mul, var("Y"), int(2))),
            eq(var("Y"), bin(BinOp::Add, var("X"), int(1))),
            pos(atom("q", vec![var("X")])),
            eq(bin(BinOp::Add, var("X"), int(1)), var("W")),
        ],
    )]);
    let (_, diags) = check(&p);
    assert!(own(&diags).is_empty(), "{diags:?}");
}

#[test]
fn equality_with_unbound_sides_binds_nothing() {
    // p(X) :- X = Y, Y = X.
    let x = var("X");
    let xs = x.span();
    let p = prog(vec![rule(
        atom("p", vec![x]),
        vec![eq(var("X"), var("Y")), eq(var("Y"), var("X"))],
    )]);
    let (_, diags) = check(&p);
    let got = own(&diags);
    assert_eq!(got[0], ("unbound_variable", E, xs));
    assert_eq!(got.len(), 2, "X and Y once each: {got:?}");
    assert!(got.iter().all(|g| g.0 == "unbound_variable"));
}

#[test]
fn arithmetic_inside_an_atom_binds_nothing() {
    // f(X) :- fib(N - 1, X).   N is unbound (at its use), X is bound.
    let n = var("N");
    let ns = n.span();
    let p = prog(vec![rule(
        atom("f", vec![var("X")]),
        vec![pos(atom("fib", vec![bin(BinOp::Sub, n, int(1)), var("X")]))],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(own(&diags), vec![("unbound_variable", E, ns)]);
    assert!(diags[0].message.contains("arithmetic inside an atom"));

    // f(N, X) :- n(N), fib(N - 1, X).   fine.
    let p = prog(vec![rule(
        atom("f", vec![var("N"), var("X")]),
        vec![
            pos(atom("n", vec![var("N")])),
            pos(atom(
                "fib",
                vec![bin(BinOp::Sub, var("N"), int(1)), var("X")],
            )),
        ],
    )]);
    let (_, diags) = check(&p);
    assert!(
        with_code(&diags, Code::UnboundVariable).is_empty(),
        "{diags:?}"
    );
}

#[test]
fn negation_local_variable_means_there_is_none() {
    // ok(X) :- person(X), not banned(X, Y).
    let y = var("Y");
    let ys = y.span();
    let p = prog(vec![rule(
        atom("ok", vec![var("X")]),
        vec![
            pos(atom("person", vec![var("X")])),
            not(atom("banned", vec![var("X"), y])),
        ],
    )]);
    let (_, diags) = check(&p);
    let own = own(&diags);
    assert_eq!(own, vec![("negation_local_variable", W, ys)]);
    let d = with_code(&diags, Code::NegationLocalVariable)[0];
    assert!(
        d.hint
            .as_ref()
            .unwrap()
            .contains("write `_` instead of `Y`")
    );
}

#[test]
fn repeated_negation_local_variable_warns_once() {
    // r(X) :- q(X), not s(X, P, P).
    let p1 = var("P");
    let ps = p1.span();
    let p = prog(vec![rule(
        atom("r", vec![var("X")]),
        vec![
            pos(atom("q", vec![var("X")])),
            not(atom("s", vec![var("X"), p1, var("P")])),
        ],
    )]);
    let (_, diags) = check(&p);
    let own = own(&diags);
    assert_eq!(own, vec![("negation_local_variable", W, ps)]);
}

#[test]
fn underscore_named_negation_local_variable_is_silent() {
    let p = prog(vec![rule(
        atom("r", vec![var("X")]),
        vec![
            pos(atom("q", vec![var("X")])),
            not(atom("s", vec![var("X"), var("_P")])),
        ],
    )]);
    let (_, diags) = check(&p);
    assert!(with_code(&diags, Code::NegationLocalVariable).is_empty());
    assert!(with_code(&diags, Code::SingletonVariable).is_empty());
}

#[test]
fn negated_variable_used_elsewhere_must_be_bound() {
    // p(X) :- q(X), not r(X, Y), Y > 1.
    let y = var("Y");
    let ys = y.span();
    let p = prog(vec![rule(
        atom("p", vec![var("X")]),
        vec![
            pos(atom("q", vec![var("X")])),
            not(atom("r", vec![var("X"), y])),
            cmp(CmpOp::Gt, var("Y"), int(1)),
        ],
    )]);
    let (_, diags) = check(&p);
    let own = own(&diags);
    assert_eq!(own, vec![("unbound_variable", E, ys)]);
    assert_eq!(
        diags.iter().find(|d| d.span == Some(ys)).unwrap().message,
        "variable `Y` in a negated atom is not bound by a positive atom"
    );
}

#[test]
fn negation_local_variable_in_arithmetic_is_an_error() {
    // p(X) :- q(X), not r(Y + 1).
    let y = var("Y");
    let ys = y.span();
    let p = prog(vec![rule(
        atom("p", vec![var("X")]),
        vec![
            pos(atom("q", vec![var("X")])),
            not(atom("r", vec![bin(BinOp::Add, y, int(1))])),
        ],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(
        with_code(&diags, Code::UnboundVariable)
            .iter()
            .map(|d| d.span.unwrap())
            .collect::<Vec<_>>(),
        vec![ys]
    );
}

#[test]
fn singletons_warn_but_not_underscored_or_erroneous_ones() {
    // p(X) :- q(X, Y, _Z).      Y: singleton.
    // s :- W > 1.               W: unbound, no singleton.
    let y = var("Y");
    let ys = y.span();
    let w = var("W");
    let wspan = w.span();
    let p = prog(vec![
        rule(
            atom("p", vec![var("X")]),
            vec![pos(atom("q", vec![var("X"), y, var("_Z")]))],
        ),
        rule(atom("s", vec![]), vec![cmp(CmpOp::Gt, w, int(1))]),
    ]);
    let (_, diags) = check(&p);
    assert_eq!(
        own(&diags),
        vec![
            ("singleton_variable", W, ys),
            ("unbound_variable", E, wspan)
        ]
    );
    assert_eq!(
        diags[0].hint.as_deref(),
        Some("use `_` if the value does not matter")
    );
}

#[test]
fn all_errors_are_reported_in_source_order() {
    let a = var("A");
    let asp = a.span();
    let bad = atom("q", vec![var("B"), var("B")]);
    let bad_span = bad.span;
    let w = wild();
    let ws = w.span();
    let c = var("C");
    let cs = c.span();
    let p = prog(vec![
        rule(
            atom("p", vec![a]),
            vec![
                pos(atom("q", vec![var("X")])),
                pos(atom("q", vec![var("X")])),
            ],
        ),
        rule(atom("r", vec![var("B")]), vec![pos(bad)]),
        rule(
            atom("t", vec![w, var("X")]),
            vec![pos(atom("q", vec![var("X")])), cmp(CmpOp::Lt, c, var("X"))],
        ),
    ]);
    let (_, diags) = check(&p);
    assert_eq!(
        own(&diags),
        vec![
            ("unbound_variable", E, asp),
            ("arity_mismatch", E, bad_span),
            ("wildcard_in_head", E, ws),
            ("unbound_variable", E, cs),
        ]
    );
}
