//! Stage 2: static analysis of a parsed program — arity, safety, stratification, names.
//!
//! It reads the tree and returns what the planner needs (arities, strata in evaluation order,
//! imports) plus every diagnostic; it never evaluates anything.

use crate::diag::Diagnostic;
use crate::syntax::ast::Program;
use crate::syntax::span::Span;
use std::collections::BTreeMap;

/// What the planner needs to know about a program that passed the checks.
#[derive(Clone, Debug, Default)]
pub struct Analysis {
    /// Arity of every predicate that occurs anywhere (heads, bodies, facts, imports are
    /// given the arity of their uses). `true` is not listed.
    pub arities: BTreeMap<String, usize>,
    /// Strongly connected components of the predicate dependency graph, in evaluation order
    /// (every predicate a stratum depends on is in an earlier stratum or in the same one).
    pub strata: Vec<Stratum>,
    /// `@import pred "file".` directives, in source order.
    pub imports: Vec<Import>,
}

/// One strongly connected component of the dependency graph.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stratum {
    /// Its predicates, sorted by name.
    pub preds: Vec<String>,
    /// Whether some predicate depends on itself through the component (needs iteration).
    pub recursive: bool,
}

/// `@import pred "path".`: facts of `pred` come from a CSV (`,`) or TSV (`.tsv`, tab) file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The predicate filled.
    pub pred: String,
    /// The path as written (relative paths are relative to the program file).
    pub path: String,
    /// The directive, for diagnostics.
    pub span: Span,
}

/// Checks a whole program (all files merged) and returns the analysis plus all diagnostics.
/// The analysis is meaningful only when no diagnostic is an error.
pub fn check(_program: &Program) -> (Analysis, Vec<Diagnostic>) {
    (Analysis::default(), Vec::new())
}
