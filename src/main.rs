//! The `pacta` binary: all behaviour lives in the library's `cli` module.
//! Exit codes (SPEC §2): 0 success, 1 a failed expectation, 2 bad input or usage.

/// Small blocks from mimalloc, large ones from the system: see `pacta::alloc` for why.
#[global_allocator]
static GLOBAL: pacta::alloc::SplitAlloc = pacta::alloc::SplitAlloc;

fn main() -> std::process::ExitCode {
    restore_sigpipe();
    pacta::cli::main()
}

/// Output piped into a program that stops reading (`pacta explain … | head`) ends Pacta
/// quietly, as it ends `cat`: Rust ignores SIGPIPE, so every `print!` after the reader left
/// would otherwise panic with "Broken pipe".
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is the
    // default disposition every Unix program starts with.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
