//! Strings the stages together: read files → parse → check → plan → evaluate → answers.
//!
//! Everything a command needs to turn files into a [`Model`] lives here, so `cli/` (and the
//! REPL) only choose inputs and print. Nothing here prints.

use crate::check::defeasible::is_defeasible_statement;
use crate::check::{Analysis, check};
use crate::diag::{Code, Diagnostic, has_errors};
use crate::eval::shared::Shared;
use crate::eval::{Database, Limits, evaluate};
use crate::files::facts::read_facts;
pub use crate::files::facts::{ImportCache, parse_field};
use crate::files::{MAX_SOURCE_BYTES, read_regular};
use crate::intern::Interner;
use crate::plan::{FactRows, Plan, build};
use crate::syntax::ast::{Program, Statement};
use crate::syntax::parse;
use crate::syntax::span::{FileId, SourceFile, SourceMap};
use crate::value::Const;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The answer of an evaluation: every relation of the program, tuples sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Model {
    /// Relation name → sorted, distinct tuples.
    pub relations: BTreeMap<String, Vec<Vec<Const>>>,
    /// Relation name → number of columns (known even when a relation is empty).
    pub arities: BTreeMap<String, usize>,
}

/// Reads a program file: a missing file, a special file (FIFO, device), a file over
/// [`MAX_SOURCE_BYTES`] or non-UTF-8 bytes are diagnostics, not panics or hangs.
pub fn read_source(path: &Path) -> Result<SourceFile, Diagnostic> {
    let name = path.display().to_string();
    let bytes = read_regular(path, MAX_SOURCE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        Diagnostic::error_nowhere(
            Code::InvalidUtf8,
            format!(
                "`{}` is not UTF-8: invalid byte at offset {offset}",
                crate::text::escape(&name)
            ),
        )
        .with_hint("save the file as UTF-8")
    })?;
    // Editors on Windows often start UTF-8 files with a byte-order mark; it is not text.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    Ok(SourceFile::new(name, text))
}

/// Parsed and checked program text from one or more files.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The files, for rendering diagnostics.
    pub sources: SourceMap,
    /// All statements of all files, in load order.
    pub program: Program,
    /// The checker's result (meaningful when there are no errors).
    pub analysis: Analysis,
    /// Every diagnostic from parsing and checking.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any error was found.
    pub fn has_errors(&self) -> bool {
        has_errors(&self.diagnostics)
    }
}

/// Parses every file of `sources` and checks them together as one program.
pub fn load(sources: SourceMap) -> Loaded {
    load_with(sources, |id, text| {
        let (p, d) = parse(id, text);
        (p.statements, d)
    })
}

/// [`load`] with a parser chosen per file: the REPL reads scenario files with their directives
/// set aside, other files as plain programs. `parse_file` returns a file's statements and
/// diagnostics.
pub fn load_with(
    sources: SourceMap,
    mut parse_file: impl FnMut(FileId, &str) -> (Vec<Statement>, Vec<Diagnostic>),
) -> Loaded {
    let mut program = Program::default();
    let mut diagnostics = Vec::new();
    for (id, file) in sources.files() {
        let (statements, d) = parse_file(id, &file.text);
        if program.statements.is_empty() {
            program.statements = statements; // not copied: a million rules are 170 MB
        } else {
            program.statements.extend(statements);
        }
        diagnostics.extend(d);
    }
    let (analysis, d) = check(&program);
    diagnostics.extend(d);
    Loaded {
        sources,
        program,
        analysis,
        diagnostics,
    }
}

/// Extra facts from CSV/TSV files given on the command line (`--facts pred=file`).
#[derive(Clone, Debug)]
pub struct FactFile {
    /// The predicate filled.
    pub pred: String,
    /// The file.
    pub path: PathBuf,
}

/// A successful evaluation: the answers and the interned database behind them.
#[derive(Clone)]
pub struct Evaluated {
    /// The plan that ran (shared with the variants evaluated from this one).
    pub plan: Arc<Plan>,
    /// The completed relations.
    pub db: Database,
    /// The constants' table.
    pub interner: Interner,
    /// Relation name → predicate id.
    pub(crate) ids: Arc<HashMap<String, usize>>,
    /// Written facts that differ from `plan.facts` (a variant's, made by the overlay module).
    pub(crate) facts: Arc<HashMap<usize, FactRows>>,
    /// Views and tables its variants share (filled on first use).
    pub(crate) shared: Arc<Shared>,
}

impl Evaluated {
    /// The written facts of predicate `p` this evaluation ran on.
    pub(crate) fn written(&self, p: usize) -> &FactRows {
        self.facts.get(&p).unwrap_or(&self.plan.facts[p])
    }

    /// The predicate id of a relation name.
    pub fn pred(&self, name: &str) -> Option<usize> {
        self.ids.get(name).copied()
    }

    /// Every relation name with its predicate id, in no particular order.
    pub fn preds(&self) -> impl Iterator<Item = (&str, usize)> {
        self.ids.iter().map(|(n, &p)| (n.as_str(), p))
    }

    /// Every relation the user wrote, decoded and sorted.
    pub fn model(&self) -> Model {
        self.model_where(|_| true)
    }

    /// The relations the user wrote whose names pass `keep`, decoded and sorted (decoding is
    /// the costly part of printing a large relation, so skip what will not be shown).
    pub fn model_where(&self, keep: impl Fn(&str) -> bool) -> Model {
        let mut relations = BTreeMap::new();
        let mut arities = BTreeMap::new();
        for (p, info) in self.plan.preds.iter().enumerate() {
            if info.hidden || !keep(&info.name) {
                continue;
            }
            arities.insert(info.name.clone(), info.arity);
            let rows = self.db.relations[p].rows();
            let mut tuples: Vec<Vec<Const>> = (0..rows.len)
                .map(|i| {
                    rows.row(i)
                        .iter()
                        .map(|&v| self.interner.constant(v))
                        .collect()
                })
                .collect();
            tuples.sort();
            relations.insert(info.name.clone(), tuples);
        }
        Model { relations, arities }
    }

    /// [`Evaluated::model_where`] within `limits`: decoding makes a vector per tuple (about ten
    /// times the engine's bytes), so the memory budget is checked against an estimate first,
    /// and the clock, the cancel flag and the budget every 65,536 tuples.
    pub fn model_within(
        &self,
        keep: impl Fn(&str) -> bool,
        limits: &Limits,
    ) -> Result<Model, Diagnostic> {
        let guard = crate::eval::Guard::new(limits);
        let kept = || {
            self.plan
                .preds
                .iter()
                .enumerate()
                .filter(|(_, info)| !info.hidden && keep(&info.name))
        };
        let estimate: usize = kept()
            .map(|(p, info)| {
                let row = size_of::<Vec<Const>>() + info.arity * size_of::<Const>() + 16;
                self.db.relations[p].len.saturating_mul(row)
            })
            .sum();
        guard.room(estimate)?;
        let mut relations = BTreeMap::new();
        let mut arities = BTreeMap::new();
        for (p, info) in kept() {
            arities.insert(info.name.clone(), info.arity);
            let rows = self.db.relations[p].rows();
            let mut tuples: Vec<Vec<Const>> = Vec::new();
            for i in 0..rows.len {
                if i % (1 << 16) == 0 {
                    guard.tick()?;
                }
                let row = rows.row(i).iter();
                tuples.push(row.map(|&v| self.interner.constant(v)).collect());
            }
            tuples.sort();
            relations.insert(info.name.clone(), tuples);
        }
        Ok(Model { relations, arities })
    }

    /// The number of tuples of every relation the user wrote, without decoding any.
    pub fn sizes(&self) -> BTreeMap<String, usize> {
        self.plan
            .preds
            .iter()
            .enumerate()
            .filter(|(_, info)| !info.hidden)
            .map(|(p, info)| (info.name.clone(), self.db.relations[p].len))
            .collect()
    }
}

/// Plans and evaluates a loaded plain-Datalog program that has no errors, with its imports and
/// extra facts. (Defeasible theories go through `defeasible::run`.)
pub fn run(
    loaded: &Loaded,
    extra: &[FactFile],
    limits: &Limits,
) -> Result<Evaluated, Vec<Diagnostic>> {
    if loaded.has_errors() {
        return Err(loaded.diagnostics.clone());
    }
    evaluate_program(
        &loaded.program,
        &loaded.analysis,
        &loaded.sources,
        extra,
        limits,
    )
}

/// Plans and evaluates a checked Datalog program; `@import` paths are resolved against the
/// files in `sources`.
///
/// A defeasible theory (`:=`, `:~`, `~`, `>`) is refused with an `unsupported` error pointing
/// at its first defeasible statement: the engine would read its rules as strict ones and give
/// wrong answers. Route theories through `defeasible::run` (which grounds them with this
/// function, on a plain Datalog rewriting). A label on a strict rule alone is not
/// defeasible: without `>` it means nothing to the answers.
pub fn evaluate_program(
    program: &Program,
    analysis: &Analysis,
    sources: &SourceMap,
    extra: &[FactFile],
    limits: &Limits,
) -> Result<Evaluated, Vec<Diagnostic>> {
    evaluate_with_imports(program, analysis, sources, extra, limits, None)
}

/// [`evaluate_program`], taking the rows of `@import`ed files from `cache` when a file has not
/// changed since it was read (the REPL and other long-lived workspaces evaluate many times).
pub fn evaluate_with_imports(
    program: &Program,
    analysis: &Analysis,
    sources: &SourceMap,
    extra: &[FactFile],
    limits: &Limits,
    cache: Option<&ImportCache>,
) -> Result<Evaluated, Vec<Diagnostic>> {
    if let Some(d) = not_datalog(program, analysis) {
        return Err(vec![d]);
    }
    let mut interner = Interner::new();
    let mut plan = build(program, analysis, &mut interner)?;
    let mut errors = Vec::new();
    let mut files: Vec<(String, PathBuf, Option<crate::syntax::span::Span>)> = Vec::new();
    for imp in &analysis.imports {
        let base = Path::new(&sources.get(imp.span.file).name)
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default();
        files.push((imp.pred.clone(), base.join(&imp.path), Some(imp.span)));
    }
    files.extend(extra.iter().map(|f| (f.pred.clone(), f.path.clone(), None)));
    for (pred, path, span) in files {
        let Some(p) = plan.pred_id(&pred) else {
            continue; // imported but never used: nothing reads it
        };
        let arity = plan.preds[p].arity;
        let rows = match cache {
            Some(cache) => cache.rows(&path, arity),
            None => read_facts(&path, arity).map(std::sync::Arc::new),
        };
        match rows {
            Ok(rows) => {
                for row in rows.iter() {
                    let row: Vec<u32> = row.iter().map(|c| interner.intern(c)).collect();
                    plan.facts[p].push(&row);
                }
            }
            Err(d) => errors.push(Diagnostic {
                span: span.or(d.span),
                ..d
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let db = evaluate(&plan, &mut interner, limits).map_err(|d| vec![d])?;
    // Variants of this evaluation clone its constants: shared from now on, not copied.
    interner.freeze();
    let ids = plan
        .preds
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.clone(), i))
        .collect();
    let shared = Arc::new(Shared::new(&plan));
    Ok(Evaluated {
        plan: Arc::new(plan),
        db,
        interner,
        ids: Arc::new(ids),
        facts: Arc::default(),
        shared,
    })
}

/// The error for a program that is a defeasible theory, if it is one (by its statements, or by
/// an analysis that says so).
fn not_datalog(program: &Program, analysis: &Analysis) -> Option<Diagnostic> {
    let first = program
        .statements
        .iter()
        .find(|st| is_defeasible_statement(st));
    if first.is_none() && analysis.defeasible.is_none() {
        return None;
    }
    let msg = "this program is a defeasible theory (`:=`, `:~`, `~` or `>`); the Datalog engine would read its rules as strict ones";
    let span = first.and_then(|st| match st {
        Statement::Rule(r) => Some(r.span),
        Statement::Superiority(x) => Some(x.span),
        Statement::Directive(_) => None,
    });
    let d = match span {
        Some(span) => Diagnostic::error(Code::Unsupported, span, msg),
        None => Diagnostic::error_nowhere(Code::Unsupported, msg),
    };
    Some(d.with_hint(
        "evaluate defeasible theories with `defeasible::run` (`pacta eval` and `pacta query` do)",
    ))
}

/// Parses, checks and evaluates one program text (file name `<input>`), for tests and tools.
/// Returns the model and the warnings, or every diagnostic when there is an error.
pub fn eval_text(text: &str) -> Result<(Model, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("<input>", text));
    let loaded = load(sources);
    let evaluated = run(&loaded, &[], &Limits::default())?;
    let warnings = loaded.diagnostics.clone();
    Ok((evaluated.model(), warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A theory where the defeasible reading and the strict one differ: `~flies(tweety)` beats
    /// `flies(tweety)`, so strictly both would hold.
    const THEORY: &str = "bird(tweety). penguin(tweety).\nr1: flies(X) := bird(X).\nr2: ~flies(X) := penguin(X).\nr2 > r1.\n";

    #[test]
    fn the_datalog_path_refuses_defeasible_theories() {
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new("<input>", THEORY));
        let loaded = load(sources);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        for result in [
            run(&loaded, &[], &Limits::default()).err(),
            evaluate_program(
                &loaded.program,
                &loaded.analysis,
                &loaded.sources,
                &[],
                &Limits::default(),
            )
            .err(),
            eval_text(THEORY).err(),
        ] {
            let d = result.expect("refused, not evaluated as strict rules");
            assert_eq!(d.len(), 1);
            assert_eq!(d[0].code, Code::Unsupported);
            let span = d[0].span.expect("points at the first defeasible rule");
            assert_eq!(
                loaded
                    .sources
                    .get(span.file)
                    .line_col(span.start as usize)
                    .0,
                2
            );
        }
        // The same statements without the analysis's word for it are refused too.
        let plain = Analysis::default();
        assert!(
            evaluate_program(
                &loaded.program,
                &plain,
                &loaded.sources,
                &[],
                &Limits::default()
            )
            .is_err()
        );
        // The routed path answers it.
        let model =
            crate::defeasible::reason_text(THEORY, crate::defeasible::Ambiguity::Blocking).unwrap();
        assert!(format!("{model:?}").contains("~flies"));
    }
}
