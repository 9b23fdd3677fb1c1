//! Tests of aggregate safety.

use super::super::testutil::*;
use crate::check::check;
use crate::diag::{Code, Severity};
use crate::syntax::ast::{AggFunc, CmpOp};

const E: Severity = Severity::Error;
const W: Severity = Severity::Warning;

#[test]
fn grouped_count_is_fine() {
    // size(G, N) :- group(G), N = #count { M : member(G, M) }.
    let p = prog(vec![
        fact(atom("group", vec![sym("g")])),
        fact(atom("member", vec![sym("g"), sym("a")])),
        rule(
            atom("size", vec![var("G"), var("N")]),
            vec![
                pos(atom("group", vec![var("G")])),
                agg(
                    "N",
                    AggFunc::Count,
                    vec![var("M")],
                    vec![pos(atom("member", vec![var("G"), var("M")]))],
                ),
            ],
        ),
    ]);
    let (_, diags) = check(&p);
    assert!(diags.is_empty(), "{diags:?}");
}

#[test]
fn global_variable_must_be_bound_outside() {
    // size(G, N) :- N = #count { M : member(G, M) }.
    let g = var("G");
    let gs = g.span();
    let p = prog(vec![rule(
        atom("size", vec![var("G"), var("N")]),
        vec![agg(
            "N",
            AggFunc::Count,
            vec![var("M")],
            vec![pos(atom("member", vec![g, var("M")]))],
        )],
    )]);
    let (_, diags) = check(&p);
    // The head G comes first in the source and is the one reported.
    let got = own(&diags);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "unbound_variable");
    assert_ne!(got[0].2, gs);

    // n(N) :- N = #count { M : member(G, M) }, G > 1.   G reported inside the aggregate.
    let g = var("G");
    let gs = g.span();
    let p = prog(vec![rule(
        atom("n", vec![var("N")]),
        vec![
            agg(
                "N",
                AggFunc::Count,
                vec![var("M")],
                vec![pos(atom("member", vec![g, var("M")]))],
            ),
            cmp(CmpOp::Gt, var("G"), int(1)),
        ],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(own(&diags), vec![("unbound_variable", E, gs)]);
    assert!(
        diags[0]
            .message
            .contains("shared by the aggregate and the rest of the rule")
    );
}

#[test]
fn global_variable_must_occur_in_a_positive_atom_of_the_aggregate() {
    // n(G, N) :- group(G), N = #count { M : member(M), M != G }.
    let g = var("G");
    let gs = g.span();
    let p = prog(vec![rule(
        atom("n", vec![var("G"), var("N")]),
        vec![
            pos(atom("group", vec![var("G")])),
            agg(
                "N",
                AggFunc::Count,
                vec![var("M")],
                vec![
                    pos(atom("member", vec![var("M")])),
                    cmp(CmpOp::Ne, var("M"), g),
                ],
            ),
        ],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(own(&diags), vec![("invalid_aggregate", E, gs)]);
    assert!(
        diags[0]
            .hint
            .as_ref()
            .unwrap()
            .contains("positive atom inside the aggregate")
    );
}

#[test]
fn local_variables_must_be_bound_inside() {
    // s(N) :- N = #sum { V : item(X), V > 0 }.   V unbound (at the term), X singleton.
    let v = var("V");
    let vs = v.span();
    let x = var("X");
    let xs = x.span();
    let p = prog(vec![rule(
        atom("s", vec![var("N")]),
        vec![agg(
            "N",
            AggFunc::Sum,
            vec![v],
            vec![pos(atom("item", vec![x])), cmp(CmpOp::Gt, var("V"), int(0))],
        )],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(
        own(&diags),
        vec![("unbound_variable", E, vs), ("singleton_variable", W, xs)]
    );
    assert!(diags[0].message.contains("in the aggregate is not bound"));
}

#[test]
fn equality_inside_the_aggregate_binds() {
    // s(N) :- N = #sum { W : item(X), W = X * 2 }.
    let p = prog(vec![rule(
        atom("s", vec![var("N")]),
        vec![agg(
            "N",
            AggFunc::Sum,
            vec![var("W")],
            vec![
                pos(atom("item", vec![var("X")])),
                eq(
                    var("W"),
                    bin(crate::syntax::ast::BinOp::Mul, var("X"), int(2)),
                ),
            ],
        )],
    )]);
    let (_, diags) = check(&p);
    assert!(own(&diags).is_empty(), "{diags:?}");
}

#[test]
fn sum_min_max_need_a_term_count_does_not() {
    let a = agg(
        "N",
        AggFunc::Max,
        vec![],
        vec![pos(atom("item", vec![var("_X")]))],
    );
    let aspan = item_span(&a);
    let p = prog(vec![
        rule(atom("m", vec![var("N")]), vec![a]),
        rule(
            atom("c", vec![var("N")]),
            vec![agg(
                "N",
                AggFunc::Count,
                vec![],
                vec![pos(atom("item", vec![var("_X")]))],
            )],
        ),
    ]);
    let (_, diags) = check(&p);
    assert_eq!(own(&diags), vec![("invalid_aggregate", E, aspan)]);
    let d = with_code(&diags, Code::InvalidAggregate)[0];
    assert_eq!(d.message, "`#max` needs at least one element term");
}

#[test]
fn result_variable_inside_its_own_aggregate() {
    let n = var("N");
    let ns = n.span();
    let p = prog(vec![rule(
        atom("c", vec![var("N")]),
        vec![agg(
            "N",
            AggFunc::Count,
            vec![n],
            vec![pos(atom("item", vec![var("N")]))],
        )],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(own(&diags), vec![("invalid_aggregate", E, ns)]);
}

#[test]
fn negation_local_inside_aggregate_and_singletons_count_aggregates() {
    // c(N) :- q(Z), N = #count { X : p(X), not r(X, Y) }.   Y: negation-local, Z: singleton.
    let z = var("Z");
    let zs = z.span();
    let y = var("Y");
    let ys = y.span();
    let p = prog(vec![rule(
        atom("c", vec![var("N")]),
        vec![
            pos(atom("q", vec![z])),
            agg(
                "N",
                AggFunc::Count,
                vec![var("X")],
                vec![
                    pos(atom("p", vec![var("X")])),
                    not(atom("r", vec![var("X"), y])),
                ],
            ),
        ],
    )]);
    let (_, diags) = check(&p);
    assert_eq!(
        own(&diags),
        vec![
            ("singleton_variable", W, zs),
            ("negation_local_variable", W, ys)
        ]
    );
    assert!(with_code(&diags, Code::UnboundVariable).is_empty());
}

#[test]
fn wildcard_element_and_nested_aggregate_are_invalid() {
    let w = wild();
    let ws = w.span();
    let nested = agg(
        "M",
        AggFunc::Count,
        vec![var("Y")],
        vec![pos(atom("q", vec![var("Y")]))],
    );
    let nspan = item_span(&nested);
    let p = prog(vec![rule(
        atom("c", vec![var("N")]),
        vec![agg(
            "N",
            AggFunc::Count,
            vec![w],
            vec![pos(atom("p", vec![var("_X")])), nested],
        )],
    )]);
    let (_, diags) = check(&p);
    let got = own(&diags);
    assert!(got.contains(&("invalid_aggregate", E, ws)), "{got:?}");
    assert!(got.contains(&("invalid_aggregate", E, nspan)), "{got:?}");
}
