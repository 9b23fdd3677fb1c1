//! What-if scenario files (SPEC §5): rule-language text plus a few directives, and the what-if
//! runs over them.
//!
//! A scenario file is ordinary facts and rules, plus statements that start with a keyword:
//! `@asof DATE.` sets the as-of date, `retract ATOM.` removes knowledge-base facts,
//! `expect GOAL.` / `expect not GOAL.` state expectations, and `vary NAME: ITEMS.` declares a group
//! of assumptions that a sweep switches on and off. The directives are separated from the
//! ordinary text here, so the language's parser and checker stay unaware of them; every span
//! still points into the scenario file, so diagnostics name its line and column.
//!
//! - `parse.rs`: text → [`Scenario`] (statements, directives) and diagnostics.
//!
//! What scenarios do to a knowledge base — programs built with them, what-ifs against the
//! baseline, sweeps — is the workspace's job (the `workspace` module).
//!
//! See `docs/SCENARIOS.md` for the format.

mod parse;

pub use parse::{parse_scenario, uses_directives};

use crate::syntax::ast::{Atom, Rule, Statement};
use crate::syntax::span::{FileId, SourceMap, Span};
use crate::value::Date;

/// A parsed scenario file.
#[derive(Clone, Debug, Default)]
pub struct Scenario {
    /// The file it came from (in the workspace's source map).
    pub file: FileId,
    /// Its ordinary facts, rules and `@`-directives (such as `@import`).
    pub statements: Vec<Statement>,
    /// `@asof DATE.` if given (the last one wins).
    pub as_of: Option<(Date, Span)>,
    /// `retract ATOM.` patterns.
    pub retracts: Vec<Retract>,
    /// `expect [not] GOAL.` statements, in order.
    pub expects: Vec<Expect>,
    /// `vary NAME: ITEMS.` groups, in order (only sweeps read them).
    pub groups: Vec<Group>,
}

/// `retract ATOM.`: every fact matching the pattern is removed (`_` and variables match
/// anything; a variable used twice must match the same value twice).
#[derive(Clone, Debug)]
pub struct Retract {
    /// The pattern.
    pub pattern: Atom,
    /// The whole statement.
    pub span: Span,
}

/// `expect GOAL.` or `expect not GOAL.`: the goal's variables read as "some".
#[derive(Clone, Debug)]
pub struct Expect {
    /// Whether it is `expect not`.
    pub negated: bool,
    /// The goal as a rule whose head carries the goal's named variables (the head is filled in
    /// by the workspace with a hidden predicate name).
    pub rule: Rule,
    /// Named variables of the goal that its positive atoms bind, in order.
    pub vars: Vec<String>,
    /// The goal as written (without `expect`, `not` and the final `.`).
    pub text: String,
    /// The whole statement.
    pub span: Span,
}

/// `vary NAME: ITEM, ITEM.`: one assumption of a sweep. When on, every positive item is added
/// as a fact and every `not ATOM` item is retracted; when off, nothing changes.
#[derive(Clone, Debug)]
pub struct Group {
    /// The name shown in the sweep table.
    pub name: String,
    /// Facts added when the group is on.
    pub adds: Vec<Rule>,
    /// Patterns retracted when the group is on.
    pub retracts: Vec<Retract>,
    /// The whole statement.
    pub span: Span,
}

/// Where scenario files set the date: each `@asof` as `(date, "file:line")`, in file order.
pub fn asof_sites(sources: &SourceMap, scenarios: &[&Scenario]) -> Vec<(Date, String)> {
    scenarios
        .iter()
        .filter_map(|s| {
            let (d, span) = s.as_of?;
            let file = sources.get(span.file);
            let (line, _) = file.line_col(span.start as usize);
            Some((d, format!("{}:{line}", file.name)))
        })
        .collect()
}

/// The date a run uses, by the one precedence rule every command follows: an explicit
/// `--as-of` wins over the files' `@asof`; among files, the last `@asof` wins; without
/// either, today. Also returns a note for every `@asof` that was overridden by a different
/// date, so a scenario is never evaluated on another date than it says without a word.
pub fn pick_as_of(explicit: Option<Date>, sites: &[(Date, String)]) -> (Date, Vec<String>) {
    let Some(chosen) = explicit.or_else(|| sites.last().map(|(d, _)| *d)) else {
        return (Date::today(), Vec::new());
    };
    let by = match (explicit, sites.last()) {
        (Some(d), _) => format!("--as-of {d}"),
        (None, Some((d, at))) => format!("`@asof {d}.` ({at})"),
        (None, None) => String::new(),
    };
    let notes = sites
        .iter()
        .filter(|(d, _)| *d != chosen)
        .map(|(d, at)| {
            format!("note: {at}: `@asof {d}.` is overridden by {by}; evaluating as of {chosen}")
        })
        .collect();
    (chosen, notes)
}
