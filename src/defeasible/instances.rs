//! The ground theory from the grounding program's answers: each rule's instances become
//! propositional rules over numbered atoms.
//!
//! A theory can have a million rules without variables (each its own single instance) over a
//! million relations, so everything here is done once per rule, not once per lookup: each
//! rule's relations are resolved to numbers when the rule is compiled, an atom without
//! arguments is found by its relation number in an array (no hashing of tuples), and nothing
//! is allocated per instance but the rule's own body.

use super::theory::{Kind, Lit, Rule, Theory, complement};
use crate::check::Analysis;
use crate::check::defeasible::DefeasibleInfo;
use crate::diag::{Code, Diagnostic};
use crate::driver::{Evaluated, Loaded};
use crate::eval::expr::{EvalError, eval};
use crate::intern::{Interner, Val};
use crate::plan::Expr;
use crate::syntax::ast::{self, Atom, BodyItem, RuleKind, Statement};
use crate::syntax::span::Span;
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// A ground theory with the names behind its literals and rules.
pub struct Grounded {
    /// The propositional theory.
    pub theory: Theory,
    /// Relation names (without `~`), indexed by relation id, in name order.
    pub relations: Vec<String>,
    /// Per atom: its relation id and tuple.
    pub atoms: Vec<(usize, Box<[Val]>)>,
    /// Per ground rule: the rule it instantiates.
    pub origins: Vec<Origin>,
    /// The constants' table.
    pub interner: Interner,
}

/// Where a ground rule comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    /// The rule's label, if it has one.
    pub label: Option<String>,
    /// The rule as written.
    pub span: Span,
}

/// The name of a literal's relation: `p` or `~p`.
pub fn literal_name(pred: &str, neg: bool) -> String {
    if neg {
        format!("~{pred}")
    } else {
        pred.to_string()
    }
}

/// A rule of the defeasible layer, prepared for instantiation.
pub(super) struct Source<'p> {
    /// The rule as written.
    written: &'p ast::Rule,
    /// The rule with every `_` of a positive atom named (`_W0`, ...), when it has any: a
    /// ground instance needs the value at each place of its body literals.
    named: Option<Box<ast::Rule>>,
    /// Named variables, in order of first appearance (the columns of `#i`).
    pub(super) vars: Vec<String>,
    /// Whether the rule goes through the grounding program.
    pub(super) via_engine: bool,
}

impl<'p> Source<'p> {
    /// Prepares a rule.
    pub(super) fn new(written: &'p ast::Rule) -> Source<'p> {
        let named = name_wildcards(written).map(Box::new);
        let rule = named.as_deref().unwrap_or(written);
        let vars = rule_vars(rule);
        let plain = rule.body.iter().all(|i| matches!(i, BodyItem::Pos(_)));
        Source {
            via_engine: !vars.is_empty() || !plain,
            vars,
            written,
            named,
        }
    }

    /// The rule to instantiate (wildcards named).
    pub(super) fn rule(&self) -> &ast::Rule {
        self.named.as_deref().unwrap_or(self.written)
    }
}

/// No atom yet.
const NONE: u32 = u32::MAX;

/// The one instance of a rule without variables: an empty row.
const NO_VARIABLES: &[Vec<Val>] = &[Vec::new()];

/// Assembles the propositional theory from the engine's answers.
pub(super) struct Builder<'a> {
    evaluated: Evaluated,
    analysis: &'a Analysis,
    info: &'a DefeasibleInfo,
    relation_ids: FxHashMap<&'a str, u32>,
    /// Per relation: its atom without arguments, or [`NONE`].
    nullary: Vec<u32>,
    /// Atoms with arguments.
    atom_ids: FxHashMap<(u32, Box<[Val]>), u32>,
    atoms: Vec<(usize, Box<[Val]>)>,
}

impl<'a> Builder<'a> {
    pub(super) fn new(
        evaluated: Evaluated,
        analysis: &'a Analysis,
        info: &'a DefeasibleInfo,
    ) -> Builder<'a> {
        let relation_ids: FxHashMap<&str, u32> = analysis
            .arities
            .keys()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i as u32))
            .collect();
        Builder {
            evaluated,
            analysis,
            info,
            nullary: vec![NONE; relation_ids.len()],
            relation_ids,
            atom_ids: FxHashMap::default(),
            atoms: Vec::new(),
        }
    }

    fn relation(&self, pred: &str) -> u32 {
        self.relation_ids[pred]
    }

    fn literal(&mut self, rel: u32, neg: bool, tuple: &[Val]) -> Lit {
        let next = self.atoms.len() as u32;
        let id = if tuple.is_empty() {
            let slot = &mut self.nullary[rel as usize];
            if *slot == NONE {
                *slot = next;
            }
            *slot
        } else {
            let key = (rel, Box::<[Val]>::from(tuple));
            match self.atom_ids.get(&key) {
                Some(&id) => id,
                None => {
                    self.atom_ids.insert(key, next);
                    next
                }
            }
        };
        if id == next {
            self.atoms.push((rel as usize, Box::from(tuple)));
        }
        2 * id + u32::from(neg)
    }

    /// The rows of a relation of the grounding program (empty if it has none).
    fn rows(&self, name: &str) -> Vec<Vec<Val>> {
        let Some(p) = self.evaluated.pred(name) else {
            return Vec::new();
        };
        let r = self.evaluated.db.relations[p].rows();
        (0..r.len).map(|i| r.row(i).to_vec()).collect()
    }

    pub(super) fn build(
        mut self,
        loaded: &Loaded,
        sources: &[Source],
    ) -> Result<Grounded, Vec<Diagnostic>> {
        let mut theory = Theory::default();
        // Facts relation by relation in name order, `p` before `~p` (this numbers the atoms).
        // Only the engine's relations are looked at: a theory may have a million relations
        // and a handful of facts.
        let mut facts: Vec<(&'a str, bool, usize)> = Vec::new();
        for (name, p) in self.evaluated.preds() {
            let (bare, neg) = match name.strip_prefix('~') {
                Some(bare) => (bare, true),
                None => (name, false),
            };
            if let Some((key, _)) = self.analysis.arities.get_key_value(bare)
                && (!neg || self.info.preds.contains(bare))
            {
                facts.push((key.as_str(), neg, p));
            }
        }
        facts.sort_unstable();
        for (name, neg, p) in facts {
            let rel = self.relation(name);
            let r = self.evaluated.db.relations[p].rows();
            let rows: Vec<Vec<Val>> = (0..r.len).map(|i| r.row(i).to_vec()).collect();
            for row in rows {
                let l = self.literal(rel, neg, &row);
                theory.facts.push(l);
            }
        }
        let mut origins = Vec::with_capacity(sources.len());
        theory.rules.reserve(sources.len());
        // The instances of source `i` are the ground rules `first[i]..first[i + 1]`.
        let mut first = Vec::with_capacity(sources.len() + 1);
        let mut head_args = Vec::new();
        let mut body_args = Vec::new();
        for (i, s) in sources.iter().enumerate() {
            first.push(theory.rules.len());
            let rule = s.rule();
            let kind = match rule.kind {
                RuleKind::Strict => Kind::Strict,
                RuleKind::Defeasible => Kind::Defeasible,
                RuleKind::Defeater => Kind::Defeater,
            };
            let compiled = Compiled::new(s, &self.relation_ids, &mut self.evaluated.interner);
            let engine_rows;
            let rows: &[Vec<Val>] = if s.via_engine {
                engine_rows = self.rows(&format!("#{i}"));
                &engine_rows
            } else {
                NO_VARIABLES
            };
            for row in rows {
                let complete = compiled
                    .instantiate(
                        row,
                        &mut self.evaluated.interner,
                        &mut head_args,
                        &mut body_args,
                    )
                    .map_err(|_| vec![overflow(rule.span)])?;
                if !complete {
                    continue;
                }
                let head = self.literal(compiled.head.0, compiled.head.1, &head_args);
                let mut body = Vec::with_capacity(compiled.body.len());
                let mut at = 0;
                for (rel, neg, es) in &compiled.body {
                    body.push(self.literal(*rel, *neg, &body_args[at..at + es.len()]));
                    at += es.len();
                }
                theory.rules.push(Rule { kind, head, body });
                origins.push(Origin {
                    label: rule.label.as_ref().map(|l| l.name.clone()),
                    span: rule.span,
                });
            }
        }
        first.push(theory.rules.len());
        theory.superiority = superiority(loaded, sources, &first, &theory.rules);
        theory.atoms = self.atoms.len() as u32;
        Ok(Grounded {
            theory,
            relations: self.analysis.arities.keys().cloned().collect(),
            atoms: self.atoms,
            origins,
            interner: self.evaluated.interner,
        })
    }
}

/// Ground superiority: `a > b` holds between every instance of `a` and every instance of `b`
/// with the complementary head (superiority only matters between rules in conflict). The
/// instances of source `i` are the ground rules `first[i]..first[i + 1]`.
fn superiority(
    loaded: &Loaded,
    sources: &[Source],
    first: &[usize],
    rules: &[Rule],
) -> Vec<(usize, usize)> {
    if !loaded
        .program
        .statements
        .iter()
        .any(|s| matches!(s, Statement::Superiority(_)))
    {
        return Vec::new();
    }
    let by_label: FxHashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.written.label.as_ref().map(|l| (l.name.as_str(), i)))
        .collect();
    let mut out = Vec::new();
    for st in &loaded.program.statements {
        let Statement::Superiority(sup) = st else {
            continue;
        };
        let (Some(&a), Some(&b)) = (
            by_label.get(sup.stronger.name.as_str()),
            by_label.get(sup.weaker.name.as_str()),
        ) else {
            continue; // a label on a fact or a Datalog-base rule: nothing to order
        };
        let mut weaker: FxHashMap<Lit, Vec<usize>> = FxHashMap::default();
        let (from, to) = (first[b], first[b + 1]);
        for (w, rule) in rules[from..to].iter().enumerate() {
            weaker.entry(rule.head).or_default().push(from + w);
        }
        let (from, to) = (first[a], first[a + 1]);
        for (s, rule) in rules[from..to].iter().enumerate() {
            for &w in weaker.get(&complement(rule.head)).into_iter().flatten() {
                out.push((from + s, w));
            }
        }
    }
    out
}

/// A rule's head and body as relation numbers and arguments over its variables' columns.
struct Compiled {
    head: (u32, bool, Vec<Expr>),
    body: Vec<(u32, bool, Vec<Expr>)>,
}

impl Compiled {
    fn new(s: &Source<'_>, relations: &FxHashMap<&str, u32>, interner: &mut Interner) -> Compiled {
        let rule = s.rule();
        let cols: HashMap<&str, usize> = s
            .vars
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i))
            .collect();
        let mut conv = |a: &Atom| {
            let args = a.args.iter().map(|e| to_expr(e, &cols, interner)).collect();
            (relations[a.pred.name.as_str()], a.strong_neg, args)
        };
        let head = conv(&rule.head);
        let body = positive_atoms(rule).map(conv).collect();
        Compiled { head, body }
    }

    /// The head tuple and the body literals' tuples (one after another) of one instance, into
    /// the buffers; `false` when an argument has no value.
    fn instantiate(
        &self,
        row: &[Val],
        interner: &mut Interner,
        head: &mut Vec<Val>,
        body: &mut Vec<Val>,
    ) -> Result<bool, EvalError> {
        let mut args = |es: &[Expr], out: &mut Vec<Val>| -> Result<bool, EvalError> {
            for e in es {
                match eval(e, row, interner)? {
                    Some(v) => out.push(v),
                    None => return Ok(false),
                }
            }
            Ok(true)
        };
        head.clear();
        body.clear();
        if !args(&self.head.2, head)? {
            return Ok(false);
        }
        for (_, _, es) in &self.body {
            if !args(es, body)? {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

fn to_expr(e: &ast::Expr, cols: &HashMap<&str, usize>, interner: &mut Interner) -> Expr {
    match e {
        ast::Expr::Var(id) => Expr::Var(cols[id.name.as_str()]),
        ast::Expr::Wildcard(_) => Expr::Const(interner.str("_")), // not reachable: checked safe
        ast::Expr::Const(c, _) => Expr::Const(interner.intern(c)),
        ast::Expr::Binary { op, lhs, rhs, .. } => Expr::Bin(
            *op,
            Box::new(to_expr(lhs, cols, interner)),
            Box::new(to_expr(rhs, cols, interner)),
        ),
        ast::Expr::Neg(x, _) => Expr::Neg(Box::new(to_expr(x, cols, interner))),
    }
}

/// The rule with each `_` in a positive body atom replaced by a fresh variable `_W<n>`;
/// `None` when it has none.
fn name_wildcards(r: &ast::Rule) -> Option<ast::Rule> {
    let wild = |i: &BodyItem| match i {
        BodyItem::Pos(a) => a.args.iter().any(|e| matches!(e, ast::Expr::Wildcard(_))),
        _ => false,
    };
    if !r.body.iter().any(wild) {
        return None;
    }
    let mut r = r.clone();
    let mut n = 0;
    for item in &mut r.body {
        if let BodyItem::Pos(a) = item {
            for arg in &mut a.args {
                if let ast::Expr::Wildcard(span) = arg {
                    *arg = ast::Expr::Var(ast::Ident {
                        name: format!("_W{n}"),
                        span: *span,
                    });
                    n += 1;
                }
            }
        }
    }
    Some(r)
}

/// Positive body atoms other than `true`.
pub(super) fn positive_atoms(r: &ast::Rule) -> impl Iterator<Item = &Atom> {
    r.body.iter().filter_map(|i| match i {
        BodyItem::Pos(a) if !(a.pred.name == "true" && a.args.is_empty()) => Some(a),
        _ => None,
    })
}

/// Named variables of a rule (body first), in order of first appearance.
fn rule_vars(r: &ast::Rule) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut note = |id: &ast::Ident| {
        if !out.contains(&id.name) {
            out.push(id.name.clone());
        }
    };
    for item in &r.body {
        match item {
            BodyItem::Pos(a) => a.args.iter().for_each(|e| e.for_each_var(&mut note)),
            BodyItem::Cmp { lhs, rhs, .. } => {
                lhs.for_each_var(&mut note);
                rhs.for_each_var(&mut note);
            }
            BodyItem::Agg(g) => note(&g.result),
            BodyItem::Neg(..) => {}
        }
    }
    r.head.args.iter().for_each(|e| e.for_each_var(&mut note));
    out
}

fn overflow(span: Span) -> Diagnostic {
    Diagnostic::error(Code::IntegerOverflow, span, "integer overflow in this rule")
        .with_hint("values are 64-bit signed integers; the rule's arithmetic left that range")
}
