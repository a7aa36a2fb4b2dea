//! Strings the reference implementations (pip, packaging, poetry-core) accept are read
//! as they read them.

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

fn pinwarden(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// PEP 440's arbitrary equality takes any string: `pkg===1.0-custom-build` is an exact
/// pin in every manifest family, not a parse error; two different strings pin nothing.
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
            "Pipfile:3:6: error[version-range] `b` allows more than one version: `===x,===y`",
            "requirements.txt:4:4: error[version-range] `bar` allows more than one version: `===a,===b`",
        ],
        "{stdout}"
    );
}

/// As python-dotenv reads env files: a lone carriage return ends an entry, so a secret
/// on the second entry is reported under its own key and line.
#[test]
fn a_secret_after_a_carriage_return_is_on_its_own_line() {
    let dir = tree(&[(
        ".env.example",
        "A=b\rGITHUB_TOKEN=ghp_8rESQedUStPKR0CsTy4Qwb8DwkNhFdnXsiVp\r",
    )]);
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(
        stdout.trim_end(),
        ".env.example:2:14: error[secret-github-token] `GITHUB_TOKEN` holds a GitHub token (ghp_…(40 chars, redacted))"
    );
}
