//! Changing and keeping the session: `:retract`, `:scenario`, `:save`, and explanations over
//! the session's program.
//!
//! Every change is checked first and made only if it succeeds, so a command that fails leaves
//! the session as it was. `:save` writes through [`crate::files::write_file`] (a temporary
//! file next to the target, synced and renamed), so a crash never leaves half a file.

use super::session::{Report, Session};
use crate::diag::{Code, Diagnostic};
use crate::explain::{Explanation, Goal, explain, parse_goal};
use crate::syntax::ast::Statement;
use crate::syntax::span::{SourceFile, SourceMap};
use crate::value::Const;
use std::path::{Path, PathBuf};

pub(super) fn nowhere(code: Code, message: String, hint: &str) -> Report {
    Report {
        diagnostics: vec![Diagnostic::error_nowhere(code, message).with_hint(hint)],
        sources: SourceMap::new(),
    }
}

fn goal_error(text: &str, diagnostics: Vec<Diagnostic>) -> Report {
    let t = text.trim();
    let t = t.strip_suffix('.').unwrap_or(t);
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("<fact>", format!("{t}.")));
    Report {
        diagnostics,
        sources,
    }
}

impl Session {
    /// Parses a fact given to a command (`:why`, `:retract`), errors pointing into it.
    pub fn parse_fact(&self, text: &str) -> Result<Goal, Report> {
        parse_goal(text).map_err(|d| goal_error(text, d))
    }

    /// Explains why `fact` holds or does not, over the session's program.
    pub fn explain(&self, fact: &str) -> Result<Explanation, Report> {
        let goal = self.parse_fact(fact)?;
        let loaded = self.program(None);
        if loaded.has_errors() {
            return Err(Report {
                diagnostics: loaded.diagnostics.clone(),
                sources: loaded.sources.clone(),
            });
        }
        explain(&loaded, &goal, &self.limits, self.ambiguity).map_err(|diagnostics| Report {
            diagnostics,
            sources: loaded.sources.clone(),
        })
    }

    /// Takes an input fact out of the session: a typed fact is dropped, a fact of a file is
    /// hidden from then on. A fact that is not written anywhere (derived, or absent) is refused.
    pub fn retract(&mut self, fact: &str) -> Result<String, Report> {
        let goal = self.parse_fact(fact)?;
        let name = crate::defeasible::ground::literal_name(&goal.pred, goal.neg);
        let key = (name, goal.tuple.clone());
        let shown = goal.to_string();
        let loaded = self.program(None);
        let written = loaded
            .program
            .statements
            .iter()
            .any(|st| fact_key(st).as_ref() == Some(&key));
        if !written {
            return Err(nowhere(
                Code::InvalidInput,
                format!("`{shown}` is not a fact of the session or its files"),
                "only written facts can be retracted; a derived fact goes when what it depends on goes (see `:why`)",
            ));
        }
        // A fact typed on its own is simply forgotten; anything else is hidden.
        let alone = self.typed.iter().position(|t| {
            let (p, d) = crate::syntax::parse(crate::syntax::span::FileId(0), t);
            d.is_empty()
                && p.statements.len() == 1
                && fact_key(&p.statements[0]).as_ref() == Some(&key)
        });
        match alone {
            Some(i) => {
                self.typed.remove(i);
                if self.program(None).statements_have(&key) {
                    self.retracted.push(key);
                }
            }
            None => self.retracted.push(key),
        }
        Ok(shown)
    }

    /// Writes [`Session::script`] to `path` atomically (a temporary file in the same folder,
    /// then a rename). Saving over a loaded file is allowed: the script holds its text.
    pub fn save(&self, path: &Path) -> Result<(), Report> {
        write_atomically(path, &self.script(), &[])
    }
}

/// Writes `text` to `path` with [`crate::files::write_file`] (temporary file, sync, rename;
/// no special targets), never over one of `inputs`.
pub(super) fn write_atomically(path: &Path, text: &str, inputs: &[PathBuf]) -> Result<(), Report> {
    crate::files::write_file(path, text.as_bytes(), inputs).map_err(|d| Report {
        diagnostics: vec![d],
        sources: SourceMap::new(),
    })
}

trait HasFact {
    fn statements_have(&self, key: &(String, Vec<crate::value::Const>)) -> bool;
}

impl HasFact for crate::driver::Loaded {
    fn statements_have(&self, key: &(String, Vec<crate::value::Const>)) -> bool {
        self.program
            .statements
            .iter()
            .any(|st| fact_key(st).as_ref() == Some(key))
    }
}

/// The relation (`~p` if negated) and tuple of a ground fact statement.
pub(super) fn fact_key(st: &Statement) -> Option<(String, Vec<Const>)> {
    let Statement::Rule(r) = st else { return None };
    if !r.is_fact() {
        return None;
    }
    let tuple: Option<Vec<Const>> = r
        .head
        .args
        .iter()
        .map(|a| crate::explain::matcher::eval(a, &Vec::new()))
        .collect();
    let name = crate::defeasible::ground::literal_name(&r.head.pred.name, r.head.strong_neg);
    Some((name, tuple?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};

    #[test]
    fn cancelling_a_runaway_evaluation_keeps_the_session() {
        let mut s = Session::default();
        s.add("n(0).").unwrap();
        s.add("n(Y) :- n(X), Y = X + 1.").unwrap();
        let flag = Arc::new(AtomicBool::new(false));
        s.limits.cancel = Some(Arc::clone(&flag));
        let setter = {
            let f = Arc::clone(&flag);
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                f.store(true, Ordering::SeqCst);
            })
        };
        let started = Instant::now();
        let err = s.query("n(5)").expect_err("cancelled");
        setter.join().unwrap();
        assert!(started.elapsed() < Duration::from_secs(30));
        assert!(
            err.diagnostics[0].message.contains("cancelled"),
            "{:?}",
            err.diagnostics
        );
        // The session is intact: same statements, and the next evaluation runs (here it stops
        // at a fact limit instead of running away).
        assert_eq!(s.typed.len(), 2);
        flag.store(false, Ordering::SeqCst);
        s.limits.max_facts = Some(1000);
        let err = s.query("n(5)").expect_err("fact limit");
        assert_eq!(err.diagnostics[0].code, Code::FactLimit);
        // Explanations honour the flag too.
        flag.store(true, Ordering::SeqCst);
        assert!(s.explain("n(3)").is_err());
    }

    #[test]
    fn failing_commands_change_nothing() {
        let mut s = Session::default();
        s.add("p(a). q(X) :- p(X).").unwrap();
        let before = s.script();
        assert!(s.retract("q(a).").is_err(), "derived");
        assert!(s.retract("p(b).").is_err(), "absent");
        assert!(s.retract("p(X).").is_err(), "not ground");
        assert!(s.scenario(Path::new("no/such/file.pacta")).is_err());
        assert!(s.save(Path::new("no/such/dir/s.pacta")).is_err());
        assert!(s.explain("p(").is_err());
        assert_eq!(s.script(), before);
        assert_eq!(s.query("q(X)").unwrap().0.rows.len(), 1);
    }

    #[test]
    fn retracting_a_fact_typed_among_others_hides_it() {
        let mut s = Session::default();
        s.add("p(a). p(b).").unwrap();
        s.retract("p(a)").unwrap();
        assert_eq!(s.query("p(X)").unwrap().0.rows.len(), 1);
        assert!(s.script().contains("% retracted: p(a)."), "{}", s.script());
        s.add("p(a).").unwrap();
        assert_eq!(s.query("p(X)").unwrap().0.rows.len(), 2);
    }
}
