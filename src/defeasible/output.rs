//! Conclusions as users read them: the four kinds by relation name, and the conflicts that no
//! superiority resolves.

use super::ground::{Grounded, literal_name};
use super::theory::{Conclusions, Kind, Lit, complement};
use crate::value::Const;
use std::collections::BTreeMap;

/// The JSON keys of the four conclusion kinds (SPEC §3.1), in output order.
pub const KINDS: [&str; 4] = [
    "definitely",
    "not_definitely",
    "defeasibly",
    "not_defeasibly",
];

/// A reasoned theory: the ground theory and its conclusions.
pub struct Reasoned {
    /// The ground theory with names.
    pub grounded: Grounded,
    /// The four flags per literal.
    pub conclusions: Conclusions,
}

/// Kind → relation name (`p` or `~p`) → sorted tuples; every relation of the theory appears
/// under every kind (possibly empty).
pub type ConclusionModel = Vec<(&'static str, BTreeMap<String, Vec<Vec<Const>>>)>;

/// Two rules for complementary literals, both applicable, with neither literal concluded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The positive literal's relation and tuple.
    pub relation: String,
    /// Its arguments.
    pub tuple: Vec<Const>,
    /// Applicable rules for the literal (ground rule indices).
    pub for_literal: Vec<usize>,
    /// Applicable rules for its complement.
    pub against: Vec<usize>,
}

impl Reasoned {
    /// The relation name and tuple of a literal.
    pub fn describe(&self, l: Lit) -> (String, Vec<Const>) {
        let (rel, tuple) = &self.grounded.atoms[(l / 2) as usize];
        let name = literal_name(&self.grounded.relations[*rel], l % 2 == 1);
        let values = tuple
            .iter()
            .map(|&v| self.grounded.interner.constant(v))
            .collect();
        (name, values)
    }

    /// Every literal of the ground theory under each kind that holds for it.
    pub fn model(&self) -> ConclusionModel {
        let c = &self.conclusions;
        let flags = [
            &c.definitely,
            &c.not_definitely,
            &c.defeasibly,
            &c.not_defeasibly,
        ];
        let mut out: ConclusionModel = KINDS.iter().map(|k| (*k, BTreeMap::new())).collect();
        for atom in 0..self.grounded.atoms.len() as Lit {
            for l in [2 * atom, 2 * atom + 1] {
                let (name, tuple) = self.describe(l);
                for ((_, rels), f) in out.iter_mut().zip(flags) {
                    let rel = rels.entry(name.clone()).or_default();
                    if f[l as usize] {
                        rel.push(tuple.clone());
                    }
                }
            }
        }
        for (_, rels) in out.iter_mut() {
            rels.values_mut().for_each(|t| t.sort());
        }
        out
    }

    /// Every literal with applicable rules on both sides and neither side defeasibly proved:
    /// no superiority relation decides between them.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let t = &self.grounded.theory;
        let c = &self.conclusions;
        let applicable = |r: usize| t.rules[r].body.iter().all(|&b| c.defeasibly[b as usize]);
        let mut by_head: BTreeMap<Lit, Vec<usize>> = BTreeMap::new();
        for (i, r) in t.rules.iter().enumerate() {
            if applicable(i) {
                by_head.entry(r.head).or_default().push(i);
            }
        }
        let mut out = Vec::new();
        for (&l, rules) in &by_head {
            if l % 2 == 1 {
                continue;
            }
            let Some(against) = by_head.get(&complement(l)) else {
                continue;
            };
            if c.defeasibly[l as usize] || c.defeasibly[complement(l) as usize] {
                continue;
            }
            // Defeaters alone on both sides prove nothing either way: not a conflict of norms.
            let proves = |rs: &[usize]| rs.iter().any(|&r| t.rules[r].kind != Kind::Defeater);
            if !proves(rules) && !proves(against) {
                continue;
            }
            let (relation, tuple) = self.describe(l);
            out.push(Conflict {
                relation,
                tuple,
                for_literal: rules.clone(),
                against: against.clone(),
            });
        }
        out
    }
}
