//! The commands, one module per command group.

pub mod calendar;
pub mod check;
pub mod edit;
pub mod evidence;
pub mod explain;
pub mod export;
pub mod graph;
pub mod import;
pub mod journal;
pub mod lines;
pub mod manual;
pub mod notes;
pub mod plan;
pub mod record;
pub mod run;
pub mod schema;
pub mod simulate;
pub mod version;

/// How a command ended when it did not fail with an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The answer was given: exit 0.
    Done,
    /// The answer is "no" (a hard rule failed, nothing matched): exit 1.
    Blocked,
    /// The answer was given for the valid inputs, but some subject was
    /// invalid and reported on stderr: exit 2.
    Invalid,
}
