//! Package sources (indexes) declared in TOML manifests, as the pip options they amount
//! to, so the index rules treat them like `--index-url` lines in requirement files.
//!
//! The option name says how the tool uses the index, not how it is spelled:
//!
//! - `index-url`: the index that replaces PyPI (pipenv's first `[[source]]`, uv's
//!   `default = true` index or `index-url`, a PDM source named `pypi`, Poetry's first
//!   primary source);
//! - `extra-index-url`: an index the tool searches together with another one for every
//!   package and takes the best version from, as pip does with `--extra-index-url`
//!   (PDM sources, Poetry's further primary and secondary sources, uv indexes under an
//!   `unsafe-*` index strategy);
//! - `index`: a further index that is not merged: searched only for packages that name
//!   it, or only when the indexes before it have no such package (pipenv's later
//!   sources, uv indexes under its default `first-index` strategy, Poetry's
//!   supplemental and explicit sources, PDM with `respect-source-order`);
//! - `find-links`: a flat page of links (uv `find-links` and `format = "flat"`, PDM
//!   `type = "find_links"`);
//! - `trusted-host`: TLS verification turned off (`verify_ssl = false`, uv's
//!   `allow-insecure-host`); its value is the host, its place the setting.
//!
//! URLs are kept as written: `${VAR}` is never expanded. A source whose keys have the
//! wrong type is a parse error at the value; nothing here panics on odd input.

use toml_edit::{Item as TomlItem, TableLike, Value};

use super::toml_spans::{self, TomlString};
use super::{Item, PipOption, Span};

/// Where PyPI's simple index is, for an index that is PyPI but names no URL.
const PYPI_URL: &str = "https://pypi.org/simple";

/// pipenv's `[[source]]` tables.
///
/// pipenv resolves every package from the first source unless the package names
/// another with `index = "…"` (since 2022.3.23, against dependency confusion), so later
/// sources are `index`, never `extra-index-url`. `[pipenv] install_search_all_sources`
/// only widens the search at install time, against hashes locked from a single index.
pub fn pipfile(text: &str, root: &dyn TableLike, out: &mut Vec<Item>) {
    for (position, source) in entries(text, root, "source", "source", out)
        .into_iter()
        .enumerate()
    {
        let Some(url) = source.required_url(out) else {
            continue;
        };
        let name = if position == 0 { "index-url" } else { "index" };
        out.push(source.url_option(name, &url));
        source.verify_ssl(&url, out);
    }
}

/// uv's `[[tool.uv.index]]` and its pip-style settings in `[tool.uv]` and `[tool.uv.pip]`.
///
/// uv's default `index-strategy` is `first-index`: a package comes only from the first
/// index that has it, so extra indexes do not compete on version. The `unsafe-*`
/// strategies search every index for every package, as pip does.
pub fn uv(text: &str, uv: &dyn TableLike, out: &mut Vec<Item>) {
    let strategy = index_strategy(text, uv, "tool.uv", out);
    let merged = strategy.unwrap_or(false);
    for index in entries(text, uv, "index", "tool.uv.index", out) {
        let Some(url) = index.required_url(out) else {
            continue;
        };
        let (Some(default), Some(explicit), Some(format)) = (
            index.boolean("default", out),
            index.boolean("explicit", out),
            index.string("format", out),
        ) else {
            continue;
        };
        let name = if format.is_some_and(|format| format.value == "flat") {
            "find-links"
        } else if default {
            "index-url"
        } else if !explicit && merged {
            "extra-index-url"
        } else {
            "index"
        };
        out.push(index.url_option(name, &url));
    }
    pip_settings(text, uv, "tool.uv", merged, out);
    if let Some(pip) = uv.get("pip").and_then(TomlItem::as_table_like) {
        // `[tool.uv.pip]` settings apply to `uv pip`, which reads the top-level strategy
        // unless it sets its own.
        let merged = index_strategy(text, pip, "tool.uv.pip", out).unwrap_or(merged);
        pip_settings(text, pip, "tool.uv.pip", merged, out);
    }
}

/// `index-strategy` in `table`: `Some(true)` for a strategy that searches every index.
fn index_strategy(
    text: &str,
    table: &dyn TableLike,
    path: &str,
    out: &mut Vec<Item>,
) -> Option<bool> {
    let item = table.get("index-strategy")?;
    match toml_spans::string_of(text, item) {
        Some(strategy) => Some(strategy.value.starts_with("unsafe-")),
        None => {
            out.push(Item::ParseError(toml_spans::type_error(
                text,
                item,
                &format!("`{path}.index-strategy`"),
                "a string",
            )));
            None
        }
    }
}

/// uv's `index-url`, `extra-index-url`, `find-links` and `allow-insecure-host` settings.
fn pip_settings(text: &str, table: &dyn TableLike, path: &str, merged: bool, out: &mut Vec<Item>) {
    if let Some(item) = table.get("index-url") {
        let key = toml_spans::key_span(table, "index-url");
        let span = toml_spans::entry_span(key, item);
        match toml_spans::string_of(text, item) {
            Some(url) => out.push(Item::Option(option("index-url", &url, span))),
            None => out.push(Item::ParseError(toml_spans::type_error(
                text,
                item,
                &format!("`{path}.index-url`"),
                "a string",
            ))),
        }
    }
    let extra = if merged { "extra-index-url" } else { "index" };
    for (key, name) in [
        ("extra-index-url", extra),
        ("find-links", "find-links"),
        ("allow-insecure-host", "trusted-host"),
    ] {
        for string in strings(text, table, key, path, out) {
            let span = string.literal.clone();
            out.push(Item::Option(option(name, &string, span)));
        }
    }
}

/// Poetry's `[[tool.poetry.source]]`.
///
/// Poetry collects candidates from every default, primary and secondary source (and
/// from PyPI when no primary source disables it) and picks the best version, so all of
/// them after the first are merged indexes. Supplemental sources are searched only when
/// those have nothing compatible, explicit ones only for packages that name them: not
/// merged.
pub fn poetry(text: &str, poetry: &dyn TableLike, out: &mut Vec<Item>) {
    let mut sources = Vec::new();
    for source in entries(text, poetry, "source", "tool.poetry.source", out) {
        let Some(priority) = source.poetry_priority(out) else {
            continue;
        };
        let Some(url) = source.string("url", out) else {
            continue;
        };
        let Some(name) = source.string("name", out) else {
            continue;
        };
        sources.push((source, priority, url, name));
    }
    // The source Poetry consults first: a (deprecated) default source, else the first
    // primary one; with neither, the implicit PyPI.
    let first = sources
        .iter()
        .position(|(_, priority, ..)| *priority == Priority::Default)
        .or_else(|| {
            sources
                .iter()
                .position(|(_, priority, ..)| *priority == Priority::Primary)
        });
    for (position, (source, priority, url, name)) in sources.iter().enumerate() {
        let option_name = match priority {
            _ if Some(position) == first => "index-url",
            Priority::Default | Priority::Primary | Priority::Secondary => "extra-index-url",
            Priority::Supplemental | Priority::Explicit => "index",
        };
        match url {
            Some(url) => out.push(source.url_option(option_name, url)),
            // `name = "PyPI"` without a URL configures PyPI itself; merged with another
            // index it is the public side of the mix, so it is reported at its name.
            None if option_name == "extra-index-url" => {
                if let Some(name) = name.as_ref().filter(|name| is_pypi(&name.value)) {
                    out.push(Item::Option(PipOption {
                        name: option_name.to_string(),
                        value: Some(PYPI_URL.to_string()),
                        value_span: Some(name.content_span()),
                        span: source.span.clone(),
                    }));
                }
            }
            None => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Priority {
    Default,
    Primary,
    Secondary,
    Supplemental,
    Explicit,
}

/// PDM's `[[tool.pdm.source]]`.
///
/// PDM searches PyPI and every source for every package, "as if `--extra-index-url`
/// was passed to pip", unless `[tool.pdm.resolution] respect-source-order = true` makes
/// it stop at the first source that has the package. A source named `pypi` replaces
/// PyPI.
pub fn pdm(text: &str, pdm: &dyn TableLike, out: &mut Vec<Item>) {
    let in_order = pdm
        .get("resolution")
        .and_then(TomlItem::as_table_like)
        .and_then(|resolution| resolution.get("respect-source-order"))
        .and_then(TomlItem::as_bool)
        .unwrap_or(false);
    for source in entries(text, pdm, "source", "tool.pdm.source", out) {
        let (Some(url), Some(name), Some(kind)) = (
            source.string("url", out),
            source.string("name", out),
            source.string("type", out),
        ) else {
            continue;
        };
        let option_name = if kind.is_some_and(|kind| kind.value == "find_links") {
            "find-links"
        } else if name.is_some_and(|name| is_pypi(&name.value)) {
            "index-url"
        } else if in_order {
            "index"
        } else {
            "extra-index-url"
        };
        // PDM's `pypi` source may set only `verify_ssl`, keeping PyPI's URL.
        if let Some(url) = url {
            out.push(source.url_option(option_name, &url));
            source.verify_ssl(&url, out);
        }
    }
}

fn is_pypi(name: &str) -> bool {
    name.eq_ignore_ascii_case("pypi")
}

/// One source table and where it is.
struct Entry<'a> {
    text: &'a str,
    table: &'a dyn TableLike,
    /// The whole table: `[[header]]` through its last value, or the inline table.
    span: Span,
    /// How messages name it, e.g. `source[2]`.
    what: String,
}

/// The source tables at `parent[key]`: an array of tables or an array of inline tables.
fn entries<'a>(
    text: &'a str,
    parent: &'a dyn TableLike,
    key: &str,
    path: &str,
    out: &mut Vec<Item>,
) -> Vec<Entry<'a>> {
    let Some(item) = parent.get(key) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let mut push = |table: &'a dyn TableLike, header: Span| {
        let what = format!("`{path}[{}]`", found.len() + 1);
        found.push(Entry {
            text,
            table,
            span: extent(table, header),
            what,
        });
    };
    match item {
        TomlItem::ArrayOfTables(tables) => {
            for table in tables.iter() {
                push(table, table.span().unwrap_or(0..0));
            }
        }
        TomlItem::Value(Value::Array(array)) => {
            for value in array.iter() {
                match value {
                    Value::InlineTable(table) => push(table, value.span().unwrap_or(0..0)),
                    other => out.push(Item::ParseError(toml_spans::value_type_error(
                        text,
                        other,
                        &format!("`{path}`"),
                        "a table",
                    ))),
                }
            }
        }
        other => out.push(Item::ParseError(toml_spans::type_error(
            text,
            other,
            &format!("`{path}`"),
            "an array of tables",
        ))),
    }
    found
}

/// From the start of `header` to the end of the table's last value.
fn extent(table: &dyn TableLike, header: Span) -> Span {
    let end = table
        .iter()
        .filter_map(|(_, value)| value.span())
        .map(|span| span.end)
        .fold(header.end, usize::max);
    header.start..end
}

impl Entry<'_> {
    /// `Some(None)`: absent; `None`: present with another type (an error is pushed).
    fn string(&self, key: &str, out: &mut Vec<Item>) -> Option<Option<TomlString>> {
        let Some(item) = self.table.get(key) else {
            return Some(None);
        };
        match toml_spans::string_of(self.text, item) {
            Some(string) => Some(Some(string)),
            None => {
                out.push(self.type_error(item, key, "a string"));
                None
            }
        }
    }

    /// `Some(false)` when absent; `None`: present with another type.
    fn boolean(&self, key: &str, out: &mut Vec<Item>) -> Option<bool> {
        let Some(item) = self.table.get(key) else {
            return Some(false);
        };
        let value = item.as_bool();
        if value.is_none() {
            out.push(self.type_error(item, key, "a boolean"));
        }
        value
    }

    /// The `url`, which the tool requires; missing or mistyped is an error.
    fn required_url(&self, out: &mut Vec<Item>) -> Option<TomlString> {
        let url = self.string("url", out)?;
        if url.is_none() {
            out.push(Item::ParseError(toml_spans::error(
                self.text,
                self.span.clone(),
                format!("{} has no `url`", self.what),
            )));
        }
        url
    }

    fn url_option(&self, name: &str, url: &TomlString) -> Item {
        Item::Option(option(name, url, self.span.clone()))
    }

    /// `verify_ssl = false`: the host is trusted without a valid certificate, as
    /// pipenv and PDM tell pip with `--trusted-host`.
    fn verify_ssl(&self, url: &TomlString, out: &mut Vec<Item>) {
        let Some(item) = self.table.get("verify_ssl") else {
            return;
        };
        match item.as_bool() {
            Some(true) => {}
            Some(false) => {
                let key = toml_spans::key_span(self.table, "verify_ssl");
                out.push(Item::Option(PipOption {
                    name: "trusted-host".to_string(),
                    value: Some(host_of(&url.value).to_string()),
                    value_span: item.span(),
                    span: toml_spans::entry_span(key, item),
                }));
            }
            None => out.push(self.type_error(item, "verify_ssl", "a boolean")),
        }
    }

    /// Poetry's `priority`, or the deprecated `default` / `secondary` flags.
    fn poetry_priority(&self, out: &mut Vec<Item>) -> Option<Priority> {
        if let Some(priority) = self.string("priority", out)? {
            // Poetry reads the name case-insensitively.
            let parsed = match priority.value.to_ascii_lowercase().as_str() {
                "default" => Priority::Default,
                "primary" => Priority::Primary,
                "secondary" => Priority::Secondary,
                "supplemental" => Priority::Supplemental,
                "explicit" => Priority::Explicit,
                _ => {
                    out.push(Item::ParseError(toml_spans::error(
                        self.text,
                        priority.content_span(),
                        format!(
                            "{}: unknown priority `{}` (expected primary, supplemental, explicit, secondary or default)",
                            self.what, priority.value
                        ),
                    )));
                    return None;
                }
            };
            return Some(parsed);
        }
        Some(if self.boolean("default", out)? {
            Priority::Default
        } else if self.boolean("secondary", out)? {
            Priority::Secondary
        } else {
            Priority::Primary
        })
    }

    fn type_error(&self, item: &TomlItem, key: &str, expected: &str) -> Item {
        Item::ParseError(toml_spans::type_error(
            self.text,
            item,
            &format!("{}.{key}", self.what),
            expected,
        ))
    }
}

/// The strings of the array `table[key]`; other types are errors.
fn strings(
    text: &str,
    table: &dyn TableLike,
    key: &str,
    path: &str,
    out: &mut Vec<Item>,
) -> Vec<TomlString> {
    let Some(item) = table.get(key) else {
        return Vec::new();
    };
    let what = format!("`{path}.{key}`");
    let Some(array) = item.as_array() else {
        out.push(Item::ParseError(toml_spans::type_error(
            text,
            item,
            &what,
            "an array of strings",
        )));
        return Vec::new();
    };
    array
        .iter()
        .filter_map(|value| {
            let string = toml_spans::string_value(text, value);
            if string.is_none() {
                out.push(Item::ParseError(toml_spans::value_type_error(
                    text, value, &what, "a string",
                )));
            }
            string
        })
        .collect()
}

fn option(name: &str, value: &TomlString, span: Span) -> PipOption {
    PipOption {
        name: name.to_string(),
        value: Some(value.value.clone()),
        value_span: Some(value.content_span()),
        span,
    }
}

/// The host (and port) of a URL, without user-info: what `--trusted-host` takes.
fn host_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host)
}

#[cfg(test)]
mod tests {
    use super::super::{ParseError, pipfile, pyproject};
    use super::*;

    /// (option, value, text at the value span, text at the span) of each option.
    fn options(items: &[Item], text: &str) -> Vec<(String, String, String, String)> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Option(opt) => Some((
                    opt.name.clone(),
                    opt.value.clone().unwrap_or_default(),
                    text[opt.value_span.clone().unwrap()].to_string(),
                    text[opt.span.clone()].to_string(),
                )),
                _ => None,
            })
            .collect()
    }

    fn errors(items: &[Item]) -> Vec<&ParseError> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::ParseError(err) => Some(err),
                _ => None,
            })
            .collect()
    }

    fn names(items: &[Item], text: &str) -> Vec<(String, String)> {
        options(items, text)
            .into_iter()
            .map(|(name, value, ..)| (name, value))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn pipfile_first_source_is_the_index_later_ones_are_not_merged() {
        let text = r#"[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[[source]]
url = "http://${USER}:${PASS}@pypi.internal:8080/simple"
verify_ssl = false
name = "internal"

[packages]
requests = "*"
"#;
        let items = pipfile::parse(text);
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        let opts = options(&items, text);
        assert_eq!(opts.len(), 3, "{opts:?}");
        assert_eq!(opts[0].0, "index-url");
        assert_eq!(opts[0].2, "https://pypi.org/simple");
        assert_eq!(
            opts[0].3,
            "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\""
        );
        assert_eq!(opts[1].0, "index");
        assert_eq!(
            opts[1].1,
            "http://${USER}:${PASS}@pypi.internal:8080/simple"
        );
        assert_eq!(
            opts[1].2,
            "http://${USER}:${PASS}@pypi.internal:8080/simple"
        );
        assert_eq!(
            (opts[2].0.as_str(), opts[2].1.as_str(), opts[2].2.as_str()),
            ("trusted-host", "pypi.internal:8080", "false")
        );
        assert_eq!(opts[2].3, "verify_ssl = false");
        // Items stay in file order among the packages.
        assert!(matches!(items.last(), Some(Item::Requirement(_))));
    }

    #[test]
    fn pipfile_malformed_sources_are_errors_at_the_value() {
        let text = r#"[[source]]
url = 3
name = "a"

[[source]]
name = "no-url"

[[source]]
url = "https://ok.example/simple"
verify_ssl = "no"
"#;
        let items = pipfile::parse(text);
        let spans: Vec<&str> = errors(&items)
            .iter()
            .map(|e| &text[e.span.clone()])
            .collect();
        assert_eq!(
            spans,
            vec!["3", "[[source]]\nname = \"no-url\"", "\"no\""],
            "{:?}",
            errors(&items)
        );
        assert!(errors(&items)[0].message.contains("`source[1]`.url"));
        assert_eq!(
            names(&items, text),
            pairs(&[("index", "https://ok.example/simple")])
        );
        for text in [
            "source = \"https://x\"\n",
            "source = [1]\n",
            "[source]\nurl = \"x\"\n",
        ] {
            let items = pipfile::parse(text);
            assert_eq!(errors(&items).len(), 1, "{text:?}");
        }
    }

    #[test]
    fn uv_indexes_are_not_merged_under_first_index() {
        let text = r#"[project]
name = "app"

[tool.uv]
index-url = "https://mirror.example/simple"
extra-index-url = ["https://download.pytorch.org/whl/cpu"]
find-links = ["http://wheels.example/"]
allow-insecure-host = ["wheels.example"]

[[tool.uv.index]]
name = "internal"
url = "https://pypi.internal/simple"

[[tool.uv.index]]
url = "https://private.example/simple"
default = true

[[tool.uv.index]]
url = "https://flat.example/"
format = "flat"
"#;
        let items = pyproject::parse(text);
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        assert_eq!(
            names(&items, text),
            pairs(&[
                ("index-url", "https://mirror.example/simple"),
                ("index", "https://download.pytorch.org/whl/cpu"),
                ("find-links", "http://wheels.example/"),
                ("trusted-host", "wheels.example"),
                ("index", "https://pypi.internal/simple"),
                ("index-url", "https://private.example/simple"),
                ("find-links", "https://flat.example/"),
            ])
        );
        let opts = options(&items, text);
        assert_eq!(opts[0].3, "index-url = \"https://mirror.example/simple\"");
        assert_eq!(opts[1].2, "https://download.pytorch.org/whl/cpu");
        assert_eq!(opts[1].3, "\"https://download.pytorch.org/whl/cpu\"");
        assert_eq!(
            opts[4].3,
            "[[tool.uv.index]]\nname = \"internal\"\nurl = \"https://pypi.internal/simple\""
        );
        assert_eq!(opts[4].2, "https://pypi.internal/simple");
    }

    #[test]
    fn uv_unsafe_strategies_merge_every_index_but_explicit_ones() {
        let text = r#"[tool.uv]
index-strategy = "unsafe-best-match"
extra-index-url = ["https://a.example/simple"]

[tool.uv.pip]
extra-index-url = ["https://b.example/simple"]

[[tool.uv.index]]
url = "https://c.example/simple"

[[tool.uv.index]]
url = "https://d.example/simple"
explicit = true
"#;
        let items = pyproject::parse(text);
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        assert_eq!(
            names(&items, text),
            pairs(&[
                ("extra-index-url", "https://a.example/simple"),
                ("extra-index-url", "https://b.example/simple"),
                ("extra-index-url", "https://c.example/simple"),
                ("index", "https://d.example/simple"),
            ])
        );
        // `uv pip` may choose its own strategy.
        let text = "[tool.uv]\nindex-strategy = \"unsafe-first-match\"\n[tool.uv.pip]\nindex-strategy = \"first-index\"\nextra-index-url = [\"https://b.example/simple\"]\n";
        assert_eq!(
            names(&pyproject::parse(text), text),
            pairs(&[("index", "https://b.example/simple")])
        );
    }

    #[test]
    fn uv_malformed_settings_are_errors() {
        let text = r#"[tool.uv]
index-strategy = 1
extra-index-url = "https://a.example/simple"
find-links = [2, "https://ok.example/"]

[[tool.uv.index]]
name = "no-url"

[[tool.uv.index]]
url = "https://e.example/simple"
explicit = "yes"
"#;
        let items = pyproject::parse(text);
        let spans: Vec<&str> = errors(&items)
            .iter()
            .map(|e| &text[e.span.clone()])
            .collect();
        assert_eq!(
            spans,
            vec![
                "1",
                "\"https://a.example/simple\"",
                "2",
                "[[tool.uv.index]]\nname = \"no-url\"",
                "\"yes\""
            ]
        );
        assert_eq!(
            names(&items, text),
            pairs(&[("find-links", "https://ok.example/")])
        );
    }

    #[test]
    fn poetry_merges_primary_and_secondary_sources_only() {
        let text = r#"[tool.poetry]
name = "app"

[[tool.poetry.source]]
name = "internal"
url = "https://pypi.internal/simple"

[[tool.poetry.source]]
name = "PyPI"
priority = "primary"

[[tool.poetry.source]]
name = "mirror"
url = "https://mirror.example/simple"
priority = "Primary"

[[tool.poetry.source]]
name = "torch"
url = "https://download.pytorch.org/whl/cpu"
priority = "explicit"

[[tool.poetry.source]]
name = "fallback"
url = "https://fallback.example/simple"
priority = "supplemental"
"#;
        let items = pyproject::parse(text);
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        assert_eq!(
            names(&items, text),
            pairs(&[
                ("index-url", "https://pypi.internal/simple"),
                ("extra-index-url", PYPI_URL),
                ("extra-index-url", "https://mirror.example/simple"),
                ("index", "https://download.pytorch.org/whl/cpu"),
                ("index", "https://fallback.example/simple"),
            ])
        );
        // PyPI without a URL is reported at its name.
        assert_eq!(options(&items, text)[1].2, "PyPI");
    }

    #[test]
    fn poetry_secondary_sources_merge_with_the_implicit_pypi() {
        let text = r#"[[tool.poetry.source]]
name = "internal"
url = "https://pypi.internal/simple"
secondary = true

[[tool.poetry.source]]
name = "one"
url = "https://one.example/simple"
priority = "supplemental"
"#;
        assert_eq!(
            names(&pyproject::parse(text), text),
            pairs(&[
                ("extra-index-url", "https://pypi.internal/simple"),
                ("index", "https://one.example/simple"),
            ])
        );
        // A default source disables PyPI; a secondary source is still merged with it.
        let text = "[[tool.poetry.source]]\nname = \"only\"\nurl = \"https://only.example/simple\"\ndefault = true\n[[tool.poetry.source]]\nname = \"x\"\nurl = \"https://x.example/simple\"\nsecondary = true\n";
        assert_eq!(
            names(&pyproject::parse(text), text),
            pairs(&[
                ("index-url", "https://only.example/simple"),
                ("extra-index-url", "https://x.example/simple"),
            ])
        );
        let text = "[[tool.poetry.source]]\nname = \"x\"\nurl = \"https://x.example/simple\"\npriority = \"first\"\n";
        let items = pyproject::parse(text);
        assert_eq!(&text[errors(&items)[0].span.clone()], "first");
        assert!(names(&items, text).is_empty());
    }

    #[test]
    fn pdm_sources_merge_like_extra_index_urls() {
        let text = r#"[tool.pdm]
distribution = false

[[tool.pdm.source]]
name = "pypi"
url = "https://mirror.example/simple"

[[tool.pdm.source]]
name = "internal"
url = "https://${PDM_USER}:${PDM_PASS}@pypi.internal/simple"
verify_ssl = false

[[tool.pdm.source]]
name = "wheels"
url = "https://wheels.example/"
type = "find_links"
"#;
        let items = pyproject::parse(text);
        assert!(errors(&items).is_empty(), "{:?}", errors(&items));
        assert_eq!(
            names(&items, text),
            pairs(&[
                ("index-url", "https://mirror.example/simple"),
                (
                    "extra-index-url",
                    "https://${PDM_USER}:${PDM_PASS}@pypi.internal/simple"
                ),
                ("trusted-host", "pypi.internal"),
                ("find-links", "https://wheels.example/"),
            ])
        );
        let text = "[tool.pdm.resolution]\nrespect-source-order = true\n[[tool.pdm.source]]\nname = \"internal\"\nurl = \"https://pypi.internal/simple\"\n";
        assert_eq!(
            names(&pyproject::parse(text), text),
            pairs(&[("index", "https://pypi.internal/simple")])
        );
    }

    #[test]
    fn escaped_urls_point_at_the_whole_literal() {
        let text = "[[source]]\nurl = \"https://pypi.org/\\u0073imple\"\n";
        let opts = options(&pipfile::parse(text), text);
        assert_eq!(opts[0].1, "https://pypi.org/simple");
        assert_eq!(opts[0].2, "\"https://pypi.org/\\u0073imple\"");
    }

    proptest::proptest! {
        #[test]
        fn odd_sources_never_panic_and_spans_stay_in_the_text(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "[[source]]\n", "[[tool.uv.index]]\n", "[[tool.poetry.source]]\n",
                "[[tool.pdm.source]]\n", "[tool.uv]\n", "[tool.uv.pip]\n",
                "[tool.pdm.resolution]\n", "url = \"http://u:p@h/s\"\n", "url = 1\n",
                "url = \"\\u00e9\"\n", "verify_ssl = false\n", "verify_ssl = []\n",
                "priority = \"explicit\"\n", "priority = 2\n", "default = true\n",
                "secondary = true\n", "name = \"PyPI\"\n", "type = \"find_links\"\n",
                "index-strategy = \"unsafe-best-match\"\n", "extra-index-url = [\"x\", 1]\n",
                "find-links = \"y\"\n", "allow-insecure-host = [\"h\"]\n",
                "respect-source-order = true\n", "source = [{url = \"z\"}, 3]\n", "é",
            ]), 0..14)
        ) {
            let text = parts.concat();
            for items in [pipfile::parse(&text), pyproject::parse(&text)] {
                for item in items {
                    let mut spans = vec![item.span()];
                    if let Item::Option(opt) = &item {
                        spans.extend(opt.value_span.clone());
                    }
                    for span in spans {
                        proptest::prop_assert!(text.get(span).is_some());
                    }
                }
            }
        }
    }

    #[test]
    fn hosts_drop_user_info_and_paths() {
        assert_eq!(
            host_of("https://u:p@h.example:8443/simple"),
            "h.example:8443"
        );
        assert_eq!(host_of("http://h.example"), "h.example");
        assert_eq!(host_of("${INDEX_URL}"), "${INDEX_URL}");
    }
}
