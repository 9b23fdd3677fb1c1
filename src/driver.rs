//! Strings the stages together: read files → parse → check → plan → evaluate.
//! Placeholder: the real driver lands with the engine.

use crate::diag::Diagnostic;
use crate::value::Const;
use std::collections::BTreeMap;

/// The answer of an evaluation: every relation of the program, tuples sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    /// Relation name → sorted, distinct tuples.
    pub relations: BTreeMap<String, Vec<Vec<Const>>>,
}

/// Parses, checks and evaluates one program text (file name `<input>`), for tests and tools.
/// Returns the model and the warnings, or every diagnostic when there is an error.
pub fn eval_text(_text: &str) -> Result<(Model, Vec<Diagnostic>), Vec<Diagnostic>> {
    Ok((Model::default(), Vec::new()))
}
