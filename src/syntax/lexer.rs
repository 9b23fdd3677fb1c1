//! Tokens (logos). Placeholder until the lexer lands.
