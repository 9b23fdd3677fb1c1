//! The real binary, driven as users drive it: formats, exit codes, inputs from CSV.

use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use tempfile::TempDir;

fn pacta() -> Command {
    Command::cargo_bin("pacta").expect("binary builds")
}

fn write(dir: &TempDir, name: &str, text: &str) -> String {
    let path = dir.path().join(name);
    fs::write(&path, text).expect("write test file");
    path.display().to_string()
}

const TC: &str = "edge(a, b). edge(b, c). edge(c, d). edge(x, y).
path(X, Y) :- edge(X, Y).
path(X, Z) :- path(X, Y), edge(Y, Z).
node(X) :- edge(X, _).
node(Y) :- edge(_, Y).
unreachable(X, Y) :- node(X), node(Y), not path(X, Y), X != Y.
reach(X, N) :- node(X), N = #count { Y : path(X, Y) }.
";

#[test]
fn eval_prints_json_with_negation_and_aggregates() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "tc.pacta", TC);
    let out = pacta()
        .args(["eval", &file, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["path"].as_array().unwrap().len(), 7);
    assert_eq!(json["path"][0], serde_json::json!(["a", "b"]));
    assert!(
        json["unreachable"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["d", "a"]))
    );
    assert!(
        !json["unreachable"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!(["a", "d"]))
    );
    assert_eq!(
        json["reach"],
        serde_json::json!([["a", 3], ["b", 2], ["c", 1], ["d", 0], ["x", 1], ["y", 0]])
    );
}

#[test]
fn count_format_is_name_tab_size() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "tc.pacta", TC);
    pacta()
        .args([
            "eval",
            &file,
            "--format",
            "count",
            "--relation",
            "path",
            "--relation",
            "edge",
        ])
        .assert()
        .success()
        .stdout("edge\t4\npath\t7\n");
}

#[test]
fn csv_and_table_formats() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "p.pacta", "p(a, \"b c\", 3). p(d, e, 2025-01-31).");
    pacta()
        .args(["eval", &file, "--format", "csv"])
        .assert()
        .success()
        .stdout("p,a,b c,3\np,d,e,2025-01-31\n");
    pacta()
        .args(["eval", &file, "--format", "table"])
        .assert()
        .success()
        .stdout(predicate::str::contains("p/3 (2 tuples)"));
}

#[test]
fn facts_come_from_csv_and_tsv() {
    let dir = TempDir::new().unwrap();
    write(&dir, "e.csv", "a,b\nb,3\n");
    write(&dir, "d.tsv", "x\t2024-02-29\n");
    let file = write(
        &dir,
        "p.pacta",
        "@import e \"e.csv\".\nr(X, Y) :- e(X, Y).\ns(X, D) :- d(X, D).\n",
    );
    let tsv = dir.path().join("d.tsv").display().to_string();
    let out = pacta()
        .args(["eval", &file, "--facts", &format!("d={tsv}")])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["r"], serde_json::json!([["a", "b"], ["b", 3]]));
    assert_eq!(json["s"], serde_json::json!([["x", "2024-02-29"]]));
}

#[test]
fn errors_exit_2_with_json_diagnostics_on_stderr() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "bad.pacta",
        "p(X) :- q(Y).\nq(a).\nr(a) :- p(a, b).\n",
    );
    let out = pacta()
        .args(["check", &file, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    let codes: Vec<&str> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"unbound_variable"), "{json}");
    assert!(codes.contains(&"arity_mismatch"), "{json}");
    assert_eq!(json["errors"][0]["line"], 1);
    assert!(
        json["errors"][0]["file"]
            .as_str()
            .unwrap()
            .ends_with("bad.pacta")
    );
}

#[test]
fn runtime_overflow_is_an_error_naming_the_rule() {
    let dir = TempDir::new().unwrap();
    let file = write(
        &dir,
        "o.pacta",
        "p(9223372036854775807).\nq(Y) :- p(X), Y = X + 1.\n",
    );
    let out = pacta().args(["eval", &file]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(json["errors"][0]["code"], "integer_overflow");
    assert_eq!(json["errors"][0]["line"], 2);
}

#[test]
fn runaway_recursion_is_stopped_by_max_facts() {
    let dir = TempDir::new().unwrap();
    let file = write(&dir, "n.pacta", "n(0).\nn(Y) :- n(X), Y = X + 1.\n");
    pacta()
        .args(["eval", &file, "--max-facts", "1000", "--format", "table"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("fact_limit"));
}

#[test]
fn missing_and_non_utf8_files_are_errors() {
    let dir = TempDir::new().unwrap();
    pacta()
        .args(["eval", "no/such/file.pacta", "--format", "table"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("file_not_found")
                .and(predicate::str::contains("no/such/file.pacta")),
        );
    let path = dir.path().join("latin1.pacta");
    fs::write(&path, b"p(a).\np(\xe9).\n").unwrap();
    pacta()
        .args(["check", path.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid_utf8").and(predicate::str::contains("offset 8")));
}

#[test]
fn usage_errors_exit_2() {
    pacta().args(["eval"]).assert().code(2);
    pacta().args(["frobnicate"]).assert().code(2);
}

/// Regression: petgraph's Tarjan SCC recursed once per rule of a chain and overflowed the
/// stack at about 100,000 rules; stratification now runs iteratively.
#[test]
fn long_rule_chains_do_not_overflow_the_stack() {
    let dir = TempDir::new().unwrap();
    let n = 100_000;
    let mut datalog = String::from("p_0.\n");
    let mut defeasible = String::from("p_0.\n");
    for i in 0..n {
        datalog.push_str(&format!("p_{} :- p_{i}.\n", i + 1));
        defeasible.push_str(&format!("r_{i}: p_{} := p_{i}.\n", i + 1));
    }
    let plain = write(&dir, "chain.pacta", &datalog);
    pacta()
        .args([
            "eval",
            &plain,
            "--format",
            "count",
            "--relation",
            "p_100000",
        ])
        .assert()
        .success()
        .stdout("p_100000\t1\n");
    let theory = write(&dir, "dchain.pacta", &defeasible);
    pacta()
        .args([
            "eval",
            &theory,
            "--format",
            "count",
            "--relation",
            "p_100000",
        ])
        .assert()
        .success()
        .stdout(
            "definitely.p_100000\t0\nnot_definitely.p_100000\t1\n\
             defeasibly.p_100000\t1\nnot_defeasibly.p_100000\t0\n",
        );
}

/// The README's first command: `pacta` with no arguments opens the REPL on the bundled
/// knowledge base (`rules/` and `facts/`), scripted here through standard input.
#[test]
fn pacta_without_arguments_opens_the_repl_on_the_bundled_kb() {
    pacta()
        .write_stdin("?- true.\n:quit\n")
        .assert()
        .success()
        .stdout("yes\n");
}

/// Output piped into a reader that stops early (`| head`) ends Pacta quietly: no "Broken
/// pipe" panic on stderr (regression: every `print!` panicked once the reader left).
#[test]
fn a_reader_that_stops_early_gets_no_panic() {
    use std::io::Read;
    use std::process::{Command as Std, Stdio};
    let mut child = Std::new(env!("CARGO_BIN_EXE_pacta"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        // About 200 KB of answers: more than a pipe holds.
        .args(["query", "--format", "json"])
        .arg("level_rank(L, N), clause(I, C, T, F, S)")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("runs");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("stdout")
        .read_exact(&mut first)
        .expect("some output");
    // The pipe's reading end is closed here; the rest of the output has nowhere to go.
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let _ = child.wait();
    assert!(!stderr.contains("panicked"), "{stderr}");
}
