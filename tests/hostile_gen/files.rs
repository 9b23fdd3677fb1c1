//! Special files and unsafe writes (issue 15, problems 2 and 3): inputs must be regular files
//! of bounded size (a FIFO or `/dev/zero` ends in `special_file` at once, never a hang or an
//! 8 GB read), and every output file is written through one writer that never follows a
//! planted link, never replaces a device or FIFO, keeps permissions, and never overwrites an
//! input of the same command.

use super::{BOUND, assert_refused, pacta};
use assert_cmd::Command;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;
use std::time::Instant;
use tempfile::TempDir;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

/// A FIFO at `dir/name`, or `None` where `mkfifo` is missing.
fn fifo(dir: &Path, name: &str) -> Option<String> {
    let path = dir.join(name);
    let made = std::process::Command::new("mkfifo").arg(&path).status();
    made.is_ok_and(|s| s.success())
        .then(|| path.to_str().unwrap().to_string())
}

/// The REPL, scripted, within the time bound.
fn repl(args: &[&str], input: &str) -> Output {
    let started = Instant::now();
    let out = Command::cargo_bin("pacta")
        .unwrap()
        .arg("repl")
        .args(args)
        .write_stdin(input)
        .timeout(BOUND)
        .output()
        .unwrap();
    assert!(
        started.elapsed() < BOUND,
        "repl {args:?} ran past {BOUND:?}"
    );
    out
}

#[test]
fn devices_are_refused_as_program_and_import() {
    let dir = TempDir::new().unwrap();
    let zero = write(
        dir.path(),
        "zero.pacta",
        "@import e \"/dev/zero\".\nq(X) :- e(X).\n",
    );
    for format in ["table", "json"] {
        assert_refused(
            &pacta(&["eval", "--format", format, &zero]),
            "special_file",
            "import /dev/zero",
        );
        assert_refused(
            &pacta(&["eval", "--format", format, "/dev/zero"]),
            "special_file",
            "eval /dev/zero",
        );
    }
    assert_refused(
        &pacta(&["check", "/dev/zero"]),
        "special_file",
        "check /dev/zero",
    );
}

#[test]
fn fifos_are_refused_everywhere_without_blocking() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let Some(program) = fifo(d, "pipe.pacta") else {
        return;
    };
    let csv = fifo(d, "rows.csv").unwrap();
    let import = write(
        d,
        "import.pacta",
        "@import e \"rows.csv\".\nq(X) :- e(X).\n",
    );
    let kb = d.join("kb");
    std::fs::create_dir(&kb).unwrap();
    write(&kb, "a.pacta", "p(1).\n");
    fifo(&kb, "b.pacta").unwrap();
    let kb = kb.to_str().unwrap();
    let ok = write(d, "ok.pacta", "p(1).\n");
    let reads_e = write(d, "reads_e.pacta", "q(X) :- e(X).\n");
    for args in [
        vec!["eval", program.as_str()],
        vec!["check", program.as_str()],
        vec!["eval", import.as_str()],
        vec!["eval", reads_e.as_str(), "--facts", &format!("e={csv}")],
        vec!["query", "--kb", kb, "p(X)"],
        vec![
            "query",
            "--kb",
            ok.as_str(),
            "--scenario",
            program.as_str(),
            "p(X)",
        ],
        vec!["whatif", "--kb", ok.as_str(), program.as_str()],
        vec!["export", "--format", "json", "--kb", kb],
        vec!["repl", "--kb", kb],
    ] {
        assert_refused(&pacta(&args), "special_file", &args.join(" "));
    }
    // In the REPL, `:load` and `:scenario` of a FIFO report it and the session goes on.
    for cmd in [":load", ":scenario"] {
        let out = repl(&["--kb", &ok], &format!("{cmd} {program}\n?- p(X).\n"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("[special_file]"), "{cmd}: {stderr}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("(1 answer)"));
    }
}

#[test]
fn a_file_over_the_size_limit_is_refused_before_reading() {
    let dir = TempDir::new().unwrap();
    let big = dir.path().join("big.pacta");
    // Sparse: 300 MiB on paper, nothing on disk; reading it would take seconds and gigabytes.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    let big = big.to_str().unwrap();
    let started = Instant::now();
    assert_refused(&pacta(&["eval", big]), "file_too_large", "300 MiB program");
    assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
}

#[test]
fn export_never_overwrites_its_own_inputs_or_special_files() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let kb = write(d, "kb.pacta", "member(poland, nato).\n");
    let scenario = write(d, "s.pacta", "attack(russia, poland, 2026-01-01).\n");
    for target in [&scenario, &kb] {
        let before = std::fs::read(target).unwrap();
        let out = pacta(&[
            "export",
            "--format",
            "svg",
            "--kb",
            &kb,
            "--scenario",
            &scenario,
            "-o",
            target,
        ]);
        assert_refused(&out, "overwrites_input", "export -o its own input");
        assert_eq!(std::fs::read(target).unwrap(), before);
    }
    if let Some(pipe) = fifo(d, "out.svg") {
        let out = pacta(&["export", "--format", "svg", "--kb", &kb, "-o", &pipe]);
        assert_refused(&out, "special_file", "export -o FIFO");
    }
    let out = pacta(&[
        "export",
        "--format",
        "svg",
        "--kb",
        &kb,
        "-o",
        d.to_str().unwrap(),
    ]);
    assert_refused(&out, "write_failed", "export -o folder");
}

#[test]
fn writes_keep_permissions_and_never_follow_planted_links() {
    let dir = TempDir::new().unwrap();
    let d = dir.path();
    let kb = write(d, "kb.pacta", "member(poland, nato).\n");
    let victim = write(d, "victim.txt", "precious\n");
    let private = write(d, "graph.svg", "old\n");
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    // The old writers' predictable temporary names, planted as links to the victim.
    for name in ["graph.svg", "session.pacta"] {
        for pid in 0..64 {
            let _ = std::os::unix::fs::symlink(&victim, d.join(format!(".{name}.{pid}.tmp")));
        }
    }
    let out = pacta(&["export", "--format", "svg", "--kb", &kb, "-o", &private]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta = std::fs::metadata(&private).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&private)
            .unwrap()
            .starts_with("<svg")
    );
    let session = d.join("session.pacta");
    let out = repl(
        &["--kb", &kb],
        &format!(":save {}\n:export svg {}\n", session.display(), private),
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
    // `:export` over a file the session was read from is refused; the file is intact.
    let out = repl(&["--kb", &kb], &format!(":export svg {kb}\n"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[overwrites_input]"));
    assert_eq!(
        std::fs::read_to_string(&kb).unwrap(),
        "member(poland, nato).\n"
    );
    // `:save` over a FIFO is refused instead of replacing it.
    if let Some(pipe) = fifo(d, "pipe.pacta") {
        let out = repl(&["--kb", &kb], &format!(":save {pipe}\n"));
        assert!(String::from_utf8_lossy(&out.stderr).contains("[special_file]"));
    }
}
