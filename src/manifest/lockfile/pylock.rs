//! PEP 751 `pylock.toml`: each `[[packages]]` names its `index`, its `sdist` and
//! `wheels` with `hashes`, or a `vcs` (with `commit-id`), `directory` or `archive`.

use toml_edit::TableLike;

use super::{
    Package, Sources, name_span, package_of, string, table, tables, toml_lock, value_span,
};
use crate::manifest::{Item, LockSourceType};

pub fn parse(text: &str) -> Vec<Item> {
    toml_lock(text, |root, sources| {
        for entry in tables(root.get("packages")) {
            let package = package_of(text, entry);
            read_package(text, entry, &package, sources);
        }
    })
}

fn read_package(text: &str, entry: &dyn TableLike, package: &Package, sources: &mut Sources) {
    if let Some(vcs) = table(entry, "vcs") {
        let kind = match string(text, vcs, "type").map(|(kind, _)| kind).as_deref() {
            Some("hg") => "hg",
            Some("svn") => "svn",
            Some("bzr") => "bzr",
            _ => "git",
        };
        let commit = string(text, vcs, "commit-id").map(|(commit, _)| commit);
        if let Some((url, span)) = string(text, vcs, "url") {
            sources.vcs(package, kind, url, span, commit.as_deref());
        } else if let Some((path, span)) = string(text, vcs, "path") {
            sources.with_url(package, LockSourceType::Local, "path", path, span);
        }
        return;
    }
    if let Some(directory) = table(entry, "directory") {
        if let Some((path, span)) = string(text, directory, "path") {
            sources.with_url(package, LockSourceType::Local, "path", path, span);
        }
        return;
    }
    if let Some(archive) = table(entry, "archive") {
        let whole = value_span(entry, "archive")
            .or_else(|| name_span(text, entry))
            .unwrap_or(0..0);
        if string(text, archive, "url").is_some() {
            sources.artifact(package, LockSourceType::Direct, "archive", archive, whole);
        } else if let Some((path, span)) = string(text, archive, "path") {
            sources.with_url(package, LockSourceType::Local, "path", path, span);
        }
        return;
    }
    if let Some((url, span)) = string(text, entry, "index") {
        sources.index(package, url, span);
    }
    if let Some(sdist) = table(entry, "sdist") {
        let whole = value_span(entry, "sdist").unwrap_or(0..0);
        sources.artifact(package, LockSourceType::Artifact, "sdist", sdist, whole);
    }
    for wheel in tables(entry.get("wheels")) {
        let whole = value_span(entry, "wheels").unwrap_or(0..0);
        sources.artifact(package, LockSourceType::Artifact, "wheel", wheel, whole);
    }
}

#[cfg(test)]
mod tests {
    use super::super::sources;
    use super::*;

    const LOCK: &str = r#"lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "idna"
version = "3.7"
index = "https://pypi.org/simple"
sdist = { url = "https://files.pythonhosted.org/packages/idna-3.7.tar.gz", hashes = { sha256 = "028ff3aa" } }
wheels = [{ url = "https://files.pythonhosted.org/packages/idna-3.7-py3-none-any.whl", hashes = {} }]

[[packages]]
name = "plugin"
vcs = { type = "git", url = "https://github.com/o/plugin.git", requested-revision = "main" }

[[packages]]
name = "app"
directory = { path = ".", editable = true }
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
                ("index", "https://pypi.org/simple", None),
                (
                    "artifact",
                    "https://files.pythonhosted.org/packages/idna-3.7.tar.gz",
                    Some(true)
                ),
                (
                    "artifact",
                    "https://files.pythonhosted.org/packages/idna-3.7-py3-none-any.whl",
                    Some(false)
                ),
                ("vcs", "https://github.com/o/plugin.git", None),
                ("local", ".", None),
            ]
        );
        assert_eq!(found[3].commit, None);
    }
}
