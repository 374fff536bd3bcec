//! The tags a command left out because they are not of the scheme: one
//! line on stderr per list (a count and the first few with their reasons)
//! and a `rejected` array in the `--json` answer, so no tag is dropped in
//! silence whatever the command.
//!
//! Like [`crate::warnings`], kept for the command's one run: the answer's
//! JSON is written after the lists are read.

use std::io::Write;
use std::sync::Mutex;

use release_core::version::{Rejected, TagList};

static FOUND: Mutex<Vec<Rejected>> = Mutex::new(Vec::new());

/// Says on stderr, in one line, which of `read` tags of `what` (a
/// component, or the scheme) were left out, and keeps them for the JSON
/// answer. Nothing is printed for an empty list.
pub fn report(what: &str, read: usize, rejected: &[Rejected]) {
    report_counted(what, read, rejected.len(), rejected);
}

/// [`report`] for a bulk path that counted `left_out` tags but built the
/// reasons of only some (`examples`, at least the first
/// [`Rejected::SHOWN`], or all when the answer lists them).
pub fn report_counted(what: &str, read: usize, left_out: usize, examples: &[Rejected]) {
    if left_out == 0 {
        return;
    }
    FOUND
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .extend(examples.iter().cloned());
    // A failed write to stderr loses a note, not the answer.
    let _ = writeln!(
        std::io::stderr().lock(),
        "{}",
        line(what, read, left_out, examples)
    );
}

/// [`report`] of a read list, and its warnings (tags read leniently).
pub fn report_list(what: &str, read: usize, list: &TagList) {
    report(what, read, &list.rejected);
    crate::warnings::report(list.warnings.iter().cloned());
}

/// The stderr line: `note: 2 of 5 tags left out, not of SemVer: "junk" (...), "v2" (...)`.
fn line(what: &str, read: usize, left_out: usize, examples: &[Rejected]) -> String {
    let mut text = format!(
        "note: {}",
        Rejected::summary(what, read, left_out, examples)
    );
    if left_out > Rejected::SHOWN {
        text.push_str(" (--json lists them all)");
    }
    text
}

/// The tags left out so far, in order.
pub fn all() -> Vec<Rejected> {
    FOUND
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use release_core::version::{Scheme, TagScheme};

    #[test]
    fn one_line_names_the_first_few_and_counts_the_rest() {
        let scheme = TagScheme::from(Scheme::semver());
        let texts = ["1.0.0", "junk", "v2", "x", "y", "z"];
        let list = scheme.parse_all(texts);
        let text = line(
            &scheme.describe(),
            texts.len(),
            list.rejected.len(),
            &list.rejected,
        );
        assert!(
            text.starts_with("note: 5 of 6 tags left out, not of SemVer"),
            "{text}"
        );
        assert!(text.contains("\"junk\" ("), "{text}");
        assert!(
            text.ends_with(", and 2 more (--json lists them all)"),
            "{text}"
        );
        assert!(!text.contains('\n'));
    }
}
