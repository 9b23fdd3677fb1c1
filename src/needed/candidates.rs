//! The candidate changes the knowledge base proposes for a goal: its `assumable/4` declarations
//! and the `assume_<Relation>` rows its rules derive (rules/assumable.pacta), read from a model
//! evaluated with the goal's `needed_arg/3` facts.

use super::{Change, Mode};
use crate::driver::Model;
use crate::syntax::ast::{BodyItem, Expr, Rule, Statement};
use crate::syntax::span::Span;
use crate::value::Const;
use std::collections::BTreeMap;

/// The relation of the knowledge base's declarations.
pub(super) const ASSUMABLE: &str = "assumable";
/// The prefix of the candidate relations.
pub(super) const ASSUME: &str = "assume_";
/// The relation that carries the goal's constants.
const NEEDED_ARG: &str = "needed_arg";

/// Whether the probe evaluation must decode relation `name`.
pub(super) fn wanted(name: &str) -> bool {
    name == ASSUMABLE || name.starts_with(ASSUME)
}

/// `needed_arg(Rel, Position, Constant)` for every constant of every atom of the goal's body
/// (positive or negated, at its top level), positions from 1.
pub(super) fn goal_facts(body: &[BodyItem]) -> Vec<Statement> {
    let mut out = Vec::new();
    for item in body {
        let (BodyItem::Pos(a) | BodyItem::Neg(a, _)) = item else {
            continue;
        };
        for (i, arg) in a.args.iter().enumerate() {
            if let Expr::Const(c, _) = arg {
                let pos = Const::Int(i as i64 + 1);
                let rel = Const::Str(a.pred.name.clone().into());
                out.push(Statement::Rule(Rule::fact(
                    NEEDED_ARG,
                    vec![rel, pos, c.clone()],
                    Span::default(),
                )));
            }
        }
    }
    out
}

/// For each clause (instrument, clause), the indexes of the changes proposed for it.
pub(super) type Pools = BTreeMap<(String, String), Vec<usize>>;

/// The candidates, deduplicated and sorted (by relation, mode and fact), and for each clause
/// (instrument, clause) the indexes of the changes proposed for it.
pub(super) fn read(model: &Model) -> (Vec<Change>, Pools) {
    let mut by_fact: BTreeMap<(String, Vec<Const>), Change> = BTreeMap::new();
    let empty = Vec::new();
    for decl in model.relations.get(ASSUMABLE).unwrap_or(&empty) {
        let [Const::Str(rel), Const::Int(arity), Const::Str(mode), text] = decl.as_slice() else {
            continue;
        };
        let mode = match mode.as_ref() {
            "add" => Mode::Add,
            "retract" => Mode::Retract,
            "replace" => Mode::Replace,
            _ => continue,
        };
        let Ok(arity) = usize::try_from(*arity) else {
            continue;
        };
        let name = format!("{ASSUME}{rel}");
        for row in model.relations.get(&name).unwrap_or(&empty) {
            if row.len() != arity + 2 {
                continue;
            }
            let serves = (row[0].to_plain(), row[1].to_plain());
            let fact = row[2..].to_vec();
            let change = by_fact
                .entry((rel.to_string(), fact.clone()))
                .or_insert_with(|| Change {
                    relation: rel.to_string(),
                    mode,
                    fact,
                    description: text.to_plain(),
                    serves: Vec::new(),
                });
            if !change.serves.contains(&serves) {
                change.serves.push(serves);
            }
        }
    }
    let changes: Vec<Change> = by_fact.into_values().collect();
    let mut pools: Pools = BTreeMap::new();
    for (i, c) in changes.iter().enumerate() {
        for s in &c.serves {
            pools.entry(s.clone()).or_default().push(i);
        }
    }
    (changes, pools)
}

impl Change {
    /// Whether this change removes statement `st` (a fact).
    pub(super) fn removes(&self, st: &Statement) -> bool {
        let Statement::Rule(r) = st else {
            return false;
        };
        if !r.is_fact() || r.head.pred.name != self.relation || r.head.args.len() != self.fact.len()
        {
            return false;
        }
        let value = |e: &Expr| match e {
            Expr::Const(c, _) => Some(c.clone()),
            _ => None,
        };
        match self.mode {
            Mode::Add => false,
            Mode::Retract => r
                .head
                .args
                .iter()
                .zip(&self.fact)
                .all(|(e, c)| value(e).as_ref() == Some(c)),
            Mode::Replace => {
                r.head.args.first().and_then(value).as_ref() == self.fact.first()
                    && r.head.args.len() == self.fact.len()
            }
        }
    }

    /// The fact this change adds, if it adds one.
    pub(super) fn added(&self) -> Option<Statement> {
        (self.mode != Mode::Retract).then(|| {
            Statement::Rule(Rule::fact(
                &self.relation,
                self.fact.clone(),
                Span::default(),
            ))
        })
    }

    /// The `retract` pattern of a what-if file, if this change retracts: the fact itself, or
    /// for `replace` the first argument and `_` for the rest.
    pub(super) fn retract_pattern(&self) -> Option<String> {
        let args: Vec<String> = match self.mode {
            Mode::Add => return None,
            Mode::Retract => self.fact.iter().map(Const::to_string).collect(),
            Mode::Replace => self
                .fact
                .iter()
                .enumerate()
                .map(|(i, c)| if i == 0 { c.to_string() } else { "_".into() })
                .collect(),
        };
        Some(format!("{}({})", self.relation, args.join(", ")))
    }
}

/// An atom's text, for unit tests and diagnostics.
#[cfg(test)]
pub(super) fn atom_text(a: &crate::syntax::ast::Atom) -> String {
    crate::explain::show_atom(a, &Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(mode: Mode, fact: &[&str]) -> Change {
        Change {
            relation: "form".into(),
            mode,
            fact: fact.iter().map(|s| Const::Str((*s).into())).collect(),
            description: String::new(),
            serves: Vec::new(),
        }
    }

    fn stmt(text: &str) -> Statement {
        let (p, _) = crate::syntax::parse(crate::syntax::span::FileId(0), text);
        p.statements.into_iter().next().unwrap()
    }

    #[test]
    fn replace_removes_every_fact_with_the_same_first_argument() {
        let c = change(Mode::Replace, &["plan", "legally_binding"]);
        assert!(c.removes(&stmt("form(plan, proposed).")));
        assert!(!c.removes(&stmt("form(other, proposed).")));
        assert!(!c.removes(&stmt("form(plan).")));
        assert_eq!(c.retract_pattern().unwrap(), "form(plan, _)");
        assert!(c.added().is_some());
    }

    #[test]
    fn retract_removes_only_the_fact_itself() {
        let c = change(Mode::Retract, &["plan", "proposed"]);
        assert!(c.removes(&stmt("form(plan, proposed).")));
        assert!(!c.removes(&stmt("form(plan, political).")));
        assert!(c.added().is_none());
        assert!(!change(Mode::Add, &["plan", "x"]).removes(&stmt("form(plan, x).")));
    }

    #[test]
    fn goal_constants_become_needed_arg_facts() {
        let (p, _) = crate::syntax::parse(
            crate::syntax::span::FileId(0),
            "h :- obliged(us, ua, A, I, L), not suspended(I, us, _, _), L != x.",
        );
        let Statement::Rule(r) = &p.statements[0] else {
            panic!()
        };
        let facts: Vec<String> = goal_facts(&r.body)
            .iter()
            .map(|s| match s {
                Statement::Rule(r) => atom_text(&r.head),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            facts,
            [
                "needed_arg(obliged, 1, us)",
                "needed_arg(obliged, 2, ua)",
                "needed_arg(suspended, 2, us)"
            ]
        );
    }
}
