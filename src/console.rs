//! Every line pinwarden writes to standard output or standard error goes through here,
//! so a write can never panic as `print!` does. A closed pipe (`pinwarden rules | head
//! -1`) ends the run quietly with exit 0, as ripgrep does: the reader asked for no more.
//! Any other write error (a full disk) is one line on standard error and exit 2.

use std::fmt;
use std::io::{self, Write};

use crate::safe_output::SafeWriter;

/// Write to standard output, through [`SafeWriter`]: no URL password, no control
/// character of a file's leaves.
pub fn out(args: fmt::Arguments) {
    let mut writer = SafeWriter::new(io::stdout().lock(), true);
    if let Err(error) = writer.write_fmt(args).and_then(|()| writer.flush()) {
        write_failed(&error);
    }
}

/// Write rule documentation to standard output: control characters escaped, its
/// example URLs as written.
pub fn out_documentation(args: fmt::Arguments) {
    let mut writer = SafeWriter::documentation(io::stdout().lock());
    if let Err(error) = writer.write_fmt(args).and_then(|()| writer.flush()) {
        write_failed(&error);
    }
}

/// Write a report that draws with colours of its own to standard error: credentials
/// masked, its escape sequences kept (its inputs were neutralized when it was drawn).
pub fn err_rendered(text: &str) {
    let mut writer = SafeWriter::new(io::stderr().lock(), false);
    if let Err(error) = writer
        .write_all(text.as_bytes())
        .and_then(|()| writer.flush())
    {
        write_failed(&error);
    }
}

/// Write to standard error, through [`SafeWriter`].
pub fn err(args: fmt::Arguments) {
    let mut writer = SafeWriter::new(io::stderr().lock(), true);
    if let Err(error) = writer.write_fmt(args).and_then(|()| writer.flush()) {
        write_failed(&error);
    }
}

/// End the process after a failed write: quietly for a closed pipe, else with one line
/// on standard error (if it can still be written) and exit 2.
pub fn write_failed(error: &io::Error) -> ! {
    if error.kind() == io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = writeln!(io::stderr(), "pinwarden: cannot write output: {error}");
    std::process::exit(2);
}

/// `println!` through [`out`].
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::console::out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `eprintln!` through [`err`].
#[macro_export]
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::console::err(format_args!("{}\n", format_args!($($arg)*)))
    };
}
