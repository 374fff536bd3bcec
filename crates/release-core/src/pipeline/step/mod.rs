//! Steps: what a release does, with dependencies, gates and estimates.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod details;
mod file;

pub use self::details::{Details, StepDetails};
use self::file::StepFile;
use super::matrix::Matrix;
use super::name::StepName;
use crate::calendar::CalendarPoint;
use crate::duration::{Estimate, Span};
use crate::edit::FileEdit;
use crate::gate::Gate;
use crate::gate::Requirement;

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
///
/// The fields most steps have (id, kind, needs, estimate, attempts,
/// requirement) are inline; the rest are [`details`](Self::details), out
/// of line and allocated only when one is set, so a step of a large
/// generated pipeline is 88 bytes. Read and write them through
/// `step.details` (`step.details.component`), or build them with the
/// methods below.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "StepFile", into = "StepFile")]
pub struct Step {
    /// The step's id, unique in the pipeline; may not contain `[` or `]`
    /// (those name matrix cells).
    pub id: StepName,
    /// What it does.
    pub kind: StepKind,
    /// The steps that must be done first.
    pub needs: Vec<StepName>,
    /// How long it usually takes.
    pub estimate: Option<Estimate>,
    /// Whether a person does it (completed by an approval event, never by an
    /// executor). `approve` steps are always manual.
    pub manual: bool,
    /// How many attempts before a failure is final (1 = no retry; at
    /// least 1).
    pub max_attempts: u32,
    /// Whether downstream steps need it to succeed.
    pub requirement: Requirement,
    /// Everything else: component, environment, gates, command, metadata,
    /// wait, matrix, timeout, not_before, due, release_kind, edits.
    pub details: Details,
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Step {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        <StepFile as schemars::JsonSchema>::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        <StepFile as schemars::JsonSchema>::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <StepFile as schemars::JsonSchema>::json_schema(generator)
    }
}

impl Step {
    /// A step with only an id and a kind.
    pub fn new(id: impl Into<StepName>, kind: StepKind) -> Step {
        Step {
            id: id.into(),
            kind,
            needs: Vec::new(),
            estimate: None,
            manual: kind == StepKind::Approve,
            max_attempts: 1,
            requirement: Requirement::Required,
            details: Details::default(),
        }
    }

    /// A `wait` step.
    pub fn wait_step(id: impl Into<StepName>, wait: Wait) -> Step {
        let mut step = Step::new(id, StepKind::Wait);
        step.details.wait = Some(wait);
        step
    }

    /// With a description.
    pub fn description(mut self, text: impl Into<String>) -> Step {
        self.details.description = Some(text.into());
        self
    }

    /// On a component.
    pub fn component(mut self, name: impl Into<String>) -> Step {
        self.details.component = Some(name.into());
        self
    }

    /// In an environment.
    pub fn environment(mut self, name: impl Into<String>) -> Step {
        self.details.environment = Some(name.into());
        self
    }

    /// With more needs.
    pub fn needs<I, S>(mut self, needs: I) -> Step
    where
        I: IntoIterator<Item = S>,
        S: Into<StepName>,
    {
        self.needs.extend(needs.into_iter().map(Into::into));
        self
    }

    /// With one more gate.
    pub fn gate(mut self, gate: Gate) -> Step {
        self.details.gates.push(gate);
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
    pub fn command<I, S>(mut self, args: I) -> Step
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.details.command = Some(args.into_iter().map(Into::into).collect());
        self
    }

    /// With a metadata entry.
    pub fn meta(mut self, key: impl Into<String>, value: serde_json::Value) -> Step {
        self.details.metadata.insert(key.into(), value);
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
    pub fn timeout(mut self, timeout: Span) -> Step {
        self.details.timeout = Some(timeout);
        self
    }

    /// This step, starting no earlier than `point`.
    pub fn not_before(mut self, point: CalendarPoint) -> Step {
        self.details.not_before = Some(point);
        self
    }

    /// This step, due by `point`.
    pub fn due(mut self, point: CalendarPoint) -> Step {
        self.details.due = Some(point);
        self
    }

    /// Whether an executor runs the step (it is neither manual nor a wait
    /// step): only such a step can have a `timeout`.
    pub fn is_executed(&self) -> bool {
        !self.is_manual() && self.kind != StepKind::Wait
    }

    /// With one more file edit.
    pub fn edit(mut self, edit: FileEdit) -> Step {
        self.details.edits.push(edit);
        self
    }

    /// Expanded over a matrix.
    pub fn matrix(mut self, matrix: Matrix) -> Step {
        self.details.matrix = Some(matrix);
        self
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
        let value = self.details.metadata.get("env")?;
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
        match (self.estimate, self.details.wait) {
            (Some(e), _) => Some(e),
            (None, Some(Wait::For(span))) => Some(Estimate::exactly(span)),
            _ => None,
        }
    }
}
