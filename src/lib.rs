//! pinwarden: enforce a dependency-pinning policy across a Python repository.
//!
//! The pipeline runs in one direction:
//! discover → parse → evaluate → suppress → report.
//! [`check`] runs it; the CLI in `main.rs` only maps arguments and exit codes.

pub mod config;
pub mod discover;
pub mod error;
pub mod fix;
pub mod lock;
pub mod manifest;
pub mod policy;
pub mod project;
pub mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use config::Settings;
use discover::{DiscoverError, DiscoverOptions};
use policy::rule::Condition;
use policy::{Finding, Rule, RuleSet};
use project::SourceFile;

/// What to lint.
#[derive(Debug, Clone, Default)]
pub struct CheckInput {
    pub paths: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    /// Text given on standard input, linted as if it were the file at this path.
    pub stdin: Option<(PathBuf, String)>,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<SourceFile>,
    /// Sorted by path, then position, then rule.
    pub findings: Vec<Finding>,
    /// Path arguments that could not be read: exit code 2.
    pub errors: Vec<DiscoverError>,
}

impl Outcome {
    pub fn file(&self, path: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.manifest.path == path)
    }
}

/// Run the whole pipeline.
pub fn check(input: &CheckInput, rules: &RuleSet, settings: &Settings) -> Outcome {
    let (errors, files) = match &input.stdin {
        Some((path, text)) => {
            let file = stdin_file(path, text);
            (Vec::new(), file.into_iter().collect())
        }
        None => {
            let (candidates, errors) = discover::discover(&input.paths, &input.discover);
            let files = project::load_all(&candidates);
            (errors, files)
        }
    };
    let findings = evaluate(&files, rules, settings);
    Outcome {
        files,
        findings,
        errors,
    }
}

/// Lint text piped from an editor: the name decides the parser.
fn stdin_file(path: &Path, text: &str) -> Option<SourceFile> {
    let kind = discover::classify(path).or(Some(manifest::ManifestKind::Requirements))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
    let items = manifest::parse(kind, &text);
    Some(project::from_text(
        path,
        kind,
        Path::new("."),
        true,
        text,
        manifest::Encoding::Utf8,
        items,
    ))
}

/// Evaluate every enabled rule: per file in parallel, then the project-wide checks.
pub fn evaluate(files: &[SourceFile], rules: &RuleSet, settings: &Settings) -> Vec<Finding> {
    let active_for = |file: &SourceFile| -> Vec<Arc<Rule>> {
        rules
            .rules
            .iter()
            .filter(|rule| settings.is_enabled(rule, &file.manifest.path))
            .cloned()
            .collect()
    };
    let mut findings: Vec<Finding> = files
        .par_iter()
        .filter(|file| file.lint)
        .flat_map_iter(|file| {
            policy::engine::evaluate_manifest(
                &active_for(file),
                &file.manifest,
                &file.index,
                file.template,
            )
        })
        .collect();
    let locks = lock::Locks::discover(files, &[]);
    for rule in &rules.rules {
        if let Condition::Check(check) = &rule.condition {
            let active = |index: usize| settings.is_enabled(rule, &files[index].manifest.path);
            findings.extend(check.run(rule, files, &locks, &active));
        }
    }
    lock::pin::attach_fixes(&mut findings, files, &locks);
    for finding in &mut findings {
        finding.severity = settings.severity_of(&finding.rule);
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}
