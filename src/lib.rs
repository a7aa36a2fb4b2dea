//! pinwarden: enforce a dependency-pinning policy across a Python repository.
//!
//! The pipeline runs in one direction:
//! discover → parse → evaluate → suppress (inline directives, baseline) → report.
//! [`check`] runs it; the CLI in `main.rs` only maps arguments and exit codes.

pub mod baseline;
pub mod config;
pub mod console;
pub mod discover;
pub mod docs;
pub mod error;
pub mod fix;
pub mod lock;
pub mod manifest;
pub mod open_dir;
pub mod parallel;
pub mod policy;
pub mod project;
pub mod report;
pub mod safe_output;
pub mod scan;
pub mod server;
pub mod suppress;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use baseline::Baseline;
use config::{PathSettings, Settings};
use discover::{DiscoverError, DiscoverOptions};
use manifest::Item;
use policy::rule::Condition;
use policy::{Finding, Rule, RuleSet};
use project::SourceFile;

/// What to lint.
#[derive(Debug, Clone, Default)]
pub struct CheckInput {
    pub paths: Vec<PathBuf>,
    pub discover: DiscoverOptions,
    /// Text given on standard input, linted as if it were the file at this path.
    pub stdin: Option<(PathBuf, String)>,
    /// With `stdin`: the text stands for the file on disk at its path (an editor's
    /// buffer), inside this root. Its includes are followed as a file's are, so the
    /// include checks see the files it reaches, and an include back to it is a cycle.
    pub stdin_root: Option<PathBuf>,
    /// Findings recorded here are not reported.
    pub baseline: Option<Baseline>,
    /// Keep every parsed item in [`Outcome::files`]. By default a file's requirements
    /// and options are dropped once it is linted, so memory holds the text of the run,
    /// not every parsed line of it; includes and real `.env` entries always stay.
    pub keep_items: bool,
    /// Drop a file's text and line index once it is linted, for a report that reads
    /// neither (concise, JSON, GitHub; not fixes or baselines). Freed as the run goes,
    /// the text of a large run is never all in memory. Files with includes or
    /// suppression directives keep theirs: later checks report on them.
    pub drop_text: bool,
    /// The report reads each file's text again once the run is over (the human
    /// report's excerpts): a file whose text is dropped keeps a digest to check it by.
    pub reread_text: bool,
    /// Leave each finding's help and label out, for a report that shows neither
    /// (concise, statistics): rendered per finding, they would be kept to the end of
    /// the run for nothing.
    pub brief: bool,
    /// Take each finding's fingerprint line ([`Finding::fingerprint_line`]) while the
    /// file's text is at hand, for a report or baseline that fingerprints findings and
    /// so can free the text with `drop_text`.
    pub fingerprints: bool,
}

/// The result of a run.
#[derive(Debug, Default)]
pub struct Outcome {
    pub files: Vec<SourceFile>,
    /// Sorted by path, then position, then rule.
    pub findings: Vec<Finding>,
    /// Path arguments that could not be read: exit code 2.
    pub errors: Vec<DiscoverError>,
    /// The directory configuration paths are relative to (see [`Settings::root`]).
    pub root: PathBuf,
    /// Findings removed by inline `pinwarden: ignore` directives.
    pub suppressed: usize,
    /// Findings removed because the baseline records them.
    pub baselined: usize,
    /// What walks met with a manifest's name that is not a regular file: not read.
    pub skipped: Vec<PathBuf>,
    /// Files named on the command line that pinwarden does not read: not checked.
    pub unread: Vec<PathBuf>,
    /// The counts of a run that wrote its report as it went ([`check_and_report`]) and
    /// so holds no findings.
    pub streamed: Option<report::Summary>,
    /// Each file's index in `files` by its path, made on the first lookup (`files` does
    /// not change after a run).
    file_index: std::sync::OnceLock<HashMap<Arc<Path>, usize>>,
}

impl Outcome {
    /// The file at `path`, found by map: reports ask once per file or finding.
    pub fn file(&self, path: &Path) -> Option<&SourceFile> {
        let index = self.file_index.get_or_init(|| {
            self.files
                .iter()
                .enumerate()
                .map(|(index, file)| (file.manifest.path.clone(), index))
                .collect()
        });
        index.get(path).map(|&index| &self.files[index])
    }

    /// How many findings of each kind the run reported, and how many files it checked.
    pub fn summary(&self) -> report::Summary {
        match &self.streamed {
            Some(summary) => summary.clone(),
            None => report::Summary::of(self),
        }
    }

    /// `path` relative to [`Outcome::root`], or as given when it is outside the root.
    pub fn project_relative(&self, path: &Path) -> PathBuf {
        config::relative_to(&self.root, path).unwrap_or_else(|| path.to_path_buf())
    }
}

/// What loading a run's files gives, besides what each file's linting gave.
#[derive(Default)]
struct Loaded {
    locks: lock::Locks,
    errors: Vec<DiscoverError>,
    files: Vec<SourceFile>,
    skipped: Vec<PathBuf>,
    unread: Vec<PathBuf>,
}

/// Discover and load the files of `input`, handing each to `on_loaded` as it loads
/// (in parallel), and what that gives to `sink` in report order. `sink(None)` says that
/// everything given so far is void: the run starts again.
fn load<T: Send>(
    input: &CheckInput,
    settings: &Settings,
    on_loaded: &(dyn Fn(&lock::Locks, &mut SourceFile) -> T + Sync),
    sink: &mut dyn FnMut(Option<T>),
) -> Loaded {
    let force_exclude = input.discover.force_exclude;
    match &input.stdin {
        Some((path, _)) if force_exclude && settings.is_excluded(path) => Loaded::default(),
        Some((path, text)) => {
            let locks = lock::Locks::new(&settings.lock_files);
            let mut file = stdin_file(path, text);
            if let Some(root) = &input.stdin_root {
                file.root = root.clone();
                file.identity = project::identity_on_disk(path);
            }
            sink(Some(on_loaded(&locks, &mut file)));
            let mut files = vec![file];
            // An editor's buffer: the files it includes are read from disk.
            if input.stdin_root.is_some() {
                project::follow_includes(
                    &mut files,
                    locks.canonical_dirs(),
                    &|file: &mut SourceFile| on_loaded(&locks, file),
                    &mut |given| sink(Some(given)),
                );
            }
            Loaded {
                locks,
                files,
                ..Loaded::default()
            }
        }
        None => {
            let mut attempt = |named_paths| {
                let discovered = discover::discover(&input.paths, &input.discover, named_paths);
                let locks = lock::Locks::new(&settings.lock_files)
                    .with_walked_locks(discovered.walked_locks);
                let (mut candidates, errors) = (discovered.candidates, discovered.errors);
                // An excluded file is skipped without a word under `--force-exclude`.
                let mut unread = discovered.unread;
                unread.retain(|path| !(force_exclude && settings.is_excluded(path)));
                // Files named on the command line are linted even when excluded (pre-commit
                // names them), unless `force_exclude` says otherwise.
                candidates
                    .retain(|c| !((force_exclude || !c.explicit) && settings.is_excluded(&c.path)));
                // Lock files first: each hands its text to the manifests that use it
                // (see `Locks::offer`), so none is read twice. They go after the other
                // files (and the files their includes reach), whose include targets are
                // indices into the list.
                let (lock_candidates, candidates): (Vec<_>, Vec<_>) =
                    candidates.into_iter().partition(|c| c.kind.is_lock());
                let on_file = |file: &mut SourceFile| on_loaded(&locks, file);
                let files = project::load_all(
                    &lock_candidates,
                    locks.canonical_dirs(),
                    &on_file,
                    &mut |given| sink(Some(given)),
                )
                .and_then(|lock_files| {
                    let mut files = project::load_all(
                        &candidates,
                        locks.canonical_dirs(),
                        &on_file,
                        &mut |given| sink(Some(given)),
                    )?;
                    files.extend(lock_files);
                    Some(files)
                });
                let Some(files) = files else {
                    sink(None);
                    return None;
                };
                Some(Loaded {
                    locks,
                    errors,
                    files,
                    skipped: discovered.skipped,
                    unread,
                })
            };
            // Named paths are taken for the files their names say; when one is not, the
            // run is made again with a `stat` for each, which reports it as it should be.
            attempt(discover::NamedPaths::Trusted)
                .or_else(|| attempt(discover::NamedPaths::Stat))
                .unwrap_or_default()
        }
    }
}

/// The findings only the whole project shows: the include checks and hash-checking
/// mode, which follow includes from file to file.
fn later_findings(
    files: &[SourceFile],
    rules: &RuleSet,
    settings: &Settings,
    brief: bool,
    locks: &lock::Locks,
) -> Vec<Finding> {
    let mut later = project_findings(files, rules, settings);
    for rule in &rules.rules {
        if let Condition::Check(policy::checks::BuiltinCheck::HashCheckingMode) = rule.condition {
            later.extend(policy::hash_mode::findings(
                rule, files, settings, brief, locks,
            ));
        }
    }
    later
}

/// Sort findings into report order (unstable, as there is no buffer the size of the
/// findings, and total: see `compare_findings`), and keep one of each set of identical
/// findings at one place: a finding about a file several manifests share (a lock that
/// cannot be read) is made once per manifest.
fn sort_findings(findings: &mut Vec<Finding>) {
    // Each file's findings come sorted, and files load in path order, so the whole is
    // usually sorted already.
    let in_order = |pair: &[Finding]| compare_findings(&pair[0], &pair[1]).is_le();
    // A comparison is cheap: only a whole run's findings are worth sharing out.
    let sorted = if findings.len() < 1 << 14 {
        findings.windows(2).all(in_order)
    } else {
        use rayon::prelude::*;
        findings.par_windows(2).all(in_order)
    };
    if !sorted {
        findings.sort_unstable_by(compare_findings);
    }
    findings.dedup_by(|a, b| compare_findings(a, b).is_eq() && a.span == b.span);
}

/// Run the whole pipeline.
pub fn check(input: &CheckInput, rules: &RuleSet, settings: &Settings) -> Outcome {
    let mut findings = Vec::new();
    let loaded = load(
        input,
        settings,
        &|locks, file| {
            let findings = lint_file(file, rules, settings, locks, input);
            release(file, input);
            findings
        },
        &mut |given| match given {
            Some(file_findings) => findings.extend(file_findings),
            None => findings.clear(),
        },
    );
    let later = later_findings(&loaded.files, rules, settings, input.brief, &loaded.locks);
    // Grown once, by what is added: doubling the findings of a large run would hold
    // two copies for a moment.
    findings.reserve_exact(later.len());
    findings.extend(later);
    sort_findings(&mut findings);
    let suppression = suppress::apply(findings, &loaded.files, rules, settings);
    let mut outcome = Outcome {
        files: loaded.files,
        findings: suppression.findings,
        errors: loaded.errors,
        root: settings.root.clone(),
        suppressed: suppression.suppressed,
        baselined: 0,
        skipped: loaded.skipped,
        unread: loaded.unread,
        streamed: None,
        file_index: Default::default(),
    };
    if let Some(baseline) = &input.baseline {
        outcome.baselined = baseline.filter(&mut outcome);
    }
    // The lock caches hold entries for every manifest directory, made on the worker
    // threads: they are freed there, while the caller goes on with the report.
    parallel::drop_later(loaded.locks, outcome.files.len());
    outcome
}

/// Run the whole pipeline and write `report` of it to `out` as it goes: each file's
/// findings are rendered as soon as the file is linted, in parallel, and kept rendered
/// (on disk past a few megabytes, see [`report::stream`]) until the findings only the
/// whole project shows are known. Memory does not grow with the number of findings.
///
/// The outcome holds the counts ([`Outcome::summary`]), not the findings. A baseline
/// is not applied here: a run with one reports through [`check`].
pub fn check_and_report(
    input: &CheckInput,
    rules: &RuleSet,
    settings: &Settings,
    report: &dyn report::FileReport,
    out: &mut dyn std::io::Write,
) -> (Outcome, std::io::Result<()>) {
    // Text from standard input cannot be read again for a second pass; it is one file.
    if input.stdin.is_some() {
        let outcome = check(input, rules, settings);
        let written = report::write_all(report, &outcome, out);
        return (outcome, written);
    }
    let about_others = std::sync::Mutex::new(Vec::new());
    let finish = |findings: Vec<Finding>, file: Option<&SourceFile>| {
        report::stream::Piece::of(findings, file, rules, settings, report)
    };
    let mut pieces = report::stream::Pieces::new();
    let hash_rules = hash_checking_rules(rules);
    let loaded = load(
        input,
        settings,
        &|locks, file| {
            let mut findings = lint_file(file, rules, settings, locks, input);
            findings.extend(assumed_hash_findings(
                file,
                &hash_rules,
                settings,
                input,
                locks,
            ));
            // A finding about another file (a lock several manifests share) waits for
            // the end, with the other findings about more than one file.
            if findings.iter().any(|f| f.path != file.manifest.path) {
                let (own, others): (Vec<Finding>, Vec<Finding>) = findings
                    .into_iter()
                    .partition(|f| f.path == file.manifest.path);
                if let Ok(mut about_others) = about_others.lock() {
                    about_others.extend(others);
                }
                findings = own;
            }
            sort_findings(&mut findings);
            let piece = finish(findings, Some(file));
            release(file, input);
            piece
        },
        &mut |given| match given {
            Some(piece) => pieces.push(piece),
            None => pieces = report::stream::Pieces::new(),
        },
    );
    second_pass(
        &loaded,
        about_others.into_inner().unwrap_or_default(),
        &finish,
        rules,
        settings,
        input,
        &mut |piece| pieces.replace(piece),
    );
    let mut summary = pieces.summary();
    summary.files = loaded.files.iter().filter(|f| f.lint).count();
    let written = pieces.write(report, &summary, loaded.errors.len(), out);
    let outcome = Outcome {
        files: loaded.files,
        findings: Vec::new(),
        errors: loaded.errors,
        root: settings.root.clone(),
        suppressed: pieces.suppressed(),
        baselined: 0,
        skipped: loaded.skipped,
        unread: loaded.unread,
        streamed: Some(summary),
        file_index: Default::default(),
    };
    parallel::drop_later(loaded.locks, outcome.files.len());
    (outcome, written)
}

/// The pieces of the files the findings only the whole project shows are about (the
/// include checks, hash-checking mode, `about_others`): each such file is linted again
/// (in parallel, from disk, as in the first pass), with those findings added, and its
/// piece replaces the first pass's.
fn second_pass(
    loaded: &Loaded,
    about_others: Vec<Finding>,
    finish: &(dyn Fn(Vec<Finding>, Option<&SourceFile>) -> report::stream::Piece + Sync),
    rules: &RuleSet,
    settings: &Settings,
    input: &CheckInput,
    sink: &mut dyn FnMut(report::stream::Piece),
) {
    let files = &loaded.files;
    let hash_rules = hash_checking_rules(rules);
    let mut extras = project_findings(files, rules, settings);
    extras.extend(about_others);
    sort_findings(&mut extras);
    let modes = if hash_rules.is_empty() {
        Vec::new()
    } else {
        policy::hash_mode::modes_of(files)
    };
    // What each file gets: findings and the mode an install reads it in. A file linted
    // in the mode it assumed as it loaded is done; one that assumed wrong, or that an
    // install reads in another file's mode, is linted again.
    let mut again: std::collections::BTreeMap<usize, Vec<Finding>> = Default::default();
    for (index, mode) in modes.iter().enumerate() {
        let file = &files[index];
        let assumed = file.hash_mode.assumed;
        let as_assumed = assumed && mode.as_ref().is_some_and(|mode| mode.is_own(index));
        if (mode.is_some() || assumed)
            && !as_assumed
            && file.lint
            && hash_rules
                .iter()
                .any(|rule| settings.for_path(&file.manifest.path).is_enabled(rule))
        {
            again.entry(index).or_default();
        }
    }
    if !extras.is_empty() {
        let index_of: HashMap<&Path, usize> = files
            .iter()
            .enumerate()
            .map(|(index, file)| (&*file.manifest.path, index))
            .collect();
        let mut rest = extras.into_iter().peekable();
        while let Some(first) = rest.next() {
            let mut group = vec![first];
            while let Some(next) = rest.next_if(|next| next.path == group[0].path) {
                group.push(next);
            }
            match index_of.get(&*group[0].path) {
                Some(&index) => again.entry(index).or_default().extend(group),
                // A file no manifest is (a lock that cannot be read): only these.
                None => sink(finish(group, None)),
            }
        }
    }
    let mut again: Vec<(usize, Vec<Finding>)> = again.into_iter().collect();
    // In batches, so that the rendered pieces of one batch at a time wait for `sink`.
    const BATCH: usize = 256;
    while !again.is_empty() {
        let batch: Vec<(usize, Vec<Finding>)> = again.drain(..BATCH.min(again.len())).collect();
        let pieces: Vec<report::stream::Piece> = parallel::map_owned(batch, |(index, extras)| {
            let known = &files[index];
            if known.identity.is_none() {
                return finish(extras, Some(known));
            }
            let path = &known.manifest.path;
            let mut file = project::load(path, known.manifest.kind, &known.root, known.lint, None);
            file.walked = known.walked;
            file.canonical = known.canonical.clone();
            let mut findings = lint_file(&mut file, rules, settings, &loaded.locks, input);
            findings.retain(|finding| finding.path == *path);
            findings.extend(extras);
            if let Some(Some(mode)) = modes.get(index) {
                let scope = settings.for_path(path);
                for rule in hash_rules.iter().filter(|rule| scope.is_enabled(rule)) {
                    findings.extend(policy::hash_mode::file_findings(
                        rule,
                        &file,
                        mode,
                        settings,
                        input.brief,
                        &loaded.locks,
                    ));
                }
            }
            sort_findings(&mut findings);
            finish(findings, Some(&file))
        });
        for piece in pieces {
            sink(piece);
        }
    }
}

/// The rules of the `hash-checking-mode` check.
fn hash_checking_rules(rules: &RuleSet) -> Vec<&Arc<Rule>> {
    use policy::checks::BuiltinCheck;
    rules
        .rules
        .iter()
        .filter(|rule| {
            matches!(
                rule.condition,
                Condition::Check(BuiltinCheck::HashCheckingMode)
            )
        })
        .collect()
}

/// The `hash-checking-mode` findings of a requirement file that turns the mode on,
/// made as it loads, in the install it most often is in: its own
/// ([`policy::hash_mode::Mode::own`]). The second pass lints it again only where the
/// include graph shows another.
fn assumed_hash_findings(
    file: &mut SourceFile,
    hash_rules: &[&Arc<Rule>],
    settings: &Settings,
    input: &CheckInput,
    locks: &lock::Locks,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if !file.lint || hash_rules.is_empty() {
        return findings;
    }
    let Some(mode) = policy::hash_mode::Mode::own(file) else {
        return findings;
    };
    file.hash_mode.assumed = true;
    let scope = settings.for_path(&file.manifest.path);
    for rule in hash_rules.iter().filter(|rule| scope.is_enabled(rule)) {
        findings.extend(policy::hash_mode::file_findings(
            rule,
            file,
            &mode,
            settings,
            input.brief,
            locks,
        ));
    }
    findings
}

/// The order of the report: path, position, rule, then message, so two findings of one
/// rule at one place still have a fixed order.
fn compare_findings(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    // The findings of one file share its path: no need to compare it part by part.
    let path = if Arc::ptr_eq(&a.path, &b.path) {
        std::cmp::Ordering::Equal
    } else {
        a.path.cmp(&b.path)
    };
    path.then_with(|| {
        let (_, start, end, rule) = a.sort_key();
        let (_, other_start, other_end, other_rule) = b.sort_key();
        (start, end, rule, &a.message).cmp(&(other_start, other_end, other_rule, &b.message))
    })
}

/// Lint text piped from an editor: the name decides the parser.
fn stdin_file(path: &Path, text: &str) -> SourceFile {
    let kind = discover::classify(path).unwrap_or(manifest::ManifestKind::Requirements);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
    project::parse_text(path, kind, Path::new("."), text)
}

/// The section of the requirement at byte `offset` of the file, if one is there.
fn section_at(file: &SourceFile, offset: usize) -> Option<&str> {
    file.manifest
        .requirement_at(&(offset..offset))
        .map(|req| &*req.section)
}

/// Lint one file as soon as it is loaded (files load in parallel): every rule but
/// the project-wide checks, fixes from its locks, and its per-path and per-section
/// settings.
fn lint_file(
    file: &mut SourceFile,
    rules: &RuleSet,
    settings: &Settings,
    locks: &lock::Locks,
    input: &CheckInput,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    file.hash_mode = policy::hash_mode::facts(&file.manifest, &file.index);
    if file.lint {
        let scope = settings.for_path(&file.manifest.path);
        // Borrowed, not cloned: every file counting the rules' shared reference counts
        // up and down, from every thread, makes the cores contend for them.
        let active: Vec<&Arc<Rule>> = rules
            .rules
            .iter()
            .filter(|rule| scope.is_enabled(rule))
            .collect();
        for block in scope.blocks() {
            if block.sections.is_some() {
                for req in file.manifest.requirements() {
                    block.saw_section(&req.section);
                }
            }
        }
        if let Some(kind) = scope.project_kind() {
            manifest::standing::mark_published(file.manifest.kind, kind, &mut file.manifest.items);
        }
        scope.action_pins().apply(&mut file.manifest.items);
        if manifest::npm_lock::reads(file.manifest.kind) {
            let hosts = settings.npm_allowed_hosts();
            manifest::npm_lock::apply_hosts(&hosts, &mut file.manifest.items);
        }
        if file.manifest.kind.is_lock() {
            settings.lock_allowed_hosts.apply(&mut file.manifest.items);
        }
        // pre-commit builds each hook's environment from its configuration alone: no
        // lock of the project pins or fixes what it installs.
        let file_locks = file
            .manifest
            .kind
            .uses_project_locks()
            .then(|| locks.of(file));
        let file_locks = file_locks.as_ref().map(|l| l.get()).unwrap_or_default();
        if !settings.require_exact_pins && lock::pinned::wants_locks(file) {
            lock::pinned::mark_locked(file, &file_locks);
        }
        findings = policy::engine::evaluate_manifest(
            active.iter().copied(),
            &file.manifest,
            &file.index,
            file.template,
        );
        for rule in active {
            if let Condition::Check(check) = &rule.condition
                && !check.is_project_wide()
            {
                check.run_on_file(rule, file, &file_locks, &mut findings);
            }
        }
        lock::pin::attach_file_fixes(&mut findings, file, &file_locks);
        if file_locks.is_empty() {
            lock::pin::attach_exported_fixes(&mut findings, file, locks);
        }
        lock::hashes::attach_file_fixes(&mut findings, file, locks);
        lock::commit::attach_file_fixes(&mut findings, file, locks);
        locks.offer(file);
        policy::canonical_pin::attach_fixes(&mut findings, file);
        // Found here, in parallel and while the text is fresh in the cache; applied
        // once the project-wide findings are known.
        file.directives = suppress::directives(file.manifest.kind, &file.manifest.text);
        // Sections are shared: many findings name one.
        let mut sections: Vec<Arc<str>> = Vec::new();
        findings.retain_mut(|finding| {
            let section = if finding.rule.takes_item_type(Item::REQUIREMENT_TYPE) {
                section_at(file, finding.span.start)
            } else {
                None
            };
            finding.section =
                section.map(
                    |section| match sections.iter().find(|known| &***known == section) {
                        Some(known) => Arc::clone(known),
                        None => {
                            let shared: Arc<str> = Arc::from(section);
                            sections.push(Arc::clone(&shared));
                            shared
                        }
                    },
                );
            finding.severity = scope.severity_in(&finding.rule, section);
            scope.is_enabled_in(&finding.rule, section)
        });
        if input.brief {
            for finding in &mut findings {
                finding.help = None;
                finding.label = None;
            }
        }
        if input.fingerprints && !findings.is_empty() {
            let mut comments = None;
            // A finding about another file (a lock) took its line from that file.
            let own = findings.iter_mut().filter(|finding| {
                finding.fingerprint_line.is_none() && finding.path == file.manifest.path
            });
            for finding in own {
                let line = baseline::fingerprint_line(file, finding.start.line, &mut comments);
                finding.fingerprint_line = Some(line.into_boxed_str());
            }
        }
    }
    findings.sort_unstable_by(compare_findings);
    findings
}

/// Free what no later stage reads of a linted file: its items (see [`compact`]) and,
/// when the report does not show it, its text.
fn release(file: &mut SourceFile, input: &CheckInput) {
    if !input.keep_items {
        compact(file);
    }
    let later_checks_read_text = !file.directives.is_empty()
        || file
            .manifest
            .items
            .iter()
            .any(|item| matches!(item, Item::Include(_)));
    // Text given on standard input cannot be read again.
    if input.drop_text && !later_checks_read_text && file.identity.is_some() {
        file.drop_text(input.reread_text);
    }
}

/// Drop the items of a linted file that no later stage reads: includes stay for the
/// include graph, and a real `.env` file keeps its entries so excerpts can mask them.
fn compact(file: &mut SourceFile) {
    let real_env = file.manifest.kind == manifest::ManifestKind::Dotenv && !file.template;
    if !real_env {
        file.manifest
            .items
            .retain(|item| matches!(item, Item::Include(_)));
        file.manifest.items.shrink_to_fit();
    }
}

/// The checks that need the include graph of the whole project.
fn project_findings(files: &[SourceFile], rules: &RuleSet, settings: &Settings) -> Vec<Finding> {
    let project_checks: Vec<(&Arc<Rule>, policy::checks::BuiltinCheck)> = rules
        .rules
        .iter()
        .filter_map(|rule| match &rule.condition {
            Condition::Check(check) if check.is_project_wide() => Some((rule, *check)),
            _ => None,
        })
        .collect();
    if project_checks.is_empty() || !files.iter().any(|f| !f.includes.is_empty()) {
        return Vec::new();
    }
    // These checks report on the includes of a file: only files with includes need
    // their settings, which cost a glob match each.
    let scopes: HashMap<usize, PathSettings> = files
        .iter()
        .enumerate()
        .filter(|(_, file)| !file.includes.is_empty())
        .map(|(index, file)| (index, settings.for_path(&file.manifest.path)))
        .collect();
    let scope_of: HashMap<&Path, &PathSettings> = scopes
        .iter()
        .map(|(index, scope)| (&*files[*index].manifest.path, scope))
        .collect();
    let mut findings = Vec::new();
    for (rule, check) in project_checks {
        let active = |index: usize| {
            scopes
                .get(&index)
                .is_some_and(|scope| scope.is_enabled(rule))
        };
        findings.extend(check.run_on_project(rule, files, &active));
    }
    findings.retain_mut(|finding| match scope_of.get(&*finding.path) {
        Some(scope) => {
            finding.severity = scope.severity_in(&finding.rule, None);
            scope.is_enabled_in(&finding.rule, None)
        }
        None => true,
    });
    findings
}
