//! Facts from CSV/TSV files (`@import pred "file".`, `--facts pred=file`): read once per file
//! and kept between evaluations of a workspace ([`ImportCache`]), re-read only when the file
//! changes. Files are opened through this module's regular-file checks and size limits.

use super::read::Bounded;
use super::{MAX_DATA_BYTES, open_regular};
use crate::diag::{Code, Diagnostic};
use crate::value::{Const, Date};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Reads one CSV (`,`) or TSV (`.tsv`: tab) file of facts without a header row. Each field is
/// an integer if it parses as one, a date if it is exactly `YYYY-MM-DD`, else a string.
pub(crate) fn read_facts(path: &Path, arity: usize) -> Result<Vec<Vec<Const>>, Diagnostic> {
    let mut out = Vec::new();
    let name = crate::text::escape(&path.display().to_string()).into_owned();
    // Regular files only, size checked before and while reading (`files::read`).
    let file = open_regular(path, MAX_DATA_BYTES)?;
    let tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tsv { b'\t' } else { b',' })
        .from_reader(Bounded::new(file, MAX_DATA_BYTES));
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::Io(io) => super::read::read_error(path, MAX_DATA_BYTES, io),
            _ => Diagnostic::error_nowhere(
                Code::InvalidInput,
                format!("`{name}` line {}: {e}", i + 1),
            ),
        })?;
        if record.len() != arity {
            return Err(Diagnostic::error_nowhere(
                Code::InvalidInput,
                format!(
                    "`{name}` line {}: {} fields, but the relation has {arity} columns",
                    i + 1,
                    record.len()
                ),
            ));
        }
        out.push(record.iter().map(parse_field).collect());
    }
    Ok(out)
}

/// Rows of `@import`ed files kept between evaluations, each with the size and modification
/// time it was read at: a file that changed is read again, one that did not is not.
#[derive(Debug, Default)]
pub struct ImportCache {
    files: std::sync::Mutex<HashMap<PathBuf, Imported>>,
    /// How many times a file was actually read (for tests and benchmarks).
    reads: std::sync::atomic::AtomicUsize,
}

#[derive(Debug)]
struct Imported {
    stamp: Option<(u64, std::time::SystemTime)>,
    arity: usize,
    rows: std::sync::Arc<Vec<Vec<Const>>>,
}

impl ImportCache {
    /// The rows of `path` for a relation of `arity` columns, read only if needed.
    pub(crate) fn rows(
        &self,
        path: &Path,
        arity: usize,
    ) -> Result<std::sync::Arc<Vec<Vec<Const>>>, Diagnostic> {
        let stamp = std::fs::metadata(path)
            .ok()
            .and_then(|m| Some((m.len(), m.modified().ok()?)));
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = files.get(path)
            && hit.arity == arity
            && stamp.is_some()
            && hit.stamp == stamp
        {
            return Ok(std::sync::Arc::clone(&hit.rows));
        }
        self.reads
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let rows = std::sync::Arc::new(read_facts(path, arity)?);
        files.insert(
            path.to_path_buf(),
            Imported {
                stamp,
                arity,
                rows: std::sync::Arc::clone(&rows),
            },
        );
        Ok(rows)
    }

    /// How many times a file was read.
    pub fn reads(&self) -> usize {
        self.reads.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// A CSV field as a constant.
pub fn parse_field(field: &str) -> Const {
    if let Ok(i) = field.trim().parse::<i64>() {
        Const::Int(i)
    } else if let Some(d) = Date::parse_iso(field.trim()) {
        Const::Date(d)
    } else {
        Const::Str(field.into())
    }
}
