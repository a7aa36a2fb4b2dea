//! A directory opened once: to learn that it is a real directory (not a link) and to
//! list it, which otherwise takes an `lstat`, then an `open`, an `fstat` and the reads.
//! Lock discovery lists every manifest directory of a run, so these calls add up.
//!
//! On Linux the directory is opened with `O_NOFOLLOW` and read with `getdents64`
//! through rustix; elsewhere the same answers come from `lstat` and `std::fs::read_dir`.

use std::io;
use std::path::Path;

/// An open directory, to be listed once.
pub struct OpenDir {
    #[cfg(target_os = "linux")]
    fd: rustix::fd::OwnedFd,
    #[cfg(not(target_os = "linux"))]
    path: std::path::PathBuf,
}

impl std::fmt::Debug for OpenDir {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OpenDir")
    }
}

#[cfg(target_os = "linux")]
impl OpenDir {
    /// Open `path` if it is a directory and not itself a link (links on the way to it
    /// are followed, as `lstat` follows them).
    pub fn open_no_follow(path: &Path) -> io::Result<OpenDir> {
        Self::open_with(path, rustix::fs::OFlags::NOFOLLOW)
    }

    /// Open the directory `path`, following links.
    pub fn open(path: &Path) -> io::Result<OpenDir> {
        Self::open_with(path, rustix::fs::OFlags::empty())
    }

    fn open_with(path: &Path, extra: rustix::fs::OFlags) -> io::Result<OpenDir> {
        use rustix::fs::{CWD, Mode, OFlags, openat};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | extra;
        let fd = openat(CWD, path, flags, Mode::empty())?;
        Ok(OpenDir { fd })
    }

    /// The names of the regular files and links in the directory that `wanted`
    /// accepts; a read error ends the listing. A file system that does not give entry
    /// types costs one `lstat` for each wanted name, never one per entry.
    pub fn files_named(self, wanted: impl Fn(&str) -> bool) -> Vec<String> {
        use rustix::fs::{AtFlags, FileType, RawDir, statat};
        use std::mem::MaybeUninit;
        let mut buffer = [MaybeUninit::<u8>::uninit(); 8192];
        let mut entries = RawDir::new(&self.fd, &mut buffer);
        let mut names = Vec::new();
        while let Some(Ok(entry)) = entries.next() {
            let Ok(name) = entry.file_name().to_str() else {
                continue;
            };
            if !wanted(name) {
                continue;
            }
            let file_type = match entry.file_type() {
                FileType::Unknown => {
                    match statat(&self.fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW) {
                        Ok(stat) => FileType::from_raw_mode(stat.st_mode),
                        Err(_) => continue,
                    }
                }
                known => known,
            };
            if matches!(file_type, FileType::RegularFile | FileType::Symlink) {
                names.push(name.to_string());
            }
        }
        names
    }
}

#[cfg(not(target_os = "linux"))]
impl OpenDir {
    /// Open `path` if it is a directory and not itself a link (links on the way to it
    /// are followed, as `lstat` follows them).
    pub fn open_no_follow(path: &Path) -> io::Result<OpenDir> {
        let metadata = std::fs::symlink_metadata(path)?;
        if !metadata.is_dir() {
            return Err(io::Error::other("not a directory"));
        }
        Ok(OpenDir {
            path: path.to_path_buf(),
        })
    }

    /// Open the directory `path`, following links.
    pub fn open(path: &Path) -> io::Result<OpenDir> {
        Ok(OpenDir {
            path: path.to_path_buf(),
        })
    }

    /// The names of the regular files and links in the directory that `wanted`
    /// accepts; entries that cannot be read are skipped.
    pub fn files_named(self, wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let mut names = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.path) else {
            return names;
        };
        for entry in entries.filter_map(Result::ok) {
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            if wanted(&name)
                && entry
                    .file_type()
                    .is_ok_and(|t| t.is_file() || t.is_symlink())
            {
                names.push(name);
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_wanted_files_and_links_but_not_directories() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("uv.lock"), "").unwrap();
        std::fs::write(dir.path().join("other.txt"), "").unwrap();
        std::fs::create_dir(dir.path().join("pdm.lock")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("uv.lock", dir.path().join("poetry.lock")).unwrap();
        let opened = OpenDir::open_no_follow(dir.path()).unwrap();
        let mut names = opened.files_named(|name| name.ends_with(".lock"));
        names.sort();
        #[cfg(unix)]
        assert_eq!(names, ["poetry.lock", "uv.lock"]);
        #[cfg(not(unix))]
        assert_eq!(names, ["uv.lock"]);
    }

    #[test]
    fn lists_a_directory_larger_than_one_read() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..600 {
            std::fs::write(
                dir.path()
                    .join(format!("pylock.{i:04}-some-long-name.toml")),
                "",
            )
            .unwrap();
        }
        let names = OpenDir::open(dir.path())
            .unwrap()
            .files_named(|name| name.starts_with("pylock."));
        assert_eq!(names.len(), 600);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_directory_is_not_opened_without_following() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("real")).unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("link")).unwrap();
        assert!(OpenDir::open_no_follow(&dir.path().join("link")).is_err());
        assert!(OpenDir::open(&dir.path().join("link")).is_ok());
        assert!(OpenDir::open_no_follow(&dir.path().join("real")).is_ok());
        std::fs::write(dir.path().join("file"), "").unwrap();
        assert!(OpenDir::open_no_follow(&dir.path().join("file")).is_err());
    }
}
