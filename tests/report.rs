//! `pacta report` (issue 16, item 4): a brief on one scenario, as Markdown (graph linked) or one
//! self-contained HTML page (graph inline), written safely, with every piece of data escaped.
//!
//! Snapshots live in `tests/explain/snapshots/`; refresh with
//! `INSTA_UPDATE=always cargo test --release --test report` and read the changed `.snap` files.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn report(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(root())
        .env("NO_COLOR", "1")
        .arg("report")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run pacta report");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = root()
        .join("target")
        .join("test-scratch")
        .join(format!("report-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The brief on an attack on Poland as Markdown on stdout: the duties grouped by clause and
/// level with their quotes, the caps, the conflicts, the changes.
#[test]
fn poland_2026_markdown() {
    let (status, out, err) = report(&[
        "examples/attack_on_poland_2026.pacta",
        "--as-of",
        "2026-06-01",
    ]);
    assert_eq!(status, Some(0), "{err}");
    insta::with_settings!({
        snapshot_path => "explain/snapshots",
        prepend_module_to_snapshot => false,
        omit_expression => true,
        description => "pacta report examples/attack_on_poland_2026.pacta --as-of 2026-06-01",
    }, {
        insta::assert_snapshot!("report_poland_2026_markdown", out);
    });
    for expected in [
        "### automatic: assist under Treaty on European Union",
        "such action as it deems necessary",
        "in accordance with their respective constitutional processes",
        "austria, ireland, malta",
    ] {
        assert!(out.contains(expected), "missing {expected:?}");
    }
}

/// `-o FILE.html`: one page with the graph inline, print styles, no script, nothing external.
#[test]
fn poland_2026_html_is_self_contained() {
    let dir = scratch("html");
    let path = dir.join("poland.html");
    let (status, out, err) = report(&[
        "examples/attack_on_poland_2026.pacta",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(0), "{err}");
    assert_eq!(out, "");
    let html = std::fs::read_to_string(&path).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg"), "graph inline");
    assert!(html.contains("@media print"));
    assert!(!html.contains("<script"));
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    assert!(html.contains("such action as it deems necessary"));
    assert!(html.trim_end().ends_with("</html>"));
    // Every quote is a clause text of the knowledge base, word for word.
    let clauses = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(root())
        .args(["query", "--format", "json", "clause(I, C, T, F, S)"])
        .output()
        .expect("runs");
    let clauses: serde_json::Value = serde_json::from_slice(&clauses.stdout).expect("JSON");
    let texts: Vec<&str> = clauses
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["T"].as_str())
        .collect();
    let mut quotes = 0;
    for part in html.split("<blockquote>\u{201c}").skip(1) {
        let quoted = part.split("\u{201d}<span").next().unwrap_or_default();
        let text = quoted
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        assert!(texts.contains(&text.as_str()), "not a clause text: {text}");
        quotes += 1;
    }
    assert!(quotes >= 3, "too few quotes: {quotes}");
}

/// `-o FILE.md` writes the graph as FILE.svg next to it and links it.
#[test]
fn markdown_links_the_graph_written_next_to_it() {
    let dir = scratch("md");
    let path = dir.join("brief.md");
    let (status, _, err) = report(&[
        "examples/invasion_2022.pacta",
        "--as-of",
        "2022-03-01",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(0), "{err}");
    let md = std::fs::read_to_string(&path).expect("md written");
    let svg = std::fs::read_to_string(dir.join("brief.svg")).expect("svg written");
    assert!(
        md.contains("![Who is bound to whom, by level](brief.svg)"),
        "{md}"
    );
    assert!(svg.contains("<svg"));
    assert!(md.contains("**Unprotected:**"), "{md}");
    assert!(md.contains("guarantor_is_aggressor"), "{md}");
}

/// Data from files cannot inject markup: a file name and an expectation with tags come out
/// escaped, in HTML and in Markdown.
#[test]
fn data_is_escaped() {
    let dir = scratch("escape");
    let scenario = dir.join("a<i>b.pacta");
    std::fs::write(
        &scenario,
        "@asof 2026-06-01.\nattack(russia, poland, 2026-05-01).\nexpect not unprotected(poland, \"<b>x</b>\").\n",
    )
    .expect("write scenario");
    let path = dir.join("out.html");
    let (status, _, err) = report(&[scenario.to_str().unwrap(), "-o", path.to_str().unwrap()]);
    assert_eq!(status, Some(0), "{err}");
    let html = std::fs::read_to_string(&path).expect("written");
    assert!(!html.contains("<i>") && !html.contains("<b>x"), "unescaped");
    assert!(html.contains("a&lt;i&gt;b.pacta"));
    let (_, md, _) = report(&[scenario.to_str().unwrap()]);
    assert!(md.contains("a\\<i\\>b.pacta"), "{md}");
}

/// Bad requests exit 2 and write nothing: an unknown output kind, the scenario as the output.
#[test]
fn bad_outputs_exit_2() {
    let dir = scratch("bad");
    let pdf = dir.join("x.pdf");
    let (status, _, err) = report(&["examples/invasion_2022.pacta", "-o", pdf.to_str().unwrap()]);
    assert_eq!(status, Some(2));
    assert!(err.contains("FILE.md or FILE.html"), "{err}");
    assert!(!pdf.exists());
    let copy = dir.join("s.md");
    std::fs::write(&copy, "attack(russia, poland, 2026-05-01).\n").expect("write");
    let (status, _, err) = report(&[copy.to_str().unwrap(), "-o", copy.to_str().unwrap()]);
    assert_eq!(status, Some(2), "{err}");
    assert_eq!(
        std::fs::read_to_string(&copy).unwrap(),
        "attack(russia, poland, 2026-05-01).\n"
    );
    let (status, _, _) = report(&[]);
    assert_eq!(status, Some(2));
}

/// A brief obeys the evaluation limits: on a timeout, exit 2 and no file.
#[test]
fn a_report_obeys_the_limits() {
    let dir = scratch("limits");
    let path = dir.join("late.html");
    let (status, _, err) = report(&[
        "examples/attack_on_poland_2026.pacta",
        "--timeout",
        "0.001",
        "-o",
        path.to_str().unwrap(),
    ]);
    assert_eq!(status, Some(2), "{err}");
    assert!(err.contains("error[timeout]"), "{err}");
    assert!(!path.exists());
}
