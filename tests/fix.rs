//! `check --fix` / `--diff`: pinning ranges and bare names from lock files.
//!
//! Every test works on a copy: the fixture projects in tests/data/locks/, the
//! example repositories, and the real-world corpus (as is, then with a generated lock
//! next to each pyproject.toml and Pipfile). The contract: only the specifier changes,
//! re-checking finds nothing left to fix, a second run changes nothing, and files with
//! nothing to fix stay byte-identical.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

use pinwarden::config::Settings;
use pinwarden::fix;
use pinwarden::lock::admits::admits;
use pinwarden::lock::{Locks, pin};
use pinwarden::manifest::standing::ProjectKind;
use pinwarden::manifest::{ManifestKind, Pin, Requirement};
use pinwarden::policy::RuleSet;
use pinwarden::{CheckInput, Outcome, check};
use uv_pep440::Version;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir`, with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

fn run(dir: &Path) -> Outcome {
    let rules = RuleSet::builtin().unwrap();
    let input = CheckInput {
        paths: vec![dir.to_path_buf()],
        // The test reads the parsed requirements of the outcome.
        keep_items: true,
        ..CheckInput::default()
    };
    // Fixes are for projects held to exact pins in the manifest itself.
    let settings = Settings {
        require_exact_pins: true,
        project_kind: Some(ProjectKind::Application),
        ..Settings::default()
    };
    check(&input, &rules, &settings)
}

fn count(outcome: &Outcome, rules: &[&str]) -> usize {
    outcome
        .findings
        .iter()
        .filter(|f| rules.contains(&f.rule.name.as_str()))
        .count()
}

const PIN_RULES: [&str; 2] = ["version-range", "unpinned-requirement"];

/// Fix `dir` in place and check the contract; returns the plan that was written.
fn fix_and_recheck(dir: &Path) -> fix::FixPlan {
    let before_files = snapshot(dir);
    let before = run(dir);
    let plan = fix::plan(&before);
    assert_eq!(plan.skipped, 0, "overlapping or stale edits");
    assert_eq!(plan.write(), Vec::new());
    let written: Vec<PathBuf> = plan
        .files
        .iter()
        .map(|f| f.path.strip_prefix(dir).unwrap().to_path_buf())
        .collect();
    let after_files = snapshot(dir);
    assert_eq!(
        before_files.keys().collect::<Vec<_>>(),
        after_files.keys().collect::<Vec<_>>(),
        "a fix created or removed a file"
    );
    for (path, bytes) in &before_files {
        if !written.contains(path) {
            assert!(
                after_files[path] == *bytes,
                "{} changed without a fix",
                path.display()
            );
        } else {
            assert!(after_files[path] != *bytes);
        }
    }
    let after = run(dir);
    // Unsafe fixes wait for `--unsafe-fixes`.
    assert!(
        after
            .findings
            .iter()
            .all(|f| f.fix.as_ref().is_none_or(|edit| edit.unsafe_fix)),
        "fixable findings remain after --fix"
    );
    assert_eq!(
        count(&before, &PIN_RULES) - count(&after, &PIN_RULES),
        plan.fixed(),
        "each fixed finding disappears, no other"
    );
    assert_eq!(
        count(&before, &["parse-error"]),
        count(&after, &["parse-error"]),
        "a fix broke the syntax of a file"
    );
    assert_eq!(
        count(&before, &["lock-drift"]),
        count(&after, &["lock-drift"]),
        "a fix changed what the lock contradicts"
    );
    // Idempotent: a second run has nothing to do.
    assert!(fix::plan(&after).is_empty());
    plan
}

/// `text` with each `(from, to)` replaced exactly once.
fn replaced(text: &str, replacements: &[(&str, &str)]) -> String {
    let mut out = text.to_string();
    for (from, to) in replacements {
        assert_eq!(out.matches(from).count(), 1, "{from}");
        out = out.replacen(from, to, 1);
    }
    out
}

fn fixture_fixed_to(name: &str, manifest: &str, replacements: &[(&str, &str)]) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/data/locks").join(name), dir.path());
    let original = std::fs::read_to_string(dir.path().join(manifest)).unwrap();
    let plan = fix_and_recheck(dir.path());
    assert_eq!(plan.fixed(), replacements.len(), "{name}");
    let fixed = std::fs::read_to_string(dir.path().join(manifest)).unwrap();
    assert_eq!(fixed, replaced(&original, replacements), "{name}");
}

#[test]
fn uv_project_is_pinned_from_uv_lock() {
    fixture_fixed_to(
        "uv",
        "pyproject.toml",
        &[
            ("\"pandas>=2.0,<3\"", "\"pandas==2.2.2\""),
            (
                "\"requests [socks] >= 2.31 ; python_version >= '3.9'\"",
                "\"requests [socks] ==2.32.3 ; python_version >= '3.9'\"",
            ),
            ("\"tqdm\"", "\"tqdm==4.66.4\""),
            ("'rich>=13'", "'rich==13.7.1'"),
            ("\"boto3~=1.34\"", "\"boto3==1.34.144\""),
            ("\"pytest>=8.0\"", "\"pytest==8.3.2\""),
            ("\"hypothesis\"", "\"hypothesis==6.108.5\""),
            ("\"urllib3<2\"", "\"urllib3==1.26.19\""),
        ],
    );
}

#[test]
fn poetry_project_gets_bare_poetry_versions() {
    fixture_fixed_to(
        "poetry",
        "pyproject.toml",
        &[
            ("slack-bolt = \"^1.19\"", "slack-bolt = \"1.19.1\""),
            ("version = \">=0.27,<0.28\"", "version = \"0.27.0\""),
            ("pydantic = \"*\"", "pydantic = \"2.8.2\""),
            ("tenacity = \"~8.2\"", "tenacity = \"8.2.3\""),
            ("jinja2 = \">=3.1 <4\"", "jinja2 = \"3.1.4\""),
            ("pytest = \"^8.0\"", "pytest = \"8.3.2\""),
            ("mypy = \"^1.10\"", "mypy = \"1.11.0\""),
        ],
    );
}

#[test]
fn pipfile_is_pinned_from_pipfile_lock() {
    fixture_fixed_to(
        "pipenv",
        "Pipfile",
        &[
            ("\ndjango = \"*\"", "\ndjango = \"==5.0.7\""),
            ("gunicorn = \">=22.0\"", "gunicorn = \"==22.0.0\""),
            ("{version = \"*\", extras", "{version = \"==3.2.1\", extras"),
            ("pytest-django = \"*\"", "pytest-django = \"==4.8.0\""),
        ],
    );
}

#[test]
fn pdm_project_is_pinned_where_the_lock_allows() {
    fixture_fixed_to(
        "pdm",
        "pyproject.toml",
        &[
            ("\"httpx[http2]>=0.27\"", "\"httpx[http2]==0.27.0\""),
            ("\"selectolax\"", "\"selectolax==0.3.21\""),
        ],
    );
}

#[test]
fn setup_cfg_is_pinned_from_pylock_keeping_comments_and_markers() {
    fixture_fixed_to(
        "pylock",
        "setup.cfg",
        &[
            ("jinja2>=3.1  # templates", "jinja2==3.1.4  # templates"),
            (
                "weasyprint; sys_platform == \"linux\"",
                "weasyprint==62.3; sys_platform == \"linux\"",
            ),
            ("markdown[extra] >=3.6,<4", "markdown[extra] ==3.6"),
            ("click~=8.1", "click==8.1.7"),
        ],
    );
}

#[test]
fn crlf_and_byte_order_mark_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[options]\r\ninstall_requires =\r\n    jinja2>=3.1\r\n    click\r\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    std::fs::write(dir.path().join("setup.cfg"), &bytes).unwrap();
    std::fs::copy(
        repo().join("tests/data/locks/pylock/pylock.toml"),
        dir.path().join("pylock.toml"),
    )
    .unwrap();
    fix_and_recheck(dir.path());
    let mut expected = vec![0xEF, 0xBB, 0xBF];
    expected.extend_from_slice(
        b"[options]\r\ninstall_requires =\r\n    jinja2==3.1.4\r\n    click==8.1.7\r\n",
    );
    assert_eq!(
        std::fs::read(dir.path().join("setup.cfg")).unwrap(),
        expected
    );
}

#[test]
fn a_pinned_requirements_file_can_serve_as_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("setup.cfg"),
        "[options]\ninstall_requires =\n    django>=4.2,<5.0\n    asgiref\n",
    )
    .unwrap();
    let lock = dir.path().join("requirements.lock");
    std::fs::write(
        &lock,
        "# pip-compile --generate-hashes setup.cfg\nasgiref==3.8.1 \\\n    --hash=sha256:3e1e3ecc849832fe52ccf2cb6686b7a55f82bb1d6aee72a58826471390335e47\n    # via django\ndjango==4.2.16\n",
    )
    .unwrap();
    let mut outcome = run(dir.path());
    assert!(outcome.findings.iter().all(|f| f.fix.is_none()));
    let locks = Locks::discover(&outcome.files, &[lock]);
    pin::attach_fixes(&mut outcome.findings, &outcome.files, &locks);
    let plan = fix::plan(&outcome);
    assert_eq!(plan.fixed(), 2);
    assert_eq!(
        plan.files[0].after,
        "[options]\ninstall_requires =\n    django==4.2.16\n    asgiref==3.8.1\n"
    );
}

#[test]
fn examples_are_fixed_and_recheck_clean() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples"), dir.path());
    let plan = fix_and_recheck(dir.path());
    let fixed: Vec<String> = plan
        .files
        .iter()
        .map(|f| {
            f.path
                .strip_prefix(dir.path())
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    assert_eq!(
        fixed,
        [
            "app-with-lock/pyproject.toml",
            "fullstack/frontend/package.json"
        ]
    );
    // Six in the pyproject.toml; `axios` and `typescript` from package-lock.json.
    assert_eq!(plan.fixed(), 8);
    let frontend =
        std::fs::read_to_string(dir.path().join("fullstack/frontend/package.json")).unwrap();
    assert!(frontend.contains("\"axios\": \"1.7.2\""), "{frontend}");
    assert!(frontend.contains("\"typescript\": \"5.4.5\""), "{frontend}");
    let text = std::fs::read_to_string(dir.path().join("app-with-lock/pyproject.toml")).unwrap();
    assert!(text.contains("\"uvicorn[standard]==0.30.3 ; sys_platform != 'win32'\""));
    assert!(text.contains("    # uvloop and httptools do not build on Windows\n"));
    // The build requirement is not in uv.lock and the lock contradicts the SQLAlchemy
    // pin: both stay reported.
    let after = run(dir.path());
    let remaining: Vec<&str> = after
        .findings
        .iter()
        .filter(|f| f.path.starts_with(dir.path().join("app-with-lock")))
        .map(|f| f.rule.name.as_str())
        .collect();
    assert_eq!(remaining, ["version-range", "lock-drift"]);
}

fn cli(args: &[&str], dir: &Path) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .args(["--require-exact-pins", "--project-kind", "application"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn cli_diff_previews_and_fix_writes() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/data/locks/pipenv"), dir.path());
    let original = snapshot(dir.path());

    let (diff, _, code) = cli(&["check", "--diff", "."], dir.path());
    assert_eq!(code, 1, "{diff}");
    assert!(diff.starts_with("--- Pipfile\n+++ Pipfile\n@@ "), "{diff}");
    assert!(diff.contains("\n-django = \"*\"\n"), "{diff}");
    assert!(diff.contains("\n+django = \"==5.0.7\"\n"), "{diff}");
    assert_eq!(snapshot(dir.path()), original, "--diff wrote a file");

    let (report, errors, code) = cli(&["check", "--fix", "--format", "concise", "."], dir.path());
    assert!(
        errors.contains("Fixed 4 finding(s) in 1 file(s)."),
        "{errors}"
    );
    // What remains: the drifted celery pin, and whitenoise (a table without a version).
    assert_eq!(code, 1);
    assert!(
        report.contains("lock-drift") && report.contains("whitenoise"),
        "{report}"
    );
    // The Pipfile's findings (the hand-made lock's entries have no hashes).
    let pipfile: Vec<&str> = report
        .lines()
        .filter(|line| line.starts_with("Pipfile:"))
        .collect();
    assert!(
        !pipfile.iter().any(|line| line.contains("django")),
        "{report}"
    );
    let fixed = snapshot(dir.path());
    assert_ne!(fixed, original);

    let (_, errors, _) = cli(&["check", "--fix", "."], dir.path());
    assert!(!errors.contains("Fixed"), "{errors}");
    assert_eq!(
        snapshot(dir.path()),
        fixed,
        "a second --fix changed something"
    );
    let (diff, _, code) = cli(&["check", "--diff", "."], dir.path());
    assert_eq!((diff.as_str(), code), ("", 0));
}

#[test]
fn cli_uses_lock_files_named_in_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    write("pinwarden.toml", "lock-files = [\"requirements.txt\"]\n");
    write(
        "requirements.in",
        "# direct dependencies; compiled into requirements.txt\ndjango>=4.2,<5.0\ncelery[redis]\n",
    );
    write(
        "requirements.txt",
        "#\n# This file is autogenerated by pip-compile with Python 3.12\n#\n\
         amqp==5.2.0\n    # via kombu\ncelery[redis]==5.4.0\n    # via -r requirements.in\n\
         django==4.2.16\n    # via -r requirements.in\nkombu==5.3.7\n    # via celery\n",
    );
    let lock_before = std::fs::read(dir.path().join("requirements.txt")).unwrap();
    let (report, errors, code) = cli(&["check", "--fix", "--format", "concise", "."], dir.path());
    assert!(
        errors.contains("Fixed 2 finding(s) in 1 file(s)."),
        "{errors}{report}"
    );
    assert_eq!((report.as_str(), code), ("", 0), "{errors}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requirements.in")).unwrap(),
        "# direct dependencies; compiled into requirements.txt\ndjango==4.2.16\ncelery[redis]==5.4.0\n"
    );
    assert_eq!(
        std::fs::read(dir.path().join("requirements.txt")).unwrap(),
        lock_before
    );

    write("pinwarden.toml", "lock-files = [\"missing.txt\"]\n");
    let (_, errors, code) = cli(&["check", "."], dir.path());
    assert_eq!(code, 2);
    assert!(
        errors.contains("lock file") && errors.contains("missing.txt"),
        "{errors}"
    );
}

#[test]
fn fix_refuses_standard_input() {
    let (_, errors, code) = cli(
        &["check", "--fix", "--stdin-filename", "requirements.in"],
        &repo(),
    );
    assert_eq!(code, 2);
    assert!(errors.contains("--stdin-filename"), "{errors}");
}

fn corpus() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    assert!(
        path.is_dir(),
        "the corpus is part of the repository, yet {} is missing",
        path.display()
    );
    path
}

/// The corpus holds no lock file of a Python tool; its only locks are pip-compile
/// outputs (`x.txt` compiled from `x.in` beside it), so only those inputs are fixed.
#[test]
fn corpus_is_fixed_only_from_compiled_pip_tools_outputs() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpus, dir.path());
    let outcome = run(dir.path());
    assert!(count(&outcome, &PIN_RULES) > 1000);
    let plan = fix::plan(&outcome);
    assert!(
        !plan.is_empty(),
        "the pip-compile inputs of the corpus get fixes"
    );
    for file in &plan.files {
        let compiled = file.path.with_extension("txt");
        assert!(
            file.path.extension().is_some_and(|ext| ext == "in") && compiled.is_file(),
            "no lock, yet a fix for {:?}",
            file.path
        );
        let header = std::fs::read_to_string(&compiled).unwrap();
        let name = file.path.file_name().unwrap().to_str().unwrap();
        assert!(header.contains(name), "{compiled:?} does not name {name}");
    }
}

/// A version every requirement in `reqs` admits, from the versions they name.
fn satisfying_version(kind: ManifestKind, reqs: &[&Requirement]) -> Option<String> {
    let mut candidates = Vec::new();
    for req in reqs {
        for clause in &req.clauses {
            let base = clause
                .version
                .trim_start_matches('v')
                .trim_end_matches(['*', 'x', 'X'])
                .trim_end_matches('.');
            let Ok(version) = Version::from_str(base) else {
                continue;
            };
            let mut release: Vec<u64> = version.release().to_vec();
            candidates.push(base.to_string());
            if let Some(last) = release.last_mut() {
                *last += 1;
            }
            candidates.push(join(&release));
            candidates.push(format!("{base}.1"));
        }
    }
    candidates.push("1.0.0".to_string());
    candidates.into_iter().find(|candidate| {
        let version = pinwarden::lock::LockedVersion {
            text: candidate.clone(),
            parsed: Version::from_str(candidate).unwrap(),
        };
        reqs.iter()
            .all(|req| admits(kind, req, &version) == Some(true))
    })
}

fn join(release: &[u64]) -> String {
    release
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

/// Write a `uv.lock` next to every corpus `pyproject.toml` and a `Pipfile.lock` next to
/// every `Pipfile`, holding one version per project that all its requirements allow.
fn write_generated_locks(outcome: &Outcome) -> usize {
    let mut written = 0;
    let mut uv_packages: Vec<(PathBuf, String)> = Vec::new();
    for file in &outcome.files {
        let kind = file.manifest.kind;
        if !matches!(kind, ManifestKind::Pyproject | ManifestKind::Pipfile) {
            continue;
        }
        let mut by_name: BTreeMap<String, Vec<&Requirement>> = BTreeMap::new();
        for req in file.manifest.requirements() {
            let locked_here = match kind {
                ManifestKind::Pipfile => true,
                _ => {
                    req.section.starts_with("project.")
                        || req.section.starts_with("dependency-groups.")
                        || req.section.starts_with("tool.uv.")
                }
            };
            if !locked_here
                || req.url.is_some()
                || matches!(req.pin, Pin::Url | Pin::VcsCommit | Pin::VcsRef)
            {
                continue;
            }
            if let Some(name) = req.canonical_name() {
                by_name.entry(name.into_owned()).or_default().push(req);
            }
        }
        // A project no version satisfies is still listed, without a version, as a
        // lock lists what it could not pin: the lock holds every requirement.
        let versions: Vec<(String, Option<String>)> = by_name
            .iter()
            .map(|(name, reqs)| (name.clone(), satisfying_version(kind, reqs)))
            .collect();
        let dir = file.manifest.path.parent().unwrap();
        if kind == ManifestKind::Pipfile {
            let default: serde_json::Map<String, serde_json::Value> = versions
                .iter()
                .map(|(name, version)| {
                    let entry = match version {
                        Some(version) => {
                            serde_json::json!({ "index": "pypi", "version": format!("=={version}") })
                        }
                        None => serde_json::json!({ "index": "pypi" }),
                    };
                    (name.clone(), entry)
                })
                .collect();
            let lock = serde_json::json!({ "_meta": { "pipfile-spec": 6 }, "default": default });
            std::fs::write(dir.join("Pipfile.lock"), lock.to_string()).unwrap();
        } else {
            let mut lock = String::new();
            for (name, version) in &versions {
                let version = version
                    .as_ref()
                    .map(|version| format!("version = \"{version}\"\n"))
                    .unwrap_or_default();
                lock.push_str(&format!(
                    "\n[[package]]\nname = \"{name}\"\n{version}source = {{ registry = \"https://pypi.org/simple\" }}\n"
                ));
            }
            uv_packages.push((dir.to_path_buf(), lock));
        }
        written += 1;
    }
    // A uv workspace's lock holds its members' packages too: each lock lists those of
    // every project at or below its directory.
    for (dir, _) in &uv_packages {
        let mut lock = String::from("version = 1\nrevision = 2\n");
        for (below, packages) in &uv_packages {
            if below.starts_with(dir) {
                lock.push_str(packages);
            }
        }
        std::fs::write(dir.join("uv.lock"), lock).unwrap();
    }
    written
}

#[test]
fn corpus_with_generated_locks_is_fixed_and_recheck_clean() {
    let corpus = corpus();
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&corpus, dir.path());
    let locks = write_generated_locks(&run(dir.path()));
    assert!(locks > 50, "{locks} locks");
    let before = run(dir.path());
    let drifts: Vec<String> = before
        .findings
        .iter()
        .filter(|f| f.rule.name == "lock-drift")
        .map(|f| format!("{}:{} {}", f.path.display(), f.start.line, f.message))
        .collect();
    assert_eq!(drifts, Vec::<String>::new(), "generated locks drift");
    let plan = fix_and_recheck(dir.path());
    assert!(plan.fixed() > 1000, "{} fixed", plan.fixed());
    // Every fixed requirement now names exactly the locked version.
    let after = run(dir.path());
    let by_path: HashMap<&Path, &fix::FileFix> =
        plan.files.iter().map(|f| (f.path.as_path(), f)).collect();
    for file in &after.files {
        if by_path.contains_key(&*file.manifest.path) {
            assert!(
                file.manifest.requirements().any(|r| r.pin == Pin::Exact),
                "{}",
                file.manifest.path.display()
            );
        }
    }
}
