//! Splitting the option part of a line into words, as pip does with `shlex.split`
//! (POSIX rules: quotes group and are removed, `\` escapes outside single quotes),
//! keeping where each word was written.

use std::borrow::Cow;
use std::ops::Range;

/// One word: its value after quote removal and the range of its raw text.
#[derive(Debug, Clone, PartialEq)]
pub struct Word<'a> {
    /// Borrowed from the line unless quotes or escapes changed it.
    pub value: Cow<'a, str>,
    pub raw: Range<usize>,
}

/// Text `shlex` rejects: an unclosed quote or a trailing `\`.
#[derive(Debug, Clone, PartialEq)]
pub struct SplitError {
    pub message: &'static str,
    pub raw: Range<usize>,
}

/// Split `text`; ranges are offsets into `text` plus `base`.
pub fn split(text: &str, base: usize) -> Result<Vec<Word<'_>>, SplitError> {
    if memchr::memchr3(b'\'', b'"', b'\\', text.as_bytes()).is_none() {
        return Ok(split_plain(text, base));
    }
    split_quoted(text, base)
}

/// The general case, quotes and escapes included.
fn split_quoted(text: &str, base: usize) -> Result<Vec<Word<'static>>, SplitError> {
    let mut words = Vec::new();
    // The word being read: its value and where it started.
    let mut current: Option<(String, usize)> = None;
    let mut quote: Option<(char, usize)> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if let Some((q, _)) = quote {
            let (value, _) = current.get_or_insert_with(|| (String::new(), i));
            if ch == q {
                quote = None;
            } else if q == '"' && ch == '\\' {
                match chars.next() {
                    Some((_, next @ ('"' | '\\'))) => value.push(next),
                    Some((_, next)) => {
                        value.push('\\');
                        value.push(next);
                    }
                    None => {
                        return Err(SplitError {
                            message: "a `\\` at the end of the line escapes nothing",
                            raw: base + i..base + text.len(),
                        });
                    }
                }
            } else {
                value.push(ch);
            }
            continue;
        }
        match ch {
            ' ' | '\t' | '\r' | '\n' => {
                if let Some((value, start)) = current.take() {
                    words.push(Word {
                        value: Cow::Owned(value),
                        raw: base + start..base + i,
                    });
                }
            }
            '\\' => {
                let (value, _) = current.get_or_insert_with(|| (String::new(), i));
                match chars.next() {
                    Some((_, next)) => value.push(next),
                    None => {
                        return Err(SplitError {
                            message: "a `\\` at the end of the line escapes nothing",
                            raw: base + i..base + text.len(),
                        });
                    }
                }
            }
            '\'' | '"' => {
                current.get_or_insert_with(|| (String::new(), i));
                quote = Some((ch, i));
            }
            _ => current.get_or_insert_with(|| (String::new(), i)).0.push(ch),
        }
    }
    if let Some((q, at)) = quote {
        return Err(SplitError {
            message: if q == '"' {
                "unclosed `\"` quote"
            } else {
                "unclosed `'` quote"
            },
            raw: base + at..base + text.len(),
        });
    }
    if let Some((value, start)) = current {
        words.push(Word {
            value: Cow::Owned(value),
            raw: base + start..base + text.len(),
        });
    }
    Ok(words)
}

/// The common case, text without quotes or backslashes: each word is its raw text.
fn split_plain(text: &str, base: usize) -> Vec<Word<'_>> {
    let is_separator = |b: u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if is_separator(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !is_separator(bytes[i]) {
            i += 1;
        }
        words.push(Word {
            value: Cow::Borrowed(&text[start..i]),
            raw: base + start..base + i,
        });
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        split(text, 0)
            .unwrap()
            .into_iter()
            .map(|w| w.value.into_owned())
            .collect()
    }

    #[test]
    fn plain_text_splits_as_the_general_path_does() {
        for text in [
            "",
            "   ",
            "--hash=sha256:abc",
            "  --hash=sha256:abc \t--hash  sha256:def\r\n",
            "-r\tfile.txt --index-url=https://h/é/ü",
            "a\u{a0}b c",
        ] {
            assert_eq!(
                split_plain(text, 7),
                split_quoted(text, 7).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn splits_like_posix_shlex() {
        assert_eq!(values("--a  b\t--c=d"), ["--a", "b", "--c=d"]);
        assert_eq!(values(r#"--x="a b"'c d' e\ f"#), ["--x=a bc d", "e f"]);
        assert_eq!(values(r#""a\"b\q""#), [r#"a"b\q"#]);
        assert_eq!(values("''"), [""]);
        assert_eq!(values("  "), Vec::<String>::new());
    }

    #[test]
    fn raw_ranges_cover_quotes() {
        let words = split(r#"-i "http://x" y"#, 10).unwrap();
        assert_eq!(words[1].raw, 13..23);
        assert_eq!(words[2].raw, 24..25);
    }

    #[test]
    fn unclosed_quotes_and_trailing_escapes_fail() {
        assert_eq!(split("a 'b", 0).unwrap_err().raw, 2..4);
        assert!(split("a \\", 0).is_err());
        assert!(split("\"a\\", 0).is_err());
    }
}
