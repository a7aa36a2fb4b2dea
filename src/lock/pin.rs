//! The `pin-from-lock` fix: a requirement that allows more than one version (or any
//! version) is rewritten to the one version its lock file holds.
//!
//! Only the specifier is touched: its span is replaced, or for a bare name `==X` is
//! inserted after the name and extras, so markers, hashes, comments and line endings
//! stay as they were. Each edit is made only when the text at the span is exactly the
//! specifier or name the parser read, and only when the lock is unambiguous: one
//! version, from a package index, allowed by the specifier. Otherwise the finding keeps
//! no fix and its help says why.

use std::collections::HashMap;
use std::path::Path;

use super::admits::{admits, is_poetry};
use super::{Locked, Locks, ManifestLock};
use crate::manifest::{ManifestKind, Pin, Requirement, Span};
use crate::policy::Finding;
use crate::policy::engine::Edit;
use crate::project::SourceFile;

/// The fix's name in rule files (`fix = "pin-from-lock"`).
pub const FIX_NAME: &str = "pin-from-lock";

/// What the fix can do for one requirement.
#[derive(Debug, Clone, PartialEq)]
pub enum PinFromLock {
    /// Rewrite the specifier: the edit, the version, and the lock it comes from.
    Pin {
        edit: Edit,
        version: String,
        lock: String,
    },
    /// No lock applies to the manifest: the rule's own help says how to make one.
    NoLock,
    /// Not a requirement this fix is for (a URL, an exact pin, a nameless path).
    NotApplicable,
    /// A lock applies but gives no single version to write; the text says why.
    Cannot(String),
}

/// Attach an edit to every finding of a rule with `fix = "pin-from-lock"` whose
/// requirement the lock can pin, and explain in the help when it cannot.
pub fn attach_fixes(findings: &mut [Finding], files: &[SourceFile], locks: &Locks) {
    let by_path: HashMap<&Path, usize> = files
        .iter()
        .enumerate()
        .map(|(index, file)| (&*file.manifest.path, index))
        .collect();
    for finding in findings.iter_mut() {
        if let Some(&index) = by_path.get(&*finding.path) {
            attach_fix(finding, &files[index], &locks.for_file(index));
        }
    }
}

/// [`attach_fixes`] for the findings of one file, given the locks that apply to it.
pub fn attach_file_fixes(findings: &mut [Finding], file: &SourceFile, locks: &[ManifestLock]) {
    for finding in findings.iter_mut() {
        attach_fix(finding, file, locks);
    }
}

/// For a requirements file that no lock pins, the locks beside it (see
/// [`Locks::beside`]): a file exported from a lock (`uv export`, `poetry export`) takes
/// its versions back from it. Only where the lock holds the one version to write; a
/// requirement it does not know keeps the rule's own help, as the file may not come
/// from that lock. The lock was not resolved from the file, so no relock follows.
pub fn attach_exported_fixes(findings: &mut [Finding], file: &SourceFile, locks: &Locks) {
    if file.manifest.kind != ManifestKind::Requirements
        || !findings
            .iter()
            .any(|finding| finding.rule.fix.as_deref() == Some(FIX_NAME) && finding.fix.is_none())
    {
        return;
    }
    let beside = locks.beside(file);
    let beside = beside.get();
    if beside.is_empty() {
        return;
    }
    for finding in findings.iter_mut() {
        if finding.rule.fix.as_deref() != Some(FIX_NAME) || finding.fix.is_some() {
            continue;
        }
        let Some(req) = requirement_at(file, &finding.span) else {
            continue;
        };
        if let PinFromLock::Pin {
            mut edit,
            version,
            lock,
        } = pin_from_lock(file, &beside, req)
        {
            edit.relock = None;
            finding.help = Some(
                format!(
                    "`pinwarden check --fix` pins it to {version}, the version in {lock} beside it."
                )
                .into(),
            );
            finding.fix = Some(Box::new(edit));
        }
    }
}

fn attach_fix(finding: &mut Finding, file: &SourceFile, locks: &[ManifestLock]) {
    if finding.rule.fix.as_deref() != Some(FIX_NAME) {
        return;
    }
    let Some(req) = requirement_at(file, &finding.span) else {
        return;
    };
    match pin_from_lock(file, locks, req) {
        PinFromLock::Pin {
            edit,
            version,
            lock,
        } => {
            finding.help = Some(
                format!("`pinwarden check --fix` pins it to {version}, the version in {lock}.")
                    .into(),
            );
            finding.fix = Some(Box::new(edit));
        }
        PinFromLock::Cannot(reason) => {
            finding.help = Some(match finding.help.take() {
                Some(help) => format!("{help} {reason}").into(),
                None => reason.into(),
            });
        }
        PinFromLock::NoLock | PinFromLock::NotApplicable => {}
    }
}

/// The innermost requirement whose span holds `span`.
fn requirement_at<'a>(file: &'a SourceFile, span: &Span) -> Option<&'a Requirement> {
    file.manifest.requirement_at(span)
}

/// Work out the fix for one requirement of `file`, given the locks that apply to it.
pub fn pin_from_lock(file: &SourceFile, locks: &[ManifestLock], req: &Requirement) -> PinFromLock {
    let kind = file.manifest.kind;
    let Some(name) = req.name.as_deref() else {
        return PinFromLock::NotApplicable;
    };
    if !matches!(req.pin, Pin::Range | Pin::Wildcard | Pin::None) || req.url.is_some() {
        return PinFromLock::NotApplicable;
    }
    if locks.is_empty() {
        return PinFromLock::NoLock;
    }
    let locked = Locked::find(locks, &crate::manifest::canonicalize_name(name));
    let lock_list = locked.lock_list();
    if req.section.starts_with("build-system") {
        return PinFromLock::Cannot(format!(
            "Lock files ({lock_list}) do not cover build requirements: pin `{name}` by hand."
        ));
    }
    if let Some((source, lock)) = locked.direct {
        return PinFromLock::Cannot(format!(
            "{} installs `{name}` from {source}, not from a package index, so no version pin \
             would match it: use a direct reference instead.",
            lock.display()
        ));
    }
    // A yarn or pnpm lock lists every version of a package the tree holds: the one the
    // manifest resolved is the one its range allows, when only one does.
    let mut candidates = locked.versions.clone();
    if kind.is_npm() && candidates.len() > 1 {
        candidates.retain(|(version, _)| admits(kind, req, version) == Some(true));
        if candidates.is_empty() {
            candidates = locked.versions.clone();
        }
    }
    let (version, lock) = match candidates.as_slice() {
        [] => {
            return PinFromLock::Cannot(match locked.unreadable.first() {
                Some((path, why)) if locked.searched.is_empty() => {
                    format!("{} could not be read ({why}).", path.display())
                }
                _ => format!(
                    "{lock_list} has no version of `{name}`: run `{}`, then `pinwarden check --fix`.",
                    locked.relock_command()
                ),
            });
        }
        [(version, lock)] => (*version, *lock),
        _ if kind.is_npm() => {
            return PinFromLock::Cannot(format!(
                "{lock_list} holds several versions of `{name}` that `{}` allows ({}): pin \
                 the one this package uses by hand.",
                req.specifier,
                locked.version_list()
            ));
        }
        _ => {
            return PinFromLock::Cannot(format!(
                "{lock_list} holds several versions of `{name}` ({}) for different \
                 environments; pin each by hand under its own marker.",
                locked.version_list()
            ));
        }
    };
    let lock = lock.display().to_string();
    if admits(kind, req, version) != Some(true) {
        return PinFromLock::Cannot(format!(
            "{lock} has `{name}` {}, which `{}` does not allow: update the lock with `{}`.",
            version.text,
            req.specifier,
            locked.relock_command()
        ));
    }
    match edit_for(&file.manifest.text, kind, req, &version.text) {
        Some(mut edit) => {
            // Published library metadata: what the library's users install changes.
            edit.unsafe_fix = req.standing.published;
            let text = &file.manifest.text;
            edit.start = file.index.line_col(text, edit.span.start);
            edit.end = file.index.line_col(text, edit.span.end);
            edit.relock = relock_after_edit(&locked);
            PinFromLock::Pin {
                edit,
                version: version.text.clone(),
                lock,
            }
        }
        None => PinFromLock::Cannot(format!(
            "{lock} has `{name}` {}: pin it by hand, this entry is not written in a form the \
             fix rewrites.",
            version.text
        )),
    }
}

/// The command that refreshes the locks searched once a manifest they were resolved
/// from changes; `None` for pinned requirement files, which record no manifest.
fn relock_after_edit(locked: &Locked) -> Option<String> {
    let tool_locks = locked
        .searched
        .iter()
        .any(|(_, lock)| lock.format != super::LockFormat::Requirements);
    tool_locks.then(|| locked.relock_command())
}

/// The edit that pins `req` to `version`, if the text is where and what the parser
/// said it is.
fn edit_for(text: &str, kind: ManifestKind, req: &Requirement, version: &str) -> Option<Edit> {
    // A bare version is an exact pin in Poetry and npm; everywhere else it takes `==`.
    let replacement = if is_poetry(kind, req) || kind.is_npm() {
        version.to_string()
    } else {
        format!("=={version}")
    };
    if let Some(span) = &req.specifier_span {
        return (text.get(span.clone()) == Some(req.specifier.as_str())).then(|| Edit {
            span: span.clone(),
            replacement,
            unsafe_fix: false,
            relock: None,
            start: Default::default(),
            end: Default::default(),
        });
    }
    // A TOML table without a version key, or a Pipfile entry without one, has no
    // place to write a version without restructuring the entry.
    if matches!(kind, ManifestKind::Pipfile) || is_poetry(kind, req) {
        return None;
    }
    let name_span = req.name_span.clone()?;
    if text.get(name_span.clone()) != req.name.as_deref() || name_span.end > req.span.end {
        return None;
    }
    let at = after_extras(text, name_span.end, req.span.end)?;
    Some(Edit {
        span: at..at,
        replacement,
        unsafe_fix: false,
        relock: None,
        start: Default::default(),
        end: Default::default(),
    })
}

/// Where a version goes after a name: past `[extras]` when they follow.
fn after_extras(text: &str, name_end: usize, limit: usize) -> Option<usize> {
    let rest = text.get(name_end..limit)?;
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[gap..].starts_with('[') {
        let close = rest[gap..].find(']')?;
        return Some(name_end + gap + close + 1);
    }
    Some(name_end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lock::{LockFile, LockFormat, Source};
    use crate::manifest::pep508::{SpanMap, parse_requirement};
    use crate::manifest::{Encoding, Item};
    use crate::project::from_text;

    fn lock(entries: &[(&str, &str)]) -> LockFile {
        let mut lock = LockFile::new(LockFormat::Uv);
        for (name, version) in entries {
            if let Some(url) = version.strip_prefix("git+") {
                lock.add(name, Some("1.0"), Source::Direct(format!("git (`{url}`)")));
            } else {
                lock.add(name, Some(version), Source::Index);
            }
        }
        lock
    }

    /// A one-line requirements-style manifest holding `line`, parsed as PEP 508.
    fn file_with(line: &str, kind: ManifestKind) -> SourceFile {
        let req =
            parse_requirement(line, &SpanMap::contiguous(0, line.len()), "requirements").unwrap();
        from_text(
            Path::new("requirements.in"),
            kind,
            Path::new("."),
            true,
            line.to_string(),
            Encoding::Utf8,
            vec![Item::Requirement(req)],
        )
    }

    // A test helper: the error is the outcome to compare, however large.
    #[allow(clippy::result_large_err)]
    fn fixed(line: &str, lock_file: &LockFile) -> Result<String, PinFromLock> {
        let file = file_with(line, ManifestKind::Requirements);
        let locks = [ManifestLock {
            path: Path::new("uv.lock"),
            file: Ok(lock_file),
        }];
        let req = file.manifest.requirements().next().unwrap();
        match pin_from_lock(&file, &locks, req) {
            PinFromLock::Pin { edit, .. } => {
                let mut text = line.to_string();
                text.replace_range(edit.span, &edit.replacement);
                Ok(text)
            }
            other => Err(other),
        }
    }

    #[test]
    fn rewrites_only_the_specifier() {
        let lock = lock(&[
            ("flask", "3.0.3"),
            ("uvicorn", "0.30.1"),
            ("numpy", "1.26.4"),
        ]);
        assert_eq!(fixed("flask>=2.0", &lock).unwrap(), "flask==3.0.3");
        assert_eq!(
            fixed("Flask >= 2.0, <4 ; python_version < \"3.13\"", &lock).unwrap(),
            "Flask ==3.0.3 ; python_version < \"3.13\""
        );
        assert_eq!(fixed("flask", &lock).unwrap(), "flask==3.0.3");
        assert_eq!(
            fixed("uvicorn[standard]", &lock).unwrap(),
            "uvicorn[standard]==0.30.1"
        );
        assert_eq!(
            fixed("uvicorn [standard] ;python_version>='3.9'", &lock).unwrap(),
            "uvicorn [standard]==0.30.1 ;python_version>='3.9'"
        );
        assert_eq!(fixed("numpy==1.*", &lock).unwrap(), "numpy==1.26.4");
        assert_eq!(fixed("numpy (>=1.20)", &lock).unwrap(), "numpy (==1.26.4)");
    }

    #[test]
    fn declines_with_a_reason() {
        let lock = lock(&[("flask", "3.0.3"), ("numpy", "1.24.4"), ("mylib", "git+x")]);
        let mut forked = lock.clone();
        forked.add("numpy", Some("2.1.3"), Source::Index);
        let reason = |line: &str, lock: &LockFile| match fixed(line, lock) {
            Err(PinFromLock::Cannot(reason)) => reason,
            other => panic!("{line}: {other:?}"),
        };
        assert!(reason("numpy>=1.20", &forked).contains("several versions"));
        assert!(reason("numpy>=1.20", &forked).contains("1.24.4, 2.1.3"));
        assert!(reason("flask<3", &lock).contains("does not allow"));
        assert!(reason("requests>=2", &lock).contains("run `uv lock`"));
        assert!(reason("mylib", &lock).contains("not from a package index"));
        assert_eq!(
            fixed("flask==3.0.3", &lock),
            Err(PinFromLock::NotApplicable)
        );
    }

    #[test]
    fn no_lock_leaves_the_finding_alone() {
        let file = file_with("flask>=2", ManifestKind::Requirements);
        let req = file.manifest.requirements().next().unwrap();
        assert_eq!(pin_from_lock(&file, &[], req), PinFromLock::NoLock);
    }

    #[test]
    fn a_span_that_does_not_hold_the_specifier_is_not_edited() {
        let lock = lock(&[("flask", "3.0.3")]);
        let mut file = file_with("flask>=2", ManifestKind::Requirements);
        // The text changed under the parsed items: the edit must not be made.
        file.manifest.text = "flask>=3".to_string();
        let locks = [ManifestLock {
            path: Path::new("uv.lock"),
            file: Ok(&lock),
        }];
        let req = file.manifest.requirements().next().unwrap().clone();
        assert!(matches!(
            pin_from_lock(&file, &locks, &req),
            PinFromLock::Cannot(_)
        ));
    }
}
