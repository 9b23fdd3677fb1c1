//! The seeds' claims, asserted through the query vocabulary on the bundled knowledge base and
//! the scenario files in `examples/` (issue 4). Each test names the claim it checks.

use assert_cmd::Command;
use serde_json::{Value, json};

/// Runs `pacta query --format json` from the repository root and returns the answers. A
/// scenario is `examples/NAME.pacta`, or a path when it contains a `/`.
fn query(scenario: Option<&str>, as_of: &str, goal: &str) -> Vec<Value> {
    let mut cmd = Command::cargo_bin("pacta").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["query", "--format", "json", "--as-of", as_of]);
    for s in scenario.into_iter().flat_map(|s| s.split(',')) {
        let path = if s.contains('/') {
            s.to_string()
        } else {
            format!("examples/{s}.pacta")
        };
        cmd.args(["--scenario", &path]);
    }
    let out = cmd.arg(goal).output().expect("runs");
    assert!(
        out.status.success(),
        "{goal}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("JSON answers");
    v.as_array().expect("an array").clone()
}

fn holds(scenario: Option<&str>, as_of: &str, goal: &str) -> bool {
    !query(scenario, as_of, goal).is_empty()
}

#[test]
fn in_2022_no_state_was_obliged_to_defend_ukraine() {
    let s = Some("invasion_2022");
    let defenders = query(
        s,
        "2022-03-01",
        "obliged(S, ukraine, A, I, L), level_rank(L, N), N <= 2",
    );
    assert!(defenders.is_empty(), "{defenders:?}");
    assert!(holds(s, "2022-03-01", "unprotected(ukraine, russia)"));
}

#[test]
fn the_budapest_guarantor_was_the_aggressor_and_the_remedy_ran_through_its_veto() {
    let s = Some("invasion_2022");
    assert!(holds(
        s,
        "2022-03-01",
        "hollow(budapest_memorandum, russia, guarantor_is_aggressor)"
    ));
    assert!(holds(
        s,
        "2022-03-01",
        "circular(budapest_memorandum, aggressor_holds_veto)"
    ));
    assert!(holds(
        s,
        "2022-03-01",
        "hollow(budapest_memorandum, united_states, enforcement_veto)"
    ));
    assert!(holds(
        s,
        "2022-03-01",
        "hollow(budapest_memorandum, united_kingdom, not_binding)"
    ));
    // Para 4 applies only where nuclear weapons are used: no Security Council referral was owed.
    assert!(!holds(
        s,
        "2022-03-01",
        "obliged(_, ukraine, seek_unsc_action, budapest_memorandum, _)"
    ));
    assert!(holds(
        s,
        "2022-03-01",
        "conflict(russia, budapest_memorandum, budapest_memorandum, breaks_own_promise)"
    ));
}

#[test]
fn article_5_is_discretionary_and_passes_through_constitutional_processes() {
    let s = Some("attack_on_poland_2026");
    let us = query(
        s,
        "2026-06-01",
        "obliged(united_states, poland, A, north_atlantic_treaty, L)",
    );
    assert_eq!(us, vec![json!({"A": "assist", "L": "discretionary"})]);
    assert!(holds(
        None,
        "2026-06-01",
        "caveat(north_atlantic_treaty, art5, constitutional_processes)"
    ));
    assert!(holds(
        None,
        "2026-06-01",
        "caveat(north_atlantic_treaty, art5, deems_necessary)"
    ));
    assert!(!holds(s, "2026-06-01", "unprotected(poland, russia)"));
}

#[test]
fn teu_42_7_is_automatic_but_spares_the_neutral_members() {
    let s = Some("attack_on_poland_2026");
    assert!(holds(
        s,
        "2026-06-01",
        "strongest(france, poland, automatic)"
    ));
    assert!(holds(
        s,
        "2026-06-01",
        "obliged(austria, poland, assist, treaty_on_european_union, discretionary)"
    ));
    assert!(holds(
        s,
        "2026-06-01",
        "obliged(ireland, poland, assist, treaty_on_european_union, discretionary)"
    ));
    // Not a NATO member: no Article 5 duty for Austria.
    assert!(!holds(
        s,
        "2026-06-01",
        "obliged(austria, poland, _, north_atlantic_treaty, _)"
    ));
}

#[test]
fn an_attack_on_a_reassurance_force_in_ukraine_does_not_trigger_article_5() {
    let s = Some("reassurance_force_attacked");
    assert!(query(s, "2027-01-01", "obliged(S, france, A, I, L)").is_empty());
    assert!(holds(s, "2027-01-01", "unprotected(france, russia)"));
}

#[test]
fn the_paris_declaration_activates_only_after_a_ceasefire_and_stays_declaratory() {
    let renewed = Some("renewed_attack_after_ceasefire");
    assert!(holds(
        renewed,
        "2027-01-01",
        "obliged(united_kingdom, ukraine, support, paris_declaration_2026, declaratory)"
    ));
    // The same attack without a ceasefire first does not activate it.
    assert!(!holds(
        Some("invasion_2022"),
        "2026-06-01",
        "obliged(_, ukraine, _, paris_declaration_2026, _)"
    ));
    // The US did not sign, and its backing was dropped.
    assert!(holds(
        None,
        "2026-06-01",
        "hollow(paris_declaration_2026, united_states, declared_unwilling)"
    ));
    assert!(holds(renewed, "2027-01-01", "unprotected(ukraine, russia)"));
}

#[test]
fn drafts_and_plans_are_not_in_force() {
    assert!(holds(
        None,
        "2026-06-01",
        "hollow(twenty_point_plan, united_states, not_in_force)"
    ));
    assert!(!holds(None, "2026-06-01", "active(twenty_point_plan)"));
}

#[test]
fn guarantees_for_both_sides_oblige_the_guarantors_toward_both_sides() {
    let s = Some("guarantees_for_russia");
    assert!(holds(
        s,
        "2027-06-01",
        "conflict(france, mutual_guarantees_hypothetical, mutual_guarantees_hypothetical, both_sides)"
    ));
}

#[test]
fn cyprus_1974_a_guarantor_turned_aggressor_with_only_a_right_to_act() {
    let s = Some("cyprus_1974");
    assert!(holds(
        s,
        "1974-08-01",
        "hollow(treaty_of_guarantee_1960, turkiye, guarantor_is_aggressor)"
    ));
    assert!(holds(
        s,
        "1974-08-01",
        "obliged(united_kingdom, cyprus, consult, treaty_of_guarantee_1960, consultative)"
    ));
    // Art IV reserves a right to act; it obliges no one to act.
    assert!(!holds(
        s,
        "1974-08-01",
        "obliged(_, cyprus, take_action, treaty_of_guarantee_1960, _)"
    ));
    assert!(holds(
        s,
        "1974-08-01",
        "entitled(united_kingdom, cyprus, take_action, treaty_of_guarantee_1960)"
    ));
}

#[test]
fn the_weu_was_the_automatic_guarantee() {
    let s = Some("weu_2000");
    assert!(holds(
        s,
        "2000-06-01",
        "obliged(france, germany, assist, modified_brussels_treaty, automatic)"
    ));
    // Gone after the WEU closed in 2011.
    assert!(!holds(
        s,
        "2012-01-01",
        "obliged(_, germany, _, modified_brussels_treaty, _)"
    ));
}

#[test]
fn as_of_1980_the_warsaw_treaty_bound_poland_and_nato_did_not() {
    let s = Some("warsaw_1980");
    assert!(holds(
        s,
        "1980-06-01",
        "obliged(soviet_union, poland, assist, warsaw_treaty, discretionary)"
    ));
    assert!(!holds(
        None,
        "1980-06-01",
        "active_party(north_atlantic_treaty, poland, member)"
    ));
    assert!(!holds(
        None,
        "1980-06-01",
        "active_party(north_atlantic_treaty, spain, member)"
    ));
    assert!(holds(
        None,
        "2026-06-01",
        "active_party(north_atlantic_treaty, sweden, member)"
    ));
    assert!(!holds(
        None,
        "2023-06-01",
        "active_party(north_atlantic_treaty, sweden, member)"
    ));
}

#[test]
fn every_clause_carries_text_fidelity_and_source() {
    let bad = query(
        None,
        "2026-06-01",
        "clause(I, C, T, F, S), not fidelity_known(F)",
    );
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn falklands_1982_nato_stops_at_the_tropic_of_cancer() {
    let s = Some("falklands_1982");
    assert!(!holds(
        s,
        "1982-06-01",
        "obliged(_, united_kingdom, _, north_atlantic_treaty, _)"
    ));
    // The British response was self-defence: Argentina was no victim of aggression, so the Rio
    // Treaty obliged no one toward it and the US was not caught between two treaties.
    assert!(holds(
        s,
        "1982-06-01",
        "self_defence(united_kingdom, argentina)"
    ));
    assert!(!holds(s, "1982-06-01", "obliged(_, argentina, _, _, _)"));
    assert!(!holds(s, "1982-06-01", "conflict(united_states, _, _, _)"));
    assert!(holds(
        s,
        "1982-06-01",
        "hollow(inter_american_treaty_of_reciprocal_assistance, united_states, declared_unwilling)"
    ));
    // Answering an attack is self-defence, not a broken promise.
    assert!(!holds(
        s,
        "1982-06-01",
        "conflict(united_kingdom, un_charter, un_charter, breaks_own_promise)"
    ));
}

#[test]
fn anzus_the_us_leg_toward_new_zealand_is_suspended_but_australias_is_not() {
    let s = Some("tests/kb/attack_on_new_zealand.pacta");
    assert!(holds(
        s,
        "2026-06-01",
        "obliged(australia, new_zealand, meet_common_danger, anzus_treaty, discretionary)"
    ));
    assert!(!holds(
        s,
        "2026-06-01",
        "obliged(united_states, new_zealand, _, anzus_treaty, _)"
    ));
    assert!(holds(s, "1980-06-01", "active(anzus_treaty)"));
}

#[test]
fn the_csto_request_condition_applies_from_the_2010_protocol() {
    let attack = "tests/kb/attack_on_kazakhstan.pacta";
    // 2005: no request needed yet.
    assert!(holds(
        Some(attack),
        "2005-02-01",
        "obliged(russia, kazakhstan, assist, collective_security_treaty, discretionary)"
    ));
    // 2020: Art 4 assistance is held back until Kazakhstan asks (Art 2 consultation is not).
    assert!(!holds(
        Some(attack),
        "2020-01-10",
        "obliged(russia, kazakhstan, assist, collective_security_treaty, _)"
    ));
    let asked = "tests/kb/attack_on_kazakhstan.pacta,tests/kb/kazakhstan_request.pacta";
    assert!(holds(
        Some(asked),
        "2020-02-01",
        "obliged(russia, kazakhstan, assist, collective_security_treaty, discretionary)"
    ));
}

#[test]
fn the_uk_agreement_lapses_when_ukraine_joins_nato() {
    assert!(holds(
        None,
        "2026-06-01",
        "active(uk_ukraine_agreement_2024)"
    ));
    let joins = Some("tests/kb/ukraine_joins_nato.pacta");
    assert!(!holds(
        joins,
        "2028-06-01",
        "active(uk_ukraine_agreement_2024)"
    ));
    assert!(holds(
        joins,
        "2027-06-01",
        "active(uk_ukraine_agreement_2024)"
    ));
}

#[test]
fn article_6_covers_all_of_turkiye_but_not_hawaii() {
    let asia = Some("tests/kb/attack_on_anatolia.pacta");
    assert!(holds(
        asia,
        "2026-06-01",
        "obliged(germany, turkiye, assist, north_atlantic_treaty, discretionary)"
    ));
    let hawaii = Some("tests/kb/attack_on_hawaii.pacta");
    assert!(!holds(
        hawaii,
        "2026-06-01",
        "obliged(_, united_states, _, north_atlantic_treaty, _)"
    ));
    assert!(holds(
        hawaii,
        "2026-06-01",
        "obliged(australia, united_states, meet_common_danger, anzus_treaty, discretionary)"
    ));
}

#[test]
fn an_attack_on_a_current_rio_party_obliges_the_other_rio_parties() {
    let s = Some("tests/kb/attack_on_colombia.pacta");
    let rio = "inter_american_treaty_of_reciprocal_assistance";
    // 2026: the current parties, old and new, are obliged (discretionary: Art 3(2), Art 20).
    for state in [
        "brazil",
        "chile",
        "united_states",
        "bahamas",
        "trinidad_and_tobago",
    ] {
        assert!(
            holds(
                s,
                "2026-06-01",
                &format!("obliged({state}, colombia, assist, {rio}, discretionary)")
            ),
            "{state}"
        );
    }
    // Those that denounced it are not: Mexico (effective 2004), Bolivia (2014).
    for state in ["mexico", "bolivia", "venezuela"] {
        assert!(
            !holds(
                s,
                "2026-06-01",
                &format!("obliged({state}, colombia, _, {rio}, _)")
            ),
            "{state}"
        );
    }
    // Before their denunciations took effect, they were.
    assert!(holds(
        s,
        "2000-06-01",
        &format!("obliged(mexico, colombia, assist, {rio}, discretionary)")
    ));
    assert!(holds(
        s,
        "2010-06-01",
        &format!("obliged(bolivia, colombia, assist, {rio}, discretionary)")
    ));
}

#[test]
fn the_helsinki_promise_toward_an_osce_participant_starts_at_its_admission() {
    assert!(holds(
        None,
        "1991-09-10",
        "listed_party(helsinki_final_act, estonia, signatory)"
    ));
    assert!(!holds(
        None,
        "1991-09-09",
        "listed_party(helsinki_final_act, estonia, signatory)"
    ));
    assert!(holds(
        None,
        "1992-01-30",
        "listed_party(helsinki_final_act, turkmenistan, signatory)"
    ));
    // Mongolia, admitted on 21 Nov 2012: an attack before then breaks no Helsinki promise.
    let s = Some("tests/kb/attack_on_mongolia.pacta");
    let broken = "conflict(russia, helsinki_final_act, helsinki_final_act, breaks_own_promise)";
    assert!(!holds(s, "2012-06-01", broken));
    assert!(holds(s, "2013-06-01", broken));
}

#[test]
fn uzbekistan_was_a_csto_party_in_2010_and_is_suspended_since_december_2012() {
    let s = Some("tests/kb/attack_on_uzbekistan.pacta");
    let csto = "collective_security_treaty";
    assert!(holds(
        None,
        "2010-06-01",
        &format!("active_party({csto}, uzbekistan, member)")
    ));
    // 2010: before the 2010 protocol's request condition took effect (19 Dec 2012).
    assert!(holds(
        s,
        "2010-06-01",
        &format!("obliged(russia, uzbekistan, assist, {csto}, discretionary)")
    ));
    assert!(!holds(
        None,
        "2012-12-19",
        &format!("active_party({csto}, uzbekistan, member)")
    ));
    assert!(!holds(
        s,
        "2014-06-01",
        &format!("obliged(_, uzbekistan, _, {csto}, _)")
    ));
    // Between its two memberships (1999-2006) it was no party.
    assert!(!holds(
        None,
        "2003-01-01",
        &format!("listed_party({csto}, uzbekistan, member)")
    ));
}
