//! Sweeps: every combination of a scenario's `vary` groups (each on or off), evaluated in
//! parallel with `rayon`, each judged by the scenario's expectations.

use super::matching::retracted_by;
use super::whatif::{Checked, check_expectations};
use super::{EXPECT, Workspace};
use crate::diag::{Code, Diagnostic};
use crate::eval::Limits;
use crate::scenario::{Group, Scenario};
use crate::syntax::ast::Statement;
use crate::value::Date;
use rayon::prelude::*;

/// At most this many groups (2^12 = 4096 evaluations): more would take minutes.
pub const MAX_GROUPS: usize = 12;

/// One combination and its verdicts.
#[derive(Clone, Debug)]
pub struct Combination {
    /// For each group (in file order), whether it is on.
    pub on: Vec<bool>,
    /// The expectations' verdicts.
    pub checked: Vec<Checked>,
}

/// All combinations of a sweep, in binary order (all off first).
#[derive(Clone, Debug)]
pub struct Sweep {
    /// The group names, in file order.
    pub groups: Vec<String>,
    /// The date used.
    pub as_of: Date,
    /// Every combination.
    pub combinations: Vec<Combination>,
    /// Warnings about the scenario (with every group on).
    pub warnings: Vec<Diagnostic>,
}

/// Evaluates every combination of `scenario`'s groups; `done` is called after each one (for a
/// progress bar), as of `as_of` (chosen by the caller with
/// [`pick_as_of`](crate::scenario::pick_as_of)). Bad input (no groups, too many, a checker error) is an
/// error before anything runs; a retraction that matches nothing is a warning.
pub fn run_sweep(
    world: &Workspace,
    scenario: &Scenario,
    as_of: Date,
    limits: &Limits,
    done: &(dyn Fn() + Sync),
) -> Result<Sweep, Vec<Diagnostic>> {
    let file = world.sources.get(scenario.file);
    let n = scenario.groups.len();
    if n == 0 {
        return Err(vec![
            Diagnostic::error_nowhere(
                Code::InvalidDirective,
                format!("`{}` has no `vary` groups to sweep", file.name),
            )
            .with_hint("add groups such as `vary us_honours: declared_unwilling(...).`"),
        ]);
    }
    if n > MAX_GROUPS {
        return Err(vec![
            Diagnostic::error(
                Code::InvalidDirective,
                scenario.groups[MAX_GROUPS].span,
                format!("a sweep takes at most {MAX_GROUPS} `vary` groups ({n} given)"),
            )
            .with_hint("merge groups that always go together"),
        ]);
    }
    // Everything on first: bad input (a retraction that matches nothing, a checker error) is
    // reported once, before anything runs.
    let all: Vec<&Group> = scenario.groups.iter().collect();
    let warnings = world.build(&[scenario], &all, as_of)?.warnings;
    // The scenario without its groups is evaluated once; each combination is a variant of it
    // (the groups' facts added, the statements their `not` lines retract taken out), evaluated
    // on the shared plan (only the strata the change reaches run again).
    let prepared = world.prepare(&[scenario], &[], as_of, limits)?;
    let within = prepared.built().retractable;
    let changes: Vec<(Vec<usize>, Vec<Statement>)> = scenario
        .groups
        .iter()
        .map(|g| {
            let removed =
                prepared.select(within, |st| g.retracts.iter().any(|r| retracted_by(st, r)));
            (
                removed,
                g.adds.iter().cloned().map(Statement::Rule).collect(),
            )
        })
        .collect();
    let combinations = (0..1usize << n)
        .into_par_iter()
        .map(|mask| {
            let on: Vec<bool> = (0..n).map(|i| mask & (1 << (n - 1 - i)) != 0).collect();
            let mut removed = Vec::new();
            let mut added = Vec::new();
            for ((r, a), _) in changes.iter().zip(&on).filter(|(_, o)| **o) {
                removed.extend_from_slice(r);
                added.extend(a.iter().cloned());
            }
            removed.sort_unstable();
            removed.dedup();
            let answers = prepared.answers(&removed, &added, |n| n.starts_with(EXPECT), limits);
            done();
            answers.map(|model| Combination {
                on,
                checked: check_expectations(world, scenario, &model),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Sweep {
        groups: scenario.groups.iter().map(|g| g.name.clone()).collect(),
        as_of,
        combinations,
        warnings,
    })
}
