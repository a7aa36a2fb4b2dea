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
            let mut message = finding.message.clone();
            if let Some(help) = &finding.help {
                message.push('\n');
                message.push_str(help);
            }
            writeln!(
                out,
                "::{command} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                finding.start.line,
                finding.start.column,
                finding.end.line,
                finding.end.column,
                escape_property(&format!("pinwarden ({})", finding.rule.name)),
                escape_data(&message),
            )?;
        }
        Ok(())
    }

    fn end(&self, _summary: &Summary, _unreadable: usize, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}

/// Escape a command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape a command property's value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_command_syntax() {
        assert_eq!(escape_data("50%\r\nnext::x"), "50%25%0D%0Anext::x");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
