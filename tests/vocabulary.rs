//! The declared vocabulary (issue 13), through the real binary: a misspelt symbol in a scenario
//! draws `undeclared_symbol` with the declared symbol it is nearest to, in `whatif`, `query
//! --scenario` and `check`; the bundled knowledge base checks clean; a draft instrument written
//! by docs/SCHEMA.md draws nothing; `@input` arities are enforced.

use assert_cmd::Command;

/// Runs `pacta ARGS` from the crate root without colour; returns exit code, stdout, stderr.
fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const MISSPELT: &str = "tests/vocabulary/misspelt_caveat.pacta";

#[test]
fn the_bundled_knowledge_base_checks_clean() {
    let (code, stdout, stderr) = run(&["check", "facts", "rules"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.is_empty() && stderr.is_empty(), "{stdout}{stderr}");
}

#[test]
fn whatif_names_the_declared_symbol_for_a_misspelt_caveat_and_area() {
    let (code, _, stderr) = run(&["whatif", "--summary", MISSPELT]);
    // The typo in the scope makes the clause reach nowhere: the expectation fails.
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{MISSPELT}:10:27")),
        "the caveat's place: {stderr}"
    );
    assert!(
        stderr.contains("help: did you mean `deems_necessary`?"),
        "{stderr}"
    );
    assert!(stderr.contains("help: did you mean `europe`?"), "{stderr}");
    // One warning per typo: `unknown_constant` does not repeat it.
    assert_eq!(stderr.matches("warning[").count(), 2, "{stderr}");
    insta::with_settings!({
        snapshot_path => "vocabulary/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("misspelt_caveat", stderr);
    });
}

#[test]
fn query_with_a_scenario_warns_too_with_or_without_directives() {
    let goal = "obliged(S, estonia, A, baltic_pact, L)";
    let (code, _, stderr) = run(&["query", "--scenario", MISSPELT, goal]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("did you mean `deems_necessary`?"),
        "{stderr}"
    );
    // A file without directives is loaded another way; it warns the same.
    let dir = tempfile::TempDir::new().expect("temp dir");
    let plain = dir.path().join("plain.pacta");
    std::fs::write(
        &plain,
        "attack_in(russia, poland, eurpe, 2026-05-01).\ncaveat(north_atlantic_treaty, art5, deems_necesary).\n",
    )
    .expect("write");
    let plain = plain.display().to_string();
    let (code, _, stderr) = run(&["query", "--as-of", "2026-06-01", "--scenario", &plain, goal]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(&format!("{plain}:1:27")), "{stderr}");
    assert!(stderr.contains("did you mean `europe`?"), "{stderr}");
    assert!(
        stderr.contains("did you mean `deems_necessary`?"),
        "{stderr}"
    );
}

#[test]
fn check_warns_on_a_scenario_file_checked_with_the_knowledge_base() {
    let (code, _, stderr) = run(&["check", "facts", "rules", MISSPELT]);
    assert_eq!(code, 0, "warnings do not fail: {stderr}");
    assert_eq!(
        stderr.matches("warning[undeclared_symbol]").count(),
        2,
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `deems_necessary`?"),
        "{stderr}"
    );
}

#[test]
fn a_draft_instrument_written_by_the_schema_draws_no_warning() {
    let (code, stdout, stderr) = run(&["whatif", "tests/vocabulary/draft_instrument.pacta"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let (code, _, stderr) = run(&[
        "check",
        "facts",
        "rules",
        "tests/vocabulary/draft_instrument.pacta",
    ]);
    assert_eq!(code, 0);
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn a_declared_symbol_no_rule_reads_is_reported_where_it_is_declared() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let extra = dir.path().join("extra.pacta");
    std::fs::write(
        &extra,
        "vocabulary(caveat_kind, nato_precedence, \"NATO remains the foundation\").\n",
    )
    .expect("write");
    let extra = extra.display().to_string();
    let (code, _, stderr) = run(&["check", "facts", "rules", &extra]);
    assert_eq!(code, 0);
    assert!(stderr.contains("warning[unread_symbol]"), "{stderr}");
    assert!(stderr.contains(&format!("{extra}:1:25")), "{stderr}");
}

#[test]
fn an_input_relation_used_with_another_arity_is_an_error_with_its_place() {
    let (code, _, stderr) = run(&["whatif", "tests/vocabulary/input_arity.pacta"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("tests/vocabulary/input_arity.pacta:4:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("but `@input` declares it with 3 arguments"),
        "{stderr}"
    );
}

#[test]
fn a_misspelt_symbol_in_a_goal_or_an_expect_line_is_named_once() {
    let (code, _, stderr) = run(&[
        "query",
        "--as-of",
        "2026-06-01",
        "obliged(S, poland, asist, I, L)",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("not a declared action"), "{stderr}");
    assert!(stderr.contains("did you mean `assist`?"), "{stderr}");
    assert_eq!(stderr.matches("warning[").count(), 1, "{stderr}");
    let dir = tempfile::TempDir::new().expect("temp dir");
    let file = dir.path().join("expect.pacta");
    std::fs::write(
        &file,
        "@asof 2026-06-01.\nattack(russia, poland, 2026-05-01).\nexpect not hollow(budapest_memorandum, russia, guarantor_is_agressor).\n",
    )
    .expect("write");
    let (code, _, stderr) = run(&["whatif", "--summary", &file.display().to_string()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("not a declared hollow reason"), "{stderr}");
    assert!(
        stderr.contains("did you mean `guarantor_is_aggressor`?"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning[").count(), 1, "{stderr}");
}
