//! PEP 508 requirement strings: validated by `uv-pep508` (a name with plain release
//! clauses by the equivalent, cheaper check in [`simple`]), spans found by a small scan
//! of the text as written, so nothing is ever re-printed from a parsed value.
//!
//! The string being parsed is not always a contiguous slice of the file (pip joins
//! continuation lines; TOML strings may hold escapes), so positions go through a
//! [`SpanMap`] from string offsets to file offsets.

use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::LazyLock;

use compact_str::CompactString;
use regex::Regex;

use smallvec::SmallVec;
use uv_pep440::Operator;
use uv_pep508::{Pep508Url, VersionOrUrl};

use super::admitted::{Admitted, Alternative, Verdict, quick_verdict};
use super::{Clause, ParseError, Pin, Requirement, Span, UrlRef, operator_text, section_name};

/// Maps byte offsets in a parsed string to byte offsets in the file.
#[derive(Debug, Clone)]
pub struct SpanMap {
    /// `(string_offset, file_offset)` pairs, sorted by string offset: each starts a run
    /// of bytes that are contiguous in the file.
    segments: SmallVec<[(usize, usize); 2]>,
    /// File offset just past the string's last byte.
    file_end: usize,
    /// Every range maps onto the whole string (see [`SpanMap::opaque`]).
    opaque: bool,
}

impl SpanMap {
    /// The string is the file text starting at `file_start`, byte for byte.
    pub fn contiguous(file_start: usize, len: usize) -> Self {
        SpanMap {
            segments: SmallVec::from_slice(&[(0, file_start)]),
            file_end: file_start + len,
            opaque: false,
        }
    }

    /// Build from pieces: each `(string_offset, file_offset)` starts a contiguous run.
    pub fn from_segments(
        segments: impl IntoIterator<Item = (usize, usize)>,
        file_end: usize,
    ) -> Self {
        let segments: SmallVec<[(usize, usize); 2]> = segments.into_iter().collect();
        debug_assert!(segments.windows(2).all(|w| w[0].0 <= w[1].0));
        SpanMap {
            segments,
            file_end,
            opaque: false,
        }
    }

    /// Every position maps onto the whole of `span`: for strings whose bytes do not
    /// correspond one to one with the file (escaped TOML strings).
    pub fn opaque(span: Span) -> Self {
        SpanMap {
            segments: SmallVec::from_slice(&[(0, span.start)]),
            file_end: span.end,
            opaque: true,
        }
    }

    pub fn offset(&self, pos: usize) -> usize {
        offset_in_runs(&self.segments, self.file_end, pos)
    }

    pub fn span(&self, range: Span) -> Span {
        if self.opaque {
            return self.segments[0].1..self.file_end;
        }
        // The usual case: one run of the file, nothing to look up.
        if let [(0, file_start)] = self.segments[..] {
            let start = (file_start + range.start).min(self.file_end);
            let end = (file_start + range.end.max(range.start)).min(self.file_end);
            return start..end.max(start);
        }
        span_in_runs(&self.segments, self.file_end, range)
    }
}

/// Map `range` of a string made of runs of the file: `runs` are `(string_offset,
/// file_offset)` pairs sorted by string offset, each starting a run of bytes contiguous
/// in the file, and `file_end` is just past the string's last byte.
pub fn span_in_runs(runs: &[(usize, usize)], file_end: usize, range: Span) -> Span {
    let start = offset_in_runs(runs, file_end, range.start);
    let end = if range.end > range.start {
        // Map the last byte, then step past it, so a range ending at a run's end does
        // not run into the next run's position.
        offset_in_runs(runs, file_end, range.end - 1) + 1
    } else {
        start
    };
    start..end.max(start).min(file_end.max(start))
}

/// The file offset of byte `pos` of a string made of `runs` (see [`span_in_runs`]).
fn offset_in_runs(runs: &[(usize, usize)], file_end: usize, pos: usize) -> usize {
    let index = runs.partition_point(|(start, _)| *start <= pos);
    match index.checked_sub(1).and_then(|i| runs.get(i)) {
        Some((string_start, file_start)) => (file_start + (pos - string_start)).min(file_end),
        None => runs.first().map_or(0, |(_, file)| *file),
    }
}

/// A URL kept exactly as written: unlike uv's own URL type, `${VAR}` is never expanded
/// from the environment, and nothing is normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerbatimText(pub String);

impl fmt::Display for VerbatimText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl uv_cache_key::CacheKey for VerbatimText {
    fn cache_key(&self, state: &mut uv_cache_key::CacheKeyHasher) {
        self.0.cache_key(state);
    }
}

impl Pep508Url for VerbatimText {
    type Err = std::convert::Infallible;

    fn parse_url(url: &str, _working_dir: Option<&Path>) -> Result<Self, Self::Err> {
        Ok(VerbatimText(url.to_string()))
    }

    fn displayable_with_credentials(&self) -> impl fmt::Display {
        self
    }
}

pub mod simple;

type ParsedRequirement = uv_pep508::Requirement<VerbatimText>;

/// Parse one PEP 508 requirement string.
///
/// `input` is the requirement text (options already removed); `map` places it in the
/// file. On failure the error's span points at the offending part of the string.
pub fn parse_requirement(
    input: &str,
    map: &SpanMap,
    section: &str,
) -> Result<Requirement, ParseError> {
    match simple::parse(input) {
        Some(simple) => Ok(simple_requirement(input, &simple, map, section, Vec::new())),
        None => parse_with_uv(input, map, section),
    }
}

/// A requirement [`simple::parse`] read: its parts are where it found them. `hashes`
/// are those of its line's `--hash` options.
pub fn simple_requirement(
    input: &str,
    simple: &simple::Simple,
    map: &SpanMap,
    section: &str,
    hashes: Vec<(String, Span)>,
) -> Requirement {
    let specifier = simple.specifier();
    Requirement {
        span: map.span(simple.whole()),
        name: Some(input[simple.name.clone()].into()),
        name_span: Some(map.span(simple.name.clone())),
        // Normalised as uv normalises extra names (PEP 685), like project names.
        extras: simple
            .extras
            .iter()
            .map(|extra| super::canonicalize_name(&input[extra.clone()]).into_owned())
            .collect(),
        specifier: specifier
            .clone()
            .map_or_else(CompactString::default, |spec| input[spec].into()),
        specifier_span: specifier.map(|spec| map.span(spec)),
        clauses: simple
            .clauses
            .iter()
            .map(|clause| Clause {
                operator: operator_text(&input[clause.operator.clone()]),
                version: input[clause.version.clone()].into(),
                span: map.span(clause.operator.start..clause.version.end),
            })
            .collect(),
        marker: simple.marker.clone().map(|m| input[m].to_string()),
        marker_span: simple.marker.clone().map(|m| map.span(m)),
        url: None,
        hashes,
        editable: false,
        section: section_name(section),
        pin: simple.pin,
        standing: Default::default(),
    }
}

/// Any requirement string, validated by uv; its parts are found by [`scan_layout`].
fn parse_with_uv(input: &str, map: &SpanMap, section: &str) -> Result<Requirement, ParseError> {
    let (parsed, arbitrary) = match parse_full(input, map) {
        Ok(parsed) => (parsed, None),
        Err(err) => {
            // PEP 440's arbitrary equality takes any string (`pkg===1.0-custom-build`);
            // uv's parser takes only versions there.
            let Some((text, operands)) = arbitrary_equality(input) else {
                return Err(err);
            };
            match ParsedRequirement::from_str(&text) {
                Ok(parsed) => (parsed, Some(operands)),
                Err(_) => return Err(err),
            }
        }
    };
    let layout = scan_layout(input);
    let whole = trim_span(input, 0..input.len());
    let mut req = Requirement {
        span: map.span(whole),
        name: Some(input[layout.name.clone()].into()),
        name_span: Some(map.span(layout.name.clone())),
        extras: parsed.extras.iter().map(|e| e.to_string()).collect(),
        specifier: CompactString::default(),
        specifier_span: None,
        clauses: Vec::new(),
        marker: layout.marker.clone().map(|m| input[m].to_string()),
        marker_span: layout.marker.map(|m| map.span(m)),
        url: None,
        hashes: Vec::new(),
        editable: false,
        section: section_name(section),
        pin: Pin::None,
        standing: Default::default(),
    };
    match parsed.version_or_url {
        Some(VersionOrUrl::VersionSpecifier(specifiers)) => {
            if let Some(spec) = layout.specifier.clone() {
                req.specifier = input[spec.clone()].into();
                req.specifier_span = Some(map.span(spec.clone()));
                req.clauses = clause_parts(input, spec)
                    .map(|(operator, version, span)| Clause {
                        operator: operator_text(operator),
                        version: version.into(),
                        span: map.span(span),
                    })
                    .collect();
            }
            req.pin = pin_of_specifiers(&specifiers, arbitrary.as_deref().unwrap_or_default());
        }
        Some(VersionOrUrl::Url(url)) => {
            let span = layout
                .url
                .clone()
                .map(|u| map.span(u))
                .unwrap_or_else(|| req.span.clone());
            let url_ref = url_ref(&url.0, span);
            req.pin = pin_of_url(&url_ref, false);
            req.url = Some(Box::new(url_ref));
        }
        None => {}
    }
    Ok(req)
}

/// `input` with the operand of each `===` replaced by as many `0`s (a version uv
/// parses, at the same offsets), and the operands as written; `None` without `===`.
fn arbitrary_equality(input: &str) -> Option<(String, Vec<String>)> {
    if !input.contains("===") {
        return None;
    }
    let mut text = String::with_capacity(input.len());
    let mut operands = Vec::new();
    let mut rest = input;
    while let Some(at) = rest.find("===") {
        let (before, after) = rest.split_at(at + 3);
        text.push_str(before);
        let gap = after.len() - after.trim_start().len();
        text.push_str(&after[..gap]);
        let operand_start = &after[gap..];
        let end = operand_start
            .find(|c: char| c.is_whitespace() || c == ',' || c == ';')
            .unwrap_or(operand_start.len());
        let operand = &operand_start[..end];
        if operand.is_empty() {
            return None;
        }
        operands.push(operand.to_string());
        text.push_str(&"0".repeat(operand.len()));
        rest = &operand_start[end..];
    }
    text.push_str(rest);
    Some((text, operands))
}

/// How deeply parentheses may nest in a requirement or marker. uv's parser (like
/// packaging's) recurses once per level: past a bound the stack overflows and the whole
/// process aborts, losing every other finding. Real markers nest two or three levels.
pub const MAX_NESTING: usize = 64;

/// Whether `text` nests parentheses deeper than [`MAX_NESTING`].
pub fn nests_too_deep(text: &str) -> bool {
    let mut depth = 0usize;
    for byte in text.bytes() {
        match byte {
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return true;
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The error for text that [`nests_too_deep`], on the whole of it.
pub fn too_deep_error(input: &str, map: &SpanMap) -> ParseError {
    ParseError {
        message: format!(
            "`{}` nests parentheses more than {MAX_NESTING} levels deep; not parsed",
            quoted(input)
        ),
        span: map.span(0..input.len()),
    }
}

/// `text` with a space after each `and` / `or` that a `(` follows at once
/// (`os_name == "a" and(python_version >= "3")`): packaging's tokenizer reads the word
/// there, uv's parser does not. `None` when there is none, so only such text is parsed
/// twice. Offsets before the first change are unchanged.
pub fn spaced_marker_operators(text: &str) -> Option<String> {
    static GLUED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"(^|[\s)'"])(and|or)\("#).expect("valid pattern"));
    GLUED
        .is_match(text)
        .then(|| GLUED.replace_all(text, "${1}${2} (").into_owned())
}

/// uv's parse, its error placed in the file.
fn parse_full(input: &str, map: &SpanMap) -> Result<ParsedRequirement, ParseError> {
    if nests_too_deep(input) {
        return Err(too_deep_error(input, map));
    }
    let parsed = ParsedRequirement::from_str(input);
    if parsed.is_err()
        && let Some(spaced) = spaced_marker_operators(input)
        && let Ok(parsed) = ParsedRequirement::from_str(&spaced)
    {
        return Ok(parsed);
    }
    parsed.map_err(|err| {
        let start = err.start.min(input.len());
        let end = (start + err.len.max(1)).min(input.len());
        let (start, end) = if start == end && start > 0 {
            (start - 1, end)
        } else {
            (start, end)
        };
        // An empty string names no package: said so, not quoted as ``.
        let message = if input.trim().is_empty() {
            "empty requirement: a requirement starts with the name of a package".to_string()
        } else {
            format!("invalid requirement `{}`: {}", quoted(input), err.message)
        };
        ParseError {
            message,
            span: map.span(start..end),
        }
    })
}

/// The requirement as an error message quotes it: cut after 80 characters, so a
/// megabyte-long line does not become a megabyte-long message (the span still covers
/// the offending text).
fn quoted(input: &str) -> String {
    const MAX_CHARS: usize = 80;
    let input = input.trim();
    match input.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{}…", &input[..cut]),
        None => input.to_string(),
    }
}

/// Pin of a PEP 440 specifier set, from the versions it admits (see
/// [`admitted`](super::admitted)). `arbitrary` holds the operands of its `===` clauses
/// as written; the `===` clauses among `specifiers` are then placeholders and left out.
pub fn pin_of_specifiers(specifiers: &[uv_pep440::VersionSpecifier], arbitrary: &[String]) -> Pin {
    if specifiers.is_empty() && arbitrary.is_empty() {
        return Pin::None;
    }
    let single_wildcard = specifiers.len() == 1 && *specifiers[0].operator() == Operator::EqualStar;
    if arbitrary.is_empty()
        && let Some(Verdict::Many) = quick_verdict(specifiers)
    {
        return if single_wildcard {
            Pin::Wildcard
        } else {
            Pin::Range
        };
    }
    let standard = specifiers
        .iter()
        .filter(|s| arbitrary.is_empty() || *s.operator() != Operator::ExactEqual);
    let alternative = Alternative::new(standard, arbitrary.iter().map(String::as_str));
    Admitted::one(alternative).pin(single_wildcard)
}

/// Pin of a direct reference. A hash (fragment or `--hash`) makes a plain URL exact.
pub fn pin_of_url(url: &UrlRef, has_hash_option: bool) -> Pin {
    match (&url.vcs, &url.rev) {
        (Some(_), Some(rev)) if is_full_commit(rev) => Pin::VcsCommit,
        (Some(_), _) => Pin::VcsRef,
        (None, _) => Pin::Url.max_with_hash(url.hash_fragment || has_hash_option),
    }
}

impl Pin {
    fn max_with_hash(self, hashed: bool) -> Pin {
        if hashed { Pin::Exact } else { self }
    }
}

/// A full 40-hex (SHA-1) or 64-hex (SHA-256) commit id.
pub fn is_full_commit(rev: &str) -> bool {
    matches!(rev.len(), 40 | 64) && rev.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Describe a URL or path as written: VCS kind, revision, hash fragment.
pub fn url_ref(url: &str, span: Span) -> UrlRef {
    // Byte searches and ASCII comparisons without copies: URLs are long, and a file may
    // hold thousands of them.
    let starts_with_ignoring_case = |text: &str, prefix: &str| {
        text.get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
    };
    let vcs = ["git", "hg", "svn", "bzr"]
        .into_iter()
        .find(|vcs| {
            starts_with_ignoring_case(url, vcs) && url.as_bytes().get(vcs.len()) == Some(&b'+')
        })
        .map(str::to_string);
    let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
    let rev = vcs.as_ref().and_then(|_| {
        // The revision follows the last `@` in the path part (user@host comes earlier).
        let after_scheme = memchr::memmem::find(without_fragment.as_bytes(), b"://")
            .map_or(without_fragment, |i| &without_fragment[i + 3..]);
        let path_start =
            memchr::memchr(b'/', after_scheme.as_bytes()).unwrap_or(after_scheme.len());
        let path = &after_scheme[path_start..];
        memchr::memrchr(b'@', path.as_bytes()).map(|at| path[at + 1..].to_string())
    });
    // Only a strong hash pins the file: an md5 or sha1 digest can be forged to match,
    // as `--hash` with them is refused by pip.
    let hash_fragment =
        fragment_hash(url).is_some_and(|algo| ["sha256", "sha384", "sha512"].contains(&algo));
    let local_path = vcs.is_none()
        && (memchr::memmem::find(url.as_bytes(), b"://").is_none()
            || starts_with_ignoring_case(url, "file:"));
    UrlRef {
        url: url.to_string(),
        span,
        vcs,
        rev,
        hash_fragment,
        local_path,
    }
}

/// The algorithm of the hash a URL's fragment names (`#sha256=…`, `&md5=…`), as pip's
/// `Link` finds it: any algorithm pip knows, lowercase, with a digest.
pub fn fragment_hash(url: &str) -> Option<&'static str> {
    let (_, fragment) = url.split_once('#')?;
    fragment.split('&').find_map(|part| {
        let (algo, digest) = part.split_once('=')?;
        let known = ["sha512", "sha384", "sha256", "sha224", "sha1", "md5"];
        known
            .into_iter()
            .find(|known| *known == algo)
            .filter(|_| !digest.is_empty())
    })
}

/// Byte ranges of the parts of a requirement string that parsed successfully.
struct Layout {
    name: Span,
    specifier: Option<Span>,
    url: Option<Span>,
    marker: Option<Span>,
}

fn scan_layout(input: &str) -> Layout {
    let bytes = input.as_bytes();
    let mut pos = skip_ws(bytes, 0);
    let name_start = pos;
    while pos < bytes.len()
        && matches!(bytes[pos], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.')
    {
        pos += 1;
    }
    let name = name_start..pos;
    pos = skip_ws(bytes, pos);
    if bytes.get(pos) == Some(&b'[') {
        pos = input[pos..].find(']').map_or(bytes.len(), |i| pos + i + 1);
        pos = skip_ws(bytes, pos);
    }
    let marker_at = find_marker_separator(input, pos);
    let (specifier, url) = if bytes.get(pos) == Some(&b'@') {
        let start = skip_ws(bytes, pos + 1);
        let mut end = start;
        while end < bytes.len() && !bytes[end].is_ascii_whitespace() {
            end += 1;
        }
        (None, Some(start..end))
    } else {
        let end = marker_at.unwrap_or(bytes.len());
        let mut spec = trim_span(input, pos..end);
        // Legacy `name (>=1.0)` form: the specifier is inside the parentheses.
        if input[spec.clone()].starts_with('(') && input[spec.clone()].ends_with(')') {
            spec = trim_span(input, spec.start + 1..spec.end - 1);
        }
        ((!spec.is_empty()).then_some(spec), None)
    };
    let marker = marker_at
        .map(|at| trim_span(input, at + 1..bytes.len()))
        .filter(|m| !m.is_empty());
    Layout {
        name,
        specifier,
        url,
        marker,
    }
}

/// The `;` that starts the marker. For URL requirements pip requires whitespace
/// before it, because `;` may appear inside a URL.
fn find_marker_separator(input: &str, from: usize) -> Option<usize> {
    let bytes = input.as_bytes();
    if bytes.get(from) == Some(&b'@') {
        let mut pos = from + 1;
        pos = skip_ws(bytes, pos);
        while pos < bytes.len() && !bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        return input[pos..].find(';').map(|i| pos + i);
    }
    input[from..].find(';').map(|i| from + i)
}

/// Split a specifier into clauses: (operator, version, span of the clause).
pub fn split_clauses(input: &str, spec: Span) -> Vec<(String, String, Span)> {
    clause_parts(input, spec)
        .map(|(operator, version, span)| (operator.to_string(), version.to_string(), span))
        .collect()
}

/// [`split_clauses`] without copies: each clause's operator and version borrow from
/// `input`.
pub fn clause_parts(input: &str, spec: Span) -> impl Iterator<Item = (&str, &str, Span)> {
    let mut start = spec.start;
    input[spec.clone()].split(',').filter_map(move |piece| {
        let span = trim_span(input, start..start + piece.len());
        start += piece.len() + 1;
        if span.is_empty() {
            return None;
        }
        let text = &input[span.clone()];
        let op_len = text
            .bytes()
            .position(|b| !matches!(b, b'<' | b'>' | b'=' | b'!' | b'~' | b'^'))
            .unwrap_or(text.len());
        Some((&text[..op_len], text[op_len..].trim(), span))
    })
}

fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while pos < bytes.len() && bytes[pos].is_ascii_whitespace() {
        pos += 1;
    }
    pos
}

/// Shrink a range so it has no leading or trailing whitespace.
pub fn trim_span(input: &str, span: Span) -> Span {
    let text = &input[span.clone()];
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.end - (text.len() - text.trim_end().len());
    start..end.max(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(input: &str) -> Requirement {
        parse_requirement(input, &SpanMap::contiguous(0, input.len()), "test").unwrap()
    }

    #[test]
    fn spans_of_a_full_requirement() {
        let input = "requests [security] >= 2.8.1, == 2.8.* ; python_version > \"3.8\"";
        let req = parse(input);
        assert_eq!(req.name.as_deref(), Some("requests"));
        assert_eq!(&input[req.name_span.clone().unwrap()], "requests");
        assert_eq!(req.extras, vec!["security"]);
        assert_eq!(
            &input[req.specifier_span.clone().unwrap()],
            ">= 2.8.1, == 2.8.*"
        );
        assert_eq!(req.clauses.len(), 2);
        assert_eq!(req.clauses[1].operator, "==");
        assert_eq!(req.clauses[1].version, "2.8.*");
        assert_eq!(&input[req.clauses[1].span.clone()], "== 2.8.*");
        assert_eq!(
            &input[req.marker_span.clone().unwrap()],
            "python_version > \"3.8\""
        );
        assert_eq!(req.pin, Pin::Range);
    }

    #[test]
    fn pins() {
        assert_eq!(parse("a==1.0").pin, Pin::Exact);
        assert_eq!(parse("a===1.0").pin, Pin::Exact);
        assert_eq!(parse("a==1.0,==1.0.0").pin, Pin::Exact);
        assert_eq!(parse("a==1.*").pin, Pin::Wildcard);
        assert_eq!(parse("a~=1.0").pin, Pin::Range);
        assert_eq!(parse("a!=1.0").pin, Pin::Range);
        assert_eq!(parse("a==1.0,==2.0").pin, Pin::Unsatisfiable);
        assert_eq!(parse("a").pin, Pin::None);
        assert_eq!(parse("a (==1.0)").pin, Pin::Exact);
        assert_eq!(
            parse("a @ git+https://github.com/o/a@0123456789abcdef0123456789abcdef01234567").pin,
            Pin::VcsCommit
        );
        assert_eq!(
            parse("a @ git+https://github.com/o/a@v1.0").pin,
            Pin::VcsRef
        );
        assert_eq!(parse("a @ https://x.org/a-1.0.tar.gz").pin, Pin::Url);
        assert_eq!(
            parse("a @ https://x.org/a-1.0.tar.gz#sha256=ab").pin,
            Pin::Exact
        );
        // A weak digest verifies nothing an attacker cannot forge: not a pin.
        for weak in ["md5", "sha1"] {
            let req = parse(&format!("a @ https://x.org/a-1.0.tar.gz#{weak}=ab"));
            assert_eq!(req.pin, Pin::Url, "{weak}");
            assert!(!req.url.unwrap().hash_fragment, "{weak}");
        }
        assert_eq!(
            fragment_hash("https://x.org/a.whl#egg=a&md5=ab"),
            Some("md5")
        );
        assert_eq!(fragment_hash("https://x.org/a.whl#sha256="), None);
    }

    #[test]
    fn env_vars_stay_literal() {
        let req = parse("a @ git+https://${TOKEN}@github.com/o/a.git@main");
        let url = req.url.unwrap();
        assert_eq!(url.url, "git+https://${TOKEN}@github.com/o/a.git@main");
        assert_eq!(url.rev.as_deref(), Some("main"));
    }

    #[test]
    fn what_a_url_says() {
        let vcs = url_ref("GIT+ssh://git@host/a/b.git@v1.0#egg=b&subdirectory=x", 0..1);
        assert_eq!(vcs.vcs.as_deref(), Some("git"));
        assert_eq!(vcs.rev.as_deref(), Some("v1.0"));
        assert!(!vcs.hash_fragment && !vcs.local_path);
        let unpinned = url_ref("hg+https://user@host/repo", 0..1);
        assert_eq!((unpinned.vcs.as_deref(), unpinned.rev), (Some("hg"), None));
        assert_eq!(url_ref("gitx+https://h/r", 0..1).vcs, None);
        assert_eq!(url_ref("git", 0..1).vcs, None);
        let hashed = url_ref("https://h/a-1.0.tar.gz#egg=a&sha256=abc", 0..1);
        assert!(hashed.hash_fragment && hashed.vcs.is_none() && !hashed.local_path);
        // pip's `Link` reads the algorithm's name in lowercase only.
        assert!(!url_ref("https://h/a-1.0.tar.gz#SHA256=abc", 0..1).hash_fragment);
        assert!(!url_ref("https://h/a.tar.gz#sha256", 0..1).hash_fragment);
        assert!(url_ref("FILE:///srv/a.whl", 0..1).local_path);
        assert!(url_ref("./vendor/a.whl", 0..1).local_path);
        assert!(!url_ref("https://h/é.whl", 0..1).local_path);
    }

    #[test]
    fn url_with_marker_and_odd_spacing() {
        let input = "pandas  [tabulate]  @  git+https://github.com/pandas-dev/pandas.git ; python_version >= '3.8'";
        let req = parse(input);
        assert_eq!(
            &input[req.url.as_ref().unwrap().span.clone()],
            "git+https://github.com/pandas-dev/pandas.git"
        );
        assert_eq!(&input[req.marker_span.unwrap()], "python_version >= '3.8'");
    }

    #[test]
    fn errors_point_into_the_string_and_never_panic() {
        for bad in [
            "foo- ==1", "foo==", "==1", "a b", "a[", "a @", "a;", "é", "",
        ] {
            let map = SpanMap::contiguous(10, bad.len());
            if let Err(err) = parse_requirement(bad, &map, "test") {
                assert!(err.span.start >= 10 && err.span.end <= 10 + bad.len().max(1));
            }
        }
    }

    #[test]
    fn opaque_map_covers_the_whole_span() {
        let map = SpanMap::opaque(7..19);
        assert_eq!(map.span(2..4), 7..19);
        assert_eq!(map.span(0..0), 7..19);
    }

    #[test]
    fn span_map_joins_segments() {
        // "a==1" built from "a=" at file offset 5 and "=1" at file offset 20.
        let map = SpanMap::from_segments(vec![(0, 5), (2, 20)], 22);
        assert_eq!(map.span(0..1), 5..6);
        assert_eq!(map.span(0..4), 5..22);
        assert_eq!(map.span(2..4), 20..22);
    }

    #[test]
    fn error_message_quotes_at_most_80_characters() {
        let input = format!("é{}", "[".repeat(10_000));
        let err =
            parse_requirement(&input, &SpanMap::contiguous(0, input.len()), "test").unwrap_err();
        let quoted = format!("`é{}…`", "[".repeat(79));
        assert!(err.message.contains(&quoted), "{}", err.message);
        assert!(err.message.len() < 300, "{}", err.message);
        let short = parse_requirement("a b", &SpanMap::contiguous(0, 3), "test").unwrap_err();
        assert!(
            short.message.starts_with("invalid requirement `a b`:"),
            "{}",
            short.message
        );
    }
}
