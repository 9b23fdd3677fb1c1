//! Line editing on a terminal: Tab completion of commands, predicate names and constants (and
//! file names after `:load`, `:scenario`, `:save`; formats, then file names, after `:export`),
//! and hints for commands.

use super::commands::COMMANDS;
use rustyline::completion::{Completer, FilenameCompleter, Pair};
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::validate::Validator;
use rustyline::{Context, Helper};
use std::borrow::Cow;
use std::cell::RefCell;

/// The editor's helper; the words are refreshed after every input.
pub struct PactaHelper {
    /// Predicate names of the session (completed where a predicate may stand).
    pub preds: RefCell<Vec<String>>,
    /// Constants the session mentions (completed only inside an atom's arguments).
    pub constants: RefCell<Vec<String>>,
    /// Whether hints may be dimmed with ANSI codes.
    pub color: bool,
    files: FilenameCompleter,
}

impl PactaHelper {
    /// A helper without words yet.
    pub fn new(color: bool) -> PactaHelper {
        PactaHelper {
            preds: RefCell::new(Vec::new()),
            constants: RefCell::new(Vec::new()),
            color,
            files: FilenameCompleter::new(),
        }
    }

    /// Replaces the words: the session's predicates and the symbols its statements mention.
    pub fn refresh(&self, session: &crate::workspace::Workspace) {
        *self.preds.borrow_mut() = session.predicates();
        *self.constants.borrow_mut() = session
            .constants()
            .into_iter()
            .filter(|s| crate::value::Const::is_plain_symbol(s))
            .collect();
    }
}

/// Whether byte `at` of `line` is inside an atom's parentheses (outside strings and comments):
/// there a constant may stand, elsewhere a predicate name.
fn in_arguments(line: &str, at: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in line[..at].chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '%' if !in_string => return false,
            '(' if !in_string => depth += 1,
            ')' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth > 0
}

fn word_start(line: &str, pos: usize) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

impl Completer for PactaHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let start = word_start(line, pos);
        let word = &line[start..pos];
        if line.starts_with(':') && !line[..pos].contains(char::is_whitespace) {
            let pairs = COMMANDS
                .iter()
                .filter(|(n, _, _)| n.starts_with(word))
                .map(|(n, _, _)| Pair {
                    display: format!(":{n}"),
                    replacement: format!("{n} "),
                })
                .collect();
            return Ok((start, pairs));
        }
        let cmd = line.split_whitespace().next().unwrap_or("");
        if matches!(cmd, ":load" | ":scenario" | ":save") {
            return self.files.complete(line, pos, ctx);
        }
        if cmd == ":export" {
            // The format first, then the file.
            if line[..start].split_whitespace().count() == 1 {
                let pairs = super::FORMATS
                    .iter()
                    .filter(|f| f.starts_with(word))
                    .map(|f| Pair {
                        display: f.to_string(),
                        replacement: format!("{f} "),
                    })
                    .collect();
                return Ok((start, pairs));
            }
            return self.files.complete(line, pos, ctx);
        }
        let words = if in_arguments(line, start) {
            self.constants.borrow()
        } else {
            self.preds.borrow()
        };
        let pairs = words
            .iter()
            .filter(|w| !word.is_empty() && w.starts_with(word))
            .map(|w| Pair {
                display: w.clone(),
                replacement: w.clone(),
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for PactaHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        if pos != line.len() {
            return None;
        }
        let typed = line.strip_prefix(':')?;
        if typed.contains(char::is_whitespace) {
            return None;
        }
        let (name, arg, _) = COMMANDS.iter().find(|(n, _, _)| n.starts_with(typed))?;
        let rest = &name[typed.len()..];
        Some(if arg.is_empty() {
            rest.to_string()
        } else {
            format!("{rest} {arg}")
        })
    }
}

impl Highlighter for PactaHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
}

impl Validator for PactaHelper {}

impl Helper for PactaHelper {}

#[cfg(test)]
mod tests {
    use super::*;
    use rustyline::history::DefaultHistory;

    #[test]
    fn completes_commands_and_words() {
        let h = PactaHelper::new(false);
        *h.preds.borrow_mut() = vec!["obliged".into(), "party".into()];
        *h.constants.borrow_mut() = vec!["poland".into(), "portugal".into(), "otan".into()];
        let history = DefaultHistory::new();
        let ctx = Context::new(&history);
        let (start, c) = h.complete(":wh", 3, &ctx).unwrap();
        assert_eq!(start, 1);
        let names: Vec<&str> = c.iter().map(|p| p.display.as_str()).collect();
        assert_eq!(names, [":why", ":whynot"]);
        let (start, c) = h.complete("?- obliged(S, po", 16, &ctx).unwrap();
        assert_eq!(start, 14);
        assert_eq!(c.len(), 2);
        assert_eq!(h.hint(":sc", 3, &ctx).as_deref(), Some("enario FILE"));
        let (start, c) = h.complete(":export s", 9, &ctx).unwrap();
        assert_eq!(start, 8);
        let names: Vec<&str> = c.iter().map(|p| p.replacement.as_str()).collect();
        assert_eq!(names, ["svg ", "svg-ungrouped "]);
        assert_eq!(h.hint(":exp", 4, &ctx).as_deref(), Some("ort FORMAT FILE"));
        assert_eq!(h.hint("?- p", 4, &ctx), None);
        // Predicates where a predicate stands, constants only inside the arguments.
        let words = |line: &str| -> Vec<String> {
            let (_, c) = h.complete(line, line.len(), &ctx).unwrap();
            c.into_iter().map(|p| p.display).collect()
        };
        assert_eq!(words("?- p"), ["party"]);
        assert_eq!(words("?- party(p"), ["poland", "portugal"]);
        assert_eq!(words("?- party(a, b), o"), ["obliged"]);
        assert_eq!(words("?- obliged(\"(\", o"), ["otan"]);
        assert_eq!(words("p(X) :- q(X), not o"), ["obliged"]);
    }
}
