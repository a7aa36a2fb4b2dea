//! `pinwarden server`: how long after a change to a 10,000-line requirements file its
//! diagnostics are published (`cargo bench --bench server`). The goal is 20 ms.
//!
//! The server is spawned and spoken to over its standard input and output as an editor
//! does (the client of tests/common/lsp.rs); each sample is the time from sending
//! `didChange` to reading the `publishDiagnostics` of that version, JSON both ways
//! included. The lint alone, in process, is measured beside it.

#[path = "../tests/common/lsp.rs"]
#[allow(dead_code)]
mod lsp;

use std::time::{Duration, Instant};

use serde_json::json;

const LINES: usize = 10_000;
const SAMPLES: usize = 50;

/// A requirements file of `LINES` lines: mostly exact pins, ranges, bare names,
/// comments and markers, as a large file with hand edits has (no hashes: one would put
/// the whole file in hash-checking mode and flag every other line).
fn requirements(edit: usize) -> String {
    let mut out = String::with_capacity(LINES * 40);
    for line in 0..LINES {
        let name = format!("package-{line}");
        match line % 10 {
            0 => out.push_str(&format!("# group {line}\n")),
            1 => out.push_str(&format!("{name}>=1.{}\n", line % 7)),
            2 => out.push_str(&format!("{name}\n")),
            3 => out.push_str(&format!("{name}[extra]==2.{}.0\n", line % 9)),
            4 => out.push_str(&format!(
                "{name}==1.0.{} ; python_version >= \"3.10\"\n",
                line % 5
            )),
            _ => out.push_str(&format!("{name}==3.{}.{}\n", line % 11, line % 3)),
        }
    }
    // The edit: one line changed, as typing does.
    out.push_str(&format!("edited-package=={edit}.0\n"));
    out
}

fn summary(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    println!(
        "{label:<44} median {:>7.2} ms   p90 {:>7.2} ms   max {:>7.2} ms",
        at(0.5).as_secs_f64() * 1e3,
        at(0.9).as_secs_f64() * 1e3,
        at(1.0).as_secs_f64() * 1e3,
    );
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("requirements.txt");
    std::fs::write(&path, requirements(0)).unwrap();

    let mut in_process = Vec::new();
    for edit in 1..=SAMPLES {
        let text = requirements(edit);
        let started = Instant::now();
        let linted = pinwarden::server::lint_file_text(&path, text);
        let diagnostics = pinwarden::server::diagnostics(&linted);
        std::hint::black_box(diagnostics);
        in_process.push(started.elapsed());
    }

    let mut client = lsp::Client::start(
        dir.path(),
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}}),
    );
    let uri = client.open(&path, "pip-requirements", 0);
    let first = client.diagnostics(&uri, 0);
    let mut published = Vec::new();
    for edit in 1..=SAMPLES {
        let text = requirements(edit);
        let version = edit as i64;
        let started = Instant::now();
        client.change(&uri, version, &text);
        let diagnostics = client.diagnostics(&uri, version);
        published.push(started.elapsed());
        assert_eq!(diagnostics.len(), first.len());
    }
    client.shutdown();

    println!(
        "{LINES}-line requirements file, {} diagnostics, {SAMPLES} changes",
        first.len()
    );
    summary("lint and diagnostics, in process", in_process);
    summary("didChange to publishDiagnostics, over stdio", published);
}
