//! release-core turns a team's release process into data and answers, with
//! reasons, what happens next, when, and why not yet.
//!
//! This release covers the first capability: **versions and tags**. See
//! [`version`] for SemVer and CalVer schemes, tag templates, next-version
//! rules, pre-release promotion, floating tags and tag classification.
//!
//! **Pipelines, gates and runs.** [`pipeline`] turns components,
//! environments and steps (with matrices, estimates and gates) into a
//! validated DAG with a topological order, a critical path and DOT/Mermaid
//! drawings. [`gate`] decides rules over facts (tests, counts, approvals
//! without self-approval, calendar answers, soak times, tag and pin rules,
//! test matrices) with waivers and verdicts that give every reason. [`run`]
//! is the sans-IO engine: a state machine fed timestamped events, a JSON-lines
//! journal that replays to the same state, executors and drivers on a clock
//! the caller passes.
//!
//! **Notes and tickets.** [`notes`] groups conventional-commit changes into
//! configured sections as Markdown release notes, writes the release ticket
//! (`Release 2026.02.1` with pins and bullet points) and reads the pins back
//! from a ticket, refusing to guess.
//!
//! **Release lines.** [`line`](mod@line) groups versions into release lines (`1.35`
//! for `1.35.x`, Node.js majors, CalVer years) and dates each line's
//! support phases (current, active LTS, maintenance, end of life) by rule:
//! which lines are supported on a date, until when, and each line's next
//! patch.
//!
//! **Release trains.** [`train`] plays a team's release cadence (release
//! days from a calendar schedule, environments in promotion order, hotfixes
//! and warmfixes) week by week on a virtual clock, and says what each
//! environment holds and why.
//!
//! # Example
//!
//! ```
//! use release_core::version::{Level, Scheme};
//!
//! let scheme = Scheme::semver();
//! let current = scheme.parse("v1.4.2")?;
//! assert_eq!(scheme.next(Some(&current), Level::Minor)?.to_string(), "v1.5.0");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What this crate does not do
//!
//! release-core is pure. It reads no file, no clock, no environment
//! variable, opens no socket and spawns no process; `clippy.toml` makes that
//! a compiler check. Time comes in as an argument, facts come in as values,
//! and effects go out as values. Reading `release.toml`, calling `git` or
//! the GitHub API, and printing belong to the caller: the `release` CLI and
//! the `release_core` Python module are two such callers.
//!
//! # Features
//!
//! - `schema` (off by default): the `schema` module generates a JSON Schema of the
//!   process file from the model types, for editors to validate and complete
//!   `release.toml`. It adds the `schemars` dependency.
//!
//! # Errors
//!
//! Every fallible function returns [`Error`], whose [`kind`](Error::kind)
//! says what went wrong and whose message names the input and the place.

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![warn(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod calendar;
mod doc_path;
pub mod duration;
pub mod edit;
mod error;
pub mod evidence;
pub mod export;
pub mod gate;
pub mod identity;
pub mod line;
pub mod notes;
pub mod pipeline;
pub mod process;
pub mod run;
#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "schema")]
mod schema_shapes;
pub mod state;
pub mod train;
pub mod version;
pub mod vocab;
mod warning;

pub use error::{Error, ErrorKind, Location, Result};
pub use warning::{Warned, Warning, WarningKind, collect_warnings};

/// The README's Rust examples, compiled and run as doc tests so the README
/// cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
