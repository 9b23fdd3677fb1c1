//! The timeline: what each state would owe a beneficiary if it were attacked on a given day,
//! over a range of dates. No single date answers "when did Poland gain NATO's protection", so
//! this evaluates the knowledge base (with the scenarios) at every date the data mentions in
//! range — and the day after each, since `party` and `in_force` windows include their end day —
//! adding `attack(Attacker, Beneficiary, Date)` and asking `obliged` as of that date. The
//! evaluations are independent and run in parallel (rayon). Only the dates where some state's
//! strongest level or instruments change are kept.

use super::graph::level_ranks;
use crate::diag::Diagnostic;
use crate::driver::Model;
use crate::eval::Limits;
use crate::scenario::Scenario;
use crate::syntax::ast::{Rule, Statement};
use crate::syntax::span::Span;
use crate::value::{Const, Date};
use crate::workspace::Workspace;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Who attacks: the first attacker whose `until` is not before the date (a successor state
/// after its predecessor, e.g. `soviet_union` until 1991-12-25, then `russia`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attacker {
    /// The state.
    pub name: String,
    /// Last day it is the attacker (none: from then on).
    pub until: Option<Date>,
}

/// What to compute.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The attacked state.
    pub beneficiary: String,
    /// The attacker(s), in order of succession.
    pub attackers: Vec<Attacker>,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

impl Spec {
    /// The attacker on `d`.
    pub fn attacker_on(&self, d: Date) -> Option<&str> {
        self.attackers
            .iter()
            .find(|a| a.until.is_none_or(|u| d <= u))
            .map(|a| a.name.as_str())
    }
}

/// What one state owes on one date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Owed {
    /// The obligor.
    pub state: String,
    /// Its strongest level.
    pub level: String,
    /// The level's rank (1 = most automatic).
    pub rank: usize,
    /// The instruments that oblige it at that level, sorted.
    pub instruments: Vec<String>,
}

/// One change point.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Point {
    /// The date (as of which the attack is evaluated).
    pub date: String,
    /// The attacker on that date.
    pub attacker: String,
    /// Every state owing the beneficiary something, sorted by state.
    pub owed: Vec<Owed>,
}

/// The result.
#[derive(Clone, Debug, Serialize)]
pub struct Timeline {
    /// The attacked state.
    pub beneficiary: String,
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Level names by rank.
    pub levels: Vec<String>,
    /// How many dates were evaluated.
    pub evaluated: usize,
    /// The dates where something changes (the first date always).
    pub points: Vec<Point>,
    /// Short titles of the instruments named, for drawings.
    pub titles: BTreeMap<String, String>,
    /// Warnings about the names asked for (unknown to the knowledge base).
    #[serde(skip)]
    pub notes: Vec<String>,
}

/// Every date in `[from, to]` that a relation of `model` mentions, and the day after each
/// (still in range), plus `from`.
pub fn candidate_dates(model: &Model, from: Date, to: Date) -> Vec<Date> {
    let mut out = BTreeSet::from([from]);
    for t in model.relations.values().flatten() {
        for c in t {
            if let Const::Date(d) = c {
                for x in [*d, Date(d.0 + 1)] {
                    if from <= x && x <= to {
                        out.insert(x);
                    }
                }
            }
        }
    }
    out.into_iter().collect()
}

/// What each state owes `v` in `model`: the strongest level and the instruments behind it.
pub fn owed_in(model: &Model, v: &str) -> Vec<Owed> {
    let ranks = level_ranks(model);
    let rank_of = |l: &str| ranks.iter().find(|(_, n)| n == l).map(|(r, _)| *r);
    let mut best: BTreeMap<String, Owed> = BTreeMap::new();
    for t in model.relations.get("obliged").into_iter().flatten() {
        let [s, to, _, i, l] = &t[..] else { continue };
        if to.to_plain() != v {
            continue;
        }
        let (level, i) = (l.to_plain(), i.to_plain());
        let Some(rank) = rank_of(&level) else {
            continue;
        };
        let entry = best.entry(s.to_plain()).or_insert_with(|| Owed {
            state: s.to_plain(),
            level: level.clone(),
            rank,
            instruments: Vec::new(),
        });
        if rank < entry.rank {
            *entry = Owed {
                state: s.to_plain(),
                level,
                rank,
                instruments: vec![i],
            };
        } else if rank == entry.rank && !entry.instruments.contains(&i) {
            entry.instruments.push(i);
            entry.instruments.sort();
        }
    }
    best.into_values().collect()
}

/// A scenario holding only `attack(a, v, d)`.
fn attack(a: &str, v: &str, d: Date) -> Scenario {
    let fact = Rule::fact(
        "attack",
        vec![Const::Str(a.into()), Const::Str(v.into()), Const::Date(d)],
        Span::default(),
    );
    Scenario {
        statements: vec![Statement::Rule(fact)],
        ..Scenario::default()
    }
}

/// The relations a point of the timeline reads.
fn point_relation(name: &str) -> bool {
    matches!(name, "obliged" | "level_rank")
}

/// Computes the timeline. The knowledge base with `scenarios` and an attack on the last date
/// is built and evaluated once (the probe); every date is a variant of it — the as-of date and
/// the attack moved — evaluated on the probe's plan, only for the relations a point reads.
pub fn timeline(
    world: &Workspace,
    scenarios: &[&Scenario],
    spec: &Spec,
    limits: &Limits,
) -> Result<Timeline, Vec<Diagnostic>> {
    let last = spec.attacker_on(spec.to).unwrap_or_default();
    let probe_attack = attack(last, &spec.beneficiary, spec.to);
    let mut all: Vec<&Scenario> = scenarios.to_vec();
    all.push(&probe_attack);
    let prepared = world.prepare(&all, &[], spec.to, limits)?;
    let probe = prepared.evaluated().model();
    // Names the knowledge base never mentions (a misspelt state) would give an empty timeline
    // without a word: say so.
    let notes = (prepared.built().warnings.iter())
        .filter(|w| w.code == crate::diag::Code::UnknownConstant)
        .map(|w| w.message.clone())
        .collect();
    // The statements a date replaces: the probe's attack and its as-of fact (the last ones
    // of their kind: the probe's attack comes after the knowledge base and the scenarios).
    let moved = |name: &str| {
        let at = prepared.select(
            usize::MAX,
            |st| matches!(st, Statement::Rule(r) if r.is_fact() && r.head.pred.name == name),
        );
        at.last().copied()
    };
    let replaced: Vec<usize> = [moved("attack"), moved("asof")]
        .into_iter()
        .flatten()
        .collect();
    let dates: Vec<Date> = candidate_dates(&probe, spec.from, spec.to)
        .into_iter()
        .filter(|d| spec.attacker_on(*d).is_some())
        .collect();
    let results: Vec<Result<Point, Vec<Diagnostic>>> = dates
        .par_iter()
        .map(|&d| {
            let a = spec.attacker_on(d).unwrap_or_default();
            let added = [
                attack(a, &spec.beneficiary, d).statements.remove(0),
                Statement::Rule(Rule::fact("asof", vec![Const::Date(d)], Span::default())),
            ];
            let m = prepared.answers(&replaced, &added, point_relation, limits)?;
            Ok(Point {
                date: d.to_string(),
                attacker: a.to_string(),
                owed: owed_in(&m, &spec.beneficiary),
            })
        })
        .collect();
    let mut points: Vec<Point> = Vec::new();
    for r in results {
        let p = r?;
        let changed = points
            .last()
            .is_none_or(|q| q.owed != p.owed || q.attacker != p.attacker);
        if changed {
            points.push(p);
        }
    }
    let names = super::names::Names::from_model(&probe);
    let titles = points
        .iter()
        .flat_map(|p| p.owed.iter().flat_map(|o| o.instruments.iter()))
        .map(|i| (i.clone(), names.title(i)))
        .collect();
    Ok(Timeline {
        notes,
        titles,
        beneficiary: spec.beneficiary.clone(),
        from: spec.from.to_string(),
        to: spec.to.to_string(),
        levels: level_ranks(&probe).into_iter().map(|(_, n)| n).collect(),
        evaluated: dates.len(),
        points,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attacker_follows_succession() {
        let d = |s: &str| Date::parse_iso(s).unwrap();
        let spec = Spec {
            beneficiary: "poland".into(),
            attackers: vec![
                Attacker {
                    name: "soviet_union".into(),
                    until: Some(d("1991-12-25")),
                },
                Attacker {
                    name: "russia".into(),
                    until: None,
                },
            ],
            from: d("1955-01-01"),
            to: d("2026-01-01"),
        };
        assert_eq!(spec.attacker_on(d("1991-12-25")), Some("soviet_union"));
        assert_eq!(spec.attacker_on(d("1991-12-26")), Some("russia"));
    }

    #[test]
    fn change_points_of_a_small_world() {
        let world = Workspace::from_text(
            "kb.pacta",
            "level_rank(automatic, 1). level_rank(discretionary, 2).
             member(a, 2000-01-01). member(b, 2005-06-01).
             obliged(S, V, assist, t, automatic) :- attack(_, V, D), member(S, F), F <= D, S != V.",
        )
        .map_err(|e| e.diagnostics)
        .unwrap();
        let spec = Spec {
            beneficiary: "v".into(),
            attackers: vec![Attacker {
                name: "x".into(),
                until: None,
            }],
            from: Date::parse_iso("1999-01-01").unwrap(),
            to: Date::parse_iso("2010-01-01").unwrap(),
        };
        let t = timeline(&world, &[], &spec, &Limits::default()).unwrap();
        let dates: Vec<&str> = t.points.iter().map(|p| p.date.as_str()).collect();
        assert_eq!(dates, ["1999-01-01", "2000-01-01", "2005-06-01"]);
        assert_eq!(t.points[2].owed.len(), 2);
        assert_eq!(t.points[1].owed[0].instruments, ["t"]);
    }
}
