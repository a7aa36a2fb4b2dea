//! What every parser produces: a [`Manifest`] holding the file's text and the
//! [`Item`]s found in it, each with byte spans into that text.
//!
//! Spans are byte ranges into [`Manifest::text`] (the decoded UTF-8 text), so any
//! renderer can turn them into line/column positions or miette labels.

pub mod actions;
pub mod admitted;
pub mod dockerfile;
pub mod dotenv;
pub mod install;
pub mod json;
pub mod lockfile;
pub mod npm_lock;
pub mod npm_spec;
pub mod npmrc;
pub mod package_json;
pub mod pep508;
pub mod pip_config;
pub mod pipfile;
pub mod pnpm_workspace;
pub mod pre_commit;
pub mod pyproject;
pub mod requirements;
pub mod setup_cfg;
mod sources;
pub mod standing;
pub mod text;
pub(crate) mod toml_spans;
pub mod yaml;

use compact_str::CompactString;
use std::borrow::Cow;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// A byte range into [`Manifest::text`].
pub type Span = Range<usize>;

/// Which family of file a manifest belongs to; decides the parser.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ManifestKind {
    /// pip requirement / constraint files.
    Requirements,
    /// `pyproject.toml`.
    Pyproject,
    /// setuptools `setup.cfg`.
    SetupCfg,
    /// pipenv `Pipfile`.
    Pipfile,
    /// `.env`-style files: templates such as `.env.example`, and real `.env` files.
    Dotenv,
    /// Installer configuration committed to the tree: pip's `pip.conf` / `pip.ini`, and
    /// `uv.toml`. Only their package index settings are read.
    PipConfig,
    /// `Dockerfile`, `Containerfile` and their variants (`api.Dockerfile`,
    /// `Dockerfile.dev`): base images, downloads and the packages `RUN` installs.
    Dockerfile,
    /// Shell scripts (`*.sh`, `*.bash`): the packages their install commands fetch.
    Shell,
    /// GitHub Actions workflows: `.github/workflows/*.yml`.
    Workflow,
    /// GitHub Actions metadata of an action (`action.yml`), composite or Docker.
    Action,
    /// `.pre-commit-config.yaml`.
    PreCommit,
    /// npm's `package.json` (also read by pnpm and yarn).
    PackageJson,
    /// `pnpm-lock.yaml`, read for what it downloads (see [`npm_lock`]).
    PnpmLock,
    /// `package-lock.json` / `npm-shrinkwrap.json`.
    NpmLock,
    /// `yarn.lock`, yarn 1 and yarn 2+.
    YarnLock,
    /// npm's configuration, `.npmrc`.
    Npmrc,
    /// `pnpm-workspace.yaml`: its catalogs and overrides.
    PnpmWorkspace,
    /// `uv.lock`: what it installs, and from where.
    UvLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `pdm.lock`.
    PdmLock,
    /// `Pipfile.lock` (JSON).
    PipfileLock,
    /// PEP 751 `pylock.toml` and `pylock.<name>.toml`.
    Pylock,
}

impl ManifestKind {
    /// The name used in rule files, configuration and machine output.
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestKind::Requirements => "requirements",
            ManifestKind::Pyproject => "pyproject",
            ManifestKind::SetupCfg => "setup-cfg",
            ManifestKind::Pipfile => "pipfile",
            ManifestKind::Dotenv => "env",
            ManifestKind::PipConfig => "pip-config",
            ManifestKind::Dockerfile => "dockerfile",
            ManifestKind::Shell => "shell",
            ManifestKind::Workflow => "workflow",
            ManifestKind::Action => "action",
            ManifestKind::PreCommit => "pre-commit",
            ManifestKind::PackageJson => "package-json",
            ManifestKind::PnpmLock => "pnpm-lock",
            ManifestKind::NpmLock => "package-lock",
            ManifestKind::YarnLock => "yarn-lock",
            ManifestKind::Npmrc => "npmrc",
            ManifestKind::PnpmWorkspace => "pnpm-workspace",
            ManifestKind::UvLock => "uv-lock",
            ManifestKind::PoetryLock => "poetry-lock",
            ManifestKind::PdmLock => "pdm-lock",
            ManifestKind::PipfileLock => "pipfile-lock",
            ManifestKind::Pylock => "pylock",
        }
    }

    /// Every kind, in the order they are documented.
    pub const ALL: [ManifestKind; 22] = [
        ManifestKind::Requirements,
        ManifestKind::Pyproject,
        ManifestKind::SetupCfg,
        ManifestKind::Pipfile,
        ManifestKind::Dotenv,
        ManifestKind::PipConfig,
        ManifestKind::Dockerfile,
        ManifestKind::Shell,
        ManifestKind::Workflow,
        ManifestKind::Action,
        ManifestKind::PreCommit,
        ManifestKind::PackageJson,
        ManifestKind::PnpmLock,
        ManifestKind::NpmLock,
        ManifestKind::YarnLock,
        ManifestKind::Npmrc,
        ManifestKind::PnpmWorkspace,
        ManifestKind::UvLock,
        ManifestKind::PoetryLock,
        ManifestKind::PdmLock,
        ManifestKind::PipfileLock,
        ManifestKind::Pylock,
    ];

    /// Whether a lock file of the project can pin this manifest's requirements: not
    /// for the families whose tools install into environments of their own (pre-commit
    /// builds each hook's environment from the configuration alone).
    pub fn uses_project_locks(self) -> bool {
        !matches!(
            self,
            ManifestKind::Workflow
                | ManifestKind::Action
                | ManifestKind::PreCommit
                | ManifestKind::PnpmLock
                | ManifestKind::NpmLock
                | ManifestKind::YarnLock
                | ManifestKind::Npmrc
        ) && !self.is_lock()
    }

    /// Whether versions in this kind are npm specs, judged with npm's range grammar.
    pub fn is_npm(self) -> bool {
        matches!(
            self,
            ManifestKind::PackageJson | ManifestKind::PnpmWorkspace
        )
    }

    /// Whether files of this kind are Python lock files, read for what they install.
    pub fn is_lock(self) -> bool {
        self.lock_format().is_some()
    }

    /// The kind of a lock file of `format` (a pinned requirements file is a
    /// requirements file).
    pub fn of_lock_format(format: crate::lock::LockFormat) -> Option<ManifestKind> {
        use crate::lock::LockFormat;
        match format {
            LockFormat::Uv => Some(ManifestKind::UvLock),
            LockFormat::Poetry => Some(ManifestKind::PoetryLock),
            LockFormat::Pdm => Some(ManifestKind::PdmLock),
            LockFormat::Pipfile => Some(ManifestKind::PipfileLock),
            LockFormat::Pylock => Some(ManifestKind::Pylock),
            // A pinned requirements file is a requirements file; JavaScript locks are
            // read by kinds of their own (see `npm_lock`).
            LockFormat::Requirements | LockFormat::Pnpm | LockFormat::Npm | LockFormat::Yarn => {
                None
            }
        }
    }

    /// The lock format of a lock file kind.
    pub fn lock_format(self) -> Option<crate::lock::LockFormat> {
        use crate::lock::LockFormat;
        match self {
            ManifestKind::UvLock => Some(LockFormat::Uv),
            ManifestKind::PoetryLock => Some(LockFormat::Poetry),
            ManifestKind::PdmLock => Some(LockFormat::Pdm),
            ManifestKind::PipfileLock => Some(LockFormat::Pipfile),
            ManifestKind::Pylock => Some(LockFormat::Pylock),
            _ => None,
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// Run the parser for `kind` over decoded text.
pub fn parse(kind: ManifestKind, text: &str) -> Vec<Item> {
    match kind {
        ManifestKind::Requirements => requirements::parse(text),
        ManifestKind::Pyproject => pyproject::parse(text),
        ManifestKind::SetupCfg => setup_cfg::parse(text),
        ManifestKind::Pipfile => pipfile::parse(text),
        ManifestKind::Dotenv => dotenv::parse(text),
        ManifestKind::PipConfig => pip_config::parse(text),
        ManifestKind::Dockerfile => dockerfile::parse(text),
        ManifestKind::Shell => install::commands(text, 0..text.len()),
        ManifestKind::Workflow => actions::parse_workflow(text),
        ManifestKind::Action => actions::parse_action(text),
        ManifestKind::PreCommit => pre_commit::parse(text),
        ManifestKind::PackageJson => package_json::parse(text),
        ManifestKind::PnpmLock => npm_lock::parse_pnpm(text),
        ManifestKind::NpmLock => npm_lock::parse_npm(text),
        ManifestKind::YarnLock => npm_lock::parse_yarn(text),
        ManifestKind::Npmrc => npmrc::parse(text),
        ManifestKind::PnpmWorkspace => pnpm_workspace::parse(text),
        ManifestKind::UvLock => lockfile::uv::parse(text),
        ManifestKind::PoetryLock => lockfile::poetry::parse(text),
        ManifestKind::PdmLock => lockfile::pdm::parse(text),
        ManifestKind::PipfileLock => lockfile::pipfile::parse(text),
        ManifestKind::Pylock => lockfile::pylock::parse(text),
    }
}

/// How the bytes on disk were decoded into [`Manifest::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    #[default]
    Utf8,
    /// UTF-8 with a byte-order mark; the mark is not part of `text`.
    Utf8Bom,
    /// UTF-16 little endian with a byte-order mark (`pip freeze >` in PowerShell).
    Utf16Le,
    /// UTF-16 big endian with a byte-order mark.
    Utf16Be,
    /// UTF-32 little endian with a byte-order mark.
    Utf32Le,
    /// UTF-32 big endian with a byte-order mark.
    Utf32Be,
    /// ISO 8859-1, named by a PEP 263 `# -*- coding: latin-1 -*-` line.
    Latin1,
}

/// One parsed file.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The path as it is shown to the user; shared with the file's findings.
    pub path: Arc<Path>,
    pub kind: ManifestKind,
    pub encoding: Encoding,
    /// The decoded text (without a byte-order mark). Spans index into it.
    pub text: String,
    pub items: Vec<Item>,
}

impl Manifest {
    pub fn requirements(&self) -> impl Iterator<Item = &Requirement> {
        self.items.iter().filter_map(|item| match item {
            Item::Requirement(req) => Some(req),
            _ => None,
        })
    }

    /// The requirement whose span holds `span` (an empty requirement span holds the
    /// offset it is at), found by binary search: every parser returns its items in
    /// file order, requirements do not nest, and this is asked once per finding, so a
    /// scan from the top would make a file of many findings quadratic.
    pub fn requirement_at(&self, span: &Span) -> Option<&Requirement> {
        let after = self
            .items
            .partition_point(|item| item.span().start <= span.start);
        let nearest = self.items[..after]
            .iter()
            .rev()
            .find_map(|item| match item {
                Item::Requirement(req) => Some(req),
                _ => None,
            })?;
        let holds = nearest.span.start <= span.start
            && span.end <= nearest.span.end.max(nearest.span.start + 1);
        holds.then_some(nearest)
    }

    pub fn includes(&self) -> impl Iterator<Item = &Include> {
        self.items.iter().filter_map(|item| match item {
            Item::Include(include) => Some(include),
            _ => None,
        })
    }
}

/// Everything a parser can find in a file.
// Most items are requirements, so boxing the large variant would only add indirection.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    Requirement(Requirement),
    Option(PipOption),
    Include(Include),
    EnvEntry(EnvEntry),
    ParseError(ParseError),
    Image(ImageRef),
    Download(Download),
    Package(Package),
    Action(ActionRef),
    HookRev(HookRev),
    LockSource(LockSource),
}

impl Item {
    /// The span a finding about this item points at by default.
    pub fn span(&self) -> Span {
        match self {
            Item::Requirement(req) => req.span.clone(),
            Item::Option(opt) => opt.span.clone(),
            Item::Include(include) => include.span.clone(),
            Item::EnvEntry(entry) => entry.span.clone(),
            Item::ParseError(error) => error.span.clone(),
            Item::Image(image) => image.span.clone(),
            Item::Download(download) => download.span.clone(),
            Item::Package(package) => package.span.clone(),
            Item::Action(action) => action.span.clone(),
            Item::HookRev(hook) => hook.span.clone(),
            Item::LockSource(source) => source.span.clone(),
        }
    }

    /// The item type's name in rule files (`applies-to.items`).
    pub fn type_name(&self) -> &'static str {
        Self::TYPE_NAMES[self.type_index()]
    }

    /// The item type names, indexed by [`Item::type_index`].
    pub const TYPE_NAMES: [&'static str; 11] = [
        "requirement",
        "option",
        "include",
        "env-entry",
        "parse-error",
        "image",
        "download",
        "package",
        "action",
        "hook",
        "lock-source",
    ];

    /// The [`Item::type_index`] of a requirement.
    pub const REQUIREMENT_TYPE: usize = 0;

    /// The position of this item's type in [`Item::TYPE_NAMES`], for per-type tables.
    pub fn type_index(&self) -> usize {
        match self {
            Item::Requirement(_) => Self::REQUIREMENT_TYPE,
            Item::Option(_) => 1,
            Item::Include(_) => 2,
            Item::EnvEntry(_) => 3,
            Item::ParseError(_) => 4,
            Item::Image(_) => 5,
            Item::Download(_) => 6,
            Item::Package(_) => 7,
            Item::Action(_) => 8,
            Item::HookRev(_) => 9,
            Item::LockSource(_) => 10,
        }
    }
}

/// How tightly a requirement selects its version. Rules test this rather than
/// re-deriving it from the specifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pin {
    /// One exact version: the specifier admits one version and its local builds
    /// (`==1.2`, `>=1.2,<=1.2`, `==1.0,==1.0.0`), or one `===` text.
    Exact,
    /// `==1.2.*`: one release series, many versions.
    Wildcard,
    /// Any other specifier admitting more than one version: `>=`, `~=`, `!=`, `<`,
    /// `>=1,<2`, Poetry `^`/`~`.
    Range,
    /// A specifier no version satisfies: `>=2,<2`, `==1.0,!=1.0`.
    Unsatisfiable,
    /// No version constraint at all.
    None,
    /// A direct (non-VCS) URL or local path.
    Url,
    /// A VCS URL pinned to a full commit id.
    VcsCommit,
    /// A VCS URL on a branch, tag, short id, or no ref at all.
    VcsRef,
}

/// What else decides a requirement's version, besides its own specifier. Set after
/// parsing: the manifest's own tables say whether it is a workspace member, a path
/// inside the repository, or published metadata; the locks that apply say whether one
/// pins it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Standing {
    pub pinned_by: Option<PinnedBy>,
    /// Published metadata of a library (`project.dependencies` of a package that is
    /// built and published): ranges there are what the library's users install with.
    pub published: bool,
}

/// Where a requirement that names no single version is pinned instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PinnedBy {
    /// A committed lock file that the project's own tool uses holds one version for it,
    /// and that version is one its specifier allows.
    Lock,
    /// A member of the same uv workspace (`{ workspace = true }`).
    Workspace,
    /// A local path inside the repository (`{ path = "../lib" }`), built from the same
    /// commit.
    Path,
}

impl PinnedBy {
    pub fn as_str(self) -> &'static str {
        match self {
            PinnedBy::Lock => "lock",
            PinnedBy::Workspace => "workspace",
            PinnedBy::Path => "path",
        }
    }
}

impl Pin {
    pub const ALL: [Pin; 8] = [
        Pin::Exact,
        Pin::Wildcard,
        Pin::Range,
        Pin::Unsatisfiable,
        Pin::None,
        Pin::Url,
        Pin::VcsCommit,
        Pin::VcsRef,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Pin::Exact => "exact",
            Pin::Wildcard => "wildcard",
            Pin::Range => "range",
            Pin::Unsatisfiable => "unsatisfiable",
            Pin::None => "none",
            Pin::Url => "url",
            Pin::VcsCommit => "vcs-commit",
            Pin::VcsRef => "vcs-ref",
        }
    }
}

/// One clause of a version specifier, e.g. `>= 1.2` in `foo >= 1.2, < 2`.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The operator as written (`==`, `>=`, `~=`, and for Poetry `^`, `~`, or `` for a bare version).
    /// One of a few, so kept without a copy (see [`operator_text`]).
    pub operator: Cow<'static, str>,
    /// The version as written, e.g. `1.2.*`.
    pub version: CompactString,
    pub span: Span,
}

/// A direct reference: `name @ url`, a bare URL or path, or a VCS URL.
#[derive(Debug, Clone, PartialEq)]
pub struct UrlRef {
    /// The URL exactly as written (`${VAR}` is never expanded).
    pub url: String,
    pub span: Span,
    /// `git`, `hg`, `svn` or `bzr` for VCS URLs.
    pub vcs: Option<String>,
    /// The revision after `@` in a VCS URL, if any.
    pub rev: Option<String>,
    /// Whether the URL carries a `#sha256=`-style hash fragment.
    pub hash_fragment: bool,
    /// A local path rather than a URL with a scheme.
    pub local_path: bool,
}

/// A dependency declaration.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The whole requirement as written (for TOML: the string literal or key/value).
    pub span: Span,
    /// The project name as written; `None` for an unnamed URL or path.
    pub name: Option<CompactString>,
    pub name_span: Option<Span>,
    pub extras: Vec<String>,
    /// The specifier as written (without spaces trimmed inside), empty when absent.
    pub specifier: CompactString,
    /// Covers all clauses; `None` when the requirement has no specifier.
    pub specifier_span: Option<Span>,
    pub clauses: Vec<Clause>,
    pub marker: Option<String>,
    pub marker_span: Option<Span>,
    /// Boxed: most requirements have none, and a requirement is moved whole while
    /// files are read.
    pub url: Option<Box<UrlRef>>,
    /// `--hash` values (`sha256:…`), with their spans.
    pub hashes: Vec<(String, Span)>,
    pub editable: bool,
    /// Where the requirement sits: `requirements` for pip files, otherwise a dotted
    /// path such as `project.optional-dependencies.test`.
    pub section: Cow<'static, str>,
    pub pin: Pin,
    /// Whether the pinning policy already holds elsewhere (see [`Standing`]).
    pub standing: Standing,
}

impl Requirement {
    /// A requirement at `span` in `section` that says nothing yet: no name, version,
    /// marker, URL or hash, not pinned. Parsers fill in what their entry gives.
    pub fn bare(span: Span, section: &str) -> Requirement {
        Requirement {
            span,
            name: None,
            name_span: None,
            extras: Vec::new(),
            specifier: CompactString::default(),
            specifier_span: None,
            clauses: Vec::new(),
            marker: None,
            marker_span: None,
            url: None,
            hashes: Vec::new(),
            editable: false,
            section: section_name(section),
            pin: Pin::None,
            standing: Default::default(),
        }
    }

    /// A bare requirement of the package `name`.
    pub fn named(span: Span, name: &str, name_span: Span, section: &str) -> Requirement {
        Requirement {
            name: Some(name.into()),
            name_span: Some(name_span),
            ..Requirement::bare(span, section)
        }
    }

    /// The canonical (PEP 503) form of the name, for comparisons across files.
    pub fn canonical_name(&self) -> Option<Cow<'_, str>> {
        self.name.as_deref().map(canonicalize_name)
    }

    /// Where a finding about the version should point: the specifier, else the URL,
    /// else the name, else the whole requirement.
    pub fn version_span(&self) -> Span {
        self.specifier_span
            .clone()
            .or_else(|| self.url.as_ref().map(|url| url.span.clone()))
            .or_else(|| self.name_span.clone())
            .unwrap_or_else(|| self.span.clone())
    }
}

/// The section of every requirement of a pip requirement file.
pub const REQUIREMENTS_SECTION: &str = "requirements";

/// A requirement's section: that of requirement files, the commonest, is not copied.
pub fn section_name(section: &str) -> Cow<'static, str> {
    if section == REQUIREMENTS_SECTION {
        Cow::Borrowed(REQUIREMENTS_SECTION)
    } else {
        Cow::Owned(section.to_string())
    }
}

/// A clause's operator as written: the PEP 440 and Poetry operators are not copied.
pub fn operator_text(operator: &str) -> Cow<'static, str> {
    const KNOWN: [&str; 10] = ["==", ">=", "<", "~=", "<=", ">", "!=", "===", "^", "~"];
    match KNOWN.iter().find(|known| **known == operator) {
        Some(known) => Cow::Borrowed(known),
        None => Cow::Owned(operator.to_string()),
    }
}

/// PEP 503 normalisation: lowercase, runs of `-`, `_`, `.` become one `-`.
pub fn canonicalize_name(name: &str) -> Cow<'_, str> {
    // Most names are written canonically already (`requests`, `typing-extensions`):
    // one pass checks it, as every requirement's name goes through here.
    // The bytes are checked sixteen at a time; then no two dashes may meet.
    let bytes = name.as_bytes();
    let allowed = |b: u8| b.is_ascii_lowercase() | b.is_ascii_digit() | (b == b'-');
    let canonical = crate::scan::first_where(bytes, |b| !allowed(b)).is_none()
        && !bytes.windows(2).any(|pair| pair == b"--");
    if canonical {
        return Cow::Borrowed(name);
    }
    // Byte by byte: the bytes of a multi-byte character are never separators and
    // ASCII lowercasing leaves them alone, so the result stays valid UTF-8.
    let mut out = Vec::with_capacity(name.len());
    let mut last_sep = false;
    for &byte in name.as_bytes() {
        if matches!(byte, b'-' | b'_' | b'.') {
            if !last_sep {
                out.push(b'-');
            }
            last_sep = true;
        } else {
            out.push(byte.to_ascii_lowercase());
            last_sep = false;
        }
    }
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned()),
    )
}

/// A pip option line such as `--index-url https://…` or `--trusted-host host`, or a
/// package source of a TOML manifest as the option it amounts to (see `sources`).
#[derive(Debug, Clone, PartialEq)]
pub struct PipOption {
    /// The long option name without dashes, e.g. `index-url` (short forms are expanded).
    pub name: String,
    pub value: Option<String>,
    pub value_span: Option<Span>,
    pub span: Span,
}

/// `-r FILE` / `-c FILE`.
#[derive(Debug, Clone, PartialEq)]
pub struct Include {
    pub constraint: bool,
    /// The target exactly as written.
    pub target: String,
    pub target_span: Span,
    pub span: Span,
    /// Named by an install command that passes `--require-hashes` (`pip install
    /// --require-hashes -r requirements.txt` in a Dockerfile): pip's hash-checking mode
    /// is on for what the file installs.
    pub require_hashes: bool,
}

/// `KEY=value` in a `.env`-style file.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvEntry {
    pub key: String,
    pub key_span: Span,
    /// The value after unquoting and unescaping.
    pub value: String,
    /// The value as written, quotes included; empty span for a blank value.
    pub value_span: Span,
    pub span: Span,
}

/// How a reference to code fetched at run time (an action, a hook repository) is pinned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefPin {
    /// A full commit id (40 hexadecimal digits; 64 for SHA-256 repositories).
    Commit,
    /// A tag, a branch or a short commit id: what it names can move.
    Ref,
    /// No ref at all.
    None,
    /// Code of this repository (`uses: ./path`): pinned by the commit that holds it.
    Local,
}

impl RefPin {
    pub fn as_str(self) -> &'static str {
        match self {
            RefPin::Commit => "commit",
            RefPin::Ref => "ref",
            RefPin::None => "none",
            RefPin::Local => "local",
        }
    }

    /// How `rev` pins what it names.
    pub fn of_rev(rev: &str) -> RefPin {
        let hex = rev.bytes().all(|b| b.is_ascii_hexdigit());
        if hex && matches!(rev.len(), 40 | 64) {
            RefPin::Commit
        } else if rev.is_empty() {
            RefPin::None
        } else {
            RefPin::Ref
        }
    }
}

/// What a `uses:` entry requires of its ref (`action-pins` in the configuration,
/// after zizmor's `unpinned-uses` policies).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ActionPolicy {
    /// A full commit id.
    #[default]
    HashPin,
    /// Any ref, even a tag or branch; only a missing one is flagged.
    RefPin,
    /// Nothing is required.
    Any,
}

impl ActionPolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionPolicy::HashPin => "hash-pin",
            ActionPolicy::RefPin => "ref-pin",
            ActionPolicy::Any => "any",
        }
    }

    pub fn from_name(name: &str) -> Option<ActionPolicy> {
        [
            ActionPolicy::HashPin,
            ActionPolicy::RefPin,
            ActionPolicy::Any,
        ]
        .into_iter()
        .find(|policy| policy.as_str() == name)
    }
}

/// `uses: owner/repo[/path]@ref` in a workflow step, a reusable-workflow job or a
/// composite action's step.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionRef {
    /// The whole value as written.
    pub uses: String,
    /// `owner/repo[/path]` (or the local path), without the ref.
    pub action: String,
    pub git_ref: Option<String>,
    /// The ref's span, or the value's when it has none.
    pub ref_span: Span,
    /// The value's span.
    pub span: Span,
    pub pin: RefPin,
    /// `step` or `reusable-workflow`.
    pub context: &'static str,
    /// The comment after the value (`# v4.1.1`, written by pinning tools beside a commit).
    pub comment: Option<String>,
    /// Set from the configuration when the file is linted.
    pub policy: ActionPolicy,
}

/// One `repos:` entry of a pre-commit configuration: the hook repository and its `rev`.
#[derive(Debug, Clone, PartialEq)]
pub struct HookRev {
    pub repo: String,
    pub rev: Option<String>,
    /// The `rev` value's span, or the `repo` value's when there is no `rev`.
    pub span: Span,
    pub pin: RefPin,
    /// The comment after `rev` (`# frozen: v1.2.3`, written by `autoupdate --freeze`).
    pub comment: Option<String>,
}

/// A container image: a Dockerfile's `FROM` or `COPY --from`, a workflow job's
/// `container`, a service's `image`, `uses: docker://…`, a Docker action's `runs.image`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRef {
    /// The reference as written (`python:${PY}-slim`, without `docker://`).
    pub span: Span,
    /// The reference, with a Dockerfile's build arguments put in (`python:3.12-slim`).
    pub image: String,
    /// Repository without tag or digest (`python`, `ghcr.io/org/app`).
    pub name: String,
    pub tag: Option<String>,
    /// `sha256:…` after `@`.
    pub digest: Option<String>,
    /// Where it is named: `from`, `copy` (Dockerfile), `container`, `service`, `step`,
    /// `action` (GitHub Actions).
    pub context: &'static str,
}

impl ImageRef {
    /// How the reference selects one image: `digest`, or a tag that can move: `tag`,
    /// `latest`, or `none` (no tag: Docker pulls `latest`).
    pub fn pin(&self) -> &'static str {
        match (&self.digest, self.tag.as_deref()) {
            (Some(_), _) => "digest",
            (None, None) => "none",
            (None, Some("latest")) => "latest",
            (None, Some(_)) => "tag",
        }
    }
}

/// A package an install command fetches from another ecosystem than Python's: npm,
/// pnpm, yarn, Go, RubyGems, apt, apk.
#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    /// The package as written (`left-pad@1.3.0`, `curl=8.5.0-2`).
    pub span: Span,
    /// `npm` (also pnpm and yarn), `go`, `gem`, `apt`, `apk`.
    pub ecosystem: &'static str,
    pub name: String,
    /// The version as written, if any (`1.3.0`, `^1.2`, `latest`, `~> 1.2`).
    pub version: Option<String>,
    /// How it selects a version: `exact`, `range`, `latest`, or `none`.
    pub pin: &'static str,
}

/// A file a build downloads: a Dockerfile's `ADD https://…`.
#[derive(Debug, Clone, PartialEq)]
pub struct Download {
    /// The URL as written.
    pub span: Span,
    pub url: String,
    /// Whether the download is verified (`ADD --checksum=sha256:…`).
    pub checksum: bool,
}

/// What a lock file installs from, one entry per place: a package index, a file of a
/// package (sdist, wheel, archive), a VCS repository, a local path, or a lock-wide
/// setting (`verify_ssl`). Lock content rules judge these.
#[derive(Debug, Clone, PartialEq)]
pub struct LockSource {
    /// The value a finding points at: the URL or path as written, or `false`.
    pub span: Span,
    /// The package it belongs to; `None` for a lock-wide source (`Pipfile.lock`'s
    /// `_meta.sources`).
    pub package: Option<String>,
    pub version: Option<String>,
    /// What it is: see [`LockSourceType`].
    pub source_type: LockSourceType,
    /// Where it sits, for messages: `registry`, `sdist`, `wheel`, `file`, `archive`,
    /// `git`, `path`, `source`.
    pub context: &'static str,
    /// The URL or path as written; `None` where the lock writes none (a Poetry or
    /// Pipfile.lock artifact known by its file name).
    pub url: Option<String>,
    /// For artifacts: whether the lock records a hash of it.
    pub hashed: Option<bool>,
    /// For VCS sources: the commit the lock resolved, if any.
    pub commit: Option<String>,
    /// `verify_ssl` of an index (`Pipfile.lock`), when written.
    pub verify_ssl: Option<bool>,
    /// Whether the URL's host is one the configuration allows (`[locks]
    /// allowed-hosts`); set when the file is linted. `None` without a host.
    pub host_allowed: Option<bool>,
}

/// The kinds of [`LockSource`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockSourceType {
    /// A package index (registry) the lock resolved a package from.
    Index,
    /// A file of a package from an index: an sdist or a wheel.
    Artifact,
    /// A URL the project named directly (not from an index), and its file.
    Direct,
    /// A VCS repository.
    Vcs,
    /// A local path (a directory, an editable, a file).
    Local,
}

impl LockSourceType {
    pub fn as_str(self) -> &'static str {
        match self {
            LockSourceType::Index => "index",
            LockSourceType::Artifact => "artifact",
            LockSourceType::Direct => "direct",
            LockSourceType::Vcs => "vcs",
            LockSourceType::Local => "local",
        }
    }
}

impl LockSource {
    /// The URL's scheme, lowercased (`https`, `http`, `git+ssh`); `None` for a path.
    pub fn scheme(&self) -> Option<String> {
        let url = self.url.as_deref()?;
        let (scheme, _) = url.split_once("://")?;
        let valid = !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
        valid.then(|| scheme.to_ascii_lowercase())
    }

    /// The URL's host, lowercased, without user-info or port.
    pub fn host(&self) -> Option<String> {
        let url = self.url.as_deref()?;
        self.scheme()?;
        let (_, rest) = url.split_once("://")?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        let host = if let Some(bracketed) = host_port.strip_prefix('[') {
            bracketed.split(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        };
        (!host.is_empty()).then(|| host.to_ascii_lowercase())
    }
}

/// Text the parser could not understand.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseError {
    pub message: String,
    pub span: Span,
}

#[cfg(test)]
mod tests {
    use super::canonicalize_name;

    #[test]
    fn names_are_normalised_as_pep_503_says() {
        for (name, canonical) in [
            ("requests", "requests"),
            ("typing-extensions", "typing-extensions"),
            ("py3-lib2", "py3-lib2"),
            ("Typing_Extensions", "typing-extensions"),
            ("zope.interface", "zope-interface"),
            ("a--b", "a-b"),
            ("a-_.b", "a-b"),
            ("a__b", "a-b"),
            ("-a-", "-a-"),
            ("acme-ingest-workers-extra", "acme-ingest-workers-extra"),
            ("Acme-Ingest-Workers-Extra", "acme-ingest-workers-extra"),
            ("acme-ingest-workers--extra", "acme-ingest-workers-extra"),
            ("acme_ingest_workers.extra", "acme-ingest-workers-extra"),
            (
                "abcdefghijklmnopqrstuvwxyz-0123456789",
                "abcdefghijklmnopqrstuvwxyz-0123456789",
            ),
            ("ÄBC", "Äbc"),
            ("", ""),
        ] {
            assert_eq!(canonicalize_name(name), canonical, "{name}");
        }
        // A canonical name is not copied; one that is not is.
        for (name, borrowed) in [("a-b-2", true), ("a--b", false), ("A", false)] {
            let is_borrowed = matches!(canonicalize_name(name), std::borrow::Cow::Borrowed(_));
            assert_eq!(is_borrowed, borrowed, "{name}");
        }
    }

    proptest::proptest! {
        /// PEP 503's own words: runs of `-`, `_` and `.` become one `-`, then lower case.
        #[test]
        fn any_name_is_normalised_as_pep_503_says(name in "[a-zA-Z0-9._-]{0,40}") {
            let mut expected = String::new();
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !expected.ends_with('-') {
                        expected.push('-');
                    }
                } else {
                    expected.push(c.to_ascii_lowercase());
                }
            }
            proptest::prop_assert_eq!(canonicalize_name(&name), expected);
        }
    }
}
