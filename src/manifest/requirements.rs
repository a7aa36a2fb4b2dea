//! pip requirement files (`requirements*.txt`, `*.in`, constraint files).
//!
//! A file is read the way pip reads it (`pip/_internal/req/req_file.py`):
//! 1. physical lines are joined at a trailing `\` and comments are stripped
//!    ([`lines`]);
//! 2. each logical line is split at the first word that starts with `-`: the words
//!    before it are the requirement, the rest are options, split like a shell command
//!    ([`shell_words`]) and parsed like pip's `optparse` parser ([`options`]);
//! 3. a line with a requirement gives a [`Requirement`] (with its `--hash` values); a
//!    line with `-e` an editable one; `-r` / `-c` an [`Include`]; other options one
//!    [`PipOption`] each.
//!
//! A requirement is a PEP 508 string, or, as pip allows, a bare URL or local path
//! (`https://…/x.whl`, `git+https://…#egg=name`, `./pkg[extra]`), with a `; marker`.
//! An unnamed URL takes its name from a wheel file name or an `#egg=` fragment, as pip
//! does before building anything. `${VAR}` is kept as written.
//!
//! What pip would reject, or would silently ignore, is a [`ParseError`] with the span of
//! the offending text: an invalid requirement, an unknown option, an option that has
//! no effect where it is written (`--index-url` after a requirement, `--hash` on a line
//! without one), or words left over after the options.

mod lines;
mod options;
mod plain;
mod shell_words;

use compact_str::CompactString;
use std::ops::Range;
use std::str::FromStr;

use uv_pep508::MarkerTree;

use self::lines::{LogicalLine, logical_lines, trim_py, trim_py_end, trim_py_start};
use self::options::{ParsedOption, Scope};
use self::shell_words::Word;
use super::pep508;
use super::text::clamp_span;
use super::{Include, Item, ParseError, PipOption, Requirement, Span};

/// The `section` of every requirement in a requirement file.
const SECTION: &str = super::REQUIREMENTS_SECTION;

/// Hash algorithms pip accepts in `--hash` (`STRONG_HASHES`).
const STRONG_HASHES: [&str; 3] = ["sha256", "sha384", "sha512"];

/// Parse the text of one requirement file into items, in file order.
pub fn parse(text: &str) -> Vec<Item> {
    parse_lines(text, true)
}

/// [`parse`] with every line read by the general reading, plain lines included: what
/// tests and the fuzz target hold the plain-line reader to.
#[doc(hidden)]
pub fn parse_generally(text: &str) -> Vec<Item> {
    parse_lines(text, false)
}

/// [`parse`], with plain lines read by [`plain`] or, for the tests that compare the
/// two, by the general reading.
fn parse_lines(text: &str, plain_lines: bool) -> Vec<Item> {
    // About one item per line; bounded, as a huge file of blank lines has none. Items
    // are large, so growing the list (a copy each time) costs more than counting lines.
    let lines = memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1;
    let mut items = Vec::with_capacity(lines.min(4096));
    for line in logical_lines(text) {
        if line.content.is_empty() {
            continue;
        }
        if !(plain_lines && plain::push_requirement(&line, &mut items)) {
            LineParser {
                file_text: text,
                line: &line,
                items: &mut items,
            }
            .parse();
        }
    }
    for item in &mut items {
        clamp_item(text, item);
    }
    // Errors about a line's options are found before its requirement is built.
    if !items.is_sorted_by_key(|item| item.span().start) {
        items.sort_by_key(|item| item.span().start);
    }
    items
}

struct LineParser<'a> {
    file_text: &'a str,
    line: &'a LogicalLine<'a>,
    items: &'a mut Vec<Item>,
}

impl LineParser<'_> {
    fn span(&self, range: Range<usize>) -> Span {
        self.line.file_span(range)
    }

    fn error(&mut self, message: String, range: Range<usize>) {
        let span = self.span(range);
        self.items
            .push(Item::ParseError(ParseError { message, span }));
    }

    fn parse(mut self) {
        let content = self.line.content.clone();
        let text = &self.line.text[content.clone()];
        let options_at = options_start(text);
        let args = content.start..content.start + options_at;
        let options_text = &text[options_at..];
        let words = match shell_words::split(options_text, args.end) {
            Ok(words) => words,
            Err(err) => return self.error(err.message.to_string(), err.raw),
        };
        let parsed = match options::parse(&words) {
            Ok(parsed) => parsed,
            Err(err) => return self.error(err.message, err.raw),
        };
        let args = trim(&self.line.text, args);
        if !args.is_empty() {
            self.requirement_line(args, &words, &parsed);
        } else if let Some(at) = parsed
            .options
            .iter()
            .position(|o| o.spec.scope == Scope::Editable)
        {
            self.editable_line(at, &words, &parsed);
        } else {
            self.option_line(&words, &parsed);
        }
    }

    /// `requirement [--hash=…]…`: only per-requirement options have an effect; pip
    /// ignores the others, and installs the requirement all the same.
    fn requirement_line(
        &mut self,
        args: Range<usize>,
        words: &[Word],
        parsed: &options::ParsedWords,
    ) {
        let mut hashes = Vec::new();
        let mut hashes_valid = true;
        for option in &parsed.options {
            match option.spec.scope {
                Scope::Requirement if option.spec.name == "hash" => match self.hash(option) {
                    Some(hash) => hashes.push(hash),
                    None => hashes_valid = false,
                },
                Scope::Requirement => {}
                _ => self.error(
                    format!(
                        "`--{}` has no effect after a requirement: pip ignores it here; \
                         put it on a line of its own",
                        option.spec.name
                    ),
                    option.raw.clone(),
                ),
            }
        }
        self.leftover_words(words, &parsed.positional, "the requirement's options");
        // pip rejects the whole file over a malformed hash.
        if hashes_valid {
            match self.requirement(args, hashes) {
                Ok(req) => self.items.push(Item::Requirement(req)),
                Err(err) => self.items.push(Item::ParseError(err)),
            }
        }
    }

    /// A one-character error at the start of a word covers the word: for
    /// `google-auth google-auth-oauthlib`, the second name, not its `g`.
    fn widen_to_word(&self, mut err: ParseError) -> ParseError {
        let is_word_byte = |b: &u8| b.is_ascii_alphanumeric() || b"-_.".contains(b);
        let bytes = self.file_text.as_bytes();
        if err.span.len() <= 1 && bytes.get(err.span.start).is_some_and(is_word_byte) {
            let word_len = bytes[err.span.start..]
                .iter()
                .take_while(|b| is_word_byte(b))
                .count();
            err.span.end = err.span.start + word_len;
        }
        err
    }

    /// `--hash=algo:digest`, checked as pip checks it.
    fn hash(&mut self, option: &ParsedOption) -> Option<(String, Span)> {
        let value = option.value.clone().unwrap_or_default();
        let raw = option.value_raw.clone().unwrap_or(option.raw.clone());
        let message = match value.split_once(':') {
            None => "`--hash` must be an algorithm and a digest, like `--hash=sha256:…`".into(),
            Some((algo, _)) if !STRONG_HASHES.contains(&algo) => {
                format!("pip does not accept `{algo}` hashes; use sha256, sha384 or sha512")
            }
            Some((_, "")) => "`--hash` has an empty digest".into(),
            Some(_) => return Some((value, self.span(raw))),
        };
        self.error(message, raw);
        None
    }

    /// Words no option took: pip drops them without a word.
    fn leftover_words(&mut self, words: &[Word], positional: &[usize], after: &str) {
        if let (Some(&first), Some(&last)) = (positional.first(), positional.last()) {
            let range = words[first].raw.start..words[last].raw.end;
            let shown = &self.line.text[range.clone()];
            self.error(
                format!("unexpected `{shown}` after {after}: pip ignores it"),
                range,
            );
        }
    }

    /// A requirement in pip's sense: a PEP 508 string, or a bare URL or path.
    fn requirement(
        &self,
        range: Range<usize>,
        hashes: Vec<(String, Span)>,
    ) -> Result<Requirement, ParseError> {
        let text = &self.line.text[range.clone()];
        let source = classify(text);
        let mut req = match source {
            Source::Named => {
                pep508::parse_requirement(text, &self.line.span_map(range.start), SECTION)
                    .map_err(|err| self.widen_to_word(err))?
            }
            Source::Url | Source::Path => {
                // pip splits a URL's marker only at `; ` (a URL may hold `;`).
                let separator = if source == Source::Url { "; " } else { ";" };
                let (target, marker) = match text.find(separator) {
                    Some(at) => (
                        range.start..range.start + at,
                        Some(range.start + at + 1..range.end),
                    ),
                    None => (range.clone(), None),
                };
                let target = trim(&self.line.text, target);
                self.direct_reference(range.clone(), target, source == Source::Path, marker)?
            }
        };
        if let Some(url) = &req.url {
            req.pin = pep508::pin_of_url(url, !hashes.is_empty());
        }
        req.hashes = hashes;
        Ok(req)
    }

    /// An unnamed URL or path requirement: `whole` is the requirement with its marker,
    /// `target` the URL or path (with `[extras]` for a path).
    fn direct_reference(
        &self,
        whole: Range<usize>,
        target: Range<usize>,
        is_path: bool,
        marker: Option<Range<usize>>,
    ) -> Result<Requirement, ParseError> {
        let (url, extras) = if is_path {
            split_extras(&self.line.text, target.clone())
        } else {
            (target.clone(), None)
        };
        let extras = match extras {
            Some(extras) => self.extras(extras)?,
            None => Vec::new(),
        };
        let url_text = &self.line.text[url.clone()];
        let url_ref = pep508::url_ref(url_text, self.span(url.clone()));
        let (name, name_span) = self.name_of_url(url.clone())?.unzip();
        let marker = match marker {
            Some(marker) => self.marker(marker)?,
            None => None,
        };
        Ok(Requirement {
            span: self.span(trim(&self.line.text, whole)),
            name,
            name_span,
            extras,
            specifier: CompactString::default(),
            specifier_span: None,
            clauses: Vec::new(),
            marker: marker
                .as_ref()
                .map(|m| self.line.text[m.clone()].to_string()),
            marker_span: marker.map(|m| self.span(m)),
            pin: pep508::pin_of_url(&url_ref, false),
            url: Some(Box::new(url_ref)),
            hashes: Vec::new(),
            editable: false,
            section: SECTION.into(),
            standing: Default::default(),
        })
    }

    /// The name pip gives an unnamed URL before building it: a wheel's file name, or
    /// the `#egg=` fragment.
    fn name_of_url(&self, url: Range<usize>) -> Result<Option<(CompactString, Span)>, ParseError> {
        let text = &self.line.text[url.clone()];
        let bytes = text.as_bytes();
        let path_end = memchr::memchr2(b'#', b'?', bytes).unwrap_or(text.len());
        let path = text[..path_end].trim_end_matches('/');
        let file_start = path.rfind('/').map_or(0, |i| i + 1);
        let file = &path[file_start..];
        if file.ends_with(".whl") {
            return match wheel_name(file) {
                Some(len) => {
                    let start = url.start + file_start;
                    Ok(Some((
                        percent_decode(&file[..len]).into(),
                        self.span(start..start + len),
                    )))
                }
                None => Err(ParseError {
                    message: format!("`{file}` is not a valid wheel file name"),
                    span: self.span(url.start + file_start..url.start + path.len()),
                }),
            };
        }
        // The first `#egg=` or `&egg=`.
        let Some(egg_at) = memchr::memmem::find_iter(bytes, b"egg=")
            .find(|&at| at > 0 && matches!(bytes[at - 1], b'#' | b'&'))
            .map(|at| at - 1)
        else {
            return Ok(None);
        };
        let value_start = egg_at + "#egg=".len();
        let value_end =
            memchr::memchr(b'&', &bytes[value_start..]).map_or(text.len(), |i| value_start + i);
        let egg = url.start + value_start..url.start + value_end;
        // The fragment may carry extras or a specifier (`name[extra]==1.0`); pip reads
        // it as a requirement and keeps its name.
        let parsed = pep508::parse_requirement(
            &self.line.text[egg.clone()],
            &self.line.span_map(egg.start),
            SECTION,
        )
        .map_err(|err| ParseError {
            message: format!("invalid `#egg=` fragment: {}", err.message),
            span: err.span,
        })?;
        Ok(parsed.name.zip(parsed.name_span))
    }

    /// `[a, b]` → the extras, each a valid name.
    fn extras(&self, range: Range<usize>) -> Result<Vec<String>, ParseError> {
        let inner = &self.line.text[range.start + 1..range.end - 1];
        let mut extras = Vec::new();
        for extra in inner.split(',') {
            let extra = trim_py(extra);
            if !is_valid_name(extra) {
                return Err(ParseError {
                    message: format!(
                        "invalid extra `{extra}` in `{}`",
                        &self.line.text[range.clone()]
                    ),
                    span: self.span(range),
                });
            }
            extras.push(extra.to_string());
        }
        Ok(extras)
    }

    /// Validate the marker after a `;`; `range` starts after the `;`. An empty marker
    /// is no marker, as for pip.
    fn marker(&self, range: Range<usize>) -> Result<Option<Range<usize>>, ParseError> {
        let range = trim(&self.line.text, range);
        if range.is_empty() {
            return Ok(None);
        }
        let text = &self.line.text[range.clone()];
        if pep508::nests_too_deep(text) {
            return Err(ParseError {
                message: format!(
                    "the marker nests parentheses more than {} levels deep; not parsed",
                    pep508::MAX_NESTING
                ),
                span: self.span(range),
            });
        }
        let spaced = || pep508::spaced_marker_operators(text);
        match MarkerTree::from_str(text) {
            Ok(_) => Ok(Some(range)),
            Err(_) if spaced().is_some_and(|s| MarkerTree::from_str(&s).is_ok()) => Ok(Some(range)),
            Err(err) => {
                let start = range.start + err.start.min(text.len());
                let end = (start + err.len.max(1)).min(range.end);
                Err(ParseError {
                    message: format!("invalid marker `{text}`: {}", err.message),
                    span: self.span(start.min(end.saturating_sub(1)).max(range.start)..end),
                })
            }
        }
    }

    /// `-e target [; marker] [--config-settings …]`.
    fn editable_line(&mut self, at: usize, words: &[Word], parsed: &options::ParsedWords) {
        let editable = &parsed.options[at];
        for (i, option) in parsed.options.iter().enumerate() {
            let message = match option.spec.scope {
                _ if i == at => continue,
                Scope::Requirement if option.spec.name == "config-settings" => continue,
                Scope::Editable => "pip reads one `-e` per line and ignores this one".to_string(),
                Scope::Requirement => format!(
                    "pip ignores `--{}` on an editable requirement",
                    option.spec.name
                ),
                _ => format!(
                    "`--{}` has no effect after an editable requirement: pip ignores it \
                     here; put it on a line of its own",
                    option.spec.name
                ),
            };
            self.error(message, option.raw.clone());
        }
        let Some(mut target) = editable.value_raw.clone() else {
            return;
        };
        // The words right after the target, which no option took.
        let following: Vec<usize> = parsed
            .positional
            .iter()
            .enumerate()
            .take_while(|&(k, &index)| index == editable.last_word + 1 + k)
            .map(|(_, &index)| index)
            .collect();
        let mut taken = 0;
        // `-e ./pkg[a, b]`: the shell split cut the extras at the space; uv reads them
        // whole, and so does this parser.
        if has_unclosed_bracket(&self.line.text[target.clone()])
            && let Some(k) = following.iter().position(|&w| words[w].value.contains(']'))
        {
            target.end = words[following[k]].raw.end;
            taken = k + 1;
        }
        let run_end = following.last().map_or(target.end, |&w| words[w].raw.end);
        if self.line.text[target.clone()].contains(';') {
            return self.error(
                "`;` in an editable target: put whitespace before the `;` that starts a \
                 marker"
                    .into(),
                target.start..run_end.max(target.end),
            );
        }
        // `-e ./pkg ; python_version >= "3.9"`: uv reads the marker; pip drops it.
        let mut marker = None;
        if let Some(&first) = following.get(taken)
            && words[first].value.starts_with(';')
        {
            marker = Some(words[first].raw.start + 1..run_end);
            taken = following.len();
        }
        let leftover: Vec<usize> = parsed
            .positional
            .iter()
            .copied()
            .filter(|index| !following[..taken].contains(index))
            .collect();
        if self.line.text[target.clone()].ends_with('#') && !leftover.is_empty() {
            let range = words[leftover[0]].raw.start..words[leftover[leftover.len() - 1]].raw.end;
            self.error(
                format!(
                    "`#` starts a comment only after whitespace: pip reads `{}` as the \
                     target and ignores `{}`",
                    &self.line.text[target.clone()],
                    &self.line.text[range.clone()]
                ),
                range,
            );
        } else {
            self.leftover_words(words, &leftover, "the editable requirement");
        }
        match self.editable(editable, target, marker) {
            Ok(req) => self.items.push(Item::Requirement(req)),
            Err(err) => self.items.push(Item::ParseError(err)),
        }
    }

    /// The editable requirement whose target is written at `raw`.
    fn editable(
        &self,
        option: &ParsedOption,
        raw: Range<usize>,
        marker: Option<Range<usize>>,
    ) -> Result<Requirement, ParseError> {
        let value = &self.line.text[raw.clone()];
        let error = |message: String| ParseError {
            message,
            span: self.span(raw.clone()),
        };
        if option.value.as_deref().is_none_or(str::is_empty) {
            return Err(error("`-e` needs a local directory or a VCS URL".into()));
        }
        if value.starts_with(['"', '\'']) || value.contains('\\') {
            // Quoted or escaped: the requirement's parts cannot be placed exactly.
            return Err(error(format!(
                "quoted editable target `{value}`: write it without quotes"
            )));
        }
        let lower = value.to_ascii_lowercase();
        let is_vcs = VCS.iter().any(|vcs| {
            lower.starts_with(&format!("{vcs}+")) || lower.starts_with(&format!("{vcs}:"))
        });
        if !is_vcs && is_url(value) && !lower.starts_with("file:") {
            return Err(error(format!(
                "`{value}` cannot be installed in editable mode: use a local directory or a \
                 VCS URL (`git+https://…`)"
            )));
        }
        let (url, extras) = if is_vcs {
            (raw.clone(), None)
        } else {
            split_extras(&self.line.text, raw.clone())
        };
        let extras = match extras {
            Some(extras) => self.extras(extras)?,
            None => Vec::new(),
        };
        let url_text = &self.line.text[url.clone()];
        let mut url_ref = pep508::url_ref(url_text, self.span(url.clone()));
        if is_vcs && url_ref.vcs.is_none() {
            // `git://host/repo`: pip reads it as `git+git://host/repo`.
            let as_pip_reads = pep508::url_ref(
                &format!("{}+{url_text}", &lower[..lower.find(':').unwrap_or(0)]),
                url_ref.span.clone(),
            );
            url_ref.vcs = as_pip_reads.vcs;
            url_ref.rev = as_pip_reads.rev;
            url_ref.local_path = false;
        }
        let egg = self.egg_name(url.clone())?;
        let marker = match marker {
            Some(marker) => self.marker(marker)?,
            None => None,
        };
        let whole_end = marker.as_ref().map_or(raw.end, |m| m.end);
        Ok(Requirement {
            span: self.span(option.raw.start..whole_end),
            name: egg.as_ref().map(|(name, _)| name.clone()),
            name_span: egg.map(|(_, span)| span),
            extras,
            specifier: CompactString::default(),
            specifier_span: None,
            clauses: Vec::new(),
            marker: marker
                .as_ref()
                .map(|m| self.line.text[m.clone()].to_string()),
            marker_span: marker.map(|m| self.span(m)),
            pin: pep508::pin_of_url(&url_ref, false),
            url: Some(Box::new(url_ref)),
            hashes: Vec::new(),
            editable: true,
            section: SECTION.into(),
            standing: Default::default(),
        })
    }

    /// The `#egg=` name of an editable target (wheels cannot be editable).
    fn egg_name(&self, url: Range<usize>) -> Result<Option<(CompactString, Span)>, ParseError> {
        let text = &self.line.text[url.clone()];
        if !text.contains("egg=") {
            return Ok(None);
        }
        let path_end = text.find('#').unwrap_or(text.len());
        // Only the fragment is looked at: pretend the path is not a wheel.
        let fragment = url.start + path_end..url.end;
        if fragment.is_empty() {
            return Ok(None);
        }
        self.name_of_url(fragment)
    }

    /// A line of options only: `-r`/`-c` includes and file-wide options.
    fn option_line(&mut self, words: &[Word], parsed: &options::ParsedWords) {
        let include_at = parsed
            .options
            .iter()
            .position(|o| matches!(o.spec.scope, Scope::Include { constraint: false }))
            .or_else(|| {
                parsed
                    .options
                    .iter()
                    .position(|o| matches!(o.spec.scope, Scope::Include { .. }))
            });
        if let Some(at) = include_at {
            self.include_line(at, parsed);
        } else {
            for option in &parsed.options {
                if option.spec.name == "hash" {
                    self.error(
                        "`--hash` without a requirement on its line: pip ignores it \
                         (is a `\\` missing at the end of the line above?)"
                            .into(),
                        option.raw.clone(),
                    );
                    continue;
                }
                let item = PipOption {
                    name: option.spec.name.to_string(),
                    value: option.value.clone(),
                    value_span: option.value_raw.clone().map(|raw| self.span(raw)),
                    span: self.span(option.raw.clone()),
                };
                self.items.push(Item::Option(item));
            }
        }
        self.leftover_words(words, &parsed.positional, "the options");
    }

    /// `-r FILE` / `-c FILE`: pip follows only the first `-r` (else `-c`) of a line and
    /// ignores everything else on it.
    fn include_line(&mut self, at: usize, parsed: &options::ParsedWords) {
        for (i, option) in parsed.options.iter().enumerate() {
            if i != at {
                self.error(
                    format!(
                        "pip ignores `{}` on a line that includes another file; put it on a \
                         line of its own",
                        &self.line.text[option.raw.clone()]
                    ),
                    option.raw.clone(),
                );
            }
        }
        let option = &parsed.options[at];
        let Scope::Include { constraint } = option.spec.scope else {
            return;
        };
        let target = option.value.clone().unwrap_or_default();
        let target_raw = option.value_raw.clone().unwrap_or(option.raw.clone());
        if target.trim().is_empty() {
            let flag = if constraint { "-c" } else { "-r" };
            return self.error(format!("`{flag}` needs a file name"), option.raw.clone());
        }
        let include = Include {
            constraint,
            target,
            target_span: self.span(target_raw),
            span: self.span(option.raw.clone()),
            require_hashes: false,
        };
        self.items.push(Item::Include(include));
    }
}

/// Where the options of a line's text start: pip splits on single spaces, and the
/// requirement ends before the first word that starts with `-`.
fn options_start(text: &str) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'-', bytes)
        .find(|&i| i == 0 || bytes[i - 1] == b' ')
        .unwrap_or(text.len())
}

/// What a requirement string is, decided as pip decides it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// A PEP 508 requirement, `name @ url` included.
    Named,
    /// A URL with a scheme pip installs from.
    Url,
    /// A local directory or archive.
    Path,
}

/// Whether a `[` is left open: `./pkg[a,` waiting for ` b]`.
fn has_unclosed_bracket(text: &str) -> bool {
    text.rfind('[')
        .is_some_and(|open| !text[open..].contains(']'))
}

/// VCS prefixes (`git+https://…`).
const VCS: [&str; 4] = ["git", "hg", "svn", "bzr"];

fn classify(text: &str) -> Source {
    // Most requirements have no scheme, marker, `@` or path separator: only an archive
    // name (`pkg.zip`) or a leading `.` can make them a path.
    if !text.bytes().any(|b| matches!(b, b':' | b';' | b'@' | b'/')) {
        let trimmed = trim_py(text);
        return if trimmed.starts_with('.') || is_archive(strip_extras(trimmed)) {
            Source::Path
        } else {
            Source::Named
        };
    }
    if is_url(text) {
        return Source::Url;
    }
    let before_marker = trim_py(text.split(';').next().unwrap_or(text));
    if let Some((name, url)) = before_marker.split_once('@')
        && !looks_like_path(name.trim())
        && is_url(url.trim())
    {
        return Source::Named;
    }
    let path = strip_extras(before_marker);
    if looks_like_path(before_marker) || is_archive(path) {
        Source::Path
    } else {
        Source::Named
    }
}

/// pip's `is_url`: a scheme it installs from, VCS schemes included.
fn is_url(text: &str) -> bool {
    let Some((scheme, _)) = text.split_once(':') else {
        return false;
    };
    let one_of =
        |word: &str, options: &[&str]| options.iter().any(|o| word.eq_ignore_ascii_case(o));
    if one_of(scheme, &["http", "https", "file", "ftp"]) {
        return true;
    }
    let Some((vcs, transport)) = scheme.split_once('+') else {
        return false;
    };
    let transports: &[&str] = match vcs.to_ascii_lowercase().as_str() {
        "git" => &["http", "https", "ssh", "git", "file"],
        "hg" => &["http", "https", "ssh", "file", "static-http"],
        "svn" => &["http", "https", "ssh", "svn", "file"],
        "bzr" => &["http", "https", "ssh", "sftp", "ftp", "lp", "file"],
        _ => return false,
    };
    one_of(transport, transports)
}

/// pip's `_looks_like_path`: a path separator, or a leading `.`.
fn looks_like_path(text: &str) -> bool {
    text.contains('/') || text.starts_with('.')
}

/// pip's `ARCHIVE_EXTENSIONS`.
const ARCHIVE_SUFFIXES: [&str; 12] = [
    ".whl",
    ".zip",
    ".tar.gz",
    ".tgz",
    ".tar",
    ".tar.bz2",
    ".tbz",
    ".tar.xz",
    ".txz",
    ".tlz",
    ".tar.lz",
    ".tar.lzma",
];

/// The last letters of [`ARCHIVE_SUFFIXES`]: a version or a name rarely ends in one.
fn may_end_an_archive(byte: u8) -> bool {
    matches!(
        byte.to_ascii_lowercase(),
        b'l' | b'p' | b'z' | b'r' | b'2' | b'a'
    )
}

/// pip's `is_archive_file`.
pub fn is_archive(path: &str) -> bool {
    if !path.bytes().next_back().is_some_and(may_end_an_archive) {
        return false;
    }
    ARCHIVE_SUFFIXES.iter().any(|ext| {
        path.len() >= ext.len()
            && path.as_bytes()[path.len() - ext.len()..].eq_ignore_ascii_case(ext.as_bytes())
    })
}

/// pip's `_strip_extras`: `path[extras]` → `path`.
fn strip_extras(text: &str) -> &str {
    match extras_at(text) {
        // `simple-0.1-py2.py3-none-any.whl [ext]`: the space before the extras is not
        // part of the file name (pip reads the line as the wheel `simple==0.1`).
        Some(at) => text[..at].trim_end(),
        None => text,
    }
}

/// Where a trailing `[extras]` starts (pip's `^(.+)(\[[^\]]+\])$`).
fn extras_at(text: &str) -> Option<usize> {
    let body = text.strip_suffix(']')?;
    let open = body.rfind('[')?;
    (open > 0 && open + 1 < body.len() && !body[open + 1..].contains(']')).then_some(open)
}

/// Split `range` of `text` into the path and its `[extras]`, if any.
fn split_extras(text: &str, range: Range<usize>) -> (Range<usize>, Option<Range<usize>>) {
    match extras_at(&text[range.clone()]) {
        // The path ends before any space ahead of its extras.
        Some(at) => (
            trim(text, range.start..range.start + at),
            Some(range.start + at..range.end),
        ),
        None => (range, None),
    }
}

/// The length of the project name at the start of a wheel file name
/// (`name-version[-build]-python-abi-platform.whl`), if the file name is valid.
fn wheel_name(file: &str) -> Option<usize> {
    let stem = file.strip_suffix(".whl")?;
    let parts: Vec<&str> = stem.split('-').collect();
    let valid = matches!(parts.len(), 5 | 6) && parts.iter().all(|p| !p.is_empty());
    valid.then(|| parts[0].len())
}

/// PEP 508 name: letters and digits, with `-`, `_`, `.` inside.
fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(b))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Shrink `range` of `text` so it has no leading or trailing whitespace.
fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let slice = &text[range.clone()];
    let start = range.start + (slice.len() - trim_py_start(slice).len());
    let end = range.end - (slice.len() - trim_py_end(slice).len());
    start..end.max(start)
}

/// Keep every span inside the text on character boundaries, whatever a dependency
/// reports.
fn clamp_item(text: &str, item: &mut Item) {
    let fix = |span: &mut Span| *span = clamp_span(text, span.clone());
    match item {
        Item::Requirement(req) => {
            fix(&mut req.span);
            req.name_span.iter_mut().for_each(fix);
            req.specifier_span.iter_mut().for_each(fix);
            req.marker_span.iter_mut().for_each(fix);
            req.clauses.iter_mut().for_each(|c| fix(&mut c.span));
            req.url.iter_mut().for_each(|u| fix(&mut u.span));
            req.hashes.iter_mut().for_each(|(_, s)| fix(s));
        }
        Item::Option(opt) => {
            fix(&mut opt.span);
            opt.value_span.iter_mut().for_each(fix);
        }
        Item::Include(include) => {
            fix(&mut include.span);
            fix(&mut include.target_span);
        }
        Item::EnvEntry(entry) => {
            fix(&mut entry.span);
            fix(&mut entry.key_span);
            fix(&mut entry.value_span);
        }
        Item::ParseError(error) => fix(&mut error.span),
        Item::Image(image) => fix(&mut image.span),
        Item::Download(download) => fix(&mut download.span),
        Item::Package(package) => fix(&mut package.span),
        Item::Action(action) => {
            fix(&mut action.span);
            fix(&mut action.ref_span);
        }
        Item::HookRev(hook) => fix(&mut hook.span),
        Item::LockSource(source) => fix(&mut source.span),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Pin;

    fn requirements(text: &str) -> Vec<Requirement> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Requirement(req) => Some(req),
                _ => None,
            })
            .collect()
    }

    fn only(text: &str) -> Requirement {
        let items = parse(text);
        assert_eq!(items.len(), 1, "{items:#?}");
        match items.into_iter().next() {
            Some(Item::Requirement(req)) => req,
            other => panic!("not a requirement: {other:?}"),
        }
    }

    /// `(message, spanned text)` of every parse error.
    fn errors(text: &str) -> Vec<(String, &str)> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::ParseError(err) => Some((err.message, &text[err.span])),
                _ => None,
            })
            .collect()
    }

    fn options(text: &str) -> Vec<PipOption> {
        parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Option(opt) => Some(opt),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn plain_requirements_with_exact_spans() {
        let text =
            "# pinned\nrequests[socks]==2.32.3 ; python_version >= \"3.8\"  # why\nflask>=3\n";
        let reqs = requirements(text);
        assert_eq!(reqs.len(), 2);
        let req = &reqs[0];
        assert_eq!(
            &text[req.span.clone()],
            "requests[socks]==2.32.3 ; python_version >= \"3.8\""
        );
        assert_eq!(&text[req.name_span.clone().unwrap()], "requests");
        assert_eq!(req.extras, ["socks"]);
        assert_eq!(&text[req.specifier_span.clone().unwrap()], "==2.32.3");
        assert_eq!(
            &text[req.marker_span.clone().unwrap()],
            "python_version >= \"3.8\""
        );
        assert_eq!(req.section, "requirements");
        assert_eq!(req.pin, Pin::Exact);
        assert_eq!(reqs[1].pin, Pin::Range);
        assert_eq!(&text[reqs[1].span.clone()], "flask>=3");
    }

    #[test]
    fn crlf_and_arbitrary_equality() {
        let text = "a===1.0\r\nb==2.*\r\n";
        let reqs = requirements(text);
        assert_eq!(&text[reqs[0].span.clone()], "a===1.0");
        assert_eq!(reqs[0].pin, Pin::Exact);
        assert_eq!(&text[reqs[1].span.clone()], "b==2.*");
        assert_eq!(reqs[1].pin, Pin::Wildcard);
    }

    #[test]
    fn hashes_on_continuation_lines() {
        let text = "urllib3==1.26.15 ; python_version >= \"3.8\" \\\r\n    --hash sha256:8a38 \\\r\n    --hash=sha256:ffee\r\nsix==1.16.0\r\n";
        let reqs = requirements(text);
        assert_eq!(reqs.len(), 2);
        let req = &reqs[0];
        assert_eq!(
            &text[req.span.clone()],
            "urllib3==1.26.15 ; python_version >= \"3.8\""
        );
        let hashes: Vec<(&str, &str)> = req
            .hashes
            .iter()
            .map(|(value, span)| (value.as_str(), &text[span.clone()]))
            .collect();
        assert_eq!(
            hashes,
            [
                ("sha256:8a38", "sha256:8a38"),
                ("sha256:ffee", "sha256:ffee")
            ]
        );
        assert_eq!(req.pin, Pin::Exact);
        assert_eq!(&text[reqs[1].name_span.clone().unwrap()], "six");
    }

    #[test]
    fn a_requirement_split_across_lines_maps_each_part() {
        let text = "foo\\\n>=1.0,\\\n<2\n";
        let req = only(text);
        assert_eq!(req.name.as_deref(), Some("foo"));
        assert_eq!(&text[req.clauses[0].span.clone()], ">=1.0");
        assert_eq!(&text[req.clauses[1].span.clone()], "<2");
        assert_eq!(req.span, 0..text.len() - 1);
    }

    #[test]
    fn comments_follow_pip() {
        // `#` needs whitespace before it; a comment line ending in `\` does not continue.
        let text = "git+https://github.com/o/r@v1#egg=r # note\n# skip \\\nsix\nx==1 # c \\\nswallowed==2\n";
        let reqs = requirements(text);
        let names: Vec<_> = reqs.iter().map(|r| r.name.clone().unwrap()).collect();
        assert_eq!(names, ["r", "six", "x"]);
        assert_eq!(
            &text[reqs[0].url.as_ref().unwrap().span.clone()],
            "git+https://github.com/o/r@v1#egg=r"
        );
        assert_eq!(&text[reqs[0].name_span.clone().unwrap()], "r");
        assert_eq!(reqs[0].pin, Pin::VcsRef);
        // A comment line ends a continuation.
        let text = "pandas @ git+https://github.com/p/p.git \\\n # comment\nnumpy\n";
        assert_eq!(requirements(text).len(), 2);
    }

    #[test]
    fn includes_and_constraints() {
        let text = "-r base.txt\n--requirement=dev.txt\n--requirement ./ci.txt\n-c constraints.txt\n--constraint=c2.txt\n-rshort.txt\n";
        let includes: Vec<(bool, String, &str, &str)> = parse(text)
            .into_iter()
            .filter_map(|item| match item {
                Item::Include(inc) => Some((
                    inc.constraint,
                    inc.target,
                    &text[inc.target_span],
                    &text[inc.span],
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            includes,
            [
                (false, "base.txt".into(), "base.txt", "-r base.txt"),
                (false, "dev.txt".into(), "dev.txt", "--requirement=dev.txt"),
                (
                    false,
                    "./ci.txt".into(),
                    "./ci.txt",
                    "--requirement ./ci.txt"
                ),
                (
                    true,
                    "constraints.txt".into(),
                    "constraints.txt",
                    "-c constraints.txt"
                ),
                (true, "c2.txt".into(), "c2.txt", "--constraint=c2.txt"),
                (false, "short.txt".into(), "short.txt", "-rshort.txt"),
            ]
        );
    }

    #[test]
    fn option_lines() {
        let text = "-i https://pypi.org/simple\n--pre --extra-index-url https://download.pytorch.org/whl/cu121\n--trusted-host=pypi.internal\n-f ./wheels\n--no-binary :all:\n--only-binary=numpy\n--prefer-binary\n--require-hashes\n--no-index\n--use-feature=truststore\n--config-settings editable_mode=compat\n";
        let got: Vec<(String, Option<String>, Option<&str>, &str)> = options(text)
            .into_iter()
            .map(|o| {
                (
                    o.name,
                    o.value,
                    o.value_span.map(|s| &text[s]),
                    &text[o.span],
                )
            })
            .collect();
        let expect = |name: &str, value: Option<&'static str>, span: &'static str| {
            (name.to_string(), value.map(String::from), value, span)
        };
        assert_eq!(
            got,
            [
                expect(
                    "index-url",
                    Some("https://pypi.org/simple"),
                    "-i https://pypi.org/simple"
                ),
                expect("pre", None, "--pre"),
                expect(
                    "extra-index-url",
                    Some("https://download.pytorch.org/whl/cu121"),
                    "--extra-index-url https://download.pytorch.org/whl/cu121"
                ),
                expect(
                    "trusted-host",
                    Some("pypi.internal"),
                    "--trusted-host=pypi.internal"
                ),
                expect("find-links", Some("./wheels"), "-f ./wheels"),
                expect("no-binary", Some(":all:"), "--no-binary :all:"),
                expect("only-binary", Some("numpy"), "--only-binary=numpy"),
                expect("prefer-binary", None, "--prefer-binary"),
                expect("require-hashes", None, "--require-hashes"),
                expect("no-index", None, "--no-index"),
                expect(
                    "use-feature",
                    Some("truststore"),
                    "--use-feature=truststore"
                ),
                expect(
                    "config-settings",
                    Some("editable_mode=compat"),
                    "--config-settings editable_mode=compat"
                ),
            ]
        );
        assert!(errors(text).is_empty());
    }

    #[test]
    fn per_requirement_options_stay_with_the_requirement() {
        let text = "foo==1.0 --config-settings k=v --hash=sha256:ab\n";
        let req = only(text);
        assert_eq!(req.hashes.len(), 1);
        assert_eq!(&text[req.span], "foo==1.0");
    }

    /// packaging reads `and(` and `or(` as the operator and a parenthesis; so does
    /// pinwarden, though uv's parser alone does not.
    #[test]
    fn markers_with_a_parenthesis_right_after_and_or() {
        for text in [
            "name; os_name == \"a\" and(python_version >= \"3\")\n",
            "name==1.0 ; os_name == \"a\" or(python_version >= \"3\")\n",
            "name[x]>=1 ; (os_name == \"a\")and(python_version >= \"3\")\n",
        ] {
            assert!(errors(text).is_empty(), "{text}: {:?}", errors(text));
            assert_eq!(only(text).name.as_deref(), Some("name"));
        }
        // A word that only ends in `and` is still not an operator.
        assert!(!errors("name; os_name == \"a\" band(x)\n").is_empty());
    }

    /// A wheel file name, a space, then extras: the wheel, as pip reads it.
    #[test]
    fn a_wheel_file_with_a_space_before_its_extras_is_the_wheel() {
        let text = "simple-0.1-py2.py3-none-any.whl [ext]\n";
        let req = only(text);
        assert_eq!(req.name.as_deref(), Some("simple"));
        assert_eq!(req.extras, ["ext"]);
        assert_eq!(
            &text[req.url.as_ref().unwrap().span.clone()],
            "simple-0.1-py2.py3-none-any.whl"
        );
        assert_eq!(req.pin, Pin::Url);
    }

    /// pip 26's requirement-file options, and `--global-option`, which pip 25.3 removed.
    #[test]
    fn pip_26_options_are_known_and_removed_ones_are_errors() {
        let text =
            "--all-releases :all:\n--only-final pkg1,pkg2\n--no-require-hashes\nflask==3.0.3\n";
        assert!(errors(text).is_empty(), "{:?}", errors(text));
        let removed = errors("foo==1.0 --global-option=--no-user-cfg\n");
        assert_eq!(removed.len(), 1);
        assert!(removed[0].0.contains("removed in pip 25.3"), "{removed:?}");
    }

    #[test]
    fn editable_requirements() {
        let text = "-e .\n-e ./pkg[dev, test]\n--editable=git+https://github.com/boto/botocore.git@develop#egg=botocore\n-e git+https://github.com/o/dq.git@bf20d57f859a7d872d5979cd8879fac9c9df981c#egg=django-q\n-e ./editable ; python_version >= \"3.9\"\n-e file:///srv/pkg\n-e instrumentation/otel\n";
        let reqs = requirements(text);
        assert!(errors(text).is_empty(), "{:?}", errors(text));
        assert_eq!(reqs.len(), 7);
        assert!(reqs.iter().all(|r| r.editable));
        let dot = &reqs[0];
        assert_eq!(dot.name, None);
        assert_eq!(&text[dot.span.clone()], "-e .");
        assert!(dot.url.as_ref().unwrap().local_path);
        assert_eq!(dot.pin, Pin::Url);

        assert_eq!(reqs[1].extras, ["dev", "test"]);
        assert_eq!(&text[reqs[1].url.as_ref().unwrap().span.clone()], "./pkg");

        let botocore = &reqs[2];
        assert_eq!(botocore.name.as_deref(), Some("botocore"));
        assert_eq!(&text[botocore.name_span.clone().unwrap()], "botocore");
        assert_eq!(
            botocore.url.as_ref().unwrap().rev.as_deref(),
            Some("develop")
        );
        assert_eq!(botocore.pin, Pin::VcsRef);

        assert_eq!(reqs[3].name.as_deref(), Some("django-q"));
        assert_eq!(reqs[3].pin, Pin::VcsCommit);

        assert_eq!(
            &text[reqs[4].marker_span.clone().unwrap()],
            "python_version >= \"3.9\""
        );
        assert_eq!(
            &text[reqs[4].url.as_ref().unwrap().span.clone()],
            "./editable"
        );
        assert!(reqs[5].url.as_ref().unwrap().local_path);
        assert!(reqs[6].url.as_ref().unwrap().local_path);
    }

    #[test]
    fn editable_errors() {
        assert_eq!(
            errors("-e https://example.com/pkg.zip\n")[0].1,
            "https://example.com/pkg.zip"
        );
        assert_eq!(
            errors("-e ./editable;python_version >= \"3.9\"\n")[0].1,
            "./editable;python_version >= \"3.9\""
        );
        // pip ignores the word after `./editable#`; the requirement is still there.
        let text = "-e ./editable# comment\n";
        assert_eq!(errors(text)[0].1, "comment");
        assert!(
            errors(text)[0]
                .0
                .starts_with("`#` starts a comment only after whitespace")
        );
        assert_eq!(requirements(text).len(), 1);
        assert_eq!(
            errors("-e . --hash=sha256:ab\n")[0].0,
            "pip ignores `--hash` on an editable requirement"
        );
    }

    #[test]
    fn archive_suffixes_pass_the_quick_check() {
        for ext in ARCHIVE_SUFFIXES {
            assert!(may_end_an_archive(*ext.as_bytes().last().unwrap()), "{ext}");
            assert!(
                is_archive(&format!("pkg-1.0{}", ext.to_uppercase())),
                "{ext}"
            );
        }
        assert!(!is_archive("pkg==1.0"));
    }

    #[test]
    fn bare_urls_and_paths() {
        let text = "https://github.com/o/g/releases/download/v1/gradio_client-1.0.2+custom.20-py3-none-any.whl; platform_system == \"Windows\"\n./downloads/foo-1.0.tar.gz\ngit+https://github.com/celery/kombu.git\nfile:///srv/black\n./pkg[dev]\n.\nhttps://x.org/torch-2.1%2Bcpu-cp310-cp310-linux_x86_64.whl --hash=sha256:ab\npkg.zip\n";
        let reqs = requirements(text);
        assert!(errors(text).is_empty(), "{:?}", errors(text));
        let summary: Vec<(Option<&str>, &str, Pin)> = reqs
            .iter()
            .map(|r| {
                (
                    r.name.as_deref(),
                    &text[r.url.as_ref().unwrap().span.clone()],
                    r.pin,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (
                    Some("gradio_client"),
                    "https://github.com/o/g/releases/download/v1/gradio_client-1.0.2+custom.20-py3-none-any.whl",
                    Pin::Url
                ),
                (None, "./downloads/foo-1.0.tar.gz", Pin::Url),
                (None, "git+https://github.com/celery/kombu.git", Pin::VcsRef),
                (None, "file:///srv/black", Pin::Url),
                (None, "./pkg", Pin::Url),
                (None, ".", Pin::Url),
                (
                    Some("torch"),
                    "https://x.org/torch-2.1%2Bcpu-cp310-cp310-linux_x86_64.whl",
                    Pin::Exact
                ),
                (None, "pkg.zip", Pin::Url),
            ]
        );
        assert_eq!(&text[reqs[0].name_span.clone().unwrap()], "gradio_client");
        assert_eq!(
            &text[reqs[0].marker_span.clone().unwrap()],
            "platform_system == \"Windows\""
        );
        assert_eq!(reqs[4].extras, ["dev"]);
        assert!(reqs[1].url.as_ref().unwrap().local_path);
    }

    #[test]
    fn named_url_requirements() {
        let text = "pandas  [tabulate]  @  git+https://github.com/pandas-dev/pandas.git \\\n # comment\nflask @ https://x.org/flask-3.0.0-py3-none-any.whl --hash=sha256:ab\n";
        let reqs = requirements(text);
        assert_eq!(reqs[0].name.as_deref(), Some("pandas"));
        assert_eq!(reqs[0].pin, Pin::VcsRef);
        assert_eq!(
            &text[reqs[0].url.as_ref().unwrap().span.clone()],
            "git+https://github.com/pandas-dev/pandas.git"
        );
        // A hash pins a URL.
        assert_eq!(reqs[1].pin, Pin::Exact);
    }

    #[test]
    fn environment_variables_stay_literal() {
        let text = "git+https://${TOKEN}@github.com/squidfunk/mkdocs-material-insiders.git@9.5.30\n--index-url https://${USER}:${PASS}@pypi.internal/simple\n";
        let req = only(&text[..text.find('\n').unwrap() + 1]);
        let url = req.url.unwrap();
        assert_eq!(
            url.url,
            "git+https://${TOKEN}@github.com/squidfunk/mkdocs-material-insiders.git@9.5.30"
        );
        assert_eq!(url.rev.as_deref(), Some("9.5.30"));
        assert_eq!(
            options(text)[0].value.as_deref(),
            Some("https://${USER}:${PASS}@pypi.internal/simple")
        );
    }

    #[test]
    fn parse_errors_have_precise_spans() {
        assert_eq!(
            errors("requests\ngoogle-auth google-auth-oauthlib\n")[0].1,
            "google-auth-oauthlib"
        );
        assert_eq!(
            errors("--frobnicate x\n"),
            [(
                "unknown pip option `--frobnicate`".to_string(),
                "--frobnicate"
            )]
        );
        assert_eq!(errors("-r\n")[0], ("`-r` needs a value".to_string(), "-r"));
        assert_eq!(errors("-r ''\n")[0].1, "-r ''");
        assert_eq!(errors("foo==1 --hash=md5:ab\n")[0].1, "md5:ab");
        assert_eq!(errors("foo==1 --hash=ab\n")[0].1, "ab");
        assert_eq!(errors("--index-url 'https://x\n")[0].1, "'https://x");
        // Options that pip ignores where they are written.
        assert_eq!(
            errors("foo==1 --index-url https://x\n")[0].1,
            "--index-url https://x"
        );
        assert_eq!(errors("--pre stray\n")[0].1, "stray");
        assert_eq!(errors("-r a.txt --pre\n")[0].1, "--pre");
        // A hash left alone by a missing `\`.
        let text = "foo==1.0\n    --hash=sha256:ab\n";
        assert_eq!(errors(text)[0].1, "--hash=sha256:ab");
        assert_eq!(requirements(text).len(), 1);
        // An invalid wheel file name.
        assert_eq!(errors("https://x.org/foo.whl\n")[0].1, "foo.whl");
        assert_eq!(errors("foo ; python_version >\n").len(), 1);
    }

    #[test]
    fn never_panics_on_odd_input() {
        for text in [
            "",
            "\\",
            "\\\\\n\\",
            "-",
            "--",
            "-e",
            "-e ''",
            "#",
            " # \\",
            "é\\\né",
            "a @",
            "a[",
            "-e .[",
            "-e ./x[a,",
            "https://",
            "git+https://x@",
            "foo; \n",
            "--hash",
            "x \"",
            "\u{2028}a==1\u{85}b==2",
            "\r\r\n\n",
            "-e git:",
            "./[]",
            "x.whl",
            "#egg=",
            "git+https://x#egg=",
            "git+https://x#egg=a b",
            "-e ./p ;",
            "-e ./p ; x ==",
        ] {
            for item in parse(text) {
                let span = item.span();
                assert!(
                    span.end <= text.len() && text.is_char_boundary(span.start),
                    "{text:?}"
                );
            }
        }
    }
}
