//! The `pacta` binary: all behaviour lives in the library's `cli` module.
//! Exit codes (SPEC §2): 0 success, 1 a failed expectation, 2 bad input or usage.

fn main() -> std::process::ExitCode {
    pacta::cli::main()
}
