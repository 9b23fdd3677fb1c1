//! Scenario text → [`Scenario`]: the directives are recognised by their first tokens, the rest
//! is handed to the language's own parser.
//!
//! To keep every span pointing into the scenario file, nothing is cut out: the ordinary part
//! is the file with the directive statements blanked (spaces, newlines kept), and each
//! directive is parsed as a rule body from a copy of the file in which everything but its goal
//! is blanked and its keyword is replaced by `h:-`. Byte offsets never move.

use super::{Expect, Group, Retract, Scenario};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{Atom, BodyItem, Expr, Rule, Statement};
use crate::syntax::lexer::{Token, lex};
use crate::syntax::parse;
use crate::syntax::span::{FileId, Span};
use std::ops::Range;

/// How to write each directive, for hints.
const FORMS: &str = "scenario directives: `@asof 2022-03-01.`, `retract ATOM.`, `expect GOAL.`, `expect not GOAL.`, `vary NAME: ATOM, not ATOM.`";

/// Which directive a statement is.
enum Kind {
    AsOf,
    Expect,
    Retract,
    Vary,
}

/// Parses a scenario file's text. Parsing never fails: the scenario holds what did parse, and
/// the diagnostics say what did not (a scenario with errors must not be run).
pub fn parse_scenario(file: FileId, text: &str) -> (Scenario, Vec<Diagnostic>) {
    // The parser below reports the lexical errors of ordinary statements and of directive
    // goals; those inside an `@asof` statement (an impossible date) are kept from here.
    let (tokens, lexical) = lex(file, text);
    let mut scenario = Scenario {
        file,
        ..Scenario::default()
    };
    let mut diags = Vec::new();
    let mut plain = text.as_bytes().to_vec();
    let mut start = 0;
    while start < tokens.len() {
        let end = tokens[start..]
            .iter()
            .position(|(t, _)| *t == Token::Dot)
            .map_or(tokens.len(), |i| start + i + 1);
        let stmt = &tokens[start..end];
        if let Some(kind) = classify(stmt) {
            let range = stmt[0].1.start as usize..stmt[end - start - 1].1.end as usize;
            blank(&mut plain, range.clone());
            if matches!(kind, Kind::AsOf) {
                let inside =
                    |d: &&Diagnostic| d.span.is_some_and(|s| range.contains(&(s.start as usize)));
                let bad: Vec<Diagnostic> = lexical.iter().filter(inside).cloned().collect();
                if !bad.is_empty() {
                    // `@asof 2022-02-30.` must not quietly become some other date.
                    diags.extend(bad);
                    start = end;
                    continue;
                }
            }
            directive(kind, stmt, range, text, &mut scenario, &mut diags);
        }
        start = end;
    }
    // Blanking replaces whole statements byte by byte, so the text stays UTF-8 unless a
    // statement boundary cut a character, which token boundaries never do.
    let plain = String::from_utf8(plain).unwrap_or_default();
    let (program, d) = parse(file, &plain);
    diags.extend(d);
    scenario.statements = program.statements;
    (scenario, diags)
}

/// Whether the text has any directive statement (`@asof`, `retract`, `expect`, `vary`), well
/// formed or not: such a file is a scenario that plain program loading would reject.
pub fn uses_directives(text: &str) -> bool {
    let (tokens, _) = lex(FileId(0), text);
    tokens
        .split_inclusive(|(t, _)| *t == Token::Dot)
        .any(|stmt| classify(stmt).is_some())
}

/// A directive is a keyword followed by something that cannot continue a fact or rule about a
/// predicate of that name (`expect(x).` and `retract :- p.` stay ordinary statements).
fn classify(stmt: &[(Token, Span)]) -> Option<Kind> {
    let first = &stmt.first()?.0;
    if matches!(first, Token::Directive(n) if n == "asof") {
        return Some(Kind::AsOf);
    }
    let Token::Ident(word) = first else {
        return None;
    };
    let next = stmt.get(1).map(|(t, _)| t);
    let continues = matches!(
        next,
        None | Some(
            Token::LParen
                | Token::Dot
                | Token::ColonDash
                | Token::ColonEq
                | Token::ColonTilde
                | Token::Colon
                | Token::Comma
                | Token::Gt
        )
    );
    if continues {
        return None;
    }
    match word.as_str() {
        "expect" => Some(Kind::Expect),
        "retract" => Some(Kind::Retract),
        "vary" => Some(Kind::Vary),
        _ => None,
    }
}

/// Replaces the bytes of `range` by spaces, keeping line breaks (so lines and columns stay).
fn blank(bytes: &mut [u8], range: Range<usize>) {
    for b in &mut bytes[range] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// Parses `text[body]` as the body of a rule `h :- ...`, with offsets into the whole file.
/// `lead` is the range (at least 3 bytes long) where `h:-` is written.
fn parse_body(
    file: FileId,
    text: &str,
    lead: Range<usize>,
    body: Range<usize>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Rule> {
    let mut bytes = text.as_bytes().to_vec();
    blank(&mut bytes, 0..body.start);
    blank(&mut bytes, body.end..text.len());
    bytes[lead.start..lead.start + 3].copy_from_slice(b"h:-");
    let probe = String::from_utf8(bytes).unwrap_or_default();
    let (program, d) = parse(file, &probe);
    let failed = crate::diag::has_errors(&d);
    diags.extend(d);
    match program.statements.into_iter().next() {
        Some(Statement::Rule(rule)) if !failed => Some(rule),
        _ => None,
    }
}

fn directive(
    kind: Kind,
    stmt: &[(Token, Span)],
    range: Range<usize>,
    text: &str,
    scenario: &mut Scenario,
    diags: &mut Vec<Diagnostic>,
) {
    let file = scenario.file;
    let span = Span::new(file, range.clone());
    let bad =
        |msg: String, at: Span| Diagnostic::error(Code::InvalidDirective, at, msg).with_hint(FORMS);
    let (kw_span, after_kw) = (stmt[0].1, stmt.get(1).map(|t| t.1));
    match kind {
        Kind::AsOf => match stmt {
            [_, (Token::Date(d), _), (Token::Dot, _)] => scenario.as_of = Some((*d, span)),
            _ => diags.push(bad(
                "`@asof` takes one date: `@asof 2022-03-01.`".into(),
                span,
            )),
        },
        Kind::Expect => {
            let negated = matches!(stmt.get(1), Some((Token::Not, _)));
            let Some((_, goal_span)) = stmt.get(if negated { 2 } else { 1 }) else {
                diags.push(bad("`expect` needs a goal".into(), span));
                return;
            };
            let body = goal_span.start as usize..range.end;
            let lead = kw_span.start as usize..goal_span.start as usize;
            let Some(rule) = parse_body(file, text, lead, body.clone(), diags) else {
                return;
            };
            let goal_text = text[body].trim().trim_end_matches('.').trim().to_string();
            let vars = goal_vars(&rule.body);
            scenario.expects.push(Expect {
                negated,
                rule,
                vars,
                text: goal_text,
                span,
            });
        }
        Kind::Retract => {
            let Some(goal) = after_kw else { return };
            let lead = kw_span.start as usize..goal.start as usize;
            let Some(rule) = parse_body(file, text, lead, goal.start as usize..range.end, diags)
            else {
                return;
            };
            match one_pattern(rule.body) {
                Ok(pattern) => scenario.retracts.push(Retract { pattern, span }),
                Err(at) => diags.push(bad(
                    "`retract` takes one atom whose arguments are constants, variables or `_`"
                        .into(),
                    at.unwrap_or(span),
                )),
            }
        }
        Kind::Vary => vary(stmt, range, text, scenario, diags),
    }
}

/// `vary NAME: ITEM, ...`: positive ground atoms are added, `not ATOM` items retracted.
fn vary(
    stmt: &[(Token, Span)],
    range: Range<usize>,
    text: &str,
    scenario: &mut Scenario,
    diags: &mut Vec<Diagnostic>,
) {
    let file = scenario.file;
    let span = Span::new(file, range.clone());
    let (name, colon) = match stmt {
        [_, (Token::Ident(n), _), (Token::Colon, c), _, ..] => (n.clone(), *c),
        _ => {
            diags.push(
                Diagnostic::error(
                    Code::InvalidDirective,
                    span,
                    "`vary` needs a name, a colon and the assumptions: `vary us_honours: declared_unwilling(...).`",
                )
                .with_hint(FORMS),
            );
            return;
        }
    };
    if scenario.groups.iter().any(|g| g.name == name) {
        diags.push(Diagnostic::error(
            Code::InvalidDirective,
            stmt[1].1,
            format!("a `vary` group named `{name}` was given before"),
        ));
        return;
    }
    let lead = stmt[0].1.start as usize..colon.end as usize;
    let Some(rule) = parse_body(file, text, lead, colon.end as usize..range.end, diags) else {
        return;
    };
    let mut group = Group {
        name,
        adds: Vec::new(),
        retracts: Vec::new(),
        span,
    };
    for item in rule.body {
        match item {
            BodyItem::Pos(atom) if is_ground(&atom) && plain_atom(&atom) => {
                group.adds.push(fact(atom));
            }
            BodyItem::Neg(atom, at) if plain_atom(&atom) && is_pattern(&atom) => {
                group.retracts.push(Retract {
                    pattern: atom,
                    span: at,
                });
            }
            other => {
                let at = match &other {
                    BodyItem::Pos(a) | BodyItem::Neg(a, _) => a.span,
                    BodyItem::Cmp { span, .. } => *span,
                    BodyItem::Agg(g) => g.span,
                };
                diags.push(
                    Diagnostic::error(
                        Code::InvalidDirective,
                        at,
                        "a `vary` item is a fact to add (no variables) or `not ATOM` to retract",
                    )
                    .with_hint(FORMS),
                );
            }
        }
    }
    scenario.groups.push(group);
}

fn plain_atom(atom: &Atom) -> bool {
    atom.kind.is_none() && !atom.strong_neg
}

fn is_ground(atom: &Atom) -> bool {
    atom.args.iter().all(|a| matches!(a, Expr::Const(..)))
}

fn is_pattern(atom: &Atom) -> bool {
    atom.args
        .iter()
        .all(|a| matches!(a, Expr::Const(..) | Expr::Var(_) | Expr::Wildcard(_)))
}

/// The one plain atom of a `retract` body, or where the problem is.
fn one_pattern(body: Vec<BodyItem>) -> Result<Atom, Option<Span>> {
    let mut items = body.into_iter();
    match (items.next(), items.next()) {
        // `retract ~p(a).` takes out a strongly negated fact of a defeasible theory.
        (Some(BodyItem::Pos(atom)), None) if atom.kind.is_none() && is_pattern(&atom) => Ok(atom),
        (Some(BodyItem::Pos(atom)), None) => Err(Some(atom.span)),
        (_, Some(BodyItem::Pos(a) | BodyItem::Neg(a, _))) => Err(Some(a.span)),
        _ => Err(None),
    }
}

/// A ground atom as a fact statement.
pub(super) fn fact(head: Atom) -> Rule {
    Rule {
        label: None,
        span: head.span,
        head,
        kind: crate::syntax::ast::RuleKind::Strict,
        body: Vec::new(),
    }
}

/// Named variables the goal's positive atoms bind, in order (`_X` names are left out).
fn goal_vars(body: &[BodyItem]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in body {
        if let BodyItem::Pos(a) = item {
            for arg in &a.args {
                if let Expr::Var(id) = arg
                    && !id.name.starts_with('_')
                    && !out.contains(&id.name)
                {
                    out.push(id.name.clone());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> (Scenario, Vec<Diagnostic>) {
        parse_scenario(FileId(0), text)
    }

    #[test]
    fn directives_are_separated_from_statements() {
        let (s, d) = parsed(
            "attack(russia, poland, 2026-05-01).\n@asof 2026-06-01.\nretract party(nato, x, _, _, _).\nexpect obliged(S, poland, _, I, L).\nexpect not unprotected(poland, _).\nvary us: declared_unwilling(us, nato, 2026-01-01, \"s\"), not party(nato, us, _, _, _).\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.statements.len(), 1);
        assert!(s.as_of.is_some());
        assert_eq!(s.retracts.len(), 1);
        assert_eq!(s.expects.len(), 2);
        assert_eq!(s.expects[0].vars, ["S", "I", "L"]);
        assert!(s.expects[1].negated);
        assert_eq!(s.expects[1].text, "unprotected(poland, _)");
        assert_eq!(s.groups[0].adds.len(), 1);
        assert_eq!(s.groups[0].retracts.len(), 1);
    }

    #[test]
    fn keywords_used_as_predicates_stay_statements() {
        let (s, d) = parsed("expect(a). retract(b) :- expect(b). vary: p :- q.");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.statements.len(), 3);
        assert!(s.expects.is_empty());
    }

    #[test]
    fn errors_point_into_the_file() {
        let (_, d) = parsed("p(a).\nexpect q(X.\n");
        assert!(crate::diag::has_errors(&d));
        let span = d[0].span.unwrap();
        assert!(span.start >= 6, "points at line 2: {span:?}");
        let (_, d) = parsed("@asof soon.");
        assert_eq!(d[0].code, Code::InvalidDirective);
        let (_, d) = parsed("retract p(X), q(X).");
        assert_eq!(d[0].code, Code::InvalidDirective);
        let (_, d) = parsed("vary g: p(X).");
        assert_eq!(d[0].code, Code::InvalidDirective);
    }

    /// Regression (issue 14): `@asof 2022-02-30.` became "as of 0000-12-31" without a word.
    #[test]
    fn an_impossible_asof_date_is_an_error() {
        for text in ["p(a).\n@asof 2022-02-30.\n", "@asof 2022-13-01."] {
            let (s, d) = parsed(text);
            assert!(s.as_of.is_none(), "{text}");
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].code, Code::InvalidDate);
        }
        let (_, d) = parsed("expect p(2022-02-30).\nretract q(2021-02-29).");
        assert_eq!(
            d.iter().filter(|d| d.code == Code::InvalidDate).count(),
            2,
            "{d:?}"
        );
    }
}
