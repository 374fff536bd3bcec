//! release-core turns a team's release process into data and answers, with
//! reasons, what happens next, when, and why not yet.
//!
//! It covers, from the lowest module up:
//!
//! - **Building blocks.** [`duration`]: spans (`1h30m`) and estimates
//!   (`3m..4m`). [`identity`]: people as logins (approvers, requesters).
//!   [`vocab`]: the one spelling of every user-facing name. [`edit`]: file
//!   edits as text in, text out (a CHANGELOG section, a value at a key path
//!   of a TOML, JSON or YAML file, the rest kept byte for byte).
//! - **Versions and tags.** [`version`]: SemVer, CalVer and PEP 440
//!   schemes, tag templates, next versions from levels, dates or
//!   conventional commits, pre-release promotion, floating tags, tag rules
//!   and classification.
//! - **Calendars.** [`calendar`]: RFC 5545 recurrences in IANA zones,
//!   holidays with policies, schedules with overrides, windows, offsets,
//!   milestones, rotations, ICS export.
//! - **Gates.** [`gate`]: rules over facts (tests, counts, approvals
//!   without self-approval, calendar answers, soak times, tag and pin rules,
//!   test matrices) with waivers and verdicts that give every reason.
//! - **Release lines.** [`line`](mod@line): versions grouped into lines
//!   (`1.35` for `1.35.x`, Node.js majors, CalVer years) and each line's
//!   support phases (current, active, maintenance, end of life) by rule.
//! - **Release state.** [`state`]: what each component last released, its
//!   transitions and its check against the tags.
//! - **Pipelines and runs.** [`pipeline`]: components, environments and
//!   steps (with matrices, estimates and gates) validated into a DAG with an
//!   order, a critical path and DOT/Mermaid drawings. [`run`]: the sans-IO
//!   engine, a state machine fed timestamped events, a hash-chained
//!   JSON-lines journal that replays to the same state, executors and
//!   drivers on a clock the caller passes.
//! - **Trains.** [`train`]: a release cadence played week by week on a
//!   virtual clock, saying what each environment holds and why.
//! - **Evidence and notes.** [`evidence`]: the release evidence record of a
//!   replayed run. [`notes`]: release notes in sections, the release
//!   ticket, and the pins read back from a ticket.
//! - **Process files.** [`process`]: a whole `release.toml`, validated with
//!   errors at file, line and column, and its answers (plan, explain, next
//!   versions, simulate, calendar facts, a Gantt chart of the next
//!   releases).
//! - **CI engines.** [`export`]: a process as a GitHub Actions workflow
//!   (with its environments' settings) or a GitLab CI pipeline, and a
//!   GitHub Actions run imported back into a journal.
//! - **Schema** (feature `schema`): the JSON Schema of `release.toml`, in
//!   the `schema` module.
//!
//! Errors and warnings are values at the crate root: [`Error`] (with its
//! [`ErrorKind`] and [`Location`]) and [`Warning`] beside a result in
//! [`Warned`].
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

/// The crate's own README (its crates.io page), checked the same way; it is
/// inside the package, so this holds in the published crate too.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct CrateReadmeDoctests;
