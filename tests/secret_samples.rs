//! The secret samples gitleaks and detect-secrets publish in their own test suites
//! (`tests/data/secret-samples`, sources in its README), written as env entries: every
//! sample marked with a rule is reported by that rule and no other, and every sample
//! marked `missed` or `clean` is reported by none, so the comparison in
//! `docs/secrets-accuracy.md` stays true.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{pinwarden, tree};
use serde_json::Value;

struct Sample {
    source: String,
    key: String,
    value: String,
    expect: String,
}

fn samples() -> Vec<Sample> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/secret-samples/samples.tsv");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
    let samples: Vec<Sample> = text
        .lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), 6, "{line}");
            assert!(
                fields[4] != "missed" || !fields[5].is_empty(),
                "a missed sample says why: {line}"
            );
            Sample {
                source: fields[0].into(),
                key: fields[2].into(),
                value: fields[3].into(),
                expect: fields[4].into(),
            }
        })
        .collect();
    assert!(samples.len() > 150, "{} samples", samples.len());
    samples
}

#[test]
fn published_scanner_samples_are_judged_as_documented() {
    let samples = samples();
    let text: String = samples
        .iter()
        .map(|s| format!("{}={}\n", s.key, s.value))
        .collect();
    let dir = tree(&[(".env.example", &text)]);
    let (_, stdout, stderr) = pinwarden(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--select",
            "secret-*",
            "--exit-zero",
            ".env.example",
        ],
    );
    let report: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("{stderr}"));
    let mut reported: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for finding in report["findings"].as_array().unwrap() {
        let line = finding["line"].as_u64().unwrap() as usize;
        let rule = finding["rule"].as_str().unwrap().to_string();
        reported.entry(line).or_default().push(rule);
    }
    let mut wrong = Vec::new();
    for (index, sample) in samples.iter().enumerate() {
        let found = reported.remove(&(index + 1)).unwrap_or_default();
        let expected: Vec<String> = match sample.expect.as_str() {
            "missed" | "clean" => Vec::new(),
            rule => vec![rule.to_string()],
        };
        if found != expected {
            wrong.push(format!(
                "line {} ({}, `{}`): expected {expected:?}, reported {found:?}",
                index + 1,
                sample.source,
                sample.key
            ));
        }
    }
    assert!(
        reported.is_empty(),
        "findings off the samples: {reported:?}"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
