//! One knowledge base, one scenario file, one date: `pacta query`, `pacta whatif`, `pacta
//! explain`, `pacta export` and the REPL give the same answers (issue 14: all five are thin
//! clients of one workspace). Driven over every scenario file in `examples/`.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

type Tuple = Vec<String>;

const GOAL: &str = "obliged(S, V, A, I, L)";

fn pacta(args: &[&str], stdin: &str) -> String {
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .args(args)
        .write_stdin(stdin)
        .output()
        .expect("runs");
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// `pacta query` with the scenario (or none): the goal's answers in the order S, V, A, I, L.
fn query(scenario: Option<&str>, date: &str) -> BTreeSet<Tuple> {
    let mut args = vec!["query", "--format", "json", "--as-of", date];
    if let Some(s) = scenario {
        args.extend(["--scenario", s]);
    }
    args.push(GOAL);
    let rows: Vec<Value> = serde_json::from_str(&pacta(&args, "")).expect("JSON answers");
    rows.iter()
        .map(|r| {
            ["S", "V", "A", "I", "L"]
                .iter()
                .map(|k| plain(&r[*k]))
                .collect()
        })
        .collect()
}

/// The REPL: `:scenario FILE`, `:asof DATE`, then the goal; the answer table parsed back.
fn repl(scenario: &str, date: &str) -> BTreeSet<Tuple> {
    let out = pacta(
        &["repl"],
        &format!(":scenario {scenario}\n:asof {date}\n?- {GOAL}.\n"),
    );
    let lines: Vec<&str> = out.lines().collect();
    let header = lines
        .iter()
        .position(|l| l.starts_with("S ") && l.contains('|'))
        .unwrap_or_else(|| panic!("no answer table:\n{out}"));
    lines[header + 2..]
        .iter()
        .take_while(|l| !l.starts_with('('))
        .map(|l| l.split('|').map(|c| c.trim().to_string()).collect())
        .collect()
}

/// `pacta export --format json`: the obligation edges as (S, V, A, I, L).
fn export(scenario: &str, date: &str) -> BTreeSet<Tuple> {
    let args = [
        "export",
        "--format",
        "json",
        "--no-chains",
        "--as-of",
        date,
        "--scenario",
        scenario,
    ];
    let graph: Value = serde_json::from_str(&pacta(&args, "")).expect("JSON graph");
    graph["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter(|e| e["kind"] == "obligation")
        .map(|e| {
            ["from", "to", "action", "instrument", "level"]
                .iter()
                .map(|k| plain(&e[*k]))
                .collect()
        })
        .collect()
}

/// `pacta whatif --format json`: the `obliged` tuples the scenario added and removed.
fn whatif(scenario: &str, date: &str) -> (BTreeSet<Tuple>, BTreeSet<Tuple>) {
    let out = pacta(
        &["whatif", "--format", "json", "--as-of", date, scenario],
        "",
    );
    let doc: Value = serde_json::from_str(&out).expect("JSON what-if");
    let derived = &doc["scenarios"][0]["derived"];
    let set = |which: &str| {
        derived[which]["obliged"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .map(|r| r.as_array().unwrap().iter().map(plain).collect())
                    .collect()
            })
            .unwrap_or_default()
    };
    (set("added"), set("removed"))
}

/// `pacta explain --format json`: whether the fact holds.
fn holds(scenario: &str, date: &str, t: &Tuple) -> bool {
    let fact = format!("obliged({})", t.join(", "));
    let args = [
        "explain",
        "--format",
        "json",
        "--as-of",
        date,
        "--scenario",
        scenario,
        &fact,
    ];
    let e: Value = serde_json::from_str(&pacta(&args, "")).expect("JSON explanation");
    e["answer"] == "holds"
}

/// The date each example is read as of: its year's end for historical ones, else mid-2026.
fn date_for(path: &Path) -> String {
    let name = path.file_stem().unwrap().to_string_lossy();
    let year = name
        .split('_')
        .find_map(|w| w.parse::<u32>().ok().filter(|y| (1900..2026).contains(y)));
    match year {
        Some(y) => format!("{y}-12-31"),
        None => "2026-06-01".into(),
    }
}

#[test]
fn every_command_gives_the_same_answers_for_every_example() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = ["examples", "examples/whatif"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pacta"))
        .filter(|p| !std::fs::read_to_string(p).unwrap().contains("\nvary "))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for path in files {
        let file = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let date = date_for(&path);
        let with = query(Some(&file), &date);
        let without = query(None, &date);
        assert_eq!(repl(&file, &date), with, "REPL vs query: {file}");
        assert_eq!(export(&file, &date), with, "export vs query: {file}");
        let (added, removed) = whatif(&file, &date);
        let want_added: BTreeSet<Tuple> = with.difference(&without).cloned().collect();
        let want_removed: BTreeSet<Tuple> = without.difference(&with).cloned().collect();
        assert_eq!(added, want_added, "whatif vs query (added): {file}");
        assert_eq!(removed, want_removed, "whatif vs query (removed): {file}");
        for t in with.iter().take(2) {
            assert!(holds(&file, &date, t), "explain vs query: {file}: {t:?}");
        }
        if let Some(t) = with.iter().next() {
            let mut other = t.clone();
            other[4] = if other[4] == "automatic" {
                "hortatory"
            } else {
                "automatic"
            }
            .into();
            assert_eq!(
                holds(&file, &date, &other),
                with.contains(&other),
                "explain vs query: {file}: {other:?}"
            );
        }
    }
}
