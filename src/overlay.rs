//! Variants of an evaluation that differ from it only in written facts (issue 18).
//!
//! A [`Variant`] starts from an [`Evaluated`] program: facts are added and removed by value,
//! and [`Variant::evaluate`] hands the changed predicates to
//! [`eval::incremental`](crate::eval::incremental), which keeps every stratum the change does
//! not reach. Nothing is parsed, checked or planned again: the plan is shared. A change the
//! plan cannot take — a relation it does not have, another arity — is refused, and the caller
//! builds the program afresh.
//!
//! Removing a fact removes every written copy of it (as retracting a statement does); a row
//! that rules also derive stays derived.

use crate::diag::Diagnostic;
use crate::driver::{Evaluated, Model};
use crate::eval::Limits;
use crate::eval::incremental::{Base, Change, Reuse, reevaluate};
use crate::eval::shared::Shared;
use crate::intern::{Interner, Val};
use crate::plan::{FactRows, PredId};
use crate::value::Const;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::HashMap;
use std::sync::Arc;

/// Why a change cannot be applied to the plan (the program must be built again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The plan has no relation of that name.
    Unknown(String),
    /// The relation has another number of columns.
    Arity(String, usize),
}

/// Written facts to add to and remove from an evaluation, on a copy of its constants' table.
pub struct Variant<'a> {
    base: &'a Evaluated,
    interner: Interner,
    added: FxHashMap<PredId, FactRows>,
    removed: FxHashMap<PredId, FxHashSet<Vec<Val>>>,
}

impl<'a> Variant<'a> {
    /// No change yet.
    pub fn new(base: &'a Evaluated) -> Variant<'a> {
        Variant {
            base,
            interner: base.interner.clone(),
            added: FxHashMap::default(),
            removed: FxHashMap::default(),
        }
    }

    /// The predicate of `relation` with `arity` columns.
    fn pred(&self, relation: &str, arity: usize) -> Result<PredId, Refused> {
        let p = self
            .base
            .pred(relation)
            .filter(|&p| !self.base.plan.preds[p].hidden)
            .ok_or_else(|| Refused::Unknown(relation.to_string()))?;
        if self.base.plan.preds[p].arity != arity {
            return Err(Refused::Arity(relation.to_string(), arity));
        }
        Ok(p)
    }

    /// Adds the written fact `relation(row)`.
    pub fn add(&mut self, relation: &str, row: &[Const]) -> Result<(), Refused> {
        let p = self.pred(relation, row.len())?;
        let vals: Vec<Val> = row.iter().map(|c| self.interner.intern(c)).collect();
        self.added.entry(p).or_default().push(&vals);
        Ok(())
    }

    /// Removes every written copy of `relation(row)` (of the base's facts; facts added to this
    /// variant stay).
    pub fn remove(&mut self, relation: &str, row: &[Const]) -> Result<(), Refused> {
        let p = self.pred(relation, row.len())?;
        // A constant the base never saw cannot be in its facts: nothing to remove.
        let vals: Option<Vec<Val>> = row.iter().map(|c| self.interner.find(c)).collect();
        let set = self.removed.entry(p).or_default();
        if let Some(vals) = vals {
            set.insert(vals);
        }
        Ok(())
    }

    /// Evaluates the variant: only the strata the change reaches run.
    pub fn evaluate(self, limits: &Limits) -> Result<(Evaluated, Reuse), Diagnostic> {
        self.run(None, limits)
    }

    /// The relations whose names pass `keep`, decoded, in the variant: only the strata they
    /// depend on and the change reaches run (a sweep asks for its expectations alone).
    pub fn answers(
        self,
        keep: impl Fn(&str) -> bool,
        limits: &Limits,
    ) -> Result<(Model, Reuse), Diagnostic> {
        let base = self.base;
        let wanted: Vec<PredId> = (base.plan.preds.iter().enumerate())
            .filter(|(_, info)| !info.hidden && keep(&info.name))
            .map(|(p, _)| p)
            .collect();
        let (evaluated, reuse) = self.run(Some(&wanted), limits)?;
        Ok((evaluated.model_where(keep), reuse))
    }

    fn run(
        mut self,
        wanted: Option<&[PredId]>,
        limits: &Limits,
    ) -> Result<(Evaluated, Reuse), Diagnostic> {
        let base = self.base;
        let mut facts: HashMap<usize, FactRows> = (*base.facts).clone();
        let (mut changed, mut shrunk) = (Vec::new(), Vec::new());
        let touched: FxHashSet<PredId> = self
            .added
            .keys()
            .chain(self.removed.keys())
            .copied()
            .collect();
        for p in touched {
            let width = base.plan.preds[p].arity;
            let old = base.shared.written(p, base.written(p), width);
            let gone = self.removed.remove(&p).unwrap_or_default();
            let added = self.added.remove(&p).unwrap_or_default();
            let new = distinct(&added, width);
            // The variant's facts: the base's, less the removed rows, with the added ones, by
            // one merge of two sorted lists.
            let (mut rows, mut lost, mut gained) = (FactRows::default(), false, false);
            let (mut i, mut j) = (0, 0);
            let row = |k: usize| &old.data[k * width..(k + 1) * width];
            while i < old.len || j < new.len() {
                let take_old = j == new.len() || (i < old.len && row(i) <= new[j]);
                if take_old {
                    let r = row(i);
                    let again = j < new.len() && new[j] == r;
                    if gone.contains(r) && !again {
                        lost = true;
                    } else {
                        rows.push(r);
                    }
                    i += 1;
                    j += usize::from(again);
                } else {
                    gained = true;
                    rows.push(new[j]);
                    j += 1;
                }
            }
            if !lost && !gained {
                continue; // the same facts: the base's stand
            }
            rows.distinct = true;
            changed.push(p);
            if lost {
                shrunk.push(p);
            }
            facts.insert(p, rows);
        }
        let all: Vec<&FactRows> = (0..base.plan.preds.len())
            .map(|p| facts.get(&p).unwrap_or(&base.plan.facts[p]))
            .collect();
        let change = Change {
            facts: &all,
            changed: &changed,
            shrunk: &shrunk,
            wanted,
        };
        let on = Base {
            plan: &base.plan,
            db: &base.db,
            interner: &base.interner,
            shared: &base.shared,
        };
        let (db, reuse) = reevaluate(&on, &change, &mut self.interner, limits)?;
        drop(all);
        let evaluated = Evaluated {
            plan: Arc::clone(&base.plan),
            db,
            interner: self.interner,
            ids: Arc::clone(&base.ids),
            facts: Arc::new(facts),
            shared: Arc::new(Shared::new(&base.plan)),
        };
        Ok((evaluated, reuse))
    }
}

/// The distinct rows of `facts`, sorted.
fn distinct(facts: &FactRows, width: usize) -> Vec<&[Val]> {
    let mut rows: Vec<&[Val]> = (0..facts.len)
        .map(|k| &facts.data[k * width..(k + 1) * width])
        .collect();
    rows.sort_unstable();
    rows.dedup();
    rows
}
