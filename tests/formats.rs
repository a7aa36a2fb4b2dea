//! Machine formats: SARIF valid against the official 2.1.0 schema, GitHub workflow
//! annotations escaped so no message can break out of its command, JSON, concise,
//! `--output-file`, `--statistics` and `--stdin-filename`; secrets stay redacted in
//! every one of them.
//!
//! `tests/data/sarif-schema-2.1.0.json` is the OASIS SARIF 2.1.0 schema (the final
//! `2.1.0-rtm.5` revision), as shipped in the npm package `@microsoft/jest-sarif`
//! 1.0.0-beta.0 (`lib/schemas/sarif-2.1.0-rtm.5.json`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

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

fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, content) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

/// Not the token of the rule's own documentation, which SARIF's rule metadata quotes.
const TOKEN: &str = "ghp_Q7mZk2LrT9vXw4NbYc8HdJ3pFs6GaE1uKo5R";
/// Enough of the token to recognise it; the redacted form shows at most 4 characters.
const TOKEN_BODY: &str = "Q7mZk2LrT9vXw4NbYc8HdJ3pFs6GaE1uKo5R";

fn sample() -> tempfile::TempDir {
    tree(&[
        (
            "requirements.txt",
            "flask>=2.0\nrequests\nflask==2.0\n--extra-index-url https://example.com/%41/simple\n",
        ),
        ("a b/requirements.txt", "celery>=5  # café\n"),
        (".env.example", &format!("GITHUB_TOKEN={TOKEN}\n")),
    ])
}

/// The schema's BCP 47 pattern for `language` has a stray `]`
/// (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, a known erratum that strict validators
/// refuse to compile). It is dropped from the in-memory copy only; pinwarden never
/// writes `language`, and every other constraint is checked as published.
const BROKEN_LANGUAGE_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn drop_broken_pattern(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut dropped = 0;
            if map.get("pattern").and_then(Value::as_str) == Some(BROKEN_LANGUAGE_PATTERN) {
                map.remove("pattern");
                dropped += 1;
            }
            dropped + map.values_mut().map(drop_broken_pattern).sum::<usize>()
        }
        Value::Array(items) => items.iter_mut().map(drop_broken_pattern).sum(),
        _ => 0,
    }
}

fn sarif_schema() -> jsonschema::Validator {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let mut schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        drop_broken_pattern(&mut schema),
        2,
        "the erratum is where expected"
    );
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = sample();
    let output = pinwarden(&["check", "--format", "sarif"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");

    // The validator is not vacuous: a document breaking the schema is rejected.
    let mut broken = doc.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));

    let run = &doc["runs"][0];
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(run["tool"]["driver"]["name"], "pinwarden");
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    // Every result's rule is described, once, and only rules with results are.
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut used: Vec<&str> = results
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    used.sort_unstable();
    used.dedup();
    assert_eq!(ids, used);
    for result in results {
        assert_eq!(
            result["partialFingerprints"]["pinwarden/v1"]
                .as_str()
                .unwrap()
                .len(),
            64
        );
    }
    let range = rules.iter().find(|r| r["id"] == "version-range").unwrap();
    assert_eq!(
        range["shortDescription"]["text"],
        "Requirement allows more than one version"
    );
    assert_eq!(range["defaultConfiguration"]["level"], "error");
    assert!(
        range["help"]["markdown"]
            .as_str()
            .unwrap()
            .starts_with("# version-range")
    );

    let flask = results
        .iter()
        .find(|r| {
            r["ruleId"] == "version-range"
                && r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "requirements.txt"
        })
        .unwrap();
    let region = &flask["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(1), Some(6))
    );
    assert_eq!(region["endColumn"], 11);
    // A path with a space is a valid URI reference.
    assert!(results.iter().any(|r| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%20b/requirements.txt"
    }));
    // The duplicate carries the first declaration as a related location.
    let duplicate = results
        .iter()
        .find(|r| r["ruleId"] == "duplicate-requirement")
        .unwrap();
    assert_eq!(
        duplicate["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    let secret = results
        .iter()
        .find(|r| r["ruleId"] == "secret-github-token")
        .unwrap();
    assert!(secret["locations"][0]["physicalLocation"]["region"]["snippet"].is_null());
}

#[test]
fn empty_sarif_run_is_valid() {
    let dir = tree(&[("requirements.txt", "flask==3.0.3\n")]);
    let output = pinwarden(&["check", "--format", "sarif"], dir.path());
    assert_eq!(output.status.code(), Some(0));
    let doc: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(sarif_schema().is_valid(&doc));
    assert_eq!(doc["runs"][0]["results"], serde_json::json!([]));
}

#[test]
fn secrets_stay_redacted_in_every_format() {
    let dir = sample();
    for format in ["human", "concise", "json", "sarif", "github"] {
        let output = pinwarden(&["check", "--format", format], dir.path());
        let text = stdout(&output);
        assert!(text.contains("secret-github-token"), "{format}: {text}");
        assert!(
            !text.contains(TOKEN_BODY),
            "{format} shows the secret:\n{text}"
        );
    }
    let output = pinwarden(&["check", "--statistics"], dir.path());
    assert!(!stdout(&output).contains(TOKEN_BODY));
}

#[test]
fn github_annotations_escape_command_syntax() {
    let dir = tree(&[(
        "odd,name:1-requirements.txt",
        "--extra-index-url https://example.com/100%25/simple\nflask>=2\n",
    )]);
    let output = pinwarden(&["check", "--format", "github"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    // One physical line per annotation: the help's line break is escaped.
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[0].starts_with(
            "::warning file=odd%2Cname%3A1-requirements.txt,line=1,col=19,endLine=1,endColumn=52,title=pinwarden (extra-index-url)::"
        ),
        "{text}"
    );
    // `%` in the message is escaped, then the help follows an escaped line break.
    assert!(
        lines[0].contains("https://example.com/100%2525/simple"),
        "{text}"
    );
    assert!(
        lines[0].contains("version wins%0AServe everything"),
        "{text}"
    );
    assert!(lines[1].starts_with("::error file=odd%2Cname%3A1-requirements.txt,line=2,col=6,"));
    assert!(lines[1].contains("title=pinwarden (version-range)::`flask` allows"));
}

#[test]
fn info_findings_are_notices() {
    let dir = tree(&[
        ("pinwarden.toml", "[severity]\nversion-range = \"info\"\n"),
        ("requirements.txt", "flask>=2\n"),
    ]);
    let output = pinwarden(&["check", "--format", "github"], dir.path());
    assert!(stdout(&output).starts_with("::notice file=requirements.txt,line=1,"));
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn output_file_and_statistics() {
    let dir = sample();
    let output = pinwarden(
        &["check", "--format", "json", "--output-file", "report.json"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("report.json")).unwrap())
            .unwrap();
    assert_eq!(doc["summary"]["by_rule"]["version-range"], 2);

    let output = pinwarden(&["check", "--statistics"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "2  version-range          Requirement allows more than one version"
    );
    assert!(
        lines.contains(&"1  secret-github-token    GitHub token in an env file"),
        "{text}"
    );

    let output = pinwarden(&["check", "--statistics", "--format", "json"], dir.path());
    let stats: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(stats[0]["rule"], "version-range");
    assert_eq!(stats[0]["count"], 2);
    let total: u64 = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .sum();
    assert_eq!(total, doc["summary"]["findings"].as_u64().unwrap());
}

#[test]
fn stdin_is_linted_under_the_given_name() {
    let dir = tree(&[]);
    let lint = |name: &str, text: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
            .args(["check", "--format", "concise", "--stdin-filename", name])
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        (stdout(&output), output.status.code())
    };
    let (text, code) = lint(
        "requirements/dev.txt",
        "flask>=2 # pinwarden: ignore\nrich>=13\n",
    );
    assert_eq!(
        text,
        "requirements/dev.txt:2:5: error[version-range] `rich` allows more than one version: `>=13`\n"
    );
    assert_eq!(code, Some(1));
    // The name decides the parser: TOML for a pyproject.toml.
    let (text, _) = lint(
        "pyproject.toml",
        "[project]\nname = \"x\"\nversion = \"1\"\ndependencies = [\"flask>=2\"]\n",
    );
    assert!(
        text.starts_with("pyproject.toml:4:23: error[version-range]"),
        "{text}"
    );
}
