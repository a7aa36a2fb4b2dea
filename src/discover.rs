//! Which files to lint, and which parser each one needs.
//!
//! Directories are walked with the `ignore` crate: `.gitignore`, `.ignore` and
//! `.git/info/exclude` are honoured (also outside a git checkout), hidden files are
//! still seen (`.env.example`), and well-known tool directories are skipped. Files named
//! on the command line are linted even when ignored, as pre-commit expects, unless
//! `force_exclude` is set.

use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use globset::{Glob, GlobSet, GlobSetBuilder};
use ignore::{WalkBuilder, WalkState};

use crate::lock::LockFormat;
use crate::manifest::ManifestKind;

/// Directories never worth walking: version control, virtualenvs, caches, builds.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".bzr",
    ".tox",
    ".nox",
    ".venv",
    "venv",
    ".direnv",
    "__pypackages__",
    "site-packages",
    "node_modules",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
    "build",
    "dist",
    ".eggs",
];

#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// Extra glob patterns to exclude (matched against the path relative to the
    /// walked directory and against the file or directory name).
    pub exclude: Vec<String>,
    /// Apply `exclude` to files named explicitly, too.
    pub force_exclude: bool,
}

/// A file to lint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub path: PathBuf,
    pub kind: ManifestKind,
    /// Named on the command line rather than found by a walk.
    pub explicit: bool,
    /// The directory the file was found under (or the current directory for explicit
    /// files inside it): includes may not leave it.
    pub root: PathBuf,
    /// What the `stat` that found a file named on the command line saw, so reading it
    /// takes no second one. `None` for files found by a walk, and for unchecked ones.
    pub stat: Option<crate::project::Stat>,
    /// Named on the command line and taken for a file by its name, without a `stat`
    /// (see [`NamedPaths::Trusted`]): opening it tells whether it is one.
    pub unchecked: bool,
}

/// How paths named on the command line are told apart: file, directory, or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedPaths {
    /// One `stat` each, before anything is read.
    Stat,
    /// A path whose name is a manifest's is taken for a file without a `stat`: opening
    /// it to read it tells the same, for one path walk instead of two. When one turns
    /// out missing, unreadable or a directory, the caller discovers again with
    /// [`NamedPaths::Stat`], so such paths are reported as they always are. A
    /// pre-commit run names thousands of files, nearly always all readable.
    Trusted,
}

/// A lock file a walk saw. The walk reads every directory anyway, so lock discovery
/// need not list the directories of walked manifests again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkedLock {
    /// The walked root it lies under.
    pub root: PathBuf,
    /// Its directory, as the walk spelt it (`./libs/a` for root `.`).
    pub dir: PathBuf,
    pub name: String,
    pub format: LockFormat,
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// The files to lint, sorted by path.
    pub candidates: Vec<Candidate>,
    pub errors: Vec<DiscoverError>,
    pub walked_locks: Vec<WalkedLock>,
    /// Entries a walk met with a manifest's name that are not regular files (a FIFO, a
    /// socket, a device): never read, listed under `--verbose`.
    pub skipped: Vec<PathBuf>,
    /// Files named on the command line that are no manifest pinwarden reads (a
    /// Dockerfile, a README): not checked, and said so.
    pub unread: Vec<PathBuf>,
}

/// A path argument that does not exist or cannot be walked.
#[derive(Debug, Clone)]
pub struct DiscoverError {
    pub path: PathBuf,
    pub message: String,
}

/// Classify a file by name; `None` for files pinwarden does not read.
pub fn classify(path: &Path) -> Option<ManifestKind> {
    let name = path.file_name()?.to_str()?;
    // Most names are lower case already: every file of a walk comes here.
    let lower: std::borrow::Cow<str> = if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name.to_ascii_lowercase().into()
    } else {
        name.into()
    };
    match &*lower {
        "pyproject.toml" => return Some(ManifestKind::Pyproject),
        "setup.cfg" => return Some(ManifestKind::SetupCfg),
        "pipfile" => return Some(ManifestKind::Pipfile),
        "pip.conf" | "pip.ini" | "uv.toml" => return Some(ManifestKind::PipConfig),
        ".pre-commit-config.yaml" | ".pre-commit-config.yml" => {
            return Some(ManifestKind::PreCommit);
        }
        "action.yml" | "action.yaml" => return Some(ManifestKind::Action),
        "package.json" => return Some(ManifestKind::PackageJson),
        "pnpm-lock.yaml" => return Some(ManifestKind::PnpmLock),
        "package-lock.json" | "npm-shrinkwrap.json" => return Some(ManifestKind::NpmLock),
        "yarn.lock" => return Some(ManifestKind::YarnLock),
        ".npmrc" => return Some(ManifestKind::Npmrc),
        "pnpm-workspace.yaml" => return Some(ManifestKind::PnpmWorkspace),
        _ => {}
    }
    if let Some(kind) = LockFormat::of_file_name(name).and_then(ManifestKind::of_lock_format) {
        return Some(kind);
    }
    if is_dockerfile(name, &lower) {
        return Some(ManifestKind::Dockerfile);
    }
    if lower.ends_with(".sh") || lower.ends_with(".bash") {
        return Some(ManifestKind::Shell);
    }
    if (lower.ends_with(".yml") || lower.ends_with(".yaml")) && is_workflow_dir(path.parent()) {
        return Some(ManifestKind::Workflow);
    }
    if is_env_file(&lower) {
        return Some(ManifestKind::Dotenv);
    }
    let requirement_ext = [".txt", ".in", ".pip"]
        .iter()
        .any(|ext| lower.ends_with(ext));
    if requirement_ext && lower != "manifest.in" {
        let named = contains_ignoring_case(lower.as_bytes(), b"requirements")
            || contains_ignoring_case(lower.as_bytes(), b"constraints");
        let in_requirements_dir = path
            .parent()
            .is_some_and(|parent| names_requirements_dir(parent.components()));
        if named || in_requirements_dir {
            return Some(ManifestKind::Requirements);
        }
    }
    None
}

/// `Dockerfile`, `Containerfile` (in any case), `api.Dockerfile`, and `Dockerfile.dev`
/// (with the capital of the convention: `dockerfile.rs` is source code), but not a
/// variant with the extension of another kind of file (`Dockerfile.dockerignore`, the
/// ignore file of one; `Dockerfile.j2`, a template).
fn is_dockerfile(name: &str, lower: &str) -> bool {
    const NOT_DOCKERFILES: [&str; 20] = [
        "dockerignore",
        "rs",
        "py",
        "go",
        "js",
        "ts",
        "md",
        "txt",
        "json",
        "yml",
        "yaml",
        "toml",
        "sh",
        "lock",
        "j2",
        "jinja",
        "tmpl",
        "template",
        "bak",
        "orig",
    ];
    let foreign = lower
        .rsplit_once('.')
        .is_some_and(|(_, extension)| NOT_DOCKERFILES.contains(&extension));
    let exact = matches!(lower, "dockerfile" | "containerfile");
    let suffixed = lower.ends_with(".dockerfile") || lower.ends_with(".containerfile");
    let prefixed = name.starts_with("Dockerfile.") || name.starts_with("Containerfile.");
    exact || ((suffixed || prefixed) && !foreign)
}

/// Whether `dir` is `.github/workflows`, where GitHub reads workflows (not below it).
fn is_workflow_dir(dir: Option<&Path>) -> bool {
    let mut components = dir.into_iter().flat_map(Path::components).rev();
    components
        .next()
        .is_some_and(|c| c.as_os_str() == "workflows")
        && components
            .next()
            .is_some_and(|c| c.as_os_str() == ".github")
}

/// Whether a directory among `components` is a requirements directory
/// (`requirements/`, `ci-requirements/`, …): every file with a requirement file's
/// extension below one is a requirement file.
fn names_requirements_dir<'a>(mut components: impl Iterator<Item = Component<'a>>) -> bool {
    components.any(|c| {
        c.as_os_str()
            .to_str()
            .is_some_and(|dir| contains_ignoring_case(dir.as_bytes(), b"requirements"))
    })
}

/// Whether `text` holds `word` (lower-case ASCII) in any case. Asked of every file a
/// walk meets and each directory above it: no lower-cased copy is made, and a short
/// word needs no substring searcher set up for it.
fn contains_ignoring_case(text: &[u8], word: &[u8]) -> bool {
    text.len() >= word.len()
        && text
            .windows(word.len())
            .any(|window| window.eq_ignore_ascii_case(word))
}

/// [`classify`] for a file found by walking `root`, where `root_in_requirements_dir`
/// says whether the root itself lies in a requirements directory of its repository:
/// `requirements/dev.txt` is a requirement file whether the walk starts above it or
/// in `requirements/` itself.
fn classify_walked(path: &Path, root_in_requirements_dir: bool) -> Option<ManifestKind> {
    classify(path).or_else(|| {
        // Most walks are not inside a requirements directory: no name to look at again.
        if !root_in_requirements_dir {
            return None;
        }
        let lower = path.file_name()?.to_str()?.to_ascii_lowercase();
        let requirement_ext = [".txt", ".in", ".pip"]
            .iter()
            .any(|ext| lower.ends_with(ext));
        (requirement_ext && lower != "manifest.in").then_some(ManifestKind::Requirements)
    })
}

/// Whether the directory `root` is inside a requirements directory of its repository:
/// the directories from the repository's top (the one holding `.git`) down to `root`
/// are looked at, never those above the repository.
fn root_in_requirements_dir(root: &Path) -> bool {
    let Ok(canonical) = std::fs::canonicalize(root) else {
        return false;
    };
    let Some(top) = canonical.ancestors().find(|dir| dir.join(".git").exists()) else {
        return false;
    };
    canonical
        .strip_prefix(top)
        .is_ok_and(|below| names_requirements_dir(below.components()))
}

/// `.env`, `.env.*`, `*.env`, `env.example`-style names (lowercased).
fn is_env_file(lower: &str) -> bool {
    lower == ".env"
        || lower.starts_with(".env.")
        || (lower.ends_with(".env") && lower.len() > 4)
        || lower.ends_with(".env.example")
        || matches!(lower, "env.example" | "env.sample" | "env.template")
}

/// Whether an env file is a template meant to be committed (placeholders only).
pub fn is_env_template(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    // `.env.example`, `env_sample`, `app-template`, … (`env.dist` ends in `.dist` too).
    ["example", "sample", "template", "dist", "tpl", "defaults"]
        .iter()
        .any(|suffix| {
            lower
                .strip_suffix(suffix)
                .is_some_and(|stem| stem.ends_with(['.', '_', '-']))
        })
}

fn build_globs(patterns: &[String]) -> Result<GlobSet, DiscoverError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| DiscoverError {
            path: PathBuf::from(pattern),
            message: format!("invalid exclude pattern: {e}"),
        })?;
        builder.add(glob);
    }
    builder.build().map_err(|e| DiscoverError {
        path: PathBuf::new(),
        message: e.to_string(),
    })
}

fn excluded(globs: &GlobSet, relative: &Path) -> bool {
    if globs.is_empty() {
        return false;
    }
    globs.is_match(relative)
        || relative
            .components()
            .any(|c| globs.is_match(Path::new(c.as_os_str())))
}

/// Find the files to lint under `paths`, sorted by path; `named_paths` says how a path
/// named there is told to be a file or a directory.
pub fn discover(
    paths: &[PathBuf],
    options: &DiscoverOptions,
    named_paths: NamedPaths,
) -> Discovered {
    let mut errors = Vec::new();
    let mut walked_locks = Vec::new();
    let mut skipped = Vec::new();
    let mut unread = Vec::new();
    let globs = match build_globs(&options.exclude) {
        Ok(globs) => globs,
        Err(err) => {
            return Discovered {
                errors: vec![err],
                ..Discovered::default()
            };
        }
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    // One spelling per path: `./a/requirements.txt` and `a/requirements.txt` are one
    // file, linted and fixed once.
    let paths: Vec<PathBuf> = paths.iter().map(|path| without_cur_dir(path)).collect();
    let paths = paths.as_slice();
    let mut found = Vec::new();
    // A pre-commit hook names every staged file: one `stat` each, and what follows
    // from it, in parallel.
    let named: Vec<Named> = crate::parallel::map(paths, |path| {
        named(path, &globs, options, &cwd, named_paths)
    });
    for (path, named) in paths.iter().zip(named) {
        match named {
            Named::File(candidate) => found.push(candidate),
            Named::Directory => walk(
                path,
                &globs,
                &mut found,
                &mut errors,
                &mut walked_locks,
                &mut skipped,
            ),
            Named::Skipped => {}
            Named::NotAManifest => unread.push(path.clone()),
            Named::Unreadable(error) => errors.push(error),
        }
    }
    // Paths compare component by component, which is slow enough to share out, and
    // to do once for each path rather than in each comparison.
    if crate::parallel::is_few(found.len()) {
        found.sort_by_cached_key(|candidate| path_order_key(&candidate.path));
    } else {
        use rayon::prelude::*;
        found.par_sort_by_cached_key(|candidate| path_order_key(&candidate.path));
    }
    found.dedup_by(|a, b| a.path == b.path);
    skipped.sort();
    unread.dedup();
    Discovered {
        candidates: found,
        errors,
        walked_locks,
        skipped,
        unread,
    }
}

/// `path` without its `.` components (`./a/./b` → `a/b`; `.` stays `.`). `..` is kept:
/// through a symbolic link, `a/..` need not be where `a` is.
pub fn without_cur_dir(path: &Path) -> PathBuf {
    let cleaned: PathBuf = path
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    if cleaned.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        cleaned
    }
}

/// What a path named on the command line is.
enum Named {
    File(Candidate),
    Directory,
    /// Excluded.
    Skipped,
    /// A file, but no manifest pinwarden reads.
    NotAManifest,
    /// Cannot be `stat`ed: missing, unreadable, a link loop.
    Unreadable(DiscoverError),
}

fn named(
    path: &Path,
    globs: &GlobSet,
    options: &DiscoverOptions,
    cwd: &Path,
    named_paths: NamedPaths,
) -> Named {
    // Only a path that would be linted as a file: an excluded one is a file to skip or a
    // directory to walk, which takes the `stat`.
    if named_paths == NamedPaths::Trusted
        && !(options.force_exclude && excluded(globs, path))
        && let Some(kind) = classify(path).or_else(|| fallback_kind(path))
    {
        return Named::File(Candidate {
            path: path.to_path_buf(),
            kind,
            explicit: true,
            root: explicit_root(path, cwd),
            stat: None,
            unchecked: true,
        });
    }
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) => {
            return Named::Unreadable(DiscoverError {
                path: path.to_path_buf(),
                message: err.to_string(),
            });
        }
    };
    if metadata.is_dir() {
        return Named::Directory;
    }
    // A FIFO, socket or device is never read: a FIFO would block the run forever.
    if !metadata.is_file() {
        return Named::Unreadable(DiscoverError {
            path: path.to_path_buf(),
            message: crate::project::not_a_regular_file().to_string(),
        });
    }
    if options.force_exclude && excluded(globs, path) {
        return Named::Skipped;
    }
    let Some(kind) = classify(path).or_else(|| fallback_kind(path)) else {
        return Named::NotAManifest;
    };
    Named::File(Candidate {
        path: path.to_path_buf(),
        kind,
        explicit: true,
        root: explicit_root(path, cwd),
        stat: Some(crate::project::Stat::of(path, &metadata)),
        unchecked: false,
    })
}

/// A file named explicitly that no name rule matches is still linted when its
/// extension says what it is: `pip install -r` takes any name.
fn fallback_kind(path: &Path) -> Option<ManifestKind> {
    match path.extension()?.to_str()? {
        "txt" | "in" | "pip" => Some(ManifestKind::Requirements),
        _ => None,
    }
}

/// Includes from an explicit file may reach anywhere under the current directory
/// when the file is inside it; otherwise only under the file's own directory.
fn explicit_root(path: &Path, cwd: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    if absolute.starts_with(cwd) {
        PathBuf::from(".")
    } else {
        path.parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }
}

/// Bytes that sort as `path` does among paths (`Path`'s order, component by
/// component): each component's kind in `Component`'s order, its name, and a zero
/// byte, which no name holds and which sorts a name before the longer names it starts.
fn path_order_key(path: &Path) -> Vec<u8> {
    use std::path::Component;
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let kind = match component {
            Component::Prefix(_) => 1,
            Component::RootDir => 2,
            Component::CurDir => 3,
            Component::ParentDir => 4,
            Component::Normal(_) => 5,
        };
        key.push(kind);
        key.extend_from_slice(component.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

/// The walker every directory goes through: `.gitignore`, `.ignore` and
/// `.git/info/exclude` honoured (also outside a git checkout and in parent
/// directories), hidden files seen, links not followed, [`DEFAULT_EXCLUDES`] skipped.
pub fn walk_builder(root: &Path) -> WalkBuilder {
    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && entry.depth() > 0
                && entry
                    .file_name()
                    .to_str()
                    .is_some_and(|name| DEFAULT_EXCLUDES.contains(&name) || is_template(name)))
        });
    builder
}

/// A directory named with a template placeholder (`{{cookiecutter.name}}`,
/// `{{ project_slug }}`): the files below it are templates that cookiecutter or copier
/// render into a project, not manifests of this one, and most are not valid until then.
fn is_template(name: &str) -> bool {
    name.contains("{{") && name.contains("}}")
}

fn walk(
    root: &Path,
    globs: &GlobSet,
    found: &mut Vec<Candidate>,
    errors: &mut Vec<DiscoverError>,
    walked_locks: &mut Vec<WalkedLock>,
    skipped: &mut Vec<PathBuf>,
) {
    let collected = Mutex::new(Vec::new());
    let walk_errors = Mutex::new(Vec::new());
    let not_regular = Mutex::new(Vec::new());
    let lock_files = Mutex::new(Vec::new());
    let root_in_requirements_dir = root_in_requirements_dir(root);
    let walker = walk_builder(root).build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    walk_errors.lock().unwrap().push(err.to_string());
                    return WalkState::Continue;
                }
            };
            let path = entry.path();
            let file_type = entry.file_type();
            let is_dir = file_type.is_some_and(|t| t.is_dir());
            // A lock file counts where it is, even when excluded from linting or a link.
            if !is_dir
                && let Some(format) = entry
                    .file_name()
                    .to_str()
                    .and_then(LockFormat::of_file_name)
                && let Some(dir) = path.parent()
            {
                lock_files.lock().unwrap().push(WalkedLock {
                    root: root.to_path_buf(),
                    dir: dir.to_path_buf(),
                    name: entry.file_name().to_string_lossy().into_owned(),
                    format,
                });
            }
            // Most runs exclude nothing: no path is made relative for nothing.
            if entry.depth() > 0
                && !globs.is_empty()
                && excluded(globs, path.strip_prefix(root).unwrap_or(path))
            {
                return if is_dir {
                    WalkState::Skip
                } else {
                    WalkState::Continue
                };
            }
            let special = file_type.is_some_and(|t| !t.is_file() && !t.is_dir() && !t.is_symlink());
            if special && classify_walked(path, root_in_requirements_dir).is_some() {
                not_regular.lock().unwrap().push(path.to_path_buf());
            }
            // Symlinks are not followed: a linked manifest is linted where it lives.
            if file_type.is_some_and(|t| t.is_file())
                && let Some(kind) = classify_walked(path, root_in_requirements_dir)
            {
                // Show `requirements.txt`, not `./requirements.txt`, as ruff does.
                let shown = path.strip_prefix(".").unwrap_or(path);
                collected.lock().unwrap().push(Candidate {
                    path: shown.to_path_buf(),
                    kind,
                    explicit: false,
                    root: root.to_path_buf(),
                    stat: None,
                    unchecked: false,
                });
            }
            WalkState::Continue
        })
    });
    found.extend(collected.into_inner().unwrap());
    walked_locks.extend(lock_files.into_inner().unwrap());
    skipped.extend(not_regular.into_inner().unwrap());
    errors.extend(
        walk_errors
            .into_inner()
            .unwrap()
            .into_iter()
            .map(|message| DiscoverError {
                path: root.to_path_buf(),
                message,
            }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_manifests() {
        let kind = |p: &str| classify(Path::new(p));
        assert_eq!(kind("requirements.txt"), Some(ManifestKind::Requirements));
        assert_eq!(
            kind("dev-requirements.in"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(
            kind("requirements/base.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(kind("constraints.txt"), Some(ManifestKind::Requirements));
        assert_eq!(kind("docs/notes.txt"), None);
        assert_eq!(kind("MANIFEST.in"), None);
        // A requirements directory or name in any case.
        assert_eq!(
            kind("ci/Test-Requirements/py3.txt"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(kind("REQUIREMENTS/x.pip"), Some(ManifestKind::Requirements));
        assert_eq!(
            kind("Dev-Constraints.TXT"),
            Some(ManifestKind::Requirements)
        );
        assert_eq!(kind("requirement/x.txt"), None);
        assert!(contains_ignoring_case(b"ReQuIrEmEnTs", b"requirements"));
        assert!(!contains_ignoring_case(b"requirement", b"requirements"));
        assert!(!contains_ignoring_case(b"", b"requirements"));
        assert!(is_template("{{cookiecutter.package_name}}"));
        assert!(is_template("{{ project_slug }}"));
        assert!(!is_template("templates"));
        assert_eq!(kind("a/pyproject.toml"), Some(ManifestKind::Pyproject));
        assert_eq!(kind("setup.cfg"), Some(ManifestKind::SetupCfg));
        assert_eq!(kind("Pipfile"), Some(ManifestKind::Pipfile));
        assert_eq!(
            kind(".github/workflows/ci.yml"),
            Some(ManifestKind::Workflow)
        );
        assert_eq!(
            kind("a/.github/workflows/x.YAML"),
            Some(ManifestKind::Workflow)
        );
        assert_eq!(kind(".github/workflows/sub/ci.yml"), None);
        assert_eq!(kind("workflows/ci.yml"), None);
        assert_eq!(kind(".github/dependabot.yml"), None);
        assert_eq!(kind("action.yml"), Some(ManifestKind::Action));
        assert_eq!(kind("a/b/action.yaml"), Some(ManifestKind::Action));
        assert_eq!(
            kind(".pre-commit-config.yaml"),
            Some(ManifestKind::PreCommit)
        );
        assert_eq!(
            kind("x/.pre-commit-config.yml"),
            Some(ManifestKind::PreCommit)
        );
        assert_eq!(kind("Pipfile.lock"), Some(ManifestKind::PipfileLock));
        assert_eq!(kind("a/uv.lock"), Some(ManifestKind::UvLock));
        assert_eq!(kind("poetry.lock"), Some(ManifestKind::PoetryLock));
        assert_eq!(kind("pdm.lock"), Some(ManifestKind::PdmLock));
        assert_eq!(kind("pylock.dev.toml"), Some(ManifestKind::Pylock));
        assert_eq!(kind("UV.LOCK"), None);
        for env in [
            ".env",
            ".env.example",
            ".env.local",
            "prod.env",
            "env.example",
            ".env.dev.example",
        ] {
            assert_eq!(kind(env), Some(ManifestKind::Dotenv), "{env}");
        }
        assert_eq!(kind(".envrc"), None);
        assert_eq!(kind("web/package.json"), Some(ManifestKind::PackageJson));
        assert_eq!(kind("package-lock.json"), Some(ManifestKind::NpmLock));
        assert_eq!(kind("a/pnpm-lock.yaml"), Some(ManifestKind::PnpmLock));
        assert_eq!(kind("yarn.lock"), Some(ManifestKind::YarnLock));
        assert_eq!(kind("web/.npmrc"), Some(ManifestKind::Npmrc));
        assert_eq!(
            kind("pnpm-workspace.yaml"),
            Some(ManifestKind::PnpmWorkspace)
        );
    }

    #[test]
    fn the_order_key_sorts_as_paths_do() {
        let paths = [
            "a/b",
            "a.b/c",
            "a-b",
            "a/b/c",
            "ab",
            "a",
            "/a",
            "/",
            "./a",
            "../a",
            "a/../b",
            "a//b/./c",
            "a/b/",
            "requirements.txt",
            "requirements/dev.txt",
            "requirements-dev.txt",
            "é/x",
            "z",
            "",
        ];
        for a in paths {
            for b in paths {
                let (a, b) = (Path::new(a), Path::new(b));
                assert_eq!(
                    path_order_key(a).cmp(&path_order_key(b)),
                    a.cmp(b),
                    "{} against {}",
                    a.display(),
                    b.display()
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn the_order_key_sorts_any_two_paths_as_they_sort(
            a in "[ab./-]{0,12}",
            b in "[ab./-]{0,12}",
        ) {
            let (a, b) = (Path::new(&a), Path::new(&b));
            proptest::prop_assert_eq!(path_order_key(a).cmp(&path_order_key(b)), a.cmp(b));
        }
    }

    #[test]
    fn templates() {
        for t in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "prod.env.example",
            ".env.test.example",
            "env.example",
        ] {
            assert!(is_env_template(Path::new(t)), "{t}");
        }
        for real in [".env", ".env.local", ".env.production", "prod.env"] {
            assert!(!is_env_template(Path::new(real)), "{real}");
        }
    }
}
