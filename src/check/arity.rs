//! Arity: every predicate has one number of arguments across facts, heads and bodies
//! (positive, `not`, inside aggregates). `true` is built in with none.

use super::n_args;
use super::preds::Preds;
use crate::diag::{Code, Diagnostic};
use crate::syntax::ast::{Program, Statement};
use std::collections::{BTreeMap, HashMap};

/// The arity of every predicate, taken from its first use in source order; every later use
/// with another arity is an `arity_mismatch` error at that atom. A predicate declared by
/// `@input pred ARITY` has the declared arity instead: every use with another one is the error
/// (and a second declaration with another arity). `true` is never listed.
pub(super) fn arities(
    program: &Program,
    preds: &Preds,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, usize> {
    let declared = declared_arities(program, diags);
    // Per predicate: its arity, and whether `@input` declared it.
    let mut found: Vec<Option<(usize, bool)>> = vec![None; preds.len()];
    for &super::preds::Use { atom: u, pred } in preds.uses() {
        let n = u.atom.args.len();
        if pred == Preds::TRUE {
            if n != 0 {
                diags.push(
                    Diagnostic::error(
                        Code::ArityMismatch,
                        u.atom.span,
                        format!(
                            "`true` is used with {}, but it is built in with none",
                            n_args(n)
                        ),
                    )
                    .with_hint("write `true` without arguments"),
                );
            }
            continue;
        }
        let name = preds.name(pred);
        let (first, is_declared) =
            *found[pred as usize].get_or_insert_with(|| match declared.get(name) {
                Some(&d) => (d, true),
                None => (n, false),
            });
        if first == n {
            continue;
        }
        diags.push(if is_declared {
            Diagnostic::error(
                Code::ArityMismatch,
                u.atom.span,
                format!(
                    "predicate `{name}` is used here with {}, but `@input` declares it with {}",
                    n_args(n),
                    n_args(first)
                ),
            )
            .with_hint(format!(
                "write {}, as `@input {name} {first}` declares (its meaning says what each one is)",
                n_args(first)
            ))
        } else {
            Diagnostic::error(
                Code::ArityMismatch,
                u.atom.span,
                format!(
                    "predicate `{name}` is used here with {}, but elsewhere with {}",
                    n_args(n),
                    n_args(first)
                ),
            )
            .with_hint(format!(
                "`{name}` was first used with {}; every use of a predicate needs the same number of arguments",
                n_args(first)
            ))
        });
    }
    // Built from names in sorted order: the map is filled in one pass, without a search per
    // predicate.
    preds
        .by_name()
        .into_iter()
        .filter_map(|p| Some((preds.name(p).to_string(), found[p as usize]?.0)))
        .collect()
}

/// `@input pred ARITY "meaning".` declarations: predicate → arity. A second
/// declaration of one predicate with another arity is an `arity_mismatch` at it.
fn declared_arities<'a>(
    program: &'a Program,
    diags: &mut Vec<Diagnostic>,
) -> HashMap<&'a str, usize> {
    let mut out = HashMap::new();
    for st in &program.statements {
        let Statement::Directive(d) = st else {
            continue;
        };
        let Some((pred, n)) = super::names::input_decl(d) else {
            continue;
        };
        match out.get(pred) {
            None => {
                out.insert(pred, n);
            }
            Some(&first) if first != n => diags.push(
                Diagnostic::error(
                    Code::ArityMismatch,
                    d.span,
                    format!(
                        "`@input {pred}` declares {}, but an earlier `@input {pred}` declares {}",
                        n_args(n),
                        n_args(first)
                    ),
                )
                .with_hint("declare each input relation once"),
            ),
            Some(_) => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::check::check;
    use crate::diag::Severity;
    use crate::syntax::ast::AggFunc;

    #[test]
    fn mismatch_reported_at_each_offending_atom() {
        let bad_body = atom("p", vec![var("X")]);
        let bad_span = bad_body.span;
        let bad_neg = atom("p", vec![var("X"), var("Y"), var("Z")]);
        let neg_span = bad_neg.span;
        let p = prog(vec![
            fact(atom("p", vec![sym("a"), sym("b")])),
            rule(
                atom("q", vec![var("X")]),
                vec![
                    pos(bad_body),
                    pos(atom("r", vec![var("X"), var("Y"), var("Z")])),
                    not(bad_neg),
                ],
            ),
        ]);
        let (a, diags) = check(&p);
        let got: Vec<_> = summary(&diags)
            .into_iter()
            .filter(|d| d.0 == "arity_mismatch")
            .collect();
        assert_eq!(
            got,
            vec![
                ("arity_mismatch", Severity::Error, bad_span),
                ("arity_mismatch", Severity::Error, neg_span)
            ]
        );
        let d = diags.iter().find(|d| d.span == Some(bad_span)).unwrap();
        assert_eq!(
            d.message,
            "predicate `p` is used here with 1 argument, but elsewhere with 2 arguments"
        );
        assert!(
            d.hint
                .as_ref()
                .unwrap()
                .starts_with("`p` was first used with 2 arguments")
        );
        assert_eq!(a.arities.get("p"), Some(&2));
    }

    #[test]
    fn mismatch_inside_aggregate_and_head() {
        let inner = atom("q", vec![var("X"), var("Y")]);
        let ispan = inner.span;
        let head2 = atom("n", vec![var("A"), var("B")]);
        let hspan = head2.span;
        let p = prog(vec![
            fact(atom("q", vec![sym("a")])),
            rule(
                atom("n", vec![var("N")]),
                vec![agg("N", AggFunc::Count, vec![var("X")], vec![pos(inner)])],
            ),
            rule(
                head2,
                vec![pos(atom("q", vec![var("A")])), eq(var("B"), var("A"))],
            ),
        ]);
        let (_, diags) = check(&p);
        let got: Vec<_> = summary(&diags)
            .into_iter()
            .filter(|d| d.0 == "arity_mismatch")
            .map(|d| d.2)
            .collect();
        assert_eq!(got, vec![ispan, hspan]);
    }

    #[test]
    fn true_takes_no_arguments() {
        let t = atom("true", vec![var("X")]);
        let tspan = t.span;
        let p = prog(vec![rule(
            atom("p", vec![]),
            vec![pos(atom("true", vec![])), pos(t)],
        )]);
        let (a, diags) = check(&p);
        let am: Vec<_> = summary(&diags)
            .into_iter()
            .filter(|d| d.0 == "arity_mismatch")
            .collect();
        assert_eq!(am, vec![("arity_mismatch", Severity::Error, tspan)]);
        assert!(
            diags
                .iter()
                .any(|d| d.message.contains("`true` is used with 1 argument"))
        );
        assert!(!a.arities.contains_key("true"));
        assert_eq!(a.arities.len(), 1);
    }

    #[test]
    fn an_input_declaration_fixes_the_arity_of_every_use() {
        use crate::value::Const;
        // @input attack 3 "...".  p(X) :- attack(X, Y).  attack(a, b, c).
        let decl = directive("input", vec![s("attack"), Const::Int(3), s("an attack")]);
        let short = atom("attack", vec![var("X"), var("Y")]);
        let sspan = short.span;
        let again = directive("input", vec![s("attack"), Const::Int(4), s("again")]);
        let again_span = stmt_span(&again);
        let p = prog(vec![
            decl,
            rule(atom("p", vec![var("X")]), vec![pos(short)]),
            fact(atom("attack", vec![sym("a"), sym("b"), sym("c")])),
            again,
        ]);
        let (a, diags) = check(&p);
        let got: Vec<_> = summary(&diags)
            .into_iter()
            .filter(|d| d.0 == "arity_mismatch")
            .map(|d| d.2)
            .collect();
        // The use with 2 arguments, not the fact that agrees with the declaration; and the
        // second declaration.
        assert_eq!(got, vec![sspan, again_span]);
        let d = diags.iter().find(|d| d.span == Some(sspan)).unwrap();
        assert_eq!(
            d.message,
            "predicate `attack` is used here with 2 arguments, but `@input` declares it with 3 arguments"
        );
        assert_eq!(a.arities.get("attack"), Some(&3));
    }
}
