//! Applying fixes: the edits attached to findings, previewed as a unified diff or
//! written back.
//!
//! Edits are applied to the text the findings were computed from, sorted, each at
//! most once; one that overlaps another is left out rather than guessed at. A file is
//! written only when its text changes, only if it is still byte for byte what was
//! checked, in the encoding it was read in, through a temporary file in the same
//! directory renamed over it, so a crash never leaves half a manifest.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::Outcome;
use crate::manifest::Encoding;
use crate::manifest::text::{decode, encode};
use crate::policy::engine::Edit;

/// The fixed text of one file.
#[derive(Debug, Clone)]
pub struct FileFix {
    pub path: PathBuf,
    pub encoding: Encoding,
    pub before: String,
    pub after: String,
    /// Findings whose edit is in `after`.
    pub fixed: usize,
    /// Commands that refresh the locks this file's changes make stale (`uv lock`).
    pub relock: Vec<String>,
}

/// Every file a run would change.
#[derive(Debug, Default)]
pub struct FixPlan {
    pub files: Vec<FileFix>,
    /// Edits left out because they overlap another edit or do not fit the text.
    pub skipped: usize,
    /// Unsafe edits left out because `--unsafe-fixes` was not given.
    pub unsafe_skipped: usize,
}

/// A file that could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixError {
    pub path: PathBuf,
    pub message: String,
}

/// The result of [`apply_edits`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub text: String,
    /// Edits in the output (an edit given twice counts twice).
    pub applied: usize,
    pub skipped: usize,
}

/// Apply `edits` to `text`. Identical edits are made once; an edit that overlaps an
/// earlier one (by position), runs past the end, or splits a character is skipped.
pub fn apply_edits(text: &str, edits: &[Edit]) -> Applied {
    let mut sorted: Vec<&Edit> = edits.iter().collect();
    sorted.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.replacement).cmp(&(b.span.start, b.span.end, &b.replacement))
    });
    let mut out = String::with_capacity(text.len() + 16 * edits.len());
    let mut copied_to = 0;
    let mut last: Option<&Edit> = None;
    let (mut applied, mut skipped) = (0, 0);
    for edit in sorted {
        if last.is_some_and(|last| last == edit) {
            applied += 1;
            continue;
        }
        let fits = edit.span.start <= edit.span.end
            && text.is_char_boundary(edit.span.start)
            && text.is_char_boundary(edit.span.end)
            && edit.span.end <= text.len();
        // Two different insertions at one point have no right order: keep the first.
        let overlaps = last.is_some_and(|last| {
            edit.span.start < last.span.end || (edit.span.is_empty() && last.span == edit.span)
        });
        if !fits || overlaps {
            skipped += 1;
            continue;
        }
        out.push_str(&text[copied_to..edit.span.start]);
        out.push_str(&edit.replacement);
        copied_to = edit.span.end;
        applied += 1;
        last = Some(edit);
    }
    out.push_str(&text[copied_to..]);
    Applied {
        text: out,
        applied,
        skipped,
    }
}

/// The fixes of a checked run: every file with findings that carry an edit.
pub fn plan(outcome: &Outcome) -> FixPlan {
    plan_with(outcome, false)
}

/// [`plan`], with the unsafe edits too when `unsafe_fixes` is set (`--unsafe-fixes`).
pub fn plan_with(outcome: &Outcome, unsafe_fixes: bool) -> FixPlan {
    let mut by_path: BTreeMap<&Path, Vec<Edit>> = BTreeMap::new();
    let mut plan = FixPlan::default();
    for finding in &outcome.findings {
        if let Some(edit) = &finding.fix {
            if edit.unsafe_fix && !unsafe_fixes {
                plan.unsafe_skipped += 1;
                continue;
            }
            by_path
                .entry(&*finding.path)
                .or_default()
                .push((**edit).clone());
        }
    }
    for (path, edits) in by_path {
        let Some(file) = outcome.file(path) else {
            plan.skipped += edits.len();
            continue;
        };
        let applied = apply_edits(&file.manifest.text, &edits);
        plan.skipped += applied.skipped;
        if applied.text != file.manifest.text {
            let mut relock: Vec<String> = edits.iter().filter_map(|e| e.relock.clone()).collect();
            relock.sort();
            relock.dedup();
            plan.files.push(FileFix {
                path: path.to_path_buf(),
                encoding: file.manifest.encoding,
                before: file.manifest.text.clone(),
                after: applied.text,
                fixed: applied.applied,
                relock,
            });
        }
    }
    plan
}

impl FixPlan {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Findings fixed across all files.
    pub fn fixed(&self) -> usize {
        self.files.iter().map(|f| f.fixed).sum()
    }

    /// A unified diff of every change, file by file.
    pub fn diff(&self) -> String {
        self.files.iter().map(FileFix::diff).collect()
    }

    /// Write every changed file; the files that could not be written are returned.
    pub fn write(&self) -> Vec<FixError> {
        self.files
            .iter()
            .filter_map(|fix| {
                fix.write().err().map(|message| FixError {
                    path: fix.path.clone(),
                    message,
                })
            })
            .collect()
    }
}

impl FileFix {
    pub fn diff(&self) -> String {
        let path = self.path.display().to_string();
        let diff = similar::TextDiff::from_lines(&self.before, &self.after);
        let mut out = diff
            .unified_diff()
            .context_radius(3)
            .header(&path, &path)
            .to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out
    }

    /// Write the fixed text, if the file on disk is still the text that was checked.
    pub fn write(&self) -> Result<(), String> {
        let bytes = crate::project::read_capped(&self.path, None, |_| {})
            .map_err(|_| "it cannot be read again; not fixed".to_string())?;
        match decode(&bytes) {
            Ok((text, encoding)) if text == self.before && encoding == self.encoding => {}
            _ => return Err("it changed since it was checked; not fixed".into()),
        }
        // Write through a symbolic link to the file it names, keeping the link, but
        // only to a file inside the same tree: a link committed in a pull request may
        // point anywhere on the machine that runs the fix.
        let target = std::fs::canonicalize(&self.path).map_err(|e| e.to_string())?;
        let is_link = std::fs::symlink_metadata(&self.path).is_ok_and(|m| m.is_symlink());
        let tree = if is_link { tree_of(&self.path) } else { None };
        if is_link && !tree.as_deref().is_some_and(|tree| target.starts_with(tree)) {
            return Err(format!(
                "it leads to {}, outside {}; not fixed",
                target.display(),
                tree.as_deref()
                    .map_or_else(|| "the tree".to_string(), |t| t.display().to_string())
            ));
        }
        write_atomic(&target, &encode(&self.after, self.encoding)).map_err(|e| e.to_string())
    }
}

/// The tree a link belongs to: its repository's top (the directory holding `.git`),
/// or outside any repository the link's own directory; canonical.
fn tree_of(link: &Path) -> Option<PathBuf> {
    let parent = match link.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let dir = std::fs::canonicalize(parent).ok()?;
    let top = dir.ancestors().find(|dir| dir.join(".git").exists());
    Some(top.map_or(dir.clone(), Path::to_path_buf))
}

/// Replace `path` with `bytes` without ever leaving half a file: write a temporary
/// file next to it, sync it, give it the original's permissions, then rename it over
/// the original. A read-only file is refused. A file with other hard links, or owned
/// by another user, keeps its inode (and so its links and owner): it is rewritten in
/// place, after the whole new text is ready.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let existing = std::fs::metadata(path).ok();
    if let Some(metadata) = &existing {
        if metadata.permissions().readonly() {
            return Err(std::io::Error::other("the file is read-only; not changed"));
        }
        if keeps_its_inode(metadata) {
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(path)?;
            file.write_all(bytes)?;
            return file.sync_all();
        }
    }
    let permissions = existing.map(|m| m.permissions());
    let mut temp = tempfile::Builder::new()
        .prefix(".pinwarden-fix")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        temp.as_file().set_permissions(permissions)?;
    }
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Whether replacing the file by a rename would split a hard link or change its owner.
#[cfg(target_os = "linux")]
fn keeps_its_inode(metadata: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    metadata.nlink() > 1 || metadata.uid() != rustix::process::geteuid().as_raw()
}

#[cfg(not(target_os = "linux"))]
fn keeps_its_inode(_: &std::fs::Metadata) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: std::ops::Range<usize>, replacement: &str) -> Edit {
        Edit {
            span,
            replacement: replacement.to_string(),
            unsafe_fix: false,
            relock: None,
            start: Default::default(),
            end: Default::default(),
        }
    }

    #[test]
    fn edits_apply_in_position_order() {
        let text = "a>=1\r\nb\r\n";
        let applied = apply_edits(text, &[edit(7..7, "==2"), edit(1..4, "==1.5")]);
        assert_eq!(applied.text, "a==1.5\r\nb==2\r\n");
        assert_eq!((applied.applied, applied.skipped), (2, 0));
    }

    #[test]
    fn duplicates_once_overlaps_never() {
        let text = "flask>=2 # web";
        let same = edit(5..8, "==3.0.3");
        let applied = apply_edits(text, &[same.clone(), same, edit(6..8, "=9")]);
        assert_eq!(applied.text, "flask==3.0.3 # web");
        assert_eq!((applied.applied, applied.skipped), (2, 1));
        let inserts = apply_edits("x", &[edit(1..1, "==1"), edit(1..1, "==2")]);
        assert_eq!((inserts.text.as_str(), inserts.skipped), ("x==1", 1));
    }

    #[test]
    fn edits_outside_the_text_or_inside_a_character_are_skipped() {
        let applied = apply_edits("é>=1", &[edit(1..2, "x"), edit(3..40, "y")]);
        assert_eq!(applied.text, "é>=1");
        assert_eq!(applied.skipped, 2);
    }

    #[test]
    fn atomic_write_keeps_permissions_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.in");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_file_changed_since_the_check_is_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.in");
        std::fs::write(&path, "flask>=3\n").unwrap();
        let fix = FileFix {
            path: path.clone(),
            encoding: Encoding::Utf8,
            before: "flask>=2\n".into(),
            after: "flask==3.0.3\n".into(),
            fixed: 1,
            relock: Vec::new(),
        };
        assert!(fix.write().unwrap_err().contains("changed"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "flask>=3\n");
    }

    #[test]
    fn utf16_files_are_written_back_as_utf16() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requirements.txt");
        std::fs::write(&path, encode("flask>=2\r\n", Encoding::Utf16Le)).unwrap();
        let fix = FileFix {
            path: path.clone(),
            encoding: Encoding::Utf16Le,
            before: "flask>=2\r\n".into(),
            after: "flask==3.0.3\r\n".into(),
            fixed: 1,
            relock: Vec::new(),
        };
        fix.write().unwrap();
        let (text, encoding) = decode(&std::fs::read(&path).unwrap()).unwrap();
        assert_eq!(
            (text.as_str(), encoding),
            ("flask==3.0.3\r\n", Encoding::Utf16Le)
        );
    }

    #[test]
    fn diff_is_unified() {
        let fix = FileFix {
            path: PathBuf::from("app/requirements.in"),
            encoding: Encoding::Utf8,
            before: "django>=4.2\nflask==3.0.3\n".into(),
            after: "django==4.2.16\nflask==3.0.3\n".into(),
            fixed: 1,
            relock: Vec::new(),
        };
        let diff = fix.diff();
        assert!(diff.starts_with("--- app/requirements.in\n+++ app/requirements.in\n@@"));
        assert!(diff.contains("\n-django>=4.2\n+django==4.2.16\n flask==3.0.3\n"));
    }
}
