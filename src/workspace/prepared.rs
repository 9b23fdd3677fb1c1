//! A built program evaluated once, and its variants (issue 18): sweeps, timelines and
//! counterfactual searches evaluate hundreds or thousands of programs that differ from one
//! another only in a few ground facts. Each variant names the statements it takes out (by
//! index, found once per change) and the facts it adds; when all of them are ground facts of
//! relations the plan has, the variant is evaluated incrementally on the shared plan
//! ([`crate::overlay::Variant`]), skipping parsing, checking, planning and every stratum the
//! change does not reach. Anything else (a rule added or taken out, a new relation) builds and
//! evaluates the changed program in full, so the answer never depends on which path ran.

use super::Workspace;
use super::compose::Built;
use super::matching::fact_key;
use crate::check::check;
use crate::diag::{Diagnostic, has_errors};
use crate::driver::{Evaluated, Model, evaluate_with_imports};
use crate::eval::Limits;
use crate::overlay::Variant;
use crate::scenario::{Group, Scenario};
use crate::syntax::ast::{Program, Statement};
use crate::value::{Const, Date};
use std::collections::HashMap;

/// A built program, its evaluation, and what variants need to know about its facts.
pub struct Prepared<'w> {
    world: &'w Workspace,
    built: Built,
    evaluated: Evaluated,
    /// Each statement's fact key (relation, tuple) when it is a ground fact.
    keys: Vec<Option<(String, Vec<Const>)>>,
    /// How many statements write each fact (a fact stays while one copy is left).
    copies: HashMap<(String, Vec<Const>), usize>,
}

impl Workspace {
    /// Builds the knowledge base with the layers, `scenarios` and the `on` groups as of
    /// `as_of` (as [`Workspace::build`]) and evaluates it once, for variants.
    pub fn prepare(
        &self,
        scenarios: &[&Scenario],
        on: &[&Group],
        as_of: Date,
        limits: &Limits,
    ) -> Result<Prepared<'_>, Vec<Diagnostic>> {
        let built = self.build(scenarios, on, as_of)?;
        self.prepare_built(built, limits)
    }

    /// Evaluates a program built by [`Workspace::build`] once, for variants.
    pub fn prepare_built(
        &self,
        built: Built,
        limits: &Limits,
    ) -> Result<Prepared<'_>, Vec<Diagnostic>> {
        let evaluated = self.evaluate(&built, limits)?;
        let keys: Vec<Option<(String, Vec<Const>)>> =
            built.program.statements.iter().map(fact_key).collect();
        let mut copies = HashMap::new();
        for k in keys.iter().flatten() {
            *copies.entry(k.clone()).or_insert(0) += 1;
        }
        Ok(Prepared {
            world: self,
            built,
            evaluated,
            keys,
            copies,
        })
    }
}

impl Prepared<'_> {
    /// The program as built (with the warnings about the scenarios).
    pub fn built(&self) -> &Built {
        &self.built
    }

    /// The evaluation of the program as built.
    pub fn evaluated(&self) -> &Evaluated {
        &self.evaluated
    }

    /// The indices of the statements `pick` selects, among the first `within` (the knowledge
    /// base part is [`Built::retractable`]; `usize::MAX` for all).
    pub fn select(&self, within: usize, pick: impl Fn(&Statement) -> bool) -> Vec<usize> {
        let statements = &self.built.program.statements;
        (0..within.min(statements.len()))
            .filter(|&i| pick(&statements[i]))
            .collect()
    }

    /// The program without the statements at `removed` and with `added`, evaluated: on the
    /// shared plan when every statement involved is a ground fact of a relation the plan has
    /// at that arity, else from scratch.
    pub fn variant(
        &self,
        removed: &[usize],
        added: &[Statement],
        limits: &Limits,
    ) -> Result<Evaluated, Vec<Diagnostic>> {
        match self.facts_only(removed, added) {
            Some(variant) => variant
                .evaluate(limits)
                .map(|(e, _)| e)
                .map_err(|d| vec![d]),
            None => self.rebuild(removed, added, limits),
        }
    }

    /// The relations whose names pass `keep` in the variant (as [`Prepared::variant`]); on the
    /// shared plan only the strata they depend on run.
    pub fn answers(
        &self,
        removed: &[usize],
        added: &[Statement],
        keep: impl Fn(&str) -> bool,
        limits: &Limits,
    ) -> Result<Model, Vec<Diagnostic>> {
        match self.facts_only(removed, added) {
            Some(variant) => variant
                .answers(keep, limits)
                .map(|(m, _)| m)
                .map_err(|d| vec![d]),
            None => Ok(self.rebuild(removed, added, limits)?.model_where(keep)),
        }
    }

    /// The changed program checked and evaluated from scratch.
    fn rebuild(
        &self,
        removed: &[usize],
        added: &[Statement],
        limits: &Limits,
    ) -> Result<Evaluated, Vec<Diagnostic>> {
        let statements = &self.built.program.statements;
        let mut gone = vec![false; statements.len()];
        for &i in removed {
            gone[i] = true;
        }
        let mut program = Program {
            statements: statements
                .iter()
                .zip(&gone)
                .filter(|(_, g)| !**g)
                .map(|(st, _)| st.clone())
                .collect(),
        };
        program.statements.extend(added.iter().cloned());
        let (analysis, diags) = check(&program);
        if has_errors(&diags) {
            return Err(diags.into_iter().filter(|d| d.is_error()).collect());
        }
        evaluate_with_imports(
            &program,
            &analysis,
            &self.world.sources,
            &[],
            limits,
            Some(&self.world.imports),
        )
    }

    /// The change as a variant on the shared plan, or `None` when it is not one of ground
    /// facts of relations the plan has.
    fn facts_only(&self, removed: &[usize], added: &[Statement]) -> Option<Variant<'_>> {
        let mut variant = Variant::new(&self.evaluated);
        let mut taken: HashMap<&(String, Vec<Const>), usize> = HashMap::new();
        for &i in removed {
            *taken.entry(self.keys[i].as_ref()?).or_insert(0) += 1;
        }
        for (key, n) in taken {
            // Another statement still writes it: the fact stays.
            if self.copies.get(key) == Some(&n) {
                variant.remove(&key.0, &key.1).ok()?;
            }
        }
        for st in added {
            let (relation, tuple) = fact_key(st)?;
            variant.add(&relation, &tuple).ok()?;
        }
        Some(variant)
    }
}
