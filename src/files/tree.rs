//! The walk itself: the `.pacta` files under a path, sorted within each folder, each folder
//! read once (by canonical path, so a link back to a parent neither loops nor repeats files).
//!
//! It depends on nothing but `std`, so that `build.rs` (which embeds the bundled knowledge base
//! and cannot use the crate it builds) includes this very file (`#[path]`) and walks `rules/`
//! and `facts/` exactly as `--kb` walks a folder.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Appends the `.pacta` files under `path` (itself, if it is not a folder) to `out`. An error
/// is the path that could not be read, with the reason.
pub fn pacta_tree(
    path: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
) -> Result<(), (PathBuf, std::io::Error)> {
    let fail = |e| (path.to_path_buf(), e);
    if !std::fs::metadata(path).map_err(fail)?.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(fail)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            pacta_tree(&p, out, seen)?;
        } else if p.extension().is_some_and(|e| e == "pacta") {
            out.push(p);
        }
    }
    Ok(())
}
