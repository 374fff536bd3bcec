//! Process files: a team's whole release process in one `release.toml`.
//!
//! A [`ProcessDef`] is the file as written: components, environments in
//! promotion order, pipeline steps with gates and matrices, schedules,
//! windows, rotations and milestones. [`Process`] is the validated form:
//! the pipeline built, every name resolved, the calendar turned into facts
//! for gates. From it come the answers a release day needs: what happens
//! next and when ([`Process::plan`]), why a step or an environment is not
//! ready yet and until when ([`Process::explain`]), and the next version of
//! each component ([`Process::next_versions`]), for each release day of
//! `[[releases]]` with the kind of release it ships
//! ([`Process::next_releases`]).
//!
//! The core never reads the file: callers pass its text and a name for it,
//! and every error comes back placed at that name's line and column.
//!
//! [`gantt`] draws the next releases as a Mermaid Gantt chart.

mod context;
mod def;
mod explain;
mod gantt;
mod model;
mod next;
mod now;
mod plan;
mod releases;
mod source;

pub use self::def::ProcessDef;
pub use self::explain::{Explanation, Target};
pub use self::gantt::{GANTT_MAX_RELEASES, gantt};
pub use self::model::{CALENDAR_SOURCE, Process};
pub use self::next::{NextRelease, NextVersion};
pub use self::plan::{Plan, PlannedStep, Release};
pub use self::releases::{KindRule, OccurrenceMatch, ReleaseDef};
