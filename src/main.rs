//! The `pacta` binary: all behaviour lives in the library's `cli` module.
//! Exit codes (SPEC §2): 0 success, 1 a failed expectation, 2 bad input or usage.

/// Small blocks from mimalloc, large ones from the system: see `pacta::alloc` for why.
#[global_allocator]
static GLOBAL: pacta::alloc::SplitAlloc = pacta::alloc::SplitAlloc;

fn main() -> std::process::ExitCode {
    pacta::cli::main()
}
