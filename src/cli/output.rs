//! Printing a model as JSON, CSV, aligned tables or counts (SPEC §2).

use crate::defeasible::Reasoned;
use crate::defeasible::output::ConclusionModel;
use crate::driver::Model;
use crate::syntax::span::SourceMap;
use crate::value::Const;
use clap::ValueEnum;
use std::io::Write;

/// How `eval` prints relations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON object: relation → array of tuples.
    Json,
    /// `relation,v1,v2,...` per tuple.
    Csv,
    /// Per relation a header and aligned columns.
    Table,
    /// `relation<TAB>size` per relation.
    Count,
}

/// Prints the model on stdout. Output is sorted and deterministic.
pub fn print_model(model: &Model, format: OutputFormat) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = write_model(&mut out, model, format).and_then(|_| out.flush());
}

fn write_model(out: &mut impl Write, model: &Model, format: OutputFormat) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => {
            let json = relations_json(&model.relations).to_string();
            writeln!(out, "{}", crate::text::json_safe(json))
        }
        OutputFormat::Count => {
            for (name, tuples) in &model.relations {
                writeln!(out, "{name}\t{}", tuples.len())?;
            }
            Ok(())
        }
        OutputFormat::Csv => {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
            for (name, tuples) in &model.relations {
                for t in tuples {
                    let mut rec = vec![name.clone()];
                    rec.extend(t.iter().map(|c| c.to_plain()));
                    w.write_record(&rec).map_err(std::io::Error::other)?;
                }
            }
            w.flush()
        }
        OutputFormat::Table => {
            for (name, tuples) in &model.relations {
                let arity = model
                    .arities
                    .get(name)
                    .copied()
                    .unwrap_or_else(|| tuples.first().map_or(0, Vec::len));
                writeln!(out, "{name}/{arity} ({} tuples)", tuples.len())?;
                let cells: Vec<Vec<String>> = tuples
                    .iter()
                    .map(|t| t.iter().map(|c| c.to_string()).collect())
                    .collect();
                let mut widths = vec![0; arity];
                for row in &cells {
                    for (i, c) in row.iter().enumerate() {
                        widths[i] = widths[i].max(c.chars().count());
                    }
                }
                for row in &cells {
                    let line: Vec<String> = row
                        .iter()
                        .enumerate()
                        .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
                        .collect();
                    writeln!(out, "  {}", line.join("  ").trim_end())?;
                }
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

/// Prints the four conclusion kinds of a defeasible theory (and, in table form, the
/// unresolved conflicts).
pub fn print_conclusions(
    model: &ConclusionModel,
    reasoned: &Reasoned,
    sources: &SourceMap,
    format: OutputFormat,
) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let _ = write_conclusions(&mut out, model, reasoned, sources, format).and_then(|_| out.flush());
}

fn write_conclusions(
    out: &mut impl Write,
    model: &ConclusionModel,
    reasoned: &Reasoned,
    sources: &SourceMap,
    format: OutputFormat,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Json => {
            let obj: serde_json::Map<String, serde_json::Value> = model
                .iter()
                .map(|(kind, rels)| (kind.to_string(), relations_json(rels)))
                .collect();
            let json = serde_json::Value::Object(obj).to_string();
            writeln!(out, "{}", crate::text::json_safe(json))
        }
        OutputFormat::Count => {
            for (kind, rels) in model {
                for (name, tuples) in rels {
                    writeln!(out, "{kind}.{name}\t{}", tuples.len())?;
                }
            }
            Ok(())
        }
        OutputFormat::Csv => {
            let mut w = csv::WriterBuilder::new().flexible(true).from_writer(out);
            for (kind, rels) in model {
                for (name, tuples) in rels {
                    for t in tuples {
                        let mut rec = vec![kind.to_string(), name.clone()];
                        rec.extend(t.iter().map(|c| c.to_plain()));
                        w.write_record(&rec).map_err(std::io::Error::other)?;
                    }
                }
            }
            w.flush()
        }
        OutputFormat::Table => {
            for (kind, rels) in model {
                writeln!(out, "== {kind}")?;
                let plain = Model {
                    arities: Default::default(),
                    relations: rels
                        .iter()
                        .filter(|(_, t)| !t.is_empty())
                        .map(|(n, t)| (n.clone(), t.clone()))
                        .collect(),
                };
                write_model(out, &plain, OutputFormat::Table)?;
            }
            let conflicts = reasoned.conflicts();
            writeln!(out, "== conflicts ({})", conflicts.len())?;
            for c in &conflicts {
                let lit = Const::Str(c.relation.clone().into());
                let args: Vec<String> = c.tuple.iter().map(|v| v.to_string()).collect();
                let shown = if args.is_empty() {
                    lit.to_string()
                } else {
                    format!("{lit}({})", args.join(", "))
                };
                writeln!(out, "  {shown} vs ~{shown}: no superiority decides between")?;
                for (side, rules) in [("for", &c.for_literal), ("against", &c.against)] {
                    for &r in rules.iter() {
                        writeln!(out, "    {side:<7} {}", rule_ref(reasoned, sources, r))?;
                    }
                }
            }
            Ok(())
        }
    }
}

/// Prints `relation<TAB>size` lines, prefixed `kind.` for the kinds of a defeasible theory
/// (an empty kind prints the bare relation name).
pub fn print_counts(counts: &[(&'static str, Vec<(String, usize)>)]) {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let write = |out: &mut std::io::BufWriter<_>| -> std::io::Result<()> {
        for (kind, rows) in counts {
            for (name, n) in rows {
                if kind.is_empty() {
                    writeln!(out, "{name}\t{n}")?;
                } else {
                    writeln!(out, "{kind}.{name}\t{n}")?;
                }
            }
        }
        out.flush()
    };
    let _ = write(&mut out);
}

/// `label (file:line)` or `rule at file:line` for a ground rule.
fn rule_ref(reasoned: &Reasoned, sources: &SourceMap, rule: usize) -> String {
    let origin = &reasoned.grounded.origins[rule];
    let file = sources.get(origin.span.file);
    let (line, _) = file.line_col(origin.span.start as usize);
    match &origin.label {
        Some(l) => format!("{l} ({}:{line})", file.name),
        None => format!("rule at {}:{line}", file.name),
    }
}

fn relations_json(rels: &std::collections::BTreeMap<String, Vec<Vec<Const>>>) -> serde_json::Value {
    serde_json::Value::Object(
        rels.iter()
            .map(|(name, tuples)| {
                let rows = tuples
                    .iter()
                    .map(|t| serde_json::Value::Array(t.iter().map(|c| c.to_json()).collect()))
                    .collect();
                (name.clone(), serde_json::Value::Array(rows))
            })
            .collect(),
    )
}
