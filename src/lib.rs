//! pinwarden: enforce a dependency-pinning policy across a Python repository.
//!
//! The pipeline runs in one direction:
//! discover → parse → evaluate → suppress (inline directives, baseline) → report.
//! [`check`] runs it; the CLI in `main.rs` only maps arguments and exit codes.

pub mod baseline;
pub mod config;
pub mod discover;
pub mod docs;
pub mod error;
pub mod fix;
pub mod lock;
pub mod manifest;
pub mod policy;
pub mod project;
pub mod report;
pub mod suppress;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use baseline::Baseline;
use config::{PathSettings, Settings};
use discover::{DiscoverError, DiscoverOptions};
use manifest::Item;
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
    /// Findings recorded here are not reported.
    pub baseline: Option<Baseline>,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<SourceFile>,
    /// Sorted by path, then position, then rule.
    pub findings: Vec<Finding>,
    /// Path arguments that could not be read: exit code 2.
    pub errors: Vec<DiscoverError>,
    /// The directory configuration paths are relative to (see [`Settings::root`]).
    pub root: PathBuf,
    /// Findings removed by inline `pinwarden: ignore` directives.
    pub suppressed: usize,
    /// Findings removed because the baseline records them.
    pub baselined: usize,
}

impl Outcome {
    pub fn file(&self, path: &Path) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.manifest.path == path)
    }

    /// `path` relative to [`Outcome::root`], or as given when it is outside the root.
    pub fn project_relative(&self, path: &Path) -> PathBuf {
        config::relative_to(&self.root, path).unwrap_or_else(|| path.to_path_buf())
    }
}

/// Run the whole pipeline.
pub fn check(input: &CheckInput, rules: &RuleSet, settings: &Settings) -> Outcome {
    let force_exclude = input.discover.force_exclude;
    let (errors, files) = match &input.stdin {
        Some((path, _)) if force_exclude && settings.is_excluded(path) => (Vec::new(), Vec::new()),
        Some((path, text)) => {
            let file = stdin_file(path, text);
            (Vec::new(), file.into_iter().collect())
        }
        None => {
            let (mut candidates, errors) = discover::discover(&input.paths, &input.discover);
            // Files named on the command line are linted even when excluded (pre-commit
            // names them), unless `force_exclude` says otherwise.
            candidates
                .retain(|c| !((force_exclude || !c.explicit) && settings.is_excluded(&c.path)));
            let files = project::load_all(&candidates);
            (errors, files)
        }
    };
    let findings = evaluate(&files, rules, settings);
    let suppression = suppress::apply(findings, &files, rules, settings);
    let mut outcome = Outcome {
        files,
        findings: suppression.findings,
        errors,
        root: settings.root.clone(),
        suppressed: suppression.suppressed,
        baselined: 0,
    };
    if let Some(baseline) = &input.baseline {
        outcome.baselined = baseline.filter(&mut outcome);
    }
    outcome
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

/// The section of the requirement at byte `offset` of the file, if one is there.
fn section_at(file: &SourceFile, offset: usize) -> Option<&str> {
    file.manifest.items.iter().find_map(|item| match item {
        Item::Requirement(req)
            if req.span.start <= offset && offset < req.span.end.max(req.span.start + 1) =>
        {
            Some(req.section.as_str())
        }
        _ => None,
    })
}

/// Evaluate every enabled rule: per file in parallel, then the project-wide checks.
pub fn evaluate(files: &[SourceFile], rules: &RuleSet, settings: &Settings) -> Vec<Finding> {
    // Per-path settings are resolved once per file, not once per rule and file.
    let scopes: Vec<PathSettings> = files
        .iter()
        .map(|file| settings.for_path(&file.manifest.path))
        .collect();
    let active_for = |index: usize| -> Vec<Arc<Rule>> {
        rules
            .rules
            .iter()
            .filter(|rule| scopes[index].is_enabled(rule))
            .cloned()
            .collect()
    };
    let mut findings: Vec<Finding> = files
        .par_iter()
        .enumerate()
        .filter(|(_, file)| file.lint)
        .flat_map_iter(|(index, file)| {
            policy::engine::evaluate_manifest(
                &active_for(index),
                &file.manifest,
                &file.index,
                file.template,
            )
        })
        .collect();
    let locks = lock::Locks::discover(files, &settings.lock_files);
    for rule in &rules.rules {
        if let Condition::Check(check) = &rule.condition {
            let active = |index: usize| scopes[index].is_enabled(rule);
            findings.extend(check.run(rule, files, &locks, &active));
        }
    }
    lock::pin::attach_fixes(&mut findings, files, &locks);
    let scope_of: HashMap<&Path, (&SourceFile, &PathSettings)> = files
        .iter()
        .zip(&scopes)
        .map(|(file, scope)| (file.manifest.path.as_path(), (file, scope)))
        .collect();
    findings.retain_mut(|finding| {
        let Some((file, scope)) = scope_of.get(finding.path.as_path()) else {
            finding.severity = settings.severity_of(&finding.rule);
            return true;
        };
        // Only `[[per-path]]` blocks with `sections` need the finding's requirement.
        let section = if scope.has_section_blocks() {
            section_at(file, finding.span.start)
        } else {
            None
        };
        finding.severity = scope.severity_in(&finding.rule, section);
        scope.is_enabled_in(&finding.rule, section)
    });
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings
}
