//! What a person reads: colour as the conventions say, the long help once per rule and file,
//! what `--fix` would do, and no "All checks passed" when a path could not be read.

mod common;
use common::tree;

use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pinwarden"));
    command
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("FORCE_COLOR")
        .env_remove("CLICOLOR_FORCE");
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn colour_follows_the_flag_then_the_environment() {
    let dir = tree(&[("requirements.txt", "flask>=2\n")]);
    let coloured = |args: &[&str], env: &[(&str, &str)]| {
        let mut all = vec!["check"];
        all.extend_from_slice(args);
        run(dir.path(), &all, env).1.contains('\u{1b}')
    };
    // Piped: no colour by default.
    assert!(!coloured(&[], &[]));
    assert!(coloured(&[], &[("FORCE_COLOR", "1")]));
    assert!(coloured(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "0")]));
    assert!(!coloured(&[], &[("FORCE_COLOR", "1"), ("NO_COLOR", "1")]));
    assert!(coloured(&["--color", "always"], &[("NO_COLOR", "1")]));
    assert!(!coloured(&["--color", "never"], &[("FORCE_COLOR", "1")]));
    // Configuration errors use the same theme and the same rules.
    std::fs::write(dir.path().join("pinwarden.toml"), "ignore = [\"nope\"]\n").unwrap();
    let (code, _, stderr) = run(dir.path(), &["--color", "always", "check"], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains('\u{1b}'), "{stderr}");
    let (_, _, stderr) = run(dir.path(), &["check"], &[]);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
}

#[test]
fn the_long_help_is_shown_once_per_rule_in_each_file_and_the_summary_says_what_fix_does() {
    let dir = tree(&[
        ("requirements.txt", "flask>=2\nrich>=1\nclick>=8\nhttpx\n"),
        ("pins.txt", "flask==3.0.3\n"),
        (
            "pinwarden.toml",
            "lock-files = [\"pins.txt\"]\nrequire-exact-pins = true\n",
        ),
    ]);
    let (code, stdout, _) = run(dir.path(), &["check", "requirements.txt"], &[]);
    assert_eq!(code, Some(1));
    // Under the first finding of each rule: flask's (version-range) and httpx's.
    assert_eq!(stdout.matches("help:").count(), 2, "{stdout}");
    // Each file's findings read on their own: a second file shows the help again.
    std::fs::write(dir.path().join("requirements-dev.txt"), "rich>=1\n").unwrap();
    let (_, both, _) = run(
        dir.path(),
        &["check", "requirements.txt", "requirements-dev.txt"],
        &[],
    );
    assert_eq!(both.matches("help:").count(), 3, "{both}");
    assert!(
        stdout.contains("pins it to 3.0.3, the version in pins.txt"),
        "{stdout}"
    );
    assert!(
        stdout.ends_with(
            "Found 4 errors in 1 file checked.\n[*] 1 fixable with `pinwarden check --fix`.\n"
        ),
        "{stdout}"
    );
}

#[test]
fn a_path_that_cannot_be_read_is_no_pass() {
    let dir = tree(&[]);
    let (code, stdout, stderr) = run(dir.path(), &["check", "missing-dir"], &[]);
    assert_eq!(code, Some(2));
    assert!(!stdout.contains("All checks passed"), "{stdout}");
    assert_eq!(
        stdout.trim_end(),
        "No findings in 0 files checked; 1 path could not be read."
    );
    assert!(stderr.contains("missing-dir"), "{stderr}");
}

/// JSON findings carry their section and their fix (edits and applicability); SARIF
/// rules carry `security-severity` and results a `uriBaseId` the run resolves.
#[test]
fn machine_reports_carry_section_fix_and_code_scanning_fields() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"app\"\nversion = \"1\"\nclassifiers = [\"Private :: Do Not Upload\"]\ndependencies = [\"flask>=2\"]\n",
        ),
        (
            "uv.lock",
            "version = 1\n\n[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        ),
    ]);
    let (_, stdout, _) = run(
        dir.path(),
        &["check", "--format", "json", "--require-exact-pins"],
        &[],
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let finding = &report["findings"][0];
    assert_eq!(finding["section"], "project.dependencies");
    assert_eq!(finding["fix"]["applicability"], "safe");
    assert_eq!(
        finding["fix"]["edits"][0],
        serde_json::json!({
            "content": "==3.0.3",
            "start": { "line": 5, "column": 23 },
            "end": { "line": 5, "column": 26 },
        })
    );
    assert_eq!(report["summary"]["fixable"], 1);

    let (_, stdout, _) = run(
        dir.path(),
        &["check", "--format", "sarif", "--require-exact-pins"],
        &[],
    );
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let run = &log["runs"][0];
    assert_eq!(
        run["tool"]["driver"]["rules"][0]["properties"]["security-severity"],
        "7.0"
    );
    let location = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(location["uri"], "pyproject.toml");
    assert_eq!(location["uriBaseId"], "%SRCROOT%");
    let base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
}

/// SARIF is written from fingerprint lines taken as each file is linted, so the text
/// can be freed: the log is the same byte for byte as when every text is kept.
#[test]
fn sarif_without_the_texts_is_the_same_log() {
    use pinwarden::config::Settings;
    use pinwarden::policy::RuleSet;
    use pinwarden::report::{self, Format, RenderOptions};
    use pinwarden::{CheckInput, check};
    let dir = tree(&[
        (
            "requirements.txt",
            "flask>=2  # note\nflask>=2\nDjango==4.2\ndjango==4.2\n-r base.txt\n",
        ),
        ("base.txt", "-r requirements.txt\nrich\n"),
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"httpx>=0.27\"]\n",
        ),
    ]);
    let rules = RuleSet::builtin().unwrap();
    let sarif = |drop_text: bool| {
        let input = CheckInput {
            paths: vec![dir.path().to_path_buf()],
            drop_text,
            fingerprints: drop_text,
            ..CheckInput::default()
        };
        let outcome = check(&input, &rules, &Settings::default());
        let mut out = Vec::new();
        report::render(Format::Sarif, &outcome, RenderOptions::default(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    let kept = sarif(false);
    assert!(kept.contains("relatedLocations") && kept.contains("include-cycle"));
    assert_eq!(sarif(true), kept);
}
