//! The answer an analyst asks for, before any proof tree: for an `obliged/5` or `strongest/3`
//! fact, who must do what for whom, under which instrument and clause, triggered by which
//! event, at which level — and every cap that holds the level down, each with its clause's own
//! words. For such a fact that fails only on the level, the same summary says what the duty is
//! and which caps keep it below the level asked.
//!
//! This is presentation for the knowledge base's query vocabulary (docs/SCHEMA.md, SPEC §4): it
//! reads the relations the bundled rules derive (`triggered/4`, `duty/7`, `capped_by/4`,
//! `state_capped_by/5`, `level_rank/2`, `opened_fire/3`) by name. Over a program without them it
//! finds nothing and says nothing; the proof tree and the generic why-not remain.
//!
//! The reasons for a cap are not restated here: each is the set of input facts under the cap's
//! own proof ([`why`]), so what the summary quotes is exactly what the rules used.

use super::matcher::{Facts, Stop};
use super::untriggered;
use super::why::{citation, why};
use super::{Citation, Goal, Proof, Step};
use crate::driver::Loaded;
use crate::value::Const;
use serde::Serialize;

/// The plain-language answer about one `obliged`/`strongest` fact.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// One sentence: the answer to the question asked.
    pub answer: String,
    /// The duties behind it (for `strongest`, those at the strongest level).
    pub duties: Vec<DutySummary>,
    /// When no such duty exists at any level: why not, clause by clause, in the domain's words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<String>,
}

/// One obligation: who, what, for whom, under what, triggered by what, at which level, why.
#[derive(Debug, Serialize)]
pub struct DutySummary {
    /// The obliged state.
    pub obligor: String,
    /// The state it must act for.
    pub beneficiary: String,
    /// What it must do (`assist`, `consult`, ...).
    pub action: String,
    /// The instrument's id.
    pub instrument: String,
    /// Its title, if the knowledge base has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The clause that imposes the duty, with its text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<Citation>,
    /// The level the duty holds at.
    pub level: String,
    /// The clause's level before caveats.
    pub base_level: String,
    /// The events that trigger it.
    pub triggers: Vec<TriggerSummary>,
    /// Every cap on the level, weakest first.
    pub caps: Vec<CapSummary>,
}

/// An event that triggers a clause.
#[derive(Debug, Serialize)]
pub struct TriggerSummary {
    /// What the clause answers (`armed_attack`, `aggression`, `renewed_attack`, ...).
    pub kind: String,
    /// The attacker.
    pub attacker: String,
    /// The day the attacker first used force against the beneficiary (this episode).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
}

/// A cap on a duty's level and the facts that impose it.
#[derive(Debug, Serialize)]
pub struct CapSummary {
    /// The level the cap allows at most.
    pub level: String,
    /// Whether this cap sets the duty's level (no cap is weaker).
    pub sets_level: bool,
    /// The input facts behind it (a caveat, a route, the instrument's form, neutrality), each
    /// with the clause it cites.
    pub because: Vec<Reason>,
}

/// An input fact behind a cap.
#[derive(Debug, Serialize)]
pub struct Reason {
    /// The fact, e.g. `caveat(north_atlantic_treaty, art5, deems_necessary)`.
    pub fact: String,
    /// The instrument and clause text it cites.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// For `caveat(I, C, K)`: the clause whose words ground the caveat, when the knowledge base
/// names one with `caveat_basis(I, C, K, Basis)` (NATO Art 11's "constitutional processes"
/// qualifies Art 5). The caveat is read back from the model, not parsed from its text.
fn basis(facts: &Facts, fact: &str) -> Option<Citation> {
    if !fact.starts_with("caveat(") {
        return None;
    }
    let caveat = facts
        .matching("caveat", &[None, None, None])
        .into_iter()
        .find(|r| super::show_tuple("caveat", r) == fact)?;
    let row = facts
        .matching(
            "caveat_basis",
            &[
                Some(caveat[0].clone()),
                Some(caveat[1].clone()),
                Some(caveat[2].clone()),
                None,
            ],
        )
        .into_iter()
        .next()?;
    citation(facts, "caveat_basis", &[row[0].clone(), row[3].clone()])
}

/// Relations whose facts are context rather than reasons in a cap's proof.
const CONTEXT: [&str; 5] = ["asof", "level_rank", "party", "duty", "in_force"];

/// Summarizes `goal` if it is an `obliged/5` or `strongest/3` fact of the knowledge base's
/// vocabulary. When it holds: its duties. When it fails but the same duty holds at another
/// level: that duty, and the answer says why not at the level asked. Otherwise `None`.
pub fn summarize(loaded: &Loaded, facts: &Facts, goal: &Goal) -> Result<Option<Summary>, Stop> {
    let t = &goal.tuple;
    let holds = facts.holds(&goal.pred, t);
    let asked = match (goal.pred.as_str(), t.len()) {
        ("obliged", 5) => &t[4],
        ("strongest", 3) => &t[2],
        _ => return Ok(None),
    };
    // The obligations the question is about, at whatever level they hold.
    let pattern: Vec<Option<Const>> = if goal.pred == "obliged" {
        vec![
            Some(t[0].clone()),
            Some(t[1].clone()),
            Some(t[2].clone()),
            Some(t[3].clone()),
            None,
        ]
    } else {
        vec![Some(t[0].clone()), Some(t[1].clone()), None, None, None]
    };
    let rows: Vec<Vec<Const>> = facts
        .matching("obliged", &pattern)
        .into_iter()
        .map(<[Const]>::to_vec)
        .collect();
    if rows.is_empty() {
        return Ok(not_obliged(facts, goal));
    }
    let rank = |l: &Const| rank_of(facts, l);
    let best = rows.iter().filter_map(|r| rank(&r[4])).min();
    // For `strongest`, the duties at the strongest level; for `obliged`, the one asked.
    let chosen: Vec<&Vec<Const>> = rows
        .iter()
        .filter(|r| goal.pred == "obliged" || rank(&r[4]) == best)
        .collect();
    let mut duties = Vec::new();
    for row in chosen {
        duties.extend(duty_summaries(loaded, facts, row)?);
    }
    let (s, v) = (t[0].to_plain(), t[1].to_plain());
    let held = duties.first().map(|d| d.level.clone()).unwrap_or_default();
    let answer = if holds {
        match goal.pred.as_str() {
            "obliged" => format!(
                "Yes: {s} must {} {v} under {}, at the {held} level.",
                t[2].to_plain(),
                title_or_id(duties.first())
            ),
            _ => format!("Yes: the strongest duty {s} owes {v} is {held}."),
        }
    } else {
        let asked = asked.to_plain();
        let weaker = rank(&Const::Str(asked.clone().into())) < best;
        let base_is_held = duties.first().is_some_and(|d| d.base_level == d.level);
        let why = match (weaker, base_is_held) {
            (true, true) => format!(
                "the clause itself obliges no more than {held}, and the caveats below hold it there"
            ),
            (true, false) => format!("the caveats below hold it at {held}, short of {asked}"),
            (false, _) => format!("it is owed at {held}, more than {asked}"),
        };
        format!("No: {s} owes {v} this duty at the {held} level, not {asked}: {why}.")
    };
    Ok(Some(Summary {
        answer,
        duties,
        missing: Vec::new(),
    }))
}

/// No duty at any level: the reasons, for the instrument asked or for every instrument that
/// binds both states.
fn not_obliged(facts: &Facts, goal: &Goal) -> Option<Summary> {
    let t = &goal.tuple;
    let (s, v) = (&t[0], &t[1]);
    let (sp, vp) = (s.to_plain(), v.to_plain());
    let unknown: Vec<String> = [s, v]
        .into_iter()
        .filter_map(|x| unknown_state(facts, x))
        .collect();
    if !unknown.is_empty() {
        return Some(Summary {
            answer: "No: the question names a state the knowledge base does not know:".to_string(),
            duties: Vec::new(),
            missing: unknown,
        });
    }
    let (answer, missing) = if goal.pred == "obliged" {
        let answer = format!(
            "No: {sp} is not obliged to {} {vp} under {}, at any level:",
            t[2].to_plain(),
            t[3].to_plain()
        );
        (
            answer,
            untriggered::reasons(facts, s, v, Some(&t[2]), &t[3]),
        )
    } else {
        let mut shared: Vec<Const> = facts
            .matching("listed_party", &[None, Some(s.clone()), None])
            .into_iter()
            .map(|r| r[0].clone())
            .filter(|i| {
                !facts
                    .matching("listed_party", &[Some(i.clone()), Some(v.clone()), None])
                    .is_empty()
                    && !facts
                        .matching(
                            "duty",
                            &[Some(i.clone()), None, None, None, None, None, None],
                        )
                        .is_empty()
            })
            .collect();
        shared.sort();
        shared.dedup();
        let answer = format!("No: {sp} owes {vp} no duty at any level:");
        let mut missing: Vec<String> = shared
            .iter()
            .flat_map(|i| untriggered::reasons(facts, s, v, None, i))
            .collect();
        if missing.is_empty() {
            missing.push(format!(
                "no instrument with a duty binds both {sp} and {vp} on this date"
            ));
        }
        (answer, missing)
    };
    Some(Summary {
        answer,
        duties: Vec::new(),
        missing,
    })
}

fn title_or_id(d: Option<&DutySummary>) -> String {
    match d {
        Some(d) => d.title.clone().unwrap_or_else(|| d.instrument.clone()),
        None => String::new(),
    }
}

fn rank_of(facts: &Facts, level: &Const) -> Option<i64> {
    facts
        .matching("level_rank", &[Some(level.clone()), None])
        .first()
        .and_then(|r| match r.get(1) {
            Some(Const::Int(n)) => Some(*n),
            _ => None,
        })
}

/// The duties behind one `obliged(S, V, Action, I, Level)` row: one per triggered clause.
fn duty_summaries(loaded: &Loaded, facts: &Facts, row: &[Const]) -> Result<Vec<DutySummary>, Stop> {
    let (s, v, action, i, level) = (&row[0], &row[1], &row[2], &row[3], &row[4]);
    let level_rank = rank_of(facts, level);
    let mut out = Vec::new();
    let duties = facts.matching(
        "duty",
        &[
            Some(i.clone()),
            None,
            None,
            None,
            None,
            Some(action.clone()),
            None,
        ],
    );
    let mut seen_clauses = Vec::new();
    for d in duties {
        let clause = &d[1];
        if seen_clauses.contains(clause) {
            continue;
        }
        let triggered = facts.matching(
            "triggered",
            &[Some(i.clone()), Some(clause.clone()), None, Some(v.clone())],
        );
        if triggered.is_empty() {
            continue;
        }
        seen_clauses.push(clause.clone());
        let triggers = triggered
            .iter()
            .map(|tr| TriggerSummary {
                kind: d[4].to_plain(),
                attacker: tr[2].to_plain(),
                since: facts
                    .matching("opened_fire", &[Some(tr[2].clone()), Some(v.clone()), None])
                    .first()
                    .map(|r| r[2].to_plain()),
            })
            .collect();
        let mut caps = Vec::new();
        let cap_rows: Vec<(String, Vec<Const>)> = facts
            .matching(
                "capped_by",
                &[Some(i.clone()), Some(clause.clone()), None, None],
            )
            .into_iter()
            .map(|r| ("capped_by".to_string(), r.to_vec()))
            .chain(
                facts
                    .matching(
                        "state_capped_by",
                        &[
                            Some(i.clone()),
                            Some(clause.clone()),
                            Some(s.clone()),
                            None,
                            None,
                        ],
                    )
                    .into_iter()
                    .map(|r| ("state_capped_by".to_string(), r.to_vec())),
            )
            .collect();
        for (rel, cap) in cap_rows {
            let cap_level = cap.last().cloned().unwrap_or(Const::Int(0));
            let goal = Goal {
                pred: rel,
                neg: false,
                tuple: cap,
            };
            let because = match why(loaded, facts, &goal, None)? {
                Some(proof) => reasons(facts, &proof),
                None => Vec::new(),
            };
            caps.push(CapSummary {
                sets_level: rank_of(facts, &cap_level) == level_rank,
                level: cap_level.to_plain(),
                because,
            });
        }
        caps.sort_by_key(|c| {
            std::cmp::Reverse(rank_of(facts, &Const::Str(c.level.clone().into())))
        });
        let cited = citation(facts, "duty", d);
        out.push(DutySummary {
            obligor: s.to_plain(),
            beneficiary: v.to_plain(),
            action: action.to_plain(),
            instrument: i.to_plain(),
            title: cited.as_ref().and_then(|c| c.title.clone()),
            clause: cited,
            level: level.to_plain(),
            base_level: d[6].to_plain(),
            triggers,
            caps,
        });
    }
    Ok(out)
}

/// The input facts under a proof, except context (the date, the ladder, parties, the duty).
fn reasons(facts: &Facts, proof: &Proof) -> Vec<Reason> {
    let mut out: Vec<Reason> = Vec::new();
    let mut stack = vec![proof];
    while let Some(p) = stack.pop() {
        match &p.step {
            Step::Fact {
                citation: cited, ..
            } => {
                let rel = p.fact.split('(').next().unwrap_or_default();
                if !CONTEXT.contains(&rel) && !out.iter().any(|r| r.fact == p.fact) {
                    out.push(Reason {
                        fact: p.fact.clone(),
                        citation: basis(facts, &p.fact).or_else(|| cited.clone()),
                    });
                }
            }
            Step::Rule { conditions, .. } => {
                for c in conditions.iter().rev() {
                    if let super::Condition::Proved { proof } = c {
                        stack.push(proof);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// A state that is a party to nothing in the knowledge base, with the nearest known name: a
/// misspelt state (`germny`) would otherwise read as "bound by nothing".
fn unknown_state(facts: &Facts, state: &Const) -> Option<String> {
    let parties = facts.matching("party", &[None, None, None, None, None]);
    if parties.iter().any(|r| &r[1] == state) {
        return None;
    }
    let known: std::collections::BTreeSet<String> =
        parties.iter().map(|r| r[1].to_plain()).collect();
    let name = state.to_plain();
    let hint = crate::diag::did_you_mean(&name, known.iter().map(String::as_str))
        .map(|n| format!(" (did you mean `{n}`?)"))
        .unwrap_or_default();
    Some(format!(
        "`{name}` is a party to no instrument of the knowledge base{hint}"
    ))
}
