//! CLI placeholder.
/// Entry point.
pub fn main() -> std::process::ExitCode { std::process::ExitCode::SUCCESS }
