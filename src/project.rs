//! Reading manifests from disk and following `-r`/`-c` includes between them.

// FxHash: hashing the paths and inodes of every file with SipHash was a measurable cost.
use rustc_hash::FxHashMap as HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::discover::{Candidate, is_env_template};
use crate::manifest::text::{LineIndex, decode_owned};
use crate::manifest::{Encoding, Include, Item, Manifest, ManifestKind, ParseError};
use crate::open_dir::OpenDir;

/// Files larger than this are not parsed: a manifest is never this big, and reading
/// a multi-gigabyte file by mistake should not stall a pre-commit hook.
pub const MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

/// The limit in force: [`MAX_FILE_SIZE`] unless the configuration's `max-file-size`
/// says otherwise (set once, before files are read).
static FILE_SIZE_LIMIT: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(MAX_FILE_SIZE);

/// The size past which no file is read.
pub fn max_file_size() -> u64 {
    FILE_SIZE_LIMIT.load(std::sync::atomic::Ordering::Relaxed)
}

/// Set the size past which no file is read (`max-file-size`).
pub fn set_max_file_size(bytes: u64) {
    FILE_SIZE_LIMIT.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// A parsed file and what the pipeline knows about it.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub manifest: Manifest,
    pub index: LineIndex,
    /// Which file on disk this is, to recognise one file reached twice (by a walk and
    /// an include, or by two spellings of one path). `None` for text not read from disk.
    pub identity: Option<FileIdentity>,
    /// Canonical path of a file reached through an include (`None` for others: resolving
    /// every path costs a system call per directory level).
    pub canonical: Option<PathBuf>,
    /// Found by walking `root`. The walk never follows a link, so the file's canonical
    /// directory is the canonical root joined with the rest of its path.
    pub walked: bool,
    /// Findings are reported for this file (false for files only read to follow
    /// includes from an explicitly named file).
    pub lint: bool,
    pub template: bool,
    pub root: PathBuf,
    /// Targets of this file's includes, by include item index.
    pub includes: Vec<(usize, IncludeTarget)>,
    /// Its `pinwarden: ignore` directives, found when it is linted (usually none).
    pub directives: Vec<crate::suppress::Directive>,
    /// What it does to pip's hash-checking mode, found when it is linted.
    pub hash_mode: crate::policy::hash_mode::Facts,
    /// Set when the text was freed after linting: its digest, so that a report that
    /// reads the file again (see [`SourceFile::reread`]) knows it is the same text.
    pub dropped_text: Option<TextDigest>,
}

/// The length and a fast hash of a file's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextDigest {
    len: usize,
    hash: u64,
}

impl TextDigest {
    pub fn of(text: &str) -> TextDigest {
        use std::hash::{BuildHasher, BuildHasherDefault};
        TextDigest {
            len: text.len(),
            hash: BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text),
        }
    }
}

impl SourceFile {
    /// Free the text and line index once no later stage of the run reads them;
    /// `reread`: a report will read the file again (see [`SourceFile::reread`]), so
    /// keep the digest that tells it the text is unchanged.
    pub fn drop_text(&mut self, reread: bool) {
        self.dropped_text = reread.then(|| TextDigest::of(&self.manifest.text));
        self.manifest.text = String::new();
        self.index = LineIndex::new("");
    }

    /// The text freed by [`SourceFile::drop_text`], read again from disk as it was read
    /// first, with its line index; `None` when it cannot be read or is no longer the
    /// text that was linted (it changed during the run), so no excerpt can be trusted.
    pub fn reread(&self) -> Option<(String, LineIndex)> {
        let digest = self.dropped_text?;
        let file = open_file(&self.manifest.path).ok()?;
        let mut identity = None;
        let (text, _) = read(&self.manifest.path, file, None, &mut identity).ok()?;
        (TextDigest::of(&text) == digest).then(|| {
            let index = LineIndex::new(&text);
            (text, index)
        })
    }
}

/// The identity of a file on disk: device and inode where the platform has them (one
/// `stat`, already made to check the size), else the canonical path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FileIdentity {
    Inode(u64, u64),
    Path(PathBuf),
}

/// What a `stat` told of a file: enough to read it without another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    pub len: u64,
    /// A regular file (not a pipe or a device), whose length is its content's.
    pub regular: bool,
    pub identity: Option<FileIdentity>,
}

impl Stat {
    pub fn of(path: &Path, metadata: &std::fs::Metadata) -> Stat {
        Stat {
            len: metadata.len(),
            regular: metadata.is_file(),
            identity: FileIdentity::of(path, metadata),
        }
    }
}

impl FileIdentity {
    fn of(path: &Path, metadata: &std::fs::Metadata) -> Option<FileIdentity> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            Some(FileIdentity::Inode(metadata.dev(), metadata.ino()))
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            std::fs::canonicalize(path).ok().map(FileIdentity::Path)
        }
    }
}

/// Where an include leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeTarget {
    /// An index into the project's files.
    File(usize),
    Missing(PathBuf),
    /// Resolves outside the scanned root: not read.
    OutsideRoot(PathBuf),
    /// A URL include; pip would download it, pinwarden does not.
    Remote,
}

/// Read, decode and parse one file. Problems reading it become a parse-error item, so
/// they are reported like any finding and the other files are still linted.
///
/// `known` is what a `stat` already told of the file (one named on the command line),
/// so reading it takes no second one.
pub fn load(
    path: &Path,
    kind: ManifestKind,
    root: &Path,
    lint: bool,
    known: Option<&Stat>,
) -> SourceFile {
    let mut identity = None;
    let read = open_file(path)
        .map_err(|e| read_error(CappedReadError::Io(e)))
        .and_then(|file| read(path, file, known, &mut identity));
    parsed(path, kind, root, lint, read, identity)
}

/// [`load`] for a file named on the command line and not `stat`ed
/// ([`crate::discover::NamedPaths::Trusted`]): `None` when it cannot be opened or is a
/// directory, which a `stat` first reports differently.
pub fn load_unchecked(path: &Path, kind: ManifestKind, root: &Path) -> Option<SourceFile> {
    let file = open_file(path).ok()?;
    let metadata = file.metadata().ok()?;
    // A directory, a FIFO or a device: the `stat` of a second discovery reports it.
    if !metadata.is_file() {
        return None;
    }
    let stat = Stat::of(path, &metadata);
    let mut identity = None;
    let read = read(path, file, Some(&stat), &mut identity);
    Some(parsed(path, kind, root, true, read, identity))
}

/// The source file of what [`read`] gave: parsed, or one parse error saying why not.
fn parsed(
    path: &Path,
    kind: ManifestKind,
    root: &Path,
    lint: bool,
    read: Result<(String, Encoding), String>,
    identity: Option<FileIdentity>,
) -> SourceFile {
    let (text, encoding, items) = match read {
        Ok((text, encoding)) => {
            let items = crate::manifest::parse(kind, &text);
            (text, encoding, items)
        }
        Err(message) => (
            String::new(),
            Encoding::Utf8,
            vec![Item::ParseError(ParseError {
                message,
                span: 0..0,
            })],
        ),
    };
    let mut file = from_text(path, kind, root, lint, text, encoding, items);
    file.identity = identity;
    file
}

/// Parse text already in memory (stdin, tests) as a UTF-8 file of `kind` to lint.
pub fn parse_text(path: &Path, kind: ManifestKind, root: &Path, text: String) -> SourceFile {
    let items = crate::manifest::parse(kind, &text);
    from_text(path, kind, root, true, text, Encoding::Utf8, items)
}

/// Build a source file from text already in memory (stdin, tests).
pub fn from_text(
    path: &Path,
    kind: ManifestKind,
    root: &Path,
    lint: bool,
    text: String,
    encoding: Encoding,
    items: Vec<Item>,
) -> SourceFile {
    SourceFile {
        index: LineIndex::new(&text),
        manifest: Manifest {
            path: std::sync::Arc::from(path),
            kind,
            encoding,
            text,
            items,
        },
        identity: None,
        canonical: None,
        walked: false,
        lint,
        template: is_env_template(path),
        root: root.to_path_buf(),
        includes: Vec::new(),
        directives: Vec::new(),
        dropped_text: None,
        hash_mode: Default::default(),
    }
}

fn read(
    path: &Path,
    file: std::fs::File,
    known: Option<&Stat>,
    identity: &mut Option<FileIdentity>,
) -> Result<(String, Encoding), String> {
    if let Some(known) = known {
        identity.clone_from(&known.identity);
    }
    let bytes = read_open_capped(file, known, |metadata| {
        *identity = FileIdentity::of(path, metadata)
    })
    .map_err(read_error)?;
    decode_owned(bytes).map_err(|e| e.to_string())
}

/// The message of a parse error for a manifest that could not be read.
fn read_error(err: CappedReadError) -> String {
    match err {
        CappedReadError::Io(e) => format!("cannot read file: {e}"),
        CappedReadError::TooLarge(len) => format!(
            "file is {} MiB, over the {} MiB limit for a manifest; not parsed",
            len / (1024 * 1024),
            max_file_size() / (1024 * 1024)
        ),
        CappedReadError::Grew => format!(
            "file grew over the {} MiB limit for a manifest while it was read; not parsed",
            max_file_size() / (1024 * 1024)
        ),
    }
}

/// Why [`read_capped`] gave up.
#[derive(Debug)]
pub enum CappedReadError {
    Io(std::io::Error),
    /// Over [`max_file_size`] (its length in bytes): never read.
    TooLarge(u64),
    /// Grew over the limit while it was read.
    Grew,
}

/// The bytes of a file of at most [`max_file_size`]: one open and one `fstat` give the
/// size check and the buffer size; `on_metadata` sees the metadata first, even for a
/// file that is then refused. With `known`, what a `stat` already told, no `fstat` is
/// made and `on_metadata` is not called.
pub fn read_capped(
    path: &Path,
    known: Option<&Stat>,
    on_metadata: impl FnOnce(&std::fs::Metadata),
) -> Result<Vec<u8>, CappedReadError> {
    let file = open_file(path).map_err(CappedReadError::Io)?;
    read_open_capped(file, known, on_metadata)
}

/// Open a file for reading without ever blocking: a FIFO opened the usual way waits
/// for a writer forever (a pull request can commit one where a manifest is expected).
/// Opened non-blocking, it opens at once, and [`read_open_capped`] refuses it, as it
/// refuses every file that is not a regular one.
pub fn open_file(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(
            (rustix::fs::OFlags::NONBLOCK | rustix::fs::OFlags::NOCTTY).bits() as i32,
        );
    }
    options.open(path)
}

/// The decoded text of a file pinwarden reads besides manifests (configuration,
/// baseline, rule file), bounded like a manifest: `--config /dev/zero` is refused at
/// once instead of read until memory runs out. The error says why, for a message.
pub fn read_text_capped(path: &Path) -> Result<String, String> {
    let bytes = read_capped(path, None, |_| {}).map_err(|err| match err {
        CappedReadError::Io(e) => e.to_string(),
        CappedReadError::TooLarge(_) | CappedReadError::Grew => {
            format!(
                "it is over the {} MiB limit",
                max_file_size() / (1024 * 1024)
            )
        }
    })?;
    decode_owned(bytes)
        .map(|(text, _)| text)
        .map_err(|e| e.to_string())
}

/// The error for a path that is not a regular file (a FIFO, a socket, a device).
pub fn not_a_regular_file() -> std::io::Error {
    std::io::Error::other("not a regular file; only regular files are read")
}

/// [`read_capped`] of a file already open.
fn read_open_capped(
    mut file: std::fs::File,
    known: Option<&Stat>,
    on_metadata: impl FnOnce(&std::fs::Metadata),
) -> Result<Vec<u8>, CappedReadError> {
    use std::io::Read;
    let (len, regular) = match known {
        Some(stat) => (stat.len, stat.regular),
        None => {
            let metadata = file.metadata().map_err(CappedReadError::Io)?;
            on_metadata(&metadata);
            (metadata.len(), metadata.is_file())
        }
    };
    if !regular {
        return Err(CappedReadError::Io(not_a_regular_file()));
    }
    if len > max_file_size() {
        return Err(CappedReadError::TooLarge(len));
    }
    // The size is a hint (the file may change while read), never a limit beyond the cap.
    let mut bytes = vec![0; len as usize + 1];
    let mut filled = 0;
    while filled < bytes.len() {
        let asked = bytes.len() - filled;
        let got = match file.read(&mut bytes[filled..]) {
            Ok(got) => got,
            Err(err) if err.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(CappedReadError::Io(err)),
        };
        filled += got;
        // A regular file that gives fewer bytes than asked, having given all its size,
        // is at its end: no read is needed to see it.
        if got == 0 || (regular && got < asked && filled as u64 == len) {
            bytes.truncate(filled);
            return Ok(bytes);
        }
    }
    // Bigger than its size said: it grew while read. Read on, to the cap.
    (&mut file)
        .take((max_file_size() + 1).saturating_sub(filled as u64))
        .read_to_end(&mut bytes)
        .map_err(CappedReadError::Io)?;
    if bytes.len() as u64 > max_file_size() {
        return Err(CappedReadError::Grew);
    }
    Ok(bytes)
}

/// What happens to each file as soon as it is read: it is linted, giving its findings,
/// and may drop items no later stage needs.
pub type OnLoaded<'a, T> = dyn Fn(&mut SourceFile) -> T + Sync + 'a;

/// Load the candidates in parallel, each handed to `on_loaded` as soon as it is
/// parsed, then follow includes until every reachable file inside its root is loaded.
/// Included files found by a walk are linted; files reached only from an explicitly
/// named file are read for the include checks but not reported on.
/// `canonical_dirs` are shared with lock discovery, which resolves most manifest
/// directories first.
///
/// `None` when an unchecked candidate ([`Candidate::unchecked`]) is not a file that
/// opens: the caller discovers again with a `stat` for each named path.
pub fn load_all<T: Send>(
    candidates: &[Candidate],
    canonical_dirs: &CanonicalDirs,
    on_loaded: &OnLoaded<T>,
    sink: &mut dyn FnMut(T),
) -> Option<Vec<SourceFile>> {
    // In batches, each loaded in parallel and handed to `sink` in order: what the files
    // give (their findings, or their rendered report) is held for a batch or two, not
    // for the whole run, when `sink` writes it on. While `sink` takes one batch (on
    // this thread, one at a time), the next loads on the pool: the cores are not left
    // waiting for it.
    const BATCH: usize = 2048;
    let load_batch = |batch: &[Candidate]| -> Vec<Option<(SourceFile, T)>> {
        crate::parallel::map(batch, |c| {
            let mut file = if c.unchecked {
                load_unchecked(&c.path, c.kind, &c.root)?
            } else {
                load(&c.path, c.kind, &c.root, true, c.stat.as_ref())
            };
            file.walked = !c.explicit;
            let given = on_loaded(&mut file);
            Some((file, given))
        })
    };
    let mut files: Vec<SourceFile> = Vec::with_capacity(candidates.len());
    // Hands a loaded batch on in order; false at a candidate that did not load.
    let mut take = |loaded: Vec<Option<(SourceFile, T)>>| {
        for entry in loaded {
            let Some((file, given)) = entry else {
                return false;
            };
            files.push(file);
            sink(given);
        }
        true
    };
    let complete = if crate::parallel::is_few(candidates.len()) {
        // A few files named by a hook: loaded here, with no thread to start.
        take(load_batch(candidates))
    } else {
        std::thread::scope(|scope| {
            let mut batches = candidates.chunks(BATCH);
            let mut loading = batches
                .next()
                .map(|batch| scope.spawn(move || load_batch(batch)));
            while let Some(handle) = loading.take() {
                loading = batches
                    .next()
                    .map(|batch| scope.spawn(move || load_batch(batch)));
                // A panic while loading is a panic of this run, as without the thread.
                let loaded = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                if !take(loaded) {
                    return false;
                }
            }
            true
        })
    };
    if !complete {
        return None;
    }
    let explicit: Vec<bool> = candidates.iter().map(|c| c.explicit).collect();
    resolve_includes(&mut files, &explicit, canonical_dirs, on_loaded, sink);
    Some(files)
}

/// Follow the includes of `files` (named explicitly: the files they reach are read for
/// the include checks, not reported on) and of every file they reach, handing what
/// `on_loaded` gives for each file read to `sink`.
pub fn follow_includes<T: Send>(
    files: &mut Vec<SourceFile>,
    canonical_dirs: &CanonicalDirs,
    on_loaded: &OnLoaded<T>,
    sink: &mut dyn FnMut(T),
) {
    let explicit = vec![true; files.len()];
    resolve_includes(files, &explicit, canonical_dirs, on_loaded, sink);
}

/// The identity of the file at `path` on disk, when there is one.
pub fn identity_on_disk(path: &Path) -> Option<FileIdentity> {
    let metadata = std::fs::metadata(path).ok()?;
    FileIdentity::of(path, &metadata)
}

fn resolve_includes<T: Send>(
    files: &mut Vec<SourceFile>,
    explicit: &[bool],
    canonical_dirs: &CanonicalDirs,
    on_loaded: &OnLoaded<T>,
    sink: &mut dyn FnMut(T),
) {
    let mut by_identity: HashMap<FileIdentity, usize> = files
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.identity.clone().map(|id| (id, i)))
        .collect();
    // Whether each file's includes should themselves be linted.
    let mut lint_children: Vec<bool> = (0..files.len())
        .map(|i| !explicit.get(i).copied().unwrap_or(false))
        .collect();
    // In rounds: the includes of every file not yet looked at, then the files they
    // reach for the first time. Files get their indices in the order a one-by-one walk
    // would give them.
    let mut next = 0;
    while next < files.len() {
        let batch = next..files.len();
        // Each include costs a few system calls: resolved in parallel.
        let resolved: Vec<Vec<(usize, Resolved)>> =
            crate::parallel::map(&files[batch.clone()], |file| {
                if file.manifest.includes().next().is_none() {
                    return Vec::new();
                }
                let root = canonical_dirs.get(&file.root);
                let base = base_canonical(file, root.as_deref(), canonical_dirs);
                file.manifest
                    .items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, item)| match item {
                        Item::Include(include) => {
                            Some((i, resolve(file, root.as_deref(), base.as_deref(), include)))
                        }
                        _ => None,
                    })
                    .collect()
            });
        // (shown path, canonical path, root, lint) of each file reached for the first time.
        let mut first_reached: Vec<(PathBuf, PathBuf, PathBuf, bool)> = Vec::new();
        for (from, includes) in batch.clone().zip(resolved) {
            let mut targets = Vec::with_capacity(includes.len());
            for (item_index, target) in includes {
                let target = match target {
                    Resolved::Found(path, canonical, identity) => {
                        let index = *by_identity.entry(identity).or_insert_with(|| {
                            first_reached.push((
                                path,
                                canonical,
                                files[from].root.clone(),
                                lint_children[from],
                            ));
                            batch.end + first_reached.len() - 1
                        });
                        IncludeTarget::File(index)
                    }
                    Resolved::Missing(path) => IncludeTarget::Missing(path),
                    Resolved::Outside(path) => IncludeTarget::OutsideRoot(path),
                    Resolved::Remote => IncludeTarget::Remote,
                };
                targets.push((item_index, target));
            }
            files[from].includes = targets;
        }
        let loaded: Vec<(SourceFile, T, bool)> =
            crate::parallel::map_owned(first_reached, |(path, canonical, root, lint)| {
                let mut file = load(&path, ManifestKind::Requirements, &root, lint, None);
                file.canonical = Some(canonical);
                let given = on_loaded(&mut file);
                (file, given, lint)
            });
        for (file, given, lint) in loaded {
            sink(given);
            lint_children.push(lint);
            files.push(file);
        }
        next = batch.end;
    }
}

/// The canonical directory of `file`, which its includes are relative to: known
/// without a system call for a walked or included file.
fn base_canonical(
    file: &SourceFile,
    canonical_root: Option<&Path>,
    canonical_dirs: &CanonicalDirs,
) -> Option<PathBuf> {
    if let Some(canonical) = &file.canonical {
        return canonical.parent().map(Path::to_path_buf);
    }
    let dir = parent_dir(&file.manifest.path);
    match canonical_root {
        Some(root) if file.walked => below_root(root, &file.root, &dir),
        _ => canonical_dirs.get(&dir),
    }
}

/// The directory part of a path, `.` for a bare file name.
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Canonical forms of directories as spelt, each resolved once and from its parent's:
/// one `lstat` for a directory that is not a link, where resolving a whole path costs a
/// system call per level. The files of a pre-commit run share most of their parents.
/// Keyed by the path's bytes: hashing a `Path` parses its components.
#[derive(Debug, Default)]
pub struct CanonicalDirs(Mutex<HashMap<std::ffi::OsString, Option<PathBuf>>>);

impl CanonicalDirs {
    pub fn get(&self, path: &Path) -> Option<PathBuf> {
        if let Some(canonical) = self.known().get(path.as_os_str()) {
            return canonical.clone();
        }
        let canonical = self.resolve(path);
        self.known()
            .insert(path.as_os_str().to_owned(), canonical.clone());
        canonical
    }

    /// [`CanonicalDirs::get`] for a directory about to be listed. When this call
    /// resolves it, the directory comes back open: the `open` that refuses a link
    /// stands for the `lstat`, and the listing reads from it.
    pub fn open(&self, path: &Path) -> Option<(PathBuf, Option<OpenDir>)> {
        if let Some(canonical) = self.known().get(path.as_os_str()) {
            return canonical.clone().map(|canonical| (canonical, None));
        }
        let Some(std::path::Component::Normal(name)) = path.components().next_back() else {
            return self.get(path).map(|canonical| (canonical, None));
        };
        let parent = self.get(&parent_dir(path))?;
        match OpenDir::open_no_follow(path) {
            Ok(opened) => {
                let canonical = parent.join(name);
                self.known()
                    .insert(path.as_os_str().to_owned(), Some(canonical.clone()));
                Some((canonical, Some(opened)))
            }
            // A link, not a directory, or unreadable: resolved as any path is.
            Err(_) => self.get(path).map(|canonical| (canonical, None)),
        }
    }

    fn resolve(&self, path: &Path) -> Option<PathBuf> {
        let Some(std::path::Component::Normal(name)) = path.components().next_back() else {
            // `.`, `..`, `/`: resolved whole.
            return std::fs::canonicalize(path).ok();
        };
        let parent = self.get(&parent_dir(path))?;
        let metadata = std::fs::symlink_metadata(path).ok()?;
        if metadata.file_type().is_symlink() {
            return std::fs::canonicalize(path).ok();
        }
        Some(parent.join(name))
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<std::ffi::OsString, Option<PathBuf>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The canonical path of an include's target `path` (the including file's directory
/// joined with `target`), and its metadata. A bare file name next to a file whose
/// canonical directory is known (`-r base.in`, nearly every include) takes one
/// `lstat`; anything else (a link, `..`, a subdirectory) the full resolution, a system
/// call per directory level.
fn canonical_file(
    path: &Path,
    base_canonical: Option<&Path>,
    target: &str,
) -> Option<(PathBuf, std::fs::Metadata)> {
    let mut components = Path::new(target).components();
    if let (Some(base), Some(std::path::Component::Normal(name)), None) =
        (base_canonical, components.next(), components.next())
    {
        // `path` names the same file by a path that is usually shorter to look up.
        match std::fs::symlink_metadata(path) {
            Ok(metadata) if !metadata.file_type().is_symlink() => {
                return Some((base.join(name), metadata));
            }
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    let canonical = std::fs::canonicalize(path).ok()?;
    let metadata = std::fs::metadata(&canonical).ok()?;
    Some((canonical, metadata))
}

enum Resolved {
    /// As shown, canonical, and identity.
    Found(PathBuf, PathBuf, FileIdentity),
    Missing(PathBuf),
    Outside(PathBuf),
    Remote,
}

/// Where `include` of `file` leads. `canonical_root` is the canonical form of the
/// file's root, `base_canonical` that of its directory, where known.
fn resolve(
    file: &SourceFile,
    canonical_root: Option<&Path>,
    base_canonical: Option<&Path>,
    include: &Include,
) -> Resolved {
    let target = include.target.trim();
    if target.contains("://") {
        return Resolved::Remote;
    }
    let target = target.strip_prefix("file:").unwrap_or(target);
    let (base, base_canonical) = match file.manifest.kind {
        // A workflow's `run:` steps run in the checkout: the directory holding
        // `.github/workflows/`.
        ManifestKind::Workflow => (
            file.manifest
                .path
                .ancestors()
                .nth(3)
                .unwrap_or(Path::new("")),
            None,
        ),
        _ => (
            file.manifest.path.parent().unwrap_or(Path::new("")),
            base_canonical,
        ),
    };
    let path = base.join(target);
    let Some((canonical, metadata)) = canonical_file(&path, base_canonical, target) else {
        return Resolved::Missing(without_dot_dot(&path));
    };
    let root = canonical_root.unwrap_or(&file.root);
    let Ok(inside) = canonical.strip_prefix(root) else {
        return Resolved::Outside(without_dot_dot(&path));
    };
    if metadata.is_dir() {
        return Resolved::Missing(without_dot_dot(&path));
    }
    let Some(identity) = FileIdentity::of(&canonical, &metadata) else {
        return Resolved::Missing(without_dot_dot(&path));
    };
    // Named like a file the walk would find (`shared/base.txt`, not
    // `app/../shared/base.txt`), so reports and per-path settings see one name per file.
    let shown = file.root.join(inside);
    let shown = shown.strip_prefix(".").unwrap_or(&shown).to_path_buf();
    Resolved::Found(shown, canonical, identity)
}

/// The canonical form of `display`, a directory the walk of `root` went through:
/// `canonical_root` joined with the rest, without a system call per directory. `None`
/// when `display` does not lie plainly below `root`.
pub fn below_root(canonical_root: &Path, root: &Path, display: &Path) -> Option<PathBuf> {
    let rest = if root == Path::new(".") {
        display
    } else {
        display.strip_prefix(root).ok()?
    };
    let mut dir = canonical_root.to_path_buf();
    for component in rest.components() {
        match component {
            std::path::Component::Normal(name) => dir.push(name),
            std::path::Component::CurDir => {}
            _ => return None,
        }
    }
    Some(dir)
}

/// `path` with `..` folded into the component before it where there is one. For
/// display only: the file system decides where a path really leads.
fn without_dot_dot(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component> = Vec::new();
    for component in path.components() {
        match (component, out.last()) {
            (Component::ParentDir, Some(Component::Normal(_))) => {
                out.pop();
            }
            (Component::CurDir, Some(_)) => {}
            _ => out.push(component),
        }
    }
    out.iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A freed text is read again as it was; a file that changed since is not taken.
    #[test]
    fn text_is_read_again_only_when_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.txt");
        std::fs::write(&path, "flask>=2\r\nsix\n").unwrap();
        let mut file = from_text(
            &path,
            ManifestKind::Requirements,
            dir.path(),
            true,
            "flask>=2\r\nsix\n".to_string(),
            Encoding::Utf8,
            Vec::new(),
        );
        assert!(file.reread().is_none(), "nothing was freed");
        file.drop_text(true);
        assert!(file.manifest.text.is_empty());
        let (text, index) = file.reread().unwrap();
        assert_eq!(text, "flask>=2\r\nsix\n");
        assert_eq!(index.line_col(&text, 10).line, 2);
        std::fs::write(&path, "flask>=3\r\nsix\n").unwrap();
        assert!(file.reread().is_none(), "the file changed during the run");
    }

    /// Whatever a stale `stat` said, the whole file is read, and only the file.
    #[test]
    fn reads_the_whole_file_whatever_its_stat_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.txt");
        let text = "a==1\nb==2\n".repeat(1000);
        std::fs::write(&path, &text).unwrap();
        let real = Stat::of(&path, &std::fs::metadata(&path).unwrap());
        for len in [
            0,
            1,
            7,
            text.len() as u64 - 1,
            text.len() as u64,
            text.len() as u64 + 9,
        ] {
            let stat = Stat {
                len,
                ..real.clone()
            };
            let bytes = read_capped(&path, Some(&stat), |_| {}).unwrap();
            assert_eq!(bytes, text.as_bytes(), "stat said {len} bytes");
            // What a `stat` said was not a regular file is never read.
            let pipe = Stat {
                len,
                regular: false,
                ..real.clone()
            };
            assert!(matches!(
                read_capped(&path, Some(&pipe), |_| {}),
                Err(CappedReadError::Io(_))
            ));
        }
        let mut seen = None;
        let bytes = read_capped(&path, None, |m| seen = Some(m.len())).unwrap();
        assert_eq!(bytes, text.as_bytes());
        assert_eq!(seen, Some(text.len() as u64));
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "").unwrap();
        assert!(read_capped(&empty, None, |_| {}).unwrap().is_empty());
    }

    #[test]
    fn a_stat_over_the_cap_is_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.txt");
        std::fs::write(&path, "a==1\n").unwrap();
        let stat = Stat {
            len: MAX_FILE_SIZE + 1,
            regular: true,
            identity: None,
        };
        assert!(matches!(
            read_capped(&path, Some(&stat), |_| {}),
            Err(CappedReadError::TooLarge(len)) if len == MAX_FILE_SIZE + 1
        ));
    }

    #[test]
    fn walked_directories_are_found_below_the_canonical_root() {
        let root = Path::new("/srv/repo");
        assert_eq!(
            below_root(root, Path::new("."), Path::new("libs/a")),
            Some(PathBuf::from("/srv/repo/libs/a"))
        );
        assert_eq!(
            below_root(root, Path::new("."), Path::new(".")),
            Some(PathBuf::from("/srv/repo"))
        );
        assert_eq!(
            below_root(root, Path::new("../repo"), Path::new("../repo/libs")),
            Some(PathBuf::from("/srv/repo/libs"))
        );
        assert_eq!(below_root(root, Path::new("app"), Path::new("other")), None);
        assert_eq!(below_root(root, Path::new("."), Path::new("../x")), None);
    }

    #[test]
    fn directories_resolve_from_their_parents() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::create_dir_all(base.join("a/b")).unwrap();
        let dirs = CanonicalDirs::default();
        assert_eq!(dirs.get(&base.join("a/b")), Some(base.join("a/b")));
        assert_eq!(dirs.get(&base.join("a/b/..")), Some(base.join("a")));
        assert_eq!(dirs.get(&base.join("a/missing")), None);
        #[cfg(unix)]
        {
            // A link anywhere on the way is resolved, as `realpath` would.
            std::os::unix::fs::symlink("a/b", base.join("link")).unwrap();
            std::fs::create_dir(base.join("a/b/c")).unwrap();
            assert_eq!(dirs.get(&base.join("link/c")), Some(base.join("a/b/c")));
            assert_eq!(dirs.get(&base.join("link")), Some(base.join("a/b")));
        }
    }

    #[test]
    fn include_targets_resolve_to_canonical_files() {
        let dir = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(dir.path()).unwrap();
        std::fs::write(base.join("base.in"), "six\n").unwrap();
        std::fs::create_dir(base.join("sub")).unwrap();
        std::fs::write(base.join("sub/dev.in"), "six\n").unwrap();
        let resolve = |target: &str| {
            canonical_file(&base.join(target), Some(&base), target).map(|(path, _)| path)
        };
        assert_eq!(resolve("base.in"), Some(base.join("base.in")));
        assert_eq!(resolve("sub/dev.in"), Some(base.join("sub/dev.in")));
        assert_eq!(resolve("sub/../base.in"), Some(base.join("base.in")));
        assert_eq!(resolve("missing.in"), None);
        assert!(resolve("sub").is_some_and(|path| path.is_dir()));
        #[cfg(unix)]
        {
            // A link is followed to the file it names, as pip would read it.
            std::os::unix::fs::symlink("sub/dev.in", base.join("linked.in")).unwrap();
            assert_eq!(resolve("linked.in"), Some(base.join("sub/dev.in")));
            std::os::unix::fs::symlink("nowhere.in", base.join("dangling.in")).unwrap();
            assert_eq!(resolve("dangling.in"), None);
        }
    }
}
