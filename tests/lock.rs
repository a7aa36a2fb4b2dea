//! Lock files: each format read from a realistic fixture (tests/data/locks/), the
//! `lock-drift` rule over the fixture projects, and what the `pin-from-lock` fix says
//! when it cannot pin.

use std::path::{Path, PathBuf};

use pinwarden::config::Settings;
use pinwarden::lock::{LockFile, LockFormat, Source};
use pinwarden::manifest::standing::ProjectKind;
use pinwarden::policy::{Finding, RuleSet};
use pinwarden::{CheckInput, Outcome, check};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/locks")
        .join(name)
}

fn read_lock(dir: &str, file: &str) -> LockFile {
    let path = fixture(dir).join(file);
    let format = LockFormat::of_file_name(file).expect("a lock file name");
    let text = std::fs::read_to_string(&path).unwrap();
    LockFile::parse(format, &text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn version(lock: &LockFile, name: &str) -> Vec<String> {
    lock.get(name)
        .iter()
        .filter_map(|p| p.version.as_ref().map(|v| v.text.clone()))
        .collect()
}

fn run(dir: &Path, select: &[&str]) -> Outcome {
    let rules = RuleSet::builtin().unwrap();
    // These tests are about fixes: ranges are flagged even where a lock pins them.
    let settings = Settings {
        select: Some(select.iter().map(|s| s.to_string()).collect()),
        require_exact_pins: true,
        project_kind: Some(ProjectKind::Application),
        ..Settings::default()
    };
    let input = CheckInput {
        paths: vec![dir.to_path_buf()],
        ..CheckInput::default()
    };
    let outcome = check(&input, &rules, &settings);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    outcome
}

fn summary(findings: &[Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{}:{} {}", f.rule.name, f.start.line, f.message))
        .collect()
}

#[test]
fn uv_lock_fixture() {
    let lock = read_lock("uv", "uv.lock");
    assert_eq!(version(&lock, "numpy"), ["2.0.2", "2.1.3"]);
    assert_eq!(version(&lock, "requests"), ["2.32.3"]);
    assert!(
        matches!(&lock.get("plotting-kit")[0].source, Source::Reproducible(s) if s.contains("github.com/example-org/plotting-kit"))
    );
    // The project itself, at a path of the checkout.
    assert!(matches!(
        &lock.get("forecaster")[0].source,
        Source::Reproducible(_)
    ));
    assert_eq!(lock.packages.len(), 14);
}

#[test]
fn poetry_lock_fixture() {
    let lock = read_lock("poetry", "poetry.lock");
    assert_eq!(version(&lock, "slack-bolt"), ["1.19.1"]);
    assert_eq!(version(&lock, "Jinja2"), ["3.1.4"]);
    // Its branch resolved to a full commit.
    assert!(
        matches!(&lock.get("toolbelt")[0].source, Source::Reproducible(s) if s.starts_with("git"))
    );
    assert_eq!(lock.packages.len(), 10);
}

#[test]
fn pdm_lock_fixture() {
    let lock = read_lock("pdm", "pdm.lock");
    // One entry per set of extras, one version.
    assert_eq!(version(&lock, "httpx"), ["0.27.0", "0.27.0"]);
    assert!(matches!(
        &lock.get("scraper-core")[0].source,
        Source::Direct(_)
    ));
    assert_eq!(lock.relock_command(), "pdm lock");
}

#[test]
fn pipfile_lock_fixture() {
    let lock = read_lock("pipenv", "Pipfile.lock");
    assert_eq!(version(&lock, "django"), ["5.0.7"]);
    assert_eq!(version(&lock, "pytest-django"), ["4.8.0"]);
    assert_eq!(lock.packages.len(), 6);
}

#[test]
fn pylock_fixture() {
    let lock = read_lock("pylock", "pylock.toml");
    assert_eq!(version(&lock, "markdown"), ["3.6"]);
    assert_eq!(lock.created_by.as_deref(), Some("uv"));
    assert_eq!(lock.packages.len(), 5);
}

#[test]
fn a_malformed_lock_is_an_error() {
    for (format, text) in [
        (LockFormat::Uv, "[[package]]\nname = \"a\"\nversion = [1]\n"),
        (LockFormat::Poetry, "[[package]\n"),
        (LockFormat::Pdm, "package = 3\n"),
        (LockFormat::Pipfile, "{\"default\": {\"a\": "),
        (LockFormat::Pylock, "[[packages]]\nversion = \"1.0\"\n"),
    ] {
        assert!(LockFile::parse(format, text).is_err(), "{format:?}");
    }
}

#[test]
fn lock_drift_in_each_fixture() {
    let expected: [(&str, &str, &[&str]); 5] = [
        (
            "uv",
            "uv.lock",
            &[
                "14 `scipy` requires `==1.13.0`, but {lock} locks 1.13.1",
                // The `test` group's `coverage` was added after the lock was written.
                "23 `coverage` requires any version, but {lock} locks no version of it",
            ],
        ),
        (
            "poetry",
            "poetry.lock",
            &["13 `structlog` requires `24.4.0`, but {lock} locks 24.2.0"],
        ),
        (
            "pipenv",
            "Pipfile.lock",
            &["11 `celery` requires `==5.3.6`, but {lock} locks 5.4.0"],
        ),
        (
            "pdm",
            "pdm.lock",
            &["8 `pytest` requires `>=7`, but {lock} locks 6.2.5"],
        ),
        ("pylock", "pylock.toml", &[]),
    ];
    for (dir, lock, want) in expected {
        let lock = fixture(dir).join(lock).display().to_string();
        let want: Vec<String> = want
            .iter()
            .map(|w| format!("lock-drift:{}", w.replace("{lock}", &lock)))
            .collect();
        let outcome = run(&fixture(dir), &["lock-drift"]);
        assert_eq!(summary(&outcome.findings), want, "{dir}");
        for finding in &outcome.findings {
            let help = finding.help.as_deref().unwrap_or_default();
            assert!(help.contains(" lock`"), "{help}");
        }
    }
}

#[test]
fn fix_help_says_why_a_finding_has_no_fix() {
    let outcome = run(&fixture("uv"), &["version-range", "unpinned-requirement"]);
    let help_of = |needle: &str| -> (String, bool) {
        let finding = outcome
            .findings
            .iter()
            .find(|f| f.message.contains(needle))
            .unwrap_or_else(|| {
                panic!("no finding for {needle}: {:#?}", summary(&outcome.findings))
            });
        (
            finding.help.as_deref().unwrap_or_default().to_string(),
            finding.fix.is_some(),
        )
    };
    let (help, fixed) = help_of("`numpy`");
    assert!(
        !fixed && help.contains("several versions of `numpy` (2.0.2, 2.1.3)"),
        "{help}"
    );
    let (help, fixed) = help_of("`plotting-kit`");
    assert!(
        !fixed && help.contains("not from a package index"),
        "{help}"
    );
    let (help, fixed) = help_of("`mkdocs`");
    assert!(
        !fixed && help.contains("1.5.3, which `>=1.6` does not allow"),
        "{help}"
    );
    let (help, fixed) = help_of("`setuptools`");
    assert!(
        !fixed && help.contains("do not cover build requirements"),
        "{help}"
    );
    let (help, fixed) = help_of("`coverage`");
    assert!(!fixed && help.contains("run `uv lock`"), "{help}");
    let (help, fixed) = help_of("`tqdm`");
    assert!(fixed && help.contains("pins it to 4.66.4"), "{help}");
}

#[test]
fn without_a_lock_findings_keep_the_rule_help_and_no_fix() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=2\", \"rich\"]\n",
    )
    .unwrap();
    let outcome = run(dir.path(), &["version-range", "unpinned-requirement"]);
    assert_eq!(outcome.findings.len(), 2);
    for finding in &outcome.findings {
        assert!(finding.fix.is_none());
        let help = finding.help.as_deref().unwrap();
        assert!(help.contains("with a lock file (`uv lock`"), "{help}");
    }
}

/// A uv workspace member is locked by the workspace root's `uv.lock`, found as uv
/// finds it, and so whichever path is checked.
#[test]
fn a_workspace_member_uses_the_workspace_lock_from_any_path() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let member = "[project]\nname = \"api\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n";
    write(
        "pyproject.toml",
        "[project]\nname = \"root\"\nversion = \"1\"\n[tool.uv.workspace]\nmembers = [\"packages/*\"]\nexclude = [\"packages/legacy\"]\n",
    );
    write("packages/api/pyproject.toml", member);
    write("packages/legacy/pyproject.toml", member);
    write(
        "uv.lock",
        "version = 1\n\n[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
    );
    let fixes = |outcome: &Outcome| -> Vec<(String, Option<String>)> {
        outcome
            .findings
            .iter()
            .map(|f| {
                let path = f.path.strip_prefix(dir.path()).unwrap_or(&f.path);
                (
                    path.display().to_string(),
                    f.fix.as_ref().map(|fix| fix.replacement.clone()),
                )
            })
            .collect()
    };
    let whole = fixes(&run(dir.path(), &["version-range"]));
    assert_eq!(
        whole,
        [
            (
                "packages/api/pyproject.toml".to_string(),
                Some("==3.0.3".to_string())
            ),
            ("packages/legacy/pyproject.toml".to_string(), None),
        ]
    );
    // Checking only the member finds the same lock above it.
    let api = run(&dir.path().join("packages/api"), &["version-range"]);
    assert_eq!(api.findings[0].fix.as_ref().unwrap().replacement, "==3.0.3");
    let legacy = run(&dir.path().join("packages/legacy"), &["version-range"]);
    assert!(legacy.findings[0].fix.is_none());
}

/// A lock in a parent directory that is not a uv workspace root belongs to that
/// project, not to the projects below it (test fixtures, examples).
#[test]
fn a_parent_projects_lock_is_not_a_nested_projects_lock() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("tests/fixtures/app");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(
        nested.join("pyproject.toml"),
        "[project]\nname = \"fixture\"\nversion = \"1\"\ndependencies = [\"flask>=4\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"main\"\nversion = \"1\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("poetry.lock"),
        "[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\n",
    )
    .unwrap();
    for path in [dir.path().to_path_buf(), nested.clone()] {
        let outcome = run(&path, &["version-range", "lock-drift"]);
        let rules: Vec<&str> = outcome
            .findings
            .iter()
            .map(|f| f.rule.name.as_str())
            .collect();
        assert_eq!(rules, ["version-range"], "{}", path.display());
        assert!(outcome.findings[0].fix.is_none());
    }
}

#[test]
fn an_unreadable_lock_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("pyproject.toml"),
        "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("uv.lock"), "version = 1\n[[package]\n").unwrap();
    let outcome = run(dir.path(), &["version-range", "lock-drift"]);
    assert_eq!(outcome.findings.len(), 1);
    let help = outcome.findings[0].help.as_deref().unwrap();
    assert!(help.contains("uv.lock could not be read"), "{help}");
}

#[test]
fn a_lock_file_gitignore_excludes_is_not_used() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let lock = "version = 1\n\n[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
    let project = "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n";
    write("ignored/pyproject.toml", project);
    write("ignored/uv.lock", lock);
    write("ignored/.gitignore", "uv.lock\n");
    write("kept/pyproject.toml", project);
    write("kept/uv.lock", lock);
    let fixes = |outcome: &Outcome| -> Vec<(String, bool)> {
        outcome
            .findings
            .iter()
            .map(|f| (f.path.display().to_string(), f.fix.is_some()))
            .collect()
    };
    // Walked: the committed lock gives a fix, the ignored one is not read.
    let walked = run(dir.path(), &["version-range"]);
    let walked = fixes(&walked);
    assert_eq!(walked.len(), 2, "{walked:?}");
    for (path, has_fix) in &walked {
        assert_eq!(*has_fix, path.contains("kept"), "{walked:?}");
    }
    // Named on the command line, as pre-commit does: the same answer.
    for (name, expect_fix) in [("ignored", false), ("kept", true)] {
        let outcome = run(
            &dir.path().join(name).join("pyproject.toml"),
            &["version-range"],
        );
        assert_eq!(outcome.findings.len(), 1);
        assert_eq!(outcome.findings[0].fix.is_some(), expect_fix, "{name}");
    }
    // A pinned requirements file named with `lock-files` is used even when ignored:
    // the configuration names it.
    write("ignored/requirements.txt", "flask>=2\n");
    write("ignored/requirements.lock", "flask==3.0.3\n");
    write("ignored/.gitignore", "uv.lock\nrequirements.lock\n");
    let settings = Settings {
        select: Some(vec!["version-range".to_string()]),
        lock_files: vec![dir.path().join("ignored/requirements.lock")],
        require_exact_pins: true,
        ..Settings::default()
    };
    let input = CheckInput {
        paths: vec![dir.path().join("ignored/requirements.txt")],
        ..CheckInput::default()
    };
    let outcome = check(&input, &RuleSet::builtin().unwrap(), &settings);
    let fix = outcome.findings[0]
        .fix
        .as_ref()
        .expect("pinned from the named lock");
    assert_eq!(fix.replacement, "==3.0.3");
}

/// A requirement the lock leaves out drifts where the lock lists every requirement of
/// its section on every platform, and only there.
#[test]
fn lock_drift_finds_requirements_the_lock_does_not_list() {
    let write = |files: &[(&str, &str)]| {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    };
    let uv_lock = "version = 1\n\n[[package]]\nname = \"app\"\nversion = \"0.1\"\nsource = { editable = \".\" }\n\n[[package]]\nname = \"rich\"\nversion = \"13.7.1\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
    let pyproject = r#"[project]
name = "app"
version = "0.1"
dependencies = [
    "rich>=13",
    "httpx",
    "pywin32; sys_platform == 'win32'",
]

[project.optional-dependencies]
all = ["app[extra]"]
extra = ["Requests>=2"]

[build-system]
requires = ["hatchling"]
"#;
    let dir = write(&[("pyproject.toml", pyproject), ("uv.lock", uv_lock)]);
    let outcome = run(dir.path(), &["lock-drift"]);
    let prefix = format!("{}/", dir.path().display());
    let found: Vec<String> = outcome
        .findings
        .iter()
        .map(|f| format!("{}:{}", f.start.line, f.message.replace(&prefix, "")))
        .collect();
    assert_eq!(
        found,
        [
            "6:`httpx` requires any version, but uv.lock locks no version of it",
            "12:`Requests` requires `>=2`, but uv.lock locks no version of it",
        ],
        "{found:#?}"
    );
    assert!(
        outcome.findings[0]
            .help
            .as_deref()
            .unwrap()
            .contains("`uv lock`")
    );

    // PDM locks the groups it is asked for: only `project.dependencies` is compared.
    let pdm_lock = "[metadata]\ngroups = [\"default\"]\n\n[[package]]\nname = \"rich\"\nversion = \"13.7.1\"\n";
    let pdm_project = "[project]\nname = \"app\"\ndependencies = [\"rich\", \"httpx\"]\n\n[dependency-groups]\ntest = [\"pytest\"]\n";
    let dir = write(&[("pyproject.toml", pdm_project), ("pdm.lock", pdm_lock)]);
    let found: Vec<u32> = run(dir.path(), &["lock-drift"])
        .findings
        .iter()
        .map(|f| f.start.line as u32)
        .collect();
    assert_eq!(found, [3]);

    // Pipenv locks `packages` and `dev-packages`.
    let pipfile = "[packages]\nrich = \"*\"\n\n[dev-packages]\npytest = \"*\"\n";
    let pipfile_lock = r#"{"_meta": {"sources": []}, "default": {"rich": {"hashes": [], "version": "==13.7.1"}}, "develop": {}}"#;
    let dir = write(&[("Pipfile", pipfile), ("Pipfile.lock", pipfile_lock)]);
    let prefix = format!("{}/", dir.path().display());
    let found: Vec<String> = run(dir.path(), &["lock-drift"])
        .findings
        .iter()
        .map(|f| format!("{}:{}", f.start.line, f.message.replace(&prefix, "")))
        .collect();
    assert_eq!(
        found,
        ["5:`pytest` requires any version, but Pipfile.lock locks no version of it"]
    );
}
