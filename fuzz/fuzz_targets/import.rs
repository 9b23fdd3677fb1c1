//! The import path (issue 15): arbitrary bytes as a CSV/TSV file read by `@import` (and by
//! `read_source`, as a program), under a program that uses the imported relation at an
//! arity the input chooses. The file goes through `files::open_regular` and the bounded
//! reader like any import; rows become facts and are evaluated under 10,000 facts and 1 s.
//! Bad rows must be `invalid_input` diagnostics, never a panic; a hang is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pacta::diag::render::{render_json, render_text};
use pacta::driver::{load, read_source, run};
use pacta::eval::Limits;
use pacta::syntax::span::{SourceFile, SourceMap};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

/// One folder for the whole run; each input overwrites the same two files.
fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("pacta-fuzz-import-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temporary folder");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    // First byte: arity 1–4 and CSV or TSV; the rest is the file.
    let Some((&control, bytes)) = data.split_first() else {
        return;
    };
    let arity = usize::from(control % 4) + 1;
    let ext = if control & 0x80 != 0 { "tsv" } else { "csv" };
    let file = dir().join(format!("rows.{ext}"));
    if std::fs::write(&file, bytes).is_err() {
        return;
    }
    let vars: Vec<String> = (0..arity).map(|i| format!("X{i}")).collect();
    let vars = vars.join(", ");
    let program = format!("@import e \"rows.{ext}\".\nq({vars}) :- e({vars}).\n");
    let mut sources = SourceMap::new();
    let name = dir().join("prog.pacta");
    sources.add(SourceFile::new(name.display().to_string(), program));
    let loaded = load(sources);
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let limits = Limits {
        max_facts: Some(10_000),
        timeout: Some(Duration::from_secs(1)),
        ..Limits::default()
    };
    if let Err(diags) = run(&loaded, &[], &limits) {
        let _ = render_text(&diags, &loaded.sources, false);
        let _ = render_json(&diags, &loaded.sources);
    }
    // The same bytes as a program file: the regular-file reader and UTF-8 check.
    if let Ok(source) = read_source(&file) {
        let mut sources = SourceMap::new();
        sources.add(source);
        let loaded = load(sources);
        let _ = render_text(&loaded.diagnostics, &loaded.sources, false);
    }
});
