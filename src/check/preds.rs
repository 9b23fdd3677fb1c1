//! The predicates of a program, numbered once, and every atom of every rule with its
//! predicate's number.
//!
//! Why: a theory can have a million predicates (a chain of rules without variables), and the
//! passes of the checker (arity, unknown predicates, strata, the defeasible layer) each looked
//! names up in maps of strings, one lookup per atom per pass. Numbering the names once and
//! handing every pass the atoms with their numbers makes each pass a walk over one flat vector
//! with arrays indexed by predicate; the name maps are built once.

use super::{AtomUse, TRUE, rule_atoms_into, rules};
use crate::syntax::ast::{Program, Rule};
use rustc_hash::FxHashMap;

/// A predicate's number: its position in order of first use (source order, head first).
pub(crate) type PredId = u32;

/// One atom of a rule with the number of its predicate ([`Preds::TRUE`] for `true`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Use<'a> {
    /// The atom, its role and literal.
    pub(crate) atom: AtomUse<'a>,
    /// Its predicate.
    pub(crate) pred: PredId,
}

/// Every predicate of a program's rules (but `true`) by number, and every atom.
pub(crate) struct Preds<'a> {
    /// Names by number, in order of first use.
    names: Vec<&'a str>,
    /// Name → number.
    ids: FxHashMap<&'a str, PredId>,
    /// Every atom of every rule, rule by rule, each rule's atoms in [`super::rule_atoms`] order.
    uses: Vec<Use<'a>>,
    /// Where each rule's atoms start in `uses` (one more entry than rules).
    starts: Vec<u32>,
}

impl<'a> Preds<'a> {
    /// The number that `true` gets: it is no predicate of the program.
    pub(crate) const TRUE: PredId = PredId::MAX;

    /// Numbers the predicates of every rule of `program`.
    pub(crate) fn new(program: &'a Program) -> Preds<'a> {
        // About one predicate per rule (a guess that spares growing the map step by step).
        let rules_count = rules(program).count();
        let mut preds = Preds {
            names: Vec::with_capacity(rules_count),
            ids: FxHashMap::with_capacity_and_hasher(rules_count, Default::default()),
            uses: Vec::with_capacity(2 * rules_count),
            starts: Vec::with_capacity(rules_count + 1),
        };
        preds.starts.push(0);
        let mut atoms = Vec::new();
        for rule in rules(program) {
            atoms.clear();
            rule_atoms_into(rule, &mut atoms);
            for &atom in &atoms {
                let name = atom.atom.pred.name.as_str();
                let pred = if name == TRUE {
                    Self::TRUE
                } else {
                    let next = preds.names.len() as PredId;
                    let id = *preds.ids.entry(name).or_insert(next);
                    if id == next {
                        preds.names.push(name);
                    }
                    id
                };
                preds.uses.push(Use { atom, pred });
            }
            preds.starts.push(preds.uses.len() as u32);
        }
        preds
    }

    /// How many predicates there are.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The name of a predicate.
    pub(crate) fn name(&self, id: PredId) -> &'a str {
        self.names[id as usize]
    }

    /// The number of a predicate name, if some rule uses it.
    pub(crate) fn id(&self, name: &str) -> Option<PredId> {
        self.ids.get(name).copied()
    }

    /// Every atom of every rule, in source order.
    pub(crate) fn uses(&self) -> &[Use<'a>] {
        &self.uses
    }

    /// Each rule of `program` (the one these numbers were made from) with its atoms, the head
    /// first.
    pub(crate) fn rules<'s>(
        &'s self,
        program: &'a Program,
    ) -> impl Iterator<Item = (&'a Rule, &'s [Use<'a>])> + 's {
        rules(program)
            .zip(self.starts.windows(2))
            .map(|(r, w)| (r, &self.uses[w[0] as usize..w[1] as usize]))
    }

    /// Every predicate's number, sorted by name (byte-wise, as `String`s sort).
    ///
    /// Sorted by each name's first eight bytes as an integer, then each run with the same eight
    /// bytes by the whole name: a million names sort several times faster than by comparing
    /// strings, which is a call and a pointer chase per comparison.
    pub(crate) fn by_name(&self) -> Vec<PredId> {
        let prefix = |name: &str| {
            let mut bytes = [0u8; 8];
            let n = name.len().min(8);
            bytes[..n].copy_from_slice(&name.as_bytes()[..n]);
            u64::from_be_bytes(bytes)
        };
        let mut keyed: Vec<(u64, PredId)> = (0..self.names.len() as PredId)
            .map(|p| (prefix(self.names[p as usize]), p))
            .collect();
        keyed.sort_unstable();
        for run in keyed.chunk_by_mut(|a, b| a.0 == b.0) {
            if run.len() > 1 {
                run.sort_unstable_by_key(|&(_, p)| self.names[p as usize]);
            }
        }
        keyed.into_iter().map(|(_, p)| p).collect()
    }
}
