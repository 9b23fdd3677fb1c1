//! `pacta explain` on the seeds' situations (SPEC §2, issue 6): proof trees citing rules and
//! clause texts, why-not with the first failing condition, defeasible verdicts, and errors.
//!
//! Snapshots live in `tests/explain/snapshots/`. To refresh them after a deliberate change:
//! `INSTA_UPDATE=always cargo test --test explain`, then read every changed `.snap` file.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `pacta explain ARGS...`; returns exit code, stdout and stderr.
fn explain(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .arg("explain")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run pacta explain");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs a successful explanation and snapshots its output under `name`.
fn snapshot(name: &str, args: &[&str]) {
    let (status, stdout, stderr) = explain(args);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    insta::with_settings!({
        snapshot_path => "explain/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("pacta explain {}", args.join(" ")),
    }, {
        insta::assert_snapshot!(name, stdout);
    });
}

/// Art. 5 for an attack on Poland, summary first: Germany's duty, the attack that triggers it,
/// Art 5's text, and the two caveats that set the level (Art 11's words for one of them).
#[test]
fn poland_2026_art5_summary() {
    snapshot(
        "poland_2026_art5_summary",
        &[
            "--scenario",
            "examples/attack_on_poland_2026.pacta",
            "--as-of",
            "2026-06-01",
            "obliged(germany, poland, assist, north_atlantic_treaty, discretionary)",
        ],
    );
}

/// The same with `--full`: the summary, then the proof tree with each step's rule; shared
/// sub-proofs are printed once.
#[test]
fn poland_2026_art5() {
    snapshot(
        "poland_2026_art5",
        &[
            "--scenario",
            "examples/attack_on_poland_2026.pacta",
            "--as-of",
            "2026-06-01",
            "--full",
            "obliged(germany, poland, assist, north_atlantic_treaty, discretionary)",
        ],
    );
}

/// `--depth` cuts the tree and says where.
#[test]
fn depth_limits_the_tree() {
    let (status, stdout, _) = explain(&[
        "--scenario",
        "examples/attack_on_poland_2026.pacta",
        "--as-of",
        "2026-06-01",
        "--depth",
        "1",
        "victim(poland, russia)",
    ]);
    assert_eq!(status, Some(0));
    assert!(
        stdout.contains("[deeper than --depth 1: ask about it]"),
        "{stdout}"
    );
    assert!(!stdout.contains("force_used("), "{stdout}");
}

/// Austria under TEU 42(7): the summary's first screen names the clause that sets the level,
/// "the specific character of the security and defence policy of certain Member States".
#[test]
fn strongest_names_the_capping_clause_on_the_first_screen() {
    let (status, stdout, _) = explain(&[
        "--scenario",
        "examples/attack_on_poland_2026.pacta",
        "--as-of",
        "2026-06-01",
        "strongest(austria, poland, discretionary)",
    ]);
    assert_eq!(status, Some(0));
    let first_screen: String = stdout.lines().take(25).collect::<Vec<_>>().join(" ");
    let first_screen = first_screen
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(first_screen.contains("specific character"), "{stdout}");
    assert!(
        first_screen.contains("specific_character) caps it at discretionary"),
        "{stdout}"
    );
    assert!(first_screen.contains("neutral(austria"), "{stdout}");
}

/// Why not automatic: the answer names Art 5's "deems necessary" wording and Art 11's
/// constitutional processes, with their texts, before any generic why-not.
#[test]
fn poland_2026_not_automatic() {
    snapshot(
        "poland_2026_not_automatic",
        &[
            "--scenario",
            "examples/attack_on_poland_2026.pacta",
            "--as-of",
            "2026-06-01",
            "obliged(germany, poland, assist, north_atlantic_treaty, automatic)",
        ],
    );
}

/// Budapest 2022: Ukraine unprotected (no state obliged at discretionary level or above)...
#[test]
fn budapest_2022_unprotected() {
    snapshot(
        "budapest_2022_unprotected",
        &[
            "--scenario",
            "examples/invasion_2022.pacta",
            "--as-of",
            "2022-03-01",
            "unprotected(ukraine, russia)",
        ],
    );
}

/// ... because the only obligations toward it are declaratory (why not `defended`) ...
#[test]
fn budapest_2022_not_defended() {
    snapshot(
        "budapest_2022_not_defended",
        &[
            "--scenario",
            "examples/invasion_2022.pacta",
            "--as-of",
            "2022-03-01",
            "defended(ukraine)",
        ],
    );
}

/// ... and the memorandum is hollow: its remedy runs through the aggressor's veto (as JSON,
/// with the clause quotes and sources).
#[test]
fn budapest_2022_hollow_json() {
    snapshot(
        "budapest_2022_hollow_json",
        &[
            "--scenario",
            "examples/invasion_2022.pacta",
            "--as-of",
            "2022-03-01",
            "--format",
            "json",
            "hollow(budapest_memorandum, russia, guarantor_is_aggressor)",
        ],
    );
}

/// A defeasible conclusion that is defeated: the attacking rule and the superiority behind it.
#[test]
fn defeasible_defeated() {
    snapshot(
        "defeasible_defeated",
        &["--kb", "tests/repl/theory", "flies(opus)"],
    );
}

/// A conflict no superiority resolves names the superiority that is missing.
#[test]
fn defeasible_missing_superiority() {
    snapshot(
        "defeasible_missing_superiority",
        &[
            "--kb",
            "tests/cases/defeasible_nixon.pacta",
            "pacifist(nixon)",
        ],
    );
}

#[test]
fn a_fact_with_variables_is_an_error_with_exit_2() {
    let (status, stdout, stderr) = explain(&["--kb", "tests/repl/kb", "path(X, d)"]);
    assert_eq!(status, Some(2));
    assert_eq!(stdout, "");
    assert!(stderr.contains("error[invalid_input]"), "{stderr}");
    assert!(stderr.contains("<fact>:1:6"), "{stderr}");
}

#[test]
fn a_missing_scenario_is_an_error_with_exit_2() {
    let (status, _, stderr) = explain(&["--scenario", "nope.pacta", "attack(a, b, 2020-01-01)"]);
    assert_eq!(status, Some(2));
    assert!(stderr.contains("file_not_found"), "{stderr}");
}

/// A scenario file's directives apply (`@asof`, `retract`); an explicit `--as-of` wins.
#[test]
fn scenario_directives_apply_and_as_of_wins() {
    let s = "examples/whatif/nato_without_us.pacta";
    let (status, stdout, stderr) = explain(&["--scenario", s, "asof(2027-06-01)"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(stdout.starts_with("asof(2027-06-01) holds"), "{stdout}");
    let (_, stdout, _) = explain(&["--scenario", s, "--as-of", "2027-01-01", "asof(2027-06-01)"]);
    assert!(
        stdout.starts_with("asof(2027-06-01) does not hold"),
        "{stdout}"
    );
    let (status, stdout, stderr) = explain(&[
        "--scenario",
        s,
        "obliged(united_states, estonia, assist, north_atlantic_treaty, discretionary)",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stdout.contains("united_states is not a member of north_atlantic_treaty"),
        "retracted membership: {stdout}"
    );
}

/// Every fact of a small recursive program gets a proof whose height is the round in which
/// semi-naive evaluation first derives it: the proof is of minimal height.
#[test]
fn proofs_have_minimal_height() {
    for (fact, height) in [("path(a, b)", 1), ("path(a, c)", 2), ("path(a, d)", 3)] {
        let (status, stdout, stderr) = explain(&["--kb", "tests/repl/kb", fact]);
        assert_eq!(status, Some(0), "{stderr}");
        assert!(
            stdout.starts_with(&format!("{fact} holds (proof of height {height}):")),
            "{stdout}"
        );
    }
    // With a shortcut, the long derivation (height 3, found first in rule order) loses to
    // the direct edge (height 1).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("g.pacta");
    std::fs::write(
        &file,
        "path(X, Z) :- path(X, Y), edge(Y, Z).\npath(X, Y) :- edge(X, Y).\nedge(a, b). edge(b, c). edge(c, d). edge(a, d).\n",
    )
    .unwrap();
    let f = file.display().to_string();
    let (status, stdout, stderr) = explain(&["--kb", &f, "path(a, d)"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("path(a, d) holds (proof of height 1):"),
        "{stdout}"
    );
    assert!(stdout.contains("edge(a, d)  [fact"), "{stdout}");
}

/// Explanations obey the limits: more rule instances than `--max-facts` stop with an error
/// (exit 2) instead of exhausting memory.
#[test]
fn explanations_obey_max_facts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("k10.pacta");
    let mut text =
        String::from("path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\n");
    for a in 0..10 {
        for b in 0..10 {
            if a != b {
                text.push_str(&format!("edge(n{a}, n{b}).\n"));
            }
        }
    }
    std::fs::write(&file, text).unwrap();
    let f = file.display().to_string();
    let (status, _, stderr) = explain(&["--kb", &f, "--max-facts", "300", "path(n0, n9)"]);
    assert_eq!(status, Some(2), "{stderr}");
    assert!(
        stderr.contains("error[fact_limit]: explanation stopped"),
        "{stderr}"
    );
    let (status, stdout, stderr) = explain(&["--kb", &f, "path(n0, n9)"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("path(n0, n9) holds (proof of height 1):"),
        "{stdout}"
    );
}

/// In a defeasible theory, a relation of its Datalog base (untouched by defeasible constructs)
/// is explained as Datalog, with a proof tree; a defeater's literal gets a verdict.
#[test]
fn base_relations_of_a_theory_get_proof_trees() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("t.pacta");
    std::fs::write(
        &file,
        "edge(a, b). edge(b, c).\nreach(X, Y) :- edge(X, Y).\nreach(X, Z) :- reach(X, Y), edge(Y, Z).\nr1: ok(X) := reach(a, X).\nr2: ~ok(X) :~ edge(X, _).\n",
    )
    .unwrap();
    let f = file.display().to_string();
    let (status, stdout, stderr) = explain(&["--kb", &f, "reach(a, c)"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("reach(a, c) holds (proof of height 2):"),
        "{stdout}"
    );
    let (status, stdout, stderr) = explain(&["--kb", &f, "ok(b)"]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        stdout.starts_with("ok(b): not defeasibly provable (-d)"),
        "{stdout}"
    );
    assert!(stdout.contains("(defeater)"), "{stdout}");
    assert!(stdout.contains("missing superiority: r1 > r2"), "{stdout}");
}

/// Every quote in a summary is a clause text of the knowledge base, word for word, under the
/// clause id it is cited for: summaries never paraphrase what they put in quotes.
#[test]
fn every_summary_quote_is_a_clause_text_of_the_knowledge_base() {
    let clauses = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(root())
        .args(["query", "--format", "json", "clause(I, C, T, F, S)"])
        .output()
        .expect("runs");
    let clauses: serde_json::Value = serde_json::from_slice(&clauses.stdout).expect("JSON");
    let known: std::collections::BTreeSet<(String, String, String)> = clauses
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| {
            let f = |k: &str| a[k].as_str().unwrap_or_default().to_string();
            (f("I"), f("C"), f("T"))
        })
        .collect();
    let cases = [
        (
            "attack_on_poland_2026",
            "2026-06-01",
            "strongest(austria, poland, discretionary)",
        ),
        (
            "attack_on_poland_2026",
            "2026-06-01",
            "strongest(france, poland, automatic)",
        ),
        (
            "attack_on_poland_2026",
            "2026-06-01",
            "obliged(germany, poland, assist, north_atlantic_treaty, automatic)",
        ),
        (
            "weu_2000",
            "2000-06-01",
            "strongest(france, germany, automatic)",
        ),
        (
            "warsaw_1980",
            "1980-06-01",
            "strongest(soviet_union, poland, discretionary)",
        ),
        (
            "renewed_attack_after_ceasefire",
            "2027-01-01",
            "strongest(france, ukraine, declaratory)",
        ),
        (
            "cyprus_1974",
            "1974-08-01",
            "strongest(greece, cyprus, consultative)",
        ),
        (
            "invasion_2022",
            "2022-03-01",
            "strongest(united_states, ukraine, declaratory)",
        ),
        (
            "guarantees_for_russia",
            "2027-06-01",
            "strongest(belarus, russia, consultative)",
        ),
        (
            "weu_2000",
            "2000-06-01",
            "strongest(belgium, germany, automatic)",
        ),
    ];
    let mut quotes = 0;
    for (scenario, date, fact) in cases {
        let path = format!("examples/{scenario}.pacta");
        let (status, stdout, stderr) = explain(&[
            "--scenario",
            &path,
            "--as-of",
            date,
            "--format",
            "json",
            fact,
        ]);
        assert_eq!(status, Some(0), "{fact}: {stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
        let duties = v["summary"]["duties"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!duties.is_empty(), "{fact}: no summary in {stdout}");
        let mut cited = Vec::new();
        for d in &duties {
            cited.push(d["clause"].clone());
            for cap in d["caps"].as_array().into_iter().flatten() {
                for r in cap["because"].as_array().into_iter().flatten() {
                    cited.push(r["citation"].clone());
                }
            }
        }
        for c in cited.iter().filter(|c| !c["text"].is_null()) {
            let key = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            let triple = (key("instrument"), key("clause"), key("text"));
            assert!(
                known.contains(&triple),
                "{fact}: quote not in the KB: {triple:?}"
            );
            quotes += 1;
        }
    }
    assert!(quotes >= 8, "too few quotes checked: {quotes}");
}

/// A duty that is not there at any level: the reason in the domain's words, first for each
/// clause that binds both states.
#[test]
fn why_not_names_the_missing_trigger_in_the_domains_words() {
    let cases = [
        (
            "tests/kb_scenarios/kursk_2024.pacta",
            "strongest(kazakhstan, russia, discretionary)",
            "in self-defence (UN Charter Art 51): russia is not a victim of aggression",
        ),
        (
            "tests/kb_scenarios/other_adversary.pacta",
            "obliged(germany, ukraine, consult, germany_ukraine_agreement_2024, declaratory)",
            "the clause answers only an attack by russia, not by belarus",
        ),
        (
            "tests/kb_scenarios/falklands_1982.pacta",
            "obliged(united_states, united_kingdom, assist, north_atlantic_treaty, discretionary)",
            "outside the clause's scope (europe, north_america, north_atlantic)",
        ),
        (
            "examples/renewed_attack_after_ceasefire.pacta",
            "obliged(united_states, ukraine, assist, us_ukraine_security_guarantee, discretionary)",
            "is a draft or plan (form `proposed`)",
        ),
        (
            "examples/attack_on_poland_2026.pacta",
            "strongest(germny, poland, automatic)",
            "`germny` is a party to no instrument of the knowledge base (did you mean `germany`?)",
        ),
        (
            "tests/kb_scenarios/old_ceasefire.pacta",
            "obliged(france, ukraine, support, paris_declaration_2026, declaratory)",
            "the clause needs a renewed attack after a ceasefire",
        ),
    ];
    for (scenario, fact, expected) in cases {
        let (status, stdout, stderr) = explain(&["--scenario", scenario, fact]);
        assert_eq!(status, Some(0), "{fact}: {stderr}");
        assert!(stdout.starts_with("No: "), "{fact}: {stdout}");
        // Sentences are wrapped: compare with the line breaks folded.
        let folded = stdout.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(folded.contains(expected), "{fact}: {stdout}");
    }
}

/// An attack on forces abroad is judged by the clause's scope for forces: the why-not names
/// those areas (NATO Art 6), not the territorial scope, which includes Europe and so read as if
/// forces in Ukraine were inside it (regression).
#[test]
fn forces_abroad_are_judged_by_the_scope_for_forces() {
    let (code, out, err) = explain(&[
        "--scenario",
        "examples/reassurance_force_attacked.pacta",
        "--as-of",
        "2027-01-01",
        "obliged(germany, france, assist, north_atlantic_treaty, discretionary)",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("france's forces in ukraine is outside the clause's scope for forces"),
        "{out}"
    );
    assert!(flat.contains("occupation_area_1949"), "{out}");
    assert!(!flat.contains("(europe"), "{out}");
}
