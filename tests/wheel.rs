//! The Python package: maturin (from PyPI, pinned with hashes in
//! tests/wheel/requirements.txt) builds the wheel from pyproject.toml into a fresh
//! virtual environment, and the `pinwarden` it installs checks the examples as the
//! binary under test does.
//!
//! The wheel is built with the dev profile into this test build's target directory:
//! the compiled dependencies are reused, and what is tested is the packaging, not the
//! optimiser. Under CI (`CI` set) a missing python3 or PyPI fails the test; elsewhere
//! it is reported as skipped.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::reference::{clean, in_ci, run};

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh virtual environment under `dir`; its `bin` directory.
fn venv(dir: &Path) -> Result<PathBuf, String> {
    run(Command::new("python3").args(["-m", "venv"]).arg(dir))?;
    Ok(dir.join("bin"))
}

/// Build the wheel into `out` with maturin from PyPI; the wheel's path.
fn build_wheel(work: &Path) -> Result<PathBuf, String> {
    let bin = venv(&work.join("build-venv"))?;
    run(clean(Command::new(bin.join("pip")))
        .args(["install", "--quiet", "--no-deps", "--require-hashes", "-r"])
        .arg(repo().join("tests/wheel/requirements.txt")))?;
    let out = work.join("dist");
    // CARGO_TARGET_TMPDIR is `<target>/tmp`: the target directory is its parent.
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap();
    run(Command::new(bin.join("maturin"))
        .args(["build", "--profile", "dev", "--locked", "--quiet", "--out"])
        .arg(&out)
        .arg("--manifest-path")
        .arg(repo().join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target))?;
    let wheel = std::fs::read_dir(&out)
        .map_err(|e| e.to_string())?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .find(|path| path.extension().is_some_and(|ext| ext == "whl"))
        .ok_or("maturin made no wheel")?;
    Ok(wheel)
}

#[test]
fn the_wheel_installs_a_pinwarden_that_checks_the_examples() {
    let work = tempfile::tempdir().unwrap();
    let wheel = match build_wheel(work.path()) {
        Ok(wheel) => wheel,
        Err(why) if in_ci() => panic!("the wheel cannot be built: {why}"),
        Err(why) => {
            eprintln!("note: skipped: the wheel cannot be built here: {why}");
            return;
        }
    };
    let name = wheel.file_name().unwrap().to_str().unwrap();
    assert!(
        name.starts_with(&format!(
            "pinwarden-{}-py3-none-",
            env!("CARGO_PKG_VERSION")
        )),
        "{name}"
    );
    let bin = venv(&work.path().join("venv")).unwrap();
    run(clean(Command::new(bin.join("pip")))
        .args(["install", "--quiet", "--no-deps", "--no-index"])
        .arg(&wheel))
    .unwrap();
    let installed = bin.join("pinwarden");
    let check = |program: &Path| {
        Command::new(program)
            .args(["check", "examples", "--format", "concise"])
            .current_dir(repo())
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    let from_wheel = check(&installed);
    let under_test = check(Path::new(env!("CARGO_BIN_EXE_pinwarden")));
    let stdout = String::from_utf8_lossy(&from_wheel.stdout);
    // The examples are there to be flagged.
    assert_eq!(from_wheel.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("error[version-range]"), "{stdout}");
    assert_eq!(stdout, String::from_utf8_lossy(&under_test.stdout));
    let version = Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("pinwarden {}", env!("CARGO_PKG_VERSION"))
    );
}
