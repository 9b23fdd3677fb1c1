//! Why an obligation is not there at all, in the domain's words: the instrument not in force on
//! the date, a state not a party then, no aggression on record, the attack outside the clause's
//! scope, a missing request or ceasefire, an adversary the clause does not name, the obligor
//! itself at war with the beneficiary. Each reason is read from the model of the knowledge
//! base's rules (docs/SCHEMA.md), in the order the rules check them, so the first reason given
//! for a clause is the one that stopped it.

use super::matcher::Facts;
use crate::value::Const;

/// The reasons `S` is not obliged to take `action` (any, if `None`) for `V` under `I`.
pub fn reasons(
    facts: &Facts,
    s: &Const,
    v: &Const,
    action: Option<&Const>,
    i: &Const,
) -> Vec<String> {
    let ip = i.to_plain();
    let date = facts
        .matching("asof", &[None])
        .first()
        .map(|r| r[0].to_plain())
        .unwrap_or_default();
    let has = |rel: &str, pattern: &[Option<Const>]| !facts.matching(rel, pattern).is_empty();
    let some = |c: &Const| Some(c.clone());
    if !has("instrument", &[some(i), None])
        && !has("duty", &[some(i), None, None, None, None, None, None])
    {
        return vec![format!("the knowledge base has no instrument `{ip}`")];
    }
    if !has("active", &[some(i)]) {
        return vec![not_active(facts, i, &date)];
    }
    let duties: Vec<Vec<Const>> = facts
        .matching(
            "duty",
            &[some(i), None, None, None, None, action.cloned(), None],
        )
        .into_iter()
        .map(<[Const]>::to_vec)
        .collect();
    if duties.is_empty() {
        let what = action.map_or("duty".to_string(), |a| format!("duty to {}", a.to_plain()));
        return vec![format!("{ip} imposes no {what}")];
    }
    let victims: Vec<Vec<Const>> = facts
        .matching("victim", &[some(v), None])
        .into_iter()
        .map(<[Const]>::to_vec)
        .collect();
    let mut out = Vec::new();
    for d in &duties {
        let (c, orole, brole) = (&d[1], &d[2], &d[3]);
        let cp = c.to_plain();
        let reason = if !has("active_party", &[some(i), some(s), some(orole)]) {
            party_reason(facts, i, s, orole, &date)
        } else if !has("active_party", &[some(i), some(v), some(brole)]) {
            party_reason(facts, i, v, brole, &date)
        } else if has(
            "caveat",
            &[some(i), some(c), Some(Const::Str("right_not_duty".into()))],
        ) {
            format!("{ip} {cp} reserves a right to act (see entitled/4); it imposes no duty")
        } else if victims.is_empty() {
            no_victim(facts, v, &date)
        } else {
            clause_reason(facts, (s, v, i, c, d), &victims)
        };
        let line = format!("{ip} {cp}: {reason}");
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// Why the instrument is not in force on the date.
fn not_active(facts: &Facts, i: &Const, date: &str) -> String {
    let ip = i.to_plain();
    let form = Some(Const::Str("proposed".into()));
    if !facts.matching("form", &[Some(i.clone()), form]).is_empty() {
        return format!("{ip} is a draft or plan (form `proposed`): no one is bound by it");
    }
    if facts.holds("lapsed", std::slice::from_ref(i)) {
        return format!("{ip} has lapsed (it ends when a party joins another instrument)");
    }
    match facts
        .matching("in_force", &[Some(i.clone()), None, None])
        .first()
    {
        Some(w) => format!(
            "{ip} is in force from {} to {}, not on {date}",
            w[1].to_plain(),
            w[2].to_plain()
        ),
        None => format!("{ip} has never been in force"),
    }
}

/// Why `who` does not hold `role` under `i` on the date.
fn party_reason(facts: &Facts, i: &Const, who: &Const, role: &Const, date: &str) -> String {
    let (ip, wp, rp) = (i.to_plain(), who.to_plain(), role.to_plain());
    if facts.holds("suspended_now", &[i.clone(), who.clone()]) {
        return format!("{wp}'s participation in {ip} is suspended on {date}");
    }
    let windows = facts.matching(
        "party",
        &[
            Some(i.clone()),
            Some(who.clone()),
            Some(role.clone()),
            None,
            None,
        ],
    );
    match windows.first() {
        Some(w) => format!(
            "{wp} is a {rp} of {ip} from {} to {}, not on {date}",
            w[3].to_plain(),
            w[4].to_plain()
        ),
        None => format!("{wp} is not a {rp} of {ip}"),
    }
}

/// Why no aggression against `v` is on record.
fn no_victim(facts: &Facts, v: &Const, date: &str) -> String {
    let vp = v.to_plain();
    let force = facts.matching("force_used", &[None, Some(v.clone()), None]);
    if let Some(f) = force.first() {
        let a = &f[0];
        if facts.holds("self_defence", &[a.clone(), v.clone()]) {
            return format!(
                "{} used force against {vp} in self-defence (UN Charter Art 51): {vp} is not a \
                 victim of aggression",
                a.to_plain()
            );
        }
    }
    if let Some(d) = facts
        .matching("disputed_attack", &[None, Some(v.clone())])
        .first()
    {
        return format!(
            "the only attack on {vp} on record, by {}, is disputed (alleged_attack): not an armed \
             attack",
            d[0].to_plain()
        );
    }
    format!("no aggression against {vp} is on record up to {date} (add an attack/3 event)")
}

/// Why a clause that binds both states is not triggered for `v`.
fn clause_reason(
    facts: &Facts,
    (s, v, i, c, duty): (&Const, &Const, &Const, &Const, &[Const]),
    victims: &[Vec<Const>],
) -> String {
    let some = |x: &Const| Some(x.clone());
    let (sp, vp) = (s.to_plain(), v.to_plain());
    let mut first = None;
    for row in victims {
        let a = &row[1];
        let ap = a.to_plain();
        let reason = if a == s {
            format!("{sp} is the attacker")
        } else if !facts.holds("reaches", &[i.clone(), c.clone(), a.clone(), v.clone()]) {
            let list = |areas: Vec<String>| {
                if areas.is_empty() {
                    "no area in effect".to_string()
                } else {
                    areas.join(", ")
                }
            };
            // An attack on forces abroad is judged by the clause's scope for forces (NATO Art 6:
            // the territories, the 1949 occupation areas, the Mediterranean, the North Atlantic).
            let on_forces = facts.matching("forces_attack", &[some(a), some(v), None]);
            let on_territory = !facts
                .matching("attacked_in", &[some(a), some(v), None])
                .is_empty();
            match on_forces.first() {
                Some(row) if !on_territory => format!(
                    "the attack by {ap} on {vp}'s forces in {} is outside the clause's scope for forces: neither a party's covered territory nor {}",
                    row[2].to_plain(),
                    match third_column(facts, "forces_scope_now", i, c) {
                        areas if areas.is_empty() => "another area".to_string(),
                        areas => format!("one of {}", areas.join(", ")),
                    }
                ),
                _ => format!(
                    "the attack by {ap} on {vp} is outside the clause's scope ({})",
                    list(third_column(facts, "scope_now", i, c))
                ),
            }
        } else if !facts.holds("event_meets", &[i.clone(), c.clone(), a.clone(), v.clone()]) {
            match duty[4].to_plain().as_str() {
                "nuclear_aggression" => {
                    format!("the clause needs nuclear use by {ap}; none is on record")
                }
                "renewed_attack" => format!(
                    "the clause needs a renewed attack after a ceasefire between {ap} and {vp} made on or after the instrument's date; none is on record"
                ),
                t => format!("the event does not meet the clause's trigger ({t})"),
            }
        } else if facts.holds("blocked", &[i.clone(), c.clone(), a.clone(), v.clone()]) {
            if !facts.holds("ceasefire_since", &[i.clone(), a.clone(), v.clone()])
                && !facts
                    .matching(
                        "caveat_applies",
                        &[some(i), some(c), Some(Const::Str("after_ceasefire".into()))],
                    )
                    .is_empty()
            {
                format!(
                    "the clause activates only once a ceasefire between {ap} and {vp} is in force (made on or after the instrument's date)"
                )
            } else {
                format!("{vp} has not requested assistance under {}", i.to_plain())
            }
        } else if facts.holds("other_adversary", &[i.clone(), c.clone(), a.clone()]) {
            let named = third_column(facts, "adversary", i, c);
            format!(
                "the clause answers only an attack by {}, not by {ap}",
                named.join(" or ")
            )
        } else if facts.holds("at_war_with", &[s.clone(), v.clone()]) {
            format!("{sp} is itself using force against {vp}")
        } else if facts.holds("suspended_toward_now", &[i.clone(), s.clone(), v.clone()]) {
            format!(
                "{sp}'s obligations toward {vp} under {} are suspended",
                i.to_plain()
            )
        } else {
            continue;
        };
        first.get_or_insert(reason);
    }
    first.unwrap_or_else(|| "it holds at another level or for another action".to_string())
}

/// The third column of a clause-keyed relation (`scope_now`, `adversary`) for clause `c` of `i`.
fn third_column(facts: &Facts, rel: &str, i: &Const, c: &Const) -> Vec<String> {
    facts
        .matching(rel, &[Some(i.clone()), Some(c.clone()), None])
        .iter()
        .map(|r| r[2].to_plain())
        .collect()
}
