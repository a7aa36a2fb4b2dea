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
    /// A UTF-32 byte-order mark followed by bytes that are not UTF-32.
    NotUtf32,
    /// A PEP 263 coding line names an encoding pinwarden does not decode.
    UnsupportedEncoding(String),
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
            DecodeError::NotUtf32 => write!(
                f,
                "file starts with a UTF-32 byte-order mark but is not valid UTF-32"
            ),
            DecodeError::UnsupportedEncoding(name) => write!(
                f,
                "its coding line names `{name}`, an encoding pinwarden does not read \
                 (UTF-8, UTF-16, UTF-32 and Latin-1 are); save it as UTF-8"
            ),
        }
    }
}

/// Decode a manifest as pip decodes a requirements file: a UTF-8, UTF-32 or UTF-16
/// byte-order mark (UTF-32 first: its little-endian mark starts like UTF-16's), then a
/// PEP 263 coding line among the first two lines, then UTF-8.
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
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE, 0x00, 0x00]) {
        return utf32(rest, u32::from_le_bytes).map(|text| (text, Encoding::Utf32Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0x00, 0x00, 0xFE, 0xFF]) {
        return utf32(rest, u32::from_be_bytes).map(|text| (text, Encoding::Utf32Be));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(|text| (text, Encoding::Utf16Le));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(|text| (text, Encoding::Utf16Be));
    }
    match coding_line(&bytes) {
        None => utf8(bytes).map(|text| (text, Encoding::Utf8)),
        Some(name) => match name.to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" | "ascii" | "us-ascii" => {
                utf8(bytes).map(|text| (text, Encoding::Utf8))
            }
            "latin-1" | "latin1" | "iso-8859-1" | "iso8859-1" | "l1" => {
                if memchr::memchr(0, &bytes).is_some() {
                    return Err(DecodeError::Binary);
                }
                let text = bytes.iter().map(|&b| char::from(b)).collect();
                Ok((text, Encoding::Latin1))
            }
            _ => Err(DecodeError::UnsupportedEncoding(name)),
        },
    }
}

/// The encoding a PEP 263 coding line names, as pip finds it: in either of the first
/// two lines, when the line starts with `#`, `coding[:=]` then the name.
fn coding_line(bytes: &[u8]) -> Option<String> {
    for line in bytes.split(|&b| b == b'\n').take(2) {
        if line.first() != Some(&b'#') {
            continue;
        }
        let Some(at) = line
            .windows(7)
            .position(|w| w == b"coding:" || w == b"coding=")
        else {
            continue;
        };
        let rest = &line[at + 7..];
        let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
        let name: Vec<u8> = rest
            .iter()
            .copied()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
            .collect();
        if !name.is_empty() {
            return String::from_utf8(name).ok();
        }
    }
    None
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
        Encoding::Utf32Le => std::iter::once(0xFEFF)
            .chain(text.chars().map(u32::from))
            .flat_map(u32::to_le_bytes)
            .collect(),
        Encoding::Utf32Be => std::iter::once(0xFEFF)
            .chain(text.chars().map(u32::from))
            .flat_map(u32::to_be_bytes)
            .collect(),
        // Fixes write only ASCII; a character Latin-1 lacks could not have been read.
        Encoding::Latin1 => text
            .chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
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

fn utf32(bytes: &[u8], unit: fn([u8; 4]) -> u32) -> Result<String, DecodeError> {
    if !bytes.len().is_multiple_of(4) {
        return Err(DecodeError::NotUtf32);
    }
    bytes
        .chunks_exact(4)
        .map(|four| char::from_u32(unit([four[0], four[1], four[2], four[3]])))
        .collect::<Option<String>>()
        .ok_or(DecodeError::NotUtf32)
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
        let bytes = text.as_bytes();
        let mut starts;
        if memchr::memchr(b'\r', bytes).is_none() {
            // Most files end their lines with `\n` alone: one search for it.
            starts = Vec::with_capacity(memchr::memchr_iter(b'\n', bytes).count() + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1));
        } else {
            // Counted first (a vectorised pass) so the list is allocated once.
            starts = Vec::with_capacity(memchr_newlines(bytes).count() + 1);
            starts.push(0);
            starts.extend(memchr_newlines(bytes).map(|i| i + 1));
        }
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
    /// pip's reading of encodings: UTF-32 with a byte-order mark (before UTF-16, whose
    /// little-endian mark begins UTF-32's), and a PEP 263 coding line.
    #[test]
    fn utf32_and_coding_lines_decode_as_pip_decodes() {
        use super::*;
        let text = "flask==3.0.3 # é\n";
        for encoding in [Encoding::Utf32Le, Encoding::Utf32Be] {
            let bytes = encode(text, encoding);
            assert_eq!(decode(&bytes), Ok((text.to_string(), encoding)));
        }
        let latin1 = b"# -*- coding: latin-1 -*-\nflask==3.0.3 # caf\xe9\n";
        assert_eq!(
            decode(latin1),
            Ok((
                "# -*- coding: latin-1 -*-\nflask==3.0.3 # café\n".to_string(),
                Encoding::Latin1
            ))
        );
        assert_eq!(encode(&decode(latin1).unwrap().0, Encoding::Latin1), latin1);
        // The second line may hold it too; a third is not read.
        let second = b"#!/usr/bin/env pip\n# vim: set fileencoding=latin-1 :\nx==1 # \xe9\n";
        assert_eq!(decode(second).unwrap().1, Encoding::Latin1);
        let third = b"#\n#\n# coding: latin-1\nx==1 # \xe9\n";
        assert!(decode(third).is_err());
        assert_eq!(
            decode(b"# coding: koi8-r\nx==1\n"),
            Err(DecodeError::UnsupportedEncoding("koi8-r".into()))
        );
    }

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
