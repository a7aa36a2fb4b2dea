//! The pre-commit hook's `files` pattern selects exactly the files pinwarden reads:
//! pre-commit names files explicitly, and pinwarden lints any explicitly named `.txt`
//! as a requirement file, so a broader pattern would lint `docs/notes.txt`.

use std::path::Path;

use pinwarden::discover::classify;
use regex::Regex;

/// The single-quoted value of `key:` in the hook definition.
fn hook_pattern(key: &str) -> Regex {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    let prefix = format!("  {key}: '");
    let line = text
        .lines()
        .find(|line| line.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{key}` in .pre-commit-hooks.yaml"));
    let pattern = line[prefix.len()..].strip_suffix('\'').unwrap();
    Regex::new(pattern).unwrap()
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
    ];
    for path in paths {
        let hooked = files.is_match(path) && !exclude.is_match(path);
        let read = classify(Path::new(path)).is_some();
        assert_eq!(hooked, read, "{path}: hook {hooked}, classify {read}");
    }
}
