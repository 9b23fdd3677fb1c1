//! Constants as users see them: symbols/strings, integers and dates.
//!
//! The engine works on interned `u32` ids (see `eval::intern`); this is the readable form that
//! the parser produces and that answers are printed from. Symbols and strings with the same text
//! are the same constant (`nato` = `"nato"`), so there is one `Str` variant for both.

use chrono::{Datelike, NaiveDate};
use std::cmp::Ordering;
use std::fmt;

/// A calendar day, stored as days since 0001-01-01 so that dates order and compare as integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub i32);

impl Date {
    /// The date for a real calendar day, or `None` (`2023-02-30` is not a day).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        NaiveDate::from_ymd_opt(year, month, day).map(|d| Date(d.num_days_from_ce()))
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let b = text.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let s = &text[r];
            s.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| s.parse().ok())
                .flatten()
        };
        Date::from_ymd(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    /// Today's date on this machine, the default "as of" date.
    pub fn today() -> Date {
        Date(chrono::Local::now().date_naive().num_days_from_ce())
    }

    fn naive(self) -> NaiveDate {
        NaiveDate::from_num_days_from_ce_opt(self.0).unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.naive();
        write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
    }
}

/// A constant of the language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Const {
    /// A 64-bit signed integer.
    Int(i64),
    /// An ISO calendar date.
    Date(Date),
    /// A symbol or a string: they are the same thing with the same text.
    Str(Box<str>),
}

impl Const {
    /// Rank of the kind in the output order: integers, then dates, then strings.
    fn kind_rank(&self) -> u8 {
        match self {
            Const::Int(_) => 0,
            Const::Date(_) => 1,
            Const::Str(_) => 2,
        }
    }

    /// Whether the text can be written bare as a symbol (`nato`), rather than quoted.
    pub fn is_plain_symbol(text: &str) -> bool {
        let mut chars = text.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_lowercase())
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    /// The JSON form of SPEC §2: strings bare, integers as numbers, dates as ISO strings.
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Const::Int(i) => serde_json::Value::from(*i),
            Const::Date(d) => serde_json::Value::from(d.to_string()),
            Const::Str(s) => serde_json::Value::from(s.as_ref()),
        }
    }

    /// Plain text for tables and CSV: no quotes added.
    pub fn to_plain(&self) -> String {
        match self {
            Const::Int(i) => i.to_string(),
            Const::Date(d) => d.to_string(),
            Const::Str(s) => s.to_string(),
        }
    }
}

/// The language's source form: symbols bare where possible, other strings quoted and escaped
/// (`\"`, `\\`, `\n`, `\t`, and `\u{..}` for the other control and bidi characters), so
/// it is safe to print and reads back as the same constant.
impl fmt::Display for Const {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Const::Int(i) => write!(f, "{i}"),
            Const::Date(d) => write!(f, "{d}"),
            Const::Str(s) if Const::is_plain_symbol(s) => write!(f, "{s}"),
            Const::Str(s) => {
                f.write_str("\"")?;
                for c in s.chars() {
                    match c {
                        '"' => f.write_str("\\\"")?,
                        '\\' => f.write_str("\\\\")?,
                        '\n' => f.write_str("\\n")?,
                        '\t' => f.write_str("\\t")?,
                        // Control characters and bidi overrides never reach a terminal raw,
                        // and the lexer reads `\u{1b}` back.
                        c if crate::text::is_unsafe(c) => write!(f, "\\u{{{:x}}}", c as u32)?,
                        c => write!(f, "{c}")?,
                    }
                }
                f.write_str("\"")
            }
        }
    }
}

/// The total order used for sorted output: by kind (integers, dates, strings), then by value
/// (numeric, chronological, code point).
impl Ord for Const {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Const::Int(a), Const::Int(b)) => a.cmp(b),
            (Const::Date(a), Const::Date(b)) => a.cmp(b),
            (Const::Str(a), Const::Str(b)) => a.cmp(b),
            _ => self.kind_rank().cmp(&other.kind_rank()),
        }
    }
}

impl PartialOrd for Const {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_days() {
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2023-02-29").is_none());
        assert!(Date::parse_iso("1-2-3").is_none());
        assert_eq!(
            Date::parse_iso("1994-12-05").unwrap().to_string(),
            "1994-12-05"
        );
        assert!(Date::parse_iso("1994-12-05") < Date::parse_iso("1995-01-01"));
    }

    #[test]
    fn strings_print_quoted_only_when_needed() {
        assert_eq!(Const::Str("nato".into()).to_string(), "nato");
        assert_eq!(Const::Str("Art. 5".into()).to_string(), "\"Art. 5\"");
        assert_eq!(Const::Str("a\"b".into()).to_string(), "\"a\\\"b\"");
        assert_eq!(
            Const::Str("a\u{1b}[2J\u{202e}".into()).to_string(),
            "\"a\\u{1b}[2J\\u{202e}\""
        );
    }
}
