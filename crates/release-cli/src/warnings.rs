//! The warnings of one command: printed on stderr as they are found, and
//! added to the `--json` answer as a `warnings` array.
//!
//! Warnings come from argument parsing (a deprecated spelling of a value),
//! reading files (a process file's deprecated spellings) and answers (tags
//! left out); a value parser has no way to hand them to the command, so
//! they are kept here for the command's one run.

use std::io::Write;
use std::sync::Mutex;

use release_core::Warning;

static FOUND: Mutex<Vec<Warning>> = Mutex::new(Vec::new());

/// Prints each warning on stderr (`warning: file:line:col: message`) and
/// keeps it for the JSON answer.
pub fn report(warnings: impl IntoIterator<Item = Warning>) {
    let mut found = FOUND
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut stderr = std::io::stderr().lock();
    for warning in warnings {
        // A failed write to stderr loses a note, not the answer.
        let _ = writeln!(stderr, "warning: {warning}");
        found.push(warning);
    }
}

/// The warnings reported so far, in order.
pub fn all() -> Vec<Warning> {
    FOUND
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}
