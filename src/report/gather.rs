//! Collects a [`Brief`]: one what-if run (baseline and scenario, for the changes and the
//! expectations), the scenario's model (for the summaries, the hollow, circular and conflicting
//! commitments), and the obligation graph drawn by [`crate::export`].

use super::{Attacked, Brief, Cap, Change, DutyGroup, Expectation, Hollow, Plain, SHOWN, meaning};
use crate::diag::Diagnostic;
use crate::driver::{Loaded, Model};
use crate::eval::Limits;
use crate::explain::matcher::Facts;
use crate::explain::summary::{DutySummary, summarize};
use crate::explain::{Goal, show_tuple};
use crate::export::{add_chains, build_graph, to_svg};
use crate::scenario::Scenario;
use crate::value::{Const, Date};
use crate::workspace::{Workspace, run_whatif};
use std::collections::{BTreeMap, BTreeSet};

/// The conclusions whose changes a brief lists, most important first.
const CONCLUSIONS: [&str; 7] = [
    "unprotected",
    "defended",
    "strongest",
    "obliged",
    "hollow",
    "circular",
    "conflict",
];

/// Builds the brief for `scenario` (its statements, retractions and expectations) as of `as_of`.
pub fn gather(
    world: &Workspace,
    scenario: &Scenario,
    title: &str,
    as_of: Date,
    limits: &Limits,
) -> Result<Brief, Vec<Diagnostic>> {
    let outcome = run_whatif(world, scenario, as_of, limits)?;
    let built = world.build(&[scenario], &[], as_of)?;
    let evaluated = world.evaluate(&built, limits)?;
    let model = evaluated
        .model_within(|_| true, limits)
        .map_err(|d| vec![d])?;
    let loaded = Loaded {
        sources: world.sources.clone(),
        program: built.program,
        analysis: built.analysis,
        diagnostics: Vec::new(),
    };
    let facts = Facts::new(&model, limits);
    let show = |rel: &str, rows: &[Vec<Const>]| -> Vec<String> {
        rows.iter().map(|r| show_tuple(rel, r)).collect()
    };
    let mut assumed = Vec::new();
    let mut retracted = Vec::new();
    for d in &outcome.diff.input {
        assumed.extend(show(&d.relation, &d.added));
        retracted.extend(show(&d.relation, &d.removed));
    }
    let victims = rows(&model, "victim");
    let states: BTreeSet<Const> = victims.iter().map(|r| r[0].clone()).collect();
    let mut attacked = Vec::new();
    for v in &states {
        attacked.push(attacked_state(&loaded, &facts, &model, v)?);
    }
    let changes = outcome
        .diff
        .derived
        .iter()
        .filter(|d| CONCLUSIONS.contains(&d.relation.as_str()))
        .map(|d| Change {
            relation: d.relation.clone(),
            added: show(&d.relation, &d.added[..d.added.len().min(SHOWN)]),
            removed: show(&d.relation, &d.removed[..d.removed.len().min(SHOWN)]),
            added_count: d.added.len(),
            removed_count: d.removed.len(),
        })
        .collect();
    let mut graph = build_graph(&model, as_of, title);
    add_chains(&mut graph, world, &[scenario], &model, as_of, limits)?;
    Ok(Brief {
        title: title.to_string(),
        as_of: as_of.to_string(),
        assumed,
        retracted,
        hollow: hollow(&facts, &model, &states),
        circular: circular(&facts, &model, &states),
        conflicts: rows(&model, "conflict")
            .iter()
            .map(|r| Plain {
                fact: show_tuple("conflict", r),
                meaning: meaning(&r[3].to_plain()),
            })
            .collect(),
        attacked,
        changes,
        expectations: outcome.checked.iter().map(Expectation::from).collect(),
        svg: to_svg(&graph),
    })
}

fn rows<'m>(model: &'m Model, rel: &str) -> &'m [Vec<Const>] {
    model.relations.get(rel).map(Vec::as_slice).unwrap_or(&[])
}

fn rank(facts: &Facts, level: &str) -> i64 {
    facts
        .matching("level_rank", &[Some(Const::Str(level.into())), None])
        .first()
        .and_then(|r| match r.get(1) {
            Some(Const::Int(n)) => Some(*n),
            _ => None,
        })
        .unwrap_or(i64::MAX)
}

/// The section of one attacked state: its attackers, and every duty toward it, grouped.
fn attacked_state(
    loaded: &Loaded,
    facts: &Facts,
    model: &Model,
    v: &Const,
) -> Result<Attacked, Vec<Diagnostic>> {
    let by = rows(model, "victim")
        .iter()
        .filter(|r| &r[0] == v)
        .map(|r| {
            let since = facts
                .matching("opened_fire", &[Some(r[1].clone()), Some(v.clone()), None])
                .first()
                .map(|f| f[2].to_plain())
                .unwrap_or_default();
            (r[1].to_plain(), since)
        })
        .collect();
    let mut groups: Vec<DutyGroup> = Vec::new();
    for row in rows(model, "obliged").iter().filter(|r| &r[1] == v) {
        let goal = Goal {
            pred: "obliged".into(),
            neg: false,
            tuple: row.clone(),
        };
        let summary = summarize(loaded, facts, &goal).map_err(|s| vec![s.diagnostic()])?;
        for d in summary.into_iter().flat_map(|s| s.duties) {
            add_to_group(&mut groups, d);
        }
    }
    groups.sort_by(|a, b| {
        rank(facts, &a.level)
            .cmp(&rank(facts, &b.level))
            .then_with(|| b.states.len().cmp(&a.states.len()))
            .then_with(|| a.instrument.cmp(&b.instrument))
    });
    Ok(Attacked {
        state: v.to_plain(),
        by,
        unprotected: rows(model, "unprotected").iter().any(|r| &r[0] == v),
        duties: groups,
    })
}

/// Adds one state's duty to the group with the same instrument, clause, action, level and caps.
fn add_to_group(groups: &mut Vec<DutyGroup>, d: DutySummary) {
    let caps: Vec<Cap> = d
        .caps
        .iter()
        .flat_map(|c| {
            c.because.iter().map(|r| Cap {
                facts: vec![r.fact.clone()],
                level: c.level.clone(),
                sets_level: c.sets_level,
                citation: r.citation.clone(),
            })
        })
        .collect();
    let clause_id = d.clause.as_ref().and_then(|c| c.clause.clone());
    let same = groups.iter_mut().find(|g| {
        g.instrument == d.instrument
            && g.action == d.action
            && g.level == d.level
            && g.clause.as_ref().and_then(|c| c.clause.clone()) == clause_id
            && g.caps.len() == caps.len()
            && g.caps.iter().zip(&caps).all(|(a, b)| same_cap(a, b))
    });
    match same {
        Some(g) => {
            if !g.states.contains(&d.obligor) {
                g.states.push(d.obligor);
            }
            for (a, b) in g.caps.iter_mut().zip(caps) {
                for f in b.facts {
                    if !a.facts.contains(&f) {
                        a.facts.push(f);
                    }
                }
            }
        }
        None => groups.push(DutyGroup {
            states: vec![d.obligor],
            title: d.title.clone().unwrap_or_else(|| d.instrument.clone()),
            action: d.action,
            instrument: d.instrument,
            level: d.level,
            base_level: d.base_level,
            clause: d.clause,
            caps,
        }),
    }
}

/// Two caps with the same effect and ground: the same level, role and cited clause, from
/// facts of the same relation (so `neutral(austria, ...)` and `neutral(ireland, ...)` agree).
fn same_cap(a: &Cap, b: &Cap) -> bool {
    let rel = |c: &Cap| {
        c.facts
            .first()
            .and_then(|f| f.split('(').next().map(str::to_string))
    };
    a.level == b.level
        && a.sets_level == b.sets_level
        && a.citation == b.citation
        && rel(a) == rel(b)
}

/// Whether `i` has a duty whose beneficiary role one of `states` holds on the date.
fn owed_to(facts: &Facts, i: &Const, states: &BTreeSet<Const>) -> bool {
    let duties = facts.matching(
        "duty",
        &[Some(i.clone()), None, None, None, None, None, None],
    );
    duties.iter().any(|d| {
        states
            .iter()
            .any(|v| facts.holds("listed_party", &[i.clone(), v.clone(), d[3].clone()]))
    })
}

fn title(facts: &Facts, i: &Const) -> String {
    facts
        .matching("instrument", &[Some(i.clone()), None])
        .first()
        .map(|r| r[1].to_plain())
        .unwrap_or_else(|| i.to_plain())
}

/// Hollow commitments under instruments that owe a duty to an attacked state, by instrument
/// and reason.
fn hollow(facts: &Facts, model: &Model, states: &BTreeSet<Const>) -> Vec<Hollow> {
    let mut by: BTreeMap<(Const, Const), Vec<String>> = BTreeMap::new();
    for r in rows(model, "hollow") {
        if !states.contains(&r[1]) && owed_to(facts, &r[0], states) {
            by.entry((r[0].clone(), r[2].clone()))
                .or_default()
                .push(r[1].to_plain());
        }
    }
    by.into_iter()
        .map(|((i, reason), states)| Hollow {
            title: title(facts, &i),
            instrument: i.to_plain(),
            meaning: meaning(&reason.to_plain()),
            reason: reason.to_plain(),
            states,
        })
        .collect()
}

/// Circular instruments that owe a duty to an attacked state.
fn circular(facts: &Facts, model: &Model, states: &BTreeSet<Const>) -> Vec<Plain> {
    rows(model, "circular")
        .iter()
        .filter(|r| owed_to(facts, &r[0], states))
        .map(|r| Plain {
            fact: format!("{}: {}", title(facts, &r[0]), r[1].to_plain()),
            meaning: meaning(&r[1].to_plain()),
        })
        .collect()
}
