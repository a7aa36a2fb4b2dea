//! Turning bytes on disk into text, and text positions into line/column.

use super::{Encoding, Span};

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes are not valid UTF-8 (nor UTF-16 with a byte-order mark).
    NotText { valid_up_to: usize },
    /// A UTF-16 byte-order mark followed by an odd number of bytes or an unpaired
    /// surrogate.
    NotUtf16,
    /// A NUL byte in a file without a UTF-16 byte-order mark: a binary file.
    Binary,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::NotText { valid_up_to } => write!(
                f,
                "file is not valid UTF-8 (first invalid byte at offset {valid_up_to}); \
                 save it as UTF-8 so pip and every other tool read it the same way"
            ),
            DecodeError::NotUtf16 => write!(
                f,
                "file starts with a UTF-16 byte-order mark but is not valid UTF-16 \
                 (odd length or unpaired surrogate)"
            ),
            DecodeError::Binary => write!(f, "file looks binary (it contains NUL bytes)"),
        }
    }
}

/// Decode a manifest: UTF-8 (with or without BOM) or UTF-16 with a BOM, as pip does.
pub fn decode(bytes: &[u8]) -> Result<(String, Encoding), DecodeError> {
    decode_owned(bytes.to_vec())
}

/// [`decode`], taking the bytes: UTF-8 without a byte-order mark, the usual case,
/// becomes the text without a copy.
pub fn decode_owned(mut bytes: Vec<u8>) -> Result<(String, Encoding), DecodeError> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
        return utf8(bytes).map(|text| (text, Encoding::Utf8Bom));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(|text| (text, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(|text| (text, Encoding::Utf16Be));
    }
    utf8(bytes).map(|text| (text, Encoding::Utf8))
}

/// Encode text back the way it was read, for fixes that rewrite a file.
pub fn encode(text: &str, encoding: Encoding) -> Vec<u8> {
    match encoding {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        Encoding::Utf16Le => std::iter::once(0xFEFFu16)
            .chain(text.encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect(),
        Encoding::Utf16Be => std::iter::once(0xFEFFu16)
            .chain(text.encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect(),
    }
}

fn utf8(bytes: Vec<u8>) -> Result<String, DecodeError> {
    if memchr::memchr(0, &bytes).is_some() {
        return Err(DecodeError::Binary);
    }
    String::from_utf8(bytes).map_err(|err| DecodeError::NotText {
        valid_up_to: err.utf8_error().valid_up_to(),
    })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(DecodeError::NotUtf16);
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| unit([pair[0], pair[1]]))
        .collect();
    String::from_utf16(&units).map_err(|_| DecodeError::NotUtf16)
}

/// Line starts of a text, computed once, so every position lookup is a binary search
/// instead of a rescan of the file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    len: usize,
}

/// A 1-based line and column; the column counts characters, as editors do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        // Counted first (a vectorised pass) so the list is allocated once, not grown.
        let lines = memchr_newlines(text.as_bytes()).count() + 1;
        let mut starts = Vec::with_capacity(lines);
        starts.push(0);
        starts.extend(memchr_newlines(text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// 0-based line number containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.len);
        match self.starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    /// Byte offset where 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.len)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Byte range of 0-based `line`, without its line ending.
    pub fn line_span(&self, text: &str, line: usize) -> Span {
        let start = self.line_start(line);
        let mut end = self.line_start(line + 1);
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        start..end
    }

    /// 1-based line and character column of byte `offset` in `text`.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol {
            line: line + 1,
            column: text[start..offset].chars().count() + 1,
        }
    }
}

/// The offsets of the last byte of every line ending: `\n`, `\r\n`, and a `\r` alone,
/// which ends a line for Python's `str.splitlines` (pip, python-dotenv) and editors.
fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr2_iter(b'\n', b'\r', bytes)
        .filter(move |&at| bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n'))
}

/// The largest char boundary at or before `offset`.
pub fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Clamp a span so it lies inside `text` on char boundaries.
pub fn clamp_span(text: &str, span: Span) -> Span {
    let start = floor_char_boundary(text, span.start);
    let end = floor_char_boundary(text, span.end.max(start));
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf16le_with_bom() {
        let bytes = encode("a==1\r\nb==2\r\n", Encoding::Utf16Le);
        assert_eq!(
            decode(&bytes).unwrap(),
            ("a==1\r\nb==2\r\n".to_string(), Encoding::Utf16Le)
        );
    }

    #[test]
    fn strips_utf8_bom_and_round_trips() {
        let bytes = b"\xEF\xBB\xBFflask==3.0\n";
        let (text, encoding) = decode(bytes).unwrap();
        assert_eq!(text, "flask==3.0\n");
        assert_eq!(encode(&text, encoding), bytes);
    }

    #[test]
    fn rejects_binary_and_invalid_utf8() {
        assert_eq!(decode(b"ab\0cd"), Err(DecodeError::Binary));
        assert_eq!(
            decode(b"ok\xff"),
            Err(DecodeError::NotText { valid_up_to: 2 })
        );
        assert_eq!(decode(b"\xFF\xFEa\0b"), Err(DecodeError::NotUtf16));
        assert_eq!(decode(b"\xFF\xFE\0\xD8"), Err(DecodeError::NotUtf16));
    }

    #[test]
    fn line_col_counts_characters() {
        let text = "a\nbé=1\r\nc";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, column: 1 });
        // byte 5 is after "bé" (é is two bytes)
        assert_eq!(index.line_col(text, 5), LineCol { line: 2, column: 3 });
        assert_eq!(
            index.line_col(text, text.len()),
            LineCol { line: 3, column: 2 }
        );
        assert_eq!(index.line_span(text, 1), 2..7);
    }
}
