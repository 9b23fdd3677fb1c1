//! Pacta: a logic-based obligation reasoner.
//!
//! Text flows through the stages in the order of the modules below: `syntax` (tokens → tree,
//! with diagnostics) → `check` (arity, safety, stratification) → `plan` (join plans) → `eval`
//! (semi-naive evaluation on `datafrog`) → answers. `driver` strings the stages together for the
//! command line; only `cli` prints. See `docs/ARCHITECTURE.md`.
#![warn(missing_docs)]

pub mod alloc;
pub(crate) mod check;
pub mod cli;
pub mod defeasible;
pub mod diag;
pub mod driver;
pub mod eval;
pub mod explain;
pub mod export;
pub(crate) mod files;
pub(crate) mod intern;
pub(crate) mod kb;
pub mod needed;
pub mod overlay;
pub(crate) mod plan;
pub(crate) mod repl;
pub mod report;
pub mod scenario;
pub mod syntax;
pub(crate) mod text;
pub mod value;
pub mod workspace;
