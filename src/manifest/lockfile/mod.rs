//! Lock files read for what they install and from where: every package index, file,
//! VCS repository and local path a lock names becomes a [`LockSource`] with the span
//! of its URL, path or setting, so lock content rules report into the lock itself.
//!
//! One module per format. The versions a lock holds, for fixes and `lock-drift`, are
//! read by [`crate::lock`]; these parsers read the same files for their sources.

pub mod pdm;
pub mod pipfile;
pub mod poetry;
pub mod pylock;
pub mod uv;

use toml_edit::{Item as TomlItem, TableLike, Value};

use super::toml_spans::{parse_document, string_value};
use super::{Item, LockSource, LockSourceType, Span};

/// The hosts a lock may download from (`[locks] allowed-hosts`): exact host names, or
/// `*.example.org` for every subdomain of one. By default the Python Package Index and
/// its file host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedHosts(Vec<String>);

impl Default for AllowedHosts {
    fn default() -> AllowedHosts {
        AllowedHosts(vec![
            "pypi.org".to_string(),
            "files.pythonhosted.org".to_string(),
        ])
    }
}

impl AllowedHosts {
    /// Hosts as the configuration writes them; a pattern is checked here.
    pub fn new(hosts: &[String]) -> Result<AllowedHosts, String> {
        let mut allowed = Vec::new();
        for host in hosts {
            let host = host.trim().to_ascii_lowercase();
            let name = host.strip_prefix("*.").unwrap_or(&host);
            let valid = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'));
            if !valid {
                return Err(format!(
                    "`{host}` is not a host name: write `pypi.example.org` or `*.example.org`, without scheme, port or path"
                ));
            }
            allowed.push(host);
        }
        Ok(AllowedHosts(allowed))
    }

    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.');
        self.0
            .iter()
            .any(|allowed| match allowed.strip_prefix("*.") {
                Some(domain) => host
                    .strip_suffix(domain)
                    .is_some_and(|sub| sub.ends_with('.') && sub.len() > 1),
                None => allowed == host,
            })
    }

    /// Mark each lock source with whether its host is allowed.
    pub fn apply(&self, items: &mut [Item]) {
        for item in items {
            if let Item::LockSource(source) = item {
                source.host_allowed = source.host().map(|host| self.allows(&host));
            }
        }
    }
}

/// Whether `text` is a full commit id: 40 (SHA-1) or 64 (SHA-256) hexadecimal digits.
pub fn is_full_commit(text: &str) -> bool {
    matches!(text.len(), 40 | 64) && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The items of a TOML lock: `read` gets the parsed document's root table, or the one
/// parse error of malformed TOML.
fn toml_lock(text: &str, read: impl FnOnce(&dyn TableLike, &mut Sources)) -> Vec<Item> {
    match parse_document(text) {
        Ok(doc) => {
            let mut sources = Sources::new(text);
            read(doc.as_table(), &mut sources);
            sources.into_items()
        }
        Err(error) => vec![Item::ParseError(error)],
    }
}

/// The tables of an array of tables (`[[package]]`) or of an array of inline tables.
fn tables(item: Option<&TomlItem>) -> Vec<&dyn TableLike> {
    match item {
        Some(TomlItem::ArrayOfTables(array)) => {
            array.iter().map(|table| table as &dyn TableLike).collect()
        }
        Some(TomlItem::Value(Value::Array(array))) => array
            .iter()
            .filter_map(|value| value.as_inline_table().map(|t| t as &dyn TableLike))
            .collect(),
        _ => Vec::new(),
    }
}

/// The sub-table at `key`, inline or not.
fn table<'a>(parent: &'a dyn TableLike, key: &str) -> Option<&'a dyn TableLike> {
    parent.get(key).and_then(TomlItem::as_table_like)
}

/// A string value and the span of its content.
fn string(text: &str, table: &dyn TableLike, key: &str) -> Option<(String, Span)> {
    let value = table.get(key)?.as_value()?;
    let found = string_value(text, value)?;
    let span = found.content_span();
    Some((found.value, span))
}

/// The span of the value at `key`, or of the whole table.
fn value_span(table: &dyn TableLike, key: &str) -> Option<Span> {
    table.get(key).and_then(TomlItem::span)
}

/// The sources of one lock file, in file order, with each index listed once.
pub(crate) struct Sources<'t> {
    text: &'t str,
    found: Vec<LockSource>,
    indexes: Vec<String>,
}

/// The package an entry belongs to.
#[derive(Clone, Default)]
pub(crate) struct Package {
    pub name: Option<String>,
    pub version: Option<String>,
}

impl<'t> Sources<'t> {
    fn new(text: &'t str) -> Sources<'t> {
        Sources {
            text,
            found: Vec::new(),
            indexes: Vec::new(),
        }
    }

    /// The items, in file order (a Poetry package's `[package.source]` follows its
    /// files, but is read first).
    fn into_items(mut self) -> Vec<Item> {
        self.found.sort_by_key(|source| source.span.start);
        self.found.into_iter().map(Item::LockSource).collect()
    }

    fn push(
        &mut self,
        package: &Package,
        source_type: LockSourceType,
        context: &'static str,
        span: Span,
    ) -> &mut LockSource {
        let at = self.found.len();
        self.found.push(LockSource {
            span,
            package: package.name.clone(),
            version: package.version.clone(),
            source_type,
            context,
            url: None,
            hashed: None,
            commit: None,
            verify_ssl: None,
            host_allowed: None,
        });
        &mut self.found[at]
    }

    /// A package index, once per URL in the file: every package of a registry names it.
    fn index(&mut self, package: &Package, url: String, span: Span) {
        if self.indexes.contains(&url) {
            return;
        }
        self.indexes.push(url.clone());
        self.push(package, LockSourceType::Index, "registry", span)
            .url = Some(url);
    }

    fn with_url(
        &mut self,
        package: &Package,
        source_type: LockSourceType,
        context: &'static str,
        url: String,
        span: Span,
    ) -> &mut LockSource {
        let source = self.push(package, source_type, context, span);
        source.url = Some(url);
        source
    }

    /// A VCS source at `url`, resolved to `commit` when the lock names a full one.
    fn vcs(
        &mut self,
        package: &Package,
        context: &'static str,
        url: String,
        span: Span,
        commit: Option<&str>,
    ) {
        let commit = commit.filter(|c| is_full_commit(c)).map(str::to_string);
        self.with_url(package, LockSourceType::Vcs, context, url, span)
            .commit = commit;
    }

    /// An artifact (sdist, wheel, archive) from the table that describes it: its URL, or
    /// its path or file name, and whether a hash is recorded (`hash_key` is a string
    /// `hash` or a table of `hashes`).
    fn artifact(
        &mut self,
        package: &Package,
        source_type: LockSourceType,
        context: &'static str,
        table: &dyn TableLike,
        whole: Span,
    ) {
        let text = self.text;
        let url = string(text, table, "url");
        let span = url
            .as_ref()
            .map(|(_, span)| span.clone())
            .or_else(|| string(text, table, "path").map(|(_, span)| span))
            .or_else(|| string(text, table, "file").map(|(_, span)| span))
            .or_else(|| string(text, table, "filename").map(|(_, span)| span))
            .unwrap_or(whole);
        let hashed = hashed(table);
        let source = self.push(package, source_type, context, span);
        source.url = url.map(|(url, _)| url);
        source.hashed = Some(hashed);
    }
}

/// Whether an artifact table records a hash: `hash = "sha256:…"` (uv, Poetry, PDM) or
/// `hashes = { sha256 = "…" }` (PEP 751).
fn hashed(table: &dyn TableLike) -> bool {
    let nonempty = |value: &Value| value.as_str().is_some_and(|s| !s.trim().is_empty());
    if let Some(hash) = table.get("hash").and_then(TomlItem::as_value) {
        return nonempty(hash)
            && hash.as_str().is_some_and(|h| {
                h.split_once(':')
                    .is_some_and(|(_, digest)| !digest.is_empty())
            });
    }
    table
        .get("hashes")
        .and_then(TomlItem::as_table_like)
        .is_some_and(|hashes| {
            hashes
                .iter()
                .any(|(_, v)| v.as_value().is_some_and(nonempty))
        })
}

/// Name and version of a `[[package]]` table.
fn package_of(text: &str, table: &dyn TableLike) -> Package {
    Package {
        name: string(text, table, "name").map(|(name, _)| name),
        version: string(text, table, "version").map(|(version, _)| version),
    }
}

/// Where a package's entry is, for a finding about the package as a whole: its name.
fn name_span(text: &str, table: &dyn TableLike) -> Option<Span> {
    string(text, table, "name").map(|(_, span)| span)
}

#[cfg(test)]
pub(crate) fn sources(items: &[Item]) -> Vec<&LockSource> {
    items
        .iter()
        .filter_map(|item| match item {
            Item::LockSource(source) => Some(source),
            _ => None,
        })
        .collect()
}
