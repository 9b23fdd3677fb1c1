//! `pacta explain --needed GOAL` and the REPL's `:needed` (issue 16, item 3): the smallest sets
//! of changes to assumable inputs that make a goal hold, each verified, each a what-if file.
//!
//! Snapshots live in `tests/explain/snapshots/`. To refresh them after a deliberate change:
//! `INSTA_UPDATE=always cargo test --release --test needed`, then read every changed `.snap`.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

const RENEWED: &str = "examples/whatif/renewed_attack_2027.pacta";
const US_AT_LEAST_DISCRETIONARY: &str =
    "obliged(united_states, ukraine, A, I, L), level_rank(L, N), N <= 2";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `pacta ARGS...` with `stdin`; returns exit code, stdout and stderr.
fn pacta(args: &[&str], stdin: &str) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .args(args)
        .write_stdin(stdin)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run pacta");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn needed(args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["explain"];
    all.extend_from_slice(args);
    pacta(&all, "")
}

fn snapshot(name: &str, args: &[&str]) -> String {
    let (status, stdout, stderr) = needed(args);
    assert_eq!(status, Some(0), "{stderr}");
    assert_eq!(stderr, "");
    insta::with_settings!({
        snapshot_path => "explain/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => format!("pacta explain {}", args.join(" ")),
    }, {
        insta::assert_snapshot!(name, stdout);
    });
    stdout
}

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let (status, stdout, stderr) = needed(&all);
    assert_eq!(status, Some(0), "{stderr}");
    serde_json::from_str(&stdout).expect("JSON")
}

/// The example: after a renewed Russian attack in 2027, what would oblige the United
/// States at `discretionary` or above? Ukraine joining NATO (one change), or one of the drafts
/// made binding and in force, or the US joining a binding Paris Declaration (two each).
#[test]
fn renewed_attack_2027_what_would_oblige_the_us() {
    let out = snapshot(
        "needed_renewed_attack_2027_us",
        &["--scenario", RENEWED, "--needed", US_AT_LEAST_DISCRETIONARY],
    );
    for expected in [
        "add party(north_atlantic_treaty, ukraine, member, 2027-06-01, 9999-12-31)",
        "form(us_ukraine_security_guarantee, legally_binding) instead of form(us_ukraine_security_guarantee, _)",
        "add in_force(us_ukraine_security_guarantee, 2026-01-06, 9999-12-31)",
        "add party(paris_declaration_2026, united_states, signatory, 2027-06-01, 9999-12-31)",
        "then: A = assist, I = north_atlantic_treaty, L = discretionary, N = 2",
    ] {
        assert!(out.contains(expected), "missing {expected:?} in\n{out}");
    }
}

/// Every set found is minimal (no set contains another), ranked by size, and each what-if file
/// passes `pacta whatif`: its `expect` (the goal) holds.
#[test]
fn every_set_is_minimal_and_its_whatif_file_passes() {
    let v = json(&["--scenario", RENEWED, "--needed", US_AT_LEAST_DISCRETIONARY]);
    assert_eq!(v["holds"], false);
    let found = v["found"].as_array().expect("sets");
    assert!(found.len() >= 4, "{v}");
    let sets: Vec<Vec<String>> = found
        .iter()
        .map(|f| {
            f["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .map(|c| c.to_string())
                .collect()
        })
        .collect();
    for (i, a) in sets.iter().enumerate() {
        if let Some(b) = sets.get(i + 1) {
            assert!(a.len() <= b.len(), "not ranked by size: {sets:?}");
        }
        for (j, b) in sets.iter().enumerate() {
            assert!(
                i == j || !a.iter().all(|c| b.contains(c)),
                "set {i} is inside set {j}: {sets:?}"
            );
        }
    }
    let dir = scratch("whatif_files");
    for (k, f) in found.iter().enumerate() {
        let path = dir.join(format!("set{k}.pacta"));
        std::fs::write(&path, f["whatif"].as_str().expect("file text")).expect("write");
        let (status, stdout, stderr) = pacta(&["whatif", path.to_str().unwrap(), "--summary"], "");
        assert_eq!(status, Some(0), "set {k}: {stdout}{stderr}");
        assert!(stdout.contains("1 passed, 0 failed"), "set {k}: {stdout}");
    }
}

/// A clause that needs more changes than allowed: the answer says nothing that small suffices,
/// and how many it would take.
#[test]
fn nothing_that_small_says_so() {
    let (status, out, stderr) = needed(&[
        "--scenario",
        RENEWED,
        "--max-changes",
        "1",
        "--needed",
        "obliged(united_states, ukraine, A, twenty_point_plan, L)",
    ]);
    assert_eq!(status, Some(0), "{stderr}");
    assert!(
        out.contains("No set of at most 1 assumable change makes it hold."),
        "{out}"
    );
    assert!(out.contains("twenty_point_plan point5: 2 changes"), "{out}");
    let (_, out, _) = needed(&[
        "--scenario",
        RENEWED,
        "--max-changes",
        "2",
        "--needed",
        "obliged(united_states, ukraine, A, twenty_point_plan, L)",
    ]);
    assert!(
        out.contains("1 minimal set of changes makes it hold"),
        "{out}"
    );
}

/// A stance: Austria's neutrality caps TEU 42(7) at `discretionary`; giving it up is the one
/// change that would make Austria's duty to Poland automatic.
#[test]
fn a_stance_can_be_what_it_takes() {
    snapshot(
        "needed_poland_2026_austria_automatic",
        &[
            "--scenario",
            "examples/attack_on_poland_2026.pacta",
            "--as-of",
            "2026-06-01",
            "--needed",
            "obliged(austria, poland, A, I, automatic)",
        ],
    );
}

/// Events: without any attack on record, protection needs an attack and a treaty to answer it.
#[test]
fn events_are_proposed_when_none_is_on_record() {
    let v = json(&["--as-of", "2027-06-01", "--needed", "defended(ukraine)"]);
    let files: Vec<&str> = v["found"]
        .as_array()
        .expect("sets")
        .iter()
        .map(|f| f["whatif"].as_str().unwrap_or_default())
        .collect();
    assert!(
        files
            .iter()
            .any(|f| f.contains("attack(russia, ukraine, 2027-06-01).")
                && f.contains("party(north_atlantic_treaty, ukraine, member")),
        "{files:?}"
    );
}

/// A goal that already holds needs nothing, and says so with its answers.
#[test]
fn a_goal_that_holds_needs_nothing() {
    let (status, out, _) = needed(&[
        "--scenario",
        "examples/attack_on_poland_2026.pacta",
        "--as-of",
        "2026-06-01",
        "--needed",
        "obliged(germany, poland, A, north_atlantic_treaty, L)",
    ]);
    assert_eq!(status, Some(0));
    assert!(out.contains("already holds on 2026-06-01"), "{out}");
    assert!(out.contains("A = assist, L = discretionary"), "{out}");
}

/// Bad input: a misspelt state is an error with did-you-mean (searching it would "join" a new
/// state to treaties), a broken goal a syntax error; both exit 2 with nothing on stdout.
#[test]
fn bad_goals_exit_2_with_a_diagnostic() {
    let (status, out, err) = needed(&["--needed", "obliged(united_states, ukrane, A, I, L)"]);
    assert_eq!(status, Some(2));
    assert_eq!(out, "");
    assert!(err.contains("error[unknown_constant]"), "{err}");
    assert!(err.contains("did you mean `ukraine`?"), "{err}");
    let (status, out, err) = needed(&["--needed", "obliged(united_states, ukraine"]);
    assert_eq!(status, Some(2));
    assert_eq!(out, "");
    assert!(err.contains("<needed>:1:"), "{err}");
    let (status, _, err) = needed(&["--needed", "defended(ukraine)", "defended(ukraine)"]);
    assert_eq!(status, Some(2), "{err}");
}

/// The REPL's `:needed` searches the session as it stands (scenario, date), and
/// `--max-changes` works there too.
#[test]
fn repl_needed_uses_the_session() {
    let script = format!(
        ":scenario {RENEWED}\n:needed --max-changes 1 {US_AT_LEAST_DISCRETIONARY}\n:needed\n"
    );
    let (status, out, err) = pacta(&["repl"], &script);
    assert!(
        out.contains("add party(north_atlantic_treaty, ukraine, member, 2027-06-01, 9999-12-31)"),
        "{out}{err}"
    );
    assert!(out.contains("% --- set 1 of"), "{out}");
    assert!(err.contains("`:needed` needs a goal"), "{err}");
    assert_eq!(status, Some(2), "the bare `:needed` was refused");
}

/// A fresh scratch folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target")
        .join("test-scratch")
        .join(format!("needed-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The search obeys the evaluation limits: a timeout that is too short is an error, exit 2.
#[test]
fn the_search_obeys_the_limits() {
    let (status, out, err) = needed(&[
        "--scenario",
        RENEWED,
        "--timeout",
        "0.001",
        "--needed",
        US_AT_LEAST_DISCRETIONARY,
    ]);
    assert_eq!(status, Some(2), "{out}{err}");
    assert!(err.contains("error[timeout]"), "{err}");
    let (status, _, err) = needed(&[
        "--scenario",
        RENEWED,
        "--max-facts",
        "1000",
        "--needed",
        US_AT_LEAST_DISCRETIONARY,
    ]);
    assert_eq!(status, Some(2));
    assert!(err.contains("error[fact_limit]"), "{err}");
}
