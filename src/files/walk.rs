//! The `.pacta` files under a `--kb` or `:load` path, in a stable order.
//!
//! One walk for every command, the REPL and `build.rs` (`tree.rs`), so all read a
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
    super::tree::pacta_tree(path, out, &mut HashSet::new()).map_err(|(at, e)| {
        super::read::cannot_read(&at, &e)
            .with_hint("give a .pacta file or a folder of them; relative paths are relative to the current directory")
    })
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
