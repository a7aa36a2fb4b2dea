//! Rules × items → findings.

use std::borrow::Cow;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use serde::Deserialize;

use super::fields::{Context, Field, Subject, Value};
use super::rule::{Condition, FILE_ITEM_BIT, Rule};
use super::shape::Shape;
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
    /// Where the span starts and ends, for reports that no longer hold the text.
    pub start: LineCol,
    pub end: LineCol,
}

/// A replacement of one span of a file's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
    /// The edit changes what a published package's users install (its metadata):
    /// applied only with `--unsafe-fixes`, as ruff does with fixes that change
    /// behaviour.
    pub unsafe_fix: bool,
    /// The command that refreshes the lock this edit's manifest was resolved from: a
    /// lock records the manifest's specifiers (or their hash) and is stale after any
    /// change to them.
    pub relock: Option<String>,
    /// Where the edit's span starts and ends, for reports that no longer hold the text.
    pub start: LineCol,
    pub end: LineCol,
}

/// One violation, located in one file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: Arc<Rule>,
    pub severity: Severity,
    /// Shared by the findings of one file: a large run has a hundred thousand.
    pub path: Arc<Path>,
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    pub message: String,
    /// Shared with the rule when its template fills nothing in.
    pub label: Option<Arc<str>>,
    pub help: Option<Arc<str>>,
    pub related: Vec<Related>,
    /// Bytes of the file that hold a secret: never shown in any source excerpt.
    pub secret: Option<Span>,
    /// Boxed: few findings have a fix, and every finding is held until the report.
    pub fix: Option<Box<Edit>>,
    /// The section of the requirement it is about (`project.dependencies`), for
    /// machine-readable reports; `None` for findings about other items.
    pub section: Option<Arc<str>>,
    /// The flagged line's code as fingerprints read it (comment cut, white space
    /// folded), taken while the file's text is at hand when the report or baseline
    /// needs fingerprints: the text itself can then be freed.
    pub fingerprint_line: Option<Box<str>>,
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
            path: Arc::clone(&manifest.path),
            start: index.line_col(&manifest.text, span.start),
            end: index.line_col(&manifest.text, span.end),
            span,
            message,
            label: None,
            help: None,
            related: Vec::new(),
            secret: None,
            fix: None,
            section: None,
            fingerprint_line: None,
        }
    }

    /// Sort key: path, then position, then rule.
    pub fn sort_key(&self) -> (&Path, usize, usize, &str) {
        (&self.path, self.span.start, self.span.end, &self.rule.name)
    }
}

/// Evaluate the per-item rules in `rules` over one manifest. `template` says whether
/// an env file is a template (for the `file` item). The findings come in no set
/// order: the caller sorts them.
pub fn evaluate_manifest<'r>(
    rules: impl IntoIterator<Item = &'r Arc<Rule>>,
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
    // The item rules, by the item type they take. Items are read once, each against
    // the rules of its type only: a file has tens of items and a rule set tens of
    // rules, and most rules take one type.
    let mut by_type: [Vec<&Arc<Rule>>; Item::TYPE_NAMES.len()] = Default::default();
    for rule in rules {
        if !rule.applies_to_kind(manifest.kind) || matches!(rule.condition, Condition::Check(_)) {
            continue;
        }
        if rule.item_type_bits & FILE_ITEM_BIT != 0 && rule_matches(rule, &file_subject) {
            let span = 0..manifest
                .text
                .find(['\r', '\n'])
                .unwrap_or(manifest.text.len());
            findings.push(finding_for(rule, manifest, index, &file_subject, span));
        }
        for (type_index, type_rules) in by_type.iter_mut().enumerate() {
            if rule.takes_item_type(type_index) {
                type_rules.push(rule);
            }
        }
    }
    // The requirement rules by the shape of requirement they can match, listed as the
    // shapes turn up: a file's requirements come in a few shapes, and each shape is
    // matched by few of the rules.
    let mut by_shape: [Option<Vec<&Arc<Rule>>>; Shape::COUNT] = std::array::from_fn(|_| None);
    for item in &manifest.items {
        let rules = match item {
            Item::Requirement(req) => {
                let shape = Shape::of(req);
                let requirement_rules = &by_type[Item::REQUIREMENT_TYPE];
                by_shape[shape.index() as usize].get_or_insert_with(|| {
                    requirement_rules
                        .iter()
                        .copied()
                        .filter(|rule| rule.requirement_shapes.contains(shape))
                        .collect()
                })
            }
            _ => &by_type[item.type_index()],
        };
        for rule in rules.iter() {
            if let Item::Requirement(req) = item
                && rule
                    .sections
                    .as_ref()
                    .is_some_and(|sections| !sections.is_match(&*req.section))
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
        .and_then(Field::from_name)
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
    let write = |field: &str, out: &mut String| write_value(rule, ctx, field, out);
    let templates = &rule.templates;
    let mut finding = Finding::new(
        rule,
        manifest,
        index,
        span,
        templates.message.render(&write),
    );
    finding.label = templates.label.as_ref().map(|l| l.render_shared(&write));
    finding.help = templates.help.as_ref().map(|h| h.render_shared(&write));
    if rule.redact {
        finding.secret = REDACTED_FIELDS
            .iter()
            .find_map(|field| ctx.span_of(*field))
            .map(|span| credential_span(&manifest.text, span));
    }
    finding
}

/// The fields a secret rule (`redact = true`) flags, in order of preference: an env
/// entry's or option's value, or a URL.
const REDACTED_FIELDS: [Field; 2] = [Field::Value, Field::Url];

/// Within a flagged value written as-is in the file, the user-info of its one URL
/// (`user:password`), so excerpts mask the credential and keep the host readable.
fn credential_span(text: &str, span: Span) -> Span {
    let Some(value) = text.get(span.clone()) else {
        return span;
    };
    let mut userinfos = USERINFO.captures_iter(value);
    match (userinfos.next(), userinfos.next()) {
        (Some(caps), None) => {
            let userinfo = caps.get(2).expect("group 2 always takes part");
            span.start + userinfo.start()..span.start + userinfo.end()
        }
        _ => span,
    }
}

/// A flagged value as messages show it. A URL with credentials shows its scheme, user
/// name and host with the rest masked (`https://deploy:****@pypi.internal/…`), so the
/// reader knows which service; anything else shows at most a short prefix and its length.
/// The path and query are never shown: another secret could sit there.
fn redact_value(value: &str) -> String {
    static URL_HOST: LazyLock<Regex> = LazyLock::new(|| {
        // The user-info runs to the last `@` before the host: a password may hold one.
        Regex::new(r"^[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+@[^\s/?#@]+").expect("valid pattern")
    });
    match URL_HOST.find(value) {
        Some(start) => {
            let shown = mask_url_credentials(start.as_str());
            if start.end() < value.len() {
                format!("{shown}/…")
            } else {
                shown.into_owned()
            }
        }
        None => redact(value),
    }
}

/// Append a field's value as messages show it; secret values are redacted (see
/// [`redact_value`]), credentials in URLs masked, and an empty list is `(none)`.
fn write_value(rule: &Rule, ctx: &Context, field: &str, out: &mut String) {
    let Some(field) = Field::from_name(field) else {
        return;
    };
    let Some(value) = ctx.get(field) else {
        return;
    };
    // A requirement without a name (a bare URL or path) is named by what it is, not by
    // an empty pair of backticks.
    if field == Field::Name && value.is_empty() {
        let url = ctx.get(Field::Url);
        let shown = url.as_ref().map_or_else(String::new, Value::to_text);
        if shown.is_empty() {
            out.push_str("(unnamed requirement)");
        } else {
            out.push_str(&mask_url_credentials(&shown));
        }
        return;
    }
    if rule.redact && REDACTED_FIELDS.contains(&field) {
        out.push_str(&redact_value(&value.to_text()));
        return;
    }
    match value {
        Value::List(items) if items.is_empty() => out.push_str("(none)"),
        Value::Text(text) => out.push_str(&mask_url_credentials(&text)),
        other => out.push_str(&mask_url_credentials(&other.to_text())),
    }
}

/// A URL's scheme (group 1) and user-info (group 2). The user-info ends at the last
/// `@` of the authority (which ends at `/`, `?`, `#` or a space), as URL parsers read
/// it: a password may itself hold an `@`.
static USERINFO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([A-Za-z][A-Za-z0-9+.-]*://)([^\s/?#@]+(?:@[^\s/?#@]+)*)@").expect("valid pattern")
});

/// `scheme://user:secret@host` → `scheme://user:****@host`, and a token-like user name
/// alone → `****`, much as pip logs URLs; `${VAR}` and `$VAR` references stay, since they
/// are names, not values. Every message of every rule goes through this, so a
/// `--extra-index-url` or direct-URL finding cannot print an index password.
pub fn mask_url_credentials(text: &str) -> Cow<'_, str> {
    // No user-info without an `@`: most values are names and versions, left uncopied.
    if !text.contains('@') {
        return Cow::Borrowed(text);
    }
    static REFERENCE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)?$")
            .expect("valid pattern")
    });
    let masked = |part: &str| {
        if REFERENCE.is_match(part) {
            part.to_string()
        } else {
            "****".to_string()
        }
    };
    // A user name alone is masked only when it looks like a token: `git@` is not one.
    let token_like = |user: &str| {
        user.len() >= 16
            && user.bytes().any(|b| b.is_ascii_digit())
            && user.bytes().any(|b| b.is_ascii_alphabetic())
    };
    USERINFO.replace_all(text, |caps: &regex::Captures| {
        let userinfo = match caps[2].split_once(':') {
            Some((user, "")) if token_like(user) => format!("{}:", masked(user)),
            Some((user, password)) => format!("{user}:{}", masked(password)),
            None if token_like(&caps[2]) => masked(&caps[2]),
            None => caps[2].to_string(),
        };
        format!("{}{userinfo}@", &caps[1])
    })
}

/// Show at most a short prefix of a secret, and its length.
pub fn redact(secret: &str) -> String {
    let length = secret.chars().count();
    let shown = (length / 8).min(4);
    let prefix: String = secret.chars().take(shown).collect();
    format!("{prefix}…({length} chars, redacted)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flagged_urls_show_only_scheme_user_and_host() {
        assert_eq!(
            redact_value("https://deploy:s3cr3tP4ss@pypi.internal:8443/simple?t=ghp_x"),
            "https://deploy:****@pypi.internal:8443/…"
        );
        assert_eq!(
            redact_value("https://deploy:Pa@ssw0rd9x7Q@idx.example/simple"),
            "https://deploy:****@idx.example/…"
        );
        assert_eq!(
            redact_value("amqp://:N4vF6hJ2kP9s@rabbit"),
            "amqp://:****@rabbit"
        );
        assert_eq!(
            redact_value("https://1Aa2Bb3Cc4Dd5Ee6Ff7Gg8Hh@pypi.fury.io/acme/"),
            "https://****@pypi.fury.io/…"
        );
        // Not a URL with credentials: the short prefix and the length.
        assert_eq!(
            redact_value("q7RkT2mWv9xZq7RkT2mW"),
            "q7…(20 chars, redacted)"
        );
    }

    #[test]
    fn url_credentials_are_masked_in_messages() {
        assert_eq!(
            mask_url_credentials("--index-url https://deploy:s3cr3t@pypi.internal/simple"),
            "--index-url https://deploy:****@pypi.internal/simple"
        );
        assert_eq!(
            mask_url_credentials(
                "git+https://ghp_abc123def456ghi789@github.com/o/r https://1Aa2Bb3Cc4Dd5Ee6Ff:@h/"
            ),
            "git+https://****@github.com/o/r https://****:@h/"
        );
        for unchanged in [
            "https://${USER}:${PASSWORD}@pypi.internal/simple",
            "https://__token__:$PYPI_TOKEN@h/simple",
            "https://pypi.org/simple/pkg@1",
            "git+ssh://git@github.com/o/r",
            "name @ https://example.com/a.whl",
            "https://deploy@pypi.internal/simple",
        ] {
            assert_eq!(mask_url_credentials(unchanged), unchanged);
        }
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
