//! Points on a release's calendar: "the feature freeze", "two working days
//! before the release", "the day after the code freeze". A step starts no
//! earlier than one and is due by one.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::offset::Offset;

/// A point on the calendar of one release: a milestone of its release day
/// (or the release day's occurrence itself), then an [`Offset`].
///
/// In `release.toml`, a milestone's name alone, or a table:
///
/// ```toml
/// not_before = "feature freeze"
/// due = { milestone = "rc 1", offset = "-1 working_days" }
/// due = { offset = "-2 days" }        # from the release day itself
/// ```
///
/// # Example
///
/// ```
/// use release_core::calendar::CalendarPoint;
///
/// let freeze = CalendarPoint::milestone("feature freeze");
/// let eve: CalendarPoint = "-1 days".parse::<release_core::calendar::Offset>()?.into();
/// assert_eq!(freeze.to_string(), "feature freeze");
/// assert_eq!(eve.to_string(), "the release minus 1 day");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "PointData", into = "PointData")]
pub struct CalendarPoint {
    /// The milestone; the release day's occurrence if `None`.
    pub milestone: Option<String>,
    /// How far from it.
    pub offset: Offset,
}

impl CalendarPoint {
    /// The milestone `name` itself.
    pub fn milestone(name: &str) -> CalendarPoint {
        CalendarPoint {
            milestone: Some(name.to_owned()),
            offset: Offset::zero(),
        }
    }

    /// This point, moved by `offset`.
    pub fn offset(mut self, offset: Offset) -> CalendarPoint {
        self.offset = offset;
        self
    }
}

impl From<Offset> for CalendarPoint {
    /// `offset` from the release day.
    fn from(offset: Offset) -> CalendarPoint {
        CalendarPoint {
            milestone: None,
            offset,
        }
    }
}

impl fmt::Display for CalendarPoint {
    /// In words: `feature freeze`, `rc 1 minus 1 working day`, `the release
    /// minus 2 days`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = self.milestone.as_deref().unwrap_or("the release");
        if self.offset.is_zero() {
            f.write_str(base)
        } else {
            write!(f, "{base} {}", self.offset.describe())
        }
    }
}

/// The serialised form: a milestone's name, or a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum PointData {
    /// A milestone's name.
    Milestone(String),
    /// A milestone (the release day if absent) and an offset from it.
    Table(PointTable),
}

/// By hand rather than `untagged`, so that a wrong key or offset inside
/// the table reports its own error, not "did not match any variant".
impl<'de> Deserialize<'de> for PointData {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<PointData, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = PointData;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a milestone's name or a table { milestone, offset }")
            }

            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<PointData, E> {
                Ok(PointData::Milestone(name.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<PointData, A::Error> {
                PointTable::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(PointData::Table)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// A point written as a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct PointTable {
    /// The milestone; the release day if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    milestone: Option<String>,
    /// How far from it (`"-1 working_days"`).
    #[serde(default)]
    offset: Offset,
}

impl From<PointData> for CalendarPoint {
    fn from(d: PointData) -> CalendarPoint {
        match d {
            PointData::Milestone(name) => CalendarPoint::milestone(&name),
            PointData::Table(t) => CalendarPoint {
                milestone: t.milestone,
                offset: t.offset,
            },
        }
    }
}

impl From<CalendarPoint> for PointData {
    fn from(p: CalendarPoint) -> PointData {
        match p.milestone {
            Some(name) if p.offset.steps().is_empty() => PointData::Milestone(name),
            milestone => PointData::Table(PointTable {
                milestone,
                offset: p.offset,
            }),
        }
    }
}
