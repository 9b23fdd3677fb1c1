//! Escaping data for each export format, so that any string — a state name or a clause text
//! holding ESC, NUL, U+FFFF or a bidi override — yields a file its reader accepts and shows
//! the character visibly (`\u{1b}`) instead of acting on it.
//!
//! Issue 15: a C0 character or U+FFFF made the SVG and GraphML invalid XML (browsers refuse
//! the whole file), and Mermaid labels passed raw HTML into the page that renders them.

use crate::text::is_unsafe;
use std::fmt::Write as _;

/// Writes `c` as the visible escape `\u{..}`.
fn visible(out: &mut String, c: char) {
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Whether XML 1.0 forbids `c` in a document (C0 controls other than tab, newline and
/// carriage return; U+FFFE and U+FFFF; surrogates cannot occur in a Rust string).
fn xml_forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}')
}

/// Text for XML content and attribute values (SVG, GraphML): markup characters as entities;
/// characters XML forbids, and the other control and bidi characters (allowed by XML but
/// able to hide or reorder what a viewer shows), as `\u{..}`. Newlines and tabs are kept.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' => out.push(c),
            c if xml_forbidden(c) || is_unsafe(c) => visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

/// A DOT string literal: `"` and `\` escaped (so Graphviz's own escapes such as `\G` or `\N`
/// in the data stay literal text), newlines as `\n`, control and bidi characters as a literal
/// `\u{..}`.
pub fn dot(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if is_unsafe(c) || xml_forbidden(c) => {
                // Graphviz reads `\\` as one backslash: the label shows `\u{1b}`.
                out.push('\\');
                visible(&mut out, c);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The text of a Mermaid label inside `["..."]` or `|"..."|`. Mermaid renders labels as HTML,
/// so every character that could open markup, end the label or start an entity is written
/// as Mermaid's numeric entity code (`#60;` for `<`), which it shows as that character;
/// newlines become spaces (a raw `<br>` would be HTML), control and bidi characters `\u{..}`.
pub fn mermaid(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' | '<' | '>' | '&' | '#' | '|' | '`' => {
                let _ = write!(out, "#{};", c as u32);
            }
            '\n' | '\t' => out.push(' '),
            c if is_unsafe(c) || xml_forbidden(c) => visible(&mut out, c),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{0}b\u{1b}[2J\u{ffff}\u{fffe}\u{202e}<script>&\"'\n\tz";

    #[test]
    fn xml_is_well_formed_for_any_string() {
        let doc = format!("<r a=\"{}\">{}</r>", xml(HOSTILE), xml(HOSTILE));
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed");
        let text = parsed.root_element().text().unwrap();
        assert!(
            text.contains("\\u{0}") && text.contains("\\u{1b}[2J"),
            "{text}"
        );
        assert!(
            text.contains("\\u{ffff}") && text.contains("<script>"),
            "{text}"
        );
        assert!(!text.contains('\u{202e}'));
    }

    #[test]
    fn dot_and_mermaid_carry_no_markup_or_controls() {
        let d = dot(HOSTILE);
        assert!(!d.chars().any(|c| c.is_control() && c != '\n'), "{d:?}");
        assert!(d.contains("\\\\u{1b}") && d.starts_with('"') && d.ends_with('"'));
        assert_eq!(dot("\\G"), "\"\\\\G\"");
        let m = mermaid("<img src=x onerror=alert(1)> \"a|b\" #x; `md`\u{1b}");
        assert!(!m.contains(['<', '>', '"', '|', '`', '\u{1b}']), "{m}");
        assert!(m.starts_with("#60;img"), "{m}");
    }
}
