//! Differential property tests: the Pacta engine against a naive reference evaluator.
//!
//! Random stratified, safe programs (see `support/generator.rs`; about half of them have
//! aggregates, in bind and compare mode) are printed in Pacta's surface syntax, evaluated by
//! `pacta::driver::eval_text`, and every relation is compared, as a set of tuples, with the
//! reference evaluator's answer (`support/reference.rs`). A few fixed programs with known
//! pitfalls are compared the same way.
//!
//! The model must contain *every* predicate occurring in the program (the `Model` contract),
//! including ones that are only used and end up empty: a missing relation is reported as a
//! difference. Relations that the engine adds beyond these are not checked.
//!
//! Run with `cargo test --release --test prop_engine` (1000 programs per property, about a
//! second); `PROPTEST_CASES=20000` for a longer soak.

mod support;

use pacta::diag::Diagnostic;
use pacta::driver::{Model, eval_text};
use pacta::value::{Const, Date};
use proptest::prelude::*;
use std::collections::BTreeSet;
use support::generator::raw_program_with_aggregates as raw_program;
use support::reference::{
    AggFunc, Aggregate, ArithOp, CmpOp, Expr, Literal, Program, Rule, Stmt, Term, atom, ei, ev,
    fact, int, print_const, rule, sym, v,
};

fn show_diagnostics(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| format!("  [{}] {}", d.code.as_str(), d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

fn show_tuple(rel: &str, t: &[Const]) -> String {
    if t.is_empty() {
        rel.to_string()
    } else {
        let args: Vec<String> = t.iter().map(print_const).collect();
        format!("{rel}({})", args.join(", "))
    }
}

fn show_tuples<'a>(rel: &str, ts: impl IntoIterator<Item = &'a Vec<Const>>) -> String {
    let v: Vec<String> = ts.into_iter().map(|t| show_tuple(rel, t)).collect();
    if v.is_empty() {
        "(none)".to_string()
    } else {
        v.join(" ")
    }
}

/// Evaluates the program with the engine, or explains why it could not.
fn engine(text: &str) -> Result<Model, String> {
    match eval_text(text) {
        Ok((model, _warnings)) => Ok(model),
        Err(diags) => Err(format!(
            "the engine rejected a valid program:\n--- program ---\n{text}--- diagnostics ---\n{}",
            show_diagnostics(&diags)
        )),
    }
}

/// Compares the engine with the reference on every relation of the program; on mismatch the
/// message holds the program text and each differing relation (missing and extra tuples).
fn check_against_reference(program: &Program) -> Result<(), String> {
    let text = program.to_source();
    let expected = program.evaluate();
    let model = engine(&text)?;
    let mut problems = Vec::new();
    for (rel, want) in &expected {
        let Some(got) = model.relations.get(rel) else {
            problems.push(format!(
                "relation `{rel}` is missing from the model (expected {})",
                show_tuples(rel, want)
            ));
            continue;
        };
        if !got.windows(2).all(|w| w[0] < w[1]) {
            problems.push(format!(
                "relation `{rel}` is not sorted and distinct: {}",
                show_tuples(rel, got)
            ));
        }
        let got: BTreeSet<Vec<Const>> = got.iter().cloned().collect();
        if &got != want {
            problems.push(format!(
                "relation `{rel}` differs\n  expected: {}\n  engine:   {}\n  missing:  {}\n  extra:    {}",
                show_tuples(rel, want),
                show_tuples(rel, &got),
                show_tuples(rel, want.difference(&got)),
                show_tuples(rel, got.difference(want)),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "engine and reference disagree\n--- program ---\n{text}--- differences ---\n{}",
            problems.join("\n")
        ))
    }
}

/// The reference answer is a fixpoint of the program: base facts plus one application of all
/// rules gives back exactly the answer (it is closed under the rules and every tuple is
/// supported). Also checks that every predicate of the program is in the answer.
fn check_reference_is_fixpoint(program: &Program) -> Result<(), String> {
    let out = program.evaluate();
    let text = program.to_source();
    let preds: BTreeSet<String> = program.predicates().into_keys().collect();
    let keys: BTreeSet<String> = out.keys().cloned().collect();
    if preds != keys {
        return Err(format!(
            "predicates {preds:?} but answer has {keys:?}\n{text}"
        ));
    }
    let mut again: BTreeSet<(String, Vec<Const>)> = program.consequences(&out);
    for s in &program.stmts {
        if let Stmt::Fact(p, t) = s {
            again.insert((p.clone(), t.clone()));
        }
    }
    let flat: BTreeSet<(String, Vec<Const>)> = out
        .iter()
        .flat_map(|(p, ts)| ts.iter().map(move |t| (p.clone(), t.clone())))
        .collect();
    if again != flat {
        let diff: Vec<_> = again.symmetric_difference(&flat).collect();
        return Err(format!(
            "reference answer is not a fixpoint: {diff:?}\n{text}"
        ));
    }
    Ok(())
}

proptest! {
    #![proptest_config(support::config())]

    /// The engine computes the same model as the reference on random stratified programs.
    #[test]
    fn engine_agrees_with_reference(raw in raw_program()) {
        let program = raw.build();
        check_against_reference(&program).map_err(TestCaseError::fail)?;
    }

    /// Evaluating the same program twice, with its statements in reverse order, or spelled
    /// differently (every symbol quoted, comments, line breaks), gives the same model (and, for the same text, the
    /// same warnings).
    #[test]
    fn engine_is_deterministic_and_order_independent(raw in raw_program()) {
        let program = raw.build();
        let text = program.to_source();
        let mut reversed = program.clone();
        reversed.stmts.reverse();
        let rtext = reversed.to_source();
        let first = eval_text(&text);
        let second = eval_text(&text);
        prop_assert_eq!(&first, &second, "two runs differ on\n{}", text);
        let (model, _) = first.map_err(|d| TestCaseError::fail(format!(
            "rejected:\n{text}{}", show_diagnostics(&d))))?;
        let (rmodel, _) = eval_text(&rtext).map_err(|d| TestCaseError::fail(format!(
            "rejected:\n{rtext}{}", show_diagnostics(&d))))?;
        prop_assert_eq!(&model, &rmodel, "statement order changes the model:\n--- program ---\n{}--- reversed ---\n{}", text, rtext);
        let qtext = program.to_source_verbose();
        let (qmodel, _) = eval_text(&qtext).map_err(|d| TestCaseError::fail(format!(
            "rejected:\n{qtext}{}", show_diagnostics(&d))))?;
        prop_assert_eq!(&model, &qmodel, "spelling (quoted symbols, comments, line breaks) changes the model:\n--- program ---\n{}--- quoted ---\n{}", text, qtext);
    }

    /// Sanity check of the reference itself (and of the generator: every generated program is
    /// safe, stratified and terminates): its answer is a supported fixpoint of the program.
    #[test]
    fn reference_answer_is_a_fixpoint(raw in raw_program()) {
        let program = raw.build();
        check_reference_is_fixpoint(&program).map_err(TestCaseError::fail)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed programs with known pitfalls, engine against reference.

fn s(x: &str) -> Const {
    Const::Str(x.into())
}

fn i(n: i64) -> Const {
    Const::Int(n)
}

fn assert_agrees(stmts: Vec<Stmt>) {
    let program = Program { stmts };
    check_reference_is_fixpoint(&program).unwrap_or_else(|e| panic!("{e}"));
    check_against_reference(&program).unwrap_or_else(|e| panic!("{e}"));
}

/// Negation over a relation that is empty: never defined at all (a warning, not an error), or
/// defined by a rule that derives nothing.
#[test]
fn negation_over_empty_relations() {
    assert_agrees(vec![
        fact("e", vec![i(1), s("a")]),
        fact("e", vec![i(2), s("b")]),
        rule(
            "nothing",
            &["X"],
            vec![
                Literal::Pos(atom("e", vec![v("X"), Term::Wild])),
                Literal::Cmp(ev("X"), CmpOp::Gt, ei(100)),
            ],
        ),
        rule(
            "q",
            &["X", "Y"],
            vec![
                Literal::Neg(atom("undefined", vec![v("X")])),
                Literal::Pos(atom("e", vec![v("X"), v("Y")])),
                Literal::Neg(atom("nothing", vec![Term::Wild])),
            ],
        ),
    ]);
}

/// 0-ary predicates as facts, heads, positive and negated body atoms.
#[test]
fn zero_ary_predicates() {
    assert_agrees(vec![
        fact("flag", vec![]),
        fact("e", vec![i(1), s("a")]),
        fact("e", vec![i(2), s("b")]),
        rule(
            "alarm",
            &[],
            vec![Literal::Pos(atom("e", vec![Term::Wild, sym("b")]))],
        ),
        rule(
            "silent",
            &[],
            vec![Literal::Pos(atom("e", vec![Term::Wild, sym("c")]))],
        ),
        rule(
            "calm",
            &[],
            vec![
                Literal::Pos(atom("flag", vec![])),
                Literal::Neg(atom("alarm", vec![])),
            ],
        ),
        rule(
            "go",
            &["X"],
            vec![
                Literal::Pos(atom("e", vec![v("X"), Term::Wild])),
                Literal::Pos(atom("alarm", vec![])),
                Literal::Neg(atom("silent", vec![])),
            ],
        ),
        rule("loop", &[], vec![Literal::Pos(atom("loop", vec![]))]),
    ]);
}

/// Self-joins and repeated variables in one atom: `p(X, X)`, `e(X, Y), e(Y, X)`, and a
/// negated atom with a repeated local variable (`not t(X, P, P)`).
#[test]
fn self_joins_and_repeated_variables() {
    let mut stmts = Vec::new();
    for (a, b) in [(1, 1), (1, 2), (2, 1), (2, 3), (3, 3), (4, 2)] {
        stmts.push(fact("e", vec![i(a), i(b)]));
    }
    stmts.push(fact("t", vec![i(1), i(5), i(5)]));
    stmts.push(fact("t", vec![i(2), i(5), i(6)]));
    stmts.extend([
        rule(
            "loop",
            &["X"],
            vec![Literal::Pos(atom("e", vec![v("X"), v("X")]))],
        ),
        rule(
            "sym",
            &["X", "Y"],
            vec![
                Literal::Pos(atom("e", vec![v("X"), v("Y")])),
                Literal::Pos(atom("e", vec![v("Y"), v("X")])),
            ],
        ),
        rule(
            "path",
            &["X", "Y"],
            vec![Literal::Pos(atom("e", vec![v("X"), v("Y")]))],
        ),
        rule(
            "path",
            &["X", "Z"],
            vec![
                Literal::Pos(atom("path", vec![v("X"), v("Y")])),
                Literal::Pos(atom("path", vec![v("Y"), v("Z")])),
            ],
        ),
        rule(
            "cyclic",
            &["X"],
            vec![Literal::Pos(atom("path", vec![v("X"), v("X")]))],
        ),
        rule(
            "nodouble",
            &["X"],
            vec![
                Literal::Pos(atom("e", vec![v("X"), Term::Wild])),
                Literal::Neg(atom("t", vec![v("X"), v("P"), v("P")])),
            ],
        ),
    ]);
    assert_agrees(stmts);
}

/// Constants in body atoms, in the first ("key") position and elsewhere, including quoted
/// strings that are the same constant as a bare symbol, and dates.
#[test]
fn constants_in_body_atoms() {
    let day = Const::Date(Date::from_ymd(1999, 3, 12).unwrap());
    assert_agrees(vec![
        fact("m", vec![s("poland"), s("nato"), day.clone()]),
        fact("m", vec![s("Art. 5"), s("nato"), i(3)]),
        fact("m", vec![s("czechia"), s("eu"), i(-4)]),
        fact("k", vec![i(1), s("x")]),
        fact("k", vec![i(2), s("y")]),
        fact("k", vec![i(1), s("z")]),
        rule(
            "ones",
            &["Y"],
            vec![Literal::Pos(atom("k", vec![int(1), v("Y")]))],
        ),
        rule(
            "nato",
            &["S"],
            vec![Literal::Pos(atom(
                "m",
                vec![v("S"), sym("nato"), Term::Wild],
            ))],
        ),
        rule(
            "quoted",
            &["D"],
            vec![Literal::Pos(atom(
                "m",
                vec![sym("Art. 5"), Term::Wild, v("D")],
            ))],
        ),
        rule(
            "early",
            &["S"],
            vec![
                Literal::Pos(atom("m", vec![v("S"), Term::Wild, v("D")])),
                Literal::Cmp(
                    ev("D"),
                    CmpOp::Lt,
                    Expr::Const(Const::Date(Date::from_ymd(2000, 1, 1).unwrap())),
                ),
            ],
        ),
        rule(
            "nok",
            &["X"],
            vec![
                Literal::Pos(atom("k", vec![v("X"), Term::Wild])),
                Literal::Neg(atom("k", vec![v("X"), sym("y")])),
            ],
        ),
    ]);
}

/// Comparisons across kinds, bindings written before the atoms that bind their inputs, head
/// arithmetic, and bounded counting recursion.
#[test]
fn comparisons_bindings_and_arithmetic() {
    let plus = |x: &str, c: i64| Expr::Bin(Box::new(ev(x)), ArithOp::Add, Box::new(ei(c)));
    let mut stmts = vec![
        fact("n", vec![i(0)]),
        fact("n", vec![i(3)]),
        fact("n", vec![s("a")]),
        fact("n", vec![s("b")]),
        fact("n", vec![Const::Date(Date::from_ymd(2024, 2, 29).unwrap())]),
    ];
    for op in [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ] {
        let name = format!("{op:?}").to_lowercase();
        stmts.push(rule(
            &name,
            &["X", "Y"],
            vec![
                Literal::Pos(atom("n", vec![v("X")])),
                Literal::Pos(atom("n", vec![v("Y")])),
                Literal::Cmp(ev("X"), op, ev("Y")),
            ],
        ));
    }
    stmts.extend([
        rule(
            "succ",
            &["X", "Z"],
            vec![
                Literal::Cmp(ev("Z"), CmpOp::Eq, plus("X", 1)),
                Literal::Pos(atom("n", vec![v("X")])),
            ],
        ),
        rule(
            "cnt",
            &["Z"],
            vec![
                Literal::Cmp(ev("Z"), CmpOp::Lt, ei(9)),
                Literal::Pos(atom("cnt", vec![v("X")])),
                Literal::Cmp(plus("X", 2), CmpOp::Eq, ev("Z")),
            ],
        ),
        rule("cnt", &["X"], vec![Literal::Pos(atom("n", vec![v("X")]))]),
        Stmt::Rule(Rule {
            head: "calc".into(),
            head_args: vec![
                ev("X"),
                Expr::Bin(
                    Box::new(Expr::Bin(Box::new(ev("X")), ArithOp::Sub, Box::new(ei(5)))),
                    ArithOp::Mul,
                    Box::new(ev("X")),
                ),
            ],
            body: vec![Literal::Pos(atom("n", vec![v("X")]))],
        }),
    ]);
    assert_agrees(stmts);
}

/// Guards against a degenerate generator: over many programs, rules must derive something
/// fairly often and the interesting features must all occur. Run with `--nocapture` to see the
/// statistics and a sample program.
#[test]
fn generator_produces_interesting_programs() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = raw_program();
    let (mut idb, mut nonempty, mut tuples, mut neg, mut cmp, mut recursive) = (0, 0, 0, 0, 0, 0);
    let mut max_rel = 0;
    // Aggregates: programs with one, rules with one, compare mode (result bound by an atom),
    // with group variables, per function, and aggregate rules whose head is non-empty.
    let (mut agg_programs, mut agg_rules, mut compare, mut grouped, mut agg_nonempty) =
        (0, 0, 0, 0, 0);
    let mut funcs = [0usize; 4];
    let programs = 1000;
    for n in 0..programs {
        let program = strategy.new_tree(&mut runner).unwrap().current().build();
        if n < 2 {
            println!("--- sample program {n} ---\n{}", program.to_source());
        }
        let out = program.evaluate();
        let mut heads = BTreeSet::new();
        let mut has_agg = false;
        for s in &program.stmts {
            let Stmt::Rule(r) = s else { continue };
            heads.insert(r.head.clone());
            for l in &r.body {
                let Literal::Agg(g) = l else { continue };
                has_agg = true;
                agg_rules += 1;
                agg_nonempty += !out[&r.head].is_empty() as usize;
                funcs[g.func as usize] += 1;
                let outside: BTreeSet<String> = r
                    .body
                    .iter()
                    .filter_map(|l| match l {
                        Literal::Pos(a) => Some(a.args.iter().filter_map(|t| match t {
                            Term::Var(x) => Some(x.clone()),
                            _ => None,
                        })),
                        _ => None,
                    })
                    .flatten()
                    .collect();
                compare += outside.contains(&g.result) as usize;
                grouped += g.body.iter().any(|l| {
                    matches!(l, Literal::Pos(a) if a.args.iter().any(
                        |t| matches!(t, Term::Var(x) if outside.contains(x))))
                }) as usize;
            }
            neg += r.body.iter().any(|l| matches!(l, Literal::Neg(_))) as usize;
            cmp += r.body.iter().any(|l| matches!(l, Literal::Cmp(..))) as usize;
            recursive += r
                .body
                .iter()
                .any(|l| matches!(l, Literal::Pos(a) if a.pred == r.head))
                as usize;
        }
        for h in &heads {
            idb += 1;
            nonempty += !out[h].is_empty() as usize;
        }
        agg_programs += has_agg as usize;
        tuples += out.values().map(|t| t.len()).sum::<usize>();
        max_rel = max_rel.max(out.values().map(|t| t.len()).max().unwrap_or(0));
    }
    println!(
        "{programs} programs: {idb} derived relations, {nonempty} non-empty; {tuples} tuples in \
         all, largest relation {max_rel}; rules with negation {neg}, with comparison {cmp}, \
         directly recursive {recursive}"
    );
    assert!(
        nonempty * 3 >= idb,
        "too few derived relations are non-empty"
    );
    println!(
        "aggregates: in {agg_programs} programs, {agg_rules} rules ({agg_nonempty} with a \
         non-empty head relation), {compare} comparing their result, {grouped} with group \
         variables; count/sum/min/max {funcs:?}"
    );
    assert!(neg > 100 && cmp > 100 && recursive > 100);
    assert!(
        agg_programs * 3 >= programs,
        "too few programs with aggregates"
    );
    assert!(compare > 50 && grouped > 100 && agg_nonempty * 4 >= agg_rules);
    assert!(funcs.iter().all(|&n| n > 50));
}

/// Arithmetic without a value — on a string or a date, or dividing by zero — makes the rule
/// instance yield nothing: in heads, bindings, comparisons, and body atoms, negated ones too
/// (`not n(X + 0)` with `X` a string does *not* hold vacuously).
#[test]
fn valueless_arithmetic_yields_nothing() {
    let bin = |a: Expr, op, b: Expr| Expr::Bin(Box::new(a), op, Box::new(b));
    let n = |x: &str| Literal::Pos(atom("n", vec![v(x)]));
    let mut stmts = vec![
        fact("n", vec![i(0)]),
        fact("n", vec![i(-7)]),
        fact("n", vec![i(2)]),
        fact("n", vec![s("a")]),
        fact("n", vec![Const::Date(Date::from_ymd(2024, 2, 29).unwrap())]),
        Stmt::Rule(Rule {
            head: "divmod".into(),
            head_args: vec![
                ev("X"),
                ev("Y"),
                bin(ev("X"), ArithOp::Div, ev("Y")),
                bin(ev("X"), ArithOp::Mod, ev("Y")),
            ],
            body: vec![n("X"), n("Y")],
        }),
    ];
    stmts.extend([
        rule(
            "bound",
            &["X", "Z"],
            vec![
                n("X"),
                Literal::Cmp(ev("Z"), CmpOp::Eq, bin(ev("X"), ArithOp::Div, ei(1))),
            ],
        ),
        rule(
            "small",
            &["X"],
            vec![
                n("X"),
                Literal::Cmp(bin(ev("X"), ArithOp::Mul, ei(2)), CmpOp::Lt, ei(3)),
            ],
        ),
        rule(
            "nonzero",
            &["X"],
            vec![
                n("X"),
                Literal::Cmp(bin(ei(6), ArithOp::Div, ev("X")), CmpOp::Ne, ei(100)),
            ],
        ),
        rule(
            "nosucc",
            &["X"],
            vec![
                n("X"),
                Literal::Neg(atom(
                    "n",
                    vec![Term::Expr(bin(ev("X"), ArithOp::Add, ei(2)))],
                )),
            ],
        ),
        rule(
            "inrange",
            &["X"],
            vec![
                n("X"),
                Literal::Pos(atom(
                    "n",
                    vec![Term::Expr(bin(ev("X"), ArithOp::Sub, ei(2)))],
                )),
            ],
        ),
    ]);
    assert_agrees(stmts);
}

// ---------------------------------------------------------------------------------------------
// Fixed programs with aggregates: engine against reference, and both against hand-computed
// answers.

/// `result = #func { terms : body }` with variable element terms.
fn agg(func: AggFunc, terms: &[&str], result: &str, body: Vec<Literal>) -> Literal {
    Literal::Agg(Aggregate {
        func,
        terms: terms.iter().map(|x| ev(x)).collect(),
        result: result.into(),
        body,
    })
}

fn pos(pred: &str, args: Vec<Term>) -> Literal {
    Literal::Pos(atom(pred, args))
}

/// Checks engine and reference agree, then that the reference gives `want` for each listed
/// relation.
fn assert_agg_answers(stmts: Vec<Stmt>, want: &[(&str, Vec<Vec<Const>>)]) {
    let program = Program { stmts };
    check_reference_is_fixpoint(&program).unwrap_or_else(|e| panic!("{e}"));
    check_against_reference(&program).unwrap_or_else(|e| panic!("{e}"));
    let out = program.evaluate();
    for (rel, rows) in want {
        let rows: BTreeSet<Vec<Const>> = rows.iter().cloned().collect();
        assert_eq!(
            out[*rel],
            rows,
            "relation {rel} of\n{}",
            program.to_source()
        );
    }
}

/// Groups without any element: `#count` and `#sum` give 0, `#min` and `#max` give nothing;
/// with and without group variables, and with a `not` atom and a comparison inside.
#[test]
fn aggregates_over_empty_groups() {
    let member = |o: &str, x: &str| pos("member", vec![v(o), v(x)]);
    let org = || pos("org", vec![v("O")]);
    let mut stmts = vec![
        fact("org", vec![s("nato")]),
        fact("org", vec![s("asean")]),
        fact("member", vec![s("nato"), i(2)]),
        fact("member", vec![s("nato"), i(5)]),
        fact("banned", vec![i(5)]),
    ];
    for (name, func) in [
        ("cnt", AggFunc::Count),
        ("sum", AggFunc::Sum),
        ("min", AggFunc::Min),
        ("max", AggFunc::Max),
    ] {
        // Per organisation (group variable O).
        stmts.push(rule(
            name,
            &["O", "N"],
            vec![org(), agg(func, &["X"], "N", vec![member("O", "X")])],
        ));
        // Per organisation, members not banned and above 1: nato has {2}, asean nothing.
        stmts.push(rule(
            &format!("{name}_ok"),
            &["O", "N"],
            vec![
                org(),
                agg(
                    func,
                    &["X"],
                    "N",
                    vec![
                        member("O", "X"),
                        Literal::Neg(atom("banned", vec![v("X")])),
                        Literal::Cmp(ev("X"), CmpOp::Gt, ei(1)),
                    ],
                ),
            ],
        ));
        // No group variable, over a relation that is empty.
        stmts.push(rule(
            &format!("{name}_none"),
            &["N"],
            vec![agg(func, &["X"], "N", vec![pos("nothing", vec![v("X")])])],
        ));
    }
    let row = |o: &str, n: i64| vec![s(o), i(n)];
    assert_agg_answers(
        stmts,
        &[
            ("cnt", vec![row("nato", 2), row("asean", 0)]),
            ("sum", vec![row("nato", 7), row("asean", 0)]),
            ("min", vec![row("nato", 2)]),
            ("max", vec![row("nato", 5)]),
            ("cnt_ok", vec![row("nato", 1), row("asean", 0)]),
            ("sum_ok", vec![row("nato", 2), row("asean", 0)]),
            ("min_ok", vec![row("nato", 2)]),
            ("max_ok", vec![row("nato", 2)]),
            ("cnt_none", vec![vec![i(0)]]),
            ("sum_none", vec![vec![i(0)]]),
            ("min_none", vec![]),
            ("max_none", vec![]),
        ],
    );
}

/// Set semantics: the distinct element tuples count, so the element list decides what is "the
/// same"; `#sum` ignores non-integer first elements.
#[test]
fn aggregates_use_set_semantics() {
    // A name starting with `_` stands for the wildcard.
    let t = |x: &str| if x.starts_with('_') { Term::Wild } else { v(x) };
    let p = |x: &str, y: &str| pos("p", vec![t(x), t(y)]);
    let stmts = vec![
        fact("p", vec![i(1), s("a")]),
        fact("p", vec![i(1), s("b")]),
        fact("p", vec![i(2), s("a")]),
        fact("p", vec![s("x"), s("a")]),
        fact(
            "p",
            vec![Const::Date(Date::from_ymd(2024, 2, 29).unwrap()), s("c")],
        ),
        fact("p", vec![i(-3), s("c")]),
        rule(
            "sum1",
            &["N"],
            vec![agg(AggFunc::Sum, &["X"], "N", vec![p("X", "_W")])],
        ),
        rule(
            "sum2",
            &["N"],
            vec![agg(AggFunc::Sum, &["X", "Y"], "N", vec![p("X", "Y")])],
        ),
        rule(
            "cnt1",
            &["N"],
            vec![agg(AggFunc::Count, &["X"], "N", vec![p("X", "_W")])],
        ),
        rule(
            "cnt2",
            &["N"],
            vec![agg(AggFunc::Count, &["Y", "X"], "N", vec![p("X", "Y")])],
        ),
        // Per Y (a group variable, also an element: one element per group).
        rule(
            "per_y",
            &["Y", "N", "M", "K"],
            vec![
                p("_X", "Y"),
                agg(AggFunc::Count, &["X"], "N", vec![p("X", "Y")]),
                agg(AggFunc::Sum, &["X2"], "M", vec![p("X2", "Y")]),
                agg(AggFunc::Count, &["Y"], "K", vec![p("X3", "Y")]),
            ],
        ),
    ];
    assert_agg_answers(
        stmts,
        &[
            // Distinct first elements 1, 2, -3 (x and the date ignored).
            ("sum1", vec![vec![i(0)]]),
            // (1,a) (1,b) (2,a) (-3,c): 1 + 1 + 2 - 3.
            ("sum2", vec![vec![i(1)]]),
            ("cnt1", vec![vec![i(5)]]),
            ("cnt2", vec![vec![i(6)]]),
            (
                "per_y",
                vec![
                    vec![s("a"), i(3), i(3), i(1)],
                    vec![s("b"), i(1), i(1), i(1)],
                    vec![s("c"), i(2), i(-3), i(1)],
                ],
            ),
        ],
    );
}

/// The aggregate's result variable is bound by an earlier atom, so the aggregate compares
/// with it instead of binding it (a bug once made such rules derive nothing).
#[test]
fn aggregate_result_bound_by_an_atom_is_compared() {
    let stmts = vec![
        fact("rank", vec![s("low"), i(1)]),
        fact("rank", vec![s("mid"), i(2)]),
        fact("rank", vec![s("high"), i(3)]),
        fact("rank", vec![s("top"), i(5)]),
        fact("holds", vec![s("s1"), s("v"), s("mid")]),
        fact("holds", vec![s("s1"), s("v"), s("high")]),
        fact("holds", vec![s("s2"), s("v"), s("low")]),
        fact("holds", vec![s("s2"), s("w"), s("high")]),
        // best(S, V, L) :- holds(S, V, _), rank(L, N),
        //                  N = #min { R : holds(S, V, L2), rank(L2, R) }.
        rule(
            "best",
            &["S", "V", "L"],
            vec![
                pos("holds", vec![v("S"), v("V"), Term::Wild]),
                pos("rank", vec![v("L"), v("N")]),
                agg(
                    AggFunc::Min,
                    &["R"],
                    "N",
                    vec![
                        pos("holds", vec![v("S"), v("V"), v("L2")]),
                        pos("rank", vec![v("L2"), v("R")]),
                    ],
                ),
            ],
        ),
        // The same with the aggregate written first, and with #max / #count / #sum.
        rule(
            "worst",
            &["S", "V", "L"],
            vec![
                agg(
                    AggFunc::Max,
                    &["R"],
                    "N",
                    vec![
                        pos("holds", vec![v("S"), v("V"), v("L2")]),
                        pos("rank", vec![v("L2"), v("R")]),
                    ],
                ),
                pos("holds", vec![v("S"), v("V"), Term::Wild]),
                pos("rank", vec![v("L"), v("N")]),
            ],
        ),
        rule(
            "levels",
            &["S", "L"],
            vec![
                pos("holds", vec![v("S"), Term::Wild, Term::Wild]),
                pos("rank", vec![v("L"), v("N")]),
                agg(
                    AggFunc::Count,
                    &["L2"],
                    "N",
                    vec![pos("holds", vec![v("S"), Term::Wild, v("L2")])],
                ),
            ],
        ),
        rule(
            "total",
            &["S", "L"],
            vec![
                pos("holds", vec![v("S"), Term::Wild, Term::Wild]),
                pos("rank", vec![v("L"), v("N")]),
                agg(
                    AggFunc::Sum,
                    &["R", "V"],
                    "N",
                    vec![
                        pos("holds", vec![v("S"), v("V"), v("L2")]),
                        pos("rank", vec![v("L2"), v("R")]),
                    ],
                ),
            ],
        ),
    ];
    let row = |a: &str, b: &str, c: &str| vec![s(a), s(b), s(c)];
    assert_agg_answers(
        stmts,
        &[
            (
                "best",
                vec![
                    row("s1", "v", "mid"),
                    row("s2", "v", "low"),
                    row("s2", "w", "high"),
                ],
            ),
            (
                "worst",
                vec![
                    row("s1", "v", "high"),
                    row("s2", "v", "low"),
                    row("s2", "w", "high"),
                ],
            ),
            (
                "levels",
                vec![vec![s("s1"), s("mid")], vec![s("s2"), s("mid")]],
            ),
            // s1: (2, v) + (3, v) = 5 (top); s2: (1, v) + (3, w) = 4 (no rank).
            ("total", vec![vec![s("s1"), s("top")]]),
        ],
    );
}

/// `#min` / `#max` over integers, dates and strings: integers < dates < strings, each in
/// natural order (strings by code point, so "B" < "a").
#[test]
fn min_max_over_strings_and_dates() {
    let date = |y, m, d| Const::Date(Date::from_ymd(y, m, d).unwrap());
    let stmts = vec![
        fact("val", vec![s("mixed"), s("a")]),
        fact("val", vec![s("mixed"), s("B")]),
        fact("val", vec![s("mixed"), date(2024, 2, 29)]),
        fact("val", vec![s("mixed"), i(7)]),
        fact("val", vec![s("mixed"), i(-2)]),
        fact("val", vec![s("strs"), s("b")]),
        fact("val", vec![s("strs"), s("ab")]),
        fact("val", vec![s("strs"), s("Hi, \"you\"")]),
        fact("val", vec![s("dates"), date(2024, 2, 29)]),
        fact("val", vec![s("dates"), date(1999, 12, 31)]),
        fact("val", vec![s("dates"), s("zzz")]),
        fact("val", vec![s("dates"), date(2025, 1, 1)]),
        rule(
            "lo",
            &["K", "M"],
            vec![
                pos("val", vec![v("K"), Term::Wild]),
                agg(
                    AggFunc::Min,
                    &["X"],
                    "M",
                    vec![pos("val", vec![v("K"), v("X")])],
                ),
            ],
        ),
        rule(
            "hi",
            &["K", "M"],
            vec![
                pos("val", vec![v("K"), Term::Wild]),
                agg(
                    AggFunc::Max,
                    &["X"],
                    "M",
                    vec![pos("val", vec![v("K"), v("X")])],
                ),
            ],
        ),
        // Only the dates: a comparison inside the aggregate keeps one kind.
        rule(
            "last_date",
            &["K", "M"],
            vec![
                pos("val", vec![v("K"), Term::Wild]),
                agg(
                    AggFunc::Max,
                    &["X"],
                    "M",
                    vec![
                        pos("val", vec![v("K"), v("X")]),
                        Literal::Cmp(ev("X"), CmpOp::Ge, Expr::Const(date(1900, 1, 1))),
                    ],
                ),
            ],
        ),
    ];
    assert_agg_answers(
        stmts,
        &[
            (
                "lo",
                vec![
                    vec![s("mixed"), i(-2)],
                    vec![s("strs"), s("Hi, \"you\"")],
                    vec![s("dates"), date(1999, 12, 31)],
                ],
            ),
            (
                "hi",
                vec![
                    vec![s("mixed"), s("a")],
                    vec![s("strs"), s("b")],
                    vec![s("dates"), s("zzz")],
                ],
            ),
            (
                "last_date",
                vec![
                    vec![s("mixed"), date(2024, 2, 29)],
                    vec![s("dates"), date(2025, 1, 1)],
                ],
            ),
        ],
    );
}
