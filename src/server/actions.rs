//! Code actions: apply a finding's fix, add a `pinwarden: ignore[rule]` directive for
//! it, and apply every safe fix of the file at once.
//!
//! A directive is written where [`crate::suppress`] reads it for the file's family:
//! added to a directive already on the line, else as a trailing comment, else as a
//! comment line above. Each candidate edit is checked by reading the edited text's
//! directives back, so one that lands inside a string, a YAML block scalar or a
//! continued line (where it would not be a comment) is never offered.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, TextEdit, Uri, WorkspaceEdit,
};

use super::transport::survives_cleaning;
use super::{Linted, diagnostic};
use crate::manifest::{Item, ManifestKind, Span};
use crate::policy::Finding;
use crate::policy::engine::Edit;
use crate::suppress;

/// The kind of the action that applies every fix of a file.
pub fn fix_all_kind() -> CodeActionKind {
    CodeActionKind::new("source.fixAll.pinwarden")
}

/// The actions for the findings in the requested range, and the file's fix-all.
pub fn code_actions(
    uri: &Uri,
    linted: &Linted,
    params: &CodeActionParams,
) -> Vec<CodeActionOrCommand> {
    let wanted = |kind: &CodeActionKind| match &params.context.only {
        None => true,
        Some(only) => only.iter().any(|asked| {
            kind.as_str() == asked.as_str()
                || kind.as_str().starts_with(&format!("{}.", asked.as_str()))
        }),
    };
    // Whole lines: a cursor anywhere on a flagged line is offered its actions.
    let asked = linted.text.span(params.range);
    let index = &linted.text.index;
    let asked = index.line_start(index.line_of(asked.start))
        ..index
            .line_span(&linted.text.text, index.line_of(asked.end))
            .end;
    let mut out = Vec::new();
    if wanted(&CodeActionKind::QUICKFIX) {
        for finding in linted.findings() {
            let span = linted.buffer_span(&finding.span);
            if span.start > asked.end || asked.start > span.end {
                continue;
            }
            if let Some(edit) = &finding.fix
                && let Some(action) = fix_action(uri, linted, finding, edit)
            {
                out.push(CodeActionOrCommand::CodeAction(action));
            }
            if let Some(action) = ignore_action(uri, linted, finding) {
                out.push(CodeActionOrCommand::CodeAction(action));
            }
        }
    }
    let quick_fixes = !out.is_empty();
    if let Some(mut action) = fix_all(uri, linted) {
        if wanted(&fix_all_kind()) {
            out.push(CodeActionOrCommand::CodeAction(action.clone()));
        }
        // Also offered beside the quick fixes, where most editors list actions.
        if wanted(&CodeActionKind::QUICKFIX) && quick_fixes {
            action.kind = Some(CodeActionKind::QUICKFIX);
            out.push(CodeActionOrCommand::CodeAction(action));
        }
    }
    out
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn text_edit(linted: &Linted, span: &Span, replacement: &str) -> Option<TextEdit> {
    // An edit whose text the output masking would change is not offered.
    survives_cleaning(replacement).then(|| TextEdit {
        range: linted.text.range(&linted.buffer_span(span)),
        new_text: replacement.to_string(),
    })
}

fn fix_action(uri: &Uri, linted: &Linted, finding: &Finding, edit: &Edit) -> Option<CodeAction> {
    let edit_text = text_edit(linted, &edit.span, &edit.replacement)?;
    let mut title = format!("Fix `{}`: write `{}`", finding.rule.name, edit.replacement);
    if edit.unsafe_fix {
        title.push_str(" (unsafe: changes what the package's users install)");
    }
    if let Some(relock) = &edit.relock {
        title.push_str(&format!(", then run `{relock}`"));
    }
    Some(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(linted, finding)]),
        edit: Some(workspace_edit(uri, vec![edit_text])),
        is_preferred: Some(!edit.unsafe_fix),
        ..Default::default()
    })
}

/// Every safe fix of the file, as `check --fix` applies them: an edit that overlaps
/// another is left out.
fn fix_all(uri: &Uri, linted: &Linted) -> Option<CodeAction> {
    let mut edits: Vec<&Edit> = linted
        .findings()
        .filter_map(|finding| finding.fix.as_deref())
        .filter(|edit| !edit.unsafe_fix)
        .collect();
    edits.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.replacement).cmp(&(b.span.start, b.span.end, &b.replacement))
    });
    edits.dedup();
    let mut kept: Vec<&Edit> = Vec::new();
    for edit in edits {
        let overlaps = kept.last().is_some_and(|last| {
            edit.span.start < last.span.end || (edit.span.is_empty() && last.span == edit.span)
        });
        if !overlaps {
            kept.push(edit);
        }
    }
    let text_edits: Vec<TextEdit> = kept
        .iter()
        .filter_map(|edit| text_edit(linted, &edit.span, &edit.replacement))
        .collect();
    if text_edits.is_empty() {
        return None;
    }
    Some(CodeAction {
        title: format!(
            "Fix all pinwarden findings in this file ({})",
            text_edits.len()
        ),
        kind: Some(fix_all_kind()),
        edit: Some(workspace_edit(uri, text_edits)),
        ..Default::default()
    })
}

fn ignore_action(uri: &Uri, linted: &Linted, finding: &Finding) -> Option<CodeAction> {
    let (span, insert) = ignore_edit(linted, finding)?;
    let edit = text_edit(linted, &span, &insert)?;
    Some(CodeAction {
        title: format!("Ignore `{}` here (pinwarden: ignore)", finding.rule.name),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic(linted, finding)]),
        edit: Some(workspace_edit(uri, vec![edit])),
        ..Default::default()
    })
}

/// Where to write `pinwarden: ignore[rule]` for `finding`, in the linted text (after
/// any byte-order mark): the insertion point and what to insert.
pub fn ignore_edit(linted: &Linted, finding: &Finding) -> Option<(Span, String)> {
    let file = linted.outcome.file(&finding.path)?;
    let (kind, text, index) = (file.manifest.kind, &file.manifest.text, &file.index);
    let rule = &finding.rule.name;
    let line = index.line_of(finding.span.start);
    let line_span = index.line_span(text, line);
    let line_text = &text[line_span.clone()];
    let continued = |text: &str| text.trim_end().ends_with('\\');
    let mut candidates: Vec<(Span, String, usize)> = Vec::new();
    // A directive with brackets already on the line: the rule joins its list.
    for directive in suppress::directives(kind, text) {
        if directive.invalid.is_none()
            && directive.selectors.is_some()
            && line_span.contains(&directive.span.start)
            && text[..directive.span.end].ends_with(']')
        {
            let at = directive.span.end - 1;
            candidates.push((at..at, format!(", {rule}"), line));
        }
    }
    // A Dockerfile's `#` after an instruction is part of its arguments, not a comment.
    if kind != ManifestKind::Dockerfile && !continued(line_text) {
        let end = line_span.end;
        candidates.push((end..end, format!("  # pinwarden: ignore[{rule}]"), line));
    }
    let previous_continues = line > 0
        && continued(&text[index.line_span(text, line - 1)])
        && kind != ManifestKind::Dockerfile;
    if !previous_continues {
        let indent: String = line_text
            .chars()
            .take_while(|c| matches!(c, ' ' | '\t'))
            .collect();
        let newline = if text[line_span.end..].starts_with("\r\n") {
            "\r\n"
        } else {
            "\n"
        };
        let start = line_span.start;
        candidates.push((
            start..start,
            format!("{indent}# pinwarden: ignore[{rule}]{newline}"),
            line + 1,
        ));
    }
    let errors_before = parse_errors(kind, text);
    candidates
        .into_iter()
        .find_map(|(span, insert, covered_line)| {
            let mut edited = text.clone();
            edited.replace_range(span.clone(), &insert);
            let suppresses = suppress::directives(kind, &edited).iter().any(|directive| {
                directive.invalid.is_none()
                    && directive.lines.contains(&(covered_line + 1))
                    && directive
                        .selectors
                        .as_ref()
                        .is_some_and(|selectors| selectors.iter().any(|(name, _)| name == rule))
            });
            (suppresses && parse_errors(kind, &edited) <= errors_before).then_some((span, insert))
        })
}

fn parse_errors(kind: ManifestKind, text: &str) -> usize {
    crate::manifest::parse(kind, text)
        .iter()
        .filter(|item| matches!(item, Item::ParseError(_)))
        .count()
}
