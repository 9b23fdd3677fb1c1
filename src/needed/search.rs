//! The search: the goal compiled once, one probe evaluation that collects the candidate
//! changes, then sets of changes verified by evaluation — smallest first, in parallel.
//!
//! Sets are drawn from the changes proposed for one clause (a clause's obstacles are what a set
//! must remove; two clauses' changes together are never needed when one clause suffices). A
//! clause whose changes all together (when there are at most `max_changes`) leave the goal
//! unmet is not searched further: no part of them will do what all of them did not. Sets are
//! tried by size; a superset of a set that works is never tried, so every set reported is
//! minimal.

use super::candidates::{self, goal_facts};
use super::{Change, Found, Needed, Options};
use crate::diag::{Code, Diagnostic, has_errors};
use crate::eval::Limits;
use crate::scenario::{Expect, Scenario};
use crate::syntax::ast::{Statement, binding_vars};
use crate::syntax::goal::GoalText;
use crate::syntax::parse;
use crate::syntax::span::SourceFile;
use crate::value::{Const, Date};
use crate::workspace::{Prepared, Workspace};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The hidden relation the goal is compiled to: the only expectation of the built program, so
/// `Workspace::build` names it `pacta_expect_0`.
const GOAL: &str = "pacta_expect_0";

/// Searches the smallest sets of assumable changes that make `goal` (a rule body, as for
/// `pacta query`) hold as of `as_of` on the knowledge base of `world` with `scenarios` applied
/// (their expectations and `vary` groups are not used). The goal is added to the world's
/// sources as `<needed>`; diagnostics point into it.
pub fn search(
    world: &mut Workspace,
    scenarios: &[&Scenario],
    goal: &str,
    as_of: Date,
    options: &Options,
    limits: &Limits,
) -> Result<Needed, Vec<Diagnostic>> {
    let typed = GoalText::new(goal);
    let (text, prefix) = typed.rule("pacta_needed_goal");
    let file = world.sources.add(SourceFile::new("<needed>", text.clone()));
    let relocate =
        |world: &mut Workspace, d| typed.relocate_all(d, &mut world.sources, file, prefix);
    let (program, diags) = parse(file, &text);
    if has_errors(&diags) {
        return Err(relocate(world, diags));
    }
    let Some(Statement::Rule(rule)) = program.statements.into_iter().next() else {
        return Err(vec![Diagnostic::error_nowhere(
            Code::SyntaxError,
            "the goal is empty",
        )]);
    };
    let vars = binding_vars(&rule.body);
    let probe_facts = goal_facts(&rule.body);
    let goal_scenario = Scenario {
        file,
        expects: vec![Expect {
            negated: false,
            span: rule.span,
            vars: vars.clone(),
            text: typed.body().to_string(),
            rule,
        }],
        ..Scenario::default()
    };
    let mut all: Vec<Scenario> = scenarios
        .iter()
        .map(|s| Scenario {
            expects: Vec::new(),
            groups: Vec::new(),
            ..(*s).clone()
        })
        .collect();
    all.push(goal_scenario);
    let refs: Vec<&Scenario> = all.iter().collect();
    let mut built = match world.build(&refs, &[], as_of) {
        Ok(b) => b,
        Err(d) => return Err(relocate(world, d)),
    };
    let built_warnings = std::mem::take(&mut built.warnings);
    let warnings = relocate(world, built_warnings);
    // A name the program never mentions (`ukrane`) would be searched as a new state and
    // "joined" to treaties: refuse instead, with the did-you-mean.
    let unknown: Vec<Diagnostic> = warnings
        .iter()
        .filter(|d| d.code == Code::UnknownConstant && d.span.is_some_and(|s| s.file == file))
        .map(|d| Diagnostic {
            severity: crate::diag::Severity::Error,
            ..d.clone()
        })
        .collect();
    if !unknown.is_empty() {
        return Err(unknown);
    }
    // Every candidate set is a variant of the program as built (evaluated once, on its plan).
    let prepared = world.prepare_built(built, limits)?;
    let mut needed = Needed {
        goal: typed.body().to_string(),
        vars,
        as_of,
        max_changes: options.max_changes,
        holds_already: Vec::new(),
        candidates: Vec::new(),
        clauses: 0,
        evaluated: 0,
        found: Vec::new(),
        larger: Vec::new(),
        warnings,
    };
    // The probe: the program as it is, plus the goal's constants for the candidate rules.
    let model = prepared.answers(
        &[],
        &probe_facts,
        |n| n == GOAL || candidates::wanted(n),
        limits,
    )?;
    needed.holds_already = model.relations.get(GOAL).cloned().unwrap_or_default();
    if !needed.holds_already.is_empty() {
        return Ok(needed);
    }
    let (changes, pools) = candidates::read(&model);
    let base = Base {
        removes: changes
            .iter()
            .map(|c| prepared.select(usize::MAX, |st| c.removes(st)))
            .collect(),
        prepared,
        limits,
    };
    needed.clauses = pools.len();
    let max = options.max_changes;
    let mut results: BTreeMap<Vec<usize>, Outcome> = BTreeMap::new();
    // All of a clause's changes together, where that is small enough.
    let whole: BTreeSet<Vec<usize>> = pools.values().filter(|p| p.len() <= max).cloned().collect();
    base.run(&changes, whole.into_iter().collect(), &mut results)?;
    let mut sets: BTreeSet<Vec<usize>> = BTreeSet::new();
    for pool in pools.values() {
        if pool.len() <= max && results.get(pool).is_some_and(Option::is_none) {
            continue;
        }
        for k in 1..=max.min(pool.len()) {
            sets.extend(subsets(pool, k));
        }
    }
    let mut found: Vec<Vec<usize>> = Vec::new();
    for k in 1..=max {
        let level: Vec<Vec<usize>> = sets
            .iter()
            .filter(|s| s.len() == k)
            .filter(|s| !found.iter().any(|f| f.iter().all(|i| s.contains(i))))
            .cloned()
            .collect();
        base.run(&changes, level.clone(), &mut results)?;
        found.extend(
            level
                .into_iter()
                .filter(|s| results.get(s).is_some_and(Option::is_some)),
        );
    }
    needed.evaluated = results.len();
    for pool in pools.iter().filter(|(_, p)| p.len() > max) {
        if !found.iter().any(|f| f.iter().all(|i| pool.1.contains(i))) {
            let ((i, c), p) = pool;
            needed.larger.push((i.clone(), c.clone(), p.len()));
        }
    }
    found.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
    needed.found = found
        .into_iter()
        .map(|s| Found {
            answers: results.get(&s).cloned().flatten().unwrap_or_default(),
            changes: s,
        })
        .collect();
    needed.candidates = changes;
    Ok(needed)
}

/// The goal's answers with a set applied, `None` when it does not hold.
type Outcome = Option<Vec<Vec<Const>>>;

/// The program with the goal compiled in, evaluated once, and how to evaluate variants of it.
struct Base<'a> {
    prepared: Prepared<'a>,
    /// Per change: the statements it takes out.
    removes: Vec<Vec<usize>>,
    limits: &'a Limits,
}

impl Base<'_> {
    /// Evaluates each set not yet in `results`, in parallel, and records the goal's answers
    /// (`None` when it does not hold).
    fn run(
        &self,
        changes: &[Change],
        sets: Vec<Vec<usize>>,
        results: &mut BTreeMap<Vec<usize>, Outcome>,
    ) -> Result<(), Vec<Diagnostic>> {
        let todo: Vec<Vec<usize>> = sets
            .into_iter()
            .filter(|s| !results.contains_key(s))
            .collect();
        let done: Result<Vec<(Vec<usize>, Outcome)>, Vec<Diagnostic>> = todo
            .into_par_iter()
            .map(|s| {
                let answers = self.answers(changes, &s)?;
                Ok((s, (!answers.is_empty()).then_some(answers)))
            })
            .collect();
        results.extend(done?);
        Ok(())
    }

    /// The goal's answers with the changes `set` applied: a variant of the prepared program,
    /// only the strata the goal depends on evaluated.
    fn answers(
        &self,
        changes: &[Change],
        set: &[usize],
    ) -> Result<Vec<Vec<Const>>, Vec<Diagnostic>> {
        let mut removed: Vec<usize> = set
            .iter()
            .flat_map(|&i| self.removes[i].iter().copied())
            .collect();
        removed.sort_unstable();
        removed.dedup();
        let added: Vec<Statement> = set.iter().filter_map(|&i| changes[i].added()).collect();
        let model = self
            .prepared
            .answers(&removed, &added, |n| n == GOAL, self.limits)?;
        Ok(model.relations.get(GOAL).cloned().unwrap_or_default())
    }
}

/// The subsets of `pool` with `k` elements, each ascending, in lexicographic order.
fn subsets(pool: &[usize], k: usize) -> Vec<Vec<usize>> {
    let mut sorted = pool.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out = Vec::new();
    let mut pick = Vec::with_capacity(k);
    fn go(
        from: usize,
        k: usize,
        items: &[usize],
        pick: &mut Vec<usize>,
        out: &mut Vec<Vec<usize>>,
    ) {
        if pick.len() == k {
            out.push(pick.clone());
            return;
        }
        for i in from..items.len() {
            pick.push(items[i]);
            go(i + 1, k, items, pick, out);
            pick.pop();
        }
    }
    go(0, k, &sorted, &mut pick, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::subsets;

    #[test]
    fn subsets_by_size_in_order() {
        assert_eq!(
            subsets(&[3, 1, 2], 2),
            vec![vec![1, 2], vec![1, 3], vec![2, 3]]
        );
        assert_eq!(subsets(&[1], 2), Vec::<Vec<usize>>::new());
        assert_eq!(subsets(&[4, 5], 1), vec![vec![4], vec![5]]);
    }
}
