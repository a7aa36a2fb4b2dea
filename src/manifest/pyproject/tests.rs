use super::*;
use crate::manifest::{ParseError, Pin};

fn requirements(text: &str) -> Vec<Requirement> {
    parse(text)
        .into_iter()
        .filter_map(|item| match item {
            Item::Requirement(req) => Some(req),
            Item::ParseError(err) => panic!("unexpected error {err:?}"),
            _ => None,
        })
        .collect()
}

fn errors(text: &str) -> Vec<ParseError> {
    parse(text)
        .into_iter()
        .filter_map(|item| match item {
            Item::ParseError(err) => Some(err),
            _ => None,
        })
        .collect()
}

/// (name, section, pin) of each requirement.
fn summary(text: &str) -> Vec<(String, String, Pin)> {
    requirements(text)
        .into_iter()
        .map(|r| {
            (
                r.name.unwrap_or_default().into(),
                r.section.into_owned(),
                r.pin,
            )
        })
        .collect()
}

fn row(name: &str, section: &str, pin: Pin) -> (String, String, Pin) {
    (name.to_string(), section.to_string(), pin)
}

#[test]
fn pep621_dependencies_and_extras_with_exact_spans() {
    let text = r#"[project]
name = "app"
dependencies = [
    "requests [socks] >= 2.31, < 3 ; python_version >= '3.9'",
    'flask==3.0.3',
]

[project.optional-dependencies]
test = ["pytest==8.2.0"]
"#;
    let reqs = requirements(text);
    assert_eq!(reqs.len(), 3);
    let r = &reqs[0];
    assert_eq!(
        &text[r.span.clone()],
        "\"requests [socks] >= 2.31, < 3 ; python_version >= '3.9'\""
    );
    assert_eq!(&text[r.name_span.clone().unwrap()], "requests");
    assert_eq!(&text[r.specifier_span.clone().unwrap()], ">= 2.31, < 3");
    assert_eq!(&text[r.clauses[1].span.clone()], "< 3");
    assert_eq!(
        &text[r.marker_span.clone().unwrap()],
        "python_version >= '3.9'"
    );
    assert_eq!(r.extras, vec!["socks"]);
    assert_eq!((&*r.section, r.pin), ("project.dependencies", Pin::Range));
    assert_eq!(&text[reqs[1].span.clone()], "'flask==3.0.3'");
    assert_eq!(&text[reqs[1].specifier_span.clone().unwrap()], "==3.0.3");
    assert_eq!(reqs[1].pin, Pin::Exact);
    assert_eq!(reqs[2].section, "project.optional-dependencies.test");
}

#[test]
fn multi_line_and_escaped_strings() {
    let text = "[project]\ndependencies = [\"\"\"\nattrs>=23\"\"\", \"re\\u0071uests==1.0\"]\n";
    let reqs = requirements(text);
    assert_eq!(&text[reqs[0].name_span.clone().unwrap()], "attrs");
    assert_eq!(&text[reqs[0].specifier_span.clone().unwrap()], ">=23");
    // An escape breaks the byte correspondence: inner spans cover the literal.
    let literal = "\"re\\u0071uests==1.0\"";
    assert_eq!(reqs[1].name.as_deref(), Some("requests"));
    assert_eq!(&text[reqs[1].name_span.clone().unwrap()], literal);
    assert_eq!(&text[reqs[1].span.clone()], literal);
    assert_eq!(reqs[1].pin, Pin::Exact);
}

#[test]
fn build_system_uv_pdm_and_hatch_sections() {
    let text = r#"[build-system]
requires = ["setuptools>=68", "wheel"]

[tool.uv]
dev-dependencies = ["ruff==0.5.0"]
constraint-dependencies = ["urllib3<2"]
override-dependencies = ["numpy==1.26.4"]

[tool.pdm.dev-dependencies]
lint = ["flake8>=7", "-e git+https://github.com/o/lib.git@main#egg=lib"]
local = ["-e file:///${PROJECT_ROOT}/packages/core", "-e   ./plugins/foo"]

[tool.hatch.envs.default]
dependencies = ["coverage[toml]>=6.5"]
extra-dependencies = ["mypy==1.10.0"]
"#;
    assert_eq!(
        summary(text),
        vec![
            row("setuptools", "build-system.requires", Pin::Range),
            row("wheel", "build-system.requires", Pin::None),
            row("ruff", "tool.uv.dev-dependencies", Pin::Exact),
            row("urllib3", "tool.uv.constraint-dependencies", Pin::Range),
            row("numpy", "tool.uv.override-dependencies", Pin::Exact),
            row("flake8", "tool.pdm.dev-dependencies.lint", Pin::Range),
            row("lib", "tool.pdm.dev-dependencies.lint", Pin::VcsRef),
            row("", "tool.pdm.dev-dependencies.local", Pin::Url),
            row("", "tool.pdm.dev-dependencies.local", Pin::Url),
            row(
                "coverage",
                "tool.hatch.envs.default.dependencies",
                Pin::Range
            ),
            row(
                "mypy",
                "tool.hatch.envs.default.extra-dependencies",
                Pin::Exact
            ),
        ]
    );
    let reqs = requirements(text);
    let editable = &reqs[6];
    assert!(editable.editable && !reqs[5].editable);
    assert_eq!(&text[editable.name_span.clone().unwrap()], "lib");
    let url = editable.url.as_ref().unwrap();
    assert_eq!(
        &text[url.span.clone()],
        "git+https://github.com/o/lib.git@main#egg=lib"
    );
    assert_eq!(url.rev.as_deref(), Some("main"));
    let local = reqs[8].url.as_ref().unwrap();
    assert!(local.local_path && reqs[8].editable);
    assert_eq!(&text[local.span.clone()], "./plugins/foo");
}

#[test]
fn pep508_name_at_url_and_editable_named_entries() {
    let text = r#"[tool.pdm.dev-dependencies]
dev = ["-e mylib @ git+https://github.com/o/mylib.git@0123456789abcdef0123456789abcdef01234567"]
[project]
dependencies = ["pkg @ https://example.org/pkg-1.0.tar.gz#sha256=abcd"]
"#;
    let reqs = requirements(text);
    assert_eq!(reqs[0].section, "tool.pdm.dev-dependencies.dev");
    assert_eq!((reqs[0].pin, reqs[0].editable), (Pin::VcsCommit, true));
    assert_eq!(&text[reqs[0].name_span.clone().unwrap()], "mylib");
    assert_eq!(reqs[1].pin, Pin::Exact);
}

#[test]
fn dependency_groups_and_includes() {
    let text = r#"[dependency-groups]
test = ["pytest>=8", { include-group = "Type_Check" }]
type-check = ["mypy==1.10.0"]
bad = [{ include-group = "missing" }, 42, { other = "x" }, "not a requirement!"]
"#;
    let items = parse(text);
    let reqs: Vec<_> = items
        .iter()
        .filter_map(|i| match i {
            Item::Requirement(r) => Some((r.name.clone().unwrap(), r.section.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        reqs,
        vec![
            ("pytest".into(), "dependency-groups.test".into()),
            ("mypy".into(), "dependency-groups.type-check".into()),
        ]
    );
    let errs = errors(text);
    let spans: Vec<&str> = errs.iter().map(|e| &text[e.span.clone()]).collect();
    assert_eq!(spans.len(), 4, "{errs:?}");
    assert_eq!(spans[0], "\"missing\"");
    assert!(errs[0].message.contains("not a dependency group"));
    assert_eq!(spans[1], "42");
    assert!(errs[1].message.contains("got an integer"));
    assert_eq!(spans[2], "{ other = \"x\" }");
    assert!(text[errs[3].span.clone()].len() < "\"not a requirement!\"".len() + 1);
    assert!(errs[3].span.start > text.find("\"not a").unwrap());
}

#[test]
fn pep518_invalid_requires_gives_one_error_per_element() {
    let text = "[build-system]\nrequires = [1, 2, 3]\n";
    let errs = errors(text);
    let spans: Vec<&str> = errs.iter().map(|e| &text[e.span.clone()]).collect();
    assert_eq!(spans, vec!["1", "2", "3"]);
    assert!(errs[0].message.contains("build-system.requires"));
}

#[test]
fn wrong_container_types_are_errors() {
    let text =
        "[project]\ndependencies = \"requests\"\noptional-dependencies = 3\n[tool]\npoetry = 1\n";
    let errs = errors(text);
    let spans: Vec<&str> = errs.iter().map(|e| &text[e.span.clone()]).collect();
    assert_eq!(spans, vec!["\"requests\"", "3", "1"]);
}

#[test]
fn malformed_toml_is_a_single_error() {
    for text in [
        "[project\n",
        "[project]\ndependencies = [\"a\",\n",
        "a = 1\na = 2\n",
        "x = \"\\q\"",
        "[project]\n[project]\n",
    ] {
        let items = parse(text);
        assert_eq!(items.len(), 1, "{text:?}");
        let Item::ParseError(err) = &items[0] else {
            panic!("{text:?}: {items:?}")
        };
        assert!(err.span.end <= text.len() && err.span.start <= err.span.end);
    }
}

#[test]
fn poetry_string_constraints() {
    let text = r#"[tool.poetry.dependencies]
python = "^3.9"
requests = "^2.31"
flask = "3.0.3"
django = "==4.2.*"
numpy = "*"
attrs = ">=22, <24"
"zope.interface" = "~6.0"
rich = "13.7.1 || 13.8.0"
Pillow = "=10.3.0"
"#;
    assert_eq!(
        summary(text),
        vec![
            row("requests", "tool.poetry.dependencies", Pin::Range),
            row("flask", "tool.poetry.dependencies", Pin::Exact),
            row("django", "tool.poetry.dependencies", Pin::Wildcard),
            row("numpy", "tool.poetry.dependencies", Pin::None),
            row("attrs", "tool.poetry.dependencies", Pin::Range),
            row("zope.interface", "tool.poetry.dependencies", Pin::Range),
            row("rich", "tool.poetry.dependencies", Pin::Range),
            row("Pillow", "tool.poetry.dependencies", Pin::Exact),
        ]
    );
    let reqs = requirements(text);
    let requests = &reqs[0];
    assert_eq!(&text[requests.span.clone()], "requests = \"^2.31\"");
    assert_eq!(&text[requests.name_span.clone().unwrap()], "requests");
    assert_eq!(requests.specifier, "^2.31");
    assert_eq!(&text[requests.specifier_span.clone().unwrap()], "^2.31");
    assert_eq!(
        (
            &*requests.clauses[0].operator,
            requests.clauses[0].version.as_str()
        ),
        ("^", "2.31")
    );
    assert_eq!(reqs[1].clauses[0].operator, "");
    let attrs = &reqs[4];
    assert_eq!(&text[attrs.clauses[1].span.clone()], "<24");
    assert_eq!(
        &text[reqs[5].name_span.clone().unwrap()],
        "\"zope.interface\""
    );
    assert_eq!(reqs[5].name.as_deref(), Some("zope.interface"));
    assert!(reqs[3].clauses.is_empty() && reqs[3].specifier == "*");
}

#[test]
fn poetry_tables_git_path_url_and_markers() {
    let text = r#"[tool.poetry.dependencies]
pendulum = { version = "^2.0", extras = ["tz"], markers = "sys_platform == 'linux'", optional = true }
lib-a = { git = "https://github.com/o/a.git", branch = "main" }
lib-b = { git = "https://github.com/o/b.git", rev = "0123456789abcdef0123456789abcdef01234567" }
lib-c = { git = "https://github.com/o/c.git", tag = "0123456789abcdef0123456789abcdef01234567" }
local = { path = "../local", develop = true }
wheel = { url = "https://example.org/w-1.0-py3-none-any.whl" }

[tool.poetry.dev-dependencies]
pytest = "8.2.0"

[tool.poetry.group.docs.dependencies]
sphinx = { version = "7.3.7", source = "pypi" }

[tool.poetry.group.docs.dependencies.furo]
version = "^2024.1"
"#;
    assert_eq!(
        summary(text),
        vec![
            row("pendulum", "tool.poetry.dependencies", Pin::Range),
            row("lib-a", "tool.poetry.dependencies", Pin::VcsRef),
            row("lib-b", "tool.poetry.dependencies", Pin::VcsCommit),
            row("lib-c", "tool.poetry.dependencies", Pin::VcsRef),
            row("local", "tool.poetry.dependencies", Pin::Url),
            row("wheel", "tool.poetry.dependencies", Pin::Url),
            row("pytest", "tool.poetry.dev-dependencies", Pin::Exact),
            row("sphinx", "tool.poetry.group.docs.dependencies", Pin::Exact),
            row("furo", "tool.poetry.group.docs.dependencies", Pin::Range),
        ]
    );
    let reqs = requirements(text);
    let pendulum = &reqs[0];
    assert!(text[pendulum.span.clone()].starts_with("pendulum = {"));
    assert!(text[pendulum.span.clone()].ends_with("optional = true }"));
    assert_eq!(&text[pendulum.specifier_span.clone().unwrap()], "^2.0");
    assert_eq!(pendulum.extras, vec!["tz"]);
    assert_eq!(
        &text[pendulum.marker_span.clone().unwrap()],
        "sys_platform == 'linux'"
    );
    let git = reqs[1].url.as_ref().unwrap();
    assert_eq!(&text[git.span.clone()], "https://github.com/o/a.git");
    assert_eq!(
        (git.vcs.as_deref(), git.rev.as_deref()),
        (Some("git"), Some("main"))
    );
    assert!(reqs[4].editable && reqs[4].url.as_ref().unwrap().local_path);
    let furo = &reqs[8];
    assert_eq!(
        &text[furo.span.clone()],
        "[tool.poetry.group.docs.dependencies.furo]"
    );
    assert_eq!(&text[furo.name_span.clone().unwrap()], "furo");
    assert_eq!(&text[furo.specifier_span.clone().unwrap()], "^2024.1");
}

#[test]
fn poetry_multiple_constraints_give_one_requirement_each() {
    let text = r#"[tool.poetry.dependencies]
foo = [
    { version = "<=1.9", python = ">=3.6,<3.8" },
    { version = "^2.0", python = ">=3.8" },
]
"#;
    let reqs = requirements(text);
    assert_eq!(reqs.len(), 2);
    assert_eq!(
        &text[reqs[0].span.clone()],
        "{ version = \"<=1.9\", python = \">=3.6,<3.8\" }"
    );
    assert_eq!(&text[reqs[1].specifier_span.clone().unwrap()], "^2.0");
    assert!(reqs.iter().all(|r| r.name.as_deref() == Some("foo")));
    assert!(
        reqs.iter()
            .all(|r| &text[r.name_span.clone().unwrap()] == "foo")
    );
}

#[test]
fn poetry_errors_point_at_the_bad_value() {
    let text = r#"[tool.poetry.dependencies]
a = "^"
b = ">=1.0, <foo"
c = 3
d = { version = 2 }
e = { version = "1.0", extras = "x" }
f = ["1.0"]
g = { version = "1.0", python = "^^3" }
"#;
    let errs = errors(text);
    let spans: Vec<&str> = errs.iter().map(|e| &text[e.span.clone()]).collect();
    assert_eq!(
        spans,
        vec!["^", "<foo", "3", "2", "\"x\"", "\"1.0\"", "^^3"]
    );
    assert!(errs[0].message.contains("missing version"), "{errs:?}");
    assert!(errs[2].message.contains("dependency `c`"));
}

#[test]
fn poetry_entries_that_only_enrich_project_dependencies_are_not_requirements() {
    let text = r#"[project]
dependencies = ["requests==2.32.3", "mylib"]

[tool.poetry.dependencies]
requests = { source = "internal" }
mylib = { git = "https://github.com/o/mylib.git", branch = "main" }
other = { source = "internal" }

[tool.poetry.group.dev.dependencies]
pytest = { source = "internal" }
"#;
    assert_eq!(
        summary(text),
        vec![
            row("requests", "project.dependencies", Pin::Exact),
            row("mylib", "project.dependencies", Pin::None),
            row("mylib", "tool.poetry.dependencies", Pin::VcsRef),
            row("other", "tool.poetry.dependencies", Pin::None),
            row("pytest", "tool.poetry.group.dev.dependencies", Pin::None),
        ]
    );
}

proptest::proptest! {
    #[test]
    fn never_panics_and_spans_stay_on_char_boundaries(text in "(\\[project\\]\ndependencies = \\[|\\[tool.poetry.dependencies\\]\n|\\[dependency-groups\\]\n|[a-z_\"\' =\\[\\]{},.^~*|<>!;@#:/+\\\\0-9é\n-]){0,60}") {
        for item in parse(&text) {
            for span in crate::manifest::toml_spans::item_spans(&item) {
                proptest::prop_assert!(span.start <= span.end && span.end <= text.len());
                proptest::prop_assert!(text.get(span).is_some());
            }
        }
    }

    #[test]
    fn poetry_constraints_never_panic(input in "[ 0-9.*^~=<>!|,xva-]{0,24}") {
        if let Ok(constraint) = poetry::parse_constraint(&input) {
            for (_, _, span) in constraint.clauses {
                proptest::prop_assert!(input.get(span).is_some());
            }
        }
    }
}

/// poetry-core reads `*.*`, `x.x` and `v*.*` as any version: unpinned, not an error.
#[test]
fn poetry_any_version_spellings_are_unpinned() {
    let text = "[tool.poetry.dependencies]\na = \"*.*\"\nb = \"v*.*\"\nc = \"x.x\"\n";
    let pins: Vec<(String, Pin)> = parse(text)
        .into_iter()
        .map(|item| match item {
            Item::Requirement(req) => (req.name.unwrap().into(), req.pin),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        pins,
        [
            ("a".to_string(), Pin::None),
            ("b".to_string(), Pin::None),
            ("c".to_string(), Pin::None),
        ]
    );
}
