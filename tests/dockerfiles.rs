//! Dockerfiles from public projects (tests/data/dockerfiles, sources and commits in its
//! SOURCES.tsv), checked as a user would check them: every image not pinned to a
//! digest, every package a `RUN` line installs without a pin, and nothing else. The
//! findings were reviewed by hand and recorded in `expected.txt`; set
//! `PINWARDEN_BLESS=1` to rewrite it after a deliberate change (then review the diff).

mod common;

use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/dockerfiles")
}

/// A copy of the files `data`'s SOURCES.tsv lists, outside this repository, whose
/// configuration excludes its test data; `count` files are expected.
fn copy_listed(data: &Path, count: usize) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let sources = std::fs::read_to_string(data.join("SOURCES.tsv")).unwrap_or_else(|err| {
        panic!(
            "{}/SOURCES.tsv is part of the repository: {err}",
            data.display()
        )
    });
    let mut copied = 0;
    for line in sources
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let local = line.split('\t').next().unwrap();
        let target = dir.path().join(local);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(data.join(local), &target).unwrap_or_else(|err| panic!("{local}: {err}"));
        copied += 1;
    }
    assert_eq!(copied, count, "files listed in {}", data.display());
    dir
}

/// The nine Dockerfiles.
fn copy() -> tempfile::TempDir {
    copy_listed(&data(), 9)
}

#[test]
fn real_dockerfiles_give_their_reviewed_findings() {
    let dir = copy();
    let (code, stdout, stderr) = common::pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    let expected_path = data().join("expected.txt");
    if std::env::var_os("PINWARDEN_BLESS").is_some() {
        std::fs::write(&expected_path, &stdout).unwrap();
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap();
    assert_eq!(stdout, expected);
}

#[test]
fn every_format_runs_on_real_dockerfiles() {
    let dir = copy();
    for format in ["human", "json", "sarif", "github", "concise"] {
        let (code, stdout, stderr) = common::pinwarden(dir.path(), &["check", "--format", format]);
        assert_eq!(code, Some(1), "{format}: {stderr}");
        assert!(stdout.contains("python:3.11-slim"), "{format}: {stdout}");
    }
}

/// A `# pinwarden: ignore[…]` comment above a `FROM` or at the end of a `RUN` line
/// suppresses its findings, and the human report shows the Dockerfile's excerpt.
#[test]
fn suppressions_and_excerpts_in_a_dockerfile() {
    let dir = common::tree(&[(
        "Dockerfile",
        "# The base is rebuilt nightly by the platform team.\n# pinwarden: ignore[unpinned-image]\nFROM python:3.12-slim\nRUN pip install flask # pinwarden: ignore[unpinned-requirement]\nRUN pip install 'requests>=2'\n",
    )]);
    let (_, stdout, _) = common::pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        stdout,
        "Dockerfile:5:26: error[version-range] `requests` allows more than one version: `>=2`\n"
    );
    let (_, stdout, _) = common::pinwarden(dir.path(), &["check"]);
    assert!(
        stdout.contains(" 5 │ RUN pip install 'requests>=2'"),
        "{stdout}"
    );
}

/// Shell scripts are read for the same install commands as a `RUN` line.
#[test]
fn install_commands_in_shell_scripts() {
    let dir = common::tree(&[
        (
            "scripts/setup.sh",
            "#!/usr/bin/env bash\nset -euo pipefail\nsudo apt-get install -y jq\npython3 -m pip install --user pre-commit==4.0.1 black  # pinwarden: ignore[unpinned-requirement]\npip install -e '.[dev]'\ncat > notes.txt <<EOF\npip install not-a-command\nEOF\nnpx prettier --check .\n",
        ),
        ("ci/lint.bash", "uvx ruff@latest check .\n"),
    ]);
    let (_, stdout, _) = common::pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        stdout,
        "ci/lint.bash:1:5: error[unpinned-requirement] `ruff` is not pinned: any version may be installed\n\
         scripts/setup.sh:3:25: warning[unpinned-os-package] apt package `jq` has no version: whatever is newest when the command runs is installed\n",
    );
}

/// A workflow's `run:` steps are read for install commands: plain, literal and folded
/// scripts; a word with an expression (`${{ matrix.django }}`) is only known when the
/// job runs and is not judged.
#[test]
fn install_commands_in_workflow_run_steps() {
    let dir = common::tree(&[(
        ".github/workflows/ci.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n      - run: pip install -r requirements.txt\n      - run: |\n          python -m pip install --upgrade pip\n          pip install \"pytest>=8\" tox==4.23.2\n          npm install -g pnpm\n      - run: >\n          pip install ruff\n      - run: pip install ${{ matrix.django }} coverage==7.6.9\n",
    )]);
    let (_, stdout, _) = common::pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        stdout,
        ".github/workflows/ci.yml:9:43: error[unpinned-requirement] `pip` is not pinned: any version may be installed\n\
         .github/workflows/ci.yml:10:30: error[version-range] `pytest` allows more than one version: `>=8`\n\
         .github/workflows/ci.yml:11:26: error[unpinned-package] npm package `pnpm` has no version: whatever is newest when the command runs is installed\n\
         .github/workflows/ci.yml:13:23: error[unpinned-requirement] `ruff` is not pinned: any version may be installed\n"
    );
}

/// `pip install -r FILE` is followed: the file is linted as a requirement file, found
/// beside the Dockerfile or script (a workflow's run in the checkout), and
/// `--require-hashes` on the command line puts what it installs in pip's hash-checking
/// mode; without it the file's own hashes decide.
#[test]
fn install_commands_follow_their_requirement_files() {
    let dir = common::tree(&[
        ("deps/base.lst", "flask==3.0.3\nsix\n"),
        ("requirements.txt", "requests==2.32.3\n"),
        ("docs/requirements.txt", "sphinx==8.1.3\n"),
        (
            "Dockerfile",
            "FROM python:3.12@sha256:0000\nRUN pip install -r deps/base.lst\nRUN pip install -r docs/requirements.txt\n",
        ),
        (
            ".github/workflows/ci.yml",
            "on: push\njobs:\n  t:\n    steps:\n      - run: pip install --require-hashes -r requirements.txt\n",
        ),
    ]);
    let (_, stdout, _) = common::pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        stdout,
        "deps/base.lst:2:1: error[unpinned-requirement] `six` is not pinned: any version may be installed\n\
         requirements.txt:1:1: error[hash-checking-mode] `requests` has no hash: pip refuses it in hash-checking mode\n",
    );
    let (_, stdout, _) = common::pinwarden(dir.path(), &["check"]);
    assert!(
        stdout.contains("(`--require-hashes` on .github/workflows/ci.yml:5 turns it on)"),
        "{stdout}"
    );
}

/// Real shell scripts (tests/data/shell, sources in its SOURCES.tsv): build, test and
/// release scripts with here-strings, `$(…)`, quoted commands and a local `pip install
/// -e .`, none of which installs an unpinned package.
#[test]
fn real_shell_scripts_give_no_findings() {
    let dir = copy_listed(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/shell"),
        6,
    );
    let (code, stdout, stderr) = common::pinwarden(dir.path(), &["check", "--format", "json"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["files"], 6, "{stdout}");
    assert_eq!(
        json["findings"].as_array().map(Vec::len),
        Some(0),
        "{stdout}"
    );
}
