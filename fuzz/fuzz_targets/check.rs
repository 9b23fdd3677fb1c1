//! Parser + checker (arity, safety, stratification, defeasible structure) on arbitrary text,
//! then the renderers on everything found.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pacta::diag::render::{render_json, render_text};
use pacta::driver::load;
use pacta::syntax::span::{SourceFile, SourceMap};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("fuzz.pacta", text.as_ref()));
    let loaded = load(sources);
    let _ = render_text(&loaded.diagnostics, &loaded.sources, false);
    let _ = render_json(&loaded.diagnostics, &loaded.sources);
});
