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
//! Which allocator owns a block follows from its size alone, which every `dealloc` and `realloc`
//! is told, so no bookkeeping is needed: a block of `LARGE` bytes or more belongs to the system.

use std::alloc::{GlobalAlloc, Layout, System};

/// Blocks of at least this many bytes come from the system allocator. 64 KiB measured best:
/// with 1 MiB, mid-sized buffers of growing relations still kept tc_1k at 1.5× the floor's memory.
const LARGE: usize = 1 << 16;

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
                System.alloc(layout)
            } else {
                mimalloc::MiMalloc.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        unsafe {
            if is_large(layout.size()) {
                System.alloc_zeroed(layout)
            } else {
                mimalloc::MiMalloc.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was made by the allocator that `layout.size()` selects.
        unsafe {
            if is_large(layout.size()) {
                System.dealloc(ptr, layout)
            } else {
                mimalloc::MiMalloc.dealloc(ptr, layout)
            }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let (old_large, new_large) = (is_large(layout.size()), is_large(new_size));
        // SAFETY: same-side resizes are forwarded; a move across the boundary allocates on the
        // new side, copies the bytes both blocks hold and frees the old block on its own side.
        unsafe {
            match (old_large, new_large) {
                (true, true) => System.realloc(ptr, layout, new_size),
                (false, false) => mimalloc::MiMalloc.realloc(ptr, layout, new_size),
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

    /// Growing a buffer across the boundary and back keeps its bytes.
    #[test]
    fn realloc_across_the_boundary_keeps_contents() {
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
