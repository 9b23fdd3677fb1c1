//! `:export FORMAT FILE`: the session's obligation graph (SPEC §6), drawn with
//! [`crate::export`] from everything the session holds — the knowledge base, loaded files,
//! scenarios, typed statements, retractions and the as-of date — and written atomically.

use super::session::{Origin, Report, Session};
use super::state::write_atomically;
use crate::diag::{Code, Diagnostic};
use crate::export::{add_chains, build_graph, to_dot, to_graphml, to_json, to_mermaid, to_svg};
use crate::scenario::{Scenario, World};
use crate::syntax::span::SourceMap;
use crate::value::Date;
use std::path::Path;

/// The formats `:export` writes, as typed.
pub const FORMATS: &[&str] = &["dot", "graphml", "json", "mermaid", "svg"];

/// What `:export` wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exported {
    /// States drawn.
    pub nodes: usize,
    /// Edges drawn (obligations, chains, hollow commitments, attacks).
    pub edges: usize,
}

fn refused(code: Code, message: String, hint: &str) -> Report {
    Report {
        diagnostics: vec![Diagnostic::error_nowhere(code, message).with_hint(hint)],
        sources: SourceMap::new(),
    }
}

impl Session {
    /// Draws the session's obligation graph in `format` (one of [`FORMATS`]) with the chains
    /// (as `pacta export` does) and writes it to `path` atomically. On any error nothing is
    /// written and the session is unchanged.
    pub fn export(&self, format: &str, path: &Path) -> Result<Exported, Report> {
        let write: fn(&crate::export::Graph) -> String = match format {
            "dot" => to_dot,
            "graphml" => to_graphml,
            "json" => to_json,
            "mermaid" => to_mermaid,
            "svg" => to_svg,
            _ => {
                return Err(refused(
                    Code::InvalidInput,
                    format!("unknown export format `{format}`"),
                    "formats: dot, graphml, json, mermaid, svg (e.g. `:export svg graph.svg`)",
                ));
            }
        };
        let loaded = self.program(None);
        let failed = |diagnostics: Vec<Diagnostic>| Report {
            diagnostics,
            sources: loaded.sources.clone(),
        };
        if loaded.has_errors() {
            return Err(failed(
                loaded
                    .diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .cloned()
                    .collect(),
            ));
        }
        let as_of = self.as_of.unwrap_or_else(Date::today);
        // The session's statements (without its own `asof` fact: the build adds one) as one
        // scenario over an empty knowledge base, in a world that shares the session's files,
        // so that chains can evaluate variants of exactly this program.
        let as_of_file = loaded
            .sources
            .files()
            .find(|(_, f)| f.name == super::session::AS_OF)
            .map(|(id, _)| id);
        let statements = loaded
            .program
            .statements
            .iter()
            .filter(|st| as_of_file.is_none_or(|id| statement_file(st) != Some(id)))
            .cloned()
            .collect();
        let scenario = Scenario {
            statements,
            ..Scenario::default()
        };
        let mut world =
            World::from_text(super::session::SESSION, "").map_err(|(d, _)| failed(d))?;
        world.sources = loaded.sources.clone();
        let built = world.build(&[&scenario], &[], as_of).map_err(failed)?;
        let model = world
            .evaluate(&built, &self.limits)
            .map_err(failed)?
            .model();
        let mut graph = build_graph(&model, as_of, &self.title());
        add_chains(
            &mut graph,
            &world,
            &[&scenario],
            &model,
            as_of,
            &self.limits,
        )
        .map_err(failed)?;
        // Never over a file the session was read from (an SVG over a rules file loses it).
        let inputs: Vec<std::path::PathBuf> = self
            .files
            .iter()
            .map(|f| std::path::PathBuf::from(&f.name))
            .collect();
        write_atomically(path, &write(&graph), &inputs)?;
        Ok(Exported {
            nodes: graph.nodes.len(),
            edges: graph.edges.len(),
        })
    }

    /// The graph's title: the scenario and loaded files, and whether statements were typed.
    fn title(&self) -> String {
        let mut parts: Vec<String> = self
            .files
            .iter()
            .zip(&self.origins)
            .filter(|(_, o)| **o != Origin::Base)
            .map(|(f, _)| f.name.clone())
            .collect();
        if !self.typed.is_empty() {
            parts.push(format!("{} typed statement(s)", self.typed.len()));
        }
        if !self.retracted.is_empty() {
            parts.push(format!("{} retraction(s)", self.retracted.len()));
        }
        if parts.is_empty() {
            "REPL session: knowledge base, no scenario".into()
        } else {
            format!("REPL session: {}", parts.join(", "))
        }
    }
}

/// The file a statement was read from.
fn statement_file(st: &crate::syntax::ast::Statement) -> Option<crate::syntax::span::FileId> {
    use crate::syntax::ast::Statement;
    match st {
        Statement::Rule(r) => Some(r.span.file),
        Statement::Superiority(x) => Some(x.span.file),
        Statement::Directive(d) => Some(d.span.file),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KB: &str = "level_rank(automatic, 1). level_rank(discretionary, 2).\n\
        attack(x, a, 2020-01-01).\n\
        obliged(b, a, assist, pact, automatic) :- attack(x, a, _).\n";

    #[test]
    fn writes_every_format_and_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::default();
        s.add(KB).unwrap();
        for f in FORMATS {
            let path = dir.path().join(format!("g.{f}"));
            let e = s.export(f, &path).unwrap();
            assert!(e.edges >= 1, "{f}: {e:?}");
            assert!(std::fs::metadata(&path).unwrap().len() > 0);
        }
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join("g.json")).unwrap())
                .unwrap();
        assert!(json["edges"].as_array().is_some_and(|e| !e.is_empty()));
        let svg = std::fs::read_to_string(dir.path().join("g.svg")).unwrap();
        roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
        // Failures write nothing and change nothing.
        let before = s.script();
        assert!(s.export("png", &dir.path().join("g.png")).is_err());
        assert!(!dir.path().join("g.png").exists());
        assert!(s.export("svg", &dir.path().join("no/such/g.svg")).is_err());
        assert_eq!(s.script(), before);
        let leftovers = std::fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            })
            .count();
        assert_eq!(leftovers, 0);
    }

    #[test]
    fn a_retracted_fact_is_not_drawn() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Session::default();
        s.add(KB).unwrap();
        s.retract("attack(x, a, 2020-01-01)").unwrap();
        let e = s.export("json", &dir.path().join("g.json")).unwrap();
        assert_eq!(e.edges, 0);
    }
}
