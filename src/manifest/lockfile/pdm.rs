//! `pdm.lock`: each `[[package]]` lists its `files` with a `hash` (and a `url` with
//! static URLs); VCS sources carry `git`/`hg`/`svn`/`bzr` and the resolved `revision`,
//! direct URLs `url`, local ones `path`. PDM repeats a package once per set of extras,
//! without files: those entries add nothing.

use toml_edit::TableLike;

use super::{Package, Sources, package_of, string, tables, toml_lock, value_span};
use crate::manifest::{Item, LockSourceType};

pub fn parse(text: &str) -> Vec<Item> {
    toml_lock(text, |root, sources| {
        for entry in tables(root.get("package")) {
            let package = package_of(text, entry);
            read_package(text, entry, &package, sources);
        }
    })
}

fn read_package(text: &str, entry: &dyn TableLike, package: &Package, sources: &mut Sources) {
    for vcs in ["git", "hg", "svn", "bzr"] {
        if let Some((url, span)) = string(text, entry, vcs) {
            let revision = string(text, entry, "revision").map(|(revision, _)| revision);
            sources.vcs(package, vcs, url, span, revision.as_deref());
            return;
        }
    }
    if let Some((path, span)) = string(text, entry, "path") {
        sources.with_url(package, LockSourceType::Local, "path", path, span);
        return;
    }
    let artifact_type = match string(text, entry, "url") {
        Some((url, span)) => {
            sources.with_url(package, LockSourceType::Direct, "url", url, span);
            LockSourceType::Direct
        }
        None => LockSourceType::Artifact,
    };
    let Some(files) = entry.get("files") else {
        return;
    };
    let listed = tables(Some(files));
    if listed.is_empty()
        && entry.get("extras").is_none()
        && files.as_array().is_some_and(|a| a.is_empty())
    {
        let span = value_span(entry, "files").unwrap_or(0..0);
        sources.push(package, artifact_type, "files", span).hashed = Some(false);
    }
    for file in listed {
        sources.artifact(
            package,
            artifact_type,
            "file",
            file,
            files.span().unwrap_or(0..0),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::sources;
    use super::*;

    const LOCK: &str = r#"[metadata]
groups = ["default"]

[[package]]
name = "httpx"
version = "0.27.0"
files = [
    {url = "https://files.pythonhosted.org/packages/httpx-0.27.0-py3-none-any.whl", hash = "sha256:71d5465"},
    {file = "httpx-0.27.0.tar.gz"},
]

[[package]]
name = "httpx"
version = "0.27.0"
extras = ["http2"]

[[package]]
name = "core"
version = "0.1.0"
git = "https://github.com/o/core.git"
ref = "main"
revision = "4c2b9e1f0a8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"

[[package]]
name = "tool"
version = "0.1.0"
path = "/home/me/tool"
"#;

    #[test]
    fn sources_with_their_spans() {
        let items = parse(LOCK);
        let found = sources(&items);
        let shown: Vec<(&str, &str, Option<bool>)> = found
            .iter()
            .map(|s| (s.source_type.as_str(), &LOCK[s.span.clone()], s.hashed))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "artifact",
                    "https://files.pythonhosted.org/packages/httpx-0.27.0-py3-none-any.whl",
                    Some(true)
                ),
                ("artifact", "httpx-0.27.0.tar.gz", Some(false)),
                ("vcs", "https://github.com/o/core.git", None),
                ("local", "/home/me/tool", None),
            ]
        );
        assert!(found[2].commit.is_some());
    }
}
