//! Every file Pacta reads or writes goes through here, so that one set of rules holds for all
//! commands: inputs are regular files of bounded size (a FIFO, a device such as `/dev/zero` or
//! a socket is refused before a byte is read, so none can hang or exhaust memory), and outputs
//! are written to an unpredictable temporary file beside the target, synced and renamed over it
//! (never through a planted link, never over a device or an input of the same command).
//!
//! **Architecture invariant:** no other module opens an input or output file with `std::fs`
//! directly (the one exception is the REPL's history file, which `rustyline` reads and merges
//! under its own lock); `read`, `walk` and `write` return
//! [`Diagnostic`](crate::diag::Diagnostic)s, never print.

pub mod facts;
pub mod read;
mod tree;
pub mod walk;
pub mod write;

pub use read::{MAX_DATA_BYTES, MAX_SOURCE_BYTES, open_regular, read_regular};
pub use walk::pacta_files;
pub use write::write_file;

use std::path::Path;

/// A path as shown in a message: control and bidi characters escaped (a file name is data too).
pub(crate) fn shown(path: &Path) -> String {
    crate::text::escape(&path.display().to_string()).into_owned()
}
