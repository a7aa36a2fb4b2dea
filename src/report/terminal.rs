//! How output looks on a terminal: whether to colour it and how wide to wrap it,
//! decided once from the `--color` flag, the environment and the output itself.
//!
//! `--color always|never` wins; then `NO_COLOR` (any non-empty value) turns colour off,
//! `FORCE_COLOR` or `CLICOLOR_FORCE` (non-empty, not `0`) turn it on, as the
//! conventions at no-color.org and force-color.org say; otherwise colour is on for a
//! terminal only.

use std::io::IsTerminal;

/// The `--color` flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub fn from_name(name: &str) -> Option<ColorChoice> {
        match name {
            "auto" => Some(ColorChoice::Auto),
            "always" => Some(ColorChoice::Always),
            "never" => Some(ColorChoice::Never),
            _ => None,
        }
    }
}

/// Whether to colour output that goes to a terminal (`is_terminal`) or not.
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) => false,
        ColorChoice::Auto if set("FORCE_COLOR") || set("CLICOLOR_FORCE") => true,
        ColorChoice::Auto => is_terminal,
    }
}

/// The width to wrap the human report to: the terminal's when standard output is one,
/// else `COLUMNS` when set; `None` leaves the renderer's default.
pub fn width() -> Option<usize> {
    let stdout = std::io::stdout();
    if stdout.is_terminal()
        && let Some(columns) = terminal_columns(&stdout)
    {
        return Some(columns);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|columns| columns.trim().parse().ok())
        .filter(|columns| *columns >= 20)
}

#[cfg(target_os = "linux")]
fn terminal_columns(stdout: &std::io::Stdout) -> Option<usize> {
    let size = rustix::termios::tcgetwinsize(stdout).ok()?;
    (size.ws_col >= 20).then_some(usize::from(size.ws_col))
}

#[cfg(not(target_os = "linux"))]
fn terminal_columns(_: &std::io::Stdout) -> Option<usize> {
    None
}
