//! The syntax tree: what the user wrote, with spans, before any analysis.
//!
//! The parser always returns a `Program` (possibly partial) together with its diagnostics, so
//! every later stage can still report its own problems for the parts that did parse.

use super::span::Span;
use crate::value::Const;

/// A parsed file: its statements in source order.
#[derive(Clone, Debug, Default)]
pub struct Program {
    /// Facts, rules, superiority relations and directives, in order.
    pub statements: Vec<Statement>,
}

/// One `.`-terminated statement.
#[derive(Clone, Debug)]
pub enum Statement {
    /// A fact (a rule with an empty body) or a rule.
    Rule(Rule),
    /// `stronger > weaker.` between rule labels (defeasible logic).
    Superiority(Superiority),
    /// `@name args.` — e.g. `@import edge "edges.csv".`
    Directive(Directive),
}

/// A name with where it was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    /// The text (predicate, variable, label or symbol name).
    pub name: String,
    /// Where it was written.
    pub span: Span,
}

/// Which arrow a rule uses; plain Datalog only has `Strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// `:-` (and facts).
    Strict,
    /// `:=`
    Defeasible,
    /// `:~` — only blocks the opposite conclusion.
    Defeater,
}

/// `label: head ARROW body.`; a fact is a rule with an empty body and `Strict` kind.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Optional `label:` prefix.
    pub label: Option<Ident>,
    /// The conclusion.
    pub head: Atom,
    /// The arrow used.
    pub kind: RuleKind,
    /// Conditions, in source order (empty for facts).
    pub body: Vec<BodyItem>,
    /// The whole statement, without the final `.`.
    pub span: Span,
}

impl Rule {
    /// A fact: no body, strict arrow (`p(a).`).
    pub fn is_fact(&self) -> bool {
        self.body.is_empty() && self.kind == RuleKind::Strict
    }

    /// The fact `pred(values...).`, for statements the tool adds itself (the as-of date, CSV
    /// rows, a scenario's assumptions); every part carries `span`.
    pub fn fact(pred: &str, values: Vec<Const>, span: Span) -> Rule {
        Rule {
            label: None,
            head: Atom {
                kind: None,
                strong_neg: false,
                pred: Ident {
                    name: pred.to_string(),
                    span,
                },
                args: values.into_iter().map(|c| Expr::Const(c, span)).collect(),
                span,
            },
            kind: RuleKind::Strict,
            body: Vec::new(),
            span,
        }
    }
}

/// `pred(args)` or `~pred(args)`; `pred` alone is 0-ary.
#[derive(Clone, Debug)]
pub struct Atom {
    /// In a query over a defeasible theory: which conclusion kind is asked (`+d p(X)`).
    pub kind: Option<ConclusionKind>,
    /// `~` (strong negation) in front.
    pub strong_neg: bool,
    /// Predicate name.
    pub pred: Ident,
    /// Arguments (expressions; most are plain variables or constants).
    pub args: Vec<Expr>,
    /// From the predicate (or `~`) to the closing parenthesis.
    pub span: Span,
}

/// The four conclusion kinds of defeasible logic, as written before an atom in a query.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConclusionKind {
    /// `+D`: definitely provable.
    Definitely,
    /// `-D`: definitely not provable.
    NotDefinitely,
    /// `+d`: defeasibly provable.
    Defeasibly,
    /// `-d`: defeasibly not provable.
    NotDefeasibly,
}

impl ConclusionKind {
    /// The marker as written (`+D`, `-D`, `+d`, `-d`).
    pub fn marker(self) -> &'static str {
        match self {
            ConclusionKind::Definitely => "+D",
            ConclusionKind::NotDefinitely => "-D",
            ConclusionKind::Defeasibly => "+d",
            ConclusionKind::NotDefeasibly => "-d",
        }
    }

    /// The key of this kind in `eval` output (`definitely`, ...).
    pub fn key(self) -> &'static str {
        match self {
            ConclusionKind::Definitely => "definitely",
            ConclusionKind::NotDefinitely => "not_definitely",
            ConclusionKind::Defeasibly => "defeasibly",
            ConclusionKind::NotDefeasibly => "not_defeasibly",
        }
    }
}

/// A term or an arithmetic expression.
#[derive(Clone, Debug)]
pub enum Expr {
    /// A named variable (`X`, `_Tmp`).
    Var(Ident),
    /// The anonymous variable `_`.
    Wildcard(Span),
    /// A constant literal.
    Const(Const, Span),
    /// `lhs op rhs`.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// The whole expression.
        span: Span,
    },
    /// `-expr` where `expr` is not a literal (a negative literal is folded into `Const`).
    Neg(Box<Expr>, Span),
}

impl Expr {
    /// Where the expression was written.
    pub fn span(&self) -> Span {
        match self {
            Expr::Var(id) => id.span,
            Expr::Wildcard(s) | Expr::Const(_, s) | Expr::Neg(_, s) => *s,
            Expr::Binary { span, .. } => *span,
        }
    }

    /// The variable's name when the expression is a plain variable.
    pub fn var_name(&self) -> Option<&str> {
        match self {
            Expr::Var(id) => Some(&id.name),
            _ => None,
        }
    }

    /// Calls `f` on every named variable in the expression, left to right.
    pub fn for_each_var<'a>(&'a self, f: &mut impl FnMut(&'a Ident)) {
        match self {
            Expr::Var(id) => f(id),
            Expr::Wildcard(_) | Expr::Const(..) => {}
            Expr::Binary { lhs, rhs, .. } => {
                lhs.for_each_var(f);
                rhs.for_each_var(f);
            }
            Expr::Neg(e, _) => e.for_each_var(f),
        }
    }
}

/// Arithmetic operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/` (truncating)
    Div,
    /// `mod` (sign of the dividend)
    Mod,
}

/// Comparison operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// Named variables that a goal's positive atoms, `=` bindings or aggregates bind, in order of
/// first appearance, leaving out `_`-prefixed names (as in Prolog): the columns of an answer
/// table, the same in `pacta query`, the REPL and scenario expectations.
pub fn binding_vars(body: &[BodyItem]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut note = |name: &str| {
        if !name.starts_with('_') && !out.iter().any(|v| v == name) {
            out.push(name.to_string());
        }
    };
    for item in body {
        match item {
            BodyItem::Pos(a) => a.args.iter().filter_map(Expr::var_name).for_each(&mut note),
            BodyItem::Cmp {
                op: CmpOp::Eq,
                lhs,
                rhs,
                ..
            } => [lhs, rhs]
                .into_iter()
                .filter_map(Expr::var_name)
                .for_each(&mut note),
            BodyItem::Agg(agg) => note(&agg.result.name),
            BodyItem::Neg(..) | BodyItem::Cmp { .. } => {}
        }
    }
    out
}

/// One condition of a rule body.
#[derive(Clone, Debug)]
pub enum BodyItem {
    /// A positive atom (`member(S, T)`); `true` is an atom too.
    Pos(Atom),
    /// `not atom`, with the span of the whole literal.
    Neg(Atom, Span),
    /// `lhs op rhs`.
    Cmp {
        /// The comparison.
        op: CmpOp,
        /// Left side.
        lhs: Expr,
        /// Right side.
        rhs: Expr,
        /// The whole comparison.
        span: Span,
    },
    /// `Result = #func { terms : body }`.
    Agg(Aggregate),
}

/// Aggregate functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggFunc {
    /// `#count`
    Count,
    /// `#sum`
    Sum,
    /// `#min`
    Min,
    /// `#max`
    Max,
}

/// `Result = #func { T1, ..., Tn : body }`: `func` over the set of distinct tuples
/// `(T1, ..., Tn)` for which `body` holds (sum/min/max use `T1`).
#[derive(Clone, Debug)]
pub struct Aggregate {
    /// The variable that receives the result.
    pub result: Ident,
    /// The function.
    pub func: AggFunc,
    /// The element tuple (at least one term).
    pub terms: Vec<Expr>,
    /// Conditions over which it ranges (atoms, negations, comparisons; no nested aggregates).
    pub body: Vec<BodyItem>,
    /// The whole `R = #f{...}`.
    pub span: Span,
}

/// `label1 > label2.`
#[derive(Clone, Debug)]
pub struct Superiority {
    /// The rule that wins.
    pub stronger: Ident,
    /// The rule that loses.
    pub weaker: Ident,
    /// The whole statement.
    pub span: Span,
}

/// `@name arg ... .` — a directive. Arguments are kept as raw tokens' values.
#[derive(Clone, Debug)]
pub struct Directive {
    /// Directive name without `@`.
    pub name: Ident,
    /// Arguments: identifiers as `Const::Str`, strings, integers, dates.
    pub args: Vec<(Const, Span)>,
    /// The whole statement.
    pub span: Span,
}
