//! Grounding a defeasible theory with the Datalog engine.
//!
//! Only rule instances whose bodies can be supported are made. The theory is rewritten into a
//! Datalog program (the *grounding program*) where `?L` means "literal `L` may be supported":
//! facts support their literal, every instance `#i(V...)` of rule `i` comes from the rule's
//! body over supported literals (and over the Datalog base, with its `not`s and comparisons),
//! and every instance of a strict or defeasible rule supports its head. The engine's answer for
//! `#i` is exactly the set of ground instances. Rules without variables whose bodies are plain
//! atoms skip the engine: they are their own instance.

use super::theory::{Kind, Lit, Rule, Theory, complement};
use crate::check::defeasible::DefeasibleInfo;
use crate::check::{Analysis, check};
use crate::diag::{Code, Diagnostic};
use crate::driver::{Evaluated, FactFile, Loaded, evaluate_program};
use crate::eval::Limits;
use crate::eval::expr::{EvalError, eval};
use crate::intern::{Interner, Val};
use crate::plan::Expr;
use crate::syntax::ast::{self, Atom, BodyItem, Ident, Program, RuleKind, Statement};
use crate::syntax::span::Span;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};

/// A ground theory with the names behind its literals and rules.
pub struct Grounded {
    /// The propositional theory.
    pub theory: Theory,
    /// Relation names (without `~`), indexed by relation id.
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

fn support(name: &str) -> String {
    format!("?{name}")
}

/// A rule of the defeasible layer, prepared for instantiation.
struct Source<'p> {
    /// The rule, with every `_` of a positive atom named (`_W0`, ...): a ground instance needs
    /// the value at each place of its body literals. Borrowed when it has no `_` (a theory of
    /// a million rules is not copied).
    rule: Cow<'p, ast::Rule>,
    /// Named variables, in order of first appearance (the columns of `#i`).
    vars: Vec<String>,
    /// Whether the rule goes through the grounding program.
    via_engine: bool,
}

/// Grounds the theory of a loaded program that has no errors.
pub fn ground(
    loaded: &Loaded,
    info: &DefeasibleInfo,
    extra: &[FactFile],
    limits: &Limits,
) -> Result<Grounded, Vec<Diagnostic>> {
    let is_d = |name: &str| info.preds.contains(name);
    let mut sources: Vec<Source> = Vec::new();
    let mut base = Program::default();
    for st in &loaded.program.statements {
        match st {
            Statement::Directive(_) => base.statements.push(st.clone()),
            Statement::Superiority(_) => {}
            Statement::Rule(r) if !is_d(&r.head.pred.name) => base.statements.push(st.clone()),
            Statement::Rule(r) if r.is_fact() => {
                let mut fact = r.clone();
                fact.head.pred.name = literal_name(&r.head.pred.name, r.head.strong_neg);
                fact.head.strong_neg = false;
                fact.label = None;
                base.statements.push(Statement::Rule(fact));
            }
            Statement::Rule(r) => {
                let r = name_wildcards(r).map_or(Cow::Borrowed(r), Cow::Owned);
                let vars = rule_vars(&r);
                let plain = r.body.iter().all(|i| matches!(i, BodyItem::Pos(_)));
                sources.push(Source {
                    rule: r,
                    via_engine: !vars.is_empty() || !plain,
                    vars,
                });
            }
        }
    }
    // Literals of the defeasible layer that rules going through the engine read.
    let mut read: BTreeSet<String> = BTreeSet::new();
    for s in sources.iter().filter(|s| s.via_engine) {
        for a in positive_atoms(&s.rule) {
            if is_d(&a.pred.name) {
                read.insert(literal_name(&a.pred.name, a.strong_neg));
            }
        }
    }
    let mut program = base;
    for name in &read {
        let arity = loaded
            .analysis
            .arities
            .get(name.trim_start_matches('~'))
            .copied()
            .unwrap_or(0);
        let span = loaded
            .program
            .statements
            .first()
            .map(stmt_span)
            .unwrap_or_default();
        let args: Vec<ast::Expr> = (0..arity).map(|i| var(&format!("V{i}"), span)).collect();
        program.statements.push(rule(
            atom(&support(name), args.clone(), span),
            vec![BodyItem::Pos(atom(name, args, span))],
            span,
        ));
    }
    for (i, s) in sources.iter().enumerate() {
        let head_name = literal_name(&s.rule.head.pred.name, s.rule.head.strong_neg);
        let span = s.rule.span;
        if !s.via_engine {
            if read.contains(&head_name) && s.rule.kind != RuleKind::Defeater {
                let head = atom(&support(&head_name), s.rule.head.args.clone(), span);
                program.statements.push(rule(head, Vec::new(), span));
            }
            continue;
        }
        let body = s
            .rule
            .body
            .iter()
            .map(|item| match item {
                BodyItem::Pos(a) if is_d(&a.pred.name) => BodyItem::Pos(atom(
                    &support(&literal_name(&a.pred.name, a.strong_neg)),
                    a.args.clone(),
                    a.span,
                )),
                other => other.clone(),
            })
            .collect();
        let inst_args: Vec<ast::Expr> = s.vars.iter().map(|v| var(v, span)).collect();
        program.statements.push(rule(
            atom(&format!("#{i}"), inst_args.clone(), span),
            body,
            span,
        ));
        if s.rule.kind != RuleKind::Defeater && read.contains(&head_name) {
            let head = atom(&support(&head_name), s.rule.head.args.clone(), span);
            program.statements.push(rule(
                head,
                vec![BodyItem::Pos(atom(&format!("#{i}"), inst_args, span))],
                span,
            ));
        }
    }
    let (analysis, diags) = check(&program);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags); // not expected: the theory passed the checks
    }
    let evaluated = evaluate_program(&program, &analysis, &loaded.sources, extra, limits)?;
    Builder::new(evaluated, &loaded.analysis, info).build(loaded, &sources)
}

/// Assembles the propositional theory from the engine's answers.
struct Builder<'a> {
    evaluated: Evaluated,
    analysis: &'a Analysis,
    info: &'a DefeasibleInfo,
    relation_ids: FxHashMap<&'a str, usize>,
    relations: Vec<String>,
    atom_ids: FxHashMap<(usize, Box<[Val]>), u32>,
    atoms: Vec<(usize, Box<[Val]>)>,
}

impl<'a> Builder<'a> {
    fn new(evaluated: Evaluated, analysis: &'a Analysis, info: &'a DefeasibleInfo) -> Builder<'a> {
        let relations: Vec<String> = analysis.arities.keys().cloned().collect();
        let relation_ids = analysis
            .arities
            .keys()
            .enumerate()
            .map(|(i, r)| (r.as_str(), i))
            .collect();
        Builder {
            evaluated,
            analysis,
            info,
            relation_ids,
            relations,
            atom_ids: FxHashMap::default(),
            atoms: Vec::new(),
        }
    }

    fn literal(&mut self, pred: &str, neg: bool, tuple: &[Val]) -> Lit {
        let rel = self.relation_ids[pred];
        let key = (rel, Box::<[Val]>::from(tuple));
        let id = match self.atom_ids.get(&key) {
            Some(&id) => id,
            None => {
                let id = self.atoms.len() as u32;
                self.atoms.push(key.clone());
                self.atom_ids.insert(key, id);
                id
            }
        };
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

    fn build(mut self, loaded: &Loaded, sources: &[Source]) -> Result<Grounded, Vec<Diagnostic>> {
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
            let r = self.evaluated.db.relations[p].rows();
            let rows: Vec<Vec<Val>> = (0..r.len).map(|i| r.row(i).to_vec()).collect();
            for row in rows {
                let l = self.literal(name, neg, &row);
                theory.facts.push(l);
            }
        }
        let mut origins = Vec::new();
        let mut instances: Vec<Vec<usize>> = vec![Vec::new(); sources.len()];
        for (i, s) in sources.iter().enumerate() {
            let kind = match s.rule.kind {
                RuleKind::Strict => Kind::Strict,
                RuleKind::Defeasible => Kind::Defeasible,
                RuleKind::Defeater => Kind::Defeater,
            };
            let compiled = Compiled::new(s, &mut self.evaluated.interner);
            let rows = if s.via_engine {
                self.rows(&format!("#{i}"))
            } else {
                vec![Vec::new()]
            };
            for row in rows {
                let Some((head, body)) = compiled
                    .instantiate(&row, &mut self.evaluated.interner)
                    .map_err(|_| vec![overflow(s.rule.span)])?
                else {
                    continue;
                };
                let head = self.literal(&s.rule.head.pred.name, s.rule.head.strong_neg, &head);
                let body = body
                    .iter()
                    .map(|(p, n, t)| self.literal(p, *n, t))
                    .collect();
                instances[i].push(theory.rules.len());
                theory.rules.push(Rule { kind, head, body });
                origins.push(Origin {
                    label: s.rule.label.as_ref().map(|l| l.name.clone()),
                    span: s.rule.span,
                });
            }
        }
        theory.superiority = superiority(loaded, sources, &instances, &theory.rules);
        theory.atoms = self.atoms.len() as u32;
        Ok(Grounded {
            theory,
            relations: self.relations,
            atoms: self.atoms,
            origins,
            interner: self.evaluated.interner,
        })
    }
}

/// Ground superiority: `a > b` holds between every instance of `a` and every instance of `b`
/// with the complementary head (superiority only matters between rules in conflict).
fn superiority(
    loaded: &Loaded,
    sources: &[Source],
    instances: &[Vec<usize>],
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
        .filter_map(|(i, s)| s.rule.label.as_ref().map(|l| (l.name.as_str(), i)))
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
        for &w in &instances[b] {
            weaker.entry(rules[w].head).or_default().push(w);
        }
        for &s in &instances[a] {
            for &w in weaker.get(&complement(rules[s].head)).into_iter().flatten() {
                out.push((s, w));
            }
        }
    }
    out
}

/// A rule's head and body arguments as expressions over its variables' columns.
struct Compiled<'a> {
    head: Vec<Expr>,
    body: Vec<(&'a str, bool, Vec<Expr>)>,
}

impl<'a> Compiled<'a> {
    fn new(s: &'a Source<'_>, interner: &mut Interner) -> Compiled<'a> {
        let cols: HashMap<&str, usize> = s
            .vars
            .iter()
            .enumerate()
            .map(|(i, v)| (v.as_str(), i))
            .collect();
        let mut conv = |e: &ast::Expr| to_expr(e, &cols, interner);
        let head = s.rule.head.args.iter().map(&mut conv).collect();
        let body = positive_atoms(&s.rule)
            .map(|a| {
                (
                    a.pred.name.as_str(),
                    a.strong_neg,
                    a.args.iter().map(&mut conv).collect(),
                )
            })
            .collect();
        Compiled { head, body }
    }

    /// The head tuple and body literals for one instance; `None` when an argument has no value.
    #[allow(clippy::type_complexity)]
    fn instantiate(
        &self,
        row: &[Val],
        interner: &mut Interner,
    ) -> Result<Option<(Vec<Val>, Vec<(&'a str, bool, Vec<Val>)>)>, EvalError> {
        let mut args = |es: &[Expr]| -> Result<Option<Vec<Val>>, EvalError> {
            let mut out = Vec::with_capacity(es.len());
            for e in es {
                match eval(e, row, interner)? {
                    Some(v) => out.push(v),
                    None => return Ok(None),
                }
            }
            Ok(Some(out))
        };
        let Some(head) = args(&self.head)? else {
            return Ok(None);
        };
        let mut body = Vec::with_capacity(self.body.len());
        for (p, n, es) in &self.body {
            let Some(t) = args(es)? else { return Ok(None) };
            body.push((*p, *n, t));
        }
        Ok(Some((head, body)))
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
                    *arg = var(&format!("_W{n}"), *span);
                    n += 1;
                }
            }
        }
    }
    Some(r)
}

/// Positive body atoms other than `true`.
fn positive_atoms(r: &ast::Rule) -> impl Iterator<Item = &Atom> {
    r.body.iter().filter_map(|i| match i {
        BodyItem::Pos(a) if !(a.pred.name == "true" && a.args.is_empty()) => Some(a),
        _ => None,
    })
}

/// Named variables of a rule (body first), in order of first appearance.
fn rule_vars(r: &ast::Rule) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut note = |id: &Ident| {
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

fn stmt_span(s: &Statement) -> Span {
    match s {
        Statement::Rule(r) => r.span,
        Statement::Superiority(s) => s.span,
        Statement::Directive(d) => d.span,
    }
}

fn var(name: &str, span: Span) -> ast::Expr {
    ast::Expr::Var(Ident {
        name: name.to_string(),
        span,
    })
}

fn atom(name: &str, args: Vec<ast::Expr>, span: Span) -> Atom {
    Atom {
        kind: None,
        strong_neg: false,
        pred: Ident {
            name: name.to_string(),
            span,
        },
        args,
        span,
    }
}

fn rule(head: Atom, body: Vec<BodyItem>, span: Span) -> Statement {
    Statement::Rule(ast::Rule {
        label: None,
        head,
        kind: RuleKind::Strict,
        body,
        span,
    })
}

fn overflow(span: Span) -> Diagnostic {
    Diagnostic::error(Code::IntegerOverflow, span, "integer overflow in this rule")
        .with_hint("values are 64-bit signed integers; the rule's arithmetic left that range")
}
