//! Checks no condition can express, because they look across items or files. A rule
//! file names one with `check = "..."`, so these rules are listed, selected,
//! configured and documented like every other.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::engine::{Finding, Related};
use super::rule::Rule;
use crate::lock::ManifestLock;
use crate::manifest::{Item, ManifestKind, Requirement, canonicalize_name};
use crate::project::{IncludeTarget, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinCheck {
    IncludeCycle,
    IncludeNotFound,
    IncludeOutsideRoot,
    DuplicateRequirement,
    LockDrift,
    LockUnreadable,
    /// Requirements pip refuses in hash-checking mode: found once the include graph is
    /// known, by [`super::hash_mode::findings`].
    HashCheckingMode,
    /// Reported by the suppression stage (`crate::suppress`), which alone knows which
    /// directives suppressed a finding; the check itself finds nothing.
    UnusedSuppression,
}

impl BuiltinCheck {
    pub const ALL: [BuiltinCheck; 8] = [
        BuiltinCheck::IncludeCycle,
        BuiltinCheck::IncludeNotFound,
        BuiltinCheck::IncludeOutsideRoot,
        BuiltinCheck::DuplicateRequirement,
        BuiltinCheck::LockDrift,
        BuiltinCheck::LockUnreadable,
        BuiltinCheck::HashCheckingMode,
        BuiltinCheck::UnusedSuppression,
    ];

    pub fn name(self) -> &'static str {
        match self {
            BuiltinCheck::IncludeCycle => "include-cycle",
            BuiltinCheck::IncludeNotFound => "include-not-found",
            BuiltinCheck::IncludeOutsideRoot => "include-outside-root",
            BuiltinCheck::DuplicateRequirement => "duplicate-requirement",
            BuiltinCheck::LockDrift => "lock-drift",
            BuiltinCheck::LockUnreadable => "lock-unreadable",
            BuiltinCheck::HashCheckingMode => "hash-checking-mode",
            BuiltinCheck::UnusedSuppression => "unused-suppression",
        }
    }

    /// The placeholders the check fills in its rule's message, label and help.
    pub fn placeholders(self) -> &'static [&'static str] {
        match self {
            BuiltinCheck::IncludeCycle => &["target", "cycle"],
            BuiltinCheck::IncludeNotFound | BuiltinCheck::IncludeOutsideRoot => {
                &["target", "resolved"]
            }
            BuiltinCheck::DuplicateRequirement => &["name", "section", "first-line"],
            BuiltinCheck::LockDrift => &[
                "name",
                "specifier",
                "section",
                "locked",
                "lock",
                "relock",
                "wanted",
            ],
            BuiltinCheck::LockUnreadable => &["lock", "reason"],
            BuiltinCheck::HashCheckingMode => &["name", "problem", "fix", "root", "cause"],
            // What is wrong with a directive written wrongly (`invalid-suppression`).
            BuiltinCheck::UnusedSuppression => &["problem"],
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|check| check.name() == name)
    }

    /// Whether the check looks at the include graph of the whole project; the others
    /// run on each file as it is linted.
    pub fn is_project_wide(self) -> bool {
        matches!(
            self,
            BuiltinCheck::IncludeCycle
                | BuiltinCheck::IncludeNotFound
                | BuiltinCheck::IncludeOutsideRoot
        )
    }

    /// Run on one file; `locks` are the lock files that apply to it.
    pub fn run_on_file(
        self,
        rule: &Arc<Rule>,
        file: &SourceFile,
        locks: &[ManifestLock],
        findings: &mut Vec<Finding>,
    ) {
        if !rule.applies_to_kind(file.manifest.kind) {
            return;
        }
        match self {
            BuiltinCheck::DuplicateRequirement => duplicate_findings(rule, file, findings),
            BuiltinCheck::LockDrift => lock_drift_findings(rule, file, locks, findings),
            BuiltinCheck::LockUnreadable => unreadable_lock_findings(rule, locks, findings),
            _ => {}
        }
    }

    /// Run a project-wide check over every file. `active(file)` says whether the rule
    /// is enabled for that file (configuration may turn it off per path).
    pub fn run_on_project(
        self,
        rule: &Arc<Rule>,
        files: &[SourceFile],
        active: &dyn Fn(usize) -> bool,
    ) -> Vec<Finding> {
        let mut findings = Vec::new();
        // Which files are on a cycle, found once for the whole include graph.
        let components = (self == BuiltinCheck::IncludeCycle).then(|| cyclic_components(files));
        for (index, file) in files.iter().enumerate() {
            if !file.lint || !active(index) || !rule.applies_to_kind(file.manifest.kind) {
                continue;
            }
            match self {
                BuiltinCheck::IncludeNotFound | BuiltinCheck::IncludeOutsideRoot => {
                    include_target_findings(self, rule, file, &mut findings)
                }
                BuiltinCheck::IncludeCycle => {
                    if let Some(components) = &components {
                        cycle_findings(rule, files, components, index, &mut findings);
                    }
                }
                _ => {}
            }
        }
        findings
    }
}

fn include_at(file: &SourceFile, item_index: usize) -> Option<&crate::manifest::Include> {
    match file.manifest.items.get(item_index) {
        Some(Item::Include(include)) => Some(include),
        _ => None,
    }
}

fn include_target_findings(
    check: BuiltinCheck,
    rule: &Arc<Rule>,
    file: &SourceFile,
    findings: &mut Vec<Finding>,
) {
    for (item_index, target) in &file.includes {
        let Some(include) = include_at(file, *item_index) else {
            continue;
        };
        let path = match (check, target) {
            (BuiltinCheck::IncludeNotFound, IncludeTarget::Missing(path)) => path,
            (BuiltinCheck::IncludeOutsideRoot, IncludeTarget::OutsideRoot(path)) => path,
            _ => continue,
        };
        let lookup = |field: &str| match field {
            "target" => Some(include.target.clone()),
            "resolved" => Some(path.display().to_string()),
            _ => None,
        };
        findings.push(make(rule, file, include.target_span.clone(), &lookup));
    }
}

fn make(
    rule: &Arc<Rule>,
    file: &SourceFile,
    span: crate::manifest::Span,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Finding {
    let templates = &rule.templates;
    let message = templates.message.render_with(lookup);
    let mut finding = Finding::new(rule, &file.manifest, &file.index, span, message);
    finding.label = templates
        .label
        .as_ref()
        .map(|l| l.render_shared_with(lookup));
    finding.help = templates
        .help
        .as_ref()
        .map(|h| h.render_shared_with(lookup));
    finding
}

/// Report the includes that close a cycle through `start`, when `start` is the
/// lowest-index file of its cycle: each group of files that include each other is
/// reported once, at its first file, with the shortest chain of includes back.
fn cycle_findings(
    rule: &Arc<Rule>,
    files: &[SourceFile],
    components: &Components,
    start: usize,
    out: &mut Vec<Finding>,
) {
    let Some(component) = components.of[start] else {
        return;
    };
    if components.first[component] != start {
        return;
    }
    for (item_index, target) in &files[start].includes {
        let IncludeTarget::File(next) = target else {
            continue;
        };
        if components.of[*next] != Some(component) {
            continue;
        }
        let Some(mut chain) = path_back(files, components, *next, start) else {
            continue;
        };
        chain.insert(0, start);
        // A cycle of thousands of files is named by its ends, not file by file.
        const SHOWN: usize = 8;
        let name = |i: &usize| files[*i].manifest.path.display().to_string();
        let cycle = if chain.len() <= SHOWN {
            chain.iter().map(name).collect::<Vec<_>>().join(" → ")
        } else {
            let head: Vec<String> = chain[..SHOWN - 2].iter().map(name).collect();
            let tail: Vec<String> = chain[chain.len() - 2..].iter().map(name).collect();
            format!(
                "{} → … ({} more files) → {}",
                head.join(" → "),
                chain.len() - SHOWN,
                tail.join(" → ")
            )
        };
        let Some(include) = include_at(&files[start], *item_index) else {
            continue;
        };
        let lookup = |field: &str| match field {
            "target" => Some(include.target.clone()),
            "cycle" => Some(cycle.clone()),
            _ => None,
        };
        out.push(make(
            rule,
            &files[start],
            include.target_span.clone(),
            &lookup,
        ));
    }
}

/// The files on include cycles: for each file, the cycle (strongly connected component
/// with an edge inside it) it belongs to, and each cycle's lowest file index.
struct Components {
    of: Vec<Option<usize>>,
    first: Vec<usize>,
}

/// Tarjan's strongly connected components of the include graph, without recursion (an
/// include chain may be as deep as a pull request makes it), in time linear in files
/// and includes.
fn cyclic_components(files: &[SourceFile]) -> Components {
    const UNSEEN: usize = usize::MAX;
    let successors = |node: usize| {
        files[node]
            .includes
            .iter()
            .filter_map(|(_, target)| match target {
                IncludeTarget::File(next) => Some(*next),
                _ => None,
            })
    };
    let count = files.len();
    let mut order = vec![UNSEEN; count];
    let mut low = vec![0; count];
    let mut on_stack = vec![false; count];
    let mut stack = Vec::new();
    let mut components = Components {
        of: vec![None; count],
        first: Vec::new(),
    };
    let mut next_order = 0;
    for root in 0..count {
        if order[root] != UNSEEN || files[root].includes.is_empty() {
            continue;
        }
        // (node, how many of its includes are done)
        let mut work = vec![(root, 0usize)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (node, ref mut done)) = work.last_mut() {
            if let Some((_, target)) = files[node].includes.get(*done) {
                *done += 1;
                let IncludeTarget::File(next) = *target else {
                    continue;
                };
                if order[next] == UNSEEN {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    work.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                let mut members = Vec::new();
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    members.push(member);
                    if member == node {
                        break;
                    }
                }
                let cyclic = members.len() > 1 || successors(node).any(|next| next == node);
                if cyclic {
                    let id = components.first.len();
                    components
                        .first
                        .push(members.iter().copied().min().unwrap_or(node));
                    for member in members {
                        components.of[member] = Some(id);
                    }
                }
            }
        }
    }
    components
}

/// Breadth-first search, inside the cycle of `from`, for a chain of includes from
/// `from` to `to`; returns the files on it, `from` first and `to` last.
fn path_back(
    files: &[SourceFile],
    components: &Components,
    from: usize,
    to: usize,
) -> Option<Vec<usize>> {
    let component = components.of[from];
    let mut previous: HashMap<usize, usize> = HashMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = std::collections::HashSet::from([from]);
    while let Some(current) = queue.pop_front() {
        if current == to {
            let mut chain = vec![to];
            let mut at = to;
            while let Some(&prev) = previous.get(&at) {
                chain.push(prev);
                at = prev;
            }
            chain.reverse();
            return Some(chain);
        }
        for (_, target) in &files[current].includes {
            if let IncludeTarget::File(next) = target
                && components.of[*next] == component
                && seen.insert(*next)
            {
                previous.insert(*next, current);
                queue.push_back(*next);
            }
        }
    }
    None
}

/// The same project twice in one section of one file, under the same marker: two
/// versions of it cannot both be installed, and even identical lines hide which one is
/// the policy. Not duplicates: the elements of one Poetry multiple-constraints entry
/// (each for its own environment), and the same project with other extras when at most
/// one of the two constrains the version (`pkg[a]` and `pkg[b]` ask for both extras,
/// which is how a project's extras refer to each other).
fn duplicate_findings(rule: &Arc<Rule>, file: &SourceFile, out: &mut Vec<Finding>) {
    if file.manifest.kind == ManifestKind::Dotenv {
        return;
    }
    // Keyed by section, name and marker (without whitespace); the first declaration is
    // kept inline, later ones only where a key repeats.
    type Key<'a> = (&'a str, Cow<'a, str>, Option<String>);
    let mut seen: FxHashMap<Key, (&Requirement, Vec<&Requirement>)> =
        FxHashMap::with_capacity_and_hasher(file.manifest.items.len(), Default::default());
    for req in file.manifest.requirements() {
        let Some(name) = req.canonical_name() else {
            continue;
        };
        let marker = req
            .marker
            .as_deref()
            .map(|marker| marker.chars().filter(|c| !c.is_whitespace()).collect());
        match seen.entry((&*req.section, name, marker)) {
            std::collections::hash_map::Entry::Vacant(entry) => {
                entry.insert((req, Vec::new()));
            }
            std::collections::hash_map::Entry::Occupied(mut entry) => {
                let (first, later) = entry.get_mut();
                let mut earlier = std::iter::once(&*first).chain(later.iter());
                if let Some(first) = earlier.find(|first| duplicates(first, req)) {
                    out.push(duplicate_finding(rule, file, first, req));
                }
                later.push(req);
            }
        }
    }
}

/// Whether `later` repeats `first` (same section, name and marker already established).
fn duplicates(first: &Requirement, later: &Requirement) -> bool {
    // Elements of one Poetry multiple-constraints array share their key's span.
    if first.name_span.is_some() && first.name_span == later.name_span {
        return false;
    }
    let extras = |req: &Requirement| -> Vec<String> {
        let mut extras: Vec<String> = req
            .extras
            .iter()
            .map(|e| canonicalize_name(e).into_owned())
            .collect();
        extras.sort();
        extras.dedup();
        extras
    };
    let constrained = |req: &Requirement| !req.specifier.is_empty() || req.url.is_some();
    extras(first) == extras(later) || (constrained(first) && constrained(later))
}

fn duplicate_finding(
    rule: &Arc<Rule>,
    file: &SourceFile,
    first: &Requirement,
    req: &Requirement,
) -> Finding {
    let first_line = file
        .index
        .line_col(&file.manifest.text, first.span.start)
        .line;
    let lookup = |field: &str| match field {
        "name" => req.name.as_deref().map(str::to_string),
        "section" => Some(req.section.to_string()),
        "first-line" => Some(first_line.to_string()),
        _ => None,
    };
    let span = req.name_span.clone().unwrap_or_else(|| req.span.clone());
    let mut finding = make(rule, file, span, &lookup);
    let first_span = first
        .name_span
        .clone()
        .unwrap_or_else(|| first.span.clone());
    let text = &file.manifest.text;
    finding.related.push(Related {
        start: file.index.line_col(text, first_span.start),
        end: file.index.line_col(text, first_span.end),
        span: first_span,
        text: "first declared here".into(),
    });
    finding
}

/// A lock that applies to the file but cannot be read, reported on the lock file
/// itself (every manifest that uses it finds it; the run keeps one finding). Without
/// it, lock drift and fixes would be silently off.
fn unreadable_lock_findings(rule: &Arc<Rule>, locks: &[ManifestLock], out: &mut Vec<Finding>) {
    for lock in locks {
        let Err(why) = lock.file else {
            continue;
        };
        let text = crate::project::read_text_capped(lock.path).unwrap_or_default();
        let kind = crate::discover::classify(lock.path)
            .unwrap_or(crate::manifest::ManifestKind::Requirements);
        let record = crate::project::from_text(
            lock.path,
            kind,
            std::path::Path::new("."),
            false,
            text,
            crate::manifest::Encoding::Utf8,
            Vec::new(),
        );
        let lookup = |field: &str| match field {
            "lock" => Some(lock.path.display().to_string()),
            "reason" => Some(why.to_string()),
            _ => None,
        };
        let message = rule.templates.message.render_with(&lookup);
        let mut finding = Finding::new(rule, &record.manifest, &record.index, 0..0, message);
        finding.help = rule
            .templates
            .help
            .as_ref()
            .map(|h| h.render_shared_with(&lookup));
        // The finding is about the lock, not the manifest being linted: its fingerprint
        // names the lock's line, whichever manifest found it and whatever report shows it.
        let line = crate::baseline::fingerprint_line(&record, finding.start.line, &mut None);
        finding.fingerprint_line = Some(line.into_boxed_str());
        out.push(finding);
    }
}

/// A requirement its lock contradicts: the lock holds only versions the specifier
/// does not allow, or no version at all (see [`crate::lock::drift`]).
fn lock_drift_findings(
    rule: &Arc<Rule>,
    file: &SourceFile,
    locks: &[ManifestLock],
    out: &mut Vec<Finding>,
) {
    for drift in crate::lock::drift::drifts(file, locks) {
        let req = drift.requirement;
        let locked = &drift.locked;
        let lock = match drift.missing_from {
            Some(path) => path.display().to_string(),
            None => locked
                .versions
                .first()
                .map(|(_, path)| path.display().to_string())
                .unwrap_or_default(),
        };
        let locked_text = match drift.missing_from {
            Some(_) => "no version of it".to_string(),
            None => locked.version_list(),
        };
        let wanted = if req.specifier.is_empty() || req.specifier.trim() == "*" {
            "any version".to_string()
        } else {
            format!("`{}`", req.specifier)
        };
        let relock = locked.relock_command();
        let lookup = |field: &str| match field {
            "name" => req.name.as_deref().map(str::to_string),
            "specifier" => Some(req.specifier.to_string()),
            "section" => Some(req.section.to_string()),
            "locked" => Some(locked_text.clone()),
            "lock" => Some(lock.clone()),
            "relock" => Some(relock.clone()),
            "wanted" => Some(wanted.clone()),
            _ => None,
        };
        out.push(make(rule, file, req.version_span(), &lookup));
    }
}
