//! Lock content rules: what each Python lock format installs from, reported into the
//! lock file itself, through the whole CLI (configuration, redaction, every format).

use std::path::Path;
use std::process::Command;

fn pinwarden(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `path:line:col rule` of each finding of the concise report.
fn findings(out: &str) -> Vec<String> {
    out.lines()
        .filter_map(|line| {
            let (place, rest) = line.split_once(": ")?;
            let rule = rest.split_once('[')?.1.split_once(']')?.0;
            Some(format!("{place} {rule}"))
        })
        .collect()
}

const TOKEN: &str = "ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp";
const HASH: &str = "sha256:82fee1fc78add43492d3a1898bfa6d8a904cc97d8427f683ed8e798d07761aa0";

fn uv_lock() -> String {
    format!(
        r#"version = 1
requires-python = ">=3.12"

[[package]]
name = "idna"
version = "3.7"
source = {{ registry = "http://pypi.internal/simple" }}
sdist = {{ url = "http://pypi.internal/files/idna-3.7.tar.gz", hash = "{HASH}" }}
wheels = [
    {{ url = "https://files.pythonhosted.org/packages/idna-3.7-py3-none-any.whl" }},
]

[[package]]
name = "lib"
version = "1.0"
source = {{ git = "https://{TOKEN}@github.com/acme/lib?branch=main" }}

[[package]]
name = "shared"
version = "0.1"
source = {{ directory = "../shared" }}

[[package]]
name = "app"
version = "0.1"
source = {{ editable = "." }}
"#
    )
}

#[test]
fn uv_lock_sources_are_judged_where_the_lock_writes_them() {
    let dir = project(&[("uv.lock", &uv_lock())]);
    let (out, _, code) = pinwarden(
        dir.path(),
        &[
            "--isolated",
            "--format",
            "concise",
            "--extend-select",
            "lock-local-source",
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("index `http://pypi.internal/simple` is fetched over plain HTTP"),
        "{out}"
    );
    assert!(
        out.contains("`idna` has no hash for its wheel in the lock"),
        "{out}"
    );
    assert_eq!(
        findings(&out),
        [
            "uv.lock:7:24 lock-insecure-source",
            "uv.lock:7:24 lock-untrusted-host",
            "uv.lock:8:18 lock-insecure-source",
            "uv.lock:8:18 lock-untrusted-host",
            "uv.lock:10:14 lock-missing-hash",
            "uv.lock:16:19 lock-git-not-commit",
            "uv.lock:16:19 secret-requirement-credentials",
            "uv.lock:21:25 lock-local-source",
        ],
        "{out}"
    );
    // The token is never shown, in any format.
    for format in ["concise", "full", "json", "sarif", "github"] {
        let (out, err, _) = pinwarden(dir.path(), &["--isolated", "--format", format]);
        assert!(
            !out.contains(TOKEN) && !err.contains(TOKEN),
            "{format}: {out}"
        );
    }
}

#[test]
fn allowed_hosts_come_from_the_locks_table() {
    let lock = uv_lock().replace("http://", "https://");
    let config = "[locks]\nallowed-hosts = [\"*.internal\", \"pypi.internal\", \"files.pythonhosted.org\"]\n";
    let dir = project(&[("uv.lock", &lock), ("pinwarden.toml", config)]);
    let (out, _, _) = pinwarden(
        dir.path(),
        &["--format", "concise", "--select", "lock-untrusted-host"],
    );
    assert_eq!(findings(&out), Vec::<String>::new(), "{out}");
    // Without the table, the default list: the Python Package Index only.
    let (out, _, _) = pinwarden(
        dir.path(),
        &[
            "--isolated",
            "--format",
            "concise",
            "--select",
            "lock-untrusted-host",
        ],
    );
    assert_eq!(
        findings(&out),
        [
            "uv.lock:7:24 lock-untrusted-host",
            "uv.lock:8:18 lock-untrusted-host"
        ],
        "{out}"
    );
    // A URL is not a host name: a configuration error with its place.
    let bad = "[locks]\nallowed-hosts = [\"https://pypi.internal/simple\"]\n";
    let dir = project(&[("uv.lock", &lock), ("pinwarden.toml", bad)]);
    let (_, err, code) = pinwarden(dir.path(), &["--format", "concise"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("is not a host name"), "{err}");
}

#[test]
fn each_format_reports_its_own_places() {
    let cases: [(&str, String, &[&str]); 4] = [
        (
            "poetry.lock",
            format!(
                r#"[[package]]
name = "certifi"
version = "2024.7.4"
files = [
    {{file = "certifi-2024.7.4-py3-none-any.whl", hash = "{HASH}"}},
]

[[package]]
name = "internal"
version = "3.1.0"
files = []

[package.source]
type = "legacy"
url = "http://pypi.example.org/simple"
reference = "internal"

[[package]]
name = "toolbelt"
version = "0.4.0"
files = []

[package.source]
type = "git"
url = "https://github.com/o/toolbelt.git"
reference = "main"
"#
            ),
            &[
                "poetry.lock:11:9 lock-missing-hash",
                "poetry.lock:15:8 lock-insecure-source",
                "poetry.lock:15:8 lock-untrusted-host",
                "poetry.lock:25:8 lock-git-not-commit",
            ],
        ),
        (
            "pdm.lock",
            r#"[[package]]
name = "httpx"
version = "0.27.0"
files = [
    {file = "httpx-0.27.0.tar.gz"},
]

[[package]]
name = "core"
version = "0.1.0"
git = "git://github.com/o/core.git"
ref = "v1"
"#
            .to_string(),
            &[
                "pdm.lock:5:14 lock-missing-hash",
                "pdm.lock:11:8 lock-git-not-commit",
                "pdm.lock:11:8 lock-insecure-source",
            ],
        ),
        (
            "Pipfile.lock",
            r#"{
    "_meta": {
        "sources": [
            {"name": "mirror", "url": "https://pypi.mirror.example/simple", "verify_ssl": false}
        ]
    },
    "default": {
        "six": {"hashes": [], "version": "==1.16.0"}
    }
}
"#
            .to_string(),
            &[
                "Pipfile.lock:4:40 lock-untrusted-host",
                "Pipfile.lock:4:91 lock-insecure-source",
                "Pipfile.lock:8:27 lock-missing-hash",
            ],
        ),
        (
            "pylock.toml",
            format!(
                r#"lock-version = "1.0"
created-by = "uv"

[[packages]]
name = "idna"
version = "3.7"
index = "https://pypi.org/simple"
wheels = [{{ url = "https://files.pythonhosted.org/packages/idna-3.7-py3-none-any.whl", hashes = {{ sha256 = "{}" }} }}]

[[packages]]
name = "plugin"
vcs = {{ type = "git", url = "https://github.com/o/plugin.git", requested-revision = "main" }}
"#,
                &HASH[7..]
            ),
            &["pylock.toml:12:30 lock-git-not-commit"],
        ),
    ];
    for (name, text, expected) in cases {
        let dir = project(&[(name, &text)]);
        let (out, _, _) = pinwarden(dir.path(), &["--isolated", "--format", "concise"]);
        assert_eq!(findings(&out), expected, "{name}: {out}");
        if name == "Pipfile.lock" {
            assert!(
                out.contains("index `mirror` is fetched with TLS certificate verification off"),
                "{out}"
            );
        }
    }
}

#[test]
fn real_locks_of_public_projects_are_clean() {
    // Locks written by uv, Poetry, PDM, pipenv and PDM's PEP 751 export against PyPI,
    // from the projects named in tests/data/real-repos/SOURCES.tsv and
    // tests/data/locks/real/SOURCES: every file they list is read, with its hash, and
    // none is flagged.
    use pinwarden::manifest::{Item, LockSourceType, ManifestKind};
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for (lock, kind, at_least) in [
        (
            "real-repos/pallets__flask/uv.lock",
            ManifestKind::UvLock,
            100,
        ),
        (
            "real-repos/pydantic__pydantic/uv.lock",
            ManifestKind::UvLock,
            1000,
        ),
        (
            "real-repos/python-poetry__poetry/poetry.lock",
            ManifestKind::PoetryLock,
            100,
        ),
        (
            "real-repos/pydantic__pydantic/.github/actions/people/pylock.toml",
            ManifestKind::Pylock,
            10,
        ),
        ("locks/real/pdm/pdm.lock", ManifestKind::PdmLock, 100),
        ("locks/real/pdm-demo/pylock.toml", ManifestKind::Pylock, 2),
        (
            "locks/real/pipenv/Pipfile.lock",
            ManifestKind::PipfileLock,
            20,
        ),
    ] {
        let path = data.join(lock);
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is missing: {e}", path.display()));
        let items = pinwarden::manifest::parse(kind, &text);
        let artifacts: Vec<_> = items
            .iter()
            .filter_map(|item| match item {
                Item::LockSource(source) if source.source_type == LockSourceType::Artifact => {
                    Some(source)
                }
                Item::ParseError(error) => panic!("{lock}: {error:?}"),
                _ => None,
            })
            .collect();
        assert!(
            artifacts.len() >= at_least,
            "{lock}: {} files",
            artifacts.len()
        );
        assert!(artifacts.iter().all(|a| a.hashed == Some(true)), "{lock}");
        let (out, _, code) = pinwarden(
            &data,
            &["--isolated", "--format", "concise", path.to_str().unwrap()],
        );
        assert_eq!((code, out.as_str()), (0, ""), "{lock}");
    }
}

#[test]
fn a_vcs_ref_takes_the_commit_the_lock_resolved_only_with_unsafe_fixes() {
    let commit = "0d4f3c9b1e2a7f6d5c4b3a291807f6e5d4c3b2a1";
    let uv = format!(
        "version = 1\n\n[[package]]\nname = \"lib\"\nversion = \"1.0\"\nsource = {{ git = \"https://github.com/acme/lib?branch=main#{commit}\" }}\n"
    );
    let poetry = format!(
        "[[package]]\nname = \"lib\"\nversion = \"1.0\"\nfiles = []\n\n[package.source]\ntype = \"git\"\nurl = \"https://github.com/acme/lib.git\"\nreference = \"main\"\nresolved_reference = \"{commit}\"\n"
    );
    for (name, lock) in [("uv.lock", uv), ("poetry.lock", poetry)] {
        let requirements = "lib @ git+https://github.com/acme/lib@main  # via app\nflask==3.0.3\n";
        let dir = project(&[(name, &lock), ("requirements.txt", requirements)]);
        let args = [
            "--isolated",
            "--select",
            "vcs-without-commit",
            "requirements.txt",
        ];
        let (out, _, code) = pinwarden(dir.path(), &args);
        assert_eq!(code, 1, "{name}: {out}");
        assert!(out.contains("--unsafe-fixes` pins it to"), "{name}: {out}");
        // A safe `--fix` leaves it.
        pinwarden(dir.path(), &[&args[..], &["--fix"]].concat());
        let text = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
        assert_eq!(text, requirements, "{name}");
        pinwarden(
            dir.path(),
            &[&args[..], &["--fix", "--unsafe-fixes"]].concat(),
        );
        let text = std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap();
        assert_eq!(
            text,
            format!(
                "lib @ git+https://github.com/acme/lib@{commit}  # main  # via app\nflask==3.0.3\n"
            ),
            "{name}"
        );
        let (out, _, code) = pinwarden(dir.path(), &args);
        assert_eq!(code, 0, "{name}: {out}");
    }
}

#[test]
fn the_lock_policy_example_shows_each_rule_and_fix() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let (out, _, code) = pinwarden(
        &examples,
        &["--isolated", "--format", "concise", "lock-policy"],
    );
    assert_eq!(code, 1, "{out}");
    let rules: Vec<String> = findings(&out)
        .into_iter()
        .map(|f| f.rsplit_once(' ').unwrap().1.to_string())
        .collect();
    for rule in [
        "lock-drift",
        "vcs-without-commit",
        "lock-insecure-source",
        "lock-untrusted-host",
        "lock-missing-hash",
    ] {
        assert!(rules.iter().any(|r| r == rule), "{rule}: {out}");
    }
    let (diff, _, _) = pinwarden(
        &examples,
        &[
            "--isolated",
            "--extend-select",
            "missing-hash",
            "--diff",
            "--unsafe-fixes",
            "lock-policy",
        ],
    );
    assert!(
        diff.contains("+click==8.3.2 \\\n+    --hash=sha256:14162b8b"),
        "{diff}"
    );
    assert!(
        diff.contains("@8b1f0c2e4d6a8b0c2e4f6a8b0c2d4e6f8a0b2c4d  # main"),
        "{diff}"
    );
}
