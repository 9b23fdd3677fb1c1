//! Grounding a defeasible theory with the Datalog engine.
//!
//! Only rule instances whose bodies can be supported are made. The theory is rewritten into a
//! Datalog program (the *grounding program*) where `?L` means "literal `L` may be supported":
//! facts support their literal, every instance `#i(V...)` of rule `i` comes from the rule's
//! body over supported literals (and over the Datalog base, with its `not`s and comparisons),
//! and every instance of a strict or defeasible rule supports its head. The engine's answer for
//! `#i` is exactly the set of ground instances. Rules without variables whose bodies are plain
//! atoms skip the engine: they are their own instance.

use super::instances::{Builder, Source, positive_atoms};
pub use super::instances::{Grounded, Origin, literal_name};
use crate::check::check;
use crate::check::defeasible::DefeasibleInfo;
use crate::diag::Diagnostic;
use crate::driver::{FactFile, Loaded, evaluate_program};
use crate::eval::Limits;
use crate::syntax::ast::{self, Atom, BodyItem, Ident, Program, RuleKind, Statement};
use crate::syntax::span::Span;
use std::collections::BTreeSet;

fn support(name: &str) -> String {
    format!("?{name}")
}

/// Grounds the theory of a loaded program that has no errors.
pub fn ground(
    loaded: &Loaded,
    info: &DefeasibleInfo,
    extra: &[FactFile],
    limits: &Limits,
) -> Result<Grounded, Vec<Diagnostic>> {
    let is_d = |name: &str| info.preds.contains(name);
    let mut sources: Vec<Source> = Vec::new();
    let mut base = Program::default();
    for st in &loaded.program.statements {
        match st {
            Statement::Directive(_) => base.statements.push(st.clone()),
            Statement::Superiority(_) => {}
            Statement::Rule(r) if !is_d(&r.head.pred.name) => base.statements.push(st.clone()),
            Statement::Rule(r) if r.is_fact() => {
                let mut fact = r.clone();
                fact.head.pred.name = literal_name(&r.head.pred.name, r.head.strong_neg);
                fact.head.strong_neg = false;
                fact.label = None;
                base.statements.push(Statement::Rule(fact));
            }
            Statement::Rule(r) => sources.push(Source::new(r)),
        }
    }
    // Literals of the defeasible layer that rules going through the engine read.
    let mut read: BTreeSet<String> = BTreeSet::new();
    for s in sources.iter().filter(|s| s.via_engine) {
        for a in positive_atoms(s.rule()) {
            if is_d(&a.pred.name) {
                read.insert(literal_name(&a.pred.name, a.strong_neg));
            }
        }
    }
    let mut program = base;
    for name in &read {
        let arity = loaded
            .analysis
            .arities
            .get(name.trim_start_matches('~'))
            .copied()
            .unwrap_or(0);
        let span = loaded
            .program
            .statements
            .first()
            .map(stmt_span)
            .unwrap_or_default();
        let args: Vec<ast::Expr> = (0..arity).map(|i| var(&format!("V{i}"), span)).collect();
        program.statements.push(rule(
            atom(&support(name), args.clone(), span),
            vec![BodyItem::Pos(atom(name, args, span))],
            span,
        ));
    }
    for (i, s) in sources.iter().enumerate() {
        let r = s.rule();
        let span = r.span;
        // Whether an engine rule reads the head (no name is made when none reads anything).
        let head_name = (!read.is_empty() && r.kind != RuleKind::Defeater)
            .then(|| literal_name(&r.head.pred.name, r.head.strong_neg))
            .filter(|name| read.contains(name));
        if !s.via_engine {
            if let Some(head_name) = &head_name {
                let head = atom(&support(head_name), r.head.args.clone(), span);
                program.statements.push(rule(head, Vec::new(), span));
            }
            continue;
        }
        let body = r
            .body
            .iter()
            .map(|item| match item {
                BodyItem::Pos(a) if is_d(&a.pred.name) => BodyItem::Pos(atom(
                    &support(&literal_name(&a.pred.name, a.strong_neg)),
                    a.args.clone(),
                    a.span,
                )),
                other => other.clone(),
            })
            .collect();
        let inst_args: Vec<ast::Expr> = s.vars.iter().map(|v| var(v, span)).collect();
        program.statements.push(rule(
            atom(&format!("#{i}"), inst_args.clone(), span),
            body,
            span,
        ));
        if let Some(head_name) = &head_name {
            let head = atom(&support(head_name), r.head.args.clone(), span);
            program.statements.push(rule(
                head,
                vec![BodyItem::Pos(atom(&format!("#{i}"), inst_args, span))],
                span,
            ));
        }
    }
    let (analysis, diags) = check(&program);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags); // not expected: the theory passed the checks
    }
    let evaluated = evaluate_program(&program, &analysis, &loaded.sources, extra, limits)?;
    Builder::new(evaluated, &loaded.analysis, info).build(loaded, &sources)
}

fn stmt_span(s: &Statement) -> Span {
    match s {
        Statement::Rule(r) => r.span,
        Statement::Superiority(s) => s.span,
        Statement::Directive(d) => d.span,
    }
}

fn var(name: &str, span: Span) -> ast::Expr {
    ast::Expr::Var(Ident {
        name: name.to_string(),
        span,
    })
}

fn atom(name: &str, args: Vec<ast::Expr>, span: Span) -> Atom {
    Atom {
        kind: None,
        strong_neg: false,
        pred: Ident {
            name: name.to_string(),
            span,
        },
        args,
        span,
    }
}

fn rule(head: Atom, body: Vec<BodyItem>, span: Span) -> Statement {
    Statement::Rule(ast::Rule {
        label: None,
        head,
        kind: RuleKind::Strict,
        body,
        span,
    })
}
