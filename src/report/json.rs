//! A stable JSON document: `{"version":1,"findings":[…],"summary":{…}}`.
//! Lines and columns are 1-based; columns count characters.

use std::io::{self, Write};

use serde_json::json;

use super::Summary;
use crate::Outcome;

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let findings: Vec<_> = outcome
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule.name,
                "severity": f.severity.as_str(),
                "path": f.path.display().to_string(),
                "line": f.start.line,
                "column": f.start.column,
                "end_line": f.end.line,
                "end_column": f.end.column,
                "message": f.message,
                "help": f.help,
                "fixable": f.fix.is_some(),
            })
        })
        .collect();
    let summary = Summary::of(outcome);
    let document = json!({
        "version": 1,
        "findings": findings,
        "summary": {
            "files": summary.files,
            "findings": summary.total(),
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "by_rule": summary.by_rule,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}
