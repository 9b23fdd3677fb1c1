//! `:needed [--max-changes N] GOAL`: what it would take for GOAL to hold on the session's date —
//! the smallest sets of changes to assumable inputs, each verified ([`crate::needed`]), over
//! everything the session holds (files, scenarios, typed statements, retractions).

use crate::diag::{Code, Diagnostic};
use crate::needed::{Options, render_text, search};
use crate::syntax::span::SourceMap;
use crate::workspace::{Report, Workspace};

/// The answer as text, with the warnings about the goal. The search evaluates variants of
/// everything the session holds (its layers are part of every build).
pub fn needed(session: &mut Workspace, arg: &str) -> Result<(String, Report), Report> {
    let (max, goal) = split_max(arg)?;
    let as_of = session.as_of();
    let limits = session.limits.clone();
    let options = Options { max_changes: max };
    let found = search(session, &[], goal, as_of, &options, &limits);
    let needed = found.map_err(|d| session.report(d))?;
    let context = vec![
        "% the session: write it with `:save FILE`, then add the lines below to that file"
            .to_string(),
    ];
    // Only the goal's own warnings: the session's files were checked when they were read.
    let about_goal = needed.warnings.iter().filter(|d| {
        d.span
            .is_some_and(|s| session.sources.get(s.file).name == "<needed>")
    });
    let warnings = about_goal.cloned().collect();
    Ok((render_text(&needed, &context), session.report(warnings)))
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
