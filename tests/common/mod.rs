//! Helpers the integration tests share: a tree of files in a temporary directory, and
//! pinwarden run in it as a user runs it.

// Each test binary uses its own subset.
#![allow(dead_code)]

pub mod lsp;

use std::path::Path;
use std::process::{Command, Stdio};

/// `files` (path, text) written under a fresh temporary directory.
pub fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// `pinwarden ARGS` run in `dir` without colour or standard input: exit code,
/// standard output, standard error.
pub fn pinwarden(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_pinwarden"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
pub mod reference;

/// A small deterministic generator (SplitMix64): generated cases are the same on every
/// run, so a failure reproduces.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// `pinwarden check --isolated --format concise ARGS` in `dir`: the one-line report,
/// with no configuration but the built-in one.
pub fn concise(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let mut all = vec!["check", "--isolated", "--format", "concise"];
    all.extend_from_slice(args);
    pinwarden(dir, &all)
}
