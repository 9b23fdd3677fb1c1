//! Hostile input (issue 8, SPEC §7): the real binary, on every file of `tests/hostile/` and on
//! large inputs generated here, must end within a time bound with exit 2, a coded diagnostic
//! on stderr and no panic — never a crash, a hang or a stack overflow.
//!
//! Each corpus file is listed in [`CORPUS`] with the code it must produce; a file missing from
//! the table fails [`every_corpus_file_is_listed`], so the corpus cannot silently rot.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// Wall-clock bound for one run of the binary (debug builds included).
const BOUND: Duration = Duration::from_secs(20);

/// Corpus file → diagnostic code it must produce, and extra `eval` arguments.
const CORPUS: &[(&str, &str, &[&str])] = &[
    ("random_bytes.bin", "invalid_utf8", &[]),
    ("random_ascii.pacta", "invalid_token", &[]),
    ("random_tokens.pacta", "syntax_error", &[]),
    ("huge_integer.pacta", "integer_out_of_range", &[]),
    ("overflow_add.pacta", "integer_overflow", &[]),
    ("overflow_mul_head.pacta", "integer_overflow", &[]),
    ("overflow_neg.pacta", "integer_overflow", &[]),
    ("overflow_sum.pacta", "integer_overflow", &[]),
    ("overflow_recursive.pacta", "integer_overflow", &[]),
    ("overflow_defeasible.pacta", "integer_overflow", &[]),
    ("unstratifiable.pacta", "cyclic_negation", &[]),
    ("unstratifiable_aggregate.pacta", "cyclic_negation", &[]),
    ("unsafe_head.pacta", "unbound_variable", &[]),
    ("unsafe_comparison.pacta", "unbound_variable", &[]),
    ("unsafe_negation_head.pacta", "unbound_variable", &[]),
    ("wildcard_in_head.pacta", "wildcard_in_head", &[]),
    ("arity_clash.pacta", "arity_mismatch", &[]),
    ("arity_clash_strong_negation.pacta", "arity_mismatch", &[]),
    ("non_utf8.pacta", "invalid_utf8", &[]),
    ("non_utf8_overlong.pacta", "invalid_utf8", &[]),
    ("unterminated_string.pacta", "unterminated_string", &[]),
    ("unterminated_string_eof.pacta", "unterminated_string", &[]),
    ("unterminated_comment.pacta", "syntax_error", &[]),
    ("unterminated_rule.pacta", "syntax_error", &[]),
    ("nul_bytes.pacta", "invalid_token", &[]),
    ("control_chars.pacta", "invalid_token", &[]),
    ("bom_then_error.pacta", "unbound_variable", &[]),
    ("bom_twice.pacta", "invalid_token", &[]),
    ("crlf.pacta", "syntax_error", &[]),
    ("lone_cr.pacta", "unbound_variable", &[]),
    ("runaway.pacta", "fact_limit", &["--max-facts", "1000"]),
    (
        "runaway_defeasible.pacta",
        "fact_limit",
        &["--max-facts", "1000"],
    ),
    (
        "runaway_pairs.pacta",
        "fact_limit",
        &["--max-facts", "20000"],
    ),
    ("cyclic_superiority.pacta", "cyclic_superiority", &[]),
    ("unknown_label.pacta", "unknown_label", &[]),
    ("invalid_date.pacta", "invalid_date", &[]),
    ("invalid_escape.pacta", "invalid_escape", &[]),
    ("import_missing.pacta", "file_not_found", &[]),
    ("import_self_directory.pacta", "file_not_found", &[]),
    ("import_dev_zero.pacta", "special_file", &[]),
    ("invalid_unicode_escape.pacta", "invalid_escape", &[]),
    ("nested_aggregate.pacta", "syntax_error", &[]),
    ("only_garbage_unicode.pacta", "invalid_token", &[]),
];

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile")
}

/// Runs the binary with the time bound; a run past it fails the test (assert_cmd kills it).
fn pacta(args: &[&str]) -> Output {
    let started = Instant::now();
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .args(args)
        .timeout(BOUND)
        .output()
        .expect("binary runs");
    assert!(
        started.elapsed() < BOUND,
        "`pacta {}` ran past {BOUND:?}",
        args.join(" ")
    );
    out
}

/// Exit 2, the code on stderr (text `[code]` or JSON `"code":"..."`), no panic.
fn assert_refused(out: &Output, code: &str, what: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{what}: panic\n{stderr}");
    assert!(
        !stderr.contains("overflowed its stack"),
        "{what}: stack overflow\n{stderr}"
    );
    assert_eq!(out.status.code(), Some(2), "{what}: exit code\n{stderr}");
    assert!(
        stderr.contains(&format!("[{code}]")) || stderr.contains(&format!("\"code\":\"{code}\"")),
        "{what}: expected `{code}` on stderr\n{}",
        &stderr[..stderr.len().min(3000)]
    );
}

#[test]
fn every_corpus_case_is_refused_with_its_code() {
    for (name, code, extra) in CORPUS {
        let path = corpus_dir().join(name);
        let path = path.to_str().expect("UTF-8 path");
        for format in ["table", "json"] {
            let mut args = vec!["eval", "--format", format, path];
            args.extend_from_slice(extra);
            assert_refused(&pacta(&args), code, &format!("{name} ({format})"));
        }
    }
}

#[test]
fn every_corpus_file_is_listed() {
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            CORPUS.iter().any(|(n, _, _)| *n == name),
            "{name} is in tests/hostile/ but not in CORPUS"
        );
    }
}

#[test]
fn check_refuses_static_errors_too() {
    for (name, code, extra) in CORPUS {
        // Evaluation-time errors (overflow, limits, imports) are not `check`'s business.
        if !extra.is_empty()
            || matches!(
                *code,
                "integer_overflow" | "fact_limit" | "file_not_found" | "special_file"
            )
        {
            continue;
        }
        let path = corpus_dir().join(name);
        let out = pacta(&["check", path.to_str().unwrap()]);
        assert_refused(&out, code, &format!("check {name}"));
    }
}

#[test]
fn positions_survive_bom_and_crlf() {
    let out = pacta(&["check", corpus_dir().join("crlf.pacta").to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("crlf.pacta:3:9"), "{stderr}");
    let out = pacta(&[
        "check",
        corpus_dir().join("bom_then_error.pacta").to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bom_then_error.pacta:2:3"), "{stderr}");
}

#[test]
fn non_utf8_names_the_byte_offset() {
    let path = corpus_dir().join("non_utf8.pacta");
    let out = pacta(&["eval", path.to_str().unwrap()]);
    assert_refused(&out, "invalid_utf8", "non-UTF-8");
    assert!(String::from_utf8_lossy(&out.stderr).contains("offset 12"));
}

#[test]
fn missing_files_and_directories_name_the_path() {
    let dir = TempDir::new().unwrap();
    let missing = dir.path().join("no_such_file.pacta");
    let missing = missing.to_str().unwrap();
    let folder = dir.path().to_str().unwrap();
    for cmd in ["eval", "check"] {
        for path in [missing, folder] {
            let out = pacta(&[cmd, path]);
            assert_refused(&out, "file_not_found", &format!("{cmd} {path}"));
            assert!(String::from_utf8_lossy(&out.stderr).contains(path));
        }
    }
    let out = pacta(&["query", "--kb", missing, "p(X)"]);
    assert_refused(&out, "file_not_found", "query --kb missing");
    let out = pacta(&["query", "--scenario", missing, "p(X)"]);
    assert_refused(&out, "file_not_found", "query --scenario missing");
}

/// Generated large and deep inputs, with timings.
#[path = "hostile_gen/big.rs"]
mod big;
/// Limits inside every join, memory budgets, and defaults that never refuse what fits.
#[path = "hostile_gen/budgets.rs"]
mod budgets;
/// Special files as inputs, and the one safe writer of outputs (issue 15).
#[path = "hostile_gen/files.rs"]
mod files;
/// Runaway programs, limits on every evaluating command, and files never touched.
#[path = "hostile_gen/limits.rs"]
mod limits;
/// Control characters, bidi overrides, hostile export names and long diagnostics (issue 15).
#[path = "hostile_gen/output.rs"]
mod output;
