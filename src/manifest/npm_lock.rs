//! The contents of JavaScript lock files: every package `pnpm-lock.yaml`,
//! `package-lock.json` and `yarn.lock` download, where from, and what they record to
//! verify it, as [`LockSource`] items with spans into the lock, for the `lock-*`
//! rules (the checks lockfile-lint makes for npm and yarn, and for pnpm, which it does
//! not read).
//!
//! - pnpm: each `packages:` entry's `resolution`: `integrity` for a registry package
//!   (pnpm records no URL for those: the configured registry serves them), `tarball`
//!   for a URL, `type: git` with `repo` and `commit`, `directory` for a local one.
//! - npm (lockfile versions 2 and 3): each `packages` entry's `resolved` URL and
//!   `integrity`; `link: true` entries are workspace members.
//! - yarn 1: each entry's `resolved` URL and `integrity`; yarn 2+: each entry's
//!   `resolution` (`name@npm:1.2.3`, `name@workspace:…`, a git or tarball URL) and
//!   `checksum`.
//!
//! Lock files are written by their tools, which drop anything else on the next
//! install: findings in them are suppressed from the configuration (`[[per-path]]`) or
//! a baseline, not by comments.

use jsonc_parser::ast::{ObjectPropName, Value};

use super::json::{self, Str};
use super::yaml::{NodeId, Yaml};
use super::{Item, LockSource, LockSourceType, ManifestKind, ParseError, Span};

/// Where a lock file says a package is downloaded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArtifactSource {
    /// A package registry: the lock's URL, or the configured registry when it names none.
    Registry,
    /// A tarball at a URL of its own.
    Url,
    Git,
    /// A path of the checkout, a workspace member or a link.
    Local,
}

/// One package a lock file downloads, with what it records to verify it.
#[derive(Debug, Clone, PartialEq)]
struct LockArtifact {
    /// The URL as written when the lock records one, else the entry's key.
    span: Span,
    name: String,
    version: Option<String>,
    /// The download or repository URL; `None` when the lock names only a version (the
    /// configured registry serves it).
    url: Option<String>,
    source: ArtifactSource,
    /// An `integrity` / `checksum` hash is recorded.
    hashed: bool,
    /// For git: the ref it is at (a full commit, or a branch or tag).
    rev: Option<String>,
}

impl LockArtifact {
    /// The artifact as the lock content rules judge the sources of every lock, Python's
    /// too: a registry tarball is a file of a package from an index, a tarball URL one
    /// the project named, git a VCS source at a commit or not.
    fn into_item(self) -> Item {
        let (source_type, context, hashed) = match self.source {
            ArtifactSource::Registry => (LockSourceType::Artifact, "tarball", Some(self.hashed)),
            ArtifactSource::Url => (LockSourceType::Direct, "tarball", Some(self.hashed)),
            ArtifactSource::Git => (LockSourceType::Vcs, "git", None),
            ArtifactSource::Local => (LockSourceType::Local, "path", None),
        };
        let commit = self
            .rev
            .filter(|rev| super::lockfile::is_full_commit(rev.trim()));
        Item::LockSource(LockSource {
            span: self.span,
            package: Some(self.name),
            version: self.version,
            source_type,
            context,
            url: self.url,
            hashed,
            commit,
            verify_ssl: None,
            host_allowed: None,
        })
    }
}

/// The registry hosts allowed when the configuration names none.
pub const DEFAULT_ALLOWED_HOSTS: [&str; 2] = ["registry.npmjs.org", "registry.yarnpkg.com"];

/// Whether files of `kind` are JavaScript locks read here.
pub fn reads(kind: ManifestKind) -> bool {
    matches!(
        kind,
        ManifestKind::PnpmLock | ManifestKind::NpmLock | ManifestKind::YarnLock
    )
}

/// Set each artifact's `host_allowed` from the allowed hosts (exact names, or
/// `*.example.com` for its subdomains).
pub fn apply_hosts(allowed: &[String], items: &mut [Item]) {
    for item in items {
        if let Item::LockSource(source) = item {
            source.host_allowed = source
                .host()
                .map(|host| allowed.iter().any(|pattern| host_matches(pattern, &host)));
        }
    }
}

fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.trim().to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(domain) => host
            .strip_suffix(domain)
            .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
        None => pattern == host,
    }
}

/// How a URL a lock records is fetched: git, a registry tarball (npm's registry layout
/// puts tarballs under `/-/`), another tarball, or a local path.
fn source_of_url(url: &str) -> ArtifactSource {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("git+") || lower.starts_with("git://") || lower.contains(".git#") {
        ArtifactSource::Git
    } else if lower.starts_with("file:") || lower.starts_with("link:") {
        ArtifactSource::Local
    } else if lower.contains("/-/") {
        ArtifactSource::Registry
    } else {
        ArtifactSource::Url
    }
}

/// The ref of a git URL: after `#` (`#<commit>`, yarn's `#commit=<commit>`).
fn git_rev(url: &str) -> Option<String> {
    let (_, fragment) = url.split_once('#')?;
    let rev = fragment.strip_prefix("commit=").unwrap_or(fragment);
    (!rev.is_empty()).then(|| rev.to_string())
}

/// Name and version of a lock key: `react@18.2.0`, `/react@18.2.0(peer@1.0.0)` (pnpm
/// 6), `/react/18.2.0` (pnpm 5), `@s/n@1.0.0`.
fn name_and_version(key: &str) -> (String, Option<String>) {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    if let Some((at, _)) = key.char_indices().skip(1).filter(|(_, c)| *c == '@').last() {
        return (key[..at].to_string(), Some(key[at + 1..].to_string()));
    }
    // pnpm 5: the version is the last path segment.
    match key.rsplit_once('/') {
        Some((name, version)) if !name.is_empty() && !name.ends_with('@') => {
            (name.to_string(), Some(version.to_string()))
        }
        _ => (key.to_string(), None),
    }
}

fn artifact(
    span: Span,
    name: String,
    version: Option<String>,
    url: Option<String>,
    source: ArtifactSource,
    hashed: bool,
) -> LockArtifact {
    let rev = match source {
        ArtifactSource::Git => url.as_deref().and_then(git_rev),
        _ => None,
    };
    LockArtifact {
        span,
        name,
        version,
        url,
        source,
        hashed,
        rev,
    }
}

pub fn parse_pnpm(text: &str) -> Vec<Item> {
    let yaml = Yaml::parse(text);
    let mut out = Vec::new();
    if let Some(root) = yaml.root
        && let Some(packages) = yaml.get(root, "packages")
    {
        for (key, entry) in yaml.entries(packages) {
            if let Some(found) = pnpm_package(&yaml, &key.value, key.value_span(), entry) {
                out.push(found.into_item());
            }
        }
    }
    if let Some((message, span)) = yaml.error {
        out.push(Item::ParseError(ParseError { message, span }));
    }
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out
}

fn pnpm_package(yaml: &Yaml, key: &str, key_span: Span, entry: NodeId) -> Option<LockArtifact> {
    let (name, version) = name_and_version(key);
    let resolution = yaml.get(entry, "resolution")?;
    let field = |name: &'static str| yaml.scalar_at(resolution, name);
    let hashed = field("integrity").is_some_and(|v| !v.value.trim().is_empty());
    if field("type").is_some_and(|t| t.value == "git") {
        let repo = field("repo")?;
        let mut found = artifact(
            repo.value_span(),
            name,
            version,
            Some(repo.value.clone()),
            ArtifactSource::Git,
            hashed,
        );
        found.rev = field("commit").map(|commit| commit.value.clone());
        return Some(found);
    }
    if let Some(tarball) = field("tarball") {
        let source = match source_of_url(&tarball.value) {
            ArtifactSource::Registry => ArtifactSource::Registry,
            ArtifactSource::Local => ArtifactSource::Local,
            _ => ArtifactSource::Url,
        };
        return Some(artifact(
            tarball.value_span(),
            name,
            version,
            Some(tarball.value.clone()),
            source,
            hashed,
        ));
    }
    if let Some(directory) = field("directory") {
        // The finding stays on the entry's key; the directory names the source.
        return Some(artifact(
            key_span,
            name,
            version,
            Some(directory.value.clone()),
            ArtifactSource::Local,
            hashed,
        ));
    }
    Some(artifact(
        key_span,
        name,
        version,
        None,
        ArtifactSource::Registry,
        hashed,
    ))
}

pub fn parse_npm(text: &str) -> Vec<Item> {
    let root = match json::parse(text) {
        Ok(Some(Value::Object(root))) => root,
        Ok(_) => return Vec::new(),
        Err(error) => return vec![Item::ParseError(error)],
    };
    let mut out = Vec::new();
    let Some(Value::Object(packages)) = json::get(&root, "packages") else {
        return out;
    };
    for prop in &packages.properties {
        let (ObjectPropName::String(key), Value::Object(entry)) = (&prop.name, &prop.value) else {
            continue;
        };
        let key = Str::of(text, key);
        let Some((_, name)) = key.value.rsplit_once("node_modules/") else {
            continue;
        };
        let string = |field: &str| match json::get(entry, field) {
            Some(Value::StringLit(lit)) => Some(Str::of(text, lit)),
            _ => None,
        };
        let flag =
            |field: &str| matches!(json::get(entry, field), Some(Value::BooleanLit(b)) if b.value);
        // Bundled packages come inside their parent's tarball.
        if flag("inBundle") {
            continue;
        }
        let version = string("version").map(|v| v.value.to_string());
        let hashed = string("integrity").is_some_and(|v| !v.value.trim().is_empty());
        if flag("link") {
            out.push(
                artifact(
                    key.value_span(),
                    name.to_string(),
                    version,
                    string("resolved").map(|r| r.value.to_string()),
                    ArtifactSource::Local,
                    hashed,
                )
                .into_item(),
            );
            continue;
        }
        let Some(resolved) = string("resolved") else {
            continue;
        };
        out.push(
            artifact(
                resolved.value_span(),
                name.to_string(),
                version,
                Some(resolved.value.to_string()),
                source_of_url(resolved.value),
                hashed,
            )
            .into_item(),
        );
    }
    out
}

pub fn parse_yarn(text: &str) -> Vec<Item> {
    let berry = text.lines().any(|line| line.trim_end() == "__metadata:");
    let mut out = if berry {
        parse_berry(text)
    } else {
        parse_classic(text)
    };
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out
}

/// The package name of a yarn descriptor: `lodash@^4`, `"@s/n@npm:1.0.0"`.
fn descriptor_name(descriptor: &str) -> Option<&str> {
    let descriptor = descriptor.trim().trim_matches('"');
    let at = descriptor
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '@')?
        .0;
    Some(&descriptor[..at])
}

/// One entry of a yarn 1 lock being read.
#[derive(Default)]
struct ClassicEntry {
    name: Option<String>,
    key_span: Span,
    version: Option<String>,
    resolved: Option<(String, Span)>,
    hashed: bool,
}

impl ClassicEntry {
    fn finish(self, out: &mut Vec<Item>) {
        let (Some(name), Some((url, span))) = (self.name, self.resolved) else {
            return;
        };
        let source = source_of_url(&url);
        out.push(artifact(span, name, self.version, Some(url), source, self.hashed).into_item());
    }
}

fn parse_classic(text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let mut entry = ClassicEntry::default();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with('#') || content.trim().is_empty() {
            continue;
        }
        if !content.starts_with(' ') {
            std::mem::take(&mut entry).finish(&mut out);
            let header = content.trim_end_matches(':');
            entry.name = header
                .split(", ")
                .next()
                .and_then(descriptor_name)
                .map(str::to_string);
            entry.key_span = start..start + header.len();
            continue;
        }
        let indent = content.len() - content.trim_start().len();
        // Only the entry's own fields, not its `dependencies:` block.
        if indent != 2 {
            continue;
        }
        let field = content.trim_start();
        let Some((key, value)) = field.split_once(' ') else {
            continue;
        };
        let value_start = start + indent + key.len() + 1;
        let raw = value.trim_end();
        let (value, value_at) = match raw.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
            Some(inner) => (inner, value_start + 1),
            None => (raw, value_start),
        };
        match key {
            "version" => entry.version = Some(value.to_string()),
            "resolved" => {
                entry.resolved = Some((value.to_string(), value_at..value_at + value.len()));
            }
            "integrity" => entry.hashed = !value.is_empty(),
            _ => {}
        }
    }
    entry.finish(&mut out);
    out
}

fn parse_berry(text: &str) -> Vec<Item> {
    let yaml = Yaml::parse(text);
    let mut out = Vec::new();
    if let Some(root) = yaml.root {
        for (key, entry) in yaml.entries(root) {
            if key.value == "__metadata" {
                continue;
            }
            let Some(resolution) = yaml.scalar_at(entry, "resolution") else {
                continue;
            };
            let Some(name) = descriptor_name(&resolution.value) else {
                continue;
            };
            let Some(reference) = resolution
                .value
                .trim()
                .trim_matches('"')
                .get(name.len() + 1..)
            else {
                continue;
            };
            let version = yaml.scalar_at(entry, "version").map(|v| v.value.clone());
            let hashed = yaml
                .scalar_at(entry, "checksum")
                .is_some_and(|c| !c.value.trim().is_empty());
            let lower = reference.to_ascii_lowercase();
            let local = ["workspace:", "link:", "portal:", "file:", "patch:"]
                .iter()
                .any(|prefix| lower.starts_with(prefix));
            let (source, url) = if lower.starts_with("npm:") {
                (ArtifactSource::Registry, None)
            } else if local {
                // A workspace's own path, as `lock-local-source` reads every lock's
                // (`.` is the project itself).
                let path = reference.strip_prefix("workspace:").unwrap_or(reference);
                (ArtifactSource::Local, Some(path.to_string()))
            } else if lower.contains("#commit=") || lower.starts_with("git") {
                (ArtifactSource::Git, Some(reference.to_string()))
            } else if lower.contains("://") {
                (ArtifactSource::Url, Some(reference.to_string()))
            } else {
                continue;
            };
            out.push(
                artifact(
                    resolution.value_span(),
                    name.to_string(),
                    version,
                    url,
                    source,
                    hashed,
                )
                .into_item(),
            );
        }
    }
    if let Some((message, span)) = yaml.error {
        out.push(Item::ParseError(ParseError { message, span }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "5b6aa1a6bc5ad4d5f2ec4ed5d1b6c89d4d1e59b2";

    /// A lock source as these tests read an artifact.
    struct View<'a> {
        name: &'a str,
        version: Option<&'a str>,
        span: Span,
        source: &'static str,
        hashed: bool,
        host_allowed: bool,
        rev: Option<&'a str>,
        item: &'a LockSource,
    }

    fn artifacts(items: &[Item]) -> Vec<View<'_>> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::LockSource(a) => Some(View {
                    name: a.package.as_deref().unwrap_or_default(),
                    version: a.version.as_deref(),
                    span: a.span.clone(),
                    source: match a.source_type {
                        LockSourceType::Artifact => "registry",
                        LockSourceType::Direct => "url",
                        LockSourceType::Vcs => "git",
                        LockSourceType::Local => "local",
                        LockSourceType::Index => "index",
                    },
                    hashed: a.hashed.unwrap_or(false),
                    host_allowed: a.host_allowed.unwrap_or(true),
                    rev: a.commit.as_deref(),
                    item: a,
                }),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn pnpm_packages() {
        let text = format!(
            "lockfileVersion: '9.0'\npackages:\n  react@18.2.0:\n    resolution: {{integrity: sha512-abc}}\n  '@s/n@1.0.0':\n    resolution: {{tarball: http://example.com/n-1.0.0.tgz}}\n  g@1.0.0:\n    resolution: {{type: git, repo: https://github.com/o/g.git, commit: {SHA}}}\n  lib@file:lib:\n    resolution: {{directory: lib, type: directory}}\n"
        );
        let items = parse_pnpm(&text);
        let got: Vec<(&str, &str, &str, bool)> = artifacts(&items)
            .iter()
            .map(|a| (a.name, &text[a.span.clone()], a.source, a.hashed))
            .collect();
        assert_eq!(
            got,
            [
                ("react", "react@18.2.0", "registry", true),
                ("@s/n", "http://example.com/n-1.0.0.tgz", "url", false),
                ("g", "https://github.com/o/g.git", "git", false),
                ("lib", "lib@file:lib", "local", false),
            ]
        );
        assert_eq!(artifacts(&items)[2].rev, Some(SHA));
        assert_eq!(artifacts(&items)[3].item.url.as_deref(), Some("lib"));
        let v6 = "lockfileVersion: '6.0'\npackages:\n  /react-dom@18.2.0(react@18.2.0):\n    resolution: {integrity: sha512-x}\n";
        let items = parse_pnpm(v6);
        assert_eq!(artifacts(&items)[0].name, "react-dom");
        assert_eq!(artifacts(&items)[0].version, Some("18.2.0"));
    }

    #[test]
    fn npm_packages() {
        let text = format!(
            r#"{{"lockfileVersion": 3, "packages": {{
  "": {{"name": "app"}},
  "node_modules/a": {{"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "integrity": "sha512-x"}},
  "node_modules/b": {{"version": "1.0.0", "resolved": "http://registry.npmjs.org/b/-/b-1.0.0.tgz"}},
  "node_modules/g": {{"version": "1.0.0", "resolved": "git+ssh://git@github.com/o/g.git#{SHA}"}},
  "node_modules/web": {{"resolved": "packages/web", "link": true}},
  "node_modules/a/node_modules/c": {{"version": "2.0.0", "resolved": "https://npm.example.com/c/-/c-2.0.0.tgz", "integrity": "sha512-y"}},
  "node_modules/d": {{"inBundle": true, "version": "1.0.0"}}
}}}}"#
        );
        let mut items = parse_npm(&text);
        apply_hosts(&DEFAULT_ALLOWED_HOSTS.map(String::from), &mut items);
        let got: Vec<(&str, &str, bool, bool)> = artifacts(&items)
            .iter()
            .map(|a| (a.name, a.source, a.hashed, a.host_allowed))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "registry", true, true),
                ("b", "registry", false, true),
                ("g", "git", false, false),
                ("web", "local", false, true),
                ("c", "registry", true, false),
            ]
        );
        let b = &artifacts(&items)[1];
        assert_eq!(b.item.scheme().as_deref(), Some("http"));
        assert_eq!(
            &text[b.span.clone()],
            "http://registry.npmjs.org/b/-/b-1.0.0.tgz"
        );
        assert!(matches!(parse_npm("{").as_slice(), [Item::ParseError(_)]));
    }

    #[test]
    fn yarn_classic_and_berry() {
        let classic = "# yarn lockfile v1\n\n\"@babel/core@^7.0.0\", \"@babel/core@^7.1.0\":\n  version \"7.1.0\"\n  resolved \"https://registry.yarnpkg.com/@babel/core/-/core-7.1.0.tgz#abc\"\n  integrity sha512-x\n  dependencies:\n    resolved \"not-a-field\"\n\nleft-pad@^1.0.0:\n  version \"1.3.0\"\n  resolved \"http://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz\"\n";
        let items = parse_yarn(classic);
        let got: Vec<(&str, &str, bool)> = artifacts(&items)
            .iter()
            .map(|a| (a.name, &classic[a.span.clone()], a.hashed))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "@babel/core",
                    "https://registry.yarnpkg.com/@babel/core/-/core-7.1.0.tgz#abc",
                    true
                ),
                (
                    "left-pad",
                    "http://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz",
                    false
                ),
            ]
        );
        let berry = format!(
            "__metadata:\n  version: 8\n\n\"lodash@npm:^4.17.21\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n  checksum: 10c0/abc\n\n\"g@https://github.com/o/g.git#commit={SHA}\":\n  version: 1.0.0\n  resolution: \"g@https://github.com/o/g.git#commit={SHA}\"\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n"
        );
        let items = parse_yarn(&berry);
        let got: Vec<(&str, &str, bool, Option<&str>)> = artifacts(&items)
            .iter()
            .map(|a| (a.name, a.source, a.hashed, a.rev))
            .collect();
        assert_eq!(
            got,
            [
                ("lodash", "registry", true, None),
                ("g", "git", false, Some(SHA)),
                ("app", "local", false, None),
            ]
        );
    }

    #[test]
    fn hosts() {
        assert!(host_matches("*.example.com", "npm.example.com"));
        assert!(!host_matches("*.example.com", "example.com"));
        assert!(!host_matches("*.example.com", "badexample.com"));
        assert!(host_matches("Registry.npmjs.org", "registry.npmjs.org"));
        let Item::LockSource(a) = artifact(
            0..0,
            "a".into(),
            None,
            Some("https://user:pw@Host.Example:8443/x".into()),
            ArtifactSource::Url,
            false,
        )
        .into_item() else {
            panic!("a lock source");
        };
        assert_eq!(a.host().as_deref(), Some("host.example"));
    }

    #[test]
    fn hostile_shapes_do_not_panic() {
        for text in [
            "",
            "{",
            "[]",
            "packages: 1",
            "packages: {a: 1, '@': {resolution: 2}}",
            "\"\":\n  resolved\n  resolved \"\"\n",
            "__metadata:\n\"@\":\n  resolution: \"@\"\n",
        ] {
            let _ = parse_pnpm(text);
            let _ = parse_npm(text);
            let _ = parse_yarn(text);
        }
    }
}
