//! Unit tests of the workspace: typed statements, retractions, undo and reset, failures that
//! change nothing.

use super::*;
use crate::diag::Code;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn rows(w: &mut Workspace, goal: &str) -> usize {
    w.ask(goal).unwrap().0.rows.len()
}

#[test]
fn queries_see_typed_facts_and_rules() {
    let mut s = Workspace::empty();
    s.add("edge(a, b).").unwrap();
    s.add("edge(b, c).").unwrap();
    s.add("path(X, Y) :- edge(X, Y). path(X, Z) :- path(X, Y), edge(Y, Z).")
        .unwrap();
    let a = s.ask("path(a, X)").unwrap().0;
    assert_eq!(a.vars, vec!["X"]);
    assert_eq!(a.rows.len(), 2);
    assert_eq!(rows(&mut s, "path(a, c)"), 1);
    assert_eq!(rows(&mut s, "path(c, a)"), 0);
}

#[test]
fn a_failing_statement_changes_nothing() {
    let mut s = Workspace::empty();
    s.add("p(a).").unwrap();
    assert!(s.add("p(a, b).").is_err(), "arity clash is refused");
    assert!(s.add("q(X) :- r(Y).").is_err(), "unsafe rule is refused");
    assert!(
        s.add("@asof 2020-01-01.").is_err(),
        "directives are commands here"
    );
    assert_eq!(rows(&mut s, "p(X)"), 1);
    assert!(s.ask("p(X").is_err());
    assert_eq!(rows(&mut s, "p(X)"), 1);
    assert_eq!(s.layers().len(), 1);
}

#[test]
fn a_known_fact_is_added_without_a_check_and_a_new_relation_with_one() {
    let mut s = Workspace::empty();
    s.add("p(a, 1).").unwrap();
    // Same relation, same arity: the fast path; the answer is the same as after a check.
    for i in 0..100 {
        s.add(&format!("p(b{i}, {i}).")).unwrap();
    }
    assert_eq!(rows(&mut s, "p(X, N)"), 101);
    // The fast path never lets a clash through.
    let err = s.add("p(c).").unwrap_err();
    assert_eq!(err.diagnostics[0].code, Code::ArityMismatch);
    // A rule typed later sees every fact.
    s.add("big(X) :- p(X, N), N >= 50.").unwrap();
    assert_eq!(rows(&mut s, "big(X)"), 50);
}

#[test]
fn undo_takes_back_each_change_and_reset_goes_back_to_the_knowledge_base() {
    let mut s = Workspace::from_text("kb.pacta", "p(a). p(b). q(X) :- p(X).").unwrap();
    s.add("p(c).").unwrap();
    s.retract("p(a)").unwrap();
    s.set_as_of(crate::value::Date::parse_iso("2020-01-01").unwrap());
    assert_eq!(rows(&mut s, "q(X)"), 2);
    assert!(s.undo(), "the date");
    assert_eq!(s.as_of_set(), None);
    assert!(s.undo(), "the retraction");
    assert_eq!(rows(&mut s, "q(X)"), 3);
    assert!(s.undo(), "the typed fact");
    assert_eq!(rows(&mut s, "q(X)"), 2);
    assert!(!s.undo(), "nothing left");
    s.add("p(d).").unwrap();
    s.reset();
    assert_eq!(rows(&mut s, "q(X)"), 2);
    assert!(s.undo(), "the reset itself");
    assert_eq!(rows(&mut s, "q(X)"), 3);
}

#[test]
fn a_typed_rule_can_be_retracted_but_not_a_rule_of_a_file() {
    let mut s = Workspace::from_text("kb.pacta", "p(a). q(X) :- p(X).").unwrap();
    s.add("r(X) :- p(X).   s(X) :- r(X).").unwrap();
    assert_eq!(rows(&mut s, "s(a)"), 1);
    let shown = s.retract("r(X) :- p(X).").unwrap();
    assert_eq!(shown, "r(X) :- p(X)");
    assert_eq!(rows(&mut s, "s(a)"), 0, "s still exists, r has no rule");
    let err = s.retract("q(X):-p(X)").unwrap_err();
    assert!(err.diagnostics[0].hint.as_deref().unwrap().contains("file"));
    let err = s.retract("t(X) :- p(X).").unwrap_err();
    assert_eq!(err.diagnostics[0].code, Code::InvalidInput);
    assert!(s.undo());
    assert_eq!(rows(&mut s, "s(a)"), 1);
}

#[test]
fn retracting_a_fact_typed_among_others_hides_it() {
    let mut s = Workspace::empty();
    s.add("p(a). p(b).").unwrap();
    s.retract("p(a)").unwrap();
    assert_eq!(rows(&mut s, "p(X)"), 1);
    assert!(s.script().contains("% retracted: p(a)."), "{}", s.script());
    s.add("p(a).").unwrap();
    assert_eq!(rows(&mut s, "p(X)"), 2);
}

#[test]
fn failing_commands_change_nothing() {
    let mut s = Workspace::empty();
    s.add("p(a). q(X) :- p(X).").unwrap();
    let before = s.script();
    assert!(s.retract("q(a).").is_err(), "derived");
    assert!(s.retract("p(b).").is_err(), "absent");
    assert!(s.retract("p(X).").is_err(), "not ground, not a typed rule");
    assert!(s.scenario(Path::new("no/such/file.pacta")).is_err());
    assert!(s.save(Path::new("no/such/dir/s.pacta")).is_err());
    assert!(s.explain("p(").is_err());
    assert_eq!(s.script(), before);
    assert_eq!(rows(&mut s, "q(X)"), 1);
}

#[test]
fn cancelling_a_runaway_evaluation_keeps_the_workspace() {
    let mut s = Workspace::empty();
    s.add("n(0).").unwrap();
    s.add("n(Y) :- n(X), Y = X + 1.").unwrap();
    let flag = Arc::new(AtomicBool::new(false));
    s.limits.cancel = Some(Arc::clone(&flag));
    let setter = {
        let f = Arc::clone(&flag);
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            f.store(true, Ordering::SeqCst);
        })
    };
    let started = Instant::now();
    let err = s.ask("n(5)").expect_err("cancelled");
    setter.join().unwrap();
    assert!(started.elapsed() < Duration::from_secs(30));
    assert!(
        err.diagnostics[0].message.contains("cancelled"),
        "{:?}",
        err.diagnostics
    );
    assert_eq!(s.layers().len(), 2);
    flag.store(false, Ordering::SeqCst);
    s.limits.max_facts = Some(1000);
    let err = s.ask("n(5)").expect_err("fact limit");
    assert_eq!(err.diagnostics[0].code, Code::FactLimit);
    flag.store(true, Ordering::SeqCst);
    assert!(s.explain("n(3)").is_err());
}

#[test]
fn a_scenario_never_retracts_its_own_facts() {
    let mut w = Workspace::from_text("kb.pacta", "p(a, 1). p(b, 1).").unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.pacta");
    std::fs::write(
        &path,
        "retract p(a, _).\np(a, 2).\nretract p(c, 3).\np(c, 3).\n",
    )
    .unwrap();
    let added = w.scenario(&path).unwrap();
    assert_eq!(added.retracted, 1);
    let warnings: Vec<_> = added
        .warnings
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::InvalidDirective)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .hint
            .as_deref()
            .unwrap()
            .contains("knowledge-base facts only")
    );
    let answer = w.ask("p(X, N)").unwrap().0;
    let shown: Vec<String> = answer.rows.iter().map(|r| format!("{r:?}")).collect();
    assert_eq!(answer.rows.len(), 3, "{shown:?}");
}

/// Regression (issue 14): `@import`ed CSV files were read again for every query.
#[test]
fn an_imported_file_is_read_once_and_again_only_when_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("edges.csv");
    std::fs::write(&csv, "a,b\nb,c\n").unwrap();
    let kb = dir.path().join("kb.pacta");
    std::fs::write(
        &kb,
        "@import edge \"edges.csv\".\npath(X, Y) :- edge(X, Y).\n",
    )
    .unwrap();
    let mut w = Workspace::open(&[kb]).unwrap();
    assert_eq!(rows(&mut w, "path(X, Y)"), 2);
    assert_eq!(rows(&mut w, "path(a, Y)"), 1);
    w.add("extra(1).").unwrap();
    assert_eq!(rows(&mut w, "path(X, Y)"), 2);
    assert_eq!(w.import_reads(), 1, "read once for three queries");
    std::fs::write(&csv, "a,b\nb,c\nc,d\n").unwrap();
    assert_eq!(
        rows(&mut w, "path(X, Y)"),
        3,
        "a changed file is read again"
    );
    assert_eq!(w.import_reads(), 2);
}

/// Regression: `retract ~p(a).` was a syntax error, and a retraction matched `p(a)` and
/// `~p(a)` alike.
#[test]
fn a_strongly_negated_fact_is_retracted_by_its_own_pattern() {
    let kb = "bird(t). swims(t). ~swims(u).\nr1: flies(X) := bird(X).\n";
    let mut w = Workspace::from_text("kb.pacta", kb).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.pacta");
    std::fs::write(&path, "retract ~swims(_).\n").unwrap();
    let added = w.scenario(&path).unwrap();
    assert_eq!(added.retracted, 1, "{:?}", added.warnings.diagnostics);
    assert_eq!(rows(&mut w, "~swims(X)"), 0);
    assert_eq!(rows(&mut w, "swims(X)"), 1, "the positive fact stays");
}
