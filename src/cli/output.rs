//! Printing a model as JSON, CSV, aligned tables or counts (SPEC §2).

use crate::driver::Model;
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
                write_table(out, name, arity, tuples)?;
            }
            Ok(())
        }
    }
}

/// One relation as a table: `name/arity (n tuples)`, then the tuples in aligned columns, then
/// an empty line.
pub(super) fn write_table(
    out: &mut impl Write,
    name: &str,
    arity: usize,
    tuples: &[Vec<Const>],
) -> std::io::Result<()> {
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
    writeln!(out)
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
