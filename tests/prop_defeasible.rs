//! Property: on a theory without defeasible rules, +Δ = +∂ = the Datalog model (issue 3).
//!
//! Random programs from `support/generator.rs`, with their `not` literals removed (negation as
//! failure may not read the defeasible layer), are evaluated twice: as plain Datalog, and as a
//! defeasible theory made by adding, for every predicate `p`, a defeater `~p(...) :~ never(...)`
//! whose body nothing supports. The defeaters put every predicate in the defeasible layer, so all
//! rules are grounded and reasoned about, yet they never fire. Every relation's +Δ and +∂ must
//! equal its Datalog model, and no `~p` may be concluded.

mod support;

use pacta::defeasible::{Ambiguity, reason_text};
use pacta::driver::eval_text;
use pacta::value::Const;
use proptest::prelude::*;
use std::collections::BTreeMap;
use support::generator::raw_program;
use support::reference::{Literal, Program, Stmt};

/// The program without its negated literals (removing one keeps a rule safe: its variables
/// are bound by positive atoms or local to the negation).
fn positive(mut p: Program) -> Program {
    for s in &mut p.stmts {
        if let Stmt::Rule(r) = s {
            r.body.retain(|l| !matches!(l, Literal::Neg(_)));
        }
    }
    p
}

/// The program text plus a never-firing defeater against every predicate.
fn as_theory(program: &Program) -> String {
    let mut text = program.to_source();
    let preds: BTreeMap<String, usize> = program.predicates();
    for (i, (p, arity)) in preds.iter().enumerate() {
        let vars: Vec<String> = (0..*arity).map(|k| format!("V{k}")).collect();
        let args = if vars.is_empty() {
            String::new()
        } else {
            format!("({})", vars.join(", "))
        };
        text.push_str(&format!(
            "\npacta_never_{i}: ~{p}{args} :~ never_{arity}{args}.\n"
        ));
    }
    text
}

fn check(program: &Program, ambiguity: Ambiguity) -> Result<(), TestCaseError> {
    let text = program.to_source();
    let (model, _) =
        eval_text(&text).map_err(|d| TestCaseError::fail(format!("datalog: {d:?}\n{text}")))?;
    let theory = as_theory(program);
    let conclusions = reason_text(&theory, ambiguity)
        .map_err(|d| TestCaseError::fail(format!("theory: {d:?}\n{theory}")))?;
    let kind = |k: &str| -> &BTreeMap<String, Vec<Vec<Const>>> {
        &conclusions
            .iter()
            .find(|(name, _)| *name == k)
            .expect("every kind")
            .1
    };
    for (pred, tuples) in &model.relations {
        if pred.starts_with("never_") {
            continue;
        }
        let empty = Vec::new();
        for k in ["definitely", "defeasibly"] {
            let got = kind(k).get(pred).unwrap_or(&empty);
            prop_assert_eq!(
                got,
                tuples,
                "{} of {} differs from the Datalog model\n{}",
                k,
                pred,
                theory
            );
        }
        for k in ["definitely", "defeasibly"] {
            let neg = kind(k).get(&format!("~{pred}")).unwrap_or(&empty);
            prop_assert!(neg.is_empty(), "{} concludes ~{}\n{}", k, pred, theory);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn strict_theories_conclude_the_datalog_model(raw in raw_program()) {
        let program = positive(raw.build());
        check(&program, Ambiguity::Blocking)?;
        check(&program, Ambiguity::Propagating)?;
    }
}
