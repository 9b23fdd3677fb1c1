//! Shared helpers of the differential tests: a naive reference evaluator and a generator of
//! random stratified programs.

pub mod generator;
pub mod reference;
