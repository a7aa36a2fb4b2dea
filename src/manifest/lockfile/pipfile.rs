//! `Pipfile.lock` (JSON): `_meta.sources` lists the indexes with `url` and
//! `verify_ssl`; every other top-level key is a category mapping each package to its
//! `hashes` and `version`, or to a `git`/`hg`/`svn`/`bzr` source with its `ref`, a
//! `path` or a `file` URL.
//!
//! The text is checked as strict JSON by `serde_json` first (which also bounds its
//! nesting), then read again with `jsonc-parser` for the byte span of every value.

use jsonc_parser::ast::{Object, Value};
use jsonc_parser::common::Ranged;
use jsonc_parser::{CollectOptions, ParseOptions, parse_to_ast};

use super::{Package, Sources};
use crate::manifest::{Item, LockSourceType, ParseError, Span};

pub fn parse(text: &str) -> Vec<Item> {
    if let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return vec![Item::ParseError(ParseError {
            message: format!("invalid JSON: {error}"),
            span: error_span(text, error.line(), error.column()),
        })];
    }
    let parsed = parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default());
    let Ok(Some(Value::Object(root))) = parsed.map(|result| result.value) else {
        return Vec::new();
    };
    let mut sources = Sources::new(text);
    for property in &root.properties {
        let Value::Object(object) = &property.value else {
            continue;
        };
        if property.name.as_str() == "_meta" {
            read_meta(object, &mut sources);
        } else {
            for package in &object.properties {
                if let Value::Object(entry) = &package.value {
                    let name = Package {
                        name: Some(package.name.as_str().to_string()),
                        version: string(entry, "version")
                            .map(|(v, _)| v.trim().trim_start_matches('=').to_string()),
                    };
                    let name_span = range(package.name.range());
                    read_package(entry, &name, name_span, &mut sources);
                }
            }
        }
    }
    sources.into_items()
}

fn read_meta(meta: &Object, sources: &mut Sources) {
    let Some(list) = meta.get_array("sources") else {
        return;
    };
    for source in &list.elements {
        let Value::Object(source) = source else {
            continue;
        };
        let lock_wide = Package::default();
        if let Some((url, span)) = string(source, "url") {
            sources.index(&lock_wide, url, span);
        }
        if let Some(verify) = source.get_boolean("verify_ssl")
            && !verify.value
        {
            // No URL: its host, scheme and credentials are judged at the URL's own
            // entry. Named by the source's name, for messages.
            let named = Package {
                name: string(source, "name").map(|(name, _)| name),
                version: None,
            };
            let item = sources.push(
                &named,
                LockSourceType::Index,
                "verify_ssl",
                range(verify.range),
            );
            item.verify_ssl = Some(false);
        }
    }
}

fn read_package(entry: &Object, package: &Package, name_span: Span, sources: &mut Sources) {
    for vcs in ["git", "hg", "svn", "bzr"] {
        if let Some((url, span)) = string(entry, vcs) {
            let reference = string(entry, "ref").map(|(r, _)| r);
            sources.vcs(package, vcs, url, span, reference.as_deref());
            return;
        }
    }
    if let Some((path, span)) = string(entry, "path") {
        sources.with_url(package, LockSourceType::Local, "path", path, span);
        return;
    }
    let hashes = entry.get_array("hashes");
    let hashed = hashes.is_some_and(|list| {
        list.elements
            .iter()
            .any(|hash| matches!(hash, Value::StringLit(s) if s.value.contains(':')))
    });
    let span = match hashes {
        Some(list) if list.elements.is_empty() => range(list.range),
        _ => name_span,
    };
    let item = match string(entry, "file") {
        // A `file` URL a Pipfile named: its own entry, and its hashes.
        Some((url, span)) if url.contains("://") => {
            sources.with_url(package, LockSourceType::Direct, "file", url, span)
        }
        Some((path, span)) => {
            sources.with_url(package, LockSourceType::Local, "path", path, span);
            return;
        }
        None => sources.push(package, LockSourceType::Artifact, "files", span),
    };
    item.hashed = Some(hashed);
}

fn string(object: &Object, key: &str) -> Option<(String, Span)> {
    let literal = object.get_string(key)?;
    Some((literal.value.to_string(), content_range(literal.range)))
}

/// A string literal's span without its quotes.
fn content_range(range: jsonc_parser::common::Range) -> Span {
    if range.end >= range.start + 2 {
        range.start + 1..range.end - 1
    } else {
        range.start..range.end
    }
}

fn range(range: jsonc_parser::common::Range) -> Span {
    range.start..range.end
}

/// The byte span of serde_json's 1-based line and column (a column counts bytes),
/// widened to one character so a label shows.
fn error_span(text: &str, line: usize, column: usize) -> Span {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let offset = (line_start + column.saturating_sub(1)).min(text.len());
    crate::manifest::toml_spans::visible_span(text, offset..offset + 1)
}

#[cfg(test)]
mod tests {
    use super::super::sources;
    use super::*;

    const LOCK: &str = r#"{
    "_meta": {
        "sources": [
            {"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true},
            {"name": "internal", "url": "http://pypi.internal/simple", "verify_ssl": false}
        ]
    },
    "default": {
        "django": {
            "hashes": ["sha256:1ddc333a"],
            "index": "pypi",
            "version": "==5.0.7"
        },
        "six": {
            "hashes": [],
            "version": "==1.16.0"
        },
        "mylib": {
            "editable": true,
            "git": "https://github.com/o/mylib.git",
            "ref": "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d"
        }
    }
}
"#;

    #[test]
    fn sources_with_their_spans() {
        let items = parse(LOCK);
        let found = sources(&items);
        let shown: Vec<(&str, &str, &str, Option<bool>)> = found
            .iter()
            .map(|s| {
                (
                    s.source_type.as_str(),
                    s.context,
                    &LOCK[s.span.clone()],
                    s.hashed,
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                ("index", "registry", "https://pypi.org/simple", None),
                ("index", "registry", "http://pypi.internal/simple", None),
                ("index", "verify_ssl", "false", None),
                ("artifact", "files", "\"django\"", Some(true)),
                ("artifact", "files", "[]", Some(false)),
                ("vcs", "git", "https://github.com/o/mylib.git", None),
            ]
        );
        assert_eq!(found[2].verify_ssl, Some(false));
        assert_eq!(found[3].version.as_deref(), Some("5.0.7"));
        assert!(found[5].commit.is_some());
    }

    #[test]
    fn invalid_json_is_one_error_at_its_place() {
        let text = "{\n  \"default\": [1,\n";
        let items = parse(text);
        let [Item::ParseError(error)] = items.as_slice() else {
            panic!("{items:?}");
        };
        assert!(error.message.starts_with("invalid JSON"));
        assert!(error.span.end <= text.len());
        assert!(parse("[1, 2]").is_empty());
        let deep = "[".repeat(100_000);
        assert!(matches!(parse(&deep).as_slice(), [Item::ParseError(_)]));
    }
}
