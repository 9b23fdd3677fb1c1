//! Stage 2: static analysis of a parsed program — arity, safety, stratification, names.
//!
//! It reads the tree and returns what the planner needs (arities, strata in evaluation order,
//! imports) plus every diagnostic; it never evaluates anything.
//!
//! One job per submodule: `names` (directives, unsupported constructs, unknown predicates),
//! `arity`, `safety` (plus `aggregate` for aggregate bodies; both build on `binding`, which
//! says what a body binds and reports what it does not), `strata`, and `vocabulary` (the
//! symbols a knowledge base declares for fixed argument positions, issue 13).
//!
//! Choices worth knowing:
//! - The arity of a predicate is that of its first use in source order; each later use with
//!   another arity is an `arity_mismatch` at that atom.
//! - `unbound_variable` is reported once per variable and rule, at its first occurrence that
//!   needs a value (head first, then the body in order). A variable with an error never draws
//!   `singleton_variable`.
//! - Negation-local variables (only in one `not` atom, only as plain arguments) draw
//!   `negation_local_variable` once, unless their name starts with `_`; inside arithmetic they
//!   are `unbound_variable`.
//! - `unknown_predicate` is reported once per predicate, at its first body use.
//! - A rule or fact whose head is `true` is `unsupported`; `true(X)` is `arity_mismatch`.
//! - `cyclic_negation` says "negation through recursion: p -> q -> p" (or "aggregate through
//!   recursion: ..."), read "p depends on q, which depends on p", starting at the head of the
//!   rule with the literal; once per literal.
//! - Strata: Kahn's algorithm over the components; among ready components the one whose
//!   alphabetically smallest predicate comes first goes first.

mod aggregate;
mod arity;
mod binding;
pub mod constants;
pub mod defeasible;
mod names;
mod preds;
mod safety;
mod scc;
mod strata;
#[cfg(test)]
mod testutil;
pub mod vocabulary;

use crate::diag::Diagnostic;
use crate::syntax::ast::{Atom, BodyItem, Program, Rule, Statement};
use crate::syntax::span::Span;
use std::collections::BTreeMap;

/// What the planner needs to know about a program that passed the checks.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Arity of every predicate that occurs anywhere (heads, bodies, facts, imports are
    /// given the arity of their uses). `true` is not listed.
    pub arities: BTreeMap<String, usize>,
    /// Strongly connected components of the predicate dependency graph, in evaluation order
    /// (every predicate a stratum depends on is in an earlier stratum or in the same one).
    /// Empty for a defeasible theory: `defeasible::ground` evaluates a program of its own.
    pub strata: Vec<Stratum>,
    /// `@import pred "file".` directives, in source order.
    pub imports: Vec<Import>,
    /// For a defeasible theory: its layers and labels (`None` for plain Datalog).
    pub defeasible: Option<defeasible::DefeasibleInfo>,
}

/// One strongly connected component of the dependency graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stratum {
    /// Its predicates, sorted by name.
    pub preds: Vec<String>,
    /// Whether some predicate depends on itself through the component (needs iteration).
    pub recursive: bool,
}

/// `@import pred "path".`: facts of `pred` come from a CSV (`,`) or TSV (`.tsv`, tab) file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The predicate filled.
    pub pred: String,
    /// The path as written (relative paths are relative to the program file).
    pub path: String,
    /// The directive, for diagnostics.
    pub span: Span,
}

/// Name of the built-in 0-ary atom that always holds.
pub(crate) const TRUE: &str = "true";

/// Where an atom stands in a rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Role {
    /// The rule's conclusion.
    Head,
    /// A positive body atom.
    Pos,
    /// A `not` body atom.
    Neg,
    /// A positive atom inside an aggregate.
    AggPos,
    /// A `not` atom inside an aggregate.
    AggNeg,
}

impl Role {
    /// Whether the atom is read in a body (anything but the head).
    pub(crate) fn in_body(self) -> bool {
        self != Role::Head
    }
}

/// One atom of a rule with its role and the span of its literal (the `not` literal, or the
/// whole aggregate for atoms inside one).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AtomUse<'a> {
    /// The atom.
    pub(crate) atom: &'a Atom,
    /// Where it stands.
    pub(crate) role: Role,
    /// The literal that contains it (the atom itself for heads and positive atoms).
    pub(crate) literal: Span,
}

/// Every atom of a rule, head first, then the body in source order (aggregate bodies inline).
pub(crate) fn rule_atoms(rule: &Rule) -> Vec<AtomUse<'_>> {
    let mut out = Vec::new();
    rule_atoms_into(rule, &mut out);
    out
}

/// [`rule_atoms`] appended to `out` (a buffer reused over a million rules allocates once).
pub(crate) fn rule_atoms_into<'a>(rule: &'a Rule, out: &mut Vec<AtomUse<'a>>) {
    out.push(AtomUse {
        atom: &rule.head,
        role: Role::Head,
        literal: rule.head.span,
    });
    fn body<'a>(items: &'a [BodyItem], agg: Option<Span>, out: &mut Vec<AtomUse<'a>>) {
        for item in items {
            match item {
                BodyItem::Pos(a) => out.push(AtomUse {
                    atom: a,
                    role: if agg.is_some() {
                        Role::AggPos
                    } else {
                        Role::Pos
                    },
                    literal: agg.unwrap_or(a.span),
                }),
                BodyItem::Neg(a, span) => out.push(AtomUse {
                    atom: a,
                    role: if agg.is_some() {
                        Role::AggNeg
                    } else {
                        Role::Neg
                    },
                    literal: agg.unwrap_or(*span),
                }),
                BodyItem::Cmp { .. } => {}
                BodyItem::Agg(g) => body(&g.body, Some(agg.unwrap_or(g.span)), out),
            }
        }
    }
    body(&rule.body, None, out);
}

/// The rules of a program, in source order.
pub(crate) fn rules(program: &Program) -> impl Iterator<Item = &Rule> {
    program.statements.iter().filter_map(|s| match s {
        Statement::Rule(r) => Some(r),
        _ => None,
    })
}

/// "1 argument", "2 arguments".
pub(crate) fn n_args(n: usize) -> String {
    if n == 1 {
        "1 argument".to_string()
    } else {
        format!("{n} arguments")
    }
}

/// Checks a whole program (all files merged) and returns the analysis plus all diagnostics.
/// The analysis is meaningful only when no diagnostic is an error.
///
/// Diagnostics come back in source order (by file, then position); all problems of the
/// program are reported, never only the first.
pub fn check(program: &Program) -> (Analysis, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let imports = names::imports(program, &mut diags);
    names::unsupported(program, &mut diags);
    let preds = preds::Preds::new(program);
    let arities = arity::arities(program, &preds, &mut diags);
    for rule in rules(program) {
        safety::check_rule(rule, &mut diags);
    }
    names::unknown_predicates(program, &preds, &imports, &mut diags);
    // A defeasible theory is grounded through a program of its own, never evaluated by
    // these strata: only the check of negation through recursion is needed.
    let strata = strata::stratify(&preds, !defeasible::is_defeasible(program), &mut diags);
    let defeasible = defeasible::analyse(program, &preds, &mut diags);
    diags.extend(vocabulary::check_vocabulary(&program.statements));
    diags.sort_by_key(|d| d.span.map(|s| (s.file, s.start)));
    (
        Analysis {
            arities,
            strata,
            imports,
            defeasible,
        },
        diags,
    )
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::syntax::ast::{AggFunc, BinOp, CmpOp};

    #[test]
    fn clean_program_gives_full_analysis_and_no_diagnostics() {
        // @import attack "attacks.csv".
        // member(poland, nato).
        // ally(S, V) :- member(S, O), member(V, O), S != V.
        // helps(S, V) :- attack(_, V, _), ally(S, V), not neutral(S).
        // neutral(none).
        // helpers(V, N) :- attack(_, V, _), N = #count { S : helps(S, V) }.
        // big(V) :- helpers(V, N), M = N * 2, M > 3.
        let xs = |v: &[&str]| v.iter().map(|n| var(n)).collect::<Vec<_>>();
        let p = prog(vec![
            directive("import", vec![s("attack"), s("attacks.csv")]),
            fact(atom("member", vec![sym("poland"), sym("nato")])),
            rule(
                atom("ally", xs(&["S", "V"])),
                vec![
                    pos(atom("member", xs(&["S", "O"]))),
                    pos(atom("member", xs(&["V", "O"]))),
                    cmp(CmpOp::Ne, var("S"), var("V")),
                ],
            ),
            rule(
                atom("helps", xs(&["S", "V"])),
                vec![
                    pos(atom("attack", vec![wild(), var("V"), wild()])),
                    pos(atom("ally", xs(&["S", "V"]))),
                    not(atom("neutral", xs(&["S"]))),
                ],
            ),
            fact(atom("neutral", vec![sym("none")])),
            rule(
                atom("helpers", xs(&["V", "N"])),
                vec![
                    pos(atom("attack", vec![wild(), var("V"), wild()])),
                    agg(
                        "N",
                        AggFunc::Count,
                        xs(&["S"]),
                        vec![pos(atom("helps", xs(&["S", "V"])))],
                    ),
                ],
            ),
            rule(
                atom("big", xs(&["V"])),
                vec![
                    pos(atom("helpers", xs(&["V", "N"]))),
                    eq(var("M"), bin(BinOp::Mul, var("N"), int(2))),
                    cmp(CmpOp::Gt, var("M"), int(3)),
                ],
            ),
        ]);
        let (a, diags) = check(&p);
        assert!(diags.is_empty(), "{diags:?}");
        let ar: Vec<(&str, usize)> = a.arities.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(
            ar,
            vec![
                ("ally", 2),
                ("attack", 3),
                ("big", 1),
                ("helpers", 2),
                ("helps", 2),
                ("member", 2),
                ("neutral", 1)
            ]
        );
        let order: Vec<Vec<String>> = a.strata.iter().map(|s| s.preds.clone()).collect();
        let flat: Vec<&str> = order.iter().map(|v| v[0].as_str()).collect();
        assert_eq!(
            flat,
            vec![
                "attack", "member", "ally", "neutral", "helps", "helpers", "big"
            ]
        );
        assert!(a.strata.iter().all(|s| !s.recursive));
        assert_eq!(a.imports.len(), 1);
    }
}
