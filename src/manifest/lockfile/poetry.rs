//! `poetry.lock`: each `[[package]]` lists its files with a `hash` (`files = [...]`, or
//! `[metadata.files]` in locks before Poetry 1.2), and a `[package.source]` for
//! anything but PyPI: `legacy` (another index), `git`, `url`, `file`, `directory`.

use toml_edit::TableLike;

use super::{
    Package, Sources, name_span, package_of, string, table, tables, toml_lock, value_span,
};
use crate::manifest::{Item, LockSourceType};

pub fn parse(text: &str) -> Vec<Item> {
    toml_lock(text, |root, sources| {
        let old_files = table(root, "metadata").and_then(|metadata| table(metadata, "files"));
        for entry in tables(root.get("package")) {
            let package = package_of(text, entry);
            read_package(text, entry, &package, old_files, sources);
        }
    })
}

fn read_package(
    text: &str,
    entry: &dyn TableLike,
    package: &Package,
    old_files: Option<&dyn TableLike>,
    sources: &mut Sources,
) {
    let source = table(entry, "source");
    let kind = source
        .and_then(|s| string(text, s, "type"))
        .map(|(kind, _)| kind);
    let url = source.and_then(|s| string(text, s, "url"));
    let artifact_type = match (kind.as_deref(), url) {
        (None, _) => LockSourceType::Artifact,
        (Some("legacy"), Some((url, span))) => {
            sources.index(package, url, span);
            LockSourceType::Artifact
        }
        (Some("legacy"), None) => LockSourceType::Artifact,
        (Some("git"), Some((url, span))) => {
            let commit = source
                .and_then(|s| string(text, s, "resolved_reference"))
                .map(|(commit, _)| commit);
            sources.vcs(package, "git", url, span, commit.as_deref());
            return;
        }
        (Some("url"), Some((url, span))) => {
            sources.with_url(package, LockSourceType::Direct, "url", url, span);
            LockSourceType::Direct
        }
        (Some("file" | "directory"), Some((path, span))) => {
            sources.with_url(package, LockSourceType::Local, "path", path, span);
            return;
        }
        _ => return,
    };
    let files = match entry.get("files") {
        Some(files) => tables(Some(files))
            .into_iter()
            .map(|t| (t, files.span()))
            .collect::<Vec<_>>(),
        None => {
            // Locks before Poetry 1.2: `[metadata.files]` maps each name to its files.
            let name = package.name.as_deref().unwrap_or_default();
            let listed = old_files.and_then(|files| files.get(name));
            tables(listed)
                .into_iter()
                .map(|t| (t, listed.and_then(|l| l.span())))
                .collect()
        }
    };
    if files.is_empty() {
        // `files = []` for a package from an index: nothing of it can be verified.
        if artifact_type == LockSourceType::Artifact
            && entry
                .get("files")
                .is_some_and(|f| f.as_array().is_some_and(|a| a.is_empty()))
        {
            let span = value_span(entry, "files")
                .or_else(|| name_span(text, entry))
                .unwrap_or(0..0);
            let source = sources.push(package, artifact_type, "files", span);
            source.hashed = Some(false);
        }
        return;
    }
    for (file, whole) in files {
        sources.artifact(package, artifact_type, "file", file, whole.unwrap_or(0..0));
    }
}

#[cfg(test)]
mod tests {
    use super::super::sources;
    use super::*;

    const LOCK: &str = r#"[[package]]
name = "certifi"
version = "2024.7.4"
files = [
    {file = "certifi-2024.7.4-py3-none-any.whl", hash = "sha256:c198e21b"},
    {file = "certifi-2024.7.4.tar.gz", hash = ""},
]

[[package]]
name = "internal"
version = "3.1.0"
files = []

[package.source]
type = "legacy"
url = "http://pypi.example.org/simple"
reference = "internal"

[[package]]
name = "toolbelt"
version = "0.4.0"
files = []

[package.source]
type = "git"
url = "https://github.com/o/toolbelt.git"
reference = "main"
resolved_reference = "8b1f0c2e4d6a8b0c2e4f6a8b0c2d4e6f8a0b2c4d"

[[package]]
name = "local"
version = "0.1"
files = []

[package.source]
type = "directory"
url = "../local"
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
                (
                    "artifact",
                    "file",
                    "certifi-2024.7.4-py3-none-any.whl",
                    Some(true)
                ),
                ("artifact", "file", "certifi-2024.7.4.tar.gz", Some(false)),
                ("artifact", "files", "[]", Some(false)),
                ("index", "registry", "http://pypi.example.org/simple", None),
                ("vcs", "git", "https://github.com/o/toolbelt.git", None),
                ("local", "path", "../local", None),
            ]
        );
        assert!(found[4].commit.is_some());
        // In file order: the source table follows the files.
        assert!(found.windows(2).all(|w| w[0].span.start <= w[1].span.start));
    }

    #[test]
    fn files_of_old_locks_are_under_metadata() {
        let text = "[[package]]\nname = \"a\"\nversion = \"1\"\n\n[metadata.files]\na = [\n    {file = \"a-1.tar.gz\", hash = \"sha256:00\"},\n]\n";
        let items = parse(text);
        let found = sources(&items);
        assert_eq!(found.len(), 1);
        assert_eq!(&text[found[0].span.clone()], "a-1.tar.gz");
        assert_eq!(found[0].hashed, Some(true));
    }
}
