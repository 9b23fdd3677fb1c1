//! Diagnostics: every problem Pacta finds in the user's input, with a stable code.
//!
//! Stages never print; they return `Diagnostic`s. Only `cli/` (and later `repl/`) render them,
//! as text with a caret (`render`) or as the JSON object of SPEC §3.2.

pub mod render;

use crate::syntax::span::Span;
use serde::Serialize;

/// Error or warning: errors stop evaluation (exit 2), warnings do not.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Stops evaluation.
    Error,
    /// Reported, evaluation goes on.
    Warning,
}

/// Stable, documented diagnostic codes (SPEC §3.2). Tests and scripts match on these strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The text does not follow the grammar.
    SyntaxError,
    /// A character or token that the language does not have.
    InvalidToken,
    /// A string literal without its closing quote.
    UnterminatedString,
    /// An escape in a string that the language does not define.
    InvalidEscape,
    /// An integer literal outside the 64-bit range.
    IntegerOutOfRange,
    /// `YYYY-MM-DD` that is not a calendar day.
    InvalidDate,
    /// A file that is not UTF-8.
    InvalidUtf8,
    /// A file that cannot be read.
    FileNotFound,
    /// A predicate used with two different arities.
    ArityMismatch,
    /// A head or comparison variable that no positive atom binds.
    UnboundVariable,
    /// `_` in a rule head.
    WildcardInHead,
    /// Negation (or an aggregate) inside a recursive cycle.
    CyclicNegation,
    /// Arithmetic overflow during evaluation.
    IntegerOverflow,
    /// A badly formed directive (`@import` ...).
    InvalidDirective,
    /// A CSV/TSV input file that cannot be used.
    InvalidInput,
    /// A construct that this version does not evaluate.
    Unsupported,
    /// A rule or argument that is valid but that Pacta cannot evaluate as written.
    InvalidAggregate,
    /// Evaluation derived more facts than `--max-facts` allows.
    FactLimit,
    /// Evaluation ran longer than `--timeout`.
    Timeout,
    /// The user stopped evaluation (Ctrl-C).
    Cancelled,
    /// Evaluation would use more memory than `--max-memory` allows.
    MemoryLimit,
    /// Two rules with the same label.
    DuplicateLabel,
    /// A superiority relation naming a label no rule has.
    UnknownLabel,
    /// A superiority relation that makes a rule superior to itself (directly or in a cycle).
    CyclicSuperiority,
    /// A body predicate that nothing defines (warning).
    UnknownPredicate,
    /// A named variable that occurs only once in a rule (warning).
    SingletonVariable,
    /// A variable that occurs only inside one negated atom, read as "there is none" (warning).
    NegationLocalVariable,
    /// A relation named on the command line that the program does not have (warning).
    UnknownRelation,
    /// A path that names a FIFO, device or socket where a regular file is needed.
    SpecialFile,
    /// An input file larger than Pacta reads (checked before reading).
    FileTooLarge,
    /// An output file that cannot be written (or a target that must not be replaced).
    WriteFailed,
    /// An output path that is also an input of the same command.
    OverwritesInput,
    /// A bidirectional-override character in source text, which can make code read one way
    /// and mean another (warning).
    BidiOverride,
    /// A symbol in a goal, `expect` line or scenario fact that the program never mentions
    /// (warning).
    UnknownConstant,
    /// A symbol in a declared vocabulary position that the vocabulary does not declare
    /// (warning).
    UndeclaredSymbol,
    /// A declared vocabulary symbol that no rule reads (warning).
    UnreadSymbol,
}

impl Code {
    /// The snake_case code printed to users and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::SyntaxError => "syntax_error",
            Code::InvalidToken => "invalid_token",
            Code::UnterminatedString => "unterminated_string",
            Code::InvalidEscape => "invalid_escape",
            Code::IntegerOutOfRange => "integer_out_of_range",
            Code::InvalidDate => "invalid_date",
            Code::InvalidUtf8 => "invalid_utf8",
            Code::FileNotFound => "file_not_found",
            Code::ArityMismatch => "arity_mismatch",
            Code::UnboundVariable => "unbound_variable",
            Code::WildcardInHead => "wildcard_in_head",
            Code::CyclicNegation => "cyclic_negation",
            Code::IntegerOverflow => "integer_overflow",
            Code::InvalidDirective => "invalid_directive",
            Code::InvalidInput => "invalid_input",
            Code::Unsupported => "unsupported",
            Code::InvalidAggregate => "invalid_aggregate",
            Code::FactLimit => "fact_limit",
            Code::Timeout => "timeout",
            Code::Cancelled => "cancelled",
            Code::MemoryLimit => "memory_limit",
            Code::DuplicateLabel => "duplicate_label",
            Code::UnknownLabel => "unknown_label",
            Code::CyclicSuperiority => "cyclic_superiority",
            Code::UnknownPredicate => "unknown_predicate",
            Code::SingletonVariable => "singleton_variable",
            Code::NegationLocalVariable => "negation_local_variable",
            Code::UnknownRelation => "unknown_relation",
            Code::SpecialFile => "special_file",
            Code::FileTooLarge => "file_too_large",
            Code::WriteFailed => "write_failed",
            Code::OverwritesInput => "overwrites_input",
            Code::BidiOverride => "bidi_override",
            Code::UnknownConstant => "unknown_constant",
            Code::UndeclaredSymbol => "undeclared_symbol",
            Code::UnreadSymbol => "unread_symbol",
        }
    }
}

/// One problem: what, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code.
    pub code: Code,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Where; `None` for problems without a place (a missing file named by path in `message`).
    pub span: Option<Span>,
    /// Short text under the caret (defaults to nothing).
    pub label: Option<String>,
    /// How to fix it, where a hint helps.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at a place.
    pub fn error(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: Some(span),
            label: None,
            hint: None,
        }
    }

    /// A warning at a place.
    pub fn warning(code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// An error without a place.
    pub fn error_nowhere(code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            span: None,
            ..Diagnostic::error(code, Span::default(), message)
        }
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a label under the caret.
    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    /// Whether this stops evaluation.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Whether any diagnostic in the list is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Names listed at most in one message (a cycle through 100,000 rules made a 789 KB line).
pub const MAX_LISTED: usize = 20;

/// `items` joined by `sep`, the first [`MAX_LISTED`] only, then `… and N more`.
pub fn short_list<T: std::fmt::Display>(items: &[T], sep: &str) -> String {
    let shown: Vec<String> = items.iter().take(MAX_LISTED).map(T::to_string).collect();
    let mut out = shown.join(sep);
    if items.len() > MAX_LISTED {
        out.push_str(&format!("{sep}… and {} more", items.len() - MAX_LISTED));
    }
    out
}

/// Unknown names that get a "did you mean" search, per kind of name and program. Each search
/// compares against every known name, so suggesting for all of 20,000 misspelt predicates
/// took minutes (quadratic); past this many the diagnostics come without a suggestion.
pub const MAX_SUGGESTIONS: usize = 100;

/// "did you mean" helper: the closest candidate within a small edit distance.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // A third of the length: one edit for names of 3 to 5 letters, none for shorter ones
    // (any one-letter name is one edit from any other).
    let limit = name.chars().count() / 3;
    candidates
        .into_iter()
        .filter(|c| *c != name)
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
/// The Levenshtein distance between two names (in characters).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_are_cut_with_a_count() {
        assert_eq!(short_list(&["a", "b"], ", "), "a, b");
        let many: Vec<usize> = (0..100_000).collect();
        let s = short_list(&many, " -> ");
        assert!(s.ends_with("19 -> … and 99980 more"), "{s}");
    }

    #[test]
    fn did_you_mean_finds_near_misses_only() {
        let names = ["member", "obliged", "attack"];
        assert_eq!(did_you_mean("membr", names), Some("member"));
        assert_eq!(did_you_mean("atack", names), Some("attack"));
        assert_eq!(did_you_mean("zzz", names), None);
    }
}
