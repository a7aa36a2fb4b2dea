//! Configuration as users write it: discovery of the nearest file, merging with
//! command-line flags, per-path policy, user rules, and errors with spans.

use std::path::Path;
use std::process::{Command, Output};

fn pinwarden(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pinwarden")
}

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Concise findings as `path:line rule` (positions and messages elided), and the exit
/// code.
fn findings(args: &[&str], cwd: &Path) -> (Vec<String>, i32) {
    let mut all = vec!["check", "--format", "concise"];
    all.extend_from_slice(args);
    let output = pinwarden(&all, cwd);
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let (location, rest) = line.split_once(": ").unwrap();
            let path_line: Vec<&str> = location.rsplitn(3, ':').collect();
            let rule = rest
                .split_once('[')
                .and_then(|(_, r)| r.split_once(']'))
                .unwrap()
                .0;
            format!("{}:{} {rule}", path_line[2], path_line[1])
        })
        .collect();
    (lines, output.status.code().unwrap_or(-1))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const RANGE_AND_BARE: &str = "flask>=2\nrequests\n";

#[test]
fn nearest_config_is_found_from_a_subdirectory() {
    let dir = tree(&[
        ("pinwarden.toml", "ignore = [\"unpinned-requirement\"]\n"),
        ("app/requirements.txt", RANGE_AND_BARE),
    ]);
    let (lines, code) = findings(&[], &dir.path().join("app"));
    assert_eq!(lines, ["requirements.txt:1 version-range"]);
    assert_eq!(code, 1);
    // And when the path argument, not the working directory, is inside the project.
    let (lines, _) = findings(&["app"], dir.path());
    assert_eq!(lines, ["app/requirements.txt:1 version-range"]);
}

#[test]
fn dotfile_and_pyproject_tables_are_configuration_too() {
    let dot = tree(&[
        (".pinwarden.toml", "select = [\"unpinned-requirement\"]\n"),
        ("requirements.txt", RANGE_AND_BARE),
    ]);
    assert_eq!(
        findings(&[], dot.path()).0,
        ["requirements.txt:2 unpinned-requirement"]
    );
    let pyproject = tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\nversion = \"1\"\n\n[tool.pinwarden]\nignore = [\"version-range\"]\n",
        ),
        ("requirements.txt", RANGE_AND_BARE),
    ]);
    assert_eq!(
        findings(&[], pyproject.path()).0,
        ["requirements.txt:2 unpinned-requirement"]
    );
}

#[test]
fn pyproject_without_a_table_is_passed_over_and_the_nearest_file_wins() {
    let dir = tree(&[
        ("pinwarden.toml", "ignore = [\"version-range\"]\n"),
        // No [tool.pinwarden]: the search goes on to the parent.
        (
            "svc/pyproject.toml",
            "[project]\nname = \"svc\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n",
        ),
        ("svc/requirements.txt", RANGE_AND_BARE),
        // A nearer configuration replaces the outer one entirely.
        (
            "lib/.pinwarden.toml",
            "ignore = [\"unpinned-requirement\"]\n",
        ),
        ("lib/requirements.txt", RANGE_AND_BARE),
    ]);
    assert_eq!(
        findings(&["svc"], dir.path()).0,
        ["svc/requirements.txt:2 unpinned-requirement"]
    );
    assert_eq!(
        findings(&["lib"], dir.path()).0,
        ["lib/requirements.txt:1 version-range"]
    );
}

#[test]
fn command_line_flags_apply_on_top_of_the_file() {
    let dir = tree(&[
        (
            "pinwarden.toml",
            "ignore = [\"version-range\"]\nextend-select = [\"missing-hash\"]\n",
        ),
        ("requirements.txt", "flask>=2\n"),
    ]);
    assert_eq!(
        findings(&[], dir.path()).0,
        ["requirements.txt:1 missing-hash"]
    );
    // `--select` starts from scratch: the file's ignore does not hide what was asked for.
    assert_eq!(
        findings(&["--select", "version-range"], dir.path()).0,
        ["requirements.txt:1 version-range"]
    );
    assert_eq!(
        findings(&["--ignore", "missing-hash"], dir.path()).0,
        Vec::<String>::new()
    );
    // `--isolated` ignores the file; `--config` names one explicitly.
    assert_eq!(
        findings(&["--isolated"], dir.path()).0,
        ["requirements.txt:1 version-range"]
    );
    std::fs::write(
        dir.path().join("strict.toml"),
        "select = [\"ALL\"]\nignore = [\"missing-hash\"]\n",
    )
    .unwrap();
    assert_eq!(
        findings(&["--config", "strict.toml"], dir.path()).0,
        ["requirements.txt:1 version-range"]
    );
}

#[test]
fn severity_overrides_change_the_exit_code() {
    let dir = tree(&[
        (
            "pinwarden.toml",
            "[severity]\n\"version-*\" = \"warning\"\nunpinned-requirement = \"info\"\n",
        ),
        ("requirements.txt", RANGE_AND_BARE),
    ]);
    let output = pinwarden(&["check", "--format", "concise"], dir.path());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("warning[version-range]"), "{text}");
    assert!(text.contains("info[unpinned-requirement]"), "{text}");
    assert_eq!(output.status.code(), Some(0));
}

const LIBS_MAY_PUBLISH_RANGES: &str = r#"
[[per-path]]
paths = ["libs/*/pyproject.toml"]
ignore = ["version-range"]

[[per-path]]
paths = ["apps"]
severity = { unpinned-requirement = "warning" }
"#;

fn monorepo() -> tempfile::TempDir {
    let pyproject = "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n";
    tree(&[
        ("pinwarden.toml", LIBS_MAY_PUBLISH_RANGES),
        ("libs/a/pyproject.toml", pyproject),
        ("apps/web/pyproject.toml", pyproject),
        ("apps/web/requirements.txt", "requests\n"),
    ])
}

#[test]
fn per_path_blocks_let_libraries_publish_ranges() {
    let dir = monorepo();
    let (lines, code) = findings(&[], dir.path());
    assert_eq!(
        lines,
        [
            "apps/web/pyproject.toml:4 version-range",
            "apps/web/requirements.txt:1 unpinned-requirement",
        ]
    );
    assert_eq!(code, 1);
    let output = pinwarden(&["check", "--format", "concise", "apps"], dir.path());
    assert!(String::from_utf8_lossy(&output.stdout).contains("warning[unpinned-requirement]"));
}

#[test]
fn per_path_globs_match_however_the_path_is_spelled() {
    let dir = monorepo();
    let absolute = dir.path().join("libs/a/pyproject.toml");
    for spelling in [
        "libs/a/pyproject.toml",
        "./libs/a/pyproject.toml",
        "libs/../libs/a/pyproject.toml",
        absolute.to_str().unwrap(),
    ] {
        let (lines, code) = findings(&[spelling], dir.path());
        assert!(lines.is_empty(), "{spelling}: {lines:?}");
        assert_eq!(code, 0, "{spelling}");
    }
    // From inside the library, the file is `pyproject.toml` but the glob still applies.
    let (lines, _) = findings(&[], &dir.path().join("libs/a"));
    assert!(lines.is_empty(), "{lines:?}");
    let (lines, _) = findings(
        &["../../apps/web/pyproject.toml"],
        &dir.path().join("libs/a"),
    );
    assert_eq!(lines, ["../../apps/web/pyproject.toml:4 version-range"]);
}

/// `sections` narrows a block to requirements in those sections: build requirements
/// and optional extras may be ranges while runtime dependencies are pinned.
#[test]
fn per_path_sections_target_requirements_by_section() {
    let pyproject = r#"[build-system]
requires = ["hatchling>=1.24"]

[project]
name = "app"
version = "1"
dependencies = ["flask>=2"]

[project.optional-dependencies]
test = ["pytest>=8", "coverage"]

[tool.poetry.group.dev.dependencies]
ruff = "^0.6"
"#;
    let config = r#"
# Built, so a library by default: judged here as an application.
project-kind = "application"

[[per-path]]
sections = ["build-system.requires", "project.optional-dependencies.*"]
ignore = ["version-range"]
severity = { unpinned-requirement = "warning" }

[[per-path]]
paths = ["svc"]
sections = ["tool.poetry.group.*.dependencies"]
ignore = ["version-range"]

[[per-path]]
sections = ["requirements"]
extend-select = ["missing-hash"]
"#;
    let dir = tree(&[
        ("pinwarden.toml", config),
        ("svc/pyproject.toml", pyproject),
        ("other/pyproject.toml", pyproject),
        (
            "requirements.txt",
            "--extra-index-url https://download.pytorch.org/whl/cpu\nrequests\n",
        ),
    ]);
    let output = pinwarden(&["check", "--format", "concise"], dir.path());
    let text = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        [
            "other/pyproject.toml:7:23: error[version-range] `flask` allows more than one version: `>=2`",
            "other/pyproject.toml:10:23: warning[unpinned-requirement] `coverage` is not pinned: any version may be installed",
            "other/pyproject.toml:13:9: error[version-range] `ruff` allows more than one version: `^0.6`",
            "requirements.txt:1:19: warning[extra-index-url] `--extra-index-url` `https://download.pytorch.org/whl/cpu`: every package is looked up on every index, and the best version wins",
            "requirements.txt:2:1: error[missing-hash] `requests` has no `--hash`: the downloaded file is not verified",
            "requirements.txt:2:1: error[unpinned-requirement] `requests` is not pinned: any version may be installed",
            "svc/pyproject.toml:7:23: error[version-range] `flask` allows more than one version: `>=2`",
            "svc/pyproject.toml:10:23: warning[unpinned-requirement] `coverage` is not pinned: any version may be installed",
        ],
        "{text}"
    );
}

#[test]
fn per_path_block_needs_paths_or_sections() {
    let dir = tree(&[
        (
            "pinwarden.toml",
            "[[per-path]]\nignore = [\"version-range\"]\n",
        ),
        ("requirements.txt", "flask==3.0.3\n"),
    ]);
    assert_config_error(
        dir.path(),
        &[],
        "[pinwarden.toml:1:1]",
        "needs `paths`, `sections`",
    );
    std::fs::write(
        dir.path().join("pinwarden.toml"),
        "[[per-path]]\npaths = []\nignore = [\"version-range\"]\n",
    )
    .unwrap();
    assert_config_error(dir.path(), &[], "[pinwarden.toml:2:9]", "`paths` is empty");
}

#[test]
fn stdin_uses_the_configuration_and_per_path_of_its_filename() {
    let dir = monorepo();
    let run = |name: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
            .args(["check", "--format", "concise", "--stdin-filename", name])
            .current_dir(dir.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(
                b"[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"django>=4\"]\n",
            )
            .unwrap();
        let output = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert_eq!(run("libs/b/pyproject.toml"), "");
    assert!(run("apps/x/pyproject.toml").starts_with("apps/x/pyproject.toml:4:"));
}

#[test]
fn exclude_skips_walked_files_and_named_files_only_when_forced() {
    let dir = tree(&[
        (
            "pinwarden.toml",
            "exclude = [\"vendor\", \"legacy/requirements-*.txt\"]\n",
        ),
        ("requirements.txt", "flask==1.0\n"),
        ("vendor/requirements.txt", "a>=1\n"),
        ("deep/vendor/requirements.txt", "a>=1\n"),
        ("legacy/requirements-old.txt", "a>=1\n"),
        ("legacy/requirements.txt", "a>=1\n"),
    ]);
    assert_eq!(
        findings(&[], dir.path()).0,
        ["legacy/requirements.txt:1 version-range"]
    );
    // pre-commit names staged files: linted unless --force-exclude.
    assert_eq!(
        findings(&["vendor/requirements.txt"], dir.path()).0.len(),
        1
    );
    assert!(
        findings(&["--force-exclude", "vendor/requirements.txt"], dir.path())
            .0
            .is_empty()
    );
}

#[test]
fn rules_dir_adds_the_users_own_rules() {
    let rule = r#"
name = "no-django"
severity = "error"
summary = "Django is not allowed here"
applies-to = { items = ["requirement"] }
when = { field = "name", equals = "django" }
message = "`{name}` is not allowed"
docs = "House policy."
"#;
    let dir = tree(&[
        (
            "pinwarden.toml",
            "rules-dir = \"policy\"\nignore = [\"version-range\"]\n",
        ),
        ("policy/no-django.toml", rule),
        ("svc/requirements.txt", "django==4.2\nflask>=2\n"),
    ]);
    // Relative to the configuration file, whatever the working directory.
    let (lines, code) = findings(&["."], &dir.path().join("svc"));
    assert_eq!(lines, ["requirements.txt:1 no-django"]);
    assert_eq!(code, 1);
    let output = pinwarden(&["rules"], dir.path());
    assert!(String::from_utf8_lossy(&output.stdout).contains("no-django"));
}

/// Exit code 2, and a report naming `file:line:column` plus the message.
fn assert_config_error(dir: &Path, args: &[&str], location: &str, message: &str) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let output = pinwarden(&all, dir);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(location), "expected {location} in:\n{err}");
    assert!(err.contains(message), "expected {message} in:\n{err}");
}

#[test]
fn invalid_configuration_is_exit_2_with_a_span() {
    let dir = tree(&[
        (
            "pinwarden.toml",
            "select = [\"ALL\"]\nextend-selct = [\"x\"]\n",
        ),
        ("requirements.txt", "a==1\n"),
    ]);
    assert_config_error(dir.path(), &[], "[pinwarden.toml:2:1]", "unknown field");

    std::fs::write(
        dir.path().join("pinwarden.toml"),
        "ignore = [\"version-range\", \"verison-range\"]\n",
    )
    .unwrap();
    assert_config_error(
        dir.path(),
        &[],
        "[pinwarden.toml:1:28]",
        "`verison-range` names no rule, did you mean",
    );

    std::fs::write(
        dir.path().join("pinwarden.toml"),
        "[[per-path]]\npaths = [\"a\"]\nseverity = { version-range = \"fatal\" }\n",
    )
    .unwrap();
    assert_config_error(
        dir.path(),
        &[],
        "[pinwarden.toml:3:30]",
        "unknown severity `fatal`",
    );

    std::fs::write(dir.path().join("pinwarden.toml"), "rules-dir = \"nope\"\n").unwrap();
    assert_config_error(dir.path(), &[], "[pinwarden.toml:1:13]", "does not exist");
}

#[test]
fn invalid_pyproject_table_and_user_rule_are_exit_2_with_a_span() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"x\"\n\n[tool.pinwarden]\nselect = \"ALL\"\n",
        ),
        ("requirements.txt", "a==1\n"),
    ]);
    assert_config_error(dir.path(), &[], "[pyproject.toml:5:10]", "invalid type");

    let bad_rule = "name = \"mine\"\nseverity = \"error\"\nsummary = \"s\"\napplies-to = { items = [\"requirement\"] }\nwhen = { field = \"name\", matches = \"(\" }\nmessage = \"m\"\ndocs = \"d\"\n";
    let dir = tree(&[
        ("pinwarden.toml", "rules-dir = [\"policy\"]\n"),
        ("policy/mine.toml", bad_rule),
        ("requirements.txt", "a==1\n"),
    ]);
    assert_config_error(
        dir.path(),
        &[],
        "mine.toml:5:",
        "invalid regular expression",
    );
}

#[test]
fn a_broken_pyproject_that_is_not_configuration_is_linted_not_fatal() {
    let dir = tree(&[
        ("pyproject.toml", "[project\nname = \"x\"\n"),
        ("requirements.txt", "a>=1\n"),
    ]);
    let (lines, code) = findings(&[], dir.path());
    assert_eq!(code, 1);
    assert!(
        lines.contains(&"pyproject.toml:1 parse-error".to_string()),
        "{lines:?}"
    );
    assert!(lines.contains(&"requirements.txt:1 version-range".to_string()));
}

/// A selector on the command line that names no rule is exit 2, with the closest rule
/// name when it looks like a typo.
#[test]
fn unknown_command_line_selector_suggests_the_closest_rule() {
    let dir = tree(&[("requirements.txt", "a==1\n")]);
    let output = pinwarden(
        &["check", "--ignore", "unpined-requirement,zzz"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("`unpined-requirement`, did you mean `unpinned-requirement`?; `zzz` (see"),
        "{stderr}"
    );
}

/// A `[[per-path]]` pattern that matches nothing in a whole-tree run is most likely a
/// typo: a warning says so (not for files named one by one, which see part of the tree).
#[test]
fn per_path_patterns_that_match_nothing_are_warned_about() {
    let config = "[[per-path]]\npaths = [\"libz/*\"]\nignore = [\"version-range\"]\n\n[[per-path]]\nsections = [\"tool.poetry.grup.*\"]\nignore = [\"version-range\"]\n\n[[per-path]]\npaths = [\"requirements.txt\"]\nsections = [\"requirements\"]\nignore = [\"version-range\"]\n";
    let dir = tree(&[("pinwarden.toml", config), ("requirements.txt", "a>=1\n")]);
    let output = pinwarden(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            "pinwarden: warning: the [[per-path]] block at pinwarden.toml:1: `paths` matches no file that was checked",
            "pinwarden: warning: the [[per-path]] block at pinwarden.toml:5: `sections` matches no requirement that was checked",
        ]
    );
    let named = pinwarden(&["check", "requirements.txt"], dir.path());
    assert!(String::from_utf8_lossy(&named.stderr).is_empty());
}
