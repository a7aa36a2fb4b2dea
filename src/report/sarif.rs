//! SARIF 2.1.0: one run, the rules the findings refer to (with their documentation),
//! and one result per finding with its region and a stable fingerprint. Columns count
//! Unicode code points, as the run declares. No source text is ever included, so a
//! secret finding shows only its (redacted) message.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path};
use std::sync::Arc;

use serde::Serialize;
use serde::ser::SerializeSeq;
use serde_json::{Value, json};

use crate::policy::rule::documentation;
use crate::policy::{Finding, Rule, Severity};
use crate::{Outcome, baseline, docs};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

pub fn render(outcome: &Outcome, out: &mut dyn Write) -> io::Result<()> {
    let rules: BTreeMap<&str, &Arc<Rule>> = outcome
        .findings
        .iter()
        .map(|f| (f.rule.name.as_str(), &f.rule))
        .collect();
    let rule_index: BTreeMap<&str, usize> = rules
        .keys()
        .enumerate()
        .map(|(i, name)| (*name, i))
        .collect();
    let root = std::env::current_dir()
        .ok()
        .map(|dir| format!("{}/", uri(&dir).trim_end_matches('/')));
    let document = Document {
        schema: SCHEMA,
        runs: [Run {
            column_kind: "unicodeCodePoints",
            original_uri_base_ids: root.map(|uri| BTreeMap::from([(SRCROOT, BaseUri { uri })])),
            results: Results {
                outcome,
                rule_index: &rule_index,
                fingerprinter: std::cell::RefCell::new(baseline::Fingerprinter::new(outcome)),
                last_uri: Default::default(),
            },
            tool: Tool {
                driver: Driver {
                    information_uri: docs::home(),
                    name: "pinwarden",
                    rules: rules.values().map(|rule| descriptor(rule)).collect(),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    version: env!("CARGO_PKG_VERSION"),
                },
            },
        }],
        version: "2.1.0",
    };
    // Written as it is serialised, result by result: no tree of the whole log. The
    // serialiser writes a token at a time; gathered into large blocks first, they pass
    // the output filter whole (see `SafeWriter`) instead of a line at a time.
    let mut blocks = io::BufWriter::with_capacity(super::BLOCK, &mut *out);
    serde_json::to_writer_pretty(&mut blocks, &document)?;
    writeln!(blocks)?;
    blocks.flush()
}

/// Relative URIs are relative to the directory the check ran in, which the log names.
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Document<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<'a>; 1],
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    column_kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BTreeMap<&'static str, BaseUri>>,
    results: Results<'a>,
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

/// The results, each built and written in turn.
struct Results<'a> {
    outcome: &'a Outcome,
    rule_index: &'a BTreeMap<&'a str, usize>,
    fingerprinter: std::cell::RefCell<baseline::Fingerprinter<'a>>,
    /// The URI of the file the last result was about: findings come file by file.
    last_uri: std::cell::RefCell<(std::path::PathBuf, String)>,
}

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.outcome.findings.len()))?;
        let mut fingerprinter = self.fingerprinter.borrow_mut();
        for finding in &self.outcome.findings {
            let fingerprint = fingerprinter.next(finding);
            seq.serialize_element(&self.result(finding, fingerprint))?;
        }
        seq.end()
    }
}

impl Results<'_> {
    fn result<'f>(&self, finding: &'f Finding, fingerprint: String) -> SarifResult<'f> {
        let uri = {
            let mut last = self.last_uri.borrow_mut();
            if *last.0 != *finding.path || last.1.is_empty() {
                *last = (finding.path.to_path_buf(), uri(&finding.path));
            }
            last.1.clone()
        };
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
                    text: related.text.clone(),
                },
                physical_location: PhysicalLocation {
                    artifact_location: ArtifactLocation {
                        uri: uri.clone(),
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
            message: Message { text },
            partial_fingerprints: Fingerprints {
                pinwarden: fingerprint,
            },
            related_locations: (!related.is_empty()).then_some(related),
            rule_id: &finding.rule.name,
            rule_index: self.rule_index[finding.rule.name.as_str()],
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: [Location; 1],
    message: Message,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Option::is_none")]
    related_locations: Option<Vec<RelatedLocation>>,
    rule_id: &'a str,
    rule_index: usize,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "pinwarden/v1")]
    pinwarden: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation {
    id: usize,
    message: Message,
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(rename = "uriBaseId", skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
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

    #[test]
    fn uris_are_relative_references_with_escapes() {
        assert_eq!(uri(Path::new("requirements.txt")), "requirements.txt");
        assert_eq!(uri(Path::new("./a b/req#1.txt")), "a%20b/req%231.txt");
        assert_eq!(uri(Path::new("/srv/app/x.txt")), "file:///srv/app/x.txt");
        assert_eq!(uri(Path::new("é.txt")), "%C3%A9.txt");
    }
}
