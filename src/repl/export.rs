//! `:export FORMAT FILE`: the session's obligation graph (SPEC §6), drawn with
//! [`crate::export`] from everything the session holds — the knowledge base, loaded files,
//! scenarios, typed statements, retractions and the as-of date — and written atomically.

use crate::diag::{Code, Diagnostic};
use crate::export::{
    Names, add_chains, build_graph, build_matrix, group, to_dot, to_graphml, to_grouped_svg,
    to_html, to_json, to_matrix_csv, to_matrix_svg, to_mermaid, to_svg,
};
use crate::syntax::span::SourceMap;
use crate::workspace::{Origin, Report, Workspace};
use std::path::Path;

/// The formats `:export` writes, as typed.
pub const FORMATS: &[&str] = &[
    "dot",
    "graphml",
    "json",
    "mermaid",
    "svg",
    "svg-ungrouped",
    "matrix",
    "matrix-csv",
    "html",
];

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

/// Draws the workspace's obligation graph in `format` (one of [`FORMATS`]) with the chains
/// (as `pacta export` does) and writes it to `path` atomically. On any error nothing is
/// written and the workspace is unchanged.
pub fn export(session: &Workspace, format: &str, path: &Path) -> Result<Exported, Report> {
    if !FORMATS.contains(&format) {
        return Err(refused(
            Code::InvalidInput,
            format!("unknown export format `{format}`"),
            "formats: dot, graphml, json, mermaid, svg (grouped), svg-ungrouped, matrix, matrix-csv, html (e.g. `:export svg graph.svg`)",
        ));
    }
    let failed = |d: Vec<Diagnostic>| session.report(d);
    let as_of = session.as_of();
    let built = session.build(&[], &[], as_of).map_err(failed)?;
    let model = session
        .evaluate(&built, &session.limits)
        .map_err(failed)?
        .model();
    let mut graph = build_graph(&model, as_of, &title(session));
    add_chains(&mut graph, session, &[], &model, as_of, &session.limits).map_err(failed)?;
    let names = Names::from_model(&model);
    let text = match format {
        "dot" => to_dot(&graph),
        "graphml" => to_graphml(&graph),
        "json" => to_json(&graph),
        "mermaid" => to_mermaid(&graph),
        "svg-ungrouped" => to_svg(&graph),
        "matrix" => to_matrix_svg(&build_matrix(&graph)),
        "matrix-csv" => to_matrix_csv(&build_matrix(&graph)),
        "html" => to_html(&group(&graph, &names), &names),
        _ => to_grouped_svg(&group(&graph, &names)),
    };
    // Never over a file the session was read from (an SVG over a rules file loses it).
    session.write(path, &text, &session.inputs())?;
    Ok(Exported {
        nodes: graph.nodes.len(),
        edges: graph.edges.len(),
    })
}

/// The graph's title: the scenario and loaded files, and whether statements were typed.
fn title(session: &Workspace) -> String {
    let mut parts: Vec<String> = session
        .layers()
        .iter()
        .filter(|l| l.origin != Origin::Typed)
        .map(|l| session.sources.get(l.scenario.file).name.clone())
        .collect();
    let typed = session
        .layers()
        .iter()
        .filter(|l| l.origin == Origin::Typed)
        .count();
    if typed > 0 {
        parts.push(format!("{typed} typed input(s)"));
    }
    if !session.retracted().is_empty() {
        parts.push(format!("{} retraction(s)", session.retracted().len()));
    }
    if parts.is_empty() {
        "REPL session: knowledge base, no scenario".into()
    } else {
        format!("REPL session: {}", parts.join(", "))
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
        let mut s = Workspace::empty();
        s.add(KB).unwrap();
        for f in FORMATS {
            let path = dir.path().join(format!("g.{f}"));
            let e = export(&s, f, &path).unwrap();
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
        assert!(export(&s, "png", &dir.path().join("g.png")).is_err());
        assert!(!dir.path().join("g.png").exists());
        assert!(export(&s, "svg", &dir.path().join("no/such/g.svg")).is_err());
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
        let mut s = Workspace::empty();
        s.add(KB).unwrap();
        s.retract("attack(x, a, 2020-01-01)").unwrap();
        let e = export(&s, "json", &dir.path().join("g.json")).unwrap();
        assert_eq!(e.edges, 0);
    }
}
