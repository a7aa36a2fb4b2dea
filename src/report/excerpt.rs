//! The common finding, drawn directly: one label, on one line, in an excerpt of plain
//! ASCII text. The drawing is byte for byte what miette's graphical handler draws for
//! it, without the handler's general layout (labels across lines, several labels to a
//! line, wide characters), which cost tens of thousands of instructions a finding and
//! was most of the human report's time. Any other finding is drawn by miette; the tests
//! below hold the two equal on generated findings, in colour and without.

use std::ops::Range;

use miette::{GraphicalTheme, Severity, ThemeCharacters};

use crate::manifest::text::LineIndex;

/// What a finding shows, with its message and help already wrapped to the width.
pub(super) struct Drawing<'a> {
    pub severity: Severity,
    pub code: &'a str,
    pub message: &'a str,
    pub help: Option<&'a str>,
    pub label: Option<&'a str>,
    pub span: Range<usize>,
    /// The file's name, its text (as the excerpt shows it) and its line index.
    pub name: &'a str,
    pub text: &'a str,
    pub index: &'a LineIndex,
}

/// A style's escape sequences, written around the text it styles.
#[derive(Debug, Clone, Default)]
struct Paint {
    prefix: String,
    suffix: String,
}

impl Paint {
    fn of(style: impl std::fmt::Display) -> Paint {
        let marked = style.to_string();
        let (prefix, suffix) = marked.split_once(MARK).unwrap_or(("", ""));
        Paint {
            prefix: prefix.to_string(),
            suffix: suffix.to_string(),
        }
    }

    fn push(&self, out: &mut String, text: &str) {
        out.push_str(&self.prefix);
        out.push_str(text);
        out.push_str(&self.suffix);
    }
}

/// Styled in place of text, to find where a style's escape sequences go.
const MARK: char = '\u{0}';

/// How miette's graphical handler is set up for the human report: its theme, a tab
/// four columns wide, one line of context either side, and the primary span's start in
/// each excerpt's header.
pub(super) struct Excerpts {
    chars: ThemeCharacters,
    error: Severe,
    warning: Severe,
    advice: Severe,
    /// What goes before the first line of a help.
    help_indent: String,
    link: Paint,
    linum: Paint,
    /// The style of the first label of a finding, the only one drawn here.
    highlight: Paint,
    /// Runs of spaces, of the underline and of the horizontal bar.
    spaces: String,
    underlines: String,
    hbars: String,
}

/// A severity's style, and the indents of a message of that severity, made once.
struct Severe {
    paint: Paint,
    /// Before the message's first line (its icon), and before each other line.
    first: String,
    rest: String,
}

impl Severe {
    fn new(paint: Paint, icon: &str, vbar: char) -> Severe {
        let mut first = String::from("  ");
        paint.push(&mut first, icon);
        first.push(' ');
        let mut rest = String::from("  ");
        paint.push(&mut rest, vbar.encode_utf8(&mut [0; 4]));
        rest.push(' ');
        Severe { paint, first, rest }
    }
}

const TAB_WIDTH: usize = 4;

/// One line of an excerpt, as miette splits them.
struct Line<'a> {
    number: usize,
    /// Where the line starts in the file.
    offset: usize,
    /// The line's text, without its line break.
    text: &'a str,
}

impl Excerpts {
    pub(super) fn new(theme: &GraphicalTheme) -> Self {
        let styles = &theme.styles;
        let chars = &theme.characters;
        let mut help_indent = String::new();
        Paint::of(styles.help.style(MARK)).push(&mut help_indent, "  help: ");
        Excerpts {
            chars: chars.clone(),
            error: Severe::new(
                Paint::of(styles.error.style(MARK)),
                &chars.error,
                chars.vbar,
            ),
            warning: Severe::new(
                Paint::of(styles.warning.style(MARK)),
                &chars.warning,
                chars.vbar,
            ),
            advice: Severe::new(
                Paint::of(styles.advice.style(MARK)),
                &chars.advice,
                chars.vbar,
            ),
            help_indent,
            link: Paint::of(styles.link.style(MARK)),
            linum: Paint::of(styles.linum.style(MARK)),
            highlight: styles
                .highlights
                .first()
                .map(|style| Paint::of(style.style(MARK)))
                .unwrap_or_default(),
            spaces: run_of(' '),
            underlines: run_of(theme.characters.underline),
            hbars: run_of(theme.characters.hbar),
        }
    }

    /// Draws `drawing` onto `out` and says true, or says false and writes nothing when
    /// the finding is not one drawn here. The lines drawn are printable ASCII and tabs
    /// only: a control character in them leaves the finding to miette.
    pub(super) fn draw(&self, drawing: &Drawing, out: &mut String) -> bool {
        if drawing
            .label
            .is_some_and(|label| memchr::memchr(b'\n', label.as_bytes()).is_some())
        {
            return false;
        }
        let (start, end) = (drawing.span.start, drawing.span.end);
        let Some((lines, marked)) = excerpt(drawing.text, drawing.index, start, end) else {
            return false;
        };
        let name = drawing.name;
        // `out` has its room already: the human report takes a file's at once.
        let chars = &self.chars;
        let severe = match drawing.severity {
            Severity::Error => &self.error,
            Severity::Warning => &self.warning,
            Severity::Advice => &self.advice,
        };

        // The rule's name, then a blank line.
        severe.paint.push(out, drawing.code);
        out.push_str("\n\n");

        // The message.
        push_indented(out, drawing.message, &severe.first, &severe.rest);
        out.push('\n');

        // The excerpt.
        let linum_width = digits(lines.last().map_or(0, |line| line.number));
        push_repeated(out, &self.spaces, linum_width + 2);
        out.push(chars.ltop);
        out.push(chars.hbar);
        out.push('[');
        out.push_str(&self.link.prefix);
        // Where the span starts: its line, and its column in bytes (in plain ASCII, in
        // characters too), as miette reads them from the span alone.
        out.push_str(name);
        out.push(':');
        push_number(out, lines[marked].number);
        out.push(':');
        push_number(out, start - lines[marked].offset + 1);
        out.push_str(&self.link.suffix);
        out.push_str("]\n");
        for (index, line) in lines.iter().enumerate() {
            out.push(' ');
            out.push_str(&self.linum.prefix);
            push_repeated(
                out,
                &self.spaces,
                linum_width.saturating_sub(digits(line.number)),
            );
            push_number(out, line.number);
            out.push_str(&self.linum.suffix);
            out.push(' ');
            out.push(chars.vbar);
            out.push(' ');
            push_expanded(out, line.text);
            out.push('\n');
            if index == marked {
                self.underline(out, line, start, end, drawing.label, linum_width);
            }
        }
        push_repeated(out, &self.spaces, linum_width + 2);
        out.push(chars.lbot);
        push_repeated(out, &self.hbars, 4);
        out.push('\n');

        // The help.
        if let Some(help) = drawing.help {
            push_indented(out, help, &self.help_indent, "        ");
            out.push('\n');
        }
        true
    }

    /// The marks under the span on `line`, and its label.
    fn underline(
        &self,
        out: &mut String,
        line: &Line,
        start: usize,
        end: usize,
        label: Option<&str>,
        linum_width: usize,
    ) {
        let chars = &self.chars;
        let no_linum = |out: &mut String| {
            push_repeated(out, &self.spaces, linum_width + 2);
            out.push(chars.vbar_break);
            out.push(' ');
        };
        let first_column = columns(&line.text[..start - line.offset]);
        let last_column = if start == end {
            first_column + 1
        } else {
            columns(&line.text[..end - line.offset]).max(first_column + 1)
        };
        let middle = (first_column + last_column) / 2;
        let mark = if start == end {
            chars.uarrow
        } else if label.is_some() {
            chars.underbar
        } else {
            chars.underline
        };
        no_linum(out);
        out.push_str(&self.highlight.prefix);
        push_repeated(out, &self.spaces, first_column);
        push_repeated(out, &self.underlines, middle - first_column);
        out.push(mark);
        push_repeated(out, &self.underlines, last_column - middle - 1);
        out.push_str(&self.highlight.suffix);
        out.push('\n');
        if let Some(label) = label {
            no_linum(out);
            push_repeated(out, &self.spaces, middle);
            out.push_str(&self.highlight.prefix);
            out.push(chars.lbot);
            out.push(chars.hbar);
            out.push(chars.hbar);
            out.push(' ');
            self.highlight.push(out, label);
            out.push_str(&self.highlight.suffix);
            out.push('\n');
        }
    }
}

/// How many decimal digits `number` has.
fn digits(number: usize) -> usize {
    number.checked_ilog10().map_or(1, |log| log as usize + 1)
}

/// `number` in decimal.
fn push_number(out: &mut String, number: usize) {
    out.push_str(itoa::Buffer::new().format(number));
}

/// `count` copies of the one character `run` repeats (see [`run_of`]), a slice of it at
/// a time.
fn push_repeated(out: &mut String, run: &str, count: usize) {
    let width = run.len() / RUN;
    let mut left = count;
    while left > 0 {
        let now = left.min(RUN);
        out.push_str(&run[..now * width]);
        left -= now;
    }
}

/// How many characters a run holds.
const RUN: usize = 64;

/// `c`, [`RUN`] times.
fn run_of(c: char) -> String {
    std::iter::repeat_n(c, RUN).collect()
}

/// The lines miette shows around the span `start..end` (one line either side of it),
/// and which of them is the span's, when the span is on one line, short of its line
/// break, and the lines are plain ASCII, which miette measures a column to a byte.
fn excerpt<'a>(
    text: &'a str,
    index: &LineIndex,
    start: usize,
    end: usize,
) -> Option<(Vec<Line<'a>>, usize)> {
    if start > end || end > text.len() {
        return None;
    }
    let spanned = index.line_of(start);
    let first = spanned.saturating_sub(1);
    let mut lines = Vec::with_capacity(3);
    for number in first..=spanned + 1 {
        let line_start = index.line_start(number);
        // Past the last line, or the empty line after the file's last line break.
        if number >= index.line_count() || line_start >= text.len() {
            break;
        }
        let raw = text.get(line_start..index.line_start(number + 1))?;
        let body = raw.strip_suffix('\n').unwrap_or(raw);
        let body = body.strip_suffix('\r').unwrap_or(body);
        // Without its line break, the line is plain: a lone carriage return, which
        // miette keeps in the line, is not.
        let plain = |byte: u8| matches!(byte, b' '..=b'~' | b'\t');
        if crate::scan::first_where(body.as_bytes(), |byte| !plain(byte)).is_some() {
            return None;
        }
        lines.push(Line {
            // miette numbers a line from 1.
            number: number + 1,
            offset: line_start,
            text: body,
        });
    }
    let marked = spanned - first;
    let line = lines.get(marked)?;
    let text_end = line.offset + line.text.len();
    (start < text_end && end <= text_end).then_some((lines, marked))
}

/// How many columns `text` (plain ASCII) takes, a tab reaching the next multiple of
/// four.
fn columns(text: &str) -> usize {
    if memchr::memchr(b'\t', text.as_bytes()).is_none() {
        return text.len();
    }
    text.bytes().fold(0, |column, byte| match byte {
        b'\t' => column + TAB_WIDTH - column % TAB_WIDTH,
        _ => column + 1,
    })
}

/// `text` with each tab as the spaces it reaches across.
fn push_expanded(out: &mut String, text: &str) {
    if memchr::memchr(b'\t', text.as_bytes()).is_none() {
        out.push_str(text);
        return;
    }
    let mut column = 0;
    for c in text.chars() {
        if c == '\t' {
            let width = TAB_WIDTH - column % TAB_WIDTH;
            out.extend(std::iter::repeat_n(' ', width));
            column += width;
        } else {
            out.push(c);
            column += 1;
        }
    }
}

/// `text` with `first` before its first line and `rest` before each other line (both
/// without their trailing spaces before a blank line), as miette indents a message it
/// does not wrap.
fn push_indented(out: &mut String, text: &str, first: &str, rest: &str) {
    let push_line = |out: &mut String, indent: &str, line: &str| {
        if line.trim().is_empty() {
            out.push_str(indent.trim_end());
        } else {
            out.push_str(indent);
        }
        out.push_str(line);
    };
    if !text.is_empty() && memchr::memchr(b'\n', text.as_bytes()).is_none() {
        // One line, the usual message: no need to split it.
        push_line(out, first, text);
        return;
    }
    for (index, line) in text.split_terminator('\n').enumerate() {
        if index > 0 {
            out.push('\n');
        }
        push_line(out, if index == 0 { first } else { rest }, line);
    }
    if text.ends_with('\n') {
        out.push('\n');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{
        Diagnostic, GraphicalReportHandler, LabeledSpan, NamedSource, SourceCode, SourceSpan,
    };
    use proptest::prelude::*;
    use std::fmt;

    /// A finding as miette sees it.
    #[derive(Debug)]
    struct Finding {
        drawing: Owned,
        source: NamedSource<String>,
    }

    #[derive(Debug, Clone)]
    struct Owned {
        severity: Severity,
        code: String,
        message: String,
        help: Option<String>,
        label: Option<String>,
        span: (usize, usize),
    }

    impl fmt::Display for Finding {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.drawing.message)
        }
    }

    impl std::error::Error for Finding {}

    impl Diagnostic for Finding {
        fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
            Some(Box::new(&self.drawing.code))
        }
        fn severity(&self) -> Option<Severity> {
            Some(self.drawing.severity)
        }
        fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
            self.drawing
                .help
                .as_ref()
                .map(|help| Box::new(help) as Box<dyn fmt::Display>)
        }
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(&self.source)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            let (start, len) = self.drawing.span;
            Some(Box::new(std::iter::once(
                LabeledSpan::new_primary_with_span(
                    self.drawing.label.clone(),
                    SourceSpan::from((start, len)),
                ),
            )))
        }
    }

    fn theme(color: bool) -> GraphicalTheme {
        if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        }
    }

    /// miette's drawing, and this module's when it draws the finding.
    fn both(text: &str, drawing: &Owned, color: bool) -> (String, Option<String>) {
        let finding = Finding {
            drawing: drawing.clone(),
            source: NamedSource::new("dir/requirements.txt", text.to_string()),
        };
        let handler = GraphicalReportHandler::new_themed(theme(color))
            .with_links(false)
            .with_wrap_lines(false)
            .with_width(80);
        let mut expected = String::new();
        handler.render_report(&mut expected, &finding).unwrap();
        let mut drawn = String::new();
        let (start, len) = drawing.span;
        let direct = Excerpts::new(&theme(color)).draw(
            &Drawing {
                severity: drawing.severity,
                code: &drawing.code,
                message: &drawing.message,
                help: drawing.help.as_deref(),
                label: drawing.label.as_deref(),
                span: start..start + len,
                name: "dir/requirements.txt",
                text,
                index: &LineIndex::new(text),
            },
            &mut drawn,
        );
        (expected, direct.then_some(drawn))
    }

    fn plain(span: (usize, usize), label: Option<&str>) -> Owned {
        Owned {
            severity: Severity::Error,
            code: "version-range".to_string(),
            message: "`requests` is not pinned".to_string(),
            help: Some("Pin one version.\ndocs: `pinwarden rule version-range`".to_string()),
            label: label.map(str::to_string),
            span,
        }
    }

    #[test]
    fn a_plain_finding_is_drawn_as_miette_draws_it() {
        let text = "flask==3.0\nrequests>=2\n\tdjango\r\nclick\n";
        for (span, label) in [
            ((11, 8), Some("a range")),
            ((19, 3), None),
            ((24, 6), Some("tabbed")),
            ((32, 5), Some("last line")),
            ((0, 0), Some("empty span")),
        ] {
            for color in [false, true] {
                let (expected, drawn) = both(text, &plain(span, label), color);
                assert_eq!(
                    drawn.as_deref(),
                    Some(expected.as_str()),
                    "{span:?} {color}"
                );
            }
        }
    }

    #[test]
    fn other_findings_are_left_to_miette() {
        let text = "naïve==1\nrequests>=2\nflask\n";
        // A line with a character wider than a byte, a label of two lines, a span
        // across a line break.
        for (span, label) in [
            ((0, 5), Some("wide")),
            ((9, 8), Some("two\nlines")),
            ((9, 16), Some("across")),
        ] {
            assert_eq!(both(text, &plain(span, label), false).1, None);
        }
    }

    fn line() -> impl Strategy<Value = String> {
        // Mostly plain ASCII, with tabs, and now and then a character miette measures
        // otherwise.
        prop_oneof![
            9 => "[a-z=<>. \t]{1,12}[a-z0-9]{0,6}",
            1 => "[a-z=<>. \t]{0,6}(é|日|\u{7f})[a-z0-9]{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        #[test]
        fn every_drawn_finding_is_what_miette_draws(
            lines in proptest::collection::vec((line(), prop_oneof![Just("\n"), Just("\r\n"), Just("")]), 1..6),
            start in 0usize..200,
            len in 0usize..20,
            label in proptest::option::of("[a-z ]{0,10}(\n[a-z]{1,4})?"),
            message in "[a-z `]{1,20}(\n\n?[a-z ]{0,10})?",
            help in proptest::option::of("[a-z ]{1,20}(\n[a-z ]{0,10})?"),
            severity in prop_oneof![Just(Severity::Error), Just(Severity::Warning), Just(Severity::Advice)],
            color: bool,
            on_one_line in proptest::bool::weighted(0.8),
        ) {
            let text: String = lines.iter().map(|(line, end)| format!("{line}{end}")).collect();
            prop_assume!(!text.is_empty());
            let (start, end) = if on_one_line {
                // Most findings mark part of one line.
                let at = start % lines.len();
                let line_start: usize = lines[..at].iter().map(|(l, e)| l.len() + e.len()).sum();
                let line_len = lines[at].0.len();
                let start = line_start + start % (line_len + 1);
                (start, (start + len).min(line_start + line_len))
            } else {
                let start = start % text.len();
                (start, (start + len).min(text.len()))
            };
            prop_assume!(text.is_char_boundary(start) && text.is_char_boundary(end));
            let drawing = Owned {
                severity,
                code: "rule-name".to_string(),
                message,
                help,
                label,
                span: (start, end - start),
            };
            let (expected, drawn) = both(&text, &drawing, color);
            if let Some(drawn) = drawn {
                prop_assert_eq!(drawn, expected);
            }
        }
    }
}
