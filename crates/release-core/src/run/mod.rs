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
//! [`ScriptedExecutor`]; Python objects are executors too. [`Driver`]s hand
//! ready tasks to an executor, sequentially or up to N at once, taking time
//! from a [`Clock`] the caller passes ([`VirtualClock`], [`FixedClock`]; no
//! real clock here), and show every event they apply, as it happens, to an
//! [`Observer`] (the CLI's appends it to the journal file and syncs it).
//!
//! Drivers run in one of two ways. [`Driver::drive`] simulates: executor
//! calls are made one at a time and "up to N at once" is modelled on the
//! clock from each outcome's `elapsed`, so the same inputs always give the
//! same journal (dry runs, what-ifs, tests). [`Driver::drive_concurrent`]
//! really runs up to N [`ConcurrentExecutor`] calls at once on scoped
//! threads, recording each outcome on the driver's thread as it arrives;
//! the CLI's `release run` drives its shell executor that way. The core
//! still does no I/O of its own: threads only call the caller's executor,
//! and the clock and the observer are the caller's. Either way a panicking
//! executor fails its task instead of the run.
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
mod context;
mod driver;
mod event;
mod executor;
pub mod journal;
mod output;
mod state;
mod task;

pub use self::clock::{Clock, FixedClock, VirtualClock};
pub use self::context::{
    COMPONENT_FIELDS, Piece, RELEASE_NAMES, ReleaseContext, TASK_NAMES, env_name, expand,
    placeholders,
};
pub use self::driver::{DriveReport, Driver, Observer};
pub use self::event::{Event, EventKind, TaskProcess};
pub use self::executor::{
    ConcurrentExecutor, DryRunExecutor, Executor, Observation, Outcome, OutcomeStatus, Planned,
    ScriptedExecutor, dry_run_inputs,
};
pub use self::output::{is_output_name, parse_outputs};
pub use self::state::{BlockReason, Blocked, Run, RunStatus, Snapshot, TaskSnapshot};
pub use self::task::{Task, TaskState};
