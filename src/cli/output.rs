//! Printing a model as JSON, CSV, aligned tables or counts (SPEC §2).

use crate::driver::Model;
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
            let obj: serde_json::Map<String, serde_json::Value> = model
                .relations
                .iter()
                .map(|(name, tuples)| {
                    let rows = tuples
                        .iter()
                        .map(|t| serde_json::Value::Array(t.iter().map(|c| c.to_json()).collect()))
                        .collect();
                    (name.clone(), serde_json::Value::Array(rows))
                })
                .collect();
            serde_json::to_writer(&mut *out, &serde_json::Value::Object(obj))?;
            writeln!(out)
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
                let arity = tuples.first().map_or(0, Vec::len);
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
