//! The process file as written: every table of `release.toml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::releases::ReleaseDef;
use crate::calendar::{Milestones, Rotation, Schedule, Window};
use crate::duration::Span;
use crate::gate::Role;
use crate::notes::NotesConfig;
use crate::pipeline::{Component, Environment, PipelineDef, Step};
use crate::train::TrainDef;

/// A team's release process as written in `release.toml`: components,
/// environments in promotion order, pipeline steps with their gates and
/// matrices, and the calendar (schedules, windows, rotations, milestones).
///
/// Unknown keys are errors at every level, so a typo is never ignored.
/// [`Process::from_toml`](super::Process::from_toml) reads and validates
/// one; the struct itself is plain data.
///
/// ```toml
/// name = "mozilla-sync"
/// release_day = "release"
///
/// [[components]]
/// name = "syncstorage"
///
/// [[environments]]
/// name = "production"
/// schedule = "release"
///
/// [[schedules]]
/// name = "release"
/// time = "10:00:00"
/// zone = "America/Los_Angeles"
/// recurrence = { start = "2020-11-17", rule = { frequency = "weekly", interval = 2, by_day = ["TU"] } }
///
/// [[steps]]
/// id = "deploy"
/// kind = "deploy"
/// environment = "production"
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ProcessDef {
    /// The process's name, for humans.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// What the process is, in a sentence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The schedule whose occurrences are release days (the name of one of
    /// `schedules`). A plan then starts on the next release day (today's,
    /// if today is one), at the schedule's time; without it a plan starts
    /// at once, and deploys wait only for their environments' slots.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_day: Option<String>,
    /// The release days and the kind of release each ships: one entry per
    /// schedule whose occurrences ship releases (feature releases in March
    /// and September, updates quarterly). The default release is the entry
    /// of `release_day`'s schedule, else the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub releases: Vec<ReleaseDef>,
    /// The components released, with tag schemes and pins.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// The environments, in promotion order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<Environment>,
    /// The timeout of every step with a command that sets none (`"2h"`):
    /// see [`Step::timeout`]. None by default: a step runs as long as it
    /// takes, since monitoring steps may last 24-48 hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_timeout: Option<Span>,
    /// The pipeline's steps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<Step>,
    /// Release days and deployment slots.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<Schedule>,
    /// Allow and deny windows (gates read them with `in_window`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<Window>,
    /// Who is on duty (the release manager, the on-call).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rotations: Vec<Rotation>,
    /// Milestones relative to a schedule's occurrences, by schedule name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub milestones: BTreeMap<String, Milestones>,
    /// Release trains: a schedule plus promotion rules across
    /// environments, with an optional scenario to simulate.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trains: Vec<TrainDef>,
    /// How release notes and the release ticket are written.
    #[serde(default)]
    pub notes: NotesConfig,
    /// Who may approve (and waive the gates that ask for approvals) in each
    /// role: `[roles.qa] members = ["bob", "carol"]`. The requester of a
    /// release never approves it unless the role says
    /// `self_approval = "allowed"`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, Role>,
}

impl ProcessDef {
    /// The one component with a tag scheme, if there is exactly one: the
    /// component of a train, a tag step or a release kind that names none.
    pub fn only_tagged_component(&self) -> Option<&Component> {
        let mut tagged = self.components.iter().filter(|c| c.tags.is_some());
        match (tagged.next(), tagged.next()) {
            (Some(only), None) => Some(only),
            _ => None,
        }
    }

    /// The pipeline part of the process, with `default_timeout` given to
    /// every step an executor runs that sets no `timeout` of its own.
    pub fn pipeline_def(&self) -> PipelineDef {
        let steps = self
            .steps
            .iter()
            .map(|s| match (s.details.timeout, self.default_timeout) {
                (None, Some(default)) if s.is_executed() => s.clone().timeout(default),
                _ => s.clone(),
            })
            .collect();
        PipelineDef {
            name: self.name.clone(),
            components: self.components.clone(),
            environments: self.environments.clone(),
            steps,
            roles: self.roles.clone(),
        }
    }
}
