//! Stage 3: join plans. Placeholder.
