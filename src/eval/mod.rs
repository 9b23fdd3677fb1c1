//! Stage 4: evaluation. Placeholder.
