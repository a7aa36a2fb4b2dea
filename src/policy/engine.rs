//! Rules × items → findings.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use super::fields::{Context, Subject, Value};
use super::rule::{Condition, Rule};
use crate::manifest::text::{LineCol, LineIndex, clamp_span};
use crate::manifest::{Item, Manifest, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// An extra labelled place in the same file (e.g. the first of two duplicates).
#[derive(Debug, Clone, PartialEq)]
pub struct Related {
    pub span: Span,
    pub text: String,
}

/// A replacement of one span of a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

/// One violation, located in one file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<Rule>,
    pub severity: Severity,
    pub path: PathBuf,
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    pub message: String,
    pub label: Option<String>,
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// Bytes of the file that hold a secret: never shown in any source excerpt.
    pub secret: Option<Span>,
    pub fix: Option<Edit>,
}

impl Finding {
    /// Build a finding, computing line/column from the file's line index.
    pub fn new(
        rule: &Arc<Rule>,
        manifest: &Manifest,
        index: &LineIndex,
        span: Span,
        message: String,
    ) -> Finding {
        let span = clamp_span(&manifest.text, span);
        Finding {
            rule: Arc::clone(rule),
            severity: rule.severity,
            path: manifest.path.clone(),
            start: index.line_col(&manifest.text, span.start),
            end: index.line_col(&manifest.text, span.end),
            span,
            message,
            label: None,
            help: None,
            related: Vec::new(),
            secret: None,
            fix: None,
        }
    }

    /// Sort key: path, then position, then rule.
    pub fn sort_key(&self) -> (&PathBuf, usize, usize, &str) {
        (&self.path, self.span.start, self.span.end, &self.rule.name)
    }
}

/// Evaluate the per-item rules in `rules` over one manifest. `template` says whether
/// an env file is a template (for the `file` item).
pub fn evaluate_manifest(
    rules: &[Arc<Rule>],
    manifest: &Manifest,
    index: &LineIndex,
    template: bool,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    let file_subject = Context {
        subject: Subject::File { template },
        kind: manifest.kind,
        path: &manifest.path,
    };
    for rule in rules {
        if !rule.applies_to_kind(manifest.kind) || matches!(rule.condition, Condition::Check(_)) {
            continue;
        }
        if rule.item_types.iter().any(|t| t == "file") && rule_matches(rule, &file_subject) {
            let span = 0..manifest
                .text
                .find(['\r', '\n'])
                .unwrap_or(manifest.text.len());
            findings.push(finding_for(rule, manifest, index, &file_subject, span));
        }
        for item in &manifest.items {
            if !rule.item_types.iter().any(|t| t == item.type_name()) {
                continue;
            }
            if let (Some(sections), Item::Requirement(req)) = (&rule.sections, item)
                && !sections.is_match(&req.section)
            {
                continue;
            }
            let ctx = Context {
                subject: Subject::Item(item),
                kind: manifest.kind,
                path: &manifest.path,
            };
            if rule_matches(rule, &ctx) {
                let span = default_span(rule, &ctx, item);
                findings.push(finding_for(rule, manifest, index, &ctx, span));
            }
        }
    }
    findings
}

fn rule_matches(rule: &Rule, ctx: &Context) -> bool {
    match &rule.condition {
        Condition::Always => true,
        Condition::When(predicate) => predicate.eval(&|field| ctx.get(field)),
        Condition::Check(_) => false,
    }
}

/// The primary span: the labelled field's span if it has one, else the item's.
fn default_span(rule: &Rule, ctx: &Context, item: &Item) -> Span {
    rule.label
        .as_ref()
        .and_then(|label| label.field.as_deref())
        .and_then(|field| ctx.span_of(field))
        .unwrap_or_else(|| item.span())
}

fn finding_for(
    rule: &Arc<Rule>,
    manifest: &Manifest,
    index: &LineIndex,
    ctx: &Context,
    span: Span,
) -> Finding {
    let lookup = |field: &str| display_value(rule, ctx, field);
    let mut finding = Finding::new(
        rule,
        manifest,
        index,
        span,
        interpolate(&rule.message, &lookup),
    );
    finding.label = rule.label.as_ref().map(|l| interpolate(&l.text, &lookup));
    finding.help = rule.help.as_ref().map(|h| interpolate(h, &lookup));
    if rule.redact {
        finding.secret = ctx.span_of("value");
    }
    finding
}

/// A field's value for messages; secret values are redacted.
fn display_value(rule: &Rule, ctx: &Context, field: &str) -> Option<String> {
    let value = ctx.get(field)?;
    if rule.redact && field == "value" {
        return Some(redact(&value.to_text()));
    }
    Some(match value {
        Value::List(items) if items.is_empty() => "(none)".to_string(),
        other => other.to_text(),
    })
}

/// Show at most a short prefix of a secret, and its length.
pub fn redact(secret: &str) -> String {
    let length = secret.chars().count();
    let shown = (length / 8).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({length} chars, redacted)")
}

/// Replace `{field}` placeholders; `{{` and `}}` are literal braces. Unknown fields
/// render as an empty string (the rule loader rejects messages naming none).
pub fn interpolate(template: &str, lookup: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        out.push_str(&rest[..open]);
        let tail = &rest[open..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            out.push_str(&tail[..1]);
            rest = &tail[2..];
            continue;
        }
        if tail.starts_with('{')
            && let Some(close) = tail.find('}')
        {
            let field = &tail[1..close];
            out.push_str(&lookup(field).unwrap_or_default());
            rest = &tail[close + 1..];
            continue;
        }
        out.push_str(&tail[..1]);
        rest = &tail[1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolation() {
        let lookup = |f: &str| (f == "name").then(|| "flask".to_string());
        assert_eq!(
            interpolate("`{name}` {{x}} {missing}!", &lookup),
            "`flask` {x} !"
        );
        assert_eq!(interpolate("unclosed {name", &lookup), "unclosed {name");
    }

    #[test]
    fn redaction_never_shows_more_than_a_prefix() {
        let secret = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
        let shown = redact(secret);
        assert!(shown.starts_with("ghp_…"), "{shown}");
        assert!(shown.contains("40 chars"));
        assert!(!shown.contains("0123"));
        assert_eq!(redact("short"), "…(5 chars, redacted)");
    }
}
