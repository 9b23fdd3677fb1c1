//! Unit tests of the lexer.
use super::*;
use crate::syntax::span::SourceFile;

fn toks(text: &str) -> Vec<Token> {
    let (t, d) = lex(FileId(0), text);
    assert!(d.is_empty(), "unexpected diagnostics for {text:?}: {d:?}");
    t.into_iter().map(|(t, _)| t).collect()
}

fn diags(text: &str) -> Vec<(Code, (usize, usize))> {
    let f = SourceFile::new("t", text);
    lex(FileId(0), text)
        .1
        .iter()
        .map(|d| (d.code, f.line_col(d.span.unwrap().start as usize)))
        .collect()
}

fn date(s: &str) -> Token {
    Token::Date(Date::parse_iso(s).unwrap())
}

#[test]
fn identifiers_variables_keywords() {
    assert_eq!(
        toks("member p_RSG X _Tmp _ not mod nothing modal true"),
        vec![
            Token::Ident("member".into()),
            Token::Ident("p_RSG".into()),
            Token::Var("X".into()),
            Token::Var("_Tmp".into()),
            Token::Wildcard,
            Token::Not,
            Token::Mod,
            Token::Ident("nothing".into()),
            Token::Ident("modal".into()),
            Token::Ident("true".into()),
        ]
    );
}

#[test]
fn punctuation_and_operators() {
    use Token::*;
    assert_eq!(
        toks("( ) { } , . : :- := :~ ~ = != < <= > >= + - * / #count #sum #min #max @import"),
        vec![
            LParen,
            RParen,
            LBrace,
            RBrace,
            Comma,
            Dot,
            Colon,
            ColonDash,
            ColonEq,
            ColonTilde,
            Tilde,
            Eq,
            Ne,
            Lt,
            Le,
            Gt,
            Ge,
            Plus,
            Minus,
            Star,
            Slash,
            Agg(AggFunc::Count),
            Agg(AggFunc::Sum),
            Agg(AggFunc::Min),
            Agg(AggFunc::Max),
            Directive("import".into()),
        ]
    );
    assert_eq!(
        toks("p:-q"),
        vec![Ident("p".into()), ColonDash, Ident("q".into())]
    );
}

#[test]
fn comments_and_whitespace_are_skipped() {
    assert_eq!(
        toks("% a comment\r\np(a). % another\n% last"),
        vec![
            Token::Ident("p".into()),
            Token::LParen,
            Token::Ident("a".into()),
            Token::RParen,
            Token::Dot
        ]
    );
    assert!(toks("").is_empty());
    assert!(toks("   % only a comment").is_empty());
}

#[test]
fn strings_are_unescaped() {
    assert_eq!(
        toks(r#""Art. 5" "a\"b\\c\nd\te" "" "zażółć %""#),
        vec![
            Token::Str("Art. 5".into()),
            Token::Str("a\"b\\c\nd\te".into()),
            Token::Str("".into()),
            Token::Str("zażółć %".into()),
        ]
    );
}

#[test]
fn string_errors() {
    assert_eq!(
        diags("p(\"abc).\nq."),
        vec![(Code::UnterminatedString, (1, 3))]
    );
    assert_eq!(diags("p(\"abc\\"), vec![(Code::UnterminatedString, (1, 3))]);
    assert_eq!(diags("p(\"a\\qb\")."), vec![(Code::InvalidEscape, (1, 5))]);
    assert_eq!(diags("p(\"a\\éb\")."), vec![(Code::InvalidEscape, (1, 5))]);
    let (t, _) = lex(FileId(0), "\"a\\qb\" \"open");
    assert_eq!(t[0].0, Token::Str("aqb".into()));
    assert_eq!(t[1].0, Token::Str("open".into()));
    // Both problems in one string, and lexing goes on on the next line.
    assert_eq!(
        diags("\"x\\z\nq(\"ok\")."),
        vec![
            (Code::UnterminatedString, (1, 1)),
            (Code::InvalidEscape, (1, 3))
        ]
    );
}

#[test]
fn integers() {
    assert_eq!(
        toks("0 42 007"),
        vec![Token::Int(0), Token::Int(42), Token::Int(7)]
    );
    assert_eq!(
        toks("9223372036854775807 9223372036854775808"),
        vec![Token::Int(i64::MAX as u64), Token::Int(1 << 63)]
    );
    assert_eq!(
        diags("p(99999999999999999999).\nq(9223372036854775809)."),
        vec![
            (Code::IntegerOutOfRange, (1, 3)),
            (Code::IntegerOutOfRange, (2, 3))
        ]
    );
}

#[test]
fn dates_and_arithmetic() {
    assert_eq!(toks("2024-02-29"), vec![date("2024-02-29")]);
    assert_eq!(
        toks("1999-03-12,1994-12-05"),
        vec![date("1999-03-12"), Token::Comma, date("1994-12-05")]
    );
    use Token::*;
    assert_eq!(toks("1-2-3"), vec![Int(1), Minus, Int(2), Minus, Int(3)]);
    assert_eq!(
        toks("2024 - 02 - 29"),
        vec![Int(2024), Minus, Int(2), Minus, Int(29)]
    );
    assert_eq!(
        toks("2024-02-3"),
        vec![Int(2024), Minus, Int(2), Minus, Int(3)]
    );
    assert_eq!(
        toks("12024-02-29"),
        vec![Int(12024), Minus, Int(2), Minus, Int(29)]
    );
    assert_eq!(diags("p(2024-02-30)."), vec![(Code::InvalidDate, (1, 3))]);
    assert_eq!(diags("p(2023-13-01)."), vec![(Code::InvalidDate, (1, 3))]);
}

#[test]
fn invalid_characters_are_reported_and_skipped() {
    let (t, d) = lex(FileId(0), "p(a) $$ .\nq(é). !x");
    let f = SourceFile::new("t", "p(a) $$ .\nq(é). !x");
    let codes: Vec<_> = d
        .iter()
        .map(|d| (d.code, f.line_col(d.span.unwrap().start as usize)))
        .collect();
    assert_eq!(
        codes,
        vec![
            (Code::InvalidToken, (1, 6)),
            (Code::InvalidToken, (2, 3)),
            (Code::InvalidToken, (2, 7))
        ]
    );
    assert_eq!(d[0].message, "unexpected characters `$$`");
    assert_eq!(d[2].hint.as_deref(), Some("did you mean `!=`?"));
    assert_eq!(t.len(), 10);
    assert_eq!(t.last().unwrap().0, Token::Ident("x".into()));
}

#[test]
fn unknown_aggregate_and_bare_sigils() {
    assert_eq!(
        diags("#avg # @ x"),
        vec![
            (Code::InvalidToken, (1, 1)),
            (Code::InvalidToken, (1, 6)),
            (Code::InvalidToken, (1, 8))
        ]
    );
}

#[test]
fn spans_are_byte_ranges() {
    let (t, _) = lex(FileId(3), "é(\"ü\", X)");
    assert_eq!(t[0].1, Span::new(FileId(3), 2..3));
    assert_eq!(t[1].1, Span::new(FileId(3), 3..7));
    assert_eq!(t[3].1, Span::new(FileId(3), 9..10));
}

#[test]
fn unicode_escapes_read_back_what_constants_print() {
    assert_eq!(
        toks(r#""a\u{1b}[2J" "\u{202E}" "\u{10FFFF}""#),
        vec![
            Token::Str("a\u{1b}[2J".into()),
            Token::Str("\u{202e}".into()),
            Token::Str("\u{10ffff}".into()),
        ]
    );
    let c = crate::value::Const::Str("x\u{7}\u{2066}y\n".into());
    assert_eq!(
        toks(&c.to_string()),
        vec![Token::Str("x\u{7}\u{2066}y\n".into())]
    );
    for bad in [
        r#""\u""#,
        r#""\u{}""#,
        r#""\u{110000}""#,
        r#""\u{d800}""#,
        r#""\u{1234567}""#,
        r#""\u{1b""#,
    ] {
        assert_eq!(diags(bad), vec![(Code::InvalidEscape, (1, 2))], "{bad}");
    }
}

#[test]
fn bidi_overrides_draw_one_warning_per_line() {
    let text = "p(\"a\u{202e}b\u{2066}\"). % c\u{202e}\nq(1). % \u{2069}\nr.\n";
    assert_eq!(
        diags(text),
        vec![(Code::BidiOverride, (1, 5)), (Code::BidiOverride, (2, 9))]
    );
    let (_, d) = lex(FileId(0), text);
    assert!(d.iter().all(|d| !d.is_error()));
    // A file full of them: bounded, and linear (one walk).
    let many = "% \u{202e}\n".repeat(100_000);
    assert_eq!(lex(FileId(0), &many).1.len(), 100);
}
