//! No import cycles between the files of `src/` (issue 14).
//!
//! A cycle between sibling files means neither can be read, tested or moved without the other;
//! such a pair is one module in two files. This test reads every `.rs` file under `src/`,
//! builds the graph of references between files, and fails naming each cycle, with the line
//! of every reference on it.
//!
//! Which references count, exactly:
//! - A node is a file of the library crate; its module comes from its place (`a/b.rs` and
//!   `a/b/mod.rs` are `a::b`, `lib.rs` is the root). `main.rs` is another crate and is left
//!   out; so are files declared under `#[cfg(test)]` (`#[path = "x_tests.rs"] mod tests;`)
//!   and every `#[cfg(test)]` item inside a file: tests may use anything.
//! - An edge is a path starting with `crate::`, `super::` or `self::` — in code, in `use`
//!   trees (`use super::{a::X, b::Y}` is two paths) or in a doc comment (an intra-doc link is a
//!   reference too). Plain `//` comments and string literals do not count.
//! - A path goes to the file of the longest module prefix it names (`crate::eval::rows::Rows`
//!   → `eval/rows.rs`). If that file is a `mod.rs` that re-exports the next name (`pub use
//!   limits::Guard;` in `eval/mod.rs`), the edge goes to the file that defines it, so a
//!   re-export does not hide a cycle.
//! - An edge between a module and one of its own descendants does not count (`mod x;` and
//!   `pub use x::Y` in a parent, `use super::*` in a child): that is Rust's module tree, not a
//!   dependency between siblings. Every other edge counts, within a folder or across folders.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[test]
fn no_import_cycles_between_files() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = BTreeMap::new();
    read_tree(&root, &root, &mut files);
    assert!(files.contains_key("lib.rs"), "read {}", root.display());
    let cycles: Vec<String> = cycles(&files).into_iter().map(|c| c.text).collect();
    assert!(
        cycles.is_empty(),
        "import cycles between files (move the shared items into a file of their own):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn the_graph_sees_sibling_cycles_and_not_the_module_tree() {
    let tree = |files: &[(&str, &str)]| -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect()
    };
    let lib = ("lib.rs", "pub mod a;\npub mod b;\n");
    // Siblings through a grouped `use` and a doc link.
    let found = cycles(&tree(&[
        lib,
        ("a/mod.rs", "mod x;\nmod y;\npub use x::X;\n"),
        ("a/x.rs", "use super::{y::Y, X as Z};\npub struct X;\n"),
        ("a/y.rs", "/// See [`X`](super::x::X).\npub struct Y;\n"),
    ]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].files, ["a/x.rs", "a/y.rs"]);
    assert!(
        found[0].text.contains("a/y.rs:1 super::x::X"),
        "{}",
        found[0].text
    );
    // Through a parent's re-export, across folders.
    let found = cycles(&tree(&[
        lib,
        ("a/mod.rs", "mod g;\npub(crate) use g::G;\n"),
        ("a/g.rs", "use crate::b::B;\n"),
        ("b.rs", "pub fn f() { let _ = crate::a::G; }\n"),
    ]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].files, ["a/g.rs", "b.rs"]);
    // Parent and child, comments, strings, lifetimes and test code: no cycle.
    let found = cycles(&tree(&[
        lib,
        ("a/mod.rs", "mod x;\nuse self::x::X;\npub struct P;\n"),
        (
            "a/x.rs",
            "use super::P;\n// crate::b\nfn f<'a>(s: &'a str) -> char { let _ = \"crate::b\"; '\"' }\n\
             #[cfg(test)]\nmod tests {\n    use crate::b::B;\n}\n",
        ),
        ("b.rs", "use crate::a::x::X;\npub struct B;\n"),
    ]));
    assert!(found.is_empty(), "{found:?}");
}

/// Reads every `.rs` file under `dir` into `out`, keyed by its path relative to `root`.
fn read_tree(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src/")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_tree(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let rel = path.strip_prefix(root).expect("under src/");
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read_to_string(&path).expect("read file"));
        }
    }
}

/// One strongly connected component of two or more files, and the edges that form it.
#[derive(Debug)]
struct Cycle {
    files: Vec<String>,
    text: String,
}

/// A reference from one file to another: the path as written and its line.
#[derive(Clone, Debug)]
struct Edge {
    to: String,
    path: String,
    line: usize,
}

/// The cycles of the file graph of `files` (path relative to `src/` → text).
fn cycles(files: &BTreeMap<String, String>) -> Vec<Cycle> {
    let mut scanned: BTreeMap<String, Scan> = files
        .iter()
        .filter(|(rel, _)| rel.as_str() != "main.rs")
        .map(|(rel, text)| (rel.clone(), scan(text)))
        .collect();
    let test_only: BTreeSet<String> = scanned
        .iter()
        .flat_map(|(rel, s)| s.test_mods.iter().map(move |m| child_file(rel, m)))
        .collect();
    scanned.retain(|rel, _| !test_only.contains(rel));
    let modules: BTreeMap<Vec<String>, String> = scanned
        .keys()
        .map(|rel| (module_of(rel), rel.clone()))
        .collect();
    let mut edges: BTreeMap<String, Vec<Edge>> = BTreeMap::new();
    for (rel, s) in &scanned {
        let here = module_of(rel);
        let mut out = Vec::new();
        for (path, line) in &s.paths {
            let Some(to) = resolve(&here, path, &modules, &scanned, 0) else {
                continue;
            };
            let there = module_of(&to);
            if there.starts_with(&here) || here.starts_with(&there) {
                continue; // the module tree: an ancestor and its descendant
            }
            out.push(Edge {
                to,
                path: path.join("::"),
                line: *line,
            });
        }
        edges.insert(rel.clone(), out);
    }
    components(&edges)
        .into_iter()
        .map(|files| {
            let set: BTreeSet<&String> = files.iter().collect();
            let mut text = format!("cycle: {}", files.join(", "));
            for f in &files {
                for e in edges[f].iter().filter(|e| set.contains(&e.to)) {
                    text += &format!("\n  {f}:{} {} -> {}", e.line, e.path, e.to);
                }
            }
            Cycle { files, text }
        })
        .collect()
}

/// The module of a file from its path: `a/b.rs` and `a/b/mod.rs` are `[a, b]`.
fn module_of(rel: &str) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// The file of `mod name;` declared in `rel` (`#[path]` is relative to the declaring file's
/// folder).
fn child_file(rel: &str, m: &TestMod) -> String {
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let join = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    match &m.path {
        Some(p) => join(p),
        None if rel.ends_with("mod.rs") || rel == "lib.rs" => join(&format!("{}.rs", m.name)),
        None => format!("{}/{}.rs", rel.trim_end_matches(".rs"), m.name),
    }
}

/// The file a path written in module `here` refers to; `None` for other crates.
fn resolve(
    here: &[String],
    path: &[String],
    modules: &BTreeMap<Vec<String>, String>,
    scanned: &BTreeMap<String, Scan>,
    depth: usize,
) -> Option<String> {
    let mut base: Vec<String>;
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base = Vec::new();
            rest = &rest[1..];
        }
        Some("self") => {
            base = here.to_vec();
            rest = &rest[1..];
        }
        Some("super") => {
            base = here.to_vec();
            while rest.first().is_some_and(|s| s == "super") {
                base.pop();
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    let mut found = modules.get(&base)?.clone();
    let mut used = 0;
    for (i, seg) in rest.iter().enumerate() {
        base.push(seg.clone());
        match modules.get(&base) {
            Some(f) => {
                found = f.clone();
                used = i + 1;
            }
            None => break,
        }
    }
    // A name the module re-exports goes to the file that defines it.
    if let Some(name) = rest.get(used)
        && let Some(target) = scanned[&found].reexports.get(name)
        && depth < 8
    {
        let module = module_of(&found);
        let full: Vec<String> = match target.first().map(String::as_str) {
            Some("crate" | "self" | "super") => target.clone(),
            _ => ["self".to_string()]
                .into_iter()
                .chain(target.iter().cloned())
                .collect(),
        };
        if let Some(f) = resolve(&module, &full, modules, scanned, depth + 1) {
            return Some(f);
        }
    }
    Some(found)
}

/// Tarjan's strongly connected components of two or more files, each sorted.
fn components(edges: &BTreeMap<String, Vec<Edge>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, Vec<Edge>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(st: &mut State<'a>, v: &'a str) {
        let n = st.index.len();
        st.index.insert(v, n);
        st.low.insert(v, n);
        st.stack.push(v);
        st.on.insert(v);
        let edges = st.edges;
        for e in &edges[v] {
            let w = e.to.as_str();
            if !st.index.contains_key(w) {
                visit(st, w);
                st.low.insert(v, st.low[v].min(st.low[w]));
            } else if st.on.contains(w) {
                st.low.insert(v, st.low[v].min(st.index[w]));
            }
        }
        if st.low[v] == st.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = st.stack.pop().expect("on the stack");
                st.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                st.out.push(comp);
            }
        }
    }
    let mut st = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !st.index.contains_key(v.as_str()) {
            visit(&mut st, v);
        }
    }
    st.out.sort();
    st.out
}

/// A `mod name;` declared under `#[cfg(test)]`.
struct TestMod {
    name: String,
    path: Option<String>,
}

/// What one file says about other files.
struct Scan {
    /// Every `crate::`/`super::`/`self::` path outside test code, with its line.
    paths: Vec<(Vec<String>, usize)>,
    /// Name → path of each item re-exported by a `pub use` (any visibility).
    reexports: BTreeMap<String, Vec<String>>,
    /// Child files that only tests compile.
    test_mods: Vec<TestMod>,
}

fn scan(text: &str) -> Scan {
    let (mut code, mut docs) = mask(text);
    let test_mods = strip_test_items(text, &mut code, &mut docs);
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    let mut paths = Vec::new();
    for src in [&code, &docs] {
        for at in starts(src) {
            let mut i = at;
            let mut found = Vec::new();
            use_tree(src, &mut i, Vec::new(), &mut found);
            paths.extend(found.into_iter().map(|(p, _)| (p, line_of(at))));
        }
    }
    // `pub use` trees, relative paths included: what a module re-exports.
    let mut reexports = BTreeMap::new();
    let mut from = 0;
    while let Some(k) = find_word(&code, "use", from) {
        from = k + 3;
        let before = code[..k].trim_end();
        let public = before.ends_with("pub")
            || (before.ends_with(')') && {
                let open = before.rfind("pub(").unwrap_or(0);
                before[open..].starts_with("pub(") && !before[open..].contains(';')
            });
        if !public {
            continue;
        }
        let mut i = from;
        let mut found = Vec::new();
        use_tree(&code, &mut i, Vec::new(), &mut found);
        for (path, alias) in found {
            if let Some(name) = alias.or_else(|| path.last().cloned())
                && name != "*"
            {
                reexports.insert(name, path);
            }
        }
    }
    Scan {
        paths,
        reexports,
        test_mods,
    }
}

/// Offsets where a path starting with `crate::`, `super::` or `self::` begins.
fn starts(src: &str) -> Vec<usize> {
    let mut out = Vec::new();
    for word in ["crate", "super", "self"] {
        let mut from = 0;
        while let Some(k) = find_word(src, word, from) {
            from = k + word.len();
            let before = src[..k].trim_end();
            // Only the first segment: `super::super::x` starts once, `a::self` not at all.
            if src[from..].trim_start().starts_with("::") && !before.ends_with("::") {
                out.push(k);
            }
        }
    }
    out.sort();
    out
}

/// The next occurrence of `word` as a whole identifier at or after `from`.
fn find_word(src: &str, word: &str, mut from: usize) -> Option<usize> {
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let b = src.as_bytes();
    while let Some(k) = src[from..].find(word).map(|k| k + from) {
        let end = k + word.len();
        if (k == 0 || !ident(b[k - 1])) && (end == b.len() || !ident(b[end])) {
            return Some(k);
        }
        from = end;
    }
    None
}

/// Parses a path or `use` tree at `*i`, appending each full path (and its `as` name).
fn use_tree(
    src: &str,
    i: &mut usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>)>,
) {
    let b = src.as_bytes();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(i);
        match b.get(*i) {
            Some(b'{') => {
                *i += 1;
                loop {
                    skip_ws(i);
                    match b.get(*i) {
                        None => return,
                        Some(b'}') => {
                            *i += 1;
                            return;
                        }
                        Some(b',') => *i += 1,
                        _ => {
                            let at = *i;
                            use_tree(src, i, prefix.clone(), out);
                            if *i == at {
                                *i += 1; // not a path: step over it
                            }
                        }
                    }
                }
            }
            Some(b'*') => {
                *i += 1;
                prefix.push("*".to_string());
                out.push((prefix, None));
                return;
            }
            _ => {}
        }
        let start = *i;
        while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_') {
            *i += 1;
        }
        let seg = &src[start..*i];
        if seg.is_empty() {
            if !prefix.is_empty() {
                out.push((prefix, None));
            }
            return;
        }
        if seg != "self" || prefix.is_empty() {
            prefix.push(seg.to_string());
        }
        skip_ws(i);
        if src[*i..].starts_with("::") && !src[*i + 2..].trim_start().starts_with('<') {
            *i += 2;
            continue;
        }
        let mut alias = None;
        if find_word(src, "as", *i) == Some(*i) {
            *i += 2;
            skip_ws(i);
            let s = *i;
            while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_') {
                *i += 1;
            }
            alias = Some(src[s..*i].to_string());
        }
        out.push((prefix, alias));
        return;
    }
}

/// Splits `text` into code (comments and the contents of string and char literals blanked)
/// and doc comments (everything else blanked). Both keep every byte offset and are ASCII.
fn mask(text: &str) -> (String, String) {
    let b = text.as_bytes();
    let n = b.len();
    let mut code = vec![b' '; n];
    let mut docs = vec![b' '; n];
    let keep = |out: &mut Vec<u8>, from: usize, to: usize| {
        for k in from..to {
            out[k] = if b[k].is_ascii() { b[k] } else { b' ' };
        }
    };
    let ident = |k: usize| k > 0 && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'_');
    let mut i = 0;
    while i < n {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = text[i..].find('\n').map_or(n, |e| i + e);
            let doc = (rest.starts_with(b"///") && !rest.starts_with(b"////"))
                || rest.starts_with(b"//!");
            if doc {
                keep(&mut docs, i, end);
            }
            i = end;
        } else if rest.starts_with(b"/*") {
            let doc = (rest.starts_with(b"/**") && !rest.starts_with(b"/**/"))
                || rest.starts_with(b"/*!");
            let (mut depth, mut k) = (0usize, i);
            while k < n {
                if b[k..].starts_with(b"/*") {
                    depth += 1;
                    k += 2;
                } else if b[k..].starts_with(b"*/") {
                    depth -= 1;
                    k += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    k += 1;
                }
            }
            if doc {
                keep(&mut docs, i, k);
            }
            i = k;
        } else if (rest.starts_with(b"r\"") || rest.starts_with(b"r#") || rest.starts_with(b"br"))
            && !ident(i)
            && {
                let q = i + if b[i] == b'b' { 2 } else { 1 };
                let hashes = b[q..].iter().take_while(|&&c| c == b'#').count();
                b.get(q + hashes) == Some(&b'"')
            }
        {
            // Raw string: `r#"…"#`, any number of `#`.
            let q = i + if b[i] == b'b' { 2 } else { 1 };
            let hashes = b[q..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = q + hashes + 1;
            let end = (body..n)
                .find(|&k| b[k..].starts_with(&close))
                .map_or(n, |k| k + close.len());
            code[q + hashes] = b'"';
            code[end - 1 - hashes] = b'"';
            i = end;
        } else if b[i] == b'"' {
            let mut k = i + 1;
            while k < n && b[k] != b'"' {
                k += if b[k] == b'\\' { 2 } else { 1 };
            }
            code[i] = b'"';
            if k < n {
                code[k] = b'"';
            }
            i = k + 1;
        } else if b[i] == b'\'' {
            // A char literal, or a lifetime (`'a` with no closing quote right after).
            let len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
            if b.get(i + 1) == Some(&b'\\') {
                let mut k = i + 2;
                while k < n && b[k] != b'\'' {
                    k += 1;
                }
                i = k + 1;
            } else if b.get(i + 1 + len) == Some(&b'\'') {
                i += len + 2;
            } else {
                code[i] = b'\'';
                i += 1;
            }
        } else {
            keep(&mut code, i, i + 1);
            i += 1;
        }
    }
    let ascii = |v: Vec<u8>| String::from_utf8(v).expect("ASCII");
    (ascii(code), ascii(docs))
}

/// Blanks every `#[cfg(test)]` item in `code` and `docs`; returns the `mod x;` among them.
fn strip_test_items(text: &str, code: &mut String, docs: &mut String) -> Vec<TestMod> {
    let mut mods = Vec::new();
    while let Some(at) = code.find("#[cfg(test)]") {
        let b = code.as_bytes();
        let mut i = at;
        let mut path = None;
        // This attribute and any that follow it.
        loop {
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if !code[i..].starts_with("#[") {
                break;
            }
            let end = matching(b, i + 1);
            let attr = &code[i..end];
            if attr
                .trim_start_matches("#[")
                .trim_start()
                .starts_with("path")
            {
                let q = i + attr.find('"').expect("#[path = \"…\"]");
                let q2 = q + 1 + code[q + 1..].find('"').expect("closing quote");
                path = Some(text[q + 1..q2].to_string());
            }
            i = end;
        }
        let item = code[i..].trim_start();
        let end = if item.starts_with("use ") {
            i + code[i..].find(';').map_or(code.len() - i, |k| k + 1)
        } else {
            let semi = code[i..].find(';').map(|k| i + k);
            let brace = code[i..].find('{').map(|k| i + k);
            match (semi, brace) {
                (Some(s), Some(o)) if s < o => s + 1,
                (Some(s), None) => s + 1,
                (_, Some(o)) => matching(b, o),
                (None, None) => code.len(),
            }
        };
        let words: Vec<&str> = code[i..end]
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        if let [.., "mod", name] = words.as_slice()
            && code[i..end].trim_end().ends_with(';')
        {
            mods.push(TestMod {
                name: name.to_string(),
                path: path.take(),
            });
        }
        let blank = " ".repeat(end - at);
        code.replace_range(at..end, &blank);
        docs.replace_range(at..end, &blank);
    }
    assert!(
        !code.contains("#[path"),
        "a `#[path]` module outside tests: teach tests/architecture.rs where its file is"
    );
    mods
}

/// One past the bracket that closes the one at `open` (`[`, `{` or `(`).
fn matching(b: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, &c) in b.iter().enumerate().skip(open) {
        match c {
            b'[' | b'{' | b'(' => depth += 1,
            b']' | b'}' | b')' => {
                depth -= 1;
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    b.len()
}
