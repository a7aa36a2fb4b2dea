//! What a manifest's own tables say about its requirements besides their specifiers:
//! which are the published metadata of a package (a library publishes ranges on
//! purpose), and which come from a workspace member or a local path of the same
//! checkout rather than from an index. The locks that apply are weighed later, when
//! the file is linted (see `lock::pinned`).

use toml_edit::{Item as TomlItem, TableLike};

use super::{Item, ManifestKind, PinnedBy, canonicalize_name};

/// How a project's published metadata is judged: as a library's (ranges are what its
/// users install with) or as an application's (pinned like everything else).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectKind {
    Library,
    Application,
}

impl ProjectKind {
    pub fn from_name(name: &str) -> Option<ProjectKind> {
        match name {
            "library" => Some(ProjectKind::Library),
            "application" => Some(ProjectKind::Application),
            _ => None,
        }
    }
}

/// Whether `section` of a manifest of `kind` is metadata a built distribution
/// publishes: what its users' installers resolve, and `build-system.requires`, which
/// every build from its sdist resolves.
pub fn is_published_section(kind: ManifestKind, section: &str) -> bool {
    match kind {
        ManifestKind::Pyproject => {
            section == "project.dependencies"
                || section.starts_with("project.optional-dependencies.")
                || section == "build-system.requires"
                || section == "tool.poetry.dependencies"
        }
        ManifestKind::SetupCfg => {
            section == "options.install_requires"
                || section == "options.setup_requires"
                || section.starts_with("options.extras_require.")
        }
        // What an npm package's users install with it. Without `project-kind`, only
        // `peerDependencies` are taken as published (see `package_json`).
        ManifestKind::PackageJson => matches!(
            section,
            "dependencies" | "optionalDependencies" | "peerDependencies"
        ),
        _ => false,
    }
}

/// Mark the published requirements of `items` as a project of `kind` would have them.
pub fn mark_published(manifest_kind: ManifestKind, project: ProjectKind, items: &mut [Item]) {
    for item in items {
        if let Item::Requirement(req) = item {
            req.standing.published = project == ProjectKind::Library
                && is_published_section(manifest_kind, &req.section);
        }
    }
}

/// The kind a `pyproject.toml` declares by itself: a library when it builds a
/// distribution (a `[build-system]` and a named `[project]` or Poetry project, a named
/// Poetry project without one, which Poetry builds with its own backend, or no
/// `[project]` at all, when `setup.py` holds the metadata) that is
/// not marked as never published; an application otherwise (uv and Poetry treat a
/// project without a build system, or with `package = false` / `package-mode = false`,
/// as an application that is never built).
pub fn pyproject_kind(root: &dyn TableLike) -> ProjectKind {
    fn table<'a>(parent: &'a dyn TableLike, key: &str) -> Option<&'a dyn TableLike> {
        parent.get(key).and_then(TomlItem::as_table_like)
    }
    let flag = |parent: Option<&dyn TableLike>, key: &str| {
        parent.and_then(|t| t.get(key)).and_then(TomlItem::as_bool)
    };
    let tool = table(root, "tool");
    let uv = tool.and_then(|t| table(t, "uv"));
    let poetry = tool.and_then(|t| table(t, "poetry"));
    let project = table(root, "project");
    let named = |t: Option<&dyn TableLike>| t.is_some_and(|t| t.get("name").is_some());
    let private = project
        .and_then(|p| p.get("classifiers"))
        .and_then(TomlItem::as_array)
        .is_some_and(|classifiers| {
            classifiers.iter().any(|c| {
                c.as_str()
                    .is_some_and(|c| c.trim() == "Private :: Do Not Upload")
            })
        });
    let packaged = flag(poetry, "package-mode") != Some(false);
    // Poetry builds and publishes a named project with its own backend, with or
    // without a `[build-system]` table, unless `package-mode = false`.
    let builds = match flag(uv, "package") {
        Some(package) => package,
        None => root.get("build-system").is_some() || (named(poetry) && packaged),
    };
    // A build system with no `[project]` table builds from `setup.py`: still a package.
    let metadata = named(project) || named(poetry) || project.is_none();
    if builds && packaged && !private && metadata {
        ProjectKind::Library
    } else {
        ProjectKind::Application
    }
}

/// `[tool.uv.sources]`: a requirement whose every source is a workspace member or a
/// relative local path is built from this checkout, not resolved from an index.
pub fn uv_sources(root: &dyn TableLike, items: &mut [Item]) {
    let Some(sources) = root
        .get("tool")
        .and_then(TomlItem::as_table_like)
        .and_then(|tool| tool.get("uv"))
        .and_then(TomlItem::as_table_like)
        .and_then(|uv| uv.get("sources"))
        .and_then(TomlItem::as_table_like)
    else {
        return;
    };
    let local: Vec<(String, PinnedBy)> = sources
        .iter()
        .filter_map(|(name, source)| {
            Some((canonicalize_name(name).into_owned(), local_source(source)?))
        })
        .collect();
    if local.is_empty() {
        return;
    }
    for item in items {
        if let Item::Requirement(req) = item
            && req.url.is_none()
            && let Some(name) = req.canonical_name()
            && let Some((_, by)) = local.iter().find(|(known, _)| *known == name)
        {
            req.standing.pinned_by = Some(*by);
        }
    }
}

/// The local origin of one `[tool.uv.sources]` entry (a table, or an array of tables
/// chosen by marker, all of which must be local).
fn local_source(source: &TomlItem) -> Option<PinnedBy> {
    let one = |table: &dyn TableLike| -> Option<PinnedBy> {
        if table.get("workspace").and_then(TomlItem::as_bool) == Some(true) {
            return Some(PinnedBy::Workspace);
        }
        let path = table.get("path").and_then(TomlItem::as_str)?;
        is_relative_path(path).then_some(PinnedBy::Path)
    };
    if let Some(table) = source.as_table_like() {
        return one(table);
    }
    let array = source.as_array()?;
    let mut found = None;
    for value in array.iter() {
        let by = one(value.as_inline_table()?)?;
        found = Some(match found {
            Some(PinnedBy::Path) | None => by,
            Some(other) => other,
        });
    }
    found
}

/// A path relative to the manifest's (or lock's) directory: part of the same checkout.
/// An absolute or home-relative path points at whatever that machine holds.
pub fn is_relative_path(path: &str) -> bool {
    let path = path.trim();
    let drive_letter = path.len() > 1 && path.as_bytes()[1] == b':';
    !(path.is_empty() || path.starts_with(['/', '\\', '~']) || path.contains("://") || drive_letter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::pyproject;

    fn kind_of(text: &str) -> ProjectKind {
        let doc = toml_edit::Document::parse(text).unwrap();
        pyproject_kind(doc.as_table())
    }

    #[test]
    fn a_built_named_project_is_a_library() {
        let text = "[build-system]\nrequires = [\"hatchling\"]\n[project]\nname = \"a\"\n";
        assert_eq!(kind_of(text), ProjectKind::Library);
    }

    #[test]
    fn projects_that_are_never_built_or_published_are_applications() {
        for text in [
            "[project]\nname = \"a\"\n",
            "[build-system]\nrequires = [\"h\"]\n[project]\nname = \"a\"\n[tool.uv]\npackage = false\n",
            "[build-system]\nrequires = [\"h\"]\n[tool.poetry]\nname = \"a\"\npackage-mode = false\n",
            "[tool.poetry]\nname = \"a\"\npackage-mode = false\n",
            "[build-system]\nrequires = [\"h\"]\n[project]\nname = \"a\"\nclassifiers = [\"Private :: Do Not Upload\"]\n",
        ] {
            assert_eq!(kind_of(text), ProjectKind::Application, "{text}");
        }
        let poetry = "[tool.poetry]\nname = \"a\"\nversion = \"1\"\n";
        assert_eq!(kind_of(poetry), ProjectKind::Library);
        let forced = "[project]\nname = \"a\"\n[tool.uv]\npackage = true\n";
        assert_eq!(kind_of(forced), ProjectKind::Library);
        // setup.py builds it: `build-system.requires` are in every sdist.
        let setup_py = "[build-system]\nrequires = [\"setuptools>=61\"]\n";
        assert_eq!(kind_of(setup_py), ProjectKind::Library);
    }

    #[test]
    fn workspace_and_relative_path_sources_are_pinned_by_the_checkout() {
        let text = r#"[project]
name = "app"
dependencies = ["core", "util>=1", "remote", "far", "split"]
[tool.uv.sources]
core = { workspace = true }
util = { path = "../util", editable = true }
remote = { git = "https://github.com/o/r", tag = "v1" }
far = { path = "/opt/far" }
split = [{ path = "a", marker = "sys_platform == 'linux'" }, { index = "x" }]
"#;
        let items = pyproject::parse(text);
        let by: Vec<(String, Option<PinnedBy>)> = items
            .iter()
            .filter_map(|item| match item {
                Item::Requirement(req) => Some((req.name.clone()?.into(), req.standing.pinned_by)),
                _ => None,
            })
            .collect();
        assert_eq!(
            by,
            vec![
                ("core".into(), Some(PinnedBy::Workspace)),
                ("util".into(), Some(PinnedBy::Path)),
                ("remote".into(), None),
                ("far".into(), None),
                ("split".into(), None),
            ]
        );
    }

    #[test]
    fn only_a_librarys_published_sections_are_published() {
        let text = r#"[build-system]
requires = ["hatchling>=1"]
[project]
name = "lib"
dependencies = ["a>=1"]
optional-dependencies = { extra = ["b>=1"] }
[dependency-groups]
dev = ["c>=1"]
"#;
        let published: Vec<(String, bool)> = pyproject::parse(text)
            .iter()
            .filter_map(|item| match item {
                Item::Requirement(req) => Some((req.name.clone()?.into(), req.standing.published)),
                _ => None,
            })
            .collect();
        assert_eq!(
            published,
            vec![
                ("hatchling".into(), true),
                ("a".into(), true),
                ("b".into(), true),
                ("c".into(), false),
            ]
        );
    }
}
