//! The lexer's diagnostics about the text itself rather than one token: runs of characters
//! that start no token, and bidirectional control characters anywhere.

use super::span::{FileId, Span};
use crate::diag::{Code, Diagnostic};

/// The diagnostic for a run of characters that start no token.
pub(super) fn invalid_chars(file: FileId, text: &str, (start, end): (usize, usize)) -> Diagnostic {
    let bad = text.get(start..end).unwrap_or("");
    let what = if bad.chars().count() == 1 {
        "unexpected character"
    } else {
        "unexpected characters"
    };
    let shown: String = bad.chars().take(20).flat_map(char::escape_debug).collect();
    let diag = Diagnostic::error(
        Code::InvalidToken,
        Span::new(file, start..end),
        format!("{what} `{shown}`"),
    );
    let hint = match bad.chars().next() {
        Some('!') => Some("did you mean `!=`?"),
        Some('#') => Some("the aggregates are `#count`, `#sum`, `#min` and `#max`"),
        Some('@') => Some("directives are written `@name`, e.g. `@import edge \"edges.csv\".`"),
        Some('\'') => Some("strings use double quotes: \"...\""),
        Some('&') => Some("body items are separated by `,`"),
        Some(c) if c.is_alphabetic() => {
            Some("names use ASCII letters, digits and `_`; write other text as a \"string\"")
        }
        _ => None,
    };
    match hint {
        Some(h) => diag.with_hint(h),
        None => diag,
    }
}

/// One `bidi_override` warning per line holding a bidirectional embedding, override or isolate
/// (in a string, a comment or anywhere else), at most [`MAX_BIDI_WARNINGS`]: such characters
/// make an editor show the text in another order than the one Pacta reads ("Trojan Source").
pub(super) fn bidi_warnings(file: FileId, text: &str, diags: &mut Vec<Diagnostic>) {
    if text.is_ascii() {
        return; // none can be there (a quick check: this walk was 3% of reading a large file)
    }
    // Counted as the text is walked once, so a long line of them costs no more than a short one.
    let mut line = 0usize;
    let mut warned_line = None;
    let mut warned = 0;
    for (i, c) in text.char_indices() {
        if c == '\n' {
            line += 1;
            continue;
        }
        if !crate::text::is_bidi_control(c) || warned_line == Some(line) {
            continue;
        }
        warned_line = Some(line);
        if warned == MAX_BIDI_WARNINGS {
            break;
        }
        warned += 1;
        diags.push(
            Diagnostic::warning(
                Code::BidiOverride,
                Span::new(file, i..i + c.len_utf8()),
                format!(
                    "bidirectional control character `\\u{{{:x}}}`: the text may display in another order than Pacta reads it",
                    c as u32
                ),
            )
            .with_hint("remove it, or write it as an escape (`\\u{202e}`) inside a string"),
        );
    }
}

/// Lines warned about bidirectional controls at most, per file.
const MAX_BIDI_WARNINGS: usize = 100;
