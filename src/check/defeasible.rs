//! Checks of defeasible theories (SPEC §3.1): labels, superiority, and where negation as
//! failure may stand.
//!
//! A program is a defeasible theory as soon as it has `:=`, `:~`, `~` or `>`. Its predicates
//! split in two layers: *defeasible* ones (heads of `:=`/`:~` rules, strongly negated ones, and
//! every predicate whose rules read a defeasible one) and the *Datalog base* (all others),
//! which is evaluated first with the full language. `not` and aggregates may read the base
//! only: what "not provable" means for a defeasible literal is what the four conclusion kinds
//! answer, not something a rule may test.

use super::{Role, rule_atoms, rules};
use crate::diag::{Code, Diagnostic, did_you_mean};
use crate::syntax::ast::{Program, RuleKind, Statement};
use crate::syntax::span::Span;
use std::collections::{BTreeMap, BTreeSet};

/// What the rest of the pipeline needs to know about a defeasible theory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefeasibleInfo {
    /// Predicates of the defeasible layer.
    pub preds: BTreeSet<String>,
    /// Rule labels and where they were defined.
    pub labels: BTreeMap<String, Span>,
}

/// Whether the program uses any defeasible construct.
pub fn is_defeasible(program: &Program) -> bool {
    program.statements.iter().any(|s| match s {
        Statement::Superiority(_) => true,
        Statement::Directive(_) => false,
        Statement::Rule(r) => {
            r.kind != RuleKind::Strict || rule_atoms(r).iter().any(|u| u.atom.strong_neg)
        }
    })
}

/// Classifies the predicates and checks labels, superiority and negation; `None` for plain
/// Datalog.
pub(super) fn analyse(program: &Program, diags: &mut Vec<Diagnostic>) -> Option<DefeasibleInfo> {
    if !is_defeasible(program) {
        return None;
    }
    let mut preds = BTreeSet::new();
    for rule in rules(program) {
        if rule.kind != RuleKind::Strict {
            preds.insert(rule.head.pred.name.clone());
        }
        for u in rule_atoms(rule) {
            if u.atom.strong_neg {
                preds.insert(u.atom.pred.name.clone());
            }
        }
    }
    // Close under "a rule reading a defeasible predicate defines a defeasible one", with a
    // worklist so that long chains of rules stay linear.
    let mut readers: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for rule in rules(program) {
        for u in rule_atoms(rule) {
            if u.role == Role::Pos {
                readers
                    .entry(u.atom.pred.name.as_str())
                    .or_default()
                    .push(rule.head.pred.name.as_str());
            }
        }
    }
    let mut work: Vec<String> = preds.iter().cloned().collect();
    while let Some(p) = work.pop() {
        for &head in readers.get(p.as_str()).into_iter().flatten() {
            if preds.insert(head.to_string()) {
                work.push(head.to_string());
            }
        }
    }
    for rule in rules(program) {
        for u in rule_atoms(rule) {
            let layered = matches!(u.role, Role::Neg | Role::AggPos | Role::AggNeg);
            if layered && preds.contains(&u.atom.pred.name) {
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
    }
    let mut labels: BTreeMap<String, Span> = BTreeMap::new();
    for rule in rules(program) {
        let Some(label) = &rule.label else { continue };
        if labels.contains_key(&label.name) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateLabel,
                    label.span,
                    format!("rule label `{}` is used twice", label.name),
                )
                .with_hint("superiority relations name rules by label, so labels must be unique"),
            );
        } else {
            labels.insert(label.name.clone(), label.span);
        }
    }
    for st in &program.statements {
        let Statement::Superiority(sup) = st else {
            continue;
        };
        for side in [&sup.stronger, &sup.weaker] {
            if !labels.contains_key(&side.name) {
                let mut d = Diagnostic::error(
                    Code::UnknownLabel,
                    side.span,
                    format!("no rule is labelled `{}`", side.name),
                );
                d = match did_you_mean(&side.name, labels.keys().map(String::as_str)) {
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
    superiority_cycles(program, &labels, diags);
    Some(DefeasibleInfo { preds, labels })
}

/// Reports each cycle of two or more labels in the superiority relation, once.
fn superiority_cycles(
    program: &Program,
    labels: &BTreeMap<String, Span>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut graph = petgraph::graph::DiGraph::<&str, Span>::new();
    let nodes: BTreeMap<&str, _> = labels
        .keys()
        .map(|l| (l.as_str(), graph.add_node(l.as_str())))
        .collect();
    for st in &program.statements {
        if let Statement::Superiority(sup) = st
            && let (Some(&a), Some(&b)) = (
                nodes.get(sup.stronger.name.as_str()),
                nodes.get(sup.weaker.name.as_str()),
            )
        {
            graph.add_edge(a, b, sup.span);
        }
    }
    for scc in petgraph::algo::tarjan_scc(&graph) {
        if scc.len() < 2 {
            continue;
        }
        let mut names: Vec<&str> = scc.iter().map(|&n| graph[n]).collect();
        names.sort_unstable();
        let span = graph
            .edge_indices()
            .filter(|&e| {
                graph
                    .edge_endpoints(e)
                    .is_some_and(|(a, b)| scc.contains(&a) && scc.contains(&b))
            })
            .map(|e| graph[e])
            .min_by_key(|s| (s.file, s.start))
            .expect("a cycle has edges");
        diags.push(
            Diagnostic::error(
                Code::CyclicSuperiority,
                span,
                format!("superiority runs in a cycle through {}", names.join(", ")),
            )
            .with_hint("superiority must be acyclic: remove one of these `>` statements"),
        );
    }
}
