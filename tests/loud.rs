//! Issue 14, "loud inputs": inputs that gave confident, wrong answers with exit 0 now fail (or
//! warn) with their place. Each test is named after the problem it pins and drives the real
//! binary as a user would, on the bundled knowledge base or on `tests/whatif/kb` (edges
//! a→b→c→d, `path`, and `open(bridge)` from 2020-01-01).

use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tempfile::TempDir;

fn pacta() -> Command {
    let mut cmd = Command::cargo_bin("pacta").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120));
    cmd
}

/// Runs `pacta ARGS` (with `stdin`), returning exit code, stdout and stderr.
fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = pacta().args(args).write_stdin(stdin).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes `text` to `dir/name` and returns the path as a string.
fn file(dir: &TempDir, name: &str, text: &str) -> String {
    let path: PathBuf = dir.path().join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Problem 1: `@asof 2022-02-30.` became "as of 0000-12-31" (empty results, passing
/// `expect not`, exit 0) in every command that reads scenario files.
#[test]
fn an_impossible_asof_date_is_an_error_everywhere() {
    let dir = TempDir::new().unwrap();
    for date in ["2022-02-30", "2022-13-01"] {
        let text = format!(
            "% a scenario\n@asof {date}.\nattack(russia, poland, 2022-01-01).\nexpect not obliged(germany, poland, _, _, _).\n"
        );
        let f = file(&dir, "bad.pacta", &text);
        let place = "bad.pacta:2:7";
        let runs: Vec<Vec<&str>> = vec![
            vec!["whatif", &f],
            vec!["query", "--scenario", &f, "asof(D)"],
            vec!["export", "--format", "json", "--scenario", &f],
            vec!["explain", "--scenario", &f, "asof(2022-01-01)"],
        ];
        for args in runs {
            let (code, stdout, stderr) = run(&args, "");
            assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
            assert!(stdout.is_empty(), "{args:?}: {stdout}");
            assert!(stderr.contains("error[invalid_date]"), "{args:?}: {stderr}");
            assert!(stderr.contains(place), "{args:?}: {stderr}");
            assert!(stderr.contains(&format!("@asof {date}.")), "{stderr}");
        }
        let (code, stdout, stderr) = run(&["repl"], &format!(":scenario {f}\n?- asof(D).\n"));
        assert_eq!(code, 2, "{stdout}{stderr}");
        assert!(stderr.contains(place), "{stderr}");
        assert!(!stdout.contains("0000-12-31"), "{stdout}");
    }
}

/// Problem 2: retracting the US membership and adding it back with a new end date lost the
/// US entirely, because the retraction also removed the scenario's own fact.
#[test]
fn a_retraction_keeps_the_facts_the_scenario_adds() {
    let dir = TempDir::new().unwrap();
    let f = file(
        &dir,
        "us.pacta",
        "@asof 2027-06-01.\nretract party(north_atlantic_treaty, united_states, member, _, _).\nparty(north_atlantic_treaty, united_states, member, 1949-08-24, 2030-01-01).\nattack(russia, estonia, 2027-05-01).\nexpect obliged(united_states, estonia, assist, north_atlantic_treaty, _).\n",
    );
    let (code, stdout, stderr) = run(&["whatif", "--summary", &f], "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("1 passed, 0 failed"), "{stdout}");
    let goal = "party(north_atlantic_treaty, united_states, member, F, T)";
    let (code, stdout, stderr) = run(&["query", "--scenario", &f, goal], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1949-08-24 | 2030-01-01"), "{stdout}");
    assert!(
        !stdout.contains("9999-12-31"),
        "the old fact is gone: {stdout}"
    );
    let repl = format!(":scenario {f}\n?- {goal}.\n");
    let (code, stdout, stderr) = run(&["repl"], &repl);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("1949-08-24 | 2030-01-01\n(1 answer)"),
        "{stdout}"
    );
}

/// Problem 2 (second half): a retraction that matches nothing is a warning with its place
/// (it was an error), in `whatif`, `query --scenario` and the REPL alike.
#[test]
fn a_retraction_that_matches_nothing_is_a_warning() {
    let dir = TempDir::new().unwrap();
    let f = file(
        &dir,
        "s.pacta",
        "edge(d, e).\nretract edge(z, _).\nexpect path(a, e).\n",
    );
    let kb = ["--kb", "tests/whatif/kb"];
    let (code, stdout, stderr) = run(&[&["whatif", &f][..], &kb].concat(), "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.contains("warning[invalid_directive]"), "{stderr}");
    assert!(stderr.contains("s.pacta:2:1"), "{stderr}");
    let (code, stdout, stderr) = run(
        &[&["query", "--scenario", &f][..], &kb, &["path(a, e)"]].concat(),
        "",
    );
    assert_eq!((code, stdout.as_str()), (0, "yes\n"), "{stderr}");
    assert!(stderr.contains("s.pacta:2:1"), "{stderr}");
}

/// Problem 3: comment lines `%:asof` and `%:retract` changed answers in any loaded file.
#[test]
fn comments_never_change_answers() {
    let dir = TempDir::new().unwrap();
    let f = file(
        &dir,
        "c.pacta",
        "%:asof 1990-01-01\n%:retract edge(a, b).\nedge(d, e).\n",
    );
    let kb = ["--kb", "tests/whatif/kb", "--as-of", "2021-01-01"];
    for goal in ["edge(a, b)", "asof(2021-01-01)"] {
        let (code, stdout, stderr) = run(
            &[&["query", "--scenario", &f][..], &kb, &[goal]].concat(),
            "",
        );
        assert_eq!((code, stdout.as_str()), (0, "yes\n"), "{goal}: {stderr}");
    }
    let repl = format!(":load {f}\n?- edge(a, b).\n");
    let (code, stdout, _) = run(&["repl", "--kb", "tests/whatif/kb"], &repl);
    assert_eq!((code, stdout.as_str()), (0, "loaded 1 file(s)\nyes\n"));
}

/// Deliver item 2: a `:save`d session is an ordinary scenario file that `whatif`, `query
/// --scenario` and `:load` read the same way (before, only `query` and `:load` applied its
/// `%:` lines).
#[test]
fn a_saved_session_reads_the_same_in_every_command() {
    let dir = TempDir::new().unwrap();
    let saved = dir.path().join("saved.pacta").display().to_string();
    let repl = format!(":asof 2019-06-01\n:retract edge(a, b).\nedge(x, a).\n:save {saved}\n");
    let (code, _, stderr) = run(&["repl", "--kb", "tests/whatif/kb"], &repl);
    assert_eq!(code, 0, "{stderr}");
    let text = fs::read_to_string(&saved).unwrap();
    assert!(text.contains("\n@asof 2019-06-01.\n"), "{text}");
    assert!(text.contains("\nretract edge(a, b).\n"), "{text}");
    let goal = "path(x, Y), not open(bridge)";
    let (code, query, stderr) = run(
        &[
            "query",
            "--kb",
            "tests/whatif/kb",
            "--scenario",
            &saved,
            goal,
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        query, "Y\n-\na\n(1 answer)\n",
        "edge(a, b) is retracted, as of 2019"
    );
    let (code, repl_out, stderr) = run(
        &["repl", "--kb", "tests/whatif/kb"],
        &format!(":load {saved}\n?- {goal}.\n"),
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(repl_out.ends_with(&query), "{repl_out}");
    let (code, whatif, stderr) = run(&["whatif", "--kb", "tests/whatif/kb", &saved], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(whatif.contains("(as of 2019-06-01)"), "{whatif}");
    assert!(whatif.contains("retracted  edge(a, b)"), "{whatif}");
    assert!(whatif.contains("assumed    edge(x, a)"), "{whatif}");
}

/// Problem 4: `--as-of` overrode `@asof` in `query`, `export` and `explain` but was silently
/// ignored by `whatif`. Now it wins everywhere, with a note on stderr.
#[test]
fn as_of_wins_over_asof_in_every_command_with_a_note() {
    let dir = TempDir::new().unwrap();
    let f = file(&dir, "d.pacta", "@asof 2019-06-01.\nedge(d, e).\n");
    let kb = ["--kb", "tests/whatif/kb", "--as-of", "2021-01-01"];
    let runs: Vec<Vec<&str>> = vec![
        vec!["whatif", &f],
        vec!["query", "--scenario", &f, "asof(D)"],
        vec!["explain", "--scenario", &f, "asof(2021-01-01)"],
        vec!["export", "--format", "json", "--scenario", &f],
    ];
    for args in runs {
        let (code, stdout, stderr) = run(&[&args[..], &kb].concat(), "");
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(stdout.contains("2021-01-01"), "{args:?}: {stdout}");
        assert!(!stdout.contains("2019-06-01"), "{args:?}: {stdout}");
        assert!(
            stderr.contains("d.pacta:1: `@asof 2019-06-01.` is overridden by --as-of 2021-01-01"),
            "{args:?}: {stderr}"
        );
    }
    // Without `--as-of` the file's date counts, without a note.
    let (code, stdout, stderr) = run(&["whatif", "--kb", "tests/whatif/kb", &f], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("(as of 2019-06-01)"), "{stdout}");
    assert!(!stderr.contains("note"), "{stderr}");
}

/// Problem 7: the documented `pacta whatif examples/whatif/*.pacta --summary` exited 1,
/// because the sweep file's questions counted as failed expectations.
#[test]
fn a_plain_run_over_the_examples_explains_the_sweep_file() {
    let mut files: Vec<String> = fs::read_dir("examples/whatif")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".pacta"))
        .collect();
    files.sort();
    let args: Vec<&str> = ["whatif", "--summary"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("skipped: a sweep file (4 `vary` groups)")
            && stdout
                .contains("pacta whatif --sweep examples/whatif/ukraine_guarantees_sweep.pacta"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&[&args[..], &["--format", "json"]].concat(), "");
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(doc["passed"], true);
}

/// Problem 9: piped into the REPL, an invalid UTF-8 line silently ended the session, a stray
/// `"` swallowed every following line, and failed commands left the exit status 0.
#[test]
fn a_scripted_repl_reports_bad_lines_and_goes_on() {
    let mut input: Vec<u8> = b"?- edge(a, b).\nedge(\xff, x).\n?- edge(b, c).\n".to_vec();
    input.extend_from_slice(b"edge(\"open, x).\n?- edge(c, d).\nedge(p,\n:help\nedge(q, r)\n");
    let out = pacta()
        .args(["repl", "--kb", "tests/whatif/kb"])
        .write_stdin(input)
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(
        stdout.starts_with("yes\nyes\nyes\n"),
        "every query answered: {stdout}"
    );
    assert!(stdout.contains("Pacta REPL"), ":help ran: {stdout}");
    for expected in [
        "error[invalid_utf8]: <stdin>:2:",
        "error[unterminated_string]: <stdin>:4:",
        "error[syntax_error]: <stdin>:6:",
        "error[syntax_error]: <stdin>:8:",
    ] {
        assert!(stderr.contains(expected), "{expected}\n{stderr}");
    }
    // A script whose inputs all succeed still exits 0; a failed `expect` exits 1.
    let (code, _, _) = run(&["repl", "--kb", "tests/whatif/kb"], "?- edge(a, b).\n");
    assert_eq!(code, 0);
}

/// Problem 9 (exit status): a scenario whose expectation fails makes the script exit 1.
#[test]
fn a_scripted_repl_exits_1_when_an_expectation_fails() {
    let dir = TempDir::new().unwrap();
    let f = file(&dir, "e.pacta", "expect path(d, a).\n");
    let (code, stdout, _) = run(
        &["repl", "--kb", "tests/whatif/kb"],
        &format!(":scenario {f}\n"),
    );
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL  expect path(d, a)"), "{stdout}");
    assert!(Path::new(&f).exists());
}

/// Problem 6: `pacta check` called the repository's own scenario files' directives "syntax
/// errors" and failed on a folder ("Is a directory").
#[test]
fn check_accepts_scenario_files_and_folders() {
    for args in [
        vec!["check", "examples/whatif/nato_without_us.pacta"],
        vec!["check", "examples/whatif/ukraine_guarantees_sweep.pacta"],
        vec!["check", "examples/"],
        vec!["check", "examples/whatif", "tests/whatif/kb"],
    ] {
        let (code, _, stderr) = run(&args, "");
        assert_eq!(code, 0, "{args:?}: {stderr}");
        assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    }
    // Bad directives are still errors, with their place.
    let dir = TempDir::new().unwrap();
    let f = file(&dir, "c.pacta", "p(a).\n@asof 2022-02-30.\nretract p(.\n");
    let (code, _, stderr) = run(&["check", &f], "");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("c.pacta:2:7") && stderr.contains("c.pacta:3:11"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["check", "no/such/folder"], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("error[file_not_found]"), "{stderr}");
}

/// Problem 8: errors in `pacta query` quoted the internal rule (`pacta_query_answer(S, A, I,
/// L) :- …`) and a `.` the user never typed. Now they quote the goal as typed, at its columns,
/// with or without scenario files (two code paths) and in the REPL.
#[test]
fn query_diagnostics_quote_the_goal_as_typed() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["query", "foo(X"], "foo(X"),
        (
            vec!["query", "?- obliged(S, poland, A, I, L), X > 3."],
            "unbound",
        ),
        (
            vec![
                "query",
                "--scenario",
                "examples/whatif/nato_without_us.pacta",
                "obliged(S, estonia, A, I, L), X > 3",
            ],
            "unbound_directives",
        ),
    ];
    let mut shown = String::new();
    for (args, _) in &cases {
        let (code, stdout, stderr) = run(args, "");
        assert_eq!(code, 2, "{args:?}");
        assert!(stdout.is_empty());
        assert!(!stderr.contains("pacta_query_answer"), "{stderr}");
        shown.push_str(&format!("$ pacta {}\n{stderr}\n", args.join(" ")));
    }
    let (code, _, stderr) = run(
        &["repl", "--kb", "tests/whatif/kb"],
        "?- edge(X, Y), Z > 1.\n",
    );
    assert_eq!(code, 2);
    assert!(stderr.contains(" 1 │ ?- edge(X, Y), Z > 1.\n"), "{stderr}");
    assert!(stderr.contains("<query>:1:16"), "{stderr}");
    insta::with_settings!({
        snapshot_path => "loud/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
    }, {
        insta::assert_snapshot!("query_diagnostics", shown);
    });
}

/// A misspelt state in a fact typed at the REPL (`polnd`) was taken without a word, and the
/// question after it answered as if no attack had been typed. A name used again after it was
/// typed once, or a name of the knowledge base, draws nothing.
#[test]
fn a_misspelt_state_typed_at_the_repl_draws_a_warning() {
    let (_, stdout, stderr) = run(
        &["repl"],
        "attack(russia, polnd, 2026-10-01).\nattack(russia, poland, 2026-10-01).\n\
         ?- obliged(S, poland, assist, north_atlantic_treaty, L).\n",
    );
    assert!(stderr.contains("warning[unknown_constant]"), "{stderr}");
    assert!(
        stderr.contains("<session>:1:16") && stderr.contains("did you mean `poland`?"),
        "{stderr}"
    );
    assert_eq!(stderr.matches("unknown_constant").count(), 1, "{stderr}");
    assert!(!stdout.contains("(0 answers)"), "{stdout}");
    let (_, _, stderr) = run(
        &["repl"],
        "party(new_pact, atlantis, member, 2026-01-01, 9999-12-31).\n\
         party(new_pact, atlantis, member, 2026-02-01, 9999-12-31).\n",
    );
    assert_eq!(stderr.matches("unknown_constant").count(), 2, "{stderr}");
}

/// Problem 5: a misspelt state in a goal or scenario (`estonai`, `polnd`) gave zero answers
/// and passing expectations without a word; "did you mean" for `germny` listed albania,
/// belgium and bulgaria.
#[test]
fn a_misspelt_state_draws_a_warning_with_the_nearest_name() {
    let (code, stdout, stderr) = run(&["query", "obliged(S, polnd, A, I, L)"], "");
    assert_eq!(code, 0, "a warning, not an error");
    assert!(stdout.contains("(0 answers)"));
    assert!(stderr.contains("warning[unknown_constant]"), "{stderr}");
    assert!(
        stderr.contains("<query>:1:12") && stderr.contains("did you mean `poland`?"),
        "{stderr}"
    );
    let dir = TempDir::new().unwrap();
    let f = file(
        &dir,
        "es.pacta",
        "@asof 2027-06-01.\nattack(russia, estonai, 2027-05-01).\nexpect not obliged(united_states, estonia, _, _, _).\nexpect not unprotected(estonai, russsia).\n",
    );
    let (code, _, stderr) = run(&["whatif", &f], "");
    assert_eq!(code, 0);
    for expected in [
        "es.pacta:2:16",
        "did you mean `estonia`?",
        "es.pacta:4:33",
        "did you mean `russia`?",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    let (_, stdout, stderr) = run(
        &["repl"],
        &format!(":scenario {f}\n?- strongest(germny, X, L).\n"),
    );
    assert!(stderr.contains("es.pacta:2:16"), "{stderr}");
    assert!(stderr.contains("did you mean `germany`?"), "{stderr}");
    assert!(stdout.contains("(0 answers)"), "{stdout}");
    // A new name used throughout a scenario (a hypothetical instrument) is not a misspelling.
    let (_, _, stderr) = run(&["whatif", "examples/guarantees_for_russia.pacta"], "");
    assert!(!stderr.contains("unknown_constant"), "{stderr}");
    // The nearest facts of `explain` rank by spelling among equally good matches.
    let (_, stdout, _) = run(
        &[
            "explain",
            "party(north_atlantic_treaty, germny, member, 1955-05-06, 9999-12-31)",
        ],
        "",
    );
    let near = stdout
        .lines()
        .find(|l| l.starts_with("Nearest facts"))
        .unwrap_or("");
    assert!(
        near.starts_with("Nearest facts of `party`: party(north_atlantic_treaty, germany,"),
        "{stdout}"
    );
}

/// A misspelt state in a `vary` group (`japn`) made every combination with the group on the
/// same as with it off, with no word: the group's facts are checked for names the knowledge
/// base never mentions, like a scenario's own facts.
#[test]
fn a_misspelt_name_in_a_sweep_group_is_a_warning_with_its_place() {
    let dir = TempDir::new().unwrap();
    let sweep = file(
        &dir,
        "sweep.pacta",
        "vary g: party(paris_declaration_2026, japn, signatory, 2026-06-01, 9999-12-31).\n\
         expect obliged(japan, ukraine, _, _, _).\n",
    );
    let (_, _, stderr) = run(&["whatif", "--sweep", &sweep], "");
    assert!(stderr.contains("`japn`"), "{stderr}");
    assert!(stderr.contains("sweep.pacta:1:"), "{stderr}");
}
