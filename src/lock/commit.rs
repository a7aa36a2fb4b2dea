//! The `commit-from-lock` fix: a VCS requirement of a requirements file on a branch or
//! tag is rewritten to the full commit that a lock beside it resolved that ref to
//! (`uv.lock` writes it after `#`, `poetry.lock` as `resolved_reference`), and the ref
//! is kept in a comment after the requirement.
//!
//! An unsafe fix (`--unsafe-fixes`): the branch may have moved since the lock was
//! written, so what gets installed can change. Made only when the lock's entry is the
//! same repository and asked for the same ref, and the requirement stands alone on its
//! line with nothing but a comment after it; otherwise the help says why.

use super::{Locks, ManifestLock};
use crate::manifest::{ManifestKind, Requirement};
use crate::policy::Finding;
use crate::policy::engine::Edit;
use crate::project::SourceFile;

/// The fix's name in rule files (`fix = "commit-from-lock"`).
pub const FIX_NAME: &str = "commit-from-lock";

/// Attach the fix to every finding of `file` whose rule names it.
pub fn attach_file_fixes(findings: &mut [Finding], file: &SourceFile, locks: &Locks) {
    super::attach_fixes_from_locks(findings, file, locks, FIX_NAME, |file, beside, req| {
        let (edit, commit, lock) = commit_from_lock(file, beside, req)?;
        Ok((
            edit,
            format!(
                "`pinwarden check --fix --unsafe-fixes` pins it to {commit}, the commit {lock} resolved it to, and keeps the ref in a comment."
            ),
        ))
    });
}

/// The edit, the commit and the lock it comes from; `Err(None)` when the fix does not
/// apply, `Err(Some(why))` when a lock is there but the fix cannot be made.
pub fn commit_from_lock(
    file: &SourceFile,
    locks: &[ManifestLock],
    req: &Requirement,
) -> Result<(Edit, String, String), Option<String>> {
    let (Some(name), Some(url)) = (req.name.as_deref(), req.url.as_deref()) else {
        return Err(None);
    };
    if file.manifest.kind != ManifestKind::Requirements || locks.is_empty() || url.vcs.is_none() {
        return Err(None);
    }
    let base = url.url.split('#').next().unwrap_or_default();
    let repository = match &url.rev {
        Some(rev) => base
            .strip_suffix(rev.as_str())
            .and_then(|b| b.strip_suffix('@')),
        None => Some(base),
    };
    let Some(repository) = repository else {
        return Err(None);
    };
    let canonical = crate::manifest::canonicalize_name(name);
    let found = locks.iter().find_map(|lock| {
        let file = lock.file.ok()?;
        file.get(&canonical).iter().find_map(|package| {
            let vcs = package.vcs.as_ref()?;
            let same = super::LockedVcs::same_repository(&vcs.url, repository)
                && vcs.requested.as_deref() == url.rev.as_deref();
            same.then(|| (vcs.commit.clone(), lock.path.display().to_string()))
        })
    });
    let Some((commit, lock)) = found else {
        let shown: Vec<String> = locks.iter().map(|l| l.path.display().to_string()).collect();
        return Err(Some(format!(
            "{} resolves no commit for this repository and ref: pin the commit by hand.",
            shown.join(", ")
        )));
    };
    let text = &file.manifest.text;
    let cannot = || {
        Some(format!(
            "{lock} resolved it to {commit}, but this line is not one the fix rewrites: pin it by hand."
        ))
    };
    // The URL as the parser read it, where it said.
    if text.get(url.span.clone()) != Some(url.url.as_str()) || url.span.end > req.span.end {
        return Err(cannot());
    }
    let ref_start = url.span.start + repository.len();
    let ref_end = url.span.start + base.len();
    let line_end = text[req.span.end..]
        .find('\n')
        .map_or(text.len(), |at| req.span.end + at);
    let rest = text[req.span.end..line_end]
        .trim_end_matches('\r')
        .trim_start();
    let written = &text[req.span.clone()];
    if written.contains(['\n', '\r', '\\']) || !(rest.is_empty() || rest.starts_with('#')) {
        return Err(cannot());
    }
    let kept = match &url.rev {
        Some(rev) => format!("  # {rev}"),
        None => "  # default branch".to_string(),
    };
    let edit = Edit {
        span: ref_start..req.span.end,
        replacement: format!("@{commit}{}{kept}", &text[ref_end..req.span.end]),
        unsafe_fix: true,
        relock: None,
        start: file.index.line_col(text, ref_start),
        end: file.index.line_col(text, req.span.end),
    };
    Ok((edit, commit, lock))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::lock::{LockFile, LockFormat, LockedVcs, Source};
    use crate::project::parse_text;

    const COMMIT: &str = "0d4f3c9b1e2a7f6d5c4b3a291807f6e5d4c3b2a1";

    fn fixed(text: &str, requested: Option<&str>) -> Result<String, Option<String>> {
        let file = parse_text(
            Path::new("requirements.txt"),
            ManifestKind::Requirements,
            Path::new("."),
            text.to_string(),
        );
        let mut lock = LockFile::new(LockFormat::Uv);
        lock.add("lib", Some("1.0"), Source::Reproducible("git".into()));
        lock.resolved(
            "lib",
            LockedVcs {
                url: "https://github.com/org/lib".into(),
                requested: requested.map(str::to_string),
                commit: COMMIT.into(),
            },
        );
        let locks = [ManifestLock {
            path: Path::new("uv.lock"),
            file: Ok(&lock),
        }];
        let req = file.manifest.requirements().next().unwrap();
        let (edit, _, _) = commit_from_lock(&file, &locks, req)?;
        assert!(edit.unsafe_fix);
        let mut out = text.to_string();
        out.replace_range(edit.span, &edit.replacement);
        Ok(out)
    }

    #[test]
    fn the_ref_becomes_the_commit_and_stays_in_a_comment() {
        assert_eq!(
            fixed(
                "lib @ git+https://github.com/org/lib.git@main\n",
                Some("main")
            )
            .unwrap(),
            format!("lib @ git+https://github.com/org/lib.git@{COMMIT}  # main\n")
        );
        assert_eq!(
            fixed(
                "git+https://github.com/org/lib@v1.2#egg=lib  # via app\r\n",
                Some("v1.2")
            )
            .unwrap(),
            format!("git+https://github.com/org/lib@{COMMIT}#egg=lib  # v1.2  # via app\r\n")
        );
        assert_eq!(
            fixed("-e git+https://github.com/org/lib#egg=lib\n", None).unwrap(),
            format!("-e git+https://github.com/org/lib@{COMMIT}#egg=lib  # default branch\n")
        );
    }

    #[test]
    fn another_ref_or_repository_is_not_taken() {
        let reason =
            |text: &str, requested| fixed(text, requested).unwrap_err().unwrap_or_default();
        assert!(
            reason("lib @ git+https://github.com/org/lib@dev\n", Some("main"))
                .contains("no commit")
        );
        assert!(
            reason(
                "lib @ git+https://github.com/other/lib@main\n",
                Some("main")
            )
            .contains("no commit")
        );
        assert!(
            reason(
                "lib @ git+https://github.com/org/lib@main --config-settings a=b\n",
                Some("main")
            )
            .contains("by hand")
        );
    }
}
