//! JavaScript manifests through the command line: real package.json files and a real
//! pnpm lock from public projects, suppressions from the configuration, baselines and
//! every output format on a package.json, `--fix` and `lock-drift` from pnpm, npm and
//! yarn locks, the contents of lock files, `.npmrc` secrets, and JSON-like text through
//! the parsers.

mod common;

use std::path::Path;

use common::{concise, pinwarden, tree};
use pinwarden::manifest::{self, Item, ManifestKind};
use proptest::prelude::*;

fn data(dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/javascript")
        .join(dir)
}

/// The concise report of the real files is the one reviewed by hand and kept beside
/// them: pypi/warehouse's `^` ranges and `<` overrides flagged (its one exact override,
/// `sweetalert2`, not), its `.npmrc` without `save-exact`; the pomodoro app, exact pins
/// and a pnpm v6 lock with an integrity hash for every package, clean; vscode-clock (npm
/// lockfile v2) and vite-react-eslint-prettier (yarn 1), ranges their locks pin, clean.
#[test]
fn real_package_json_files_and_locks() {
    let root = data("");
    let expected = std::fs::read_to_string(root.join("expected-findings.txt"))
        .expect("the reviewed findings are part of the test data");
    let (code, out, err) = concise(&root, &["."]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(out, expected);
    let (_, out, _) = pinwarden(&root, &["check", "--isolated", ".", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    // package.json four times, .npmrc, and the three locks.
    assert_eq!(
        json["summary"]["files"].as_u64(),
        Some(8),
        "{}",
        json["summary"]
    );
    let (code, out, err) = concise(&data("pomodoro"), &["."]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
}

/// Held to exact pins, the real manifests are fixed to what their npm and yarn locks
/// resolved: every range, each to one version.
#[test]
fn real_ranges_are_pinned_from_their_locks() {
    for (dir, ranges, some_pins) in [
        (
            "vscode-clock",
            13,
            ["\"@types/node\": \"16.11.41\"", "\"moment\": \"2.30.1\""],
        ),
        (
            "vite-react-eslint-prettier",
            21,
            ["\"react\": \"18.3.1\"", "\"vite\": \"5.4.7\""],
        ),
    ] {
        let root = data(dir);
        let (_, out, _) = concise(&root, &["--require-exact-pins", "."]);
        assert_eq!(out.lines().count(), ranges, "{dir}: {out}");
        assert!(
            out.lines().all(|l| l.contains("error[version-range]")),
            "{out}"
        );
        let (_, diff, err) = pinwarden(
            &root,
            &["check", "--isolated", "--require-exact-pins", "--diff", "."],
        );
        let added: Vec<&str> = diff.lines().filter(|l| l.starts_with("+ ")).collect();
        assert_eq!(added.len(), ranges, "{dir}: {diff}{err}");
        for pin in some_pins {
            assert!(
                added.iter().any(|l| l.contains(pin)),
                "{dir}: {pin} in {diff}"
            );
        }
    }
}

/// The real pnpm lock, with one package moved to plain HTTP on another registry (a
/// registry's tarball layout, `/-/`) and its hash removed: each lock rule points at that
/// entry.
#[test]
fn lock_contents_of_a_real_pnpm_lock() {
    let lock = std::fs::read_to_string(data("pomodoro/pnpm-lock.yaml")).unwrap();
    let entry = "  /yocto-queue@0.1.0:\n    resolution: {integrity: ";
    assert!(lock.contains(entry), "the test data is the lock it was");
    let changed = lock.replace(
        entry,
        "  /yocto-queue@0.1.0:\n    resolution: {tarball: http://npm.evil.example/yocto-queue/-/yocto-queue-0.1.0.tgz, x: ",
    );
    let dir = tree(&[("pnpm-lock.yaml", &changed)]);
    let (code, out, err) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1), "{err}");
    let rules: Vec<&str> = out
        .lines()
        .map(|line| line.split('[').nth(1).unwrap().split(']').next().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "lock-insecure-source",
            "lock-missing-hash",
            "lock-untrusted-host"
        ],
        "{out}"
    );
    assert!(out.contains("`yocto-queue`"), "{out}");
    // The host is allowed by the configuration.
    let dir = tree(&[
        ("pnpm-lock.yaml", &changed),
        (
            "pinwarden.toml",
            "[locks]\nnpm-allowed-hosts = [\"registry.npmjs.org\", \"*.evil.example\"]\n",
        ),
    ]);
    let (_, out, _) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    assert!(!out.contains("lock-untrusted-host"), "{out}");
    assert!(out.contains("lock-insecure-source"), "{out}");
}

const PACKAGE_JSON: &str = r#"{
  "name": "web",
  "dependencies": {
    "react": "18.2.0",
    "lodash": "^4.17.0",
    "left-pad": "*"
  },
  "devDependencies": {
    "vite": "~5.2.0"
  },
  "peerDependencies": {
    "react": ">=17"
  }
}
"#;

#[test]
fn findings_spans_and_the_peer_default() {
    let dir = tree(&[("package.json", PACKAGE_JSON)]);
    let (code, out, err) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1), "{err}");
    assert_eq!(
        out,
        "package.json:5:16: error[version-range] `lodash` allows more than one version: `^4.17.0`\n\
         package.json:6:6: error[unpinned-requirement] `left-pad` is not pinned: any version may be installed\n\
         package.json:9:14: error[version-range] `vite` allows more than one version: `~5.2.0`\n"
    );
    // Judged as an application, peer ranges are flagged too.
    let dir = tree(&[
        ("package.json", PACKAGE_JSON),
        ("pinwarden.toml", "project-kind = \"application\"\n"),
    ]);
    let (_, out, _) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    assert!(
        out.contains(
            "package.json:12:15: error[version-range] `react` allows more than one version: `>=17`"
        ),
        "{out}"
    );
}

/// JSON has no comments: a package.json is suppressed from `[[per-path]]` blocks, by
/// file and by section.
#[test]
fn suppressions_from_the_configuration() {
    let config = "[[per-path]]\npaths = [\"web/package.json\"]\nsections = [\"devDependencies\"]\nignore = [\"version-range\"]\n[[per-path]]\npaths = [\"web/package.json\"]\nignore = [\"unpinned-requirement\"]\n";
    let dir = tree(&[
        ("web/package.json", PACKAGE_JSON),
        ("api/package.json", PACKAGE_JSON),
        ("pinwarden.toml", config),
    ]);
    let (code, out, err) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    assert_eq!(code, Some(1), "{err}");
    let web: Vec<&str> = out.lines().filter(|l| l.starts_with("web/")).collect();
    assert_eq!(
        web,
        [
            "web/package.json:5:16: error[version-range] `lodash` allows more than one version: `^4.17.0`"
        ],
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("api/")).count(),
        3,
        "{out}"
    );
    // A `//` comment is no suppression: it is not JSON, and the file is a parse error.
    let dir = tree(&[(
        "package.json",
        "{\"dependencies\": {\n  // pinwarden: ignore\n  \"a\": \"^1.0.0\"}}\n",
    )]);
    let (_, out, _) = concise(dir.path(), &["."]);
    assert!(
        out.starts_with("package.json:2:3: error[parse-error] invalid JSON"),
        "{out}"
    );
}

#[test]
fn formats_and_baselines() {
    let dir = tree(&[("package.json", PACKAGE_JSON)]);
    for format in ["human", "json", "sarif", "github"] {
        let (code, out, err) = pinwarden(
            dir.path(),
            &["check", "--isolated", "--format", format, "."],
        );
        assert_eq!(code, Some(1), "{format}: {err}");
        assert!(
            out.contains("version-range") && out.contains("lodash"),
            "{format}: {out}"
        );
    }
    let (_, out, _) = pinwarden(
        dir.path(),
        &["check", "--isolated", "--format", "sarif", "."],
    );
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(5), Some(16))
    );
    let (_, out, _) = pinwarden(
        dir.path(),
        &["check", "--isolated", "--format", "github", "."],
    );
    assert!(out.contains("file=package.json,line=5,"), "{out}");
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
    let (code, out, err) = concise(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!((code, out.as_str()), (Some(0), ""), "{err}");
    // A new range is reported; the old ones stay baselined.
    let grown = PACKAGE_JSON.replace(
        "\"react\": \"18.2.0\",",
        "\"react\": \"18.2.0\",\n    \"ms\": \"^2.1.0\",",
    );
    std::fs::write(dir.path().join("package.json"), grown).unwrap();
    let (code, out, _) = concise(dir.path(), &["--baseline", "baseline.json", "."]);
    assert_eq!(code, Some(1));
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("`ms`"), "{out}");
}

const RANGES: &str = "{\n  \"dependencies\": {\n    \"lodash\": \"^4.17.0\",\n    \"react\": \"^18.2.0\",\n    \"ms\": \"*\"\n  }\n}\n";

fn fixed_with(lock_name: &str, lock: &str) -> (String, String, String) {
    let dir = tree(&[
        ("package.json", RANGES),
        (lock_name, lock),
        ("pinwarden.toml", "require-exact-pins = true\n"),
    ]);
    let (_, before, _) = pinwarden(dir.path(), &["check", "--format", "concise", "."]);
    let (_, _, err) = pinwarden(dir.path(), &["check", "--fix", "--format", "concise", "."]);
    let after = std::fs::read_to_string(dir.path().join("package.json")).unwrap();
    assert!(err.contains("Fixed 2 finding"), "{lock_name}: {err}");
    (before, after, err)
}

/// Every lock format pins `lodash` and `ms` to what it resolved, and holds an old
/// `react` that `^18.2.0` does not allow: drift, and no fix for it.
#[test]
fn fix_and_drift_from_each_lock_format() {
    let pnpm = "lockfileVersion: '9.0'\nimporters:\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4.17.0\n        version: 4.17.21\n      react:\n        specifier: ^17.0.0\n        version: 17.0.2\n      ms:\n        specifier: '*'\n        version: 2.1.3\n";
    let npm = r#"{"lockfileVersion": 3, "packages": {"": {},
      "node_modules/lodash": {"version": "4.17.21", "resolved": "https://registry.npmjs.org/lodash/-/lodash-4.17.21.tgz", "integrity": "sha512-a"},
      "node_modules/react": {"version": "17.0.2", "resolved": "https://registry.npmjs.org/react/-/react-17.0.2.tgz", "integrity": "sha512-b"},
      "node_modules/ms": {"version": "2.1.3", "resolved": "https://registry.npmjs.org/ms/-/ms-2.1.3.tgz", "integrity": "sha512-c"}}}"#;
    let yarn = "# yarn lockfile v1\n\n\nlodash@^4.17.0:\n  version \"4.17.21\"\n  resolved \"https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#a\"\n  integrity sha512-a\n\nreact@^17.0.0:\n  version \"17.0.2\"\n  resolved \"https://registry.yarnpkg.com/react/-/react-17.0.2.tgz#b\"\n  integrity sha512-b\n\nms@*:\n  version \"2.1.3\"\n  resolved \"https://registry.yarnpkg.com/ms/-/ms-2.1.3.tgz#c\"\n  integrity sha512-c\n";
    let berry = "__metadata:\n  version: 8\n\n\"lodash@npm:^4.17.0\":\n  version: 4.17.21\n  resolution: \"lodash@npm:4.17.21\"\n  checksum: 10c0/a\n\n\"react@npm:^17.0.0\":\n  version: 17.0.2\n  resolution: \"react@npm:17.0.2\"\n  checksum: 10c0/b\n\n\"ms@npm:*\":\n  version: 2.1.3\n  resolution: \"ms@npm:2.1.3\"\n  checksum: 10c0/c\n";
    for (name, lock, relock) in [
        ("pnpm-lock.yaml", pnpm, "pnpm install"),
        ("package-lock.json", npm, "npm install"),
        ("yarn.lock", yarn, "yarn install"),
        ("yarn.lock", berry, "yarn install"),
    ] {
        let (before, after, err) = fixed_with(name, lock);
        assert!(
            before.contains(&format!(
                "package.json:4:15: error[lock-drift] `react` requires `^18.2.0`, but {name} locks 17.0.2"
            )),
            "{name}: {before}"
        );
        assert_eq!(
            after,
            RANGES
                .replace("^4.17.0", "4.17.21")
                .replace("\"*\"", "\"2.1.3\""),
            "{name}"
        );
        assert!(
            err.contains(&format!("refresh its lock with `{relock}`")),
            "{err}"
        );
    }
}

#[test]
fn npmrc_secrets_are_masked_and_http_registries_flagged() {
    let token = "npm_Zq8vNw3kLp5TxR2mYc7bHd4fJ6sGa1eU5oQi";
    let npmrc = format!(
        "registry=http://npm.corp.example/\n//npm.corp.example/:_authToken={token}\n//other.example/:_authToken=${{OTHER_TOKEN}}\nsave-exact=true\n"
    );
    let dir = tree(&[(".npmrc", &npmrc)]);
    for format in ["concise", "human", "json", "sarif", "github"] {
        let (code, out, err) = pinwarden(
            dir.path(),
            &["check", "--isolated", "--format", format, "."],
        );
        assert_eq!(code, Some(1), "{format}: {err}");
        assert!(
            !out.contains(token) && !err.contains(token),
            "{format}: {out}"
        );
        assert!(out.contains("secret-npmrc-auth"), "{format}: {out}");
        assert!(out.contains("insecure-index"), "{format}: {out}");
    }
    let (_, out, _) = concise(dir.path(), &["."]);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(
        out.starts_with(
            ".npmrc:1:10: error[insecure-index] npm registry `http://npm.corp.example/`"
        ),
        "{out}"
    );
}

/// Pieces of package.json files, locks and the characters JSON's scanner turns on.
fn json_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"",
        "\"dependencies\": {",
        "\"overrides\": {",
        "\"resolutions\": {",
        "\"pnpm\": {\"overrides\": {",
        "\"packageManager\": ",
        "\"packages\": {",
        "\"node_modules/a\": {",
        "\"resolved\": ",
        "\"integrity\": \"sha512-x\"",
        "\"link\": true",
        "\"a\"",
        "\"@s/n\"",
        "\".\"",
        "\"**/a\"",
        "\"a>b\"",
        "\"^1.2.3\"",
        "\"1.2.3\"",
        "\"npm:a@^1\"",
        "\"pnpm@9.1.0+sha512.ab\"",
        "\"github:o/r#main\"",
        "\"http://x/-/a.tgz\"",
        "\"workspace:*\"",
        "\"\\u00e9\\n\"",
        "\\",
        "é",
        "日",
        "🔒",
        "\n",
        "\r\n",
        " ",
        "\t",
        "1",
        "true",
        "null",
        "\u{feff}",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

fn spans_are_valid(kind: ManifestKind, text: &str) -> Result<(), TestCaseError> {
    for item in manifest::parse(kind, text) {
        let mut spans = vec![item.span()];
        if let Item::Requirement(req) = &item {
            spans.extend(req.name_span.clone());
            spans.extend(req.specifier_span.clone());
            spans.extend(req.clauses.iter().map(|c| c.span.clone()));
            spans.extend(req.url.iter().map(|u| u.span.clone()));
            spans.extend(req.hashes.iter().map(|(_, s)| s.clone()));
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

const JS_KINDS: [ManifestKind; 6] = [
    ManifestKind::PackageJson,
    ManifestKind::NpmLock,
    ManifestKind::PnpmLock,
    ManifestKind::YarnLock,
    ManifestKind::Npmrc,
    ManifestKind::PnpmWorkspace,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn json_like_text_through_the_javascript_parsers(text in json_like()) {
        for kind in JS_KINDS {
            spans_are_valid(kind, &text)?;
        }
    }

    #[test]
    fn arbitrary_text_through_the_javascript_parsers(text in any::<String>()) {
        for kind in JS_KINDS {
            spans_are_valid(kind, &text)?;
        }
    }
}

/// The full-stack example's frontend shows each JavaScript finding the README's first
/// command reports, and its pinned and lock-pinned entries pass.
#[test]
fn the_full_stack_example_frontend() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (code, out, err) = concise(root, &["examples/fullstack/frontend"]);
    assert_eq!(code, Some(1), "{err}");
    let javascript: Vec<&str> = out
        .lines()
        .filter(|line| !line.contains("/Dockerfile:"))
        .map(|line| line.split(": ").take(2).collect::<Vec<_>>()[1])
        .collect();
    assert_eq!(
        javascript,
        [
            "error[lock-git-not-commit] `ui-kit` is locked to `git+ssh://git@github.com/example-org/ui-kit.git#main` without a full commit",
            "error[lock-insecure-source] tarball `http://registry.npmjs.org/vite/-/vite-5.3.1.tgz` is fetched over plain HTTP",
            "error[lock-missing-hash] `vite` has no hash for its tarball in the lock",
            "error[vcs-without-commit] `github:example-org/ui-kit#main` follows a branch, tag or short id, not a full commit",
            "error[version-range] `eslint` allows more than one version",
        ],
        "{out}"
    );
}

/// A workspace member is locked by the workspace's lock, found as pnpm, npm and yarn
/// find it: the nearest ancestor's lock, when it lists the member. A package that is
/// not a member is not pinned by it.
#[test]
fn workspace_members_use_the_workspace_lock() {
    let member = "{\"dependencies\": {\"lodash\": \"^4.17.0\", \"react\": \"^18.2.0\"}}\n";
    let pnpm = "lockfileVersion: '9.0'\nimporters:\n  .: {}\n  packages/web:\n    dependencies:\n      lodash:\n        specifier: ^4.17.0\n        version: 4.17.21\n      react:\n        specifier: ^17.0.0\n        version: 17.0.2\n";
    let npm = r#"{"lockfileVersion": 3, "packages": {"": {"workspaces": ["packages/*"]},
      "packages/web": {"version": "1.0.0"},
      "node_modules/web": {"resolved": "packages/web", "link": true},
      "node_modules/lodash": {"version": "4.17.21"},
      "node_modules/react": {"version": "17.0.2"}}}"#;
    for (name, lock) in [("pnpm-lock.yaml", pnpm), ("package-lock.json", npm)] {
        let dir = tree(&[
            (".git/HEAD", "ref: refs/heads/main\n"),
            (
                "package.json",
                "{\"private\": true, \"workspaces\": [\"packages/*\"]}\n",
            ),
            (name, lock),
            ("packages/web/package.json", member),
            ("other/package.json", member),
        ]);
        let (_, out, err) = concise(dir.path(), &["."]);
        let lines: Vec<&str> = out.lines().filter(|l| !l.contains("lock-")).collect();
        assert_eq!(
            lines,
            [
                "other/package.json:1:30: error[version-range] `lodash` allows more than one version: `^4.17.0`",
                "other/package.json:1:50: error[version-range] `react` allows more than one version: `^18.2.0`",
                "packages/web/package.json:1:50: error[version-range] `react` allows more than one version: `^18.2.0`",
            ],
            "{name}: {out}{err}"
        );
        assert!(
            out.contains(&format!(
                "packages/web/package.json:1:50: error[lock-drift] `react` requires `^18.2.0`, but {name} locks 17.0.2"
            )),
            "{name}: {out}"
        );
    }
}

/// Deep nesting is a parse error with a place, never a stack overflow; the other files
/// are still linted.
#[test]
fn deeply_nested_json_is_a_parse_error() {
    let deep = format!(
        "{{\"dependencies\": {{\"a\": \"^1.0.0\"}}, \"x\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let dir = tree(&[
        ("web/package.json", &deep),
        ("web/package-lock.json", &deep),
        (
            "api/package.json",
            "{\"dependencies\": {\"b\": \"~2.0.0\"}}",
        ),
    ]);
    let (code, out, err) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        out.contains("api/package.json:1:25: error[version-range]"),
        "{out}"
    );
    assert!(
        out.contains("web/package.json:1:") && out.contains("error[parse-error] invalid JSON"),
        "{out}"
    );
    assert!(out.contains("web/package-lock.json:1:"), "{out}");
}

/// A semver pre-release that PEP 440 cannot read is pinned, fixed and drifts by its
/// text, under npm's rules.
#[test]
fn npm_pre_releases_from_a_lock() {
    let package = "{\"dependencies\": {\"next\": \"^15.0.0-canary.0\", \"old\": \"^2.0.0\"}}\n";
    let lock = r#"{"lockfileVersion": 3, "packages": {"": {},
      "node_modules/next": {"version": "15.0.0-canary.12"},
      "node_modules/old": {"version": "1.0.0-next.5"}}}"#;
    let dir = tree(&[("package.json", package), ("package-lock.json", lock)]);
    let (_, out, _) = concise(dir.path(), &["."]);
    assert!(!out.contains("`next`"), "{out}");
    assert!(
        out.contains(
            "error[lock-drift] `old` requires `^2.0.0`, but package-lock.json locks 1.0.0-next.5"
        ),
        "{out}"
    );
    let (_, diff, _) = concise(dir.path(), &["--require-exact-pins", "--diff", "."]);
    assert!(
        diff.contains("+{\"dependencies\": {\"next\": \"15.0.0-canary.12\", \"old\": \"^2.0.0\"}}"),
        "{diff}"
    );
}

/// A yarn lock holds every version of a package in the tree: the fix takes the one the
/// manifest's range allows, and says so when several are allowed.
#[test]
fn the_fix_takes_the_locked_version_the_range_allows() {
    let package = "{\"dependencies\": {\"lodash\": \"^4.17.0\", \"ms\": \"^2.0.0\"}}\n";
    let lock = "# yarn lockfile v1\n\n\nlodash@^3.0.0:\n  version \"3.10.1\"\n\nlodash@^4.17.0:\n  version \"4.17.21\"\n\nms@2.0.0:\n  version \"2.0.0\"\n\nms@^2.0.0, ms@^2.1.1:\n  version \"2.1.3\"\n";
    let dir = tree(&[("package.json", package), ("yarn.lock", lock)]);
    let (_, diff, _) = concise(dir.path(), &["--require-exact-pins", "--diff", "."]);
    assert!(diff.contains("\"lodash\": \"4.17.21\""), "{diff}");
    let (_, out, _) = pinwarden(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--require-exact-pins",
            "--format",
            "json",
            ".",
        ],
    );
    assert!(
        out.contains("several versions of `ms` that `^2.0.0` allows (2.0.0, 2.1.3)"),
        "{out}"
    );
}

/// `lock-local-source`, when selected, names the path each JavaScript lock installs a
/// local package from, and leaves out a yarn project's own workspace (`.`), as it does a
/// Python lock's project.
#[test]
fn local_sources_of_javascript_locks_name_their_paths() {
    let dir = tree(&[
        (
            "package-lock.json",
            r#"{"lockfileVersion": 3, "packages": {"": {"name": "app"}, "node_modules/web": {"resolved": "packages/web", "link": true}}}"#,
        ),
        (
            "pnpm-lock.yaml",
            "lockfileVersion: '9.0'\npackages:\n  lib@file:lib:\n    resolution: {directory: lib, type: directory}\n",
        ),
        (
            "yarn.lock",
            "__metadata:\n  version: 8\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n\"web@workspace:packages/web\":\n  version: 0.0.0-use.local\n  resolution: \"web@workspace:packages/web\"\n",
        ),
    ]);
    let (code, out, err) = concise(dir.path(), &[".", "--extend-select", "lock-local-source"]);
    assert_eq!(code, Some(0), "{err}");
    let messages: Vec<&str> = out
        .lines()
        .map(|line| line.split_once("] ").unwrap().1)
        .collect();
    assert_eq!(
        messages,
        [
            "`web` is installed from the local path `packages/web`",
            "`lib` is installed from the local path `lib`",
            "`web` is installed from the local path `packages/web`",
        ],
        "{out}"
    );
}
