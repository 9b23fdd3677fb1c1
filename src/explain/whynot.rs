//! Why a fact does not hold: for every rule whose head could give it, the first condition (in
//! the rule's order, after binding the head's variables to the fact) that no fact of the model
//! meets, with the facts that almost match it.

use super::matcher::{Env, Facts, Stop, eval, lookup, pattern, unify};
use super::why::{head_vars, name_wildcards};
use super::{Attempt, Goal, Outcome, WhyNot, rule_ref, show_atom, show_item, show_tuple};
use crate::driver::Loaded;
use crate::syntax::ast::{BodyItem, Expr, Statement};
use crate::value::Const;
use std::ops::ControlFlow;

/// How many near misses to show per condition.
const NEAR: usize = 3;

/// Why `goal` does not hold (every rule for its relation, and its nearest facts).
pub fn why_not(loaded: &Loaded, facts: &Facts, goal: &Goal) -> Result<WhyNot, Stop> {
    let mut rules = Vec::new();
    for st in &loaded.program.statements {
        let Statement::Rule(r) = st else { continue };
        if r.head.pred.name != goal.pred || r.is_fact() || r.head.args.len() != goal.tuple.len() {
            continue;
        }
        let rule = name_wildcards(r);
        let mut env: Env = Vec::new();
        let mut head_ok = true;
        for (a, v) in rule.head.args.iter().zip(&goal.tuple) {
            match a {
                Expr::Var(id) => match lookup(&env, &id.name) {
                    Some(c) if c != v => head_ok = false,
                    Some(_) => {}
                    None => env.push((id.name.clone(), v.clone())),
                },
                Expr::Const(c, _) if c != v => head_ok = false,
                _ => {}
            }
        }
        if !head_ok {
            rules.push(Attempt {
                rule: rule_ref(&loaded.sources, r),
                outcome: Outcome::HeadDiffers {
                    head: show_atom(&r.head, &Vec::new()),
                },
            });
            continue;
        }
        let outside = head_vars(&rule);
        let mut holds = false;
        let reach = facts.solve(&rule.body, &outside, &mut env, &mut |e| {
            let head: Option<Vec<Const>> = rule.head.args.iter().map(|a| eval(a, e)).collect();
            if head.as_deref() == Some(goal.tuple.as_slice()) {
                holds = true;
                return ControlFlow::Break(());
            }
            ControlFlow::Continue(())
        })?;
        let given: Vec<String> = reach.order[..reach.depth]
            .iter()
            .map(|&i| show_item(&rule.body[i], &reach.env))
            .collect();
        let outcome = match reach.order.get(reach.depth).map(|&i| &rule.body[i]) {
            Some(item) => failure(facts, item, &reach.env, given),
            None if holds => continue, // cannot happen: the fact would be in the model
            None => Outcome::Fails {
                given,
                condition: show_atom(&rule.head, &reach.env),
                reason: "the body holds but computes other values for the head".into(),
                near: Vec::new(),
            },
        };
        rules.push(Attempt {
            rule: rule_ref(&loaded.sources, r),
            outcome,
        });
    }
    let all: Vec<Option<Const>> = goal.tuple.iter().cloned().map(Some).collect();
    let near = nearest(facts, &goal.pred, &all);
    let known_relation = loaded.analysis.arities.contains_key(&goal.pred);
    let did_you_mean = if known_relation {
        None
    } else {
        crate::diag::did_you_mean(
            &goal.pred,
            loaded.analysis.arities.keys().map(String::as_str),
        )
        .map(str::to_string)
    };
    let arity = loaded
        .analysis
        .arities
        .get(&goal.pred)
        .copied()
        .filter(|&n| n != goal.tuple.len());
    Ok(WhyNot {
        fact: goal.to_string(),
        known_relation,
        arity,
        did_you_mean,
        rules,
        near,
    })
}

/// What is wrong with the condition at which every partial solution stops.
fn failure(facts: &Facts, item: &BodyItem, env: &Env, given: Vec<String>) -> Outcome {
    let condition = show_item(item, env);
    let (reason, near) = match item {
        BodyItem::Pos(a)
            if facts
                .model
                .relations
                .get(&a.pred.name)
                .is_none_or(Vec::is_empty) =>
        {
            (
                format!("no fact matches: `{}` has no facts at all", a.pred.name),
                Vec::new(),
            )
        }
        BodyItem::Pos(a) => (
            "no fact matches".to_string(),
            nearest(facts, &a.pred.name, &pattern(a, env)),
        ),
        BodyItem::Neg(a, _) => {
            let mut scratch = env.clone();
            let mark = scratch.len();
            let hits: Vec<String> = facts
                .matching(&a.pred.name, &pattern(a, env))
                .into_iter()
                .filter(|row| {
                    let ok = unify(a, row, &mut scratch);
                    scratch.truncate(mark);
                    ok
                })
                .take(NEAR)
                .map(|row| show_tuple(&a.pred.name, row))
                .collect();
            ("a fact matches the negated atom".to_string(), hits)
        }
        BodyItem::Cmp { .. } => ("the comparison is false".to_string(), Vec::new()),
        BodyItem::Agg(_) => (
            "the aggregate has no value here, or not this one".to_string(),
            Vec::new(),
        ),
    };
    Outcome::Fails {
        given,
        condition,
        reason,
        near,
    }
}

/// Up to [`NEAR`] facts of `rel` that agree with the known places of `pattern` most often (at
/// least one place, when any is known), best first; among facts that agree as often, those
/// whose other values are spelt most like the pattern's come first (issue 14: for `germny`,
/// `germany` before albania, belgium and bulgaria).
pub(crate) fn nearest(facts: &Facts, rel: &str, pattern: &[Option<Const>]) -> Vec<String> {
    let Some(rows) = facts.model.relations.get(rel) else {
        return Vec::new();
    };
    let known = pattern.iter().filter(|p| p.is_some()).count();
    let mut scored: Vec<(usize, usize, usize)> = rows
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let same = pattern
                .iter()
                .zip(r)
                .filter(|(p, v)| p.as_ref() == Some(*v))
                .count();
            let apart: usize = pattern
                .iter()
                .zip(r)
                .filter_map(|(p, v)| Some((p.as_ref()?, v)))
                .filter(|(p, v)| p != v)
                .map(|(p, v)| match (p, v) {
                    (Const::Str(a), Const::Str(b)) => crate::diag::edit_distance(a, b),
                    _ => 0, // numbers and dates: no spelling to compare
                })
                .sum();
            (same, apart, n)
        })
        .filter(|(same, _, _)| known == 0 || *same > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    scored
        .into_iter()
        .take(NEAR)
        .map(|(_, _, n)| show_tuple(rel, &rows[n]))
        .collect()
}
