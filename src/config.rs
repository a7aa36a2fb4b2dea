//! Which rules run where, and at what severity: configuration files and their merging
//! with command-line flags.
//!
//! Configuration lives in `pinwarden.toml`, `.pinwarden.toml`, or the `[tool.pinwarden]`
//! table of `pyproject.toml`; the nearest one walking up from the checked path wins
//! (a `pyproject.toml` without `[tool.pinwarden]` is passed over). Keys are kebab-case
//! and an unknown key is an error with a span into the file:
//!
//! ```toml
//! select = ["ALL"]                 # replaces the default set of rules
//! extend-select = ["missing-hash"] # adds to it
//! ignore = ["editable-requirement"]
//! exclude = ["vendor", "legacy/requirements*.txt"]
//! rules-dir = "policy"             # or a list; relative to this file
//! lock-files = ["requirements.txt"] # pinned requirement files that serve as locks
//! project-kind = "application"     # or "library"; default: as each manifest declares
//! require-exact-pins = false       # true: a lock's pin does not excuse a manifest range
//! max-file-size = 16               # MiB; no larger file is read (a finding says so)
//! [locks]                           # what lock files may download from
//! allowed-hosts = ["pypi.org", "files.pythonhosted.org", "*.corp.example"]
//! [action-pins]                     # what GitHub Actions `uses:` must pin, by pattern
//! "actions/*" = "ref-pin"           # hash-pin (default) | ref-pin | any
//! [locks]                           # what JavaScript lock files may download from
//! npm-allowed-hosts = ["registry.npmjs.org", "npm.example.com", "*.corp.example"]
//! [severity]
//! "secret-*" = "warning"
//! [[per-path]]
//! paths = ["libs/*/pyproject.toml"]
//! ignore = ["version-range"]
//! severity = { unpinned-requirement = "warning" }
//! action-pins = { "*" = "ref-pin" } # replaces `[action-pins]` for these files
//! [[per-path]]                      # `sections` narrows a block to requirements
//! sections = ["build-system.requires", "project.optional-dependencies.*"]
//! ignore = ["version-range"]
//! ```
//!
//! Selection follows ruff: `select` replaces the default set, `extend-select` adds to
//! it, `ignore` removes from it. A selector is a rule name, a prefix ending in `*`
//! (`secret-*`), or `ALL`. Layers apply in order: the configuration file, then the
//! command line (so `--select` on the command line starts from scratch), then every
//! `[[per-path]]` block whose paths match the file.
//!
//! A `[[per-path]]` block with `sections` applies only to findings about requirements
//! whose section matches one of its patterns (`*` matches any run of characters, dots
//! included, so `tool.poetry.group.*.dependencies` covers every Poetry group); its
//! `paths` may then be left out to mean every file. Sections are named as requirements
//! report them: `requirements`, `project.dependencies`, `build-system.requires`,
//! `dependency-groups.dev`, `tool.uv.dev-dependencies`, `options.install_requires`, `packages`, …
//!
//! Paths in `exclude` and `per-path` are relative to the configuration file's directory
//! and match like `.gitignore` entries: `*` stays within one path component, `**` crosses
//! them, a pattern naming a directory covers everything under it, and a pattern without
//! `/` matches a file or directory of that name at any depth.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::error::ConfigError;
use crate::manifest::Span;
use crate::manifest::standing::ProjectKind;
use crate::policy::{Rule, RuleSet, Severity};

/// Names of dedicated configuration files, in order of preference within a directory.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["pinwarden.toml", ".pinwarden.toml"];

/// One layer of rule selection.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl Selection {
    fn apply(&self, enabled: bool, rule: &Rule) -> bool {
        apply(
            enabled,
            rule,
            &self.select,
            &self.extend_select,
            &self.ignore,
        )
    }

    fn selectors(&self) -> impl Iterator<Item = &String> {
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
    }
}

/// The resolved settings for a run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The configuration file's selection (or the only one, for library callers).
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    /// The command line's selection, applied after the configuration file's.
    pub overrides: Selection,
    /// Severity per selector; the most specific selector naming a rule wins.
    pub severity: BTreeMap<String, Severity>,
    pub per_path: Vec<PerPath>,
    /// Files not to lint (walked files always; named files with `force_exclude`).
    pub exclude: PathGlobs,
    /// The directory `exclude`, `per-path` and baseline paths are relative to: the
    /// configuration file's directory. Empty: the current directory.
    pub root: PathBuf,
    /// The configuration file these settings came from, if any.
    pub source: Option<PathBuf>,
    /// Pinned requirement files (`pip-compile`, `pip freeze` output) that serve as the
    /// lock of the manifests in their directory and below (see [`crate::lock`]).
    pub lock_files: Vec<PathBuf>,
    /// How published metadata is judged (`project-kind`); `None`: as each manifest
    /// declares itself (see [`crate::manifest::standing`]).
    pub project_kind: Option<ProjectKind>,
    /// `require-exact-pins`: a lock that pins a requirement does not excuse a range in
    /// the manifest itself.
    pub require_exact_pins: bool,
    /// `max-file-size`, in bytes: no file larger is read. `None`: the default.
    pub max_file_size: Option<u64>,
    /// `action-pins`: what each GitHub Actions `uses:` must pin, by pattern.
    pub action_pins: crate::manifest::actions::ActionPins,
    /// `[locks] npm-allowed-hosts`: the hosts npm, pnpm and yarn locks may download
    /// from; `None`: the public registry's (see [`Settings::npm_allowed_hosts`]).
    pub npm_allowed_hosts: Option<Vec<String>>,
    /// `[locks] allowed-hosts`: the hosts Python lock files may download from.
    pub lock_allowed_hosts: crate::manifest::lockfile::AllowedHosts,
}

/// Adjustments for files matching `paths` (every file when it is empty), and with
/// `sections`, only for findings about requirements in those sections.
#[derive(Debug, Clone)]
pub struct PerPath {
    pub paths: PathGlobs,
    pub sections: Option<SectionGlobs>,
    pub selection: Selection,
    pub severity: BTreeMap<String, Severity>,
    pub project_kind: Option<ProjectKind>,
    /// `action-pins` for these files, in place of the global table.
    pub action_pins: Option<crate::manifest::actions::ActionPins>,
    /// Where the block is written (`pinwarden.toml:12`), for warnings.
    pub origin: String,
    /// Whether the run met a file its `paths` match, and a requirement its `sections`
    /// match: a pattern that matches nothing is most likely a typo.
    pub used: Arc<BlockUse>,
}

/// What a run met of one `[[per-path]]` block's patterns.
#[derive(Debug, Default)]
pub struct BlockUse {
    pub paths: AtomicBool,
    pub sections: AtomicBool,
}

impl PerPath {
    /// Note that a requirement in `section` was seen in a file this block applies to.
    pub fn saw_section(&self, section: &str) {
        if let Some(globs) = &self.sections
            && !self.used.sections.load(Ordering::Relaxed)
            && globs.matches(section)
        {
            self.used.sections.store(true, Ordering::Relaxed);
        }
    }

    /// Whether the block covers a finding about an item in `section` (`None`: an item
    /// that is not a requirement, or a finding about the whole file).
    fn covers(&self, section: Option<&str>) -> bool {
        match (&self.sections, section) {
            (None, _) => true,
            (Some(globs), Some(section)) => globs.matches(section),
            (Some(_), None) => false,
        }
    }
}

/// Patterns over requirement sections; `*` matches any run of characters, dots
/// included.
#[derive(Debug, Clone)]
pub struct SectionGlobs {
    pub patterns: Vec<String>,
    set: GlobSet,
}

impl SectionGlobs {
    pub fn new(patterns: &[String]) -> Result<SectionGlobs, globset::Error> {
        let mut builder = GlobSetBuilder::new();
        for pattern in patterns {
            builder.add(GlobBuilder::new(pattern).literal_separator(false).build()?);
        }
        Ok(SectionGlobs {
            patterns: patterns.to_vec(),
            set: builder.build()?,
        })
    }

    pub fn matches(&self, section: &str) -> bool {
        self.set.is_match(section)
    }
}

/// A set of `.gitignore`-style path patterns (see the module documentation).
#[derive(Debug, Clone)]
pub struct PathGlobs {
    pub patterns: Vec<String>,
    /// Patterns with a `/`: matched against the relative path and its ancestors.
    anchored: GlobSet,
    /// Patterns without a `/`: matched against each component of the path.
    named: GlobSet,
}

impl Default for PathGlobs {
    fn default() -> Self {
        PathGlobs {
            patterns: Vec::new(),
            anchored: GlobSet::empty(),
            named: GlobSet::empty(),
        }
    }
}

impl PathGlobs {
    pub fn new(patterns: &[String]) -> Result<PathGlobs, globset::Error> {
        let mut anchored = GlobSetBuilder::new();
        let mut named = GlobSetBuilder::new();
        for pattern in patterns {
            let cleaned = pattern.trim_start_matches("./").trim_end_matches('/');
            let cleaned = cleaned.strip_prefix('/').unwrap_or(cleaned);
            let glob = GlobBuilder::new(cleaned)
                .literal_separator(true)
                .backslash_escape(true)
                .build()?;
            if cleaned.contains('/') || pattern.starts_with('/') {
                anchored.add(glob);
            } else {
                named.add(glob);
            }
        }
        Ok(PathGlobs {
            patterns: patterns.to_vec(),
            anchored: anchored.build()?,
            named: named.build()?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether a path relative to the project root matches.
    pub fn matches(&self, relative: &Path) -> bool {
        if self.patterns.is_empty() {
            return false;
        }
        if relative
            .components()
            .any(|c| self.named.is_match(Path::new(c.as_os_str())))
        {
            return true;
        }
        relative
            .ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.anchored.is_match(p))
    }
}

/// Whether `selector` names `rule`.
pub fn selector_matches(selector: &str, rule: &str) -> bool {
    selector == "ALL"
        || selector == rule
        || selector
            .strip_suffix('*')
            .is_some_and(|prefix| rule.starts_with(prefix))
}

/// How specifically `selector` names `rule`: an exact name beats a longer prefix,
/// which beats a shorter one, which beats `ALL`.
fn specificity(selector: &str, rule: &str) -> Option<usize> {
    if selector == rule {
        Some(usize::MAX)
    } else if selector == "ALL" {
        Some(0)
    } else {
        selector
            .strip_suffix('*')
            .filter(|prefix| rule.starts_with(prefix))
            .map(|prefix| prefix.len() + 1)
    }
}

fn most_specific(map: &BTreeMap<String, Severity>, rule: &str) -> Option<Severity> {
    map.iter()
        .filter_map(|(selector, severity)| specificity(selector, rule).map(|s| (s, *severity)))
        .max_by_key(|(s, _)| *s)
        .map(|(_, severity)| severity)
}

fn apply(
    enabled: bool,
    rule: &Rule,
    select: &Option<Vec<String>>,
    extend: &[String],
    ignore: &[String],
) -> bool {
    let mut enabled = match select {
        Some(list) => list.iter().any(|s| selector_matches(s, &rule.name)),
        None => enabled,
    };
    if extend.iter().any(|s| selector_matches(s, &rule.name)) {
        enabled = true;
    }
    if ignore.iter().any(|s| selector_matches(s, &rule.name)) {
        enabled = false;
    }
    enabled
}

/// The settings that apply to one file: computed once per file, then asked per rule.
#[derive(Debug, Clone)]
pub struct PathSettings<'a> {
    settings: &'a Settings,
    blocks: Vec<&'a PerPath>,
}

impl PathSettings<'_> {
    /// Whether the rule runs on this file at all: enabled for the file, or turned on by
    /// a block for some of its sections (findings are then filtered with
    /// [`PathSettings::is_enabled_in`]).
    pub fn is_enabled(&self, rule: &Rule) -> bool {
        self.is_enabled_in(rule, None)
            || self
                .blocks
                .iter()
                .any(|block| block.sections.is_some() && block.selection.apply(false, rule))
    }

    /// Whether a finding of `rule` about an item in `section` is reported.
    pub fn is_enabled_in(&self, rule: &Rule, section: Option<&str>) -> bool {
        let settings = self.settings;
        let mut enabled = apply(
            rule.default_enabled,
            rule,
            &settings.select,
            &settings.extend_select,
            &settings.ignore,
        );
        enabled = settings.overrides.apply(enabled, rule);
        for block in self.blocks.iter().filter(|block| block.covers(section)) {
            enabled = block.selection.apply(enabled, rule);
        }
        enabled
    }

    /// How this file's published metadata is judged: the last matching
    /// `[[per-path]]` block that says, else the configuration's `project-kind`, else
    /// `None` (as the manifest declares itself).
    pub fn project_kind(&self) -> Option<ProjectKind> {
        self.blocks
            .iter()
            .rev()
            .filter(|block| block.sections.is_none())
            .find_map(|block| block.project_kind)
            .or(self.settings.project_kind)
    }

    /// What each GitHub Actions `uses:` of this file must pin: the last matching
    /// `[[per-path]]` block's `action-pins`, else the configuration's.
    pub fn action_pins(&self) -> &crate::manifest::actions::ActionPins {
        self.blocks
            .iter()
            .rev()
            .find_map(|block| block.action_pins.as_ref())
            .unwrap_or(&self.settings.action_pins)
    }

    /// The blocks that apply to this file.
    pub fn blocks(&self) -> &[&PerPath] {
        &self.blocks
    }

    /// Whether any block here depends on the section of a finding's item.
    pub fn has_section_blocks(&self) -> bool {
        self.blocks.iter().any(|block| block.sections.is_some())
    }

    /// The severity outside any section-specific block.
    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity_in(rule, None)
    }

    /// The last matching `[[per-path]]` block that sets a severity for the rule wins,
    /// then the global `[severity]` table, then the rule's own severity.
    pub fn severity_in(&self, rule: &Rule, section: Option<&str>) -> Severity {
        self.blocks
            .iter()
            .rev()
            .filter(|block| block.covers(section))
            .find_map(|block| most_specific(&block.severity, &rule.name))
            .unwrap_or_else(|| self.settings.severity_of(rule))
    }
}

impl Settings {
    /// The hosts JavaScript lock files may download from: `[locks] npm-allowed-hosts`,
    /// else npm's and yarn's public registries.
    pub fn npm_allowed_hosts(&self) -> Vec<String> {
        match &self.npm_allowed_hosts {
            Some(hosts) => hosts.clone(),
            None => crate::manifest::npm_lock::DEFAULT_ALLOWED_HOSTS
                .map(String::from)
                .to_vec(),
        }
    }

    /// The settings for the file at `path` (as shown to the user, relative to the
    /// current directory or absolute).
    pub fn for_path(&self, path: &Path) -> PathSettings<'_> {
        let blocks = if self.per_path.is_empty() {
            Vec::new()
        } else {
            let relative = self.project_relative(path);
            self.per_path
                .iter()
                .filter(|block| {
                    let matches = block.paths.is_empty()
                        || relative
                            .as_deref()
                            .is_some_and(|relative| block.paths.matches(relative));
                    if matches && !block.used.paths.load(Ordering::Relaxed) {
                        block.used.paths.store(true, Ordering::Relaxed);
                    }
                    matches
                })
                .collect()
        };
        PathSettings {
            settings: self,
            blocks,
        }
    }

    /// Warnings for `[[per-path]]` patterns that matched nothing in a run that walked
    /// whole directories: most likely a typo, which would silently change nothing.
    pub fn unmatched_patterns(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        for block in &self.per_path {
            if !block.paths.is_empty() && !block.used.paths.load(Ordering::Relaxed) {
                warnings.push(format!(
                    "the [[per-path]] block at {}: `paths` matches no file that was checked",
                    block.origin
                ));
            } else if block.sections.is_some() && !block.used.sections.load(Ordering::Relaxed) {
                warnings.push(format!(
                    "the [[per-path]] block at {}: `sections` matches no requirement that was checked",
                    block.origin
                ));
            }
        }
        warnings
    }

    /// Whether `rule` runs on the file at `path`.
    pub fn is_enabled(&self, rule: &Rule, path: &Path) -> bool {
        self.for_path(path).is_enabled(rule)
    }

    /// The severity of `rule` outside any `[[per-path]]` block.
    pub fn severity_of(&self, rule: &Rule) -> Severity {
        most_specific(&self.severity, &rule.name).unwrap_or(rule.severity)
    }

    /// Whether `exclude` covers the file at `path`.
    pub fn is_excluded(&self, path: &Path) -> bool {
        !self.exclude.is_empty()
            && self
                .project_relative(path)
                .is_some_and(|relative| self.exclude.matches(&relative))
    }

    /// `path` relative to [`Settings::root`], whether it was given as `a/b`, `./a/b`,
    /// `../project/a/b` or absolute; `None` for a path outside the root.
    pub fn project_relative(&self, path: &Path) -> Option<PathBuf> {
        relative_to(&self.root, path)
    }

    /// Every selector that names no rule: a typo in configuration should not silently
    /// turn a rule off.
    pub fn unknown_selectors<'a>(&'a self, rules: &[std::sync::Arc<Rule>]) -> Vec<&'a str> {
        let blocks = self
            .per_path
            .iter()
            .flat_map(|b| b.selection.selectors().chain(b.severity.keys()));
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(self.overrides.selectors())
            .chain(blocks)
            .chain(self.severity.keys())
            .filter(|s| !rules.iter().any(|r| selector_matches(s, &r.name)))
            .map(String::as_str)
            .collect()
    }
}

/// `, did you mean `NAME`?` for the rule name closest to an unknown selector, when one
/// is close enough to be a likely typo; empty otherwise.
pub fn did_you_mean(selector: &str, rules: &[std::sync::Arc<Rule>]) -> String {
    let wanted = selector.trim_end_matches('*');
    rules
        .iter()
        .map(|rule| (strsim::jaro_winkler(wanted, &rule.name), &rule.name))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, name)| format!(", did you mean `{name}`?"))
        .unwrap_or_default()
}

/// `path` relative to the directory `root` (empty: the current directory), whichever
/// way either is spelled; `None` when `path` is outside `root`.
pub fn relative_to(root: &Path, path: &Path) -> Option<PathBuf> {
    RelativeTo::new(root)?.path(path)
}

/// Paths made relative to one root, as [`relative_to`] makes them, with the current
/// directory read once rather than for every path.
#[derive(Debug, Clone)]
pub struct RelativeTo {
    cwd: PathBuf,
    /// The root, absolute.
    root: PathBuf,
}

impl RelativeTo {
    pub fn new(root: &Path) -> Option<Self> {
        let cwd = std::env::current_dir().ok()?;
        let root = lexical_absolute(root, &cwd);
        Some(RelativeTo { cwd, root })
    }

    pub fn path(&self, path: &Path) -> Option<PathBuf> {
        // The usual case, a walked path below the directory the run is in: itself.
        if self.root == self.cwd
            && path.is_relative()
            && path.components().all(|c| matches!(c, Component::Normal(_)))
        {
            return Some(path.to_path_buf());
        }
        self.resolved(path)
    }

    /// [`RelativeTo::path`] the long way: both made absolute, through links if need be.
    fn resolved(&self, path: &Path) -> Option<PathBuf> {
        let absolute = lexical_absolute(path, &self.cwd);
        if let Ok(relative) = absolute.strip_prefix(&self.root) {
            return Some(relative.to_path_buf());
        }
        // One side may go through a symbolic link (e.g. /tmp on macOS).
        let root = std::fs::canonicalize(&self.root).ok()?;
        let absolute = match std::fs::canonicalize(&absolute) {
            Ok(path) => path,
            Err(_) => canonical_parent_join(&absolute)?,
        };
        absolute.strip_prefix(&root).ok().map(Path::to_path_buf)
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` resolved textually.
fn lexical_absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// For a file that does not exist (text from standard input): its canonical parent
/// joined with its name.
fn canonical_parent_join(path: &Path) -> Option<PathBuf> {
    let parent = std::fs::canonicalize(path.parent()?).ok()?;
    Some(parent.join(path.file_name()?))
}

/// The options of a configuration file, as serde reads them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Options {
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    exclude: Option<Spanned<Vec<String>>>,
    rules_dir: Option<Spanned<toml::Value>>,
    lock_files: Option<Spanned<Vec<String>>>,
    project_kind: Option<Spanned<String>>,
    require_exact_pins: Option<bool>,
    max_file_size: Option<Spanned<u64>>,
    #[serde(default)]
    action_pins: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    per_path: Vec<Spanned<PerPathOptions>>,
    locks: Option<LocksOptions>,
}

/// `[locks]`: what lock files may hold.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LocksOptions {
    /// Python lock files (default: the Python Package Index and its file host).
    allowed_hosts: Option<Spanned<Vec<String>>>,
    /// npm, pnpm and yarn lock files (default: the npm and yarn registries).
    npm_allowed_hosts: Option<Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PerPathOptions {
    paths: Option<Spanned<Vec<String>>>,
    sections: Option<Spanned<Vec<String>>>,
    select: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    extend_select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Spanned<String>>,
    project_kind: Option<Spanned<String>>,
    action_pins: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<PyprojectTool>,
}

#[derive(Deserialize)]
struct PyprojectTool {
    pinwarden: Option<Options>,
}

/// A configuration file, read and checked against the schema.
#[derive(Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    text: String,
    options: Options,
}

impl ConfigFile {
    /// The nearest configuration walking up from `start` (a file or directory).
    pub fn find(start: &Path) -> Result<Option<ConfigFile>, ConfigError> {
        Self::find_warning(start, &mut Vec::new())
    }

    /// [`ConfigFile::find`], up to the repository's top (the directory holding `.git`)
    /// when `start` is inside one: what lies above a repository is not its
    /// configuration. Outside any repository the search goes on to the filesystem
    /// root, and a file above the checked directory that cannot be read is a warning
    /// in `warnings`, not an error: a stray unreadable `pyproject.toml` in a home
    /// directory must not stop every run below it.
    pub fn find_warning(
        start: &Path,
        warnings: &mut Vec<String>,
    ) -> Result<Option<ConfigFile>, ConfigError> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let absolute = lexical_absolute(start, &cwd);
        let first = if absolute.is_dir() {
            absolute.as_path()
        } else {
            absolute.parent().unwrap_or(&absolute)
        };
        let top = first.ancestors().find(|dir| dir.join(".git").exists());
        for dir in first.ancestors() {
            // Shown relative to the working directory when inside it, as ruff does.
            let shown = dir.strip_prefix(&cwd).unwrap_or(dir);
            let found = Self::in_directory(shown);
            match found {
                Ok(Some(config)) => return Ok(Some(config)),
                Ok(None) => {}
                // Above the checked directory, with no repository to bound the search.
                Err(error) if top.is_none() && dir != first => {
                    warnings.push(format!("{error}; not used as configuration"));
                }
                Err(error) => return Err(error),
            }
            if Some(dir) == top {
                break;
            }
        }
        Ok(None)
    }

    /// The configuration in `dir` itself, if any.
    fn in_directory(dir: &Path) -> Result<Option<ConfigFile>, ConfigError> {
        for name in CONFIG_FILE_NAMES {
            let path = dir.join(name);
            if path.is_file() {
                return ConfigFile::load(&path).map(Some);
            }
        }
        let pyproject = dir.join("pyproject.toml");
        if pyproject.is_file() {
            return ConfigFile::from_pyproject(&pyproject, false);
        }
        Ok(None)
    }

    /// Read the configuration file at `path`: a `pyproject.toml` must have a
    /// `[tool.pinwarden]` table; any other name is a pinwarden configuration file.
    pub fn load(path: &Path) -> Result<ConfigFile, ConfigError> {
        if path
            .file_name()
            .is_some_and(|name| name == "pyproject.toml")
        {
            return ConfigFile::from_pyproject(path, true)?.ok_or_else(|| {
                ConfigError::new(path, "", None, "no [tool.pinwarden] table".into())
            });
        }
        let text = read(path)?;
        let options = toml::from_str(&text).map_err(|e| toml_error(path, &text, e))?;
        Ok(ConfigFile {
            path: path.to_path_buf(),
            text,
            options,
        })
    }

    /// The `[tool.pinwarden]` table of a `pyproject.toml`. A file that is not valid TOML
    /// is only a configuration error when it mentions pinwarden (or was named with
    /// `--config`); otherwise it is a manifest like any other, reported by the linter.
    fn from_pyproject(path: &Path, required: bool) -> Result<Option<ConfigFile>, ConfigError> {
        let text = read(path)?;
        if !required && !text.contains("pinwarden") {
            return Ok(None);
        }
        let pyproject: Pyproject = toml::from_str(&text).map_err(|e| toml_error(path, &text, e))?;
        Ok(pyproject
            .tool
            .and_then(|tool| tool.pinwarden)
            .map(|options| ConfigFile {
                path: path.to_path_buf(),
                text,
                options,
            }))
    }

    /// The directory relative paths in the file are relative to.
    pub fn directory(&self) -> PathBuf {
        let parent = self.path.parent().unwrap_or(Path::new(""));
        if parent.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            parent.to_path_buf()
        }
    }

    fn error(&self, span: Span, message: String) -> ConfigError {
        ConfigError::new(&self.path, &self.text, Some(span), message)
    }

    /// The built-in rules plus the rules in `rules-dir`.
    pub fn load_rules(&self) -> Result<RuleSet, ConfigError> {
        let mut rules = RuleSet::builtin()?;
        for dir in self.rules_dirs()? {
            rules.load_dir(&dir)?;
        }
        Ok(rules)
    }

    fn rules_dirs(&self) -> Result<Vec<PathBuf>, ConfigError> {
        let Some(value) = &self.options.rules_dir else {
            return Ok(Vec::new());
        };
        let span = value.span();
        let names: Vec<&str> = match value.get_ref() {
            toml::Value::String(name) => vec![name.as_str()],
            toml::Value::Array(items) => items
                .iter()
                .map(|item| item.as_str())
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    self.error(span.clone(), "`rules-dir` lists directory names".into())
                })?,
            _ => {
                return Err(self.error(
                    span,
                    "`rules-dir` is a directory name or a list of them".into(),
                ));
            }
        };
        let base = self.directory();
        names
            .into_iter()
            .map(|name| {
                let dir = base.join(name);
                if dir.is_dir() {
                    Ok(dir)
                } else {
                    Err(self.error(
                        span.clone(),
                        format!("rules directory `{}` does not exist", dir.display()),
                    ))
                }
            })
            .collect()
    }

    /// Resolve the file into settings, checking every selector against `rules` (the
    /// set [`ConfigFile::load_rules`] returned).
    pub fn settings(&self, rules: &RuleSet) -> Result<Settings, ConfigError> {
        let options = &self.options;
        let selection = self.selection(
            options.select.as_deref(),
            &options.extend_select,
            &options.ignore,
            rules,
        )?;
        let severity = self.severities(&options.severity, rules)?;
        let exclude = match &options.exclude {
            Some(patterns) => self.globs(patterns)?,
            None => PathGlobs::default(),
        };
        let per_path = options
            .per_path
            .iter()
            .map(|spanned| {
                let block = spanned.get_ref();
                if block.paths.is_none() && block.sections.is_none() {
                    return Err(self.error(
                        spanned.span(),
                        "a [[per-path]] block needs `paths`, `sections`, or both".to_string(),
                    ));
                }
                if let Some(paths) = &block.paths
                    && paths.get_ref().is_empty()
                {
                    return Err(self.error(
                        paths.span(),
                        "`paths` is empty: leave it out to mean every file".to_string(),
                    ));
                }
                let sections = match &block.sections {
                    Some(patterns) => Some(SectionGlobs::new(patterns.get_ref()).map_err(|e| {
                        self.error(patterns.span(), format!("invalid section pattern: {e}"))
                    })?),
                    None => None,
                };
                Ok(PerPath {
                    paths: match &block.paths {
                        Some(paths) => self.globs(paths)?,
                        None => PathGlobs::default(),
                    },
                    sections,
                    selection: self.selection(
                        block.select.as_deref(),
                        &block.extend_select,
                        &block.ignore,
                        rules,
                    )?,
                    severity: self.severities(&block.severity, rules)?,
                    project_kind: self.project_kind(block.project_kind.as_ref())?,
                    action_pins: match &block.action_pins {
                        Some(table) => Some(self.action_pins(table)?),
                        None => None,
                    },
                    origin: format!(
                        "{}:{}",
                        self.path.display(),
                        self.text[..spanned.span().start.min(self.text.len())]
                            .matches('\n')
                            .count()
                            + 1
                    ),
                    used: Arc::default(),
                })
            })
            .collect::<Result<_, ConfigError>>()?;
        Ok(Settings {
            select: selection.select,
            extend_select: selection.extend_select,
            ignore: selection.ignore,
            overrides: Selection::default(),
            severity,
            per_path,
            exclude,
            root: self.directory(),
            source: Some(self.path.clone()),
            lock_files: self.lock_files()?,
            action_pins: self.action_pins(&options.action_pins)?,
            npm_allowed_hosts: options
                .locks
                .as_ref()
                .and_then(|locks| locks.npm_allowed_hosts.clone()),
            lock_allowed_hosts: match options
                .locks
                .as_ref()
                .and_then(|locks| locks.allowed_hosts.as_ref())
            {
                None => Default::default(),
                Some(hosts) => crate::manifest::lockfile::AllowedHosts::new(hosts.get_ref())
                    .map_err(|message| self.error(hosts.span(), message))?,
            },
            project_kind: self.project_kind(options.project_kind.as_ref())?,
            require_exact_pins: options.require_exact_pins.unwrap_or(false),
            max_file_size: match &options.max_file_size {
                None => None,
                Some(mib) if (1..=1024).contains(mib.get_ref()) => {
                    Some(mib.get_ref() * 1024 * 1024)
                }
                Some(mib) => {
                    return Err(self.error(
                        mib.span(),
                        "`max-file-size` is in MiB, from 1 to 1024".to_string(),
                    ));
                }
            },
        })
    }

    /// `project-kind = "library" | "application"`.
    fn project_kind(
        &self,
        value: Option<&Spanned<String>>,
    ) -> Result<Option<ProjectKind>, ConfigError> {
        let Some(value) = value else {
            return Ok(None);
        };
        ProjectKind::from_name(value.get_ref())
            .map(Some)
            .ok_or_else(|| {
                self.error(
                    value.span(),
                    format!(
                        "unknown project kind `{}`: expected `library` or `application`",
                        value.get_ref()
                    ),
                )
            })
    }

    /// `[action-pins]`: patterns to `hash-pin`, `ref-pin` or `any`.
    fn action_pins(
        &self,
        table: &BTreeMap<Spanned<String>, Spanned<String>>,
    ) -> Result<crate::manifest::actions::ActionPins, ConfigError> {
        let mut pins = crate::manifest::actions::ActionPins::default();
        for (pattern, policy) in table {
            let parsed =
                crate::manifest::ActionPolicy::from_name(policy.get_ref()).ok_or_else(|| {
                    self.error(
                        policy.span(),
                        format!(
                            "unknown action pin policy `{}`: expected `hash-pin`, `ref-pin` or `any`",
                            policy.get_ref()
                        ),
                    )
                })?;
            pins.add(pattern.get_ref(), parsed)
                .map_err(|message| self.error(pattern.span(), message))?;
        }
        Ok(pins)
    }

    /// `lock-files`, relative to this file; each must be an existing file.
    fn lock_files(&self) -> Result<Vec<PathBuf>, ConfigError> {
        let Some(names) = &self.options.lock_files else {
            return Ok(Vec::new());
        };
        let base = self.directory();
        names
            .get_ref()
            .iter()
            .map(|name| {
                // `pins.txt`, not `./pins.txt`, in messages.
                let path = crate::discover::without_cur_dir(&base.join(name));
                if path.is_file() {
                    Ok(path)
                } else {
                    Err(self.error(
                        names.span(),
                        format!("lock file `{}` does not exist", path.display()),
                    ))
                }
            })
            .collect()
    }

    fn selectors(
        &self,
        list: &[Spanned<String>],
        rules: &RuleSet,
    ) -> Result<Vec<String>, ConfigError> {
        list.iter()
            .map(|selector| self.selector(selector, rules))
            .collect()
    }

    fn selector(&self, selector: &Spanned<String>, rules: &RuleSet) -> Result<String, ConfigError> {
        let name = selector.get_ref();
        if rules.rules.iter().any(|r| selector_matches(name, &r.name)) {
            Ok(name.clone())
        } else {
            Err(self.error(
                selector.span(),
                format!(
                    "`{name}` names no rule{} (see `pinwarden rules`)",
                    did_you_mean(name, &rules.rules)
                ),
            ))
        }
    }

    fn selection(
        &self,
        select: Option<&[Spanned<String>]>,
        extend_select: &[Spanned<String>],
        ignore: &[Spanned<String>],
        rules: &RuleSet,
    ) -> Result<Selection, ConfigError> {
        Ok(Selection {
            select: select.map(|s| self.selectors(s, rules)).transpose()?,
            extend_select: self.selectors(extend_select, rules)?,
            ignore: self.selectors(ignore, rules)?,
        })
    }

    fn severities(
        &self,
        table: &BTreeMap<Spanned<String>, Spanned<String>>,
        rules: &RuleSet,
    ) -> Result<BTreeMap<String, Severity>, ConfigError> {
        table
            .iter()
            .map(|(selector, severity)| {
                let selector = self.selector(selector, rules)?;
                let severity = Severity::from_name(severity.get_ref()).ok_or_else(|| {
                    self.error(
                        severity.span(),
                        format!(
                            "unknown severity `{}`; expected error, warning or info",
                            severity.get_ref()
                        ),
                    )
                })?;
                Ok((selector, severity))
            })
            .collect()
    }

    fn globs(&self, patterns: &Spanned<Vec<String>>) -> Result<PathGlobs, ConfigError> {
        PathGlobs::new(patterns.get_ref())
            .map_err(|e| self.error(patterns.span(), format!("invalid path pattern: {e}")))
    }
}

fn read(path: &Path) -> Result<String, ConfigError> {
    crate::project::read_text_capped(path)
        .map_err(|e| ConfigError::new(path, "", None, format!("cannot read configuration: {e}")))
}

fn toml_error(path: &Path, text: &str, error: toml::de::Error) -> ConfigError {
    ConfigError::new(
        path,
        text,
        error.span(),
        format!("invalid configuration: {}", error.message()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_below_the_run_directory_is_itself_as_the_long_way_makes_it() {
        let relative = RelativeTo::new(Path::new(".")).unwrap();
        for path in [
            "requirements.txt",
            "libs/a/pyproject.toml",
            "./libs/a/requirements.txt",
            "libs/../requirements.txt",
            "a//b/requirements.txt",
        ] {
            let path = Path::new(path);
            assert_eq!(relative.path(path), relative.resolved(path), "{path:?}");
        }
        assert_eq!(
            relative.path(Path::new("libs/a/pyproject.toml")),
            Some(PathBuf::from("libs/a/pyproject.toml"))
        );
    }

    #[test]
    fn path_globs_match_like_gitignore() {
        let globs = PathGlobs::new(&[
            "libs/*/pyproject.toml".to_string(),
            "vendor".to_string(),
            "./apps/legacy/".to_string(),
        ])
        .unwrap();
        let m = |p: &str| globs.matches(Path::new(p));
        assert!(m("libs/a/pyproject.toml"));
        assert!(!m("libs/a/b/pyproject.toml"), "`*` stays in one component");
        assert!(m("vendor/requirements.txt"));
        assert!(m("deep/vendor/x/requirements.txt"));
        assert!(m("apps/legacy/requirements.txt"));
        assert!(!m("apps/legacy2/requirements.txt"));
        assert!(!m("libs/pyproject.toml"));
    }

    #[test]
    fn most_specific_severity_wins() {
        let map: BTreeMap<String, Severity> = [
            ("ALL".to_string(), Severity::Info),
            ("secret-*".to_string(), Severity::Warning),
            ("secret-jwt".to_string(), Severity::Error),
        ]
        .into();
        assert_eq!(most_specific(&map, "secret-jwt"), Some(Severity::Error));
        assert_eq!(most_specific(&map, "secret-pypi"), Some(Severity::Warning));
        assert_eq!(most_specific(&map, "version-range"), Some(Severity::Info));
    }

    #[test]
    fn project_relative_normalises_spellings() {
        let cwd = std::env::current_dir().unwrap();
        let settings = Settings {
            root: PathBuf::from("."),
            ..Settings::default()
        };
        let want = Some(PathBuf::from("libs/a/pyproject.toml"));
        assert_eq!(
            settings.project_relative(Path::new("libs/a/pyproject.toml")),
            want
        );
        assert_eq!(
            settings.project_relative(Path::new("./libs/a/pyproject.toml")),
            want
        );
        assert_eq!(
            settings.project_relative(&cwd.join("libs/x/../a/pyproject.toml")),
            want
        );
        assert_eq!(settings.project_relative(Path::new("/elsewhere/x")), None);
    }
}
