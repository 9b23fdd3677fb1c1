//! `:needed [--max-changes N] GOAL`: what it would take for GOAL to hold on the session's date —
//! the smallest sets of changes to assumable inputs, each verified ([`crate::needed`]), over
//! everything the session holds (files, scenarios, typed statements, retractions).

use super::session::{Report, Session};
use crate::diag::{Code, Diagnostic};
use crate::needed::{Options, render_text, search};
use crate::scenario::{Scenario, World};
use crate::syntax::span::SourceMap;
use crate::value::Date;

/// The answer as text, with the warnings about the goal.
pub fn needed(session: &Session, arg: &str) -> Result<(String, Report), Report> {
    let (max, goal) = split_max(arg)?;
    let loaded = session.program(None);
    let failed = |diagnostics: Vec<Diagnostic>, sources: &SourceMap| Report {
        diagnostics,
        sources: sources.clone(),
    };
    if loaded.has_errors() {
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).cloned();
        return Err(failed(errors.collect(), &loaded.sources));
    }
    let as_of = session.as_of.unwrap_or_else(Date::today);
    // The session's statements (less its `asof` fact: the build adds one) as one scenario over
    // an empty knowledge base, in a world that shares the session's files (as `:export`).
    let as_of_file = loaded
        .sources
        .files()
        .find(|(_, f)| f.name == super::session::AS_OF)
        .map(|(id, _)| id);
    let statements = loaded
        .program
        .statements
        .iter()
        .filter(|st| as_of_file.is_none_or(|id| file_of(st) != Some(id)))
        .cloned()
        .collect();
    let scenario = Scenario {
        statements,
        ..Scenario::default()
    };
    let mut world =
        World::from_text(super::session::SESSION, "").map_err(|(d, s)| failed(d, &s))?;
    world.sources = loaded.sources.clone();
    let options = Options { max_changes: max };
    let found = search(
        &mut world,
        &[&scenario],
        goal,
        as_of,
        &options,
        &session.limits,
    );
    let needed = found.map_err(|d| failed(d, &world.sources))?;
    let context = vec![
        "% the session: write it with `:save FILE`, then add the lines below to that file"
            .to_string(),
    ];
    // Only the goal's own warnings: the session's files were checked when they were read (and,
    // taken here as one scenario, would draw warnings meant for scenario files).
    let about_goal = needed.warnings.iter().filter(|d| {
        d.span
            .is_some_and(|s| world.sources.get(s.file).name == "<needed>")
    });
    let warnings = failed(about_goal.cloned().collect(), &world.sources);
    Ok((render_text(&needed, &context), warnings))
}

/// `--max-changes N GOAL` or `GOAL`.
fn split_max(arg: &str) -> Result<(usize, &str), Report> {
    let Some(rest) = arg.strip_prefix("--max-changes") else {
        return Ok((Options::default().max_changes, arg));
    };
    let rest = rest.trim_start();
    let (n, goal) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    match n.parse::<usize>() {
        Ok(n) if (1..=8).contains(&n) && !goal.trim().is_empty() => Ok((n, goal.trim())),
        _ => Err(Report {
            diagnostics: vec![
                Diagnostic::error_nowhere(
                    Code::InvalidInput,
                    format!(
                        "`--max-changes` needs a number from 1 to 8 and then a goal, not `{rest}`"
                    ),
                )
                .with_hint(
                    "e.g. `:needed --max-changes 2 obliged(united_states, ukraine, A, I, L)`",
                ),
            ],
            sources: SourceMap::new(),
        }),
    }
}

fn file_of(st: &crate::syntax::ast::Statement) -> Option<crate::syntax::span::FileId> {
    use crate::syntax::ast::Statement;
    match st {
        Statement::Rule(r) => Some(r.span.file),
        Statement::Superiority(x) => Some(x.span.file),
        Statement::Directive(d) => Some(d.span.file),
    }
}
