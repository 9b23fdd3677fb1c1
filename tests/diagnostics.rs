//! One small program per diagnostic code, run through the real binary as a user would, with the
//! rendered diagnostics snapshot-tested (`tests/diagnostics/snapshots/`).
//!
//! - `tests/diagnostics/CODE.pacta` is the input that draws `CODE` (`invalid_utf8` and
//!   `file_not_found` have no committed input: the first is written by the test, the second is a
//!   path that does not exist).
//! - Codes that only a parse or analysis can find run as `pacta check FILE`; the ones only
//!   evaluation can find run as `pacta eval FILE --format table` with the flags that provoke them
//!   (`cancelled`: a runaway evaluation interrupted with SIGINT, as Ctrl-C does; Unix only).
//! - The text test snapshots stderr (`NO_COLOR=1`) and checks the exit code, the code string and
//!   the `file:line:col` of the first diagnostic; the JSON test checks the object of SPEC §3.2 and
//!   that it agrees with the text form on every place.
//!
//! To refresh the snapshots after a deliberate change: `INSTA_UPDATE=always cargo test --test
//! diagnostics`, then read every changed `.snap` file.

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;
use std::time::Duration;

/// The folder of inputs, relative to the crate root (the tests run the binary from there so that
/// the paths in diagnostics are short and stable).
const DIR: &str = "tests/diagnostics";

/// How a case is run.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// `pacta check FILE`.
    Check,
    /// `pacta eval FILE --format table EXTRA...`.
    Eval(&'static [&'static str]),
    /// As `Eval`, interrupted with SIGINT (Ctrl-C) after [`INTERRUPT_AFTER`].
    Interrupt(&'static [&'static str]),
    /// `pacta export --format json --kb FILE EXTRA...` (its diagnostics are text only).
    Export(&'static [&'static str]),
}

/// How long an interrupted case runs before its SIGINT (the input runs away, so it is still
/// evaluating then).
const INTERRUPT_AFTER: Duration = Duration::from_millis(1500);

/// One diagnostic code and the input that draws it.
struct Case {
    /// The code, also the input's file stem and the snapshot name.
    code: &'static str,
    /// How the binary is run.
    mode: Mode,
    /// Whether the code is an error (exit 2) or a warning (exit 0).
    error: bool,
    /// `(line, column)` of the first diagnostic, or `None` for a diagnostic without a place.
    at: Option<(usize, usize)>,
}

const fn check(code: &'static str, error: bool, at: Option<(usize, usize)>) -> Case {
    Case {
        code,
        mode: Mode::Check,
        error,
        at,
    }
}

const fn eval(
    code: &'static str,
    extra: &'static [&'static str],
    error: bool,
    at: Option<(usize, usize)>,
) -> Case {
    Case {
        code,
        mode: Mode::Eval(extra),
        error,
        at,
    }
}

/// Every code of `pacta::diag::Code`, in its order.
const CASES: &[Case] = &[
    check("syntax_error", true, Some((3, 24))),
    check("invalid_token", true, Some((2, 26))),
    check("unterminated_string", true, Some((1, 12))),
    check("invalid_escape", true, Some((1, 30))),
    check("integer_out_of_range", true, Some((1, 16))),
    check("invalid_date", true, Some((1, 22))),
    check("invalid_utf8", true, None),
    check("file_not_found", true, None),
    check("arity_mismatch", true, Some((2, 1))),
    check("unbound_variable", true, Some((2, 6))),
    check("wildcard_in_head", true, Some((2, 3))),
    check("cyclic_negation", true, Some((2, 15))),
    eval("integer_overflow", &[], true, Some((2, 1))),
    check("invalid_directive", true, Some((1, 1))),
    eval("invalid_input", &[], true, Some((1, 1))),
    check("unsupported", true, Some((1, 1))),
    check("invalid_aggregate", true, Some((3, 58))),
    eval("fact_limit", &["--max-facts", "10"], true, None),
    eval("timeout", &["--timeout", "0"], true, None),
    eval("memory_limit", &["--max-memory", "64M"], true, None),
    Case {
        code: "cancelled",
        mode: Mode::Interrupt(&["--timeout", "120", "--max-facts", "1000000000"]),
        error: true,
        at: None,
    },
    check("unknown_predicate", false, Some((2, 15))),
    check("singleton_variable", false, Some((2, 23))),
    check("negation_local_variable", false, Some((3, 35))),
    eval("unknown_relation", &["--relation", "nosuch"], false, None),
    check("duplicate_label", true, Some((3, 1))),
    check("unknown_label", true, Some((4, 1))),
    check("cyclic_superiority", true, Some((4, 1))),
    eval("special_file", &[], true, Some((1, 1))),
    check("file_too_large", true, None),
    Case {
        code: "write_failed",
        mode: Mode::Export(&["-o", "tests/diagnostics"]),
        error: true,
        at: None,
    },
    Case {
        code: "overwrites_input",
        mode: Mode::Export(&["-o", "tests/diagnostics/overwrites_input.pacta"]),
        error: true,
        at: None,
    },
    check("bidi_override", false, Some((1, 9))),
    check("unknown_constant", false, Some((3, 15))),
    check("undeclared_symbol", false, Some((5, 20))),
    check("unread_symbol", false, Some((4, 25))),
];

/// Bytes that are not UTF-8: `0xFF` at byte offset 4.
const NOT_UTF8: &[u8] = b"p(\"a\xff\").\n";

/// The crate root, where the binary runs.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A case's input path as passed to the binary, and the temporary folder that holds it (kept
/// alive by the caller) when the test writes it.
fn input(case: &Case) -> (String, Option<tempfile::TempDir>) {
    match case.code {
        "invalid_utf8" => {
            let dir = tempfile::TempDir::new().expect("temp dir");
            let path = dir.path().join("invalid_utf8.pacta");
            std::fs::write(&path, NOT_UTF8).expect("write input");
            (path.display().to_string(), Some(dir))
        }
        "file_not_found" => (format!("{DIR}/does_not_exist.pacta"), None),
        "file_too_large" => {
            // Sparse: 300 MiB on paper, refused before a byte is read.
            let dir = tempfile::TempDir::new().expect("temp dir");
            let path = dir.path().join("file_too_large.pacta");
            let file = std::fs::File::create(&path).expect("create input");
            file.set_len(300 << 20).expect("grow input");
            (path.display().to_string(), Some(dir))
        }
        code => {
            let path = format!("{DIR}/{code}.pacta");
            assert!(root().join(&path).is_file(), "missing input {path}");
            (path, None)
        }
    }
}

/// Runs a case with the given diagnostics format; returns exit code, stdout and stderr (with
/// the temporary folder and crate root replaced by stable names).
fn run(case: &Case, json: bool) -> (Option<i32>, String, String) {
    let (path, tmp) = input(case);
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin!("pacta"));
    cmd.current_dir(root()).env("NO_COLOR", "1");
    let format = if json { "json" } else { "table" };
    match case.mode {
        Mode::Check => {
            cmd.arg("check").arg(&path);
            if json {
                cmd.args(["--format", "json"]);
            }
        }
        Mode::Export(extra) => {
            cmd.args(["export", "--format", "json", "--kb", &path])
                .args(extra);
        }
        Mode::Eval(extra) | Mode::Interrupt(extra) => {
            cmd.arg("eval")
                .arg(&path)
                .args(["--format", format])
                .args(extra);
        }
    }
    let out = if matches!(case.mode, Mode::Interrupt(_)) {
        interrupted(cmd)
    } else {
        Command::from_std(cmd)
            .timeout(Duration::from_secs(60))
            .output()
            .expect("run pacta")
    };
    let clean = |bytes: &[u8]| {
        let mut text = String::from_utf8_lossy(bytes).into_owned();
        if let Some(dir) = &tmp {
            // In JSON, the path is inside a string; it has no characters that need escaping.
            text = text.replace(&dir.path().display().to_string(), "[TMP]");
        }
        text.replace(&root().display().to_string(), "[ROOT]")
    };
    (out.status.code(), clean(&out.stdout), clean(&out.stderr))
}

/// Runs `cmd`, sends it SIGINT after [`INTERRUPT_AFTER`], and collects its output.
fn interrupted(mut cmd: std::process::Command) -> std::process::Output {
    use std::process::Stdio;
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run pacta");
    std::thread::sleep(INTERRUPT_AFTER);
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -INT failed");
    child.wait_with_output().expect("wait for pacta")
}

/// `file:line:col` from the first `╭─[ ... ]` line of rendered text.
fn first_place(text: &str) -> Option<(String, usize, usize)> {
    let line = text.lines().find(|l| l.contains("╭─["))?;
    let inner = line
        .split("╭─[")
        .nth(1)?
        .trim()
        .trim_end_matches(']')
        .trim();
    let mut parts = inner.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, col))
}

/// The file name a diagnostic of `case` should show.
fn shown_path(case: &Case) -> String {
    match case.code {
        "invalid_utf8" | "file_too_large" => format!("[TMP]/{}.pacta", case.code),
        "file_not_found" => format!("{DIR}/does_not_exist.pacta"),
        code => format!("{DIR}/{code}.pacta"),
    }
}

#[test]
fn every_code_has_a_case() {
    // The codes of `src/diag/mod.rs`, read from its `as_str` table so that a new code without a
    // case here fails this test.
    let src = std::fs::read_to_string(root().join("src/diag/mod.rs")).expect("read diag");
    let mut codes: Vec<&str> = src
        .lines()
        .filter_map(|l| l.trim().strip_prefix("Code::"))
        .filter_map(|l| l.split_once("=> \"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split('"').next())
        .collect();
    codes.sort_unstable();
    let mut covered: Vec<&str> = CASES.iter().map(|c| c.code).collect();
    covered.sort_unstable();
    assert!(!codes.is_empty(), "no codes found in src/diag/mod.rs");
    assert_eq!(covered, codes, "one case per diagnostic code");
}

#[test]
fn text_diagnostics() {
    let mut failures = Vec::new();
    for case in CASES {
        let (status, stdout, stderr) = run(case, false);
        let expected_status = if case.error { 2 } else { 0 };
        if status != Some(expected_status) {
            failures.push(format!(
                "{}: exit {status:?}, expected {expected_status}\n{stderr}",
                case.code
            ));
        }
        let word = if case.error { "error" } else { "warning" };
        let head = format!("{word}[{}]: ", case.code);
        if !stderr.starts_with(&head) {
            failures.push(format!(
                "{}: stderr does not start with `{head}`\n{stderr}",
                case.code
            ));
        }
        if case.error && !stdout.is_empty() {
            failures.push(format!("{}: output despite an error:\n{stdout}", case.code));
        }
        if stderr.contains('\x1b') {
            failures.push(format!("{}: colour escapes despite NO_COLOR", case.code));
        }
        match (case.at, first_place(&stderr)) {
            (None, None) => {}
            (Some((line, col)), Some((file, l, c))) => {
                if (file.as_str(), l, c) != (shown_path(case).as_str(), line, col) {
                    failures.push(format!(
                        "{}: at {file}:{l}:{c}, expected {}:{line}:{col}",
                        case.code,
                        shown_path(case)
                    ));
                }
            }
            (want, got) => failures.push(format!(
                "{}: place {got:?}, expected {want:?}\n{stderr}",
                case.code
            )),
        }
        insta::with_settings!({
            snapshot_path => "diagnostics/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("stderr of {}", command_line(case)),
        }, {
            insta::assert_snapshot!(case.code, stderr);
        });
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The command a case runs, for the snapshot header.
fn command_line(case: &Case) -> String {
    match case.mode {
        Mode::Check => format!("pacta check {}", shown_path(case)),
        Mode::Eval(extra) | Mode::Interrupt(extra) => {
            let mut s = format!("pacta eval {} --format table", shown_path(case));
            for a in extra {
                s.push(' ');
                s.push_str(a);
            }
            if matches!(case.mode, Mode::Interrupt(_)) {
                s.push_str(" (interrupted with SIGINT)");
            }
            s
        }
        Mode::Export(extra) => format!(
            "pacta export --format json --kb {} {}",
            shown_path(case),
            extra.join(" ")
        ),
    }
}

/// Checks one JSON diagnostic entry against SPEC §3.2; returns what is wrong.
fn entry_problems(entry: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let Some(obj) = entry.as_object() else {
        return vec![format!("entry is not an object: {entry}")];
    };
    for key in ["code", "message", "file", "line", "column"] {
        if !obj.contains_key(key) {
            out.push(format!("entry lacks `{key}`: {entry}"));
        }
    }
    let code_ok = obj["code"].as_str().is_some_and(|c| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
    });
    if !code_ok {
        out.push(format!("`code` is not snake_case: {entry}"));
    }
    if obj["message"].as_str().is_none_or(str::is_empty) {
        out.push(format!("`message` is not a non-empty string: {entry}"));
    }
    let placed = obj["file"].is_string();
    let pos = |k: &str| obj.get(k).and_then(Value::as_u64).is_some_and(|n| n >= 1);
    if placed {
        if !(pos("line") && pos("column")) {
            out.push(format!(
                "a placed entry needs line and column >= 1: {entry}"
            ));
        }
    } else if !(obj["file"].is_null() && obj["line"].is_null() && obj["column"].is_null()) {
        out.push(format!(
            "file, line and column must all be null or all set: {entry}"
        ));
    }
    if let Some(hint) = obj.get("hint")
        && hint.as_str().is_none_or(str::is_empty)
    {
        out.push(format!(
            "`hint`, when present, is a non-empty string: {entry}"
        ));
    }
    out
}

#[test]
fn json_diagnostics() {
    let mut failures = Vec::new();
    for case in CASES.iter().filter(|c| !matches!(c.mode, Mode::Export(_))) {
        let (status, stdout, stderr) = run(case, true);
        let expected_status = if case.error { 2 } else { 0 };
        if status != Some(expected_status) {
            failures.push(format!(
                "{}: exit {status:?}, expected {expected_status}\n{stderr}",
                case.code
            ));
        }
        if case.error && !stdout.is_empty() {
            failures.push(format!("{}: output despite an error:\n{stdout}", case.code));
        }
        // One JSON object on one line, and nothing else on stderr.
        if stderr.lines().count() != 1 {
            failures.push(format!("{}: stderr is not one line:\n{stderr}", case.code));
            continue;
        }
        let report: Value = match serde_json::from_str(&stderr) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!(
                    "{}: stderr is not JSON ({e}):\n{stderr}",
                    case.code
                ));
                continue;
            }
        };
        let Some(obj) = report.as_object() else {
            failures.push(format!("{}: not a JSON object: {report}", case.code));
            continue;
        };
        let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
        keys.sort_unstable();
        if keys != ["errors", "warnings"] {
            failures.push(format!("{}: keys {keys:?}", case.code));
            continue;
        }
        let (Some(errors), Some(warnings)) = (obj["errors"].as_array(), obj["warnings"].as_array())
        else {
            failures.push(format!("{}: errors/warnings not arrays", case.code));
            continue;
        };
        for entry in errors.iter().chain(warnings) {
            failures.extend(
                entry_problems(entry)
                    .into_iter()
                    .map(|p| format!("{}: {p}", case.code)),
            );
        }
        let list = if case.error { errors } else { warnings };
        if !case.error && !errors.is_empty() {
            failures.push(format!("{}: unexpected errors {report}", case.code));
        }
        let Some(first) = list.first() else {
            failures.push(format!("{}: no diagnostic in {report}", case.code));
            continue;
        };
        if first["code"] != case.code {
            failures.push(format!("{}: first code is {}", case.code, first["code"]));
        }
        let place = match case.at {
            Some((line, col)) => serde_json::json!([shown_path(case), line, col]),
            None => serde_json::json!([null, null, null]),
        };
        let got = serde_json::json!([first["file"], first["line"], first["column"]]);
        if got != place {
            failures.push(format!("{}: place {got}, expected {place}", case.code));
        }
        // The text form says the same things at the same places.
        let (_, _, text) = run(case, false);
        for entry in errors.iter().chain(warnings) {
            let word = if errors.contains(entry) {
                "error"
            } else {
                "warning"
            };
            let head = format!(
                "{word}[{}]: {}",
                entry["code"].as_str().unwrap_or_default(),
                entry["message"].as_str().unwrap_or_default()
            );
            if !text.contains(&head) {
                failures.push(format!("{}: text lacks `{head}`:\n{text}", case.code));
            }
            if let (Some(f), Some(l), Some(c)) = (
                entry["file"].as_str(),
                entry["line"].as_u64(),
                entry["column"].as_u64(),
            ) && !text.contains(&format!("[ {f}:{l}:{c} ]"))
            {
                failures.push(format!("{}: text lacks {f}:{l}:{c}:\n{text}", case.code));
            }
            if let Some(h) = entry["hint"].as_str()
                && !text.contains(&format!("help: {h}"))
            {
                failures.push(format!("{}: text lacks the hint `{h}`", case.code));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn several_errors_in_one_file_are_all_reported() {
    let dir = tempfile::TempDir::new().expect("temp dir");
    let path = dir.path().join("several.pacta");
    std::fs::write(
        &path,
        "p(a).\np(a, b).\nq(X, Y) :- p(X).\ns(_) :- p(_).\nn(1999-02-30).\n",
    )
    .expect("write input");
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .args(["check", "--format", "json"])
        .arg(&path)
        .output()
        .expect("run pacta");
    assert_eq!(out.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&out.stderr).expect("JSON on stderr");
    let codes: Vec<&str> = report["errors"]
        .as_array()
        .expect("errors array")
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    for code in [
        "arity_mismatch",
        "unbound_variable",
        "wildcard_in_head",
        "invalid_date",
    ] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
}
