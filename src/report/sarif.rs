//! SARIF 2.1.0: one run, one result per finding with its region and a stable
//! fingerprint, then the rules the results refer to (with their documentation), known
//! once every file is written. A result names its rule by `ruleId` alone: its place in
//! the list of rules is not known when it is written. Columns count
//! Unicode code points, as the run declares. No source text is ever included, so a
//! secret finding shows only its (redacted) message.
//!
//! The log is indented but each result is one line of compact JSON: a large log is a
//! third smaller (an upload has a size limit) and still reads one result per line.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::path::{Component, Path};
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};

use super::json_text::{json_contents, json_number, json_string};
use super::{FileReport, Placeholder, Summary};
use crate::policy::rule::documentation;
use crate::policy::{Finding, Rule, Severity};
use crate::project::SourceFile;
use crate::{baseline, docs};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF report. `root` is the directory fingerprints name paths from.
pub struct Sarif<'a> {
    root: Option<crate::config::RelativeTo>,
    /// Rules by name, to describe those the findings came from.
    rules: HashMap<&'a str, &'a Arc<Rule>>,
    /// The directory the check ran in, as a URI: relative URIs are relative to it.
    base: Option<String>,
}

impl<'a> Sarif<'a> {
    pub fn new(root: &'a Path, rules: impl IntoIterator<Item = &'a Arc<Rule>>) -> Self {
        Sarif {
            root: crate::config::RelativeTo::new(root),
            rules: rules
                .into_iter()
                .map(|rule| (rule.name.as_str(), rule))
                .collect(),
            base: std::env::current_dir()
                .ok()
                .map(|dir| format!("{}/", uri(&dir).trim_end_matches('/'))),
        }
    }

    /// The log, with a placeholder for the results and the rules of `summary`.
    fn document(&self, summary: &Summary) -> Document {
        Document {
            schema: SCHEMA,
            runs: [Run {
                column_kind: "unicodeCodePoints",
                original_uri_base_ids: self
                    .base
                    .clone()
                    .map(|uri| BTreeMap::from([(SRCROOT, BaseUri { uri })])),
                results: Placeholder,
                tool: Tool {
                    driver: Driver {
                        information_uri: docs::home(),
                        name: "pinwarden",
                        rules: summary
                            .by_rule
                            .keys()
                            .filter_map(|name| self.rules.get(name.as_str()))
                            .map(|rule| descriptor(rule))
                            .collect(),
                        semantic_version: env!("CARGO_PKG_VERSION"),
                        version: env!("CARGO_PKG_VERSION"),
                    },
                },
            }],
            version: "2.1.0",
        }
    }
}

/// How deep a result sits in the log: `{ "runs": [ { "results": [ {` .
const RESULT_INDENT: usize = 8;

impl FileReport for Sarif<'_> {
    fn begin(&self, out: &mut dyn Write) -> io::Result<()> {
        let (before, _) = super::split_document(&self.document(&Summary::default()))?;
        out.write_all(&before)?;
        out.write_all(b"[")
    }

    fn file(
        &self,
        file: Option<&SourceFile>,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        let mut fingerprinter = baseline::Fingerprinter::of_file(self.root.as_ref(), file);
        let uri = uri(&findings[0].path);
        for (index, finding) in findings.iter().enumerate() {
            if index > 0 {
                out.push(b',');
            }
            let fingerprint = fingerprinter.next(finding);
            out.push(b'\n');
            out.extend(std::iter::repeat_n(b' ', RESULT_INDENT));
            write_result(finding, &uri, &fingerprint, out);
        }
        Ok(())
    }

    fn separator(&self) -> &'static [u8] {
        b","
    }

    fn end(&self, summary: &Summary, _unreadable: usize, out: &mut dyn Write) -> io::Result<()> {
        super::close_list(summary.total(), RESULT_INDENT - 2, out)?;
        let (_, after) = super::split_document(&self.document(summary))?;
        out.write_all(&after)?;
        writeln!(out)
    }
}

/// Relative URIs are relative to the directory the check ran in, which the log names.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Document {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, BaseUri>>,
    results: Placeholder,
    tool: Tool,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<String>,
    name: &'static str,
    rules: Vec<Value>,
    semantic_version: &'static str,
    version: &'static str,
}

/// Writes `finding`'s result, in the file at `uri`, as one line of compact JSON: the
/// bytes serde_json makes of [`tests::SarifResult`] (the test suite holds the two
/// equal), written directly: keys and fixed values are this module's own literals,
/// and a string is copied whole unless it holds a character JSON escapes. A large log
/// is most of a run's output, and serde_json escaped it a byte at a time.
fn write_result(finding: &Finding, uri: &str, fingerprint: &str, out: &mut Vec<u8>) {
    let base = !uri.starts_with("file:");
    out.extend_from_slice(b"{\"level\":\"");
    out.extend_from_slice(level(finding.severity).as_bytes());
    out.extend_from_slice(b"\",\"locations\":[{");
    write_physical_location(out, uri, base, finding.start, finding.end);
    out.extend_from_slice(b"}],\"message\":{\"text\":");
    // The message, and on its next line the help.
    out.push(b'"');
    json_contents(out, &finding.message);
    if let Some(help) = &finding.help {
        out.extend_from_slice(b"\\n");
        json_contents(out, help);
    }
    out.push(b'"');
    out.extend_from_slice(b"},\"partialFingerprints\":{\"pinwarden/v1\":");
    json_string(out, fingerprint);
    out.push(b'}');
    if !finding.related.is_empty() {
        out.extend_from_slice(b",\"relatedLocations\":[");
        for (id, related) in finding.related.iter().enumerate() {
            if id > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"id\":");
            json_number(out, id);
            out.extend_from_slice(b",\"message\":{\"text\":");
            json_string(out, &related.text);
            out.extend_from_slice(b"},");
            write_physical_location(out, uri, base, related.start, related.end);
            out.push(b'}');
        }
        out.push(b']');
    }
    out.extend_from_slice(b",\"ruleId\":");
    json_string(out, &finding.rule.name);
    out.push(b'}');
}

/// `"physicalLocation":{…}`, the file and the region from `start` to `end`.
fn write_physical_location(
    out: &mut Vec<u8>,
    uri: &str,
    base: bool,
    start: crate::manifest::text::LineCol,
    end: crate::manifest::text::LineCol,
) {
    out.extend_from_slice(b"\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
    json_string(out, uri);
    if base {
        out.extend_from_slice(b",\"uriBaseId\":");
        json_string(out, SRCROOT);
    }
    out.extend_from_slice(b"},\"region\":{\"endColumn\":");
    json_number(out, end.column);
    out.extend_from_slice(b",\"endLine\":");
    json_number(out, end.line);
    out.extend_from_slice(b",\"startColumn\":");
    json_number(out, start.column);
    out.extend_from_slice(b",\"startLine\":");
    json_number(out, start.line);
    out.extend_from_slice(b"}}");
}

/// GitHub code scanning ranks alerts by `security-severity`, a CVSS-like score: a
/// leaked secret highest, then errors, warnings and notes.
fn security_severity(rule: &Rule) -> &'static str {
    match (rule.redact, rule.severity) {
        (true, _) => "9.0",
        (false, Severity::Error) => "7.0",
        (false, Severity::Warning) => "4.0",
        (false, Severity::Info) => "1.0",
    }
}

fn descriptor(rule: &Rule) -> Value {
    let mut tags = vec!["security", "dependencies"];
    if rule.redact {
        tags.push("secret");
    }
    let mut descriptor = json!({
        "id": rule.name,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.docs.trim() },
        "help": {
            "text": rule.help.clone().unwrap_or_else(|| rule.summary.clone()),
            "markdown": documentation(rule),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": tags, "security-severity": security_severity(rule) },
    });
    if let Some(url) = docs::rule_url(&rule.name) {
        descriptor["helpUri"] = Value::String(url);
    }
    descriptor
}

/// A URI reference for a path: relative paths stay relative (to the directory the
/// check ran in), with `/` separators; absolute paths become `file://` URIs.
pub fn uri(path: &Path) -> String {
    let mut parts = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::RootDir => absolute = true,
            Component::Prefix(prefix) => {
                absolute = true;
                parts.push(prefix.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::CurDir => {}
            other => parts.push(percent_encode(&other.as_os_str().to_string_lossy())),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("file:///{joined}")
    } else {
        joined
    }
}

/// Percent-encode everything but RFC 3986 unreserved characters and sub-delimiters
/// that are safe in a path segment.
fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    /// The result for `finding`, in the file at `uri`.
    pub(super) fn result<'f>(
        finding: &'f Finding,
        uri: &'f str,
        fingerprint: String,
    ) -> SarifResult<'f> {
        let base = (!uri.starts_with("file:")).then_some(SRCROOT);
        let mut text = finding.message.clone();
        if let Some(help) = &finding.help {
            text.push('\n');
            text.push_str(help);
        }
        let related: Vec<RelatedLocation> = finding
            .related
            .iter()
            .enumerate()
            .map(|(id, related)| RelatedLocation {
                id,
                message: Message {
                    text: std::borrow::Cow::Borrowed(&related.text),
                },
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri,
                        uri_base_id: base,
                    },
                    region: Region {
                        end_column: related.end.column,
                        end_line: related.end.line,
                        start_column: related.start.column,
                        start_line: related.start.line,
                    },
                },
            })
            .collect();
        SarifResult {
            level: level(finding.severity),
            locations: [Location {
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri,
                        uri_base_id: base,
                    },
                    region: Region {
                        end_column: finding.end.column,
                        end_line: finding.end.line,
                        start_column: finding.start.column,
                        start_line: finding.start.line,
                    },
                },
            }],
            message: Message {
                text: std::borrow::Cow::Owned(text),
            },
            partial_fingerprints: Fingerprints {
                pinwarden: fingerprint,
            },
            related_locations: (!related.is_empty()).then_some(related),
            rule_id: &finding.rule.name,
        }
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct SarifResult<'a> {
        level: &'static str,
        locations: [Location<'a>; 1],
        message: Message<'a>,
        partial_fingerprints: Fingerprints,
        #[serde(skip_serializing_if = "Option::is_none")]
        related_locations: Option<Vec<RelatedLocation<'a>>>,
        rule_id: &'a str,
    }

    #[derive(Serialize)]
    struct Fingerprints {
        #[serde(rename = "pinwarden/v1")]
        pinwarden: String,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Location<'a> {
        physical_location: PhysicalLocation<'a>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct RelatedLocation<'a> {
        id: usize,
        message: Message<'a>,
        physical_location: PhysicalLocation<'a>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct PhysicalLocation<'a> {
        artifact_location: ArtifactLocation<'a>,
        region: Region,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ArtifactLocation<'a> {
        uri: &'a str,
        #[serde(rename = "uriBaseId", skip_serializing_if = "Option::is_none")]
        uri_base_id: Option<&'static str>,
    }

    #[derive(Serialize)]
    struct Message<'a> {
        text: std::borrow::Cow<'a, str>,
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Region {
        end_column: usize,
        end_line: usize,
        start_column: usize,
        start_line: usize,
    }

    /// The hand-written result is byte for byte what serde_json makes of the schema's
    /// structs, for every kind of text a finding can carry.
    #[test]
    fn a_result_written_directly_is_what_serde_json_writes() {
        use crate::manifest::text::LineCol;
        use crate::policy::engine::Related;
        let rules = crate::policy::RuleSet::builtin().unwrap();
        let rule = rules.get("version-range").unwrap();
        let at = |line, column| LineCol { line, column };
        let mut checked = 0;
        for (n, text) in super::super::json_text::KINDS_OF_TEXT.iter().enumerate() {
            for (help, related, uri) in [
                (None, vec![], "requirements.txt"),
                (Some(text.to_string()), vec![], "a%20b/req.txt"),
                (
                    Some("Pin `==X.Y.Z`.".to_string()),
                    vec![
                        Related {
                            span: 0..1,
                            text: text.to_string(),
                            start: at(1, 1),
                            end: at(1, 2),
                        },
                        Related {
                            span: 3..9,
                            text: "also \"here\"".into(),
                            start: at(12, 3),
                            end: at(14, 120),
                        },
                    ],
                    "file:///srv/app/requirements.txt",
                ),
            ] {
                let finding = Finding {
                    rule: std::sync::Arc::clone(rule),
                    severity: [Severity::Error, Severity::Warning, Severity::Info][n % 3],
                    path: std::sync::Arc::from(Path::new("requirements.txt")),
                    span: 0..1,
                    start: at(n + 1, 7),
                    end: at(n + 10, 1234),
                    message: text.to_string(),
                    label: None,
                    help: help.map(std::sync::Arc::from),
                    related,
                    secret: None,
                    fix: None,
                    section: None,
                    fingerprint_line: None,
                };
                let fingerprint =
                    "7585362c9474405444fbbc38e5bbf4f3731b7e0553198b3c48c796457555e7a6";
                let mut direct = Vec::new();
                write_result(&finding, uri, fingerprint, &mut direct);
                let reference =
                    serde_json::to_vec(&result(&finding, uri, fingerprint.to_string())).unwrap();
                assert_eq!(
                    String::from_utf8_lossy(&direct),
                    String::from_utf8_lossy(&reference)
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 15);
    }

    #[test]
    fn uris_are_relative_references_with_escapes() {
        assert_eq!(uri(Path::new("requirements.txt")), "requirements.txt");
        assert_eq!(uri(Path::new("./a b/req#1.txt")), "a%20b/req%231.txt");
        assert_eq!(uri(Path::new("/srv/app/x.txt")), "file:///srv/app/x.txt");
        assert_eq!(uri(Path::new("é.txt")), "%C3%A9.txt");
    }
}
