//! The REPL's history file: merged, never overwritten, and kept when the terminal goes away.
//!
//! Issue 15: two REPLs overwrote each other's history (each saved its own list over the file
//! on exit), and a closed terminal (SIGHUP) or a `kill` (SIGTERM) lost the session's history.
//! Now the lines typed in this session are kept apart and *appended* to the file on exit
//! (rustyline's `append`, which merges under a file lock with whatever other sessions wrote
//! meanwhile), and a SIGHUP or SIGTERM appends them too before the process ends.

use rustyline::history::{DefaultHistory, History as _};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The history file and the lines typed in this session that it does not hold yet.
#[derive(Clone)]
pub(super) struct History {
    path: Option<PathBuf>,
    new: Arc<Mutex<Vec<String>>>,
}

impl History {
    /// The history in the platform's data directory (`~/.local/share/pacta/history`), if there
    /// is one.
    pub(super) fn open() -> History {
        History::at(dirs::data_dir().map(|d| d.join("pacta").join("history")))
    }

    /// A history kept in `path` (none: nothing is kept).
    pub(super) fn at(path: Option<PathBuf>) -> History {
        History {
            path,
            new: Arc::default(),
        }
    }

    /// Fills the editor's history (for the arrow keys) from the file.
    pub(super) fn load_into(&self, history: &mut DefaultHistory) {
        if let Some(p) = &self.path {
            let _ = history.load(p);
        }
    }

    /// Notes a line typed in this session.
    pub(super) fn add(&self, line: &str) {
        if let Ok(mut new) = self.new.lock() {
            new.push(line.to_string());
        }
    }

    /// Appends the lines typed since the last save to the file, merged with what other
    /// sessions wrote; each line is saved once, whichever of exit and signal comes first.
    pub(super) fn save(&self) {
        let Some(path) = &self.path else { return };
        let Ok(mut new) = self.new.lock() else { return };
        if new.is_empty() {
            return;
        }
        let mut mine = DefaultHistory::new();
        for line in new.iter() {
            let _ = mine.add(line);
        }
        let _ = path.parent().map(std::fs::create_dir_all);
        if mine.append(path).is_ok() {
            new.clear();
        }
    }

    /// On SIGHUP (terminal closed) or SIGTERM, saves the history, puts the terminal back as
    /// it was (rustyline may have it in raw mode) and ends the process with the usual status.
    #[cfg(unix)]
    pub(super) fn save_on_signals(&self) {
        use signal_hook::consts::{SIGHUP, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM]) else {
            return;
        };
        let terminal = terminal::Saved::now();
        let history = self.clone();
        std::thread::spawn(move || {
            if let Some(signal) = signals.forever().next() {
                history.save();
                if let Some(t) = &terminal {
                    t.restore();
                }
                std::process::exit(128 + signal);
            }
        });
    }

    #[cfg(not(unix))]
    pub(super) fn save_on_signals(&self) {}
}

/// The terminal's settings, to put back after a SIGTERM that came while rustyline had it in
/// raw mode (otherwise the shell is left without echo).
#[cfg(unix)]
mod terminal {
    /// Standard input's terminal settings at start.
    pub(super) struct Saved(libc::termios);

    impl Saved {
        /// The current settings, if standard input is a terminal.
        pub(super) fn now() -> Option<Saved> {
            // SAFETY: `termios` is plain data; `tcgetattr` fills it or fails, and we read it
            // only on success.
            unsafe {
                let mut t: libc::termios = std::mem::zeroed();
                (libc::tcgetattr(libc::STDIN_FILENO, &mut t) == 0).then_some(Saved(t))
            }
        }

        /// Puts them back (a closed terminal makes this fail, harmlessly).
        pub(super) fn restore(&self) {
            // SAFETY: passes a valid `termios` read by `tcgetattr`; errors are ignored.
            unsafe {
                libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.0);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two sessions on one file: both sessions' lines survive, in the order they were saved.
    #[test]
    fn two_sessions_merge_their_history() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("sub").join("history");
        let a = History::at(Some(path.clone()));
        let b = History::at(Some(path.clone()));
        a.add("?- p(X).");
        b.add("?- q(X).");
        a.save();
        b.save();
        a.save(); // nothing new: nothing written twice
        a.add(":why p(1).");
        a.save();
        let mut read = DefaultHistory::new();
        read.load(&path).unwrap();
        let lines: Vec<&String> = read.iter().collect();
        assert_eq!(lines, ["?- p(X).", "?- q(X).", ":why p(1)."]);
    }
}
