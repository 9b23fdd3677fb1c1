//! Turning [`Diagnostic`]s into text for people (with `ariadne`) or JSON for tools (SPEC §3.2).
//!
//! Both renderers are pure functions of their input: no terminal detection, no environment, so
//! their output is deterministic and can be snapshot-tested. Line and column numbers always come
//! from [`SourceFile::line_col`] (1-based, columns counted in characters), never from `ariadne`'s
//! own line splitting, so the text and the JSON form agree on every position.

use super::{Diagnostic, Severity};
use crate::syntax::span::{SourceFile, SourceMap, Span};
use crate::text::{escape, escape_lines, picture};
use ariadne::{CharSet, Color, Config, IndexType, Label, Report, ReportKind, Source};
use serde::Serialize;
use std::fmt::Write as _;

/// Characters that `ariadne` treats as line breaks but [`SourceFile`] does not; they are shown
/// as spaces so that both agree on line numbers.
const EXTRA_LINE_BREAKS: [char; 6] = ['\r', '\x0B', '\x0C', '\u{0085}', '\u{2028}', '\u{2029}'];

/// Renders diagnostics for a terminal: for each one, an `error[code]: message` (or
/// `warning[code]: message`) header, then `file:line:col`, the source line(s) with the span
/// underlined and the label, then `help: hint` when there is a hint. Diagnostics without a span
/// print only the header and the hint. `color` adds ANSI colours; without it the output is plain
/// text. Diagnostics are printed in the order given, separated by nothing (each ends with a
/// newline).
///
/// Only the first [`MAX_DRAWN`] diagnostics with a place are drawn with their source lines;
/// later ones show `  --> file:line:col` instead, so that a file with a million errors is
/// reported in linear time.
pub fn render_text(diags: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let mut out = String::new();
    let mut drawn = 0;
    for diag in diags {
        render_one(&mut out, diag, sources, color, drawn < MAX_DRAWN);
        drawn += usize::from(diag.span.is_some());
    }
    out
}

/// One diagnostic, appended to `out`; `draw` picks source lines over a one-line location.
fn render_one(out: &mut String, diag: &Diagnostic, sources: &SourceMap, color: bool, draw: bool) {
    let (word, ansi) = match diag.severity {
        Severity::Error => ("error", "\x1b[1;31m"),
        Severity::Warning => ("warning", "\x1b[1;33m"),
    };
    let head = format!("{word}[{}]", diag.code.as_str());
    // Messages quote data and source text: escaped (no raw control or bidi characters reach
    // the terminal) and cut when very long.
    let message = shorten(escape_lines(&diag.message));
    if color {
        let _ = writeln!(out, "{ansi}{head}\x1b[0m\x1b[1m: {message}\x1b[0m");
    } else {
        let _ = writeln!(out, "{head}: {message}");
    }
    if !draw {
        if let Some(span) = diag.span
            && let Some((_, file)) = sources.files().find(|(id, _)| *id == span.file)
        {
            let (line, col) = file.line_col(char_floor(&file.text, span.start as usize));
            let _ = writeln!(out, "  --> {}:{line}:{col}", escape(&file.name));
        }
    } else if let Some(place) = diag.span.and_then(|span| Place::locate(span, sources)) {
        out.push_str(&place.draw(diag, color));
    }
    if let Some(hint) = &diag.hint {
        let hint = shorten(escape_lines(hint));
        if color {
            let _ = writeln!(out, "  \x1b[1;36mhelp\x1b[0m: {hint}");
        } else {
            let _ = writeln!(out, "  help: {hint}");
        }
    }
}

/// Longest message or hint drawn, in characters; the rest is counted, not shown. (Messages
/// that list names cut their lists themselves, see `diag::short_list`; this is the backstop.)
const MAX_MESSAGE_CHARS: usize = 2_000;

fn shorten(text: std::borrow::Cow<'_, str>) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        None => text,
        Some((cut, _)) => {
            let left = text[cut..].chars().count();
            format!("{}… ({left} more characters)", &text[..cut]).into()
        }
    }
}

/// A span resolved against its file: the lines it covers, as a small stand-alone snippet.
struct Place<'a> {
    /// The file the span is in.
    file: &'a SourceFile,
    /// The covered lines, joined by `\n` after one empty line per line before them, with other
    /// line-break characters shown as spaces.
    snippet: String,
    /// The span in characters from the start of `snippet`.
    chars: std::ops::Range<usize>,
    /// Line and column of the span's start in the file (`ariadne` only knows the snippet).
    location: (usize, usize),
}

/// Longest stretch of one source line (in bytes) shown under a diagnostic; longer lines are
/// cut to a window around the span, marked with `…`. Without the cut, every diagnostic on a
/// 10 MB line would print (and `ariadne` would lay out) all 10 MB.
const MAX_LINE_BYTES: usize = 160;
/// Lines of a multi-line span drawn at most.
const MAX_SPAN_LINES: usize = 12;
/// Bytes shown before the span's start when a long line is cut.
const CONTEXT_BYTES: usize = 40;
/// Diagnostics drawn with their source lines; the rest get a one-line location only. Drawing
/// costs time proportional to the span's line number, so drawing all of a million errors in a
/// large file would take quadratic time; they are still all reported.
pub const MAX_DRAWN: usize = 50;

impl<'a> Place<'a> {
    /// Resolves a span; `None` when its file is not in the map.
    fn locate(span: Span, sources: &'a SourceMap) -> Option<Place<'a>> {
        let (_, file) = sources.files().find(|(id, _)| *id == span.file)?;
        let start = char_floor(&file.text, span.start as usize);
        let end = char_floor(&file.text, (span.end as usize).max(start));
        let (first_line, first_col) = file.line_col(start);
        // The last line is the one holding the span's last character (an end just after a
        // newline does not pull in the next line).
        let last_line = if end > start {
            file.line_col(char_floor(&file.text, end - 1)).0
        } else {
            first_line
        };
        // A statement may run over thousands of lines; its first lines locate it well enough.
        let last_line = last_line.min(first_line + MAX_SPAN_LINES - 1);
        // `ariadne` numbers the lines of what it is given from 1 (its gutter ignores
        // `with_display_line_offset`), so the covered lines come after one empty line for each
        // line before them.
        let mut snippet = "\n".repeat(first_line - 1);
        // Characters in `snippet` so far (counted as it grows, never recounted).
        let mut line_char = first_line - 1;
        let mut start_char = 0;
        let mut end_char = None;
        let end_line = file.line_col(end).0;
        for line in first_line..=last_line {
            if line > first_line {
                snippet.push('\n');
                line_char += 1;
            }
            let full = file.line_text(line);
            let line_start = file.line_start(line);
            // The shown window `from..to` of the line, in bytes.
            let (from, to) = if full.len() <= MAX_LINE_BYTES {
                (0, full.len())
            } else {
                let anchor = if line == first_line {
                    start - line_start
                } else {
                    0
                };
                let from = char_floor(full, anchor.saturating_sub(CONTEXT_BYTES));
                (from, char_floor(full, from + MAX_LINE_BYTES))
            };
            if from > 0 {
                snippet.push('…');
            }
            let window = &full[from..to];
            // Character index in the snippet of byte `at` of this line (clamped to the window).
            let shown = move |at: usize| {
                let at = char_floor(full, at.clamp(from, to));
                line_char + usize::from(from > 0) + full[from..at].chars().count()
            };
            if line == first_line {
                start_char = shown(start - line_start);
            }
            if line == end_line {
                end_char = Some(shown(end - line_start));
            }
            // Other line breaks as spaces; control and bidi characters as one-character
            // pictures (`␛`), so nothing raw reaches the terminal and columns stay put.
            snippet.extend(window.chars().map(|c| {
                if EXTRA_LINE_BREAKS.contains(&c) {
                    ' '
                } else {
                    picture(c)
                }
            }));
            line_char = shown(to);
            if to < full.len() {
                snippet.push('…');
                line_char += 1;
            }
            if line == last_line && end_char.is_none() {
                // The span ends past this line (just after its newline): underline to its end.
                end_char = Some(shown(to));
            }
        }
        Some(Place {
            file,
            snippet,
            chars: start_char..end_char.unwrap_or(start_char).max(start_char),
            location: (first_line, first_col),
        })
    }

    /// The `ariadne` drawing: location line, source line(s), underline and label.
    fn draw(&self, diag: &Diagnostic, color: bool) -> String {
        let kind_color = match diag.severity {
            Severity::Error => Color::Red,
            Severity::Warning => Color::Yellow,
        };
        let config = Config::default()
            .with_color(color)
            .with_char_set(CharSet::Unicode)
            .with_index_type(IndexType::Char)
            .with_tab_width(4);
        let name = escape(&self.file.name);
        let name = name.as_ref();
        // `ariadne` underlines only labelled spans, so a diagnostic without a label gets "here".
        let mut label = Label::new((name, self.chars.clone()))
            .with_message(escape_lines(diag.label.as_deref().unwrap_or("here")));
        if color {
            label = label.with_color(kind_color);
        }
        // The header is written by `render_one`; ariadne's own header (its first line) is
        // dropped, so the kind and message given here do not matter.
        let report = Report::build(
            ReportKind::Custom("", kind_color),
            (name, self.chars.clone()),
        )
        .with_config(config)
        .with_label(label)
        .finish();
        let source = Source::from(self.snippet.as_str());
        let mut buf = Vec::new();
        if report.write((name, source), &mut buf).is_err() {
            return String::new();
        }
        let text = String::from_utf8_lossy(&buf);
        let rest = match text.split_once('\n') {
            Some((_, rest)) => rest,
            None => return String::new(),
        };
        // On a cut line `ariadne` counts the column from the cut; put the file's column back.
        let (line, col) = self.location;
        let drawn_col = self.chars.start + 1 - (line - 1);
        if drawn_col == col {
            return rest.to_string();
        }
        rest.replacen(
            &format!("{name}:{line}:{drawn_col} "),
            &format!("{name}:{line}:{col} "),
            1,
        )
    }
}

/// The largest char boundary of `text` at or below `offset` (clamped to the text).
fn char_floor(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One diagnostic in the JSON form.
#[derive(Serialize)]
struct JsonDiag<'a> {
    code: &'static str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hint: Option<&'a str>,
}

/// The JSON object of SPEC §3.2.
#[derive(Serialize)]
struct JsonReport<'a> {
    errors: Vec<JsonDiag<'a>>,
    warnings: Vec<JsonDiag<'a>>,
}

/// Renders diagnostics as the JSON object of SPEC §3.2, on one line:
/// `{"errors": [...], "warnings": [...]}`, each entry with `code`, `message`, `file`, `line`,
/// `column` (1-based, columns in characters; all three `null` for a diagnostic without a place),
/// `end_line`/`end_column` (the position just after the span, when there is one) and `hint`
/// (when there is one). Entries keep the order of `diags` within each list.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let mut report = JsonReport {
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    for diag in diags {
        let located = diag.span.and_then(|span| {
            let (_, file) = sources.files().find(|(id, _)| *id == span.file)?;
            let start = char_floor(&file.text, span.start as usize);
            let end = char_floor(&file.text, (span.end as usize).max(start));
            Some((file, file.line_col(start), file.line_col(end)))
        });
        let entry = JsonDiag {
            code: diag.code.as_str(),
            message: &diag.message,
            file: located.map(|(f, _, _)| f.name.as_str()),
            line: located.map(|(_, (l, _), _)| l),
            column: located.map(|(_, (_, c), _)| c),
            end_line: located.map(|(_, _, (l, _))| l),
            end_column: located.map(|(_, _, (_, c))| c),
            hint: diag.hint.as_deref(),
        };
        match diag.severity {
            Severity::Error => report.errors.push(entry),
            Severity::Warning => report.warnings.push(entry),
        }
    }
    serde_json::to_string(&report).map_or_else(
        |_| r#"{"errors":[],"warnings":[]}"#.into(),
        crate::text::json_safe,
    )
}

#[cfg(test)]
#[path = "render_limits_tests.rs"]
mod limits_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Code;
    use crate::syntax::span::FileId;

    fn map() -> (SourceMap, FileId, FileId) {
        let mut sources = SourceMap::new();
        let a = sources.add(SourceFile::new(
            "treaties.pacta",
            "% members\nmember(poland, nato).\nobliged(S, V) :- member(S, T), attack(A, V).\n",
        ));
        let b = sources.add(SourceFile::new(
            "names.pacta",
            "name(\"Ærø\", \"Zürich\", bad X).\n",
        ));
        (sources, a, b)
    }

    fn at(file: FileId, text: &str, needle: &str) -> Span {
        let start = text.find(needle).expect("needle in text");
        Span::new(file, start..start + needle.len())
    }

    #[test]
    fn error_with_label_and_hint() {
        let (sources, a, _) = map();
        let text = &sources.get(a).text;
        let d = Diagnostic::error(
            Code::UnboundVariable,
            at(a, text, "V)"),
            "variable `V` in the head is not bound by a positive atom",
        );
        let d = Diagnostic {
            span: d
                .span
                .map(|s| Span::new(s.file, s.start as usize..s.start as usize + 1)),
            ..d
        }
        .with_label("appears only here and in the head")
        .with_hint("add an atom that binds `V`, e.g. `victim(V)`");
        insta::assert_snapshot!(render_text(&[d], &sources, false));
    }

    #[test]
    fn warning_without_label() {
        let (sources, a, _) = map();
        let text = &sources.get(a).text;
        let d = Diagnostic::warning(
            Code::UnknownPredicate,
            at(a, text, "attack(A, V)"),
            "predicate `attack/2` is never defined; it is empty",
        );
        insta::assert_snapshot!(render_text(&[d], &sources, false));
    }

    #[test]
    fn multibyte_characters_before_the_caret() {
        let (sources, _, b) = map();
        let text = &sources.get(b).text;
        let span = at(b, text, "X");
        assert_eq!(sources.get(b).line_col(span.start as usize), (1, 27));
        let d = Diagnostic::error(Code::SyntaxError, span, "expected `,` or `)`, found `X`")
            .with_label("unexpected variable");
        let out = render_text(&[d], &sources, false);
        assert!(out.contains("names.pacta:1:27"), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn spanless_error_and_several_diagnostics() {
        let (sources, a, _) = map();
        let text = &sources.get(a).text;
        let diags = [
            Diagnostic::error_nowhere(Code::FileNotFound, "cannot read `missing.pacta`")
                .with_hint("check the path"),
            Diagnostic::warning(
                Code::SingletonVariable,
                at(a, text, "T)"),
                "variable `T` occurs only once",
            )
            .with_hint("write `_` if any value will do"),
        ];
        let out = render_text(&diags, &sources, false);
        assert!(out.starts_with(
            "error[file_not_found]: cannot read `missing.pacta`\n  help: check the path\n"
        ));
        insta::assert_snapshot!(out);
    }

    #[test]
    fn empty_span_at_end_of_file_and_bad_offsets_do_not_panic() {
        let (sources, _, b) = map();
        let len = sources.get(b).text.len();
        let diags = [
            Diagnostic::error(
                Code::SyntaxError,
                Span::new(b, len..len),
                "unexpected end of file",
            ),
            // Inside the two-byte `Æ`: rounded down to a char boundary.
            Diagnostic::error(Code::SyntaxError, Span::new(b, 7..8), "odd offset"),
            Diagnostic::error(Code::SyntaxError, Span::new(b, 500..900), "past the end"),
            Diagnostic::error(
                Code::SyntaxError,
                Span::new(FileId(9), 0..1),
                "unknown file",
            ),
        ];
        let out = render_text(&diags, &sources, false);
        assert!(out.contains("error[syntax_error]: unknown file\n"), "{out}");
        let json = render_json(&diags, &sources);
        assert!(json.contains(r#""line":2,"column":1"#), "{json}");
    }

    #[test]
    fn span_over_two_lines_late_in_a_file() {
        let mut text = "ok.\n".repeat(9);
        text.push_str("p(X) :-\n    q(X\u{2028}, Y).\n");
        let mut sources = SourceMap::new();
        let f = sources.add(SourceFile::new("late.pacta", text.clone()));
        let start = text.find("p(X)").unwrap();
        let end = text.find(", Y)").unwrap();
        let d = Diagnostic::error(
            Code::SyntaxError,
            Span::new(f, start..end),
            "spans two lines",
        );
        let out = render_text(&[d], &sources, false);
        assert!(out.contains("late.pacta:10:1"), "{out}");
        assert!(out.contains("11 │"), "{out}");
        insta::assert_snapshot!(out);
    }

    #[test]
    fn color_adds_escapes_only_when_asked() {
        let (sources, a, _) = map();
        let d = Diagnostic::error(Code::SyntaxError, Span::new(a, 10..16), "bad");
        assert!(!render_text(std::slice::from_ref(&d), &sources, false).contains('\x1b'));
        assert!(render_text(&[d], &sources, true).contains('\x1b'));
    }

    #[test]
    fn json_shape() {
        let (sources, a, b) = map();
        let text = &sources.get(a).text;
        let diags = [
            Diagnostic::error(
                Code::ArityMismatch,
                at(a, text, "member(S, T)"),
                "`member` has arity 2 and 3",
            )
            .with_hint("use one arity"),
            Diagnostic::warning(
                Code::UnknownPredicate,
                at(a, text, "attack"),
                "`attack/2` is empty",
            ),
            Diagnostic::error_nowhere(Code::FileNotFound, "cannot read `x.pacta`"),
            Diagnostic::error(
                Code::SyntaxError,
                at(b, &sources.get(b).text, "X"),
                "unexpected `X`",
            ),
        ];
        let json: serde_json::Value = serde_json::from_str(&render_json(&diags, &sources)).unwrap();
        let expected = serde_json::json!({
            "errors": [
                {"code": "arity_mismatch", "message": "`member` has arity 2 and 3",
                 "file": "treaties.pacta", "line": 3, "column": 18, "end_line": 3, "end_column": 30,
                 "hint": "use one arity"},
                {"code": "file_not_found", "message": "cannot read `x.pacta`",
                 "file": null, "line": null, "column": null},
                {"code": "syntax_error", "message": "unexpected `X`",
                 "file": "names.pacta", "line": 1, "column": 27, "end_line": 1, "end_column": 28}
            ],
            "warnings": [
                {"code": "unknown_predicate", "message": "`attack/2` is empty",
                 "file": "treaties.pacta", "line": 3, "column": 32, "end_line": 3, "end_column": 38}
            ]
        });
        assert_eq!(json, expected);
    }

    #[test]
    fn json_with_nothing_to_report() {
        assert_eq!(
            render_json(&[], &SourceMap::new()),
            r#"{"errors":[],"warnings":[]}"#
        );
    }
}
