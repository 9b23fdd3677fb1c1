//! Checks of defeasible theories (SPEC §3.1): labels, superiority, and where negation as
//! failure may stand.
//!
//! A program is a defeasible theory as soon as it has `:=`, `:~`, `~` or `>`. Its predicates
//! split in two layers: *defeasible* ones (heads of `:=`/`:~` rules, strongly negated ones, and
//! every predicate whose rules read a defeasible one) and the *Datalog base* (all others),
//! which is evaluated first with the full language. `not` and aggregates may read the base
//! only: what "not provable" means for a defeasible literal is what the four conclusion kinds
//! answer, not something a rule may test.

use super::preds::{PredId, Preds, Use};
use super::{Role, rules};
use crate::diag::{Code, Diagnostic, MAX_SUGGESTIONS, did_you_mean};
use crate::syntax::ast::{BodyItem, Program, RuleKind, Statement};
use crate::syntax::span::Span;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;

/// What the rest of the pipeline needs to know about a defeasible theory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefeasibleInfo {
    /// Predicates of the defeasible layer.
    pub preds: FxHashSet<String>,
}

/// Whether the program uses any defeasible construct.
pub fn is_defeasible(program: &Program) -> bool {
    program.statements.iter().any(is_defeasible_statement)
}

/// Whether one statement is a defeasible construct (`:=`, `:~`, `~` or `>`).
pub fn is_defeasible_statement(s: &Statement) -> bool {
    match s {
        Statement::Superiority(_) => true,
        Statement::Directive(_) => false,
        Statement::Rule(r) => r.kind != RuleKind::Strict || has_strong_negation(r),
    }
}

/// Whether a rule mentions `~p` anywhere (without allocating: this runs on every rule).
fn has_strong_negation(r: &crate::syntax::ast::Rule) -> bool {
    fn items(body: &[BodyItem]) -> bool {
        body.iter().any(|i| match i {
            BodyItem::Pos(a) | BodyItem::Neg(a, _) => a.strong_neg,
            BodyItem::Cmp { .. } => false,
            BodyItem::Agg(g) => items(&g.body),
        })
    }
    r.head.strong_neg || items(&r.body)
}

/// Classifies the predicates and checks labels, superiority and negation; `None` for plain
/// Datalog.
pub(super) fn analyse(
    program: &Program,
    preds: &Preds,
    diags: &mut Vec<Diagnostic>,
) -> Option<DefeasibleInfo> {
    if !is_defeasible(program) {
        return None;
    }
    // One pass over the atoms: the directly defeasible predicates, and who reads whom (as
    // `(read, reader)` pairs, grouped by the predicate read afterwards). Here `true` is a name
    // like any other (number `n`): a program that defines it has an error already, and the
    // layers say what they always said about it.
    let n = preds.len();
    let slot = |p: PredId| if p == Preds::TRUE { n } else { p as usize };
    let mut layered = vec![false; n + 1];
    let mut reads: Vec<(usize, usize)> = Vec::new();
    for (rule, uses) in preds.rules(program) {
        let head = slot(uses[0].pred);
        if rule.kind != RuleKind::Strict {
            layered[head] = true;
        }
        for u in uses {
            if u.atom.atom.strong_neg {
                layered[slot(u.pred)] = true;
            }
            if u.atom.role == Role::Pos {
                reads.push((slot(u.pred), head));
            }
        }
    }
    // Close under "a rule reading a defeasible predicate defines a defeasible one", with a
    // worklist so that long chains of rules stay linear.
    let mut start = vec![0usize; n + 2];
    for &(read, _) in &reads {
        start[read + 1] += 1;
    }
    for i in 0..=n {
        start[i + 1] += start[i];
    }
    let mut readers = vec![0; reads.len()];
    let mut fill = start.clone();
    for &(read, reader) in &reads {
        readers[fill[read]] = reader;
        fill[read] += 1;
    }
    drop((reads, fill));
    let mut work: Vec<usize> = (0..=n).filter(|&p| layered[p]).collect();
    while let Some(p) = work.pop() {
        for &head in &readers[start[p]..start[p + 1]] {
            if !layered[head] {
                layered[head] = true;
                work.push(head);
            }
        }
    }
    for &Use { atom: u, pred } in preds.uses() {
        if layered[slot(pred)] && matches!(u.role, Role::Neg | Role::AggPos | Role::AggNeg) {
            let what = if u.role == Role::Neg {
                "`not`"
            } else {
                "an aggregate"
            };
            diags.push(
                Diagnostic::error(
                    Code::Unsupported,
                    u.literal,
                    format!(
                        "{what} cannot read `{}`, a predicate of the defeasible layer",
                        u.atom.pred.name
                    ),
                )
                .with_hint(
                    "use strong negation `~p` with a defeasible rule or defeater, or compute the \
                     condition from plain facts and `:-` rules only",
                ),
            );
        }
    }
    let name = |p: usize| {
        if p == n {
            super::TRUE
        } else {
            preds.name(p as PredId)
        }
    };
    let preds: FxHashSet<String> = (0..=n)
        .filter(|&p| layered[p])
        .map(|p| name(p).to_string())
        .collect();
    let labelled = rules(program).filter(|r| r.label.is_some()).count();
    let mut seen: FxHashMap<&str, Span> =
        FxHashMap::with_capacity_and_hasher(labelled, Default::default());
    for rule in rules(program) {
        let Some(label) = &rule.label else { continue };
        if seen.contains_key(label.name.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateLabel,
                    label.span,
                    format!("rule label `{}` is used twice", label.name),
                )
                .with_hint("superiority relations name rules by label, so labels must be unique"),
            );
        } else {
            seen.insert(&label.name, label.span);
        }
    }
    let mut suggested = 0;
    for st in &program.statements {
        let Statement::Superiority(sup) = st else {
            continue;
        };
        for side in [&sup.stronger, &sup.weaker] {
            if !seen.contains_key(side.name.as_str()) {
                let mut d = Diagnostic::error(
                    Code::UnknownLabel,
                    side.span,
                    format!("no rule is labelled `{}`", side.name),
                );
                suggested += 1;
                let near = (suggested <= MAX_SUGGESTIONS)
                    .then(|| did_you_mean(&side.name, seen.keys().copied()))
                    .flatten();
                d = match near {
                    Some(near) => d.with_hint(format!("did you mean `{near}`?")),
                    None => d.with_hint("label a rule with `name: head := body.`"),
                };
                diags.push(d);
            }
        }
        if sup.stronger.name == sup.weaker.name {
            diags.push(
                Diagnostic::error(
                    Code::CyclicSuperiority,
                    sup.span,
                    format!("`{}` cannot be superior to itself", sup.stronger.name),
                )
                .with_hint("superiority must be acyclic"),
            );
        }
    }
    superiority_cycles(program, &seen, diags);
    Some(DefeasibleInfo { preds })
}

/// Reports each cycle of two or more labels in the superiority relation, once.
fn superiority_cycles(
    program: &Program,
    labels: &FxHashMap<&str, Span>,
    diags: &mut Vec<Diagnostic>,
) {
    // Only labels that some superiority statement names are nodes.
    let mut graph = petgraph::graph::DiGraph::<&str, Span>::new();
    let mut nodes: BTreeMap<&str, petgraph::graph::NodeIndex> = BTreeMap::new();
    for st in &program.statements {
        let Statement::Superiority(sup) = st else {
            continue;
        };
        let (a, b) = (sup.stronger.name.as_str(), sup.weaker.name.as_str());
        if !labels.contains_key(a) || !labels.contains_key(b) {
            continue;
        }
        let a = *nodes.entry(a).or_insert_with(|| graph.add_node(a));
        let b = *nodes.entry(b).or_insert_with(|| graph.add_node(b));
        graph.add_edge(a, b, sup.span);
    }
    for scc in petgraph::algo::kosaraju_scc(&graph) {
        if scc.len() < 2 {
            continue;
        }
        let mut names: Vec<&str> = scc.iter().map(|&n| graph[n]).collect();
        names.sort_unstable();
        // A set, not `scc.contains`: a cycle through 100,000 labels made that quadratic.
        let members: std::collections::HashSet<_> = scc.iter().copied().collect();
        let span = graph
            .edge_indices()
            .filter(|&e| {
                graph
                    .edge_endpoints(e)
                    .is_some_and(|(a, b)| members.contains(&a) && members.contains(&b))
            })
            .map(|e| graph[e])
            .min_by_key(|s| (s.file, s.start))
            .expect("a cycle has edges");
        diags.push(
            Diagnostic::error(
                Code::CyclicSuperiority,
                span,
                format!(
                    "superiority runs in a cycle through {}",
                    crate::diag::short_list(&names, ", ")
                ),
            )
            .with_hint("superiority must be acyclic: remove one of these `>` statements"),
        );
    }
}
