//! A report written as the run goes: each file's findings are rendered as soon as the
//! file is linted ([`Piece`]) and kept rendered, in report order, until the findings
//! only the whole project shows are known; then the pieces are written out in order
//! ([`Pieces::write`]). Rendered pieces past a few megabytes go to a temporary file, so
//! memory does not grow with the number of findings.

use std::fs::File;
use std::io::{self, BufRead, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;

use super::{FileReport, Summary};
use crate::config::Settings;
use crate::policy::{Finding, Rule, RuleSet, Severity};
use crate::project::SourceFile;

/// Rendered pieces kept in memory up to this size; past it they are moved to disk.
static IN_MEMORY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(4 << 20);

/// Room past [`IN_MEMORY`] for the piece that crosses it, before the spill.
const SLACK: usize = 1 << 20;

/// Set how much rendered output a run keeps in memory before it moves it to a
/// temporary file (tests set 0, to have every piece go through the file).
pub fn set_memory_limit(bytes: usize) {
    IN_MEMORY.store(bytes, std::sync::atomic::Ordering::Relaxed);
}

/// One file's report: its findings rendered, and their counts.
pub struct Piece {
    path: Option<Arc<Path>>,
    text: Vec<u8>,
    counts: Counts,
    suppressed: usize,
    error: Option<io::Error>,
}

impl Piece {
    /// The piece of a file from its findings (sorted): its inline directives applied,
    /// then rendered by `report`.
    pub fn of(
        findings: Vec<Finding>,
        file: Option<&SourceFile>,
        rules: &RuleSet,
        settings: &Settings,
        report: &dyn FileReport,
    ) -> Piece {
        let (findings, suppressed) = match file {
            Some(file) => {
                let suppression =
                    crate::suppress::apply(findings, std::slice::from_ref(file), rules, settings);
                (suppression.findings, suppression.suppressed)
            }
            None => (findings, 0),
        };
        let path = file
            .map(|file| &file.manifest.path)
            .or(findings.first().map(|finding| &finding.path));
        let mut piece = Piece {
            path: path.map(Arc::clone),
            text: Vec::new(),
            counts: Counts::of(&findings),
            suppressed,
            error: None,
        };
        if !findings.is_empty()
            && let Err(error) = report.file(file, &findings, &mut piece.text)
        {
            piece.error = Some(error);
        }
        piece
    }
}

struct Entry {
    path: Arc<Path>,
    /// Where its text is: at this range of the spill (its file, then its memory).
    stored: std::ops::Range<u64>,
    /// Its counts, to take back out of the run's when a second pass replaces it.
    counts: Counts,
    suppressed: usize,
}

/// A piece's counts, small: a large run keeps one for every file with findings.
struct Counts {
    by_severity: [u32; 3],
    fixable: u32,
    unsafe_fixable: u32,
    /// The rules of the findings, shared with them, and how many each.
    by_rule: Box<[(Arc<Rule>, u32)]>,
}

impl Counts {
    fn of(findings: &[Finding]) -> Counts {
        let mut counts = Counts {
            by_severity: [0; 3],
            fixable: 0,
            unsafe_fixable: 0,
            by_rule: Box::default(),
        };
        let mut by_rule: Vec<(Arc<Rule>, u32)> = Vec::new();
        for finding in findings {
            counts.by_severity[finding.severity as usize] += 1;
            match &finding.fix {
                Some(fix) if fix.unsafe_fix => counts.unsafe_fixable += 1,
                Some(_) => counts.fixable += 1,
                None => {}
            }
            match by_rule
                .iter_mut()
                .find(|(rule, _)| rule.name == finding.rule.name)
            {
                Some((_, count)) => *count += 1,
                None => by_rule.push((Arc::clone(&finding.rule), 1)),
            }
        }
        counts.by_rule = by_rule.into_boxed_slice();
        counts
    }

    /// Add these counts to `summary`, or take them back out (`add` false).
    fn apply(&self, summary: &mut Summary, add: bool) {
        let apply = |total: &mut usize, count: u32| {
            if add {
                *total += count as usize;
            } else {
                *total -= count as usize;
            }
        };
        apply(
            &mut summary.errors,
            self.by_severity[Severity::Error as usize],
        );
        apply(
            &mut summary.warnings,
            self.by_severity[Severity::Warning as usize],
        );
        apply(
            &mut summary.infos,
            self.by_severity[Severity::Info as usize],
        );
        apply(&mut summary.fixable, self.fixable);
        apply(&mut summary.unsafe_fixable, self.unsafe_fixable);
        for (rule, count) in &self.by_rule {
            match summary.by_rule.get_mut(rule.name.as_str()) {
                Some(total) => {
                    apply(total, *count);
                    if *total == 0 {
                        summary.by_rule.remove(rule.name.as_str());
                    }
                }
                None if add => {
                    summary.by_rule.insert(rule.name.clone(), *count as usize);
                }
                None => {}
            }
        }
    }
}

/// The pieces of a run, in the order they came.
pub struct Pieces {
    entries: Vec<Entry>,
    /// The first `on_disk` bytes of the spill are in `file`, the rest in `memory`.
    file: Option<File>,
    on_disk: u64,
    /// Set when the temporary file cannot be written: the rest stays in memory.
    disk_failed: bool,
    memory: Vec<u8>,
    /// Each entry's index by its path, made when a piece is first replaced.
    index: Option<std::collections::HashMap<Arc<Path>, usize>>,
    summary: Summary,
    suppressed: usize,
    error: Option<io::Error>,
}

impl Default for Pieces {
    fn default() -> Self {
        Self::new()
    }
}

impl Pieces {
    pub fn new() -> Pieces {
        Pieces {
            entries: Vec::new(),
            file: None,
            on_disk: 0,
            disk_failed: false,
            memory: Vec::new(),
            index: None,
            summary: Summary::default(),
            suppressed: 0,
            error: None,
        }
    }

    /// Keep `piece`, the next in report order.
    pub fn push(&mut self, piece: Piece) {
        // A file with nothing to report or take back is not kept.
        let keep = !piece.text.is_empty() || piece.suppressed > 0;
        if let Some(entry) = self.store(piece)
            && keep
        {
            self.entries.push(entry);
            self.spill_if_large();
        }
    }

    /// Count `piece` in and add its text to the spill: the entry that says where it is,
    /// or `None` for a piece about no file.
    fn store(&mut self, piece: Piece) -> Option<Entry> {
        self.suppressed += piece.suppressed;
        if let Some(error) = piece.error {
            self.error.get_or_insert(error);
        }
        let path = piece.path?;
        piece.counts.apply(&mut self.summary, true);
        if self.memory.capacity() == 0 && !piece.text.is_empty() {
            // Room for all the pieces kept before a spill, taken once: a buffer grown by
            // doubling copies them into fresh pages at every step (a third of a large
            // report's page faults). Pages are only touched as they are written.
            self.memory
                .reserve_exact(IN_MEMORY.load(std::sync::atomic::Ordering::Relaxed) + SLACK);
        }
        let start = self.on_disk + self.memory.len() as u64;
        self.memory.extend_from_slice(&piece.text);
        let end = self.on_disk + self.memory.len() as u64;
        Some(Entry {
            path,
            stored: start..end,
            counts: piece.counts,
            suppressed: piece.suppressed,
        })
    }

    fn spill_if_large(&mut self) {
        if self.memory.len() > IN_MEMORY.load(std::sync::atomic::Ordering::Relaxed)
            && !self.disk_failed
        {
            self.spill();
        }
    }

    /// Move the pieces in memory to the temporary file. Without one (no temporary
    /// directory that can be written), they stay in memory.
    fn spill(&mut self) {
        if self.file.is_none() {
            match tempfile::tempfile() {
                Ok(file) => self.file = Some(file),
                Err(_) => {
                    self.disk_failed = true;
                    return;
                }
            }
        }
        if let Some(file) = &mut self.file {
            match file.write_all(&self.memory) {
                Ok(()) => {
                    self.on_disk += self.memory.len() as u64;
                    self.memory.clear();
                }
                Err(_) => {
                    // What did not reach the disk stays in memory; the file is not
                    // written again, but what it already holds is read back from it.
                    self.disk_failed = true;
                }
            }
        }
    }

    /// Put `piece` in place of the piece of its file from the first pass, or beside the
    /// others when that file had none. Its text joins the spill like the others.
    pub fn replace(&mut self, piece: Piece) {
        let Some(entry) = self.store(piece) else {
            return;
        };
        let entries = &self.entries;
        let index = self.index.get_or_insert_with(|| {
            entries
                .iter()
                .enumerate()
                .map(|(at, entry)| (Arc::clone(&entry.path), at))
                .collect()
        });
        match index.get(&entry.path) {
            Some(&at) => {
                self.entries[at].counts.apply(&mut self.summary, false);
                self.suppressed -= self.entries[at].suppressed;
                self.entries[at] = entry;
            }
            None => {
                index.insert(Arc::clone(&entry.path), self.entries.len());
                self.entries.push(entry);
            }
        }
        self.spill_if_large();
    }

    /// The counts of every piece (but the number of files checked).
    pub fn summary(&self) -> Summary {
        self.summary.clone()
    }

    /// Findings inline directives removed.
    pub fn suppressed(&self) -> usize {
        self.suppressed
    }

    /// Write the report: `report`'s beginning, every piece in path order, its end.
    pub fn write(
        &mut self,
        report: &dyn FileReport,
        summary: &Summary,
        unreadable: usize,
        out: &mut dyn Write,
    ) -> io::Result<()> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        // Pieces come in path order but for files reached through includes and
        // findings about other files: a stable sort keeps the rest as it is.
        self.entries.sort_by(|a, b| a.path.cmp(&b.path));
        report.begin(out)?;
        let mut reader = match self.file.as_mut() {
            Some(file) => {
                file.seek(SeekFrom::Start(0))?;
                Some(SpillReader::new(file))
            }
            None => None,
        };
        let mut first = true;
        for entry in &self.entries {
            let range = entry.stored.clone();
            if range.is_empty() {
                continue;
            }
            if !first {
                out.write_all(report.separator())?;
            }
            first = false;
            if range.start >= self.on_disk {
                let start = (range.start - self.on_disk) as usize;
                let end = (range.end - self.on_disk) as usize;
                out.write_all(&self.memory[start..end])?;
            } else {
                let reader = reader
                    .as_mut()
                    .ok_or_else(|| io::Error::other("the report's temporary file is gone"))?;
                reader.copy(range, out)?;
            }
        }
        report.end(summary, unreadable, out)
    }
}

/// How far ahead a range may start for the reading in order to skip to it.
#[cfg(unix)]
const SKIP_IN_ORDER: u64 = 1 << 20;

/// Reads ranges of the temporary file, sequentially while they follow each other (the
/// usual case: pieces are spilled in the order they are written).
struct SpillReader<'a> {
    reader: io::BufReader<&'a mut File>,
    position: u64,
    /// For the pieces read where they lie, out of order: one buffer for all of them.
    #[cfg(unix)]
    out_of_order: Vec<u8>,
}

impl<'a> SpillReader<'a> {
    fn new(file: &'a mut File) -> Self {
        SpillReader {
            reader: io::BufReader::with_capacity(1 << 16, file),
            position: 0,
            #[cfg(unix)]
            out_of_order: Vec::new(),
        }
    }

    /// Write the bytes of `range` to `out`.
    fn copy(&mut self, range: std::ops::Range<u64>, out: &mut dyn Write) -> io::Result<()> {
        // A piece a second pass replaced is read where it lies (further on, with the
        // pieces of the second pass), and the reading in order goes on where it was,
        // its buffer kept; a replaced piece left behind is skipped within the buffer.
        #[cfg(unix)]
        if range.start < self.position || range.start - self.position > SKIP_IN_ORDER {
            use std::os::unix::fs::FileExt;
            let buffer = &mut self.out_of_order;
            buffer.clear();
            buffer.resize((range.end - range.start) as usize, 0);
            self.reader.get_ref().read_exact_at(buffer, range.start)?;
            return out.write_all(buffer);
        }
        if range.start != self.position {
            self.reader
                .seek_relative(range.start as i64 - self.position as i64)?;
        }
        // In order, the usual case: straight from the reader's buffer.
        let mut left = range.end - range.start;
        while left > 0 {
            let available = self.reader.fill_buf()?;
            if available.is_empty() {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let now = available
                .len()
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            out.write_all(&available[..now])?;
            self.reader.consume(now);
            left -= now as u64;
        }
        self.position = range.end;
        Ok(())
    }
}
