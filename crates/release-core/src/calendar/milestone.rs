//! Milestones: dates placed relative to an occurrence (code freeze = the
//! release minus 2 working days), or relative to another milestone.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::offset::{Offset, OffsetUnit};
use super::schedule::{Occurrence, Schedule};
use super::workdays::WorkDays;
use crate::{Error, Result};

/// One milestone definition.
///
/// # Example
///
/// ```
/// use release_core::calendar::{Milestone, OffsetUnit};
///
/// let freeze = Milestone::new("code freeze", -2, OffsetUnit::WorkingDays);
/// let branch = Milestone::new("branch cut", 0, OffsetUnit::Days).after("code freeze");
/// assert_eq!(branch.from.as_deref(), Some("code freeze"));
/// # let _ = freeze;
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// The name, unique in its set.
    pub name: String,
    /// The milestone it is relative to; the occurrence if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// How many days (negative: before).
    pub offset: i32,
    /// Calendar or working days.
    #[serde(default)]
    pub unit: OffsetUnit,
    /// The local time; that of the reference if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalTime>")
    )]
    pub time: Option<NaiveTime>,
}

impl Milestone {
    /// A milestone `offset` units from the occurrence.
    pub fn new(name: &str, offset: i32, unit: OffsetUnit) -> Milestone {
        Milestone {
            name: name.to_owned(),
            from: None,
            offset,
            unit,
            time: None,
        }
    }

    /// This milestone, relative to the milestone `name` instead.
    pub fn after(mut self, name: &str) -> Milestone {
        self.from = Some(name.to_owned());
        self
    }

    /// This milestone at a local time.
    pub fn at(mut self, time: NaiveTime) -> Milestone {
        self.time = Some(time);
        self
    }

    fn offset_text(&self) -> String {
        Offset::by(self.offset, self.unit).describe()
    }
}

/// A resolved milestone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct MilestoneAt {
    /// The milestone's name.
    pub name: String,
    /// The local date.
    pub date: NaiveDate,
    /// The local date and time.
    pub local: NaiveDateTime,
    /// The instant.
    pub at: DateTime<Utc>,
    /// What it is relative to: a milestone's name, or `None` for the
    /// occurrence.
    pub from: Option<String>,
    /// The offset, in words: `"minus 2 working days"`.
    pub offset: String,
    /// How it was placed: `"code freeze = release 2020-12-29 minus 2
    /// working days"`.
    pub explanation: String,
}

impl fmt::Display for MilestoneAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.local.format("%Y-%m-%d %H:%M"))
    }
}

/// A validated set of milestones, in an order where every milestone comes
/// after the one it is relative to. Serialised as a list of [`Milestone`]s
/// (in the given order).
///
/// # Rules
///
/// - A milestone is `offset` calendar days or working days from what it is
///   relative to: the occurrence, or a milestone named in `from`.
/// - Working days are the schedule's [`WorkDays`](super::WorkDays): its
///   holiday sets and weekends. Counting starts from the reference date
///   whether or not that is a working day, and an offset of 0 working days
///   is the reference date itself.
/// - The local time is the milestone's `time` if given, otherwise the time
///   of what it is relative to (so, down a chain without times, the
///   occurrence's time). The instant comes from the schedule's zone by
///   [`Zone::resolve`](super::Zone::resolve) (RFC 5545 DST rules).
/// - References are checked when the set is built: an unknown name, a
///   duplicate name or a cycle is a config error naming the milestone.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, NaiveTime, Weekday};
/// use release_core::calendar::{Milestone, Milestones, OffsetUnit, Recurrence, RecurrenceRule, Schedule};
///
/// let schedule = Schedule::new(
///     "release",
///     Recurrence::new(NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(), RecurrenceRule::weekly(2, &[Weekday::Tue]))?,
///     NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
///     "Europe/London".parse()?,
/// )?;
/// let milestones = Milestones::new(vec![
///     Milestone::new("code freeze", -2, OffsetUnit::WorkingDays)
///         .at(NaiveTime::from_hms_opt(17, 0, 0).unwrap()),
/// ])?;
/// let first = schedule.occurrences().next().unwrap();
/// let at = milestones.resolve(&schedule, &first)?;
/// assert_eq!(at[0].local.to_string(), "2023-12-29 17:00:00"); // a Friday
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<Milestone>", into = "Vec<Milestone>")]
pub struct Milestones {
    milestones: Vec<Milestone>,
    /// Indices into `milestones`, references first.
    order: Vec<usize>,
}

impl TryFrom<Vec<Milestone>> for Milestones {
    type Error = Error;

    fn try_from(m: Vec<Milestone>) -> Result<Milestones> {
        Milestones::new(m)
    }
}

impl From<Milestones> for Vec<Milestone> {
    fn from(m: Milestones) -> Vec<Milestone> {
        m.milestones
    }
}

impl Milestones {
    /// A validated set.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the milestone: an
    /// empty or duplicate name, a reference to an unknown milestone, or a
    /// cycle of references (the message lists it in order).
    pub fn new(milestones: Vec<Milestone>) -> Result<Milestones> {
        for (i, m) in milestones.iter().enumerate() {
            if m.name.trim().is_empty() {
                return Err(Error::config("a milestone has an empty name"));
            }
            if milestones[..i].iter().any(|o| o.name == m.name) {
                return Err(Error::config(format!(
                    "two milestones are named {:?}: milestone names must be unique",
                    m.name
                )));
            }
        }
        let mut parent = Vec::with_capacity(milestones.len());
        for m in &milestones {
            parent.push(match &m.from {
                None => None,
                Some(from) => Some(
                    milestones
                        .iter()
                        .position(|o| &o.name == from)
                        .ok_or_else(|| {
                            Error::config(format!(
                                "milestone {:?} is relative to {from:?}, which is not a milestone (known: {})",
                                m.name,
                                milestones
                                    .iter()
                                    .map(|o| format!("{:?}", o.name))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ))
                        })?,
                ),
            });
        }
        // Each milestone has at most one reference, so the references form
        // a forest unless following them from some milestone comes back to
        // it; ordering by depth puts every reference first.
        let mut depth = vec![0usize; milestones.len()];
        for (start, slot) in depth.iter_mut().enumerate() {
            let mut path = vec![start];
            let mut at = start;
            while let Some(p) = parent[at] {
                if let Some(pos) = path.iter().position(|x| *x == p) {
                    let mut cycle: Vec<String> = path[pos..]
                        .iter()
                        .map(|i| format!("{:?}", milestones[*i].name))
                        .collect();
                    cycle.push(format!("{:?}", milestones[p].name));
                    return Err(Error::config(format!(
                        "milestone {:?} is relative to itself through a cycle: {}",
                        milestones[p].name,
                        cycle.join(" -> ")
                    )));
                }
                path.push(p);
                at = p;
            }
            *slot = path.len() - 1;
        }
        let mut order: Vec<usize> = (0..milestones.len()).collect();
        order.sort_by_key(|i| (depth[*i], *i));
        Ok(Milestones { milestones, order })
    }

    /// The milestones, in the given order.
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }

    /// Places every milestone for one occurrence of `schedule`, in the
    /// given order.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) naming the milestone if
    /// its date is out of range, or if no working day is found within a
    /// year (holiday sets that make every day a holiday).
    pub fn resolve(
        &self,
        schedule: &Schedule,
        occurrence: &Occurrence,
    ) -> Result<Vec<MilestoneAt>> {
        let mut days = schedule.work_days();
        let mut placed: Vec<Option<MilestoneAt>> = vec![None; self.milestones.len()];
        let base = format!("{} {}", occurrence.schedule, occurrence.date);
        for &i in &self.order {
            let m = &self.milestones[i];
            let (ref_local, ref_text) = match &m.from {
                None => (occurrence.local, base.clone()),
                Some(from) => {
                    let r = self
                        .milestones
                        .iter()
                        .position(|o| &o.name == from)
                        .and_then(|p| placed[p].as_ref())
                        .ok_or_else(|| {
                            Error::config(format!(
                                "milestone {:?} is relative to {from:?}, which is not placed",
                                m.name
                            ))
                        })?;
                    (r.local, format!("{from} {}", r.date))
                }
            };
            let date = shift(ref_local.date(), m, &mut days).ok_or_else(|| {
                Error::refused(format!(
                    "milestone {:?}: no date {} from {ref_text}",
                    m.name,
                    m.offset_text()
                ))
            })?;
            let local = date.and_time(m.time.unwrap_or(ref_local.time()));
            let (at, _) = schedule.zone().resolve(local);
            let offset = m.offset_text();
            let explanation = format!("{} = {ref_text} {offset}", m.name);
            placed[i] = Some(MilestoneAt {
                name: m.name.clone(),
                date,
                local,
                at,
                from: m.from.clone(),
                offset,
                explanation,
            });
        }
        Ok(placed.into_iter().flatten().collect())
    }
}

fn shift(date: NaiveDate, m: &Milestone, days: &mut WorkDays) -> Option<NaiveDate> {
    Offset::by(m.offset, m.unit).apply_date(date, days).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{
        Holiday, HolidayPolicy, HolidaySet, HolidaySource, Recurrence, RecurrenceRule,
    };
    use chrono::Weekday;

    fn schedule() -> Schedule {
        Schedule::new(
            "release",
            Recurrence::new(
                NaiveDate::from_ymd_opt(2020, 11, 17).unwrap(),
                RecurrenceRule::weekly(2, &[Weekday::Tue]),
            )
            .unwrap(),
            NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
            "America/Los_Angeles".parse().unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn chains_resolve_in_reference_order() {
        // Defined child first: the order of definition does not matter.
        let ms = Milestones::new(vec![
            Milestone::new("qa sign-off", 1, OffsetUnit::WorkingDays).after("code freeze"),
            Milestone::new("code freeze", -2, OffsetUnit::WorkingDays),
        ])
        .unwrap();
        let s = schedule()
            .with_holidays(
                vec![HolidaySource::Custom(
                    HolidaySet::new("team", vec![Holiday::fixed("shutdown", 12, 14)]).unwrap(),
                )],
                HolidayPolicy::Keep,
            )
            .unwrap();
        let occ = s
            .occurrences()
            .find(|o| o.date == NaiveDate::from_ymd_opt(2020, 12, 15).unwrap())
            .unwrap();
        let got = ms.resolve(&s, &occ).unwrap();
        assert_eq!(got[0].name, "qa sign-off");
        // 12-15 minus 2 working days, skipping Mon 12-14 (holiday) and the
        // weekend: Thu 12-10. Plus one working day: Fri 12-11.
        assert_eq!(got[1].date.to_string(), "2020-12-10");
        assert_eq!(got[0].date.to_string(), "2020-12-11");
        assert_eq!(
            got[0].explanation,
            "qa sign-off = code freeze 2020-12-10 plus 1 working day"
        );
    }

    #[test]
    fn cycles_and_unknown_references_are_named() {
        let e = Milestones::new(vec![
            Milestone::new("a", 1, OffsetUnit::Days).after("b"),
            Milestone::new("b", 1, OffsetUnit::Days).after("a"),
        ])
        .unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "milestone \"a\" is relative to itself through a cycle: \"a\" -> \"b\" -> \"a\""
        );
        let e =
            Milestones::new(vec![Milestone::new("a", 1, OffsetUnit::Days).after("a")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "milestone \"a\" is relative to itself through a cycle: \"a\" -> \"a\""
        );
        let e = Milestones::new(vec![Milestone::new("a", 1, OffsetUnit::Days).after("zz")])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "milestone \"a\" is relative to \"zz\", which is not a milestone (known: \"a\")"
        );
    }
}
