//! Lock files: the versions a resolver actually chose for a project.
//!
//! Each format has its own module that turns the file into a [`LockFile`]: for every
//! project name (PEP 503 normalised), the entries the lock holds, each with its version
//! and whether it comes from a package index or from somewhere else (git, a URL, a
//! local path). Nothing here decides policy: the `lock-drift` check compares
//! manifests with these versions, and the `pin-from-lock` fix ([`pin`]) writes them.

pub mod admits;
pub mod commit;
mod discover;
pub mod drift;
pub mod hashes;
pub mod pin;
pub mod pinned;

mod pdm;
mod pipfile;
mod poetry;
mod pylock;
mod requirements;
mod uv;

mod npm;
mod npm_source;
mod pnpm;
mod yarn;

use std::collections::HashMap;
use std::path::Path;
use std::str::FromStr;

use uv_pep440::Version;

use crate::manifest::{ManifestKind, canonicalize_name};

pub use discover::{FileLocks, Locks, ManifestLock};

/// The lock file formats pinwarden reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LockFormat {
    /// `uv.lock`
    Uv,
    /// `poetry.lock`
    Poetry,
    /// `pdm.lock`
    Pdm,
    /// `Pipfile.lock` (JSON)
    Pipfile,
    /// PEP 751 `pylock.toml` / `pylock.<name>.toml`
    Pylock,
    /// A `pip freeze` / `pip-compile` style requirements file of exact pins, named in
    /// the configuration.
    Requirements,
    /// `pnpm-lock.yaml`
    Pnpm,
    /// `package-lock.json` / `npm-shrinkwrap.json`
    Npm,
    /// `yarn.lock` (yarn 1 and yarn 2+)
    Yarn,
}

impl LockFormat {
    /// The format of a lock file found by its name next to a manifest.
    pub fn of_file_name(name: &str) -> Option<LockFormat> {
        match name {
            "uv.lock" => Some(LockFormat::Uv),
            "poetry.lock" => Some(LockFormat::Poetry),
            "pdm.lock" => Some(LockFormat::Pdm),
            "Pipfile.lock" => Some(LockFormat::Pipfile),
            "pylock.toml" => Some(LockFormat::Pylock),
            "pnpm-lock.yaml" => Some(LockFormat::Pnpm),
            "package-lock.json" | "npm-shrinkwrap.json" => Some(LockFormat::Npm),
            "yarn.lock" => Some(LockFormat::Yarn),
            // PEP 751 names other locks `pylock.<name>.toml`, `<name>` without dots.
            _ => name
                .strip_prefix("pylock.")
                .and_then(|rest| rest.strip_suffix(".toml"))
                .filter(|middle| !middle.is_empty() && !middle.contains('.'))
                .map(|_| LockFormat::Pylock),
        }
    }

    /// Whether this is a lock of npm, pnpm or yarn.
    pub fn is_javascript(self) -> bool {
        matches!(self, LockFormat::Pnpm | LockFormat::Npm | LockFormat::Yarn)
    }

    /// The command that rewrites a stale lock of this format.
    pub fn relock_command(self) -> &'static str {
        match self {
            LockFormat::Uv => "uv lock",
            LockFormat::Poetry => "poetry lock",
            LockFormat::Pdm => "pdm lock",
            LockFormat::Pipfile => "pipenv lock",
            LockFormat::Pylock => "uv export --format pylock.toml",
            LockFormat::Requirements => "uv pip compile",
            LockFormat::Pnpm => "pnpm install",
            LockFormat::Npm => "npm install",
            LockFormat::Yarn => "yarn install",
        }
    }

    /// Whether a lock of this format is resolved from the requirements of `section` in
    /// a manifest of `kind`. A lock drifts only from what it was resolved from: uv does
    /// not lock `build-system.requires`, Hatch environments or Poetry tables, so a
    /// different version there is not drift.
    pub fn covers(self, kind: ManifestKind, section: &str) -> bool {
        if section.starts_with("build-system") {
            return false;
        }
        let pep621 = section.starts_with("project.");
        let groups = section.starts_with("dependency-groups.");
        // JavaScript locks resolve `package.json`, and nothing else does; peer ranges
        // are not resolved for the package itself.
        if kind.is_npm() || self.is_javascript() {
            return kind.is_npm()
                && self.is_javascript()
                && section != "packageManager"
                && section != "peerDependencies";
        }
        match (self, kind) {
            (LockFormat::Pipfile, ManifestKind::Pipfile) => true,
            (LockFormat::Pipfile, _) | (_, ManifestKind::Pipfile) => false,
            (_, ManifestKind::Dotenv | ManifestKind::PipConfig) => false,
            (LockFormat::Requirements, _) => true,
            (LockFormat::Uv, ManifestKind::Pyproject) => {
                pep621 || groups || section.starts_with("tool.uv.")
            }
            (LockFormat::Poetry, ManifestKind::Pyproject) => {
                pep621 || section.starts_with("tool.poetry.")
            }
            (LockFormat::Pdm, ManifestKind::Pyproject) => {
                pep621 || groups || section.starts_with("tool.pdm.")
            }
            (LockFormat::Pylock, ManifestKind::Pyproject) => pep621 || groups,
            // uv and PDM build a setuptools project to read its setup.cfg metadata.
            (LockFormat::Uv | LockFormat::Pdm | LockFormat::Pylock, ManifestKind::SetupCfg) => true,
            (LockFormat::Pylock, ManifestKind::Requirements) => true,
            _ => false,
        }
    }
}

impl LockFormat {
    /// Whether a lock of this format lists every requirement of `section` (without a
    /// marker) of a manifest of `kind`, on every platform: then a requirement it does
    /// not list was added after it was resolved. Narrower than [`LockFormat::covers`]:
    /// PDM and `pylock.toml` exports lock the groups and extras they were asked for,
    /// pip-compile output holds one platform's resolution, and uv's constraints and
    /// overrides are not packages of their own.
    pub fn lists_every(self, kind: ManifestKind, section: &str) -> bool {
        let pep621 = section == "project.dependencies"
            || section.starts_with("project.optional-dependencies.");
        match (self, kind) {
            (LockFormat::Uv, ManifestKind::Pyproject) => {
                pep621
                    || section.starts_with("dependency-groups.")
                    || section == "tool.uv.dev-dependencies"
            }
            (LockFormat::Poetry, ManifestKind::Pyproject) => {
                pep621
                    || section == "tool.poetry.dependencies"
                    || section == "tool.poetry.dev-dependencies"
                    || (section.starts_with("tool.poetry.group.")
                        && section.ends_with(".dependencies"))
            }
            (LockFormat::Pdm | LockFormat::Pylock, ManifestKind::Pyproject) => {
                section == "project.dependencies"
            }
            (LockFormat::Pipfile, ManifestKind::Pipfile) => {
                section == "packages" || section == "dev-packages"
            }
            _ => false,
        }
    }
}

/// A version as the lock writes it, and parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedVersion {
    pub text: String,
    pub parsed: Version,
}

/// Where a locked package comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A package index (PyPI or a private one): the version is the whole story.
    Index,
    /// Git, a URL, a local path or the project itself: a version pin would not say
    /// what gets installed. The text describes it for messages.
    Direct(String),
    /// A direct source that still names exactly what gets built: a local path inside
    /// the checkout (a workspace member, an editable path) or a VCS URL at a full
    /// commit. The text describes it for messages, as for `Direct`.
    Reproducible(String),
}

/// One entry of a lock for one project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedPackage {
    /// `None` when the lock gives no version (a dynamic local project) or one that is
    /// not PEP 440.
    pub version: Option<LockedVersion>,
    pub source: Source,
    /// The hashes of the files the lock lists for this version, as pip writes them
    /// (`sha256:…`), sorted and without duplicates; SHA-256, SHA-384 and SHA-512 only.
    pub hashes: Vec<String>,
    /// For a VCS source the lock resolved to a full commit: where from and to what.
    pub vcs: Option<LockedVcs>,
}

/// A VCS source as a lock resolved it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedVcs {
    /// The repository URL as the lock writes it, without ref or commit.
    pub url: String,
    /// The branch, tag or revision that was asked for; `None` for the default branch.
    pub requested: Option<String>,
    /// The full commit id it resolved to.
    pub commit: String,
}

impl LockedVcs {
    /// A repository URL compared across spellings: no `git+` prefix, scheme and host
    /// lowercased, no trailing `/` or `.git`.
    pub fn same_repository(a: &str, b: &str) -> bool {
        fn normal(url: &str) -> String {
            let url = url.trim();
            let url = url.strip_prefix("git+").unwrap_or(url);
            let url = url.trim_end_matches('/');
            let url = url.strip_suffix(".git").unwrap_or(url);
            match url.split_once("://") {
                Some((scheme, rest)) => {
                    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
                    format!(
                        "{}://{}/{path}",
                        scheme.to_ascii_lowercase(),
                        host.to_ascii_lowercase()
                    )
                }
                None => url.to_string(),
            }
        }
        normal(a) == normal(b)
    }
}

/// A parsed lock file.
#[derive(Debug, Clone)]
pub struct LockFile {
    pub format: LockFormat,
    /// Canonical project name → every entry the lock holds for it (several when the
    /// resolver forked by environment marker).
    pub packages: HashMap<String, Vec<LockedPackage>>,
    /// The tool that wrote the lock, when it says so (`created-by` in `pylock.toml`).
    pub created_by: Option<String>,
    /// The workspace members a JavaScript lock resolves, as directories relative to
    /// it (`.`, `packages/web`); `None` when the format does not record them.
    pub workspace_members: Option<Vec<String>>,
}

impl LockFile {
    pub fn new(format: LockFormat) -> LockFile {
        LockFile {
            format,
            packages: HashMap::new(),
            created_by: None,
            workspace_members: None,
        }
    }

    /// Parse the decoded text of a lock file.
    pub fn parse(format: LockFormat, text: &str) -> Result<LockFile, String> {
        match format {
            LockFormat::Uv => uv::parse(text),
            LockFormat::Poetry => poetry::parse(text),
            LockFormat::Pdm => pdm::parse(text),
            LockFormat::Pipfile => pipfile::parse(text),
            LockFormat::Pylock => pylock::parse(text),
            LockFormat::Requirements => Ok(requirements::parse(text)),
            LockFormat::Pnpm => pnpm::parse(text),
            LockFormat::Npm => npm::parse(text),
            LockFormat::Yarn => yarn::parse(text),
        }
    }

    /// Record one entry. An unparsable version is kept as no version, so the package
    /// is known but never pinned from.
    pub fn add(&mut self, name: &str, version: Option<&str>, source: Source) {
        self.add_hashed(name, version, source, Vec::new());
    }

    /// [`LockFile::add`] with the hashes of the entry's files (`algo:digest`).
    pub fn add_hashed(
        &mut self,
        name: &str,
        version: Option<&str>,
        source: Source,
        hashes: Vec<String>,
    ) {
        let mut hashes: Vec<String> = hashes
            .into_iter()
            .map(|hash| hash.trim().to_ascii_lowercase())
            .filter(|hash| is_pip_hash(hash))
            .collect();
        hashes.sort();
        hashes.dedup();
        let javascript = self.format.is_javascript();
        let version = version.map(str::trim).and_then(|text| {
            let parsed = Version::from_str(text).ok().or_else(|| {
                // A semver pre-release that is not PEP 440 (`15.0.0-canary.12`): npm's
                // rules judge it by its text (see `admits`); the release stands in for
                // it where a PEP 440 version is needed.
                let core = text.split(['-', '+']).next().filter(|_| javascript)?;
                Version::from_str(core).ok()
            })?;
            Some(LockedVersion {
                text: text.to_string(),
                parsed,
            })
        });
        self.packages
            .entry(canonicalize_name(name).into_owned())
            .or_default()
            .push(LockedPackage {
                version,
                source,
                hashes,
                vcs: None,
            });
    }

    /// Record where the entry last added for `name` was resolved from, when it is a VCS
    /// source at a full commit.
    pub fn resolved(&mut self, name: &str, vcs: LockedVcs) {
        if !crate::manifest::lockfile::is_full_commit(&vcs.commit) {
            return;
        }
        if let Some(entry) = self
            .packages
            .get_mut(canonicalize_name(name).as_ref())
            .and_then(|entries| entries.last_mut())
        {
            entry.vcs = Some(vcs);
        }
    }

    /// Every entry for a project, by any spelling of its name.
    pub fn get(&self, name: &str) -> &[LockedPackage] {
        self.packages
            .get(canonicalize_name(name).as_ref())
            .map_or(&[], Vec::as_slice)
    }

    /// The command that rewrites this lock.
    pub fn relock_command(&self) -> String {
        let tool = self.created_by.as_deref().map(str::trim);
        match (self.format, tool) {
            (LockFormat::Pylock, Some("pip")) => "pip lock".to_string(),
            (LockFormat::Pylock, Some("pdm")) => "pdm export --format pylock".to_string(),
            (LockFormat::Pylock, Some(tool)) if !tool.is_empty() && tool != "uv" => {
                tool.to_string()
            }
            (format, _) => format.relock_command().to_string(),
        }
    }
}

/// Whether `hash` is `algo:digest` with an algorithm pip accepts and a digest of the
/// length that algorithm gives, in hexadecimal.
fn is_pip_hash(hash: &str) -> bool {
    let Some((algorithm, digest)) = hash.split_once(':') else {
        return false;
    };
    let length = match algorithm {
        "sha256" => 64,
        "sha384" => 96,
        "sha512" => 128,
        _ => return false,
    };
    digest.len() == length && digest.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The hashes of a TOML artifact table: `hash = "sha256:…"` (uv, Poetry, PDM) or
/// `hashes = { sha256 = "…" }` (PEP 751).
fn toml_hashes(artifact: &toml::Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(hash) = artifact.get("hash").and_then(toml::Value::as_str) {
        out.push(hash.to_string());
    }
    if let Some(hashes) = artifact.get("hashes").and_then(toml::Value::as_table) {
        for (algorithm, digest) in hashes {
            if let Some(digest) = digest.as_str() {
                out.push(format!("{algorithm}:{digest}"));
            }
        }
    }
    out
}

/// The hashes of one artifact table or an array of them.
fn toml_hashes_of(value: Option<&toml::Value>) -> Vec<String> {
    match value {
        Some(toml::Value::Array(items)) => items.iter().flat_map(toml_hashes).collect(),
        Some(value @ toml::Value::Table(_)) => toml_hashes(value),
        _ => Vec::new(),
    }
}

/// The locks among `locks` that were read and resolve `section` of a manifest of
/// `kind` (see [`LockFormat::covers`]).
pub fn covering<'a>(
    locks: &[ManifestLock<'a>],
    kind: ManifestKind,
    section: &str,
) -> Vec<ManifestLock<'a>> {
    locks
        .iter()
        .filter(|lock| {
            lock.file
                .is_ok_and(|file| file.format.covers(kind, section))
        })
        .copied()
        .collect()
}

/// What every lock that applies to a manifest says about one project.
#[derive(Debug, Default)]
pub struct Locked<'a> {
    /// Distinct index versions, in the order first seen, with the lock naming each.
    pub versions: Vec<(&'a LockedVersion, &'a Path)>,
    /// A non-index source, if any lock has one.
    pub direct: Option<(&'a str, &'a Path)>,
    /// Every direct source found is [`Source::Reproducible`].
    pub direct_reproducible: bool,
    /// An index entry without a usable version.
    pub unversioned: Option<&'a Path>,
    /// Locks that were searched and read.
    pub searched: Vec<(&'a Path, &'a LockFile)>,
    /// Locks that could not be read, with why.
    pub unreadable: Vec<(&'a Path, &'a str)>,
}

impl<'a> Locked<'a> {
    /// Gather the entries for `canonical_name` from `locks`.
    pub fn find(locks: &[ManifestLock<'a>], canonical_name: &str) -> Locked<'a> {
        let mut found = Locked {
            direct_reproducible: true,
            ..Locked::default()
        };
        for lock in locks {
            let file = match lock.file {
                Ok(file) => file,
                Err(message) => {
                    found.unreadable.push((lock.path, message));
                    continue;
                }
            };
            found.searched.push((lock.path, file));
            for package in file.get(canonical_name) {
                match (&package.source, &package.version) {
                    (Source::Direct(what), _) => {
                        found.direct.get_or_insert((what.as_str(), lock.path));
                        found.direct_reproducible = false;
                    }
                    (Source::Reproducible(what), _) => {
                        found.direct.get_or_insert((what.as_str(), lock.path));
                    }
                    (Source::Index, Some(version)) => {
                        // npm versions are compared as written (see `LockFile::add`).
                        let same = |seen: &LockedVersion| {
                            seen.parsed == version.parsed
                                && (!file.format.is_javascript() || seen.text == version.text)
                        };
                        if !found.versions.iter().any(|(seen, _)| same(seen)) {
                            found.versions.push((version, lock.path));
                        }
                    }
                    (Source::Index, None) => {
                        found.unversioned.get_or_insert(lock.path);
                    }
                }
            }
        }
        found
    }

    /// Whether any lock holds an entry for the project.
    pub fn is_known(&self) -> bool {
        !self.versions.is_empty() || self.direct.is_some() || self.unversioned.is_some()
    }

    /// The locked versions, for messages: `2.32.3` or `1.24.4, 2.1.0`.
    pub fn version_list(&self) -> String {
        self.versions
            .iter()
            .map(|(version, _)| version.text.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The locks searched, for messages: `uv.lock` or `uv.lock, pylock.toml`.
    pub fn lock_list(&self) -> String {
        self.searched
            .iter()
            .map(|(path, _)| path.display().to_string())
            .chain(
                self.unreadable
                    .iter()
                    .map(|(path, _)| path.display().to_string()),
            )
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The command(s) that rewrite the searched locks.
    pub fn relock_command(&self) -> String {
        let mut commands: Vec<String> = Vec::new();
        for (_, file) in &self.searched {
            let command = file.relock_command();
            if !commands.contains(&command) {
                commands.push(command);
            }
        }
        if commands.is_empty() {
            return "uv lock`, `poetry lock` or `pip-compile".to_string();
        }
        commands.join("` or `")
    }
}

/// A fix made from the locks beside a requirements file: the edit and the help that says
/// what it does; `Err(None)` when it does not apply, `Err(Some(why))` when a lock is there
/// but the fix cannot be made (the help then says why).
pub type LockFix = Result<(crate::policy::engine::Edit, String), Option<String>>;

/// Attach the fix `name` to every finding of `file` whose rule names it, as `make` works
/// it out from the requirement and the locks beside the file.
pub fn attach_fixes_from_locks(
    findings: &mut [crate::policy::Finding],
    file: &crate::project::SourceFile,
    locks: &Locks,
    name: &str,
    make: impl Fn(
        &crate::project::SourceFile,
        &[ManifestLock],
        &crate::manifest::Requirement,
    ) -> LockFix,
) {
    if !findings
        .iter()
        .any(|finding| finding.rule.fix.as_deref() == Some(name))
    {
        return;
    }
    let beside = locks.beside(file);
    let beside = beside.get();
    for finding in findings.iter_mut() {
        if finding.rule.fix.as_deref() != Some(name) {
            continue;
        }
        let Some(req) = file.manifest.requirement_at(&finding.span) else {
            continue;
        };
        match make(file, &beside, req) {
            Ok((edit, help)) => {
                finding.help = Some(help.into());
                finding.fix = Some(Box::new(edit));
            }
            Err(Some(reason)) => {
                finding.help = Some(match finding.help.take() {
                    Some(help) => format!("{help} {reason}").into(),
                    None => reason.into(),
                });
            }
            Err(None) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_file_names() {
        assert_eq!(LockFormat::of_file_name("uv.lock"), Some(LockFormat::Uv));
        assert_eq!(
            LockFormat::of_file_name("Pipfile.lock"),
            Some(LockFormat::Pipfile)
        );
        assert_eq!(
            LockFormat::of_file_name("pylock.toml"),
            Some(LockFormat::Pylock)
        );
        assert_eq!(
            LockFormat::of_file_name("pylock.dev.toml"),
            Some(LockFormat::Pylock)
        );
        assert_eq!(LockFormat::of_file_name("pylock..toml"), None);
        assert_eq!(LockFormat::of_file_name("pylock.a.b.toml"), None);
        assert_eq!(LockFormat::of_file_name("requirements.txt"), None);
        assert_eq!(
            LockFormat::of_file_name("package-lock.json"),
            Some(LockFormat::Npm)
        );
        assert_eq!(
            LockFormat::of_file_name("pnpm-lock.yaml"),
            Some(LockFormat::Pnpm)
        );
        assert_eq!(
            LockFormat::of_file_name("yarn.lock"),
            Some(LockFormat::Yarn)
        );
    }

    #[test]
    fn coverage_follows_what_each_tool_resolves() {
        use ManifestKind::*;
        assert!(LockFormat::Uv.covers(Pyproject, "project.dependencies"));
        assert!(LockFormat::Uv.covers(Pyproject, "dependency-groups.dev"));
        assert!(LockFormat::Uv.covers(Pyproject, "tool.uv.dev-dependencies"));
        assert!(!LockFormat::Uv.covers(Pyproject, "build-system.requires"));
        assert!(!LockFormat::Uv.covers(Pyproject, "tool.hatch.envs.docs.dependencies"));
        assert!(!LockFormat::Uv.covers(Pyproject, "tool.poetry.dependencies"));
        assert!(LockFormat::Poetry.covers(Pyproject, "tool.poetry.group.dev.dependencies"));
        assert!(LockFormat::Pipfile.covers(Pipfile, "packages"));
        assert!(!LockFormat::Uv.covers(Pipfile, "packages"));
        assert!(!LockFormat::Pipfile.covers(Requirements, "requirements"));
        assert!(!LockFormat::Uv.covers(Requirements, "requirements"));
        assert!(LockFormat::Requirements.covers(Requirements, "requirements"));
        assert!(!LockFormat::Requirements.covers(Pyproject, "build-system.requires"));
        assert!(LockFormat::Pnpm.covers(PackageJson, "dependencies"));
        assert!(LockFormat::Yarn.covers(PackageJson, "resolutions"));
        assert!(!LockFormat::Npm.covers(PackageJson, "peerDependencies"));
        assert!(!LockFormat::Npm.covers(PackageJson, "packageManager"));
        assert!(!LockFormat::Uv.covers(PackageJson, "dependencies"));
        assert!(!LockFormat::Requirements.covers(PackageJson, "dependencies"));
        assert!(!LockFormat::Npm.covers(Requirements, "requirements"));
    }

    #[test]
    fn npm_pre_releases_that_are_not_pep_440_are_kept_by_their_text() {
        let mut lock = LockFile::new(LockFormat::Npm);
        lock.add("next", Some("15.0.0-canary.12"), Source::Index);
        lock.add("next", Some("15.0.0"), Source::Index);
        lock.add("odd", Some("not-a-version"), Source::Index);
        let locks = [ManifestLock {
            path: Path::new("package-lock.json"),
            file: Ok(&lock),
        }];
        assert_eq!(
            Locked::find(&locks, "next").version_list(),
            "15.0.0-canary.12, 15.0.0"
        );
        let odd = Locked::find(&locks, "odd");
        assert!(odd.versions.is_empty() && odd.unversioned.is_some());
        // Python locks keep PEP 440's equality and rules.
        let mut uv = LockFile::new(LockFormat::Uv);
        uv.add("a", Some("1.0.0-canary.1"), Source::Index);
        assert!(uv.get("a")[0].version.is_none());
    }

    #[test]
    fn entries_are_gathered_across_locks_and_deduplicated() {
        let mut a = LockFile::new(LockFormat::Pylock);
        a.add("NumPy", Some("1.26.4"), Source::Index);
        a.add("numpy", Some("1.26.4"), Source::Index);
        a.add("Foo_Bar", Some("not a version"), Source::Index);
        let mut b = LockFile::new(LockFormat::Pylock);
        b.add("numpy", Some("1.26.4.0"), Source::Index);
        b.add("numpy", Some("2.1.0"), Source::Index);
        let locks = [
            ManifestLock {
                path: Path::new("pylock.toml"),
                file: Ok(&a),
            },
            ManifestLock {
                path: Path::new("pylock.dev.toml"),
                file: Ok(&b),
            },
        ];
        let numpy = Locked::find(&locks, "numpy");
        assert_eq!(numpy.version_list(), "1.26.4, 2.1.0");
        assert_eq!(numpy.versions[1].1, Path::new("pylock.dev.toml"));
        let foo = Locked::find(&locks, "foo-bar");
        assert!(foo.versions.is_empty() && foo.is_known());
        assert!(!Locked::find(&locks, "absent").is_known());
    }
}
