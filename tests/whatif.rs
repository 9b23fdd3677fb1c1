//! `pacta whatif`, driven as users drive it: golden diffs on a small knowledge base (checked by
//! hand), the bundled examples as CI checks, exit codes 0/1/2, JSON and sweeps.
//!
//! Golden cases: `tests/whatif/cases/NAME.pacta` with `NAME.out`, the expected stdout of
//! `pacta whatif --kb tests/whatif/kb --as-of 2021-01-01 NAME.pacta` (without `--as-of` for a
//! case that sets its own date with `@asof`: an explicit `--as-of` would win over it). Set `UPDATE_GOLDEN=1` to
//! rewrite the `.out` files after a deliberate change (and review the diff).

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

fn pacta() -> Command {
    Command::cargo_bin("pacta").expect("binary builds")
}

#[test]
fn golden_diffs() {
    let mut failures = Vec::new();
    let mut cases: Vec<_> = fs::read_dir("tests/whatif/cases")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pacta"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 4);
    for case in cases {
        let mut cmd = pacta();
        cmd.args(["whatif", "--kb", "tests/whatif/kb"]);
        if !fs::read_to_string(&case).unwrap().contains("@asof") {
            cmd.args(["--as-of", "2021-01-01"]);
        }
        let out = cmd.arg(&case).output().unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let golden = case.with_extension("out");
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::write(&golden, &stdout).unwrap();
        }
        let expected = fs::read_to_string(&golden).unwrap_or_default();
        let code = if expected.contains("FAIL ") { 1 } else { 0 };
        if stdout != expected || out.status.code() != Some(code) {
            failures.push(format!(
                "{}: exit {:?} (expected {code})\n--- got\n{stdout}--- expected\n{expected}",
                case.display(),
                out.status.code()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn bundled_examples_meet_their_expectations() {
    for entry in fs::read_dir("examples/whatif").unwrap() {
        let path = entry.unwrap().path();
        let sweep = path.to_string_lossy().contains("sweep");
        let mut cmd = pacta();
        cmd.arg("whatif").arg("--summary");
        if sweep {
            cmd.arg("--sweep");
        }
        let out = cmd.arg(&path).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}:\n{}{}",
            path.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_plain_examples_still_run() {
    // The scenario files of `pacta query --scenario` are what-if files without directives.
    let out = pacta()
        .args(["whatif", "--as-of", "2022-03-01", "--relation", "hollow"])
        .arg("examples/invasion_2022.pacta")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("+ hollow(budapest_memorandum, russia, guarantor_is_aggressor)"));
    assert!(text.contains("assumed    attack(russia, ukraine, 2022-02-24)"));
}

fn bad(text: &str) -> (i32, String, String) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("bad.pacta");
    fs::write(&path, text).unwrap();
    let out = pacta()
        .args(["whatif", "--kb", "tests/whatif/kb"])
        .arg(&path)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn bad_input_exits_2_pointing_at_the_place() {
    let (code, stdout, stderr) = bad("edge(x, y).\nexpect path(a, .\n");
    assert_eq!(code, 2);
    assert!(
        stdout.is_empty(),
        "a scenario that does not parse changes nothing"
    );
    assert!(stderr.contains("bad.pacta:2:"), "{stderr}");
    let (code, _, stderr) = bad("retract edge(z, _).");
    assert_eq!(
        code, 0,
        "a retraction that matches nothing is a warning (issue 14)"
    );
    assert!(stderr.contains("warning[invalid_directive]") && stderr.contains("bad.pacta:1:1"));
    let (code, _, stderr) = bad("@asof tomorrow.");
    assert_eq!(code, 2);
    assert!(stderr.contains("@asof"), "{stderr}");
    let (code, _, stderr) = bad("expect unknown_thing(X), X = .");
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = bad("\u{0}\u{1}garbage ((((");
    assert_eq!(code, 2);
    let (code, _, stderr) = bad("edgee(x, y).\n");
    assert_eq!(code, 0, "a fact no rule reads is a warning");
    assert!(stderr.contains("unknown_relation") && stderr.contains("did you mean `edge`?"));
    let out = pacta()
        .args(["whatif", "does/not/exist.pacta"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn json_for_machines() {
    let out = pacta()
        .args([
            "whatif",
            "--kb",
            "tests/whatif/kb",
            "--format",
            "json",
            "--as-of",
            "2021-01-01",
        ])
        .args([
            "tests/whatif/cases/retract.pacta",
            "tests/whatif/cases/failing.pacta",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], false);
    let first = &v["scenarios"][0];
    assert_eq!(first["input"]["removed"]["edge"][0][1], "c");
    assert_eq!(
        first["derived"]["removed"]["path"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    assert_eq!(first["expectations"][0]["passed"], true);
    let second = &v["scenarios"][1];
    assert_eq!(second["expectations"][1]["answers"][0]["Y"], "b");
}

#[test]
fn sweeps_run_every_combination() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("sweep.pacta");
    fs::write(
        &path,
        "vary shortcut: edge(a, d).\nvary closed: not edge(c, d).\nexpect path(a, d).\n",
    )
    .unwrap();
    let out = pacta()
        .args([
            "whatif",
            "--sweep",
            "--kb",
            "tests/whatif/kb",
            "--format",
            "json",
        ])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let combos = v["scenarios"][0]["combinations"].as_array().unwrap();
    assert_eq!(combos.len(), 4);
    let holds: Vec<bool> = combos
        .iter()
        .map(|c| c["expectations"][0]["passed"].as_bool().unwrap())
        .collect();
    // (off, off), (off, closed), (shortcut, off), (shortcut, closed)
    assert_eq!(holds, [true, false, true, true]);
    let text = pacta()
        .args(["whatif", "--sweep", "--kb", "tests/whatif/kb"])
        .arg(&path)
        .output()
        .unwrap();
    let table = String::from_utf8(text.stdout).unwrap();
    assert!(table.contains("holds in 3 of 4"), "{table}");
    assert!(Path::new("examples/whatif/ukraine_guarantees_sweep.pacta").exists());
}

/// `pacta query --scenario FILE` on a directive file: its JSON answers, stdout, stderr, exit.
fn query_json(args: &[&str]) -> (Option<i32>, serde_json::Value, String) {
    let out = pacta()
        .arg("query")
        .args(args)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let json = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("stdout is one JSON array ({e}):\n{stdout}\n{stderr}"));
    (out.status.code(), json, stderr)
}

#[test]
fn query_applies_a_scenarios_directives() {
    let file = "examples/whatif/nato_without_us.pacta";
    // `retract` removes the United States from NATO: no obligation to Estonia remains.
    let (code, json, stderr) = query_json(&[
        "--scenario",
        file,
        "obliged(united_states, estonia, A, I, L)",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(json, serde_json::json!([]));
    // The expectations are not checked, and said so on stderr only.
    assert!(
        stderr.contains("4 `expect` statements not used by `pacta query`"),
        "{stderr}"
    );
    // The scenario's fact is added: the United Kingdom is obliged.
    let (_, json, _) = query_json(&[
        "--scenario",
        file,
        "obliged(united_kingdom, estonia, assist, north_atlantic_treaty, L)",
    ]);
    assert_eq!(json, serde_json::json!([{"L": "discretionary"}]));
    // `@asof` sets the date; `--as-of` wins over it.
    let (_, json, _) = query_json(&["--scenario", file, "asof(D)"]);
    assert_eq!(json, serde_json::json!([{"D": "2027-06-01"}]));
    let (_, json, _) = query_json(&["--scenario", file, "--as-of", "2020-01-01", "asof(D)"]);
    assert_eq!(json, serde_json::json!([{"D": "2020-01-01"}]));
    // Without the scenario the United States is a member.
    let (_, json, _) = query_json(&[
        "--as-of",
        "2027-06-01",
        "party(north_atlantic_treaty, united_states, member, _, _)",
    ]);
    assert_eq!(json, serde_json::json!([{}]));
}

#[test]
fn query_refuses_a_bad_scenario_with_its_place() {
    let dir = TempDir::new().unwrap();
    for (text, place) in [
        (
            "attack(russia, estonia, 2027-05-01).\n\nexpect not obliged(X.\n",
            ":3:21",
        ),
        ("@asof soon.\n", ":1:1"),
    ] {
        let path = dir.path().join("bad.pacta");
        fs::write(&path, text).unwrap();
        let out = pacta()
            .args(["query", "--scenario"])
            .arg(&path)
            .arg("obliged(S, estonia, A, I, L)")
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{text}: {stderr}");
        assert!(out.stdout.is_empty(), "{text}");
        assert!(
            stderr.contains(&format!("bad.pacta{place}")),
            "{text}: {stderr}"
        );
    }
}
