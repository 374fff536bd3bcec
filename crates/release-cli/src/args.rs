//! Argument groups and value parsers shared by several commands: the
//! process file and instant a question is asked at, what is known
//! (facts, a journal, tags), and dates and instants on the command line.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

/// What is known when a process is asked about: facts, a run's journal,
/// existing tags.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// Facts (test results, approvals, counts) as a JSON array or JSON
    /// lines, in release-core's `Fact` shape. The calendar's own facts
    /// (windows open, holidays) are added.
    #[arg(long, value_name = "PATH")]
    pub facts: Option<PathBuf>,
    /// The journal of a run in progress (`release run --journal`).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// A file of existing tags, one `COMPONENT TAG` a line.
    #[arg(long, value_name = "PATH")]
    pub tags: Option<PathBuf>,
    /// An existing tag of a component (repeatable).
    #[arg(long, value_name = "COMPONENT=TAG")]
    pub tag: Vec<String>,
    /// Where a component's local git clone is (repeatable; overrides its
    /// `path` in the process file): its tags and the commits since its
    /// latest tag are read with `git`. Without tags given and without
    /// repositories named, a component with a `path` reads that clone, and
    /// a process of one component reads the repository its file is at the
    /// top of (`release next release.toml` in a clone).
    #[arg(long, value_name = "COMPONENT=PATH")]
    pub repo: Vec<String>,
}

/// A process file and the instant a question is asked at.
#[derive(Debug, Args)]
pub struct ProcessAt {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Answer at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

pub(crate) fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| format!("invalid date {text:?}: {e}; expected YYYY-MM-DD"))
}

pub(crate) fn parse_now(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            format!(
                "invalid time {text:?}: {e}; expected RFC 3339 such as 2020-07-01T12:00:00+03:00"
            )
        })
}

/// A person on the command line (`--by`, `--requested-by`): the core's
/// identity format, normalised (`Alice ` is `alice`), anything else refused
/// with the core's reason.
pub(crate) fn parse_identity(text: &str) -> Result<release_core::identity::Identity, String> {
    release_core::identity::Identity::new(text).map_err(|e| e.to_string())
}
