//! A scenario file resolved against a knowledge base: what to add, what to remove, the as-of
//! date and the expectations — for callers that keep their own program (the REPL's
//! `:scenario FILE`) rather than a [`World`](super::World).

use super::world::{matches, unmatched};
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
    /// The facts those patterns matched when resolved, of the knowledge base (spans point
    /// into its files) or of the scenario itself: for showing the user what was retracted.
    pub retracted: Vec<Rule>,
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
        matches!(statement, Statement::Rule(rule)
            if rule.is_fact() && self.retracts.iter().any(|r| matches(&r.pattern, &rule.head)))
    }

    /// Applies the scenario to a program's statements: adds the scenario's statements, then
    /// drops the retracted facts (a scenario may retract its own facts, as in a what-if). The
    /// caller sets the as-of date (the fact `asof(D)`) itself, and should re-check the
    /// program: a scenario rule may clash with the knowledge base.
    pub fn apply(&self, statements: &mut Vec<Statement>) {
        statements.extend(self.add.iter().cloned());
        statements.retain(|st| !self.removes(st));
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
/// let bad = sources.add(SourceFile::new("bad.pacta", "retract member(c, _)."));
/// let d = resolve_scenario(&kb.statements, bad, "retract member(c, _).").unwrap_err();
/// assert_eq!(d[0].code.as_str(), "invalid_directive");
/// ```
///
/// Errors: syntax errors, a malformed directive, a retraction that matches no fact (of `kb`
/// or of the scenario itself). Nothing of a file with errors should be used. The checker is
/// not run here: after [`Resolved::apply`], check the whole program as usual.
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
    // Retractions apply in order to the knowledge base with the scenario's own statements, as
    // in a what-if: a second pattern that only matches what the first removed is an error.
    let mut statements: Vec<&Statement> = kb.iter().chain(&scenario.statements).collect();
    let mut errors = Vec::new();
    let mut retracted = Vec::new();
    for r in &scenario.retracts {
        if let Some(d) = unmatched(statements.iter().copied(), r) {
            errors.push(d);
            continue;
        }
        statements.retain(|st| match st {
            Statement::Rule(rule) if rule.is_fact() && matches(&r.pattern, &rule.head) => {
                retracted.push(rule.clone());
                false
            }
            _ => true,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Resolved {
        file: scenario.file,
        add: scenario.statements,
        retracts: scenario.retracts,
        retracted,
        as_of: scenario.as_of.map(|(d, _)| d),
        expects: scenario.expects,
        groups: scenario.groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn a_scenario_may_retract_its_own_facts_but_not_twice() {
        let (kb, _) = parse(FileId(0), "p(a). p(b).");
        let r = resolve_scenario(&kb.statements, FileId(1), "p(c).\nretract p(c).").unwrap();
        let mut program = kb.statements.clone();
        r.apply(&mut program);
        assert_eq!(program.len(), 2, "p(c) is added and retracted");
        let d = resolve_scenario(&kb.statements, FileId(1), "retract p(_).\nretract p(a).")
            .unwrap_err();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].span.unwrap().file, FileId(1));
    }
}
