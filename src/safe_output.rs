//! The one place every byte pinwarden writes passes through on its way out: reports,
//! diffs, messages on standard error, the output file. Whatever a pull request puts in
//! a file or a file name, what leaves here cannot print a URL's password or drive the
//! terminal.
//!
//! - URL credentials (`scheme://user:secret@host`, `--trusted-host user:secret@host`) are
//!   masked on every line, as pip masks them in its logs. Rules mask the secrets they
//!   recognise in their own messages and excerpts; this catches every other path.
//! - Control characters from file contents and names (ESC, BEL, a lone carriage return,
//!   C1 controls) are written as visible escapes (`\x1b`), so an OSC sequence cannot
//!   retitle the reviewer's terminal and `ESC [ 2 J` cannot clear it. The human report
//!   draws with ANSI colours of its own, so it escapes its inputs instead (see
//!   [`neutralize_controls`]) and leaves only the masking to this writer.

use std::borrow::Cow;
use std::io::{self, Write};
use std::sync::LazyLock;

use regex::Regex;

use crate::policy::engine::mask_url_credentials;

/// A writer that masks credentials and (with `escape_controls`) escapes control
/// characters, a line at a time.
pub struct SafeWriter<W: Write> {
    inner: W,
    line: Vec<u8>,
    escape_controls: bool,
    mask: bool,
}

impl<W: Write> SafeWriter<W> {
    pub fn new(inner: W, escape_controls: bool) -> Self {
        SafeWriter {
            inner,
            line: Vec::new(),
            escape_controls,
            mask: true,
        }
    }

    /// For rule documentation: its example URLs are the rule's own, shown as written;
    /// control characters (a rule file can come from a pull request) are escaped.
    pub fn documentation(inner: W) -> Self {
        SafeWriter {
            inner,
            line: Vec::new(),
            escape_controls: true,
            mask: false,
        }
    }

    fn write_line(&mut self) -> io::Result<()> {
        let cleaned = if self.mask {
            clean(&self.line, self.escape_controls)
        } else if has_controls(&self.line) {
            Cow::Owned(escape(&self.line))
        } else {
            Cow::Borrowed(&self.line[..])
        };
        self.inner.write_all(&cleaned)?;
        self.line.clear();
        Ok(())
    }
}

impl<W: Write> Write for SafeWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let mut rest = buf;
        // A line left open by the last write is finished first.
        if !self.line.is_empty() {
            let Some(end) = memchr::memchr(b'\n', rest) else {
                self.line.extend_from_slice(rest);
                return Ok(buf.len());
            };
            self.line.extend_from_slice(&rest[..=end]);
            self.write_line()?;
            rest = &rest[end + 1..];
        }
        let Some(last) = memchr::memrchr(b'\n', rest) else {
            self.line.extend_from_slice(rest);
            return Ok(buf.len());
        };
        let (whole, open) = rest.split_at(last + 1);
        if self.escape_controls && has_controls(whole) {
            // Rare: line by line.
            let mut lines = whole;
            while let Some(end) = memchr::memchr(b'\n', lines) {
                self.line.extend_from_slice(&lines[..=end]);
                self.write_line()?;
                lines = &lines[end + 1..];
            }
        } else if self.mask {
            // Only a line with an `@` can hold a credential: the lines between go
            // through as they are, in one piece.
            let mut clean_from = 0;
            for at in memchr::memchr_iter(b'@', whole) {
                if at < clean_from {
                    continue;
                }
                let line_start = memchr::memrchr(b'\n', &whole[..at]).map_or(0, |i| i + 1);
                let line_end =
                    at + memchr::memchr(b'\n', &whole[at..]).unwrap_or(whole.len() - at - 1) + 1;
                self.inner.write_all(&whole[clean_from..line_start])?;
                self.inner
                    .write_all(&clean(&whole[line_start..line_end], self.escape_controls))?;
                clean_from = line_end;
            }
            self.inner.write_all(&whole[clean_from..])?;
        } else {
            self.inner.write_all(whole)?;
        }
        self.line.extend_from_slice(open);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.line.is_empty() {
            self.write_line()?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for SafeWriter<W> {
    fn drop(&mut self) {
        let _ = self.flush();
    }
}

/// One line (or the text of a message) with credentials masked and, with
/// `escape_controls`, control characters escaped.
pub fn clean(line: &[u8], escape_controls: bool) -> Cow<'_, [u8]> {
    let mut out = Cow::Borrowed(line);
    if escape_controls && has_controls(line) {
        out = Cow::Owned(escape(line));
    }
    if memchr::memchr(b'@', &out).is_some()
        && let Ok(text) = std::str::from_utf8(&out)
        && let Cow::Owned(masked) = mask_credentials(text)
    {
        out = Cow::Owned(masked.into_bytes());
    }
    out
}

/// [`clean`] for text.
pub fn clean_text(text: &str) -> Cow<'_, str> {
    match clean(text.as_bytes(), true) {
        Cow::Borrowed(_) => Cow::Borrowed(text),
        Cow::Owned(bytes) => Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()),
    }
}

/// URL user-info, and the user-info pip accepts in `--trusted-host`.
fn mask_credentials(text: &str) -> Cow<'_, str> {
    static TRUSTED_HOST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(--trusted-host[ =`'"]+)([^\s:@/`'"]*):[^\s/]+@"#).expect("valid pattern")
    });
    let masked = mask_url_credentials(text);
    if !masked.contains("--trusted-host") {
        return masked;
    }
    match TRUSTED_HOST.replace_all(&masked, "${1}${2}:****@") {
        Cow::Borrowed(_) => masked,
        Cow::Owned(replaced) => Cow::Owned(replaced),
    }
}

/// C0 controls but tab and line feed, a carriage return not before a line feed, DEL,
/// and C1 controls (U+0080–U+009F, two bytes in UTF-8).
fn control_len(bytes: &[u8], at: usize) -> usize {
    match bytes[at] {
        b'\t' | b'\n' => 0,
        b'\r' if bytes.get(at + 1) == Some(&b'\n') => 0,
        0x00..=0x1f | 0x7f => 1,
        0xc2 if bytes.get(at + 1).is_some_and(|b| (0x80..=0x9f).contains(b)) => 2,
        _ => 0,
    }
}

fn has_controls(bytes: &[u8]) -> bool {
    // Most text has none: the search is for a byte that may start one (a `\r` only when
    // no `\n` follows, `0xc2` only before a C1 code), then that byte is looked at.
    let may_start = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') | (b == 0x7f) | (b == 0xc2);
    let mut from = 0;
    while let Some(found) = crate::scan::first_where(&bytes[from..], may_start) {
        if control_len(bytes, from + found) > 0 {
            return true;
        }
        from += found + 1;
    }
    false
}

/// Each control character as `\xNN` (a C1 control as `\u{NN}`).
fn escape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() + 16);
    let mut at = 0;
    while at < bytes.len() {
        match control_len(bytes, at) {
            0 => {
                out.push(bytes[at]);
                at += 1;
            }
            1 => {
                out.extend_from_slice(format!("\\x{:02x}", bytes[at]).as_bytes());
                at += 1;
            }
            _ => {
                let code = u32::from(bytes[at + 1]);
                out.extend_from_slice(format!("\\u{{{code:x}}}").as_bytes());
                at += 2;
            }
        }
    }
    out
}

/// `text` with every control character replaced by `?` (a C1 control by `??`), byte
/// for byte, so spans into it stay valid: for source excerpts drawn by a renderer that
/// adds escape sequences of its own.
pub fn neutralize_controls(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    if !has_controls(bytes) {
        return Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    let mut at = 0;
    while at < bytes.len() {
        let len = control_len(bytes, at);
        for byte in &mut out[at..at + len] {
            *byte = b'?';
        }
        at += len.max(1);
    }
    // Only whole characters (one or two bytes, all ASCII or a whole C1 pair) changed.
    Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.replace(char::is_control, "?")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(text: &str, escape_controls: bool) -> String {
        let mut out = Vec::new();
        {
            let mut writer = SafeWriter::new(&mut out, escape_controls);
            // Split mid-URL: the writer works on whole lines.
            let (a, b) = text.split_at(text.len() / 2);
            writer.write_all(a.as_bytes()).unwrap();
            writer.write_all(b.as_bytes()).unwrap();
            writer.flush().unwrap();
        }
        String::from_utf8(out).unwrap()
    }

    /// Written in pieces of every size, the output is each line cleaned on its own.
    #[test]
    fn any_split_gives_each_line_cleaned() {
        let text = "ok line\nfoo @ https://u:SECRET@host/a.zip\nplain\n\x1b[2J bell\x07 and https://x:y@z/\n@\n\nno end @ https://a:b@c";
        for escape_controls in [true, false] {
            let expected: Vec<u8> = text
                .split_inclusive('\n')
                .flat_map(|line| clean(line.as_bytes(), escape_controls).into_owned())
                .collect();
            for size in 1..=text.len() {
                let mut out = Vec::new();
                {
                    let mut writer = SafeWriter::new(&mut out, escape_controls);
                    for piece in text.as_bytes().chunks(size) {
                        writer.write_all(piece).unwrap();
                    }
                    writer.flush().unwrap();
                }
                assert_eq!(
                    String::from_utf8_lossy(&out),
                    String::from_utf8_lossy(&expected),
                    "pieces of {size}, escape {escape_controls}"
                );
            }
        }
    }

    #[test]
    fn passwords_are_masked_whole_even_with_an_at_sign() {
        assert_eq!(
            written(
                "--index-url https://deploy:Pa@ssw0rd@idx.example/simple\nfoo @ https://u:SECRET@host/foo.zip ; python_version >>> \"3\"\n",
                true
            ),
            "--index-url https://deploy:****@idx.example/simple\nfoo @ https://u:****@host/foo.zip ; python_version >>> \"3\"\n"
        );
        assert_eq!(
            written("--trusted-host deploy:hunter2@pypi.internal\n", true),
            "--trusted-host deploy:****@pypi.internal\n"
        );
        assert_eq!(
            written(
                "      \"message\": \"`--trusted-host` `deploy:Pa@ssw0rd!x7Q@idx.example`: lost\"\n",
                true
            ),
            "      \"message\": \"`--trusted-host` `deploy:****@idx.example`: lost\"\n"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            written("a\x1b]0;owned\x07b\x1b[2Jc\u{9b}d\re\r\n\tf\n", true),
            "a\\x1b]0;owned\\x07b\\x1b[2Jc\\u{9b}d\\x0de\r\n\tf\n"
        );
        // The human report keeps its own colours.
        assert_eq!(
            written("\x1b[31mred\x1b[0m\n", false),
            "\x1b[31mred\x1b[0m\n"
        );
    }

    #[test]
    fn neutralized_text_keeps_its_length() {
        let text = "x\x1b]0;t\x07 é\u{85}\r\n";
        let neutral = neutralize_controls(text);
        assert_eq!(neutral.len(), text.len());
        assert_eq!(neutral, "x?]0;t? é??\r\n");
    }
}
