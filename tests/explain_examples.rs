//! Every bundled example (`examples/*.pacta`), explained three ways (issue 16, item 5): the
//! summary of a duty that holds (`explain FACT`), why one does not hold at the level asked
//! (`explain FACT` of a fact that fails), and what it would take (`explain --needed GOAL`).
//! One snapshot per example in `tests/explain/snapshots/`; refresh with
//! `INSTA_UPDATE=always cargo test --release --test explain_examples` and read the changes.

use assert_cmd::Command;
use std::path::Path;
use std::time::Duration;

/// (example, date, a fact that holds, a fact that does not, a goal for `--needed`).
const CASES: [(&str, &str, &str, &str, &str); 9] = [
    (
        "attack_on_poland_2026",
        "2026-06-01",
        "strongest(france, poland, automatic)",
        "strongest(austria, poland, automatic)",
        "strongest(united_states, poland, automatic)",
    ),
    (
        "cyprus_1974",
        "1974-08-01",
        "strongest(greece, cyprus, consultative)",
        "strongest(united_kingdom, cyprus, discretionary)",
        "obliged(united_kingdom, cyprus, A, I, L), level_rank(L, N), N <= 2",
    ),
    (
        "falklands_1982",
        "1982-06-01",
        "victim(united_kingdom, argentina)",
        "strongest(united_states, united_kingdom, discretionary)",
        "obliged(united_states, united_kingdom, A, I, L)",
    ),
    (
        "guarantees_for_russia",
        "2027-06-01",
        "strongest(belarus, russia, consultative)",
        "strongest(belarus, russia, automatic)",
        "obliged(belarus, russia, A, I, L), level_rank(L, N), N <= 2",
    ),
    (
        "invasion_2022",
        "2022-03-01",
        "strongest(united_states, ukraine, declaratory)",
        "strongest(united_states, ukraine, discretionary)",
        "defended(ukraine)",
    ),
    (
        "reassurance_force_attacked",
        "2027-01-01",
        "victim(france, russia)",
        "strongest(united_states, france, discretionary)",
        "obliged(united_states, france, A, I, L)",
    ),
    (
        "renewed_attack_after_ceasefire",
        "2027-01-01",
        "strongest(france, ukraine, declaratory)",
        "strongest(france, ukraine, discretionary)",
        "obliged(france, ukraine, A, I, L), level_rank(L, N), N <= 2",
    ),
    (
        "warsaw_1980",
        "1980-06-01",
        "strongest(bulgaria, poland, discretionary)",
        "strongest(bulgaria, poland, automatic)",
        "strongest(soviet_union, poland, automatic)",
    ),
    (
        "weu_2000",
        "2000-06-01",
        "strongest(belgium, germany, automatic)",
        "strongest(canada, germany, automatic)",
        "obliged(canada, germany, A, I, automatic)",
    ),
];

fn explain(args: &[&str]) -> String {
    let out = Command::cargo_bin("pacta")
        .expect("binary builds")
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env("NO_COLOR", "1")
        .arg("explain")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run pacta explain");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    // (`--needed` builds programs the way `whatif` does, which warns about scenario facts no
    // rule reads, such as a hypothetical instrument's `clause`; errors never.)
    assert!(!stderr.contains("error"), "{args:?}: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_example_explained_three_ways() {
    for (example, date, holds, fails, goal) in CASES {
        let path = format!("examples/{example}.pacta");
        let base = ["--scenario", path.as_str(), "--as-of", date];
        let why = explain(&[&base[..], &[holds]].concat());
        let why_not = explain(&[&base[..], &[fails]].concat());
        let needed = explain(&[&base[..], &["--needed", goal]].concat());
        assert!(
            !why.starts_with("No"),
            "{example}: {holds} should hold:\n{why}"
        );
        assert!(
            why_not.starts_with("No"),
            "{example}: {fails} should fail:\n{why_not}"
        );
        let text = format!(
            "$ pacta explain {} '{holds}'\n{why}\n$ pacta explain {} '{fails}'\n{why_not}\n\
             $ pacta explain {} --needed '{goal}'\n{needed}",
            base.join(" "),
            base.join(" "),
            base.join(" ")
        );
        insta::with_settings!({
            snapshot_path => "explain/snapshots",
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => format!("examples/{example}.pacta as of {date}"),
        }, {
            insta::assert_snapshot!(format!("example_{example}"), text);
        });
    }
}
