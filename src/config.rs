//! Which rules run where, and at what severity.
//!
//! Selection follows ruff: `select` replaces the default set, `extend-select` adds to
//! it, `ignore` removes from it. A selector is a rule name, a prefix ending in `*`
//! (`secret-*`), or `ALL`. `[[per-path]]` blocks adjust the selection for files that
//! match their globs (libraries may publish ranges while applications pin).

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::policy::{Rule, Severity};

/// The resolved settings for a run.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: BTreeMap<String, Severity>,
    pub per_path: Vec<PerPath>,
}

/// Adjustments for files matching `paths`.
#[derive(Debug, Clone)]
pub struct PerPath {
    pub globs: GlobSet,
    pub patterns: Vec<String>,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

impl PerPath {
    pub fn new(
        patterns: Vec<String>,
        select: Option<Vec<String>>,
        extend_select: Vec<String>,
        ignore: Vec<String>,
    ) -> Result<PerPath, globset::Error> {
        let mut builder = GlobSetBuilder::new();
        for pattern in &patterns {
            builder.add(Glob::new(pattern)?);
        }
        Ok(PerPath {
            globs: builder.build()?,
            patterns,
            select,
            extend_select,
            ignore,
        })
    }
}

/// Whether `selector` names `rule`.
pub fn selector_matches(selector: &str, rule: &str) -> bool {
    selector == "ALL"
        || selector == rule
        || selector
            .strip_suffix('*')
            .is_some_and(|prefix| rule.starts_with(prefix))
}

fn apply(
    enabled: bool,
    rule: &Rule,
    select: &Option<Vec<String>>,
    extend: &[String],
    ignore: &[String],
) -> bool {
    let mut enabled = match select {
        Some(list) => list.iter().any(|s| selector_matches(s, &rule.name)),
        None => enabled,
    };
    if extend.iter().any(|s| selector_matches(s, &rule.name)) {
        enabled = true;
    }
    if ignore.iter().any(|s| selector_matches(s, &rule.name)) {
        enabled = false;
    }
    enabled
}

impl Settings {
    /// Whether `rule` runs on the file at `path` (relative to the project root when
    /// matched against per-path globs).
    pub fn is_enabled(&self, rule: &Rule, path: &Path) -> bool {
        let mut enabled = apply(
            rule.default_enabled,
            rule,
            &self.select,
            &self.extend_select,
            &self.ignore,
        );
        let relative = path.strip_prefix(".").unwrap_or(path);
        for block in &self.per_path {
            if block.globs.is_match(relative) {
                enabled = apply(
                    enabled,
                    rule,
                    &block.select,
                    &block.extend_select,
                    &block.ignore,
                );
            }
        }
        enabled
    }

    pub fn severity_of(&self, rule: &Rule) -> Severity {
        self.severity
            .get(&rule.name)
            .copied()
            .unwrap_or(rule.severity)
    }

    /// Every selector that names no rule: a typo in configuration should not silently
    /// turn a rule off.
    pub fn unknown_selectors<'a>(&'a self, rules: &[std::sync::Arc<Rule>]) -> Vec<&'a str> {
        let blocks = self.per_path.iter().flat_map(|b| {
            b.select
                .iter()
                .flatten()
                .chain(&b.extend_select)
                .chain(&b.ignore)
        });
        self.select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore)
            .chain(blocks)
            .chain(self.severity.keys())
            .filter(|s| !rules.iter().any(|r| selector_matches(s, &r.name)))
            .map(String::as_str)
            .collect()
    }
}
