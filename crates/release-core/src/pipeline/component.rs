//! Components, their tag schemes and their pins; environments.

use serde::{Deserialize, Serialize};

use crate::gate::Gate;
use crate::line::LinesDef;
use crate::version::TagScheme;

/// A thing that is released: a repository with a tag scheme, possibly
/// pinning other components.
///
/// ```toml
/// [[components]]
/// name = "stack"
/// repository = "xchem/fragalysis-stack"
/// branch = "master"
/// tags = { scheme = { kind = "calver", format = "YYYY.0M.MICRO" } }
/// pins = [{ component = "backend", branch = "production", variable = "BE_IMAGE_TAG" }]
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Component {
    /// The component's name, unique in the pipeline.
    pub name: String,
    /// How its tags are written; absent when the component is not tagged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<TagScheme>,
    /// Where it lives (`owner/name` or a URL); for executors and humans.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    /// Where its local clone is, a directory relative to the process
    /// file's (`"../backend"`): the CLI reads the component's tags and the
    /// commits since its latest tag from that git repository. Unlike
    /// `repository`, which names the project (`owner/name` or a URL) for
    /// examples and exports, it is a path on the machine reading the
    /// process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The branch releases are made from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The components this one pins (the stack pins backend and frontend).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pins: Vec<Pin>,
    /// Its release lines and their support phases (see
    /// [`LinesDef`]); needs `tags`. In a process file they are validated
    /// against the tag scheme, and `release lines` answers from them.
    ///
    /// ```toml
    /// lines = { key = 1, first_releases = { "20" = "2023-04-18" }, phases = [{ phase = "current" }] }
    /// ```
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<LinesDef>,
}

impl Component {
    /// A component with only a name.
    pub fn new(name: impl Into<String>) -> Component {
        Component {
            name: name.into(),
            tags: None,
            repository: None,
            path: None,
            branch: None,
            pins: Vec::new(),
            lines: None,
        }
    }

    /// With a tag scheme.
    pub fn tags(self, tags: TagScheme) -> Component {
        Component {
            tags: Some(tags),
            ..self
        }
    }

    /// With a repository.
    pub fn repository(self, repository: impl Into<String>) -> Component {
        Component {
            repository: Some(repository.into()),
            ..self
        }
    }

    /// With the path of its local clone (see [`path`](Self::path)).
    pub fn path(self, path: impl Into<String>) -> Component {
        Component {
            path: Some(path.into()),
            ..self
        }
    }

    /// With a release branch.
    pub fn branch(self, branch: impl Into<String>) -> Component {
        Component {
            branch: Some(branch.into()),
            ..self
        }
    }

    /// With release lines.
    pub fn lines(self, lines: LinesDef) -> Component {
        Component {
            lines: Some(lines),
            ..self
        }
    }

    /// With one more pin.
    pub fn pin(mut self, pin: Pin) -> Component {
        self.pins.push(pin);
        self
    }
}

/// A pin of one component on a tag of another.
///
/// The pinned tag itself is usually chosen at release time and arrives as
/// a fact (`pin`, subject = the upstream component); the pin says which
/// branch it must come from, and where the downstream build reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// The upstream component.
    pub component: String,
    /// The branch the pinned tag must come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// A fixed pinned tag, when the pipeline itself records it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<String>,
    /// Where the downstream build reads the tag (`BE_IMAGE_TAG`), for
    /// executors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variable: Option<String>,
}

impl Pin {
    /// A pin on `component`, from `branch`.
    pub fn new(component: impl Into<String>, branch: impl Into<String>) -> Pin {
        Pin {
            component: component.into(),
            branch: Some(branch.into()),
            tag: None,
            variable: None,
        }
    }
}

/// An environment a release moves through, with the gates that guard
/// entry: they apply to every `deploy` step into it.
///
/// Environments are listed in promotion order (dev, staging, production).
///
/// ```toml
/// [[environments]]
/// name = "production"
/// gates = [{ name = "qa-signoff", rule = { approvals = { role = "qa", at_least = 1 } } }]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Environment {
    /// The environment's name, unique in the pipeline.
    pub name: String,
    /// Gates on deploying into it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gates: Vec<Gate>,
    /// The schedule whose occurrences are this environment's deployment
    /// slots (in a process file: the name of one of its `[[schedules]]`).
    /// A plan starts deploy steps into it at the next slot; the pipeline
    /// alone does not resolve the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
}

impl Environment {
    /// An environment without gates.
    pub fn new(name: impl Into<String>) -> Environment {
        Environment {
            name: name.into(),
            gates: Vec::new(),
            schedule: None,
        }
    }

    /// With one more gate.
    pub fn gate(mut self, gate: Gate) -> Environment {
        self.gates.push(gate);
        self
    }

    /// With deployment slots from the named schedule.
    pub fn schedule(self, schedule: impl Into<String>) -> Environment {
        Environment {
            schedule: Some(schedule.into()),
            ..self
        }
    }
}
