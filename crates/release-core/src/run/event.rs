//! Events: the run's inputs, each with a time. The journal is their list.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::gate::Fact;
use crate::identity::Identity;
use crate::identity::is_blank;

/// Something that happened to a run, at an instant.
///
/// Serialised flat, one JSON object per journal line:
/// `{"at":"2026-03-03T09:00:00Z","event":"started","task":"build-stack"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// What happened.
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// An event.
    pub fn new(at: DateTime<Utc>, kind: EventKind) -> Event {
        Event { at, kind }
    }
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// Who requested the release: the first event of a run whose process
    /// has approvals gates or manual steps (`release run --requested-by`).
    /// It cannot change: a second one is refused, and so is one after any
    /// other event. Their own approvals do not count, and they may not
    /// waive the gates that guard their release.
    Requested {
        /// Who.
        by: Identity,
    },
    /// An executor started a ready task (an attempt begins).
    Started {
        /// The task.
        task: String,
        /// The operating-system process running the attempt, when the
        /// executor runs one and says so (the CLI's shell executor does):
        /// a resume uses it to tell whether the previous attempt may still
        /// be running. Absent in older journals and for other executors.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        process: Option<TaskProcess>,
    },
    /// A running task succeeded.
    Succeeded {
        /// The task.
        task: String,
        /// What the executor said.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<String>,
    },
    /// A running task's attempt failed; it is retried while attempts remain.
    Failed {
        /// The task.
        task: String,
        /// Why.
        message: String,
    },
    /// A running task's attempt was abandoned without an outcome (the
    /// process running it died); the task is ready again. Recorded on
    /// resume for every task started but not finished.
    Interrupted {
        /// The task.
        task: String,
    },
    /// A task that failed for good is given a new round of attempts (after
    /// someone fixed the cause): its attempt count restarts, and the tasks
    /// its failure blocked may run once it succeeds. Only a failure that
    /// blocks (of a required task) can be retried.
    Retried {
        /// The task.
        task: String,
    },
    /// Someone approved: a manual task (which then succeeds), or the
    /// release in a role (an `approval` fact for gates), or both.
    Approved {
        /// The manual task approved, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// Who.
        by: Identity,
        /// In which role (the subject of the approval fact).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// Someone waived a task (it counts as done) or, with `gate`, a gate of
    /// a task (of every task when `task` is absent).
    Waived {
        /// The task.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// The gate, for a gate waiver.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        gate: Option<String>,
        /// Who.
        by: Identity,
        /// Why.
        reason: String,
    },
    /// Someone skipped a skippable or advisory task on purpose.
    Skipped {
        /// The task.
        task: String,
        /// Who.
        by: Identity,
        /// Why.
        reason: String,
    },
    /// A fact became known.
    Fact {
        /// The fact (boxed: it is the largest event, and journals are long).
        fact: Box<Fact>,
    },
    /// The run (or one task) was cancelled.
    Cancelled {
        /// The task; the whole run when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        task: Option<String>,
        /// Who.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<Identity>,
        /// Why.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// Time passed: wait steps whose time came succeed, time-based gates
    /// are evaluated again. Recorded only when it changed something.
    Tick,
}

/// The process an executor started for an attempt, as recorded in its
/// `started` event: `{"pid":4242,"start_ticks":123456}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TaskProcess {
    /// The process id (also the id of the process group it leads, in the
    /// CLI's shell executor).
    pub pid: u32,
    /// When the process started, in the operating system's own unit (on
    /// Linux, field 22 of `/proc/PID/stat`: clock ticks since boot), so
    /// that a reused pid is not mistaken for it; absent where the platform
    /// does not tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_ticks: Option<u64>,
}

impl EventKind {
    /// A `started` event for `task`, without a process.
    pub fn started(task: impl Into<String>) -> EventKind {
        EventKind::Started {
            task: task.into(),
            process: None,
        }
    }

    /// A `fact` event.
    pub fn fact(fact: Fact) -> EventKind {
        EventKind::Fact {
            fact: Box::new(fact),
        }
    }

    /// The task the event is about, if any.
    pub fn task(&self) -> Option<&str> {
        match self {
            EventKind::Started { task, .. }
            | EventKind::Succeeded { task, .. }
            | EventKind::Failed { task, .. }
            | EventKind::Interrupted { task }
            | EventKind::Retried { task }
            | EventKind::Skipped { task, .. } => Some(task),
            EventKind::Approved { task, .. }
            | EventKind::Waived { task, .. }
            | EventKind::Cancelled { task, .. } => task.as_deref(),
            EventKind::Requested { .. } | EventKind::Fact { .. } | EventKind::Tick => None,
        }
    }

    /// The event's name, as in the journal.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Requested { .. } => "requested",
            EventKind::Started { .. } => "started",
            EventKind::Succeeded { .. } => "succeeded",
            EventKind::Failed { .. } => "failed",
            EventKind::Interrupted { .. } => "interrupted",
            EventKind::Retried { .. } => "retried",
            EventKind::Approved { .. } => "approved",
            EventKind::Waived { .. } => "waived",
            EventKind::Skipped { .. } => "skipped",
            EventKind::Fact { .. } => "fact",
            EventKind::Cancelled { .. } => "cancelled",
            EventKind::Tick => "tick",
        }
    }
}

impl EventKind {
    /// Refuses an event whose who or why is blank (see [`is_blank`]): an
    /// approval, waiver, skip or cancellation must say who, and a waiver or
    /// skip why; a cancellation's optional who and why, when given, must
    /// say something.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming the field.
    pub fn check(&self) -> crate::Result<()> {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        match self {
            // Identities are never blank (they are validated when read);
            // reasons and roles are free text.
            EventKind::Approved { role: Some(r), .. } => fields.push(("role", r)),
            EventKind::Waived { reason, .. } | EventKind::Skipped { reason, .. } => {
                fields.push(("reason", reason));
            }
            EventKind::Cancelled {
                reason: Some(r), ..
            } => fields.push(("reason", r)),
            _ => {}
        }
        for (field, text) in fields {
            if is_blank(text) {
                return Err(crate::Error::invalid(format!(
                    "{} event: {field:?} must not be blank (nor only spaces or invisible characters)",
                    self.name()
                )));
            }
        }
        Ok(())
    }

    /// The fields an event of this name may have besides `at` and `event`
    /// (`None` for an unknown name).
    pub(crate) fn fields_of(name: &str) -> Option<&'static [&'static str]> {
        Some(match name {
            "started" => &["task", "process"],
            "interrupted" | "retried" => &["task"],
            "requested" => &["by"],
            "succeeded" | "failed" => &["task", "message"],
            "approved" => &["task", "by", "role"],
            "waived" => &["task", "gate", "by", "reason"],
            "skipped" => &["task", "by", "reason"],
            "cancelled" => &["task", "by", "reason"],
            "fact" => &["fact"],
            "tick" => &[],
            _ => return None,
        })
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        write!(f, "{at} {}", self.kind.name())?;
        match &self.kind {
            EventKind::Fact { fact } => write!(f, " {fact}"),
            EventKind::Requested { by } => write!(f, " by {by}"),
            EventKind::Failed { task, message } => write!(f, " {task}: {message}"),
            EventKind::Waived {
                task,
                gate,
                by,
                reason,
            } => {
                if let Some(g) = gate {
                    write!(f, " gate {g:?}")?;
                }
                if let Some(t) = task {
                    write!(f, " {t}")?;
                }
                write!(f, " by {by}: {reason}")
            }
            EventKind::Approved { task, by, role } => {
                if let Some(t) = task {
                    write!(f, " {t}")?;
                }
                write!(f, " by {by}")?;
                if let Some(r) = role {
                    write!(f, " as {r}")?;
                }
                Ok(())
            }
            EventKind::Skipped { task, by, reason } => write!(f, " {task} by {by}: {reason}"),
            other => match other.task() {
                Some(t) => write!(f, " {t}"),
                None => Ok(()),
            },
        }
    }
}
