//! pre-commit configuration (`.pre-commit-config.yaml`): each hook repository's `rev`,
//! and the `additional_dependencies` pre-commit installs into a hook's environment.
//!
//! A Python hook's dependencies are PEP 508 strings, read by the same parser as
//! requirement files, so the requirement rules judge them. A node hook's are npm
//! specs, `name@version` (`@scope/name@version`); they become requirements too, exact
//! when the version is one release and a range otherwise (`^1.2`, `latest`), unpinned
//! without one. Hooks of other languages (Go, Ruby, Rust, …) have specs of their own
//! and are not read. Without a `language` in the configuration (the hook repository
//! declares it), a string that is valid PEP 508 is taken for a Python requirement,
//! the common case (mypy's type stubs, flake8 plugins), and anything else is left alone.

use std::borrow::Cow;
use std::collections::HashSet;

use super::pep508::{SpanMap, parse_requirement};
use super::yaml::{NodeId, Scalar, Yaml, trailing_comment};
use super::{Clause, HookRev, Item, ParseError, Pin, RefPin, Requirement};

pub fn parse(text: &str) -> Vec<Item> {
    let yaml = Yaml::parse(text);
    let mut out = Vec::new();
    if let Some(root) = yaml.root
        && let Some(repos) = yaml.get(root, "repos")
    {
        // Through aliases, many entries can share one node: each is read once.
        let mut seen = HashSet::new();
        for &repo in yaml.items(repos) {
            if seen.insert(repo) {
                read_repo(text, &yaml, repo, &mut seen, &mut out);
            }
        }
    }
    if let Some((message, span)) = yaml.error {
        out.push(Item::ParseError(ParseError { message, span }));
    }
    out.sort_by_key(|item| (item.span().start, item.span().end));
    out
}

fn read_repo(
    text: &str,
    yaml: &Yaml,
    repo: NodeId,
    seen: &mut HashSet<NodeId>,
    out: &mut Vec<Item>,
) {
    let Some(url) = yaml.scalar_at(repo, "repo") else {
        return;
    };
    // `local` hooks live in this repository and `meta` hooks in pre-commit itself.
    if !matches!(url.value.as_str(), "local" | "meta") {
        let rev = yaml.scalar_at(repo, "rev");
        out.push(Item::HookRev(match rev {
            Some(rev) => HookRev {
                repo: url.value.clone(),
                rev: Some(rev.value.clone()),
                span: rev.value_span(),
                pin: RefPin::of_rev(rev.value.trim()),
                comment: trailing_comment(text, &rev.span),
            },
            None => HookRev {
                repo: url.value.clone(),
                rev: None,
                span: url.value_span(),
                pin: RefPin::None,
                comment: None,
            },
        }));
    }
    let Some(hooks) = yaml.get(repo, "hooks").filter(|hooks| seen.insert(*hooks)) else {
        return;
    };
    for &hook in yaml.items(hooks) {
        let Some(dependencies) = yaml
            .get(hook, "additional_dependencies")
            .filter(|dependencies| seen.insert(*dependencies))
        else {
            continue;
        };
        let id = yaml
            .scalar_at(hook, "id")
            .map_or("", |id| id.value.as_str());
        let language = yaml
            .scalar_at(hook, "language")
            .map(|language| language.value.as_str());
        let section = format!("hooks.{id}.additional_dependencies");
        for &dependency in yaml.items(dependencies) {
            if let Some(dependency) = yaml.scalar(dependency) {
                read_dependency(dependency, language, &section, out);
            }
        }
    }
}

fn read_dependency(
    dependency: &Scalar,
    language: Option<&str>,
    section: &str,
    out: &mut Vec<Item>,
) {
    let value = dependency.value.as_str();
    let map = match dependency.verbatim_start {
        Some(start) => SpanMap::contiguous(start, value.len()),
        None => SpanMap::opaque(dependency.span.clone()),
    };
    match language {
        Some("python" | "python_venv") => out.push(match parse_requirement(value, &map, section) {
            Ok(req) => Item::Requirement(req),
            Err(error) => Item::ParseError(error),
        }),
        Some("node") => {
            if let Some(req) = npm_requirement(dependency, section) {
                out.push(Item::Requirement(req));
            }
        }
        Some(_) => {}
        None => {
            if let Ok(req) = parse_requirement(value, &map, section) {
                out.push(Item::Requirement(req));
            }
        }
    }
}

/// An npm spec as a requirement: `name`, `name@version`, `@scope/name@version`.
/// Git, URL, path and alias specs are not read.
fn npm_requirement(dependency: &Scalar, section: &str) -> Option<Requirement> {
    let value = dependency.value.trim_end();
    let leading = dependency.value.len() - dependency.value.trim_start().len();
    let value = &value[leading.min(value.len())..];
    if value.is_empty() || value.contains("://") || value.contains(':') && !value.contains('@') {
        return None;
    }
    // The `@` of a scope starts the name; the version follows the next one.
    let split = value
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '@')
        .map(|(at, _)| at);
    let (name, version) = match split {
        Some(at) => (&value[..at], Some(&value[at + 1..])),
        None => (value, None),
    };
    if name.is_empty()
        || name.contains(['/', ':']) && !name.starts_with('@')
        || version.is_some_and(|v| v.contains([':', '/', '#']))
    {
        return None;
    }
    let name_range = leading..leading + name.len();
    let whole = leading..leading + value.len();
    let (specifier, specifier_span, clauses, pin) = match version {
        None | Some("") => (String::new(), None, Vec::new(), Pin::None),
        Some(version) => {
            let range = name_range.end + 1..whole.end;
            let span = dependency.span_of(range);
            let pin = if is_exact_semver(version) {
                Pin::Exact
            } else {
                Pin::Range
            };
            let clause = Clause {
                operator: Cow::Borrowed(""),
                version: version.into(),
                span: span.clone(),
            };
            (version.to_string(), Some(span), vec![clause], pin)
        }
    };
    Some(Requirement {
        specifier: specifier.into(),
        specifier_span,
        clauses,
        pin,
        ..Requirement::named(
            dependency.span_of(whole),
            name,
            dependency.span_of(name_range),
            section,
        )
    })
}

/// One semver release, `1.2.3` with an optional `-pre` and `+build` (a leading `=` or
/// `v` is allowed, as npm allows it): anything else names a range or a moving tag.
fn is_exact_semver(version: &str) -> bool {
    let version = version.strip_prefix('=').unwrap_or(version);
    let version = version.strip_prefix('v').unwrap_or(version);
    let core = version.split(['-', '+']).next().unwrap_or("");
    let suffix_ok = version[core.len()..]
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'));
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
        && suffix_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA: &str = "5b6aa1a6bc5ad4d5f2ec4ed5d1b6c89d4d1e59b2";

    fn requirements(items: &[Item]) -> Vec<&Requirement> {
        items
            .iter()
            .filter_map(|item| match item {
                Item::Requirement(req) => Some(req),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn revs_and_frozen_comments() {
        let text = format!(
            "repos:\n- repo: https://github.com/psf/black\n  rev: {SHA}  # frozen: 24.1.0\n  hooks: [{{id: black}}]\n- repo: https://github.com/a/b\n  rev: v1.0\n- repo: local\n  hooks: []\n- repo: meta\n- repo: https://github.com/c/d\n"
        );
        let items = parse(&text);
        let revs: Vec<(&str, &str, Option<&str>)> = items
            .iter()
            .filter_map(|item| match item {
                Item::HookRev(hook) => Some((
                    &text[hook.span.clone()],
                    hook.pin.as_str(),
                    hook.comment.as_deref(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            revs,
            [
                (SHA, "commit", Some("frozen: 24.1.0")),
                ("v1.0", "ref", None),
                ("https://github.com/c/d", "none", None),
            ]
        );
    }

    #[test]
    fn python_dependencies_are_requirements_with_spans() {
        let text = "repos:\n- repo: https://github.com/pre-commit/mirrors-mypy\n  rev: v1.0\n  hooks:\n  - id: mypy\n    additional_dependencies: [types-requests==2.31.0.6, 'pydantic>=2', attrs, \"bad req !\"]\n";
        let items = parse(text);
        let reqs = requirements(&items);
        let got: Vec<(&str, &str)> = reqs
            .iter()
            .map(|r| (&text[r.version_span()], r.pin.as_str()))
            .collect();
        assert_eq!(
            got,
            [("==2.31.0.6", "exact"), (">=2", "range"), ("attrs", "none")]
        );
        assert_eq!(reqs[0].section, "hooks.mypy.additional_dependencies");
        // Without a language, what is not PEP 508 is another language's spec.
        assert!(!items.iter().any(|item| matches!(item, Item::ParseError(_))));
        let python = text.replace("- id: mypy", "- id: mypy\n    language: python");
        assert!(
            parse(&python)
                .iter()
                .any(|item| matches!(item, Item::ParseError(_)))
        );
    }

    #[test]
    fn node_dependencies() {
        let text = "repos:\n- repo: local\n  hooks:\n  - id: eslint\n    language: node\n    additional_dependencies:\n    - eslint@8.57.0\n    - '@scope/plugin@^1.2.0'\n    - prettier\n    - typescript@latest\n    - git+https://x/y.git\n";
        let items = parse(text);
        let got: Vec<(&str, &str, &str)> = requirements(&items)
            .iter()
            .map(|r| {
                (
                    r.name.as_deref().unwrap(),
                    &text[r.version_span()],
                    r.pin.as_str(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("eslint", "8.57.0", "exact"),
                ("@scope/plugin", "^1.2.0", "range"),
                ("prettier", "prettier", "none"),
                ("typescript", "latest", "range"),
            ]
        );
    }

    #[test]
    fn semver() {
        for exact in ["1.2.3", "v1.2.3", "=1.2.3", "1.0.0-rc.1", "1.0.0+b"] {
            assert!(is_exact_semver(exact), "{exact}");
        }
        for range in [
            "1",
            "1.2",
            "^1.2.3",
            "~1.2.3",
            "1.x",
            "*",
            ">=1.0.0",
            "1.2.3 - 2",
            "",
        ] {
            assert!(!is_exact_semver(range), "{range}");
        }
    }

    #[test]
    fn hostile_shapes_do_not_panic() {
        for text in [
            "repos: 1",
            "repos: [1, [2], {repo: 3}]",
            "repos:\n- repo: x\n  hooks: [{additional_dependencies: [1, [2], '@', '@@', '@a@', ' @x@1 ']}]",
            "repos:\n- repo: x\n  hooks: [{language: node, additional_dependencies: ['@', '@@', '@a@', ' @x@1 ', 'é@1', '@/@']}]",
            "repos: [",
        ] {
            let _ = parse(text);
        }
    }
}
