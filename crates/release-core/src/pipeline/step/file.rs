//! The `[[steps]]` table as written: every key of a step flat, which is
//! the shape serde reads, writes and derives the schema from. [`Step`]
//! keeps the same data with its rarely set fields out of line.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::super::matrix::Matrix;
use super::super::name::StepName;
use super::details::{Details, StepDetails};
use super::{Step, StepKind, Wait};
use crate::calendar::CalendarPoint;
use crate::duration::{Estimate, Span};
use crate::edit::FileEdit;
use crate::gate::Gate;
use crate::gate::Requirement;
use crate::version::ReleaseKind;

/// One step of a pipeline.
///
/// ```toml
/// [[steps]]
/// id = "build-stack"
/// kind = "build"
/// component = "stack"
/// needs = ["tag-stack"]
/// estimate = "10m..15m"
/// command = ["gh", "workflow", "run", "build-main.yaml"]
/// ```
#[derive(Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "Step"))]
#[serde(deny_unknown_fields)]
pub(super) struct StepFile {
    /// The step's id, unique in the pipeline; may not contain `[` or `]`
    /// (those name matrix cells).
    id: StepName,
    /// What it does.
    kind: StepKind,
    /// A sentence for humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    /// The component it acts on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    component: Option<String>,
    /// The environment it acts in; a `deploy` step is guarded by its gates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    /// The steps that must be done first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    needs: Vec<StepName>,
    /// Gates that must hold before it starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gates: Vec<Gate>,
    /// How long it usually takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    estimate: Option<Estimate>,
    /// Whether a person does it (completed by an approval event, never by an
    /// executor). `approve` steps are always manual.
    #[serde(default, skip_serializing_if = "is_false")]
    manual: bool,
    /// The command an executor runs, as an argument list: never a shell
    /// string, so step data is never interpolated by a shell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    command: Option<Vec<String>>,
    /// Free data for executors; `env`, if present, is a table of the
    /// environment variables to set (names of letters, digits and `_`;
    /// string values).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema_shapes::StepMetadata")
    )]
    metadata: BTreeMap<String, serde_json::Value>,
    /// How many attempts before a failure is final (1 = no retry; at
    /// least 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    max_attempts: u32,
    /// Whether downstream steps need it to succeed.
    #[serde(default, skip_serializing_if = "Requirement::is_required")]
    requirement: Requirement,
    /// For `wait` steps: how long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    wait: Option<Wait>,
    /// For matrix steps: the cells it expands into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    matrix: Option<Matrix>,
    /// How long one attempt of the step's command may run (`timeout =
    /// "30m"`). When it is up, the executor ends the command (the CLI sends
    /// SIGTERM to its whole process group, then SIGKILL after a grace
    /// period) and the attempt fails with "timed out after 30m"; a retry
    /// follows while attempts remain. None by default, since monitoring
    /// steps may last 24-48 hours; a process's `default_timeout` gives one
    /// to every step with a command that has none.
    ///
    /// A timeout bounds *execution* and kills; a deadline (a latest finish,
    /// a `due` date) only tells when a step should be done, and never ends
    /// anything. Only steps an executor runs can have one: manual and wait
    /// steps run no command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    timeout: Option<Span>,
    /// The step starts no earlier than this point of the release's
    /// calendar (`not_before = "feature freeze"`): a milestone of the
    /// release day's schedule, or the release day, with an offset. A
    /// process checks the milestone's name; the pipeline alone does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    not_before: Option<CalendarPoint>,
    /// The step should be done by this point (`due = "rc 1"`): a deadline.
    /// `plan` flags a step that cannot finish by it and says by how much;
    /// `explain` says when it is overdue. It never stops anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due: Option<CalendarPoint>,
    /// The kind of release this `tag` step makes of its component
    /// (`release_kind = "minor"`, or `{ level = "minor", prerelease = "rc"
    /// }`): the most specific declaration, over a train's and the release
    /// day's (see [`Process::next_releases`](crate::process::Process::next_releases)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    release_kind: Option<ReleaseKind>,
    /// The files the step edits when its task runs, before its command (a
    /// step with edits and no command only makes them): `[[steps.edits]]`
    /// with `file`, `format`, `key` and `value` (see [`FileEdit`]). All
    /// of a step's edits are computed before any file is written, so a
    /// refused edit writes none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    edits: Vec<FileEdit>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn one() -> u32 {
    1
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

impl From<StepFile> for Step {
    fn from(f: StepFile) -> Step {
        let details = StepDetails {
            description: f.description,
            component: f.component,
            environment: f.environment,
            gates: f.gates,
            command: f.command,
            metadata: f.metadata,
            wait: f.wait,
            matrix: f.matrix,
            timeout: f.timeout,
            not_before: f.not_before,
            due: f.due,
            release_kind: f.release_kind,
            edits: f.edits,
        };
        Step {
            id: f.id,
            kind: f.kind,
            needs: f.needs,
            estimate: f.estimate,
            manual: f.manual,
            max_attempts: f.max_attempts,
            requirement: f.requirement,
            details: Details::from(details),
        }
    }
}

impl From<Step> for StepFile {
    fn from(s: Step) -> StepFile {
        let d = s.details.into_inner();
        StepFile {
            id: s.id,
            kind: s.kind,
            description: d.description,
            component: d.component,
            environment: d.environment,
            needs: s.needs,
            gates: d.gates,
            estimate: s.estimate,
            manual: s.manual,
            command: d.command,
            metadata: d.metadata,
            max_attempts: s.max_attempts,
            requirement: s.requirement,
            wait: d.wait,
            matrix: d.matrix,
            timeout: d.timeout,
            not_before: d.not_before,
            due: d.due,
            release_kind: d.release_kind,
            edits: d.edits,
        }
    }
}
