//! Inline suppression: `# pinwarden: ignore[rule, ...]` in a comment.
//!
//! A directive suppresses findings that start on its own line. A directive alone on its
//! line (a comment-only line) also covers the next line that is not itself a comment, so
//! it can sit above the requirement it is about, with an explanation next to it:
//!
//! ```text
//! # Pinned by the platform team, see ADR-12.
//! # pinwarden: ignore[version-range]
//! django>=4.2,<5
//! ```
//!
//! Inside the brackets are rule selectors, as in configuration (`version-range`,
//! `secret-*`, `ALL`). `# pinwarden: ignore` without brackets suppresses every rule on
//! the line. A directive that suppresses nothing is reported by the opt-in rule
//! `unused-suppression` (also `--show-unused-suppressions`).
//!
//! Comments are found the way each file's own tooling finds them, so a `#` inside a URL
//! fragment, a quoted TOML string or a quoted env value is not a comment: in requirement
//! files and setup.cfg a `#` at the start of a line or after whitespace (and `;` at the
//! start of a setup.cfg line); in TOML, TOML's own lexer (`toml_parser`) says; in env
//! files a `#` at the start of a line, after whitespace in an unquoted value, or after a
//! closing quote.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::config::{Settings, selector_matches};
use crate::manifest::text::LineIndex;
use crate::manifest::{ManifestKind, Span};
use crate::policy::{Finding, Rule, RuleSet};
use crate::project::SourceFile;

/// The rule that reports directives suppressing nothing.
pub const UNUSED_SUPPRESSION: &str = "unused-suppression";

/// The rule that reports directives written wrongly.
pub const INVALID_SUPPRESSION: &str = "invalid-suppression";

/// A comment in a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// 1-based line.
    pub line: usize,
    /// From the comment character to the end of the line (without the line ending).
    pub span: Span,
    /// Nothing but whitespace before it on its line.
    pub own_line: bool,
}

/// One `pinwarden: ignore` directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The `pinwarden: ignore[...]` text.
    pub span: Span,
    /// 1-based lines whose findings it suppresses.
    pub lines: Vec<usize>,
    /// The selectors in brackets with their spans; `None`: every rule.
    pub selectors: Option<Vec<(String, Span)>>,
    /// What is wrong with it, when it is written wrongly (`ignore[version-range`
    /// without its `]`): it suppresses nothing, since what it means cannot be known,
    /// and `invalid-suppression` reports it.
    pub invalid: Option<String>,
}

/// Every comment of a file of `kind`, in order.
pub fn comments(kind: ManifestKind, text: &str) -> Vec<Comment> {
    // JSON has no comments, and lock files are rewritten by their tools: findings in
    // them are suppressed from the configuration (`[[per-path]]`) or a baseline.
    if matches!(
        kind,
        ManifestKind::PackageJson
            | ManifestKind::PnpmLock
            | ManifestKind::NpmLock
            | ManifestKind::YarnLock
            | ManifestKind::PipfileLock
    ) {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    if matches!(
        kind,
        ManifestKind::Pyproject
            | ManifestKind::Pipfile
            | ManifestKind::UvLock
            | ManifestKind::PoetryLock
            | ManifestKind::PdmLock
            | ManifestKind::Pylock
    ) {
        return toml_comments(text, &index);
    }
    if is_yaml(kind) {
        return yaml_comments(text, &index);
    }
    let mut dotenv = DotenvScanner::default();
    let mut out = Vec::new();
    for line in 0..index.line_count() {
        let span = index.line_span(text, line);
        let content = &text[span.clone()];
        let found = match kind {
            // A Dockerfile's comments start its lines; a `RUN` line's shell comment
            // follows white space.
            ManifestKind::Requirements | ManifestKind::Dockerfile | ManifestKind::Shell => {
                whitespace_hash(content, false)
            }
            // INI comments (`#` or `;` starting a line, or `#` after white space) are
            // also what a `uv.toml` comment mostly looks like.
            ManifestKind::SetupCfg | ManifestKind::PipConfig | ManifestKind::Npmrc => {
                whitespace_hash(content, true)
            }
            ManifestKind::Dotenv => dotenv.comment(content),
            _ => None,
        };
        if let Some(start) = found {
            out.push(Comment {
                line: line + 1,
                span: span.start + start..span.end,
                own_line: content[..start].trim().is_empty(),
            });
        }
    }
    out
}

/// The comments of a TOML file, as TOML's own lexer finds them: a `#` inside any kind
/// of string is not one. The lexer recovers from any error, so invalid TOML still has
/// its comments found, and never fails.
fn toml_comments(text: &str, index: &LineIndex) -> Vec<Comment> {
    toml_parser::Source::new(text)
        .lex()
        .filter(|token| token.kind() == toml_parser::lexer::TokenKind::Comment)
        .filter_map(|token| {
            let span = token.span();
            let (start, end) = (span.start(), span.end().min(text.len()));
            let line = index.line_of(start);
            let line_start = index.line_start(line);
            // The lexer's offsets are character boundaries; checked, not assumed.
            let before = text.get(line_start..start)?;
            let body = text.get(start..end)?;
            let body = body.trim_end_matches(['\r', '\n']);
            Some(Comment {
                line: line + 1,
                span: start..start + body.len(),
                own_line: before.trim().is_empty(),
            })
        })
        .collect()
}

/// Where the comment of one line starts, for the kinds whose comments never span lines
/// (requirement files, setup.cfg, pip.conf); `None` for the others, whose comments
/// depend on the lines before (quotes open across lines), and for a line without one.
pub fn line_comment_start(kind: ManifestKind, line: &str) -> Option<Option<usize>> {
    match kind {
        ManifestKind::Requirements | ManifestKind::Dockerfile | ManifestKind::Shell => {
            Some(whitespace_hash(line, false))
        }
        ManifestKind::SetupCfg | ManifestKind::PipConfig | ManifestKind::Npmrc => {
            Some(whitespace_hash(line, true))
        }
        ManifestKind::Pyproject
        | ManifestKind::Pipfile
        | ManifestKind::Dotenv
        | ManifestKind::Workflow
        | ManifestKind::Action
        | ManifestKind::PreCommit
        | ManifestKind::PnpmWorkspace
        | ManifestKind::UvLock
        | ManifestKind::PoetryLock
        | ManifestKind::PdmLock
        | ManifestKind::Pylock => None,
        // No comments are read in these (JSON, and yarn's lock, see `comments`).
        ManifestKind::PackageJson
        | ManifestKind::PnpmLock
        | ManifestKind::NpmLock
        | ManifestKind::YarnLock
        | ManifestKind::PipfileLock => Some(None),
    }
}

fn is_yaml(kind: ManifestKind) -> bool {
    matches!(
        kind,
        ManifestKind::Workflow
            | ManifestKind::Action
            | ManifestKind::PreCommit
            | ManifestKind::PnpmWorkspace
    )
}

/// The comments of a YAML file: a `#` at the start of a line or after white space,
/// outside quoted and block scalars (a `#` in a `run: |` script is shell, not YAML).
fn yaml_comments(text: &str, index: &LineIndex) -> Vec<Comment> {
    let yaml = crate::manifest::yaml::Yaml::parse(text);
    yaml.comment_starts(text)
        .into_iter()
        .map(|start| {
            let line = index.line_of(start);
            let line_start = index.line_start(line);
            let end = text[start..]
                .find(['\r', '\n'])
                .map_or(text.len(), |n| start + n);
            Comment {
                line: line + 1,
                span: start..end,
                own_line: text[line_start..start].trim().is_empty(),
            }
        })
        .collect()
}

/// `#` at the start of the line or after whitespace (pip's rule); with `semicolon`,
/// also `;` at the start of the line (configparser's).
fn whitespace_hash(line: &str, semicolon: bool) -> Option<usize> {
    let trimmed = line.trim_start();
    if semicolon && trimmed.starts_with(';') {
        return Some(line.len() - trimmed.len());
    }
    let bytes = line.as_bytes();
    (0..bytes.len()).find(|&i| bytes[i] == b'#' && (i == 0 || matches!(bytes[i - 1], b' ' | b'\t')))
}

/// Quote state of an env file carried from one line to the next.
#[derive(Debug, Default)]
struct DotenvScanner {
    /// The closing quote of a value still open at the end of the previous line.
    open: Option<&'static str>,
}

impl DotenvScanner {
    /// A `#` starting a comment in a dotenv line (python-dotenv's rules).
    fn comment(&mut self, line: &str) -> Option<usize> {
        let bytes = line.as_bytes();
        let mut after_value = 0;
        if let Some(close) = self.open {
            let end = find_close(line, 0, close, close == "\"")?;
            self.open = None;
            after_value = end;
        } else {
            let trimmed = line.trim_start();
            if trimmed.starts_with('#') {
                return Some(line.len() - trimmed.len());
            }
            if let Some(eq) = line.find('=') {
                let value_start = eq
                    + 1
                    + line[eq + 1..]
                        .bytes()
                        .take_while(|b| matches!(b, b' ' | b'\t'))
                        .count();
                if let Some(&quote) = bytes.get(value_start)
                    && matches!(quote, b'"' | b'\'' | b'`')
                {
                    let close: &'static str = match quote {
                        b'"' => "\"",
                        b'\'' => "'",
                        _ => "`",
                    };
                    match find_close(line, value_start + 1, close, quote == b'"') {
                        Some(end) => {
                            let rest = &line[end..];
                            return rest.find('#').map(|i| end + i);
                        }
                        None => {
                            self.open = Some(close);
                            return None;
                        }
                    }
                }
            }
        }
        if after_value > 0 {
            return line[after_value..].find('#').map(|i| after_value + i);
        }
        (0..bytes.len())
            .find(|&i| bytes[i] == b'#' && i > 0 && matches!(bytes[i - 1], b' ' | b'\t'))
    }
}

/// The offset just past the ASCII delimiter `close` at or after `from`, skipping
/// backslash escapes when `escapes` is set. Compared as bytes: an offset inside a
/// multi-byte character never matches an ASCII delimiter, so what it returns is always
/// a character boundary.
fn find_close(line: &str, from: usize, close: &str, escapes: bool) -> Option<usize> {
    let bytes = line.as_bytes();
    let close = close.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if escapes && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i..].starts_with(close) {
            return Some(i + close.len());
        }
        i += 1;
    }
    None
}

static DIRECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)pinwarden\s*:\s*ignore(?:\s*\[([^\]]*)\])?").expect("valid regex")
});

/// Whether `pinwarden`, in any case, occurs in `text`: most files never mention it, and
/// this is asked of every file.
fn mentions_pinwarden(text: &str) -> bool {
    const WORD: &[u8] = b"pinwarden";
    // Found by its `w`, which requirement files hold far fewer of than `p` (`py…`,
    // `https`), so the search stops less often.
    const W_AT: usize = 3;
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'w', b'W', bytes).any(|at| {
        at.checked_sub(W_AT)
            .and_then(|start| bytes.get(start..start + WORD.len()))
            .is_some_and(|candidate| candidate.eq_ignore_ascii_case(WORD))
    })
}

/// Every directive of a file, with the lines each covers.
pub fn directives(kind: ManifestKind, text: &str) -> Vec<Directive> {
    if !mentions_pinwarden(text) {
        return Vec::new();
    }
    let comments = comments(kind, text);
    let comment_only: Vec<usize> = comments
        .iter()
        .filter(|c| c.own_line)
        .map(|c| c.line)
        .collect();
    let index = LineIndex::new(text);
    let mut out = Vec::new();
    for comment in &comments {
        let body = &text[comment.span.clone()];
        for found in DIRECTIVE.captures_iter(body) {
            let whole = found.get(0).expect("match");
            // `ignore-file`, `ignored`: another word, not this directive.
            if body[whole.end()..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_')
            {
                continue;
            }
            let base = comment.span.start;
            let selectors = found.get(1).map(|list| {
                let mut selectors = Vec::new();
                let mut offset = list.start();
                for part in list.as_str().split(',') {
                    let name = part.trim();
                    if !name.is_empty() {
                        let start = base + offset + part.find(name).unwrap_or(0);
                        selectors.push((name.to_string(), start..start + name.len()));
                    }
                    offset += part.len() + 1;
                }
                selectors
            });
            let mut lines = vec![comment.line];
            if comment.own_line {
                let mut next = comment.line + 1;
                while comment_only.binary_search(&next).is_ok() {
                    next += 1;
                }
                let has_code = next <= index.line_count()
                    && !text[index.line_span(text, next - 1)].trim().is_empty();
                if has_code {
                    lines.push(next);
                }
            }
            let invalid = invalid_directive(&body[whole.end()..], selectors.as_deref());
            if invalid.is_some() {
                lines.clear();
            }
            let end = if invalid.is_some() {
                comment.span.end - base
            } else {
                whole.end()
            };
            out.push(Directive {
                span: base + whole.start()..base + end,
                lines,
                selectors,
                invalid,
            });
        }
    }
    out
}

/// What is wrong with a directive, given the comment text after its match and the
/// selectors in its brackets; `None` when it is well formed. A directive whose meaning
/// is in doubt is never read as `ignore` without brackets, which would hide every rule
/// on the line, including ones nobody meant to silence.
fn invalid_directive(after: &str, selectors: Option<&[(String, Span)]>) -> Option<String> {
    let Some(selectors) = selectors else {
        let after = after.trim_start();
        // `ignore[` whose `]` never comes.
        if after.starts_with('[') {
            return Some("`pinwarden: ignore[` has no closing `]`".to_string());
        }
        // `ignore: version-range`, as other tools' directives are written.
        if after.starts_with([':', '=']) {
            return Some(
                "rules are named in brackets, `pinwarden: ignore[rule-name]`, not after a `:` or `=`"
                    .to_string(),
            );
        }
        return None;
    };
    // A selector is `ALL`, a rule name or a prefix ending in `*`; anything else (two
    // names without a comma between them, a stray bracket) is a typo to report, not a
    // rule that happens not to exist.
    let selector_shaped = |name: &str| {
        let stem = name.strip_suffix('*').unwrap_or(name);
        stem.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    selectors
        .iter()
        .find(|(name, _)| !selector_shaped(name))
        .map(|(name, _)| {
            format!("`{name}` is not a rule selector (rule names are separated by commas)")
        })
}

/// What suppression did to a run's findings.
#[derive(Debug, Default)]
pub struct Suppression {
    /// The findings left, plus any `unused-suppression` findings; sorted.
    pub findings: Vec<Finding>,
    /// How many findings directives removed.
    pub suppressed: usize,
}

/// A directive and which of its selectors (or, without brackets, the whole of it)
/// suppressed a finding.
type Tracked<'a> = (&'a Directive, Vec<bool>);

/// Remove the findings that a directive covers, and report directives that cover
/// nothing where `unused-suppression` is enabled.
pub fn apply(
    findings: Vec<Finding>,
    files: &[SourceFile],
    rules: &RuleSet,
    settings: &Settings,
) -> Suppression {
    let unused_rule = rules.get(UNUSED_SUPPRESSION);
    let invalid_rule = rules.get(INVALID_SUPPRESSION);
    // The directives of each linted file that has any. Most runs have none at all.
    let mut state: HashMap<&Path, (&SourceFile, Vec<Tracked>)> = files
        .iter()
        .filter(|file| file.lint && !file.directives.is_empty())
        .map(|file| {
            let tracked = file
                .directives
                .iter()
                .map(|d| (d, vec![false; d.selectors.as_ref().map_or(1, Vec::len)]))
                .collect();
            (&*file.manifest.path, (file, tracked))
        })
        .collect();
    if state.is_empty() {
        return Suppression {
            findings,
            suppressed: 0,
        };
    }

    // Filtered in place: the findings of a large run are not copied.
    let mut kept = findings;
    let mut suppressed = 0;
    kept.retain(|finding| {
        let mut hit = false;
        if let Some((_, directives)) = state.get_mut(&*finding.path) {
            for (directive, used) in directives.iter_mut() {
                if !directive.lines.contains(&finding.start.line) {
                    continue;
                }
                match &directive.selectors {
                    None => {
                        used[0] = true;
                        hit = true;
                    }
                    Some(selectors) => {
                        for (i, (selector, _)) in selectors.iter().enumerate() {
                            if selector_matches(selector, &finding.rule.name) {
                                used[i] = true;
                                hit = true;
                            }
                        }
                    }
                }
            }
        }
        if hit {
            suppressed += 1;
        }
        !hit
    });

    if let Some(rule) = invalid_rule {
        for (path, (file, directives)) in &state {
            let here = settings.for_path(path);
            if !here.is_enabled(rule) {
                continue;
            }
            for (directive, _) in directives.iter() {
                let Some(problem) = &directive.invalid else {
                    continue;
                };
                let fill = |name: &str| (name == "problem").then(|| problem.clone());
                let mut finding = Finding::new(
                    rule,
                    &file.manifest,
                    &file.index,
                    directive.span.clone(),
                    rule.templates.message.render_with(&fill),
                );
                finding.severity = here.severity_of(rule);
                finding.help = rule.help.as_deref().map(Arc::from);
                kept.push(finding);
            }
        }
    }
    if let Some(rule) = unused_rule {
        for (path, (file, directives)) in &state {
            let here = settings.for_path(path);
            if !here.is_enabled(rule) {
                continue;
            }
            for (directive, used) in directives.iter().filter(|(d, _)| d.invalid.is_none()) {
                if let Some(message) = unused_message(directive, used, rules, &here) {
                    let mut finding = Finding::new(
                        rule,
                        &file.manifest,
                        &file.index,
                        directive.span.clone(),
                        message,
                    );
                    finding.severity = here.severity_of(rule);
                    finding.help = rule.help.as_deref().map(Arc::from);
                    kept.push(finding);
                }
            }
        }
    }
    if unused_rule.is_some() || invalid_rule.is_some() {
        kept.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    Suppression {
        findings: kept,
        suppressed,
    }
}

/// Why a directive (or some of its selectors) suppressed nothing; `None` when every
/// part of it was used.
fn unused_message(
    directive: &Directive,
    used: &[bool],
    rules: &RuleSet,
    here: &crate::config::PathSettings,
) -> Option<String> {
    let Some(selectors) = &directive.selectors else {
        return (!used[0]).then(|| "`pinwarden: ignore` suppresses no finding".to_string());
    };
    if selectors.is_empty() {
        return Some("`pinwarden: ignore[]` names no rule".to_string());
    }
    let reasons: Vec<String> = selectors
        .iter()
        .zip(used)
        .filter(|(_, used)| !**used)
        .map(|((selector, _), _)| {
            let named: Vec<&Arc<Rule>> = rules
                .rules
                .iter()
                .filter(|r| selector_matches(selector, &r.name))
                .collect();
            if named.is_empty() {
                format!("`{selector}` names no rule")
            } else if !named.iter().any(|r| here.is_enabled(r)) {
                format!("`{selector}` is not enabled for this file")
            } else {
                format!("no `{selector}` finding here")
            }
        })
        .collect();
    (!reasons.is_empty()).then(|| format!("unused suppression: {}", reasons.join("; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comment_texts(kind: ManifestKind, text: &str) -> Vec<(usize, String, bool)> {
        comments(kind, text)
            .into_iter()
            .map(|c| (c.line, text[c.span].to_string(), c.own_line))
            .collect()
    }

    #[test]
    fn requirement_comments_need_whitespace_before_the_hash() {
        let text = "# top\nflask==1.0  # note\npkg @ https://x/y.whl#sha256=abc\n";
        assert_eq!(
            comment_texts(ManifestKind::Requirements, text),
            vec![
                (1, "# top".to_string(), true),
                (2, "# note".to_string(), false)
            ]
        );
    }

    #[test]
    fn toml_strings_hide_hashes_across_lines() {
        let text = "a = \"x # not\"  # yes\nb = \"\"\"\n# inside\n\"\"\" # after\nc = 'l#' # lit\n";
        assert_eq!(
            comment_texts(ManifestKind::Pyproject, text),
            vec![
                (1, "# yes".to_string(), false),
                (4, "# after".to_string(), false),
                (5, "# lit".to_string(), false),
            ]
        );
    }

    #[test]
    fn dotenv_quotes_and_inline_comments() {
        let text = "A=val#ue # c1\nB=\"x # y\" # c2\nC='multi\n# still value\n' # c3\n  # c4\nD=it's # c5\n";
        assert_eq!(
            comment_texts(ManifestKind::Dotenv, text),
            vec![
                (1, "# c1".to_string(), false),
                (2, "# c2".to_string(), false),
                (5, "# c3".to_string(), false),
                (6, "# c4".to_string(), true),
                (7, "# c5".to_string(), false),
            ]
        );
    }

    #[test]
    fn setup_cfg_semicolon_only_at_line_start() {
        let text = "; top\ninstall_requires =\n    a>=1; python_version<'3.9'  # why\n";
        assert_eq!(
            comment_texts(ManifestKind::SetupCfg, text),
            vec![
                (1, "; top".to_string(), true),
                (3, "# why".to_string(), false)
            ]
        );
    }

    #[test]
    fn a_mention_of_pinwarden_is_found_in_any_case() {
        assert!(mentions_pinwarden("x  # PinWarden: ignore"));
        assert!(mentions_pinwarden("pip\npinwarden"));
        assert!(!mentions_pinwarden("pip pinwarde"));
        assert!(!mentions_pinwarden(""));
        assert!(mentions_pinwarden("pinwarden"));
        assert!(mentions_pinwarden("PINWARDEN: ignore"));
        assert!(!mentions_pinwarden("w"));
        assert!(!mentions_pinwarden("inwarden"));
    }

    #[test]
    fn directive_lines_and_selectors() {
        let text = "# pinwarden: ignore[version-range, secret-*]\n# why\nflask>=2\nx>=1  # PinWarden: ignore\n# pinwarden: ignore[a]\n\ny>=1 # pinwarden: ignore-file\n";
        let found = directives(ManifestKind::Requirements, text);
        assert_eq!(found.len(), 3);
        assert_eq!(found[0].lines, vec![1, 3]);
        let names: Vec<&str> = found[0]
            .selectors
            .as_ref()
            .unwrap()
            .iter()
            .map(|(name, span)| {
                assert_eq!(&text[span.clone()], name);
                name.as_str()
            })
            .collect();
        assert_eq!(names, ["version-range", "secret-*"]);
        assert_eq!(found[1].lines, vec![4]);
        assert_eq!(found[1].selectors, None);
        // A blank line ends the reach of a directive above it.
        assert_eq!(found[2].lines, vec![5]);
    }
}
