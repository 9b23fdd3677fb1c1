//! One input of the REPL: a `:command`, a `?-` query, or a statement that joins the session.

use super::answer_table;
use crate::diag::render::render_text;
use crate::explain::{Explanation, View, render_text_with};
use crate::text::escape;
use crate::workspace::{Report, Workspace};

/// The commands, for `:help` and completion (name, argument, what it does).
pub const COMMANDS: &[(&str, &str, &str)] = &[
    (
        "why",
        "FACT",
        "why FACT holds (obliged/strongest: a summary); `:why --full FACT` adds the proof",
    ),
    (
        "whynot",
        "FACT",
        "why FACT does not hold: the caps that set another level, or each rule's first failure",
    ),
    (
        "needed",
        "GOAL",
        "what would make GOAL hold: the smallest verified changes, as what-if files",
    ),
    (
        "load",
        "FILE|DIR",
        "load a program file, or every .pacta file in a folder",
    ),
    (
        "scenario",
        "FILE",
        "add a scenario: facts, rules, @asof, retract; check its expects",
    ),
    (
        "retract",
        "FACT|RULE",
        "take a written fact, or a rule typed here, out of the session",
    ),
    (
        "asof",
        "[DATE]",
        "evaluate as of DATE (YYYY-MM-DD; default today); alone: print the date",
    ),
    (
        "undo",
        "",
        "take back the last change (a statement, file, retraction, date)",
    ),
    (
        "reset",
        "",
        "back to the knowledge base alone, as of today (`:undo` takes it back)",
    ),
    (
        "export",
        "FORMAT FILE",
        "draw the obligation graph (svg, html, matrix, dot, json, ...) to FILE",
    ),
    (
        "save",
        "FILE",
        "write the session to FILE; `:load FILE` restores it",
    ),
    ("help", "[COMMAND]", "this text, or what one command does"),
    ("quit", "", "leave (Ctrl-D works too)"),
];

/// The `:help` text.
pub fn help() -> String {
    let mut out = String::from(
        "\
Pacta REPL — ask what the loaded rules and facts imply, and why.

Try this (under a minute): who must help Poland if Russia attacks it in 2026, and why?
  :asof 2026-06-01
  :scenario examples/attack_on_poland_2026.pacta
  ?- obliged(S, poland, A, I, L).
  :why obliged(germany, poland, assist, north_atlantic_treaty, discretionary).
  :whynot obliged(germany, poland, assist, north_atlantic_treaty, automatic).
  :export svg poland.svg        (open it in a browser: who is bound to whom, and why)
Or: Ukraine in 2022 (`:asof 2022-03-01`, `:scenario examples/invasion_2022.pacta`), then
  ?- hollow(budapest_memorandum, S, R).      :why unprotected(ukraine, russia).

  ?- GOAL.          ask a query; answers print as a table (a ground goal prints yes/no)
                    e.g.  ?- strongest(S, poland, L).   ?- active_party(I, poland, R), I != treaty_on_european_union.
                    over a defeasible theory, mark the conclusion kind asked:
                    ?- flies(X).  (= +d)   ?- -d flies(X).   ?- +D bird(X).   ?- ~flies(X).
  FACT.  RULE.      add a fact or rule to the session, e.g.  attack(russia, estonia, 2026-05-01).
                    input may span several lines; it ends at the closing `.`
",
    );
    for (name, arg, what) in COMMANDS {
        let left = format!(":{name} {arg}");
        out.push_str(&format!("  {left:<21}{what}\n"));
    }
    out.push_str(
        "\
`:why` answers an `obliged`/`strongest` question in plain sentences first: who must do what for
whom under which clause (quoted), triggered by which attack, and the caveats that set the level,
each with its clause's words. `:why --full` adds the proof tree: for each step, the rule
(file:line and text) and, for each input fact, its file and line and the clause it cites.
`:whynot` lists the rules that could derive the fact, the first condition of each that fails
(in the rule's order) and the facts that almost match; over a defeasible theory, the rule that
defeated it and the superiority missing.
`:scenario` reads the what-if format of docs/SCENARIOS.md: `@asof DATE.` sets the date,
`retract ATOM.` hides the facts it matches, `expect [not] GOAL.` is checked and printed
pass/FAIL (a scenario that fails to apply changes nothing).
`:export` draws the session as it stands (files, scenarios, typed facts, retractions, as-of)
the way `pacta export` does, chains included (docs/EXPORT.md); the SVG needs no other program.
Tab completes commands, predicates and constants; history is kept across sessions; Ctrl-C
cancels a running evaluation and keeps the session.
The rule language is described in docs/LANGUAGE.md, the knowledge base in docs/SCHEMA.md.",
    );
    out
}

/// What handling one input came to. A scripted session ends with the worst (SPEC §2: exit
/// 2 when an input was refused, 1 when only expectations failed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Handled {
    /// Done.
    Ok,
    /// Done, but an `expect` of a scenario does not hold.
    Unmet,
    /// Refused: an error was reported and the session is unchanged.
    Failed,
    /// `:quit`.
    Quit,
}

/// Handles one input.
pub fn handle(session: &mut Workspace, input: &str, color: bool) -> Handled {
    let report = |f: &Report| eprint!("{}", render_text(&f.diagnostics, &f.sources, color));
    let refused = |f: &Report| {
        report(f);
        Handled::Failed
    };
    if let Some(cmd) = input.strip_prefix(':') {
        let (name, arg) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
        return command(session, name, arg.trim(), color);
    }
    if input.starts_with("?-") {
        // The whole input, so that diagnostics quote it at the columns typed.
        return match session.ask(input) {
            Ok((answer, warnings)) => {
                report(&warnings);
                print!("{}", answer_table(&answer));
                Handled::Ok
            }
            Err(f) => refused(&f),
        };
    }
    match session.add(input) {
        Ok(warnings) => {
            report(&warnings);
            println!("ok");
            Handled::Ok
        }
        Err(f) => refused(&f),
    }
}

/// Handles `:name arg`.
fn command(session: &mut Workspace, name: &str, arg: &str, color: bool) -> Handled {
    let report = |f: &Report| eprint!("{}", render_text(&f.diagnostics, &f.sources, color));
    let refused = |f: &Report| {
        report(f);
        Handled::Failed
    };
    let needs = |what: &str, example: &str| {
        eprintln!("`:{name}` needs {what}, e.g. `:{name} {example}`");
        Handled::Failed
    };
    match name {
        "quit" | "q" | "exit" => Handled::Quit,
        "help" | "h" if arg.is_empty() => {
            println!("{}", help());
            Handled::Ok
        }
        "help" | "h" => match help_on(arg) {
            Some(text) => {
                println!("{text}");
                Handled::Ok
            }
            None => {
                eprintln!(
                    "no command `:{}`; type :help for the list",
                    escape(arg.trim_start_matches(':'))
                );
                Handled::Failed
            }
        },
        "asof" if arg.is_empty() => {
            let how = if session.as_of_set().is_some() {
                ""
            } else {
                " (today; set it with `:asof DATE`)"
            };
            println!("as of {}{how}", session.as_of());
            Handled::Ok
        }
        "asof" => match crate::value::Date::parse_iso(arg) {
            Some(d) => {
                session.set_as_of(d);
                println!("as of {d}");
                Handled::Ok
            }
            None => needs("a date as YYYY-MM-DD (a real calendar day)", "1980-01-01"),
        },
        "undo" => {
            if session.undo() {
                println!("undone; as of {}", session.as_of());
                Handled::Ok
            } else {
                eprintln!("nothing to undo");
                Handled::Failed
            }
        }
        "reset" => {
            session.reset();
            println!("back to the knowledge base alone, as of today");
            Handled::Ok
        }
        "load" | "scenario" | "save" if arg.is_empty() => {
            let example = if name == "save" {
                "my_session.pacta"
            } else {
                "examples/invasion_2022.pacta"
            };
            needs("a file", example)
        }
        "load" => match session.load(arg.as_ref()) {
            Ok(a) => {
                report(&a.warnings);
                let mut line = format!("loaded {} file(s)", a.files);
                if a.retracted > 0 {
                    line.push_str(&format!(", retracted {} fact(s)", a.retracted));
                }
                if let Some(d) = a.as_of {
                    line.push_str(&format!("; as of {d}"));
                }
                println!("{line}");
                Handled::Ok
            }
            Err(f) => refused(&f),
        },
        "scenario" => match session.scenario(arg.as_ref()) {
            Ok(a) => {
                report(&a.warnings);
                let mut line = format!(
                    "scenario {}: added {} fact(s) and {} rule(s)",
                    escape(arg),
                    a.facts,
                    a.rules
                );
                if a.retracted > 0 {
                    line.push_str(&format!(", retracted {} fact(s)", a.retracted));
                }
                if let Some(d) = a.as_of {
                    line.push_str(&format!("; as of {d}"));
                }
                println!("{line}");
                let mut status = Handled::Ok;
                let mut failed = 0;
                for e in &a.expects {
                    let not = if e.negated { "not " } else { "" };
                    // The goal's text comes from the file: no raw control characters.
                    let text = escape(&e.text);
                    match session.expectation(e) {
                        Ok(true) => println!("  pass  expect {not}{text}"),
                        Ok(false) => {
                            failed += 1;
                            status = status.max(Handled::Unmet);
                            println!("  FAIL  expect {not}{text}");
                        }
                        Err(f) => {
                            failed += 1;
                            status = Handled::Failed;
                            println!("  ERROR expect {not}{text}");
                            report(&f);
                        }
                    }
                }
                if !a.expects.is_empty() {
                    println!(
                        "{} of {} expectation(s) met",
                        a.expects.len() - failed,
                        a.expects.len()
                    );
                }
                status
            }
            Err(f) => refused(&f),
        },
        "save" => match session.save(arg.as_ref()) {
            Ok(()) => {
                println!("saved to {}", escape(arg));
                Handled::Ok
            }
            Err(f) => refused(&f),
        },
        "export" => match arg.split_once(char::is_whitespace) {
            Some((format, file)) if !file.trim().is_empty() => {
                match super::export(session, format, file.trim().as_ref()) {
                    Ok(e) => {
                        println!(
                            "exported {} to {}: {} state(s), {} edge(s)",
                            escape(format),
                            escape(file.trim()),
                            e.nodes,
                            e.edges
                        );
                        Handled::Ok
                    }
                    Err(f) => refused(&f),
                }
            }
            _ => needs(
                "a format (svg, html, matrix, matrix-csv, svg-ungrouped, dot, graphml, json, mermaid) and a file",
                "svg graph.svg",
            ),
        },
        "needed" if arg.is_empty() => needs(
            "a goal",
            "obliged(united_states, ukraine, A, I, L), level_rank(L, N), N <= 2",
        ),
        "needed" => match super::needed::needed(session, arg) {
            Ok((text, warnings)) => {
                report(&warnings);
                print!("{text}");
                Handled::Ok
            }
            Err(f) => refused(&f),
        },
        "retract" | "why" | "whynot" if arg.is_empty() => {
            needs("a fact", "attack(russia, poland, 2026-05-01).")
        }
        "retract" => match session.retract(arg) {
            Ok(f) => {
                println!("retracted {f}");
                Handled::Ok
            }
            Err(f) => refused(&f),
        },
        "why" | "whynot" => match session.explain(strip_full(arg).1) {
            Ok(e) => {
                match (&e, name) {
                    (Explanation::Fails { .. }, "why") => {
                        println!("(it does not hold; here is why not)")
                    }
                    (Explanation::Holds { .. }, "whynot") => println!("(it holds; here is why)"),
                    _ => {}
                }
                let view = View {
                    full: strip_full(arg).0,
                    depth: None,
                };
                print!("{}", render_text_with(&e, view));
                Handled::Ok
            }
            Err(f) => refused(&f),
        },
        _ => {
            eprintln!(
                "unknown command `:{}`; type :help for the list",
                escape(name)
            );
            Handled::Failed
        }
    }
}

/// What one command does, for `:help CMD` (with or without the `:`).
pub fn help_on(name: &str) -> Option<String> {
    let name = name.trim().trim_start_matches(':');
    let name = match name {
        "q" | "exit" => "quit",
        "h" => "help",
        other => other,
    };
    let (n, arg, what) = COMMANDS.iter().find(|(n, _, _)| *n == name)?;
    Some(format!(":{n} {arg}\n  {what}").replace(" \n", "\n"))
}

/// `:why --full FACT`: whether the proof tree was asked for, and the fact.
fn strip_full(arg: &str) -> (bool, &str) {
    match arg.strip_prefix("--full") {
        Some(rest) if rest.is_empty() || rest.starts_with(char::is_whitespace) => {
            (true, rest.trim())
        }
        _ => (false, arg),
    }
}
