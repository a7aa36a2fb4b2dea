//! A stable JSON document: `{"findings":[…],"summary":{…},"version":1}`.
//! Lines and columns are 1-based; columns count characters. Keys are in alphabetical
//! order, as they always were.
//!
//! Each file's findings are serialised on their own, through serde's serializer, as
//! the run goes (see [`super::FileReport`]): no tree of the whole report is built.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeStruct;

use super::{FileReport, Placeholder, Summary};
use crate::manifest::text::LineCol;
use crate::policy::Finding;
use crate::project::SourceFile;

pub struct Json;

/// How deep a finding sits in the document: `{ "findings": [ {` .
const FINDING_INDENT: usize = 4;

impl FileReport for Json {
    fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        let (before, _) = super::split_document(&Document(&Summary::default()))?;
        out.write_all(&before)?;
        out.write_all(b"[")
    }

    fn file(
        &self,
        _file: Option<&SourceFile>,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        for (index, finding) in findings.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            super::pretty_at(&JsonFinding(finding), FINDING_INDENT, out)?;
        }
        Ok(())
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn end(&self, summary: &Summary, _unreadable: usize, out: &mut dyn Write) -> io::Result<()> {
        super::close_list(summary.total(), FINDING_INDENT - 2, out)?;
        let (_, after) = super::split_document(&Document(summary))?;
        out.write_all(&after)?;
        writeln!(out)
    }
}

/// The document, with a placeholder where the findings go.
struct Document<'a>(&'a Summary);

impl Serialize for Document<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_struct("Report", 3)?;
        document.serialize_field("findings", &Placeholder)?;
        document.serialize_field("summary", &JsonSummary(self.0))?;
        document.serialize_field("version", &1)?;
        document.end()
    }
}

struct JsonFinding<'a>(&'a Finding);

impl Serialize for JsonFinding<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let f = self.0;
        let mut item = serializer.serialize_struct("Finding", 12)?;
        item.serialize_field("column", &f.start.column)?;
        if let Some(url) = crate::docs::rule_url(&f.rule.name) {
            item.serialize_field("docs", &url)?;
        }
        item.serialize_field("end_column", &f.end.column)?;
        item.serialize_field("end_line", &f.end.line)?;
        if let Some(fix) = &f.fix {
            item.serialize_field(
                "fix",
                &JsonFix {
                    applicability: if fix.unsafe_fix { "unsafe" } else { "safe" },
                    edits: [JsonEdit {
                        content: &fix.replacement,
                        end: Position(fix.end),
                        start: Position(fix.start),
                    }],
                },
            )?;
        }
        item.serialize_field("fixable", &f.fix.is_some())?;
        item.serialize_field("help", &f.help)?;
        item.serialize_field("line", &f.start.line)?;
        item.serialize_field("message", &f.message)?;
        item.serialize_field("path", &f.path.display().to_string())?;
        item.serialize_field("rule", &f.rule.name)?;
        if let Some(section) = &f.section {
            item.serialize_field("section", &**section)?;
        }
        item.serialize_field("severity", f.severity.as_str())?;
        item.end()
    }
}

/// The fix of a finding: its edits (one today) and whether `--fix` applies it
/// (`safe`) or only `--unsafe-fixes` does (`unsafe`).
#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: [JsonEdit<'a>; 1],
}

/// Replace the text from `start` to `end` (1-based, end exclusive) with `content`.
#[derive(Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    end: Position,
    start: Position,
}

struct Position(LineCol);

impl Serialize for Position {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut position = serializer.serialize_struct("Position", 2)?;
        position.serialize_field("column", &self.0.column)?;
        position.serialize_field("line", &self.0.line)?;
        position.end()
    }
}

struct JsonSummary<'a>(&'a Summary);

impl Serialize for JsonSummary<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let s = self.0;
        let mut summary = serializer.serialize_struct("Summary", 7)?;
        summary.serialize_field("by_rule", &s.by_rule)?;
        summary.serialize_field("errors", &s.errors)?;
        summary.serialize_field("files", &s.files)?;
        summary.serialize_field("findings", &s.total())?;
        summary.serialize_field("fixable", &(s.fixable + s.unsafe_fixable))?;
        summary.serialize_field("infos", &s.infos)?;
        summary.serialize_field("warnings", &s.warnings)?;
        summary.end()
    }
}
