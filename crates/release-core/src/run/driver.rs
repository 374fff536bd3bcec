//! Drivers: hand ready tasks to an executor, record the outcomes, let time
//! pass, until nothing more can happen without input.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock::Clock;
use super::executor::{Executor, Outcome};
use super::state::{Run, RunStatus};
use super::task::Task;
use crate::pipeline::StepId;
use crate::{Error, Result};

/// Runs ready tasks sequentially, or up to N at once.
///
/// Parallel driving is modelled as N slots in the pure core: up to N tasks
/// are started at the same instant, each executor call returns an outcome
/// (with the time it took, on a virtual clock), and outcomes are recorded
/// in order of completion time, then declaration order. It is
/// deterministic: the same pipeline, executor and clock give the same
/// journal. An edge that wants real concurrency (threads, processes) uses
/// [`Run::start`] and [`Run::finish`] itself.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::pipeline::{Pipeline, Step, StepKind};
/// use release_core::run::{Driver, DryRunExecutor, Run, RunStatus, VirtualClock};
///
/// let p = Pipeline::builder()
///     .step(Step::new("backend", StepKind::Build).estimate("3m..4m".parse()?))
///     .step(Step::new("frontend", StepKind::Build).estimate("5m..6m".parse()?))
///     .step(Step::new("stack", StepKind::Build).needs(["backend", "frontend"]).estimate("10m..15m".parse()?))
///     .build()?;
/// let start = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let mut clock = VirtualClock::new(start);
/// let mut run = Run::new(p);
/// let report = Driver::parallel(2).drive(&mut run, &mut DryRunExecutor::with_estimates(), &mut clock)?;
/// assert_eq!(report.status, RunStatus::Succeeded);
/// assert_eq!(report.finished_at, Utc.with_ymd_and_hms(2026, 3, 3, 9, 21, 0).unwrap());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    limit: usize,
}

/// What a drive did and where the run stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

    /// Drives the run until it succeeds, fails, is cancelled, or needs
    /// input (an approval, a fact, a waiver) — or needs time its clock
    /// will not give.
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
        let pipeline = run.pipeline().clone();
        // In flight: (finish time, order of start, task, outcome).
        let mut slots: Vec<(DateTime<Utc>, u64, StepId, Outcome)> = Vec::with_capacity(self.limit);
        let mut started: u64 = 0;
        let mut executed = 0usize;
        loop {
            let now = clock.now();
            run.tick(now);
            while slots.len() < self.limit {
                let Some(id) = run.ready().next() else { break };
                run.start(id, now)?;
                let outcome = executor.execute(&Task::of(&pipeline, id, run.attempts(id)));
                executed += 1;
                let finish = match outcome.elapsed {
                    Some(span) => now + span.to_delta(),
                    None => clock.now(),
                };
                slots.push((finish, started, id, outcome));
                started += 1;
            }
            if slots.is_empty() {
                match run.next_wakeup() {
                    Some(at)
                        if run.status() == RunStatus::Waiting
                            || run.status() == RunStatus::InProgress =>
                    {
                        clock.sleep_until(at);
                        if clock.now() < at {
                            return Ok(DriveReport {
                                status: run.status(),
                                executed,
                                finished_at: clock.now(),
                                wakeup: Some(at),
                            });
                        }
                        continue;
                    }
                    _ => {
                        return Ok(DriveReport {
                            status: run.status(),
                            executed,
                            finished_at: clock.now(),
                            wakeup: None,
                        });
                    }
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
            if let Some(wake) = run.next_wakeup() {
                if wake < finish {
                    clock.sleep_until(wake);
                    if clock.now() >= wake {
                        run.tick(clock.now());
                        continue;
                    }
                }
            }
            let (finish, _, id, outcome) = slots.swap_remove(next);
            clock.sleep_until(finish);
            let at = clock.now().max(finish);
            run.finish(id, outcome, at)?;
        }
    }
}
