//! Unit tests of the vocabulary pass, on small programs written as text.

use super::check_vocabulary;
use crate::diag::{Code, Diagnostic};
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceFile};

/// The vocabulary warnings of `text`, as (code, line, column, message, hint).
fn run(text: &str) -> Vec<(&'static str, usize, usize, String, String)> {
    let (p, d) = parse(FileId(0), text);
    assert!(d.is_empty(), "{d:?}");
    let file = SourceFile::new("t.pacta", text);
    let place = |d: &Diagnostic| file.line_col(d.span.expect("a place").start as usize);
    check_vocabulary(&p.statements)
        .iter()
        .map(|d| {
            let (line, col) = place(d);
            let hint = d.hint.clone().unwrap_or_default();
            (d.code.as_str(), line, col, d.message.clone(), hint)
        })
        .collect()
}

const VOCAB: &str = "\
vocabulary_position(caveat, 3, caveat_kind).
vocabulary(caveat_kind, deems_necessary, \"each party chooses its means\").
vocabulary(caveat_kind, request_required, \"only at the victim's request\").
capped(I, C) :- caveat(I, C, deems_necessary).
held(I, C) :- caveat(I, C, request_required).
";

#[test]
fn a_misspelt_symbol_warns_at_its_place_with_the_nearest_declared_one() {
    let text = format!("{VOCAB}caveat(nato, art5, deems_necesary).\n");
    let got = run(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    let (code, line, col, msg, hint) = &got[0];
    assert_eq!((*code, *line, *col), ("undeclared_symbol", 6, 20));
    assert_eq!(
        msg,
        "`deems_necesary` is not a declared caveat kind (argument 3 of `caveat`), so no rule gives it a meaning"
    );
    assert_eq!(hint, "did you mean `deems_necessary`?");
}

#[test]
fn declared_symbols_in_facts_rules_and_goals_are_silent() {
    let text = format!(
        "{VOCAB}caveat(nato, art5, deems_necessary).\nq(I) :- caveat(I, _, request_required).\n"
    );
    assert!(run(&text).is_empty());
}

#[test]
fn a_program_without_declarations_draws_nothing() {
    assert!(run("caveat(nato, art5, anything).\np(X) :- caveat(X, _, y).\n").is_empty());
}

#[test]
fn a_symbol_no_rule_names_is_unread_when_the_rules_tell_the_kind_apart_by_name() {
    let text = format!(
        "{VOCAB}vocabulary(caveat_kind, unsc_reporting, \"reported to the UNSC\").\ncaveat(nato, art5, unsc_reporting).\n"
    );
    let got = run(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    let (code, line, col, msg, _) = &got[0];
    assert_eq!((*code, *line, *col), ("unread_symbol", 6, 25));
    assert!(msg.contains("caveat kind `unsc_reporting`"), "{msg}");
    // Named in a rule (here only in a head): read.
    let named = format!("{text}reports(I) :- caveat(I, _, K), K = unsc_reporting.\n");
    assert!(run(&named).is_empty(), "{:?}", run(&named));
}

#[test]
fn a_kind_joined_with_other_facts_is_read_generically() {
    // Levels are read through the level_rank table, roles by matching duty and party.
    let text = "\
vocabulary_position(duty, 2, level).
vocabulary_position(duty, 1, role).
vocabulary_position(party, 2, role).
vocabulary(level, automatic, \"at once\").
vocabulary(level, declaratory, \"a statement\").
vocabulary(role, member, \"a member\").
vocabulary(role, ally, \"an ally\").
rank(I, R) :- duty(I, L), level_rank(L, R).
owes(S) :- duty(Role, _), party(S, Role).
weak(I) :- duty(I, declaratory).
";
    assert!(run(text).is_empty(), "{:?}", run(text));
}

#[test]
fn a_join_inside_not_or_a_copy_into_the_head_does_not_read_the_symbol() {
    let text = format!(
        "{VOCAB}vocabulary(caveat_kind, spare, \"unused\").\n\
         applies(I, C, K) :- caveat(I, C, K), not later(I, C, K).\n\
         x(I) :- applies(I, _, deems_necessary).\n"
    );
    let got = run(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].3.contains("`spare`"));
}

#[test]
fn kinds_spread_to_the_heads_that_copy_them() {
    // `applies/3` copies caveat kinds, so a typo in a rule reading it is caught.
    let text = format!(
        "{VOCAB}applies(I, C, K) :- caveat(I, C, K).\nx(I) :- applies(I, _, request_requird).\n"
    );
    let got = run(&text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!((got[0].0, got[0].1), ("undeclared_symbol", 7));
    assert_eq!(got[0].4, "did you mean `request_required`?");
}

#[test]
fn a_kind_no_rule_distinguishes_is_descriptive() {
    let text = "\
vocabulary_position(clause, 2, fidelity).
vocabulary(fidelity, verbatim, \"as printed\").
vocabulary(fidelity, paraphrase, \"a summary\").
clause(art5, verbatim).
clause(art6, verbatum).
";
    let got = run(text);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "undeclared_symbol");
    assert_eq!(got[0].4, "did you mean `verbatim`?");
}

#[test]
fn a_malformed_position_declaration_is_reported() {
    let got = run("vocabulary_position(caveat, three, caveat_kind).\n");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, Code::UndeclaredSymbol.as_str());
}

#[test]
fn numbers_in_a_vocabulary_position_are_undeclared_too() {
    let got = run(&format!("{VOCAB}caveat(nato, art5, 5).\n"));
    assert_eq!(got.len(), 1);
    assert!(
        got[0].4.contains("declared by `vocabulary(caveat_kind"),
        "{got:?}"
    );
}
