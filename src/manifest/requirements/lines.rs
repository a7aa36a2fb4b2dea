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

use std::borrow::Cow;
use std::ops::Range;

use smallvec::SmallVec;

use crate::manifest::Span;
use crate::manifest::pep508::{SpanMap, span_in_runs};

/// One logical line of a requirement file.
#[derive(Debug, Clone)]
pub struct LogicalLine<'a> {
    /// The joined text, comment included: borrowed from the file unless the line was
    /// continued.
    pub text: Cow<'a, str>,
    /// `(text_offset, file_offset)`: each starts a run of bytes contiguous in the file.
    /// Almost every line is one run, kept inline.
    segments: SmallVec<[(usize, usize); 1]>,
    /// File offset just past the last piece.
    file_end: usize,
    /// What pip keeps of the line: comment stripped, whitespace trimmed. May be empty.
    pub content: Range<usize>,
}

impl LogicalLine<'_> {
    /// Map a range of [`LogicalLine::text`] to a file span.
    pub fn file_span(&self, range: Range<usize>) -> Span {
        if let [(0, file_start)] = self.segments[..] {
            // One run: a shift, clamped like `SpanMap::span`.
            let start = (file_start + range.start).min(self.file_end);
            let end = (file_start + range.end).clamp(start, self.file_end.max(start));
            return start..end;
        }
        // Mapped as a span map maps it, without building one.
        span_in_runs(&self.segments, self.file_end, range)
    }

    /// A [`SpanMap`] for the part of [`LogicalLine::text`] that starts at `base`.
    pub fn span_map(&self, base: usize) -> SpanMap {
        if let [(0, file_start)] = self.segments[..] {
            let start = file_start + base;
            return SpanMap::contiguous(start, self.file_end.saturating_sub(start));
        }
        let mut segments: SmallVec<[(usize, usize); 2]> = SmallVec::new();
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

/// An ASCII byte that [`is_py_space`] accepts.
fn is_py_space_byte(byte: u8) -> bool {
    matches!(byte, b'\t'..=b'\r' | 0x1c..=0x1f | b' ')
}

/// `text` without leading whitespace in Python's sense: ASCII by byte, the rarer
/// Unicode spaces by character.
pub fn trim_py_start(text: &str) -> &str {
    let bytes = text.as_bytes();
    let ascii = bytes.iter().take_while(|b| is_py_space_byte(**b)).count();
    match bytes.get(ascii) {
        Some(byte) if !byte.is_ascii() => text[ascii..].trim_start_matches(is_py_space),
        _ => &text[ascii..],
    }
}

/// `text` without trailing whitespace in Python's sense (see [`trim_py_start`]).
pub fn trim_py_end(text: &str) -> &str {
    let bytes = text.as_bytes();
    let ascii = bytes
        .iter()
        .rev()
        .take_while(|b| is_py_space_byte(**b))
        .count();
    let kept = &text[..text.len() - ascii];
    match kept.as_bytes().last() {
        Some(byte) if !byte.is_ascii() => kept.trim_end_matches(is_py_space),
        _ => kept,
    }
}

/// `text` without whitespace at either end in Python's sense.
pub fn trim_py(text: &str) -> &str {
    trim_py_end(trim_py_start(text))
}

/// The logical lines pip reads from `text`, in file order (blank ones included).
pub fn logical_lines(text: &str) -> LogicalLines<'_> {
    LogicalLines {
        text,
        physical: PhysicalLines::new(text),
        pending: None,
    }
}

/// Iterator returned by [`logical_lines`].
pub struct LogicalLines<'a> {
    text: &'a str,
    physical: PhysicalLines<'a>,
    /// A line continued with `\`, still being joined.
    pending: Option<LogicalLine<'a>>,
}

impl<'a> Iterator for LogicalLines<'a> {
    type Item = LogicalLine<'a>;

    fn next(&mut self) -> Option<LogicalLine<'a>> {
        let text = self.text;
        for (start, end) in self.physical.by_ref() {
            let line = &text[start..end];
            let is_comment = trim_py_start(line).starts_with('#');
            if !line.ends_with('\\') || is_comment {
                // A comment line ends a continuation; pip appends it, then strips it as
                // a comment, so it adds nothing.
                let logical = match self.pending.take() {
                    Some(joined) if is_comment => joined,
                    Some(mut joined) => {
                        push_piece(&mut joined, text, start, end);
                        joined
                    }
                    None => LogicalLine {
                        text: Cow::Borrowed(line),
                        segments: SmallVec::from_buf([(0, start)]),
                        file_end: end,
                        content: 0..0,
                    },
                };
                return Some(finish(logical));
            }
            let piece_start = start + (line.len() - line.trim_start_matches('\\').len());
            let piece_end =
                (end - (line.len() - line.trim_end_matches('\\').len())).max(piece_start);
            let joined = self.pending.get_or_insert_with(|| empty_line(piece_start));
            push_piece(joined, text, piece_start, piece_end);
        }
        self.pending.take().map(finish)
    }
}

fn empty_line<'a>(file_start: usize) -> LogicalLine<'a> {
    LogicalLine {
        // Room for a requirement and a couple of `--hash` options without regrowing.
        text: Cow::Owned(String::with_capacity(256)),
        segments: SmallVec::new(),
        file_end: file_start,
        content: 0..0,
    }
}

fn push_piece(line: &mut LogicalLine, text: &str, start: usize, end: usize) {
    line.segments.push((line.text.len(), start));
    line.text.to_mut().push_str(&text[start..end]);
    line.file_end = end;
}

fn finish(mut line: LogicalLine) -> LogicalLine {
    if line.segments.is_empty() {
        line.segments.push((0, line.file_end));
    }
    let kept = comment_start(&line.text);
    let trimmed = trim_py_start(&line.text[..kept]);
    let start = kept - trimmed.len();
    let end = start + trim_py_end(trimmed).len();
    line.content = start..end;
    line
}

/// Where pip's `(^|\s+)#.*$` starts matching, or the text's length.
fn comment_start(text: &str) -> usize {
    // The first `#` at the start or after whitespace; the match starts where that
    // whitespace does.
    for at in memchr::memchr_iter(b'#', text.as_bytes()) {
        if at == 0 {
            return 0;
        }
        let before = &text[..at];
        let run_start = trim_py_end(before).len();
        if run_start < at {
            return run_start;
        }
    }
    text.len()
}

/// `(start, end)` of each line without its terminator, split where Python's
/// `str.splitlines` splits.
struct PhysicalLines<'a> {
    text: &'a str,
    /// Where the next line starts.
    at: usize,
    /// The text has no terminator but `\n` and `\r` (almost every file): lines are
    /// found with a vectorised search.
    only_cr_lf: bool,
}

impl<'a> PhysicalLines<'a> {
    fn new(text: &'a str) -> Self {
        // One pass without an early exit, so it vectorises.
        let rare = text
            .bytes()
            .fold(false, |found, b| found | may_start_rare_break(b));
        PhysicalLines {
            text,
            at: 0,
            only_cr_lf: !rare,
        }
    }
}

impl Iterator for PhysicalLines<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let start = self.at;
        if start >= bytes.len() {
            return None;
        }
        if self.only_cr_lf {
            let Some(offset) = memchr::memchr2(b'\n', b'\r', &bytes[start..]) else {
                self.at = bytes.len();
                return Some((start, bytes.len()));
            };
            let end = start + offset;
            let crlf = bytes[end] == b'\r' && bytes.get(end + 1) == Some(&b'\n');
            self.at = end + if crlf { 2 } else { 1 };
            return Some((start, end));
        }
        // Byte patterns of the terminators: the text is valid UTF-8, so `C2 85` can only
        // be U+0085 and `E2 80 A8`/`A9` only U+2028/U+2029.
        let mut i = start;
        while i < bytes.len() {
            if !(matches!(bytes[i], b'\n' | b'\r') || may_start_rare_break(bytes[i])) {
                i += 1;
                continue;
            }
            let break_len = match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => 2,
                b'\n' | b'\r' | 0x0b | 0x0c | 0x1c | 0x1d | 0x1e => 1,
                0xc2 if bytes.get(i + 1) == Some(&0x85) => 2,
                0xe2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xa8 | 0xa9)) =>
                {
                    3
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.at = i + break_len;
            return Some((start, i));
        }
        self.at = bytes.len();
        Some((start, bytes.len()))
    }
}

/// Bytes that end a line, or may start a multi-byte terminator, other than `\n` and
/// `\r`: vertical tab, form feed, the file/group/record separators, and the first
/// bytes of U+0085 and U+2028/U+2029.
fn may_start_rare_break(byte: u8) -> bool {
    matches!(byte, 0x0b | 0x0c | 0x1c..=0x1e | 0xc2 | 0xe2)
}

#[cfg(test)]
fn physical_lines(text: &str) -> Vec<(usize, usize)> {
    let fast: Vec<_> = PhysicalLines::new(text).collect();
    // The byte-by-byte scan must agree wherever the fast one applies.
    let general: Vec<_> = PhysicalLines {
        only_cr_lf: false,
        ..PhysicalLines::new(text)
    }
    .collect();
    assert_eq!(fast, general, "{text:?}");
    fast
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_whitespace_is_trimmed_by_byte_and_by_char() {
        for text in [
            "",
            " ",
            "a",
            " \t a b \x0b\x0c",
            "\x1c\x1fa\x1e",
            "\u{a0}a\u{2003}",
            " \u{85} x \u{3000} ",
            "é ",
            " é",
            "\r\n",
        ] {
            assert_eq!(
                trim_py_start(text),
                text.trim_start_matches(is_py_space),
                "{text:?}"
            );
            assert_eq!(
                trim_py_end(text),
                text.trim_end_matches(is_py_space),
                "{text:?}"
            );
            assert_eq!(trim_py(text), text.trim_matches(is_py_space), "{text:?}");
        }
    }

    fn contents(text: &str) -> Vec<String> {
        logical_lines(text)
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
        // The comment starts with the whitespace before the first `#` that follows
        // whitespace (any Unicode space) or starts the line.
        assert_eq!(comment_start("#x"), 0);
        assert_eq!(comment_start("a#b \t#c #d"), 3);
        assert_eq!(comment_start("a\u{3000}#c"), 1);
        assert_eq!(comment_start("a##"), 3);
        assert_eq!(comment_start("é #"), 2);
    }

    #[test]
    fn spans_cross_continuations() {
        let text = "ab\\\ncd\n";
        let line = &logical_lines(text).next().unwrap();
        assert_eq!(line.text, "abcd");
        assert_eq!(line.file_span(2..4), 4..6);
        assert_eq!(line.file_span(1..3), 1..5);
        assert_eq!(line.span_map(2).span(0..1), 4..5);
    }

    /// A line maps spans from its own pieces as the span map it builds does, on every
    /// range: one piece or several.
    #[test]
    fn file_spans_agree_with_the_span_map() {
        for text in [
            "ab\\\ncd\\\n\\e\n",
            "\\\nx\\\n\\\ny",
            "a==1 \\\r\n  --hash=h:1 \\\n  --hash=h:2",
        ] {
            for line in logical_lines(text) {
                let map = line.span_map(0);
                for start in 0..=line.text.len() + 1 {
                    for end in 0..=line.text.len() + 1 {
                        assert_eq!(
                            line.file_span(start..end),
                            map.span(start..end),
                            "{text:?} {start}..{end}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn splits_lines_like_python() {
        assert_eq!(
            physical_lines("a\r\nb\rc\nd"),
            [(0, 1), (3, 4), (5, 6), (7, 8)]
        );
        assert_eq!(physical_lines("a\n\n"), [(0, 1), (2, 2)]);
        assert_eq!(physical_lines("a\r\rb\r"), [(0, 1), (2, 2), (3, 4)]);
        assert_eq!(physical_lines("é\r\nü"), [(0, 2), (4, 6)]);
        assert_eq!(physical_lines(""), []);
        // Python's other terminators, next to look-alikes that are not ones.
        assert_eq!(
            physical_lines("a\x0bb\x0cc\x1cd\u{85}e\u{2028}f\u{2029}g\u{a2}\u{2027}h"),
            [(0, 1), (2, 3), (4, 5), (6, 7), (9, 10), (13, 14), (17, 24)]
        );
    }
}
