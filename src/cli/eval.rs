//! `pacta eval FILE...`: evaluate standalone programs and print relations.

use super::kb_args::AmbiguityArg;
use super::output::{OutputFormat, print_model};
use super::{DiagFormat, LimitArgs, report};
use crate::diag::{Code, Diagnostic};
use crate::driver::{FactFile, Loaded, load, read_source, run as run_program};
use crate::syntax::span::SourceMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `pacta eval`.
#[derive(clap::Args, Debug)]
pub struct EvalArgs {
    /// Program files, evaluated together as one program.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Output format; also picks the diagnostics format (json → JSON diagnostics).
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    format: OutputFormat,
    /// Print only this relation (repeatable).
    #[arg(long = "relation", value_name = "NAME")]
    relations: Vec<String>,
    /// Load facts of PRED from a CSV file (TSV when it ends in .tsv); repeatable.
    #[arg(long = "facts", value_name = "PRED=FILE", value_parser = parse_fact_file)]
    facts: Vec<FactFile>,
    /// Defeasible ambiguity variant (accepted; changes nothing for plain Datalog).
    #[arg(long, value_enum, default_value_t = AmbiguityArg::Blocking)]
    ambiguity: AmbiguityArg,
    #[command(flatten)]
    limits: LimitArgs,
}

/// Evaluates a defeasible theory and prints the four conclusion kinds.
fn run_defeasible(
    args: &EvalArgs,
    loaded: &Loaded,
    mut diags: Vec<Diagnostic>,
    diag_format: DiagFormat,
) -> ExitCode {
    let ambiguity = args.ambiguity.into();
    let reasoned =
        match crate::defeasible::run(loaded, &args.facts, &args.limits.limits(), ambiguity) {
            Ok(r) => r,
            Err(errors) => {
                diags.extend(errors);
                report(&diags, &loaded.sources, diag_format);
                return ExitCode::from(2);
            }
        };
    if !diags.is_empty() {
        report(&diags, &loaded.sources, diag_format);
    }
    let wanted = |name: &str| args.relations.is_empty() || args.relations.iter().any(|r| r == name);
    match args.format {
        OutputFormat::Count => super::conclusions::print_counts(&reasoned, &wanted),
        OutputFormat::Json => super::conclusions::print_json(&reasoned, &wanted),
        OutputFormat::Table => {
            super::conclusions::print_table(&reasoned, &loaded.sources, &wanted);
        }
        OutputFormat::Csv => super::conclusions::print_csv(&reasoned, &wanted),
    }
    // A large theory takes long to free, and the process ends now: let the OS reclaim it.
    std::mem::forget(reasoned);
    ExitCode::SUCCESS
}

fn parse_fact_file(s: &str) -> Result<FactFile, String> {
    let (pred, path) = s
        .split_once('=')
        .ok_or("expected PRED=FILE, e.g. edge=edges.csv")?;
    if !crate::value::Const::is_plain_symbol(pred) {
        return Err(format!("`{pred}` is not a predicate name"));
    }
    Ok(FactFile {
        pred: pred.to_string(),
        path: PathBuf::from(path),
    })
}

/// Reads and loads program files; unreadable files are returned as diagnostics.
pub fn load_files(paths: &[PathBuf]) -> (Loaded, Vec<Diagnostic>) {
    let mut sources = SourceMap::new();
    let mut errors = Vec::new();
    for p in paths {
        match read_source(Path::new(p)) {
            Ok(f) => {
                sources.add(f);
            }
            Err(d) => errors.push(d),
        }
    }
    (load(sources), errors)
}

/// Runs `eval`: prints relations on stdout, diagnostics on stderr; exit 2 on any error.
pub fn run(args: EvalArgs) -> ExitCode {
    let diag_format = if args.format == OutputFormat::Json {
        DiagFormat::Json
    } else {
        DiagFormat::Text
    };
    let (loaded, mut diags) = load_files(&args.files);
    diags.extend(loaded.diagnostics.iter().cloned());
    if crate::diag::has_errors(&diags) {
        report(&diags, &loaded.sources, diag_format);
        return ExitCode::from(2);
    }
    if loaded.analysis.defeasible.is_some() {
        let code = run_defeasible(&args, &loaded, diags, diag_format);
        std::mem::forget(loaded); // freeing a large program only delays the exit
        return code;
    }
    let evaluated = match run_program(&loaded, &args.facts, &args.limits.limits()) {
        Ok(e) => e,
        Err(errors) => {
            diags.extend(errors);
            report(&diags, &loaded.sources, diag_format);
            return ExitCode::from(2);
        }
    };
    let sizes = evaluated.sizes();
    for name in &args.relations {
        if !sizes.contains_key(name) {
            let mut d = Diagnostic::error_nowhere(
                Code::UnknownRelation,
                format!("the program has no relation `{name}`"),
            );
            d.severity = crate::diag::Severity::Warning;
            diags.push(d);
        }
    }
    if !diags.is_empty() {
        report(&diags, &loaded.sources, diag_format);
    }
    let wanted = |name: &str| args.relations.is_empty() || args.relations.iter().any(|r| r == name);
    if args.format == OutputFormat::Count {
        // Counting needs no decoding.
        let counts: Vec<(&'static str, Vec<(String, usize)>)> =
            vec![("", sizes.into_iter().filter(|(n, _)| wanted(n)).collect())];
        super::output::print_counts(&counts);
    } else {
        let model = evaluated.model_where(wanted);
        print_model(&model, args.format);
        std::mem::forget(model);
    }
    // Freeing large relations only delays the exit: let the OS reclaim them.
    std::mem::forget((evaluated, loaded));
    ExitCode::SUCCESS
}
