//! Rule bodies: atoms, `not` atoms, comparisons and aggregates.
//!
//! ```text
//! body       := item (',' item)*
//! item       := 'not' atom | atom | expr cmp expr | Var '=' aggregate
//! aggregate  := ('#count' | '#sum' | '#min' | '#max') '{' expr (',' expr)* ':' body '}'
//! atom       := ['~'] ident ['(' [expr (',' expr)*] ')']
//! ```

use super::{PResult, Parser, Recover};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{AggFunc, Aggregate, Atom, BodyItem, CmpOp, ConclusionKind, Expr, Ident};
use crate::syntax::lexer::{Token, agg_name};
use crate::syntax::span::Span;

impl Parser<'_> {
    /// Body items separated by commas, up to (not including) the `.` or, in an aggregate, `}`.
    pub(super) fn body(&mut self, in_agg: bool) -> PResult<Vec<BodyItem>> {
        let mut items = vec![self.body_item(in_agg)?];
        while self.eat(&Token::Comma).is_some() {
            items.push(self.body_item(in_agg)?);
        }
        Ok(items)
    }

    fn body_item(&mut self, in_agg: bool) -> PResult<BodyItem> {
        let start = self.span();
        match (self.peek(), self.peek_at(1)) {
            (Some(Token::Not), next) if !matches!(next, Some(Token::Ident(_) | Token::Tilde)) => {
                self.bump();
                self.error(
                    "an atom after `not`",
                    Some("`not` negates an atom (`not p(X)`); compare with `!=`, `<`, `>=` ..."),
                )
            }
            (Some(Token::Not), _) => {
                self.bump();
                let atom = self.atom("an atom after `not`")?;
                Ok(BodyItem::Neg(atom, self.since(start)))
            }
            (Some(Token::Tilde), _) => Ok(BodyItem::Pos(self.atom("a predicate name")?)),
            (Some(Token::Plus | Token::Minus), Some(Token::Var(d) | Token::Ident(d)))
                if d == "D" || d == "d" =>
            {
                let kind = match (self.peek(), d.as_str()) {
                    (Some(Token::Plus), "D") => ConclusionKind::Definitely,
                    (Some(Token::Minus), "D") => ConclusionKind::NotDefinitely,
                    (Some(Token::Plus), _) => ConclusionKind::Defeasibly,
                    _ => ConclusionKind::NotDefeasibly,
                };
                self.bump();
                self.bump();
                let mut atom = self.atom("an atom after a conclusion kind (`+d flies(X)`)")?;
                atom.kind = Some(kind);
                atom.span = self.since(start);
                Ok(BodyItem::Pos(atom))
            }
            (Some(Token::Ident(_)), next) if !next.is_some_and(is_operator) => {
                Ok(BodyItem::Pos(self.atom("a predicate name")?))
            }
            (Some(Token::Agg(_)), _) => self.error(
                "a body item",
                Some("an aggregate is bound to a variable: `R = #count { X : p(X) }`"),
            ),
            (
                Some(
                    Token::Var(_)
                    | Token::Wildcard
                    | Token::Ident(_)
                    | Token::Str(_)
                    | Token::Int(_)
                    | Token::Date(_)
                    | Token::LParen
                    | Token::Minus,
                ),
                _,
            ) => self.comparison(start, in_agg),
            _ => self.error(
                "a body item (an atom, `not` atom, comparison or aggregate)",
                None,
            ),
        }
    }

    fn comparison(&mut self, start: Span, in_agg: bool) -> PResult<BodyItem> {
        let lhs = self.expr()?;
        let op = match self.peek().and_then(cmp_op) {
            Some(op) => op,
            None => {
                let hint = match (&lhs, self.peek()) {
                    (Expr::Var(_), Some(Token::LParen)) => {
                        "predicates start with a lowercase letter"
                    }
                    _ => {
                        "a body item is an atom `p(X)`, `not p(X)`, a comparison `X < Y` or an aggregate"
                    }
                };
                return self.error("a comparison operator (=, !=, <, <=, >, >=)", Some(hint));
            }
        };
        self.bump();
        if let Some(Token::Agg(func)) = self.peek() {
            let func = *func;
            return self
                .aggregate(start, lhs, op, func, in_agg)
                .map(BodyItem::Agg);
        }
        let rhs = self.expr()?;
        if let Some(Token::Eq | Token::Ne | Token::Lt | Token::Le | Token::Gt | Token::Ge) =
            self.peek()
        {
            return self.error(
                "`,` or `.`",
                Some("comparisons cannot be chained: write `A < B, B < C`"),
            );
        }
        Ok(BodyItem::Cmp {
            op,
            lhs,
            rhs,
            span: self.since(start),
        })
    }

    fn aggregate(
        &mut self,
        start: Span,
        lhs: Expr,
        op: CmpOp,
        func: AggFunc,
        in_agg: bool,
    ) -> PResult<Aggregate> {
        let name = agg_name(func);
        if in_agg {
            return self.error(
                "a term",
                Some("aggregates cannot be nested; define a helper predicate instead"),
            );
        }
        let result = match (lhs, op) {
            (Expr::Var(id), CmpOp::Eq) => id,
            (Expr::Var(_), _) => {
                return self.error_at(
                    start,
                    format!("the result of `{name}` must be bound with `=`"),
                    "write `R = #count { X : p(X) }`",
                );
            }
            _ => {
                return self.error_at(
                    start,
                    format!("the result of `{name}` must be a variable"),
                    "variables start with an uppercase letter: `R = #count { X : p(X) }`",
                );
            }
        };
        self.bump(); // the function
        self.expect(
            &Token::LBrace,
            Some("an aggregate is written `#count { X : p(X) }`"),
        )?;
        let mut terms = vec![self.expr()?];
        while self.eat(&Token::Comma).is_some() {
            terms.push(self.expr()?);
        }
        if self.eat(&Token::Colon).is_none() {
            return self.error(
                "`,` or `:` after the aggregate's terms",
                Some("an aggregate is written `#count { X : p(X) }`"),
            );
        }
        let body = self.body(true)?;
        if self.eat(&Token::RBrace).is_none() {
            return self.error("`,` or `}` in the aggregate body", None);
        }
        Ok(Aggregate {
            result,
            func,
            terms,
            body,
            span: self.since(start),
        })
    }

    fn error_at<T>(&mut self, span: Span, message: String, hint: &str) -> PResult<T> {
        let span = Span {
            end: self.span().end.max(span.start),
            ..span
        };
        self.diags
            .push(Diagnostic::error(Code::SyntaxError, span, message).with_hint(hint));
        Err(Recover)
    }

    /// `pred`, `pred(args)`, `~pred(args)`.
    pub(super) fn atom(&mut self, expected: &str) -> PResult<Atom> {
        let start = self.span();
        let strong_neg = self.eat(&Token::Tilde).is_some();
        let pred = match self.peek() {
            Some(Token::Ident(_)) => match self.bump() {
                Some((Token::Ident(name), span)) => Ident { name, span },
                _ => unreachable!("peeked an identifier"),
            },
            Some(Token::Var(_)) => {
                return self.error(expected, Some("predicates start with a lowercase letter"));
            }
            Some(Token::Not | Token::Mod) => {
                return self.error(
                    expected,
                    Some("`not` and `mod` are reserved words and cannot name predicates"),
                );
            }
            _ => return self.error(expected, None),
        };
        let mut args = Vec::new();
        if self.eat(&Token::LParen).is_some() && self.eat(&Token::RParen).is_none() {
            args.push(self.expr()?);
            loop {
                if self.eat(&Token::RParen).is_some() {
                    break;
                }
                if self.eat(&Token::Comma).is_none() {
                    let what = format!("`,` or `)` in the arguments of `{}`", pred.name);
                    return self.error(&what, None);
                }
                args.push(self.expr()?);
            }
        }
        Ok(Atom {
            kind: None,
            strong_neg,
            pred,
            args,
            span: self.since(start),
        })
    }
}

/// Tokens that continue an expression or a comparison after a first operand.
fn is_operator(tok: &Token) -> bool {
    cmp_op(tok).is_some()
        || matches!(
            tok,
            Token::Plus | Token::Minus | Token::Star | Token::Slash | Token::Mod
        )
}

fn cmp_op(tok: &Token) -> Option<CmpOp> {
    Some(match tok {
        Token::Eq => CmpOp::Eq,
        Token::Ne => CmpOp::Ne,
        Token::Lt => CmpOp::Lt,
        Token::Le => CmpOp::Le,
        Token::Gt => CmpOp::Gt,
        Token::Ge => CmpOp::Ge,
        _ => return None,
    })
}
