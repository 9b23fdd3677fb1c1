//! Explanations for defeasible theories, read off the ground theory and its conclusions.
//!
//! For a literal: the ground rules for it (applicable, or the first body literal that is not
//! defeasibly provable), the rules against it (beaten by which superiority, or not beaten — then
//! the superiority that would have been needed), and, when it holds, the same for the body of
//! the rule that proves it.

use super::{RuleRef, span_ref};
use crate::defeasible::theory::{Kind, Lit, complement};
use crate::defeasible::{Reasoned, ground::literal_name};
use crate::syntax::span::SourceMap;
use crate::value::Const;
use serde::Serialize;
use std::collections::BTreeSet;

/// How deep premises are followed.
const DEPTH: usize = 6;

/// What the reasoner concluded about one literal, and why.
#[derive(Debug, Serialize)]
pub struct Verdict {
    /// The literal (`p(a)` or `~p(a)`).
    pub literal: String,
    /// +Δ
    pub definitely: bool,
    /// +∂
    pub defeasibly: bool,
    /// −∂
    pub not_defeasibly: bool,
    /// A fact of the theory.
    pub fact: bool,
    /// Whether the grounded theory mentions the literal at all.
    pub known: bool,
    /// Ground rules whose head is the literal.
    pub rules_for: Vec<GroundRule>,
    /// Ground rules whose head is its complement.
    pub rules_against: Vec<GroundRule>,
    /// Superiorities that would have let the literal win (`r1 > r2`).
    pub missing_superiority: Vec<String>,
    /// When it holds by a rule: the verdicts on that rule's body.
    pub premises: Vec<Verdict>,
}

/// One ground rule instance in a verdict.
#[derive(Debug, Serialize)]
pub struct GroundRule {
    /// The rule as written.
    pub rule: RuleRef,
    /// `strict`, `defeasible` or `defeater`.
    pub kind: &'static str,
    /// The ground instance.
    pub instance: String,
    /// Every body literal is defeasibly provable.
    pub applicable: bool,
    /// The first body literal that is not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fails_at: Option<String>,
    /// For a rule against the literal: the superiority that beats it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beaten_by: Option<String>,
    /// For a rule against the literal: the superiority by which it beats a rule for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beats: Option<String>,
}

/// The verdict on `pred(tuple)` (`~pred` if `neg`).
pub fn verdict(
    r: &Reasoned,
    sources: &SourceMap,
    pred: &str,
    neg: bool,
    tuple: &[Const],
) -> Verdict {
    let found = r
        .grounded
        .atoms
        .iter()
        .enumerate()
        .find(|(_, (rel, vals))| {
            r.grounded.relations[*rel] == pred
                && vals.len() == tuple.len()
                && vals
                    .iter()
                    .zip(tuple)
                    .all(|(&v, c)| r.grounded.interner.constant(v) == *c)
        });
    let name = super::show_tuple(&literal_name(pred, neg), tuple);
    match found {
        Some((a, _)) => explain(
            r,
            sources,
            2 * a as Lit + u32::from(neg),
            0,
            &mut BTreeSet::new(),
        ),
        None => Verdict {
            literal: name,
            definitely: false,
            defeasibly: false,
            not_defeasibly: true,
            fact: false,
            known: false,
            rules_for: Vec::new(),
            rules_against: Vec::new(),
            missing_superiority: Vec::new(),
            premises: Vec::new(),
        },
    }
}

fn literal(r: &Reasoned, l: Lit) -> String {
    let (name, tuple) = r.describe(l);
    super::show_tuple(&name, &tuple)
}

fn explain(
    r: &Reasoned,
    sources: &SourceMap,
    l: Lit,
    depth: usize,
    seen: &mut BTreeSet<Lit>,
) -> Verdict {
    seen.insert(l);
    let t = &r.grounded.theory;
    let c = &r.conclusions;
    let plus = |x: Lit| c.defeasibly.get(x as usize).copied().unwrap_or(false);
    let applicable = |i: usize| t.rules[i].body.iter().all(|&b| plus(b));
    let name_of = |i: usize| -> String {
        let o = &r.grounded.origins[i];
        match &o.label {
            Some(l) => l.clone(),
            None => {
                let at = span_ref(sources, o.span, None).at;
                format!("<unlabelled rule at {}:{}>", at.file, at.line)
            }
        }
    };
    let ground = |i: usize, beaten_by: Option<String>| -> GroundRule {
        let rule = &t.rules[i];
        let body: Vec<String> = rule.body.iter().map(|&b| literal(r, b)).collect();
        let arrow = match rule.kind {
            Kind::Strict => ":-",
            Kind::Defeasible => ":=",
            Kind::Defeater => ":~",
        };
        let instance = if body.is_empty() {
            format!("{} {arrow} true.", literal(r, rule.head))
        } else {
            format!("{} {arrow} {}.", literal(r, rule.head), body.join(", "))
        };
        let o = &r.grounded.origins[i];
        GroundRule {
            rule: span_ref(sources, o.span, o.label.clone()),
            kind: match rule.kind {
                Kind::Strict => "strict",
                Kind::Defeasible => "defeasible",
                Kind::Defeater => "defeater",
            },
            instance,
            applicable: applicable(i),
            fails_at: rule.body.iter().find(|&&b| !plus(b)).map(|&b| {
                let why = if c.not_defeasibly[b as usize] {
                    "not defeasibly provable (-d)"
                } else {
                    "undecided"
                };
                format!("{} ({why})", literal(r, b))
            }),
            beaten_by,
            beats: None,
        }
    };
    let for_l: Vec<usize> = (0..t.rules.len())
        .filter(|&i| t.rules[i].head == l)
        .collect();
    let against: Vec<usize> = (0..t.rules.len())
        .filter(|&i| t.rules[i].head == complement(l))
        .collect();
    let winners: Vec<usize> = for_l
        .iter()
        .copied()
        .filter(|&i| applicable(i) && t.rules[i].kind != Kind::Defeater)
        .collect();
    let mut missing = Vec::new();
    let rules_against = against
        .iter()
        .map(|&s| {
            let beaten = for_l
                .iter()
                .find(|&&w| applicable(w) && t.superiority.contains(&(w, s)))
                .map(|&w| format!("{} > {}", name_of(w), name_of(s)));
            let beats = winners
                .iter()
                .find(|&&w| t.superiority.contains(&(s, w)))
                .map(|&w| format!("{} > {}", name_of(s), name_of(w)));
            if beaten.is_none() && beats.is_none() && applicable(s) {
                for &w in &winners {
                    missing.push(format!("{} > {}", name_of(w), name_of(s)));
                }
            }
            GroundRule {
                beats,
                ..ground(s, beaten)
            }
        })
        .collect();
    let rules_for = for_l.iter().map(|&i| ground(i, None)).collect();
    let holds = c.defeasibly[l as usize];
    let is_fact = t.facts.contains(&l);
    let mut premises = Vec::new();
    if holds
        && !is_fact
        && depth < DEPTH
        && let Some(&w) = winners.first()
    {
        for &b in &t.rules[w].body {
            if !seen.contains(&b) {
                premises.push(explain(r, sources, b, depth + 1, seen));
            }
        }
    }
    Verdict {
        literal: literal(r, l),
        definitely: c.definitely[l as usize],
        defeasibly: holds,
        not_defeasibly: c.not_defeasibly[l as usize],
        fact: is_fact,
        known: true,
        rules_for,
        rules_against,
        missing_superiority: if holds { Vec::new() } else { missing },
        premises,
    }
}
