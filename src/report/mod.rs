//! A brief on one scenario for readers who do not use a REPL (`pacta report`): for each
//! attacked state, who is obliged at which level under what (the explanation summaries, with
//! their quotes and sources), the hollow, circular and conflicting commitments with their
//! reasons, what changed against the knowledge base without the scenario, the expectations and
//! their results, and the obligation graph. [`gather`] collects it as data; [`markdown`] and
//! [`html`] write it.
//!
//! Like `explain`, this reads the knowledge base's query vocabulary by name (docs/SCHEMA.md):
//! `victim`, `obliged`, `hollow`, `circular`, `conflict`, `duty`, `listed_party`, `level_rank`.

mod gather;
pub mod html;
pub mod markdown;

pub use gather::gather;

use crate::explain::Citation;
use crate::workspace::Checked;
use serde::Serialize;

/// Everything a brief says.
#[derive(Debug, Serialize)]
pub struct Brief {
    /// The scenario files.
    pub title: String,
    /// The date.
    pub as_of: String,
    /// Input facts the scenario adds, as written.
    pub assumed: Vec<String>,
    /// Knowledge-base facts it retracts.
    pub retracted: Vec<String>,
    /// One section per attacked state.
    pub attacked: Vec<Attacked>,
    /// Hollow commitments toward an attacked state, grouped by instrument and reason.
    pub hollow: Vec<Hollow>,
    /// Circular instruments that concern an attacked state.
    pub circular: Vec<Plain>,
    /// Conflicting commitments.
    pub conflicts: Vec<Plain>,
    /// Conclusions that changed against the knowledge base without the scenario.
    pub changes: Vec<Change>,
    /// The scenario's expectations, checked.
    pub expectations: Vec<Expectation>,
    /// The obligation graph as SVG.
    #[serde(skip)]
    pub svg: String,
}

/// An attacked state and who must help it.
#[derive(Debug, Serialize)]
pub struct Attacked {
    /// The state.
    pub state: String,
    /// Its attackers, each with the day it first used force (this episode).
    pub by: Vec<(String, String)>,
    /// Whether no state is obliged at `discretionary` or above (`unprotected`).
    pub unprotected: bool,
    /// The duties, grouped: one entry per instrument, clause, action, level and caps.
    pub duties: Vec<DutyGroup>,
}

/// States that share one duty: same instrument, clause, action, level and caps.
#[derive(Debug, Serialize)]
pub struct DutyGroup {
    /// The obliged states.
    pub states: Vec<String>,
    /// What they must do.
    pub action: String,
    /// The instrument's id.
    pub instrument: String,
    /// Its title.
    pub title: String,
    /// The level.
    pub level: String,
    /// The clause's level before caveats.
    pub base_level: String,
    /// The clause with its text.
    pub clause: Option<Citation>,
    /// The caveats that set the level, each with the clause that grounds it.
    pub caps: Vec<Cap>,
}

/// A caveat that caps a duty's level.
#[derive(Debug, Serialize, PartialEq)]
pub struct Cap {
    /// The input facts, e.g. `caveat(north_atlantic_treaty, art5, deems_necessary)`; one per
    /// state where the reason is each state's own (`neutral(austria, ...)`).
    pub facts: Vec<String>,
    /// The level it allows at most.
    pub level: String,
    /// Whether it sets the duty's level.
    pub sets_level: bool,
    /// The clause that grounds it.
    pub citation: Option<Citation>,
}

/// Hollow commitments under one instrument, for one reason.
#[derive(Debug, Serialize)]
pub struct Hollow {
    /// The instrument's id.
    pub instrument: String,
    /// Its title.
    pub title: String,
    /// The reason id.
    pub reason: String,
    /// The reason in words.
    pub meaning: String,
    /// The states whose commitment is hollow.
    pub states: Vec<String>,
}

/// A fact with its reason in words.
#[derive(Debug, Serialize)]
pub struct Plain {
    /// The fact.
    pub fact: String,
    /// What it means.
    pub meaning: String,
}

/// One conclusion relation's change against the knowledge base without the scenario.
#[derive(Debug, Serialize)]
pub struct Change {
    /// The relation.
    pub relation: String,
    /// Facts that appeared (at most [`SHOWN`] listed).
    pub added: Vec<String>,
    /// Facts that disappeared (at most [`SHOWN`] listed).
    pub removed: Vec<String>,
    /// How many appeared.
    pub added_count: usize,
    /// How many disappeared.
    pub removed_count: usize,
}

/// How many facts of one relation's change a brief lists.
pub const SHOWN: usize = 12;

/// An expectation and its result.
#[derive(Debug, Serialize)]
pub struct Expectation {
    /// `expect GOAL` or `expect not GOAL`.
    pub text: String,
    /// Its line in the scenario file.
    pub line: usize,
    /// Whether it holds.
    pub passed: bool,
}

impl From<&Checked> for Expectation {
    fn from(c: &Checked) -> Expectation {
        let not = if c.negated { "not " } else { "" };
        Expectation {
            text: format!("expect {not}{}", c.text),
            line: c.line,
            passed: c.passed,
        }
    }
}

/// A reason id of `hollow`, `circular` or `conflict` in words (docs/SCHEMA.md).
pub fn meaning(reason: &str) -> String {
    match reason {
        "not_binding" => "a political text, not legally binding",
        "not_in_force" => "not in force on the date",
        "suspended" => "participation suspended",
        "declared_unwilling" => "the state has declared it will not act under it",
        "guarantor_is_aggressor" => "the guarantor is itself the aggressor",
        "enforcement_veto" => {
            "the remedy runs through the UN Security Council, where the aggressor or a guarantor \
             holds a veto"
        }
        "aggressor_holds_veto" => "the aggressor holds a veto over the remedy",
        "guarantor_holds_veto" => "a guarantor holds a veto over the remedy",
        "mediator_is_party" => "the mediator is itself a party to the settlement",
        "breaks_own_promise" => "the aggressor attacks a state it promised to spare",
        "both_sides" => "obliged toward both sides of one attack",
        "exclusivity" => "obliged to act against a co-party of an instrument that forbids it",
        other => return other.replace('_', " "),
    }
    .to_string()
}
