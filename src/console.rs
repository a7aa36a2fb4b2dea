//! Every line pinwarden writes to standard output or standard error goes through here,
//! so a write can never panic as `print!` does. A closed pipe (`pinwarden rules | head
//! -1`) ends the run quietly with exit 0, as ripgrep does: the reader asked for no more.
//! Any other write error (a full disk) is one line on standard error and exit 2.

use std::fmt;
use std::io::{self, Write};

/// Write to standard output.
pub fn out(args: fmt::Arguments) {
    let stdout = io::stdout();
    let mut lock = stdout.lock();
    if let Err(error) = lock.write_fmt(args).and_then(|()| lock.flush()) {
        write_failed(&error);
    }
}

/// Write to standard error.
pub fn err(args: fmt::Arguments) {
    let stderr = io::stderr();
    let mut lock = stderr.lock();
    if let Err(error) = lock.write_fmt(args) {
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
