//! Which lock files apply to which manifest.
//!
//! A manifest's locks are those in the nearest directory, from its own up to the
//! scanned root, that holds any: `uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml`
//! and `pylock.<name>.toml` for every manifest but a Pipfile, whose lock is
//! `Pipfile.lock`. Lock files named in the configuration (pinned requirement files)
//! count as lock files of their own directory, for manifests at any depth below it.
//! A lock file that `.gitignore` or `.ignore` excludes is not one: it is not committed,
//! so using it would make a local run disagree with CI.
//! Locks are read once, and only when a rule asks about them.

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
    CanonicalDirs, CappedReadError, MAX_FILE_SIZE, SourceFile, below_root, parent_dir, read_capped,
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
    /// The answer for each (directory as spelt, root, walked, is a Pipfile): the
    /// manifests of one directory share their locks unless locks are configured by path.
    by_directory: HashMap<(OsString, OsString, bool, bool), FileLocks>,
}

#[derive(Debug)]
struct Slot {
    /// As shown to the user: relative like the manifest that found it.
    path: PathBuf,
    format: LockFormat,
    parsed: OnceLock<Result<LockFile, String>>,
}

/// The lock files that apply to one manifest, read on first use.
#[derive(Debug, Default, Clone)]
pub struct FileLocks(Vec<Arc<Slot>>);

impl FileLocks {
    pub fn get(&self) -> Vec<ManifestLock<'_>> {
        self.0
            .iter()
            .map(|slot| {
                let parsed = slot.parsed.get_or_init(|| read(&slot.path, slot.format));
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
        let shared =
            self.configured.is_empty() && file.canonical.is_none() && kind != ManifestKind::Dotenv;
        let key = shared.then(|| {
            (
                parent_dir(&file.manifest.path).into_os_string(),
                file.root.clone().into_os_string(),
                file.walked,
                kind == ManifestKind::Pipfile,
            )
        });
        if let Some(key) = &key
            && let Some(known) = self.lock_cache().by_directory.get(key)
        {
            return known.clone();
        }
        let found = self.locks_of(file);
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let locks = FileLocks(
            found
                .into_iter()
                .map(|(path, key, format)| {
                    Arc::clone(cache.slots.entry(key.into_os_string()).or_insert_with(|| {
                        Arc::new(Slot {
                            path,
                            format,
                            parsed: OnceLock::new(),
                        })
                    }))
                })
                .collect(),
        );
        if let Some(key) = key {
            cache.by_directory.insert(key, locks.clone());
        }
        locks
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
            format!("it is over the {} MiB limit", MAX_FILE_SIZE / (1024 * 1024))
        }
    })?;
    let (text, _) = decode_owned(bytes).map_err(|e| e.to_string())?;
    LockFile::parse(format, &text).map_err(|e| format!("it is not a valid lock: {e}"))
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
    fn locks_of(&self, file: &SourceFile) -> Vec<(PathBuf, PathBuf, LockFormat)> {
        let kind = file.manifest.kind;
        if kind == ManifestKind::Dotenv {
            return Vec::new();
        }
        let mut display = parent_dir(&file.manifest.path);
        let root = self.cached_canonical(&file.root);
        let walked_dir = match (&root, file.walked) {
            (Some(root), true) => below_root(root, &file.root, &display),
            _ => None,
        };
        // The manifest's own directory is usually resolved here, and then comes back
        // open for its listing.
        let (mut dir, mut opened) = match walked_dir {
            Some(dir) => (dir, None),
            None => match self.canonical_dirs.open(&display) {
                Some(found) => found,
                None => return Vec::new(),
            },
        };
        // Only needed to keep a configured lock from being its own manifest's lock.
        let manifest = match &file.canonical {
            Some(canonical) => Some(canonical.clone()),
            None if !self.configured.is_empty() => std::fs::canonicalize(&file.manifest.path).ok(),
            None => None,
        };
        let manifest = manifest.as_deref();
        // Named lock files are looked for up to the root; configured ones at any level.
        let mut inside_root = root.as_deref().is_none_or(|root| dir.starts_with(root));
        loop {
            let mut found = Vec::new();
            if inside_root {
                let listed;
                let listing: &[(String, LockFormat)] = match &self.walked_locks {
                    Some(walked) if file.walked => {
                        walked.get(dir.as_os_str()).map_or(&[], Vec::as_slice)
                    }
                    _ => {
                        listed = self.listing(&dir, opened.take());
                        &listed
                    }
                };
                for (name, format) in listing {
                    let applies =
                        (*format == LockFormat::Pipfile) == (kind == ManifestKind::Pipfile);
                    if applies {
                        found.push((display.join(name), dir.join(name), *format));
                    }
                }
            }
            for lock in &self.configured {
                let key = lock.canonical.clone().unwrap_or_else(|| lock.path.clone());
                if lock.dir.as_deref() == Some(dir.as_path()) && Some(key.as_path()) != manifest {
                    found.push((lock.path.clone(), key, LockFormat::Requirements));
                }
            }
            if !found.is_empty() {
                return found;
            }
            if root.as_deref() == Some(dir.as_path()) {
                inside_root = false;
            }
            let Some(parent) = dir.parent().map(Path::to_path_buf) else {
                return Vec::new();
            };
            if !inside_root && self.configured.is_empty() {
                return Vec::new();
            }
            dir = parent;
            display = up(&display);
        }
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
}
