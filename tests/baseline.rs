//! Baselines: a legacy repository records today's findings and fails only on new ones,
//! even after lines move.

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

fn concise(args: &[&str], cwd: &Path) -> (Vec<String>, i32) {
    let mut all = vec!["check", "--format", "concise"];
    all.extend_from_slice(args);
    let output = pinwarden(&all, cwd);
    let lines = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    (lines, output.status.code().unwrap_or(-1))
}

fn write(dir: &Path, path: &str, text: &str) {
    let path = dir.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const LEGACY: &str = "flask>=2\nrequests\ndjango==4.2.16\n";

#[test]
fn baseline_hides_recorded_findings_and_survives_moved_lines() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "requirements.txt", LEGACY);
    write(root, "svc/requirements.txt", "celery>=5\n");

    let output = pinwarden(&["check", "--write-baseline", "baseline.json"], root);
    assert_eq!(output.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&output.stderr).contains("Recorded 3 finding(s)"));
    let (lines, code) = concise(&["--baseline", "baseline.json"], root);
    assert!(lines.is_empty(), "{lines:?}");
    assert_eq!(code, 0);

    // Lines added above, order changed, comments and spacing edited: still known.
    write(
        root,
        "requirements.txt",
        "# Legacy pins, being migrated.\n\ndjango==4.2.16\nrequests   # HTTP\n\nflask>=2\n",
    );
    let (lines, code) = concise(&["--baseline", "baseline.json"], root);
    assert!(lines.is_empty(), "{lines:?}");
    assert_eq!(code, 0);

    // A new violation, and an edit of a recorded line, are reported.
    write(
        root,
        "requirements.txt",
        "django==4.2.16\nrequests\nflask>=3\nnumpy>=1\n",
    );
    let (lines, code) = concise(&["--baseline", "baseline.json"], root);
    assert_eq!(
        lines,
        [
            "requirements.txt:3:6: error[version-range] `flask` allows more than one version: `>=3`",
            "requirements.txt:4:6: error[version-range] `numpy` allows more than one version: `>=1`",
        ]
    );
    assert_eq!(code, 1);
}

#[test]
fn identical_lines_are_counted_not_merged() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "requirements/a.txt", "flask>=2\n");
    pinwarden(&["check", "--write-baseline", "b.json"], root);
    // A second identical line in the same file is a second finding: it is new.
    write(
        root,
        "requirements/a.txt",
        "flask>=2\n-r other.txt\nflask>=2\n",
    );
    write(root, "requirements/other.txt", "");
    let (lines, _) = concise(&["--baseline", "b.json", "--select", "version-range"], root);
    assert_eq!(lines.len(), 1, "{lines:?}");
    // The same line in another file is not covered either.
    write(root, "requirements/a.txt", "flask>=2\n");
    write(root, "requirements/c.txt", "flask>=2\n");
    let (lines, _) = concise(&["--baseline", "b.json"], root);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].starts_with("requirements/c.txt:1:6:"));
}

#[test]
fn baseline_paths_are_relative_to_the_project_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "pinwarden.toml", "");
    write(root, "app/requirements.txt", "flask>=2\n");
    pinwarden(&["check", "--write-baseline", "baseline.json"], root);
    let text = std::fs::read_to_string(root.join("baseline.json")).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["findings"][0]["path"], "app/requirements.txt");
    assert_eq!(doc["findings"][0]["rule"], "version-range");
    assert_eq!(
        doc["findings"][0]["fingerprint"].as_str().unwrap().len(),
        64
    );
    // Checked from inside `app/`, where the file is `requirements.txt`.
    let (lines, code) = concise(&["--baseline", "../baseline.json"], &root.join("app"));
    assert!(lines.is_empty(), "{lines:?}");
    assert_eq!(code, 0);
}

#[test]
fn baseline_file_holds_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let token = "ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp";
    write(root, ".env.example", &format!("GITHUB_TOKEN={token}\n"));
    pinwarden(&["check", "--write-baseline", "baseline.json"], root);
    let text = std::fs::read_to_string(root.join("baseline.json")).unwrap();
    assert!(text.contains("secret-github-token"), "{text}");
    assert!(!text.contains("8rESQedUStPKR0CsTy4Qwb8"), "{text}");
    let (lines, code) = concise(&["--baseline", "baseline.json"], root);
    assert!(lines.is_empty(), "{lines:?}");
    assert_eq!(code, 0);
    // A different secret on the same key is a new finding.
    write(
        root,
        ".env.example",
        "GITHUB_TOKEN=ghp_zz63FfkCzJr4i0B3JrTAwR4y9ojfljoQoaF1\n",
    );
    assert_eq!(concise(&["--baseline", "baseline.json"], root).1, 1);
}

#[test]
fn unreadable_or_invalid_baseline_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "requirements.txt", "flask==1.0\n");
    let output = pinwarden(&["check", "--baseline", "missing.json"], root);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read baseline"));

    write(root, "bad.json", "{\"version\": 1,\n \"findings\": [}\n");
    let output = pinwarden(&["check", "--baseline", "bad.json"], root);
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(err.contains("bad.json:2:15"), "{err}");

    write(root, "future.json", "{\"version\": 9, \"findings\": []}\n");
    let output = pinwarden(&["check", "--baseline", "future.json"], root);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("baseline version 9"));
}

/// Each finding's fingerprint in the baseline file at `path`, by rule and path.
fn baseline_fingerprints(path: &Path) -> Vec<(String, String, String)> {
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["fingerprint"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sarif_and_the_baseline_fingerprint_a_finding_about_a_lock_alike() {
    // A lock two manifests share and no one can read: the finding is about the lock,
    // found while linting a manifest.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let project = "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n";
    write(root, "pyproject.toml", project);
    write(root, "sub/pyproject.toml", project);
    write(root, "uv.lock", "version = 1\nthis is = = not toml\n");
    pinwarden(&["check", "--write-baseline", "baseline.json"], root);
    let recorded = baseline_fingerprints(&root.join("baseline.json"));
    let output = pinwarden(&["check", "--format", "sarif"], root);
    let sarif: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let mut compared = 0;
    for result in results {
        let rule = result["ruleId"].as_str().unwrap();
        let path = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        let fingerprint = result["partialFingerprints"]["pinwarden/v1"]
            .as_str()
            .unwrap();
        let known = recorded
            .iter()
            .find(|(r, p, _)| r == rule && p == path)
            .unwrap_or_else(|| panic!("{rule} on {path} not in the baseline"));
        assert_eq!(known.2, fingerprint, "{rule} on {path}");
        compared += 1;
    }
    assert!(
        results.iter().any(|r| r["ruleId"] == "lock-unreadable"
            && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "uv.lock"),
        "{results:?}"
    );
    assert_eq!(compared, recorded.len());
}
