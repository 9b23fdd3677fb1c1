//! Expressions: terms and integer arithmetic with the usual precedence.
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/' | 'mod') unary)*
//! unary   := '-' unary | primary          ('-' directly before an integer literal folds into it)
//! primary := Var | '_' | ident | string | integer | date | '(' expr ')'
//! ```

use super::{MAX_DEPTH, PResult, Parser, Recover};
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{BinOp, Expr, Ident};
use crate::syntax::lexer::Token;
use crate::value::Const;

impl Parser<'_> {
    /// One expression (a term, or arithmetic over terms).
    ///
    /// Every binary operator of a chain counts as one nesting level: `1 + 1 + ... + 1` builds a
    /// left-leaning tree as deep as it has operators, and the checker, planner and even `Drop`
    /// walk trees recursively, so a flat sum of 100,000 terms must be refused as surely as
    /// 100,000 parentheses (it overflowed the stack before).
    pub(super) fn expr(&mut self) -> PResult<Expr> {
        let outer = self.depth;
        let result = self.sum();
        self.depth = outer;
        result
    }

    fn sum(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut lhs = self.term()?;
        loop {
            let op = match self.peek() {
                Some(Token::Plus) => BinOp::Add,
                Some(Token::Minus) => BinOp::Sub,
                _ => return Ok(lhs),
            };
            self.enter()?;
            self.bump();
            let rhs = self.term()?;
            lhs = Expr::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                span: self.since(start),
            };
        }
    }

    /// Products, with the same depth accounting as [`Parser::expr`].
    fn term(&mut self) -> PResult<Expr> {
        let outer = self.depth;
        let result = self.product();
        self.depth = outer;
        result
    }

    fn product(&mut self) -> PResult<Expr> {
        let start = self.span();
        let mut lhs = self.unary()?;
        loop {
            let op = match self.peek() {
                Some(Token::Star) => BinOp::Mul,
                Some(Token::Slash) => BinOp::Div,
                Some(Token::Mod) => BinOp::Mod,
                _ => return Ok(lhs),
            };
            self.enter()?;
            self.bump();
            let rhs = self.unary()?;
            lhs = Expr::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
                span: self.since(start),
            };
        }
    }

    /// Enters one nesting level; reports an error past [`MAX_DEPTH`].
    fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.diags.push(
                Diagnostic::error(
                    Code::SyntaxError,
                    self.span(),
                    "expression nested too deeply",
                )
                .with_hint(format!(
                    "at most {MAX_DEPTH} nested parentheses, signs or operators are allowed; split the expression"
                )),
            );
            return Err(Recover);
        }
        Ok(())
    }

    fn unary(&mut self) -> PResult<Expr> {
        if !self.at(&Token::Minus) {
            return self.primary();
        }
        let start = self.span();
        self.enter()?;
        self.bump();
        let result = match self.peek() {
            Some(&Token::Int(v)) => {
                self.bump();
                // `v <= 2^63` (the lexer guarantees it), so the negation always fits.
                let n = 0i64.wrapping_sub_unsigned(v);
                Ok(Expr::Const(Const::Int(n), self.since(start)))
            }
            _ => self
                .unary()
                .map(|e| Expr::Neg(Box::new(e), self.since(start))),
        };
        self.depth -= 1;
        result
    }

    fn primary(&mut self) -> PResult<Expr> {
        let span = self.span();
        let expr = match self.peek() {
            Some(Token::Var(name)) => Expr::Var(Ident {
                name: name.clone(),
                span,
            }),
            Some(Token::Wildcard) => Expr::Wildcard(span),
            Some(Token::Ident(s) | Token::Str(s)) => {
                Expr::Const(Const::Str(s.as_str().into()), span)
            }
            Some(&Token::Int(v)) => {
                let n = match i64::try_from(v) {
                    Ok(n) => n,
                    Err(_) => {
                        self.int_out_of_range(span);
                        0
                    }
                };
                Expr::Const(Const::Int(n), span)
            }
            Some(Token::Date(d)) => Expr::Const(Const::Date(*d), span),
            Some(Token::LParen) => {
                self.enter()?;
                self.bump();
                let inner = self.expr();
                self.depth -= 1;
                let inner = inner?;
                self.expect(&Token::RParen, None)?;
                return Ok(inner);
            }
            Some(Token::Agg(_)) => {
                return self.error(
                    "a term",
                    Some("an aggregate is bound to a variable: `R = #count { X : p(X) }`"),
                );
            }
            Some(Token::Eq) => {
                return self.error(
                    "a term (a variable, constant or `(`)",
                    Some("equality is written with a single `=`"),
                );
            }
            _ => return self.error("a term (a variable, constant or `(`)", None),
        };
        self.bump();
        Ok(expr)
    }
}
