//! Constants a program never mentions: the `unknown_constant` warning (issue 14).
//!
//! A misspelt state in a goal, an `expect` line or a scenario fact (`estonai`, `polnd`) can
//! only match nothing, so the answer is silently empty and an `expect not` silently passes.
//! Here the symbols of such text are compared with every symbol the loaded program mentions;
//! one it never mentions draws a warning, with the nearest known name when one is close.
//! Only symbols are looked at (names such as `poland`, quoted or not): numbers, dates and
//! strings that are not names (clause texts) are data, not vocabulary.

use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::syntax::ast::{Atom, BodyItem, Expr, Statement};
use crate::value::Const;
use std::collections::{BTreeMap, BTreeSet};

/// Every symbol `statements` mention, anywhere (heads, bodies, aggregates, arithmetic).
pub fn mentioned<'a>(statements: impl IntoIterator<Item = &'a Statement>) -> BTreeSet<String> {
    occurrences(statements).into_keys().collect()
}

/// How often each symbol occurs in `statements`.
pub fn occurrences<'a>(
    statements: impl IntoIterator<Item = &'a Statement>,
) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for st in statements {
        if let Statement::Rule(r) = st {
            let mut count = |s: &str, _: &Expr| *out.entry(s.to_string()).or_insert(0) += 1;
            each_symbol_of_atom(&r.head, &mut count);
            each_symbol(&r.body, &mut count);
        }
    }
    out
}

/// Warnings for the symbols of a goal (`body`) that `known` lacks.
pub fn unknown_in_goal(body: &[BodyItem], known: &BTreeSet<String>) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    each_symbol(body, &mut |s, e| {
        if written_bare(s, e) {
            found.push((s.to_string(), e.span()))
        }
    });
    warnings(found, known, "goal")
}

/// Warnings for the symbols of scenario facts (`heads`) that `known` lacks. A scenario may
/// bring in new names (a hypothetical instrument): a name used more than once in the
/// scenario (`uses`) with no near known name is taken as new, not misspelt.
pub fn unknown_in_facts<'a>(
    heads: impl IntoIterator<Item = &'a Atom>,
    known: &BTreeSet<String>,
    uses: &BTreeMap<String, usize>,
) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for head in heads {
        each_symbol_of_atom(head, &mut |s, e| {
            if written_bare(s, e) {
                found.push((s.to_string(), e.span()))
            }
        });
    }
    found.retain(|(s, _)| {
        uses.get(s).is_none_or(|n| *n < 2)
            || did_you_mean(s, known.iter().map(String::as_str)).is_some()
    });
    warnings(found, known, "fact")
}

fn warnings(
    found: Vec<(String, crate::syntax::span::Span)>,
    known: &BTreeSet<String>,
    what: &str,
) -> Vec<Diagnostic> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (name, span) in found {
        if known.contains(&name) || !seen.insert(name.clone()) {
            continue;
        }
        let message = if what == "goal" {
            format!("the program never mentions `{name}`, so nothing can match it here")
        } else {
            format!(
                "the knowledge base never mentions `{name}`: a new name, or a misspelt one that makes this fact change nothing?"
            )
        };
        let d = Diagnostic::warning(Code::UnknownConstant, span, message);
        let d = match did_you_mean(&name, known.iter().map(String::as_str)) {
            Some(near) => d.with_hint(format!("did you mean `{near}`?")),
            None => d.with_hint("check the spelling: no known name is close to it"),
        };
        out.push(d);
    }
    out
}

/// Whether a symbol was written as a bare name (`start`) rather than quoted (`"start"`): its
/// token is exactly as long as the name. A quoted string is data the writer chose to quote (a
/// label, a text), so it is not checked against the names the program mentions; it still
/// counts as mentioned, since `"start"` and `start` are the same constant.
fn written_bare(s: &str, e: &Expr) -> bool {
    let span = e.span();
    // An empty span: a fact a command made up (a timeline's attack), checked like a name.
    let len = (span.end - span.start) as usize;
    len == s.len() || len == 0
}

/// Whether a constant is a symbol (a name), as opposed to a number, a date or free text.
fn symbol(c: &Const) -> Option<&str> {
    let Const::Str(s) = c else { return None };
    let mut chars = s.chars();
    let first = chars.next()?;
    (first.is_ascii_lowercase() && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(s)
}

fn each_symbol<'a>(body: &'a [BodyItem], f: &mut impl FnMut(&'a str, &'a Expr)) {
    for item in body {
        match item {
            BodyItem::Pos(a) | BodyItem::Neg(a, _) => each_symbol_of_atom(a, f),
            BodyItem::Cmp { lhs, rhs, .. } => {
                each_symbol_of_expr(lhs, f);
                each_symbol_of_expr(rhs, f);
            }
            BodyItem::Agg(g) => {
                g.terms.iter().for_each(|e| each_symbol_of_expr(e, f));
                each_symbol(&g.body, f);
            }
        }
    }
}

fn each_symbol_of_atom<'a>(atom: &'a Atom, f: &mut impl FnMut(&'a str, &'a Expr)) {
    atom.args.iter().for_each(|e| each_symbol_of_expr(e, f));
}

fn each_symbol_of_expr<'a>(e: &'a Expr, f: &mut impl FnMut(&'a str, &'a Expr)) {
    match e {
        Expr::Const(c, _) => {
            if let Some(s) = symbol(c) {
                f(s, e);
            }
        }
        Expr::Binary { lhs, rhs, .. } => {
            each_symbol_of_expr(lhs, f);
            each_symbol_of_expr(rhs, f);
        }
        Expr::Neg(inner, _) => each_symbol_of_expr(inner, f),
        Expr::Var(_) | Expr::Wildcard(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;
    use crate::syntax::span::FileId;

    #[test]
    fn a_misspelt_state_is_found_with_the_nearest_name() {
        let (kb, _) = parse(
            FileId(0),
            "party(nato, poland, member). party(nato, germany, member). note(\"a clause text\", 3).",
        );
        let known = mentioned(&kb.statements);
        let (goal, _) = parse(
            FileId(1),
            "h :- party(nato, polnd, R), party(nato, germny, _), R != \"x y\", note(_, 4).",
        );
        let Statement::Rule(r) = &goal.statements[0] else {
            panic!()
        };
        let d = unknown_in_goal(&r.body, &known);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `poland`?"));
        assert_eq!(d[1].hint.as_deref(), Some("did you mean `germany`?"));
    }

    /// Regression: a quoted string that looks like a name (`"start"`, a label) drew
    /// `unknown_constant` as if it were a misspelt state.
    #[test]
    fn a_quoted_string_is_data_not_a_name() {
        let (kb, _) = parse(FileId(0), "party(nato, poland, member).");
        let known = mentioned(&kb.statements);
        let (facts, _) = parse(FileId(1), "label(poland, \"start\"). label(poland, polnd).");
        let heads = facts.statements.iter().map(|st| match st {
            Statement::Rule(r) => &r.head,
            _ => panic!(),
        });
        let d = unknown_in_facts(heads, &known, &BTreeMap::new());
        let names: Vec<&str> = d.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(d.len(), 1, "{names:?}");
        assert!(d[0].message.contains("`polnd`"));
    }
}
