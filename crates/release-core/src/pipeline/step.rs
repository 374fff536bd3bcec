//! Steps: what a release does, with dependencies, gates and estimates.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::matrix::Matrix;
use crate::calendar::CalendarPoint;
use crate::duration::{Estimate, Span};
use crate::edit::FileEdit;
use crate::gate::Gate;
use crate::gate::Requirement;
use crate::version::ReleaseKind;

/// What a step does. Executors decide how; the engine treats `approve`
/// steps as manual and `wait` steps as timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StepKind {
    /// Create a tag.
    Tag,
    /// Build an artifact.
    Build,
    /// Deploy into an environment (the environment's gates apply).
    Deploy,
    /// Run tests (the outcome is recorded as a `test` fact).
    Test,
    /// Take a snapshot (a database backup before production).
    Snapshot,
    /// A person approves: manual, completed by an approval event.
    Approve,
    /// Tell people.
    Notify,
    /// Wait for a duration, or until an instant.
    Wait,
    /// Anything else; executors read the metadata.
    Custom,
}

crate::vocabulary! {
    StepKind, "step kind",
    {
        Tag => "tag",
        Build => "build",
        Deploy => "deploy",
        Test => "test",
        Snapshot => "snapshot",
        Approve => "approve",
        Notify => "notify",
        Wait => "wait",
        Custom => "custom",
    }
}

/// How long a `wait` step waits: `wait = { for = "24h" }` or
/// `wait = { until = "2026-03-04T09:00:00Z" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Wait {
    /// A duration from the moment the step's needs are met.
    For(Span),
    /// Until an instant.
    Until(
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::Instant"))]
        DateTime<Utc>,
    ),
}

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
///
/// # Example
///
/// ```
/// use release_core::pipeline::{Step, StepKind};
///
/// let step = Step::new("build-stack", StepKind::Build)
///     .component("stack")
///     .needs(["tag-stack"])
///     .estimate("10m..15m".parse()?)
///     .command(["gh", "workflow", "run", "build-main.yaml"]);
/// assert_eq!(step.needs, ["tag-stack"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The step's id, unique in the pipeline; may not contain `[` or `]`
    /// (those name matrix cells).
    pub id: String,
    /// What it does.
    pub kind: StepKind,
    /// A sentence for humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The component it acts on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The environment it acts in; a `deploy` step is guarded by its gates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// The steps that must be done first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
    /// Gates that must hold before it starts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
    /// How long it usually takes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// Whether a person does it (completed by an approval event, never by an
    /// executor). `approve` steps are always manual.
    #[serde(default, skip_serializing_if = "is_false")]
    pub manual: bool,
    /// The command an executor runs, as an argument list: never a shell
    /// string, so step data is never interpolated by a shell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<Vec<String>>,
    /// Free data for executors; `env`, if present, is a table of the
    /// environment variables to set (names of letters, digits and `_`;
    /// string values).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema_shapes::StepMetadata")
    )]
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// How many attempts before a failure is final (1 = no retry; at
    /// least 1).
    #[serde(default = "one", skip_serializing_if = "is_one")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub max_attempts: u32,
    /// Whether downstream steps need it to succeed.
    #[serde(default, skip_serializing_if = "Requirement::is_required")]
    pub requirement: Requirement,
    /// For `wait` steps: how long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wait: Option<Wait>,
    /// For matrix steps: the cells it expands into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<Matrix>,
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
    pub timeout: Option<Span>,
    /// The step starts no earlier than this point of the release's
    /// calendar (`not_before = "feature freeze"`): a milestone of the
    /// release day's schedule, or the release day, with an offset. A
    /// process checks the milestone's name; the pipeline alone does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<CalendarPoint>,
    /// The step should be done by this point (`due = "rc 1"`): a deadline.
    /// `plan` flags a step that cannot finish by it and says by how much;
    /// `explain` says when it is overdue. It never stops anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due: Option<CalendarPoint>,
    /// The kind of release this `tag` step makes of its component
    /// (`release_kind = "minor"`, or `{ level = "minor", prerelease = "rc"
    /// }`): the most specific declaration, over a train's and the release
    /// day's (see [`Process::next_releases`](crate::process::Process::next_releases)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_kind: Option<ReleaseKind>,
    /// The files the step edits when its task runs, before its command (a
    /// step with edits and no command only makes them): `[[steps.edits]]`
    /// with `file`, `format`, `key` and `value` (see [`FileEdit`]). All
    /// of a step's edits are computed before any file is written, so a
    /// refused edit writes none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<FileEdit>,
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

impl Step {
    /// A step with only an id and a kind.
    pub fn new(id: impl Into<String>, kind: StepKind) -> Step {
        Step {
            id: id.into(),
            kind,
            description: None,
            component: None,
            environment: None,
            needs: Vec::new(),
            gates: Vec::new(),
            estimate: None,
            manual: kind == StepKind::Approve,
            command: None,
            metadata: BTreeMap::new(),
            max_attempts: 1,
            requirement: Requirement::Required,
            wait: None,
            matrix: None,
            timeout: None,
            not_before: None,
            due: None,
            release_kind: None,
            edits: Vec::new(),
        }
    }

    /// A `wait` step.
    pub fn wait_step(id: impl Into<String>, wait: Wait) -> Step {
        Step {
            wait: Some(wait),
            ..Step::new(id, StepKind::Wait)
        }
    }

    /// With a description.
    pub fn description(self, text: impl Into<String>) -> Step {
        Step {
            description: Some(text.into()),
            ..self
        }
    }

    /// On a component.
    pub fn component(self, name: impl Into<String>) -> Step {
        Step {
            component: Some(name.into()),
            ..self
        }
    }

    /// In an environment.
    pub fn environment(self, name: impl Into<String>) -> Step {
        Step {
            environment: Some(name.into()),
            ..self
        }
    }

    /// With more needs.
    pub fn needs<I, S>(mut self, needs: I) -> Step
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.needs.extend(needs.into_iter().map(Into::into));
        self
    }

    /// With one more gate.
    pub fn gate(mut self, gate: Gate) -> Step {
        self.gates.push(gate);
        self
    }

    /// With an estimate.
    pub fn estimate(self, estimate: Estimate) -> Step {
        Step {
            estimate: Some(estimate),
            ..self
        }
    }

    /// Manual (or not).
    pub fn manual(self, manual: bool) -> Step {
        Step { manual, ..self }
    }

    /// With a command, as arguments.
    pub fn command<I, S>(self, args: I) -> Step
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Step {
            command: Some(args.into_iter().map(Into::into).collect()),
            ..self
        }
    }

    /// With a metadata entry.
    pub fn meta(mut self, key: impl Into<String>, value: serde_json::Value) -> Step {
        self.metadata.insert(key.into(), value);
        self
    }

    /// With at most `n` attempts.
    pub fn max_attempts(self, n: u32) -> Step {
        Step {
            max_attempts: n,
            ..self
        }
    }

    /// With a requirement.
    pub fn requirement(self, requirement: Requirement) -> Step {
        Step {
            requirement,
            ..self
        }
    }

    /// With a timeout for each attempt of its command.
    pub fn timeout(self, timeout: Span) -> Step {
        Step {
            timeout: Some(timeout),
            ..self
        }
    }

    /// This step, starting no earlier than `point`.
    pub fn not_before(self, point: CalendarPoint) -> Step {
        Step {
            not_before: Some(point),
            ..self
        }
    }

    /// This step, due by `point`.
    pub fn due(self, point: CalendarPoint) -> Step {
        Step {
            due: Some(point),
            ..self
        }
    }

    /// Whether an executor runs the step (it is neither manual nor a wait
    /// step): only such a step can have a `timeout`.
    pub fn is_executed(&self) -> bool {
        !self.is_manual() && self.kind != StepKind::Wait
    }

    /// With one more file edit.
    pub fn edit(mut self, edit: FileEdit) -> Step {
        self.edits.push(edit);
        self
    }

    /// Expanded over a matrix.
    pub fn matrix(self, matrix: Matrix) -> Step {
        Step {
            matrix: Some(matrix),
            ..self
        }
    }

    /// Whether the step is done by a person.
    pub fn is_manual(&self) -> bool {
        self.manual || self.kind == StepKind::Approve
    }

    /// What is wrong with `metadata.env`, the environment variables an
    /// executor sets for the step (the CLI's shell executor does), if
    /// anything: it must be a table whose keys are variable names
    /// (`[A-Za-z_][A-Za-z0-9_]*`, so no `=` or NUL) and whose values are
    /// strings without NUL. Returns the message and the offending key.
    pub(crate) fn env_problem(&self) -> Option<(String, Option<String>)> {
        let value = self.metadata.get("env")?;
        let Some(table) = value.as_object() else {
            return Some((
                format!("metadata.env must be a table of strings, not {value}"),
                None,
            ));
        };
        for (key, v) in table {
            let mut chars = key.chars();
            let name_ok = chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !name_ok {
                return Some((
                    format!(
                        "metadata.env key {key:?} is not a variable name (letters, digits and _, not starting with a digit)"
                    ),
                    Some(key.clone()),
                ));
            }
            match v.as_str() {
                None => {
                    return Some((
                        format!("metadata.env.{key} must be a string, not {v}"),
                        Some(key.clone()),
                    ));
                }
                Some(text) if text.contains('\0') => {
                    return Some((
                        format!("metadata.env.{key} contains a NUL character"),
                        Some(key.clone()),
                    ));
                }
                Some(_) => {}
            }
        }
        None
    }

    /// The estimate, or for a `wait ... for` step its duration.
    pub fn effective_estimate(&self) -> Option<Estimate> {
        match (self.estimate, self.wait) {
            (Some(e), _) => Some(e),
            (None, Some(Wait::For(span))) => Some(Estimate::exactly(span)),
            _ => None,
        }
    }
}
