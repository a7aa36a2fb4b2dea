//! A non-ASCII character before a comment or a string once made the comment scanner
//! slice inside a character: `check` panicked (exit 101) in every format once a file
//! had a `[tool.pinwarden]` table or a `pinwarden: ignore` directive, and always under
//! SARIF, `--write-baseline` and `--baseline`. These run the command line as a user does
//! on such files, the five-line reproduction and black's and poetry's own
//! `pyproject.toml` (tests/data/real-repos, repository and commit in its SOURCES.tsv),
//! and check that each run completes with the findings it should have.

mod common;

use std::path::Path;

use common::{pinwarden, tree};

const FORMATS: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

/// Every format, then a baseline written and applied, in `dir`: each format reports
/// the findings (exit 1, nothing on stderr, JSON that parses), and the baseline holds
/// all of them.
fn every_output_completes(dir: &Path) {
    for format in FORMATS {
        let (code, stdout, stderr) = pinwarden(dir, &["check", "--format", format]);
        assert_eq!(code, Some(1), "{format}: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
        if matches!(format, "json" | "sarif") {
            let parsed: Result<serde_json::Value, _> = serde_json::from_str(&stdout);
            assert!(parsed.is_ok(), "{format}: {stdout}");
        }
    }
    let baseline = dir.join(".git/baseline.json");
    let baseline = baseline.to_str().unwrap();
    let (code, _, stderr) = pinwarden(dir, &["check", "--write-baseline", baseline]);
    assert_eq!(code, Some(0), "--write-baseline: {stderr}");
    for format in FORMATS {
        let (code, _, stderr) =
            pinwarden(dir, &["check", "--baseline", baseline, "--format", format]);
        assert_eq!(code, Some(0), "--baseline, {format}: {stderr}");
    }
    let (_, stdout, _) = pinwarden(
        dir,
        &["check", "--baseline", baseline, "--format", "concise"],
    );
    assert!(stdout.is_empty(), "{stdout}");
}

fn concise(dir: &Path) -> Vec<String> {
    let (_, stdout, stderr) = pinwarden(dir, &["check", "--format", "concise"]);
    assert!(stderr.is_empty(), "{stderr}");
    stdout.lines().map(str::to_string).collect()
}

/// The reproduction with neither, either and both of a `[tool.pinwarden]` table and a
/// directive: the range is reported where nothing suppresses it, in every format.
#[test]
fn a_non_ascii_pyproject_is_checked_in_every_output_with_or_without_table_and_directive() {
    let head = "[project]\nname = \"app\"\ndescription = \"Ünïcode\"\n";
    let one_line = "dependencies = [\"flask>=2\", \"rich>=13\"]\n";
    let directive = "dependencies = [\n    \"flask>=2\",  # pinwarden: ignore[version-range] — 日本\n    \"rich>=13\",\n]\n";
    let table = "[tool.pinwarden]\n# Łódź\nextend-select = [\"unused-suppression\"]\n";
    let cases = [
        ("neither", one_line, ""),
        ("a table", one_line, table),
        ("a directive", directive, ""),
        ("both", directive, table),
    ];
    for (case, dependencies, table) in cases {
        let text = format!("{head}{dependencies}{table}");
        let dir = tree(&[("pyproject.toml", &text), (".git/HEAD", "")]);
        every_output_completes(dir.path());
        let found = concise(dir.path());
        let ranges: Vec<&str> = found
            .iter()
            .filter(|line| line.contains("error[version-range]"))
            .map(|line| line.split('`').nth(1).unwrap())
            .collect();
        let expected: &[&str] = match case {
            "neither" | "a table" => &["flask", "rich"],
            _ => &["rich"],
        };
        assert_eq!(ranges, expected, "{case}: {found:?}");
        assert!(
            !found.iter().any(|line| line.contains("unused-suppression")),
            "{case}: {found:?}"
        );
    }
}

/// black's and poetry's `pyproject.toml` (authors `Łukasz Langa`, `Sébastien Eustace`
/// before the dependencies), as they are, then with a directive on a line with a
/// finding and a `[tool.pinwarden]` table added: the directive removes exactly that
/// line's findings, and every output completes.
#[test]
fn black_and_poetry_pyproject_are_checked_with_a_directive_and_a_config_table() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/real-repos");
    for project in ["psf__black", "python-poetry__poetry"] {
        let path = data.join(project).join("pyproject.toml");
        let original = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} is part of the repository: {e}", path.display()));
        let first_non_ascii = original[..original.find(|c: char| !c.is_ascii()).unwrap()]
            .lines()
            .count();

        let dir = tree(&[("pyproject.toml", &original), (".git/HEAD", "")]);
        every_output_completes(dir.path());
        let before = concise(dir.path());

        // The first line after the non-ASCII one with a version-range finding.
        let line_of =
            |finding: &String| -> usize { finding.split(':').nth(1).unwrap().parse().unwrap() };
        let target = before
            .iter()
            .filter(|f| f.contains("error[version-range]"))
            .map(line_of)
            .find(|&line| line > first_non_ascii)
            .unwrap_or_else(|| {
                panic!("{project}: no range after line {first_non_ascii}: {before:?}")
            });
        let mut lines: Vec<String> = original.lines().map(str::to_string).collect();
        lines[target - 1].push_str("  # pinwarden: ignore[version-range] — reviewed by Łukasz");
        let changed = format!(
            "{}\n\n[tool.pinwarden]\n# Ünïcode in the configuration too\nextend-select = [\"unused-suppression\"]\n",
            lines.join("\n")
        );
        std::fs::write(dir.path().join("pyproject.toml"), &changed).unwrap();
        every_output_completes(dir.path());
        let after = concise(dir.path());
        let expected: Vec<String> = before
            .iter()
            .filter(|f| !(line_of(f) == target && f.contains("error[version-range]")))
            .cloned()
            .collect();
        assert!(expected.len() < before.len(), "{project}: line {target}");
        assert_eq!(after, expected, "{project}: line {target}");
    }
}
