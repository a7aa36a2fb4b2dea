//! What the TOML manifests (pyproject.toml, Pipfile) share: parsing with `toml_edit`,
//! which keeps byte spans, and placing the contents of string values in the file.

use toml_edit::{Document, Item as TomlItem, TableLike, Value};

use super::pep508::SpanMap;
use super::text::floor_char_boundary;
use super::{ParseError, Requirement, Span};

/// Parse a whole document; malformed TOML is one error at the place `toml_edit` reports.
pub fn parse_document(text: &str) -> Result<Document<&str>, ParseError> {
    Document::parse(text).map_err(|err| ParseError {
        message: format!("invalid TOML: {}", err.message()),
        span: visible_span(text, err.span().unwrap_or(0..0)),
    })
}

/// A span a reader can see: an empty span (end of file, missing character) is widened
/// to the character before it, so a label has something to underline.
pub fn visible_span(text: &str, span: Span) -> Span {
    let end = floor_char_boundary(text, span.end.min(text.len()));
    let start = floor_char_boundary(text, span.start.min(end));
    if start < end || start == 0 {
        return start..end;
    }
    floor_char_boundary(text, start - 1)..end
}

/// A string value and where its characters are in the file.
#[derive(Debug, Clone)]
pub struct TomlString {
    /// The decoded value.
    pub value: String,
    /// The literal, quotes included.
    pub literal: Span,
    /// Where the value's first byte sits in the file when the value is the file text
    /// byte for byte (no escapes, no folded line ending); `None` otherwise.
    verbatim_start: Option<usize>,
}

impl TomlString {
    /// Map from offsets in `value[from..]` to the file.
    pub fn map_from(&self, from: usize) -> SpanMap {
        match self.verbatim_start {
            Some(start) => SpanMap::contiguous(start + from, self.value.len() - from),
            // Escapes break the byte-for-byte correspondence: point at the whole literal.
            None => SpanMap::opaque(self.literal.clone()),
        }
    }

    pub fn map(&self) -> SpanMap {
        self.map_from(0)
    }

    /// The span of `value[range]` in the file.
    pub fn span_of(&self, range: Span) -> Span {
        self.map().span(range)
    }

    /// The span of the whole content: inside the quotes, or the literal when escaped.
    pub fn content_span(&self) -> Span {
        match self.verbatim_start {
            Some(start) => start..start + self.value.len(),
            None => self.literal.clone(),
        }
    }
}

/// The string in `item`, if it is one, with its position in `text`.
pub fn string_of(text: &str, item: &TomlItem) -> Option<TomlString> {
    item.as_value().and_then(|value| string_value(text, value))
}

/// The string `value`, if it is one, with its position in `text`.
pub fn string_value(text: &str, value: &Value) -> Option<TomlString> {
    let Value::String(formatted) = value else {
        return None;
    };
    let literal = value.span().unwrap_or(0..0);
    let value = formatted.value().clone();
    let raw = text.get(literal.clone()).unwrap_or("");
    let quote_len = if raw.starts_with("\"\"\"") || raw.starts_with("'''") {
        3
    } else {
        1
    };
    let mut content_start = literal.start + quote_len;
    let mut content = raw
        .get(quote_len..raw.len().saturating_sub(quote_len))
        .unwrap_or("");
    if quote_len == 3 {
        // A line ending right after the opening quotes is not part of the value.
        for newline in ["\r\n", "\n"] {
            if let Some(rest) = content.strip_prefix(newline) {
                content = rest;
                content_start += newline.len();
                break;
            }
        }
    }
    let verbatim_start = (content == value).then_some(content_start);
    Some(TomlString {
        value,
        literal,
        verbatim_start,
    })
}

/// The span of an item, or an empty span at the start when it has none.
pub fn span_of(item: &TomlItem) -> Span {
    item.span().unwrap_or(0..0)
}

/// The key span of `key` in `table`, when the table records one.
pub fn key_span(table: &dyn TableLike, key: &str) -> Option<Span> {
    table.get_key_value(key).and_then(|(key, _)| key.span())
}

/// How an item's type is named in messages: "a string", "an integer", …
pub fn type_name(item: &TomlItem) -> &'static str {
    match item {
        TomlItem::None => "nothing",
        TomlItem::Table(_) => "a table",
        TomlItem::ArrayOfTables(_) => "an array of tables",
        TomlItem::Value(value) => value_type_name(value),
    }
}

pub fn value_type_name(value: &Value) -> &'static str {
    match value {
        Value::String(_) => "a string",
        Value::Integer(_) => "an integer",
        Value::Float(_) => "a float",
        Value::Boolean(_) => "a boolean",
        Value::Datetime(_) => "a date-time",
        Value::Array(_) => "an array",
        Value::InlineTable(_) => "an inline table",
    }
}

/// An error item about `item`: "what: expected X, got Y".
pub fn type_error(text: &str, item: &TomlItem, what: &str, expected: &str) -> ParseError {
    error(
        text,
        span_of(item),
        format!("{what}: expected {expected}, got {}", type_name(item)),
    )
}

/// An error item about an array element or other bare value.
pub fn value_type_error(text: &str, value: &Value, what: &str, expected: &str) -> ParseError {
    error(
        text,
        value.span().unwrap_or(0..0),
        format!(
            "{what}: expected {expected}, got {}",
            value_type_name(value)
        ),
    )
}

pub fn error(text: &str, span: Span, message: String) -> ParseError {
    ParseError {
        message,
        span: visible_span(text, span),
    }
}

/// The requirement a keyed entry (Poetry dependency, Pipfile package) starts from: the
/// key is the name, nothing is constrained yet. An empty or blank key names no package:
/// an error that says so, at the key, rather than a finding about a package called ``.
pub fn keyed_requirement(
    name: &str,
    name_span: Span,
    span: Span,
    section: &str,
) -> Result<Requirement, ParseError> {
    if name.trim().is_empty() {
        let what = if name.is_empty() { "empty" } else { "blank" };
        return Err(ParseError {
            message: format!(
                "the package name of this entry is {what}: its key must name the package"
            ),
            span: name_span,
        });
    }
    Ok(Requirement::named(span, name, name_span, section))
}

/// The span of a key/value entry: from the key to the end of the value. A dependency
/// written as its own `[table]` has only its header to point at.
pub fn entry_span(key: Option<Span>, value: &TomlItem) -> Span {
    match (key, value) {
        (_, TomlItem::Table(table)) if table.span().is_some() => table.span().unwrap_or(0..0),
        (Some(key), value) => key.start..value.span().map_or(key.end, |v| v.end.max(key.end)),
        (None, value) => span_of(value),
    }
}

/// Reading the keys of a dependency table; each wrong type is an error naming the entry.
pub struct EntryTable<'a> {
    pub text: &'a str,
    pub table: &'a dyn TableLike,
    /// The dependency's name, for messages.
    pub name: &'a str,
}

impl EntryTable<'_> {
    pub fn string(&self, key: &str) -> Result<Option<TomlString>, ParseError> {
        match self.table.get(key) {
            None => Ok(None),
            Some(item) => string_of(self.text, item).map(Some).ok_or_else(|| {
                type_error(
                    self.text,
                    item,
                    &format!("`{}.{key}`", self.name),
                    "a string",
                )
            }),
        }
    }

    pub fn boolean(&self, key: &str) -> Result<bool, ParseError> {
        match self.table.get(key) {
            None => Ok(false),
            Some(item) => item.as_bool().ok_or_else(|| {
                type_error(
                    self.text,
                    item,
                    &format!("`{}.{key}`", self.name),
                    "a boolean",
                )
            }),
        }
    }

    /// An array of strings, such as `extras`.
    pub fn strings(&self, key: &str) -> Result<Vec<String>, ParseError> {
        let Some(item) = self.table.get(key) else {
            return Ok(Vec::new());
        };
        let what = format!("`{}.{key}`", self.name);
        let array = item
            .as_array()
            .ok_or_else(|| type_error(self.text, item, &what, "an array of strings"))?;
        array
            .iter()
            .map(|value| {
                value
                    .as_str()
                    .map(str::to_string)
                    .ok_or_else(|| value_type_error(self.text, value, &what, "a string"))
            })
            .collect()
    }
}

/// Every span an item carries, for tests that check spans stay inside the text.
#[cfg(test)]
pub fn item_spans(item: &super::Item) -> Vec<Span> {
    use super::Item;
    match item {
        Item::Requirement(req) => {
            let mut spans = vec![req.span.clone()];
            spans.extend(req.name_span.clone());
            spans.extend(req.specifier_span.clone());
            spans.extend(req.marker_span.clone());
            spans.extend(req.url.as_ref().map(|url| url.span.clone()));
            spans.extend(req.clauses.iter().map(|clause| clause.span.clone()));
            spans
        }
        Item::Include(include) => vec![include.span.clone(), include.target_span.clone()],
        other => vec![other.span()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_string(text: &str) -> TomlString {
        let doc = parse_document(text).unwrap();
        let item = doc.as_table().get("a").unwrap();
        string_of(text, item).unwrap()
    }

    #[test]
    fn plain_strings_map_byte_for_byte() {
        for text in [
            "a = \"foo>=1\"\n",
            "a = 'foo>=1'\n",
            "a = \"\"\"foo>=1\"\"\"\n",
            "a = '''\nfoo>=1'''\n",
            "a = \"\"\"\r\nfoo>=1\"\"\"\r\n",
        ] {
            let s = first_string(text);
            assert_eq!(&text[s.content_span()], "foo>=1", "{text:?}");
            assert_eq!(&text[s.span_of(3..6)], ">=1", "{text:?}");
        }
    }

    #[test]
    fn escaped_strings_point_at_the_whole_literal() {
        let text = "a = \"caf\\u00e9>=1\"\n";
        let s = first_string(text);
        assert_eq!(s.value, "café>=1");
        assert_eq!(&text[s.content_span()], "\"caf\\u00e9>=1\"");
        assert_eq!(&text[s.span_of(5..8)], "\"caf\\u00e9>=1\"");
    }

    #[test]
    fn malformed_toml_is_one_error_with_a_visible_span() {
        let text = "a = [1,\n";
        let err = parse_document(text).unwrap_err();
        assert!(err.message.starts_with("invalid TOML"));
        assert!(!err.span.is_empty() && err.span.end <= text.len());
        let err = parse_document("a = 1\na = 2\n").unwrap_err();
        assert_eq!(err.span, 6..7);
    }
}
