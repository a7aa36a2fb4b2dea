//! The reference implementations pinwarden is compared with (pip, packaging,
//! python-dotenv): a virtual environment per pinned requirements file, installed with
//! `--require-hashes` from PyPI, made once and reused.
//!
//! Under CI (`CI` set) a reference that cannot be set up fails the test; elsewhere the
//! test says so on standard error and returns without comparing.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use sha2::{Digest, Sha256};

/// Whether this run is CI's, where every reference must be compared.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|value| !value.is_empty() && value != "false")
}

/// Runs `command`; its output, or why it failed.
pub fn run(command: &mut Command) -> Result<Output, String> {
    let output = command
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "{command:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output)
}

/// A command with no pip settings from the environment or configuration files.
pub fn clean(mut command: Command) -> Command {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PIP_") {
            command.env_remove(key);
        }
    }
    command
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
        .env("PIP_NO_INPUT", "1")
        .env("PYTHONDONTWRITEBYTECODE", "1");
    command
}

/// The Python of a virtual environment holding what `requirements` (a path under
/// `tests/`) pins; `None` after a note when it cannot be made outside CI.
pub fn python(requirements: &str) -> Option<PathBuf> {
    match make(requirements) {
        Ok(python) => Some(python),
        Err(why) if in_ci() => panic!("the reference ({requirements}) cannot be set up: {why}"),
        Err(why) => {
            eprintln!("note: not compared with the reference ({requirements}): {why}");
            None
        }
    }
}

fn make(requirements: &str) -> Result<PathBuf, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(requirements);
    let pins = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let key: String = Sha256::digest(&pins)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reference");
    let home = root.join(key);
    let python = home.join("venv/bin/python");
    if home.join("ready").exists() {
        return Ok(python);
    }
    // Made aside and moved into place whole, so an interrupted set-up is never taken
    // and test binaries running at once do not share a half-made one.
    let partial = root.join(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| e.to_string())?;
    let made = (|| -> Result<(), String> {
        run(clean(Command::new("python3"))
            .args(["-m", "venv"])
            .arg(partial.join("venv")))?;
        run(clean(Command::new(partial.join("venv/bin/python")))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--require-hashes",
                "-r",
            ])
            .arg(&path))?;
        std::fs::write(partial.join("ready"), "").map_err(|e| e.to_string())
    })();
    if let Err(why) = made {
        let _ = std::fs::remove_dir_all(&partial);
        return Err(why);
    }
    if std::fs::rename(&partial, &home).is_err() {
        // Made meanwhile by another test binary.
        let _ = std::fs::remove_dir_all(&partial);
    }
    if !home.join("ready").exists() {
        return Err(format!("{} was not made", home.display()));
    }
    Ok(python)
}
