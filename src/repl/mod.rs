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
mod needed;

pub use commands::Handled;
pub use export::{FORMATS, export};

use crate::workspace::{Answer, Workspace};

use commands::handle;
use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Runs the REPL on `session` (the command line opened it: the bundled knowledge base unless
/// `--kb`, `--scenario` files added, as of today unless `--as-of` or an `@asof`) until
/// `:quit` or end of input.
pub fn run(mut session: Workspace) -> ExitCode {
    let interactive = std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    if interactive {
        println!("Pacta — type :help for help, :quit to leave.");
        interactive_loop(&mut session)
    } else {
        scripted_loop(&mut session)
    }
}

fn interactive_loop(session: &mut Workspace) -> ExitCode {
    // Colour only on a terminal (stdout is one here; diagnostics go to stderr) and without
    // `NO_COLOR`.
    let hint_color = std::env::var_os("NO_COLOR").is_none();
    let color = hint_color && std::io::stderr().is_terminal();
    // Tab completes what is common to the candidates and lists them all when several match.
    let config = rustyline::Config::builder()
        .completion_type(rustyline::CompletionType::List)
        .build();
    let Ok(mut editor) =
        rustyline::Editor::<helper::PactaHelper, rustyline::history::DefaultHistory>::with_config(
            config,
        )
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
                if feed(session, &mut buffer, &line, color) == Handled::Quit {
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

/// Reads commands line by line from standard input (not a terminal). Unlike a person at the
/// prompt, a script cannot see a problem and retype: a line that is not UTF-8, a string left
/// open at the end of its line, or a statement without its closing `.` is reported with its
/// line number and skipped, the session goes on with the next statement, and the exit status
/// says whether anything failed: 2 if an input was refused, 1 if only `expect`s of a
/// `:scenario` failed, else 0.
fn scripted_loop(session: &mut Workspace) -> ExitCode {
    let mut buffer = String::new();
    let mut worst = Handled::Ok;
    // The line where the buffered statement started.
    let mut started = 0;
    let lines = std::io::stdin().lock().split(b'\n');
    for (i, read) in lines.enumerate() {
        let n = i + 1;
        let Ok(mut bytes) = read else {
            eprintln!("error[invalid_input]: <stdin>:{n}: cannot read standard input");
            worst = Handled::Failed;
            break;
        };
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
        let line = match String::from_utf8(bytes) {
            Ok(line) => line,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                script_error(
                    "invalid_utf8",
                    n,
                    &format!("the line is not UTF-8 (invalid byte at offset {at} of the line)"),
                    &String::from_utf8_lossy(e.as_bytes()),
                    skipped(&mut buffer),
                );
                worst = Handled::Failed;
                continue;
            }
        };
        if buffer.is_empty() {
            started = n;
        }
        if line.trim_start().starts_with(':') && classify(&buffer) == Input::Partial {
            let first = buffer.lines().next().unwrap_or("").to_string();
            buffer.clear();
            script_error(
                "syntax_error",
                started,
                "this statement has no closing `.` before the command on a later line",
                &first,
                "the statement is skipped; end every statement with `.`",
            );
            worst = Handled::Failed;
        }
        if !line.trim_start().starts_with(':') && open_string(&line) {
            script_error(
                "unterminated_string",
                n,
                "a string has no closing `\"` on its line",
                &line,
                skipped(&mut buffer),
            );
            worst = Handled::Failed;
            continue;
        }
        match feed(session, &mut buffer, &line, false) {
            Handled::Quit => break,
            h => worst = worst.max(h),
        }
    }
    if classify(&buffer) == Input::Partial {
        script_error(
            "syntax_error",
            started,
            "the input ends inside a statement that has no closing `.`",
            buffer.lines().next().unwrap_or(""),
            "the statement is skipped; end every statement with `.`",
        );
        worst = Handled::Failed;
    }
    let _ = std::io::stdout().flush();
    ExitCode::from(match worst {
        Handled::Ok | Handled::Quit => 0,
        Handled::Unmet => 1,
        Handled::Failed => 2,
    })
}

/// Drops the statement being read (the bad line belongs to it) and says so.
fn skipped(buffer: &mut String) -> &'static str {
    let unfinished = !buffer.trim().is_empty();
    buffer.clear();
    if unfinished {
        "the line and the statement it continues are skipped; the session goes on"
    } else {
        "the line is skipped; the session goes on with the next one"
    }
}

/// Reports a problem with a line of the script, by its line number.
fn script_error(code: &str, line: usize, message: &str, text: &str, hint: &str) {
    eprintln!("error[{code}]: <stdin>:{line}: {message}");
    eprintln!("  {line} | {text}");
    eprintln!("  help: {hint}");
}

/// Whether a line ends inside a string (strings end on their line; `%` starts a comment).
fn open_string(line: &str) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    for c in line.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '%' if !in_string => return false,
            _ => {}
        }
    }
    in_string
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

/// Feeds one line. A `:command` line is handled at once, abandoning any unfinished statement.
fn feed(session: &mut Workspace, buffer: &mut String, line: &str, color: bool) -> Handled {
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
            Handled::Ok
        }
        Input::Partial => Handled::Ok,
        Input::Whole(input) => {
            buffer.clear();
            handle_timed(session, &input, color)
        }
    }
}

/// [`handle`] with `--timeout` counted from now: each line gets the whole time budget, however
/// many evaluations it makes (a sweep, an explanation).
fn handle_timed(session: &mut Workspace, input: &str, color: bool) -> Handled {
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
    use super::{Input, classify, open_string};

    #[test]
    fn a_string_left_open_at_the_end_of_its_line_is_found() {
        assert!(open_string("p(\"abc)."));
        assert!(!open_string("p(\"a\\\"b\")."));
        assert!(!open_string("p(a). % \"quoted"));
        assert!(open_string("p(\"100% sure)."));
    }

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
