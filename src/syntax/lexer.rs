//! Tokens: text → `(Token, Span)` pairs, built on the `logos` crate.
//!
//! Lexing never fails. Problems become diagnostics and the lexer keeps going: invalid characters
//! are reported (`invalid_token`) and skipped; strings without their closing quote
//! (`unterminated_string`), bad escapes (`invalid_escape`), integers beyond 64 bits
//! (`integer_out_of_range`), `YYYY-MM-DD` literals that are not calendar days (`invalid_date`) and
//! unknown aggregate names are reported but still produce a token, so that the parser does not add
//! a second, confusing error for the same spot.

use super::ast::AggFunc;
use super::lexer_diags::{bidi_warnings, invalid_chars};
use super::span::{FileId, Span};
use crate::diag::{Code, Diagnostic};
use crate::value::Date;
use logos::Logos;
use std::fmt;

/// One token with its value (strings are already unescaped, numbers and dates parsed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Token {
    /// A lowercase identifier: predicate, symbol or rule label (`member`, `nato`, `r1`).
    Ident(String),
    /// A variable name (`X`, `_Tmp`); never `_` alone.
    Var(String),
    /// The anonymous variable `_`.
    Wildcard,
    /// A string literal, unescaped (`"Art. 5"` → `Art. 5`).
    Str(String),
    /// A non-negative integer literal. The value is at most `2^63` (so that `-9223372036854775808`
    /// can be folded by the parser); larger literals are reported and lexed as `0`.
    Int(u64),
    /// A date literal `YYYY-MM-DD` (a non-existent day is reported and lexed as `0001-01-01`).
    Date(Date),
    /// Keyword `not`.
    Not,
    /// Keyword `mod`.
    Mod,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `.`
    Dot,
    /// `:`
    Colon,
    /// `:-` (strict rule).
    ColonDash,
    /// `:=` (defeasible rule).
    ColonEq,
    /// `:~` (defeater).
    ColonTilde,
    /// `~` (strong negation).
    Tilde,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `#count`, `#sum`, `#min`, `#max`.
    Agg(AggFunc),
    /// `@name`: a directive, with the name without `@`.
    Directive(String),
}

impl fmt::Display for Token {
    /// How the token is named in messages ("expected `.`, found variable `X`").
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Ident(s) => write!(f, "`{s}`"),
            Token::Var(s) => write!(f, "variable `{s}`"),
            Token::Wildcard => f.write_str("`_`"),
            Token::Str(s) => write!(f, "string \"{}\"", s.escape_debug()),
            Token::Int(i) => write!(f, "integer `{i}`"),
            Token::Date(d) => write!(f, "date `{d}`"),
            Token::Not => f.write_str("keyword `not`"),
            Token::Mod => f.write_str("keyword `mod`"),
            Token::Agg(func) => write!(f, "`{}`", agg_name(*func)),
            Token::Directive(name) => write!(f, "directive `@{name}`"),
            other => write!(f, "`{}`", punct_text(other)),
        }
    }
}

/// The source text of an aggregate function (`#count`).
pub fn agg_name(func: AggFunc) -> &'static str {
    match func {
        AggFunc::Count => "#count",
        AggFunc::Sum => "#sum",
        AggFunc::Min => "#min",
        AggFunc::Max => "#max",
    }
}

fn punct_text(tok: &Token) -> &'static str {
    match tok {
        Token::LParen => "(",
        Token::RParen => ")",
        Token::LBrace => "{",
        Token::RBrace => "}",
        Token::Comma => ",",
        Token::Dot => ".",
        Token::Colon => ":",
        Token::ColonDash => ":-",
        Token::ColonEq => ":=",
        Token::ColonTilde => ":~",
        Token::Tilde => "~",
        Token::Eq => "=",
        Token::Ne => "!=",
        Token::Lt => "<",
        Token::Le => "<=",
        Token::Gt => ">",
        Token::Ge => ">=",
        Token::Plus => "+",
        Token::Minus => "-",
        Token::Star => "*",
        Token::Slash => "/",
        _ => "?",
    }
}

/// The raw token kinds recognised by the generated state machine; values are computed afterwards.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\n\f]+")]
enum Raw {
    #[regex(r"%[^\n]*", logos::skip, allow_greedy = true)]
    Comment,
    #[regex("[a-z][A-Za-z0-9_]*")]
    Ident,
    #[regex("[A-Z_][A-Za-z0-9_]*")]
    Var,
    #[token("_", priority = 3)]
    Wildcard,
    #[token("not")]
    Not,
    #[token("mod")]
    Mod,
    #[regex(r#""([^"\\\n]|\\[^\n])*""#)]
    Str,
    #[regex(r#""([^"\\\n]|\\[^\n])*\\?"#)]
    UnterminatedStr,
    #[regex("[0-9]+")]
    Int,
    #[regex("[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]")]
    Date,
    #[regex("#[A-Za-z_][A-Za-z0-9_]*")]
    Hash,
    #[regex("@[A-Za-z_][A-Za-z0-9_]*")]
    At,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token(":")]
    Colon,
    #[token(":-")]
    ColonDash,
    #[token(":=")]
    ColonEq,
    #[token(":~")]
    ColonTilde,
    #[token("~")]
    Tilde,
    #[token("=")]
    Eq,
    #[token("!=")]
    Ne,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
}

/// Splits `text` into tokens. Never fails: every problem is returned as a diagnostic, and the
/// token list holds everything that could be recognised (see the module documentation).
pub fn lex(file: FileId, text: &str) -> (Vec<(Token, Span)>, Vec<Diagnostic>) {
    let mut lexer = Lexer::new(file, text);
    let tokens = lexer.by_ref().collect();
    (tokens, lexer.finish())
}

/// [`lex`] one token at a time: the parser reads a file of a million rules without holding
/// all its tokens at once. Diagnostics gather in [`Lexer::diags`] as the text is read, in text
/// order: a run of invalid characters is reported when the token after it is read.
pub struct Lexer<'t> {
    file: FileId,
    text: &'t str,
    raw: logos::Lexer<'t, Raw>,
    /// A run of invalid characters is reported once: (start, end) of the current run.
    bad_run: Option<(usize, usize)>,
    /// The diagnostics so far.
    pub diags: Vec<Diagnostic>,
}

impl<'t> Lexer<'t> {
    /// A lexer at the start of `text`.
    pub fn new(file: FileId, text: &'t str) -> Lexer<'t> {
        Lexer {
            file,
            text,
            raw: Raw::lexer(text),
            bad_run: None,
            diags: Vec::new(),
        }
    }

    /// Every diagnostic, once all tokens have been read (those about the whole text last).
    pub fn finish(mut self) -> Vec<Diagnostic> {
        if let Some(run) = self.bad_run.take() {
            self.diags.push(invalid_chars(self.file, self.text, run));
        }
        bidi_warnings(self.file, self.text, &mut self.diags);
        self.diags
    }
}

impl Iterator for Lexer<'_> {
    type Item = (Token, Span);

    fn next(&mut self) -> Option<(Token, Span)> {
        let (file, text) = (self.file, self.text);
        loop {
            let Some(result) = self.raw.next() else {
                // Invalid characters at the very end are reported as soon as the end is seen.
                if let Some(run) = self.bad_run.take() {
                    self.diags.push(invalid_chars(file, text, run));
                }
                return None;
            };
            let range = self.raw.span();
            let slice = self.raw.slice();
            let raw = match result {
                Ok(raw) => raw,
                Err(()) => {
                    self.bad_run = match self.bad_run {
                        Some((start, end)) if end == range.start => Some((start, range.end)),
                        Some(run) => {
                            self.diags.push(invalid_chars(file, text, run));
                            Some((range.start, range.end))
                        }
                        None => Some((range.start, range.end)),
                    };
                    continue;
                }
            };
            if let Some(run) = self.bad_run.take() {
                self.diags.push(invalid_chars(file, text, run));
            }
            let span = Span::new(self.file, range.clone());
            let token = match raw {
                Raw::Comment => continue,
                Raw::Ident => Token::Ident(slice.to_string()),
                Raw::Var => Token::Var(slice.to_string()),
                Raw::Wildcard => Token::Wildcard,
                Raw::Not => Token::Not,
                Raw::Mod => Token::Mod,
                Raw::Str => Token::Str(unescape(
                    self.file,
                    &slice[1..slice.len() - 1],
                    range.start + 1,
                    &mut self.diags,
                )),
                Raw::UnterminatedStr => {
                    self.diags.push(
                        Diagnostic::error(Code::UnterminatedString, span, "unterminated string")
                            .with_label("this string has no closing `\"`")
                            .with_hint("a string must end with `\"` on the same line"),
                    );
                    Token::Str(unescape(
                        self.file,
                        &slice[1..],
                        range.start + 1,
                        &mut self.diags,
                    ))
                }
                Raw::Int => match slice.parse::<u64>() {
                    Ok(v) if v <= 1 << 63 => Token::Int(v),
                    _ => {
                        self.diags.push(out_of_range(span));
                        Token::Int(0)
                    }
                },
                Raw::Date => match Date::parse_iso(slice) {
                    Some(d) => Token::Date(d),
                    None => {
                        self.diags.push(
                            Diagnostic::error(
                                Code::InvalidDate,
                                span,
                                format!("`{slice}` is not a calendar date"),
                            )
                            .with_hint("dates are written YYYY-MM-DD and must be real days"),
                        );
                        Token::Date(Date(0))
                    }
                },
                Raw::Hash => match &slice[1..] {
                    "count" => Token::Agg(AggFunc::Count),
                    "sum" => Token::Agg(AggFunc::Sum),
                    "min" => Token::Agg(AggFunc::Min),
                    "max" => Token::Agg(AggFunc::Max),
                    _ => {
                        self.diags.push(
                            Diagnostic::error(
                                Code::InvalidToken,
                                span,
                                format!("unknown aggregate `{slice}`"),
                            )
                            .with_hint("the aggregates are `#count`, `#sum`, `#min` and `#max`"),
                        );
                        Token::Agg(AggFunc::Count)
                    }
                },
                Raw::At => Token::Directive(slice[1..].to_string()),
                Raw::LParen => Token::LParen,
                Raw::RParen => Token::RParen,
                Raw::LBrace => Token::LBrace,
                Raw::RBrace => Token::RBrace,
                Raw::Comma => Token::Comma,
                Raw::Dot => Token::Dot,
                Raw::Colon => Token::Colon,
                Raw::ColonDash => Token::ColonDash,
                Raw::ColonEq => Token::ColonEq,
                Raw::ColonTilde => Token::ColonTilde,
                Raw::Tilde => Token::Tilde,
                Raw::Eq => Token::Eq,
                Raw::Ne => Token::Ne,
                Raw::Lt => Token::Lt,
                Raw::Le => Token::Le,
                Raw::Gt => Token::Gt,
                Raw::Ge => Token::Ge,
                Raw::Plus => Token::Plus,
                Raw::Minus => Token::Minus,
                Raw::Star => Token::Star,
                Raw::Slash => Token::Slash,
            };
            return Some((token, span));
        }
    }
}

/// The diagnostic for an integer literal that does not fit in 64 bits.
pub(crate) fn out_of_range(span: Span) -> Diagnostic {
    Diagnostic::error(
        Code::IntegerOutOfRange,
        span,
        "integer literal out of range",
    )
    .with_hint("integers are 64-bit: from -9223372036854775808 to 9223372036854775807")
}

const ESCAPES_HINT: &str =
    "the escapes are \\\" \\\\ \\n \\t and \\u{HEX} (a Unicode code point, e.g. \\u{1b})";

/// The character of a `{HEX}` after `\u` at the start of `rest`, and the characters it takes
/// (braces included): 1 to 6 hex digits naming a Unicode scalar value. `Const`'s source form
/// writes control characters this way, so what Pacta prints can be read back.
fn unicode_escape(rest: &str) -> Option<(char, usize)> {
    let inner = rest.strip_prefix('{')?;
    let end = inner.find('}')?;
    let hex = &inner[..end];
    if hex.is_empty() || hex.len() > 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
    Some((c, end + 2))
}

/// Resolves the escapes of a string body that starts at byte `offset` of the file.
fn unescape(file: FileId, body: &str, offset: usize, diags: &mut Vec<Diagnostic>) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some((_, '"')) => out.push('"'),
            Some((_, '\\')) => out.push('\\'),
            Some((_, 'n')) => out.push('\n'),
            Some((_, 't')) => out.push('\t'),
            Some((j, 'u')) => match unicode_escape(&body[j + 1..]) {
                Some((c, len)) => {
                    out.push(c);
                    for _ in 0..len {
                        chars.next();
                    }
                }
                None => {
                    let span = Span::new(file, offset + i..offset + j + 1);
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidEscape,
                            span,
                            "invalid escape `\\u` in string: expected `\\u{HEX}`",
                        )
                        .with_hint(ESCAPES_HINT),
                    );
                }
            },
            Some((j, other)) => {
                let span = Span::new(file, offset + i..offset + j + other.len_utf8());
                diags.push(
                    Diagnostic::error(
                        Code::InvalidEscape,
                        span,
                        format!("invalid escape `\\{}` in string", other.escape_debug()),
                    )
                    .with_hint(ESCAPES_HINT),
                );
                out.push(other);
            }
            // A trailing backslash only occurs in an unterminated string, already reported.
            None => {}
        }
    }
    out
}

#[cfg(test)]
#[path = "lexer_tests.rs"]
mod tests;
