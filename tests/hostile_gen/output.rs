//! Output safe to print and to parse (issue 15, problems 4, 5 and the long diagnostic of 6):
//! control characters and bidi overrides from data or source text never reach the terminal
//! raw — tables, the REPL, `query`, `explain`, `whatif` and diagnostics escape them
//! (`\u{1b}`) — a bidi override in a source file draws a `bidi_override` warning, every
//! export of hostile names is well-formed (SVG, GraphML) or escaped for its renderer (DOT,
//! Mermaid), and a cycle through 100,000 rules is reported in one short line.

use super::{BOUND, pacta};
use assert_cmd::Command;
use std::path::Path;
use std::process::Output;
use tempfile::TempDir;

/// Data with a screen clear, an OSC 52 clipboard write, an OSC 8 hyperlink, a bell and a
/// right-to-left override, written with the language's `\u{..}` escapes.
const HOSTILE: &str =
    r#""x\u{1b}[2J\u{1b}]52;c;SGVsbG8=\u{7}\u{1b}]8;;http://evil\u{1b}\\y\u{202e}z""#;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// No control character but newline and tab, and no bidi control, on stdout or stderr.
fn assert_printable(out: &Output, what: &str) {
    for (stream, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = String::from_utf8_lossy(bytes);
        let bad: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n' && c != '\t')
                    || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
            })
            .collect();
        assert!(bad.is_empty(), "{what}: raw {bad:?} on {stream}:\n{text}");
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn control_characters_from_data_are_escaped_everywhere() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let kb = write(
        d,
        "kb.pacta",
        &format!("p({HOSTILE}).\nq(X) :- p(X).\n% a comment with \u{1b}[2J in it\n"),
    );
    write(d, "rows.csv", "\"a\u{1b}[31mb\"\n");
    let imports = write(
        d,
        "imports.pacta",
        "@import r \"rows.csv\".\ns(X) :- r(X).\n",
    );
    let scenario = write(
        d,
        "s.pacta",
        &format!("p({HOSTILE}).\nt(X) :- p(X).\nexpect t({HOSTILE}).\n"),
    );
    for format in ["table", "json"] {
        let out = pacta(&["eval", "--format", format, &kb]);
        assert_printable(&out, &format!("eval --format {format}"));
        let out = pacta(&["eval", "--format", format, &imports]);
        assert_printable(&out, &format!("eval {format} of imported CSV"));
    }
    let out = pacta(&["eval", "--format", "table", &kb]);
    assert!(stdout(&out).contains(r"\u{1b}[2J"), "{}", stdout(&out));
    for args in [
        vec!["query", "--kb", &kb, "q(X)"],
        vec!["explain", "--kb", &kb, &format!("q({HOSTILE})")],
        vec!["explain", "--kb", &kb, "q(nothing)"],
        vec!["whatif", "--kb", &kb, &scenario],
    ] {
        let out = pacta(&args);
        assert!(out.status.code().is_some_and(|c| c < 2), "{args:?}");
        assert_printable(&out, &args.join(" "));
    }
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .args(["repl", "--kb", &kb])
        .write_stdin(format!(
            "?- q(X).\n:why q({HOSTILE}).\n:scenario {scenario}\n"
        ))
        .timeout(BOUND)
        .output()
        .unwrap();
    assert_printable(&out, "repl");
    assert!(stdout(&out).contains(r"\u{1b}]52;"), "{}", stdout(&out));
}

#[test]
fn diagnostics_draw_source_lines_without_raw_controls() {
    let dir = TempDir::new().unwrap();
    let bad = write(
        dir.path(),
        "bad\u{1b}[2J.pacta",
        "q(X) :- p(Y). % \u{1b}]52;c;SGVsbG8=\u{7} \u{202e}evil\np(\"\u{1b}[2J\u{9b}\" 1).\n",
    );
    for cmd in ["check", "eval"] {
        let out = pacta(&[cmd, &bad]);
        assert_eq!(out.status.code(), Some(2));
        assert_printable(&out, cmd);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("[bidi_override]") || cmd == "eval",
            "{stderr}"
        );
    }
}

#[test]
fn a_bidi_override_in_a_source_file_is_a_warning_with_a_code() {
    let dir = TempDir::new().unwrap();
    let file = write(
        dir.path(),
        "trojan.pacta",
        "access(admin). % \u{202e} }\u{2066}if (isAdmin)\u{2069} \u{2066} begin admins only\np(\"\u{202e}x\").\n",
    );
    let out = pacta(&["check", &file]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("warning[bidi_override]").count(),
        2,
        "{stderr}"
    );
    assert!(stderr.contains("trojan.pacta:1:"), "{stderr}");
    assert_printable(&out, "check");
}

#[test]
fn exports_of_hostile_names_are_well_formed() {
    let dir = TempDir::new().unwrap();
    let kb = write(
        dir.path(),
        "kb.pacta",
        concat!(
            "level_rank(automatic, 1).\n",
            "obliged(\"st\\u{0}a\\u{1b}[2Jte\\u{ffff}\", \"<script>alert(1)</script>|\\\"]\", assist, \"i\\u{202e}&\", automatic).\n",
            "clause(\"i\\u{202e}&\", c1, \"text \\u{7}\\u{fffe} <b>bold</b> \\\\G\", verbatim, \"src]]>\").\n",
            "triggered(\"st\\u{0}a\\u{1b}[2Jte\\u{ffff}\", c1, x, \"<script>alert(1)</script>|\\\"]\").\n",
        ),
    );
    let export = |format: &str| {
        let out = pacta(&["export", "--format", format, "--kb", &kb]);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_printable(&out, format);
        stdout(&out)
    };
    for format in ["svg", "graphml"] {
        let text = export(format);
        let doc = roxmltree::Document::parse(&text)
            .unwrap_or_else(|e| panic!("{format} is not well-formed XML: {e}"));
        assert!(
            !doc.descendants().any(|n| n.has_tag_name("script")),
            "{format}"
        );
        assert!(
            text.contains(r"\u{1b}[2J") && text.contains(r"\u{ffff}"),
            "{format}"
        );
    }
    let mermaid = export("mermaid");
    for line in mermaid.lines().filter(|l| l.contains("st\\u{0}")) {
        assert!(
            !line.contains('<') && !line.contains("</"),
            "raw HTML in Mermaid: {line}"
        );
    }
    let dot = export("dot");
    // Quotes in the data stay inside the DOT string, escaped (`export::escape` tests `\G`).
    assert!(dot.contains(r#"\"]"#), "{dot}");
    assert!(dot.contains(r"\\u{1b}"), "{dot}");
}

#[test]
fn a_cycle_through_100000_rules_is_reported_in_one_short_message() {
    let dir = TempDir::new().unwrap();
    let n = 100_000;
    let mut text = String::with_capacity(n * 40);
    for i in 0..n {
        text.push_str(&format!("r{i}: p({i}) := q({i}).\n"));
    }
    for i in 0..n {
        text.push_str(&format!("r{i} > r{}.\n", (i + 1) % n));
    }
    let file = write(dir.path(), "cycle.pacta", &text);
    let out = pacta(&["check", &file]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let head = stderr
        .lines()
        .find(|l| l.starts_with("error["))
        .unwrap_or_default();
    assert!(head.starts_with("error[cyclic_superiority]"), "{head}");
    assert!(head.len() < 1_000, "{} bytes", head.len());
    assert!(head.contains("… and 99980 more"), "{head}");
}
