//! Lexer + parser on arbitrary text, then both diagnostic renderers.
//!
//! The contract (ARCHITECTURE.md "Parsing never fails"): any text yields a tree and
//! diagnostics, every diagnostic span lies inside the text, and rendering never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pacta::diag::render::{render_json, render_text};
use pacta::syntax::parse;
use pacta::syntax::span::{FileId, SourceFile, SourceMap};

fuzz_target!(|data: &[u8]| {
    // Non-UTF-8 bytes are refused by `driver::read_source` before the lexer sees them; fuzz
    // the lossy decoding so that every input still reaches the lexer.
    let text = String::from_utf8_lossy(data);
    let (_program, diags) = parse(FileId(0), &text);
    for d in &diags {
        if let Some(s) = d.span {
            assert!(
                s.start <= s.end && s.end as usize <= text.len(),
                "span out of range: {d:?}"
            );
            assert!(
                text.is_char_boundary(s.start as usize),
                "span start inside a char: {d:?}"
            );
            assert!(
                text.is_char_boundary(s.end as usize),
                "span end inside a char: {d:?}"
            );
        }
    }
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("fuzz.pacta", text.as_ref()));
    let _ = render_text(&diags, &sources, false);
    let _ = render_json(&diags, &sources);
});
