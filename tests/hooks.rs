//! The pre-commit hook's `files` pattern selects exactly the files pinwarden reads:
//! pre-commit names files explicitly, and pinwarden lints any explicitly named `.txt`
//! as a requirement file, so a broader pattern would lint `docs/notes.txt`.

use std::path::Path;

use pinwarden::discover::classify;
use regex::Regex;

/// The hooks of .pre-commit-hooks.yaml, each as its `key: value` lines.
fn hooks() -> Vec<Vec<(String, String)>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let mut hooks: Vec<Vec<(String, String)>> = Vec::new();
    for line in text.lines().filter(|line| !line.starts_with('#')) {
        let Some((key, value)) = line.trim_start_matches("- ").trim().split_once(": ") else {
            continue;
        };
        if line.starts_with("- ") {
            hooks.push(Vec::new());
        }
        let hook = hooks.last_mut().expect("a key before the first hook");
        hook.push((key.to_string(), value.to_string()));
    }
    hooks
}

fn value<'a>(hook: &'a [(String, String)], key: &str) -> &'a str {
    hook.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no `{key}` in {hook:?}"))
}

/// The single-quoted value of `key:`, the same in every hook.
fn hook_pattern(key: &str) -> Regex {
    let hooks = hooks();
    let quoted = value(&hooks[0], key);
    for hook in &hooks {
        assert_eq!(
            value(hook, key),
            quoted,
            "`{key}` differs between the hooks"
        );
    }
    let pattern = quoted
        .strip_prefix('\'')
        .unwrap()
        .strip_suffix('\'')
        .unwrap();
    Regex::new(pattern).unwrap()
}

/// The Rust hook (built with `cargo install`) and the Python one (the wheel of
/// pyproject.toml, built from Cargo.lock) run the same command on the same files.
#[test]
fn the_rust_and_python_hooks_are_one_hook_built_two_ways() {
    let hooks = hooks();
    let built: Vec<(&str, &str)> = hooks
        .iter()
        .map(|hook| (value(hook, "id"), value(hook, "language")))
        .collect();
    assert_eq!(
        built,
        [("pinwarden", "rust"), ("pinwarden-python", "python")]
    );
    for key in [
        "name",
        "entry",
        "files",
        "exclude",
        "minimum_pre_commit_version",
    ] {
        assert_eq!(value(&hooks[0], key), value(&hooks[1], key), "{key}");
    }
    let keys = |hook: &[(String, String)]| hook.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&hooks[0]), keys(&hooks[1]));
}

#[test]
fn hook_files_pattern_matches_classify() {
    let files = hook_pattern("files");
    let exclude = hook_pattern("exclude");
    let paths = [
        "requirements.txt",
        "requirements-dev.txt",
        "dev-requirements.in",
        "app/Requirements/base.txt",
        "requirements/prod/extra.pip",
        "constraints.txt",
        "svc/pyproject.toml",
        "setup.cfg",
        "Pipfile",
        "Pipfile.lock",
        ".env",
        ".env.local",
        ".env.example",
        "prod.env",
        "prod.env.example",
        "deploy/env.sample",
        ".envrc",
        "env.py",
        "docs/notes.txt",
        "MANIFEST.in",
        "requirements/MANIFEST.in",
        "pyproject.toml.bak",
        "setup.py",
        "uv.lock",
        "a/poetry.lock",
        "pdm.lock",
        "pylock.toml",
        "pylock.dev.toml",
        "pylock.a.b.toml",
        "UV.LOCK",
        "Cargo.lock",
        "tox.ini",
        "pip.conf",
        "uv.toml",
        "Dockerfile",
        "backend/Dockerfile.dev",
        "api.Dockerfile",
        "Containerfile",
        "Dockerfile.dockerignore",
        "Dockerfile.j2",
        "Dockerfile.devpy",
        "Dockerfile.prod.yml",
        "src/manifest/dockerfile.rs",
        "dockerfile.dev",
        "deploy/prod.dockerfile",
        ".github/workflows/ci.yml",
        "svc/.github/workflows/release.YAML",
        ".github/workflows/nested/ci.yml",
        ".github/dependabot.yml",
        "action.yml",
        "actions/setup/action.yaml",
        ".pre-commit-config.yaml",
        ".pre-commit-config.yml",
        ".pre-commit-hooks.yaml",
        "docker-compose.yml",
        "frontend/package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "pnpm-lock.yaml",
        "pnpm-workspace.yaml",
        "yarn.lock",
        ".npmrc",
        "Package.json",
        "node_modules/left-pad/package.json",
        "tsconfig.json",
    ];
    for path in paths {
        let hooked = files.is_match(path) && !exclude.is_match(path);
        let read = classify(Path::new(path)).is_some();
        assert_eq!(hooked, read, "{path}: hook {hooked}, classify {read}");
    }
}
