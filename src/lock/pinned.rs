//! A lock is a pin: a requirement that allows several versions in its manifest is
//! pinned all the same when a lock that applies to the manifest (see
//! [`Locks`](super::Locks)) resolves it from a package index to versions its
//! specifier allows. That is how uv, Poetry, PDM and pipenv projects pin: ranges in
//! the manifest, one version in the lock. A lock that does not list the project, or is
//! stale against the manifest (`lock-drift`), pins nothing.

use super::admits::admits;
use super::{Locked, ManifestLock};
use crate::manifest::{Item, Pin, PinnedBy};
use crate::project::SourceFile;

/// Whether any requirement of `file` could be pinned by a lock: only then are its
/// locks read.
pub fn wants_locks(file: &SourceFile) -> bool {
    file.manifest.requirements().any(could_be_locked)
}

fn could_be_locked(req: &crate::manifest::Requirement) -> bool {
    let version_range =
        matches!(req.pin, Pin::Range | Pin::Wildcard | Pin::None) && req.url.is_none();
    // A VCS requirement on a branch or tag, which the lock may resolve to a commit.
    let vcs_ref = req.pin == Pin::VcsRef;
    (version_range || vcs_ref) && !req.editable && req.standing.pinned_by.is_none()
}

/// Mark each requirement of `file` that `locks` pin with [`PinnedBy::Lock`].
pub fn mark_locked(file: &mut SourceFile, locks: &[ManifestLock]) {
    if locks.iter().all(|lock| lock.file.is_err()) {
        return;
    }
    let kind = file.manifest.kind;
    for item in &mut file.manifest.items {
        let Item::Requirement(req) = item else {
            continue;
        };
        if !could_be_locked(req) {
            continue;
        }
        let Some(name) = req.canonical_name() else {
            continue;
        };
        let covering = super::covering(locks, kind, &req.section);
        let locked = Locked::find(&covering, &name);
        // A lock that forked by environment holds one version per fork; the ones this
        // specifier does not allow belong to other forks (a stale lock allows none of
        // them: `lock-drift`).
        let versions_allowed = locked.versions.is_empty()
            || locked
                .versions
                .iter()
                .any(|(version, _)| admits(kind, req, version) == Some(true));
        let from_index = locked.direct.is_none() && !locked.versions.is_empty();
        // A workspace member, a path of the checkout or a git commit the lock resolved.
        let reproducible = locked.direct.is_some() && locked.direct_reproducible;
        // A constraint on a project the lock does not install constrains nothing.
        let inert_constraint =
            is_constraint(&req.section) && !covering.is_empty() && !locked.is_known();
        let pinned = if req.pin == Pin::VcsRef {
            reproducible
        } else {
            (from_index || reproducible) && versions_allowed && locked.unversioned.is_none()
        };
        if pinned || inert_constraint {
            req.standing.pinned_by = Some(PinnedBy::Lock);
        }
    }
}

/// Sections that constrain versions without installing anything of their own.
fn is_constraint(section: &str) -> bool {
    section == "tool.uv.constraint-dependencies"
}
