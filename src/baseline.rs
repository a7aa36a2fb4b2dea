//! A baseline: today's findings recorded in a file, so a legacy repository can adopt
//! the policy and fail only on findings that are new.
//!
//! Each finding is recorded by a fingerprint that survives unrelated edits: the rule,
//! the file's path relative to the project root, the finding's line with its comment
//! removed and its whitespace collapsed, and an occurrence counter for identical lines
//! in the same file. Moving a line, or adding lines above it, keeps its fingerprint;
//! editing the flagged line makes it a new finding. Line numbers are not part of it.
//!
//! The fingerprint is a SHA-256 digest, so the baseline file holds no source text; a
//! secret finding's line is hashed like any other (the secret is in the committed file
//! it came from, and a changed secret is a new finding).
//!
//! ```json
//! {"version": 1, "findings": [{"rule": "version-range", "path": "requirements.txt",
//!   "fingerprint": "…", "message": "`flask` allows more than one version: `>=2`"}]}
//! ```

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::Outcome;
use crate::config::RelativeTo;
use crate::error::ConfigError;
use crate::project::SourceFile;
use crate::suppress;

/// The baseline file format version this build reads and writes.
pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One recorded finding. `message` is informational, for whoever reviews the file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub path: String,
    pub fingerprint: String,
    pub message: String,
}

impl Baseline {
    /// Record every finding of `outcome`.
    pub fn from_outcome(outcome: &Outcome) -> Baseline {
        let fingerprints = fingerprints(outcome);
        let root = RelativeTo::new(&outcome.root);
        let mut findings: Vec<Entry> = outcome
            .findings
            .iter()
            .zip(fingerprints)
            .map(|(finding, fingerprint)| Entry {
                rule: finding.rule.name.clone(),
                path: shown_path(root.as_ref(), &finding.path),
                fingerprint,
                message: finding.message.clone(),
            })
            .collect();
        findings.sort();
        Baseline {
            version: VERSION,
            findings,
        }
    }

    /// Read a baseline file; a malformed one is a configuration error with a span.
    pub fn load(path: &Path) -> Result<Baseline, ConfigError> {
        let text = crate::project::read_text_capped(path)
            .map_err(|e| ConfigError::new(path, "", None, format!("cannot read baseline: {e}")))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            let offset = offset_of(&text, e.line(), e.column());
            ConfigError::new(
                path,
                &text,
                Some(offset..offset),
                format!("invalid baseline: {e}"),
            )
        })?;
        if baseline.version != VERSION {
            return Err(ConfigError::new(
                path,
                &text,
                text.find("\"version\"").map(|i| i..i + 9),
                format!(
                    "baseline version {} is not supported (this pinwarden writes version {VERSION}); \
                     regenerate it with --write-baseline",
                    baseline.version
                ),
            ));
        }
        Ok(baseline)
    }

    /// Write the baseline as pretty JSON, one entry per finding, sorted.
    /// Messages are masked like every other output (a message may quote an index
    /// URL), and the file is replaced whole: written beside it, synced, renamed over
    /// it, so a full disk never leaves half a baseline.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        let text = crate::safe_output::clean(text.as_bytes(), true).into_owned();
        crate::fix::write_atomic(path, &text)
    }

    /// Remove the findings the baseline records; returns how many it removed.
    pub fn filter(&self, outcome: &mut Outcome) -> usize {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|entry| entry.fingerprint.as_str())
            .collect();
        let fingerprints = fingerprints(outcome);
        let before = outcome.findings.len();
        let mut keep = fingerprints.iter().map(|f| !known.contains(f.as_str()));
        outcome.findings.retain(|_| keep.next().unwrap_or(true));
        before - outcome.findings.len()
    }
}

/// The path recorded for a finding: relative to the project root (made ready by
/// [`RelativeTo::new`]), with `/`.
fn shown_path(root: Option<&RelativeTo>, path: &Path) -> String {
    let relative = root
        .and_then(|root| root.path(path))
        .unwrap_or_else(|| path.to_path_buf());
    let mut shown = String::new();
    for component in relative.components() {
        if !shown.is_empty() {
            shown.push('/');
        }
        shown.push_str(&component.as_os_str().to_string_lossy());
    }
    shown
}

/// The fingerprint of every finding of `outcome`, in order.
pub fn fingerprints(outcome: &Outcome) -> Vec<String> {
    let mut fingerprinter = Fingerprinter::new(outcome);
    outcome
        .findings
        .iter()
        .map(|finding| fingerprinter.next(finding))
        .collect()
}

/// Fingerprints one finding after another, in report order, for reports that write as
/// they go. Findings are sorted by path and the fingerprint's key includes the path, so
/// what is counted is kept for the current file only: memory does not grow with the
/// run.
pub struct Fingerprinter<'a> {
    /// The directory fingerprints name paths from.
    root: Option<Cow<'a, RelativeTo>>,
    files: HashMap<&'a Path, &'a SourceFile>,
    current: Option<&'a Path>,
    /// The current file's record, when at hand.
    current_file: Option<&'a SourceFile>,
    /// The current file's path as fingerprints name it.
    shown: String,
    /// The current file's comments, found on first need.
    comments: Option<HashMap<usize, usize>>,
    occurrences: rustc_hash::FxHashMap<(&'a str, Cow<'a, str>), usize>,
}

impl<'a> Fingerprinter<'a> {
    pub fn new(outcome: &'a Outcome) -> Self {
        Fingerprinter {
            root: RelativeTo::new(&outcome.root).map(Cow::Owned),
            files: outcome
                .files
                .iter()
                .map(|f| (&*f.manifest.path, f))
                .collect(),
            current: None,
            current_file: None,
            shown: String::new(),
            comments: None,
            occurrences: Default::default(),
        }
    }

    /// For the findings of one file (`file`, when its record is at hand), in order:
    /// `root` is the project root, made ready by [`RelativeTo::new`].
    pub fn of_file(root: Option<&'a RelativeTo>, file: Option<&'a SourceFile>) -> Self {
        Fingerprinter {
            root: root.map(Cow::Borrowed),
            files: file.map(|f| (&*f.manifest.path, f)).into_iter().collect(),
            current: None,
            current_file: None,
            shown: String::new(),
            comments: None,
            occurrences: Default::default(),
        }
    }

    /// The fingerprint of `finding`, the next finding of the report.
    pub fn next(&mut self, finding: &'a crate::policy::Finding) -> String {
        if self.current != Some(&*finding.path) {
            self.current = Some(&*finding.path);
            self.current_file = self.files.get(&*finding.path).copied();
            self.shown = shown_path(self.root.as_deref(), &finding.path);
            self.comments = None;
            self.occurrences.clear();
        }
        let path = &self.shown;
        // Taken when the file was linted, if its text has since been freed.
        let line: Cow<'a, str> = match (&finding.fingerprint_line, self.current_file) {
            (Some(line), _) => Cow::Borrowed(line),
            (None, Some(file)) => {
                let comments = self.comments.get_or_insert_with(|| comment_starts(file));
                Cow::Owned(normalized_line(file, finding.start.line, comments))
            }
            (None, None) => Cow::Borrowed(""),
        };
        let mut hasher = Sha256::new();
        for part in [finding.rule.name.as_str(), path, &*line] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        let count = self
            .occurrences
            .entry((&finding.rule.name, line))
            .or_default();
        *count += 1;
        hasher.update(itoa::Buffer::new().format(*count).as_bytes());
        hex(&hasher.finalize())
    }
}

/// Byte offset where the comment starts, per 1-based line.
pub(crate) fn comment_starts(file: &SourceFile) -> HashMap<usize, usize> {
    suppress::comments(file.manifest.kind, &file.manifest.text)
        .into_iter()
        .map(|c| (c.line, c.span.start))
        .collect()
}

/// [`normalized_line`] with the comment found on the line itself where the file's kind
/// allows (no scan of the whole file), else from `comments`, found once.
pub(crate) fn fingerprint_line(
    file: &SourceFile,
    line: usize,
    comments: &mut Option<HashMap<usize, usize>>,
) -> String {
    let text = &file.manifest.text;
    let span = file.index.line_span(text, line.saturating_sub(1));
    let content = text.get(span.clone()).unwrap_or_default();
    match suppress::line_comment_start(file.manifest.kind, content) {
        Some(comment) => {
            let code = &content[..comment.unwrap_or(content.len())];
            collapsed_whitespace(code)
        }
        None => {
            let comments = comments.get_or_insert_with(|| comment_starts(file));
            normalized_line(file, line, comments)
        }
    }
}

/// The code on a 1-based line, without its comment, whitespace collapsed.
pub(crate) fn normalized_line(
    file: &SourceFile,
    line: usize,
    comments: &HashMap<usize, usize>,
) -> String {
    let text = &file.manifest.text;
    let mut span = file.index.line_span(text, line.saturating_sub(1));
    if let Some(&start) = comments.get(&line) {
        span.end = span.end.min(start).max(span.start);
    }
    collapsed_whitespace(text.get(span).unwrap_or_default())
}

/// `text`'s words, one space between each.
fn collapsed_whitespace(text: &str) -> String {
    // Most lines already are: ASCII, single spaces between words, none at either end.
    let trimmed = text.trim_matches(' ');
    let bytes = trimmed.as_bytes();
    // Tab to carriage return, or a character that may be Unicode whitespace.
    let other_space = |byte: u8| (b'\t'..=b'\r').contains(&byte) | (byte >= 0x80);
    if crate::scan::first_where(bytes, other_space).is_none()
        && !memchr::memchr_iter(b' ', bytes).any(|at| bytes.get(at + 1) == Some(&b' '))
    {
        return trimmed.to_string();
    }
    collapsed_words(trimmed)
}

fn collapsed_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.extend_from_slice(&[
            DIGITS[usize::from(byte >> 4)],
            DIGITS[usize::from(byte & 0x0f)],
        ]);
    }
    // ASCII digits only.
    String::from_utf8(out).unwrap_or_default()
}

/// Byte offset of a 1-based line and column as serde_json reports them.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    crate::manifest::text::floor_char_boundary(text, start + column.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn whitespace_collapses_to_single_spaces() {
        assert_eq!(collapsed_whitespace("flask==2.0"), "flask==2.0");
        assert_eq!(collapsed_whitespace("  a \t b\u{a0}c\u{3000} "), "a b c");
        assert_eq!(collapsed_whitespace("a  b"), "a b");
        assert_eq!(collapsed_whitespace("a\u{b}b"), "a b");
        // Not whitespace to Rust (nor to the fingerprints made before).
        assert_eq!(collapsed_whitespace("a\u{1c}b"), "a\u{1c}b");
    }

    proptest! {
        /// The shortcut for a line already collapsed gives what splitting gives.
        #[test]
        fn the_shortcut_agrees_with_splitting(text in "[ a=\\t\\n\\u{b}\\u{c}\\r\\u{85}\\u{a0}\\u{2003}é]{0,12}") {
            prop_assert_eq!(collapsed_whitespace(&text), collapsed_words(&text));
        }
    }

    #[test]
    fn hex_is_lower_case_two_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
    }
}
