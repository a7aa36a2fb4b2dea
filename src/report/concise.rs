//! `path:line:col: severity[rule] message`, one line per finding: for editors and grep.

use std::io::{self, Write};

use rayon::prelude::*;

use crate::Outcome;
use crate::policy::Finding;

/// Findings formatted per batch: on a large run formatting is most of the report's
/// time, and batches are formatted in parallel, then written in order.
const BATCH: usize = 2048;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let batches: Vec<Vec<u8>> = outcome
        .findings
        .par_chunks(BATCH)
        .map(|findings| {
            let mut text = Vec::with_capacity(findings.len() * 128);
            for finding in findings {
                line(finding, &mut text)?;
            }
            Ok(text)
        })
        .collect::<io::Result<_>>()?;
    for text in batches {
        out.write_all(&text)?;
    }
    Ok(())
}

fn line(finding: &Finding, out: &mut Vec<u8>) -> io::Result<()> {
    writeln!(
        out,
        "{}:{}:{}: {}[{}] {}",
        finding.path.display(),
        finding.start.line,
        finding.start.column,
        finding.severity.as_str(),
        finding.rule.name,
        finding.message
    )
}
