//! The run: a sans-IO state machine over a pipeline.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::context::ReleaseContext;
use super::event::{Event, EventKind};
use super::executor::{Outcome, OutcomeStatus};
use super::task::{Task, TaskState, satisfies};
use crate::gate::{
    self, Allowed, Fact, FactKind, FactValue, Facts, People, Requirement, Verdict, Waiver,
    WaiverTarget,
};
use crate::identity::{Identity, given_reason};
use crate::pipeline::{Pipeline, StepId, StepKind, Wait};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    state: TaskState,
    attempts: u32,
    /// Needs not yet satisfied.
    unmet: u32,
}

/// A release run: each task's state, the facts and waivers so far, and the
/// journal of every event that led here.
///
/// The run does no I/O and reads no clock. Feed it [`Event`]s with
/// [`apply`](Run::apply) (or the shortcuts [`start`](Run::start),
/// [`finish`](Run::finish), [`tick`](Run::tick)); ask it what is
/// [`ready`](Run::ready), what is [`blocked`](Run::blocked) and why, and
/// when something time-based changes next ([`next_wakeup`](Run::next_wakeup)).
/// Every accepted event is appended to the [`journal`](Run::journal), and
/// [`Run::replay`] of the journal rebuilds an equal run.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::pipeline::{Pipeline, Step, StepKind};
/// use release_core::run::{Outcome, Run, TaskState};
///
/// let p = Pipeline::builder()
///     .step(Step::new("build", StepKind::Build))
///     .step(Step::new("deploy", StepKind::Deploy).needs(["build"]))
///     .build()?;
/// let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let mut run = Run::new(p);
/// let build = run.pipeline().lookup("build")?;
/// assert_eq!(run.ready().collect::<Vec<_>>(), [build]);
/// run.start(build, at)?;
/// run.finish(build, Outcome::failure("exit status 2"), at)?;
/// assert_eq!(run.state_of("build")?, TaskState::Failed);
/// assert_eq!(run.blocked()[0].to_string(), "deploy: needs \"build\", which failed");
///
/// let again = Run::replay(run.pipeline().clone(), run.journal().to_vec())?;
/// assert_eq!(again, run);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pipeline: Arc<Pipeline>,
    tasks: Vec<Entry>,
    /// Automatic tasks free to start.
    ready: BTreeSet<StepId>,
    /// Manual tasks free to be approved.
    awaiting: BTreeSet<StepId>,
    /// Tasks whose needs are met but which have gates, with when their
    /// verdict may change by itself.
    gated: BTreeMap<StepId, Option<DateTime<Utc>>>,
    /// Running wait steps and when they end.
    waiting: BTreeMap<StepId, DateTime<Utc>>,
    /// The last message per task (failure, success, waiver, skip).
    notes: BTreeMap<StepId, String>,
    facts: Facts,
    /// Waivers, each for one task or (None) for all.
    waivers: Vec<(Option<StepId>, Waiver)>,
    journal: Vec<Event>,
    cancelled: bool,
    /// Who requested the release (the `requested` event).
    requester: Option<Identity>,
    /// What the run releases, handed to its tasks.
    context: Option<Arc<ReleaseContext>>,
}

/// The run as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RunStatus {
    /// Tasks are ready or running.
    InProgress,
    /// Nothing can start until time passes (a wait step, a soak).
    Waiting,
    /// Nothing can start without input: an approval, a fact, a waiver.
    NeedsInput,
    /// Every task is done (succeeded, waived, skipped, or advisory and failed).
    Succeeded,
    /// A required task failed, and nothing else can proceed.
    Failed,
    /// The run was cancelled.
    Cancelled,
}

crate::vocabulary! {
    RunStatus, "run status",
    {
        InProgress => "in_progress",
        Waiting => "waiting",
        NeedsInput => "needs_input",
        Succeeded => "succeeded",
        Failed => "failed",
        Cancelled => "cancelled",
    }
}

/// Why a task is not ready.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
#[non_exhaustive]
pub enum BlockReason {
    /// A task it needs is not done.
    Needs {
        /// The task needed.
        task: String,
        /// Its state.
        state: TaskState,
    },
    /// Its gates do not pass (yet).
    Gates {
        /// The verdict, with every reason.
        verdict: Verdict,
    },
    /// A manual task waiting for an approval event.
    AwaitingApproval,
    /// A wait step, waiting.
    WaitingUntil {
        /// When it ends.
        until: DateTime<Utc>,
    },
}

/// A task that is not ready, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Blocked {
    /// The task.
    pub task: String,
    /// Its state.
    pub state: TaskState,
    /// Every reason.
    pub reasons: Vec<BlockReason>,
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.task)?;
        for (i, reason) in self.reasons.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match reason {
                BlockReason::Needs { task, state } => match state {
                    TaskState::Failed | TaskState::Cancelled => {
                        write!(f, "needs {task:?}, which {state}")?
                    }
                    _ => write!(f, "needs {task:?} ({state})")?,
                },
                BlockReason::Gates { verdict } => {
                    write!(f, "gates {}", verdict.status)?;
                    for r in verdict
                        .reasons
                        .iter()
                        .filter(|r| !r.status.is_ok() && r.blocking)
                    {
                        write!(f, "; {}: {}: {}", r.gate, r.rule, r.detail)?;
                    }
                }
                BlockReason::AwaitingApproval => f.write_str("awaiting approval")?,
                BlockReason::WaitingUntil { until } => write!(
                    f,
                    "waiting until {}",
                    until.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                )?,
            }
        }
        Ok(())
    }
}

/// A task's state in a [`Snapshot`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaskSnapshot {
    /// The task.
    pub id: String,
    /// Its state.
    pub state: TaskState,
    /// Attempts started (and not interrupted).
    pub attempts: u32,
    /// The last message (failure, success, waiver, skip).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A run's state as data, for JSON output and comparisons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Snapshot {
    /// The run's status.
    pub status: RunStatus,
    /// Every task, in declaration order.
    pub tasks: Vec<TaskSnapshot>,
    /// When something time-based changes next.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_wakeup: Option<DateTime<Utc>>,
}

impl Run {
    /// A run of `pipeline` before anything happened: tasks without needs
    /// (and without gates, since no fact is known yet) are ready.
    pub fn new(pipeline: impl Into<Arc<Pipeline>>) -> Run {
        let pipeline = pipeline.into();
        let tasks: Vec<Entry> = pipeline
            .nodes()
            .map(|n| Entry {
                state: TaskState::Pending,
                attempts: 0,
                unmet: u32::try_from(n.needs().len()).unwrap_or(u32::MAX),
            })
            .collect();
        let mut run = Run {
            pipeline,
            tasks,
            ready: BTreeSet::new(),
            awaiting: BTreeSet::new(),
            gated: BTreeMap::new(),
            waiting: BTreeMap::new(),
            notes: BTreeMap::new(),
            facts: Facts::new(),
            waivers: Vec::new(),
            journal: Vec::new(),
            cancelled: false,
            requester: None,
            context: None,
        };
        // With no facts every rule is pending or decided without time, so
        // the initial state does not depend on an instant; the epoch stands
        // in for "before the first event".
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        let roots: Vec<StepId> = run.pipeline.roots().collect();
        for id in roots {
            run.needs_met(id, epoch);
        }
        run
    }

    /// Rebuilds a run from its journal.
    ///
    /// # Errors
    ///
    /// The error of the first event the run refuses, prefixed with its
    /// position (`event 12: ...`), as an [invalid
    /// error](crate::ErrorKind::Invalid) whatever the event's own error
    /// was: a journal that does not replay is bad input, not a request
    /// the run refused (the CLI exits 2 for it, never 1, the code of a run
    /// waiting for input).
    pub fn replay(
        pipeline: impl Into<Arc<Pipeline>>,
        events: impl IntoIterator<Item = Event>,
    ) -> Result<Run> {
        let mut run = Run::new(pipeline);
        for (n, event) in events.into_iter().enumerate() {
            run.apply(event)
                .map_err(|e| Error::invalid(format!("event {}: {e}", n + 1)))?;
        }
        Ok(run)
    }

    /// Rebuilds a run from its journal and records an `interrupted` event
    /// at `now` for every task that was started but never finished, so it
    /// is ready to run again. Succeeded tasks are never run again. The new
    /// events are the journal's tail after the events given.
    ///
    /// # Errors
    ///
    /// As [`Run::replay`].
    pub fn resume(
        pipeline: impl Into<Arc<Pipeline>>,
        events: impl IntoIterator<Item = Event>,
        now: DateTime<Utc>,
    ) -> Result<Run> {
        let mut run = Run::replay(pipeline, events)?;
        let running: Vec<StepId> = run
            .pipeline
            .ids()
            .filter(|&id| {
                run.tasks[id.index()].state == TaskState::Running && !run.waiting.contains_key(&id)
            })
            .collect();
        for id in running {
            let task = run.pipeline.node(id).id().to_owned();
            run.apply(Event::new(now, EventKind::Interrupted { task }))?;
        }
        Ok(run)
    }

    /// Gives the run what it releases: its tasks carry `context`
    /// ([`Task::context`]). Not journaled: the process builds it again
    /// from the same plan.
    pub fn set_context(&mut self, context: ReleaseContext) {
        let mut context = context;
        // Outputs come from the journal's facts, not from the plan: a
        // resumed run keeps those it replayed.
        if let Some(old) = &self.context {
            for (k, v) in old.values.iter().filter(|(k, _)| k.starts_with("output.")) {
                context.values.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        self.context = Some(Arc::new(context));
    }

    /// What the run releases, if it was given it.
    pub fn context(&self) -> Option<&Arc<ReleaseContext>> {
        self.context.as_ref()
    }

    /// The pipeline.
    pub fn pipeline(&self) -> &Arc<Pipeline> {
        &self.pipeline
    }

    /// Every event accepted so far, in order.
    pub fn journal(&self) -> &[Event] {
        &self.journal
    }

    /// The facts known so far.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// A task's state.
    pub fn state(&self, id: StepId) -> TaskState {
        self.tasks[id.index()].state
    }

    /// A task's state, by text id.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) for an unknown task.
    pub fn state_of(&self, id: &str) -> Result<TaskState> {
        Ok(self.state(self.pipeline.lookup(id)?))
    }

    /// Attempts started for a task (interrupted ones not counted).
    pub fn attempts(&self, id: StepId) -> u32 {
        self.tasks[id.index()].attempts
    }

    /// The last message of a task: a failure's, a waiver's reason.
    pub fn message(&self, id: StepId) -> Option<&str> {
        self.notes.get(&id).map(String::as_str)
    }

    /// The automatic tasks free to start, in declaration order. Their gates
    /// pass (at the time of the last event).
    pub fn ready(&self) -> impl Iterator<Item = StepId> + '_ {
        self.ready.iter().copied()
    }

    /// The manual tasks waiting for an approval event.
    pub fn awaiting_approval(&self) -> impl Iterator<Item = StepId> + '_ {
        self.awaiting.iter().copied()
    }

    /// The tasks running (wait steps included).
    pub fn running(&self) -> impl Iterator<Item = StepId> + '_ {
        self.pipeline
            .ids()
            .filter(|&id| self.tasks[id.index()].state == TaskState::Running)
    }

    /// The task an executor gets for `id`, at its current attempt.
    pub fn task(&self, id: StepId) -> Task<'_> {
        Task::of(&self.pipeline, id, self.tasks[id.index()].attempts.max(1))
            .in_context(self.context.as_deref())
    }

    /// The next instant at which something changes by the passage of time
    /// alone: a wait step ends, a soak completes, a fact expires. Call
    /// [`tick`](Run::tick) then.
    pub fn next_wakeup(&self) -> Option<DateTime<Utc>> {
        let waits = self.waiting.values().copied();
        let gates = self.gated.values().filter_map(|t| *t);
        waits.chain(gates).min()
    }

    /// The verdict of a task's gates at `now`, with the run's facts and
    /// waivers.
    pub fn verdict(&self, id: StepId, now: DateTime<Utc>) -> Verdict {
        let gates = self.pipeline.node(id).gates();
        if gates.is_empty() {
            return Verdict::passed();
        }
        let waivers: Vec<Waiver> = self
            .waivers
            .iter()
            .filter(|(scope, _)| scope.is_none_or(|s| s == id))
            .map(|(_, w)| w.clone())
            .collect();
        gate::evaluate_with(gates, &self.facts, &waivers, now, self.people())
    }

    /// Who requested the release, once a `requested` event said so.
    pub fn requester(&self) -> Option<&Identity> {
        self.requester.as_ref()
    }

    /// The requester and the pipeline's roles, as gates count approvals.
    pub fn people(&self) -> People<'_> {
        People::new(self.requester.as_ref(), self.pipeline.roles())
    }

    /// Whether the pipeline asks for people's approvals (an approvals gate
    /// or a manual step), so that a run must say who requested it.
    pub fn needs_requester(&self) -> bool {
        self.pipeline.needs_requester()
    }

    fn last_time(&self) -> DateTime<Utc> {
        self.journal
            .last()
            .map_or(DateTime::<Utc>::UNIX_EPOCH, |e| e.at)
    }

    /// Every task that is not ready, not running and not done, and why;
    /// plus manual tasks awaiting approval and running wait steps. Gates
    /// are evaluated at the time of the last event.
    pub fn blocked(&self) -> Vec<Blocked> {
        let now = self.last_time();
        let mut out = Vec::new();
        for node in self.pipeline.nodes() {
            let id = node.step_id();
            let entry = self.tasks[id.index()];
            let mut reasons = Vec::new();
            match entry.state {
                TaskState::Pending if entry.unmet > 0 => {
                    for &need in node.needs() {
                        let state = self.tasks[need.index()].state;
                        if !satisfies(state, self.pipeline.node(need).requirement()) {
                            reasons.push(BlockReason::Needs {
                                task: self.pipeline.node(need).id().to_owned(),
                                state,
                            });
                        }
                    }
                }
                TaskState::Pending => reasons.push(BlockReason::Gates {
                    verdict: self.verdict(id, now),
                }),
                TaskState::Ready if self.awaiting.contains(&id) => {
                    reasons.push(BlockReason::AwaitingApproval);
                }
                TaskState::Running => {
                    if let Some(&until) = self.waiting.get(&id) {
                        reasons.push(BlockReason::WaitingUntil { until });
                    }
                }
                _ => {}
            }
            if !reasons.is_empty() {
                out.push(Blocked {
                    task: node.id().to_owned(),
                    state: entry.state,
                    reasons,
                });
            }
        }
        out
    }

    /// The run as a whole.
    pub fn status(&self) -> RunStatus {
        if self.cancelled {
            return RunStatus::Cancelled;
        }
        let mut all_done = true;
        let mut running = false;
        let mut failed = false;
        for node in self.pipeline.nodes() {
            let state = self.tasks[node.step_id().index()].state;
            if !satisfies(state, node.requirement()) {
                all_done = false;
            }
            match state {
                TaskState::Running => running = true,
                TaskState::Failed | TaskState::Cancelled
                    if node.requirement() != Requirement::Advisory =>
                {
                    failed = true;
                }
                _ => {}
            }
        }
        if all_done {
            return RunStatus::Succeeded;
        }
        if !self.ready.is_empty() || (running && self.waiting.len() < self.running_count()) {
            return RunStatus::InProgress;
        }
        if !self.waiting.is_empty() || self.waits_for_time() {
            return RunStatus::Waiting;
        }
        if !self.awaiting.is_empty() || self.gated_pending() {
            return RunStatus::NeedsInput;
        }
        if failed {
            return RunStatus::Failed;
        }
        RunStatus::NeedsInput
    }

    fn running_count(&self) -> usize {
        self.tasks
            .iter()
            .filter(|e| e.state == TaskState::Running)
            .count()
    }

    /// Whether a task held back by its gates alone may go by the passage
    /// of time: its verdict changes at some instant, and no gate waits for
    /// a fact no one has given. A task whose gates pass (awaiting an
    /// approval, say) or that waits for a missing fact needs input, even
    /// when a calendar fact it reads expires.
    fn waits_for_time(&self) -> bool {
        let at = self.last_time();
        self.gated.iter().any(|(&id, next)| {
            next.is_some()
                && self.tasks[id.index()].state == TaskState::Pending
                && self
                    .verdict(id, at)
                    .reasons
                    .iter()
                    .filter(|r| r.blocking && !r.status.is_ok())
                    .all(|r| r.missing.is_none())
        })
    }

    /// What a dry run assumes at `at`: see `dry_run_inputs`.
    pub(crate) fn assumed_inputs(&self, by: &Identity, at: DateTime<Utc>) -> Vec<Event> {
        let mut events: Vec<Event> = self
            .awaiting
            .iter()
            .map(|&id| {
                Event::new(
                    at,
                    EventKind::Approved {
                        task: Some(self.pipeline.node(id).id().to_owned()),
                        by: by.clone(),
                        role: None,
                    },
                )
            })
            .collect();
        for &id in self.gated.keys() {
            let entry = self.tasks[id.index()];
            if entry.state != TaskState::Pending || entry.unmet > 0 {
                continue;
            }
            let verdict = self.verdict(id, at);
            let mut gates: Vec<&str> = verdict
                .reasons
                .iter()
                .filter(|g| g.blocking && !g.status.is_ok())
                .map(|g| g.gate.as_str())
                .collect();
            // A gate over several facts gives several reasons.
            gates.dedup();
            for gate in gates {
                events.push(Event::new(
                    at,
                    EventKind::Waived {
                        task: Some(self.pipeline.node(id).id().to_owned()),
                        gate: Some(gate.to_owned()),
                        by: by.clone(),
                        reason: "dry run: assumed to pass".to_owned(),
                    },
                ));
            }
        }
        events
    }

    fn gated_pending(&self) -> bool {
        self.gated
            .keys()
            .any(|id| self.tasks[id.index()].state == TaskState::Pending)
    }

    /// The run's state as data.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot {
            status: self.status(),
            tasks: self
                .pipeline
                .nodes()
                .map(|n| {
                    let e = self.tasks[n.step_id().index()];
                    TaskSnapshot {
                        id: n.id().to_owned(),
                        state: e.state,
                        attempts: e.attempts,
                        message: self.notes.get(&n.step_id()).cloned(),
                    }
                })
                .collect(),
            next_wakeup: self.next_wakeup(),
        }
    }

    /// Starts a ready automatic task at `at` (records `started`) and
    /// returns it for the executor.
    ///
    /// # Errors
    ///
    /// As [`apply`](Run::apply).
    pub fn start(&mut self, id: StepId, at: DateTime<Utc>) -> Result<Task<'_>> {
        let task = self.pipeline.node(id).id().to_owned();
        self.apply(Event::new(
            at,
            EventKind::Started {
                task,
                process: None,
            },
        ))?;
        Ok(self.task(id))
    }

    /// Records an executor's outcome for a running task at `at`: its facts
    /// first (stamped `at`, with the task as source), then `succeeded` or
    /// `failed`.
    ///
    /// # Errors
    ///
    /// As [`apply`](Run::apply); a task that is not running is refused
    /// before any fact is recorded.
    pub fn finish(&mut self, id: StepId, outcome: Outcome, at: DateTime<Utc>) -> Result<()> {
        for event in self.outcome_events(id, outcome, at)? {
            self.apply(event)?;
        }
        Ok(())
    }

    /// The events that record `outcome` for the running task `id` at `at`,
    /// not yet applied: a `fact` per observation, then `succeeded` or
    /// `failed`. The drivers apply them one at a time so that an observer
    /// sees each as it happens.
    pub(crate) fn outcome_events(
        &self,
        id: StepId,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> Result<Vec<Event>> {
        let task = self.pipeline.node(id).id().to_owned();
        if self.tasks[id.index()].state != TaskState::Running || self.waiting.contains_key(&id) {
            return Err(Error::refused(format!(
                "task {task:?} is {}, not running; only a running task can finish",
                self.tasks[id.index()].state
            )));
        }
        let mut events: Vec<Event> = outcome
            .facts
            .into_iter()
            .map(|o| {
                let fact = Fact::new(o.kind, o.subject, o.value, task.clone(), at);
                Event::new(at, EventKind::fact(fact))
            })
            .collect();
        let kind = match outcome.status {
            OutcomeStatus::Succeeded => EventKind::Succeeded {
                task,
                message: outcome.message,
            },
            OutcomeStatus::Failed => EventKind::Failed {
                task,
                message: outcome.message.unwrap_or_else(|| "failed".to_owned()),
            },
        };
        events.push(Event::new(at, kind));
        Ok(events)
    }

    /// Lets time pass to `now`: wait steps whose time came succeed, gates
    /// are evaluated again. Records a `tick` event only if something
    /// changed; returns whether it did.
    pub fn tick(&mut self, now: DateTime<Utc>) -> bool {
        // Everything time-based is captured by `next_wakeup`: wait steps'
        // ends, soaks' ends and the expiry of facts that gates read.
        match self.next_wakeup() {
            Some(t) if t <= now && !self.cancelled => {
                // A tick is always accepted.
                self.apply(Event::new(now, EventKind::Tick)).is_ok()
            }
            _ => false,
        }
    }

    /// Applies an event and appends it to the journal.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) for an event naming an
    /// unknown task or gate, or with a blank who or why
    /// ([`EventKind::check`]); a [refused error](crate::ErrorKind::Refused)
    /// for an event the task's state does not allow (starting a task that
    /// is not ready, finishing one that is not running, approving an
    /// automatic task, skipping a required one). A refused event changes
    /// nothing and is not journaled.
    pub fn apply(&mut self, event: Event) -> Result<()> {
        self.apply_inner(event, false)
    }

    /// Applies an event given to a plan or an explanation rather than
    /// recorded in a run: as [`Run::apply`], except that an `approval` fact
    /// is accepted when it carries its author (its `source`, an identity)
    /// and its approver (its value, an identity). Journals never hold them.
    pub(crate) fn apply_given(&mut self, event: Event) -> Result<()> {
        self.apply_inner(event, true)
    }

    fn apply_inner(&mut self, event: Event, given: bool) -> Result<()> {
        event.kind.check()?;
        let at = event.at;
        match &event.kind {
            EventKind::Requested { by } => self.on_requested(by)?,
            EventKind::Started { task, .. } => self.on_started(task)?,
            EventKind::Succeeded { task, message } => self.on_succeeded(task, message, at)?,
            EventKind::Failed { task, message } => self.on_failed(task, message, at)?,
            EventKind::Interrupted { task } => self.on_interrupted(task, at)?,
            EventKind::Retried { task } => self.on_retried(task, at)?,
            EventKind::Approved { task, by, role } => {
                self.on_approved(task.as_deref(), by, role.as_deref(), at)?;
            }
            EventKind::Waived {
                task,
                gate,
                by,
                reason,
            } => self.on_waived(task.as_deref(), gate.as_deref(), by, reason, at)?,
            EventKind::Skipped { task, by, reason } => self.on_skipped(task, by, reason, at)?,
            EventKind::Fact { fact } => self.on_fact(fact, given)?,
            EventKind::Cancelled { task, reason, .. } => {
                self.on_cancelled(task.as_deref(), reason.as_deref())?;
            }
            EventKind::Tick => self.on_tick(at),
        }
        if !self.gated.is_empty() {
            self.reevaluate(at);
        }
        self.journal.push(event);
        Ok(())
    }

    /// `requested`: who asked for the release, once, before anything
    /// happened.
    fn on_requested(&mut self, by: &Identity) -> Result<()> {
        if let Some(who) = &self.requester {
            return Err(Error::refused(format!(
                "the release was requested by {who}; the requester is given once, when the run starts, and cannot change (not to {by})"
            )));
        }
        // Facts (a calendar's answers) may come first; anything a
        // person or an executor did may not.
        if let Some((n, e)) = self
            .journal
            .iter()
            .enumerate()
            .find(|(_, e)| !matches!(e.kind, EventKind::Fact { .. } | EventKind::Tick))
        {
            return Err(Error::refused(format!(
                "the requester ({by}) is given when the run starts: a `requested` event comes before anything happens, and event {} ({}) already did",
                n + 1,
                e.kind.name()
            )));
        }
        self.requester = Some(by.clone());
        Ok(())
    }

    /// `started`: a ready automatic task runs (again).
    fn on_started(&mut self, task: &str) -> Result<()> {
        let id = self.pipeline.lookup(task)?;
        let node = self.pipeline.node(id);
        if node.is_manual() {
            return Err(Error::refused(format!(
                "task {task:?} is manual; it is completed by an approval, not started"
            )));
        }
        if node.kind() == StepKind::Wait {
            return Err(Error::refused(format!(
                "task {task:?} is a wait step; it starts by itself when its needs are met"
            )));
        }
        self.expect(id, TaskState::Ready, "start")?;
        self.ready.remove(&id);
        let e = &mut self.tasks[id.index()];
        e.state = TaskState::Running;
        e.attempts += 1;
        Ok(())
    }

    /// `succeeded`: a running task is done.
    fn on_succeeded(
        &mut self,
        task: &str,
        message: &Option<String>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let id = self.pipeline.lookup(task)?;
        self.expect_running(id, "succeed")?;
        match message {
            Some(m) => self.notes.insert(id, m.clone()),
            None => self.notes.remove(&id),
        };
        self.complete(id, TaskState::Succeeded, at);
        Ok(())
    }

    /// `failed`: a running task failed; retried while it has attempts left.
    fn on_failed(&mut self, task: &str, message: &str, at: DateTime<Utc>) -> Result<()> {
        let id = self.pipeline.lookup(task)?;
        self.expect_running(id, "fail")?;
        self.notes.insert(id, message.to_owned());
        let e = self.tasks[id.index()];
        let max = self.pipeline.node(id).step().max_attempts;
        if e.attempts < max {
            // Retry: back to ready, through the gates again.
            self.tasks[id.index()].state = TaskState::Pending;
            self.needs_met(id, at);
        } else {
            self.complete(id, TaskState::Failed, at);
        }
        Ok(())
    }

    /// `interrupted`: a running task stopped without an outcome; the
    /// attempt does not count.
    fn on_interrupted(&mut self, task: &str, at: DateTime<Utc>) -> Result<()> {
        let id = self.pipeline.lookup(task)?;
        self.expect_running(id, "be interrupted")?;
        let e = &mut self.tasks[id.index()];
        e.attempts = e.attempts.saturating_sub(1);
        e.state = TaskState::Pending;
        self.needs_met(id, at);
        Ok(())
    }

    /// `retried`: a failed task that blocks its dependents goes again,
    /// with its attempts counted afresh.
    fn on_retried(&mut self, task: &str, at: DateTime<Utc>) -> Result<()> {
        let id = self.pipeline.lookup(task)?;
        self.expect(id, TaskState::Failed, "be retried")?;
        if satisfies(TaskState::Failed, self.pipeline.node(id).requirement()) {
            // An advisory failure already let its dependents go;
            // running it again would count it twice.
            return Err(Error::refused(format!(
                "task {task:?} failed without blocking anything (it is not required), so there is nothing to retry"
            )));
        }
        let e = &mut self.tasks[id.index()];
        e.attempts = 0;
        e.state = TaskState::Pending;
        self.needs_met(id, at);
        Ok(())
    }

    /// `approved`: an approval of a manual task, of a role, or both.
    fn on_approved(
        &mut self,
        task: Option<&str>,
        by: &Identity,
        role: Option<&str>,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let target = task.map(|task| self.approvable(task)).transpose()?;
        let self_note = self.approver_note(by, role)?;
        if let Some(task) = task {
            self.check_not_requester(task, by, self_note.is_some())?;
        }
        if task.is_none() && role.is_none() {
            return Err(Error::invalid(
                "an approval names a task, a role, or both".to_owned(),
            ));
        }
        if let Some(role) = role {
            self.facts.record(Fact::new(
                FactKind::Approval,
                role,
                FactValue::Text(by.to_string()),
                by.to_string(),
                at,
            ));
        }
        if let Some(id) = target {
            self.awaiting.remove(&id);
            let note = match &self_note {
                Some(n) => format!("approved by {by} ({n})"),
                None => format!("approved by {by}"),
            };
            self.notes.insert(id, note);
            self.complete(id, TaskState::Succeeded, at);
        }
        Ok(())
    }

    /// The manual task `task`, if it is ready to be approved.
    fn approvable(&self, task: &str) -> Result<StepId> {
        let id = self.pipeline.lookup(task)?;
        if !self.pipeline.node(id).is_manual() {
            return Err(Error::refused(format!(
                "task {task:?} is automatic; only manual tasks are approved"
            )));
        }
        self.expect(id, TaskState::Ready, "be approved")?;
        Ok(id)
    }

    /// Whether `by` may approve as `role`: the note of a self-approval the
    /// role allows, if it is one.
    fn approver_note(&self, by: &Identity, role: Option<&str>) -> Result<Option<String>> {
        let Some(role) = role else { return Ok(None) };
        match self.people().may_approve(role, by) {
            Ok(Allowed::Plainly) => Ok(None),
            Ok(Allowed::BySelfApproval(note)) => Ok(Some(note)),
            Err(why) => Err(Error::refused(format!(
                "{by}'s approval as {role} is refused: {why}"
            ))),
        }
    }

    /// The requester may not approve their own release's manual step,
    /// unless a role allows it (`self_approved`); so the requester must be
    /// known.
    fn check_not_requester(&self, task: &str, by: &Identity, self_approved: bool) -> Result<()> {
        match &self.requester {
            None => Err(Error::refused(format!(
                "who requested the release is unknown (the run has no `requested` event; `release run --requested-by`), and the requester may not approve their own release's manual step {task:?}"
            ))),
            Some(who) if who == by && !self_approved => Err(Error::refused(format!(
                "{by} requested the release and may not approve its manual step {task:?} (a role with self_approval = \"allowed\" lets a team of one approve with --role)"
            ))),
            Some(_) => Ok(()),
        }
    }

    /// `waived`: a gate (of one task, or of every task that has it) or a
    /// whole task is waived.
    fn on_waived(
        &mut self,
        task: Option<&str>,
        gate: Option<&str>,
        by: &Identity,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        given_reason("a waiver's reason", reason)?;
        let id = task.map(|t| self.pipeline.lookup(t)).transpose()?;
        match (id, gate) {
            (None, None) => Err(Error::invalid(
                "a waiver names a task, a gate, or both".to_owned(),
            )),
            (_, Some(gate)) => self.waive_gate(task, id, gate, by, reason, at),
            (Some(id), None) => self.waive_task(id, by, reason, at),
        }
    }

    /// A waiver of the gate `gate`, of task `id` or of every task with it,
    /// from someone allowed to waive each.
    fn waive_gate(
        &mut self,
        task: Option<&str>,
        id: Option<StepId>,
        gate: &str,
        by: &Identity,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let guarded: Vec<&gate::Gate> = match id {
            Some(id) => self.pipeline.node(id).gates().iter().collect(),
            None => self.pipeline.nodes().flat_map(|n| n.gates()).collect(),
        };
        let guarded: Vec<&gate::Gate> = guarded.into_iter().filter(|g| g.name == gate).collect();
        if guarded.is_empty() {
            return Err(Error::invalid(match task {
                Some(t) => format!("task {t:?} has no gate named {gate:?}"),
                None => format!("no task has a gate named {gate:?}"),
            }));
        }
        let people = self.people();
        for g in guarded {
            people.may_waive(g, by).map_err(Error::refused)?;
        }
        let waiver = Waiver::new(WaiverTarget::Gate(gate.to_owned()), by.clone(), reason, at);
        self.waivers.push((id, waiver));
        Ok(())
    }

    /// A waiver of a whole task that has not run to an end: it counts as
    /// done.
    fn waive_task(
        &mut self,
        id: StepId,
        by: &Identity,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        let state = self.tasks[id.index()].state;
        if matches!(
            state,
            TaskState::Running
                | TaskState::Succeeded
                | TaskState::Waived
                | TaskState::Skipped
                | TaskState::Cancelled
        ) {
            return Err(Error::refused(format!(
                "task {:?} is {state}; only pending, ready or failed tasks can be waived",
                self.pipeline.node(id).id()
            )));
        }
        let node = self.pipeline.node(id);
        if node.is_manual() && self.requester.as_ref() == Some(by) {
            return Err(Error::refused(format!(
                "{by} requested the release and may not waive its manual step {:?}",
                node.id()
            )));
        }
        if node.cell().is_some() {
            let target = WaiverTarget::Cell(node.id().to_owned());
            let waiver = Waiver::new(target, by.clone(), reason, at);
            self.waivers.push((None, waiver));
        }
        self.notes.insert(id, format!("waived by {by}: {reason}"));
        self.leave_queues(id);
        self.complete(id, TaskState::Waived, at);
        Ok(())
    }

    /// `skipped`: a pending or ready task that is not required is left out.
    fn on_skipped(
        &mut self,
        task: &str,
        by: &Identity,
        reason: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        given_reason("a skip's reason", reason)?;
        let id = self.pipeline.lookup(task)?;
        let node = self.pipeline.node(id);
        if node.requirement() == Requirement::Required {
            return Err(Error::refused(format!(
                "task {task:?} is required; only skippable or advisory tasks can be skipped (waive it instead)"
            )));
        }
        let state = self.tasks[id.index()].state;
        if !matches!(state, TaskState::Pending | TaskState::Ready) {
            return Err(Error::refused(format!(
                "task {task:?} is {state}; only pending or ready tasks can be skipped"
            )));
        }
        self.notes.insert(id, format!("skipped by {by}: {reason}"));
        self.leave_queues(id);
        self.complete(id, TaskState::Skipped, at);
        Ok(())
    }

    /// `fact`: a fact the gates read, unless it names people.
    fn on_fact(&mut self, fact: &Fact, given: bool) -> Result<()> {
        // Every fact enters a run here, so this is where facts that name
        // people are kept out: approvals come only from `approved` events
        // (which say who approved), the requester only from the
        // `requested` event. Step outputs, when they become facts, pass
        // here too and can never produce either.
        match fact.kind {
            FactKind::Requester => {
                return Err(Error::refused(
                    "a `requester` fact is refused: the requester is given when the run starts (`release run --requested-by`, a `requested` event) and cannot change".to_owned(),
                ));
            }
            FactKind::Approval if !given => {
                return Err(Error::refused(format!(
                    "an `approval` fact is refused: it records no one who approved; approvals are recorded with `release approve --role {} --by NAME` (an `approved` event)",
                    fact.subject
                )));
            }
            FactKind::Approval => given_approval(fact)?,
            FactKind::Output => self.output(fact)?,
            _ => {}
        }
        self.facts.record(Fact::clone(fact));
        Ok(())
    }

    /// `cancelled`: one unfinished task, or the whole run.
    fn on_cancelled(&mut self, task: Option<&str>, reason: Option<&str>) -> Result<()> {
        if reason.is_some_and(crate::identity::is_blank) {
            return Err(Error::invalid(
                "a cancellation's reason must not be blank (leave it out instead)".to_owned(),
            ));
        }
        let Some(task) = task else {
            for entry in &mut self.tasks {
                if !entry.state.is_terminal() {
                    entry.state = TaskState::Cancelled;
                }
            }
            self.ready.clear();
            self.awaiting.clear();
            self.gated.clear();
            self.waiting.clear();
            self.cancelled = true;
            return Ok(());
        };
        let id = self.pipeline.lookup(task)?;
        let state = self.tasks[id.index()].state;
        if state.is_terminal() {
            return Err(Error::refused(format!(
                "task {task:?} is {state}; only unfinished tasks can be cancelled"
            )));
        }
        if let Some(r) = reason {
            self.notes.insert(id, r.to_owned());
        }
        self.leave_queues(id);
        self.tasks[id.index()].state = TaskState::Cancelled;
        Ok(())
    }

    /// An `output` fact: reported by a task of the pipeline (its source),
    /// about itself (`<task>.<name>`), as text; its value becomes the
    /// placeholder `output.<task>.<name>` of later tasks.
    fn output(&mut self, fact: &Fact) -> Result<()> {
        let name = fact
            .subject
            .strip_prefix(fact.source.as_str())
            .and_then(|n| n.strip_prefix('.'));
        let (Some(name), Some(_), FactValue::Text(value)) =
            (name, self.pipeline.find(&fact.source), &fact.value)
        else {
            return Err(Error::invalid(format!(
                "output fact {}: an output is a text a task reports about itself (subject `<task>.<name>`, source the task), not {} from {:?}",
                fact.key(),
                fact.value,
                fact.source
            )));
        };
        if !super::output::is_output_name(name) {
            return Err(Error::invalid(format!(
                "output fact {}: {name:?} is not an output name",
                fact.key()
            )));
        }
        Arc::make_mut(self.context.get_or_insert_with(Default::default))
            .set(format!("output.{}", fact.subject), value.clone());
        Ok(())
    }

    fn on_tick(&mut self, now: DateTime<Utc>) {
        let due: Vec<(DateTime<Utc>, StepId)> = self
            .waiting
            .iter()
            .filter(|&(_, &until)| until <= now)
            .map(|(&id, &until)| (until, id))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        for (_, id) in due {
            self.waiting.remove(&id);
            self.complete(id, TaskState::Succeeded, now);
        }
        if !self.gated.is_empty() {
            self.reevaluate(now);
        }
    }

    fn expect(&self, id: StepId, state: TaskState, verb: &str) -> Result<()> {
        let actual = self.tasks[id.index()].state;
        if actual == state && !self.cancelled {
            return Ok(());
        }
        // A task held back by its gates alone says which, and why: an
        // approval outside a window is refused for the window.
        let gates = match (actual, self.gated.contains_key(&id)) {
            (TaskState::Pending, true) if self.tasks[id.index()].unmet == 0 => {
                let verdict = self.verdict(id, self.last_time());
                let held: Vec<String> = verdict
                    .reasons
                    .iter()
                    .filter(|r| r.blocking && !r.status.is_ok())
                    .map(|r| format!("gate {:?}: {}", r.gate, r.detail))
                    .collect();
                if held.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", held.join("; "))
                }
            }
            _ => String::new(),
        };
        Err(Error::refused(format!(
            "task {:?} is {actual}{gates}; only a {state} task can {verb}",
            self.pipeline.node(id).id()
        )))
    }

    fn expect_running(&self, id: StepId, verb: &str) -> Result<()> {
        if self.waiting.contains_key(&id) {
            return Err(Error::refused(format!(
                "task {:?} is a wait step; it ends by itself at its time",
                self.pipeline.node(id).id()
            )));
        }
        self.expect(id, TaskState::Running, verb)
    }

    fn leave_queues(&mut self, id: StepId) {
        self.ready.remove(&id);
        self.awaiting.remove(&id);
        self.gated.remove(&id);
        self.waiting.remove(&id);
    }

    /// A task reached a terminal state; if that lets its dependents go
    /// ahead, count it down for each.
    fn complete(&mut self, id: StepId, state: TaskState, at: DateTime<Utc>) {
        let pipeline = Arc::clone(&self.pipeline);
        let node = pipeline.node(id);
        let before = self.tasks[id.index()].state;
        let was_satisfying = satisfies(before, node.requirement());
        self.tasks[id.index()].state = state;
        self.gated.remove(&id);
        // Results the gates may read: test and matrix cell outcomes,
        // deployments.
        let is_test = node.kind() == StepKind::Test || node.cell().is_some();
        let value = match state {
            TaskState::Succeeded => Some(FactValue::Bool(true)),
            TaskState::Failed => Some(FactValue::Bool(false)),
            TaskState::Skipped => Some(FactValue::Text("skipped".to_owned())),
            _ => None,
        };
        if let (true, Some(value)) = (is_test, value) {
            self.facts
                .record(Fact::new(FactKind::Test, node.id(), value, "run", at));
        }
        if let (StepKind::Deploy, TaskState::Succeeded, Some(env)) =
            (node.kind(), state, &node.step().details.environment)
        {
            // The artifact is the component's tag when known.
            let artifact = node
                .step()
                .details
                .component
                .as_deref()
                .and_then(|c| self.facts.latest(FactKind::Tag, c, at))
                .map_or_else(
                    || node.id().to_owned(),
                    |f| match &f.value {
                        FactValue::Text(t) => t.clone(),
                        other => other.to_string(),
                    },
                );
            self.facts.record(Fact::new(
                FactKind::Deployed,
                env.clone(),
                FactValue::Text(artifact),
                "run",
                at,
            ));
        }
        if was_satisfying || !satisfies(state, node.requirement()) {
            return;
        }
        for &d in node.dependents() {
            let e = &mut self.tasks[d.index()];
            e.unmet = e.unmet.saturating_sub(1);
            if e.unmet == 0 && e.state == TaskState::Pending {
                self.needs_met(d, at);
            }
        }
    }

    /// A pending task's needs are all met: a wait step starts waiting, a
    /// gated task goes through its gates, any other becomes ready.
    fn needs_met(&mut self, id: StepId, at: DateTime<Utc>) {
        if self.cancelled {
            return;
        }
        let pipeline = Arc::clone(&self.pipeline);
        let node = pipeline.node(id);
        if !node.gates().is_empty() {
            self.gated.insert(id, None);
            self.gate(id, at);
            return;
        }
        self.make_ready(id, at);
    }

    fn make_ready(&mut self, id: StepId, at: DateTime<Utc>) {
        let pipeline = Arc::clone(&self.pipeline);
        let node = pipeline.node(id);
        if let Some(wait) = node.step().details.wait {
            let until = match wait {
                Wait::For(span) => span.after(at),
                Wait::Until(t) => t,
            };
            self.gated.remove(&id);
            let e = &mut self.tasks[id.index()];
            e.state = TaskState::Running;
            e.attempts += 1;
            self.waiting.insert(id, until);
            return;
        }
        self.tasks[id.index()].state = TaskState::Ready;
        if node.is_manual() {
            self.awaiting.insert(id);
        } else {
            self.ready.insert(id);
        }
    }

    /// Evaluates a gated task's gates at `at`: ready if they pass, pending
    /// (out of the ready set) if not.
    fn gate(&mut self, id: StepId, at: DateTime<Utc>) {
        let state = self.tasks[id.index()].state;
        if !matches!(state, TaskState::Pending | TaskState::Ready) {
            self.gated.remove(&id);
            return;
        }
        let verdict = self.verdict(id, at);
        self.gated.insert(id, verdict.next_change);
        if verdict.is_ok() {
            if state == TaskState::Pending {
                self.make_ready(id, at);
            }
        } else if state == TaskState::Ready {
            self.ready.remove(&id);
            self.awaiting.remove(&id);
            self.tasks[id.index()].state = TaskState::Pending;
        }
    }

    fn reevaluate(&mut self, at: DateTime<Utc>) {
        let ids: Vec<StepId> = self.gated.keys().copied().collect();
        for id in ids {
            self.gate(id, at);
        }
    }
}

/// An `approval` fact given to a plan or an explanation names its approver
/// (its value) and its author (its source), both identities.
fn given_approval(fact: &Fact) -> Result<()> {
    let FactValue::Text(who) = &fact.value else {
        return Err(Error::invalid(format!(
            "approval fact {}: its value must name the approver",
            fact.key()
        )));
    };
    Identity::new(who).map_err(|e| Error::invalid(format!("approval fact {}: {e}", fact.key())))?;
    Identity::new(&fact.source).map_err(|e| {
        Error::invalid(format!(
            "approval fact {} needs its author as its source: {e}",
            fact.key()
        ))
    })?;
    Ok(())
}
