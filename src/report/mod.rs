//! Renderers: one module per output format. Each takes the findings (already sorted)
//! and the files they point into, and writes text.

pub mod concise;
mod excerpt;
pub mod github;
pub mod human;
pub mod json;
mod json_text;
pub mod sarif;
pub mod statistics;
pub mod stream;
pub mod terminal;

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::Outcome;
use crate::policy::{Finding, Rule};
use crate::project::SourceFile;

use crate::policy::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

impl Format {
    pub const NAMES: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "human" | "full" => Some(Format::Human),
            "concise" => Some(Format::Concise),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" => Some(Format::Github),
            _ => None,
        }
    }
}

/// Options shared by the renderers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Terminal width for the human format.
    pub width: Option<usize>,
}

/// A report written file by file. Each file's findings are rendered on their own, on
/// any thread and in any order; the writer puts the pieces together in report order,
/// between what comes before the first finding and the end with the summary. So a run
/// can render each file as it is linted, and memory holds no more than one file's
/// findings at a time.
pub trait FileReport: Sync {
    /// What comes before the findings.
    fn begin(&self, out: &mut dyn Write) -> io::Result<()>;
    /// One file's findings, sorted and not empty; `file` is its record, with its text
    /// when the text is still at hand.
    fn file(
        &self,
        file: Option<&SourceFile>,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) -> io::Result<()>;
    /// What goes between the output of two files.
    fn separator(&self) -> &'static [u8] {
        b""
    }
    /// What comes after the findings: `unreadable` paths could not be read.
    fn end(&self, summary: &Summary, unreadable: usize, out: &mut dyn Write) -> io::Result<()>;
}

/// The report of `format`. `root` is the directory fingerprints name paths from, and
/// `rules` the rules findings may come from (SARIF describes those it reports).
pub fn file_report<'a>(
    format: Format,
    options: RenderOptions,
    root: &'a Path,
    rules: impl IntoIterator<Item = &'a Arc<Rule>>,
) -> Box<dyn FileReport + 'a> {
    match format {
        Format::Human => Box::new(human::Human::new(options)),
        Format::Concise => Box::new(concise::Concise),
        Format::Json => Box::new(json::Json),
        Format::Sarif => Box::new(sarif::Sarif::new(root, rules)),
        Format::Github => Box::new(github::Github),
    }
}

/// Write the report of a finished run.
pub fn render(
    format: Format,
    outcome: &Outcome,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules = outcome.findings.iter().map(|finding| &finding.rule);
    let report = file_report(format, options, &outcome.root, rules);
    write_all(&*report, outcome, out)
}

/// Write `outcome` with `report`: the files rendered in parallel a batch at a time and
/// written in order, so memory holds one batch of output, not the whole report.
pub fn write_all(
    report: &dyn FileReport,
    outcome: &Outcome,
    out: &mut dyn Write,
) -> io::Result<()> {
    use rayon::prelude::*;
    report.begin(out)?;
    // Findings are sorted by path: each file's are one run.
    let mut groups: Vec<std::ops::Range<usize>> = Vec::new();
    for (index, finding) in outcome.findings.iter().enumerate() {
        match groups.last_mut() {
            Some(group) if outcome.findings[group.start].path == finding.path => {
                group.end = index + 1;
            }
            _ => groups.push(index..index + 1),
        }
    }
    const BATCH: usize = 256;
    let mut first = true;
    for batch in groups.chunks(BATCH) {
        let rendered: Vec<Vec<u8>> = batch
            .par_iter()
            .map(|group| {
                let findings = &outcome.findings[group.clone()];
                let mut text = Vec::new();
                report.file(outcome.file(&findings[0].path), findings, &mut text)?;
                Ok(text)
            })
            .collect::<io::Result<_>>()?;
        for text in rendered {
            if !first {
                out.write_all(report.separator())?;
            }
            first = false;
            out.write_all(&text)?;
        }
    }
    report.end(&outcome.summary(), outcome.errors.len(), out)
}

/// `value` as pretty JSON placed `indent` spaces deep in a pretty document: the
/// reference the JSON report's findings, written directly, are held to.
#[cfg(test)]
pub(crate) fn pretty_at<T: Serialize>(
    value: &T,
    indent: usize,
    out: &mut Vec<u8>,
) -> io::Result<()> {
    out.push(b'\n');
    out.extend(std::iter::repeat_n(b' ', indent));
    let mut serializer = serde_json::Serializer::with_formatter(out, Indented::at(indent));
    value.serialize(&mut serializer)?;
    Ok(())
}

/// serde_json's pretty layout (two spaces a level) starting `depth` levels deep, so a
/// value serialised on its own is indented as it would be inside its document.
#[cfg(test)]
struct Indented {
    depth: usize,
    has_value: bool,
}

#[cfg(test)]
impl Indented {
    /// For a value whose first line is `indent` spaces deep (an even number).
    fn at(indent: usize) -> Self {
        Indented {
            depth: indent / 2,
            has_value: false,
        }
    }

    fn open<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, writer: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer)?;
        }
        writer.write_all(bracket)
    }

    fn new_line<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        const SPACES: [u8; 64] = [b' '; 64];
        writer.write_all(b"\n")?;
        let mut left = self.depth * 2;
        while left > 0 {
            let now = left.min(SPACES.len());
            writer.write_all(&SPACES[..now])?;
            left -= now;
        }
        Ok(())
    }

    fn element<W: ?Sized + Write>(&self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.new_line(writer)
    }
}

#[cfg(test)]
impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.open(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.close(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.element(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Stands in a document for the list of findings: the document is serialised whole,
/// and split where this stands, into what the report writes before the findings and
/// what it writes after them.
pub(crate) struct Placeholder;

const PLACEHOLDER: &str = "\0pinwarden:findings\0";

impl Serialize for Placeholder {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(PLACEHOLDER)
    }
}

/// `document` (holding one [`Placeholder`]) as pretty JSON, cut where the placeholder
/// is: what comes before the list of findings, and after it.
pub(crate) fn split_document<T: Serialize>(document: &T) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let json = serde_json::to_vec_pretty(document)?;
    let marker = serde_json::to_vec(PLACEHOLDER)?;
    let at = memchr::memmem::find(&json, &marker)
        .ok_or_else(|| io::Error::other("report document without its findings"))?;
    Ok((json[..at].to_vec(), json[at + marker.len()..].to_vec()))
}

/// The end of a pretty JSON list of `count` elements whose opening line is `indent`
/// spaces deep.
pub(crate) fn close_list(count: usize, indent: usize, out: &mut dyn Write) -> io::Result<()> {
    if count > 0 {
        out.write_all(b"\n")?;
        out.write_all(&b" ".repeat(indent))?;
    }
    out.write_all(b"]")
}

/// Counts for summaries: findings per severity, files checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_rule: BTreeMap<String, usize>,
    /// Findings `--fix` fixes, and those only `--unsafe-fixes` does.
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

impl Summary {
    pub fn of(outcome: &Outcome) -> Summary {
        let mut summary = Summary {
            files: outcome.files.iter().filter(|f| f.lint).count(),
            ..Summary::default()
        };
        summary.add(&outcome.findings);
        summary
    }

    /// Count `findings` in.
    pub fn add(&mut self, findings: &[Finding]) {
        for finding in findings {
            match finding.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            // The name is copied once per rule, not once per finding.
            match self.by_rule.get_mut(finding.rule.name.as_str()) {
                Some(count) => *count += 1,
                None => {
                    self.by_rule.insert(finding.rule.name.clone(), 1);
                }
            }
            match &finding.fix {
                Some(fix) if fix.unsafe_fix => self.unsafe_fixable += 1,
                Some(_) => self.fixable += 1,
                None => {}
            }
        }
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_written_on_its_own_is_laid_out_as_inside_its_document() {
        let value = serde_json::json!({
            "a": [1, {"b": [], "c": {}}, [[]]],
            "d": "line\nbreak",
            "e": {"f": null},
        });
        let document = serde_json::json!({"outer": {"list": [value.clone()]}});
        let whole = serde_json::to_string_pretty(&document).unwrap();
        let mut alone = Vec::new();
        pretty_at(&value, 6, &mut alone).unwrap();
        let alone = String::from_utf8(alone).unwrap();
        let expected = format!("{{\n  \"outer\": {{\n    \"list\": [{alone}\n    ]\n  }}\n}}");
        assert_eq!(whole, expected);
    }
}
