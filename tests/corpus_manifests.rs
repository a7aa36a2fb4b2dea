//! Conformance of the pyproject.toml, setup.cfg and Pipfile parsers with the corpus
//! oracle (`tests/data/corpus/expected.jsonl`, see the corpus README).
//!
//! For every file the oracle classifies as `pyproject`, `setup.cfg` or `pipfile`, the
//! requirements must agree as a multiset of (line, canonical name, exact, section), where
//! exact means pin `exact` or `vcs-commit`. Parse errors must sit on the lines of the
//! oracle's `expected_errors.jsonl` records, and nowhere else.
//!
//! Accepted disagreements are listed, each with its reason, in
//! `tests/corpus_manifests_known.txt`; the test fails on any unlisted disagreement and on
//! any listed one that no longer happens.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pinwarden::manifest::text::{LineIndex, decode};
use pinwarden::manifest::{Item, Pin, pipfile, pyproject, setup_cfg};
use serde_json::Value;

fn corpus() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    assert!(
        path.is_dir(),
        "the corpus is part of the repository, yet {} is missing",
        path.display()
    );
    path
}

fn jsonl(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

type Parser = fn(&str) -> Vec<Item>;

fn parser_for(kind: &str) -> Option<Parser> {
    match kind {
        "pyproject" => Some(pyproject::parse),
        "setup.cfg" => Some(setup_cfg::parse),
        "pipfile" => Some(pipfile::parse),
        _ => None,
    }
}

/// What is compared for one requirement: (line, canonical name, exact, section).
type Key = (usize, String, bool, String);

fn describe((line, name, exact, section): &Key) -> String {
    let name = if name.is_empty() { "<unnamed>" } else { name };
    format!("{line} {name} exact={exact} {section}")
}

fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap();
    decode(&bytes).ok().map(|(text, _)| text)
}

/// Every disagreement with the oracle, one line each, and how many requirements the
/// parsers found.
fn disagreements(corpus: &Path) -> (BTreeSet<String>, usize) {
    let files: Vec<(String, String)> = jsonl(&corpus.join("expected_files.jsonl"))
        .iter()
        .map(|f| {
            let field = |name: &str| f[name].as_str().unwrap().to_string();
            (field("file"), field("kind"))
        })
        .filter(|(_, kind)| parser_for(kind).is_some())
        .collect();
    let mut expected: BTreeMap<String, BTreeMap<Key, usize>> = BTreeMap::new();
    for record in jsonl(&corpus.join("expected.jsonl")) {
        let file = record["file"].as_str().unwrap().to_string();
        let key = (
            record["line"].as_u64().unwrap() as usize,
            record["canonical_name"].as_str().unwrap_or("").to_string(),
            record["exact"].as_bool().unwrap(),
            record["section"].as_str().unwrap_or("").to_string(),
        );
        *expected.entry(file).or_default().entry(key).or_default() += 1;
    }
    let mut expected_errors: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for record in jsonl(&corpus.join("expected_errors.jsonl")) {
        if let Some(line) = record["line"].as_u64() {
            let file = record["file"].as_str().unwrap().to_string();
            expected_errors
                .entry(file)
                .or_default()
                .insert(line as usize);
        }
    }

    let mut out = BTreeSet::new();
    let mut requirements = 0;
    for (file, kind) in &files {
        let Some(text) = read_text(&corpus.join(file)) else {
            out.insert(format!("{file}: not decodable"));
            continue;
        };
        let index = LineIndex::new(&text);
        let line_of = |offset: usize| index.line_of(offset) + 1;
        let mut found: BTreeMap<Key, usize> = BTreeMap::new();
        let mut error_lines = BTreeSet::new();
        for item in parser_for(kind).unwrap()(&text) {
            match item {
                Item::Requirement(req) => {
                    let key = (
                        line_of(req.span.start),
                        req.canonical_name().unwrap_or_default().into_owned(),
                        matches!(req.pin, Pin::Exact | Pin::VcsCommit),
                        req.section.to_string(),
                    );
                    *found.entry(key).or_default() += 1;
                    requirements += 1;
                }
                Item::ParseError(err) => {
                    let line = line_of(err.span.start);
                    if !expected_errors
                        .get(file)
                        .is_some_and(|lines| lines.contains(&line))
                    {
                        out.insert(format!("{file}:{line} unexpected error: {}", err.message));
                    }
                    error_lines.insert(line);
                }
                _ => {}
            }
        }
        for line in expected_errors.get(file).into_iter().flatten() {
            if !error_lines.contains(line) {
                out.insert(format!("{file}:{line} missing error"));
            }
        }
        let empty = BTreeMap::new();
        let wanted = expected.get(file).unwrap_or(&empty);
        for key in found.keys().chain(wanted.keys()) {
            let (have, want) = (
                found.get(key).copied().unwrap_or(0),
                wanted.get(key).copied().unwrap_or(0),
            );
            if have > want {
                out.insert(format!("{file}:{} extra", describe(key)));
            } else if want > have {
                out.insert(format!("{file}:{} missing", describe(key)));
            }
        }
    }
    (out, requirements)
}

/// Listed disagreements: `<disagreement> -- <reason>`; `#` starts a comment line.
fn known() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_manifests_known.txt");
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (entry, reason) = line
                .split_once(" -- ")
                .unwrap_or_else(|| panic!("known disagreement without a reason: {line}"));
            assert!(!reason.trim().is_empty(), "empty reason: {line}");
            entry.trim().to_string()
        })
        .collect()
}

#[test]
fn pyproject_setup_cfg_and_pipfile_agree_with_the_oracle() {
    let corpus = corpus();
    let (found, requirements) = disagreements(&corpus);
    // The corpus README counts 2,415 + 147 + 271 records for these three kinds.
    assert!(
        requirements > 2800,
        "only {requirements} requirements parsed"
    );
    let known = known();
    let unlisted: Vec<&String> = found.difference(&known).collect();
    let stale: Vec<&String> = known.difference(&found).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "unlisted disagreements:\n{}\n\nlisted but no longer happening:\n{}",
        unlisted
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        stale
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    );
}

#[test]
fn pep518_invalid_requires_is_one_error_per_element() {
    let corpus = corpus();
    let path = corpus.join("pypa__pip/tests/data/src/pep518_invalid_requires/pyproject.toml");
    let text = read_text(&path).unwrap();
    let errors: Vec<String> = pyproject::parse(&text)
        .into_iter()
        .filter_map(|item| match item {
            Item::ParseError(err) => Some(text[err.span].to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(errors, vec!["1", "2", "3"]);
}

#[test]
fn no_toml_or_ini_parser_panics_on_any_corpus_file() {
    let corpus = corpus();
    let mut parsed = 0;
    for record in jsonl(&corpus.join("expected_files.jsonl")) {
        let Some(text) = read_text(&corpus.join(record["file"].as_str().unwrap())) else {
            continue;
        };
        for parser in [pyproject::parse as Parser, setup_cfg::parse, pipfile::parse] {
            for item in parser(&text) {
                let span = item.span();
                assert!(span.start <= span.end && span.end <= text.len());
                assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            }
        }
        parsed += 1;
    }
    assert!(parsed > 300, "only {parsed} corpus files read");
}

#[test]
fn spans_point_at_the_text_they_describe() {
    let corpus = corpus();
    let mut checked = 0;
    for record in jsonl(&corpus.join("expected_files.jsonl")) {
        let Some(parser) = parser_for(record["kind"].as_str().unwrap()) else {
            continue;
        };
        let file = record["file"].as_str().unwrap();
        let text = read_text(&corpus.join(file)).unwrap();
        for item in parser(&text) {
            let Item::Requirement(req) = item else {
                continue;
            };
            let at = |span: &std::ops::Range<usize>| text[span.clone()].to_string();
            if at(&req.span).contains('\\') {
                // An escaped TOML string: inner spans cover the whole literal by design.
                assert!(req.name_span.as_ref().is_none_or(|s| *s == req.span));
                continue;
            }
            if let (Some(name), Some(span)) = (&req.name, &req.name_span) {
                // TOML keys may be quoted.
                assert_eq!(at(span).trim_matches(['"', '\'']), name, "{file}");
            }
            if let Some(span) = &req.specifier_span {
                assert_eq!(at(span), req.specifier, "{file}");
            }
            for clause in &req.clauses {
                let written = at(&clause.span);
                assert!(
                    written.starts_with(&*clause.operator) && written.ends_with(&*clause.version),
                    "{file}: {clause:?} is `{written}`"
                );
            }
            if let (Some(marker), Some(span)) = (&req.marker, &req.marker_span) {
                // Pipfile marker keys are rewritten (`sys_platform = "== 'win32'"`).
                if req.section.starts_with("project") || req.section.starts_with("options") {
                    assert_eq!(&at(span), marker, "{file}");
                }
            }
            if let Some(url) = &req.url {
                assert!(
                    at(&url.span).contains(url.url.trim_start_matches("-e ")),
                    "{file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 2800, "only {checked} requirements checked");
}
