//! The knowledge base's claims are data: `tests/kb_scenarios/*.pacta` states them as `expect`
//! lines, run through `pacta whatif` by `tests/kb_scenarios.rs`. What stays here cannot be said
//! as an expectation: that the scenario files in `examples/` use only what the rules read.

use assert_cmd::Command;
use std::fs;

/// Every file directly in `examples/` loads on the bundled knowledge base without a warning:
/// no event the rules ignore (issue 13: `deployed/3` changed nothing and is gone), no misspelt
/// or undeclared symbol.
#[test]
fn every_example_scenario_loads_without_a_warning() {
    let mut files: Vec<_> = fs::read_dir("examples")
        .expect("the folder exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pacta"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "examples missing: {files:?}");
    for file in &files {
        let out = Command::cargo_bin("pacta")
            .expect("binary builds")
            .args(["whatif", "--summary", "--as-of", "2027-01-01"])
            .arg(file)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", file.display());
        assert!(stderr.is_empty(), "{}: {stderr}", file.display());
    }
}
