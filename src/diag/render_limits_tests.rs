//! Rendering stays linear on hostile input (issue 8): long lines are cut around the span with
//! the file's own column kept, and only the first diagnostics are drawn.

use super::*;
use crate::diag::Code;
use std::time::{Duration, Instant};

#[test]
fn a_long_line_is_cut_around_the_span_and_keeps_its_column() {
    let line = format!(
        "{}p(X) :- q(X), Y > 1.{}",
        "a".repeat(5000),
        "b".repeat(5000)
    );
    let mut sources = SourceMap::new();
    let f = sources.add(SourceFile::new("long.pacta", format!("ok.\n{line}\n")));
    let at = 4 + 5000 + "p(X) :- q(X), ".len();
    let d = Diagnostic::error(
        Code::UnboundVariable,
        Span::new(f, at..at + 1),
        "unbound `Y`",
    );
    let out = render_text(&[d], &sources, false);
    assert!(out.contains("long.pacta:2:5015 "), "{out}");
    assert!(out.contains("…"), "{out}");
    assert!(out.contains("q(X), Y > 1."), "{out}");
    assert!(out.len() < 2000, "{}", out.len());
}

#[test]
fn a_span_over_many_long_lines_is_drawn_briefly() {
    let text = format!("p :- {}.\n", "q,\n".repeat(10_000) + &"r".repeat(20_000));
    let mut sources = SourceMap::new();
    let f = sources.add(SourceFile::new("many.pacta", text.as_str()));
    let d = Diagnostic::error(Code::SyntaxError, Span::new(f, 0..text.len()), "everything");
    let out = render_text(&[d], &sources, false);
    assert!(out.contains("many.pacta:1:1"), "{out}");
    assert!(out.lines().count() < 40, "{out}");
}

#[test]
fn many_diagnostics_late_in_a_big_file_render_in_linear_time() {
    let text = "p(X).\n".repeat(20_000);
    let mut sources = SourceMap::new();
    let f = sources.add(SourceFile::new("big.pacta", text.as_str()));
    let diags: Vec<Diagnostic> = (0..20_000u32)
        .map(|i| {
            let at = i as usize * 6 + 2;
            Diagnostic::error(Code::UnboundVariable, Span::new(f, at..at + 1), "unbound")
        })
        .rev()
        .collect();
    let started = Instant::now();
    let out = render_text(&diags, &sources, false);
    let json = render_json(&diags, &sources);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.matches("error[unbound_variable]").count(), 20_000);
    assert!(
        out.contains("  --> big.pacta:1:3\n"),
        "undrawn ones keep their place"
    );
    assert_eq!(json.matches("unbound_variable").count(), 20_000);
}

#[test]
fn many_diagnostics_on_one_long_line_render_in_linear_time() {
    let text = "p(X). ".repeat(20_000);
    let mut sources = SourceMap::new();
    let f = sources.add(SourceFile::new("line.pacta", text.as_str()));
    let diags: Vec<Diagnostic> = (0..20_000u32)
        .map(|i| {
            let at = i as usize * 6 + 2;
            Diagnostic::error(Code::UnboundVariable, Span::new(f, at..at + 1), "unbound")
        })
        .collect();
    let started = Instant::now();
    let out = render_text(&diags, &sources, false);
    let _ = render_json(&diags, &sources);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert!(out.contains("line.pacta:1:119997\n"), "last column counted");
    assert!(out.len() < 20_000 * 80, "{}", out.len());
}
