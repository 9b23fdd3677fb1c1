//! What it would take: the smallest sets of changes to *assumable* inputs that make a goal hold
//! on a date (`pacta explain --needed GOAL`, REPL `:needed GOAL`).
//!
//! The knowledge base, not this module, decides what may change and which changes to try
//! (`rules/assumable.pacta`, docs/SCHEMA.md "Assumable inputs"): `assumable(Rel, Arity, Mode,
//! Text)` facts declare the relations, and rules derive one `assume_<Rel>` row per candidate
//! change from `needed_arg/3` facts that name the goal's constants. So the search is
//! goal-directed by the rules — only the clauses that could give the goal, only the obstacles
//! each has (its form, its entry into force, a missing party, a missing event) — and this module
//! stays generic: it reads the rows ([`candidates`]), then verifies sets of them by evaluating
//! the program with each set applied ([`search`]), in parallel, smallest sets first, and keeps
//! only minimal ones. Every set reported was evaluated; nothing is inferred.
//!
//! [`render`] prints each set as a ready-to-run what-if file (`@asof`, facts, `retract` lines,
//! and the goal as an `expect`).

mod candidates;
mod render;
mod search;

pub use render::{render_json, render_text, scenario_lines};
pub use search::search;

use crate::diag::Diagnostic;
use crate::value::{Const, Date};
use serde::Serialize;

/// How far the search goes.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// The largest set of changes tried (default 3).
    pub max_changes: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { max_changes: 3 }
    }
}

/// How a change touches its relation (the `Mode` of `assumable/4`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Add the fact.
    Add,
    /// Remove the fact.
    Retract,
    /// Remove the facts with the same first argument, then add the fact.
    Replace,
}

/// One candidate change to an input relation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The relation changed.
    pub relation: String,
    /// How.
    pub mode: Mode,
    /// The fact added, retracted, or put in place of the others.
    #[serde(serialize_with = "plain_tuple")]
    pub fact: Vec<Const>,
    /// What it means, from the knowledge base's `assumable` declaration.
    pub description: String,
    /// The clauses (instrument, clause) it was proposed for.
    pub serves: Vec<(String, String)>,
}

impl Change {
    /// The fact in source syntax: `party(north_atlantic_treaty, ukraine, ...)`.
    pub fn fact_text(&self) -> String {
        crate::explain::show_tuple(&self.relation, &self.fact)
    }
}

/// A set of changes that makes the goal hold.
#[derive(Clone, Debug, Serialize)]
pub struct Found {
    /// Indexes into [`Needed::candidates`], ascending.
    pub changes: Vec<usize>,
    /// The goal's answers with the changes applied.
    #[serde(serialize_with = "plain_rows")]
    pub answers: Vec<Vec<Const>>,
}

/// The result of a search.
#[derive(Debug, Serialize)]
pub struct Needed {
    /// The goal as typed (without `?-` and the final `.`).
    pub goal: String,
    /// The goal's named variables.
    pub vars: Vec<String>,
    /// The date.
    #[serde(serialize_with = "plain_date")]
    pub as_of: Date,
    /// The largest set tried.
    pub max_changes: usize,
    /// The goal's answers without any change, when it already holds (then nothing is searched).
    #[serde(serialize_with = "plain_rows")]
    pub holds_already: Vec<Vec<Const>>,
    /// Every candidate change the knowledge base proposed, sorted.
    pub candidates: Vec<Change>,
    /// The clauses that could give the goal (those with candidate changes).
    pub clauses: usize,
    /// How many sets were evaluated.
    pub evaluated: usize,
    /// The minimal sets found, by size, then in a stable order.
    pub found: Vec<Found>,
    /// Clauses whose candidate changes together exceed `max_changes` and whose smaller sets
    /// did not suffice: (instrument, clause, number of changes).
    pub larger: Vec<(String, String, usize)>,
    /// Warnings about the goal and the scenarios (unknown constants, ...).
    #[serde(skip)]
    pub warnings: Vec<Diagnostic>,
}

fn plain_tuple<S: serde::Serializer>(t: &[Const], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(t.iter().map(Const::to_plain))
}

fn plain_rows<S: serde::Serializer>(rows: &[Vec<Const>], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(
        rows.iter()
            .map(|r| r.iter().map(Const::to_plain).collect::<Vec<_>>()),
    )
}

fn plain_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_string())
}
