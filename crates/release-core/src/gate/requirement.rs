//! Whether a task must succeed: a step's or a matrix cell's requirement,
//! which the gate rules over test matrices read.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Whether a task (a step or a matrix cell) must succeed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Requirement {
    /// It must succeed (or be waived) for downstream steps to start.
    #[default]
    Required,
    /// Its outcome is reported but never blocks.
    Advisory,
    /// It must succeed, or be skipped on purpose with a reason.
    Skippable,
}

impl Requirement {
    /// Whether this is [`Requirement::Required`].
    pub fn is_required(&self) -> bool {
        *self == Requirement::Required
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Requirement::Required => "required",
            Requirement::Advisory => "advisory",
            Requirement::Skippable => "skippable",
        }
    }
}

impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
