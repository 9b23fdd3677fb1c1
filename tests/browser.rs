//! The interactive page in a real browser: headless Chromium loads `export --format html` from a
//! file URL with a filter in the fragment, runs its script (`--virtual-time-budget`), and dumps
//! the DOM. The page must run without a script error, and the number of obligations its visible
//! arrows stand for must equal the edge count of `export --format json` with the same filter.
//!
//! Without Chromium the tests are skipped with a note — except under CI (`CI=true`), where they
//! fail, unless `.ci/run` tried to install Chromium and could not
//! (`PACTA_BROWSER_INSTALL_FAILED`).

use assert_cmd::Command;
use std::path::Path;
use std::time::{Duration, Instant};

const POLAND: &str = "examples/attack_on_poland_2026.pacta";

/// The browser to use, or `None` (with the note printed) when the test should be skipped.
fn browser() -> Option<&'static str> {
    for b in ["chromium", "chromium-browser", "google-chrome"] {
        let ok = std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(b);
        }
    }
    if std::env::var_os("PACTA_BROWSER_INSTALL_FAILED").is_some() {
        eprintln!("skipped: Chromium could not be installed (see .ci/run's warning)");
        return None;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("CI=true but no chromium: .ci/run installs it (apt-get install chromium)");
    }
    eprintln!("skipped: no chromium on PATH (apt-get install chromium)");
    None
}

/// The DOM after the page's script ran, for `file` with `fragment`.
fn dump(browser: &str, file: &Path, fragment: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("file://{}#{fragment}", file.display());
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", dir.path().display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", &url])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("chromium did not finish within 120 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The value of attribute `name` on `<body ...>`.
fn body_attr(dom: &str, name: &str) -> Option<String> {
    let body = &dom[dom.find("<body")?..];
    let tag = &body[..body.find('>')?];
    let at = tag.find(&format!("{name}=\""))? + name.len() + 2;
    Some(tag[at..].split('"').next()?.to_string())
}

fn export(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("pacta")
        .unwrap()
        .args(["export", "--scenario", POLAND, "--as-of", "2026-06-01"])
        .args(args)
        .output()
        .unwrap()
}

fn json_edges(filter: &[&str]) -> usize {
    let out = export(&[&["--format", "json"][..], filter].concat());
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    v["edges"].as_array().unwrap().len()
}

#[test]
fn the_page_runs_and_its_filters_match_the_json_export() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("poland.html");
    let out = export(&["--format", "html", "-o", page.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (fragment, filter) in [
        ("", &[][..]),
        ("level=automatic", &["--min-level", "automatic"][..]),
        ("state=germany", &["--focus", "germany"][..]),
        (
            "instrument=north_atlantic_treaty",
            &["--instrument", "north_atlantic_treaty"][..],
        ),
    ] {
        let dom = dump(b, &page, fragment);
        assert!(
            !dom.contains("id=\"pacta-error\"") && body_attr(&dom, "data-error").is_none(),
            "#{fragment}: script error: {}",
            body_attr(&dom, "data-error").unwrap_or_default()
        );
        assert_eq!(
            body_attr(&dom, "data-ready").as_deref(),
            Some("yes"),
            "#{fragment}: the script did not finish"
        );
        let visible: usize = body_attr(&dom, "data-visible-edges")
            .and_then(|v| v.parse().ok())
            .expect("data-visible-edges");
        assert_eq!(visible, json_edges(filter), "#{fragment}");
    }
    // A filter changes what is shown.
    let all = json_edges(&[]);
    assert!(json_edges(&["--min-level", "automatic"]) < all);
}

#[test]
fn hostile_names_do_not_run_script() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb.pacta");
    std::fs::write(
        &kb,
        "level_rank(automatic, 1).\n\
         obliged(\"</script><img src=x onerror=document.title='pwned'>\", v, assist, \"<b>t</b>\", automatic).\n\
         obliged(\"</script><img src=x onerror=document.title='pwned'>\", v, assist, \"<b>t</b>\", automatic).\n",
    )
    .unwrap();
    let page = dir.path().join("p.html");
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .args(["export", "--format", "html", "--no-chains", "--kb"])
        .arg(&kb)
        .arg("-o")
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = dump(b, &page, "");
    assert!(
        !dom.contains("<title>pwned</title>"),
        "a name ran as script"
    );
    assert!(!dom.contains("<img"), "a name became an element");
    assert_eq!(body_attr(&dom, "data-visible-edges").as_deref(), Some("1"));
}

#[test]
fn the_timeline_page_follows_the_date_in_the_fragment() {
    let Some(b) = browser() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("poland.html");
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .args(["timeline", "--beneficiary", "poland"])
        .args([
            "--attacker",
            "soviet_union:1991-12-25",
            "--attacker",
            "russia",
        ])
        .args([
            "--from",
            "1955-01-01",
            "--to",
            "2026-06-01",
            "--format",
            "html",
            "-o",
        ])
        .arg(&page)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Warsaw Treaty: six other members (Albania until 1968); the gap; NATO's first year.
    for (date, owed) in [
        ("1960-01-01", "6"),
        ("1995-01-01", "0"),
        ("1999-03-12", "18"),
    ] {
        let dom = dump(b, &page, &format!("date={date}"));
        assert!(!dom.contains("id=\"pacta-error\""), "{date}: script error");
        assert_eq!(
            body_attr(&dom, "data-owed").as_deref(),
            Some(owed),
            "{date}"
        );
    }
}
