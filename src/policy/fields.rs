//! The fields rules can test, per item type. One table, so the rule loader can reject
//! an unknown field with a span and `pinwarden rule` can document them.

use std::borrow::Cow;
use std::path::Path;

use crate::manifest::admitted;
use crate::manifest::{
    ActionRef, EnvEntry, HookRev, ImageRef, Include, Item, LockSource, LockSourceType,
    ManifestKind, Package, Pin, PipOption, Requirement, Span,
};

/// A field value as the condition language sees it. Text borrows from the item where
/// it can: every rule looks up fields of every item, and copying them was a large share
/// of the evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Text(Cow<'a, str>),
    Number(f64),
    Bool(bool),
    List(Vec<Value<'a>>),
}

impl Value<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            Value::Text(text) => text.is_empty(),
            Value::List(items) => items.is_empty(),
            Value::Number(_) | Value::Bool(_) => false,
        }
    }

    pub fn to_text(&self) -> String {
        match self {
            Value::Text(text) => text.to_string(),
            Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Value::Number(n) => format!("{n:.2}"),
            Value::Bool(b) => b.to_string(),
            Value::List(items) => items
                .iter()
                .map(Value::to_text)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Text(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// Equality that lets `equals = 2` match a count and `equals = "x"` match text.
    pub fn loosely_equals(&self, other: &Value<'_>) -> bool {
        match (self, other) {
            (Value::Number(a), b) => b.as_number() == Some(*a),
            (a, Value::Number(b)) => a.as_number() == Some(*b),
            _ => self == other,
        }
    }

    pub fn from_toml(value: &toml::Value) -> Option<Value<'static>> {
        Some(match value {
            toml::Value::String(s) => Value::Text(Cow::Owned(s.clone())),
            toml::Value::Integer(i) => Value::Number(*i as f64),
            toml::Value::Float(f) => Value::Number(*f),
            toml::Value::Boolean(b) => Value::Bool(*b),
            toml::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_toml).collect::<Option<_>>()?)
            }
            _ => return None,
        })
    }
}

/// The item types rules can apply to: the parsed items, plus `file`, one per manifest.
pub const ITEM_TYPES: [&str; 12] = [
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
    "file",
    "lock-source",
];

/// A field, resolved from its name when a rule is loaded: every rule looks up fields
/// of every item, and matching names there was a large share of the evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Kind,
    Path,
    Name,
    CanonicalName,
    Extras,
    Specifier,
    Operators,
    ClauseCount,
    Pin,
    Marker,
    Url,
    Vcs,
    Rev,
    Local,
    Hashed,
    HashCount,
    Editable,
    Section,
    PinnedBy,
    Published,
    ExactVersion,
    SpelledExact,
    CanonicalSpecifier,
    AdmitsNote,
    Conflict,
    Image,
    Tag,
    Digest,
    ImageProblem,
    Checksum,
    Ecosystem,
    Version,
    PackagePin,
    PackageProblem,
    Uses,
    Action,
    Policy,
    Context,
    Comment,
    Repo,
    Option,
    Value,
    Setting,
    Scheme,
    Type,
    Target,
    Key,
    ValueLength,
    ValueEntropy,
    Message,
    FileName,
    Template,
    SourceType,
    Host,
    HostAllowed,
    VerifySsl,
    TransportProblem,
    Described,
}

impl Field {
    /// Every field with its name in rule files.
    const NAMES: [(Field, &'static str); 58] = [
        (Field::Kind, "kind"),
        (Field::Path, "path"),
        (Field::Name, "name"),
        (Field::CanonicalName, "canonical-name"),
        (Field::Extras, "extras"),
        (Field::Specifier, "specifier"),
        (Field::Operators, "operators"),
        (Field::ClauseCount, "clause-count"),
        (Field::Pin, "pin"),
        (Field::Marker, "marker"),
        (Field::Url, "url"),
        (Field::Vcs, "vcs"),
        (Field::Rev, "rev"),
        (Field::Local, "local"),
        (Field::Hashed, "hashed"),
        (Field::HashCount, "hash-count"),
        (Field::Editable, "editable"),
        (Field::Section, "section"),
        (Field::PinnedBy, "pinned-by"),
        (Field::Published, "published"),
        (Field::ExactVersion, "exact-version"),
        (Field::SpelledExact, "spelled-exact"),
        (Field::CanonicalSpecifier, "canonical-specifier"),
        (Field::AdmitsNote, "admits-note"),
        (Field::Conflict, "conflict"),
        (Field::Image, "image"),
        (Field::Tag, "tag"),
        (Field::Digest, "digest"),
        (Field::ImageProblem, "image-problem"),
        (Field::Checksum, "checksum"),
        (Field::Ecosystem, "ecosystem"),
        (Field::Version, "version"),
        (Field::PackagePin, "package-pin"),
        (Field::PackageProblem, "package-problem"),
        (Field::Uses, "uses"),
        (Field::Action, "action"),
        (Field::Policy, "policy"),
        (Field::Context, "context"),
        (Field::Comment, "comment"),
        (Field::Repo, "repo"),
        (Field::Option, "option"),
        (Field::Value, "value"),
        (Field::Setting, "setting"),
        (Field::Scheme, "scheme"),
        (Field::Type, "type"),
        (Field::Target, "target"),
        (Field::Key, "key"),
        (Field::ValueLength, "value-length"),
        (Field::ValueEntropy, "value-entropy"),
        (Field::Message, "message"),
        (Field::FileName, "file-name"),
        (Field::Template, "template"),
        (Field::SourceType, "source-type"),
        (Field::Host, "host"),
        (Field::HostAllowed, "host-allowed"),
        (Field::VerifySsl, "verify-ssl"),
        (Field::TransportProblem, "transport-problem"),
        (Field::Described, "described"),
    ];

    pub fn all() -> impl Iterator<Item = Field> {
        Self::NAMES.iter().map(|(field, _)| *field)
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Self::NAMES
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(field, _)| *field)
    }

    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(field, _)| *field == self)
            .map_or("", |(_, name)| name)
    }
}

/// Field names and what they hold, per item type (used for validation and docs).
pub fn fields_of(item_type: &str) -> &'static [(&'static str, &'static str)] {
    match item_type {
        "requirement" => &[
            ("name", "project name as written (empty for an unnamed URL)"),
            ("canonical-name", "PEP 503 normalised name"),
            ("extras", "list of extras"),
            ("specifier", "version specifier as written"),
            (
                "operators",
                "list of clause operators (`==`, `>=`, `~=`, `^`, …)",
            ),
            ("clause-count", "number of specifier clauses"),
            (
                "pin",
                "how many versions it selects, judged by the versions its specifier admits: exact (one version, e.g. `==1.2` or `>=1.2,<=1.2`) | wildcard (`==1.2.*`) | range (more than one) | unsatisfiable (none, e.g. `>=2,<2`) | none (no specifier) | url | vcs-commit | vcs-ref",
            ),
            ("marker", "environment marker as written"),
            ("url", "direct URL or path as written"),
            ("vcs", "git | hg | svn | bzr"),
            ("rev", "VCS revision after `@`"),
            (
                "local",
                "true when the source is a local path (`.`, `./pkg`, `file:`)",
            ),
            (
                "hashed",
                "true when the requirement carries a hash (option or URL fragment)",
            ),
            ("hash-count", "number of `--hash` options"),
            ("editable", "true for `-e` / `editable = true`"),
            (
                "section",
                "where it sits, e.g. `project.dependencies`, `requirements`",
            ),
            (
                "pinned-by",
                "where it is pinned instead of its specifier: `lock` (a committed lock that applies pins it, in sync), `workspace` (a uv workspace member), `path` (a local path inside the repository); absent otherwise",
            ),
            (
                "published",
                "true for published metadata of a library (`project.dependencies`, optional dependencies, `build-system.requires` of a package that is built; see `project-kind`)",
            ),
            (
                "exact-version",
                "the one version the specifier admits, when it admits exactly one (`1.2` for `>=1.2,<=1.2`); absent otherwise",
            ),
            (
                "spelled-exact",
                "true when the specifier is one exact clause: `==1.2`, `===1.2`, or a bare `1.2` where the manifest reads it as `==` (Pipfile, Poetry)",
            ),
            (
                "canonical-specifier",
                "the usual spelling of an exact specifier: `==1.2` (a bare `1.2` in Poetry tables); absent unless it admits one version",
            ),
            (
                "admits-note",
                "for a range bounded on both sides, what it admits, e.g. ` (admits 1.0, 1.0.post1 and 1.0.0.1)` for `>=1.0,<1.0.1`; absent otherwise",
            ),
            (
                "conflict",
                "for a specifier no version satisfies, the clauses that exclude every version together (`>=2.0,<2.0`), spanning them; absent otherwise",
            ),
        ],
        "option" => &[
            (
                "option",
                "long option name without dashes, e.g. `index-url`; a package source in pyproject.toml or a Pipfile is the option it amounts to: `index-url`, `extra-index-url` (searched with other indexes for every package), `index` (an index not mixed with others), `find-links` or `trusted-host` (`verify_ssl = false`)",
            ),
            ("value", "the option's value as written"),
            (
                "setting",
                "how messages name it: `--index-url` in a requirements file, `package source` or `TLS verification off for` in a TOML manifest",
            ),
            (
                "url",
                "the value of `index-url`, `extra-index-url`, `index` and `find-links` (the URL field requirements also have)",
            ),
            (
                "scheme",
                "URL scheme of the value (`http`, `https`, …), if it is a URL",
            ),
        ],
        "include" => &[
            ("type", "requirement (`-r`) or constraint (`-c`)"),
            ("target", "the included path as written"),
            ("url", "the target when it is a URL (`-r https://…`)"),
        ],
        "env-entry" => &[
            ("key", "variable name"),
            ("value", "value after unquoting"),
            ("value-length", "length of the value in characters"),
            (
                "value-entropy",
                "Shannon entropy of the value, bits per character",
            ),
        ],
        "parse-error" => &[("message", "what could not be parsed")],
        "action" => &[
            ("uses", "the `uses:` value as written"),
            (
                "action",
                "`owner/repo[/path]` (or the local path) without the ref",
            ),
            ("rev", "the ref after `@`: a commit, tag or branch"),
            (
                "pin",
                "commit (a full 40-character commit id) | ref (a tag, branch or short id) | none (no `@ref`) | local (`./path` in this repository)",
            ),
            (
                "policy",
                "what the configuration's `action-pins` requires of it: hash-pin (default) | ref-pin | any",
            ),
            ("context", "step | reusable-workflow"),
            (
                "comment",
                "the comment after the value, e.g. `v4.1.1` that pinning tools write beside a commit",
            ),
            (
                "version",
                "the version it stands for: the comment after the value, else the ref",
            ),
        ],
        "hook" => &[
            ("repo", "the hook repository's URL"),
            ("rev", "its `rev` as written"),
            (
                "pin",
                "commit (a full commit id) | ref (a tag, branch or short id) | none (no `rev`)",
            ),
            (
                "comment",
                "the comment after `rev`, e.g. `frozen: v1.2.3` that `pre-commit autoupdate --freeze` writes",
            ),
            (
                "version",
                "the version it stands for: the frozen comment's version, else the rev",
            ),
        ],
        "image" => &[
            (
                "image",
                "the image reference as written (without `docker://`), with a Dockerfile's build arguments put in, e.g. `python:3.12-slim`",
            ),
            (
                "name",
                "the repository without tag or digest, e.g. `python`, `ghcr.io/org/app`",
            ),
            ("tag", "the tag, e.g. `3.12-slim`; absent without one"),
            (
                "digest",
                "the digest after `@`, e.g. `sha256:…`; absent without one",
            ),
            (
                "pin",
                "digest (pinned to content) | tag (a tag, which can be pushed again) | latest (`:latest`) | none (no tag: the registry's `latest`)",
            ),
            (
                "context",
                "from (a Dockerfile's `FROM`) | copy (`COPY --from=`) | container (a workflow job's `container`) | service (`services.*.image`) | step (`uses: docker://…`) | action (a Docker action's `runs.image`)",
            ),
            (
                "image-problem",
                "what is wrong with an image that has no digest, in words, for messages",
            ),
        ],
        "package" => &[
            (
                "ecosystem",
                "npm (also pnpm and yarn) | go | gem | apt | apk",
            ),
            ("name", "the package name as written"),
            ("version", "the version as written; absent without one"),
            (
                "package-pin",
                "exact (one version) | range (several, or a tag or branch that moves) | latest (`latest`, `next`) | none (no version)",
            ),
            (
                "package-problem",
                "what is wrong with a package that is not pinned, in words, for messages",
            ),
        ],
        "download" => &[
            ("url", "the URL as written"),
            (
                "checksum",
                "true when the download is verified (`ADD --checksum=sha256:…`)",
            ),
        ],
        "file" => &[
            ("file-name", "the file's name"),
            (
                "template",
                "true for `.env.example`-style templates, false for real `.env` files",
            ),
        ],
        "lock-source" => &[
            (
                "name",
                "the package it belongs to; absent for an index setting of the whole lock",
            ),
            ("version", "the package's locked version, if written"),
            (
                "source-type",
                "index (a package index) | artifact (a file of a package from an index: sdist, wheel, npm tarball) | direct (a URL the project named, and its file) | vcs (a VCS repository) | local (a local path)",
            ),
            (
                "context",
                "where the lock writes it: registry | sdist | wheel | tarball | file | files (a package listed with no files, or no hashes) | archive | url | git | hg | svn | bzr | path | verify_ssl",
            ),
            (
                "url",
                "the URL or path as written; absent where the lock names a file only",
            ),
            (
                "scheme",
                "the URL's scheme, lowercased (`https`, `http`, `git+ssh`)",
            ),
            (
                "host",
                "the URL's host, lowercased, without user-info or port",
            ),
            (
                "host-allowed",
                "whether the host is one `[locks] allowed-hosts` allows (default `pypi.org`, `files.pythonhosted.org`); absent without a host",
            ),
            (
                "hashed",
                "for files (artifact, direct): true when the lock records a hash of it",
            ),
            (
                "pin",
                "for VCS sources: commit (resolved to a full commit id) | ref (anything else)",
            ),
            ("rev", "for VCS sources: the full commit the lock resolved"),
            (
                "verify-ssl",
                "false for an index whose TLS verification is off (`verify_ssl = false`)",
            ),
            (
                "transport-problem",
                "what is insecure about how it is fetched, in words, for messages; absent when nothing is",
            ),
            (
                "described",
                "the source in words, for messages: ``index `https://…` ``, ``wheel `https://…` ``, ``files of `name` ``",
            ),
        ],
        _ => &[],
    }
}

/// Fields every item has.
pub const COMMON_FIELDS: [(&str, &str); 2] = [
    (
        "kind",
        "manifest kind: requirements | pyproject | setup-cfg | pipfile | env | pip-config | dockerfile | shell | workflow | action | pre-commit | package-json | pnpm-lock | package-lock | yarn-lock | npmrc | pnpm-workspace | uv-lock | poetry-lock | pdm-lock | pipfile-lock | pylock",
    ),
    ("path", "the file's path as shown"),
];

pub fn is_known_field(item_type: &str, field: &str) -> bool {
    COMMON_FIELDS.iter().any(|(name, _)| *name == field)
        || fields_of(item_type).iter().any(|(name, _)| *name == field)
}

/// What a rule sees of one item or file: the field lookup and field spans.
pub enum Subject<'a> {
    Item(&'a Item),
    File { template: bool },
}

pub struct Context<'a> {
    pub subject: Subject<'a>,
    pub kind: ManifestKind,
    pub path: &'a Path,
}

impl<'a> Context<'a> {
    pub fn type_name(&self) -> &'static str {
        match &self.subject {
            Subject::Item(item) => item.type_name(),
            Subject::File { .. } => "file",
        }
    }

    pub fn get(&self, field: Field) -> Option<Value<'a>> {
        match field {
            Field::Kind => return Some(text(self.kind.as_str())),
            Field::Path => return Some(owned(self.path.display().to_string())),
            _ => {}
        }
        match self.subject {
            Subject::Item(Item::Requirement(req)) => requirement_field(req, self.kind, field),
            Subject::Item(Item::Option(opt)) => option_field(opt, self.kind, field),
            Subject::Item(Item::Include(include)) => include_field(include, field),
            Subject::Item(Item::EnvEntry(entry)) => env_field(entry, field),
            Subject::Item(Item::ParseError(error)) => {
                (field == Field::Message).then(|| text(&error.message))
            }
            Subject::Item(Item::Image(image)) => image_field(image, field),
            Subject::Item(Item::Action(action)) => action_field(action, field),
            Subject::Item(Item::HookRev(hook)) => hook_field(hook, field),
            Subject::Item(Item::Package(package)) => package_field(package, field),
            Subject::Item(Item::LockSource(source)) => lock_source_field(source, field),
            Subject::Item(Item::Download(download)) => match field {
                Field::Url => Some(text(&download.url)),
                Field::Checksum => Some(Value::Bool(download.checksum)),
                _ => None,
            },
            Subject::File { template } => match field {
                Field::FileName => self
                    .path
                    .file_name()
                    .map(|name| owned(name.to_string_lossy().into_owned())),
                Field::Template => Some(Value::Bool(template)),
                _ => None,
            },
        }
    }

    /// The span of a field, for labels; `None` when the field has no place of its own.
    pub fn span_of(&self, field: Field) -> Option<Span> {
        match &self.subject {
            Subject::Item(Item::Requirement(req)) => match field {
                Field::Name | Field::CanonicalName => req.name_span.clone(),
                Field::Specifier | Field::Operators | Field::ClauseCount | Field::Pin => {
                    Some(req.version_span())
                }
                Field::Marker => req.marker_span.clone(),
                Field::Url | Field::Vcs | Field::Rev => {
                    req.url.as_ref().map(|url| url.span.clone())
                }
                Field::ExactVersion
                | Field::SpelledExact
                | Field::CanonicalSpecifier
                | Field::AdmitsNote => req.specifier_span.clone(),
                Field::Conflict => admitted::conflict(self.kind, req).map(|(_, span)| span),
                _ => None,
            },
            Subject::Item(Item::Option(opt)) => match field {
                Field::Value | Field::Scheme => opt.value_span.clone(),
                Field::Url if OPTIONS_WITH_URLS.contains(&opt.name.as_str()) => {
                    opt.value_span.clone()
                }
                _ => None,
            },
            Subject::Item(Item::Include(include)) => {
                matches!(field, Field::Target | Field::Url).then(|| include.target_span.clone())
            }
            Subject::Item(Item::Action(action)) => match field {
                Field::Rev | Field::Pin | Field::Version => Some(action.ref_span.clone()),
                Field::Uses | Field::Action => Some(action.span.clone()),
                _ => None,
            },
            Subject::Item(Item::Image(image)) => matches!(
                field,
                Field::Image | Field::Tag | Field::Digest | Field::Pin
            )
            .then(|| image.span.clone()),
            Subject::Item(Item::HookRev(hook)) => {
                matches!(field, Field::Rev | Field::Pin | Field::Version).then(|| hook.span.clone())
            }
            Subject::Item(Item::LockSource(source)) => Some(source.span.clone()),
            Subject::Item(Item::EnvEntry(entry)) => match field {
                Field::Key => Some(entry.key_span.clone()),
                Field::Value | Field::ValueLength | Field::ValueEntropy => {
                    Some(entry.value_span.clone())
                }
                _ => None,
            },
            _ => None,
        }
    }
}

fn text(s: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(s))
}

fn owned(s: String) -> Value<'static> {
    Value::Text(Cow::Owned(s))
}

fn some_text(s: Option<&str>) -> Option<Value<'_>> {
    s.map(text)
}

fn requirement_field<'a>(
    req: &'a Requirement,
    kind: ManifestKind,
    field: Field,
) -> Option<Value<'a>> {
    Some(match field {
        Field::Name => text(req.name.as_deref().unwrap_or("")),
        Field::CanonicalName => Value::Text(req.canonical_name().unwrap_or_default()),
        Field::Extras => Value::List(req.extras.iter().map(|e| text(e)).collect()),
        Field::Specifier => return (!req.specifier.is_empty()).then(|| text(&req.specifier)),
        Field::Operators => Value::List(req.clauses.iter().map(|c| text(&c.operator)).collect()),
        Field::ClauseCount => Value::Number(req.clauses.len() as f64),
        Field::Pin => text(req.pin.as_str()),
        Field::Marker => return some_text(req.marker.as_deref()),
        Field::Url => return some_text(req.url.as_ref().map(|u| u.url.as_str())),
        Field::Vcs => return some_text(req.url.as_ref().and_then(|u| u.vcs.as_deref())),
        Field::Rev => return some_text(req.url.as_ref().and_then(|u| u.rev.as_deref())),
        Field::Local => Value::Bool(req.url.as_ref().is_some_and(|u| u.local_path)),
        Field::Hashed => {
            Value::Bool(!req.hashes.is_empty() || req.url.as_ref().is_some_and(|u| u.hash_fragment))
        }
        Field::HashCount => Value::Number(req.hashes.len() as f64),
        Field::Editable => Value::Bool(req.editable),
        Field::Section => text(&req.section),
        Field::PinnedBy => return req.standing.pinned_by.map(|by| text(by.as_str())),
        Field::Published => Value::Bool(req.standing.published),
        // Worked out only when a rule asks: most rules never do.
        Field::ExactVersion => return admitted::exact_version(kind, req).map(owned),
        Field::SpelledExact => Value::Bool(admitted::spelled_exact(kind, req)),
        Field::CanonicalSpecifier => return admitted::canonical_specifier(kind, req).map(owned),
        Field::AdmitsNote if req.pin == Pin::Range || req.pin == Pin::Wildcard => {
            return admitted::admits_note(kind, req).map(owned);
        }
        Field::Conflict if req.pin == Pin::Unsatisfiable => {
            return admitted::conflict(kind, req).map(|(text, _)| owned(text));
        }
        _ => return None,
    })
}

fn package_field(package: &Package, field: Field) -> Option<Value<'_>> {
    match field {
        Field::Ecosystem => Some(text(package.ecosystem)),
        Field::Name => Some(text(&package.name)),
        Field::Version => some_text(package.version.as_deref()),
        Field::PackagePin => Some(text(package.pin)),
        Field::PackageProblem => match package.pin {
            "none" => Some(text(
                "has no version: whatever is newest when the command runs is installed",
            )),
            "latest" => Some(owned(format!(
                "asks for `{}`, whatever is newest when the command runs",
                package.version.as_deref().unwrap_or("latest")
            ))),
            "range" => Some(owned(format!(
                "allows more than one version: `{}`",
                package.version.as_deref().unwrap_or_default()
            ))),
            _ => None,
        },
        _ => None,
    }
}

fn lock_source_field(source: &LockSource, field: Field) -> Option<Value<'_>> {
    match field {
        Field::Name => some_text(source.package.as_deref()),
        Field::Version => some_text(source.version.as_deref()),
        Field::SourceType => Some(text(source.source_type.as_str())),
        Field::Context => Some(text(source.context)),
        Field::Url => some_text(source.url.as_deref()),
        Field::Scheme => source.scheme().map(owned),
        Field::Host => source.host().map(owned),
        Field::HostAllowed => source.host_allowed.map(Value::Bool),
        Field::Hashed => source.hashed.map(Value::Bool),
        Field::Pin if source.source_type == LockSourceType::Vcs => {
            Some(text(if source.commit.is_some() {
                "commit"
            } else {
                "ref"
            }))
        }
        Field::Rev => some_text(source.commit.as_deref()),
        Field::VerifySsl => source.verify_ssl.map(Value::Bool),
        Field::TransportProblem => transport_problem(source).map(text),
        Field::Described => Some(owned(described(source))),
        _ => None,
    }
}

/// A lock source in words: what it is and its URL, or the package it belongs to.
fn described(source: &LockSource) -> String {
    let what = match (source.source_type, source.context) {
        (_, "verify_ssl") => "index",
        (LockSourceType::Index, _) => "index",
        (LockSourceType::Vcs, _) => "repository",
        (_, context) => context,
    };
    match (&source.url, &source.package) {
        (Some(url), _) => format!("{what} `{url}`"),
        (None, Some(name)) => format!("{what} `{name}`"),
        (None, None) => what.to_string(),
    }
}

/// What is insecure about how a lock's source is fetched: anyone on the network path
/// can change what a plain-text download or an unverified connection delivers.
fn transport_problem(source: &LockSource) -> Option<&'static str> {
    if source.verify_ssl == Some(false) {
        return Some("is fetched with TLS certificate verification off");
    }
    match source.scheme()?.as_str() {
        "http" | "git+http" | "hg+http" | "bzr+http" | "svn+http" => {
            Some("is fetched over plain HTTP")
        }
        "git" | "svn" | "bzr" => Some("is fetched over an unauthenticated, unencrypted protocol"),
        _ => None,
    }
}

fn action_field<'a>(action: &'a ActionRef, field: Field) -> Option<Value<'a>> {
    match field {
        Field::Uses => Some(text(&action.uses)),
        Field::Action => Some(text(&action.action)),
        Field::Rev => some_text(action.git_ref.as_deref()),
        Field::Pin => Some(text(action.pin.as_str())),
        Field::Policy => Some(text(action.policy.as_str())),
        Field::Context => Some(text(action.context)),
        Field::Comment => some_text(action.comment.as_deref()),
        Field::Version => some_text(action.comment.as_deref().or(action.git_ref.as_deref())),
        _ => None,
    }
}

fn hook_field<'a>(hook: &'a HookRev, field: Field) -> Option<Value<'a>> {
    match field {
        Field::Repo => Some(text(&hook.repo)),
        Field::Rev => some_text(hook.rev.as_deref()),
        Field::Pin => Some(text(hook.pin.as_str())),
        Field::Comment => some_text(hook.comment.as_deref()),
        // `# frozen: v1.2.3` stands for `v1.2.3`.
        Field::Version => some_text(
            hook.comment
                .as_deref()
                .map(|c| c.strip_prefix("frozen:").map_or(c, str::trim))
                .or(hook.rev.as_deref()),
        ),
        _ => None,
    }
}

fn image_field(image: &ImageRef, field: Field) -> Option<Value<'_>> {
    match field {
        Field::Image => Some(text(&image.image)),
        Field::Name => Some(text(&image.name)),
        Field::Tag => some_text(image.tag.as_deref()),
        Field::Digest => some_text(image.digest.as_deref()),
        Field::Pin => Some(text(image.pin())),
        Field::Context => Some(text(image.context)),
        Field::ImageProblem => match image.pin() {
            "tag" => Some(text(
                "is a tag without a digest: whoever controls the repository can push another image under it",
            )),
            "latest" => Some(text("is `latest`, which names whatever was pushed last")),
            "none" => Some(text(
                "has no tag or digest, so Docker pulls `latest`, whatever was pushed last",
            )),
            _ => None,
        },
        _ => None,
    }
}

/// pip options whose value is a URL (of an index or a page of links). `index` is a
/// package source of a TOML manifest that the tool does not mix with other indexes.
const OPTIONS_WITH_URLS: [&str; 5] = [
    "index-url",
    "extra-index-url",
    "index",
    "find-links",
    "registry",
];

fn option_field<'a>(opt: &'a PipOption, kind: ManifestKind, field: Field) -> Option<Value<'a>> {
    match field {
        Field::Option => Some(text(&opt.name)),
        Field::Setting => Some(owned(setting(opt, kind))),
        Field::Value => some_text(opt.value.as_deref()),
        Field::Url if OPTIONS_WITH_URLS.contains(&opt.name.as_str()) => {
            some_text(opt.value.as_deref())
        }
        Field::Scheme => opt
            .value
            .as_deref()
            .and_then(|v| v.split_once("://"))
            .map(|(scheme, _)| owned(scheme.to_ascii_lowercase())),
        _ => None,
    }
}

/// How a message names the option: as written in a requirements file, or by what a
/// package source of a TOML manifest amounts to.
fn setting(opt: &PipOption, kind: ManifestKind) -> String {
    // Written as pip options: in requirement files and on install command lines.
    if matches!(
        kind,
        ManifestKind::Requirements | ManifestKind::Dockerfile | ManifestKind::Shell
    ) {
        return format!("`--{}`", opt.name);
    }
    match opt.name.as_str() {
        "trusted-host" => "TLS verification off for".to_string(),
        "registry" => "npm registry".to_string(),
        "find-links" => "flat package source".to_string(),
        _ => "package source".to_string(),
    }
}

fn include_field<'a>(include: &'a Include, field: Field) -> Option<Value<'a>> {
    match field {
        Field::Type => Some(text(if include.constraint {
            "constraint"
        } else {
            "requirement"
        })),
        Field::Target => Some(text(&include.target)),
        // `-r https://…` downloads the file: a URL like an index's, with its credentials.
        Field::Url if include.target.contains("://") => Some(text(&include.target)),
        _ => None,
    }
}

fn env_field<'a>(entry: &'a EnvEntry, field: Field) -> Option<Value<'a>> {
    match field {
        Field::Key => Some(text(&entry.key)),
        Field::Value => Some(text(&entry.value)),
        Field::ValueLength => Some(Value::Number(entry.value.chars().count() as f64)),
        Field::ValueEntropy => Some(Value::Number(shannon_entropy(&entry.value))),
        _ => None,
    }
}

/// Shannon entropy in bits per character: random keys score high, words and
/// placeholders low.
pub fn shannon_entropy(value: &str) -> f64 {
    let chars: Vec<char> = value.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    let mut counts = std::collections::HashMap::new();
    for ch in &chars {
        *counts.entry(*ch).or_insert(0usize) += 1;
    }
    let len = chars.len() as f64;
    counts
        .values()
        .map(|&count| {
            let p = count as f64 / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_separates_keys_from_words() {
        assert_eq!(shannon_entropy(""), 0.0);
        assert_eq!(shannon_entropy("aaaa"), 0.0);
        assert!(shannon_entropy("changeme") < 3.0);
        assert!(shannon_entropy("q8Zr2Lw9Xp4Tn7Vb1Kc6Md3Fs5Hg0Jy") > 4.5);
    }

    #[test]
    fn every_field_name_is_documented_and_resolves() {
        let documented: Vec<&str> = ITEM_TYPES
            .iter()
            .flat_map(|item| fields_of(item).iter().map(|(name, _)| *name))
            .chain(COMMON_FIELDS.iter().map(|(name, _)| *name))
            .collect();
        for (field, name) in Field::NAMES {
            assert!(documented.contains(&name), "`{name}` is not documented");
            assert_eq!(Field::from_name(name), Some(field));
            assert_eq!(field.name(), name);
        }
        for name in documented {
            assert!(
                Field::from_name(name).is_some(),
                "`{name}` does not resolve"
            );
        }
    }

    #[test]
    fn every_documented_field_resolves() {
        // Guard against a field listed for docs/validation that `get` does not serve.
        // A requirement line read as a requirements file reads it.
        let item_of = |line: &str| {
            let map = crate::manifest::pep508::SpanMap::contiguous(0, line.len());
            Item::Requirement(
                crate::manifest::pep508::parse_requirement(line, &map, "requirements").unwrap(),
            )
        };
        fn context_of(item: &Item) -> Context<'_> {
            Context {
                subject: Subject::Item(item),
                kind: ManifestKind::Requirements,
                path: Path::new("r.txt"),
            }
        }
        let item = item_of("a[x] @ git+https://h/o/a@main#sha256=00 ; python_version > '3'");
        let ctx = context_of(&item);
        for (field, _) in fields_of("requirement") {
            // Absent for a URL requirement, or one pinned by nothing else, by design;
            // served for the specifiers below.
            if [
                "specifier",
                "pinned-by",
                "exact-version",
                "canonical-specifier",
                "admits-note",
                "conflict",
            ]
            .contains(field)
            {
                continue;
            }
            let resolved = Field::from_name(field).expect("every documented field resolves");
            assert_eq!(resolved.name(), *field);
            assert!(ctx.get(resolved).is_some(), "field {field} not served");
        }
        for (line, field, value) in [
            ("a>=1.2,<=1.2", "exact-version", "1.2"),
            ("a>=1.2,<=1.2", "canonical-specifier", "==1.2"),
            (
                "a>=1.0,<1.0.1",
                "admits-note",
                " (admits 1.0, 1.0.post1 and 1.0.0.1)",
            ),
            ("a>=1,!=3,<2.0,>=2.0", "conflict", "<2.0,>=2.0"),
        ] {
            let item = item_of(line);
            let ctx = context_of(&item);
            let field = Field::from_name(field).unwrap();
            assert_eq!(
                ctx.get(field).map(|v| v.to_text()).as_deref(),
                Some(value),
                "{line}"
            );
        }
    }
}
