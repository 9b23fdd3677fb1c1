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

    /// The four flags of a literal, in [`KINDS`] order.
    fn flags(&self, l: Lit) -> [bool; 4] {
        let c = &self.conclusions;
        let l = l as usize;
        [
            c.definitely[l],
            c.not_definitely[l],
            c.defeasibly[l],
            c.not_defeasibly[l],
        ]
    }

    /// Atoms grouped by relation id.
    fn atoms_by_relation(&self) -> Vec<Vec<Lit>> {
        let mut out = vec![Vec::new(); self.grounded.relations.len()];
        for (a, (rel, _)) in self.grounded.atoms.iter().enumerate() {
            out[*rel].push(a as Lit);
        }
        out
    }

    /// Every literal of the ground theory under each kind that holds for it.
    pub fn model(&self) -> ConclusionModel {
        let mut out: ConclusionModel = KINDS.iter().map(|k| (*k, BTreeMap::new())).collect();
        for (rel, atoms) in self.atoms_by_relation().iter().enumerate() {
            if atoms.is_empty() {
                continue;
            }
            for neg in [false, true] {
                let name = literal_name(&self.grounded.relations[rel], neg);
                let mut kinds: [Vec<Vec<Const>>; 4] = Default::default();
                for &a in atoms {
                    let l = 2 * a + u32::from(neg);
                    let flags = self.flags(l);
                    if flags.iter().any(|f| *f) {
                        let tuple: Vec<Const> = self.grounded.atoms[a as usize]
                            .1
                            .iter()
                            .map(|&v| self.grounded.interner.constant(v))
                            .collect();
                        for (k, f) in flags.iter().enumerate() {
                            if *f {
                                kinds[k].push(tuple.clone());
                            }
                        }
                    }
                }
                for ((_, rels), mut tuples) in out.iter_mut().zip(kinds) {
                    tuples.sort();
                    rels.insert(name.clone(), tuples);
                }
            }
        }
        out
    }

    /// Per kind, the number of literals of each relation, in the order of [`Reasoned::model`]
    /// (cheap: no tuple is decoded).
    pub fn counts(&self) -> Vec<(&'static str, Vec<(String, usize)>)> {
        let by_rel = self.atoms_by_relation();
        let mut counts = vec![[[0usize; 4]; 2]; by_rel.len()];
        for (rel, atoms) in by_rel.iter().enumerate() {
            for &a in atoms {
                for neg in [0, 1] {
                    for (k, f) in self.flags(2 * a + neg).iter().enumerate() {
                        counts[rel][neg as usize][k] += usize::from(*f);
                    }
                }
            }
        }
        KINDS
            .iter()
            .enumerate()
            .map(|(k, kind)| {
                // Names sort with every `~p` after every `p`, as in the model's maps.
                let rows = [false, true]
                    .into_iter()
                    .flat_map(|neg| {
                        let by_rel = &by_rel;
                        let counts = &counts;
                        (0..by_rel.len())
                            .filter(move |&r| !by_rel[r].is_empty())
                            .map(move |r| {
                                (
                                    literal_name(&self.grounded.relations[r], neg),
                                    counts[r][usize::from(neg)][k],
                                )
                            })
                    })
                    .collect();
                (*kind, rows)
            })
            .collect()
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
