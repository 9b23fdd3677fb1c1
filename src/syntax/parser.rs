//! Hand-written recursive-descent parser: tokens → [`Program`].
//!
//! The parser never stops at the first error. A syntax error is reported (`syntax_error`, saying
//! what was expected and what was found) and the parser resynchronises at the next `.` outside
//! parentheses and braces, so that every statement of a file is checked and every error reported.
//! Expressions are nested at most [`MAX_DEPTH`] levels deep, so no input can overflow the stack.

mod body;
mod expr;
#[cfg(test)]
mod tests;

use super::ast::{Directive, Ident, Program, Rule, RuleKind, Statement, Superiority};
use super::lexer::{Lexer, Token, out_of_range};
use super::span::{FileId, Span};
use crate::diag::{Code, Diagnostic};
use crate::value::Const;
use std::collections::VecDeque;

/// Deepest nesting of parentheses and unary minus signs accepted in one expression.
pub const MAX_DEPTH: usize = 256;

/// Parses one file's text into a tree plus every diagnostic found (lexical and syntactic),
/// sorted by position. The tree holds every statement that parsed without error.
pub fn parse(file: FileId, text: &str) -> (Program, Vec<Diagnostic>) {
    let mut parser = Parser {
        file,
        stmt_start: 0,
        unterminated: Vec::new(),
        invalid: Vec::new(),
        noted: 0,
        text,
        lexer: Lexer::new(file, text),
        ahead: VecDeque::with_capacity(LOOKAHEAD),
        prev: None,
        pos: 0,
        depth: 0,
        diags: Vec::new(),
        resync_here: false,
    };
    parser.fill();
    let program = parser.program();
    let mut diags = parser.lexer.finish();
    diags.extend(parser.diags);
    diags.sort_by_key(|d| d.span.map_or(0, |s| s.start));
    (program, diags)
}

/// How many tokens the parser looks at beyond the ones it has consumed.
const LOOKAHEAD: usize = 2;

/// Marker for "an error was reported; resynchronise".
struct Recover;

type PResult<T> = Result<T, Recover>;

struct Parser<'t> {
    file: FileId,
    text: &'t str,
    /// The tokens, read as the parser goes (a file's tokens take more memory than its tree).
    lexer: Lexer<'t>,
    /// The next [`LOOKAHEAD`] tokens (fewer at the end of the text).
    ahead: VecDeque<(Token, Span)>,
    /// The span of the last consumed token.
    prev: Option<Span>,
    /// How many tokens have been consumed.
    pos: usize,
    /// Current expression nesting depth.
    depth: usize,
    diags: Vec<Diagnostic>,
    /// Index of the first token of the statement being parsed.
    stmt_start: usize,
    /// Start offsets of the string tokens read so far that lack their closing quote (sorted).
    unterminated: Vec<u32>,
    /// Start offsets of the invalid characters the lexer skipped so far (sorted).
    invalid: Vec<u32>,
    /// How many of the lexer's diagnostics have been sorted into the two lists above.
    noted: usize,
    /// Set when an error was a missing `.` before a new line that starts a new statement: the
    /// parser then continues right there instead of skipping that statement.
    resync_here: bool,
}

const STATEMENT_END: &str = "statements end with `.`";

impl Parser<'_> {
    // ----- token access -------------------------------------------------------------------

    fn peek(&self) -> Option<&Token> {
        self.peek_at(0)
    }

    fn peek_at(&self, n: usize) -> Option<&Token> {
        self.ahead.get(n).map(|(t, _)| t)
    }

    fn at(&self, tok: &Token) -> bool {
        self.peek() == Some(tok)
    }

    /// Reads tokens until [`LOOKAHEAD`] are ahead (or the text ends), noting where the lexer
    /// reported unterminated strings and invalid characters (in text order, so the lists stay
    /// sorted).
    fn fill(&mut self) {
        while self.ahead.len() < LOOKAHEAD {
            let Some(t) = self.lexer.next() else { break };
            self.ahead.push_back(t);
        }
        for d in &self.lexer.diags[self.noted..] {
            let Some(span) = d.span else { continue };
            match d.code {
                Code::UnterminatedString => self.unterminated.push(span.start),
                Code::InvalidToken => self.invalid.push(span.start),
                _ => {}
            }
        }
        self.noted = self.lexer.diags.len();
    }

    /// Span of the current token (an empty span at the end of the text at end of file).
    fn span(&self) -> Span {
        match self.ahead.front() {
            Some((_, s)) => *s,
            None => Span::new(self.file, self.text.len()..self.text.len()),
        }
    }

    /// End of the last consumed token.
    fn prev_end(&self) -> u32 {
        self.prev.map_or(0, |s| s.end)
    }

    /// Span from `start` to the end of the last consumed token.
    fn since(&self, start: Span) -> Span {
        Span {
            file: self.file,
            start: start.start,
            end: self.prev_end().max(start.start),
        }
    }

    /// Consumes the current token.
    fn bump(&mut self) -> Option<(Token, Span)> {
        let t = self.ahead.pop_front()?;
        self.pos += 1;
        self.prev = Some(t.1);
        self.fill();
        Some(t)
    }

    fn eat(&mut self, tok: &Token) -> Option<Span> {
        if self.at(tok) {
            self.bump().map(|(_, s)| s)
        } else {
            None
        }
    }

    fn found(&self) -> String {
        match self.peek() {
            Some(t) => t.to_string(),
            None => "end of file".to_string(),
        }
    }

    /// Reports "expected `what`, found ..." at the current token.
    /// Right after a string without its closing quote in the same statement nothing is
    /// reported: the lexer has already reported the string, which swallowed the rest of its line.
    /// Likewise right after skipped invalid characters, which the lexer has reported.
    fn error<T>(&mut self, what: &str, hint: Option<&str>) -> PResult<T> {
        if self.pos > self.stmt_start
            && (self.after_unterminated_string() || self.after_invalid_characters())
        {
            return Err(Recover);
        }
        let message = format!("expected {what}, found {}", self.found());
        let mut d = Diagnostic::error(Code::SyntaxError, self.span(), message);
        if let Some(h) = hint {
            d = d.with_hint(h);
        }
        self.diags.push(d);
        Err(Recover)
    }

    fn expect(&mut self, tok: &Token, hint: Option<&str>) -> PResult<Span> {
        match self.eat(tok) {
            Some(s) => Ok(s),
            None => self.error(&tok.to_string(), hint),
        }
    }

    /// Reports a missing statement end. When the offending token starts a new line and can start
    /// a statement, the `.` was most likely forgotten: parsing resumes there.
    fn missing_end<T>(&mut self, what: &str) -> PResult<T> {
        let gap_start = (self.prev_end() as usize).min(self.text.len());
        let gap_end = (self.span().start as usize).clamp(gap_start, self.text.len());
        let newline = self
            .text
            .get(gap_start..gap_end)
            .is_some_and(|g| g.contains('\n'));
        let starts_statement = matches!(
            self.peek(),
            Some(Token::Ident(_) | Token::Tilde | Token::Directive(_))
        );
        self.resync_here = newline && starts_statement;
        self.error(what, Some(STATEMENT_END))
    }

    /// Skips to just after the next `.` that is not inside parentheses or braces opened after the
    /// error (or to the end of the file).
    fn recover(&mut self) {
        let mut depth = 0usize;
        while let Some(tok) = self.peek() {
            if self.pos > self.stmt_start && self.after_unterminated_string() {
                return;
            }
            match tok {
                Token::LParen | Token::LBrace => depth += 1,
                Token::RParen | Token::RBrace => depth = depth.saturating_sub(1),
                Token::Dot if depth == 0 => {
                    self.bump();
                    return;
                }
                _ => {}
            }
            self.bump();
        }
    }

    /// Whether the previous token is a string without its closing quote: such a string runs to
    /// the end of its line, so the statement it broke cannot continue past it.
    fn after_unterminated_string(&self) -> bool {
        self.prev
            .is_some_and(|s| self.unterminated.binary_search(&s.start).is_ok())
    }

    /// Whether the lexer skipped invalid characters between the previous and the current token.
    fn after_invalid_characters(&self) -> bool {
        let from = self.prev_end();
        let to = self.span().start;
        let i = self.invalid.partition_point(|&s| s < from);
        self.invalid.get(i).is_some_and(|&s| s < to)
    }

    // ----- statements ---------------------------------------------------------------------

    fn program(&mut self) -> Program {
        let mut program = Program::default();
        while self.peek().is_some() {
            self.depth = 0;
            self.stmt_start = self.pos;
            match self.statement() {
                Ok(s) => program.statements.push(s),
                Err(Recover) if self.resync_here => self.resync_here = false,
                Err(Recover) => self.recover(),
            }
            if self.pos == self.stmt_start {
                self.bump(); // never loop without progress
            }
        }
        program
    }

    fn statement(&mut self) -> PResult<Statement> {
        match (self.peek(), self.peek_at(1)) {
            (Some(Token::Directive(_)), _) => self.directive().map(Statement::Directive),
            (Some(Token::Ident(_)), Some(Token::Gt)) => {
                self.superiority().map(Statement::Superiority)
            }
            (Some(Token::Ident(_) | Token::Tilde), _) => self.rule().map(Statement::Rule),
            (Some(Token::Var(_)), _) => self.error(
                "a statement (a fact, rule, superiority or directive)",
                Some("predicates and rule labels start with a lowercase letter"),
            ),
            (Some(Token::Not), _) => self.error(
                "a statement (a fact, rule, superiority or directive)",
                Some("`not` can only be used in a rule body: `head :- not p(X).`"),
            ),
            _ => self.error("a statement (a fact, rule, superiority or directive)", None),
        }
    }

    fn directive(&mut self) -> PResult<Directive> {
        let start = self.span();
        let Some((Token::Directive(name), name_span)) = self.bump() else {
            return self.error("a directive", None);
        };
        let name = Ident {
            name,
            span: name_span,
        };
        let mut args = Vec::new();
        loop {
            let arg_start = self.span();
            let value = match self.peek() {
                Some(Token::Dot) => break,
                Some(Token::Ident(s) | Token::Var(s) | Token::Str(s)) => {
                    Const::Str(s.as_str().into())
                }
                Some(Token::Date(d)) => Const::Date(*d),
                Some(&Token::Int(v)) => match i64::try_from(v) {
                    Ok(n) => Const::Int(n),
                    Err(_) => {
                        self.int_out_of_range(arg_start);
                        Const::Int(0)
                    }
                },
                Some(Token::Minus) if matches!(self.peek_at(1), Some(Token::Int(_))) => {
                    self.bump();
                    let Some((Token::Int(v), _)) = self.bump() else {
                        unreachable!("peeked an integer")
                    };
                    let n = 0i64.wrapping_sub_unsigned(v);
                    args.push((Const::Int(n), self.since(arg_start)));
                    continue;
                }
                None => return self.missing_end("`.` at the end of the directive"),
                Some(Token::Directive(_)) => {
                    return self.missing_end("`.` at the end of the directive");
                }
                _ => {
                    return self.error(
                        "a directive argument (a name, string, integer or date) or `.`",
                        Some(STATEMENT_END),
                    );
                }
            };
            self.bump();
            args.push((value, arg_start));
        }
        let span = self.since(start);
        self.bump(); // the `.`
        Ok(Directive { name, args, span })
    }

    fn superiority(&mut self) -> PResult<Superiority> {
        let start = self.span();
        let stronger = self.label_ident()?;
        self.expect(&Token::Gt, None)?;
        let weaker = match self.peek() {
            Some(Token::Ident(_)) => self.label_ident()?,
            _ => {
                return self.error(
                    "a rule label after `>`",
                    Some("a superiority relation is written `r1 > r2.`"),
                );
            }
        };
        let span = self.since(start);
        if self.eat(&Token::Dot).is_none() {
            return self.missing_end("`.`");
        }
        Ok(Superiority {
            stronger,
            weaker,
            span,
        })
    }

    fn label_ident(&mut self) -> PResult<Ident> {
        if !matches!(self.peek(), Some(Token::Ident(_))) {
            return self.error("a rule label", None);
        }
        match self.bump() {
            Some((Token::Ident(name), span)) => Ok(Ident { name, span }),
            _ => unreachable!("peeked an identifier"),
        }
    }

    fn rule(&mut self) -> PResult<Rule> {
        let start = self.span();
        let label = if matches!(
            (self.peek(), self.peek_at(1)),
            (Some(Token::Ident(_)), Some(Token::Colon))
        ) {
            let l = self.label_ident()?;
            self.bump(); // `:`
            Some(l)
        } else {
            None
        };
        let head = self.atom("a predicate name for the rule head")?;
        let kind = match self.peek() {
            Some(Token::Dot) => None,
            Some(Token::ColonDash) => Some(RuleKind::Strict),
            Some(Token::ColonEq) => Some(RuleKind::Defeasible),
            Some(Token::ColonTilde) => Some(RuleKind::Defeater),
            Some(Token::Colon) if label.is_none() => {
                return self.error(
                    "`.`, `:-`, `:=` or `:~` after the head",
                    Some("a rule label comes first (`r1: head :- body.`); a rule arrow is `:-`"),
                );
            }
            _ => return self.missing_end("`.`, `:-`, `:=` or `:~` after the head"),
        };
        let mut body = Vec::new();
        if kind.is_some() {
            self.bump();
            body = self.body(false)?;
        }
        let span = self.since(start);
        if self.eat(&Token::Dot).is_none() {
            return self.missing_end("`,` or `.` after a body item");
        }
        Ok(Rule {
            label,
            head,
            kind: kind.unwrap_or(RuleKind::Strict),
            body,
            span,
        })
    }

    /// Reports an integer literal of `2^63` that is not negated.
    fn int_out_of_range(&mut self, span: Span) {
        self.diags.push(out_of_range(span));
    }
}
