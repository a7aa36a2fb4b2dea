//! Which lock files apply to which manifest.
//!
//! A manifest's locks are those in the nearest directory, from its own up to the
//! scanned root, that holds any: `uv.lock`, `poetry.lock`, `pdm.lock`, `pylock.toml`
//! and `pylock.<name>.toml` for every manifest but a Pipfile, whose lock is
//! `Pipfile.lock`. Lock files named in the configuration (pinned requirement files)
//! count as lock files of their own directory, for manifests at any depth below it.
//! Locks are read once, and only when a rule asks about them.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::OnceLock;

use super::{LockFile, LockFormat};
use crate::manifest::ManifestKind;
use crate::manifest::text::decode;
use crate::project::{MAX_FILE_SIZE, SourceFile};

/// The lock files of a run, and which of them each manifest uses.
#[derive(Debug, Default)]
pub struct Locks {
    slots: Vec<Slot>,
    /// Per file of the run (same index as the files): indexes into `slots`.
    per_file: Vec<Vec<usize>>,
}

#[derive(Debug)]
struct Slot {
    /// As shown to the user: relative like the manifest that found it.
    path: PathBuf,
    format: LockFormat,
    parsed: OnceLock<Result<LockFile, String>>,
}

/// One lock that applies to a manifest, read (or why it could not be).
#[derive(Debug, Clone, Copy)]
pub struct ManifestLock<'a> {
    pub path: &'a Path,
    pub file: Result<&'a LockFile, &'a str>,
}

/// A lock file named in the configuration.
struct Configured {
    path: PathBuf,
    canonical: Option<PathBuf>,
    /// Canonical directory it applies under.
    dir: Option<PathBuf>,
}

impl Locks {
    /// Find the locks of every file. `configured` are pinned requirement files named in
    /// the configuration (relative to the current directory or absolute).
    pub fn discover(files: &[SourceFile], configured: &[PathBuf]) -> Locks {
        let configured: Vec<Configured> = configured
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
        let mut locks = Locks::default();
        let mut slot_of: HashMap<PathBuf, usize> = HashMap::new();
        let mut listings: HashMap<PathBuf, Vec<(String, LockFormat)>> = HashMap::new();
        for file in files {
            let found = locks_of(file, &configured, &mut listings);
            let mut indexes = Vec::new();
            for (path, key, format) in found {
                let index = *slot_of.entry(key).or_insert_with(|| {
                    locks.slots.push(Slot {
                        path,
                        format,
                        parsed: OnceLock::new(),
                    });
                    locks.slots.len() - 1
                });
                indexes.push(index);
            }
            locks.per_file.push(indexes);
        }
        locks
    }

    /// The locks that apply to the file at `index` in the run's files, read on first use.
    pub fn for_file(&self, index: usize) -> Vec<ManifestLock<'_>> {
        let Some(slots) = self.per_file.get(index) else {
            return Vec::new();
        };
        slots
            .iter()
            .map(|&slot| {
                let slot = &self.slots[slot];
                let parsed = slot.parsed.get_or_init(|| read(&slot.path, slot.format));
                ManifestLock {
                    path: &slot.path,
                    file: parsed.as_ref().map_err(String::as_str),
                }
            })
            .collect()
    }
}

fn read(path: &Path, format: LockFormat) -> Result<LockFile, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot read it: {e}"))?;
    if metadata.len() > MAX_FILE_SIZE {
        return Err(format!(
            "it is over the {} MiB limit",
            MAX_FILE_SIZE / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read it: {e}"))?;
    let (text, _) = decode(&bytes).map_err(|e| e.to_string())?;
    LockFile::parse(format, &text).map_err(|e| format!("it is not a valid lock: {e}"))
}

/// The directory part of a path, `.` for a bare file name.
fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
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

/// The lock files of one manifest: (display path, canonical key, format).
fn locks_of(
    file: &SourceFile,
    configured: &[Configured],
    listings: &mut HashMap<PathBuf, Vec<(String, LockFormat)>>,
) -> Vec<(PathBuf, PathBuf, LockFormat)> {
    let kind = file.manifest.kind;
    if kind == ManifestKind::Dotenv {
        return Vec::new();
    }
    let mut display = parent_dir(&file.manifest.path);
    let Ok(mut dir) = std::fs::canonicalize(&display) else {
        return Vec::new();
    };
    let root = std::fs::canonicalize(&file.root).ok();
    let manifest = file.canonical.as_deref();
    // Named lock files are looked for up to the root; configured ones at any level.
    let mut inside_root = root.as_deref().is_none_or(|root| dir.starts_with(root));
    loop {
        let mut found = Vec::new();
        if inside_root {
            let listing = listings
                .entry(dir.clone())
                .or_insert_with(|| list_lock_files(&dir));
            for (name, format) in listing.iter() {
                let applies = (*format == LockFormat::Pipfile) == (kind == ManifestKind::Pipfile);
                if applies {
                    found.push((display.join(name), dir.join(name), *format));
                }
            }
        }
        for lock in configured {
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
        if !inside_root && configured.is_empty() {
            return Vec::new();
        }
        dir = parent;
        display = up(&display);
    }
}

/// The lock files directly in `dir`, sorted by name for a stable order.
fn list_lock_files(dir: &Path) -> Vec<(String, LockFormat)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(String, LockFormat)> = entries
        .filter_map(Result::ok)
        .filter(|entry| {
            entry
                .file_type()
                .is_ok_and(|t| t.is_file() || t.is_symlink())
        })
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            let format = LockFormat::of_file_name(&name)?;
            Some((name, format))
        })
        .collect();
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
