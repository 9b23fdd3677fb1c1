//! Shared helpers of the differential tests: a naive reference evaluator and a generator of
//! random stratified programs.

pub mod generator;
pub mod reference;

/// 1000 programs per property and run (more with `PROPTEST_CASES=N`, for a longer soak);
/// failures are not persisted (no files written into `tests/`), and shrinking is bounded so that
/// a failing run still ends quickly.
#[allow(dead_code)]
pub fn config() -> proptest::test_runner::Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .map_or(1000, |n: u32| n.max(1000));
    proptest::test_runner::Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 4000,
        ..proptest::test_runner::Config::default()
    }
}
