//! Printing to stdout the way command-line tools do: when the reader goes away
//! (`cockpit can decode log | head`), the program ends quietly instead of panicking.

use std::io::Write;

/// Writes one line to stdout; exits with success when stdout is a closed pipe, since nobody
/// is left to read what comes next.
pub fn line(args: std::fmt::Arguments) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        // Any other stdout failure (a full disk) leaves nothing sensible to report it to.
        eprintln!("error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

/// `println!` that ends the program quietly when stdout is a closed pipe.
#[macro_export]
macro_rules! outln {
    () => { $crate::output::line(format_args!("")) };
    ($($arg:tt)*) => { $crate::output::line(format_args!($($arg)*)) };
}
