//! Tiny AST builders for the checker's unit tests. Every node gets a fresh, distinct span
//! (increasing in construction order), so tests can assert where each diagnostic points.

#![allow(dead_code)]

use crate::diag::{Code, Diagnostic, Severity};
use crate::syntax::ast::*;
use crate::syntax::span::{FileId, Span};
use crate::value::Const;
use std::cell::Cell;

thread_local!(static NEXT: Cell<u32> = const { Cell::new(1) });

/// A fresh span, distinct from every other one made on this thread.
pub fn sp() -> Span {
    NEXT.with(|n| {
        let i = n.get();
        n.set(i + 1);
        Span::new(FileId(0), (i * 10) as usize..(i * 10 + 5) as usize)
    })
}

pub fn id(name: &str) -> Ident {
    Ident {
        name: name.to_string(),
        span: sp(),
    }
}

pub fn var(name: &str) -> Expr {
    Expr::Var(id(name))
}

pub fn wild() -> Expr {
    Expr::Wildcard(sp())
}

pub fn sym(s: &str) -> Expr {
    Expr::Const(Const::Str(s.into()), sp())
}

pub fn int(i: i64) -> Expr {
    Expr::Const(Const::Int(i), sp())
}

pub fn bin(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    let span = lhs.span().to(rhs.span());
    Expr::Binary {
        op,
        lhs: Box::new(lhs),
        rhs: Box::new(rhs),
        span,
    }
}

pub fn atom(pred: &str, args: Vec<Expr>) -> Atom {
    let pred = id(pred);
    let span = args.iter().fold(pred.span, |s, a| s.to(a.span()));
    Atom {
        kind: None,
        strong_neg: false,
        pred,
        args,
        span,
    }
}

pub fn sneg(mut a: Atom) -> Atom {
    a.strong_neg = true;
    a
}

pub fn pos(a: Atom) -> BodyItem {
    BodyItem::Pos(a)
}

pub fn not(a: Atom) -> BodyItem {
    let span = sp().to(a.span);
    BodyItem::Neg(a, span)
}

pub fn cmp(op: CmpOp, lhs: Expr, rhs: Expr) -> BodyItem {
    let span = lhs.span().to(rhs.span());
    BodyItem::Cmp { op, lhs, rhs, span }
}

pub fn eq(lhs: Expr, rhs: Expr) -> BodyItem {
    cmp(CmpOp::Eq, lhs, rhs)
}

pub fn agg(result: &str, func: AggFunc, terms: Vec<Expr>, body: Vec<BodyItem>) -> BodyItem {
    let result = id(result);
    let span = result.span.to(sp());
    BodyItem::Agg(Aggregate {
        result,
        func,
        terms,
        body,
        span,
    })
}

/// The span of a body item (the literal / comparison / aggregate).
pub fn item_span(item: &BodyItem) -> Span {
    match item {
        BodyItem::Pos(a) => a.span,
        BodyItem::Neg(_, s) => *s,
        BodyItem::Cmp { span, .. } => *span,
        BodyItem::Agg(g) => g.span,
    }
}

pub fn krule(kind: RuleKind, label: Option<&str>, head: Atom, body: Vec<BodyItem>) -> Statement {
    let span = body.iter().fold(head.span, |s, i| s.to(item_span(i)));
    Statement::Rule(Rule {
        label: label.map(id),
        head,
        kind,
        body,
        span,
    })
}

pub fn rule(head: Atom, body: Vec<BodyItem>) -> Statement {
    krule(RuleKind::Strict, None, head, body)
}

pub fn fact(head: Atom) -> Statement {
    rule(head, vec![])
}

pub fn directive(name: &str, args: Vec<Const>) -> Statement {
    let name = id(name);
    let args: Vec<(Const, Span)> = args.into_iter().map(|c| (c, sp())).collect();
    let span = name.span.to(sp());
    Statement::Directive(Directive { name, args, span })
}

pub fn s(text: &str) -> Const {
    Const::Str(text.into())
}

pub fn prog(statements: Vec<Statement>) -> Program {
    Program { statements }
}

/// Span of a statement.
pub fn stmt_span(st: &Statement) -> Span {
    match st {
        Statement::Rule(r) => r.span,
        Statement::Superiority(x) => x.span,
        Statement::Directive(d) => d.span,
    }
}

/// (code, severity, span) of each diagnostic.
pub fn summary(diags: &[Diagnostic]) -> Vec<(&'static str, Severity, Span)> {
    diags
        .iter()
        .map(|d| (d.code.as_str(), d.severity, d.span.unwrap()))
        .collect()
}

/// Diagnostics with the given code.
pub fn with_code(diags: &[Diagnostic], code: Code) -> Vec<&Diagnostic> {
    diags.iter().filter(|d| d.code == code).collect()
}

pub fn span_of(e: &Expr) -> Span {
    e.span()
}

/// Like `summary`, without `unknown_predicate` warnings (tests that do not define every
/// body predicate).
pub fn own(diags: &[Diagnostic]) -> Vec<(&'static str, Severity, Span)> {
    summary(diags)
        .into_iter()
        .filter(|d| d.0 != "unknown_predicate")
        .collect()
}
