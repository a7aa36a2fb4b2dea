//! A requirement whose name is empty gets a message that names what is wrong, never a
//! message about a package called ``.

mod common;

use common::{pinwarden, tree};

#[test]
fn an_empty_package_name_is_an_error_that_says_so() {
    let dir = tree(&[
        (
            "Pipfile",
            "[packages]\n\"\" = \"*\"\n\" \" = \">=1\"\n[dev-packages]\n\"\" = { version = \">=1\" }\n",
        ),
        (
            "pyproject.toml",
            "[project]\nname = \"a\"\ndependencies = [\"\", \"  \"]\n[tool.poetry.group.dev.dependencies]\n\"\" = \">=1\"\n",
        ),
        (".git/HEAD", ""),
    ]);
    let (code, stdout, stderr) = pinwarden(
        dir.path(),
        &[
            "check",
            "--isolated",
            "--format",
            "concise",
            "--select",
            "ALL",
        ],
    );
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!stdout.contains("``"), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Pipfile:2:1: error[parse-error] the package name of this entry is empty: its key must name the package",
            "Pipfile:3:1: error[parse-error] the package name of this entry is blank: its key must name the package",
            "Pipfile:5:1: error[parse-error] the package name of this entry is empty: its key must name the package",
            "pyproject.toml:3:18: error[parse-error] empty requirement: a requirement starts with the name of a package",
            "pyproject.toml:3:22: error[parse-error] empty requirement: a requirement starts with the name of a package",
            "pyproject.toml:5:1: error[parse-error] the package name of this entry is empty: its key must name the package",
        ],
        "{stdout}"
    );
}
