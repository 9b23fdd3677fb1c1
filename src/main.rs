//! The `pacta` binary: all behaviour lives in the library's `cli` module.
//! Exit codes (SPEC §2): 0 success, 1 a failed expectation, 2 bad input or usage.

/// mimalloc: parsing, checking and grounding large programs allocate many small objects, and
/// the system allocator spends much of that time consolidating free lists.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    pacta::cli::main()
}
