//! Conformance of the requirement-file parser with the corpus oracle
//! (`tests/data/corpus/expected.jsonl`, built with pip's own parser; see the corpus
//! README).
//!
//! For every file the oracle classifies as `requirements`, the requirements must agree
//! as a multiset of (line, canonical name or none, exact), where exact means pin `exact`
//! or `vcs-commit`, and the line is where the requirement starts. Parse errors must sit
//! on the lines of the oracle's `expected_errors.jsonl` records, and nowhere else.
//! Every corpus file, whatever its kind, must parse as a requirement file without a
//! panic and with every span inside the text.
//!
//! Accepted disagreements are listed, each with its reason, in
//! `tests/corpus_requirements_known.txt`; the test fails on any unlisted disagreement
//! and on any listed one that no longer happens.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use pinwarden::manifest::text::{LineIndex, decode};
use pinwarden::manifest::{Item, Pin, requirements};
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

fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).unwrap();
    decode(&bytes).ok().map(|(text, _)| text)
}

/// What is compared for one requirement: (line, canonical name or "", exact).
type Key = (usize, String, bool);

fn describe((line, name, exact): &Key) -> String {
    let name = if name.is_empty() { "<unnamed>" } else { name };
    format!("{line} {name} exact={exact}")
}

/// Every disagreement with the oracle, one line each, and how many requirements the
/// parser found.
fn disagreements(corpus: &Path) -> (BTreeSet<String>, usize) {
    let files: Vec<String> = jsonl(&corpus.join("expected_files.jsonl"))
        .iter()
        .filter(|f| f["kind"] == "requirements")
        .map(|f| f["file"].as_str().unwrap().to_string())
        .collect();
    let mut expected: BTreeMap<String, BTreeMap<Key, usize>> = BTreeMap::new();
    for record in jsonl(&corpus.join("expected.jsonl")) {
        if record["source_kind"] != "requirements" {
            continue;
        }
        let key = (
            record["line"].as_u64().unwrap() as usize,
            record["canonical_name"].as_str().unwrap_or("").to_string(),
            record["exact"].as_bool().unwrap(),
        );
        let file = record["file"].as_str().unwrap().to_string();
        *expected.entry(file).or_default().entry(key).or_default() += 1;
    }
    let mut expected_errors: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for record in jsonl(&corpus.join("expected_errors.jsonl")) {
        if record["source_kind"] == "requirements"
            && let Some(line) = record["line"].as_u64()
        {
            let file = record["file"].as_str().unwrap().to_string();
            expected_errors
                .entry(file)
                .or_default()
                .insert(line as usize);
        }
    }

    let mut out = BTreeSet::new();
    let mut count = 0;
    for file in &files {
        let Some(text) = read_text(&corpus.join(file)) else {
            out.insert(format!("{file}: not decodable"));
            continue;
        };
        let index = LineIndex::new(&text);
        let line_of = |offset: usize| index.line_of(offset) + 1;
        let mut found: BTreeMap<Key, usize> = BTreeMap::new();
        let mut error_lines = BTreeSet::new();
        for item in requirements::parse(&text) {
            match item {
                Item::Requirement(req) => {
                    let key = (
                        line_of(req.span.start),
                        req.canonical_name().unwrap_or_default().into_owned(),
                        matches!(req.pin, Pin::Exact | Pin::VcsCommit),
                    );
                    *found.entry(key).or_default() += 1;
                    count += 1;
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
    (out, count)
}

/// Listed disagreements: `<disagreement> -- <reason>`; `#` starts a comment line.
fn known() -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus_requirements_known.txt");
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
fn requirement_files_agree_with_the_oracle() {
    let corpus = corpus();
    let (found, count) = disagreements(&corpus);
    // The corpus README counts 4,924 records from requirement files.
    assert!(count > 4800, "only {count} requirements parsed");
    let known = known();
    let unlisted: Vec<&str> = found.difference(&known).map(String::as_str).collect();
    let stale: Vec<&str> = known.difference(&found).map(String::as_str).collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "unlisted disagreements:\n{}\n\nlisted but no longer happening:\n{}",
        unlisted.join("\n"),
        stale.join("\n"),
    );
}

#[test]
fn the_invalid_line_of_the_corpus_is_a_parse_error_there() {
    let corpus = corpus();
    let text = read_text(&corpus.join("LeakDetectAI__deep-learning-sca/requirements.txt")).unwrap();
    let index = LineIndex::new(&text);
    let errors: Vec<_> = requirements::parse(&text)
        .into_iter()
        .filter_map(|item| match item {
            Item::ParseError(err) => Some(err),
            _ => None,
        })
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(index.line_of(errors[0].span.start) + 1, 14);
    // The span points at the second name, the word pip cannot place.
    assert_eq!(&text[errors[0].span.clone()], "google-auth-oauthlib");
}

/// Every file of the corpus below `dir`, oracle outputs at the top level excepted.
fn corpus_files(dir: &Path, top: bool, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            corpus_files(&path, false, out);
        } else if !top {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_file_parses_without_panic_and_with_valid_spans() {
    let corpus = corpus();
    let mut files = Vec::new();
    corpus_files(&corpus, true, &mut files);
    assert!(files.len() > 300, "only {} corpus files", files.len());
    for path in files {
        let Some(text) = read_text(&path) else {
            continue;
        };
        for item in requirements::parse(&text) {
            let mut spans = vec![item.span()];
            match &item {
                Item::Requirement(req) => {
                    spans.extend(req.name_span.clone());
                    spans.extend(req.specifier_span.clone());
                    spans.extend(req.marker_span.clone());
                    spans.extend(req.url.iter().map(|u| u.span.clone()));
                    spans.extend(req.clauses.iter().map(|c| c.span.clone()));
                    spans.extend(req.hashes.iter().map(|(_, s)| s.clone()));
                }
                Item::Option(opt) => spans.extend(opt.value_span.clone()),
                Item::Include(include) => spans.push(include.target_span.clone()),
                _ => {}
            }
            for span in spans {
                assert!(
                    span.start <= span.end
                        && span.end <= text.len()
                        && text.is_char_boundary(span.start)
                        && text.is_char_boundary(span.end),
                    "{}: span {span:?} invalid: {item:?}",
                    path.display()
                );
            }
        }
    }
}
