//! A goal as the user typed it (`obliged(S, poland, A, I, L)`, `?- p(X).`), asked as the rule
//! `HEAD :- GOAL.` — with diagnostics that quote the goal as typed, at the user's columns,
//! never the wrapper rule (issue 14: errors quoted `pacta_query_answer(S, A, I, L) :- …` and a
//! `.` the user never typed).
//!
//! The wrapper keeps the goal's bytes at a fixed offset (`?-` and a final `.` are blanked, not
//! cut), so moving a diagnostic back into the goal is a subtraction.

use crate::diag::Diagnostic;
use crate::syntax::span::{FileId, SourceFile, SourceMap};

/// The goal as typed, and its body with `?-` and the final `.` blanked.
#[derive(Clone, Debug)]
pub struct GoalText {
    typed: String,
    body: String,
}

impl GoalText {
    /// A goal as typed; a leading `?-` and a final `.` are optional.
    pub fn new(typed: &str) -> GoalText {
        let mut body = typed.to_string();
        let lead = body.len() - body.trim_start().len();
        if body[lead..].starts_with("?-") {
            body.replace_range(lead..lead + 2, "  ");
        }
        let end = body.trim_end().len();
        if body[..end].ends_with('.') {
            body.replace_range(end - 1..end, " ");
        }
        GoalText {
            typed: typed.to_string(),
            body,
        }
    }

    /// The goal without `?-` and the final `.`, trimmed.
    pub fn body(&self) -> &str {
        self.body.trim()
    }

    /// The wrapper rule `HEAD :- GOAL.`, and where the goal starts in it.
    pub fn rule(&self, head: &str) -> (String, usize) {
        let prefix = format!("{head} :- ");
        (format!("{prefix}{}.", self.body), prefix.len())
    }

    /// The goal as a source file named `name`, for rendering relocated diagnostics.
    pub fn source(&self, name: &str) -> SourceFile {
        SourceFile::new(name, self.typed.clone())
    }

    /// Moves a diagnostic about the wrapper rule (read as `file`, the goal starting at
    /// `prefix`) into the goal as typed; others are returned unchanged. A problem at the
    /// wrapper's final `.` is at the end of the goal, and says so.
    pub fn relocate(&self, mut d: Diagnostic, file: FileId, prefix: usize) -> Diagnostic {
        let Some(span) = d.span.as_mut().filter(|s| s.file == file) else {
            return d;
        };
        let len = self.typed.len();
        let at_end = span.start as usize >= prefix + self.body.len();
        let shift = |x: u32| (x as usize).saturating_sub(prefix).min(len) as u32;
        span.start = shift(span.start);
        span.end = shift(span.end).max(span.start);
        if at_end {
            d.message = d.message.replace("found `.`", "found the end of the goal");
        }
        d
    }

    /// Relocates every diagnostic about `file` and puts the goal as typed in its place in
    /// `sources`, so that rendering quotes the user's text.
    pub fn relocate_all(
        &self,
        diags: Vec<Diagnostic>,
        sources: &mut SourceMap,
        file: FileId,
        prefix: usize,
    ) -> Vec<Diagnostic> {
        let name = sources.get(file).name.clone();
        sources.replace(file, self.source(&name));
        diags
            .into_iter()
            .map(|d| self.relocate(d, file, prefix))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    #[test]
    fn diagnostics_point_into_the_goal_as_typed() {
        let goal = GoalText::new("?- foo(X.");
        assert_eq!(goal.body(), "foo(X");
        let (text, prefix) = goal.rule("pacta_query_answer(X)");
        let mut sources = SourceMap::new();
        let file = sources.add(SourceFile::new("<query>", text.clone()));
        let (_, d) = parse(file, &text);
        let d = goal.relocate_all(d, &mut sources, file, prefix);
        assert_eq!(sources.get(file).text, "?- foo(X.");
        let span = d[0].span.unwrap();
        assert_eq!(span.start, 9, "at the end of what was typed: {d:?}");
        assert!(d[0].message.contains("found the end of the goal"), "{d:?}");
    }
}
