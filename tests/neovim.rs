//! `pinwarden server` end to end with a real editor: Neovim's built-in LSP client, run
//! headless with tests/neovim/diagnostics.lua, opens a requirements file and prints the
//! diagnostics it received.
//!
//! `.ci/run` installs Neovim (Debian's `neovim`). Under CI (`CI` set) a missing `nvim`
//! fails the test; elsewhere it is reported as skipped.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

fn nvim() -> Option<&'static str> {
    let found = Command::new("nvim")
        .arg("--version")
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|output| output.status.success());
    match found {
        true => Some("nvim"),
        false if common::reference::in_ci() => {
            panic!("nvim is not installed (.ci/run installs Debian's `neovim`)")
        }
        false => {
            eprintln!("note: skipped: nvim is not installed (`apt-get install neovim`)");
            None
        }
    }
}

#[test]
fn neovim_shows_the_servers_diagnostics() {
    let Some(nvim) = nvim() else {
        return;
    };
    let dir = common::tree(&[("requirements.txt", "requests>=2\nflask\ndjango==5.1.4\n")]);
    let home = tempfile::tempdir().unwrap();
    let out = dir.path().join("diagnostics.out");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/neovim/diagnostics.lua");
    let status = Command::new(nvim)
        .args(["--headless", "-u", "NONE", "-i", "NONE", "--noplugin", "-n"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .current_dir(dir.path())
        // No configuration, log or state of the user's.
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CACHE_HOME", home.path().join("cache"))
        .env("PINWARDEN_BIN", env!("CARGO_BIN_EXE_pinwarden"))
        .env("PINWARDEN_FILE", dir.path().join("requirements.txt"))
        .env("PINWARDEN_OUT", &out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    let printed = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(status.success(), "nvim: {status}: {printed}");
    // Sorted by Neovim's line and column; each message is followed by its help line.
    let help = "help: Pin one version with `==X.Y.Z` (`X.Y.Z` in package.json); with a lock file (`uv lock`, `poetry lock`, `pip-compile`, `pnpm install`), `pinwarden check --fix` writes the locked version.";
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(
        lines,
        [
            "0:8 version-range `requests` allows more than one version: `>=2`",
            help,
            "1:0 unpinned-requirement `flask` is not pinned: any version may be installed",
            help,
        ]
    );
}
