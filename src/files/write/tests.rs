//! The writer's promises, one test each: atomic, exclusive, no links followed, no special
//! targets, permissions kept, inputs never overwritten, nothing left behind on failure.

use super::*;
use std::os::unix::fs::PermissionsExt;
use tempfile::TempDir;

fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect()
}

#[test]
fn writes_new_and_existing_files() {
    let dir = TempDir::new().unwrap();
    let f = dir.path().join("out.txt");
    write_file(&f, b"one", &[]).unwrap();
    assert_eq!(std::fs::read(&f).unwrap(), b"one");
    write_file(&f, b"two", &[]).unwrap();
    assert_eq!(std::fs::read(&f).unwrap(), b"two");
    assert!(leftovers(dir.path()).is_empty());
    // A new file gets the ordinary permissions, not the temporary file's 0600.
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o666 & !umask(), "{mode:o}");
}

#[test]
fn keeps_the_targets_permissions() {
    let dir = TempDir::new().unwrap();
    let f = dir.path().join("secret.pacta");
    std::fs::write(&f, "old").unwrap();
    std::fs::set_permissions(&f, Permissions::from_mode(0o600)).unwrap();
    write_file(&f, b"new", &[]).unwrap();
    let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{mode:o}");
}

#[test]
fn refuses_folders_devices_and_fifos() {
    let dir = TempDir::new().unwrap();
    let d = write_file(dir.path(), b"x", &[]).unwrap_err();
    assert_eq!(d.code, Code::WriteFailed);
    let d = write_file(Path::new("/dev/null"), b"x", &[]).unwrap_err();
    assert_eq!(d.code, Code::SpecialFile, "{}", d.message);
    let fifo = dir.path().join("fifo");
    if std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let d = write_file(&fifo, b"x", &[]).unwrap_err();
        assert_eq!(d.code, Code::SpecialFile);
        assert!(
            std::fs::symlink_metadata(&fifo)
                .unwrap()
                .file_type()
                .is_fifo_like()
        );
    }
    assert!(leftovers(dir.path()).is_empty());
}

#[test]
fn refuses_an_input_of_the_same_command_by_any_name() {
    let dir = TempDir::new().unwrap();
    let input = dir.path().join("scenario.pacta");
    std::fs::write(&input, "p(1).\n").unwrap();
    let other_name = dir.path().join(".").join("scenario.pacta");
    let d = write_file(&other_name, b"<svg/>", std::slice::from_ref(&input)).unwrap_err();
    assert_eq!(d.code, Code::OverwritesInput);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), "p(1).\n");
}

#[test]
fn a_planted_link_is_replaced_not_followed() {
    let dir = TempDir::new().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let target = dir.path().join("out.svg");
    std::os::unix::fs::symlink(&victim, &target).unwrap();
    // Old predictable temporary names planted as links change nothing either.
    for pid in [std::process::id(), 1, 2] {
        let _ = std::os::unix::fs::symlink(&victim, dir.path().join(format!(".out.svg.{pid}.tmp")));
    }
    write_file(&target, b"<svg/>", &[]).unwrap();
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert!(std::fs::symlink_metadata(&target).unwrap().is_file());
    assert_eq!(std::fs::read(&target).unwrap(), b"<svg/>");
}

#[test]
fn a_missing_folder_fails_cleanly() {
    let d = write_file(Path::new("/no/such/folder/x.svg"), b"x", &[]).unwrap_err();
    assert_eq!(d.code, Code::WriteFailed);
    // The OS's words, without the temporary file's random name.
    assert!(d.message.ends_with("(os error 2)"), "{}", d.message);
}

/// `FileType::is_fifo` needs a trait; this keeps the assertion readable.
trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}
