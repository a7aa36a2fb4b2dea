//! `path:line:col: severity[rule] message`, one line per finding: for editors and grep.

use std::io::{self, Write};

use super::{FileReport, Summary};
use crate::policy::Finding;
use crate::project::SourceFile;

pub struct Concise;

impl FileReport for Concise {
    fn begin(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn file(
        &self,
        _file: Option<&SourceFile>,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        // The path is the same on every line of the file: shown once.
        let path = findings[0].path.display().to_string();
        out.reserve(findings.len() * (path.len() + 96));
        for finding in findings {
            writeln!(
                out,
                "{path}:{}:{}: {}[{}] {}",
                finding.start.line,
                finding.start.column,
                finding.severity.as_str(),
                finding.rule.name,
                finding.message
            )?;
        }
        Ok(())
    }

    fn end(&self, _summary: &Summary, _unreadable: usize, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }
}
