//! A stable JSON document: `{"findings":[…],"summary":{…},"version":1}`.
//! Lines and columns are 1-based; columns count characters. Keys are in alphabetical
//! order, as they always were.
//!
//! Each file's findings are written on their own as the run goes (see
//! [`super::FileReport`]), byte for byte as serde_json's pretty printer lays them out
//! in the document: no tree of the whole report is built.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::SerializeStruct;

use super::json_text::{json_number, json_string};
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
            write_finding(finding, out);
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

/// Writes `finding` as serde_json's pretty printer lays out [`JsonFinding`] at
/// [`FINDING_INDENT`], after a line break: keys, indents and fixed values are this
/// module's own literals, strings are escaped as serde_json escapes them (the tests hold
/// the two equal). Most of a large report is findings, and serde_json escaped them a
/// byte at a time.
fn write_finding(finding: &Finding, out: &mut Vec<u8>) {
    // A finding's fields are `FINDING_INDENT + 2` spaces deep.
    let key = |out: &mut Vec<u8>, name: &str| {
        out.extend_from_slice(b",\n      \"");
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(b"\": ");
    };
    out.extend_from_slice(b"\n    {\n      \"column\": ");
    json_number(out, finding.start.column);
    if let Some(url) = crate::docs::rule_url(&finding.rule.name) {
        key(out, "docs");
        json_string(out, &url);
    }
    key(out, "end_column");
    json_number(out, finding.end.column);
    key(out, "end_line");
    json_number(out, finding.end.line);
    if let Some(fix) = &finding.fix {
        key(out, "fix");
        out.extend_from_slice(b"{\n        \"applicability\": ");
        json_string(out, if fix.unsafe_fix { "unsafe" } else { "safe" });
        out.extend_from_slice(b",\n        \"edits\": [\n          {\n            \"content\": ");
        json_string(out, &fix.replacement);
        out.extend_from_slice(b",\n            \"end\": ");
        write_position(fix.end, out);
        out.extend_from_slice(b",\n            \"start\": ");
        write_position(fix.start, out);
        out.extend_from_slice(b"\n          }\n        ]\n      }");
    }
    key(out, "fixable");
    out.extend_from_slice(if finding.fix.is_some() {
        b"true"
    } else {
        b"false"
    });
    key(out, "help");
    match &finding.help {
        Some(help) => json_string(out, help),
        None => out.extend_from_slice(b"null"),
    }
    key(out, "line");
    json_number(out, finding.start.line);
    key(out, "message");
    json_string(out, &finding.message);
    key(out, "path");
    match finding.path.to_str() {
        Some(path) => json_string(out, path),
        None => json_string(out, &finding.path.display().to_string()),
    }
    key(out, "rule");
    json_string(out, &finding.rule.name);
    if let Some(section) = &finding.section {
        key(out, "section");
        json_string(out, section);
    }
    key(out, "severity");
    json_string(out, finding.severity.as_str());
    out.extend_from_slice(b"\n    }");
}

/// An edit's end or start, an object in the edit's object.
fn write_position(at: LineCol, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\n              \"column\": ");
    json_number(out, at.column);
    out.extend_from_slice(b",\n              \"line\": ");
    json_number(out, at.line);
    out.extend_from_slice(b"\n            }");
}

/// The finding as serde lays it out: the reference [`write_finding`] is held to.
#[cfg(test)]
struct JsonFinding<'a>(&'a Finding);

#[cfg(test)]
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
#[cfg(test)]
#[derive(Serialize)]
struct JsonFix<'a> {
    applicability: &'static str,
    edits: [JsonEdit<'a>; 1],
}

/// Replace the text from `start` to `end` (1-based, end exclusive) with `content`.
#[cfg(test)]
#[derive(Serialize)]
struct JsonEdit<'a> {
    content: &'a str,
    end: Position,
    start: Position,
}

#[cfg(test)]
struct Position(LineCol);

#[cfg(test)]
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{RuleSet, Severity};
    use std::path::Path;
    use std::sync::Arc;

    /// The finding written directly is byte for byte what serde_json's pretty printer
    /// makes of [`JsonFinding`] in its place in the document (which
    /// `super::super::tests` holds to the whole document's layout), with and without
    /// each optional field, and for every kind of text a finding can carry.
    #[test]
    fn a_finding_written_directly_is_what_serde_json_writes() {
        use crate::policy::engine::Edit;
        let rules = RuleSet::builtin().unwrap();
        let at = |line, column| LineCol { line, column };
        #[cfg(unix)]
        let odd_path = {
            use std::os::unix::ffi::OsStrExt;
            Path::new(std::ffi::OsStr::from_bytes(b"dir/req\xff.txt")).to_path_buf()
        };
        #[cfg(not(unix))]
        let odd_path = Path::new("dir\\req.txt").to_path_buf();
        let mut checked = 0;
        for (n, text) in super::super::json_text::KINDS_OF_TEXT.iter().enumerate() {
            for (variant, rule) in [
                "version-range",
                "unpinned-requirement",
                "hash-checking-mode",
            ]
            .iter()
            .enumerate()
            {
                let rule = Arc::clone(rules.get(rule).unwrap());
                let fix = (variant != 1).then(|| {
                    Box::new(Edit {
                        span: 0..1,
                        replacement: format!("flask=={text}"),
                        unsafe_fix: variant == 2,
                        relock: None,
                        start: at(n + 1, 3),
                        end: at(n + 2, 40),
                    })
                });
                let path: &Path = if variant == 2 {
                    &odd_path
                } else {
                    Path::new("a b/requirements.txt")
                };
                let finding = Finding {
                    rule,
                    severity: [Severity::Error, Severity::Warning, Severity::Info][variant],
                    path: Arc::from(path),
                    span: 0..1,
                    start: at(n + 1, 7),
                    end: at(n + 10, 1234),
                    message: text.to_string(),
                    label: None,
                    help: (variant != 0).then(|| Arc::from(*text)),
                    related: Vec::new(),
                    secret: None,
                    fix,
                    section: (variant != 1).then(|| Arc::from(format!("project.{text}"))),
                    fingerprint_line: None,
                };
                let mut direct = Vec::new();
                write_finding(&finding, &mut direct);
                let mut reference = Vec::new();
                super::super::pretty_at(&JsonFinding(&finding), FINDING_INDENT, &mut reference)
                    .unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&direct),
                    String::from_utf8_lossy(&reference)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 15);
    }
}
