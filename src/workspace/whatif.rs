//! One what-if: the baseline and the scenario evaluated side by side, what appeared and
//! disappeared, and whether each expectation holds.

use super::matching::derived_relations;
use super::{EXPECT, Workspace};
use crate::check::Analysis;
use crate::diag::Diagnostic;
use crate::driver::Model;
use crate::eval::Limits;
use crate::scenario::Scenario;
use crate::syntax::ast::{BodyItem, Program, Statement};
use crate::value::{Const, Date};
use std::collections::{BTreeMap, BTreeSet};

/// Tuples of one relation that appeared and disappeared.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RelationDiff {
    /// The relation.
    pub relation: String,
    /// Tuples in the scenario, not in the baseline (sorted).
    pub added: Vec<Vec<Const>>,
    /// Tuples in the baseline, not in the scenario (sorted).
    pub removed: Vec<Vec<Const>>,
}

/// Everything that changed, split into input facts (what the scenario assumed or retracted)
/// and derived facts (what follows), both grouped by relation.
#[derive(Clone, Debug, Default)]
pub struct Diff {
    /// Relations only given by facts.
    pub input: Vec<RelationDiff>,
    /// Relations derived by rules, most derived first (later strata first), so conclusions
    /// such as `unprotected` come before the helpers they are built from.
    pub derived: Vec<RelationDiff>,
}

/// An expectation and its verdict.
#[derive(Clone, Debug)]
pub struct Checked {
    /// The goal as written.
    pub text: String,
    /// `expect not`.
    pub negated: bool,
    /// 1-based line and column of the statement.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Whether it holds.
    pub passed: bool,
    /// The goal's variables.
    pub vars: Vec<String>,
    /// Answers of the goal (all of them; for `expect not` they are the counterexamples).
    pub answers: Vec<Vec<Const>>,
}

/// The result of one scenario.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The date the run used.
    pub as_of: Date,
    /// What changed.
    pub diff: Diff,
    /// Expectations in order.
    pub checked: Vec<Checked>,
    /// Warnings about the scenario's text.
    pub warnings: Vec<Diagnostic>,
}

impl Outcome {
    /// Whether every expectation holds.
    pub fn passed(&self) -> bool {
        self.checked.iter().all(|c| c.passed)
    }
}

/// Runs one scenario against the baseline (the knowledge base without it), both as of
/// `as_of` (chosen by the caller with [`pick_as_of`](crate::scenario::pick_as_of)): the two
/// evaluations run in parallel.
pub fn run_whatif(
    world: &Workspace,
    scenario: &Scenario,
    as_of: Date,
    limits: &Limits,
) -> Result<Outcome, Vec<Diagnostic>> {
    let base = world.build(&[], &[], as_of)?;
    let built = world.build(&[scenario], &[], as_of)?;
    let (b, s) = rayon::join(
        || world.evaluate(&base, limits),
        || world.evaluate(&built, limits),
    );
    let (b, s) = (b?, s?);
    let derived: BTreeSet<String> = derived_relations(&built.program)
        .into_keys()
        .map(str::to_string)
        .collect();
    let order = depths(&built.program, &built.analysis);
    let diff = diff_models(&b.model(), &s.model(), &derived, &order);
    let checked = check_expectations(world, scenario, &s.model_where(|n| n.starts_with(EXPECT)));
    Ok(Outcome {
        as_of,
        diff,
        checked,
        warnings: built.warnings,
    })
}

/// How far each relation is from the input: 0 for facts, else one more than the deepest
/// relation its rules read (in an earlier stratum). Conclusions are the deepest.
fn depths(program: &Program, analysis: &Analysis) -> BTreeMap<String, usize> {
    let mut reads: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for st in &program.statements {
        if let Statement::Rule(r) = st {
            let entry = reads.entry(r.head.pred.name.as_str()).or_default();
            let aggs = r.body.iter().flat_map(|item| match item {
                BodyItem::Agg(g) => g.body.iter(),
                _ => [].iter(),
            });
            for item in r.body.iter().chain(aggs) {
                if let BodyItem::Pos(a) | BodyItem::Neg(a, _) = item {
                    entry.push(a.pred.name.as_str());
                }
            }
        }
    }
    let mut depth: BTreeMap<String, usize> = BTreeMap::new();
    for stratum in &analysis.strata {
        let own = |p: &str| stratum.preds.iter().any(|q| q == p);
        let d = stratum
            .preds
            .iter()
            .flat_map(|p| reads.get(p.as_str()).into_iter().flatten())
            .filter(|p| !own(p))
            .map(|p| depth.get(*p).map_or(1, |d| d + 1))
            .max()
            .unwrap_or(0);
        for p in &stratum.preds {
            depth.insert(p.clone(), d);
        }
    }
    depth
}

/// The verdict of every expectation of `scenario`, from the hidden expectation relations of
/// an evaluation that included it (`model` needs only those).
pub(super) fn check_expectations(
    world: &Workspace,
    scenario: &Scenario,
    model: &Model,
) -> Vec<Checked> {
    let file = world.sources.get(scenario.file);
    scenario
        .expects
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let answers = model
                .relations
                .get(&format!("{EXPECT}{i}"))
                .cloned()
                .unwrap_or_default();
            let (line, column) = file.line_col(e.span.start as usize);
            Checked {
                text: e.text.clone(),
                negated: e.negated,
                line,
                column,
                passed: answers.is_empty() == e.negated,
                vars: e.vars.clone(),
                answers,
            }
        })
        .collect()
}

/// Set differences of every relation, grouped into input and derived.
pub(super) fn diff_models(
    base: &Model,
    scen: &Model,
    derived: &BTreeSet<String>,
    order: &BTreeMap<String, usize>,
) -> Diff {
    let empty = Vec::new();
    let names: BTreeSet<&String> = base.relations.keys().chain(scen.relations.keys()).collect();
    let mut diff = Diff::default();
    for name in names {
        if name.starts_with(EXPECT) {
            continue;
        }
        let b = base.relations.get(name).unwrap_or(&empty);
        let s = scen.relations.get(name).unwrap_or(&empty);
        let (added, removed) = sorted_difference(b, s);
        if added.is_empty() && removed.is_empty() {
            continue;
        }
        let rd = RelationDiff {
            relation: name.clone(),
            added,
            removed,
        };
        if derived.contains(name) {
            diff.derived.push(rd);
        } else {
            diff.input.push(rd);
        }
    }
    diff.derived.sort_by(|x, y| {
        let rank = |r: &RelationDiff| order.get(&r.relation).copied().unwrap_or(0);
        rank(y)
            .cmp(&rank(x))
            .then_with(|| x.relation.cmp(&y.relation))
    });
    diff
}

/// (in `s` only, in `b` only) for two sorted, distinct lists.
fn sorted_difference(b: &[Vec<Const>], s: &[Vec<Const>]) -> (Vec<Vec<Const>>, Vec<Vec<Const>>) {
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    let (mut i, mut j) = (0, 0);
    while i < b.len() || j < s.len() {
        match (b.get(i), s.get(j)) {
            (Some(x), Some(y)) if x == y => {
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => {
                removed.push(x.clone());
                i += 1;
            }
            (Some(_), Some(y)) | (None, Some(y)) => {
                added.push(y.clone());
                j += 1;
            }
            (Some(x), None) => {
                removed.push(x.clone());
                i += 1;
            }
            (None, None) => break,
        }
    }
    (added, removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::span::SourceFile;

    fn world() -> Workspace {
        Workspace::from_text(
            "kb.pacta",
            "edge(a, b). edge(b, c). path(X, Y) :- edge(X, Y).\npath(X, Z) :- path(X, Y), edge(Y, Z).\nday(D) :- asof(D).",
        )
        .unwrap()
    }

    fn scenario(w: &mut Workspace, text: &str) -> Scenario {
        let id = w.sources.add(SourceFile::new("s.pacta", text));
        let (s, d) = crate::scenario::parse_scenario(id, text);
        assert!(d.is_empty(), "{d:?}");
        s
    }

    #[test]
    fn diff_and_expectations() {
        let mut w = world();
        let s = scenario(
            &mut w,
            "edge(c, d).\nretract edge(a, _).\n@asof 2020-01-01.\nexpect path(b, d).\nexpect not path(a, X).\nexpect path(d, X).",
        );
        let as_of = s.as_of.unwrap().0;
        let out = run_whatif(&w, &s, as_of, &Limits::default()).unwrap();
        assert_eq!(out.as_of.to_string(), "2020-01-01");
        assert_eq!(out.diff.input.len(), 1, "{:?}", out.diff.input);
        assert_eq!(out.diff.input[0].added.len(), 1);
        assert_eq!(out.diff.input[0].removed.len(), 1);
        let path = &out.diff.derived[0];
        assert_eq!(path.relation, "path");
        assert_eq!(path.added.len(), 2); // b→d, c→d
        assert_eq!(path.removed.len(), 2); // a→b, a→c
        let verdicts: Vec<bool> = out.checked.iter().map(|c| c.passed).collect();
        assert_eq!(verdicts, [true, true, false]);
        assert_eq!(out.checked[2].line, 6);
    }

    #[test]
    fn defeasible_theories_are_refused() {
        let mut w = Workspace::from_text("kb.pacta", "bird(a). r1: flies(X) := bird(X).").unwrap();
        let s = scenario(&mut w, "bird(b).");
        let err = run_whatif(&w, &s, Date::today(), &Limits::default()).unwrap_err();
        assert_eq!(err[0].code, crate::diag::Code::Unsupported);
    }

    /// Issue 14: a retraction that matches nothing is a warning, not an error.
    #[test]
    fn retracting_nothing_is_a_warning() {
        let mut w = world();
        let s = scenario(&mut w, "retract edge(z, _).");
        let out = run_whatif(&w, &s, Date::today(), &Limits::default()).unwrap();
        assert_eq!(out.warnings[0].code, crate::diag::Code::InvalidDirective);
        assert!(!out.warnings[0].is_error());
        let s = scenario(&mut w, "retract path(a, _).");
        let out = run_whatif(&w, &s, Date::today(), &Limits::default()).unwrap();
        assert!(
            out.warnings[0]
                .hint
                .as_deref()
                .unwrap_or("")
                .contains("derived")
        );
    }

    #[test]
    fn an_explicit_date_wins_and_says_so() {
        let sites = [(
            Date::parse_iso("2020-01-01").unwrap(),
            "s.pacta:1".to_string(),
        )];
        let (d, notes) = crate::scenario::pick_as_of(None, &sites);
        assert_eq!((d.to_string(), notes.len()), ("2020-01-01".to_string(), 0));
        let (d, notes) = crate::scenario::pick_as_of(Date::parse_iso("2021-01-01"), &sites);
        assert_eq!(d.to_string(), "2021-01-01");
        assert!(notes[0].contains("--as-of 2021-01-01"), "{notes:?}");
    }
}
