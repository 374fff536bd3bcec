//! Runs: the sans-IO release engine.
//!
//! A [`Run`] is a state machine over a [`Pipeline`](crate::pipeline::Pipeline).
//! Each task is pending, ready, running, succeeded, failed, skipped,
//! waived or cancelled ([`TaskState`]). Inputs are timestamped [`Event`]s;
//! outputs are the ready tasks, the blocked ones with reasons, and the next
//! instant at which something changes by itself. Every event goes to the
//! journal; [`journal`] encodes it as JSON lines, and [`Run::replay`]
//! rebuilds the same state from it. [`Run::resume`] marks tasks that were
//! started but never finished as interrupted, so they run again, while
//! succeeded tasks never do.
//!
//! A failure blocks only the tasks downstream of it. Steps retry up to
//! their `max_attempts`; manual steps wait for an approval event; wait
//! steps run on the clock; gates are evaluated over the run's facts at the
//! time of each event, and a task whose gates do not pass is never ready.
//!
//! [`Executor`]s carry out tasks: the core ships [`DryRunExecutor`] and
//! [`ScriptedExecutor`]; the CLI adds a shell executor, Python objects are
//! executors too. [`Driver`]s hand ready tasks to an executor, sequentially
//! or up to N at once, taking time from a [`Clock`] the caller passes
//! ([`VirtualClock`], [`FixedClock`]; no real clock here).
//!
//! # Example
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use release_core::pipeline::{Pipeline, Step, StepKind};
//! use release_core::run::{journal, Driver, Outcome, Run, RunStatus, ScriptedExecutor, VirtualClock};
//!
//! let p = Pipeline::builder()
//!     .step(Step::new("build", StepKind::Build).max_attempts(2))
//!     .step(Step::new("deploy", StepKind::Deploy).needs(["build"]))
//!     .build()?;
//! let mut run = Run::new(p.clone());
//! let mut exec = ScriptedExecutor::new().script("build", [Outcome::failure("flaky network")]);
//! let mut clock = VirtualClock::new(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap());
//! let report = Driver::sequential().drive(&mut run, &mut exec, &mut clock)?;
//! assert_eq!(report.status, RunStatus::Succeeded);
//! assert_eq!(exec.calls(), [("build".into(), 1), ("build".into(), 2), ("deploy".into(), 1)]);
//!
//! // The journal rebuilds the same run.
//! let text = journal::encode_all(run.journal())?;
//! let replayed = Run::replay(p, journal::decode(&text)?.events)?;
//! assert_eq!(replayed, run);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod clock;
mod driver;
mod event;
mod executor;
pub mod journal;
mod state;
mod task;

pub use self::clock::{Clock, FixedClock, VirtualClock};
pub use self::driver::{DriveReport, Driver};
pub use self::event::{Event, EventKind};
pub use self::executor::{
    DryRunExecutor, Executor, Observation, Outcome, OutcomeStatus, Planned, ScriptedExecutor,
};
pub use self::state::{BlockReason, Blocked, Run, RunStatus, Snapshot, TaskSnapshot};
pub use self::task::{Task, TaskState};
