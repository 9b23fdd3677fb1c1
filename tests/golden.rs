//! Golden cases as data: the expected answers live next to the programs in `tests/cases/`.
//!
//! - `tests/cases/NAME.pacta` + `NAME.json`: `pacta eval --format json NAME.pacta` must exit 0
//!   and print exactly the JSON object in `NAME.json` (relation → sorted tuples).
//! - `tests/cases/errors/NAME.pacta` + `NAME.codes`: `pacta eval --format json` must exit 2 and
//!   report exactly the error codes listed (one per line, in order) in the JSON object on
//!   stderr; `pacta check --format json` must report the same codes, except the ones only
//!   evaluation can find (`integer_overflow`, `fact_limit`, `timeout`).
//!
//! One test runs every case and reports all failures together, each naming its case. To add a
//! case, add the two files; no code changes.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Codes that only evaluation can produce, so `check` does not report them.
const RUNTIME_CODES: [&str; 4] = ["integer_overflow", "fact_limit", "timeout", "cancelled"];

/// The `.pacta` files of a directory, sorted by name.
fn programs(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "pacta"))
        .collect();
    files.sort();
    files
}

/// Runs `pacta ARGS... FILE`; returns exit code (or `None` if killed), stdout and stderr.
fn run(args: &[&str], file: &Path) -> Result<(Option<i32>, String, String), String> {
    let mut cmd = Command::cargo_bin("pacta").map_err(|e| format!("no pacta binary: {e}"))?;
    let output = cmd
        .args(args)
        .arg(file)
        .timeout(Duration::from_secs(60))
        .output()
        .map_err(|e| format!("cannot run pacta: {e}"))?;
    Ok((
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// A readable list of differences between two `relation → tuples` objects.
fn diff_models(expected: &Value, actual: &Value) -> String {
    let (Some(exp), Some(act)) = (expected.as_object(), actual.as_object()) else {
        return format!("    expected {expected}\n    got      {actual}\n");
    };
    let names: BTreeSet<&String> = exp.keys().chain(act.keys()).collect();
    let mut out = String::new();
    for name in names {
        match (exp.get(name), act.get(name)) {
            (Some(e), None) => out.push_str(&format!("    {name}: missing (expected {e})\n")),
            (None, Some(a)) => out.push_str(&format!("    {name}: unexpected relation {a}\n")),
            (Some(e), Some(a)) if e != a => {
                out.push_str(&format!(
                    "    {name}:\n      expected {e}\n      got      {a}\n"
                ));
                if let (Some(ev), Some(av)) = (e.as_array(), a.as_array()) {
                    let missing: Vec<String> = ev
                        .iter()
                        .filter(|t| !av.contains(t))
                        .map(|t| t.to_string())
                        .collect();
                    let extra: Vec<String> = av
                        .iter()
                        .filter(|t| !ev.contains(t))
                        .map(|t| t.to_string())
                        .collect();
                    if !missing.is_empty() {
                        out.push_str(&format!("      missing  {}\n", missing.join(" ")));
                    }
                    if !extra.is_empty() {
                        out.push_str(&format!("      extra    {}\n", extra.join(" ")));
                    }
                    if missing.is_empty() && extra.is_empty() {
                        out.push_str("      (same tuples, different order)\n");
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Checks one evaluation case; `Err` describes the failure.
fn check_eval_case(program: &Path) -> Result<(), String> {
    let expected_path = program.with_extension("json");
    let expected_text = std::fs::read_to_string(&expected_path)
        .map_err(|e| format!("cannot read {}: {e}", expected_path.display()))?;
    let expected: Value = serde_json::from_str(&expected_text)
        .map_err(|e| format!("{} is not JSON: {e}", expected_path.display()))?;
    let (code, stdout, stderr) = run(&["eval", "--format", "json"], program)?;
    if code != Some(0) {
        return Err(format!(
            "exit code {code:?}, expected 0\n    stderr: {}",
            stderr.trim()
        ));
    }
    let actual: Value = serde_json::from_str(&stdout)
        .map_err(|e| format!("stdout is not JSON ({e}):\n{stdout}"))?;
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "output differs:\n{}",
            diff_models(&expected, &actual)
        ))
    }
}

/// The error codes in a diagnostics JSON object (`{"errors": [{"code": ...}], ...}`).
fn error_codes(stderr: &str) -> Result<Vec<String>, String> {
    let json: Value = serde_json::from_str(stderr.trim())
        .map_err(|e| format!("stderr is not one JSON object ({e}):\n{stderr}"))?;
    let errors = json
        .get("errors")
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no \"errors\" array in {json}"))?;
    errors
        .iter()
        .map(|e| {
            e.get("code")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("error without a \"code\": {e}"))
        })
        .collect()
}

/// Checks one error case with one command; `Err` describes the failure.
fn check_error_command(program: &Path, command: &str, expected: &[String]) -> Result<(), String> {
    let (code, _stdout, stderr) = run(&[command, "--format", "json"], program)?;
    let want_exit = if expected.is_empty() { 0 } else { 2 };
    if code != Some(want_exit) {
        return Err(format!(
            "`pacta {command}`: exit code {code:?}, expected {want_exit}\n    stderr: {}",
            stderr.trim()
        ));
    }
    let codes = if stderr.trim().is_empty() {
        Vec::new()
    } else {
        error_codes(&stderr).map_err(|e| format!("`pacta {command}`: {e}"))?
    };
    if codes == expected {
        Ok(())
    } else {
        Err(format!(
            "`pacta {command}`: error codes {codes:?}, expected {expected:?}"
        ))
    }
}

/// Checks one error case; `Err` describes the failure.
fn check_error_case(program: &Path) -> Result<(), String> {
    let codes_path = program.with_extension("codes");
    let expected: Vec<String> = std::fs::read_to_string(&codes_path)
        .map_err(|e| format!("cannot read {}: {e}", codes_path.display()))?
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if expected.is_empty() {
        return Err(format!("{} lists no codes", codes_path.display()));
    }
    let static_codes: Vec<String> = expected
        .iter()
        .filter(|c| !RUNTIME_CODES.contains(&c.as_str()))
        .cloned()
        .collect();
    let mut problems = Vec::new();
    if let Err(e) = check_error_command(program, "eval", &expected) {
        problems.push(e);
    }
    if let Err(e) = check_error_command(program, "check", &static_codes) {
        problems.push(e);
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n    "))
    }
}

#[test]
fn golden_cases() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let eval_cases = programs(&root);
    let error_cases = programs(&root.join("errors"));
    assert!(
        !eval_cases.is_empty(),
        "no golden cases in {}",
        root.display()
    );

    let mut failures = Vec::new();
    for program in &eval_cases {
        if let Err(e) = check_eval_case(program) {
            failures.push(format!("{}: {e}", display_name(&root, program)));
        }
    }
    for program in &error_cases {
        if let Err(e) = check_error_case(program) {
            failures.push(format!("{}: {e}", display_name(&root, program)));
        }
    }
    let total = eval_cases.len() + error_cases.len();
    assert!(
        failures.is_empty(),
        "{} of {total} golden cases failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// `errors/name.pacta` rather than the full path.
fn display_name(root: &Path, program: &Path) -> String {
    program
        .strip_prefix(root)
        .unwrap_or(program)
        .display()
        .to_string()
}
