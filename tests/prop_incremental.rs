//! Differential property tests of incremental re-evaluation (issue 18): a variant of an
//! evaluated program — written facts removed and added — evaluated through
//! `pacta::overlay::Variant` (only the strata the change reaches run again) must give exactly
//! the model of the changed program evaluated from scratch.
//!
//! Programs come from the same generator as `prop_engine` (stratified, recursive, with
//! negation and about half with aggregates); changes remove random facts (every copy) and add
//! random facts to random relations — input relations and relations that rules also derive.
//!
//! Run with `cargo test --release --test prop_incremental` (1000 programs per property);
//! `PROPTEST_CASES=20000` for a longer soak.

mod support;

use pacta::driver::{Evaluated, Model, eval_text, load, run};
use pacta::eval::Limits;
use pacta::overlay::Variant;
use pacta::syntax::span::{SourceFile, SourceMap};
use pacta::value::Const;
use proptest::prelude::*;
use proptest::sample::Index;
use std::collections::BTreeSet;
use support::generator::{constant, raw_program_with_aggregates as raw_program};
use support::reference::{Program, Stmt};

/// A change: which facts to remove (by index among the distinct written facts) and which to
/// add (a relation chosen among those the program has, a tuple of constants).
#[derive(Clone, Debug)]
struct Change {
    remove: Vec<Index>,
    add: Vec<(Index, Vec<Const>)>,
}

fn change() -> impl Strategy<Value = Change> {
    (
        prop::collection::vec(any::<Index>(), 0..=4),
        prop::collection::vec(
            (any::<Index>(), prop::collection::vec(constant(), 3)),
            0..=4,
        ),
    )
        .prop_map(|(remove, add)| Change { remove, add })
}

fn evaluate(text: &str) -> Evaluated {
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("<input>", text));
    let loaded = load(sources);
    run(&loaded, &[], &Limits::default()).expect("generated programs evaluate")
}

/// Every relation of `model` compared with `full` (a relation `full` lacks counts as empty:
/// removing every fact of an input relation takes its name out of the program text).
fn same(model: &Model, full: &Model) -> Result<(), String> {
    for (name, rows) in &model.relations {
        let other = full.relations.get(name).cloned().unwrap_or_default();
        if *rows != other {
            return Err(format!(
                "{name}: incremental {rows:?}\n      from scratch {other:?}"
            ));
        }
    }
    Ok(())
}

/// Applies `change` to `program` both ways and compares; `chain` applies a second change to
/// the variant (a variant of a variant), checked the same way.
fn check_change(program: &Program, changes: &[Change]) -> Result<(), String> {
    let text = program.to_source();
    let base = evaluate(&text);
    let mut stmts = program.stmts.clone();
    let mut current = base.clone();
    for change in changes {
        let facts: Vec<(String, Vec<Const>)> = stmts
            .iter()
            .filter_map(|s| match s {
                Stmt::Fact(p, t) => Some((p.clone(), t.clone())),
                Stmt::Rule(_) => None,
            })
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let relations: Vec<(String, usize)> = current
            .model()
            .arities
            .into_iter()
            .filter(|(n, _)| !n.starts_with('$'))
            .collect();
        let mut removals = Vec::new();
        let mut gone = BTreeSet::new();
        if !facts.is_empty() {
            for i in &change.remove {
                let (p, t) = i.get(&facts);
                removals.push((p.clone(), t.clone()));
                gone.insert((p.clone(), t.clone()));
            }
        }
        stmts.retain(|s| !matches!(s, Stmt::Fact(p, t) if gone.contains(&(p.clone(), t.clone()))));
        let mut additions = Vec::new();
        if !relations.is_empty() {
            for (i, tuple) in &change.add {
                let (p, n) = i.get(&relations);
                let row = tuple[..*n].to_vec();
                additions.push((p.clone(), row.clone()));
                stmts.push(Stmt::Fact(p.clone(), row));
            }
        }
        let variant = || -> Result<Variant<'_>, String> {
            let mut variant = Variant::new(&current);
            for (p, t) in &removals {
                variant.remove(p, t).map_err(|e| format!("{e:?}"))?;
            }
            for (p, t) in &additions {
                variant.add(p, t).map_err(|e| format!("{e:?}"))?;
            }
            Ok(variant)
        };
        // Only some relations asked for: only the strata they depend on run.
        let (some, _) = variant()?
            .answers(|n| n.contains('1'), &Limits::default())
            .map_err(|d| d.message)?;
        let (next, _) = variant()?
            .evaluate(&Limits::default())
            .map_err(|d| d.message)?;
        let changed = Program {
            stmts: stmts.clone(),
        };
        let ctext = changed.to_source();
        let (full, _) = eval_text(&ctext).map_err(|d| format!("{d:?}"))?;
        let report = |e: String| {
            format!("{e}\n--- base ---\n{text}--- changed ---\n{ctext}--- change ---\n{change:?}")
        };
        same(&next.model(), &full).map_err(report)?;
        same(&some, &full).map_err(|e| report(format!("(relations with 1 only) {e}")))?;
        if some.relations.keys().any(|n| !n.contains('1')) {
            return Err(report("answers gave relations not asked for".into()));
        }
        current = next;
    }
    Ok(())
}

proptest! {
    #![proptest_config(support::config())]

    /// One change of facts, incrementally and from scratch, gives the same model.
    #[test]
    fn a_variant_equals_evaluation_from_scratch(raw in raw_program(), c in change()) {
        check_change(&raw.build(), &[c]).map_err(TestCaseError::fail)?;
    }

    /// Changes applied one after the other to variants (as the REPL applies typed facts).
    #[test]
    fn variants_of_variants_equal_evaluation_from_scratch(
        raw in raw_program(),
        cs in prop::collection::vec(change(), 2..=3),
    ) {
        check_change(&raw.build(), &cs).map_err(TestCaseError::fail)?;
    }
}

/// No change: every stratum is kept, nothing runs.
#[test]
fn no_change_runs_nothing() {
    let base = evaluate(
        "edge(1, 2). edge(2, 3).\npath(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n",
    );
    let (v, reuse) = Variant::new(&base).evaluate(&Limits::default()).unwrap();
    assert_eq!(reuse.rerun, 0);
    assert_eq!(v.model(), base.model());
}

/// A change that leaves a relation as it was stops there: strata above it are kept.
#[test]
fn a_change_that_alters_nothing_stops_early() {
    let text = "edge(1, 2). edge(2, 3). other(9).\n\
                path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n\
                big(X) :- other(X), X > 100.\n\
                report(X) :- big(X).\nfar(X, Y) :- path(X, Y), X < Y.\n";
    let base = evaluate(text);
    let mut variant = Variant::new(&base);
    variant.add("other", &[Const::Int(5)]).unwrap();
    let (v, reuse) = variant.evaluate(&Limits::default()).unwrap();
    // `other` runs again and `big` by delta (only an addition reaches it); `big` comes out the
    // same, so `report` is kept, and so are `edge`, `path` and `far`, which the change never
    // reaches.
    assert_eq!((reuse.rerun, reuse.delta), (1, 1), "{reuse:?}");
    assert_eq!(v.model().relations["other"].len(), 2);
    assert_eq!(
        v.model().relations["report"],
        base.model().relations["report"]
    );
}

/// Relations the plan does not have, or another arity, are refused (the caller rebuilds).
#[test]
fn unknown_relations_and_arities_are_refused() {
    let base = evaluate("edge(1, 2).\n");
    let mut variant = Variant::new(&base);
    assert!(variant.add("nope", &[Const::Int(1)]).is_err());
    assert!(variant.add("edge", &[Const::Int(1)]).is_err());
    assert!(
        variant
            .remove("edge", &[Const::Int(1), Const::Int(2), Const::Int(3)])
            .is_err()
    );
}

/// Facts the base already has, added again, or removed and added back, change nothing: no
/// stratum runs. Removing a fact the base never had changes nothing either.
#[test]
fn restating_facts_changes_nothing() {
    let base = evaluate("edge(1, 2). edge(2, 3).\npath(X, Y) :- edge(X, Y).\n");
    let mut variant = Variant::new(&base);
    variant
        .add("edge", &[Const::Int(1), Const::Int(2)])
        .unwrap();
    variant
        .remove("edge", &[Const::Int(2), Const::Int(3)])
        .unwrap();
    variant
        .add("edge", &[Const::Int(2), Const::Int(3)])
        .unwrap();
    variant
        .remove("edge", &[Const::Int(7), Const::Int(7)])
        .unwrap();
    let (v, reuse) = variant.evaluate(&Limits::default()).unwrap();
    assert_eq!((reuse.rerun, reuse.delta), (0, 0), "{reuse:?}");
    assert_eq!(v.model(), base.model());
}
