//! The one writer of output files (`:save`, `:export`, `pacta export -o`, any future report).
//!
//! Issue 15 found the old writers unsafe: a predictable temporary name (`.NAME.PID.tmp`)
//! opened through symbolic links, so a planted link made Pacta overwrite a file elsewhere; a
//! rename that replaced device nodes and FIFOs; permissions reset to the default; `export -o`
//! truncating its target and then writing (a killed process left half a file), even when the
//! target was one of its own inputs. Here, in order:
//!
//! 1. a target that exists must be a regular file (or a link to one): a folder, FIFO, device
//!    or socket is refused (`write_failed` / `special_file`), and so is any file the same
//!    command reads (`overwrites_input`, compared by device and inode, so other spellings of
//!    the path are caught too);
//! 2. the text goes to a temporary file created exclusively (`O_EXCL`, never through a link)
//!    in the target's folder under an unpredictable name (the `tempfile` crate);
//! 3. it gets the target's permissions (a new file: `0666` less the umask), is synced to disk,
//!    and is renamed over the target, which replaces a link rather than writing through it;
//!    then the folder is synced so the rename itself survives a crash.
//!
//! A failure at any step leaves the target as it was and no temporary file behind.

use crate::diag::{Code, Diagnostic};
use std::fs::Permissions;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically and safely (see the module documentation); `inputs` are
/// the files the same command read, which are never overwritten.
pub fn write_file(path: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), Diagnostic> {
    let name = super::shown(path);
    let fail = |e: &dyn std::fmt::Display| {
        Diagnostic::error_nowhere(Code::WriteFailed, format!("cannot write `{name}`: {e}"))
            .with_hint("check that the folder exists and is writable")
    };
    let Some(file_name) = path.file_name() else {
        return Err(fail(&"not a file name"));
    };
    let permissions = match std::fs::metadata(path) {
        Ok(meta) => {
            check_target(path, &meta, inputs)?;
            Some(meta.permissions())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => new_file_permissions(),
        Err(e) => return Err(fail(&e)),
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", file_name.to_string_lossy()))
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| fail(&without_path(&e)))?;
    tmp.write_all(bytes).map_err(|e| fail(&e))?;
    if let Some(p) = permissions {
        tmp.as_file().set_permissions(p).map_err(|e| fail(&e))?;
    }
    tmp.as_file().sync_all().map_err(|e| fail(&e))?;
    tmp.persist(path).map_err(|e| fail(&e.error))?;
    // The rename is durable only once the folder is synced; a failure here loses nothing
    // that is not already written, so it is not reported.
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// The OS's words for an error, without the temporary file's random name that `tempfile`
/// adds ("... at path ..."): the message is about the target, and stays the same run to run.
/// (`tempfile` keeps the OS error only inside its message, so the suffix is cut from the text.)
fn without_path(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at path ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Refuses an existing target that is not a regular file or that the command reads.
fn check_target(
    path: &Path,
    meta: &std::fs::Metadata,
    inputs: &[PathBuf],
) -> Result<(), Diagnostic> {
    let name = super::shown(path);
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(Diagnostic::error_nowhere(
            Code::WriteFailed,
            format!("cannot write `{name}`: it is a directory"),
        )
        .with_hint("give a file name, e.g. `graph.svg`"));
    }
    if !kind.is_file() {
        return Err(Diagnostic::error_nowhere(
            Code::SpecialFile,
            format!(
                "refusing to write `{name}`: it is {}, not a regular file",
                super::read::describe(kind)
            ),
        )
        .with_hint("write to a regular file, or leave out the file to print on stdout"));
    }
    if inputs.iter().any(|input| same_file(meta, input)) {
        return Err(Diagnostic::error_nowhere(
            Code::OverwritesInput,
            format!("refusing to write `{name}`: this command reads it"),
        )
        .with_hint("choose another output file; the input would be lost"));
    }
    Ok(())
}

/// Whether `input` is the file `meta` describes (same device and inode on Unix).
fn same_file(meta: &std::fs::Metadata, input: &Path) -> bool {
    let Ok(other) = std::fs::metadata(input) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.dev() == other.dev() && meta.ino() == other.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (meta, other);
        false
    }
}

/// The permissions a new file gets from `File::create`: `0666` less the process's umask (the
/// temporary file itself is created `0600`). Elsewhere than Unix, the temporary file's own.
fn new_file_permissions() -> Option<Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(Permissions::from_mode(0o666 & !umask()))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// The umask, read from `/proc/self/status` (Linux); `022` where that is not available.
/// (Reading it with `umask(2)` would mean setting it, racing with other threads.)
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Umask:"))
                .and_then(|v| u32::from_str_radix(v.trim(), 8).ok())
        })
        .unwrap_or(0o022)
}

#[cfg(all(test, unix))]
mod tests;
