//! Warnings about what a scenario or typed input adds: a retraction that matches nothing, a
//! fact no rule reads (most likely a misspelt event), a symbol the program never mentions.
//! Each would otherwise change nothing without a word (issue 14).

use super::Workspace;
use super::matching::retracted_by;
use crate::check::constants::{occurrences, unknown_in_facts, unknown_in_goal};
use crate::diag::{Code, Diagnostic};
use crate::scenario::{Retract, Scenario};
use crate::syntax::ast::{BodyItem, Program, Statement};
use std::collections::BTreeSet;

impl Workspace {
    /// `unknown_constant` warnings: symbols of the scenarios' facts that the knowledge base
    /// (and the layers) never mention, and symbols of their `expect` goals (a query's goal is
    /// one) that nothing loaded mentions.
    pub(super) fn unknown_constants(&self, scenarios: &[&Scenario]) -> Vec<Diagnostic> {
        unknown_in(scenarios, self.constants())
    }

    /// [`Workspace::unknown_constants`] for text typed at the REPL, before it becomes a layer.
    /// Its symbols are looked up in the knowledge base's first: facts of known names (piped in
    /// by the thousand) then cost no walk over every layer typed before.
    pub(super) fn unknown_typed(&self, typed: &Scenario) -> Vec<Diagnostic> {
        let all_known = crate::check::constants::mentioned(&typed.statements)
            .iter()
            .all(|s| self.known.contains(s));
        if all_known && typed.expects.is_empty() && typed.groups.is_empty() {
            return Vec::new();
        }
        self.unknown_constants(&[typed])
    }
}

/// [`Workspace::unknown_constants`] against the symbols `known`.
pub(super) fn unknown_in(scenarios: &[&Scenario], mut known: BTreeSet<String>) -> Vec<Diagnostic> {
    // A scenario's statements and its `vary` groups' facts alike.
    let added: Vec<Statement> = scenarios
        .iter()
        .flat_map(|s| {
            let groups = s.groups.iter().flat_map(|g| g.adds.iter().cloned());
            s.statements
                .iter()
                .cloned()
                .chain(groups.map(Statement::Rule))
        })
        .collect();
    let facts = added.iter().filter_map(|st| match st {
        Statement::Rule(r) if r.is_fact() => Some(&r.head),
        _ => None,
    });
    let uses = occurrences(&added);
    let mut out = unknown_in_facts(facts, &known, &uses);
    known.extend(uses.into_keys());
    for e in scenarios.iter().flat_map(|s| &s.expects) {
        out.extend(unknown_in_goal(&e.rule.body, &known));
    }
    out
}

/// `unknown` without the warnings about a symbol that already draws `undeclared_symbol` (a
/// misspelt caveat kind is told once, by the vocabulary, which names the right symbol).
pub(super) fn not_told(unknown: Vec<Diagnostic>, told: &[Diagnostic]) -> Vec<Diagnostic> {
    let vocab: Vec<_> = told
        .iter()
        .filter(|d| d.code == Code::UndeclaredSymbol)
        .filter_map(|d| d.span)
        .collect();
    unknown
        .into_iter()
        .filter(|d| d.span.is_none_or(|s| !vocab.contains(&s)))
        .collect()
}

/// A scenario fact that no rule reads is most likely a misspelt event (`atack(...)`): it
/// changes nothing, so say so. A relation of which the knowledge base `kb` has facts is
/// documented data (`instrument`, `clause`: explanations read them), not a typo.
pub(super) fn unread_facts(
    program: &Program,
    kb: &[Statement],
    scenarios: &[&Scenario],
) -> Vec<Diagnostic> {
    let mut read = BTreeSet::new();
    read.extend(kb.iter().filter_map(|st| match st {
        Statement::Rule(r) if r.is_fact() => Some(r.head.pred.name.as_str()),
        _ => None,
    }));
    for st in &program.statements {
        if let Statement::Rule(r) = st {
            let aggs = r.body.iter().flat_map(|item| match item {
                BodyItem::Agg(g) => g.body.iter(),
                _ => [].iter(),
            });
            for item in r.body.iter().chain(aggs) {
                if let BodyItem::Pos(a) | BodyItem::Neg(a, _) = item {
                    read.insert(a.pred.name.as_str());
                }
            }
        }
    }
    let mut out = Vec::new();
    for st in scenarios.iter().flat_map(|s| &s.statements) {
        let Statement::Rule(r) = st else { continue };
        let name = r.head.pred.name.as_str();
        if r.is_fact() && !read.contains(name) {
            let mut d = Diagnostic::warning(
                Code::UnknownRelation,
                r.head.pred.span,
                format!("no rule reads `{name}`, so this fact changes nothing"),
            );
            if let Some(near) = crate::diag::did_you_mean(name, read.iter().copied()) {
                d = d.with_hint(format!("did you mean `{near}`?"));
            }
            out.push(d);
        }
    }
    out
}

/// The warning for a retraction that matches no fact of the knowledge base `kb`, if it
/// matches none. It is a warning, not an error (issue 14): the scenario still means what it
/// says, but a misspelt pattern would otherwise change nothing without a word. `added` (the
/// scenario's own statements) only sharpens the hint.
pub(super) fn unmatched(kb: &[Statement], added: &[&Statement], r: &Retract) -> Option<Diagnostic> {
    if kb.iter().any(|st| retracted_by(st, r)) {
        return None;
    }
    let derived = kb.iter().chain(added.iter().copied()).any(
        |st| matches!(st, Statement::Rule(rule) if !rule.is_fact() && rule.head.pred.name == r.pattern.pred.name),
    );
    let own = added.iter().any(|st| retracted_by(st, r));
    let d = Diagnostic::warning(
        Code::InvalidDirective,
        r.span,
        format!(
            "`{}` matches no fact of the knowledge base, so this retraction changes nothing",
            r.pattern.pred.name
        ),
    );
    Some(if own {
        d.with_hint("`retract` removes knowledge-base facts only, never a fact the scenario itself adds: delete that fact instead")
    } else if derived {
        d.with_hint("this relation is derived by rules: retract the facts it is derived from")
    } else {
        d.with_hint("check the names and the number of arguments; `_` matches anything")
    })
}
