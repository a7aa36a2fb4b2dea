//! Every built-in rule's `[examples]` are part of its contract: each `flagged` snippet
//! must produce at least one finding of that rule, each `clean` snippet none. The
//! snippets run through the whole library pipeline (discovery, parsing, evaluation),
//! one temporary file per snippet, with only that rule selected.

use std::path::PathBuf;

use pinwarden::config::Settings;
use pinwarden::manifest::ManifestKind;
use pinwarden::policy::{Rule, RuleSet};
use pinwarden::{CheckInput, check};

/// The file a snippet of `kind` is written to, unless the rule names one.
fn file_name_for(kind: &str) -> &'static str {
    match ManifestKind::from_name(kind).expect("rule loader validated the kind") {
        ManifestKind::Requirements => "requirements.txt",
        ManifestKind::Pyproject => "pyproject.toml",
        ManifestKind::SetupCfg => "setup.cfg",
        ManifestKind::Pipfile => "Pipfile",
        ManifestKind::Dotenv => ".env.example",
        ManifestKind::PipConfig => "pip.conf",
        ManifestKind::Dockerfile => "Dockerfile",
        ManifestKind::Shell => "setup.sh",
        ManifestKind::Workflow => ".github/workflows/ci.yml",
        ManifestKind::Action => "action.yml",
        ManifestKind::PreCommit => ".pre-commit-config.yaml",
        ManifestKind::PackageJson => "package.json",
        ManifestKind::PnpmLock => "pnpm-lock.yaml",
        ManifestKind::NpmLock => "package-lock.json",
        ManifestKind::YarnLock => "yarn.lock",
        ManifestKind::Npmrc => ".npmrc",
        ManifestKind::PnpmWorkspace => "pnpm-workspace.yaml",
        ManifestKind::UvLock => "uv.lock",
        ManifestKind::PoetryLock => "poetry.lock",
        ManifestKind::PdmLock => "pdm.lock",
        ManifestKind::PipfileLock => "Pipfile.lock",
        ManifestKind::Pylock => "pylock.toml",
    }
}

/// How many findings of `rule` one snippet produces.
fn findings_of(rule: &Rule, rules: &RuleSet, file_name: &str, snippet: &str) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(file_name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, snippet).unwrap();
    let settings = Settings {
        select: Some(vec![rule.name.clone()]),
        ..Settings::default()
    };
    // The file is named explicitly, so a user's global gitignore (which often lists
    // `.env`) cannot hide it from the check.
    let input = CheckInput {
        paths: vec![PathBuf::from(&path)],
        ..CheckInput::default()
    };
    let outcome = check(&input, rules, &settings);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    assert!(
        outcome.files.iter().any(|f| *f.manifest.path == *path),
        "{file_name} was not discovered as a manifest"
    );
    outcome
        .findings
        .iter()
        .filter(|f| f.rule.name == rule.name)
        .count()
}

#[test]
fn every_builtin_rule_example_behaves_as_documented() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in &rules.rules {
        let Some(examples) = rule.examples() else {
            continue;
        };
        let file_name = examples
            .file_name
            .as_deref()
            .unwrap_or_else(|| file_name_for(&examples.kind));
        for snippet in &examples.flagged {
            checked += 1;
            if findings_of(rule, &rules, file_name, snippet) == 0 {
                failures.push(format!("{}: not flagged: {snippet:?}", rule.name));
            }
        }
        for snippet in &examples.clean {
            checked += 1;
            let count = findings_of(rule, &rules, file_name, snippet);
            if count > 0 {
                failures.push(format!(
                    "{}: {count} finding(s) for clean {snippet:?}",
                    rule.name
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 0, "no rule has examples");
}

#[test]
fn secret_rules_redact_and_are_documented() {
    let rules = RuleSet::builtin().unwrap();
    let secret_rules: Vec<_> = rules
        .rules
        .iter()
        .filter(|rule| rule.name.starts_with("secret-"))
        .collect();
    assert!(secret_rules.len() >= 10, "{}", secret_rules.len());
    for rule in secret_rules {
        assert!(rule.redact, "{} must set redact = true", rule.name);
        assert!(
            rule.docs.contains("Not flagged"),
            "{} docs must say what is not flagged",
            rule.name
        );
        let examples = rule.examples().unwrap();
        assert!(
            !examples.flagged.is_empty() && !examples.clean.is_empty(),
            "{} needs flagged and clean examples",
            rule.name
        );
    }
}

/// `duplicate-requirement` in TOML manifests, where the shapes differ from requirement
/// files: a Poetry multiple-constraints entry is one declaration, and a project's extras
/// referring to its own other extras are not duplicates.
#[test]
fn duplicate_requirement_in_pyproject() {
    let rules = RuleSet::builtin().unwrap();
    let rule = rules
        .rules
        .iter()
        .find(|rule| rule.name == "duplicate-requirement")
        .unwrap();
    let count = |snippet: &str| findings_of(rule, &rules, "pyproject.toml", snippet);
    let poetry_multiple_constraints = r#"
[tool.poetry.dependencies]
python = "^3.8"
cython = [
    { version = "<3.0", python = "<3.13" },
    { version = ">=3.0", python = ">=3.13" },
]
"#;
    assert_eq!(count(poetry_multiple_constraints), 0);
    let self_referring_extras = r#"
[project]
name = "app"
version = "1"
[project.optional-dependencies]
all = ["app[cli]", "app[server]"]
"#;
    assert_eq!(count(self_referring_extras), 0);
    let repeated_in_one_extra = r#"
[project]
name = "app"
version = "1"
[project.optional-dependencies]
test = ["datasets!=2.5.0", "pytest==8.3.3", "Datasets != 2.5.0"]
docs = ["datasets!=2.5.0"]
"#;
    assert_eq!(count(repeated_in_one_extra), 1);
    let poetry_key_and_group = r#"
[tool.poetry.dependencies]
requests = "2.32.3"
[tool.poetry.group.dev.dependencies]
requests = "2.32.3"
"#;
    assert_eq!(count(poetry_key_and_group), 0);
}

/// The index rules over package sources in `Pipfile` and `pyproject.toml`: each case is
/// (file, snippet, insecure-index, extra-index-url, secret-requirement-credentials).
#[test]
fn index_rules_in_toml_manifests() {
    let rules = RuleSet::builtin().unwrap();
    let rule = |name: &str| rules.rules.iter().find(|rule| rule.name == name).unwrap();
    let cases: &[(&str, &str, usize, usize, usize)] = &[
        // pipenv: later sources serve only packages that name them.
        (
            "Pipfile",
            "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n[[source]]\nurl = \"https://${USER}:${PASSWORD}@pypi.internal/simple\"\nverify_ssl = true\nname = \"internal\"\n\n[packages]\nrequests = \"==2.32.3\"\n",
            0,
            0,
            0,
        ),
        (
            "Pipfile",
            "[[source]]\nurl = \"http://pypi.internal/simple\"\nverify_ssl = false\nname = \"internal\"\n",
            2,
            0,
            0,
        ),
        (
            "Pipfile",
            "[[source]]\nurl = \"https://pypi.org/simple\"\nname = \"pypi\"\n\n[[source]]\nurl = \"https://deploy:Qm7vX2pLk9Rt@pypi.internal/simple\"\nname = \"internal\"\n",
            0,
            0,
            1,
        ),
        // uv: first-index by default, mixed only under an unsafe strategy.
        (
            "pyproject.toml",
            "[[tool.uv.index]]\nname = \"pytorch\"\nurl = \"https://download.pytorch.org/whl/cpu\"\n\n[tool.uv]\nextra-index-url = [\"https://pypi.internal/simple\"]\n",
            0,
            0,
            0,
        ),
        (
            "pyproject.toml",
            "[tool.uv]\nindex-strategy = \"unsafe-best-match\"\n\n[[tool.uv.index]]\nname = \"internal\"\nurl = \"https://pypi.internal/simple\"\n",
            0,
            1,
            0,
        ),
        (
            "pyproject.toml",
            "[[tool.uv.index]]\nname = \"internal\"\nurl = \"http://ci:Qm7vX2pLk9Rt@pypi.internal/simple\"\nexplicit = true\n\n[tool.uv]\nallow-insecure-host = [\"pypi.internal\"]\n",
            2,
            0,
            1,
        ),
        // Poetry: primary and secondary sources are mixed; supplemental and explicit not.
        (
            "pyproject.toml",
            "[[tool.poetry.source]]\nname = \"internal\"\nurl = \"https://pypi.internal/simple\"\npriority = \"supplemental\"\n\n[[tool.poetry.source]]\nname = \"torch\"\nurl = \"https://download.pytorch.org/whl/cpu\"\npriority = \"explicit\"\n",
            0,
            0,
            0,
        ),
        (
            "pyproject.toml",
            "[[tool.poetry.source]]\nname = \"internal\"\nurl = \"https://pypi.internal/simple\"\n\n[[tool.poetry.source]]\nname = \"PyPI\"\npriority = \"primary\"\n",
            0,
            1,
            0,
        ),
        (
            "pyproject.toml",
            "[[tool.poetry.source]]\nname = \"internal\"\nurl = \"http://pypi.internal/simple\"\nsecondary = true\n",
            1,
            1,
            0,
        ),
        // PDM: sources are searched together with PyPI, as with pip.
        (
            "pyproject.toml",
            "[[tool.pdm.source]]\nname = \"internal\"\nurl = \"https://${PDM_USER}:${PDM_PASSWORD}@pypi.internal/simple\"\nverify_ssl = true\n",
            0,
            1,
            0,
        ),
        (
            "pyproject.toml",
            "[[tool.pdm.source]]\nname = \"pypi\"\nurl = \"https://1Aa2Bb3Cc4Dd5Ee6Ff7Gg8Hh@pypi.fury.io/acme/\"\nverify_ssl = false\n",
            1,
            0,
            1,
        ),
        (
            "pyproject.toml",
            "[tool.pdm.resolution]\nrespect-source-order = true\n\n[[tool.pdm.source]]\nname = \"internal\"\nurl = \"https://pypi.internal/simple\"\n",
            0,
            0,
            0,
        ),
        // Dependency URLs in TOML manifests carry credentials too.
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\"lib @ git+https://ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp@github.com/acme/lib@3f6a1c2d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f\"]\n",
            0,
            0,
            1,
        ),
    ];
    let mut failures = Vec::new();
    for (file_name, snippet, insecure, extra, secret) in cases {
        let counts = [
            ("insecure-index", *insecure),
            ("extra-index-url", *extra),
            ("secret-requirement-credentials", *secret),
        ];
        for (name, expected) in counts {
            let found = findings_of(rule(name), &rules, file_name, snippet);
            if found != expected {
                failures.push(format!(
                    "{name}: {found} finding(s), expected {expected}, in {file_name}:\n{snippet}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
