//! `uv.lock`: each `[[package]]` has a `source` (`registry`, `git`, `url`, `path`,
//! `directory`, `editable`, `virtual`) and, for files it downloads, an `sdist` and
//! `wheels` with a `hash` each.

use super::{
    Package, Sources, name_span, package_of, string, table, tables, toml_lock, value_span,
};
use toml_edit::TableLike;

use crate::manifest::{Item, LockSourceType, Span};

pub fn parse(text: &str) -> Vec<Item> {
    toml_lock(text, |root, sources| {
        for package_table in tables(root.get("package")) {
            let package = package_of(text, package_table);
            read_package(text, package_table, &package, sources);
        }
    })
}

fn read_package(text: &str, entry: &dyn TableLike, package: &Package, sources: &mut Sources) {
    let source = source_of(text, entry);
    let artifact_type = match &source {
        // A registry can be a directory of files (`--find-links`): no host to judge.
        Some((kind, value, span)) => match kind.as_str() {
            "registry" => {
                if value.contains("://") {
                    sources.index(package, value.clone(), span.clone());
                }
                Some(LockSourceType::Artifact)
            }
            "git" => {
                let commit = value.rsplit_once('#').map(|(_, commit)| commit);
                sources.vcs(package, "git", value.clone(), span.clone(), commit);
                None
            }
            "url" => {
                sources.with_url(
                    package,
                    LockSourceType::Direct,
                    "url",
                    value.clone(),
                    span.clone(),
                );
                Some(LockSourceType::Direct)
            }
            "path" | "directory" | "editable" | "virtual" => {
                sources.with_url(
                    package,
                    LockSourceType::Local,
                    "path",
                    value.clone(),
                    span.clone(),
                );
                None
            }
            _ => None,
        },
        // No source: a package of an older lock, from the default index.
        None => Some(LockSourceType::Artifact),
    };
    let Some(artifact_type) = artifact_type else {
        return;
    };
    if let Some(sdist) = table(entry, "sdist") {
        let whole = value_span(entry, "sdist")
            .or_else(|| name_span(text, entry))
            .unwrap_or(0..0);
        sources.artifact(package, artifact_type, "sdist", sdist, whole);
    }
    for wheel in tables(entry.get("wheels")) {
        let whole = value_span(entry, "wheels").unwrap_or(0..0);
        sources.artifact(package, artifact_type, "wheel", wheel, whole);
    }
}

/// `source = { registry = "…" }`: its one key, value and the value's span.
fn source_of(text: &str, package: &dyn TableLike) -> Option<(String, String, Span)> {
    let source = table(package, "source")?;
    [
        "registry",
        "git",
        "url",
        "path",
        "directory",
        "editable",
        "virtual",
    ]
    .into_iter()
    .find_map(|kind| {
        string(text, source, kind).map(|(value, span)| (kind.to_string(), value, span))
    })
}

#[cfg(test)]
mod tests {
    use super::super::sources;
    use super::*;

    const LOCK: &str = r#"version = 1

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/anyio-4.4.0.tar.gz", hash = "sha256:5aadc6a1", size = 1 }
wheels = [
    { url = "http://mirror.example/anyio-4.4.0-py3-none-any.whl", size = 2 },
]

[[package]]
name = "idna"
version = "3.7"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "lib"
version = "0.1"
source = { git = "https://github.com/o/lib?branch=main#0d4f3c9b1e2a7f6d5c4b3a291807f6e5d4c3b2a1" }

[[package]]
name = "app"
version = "1.0"
source = { editable = "." }
"#;

    #[test]
    fn sources_with_their_spans() {
        let items = parse(LOCK);
        let found = sources(&items);
        let shown: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|s| (s.source_type.as_str(), s.context, &LOCK[s.span.clone()]))
            .collect();
        assert_eq!(
            shown,
            [
                ("index", "registry", "https://pypi.org/simple"),
                (
                    "artifact",
                    "sdist",
                    "https://files.pythonhosted.org/packages/anyio-4.4.0.tar.gz"
                ),
                (
                    "artifact",
                    "wheel",
                    "http://mirror.example/anyio-4.4.0-py3-none-any.whl"
                ),
                (
                    "vcs",
                    "git",
                    "https://github.com/o/lib?branch=main#0d4f3c9b1e2a7f6d5c4b3a291807f6e5d4c3b2a1"
                ),
                ("local", "path", "."),
            ]
        );
        assert_eq!(found[1].hashed, Some(true));
        assert_eq!(found[2].hashed, Some(false));
        assert_eq!(found[2].host().as_deref(), Some("mirror.example"));
        assert_eq!(found[2].scheme().as_deref(), Some("http"));
        assert!(found[3].commit.is_some());
        assert_eq!(found[0].package.as_deref(), Some("anyio"));
    }

    #[test]
    fn malformed_lock_is_one_parse_error() {
        let items = parse("[[package]\n");
        assert!(matches!(items.as_slice(), [Item::ParseError(_)]));
        assert!(parse("package = 3\n").is_empty());
    }
}
