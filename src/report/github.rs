//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
//! finding, shown on the pull request's diff.
//!
//! GitHub reads `%`, CR and LF in a message, and additionally `:` and `,` in a property
//! value, as command syntax; they are percent-encoded as the Actions toolkit does, so a
//! message or path containing them cannot end the command early or forge another one.

use std::io::{self, Write};

use crate::Outcome;
use crate::policy::Severity;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    for finding in &outcome.findings {
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
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(&finding.path.display().to_string()),
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
