//! `path:line:col: severity[rule] message`, one line per finding: for editors and grep.

use std::io::{self, Write};

use crate::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    for finding in &outcome.findings {
        writeln!(
            out,
            "{}:{}:{}: {}[{}] {}",
            finding.path.display(),
            finding.start.line,
            finding.start.column,
            finding.severity.as_str(),
            finding.rule.name,
            finding.message
        )?;
    }
    Ok(())
}
