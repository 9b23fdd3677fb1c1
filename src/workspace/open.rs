//! Opening a workspace: the knowledge base read (bundled, or `--kb` files and folders through
//! the one folder walk, [`crate::files::pacta_files`]), parsed and checked once; then the
//! scenario files and the date a command was given, by the one precedence rule.

use super::{Report, Workspace};
use crate::check::check;
use crate::check::constants::mentioned;
use crate::diag::{Diagnostic, has_errors};
use crate::driver::read_source;
use crate::eval::Limits;
use crate::syntax::ast::{Program, Statement};
use crate::syntax::parse;
use crate::syntax::span::{SourceFile, SourceMap};
use crate::value::Date;
use std::path::PathBuf;

/// What a command asks for (the flags `--kb`, `--scenario`, `--as-of`, `--ambiguity` and the
/// limits, parsed once by the command line).
#[derive(Clone, Debug, Default)]
pub struct Setup {
    /// Knowledge-base files or folders; none: the bundled knowledge base.
    pub kb: Vec<PathBuf>,
    /// Scenario files, added as layers in order.
    pub scenarios: Vec<PathBuf>,
    /// `--as-of`: wins over the scenarios' `@asof`.
    pub as_of: Option<Date>,
    /// Bounds on each evaluation.
    pub limits: Limits,
    /// How defeasible theories treat ambiguity.
    pub ambiguity: crate::defeasible::Ambiguity,
}

/// A workspace set up for a command, with what the set-up has to say.
pub struct Opened {
    /// The workspace.
    pub workspace: Workspace,
    /// Warnings about the scenario files (render with `workspace.sources`).
    pub warnings: Vec<Diagnostic>,
    /// Notes for stderr: an `@asof` overridden by `--as-of` or a later file.
    pub notes: Vec<String>,
}

impl Workspace {
    /// The bundled knowledge base, or the `.pacta` files under `kb` (files or folders).
    pub fn open(kb: &[PathBuf]) -> Result<Workspace, Report> {
        let mut sources = SourceMap::new();
        if kb.is_empty() {
            for f in crate::kb::bundled_sources() {
                sources.add(f);
            }
        } else {
            let nowhere = |d| Report {
                diagnostics: vec![d],
                sources: SourceMap::new(),
            };
            let mut found = Vec::new();
            for p in kb {
                crate::files::pacta_files(p, &mut found).map_err(nowhere)?;
            }
            for f in found {
                sources.add(read_source(&f).map_err(nowhere)?);
            }
        }
        Workspace::over(sources)
    }

    /// A workspace over one text as its knowledge base (for tests and tools).
    pub fn from_text(name: &str, text: &str) -> Result<Workspace, Report> {
        let mut sources = SourceMap::new();
        sources.add(SourceFile::new(name, text));
        Workspace::over(sources)
    }

    /// A workspace with no knowledge base at all.
    pub fn empty() -> Workspace {
        Workspace::over(SourceMap::new()).expect("nothing to refuse")
    }

    /// Parses and checks the files of `sources` as the knowledge base.
    fn over(sources: SourceMap) -> Result<Workspace, Report> {
        let mut base: Vec<Statement> = Vec::new();
        let mut diags = Vec::new();
        for (id, file) in sources.files() {
            let (p, d) = parse(id, &file.text);
            base.extend(p.statements);
            diags.extend(d);
        }
        let program = Program { statements: base };
        if !has_errors(&diags) {
            let (analysis, d) = check(&program);
            diags.extend(d.into_iter().filter(|d| d.is_error()));
            if !has_errors(&diags) {
                let known = mentioned(&program.statements);
                return Ok(Workspace {
                    sources,
                    base: program.statements,
                    layers: Vec::new(),
                    retracted: Vec::new(),
                    undo: Vec::new(),
                    as_of: None,
                    limits: Limits::default(),
                    ambiguity: Default::default(),
                    arities: analysis.arities.into_iter().collect(),
                    known,
                    imports: Default::default(),
                    recall: None,
                    last: None,
                });
            }
        }
        Err(Report {
            diagnostics: diags.into_iter().filter(|d| d.is_error()).collect(),
            sources,
        })
    }

    /// The workspace a command runs in: the knowledge base, the scenario files as layers, and
    /// the date by the one precedence rule ([`crate::scenario::pick_as_of`]: `--as-of` wins
    /// over `@asof`, the last file's `@asof` over earlier ones, else today).
    pub fn setup(setup: &Setup) -> Result<Opened, Report> {
        let mut workspace = Workspace::open(&setup.kb)?;
        workspace.limits = setup.limits.clone();
        workspace.ambiguity = setup.ambiguity;
        let mut warnings = Vec::new();
        let mut sites = Vec::new();
        for path in &setup.scenarios {
            let added = workspace.scenario(path)?;
            warnings.extend(added.warnings.diagnostics);
            sites.extend(added.sites);
        }
        let (as_of, notes) = crate::scenario::pick_as_of(setup.as_of, &sites);
        workspace.as_of = Some(as_of);
        workspace.undo.clear();
        Ok(Opened {
            workspace,
            warnings,
            notes,
        })
    }
}
