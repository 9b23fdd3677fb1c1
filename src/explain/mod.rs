//! Explanations: why a fact holds (a proof tree of minimal height) and why it does not (the
//! rules that could derive it and the first condition of each that fails).
//!
//! **Nothing is recorded while reasoning.** Explanations are rebuilt on demand from the finished
//! model: the rules the question depends on are matched against the model ([`matcher`]), each
//! derived tuple gets the height of its shallowest derivation by a small fixpoint over those
//! rule instances, and the proof follows the instances of least height. Evaluation itself is
//! untouched, so asking nothing costs nothing.
//!
//! Input facts are cited with their file and line and, where the knowledge base has one, the
//! clause they come from: a fact that mentions an instrument `I` followed by a clause `C` for
//! which `clause(I, C, Text, Fidelity, Source)` holds shows that text (docs/SCHEMA.md). This is
//! presentation only; the engine still knows nothing about treaties.
//!
//! Defeasible theories are explained from their ground theory ([`theory`]): the rules for the
//! literal, those against it, and which superiority decided (or was missing).

pub mod matcher;
mod render;
pub mod summary;
mod summary_text;
pub mod theory;
mod untriggered;
mod why;
mod whynot;

pub use render::{View, render_json, render_text, render_text_with};
pub use why::why;
pub use whynot::why_not;

use crate::diag::{Code, Diagnostic, has_errors};
use crate::syntax::ast::{Expr, Rule, Statement};
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceMap, Span};
use crate::value::Const;
use serde::Serialize;

/// A ground fact asked about: `p(a, 1)` or `~p(a)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Goal {
    /// The relation.
    pub pred: String,
    /// Strongly negated (`~p`), for defeasible theories.
    pub neg: bool,
    /// The arguments.
    pub tuple: Vec<Const>,
}

impl std::fmt::Display for Goal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = if self.neg {
            format!("~{}", self.pred)
        } else {
            self.pred.clone()
        };
        f.write_str(&show_tuple(&name, &self.tuple))
    }
}

/// Parses a ground fact (a trailing `.` is optional). Errors point into `text` (file id 0).
pub fn parse_goal(text: &str) -> Result<Goal, Vec<Diagnostic>> {
    let t = text.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    let (program, diags) = parse(FileId(0), &format!("{t}."));
    if has_errors(&diags) {
        return Err(diags);
    }
    let whole = Span::new(FileId(0), 0..t.len());
    let not_fact = |why: &str| {
        vec![
            Diagnostic::error(Code::InvalidInput, whole, format!("not a ground fact: {why}"))
                .with_hint("ask about one fact with constants only, e.g. `:why obliged(germany, poland, assist, north_atlantic_treaty, discretionary)`"),
        ]
    };
    let [Statement::Rule(rule)] = program.statements.as_slice() else {
        return Err(not_fact("give exactly one fact"));
    };
    if !rule.is_fact() || rule.label.is_some() || rule.head.kind.is_some() {
        return Err(not_fact("a rule, label or conclusion kind"));
    }
    let mut tuple = Vec::new();
    for a in &rule.head.args {
        match matcher::eval(a, &Vec::new()) {
            Some(c) => tuple.push(c),
            None => {
                let span = a.span();
                return Err(vec![
                    Diagnostic::error(
                        Code::InvalidInput,
                        span,
                        "a variable or an expression without a value; explanations are about one ground fact",
                    )
                    .with_hint("to find candidate facts first, ask a query: `?- obliged(S, poland, A, I, L).`"),
                ]);
            }
        }
    }
    Ok(Goal {
        pred: rule.head.pred.name.clone(),
        neg: rule.head.strong_neg,
        tuple,
    })
}

/// An explanation of one fact.
#[derive(Debug, Serialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Explanation {
    /// The fact holds: its proof.
    Holds {
        /// The answer in plain sentences, for the knowledge base's `obliged`/`strongest`.
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<summary::Summary>,
        /// The proof of minimal height.
        proof: Proof,
    },
    /// The fact does not hold: why not.
    Fails {
        /// For an `obliged`/`strongest` fact that holds at another level: that level and the
        /// caps that set it.
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<summary::Summary>,
        /// Candidate rules and near misses.
        why_not: WhyNot,
    },
    /// A literal of a defeasible theory.
    Theory {
        /// The verdict with its rules and attacks.
        verdict: theory::Verdict,
    },
}

/// Where a statement was written.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Location {
    /// File name as loaded (`<session>` for typed text).
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

/// A rule as written, with its place.
#[derive(Clone, Debug, Serialize)]
pub struct RuleRef {
    /// Its label, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Where it is.
    #[serde(flatten)]
    pub at: Location,
    /// Its text, whitespace collapsed.
    pub text: String,
}

/// A proof of a fact: a leaf (an input fact) or a rule whose conditions all hold.
#[derive(Debug, Serialize)]
pub struct Proof {
    /// The fact proved.
    pub fact: String,
    /// Height of this proof: 0 for an input fact, else one more than the highest condition.
    pub height: u32,
    /// How it holds.
    #[serde(flatten)]
    pub step: Step,
}

/// How a fact of a proof holds.
#[derive(Debug, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Step {
    /// A fact written in a file.
    Fact {
        /// Where.
        source: Location,
        /// The instrument and clause it cites, if the knowledge base has their text.
        #[serde(skip_serializing_if = "Option::is_none")]
        citation: Option<Citation>,
    },
    /// A fact imported from a CSV/TSV file.
    Imported,
    /// Proved earlier in the same tree (each derived fact's proof appears once, so a proof is
    /// never larger than the facts it uses).
    Above,
    /// Deeper than the tree shows; ask about this fact to continue.
    Elided,
    /// A rule whose conditions hold.
    Rule {
        /// The rule.
        rule: RuleRef,
        /// Each condition, in the rule's order.
        conditions: Vec<Condition>,
    },
}

/// One condition of a rule instance in a proof.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// A positive atom, with its own proof.
    Proved {
        /// The sub-proof.
        proof: Proof,
    },
    /// `not p(...)`: no fact matches.
    Absent {
        /// The atom, with the instance's values.
        atom: String,
    },
    /// A comparison that holds.
    Comparison {
        /// The comparison with values.
        text: String,
    },
    /// An aggregate and its value.
    Aggregate {
        /// The aggregate with the group's values.
        text: String,
    },
}

/// The text of the clause an input fact comes from.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Citation {
    /// The instrument.
    pub instrument: String,
    /// Its title (`instrument(I, Title)`), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The clause id, e.g. `art5`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The clause's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `verbatim`, `translation`, `paraphrase` or `unverified`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fidelity: Option<String>,
    /// Where the text comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Why a fact does not hold.
#[derive(Debug, Serialize)]
pub struct WhyNot {
    /// The fact asked about.
    pub fact: String,
    /// Whether the program has this relation at all.
    pub known_relation: bool,
    /// The relation's number of arguments, when the fact has another number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arity: Option<usize>,
    /// A relation of the program with a similar name, when this one is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
    /// Every rule whose head could give the fact, and where it stops.
    pub rules: Vec<Attempt>,
    /// Facts of the same relation that agree with it in the most places.
    pub near: Vec<String>,
}

/// One rule that could have derived the fact.
#[derive(Debug, Serialize)]
pub struct Attempt {
    /// The rule.
    pub rule: RuleRef,
    /// Where it stops.
    #[serde(flatten)]
    pub outcome: Outcome,
}

/// Where a candidate rule stops.
#[derive(Debug, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A constant of the head differs from the fact.
    HeadDiffers {
        /// The head, as written.
        head: String,
    },
    /// The first condition (in the rule's order, after binding the head) that no fact meets.
    Fails {
        /// The conditions met before it, for the first candidate that got that far.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        given: Vec<String>,
        /// The condition with the values known at that point.
        condition: String,
        /// What is wrong with it.
        reason: String,
        /// Facts that almost match it.
        near: Vec<String>,
    },
}

/// The location of a span.
pub(crate) fn location(sources: &SourceMap, span: Span) -> Location {
    let file = sources.get(span.file);
    Location {
        file: file.name.clone(),
        line: file.line_col(span.start as usize).0,
    }
}

/// A rule with its place and text.
pub(crate) fn rule_ref(sources: &SourceMap, rule: &Rule) -> RuleRef {
    span_ref(
        sources,
        rule.span,
        rule.label.as_ref().map(|l| l.name.clone()),
    )
}

/// A statement's place and text.
pub(crate) fn span_ref(sources: &SourceMap, span: Span, label: Option<String>) -> RuleRef {
    let file = sources.get(span.file);
    let text = file.text.get(span.range()).unwrap_or_default();
    let text: Vec<&str> = text.split_whitespace().collect();
    RuleRef {
        label,
        at: location(sources, span),
        text: format!("{}.", text.join(" ")),
    }
}

/// `name(a, b)` (or `name` for no arguments).
pub(crate) fn show_tuple(name: &str, tuple: &[Const]) -> String {
    if tuple.is_empty() {
        return name.to_string();
    }
    let args: Vec<String> = tuple.iter().map(|c| c.to_string()).collect();
    format!("{name}({})", args.join(", "))
}

/// An expression with the values of `env` put in (unbound variables keep their names).
pub(crate) fn show_expr(e: &Expr, env: &matcher::Env) -> String {
    if let Some(c) = matcher::eval(e, env) {
        return c.to_string();
    }
    match e {
        Expr::Var(id) => id.name.clone(),
        Expr::Wildcard(_) => "_".into(),
        Expr::Const(c, _) => c.to_string(),
        Expr::Neg(x, _) => format!("-{}", show_expr(x, env)),
        Expr::Binary { op, lhs, rhs, .. } => {
            let op = match op {
                crate::syntax::ast::BinOp::Add => "+",
                crate::syntax::ast::BinOp::Sub => "-",
                crate::syntax::ast::BinOp::Mul => "*",
                crate::syntax::ast::BinOp::Div => "/",
                crate::syntax::ast::BinOp::Mod => "mod",
            };
            format!("({} {op} {})", show_expr(lhs, env), show_expr(rhs, env))
        }
    }
}

/// An atom with the values of `env` put in.
pub(crate) fn show_atom(a: &crate::syntax::ast::Atom, env: &matcher::Env) -> String {
    let name = if a.strong_neg {
        format!("~{}", a.pred.name)
    } else {
        a.pred.name.clone()
    };
    if a.args.is_empty() {
        return name;
    }
    let args: Vec<String> = a.args.iter().map(|e| show_expr(e, env)).collect();
    format!("{name}({})", args.join(", "))
}

/// A body condition with the values of `env` put in.
pub(crate) fn show_item(item: &crate::syntax::ast::BodyItem, env: &matcher::Env) -> String {
    use crate::syntax::ast::{AggFunc, BodyItem, CmpOp};
    match item {
        BodyItem::Pos(a) => show_atom(a, env),
        BodyItem::Neg(a, _) => format!("not {}", show_atom(a, env)),
        BodyItem::Cmp { op, lhs, rhs, .. } => {
            let op = match op {
                CmpOp::Eq => "=",
                CmpOp::Ne => "!=",
                CmpOp::Lt => "<",
                CmpOp::Le => "<=",
                CmpOp::Gt => ">",
                CmpOp::Ge => ">=",
            };
            format!("{} {op} {}", show_expr(lhs, env), show_expr(rhs, env))
        }
        BodyItem::Agg(g) => {
            let func = match g.func {
                AggFunc::Count => "#count",
                AggFunc::Sum => "#sum",
                AggFunc::Min => "#min",
                AggFunc::Max => "#max",
            };
            let terms: Vec<String> = g.terms.iter().map(|t| show_expr(t, env)).collect();
            let body: Vec<String> = g.body.iter().map(|i| show_item(i, env)).collect();
            let result = matcher::lookup(env, &g.result.name)
                .map(|c| c.to_string())
                .unwrap_or_else(|| g.result.name.clone());
            format!(
                "{result} = {func} {{ {} : {} }}",
                terms.join(", "),
                body.join(", ")
            )
        }
    }
}

/// Explains `goal` over a loaded program that has no errors: evaluates it (or reasons about the
/// theory), then builds the proof or the reasons it fails. Evaluation errors, exceeded limits
/// and cancellation come back as diagnostics.
pub fn explain(
    loaded: &crate::driver::Loaded,
    goal: &Goal,
    limits: &crate::eval::Limits,
    ambiguity: crate::defeasible::Ambiguity,
) -> Result<Explanation, Vec<Diagnostic>> {
    if let Some(info) = &loaded.analysis.defeasible
        && !goal.neg
        && !info.preds.contains(&goal.pred)
    {
        // A relation of the theory's Datalog base: explained as Datalog, over the base alone.
        let mut base = crate::driver::Loaded {
            sources: loaded.sources.clone(),
            ..Default::default()
        };
        base.program.statements = loaded
            .program
            .statements
            .iter()
            .filter(|st| match st {
                Statement::Rule(r) => !info.preds.contains(&r.head.pred.name),
                Statement::Directive(_) => true,
                Statement::Superiority(_) => false,
            })
            .cloned()
            .collect();
        let (analysis, diagnostics) = crate::check::check(&base.program);
        base.analysis = analysis;
        base.diagnostics = diagnostics;
        if !base.has_errors() && base.analysis.defeasible.is_none() {
            return explain(&base, goal, limits, ambiguity);
        }
    }
    if loaded.analysis.defeasible.is_some() {
        let reasoned = crate::defeasible::run(loaded, &[], limits, ambiguity)?;
        let verdict = theory::verdict(
            &reasoned,
            &loaded.sources,
            &goal.pred,
            goal.neg,
            &goal.tuple,
        );
        return Ok(Explanation::Theory { verdict });
    }
    if goal.neg {
        return Err(vec![
            Diagnostic::error_nowhere(
                Code::Unsupported,
                format!("`{goal}` is strongly negated, but the program is plain Datalog"),
            )
            .with_hint("`~p` exists only in defeasible theories; ask about the fact without `~`"),
        ]);
    }
    let evaluated = crate::driver::run(loaded, &[], limits)?;
    let model = evaluated
        .model_within(|_| true, limits)
        .map_err(|d| vec![d])?;
    let facts = matcher::Facts::new(&model, limits);
    let cancelled = |s: matcher::Stop| vec![s.diagnostic()];
    let summary = summary::summarize(loaded, &facts, goal).map_err(cancelled)?;
    match why(loaded, &facts, goal, limits.max_facts).map_err(cancelled)? {
        Some(proof) => Ok(Explanation::Holds { summary, proof }),
        None => Ok(Explanation::Fails {
            summary,
            why_not: why_not(loaded, &facts, goal).map_err(cancelled)?,
        }),
    }
}
