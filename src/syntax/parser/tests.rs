use super::*;
use crate::syntax::ast::{AggFunc, BodyItem, CmpOp, Expr};
use crate::syntax::span::SourceFile;
use crate::value::Date;

const F: FileId = FileId(0);

/// Parses text that must be free of diagnostics.
fn ok(text: &str) -> Vec<Statement> {
    let (p, d) = parse(F, text);
    assert!(d.is_empty(), "unexpected diagnostics for {text:?}: {d:#?}");
    p.statements
}

fn rule(text: &str) -> Rule {
    match ok(text).pop() {
        Some(Statement::Rule(r)) => r,
        other => panic!("not a rule: {other:?}"),
    }
}

/// (code, line, column) of every diagnostic.
fn errs(text: &str) -> Vec<(Code, usize, usize)> {
    let f = SourceFile::new("t", text);
    parse(F, text)
        .1
        .iter()
        .map(|d| {
            let (l, c) = f.line_col(d.span.unwrap().start as usize);
            (d.code, l, c)
        })
        .collect()
}

fn slice(text: &str, span: Span) -> &str {
    &text[span.range()]
}

/// Compact rendering of expressions for structural comparisons.
fn show(e: &Expr) -> String {
    match e {
        Expr::Var(id) => id.name.clone(),
        Expr::Wildcard(_) => "_".into(),
        Expr::Const(c, _) => format!("{c:?}"),
        Expr::Binary { op, lhs, rhs, .. } => format!("{op:?}({}, {})", show(lhs), show(rhs)),
        Expr::Neg(e, _) => format!("Neg({})", show(e)),
    }
}

/// The right side of the single comparison `X = <expr>` in the body of `p :- X = <expr>.`
fn rhs_of(expr: &str) -> Expr {
    let text = format!("p :- X = {expr}.");
    match rule(&text).body.pop() {
        Some(BodyItem::Cmp { rhs, .. }) => rhs,
        other => panic!("not a comparison: {other:?}"),
    }
}

fn s(text: &str) -> Const {
    Const::Str(text.into())
}

#[test]
fn empty_input_is_an_empty_program() {
    assert!(ok("").is_empty());
    assert!(ok("  % just a comment\n\n").is_empty());
}

#[test]
fn facts() {
    let text = "member(poland, nato, 1999-03-12).";
    let r = rule(text);
    assert!(r.is_fact());
    assert_eq!(r.kind, RuleKind::Strict);
    assert!(r.label.is_none());
    assert_eq!(r.head.pred.name, "member");
    assert!(!r.head.strong_neg);
    let args: Vec<_> = r.head.args.iter().map(show).collect();
    let date = Date::parse_iso("1999-03-12").unwrap();
    assert_eq!(
        args,
        vec![
            format!("{:?}", s("poland")),
            format!("{:?}", s("nato")),
            format!("{:?}", Const::Date(date)),
        ]
    );
    assert_eq!(slice(text, r.span), "member(poland, nato, 1999-03-12)");
    assert_eq!(slice(text, r.head.span), "member(poland, nato, 1999-03-12)");

    let r = rule("alarm.");
    assert!(r.is_fact() && r.head.args.is_empty());
    let r = rule("p().");
    assert!(r.head.args.is_empty());
}

#[test]
fn symbols_and_strings_are_the_same_constant() {
    let r = rule("p(nato, \"nato\", \"Art. 5\", -3, 42).");
    let consts: Vec<_> = r
        .head
        .args
        .iter()
        .map(|e| match e {
            Expr::Const(c, _) => c.clone(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        consts,
        vec![
            s("nato"),
            s("nato"),
            s("Art. 5"),
            Const::Int(-3),
            Const::Int(42)
        ]
    );
}

#[test]
fn rules_with_all_body_items() {
    let text = "r1: ok(X, A + B) :- p(X, _), not q(X, _), ~s(X), A = 1, B != \"x\", X < 3, X <= 3, X > 1, X >= 1, true";
    let r = rule(&format!("{text}."));
    assert_eq!(r.label.as_ref().unwrap().name, "r1");
    assert_eq!(r.kind, RuleKind::Strict);
    assert_eq!(slice(text, r.span), text);
    assert_eq!(show(&r.head.args[1]), "Add(A, B)");
    assert_eq!(r.body.len(), 10);
    match &r.body[0] {
        BodyItem::Pos(a) => {
            assert_eq!(a.pred.name, "p");
            assert!(matches!(a.args[1], Expr::Wildcard(_)));
        }
        other => panic!("{other:?}"),
    }
    match &r.body[1] {
        BodyItem::Neg(a, span) => {
            assert_eq!(a.pred.name, "q");
            assert_eq!(slice(text, *span), "not q(X, _)");
            assert_eq!(slice(text, a.span), "q(X, _)");
        }
        other => panic!("{other:?}"),
    }
    match &r.body[2] {
        BodyItem::Pos(a) => {
            assert!(a.strong_neg);
            assert_eq!(slice(text, a.span), "~s(X)");
        }
        other => panic!("{other:?}"),
    }
    let ops: Vec<_> = r.body[3..9]
        .iter()
        .map(|b| match b {
            BodyItem::Cmp { op, .. } => *op,
            other => panic!("{other:?}"),
        })
        .collect();
    use CmpOp::*;
    assert_eq!(ops, vec![Eq, Ne, Lt, Le, Gt, Ge]);
    match &r.body[3] {
        BodyItem::Cmp { span, .. } => assert_eq!(slice(text, *span), "A = 1"),
        other => panic!("{other:?}"),
    }
    match &r.body[9] {
        BodyItem::Pos(a) => assert!(a.pred.name == "true" && a.args.is_empty()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn arrows_labels_and_strong_negation() {
    let r = rule("r2: ~fly(X) := penguin(X).");
    assert_eq!(r.kind, RuleKind::Defeasible);
    assert!(r.head.strong_neg);
    assert_eq!(r.label.unwrap().name, "r2");
    let r = rule("d: fly(X) :~ broken_wing(X).");
    assert_eq!(r.kind, RuleKind::Defeater);
    let r = rule("~fly(opus).");
    assert!(r.is_fact() && r.head.strong_neg);
    let text = "~fly(opus).";
    assert_eq!(slice(text, r.head.span), "~fly(opus)");
    let r = rule("p := true.");
    assert_eq!(r.kind, RuleKind::Defeasible);
    assert!(matches!(&r.body[0], BodyItem::Pos(a) if a.pred.name == "true"));
    let r = rule("f1: bird(tweety).");
    assert!(r.is_fact() && r.label.is_some());
    let r = rule("p :- not ~q.");
    assert!(matches!(&r.body[0], BodyItem::Neg(a, _) if a.strong_neg));
}

#[test]
fn superiority_and_directives() {
    let text = "r1 > r2.\n@import edge \"edges.csv\".\n@opt x Y 3 -4 2024-01-02.\n@flag.";
    let st = ok(text);
    assert_eq!(st.len(), 4);
    match &st[0] {
        Statement::Superiority(sup) => {
            assert_eq!(sup.stronger.name, "r1");
            assert_eq!(sup.weaker.name, "r2");
            assert_eq!(slice(text, sup.span), "r1 > r2");
        }
        other => panic!("{other:?}"),
    }
    match &st[1] {
        Statement::Directive(d) => {
            assert_eq!(d.name.name, "import");
            let args: Vec<_> = d.args.iter().map(|(c, _)| c.clone()).collect();
            assert_eq!(args, vec![s("edge"), s("edges.csv")]);
            assert_eq!(slice(text, d.span), "@import edge \"edges.csv\"");
            assert_eq!(slice(text, d.args[1].1), "\"edges.csv\"");
        }
        other => panic!("{other:?}"),
    }
    match &st[2] {
        Statement::Directive(d) => {
            let args: Vec<_> = d.args.iter().map(|(c, _)| c.clone()).collect();
            let date = Date::parse_iso("2024-01-02").unwrap();
            assert_eq!(
                args,
                vec![
                    s("x"),
                    s("Y"),
                    Const::Int(3),
                    Const::Int(-4),
                    Const::Date(date)
                ]
            );
            assert_eq!(slice(text, d.args[3].1), "-4");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(&st[3], Statement::Directive(d) if d.args.is_empty()));
}

#[test]
fn aggregates() {
    let text = "n(G, C) :- g(G), C = #count { X, Y : m(G, X, Y), not b(X), Y > 2 }";
    let r = rule(&format!("{text}."));
    match &r.body[1] {
        BodyItem::Agg(a) => {
            assert_eq!(a.result.name, "C");
            assert_eq!(a.func, AggFunc::Count);
            assert_eq!(a.terms.len(), 2);
            assert_eq!(a.body.len(), 3);
            assert!(matches!(a.body[1], BodyItem::Neg(..)));
            assert!(matches!(a.body[2], BodyItem::Cmp { .. }));
            assert_eq!(
                slice(text, a.span),
                "C = #count { X, Y : m(G, X, Y), not b(X), Y > 2 }"
            );
        }
        other => panic!("{other:?}"),
    }
    for (name, func) in [
        ("sum", AggFunc::Sum),
        ("min", AggFunc::Min),
        ("max", AggFunc::Max),
    ] {
        let r = rule(&format!("t(S) :- S = #{name} {{ A * 2 : v(A) }}."));
        assert!(matches!(&r.body[0], BodyItem::Agg(a) if a.func == func
            && show(&a.terms[0]) == "Mul(A, Int(2))"));
    }
}

#[test]
fn arithmetic_precedence_and_associativity() {
    assert_eq!(show(&rhs_of("1-2-3")), "Sub(Sub(Int(1), Int(2)), Int(3))");
    assert_eq!(
        show(&rhs_of("1 - 2 - 3")),
        "Sub(Sub(Int(1), Int(2)), Int(3))"
    );
    assert_eq!(
        show(&rhs_of("1 + 2 * 3 - 4 / 2 mod 3")),
        "Sub(Add(Int(1), Mul(Int(2), Int(3))), Mod(Div(Int(4), Int(2)), Int(3)))"
    );
    assert_eq!(
        show(&rhs_of("(1 + 2) * 3")),
        "Mul(Add(Int(1), Int(2)), Int(3))"
    );
    assert_eq!(show(&rhs_of("-3")), "Int(-3)");
    assert_eq!(show(&rhs_of("- 3 * Y")), "Mul(Int(-3), Y)");
    assert_eq!(show(&rhs_of("-Y")), "Neg(Y)");
    assert_eq!(show(&rhs_of("-(1 + Y)")), "Neg(Add(Int(1), Y))");
    assert_eq!(show(&rhs_of("--3")), "Neg(Int(-3))");
    assert_eq!(show(&rhs_of("Y-1")), "Sub(Y, Int(1))");
    assert_eq!(show(&rhs_of("2024-02-29")), {
        let d = Date::parse_iso("2024-02-29").unwrap();
        format!("{:?}", Const::Date(d))
    });
    assert_eq!(
        show(&rhs_of("-9223372036854775808")),
        "Int(-9223372036854775808)"
    );
    assert_eq!(
        show(&rhs_of("9223372036854775807")),
        "Int(9223372036854775807)"
    );
}

#[test]
fn expression_spans_are_exact() {
    let text = "p :- X = (1 + Y) * -3, Z = - W.";
    let r = rule(text);
    let BodyItem::Cmp { rhs, span, .. } = &r.body[0] else {
        panic!()
    };
    assert_eq!(slice(text, *span), "X = (1 + Y) * -3");
    assert_eq!(slice(text, rhs.span()), "(1 + Y) * -3");
    let Expr::Binary { lhs, rhs: r2, .. } = rhs else {
        panic!()
    };
    assert_eq!(slice(text, lhs.span()), "1 + Y");
    assert_eq!(slice(text, r2.span()), "-3");
    let BodyItem::Cmp { rhs, .. } = &r.body[1] else {
        panic!()
    };
    assert_eq!(slice(text, rhs.span()), "- W");
}

#[test]
fn integer_limits() {
    assert_eq!(
        errs("p(9223372036854775808).\nq(-9223372036854775808).\nr(99999999999999999999)."),
        vec![
            (Code::IntegerOutOfRange, 1, 3),
            (Code::IntegerOutOfRange, 3, 3)
        ]
    );
    assert_eq!(
        errs("p(-9223372036854775809)."),
        vec![(Code::IntegerOutOfRange, 1, 4)]
    );
}

#[test]
fn lexical_errors_are_reported_with_positions() {
    assert_eq!(errs("p(2024-02-30)."), vec![(Code::InvalidDate, 1, 3)]);
    assert!(errs("p(2024-02-29).").is_empty());
    assert_eq!(errs("p(a) $ .\nq(b)."), vec![(Code::InvalidToken, 1, 6)]);
    assert_eq!(errs("p(\"a\\qb\")."), vec![(Code::InvalidEscape, 1, 5)]);
    // The unterminated string is the only error: the statement it broke is not reported again.
    assert_eq!(
        errs("p(\"abc).\nq(b)."),
        vec![(Code::UnterminatedString, 1, 3)]
    );
    assert_eq!(errs("p(\"abc"), vec![(Code::UnterminatedString, 1, 3)]);
    assert_eq!(
        errs("\"abc\n) q.\nr(1 2)."),
        vec![
            (Code::UnterminatedString, 1, 1),
            (Code::SyntaxError, 1, 1),
            (Code::SyntaxError, 2, 1),
            (Code::SyntaxError, 3, 5)
        ]
    );
    // the rest of the file still parses
    let (prog, _) = parse(F, "p(\"abc).\nq(b).");
    assert!(
        prog.statements
            .iter()
            .any(|st| matches!(st, Statement::Rule(r) if r.head.pred.name == "q"))
    );
}

#[test]
fn syntax_errors_have_messages_and_hints() {
    let (_, d) = parse(F, "p(a)\n");
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].code, Code::SyntaxError);
    assert!(d[0].message.contains("expected") && d[0].message.contains("end of file"));
    assert_eq!(d[0].hint.as_deref(), Some("statements end with `.`"));

    let (_, d) = parse(F, "P(X) :- q(X).");
    assert_eq!(
        d[0].hint.as_deref(),
        Some("predicates and rule labels start with a lowercase letter")
    );
    let (_, d) = parse(F, "p(X) :- Q(X).");
    assert_eq!(
        d[0].hint.as_deref(),
        Some("predicates start with a lowercase letter")
    );
    let (_, d) = parse(F, "p(X) :- q(X), c = #count { Y : r(Y) }.");
    assert!(d[0].hint.as_deref().unwrap().contains("uppercase"));
    assert_eq!(d[0].message, "the result of `#count` must be a variable");
}

#[test]
fn syntax_error_positions() {
    assert_eq!(errs("p(a b)."), vec![(Code::SyntaxError, 1, 5)]);
    assert_eq!(errs("p :- ."), vec![(Code::SyntaxError, 1, 6)]);
    assert_eq!(errs("p(X) :- q(X), ."), vec![(Code::SyntaxError, 1, 15)]);
    assert_eq!(errs(") p."), vec![(Code::SyntaxError, 1, 1)]);
    assert_eq!(errs("r1 > ."), vec![(Code::SyntaxError, 1, 6)]);
    assert_eq!(errs("@import edge (x)."), vec![(Code::SyntaxError, 1, 14)]);
    assert_eq!(
        errs("p :- X = #sum { X }."),
        vec![(Code::SyntaxError, 1, 19)]
    );
    assert_eq!(
        errs("p :- X = #sum { X : q(X), Y = #count { Z : r(Z) } }."),
        vec![(Code::SyntaxError, 1, 31)]
    );
    assert_eq!(
        errs("p :- X < #max { X : q(X) }."),
        vec![(Code::SyntaxError, 1, 6)]
    );
    assert_eq!(errs("p :- 1 < X < 3."), vec![(Code::SyntaxError, 1, 12)]);
    assert_eq!(errs("p :- X."), vec![(Code::SyntaxError, 1, 7)]);
    assert_eq!(errs("not(a)."), vec![(Code::SyntaxError, 1, 1)]);
    assert_eq!(errs("p(X) : q(X)."), vec![(Code::SyntaxError, 1, 6)]);
    assert_eq!(errs("p(X) :- q(X"), vec![(Code::SyntaxError, 1, 12)]);
}

#[test]
fn every_error_in_a_file_is_reported_and_good_statements_kept() {
    let text = "good(1).\n\
                bad(1 2).\n\
                p(X) :- q(X) r(X).\n\
                also_good(2).\n\
                x :- Y = .\n\
                p(2024-13-01).\n\
                last(3).";
    assert_eq!(
        errs(text),
        vec![
            (Code::SyntaxError, 2, 7),
            (Code::SyntaxError, 3, 14),
            (Code::SyntaxError, 5, 10),
            (Code::InvalidDate, 6, 3),
        ]
    );
    let (prog, _) = parse(F, text);
    let names: Vec<_> = prog
        .statements
        .iter()
        .map(|st| match st {
            Statement::Rule(r) => r.head.pred.name.clone(),
            _ => String::new(),
        })
        .collect();
    assert_eq!(names, vec!["good", "also_good", "p", "last"]);
}

#[test]
fn a_forgotten_dot_before_a_new_line_does_not_hide_the_next_statement() {
    let text = "p(a)\nq(b).\nr(X) :- q(X)\ns(c).";
    assert_eq!(
        errs(text),
        vec![(Code::SyntaxError, 2, 1), (Code::SyntaxError, 4, 1)]
    );
    let (prog, _) = parse(F, text);
    assert_eq!(prog.statements.len(), 2);
}

#[test]
fn recovery_skips_dots_inside_new_parentheses_only() {
    // The error is at `b`; the `.` inside the braces opened afterwards does not end recovery.
    let text = "p(a b { . } ).\nq(c).";
    assert_eq!(errs(text), vec![(Code::SyntaxError, 1, 5)]);
    let (prog, _) = parse(F, text);
    assert_eq!(prog.statements.len(), 1);
}

/// Regression (fuzzing issue 8): a flat chain of 100,000 operators built a tree 100,000 levels
/// deep that overflowed the stack in the checker; each operator now counts as a level.
#[test]
fn long_operator_chains_are_bounded_like_nesting() {
    for op in ["+", "-", "*", "/", " mod "] {
        let chain = vec!["1"; 100_000].join(op);
        let (_, d) = parse(F, &format!("p(X) :- X = {chain}.\nq(a)."));
        assert_eq!(d.len(), 1, "{op}");
        assert_eq!(d[0].message, "expression nested too deeply");
    }
    let ok = vec!["1"; 200].join("+");
    assert!(parse(F, &format!("p(X) :- X = {ok}.")).1.is_empty());
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("p({}1{}).", "(".repeat(100_000), ")".repeat(100_000));
    let (_, d) = parse(F, &deep);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "expression nested too deeply");
    let open_only = "(".repeat(100_000);
    let (_, d) = parse(F, &format!("p :- X = {open_only}"));
    assert_eq!(d.len(), 1);
    let minus = format!("p :- X = {}Y.", "-".repeat(100_000));
    let (_, d) = parse(F, &minus);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].message, "expression nested too deeply");
    // 256 levels are fine.
    let ok_depth = format!("p :- X = {}1{}.", "(".repeat(256), ")".repeat(256));
    assert!(parse(F, &ok_depth).1.is_empty());
    let too_deep = format!("p :- X = {}1{}.", "(".repeat(257), ")".repeat(257));
    assert_eq!(parse(F, &too_deep).1.len(), 1);
    // Raw parentheses at statement level are a plain syntax error, too.
    let (_, d) = parse(F, &open_only);
    assert_eq!(d.len(), 1);
}

#[test]
fn diagnostics_are_sorted_by_position() {
    let (_, d) = parse(F, "p(a b).\nq(2024-02-30).\nr(\"\\q\" c).");
    let starts: Vec<_> = d.iter().map(|d| d.span.unwrap().start).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    assert_eq!(d.len(), 4);
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn parse_never_panics_on_strings(text in "\\PC*") {
            let _ = parse(F, &text);
        }

        #[test]
        fn parse_never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = parse(F, &text);
        }

        #[test]
        fn parse_never_panics_on_token_soup(
            parts in proptest::collection::vec(
                prop::sample::select(vec![
                    "p", "X", "_", "(", ")", "{", "}", ",", ".", ":", ":-", ":=", ":~", "~",
                    "=", "!=", "<", ">=", "+", "-", "*", "/", "mod", "not", "#count", "#sum",
                    "@import", "\"s\"", "\"", "3", "9223372036854775808", "2024-02-29",
                    "2024-02-30", "%", "\n", " ", "é", "r1", "true",
                ]),
                0..60,
            )
        ) {
            let text: String = parts.concat();
            let (_, diags) = parse(F, &text);
            for d in diags {
                let span = d.span.unwrap();
                prop_assert!(span.start <= span.end && span.end as usize <= text.len());
                prop_assert!(text.is_char_boundary(span.start as usize));
                prop_assert!(text.is_char_boundary(span.end as usize));
            }
        }
    }
}

#[test]
fn no_second_error_right_after_invalid_characters() {
    assert_eq!(
        errs("w :- q(X) & r(X).\nok(1).\n$ ) q."),
        vec![
            (Code::InvalidToken, 1, 11),
            (Code::InvalidToken, 3, 1),
            (Code::SyntaxError, 3, 3)
        ]
    );
}

#[test]
fn messages_name_what_was_expected_and_found() {
    let (_, d) = parse(F, "r(X) :- q(X), X == 3.");
    assert_eq!(
        d[0].message,
        "expected a term (a variable, constant or `(`), found `=`"
    );
    assert_eq!(
        d[0].hint.as_deref(),
        Some("equality is written with a single `=`")
    );
    let (_, d) = parse(F, "u(\"a\" b).");
    assert_eq!(
        d[0].message,
        "expected `,` or `)` in the arguments of `u`, found `b`"
    );
    let (_, d) = parse(F, "s(X) :- q(X), not X = 3.");
    assert_eq!(
        d[0].message,
        "expected an atom after `not`, found variable `X`"
    );
    let (_, d) = parse(F, "p :- q(\"x\" \"y\").");
    assert!(d[0].message.ends_with("found string \"y\""));
}
