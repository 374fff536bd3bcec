//! Task states, and the view of a task an executor receives.

use std::collections::BTreeMap;

use serde::Serialize;

use super::context::ReleaseContext;

use crate::duration::Span;
use crate::gate::Requirement;
use crate::pipeline::{Cell, Pipeline, Step, StepId, StepKind};

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TaskState {
    /// Waiting for its needs, or for its gates.
    Pending,
    /// Free to start (a manual task: free to be approved).
    Ready,
    /// Started and not finished (a wait step: waiting).
    Running,
    /// Done.
    Succeeded,
    /// Failed with no attempts left.
    Failed,
    /// Skipped on purpose.
    Skipped,
    /// Let through by a waiver.
    Waived,
    /// Cancelled.
    Cancelled,
}

crate::vocabulary! {
    TaskState, "task state",
    {
        Pending => "pending",
        Ready => "ready",
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        Skipped => "skipped",
        Waived => "waived",
        Cancelled => "cancelled",
    }
}

impl TaskState {
    /// Whether nothing more will happen to the task.
    pub fn is_terminal(self) -> bool {
        !matches!(
            self,
            TaskState::Pending | TaskState::Ready | TaskState::Running
        )
    }
}

/// Whether a task in `state` lets the tasks that need it go ahead: it
/// succeeded, was waived or skipped, or was advisory and failed.
pub(crate) fn satisfies(state: TaskState, requirement: Requirement) -> bool {
    match state {
        TaskState::Succeeded | TaskState::Waived | TaskState::Skipped => true,
        TaskState::Failed => requirement == Requirement::Advisory,
        _ => false,
    }
}

/// What an executor is asked to carry out: a task of the pipeline and the
/// attempt number. It borrows the pipeline, so handing it out costs
/// nothing; [`Task::to_owned_json`] gives a self-contained copy for
/// executors across a language boundary.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Task<'a> {
    /// The task's id (`build-stack`, `test[aws-integrated]`).
    pub id: &'a str,
    /// The task's id in the pipeline.
    #[serde(skip)]
    pub step_id: StepId,
    /// The step: kind, component, environment, command, metadata.
    pub step: &'a Step,
    /// The matrix cell, for a cell task.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<&'a Cell>,
    /// The attempt, from 1.
    pub attempt: u32,
    /// What the run releases ([`ReleaseContext`]), when the run was given it;
    /// [`values`](Task::values) gives the task's own.
    #[serde(skip)]
    pub context: Option<&'a ReleaseContext>,
}

impl<'a> Task<'a> {
    /// The task `id` of `pipeline`, at `attempt`.
    pub fn of(pipeline: &'a Pipeline, id: StepId, attempt: u32) -> Task<'a> {
        let node = pipeline.node(id);
        Task {
            id: node.id(),
            step_id: id,
            step: node.step(),
            cell: node.cell(),
            attempt,
            context: None,
        }
    }

    /// This task in `context` (the run's, if it has one).
    pub fn in_context(self, context: Option<&'a ReleaseContext>) -> Task<'a> {
        Task { context, ..self }
    }

    /// The values the task's command sees (see [`ReleaseContext::of_task`]): the
    /// run's context and its own; its own alone without a context.
    pub fn values(&self) -> BTreeMap<String, String> {
        self.context
            .map_or_else(ReleaseContext::default, Clone::clone)
            .of_task(self)
    }

    /// The command with its placeholders replaced ([`ReleaseContext::command_of`]).
    ///
    /// # Errors
    ///
    /// A placeholder without a value in this run.
    pub fn expanded_command(&self) -> crate::Result<Option<Vec<String>>> {
        match self.context {
            Some(c) => c.command_of(self),
            None => ReleaseContext::default().command_of(self),
        }
    }

    /// The step's kind.
    pub fn kind(&self) -> StepKind {
        self.step.kind
    }

    /// The command to run, if the step has one.
    pub fn command(&self) -> Option<&'a [String]> {
        self.step.details.command.as_deref()
    }

    /// How long one attempt may run before the executor ends it (the step's
    /// `timeout`, or the process's `default_timeout`); `None`: as long as
    /// it takes. An executor that cannot end a command reports it as failed
    /// when it returns late; the CLI's shell executor ends the command's
    /// whole process group (SIGTERM, then SIGKILL after a grace period).
    pub fn timeout(&self) -> Option<Span> {
        self.step.details.timeout
    }

    /// The task as a JSON value (id, step, cell, attempt).
    pub fn to_owned_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}
