//! Inline `# pinwarden: ignore[...]` directives in every manifest family, and the
//! `unused-suppression` report.

use std::path::Path;
use std::process::Command;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// `line rule` for each finding (all in one file), and the exit code.
fn findings(dir: &Path, args: &[&str]) -> (Vec<String>, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(["check", "--format", "concise"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| {
            let mut parts = line.splitn(4, ':');
            let _path = parts.next();
            let number = parts.next().unwrap();
            let _column = parts.next();
            let rule = line.split_once('[').unwrap().1.split_once(']').unwrap().0;
            format!("{number} {rule}")
        })
        .collect();
    (lines, output.status.code().unwrap())
}

fn messages(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(["check", "--format", "concise"])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn requirement_file_directives_on_the_line_and_above() {
    let text = "\
flask>=2  # pinwarden: ignore[version-range]
django>=4  # pinwarden: ignore[unpinned-requirement]
# Pinned by the platform team.
# pinwarden: ignore[version-range]
# (see ADR-12)
celery>=5
numpy>=1  # pinwarden: ignore
# pinwarden: ignore[ALL]

scipy>=1
pandas>=2  # PINWARDEN: ignore[version-*]
pkg @ https://example.com/pkg.whl#pinwarden:ignore
";
    let dir = tree(&[("requirements.txt", text)]);
    let (lines, code) = findings(dir.path(), &[]);
    assert_eq!(
        lines,
        [
            // Only the named rule is suppressed.
            "2 version-range",
            // A blank line ends a directive's reach.
            "10 version-range",
            // A `#` inside a URL is a fragment, not a comment.
            "12 url-requirement",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn toml_manifests_honour_comments_outside_strings_only() {
    let pyproject = r#"[project]
name = "app"
version = "1"
dependencies = [
    "flask>=2",  # pinwarden: ignore[version-range]
    "django>=4 ; python_version > '3' # pinwarden: ignore[version-range]",
    # pinwarden: ignore[unpinned-requirement]
    "requests",
]
"#;
    let pipfile = "[packages]\nrequests = \"*\"  # pinwarden: ignore[unpinned-requirement]\nflask = \">=2\"\n";
    let dir = tree(&[("pyproject.toml", pyproject), ("Pipfile", pipfile)]);
    let text = messages(dir.path(), &[]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    assert!(lines[0].starts_with("Pipfile:3:"), "{text}");
    assert!(lines[1].starts_with("pyproject.toml:6:"), "{text}");
}

#[test]
fn setup_cfg_directives() {
    // `tests_require`: not published metadata, so held to pins.
    let text = "[options]\ntests_require =\n    flask>=2  # pinwarden: ignore[version-range]\n    ; pinwarden: ignore[version-range]\n    django>=4\n    celery>=5\n";
    let dir = tree(&[("setup.cfg", text)]);
    assert_eq!(findings(dir.path(), &[]).0, ["6 version-range"]);
}

#[test]
fn env_file_secret_suppressed_without_showing_it() {
    let token = "ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp";
    let text = format!(
        "# pinwarden: ignore[secret-github-token]\nCI_TOKEN={token}\nOTHER_TOKEN={token}\nQUOTED=\"{token} # pinwarden: ignore\"\n"
    );
    let dir = tree(&[(".env.example", &text)]);
    let (lines, _) = findings(dir.path(), &[]);
    // The quoted `#` is part of the value, so line 4 is still reported.
    assert_eq!(lines, ["3 secret-github-token", "4 secret-github-token"]);
}

#[test]
fn unused_suppressions_are_reported_on_request_with_a_reason() {
    let text = "\
flask==3.0  # pinwarden: ignore[version-range]
django>=4  # pinwarden: ignore[version-range, no-such-rule]
requests  # pinwarden: ignore[missing-hash]
celery==5.0  # pinwarden: ignore
httpx>=0.27  # pinwarden: ignore[unpinned-*, version-range]
";
    let dir = tree(&[("requirements.txt", text)]);
    // Off by default.
    assert_eq!(findings(dir.path(), &[]).0, ["3 unpinned-requirement"]);
    let report = messages(dir.path(), &["--show-unused-suppressions"]);
    let unused: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("[unused-suppression]"))
        .collect();
    assert_eq!(unused.len(), 5, "{report}");
    assert!(unused[0].starts_with("requirements.txt:1:15: warning[unused-suppression]"));
    assert!(
        unused[0].ends_with("no `version-range` finding here"),
        "{report}"
    );
    assert!(
        unused[1].ends_with("`no-such-rule` names no rule"),
        "{report}"
    );
    assert!(unused[2].ends_with("`missing-hash` is not enabled for this file"));
    assert!(unused[3].ends_with("`pinwarden: ignore` suppresses no finding"));
    // The used part of a directive is not reported, only the unused one.
    assert!(
        unused[4].ends_with("no `unpinned-*` finding here"),
        "{report}"
    );
    // A warning: the exit code is decided by the error-severity finding alone.
    let (_, code) = findings(dir.path(), &["--show-unused-suppressions"]);
    assert_eq!(code, 1);

    // Configuration enables it the same way.
    std::fs::write(
        dir.path().join("pinwarden.toml"),
        "extend-select = [\"unused-suppression\"]\nignore = [\"unpinned-requirement\"]\n",
    )
    .unwrap();
    let (lines, code) = findings(dir.path(), &[]);
    assert_eq!(lines.len(), 5, "{lines:?}");
    assert!(lines.iter().all(|l| l.ends_with("unused-suppression")));
    assert_eq!(code, 0);
}

/// A directive whose rule list is never closed suppresses nothing (read as `ignore`
/// without brackets, it would hide every rule on the line) and is reported.
#[test]
fn an_unclosed_directive_suppresses_nothing_and_is_reported() {
    let dir = tree(&[(
        "requirements.txt",
        "django>=4  # pinwarden: ignore[version-range\nflask  # pinwarden: ignore[unpinned-requirement]\n",
    )]);
    assert_eq!(
        findings(dir.path(), &[]).0,
        ["1 version-range", "1 invalid-suppression"]
    );
}

/// Every way of writing a directive wrongly suppresses nothing and is reported with
/// what is wrong, in each family; an own-line one does not reach the next line either.
#[test]
fn a_malformed_directive_suppresses_nothing_and_says_what_is_wrong() {
    let dir = tree(&[
        (
            "requirements.txt",
            "django>=4  # pinwarden: ignore: version-range\nflask>=2  # pinwarden: ignore[version-range unpinned-requirement]\n# pinwarden: ignore[version-range\nrich>=13\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\ndescription = \"Ünïcode\"\ndependencies = [\n    \"attrs>=1\",  # pinwarden: ignore[version-range\n]\n",
        ),
    ]);
    let report = messages(dir.path(), &[]);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(
        lines,
        [
            "pyproject.toml:5:11: error[version-range] `attrs` allows more than one version: `>=1`",
            "pyproject.toml:5:20: warning[invalid-suppression] malformed suppression: `pinwarden: ignore[` has no closing `]`; it suppresses nothing",
            "requirements.txt:1:7: error[version-range] `django` allows more than one version: `>=4`",
            "requirements.txt:1:14: warning[invalid-suppression] malformed suppression: rules are named in brackets, `pinwarden: ignore[rule-name]`, not after a `:` or `=`; it suppresses nothing",
            "requirements.txt:2:6: error[version-range] `flask` allows more than one version: `>=2`",
            "requirements.txt:2:13: warning[invalid-suppression] malformed suppression: `version-range unpinned-requirement` is not a rule selector (rule names are separated by commas); it suppresses nothing",
            "requirements.txt:3:3: warning[invalid-suppression] malformed suppression: `pinwarden: ignore[` has no closing `]`; it suppresses nothing",
            "requirements.txt:4:5: error[version-range] `rich` allows more than one version: `>=13`",
        ],
        "{report}"
    );
    // Well-formed directives around them are unaffected.
    let dir = tree(&[(
        "requirements.txt",
        "django>=4  # pinwarden: ignore[version-range, unpinned-*]\nflask>=2  # pinwarden: ignore (reviewed)\n",
    )]);
    assert!(messages(dir.path(), &[]).is_empty());
}
