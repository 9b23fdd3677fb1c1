//! The binary's memory allocator: small blocks from `mimalloc`, large ones from the system.
//!
//! Why split: loading, checking and grounding large programs make millions of small objects
//! (atoms, terms, names), where mimalloc is much faster than glibc's malloc. Relations, on the
//! other hand, live in a few large buffers (tens of MB) that grow, are sorted, merged and freed
//! round after round; mimalloc keeps such freed segments mapped for a while, which put Pacta's
//! peak memory at up to 2× the hand-written datafrog floor (which uses the system allocator) on
//! the same data. glibc hands blocks that large straight to `mmap`/`munmap`, so the memory goes
//! back as soon as a round's buffer is freed.
//!
//! glibc does so only until a large block is freed: it then raises its `mmap` threshold to that
//! block's size (up to 32 MiB) and serves later blocks below it from its heap, which keeps
//! freed pages. The first large block therefore fixes the threshold at [`LARGE`]
//! (`mallopt(M_MMAP_THRESHOLD)`, which turns the adjustment off): every large block is its own
//! mapping, returned when freed, and grown by `mremap` without a copy (the engine grows
//! relations in place). That took peak memory down by 10–15 MB on the benchmark workloads.
//!
//! Which allocator owns a block follows from its size alone, which every `dealloc` and `realloc`
//! is told, so no bookkeeping is needed: a block of `LARGE` bytes or more belongs to the system.
//!
//! The shim also **counts the bytes in use** ([`allocated`]), for the memory budget of
//! `--max-memory` that the engine's loops poll: a large block updates one shared atomic counter
//! (large blocks are few), a small one a per-thread counter that is added to the shared one once
//! it holds a mebibyte either way, so the count costs a thread-local add on the small path and is
//! off by at most a mebibyte per thread. Outside the `pacta` binary (library tests) the shim is
//! not installed and the count stays 0.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// Bytes in use, as far as the per-thread counters have flushed.
static LIVE: AtomicIsize = AtomicIsize::new(0);

/// Per-thread change not yet added to [`LIVE`].
const FLUSH: isize = 1 << 20;

thread_local! {
    static LOCAL: Cell<isize> = const { Cell::new(0) };
}

/// Bytes of heap in use by the process (0 when the shim is not the global allocator).
pub fn allocated() -> usize {
    usize::try_from(LIVE.load(Ordering::Relaxed)).unwrap_or(0)
}

/// Records `delta` bytes allocated (positive) or freed (negative): large changes at once,
/// small ones through the thread's counter.
#[inline(always)]
fn count(delta: isize) {
    if delta.unsigned_abs() >= LARGE {
        LIVE.fetch_add(delta, Ordering::Relaxed);
    } else {
        count_small(delta);
    }
}

/// Adds `delta` to the thread's counter, flushing it to [`LIVE`] past a mebibyte either way.
#[inline(always)]
fn count_small(delta: isize) {
    // A const-initialised thread-local without destructor is always available; `try_with`
    // only keeps the shim free of panicking paths (a miss would merely go uncounted).
    let _ = LOCAL.try_with(|c| {
        let v = c.get().wrapping_add(delta);
        // |v| > FLUSH, in one unsigned comparison.
        if (v as usize).wrapping_add(FLUSH as usize) > 2 * FLUSH as usize {
            flush(v);
            c.set(0);
        } else {
            c.set(v);
        }
    });
}

#[cold]
#[inline(never)]
fn flush(v: isize) {
    LIVE.fetch_add(v, Ordering::Relaxed);
}

/// A block size as a signed byte count (sizes never exceed `isize::MAX`).
#[inline]
fn signed(size: usize) -> isize {
    size as isize
}

/// Blocks of at least this many bytes come from the system allocator. 64 KiB measured best:
/// with 1 MiB, mid-sized buffers of growing relations still kept tc_1k at 1.5× the floor's memory.
const LARGE: usize = 1 << 16;

/// Whether [`fix_mmap_threshold`] has run.
static FIXED: AtomicBool = AtomicBool::new(false);

/// Fixes glibc's `mmap` threshold at [`LARGE`] the first time a large block is asked for (see
/// the module's documentation). Two threads may both do it; the setting is the same.
#[inline]
fn fix_mmap_threshold() {
    if !FIXED.load(Ordering::Relaxed) {
        FIXED.store(true, Ordering::Relaxed);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        // SAFETY: `mallopt` only changes glibc's allocation parameters; it is thread-safe and
        // allocates nothing through this allocator.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE as libc::c_int);
        }
    }
}

/// The global allocator of the `pacta` binary (installed in `main.rs`).
pub struct SplitAlloc;

fn is_large(size: usize) -> bool {
    size >= LARGE
}

// SAFETY: every block is freed or resized by the allocator that made it, because both
// `dealloc` and `realloc` receive the block's size and `is_large` is a pure function of it.
unsafe impl GlobalAlloc for SplitAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        unsafe {
            if is_large(layout.size()) {
                fix_mmap_threshold();
                let p = System.alloc(layout);
                if !p.is_null() {
                    LIVE.fetch_add(signed(layout.size()), Ordering::Relaxed);
                }
                p
            } else {
                let p = mimalloc::MiMalloc.alloc(layout);
                if !p.is_null() {
                    count_small(signed(layout.size()));
                }
                p
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe {
            if is_large(layout.size()) {
                fix_mmap_threshold();
                System.alloc_zeroed(layout)
            } else {
                mimalloc::MiMalloc.alloc_zeroed(layout)
            }
        };
        if !p.is_null() {
            count(signed(layout.size()));
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was made by the allocator that `layout.size()` selects.
        unsafe {
            if is_large(layout.size()) {
                System.dealloc(ptr, layout);
                LIVE.fetch_sub(signed(layout.size()), Ordering::Relaxed);
            } else {
                mimalloc::MiMalloc.dealloc(ptr, layout);
                count_small(-signed(layout.size()));
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (old_large, new_large) = (is_large(layout.size()), is_large(new_size));
        // SAFETY: same-side resizes are forwarded; a move across the boundary allocates on the
        // new side (counted by `alloc`), copies the bytes both blocks hold and frees the old
        // block on its own side (counted by `dealloc`).
        unsafe {
            let same_side = |p: *mut u8| {
                if !p.is_null() {
                    count(signed(new_size) - signed(layout.size()));
                }
                p
            };
            match (old_large, new_large) {
                (true, true) => same_side(System.realloc(ptr, layout, new_size)),
                (false, false) => same_side(mimalloc::MiMalloc.realloc(ptr, layout, new_size)),
                _ => {
                    let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
                    let new = self.alloc(new_layout);
                    if !new.is_null() {
                        std::ptr::copy_nonoverlapping(ptr, new, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                    new
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tests call the shim directly and read the shared count: one at a time.
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

    /// Large blocks show in [`allocated`] at once, and leave it when freed or shrunk.
    #[test]
    fn large_blocks_are_counted() {
        let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let a = SplitAlloc;
        let before = LIVE.load(Ordering::Relaxed);
        unsafe {
            let layout = Layout::from_size_align(8 * LARGE, 8).unwrap();
            let p = a.alloc(layout);
            assert!(!p.is_null());
            assert_eq!(LIVE.load(Ordering::Relaxed) - before, signed(8 * LARGE));
            let q = a.realloc(p, layout, 16 * LARGE);
            assert_eq!(LIVE.load(Ordering::Relaxed) - before, signed(16 * LARGE));
            a.dealloc(q, Layout::from_size_align(16 * LARGE, 8).unwrap());
        }
        assert_eq!(LIVE.load(Ordering::Relaxed), before);
    }

    /// Growing a buffer across the boundary and back keeps its bytes.
    #[test]
    fn realloc_across_the_boundary_keeps_contents() {
        let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let a = SplitAlloc;
        unsafe {
            let layout = Layout::from_size_align(1000, 8).unwrap();
            let p = a.alloc(layout);
            assert!(!p.is_null());
            for i in 0..1000 {
                *p.add(i) = (i % 251) as u8;
            }
            let q = a.realloc(p, layout, 2 * LARGE);
            assert!(!q.is_null());
            for i in 0..1000 {
                assert_eq!(*q.add(i), (i % 251) as u8);
            }
            let big = Layout::from_size_align(2 * LARGE, 8).unwrap();
            let r = a.realloc(q, big, 500);
            for i in 0..500 {
                assert_eq!(*r.add(i), (i % 251) as u8);
            }
            a.dealloc(r, Layout::from_size_align(500, 8).unwrap());
            let z = a.alloc_zeroed(big);
            assert!((0..big.size()).step_by(4096).all(|i| *z.add(i) == 0));
            a.dealloc(z, big);
        }
    }
}
