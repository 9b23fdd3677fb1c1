//! The REPL's what-if loop (issue 18): ask a goal, type a fact, ask it again. The evaluation
//! behind the last answer is kept; when the same goal is asked again as of the same date and
//! the workspace has since only gained ground facts of relations it has (no rule, retraction
//! or date changed, no layer taken away), the answer is a variant of that evaluation with the
//! new facts (`overlay::Variant`, only the strata the goal depends on and the facts reach).
//! Anything else asks in full. A goal that drew warnings is always asked in full, so the
//! warnings are those of the workspace as it stands.

use super::matching::fact_key;
use super::{Answer, EXPECT, FactKey, Workspace};
use crate::diag::Diagnostic;
use crate::driver::Evaluated;
use crate::eval::Limits;
use crate::overlay::Variant;
use crate::value::Date;
use std::sync::Arc;

/// A goal asked, what the workspace was then, and the evaluation of the program with it.
pub(crate) struct Recall {
    goal: String,
    /// The goal's named variables, as the full answer gave them.
    vars: Vec<String>,
    as_of: Date,
    retracted: Vec<FactKey>,
    layers: Vec<u64>,
    evaluated: Evaluated,
}

impl Workspace {
    /// Keeps the evaluation behind an answer to `goal` without warnings.
    pub(super) fn remember(
        &mut self,
        goal: &str,
        vars: Vec<String>,
        as_of: Date,
        evaluated: Evaluated,
    ) {
        self.recall = Some(Arc::new(Recall {
            goal: goal.to_string(),
            vars,
            as_of,
            retracted: self.retracted.clone(),
            layers: self.layers.iter().map(|l| l.serial).collect(),
            evaluated,
        }));
    }

    /// Forgets the kept evaluation.
    pub(super) fn forget(&mut self) {
        self.recall = None;
    }

    /// The rows of `goal` as a variant of the kept evaluation, or `None` when the workspace
    /// changed otherwise than by ground facts since (then the goal is asked in full).
    pub(super) fn recall(
        &self,
        goal: &str,
        as_of: Date,
        limits: &Limits,
    ) -> Option<Result<Answer, Vec<Diagnostic>>> {
        let r = self.recall.as_ref()?;
        let seen = r.layers.len();
        let same = r.goal == goal
            && r.as_of == as_of
            && r.retracted == self.retracted
            && self.layers.len() >= seen
            && self
                .layers
                .iter()
                .zip(&r.layers)
                .all(|(l, s)| l.serial == *s);
        if !same {
            return None;
        }
        let mut variant = Variant::new(&r.evaluated);
        for layer in &self.layers[seen..] {
            let s = &layer.scenario;
            if !s.retracts.is_empty() || !s.groups.is_empty() || s.as_of.is_some() {
                return None;
            }
            for st in &s.statements {
                let (relation, tuple) = fact_key(st)?;
                if relation.starts_with('~')
                    || self.retracted.contains(&(relation.clone(), tuple.clone()))
                {
                    return None;
                }
                variant.add(&relation, &tuple).ok()?;
            }
        }
        let name = format!("{EXPECT}0");
        Some(
            variant
                .answers(|n| n == name, limits)
                .map(|(mut model, _)| Answer {
                    vars: r.vars.clone(),
                    rows: model.relations.remove(&name).unwrap_or_default(),
                })
                .map_err(|d| vec![d]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Const;

    const KB: &str = "edge(a, b). edge(b, c).\nblocked(z).\n\
                      path(X, Y) :- edge(X, Y), not blocked(Y).\n\
                      path(X, Z) :- path(X, Y), edge(Y, Z), not blocked(Z).\n";

    fn answer(w: &mut Workspace, goal: &str) -> Vec<Vec<Const>> {
        w.ask(goal).unwrap().0.rows
    }

    /// Every change of the workspace, asked with the kept evaluation and in a fresh clone that
    /// has none, gives the same answers; only typed ground facts use the kept evaluation.
    #[test]
    fn asking_again_after_changes_equals_asking_afresh() {
        let mut w = Workspace::from_text("kb.pacta", KB).unwrap();
        let goal = "path(a, X)";
        let steps: &[&str] = &[
            "edge(c, d).",
            "edge(d, z). edge(z, e).",
            ":retract edge(a, b)",
            "edge(a, b).",
            "blocked(d).",
            "hop(X, Y) :- edge(X, Y).",
            ":undo",
            ":asof 2030-01-01",
        ];
        answer(&mut w, goal);
        for step in steps {
            let recalled_before = w.recall.is_some();
            match *step {
                ":undo" => assert!(w.undo()),
                ":asof 2030-01-01" => w.set_as_of(Date::parse_iso("2030-01-01").unwrap()),
                s if s.starts_with(":retract ") => {
                    w.retract(&s[":retract ".len()..]).unwrap();
                }
                s => {
                    w.add(s).unwrap();
                }
            }
            let mut fresh = w.clone();
            fresh.forget();
            let expected = answer(&mut fresh, goal);
            let facts_only = !step.starts_with(':') && !step.contains(":-");
            let recalled = w.recall(goal, w.as_of(), &w.limits.clone()).is_some();
            // Only typed facts are recalled (a fact typed back after `:retract` changes the
            // retractions, so it is asked in full); plain facts after an answer always are.
            assert!(!recalled || facts_only, "recalled after {step}");
            if recalled_before && facts_only && !step.starts_with("edge(a, b)") {
                assert!(recalled, "not recalled after {step}");
            }
            assert_eq!(answer(&mut w, goal), expected, "after {step}");
        }
    }

    /// A goal with a warning (a symbol nothing mentions) is asked in full every time, so the
    /// warning goes once the symbol is typed.
    #[test]
    fn warnings_are_never_recalled() {
        let mut w = Workspace::from_text("kb.pacta", KB).unwrap();
        let warned = w.ask("path(a, q)").unwrap().1;
        assert!(!warned.diagnostics.is_empty());
        w.add("edge(c, q).").unwrap();
        let (a, report) = w.ask("path(a, q)").unwrap();
        assert_eq!(a.rows.len(), 1);
        assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    }
}
