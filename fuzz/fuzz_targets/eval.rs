//! The whole pipeline on arbitrary text under tight limits: parse, check, then evaluate a
//! Datalog program or ground and reason about a defeasible theory (both ambiguity variants).
//!
//! Limits are 10,000 facts and 1 s, so a runaway program ends in `fact_limit`/`timeout`
//! well inside libFuzzer's `-timeout`; a hang or a crash here is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pacta::defeasible::Ambiguity;
use pacta::diag::render::render_text;
use pacta::driver::{load, run};
use pacta::eval::Limits;
use pacta::syntax::span::{SourceFile, SourceMap};
use std::time::Duration;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut sources = SourceMap::new();
    sources.add(SourceFile::new("fuzz.pacta", text.as_ref()));
    let loaded = load(sources);
    if loaded.has_errors() {
        return;
    }
    let limits = Limits {
        max_facts: Some(10_000),
        timeout: Some(Duration::from_secs(1)),
        ..Limits::default()
    };
    if loaded.analysis.defeasible.is_some() {
        for ambiguity in [Ambiguity::Blocking, Ambiguity::Propagating] {
            match pacta::defeasible::run(&loaded, &[], &limits, ambiguity) {
                Ok(r) => {
                    let _ = r.model();
                    let _ = r.counts();
                    let _ = r.conflicts();
                }
                Err(d) => {
                    let _ = render_text(&d, &loaded.sources, false);
                }
            }
        }
    } else {
        match run(&loaded, &[], &limits) {
            Ok(e) => {
                let _ = e.model();
            }
            Err(d) => {
                let _ = render_text(&d, &loaded.sources, false);
            }
        }
    }
});
