//! GitHub Actions workflows, action metadata and pre-commit configuration through the
//! command line: real files from public projects, suppressions on YAML lines, the
//! `action-pins` policy, baselines, every output format, and arbitrary YAML-like text.

mod common;

use std::path::Path;

use common::{concise, pinwarden, tree};
use pinwarden::manifest::{self, Item, ManifestKind};
use proptest::prelude::*;

const SHA: &str = "b4ffde65f46336ab88eb53be808477a3936bae11";

fn data(dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(dir)
}

/// The concise report of each real-file directory is the one reviewed by hand and kept
/// beside the files (`expected-findings.txt`): every tag flagged, every commit and
/// expression left alone.
#[test]
fn real_workflows_and_pre_commit_configurations() {
    for (dir, files) in [("actions", 9), ("pre-commit", 2)] {
        let root = data(dir);
        let expected = std::fs::read_to_string(root.join("expected-findings.txt"))
            .expect("the reviewed findings are part of the test data");
        let (code, out, err) =
            pinwarden(&root, &["check", "--isolated", ".", "--format", "concise"]);
        assert_eq!(code, Some(1), "{err}");
        assert_eq!(out, expected, "{dir}");
        let (_, out, _) = pinwarden(&root, &["check", "--isolated", ".", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(
            json["summary"]["files"].as_u64(),
            Some(files),
            "{dir}: {}",
            json["summary"]
        );
    }
    // pallets/flask pins every action and hook to a commit with its version comment.
    let (code, out, err) = pinwarden(
        &data("actions/pallets-flask"),
        &["check", "--isolated", ".", "--format", "concise"],
    );
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    let (code, _, err) = pinwarden(
        &data("pre-commit/pallets-flask"),
        &["check", "--isolated", ".pre-commit-config.yaml"],
    );
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn suppressions_on_yaml_lines_keep_the_version_comment() {
    let workflow = format!(
        "jobs:\n  a:\n    steps:\n      - uses: a/one@v1 # v1.2.3 # pinwarden: ignore[action-not-pinned]\n      # pinwarden: ignore[action-not-pinned]\n      - uses: a/two@v2\n      - uses: a/three@v3\n      - run: |\n          # pinwarden: ignore[action-not-pinned]\n          echo\n      - uses: a/four@v4\n      - uses: a/five@{SHA} # v5.0.0\n"
    );
    let dir = tree(&[(".github/workflows/ci.yml", &workflow)]);
    let (code, out, err) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        [
            ".github/workflows/ci.yml:7:23: error[action-not-pinned] `a/three@v3` is not pinned to a full commit",
            // A `#` inside a `run: |` script is shell, not a directive.
            ".github/workflows/ci.yml:11:22: error[action-not-pinned] `a/four@v4` is not pinned to a full commit",
        ],
        "{out}"
    );
    // Both directives are used: none is reported as unused.
    let (_, out, _) = concise(dir.path(), &[".", "--show-unused-suppressions"]);
    assert!(!out.contains("unused-suppression"), "{out}");
    // The help shows the version the comment or tag names.
    let (_, out, _) = pinwarden(dir.path(), &["check", "--isolated", "."]);
    assert!(
        out.contains("`uses: a/three@<40-character commit> # v3`"),
        "{out}"
    );

    let config = "repos:\n  - repo: https://github.com/a/b\n    rev: v1.0.0  # pinwarden: ignore[hook-rev-not-pinned]\n    hooks:\n      - id: x\n        additional_dependencies:\n          # pinwarden: ignore[unpinned-requirement]\n          - requests\n          - flask>=2 # pinwarden: ignore[version-range]\n          - django\n";
    let dir = tree(&[(".pre-commit-config.yaml", config)]);
    let (_, out, _) = concise(dir.path(), &["."]);
    assert_eq!(
        out,
        ".pre-commit-config.yaml:10:13: error[unpinned-requirement] `django` is not pinned: any version may be installed\n"
    );
}

#[test]
fn action_pins_policy_by_pattern() {
    let workflow = format!(
        "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n      - uses: my-org/deploy@main\n      - uses: other/tool@v1\n      - uses: other/pinned@{SHA}\n      - uses: actions/cache\n  b:\n    uses: my-org/wf/.github/workflows/x.yml\n"
    );
    let config = "[action-pins]\n\"actions/*\" = \"ref-pin\"\n\"my-org/*\" = \"any\"\n\"*\" = \"hash-pin\"\n";
    let dir = tree(&[
        (".github/workflows/ci.yml", &workflow),
        ("pinwarden.toml", config),
    ]);
    let (code, out, err) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(code, Some(1), "{err}");
    let flagged: Vec<&str> = out
        .lines()
        .map(|line| line.split('`').nth(1).unwrap())
        .collect();
    assert_eq!(flagged, ["other/tool@v1", "actions/cache"], "{out}");

    // A `[[per-path]]` block's table replaces the global one for its files.
    let with_block = format!(
        "{config}[[per-path]]\npaths = [\".github/workflows/ci.yml\"]\naction-pins = {{ \"*\" = \"ref-pin\" }}\n"
    );
    std::fs::write(dir.path().join("pinwarden.toml"), with_block).unwrap();
    let (_, out, _) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    let flagged: Vec<&str> = out
        .lines()
        .map(|line| line.split('`').nth(1).unwrap())
        .collect();
    assert_eq!(
        flagged,
        ["actions/cache", "my-org/wf/.github/workflows/x.yml"],
        "{out}"
    );

    // Without configuration every ref but a commit is flagged.
    let (_, out, _) = concise(dir.path(), &["."]);
    assert_eq!(out.lines().count(), 5, "{out}");

    for (config, message) in [
        (
            "[action-pins]\n\"actions/*\" = \"tag-pin\"\n",
            "unknown action pin policy `tag-pin`: expected `hash-pin`, `ref-pin` or `any`",
        ),
        (
            "[action-pins]\n\"actions\" = \"any\"\n",
            "`actions` is not an action pattern",
        ),
        ("action-pins = 3\n", "invalid configuration"),
        (
            "[[per-path]]\npaths = [\"x\"]\naction-pins = { \"*\" = \"pinned\" }\n",
            "unknown action pin policy `pinned`",
        ),
    ] {
        std::fs::write(dir.path().join("pinwarden.toml"), config).unwrap();
        let (code, _, err) = pinwarden(dir.path(), &["check", "."]);
        assert_eq!(code, Some(2), "{config}: {err}");
        assert!(err.contains(message), "{config}: {err}");
        assert!(err.contains("pinwarden.toml"), "{err}");
    }
}

#[test]
fn images_of_jobs_services_steps_and_docker_actions() {
    let digest = "a".repeat(64);
    let workflow = format!(
        "jobs:\n  a:\n    container:\n      image: python:3.12@sha256:{digest}\n    services:\n      db:\n        image: postgres:16\n      cache:\n        image: redis\n    steps:\n      - uses: docker://alpine:3.20\n"
    );
    let action = "runs:\n  using: docker\n  image: docker://ghcr.io/o/i:1.0\n";
    let dir = tree(&[
        (".github/workflows/ci.yml", &workflow),
        ("tools/act/action.yml", action),
    ]);
    let (_, out, _) = concise(dir.path(), &["."]);
    let flagged: Vec<&str> = out
        .lines()
        .map(|line| line.split('`').nth(1).unwrap())
        .collect();
    assert_eq!(
        flagged,
        ["postgres:16", "redis", "alpine:3.20", "ghcr.io/o/i:1.0"],
        "{out}"
    );
}

/// pre-commit installs `additional_dependencies` into the hook's own environment, so a
/// lock of the project pins nothing there; the same range in a requirement file beside
/// it is pinned by that lock.
#[test]
fn project_locks_do_not_pin_hook_dependencies() {
    let dir = tree(&[
        (
            ".pre-commit-config.yaml",
            "repos:\n- repo: local\n  hooks:\n  - id: mypy\n    language: python\n    entry: mypy\n    additional_dependencies: ['black>=23']\n",
        ),
        ("requirements.in", "black>=23\n"),
        ("pins.txt", "black==24.1.0\n"),
        ("pinwarden.toml", "lock-files = [\"pins.txt\"]\n"),
    ]);
    let (_, out, err) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(
        out,
        ".pre-commit-config.yaml:7:37: error[version-range] `black` allows more than one version: `>=23`\n",
        "{err}"
    );
    // A section names the hook, for `[[per-path]]` sections and rules of one's own.
    let (_, out, _) = pinwarden(dir.path(), &["check", "--format", "json", "."]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        json["findings"][0]["section"], "hooks.mypy.additional_dependencies",
        "{out}"
    );
}

#[test]
fn node_hook_dependencies_need_one_version() {
    let config = "repos:\n- repo: https://github.com/pre-commit/mirrors-eslint\n  rev: 2c9f875913ee60ca25ce70243dc24d5b6415598c  # frozen: v9.0.0\n  hooks:\n  - id: eslint\n    language: node\n    additional_dependencies:\n    - eslint@9.0.0\n    - '@typescript-eslint/parser@^7.0.0'\n    - eslint-config-prettier\n";
    let dir = tree(&[(".pre-commit-config.yaml", config)]);
    let (_, out, _) = concise(dir.path(), &["."]);
    assert_eq!(
        out,
        ".pre-commit-config.yaml:9:34: error[version-range] `@typescript-eslint/parser` allows more than one version: `^7.0.0`\n.pre-commit-config.yaml:10:7: error[unpinned-requirement] `eslint-config-prettier` is not pinned: any version may be installed\n"
    );
}

#[test]
fn named_files_formats_and_baselines() {
    let dir = tree(&[
        (
            ".github/workflows/release.yaml",
            "jobs:\n  a:\n    steps:\n      - uses: actions/checkout@v4\n",
        ),
        (
            ".pre-commit-config.yaml",
            "repos:\n- repo: https://github.com/a/b\n  rev: v1\n  hooks: [{id: x}]\n",
        ),
        (".gitignore", ".pre-commit-config.yaml\n"),
    ]);
    // Named on the command line (as pre-commit names staged files), even when ignored.
    let (code, out, err) = concise(
        dir.path(),
        &[".github/workflows/release.yaml", ".pre-commit-config.yaml"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.contains("release.yaml:4:32: error[action-not-pinned]"),
        "{out}"
    );
    assert!(
        out.contains(".pre-commit-config.yaml:3:8: error[hook-rev-not-pinned]"),
        "{out}"
    );
    for format in ["human", "json", "sarif", "github"] {
        let (code, out, err) = pinwarden(
            dir.path(),
            &["check", "--isolated", "--format", format, "."],
        );
        assert_eq!(code, Some(1), "{format}: {err}");
        assert!(out.contains("action-not-pinned"), "{format}: {out}");
    }
    let (code, _, err) = pinwarden(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--write-baseline",
            "baseline.json",
            ".",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = pinwarden(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--baseline",
            "baseline.json",
            "--format",
            "concise",
            ".",
        ],
    );
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
}

#[test]
fn malformed_yaml_is_a_parse_error_with_a_place() {
    let dir = tree(&[(
        ".github/workflows/ci.yml",
        "jobs:\n  a:\n    steps:\n      - uses: 'actions/checkout@v4\n",
    )]);
    let (code, out, _) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1));
    assert!(
        out.starts_with(".github/workflows/ci.yml:")
            && out.contains("error[parse-error] invalid YAML"),
        "{out}"
    );
}

/// Pieces of workflows and pre-commit configurations, and the characters YAML's
/// scanner turns on.
fn yaml_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "jobs:\n",
        "  a:\n",
        "    steps:\n",
        "      - uses: ",
        "    uses: ",
        "    container: ",
        "    services:\n      db:\n        image: ",
        "runs:\n  steps:\n",
        "repos:\n",
        "- repo: ",
        "  rev: ",
        "  hooks:\n  - id: x\n    additional_dependencies: [",
        "    language: node\n",
        "actions/checkout@v4",
        "docker://alpine:3",
        "@sha256:",
        "b4ffde65f46336ab88eb53be808477a3936bae11",
        "${{ x }}",
        "requests>=2",
        "@scope/p@^1",
        " # v1.2.3",
        " # pinwarden: ignore[action-not-pinned]",
        "# pinwarden: ignore\n",
        "&a ",
        "*a",
        "<<: ",
        "|\n",
        "'",
        "\"",
        "\\",
        "[",
        "]",
        "{",
        "}",
        ",",
        ": ",
        "- ",
        "\n",
        "\r\n",
        "\r",
        "\t",
        "  ",
        "---\n",
        "é",
        "日",
        "🔒",
        "\u{feff}",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn spans_are_valid(kind: ManifestKind, text: &str) -> Result<(), TestCaseError> {
    for item in manifest::parse(kind, text) {
        let mut spans = vec![item.span()];
        match &item {
            Item::Action(action) => spans.push(action.ref_span.clone()),
            Item::Requirement(req) => {
                spans.extend(req.name_span.clone());
                spans.extend(req.specifier_span.clone());
                spans.extend(req.clauses.iter().map(|c| c.span.clone()));
            }
            _ => {}
        }
        for span in spans {
            prop_assert!(
                span.start <= span.end
                    && span.end <= text.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end),
                "{kind:?}: {span:?} in {text:?}: {item:?}"
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn yaml_like_text_through_the_yaml_parsers(text in yaml_like()) {
        for kind in [ManifestKind::Workflow, ManifestKind::Action, ManifestKind::PreCommit] {
            spans_are_valid(kind, &text)?;
        }
        let _ = pinwarden::suppress::comments(ManifestKind::Workflow, &text);
    }

    #[test]
    fn arbitrary_text_through_the_yaml_parsers(text in any::<String>()) {
        for kind in [ManifestKind::Workflow, ManifestKind::Action, ManifestKind::PreCommit] {
            spans_are_valid(kind, &text)?;
        }
    }
}

/// Aliases and merge keys share nodes instead of copying them: a file that names one
/// large mapping from thousands of places is read in the time its text takes, deep
/// nesting is skipped, and what can be judged still is.
#[test]
fn alias_bombs_and_deep_nesting() {
    let keys: String = (0..20_000).map(|i| format!("k{i}: v, ")).collect();
    let jobs: String = (0..20_000).map(|i| format!("  j{i}: *job\n")).collect();
    let merges = vec!["*big"; 20_000].join(", ");
    let text = format!(
        "big: &big {{{keys}}}\njob: &job\n  <<: [{merges}]\n  steps: &steps [{{uses: a/b@v1}}]\n  services: {{db: {{image: redis}}}}\njobs:\n{jobs}"
    );
    let items = manifest::parse(ManifestKind::Workflow, &text);
    assert_eq!(items.len(), 2, "{items:?}");
    let repos: String = (0..20_000).map(|_| "- *repo\n").collect();
    let text = format!(
        "x: &repo {{repo: 'https://x/y', rev: v1, hooks: [{{id: a, additional_dependencies: [requests]}}]}}\nrepos:\n{repos}"
    );
    let items = manifest::parse(ManifestKind::PreCommit, &text);
    assert_eq!(items.len(), 2, "{items:?}");
    let deep = format!(
        "jobs:\n  a:\n    steps: [{{uses: a/b@v1}}]\n    x: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let items = manifest::parse(ManifestKind::Workflow, &deep);
    assert_eq!(items.len(), 1, "{items:?}");
    let indented: String = (0..1_000)
        .map(|depth| format!("{}- x:\n", "  ".repeat(depth)))
        .collect();
    for kind in [ManifestKind::Workflow, ManifestKind::PreCommit] {
        let _ = manifest::parse(kind, &indented);
    }
}
