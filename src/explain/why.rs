//! Why a fact holds: a proof of minimal height, rebuilt from the finished model.
//!
//! 1. The relations the fact depends on (through positive atoms) form its *cone*.
//! 2. Every rule with a head in the cone is matched against the model; each solution is a rule
//!    instance `head ← body tuples` that really fired.
//! 3. Heights, bottom-up: input facts 0; a derived tuple one more than the highest body tuple of
//!    its best instance — a small fixpoint over the instances (as many rounds as the proof is
//!    high).
//! 4. The proof follows, from the fact down, the instance of least height (the first rule in
//!    source order among equals).

use super::matcher::{Env, Facts, Stop, eval, is_true, lookup};
use super::{Citation, Condition, Goal, Proof, Step, location, rule_ref, show_item, show_tuple};
use crate::driver::Loaded;
use crate::syntax::ast::{BodyItem, Expr, Rule, Statement};
use crate::syntax::span::Span;
use crate::value::Const;
use std::collections::{BTreeSet, HashMap};
use std::ops::ControlFlow;

/// A tuple of a relation.
type Key = (String, Vec<Const>);

/// A rule instance that fired: rule index, head tuple id, body tuple ids. (The bindings are
/// found again only for the instances the proof shows.)
struct Instance {
    rule: usize,
    head: usize,
    body: Vec<usize>,
}

/// The proof of `goal` if it holds in the model (`Ok(None)` if it does not).
/// At most `max_instances` rule instances are collected (`Stop::TooLarge` beyond).
pub fn why(
    loaded: &Loaded,
    facts: &Facts,
    goal: &Goal,
    max_instances: Option<usize>,
) -> Result<Option<Proof>, Stop> {
    if !facts.holds(&goal.pred, &goal.tuple) {
        return Ok(None);
    }
    let rules: Vec<Rule> = loaded
        .program
        .statements
        .iter()
        .filter_map(|s| match s {
            Statement::Rule(r) => Some(name_wildcards(r)),
            _ => None,
        })
        .collect();
    let cone = cone(&rules, &goal.pred);
    let mut ids: HashMap<Key, usize> = HashMap::new();
    let mut keys: Vec<Key> = Vec::new();
    let mut id = |k: Key| -> usize {
        if let Some(&i) = ids.get(&k) {
            return i;
        }
        keys.push(k.clone());
        ids.insert(k, keys.len() - 1);
        keys.len() - 1
    };
    let mut fact_at: HashMap<usize, Span> = HashMap::new();
    let mut instances: Vec<Instance> = Vec::new();
    for (r, rule) in rules.iter().enumerate() {
        if !cone.contains(&rule.head.pred.name) {
            continue;
        }
        if rule.is_fact() {
            let t: Option<Vec<Const>> = rule
                .head
                .args
                .iter()
                .map(|a| eval(a, &Vec::new()))
                .collect();
            if let Some(t) = t {
                let i = id((rule.head.pred.name.clone(), t));
                fact_at.entry(i).or_insert(rule.span);
            }
            continue;
        }
        let outside = head_vars(rule);
        let mut found: Vec<(Vec<Const>, Vec<Vec<Const>>)> = Vec::new();
        let room = max_instances.map(|m| m.saturating_sub(instances.len()));
        let mut too_many = false;
        facts.solve(&rule.body, &outside, &mut Vec::new(), &mut |env| {
            if room.is_some_and(|r| found.len() >= r) {
                too_many = true;
                return ControlFlow::Break(());
            }
            let head: Option<Vec<Const>> = rule.head.args.iter().map(|a| eval(a, env)).collect();
            let body: Option<Vec<Vec<Const>>> = positives(rule)
                .map(|a| a.args.iter().map(|e| eval(e, env)).collect())
                .collect();
            if let (Some(h), Some(b)) = (head, body) {
                found.push((h, b));
            }
            ControlFlow::Continue(())
        })?;
        if too_many {
            return Err(Stop::TooLarge);
        }
        for (h, b) in found {
            let head = id((rule.head.pred.name.clone(), h));
            let body = positives(rule)
                .zip(b)
                .map(|(a, t)| id((a.pred.name.clone(), t)))
                .collect();
            instances.push(Instance {
                rule: r,
                head,
                body,
            });
        }
    }
    let Some(&goal_id) = ids.get(&(goal.pred.clone(), goal.tuple.clone())) else {
        // In the model but neither written nor derived here: imported from a file.
        return Ok(Some(Proof {
            fact: goal.to_string(),
            height: 0,
            step: Step::Imported,
        }));
    };
    // Heights: input facts (written, or imported: a body tuple that nothing derives) are 0.
    let mut height: Vec<Option<u32>> = vec![None; keys.len()];
    let mut best: Vec<Option<usize>> = vec![None; keys.len()];
    let derived: BTreeSet<usize> = instances.iter().map(|i| i.head).collect();
    for (i, h) in height.iter_mut().enumerate() {
        if fact_at.contains_key(&i) || !derived.contains(&i) {
            *h = Some(0);
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        for (n, inst) in instances.iter().enumerate() {
            let mut h = 0;
            let mut ready = true;
            for &b in &inst.body {
                match height[b] {
                    Some(x) => h = h.max(x),
                    None => ready = false,
                }
            }
            if !ready {
                continue;
            }
            let h = h + 1;
            if height[inst.head].is_none_or(|cur| h < cur) {
                height[inst.head] = Some(h);
                best[inst.head] = Some(n);
                changed = true;
            }
        }
    }
    let builder = Builder {
        loaded,
        facts,
        rules: &rules,
        keys: &keys,
        height: &height,
        best: &best,
        instances: &instances,
        fact_at: &fact_at,
        shown: Default::default(),
    };
    Ok(Some(builder.proof(goal_id, 0)))
}

struct Builder<'a, 'm> {
    loaded: &'a Loaded,
    facts: &'a Facts<'m>,
    rules: &'a [Rule],
    keys: &'a [Key],
    height: &'a [Option<u32>],
    best: &'a [Option<usize>],
    instances: &'a [Instance],
    fact_at: &'a HashMap<usize, Span>,
    /// Derived tuples whose proof is already in the tree.
    shown: std::cell::RefCell<BTreeSet<usize>>,
}

/// How deep a proof tree goes before it is cut (`Step::Elided`).
const MAX_DEPTH: usize = 200;

impl Builder<'_, '_> {
    fn proof(&self, id: usize, depth: usize) -> Proof {
        let (name, tuple) = &self.keys[id];
        let fact = show_tuple(name, tuple);
        let height = self.height[id].unwrap_or(0);
        if let Some(span) = self.fact_at.get(&id) {
            return Proof {
                fact,
                height: 0,
                step: Step::Fact {
                    source: location(&self.loaded.sources, *span),
                    citation: citation(self.facts, name, tuple),
                },
            };
        }
        let Some(n) = self.best[id] else {
            return Proof {
                fact,
                height,
                step: Step::Imported,
            };
        };
        let step = if depth >= MAX_DEPTH {
            Some(Step::Elided)
        } else if !self.shown.borrow_mut().insert(id) {
            Some(Step::Above)
        } else {
            None
        };
        if let Some(step) = step {
            return Proof { fact, height, step };
        }
        let inst = &self.instances[n];
        let rule = &self.rules[inst.rule];
        let env = self.bindings(inst);
        let mut body = inst.body.iter();
        let conditions = rule
            .body
            .iter()
            .filter(|i| !matches!(i, BodyItem::Pos(a) if is_true(a)))
            .map(|item| match item {
                BodyItem::Pos(_) => match body.next() {
                    Some(&b) => Condition::Proved {
                        proof: self.proof(b, depth + 1),
                    },
                    None => Condition::Comparison {
                        text: show_item(item, &env),
                    },
                },
                BodyItem::Neg(..) => Condition::Absent {
                    atom: show_item(item, &env).trim_start_matches("not ").to_string(),
                },
                BodyItem::Cmp { .. } => Condition::Comparison {
                    text: show_item(item, &env),
                },
                BodyItem::Agg(_) => Condition::Aggregate {
                    text: show_item(item, &env),
                },
            })
            .collect();
        Proof {
            fact,
            height,
            step: Step::Rule {
                rule: rule_ref(&self.loaded.sources, rule),
                conditions,
            },
        }
    }
}

impl Builder<'_, '_> {
    /// The bindings of a rule instance: the rule solved again with its head bound, keeping the
    /// solution with the instance's body tuples.
    fn bindings(&self, inst: &Instance) -> Env {
        let rule = &self.rules[inst.rule];
        let head = &self.keys[inst.head].1;
        let want: Vec<&Vec<Const>> = inst.body.iter().map(|&b| &self.keys[b].1).collect();
        let mut env: Env = Vec::new();
        for (a, v) in rule.head.args.iter().zip(head) {
            if let Expr::Var(id) = a
                && lookup(&env, &id.name).is_none()
            {
                env.push((id.name.clone(), v.clone()));
            }
        }
        let mut out = Env::new();
        let _ = self
            .facts
            .solve(&rule.body, &head_vars(rule), &mut env, &mut |e| {
                let same = positives(rule).zip(&want).all(|(a, t)| {
                    a.args.len() == t.len()
                        && a.args
                            .iter()
                            .zip(t.iter())
                            .all(|(x, v)| eval(x, e).as_ref() == Some(v))
                });
                if same {
                    out = e.clone();
                    return ControlFlow::Break(());
                }
                ControlFlow::Continue(())
            });
        out
    }
}

/// The instrument (and clause) an input fact mentions, with the clause's text: the first
/// argument that is an instrument (`instrument(I, _)` or `clause(I, ...)`), and the argument
/// after it if `clause(I, C, Text, Fidelity, Source)` holds.
pub(crate) fn citation(facts: &Facts, rel: &str, tuple: &[Const]) -> Option<Citation> {
    if rel == "clause" || rel == "instrument" {
        return None;
    }
    for (i, c) in tuple.iter().enumerate() {
        let title = facts
            .matching("instrument", &[Some(c.clone()), None])
            .first()
            .and_then(|r| r.get(1).map(Const::to_plain));
        let clause = tuple.get(i + 1).and_then(|cl| {
            facts
                .matching(
                    "clause",
                    &[Some(c.clone()), Some(cl.clone()), None, None, None],
                )
                .first()
                .map(|r| r.to_vec())
        });
        let is_instrument = title.is_some()
            || !facts
                .matching("clause", &[Some(c.clone()), None, None, None, None])
                .is_empty();
        if !is_instrument {
            continue;
        }
        let field = |n: usize| clause.as_ref().and_then(|r| r.get(n).map(Const::to_plain));
        return Some(Citation {
            instrument: c.to_plain(),
            title,
            clause: field(1),
            text: field(2),
            fidelity: field(3),
            source: field(4),
        });
    }
    None
}

/// Relations `pred` depends on through positive atoms (itself included).
fn cone(rules: &[Rule], pred: &str) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut todo = vec![pred.to_string()];
    while let Some(p) = todo.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        for r in rules.iter().filter(|r| r.head.pred.name == p) {
            for a in positives(r) {
                if !seen.contains(&a.pred.name) {
                    todo.push(a.pred.name.clone());
                }
            }
        }
    }
    seen
}

/// Positive body atoms other than `true`.
pub(crate) fn positives(r: &Rule) -> impl Iterator<Item = &crate::syntax::ast::Atom> {
    r.body.iter().filter_map(|i| match i {
        BodyItem::Pos(a) if !is_true(a) => Some(a),
        _ => None,
    })
}

/// Named variables of the head.
pub(crate) fn head_vars(r: &Rule) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for a in &r.head.args {
        a.for_each_var(&mut |id| {
            out.insert(id.name.clone());
        });
    }
    out
}

/// The rule with every `_` of a positive body atom named (`_W0`, ...), so a solution gives the
/// value at every place of its body tuples.
pub(crate) fn name_wildcards(r: &Rule) -> Rule {
    let mut r = r.clone();
    let mut n = 0;
    for item in &mut r.body {
        if let BodyItem::Pos(a) = item {
            for arg in &mut a.args {
                if let Expr::Wildcard(span) = arg {
                    *arg = Expr::Var(crate::syntax::ast::Ident {
                        name: format!("_W{n}"),
                        span: *span,
                    });
                    n += 1;
                }
            }
        }
    }
    r
}
