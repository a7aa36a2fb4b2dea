//! Lock drift: a requirement whose lock holds only versions its specifier does not
//! allow, so the lock was resolved from an older manifest (or edited by hand).
//!
//! Only locks that resolve the requirement's section count (see
//! [`LockFormat::covers`](super::LockFormat::covers)); a project the lock does not
//! list, or installs from a URL or path, is not compared.

use super::admits::admits;
use super::{Locked, ManifestLock, covering};
use crate::manifest::{Pin, Requirement};
use crate::project::SourceFile;

/// A requirement and what its lock holds instead.
#[derive(Debug)]
pub struct Drift<'a> {
    pub requirement: &'a Requirement,
    pub locked: Locked<'a>,
}

/// Every requirement of `file` that its locks contradict.
pub fn drifts<'a>(file: &'a SourceFile, locks: &[ManifestLock<'a>]) -> Vec<Drift<'a>> {
    let kind = file.manifest.kind;
    let mut out = Vec::new();
    if locks.iter().all(|lock| lock.file.is_err()) {
        return out;
    }
    for req in file.manifest.requirements() {
        if req.url.is_some()
            || req.editable
            // An unsatisfiable specifier is reported as such; no lock can match it.
            || matches!(
                req.pin,
                Pin::None | Pin::Url | Pin::VcsCommit | Pin::VcsRef | Pin::Unsatisfiable
            )
        {
            continue;
        }
        let Some(name) = req.canonical_name() else {
            continue;
        };
        let covering = covering(locks, kind, &req.section);
        let locked = Locked::find(&covering, &name);
        if locked.direct.is_some() || locked.versions.is_empty() {
            continue;
        }
        let verdicts: Vec<Option<bool>> = locked
            .versions
            .iter()
            .map(|(version, _)| admits(kind, req, version))
            .collect();
        if verdicts.iter().all(|verdict| *verdict == Some(false)) {
            out.push(Drift {
                requirement: req,
                locked,
            });
        }
    }
    out
}
