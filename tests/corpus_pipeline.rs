//! The whole pipeline over the real-world corpus: every file is discovered, parsed and
//! evaluated with every rule enabled, without a panic, and every finding points inside
//! its file on character boundaries.

use std::path::{Path, PathBuf};

use pinwarden::config::Settings;
use pinwarden::policy::RuleSet;
use pinwarden::{CheckInput, check};

fn corpus() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/corpus");
    assert!(
        path.is_dir(),
        "the corpus is part of the repository, yet {} is missing",
        path.display()
    );
    path
}

#[test]
fn every_corpus_file_checks_without_panic_and_spans_are_valid() {
    let corpus = corpus();
    let rules = RuleSet::builtin().unwrap();
    let settings = Settings {
        select: Some(vec!["ALL".into()]),
        ..Settings::default()
    };
    let input = CheckInput {
        paths: vec![corpus.clone()],
        // The test reads the parsed requirements of the outcome.
        keep_items: true,
        ..CheckInput::default()
    };
    let outcome = check(&input, &rules, &settings);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);

    // Every manifest the oracle classified is discovered (pip's own test fixtures with
    // unusual names are the exceptions the oracle reads by walking every file).
    let expected: Vec<String> = std::fs::read_to_string(corpus.join("expected_files.jsonl"))
        .unwrap()
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["file"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let linted: std::collections::HashSet<PathBuf> = outcome
        .files
        .iter()
        .filter(|f| f.lint)
        .filter_map(|f| {
            f.manifest
                .path
                .strip_prefix(&corpus)
                .ok()
                .map(Path::to_path_buf)
        })
        .collect();
    let missed: Vec<&String> = expected
        .iter()
        .filter(|file| !linted.contains(Path::new(file.as_str())))
        // Fixtures the oracle classifies by walking every file, whose names no
        // project would give a manifest: pip's option-syntax fixture and pdm's
        // `poetry-new.toml`.
        .filter(|file| {
            !file.ends_with("reqfiles/supported_options2.txt")
                && !file.ends_with("fixtures/poetry-new.toml")
        })
        .collect();
    assert!(missed.is_empty(), "not discovered: {missed:?}");

    for finding in &outcome.findings {
        let file = outcome
            .file(&finding.path)
            .expect("finding in a loaded file");
        let text = &file.manifest.text;
        assert!(finding.span.start <= finding.span.end && finding.span.end <= text.len());
        assert!(
            text.is_char_boundary(finding.span.start) && text.is_char_boundary(finding.span.end)
        );
        assert!(finding.start.line >= 1 && finding.start.column >= 1);
    }
    for file in &outcome.files {
        let text = &file.manifest.text;
        for item in &file.manifest.items {
            let span = item.span();
            assert!(
                span.end <= text.len()
                    && text.is_char_boundary(span.start)
                    && text.is_char_boundary(span.end),
                "{}: bad span {span:?}",
                file.manifest.path.display()
            );
        }
    }

    // Rendering every format never fails either.
    for format in [
        pinwarden::report::Format::Human,
        pinwarden::report::Format::Concise,
        pinwarden::report::Format::Json,
    ] {
        let mut out = Vec::new();
        pinwarden::report::render(format, &outcome, Default::default(), &mut out).unwrap();
        assert!(!out.is_empty());
    }
}
