//! The command line as users meet it: discovery, formats, exit codes, rule docs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn pinwarden(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run pinwarden")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Write `files` (path, content) under a fresh temporary directory.
fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

fn concise(args: &[&str], cwd: &Path) -> (Vec<String>, i32) {
    let mut all = vec!["check", "--format", "concise"];
    all.extend_from_slice(args);
    let output = pinwarden(&all, cwd);
    let lines = stdout(&output).lines().map(str::to_string).collect();
    (lines, output.status.code().unwrap_or(-1))
}

#[test]
fn webapp_example_findings() {
    let (lines, code) = concise(&["examples/webapp"], &repo_root());
    assert_eq!(code, 1);
    insta::assert_snapshot!(lines.join("\n"));
}

#[test]
fn clean_example_exits_zero() {
    let output = pinwarden(&["check", "examples/clean"], &repo_root());
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("All checks passed (1 file checked)."));
}

#[test]
fn human_report_snapshot() {
    let dir = tree(&[(
        "requirements.txt",
        "flask>=2.0\nrequests\nlib @ git+https://github.com/o/lib@main\n",
    )]);
    let output = pinwarden(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        !text.contains('\u{1b}'),
        "no colour or hyperlink escapes when piped"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn json_format_has_one_based_positions() {
    let dir = tree(&[("requirements.txt", "# comment\nflask >= 2.0\n")]);
    let output = pinwarden(&["check", "--format", "json"], dir.path());
    let doc: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    let finding = &doc["findings"][0];
    assert_eq!(finding["rule"], "version-range");
    assert_eq!(finding["severity"], "error");
    assert_eq!(finding["path"], "requirements.txt");
    assert_eq!(finding["line"], 2);
    assert_eq!(finding["column"], 7);
    assert_eq!(finding["end_line"], 2);
    assert_eq!(finding["end_column"], 13);
    assert!(finding["help"].as_str().unwrap().contains("==X.Y.Z"));
    assert_eq!(doc["summary"]["errors"], 1);
    assert_eq!(doc["summary"]["files"], 1);
}

#[test]
fn discovery_honours_gitignore_but_sees_dotfiles() {
    let dir = tree(&[
        (".gitignore", "generated/\n"),
        ("generated/requirements.txt", "ignored-package\n"),
        (".git/requirements.txt", "inside-git\n"),
        (".venv/lib/requirements.txt", "inside-venv\n"),
        (".hidden/requirements.txt", "hidden-dir-package\n"),
        ("requirements.txt", "top-level\n"),
        ("docs/notes.txt", "not a manifest\n"),
    ]);
    let (lines, code) = concise(&[], dir.path());
    assert_eq!(code, 1);
    let text = lines.join("\n");
    assert!(text.contains("`top-level`"), "{text}");
    assert!(text.contains("`hidden-dir-package`"), "{text}");
    for absent in [
        "ignored-package",
        "inside-git",
        "inside-venv",
        "not a manifest",
    ] {
        assert!(
            !text.contains(absent),
            "{absent} should not be read:\n{text}"
        );
    }
}

#[test]
fn exclude_and_explicit_files() {
    let dir = tree(&[
        (".gitignore", "vendor/\n"),
        ("vendor/requirements.txt", "vendored\n"),
        ("legacy/requirements.txt", "legacy-package\n"),
        ("requirements.txt", "app==1.0\n"),
    ]);
    let (lines, _) = concise(&["--exclude", "legacy"], dir.path());
    assert!(lines.is_empty(), "{lines:?}");

    // A file named explicitly (as pre-commit does) is linted even when ignored...
    let (lines, code) = concise(&["vendor/requirements.txt"], dir.path());
    assert_eq!(code, 1);
    assert!(
        lines[0].starts_with("vendor/requirements.txt:1:1: error[unpinned-requirement]"),
        "{lines:?}"
    );
    // ...unless --force-exclude applies the excludes to it.
    let (lines, code) = concise(
        &[
            "--exclude",
            "legacy/*",
            "--force-exclude",
            "legacy/requirements.txt",
        ],
        dir.path(),
    );
    assert_eq!((lines.len(), code), (0, 0));
}

#[test]
fn exit_codes() {
    let dir = tree(&[("requirements.txt", "a==1.0\n")]);
    assert_eq!(pinwarden(&["check"], dir.path()).status.code(), Some(0));
    assert_eq!(
        pinwarden(&["check", "missing-dir"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        pinwarden(&["check", "--format", "xml"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        pinwarden(&["check", "--select", "no-such-rule"], dir.path())
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        pinwarden(&["check", "--no-such-flag"], dir.path())
            .status
            .code(),
        Some(2)
    );

    let warn_only = tree(&[(
        "requirements.txt",
        "--extra-index-url https://x.org/simple\na==1.0\n",
    )]);
    let output = pinwarden(&["check", "--format", "concise"], warn_only.path());
    assert_eq!(output.status.code(), Some(0), "warnings alone do not fail");
    assert!(stdout(&output).contains("warning[extra-index-url]"));
}

#[test]
fn select_and_ignore() {
    let dir = tree(&[("requirements.txt", "a>=1\nb\n")]);
    let (lines, _) = concise(&["--select", "version-range"], dir.path());
    assert_eq!(lines.len(), 1);
    assert!(lines[0].contains("[version-range]"));
    let (lines, _) = concise(
        &["--ignore", "version-range,unpinned-requirement"],
        dir.path(),
    );
    assert!(lines.is_empty());
    let (lines, _) = concise(&["--extend-select", "missing-hash"], dir.path());
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.contains("[missing-hash]"))
            .count(),
        2
    );
}

#[test]
fn includes_cycles_missing_and_outside_root() {
    let dir = tree(&[
        ("outside/requirements.txt", "outside-package\n"),
        (
            "repo/requirements.txt",
            "-r requirements/a.txt\n-r missing.txt\n-r ../outside/requirements.txt\n",
        ),
        ("repo/requirements/a.txt", "-r b.txt\nx==1.0\n"),
        ("repo/requirements/b.txt", "-r a.txt\ny==1.0\n"),
    ]);
    let (lines, code) = concise(&["."], &dir.path().join("repo"));
    assert_eq!(code, 1);
    let text = lines.join("\n");
    assert!(
        text.contains("requirements.txt:2:4: error[include-not-found]"),
        "{text}"
    );
    assert!(
        text.contains("requirements.txt:3:4: error[include-outside-root]"),
        "{text}"
    );
    assert_eq!(
        text.matches("[include-cycle]").count(),
        1,
        "one cycle, one finding:\n{text}"
    );
    assert!(
        !text.contains("outside-package"),
        "a file outside the root is not read:\n{text}"
    );
}

#[test]
fn stdin_filename() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args([
            "check",
            "--format",
            "concise",
            "--stdin-filename",
            "requirements/dev.txt",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"pytest>=8\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output).trim(),
        "requirements/dev.txt:1:7: error[version-range] `pytest` allows more than one version: `>=8`"
    );
}

/// `pinwarden check ARGS` with `input` on standard input, run in a temporary directory.
fn with_stdin(args: &[&str], input: &[u8]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .arg("check")
        .args(args)
        .current_dir(dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    // pinwarden may exit before reading (a usage error): a broken pipe is not a failure.
    let _ = child.stdin.take().unwrap().write_all(input);
    child.wait_with_output().unwrap()
}

#[test]
fn dash_reads_standard_input() {
    // Without a name, standard input is a requirements file called `-`.
    let output = with_stdin(&["-", "--format", "concise"], b"flask>=2\n");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stdout(&output).trim(),
        "-:1:6: error[version-range] `flask` allows more than one version: `>=2`"
    );
    // With one, the name decides the parser.
    let output = with_stdin(
        &[
            "-",
            "--stdin-filename",
            "pyproject.toml",
            "--format",
            "concise",
        ],
        b"[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask\"]\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).starts_with("pyproject.toml:4:18: error[unpinned-requirement]"),
        "{}",
        stdout(&output)
    );
    // UTF-16 with a byte-order mark is decoded like a file.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("flask==3.0.3\n".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let output = with_stdin(&["-", "--format", "concise"], &utf16);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn bad_standard_input_is_a_clear_error() {
    let output = with_stdin(&["-"], b"flask>=2\xff\n");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("standard input") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    let output = with_stdin(&["-", "."], b"flask==3.0.3\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot be combined"));
    let output = with_stdin(&["-", "--diff"], b"flask>=2\n");
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn rules_and_rule_docs() {
    let output = pinwarden(&["rules"], &repo_root());
    let text = stdout(&output);
    for rule in [
        "unpinned-requirement",
        "version-range",
        "missing-hash",
        "url-requirement",
        "vcs-without-commit",
        "editable-requirement",
        "duplicate-requirement",
        "include-cycle",
        "include-not-found",
        "insecure-index",
        "extra-index-url",
        "parse-error",
    ] {
        assert!(text.contains(rule), "{rule} missing from `pinwarden rules`");
    }
    let output = pinwarden(&["rule", "version-range"], &repo_root());
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).starts_with("# version-range\n"));
    assert!(stdout(&output).contains("===")); // the docs explain what counts as exact
    assert_eq!(
        pinwarden(&["rule", "nope"], &repo_root()).status.code(),
        Some(2)
    );
}

#[test]
fn utf16_and_crlf_files() {
    let dir = tempfile::tempdir().unwrap();
    let text = "Django==4.2\r\nrequests>=2\r\n";
    let bytes = pinwarden::manifest::text::encode(text, pinwarden::manifest::Encoding::Utf16Le);
    std::fs::write(dir.path().join("requirements.txt"), bytes).unwrap();
    let (lines, _) = concise(&[], dir.path());
    assert_eq!(
        lines,
        vec![
            "requirements.txt:2:9: error[version-range] `requests` allows more than one version: `>=2`"
        ]
    );
}

#[test]
fn non_utf8_file_is_a_parse_error_and_others_still_linted() {
    let dir = tree(&[("b/requirements.txt", "b>=1\n")]);
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::write(dir.path().join("a/requirements.txt"), b"caf\xe9==1.0\n").unwrap();
    let (lines, code) = concise(&[], dir.path());
    assert_eq!(code, 1);
    assert!(
        lines[0].starts_with("a/requirements.txt:1:1: error[parse-error] file is not valid UTF-8"),
        "{lines:?}"
    );
    assert!(lines[1].contains("[version-range]"));
}

/// A file reached only through `-r ../shared/…` is named as the walk would name it, so
/// its findings, per-path settings and baseline fingerprints see one path per file.
#[test]
fn included_files_are_named_without_dot_dot() {
    let dir = tree(&[
        (
            "app/requirements.txt",
            "-r ../shared/common.txt\n-r ../shared/missing.txt\n",
        ),
        ("shared/common.txt", "requests>=2\n"),
    ]);
    let (lines, code) = concise(&["."], dir.path());
    assert_eq!(code, 1);
    assert_eq!(
        lines,
        [
            "app/requirements.txt:2:4: error[include-not-found] `../shared/missing.txt` does not exist (resolved to `shared/missing.txt`)",
            "shared/common.txt:1:9: error[version-range] `requests` allows more than one version: `>=2`",
        ]
    );
}

/// The human report shows excerpts of text given on standard input, which cannot be
/// read again like a file on disk.
#[test]
fn human_report_of_standard_input_shows_the_excerpt() {
    let output = with_stdin(
        &["--stdin-filename", "requirements.txt", "--color", "never"],
        b"flask>=2\n",
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains(" 1 │ flask>=2\n"),
        "{}",
        stdout(&output)
    );
}

/// A file named on the command line that pinwarden does not read is named in a
/// warning, so a hook that passes it does not take the silence for a pass; the run
/// still succeeds. An excluded file (`--force-exclude`) is skipped without a word.
#[test]
fn named_files_that_are_not_read_are_named_in_a_warning() {
    let dir = tree(&[
        ("app.py", "import flask\n"),
        ("README.md", "# readme\n"),
        ("requirements.txt", "flask==3.0.3\n"),
        ("pinwarden.toml", "exclude = [\"vendor\"]\n"),
        ("vendor/notes.md", "x\n"),
    ]);
    let output = pinwarden(&["check", "app.py"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "warning: `app.py` is not a file pinwarden reads (not a dependency manifest or env file): not checked"
    );
    let output = pinwarden(
        &["check", "app.py", "README.md", "requirements.txt"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("warning: `app.py`, `README.md` are not files pinwarden reads"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A directory, and an excluded file under --force-exclude, give no warning.
    let output = pinwarden(&["check", "."], dir.path());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let output = pinwarden(&["check", "--force-exclude", "vendor/notes.md"], dir.path());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}
