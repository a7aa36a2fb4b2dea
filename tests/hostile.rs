//! Hostile input: in CI pinwarden reads a stranger's pull request, whose author
//! controls every byte, name and link it reads. Whatever they hold, the run ends with a
//! clear message and a documented exit code: no abort, no hang, no leaked secret, no
//! damaged file (SECURITY.md). Each test is named by what it guards.

mod common;
use common::{pinwarden, tree};

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

#[test]
fn deeply_nested_markers_are_a_parse_error_not_an_abort() {
    let deep = format!(
        "a ; {}python_version > \"3\"{}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let pipfile = format!(
        "[packages]\nb = {{ version = \"==1\", markers = \"{}os_name == 'x'{}\" }}\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let pyproject = format!(
        "[project]\nname = \"c\"\ndependencies = [\"c ; {}os_name == 'x'{}\"]\n",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    let dir = tree(&[
        ("requirements.txt", &deep),
        (
            "req/requirements.txt",
            &format!("flask>=2 ; {}\n", &deep[4..]),
        ),
        ("Pipfile", &pipfile),
        ("pyproject.toml", &pyproject),
        ("other/requirements.txt", "requests>=2\n"),
    ]);
    let (code, stdout, stderr) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    for file in [
        "requirements.txt:1",
        "req/requirements.txt:1",
        "Pipfile:2",
        "pyproject.toml:3",
    ] {
        assert!(
            stdout
                .lines()
                .any(|l| l.starts_with(file) && l.contains("more than 64 levels deep")),
            "{file}: {stdout}"
        );
    }
    // The rest of the run goes on.
    assert!(stdout.contains("other/requirements.txt:1:9: error[version-range]"));
}

#[test]
fn deeply_nested_toml_is_a_parse_error_not_an_abort() {
    let arrays = format!(
        "[project]\nname = \"a\"\ndependencies = {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let tables = format!("x = {}1{}\n", "{a=".repeat(50_000), "}".repeat(50_000));
    let dir = tree(&[("pyproject.toml", &arrays), ("Pipfile", &tables)]);
    let (code, stdout, stderr) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout.matches("error[parse-error]").count(), 2, "{stdout}");
}

/// A reader that stops reading (`| head -1`) ends the run quietly, with exit 0, as
/// ripgrep does: no panic, no message.
#[test]
fn a_closed_pipe_ends_the_run_quietly() {
    let dir = tree(&[("requirements.txt", "a>=1\n".repeat(5_000).as_str())]);
    for args in [
        &["rules"][..],
        &["rule", "version-range"],
        &["check", "--format", "concise"],
        &["check"],
        &["check", "--diff", "--require-exact-pins"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
            .args(args)
            .current_dir(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the reading end before anything is written.
        drop(child.stdout.take());
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// Any other write error (a full disk) is one line and exit 2.
#[test]
fn a_full_disk_is_one_line_and_exit_2() {
    let full = Path::new("/dev/full");
    if !full.exists() {
        eprintln!("note: /dev/full is missing on this system; skipped");
        return;
    }
    let dir = tree(&[("requirements.txt", "a>=1\n")]);
    for args in [&["rules"][..], &["check"]] {
        let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
            .args(args)
            .current_dir(dir.path())
            .stdout(std::fs::File::create(full).unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.starts_with("pinwarden: cannot write output:"),
            "{stderr}"
        );
    }
}

/// Standard output and error are written only through `console`, which cannot panic.
#[test]
fn no_print_macros_outside_the_console_module() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src];
    let mut offenders = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.file_name().is_some_and(|n| n == "console.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (number, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                for banned in ["println!(", "print!(", "eprintln!(", "eprint!(", "dbg!("] {
                    let at = code.find(banned);
                    // `outln!(` and `errln!(` end in the same letters: only a bare macro.
                    let bare = at.is_some_and(|at| {
                        at == 0 || !code.as_bytes()[at - 1].is_ascii_alphanumeric()
                    });
                    if bare {
                        offenders.push(format!("{}:{}", path.display(), number + 1));
                    }
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:?}");
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

/// Runs `args` in `dir`, failing instead of hanging past 60 seconds.
fn pinwarden_bounded(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let id = child.id();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    let output = match receiver.recv_timeout(std::time::Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").arg("-9").arg(id.to_string()).status();
            panic!("`pinwarden {}` hung", args.join(" "));
        }
    };
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// A FIFO where a manifest is expected never blocks the run: named, it is an error;
/// reached by `-r`, a parse error on it; met by a walk, skipped.
#[test]
fn a_fifo_is_never_read() {
    let dir = tree(&[
        (
            "app/requirements.txt",
            "-r ../fifo/requirements.txt\nflask==3.0.3\n",
        ),
        ("fifo/.keep", ""),
    ]);
    mkfifo(&dir.path().join("fifo/requirements.txt"));
    let (code, _, stderr) = pinwarden_bounded(dir.path(), &["check", "fifo/requirements.txt"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(
        stderr.contains("fifo/requirements.txt: not a regular file"),
        "{stderr}"
    );

    let (code, stdout, stderr) = pinwarden_bounded(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    // The walk skips it; the include reaches it and reports it unread.
    assert_eq!(
        stdout.trim_end(),
        "fifo/requirements.txt:1:1: error[parse-error] cannot read file: not a regular file; only regular files are read"
    );
    let (code, _, stderr) = pinwarden_bounded(
        dir.path(),
        &["check", "--format", "concise", "app/requirements.txt"],
    );
    assert!(code == Some(0) || code == Some(1), "{stderr}");
    // Walked without an include reaching it, it is skipped, and `--verbose` says so.
    let (code, stdout, stderr) = pinwarden_bounded(
        dir.path(),
        &["check", "--format", "concise", "--verbose", "fifo"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert_eq!(
        stderr.trim_end(),
        "pinwarden: skipped fifo/requirements.txt: not a regular file"
    );
}

/// Every read is bounded: configuration, baseline, standard input.
#[test]
fn endless_inputs_are_refused_at_the_size_limit() {
    let dir = tree(&[("requirements.txt", "a==1\n")]);
    let (code, _, stderr) = pinwarden_bounded(dir.path(), &["check", "--config", "/dev/zero"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    let (code, _, stderr) = pinwarden_bounded(dir.path(), &["check", "--baseline", "/dev/zero"]);
    assert_eq!(code, Some(2), "{stderr}");
    // Standard input past the limit: one message, exit 2.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(["check", "-", "--stdin-filename", "requirements.txt"])
        .stdin(std::fs::File::open("/dev/zero").unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(2));
    assert!(stderr.contains("over the 16 MiB limit"), "{stderr}");
}

/// Configuration above the repository is not the repository's: an unreadable
/// `pyproject.toml` there does not stop the run.
#[test]
fn configuration_search_stops_at_the_repository_top() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[tool.pinwarden\nnot toml, mentions pinwarden",
        ),
        ("repo/requirements.txt", "a>=1\n"),
        ("loose/requirements.txt", "a>=1\n"),
    ]);
    std::fs::create_dir(dir.path().join("repo/.git")).unwrap();
    let (code, stdout, stderr) =
        pinwarden(&dir.path().join("repo"), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.contains("version-range"));
    assert!(stderr.is_empty(), "{stderr}");
    // Outside any repository the search goes on, and the broken file is a warning.
    let (code, stdout, stderr) =
        pinwarden(&dir.path().join("loose"), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stdout.contains("version-range"));
    assert!(
        stderr.contains("warning:") && stderr.contains("not used as configuration"),
        "{stderr}"
    );
}

/// Work grows with what is read, not with its square: a deep include chain, a long
/// include cycle (named by its ends), and a file of many ranges each get their
/// findings. (The 1,000,000-line and 100,000-deep timings are in `benches/hostile.sh`.)
#[test]
fn long_chains_cycles_and_files_are_reported_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 3_000;
    for (folder, wrap) in [("requirements_chain", false), ("requirements_cycle", true)] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        for i in 0..depth {
            let next = if i + 1 < depth {
                format!("-r r{}.txt\n", i + 1)
            } else if wrap {
                "-r r0.txt\n".to_string()
            } else {
                String::new()
            };
            std::fs::write(
                dir.path().join(folder).join(format!("r{i}.txt")),
                format!("{next}p{i}==1\n"),
            )
            .unwrap();
        }
    }
    let lines: String = (0..50_000).map(|i| format!("pkg{i}>=1.0\n")).collect();
    std::fs::write(dir.path().join("requirements.txt"), lines).unwrap();
    let (code, stdout, stderr) = pinwarden_bounded(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    let cycles: Vec<&str> = stdout
        .lines()
        .filter(|l| l.contains("include-cycle"))
        .collect();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(
        cycles[0].starts_with("requirements_cycle/r0.txt:1:4:")
            && cycles[0].contains("→ … (2993 more files) →")
            && cycles[0].ends_with("requirements_cycle/r2999.txt → requirements_cycle/r0.txt"),
        "{}",
        cycles[0]
    );
    assert_eq!(stdout.matches("error[version-range]").count(), 50_000);
}

/// Every way pinwarden can print: every format, `--diff`, a baseline, standard error.
fn every_output(dir: &Path) -> String {
    let mut all = String::new();
    for args in [
        &["check", "--format", "human"][..],
        &["check", "--format", "concise"],
        &["check", "--format", "json"],
        &["check", "--format", "sarif"],
        &["check", "--format", "github"],
        &["check", "--statistics"],
        &["check", "--diff", "--require-exact-pins"],
        &["check", "--write-baseline", "baseline.json"],
    ] {
        let (_, stdout, stderr) = pinwarden(dir, args);
        all.push_str(&stdout);
        all.push_str(&stderr);
    }
    all.push_str(&std::fs::read_to_string(dir.join("baseline.json")).unwrap_or_default());
    all
}

/// The files of a project with `secret` planted as a password wherever a manifest can
/// hold one: index options, direct URLs and includes, `--trusted-host`, a uv index
/// beside a dependency the lock fixes (so `--diff` shows it as context).
fn planted(secret: &str) -> tempfile::TempDir {
    tree(&[
        (
            "requirements.txt",
            &format!(
                "--index-url https://deploy:{secret}@idx.example/simple\n--trusted-host deploy:{secret}@idx.example\n-r https://u:{secret}@host.example/req.txt\nfoo @ https://u:{secret}@host.example/foo.zip ; python_version >>> \"3\"\nbar>=1\n"
            ),
        ),
        (
            "pyproject.toml",
            &format!(
                "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\n    \"flask>=2\",\n]\n\n[[tool.uv.index]]\nname = \"private\"\nurl = \"https://deploy:{secret}@idx.example/simple\"\n"
            ),
        ),
        (
            "uv.lock",
            "version = 1\n\n[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n",
        ),
    ])
}

#[test]
fn no_output_shows_a_planted_password() {
    for secret in [
        "Pa@ssw0rd!x7Q",
        "hunter2hunter2",
        "s3cr3t%40enc",
        "0a-;0&$0!~;(",
    ] {
        let dir = planted(secret);
        let all = every_output(dir.path());
        assert!(all.contains("idx.example"), "the findings are there");
        assert!(!all.contains(secret), "{secret} leaked:\n{all}");
        // Nor the part after an `@` inside the password.
        if let Some((_, tail)) = secret.split_once('@') {
            assert!(
                !all.contains(&format!("{tail}@idx")),
                "{tail} leaked:\n{all}"
            );
        }
    }
}

mod planted_credentials {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        /// For any password of the characters URLs allow in user-info, including `@`,
        /// no output holds it.
        #[test]
        fn no_output_holds_any_planted_password(secret in "[A-Za-z0-9][A-Za-z0-9@!$&'()*+;=._~-]{11,24}") {
            let dir = planted(&secret);
            let all = every_output(dir.path());
            prop_assert!(!all.contains(&secret), "{} leaked", secret);
        }
    }
}

/// Control characters in a file's contents and in its name are escaped in every text
/// format: a pull request cannot retitle, clear or rewrite the reviewer's terminal.
#[test]
fn file_contents_and_names_cannot_drive_the_terminal() {
    let name = "requirements\u{1b}]0;owned\u{7}.txt";
    let dir = tree(&[(name, "flask>=2 ; os_name == \"\u{1b}[2J\"\n\u{1b}[2Jrich\n")]);
    for format in ["human", "concise", "github"] {
        let (code, stdout, stderr) = pinwarden(dir.path(), &["check", "--format", format]);
        assert!(code == Some(1), "{format}: {stderr}");
        assert!(
            !stdout.contains('\u{1b}') && !stdout.contains('\u{7}'),
            "{format}: {stdout:?}"
        );
        assert!(!stderr.contains('\u{1b}'), "{format}: {stderr:?}");
    }
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert!(
        stdout.contains("requirements\\x1b]0;owned\\x07.txt:"),
        "{stdout}"
    );
    // The excerpt shows each control character as `?`, so its marks still line up.
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "human"]);
    assert!(
        stdout.contains("flask>=2 ; os_name == \"?[2J\""),
        "{stdout}"
    );
}

/// A requirements file whose range `--fix` pins from a `lock-files` lock.
fn fixable(dir: &Path, name: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, "flask>=2\n").unwrap();
}

fn fix(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    std::fs::write(dir.join("pins.txt"), "flask==3.0.3\n").unwrap();
    std::fs::write(dir.join("pinwarden.toml"), "lock-files = [\"pins.txt\"]\n").unwrap();
    let mut all = vec!["check", "--fix", "--require-exact-pins"];
    all.extend_from_slice(args);
    let (code, _, stderr) = pinwarden(dir, &all);
    (code, stderr)
}

#[test]
fn a_fix_keeps_hard_links_whole() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    fixable(dir.path(), "requirements.txt");
    std::fs::hard_link(
        dir.path().join("requirements.txt"),
        dir.path().join("linked.keep"),
    )
    .unwrap();
    let (code, stderr) = fix(dir.path(), &["requirements.txt"]);
    assert_eq!(code, Some(0), "{stderr}");
    let linked = std::fs::read_to_string(dir.path().join("linked.keep")).unwrap();
    assert_eq!(linked, "flask==3.0.3\n", "the other name sees the fix");
    assert_eq!(
        std::fs::metadata(dir.path().join("requirements.txt"))
            .unwrap()
            .nlink(),
        2
    );
}

#[test]
fn a_fix_refuses_a_read_only_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    fixable(dir.path(), "requirements.txt");
    let path = dir.path().join("requirements.txt");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let (code, stderr) = fix(dir.path(), &["requirements.txt"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("read-only"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "flask>=2\n");
}

#[test]
fn a_fix_never_writes_through_a_link_that_leaves_the_tree() {
    let outside = tempfile::tempdir().unwrap();
    fixable(outside.path(), "requirements.txt");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("requirements.txt"),
        dir.path().join("requirements.txt"),
    )
    .unwrap();
    let (code, stderr) = fix(dir.path(), &["requirements.txt"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("outside"), "{stderr}");
    let text = std::fs::read_to_string(outside.path().join("requirements.txt")).unwrap();
    assert_eq!(text, "flask>=2\n");
}

#[test]
fn a_file_named_twice_is_one_file() {
    let dir = tempfile::tempdir().unwrap();
    fixable(dir.path(), "a/requirements.txt");
    let (code, stdout, _) = pinwarden(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "a/requirements.txt",
            "./a/requirements.txt",
        ],
    );
    assert_eq!(code, Some(1));
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    let (code, stderr) = fix(
        dir.path(),
        &["a/requirements.txt", "./a/./requirements.txt"],
    );
    assert_eq!(code, Some(0), "{stderr}");
}

#[test]
fn the_output_file_is_whole_and_never_a_file_pinwarden_reads() {
    let dir = tree(&[("requirements.txt", "flask>=2\n")]);
    for target in [
        "requirements.txt",
        "pyproject.toml",
        "uv.lock",
        "pinwarden.toml",
    ] {
        let (code, _, stderr) = pinwarden(dir.path(), &["check", "--output-file", target]);
        assert_eq!(code, Some(2), "{target}: {stderr}");
        assert!(
            stderr.contains("would replace a file pinwarden reads"),
            "{stderr}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(dir.path().join("requirements.txt")).unwrap(),
        "flask>=2\n"
    );
    let (code, _, stderr) = pinwarden(
        dir.path(),
        &["check", "--format", "json", "--output-file", "report.json"],
    );
    assert_eq!(code, Some(1), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(report["findings"].as_array().unwrap().len(), 1);
    // No temporary file is left beside it.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with(".pinwarden")),
        "{names:?}"
    );
}

/// A lock that cannot be read is a finding on the lock, once, not a silent loss of
/// drift checks and fixes.
#[test]
fn a_corrupt_lock_is_reported_on_the_lock() {
    let dir = tree(&[
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"flask>=1\"]\n[tool.uv.workspace]\nmembers = [\"b\"]\n",
        ),
        (
            "b/pyproject.toml",
            "[project]\nname = \"b\"\nversion = \"1\"\ndependencies = [\"rich>=1\"]\n",
        ),
        ("uv.lock", "version = 1\n[[package]\n"),
    ]);
    let (code, stdout, stderr) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "b/pyproject.toml:4:22: error[version-range] `rich` allows more than one version: `>=1`",
            "pyproject.toml:4:23: error[version-range] `flask` allows more than one version: `>=1`",
            "uv.lock:1:1: error[lock-unreadable] this lock file cannot be read: it is not a valid lock: unclosed array table, expected `]`",
            // Read for what it installs, the lock has its own parse error, where it is.
            "uv.lock:2:10: error[parse-error] invalid TOML: unclosed array table, expected `]`",
        ]
    );
}

/// A rule of one's own with a placeholder nothing fills is an error when it is loaded,
/// with a span on the placeholder, not a message with a hole in it.
#[test]
fn an_unknown_placeholder_is_a_load_error() {
    let rule = "name = \"banned\"\nseverity = \"error\"\nsummary = \"s\"\napplies-to = { items = [\"requirement\"] }\nwhen = { field = \"name\", equals = \"x\" }\nmessage = \"`{nme}` is banned\"\ndocs = \"d\"\n";
    let dir = tree(&[
        ("policy/banned.toml", rule),
        ("pinwarden.toml", "rules-dir = \"policy\"\n"),
        ("requirements.txt", "x==1\n"),
    ]);
    let (code, _, stderr) = pinwarden(dir.path(), &["check"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("unknown placeholder `{nme}`"), "{stderr}");
    assert!(stderr.contains("banned.toml:6:"), "{stderr}");
}

/// A requirement without a name is named by its URL in messages, never as ``.
#[test]
fn an_unnamed_requirement_is_named_by_its_url() {
    let dir = tree(&[("requirements.txt", "https://example.com/pkg-1.0.tar.gz\n")]);
    let (_, stdout, _) = pinwarden(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--extend-select",
            "missing-hash",
        ],
    );
    assert!(!stdout.contains("``"), "{stdout}");
    assert!(
        stdout.contains("error[missing-hash] `https://example.com/pkg-1.0.tar.gz` has no `--hash`"),
        "{stdout}"
    );
}

/// Credentials are found where they hide: `-r`/`-c` URLs, passwords holding `@`,
/// every TOML package source, setup.cfg's `[easy_install]`.
#[test]
fn credentials_are_found_in_every_url_a_manifest_holds() {
    let dir = tree(&[
        (
            "requirements.txt",
            "-r https://u:Qm7vX2pLk9Rt@host.example/req.txt\n-c https://1Aa2Bb3Cc4Dd5Ee6Ff7Gg8Hh@host.example/c.txt\n--index-url https://deploy:Pa@ssw0rd9x7Q@idx.example/simple\n",
        ),
        (
            "setup.cfg",
            "[easy_install]\nindex_url = https://deploy:Qm7vX2pLk9Rt@idx.example/simple\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\nversion = \"1\"\n[[tool.uv.index]]\nname = \"x\"\nurl = \"https://deploy:Qm7vX2pLk9Rt@idx.example/simple\"\n\n[[tool.poetry.source]]\nname = \"y\"\nurl = \"https://deploy:Qm7vX2pLk9Rt@idx.example/simple\"\n\n[[tool.pdm.source]]\nname = \"z\"\nurl = \"https://deploy:Qm7vX2pLk9Rt@idx.example/simple\"\n",
        ),
        (
            "Pipfile",
            "[[source]]\nname = \"x\"\nurl = \"https://deploy:Qm7vX2pLk9Rt@idx.example/simple\"\nverify_ssl = true\n",
        ),
    ]);
    let (_, stdout, _) = pinwarden(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "secret-requirement-credentials",
        ],
    );
    let places: Vec<&str> = stdout
        .lines()
        .map(|line| line.split(": ").next().unwrap())
        .collect();
    assert_eq!(
        places,
        [
            "Pipfile:3:8",
            "pyproject.toml:6:8",
            "pyproject.toml:10:8",
            "pyproject.toml:14:8",
            "requirements.txt:1:4",
            "requirements.txt:2:4",
            "requirements.txt:3:13",
            "setup.cfg:2:13",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("(https://deploy:****@idx.example/…)"));
    assert!(!stdout.contains("ssw0rd"));
}

/// Installer configuration committed to the tree is read for its index settings.
#[test]
fn pip_conf_and_uv_toml_in_the_tree_are_checked() {
    let dir = tree(&[
        (
            "pip.conf",
            "[global]\nindex-url = https://deploy:Qm7vX2pLk9Rt@idx.example/simple\n",
        ),
        (
            "ci/pip.ini",
            "[install]\nextra_index_url = http://mirror.example/simple\n",
        ),
        ("uv.toml", "index-url = \"http://mirror.example/simple\"\n"),
    ]);
    let (code, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1));
    let rules: Vec<&str> = stdout
        .lines()
        .map(|l| l.split_once(' ').unwrap().0)
        .collect();
    assert_eq!(
        rules,
        [
            "ci/pip.ini:2:19:",
            "ci/pip.ini:2:19:",
            "pip.conf:2:13:",
            "uv.toml:1:14:",
        ],
        "{stdout}"
    );
    assert!(stdout.contains("pip.conf:2:13: error[secret-requirement-credentials]"));
    assert!(!stdout.contains("Qm7vX2pLk9Rt"));
}

/// The size limit is a setting: past it a file gets one finding saying so.
#[test]
fn the_size_limit_is_a_setting() {
    let big = "a==1\n".repeat(300_000); // about 1.4 MiB
    let dir = tree(&[
        ("requirements.txt", big.as_str()),
        ("pinwarden.toml", "max-file-size = 1\n"),
    ]);
    let (code, stdout, stderr) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(
        stdout.trim_end(),
        "requirements.txt:1:1: error[parse-error] file is 1 MiB, over the 1 MiB limit for a manifest; not parsed"
    );
    std::fs::write(dir.path().join("pinwarden.toml"), "max-file-size = 0\n").unwrap();
    let (code, _, stderr) = pinwarden(dir.path(), &["check"]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("`max-file-size` is in MiB, from 1 to 1024"),
        "{stderr}"
    );
}
