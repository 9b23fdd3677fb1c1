//! The workspace: the one place that loads and combines sources (issue 14).
//!
//! Every command and the REPL are thin clients of [`Workspace`]. It owns
//! - the **knowledge base** (bundled, or the `.pacta` files under `--kb`), parsed once;
//! - the **layers** added on top, in order: files loaded as program text (`:load`), scenario
//!   files (`--scenario`, `:scenario`) and statements typed at the prompt;
//! - the **retractions**: a scenario's `retract` directives hide facts of the knowledge base
//!   (and of files `:load`ed before it), never what a scenario or the user adds; `:retract`
//!   takes out one written fact or a typed rule;
//! - the **as-of date** and the **limits** every evaluation runs under.
//!
//! From these it builds programs ([`Workspace::build`]: the knowledge base as of a date, plus
//! the layers, plus extra scenarios and sweep groups), answers goals ([`Workspace::ask`],
//! Datalog or defeasible), explains facts, and hands built programs to what-ifs, sweeps and
//! exports. Nothing here prints.
//!
//! Invariants:
//! - A change that fails leaves the workspace exactly as it was (checked before it is kept).
//! - The knowledge base is read, parsed and checked once; a typed fact is parsed alone and,
//!   when it is a ground fact of a known relation with the right arity, kept without
//!   re-checking anything else — so piping in many facts costs time linear in their number.
//! - Comments never mean anything: a saved session is an ordinary scenario file.
//!
//! Files: `open.rs` (opening the knowledge base), `compose.rs` (programs from the parts),
//! `edit.rs` (adding, retracting, undoing), `matching.rs` (facts as keys, `retract` patterns), `ask.rs` (answering goals), `warn.rs` (warnings
//! about scenarios: unknown constants, unread facts, retractions that match nothing),
//! `script.rs` (`:save`), `whatif.rs` and `sweep.rs` (comparisons against the baseline).

mod ask;
mod compose;
mod edit;
mod matching;
mod open;
mod prepared;
mod recall;
mod script;
mod sweep;
mod warn;
mod whatif;

pub use ask::{Answer, Answered, parse_fact};
pub use compose::Built;
pub use edit::Added;
pub use open::{Opened, Setup};
pub use prepared::Prepared;
pub use sweep::{Combination, MAX_GROUPS, Sweep, run_sweep};
pub use whatif::{Checked, Diff, Outcome, RelationDiff, run_whatif};

use crate::diag::Diagnostic;
use crate::eval::Limits;
use crate::scenario::Scenario;
use crate::syntax::ast::Statement;
use crate::syntax::span::SourceMap;
use crate::value::{Const, Date};
use std::collections::{BTreeSet, HashMap};

/// Name prefix of the hidden relations that expectations (and goals) are compiled to.
pub(crate) const EXPECT: &str = "pacta_expect_";

/// Display name of the text typed at the prompt.
pub const TYPED: &str = "<session>";

/// Diagnostics together with the files they point into (errors of a refused input, or the
/// warnings about an accepted one).
#[derive(Debug, Default)]
pub struct Report {
    /// The problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The files, for rendering.
    pub sources: SourceMap,
}

/// How a layer came into the workspace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A file loaded as program text (`:load`): like the knowledge base, later scenarios'
    /// `retract` directives reach its facts.
    Loaded,
    /// A scenario file (`--scenario`, `:scenario`).
    Scenario,
    /// Statements typed at the prompt.
    Typed,
}

/// One layer: a file or a typed input, read as a scenario (its directives set aside).
#[derive(Clone, Debug)]
pub struct Layer {
    /// How it came in.
    pub origin: Origin,
    /// Its statements and directives (spans point into [`Workspace::sources`]).
    pub scenario: Scenario,
    /// A number no other layer of the process has: a remembered answer (`recall.rs`) knows
    /// which layers it saw.
    serial: u64,
}

impl Layer {
    /// A new layer.
    fn new(origin: Origin, scenario: Scenario) -> Layer {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let serial = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Layer {
            origin,
            scenario,
            serial,
        }
    }
}

/// A fact as a key: relation (`~p` when strongly negated) and tuple.
pub type FactKey = (String, Vec<Const>);

/// The knowledge base, the layers over it, retractions, the date and the limits.
#[derive(Clone)]
pub struct Workspace {
    /// Every file read: the knowledge base first, then layers, goals and typed text.
    pub sources: SourceMap,
    /// The knowledge base's statements, parsed once.
    base: Vec<Statement>,
    /// Files, scenarios and typed inputs added, in order.
    layers: Vec<Layer>,
    /// Facts taken out with `:retract`, hidden wherever they are written.
    retracted: Vec<FactKey>,
    /// What each change did, for `:undo`.
    undo: Vec<edit::Change>,
    /// The date time-dependent rules read as `asof(Date)`; `None`: today.
    as_of: Option<Date>,
    /// Bounds on each evaluation.
    pub limits: Limits,
    /// How defeasible theories treat ambiguity.
    pub ambiguity: crate::defeasible::Ambiguity,
    /// Arities of the program as it stands (knowledge base and layers), so that a typed fact
    /// is checked without re-checking the rest.
    arities: HashMap<String, usize>,
    /// Every symbol the knowledge base mentions (for `unknown_constant` warnings).
    known: BTreeSet<String>,
    /// Rows of `@import`ed files, read once and again only when a file changes.
    imports: std::sync::Arc<crate::driver::ImportCache>,
    /// The last goal asked and its evaluation, for asking it again after facts are typed.
    recall: Option<std::sync::Arc<recall::Recall>>,
    /// The evaluation behind the last goal answered in full, until `ask` keeps or drops it.
    last: Option<crate::driver::Evaluated>,
}

impl Workspace {
    /// The date evaluations use: the one set, else today.
    pub fn as_of(&self) -> Date {
        self.as_of.unwrap_or_else(Date::today)
    }

    /// The date set explicitly (`--as-of`, `@asof`, `:asof`), if any.
    pub fn as_of_set(&self) -> Option<Date> {
        self.as_of
    }

    /// The layers, in order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The knowledge base's statements.
    pub fn base(&self) -> &[Statement] {
        &self.base
    }

    /// Facts taken out with `:retract`.
    pub fn retracted(&self) -> &[FactKey] {
        &self.retracted
    }

    /// Predicate names of the program as it stands, for completion and help.
    pub fn predicates(&self) -> Vec<String> {
        let mut names: Vec<String> = self.arities.keys().cloned().collect();
        names.sort();
        names
    }

    /// Symbols the knowledge base and the layers mention, for completion.
    pub fn constants(&self) -> BTreeSet<String> {
        let mut known = self.known.clone();
        let layers = self.layers.iter().flat_map(|l| &l.scenario.statements);
        known.extend(crate::check::constants::mentioned(layers));
        known
    }

    /// How many times `@import`ed files were read (a file is read again only when it changes).
    pub fn import_reads(&self) -> usize {
        self.imports.reads()
    }

    /// A report over the workspace's files.
    pub fn report(&self, diagnostics: Vec<Diagnostic>) -> Report {
        Report {
            // Cloning the files costs time in proportion to all text read: only when needed.
            sources: if diagnostics.is_empty() {
                SourceMap::new()
            } else {
                self.sources.clone()
            },
            diagnostics,
        }
    }
}

#[cfg(test)]
mod tests;
