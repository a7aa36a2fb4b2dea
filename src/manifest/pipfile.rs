//! Parser for pipenv's `Pipfile` (TOML).
//!
//! Every top-level table is a category of packages (`[packages]`, `[dev-packages]`, or a
//! custom one) except `[source]`, `[requires]`, `[scripts]` and `[pipenv]`. A package is
//! `name = "<specifier>"` or a table with `version`, `extras`, `markers`, PEP 508 marker
//! keys (`sys_platform = "== 'win32'"`), `git`/`hg`/`svn`/`bzr` + `ref`, `file`, `path`,
//! `editable` and `index`. `[[source]]` tables become pip options (see [`sources`]).
//!
//! As in pipenv, `"*"` allows any version and a version without an operator means `==`
//! (`"1.2"` is exact, `"3.*"` is a wildcard); the specifier is kept as written.

use std::str::FromStr;

use toml_edit::Item as TomlItem;
use uv_pep440::VersionSpecifier;
use uv_pep508::MarkerTree;

use super::pep508::{pin_of_specifiers, pin_of_url, split_clauses, trim_span, url_ref};
use super::sources;
use super::toml_spans::{self, EntryTable, TomlString};
use super::{Clause, Item, ParseError, Requirement, Span};

/// Top-level tables that hold settings, not packages.
const NOT_PACKAGES: [&str; 4] = ["source", "requires", "scripts", "pipenv"];

/// Table keys that pipenv folds into the environment marker.
const MARKER_KEYS: [&str; 11] = [
    "os_name",
    "sys_platform",
    "platform_machine",
    "platform_python_implementation",
    "platform_release",
    "platform_system",
    "platform_version",
    "python_version",
    "python_full_version",
    "implementation_name",
    "implementation_version",
];

const VCS_KEYS: [&str; 4] = ["git", "hg", "svn", "bzr"];

/// Parse the text of one file into items, in file order.
pub fn parse(text: &str) -> Vec<Item> {
    let doc = match toml_spans::parse_document(text) {
        Ok(doc) => doc,
        Err(err) => return vec![Item::ParseError(err)],
    };
    let mut out = Vec::new();
    sources::pipfile(text, doc.as_table(), &mut out);
    for (category, item) in doc.as_table().iter() {
        if NOT_PACKAGES.contains(&category) {
            continue;
        }
        // Top-level scalars and arrays are not categories; pipenv ignores them too.
        let Some(packages) = item.as_table_like() else {
            continue;
        };
        for (name, value) in packages.iter() {
            let key = toml_spans::key_span(packages, name);
            let name_span = key.clone().unwrap_or_else(|| toml_spans::span_of(value));
            let span = toml_spans::entry_span(key, value);
            let entry = Entry {
                text,
                name,
                name_span,
                span,
                section: category,
            };
            out.push(entry.parse(value).unwrap_or_else(Item::ParseError));
        }
    }
    out.sort_by_key(|item| item.span().start);
    out
}

struct Entry<'a> {
    text: &'a str,
    name: &'a str,
    name_span: Span,
    span: Span,
    section: &'a str,
}

impl Entry<'_> {
    fn parse(&self, value: &TomlItem) -> Result<Item, ParseError> {
        let mut req = toml_spans::keyed_requirement(
            self.name,
            self.name_span.clone(),
            self.span.clone(),
            self.section,
        )?;
        if let Some(specifier) = toml_spans::string_of(self.text, value) {
            apply_specifier(self.text, &mut req, &specifier)?;
            return Ok(Item::Requirement(req));
        }
        let Some(table) = value.as_table_like() else {
            return Err(toml_spans::type_error(
                self.text,
                value,
                &format!("package `{}`", self.name),
                "a version string or a table",
            ));
        };
        let entry = EntryTable {
            text: self.text,
            table,
            name: self.name,
        };
        if let Some(version) = entry.string("version")? {
            apply_specifier(self.text, &mut req, &version)?;
        }
        req.extras = entry.strings("extras")?;
        req.editable = entry.boolean("editable")?;
        self.apply_markers(&entry, &mut req)?;
        self.apply_location(&entry, &mut req)?;
        Ok(Item::Requirement(req))
    }

    /// `markers` and the PEP 508 marker keys, joined with `and` as pipenv does.
    fn apply_markers(&self, entry: &EntryTable, req: &mut Requirement) -> Result<(), ParseError> {
        let mut parts = Vec::new();
        let mut spans: Vec<Span> = Vec::new();
        if let Some(markers) = entry.string("markers")? {
            parts.push(markers.value.trim().to_string());
            spans.push(markers.content_span());
        }
        for key in MARKER_KEYS {
            if let Some(value) = entry.string(key)? {
                parts.push(format!("{key} {}", value.value.trim()));
                spans.push(value.content_span());
            }
        }
        let (Some(first), Some(last)) = (
            spans.iter().map(|s| s.start).min(),
            spans.iter().map(|s| s.end).max(),
        ) else {
            return Ok(());
        };
        let marker = match parts.as_slice() {
            [one] => one.clone(),
            _ => parts
                .iter()
                .map(|part| format!("({part})"))
                .collect::<Vec<_>>()
                .join(" and "),
        };
        // One span per requirement: when the marker comes from several keys, it covers them.
        let span = if spans.len() == 1 {
            spans[0].clone()
        } else {
            first..last
        };
        if super::pep508::nests_too_deep(&marker) {
            return Err(toml_spans::error(
                self.text,
                span,
                format!(
                    "the marker for `{}` nests parentheses more than {} levels deep; not parsed",
                    self.name,
                    super::pep508::MAX_NESTING
                ),
            ));
        }
        let spaced = super::pep508::spaced_marker_operators(&marker);
        if let Err(err) = MarkerTree::from_str(spaced.as_deref().unwrap_or(&marker)) {
            return Err(toml_spans::error(
                self.text,
                span,
                format!("invalid marker for `{}`: {}", self.name, err.message),
            ));
        }
        req.marker = Some(marker);
        req.marker_span = Some(span);
        Ok(())
    }

    /// A VCS, `file` or `path` source; it decides the pin.
    fn apply_location(&self, entry: &EntryTable, req: &mut Requirement) -> Result<(), ParseError> {
        for vcs in VCS_KEYS {
            let Some(location) = entry.string(vcs)? else {
                continue;
            };
            // pipenv accepts the URL with or without the `git+` prefix.
            let prefixed = if location.value.starts_with(&format!("{vcs}+")) {
                location.value.clone()
            } else {
                format!("{vcs}+{}", location.value)
            };
            let mut url = url_ref(&prefixed, location.content_span());
            url.url = location.value.clone();
            if let Some(reference) = entry.string("ref")? {
                url.rev = Some(reference.value);
            }
            req.pin = pin_of_url(&url, false);
            req.url = Some(Box::new(url));
            return Ok(());
        }
        let location = match entry.string("file")? {
            Some(file) => Some(file),
            None => entry.string("path")?,
        };
        if let Some(location) = location {
            let url = url_ref(&location.value, location.content_span());
            req.pin = pin_of_url(&url, false);
            req.url = Some(Box::new(url));
        }
        Ok(())
    }
}

/// A Pipfile version string: `*`, `1.2` (meaning `==1.2`), or PEP 440 specifiers.
fn apply_specifier(
    text: &str,
    req: &mut Requirement,
    specifier: &TomlString,
) -> Result<(), ParseError> {
    let value = &specifier.value;
    let whole = trim_span(value, 0..value.len());
    req.specifier = value[whole.clone()].into();
    req.specifier_span = (!whole.is_empty()).then(|| specifier.span_of(whole.clone()));
    if req.specifier.is_empty() || req.specifier == "*" {
        return Ok(());
    }
    let mut parsed = Vec::new();
    // `===` takes any string (PEP 440 arbitrary equality): exact when every one names
    // the same string.
    let mut arbitrary: Vec<String> = Vec::new();
    for (index, (operator, version, span)) in split_clauses(value, whole).into_iter().enumerate() {
        if operator == "===" {
            arbitrary.push(version.clone());
            req.clauses.push(Clause {
                operator: crate::manifest::operator_text(&operator),
                version: version.as_str().into(),
                span: specifier.span_of(span),
            });
            continue;
        }
        // pipenv prepends `==` to a specifier that starts without an operator.
        let implied = if operator.is_empty() && index == 0 {
            "=="
        } else {
            operator.as_str()
        };
        let clause = VersionSpecifier::from_str(&format!("{implied}{version}")).map_err(|err| {
            toml_spans::error(
                text,
                specifier.span_of(span.clone()),
                format!(
                    "invalid version specifier `{}` for `{}`: {err}",
                    req.specifier,
                    req.name.as_deref().unwrap_or_default()
                ),
            )
        })?;
        parsed.push(clause);
        req.clauses.push(Clause {
            operator: crate::manifest::operator_text(&operator),
            version: version.as_str().into(),
            span: specifier.span_of(span),
        });
    }
    req.pin = pin_of_specifiers(&parsed, &arbitrary);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Pin;

    fn items(text: &str) -> (Vec<Requirement>, Vec<ParseError>) {
        let mut reqs = Vec::new();
        let mut errors = Vec::new();
        for item in parse(text) {
            match item {
                Item::Requirement(req) => reqs.push(req),
                Item::ParseError(err) => errors.push(err),
                // `[[source]]` tables; their own tests are in `sources`.
                Item::Option(_) => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        (reqs, errors)
    }

    #[test]
    fn categories_and_version_strings() {
        let text = r#"[[source]]
url = "https://pypi.org/simple"
verify_ssl = true
name = "pypi"

[packages]
requests = "*"
flask = "==3.0.3"
django = "4.2.16"
numpy = "1.26.*"
"zope.interface" = ">=6, <7"

[dev-packages]
pytest = ">=8"

[docs]
sphinx = "7.3.7"

[requires]
python_version = "3.12"

[scripts]
serve = "flask run"

[pipenv]
allow_prereleases = false
"#;
        let (reqs, errors) = items(text);
        assert!(errors.is_empty(), "{errors:?}");
        let summary: Vec<(&str, &str, Pin)> = reqs
            .iter()
            .map(|r| (r.name.as_deref().unwrap(), &*r.section, r.pin))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("requests", "packages", Pin::None),
                ("flask", "packages", Pin::Exact),
                ("django", "packages", Pin::Exact),
                ("numpy", "packages", Pin::Wildcard),
                ("zope.interface", "packages", Pin::Range),
                ("pytest", "dev-packages", Pin::Range),
                ("sphinx", "docs", Pin::Exact),
            ]
        );
        let django = &reqs[2];
        assert_eq!(&text[django.span.clone()], "django = \"4.2.16\"");
        assert_eq!(&text[django.name_span.clone().unwrap()], "django");
        assert_eq!(django.specifier, "4.2.16");
        assert_eq!(&text[django.specifier_span.clone().unwrap()], "4.2.16");
        assert_eq!(
            (
                &*django.clauses[0].operator,
                django.clauses[0].version.as_str()
            ),
            ("", "4.2.16")
        );
        let zope = &reqs[4];
        assert_eq!(&text[zope.name_span.clone().unwrap()], "\"zope.interface\"");
        assert_eq!(&text[zope.clauses[1].span.clone()], "<7");
        assert_eq!(&text[reqs[0].specifier_span.clone().unwrap()], "*");
        assert!(reqs[0].clauses.is_empty());
    }

    #[test]
    fn tables_with_extras_markers_and_sources() {
        let text = r#"[packages]
uvicorn = {version = "==0.30.1", extras = ["standard"], index = "pypi"}
pywin32 = {version = "*", sys_platform = "== 'win32'"}
colorama = {version = "==0.4.6", markers = "os_name == 'nt'", platform_machine = "!= 'arm64'"}
mylib = {git = "https://github.com/o/mylib.git", ref = "main", editable = true}
pinned = {git = "git+https://github.com/o/p.git", ref = "0123456789abcdef0123456789abcdef01234567"}
local = {path = ".", editable = true}
wheel = {file = "https://example.org/w-1.0-py3-none-any.whl#sha256=abcd"}

[packages.records]
version = ">=0.5"
"#;
        let (reqs, errors) = items(text);
        assert!(errors.is_empty(), "{errors:?}");
        let pins: Vec<Pin> = reqs.iter().map(|r| r.pin).collect();
        assert_eq!(
            pins,
            vec![
                Pin::Exact,
                Pin::None,
                Pin::Exact,
                Pin::VcsRef,
                Pin::VcsCommit,
                Pin::Url,
                Pin::Exact,
                Pin::Range
            ]
        );
        assert_eq!(reqs[0].extras, vec!["standard"]);
        assert_eq!(&text[reqs[0].specifier_span.clone().unwrap()], "==0.30.1");
        assert_eq!(reqs[1].marker.as_deref(), Some("sys_platform == 'win32'"));
        assert_eq!(&text[reqs[1].marker_span.clone().unwrap()], "== 'win32'");
        assert_eq!(
            reqs[2].marker.as_deref(),
            Some("(os_name == 'nt') and (platform_machine != 'arm64')")
        );
        assert_eq!(
            &text[reqs[2].marker_span.clone().unwrap()],
            "os_name == 'nt'\", platform_machine = \"!= 'arm64'"
        );
        let git = reqs[3].url.as_ref().unwrap();
        assert!(reqs[3].editable);
        assert_eq!(&text[git.span.clone()], "https://github.com/o/mylib.git");
        assert_eq!(
            (git.vcs.as_deref(), git.rev.as_deref()),
            (Some("git"), Some("main"))
        );
        assert!(reqs[5].url.as_ref().unwrap().local_path);
        assert_eq!(&text[reqs[7].span.clone()], "[packages.records]");
        assert_eq!(&text[reqs[7].name_span.clone().unwrap()], "records");
    }

    #[test]
    fn bad_entries_are_errors_at_the_bad_value() {
        let text = r#"[packages]
a = ">=1.0,<two"
b = 3
c = {version = "==1.0", extras = "x"}
d = {version = "*", markers = "os_name === 'nt' and"}
e = "1.0,2.0"
ok = "==1.0"
"#;
        let (reqs, errors) = items(text);
        assert_eq!(reqs.len(), 1);
        let spans: Vec<&str> = errors.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(
            spans,
            vec!["<two", "3", "\"x\"", "os_name === 'nt' and", "2.0"]
        );
        assert!(errors[1].message.contains("package `b`"));
    }

    #[test]
    fn malformed_toml_is_one_error() {
        let (reqs, errors) = items("[packages]\nrequests = \n");
        assert!(reqs.is_empty());
        assert_eq!(errors.len(), 1);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_on_char_boundaries(text in "(\\[[a-z.-]{0,12}\\]\n|[a-z_\"\' =\\[\\]{},.^~*|<>!;@#:/+\\\\0-9é\n-]){0,60}") {
            for item in parse(&text) {
                for span in crate::manifest::toml_spans::item_spans(&item) {
                    proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
                    proptest::prop_assert!(text.get(span).is_some());
                }
            }
        }
    }
}
