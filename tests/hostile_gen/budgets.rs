//! Issue 15: the limits hold inside every join, and the defaults are resource budgets.
//!
//! A join that rejects almost every candidate stops at `--timeout` and at Ctrl-C (work is
//! counted, not results); a join whose output would not fit stops at the memory budget with
//! `memory_limit` (never an allocation abort, exit 134), also under an address-space limit with
//! default flags; `--timeout` bounds a whole sweep; the REPL keeps its session after any limit;
//! and the default flags no longer refuse a result of more than ten million facts.

use super::limits::stopped;
use super::{BOUND, assert_refused, pacta};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// 1,000 values, then a three-way join whose condition rejects every one of 10^9 candidates.
const FILTERING: &str = "n(0).\nn(Y) :- n(X), X < 999, Y = X + 1.\n\
                         q(X) :- n(A), n(B), n(C), X = A + B + C, X < 0.\n";

/// 1,000 values, then their cube: 10^9 rows of three values (12 GB) that cannot all be kept.
const CUBE: &str = "n(0).\nn(Y) :- n(X), X < 999, Y = X + 1.\nq(X, Y, Z) :- n(X), n(Y), n(Z).\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn bin() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("pacta")
}

#[test]
fn a_join_that_rejects_everything_stops_at_its_timeout() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "filtering.pacta", FILTERING);
    // It ran 28 s past `--timeout 1` when only kept rows were counted.
    stopped(
        &["eval", &file, "--timeout", "1"],
        "timeout",
        Duration::from_secs(6),
    );
}

#[test]
fn ctrl_c_stops_a_join_that_rejects_everything() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "filtering.pacta", FILTERING);
    let child = Command::new(bin())
        .args(["eval", &file])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pacta");
    std::thread::sleep(Duration::from_millis(1500));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success());
    let signalled = Instant::now();
    let pid = child.id().to_string();
    // The harness's bound: kill the process if it has not ended 10 s after the signal.
    let watchdog = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(10));
        let _ = Command::new("kill").args(["-KILL", &pid]).status();
    });
    let out = child.wait_with_output().expect("wait for pacta");
    let took = signalled.elapsed();
    drop(watchdog);
    assert!(
        took < Duration::from_secs(3),
        "stopped {took:?} after Ctrl-C"
    );
    assert_refused(&out, "cancelled", "Ctrl-C in a filtering join");
}

#[test]
fn a_join_too_big_for_memory_stops_at_the_budget() {
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "cube.pacta", CUBE);
    stopped(
        &["eval", &file, "--max-memory", "512M"],
        "memory_limit",
        BOUND,
    );
    // A defeasible cube is grounded by the same joins.
    let theory = "n(0).\nn(Y) :- n(X), X < 999, Y = X + 1.\nr1: q(X, Y, Z) := n(X), n(Y), n(Z).\n";
    let file = write(dir.path(), "cube_defeasible.pacta", theory);
    stopped(
        &["eval", &file, "--max-memory", "512M"],
        "memory_limit",
        BOUND,
    );
    let bad = pacta(&["eval", &file, "--max-memory", "lots"]);
    assert_eq!(
        bad.status.code(),
        Some(2),
        "a bad --max-memory is a usage error"
    );
}

/// Under an address-space limit the default budget follows it; and when `--max-memory` is set
/// above what the system grants, the refused allocation is still a coded error, not an abort.
#[test]
fn no_allocation_failure_aborts_the_process() {
    if Command::new("prlimit").arg("--version").output().is_err() {
        eprintln!("prlimit is not installed; skipped");
        return;
    }
    let dir = TempDir::new().unwrap();
    let file = write(dir.path(), "cube.pacta", CUBE);
    let bin = bin();
    let bin = bin.to_str().unwrap();
    for extra in [&[][..], &["--max-memory", "1T"]] {
        let started = Instant::now();
        let out = Command::new("prlimit")
            .args(["--as=3000000000", bin, "eval", &file, "--format", "count"])
            .args(extra)
            .output()
            .expect("run prlimit");
        assert!(
            started.elapsed() < BOUND,
            "{extra:?}: {:?}",
            started.elapsed()
        );
        assert_refused(
            &out,
            "memory_limit",
            &format!("cube under ulimit -v, {extra:?}"),
        );
    }
}

#[test]
fn timeout_bounds_a_whole_sweep() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let kb = d.join("kb");
    std::fs::create_dir(&kb).unwrap();
    // Each combination is a join of 4 million candidates (the flags reach `q`, so no
    // combination can reuse another's result); 1,024 of them take far more than 1 s.
    write(
        &kb,
        "kb.pacta",
        "n(0).\nn(Y) :- n(X), X < 1999, Y = X + 1.\nq(X) :- flag(F), n(A), n(B), X = A + B + F, X < 0.\nflag(0).\n",
    );
    let mut scenario = String::from("expect q(1).\n");
    for g in 0..10 {
        scenario.push_str(&format!("vary g{g}: flag({}).\n", g + 1));
    }
    let scenario = write(d, "sweep.pacta", &scenario);
    let kb = kb.to_str().unwrap();
    let args = ["whatif", "--kb", kb, "--sweep", &scenario, "--timeout", "1"];
    stopped(&args, "timeout", Duration::from_secs(8));
}

/// More facts than the old default `--max-facts` (ten million): the defaults let it finish.
#[test]
fn the_default_flags_do_not_refuse_a_result_that_fits() {
    if cfg!(debug_assertions) {
        eprintln!("a 12-million-fact result is for release builds; skipped");
        return;
    }
    let dir = TempDir::new().unwrap();
    let text = "n(0).\nn(Y) :- n(X), X < 3500, Y = X + 1.\np(X, Y) :- n(X), n(Y).\n";
    let file = write(dir.path(), "square.pacta", text);
    let out = pacta(&["eval", &file, "--format", "count"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("12257001"), "{stdout}");
    // `--max-facts` is still there when asked for.
    assert_refused(
        &pacta(&["eval", &file, "--max-facts", "1000000"]),
        "fact_limit",
        "explicit --max-facts",
    );
}

/// A limit hit in the REPL ends that line only: the session answers the next one.
#[test]
fn the_repl_keeps_its_session_after_a_limit() {
    let dir = TempDir::new().unwrap();
    let kb = dir.path().join("kb");
    std::fs::create_dir(&kb).unwrap();
    write(
        &kb,
        "kb.pacta",
        "n(0).\nn(Y) :- n(X), X < 999, Y = X + 1.\n",
    );
    let cases = [
        (
            "?- n(A), n(B), n(C), X = A + B + C, X < 0.\n",
            &["--timeout", "1"][..],
            "[timeout]",
        ),
        (
            "?- n(X), n(Y), n(Z).\n",
            &["--max-memory", "256M", "--timeout", "60"],
            "[memory_limit]",
        ),
    ];
    for (query, limits, code) in cases {
        let started = Instant::now();
        let out = assert_cmd::Command::new(bin())
            .env("NO_COLOR", "1")
            .args(["repl", "--kb", kb.to_str().unwrap()])
            .args(limits)
            .write_stdin(format!("?- n(5).\n{query}?- n(7).\n"))
            .timeout(BOUND)
            .output()
            .expect("run pacta repl");
        assert!(started.elapsed() < BOUND);
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        // A scripted session reports the refused line by exit status 2 (README: scripted
        // REPL), and goes on: the queries before and after it answer.
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(code), "{code}: {stderr}");
        assert_eq!(stdout, "yes\nyes\n", "{code}: {stderr}");
    }
}
