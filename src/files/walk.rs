//! The `.pacta` files under a `--kb` or `:load` path, in a stable order.
//!
//! One walk for the command line (`scenario::World`) and the REPL (`Session`), so both read a
//! knowledge-base folder the same way. A folder is read once (by canonical path), so a symbolic
//! link back to a parent neither loops nor loads files twice. Special files named `*.pacta`
//! (a FIFO, say) are listed like any other and then refused by [`super::read_regular`] with
//! `special_file`, rather than silently skipped or opened (which would block).

use crate::diag::Diagnostic;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Appends the `.pacta` files under `path` (itself, if it is not a folder) to `out`, sorted
/// within each folder.
pub fn pacta_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), Diagnostic> {
    walk(path, out, &mut HashSet::new())
}

fn walk(
    path: &Path,
    out: &mut Vec<PathBuf>,
    seen: &mut HashSet<PathBuf>,
) -> Result<(), Diagnostic> {
    let unreadable = |e: std::io::Error| {
        super::read::cannot_read(path, &e)
            .with_hint("give a .pacta file or a folder of them; relative paths are relative to the current directory")
    };
    if !std::fs::metadata(path).map_err(unreadable)?.is_dir() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    if !seen.insert(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
        .map_err(unreadable)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out, seen)?;
        } else if p.extension().is_some_and(|e| e == "pacta") {
            out.push(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (reported with issue 8): a symbolic link back to a parent folder made the
    /// `--kb` walk loop until the OS gave up, loading the same files again and again.
    #[cfg(unix)]
    #[test]
    fn a_symlink_loop_in_a_kb_folder_is_walked_once() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("a.pacta"), "a(1).\n").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/b.pacta"), "b(1).\n").unwrap();
        std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/back")).unwrap();
        let mut found = Vec::new();
        pacta_files(dir.path(), &mut found).unwrap();
        let names: Vec<_> = found.iter().filter_map(|p| p.file_name()).collect();
        assert_eq!(names, ["a.pacta", "b.pacta"]);
    }
}
