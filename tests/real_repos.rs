//! Real repositories: the manifests, lock files and ignore files of ten public Python
//! projects (tests/data/real-repos, sources and commits in its SOURCES.tsv), checked
//! as a new user would check them. Each project's findings were reviewed by hand and
//! recorded in `expected/<project>.txt`; the README's table of real repositories
//! comes from them. Every output format must run to completion on every project.
//!
//! `.gitignore` files are stored as `dot-gitignore`, so they do not act on this
//! repository; each project is copied to a temporary directory, given back its ignore
//! files and a `.git` directory, and checked there. Set `PINWARDEN_BLESS=1` to rewrite
//! the expected findings after a deliberate change (then review the diff).

use std::path::{Path, PathBuf};
use std::process::Command;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-repos")
}

/// The projects, from SOURCES.tsv: (directory, repository, commit).
fn projects() -> Vec<(String, String, String)> {
    let sources = std::fs::read_to_string(data().join("SOURCES.tsv"))
        .expect("tests/data/real-repos/SOURCES.tsv is part of the repository");
    let projects: Vec<(String, String, String)> = sources
        .lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (
                fields[0].to_string(),
                fields[1].to_string(),
                fields[2].to_string(),
            )
        })
        .collect();
    assert_eq!(projects.len(), 10, "ten real repositories");
    projects
}

/// A copy of one project as its repository holds it.
fn checkout(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let source = data().join(name);
    assert!(source.is_dir(), "{} is missing", source.display());
    copy_dir(&source, dir.path());
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let target = if name == "dot-gitignore" {
            to.join(".gitignore")
        } else {
            to.join(&name)
        };
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn pinwarden(dir: &Path, args: &[&str]) -> (String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(["check", "--isolated"])
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let code = output.status.code().unwrap_or(-1);
    assert!(
        code == 0 || code == 1,
        "`pinwarden check {}` exited {code}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    (String::from_utf8(output.stdout).unwrap(), code)
}

#[test]
fn each_project_gives_its_reviewed_findings() {
    let bless = std::env::var_os("PINWARDEN_BLESS").is_some();
    let mut mismatches = Vec::new();
    for (name, repository, commit) in projects() {
        let dir = checkout(&name);
        let (found, _) = pinwarden(dir.path(), &["--format", "concise", "."]);
        let expected_path = data().join("expected").join(format!("{name}.txt"));
        if bless {
            std::fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            std::fs::write(&expected_path, &found).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{} is missing", expected_path.display()));
        if found != expected {
            mismatches.push(format!(
                "{repository} at {commit}:\n--- expected\n{expected}--- found\n{found}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn every_format_runs_on_every_project() {
    for (name, _, _) in projects() {
        let dir = checkout(&name);
        for format in ["human", "concise", "json", "sarif", "github"] {
            let (output, _) = pinwarden(dir.path(), &["--format", format, "."]);
            if matches!(format, "json" | "sarif") {
                let parsed: Result<serde_json::Value, _> = serde_json::from_str(&output);
                assert!(parsed.is_ok(), "{name}: {format} output is not JSON");
            }
            if format == "human" {
                assert!(!output.is_empty(), "{name}: no summary line");
            }
        }
        let baseline = dir.path().join(".git/pinwarden-baseline.json");
        let baseline = baseline.to_str().unwrap();
        let (_, code) = pinwarden(dir.path(), &["--write-baseline", baseline, "."]);
        assert_eq!(code, 0, "{name}");
        let (_, code) = pinwarden(dir.path(), &["--baseline", baseline, "."]);
        assert_eq!(code, 0, "{name}: the baseline holds every finding");
    }
}

/// Checking one project directory gives its findings from the whole checkout, with
/// paths relative to it: locks belong to manifests the same way from any path.
#[test]
fn findings_do_not_depend_on_the_path_checked() {
    for (name, _, _) in projects() {
        let dir = checkout(&name);
        let (whole, _) = pinwarden(dir.path(), &["--format", "concise", "."]);
        let mut directories: Vec<&str> = whole
            .lines()
            .filter_map(|line| line.split(':').next())
            .filter_map(|path| path.rsplit_once('/').map(|(dir, _)| dir))
            .collect();
        directories.dedup();
        for sub in directories.into_iter().take(5) {
            let (part, _) = pinwarden(&dir.path().join(sub), &["--format", "concise", "."]);
            let from_whole: Vec<String> = whole
                .lines()
                .filter_map(|line| line.strip_prefix(&format!("{sub}/")))
                // Only files directly in `sub` and below it, as the walk from `sub` sees them;
                // paths in messages (a lock's) are relative to it too.
                .map(|line| line.replace(&format!("{sub}/"), ""))
                .collect();
            let from_part: Vec<&str> = part.lines().collect();
            assert_eq!(from_part, from_whole, "{name}: checking `{sub}`");
        }
    }
}
