//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
//! finding, shown on the pull request's diff.
//!
//! GitHub reads `%`, CR and LF in a message, and additionally `:` and `,` in a property
//! value, as command syntax; they are percent-encoded as the Actions toolkit does, so a
//! message or path containing them cannot end the command early or forge another one.

use std::io::{self, Write};

use super::{FileReport, Summary};
use crate::policy::{Finding, Severity};
use crate::project::SourceFile;

pub struct Github;

impl FileReport for Github {
    fn begin(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn file(
        &self,
        _file: Option<&SourceFile>,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        let file = escape_property(&findings[0].path.display().to_string());
        for finding in findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            write!(
                out,
                "::{command} file={file},line={},col={},endLine={},endColumn={},title=pinwarden (",
                finding.start.line, finding.start.column, finding.end.line, finding.end.column,
            )?;
            push_escaped(out, &finding.rule.name, true);
            out.extend_from_slice(b")::");
            push_escaped(out, &finding.message, false);
            if let Some(help) = &finding.help {
                out.extend_from_slice(b"%0A");
                push_escaped(out, help, false);
            }
            out.push(b'\n');
        }
        Ok(())
    }

    fn end(&self, _summary: &Summary, _unreadable: usize, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// Escape a command property's value.
pub fn escape_property(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    push_escaped(&mut out, text, true);
    // Only ASCII bytes were replaced, by ASCII bytes.
    String::from_utf8(out).unwrap_or_default()
}

/// `text` escaped onto `out`: as a property's value (`property`), or as the message.
fn push_escaped(out: &mut Vec<u8>, text: &str, property: bool) {
    let mut rest = text.as_bytes();
    let special = |byte: u8| {
        (byte == b'%')
            | (byte == b'\r')
            | (byte == b'\n')
            | (property & ((byte == b':') | (byte == b',')))
    };
    while let Some(at) = crate::scan::first_where(rest, special) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(match rest[at] {
            b'%' => b"%25",
            b'\r' => b"%0D",
            b'\n' => b"%0A",
            b':' => b"%3A",
            _ => b"%2C",
        });
        rest = &rest[at + 1..];
    }
    out.extend_from_slice(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_command_syntax() {
        let mut message = Vec::new();
        push_escaped(&mut message, "50%\r\nnext::x", false);
        assert_eq!(message, b"50%25%0D%0Anext::x");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
