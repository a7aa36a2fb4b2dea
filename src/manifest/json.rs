//! JSON documents with byte spans, for the JSON manifest families (`package.json`,
//! `package-lock.json`).
//!
//! `serde_json` gives values without positions. The parser is `jsonc-parser` (dprint's,
//! used by Deno's tooling): it builds a syntax tree with a byte range on every node,
//! bounds nesting (512 levels) instead of overflowing the stack, and runs here with
//! every extension off (no comments, trailing commas, single quotes, bare keys), so a
//! file is read as npm reads it: strict JSON.

use jsonc_parser::ast::{Object, StringLit, Value};
use jsonc_parser::{CollectOptions, CommentCollectionStrategy, ParseOptions, parse_to_ast};

use super::{ParseError, Span};

/// Parse strict JSON; the error carries its span.
pub fn parse(text: &str) -> Result<Option<Value<'_>>, ParseError> {
    let options = ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let collect = CollectOptions {
        comments: CommentCollectionStrategy::Off,
        tokens: false,
    };
    match parse_to_ast(text, &collect, &options) {
        Ok(result) => Ok(result.value),
        Err(error) => {
            let range = error.range();
            let start = floor_boundary(text, range.start);
            let end = floor_boundary(text, range.end.max(range.start)).max(start);
            Err(ParseError {
                message: format!("invalid JSON: {}", error.kind()),
                span: start..end,
            })
        }
    }
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// A string value and where it is.
#[derive(Debug, Clone, Copy)]
pub struct Str<'a> {
    pub value: &'a str,
    /// The literal, quotes included.
    pub span: (usize, usize),
    /// Where the value starts in the file when it is written there byte for byte (no
    /// escapes).
    pub verbatim_start: Option<usize>,
}

impl<'a> Str<'a> {
    pub fn of(text: &str, lit: &'a StringLit<'a>) -> Str<'a> {
        let (start, end) = (lit.range.start, lit.range.end);
        let inner = text.get(start + 1..end.saturating_sub(1));
        Str {
            value: &lit.value,
            span: (start, end),
            verbatim_start: (inner == Some(lit.value.as_ref())).then_some(start + 1),
        }
    }

    /// The span of `range` (offsets into the value): exact when the value is written
    /// verbatim, the whole literal otherwise.
    pub fn span_of(&self, range: Span) -> Span {
        match self.verbatim_start {
            Some(start) => start + range.start..start + range.end,
            None => self.span.0..self.span.1,
        }
    }

    pub fn value_span(&self) -> Span {
        self.span_of(0..self.value.len())
    }
}

/// The value of `key` in `object` (the last one, as `JSON.parse` keeps it).
pub fn get<'b, 'a>(object: &'b Object<'a>, key: &str) -> Option<&'b Value<'a>> {
    object
        .properties
        .iter()
        .rev()
        .find(|prop| prop.name.as_str() == key)
        .map(|prop| &prop.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_json_with_spans() {
        let text = "{\"a\": \"x\\u0041\", \"b\": \"é1\"}";
        let Some(Value::Object(object)) = parse(text).unwrap() else {
            panic!("an object");
        };
        let Some(Value::StringLit(a)) = get(&object, "a") else {
            panic!()
        };
        let a = Str::of(text, a);
        assert_eq!(a.value, "xA");
        assert_eq!(&text[a.value_span()], "\"x\\u0041\"");
        let Some(Value::StringLit(b)) = get(&object, "b") else {
            panic!()
        };
        let b = Str::of(text, b);
        assert_eq!(&text[b.value_span()], "é1");
        for bad in [
            "{\"a\": 1,}",
            "// c\n{}",
            "{'a': 1}",
            "{a: 1}",
            "[",
            "{\"a\" \"b\"}",
        ] {
            let error = parse(bad).unwrap_err();
            assert!(error.span.end <= bad.len(), "{bad}");
        }
    }
}
