//! Structure-aware: libFuzzer's bytes drive `arbitrary` to build a small, mostly well-formed
//! program (recursion, negation, arithmetic near the 64-bit edges, aggregates, defeasible
//! rules and superiorities), printed as source text and run through the whole pipeline under
//! tight limits. Raw-byte fuzzing rarely gets past the checker; this target does.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use pacta::defeasible::Ambiguity;
use pacta::driver::{load, run};
use pacta::eval::Limits;
use pacta::syntax::span::{SourceFile, SourceMap};
use std::fmt::Write;
use std::time::Duration;

#[derive(Arbitrary, Debug)]
struct Program {
    statements: Vec<Statement>,
}

#[derive(Arbitrary, Debug)]
enum Statement {
    Fact {
        neg: bool,
        pred: u8,
        args: [Term; 3],
    },
    Rule {
        label: Option<u8>,
        arrow: u8,
        neg: bool,
        pred: u8,
        args: [Expr; 3],
        body: Vec<Item>,
    },
    Superior(u8, u8),
}

#[derive(Arbitrary, Debug)]
enum Item {
    Atom {
        neg: bool,
        not: bool,
        pred: u8,
        args: [Term; 3],
    },
    Cmp(u8, Expr, Expr),
    Agg {
        result: u8,
        func: u8,
        term: Term,
        pred: u8,
        args: [Term; 3],
    },
}

#[derive(Arbitrary, Debug)]
enum Term {
    Var(u8),
    Wildcard,
    Sym(u8),
    Int(i64),
    Small(i8),
    Date(u8),
}

#[derive(Arbitrary, Debug)]
enum Expr {
    Term(Term),
    Bin(u8, Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
}

/// Four predicates, each with a fixed arity (0–3), so most programs pass the arity check.
fn pred(out: &mut String, p: u8) -> usize {
    let p = p % 4;
    let _ = write!(out, "p{p}");
    p as usize
}

fn term(out: &mut String, t: &Term) {
    let _ = match t {
        Term::Var(v) => write!(out, "{}", ["X", "Y", "Z"][*v as usize % 3]),
        Term::Wildcard => write!(out, "_"),
        Term::Sym(s) => write!(out, "{}", ["a", "b", "\"c d\""][*s as usize % 3]),
        Term::Int(i) => write!(out, "{i}"),
        Term::Small(i) => write!(out, "{i}"),
        Term::Date(d) => write!(out, "2024-0{}-1{}", d % 9 + 1, d % 10),
    };
}

fn expr(out: &mut String, e: &Expr, depth: usize) {
    match e {
        Expr::Term(t) => term(out, t),
        _ if depth > 6 => out.push('1'),
        Expr::Bin(op, l, r) => {
            out.push('(');
            expr(out, l, depth + 1);
            out.push_str([" + ", " - ", " * ", " / ", " mod "][*op as usize % 5]);
            expr(out, r, depth + 1);
            out.push(')');
        }
        Expr::Neg(e) => {
            out.push_str("-(");
            expr(out, e, depth + 1);
            out.push(')');
        }
    }
}

fn args<T>(out: &mut String, n: usize, xs: &[T; 3], f: impl Fn(&mut String, &T)) {
    if n == 0 {
        return;
    }
    out.push('(');
    for (i, x) in xs.iter().take(n).enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        f(out, x);
    }
    out.push(')');
}

fn atom(out: &mut String, neg: bool, p: u8, a: &[Term; 3]) {
    if neg {
        out.push('~');
    }
    let n = pred(out, p);
    args(out, n, a, term);
}

fn render(p: &Program) -> String {
    let mut out = String::new();
    for s in p.statements.iter().take(24) {
        match s {
            Statement::Fact {
                neg,
                pred: p,
                args: a,
            } => atom(&mut out, *neg, *p, a),
            Statement::Superior(a, b) => {
                let _ = write!(out, "r{} > r{}", a % 4, b % 4);
            }
            Statement::Rule {
                label,
                arrow,
                neg,
                pred: p,
                args: a,
                body,
            } => {
                if let Some(l) = label {
                    let _ = write!(out, "r{}: ", l % 4);
                }
                if *neg {
                    out.push('~');
                }
                let n = pred(&mut out, *p);
                args(&mut out, n, a, |o, e| expr(o, e, 0));
                out.push_str([" :- ", " := ", " :~ ", " :- "][*arrow as usize % 4]);
                if body.is_empty() {
                    out.push_str("true");
                }
                for (i, item) in body.iter().take(5).enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    match item {
                        Item::Atom {
                            neg,
                            not,
                            pred: p,
                            args: a,
                        } => {
                            if *not {
                                out.push_str("not ");
                            }
                            atom(&mut out, *neg, *p, a);
                        }
                        Item::Cmp(op, l, r) => {
                            expr(&mut out, l, 0);
                            out.push_str(
                                [" = ", " != ", " < ", " <= ", " > ", " >= "][*op as usize % 6],
                            );
                            expr(&mut out, r, 0);
                        }
                        Item::Agg {
                            result,
                            func,
                            term: t,
                            pred: p,
                            args: a,
                        } => {
                            let _ = write!(out, "{} = ", ["X", "Y", "Z"][*result as usize % 3]);
                            out.push_str(["#count", "#sum", "#min", "#max"][*func as usize % 4]);
                            out.push_str(" { ");
                            term(&mut out, t);
                            out.push_str(" : ");
                            atom(&mut out, false, *p, a);
                            out.push_str(" }");
                        }
                    }
                }
            }
        }
        out.push_str(".\n");
    }
    out
}

fuzz_target!(|program: Program| {
    let text = render(&program);
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("gen.pacta", text));
    let loaded = load(sources);
    if loaded.has_errors() {
        return;
    }
    let limits = Limits {
        max_facts: Some(10_000),
        timeout: Some(Duration::from_secs(1)),
        ..Limits::default()
    };
    if loaded.analysis.defeasible.is_some() {
        for ambiguity in [Ambiguity::Blocking, Ambiguity::Propagating] {
            if let Ok(r) = pacta::defeasible::run(&loaded, &[], &limits, ambiguity) {
                let _ = r.model();
                let _ = r.conflicts();
            }
        }
    } else if let Ok(e) = run(&loaded, &[], &limits) {
        let _ = e.model();
    }
});
