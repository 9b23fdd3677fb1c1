//! `pacta explain --needed GOAL`: the smallest sets of changes to assumable inputs (instrument
//! status, parties, events, stances — as the knowledge base declares them) that make GOAL hold on
//! the date, each verified and printed as a what-if file ([`crate::needed`]).

use crate::diag::render::render_text;
use crate::eval::Limits;
use crate::needed::{Options, render_json, render_text as render_needed, scenario_lines, search};
use crate::scenario::{Scenario, asof_sites, pick_as_of};
use crate::value::Date;
use crate::workspace::Workspace;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// What `--needed` is asked.
pub struct NeededRun<'a> {
    /// The goal, a rule body as for `pacta query`.
    pub goal: &'a str,
    /// `--kb`.
    pub kb: &'a [PathBuf],
    /// `--scenario`.
    pub scenarios: &'a [PathBuf],
    /// `--as-of`.
    pub as_of: Option<Date>,
    /// `--max-changes`.
    pub max_changes: usize,
    /// `--format json` (else text).
    pub json: bool,
    /// The limits, armed.
    pub limits: Limits,
}

/// Runs the search: exit 0 with the answer (also when nothing small enough suffices), 2 on bad
/// input or an exceeded limit.
pub fn run(req: NeededRun<'_>) -> ExitCode {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut world = match Workspace::open(req.kb) {
        Ok(w) => w,
        Err(r) => {
            eprint!("{}", render_text(&r.diagnostics, &r.sources, color));
            return ExitCode::from(2);
        }
    };
    let mut scenarios: Vec<Scenario> = Vec::new();
    for path in req.scenarios {
        match world.read_scenario(path) {
            Ok(s) => scenarios.push(s),
            Err(diags) => {
                eprint!("{}", render_text(&diags, &world.sources, color));
                return ExitCode::from(2);
            }
        }
    }
    let refs: Vec<&Scenario> = scenarios.iter().collect();
    let (as_of, notes) = pick_as_of(req.as_of, &asof_sites(&world.sources, &refs));
    for n in notes {
        eprintln!("{n}");
    }
    let options = Options {
        max_changes: req.max_changes,
    };
    let result = search(&mut world, &refs, req.goal, as_of, &options, &req.limits);
    let needed = match result {
        Ok(n) => n,
        Err(diags) => {
            eprint!("{}", render_text(&diags, &world.sources, color));
            return ExitCode::from(2);
        }
    };
    if !needed.warnings.is_empty() {
        eprint!("{}", render_text(&needed.warnings, &world.sources, color));
    }
    let context = scenario_lines(&world.sources, &refs);
    match req.json {
        false => print!("{}", render_needed(&needed, &context)),
        true => println!("{}", render_json(&needed, &context)),
    }
    ExitCode::SUCCESS
}
