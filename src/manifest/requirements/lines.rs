//! pip's logical lines: physical lines joined at a trailing `\`, comments stripped.
//!
//! This follows pip's `req_file.preprocess` step by step, so a file means here what it
//! means to pip:
//! - lines are split the way Python's `str.splitlines` splits them;
//! - a line ending in `\` continues on the next one; the backslashes at both ends of
//!   the continued line are dropped (`line.strip("\\")`) and nothing is put between
//!   the pieces;
//! - a comment line (first non-blank character `#`) never continues, even when it ends
//!   in `\`, and it ends a continuation without adding text;
//! - then a comment starts at the first `#` that begins the line or follows whitespace
//!   (so `git+https://host/repo#egg=name` keeps its fragment), and the rest is trimmed.
//!
//! Each logical line remembers where its pieces sit in the file, so spans found on the
//! joined text land on the right physical bytes.

use std::ops::Range;

use crate::manifest::Span;
use crate::manifest::pep508::SpanMap;

/// One logical line of a requirement file.
#[derive(Debug, Clone)]
pub struct LogicalLine {
    /// The joined text, comment included.
    pub text: String,
    /// `(text_offset, file_offset)`: each starts a run of bytes contiguous in the file.
    segments: Vec<(usize, usize)>,
    /// File offset just past the last piece.
    file_end: usize,
    /// What pip keeps of the line: comment stripped, whitespace trimmed. May be empty.
    pub content: Range<usize>,
}

impl LogicalLine {
    /// Map a range of [`LogicalLine::text`] to a file span.
    pub fn file_span(&self, range: Range<usize>) -> Span {
        self.span_map(0).span(range)
    }

    /// A [`SpanMap`] for the part of [`LogicalLine::text`] that starts at `base`.
    pub fn span_map(&self, base: usize) -> SpanMap {
        let mut segments = Vec::with_capacity(self.segments.len());
        for (i, &(text_start, file_start)) in self.segments.iter().enumerate() {
            let next = self.segments.get(i + 1).map_or(usize::MAX, |s| s.0);
            if next <= base {
                continue;
            }
            if text_start <= base {
                segments.push((0, file_start + (base - text_start)));
            } else {
                segments.push((text_start - base, file_start));
            }
        }
        SpanMap::from_segments(segments, self.file_end)
    }
}

/// Whitespace as Python's `str.strip()` and `\s` see it.
pub fn is_py_space(ch: char) -> bool {
    ch.is_whitespace() || ('\x1c'..='\x1f').contains(&ch)
}

/// Split `text` into the logical lines pip reads, in file order (blank ones included).
pub fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut pending: Option<LogicalLine> = None;
    for (start, end) in physical_lines(text) {
        let line = &text[start..end];
        let is_comment = line.trim_start_matches(is_py_space).starts_with('#');
        if !line.ends_with('\\') || is_comment {
            // A comment line ends a continuation; pip appends it, then strips it as a
            // comment, so it adds nothing.
            let logical = match pending.take() {
                Some(joined) if is_comment => joined,
                Some(mut joined) => {
                    push_piece(&mut joined, text, start, end);
                    joined
                }
                None => {
                    let mut single = empty_line(start);
                    push_piece(&mut single, text, start, end);
                    single
                }
            };
            out.push(finish(logical));
        } else {
            let piece_start = start + (line.len() - line.trim_start_matches('\\').len());
            let piece_end =
                (end - (line.len() - line.trim_end_matches('\\').len())).max(piece_start);
            let joined = pending.get_or_insert_with(|| empty_line(piece_start));
            push_piece(joined, text, piece_start, piece_end);
        }
    }
    if let Some(joined) = pending {
        out.push(finish(joined));
    }
    out
}

fn empty_line(file_start: usize) -> LogicalLine {
    LogicalLine {
        text: String::new(),
        segments: Vec::new(),
        file_end: file_start,
        content: 0..0,
    }
}

fn push_piece(line: &mut LogicalLine, text: &str, start: usize, end: usize) {
    line.segments.push((line.text.len(), start));
    line.text.push_str(&text[start..end]);
    line.file_end = end;
}

fn finish(mut line: LogicalLine) -> LogicalLine {
    if line.segments.is_empty() {
        line.segments.push((0, line.file_end));
    }
    let kept = comment_start(&line.text);
    let trimmed = line.text[..kept].trim_start_matches(is_py_space);
    let start = kept - trimmed.len();
    let end = start + trimmed.trim_end_matches(is_py_space).len();
    line.content = start..end;
    line
}

/// Where pip's `(^|\s+)#.*$` starts matching, or the text's length.
fn comment_start(text: &str) -> usize {
    let mut space_run_start = None;
    for (i, ch) in text.char_indices() {
        if ch == '#' && (i == 0 || space_run_start.is_some()) {
            return space_run_start.unwrap_or(0);
        }
        if is_py_space(ch) {
            space_run_start.get_or_insert(i);
        } else {
            space_run_start = None;
        }
    }
    text.len()
}

/// `(start, end)` of each line without its terminator, split where Python's
/// `str.splitlines` splits.
fn physical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        let break_len = match ch {
            '\r' if chars.peek().is_some_and(|&(_, next)| next == '\n') => {
                chars.next();
                2
            }
            '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}'
            | '\u{2029}' => ch.len_utf8(),
            _ => continue,
        };
        lines.push((start, i));
        start = i + break_len;
    }
    if start < text.len() {
        lines.push((start, text.len()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str) -> Vec<String> {
        logical_lines(text)
            .into_iter()
            .map(|l| l.text[l.content.clone()].to_string())
            .filter(|c| !c.is_empty())
            .collect()
    }

    #[test]
    fn joins_continuations_without_a_separator() {
        assert_eq!(contents("foo\\\n==1.0\nbar\n"), ["foo==1.0", "bar"]);
        assert_eq!(
            contents("a==1 \\\r\n    --hash=sha256:x\r\n"),
            ["a==1     --hash=sha256:x"]
        );
        // A last line ending in `\` is kept.
        assert_eq!(contents("a==1 \\"), ["a==1"]);
    }

    #[test]
    fn comments_follow_pip() {
        assert_eq!(contents("# c\n  # c\nx # c\ny#z\n#\n"), ["x", "y#z"]);
        // A comment line ending in `\` does not continue.
        assert_eq!(contents("# c \\\nfoo\n"), ["foo"]);
        // A comment line ends a continuation.
        assert_eq!(contents("foo \\\n  # c\nbar\n"), ["foo", "bar"]);
        // A requirement line with a comment ending in `\` swallows the next line.
        assert_eq!(contents("foo # c \\\nbar\nbaz\n"), ["foo", "baz"]);
    }

    #[test]
    fn spans_cross_continuations() {
        let text = "ab\\\ncd\n";
        let line = &logical_lines(text)[0];
        assert_eq!(line.text, "abcd");
        assert_eq!(line.file_span(2..4), 4..6);
        assert_eq!(line.file_span(1..3), 1..5);
        assert_eq!(line.span_map(2).span(0..1), 4..5);
    }

    #[test]
    fn splits_lines_like_python() {
        assert_eq!(
            physical_lines("a\r\nb\rc\nd"),
            [(0, 1), (3, 4), (5, 6), (7, 8)]
        );
        assert_eq!(physical_lines("a\n\n"), [(0, 1), (2, 2)]);
        assert_eq!(physical_lines(""), []);
    }
}
