//! `pacta timeline`: Poland attacked by the Soviet Union, then Russia, 1955–2026 shows the change
//! points the texts give, and at sampled change points its JSON equals what `pacta query
//! --as-of` answers for the same attack.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeMap;

fn timeline(extra: &[&str]) -> std::process::Output {
    Command::cargo_bin("pacta")
        .unwrap()
        .args(["timeline", "--beneficiary", "poland"])
        .args([
            "--attacker",
            "soviet_union:1991-12-25",
            "--attacker",
            "russia",
        ])
        .args(["--from", "1955-01-01", "--to", "2026-06-01"])
        .args(extra)
        .output()
        .unwrap()
}

fn poland() -> Value {
    let out = timeline(&["--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// State → (level, instruments) at a point.
fn owed(p: &Value) -> BTreeMap<String, (String, Vec<String>)> {
    p["owed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let inst = o["instruments"].as_array().unwrap();
            (
                o["state"].as_str().unwrap().to_string(),
                (
                    o["level"].as_str().unwrap().to_string(),
                    inst.iter()
                        .map(|i| i.as_str().unwrap().to_string())
                        .collect(),
                ),
            )
        })
        .collect()
}

#[test]
fn poland_gains_and_loses_protection_on_the_treaty_dates() {
    let t = poland();
    let points = t["points"].as_array().unwrap();
    let at = |d: &str| {
        points
            .iter()
            .find(|p| p["date"] == d)
            .unwrap_or_else(|| panic!("no change on {d}"))
    };
    let warsaw = owed(at("1955-06-05"));
    assert_eq!(
        warsaw["hungary"],
        (
            "discretionary".to_string(),
            vec!["warsaw_treaty".to_string()]
        )
    );
    assert!(
        !warsaw.contains_key("soviet_union"),
        "the attacker owes nothing"
    );
    // The Pact ended on 1 Jul 1991: nothing is owed from the next day until NATO.
    assert!(owed(at("1991-07-02")).is_empty());
    assert_eq!(at("1991-12-26")["attacker"], "russia");
    let nato = owed(at("1999-03-12"));
    assert_eq!(nato["germany"].1, ["north_atlantic_treaty"]);
    let eu = owed(at("2009-12-01"));
    assert_eq!(
        eu["germany"],
        (
            "automatic".to_string(),
            vec!["treaty_on_european_union".to_string()]
        )
    );
    assert_eq!(eu["austria"].0, "discretionary");
    for p in points {
        let d = p["date"].as_str().unwrap();
        if ("1991-07-02".."1999-03-12").contains(&d) {
            assert!(owed(p).is_empty(), "{d}: the gap");
        }
    }
}

#[test]
fn change_points_equal_query_as_of() {
    let t = poland();
    let points = t["points"].as_array().unwrap();
    let dir = tempfile::tempdir().unwrap();
    // Every third change point, and the last.
    let sample: Vec<&Value> = points.iter().step_by(3).chain(points.last()).collect();
    for p in sample {
        let (d, a) = (p["date"].as_str().unwrap(), p["attacker"].as_str().unwrap());
        let file = dir.path().join(format!("{d}.pacta"));
        std::fs::write(&file, format!("attack({a}, poland, {d}).\n")).unwrap();
        let out = Command::cargo_bin("pacta")
            .unwrap()
            .args(["query", "--format", "json", "--as-of", d, "--scenario"])
            .arg(&file)
            .arg("obliged(S, poland, A, I, L), strongest(S, poland, L)")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
        let mut want: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
        for r in rows {
            let e = want
                .entry(r["S"].as_str().unwrap().to_string())
                .or_insert((r["L"].as_str().unwrap().to_string(), Vec::new()));
            let i = r["I"].as_str().unwrap().to_string();
            if !e.1.contains(&i) {
                e.1.push(i);
                e.1.sort();
            }
        }
        assert_eq!(owed(p), want, "{d}");
    }
}

#[test]
fn formats_and_bad_input() {
    let out = timeline(&["--format", "csv"]);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert!(csv.starts_with("date,attacker,state,level,instruments\n"));
    assert!(csv.contains("1999-03-12,russia,germany,discretionary,north_atlantic_treaty\n"));
    let out = timeline(&["--format", "svg"]);
    let svg = String::from_utf8(out.stdout).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let lanes = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("lane"))
        .count();
    assert!(lanes > 30, "{lanes} lanes");
    assert!(svg.contains("Warsaw Treaty"));
    let table = String::from_utf8(timeline(&[]).stdout).unwrap();
    assert!(table.contains("1999-03-12  russia"), "{table}");
    let bad = Command::cargo_bin("pacta")
        .unwrap()
        .args([
            "timeline",
            "--beneficiary",
            "Poland!",
            "--attacker",
            "russia",
            "--from",
            "2000-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let bad = Command::cargo_bin("pacta")
        .unwrap()
        .args([
            "timeline",
            "--beneficiary",
            "poland",
            "--attacker",
            "russia:1991-13-01",
            "--from",
            "2000-01-01",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    // A name the knowledge base never mentions is warned about, not silently empty.
    let unknown = Command::cargo_bin("pacta")
        .unwrap()
        .args([
            "timeline",
            "--beneficiary",
            "atlantis",
            "--attacker",
            "russia",
        ])
        .args(["--from", "2000-01-01", "--to", "2001-01-01"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("atlantis"));
}
