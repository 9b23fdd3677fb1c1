//! Runaway programs are stopped by `--max-facts`, `--timeout` and the memory budget on every
//! evaluating command (Datalog and defeasible), overflow names its rule, and the CLI never
//! loses work: a broken scenario writes nothing and no command modifies a file it reads.

use super::{assert_refused, pacta};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};
use tempfile::TempDir;

const RUNAWAY: &str = "n(0).\nn(Y) :- n(X), Y = X + 1.\n";
const RUNAWAY_DEFEASIBLE: &str = "n(0).\nr1: n(Y) := n(X), Y = X + 1.\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// Runs and checks the refusal, that it came well before the time bound, and that nothing was
/// printed on stdout (shared with `budgets`).
pub(super) fn stopped(args: &[&str], code: &str, within: Duration) {
    let started = Instant::now();
    let out = pacta(args);
    assert_refused(&out, code, &args.join(" "));
    assert!(
        started.elapsed() < within,
        "{args:?} took {:?}",
        started.elapsed()
    );
    assert!(
        out.stdout.is_empty(),
        "nothing printed for a stopped evaluation"
    );
}

#[test]
fn runaway_recursion_is_stopped_on_every_evaluating_command() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    for (name, text) in [("plain", RUNAWAY), ("defeasible", RUNAWAY_DEFEASIBLE)] {
        let file = write(d, &format!("{name}.pacta"), text);
        let kb = d.join(name);
        std::fs::create_dir(&kb).unwrap();
        write(&kb, "kb.pacta", text);
        let kb = kb.to_str().unwrap();
        let scenario = write(d, &format!("{name}_scenario.pacta"), text);
        let ok_kb = write(d, "ok.pacta", "m(1).\n");
        let quick = Duration::from_secs(8);
        for limit in [["--max-facts", "5000"], ["--timeout", "0.5"]] {
            let code = if limit[0] == "--timeout" {
                "timeout"
            } else {
                "fact_limit"
            };
            stopped(&[&["eval", &file][..], &limit[..]].concat(), code, quick);
            stopped(
                &[&["eval", "--format", "count", &file][..], &limit[..]].concat(),
                code,
                quick,
            );
            stopped(
                &[&["query", "--kb", kb, "n(X)"][..], &limit[..]].concat(),
                code,
                quick,
            );
            let args = ["query", "--kb", &ok_kb, "--scenario", &scenario, "m(X)"];
            stopped(&[&args[..], &limit[..]].concat(), code, quick);
        }
    }
}

#[test]
fn the_memory_budget_stops_a_runaway_rule() {
    // `--max-facts` is off by default; the memory budget (by default a share of physical
    // memory, here a small one) stops a runaway rule, as does `--timeout`. 16 MiB: a chain of
    // small integers is kept as bits (`eval::known`), so 48 MiB took 23 s to fill (3 s before).
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "runaway.pacta", RUNAWAY);
    let started = Instant::now();
    let out = if cfg!(debug_assertions) {
        pacta(&["eval", &file, "--max-memory", "24M", "--timeout", "5"])
    } else {
        pacta(&["eval", &file, "--max-memory", "16M"])
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("memory_limit") || stderr.contains("timeout"),
        "{stderr} after {:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn integer_overflow_names_the_rule() {
    let dir = TempDir::new().unwrap();
    let text = "big(9223372036854775807).\nok(X) :- big(X).\nnext(Y) :- big(X), Y = X + 1.\n";
    let file = write(dir.path(), "overflow.pacta", text);
    let out = pacta(&["eval", "--format", "table", &file]);
    assert_refused(&out, "integer_overflow", "overflow");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("overflow.pacta:3:1"), "{stderr}");
    assert!(stderr.contains("next(Y) :- big(X), Y = X + 1."), "{stderr}");
    let out = pacta(&["eval", "--format", "json", &file]);
    let json: serde_json::Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(json["errors"][0]["line"], 3, "{json}");
}

/// Every file under `dir`, with its bytes and modification time.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, SystemTime)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let meta = std::fs::metadata(&p).unwrap();
            let bytes = if meta.is_file() {
                std::fs::read(&p).unwrap()
            } else {
                Vec::new()
            };
            (p.display().to_string(), bytes, meta.modified().unwrap())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_broken_scenario_fails_cleanly_and_nothing_is_written() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let kb = write(
        d,
        "kb.pacta",
        "member(poland, nato).\nally(X) :- member(X, nato).\n",
    );
    let broken = [
        ("syntax.pacta", "attack(russia, poland\n"),
        ("arity.pacta", "member(poland).\n"),
        ("unsafe.pacta", "ally(Y) :- member(X, nato).\n"),
        ("cycle.pacta", "ally(X) :- member(X, nato), not ally(X).\n"),
        ("bytes.pacta", "p(\u{0}\u{7}).\n"),
    ];
    for (name, text) in broken {
        write(d, name, text);
    }
    std::fs::write(d.join("latin1.pacta"), b"p(\"\xe9\").\n").unwrap();
    let before = snapshot(d);
    for name in broken.iter().map(|(n, _)| *n).chain(["latin1.pacta"]) {
        let scenario = d.join(name);
        let scenario = scenario.to_str().unwrap();
        let args = ["query", "--kb", &kb, "--scenario", scenario, "ally(X)"];
        let out = pacta(&args);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(
            out.stdout.is_empty(),
            "{name}: no answers from a broken scenario"
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked") && stderr.contains("error["),
            "{name}: {stderr}"
        );
    }
    for cmd in [&["eval"][..], &["check"], &["eval", "--format", "csv"]] {
        for (name, _) in broken {
            let _ = pacta(&[cmd, &[d.join(name).to_str().unwrap()]].concat());
        }
    }
    let _ = pacta(&["query", "--kb", &kb, "ally(X)"]);
    assert_eq!(
        snapshot(d),
        before,
        "no file was created, changed or touched"
    );
}
