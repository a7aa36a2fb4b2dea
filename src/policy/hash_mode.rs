//! pip's hash-checking mode. One `pip install -r FILE` reads FILE and every file it
//! includes (`-r` and `-c`, however deep); when any requirement there carries a
//! `--hash`, or any of those files says `--require-hashes`, the whole install is in
//! hash-checking mode, unless one of them says `--no-require-hashes` (pip 26). In that
//! mode pip refuses each requirement it cannot verify: one without a hash (a hash in a
//! URL fragment satisfies the mode but does not turn it on), an unhashed one not
//! pinned with `==`, an editable, a version control checkout, a local directory.
//!
//! Each requirement file that no other file includes is one such install (a root). A
//! file is installed in the mode when a root in the mode includes it with `-r`, from
//! any file that install reads (pip reads a `-r` inside a constraint file as
//! requirements too); a file only reached by `-c` is a constraint file, not installed.
//!
//! Files are linted one by one as they load, before the include graph is known: each
//! keeps only what it does to the mode ([`Facts`]); [`findings`] then follows the
//! graph and reads again the files an install in the mode reaches. A report written as
//! the run goes lints a file that turns the mode on in its own install as it loads
//! ([`Mode::own`]), and reads again only the files where the graph shows otherwise.

use std::collections::VecDeque;
use std::sync::Arc;

use super::engine::Finding;
use super::rule::Rule;
use crate::config::Settings;
use crate::manifest::{Item, Manifest, ManifestKind, Requirement, pep508, text::LineIndex};
use crate::project::{IncludeTarget, SourceFile};

/// What one file does to the mode of the installs that read it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// What in the file turns the mode on, as messages name it
    /// (``the `--hash` of `six` on requirements.txt:3``).
    pub turns_on: Option<Box<str>>,
    /// The file says `--no-require-hashes`.
    pub turns_off: bool,
    /// Its findings were made as it loaded, in the install [`Mode::own`] assumes.
    pub assumed: bool,
}

/// The facts of one requirement file.
pub fn facts(manifest: &Manifest, index: &LineIndex) -> Facts {
    let mut facts = Facts::default();
    if manifest.kind != ManifestKind::Requirements {
        return facts;
    }
    let place = |offset: usize| {
        let line = index.line_col(&manifest.text, offset).line;
        format!("{}:{line}", manifest.path.display())
    };
    for item in &manifest.items {
        match item {
            Item::Requirement(req) if facts.turns_on.is_none() && !req.hashes.is_empty() => {
                let name = req
                    .name
                    .as_deref()
                    .or(req.url.as_ref().map(|url| url.url.as_str()))
                    .unwrap_or_default();
                let at = place(req.hashes[0].1.start);
                facts.turns_on = Some(format!("the `--hash` of `{name}` on {at}").into());
            }
            Item::Option(option) if option.name == "require-hashes" && facts.turns_on.is_none() => {
                let at = place(option.span.start);
                facts.turns_on = Some(format!("`--require-hashes` on {at}").into());
            }
            Item::Option(option) if option.name == "no-require-hashes" => facts.turns_off = true,
            _ => {}
        }
    }
    facts
}

/// Why pip refuses `req` in hash-checking mode, and what to do about it; `None` when
/// it installs it.
pub fn refusal(req: &Requirement) -> Option<(&'static str, &'static str)> {
    if req.editable {
        return Some((
            "is editable, and pip cannot hash a source tree",
            "install it in a pip run of its own, without hashes",
        ));
    }
    if let Some(url) = &req.url {
        if url.vcs.is_some() {
            return Some((
                "is a version control checkout, which pip cannot hash",
                "require an archive of that commit by URL with its hash (`name @ https://…/name-1.0.tar.gz#sha256=…`)",
            ));
        }
        if url.local_path && !is_archive(&url.url) {
            return Some((
                "is a directory, which pip cannot hash",
                "build it and require the wheel file with its `--hash`, or install it in a pip run of its own",
            ));
        }
    }
    // pip verifies any hash a URL names, weak ones too; only `--hash` is limited to
    // sha256, sha384 and sha512 (a weaker one is a parse error).
    let hashed = !req.hashes.is_empty()
        || req
            .url
            .as_ref()
            .is_some_and(|url| pep508::fragment_hash(&url.url).is_some());
    if hashed {
        return None;
    }
    // pip's `is_pinned`: one clause, `==` or `===` (a URL needs no version).
    let pinned = match req.clauses.as_slice() {
        [clause] => clause.operator == "==" || clause.operator == "===",
        _ => false,
    };
    if req.url.is_none() && !pinned {
        return Some((
            "is not pinned with `==` and has no hash",
            "pin it with `==` and add its `--hash` (`uv pip compile --generate-hashes` or `pip-compile --generate-hashes` write both)",
        ));
    }
    Some((
        "has no hash",
        "add its `--hash` (`uv pip compile --generate-hashes` or `pip-compile --generate-hashes` write them)",
    ))
}

/// A local path pip reads as one file to hash rather than a directory (its URL's
/// fragment and query aside).
fn is_archive(path: &str) -> bool {
    let path = path.split(['#', '?']).next().unwrap_or(path);
    crate::manifest::requirements::is_archive(path)
}

/// The findings of `rule` (the `hash-checking-mode` check): each requirement pip
/// refuses in a file that an install in hash-checking mode installs. Files are linted
/// as they load, before the include graph is known, and most never meet the mode: only
/// the files in it are parsed again here (from their text, or from disk where it was
/// freed), so the others cost nothing but their [`Facts`].
pub fn findings(
    rule: &Arc<Rule>,
    files: &[SourceFile],
    settings: &Settings,
    brief: bool,
    locks: &crate::lock::Locks,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (file, mode) in files.iter().zip(modes_of(files)) {
        let Some(mode) = mode else {
            continue;
        };
        if !file.lint || !settings.for_path(&file.manifest.path).is_enabled(rule) {
            continue;
        }
        let reparsed = if file.manifest.text.is_empty() {
            crate::project::load(
                &file.manifest.path,
                file.manifest.kind,
                &file.root,
                true,
                None,
            )
        } else {
            crate::project::from_text(
                &file.manifest.path,
                file.manifest.kind,
                &file.root,
                true,
                file.manifest.text.clone(),
                file.manifest.encoding,
                crate::manifest::parse(file.manifest.kind, &file.manifest.text),
            )
        };
        out.extend(file_findings(
            rule, &reparsed, &mode, settings, brief, locks,
        ));
    }
    out
}

/// For each file, the first install in hash-checking mode that installs it, if any:
/// `None` for every file when nothing turns the mode on.
pub fn modes_of(files: &[SourceFile]) -> Vec<Option<Mode>> {
    let any_mode = files.iter().any(|file| {
        file.hash_mode.turns_on.is_some()
            || file
                .manifest
                .includes()
                .any(|include| include.require_hashes)
    });
    if any_mode {
        modes(files)
    } else {
        files.iter().map(|_| None).collect()
    }
}

/// The findings of `rule` in `file` (parsed, with its items), which an install in
/// hash-checking `mode` reads; with the fix that takes hashes from the locks beside it
/// where they record them.
pub fn file_findings(
    rule: &Arc<Rule>,
    file: &SourceFile,
    mode: &Mode,
    settings: &Settings,
    brief: bool,
    locks: &crate::lock::Locks,
) -> Vec<Finding> {
    let scope = settings.for_path(&file.manifest.path);
    let mut out = Vec::new();
    let mut comments = None;
    // The locks beside the file, for the hashes a pin can take from them.
    let fixes_from_lock = rule.fix.as_deref() == Some(crate::lock::hashes::FIX_NAME);
    let beside = fixes_from_lock.then(|| locks.beside(file));
    let beside = beside.as_ref().map(|l| l.get()).unwrap_or_default();
    for req in file.manifest.requirements() {
        let Some((problem, fix)) = refusal(req) else {
            continue;
        };
        if !scope.is_enabled_in(rule, Some(&req.section)) {
            continue;
        }
        let name = req
            .name
            .as_deref()
            .or(req.url.as_ref().map(|url| url.url.as_str()))
            .unwrap_or_default();
        let lookup = |field: &str| match field {
            "name" => Some(name.to_string()),
            "problem" => Some(problem.to_string()),
            "fix" => Some(fix.to_string()),
            "root" => Some(mode.root.clone()),
            "cause" => Some(mode.cause.to_string()),
            _ => None,
        };
        let templates = &rule.templates;
        let span = req.name_span.clone().unwrap_or_else(|| req.span.clone());
        let message = templates.message.render_with(&lookup);
        let mut finding = Finding::new(rule, &file.manifest, &file.index, span, message);
        if !brief {
            finding.label = templates
                .label
                .as_ref()
                .map(|t| t.render_shared_with(&lookup));
            finding.help = templates
                .help
                .as_ref()
                .map(|t| t.render_shared_with(&lookup));
        }
        if fixes_from_lock
            && req.hashes.is_empty()
            && let Ok(found) = crate::lock::hashes::hashes_from_lock(file, &beside, req)
        {
            if !brief {
                finding.help = Some(
                    format!(
                        "`pinwarden check --fix` adds the {} {} that {} records for this version.",
                        found.count,
                        if found.count == 1 { "hash" } else { "hashes" },
                        found.lock
                    )
                    .into(),
                );
            }
            finding.fix = Some(Box::new(found.edit));
        }
        finding.severity = scope.severity_in(rule, Some(&req.section));
        finding.section = Some(Arc::from(&*req.section));
        let line = crate::baseline::fingerprint_line(file, finding.start.line, &mut comments);
        finding.fingerprint_line = Some(line.into_boxed_str());
        out.push(finding);
    }
    out
}

/// An install in hash-checking mode that reads a file: its root and what turned the
/// mode on.
pub struct Mode {
    root: String,
    cause: Box<str>,
    /// The index of the file whose own install this is, turned on by that file itself.
    own_of: Option<usize>,
}

impl Mode {
    /// The install a requirement file that turns the mode on is most often in: its own,
    /// as the root no other file includes, with nothing it reads turning the mode off
    /// (a compiled file with `--hash` on every line). A file can be linted in it as it
    /// loads, before the include graph is known; [`Mode::is_own`] tells afterwards
    /// whether that was right.
    pub fn own(file: &SourceFile) -> Option<Mode> {
        let facts = &file.hash_mode;
        if file.manifest.kind != ManifestKind::Requirements || facts.turns_off {
            return None;
        }
        Some(Mode {
            root: file.manifest.path.display().to_string(),
            cause: facts.turns_on.clone()?,
            own_of: None,
        })
    }

    /// This is the install [`Mode::own`] assumes for the file at `index`: the same
    /// root, turned on by the same words, so the same findings.
    pub fn is_own(&self, index: usize) -> bool {
        self.own_of == Some(index)
    }
}

/// For each file, the first install in hash-checking mode that installs it, if any.
/// Linear in files and includes: breadth-first searches over the include graph.
fn modes(files: &[SourceFile]) -> Vec<Option<Mode>> {
    let count = files.len();
    // Include edges between requirement files: (from, to, is `-c`). A file an install
    // command names (`pip install -r requirements.txt` in a Dockerfile) is the root of
    // that install, in hash-checking mode when the command says `--require-hashes`.
    let mut edges: Vec<(usize, usize, bool)> = Vec::new();
    let mut command_mode: Vec<Option<Box<str>>> = vec![None; count];
    for (from, file) in files.iter().enumerate() {
        for (item_index, target) in &file.includes {
            let (IncludeTarget::File(to), Some(Item::Include(include))) =
                (target, file.manifest.items.get(*item_index))
            else {
                continue;
            };
            if file.manifest.kind == ManifestKind::Requirements {
                edges.push((from, *to, include.constraint));
            } else if include.require_hashes && !include.constraint {
                command_mode[*to].get_or_insert_with(|| {
                    let line = file
                        .index
                        .line_col(&file.manifest.text, include.span.start)
                        .line;
                    format!(
                        "`--require-hashes` on {}:{line}",
                        file.manifest.path.display()
                    )
                    .into_boxed_str()
                });
            }
        }
    }
    let mut forward: Vec<Vec<(usize, bool)>> = vec![Vec::new(); count];
    let mut backward: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut included = vec![false; count];
    for &(from, to, constraint) in &edges {
        forward[from].push((to, constraint));
        backward[to].push(from);
        included[to] = true;
    }
    // Which files read, through includes, a file that turns the mode on (and which
    // one), and which read one that turns it off.
    let reaching = |start: &dyn Fn(usize) -> bool| -> Vec<Option<usize>> {
        let mut source = vec![None; count];
        let mut queue: VecDeque<usize> = (0..count).filter(|i| start(*i)).collect();
        for &i in &queue {
            source[i] = Some(i);
        }
        while let Some(node) = queue.pop_front() {
            for &prev in &backward[node] {
                if source[prev].is_none() {
                    source[prev] = source[node];
                    queue.push_back(prev);
                }
            }
        }
        source
    };
    let on = reaching(&|i| files[i].hash_mode.turns_on.is_some());
    let off = reaching(&|i| files[i].hash_mode.turns_off);
    // The installs in the mode: each read file takes the first that reaches it; a
    // file is installed when the root is it or a file read names it with `-r`.
    let mut via: Vec<Option<usize>> = vec![None; count];
    let mut installed = vec![false; count];
    let mut seen = vec![false; count];
    let mut queue = VecDeque::new();
    for root in 0..count {
        let is_root = files[root].manifest.kind == ManifestKind::Requirements && !included[root];
        let turned_on = (on[root].is_some() && off[root].is_none()) || command_mode[root].is_some();
        if is_root && turned_on {
            via[root] = Some(root);
            seen[root] = true;
            installed[root] = true;
            queue.push_back(root);
        }
    }
    while let Some(node) = queue.pop_front() {
        for &(next, constraint) in &forward[node] {
            if !constraint && !installed[next] {
                installed[next] = true;
                via[next] = via[node];
            }
            if via[next].is_none() {
                via[next] = via[node];
            }
            if !std::mem::replace(&mut seen[next], true) {
                queue.push_back(next);
            }
        }
    }
    (0..count)
        .map(|i| {
            let root = via[i].filter(|_| installed[i])?;
            let (cause, own) = match &command_mode[root] {
                Some(command) => (command.clone(), false),
                None => (
                    files[on[root]?]
                        .hash_mode
                        .turns_on
                        .clone()
                        .unwrap_or_default(),
                    on[root] == Some(i) && root == i,
                ),
            };
            Some(Mode {
                root: files[root].manifest.path.display().to_string(),
                cause,
                own_of: own.then_some(i),
            })
        })
        .collect()
}
