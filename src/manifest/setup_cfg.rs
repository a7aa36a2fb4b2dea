//! Parser for setuptools' `setup.cfg`.
//!
//! Reads `[options] install_requires`, `setup_requires`, `tests_require` and every key of
//! `[options.extras_require]`. The INI syntax is scanned here, keeping byte spans, with
//! the rules of Python's `configparser` as setuptools configures it:
//! - a value continues on the following lines indented deeper than its key;
//! - full-line `#` / `;` comments are dropped, even inside a value, and blank lines do
//!   not end a value;
//! - a duplicate section or key in a section is an error (`strict` mode).
//!
//! A value then becomes a list as setuptools makes it: one item per line when the value
//! spans several lines, otherwise the single line split on `;`. So the one-line
//! `foo; python_version < "3.8"` is two items, and the second is reported as an error:
//! setuptools fails on it too. Each item loses a ` #` comment, and a line ending in `\`
//! is joined with the next (dropping the `\` and the character before it, as setuptools
//! does).
//!
//! `file: a.txt, b.txt` values are [`Include`]s: setuptools reads the requirements from
//! those files, relative to the directory of `setup.cfg`.

use std::collections::HashSet;
use std::str::FromStr;

use uv_pep508::MarkerTree;

use super::pep508::{SpanMap, parse_requirement, trim_span};
use super::{Include, Item, ParseError, Span};

/// Parse the text of one file into items, in file order.
pub fn parse(text: &str) -> Vec<Item> {
    let ini = scan(text);
    let mut out: Vec<Item> = ini.errors.into_iter().map(Item::ParseError).collect();
    for option in &ini.options {
        let key = option.name.to_ascii_lowercase().replace('-', "_");
        // setuptools' own package index settings, which `setup.py develop`-era
        // installs read like pip options.
        if option.section == "easy_install"
            && let Some(name) = match key.as_str() {
                "index_url" => Some("index-url"),
                "find_links" => Some("find-links"),
                _ => None,
            }
        {
            for line in &option.lines {
                out.push(Item::Option(super::PipOption {
                    name: name.to_string(),
                    value: Some(text[line.clone()].to_string()),
                    value_span: Some(line.clone()),
                    span: line.clone(),
                }));
            }
            continue;
        }
        let section = match (option.section.as_str(), key.as_str()) {
            ("options", "install_requires" | "setup_requires" | "tests_require") => {
                format!("options.{key}")
            }
            ("options.extras_require", _) => format!("options.extras_require.{}", option.name),
            _ => continue,
        };
        requirement_list(text, option, &section, &mut out);
    }
    // setup.cfg is setuptools' packaging metadata: the project it describes is built.
    super::standing::mark_published(
        super::ManifestKind::SetupCfg,
        super::standing::ProjectKind::Library,
        &mut out,
    );
    out.sort_by_key(|item| item.span().start);
    out
}

/// One `key = value` with the file spans of its value's lines.
#[derive(Debug)]
pub(crate) struct IniOption {
    pub(crate) section: String,
    pub(crate) name: String,
    /// The value on the key's line (if not empty), then each continuation line; trimmed,
    /// comments and blank lines left out.
    pub(crate) lines: Vec<Span>,
    /// Whether any continuation line holds text: then the value is multi-line.
    multi_line: bool,
}

pub(crate) struct Ini {
    pub(crate) options: Vec<IniOption>,
    pub(crate) errors: Vec<ParseError>,
}

/// The options and syntax errors of an INI file, as configparser reads it.
pub(crate) fn scan(text: &str) -> Ini {
    let mut ini = Ini {
        options: Vec::new(),
        errors: Vec::new(),
    };
    let mut sections_seen: HashSet<String> = HashSet::new();
    let mut keys_seen: HashSet<String> = HashSet::new();
    let mut section: Option<String> = None;
    // Index into `ini.options` of the option whose value may continue.
    let mut current: Option<usize> = None;
    let mut indent_level = 0;
    let mut line_start = 0;
    for raw_line in text.split_inclusive('\n') {
        let start = line_start;
        line_start += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let stripped = trim_span(line, 0..line.len());
        let value = &line[stripped.clone()];
        let span = start + stripped.start..start + stripped.end;
        if value.is_empty() || value.starts_with(['#', ';']) {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if let Some(index) = current.filter(|_| indent > indent_level) {
            ini.options[index].lines.push(span);
            ini.options[index].multi_line = true;
            continue;
        }
        indent_level = indent;
        current = None;
        if let Some(header) = value
            .strip_prefix('[')
            .and_then(|rest| rest.rfind(']').map(|end| &rest[..end]))
            .filter(|header| !header.is_empty())
        {
            if !sections_seen.insert(header.to_string()) {
                ini.errors.push(ParseError {
                    message: format!("section `[{header}]` appears twice"),
                    span,
                });
            }
            keys_seen.clear();
            section = Some(header.to_string());
            continue;
        }
        let Some(section) = &section else {
            ini.errors.push(ParseError {
                message: "a setup.cfg must start with a `[section]` header".into(),
                span,
            });
            return ini;
        };
        let Some(delimiter) = value.find(['=', ':']) else {
            ini.errors.push(ParseError {
                message: "expected `key = value`".into(),
                span,
            });
            continue;
        };
        let name = value[..delimiter].trim_end();
        if name.is_empty() {
            ini.errors.push(ParseError {
                message: "missing key before `=`".into(),
                span,
            });
            continue;
        }
        if !keys_seen.insert(name.to_string()) {
            ini.errors.push(ParseError {
                message: format!("`{name}` appears twice in `[{section}]`"),
                span: span.start..span.start + name.len(),
            });
            continue;
        }
        let first = trim_span(text, span.start + delimiter + 1..span.end);
        ini.options.push(IniOption {
            section: section.clone(),
            name: name.to_string(),
            lines: if first.is_empty() {
                vec![]
            } else {
                vec![first]
            },
            multi_line: false,
        });
        current = Some(ini.options.len() - 1);
    }
    ini
}

/// Text taken from the file, possibly from several places, with a map back to them.
#[derive(Debug, Clone)]
struct Piece {
    text: String,
    /// `(offset in text, offset in file)`: each starts a run that is contiguous in the file.
    segments: Vec<(usize, usize)>,
    file_end: usize,
}

impl Piece {
    fn of(file: &str, span: Span) -> Self {
        Piece {
            text: file[span.clone()].to_string(),
            segments: vec![(0, span.start)],
            file_end: span.end,
        }
    }

    fn map(&self) -> SpanMap {
        SpanMap::from_segments(self.segments.clone(), self.file_end)
    }

    fn slice(&self, range: Span) -> Self {
        let map = self.map();
        let mut segments = vec![(0, map.offset(range.start))];
        segments.extend(
            self.segments
                .iter()
                .filter(|(at, _)| *at > range.start && *at < range.end)
                .map(|(at, file)| (at - range.start, *file)),
        );
        Piece {
            text: self.text[range.clone()].to_string(),
            segments,
            file_end: map.span(range).end,
        }
    }

    fn trimmed(&self) -> Self {
        self.slice(trim_span(&self.text, 0..self.text.len()))
    }

    fn append(&mut self, other: Piece) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.segments.extend(
            other
                .segments
                .into_iter()
                .map(|(at, file)| (at + base, file)),
        );
        self.file_end = other.file_end;
    }
}

fn requirement_list(text: &str, option: &IniOption, section: &str, out: &mut Vec<Item>) {
    let Some(first) = option.lines.first() else {
        return;
    };
    if text[first.clone()].starts_with("file:") {
        file_includes(text, option, out);
        return;
    }
    let split_on_semicolons = !option.multi_line;
    let items: Vec<Piece> = if option.multi_line {
        option
            .lines
            .iter()
            .map(|line| Piece::of(text, line.clone()))
            .collect()
    } else {
        let line = Piece::of(text, first.clone());
        let mut chunks = Vec::new();
        let mut start = 0;
        for chunk in line.text.split(';') {
            chunks.push(line.slice(start..start + chunk.len()).trimmed());
            start += chunk.len() + 1;
        }
        chunks
    };
    for item in setuptools_lines(items) {
        match parse_requirement(&item.text, &item.map(), section) {
            Ok(req) => out.push(Item::Requirement(req)),
            Err(mut err) => {
                if split_on_semicolons
                    && !super::pep508::nests_too_deep(&item.text)
                    && MarkerTree::from_str(&item.text).is_ok()
                {
                    err.message = format!(
                        "`{}` is an environment marker, not a requirement: in a one-line \
                         value setuptools splits on `;`; put each requirement with its \
                         marker on its own indented line",
                        item.text
                    );
                    err.span = item.map().span(0..item.text.len());
                }
                out.push(Item::ParseError(err));
            }
        }
    }
}

/// setuptools' clean-up of a requirement list: drop blank and `#` lines, cut ` #`
/// comments, join lines ending in `\`.
fn setuptools_lines(items: Vec<Piece>) -> Vec<Piece> {
    let cleaned = items.into_iter().filter_map(|item| {
        let item = item.trimmed();
        if item.text.is_empty() || item.text.starts_with('#') {
            return None;
        }
        let end = item.text.find(" #").unwrap_or(item.text.len());
        Some(item.slice(0..end).trimmed())
    });
    let mut lines = Vec::new();
    let mut pending: Option<Piece> = None;
    for item in cleaned {
        let mut item = match pending.take() {
            Some(mut joined) => {
                joined.append(item);
                joined
            }
            None => item,
        };
        if item.text.ends_with('\\') {
            // `line[:-2].strip()`: the backslash and the character before it go.
            let mut cut = item.text.len() - 1;
            if let Some(before) = item.text[..cut].chars().next_back() {
                cut -= before.len_utf8();
            }
            item = item.slice(0..cut).trimmed();
            pending = Some(item);
            continue;
        }
        lines.push(item);
    }
    // A continuation on the last line has nothing to join: setuptools drops it.
    lines
}

/// `file: a.txt, b.txt`: one include per file.
fn file_includes(text: &str, option: &IniOption, out: &mut Vec<Item>) {
    let first = &option.lines[0];
    let whole = first.start..option.lines.last().map_or(first.end, |last| last.end);
    let after_directive = first.start + "file:".len()..first.end;
    for range in std::iter::once(after_directive).chain(option.lines[1..].iter().cloned()) {
        let mut start = range.start;
        for target in text[range.clone()].split(',') {
            let span = trim_span(text, start..start + target.len());
            start += target.len() + 1;
            if span.is_empty() {
                continue;
            }
            out.push(Item::Include(Include {
                constraint: false,
                target: text[span.clone()].to_string(),
                target_span: span,
                span: whole.clone(),
                require_hashes: false,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::{Pin, Requirement};

    fn items(text: &str) -> (Vec<Requirement>, Vec<ParseError>, Vec<Include>) {
        let (mut reqs, mut errors, mut includes) = (Vec::new(), Vec::new(), Vec::new());
        for item in parse(text) {
            match item {
                Item::Requirement(req) => reqs.push(req),
                Item::ParseError(err) => errors.push(err),
                Item::Include(include) => includes.push(include),
                other => panic!("unexpected {other:?}"),
            }
        }
        (reqs, errors, includes)
    }

    #[test]
    fn options_and_extras_with_spans() {
        let text = "[metadata]\nname = demo\n\n[options]\npackages = find:\ninstall_requires =\n    requests>=2.31\n    # a comment inside the value\n\n    click==8.1.7 ; python_version >= \"3.8\"\n  ; another comment\n    rich  # trailing comment\nsetup_requires = setuptools_scm==8.1.0; wheel\ntests_require = pytest\n\n[options.extras_require]\nDocs =\n    sphinx==7.3.7\ntest = pytest>=8\n";
        let (reqs, errors, _) = items(text);
        assert!(errors.is_empty(), "{errors:?}");
        let summary: Vec<(&str, &str, Pin)> = reqs
            .iter()
            .map(|r| (r.name.as_deref().unwrap(), &*r.section, r.pin))
            .collect();
        assert_eq!(
            summary,
            vec![
                ("requests", "options.install_requires", Pin::Range),
                ("click", "options.install_requires", Pin::Exact),
                ("rich", "options.install_requires", Pin::None),
                ("setuptools_scm", "options.setup_requires", Pin::Exact),
                ("wheel", "options.setup_requires", Pin::None),
                ("pytest", "options.tests_require", Pin::None),
                ("sphinx", "options.extras_require.Docs", Pin::Exact),
                ("pytest", "options.extras_require.test", Pin::Range),
            ]
        );
        assert_eq!(&text[reqs[0].span.clone()], "requests>=2.31");
        assert_eq!(&text[reqs[0].specifier_span.clone().unwrap()], ">=2.31");
        assert_eq!(
            &text[reqs[1].marker_span.clone().unwrap()],
            "python_version >= \"3.8\""
        );
        assert_eq!(&text[reqs[2].span.clone()], "rich");
        assert_eq!(&text[reqs[3].span.clone()], "setuptools_scm==8.1.0");
        assert_eq!(&text[reqs[4].name_span.clone().unwrap()], "wheel");
    }

    #[test]
    fn a_marker_after_a_semicolon_on_one_line_is_an_error() {
        let text =
            "[options]\ninstall_requires = importlib-metadata>=4; python_version < \"3.10\"\n";
        let (reqs, errors, _) = items(text);
        assert_eq!(reqs.len(), 1);
        assert_eq!(&text[reqs[0].span.clone()], "importlib-metadata>=4");
        assert_eq!(errors.len(), 1);
        assert_eq!(&text[errors[0].span.clone()], "python_version < \"3.10\"");
        assert!(errors[0].message.contains("environment marker"));
    }

    #[test]
    fn backslash_continuations_join_lines() {
        let text =
            "[options]\ninstall_requires =\n    requests \\\n        >=2.31\n    flask==3.0.3 \\\n";
        let (reqs, errors, _) = items(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(reqs.len(), 1, "the dangling continuation is dropped");
        assert_eq!(reqs[0].name.as_deref(), Some("requests"));
        assert_eq!(&text[reqs[0].specifier_span.clone().unwrap()], ">=2.31");
        assert_eq!(&text[reqs[0].name_span.clone().unwrap()], "requests");
    }

    #[test]
    fn file_values_are_includes() {
        let text = "[options]\ninstall_requires = file: requirements.txt, extra.txt\n[options.extras_require]\ndev = file:\n    requirements-dev.txt\n";
        let (reqs, errors, includes) = items(text);
        assert!(reqs.is_empty() && errors.is_empty());
        let targets: Vec<(&str, &str)> = includes
            .iter()
            .map(|i| (i.target.as_str(), &text[i.target_span.clone()]))
            .collect();
        assert_eq!(
            targets,
            vec![
                ("requirements.txt", "requirements.txt"),
                ("extra.txt", "extra.txt"),
                ("requirements-dev.txt", "requirements-dev.txt"),
            ]
        );
        assert!(includes.iter().all(|i| !i.constraint));
    }

    #[test]
    fn other_sections_and_keys_are_ignored() {
        let text = "[flake8]\nmax-line-length = 100\nextend-ignore =\n    E203\n[options]\npython_requires = >=3.9\nentry_points =\n    console_scripts =\n        x = y:main\n";
        let (reqs, errors, includes) = items(text);
        assert!(reqs.is_empty() && errors.is_empty() && includes.is_empty());
    }

    #[test]
    fn ini_errors_follow_configparser() {
        let text =
            "[options]\ninstall_requires = a\ninstall_requires = b\nnot an option\n[options]\n";
        let (_, errors, _) = items(text);
        let spans: Vec<&str> = errors.iter().map(|e| &text[e.span.clone()]).collect();
        assert_eq!(
            spans,
            vec!["install_requires", "not an option", "[options]"]
        );
        let (_, errors, _) = items("install_requires = a\n[options]\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("[section]"));
    }

    #[test]
    fn crlf_and_bad_requirements() {
        let text = "[options]\r\ninstall_requires =\r\n    good==1.0\r\n    bad==\r\n";
        let (reqs, errors, _) = items(text);
        assert_eq!(reqs.len(), 1);
        assert_eq!(&text[reqs[0].span.clone()], "good==1.0");
        assert_eq!(errors.len(), 1);
        let bad = text.find("bad==").unwrap();
        assert!(errors[0].span.start >= bad && errors[0].span.end <= bad + "bad==".len());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_on_char_boundaries(text in "(\\[[a-z._]{0,20}\\]\n|install_requires =|[a-z_ =;#:\\[\\]\"<>!~*.,0-9é@/+\\\\\r\n\t-]){0,60}") {
            for item in parse(&text) {
                for span in crate::manifest::toml_spans::item_spans(&item) {
                    proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
                    proptest::prop_assert!(text.get(span).is_some());
                }
            }
        }
    }
}
