//! Names: `@import` and `@input` directives, the built-in `true`, and body predicates that nothing defines.

use super::preds::{Preds, Use};
use super::{Import, Role, TRUE, rule_atoms, rules};
use crate::diag::{Code, Diagnostic, MAX_SUGGESTIONS, did_you_mean};
use crate::syntax::ast::{Program, Statement};
use crate::value::Const;
use std::collections::BTreeSet;

const IMPORT_FORM: &str =
    "write `@import pred \"file.csv\".` (a predicate name, then the path in quotes)";

const INPUT_FORM: &str = "write `@input pred ARITY \"what its facts mean\".` (facts that scenarios or the command supply)";

/// `@input pred ARITY "meaning".` declares a relation whose facts come from outside the
/// program (a scenario's events, the command's `asof`): not a typo, so no `unknown_predicate`.
fn check_input(d: &crate::syntax::ast::Directive, diags: &mut Vec<Diagnostic>) {
    if let Some(pred) = input_pred(d)
        && Const::is_plain_symbol(pred)
        && pred != TRUE
    {
        return;
    }
    diags.push(
        Diagnostic::error(
            Code::InvalidDirective,
            d.span,
            "`@input` takes a predicate name, its arity and a quoted meaning",
        )
        .with_hint(INPUT_FORM),
    );
}

/// The predicate a well-formed `@input` directive declares.
fn input_pred(d: &crate::syntax::ast::Directive) -> Option<&str> {
    input_decl(d).map(|(pred, _)| pred)
}

/// The predicate and arity a well-formed `@input` directive declares.
pub(super) fn input_decl(d: &crate::syntax::ast::Directive) -> Option<(&str, usize)> {
    if d.name.name != "input" {
        return None;
    }
    match d.args.as_slice() {
        [
            (Const::Str(pred), _),
            (Const::Int(n), _),
            (Const::Str(_), _),
        ] => usize::try_from(*n).ok().map(|n| (&**pred, n)),
        _ => None,
    }
}

/// Reads the `@import` directives (in source order); reports every other directive and every
/// badly formed one as `invalid_directive`.
pub(super) fn imports(program: &Program, diags: &mut Vec<Diagnostic>) -> Vec<Import> {
    let mut out = Vec::new();
    for st in &program.statements {
        let Statement::Directive(d) = st else {
            continue;
        };
        if d.name.name == "input" {
            check_input(d, diags);
            continue;
        }
        if d.name.name != "import" {
            let mut diag = Diagnostic::error(
                Code::InvalidDirective,
                d.name.span,
                format!("unknown directive `@{}`", d.name.name),
            );
            diag = match did_you_mean(&d.name.name, ["import"]) {
                Some(_) => diag.with_hint(format!("did you mean `@import`? {IMPORT_FORM}")),
                None => diag.with_hint(format!(
                    "the directives are `@import` ({IMPORT_FORM}) and `@input` ({INPUT_FORM})"
                )),
            };
            diags.push(diag);
            continue;
        }
        match d.args.as_slice() {
            [(Const::Str(pred), pspan), (Const::Str(path), _)] => {
                if !Const::is_plain_symbol(pred) || &**pred == TRUE {
                    diags.push(
                        Diagnostic::error(
                            Code::InvalidDirective,
                            *pspan,
                            format!("`@import` needs a predicate name, not `{pred}`"),
                        )
                        .with_hint(IMPORT_FORM),
                    );
                } else {
                    out.push(Import {
                        pred: pred.to_string(),
                        path: path.to_string(),
                        span: d.span,
                    });
                }
            }
            args => {
                let msg = if args.len() != 2 {
                    format!(
                        "`@import` takes a predicate and a file path, but has {} argument{}",
                        args.len(),
                        if args.len() == 1 { "" } else { "s" }
                    )
                } else {
                    "`@import` takes a predicate name and a quoted file path".to_string()
                };
                diags.push(
                    Diagnostic::error(Code::InvalidDirective, d.span, msg).with_hint(IMPORT_FORM),
                );
            }
        }
    }
    out
}

/// Most conditions one rule body may have. Choosing a join order compares every remaining
/// condition with every other, so planning grows with the square of the body: 8,000 conditions
/// took 33 s, outside the reach of `--timeout`. No real rule comes near this.
pub const MAX_BODY: usize = 1000;

/// Reports rules that try to define the built-in `true`, conclusion kinds (`+d p`) written in a
/// program rather than a query, and bodies longer than [`MAX_BODY`], as `unsupported`.
pub(super) fn unsupported(program: &Program, diags: &mut Vec<Diagnostic>) {
    for rule in rules(program) {
        if rule.body.len() > MAX_BODY {
            diags.push(
                Diagnostic::error(
                    Code::Unsupported,
                    rule.head.span,
                    format!(
                        "this rule has {} conditions; at most {MAX_BODY} are supported",
                        rule.body.len()
                    ),
                )
                .with_hint(
                    "split the body into intermediate rules that each join a few conditions",
                ),
            );
        }
        for u in rule_atoms(rule) {
            if let Some(kind) = u.atom.kind {
                diags.push(
                    Diagnostic::error(
                        Code::Unsupported,
                        u.atom.span,
                        format!(
                            "`{}` asks for a conclusion kind, which only queries can do",
                            kind.marker()
                        ),
                    )
                    .with_hint(format!(
                        "rules use plain atoms; ask `?- {} {}(...).` at the REPL",
                        kind.marker(),
                        u.atom.pred.name
                    )),
                );
            }
        }
        if rule.head.pred.name == TRUE {
            diags.push(
                Diagnostic::error(
                    Code::Unsupported,
                    rule.head.span,
                    "`true` is built in and cannot be defined",
                )
                .with_hint("give the conclusion another name"),
            );
        }
    }
}

/// Warns (once per predicate, at its first body use) about body predicates that no fact, rule
/// head or `@import` defines; such a predicate is empty.
pub(super) fn unknown_predicates(
    program: &Program,
    preds: &Preds,
    imports: &[Import],
    diags: &mut Vec<Diagnostic>,
) {
    let mut defined = vec![false; preds.len()];
    let mut outside: Vec<&str> = imports.iter().map(|i| i.pred.as_str()).collect();
    outside.extend(program.statements.iter().filter_map(|st| match st {
        Statement::Directive(d) if d.name.name == "input" => input_pred(d),
        _ => None,
    }));
    for &Use { atom: u, pred } in preds.uses() {
        if u.role == Role::Head && pred != Preds::TRUE {
            defined[pred as usize] = true;
        }
    }
    for name in &outside {
        if let Some(p) = preds.id(name) {
            defined[p as usize] = true;
        }
    }
    // Every defined name, sorted, for suggestions: made only when one is needed.
    let mut names: Option<BTreeSet<&str>> = None;
    let mut suggested = 0;
    for &Use { atom: u, pred } in preds.uses() {
        if u.role == Role::Head || pred == Preds::TRUE || defined[pred as usize] {
            continue;
        }
        defined[pred as usize] = true; // reported once
        let name = preds.name(pred);
        let mut d = Diagnostic::warning(
            Code::UnknownPredicate,
            u.atom.pred.span,
            format!(
                "predicate `{name}` is never defined (no fact, rule or @import), so it is empty"
            ),
        );
        suggested += 1;
        if suggested <= MAX_SUGGESTIONS {
            let names = names.get_or_insert_with(|| {
                let mut set: BTreeSet<&str> = preds
                    .rules(program)
                    .map(|(r, _)| r.head.pred.name.as_str())
                    .collect();
                set.extend(outside.iter().copied());
                set.insert(TRUE);
                set
            });
            if let Some(near) = did_you_mean(name, names.iter().copied()) {
                d = d.with_hint(format!("did you mean `{near}`?"));
            }
        }
        diags.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::check::{Import, check};
    use crate::diag::{Code, Severity};
    use crate::syntax::ast::{RuleKind, Statement, Superiority};
    use crate::value::Const;

    #[test]
    fn import_is_recorded_and_defines_the_predicate() {
        let d = directive("import", vec![s("edge"), s("edges.csv")]);
        let dspan = stmt_span(&d);
        let p = prog(vec![
            d,
            rule(
                atom("path", vec![var("X"), var("Y")]),
                vec![pos(atom("edge", vec![var("X"), var("Y")]))],
            ),
        ]);
        let (a, diags) = check(&p);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            a.imports,
            vec![Import {
                pred: "edge".into(),
                path: "edges.csv".into(),
                span: dspan
            }]
        );
        assert_eq!(a.arities.get("edge"), Some(&2));
    }

    #[test]
    fn unused_import_is_not_in_arities_and_reports_nothing() {
        let p = prog(vec![directive("import", vec![s("edge"), s("e.tsv")])]);
        let (a, diags) = check(&p);
        assert!(diags.is_empty());
        assert_eq!(a.imports.len(), 1);
        assert!(a.arities.is_empty());
        assert!(a.strata.is_empty());
    }

    #[test]
    fn bad_directives_are_invalid_directive() {
        let unknown = directive("impotr", vec![s("edge"), s("e.csv")]);
        let one_arg = directive("import", vec![s("edge")]);
        let int_arg = directive("import", vec![s("edge"), Const::Int(3)]);
        let bad_pred = directive("import", vec![s("Edge list"), s("e.csv")]);
        let spans: Vec<_> = [&unknown, &one_arg, &int_arg]
            .iter()
            .map(|d| stmt_span(d))
            .collect();
        let (unknown_name, bad_pred_span) = match (&unknown, &bad_pred) {
            (Statement::Directive(u), Statement::Directive(b)) => (u.name.span, b.args[0].1),
            _ => unreachable!(),
        };
        let (a, diags) = check(&prog(vec![unknown, one_arg, int_arg, bad_pred]));
        assert!(a.imports.is_empty());
        let got = summary(&diags);
        assert_eq!(got.len(), 4);
        assert!(
            got.iter()
                .all(|g| g.0 == "invalid_directive" && g.1 == Severity::Error)
        );
        assert_eq!(got[0].2, unknown_name);
        assert_eq!(got[1].2, spans[1]);
        assert_eq!(got[2].2, spans[2]);
        assert_eq!(got[3].2, bad_pred_span);
        assert!(
            diags[0]
                .hint
                .as_ref()
                .unwrap()
                .contains("did you mean `@import`")
        );
        assert!(
            diags[1]
                .hint
                .as_ref()
                .unwrap()
                .contains("@import pred \"file.csv\".")
        );
    }

    #[test]
    fn defeasible_constructs_are_accepted_and_labels_checked() {
        let dr = krule(
            RuleKind::Defeasible,
            Some("r1"),
            atom("fly", vec![var("X")]),
            vec![pos(atom("bird", vec![var("X")]))],
        );
        let f = fact(sneg(atom("fly", vec![sym("opus")])));
        let stronger = id("r2");
        let unknown = stronger.span;
        let sup = Statement::Superiority(Superiority {
            stronger,
            weaker: id("r1"),
            span: sp(),
        });
        let labelled = krule(
            RuleKind::Strict,
            Some("r3"),
            atom("bird", vec![sym("tweety")]),
            vec![pos(atom("true", vec![]))],
        );
        let (analysis, diags) = check(&prog(vec![dr, f, sup, labelled]));
        assert_eq!(
            summary(&diags),
            vec![("unknown_label", Severity::Error, unknown)]
        );
        let info = analysis.defeasible.expect("a defeasible theory");
        assert!(info.preds.contains("fly"));
        assert!(!info.preds.contains("bird"), "bird is Datalog base");
    }

    #[test]
    fn unknown_predicate_warns_once_with_suggestion() {
        let typo = atom("membr", vec![var("X")]);
        let tspan = typo.pred.span;
        let p = prog(vec![
            fact(atom("member", vec![sym("a")])),
            rule(
                atom("p", vec![var("X")]),
                vec![
                    pos(typo),
                    not(atom("membr", vec![var("X")])),
                    not(atom("zzz", vec![var("X")])),
                ],
            ),
        ]);
        let (a, diags) = check(&p);
        let unk = with_code(&diags, Code::UnknownPredicate);
        assert_eq!(unk.len(), 2);
        assert_eq!(unk[0].span, Some(tspan));
        assert_eq!(unk[0].severity, Severity::Warning);
        assert_eq!(unk[0].hint.as_deref(), Some("did you mean `member`?"));
        assert_eq!(unk[1].hint, None);
        assert_eq!(a.arities.get("membr"), Some(&1));
        assert!(
            a.strata
                .iter()
                .any(|s| s.preds == vec!["membr".to_string()])
        );
    }

    #[test]
    fn true_is_defined_and_cannot_be_a_head() {
        let t = atom("true", vec![]);
        let tspan = t.span;
        let p = prog(vec![
            rule(atom("p", vec![]), vec![pos(atom("true", vec![]))]),
            fact(t),
        ]);
        let (a, diags) = check(&p);
        assert_eq!(
            summary(&diags),
            vec![("unsupported", Severity::Error, tspan)]
        );
        assert!(!a.arities.contains_key("true"));
    }

    #[test]
    fn an_input_declaration_silences_unknown_predicate_and_a_bad_one_is_an_error() {
        let declared = directive("input", vec![s("attack"), Const::Int(3), s("an attack")]);
        let bad = directive("input", vec![s("attack")]);
        let r = rule(
            atom("hit", vec![var("X")]),
            vec![pos(atom("attack", vec![var("X"), var("Y"), var("T")]))],
        );
        let (_, diags) = check(&prog(vec![declared, r.clone()]));
        assert!(
            with_code(&diags, Code::UnknownPredicate).is_empty(),
            "{diags:?}"
        );
        let (_, diags) = check(&prog(vec![r]));
        assert_eq!(with_code(&diags, Code::UnknownPredicate).len(), 1);
        let (_, diags) = check(&prog(vec![bad]));
        assert_eq!(with_code(&diags, Code::InvalidDirective).len(), 1);
    }
}
