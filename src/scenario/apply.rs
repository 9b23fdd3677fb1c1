//! A scenario file resolved against a knowledge base: what to add, what to remove, the as-of
//! date and the expectations — for callers that keep their own program (the REPL's
//! `:scenario FILE`) rather than a [`World`](super::World).

use super::world::{retracted_by, unmatched};
use super::{Expect, Group, Retract, Scenario, parse_scenario};
use crate::diag::{Diagnostic, has_errors};
use crate::syntax::ast::{Rule, Statement};
use crate::syntax::span::FileId;
use crate::value::Date;

/// What one scenario file asks of a knowledge base, checked against it. Built by
/// [`resolve_scenario`] (from text) or [`resolve`] (from a parsed [`Scenario`]).
#[derive(Clone, Debug)]
pub struct Resolved {
    /// The scenario file (in the caller's source map).
    pub file: FileId,
    /// Its facts, rules and `@import`s, to add to the program (spans point into the file).
    pub add: Vec<Statement>,
    /// Its `retract` patterns, in order; [`Resolved::removes`] applies them.
    pub retracts: Vec<Retract>,
    /// The knowledge-base facts those patterns matched when resolved (spans point into the
    /// knowledge base's files): for showing the user what was retracted.
    pub retracted: Vec<Rule>,
    /// Warnings: retractions that match no knowledge-base fact.
    pub warnings: Vec<Diagnostic>,
    /// `@asof DATE.` if the file has one. A date the user gave explicitly (`--as-of`) wins
    /// over it; without either, callers use today.
    pub as_of: Option<Date>,
    /// `expect [not] GOAL.` statements, for callers that check them (`pacta query` does not).
    pub expects: Vec<Expect>,
    /// `vary` groups (only sweeps use them).
    pub groups: Vec<Group>,
}

impl Resolved {
    /// Whether `statement` is a fact that this scenario retracts.
    pub fn removes(&self, statement: &Statement) -> bool {
        self.retracts.iter().any(|r| retracted_by(statement, r))
    }

    /// Applies the scenario to a knowledge base's statements: drops the retracted facts, then
    /// adds the scenario's statements (a scenario never retracts its own facts, as in a
    /// what-if). The caller sets the as-of date (the fact `asof(D)`) itself, and should
    /// re-check the program: a scenario rule may clash with the knowledge base.
    pub fn apply(&self, statements: &mut Vec<Statement>) {
        statements.retain(|st| !self.removes(st));
        statements.extend(self.add.iter().cloned());
    }
}

/// Parses scenario text (already added to the caller's source map as `file`, so diagnostics
/// render with `file:line:column`) and resolves it against the knowledge base's statements.
///
/// This is the entry point for a REPL `:scenario FILE` command:
///
/// ```
/// use pacta::scenario::resolve_scenario;
/// use pacta::syntax::parse;
/// use pacta::syntax::span::{SourceFile, SourceMap};
///
/// let mut sources = SourceMap::new();
/// let kb_file = sources.add(SourceFile::new("kb.pacta", "member(a, nato). member(b, nato)."));
/// let (kb, _) = parse(kb_file, &sources.get(kb_file).text);
/// let text = "@asof 2024-01-01.\nretract member(b, _).\nattack(x, a).\nexpect member(a, _).\n";
/// let file = sources.add(SourceFile::new("s.pacta", text));
/// let resolved = resolve_scenario(&kb.statements, file, text).expect("a good scenario");
/// assert_eq!(resolved.retracted.len(), 1);
/// assert_eq!(resolved.expects.len(), 1);
/// assert!(resolved.as_of.is_some());
///
/// let mut program = kb.statements.clone();
/// resolved.apply(&mut program); // member(a, nato). attack(x, a).
/// assert_eq!(program.len(), 2);
///
/// // A bad file: errors only (render them with `diag::render::render_text(&d, &sources, ..)`).
/// let bad = sources.add(SourceFile::new("bad.pacta", "retract member(c, _"));
/// let d = resolve_scenario(&kb.statements, bad, "retract member(c, _").unwrap_err();
/// assert_eq!(d[0].code.as_str(), "syntax_error");
///
/// // A retraction that matches nothing is a warning (render it like the errors).
/// let odd = sources.add(SourceFile::new("odd.pacta", "retract member(c, _)."));
/// let r = resolve_scenario(&kb.statements, odd, "retract member(c, _).").unwrap();
/// assert_eq!(r.warnings[0].code.as_str(), "invalid_directive");
/// ```
///
/// Errors: syntax errors and malformed directives. Nothing of a file with errors should be
/// used. A retraction that matches no fact of `kb` is a warning in [`Resolved::warnings`]. The
/// checker is not run here: after [`Resolved::apply`], check the whole program as usual.
pub fn resolve_scenario(
    kb: &[Statement],
    file: FileId,
    text: &str,
) -> Result<Resolved, Vec<Diagnostic>> {
    let (scenario, diags) = parse_scenario(file, text);
    if has_errors(&diags) {
        return Err(diags.into_iter().filter(Diagnostic::is_error).collect());
    }
    resolve(kb, scenario)
}

/// Resolves a parsed scenario against the knowledge base's statements; see
/// [`resolve_scenario`].
pub fn resolve(kb: &[Statement], scenario: Scenario) -> Result<Resolved, Vec<Diagnostic>> {
    // Every pattern is matched against the knowledge base alone (never the scenario's own
    // facts), so the order of the retractions does not matter.
    let added: Vec<&Statement> = scenario.statements.iter().collect();
    let mut warnings = Vec::new();
    let mut retracted: Vec<Rule> = Vec::new();
    for r in &scenario.retracts {
        warnings.extend(unmatched(kb, &added, r));
        for st in kb {
            if let Statement::Rule(rule) = st
                && retracted_by(st, r)
                && !retracted.iter().any(|x| x.span == rule.span)
            {
                retracted.push(rule.clone());
            }
        }
    }
    Ok(Resolved {
        file: scenario.file,
        add: scenario.statements,
        retracts: scenario.retracts,
        retracted,
        warnings,
        as_of: scenario.as_of.map(|(d, _)| d),
        expects: scenario.expects,
        groups: scenario.groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    /// Regression (issue 14): retracting a fact and adding it back changed lost both.
    #[test]
    fn a_scenario_never_retracts_its_own_facts() {
        let (kb, _) = parse(FileId(0), "p(a, 1). p(b, 1).");
        let r = resolve_scenario(&kb.statements, FileId(1), "retract p(a, _).\np(a, 2).").unwrap();
        assert!(r.warnings.is_empty());
        assert_eq!(r.retracted.len(), 1);
        let mut program = kb.statements.clone();
        r.apply(&mut program);
        let shown: Vec<String> = program.iter().map(|s| format!("{s:?}")).collect();
        assert_eq!(program.len(), 2, "p(b, 1) and the new p(a, 2): {shown:?}");
        // Overlapping patterns are fine; a pattern that only matches the scenario's own fact
        // is a warning that says so.
        let r = resolve_scenario(
            &kb.statements,
            FileId(1),
            "retract p(_, _).\nretract p(a, 1).\np(c, 3).\nretract p(c, 3).",
        )
        .unwrap();
        assert_eq!(r.warnings.len(), 1);
        assert_eq!(r.warnings[0].span.unwrap().file, FileId(1));
        assert!(
            r.warnings[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("knowledge-base facts only")
        );
    }
}
