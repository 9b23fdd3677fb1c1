//! Byte spans and the source files they point into.
//!
//! Every later stage reports problems by span, so spans are tiny (`Copy`) and the text needed to
//! turn them into line/column lives once, in [`SourceMap`].

use std::ops::Range;

/// Index of a file in a [`SourceMap`]; cheap to copy into every span-carrying node.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A half-open byte range `start..end` in one file's text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// File the range belongs to.
    pub file: FileId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// Builds a span from a byte range in `file`.
    pub fn new(file: FileId, range: Range<usize>) -> Span {
        Span {
            file,
            start: range.start as u32,
            end: range.end as u32,
        }
    }

    /// The smallest span covering both (they must be in the same file).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The byte range, for slicing and for renderers.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded file: its display name and its text.
#[derive(Clone, Debug)]
pub struct SourceFile {
    /// Name shown in diagnostics (usually the path as the user gave it).
    pub name: String,
    /// Full UTF-8 text.
    pub text: String,
    /// Byte offsets where each line starts, for line/column lookup.
    line_starts: Vec<usize>,
    /// Number of characters before each [`CHUNK`]-byte boundary, so that a column on a very
    /// long line is counted from the nearest boundary rather than from the line start: without
    /// it, many diagnostics on one 10 MB line cost time quadratic in the line length.
    chars_at_chunk: Vec<usize>,
}

/// Distance in bytes between the character-count checkpoints of a [`SourceFile`].
const CHUNK: usize = 256;

/// Whether a byte starts a character (is not a UTF-8 continuation byte `10xxxxxx`).
fn starts_char(b: u8) -> bool {
    (b as i8) >= -0x40
}

impl SourceFile {
    /// Wraps a text with its display name.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> SourceFile {
        let text = text.into();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let mut chars_at_chunk = vec![0];
        let mut total = 0;
        for chunk in text.as_bytes().chunks(CHUNK) {
            total += chunk.iter().filter(|&&b| starts_char(b)).count();
            chars_at_chunk.push(total);
        }
        SourceFile {
            name: name.into(),
            text,
            line_starts,
            chars_at_chunk,
        }
    }

    /// Number of characters that start before byte `offset` (at most `CHUNK` bytes scanned).
    fn chars_before(&self, offset: usize) -> usize {
        let chunk = offset / CHUNK;
        let from = chunk * CHUNK;
        let scanned = self.text.as_bytes()[from..offset]
            .iter()
            .filter(|&&b| starts_char(b))
            .count();
        self.chars_at_chunk[chunk] + scanned
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[line];
        let col = self.chars_before(offset) - self.chars_before(start) + 1;
        (line + 1, col)
    }

    /// Byte offset where the 1-based line `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line - 1]
    }

    /// Text of the 1-based line `line`, without its newline.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts[line - 1];
        let end = self
            .line_starts
            .get(line)
            .map(|&e| e - 1)
            .unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches('\r')
    }
}

/// All files of one run, addressed by [`FileId`].
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, file: SourceFile) -> FileId {
        self.files.push(file);
        FileId(self.files.len() as u32 - 1)
    }

    /// The file behind an id.
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Puts `file` in place of the file behind `id` (which keeps its id): for text that was
    /// parsed in a wrapper, once its diagnostics point into the text itself (see `GoalText`
    /// in `syntax/goal.rs`).
    pub fn replace(&mut self, id: FileId, file: SourceFile) {
        self.files[id.0 as usize] = file;
    }

    /// All files in load order.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(i as u32), f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_from_one() {
        let f = SourceFile::new("a", "ab\ncä d\n");
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        assert_eq!(f.line_col(7), (2, 4));
        assert_eq!(f.line_text(2), "cä d");
    }

    /// The checkpointed column count agrees with counting characters, across chunk borders and
    /// multi-byte characters that straddle them.
    #[test]
    fn line_col_on_long_lines_matches_char_count() {
        let line: String = "aé€😀".repeat(5000);
        let text = format!("x\n{line}\n{line}");
        let f = SourceFile::new("a", text.as_str());
        for (i, _) in text.char_indices().step_by(97) {
            let start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            let want = (
                text[..i].matches('\n').count() + 1,
                text[start..i].chars().count() + 1,
            );
            assert_eq!(f.line_col(i), want, "offset {i}");
        }
        assert_eq!(f.line_col(text.len()).0, 3);
    }
}
