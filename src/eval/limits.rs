//! Bounds on evaluation — time, memory, cancellation and the optional fact count — and the
//! [`Guard`] the evaluation loops poll.
//!
//! **Every loop counts work, not results.** A join stage, a leapjoin or a filter calls
//! [`Guard::work`] once per candidate it examines (kept or rejected): one decrement of a
//! countdown, and every [`POLL`] candidates one real poll — the cancel flag, the clock and the
//! bytes in use (`crate::alloc::allocated`, a relaxed atomic load). A buffer that grows asks
//! [`Guard::grow`] first, which checks the memory budget before the allocation and makes it
//! fallible (`try_reserve`), so a join whose output would not fit ends with `memory_limit`
//! instead of an allocation abort.

use crate::diag::{Code, Diagnostic};
use crate::intern::Val;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Candidates between two polls (a poll costs about 50 ns; a candidate a few).
pub const POLL: u32 = 1 << 14;

/// Bounds on one evaluation, so that runaway programs stop with a clear error.
#[derive(Clone, Debug, Default)]
pub struct Limits {
    /// Stop when more than this many tuples exist in all relations together (`--max-facts`,
    /// off by default).
    pub max_facts: Option<usize>,
    /// Stop after this long (`--timeout`), counted from [`Limits::deadline`] when set, else
    /// from the start of each evaluation.
    pub timeout: Option<Duration>,
    /// When the whole command must end: set by [`Limits::armed`], so that every evaluation of
    /// one command (a sweep, chains, an explanation) shares one `--timeout`.
    pub deadline: Option<Instant>,
    /// Stop when the process holds more heap than this many bytes (`--max-memory`).
    pub max_memory: Option<usize>,
    /// Stop when this flag becomes true (Ctrl-C).
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Limits {
    /// The same limits with the deadline fixed now (`timeout` from now), unless already fixed.
    pub fn armed(&self) -> Limits {
        Limits {
            deadline: self.deadline_from(Instant::now()),
            ..self.clone()
        }
    }

    /// The deadline of a run that starts at `start`.
    pub fn deadline_from(&self, start: Instant) -> Option<Instant> {
        self.deadline
            .or_else(|| self.timeout.and_then(|t| start.checked_add(t)))
    }

    /// Whether the heap in use has passed the memory budget.
    pub fn over_memory(&self) -> bool {
        self.max_memory
            .is_some_and(|max| crate::alloc::allocated() > max)
    }

    /// Whether the cancel flag is set.
    pub fn cancelled(&self) -> bool {
        self.cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed))
    }

    /// The `timeout` error; `what` says what stopped ("evaluation", "explanation").
    pub fn timeout_error(&self, what: &str) -> Diagnostic {
        let secs = self.timeout.map_or(0.0, |t| t.as_secs_f64());
        Diagnostic::error_nowhere(
            Code::Timeout,
            format!("{what} stopped after {secs} s (--timeout)"),
        )
        .with_hint(
            "a recursive rule may derive facts without end; raise --timeout if it is just slow",
        )
    }

    /// The `memory_limit` error; `what` says what stopped.
    pub fn memory_error(&self, what: &str) -> Diagnostic {
        let max = self.max_memory.unwrap_or(0);
        Diagnostic::error_nowhere(
            Code::MemoryLimit,
            format!("{what} stopped: it would use more than {} of memory (--max-memory)", human_bytes(max)),
        )
        .with_hint("the result may not fit in memory, or a recursive rule derives facts without end; raise --max-memory if the machine has room")
    }
}

/// `1.5 GiB`, `512.0 MiB`, `640 B`.
pub fn human_bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut unit = 0;
    while v >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    format!("{v:.1} {}", UNITS[unit])
}

/// Checks limits cheaply from inside the loops of one evaluation.
pub(crate) struct Guard<'a> {
    limits: &'a Limits,
    deadline: Option<Instant>,
    /// Tuples in completed strata.
    pub done: Cell<usize>,
    /// Candidates left before the next poll (0 once stopped).
    left: Cell<u32>,
    /// Why a loop was told to stop, until the caller takes it.
    failed: RefCell<Option<Diagnostic>>,
}

impl<'a> Guard<'a> {
    pub(crate) fn new(limits: &'a Limits) -> Guard<'a> {
        Guard {
            limits,
            deadline: limits.deadline_from(Instant::now()),
            done: Cell::new(0),
            left: Cell::new(POLL),
            failed: RefCell::new(None),
        }
    }

    /// A guard with the same limits and deadline that counts its own facts: for work done on
    /// behalf of several evaluations (`delta::capture`), whose facts are none of this one's.
    pub(crate) fn sibling(&self) -> Guard<'a> {
        Guard {
            limits: self.limits,
            deadline: self.deadline,
            done: Cell::new(0),
            left: Cell::new(POLL),
            failed: RefCell::new(None),
        }
    }

    /// Counts one candidate; `false` when the loop must stop (the reason is kept for
    /// [`Guard::take`]).
    #[inline]
    pub fn work(&self) -> bool {
        let left = self.left.get();
        if left > 1 {
            self.left.set(left - 1);
            true
        } else {
            self.poll()
        }
    }

    /// Counts `n` candidates at once (a leapjoin's proposals).
    #[inline]
    pub fn work_n(&self, n: usize) -> bool {
        let left = self.left.get() as usize;
        if left > n {
            self.left.set((left - n) as u32);
            true
        } else {
            self.poll()
        }
    }

    #[cold]
    #[inline(never)]
    fn poll(&self) -> bool {
        if self.failed.borrow().is_some() {
            self.left.set(0);
            return false;
        }
        match self.tick() {
            Ok(()) => {
                self.left.set(POLL);
                true
            }
            Err(d) => self.fail(d),
        }
    }

    fn fail(&self, d: Diagnostic) -> bool {
        self.left.set(0);
        self.failed.borrow_mut().get_or_insert(d);
        false
    }

    /// The reason a loop was told to stop, if one was.
    pub fn take(&self) -> Result<(), Diagnostic> {
        match self.failed.borrow_mut().take() {
            Some(d) => Err(d),
            None => Ok(()),
        }
    }

    /// Why a loop that reported failure stopped (a memory error if no reason was kept).
    pub fn stopped(&self) -> Diagnostic {
        self.take()
            .err()
            .unwrap_or_else(|| self.limits.memory_error("evaluation"))
    }

    /// Fails when the user cancelled, time is up or memory is over the budget.
    pub fn tick(&self) -> Result<(), Diagnostic> {
        if self.limits.cancelled() {
            return Err(Diagnostic::error_nowhere(
                Code::Cancelled,
                "evaluation cancelled",
            ));
        }
        if let Some(d) = self.deadline
            && Instant::now() > d
        {
            return Err(self.limits.timeout_error("evaluation"));
        }
        if self.limits.over_memory() {
            return Err(self.limits.memory_error("evaluation"));
        }
        Ok(())
    }

    /// Fails when `bytes` more would take the heap past the memory budget.
    pub fn room(&self, bytes: usize) -> Result<(), Diagnostic> {
        match self.limits.max_memory {
            Some(max) if crate::alloc::allocated().saturating_add(bytes) > max => {
                Err(self.limits.memory_error("evaluation"))
            }
            _ => Ok(()),
        }
    }

    /// Whether `bytes` more fit the memory budget; `false` (the loop must stop; the reason is
    /// kept for [`Guard::take`]) when not. For allocations that cannot fail softly (a sort's
    /// scratch buffer), checked before they are made.
    pub fn fits(&self, bytes: usize) -> bool {
        match self.room(bytes) {
            Ok(()) => true,
            Err(d) => self.fail(d),
        }
    }

    /// Makes room in `buf` for `extra` more values; `false` (and the loop must stop) when the
    /// larger buffer would pass the memory budget or cannot be allocated. Capacity doubles, so
    /// a buffer whose capacity and `extra` are whole rows stays whole rows.
    #[inline]
    pub fn grow(&self, buf: &mut Vec<Val>, extra: usize) -> bool {
        if buf.capacity() - buf.len() >= extra {
            return true;
        }
        self.grow_slow(buf, extra)
    }

    #[cold]
    #[inline(never)]
    fn grow_slow(&self, buf: &mut Vec<Val>, extra: usize) -> bool {
        let want = buf
            .capacity()
            .saturating_mul(2)
            .max(buf.len().saturating_add(extra));
        self.reserve(buf, want - buf.len())
    }

    /// Makes room in `buf` for exactly `extra` more elements: like [`Guard::grow`], but
    /// without doubling, for buffers whose final size is known (merged runs of rows).
    pub fn reserve<T>(&self, buf: &mut Vec<T>, extra: usize) -> bool {
        if buf.capacity() - buf.len() >= extra {
            return true;
        }
        // The larger block, while the old one is still held.
        let bytes = buf
            .len()
            .saturating_add(extra)
            .saturating_mul(size_of::<T>());
        if let Err(d) = self.room(bytes) {
            return self.fail(d);
        }
        if buf.try_reserve_exact(extra).is_err() {
            return self.fail(refused(bytes));
        }
        true
    }

    /// Fails when the stratum under way holds more facts than allowed.
    pub fn facts(&self, in_stratum: usize) -> Result<(), Diagnostic> {
        if let Some(max) = self.limits.max_facts
            && self.done.get() + in_stratum > max
        {
            return Err(Diagnostic::error_nowhere(
                Code::FactLimit,
                format!("evaluation stopped: more than {max} facts (--max-facts)"),
            )
            .with_hint("a recursive rule may derive facts without end (e.g. `n(Y) :- n(X), Y = X + 1.`); raise --max-facts if the program is just large"));
        }
        Ok(())
    }
}

/// The error when the system does not give the `bytes` asked for.
pub(crate) fn refused(bytes: usize) -> Diagnostic {
    Diagnostic::error_nowhere(
        Code::MemoryLimit,
        format!(
            "evaluation stopped: the system refused {} of memory",
            human_bytes(bytes)
        ),
    )
    .with_hint(
        "the result may not fit in this machine's memory; lower --max-memory to stop earlier",
    )
}

/// Share of physical memory the default budget allows, in percent.
pub const DEFAULT_MEMORY_SHARE: usize = 75;

/// The default memory budget: [`DEFAULT_MEMORY_SHARE`] % of [`physical_memory`], or `None`
/// when it cannot be read (then only `--max-memory` sets one).
pub fn default_memory_budget() -> Option<usize> {
    physical_memory().map(|m| m / 100 * DEFAULT_MEMORY_SHARE)
}

/// The memory this process may use: the machine's (`MemTotal` of `/proc/meminfo`), or the
/// control group's limit (`memory.max`, cgroup v2) or the address-space limit (`ulimit -v`)
/// when lower. `None` off Linux.
pub fn physical_memory() -> Option<usize> {
    let address_space = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|t| {
            let line = t.lines().find(|l| l.starts_with("Max address space"))?;
            line.split_whitespace().nth(3)?.parse::<usize>().ok()
        });
    let total = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: usize = line.split_whitespace().nth(1)?.parse().ok()?;
            kib.checked_mul(1024)
        })?;
    let cgroup = std::fs::read_to_string("/sys/fs/cgroup/memory.max")
        .ok()
        .and_then(|t| t.trim().parse::<usize>().ok());
    Some(
        [cgroup, address_space]
            .into_iter()
            .flatten()
            .fold(total, usize::min),
    )
}

/// Parses a memory size: bytes, or a number with `K`, `M`, `G` or `T` (binary units, an
/// optional `iB`/`B`), or a share of physical memory such as `50%`.
pub fn parse_memory(text: &str) -> Result<usize, String> {
    let t = text.trim();
    if let Some(pct) = t.strip_suffix('%') {
        let p: f64 = pct
            .trim()
            .parse()
            .map_err(|_| format!("`{text}`: not a percentage"))?;
        if !(p > 0.0 && p <= 100.0) {
            return Err(format!(
                "`{text}`: a share must be above 0% and at most 100%"
            ));
        }
        let phys = physical_memory()
            .ok_or_else(|| format!("`{text}`: physical memory is unknown here; give a size"))?;
        return Ok((phys as f64 * p / 100.0) as usize);
    }
    let upper = t.to_ascii_uppercase();
    let number = upper
        .trim_end_matches("IB")
        .trim_end_matches('B')
        .trim_end();
    let (digits, shift) = match number.chars().last() {
        Some('K') => (&number[..number.len() - 1], 10),
        Some('M') => (&number[..number.len() - 1], 20),
        Some('G') => (&number[..number.len() - 1], 30),
        Some('T') => (&number[..number.len() - 1], 40),
        _ => (number, 0),
    };
    let v: f64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("`{text}`: expected a size such as 4G, 512M or 50%"))?;
    let bytes = v * (1u64 << shift) as f64;
    if !(bytes.is_finite() && bytes >= 1.0 && bytes < usize::MAX as f64) {
        return Err(format!("`{text}`: the size must be at least one byte"));
    }
    Ok(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes_parse() {
        assert_eq!(parse_memory("1024"), Ok(1024));
        assert_eq!(parse_memory("4K"), Ok(4096));
        assert_eq!(parse_memory("1.5G"), Ok(3 << 29));
        assert_eq!(parse_memory("512MiB"), Ok(512 << 20));
        assert_eq!(parse_memory("2 gb"), Ok(2 << 30));
        assert!(parse_memory("abc").is_err());
        assert!(parse_memory("0").is_err());
        assert!(parse_memory("-1G").is_err());
        assert!(parse_memory("150%").is_err());
        if physical_memory().is_some() {
            assert!(parse_memory("50%").unwrap() > 0);
        }
    }

    #[test]
    fn a_stopped_guard_stays_stopped() {
        let limits = Limits {
            timeout: Some(Duration::ZERO),
            ..Limits::default()
        };
        let guard = Guard::new(&limits);
        std::thread::sleep(Duration::from_millis(2));
        assert!((0..=POLL).any(|_| !guard.work()));
        assert!(!guard.work() && !guard.work_n(1));
        let d = guard.take().unwrap_err();
        assert_eq!(d.code, Code::Timeout);
    }

    #[test]
    fn growing_past_the_budget_fails_before_allocating() {
        let limits = Limits {
            max_memory: Some(1 << 20),
            ..Limits::default()
        };
        let guard = Guard::new(&limits);
        let mut buf = Vec::new();
        assert!(guard.grow(&mut buf, 1000));
        assert!(buf.capacity() >= 1000);
        buf.resize(1000, 0);
        assert!(guard.grow(&mut buf, 1));
        assert!(buf.capacity() >= 2000, "capacity doubles");
        assert!(!guard.grow(&mut buf, 1 << 20));
        assert_eq!(guard.take().unwrap_err().code, Code::MemoryLimit);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_bytes(640), "640 B");
        assert_eq!(human_bytes(3 << 29), "1.5 GiB");
    }
}
