//! The interactive REPL (SPEC §2.1): `?- GOAL.` asks, a typed fact or rule joins the session,
//! `:commands` do the rest. On a terminal it uses `rustyline` (history kept in the platform's
//! data directory, merged with other sessions' and saved on SIGHUP/SIGTERM too); with standard
//! input not a terminal it reads line by line without prompts,
//! so it can be scripted.
//!
//! An error in one input is reported and the session goes on with its state unchanged.

pub(crate) mod commands;
mod export;
mod helper;
mod history;
mod scenario;
pub(crate) mod session;
mod state;

pub use commands::help;
pub use export::{Exported, FORMATS};
pub use scenario::Added;
pub use session::{Answer, Report, Session};

use crate::diag::render::render_text;
use commands::handle;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs the REPL over the given knowledge-base paths (none: the bundled knowledge base) until
/// `:quit` or end of input. Time-dependent rules see today's date until `:asof` changes it.
pub fn run(kb: &[PathBuf], limits: crate::eval::Limits) -> ExitCode {
    let opened = if kb.is_empty() {
        Session::bundled()
    } else {
        Session::open(kb)
    };
    let mut session = match opened {
        Ok(s) => s,
        Err(f) => {
            eprint!("{}", render_text(&f.diagnostics, &f.sources, false));
            return ExitCode::from(2);
        }
    };
    session.limits = limits;
    session.as_of = Some(crate::value::Date::today());
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if interactive {
        println!("Pacta — type :help for help, :quit to leave.");
        interactive_loop(&mut session)
    } else {
        scripted_loop(&mut session)
    }
}

fn interactive_loop(session: &mut Session) -> ExitCode {
    // Colour only on a terminal (stdout is one here; diagnostics go to stderr) and without
    // `NO_COLOR`.
    let hint_color = std::env::var_os("NO_COLOR").is_none();
    let color = hint_color && std::io::stderr().is_terminal();
    let Ok(mut editor) =
        rustyline::Editor::<helper::PactaHelper, rustyline::history::DefaultHistory>::new()
    else {
        return scripted_loop(session);
    };
    let helper = helper::PactaHelper::new(hint_color);
    helper.refresh(session);
    editor.set_helper(Some(helper));
    // Ctrl-C while evaluating sets the engine's cancel flag (while editing a line, the terminal
    // is in raw mode and rustyline reports it as `Interrupted` instead).
    let cancel = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&cancel);
    if ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)).is_ok() {
        session.limits.cancel = Some(Arc::clone(&cancel));
    }
    // Merged into the file on exit or on SIGHUP/SIGTERM, never overwritten (`history.rs`).
    let history = history::History::open();
    history.load_into(editor.history_mut());
    history.save_on_signals();
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() {
            "pacta> "
        } else {
            "  ...> "
        };
        match editor.readline(prompt) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    history.add(&line);
                }
                cancel.store(false, Ordering::SeqCst);
                if !feed(session, &mut buffer, &line, color) {
                    break;
                }
                if cancel.swap(false, Ordering::SeqCst) {
                    eprintln!("cancelled; the session is unchanged");
                }
                if let Some(h) = editor.helper() {
                    h.refresh(session);
                }
            }
            Err(rustyline::error::ReadlineError::Interrupted) => buffer.clear(),
            Err(_) => break,
        }
    }
    history.save();
    ExitCode::SUCCESS
}

fn scripted_loop(session: &mut Session) -> ExitCode {
    let mut buffer = String::new();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if !feed(session, &mut buffer, &line, false) {
            break;
        }
    }
    let _ = std::io::stdout().flush();
    ExitCode::SUCCESS
}

/// What the lines typed so far amount to.
#[derive(Debug, PartialEq, Eq)]
enum Input {
    /// Only blanks and comments: nothing to do (and nothing to keep).
    Nothing,
    /// A statement or query that has not reached its closing `.` yet.
    Partial,
    /// A whole input to handle.
    Whole(String),
}

/// Classifies the buffered text: statements end with `.` outside strings and comments.
fn classify(buffer: &str) -> Input {
    let t = buffer.trim();
    let mut in_string = false;
    let mut escaped = false;
    let mut last = None;
    for line in t.lines() {
        let mut comment = false;
        for c in line.chars() {
            if comment {
                break;
            }
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                '%' if !in_string => comment = true,
                c if !in_string && !c.is_whitespace() => last = Some(c),
                _ => {}
            }
        }
    }
    match last {
        None if !in_string => Input::Nothing,
        Some('.') if !in_string => Input::Whole(t.to_string()),
        _ => Input::Partial,
    }
}

/// Feeds one line; returns `false` when the session should end. A `:command` line is handled
/// at once, abandoning any unfinished statement.
fn feed(session: &mut Session, buffer: &mut String, line: &str, color: bool) -> bool {
    if line.trim_start().starts_with(':') {
        if classify(buffer) == Input::Partial {
            eprintln!("(unfinished input discarded)");
        }
        buffer.clear();
        return handle_timed(session, line.trim(), color);
    }
    buffer.push_str(line);
    buffer.push('\n');
    match classify(buffer) {
        Input::Nothing => {
            buffer.clear();
            true
        }
        Input::Partial => true,
        Input::Whole(input) => {
            buffer.clear();
            handle_timed(session, &input, color)
        }
    }
}

/// [`handle`] with `--timeout` counted from now: each line gets the whole time budget, however
/// many evaluations it makes (a sweep, an explanation).
fn handle_timed(session: &mut Session, input: &str, color: bool) -> bool {
    session.limits.deadline = None;
    session.limits.deadline = session.limits.armed().deadline;
    let going = handle(session, input, color);
    session.limits.deadline = None;
    going
}

/// An answer as text: `yes`/`no` for a ground goal, else an aligned table with a count.
pub fn answer_table(answer: &Answer) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    if answer.vars.is_empty() {
        out.push_str(if answer.rows.is_empty() {
            "no\n"
        } else {
            "yes\n"
        });
        return out;
    }
    let cells: Vec<Vec<String>> = answer
        .rows
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let mut widths: Vec<usize> = answer.vars.iter().map(|v| v.chars().count()).collect();
    for row in &cells {
        for (i, c) in row.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |vals: &[String]| {
        let parts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{v:<w$}", w = widths[i]))
            .collect();
        parts.join(" | ").trim_end().to_string()
    };
    let _ = writeln!(out, "{}", line(&answer.vars));
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    let _ = writeln!(out, "{}", rule.join("-+-"));
    for row in &cells {
        let _ = writeln!(out, "{}", line(row));
    }
    let n = cells.len();
    let _ = writeln!(out, "({n} answer{})", if n == 1 { "" } else { "s" });
    out
}

#[cfg(test)]
mod tests {
    use super::{Input, classify};

    #[test]
    fn input_ends_at_a_closing_dot_outside_strings_and_comments() {
        assert_eq!(classify("p(a).\n"), Input::Whole("p(a).".into()));
        assert_eq!(classify("p(X) :-\n"), Input::Partial);
        assert_eq!(classify("p(\"a.\n"), Input::Partial);
        assert_eq!(classify("p(a) % done.\n"), Input::Partial);
        assert!(matches!(classify("p(X) :-\n  q(X).\n"), Input::Whole(_)));
        assert_eq!(classify("% only a comment\n"), Input::Nothing);
        assert_eq!(classify("   \n"), Input::Nothing);
    }
}
