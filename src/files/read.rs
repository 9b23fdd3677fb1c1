//! Opening inputs: regular files only, with a size check before reading.
//!
//! Issue 15 found `@import e "/dev/zero".` growing past 8 GB, and a FIFO (as an import, a
//! `:load` or a `*.pacta` file in a `--kb` folder) blocking forever on `open`. So a path is
//! checked with `stat` before it is opened, opened without blocking (on Unix, `O_NONBLOCK`:
//! a FIFO swapped in after the check still cannot block), checked again on the open handle,
//! and read through [`Bounded`], which fails rather than read past the limit (a file may grow,
//! and files such as `/proc/...` report a size of 0).

use crate::diag::{Code, Diagnostic};
use std::fs::{File, FileType, OpenOptions};
use std::io::Read;
use std::path::Path;

/// Largest program or scenario file read (256 MiB). Parsing keeps the text and its tree in
/// memory, several times the file's size; a million facts take about 25 MB.
pub const MAX_SOURCE_BYTES: u64 = 256 << 20;
/// Largest CSV/TSV file of facts read (4 GiB); rows are streamed, and the evaluation limits
/// bound what they become.
pub const MAX_DATA_BYTES: u64 = 4 << 30;

/// Reads a whole regular file of at most `max` bytes.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, Diagnostic> {
    let file = open_regular(path, max)?;
    let mut bytes = Vec::new();
    Bounded::new(file, max)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(path, max, &e))?;
    Ok(bytes)
}

/// Opens a regular file of at most `max` bytes for reading, refusing folders
/// (`file_not_found`), FIFOs, devices and sockets (`special_file`) and larger files
/// (`file_too_large`). Read it through [`Bounded`] to keep the bound while it grows.
pub fn open_regular(path: &Path, max: u64) -> Result<File, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| cannot_read(path, &e))?;
    check(path, meta.file_type(), meta.len(), max)?;
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(|e| cannot_read(path, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    check(path, meta.file_type(), meta.len(), max)?;
    Ok(file)
}

/// A reader that fails with [`TooLarge`] instead of reading more than its limit.
pub struct Bounded<R> {
    inner: R,
    left: u64,
}

/// The error [`Bounded`] returns past its limit.
#[derive(Debug)]
pub struct TooLarge;

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("file grew past the size limit while being read")
    }
}

impl std::error::Error for TooLarge {}

impl<R: Read> Bounded<R> {
    /// Reads at most `max` bytes of `inner`.
    pub fn new(inner: R, max: u64) -> Bounded<R> {
        Bounded { inner, left: max }
    }
}

impl<R: Read> Read for Bounded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            // One byte more than allowed means the file is too large; none means it ended.
            let mut probe = [0u8; 1];
            return match self.inner.read(&mut probe)? {
                0 => Ok(0),
                _ => Err(std::io::Error::other(TooLarge)),
            };
        }
        let want = buf
            .len()
            .min(usize::try_from(self.left).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        self.left -= n as u64;
        Ok(n)
    }
}

/// The diagnostic for an I/O error while reading through [`Bounded`].
pub fn read_error(path: &Path, max: u64, e: &std::io::Error) -> Diagnostic {
    if e.get_ref().is_some_and(|inner| inner.is::<TooLarge>()) {
        too_large(path, max)
    } else {
        cannot_read(path, e)
    }
}

fn check(path: &Path, kind: FileType, len: u64, max: u64) -> Result<(), Diagnostic> {
    let name = super::shown(path);
    if kind.is_dir() {
        return Err(Diagnostic::error_nowhere(
            Code::FileNotFound,
            format!("cannot read `{name}`: it is a directory, not a file"),
        )
        .with_hint("give a file; `--kb` also takes a folder of .pacta files"));
    }
    if !kind.is_file() {
        return Err(Diagnostic::error_nowhere(
            Code::SpecialFile,
            format!(
                "cannot read `{name}`: it is {}, not a regular file",
                describe(kind)
            ),
        )
        .with_hint("Pacta reads regular files only; save the input to a file first"));
    }
    if len > max {
        return Err(too_large(path, max));
    }
    Ok(())
}

/// What kind of special file this is, for the message.
pub(crate) fn describe(kind: FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a directory"
    } else if kind.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

fn too_large(path: &Path, max: u64) -> Diagnostic {
    Diagnostic::error_nowhere(
        Code::FileTooLarge,
        format!(
            "cannot read `{}`: larger than {} MiB",
            super::shown(path),
            max >> 20
        ),
    )
    .with_hint("the size limits are in docs/LIMITS.md; split the input into several files")
}

pub(crate) fn cannot_read(path: &Path, e: &std::io::Error) -> Diagnostic {
    Diagnostic::error_nowhere(
        Code::FileNotFound,
        format!("cannot read `{}`: {e}", super::shown(path)),
    )
    .with_hint("check the path; relative paths are relative to the current directory")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_and_folders_are_refused_before_reading() {
        let d = read_regular(Path::new("/dev/zero"), 1 << 20).unwrap_err();
        assert_eq!(d.code, Code::SpecialFile);
        assert!(d.message.contains("device"), "{}", d.message);
        let dir = tempfile::TempDir::new().unwrap();
        assert_eq!(
            read_regular(dir.path(), 1 << 20).unwrap_err().code,
            Code::FileNotFound
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::TempDir::new().unwrap();
        let fifo = dir.path().join("p.pacta");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let d = read_regular(&fifo, 1 << 20).unwrap_err();
        assert_eq!(d.code, Code::SpecialFile);
        assert!(d.message.contains("FIFO"), "{}", d.message);
    }

    #[test]
    fn size_is_checked_before_and_while_reading() {
        let dir = tempfile::TempDir::new().unwrap();
        let f = dir.path().join("big.pacta");
        std::fs::write(&f, "p(1).\n".repeat(100)).unwrap();
        assert_eq!(read_regular(&f, 10).unwrap_err().code, Code::FileTooLarge);
        assert_eq!(read_regular(&f, 600).unwrap().len(), 600);
        // A reader that grows past the limit after the check fails too.
        let mut out = Vec::new();
        let e = Bounded::new(&b"abcdef"[..], 3)
            .read_to_end(&mut out)
            .unwrap_err();
        assert_eq!(read_error(&f, 3, &e).code, Code::FileTooLarge);
    }
}
