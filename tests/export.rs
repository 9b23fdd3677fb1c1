//! `pacta export`: every format is valid (XML and JSON parse, DOT is accepted by Graphviz where
//! installed), and the SVG shows what it should: the expected nodes and edges, a tooltip on each,
//! clause text from the facts, and no label overlapping another label or a node.

use assert_cmd::Command;

fn export(format: &str, scenario: &str, as_of: &str) -> String {
    export_with(format, scenario, as_of, &[])
}

fn export_with(format: &str, scenario: &str, as_of: &str, extra: &[&str]) -> String {
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .args([
            "export",
            "--format",
            format,
            "--scenario",
            scenario,
            "--as-of",
            as_of,
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const POLAND: &str = "examples/attack_on_poland_2026.pacta";
const UKRAINE: &str = "examples/invasion_2022.pacta";

#[test]
fn json_lists_obligations_with_clause_text() {
    let text = export("json", POLAND, "2026-06-01");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let edges = v["edges"].as_array().unwrap();
    let germany = edges
        .iter()
        .find(|e| {
            e["from"] == "germany"
                && e["to"] == "poland"
                && e["instrument"] == "north_atlantic_treaty"
        })
        .expect("Germany is obliged toward Poland under NATO");
    assert_eq!(germany["level"], "discretionary");
    assert_eq!(germany["kind"], "obligation");
    let evidence = germany["evidence"][0].as_str().unwrap();
    assert!(evidence.contains("an armed attack against one or more of them"));
    assert!(
        edges
            .iter()
            .any(|e| e["kind"] == "attack" && e["from"] == "russia")
    );
    assert!(
        edges.iter().any(|e| e["kind"] == "chain"),
        "chains are derived"
    );
    assert_eq!(v["levels"][0], "automatic");
}

#[test]
fn graphml_and_svg_are_well_formed_xml() {
    for (format, root) in [("graphml", "graphml"), ("svg", "svg")] {
        let text = export(format, UKRAINE, "2022-03-01");
        let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{format}: {e}"));
        assert_eq!(doc.root_element().tag_name().name(), root);
    }
}

#[test]
fn dot_is_accepted_by_graphviz_if_installed() {
    let text = export("dot", POLAND, "2026-06-01");
    assert!(text.starts_with("digraph pacta {"));
    assert!(text.contains("\"germany\" -> \"poland\""));
    let Ok(mut child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
    else {
        eprintln!("skipped: Graphviz `dot` is not installed");
        return;
    };
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success(), "dot rejected the output");
}

#[test]
fn mermaid_is_a_flowchart() {
    let text = export("mermaid", UKRAINE, "2022-03-01");
    assert!(text.starts_with("flowchart LR\n"));
    let russia = text
        .lines()
        .find_map(|l| l.trim().strip_suffix("[\"russia\"]"))
        .expect("a russia node");
    assert!(text.contains(&format!("{russia} ==>")));
    assert!(text.contains("budapest_memorandum · hollow"));
}

/// (x, y, width, height) of an element from its attributes.
fn rect(n: roxmltree::Node) -> (f32, f32, f32, f32) {
    let f = |a: &str| n.attribute(a).and_then(|v| v.parse().ok()).unwrap_or(0.0);
    (f("x"), f("y"), f("width"), f("height"))
}

fn overlap(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

#[test]
fn svg_picture_check() {
    for (scenario, date, nodes, must) in [
        (
            POLAND,
            "2026-06-01",
            &["poland", "germany", "france", "russia", "austria"][..],
            &[
                "north_atlantic_treaty · discretionary",
                "treaty_on_european_union · automatic",
            ][..],
        ),
        (
            UKRAINE,
            "2022-03-01",
            &["ukraine", "russia", "united_kingdom", "united_states"][..],
            &[
                "budapest_memorandum · hollow: guarantor_is_aggressor",
                "budapest_memorandum · hollow: enforcement_veto",
            ][..],
        ),
    ] {
        let text = export_with("svg", scenario, date, &["--ungrouped"]);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let groups: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("g"))
            .filter(|n| matches!(n.attribute("class"), Some("node" | "edge")))
            .collect();
        for g in &groups {
            let title = g.children().find(|c| c.has_tag_name("title"));
            assert!(
                title.and_then(|t| t.text()).is_some_and(|t| !t.is_empty()),
                "every node and edge has a tooltip"
            );
        }
        let names: Vec<&str> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("n"))
            .filter_map(|n| n.text())
            .collect();
        for n in nodes {
            assert!(names.contains(n), "{scenario}: node {n} missing");
        }
        let labels: Vec<(String, (f32, f32, f32, f32))> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("l"))
            .map(|n| {
                let t = n.text().unwrap_or_default().to_string();
                let (x, y, _, _) = rect(n);
                let w = t.chars().count() as f32 * 6.6;
                (t, (x, y - 10.0, w, 12.0))
            })
            .collect();
        for m in must {
            assert!(
                labels.iter().any(|(t, _)| t == m),
                "{scenario}: no edge `{m}`"
            );
        }
        let boxes: Vec<(f32, f32, f32, f32)> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name("rect")
                    && n.parent().and_then(|p| p.attribute("class")) == Some("node")
            })
            .map(rect)
            .collect();
        for (i, (t, a)) in labels.iter().enumerate() {
            for (u, b) in &labels[i + 1..] {
                assert!(
                    !overlap(*a, *b),
                    "{scenario}: labels `{t}` and `{u}` overlap"
                );
            }
            for b in &boxes {
                assert!(!overlap(*a, *b), "{scenario}: label `{t}` overlaps a node");
            }
        }
        // The evidence in the tooltips is the clause text of the facts.
        if scenario == UKRAINE {
            assert!(text.contains("budapest_memorandum para"));
        }
    }
}

#[test]
fn bad_scenario_exits_2() {
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .args([
            "export",
            "--format",
            "svg",
            "--scenario",
            "no/such/file.pacta",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn scenario_directives_apply_and_as_of_wins() {
    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("pacta")
            .unwrap()
            .args(["export", "--format", "json", "--no-chains", "--scenario"])
            .arg("examples/whatif/nato_without_us.pacta")
            .args(extra)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    // `@asof 2027-06-01` and `retract party(north_atlantic_treaty, united_states, ...)`.
    let v = run(&[]);
    assert_eq!(v["as_of"], "2027-06-01");
    let edges = v["edges"].as_array().unwrap();
    assert!(
        edges.iter().any(|e| e["to"] == "estonia"),
        "the attack is added"
    );
    assert!(
        !edges
            .iter()
            .any(|e| e["from"] == "united_states" && e["to"] == "estonia"),
        "the United States left NATO"
    );
    assert_eq!(run(&["--as-of", "2027-07-01"])["as_of"], "2027-07-01");
}

#[test]
fn grouped_svg_draws_poland_as_a_few_groups() {
    let text = export("svg", POLAND, "2026-06-01");
    let doc = roxmltree::Document::parse(&text).unwrap();
    let svg = doc.root_element();
    let size = |a: &str| svg.attribute(a).unwrap().parse::<f32>().unwrap();
    assert!(
        size("width") <= 1400.0 && size("height") <= 1000.0,
        "fits a 1400x1000 screen"
    );
    let nodes: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .collect();
    assert!(nodes.len() <= 10, "{} nodes", nodes.len());
    let firsts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("n"))
        .filter_map(|n| n.text())
        .collect();
    assert!(firsts.contains(&"poland") && firsts.contains(&"russia"));
    assert!(firsts.iter().any(|t| t.ends_with(" states")), "{firsts:?}");
    // Commitments are written once, in their node, with the instrument's title.
    assert!(text.contains("North Atlantic Treaty Art 5 · discretionary"));
    assert!(text.contains("Treaty on European Union Art 42(7) · automatic"));
    assert!(!text.contains(">north_atlantic_treaty · "));
    // The members are named in the tooltip and the legend.
    assert!(text.contains("belgium, bulgaria"));
    assert!(text.contains("attack 2026-05-01"));
    // Every edge has a tooltip with the clause text.
    for e in doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("edge"))
    {
        let t = e.children().find(|c| c.has_tag_name("title")).unwrap();
        assert!(!t.text().unwrap_or_default().is_empty());
    }
}

#[test]
fn filters_apply_to_every_format() {
    let edges = |extra: &[&str]| -> Vec<serde_json::Value> {
        let v: serde_json::Value =
            serde_json::from_str(&export_with("json", POLAND, "2026-06-01", extra)).unwrap();
        v["edges"].as_array().unwrap().clone()
    };
    let all = edges(&[]);
    let automatic = edges(&["--min-level", "automatic"]);
    assert!(automatic.len() < all.len());
    assert!(
        automatic
            .iter()
            .all(|e| e["kind"] == "attack" || e["level"] == "automatic")
    );
    let nato = edges(&["--instrument", "north_atlantic_treaty"]);
    assert!(
        nato.iter()
            .all(|e| e["kind"] == "attack" || e["instrument"] == "north_atlantic_treaty")
    );
    let focus = edges(&["--focus", "germany"]);
    assert!(!focus.is_empty());
    assert!(
        focus
            .iter()
            .all(|e| e["from"] == "germany" || e["to"] == "germany")
    );
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .args(["export", "--format", "svg", "--scenario", POLAND])
        .args(["--min-level", "urgent"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("automatic, discretionary"));
}

#[test]
fn grouped_svg_is_well_formed_for_the_reassurance_force() {
    let text = export(
        "svg",
        "examples/reassurance_force_attacked.pacta",
        "2027-01-01",
    );
    roxmltree::Document::parse(&text).unwrap();
    assert!(text.contains("attack on forces in ukraine, 2026-11-01"));
}

/// A scenario in which `aggressor_x` attacks every party of the alliances in the bundled
/// knowledge base: a matrix of about 50 × 50.
fn everyone_attacked() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut states = std::collections::BTreeSet::new();
    for f in std::fs::read_dir("facts").unwrap() {
        let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
        for line in text.lines() {
            for i in [
                "north_atlantic_treaty",
                "treaty_on_european_union",
                "collective_security_treaty",
                "anzus_treaty",
            ] {
                if let Some(rest) = line.strip_prefix(&format!("party({i},")) {
                    states.insert(rest.split(',').next().unwrap().trim().to_string());
                }
            }
        }
    }
    let text: String = states
        .iter()
        .map(|s| format!("attack(aggressor_x, {s}, 2026-05-01).\n"))
        .collect();
    std::fs::write(dir.path().join("all.pacta"), text).unwrap();
    dir
}

#[test]
fn matrix_orders_blocs_into_blocks_and_fits_the_screen() {
    let dir = everyone_attacked();
    let scenario = dir.path().join("all.pacta");
    let scenario = scenario.to_str().unwrap();
    let svg = export_with("matrix", scenario, "2026-06-01", &["--no-chains"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let root = doc.root_element();
    let size = |a: &str| root.attribute(a).unwrap().parse::<f32>().unwrap();
    let rows = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("row"))
        .count();
    assert!(rows >= 40, "{rows} rows");
    assert!(size("width") <= 1400.0 && size("height") <= 1000.0);
    let csv = export_with("matrix-csv", scenario, "2026-06-01", &["--no-chains"]);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    // Each row's instrument set; rows sharing a set are contiguous.
    let sets: Vec<String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            let mut set: Vec<&str> = r
                .iter()
                .skip(1)
                .flat_map(|c| c.split(['(', ')', ' ', ';', ':']))
                .filter(|w| w.contains("treaty"))
                .collect();
            set.sort();
            set.dedup();
            set.join(" ")
        })
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    for (i, s) in sets.iter().enumerate() {
        if i > 0 && sets[i - 1] != *s {
            assert!(seen.insert(s.clone()), "the bloc `{s}` is split: {sets:?}");
        } else if i == 0 {
            seen.insert(s.clone());
        }
    }
    let germany = csv.lines().find(|l| l.starts_with("germany,")).unwrap();
    assert!(germany.contains("automatic (north_atlantic_treaty treaty_on_european_union)"));
}
