//! Strings the reference implementations (pip, packaging, poetry-core) accept are read
//! as they read them.

mod common;
use common::{pinwarden, tree};

/// PEP 440's arbitrary equality takes any string: `pkg===1.0-custom-build` is an exact
/// pin in every manifest family, not a parse error; two different strings admit
/// nothing.
#[test]
fn arbitrary_equality_takes_any_string() {
    let dir = tree(&[
        (
            "requirements.txt",
            "pkg===1.0-custom-build\nfoo===foobar\nbaz[x]===é-1 ; python_version >= \"3\"\nbar===a,===b\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\nversion = \"1\"\ndependencies = [\"pkg===1.0-custom-build\"]\n",
        ),
        (
            "setup.cfg",
            "[options]\ntests_require =\n    foo===foobar\n",
        ),
        (
            "Pipfile",
            "[packages]\na = \"===foobar\"\nb = \"===x,===y\"\n",
        ),
    ]);
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Pipfile:3:6: error[unsatisfiable-specifier] no version of `b` satisfies `===x,===y`",
            "requirements.txt:4:4: error[unsatisfiable-specifier] no version of `bar` satisfies `===a,===b`",
        ],
        "{stdout}"
    );
}

/// As python-dotenv reads env files: a lone carriage return ends an entry, so a secret
/// on the second entry is reported under its own key and line, and a suppression on the
/// third entry applies to that entry only.
#[test]
fn a_secret_after_a_carriage_return_is_on_its_own_line() {
    let dir = tree(&[(
        ".env.example",
        "A=b\rGITHUB_TOKEN=ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp\rGH_TOKEN=ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVq # pinwarden: ignore[secret-github-token]\rC=d\r",
    )]);
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        stdout.trim_end(),
        ".env.example:2:14: error[secret-github-token] `GITHUB_TOKEN` holds a GitHub token (ghp_…(40 chars, redacted))"
    );
    // The excerpt shows that line under that number, with the entry before it.
    let (_, stdout, _) = pinwarden(dir.path(), &["check"]);
    assert!(stdout.contains("[.env.example:2:14]"), "{stdout}");
    assert!(stdout.contains(" 1 │ A=b\n"), "{stdout}");
    assert!(stdout.contains(" 2 │ GITHUB_TOKEN=ghp_*******"), "{stdout}");
}

/// python-dotenv's keys: `'KEY'` is `KEY`; `"KEY"` keeps its quotes (python-dotenv
/// loads the variable `"KEY"`); a secret under either is reported under that key.
#[test]
fn a_secret_under_a_quoted_key_is_reported_under_the_loaded_key() {
    let dir = tree(&[(
        ".env.example",
        "'GITHUB_TOKEN'=ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp\n\"GH_TOKEN\"=ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVq\n",
    )]);
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            ".env.example:1:16: error[secret-github-token] `GITHUB_TOKEN` holds a GitHub token (ghp_…(40 chars, redacted))",
            ".env.example:2:12: error[secret-github-token] `\"GH_TOKEN\"` holds a GitHub token (ghp_…(40 chars, redacted))",
        ],
        "{stdout}"
    );
}

/// pip's hash-checking mode, decided per `pip install -r ROOT` over every file it reads:
/// a `--hash` in an included or constraint file turns it on for the root; a file read
/// only as a constraint is not installed; a `-r` inside a constraint file is; a root
/// with `--no-require-hashes`, or that reads no hash, is not in the mode.
#[test]
fn hash_checking_mode_is_decided_per_install() {
    const HASH: &str =
        "--hash=sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6";
    let hashed = format!("a==1.0 {HASH}\n");
    let dir = tree(&[
        (
            "requirements.txt",
            "-r base.txt\nb==1.0\n-c constraints.txt\n",
        ),
        ("base.txt", &hashed),
        ("constraints.txt", "c==1.0\n-r extra.txt\n"),
        ("extra.txt", "d>=1\n"),
        (
            "requirements-dev.txt",
            "--no-require-hashes\n-r base.txt\ne==1.0\n",
        ),
        ("requirements-docs.txt", "f==1.0\n-c pins.txt\n"),
        (
            "pins.txt",
            "--require-hashes\ng==1.0\n-e ./local\nh @ https://x.org/h-1.tar.gz#md5=0123\n",
        ),
        (
            "requirements-tools.txt",
            "j==1.0\nk @ https://x.org/k-1.tar.gz#sha256=ab\n",
        ),
    ]);
    let (_, stdout, _) = pinwarden(
        dir.path(),
        &[
            "check",
            "--format",
            "concise",
            "--select",
            "hash-checking-mode",
        ],
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "extra.txt:1:1: error[hash-checking-mode] `d` is not pinned with `==` and has no hash: pip refuses it in hash-checking mode",
            "requirements-docs.txt:1:1: error[hash-checking-mode] `f` has no hash: pip refuses it in hash-checking mode",
            "requirements.txt:2:1: error[hash-checking-mode] `b` has no hash: pip refuses it in hash-checking mode",
        ],
        "{stdout}"
    );
}
