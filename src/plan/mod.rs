//! Stage 3: the evaluation plan — what the engine runs, with every name already resolved.
//!
//! A rule becomes a pipeline over *views* (a predicate's tuples filtered by the constants and
//! repeated variables of one body atom and projected to the columns the rule needs, join key
//! first) and *intermediates* (partial bindings after each join). Conditions that are not atoms
//! (comparisons, `=` bindings, negation, aggregate lookups) are `Op`s, placed at the first stage
//! where their variables are bound. Identical views are shared by all rules of a stratum, so an
//! index is built once however many rules use it.

mod build;
mod order;
mod resolved;
mod stages;

pub use build::build;

use crate::intern::Val;
use crate::syntax::ast::{AggFunc, BinOp, CmpOp};
use crate::syntax::span::Span;

/// Index of a predicate in [`Plan::preds`].
pub type PredId = usize;
/// Index of a variable slot in a rule's scratch bindings.
pub type VarId = usize;
/// Index of a view in [`Plan::views`].
pub type ViewId = usize;

/// The whole program, ready to run.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every predicate (user ones first, then hidden helpers for aggregates).
    pub preds: Vec<PredInfo>,
    /// Every view used by some rule.
    pub views: Vec<ViewSpec>,
    /// Lookup tables over completed lower-strata relations (negated atoms, leapjoin atoms).
    pub tables: Vec<TableSpec>,
    /// Every aggregate's table.
    pub aggs: Vec<AggSpec>,
    /// Strata in evaluation order.
    pub strata: Vec<StratumPlan>,
    /// Facts written in the program (or imported), per predicate.
    pub facts: Vec<FactRows>,
}

/// Ground facts of one predicate, as flat rows (a count is kept because 0-ary rows are empty).
#[derive(Clone, Debug, Default)]
pub struct FactRows {
    /// Row after row.
    pub data: Vec<Val>,
    /// Number of rows (duplicates allowed; evaluation removes them).
    pub len: usize,
    /// Whether the rows are known to be sorted and distinct (evaluation then does not sort
    /// them again: a variant's facts, see `overlay`).
    pub distinct: bool,
}

impl FactRows {
    /// Adds one row.
    pub fn push(&mut self, row: &[Val]) {
        self.data.extend_from_slice(row);
        self.len += 1;
        self.distinct = false;
    }
}

impl Plan {
    /// The id of a user predicate by name.
    pub fn pred_id(&self, name: &str) -> Option<PredId> {
        self.preds.iter().position(|p| p.name == name && !p.hidden)
    }
}

/// A predicate's identity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PredInfo {
    /// Name as written (hidden helpers start with `$`).
    pub name: String,
    /// Number of columns.
    pub arity: usize,
    /// Whether it is an internal helper that answers never show.
    pub hidden: bool,
}

/// A predicate's tuples filtered by one atom's constants and repeated variables, projected.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ViewSpec {
    /// The predicate read.
    pub pred: PredId,
    /// Conditions on the predicate's columns.
    pub filters: Vec<ColFilter>,
    /// Columns of the predicate kept, in view order (join key first).
    pub cols: Vec<usize>,
}

impl ViewSpec {
    /// Whether the view is the predicate itself (no filter, all columns in order).
    pub fn is_identity(&self, arity: usize) -> bool {
        self.filters.is_empty()
            && self.cols.len() == arity
            && self.cols.iter().enumerate().all(|(i, &c)| i == c)
    }
}

/// A condition on one row of a predicate.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ColFilter {
    /// Column equals a constant.
    Const(usize, Val),
    /// Two columns are equal (a variable repeated in one atom).
    SameAs(usize, usize),
}

/// A sorted lookup table over a completed relation: the tuples of `pred` passing `filters`,
/// projected to `cols`. Negated atoms look their key up in one; leapjoins propose and
/// intersect values from them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TableSpec {
    /// The relation read (complete: it lives in a lower stratum).
    pub pred: PredId,
    /// Constants and repeated "there is none" variables.
    pub filters: Vec<ColFilter>,
    /// Columns kept, in key order (for leapjoins, the proposed value's column last).
    pub cols: Vec<usize>,
}

/// An aggregate's table: helper predicate `pred` holds `(group..., element...)` rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AggSpec {
    /// Hidden helper predicate filled by the aggregate's body.
    pub pred: PredId,
    /// Number of leading group columns.
    pub group_len: usize,
    /// The function.
    pub func: AggFunc,
    /// The aggregate, for overflow errors.
    pub span: Span,
}

/// One strongly connected component: its predicates and the rules defining them.
#[derive(Clone, Debug, Default)]
pub struct StratumPlan {
    /// Predicates computed here.
    pub preds: Vec<PredId>,
    /// Rules whose heads are here (facts excluded: see [`Plan::facts`]).
    pub rules: Vec<RulePlan>,
    /// Whether rules read predicates of this stratum (iteration needed).
    pub recursive: bool,
}

/// One rule, compiled.
#[derive(Clone, Debug)]
pub struct RulePlan {
    /// The rule as written, for errors.
    pub span: Span,
    /// The head predicate.
    pub head: PredId,
    /// Head arguments over the scratch bindings.
    pub head_args: Vec<Expr>,
    /// Number of variable slots.
    pub nvars: usize,
    /// How the body is evaluated.
    pub body: Body,
}

/// The shape of a rule body.
#[derive(Clone, Debug)]
pub enum Body {
    /// No positive atom: the ops run once on empty bindings.
    Static {
        /// Conditions and bindings.
        ops: Vec<Op>,
    },
    /// One positive atom.
    Scan {
        /// The atom's view.
        view: ViewId,
        /// The variable in each view column.
        vars: Vec<VarId>,
        /// Conditions applied to each row.
        ops: Vec<Op>,
    },
    /// Two or more positive atoms, joined left to right.
    Joins {
        /// Join stages; stage 0 reads a view on the left, later stages an intermediate.
        stages: Vec<JoinStage>,
    },
}

/// One step of a multi-atom body: combine the bindings so far with one or more atoms, run
/// the ops, and pass the result on.
#[derive(Clone, Debug)]
pub struct JoinStage {
    /// Left input: the bindings so far.
    pub left: Input,
    /// Variable in each left column.
    pub left_vars: Vec<VarId>,
    /// What the left side is combined with.
    pub right: Right,
    /// Conditions and bindings once both sides are bound.
    pub ops: Vec<Op>,
    /// Where the result goes: the next stage's intermediate (`Some(vars)`) or the head.
    pub out: Option<Vec<VarId>>,
}

/// The right side of a stage.
#[derive(Clone, Debug)]
pub enum Right {
    /// Merge join with a view on the first `key_len` columns of both sides.
    Join {
        /// The view.
        view: ViewId,
        /// Variable in each view column (the first `key_len` equal the left's).
        vars: Vec<VarId>,
        /// Number of shared leading columns.
        key_len: usize,
    },
    /// Treefrog leapjoin: several completed atoms that each add the same one variable
    /// propose and intersect its values, so no pairwise intermediate is built.
    Leap {
        /// The variable the atoms bind.
        var: VarId,
        /// One entry per atom: its table (key columns, then the value) and the left columns
        /// that form its key.
        extend: Vec<(usize, Vec<usize>)>,
    },
}

/// Where a join stage reads its left side from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// A shared view.
    View(ViewId),
    /// The previous stage's output (index of that stage in the rule).
    Stage(usize),
}

/// A condition or binding on scratch bindings.
#[derive(Clone, Debug)]
pub enum Op {
    /// Keep the bindings if the comparison holds.
    Filter(CmpOp, Expr, Expr),
    /// Bind a variable to a value.
    Assign(VarId, Expr),
    /// Keep the bindings if lookup table `table` has no row equal to this key.
    Absent(usize, Vec<Expr>),
    /// Look up aggregate `agg` for the group key; bind (or compare with) `VarId`.
    Aggregate {
        /// Index in [`Plan::aggs`].
        agg: usize,
        /// Group values.
        key: Vec<Expr>,
        /// The result variable.
        result: VarId,
        /// Whether the result variable was already bound (then it is compared, not bound).
        bound: bool,
    },
}

/// An arithmetic expression over variable slots.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expr {
    /// A bound variable.
    Var(VarId),
    /// A constant.
    Const(Val),
    /// `lhs op rhs` on integers.
    Bin(BinOp, Box<Expr>, Box<Expr>),
    /// `-e` on integers.
    Neg(Box<Expr>),
}
