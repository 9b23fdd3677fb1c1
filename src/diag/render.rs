//! Temporary minimal rendering (replaced by the ariadne renderer).
use super::Diagnostic;
use crate::syntax::span::SourceMap;

/// Text rendering.
pub fn render_text(diags: &[Diagnostic], sources: &SourceMap, _color: bool) -> String {
    let mut s = String::new();
    for d in diags {
        let place = d
            .span
            .map(|sp| {
                let f = sources.get(sp.file);
                let (l, c) = f.line_col(sp.start as usize);
                format!("{}:{l}:{c}: ", f.name)
            })
            .unwrap_or_default();
        s.push_str(&format!(
            "{place}{:?}[{}]: {}\n",
            d.severity,
            d.code.as_str(),
            d.message
        ));
    }
    s
}

/// JSON rendering.
pub fn render_json(diags: &[Diagnostic], sources: &SourceMap) -> String {
    let one = |d: &Diagnostic| {
        let (file, line, col) = match d.span {
            Some(sp) => {
                let f = sources.get(sp.file);
                let (l, c) = f.line_col(sp.start as usize);
                (Some(f.name.clone()), Some(l), Some(c))
            }
            None => (None, None, None),
        };
        serde_json::json!({"code": d.code.as_str(), "message": d.message, "file": file, "line": line, "column": col})
    };
    serde_json::json!({"errors": diags.iter().filter(|d| d.is_error()).map(one).collect::<Vec<_>>(), "warnings": diags.iter().filter(|d| !d.is_error()).map(one).collect::<Vec<_>>()}).to_string()
}
