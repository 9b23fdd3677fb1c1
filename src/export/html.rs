//! The interactive page: one self-contained HTML file holding the grouped SVG, the graph's data
//! as JSON, and a small script for pan and zoom, filters (level, instrument, state) and a panel
//! showing the clause texts of a clicked node or edge. The filters live in the URL fragment
//! (`#level=automatic&state=germany`), so a link reproduces a view.
//!
//! Safety: a Content-Security-Policy forbids fetching anything; the SVG is escaped by
//! `escape::xml`; the JSON is written so that no `<`, `>` or `&` appears raw inside the
//! `<script>` element; the script only ever writes data through `textContent`.
//!
//! For tests, the page reports itself in the DOM: `data-visible-edges` on `<body>` counts the
//! edges of the full graph (as in `--format json`) that the visible arrows stand for, and a
//! script error sets `data-error` and adds `<pre id="pacta-error">`.

use super::escape::xml;
use super::graph::EdgeKind;
use super::group::Grouped;
use super::grouped_svg::to_grouped_svg;
use serde_json::json;

const STYLE: &str = "body{margin:0;font:13px 'DejaVu Sans Mono',Menlo,Consolas,monospace;display:flex;height:100vh}\
#main{flex:1;overflow:hidden;position:relative}#main svg{width:100%;height:100%;cursor:grab}\
#side{width:360px;border-left:1px solid #ccc;padding:8px;overflow:auto}\
#side label{display:block;margin:6px 0}#side select,#side input{width:100%}\
#info{white-space:pre-wrap;font-size:12px;border-top:1px solid #ccc;margin-top:8px;padding-top:6px}\
g.edge,g.node{cursor:pointer}";

/// Reports a script error in the page itself (`data-error` on `<body>`, a visible line), so a
/// browser test that dumps the DOM sees it. Shared with the timeline page.
pub(super) const ERROR_HOOK: &str = r#"
window.onerror = function (msg) {
  document.body.setAttribute('data-error', String(msg));
  var p = document.createElement('pre'); p.id = 'pacta-error';
  p.textContent = 'script error: ' + msg; document.body.appendChild(p);
};
"#;

const SCRIPT: &str = r#"
(function () {
  var D = JSON.parse(document.getElementById('pacta-data').textContent);
  var svg = document.querySelector('#main svg');
  var lv = document.getElementById('f-level'), ins = document.getElementById('f-instrument'),
      st = document.getElementById('f-state'), info = document.getElementById('info');
  function opt(sel, v, text) { var o = document.createElement('option'); o.value = v; o.textContent = text; sel.appendChild(o); }
  opt(lv, '', 'any level'); D.levels.forEach(function (l) { opt(lv, l, l + ' or stronger'); });
  opt(ins, '', 'any instrument'); D.instruments.forEach(function (i) { opt(ins, i[0], i[1]); });
  var dl = document.getElementById('states');
  D.states.forEach(function (s) { var o = document.createElement('option'); o.value = s; dl.appendChild(o); });
  function read() {
    var h = new URLSearchParams(location.hash.slice(1));
    return { level: h.get('level') || '', instrument: h.get('instrument') || '', state: h.get('state') || '' };
  }
  function write() {
    var h = new URLSearchParams();
    if (lv.value) h.set('level', lv.value);
    if (ins.value) h.set('instrument', ins.value);
    if (st.value) h.set('state', st.value);
    location.hash = h.toString();
  }
  function apply() {
    var f = read(), max = f.level ? D.levels.indexOf(f.level) + 1 : 0;
    lv.value = f.level; ins.value = f.instrument; st.value = f.state;
    var shown = D.edges.map(function (e) {
      var ranked = e.kind === 'obligation' || e.kind === 'chain';
      if (max > 0 && ranked && e.rank > max) return 0;
      if (f.instrument && e.kind !== 'attack' && e.instrument !== f.instrument) return 0;
      if (f.state) {
        if (D.nodes[e.to].members.indexOf(f.state) >= 0) return e.count;
        if (D.nodes[e.from].members.indexOf(f.state) >= 0) return e.per_member;
        return 0;
      }
      return e.count;
    });
    if (f.level || f.instrument) {
      D.edges.forEach(function (e, i) {
        if (e.kind !== 'attack' || !shown[i]) return;
        var kept = D.edges.some(function (o, k) { return o.kind !== 'attack' && shown[k] && o.to === e.to; });
        if (!kept) shown[i] = 0;
      });
    }
    var used = {}, total = 0;
    document.querySelectorAll('g.edge').forEach(function (g) {
      var i = +g.getAttribute('data-e'), on = shown[i] > 0;
      g.style.display = on ? '' : 'none';
      if (on) { total += shown[i]; used[D.edges[i].from] = used[D.edges[i].to] = true; }
    });
    document.querySelectorAll('g.node').forEach(function (g) {
      g.style.display = used[g.getAttribute('data-id')] ? '' : 'none';
    });
    document.body.setAttribute('data-visible-edges', String(total));
    document.getElementById('count').textContent = total + ' obligations and attacks shown';
  }
  [lv, ins, st].forEach(function (el) { el.addEventListener('change', write); });
  window.addEventListener('hashchange', apply);
  document.querySelectorAll('g.edge, g.node').forEach(function (g) {
    g.addEventListener('click', function () {
      var t = g.querySelector('title'); info.textContent = t ? t.textContent : '';
    });
  });
  // Pan and zoom through the viewBox.
  var vb = svg.getAttribute('viewBox').split(' ').map(Number), drag = null;
  function set() { svg.setAttribute('viewBox', vb.join(' ')); }
  svg.addEventListener('wheel', function (ev) {
    ev.preventDefault();
    var k = ev.deltaY > 0 ? 1.15 : 1 / 1.15, r = svg.getBoundingClientRect();
    var mx = vb[0] + (ev.clientX - r.left) / r.width * vb[2], my = vb[1] + (ev.clientY - r.top) / r.height * vb[3];
    vb = [mx - (mx - vb[0]) * k, my - (my - vb[1]) * k, vb[2] * k, vb[3] * k]; set();
  }, { passive: false });
  svg.addEventListener('mousedown', function (ev) { drag = [ev.clientX, ev.clientY]; });
  window.addEventListener('mouseup', function () { drag = null; });
  window.addEventListener('mousemove', function (ev) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    vb[0] -= (ev.clientX - drag[0]) / r.width * vb[2]; vb[1] -= (ev.clientY - drag[1]) / r.height * vb[3];
    drag = [ev.clientX, ev.clientY]; set();
  });
  apply();
  document.body.setAttribute('data-ready', 'yes');
})();
"#;

/// JSON that is safe inside a `<script>` element: no `<`, `>`, `&` (so no `</script>` or
/// `<!--`), and no U+2028/U+2029.
pub(super) fn script_json(v: &serde_json::Value) -> String {
    let mut out = String::new();
    for c in v.to_string().chars() {
        match c {
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// The page's data: what the script needs to filter the drawn edges.
fn data(g: &Grouped, titles: &super::Names) -> serde_json::Value {
    let kind = |k: &EdgeKind| match k {
        EdgeKind::Obligation => "obligation",
        EdgeKind::Chain => "chain",
        EdgeKind::Hollow => "hollow",
        EdgeKind::Attack => "attack",
    };
    let mut instruments: Vec<&str> = g
        .edges
        .iter()
        .filter(|e| !e.instrument.is_empty())
        .map(|e| e.instrument.as_str())
        .collect();
    instruments.sort();
    instruments.dedup();
    let mut states: Vec<&str> = g
        .nodes
        .iter()
        .flat_map(|n| n.members.iter().map(String::as_str))
        .collect();
    states.sort();
    json!({
        "levels": g.levels,
        "instruments": instruments.iter().map(|i| json!([i, titles.title(i)])).collect::<Vec<_>>(),
        "states": states,
        "nodes": g.nodes.iter().map(|n| json!({"members": n.members, "lines": n.lines})).collect::<Vec<_>>(),
        "edges": g.edges.iter().map(|e| json!({
            "from": e.from, "to": e.to, "kind": kind(&e.kind), "instrument": e.instrument,
            "rank": e.rank, "count": e.count,
            "per_member": e.count / g.nodes[e.from].members.len().max(1),
        })).collect::<Vec<_>>(),
    })
}

/// The page.
pub fn to_html(g: &Grouped, names: &super::Names) -> String {
    let svg = to_grouped_svg(g);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
<title>{title}</title><style>{STYLE}</style></head>\n<body>\n<div id=\"main\">{svg}</div>\n\
<div id=\"side\"><b>{title}</b>\
<label>level <select id=\"f-level\"></select></label>\
<label>instrument <select id=\"f-instrument\"></select></label>\
<label>state <input id=\"f-state\" list=\"states\" placeholder=\"any state\"></label><datalist id=\"states\"></datalist>\
<div id=\"count\"></div><div id=\"info\">Click an arrow or a box for its clause texts and sources. Scroll to zoom, drag to pan.</div></div>\n\
<script type=\"application/json\" id=\"pacta-data\">{data}</script>\n<script>{ERROR_HOOK}{SCRIPT}</script>\n</body></html>\n",
        title = xml(&g.title),
        data = script_json(&data(g, names)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_data_cannot_close_the_script() {
        let v = json!({"x": "</script><script>alert(1)</script>&\u{2028}"});
        let s = script_json(&v);
        assert!(!s.contains(['<', '>', '&', '\u{2028}']), "{s}");
        let back: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
