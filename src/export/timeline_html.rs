//! The timeline as an interactive page (`pacta timeline --format html`): the lanes SVG, the
//! timeline's data as JSON, and a date slider over the change points; the chosen date is kept
//! in the URL fragment (`#date=1999-03-12`) and the panel lists what each state would owe on
//! it. Self-contained and escaped like `html.rs`; `data-owed` on `<body>` counts the states
//! listed, for the browser tests.

use super::escape::xml;
use super::html::ERROR_HOOK;
use super::html::script_json;
use super::timeline::Timeline;
use super::timeline_svg::to_timeline_svg;

const STYLE: &str = "body{margin:0;font:13px 'DejaVu Sans Mono',Menlo,Consolas,monospace}\
#top{padding:8px;border-bottom:1px solid #ccc}#top input{width:60%}\
#wrap{display:flex}#lanes{flex:1;overflow:auto}#lanes svg{width:100%;height:auto}#owed{width:380px;padding:8px;white-space:pre-wrap}";

const SCRIPT: &str = r#"
(function () {
  var T = JSON.parse(document.getElementById('pacta-data').textContent);
  var slider = document.getElementById('slider'), label = document.getElementById('date'),
      owed = document.getElementById('owed');
  slider.max = String(Math.max(T.points.length - 1, 0));
  function index() {
    var d = new URLSearchParams(location.hash.slice(1)).get('date') || '', k = 0;
    T.points.forEach(function (p, i) { if (p.date <= d) k = i; });
    return d ? k : T.points.length - 1;
  }
  function show() {
    var k = index(), p = T.points[k];
    slider.value = String(k);
    if (!p) { owed.textContent = 'no change points'; document.body.setAttribute('data-owed', '0'); return; }
    label.textContent = p.date + ' (attacker: ' + p.attacker + ')';
    var lines = p.owed.map(function (o) {
      return o.state + ': ' + o.level + ' — ' + o.instruments.map(function (i) { return T.titles[i] || i; }).join(', ');
    });
    owed.textContent = 'If ' + p.attacker + ' attacked ' + T.beneficiary + ' on ' + p.date + ':\n\n' +
      (lines.length ? lines.join('\n') : 'no state would owe anything');
    document.body.setAttribute('data-owed', String(p.owed.length));
    document.querySelectorAll('line.change').forEach(function (l) {
      var on = l.textContent === p.date;
      l.setAttribute('stroke', on ? '#000' : '#999'); l.setAttribute('stroke-width', on ? '2' : '0.6');
    });
  }
  slider.addEventListener('input', function () {
    var p = T.points[+slider.value]; if (p) location.hash = 'date=' + p.date;
  });
  window.addEventListener('hashchange', show);
  show();
  document.body.setAttribute('data-ready', 'yes');
})();
"#;

/// The page.
pub fn to_timeline_html(t: &Timeline) -> String {
    let title = format!(
        "What each state would owe {} if attacked, {} to {}",
        t.beneficiary, t.from, t.to
    );
    let data = serde_json::to_value(t).unwrap_or_default();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
<title>{title}</title><style>{STYLE}</style></head>\n<body>\n\
<div id=\"top\"><b>{title}</b><br><input type=\"range\" id=\"slider\" min=\"0\" step=\"1\"> <span id=\"date\"></span></div>\n\
<div id=\"wrap\"><div id=\"lanes\">{svg}</div><div id=\"owed\"></div></div>\n\
<script type=\"application/json\" id=\"pacta-data\">{data}</script>\n<script>{ERROR_HOOK}{SCRIPT}</script>\n</body></html>\n",
        title = xml(&title),
        svg = to_timeline_svg(t),
        data = script_json(&data),
    )
}
