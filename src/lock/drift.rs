//! Lock drift, both ways: a requirement whose lock holds only versions its specifier
//! does not allow, and a requirement the lock does not list at all. Either way the
//! lock was resolved from an older manifest (or edited by hand).
//!
//! Only locks that resolve the requirement's section count (see
//! [`LockFormat::covers`](super::LockFormat::covers)); a project the lock installs from
//! a URL or path is not compared. A project the lock does not list drifts only where
//! the lock lists every requirement of that section whatever the platform (see
//! [`LockFormat::lists_every`](super::LockFormat::lists_every)), and only for a
//! requirement without a marker, which a universal lock may still leave out when no
//! supported Python matches it.

use super::admits::admits;
use super::{Locked, ManifestLock, covering};
use crate::manifest::{Pin, Requirement};
use crate::project::SourceFile;

/// A requirement and what its lock holds instead.
#[derive(Debug)]
pub struct Drift<'a> {
    pub requirement: &'a Requirement,
    pub locked: Locked<'a>,
    /// The lock that leaves the requirement out, when it lists no version of it.
    pub missing_from: Option<&'a std::path::Path>,
}

/// Every requirement of `file` that its locks contradict.
pub fn drifts<'a>(file: &'a SourceFile, locks: &[ManifestLock<'a>]) -> Vec<Drift<'a>> {
    let kind = file.manifest.kind;
    let mut out = Vec::new();
    if locks.iter().all(|lock| lock.file.is_err()) {
        return out;
    }
    let mut own_name: Option<Option<String>> = None;
    for req in file.manifest.requirements() {
        if req.url.is_some()
            || req.editable
            // An unsatisfiable specifier is reported as such; no lock can match it.
            || matches!(req.pin, Pin::Url | Pin::VcsCommit | Pin::VcsRef | Pin::Unsatisfiable)
        {
            continue;
        }
        let Some(name) = req.canonical_name() else {
            continue;
        };
        let covering = covering(locks, kind, &req.section);
        let locked = Locked::find(&covering, &name);
        if !locked.is_known() {
            let listing = covering.iter().find(|lock| {
                lock.file
                    .is_ok_and(|lock| lock.format.lists_every(kind, &req.section))
            });
            // A project's own extras (`app[test]` in its optional dependencies) name
            // the project, which not every lock lists.
            let own = own_name
                .get_or_insert_with(|| project_name(&file.manifest.text))
                .as_deref()
                == Some(&*name);
            if let Some(lock) = listing
                && req.marker.is_none()
                && !own
            {
                out.push(Drift {
                    requirement: req,
                    locked,
                    missing_from: Some(lock.path),
                });
            }
            continue;
        }
        if req.pin == Pin::None || locked.direct.is_some() || locked.versions.is_empty() {
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
                missing_from: None,
            });
        }
    }
    out
}

/// The canonical name of the project a `pyproject.toml` declares (`[project]` or
/// `[tool.poetry]`); `None` for other files.
fn project_name(text: &str) -> Option<String> {
    let table: toml::Table = toml::from_str(text).ok()?;
    let name = table
        .get("project")
        .and_then(|project| project.get("name"))
        .or_else(|| {
            table
                .get("tool")
                .and_then(|tool| tool.get("poetry"))
                .and_then(|poetry| poetry.get("name"))
        })?
        .as_str()?;
    Some(crate::manifest::canonicalize_name(name).into_owned())
}
