//! The default report: miette's graphical diagnostics with labelled source excerpts,
//! then a one-line summary.

use std::fmt;
use std::io::{self, Write};

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use super::excerpt::{Drawing, Excerpts};
use super::{FileReport, RenderOptions, Summary};
use crate::manifest::text::LineIndex;
use crate::manifest::{Item, ManifestKind, Span};
use crate::policy::engine::redact;
use crate::policy::{Finding, Severity};
use crate::project::SourceFile;
use crate::safe_output::{clean_text, neutralize_controls};

/// A file's text with its line index, so every excerpt is a binary search instead of
/// miette's scan from the start of the file for every label.
struct IndexedSource<'a> {
    name: &'a str,
    text: &'a str,
    index: &'a LineIndex,
}

impl SourceCode for IndexedSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let start = span.offset();
        let end = start + span.len();
        if end > self.text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.index.line_of(start);
        let last_line = self.index.line_of(end.saturating_sub(1).max(start));
        let context_first = first_line.saturating_sub(before);
        let context_last = (last_line + after).min(self.index.line_count() - 1);
        let (data_start, column) = if before == 0 {
            (start, start - self.index.line_start(first_line))
        } else {
            (self.index.line_start(context_first), 0)
        };
        let data_end = self.index.line_start(context_last + 1).max(end);
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.to_string(),
            &self.text.as_bytes()[data_start..data_end],
            (data_start, data_end - data_start).into(),
            context_first,
            column,
            self.index.line_count(),
        )))
    }
}

struct FindingDiagnostic<'a> {
    finding: &'a Finding,
    /// The message, wrapped to the width.
    message: String,
    /// The long help, wrapped to the width, unless a finding of this rule already
    /// showed it in this file.
    help: Option<String>,
    /// The primary span's label, unless it says what the message says.
    label: Option<String>,
    source: IndexedSource<'a>,
}

impl<'a> FindingDiagnostic<'a> {
    fn new(finding: &'a Finding, width: usize, show_help: bool, source: IndexedSource<'a>) -> Self {
        let message = wrapped(&clean_text(&finding.message), width, MESSAGE_INDENT).into_owned();
        let help = finding
            .help
            .as_deref()
            .filter(|_| show_help)
            .map(|help| help_text(&finding.rule.name, help, width));
        let label = shown_label(finding).map(std::borrow::Cow::into_owned);
        FindingDiagnostic {
            finding,
            message,
            help,
            label,
            source,
        }
    }
}

fn miette_severity(severity: Severity) -> miette::Severity {
    match severity {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// A finding's long help, then where the rule's whole documentation is: the web page
/// when the package names its repository, and always the command that prints it;
/// wrapped to `width`. A rule's help is the same in every file that shows it, and
/// making and wrapping it (some hundred thousand instructions for a long one) took as
/// long as the rest of its drawing: each thread keeps the last few hundred it made.
fn help_text(rule: &str, help: &str, width: usize) -> String {
    use std::hash::{Hash, Hasher};
    struct Made {
        rule: String,
        help: String,
        width: usize,
        text: String,
    }
    thread_local! {
        static MADE: std::cell::RefCell<rustc_hash::FxHashMap<u64, Made>> =
            std::cell::RefCell::default();
    }
    const KEPT: usize = 256;
    let mut hasher = rustc_hash::FxHasher::default();
    (rule, help, width).hash(&mut hasher);
    let key = hasher.finish();
    MADE.with_borrow_mut(|made| {
        if let Some(known) = made.get(&key)
            && (known.rule.as_str(), known.help.as_str(), known.width) == (rule, help, width)
        {
            return known.text.clone();
        }
        let docs = match crate::docs::rule_url(rule) {
            Some(url) => format!("{url} (or `pinwarden rule {rule}`)"),
            None => format!("`pinwarden rule {rule}`"),
        };
        let text = format!("{}\ndocs: {docs}", clean_text(help));
        let text = wrapped(&text, width, HELP_INDENT).into_owned();
        if made.len() >= KEPT {
            made.clear();
        }
        made.insert(
            key,
            Made {
                rule: rule.to_string(),
                help: help.to_string(),
                width,
                text: text.clone(),
            },
        );
        text
    })
}

/// The primary span's label, unless it says what the message says (noise under it).
fn shown_label(finding: &Finding) -> Option<std::borrow::Cow<'_, str>> {
    finding
        .label
        .as_deref()
        .filter(|label| *label != finding.message)
        .map(clean_text)
}

impl fmt::Debug for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for FindingDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic<'_> {}

impl Diagnostic for FindingDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.finding.rule.name))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette_severity(self.finding.severity))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = LabeledSpan::new_primary_with_span(
            self.label.clone(),
            SourceSpan::from(self.finding.span.clone()),
        );
        let related = self.finding.related.iter().map(|r| {
            LabeledSpan::new_with_span(
                Some(clean_text(&r.text).into_owned()),
                SourceSpan::from(r.span.clone()),
            )
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The file's text with every secret masked, so no excerpt can show one: the spans
/// findings mark as secret, and in a real (non-template) env file every value and
/// unparsed line, since that file holds this machine's credentials whether or not a
/// rule recognised them.
fn masked_text(text: &str, file: Option<&SourceFile>, findings: &[&Finding]) -> Option<String> {
    let mut secrets: Vec<Span> = findings.iter().filter_map(|f| f.secret.clone()).collect();
    if let Some(file) = file
        && file.manifest.kind == ManifestKind::Dotenv
        && !file.template
    {
        secrets.extend(file.manifest.items.iter().filter_map(|item| match item {
            // A line without `=` may be a pasted value rather than a key.
            Item::EnvEntry(entry) if entry.value_span.start == entry.key_span.end => {
                Some(entry.key_span.clone())
            }
            Item::EnvEntry(entry) => Some(entry.value_span.clone()),
            Item::ParseError(error) => Some(error.span.clone()),
            _ => None,
        }));
    }
    if secrets.is_empty() {
        return None;
    }
    let mut masked = text.as_bytes().to_vec();
    for span in secrets {
        let Some(secret) = text.get(span.clone()) else {
            continue;
        };
        let shown = redact(secret).chars().take_while(|c| *c != '…').count();
        let keep = secret
            .char_indices()
            .nth(shown)
            .map_or(secret.len(), |(i, _)| i);
        // Line breaks stay, so a multi-line secret keeps the excerpt's line numbers.
        for byte in &mut masked[span.start + keep..span.end] {
            if !matches!(*byte, b'\n' | b'\r') {
                *byte = b'*';
            }
        }
    }
    // Every byte of a multi-byte character was replaced, so this is valid UTF-8.
    String::from_utf8(masked).ok()
}

/// The human report: miette's graphical handler, one per run, and the same drawing
/// done directly for the common finding.
pub struct Human {
    handler: GraphicalReportHandler,
    excerpts: Excerpts,
    /// The width lines wrap at.
    width: usize,
}

/// The width miette draws at when no terminal gives one.
const MIETTE_WIDTH: usize = 200;

/// How wide the marks before a message (`  × `) and its help (`  help: `) are.
const MESSAGE_INDENT: usize = 4;
const HELP_INDENT: usize = 8;

/// `text` wrapped to fit `width` columns after an indent of `indent`: a line that fits
/// is left as it is, without looking for where it may break.
fn wrapped(text: &str, width: usize, indent: usize) -> std::borrow::Cow<'_, str> {
    let room = width.saturating_sub(indent);
    // A line's display width is never more than its length in bytes.
    let fits = |line: &str| line.len() < room && !line.ends_with(' ');
    let mut line_start = 0;
    let mut ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
    if ends.all(|end| {
        let line = &text[line_start..end];
        line_start = end + 1;
        fits(line)
    }) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(filled(text, room))
}

/// `text` with each line filled to `room` columns in turn, broken at spaces only: a URL,
/// a `code span` or a hyphenated name is never split, and a word longer than the room
/// stands alone on its line. Unicode line breaking with the optimal fit cost a hundred
/// times more.
fn filled(text: &str, room: usize) -> String {
    let plain_line =
        |line: &str| !line.starts_with(' ') && !line.ends_with(' ') && !line.contains("  ");
    let plain = crate::scan::first_where(text.as_bytes(), |b| !matches!(b, b' '..=b'~' | b'\n'))
        .is_none()
        && text.split('\n').all(plain_line);
    if !plain {
        // Other widths and runs of spaces: textwrap measures them, with the same rules.
        return textwrap::fill(text, fill_rules(room));
    }
    // Printable ASCII, one space between words: a column to a byte, and a line is a
    // slice of the text, ended at the last space that lets it fit.
    let mut out = String::with_capacity(text.len() + text.len() / room.max(1) + 1);
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        let mut start = 0;
        // The end of the last word on the output line, and the width taken with it.
        let mut end = 0;
        let mut words = line.split(' ').peekable();
        let mut at = 0;
        while let Some(word) = words.next() {
            let word_end = at + word.len();
            if word_end - start > room && end > start {
                out.push_str(&line[start..end]);
                out.push('\n');
                start = at;
            }
            end = word_end;
            at = word_end + 1;
            if words.peek().is_none() {
                out.push_str(&line[start..end]);
            }
        }
    }
    out
}

/// The rules of [`filled`] as textwrap's options: each line filled in turn (first fit),
/// broken at ASCII spaces only, no word split at a hyphen or for its length.
fn fill_rules(room: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(room)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false)
        .wrap_algorithm(textwrap::WrapAlgorithm::FirstFit)
}

impl Human {
    pub fn new(options: RenderOptions) -> Self {
        let theme = if options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // The message and the help are wrapped here, and only when a line is too long:
        // miette wraps every line of every finding, which was a third of the report's
        // time when nearly every line fits.
        let excerpts = Excerpts::new(&theme);
        let mut handler = GraphicalReportHandler::new_themed(theme)
            .with_links(false)
            .with_wrap_lines(false);
        let width = options.width.unwrap_or(MIETTE_WIDTH);
        handler = handler.with_width(width);
        Human {
            handler,
            excerpts,
            // miette leaves two columns free.
            width: width.saturating_sub(2),
        }
    }
}

impl FileReport for Human {
    fn begin(&self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn file(
        &self,
        file: Option<&SourceFile>,
        findings: &[Finding],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        // The long help of a rule is shown under its first finding in each file, not
        // under every one.
        let mut shown = rustc_hash::FxHashSet::default();
        let show_help: Vec<bool> = findings
            .iter()
            .map(|finding| finding.help.is_some() && shown.insert(finding.rule.name.as_str()))
            .collect();
        let rendered = render_file(file, self, findings, &show_help).into_bytes();
        // Moved when it fills most of its room (see `render_file`), as it nearly always
        // does: the piece waits with its batch's, and must not hold much more than it
        // says.
        if out.is_empty() && rendered.capacity() - rendered.len() <= rendered.len() / 4 {
            *out = rendered;
        } else {
            out.extend_from_slice(&rendered);
        }
        Ok(())
    }

    fn end(&self, summary: &Summary, unreadable: usize, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "{}", summary_line(summary, unreadable))
    }
}

fn render_file(
    file: Option<&SourceFile>,
    human: &Human,
    findings: &[Finding],
    show_help: &[bool],
) -> String {
    let path = &findings[0].path;
    let empty_index = LineIndex::new("");
    // A run that reports this way frees each file's text once it is linted, so memory
    // does not hold the whole tree's; the excerpts read it again, file by file.
    let reread = file.and_then(SourceFile::reread);
    let (text, index) = match (&reread, file) {
        (Some((text, index)), _) => (text.as_str(), index),
        (None, Some(file)) => (file.manifest.text.as_str(), &file.index),
        (None, None) => ("", &empty_index),
    };
    let refs: Vec<&Finding> = findings.iter().collect();
    let masked = masked_text(text, file, &refs);
    let text = masked.as_deref().unwrap_or(text);
    let text = lone_carriage_returns_as_line_feeds(text);
    // miette draws the excerpt between escape sequences of the renderer's own: the
    // file's control characters become `?`, byte for byte, so its spans still fit. An
    // excerpt drawn here has none (see `Excerpts::draw`), so most files need no search.
    let neutralized = std::cell::OnceCell::new();
    let name = clean_text(&path.display().to_string()).into_owned();
    // Room for the whole, taken once: a finding draws its message, its label, its help
    // when shown, its path and about four hundred bytes of frame and excerpt.
    let room: usize = findings
        .iter()
        .zip(show_help)
        .map(|(finding, show_help)| {
            let help = if *show_help {
                finding.help.as_deref().map_or(0, |help| help.len() + 96)
            } else {
                0
            };
            FRAME
                + name.len()
                + finding.message.len()
                + finding.label.as_deref().map_or(0, str::len)
                + help
        })
        .sum();
    let mut out = String::with_capacity(room);
    for (finding, show_help) in findings.iter().zip(show_help) {
        if !(finding.related.is_empty()
            && draw_directly(human, finding, *show_help, &name, &text, index, &mut out))
        {
            let diagnostic = FindingDiagnostic::new(
                finding,
                human.width,
                *show_help,
                IndexedSource {
                    // miette appends line:column to the name itself.
                    name: &name,
                    text: neutralized.get_or_init(|| neutralize_controls(&text)),
                    index,
                },
            );
            if human.handler.render_report(&mut out, &diagnostic).is_err() {
                out.push_str(&format!(
                    "{}:{}:{}: {}\n",
                    diagnostic.source.name,
                    finding.start.line,
                    finding.start.column,
                    clean_text(&finding.message)
                ));
            }
        }
        out.push('\n');
    }
    out
}

/// Draws `finding` onto `out` as miette would, without building its diagnostic, and
/// says whether it could (see [`Excerpts::draw`]).
fn draw_directly(
    human: &Human,
    finding: &Finding,
    show_help: bool,
    name: &str,
    text: &str,
    index: &LineIndex,
    out: &mut String,
) -> bool {
    let message = clean_text(&finding.message);
    let message = wrapped(&message, human.width, MESSAGE_INDENT);
    let help = if show_help {
        finding
            .help
            .as_deref()
            .map(|help| help_text(&finding.rule.name, help, human.width))
    } else {
        None
    };
    let label = shown_label(finding);
    human.excerpts.draw(
        &Drawing {
            severity: miette_severity(finding.severity),
            code: &finding.rule.name,
            message: &message,
            help: help.as_deref(),
            label: label.as_deref(),
            span: finding.span.clone(),
            name,
            text,
            index,
        },
        out,
    )
}

/// About what a finding's drawing takes besides its texts: the rule's name, the frame,
/// three lines of excerpt and the marks under the span.
const FRAME: usize = 400;

/// A lone `\r` ends a line (for pip, python-dotenv and the line numbers of findings),
/// but miette splits lines at `\n` only: each becomes `\n`, byte for byte, so the
/// excerpt shows the finding's line and its spans still fit.
fn lone_carriage_returns_as_line_feeds(text: &str) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |at: usize| bytes[at] == b'\r' && bytes.get(at + 1) != Some(&b'\n');
    if !memchr::memchr_iter(b'\r', bytes).any(lone) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = bytes.to_vec();
    for at in memchr::memchr_iter(b'\r', bytes).filter(|&at| lone(at)) {
        out[at] = b'\n';
    }
    // Only ASCII bytes were replaced, by ASCII bytes.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| text.to_string()))
}

/// The closing line, and what `--fix` would do, as ruff says it.
fn summary_line(summary: &Summary, unreadable: usize) -> String {
    let checked = format!(
        "{} {} checked",
        summary.files,
        plural(summary.files, "file", "files")
    );
    if summary.total() == 0 {
        // A path that could not be read is no pass (exit 2, said on standard error).
        return if unreadable > 0 {
            format!(
                "No findings in {checked}; {unreadable} {} could not be read.",
                plural(unreadable, "path", "paths")
            )
        } else {
            format!("All checks passed ({checked}).")
        };
    }
    let mut parts = Vec::new();
    for (count, one, many) in [
        (summary.errors, "error", "errors"),
        (summary.warnings, "warning", "warnings"),
        (summary.infos, "info", "infos"),
    ] {
        if count > 0 {
            parts.push(format!("{count} {}", plural(count, one, many)));
        }
    }
    let mut line = format!("Found {} in {checked}.", parts.join(", "));
    if summary.fixable > 0 {
        line.push_str(&format!(
            "\n[*] {} fixable with `pinwarden check --fix`.",
            summary.fixable
        ));
    }
    if summary.unsafe_fixable > 0 {
        line.push_str(&format!(
            "\n{} more fixable with `--fix --unsafe-fixes`.",
            summary.unsafe_fixable
        ));
    }
    line
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_fits_is_left_as_it_is() {
        let text = "short line\nanother";
        assert!(matches!(
            wrapped(text, 80, HELP_INDENT),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    /// What textwrap makes of `text` with the rules [`filled`] follows.
    fn filled_by_textwrap(text: &str, room: usize) -> String {
        textwrap::fill(text, fill_rules(room))
    }

    #[test]
    fn plain_text_is_filled_as_textwrap_fills_it() {
        let texts = [
            "",
            "a",
            "\n",
            "a\n\nb",
            "pip-compile writes `pip-compile --generate-hashes` output here",
            "https://example.org/a/very/long/url/that/does/not/fit/anywhere then words",
            "ends with a newline\n",
            "  leading spaces  and  double  spaces ",
            "caf\u{e9} \u{4e2d}\u{6587} wide words",
        ];
        for text in texts {
            for room in [1, 5, 10, 20, 40] {
                assert_eq!(
                    filled(text, room),
                    filled_by_textwrap(text, room),
                    "{text:?} at {room}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn filled_text_is_what_textwrap_makes(
            lines in proptest::collection::vec(
                proptest::collection::vec("[a-z`:/.=-]{1,24}", 0..12),
                1..4,
            ),
            room in 1usize..80,
        ) {
            let text = lines
                .iter()
                .map(|words| words.join(" "))
                .collect::<Vec<_>>()
                .join("\n");
            proptest::prop_assert_eq!(filled(&text, room), filled_by_textwrap(&text, room));
        }
    }

    #[test]
    fn a_long_line_breaks_at_spaces_without_splitting_a_url_or_a_code_span() {
        let text = "Pin one version with `==X.Y.Z`; see https://example.org/docs/rules/version-range \
                    for why, and `pinwarden check --fix` to write it.";
        let out = wrapped(text, 60, HELP_INDENT);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.len() > 2, "{out}");
        for line in &lines {
            assert!(line.len() <= 60 - HELP_INDENT, "{line:?}");
        }
        assert!(
            lines
                .iter()
                .any(|line| line.contains("https://example.org/docs/rules/version-range")),
            "{out}"
        );
        assert!(out.contains("`==X.Y.Z`;"), "{out}");
        // Nothing is lost: the words are the same, in order.
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        // Each line is filled in turn: the next word would not have fitted.
        for pair in lines.windows(2) {
            let next = pair[1].split(' ').next().unwrap();
            assert!(
                pair[0].len() + 1 + next.len() > 60 - HELP_INDENT,
                "{pair:?}"
            );
        }
    }
}
