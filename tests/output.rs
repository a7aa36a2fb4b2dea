//! What a person reads: colour as the conventions say, the long help once per rule,
//! what `--fix` would do, and no "All checks passed" when a path could not be read.

use std::path::Path;
use std::process::Command;

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

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
fn the_long_help_is_shown_once_per_rule_and_the_summary_says_what_fix_does() {
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
