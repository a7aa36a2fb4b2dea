//! Which lock files apply to which manifest.
//!
//! A manifest's locks are those in the nearest directory, from its own up to the
//! scanned root, that holds any: `uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml`
//! and `pylock.<name>.toml` for every manifest but a Pipfile, whose lock is
//! `Pipfile.lock`. Lock files named in the configuration (pinned requirement files)
//! count as lock files of their own directory, for manifests at any depth below it.
//! A lock file that `.gitignore` or `.ignore` excludes is not one: it is not committed,
//! so using it would make a local run disagree with CI.
//! Locks are read once, and only when a rule asks about them. A lock file that is also
//! linted for its contents (`uv.lock`, `poetry.lock`, … as manifests) is linted
//! before any other manifest, and hands its text over ([`Locks::offer`]): it is not
//! read from disk again.

// FxHash: hashing every manifest directory with SipHash was a measurable cost. Paths
// are keys by their bytes (`OsString`): hashing a `Path` parses its components.
use rustc_hash::FxHashMap as HashMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use super::{LockFile, LockFormat};
use crate::discover::{WalkedLock, walk_builder};
use crate::manifest::ManifestKind;
use crate::manifest::text::decode_owned;
use crate::open_dir::OpenDir;
use crate::project::{
    CanonicalDirs, CappedReadError, SourceFile, below_root, max_file_size, parent_dir, read_capped,
};

/// The lock files of a run. Manifests ask for theirs as they are linted, from any
/// thread; directory listings, canonical roots and parsed locks are shared.
#[derive(Debug, Default)]
pub struct Locks {
    configured: Vec<Configured>,
    /// The lock files walks saw, by canonical directory: the whole listing of every
    /// directory a walked manifest looks in. `None`: the walks are not known, and
    /// every directory is listed.
    walked_locks: Option<HashMap<OsString, Vec<(String, LockFormat)>>>,
    /// Canonical form of each scanned root and manifest directory, as spelt.
    canonical_dirs: CanonicalDirs,
    cache: Mutex<Cache>,
    /// Filled by [`Locks::discover`]: per file of a run, for [`Locks::for_file`].
    per_file: Vec<FileLocks>,
}

#[derive(Debug, Default)]
struct Cache {
    /// By canonical path: one slot, so one parse, per lock file.
    slots: HashMap<OsString, Arc<Slot>>,
    /// Lock files directly in each canonical directory.
    listings: HashMap<OsString, Arc<Vec<(String, LockFormat)>>>,
    /// The answer for each (directory as spelt, root, walked, manifest kind): the
    /// manifests of one directory share their locks unless locks are configured by path.
    by_directory: HashMap<(OsString, OsString, bool, ManifestKind), FileLocks>,
    /// The uv workspace root of each canonical project directory, if it is a member.
    workspace_roots: HashMap<OsString, Option<PathBuf>>,
    /// What each ancestor's `pyproject.toml` says about workspaces.
    ancestors: HashMap<OsString, Arc<AncestorDir>>,
}

#[derive(Debug)]
struct Slot {
    /// As shown to the user: relative like the manifest that found it.
    path: PathBuf,
    format: LockFormat,
    parsed: OnceLock<Result<LockFile, String>>,
    /// The text of the lock, when it was read as a manifest: parsed from here when a
    /// manifest first asks, rather than read again.
    offered: Mutex<Option<String>>,
}

impl Slot {
    fn new(path: PathBuf, format: LockFormat) -> Slot {
        Slot {
            path,
            format,
            parsed: OnceLock::new(),
            offered: Mutex::new(None),
        }
    }

    fn parsed(&self) -> &Result<LockFile, String> {
        self.parsed.get_or_init(|| {
            let offered = self
                .offered
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take();
            match offered {
                Some(text) => parse(&text, self.format),
                None => read(&self.path, self.format),
            }
        })
    }
}

/// The lock files that apply to one manifest, read on first use.
#[derive(Debug, Default, Clone)]
pub struct FileLocks(Vec<Arc<Slot>>);

impl FileLocks {
    pub fn get(&self) -> Vec<ManifestLock<'_>> {
        self.0
            .iter()
            .map(|slot| {
                let parsed = slot.parsed();
                ManifestLock {
                    path: &slot.path,
                    file: parsed.as_ref().map_err(String::as_str),
                }
            })
            .collect()
    }
}

/// One lock that applies to a manifest, read (or why it could not be).
#[derive(Debug, Clone, Copy)]
pub struct ManifestLock<'a> {
    pub path: &'a Path,
    pub file: Result<&'a LockFile, &'a str>,
}

/// A lock file named in the configuration.
#[derive(Debug)]
struct Configured {
    path: PathBuf,
    canonical: Option<PathBuf>,
    /// Canonical directory it applies under.
    dir: Option<PathBuf>,
}

impl Locks {
    /// `configured` are pinned requirement files named in the configuration (relative
    /// to the current directory or absolute).
    pub fn new(configured: &[PathBuf]) -> Locks {
        let configured = configured
            .iter()
            .map(|path| {
                let canonical = std::fs::canonicalize(path).ok();
                let dir = canonical
                    .as_deref()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf)
                    .or_else(|| std::fs::canonicalize(parent_dir(path)).ok());
                Configured {
                    path: path.clone(),
                    canonical,
                    dir,
                }
            })
            .collect();
        Locks {
            configured,
            ..Locks::default()
        }
    }

    /// Take the lock files the walks saw. The directories of a walked manifest, up to
    /// its root, are all directories the walk went through: their lock files are
    /// these, and they are not listed again. A walk honours `.gitignore`, so a lock
    /// file it ignores is not the project's, as for [`list_lock_files`].
    pub fn with_walked_locks(mut self, walked: Vec<WalkedLock>) -> Locks {
        let mut by_dir: HashMap<OsString, Vec<(String, LockFormat)>> = HashMap::default();
        for lock in walked {
            let Some(canonical_root) = self.cached_canonical(&lock.root) else {
                continue;
            };
            if let Some(dir) = below_root(&canonical_root, &lock.root, &lock.dir) {
                by_dir
                    .entry(dir.into_os_string())
                    .or_default()
                    .push((lock.name, lock.format));
            }
        }
        for locks in by_dir.values_mut() {
            locks.sort_by(|a, b| a.0.cmp(&b.0));
        }
        self.walked_locks = Some(by_dir);
        self
    }

    /// Find the locks of every file, for [`Locks::for_file`].
    pub fn discover(files: &[SourceFile], configured: &[PathBuf]) -> Locks {
        let mut locks = Locks::new(configured);
        locks.per_file = files.iter().map(|file| locks.of(file)).collect();
        locks
    }

    /// The locks that apply to the file at `index` in the files given to
    /// [`Locks::discover`], read on first use.
    pub fn for_file(&self, index: usize) -> Vec<ManifestLock<'_>> {
        self.per_file
            .get(index)
            .map(FileLocks::get)
            .unwrap_or_default()
    }

    /// The locks that apply to `file`.
    pub fn of(&self, file: &SourceFile) -> FileLocks {
        let kind = file.manifest.kind;
        // A configured lock is never its own manifest's lock, so then the answer
        // depends on the file, not only on its directory; so it does for an included
        // file, found by its canonical path.
        // A pip-tools input (`x.in`) has its own compiled lock (`x.txt`).
        let compiled_input = file
            .manifest
            .path
            .extension()
            .is_some_and(|ext| ext == "in");
        let shared = self.configured.is_empty()
            && file.canonical.is_none()
            && kind != ManifestKind::Dotenv
            && !compiled_input;
        let key = shared.then(|| {
            (
                parent_dir(&file.manifest.path).into_os_string(),
                file.root.clone().into_os_string(),
                file.walked,
                kind,
            )
        });
        if let Some(key) = &key
            && let Some(known) = self.lock_cache().by_directory.get(key)
        {
            return known.clone();
        }
        let found = self.locks_of(file);
        let locks = self.slots(found);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(key) = key {
            cache.by_directory.insert(key, locks.clone());
        }
        locks
    }

    /// The slots of `found` (display path, canonical key, format): one per lock file.
    fn slots(&self, found: Vec<(PathBuf, PathBuf, LockFormat)>) -> FileLocks {
        let mut cache = self.lock_cache();
        FileLocks(
            found
                .into_iter()
                .map(|(path, key, format)| {
                    Arc::clone(
                        cache
                            .slots
                            .entry(key.into_os_string())
                            .or_insert_with(|| Arc::new(Slot::new(path, format))),
                    )
                })
                .collect(),
        )
    }

    /// Every Python lock file in the directory of `file`, whatever tool wrote it: the
    /// hashes and commits a requirements file exported from a lock (`uv export`,
    /// `poetry export`) can take back from it. Not the locks that pin the file (see
    /// [`Locks::of`]): pip does not read them.
    pub fn beside(&self, file: &SourceFile) -> FileLocks {
        let Some((display, dir, opened)) = self.manifest_dir(file) else {
            return FileLocks::default();
        };
        let found = self
            .lock_names(&dir, opened, file.walked)
            .iter()
            .filter(|(_, format)| *format != LockFormat::Requirements)
            .map(|(name, format)| (shown_path(&display.join(name)), dir.join(name), *format))
            .collect();
        self.slots(found)
    }

    /// The directory of `file`'s manifest: as shown (relative, like the manifest's
    /// path), canonical, and, when it was resolved here, open for its listing. A walked
    /// file's directory is found below its canonical root without a lookup.
    fn manifest_dir(&self, file: &SourceFile) -> Option<(PathBuf, PathBuf, Option<OpenDir>)> {
        let display = parent_dir(&file.manifest.path);
        let root = self.cached_canonical(&file.root);
        let walked_dir = match (&root, file.walked) {
            (Some(root), true) => below_root(root, &file.root, &display),
            _ => None,
        };
        let (dir, opened) = match walked_dir {
            Some(dir) => (dir, None),
            None => self.canonical_dirs.open(&display)?,
        };
        Some((display, dir, opened))
    }

    /// Keep the text of a lock file read as a manifest, for the manifests that use
    /// that lock: it is then parsed from this text, not read again. Only before any
    /// manifest has asked for its locks (lock files are linted first).
    pub fn offer(&self, file: &SourceFile) {
        let Some(format) = file.manifest.kind.lock_format() else {
            return;
        };
        // A file that could not be read is one parse error over empty text: the lock's
        // own read says why.
        let unread = file.manifest.text.is_empty()
            && file
                .manifest
                .items
                .iter()
                .any(|item| matches!(item, crate::manifest::Item::ParseError(_)));
        if unread {
            return;
        }
        let Some(name) = file.manifest.path.file_name() else {
            return;
        };
        let Some(dir) = self.cached_canonical(&parent_dir(&file.manifest.path)) else {
            return;
        };
        let key = dir.join(name).into_os_string();
        let mut cache = self.lock_cache();
        let slot = cache
            .slots
            .entry(key)
            .or_insert_with(|| Arc::new(Slot::new(file.manifest.path.to_path_buf(), format)));
        if slot.parsed.get().is_none() {
            *slot.offered.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(file.manifest.text.clone());
        }
    }

    /// The canonical directories resolved so far, to share with include resolution.
    pub fn canonical_dirs(&self) -> &CanonicalDirs {
        &self.canonical_dirs
    }

    /// The canonical form of a root or a manifest's directory, as spelt; resolved once.
    fn cached_canonical(&self, path: &Path) -> Option<PathBuf> {
        self.canonical_dirs.get(path)
    }

    /// The lock files in the canonical directory `dir`, read from `opened` when the
    /// caller has it open.
    fn listing(&self, dir: &Path, opened: Option<OpenDir>) -> Arc<Vec<(String, LockFormat)>> {
        if let Some(listing) = self.lock_cache().listings.get(dir.as_os_str()) {
            return Arc::clone(listing);
        }
        // Listed without holding the lock; two threads may list one directory, once.
        let listing = Arc::new(list_lock_files(dir, opened));
        self.lock_cache()
            .listings
            .insert(dir.as_os_str().to_owned(), Arc::clone(&listing));
        listing
    }

    fn lock_cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn read(path: &Path, format: LockFormat) -> Result<LockFile, String> {
    let bytes = read_capped(path, None, |_| {}).map_err(|err| match err {
        CappedReadError::Io(e) => format!("cannot read it: {e}"),
        CappedReadError::TooLarge(_) | CappedReadError::Grew => {
            format!(
                "it is over the {} MiB limit",
                max_file_size() / (1024 * 1024)
            )
        }
    })?;
    let (text, _) = decode_owned(bytes).map_err(|e| e.to_string())?;
    parse(&text, format)
}

fn parse(text: &str, format: LockFormat) -> Result<LockFile, String> {
    LockFile::parse(format, text).map_err(|e| format!("it is not a valid lock: {e}"))
}

/// One level up, keeping the path relative when it was: `a/b` → `a`, `a` → `.`,
/// `.` → `..`, `../x` → `..`, `..` → `../..`.
fn up(dir: &Path) -> PathBuf {
    match dir.components().next_back() {
        Some(Component::Normal(_)) => parent_dir(dir),
        Some(Component::CurDir) => PathBuf::from(".."),
        Some(Component::ParentDir) => dir.join(".."),
        _ => dir.to_path_buf(),
    }
}

impl Locks {
    /// The lock files of one manifest: (display path, canonical key, format).
    ///
    /// A lock belongs to a manifest the way its tool decides it, never by where the run
    /// started, so any path argument gives the same answer:
    /// - `uv.lock`, `poetry.lock`, `pdm.lock` and `pylock*.toml` beside a
    ///   `pyproject.toml` or `setup.cfg`; and the `uv.lock` of the uv workspace the
    ///   project is a member of (see [`Locks::workspace_root`]);
    /// - `Pipfile.lock` beside a `Pipfile`;
    /// - `pylock*.toml` beside a requirements file, and for `x.in`, the `x.txt` that
    ///   pip-compile or `uv pip compile` wrote from it (its header names `x.in`);
    /// - lock files named in the configuration, for manifests in their directory and
    ///   below.
    fn locks_of(&self, file: &SourceFile) -> Vec<(PathBuf, PathBuf, LockFormat)> {
        let kind = file.manifest.kind;
        if kind == ManifestKind::Dotenv {
            return Vec::new();
        }
        let Some((display, dir, opened)) = self.manifest_dir(file) else {
            return Vec::new();
        };
        let mut found = Vec::new();
        for (name, format) in self.lock_names(&dir, opened, file.walked).iter() {
            if lock_beside(kind, *format) {
                found.push((shown_path(&display.join(name)), dir.join(name), *format));
            }
        }
        // A workspace member is locked by the workspace's `uv.lock`, as uv locks it,
        // even where a `uv.lock` of its own lies beside it.
        if matches!(kind, ManifestKind::Pyproject | ManifestKind::SetupCfg)
            && let Some(workspace) = self.workspace_root(&dir)
        {
            found.retain(|(_, _, format)| *format != LockFormat::Uv);
            let listing = self.lock_names(&workspace, None, false);
            if listing.iter().any(|(_, format)| *format == LockFormat::Uv) {
                let levels = dir
                    .strip_prefix(&workspace)
                    .map_or(0, |rest| rest.iter().count());
                let mut shown = display.clone();
                for _ in 0..levels {
                    shown = up(&shown);
                }
                found.push((
                    shown_path(&shown.join("uv.lock")),
                    workspace.join("uv.lock"),
                    LockFormat::Uv,
                ));
            }
        }
        // A member of an npm, pnpm or yarn workspace is locked by the workspace's lock.
        if kind == ManifestKind::PackageJson
            && !found.iter().any(|(_, _, format)| format.is_javascript())
        {
            found.extend(self.javascript_workspace_locks(&dir, &display));
        }
        if kind == ManifestKind::Requirements
            && let Some(compiled) = compiled_output(&file.manifest.path, &dir)
        {
            found.push((
                shown_path(&display.join(&compiled)),
                dir.join(&compiled),
                LockFormat::Requirements,
            ));
        }
        // Only needed to keep a configured lock from being its own manifest's lock.
        let manifest = match &file.canonical {
            Some(canonical) => Some(canonical.clone()),
            None if !self.configured.is_empty() => std::fs::canonicalize(&file.manifest.path).ok(),
            None => None,
        };
        for lock in &self.configured {
            let key = lock.canonical.clone().unwrap_or_else(|| lock.path.clone());
            let applies = lock
                .dir
                .as_deref()
                .is_some_and(|lock_dir| dir.starts_with(lock_dir));
            if applies && Some(key.as_path()) != manifest.as_deref() {
                found.push((lock.path.clone(), key, LockFormat::Requirements));
            }
        }
        found
    }

    /// The lock files in the canonical directory `dir`: as the walk saw them, or listed.
    fn lock_names(
        &self,
        dir: &Path,
        opened: Option<OpenDir>,
        walked: bool,
    ) -> Arc<Vec<(String, LockFormat)>> {
        if walked && let Some(walked_locks) = &self.walked_locks {
            return Arc::new(
                walked_locks
                    .get(dir.as_os_str())
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        self.listing(dir, opened)
    }

    /// The root of the uv workspace whose member the project in the canonical
    /// directory `dir` is, found as uv finds it: the nearest ancestor whose
    /// `pyproject.toml` has `[tool.uv.workspace]`, when its `members` include `dir` and
    /// its `exclude` does not; an ancestor that is a project of its own (a `[project]`
    /// without a workspace) ends the search. The search stops at the repository root
    /// (the directory holding `.git`).
    fn workspace_root(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.lock_cache().workspace_roots.get(dir.as_os_str()) {
            return known.clone();
        }
        let mut answer = None;
        // The project's own `pyproject.toml` is the manifest being linted: only `.git`
        // matters here.
        if !dir.join(".git").exists() {
            for ancestor in dir.ancestors().skip(1) {
                let project = self.ancestor_project(ancestor);
                match &project.project {
                    AncestorProject::Workspace(workspace) => {
                        answer = dir
                            .strip_prefix(ancestor)
                            .ok()
                            .filter(|relative| workspace.includes(relative))
                            .map(|_| ancestor.to_path_buf());
                        break;
                    }
                    AncestorProject::Project => break,
                    AncestorProject::None => {}
                }
                if project.repository_root {
                    break;
                }
            }
        }
        self.lock_cache()
            .workspace_roots
            .insert(dir.as_os_str().to_owned(), answer.clone());
        answer
    }

    /// The locks of the npm, pnpm or yarn workspace the `package.json` in the canonical
    /// directory `dir` (shown as `display`) is a member of, found as the tools find
    /// them: the nearest ancestor holding a JavaScript lock, when that lock lists `dir`
    /// among its workspace members (pnpm's `importers`, npm's member entries, yarn 2+'s
    /// `workspace:` resolutions), or, for a yarn 1 lock, which records none, when the
    /// ancestor's `package.json` declares `workspaces`. The search stops at the
    /// repository root.
    fn javascript_workspace_locks(
        &self,
        dir: &Path,
        display: &Path,
    ) -> Vec<(PathBuf, PathBuf, LockFormat)> {
        let mut found = Vec::new();
        if dir.join(".git").exists() {
            return found;
        }
        let mut shown = display.to_path_buf();
        for ancestor in dir.ancestors().skip(1) {
            shown = up(&shown);
            let listing = self.lock_names(ancestor, None, false);
            let locks: Vec<&(String, LockFormat)> = listing
                .iter()
                .filter(|(_, format)| format.is_javascript())
                .collect();
            if !locks.is_empty() {
                let Some(relative) = dir.strip_prefix(ancestor).ok().and_then(Path::to_str) else {
                    break;
                };
                let relative = relative.replace('\\', "/");
                for (name, format) in locks {
                    let key = ancestor.join(name);
                    let path = shown_path(&shown.join(name));
                    let slot = self.slot(&key, &path, *format);
                    let member = match slot.parsed.get_or_init(|| read(&slot.path, slot.format)) {
                        Ok(lock) => match &lock.workspace_members {
                            Some(members) => members.contains(&relative),
                            None => declares_workspaces(&ancestor.join("package.json")),
                        },
                        Err(_) => declares_workspaces(&ancestor.join("package.json")),
                    };
                    if member {
                        found.push((path, key, *format));
                    }
                }
                break;
            }
            if ancestor.join(".git").exists() {
                break;
            }
        }
        found
    }

    /// The one slot of the lock at the canonical path `key`.
    fn slot(&self, key: &Path, path: &Path, format: LockFormat) -> Arc<Slot> {
        let mut cache = self.lock_cache();
        Arc::clone(
            cache
                .slots
                .entry(key.as_os_str().to_owned())
                .or_insert_with(|| Arc::new(Slot::new(path.to_path_buf(), format))),
        )
    }

    /// What the `pyproject.toml` in `dir` says about uv workspaces, and whether `dir`
    /// is a repository's top; found once per directory.
    fn ancestor_project(&self, dir: &Path) -> Arc<AncestorDir> {
        if let Some(known) = self.lock_cache().ancestors.get(dir.as_os_str()) {
            return Arc::clone(known);
        }
        let project = Arc::new(AncestorDir {
            project: AncestorProject::read(&dir.join("pyproject.toml")),
            repository_root: dir.join(".git").exists(),
        });
        self.lock_cache()
            .ancestors
            .insert(dir.as_os_str().to_owned(), Arc::clone(&project));
        project
    }
}

/// A lock's path as reports show it: relative like its manifest's, without `.` parts
/// (`uv.lock`, not `./uv.lock`), so every manifest that uses it names it alike.
fn shown_path(path: &Path) -> PathBuf {
    crate::discover::without_cur_dir(path)
}

/// Whether the `package.json` at `path` declares `workspaces` (npm, yarn).
fn declares_workspaces(path: &Path) -> bool {
    let Ok(bytes) = read_capped(path, None, |_| {}) else {
        return false;
    };
    let Ok((text, _)) = decode_owned(bytes) else {
        return false;
    };
    matches!(
        crate::manifest::json::parse(&text),
        Ok(Some(jsonc_parser::ast::Value::Object(root)))
            if crate::manifest::json::get(&root, "workspaces").is_some()
    )
}

/// Whether a lock of `format` in a manifest's own directory is that manifest's lock.
fn lock_beside(kind: ManifestKind, format: LockFormat) -> bool {
    match kind {
        ManifestKind::Pipfile => format == LockFormat::Pipfile,
        ManifestKind::Pyproject | ManifestKind::SetupCfg => matches!(
            format,
            LockFormat::Uv | LockFormat::Poetry | LockFormat::Pdm | LockFormat::Pylock
        ),
        ManifestKind::Requirements => format == LockFormat::Pylock,
        ManifestKind::Dotenv
        | ManifestKind::PipConfig
        | ManifestKind::Dockerfile
        | ManifestKind::Shell
        | ManifestKind::Workflow
        | ManifestKind::Action
        | ManifestKind::PreCommit
        | ManifestKind::PnpmLock
        | ManifestKind::NpmLock
        | ManifestKind::YarnLock
        | ManifestKind::Npmrc
        | ManifestKind::UvLock
        | ManifestKind::PoetryLock
        | ManifestKind::PdmLock
        | ManifestKind::PipfileLock
        | ManifestKind::Pylock => false,
        ManifestKind::PackageJson => format.is_javascript(),
        ManifestKind::PnpmWorkspace => format == LockFormat::Pnpm,
    }
}

/// For a pip-tools input `x.in`, the name of `x.txt` beside it when that file says in
/// its header that it was compiled from `x.in` (pip-compile and `uv pip compile` write
/// the command line there). `dir` is the canonical directory of both.
fn compiled_output(manifest: &Path, dir: &Path) -> Option<String> {
    let name = manifest.file_name()?.to_str()?;
    let stem = name.strip_suffix(".in")?;
    let output = format!("{stem}.txt");
    let bytes = read_capped(&dir.join(&output), None, |_| {}).ok()?;
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
    let names_input = head
        .lines()
        .take_while(|line| line.starts_with('#') || line.trim().is_empty())
        .any(|line| {
            (line.contains("pip-compile") || line.contains("uv pip compile"))
                && line
                    .split_whitespace()
                    .any(|word| word == name || word.rsplit(['/', '\\']).next() == Some(name))
        });
    names_input.then_some(output)
}

/// What workspace discovery needs of a directory.
#[derive(Debug)]
struct AncestorDir {
    project: AncestorProject,
    /// It holds `.git`: discovery goes no higher.
    repository_root: bool,
}

/// An ancestor directory's `pyproject.toml`, as far as uv's workspace discovery cares.
#[derive(Debug)]
enum AncestorProject {
    /// No `pyproject.toml`, or one that is neither a workspace nor a project.
    None,
    /// A project that is not a workspace root: projects below it are not members of
    /// any workspace further up.
    Project,
    Workspace(WorkspaceMembers),
}

#[derive(Debug)]
struct WorkspaceMembers {
    members: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl WorkspaceMembers {
    fn includes(&self, relative: &Path) -> bool {
        self.members.is_match(relative) && !self.exclude.is_match(relative)
    }
}

impl AncestorProject {
    fn read(path: &Path) -> AncestorProject {
        let Ok(bytes) = read_capped(path, None, |_| {}) else {
            return AncestorProject::None;
        };
        let Ok((text, _)) = decode_owned(bytes) else {
            return AncestorProject::None;
        };
        let Ok(doc) = text.parse::<toml::Table>() else {
            return AncestorProject::None;
        };
        let workspace = doc
            .get("tool")
            .and_then(|tool| tool.get("uv"))
            .and_then(|uv| uv.get("workspace"))
            .and_then(toml::Value::as_table);
        let Some(workspace) = workspace else {
            return if doc.contains_key("project") {
                AncestorProject::Project
            } else {
                AncestorProject::None
            };
        };
        let globs = |key: &str| {
            let mut builder = globset::GlobSetBuilder::new();
            for pattern in workspace
                .get(key)
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(toml::Value::as_str)
            {
                let pattern = pattern.trim_start_matches("./").trim_end_matches('/');
                if let Ok(glob) = globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .build()
                {
                    builder.add(glob);
                }
            }
            builder
                .build()
                .unwrap_or_else(|_| globset::GlobSet::empty())
        };
        AncestorProject::Workspace(WorkspaceMembers {
            members: globs("members"),
            exclude: globs("exclude"),
        })
    }
}

/// The lock files directly in `dir`, sorted by name for a stable order. Those that
/// `.gitignore` (or `.ignore`) excludes are left out, as a walk leaves them out: a lock
/// file that is not committed is not the project's lock, and using it would make a
/// local run disagree with CI.
fn list_lock_files(dir: &Path, opened: Option<OpenDir>) -> Vec<(String, LockFormat)> {
    let opened = match opened {
        Some(opened) => opened,
        None => match OpenDir::open(dir) {
            Ok(opened) => opened,
            Err(_) => return Vec::new(),
        },
    };
    let names = opened.files_named(|name| LockFormat::of_file_name(name).is_some());
    let mut found: Vec<(String, LockFormat)> = names
        .into_iter()
        .filter_map(|name| {
            let format = LockFormat::of_file_name(&name)?;
            Some((name, format))
        })
        .collect();
    if !found.is_empty() {
        // Most directories hold no lock: only these pay for reading ignore files.
        let visible: Vec<std::ffi::OsString> = walk_builder(dir)
            .max_depth(Some(1))
            .build()
            .filter_map(Result::ok)
            .filter(|entry| entry.depth() == 1)
            .map(|entry| entry.file_name().to_os_string())
            .collect();
        found.retain(|(name, _)| visible.iter().any(|v| v.as_os_str() == name.as_str()));
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn going_up_keeps_relative_paths_relative() {
        assert_eq!(up(Path::new("a/b")), Path::new("a"));
        assert_eq!(up(Path::new("a")), Path::new("."));
        assert_eq!(up(Path::new(".")), Path::new(".."));
        assert_eq!(up(Path::new("../x")), Path::new(".."));
        assert_eq!(up(Path::new("..")), Path::new("../.."));
        assert_eq!(up(Path::new("/srv/app")), Path::new("/srv"));
    }

    #[test]
    fn a_lock_read_as_a_manifest_is_not_read_again() {
        use crate::manifest::ManifestKind;
        let dir = tempfile::tempdir().unwrap();
        let on_disk = "[[package]]\nname = \"a\"\nversion = \"1.0\"\n";
        std::fs::write(dir.path().join("uv.lock"), on_disk).unwrap();
        std::fs::write(
            dir.path().join("pyproject.toml"),
            "[project]\nname = \"p\"\n",
        )
        .unwrap();
        let load = |name: &str, kind: ManifestKind, text: &str| {
            crate::project::parse_text(&dir.path().join(name), kind, dir.path(), text.to_string())
        };
        // The text the lock was linted with differs from the disk: the manifest's lock
        // is parsed from it, so the file was not read a second time.
        let linted = "[[package]]\nname = \"a\"\nversion = \"2.0\"\n";
        let locks = Locks::new(&[]);
        locks.offer(&load("uv.lock", ManifestKind::UvLock, linted));
        let manifest = load(
            "pyproject.toml",
            ManifestKind::Pyproject,
            "[project]\nname = \"p\"\n",
        );
        let found = locks.of(&manifest);
        let found = found.get();
        assert_eq!(found.len(), 1);
        let file = found[0].file.unwrap();
        assert_eq!(file.get("a")[0].version.as_ref().unwrap().text, "2.0");
        // Without an offer, the file is read.
        let fresh = Locks::new(&[]);
        let found = fresh.of(&manifest);
        let file = found.get()[0].file.unwrap();
        assert_eq!(file.get("a")[0].version.as_ref().unwrap().text, "1.0");
    }
}
