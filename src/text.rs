//! Text from data or source files made safe to show on a terminal.
//!
//! A string constant, a comment, a file name or a CSV field may hold escape sequences (`ESC[2J`
//! clears the screen, OSC 8 forges hyperlinks, OSC 52 writes the clipboard) or bidirectional
//! overrides (which make text display in an order other than the one it is read in: "Trojan
//! Source", CVE-2021-42574). Every human-facing output — tables, the REPL, what-if reports,
//! explanations, diagnostics — passes such text through [`escape`] (or [`escape_lines`] for
//! multi-line text), which writes each such character as a visible `\u{1b}`. Machine formats
//! keep the data as it is: JSON escapes control characters itself, CSV is data, and the graph
//! exports have their own rules (`export::xml`).

use std::borrow::Cow;

/// Whether `c` is a bidirectional embedding, override or isolate (U+202A–U+202E,
/// U+2066–U+2069), the characters of "Trojan Source".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` must not reach a terminal raw: C0 and C1 controls, DEL, the line and paragraph
/// separators, and the bidirectional controls.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || is_bidi_control(c)
}

/// `text` with every [unsafe](is_unsafe) character, newlines and tabs included, written as
/// `\u{..}` (lower-case hex). Borrowed when there is nothing to escape.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// [`escape`] that keeps newlines and tabs: for messages and reports of several lines.
pub fn escape_lines(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c != '\n' && c != '\t' && is_unsafe(c))
}

fn escape_where(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Serialized JSON with every raw [unsafe](is_unsafe) character written as a `\uXXXX`
/// escape. serde_json escapes C0 controls but passes DEL, C1 controls (`\u{9b}` is a CSI on
/// some terminals) and bidi overrides raw; in JSON text they can only stand inside strings,
/// where the escape means the same character, so any JSON reader sees the same data.
/// Raw newlines, tabs and carriage returns are the layout of pretty-printed JSON (inside
/// strings serde has already escaped them) and stay.
pub fn json_safe(json: String) -> String {
    let unsafe_char = |c: char| !matches!(c, '\n' | '\t' | '\r') && is_unsafe(c);
    if !json.chars().any(unsafe_char) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if unsafe_char(c) {
            // All of them are in the Basic Multilingual Plane: one `\uXXXX` each.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// A one-character stand-in for an unsafe character in a drawn source line, so that columns
/// and underlines stay where they are: the Unicode control pictures for C0 and DEL (`␛` for
/// ESC), U+FFFD for the rest. Safe characters are returned unchanged.
pub fn picture(c: char) -> char {
    match c as u32 {
        n @ 0..=0x1f if c != '\t' && c != '\n' => char::from_u32(0x2400 + n).unwrap_or('\u{FFFD}'),
        0x7f => '\u{2421}',
        _ if c != '\t' && c != '\n' && is_unsafe(c) => '\u{FFFD}',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_and_overrides_become_visible() {
        assert_eq!(escape("plain"), "plain");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(escape("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(escape("\u{9b}\u{7f}"), "\\u{9b}\\u{7f}");
        assert_eq!(escape("a\nb"), "a\\u{a}b");
        assert_eq!(escape_lines("a\n\tb\u{7}"), "a\n\tb\\u{7}");
        assert_eq!(escape("Türkiye — ✓"), "Türkiye — ✓");
    }

    #[test]
    fn json_keeps_its_meaning_without_raw_controls() {
        let v = serde_json::json!({"k\u{202e}": ["a\u{9b}b\u{7f}\u{1b}\n"]});
        let safe = json_safe(v.to_string());
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&safe).unwrap(), v);
        let pretty = json_safe(serde_json::to_string_pretty(&v).unwrap());
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&pretty).unwrap(),
            v
        );
    }

    #[test]
    fn pictures_keep_one_character() {
        assert_eq!(picture('\u{1b}'), '␛');
        assert_eq!(picture('\0'), '␀');
        assert_eq!(picture('\u{7f}'), '␡');
        assert_eq!(picture('\u{202e}'), '\u{FFFD}');
        assert_eq!(picture('a'), 'a');
        assert_eq!(picture('\t'), '\t');
    }
}
