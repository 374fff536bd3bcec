//! Drivers: hand ready tasks to an executor, record the outcomes, let time
//! pass, until nothing more can happen without input.

use std::any::Any;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, mpsc};
use std::thread;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::event::Event;
use super::executor::{ConcurrentExecutor, Executor, Outcome};
use super::state::{Run, RunStatus};
use super::task::{Task, TaskState};
use crate::pipeline::StepId;
use crate::{Error, Result};

/// Runs ready tasks sequentially, or up to N at once.
///
/// There are two ways to drive, sharing every rule (what is ready, when
/// time passes, when to stop):
///
/// - **Simulated** ([`drive`](Driver::drive),
///   [`drive_observed`](Driver::drive_observed)): the executor is called one
///   task at a time on the driver's thread. Parallelism is modelled as N
///   slots: up to N tasks are started at the same instant, each executor
///   call returns an outcome (with the time it took, on a
///   [`VirtualClock`](super::VirtualClock)), and outcomes are recorded in
///   order of completion time, then order of start. It is deterministic:
///   the same pipeline, executor and clock give the same journal. Dry runs
///   and simulations use it.
/// - **Concurrent** ([`drive_concurrent`](Driver::drive_concurrent)): up to
///   N tasks really run at once, each executor call on a thread of its own
///   (scoped threads, so the executor and the pipeline are borrowed, not
///   copied). Only the driver's thread touches the run, the clock and the
///   observer: it records each outcome as it arrives, at the clock's time
///   then. The order of outcomes is the order in which tasks finish, so
///   the journal is not deterministic beyond what the dependencies fix.
///
/// Either way the core does no I/O: the executor, the clock and the
/// observer are the caller's. An [`Observer`] sees every event the driver
/// applies, in journal order, right after the run accepted it and before
/// the driver goes on; an error from it stops the drive. That is how an
/// edge writes its journal file and shows progress (the CLI appends each
/// event and syncs the file before a task's command starts). A panic in an
/// executor becomes a failed task whose message is the panic's.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::pipeline::{Pipeline, Step, StepKind};
/// use release_core::run::{Driver, DryRunExecutor, Event, Run, RunStatus, VirtualClock};
///
/// let p = Pipeline::builder()
///     .step(Step::new("backend", StepKind::Build).estimate("3m..4m".parse()?))
///     .step(Step::new("frontend", StepKind::Build).estimate("5m..6m".parse()?))
///     .step(Step::new("stack", StepKind::Build).needs(["backend", "frontend"]).estimate("10m..15m".parse()?))
///     .build()?;
/// let start = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let mut clock = VirtualClock::new(start);
/// let mut run = Run::new(p);
/// // The observer sees each event as it happens (a journal file, progress).
/// let mut lines = Vec::new();
/// let mut observer = |event: &Event, _: &Run| {
///     lines.push(event.to_string());
///     Ok::<(), release_core::Error>(())
/// };
/// let report = Driver::parallel(2).drive_observed(
///     &mut run,
///     &mut DryRunExecutor::with_estimates(),
///     &mut clock,
///     &mut observer,
/// )?;
/// assert_eq!(report.status, RunStatus::Succeeded);
/// assert_eq!(report.finished_at, Utc.with_ymd_and_hms(2026, 3, 3, 9, 21, 0).unwrap());
/// assert_eq!(lines[..3], [
///     "2026-03-03T09:00:00Z started backend",
///     "2026-03-03T09:00:00Z started frontend",
///     "2026-03-03T09:04:00Z succeeded backend",
/// ]);
/// assert_eq!(lines.len(), run.journal().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    limit: usize,
}

/// What a drive did and where the run stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DriveReport {
    /// The run's status when the driver stopped.
    pub status: RunStatus,
    /// How many executor calls were made.
    pub executed: usize,
    /// The clock's time when the driver stopped.
    pub finished_at: DateTime<Utc>,
    /// When the run next changes by itself, if the driver stopped because
    /// its clock would not move there (a fixed clock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wakeup: Option<DateTime<Utc>>,
}

/// Sees every event a [`Driver`] applies to a run, in journal order.
///
/// [`event`](Observer::event) is called right after the run accepted the
/// event (`run` shows the state after it, and `event` is the last of
/// `run.journal()`), and before the driver does anything else: a task's
/// `started` is observed before its executor is called. An error stops
/// the drive and is returned by it; the run then holds exactly the events
/// observed, the failed one included, so its journal still replays.
///
/// The error type is the caller's (`anyhow::Error`, an `io::Error` wrapped
/// in the caller's own type...), as long as a run's [`Error`] converts into
/// it. A closure `FnMut(&Event, &Run) -> Result<(), E>` is an observer.
///
/// # Events recorded by others
///
/// A journal may have other writers while a run is driven (a person
/// approving, waiving, skipping or cancelling). Before each event of its
/// own (a tick, a start, an outcome), the driver asks
/// [`incoming`](Observer::incoming) for the events others recorded since
/// the last call, applies them, and shows each to
/// [`event`](Observer::event) like its own (an edge that writes a journal
/// does not write them again: they are there already). Only then does it
/// decide: a cancelled run starts nothing more, a skipped or waived task is
/// not started, and an outcome of a task cancelled meanwhile is dropped,
/// so its own events never contradict what others recorded. Its own
/// events are dated no earlier than the last event of the journal. After
/// its own events (or none, when there was nothing left to do) it calls
/// [`settled`](Observer::settled). An edge that locks its journal file
/// takes the lock in `incoming` and releases it in `settled`, so that no
/// other writer can append between what the driver read and what it
/// writes. Both have defaults that do nothing (no other writers).
pub trait Observer<E = Error> {
    /// Called once per event, in order.
    ///
    /// # Errors
    ///
    /// Whatever the observer could not do (write a journal file): the
    /// driver stops and returns it.
    fn event(&mut self, event: &Event, run: &Run) -> Result<(), E>;

    /// The events others recorded since the last call, in journal order,
    /// to be applied before the driver's next event of its own.
    ///
    /// # Errors
    ///
    /// Whatever the observer could not do (read or lock a journal file):
    /// the driver stops and returns it.
    fn incoming(&mut self, run: &Run) -> Result<Vec<Event>, E> {
        let _ = run;
        Ok(Vec::new())
    }

    /// What holds at `at` that no one records: the calendar's answers (a
    /// process's `calendar_events`, which a window opening or a holiday
    /// ending changes), as events to apply after
    /// [`incoming`](Observer::incoming) and before the driver's next event
    /// of its own at `at`. Each is shown to [`event`](Observer::event) like
    /// the driver's own (an edge writing a journal writes them: the journal
    /// then says what the calendar said when). The default gives nothing
    /// (a run without a calendar).
    ///
    /// # Errors
    ///
    /// Whatever the observer could not do: the driver stops and returns it.
    fn known(&mut self, run: &Run, at: DateTime<Utc>) -> Result<Vec<Event>, E> {
        let _ = (run, at);
        Ok(Vec::new())
    }

    /// The driver has recorded what it decided after the last
    /// [`incoming`](Observer::incoming) (possibly nothing).
    ///
    /// # Errors
    ///
    /// Whatever the observer could not do (release a lock).
    fn settled(&mut self) -> Result<(), E> {
        Ok(())
    }
}

impl<E, F: FnMut(&Event, &Run) -> Result<(), E>> Observer<E> for F {
    fn event(&mut self, event: &Event, run: &Run) -> Result<(), E> {
        self(event, run)
    }
}

/// The observer of [`Driver::drive`]: sees nothing.
struct Unobserved;

impl Observer for Unobserved {
    fn event(&mut self, _: &Event, _: &Run) -> Result<()> {
        Ok(())
    }
}

impl Driver {
    /// One task at a time.
    pub fn sequential() -> Driver {
        Driver { limit: 1 }
    }

    /// Up to `limit` tasks at once (at least one).
    pub fn parallel(limit: usize) -> Driver {
        Driver {
            limit: limit.max(1),
        }
    }

    /// How many tasks may run at once.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Drives the run, simulated (see [`Driver`]), until it succeeds,
    /// fails, is cancelled, or needs input (an approval, a fact, a waiver)
    /// — or needs time its clock will not give.
    ///
    /// # Errors
    ///
    /// An error from [`Run::apply`], which a driver's own events never
    /// cause unless the run is changed concurrently.
    pub fn drive(
        &self,
        run: &mut Run,
        executor: &mut dyn Executor,
        clock: &mut dyn Clock,
    ) -> Result<DriveReport> {
        self.drive_observed(run, executor, clock, &mut Unobserved)
    }

    /// [`drive`](Driver::drive), showing every event it applies to
    /// `observer` as it happens.
    ///
    /// # Errors
    ///
    /// The observer's first error, or an error from [`Run::apply`] as for
    /// [`drive`](Driver::drive).
    pub fn drive_observed<E: From<Error>>(
        &self,
        run: &mut Run,
        executor: &mut dyn Executor,
        clock: &mut dyn Clock,
        observer: &mut dyn Observer<E>,
    ) -> Result<DriveReport, E> {
        let pipeline = Arc::clone(run.pipeline());
        // In flight: (finish time, order of start, task, outcome).
        let mut slots: Vec<(DateTime<Utc>, u64, StepId, Outcome)> = Vec::with_capacity(self.limit);
        let mut started: u64 = 0;
        let mut executed = 0usize;
        loop {
            let now = clock.now();
            tick(run, now, observer)?;
            while slots.len() < self.limit {
                let Some((id, now)) = start_next(run, now, observer)? else {
                    break;
                };
                // The context as it is now: outputs of earlier tasks included.
                let context = run.context().cloned();
                let task = Task::of(&pipeline, id, run.attempts(id)).in_context(context.as_deref());
                let outcome = caught(|| executor.execute(&task));
                executed += 1;
                let finish = match outcome.elapsed {
                    Some(span) => span.after(now),
                    None => clock.now(),
                };
                slots.push((finish, started, id, outcome));
                started += 1;
            }
            if slots.is_empty() {
                match idle(run, clock, executed) {
                    Some(report) => return Ok(report),
                    None => continue,
                }
            }
            // Complete the earliest-finishing task (ties: first started);
            // time-based changes before then happen first.
            let next = slots
                .iter()
                .enumerate()
                .min_by_key(|(_, (finish, order, _, _))| (*finish, *order))
                .map(|(i, _)| i)
                .ok_or_else(|| Error::refused("no task in flight".to_owned()))?;
            let finish = slots[next].0;
            if let Some(wake) = run.next_wakeup()
                && wake < finish
            {
                clock.sleep_until(wake);
                if clock.now() >= wake {
                    tick(run, clock.now(), observer)?;
                    continue;
                }
            }
            let (finish, _, id, outcome) = slots.swap_remove(next);
            clock.sleep_until(finish);
            let at = clock.now().max(finish);
            record(run, id, outcome, at, observer)?;
        }
    }

    /// Drives the run with up to [`limit`](Driver::limit) tasks really
    /// running at once, each executor call on a scoped thread of its own,
    /// until the run succeeds, fails, is cancelled, or needs input — or
    /// needs time its clock will not give.
    ///
    /// The driver's thread starts ready tasks (each `started` observed
    /// before its thread is spawned), then waits for the next outcome and
    /// records it at the clock's time when it arrives; an outcome's
    /// [`elapsed`](Outcome::elapsed) is not used. While tasks run, it wakes
    /// for a wait step's end only with a clock that follows real time
    /// ([`Clock::real_time_until`]); with a virtual or fixed clock, time
    /// passes between outcomes, never during them.
    ///
    /// With a limit of one, the executor is called one task at a time, in
    /// the order [`drive`](Driver::drive) would call it.
    ///
    /// # Errors
    ///
    /// The observer's first error, or an error from [`Run::apply`] as for
    /// [`drive`](Driver::drive). Either way, the driver returns once the
    /// tasks already running have returned; their outcomes are not
    /// recorded, so the run shows them running (a resume marks them
    /// interrupted).
    ///
    /// # Example
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use chrono::{TimeZone, Utc};
    /// use release_core::pipeline::{Pipeline, Step, StepKind};
    /// use release_core::run::{Driver, Event, FixedClock, Outcome, Run, RunStatus, Task};
    ///
    /// let p = Pipeline::builder()
    ///     .step(Step::new("backend", StepKind::Build))
    ///     .step(Step::new("frontend", StepKind::Build))
    ///     .step(Step::new("stack", StepKind::Build).needs(["backend", "frontend"]))
    ///     .build()?;
    /// let mut run = Run::new(p);
    /// let calls = AtomicUsize::new(0);
    /// let exec = |task: &Task<'_>| {
    ///     calls.fetch_add(1, Ordering::SeqCst);
    ///     if task.id == "frontend" { panic!("out of disk") }
    ///     Outcome::success()
    /// };
    /// let mut clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap());
    /// let mut seen = 0;
    /// let report = Driver::parallel(2).drive_concurrent(&mut run, &exec, &mut clock, &mut |_: &Event, _: &Run| {
    ///     seen += 1;
    ///     Ok::<(), release_core::Error>(())
    /// })?;
    /// assert_eq!(report.status, RunStatus::Failed);
    /// assert_eq!(calls.load(Ordering::SeqCst), 2);
    /// assert_eq!(run.state_of("stack")?.as_str(), "pending");
    /// let frontend = run.pipeline().lookup("frontend")?;
    /// assert_eq!(run.message(frontend), Some("the executor panicked: out of disk"));
    /// assert_eq!(seen, run.journal().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn drive_concurrent<E: From<Error>>(
        &self,
        run: &mut Run,
        executor: &dyn ConcurrentExecutor,
        clock: &mut dyn Clock,
        observer: &mut dyn Observer<E>,
    ) -> Result<DriveReport, E> {
        let pipeline = Arc::clone(run.pipeline());
        let pipeline = &*pipeline;
        let (done, outcomes) = mpsc::channel::<(StepId, Outcome)>();
        // The scope joins every thread before returning, also when the
        // driver stops early: no executor call outlives the drive.
        thread::scope(|scope| {
            let mut in_flight = 0usize;
            let mut executed = 0usize;
            loop {
                let now = clock.now();
                tick(run, now, observer)?;
                while in_flight < self.limit {
                    let Some((id, _)) = start_next(run, now, observer)? else {
                        break;
                    };
                    let attempt = run.attempts(id);
                    // The context as it is now (outputs of earlier tasks
                    // included), owned by the task's thread.
                    let context = run.context().cloned();
                    let done = done.clone();
                    scope.spawn(move || {
                        let task = Task::of(pipeline, id, attempt).in_context(context.as_deref());
                        let outcome = caught(|| executor.execute(&task));
                        // The receiver outlives the scope, so this cannot
                        // fail; an outcome the stopped driver does not read
                        // is dropped with it.
                        let _ = done.send((id, outcome));
                    });
                    executed += 1;
                    in_flight += 1;
                }
                if in_flight == 0 {
                    match idle(run, clock, executed) {
                        Some(report) => return Ok(report),
                        None => continue,
                    }
                }
                let wait = run
                    .next_wakeup()
                    .and_then(|at| clock.real_time_until(at))
                    // A floor, so that a wakeup the tick did not clear
                    // cannot make the driver spin.
                    .map(|wait| wait.max(Duration::from_millis(10)));
                // The driver holds a sender, so the channel never
                // disconnects; a timeout means time to tick.
                let arrived = match wait {
                    Some(wait) => outcomes.recv_timeout(wait).ok(),
                    None => outcomes.recv().ok(),
                };
                if let Some((id, outcome)) = arrived {
                    in_flight -= 1;
                    record(run, id, outcome, clock.now(), observer)?;
                }
            }
        })
    }
}

/// Shows `observer` the events the run accepted from `from` on.
fn observe<E>(run: &Run, from: usize, observer: &mut dyn Observer<E>) -> Result<(), E> {
    for event in &run.journal()[from..] {
        observer.event(event, run)?;
    }
    Ok(())
}

/// Applies the events others recorded since the driver last looked (see
/// [`Observer::incoming`]), then what holds at `at` ([`Observer::known`]),
/// each shown to the observer.
fn sync<E: From<Error>>(
    run: &mut Run,
    at: DateTime<Utc>,
    observer: &mut dyn Observer<E>,
) -> Result<(), E> {
    for event in observer.incoming(run)? {
        let from = run.journal().len();
        run.apply(event)?;
        observe(run, from, observer)?;
    }
    let at = not_before_last(run, at);
    for event in observer.known(run, at)? {
        let from = run.journal().len();
        run.apply(event)?;
        observe(run, from, observer)?;
    }
    Ok(())
}

/// `at`, or the journal's last event's time if that is later: a journal's
/// times never go back, also when another writer's clock was ahead.
fn not_before_last(run: &Run, at: DateTime<Utc>) -> DateTime<Utc> {
    run.journal().last().map_or(at, |last| at.max(last.at))
}

/// Lets time pass to `now` (a `tick` event if it changed something).
fn tick<E: From<Error>>(
    run: &mut Run,
    now: DateTime<Utc>,
    observer: &mut dyn Observer<E>,
) -> Result<(), E> {
    sync(run, now, observer)?;
    let from = run.journal().len();
    run.tick(not_before_last(run, now));
    observe(run, from, observer)?;
    observer.settled()
}

/// Starts the first ready task, after applying what others recorded; its
/// `started` is observed before the task runs. Returns the task and the
/// time it started at, or `None` when no task is ready (any more).
fn start_next<E: From<Error>>(
    run: &mut Run,
    now: DateTime<Utc>,
    observer: &mut dyn Observer<E>,
) -> Result<Option<(StepId, DateTime<Utc>)>, E> {
    sync(run, now, observer)?;
    let Some(id) = run.ready().next() else {
        observer.settled()?;
        return Ok(None);
    };
    let at = not_before_last(run, now);
    let from = run.journal().len();
    run.start(id, at)?;
    observe(run, from, observer)?;
    observer.settled()?;
    Ok(Some((id, at)))
}

/// Records an outcome one event at a time (its facts, then `succeeded` or
/// `failed`), so that an observer's error stops it between two events;
/// after applying what others recorded. The outcome of a task that is no
/// longer running (cancelled meanwhile) is dropped.
fn record<E: From<Error>>(
    run: &mut Run,
    id: StepId,
    outcome: Outcome,
    at: DateTime<Utc>,
    observer: &mut dyn Observer<E>,
) -> Result<(), E> {
    sync(run, at, observer)?;
    if run.state(id) == TaskState::Running {
        let at = not_before_last(run, at);
        for event in run.outcome_events(id, outcome, at)? {
            let from = run.journal().len();
            run.apply(event)?;
            observe(run, from, observer)?;
        }
    }
    observer.settled()
}

/// Nothing is in flight: sleeps until the next time-based change and
/// returns `None` to go on, or the report if the drive is over (nothing
/// will change by itself, or the clock will not get there).
fn idle(run: &Run, clock: &mut dyn Clock, executed: usize) -> Option<DriveReport> {
    match run.next_wakeup() {
        Some(at) if matches!(run.status(), RunStatus::Waiting | RunStatus::InProgress) => {
            clock.sleep_until(at);
            if clock.now() < at {
                return Some(DriveReport {
                    status: run.status(),
                    executed,
                    finished_at: clock.now(),
                    wakeup: Some(at),
                });
            }
            None
        }
        _ => Some(DriveReport {
            status: run.status(),
            executed,
            finished_at: clock.now(),
            wakeup: None,
        }),
    }
}

/// An executor's outcome, or a failure if it panicked: one task's bug never
/// takes the run down with it.
fn caught(execute: impl FnOnce() -> Outcome) -> Outcome {
    // Unwind safety: after a panic the driver only reads the payload; the
    // executor's own state is its business (it is called again for other
    // tasks, as after any failure).
    panic::catch_unwind(AssertUnwindSafe(execute)).unwrap_or_else(|payload| {
        Outcome::failure(match panic_message(payload.as_ref()) {
            Some(message) => format!("the executor panicked: {message}"),
            None => "the executor panicked".to_owned(),
        })
    })
}

/// The message of a panic (`panic!("...")` carries a `&str` or a `String`).
fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}
