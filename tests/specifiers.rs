//! A specifier is judged by the versions it admits, the same way in every family that
//! writes one: requirement files, PEP 621 and PEP 735 tables, Poetry, Pipfile, setup.cfg,
//! and lock-drift's comparison with the lock. (What a specifier admits is compared with
//! `packaging` in tests/specifier_reference.rs.)

mod common;
use common::{pinwarden, tree};

const FILES: &[(&str, &str)] = &[
    (
        "requirements.txt",
        "a>=1.2.0,<=1.2.0\nb>=2.0,<2.0\nc==1.0,!=1.0\nd>=1.0,<1.0.1\ne==1.0.*\nf==1.0,>=1.0\ng>=1,!=3,<2.0,>=2.0\n",
    ),
    (
        "app/pyproject.toml",
        "[project]\nname = \"app\"\nversion = \"1\"\ndependencies = [\"g>=1,<=1\", \"h>=3,<2\"]\n\n[dependency-groups]\ndev = [\"i>=1,<=1\", \"j>2,<=2\"]\n",
    ),
    (
        "poet/pyproject.toml",
        "[tool.poetry]\nname = \"poet\"\nversion = \"1\"\npackage-mode = false\n\n[tool.poetry.dependencies]\nk = \">=1.2,<=1.2\"\nl = \"^1.0,<1.0\"\nm = \"~1.2.3,<1.2.4\"\n",
    ),
    (
        "pipf/Pipfile",
        "[packages]\nn = \">=1,<=1\"\no = \"1.0,!=1.0\"\n",
    ),
    (
        "lib/setup.cfg",
        "[options]\ninstall_requires =\n    p>=1,<=1\n    q<0\n",
    ),
    (
        "uvp/pyproject.toml",
        "[project]\nname = \"uvp\"\nversion = \"1\"\ndependencies = [\"r>=1.2,<=1.2\", \"s>=1.0,<=1.0\"]\n",
    ),
    (
        "uvp/uv.lock",
        "version = 1\nrequires-python = \">=3.12\"\n\n[[package]]\nname = \"r\"\nversion = \"1.3\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"s\"\nversion = \"1.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n\n[[package]]\nname = \"uvp\"\nversion = \"1\"\nsource = { virtual = \".\" }\ndependencies = [{ name = \"r\" }, { name = \"s\" }]\n",
    ),
];

#[test]
fn exact_empty_and_ranges_by_the_versions_admitted() {
    let dir = tree(FILES);
    let (code, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert_eq!(code, Some(1));
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "app/pyproject.toml:4:31: error[unsatisfiable-specifier] no version of `h` satisfies `>=3,<2`",
            "app/pyproject.toml:7:22: error[unsatisfiable-specifier] no version of `j` satisfies `>2,<=2`",
            "lib/setup.cfg:4:6: error[unsatisfiable-specifier] no version of `q` satisfies `<0`",
            "pipf/Pipfile:3:6: error[unsatisfiable-specifier] no version of `o` satisfies `1.0,!=1.0`",
            "poet/pyproject.toml:8:6: error[unsatisfiable-specifier] no version of `l` satisfies `^1.0,<1.0`",
            "poet/pyproject.toml:9:6: error[version-range] `m` allows more than one version: `~1.2.3,<1.2.4` (admits 1.2.3, 1.2.3.post1 and 1.2.3.1)",
            "requirements.txt:2:2: error[unsatisfiable-specifier] no version of `b` satisfies `>=2.0,<2.0`",
            "requirements.txt:3:2: error[unsatisfiable-specifier] no version of `c` satisfies `==1.0,!=1.0`",
            "requirements.txt:4:2: error[version-range] `d` allows more than one version: `>=1.0,<1.0.1` (admits 1.0, 1.0.post1 and 1.0.0.1)",
            "requirements.txt:5:2: error[version-range] `e` allows more than one version: `==1.0.*`",
            // The span is on the clauses that exclude each other.
            "requirements.txt:7:10: error[unsatisfiable-specifier] no version of `g` satisfies `>=1,!=3,<2.0,>=2.0`",
            // `>=1.2,<=1.2` is the one version 1.2, which the lock contradicts; `s`
            // agrees with its lock.
            "uvp/pyproject.toml:4:19: error[lock-drift] `r` requires `>=1.2,<=1.2`, but uvp/uv.lock locks 1.3",
        ],
        "{stdout}"
    );
}

#[test]
fn the_label_points_at_the_conflicting_clauses() {
    let dir = tree(FILES);
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "requirements.txt"]);
    assert!(
        stdout.contains(" 7 │ g>=1,!=3,<2.0,>=2.0\n   ·          ─────┬────\n   ·               ╰── admits no version"),
        "{stdout}"
    );
}

#[test]
fn the_style_note_rewrites_a_pin_spelled_as_a_range() {
    let dir = tree(FILES);
    let (_, stdout, _) = pinwarden(
        dir.path(),
        &[
            "check",
            "--select",
            "non-canonical-pin",
            "--format",
            "concise",
        ],
    );
    assert!(
        stdout.contains("requirements.txt:1:2: info[non-canonical-pin] `a` pins 1.2.0 as `>=1.2.0,<=1.2.0`; `==1.2.0` says so plainly"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 9, "{stdout}");
    let (code, _, stderr) = pinwarden(
        dir.path(),
        &["check", "--select", "non-canonical-pin", "--fix"],
    );
    assert_eq!(code, Some(0), "{stderr}");
    let read = |path: &str| std::fs::read_to_string(dir.path().join(path)).unwrap();
    assert_eq!(
        read("requirements.txt"),
        "a==1.2.0\nb>=2.0,<2.0\nc==1.0,!=1.0\nd>=1.0,<1.0.1\ne==1.0.*\nf==1.0\ng>=1,!=3,<2.0,>=2.0\n"
    );
    assert!(read("poet/pyproject.toml").contains("k = \"1.2\"\n"));
    assert!(read("pipf/Pipfile").contains("n = \"==1\"\n"));
    assert!(read("lib/setup.cfg").contains("    p==1\n"));
    assert!(read("app/pyproject.toml").contains("dependencies = [\"g==1\", \"h>=3,<2\"]"));
    // Off by default: a plain check does not mention it.
    let (_, stdout, _) = pinwarden(dir.path(), &["check", "--format", "concise"]);
    assert!(!stdout.contains("non-canonical-pin"), "{stdout}");
}
