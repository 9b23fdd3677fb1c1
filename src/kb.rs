//! The bundled knowledge base, embedded at build time (see `build.rs`): `rules/` and `facts/`
//! travel inside the binary, so `pacta` and `pacta query` work from any directory. `--kb DIR`
//! loads folders from disk instead.

include!(concat!(env!("OUT_DIR"), "/kb.rs"));

use crate::syntax::span::SourceFile;

/// The bundled files as sources, named by their path in the repository.
pub fn bundled_sources() -> Vec<SourceFile> {
    BUNDLED
        .iter()
        .map(|(name, text)| SourceFile::new(*name, *text))
        .collect()
}
