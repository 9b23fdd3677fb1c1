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
use std::collections::BTreeSet;

/// The editor's helper; `words` is refreshed after every input.
pub struct PactaHelper {
    /// Predicate names and constants of the session.
    pub words: RefCell<Vec<String>>,
    /// Whether hints may be dimmed with ANSI codes.
    pub color: bool,
    files: FilenameCompleter,
}

impl PactaHelper {
    /// A helper without words yet.
    pub fn new(color: bool) -> PactaHelper {
        PactaHelper {
            words: RefCell::new(Vec::new()),
            color,
            files: FilenameCompleter::new(),
        }
    }

    /// Replaces the words: the session's predicates and the symbols its statements mention.
    pub fn refresh(&self, session: &crate::workspace::Workspace) {
        let mut words: BTreeSet<String> = session.predicates().into_iter().collect();
        words.extend(
            session
                .constants()
                .into_iter()
                .filter(|s| crate::value::Const::is_plain_symbol(s)),
        );
        *self.words.borrow_mut() = words.into_iter().collect();
    }
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
        let pairs = self
            .words
            .borrow()
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
        *h.words.borrow_mut() = vec!["obliged".into(), "poland".into(), "portugal".into()];
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
        assert_eq!(names, ["svg "]);
        assert_eq!(h.hint(":exp", 4, &ctx).as_deref(), Some("ort FORMAT FILE"));
        assert_eq!(h.hint("?- p", 4, &ctx), None);
    }
}
