//! Renderers: one module per output format. Each takes the findings (already sorted)
//! and the files they point into, and writes text.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;
pub mod statistics;
pub mod terminal;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::Outcome;

/// The size of the blocks the machine-readable reports hand to the output filter: large
/// enough that a block of clean lines passes it in one piece.
pub(crate) const BLOCK: usize = 64 * 1024;
use crate::policy::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Concise,
    Json,
    Sarif,
    Github,
}

impl Format {
    pub const NAMES: [&str; 5] = ["human", "concise", "json", "sarif", "github"];

    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "human" | "full" => Some(Format::Human),
            "concise" => Some(Format::Concise),
            "json" => Some(Format::Json),
            "sarif" => Some(Format::Sarif),
            "github" => Some(Format::Github),
            _ => None,
        }
    }
}

/// Options shared by the renderers.
#[derive(Debug, Clone, Copy, Default)]
pub struct RenderOptions {
    pub color: bool,
    /// Terminal width for the human format.
    pub width: Option<usize>,
}

pub fn render(
    format: Format,
    outcome: &Outcome,
    options: RenderOptions,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        Format::Human => human::render(outcome, options, out),
        Format::Concise => concise::render(outcome, out),
        Format::Json => json::render(outcome, out),
        Format::Sarif => sarif::render(outcome, out),
        Format::Github => github::render(outcome, out),
    }
}

/// Counts for summaries: findings per severity, files checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub by_rule: BTreeMap<String, usize>,
    /// Findings `--fix` fixes, and those only `--unsafe-fixes` does.
    pub fixable: usize,
    pub unsafe_fixable: usize,
}

impl Summary {
    pub fn of(outcome: &Outcome) -> Summary {
        let mut summary = Summary {
            files: outcome.files.iter().filter(|f| f.lint).count(),
            ..Summary::default()
        };
        for finding in &outcome.findings {
            match finding.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
            *summary
                .by_rule
                .entry(finding.rule.name.clone())
                .or_default() += 1;
            match &finding.fix {
                Some(fix) if fix.unsafe_fix => summary.unsafe_fixable += 1,
                Some(_) => summary.fixable += 1,
                None => {}
            }
        }
        summary
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}
