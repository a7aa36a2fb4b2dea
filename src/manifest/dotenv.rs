//! Parser for dotenv files (`.env`, `.env.example`, …), following python-dotenv's
//! syntax, which is what Python projects load them with (`tests/reference_dotenv.rs`
//! holds it to python-dotenv itself):
//!
//! - `KEY=value`, with optional spaces around `=` and an optional `export ` prefix;
//!   `'KEY'=value` is `KEY`, while `"KEY"=value` keeps its quotes;
//! - a line ends at `\n`, `\r\n` or a lone `\r`;
//! - unquoted values run to the end of the line; ` # comment` (a `#` after whitespace)
//!   ends them, and trailing whitespace is dropped; `KEY= # comment` is empty;
//! - `"double"` quotes decode `\\ \' \" \a \b \f \n \r \t \v` and keep other escapes as
//!   written; `'single'` quotes decode only `\\` and `\'`; `` `backticks` `` (Node's
//!   dotenv) decode nothing. Quoted values may span lines;
//! - `${VAR}` references are kept as written, never expanded;
//! - a line holding only `KEY` declares the key with a blank value.
//!
//! Anything else on a line (text after a closing quote, an unterminated quote, a line
//! without a key) becomes a [`ParseError`] item; the entry is still produced whenever
//! its value could be read, so secret checks see it. Read differently on purpose: the
//! backtick quotes above, and an unquoted PEM block, which is one value here (its lines
//! are the key) where python-dotenv reads only its first line.

use super::{EnvEntry, Item, ParseError, Span};

/// Parse the text of one file into items.
pub fn parse(text: &str) -> Vec<Item> {
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        items: Vec::new(),
    };
    while parser.pos < parser.bytes.len() {
        parser.line();
    }
    parser.items
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    items: Vec<Item>,
}

fn is_blank(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\x0b' | b'\x0c')
}

fn is_line_end(byte: u8) -> bool {
    matches!(byte, b'\n' | b'\r')
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// The end of the line holding `from`, before its `\r\n`, `\n` or lone `\r`
    /// (python-dotenv ends a line at each).
    fn line_end(&self, from: usize) -> usize {
        self.bytes[from..]
            .iter()
            .position(|&b| is_line_end(b))
            .map_or(self.bytes.len(), |i| from + i)
    }

    /// Move past the end of the current line.
    fn next_line(&mut self) {
        let end = self.line_end(self.pos);
        self.pos = match self.bytes.get(end) {
            Some(b'\r') if self.bytes.get(end + 1) == Some(&b'\n') => end + 2,
            Some(_) => end + 1,
            None => end,
        };
    }

    fn error(&mut self, message: String, span: Span) {
        self.items
            .push(Item::ParseError(ParseError { message, span }));
    }

    /// Parse one line (or one multi-line entry) starting at `self.pos`.
    fn line(&mut self) {
        self.skip_blanks();
        match self.peek() {
            None => return,
            Some(b'#') => return self.next_line(),
            Some(b) if is_line_end(b) => return self.next_line(),
            _ => {}
        }
        let entry_start = self.pos;
        if self.text[self.pos..].starts_with("export")
            && self.bytes.get(self.pos + 6).copied().is_some_and(is_blank)
        {
            self.pos += 6;
            self.skip_blanks();
        }
        let key_start = self.pos;
        // python-dotenv takes `'KEY'=value` as `KEY` (a double-quoted key stays as
        // written, quotes and all, as it does there). Its closing quote is the next one,
        // on a later line if need be, as there.
        let quoted_key = (self.peek() == Some(b'\''))
            .then(|| {
                let close = self.bytes[key_start + 1..]
                    .iter()
                    .position(|&b| b == b'\'')?;
                (close > 0).then_some(key_start + 1..key_start + 1 + close)
            })
            .flatten();
        let key_span = if let Some(inside) = quoted_key {
            self.pos = inside.end + 1;
            inside
        } else if self.peek() == Some(b'\'') {
            // `''=x` or `'KEY=x`: python-dotenv rejects the line.
            let end = self.line_end(entry_start);
            self.error(
                "expected `KEY=value`: a key that opens with `'` must close with `'`".into(),
                entry_start..end,
            );
            return self.next_line();
        } else {
            while self
                .peek()
                .is_some_and(|b| b != b'=' && b != b'#' && !is_blank(b) && !is_line_end(b))
            {
                self.pos += 1;
            }
            key_start..self.pos
        };
        if key_span.is_empty() {
            let end = self.line_end(entry_start);
            self.error(
                "expected `KEY=value`, found no key".into(),
                entry_start..end,
            );
            return self.next_line();
        }
        let key = self.text[key_span.clone()].to_string();
        self.skip_blanks();
        match self.peek() {
            Some(b'=') => self.pos += 1,
            None | Some(b'#' | b'\n' | b'\r') => {
                // A bare `KEY`: declared, with no value.
                let value_span = key_span.end..key_span.end;
                self.push_entry(key, key_span, String::new(), value_span, entry_start);
                return self.next_line();
            }
            Some(_) => {
                let end = self.line_end(self.pos);
                // The message does not quote the line: it may be a pasted secret.
                self.error(
                    "expected `KEY=value`: no `=` after the first word".into(),
                    key_span.start..end.max(key_span.end),
                );
                return self.next_line();
            }
        }
        let after_equals = self.pos;
        self.skip_blanks();
        let value_start = self.pos;
        match self.peek() {
            Some(quote @ (b'"' | b'\'' | b'`')) => self.quoted(key, key_span, quote, entry_start),
            // `KEY= # note`: after a blank, a `#` starts a comment and the value is empty
            // (python-dotenv 1.2.4); `KEY=#x` is the value `#x`.
            Some(b'#') if value_start > after_equals => {
                let value_span = value_start..value_start;
                self.push_entry(key, key_span, String::new(), value_span, entry_start);
                self.next_line();
            }
            _ => {
                let (value, value_span) = self.unquoted(value_start);
                self.push_entry(key, key_span, value, value_span, entry_start);
                self.next_line();
            }
        }
    }

    /// An unquoted value: to the end of the line, without an inline ` # comment` and
    /// trailing whitespace.
    fn unquoted(&mut self, start: usize) -> (String, Span) {
        let line_end = self.line_end(start);
        let raw = &self.bytes[start..line_end];
        let mut end = raw.len();
        for i in 1..raw.len() {
            if raw[i] == b'#' && is_blank(raw[i - 1]) {
                end = i;
                break;
            }
        }
        while end > 0 && is_blank(raw[end - 1]) {
            end -= 1;
        }
        let span = start..start + end;
        self.pos = line_end;
        let value = &self.text[span.clone()];
        if let Some(block_end) = self.pem_block_end(value, line_end) {
            // An unquoted PEM block: python-dotenv would read only its first line, but
            // the lines after it are the key, so they are one value (and one secret).
            self.pos = block_end;
            let span = start..block_end;
            return (self.text[span.clone()].replace("\r\n", "\n"), span);
        }
        (value.to_string(), span)
    }

    /// When `value` is a bare `-----BEGIN …-----` line, the end of the matching
    /// `-----END …-----` line below it (if every line in between is part of a PEM block).
    fn pem_block_end(&self, value: &str, from: usize) -> Option<usize> {
        let label = value.strip_prefix("-----BEGIN ")?.strip_suffix("-----")?;
        let end_line = format!("-----END {label}-----");
        let mut pos = from;
        for _ in 0..1000 {
            pos = self.bytes[pos..].iter().position(|&b| b == b'\n')? + pos + 1;
            let line_end = self.line_end(pos);
            let line = self.text[pos..line_end].trim_end();
            if line == end_line {
                return Some(pos + line.len());
            }
            // Base-64 lines (`=` only as trailing padding) or `Proc-Type:`-style headers.
            let pem_line = !line.is_empty()
                && line.trim_end_matches('=').bytes().all(|b| {
                    b.is_ascii_alphanumeric()
                        || matches!(b, b'+' | b'/' | b':' | b',' | b'-' | b' ')
                });
            // Encrypted keys have a blank line after their headers.
            let encrypted_header_gap = line.is_empty() && self.text[from..pos].contains("DEK-Info");
            if !(pem_line || encrypted_header_gap) {
                return None;
            }
        }
        None
    }

    /// A quoted value, possibly over several lines, then an optional comment.
    fn quoted(&mut self, key: String, key_span: Span, quote: u8, entry_start: usize) {
        let open = self.pos;
        let mut value = String::new();
        let mut i = open + 1;
        let mut literal_from = i;
        let close = loop {
            let Some(&b) = self.bytes.get(i) else {
                break None;
            };
            if b == quote {
                push_literal(&mut value, &self.text[literal_from..i]);
                break Some(i);
            }
            if b == b'\\' && quote != b'`' && i + 1 < self.bytes.len() {
                let next = self.bytes[i + 1];
                let decoded = match (quote, next) {
                    (_, b'\\') => Some('\\'),
                    (_, b'\'') => Some('\''),
                    (b'"', b'"') => Some('"'),
                    (b'"', b'a') => Some('\x07'),
                    (b'"', b'b') => Some('\x08'),
                    (b'"', b'f') => Some('\x0c'),
                    (b'"', b'n') => Some('\n'),
                    (b'"', b'r') => Some('\r'),
                    (b'"', b't') => Some('\t'),
                    (b'"', b'v') => Some('\x0b'),
                    _ => None,
                };
                if let Some(ch) = decoded {
                    push_literal(&mut value, &self.text[literal_from..i]);
                    value.push(ch);
                    i += 2;
                    literal_from = i;
                    continue;
                }
                // An unknown escape stays as written; skip the escaped character so
                // `\"`-like pairs never end the value.
                if next.is_ascii() {
                    i += 2;
                    continue;
                }
            }
            i += 1;
        };
        let Some(close) = close else {
            let end = self.line_end(open);
            self.error(
                format!("unterminated quoted value for `{key}`"),
                open..end.max(open + 1),
            );
            self.pos = open;
            return self.next_line();
        };
        let value_span = open..close + 1;
        self.pos = close + 1;
        self.push_entry(key, key_span, value, value_span, entry_start);
        self.skip_blanks();
        match self.peek() {
            None => {}
            Some(b) if is_line_end(b) || b == b'#' => self.next_line(),
            Some(_) => {
                let start = self.pos;
                let end = self.line_end(start);
                self.error(
                    "unexpected text after the closing quote; put a `#` before a comment".into(),
                    start..end,
                );
                self.next_line();
            }
        }
    }

    fn push_entry(
        &mut self,
        key: String,
        key_span: Span,
        value: String,
        value_span: Span,
        entry_start: usize,
    ) {
        let span = entry_start..value_span.end.max(key_span.end);
        self.items.push(Item::EnvEntry(EnvEntry {
            key,
            key_span,
            value,
            value_span,
            span,
        }));
    }
}

/// Text written between quotes, added to a value: python-dotenv opens files with
/// universal newlines, so a line break inside a multi-line value (`\r\n` from Windows, a
/// lone `\r`) is loaded as `\n`. An escaped `\r` is decoded apart and stays.
fn push_literal(value: &mut String, literal: &str) {
    if !literal.contains('\r') {
        value.push_str(literal);
        return;
    }
    value.push_str(&literal.replace("\r\n", "\n").replace('\r', "\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (key, value, value as written) of every entry.
    fn entries(text: &str) -> Vec<(String, String, String)> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::EnvEntry(e) => {
                    assert_eq!(&text[e.key_span.clone()], e.key);
                    assert!(e.span.start <= e.key_span.start && e.value_span.end <= e.span.end);
                    Some((e.key, e.value, text[e.value_span].to_string()))
                }
                _ => None,
            })
            .collect()
    }

    fn errors(text: &str) -> Vec<(String, String)> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::ParseError(e) => Some((e.message, text[e.span].to_string())),
                _ => None,
            })
            .collect()
    }

    fn e(key: &str, value: &str, written: &str) -> (String, String, String) {
        (key.into(), value.into(), written.into())
    }

    #[test]
    fn plain_entries_comments_and_blank_values() {
        let text = "# header\n\nA=1\nexport B = two words  # note\nC=\nD\nE=a#b\nF= #x\n";
        assert_eq!(
            entries(text),
            vec![
                e("A", "1", "1"),
                e("B", "two words", "two words"),
                e("C", "", ""),
                e("D", "", ""),
                e("E", "a#b", "a#b"),
                e("F", "", ""),
            ]
        );
        assert!(errors(text).is_empty());
    }

    #[test]
    fn spans_cover_key_value_and_entry() {
        let text = "  export TOKEN = \"abc\"  # c\r\nNEXT=1";
        let items = parse(text);
        let Item::EnvEntry(entry) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(&text[entry.span.clone()], "export TOKEN = \"abc\"");
        assert_eq!(&text[entry.key_span.clone()], "TOKEN");
        assert_eq!(&text[entry.value_span.clone()], "\"abc\"");
        assert_eq!(entry.value, "abc");
        let Item::EnvEntry(next) = &items[1] else {
            panic!()
        };
        assert_eq!((next.key.as_str(), next.value.as_str()), ("NEXT", "1"));
        // A blank value has an empty span right after `=`.
        let items = parse("K=\r\n");
        let Item::EnvEntry(blank) = &items[0] else {
            panic!()
        };
        assert_eq!(blank.value_span, 2..2);
    }

    #[test]
    fn quotes_and_escapes() {
        let text = concat!(
            "A=\"x\\ny\\t\\\"q\\\" \\$HOME \\\\\"\n",
            "B='lit \\n \\' \\\\'\n",
            "C=`raw \\n`\n",
            "D=\"# not a comment\" # comment\n",
            "E=\"\"\n",
            "F=\"${OTHER}\"\n",
            "G=${OTHER}\n",
        );
        assert_eq!(
            entries(text),
            vec![
                e(
                    "A",
                    "x\ny\t\"q\" \\$HOME \\",
                    "\"x\\ny\\t\\\"q\\\" \\$HOME \\\\\""
                ),
                e("B", "lit \\n ' \\", "'lit \\n \\' \\\\'"),
                e("C", "raw \\n", "`raw \\n`"),
                e("D", "# not a comment", "\"# not a comment\""),
                e("E", "", "\"\""),
                e("F", "${OTHER}", "\"${OTHER}\""),
                e("G", "${OTHER}", "${OTHER}"),
            ]
        );
    }

    #[test]
    fn multi_line_values() {
        let text = "KEY=\"-----BEGIN\r\nabc\r\n-----END\"\nAFTER=1\n";
        assert_eq!(
            entries(text),
            vec![
                e(
                    "KEY",
                    "-----BEGIN\nabc\n-----END",
                    "\"-----BEGIN\r\nabc\r\n-----END\""
                ),
                e("AFTER", "1", "1"),
            ]
        );
        // A lone carriage return inside quotes is a line break too; escaped ones stay.
        assert_eq!(entries("K=\"a\rb\\r\\n\"")[0].1, "a\nb\r\n");
    }

    #[test]
    fn unquoted_pem_block_is_one_value() {
        let text = "KEY=-----BEGIN RSA PRIVATE KEY-----\r\nMIIEow+/=\r\nAbC\r\n-----END RSA PRIVATE KEY-----\r\nNEXT=1\n";
        assert_eq!(
            entries(text),
            vec![
                e(
                    "KEY",
                    "-----BEGIN RSA PRIVATE KEY-----\nMIIEow+/=\nAbC\n-----END RSA PRIVATE KEY-----",
                    "-----BEGIN RSA PRIVATE KEY-----\r\nMIIEow+/=\r\nAbC\r\n-----END RSA PRIVATE KEY-----"
                ),
                e("NEXT", "1", "1"),
            ]
        );
        // Without its END line, or with other entries in between, it is one line only.
        let text = "KEY=-----BEGIN PRIVATE KEY-----\nA=1\n-----END PRIVATE KEY-----\n";
        assert_eq!(
            entries(text)[0],
            e(
                "KEY",
                "-----BEGIN PRIVATE KEY-----",
                "-----BEGIN PRIVATE KEY-----"
            )
        );
        assert_eq!(
            entries("K=-----BEGIN X-----\nabc")[0].1,
            "-----BEGIN X-----"
        );
    }

    #[test]
    fn malformed_lines_are_parse_errors() {
        let text = "=novalue\nsome words here\nQ=\"open\nR=2\nS='a' trailing\n";
        assert_eq!(
            errors(text),
            vec![
                (
                    "expected `KEY=value`, found no key".into(),
                    "=novalue".into()
                ),
                (
                    "expected `KEY=value`: no `=` after the first word".into(),
                    "some words here".into()
                ),
                ("unterminated quoted value for `Q`".into(), "\"open".into()),
                (
                    "unexpected text after the closing quote; put a `#` before a comment".into(),
                    "trailing".into()
                ),
            ]
        );
        // The lines after an unterminated quote are still read, and an entry with
        // trailing text is still produced.
        assert_eq!(entries(text), vec![e("R", "2", "2"), e("S", "a", "'a'")]);
    }

    /// As python-dotenv reads them: a single-quoted key is its content; a lone
    /// carriage return ends a line like a line feed does.
    #[test]
    fn quoted_keys_and_carriage_return_line_ends() {
        assert_eq!(
            entries("'a'=b\n\"c\"=d\n"),
            [e("a", "b", "b"), e("\"c\"", "d", "d")]
        );
        assert_eq!(
            entries("a=b\rc=d\r\ne=f"),
            [e("a", "b", "b"), e("c", "d", "d"), e("e", "f", "f")]
        );
    }

    #[test]
    fn non_ascii_and_odd_endings() {
        let text = "PASSWORD=AsTSNVv7pun9 (пароль)\nK=\"é\\\u{e9}\"";
        assert_eq!(
            entries(text),
            vec![
                e("PASSWORD", "AsTSNVv7pun9 (пароль)", "AsTSNVv7pun9 (пароль)"),
                e("K", "é\\é", "\"é\\é\""),
            ]
        );
        assert!(parse("").is_empty());
        assert!(parse("\n\r\n# c").is_empty());
        assert_eq!(entries("export"), vec![e("export", "", "")]);
        assert_eq!(entries("A=\"\\"), vec![]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_on_char_boundaries(text in "[A-Za-z_ =#'\"`\\$\r\n\té{}x]{0,80}") {
            for item in parse(&text) {
                let spans = match &item {
                    Item::EnvEntry(e) => vec![e.span.clone(), e.key_span.clone(), e.value_span.clone()],
                    Item::ParseError(e) => vec![e.span.clone()],
                    other => panic!("unexpected item {other:?}"),
                };
                for span in spans {
                    proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
                    proptest::prop_assert!(text.get(span).is_some());
                }
            }
        }
    }
}
