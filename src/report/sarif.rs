//! SARIF 2.1.0: one run, the rules the findings refer to (with their documentation),
//! and one result per finding with its region and a stable fingerprint. Columns count
//! Unicode code points, as the run declares. No source text is ever included, so a
//! secret finding shows only its (redacted) message.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Component, Path};
use std::sync::Arc;

use serde_json::{Value, json};

use crate::Outcome;
use crate::baseline;
use crate::manifest::Span;
use crate::policy::rule::documentation;
use crate::policy::{Rule, Severity};

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
    let fingerprints = baseline::fingerprints(outcome);
    let results: Vec<Value> = outcome
        .findings
        .iter()
        .zip(&fingerprints)
        .map(|(finding, fingerprint)| {
            let uri = uri(&finding.path);
            let mut text = finding.message.clone();
            if let Some(help) = &finding.help {
                text.push('\n');
                text.push_str(help);
            }
            let mut result = json!({
                "ruleId": finding.rule.name,
                "ruleIndex": rule_index[finding.rule.name.as_str()],
                "level": level(finding.severity),
                "message": { "text": text },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": uri },
                        "region": {
                            "startLine": finding.start.line,
                            "startColumn": finding.start.column,
                            "endLine": finding.end.line,
                            "endColumn": finding.end.column,
                        },
                    },
                }],
                "partialFingerprints": { "pinwarden/v1": fingerprint },
            });
            let related: Vec<Value> = finding
                .related
                .iter()
                .enumerate()
                .filter_map(|(id, related)| {
                    Some(json!({
                        "id": id,
                        "message": { "text": related.text },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri },
                            "region": region(outcome, &finding.path, &related.span)?,
                        },
                    }))
                })
                .collect();
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            result
        })
        .collect();
    let descriptors: Vec<Value> = rules.values().map(|rule| descriptor(rule)).collect();
    let document = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "pinwarden",
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": descriptors,
                },
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

fn descriptor(rule: &Rule) -> Value {
    let mut tags = vec!["security", "dependencies"];
    if rule.redact {
        tags.push("secret");
    }
    json!({
        "id": rule.name,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.docs.trim() },
        "help": {
            "text": rule.help.clone().unwrap_or_else(|| rule.summary.clone()),
            "markdown": documentation(rule),
        },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": { "tags": tags },
    })
}

fn region(outcome: &Outcome, path: &Path, span: &Span) -> Option<Value> {
    let file = outcome.file(path)?;
    let text = &file.manifest.text;
    let start = file.index.line_col(text, span.start);
    let end = file.index.line_col(text, span.end);
    Some(json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    }))
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
