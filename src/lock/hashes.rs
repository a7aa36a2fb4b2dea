//! The `hashes-from-lock` fix: an exact pin in a requirements file without `--hash`
//! takes the hashes that a lock beside it records for that version, laid out as
//! `pip-compile --generate-hashes` writes them (one `--hash` per continuation line,
//! indented four spaces).
//!
//! A safe fix: it changes nothing that gets installed, only adds the check that what is
//! downloaded is what the lock recorded. The lines are inserted after the requirement,
//! before any comment on its line; the requirement itself is not touched. Made only
//! for a requirement that stands alone on its line, pinned to one version that a lock
//! beside the file holds from a package index with hashes; otherwise the help says why.

use std::str::FromStr;

use uv_pep440::Version;

use super::{Locks, ManifestLock, Source};
use crate::manifest::{ManifestKind, Pin, Requirement, admitted};
use crate::policy::Finding;
use crate::policy::engine::Edit;
use crate::project::SourceFile;

/// The fix's name in rule files (`fix = "hashes-from-lock"`).
pub const FIX_NAME: &str = "hashes-from-lock";

/// Attach the fix to every finding of `file` whose rule names it.
pub fn attach_file_fixes(findings: &mut [Finding], file: &SourceFile, locks: &Locks) {
    super::attach_fixes_from_locks(findings, file, locks, FIX_NAME, |file, beside, req| {
        let HashFix { edit, count, lock } = hashes_from_lock(file, beside, req)?;
        Ok((
            edit,
            format!(
                "`pinwarden check --fix` adds the {count} {} that {lock} records for this version.",
                if count == 1 { "hash" } else { "hashes" }
            ),
        ))
    });
}

/// The edit that adds a requirement's hashes, and where they come from.
#[derive(Debug, Clone, PartialEq)]
pub struct HashFix {
    pub edit: Edit,
    pub count: usize,
    pub lock: String,
}

/// Work out the fix for `req`: `Err(None)` when it does not apply (no lock beside
/// the file, not a requirements file), `Err(Some(why))` when a lock is there but the
/// fix cannot be made.
pub fn hashes_from_lock(
    file: &SourceFile,
    locks: &[ManifestLock],
    req: &Requirement,
) -> Result<HashFix, Option<String>> {
    let kind = file.manifest.kind;
    let Some(name) = req.name.as_deref() else {
        return Err(None);
    };
    if kind != ManifestKind::Requirements || locks.is_empty() || req.url.is_some() {
        return Err(None);
    }
    let version = match req.pin {
        Pin::Exact => admitted::exact_version(kind, req),
        _ => None,
    };
    let Some(version) = version.and_then(|v| Version::from_str(&v).ok()) else {
        return Err(Some(format!(
            "Hashes verify the files of one version: pin `{name}` with `==` first, then `pinwarden check --fix` adds them."
        )));
    };
    let canonical = crate::manifest::canonicalize_name(name);
    let mut hashes: Vec<&str> = Vec::new();
    let mut from: Vec<String> = Vec::new();
    for lock in locks {
        let Ok(file) = lock.file else {
            continue;
        };
        for package in file.get(&canonical) {
            let same = package
                .version
                .as_ref()
                .is_some_and(|locked| locked.parsed == version);
            if same && package.source == Source::Index && !package.hashes.is_empty() {
                hashes.extend(package.hashes.iter().map(String::as_str));
                let shown = lock.path.display().to_string();
                if !from.contains(&shown) {
                    from.push(shown);
                }
            }
        }
    }
    hashes.sort_unstable();
    hashes.dedup();
    let locks_shown = locks
        .iter()
        .map(|lock| lock.path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if hashes.is_empty() {
        return Err(Some(format!(
            "{locks_shown} records no hashes of `{name}` {version} from a package index: add them by hand or with `uv pip compile --generate-hashes`."
        )));
    }
    let text = &file.manifest.text;
    let Some(at) = insertion_point(text, req) else {
        return Err(Some(format!(
            "{} records the hashes of `{name}` {version}, but this line is not one the fix rewrites (a continuation or an option after the requirement): add them by hand.",
            from.join(", ")
        )));
    };
    let newline = if line_ending_is_crlf(text, at) {
        "\r\n"
    } else {
        "\n"
    };
    let replacement: String = hashes
        .iter()
        .map(|hash| format!(" \\{newline}    --hash={hash}"))
        .collect();
    let edit = Edit {
        span: at..at,
        replacement,
        unsafe_fix: false,
        relock: None,
        start: file.index.line_col(text, at),
        end: file.index.line_col(text, at),
    };
    Ok(HashFix {
        edit,
        count: hashes.len(),
        lock: from.join(", "),
    })
}

/// Whether the line holding `at` ends with CRLF; for a last line without an end, whether
/// the file's lines do.
fn line_ending_is_crlf(text: &str, at: usize) -> bool {
    match text[at..].find('\n') {
        Some(end) => end > 0 && text.as_bytes()[at + end - 1] == b'\r',
        None => text.contains("\r\n"),
    }
}

/// Where the hash lines go: right after the requirement, when it starts its line (not
/// a continuation), fits on it, and is followed by nothing but blanks and a comment.
fn insertion_point(text: &str, req: &Requirement) -> Option<usize> {
    let span = req.span.clone();
    let written = text.get(span.clone())?;
    if written.contains(['\n', '\r', '\\']) {
        return None;
    }
    let line_start = text[..span.start].rfind('\n').map_or(0, |at| at + 1);
    if !text[line_start..span.start].trim().is_empty() {
        return None;
    }
    // A continuation of the line before.
    if line_start > 0 {
        let before = text[..line_start - 1].trim_end_matches('\r');
        let previous = &before[before.rfind('\n').map_or(0, |at| at + 1)..];
        if previous.ends_with('\\') && !previous.trim_start().starts_with('#') {
            return None;
        }
    }
    let line_end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |at| span.end + at);
    let rest = text[span.end..line_end].trim_end_matches('\r').trim_start();
    (rest.is_empty() || rest.starts_with('#')).then_some(span.end)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::lock::{LockFile, LockFormat};
    use crate::project::parse_text;

    const A: &str = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn lock() -> LockFile {
        let mut lock = LockFile::new(LockFormat::Uv);
        lock.add_hashed(
            "requests",
            Some("2.32.3"),
            Source::Index,
            vec![B.into(), A.into(), "md5:00".into()],
        );
        lock.add_hashed("flask", Some("3.0.3"), Source::Index, Vec::new());
        lock
    }

    fn fixed(text: &str) -> Result<String, Option<String>> {
        let file = parse_text(
            Path::new("requirements.txt"),
            ManifestKind::Requirements,
            Path::new("."),
            text.to_string(),
        );
        let lock = lock();
        let locks = [ManifestLock {
            path: Path::new("uv.lock"),
            file: Ok(&lock),
        }];
        let req = file.manifest.requirements().next().unwrap();
        let fix = hashes_from_lock(&file, &locks, req)?;
        let mut out = text.to_string();
        out.replace_range(fix.edit.span, &fix.edit.replacement);
        Ok(out)
    }

    #[test]
    fn hashes_are_laid_out_as_pip_compile_writes_them() {
        assert_eq!(
            fixed("requests==2.32.3\n").unwrap(),
            format!("requests==2.32.3 \\\n    --hash={A} \\\n    --hash={B}\n")
        );
        assert_eq!(
            fixed("requests==2.32.3  # via app\r\nflask==3.0.3\r\n").unwrap(),
            format!(
                "requests==2.32.3 \\\r\n    --hash={A} \\\r\n    --hash={B}  # via app\r\nflask==3.0.3\r\n"
            )
        );
        assert_eq!(
            fixed("Requests == 2.32.3 ; python_version >= '3.8'").unwrap(),
            format!(
                "Requests == 2.32.3 ; python_version >= '3.8' \\\n    --hash={A} \\\n    --hash={B}"
            )
        );
    }

    #[test]
    fn declines_with_a_reason() {
        let reason = |text: &str| fixed(text).unwrap_err().unwrap_or_default();
        assert!(reason("requests>=2\n").contains("pin `requests` with `==` first"));
        assert!(reason("requests==2.31.0\n").contains("no hashes of `requests` 2.31.0"));
        assert!(reason("flask==3.0.3\n").contains("no hashes of `flask` 3.0.3"));
        assert!(reason("requests==2.32.3 --config-settings a=b\n").contains("by hand"));
    }
}
