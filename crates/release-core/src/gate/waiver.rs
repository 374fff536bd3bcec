//! Waivers: a gate or a matrix cell let through on someone's word, on the
//! record.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::identity::Identity;

/// What a waiver lets through.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum WaiverTarget {
    /// A gate, by name.
    Gate(String),
    /// A matrix cell, by its task id (`step[cell]`).
    Cell(String),
}

impl fmt::Display for WaiverTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WaiverTarget::Gate(name) => write!(f, "gate {name:?}"),
            WaiverTarget::Cell(id) => write!(f, "cell {id:?}"),
        }
    }
}

/// A waiver: who let what through, why, and when. Real teams ship with an
/// unchecked item; the verdict records it rather than hiding it.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::gate::{Waiver, WaiverTarget};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let w = Waiver::new(WaiverTarget::Gate("qa".into()), "alice".parse()?, "QA is out; smoke-tested by dev", at);
/// assert_eq!(w.to_string(), "gate \"qa\" waived by alice at 2026-03-03T09:00:00Z: QA is out; smoke-tested by dev");
/// # Ok::<(), release_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Waiver {
    /// What is waived.
    pub target: WaiverTarget,
    /// Who waived it.
    pub by: Identity,
    /// Why.
    pub reason: String,
    /// When.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::Instant"))]
    pub at: DateTime<Utc>,
}

impl Waiver {
    /// A waiver.
    pub fn new(
        target: WaiverTarget,
        by: Identity,
        reason: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Waiver {
        Waiver {
            target,
            by,
            reason: reason.into(),
            at,
        }
    }
}

impl fmt::Display for Waiver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} waived by {} at {}: {}",
            self.target,
            self.by,
            self.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            self.reason
        )
    }
}
