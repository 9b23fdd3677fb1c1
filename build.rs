//! Embeds the bundled knowledge base (`rules/` and `facts/`) in the binary, so that an
//! installed `pacta` answers queries without the source tree. Cargo re-runs this script when
//! any file under those folders changes.

use std::fmt::Write as _;
use std::path::PathBuf;

/// The one folder walk of the crate (`src/files/tree.rs`), shared with `--kb`.
#[path = "src/files/tree.rs"]
mod tree;

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let mut files = Vec::new();
    for dir in ["rules", "facts"] {
        println!("cargo:rerun-if-changed={dir}");
        if let Err((at, e)) = tree::pacta_tree(
            &root.join(dir),
            &mut files,
            &mut std::collections::HashSet::new(),
        ) {
            panic!("cannot read {}: {e}", at.display());
        }
    }
    let mut code = String::from(
        "/// The bundled knowledge base: (path relative to the repository, text), in load order.\n\
         pub const BUNDLED: &[(&str, &str)] = &[\n",
    );
    for f in &files {
        let rel = f
            .strip_prefix(&root)
            .expect("under the root")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            f.display().to_string()
        )
        .expect("write");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo")).join("kb.rs");
    std::fs::write(out, code).expect("write kb.rs");
}
