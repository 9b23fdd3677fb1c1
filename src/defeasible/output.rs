//! Conclusions as users read them: the four kinds by relation name, and the conflicts that no
//! superiority resolves.

use super::ground::{Grounded, literal_name};
use super::theory::{Conclusions, Kind, Lit, Rule, complement};
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

    /// The literal relations (`p` and `~p` of every relation with atoms) in the order of the
    /// maps of [`Reasoned::model`] — by name, byte-wise — with the atoms of each relation:
    /// what the writers stream from without building the model (a million one-atom
    /// relations would otherwise be a million maps of vectors).
    pub fn literal_relations(&self) -> (Vec<(usize, bool)>, Vec<Vec<Lit>>) {
        let by_rel = self.atoms_by_relation();
        let names = &self.grounded.relations;
        let mut pos: Vec<usize> = (0..names.len())
            .filter(|&r| !by_rel[r].is_empty())
            .collect();
        pos.sort_unstable_by(|&a, &b| names[a].cmp(&names[b]));
        // `~a` sorts among the plain names as `~` followed by `a`; both halves are sorted by
        // the bare name, so one merge gives the order of the full names.
        let tilde_first = |plain: &str, negated: &str| match plain.as_bytes().first() {
            Some(&c) if c != b'~' => c > b'~',
            _ => ("~".to_string() + negated).as_str() < plain,
        };
        let mut out = Vec::with_capacity(2 * pos.len());
        let (mut i, mut j) = (0, 0);
        while i < pos.len() || j < pos.len() {
            let neg_next =
                i == pos.len() || (j < pos.len() && tilde_first(&names[pos[i]], &names[pos[j]]));
            if neg_next {
                out.push((pos[j], true));
                j += 1;
            } else {
                out.push((pos[i], false));
                i += 1;
            }
        }
        (out, by_rel)
    }

    /// The sorted tuples of the literals `2a + neg` for `a` in `atoms` for which the flag of
    /// kind `k` (index into [`KINDS`]) holds.
    pub fn tuples(&self, atoms: &[Lit], neg: bool, k: usize) -> Vec<Vec<Const>> {
        let mut out: Vec<Vec<Const>> = atoms
            .iter()
            .filter(|&&a| self.flags(2 * a + u32::from(neg))[k])
            .map(|&a| {
                self.grounded.atoms[a as usize]
                    .1
                    .iter()
                    .map(|&v| self.grounded.interner.constant(v))
                    .collect()
            })
            .collect();
        out.sort();
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

    /// Per relation with atoms, in relation-id order (by name): the number of literals of
    /// each kind, `[positive, negated][kind]` (cheap: no tuple is decoded, no name built).
    pub fn counts(&self) -> Vec<(usize, [[usize; 4]; 2])> {
        let mut counts: Vec<Option<[[usize; 4]; 2]>> = vec![None; self.grounded.relations.len()];
        for (a, (rel, _)) in self.grounded.atoms.iter().enumerate() {
            let c = counts[*rel].get_or_insert([[0; 4]; 2]);
            for neg in [0, 1] {
                for (k, f) in self.flags(2 * a as Lit + neg).iter().enumerate() {
                    c[neg as usize][k] += usize::from(*f);
                }
            }
        }
        counts
            .into_iter()
            .enumerate()
            .filter_map(|(r, c)| Some((r, c?)))
            .collect()
    }

    /// Every literal with applicable rules on both sides and neither side defeasibly proved:
    /// no superiority relation decides between them.
    pub fn conflicts(&self) -> Vec<Conflict> {
        let t = &self.grounded.theory;
        let c = &self.conclusions;
        let applicable = |r: &Rule| r.body.iter().all(|&b| c.defeasibly[b as usize]);
        // (head, rule) of every applicable rule, grouped by head in literal order: a literal's
        // complement (`l ^ 1`) comes right after it. Sorting one vector, not a map of vectors:
        // a million rules are a million heads.
        let mut by_head: Vec<(Lit, usize)> = t
            .rules
            .iter()
            .enumerate()
            .filter(|(_, r)| applicable(r))
            .map(|(i, r)| (r.head, i))
            .collect();
        by_head.sort_unstable();
        let mut groups = by_head.chunk_by(|a, b| a.0 == b.0).peekable();
        let mut out = Vec::new();
        while let Some(group) = groups.next() {
            let l = group[0].0;
            if l % 2 == 1 {
                continue;
            }
            let Some(against) = groups.next_if(|g| g[0].0 == complement(l)) else {
                continue;
            };
            if c.defeasibly[l as usize] || c.defeasibly[complement(l) as usize] {
                continue;
            }
            // Defeaters alone on both sides prove nothing either way: not a conflict of norms.
            let proves =
                |rs: &[(Lit, usize)]| rs.iter().any(|&(_, r)| t.rules[r].kind != Kind::Defeater);
            if !proves(group) && !proves(against) {
                continue;
            }
            let (relation, tuple) = self.describe(l);
            out.push(Conflict {
                relation,
                tuple,
                for_literal: group.iter().map(|&(_, r)| r).collect(),
                against: against.iter().map(|&(_, r)| r).collect(),
            });
        }
        out
    }
}
