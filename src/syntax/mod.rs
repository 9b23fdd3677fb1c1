//! Stage 1: text → tokens → syntax tree. Parsing never fails: it returns the tree it could
//! build *and* every diagnostic, so a broken file still reports all of its problems at once.

pub mod ast;
pub mod goal;
pub mod lexer;
mod lexer_diags;
pub mod parser;
pub mod span;

pub use parser::parse;
