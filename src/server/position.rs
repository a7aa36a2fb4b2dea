//! Byte offsets into a document and the positions of the protocol: a 0-based line and
//! a column in UTF-16 code units (the encoding every client supports). Lines end as
//! [`LineIndex`] ends them: `\n`, `\r\n`, or `\r` alone, as the protocol says.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types::{Position, Range, Uri};

use crate::manifest::Span;
use crate::manifest::text::{LineIndex, floor_char_boundary};

/// A document's text with its line index.
#[derive(Debug, Clone)]
pub struct Text {
    pub text: String,
    pub index: LineIndex,
}

impl Text {
    pub fn new(text: String) -> Text {
        let index = LineIndex::new(&text);
        Text { text, index }
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = floor_char_boundary(&self.text, offset);
        let line = self.index.line_of(offset);
        let start = self.index.line_start(line).min(offset);
        let character = self.text[start..offset].encode_utf16().count();
        Position::new(clamp(line), clamp(character))
    }

    pub fn range(&self, span: &Span) -> Range {
        Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `position`; past the end of its line, the line's end; past
    /// the last line, the end of the text.
    pub fn offset(&self, position: Position) -> usize {
        let line = position.line as usize;
        if line >= self.index.line_count() {
            return self.text.len();
        }
        let span = self.index.line_span(&self.text, line);
        let mut units = 0;
        for (at, ch) in self.text[span.clone()].char_indices() {
            if units >= position.character as usize {
                return span.start + at;
            }
            units += ch.len_utf16();
        }
        span.end
    }

    pub fn span(&self, range: Range) -> Span {
        let (start, end) = (self.offset(range.start), self.offset(range.end));
        start.min(end)..end.max(start)
    }
}

fn clamp(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The path of a `file:` URI.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let url = url::Url::parse(uri.as_str()).ok()?;
    (url.scheme() == "file").then(|| url.to_file_path().ok())?
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let url = url::Url::from_file_path(path).ok()?;
    Uri::from_str(url.as_str()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        // `é` is two bytes and one unit; `𝄞` four bytes and two units.
        let text = Text::new("é𝄞x\r\nb\rc".to_string());
        assert_eq!(text.position(0), Position::new(0, 0));
        assert_eq!(text.position(2), Position::new(0, 1));
        assert_eq!(text.position(6), Position::new(0, 3));
        assert_eq!(text.position(9), Position::new(1, 0));
        assert_eq!(text.position(11), Position::new(2, 0));
        assert_eq!(text.offset(Position::new(0, 3)), 6);
        assert_eq!(text.offset(Position::new(0, 99)), 7);
        assert_eq!(text.offset(Position::new(1, 0)), 9);
        assert_eq!(text.offset(Position::new(9, 0)), text.text.len());
    }

    #[test]
    fn file_uris_round_trip() {
        let path = Path::new("/tmp/a dir/requirements.txt");
        let uri = path_to_uri(path).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/requirements.txt");
        assert_eq!(uri_to_path(&uri).unwrap(), path);
        assert!(uri_to_path(&Uri::from_str("untitled:Untitled-1").unwrap()).is_none());
    }
}
