//! Knowledge-base tests as data: every scenario file in `tests/kb_scenarios/` states what the
//! texts support as `expect` lines, and the real `pacta whatif` binary must find every one of
//! them holding on the bundled knowledge base (issue 12: who is the aggressor, named
//! adversaries, events bound to instruments, per-beneficiary suspension, scope clauses; issue
//! 13: the claims `tests/kb.rs` used to assert in Rust, one file per scenario and date). A file
//! that fails prints its whatif report, so the failing expectation and its line are in the test
//! output.

use assert_cmd::Command;
use std::fs;

#[test]
fn every_kb_scenario_holds() {
    let mut files: Vec<_> = fs::read_dir("tests/kb_scenarios")
        .expect("the folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pacta"))
        .collect();
    files.sort();
    assert!(files.len() >= 50, "scenario files missing: {files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let out = Command::cargo_bin("pacta")
            .expect("binary builds")
            .arg("whatif")
            .arg(file)
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        // A file with no expectation would pass vacuously: each must check something.
        let checked =
            stdout.contains("expectations: ") && !stdout.contains("expectations: 0 passed");
        if !out.status.success() || !checked {
            failures.push(format!(
                "{} (exit {:?}):\n{stdout}\n{}",
                file.display(),
                out.status.code(),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
