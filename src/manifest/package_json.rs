//! `package.json`: the dependency tables npm, pnpm and yarn install from, the override
//! tables that force versions deep in the tree, and the `packageManager` corepack runs.
//!
//! Every entry becomes a requirement judged by the requirement rules, its `section` the
//! table it is in (`dependencies`, `devDependencies`, `optionalDependencies`,
//! `peerDependencies`, `overrides`, `resolutions`, `pnpm.overrides`, `packageManager`).
//! The spec is read by [`npm_spec`](super::npm_spec).
//!
//! `peerDependencies` are marked published metadata: a peer range says which versions
//! of the host package a library works with, and the application that installs it pins
//! the host in its own `dependencies`. Like a Python library's `project.dependencies`,
//! they are ranges on purpose and not flagged; `project-kind = "application"` judges
//! them like any other table. A `package.json` is not taken for a library by itself
//! (`private`, `name` and `version` do not say whether a package is published), so its
//! `dependencies` are held to pins unless `project-kind = "library"` says otherwise.

use jsonc_parser::ast::{Object, Value};

use super::json::{self, Str};
use super::npm_spec::{self, is_exact_version};
use super::{Clause, Item, Pin, Requirement};

/// The tables of name → spec.
const DEPENDENCY_TABLES: [&str; 4] = [
    "dependencies",
    "devDependencies",
    "optionalDependencies",
    "peerDependencies",
];

/// The section of `peerDependencies`: published, like a library's metadata.
pub const PEER_SECTION: &str = "peerDependencies";

pub fn parse(text: &str) -> Vec<Item> {
    let mut out = Vec::new();
    let root = match json::parse(text) {
        Ok(Some(Value::Object(root))) => root,
        Ok(_) => return out,
        Err(error) => return vec![Item::ParseError(error)],
    };
    for table in DEPENDENCY_TABLES {
        if let Some(Value::Object(object)) = json::get(&root, table) {
            read_table(text, object, table, &Name::Plain, &mut out);
        }
    }
    if let Some(Value::Object(object)) = json::get(&root, "overrides") {
        read_npm_overrides(text, object, None, 0, &mut out);
    }
    if let Some(Value::Object(object)) = json::get(&root, "resolutions") {
        read_table(text, object, "resolutions", &Name::Selector, &mut out);
    }
    if let Some(Value::Object(pnpm)) = json::get(&root, "pnpm")
        && let Some(Value::Object(object)) = json::get(pnpm, "overrides")
    {
        read_table(text, object, "pnpm.overrides", &Name::Selector, &mut out);
    }
    if let Some(Value::StringLit(value)) = json::get(&root, "packageManager") {
        out.extend(package_manager(Str::of(text, value)).map(Item::Requirement));
    }
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out
}

/// How a table's keys name packages.
enum Name {
    /// The key is the package name.
    Plain,
    /// An override selector: `**/lodash`, `parent/child`, `a>b`, `lodash@^4`: the last
    /// package named, without its version.
    Selector,
}

fn read_table(text: &str, object: &Object, section: &str, naming: &Name, out: &mut Vec<Item>) {
    for prop in &object.properties {
        let Value::StringLit(value) = &prop.value else {
            continue;
        };
        let key = match &prop.name {
            jsonc_parser::ast::ObjectPropName::String(key) => Str::of(text, key),
            jsonc_parser::ast::ObjectPropName::Word(_) => continue,
        };
        let name_range = match naming {
            Name::Plain => 0..key.value.len(),
            Name::Selector => selector_name(key.value),
        };
        let value = Str::of(text, value);
        // `-` removes a package in pnpm overrides.
        if name_range.is_empty() || value.value == "-" {
            continue;
        }
        let req = npm_spec::requirement(
            &key.value[name_range.clone()],
            key.span_of(name_range),
            value.value,
            prop.range.start..prop.range.end,
            |range| value.span_of(range),
            section,
        );
        if let Some(mut req) = req {
            req.standing.published = section == PEER_SECTION;
            out.push(Item::Requirement(req));
        }
    }
}

/// npm's `overrides`: a value is a spec, or an object whose `.` key is the package's
/// own spec and whose other keys override its dependencies.
fn read_npm_overrides(
    text: &str,
    object: &Object,
    parent: Option<(&str, std::ops::Range<usize>)>,
    depth: usize,
    out: &mut Vec<Item>,
) {
    for prop in &object.properties {
        let jsonc_parser::ast::ObjectPropName::String(key) = &prop.name else {
            continue;
        };
        let key = Str::of(text, key);
        let (name, name_span) = if key.value == "." {
            match &parent {
                Some((name, span)) => (name.to_string(), span.clone()),
                None => continue,
            }
        } else {
            let range = selector_name(key.value);
            if range.is_empty() {
                continue;
            }
            (key.value[range.clone()].to_string(), key.span_of(range))
        };
        match &prop.value {
            Value::StringLit(value) => {
                let value = Str::of(text, value);
                out.extend(
                    npm_spec::requirement(
                        &name,
                        name_span,
                        value.value,
                        prop.range.start..prop.range.end,
                        |range| value.span_of(range),
                        "overrides",
                    )
                    .map(Item::Requirement),
                );
            }
            // npm's own nesting is shallow; the bound keeps a hostile file cheap.
            Value::Object(inner) if depth < 32 && key.value != "." => {
                read_npm_overrides(text, inner, Some((&name, name_span)), depth + 1, out);
            }
            _ => {}
        }
    }
}

/// The package an override selector names, as a byte range of the key: the last one
/// after `/` (yarn's `**/a/b`) or `>` (pnpm's `a>b`), without a version after `@`.
fn selector_name(key: &str) -> std::ops::Range<usize> {
    let mut start = key.rfind('>').map_or(0, |at| at + 1);
    // yarn paths: the last segment, or the last two for a scope (`**/@s/n`).
    let segments: Vec<(usize, &str)> = key[start..]
        .split('/')
        .scan(start, |offset, segment| {
            let at = *offset;
            *offset += segment.len() + 1;
            Some((at, segment))
        })
        .collect();
    if let [.., (scope_at, scope), (name_at, _)] = segments.as_slice() {
        start = if scope.starts_with('@') {
            *scope_at
        } else {
            *name_at
        };
    }
    let name = &key[start..];
    let name = name.trim_start();
    let start = key.len() - key[start..].trim_start().len();
    let version_at = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '@')
        .map_or(name.len(), |(at, _)| at);
    let end = start + name[..version_at].trim_end().len();
    if key[start..end].starts_with('*') || key[start..end].is_empty() {
        return 0..0;
    }
    start..end
}

/// `packageManager: "pnpm@9.1.0+sha512.…"`: the tool, the version corepack runs, and
/// the hash it checks the download against.
fn package_manager(value: Str) -> Option<Requirement> {
    let spec = value.value;
    let at = spec.char_indices().skip(1).find(|(_, c)| *c == '@')?.0;
    let name = &spec[..at];
    let rest = &spec[at + 1..];
    let (version, hash) = match rest.split_once('+') {
        // `+sha512.<hex>` is corepack's hash; a semver build label has no `.` right
        // after an algorithm name.
        Some((version, hash))
            if hash.starts_with("sha") && hash.contains('.') && is_exact_version(version) =>
        {
            (version, Some(hash))
        }
        _ => (rest, None),
    };
    let version_range = at + 1..at + 1 + version.len();
    let version_span = value.span_of(version_range.clone());
    let pin = if is_exact_version(version) {
        Pin::Exact
    } else {
        Pin::Range
    };
    Some(Requirement {
        specifier: version.into(),
        specifier_span: Some(version_span.clone()),
        clauses: vec![Clause {
            operator: "".into(),
            version: version.into(),
            span: version_span,
        }],
        hashes: hash
            .map(|hash| {
                let start = version_range.end + 1;
                (hash.to_string(), value.span_of(start..start + hash.len()))
            })
            .into_iter()
            .collect(),
        pin,
        ..Requirement::named(
            value.value_span(),
            name,
            value.span_of(0..at),
            "packageManager",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reqs(text: &str) -> Vec<(String, String, &'static str, String)> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Requirement(req) => Some((
                    req.name.as_deref().unwrap().to_string(),
                    text[req.version_span()].to_string(),
                    req.pin.as_str(),
                    req.section.to_string(),
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn tables_and_pins() {
        let text = r#"{
  "name": "web",
  "dependencies": {"react": "18.2.0", "lodash": "^4.17.21", "left-pad": "*", "x": "latest",
    "aliased": "npm:react@~18.2.0", "lib": "workspace:*", "g": "github:o/r#main", "t": "https://e.x/t.tgz"},
  "devDependencies": {"typescript": "~5.4.0"},
  "peerDependencies": {"react": ">=17"},
  "packageManager": "pnpm@9.1.0+sha512.abc"
}"#;
        let got = reqs(text);
        let expect = [
            ("react", "18.2.0", "exact", "dependencies"),
            ("lodash", "^4.17.21", "range", "dependencies"),
            ("left-pad", "*", "none", "dependencies"),
            ("x", "latest", "range", "dependencies"),
            ("aliased", "~18.2.0", "range", "dependencies"),
            ("lib", "workspace:*", "url", "dependencies"),
            ("g", "github:o/r#main", "vcs-ref", "dependencies"),
            ("t", "https://e.x/t.tgz", "url", "dependencies"),
            ("typescript", "~5.4.0", "range", "devDependencies"),
            ("react", ">=17", "range", "peerDependencies"),
            ("pnpm", "9.1.0", "exact", "packageManager"),
        ];
        let got: Vec<(&str, &str, &str, &str)> = got
            .iter()
            .map(|(a, b, c, d)| (a.as_str(), b.as_str(), *c, d.as_str()))
            .collect();
        assert_eq!(got, expect);
        let items = parse(text);
        let peer = items
            .iter()
            .find_map(|item| match item {
                Item::Requirement(req) if req.section == PEER_SECTION => Some(req),
                _ => None,
            })
            .unwrap();
        assert!(peer.standing.published);
        let pm = items
            .iter()
            .find_map(|item| match item {
                Item::Requirement(req) if req.section == "packageManager" => Some(req),
                _ => None,
            })
            .unwrap();
        assert_eq!(pm.hashes.len(), 1);
        assert_eq!(&text[pm.hashes[0].1.clone()], "sha512.abc");
    }

    #[test]
    fn overrides_and_resolutions() {
        let text = r#"{
  "overrides": {"foo": "1.0.0", "bar": {".": "^2.0.0", "baz": "~3.0.0"}, "qux": "$qux", "@s/n@1": "1.2.3"},
  "resolutions": {"**/lodash": "^4", "a/@s/b": "1.0.0", "c@^1": "1.0.1"},
  "pnpm": {"overrides": {"a>b": "^1", "ms@<2": "2.1.3", "gone": "-"}}
}"#;
        let got: Vec<(String, String, &str, String)> = reqs(text);
        let got: Vec<(&str, &str, &str)> = got
            .iter()
            .map(|(a, b, _, d)| (a.as_str(), b.as_str(), d.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("foo", "1.0.0", "overrides"),
                ("bar", "^2.0.0", "overrides"),
                ("baz", "~3.0.0", "overrides"),
                ("@s/n", "1.2.3", "overrides"),
                ("lodash", "^4", "resolutions"),
                ("@s/b", "1.0.0", "resolutions"),
                ("c", "1.0.1", "resolutions"),
                ("b", "^1", "pnpm.overrides"),
                ("ms", "2.1.3", "pnpm.overrides"),
            ]
        );
    }

    #[test]
    fn invalid_json_is_a_parse_error_and_odd_shapes_are_skipped() {
        let items = parse("{\"dependencies\": {\"a\": \"1\",}}");
        assert!(matches!(items.as_slice(), [Item::ParseError(_)]));
        for text in [
            "[]",
            "1",
            "",
            "{\"dependencies\": []}",
            "{\"dependencies\": {\"a\": 1, \"\": \"1.0.0\"}}",
            "{\"packageManager\": \"@\"}",
            "{\"packageManager\": \"pnpm\"}",
            "{\"resolutions\": {\"**\": \"1\", \"/\": \"1\", \">\": \"1\", \"a>\": \"1\"}}",
            "{\"overrides\": {\".\": \"1\", \"a\": {\".\": {\".\": \"1\"}}}}",
        ] {
            let _ = parse(text);
        }
    }
}
