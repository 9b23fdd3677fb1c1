//! One input of the REPL: a `:command`, a `?-` query, or a statement that joins the session.

use super::{Session, answer_table};
use crate::diag::render::render_text;
use crate::explain::{Explanation, View, render_text_with};
use crate::text::escape;

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
        "load",
        "FILE|DIR",
        "load a program file, or every .pacta file in a folder",
    ),
    (
        "scenario",
        "FILE",
        "add a scenario: facts, rules, @asof, retract; check its expects",
    ),
    ("retract", "FACT", "take an input fact out of the session"),
    (
        "asof",
        "DATE",
        "evaluate as of DATE (YYYY-MM-DD; default today)",
    ),
    (
        "export",
        "FORMAT FILE",
        "draw the obligation graph (dot, graphml, json, mermaid, svg) to FILE",
    ),
    (
        "save",
        "FILE",
        "write the session to FILE; `:load FILE` restores it",
    ),
    ("help", "", "this text"),
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

/// Handles one input; `false` ends the session.
pub fn handle(session: &mut Session, input: &str, color: bool) -> bool {
    let report = |f: &super::Report| eprint!("{}", render_text(&f.diagnostics, &f.sources, color));
    if let Some(cmd) = input.strip_prefix(':') {
        let (name, arg) = cmd.split_once(char::is_whitespace).unwrap_or((cmd, ""));
        let arg = arg.trim();
        let needs = |what: &str, example: &str| {
            eprintln!("`:{name}` needs {what}, e.g. `:{name} {example}`");
        };
        match name {
            "quit" | "q" | "exit" => return false,
            "help" | "h" => println!("{}", help()),
            "asof" => match crate::value::Date::parse_iso(arg) {
                Some(d) => {
                    session.as_of = Some(d);
                    println!("as of {d}");
                }
                None => needs("a date as YYYY-MM-DD", "1980-01-01"),
            },
            "load" | "scenario" | "save" if arg.is_empty() => {
                let example = if name == "save" {
                    "my_session.pacta"
                } else {
                    "examples/invasion_2022.pacta"
                };
                needs("a file", example)
            }
            "load" => match session.load(arg.as_ref()) {
                Ok(n) => println!("loaded {n} file(s)"),
                Err(f) => report(&f),
            },
            "scenario" => match session.scenario(arg.as_ref()) {
                Ok(a) => {
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
                    let mut failed = 0;
                    for e in &a.expects {
                        let not = if e.negated { "not " } else { "" };
                        // The goal's text comes from the file: no raw control characters.
                        let text = escape(&e.text);
                        match session.expectation(e) {
                            Ok(true) => println!("  pass  expect {not}{text}"),
                            Ok(false) => {
                                failed += 1;
                                println!("  FAIL  expect {not}{text}");
                            }
                            Err(f) => {
                                failed += 1;
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
                }
                Err(f) => report(&f),
            },
            "save" => match session.save(arg.as_ref()) {
                Ok(()) => println!("saved to {}", escape(arg)),
                Err(f) => report(&f),
            },
            "export" => match arg.split_once(char::is_whitespace) {
                Some((format, file)) if !file.trim().is_empty() => {
                    match session.export(format, file.trim().as_ref()) {
                        Ok(e) => println!(
                            "exported {} to {}: {} state(s), {} edge(s)",
                            escape(format),
                            escape(file.trim()),
                            e.nodes,
                            e.edges
                        ),
                        Err(f) => report(&f),
                    }
                }
                _ => needs(
                    "a format (dot, graphml, json, mermaid, svg) and a file",
                    "svg graph.svg",
                ),
            },
            "retract" | "why" | "whynot" if arg.is_empty() => {
                needs("a fact", "attack(russia, poland, 2026-05-01).")
            }
            "retract" => match session.retract(arg) {
                Ok(f) => println!("retracted {f}"),
                Err(f) => report(&f),
            },
            "why" | "whynot" => match session.explain(strip_full(arg).1) {
                Ok(e) => {
                    match (&e, name) {
                        (Explanation::Fails { .. }, "why") => {
                            println!("(it does not hold; here is why not)")
                        }
                        (Explanation::Holds { .. }, "whynot") => {
                            println!("(it holds; here is why)")
                        }
                        _ => {}
                    }
                    let view = View {
                        full: strip_full(arg).0,
                        depth: None,
                    };
                    print!("{}", render_text_with(&e, view));
                }
                Err(f) => report(&f),
            },
            _ => eprintln!(
                "unknown command `:{}`; type :help for the list",
                escape(name)
            ),
        }
        return true;
    }
    if let Some(goal) = input.strip_prefix("?-") {
        let goal = goal.trim().trim_end_matches('.');
        match session.query(goal) {
            Ok((answer, warnings)) => {
                report(&warnings);
                print!("{}", answer_table(&answer));
            }
            Err(f) => report(&f),
        }
        return true;
    }
    match session.add(input) {
        Ok(warnings) => {
            report(&warnings);
            println!("ok");
        }
        Err(f) => report(&f),
    }
    true
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
