//! Errors that stop a run (exit code 2): bad configuration or rule files, unreadable
//! arguments. Findings about the linted files are never errors of this kind.

use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};

use crate::manifest::Span;

/// A configuration or rule file problem, with a span into that file when known.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    pub message: String,
    pub span: Option<Span>,
    text: String,
}

impl ConfigError {
    pub fn new(path: &Path, text: &str, span: Option<Span>, message: String) -> Self {
        let span = span.map(|s| crate::manifest::text::clamp_span(text, s));
        ConfigError {
            path: path.to_path_buf(),
            message,
            span,
            text: text.to_string(),
        }
    }

    /// 1-based line and column of the error, when it has a span.
    pub fn position(&self) -> Option<crate::manifest::text::LineCol> {
        let span = self.span.as_ref()?;
        let index = crate::manifest::text::LineIndex::new(&self.text);
        Some(index.line_col(&self.text, span.start))
    }
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position() {
            Some(pos) => write!(
                f,
                "{}:{}:{}: {}",
                self.path.display(),
                pos.line,
                pos.column,
                self.message
            ),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("pinwarden::config"))
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span.clone()?;
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some("here".into()), SourceSpan::from(span)),
        )))
    }
}

impl ConfigError {
    /// The error drawn as the human report draws findings: `color` and `width` as it
    /// has them. The file's own control characters are neutralized first.
    pub fn render(&self, color: bool, width: Option<usize>) -> String {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        let mut handler = miette::GraphicalReportHandler::new_themed(theme).with_links(false);
        if let Some(width) = width {
            handler = handler.with_width(width);
        }
        let mut safe = self.clone();
        safe.text = crate::safe_output::neutralize_controls(&self.text).into_owned();
        safe.message = crate::safe_output::clean_text(&self.message).into_owned();
        let report = safe.to_report();
        let mut out = String::new();
        if handler.render_report(&mut out, report.as_ref()).is_err() {
            out = format!("{safe}\n");
        }
        out
    }

    /// A miette report of this error with the file named.
    pub fn to_report(&self) -> miette::Report {
        let report = miette::Report::new(self.clone());
        if self.span.is_some() {
            report.with_source_code(NamedSource::new(
                self.path.display().to_string(),
                self.text.clone(),
            ))
        } else {
            report
        }
    }
}

impl std::error::Error for ConfigError {}
