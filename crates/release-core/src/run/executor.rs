//! Executors carry out tasks; the core ships two that do no I/O.

use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};

use chrono::{DateTime, Utc};

use super::event::Event;
use super::state::Run;
use super::task::Task;
use crate::duration::Span;
use crate::gate::{FactKind, FactValue};
use crate::identity::Identity;

/// Carries out one task and reports the outcome.
///
/// The engine never calls an executor for a manual task (those wait for
/// an approval event) or a wait step (those are timers). The CLI's shell
/// executor runs [`Task::command`]; a Python object with an `execute`
/// method is another. An executor reports failure as an [`Outcome`];
/// should it panic all the same, the [`Driver`](super::Driver) records the
/// task as failed with the panic's message and the run goes on.
///
/// [`Driver::drive`](super::Driver::drive) calls an executor one task at a
/// time; for tasks that really run at once, see [`ConcurrentExecutor`].
pub trait Executor {
    /// Carries out `task`.
    fn execute(&mut self, task: &Task<'_>) -> Outcome;
}

impl<F: FnMut(&Task<'_>) -> Outcome> Executor for F {
    fn execute(&mut self, task: &Task<'_>) -> Outcome {
        self(task)
    }
}

/// Carries out tasks several at once, each on a thread of its own: the
/// executor of [`Driver::drive_concurrent`](super::Driver::drive_concurrent).
///
/// It takes `&self` and is [`Sync`] because up to N calls run at the same
/// time; state it keeps (a counter, a log) sits behind a lock or an atomic.
/// A closure `Fn(&Task) -> Outcome + Sync` is one. The CLI's shell executor
/// is one: each call starts a process and waits for it. As with
/// [`Executor`], a panic becomes a failed task.
///
/// # Example
///
/// ```
/// use std::sync::atomic::{AtomicUsize, Ordering};
/// use release_core::run::{ConcurrentExecutor, Outcome, Task};
///
/// let calls = AtomicUsize::new(0);
/// let exec = |_: &Task<'_>| {
///     calls.fetch_add(1, Ordering::Relaxed);
///     Outcome::success()
/// };
/// fn takes(_: &dyn ConcurrentExecutor) {}
/// takes(&exec);
/// ```
pub trait ConcurrentExecutor: Sync {
    /// Carries out `task`, on a thread of the driver's.
    fn execute(&self, task: &Task<'_>) -> Outcome;
}

impl<F: Fn(&Task<'_>) -> Outcome + Sync> ConcurrentExecutor for F {
    fn execute(&self, task: &Task<'_>) -> Outcome {
        self(task)
    }
}

/// Whether a task succeeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OutcomeStatus {
    /// It worked.
    Succeeded,
    /// It did not.
    Failed,
}

crate::vocabulary! {
    OutcomeStatus, "outcome status",
    {
        Succeeded => "succeeded",
        Failed => "failed",
    }
}

/// A fact an executor observed; the run stamps it with the completion time
/// and the task as source.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Observation {
    /// The kind.
    pub kind: FactKind,
    /// The subject.
    #[serde(default)]
    pub subject: String,
    /// The value.
    pub value: FactValue,
}

/// What an executor reports.
///
/// # Example
///
/// ```
/// use release_core::gate::{FactKind, FactValue};
/// use release_core::run::Outcome;
///
/// let ok = Outcome::success().observe(FactKind::Tag, "stack", FactValue::Text("2023.06.2".into()));
/// assert!(ok.is_success());
/// assert_eq!(Outcome::failure("exit status 2").message.as_deref(), Some("exit status 2"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// Success or failure.
    pub status: OutcomeStatus,
    /// A message (required in spirit for failures: it is what people read).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Facts learned while doing the task (a tag created, a test result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<Observation>,
    /// How long the task took, for simulations on a virtual clock; `None`
    /// means "read the clock after the task returned".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elapsed: Option<Span>,
}

impl Outcome {
    /// Success.
    pub fn success() -> Outcome {
        Outcome {
            status: OutcomeStatus::Succeeded,
            message: None,
            facts: Vec::new(),
            elapsed: None,
        }
    }

    /// Failure, with why.
    pub fn failure(message: impl Into<String>) -> Outcome {
        Outcome {
            status: OutcomeStatus::Failed,
            message: Some(message.into()),
            facts: Vec::new(),
            elapsed: None,
        }
    }

    /// With a message.
    pub fn message(self, message: impl Into<String>) -> Outcome {
        Outcome {
            message: Some(message.into()),
            ..self
        }
    }

    /// With one more observed fact.
    pub fn observe(
        mut self,
        kind: FactKind,
        subject: impl Into<String>,
        value: FactValue,
    ) -> Outcome {
        self.facts.push(Observation {
            kind,
            subject: subject.into(),
            value,
        });
        self
    }

    /// Taking `elapsed` (on a virtual clock).
    pub fn took(self, elapsed: Span) -> Outcome {
        Outcome {
            elapsed: Some(elapsed),
            ..self
        }
    }

    /// Whether it succeeded.
    pub fn is_success(&self) -> bool {
        self.status == OutcomeStatus::Succeeded
    }
}

/// What a [`DryRunExecutor`] would have run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    /// The task.
    pub task: String,
    /// The command, if any.
    pub command: Option<Vec<String>>,
    /// The attempt.
    pub attempt: u32,
}

/// Runs nothing: records each task it is given and reports success,
/// taking the estimated maximum duration when asked to (for a dry run on
/// a virtual clock that shows when each step would happen).
///
/// # Example
///
/// ```
/// use release_core::pipeline::{Pipeline, Step, StepKind};
/// use release_core::run::{DryRunExecutor, Driver, FixedClock, Run};
/// use chrono::{TimeZone, Utc};
///
/// let p = Pipeline::builder()
///     .step(Step::new("build", StepKind::Build).command(["make"]))
///     .step(Step::new("deploy", StepKind::Deploy).needs(["build"]))
///     .build()?;
/// let mut run = Run::new(p);
/// let mut dry = DryRunExecutor::new();
/// Driver::sequential().drive(&mut run, &mut dry, &mut FixedClock::new(Utc.timestamp_opt(0, 0).unwrap()))?;
/// let planned: Vec<&str> = dry.planned().iter().map(|p| p.task.as_str()).collect();
/// assert_eq!(planned, ["build", "deploy"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DryRunExecutor {
    planned: Vec<Planned>,
    use_estimates: bool,
}

impl DryRunExecutor {
    /// A dry-run executor taking no time.
    pub fn new() -> DryRunExecutor {
        DryRunExecutor::default()
    }

    /// A dry-run executor whose tasks take their estimated maximum.
    pub fn with_estimates() -> DryRunExecutor {
        DryRunExecutor {
            planned: Vec::new(),
            use_estimates: true,
        }
    }

    /// What would have run, in order.
    pub fn planned(&self) -> &[Planned] {
        &self.planned
    }
}

impl Executor for DryRunExecutor {
    fn execute(&mut self, task: &Task<'_>) -> Outcome {
        self.planned.push(Planned {
            task: task.id.to_owned(),
            // The argv exactly as it would run; a placeholder without a
            // value stays as written, so the dry run still shows it.
            command: task
                .expanded_command()
                .unwrap_or_else(|_| task.step.details.command.clone()),
            attempt: task.attempt,
        });
        let outcome = Outcome::success().message("dry run");
        match task.step.effective_estimate() {
            Some(e) if self.use_estimates => outcome.took(e.max()),
            _ => outcome,
        }
    }
}

/// Outcomes from a table: each task's outcomes in attempt order, success
/// once a task's list is used up (or for tasks not in the table). For
/// tests and simulations.
///
/// # Example
///
/// ```
/// use release_core::run::{Executor, Outcome, ScriptedExecutor};
///
/// let mut exec = ScriptedExecutor::new()
///     .script("flaky", [Outcome::failure("timeout"), Outcome::success()]);
/// assert_eq!(exec.calls().len(), 0);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ScriptedExecutor {
    table: HashMap<String, VecDeque<Outcome>>,
    default: Option<Outcome>,
    calls: Vec<(String, u32)>,
}

impl ScriptedExecutor {
    /// An executor where every task succeeds.
    pub fn new() -> ScriptedExecutor {
        ScriptedExecutor::default()
    }

    /// With outcomes for one task, in attempt order.
    pub fn script(
        mut self,
        task: impl Into<String>,
        outcomes: impl IntoIterator<Item = Outcome>,
    ) -> ScriptedExecutor {
        self.table.entry(task.into()).or_default().extend(outcomes);
        self
    }

    /// With the outcome of tasks not (or no longer) in the table.
    pub fn otherwise(self, outcome: Outcome) -> ScriptedExecutor {
        ScriptedExecutor {
            default: Some(outcome),
            ..self
        }
    }

    /// The tasks executed, with their attempt numbers, in order.
    pub fn calls(&self) -> &[(String, u32)] {
        &self.calls
    }
}

impl Executor for ScriptedExecutor {
    fn execute(&mut self, task: &Task<'_>) -> Outcome {
        self.calls.push((task.id.to_owned(), task.attempt));
        self.table
            .get_mut(task.id)
            .and_then(VecDeque::pop_front)
            .or_else(|| self.default.clone())
            .unwrap_or_else(Outcome::success)
    }
}

/// What a dry run assumes when the run stops for input at `at`: an
/// approval of every task awaiting one and a waiver of every gate holding
/// back a task whose needs are met, each by `by` (`dry-run`), so that the
/// dry run shows every command the release would run, not only those
/// before its first approval or gate. Empty when nothing waits for input
/// (the run is done, failed, or waits for time).
///
/// A dry run never writes its journal; these events are never recorded.
pub fn dry_run_inputs(run: &Run, by: &Identity, at: DateTime<Utc>) -> Vec<Event> {
    // Only the tasks awaiting an approval and those held by their gates
    // are looked at (the run keeps both sets), so a dry run that asks at
    // every event stays linear.
    run.assumed_inputs(by, at)
}
