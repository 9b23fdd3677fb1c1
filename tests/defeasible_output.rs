//! `pacta eval` on defeasible theories in every output format (issue 18, item 3).
//!
//! The writers stream the conclusions relation by relation (`cli::conclusions`) instead of
//! printing a model built first. The snapshots hold the bytes the model printer gave (made
//! with the binary before streaming), for a short chain, conflicting pairs, and a theory with
//! strings that CSV must quote, dates, negative numbers, defeaters and an unresolved conflict.
//! A second test checks that a long chain is printed without a model of everything in memory.

use std::path::{Path, PathBuf};
use std::process::Command;

const FORMATS: [&str; 5] = ["count", "json", "table", "csv", "json --relation p_3"];

/// `p_0.` and `r_i: p_{i+1} := p_i.` for `i < n`.
fn chain(n: usize) -> String {
    let mut text = String::from("p_0.\n");
    for i in 0..n {
        text.push_str(&format!("r_{i}: p_{} := p_{i}.\n", i + 1));
    }
    text
}

/// `n` pairs `r_i: q_i := a_i.  s_i: ~q_i := a_i.  r_i > s_i.` with fact `a_i`.
fn pairs(n: usize) -> String {
    (0..n)
        .map(|i| {
            format!("a_{i}.\nr_{i}: q_{i} := a_{i}.\ns_{i}: ~q_{i} := a_{i}.\nr_{i} > s_{i}.\n")
        })
        .collect()
}

const MIXED: &str = r#"q.
r1: p("a,b", 2020-01-02, -5) := q.
r2: p("x\"y", 2021-03-04, 12345) := q.
r3: ~p("é wide", 2021-03-04, 7) := q.
r4: p("é wide", 2021-03-04, 7) := q.
d1: s(X) :~ t(X).
t(1).
d2: ~s(X) :~ t(X).
m(X, Y) := t(X), Y = X * 2.
"#;

/// A file of the test's own in the temporary directory.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pacta-defeasible-output-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write theory");
    path
}

fn eval(path: &Path, format: &str) -> String {
    let mut args = vec!["eval".to_string(), "--format".to_string()];
    args.extend(format.split(' ').map(str::to_string));
    args.push(path.display().to_string());
    let out = Command::new(env!("CARGO_BIN_EXE_pacta"))
        .args(&args)
        .output()
        .expect("pacta runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

#[test]
fn every_format_prints_what_the_model_printer_printed() {
    for (name, text) in [
        ("chain", chain(5)),
        ("pairs", pairs(3)),
        ("mixed", MIXED.to_string()),
    ] {
        // Names are file names in the table's conflicts: the same for every run.
        let path = file(&format!("{name}.pacta"), &text);
        for format in FORMATS {
            let shown = eval(&path, format).replace(&path.display().to_string(), "THEORY");
            let snapshot = format!("{name}_{}", format.replace([' ', '-'], "_"));
            insta::assert_snapshot!(snapshot, shown);
        }
        let _ = std::fs::remove_file(path);
    }
}

/// Peak memory of this test's children, in MB (`getrusage`: only processes waited for).
fn children_peak_mb() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is a valid, writable `rusage`.
    let ok = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(ok, 0, "getrusage");
    usage.ru_maxrss / 1024
}

#[test]
fn a_long_chain_is_printed_without_a_model_of_everything() {
    // 200,000 rules: the model printer needed about 480 MB for a table or CSV of them (the
    // streamed writers about a quarter of that). Memory, not time: the bound holds on a busy
    // machine too.
    let n = 200_000;
    let path = file("long_chain.pacta", &chain(n));
    for format in ["table", "csv", "json"] {
        let out = eval(&path, format);
        assert!(
            out.contains(&format!("p_{n}")),
            "{format} names the last literal"
        );
    }
    let _ = std::fs::remove_file(path);
    let peak = children_peak_mb();
    assert!(peak < 300, "peak memory {peak} MB for a chain of {n} rules");
}
