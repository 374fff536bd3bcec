//! Milestones: dates placed relative to an occurrence (code freeze = the
//! release minus 2 working days; beta 1 = the final minus 5 months), to
//! another schedule's occurrence, or to another milestone.

use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::holiday::HolidaySet;
use super::offset::{Offset, OffsetUnit};
use super::schedule::{HolidaySource, Occurrence, Schedule};
use super::workdays::WorkDays;
use crate::{Error, Result};

/// A change to one milestone of one occurrence, with the reason a team
/// gives for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum MilestoneOverride {
    /// The milestone of the occurrence scheduled on `occurrence` does not
    /// happen. Milestones relative to it are still placed from where it
    /// would have been.
    Cancel {
        /// The occurrence's scheduled date (the rule's date).
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        occurrence: NaiveDate,
        /// Why.
        reason: String,
    },
    /// The milestone of the occurrence scheduled on `occurrence` is on `to`
    /// instead; milestones relative to it move with it.
    Move {
        /// The occurrence's scheduled date (the rule's date).
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        occurrence: NaiveDate,
        /// The new local date.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        to: NaiveDate,
        /// The new local time; the computed one if absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Option<crate::schema_shapes::LocalTime>")
        )]
        time: Option<NaiveTime>,
        /// Why.
        reason: String,
    },
}

impl MilestoneOverride {
    /// The scheduled date of the occurrence it changes.
    pub fn occurrence(&self) -> NaiveDate {
        match self {
            MilestoneOverride::Cancel { occurrence, .. }
            | MilestoneOverride::Move { occurrence, .. } => *occurrence,
        }
    }
}

/// One milestone definition.
///
/// In `release.toml`, under `[milestones]` by schedule name:
///
/// ```toml
/// [[milestones.final]]
/// name = "feature freeze"
/// offset = "-5 months then next TU"
///
/// [[milestones.final]]
/// name = "code freeze"
/// offset = -2              # an integer counts `unit`s (default days)
/// unit = "working_days"
/// time = "17:00"
/// follow = true            # moves when the release moves
/// ```
///
/// # Example
///
/// ```
/// use release_core::calendar::{Milestone, OffsetUnit};
///
/// let freeze = Milestone::new("code freeze", -2, OffsetUnit::WorkingDays);
/// let branch = Milestone::new("branch cut", 0, OffsetUnit::Days).after("code freeze");
/// let beta = Milestone::with_offset("beta 1", "-5 months".parse()?);
/// assert_eq!(branch.from.as_deref(), Some("code freeze"));
/// assert_eq!(beta.offset.to_string(), "-5 months");
/// # let _ = freeze;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "MilestoneData", into = "MilestoneData")]
pub struct Milestone {
    /// The name, unique in its set.
    pub name: String,
    /// The milestone it is relative to; an occurrence if absent.
    pub from: Option<String>,
    /// The schedule whose occurrence it is relative to, when not the
    /// schedule the milestones belong to (its first occurrence at or after
    /// this one, then [`occurrence`](Self::occurrence) more).
    pub schedule: Option<String>,
    /// Which occurrence, counted from this one: 0 this one (or, in another
    /// schedule, its first at or after this one), 1 the next, -1 the one
    /// before. "The feature freeze of the release after next" is
    /// `occurrence = 2`.
    pub occurrence: i32,
    /// How far from the reference.
    pub offset: Offset,
    /// The local time; that of the reference if absent.
    pub time: Option<NaiveTime>,
    /// Whether it moves with its occurrence when a holiday policy, an
    /// override or a table moves the occurrence. By default it stays where
    /// the rule's date puts it: published freezes and deadlines keep their
    /// dates when a release slips.
    pub follow: bool,
    /// The holidays its working days skip; the schedule's if absent.
    pub holidays: Option<Vec<HolidaySource>>,
    /// Moves and cancellations of single occurrences' milestones.
    pub overrides: Vec<MilestoneOverride>,
}

/// An offset as written: a whole number of `unit`s, or the text of an
/// [`Offset`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum OffsetData {
    Count(i32),
    Text(Offset),
}

/// By hand rather than `untagged`, so that a wrong offset text reports
/// the offset's own error, not "did not match any variant".
impl<'de> Deserialize<'de> for OffsetData {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<OffsetData, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = OffsetData;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole number of units or an offset's text such as \"-5 months\"")
            }

            fn visit_i64<E: serde::de::Error>(self, n: i64) -> std::result::Result<OffsetData, E> {
                i32::try_from(n)
                    .map(OffsetData::Count)
                    .map_err(|_| E::custom(format!("offset {n} is out of range")))
            }

            fn visit_u64<E: serde::de::Error>(self, n: u64) -> std::result::Result<OffsetData, E> {
                i32::try_from(n)
                    .map(OffsetData::Count)
                    .map_err(|_| E::custom(format!("offset {n} is out of range")))
            }

            fn visit_str<E: serde::de::Error>(
                self,
                text: &str,
            ) -> std::result::Result<OffsetData, E> {
                text.parse().map(OffsetData::Text).map_err(E::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The serialised form of a [`Milestone`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct MilestoneData {
    /// The name, unique in its set.
    name: String,
    /// The milestone it is relative to; an occurrence if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    /// The schedule whose occurrence it is relative to; its own if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    schedule: Option<String>,
    /// Which occurrence: 0 this one (or another schedule's first at or
    /// after it), 1 the next, -1 the one before.
    #[serde(default, skip_serializing_if = "is_zero")]
    occurrence: i32,
    /// How far from the reference: an offset's text (`"-5 months"`,
    /// `"2TU of month -1"`), or a whole number of `unit`s. The reference
    /// itself if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    offset: Option<OffsetData>,
    /// What an integer `offset` counts (default `days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    unit: Option<OffsetUnit>,
    /// The local time; that of the reference if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalTime>")
    )]
    time: Option<NaiveTime>,
    /// Whether it moves with its occurrence (default: it stays on the date
    /// computed from the rule's date).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    follow: bool,
    /// The holidays its working days skip; the schedule's if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    holidays: Option<Vec<HolidaySource>>,
    /// Moves and cancellations of single occurrences' milestones.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    overrides: Vec<MilestoneOverride>,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

impl TryFrom<MilestoneData> for Milestone {
    type Error = Error;

    fn try_from(d: MilestoneData) -> Result<Milestone> {
        let offset = match (d.offset, d.unit) {
            (None, None) => Offset::zero(),
            (None, Some(_)) => {
                return Err(Error::config(format!(
                    "milestone {:?}: `unit` without an `offset`",
                    d.name
                )));
            }
            (Some(OffsetData::Count(n)), unit) => Offset::by(n, unit.unwrap_or_default()),
            (Some(OffsetData::Text(o)), None) => o,
            (Some(OffsetData::Text(o)), Some(unit)) => {
                return Err(Error::config(format!(
                    "milestone {:?}: `unit = \"{unit}\"` only goes with a whole-number offset; the offset \"{o}\" names its units",
                    d.name
                )));
            }
        };
        Ok(Milestone {
            name: d.name,
            from: d.from,
            schedule: d.schedule,
            occurrence: d.occurrence,
            offset,
            time: d.time,
            follow: d.follow,
            holidays: d.holidays,
            overrides: d.overrides,
        })
    }
}

impl From<Milestone> for MilestoneData {
    fn from(m: Milestone) -> MilestoneData {
        MilestoneData {
            name: m.name,
            from: m.from,
            schedule: m.schedule,
            occurrence: m.occurrence,
            offset: (!m.offset.steps().is_empty()).then_some(OffsetData::Text(m.offset)),
            unit: None,
            time: m.time,
            follow: m.follow,
            holidays: m.holidays,
            overrides: m.overrides,
        }
    }
}

impl Milestone {
    /// A milestone `offset` units from the occurrence.
    pub fn new(name: &str, offset: i32, unit: OffsetUnit) -> Milestone {
        Milestone::with_offset(name, Offset::by(offset, unit))
    }

    /// A milestone at `offset` from the occurrence.
    pub fn with_offset(name: &str, offset: Offset) -> Milestone {
        Milestone {
            name: name.to_owned(),
            from: None,
            schedule: None,
            occurrence: 0,
            offset,
            time: None,
            follow: false,
            holidays: None,
            overrides: Vec::new(),
        }
    }

    /// This milestone, relative to the milestone `name` instead.
    pub fn after(mut self, name: &str) -> Milestone {
        self.from = Some(name.to_owned());
        self
    }

    /// This milestone, relative to an occurrence of another schedule:
    /// `occurrence` after its first at or after this occurrence.
    pub fn of_schedule(mut self, schedule: &str, occurrence: i32) -> Milestone {
        self.schedule = Some(schedule.to_owned());
        self.occurrence = occurrence;
        self
    }

    /// This milestone, relative to the occurrence `n` after this one.
    pub fn of_occurrence(mut self, n: i32) -> Milestone {
        self.occurrence = n;
        self
    }

    /// This milestone at a local time.
    pub fn at(mut self, time: NaiveTime) -> Milestone {
        self.time = Some(time);
        self
    }

    /// This milestone, moving with its occurrence.
    pub fn following(mut self) -> Milestone {
        self.follow = true;
        self
    }

    /// This milestone, counting working days without `holidays`.
    pub fn with_holidays(mut self, holidays: Vec<HolidaySource>) -> Milestone {
        self.holidays = Some(holidays);
        self
    }

    /// This milestone with one more override.
    pub fn with_override(mut self, o: MilestoneOverride) -> Milestone {
        self.overrides.push(o);
        self
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
    /// What it is relative to: a milestone's name, or `None` for an
    /// occurrence.
    pub from: Option<String>,
    /// The offset, in words: `"minus 2 working days"`.
    pub offset: String,
    /// How it was placed: `"code freeze = release 2020-12-29 minus 2
    /// working days"`.
    pub explanation: String,
    /// Why it is not where its offset puts it (an override), if it moved.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
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
/// - A milestone is its [`Offset`] from its reference: an occurrence of
///   the schedule (this one, or [`occurrence`](Milestone::occurrence)
///   later), an occurrence of another schedule, or a milestone named in
///   `from`.
/// - An occurrence as reference is, by default, where the rule put it: its
///   scheduled date at the schedule's time, so a release that slips
///   (holiday policy, override, table) keeps its freezes and deadlines.
///   With `follow = true` it is where the occurrence happens. A milestone
///   relative to another milestone moves with that one.
/// - Working days are those of the milestone's `holidays` if given, else
///   the schedule's [`WorkDays`](super::WorkDays) (its holiday sets and
///   weekends), whatever the schedule's holiday policy.
/// - The local time is the milestone's `time` if given, otherwise the time
///   of its reference. The instant comes from the schedule's zone by
///   [`Zone::resolve`](super::Zone::resolve) (RFC 5545 DST rules).
/// - An override moves or cancels one occurrence's milestone, with its
///   reason in the milestone's notes.
/// - References are checked when the set is built: an unknown name, a
///   duplicate name, a cycle, `follow` on a milestone relative to another
///   milestone, or two overrides of one occurrence are config errors naming
///   the milestone. Other schedules' names are checked by the process.
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
    /// Each milestone's own holiday sets, resolved; `None`: the schedule's.
    holidays: Vec<Option<Vec<HolidaySet>>>,
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

/// What a milestone is placed from.
struct Reference {
    local: NaiveDateTime,
    text: String,
}

impl Milestones {
    /// A validated set.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the milestone: an
    /// empty or duplicate name, a reference to an unknown milestone, a
    /// cycle of references (the message lists it in order), `follow` or
    /// `schedule` together with `from`, two overrides of one occurrence, or
    /// an unknown or invalid holiday set.
    pub fn new(milestones: Vec<Milestone>) -> Result<Milestones> {
        for (i, m) in milestones.iter().enumerate() {
            check_one(m)?;
            if milestones[..i].iter().any(|o| o.name == m.name) {
                return Err(Error::config(format!(
                    "two milestones are named {:?}: milestone names must be unique",
                    m.name
                )));
            }
        }
        let order = reference_order(&milestones)?;
        let holidays = milestones
            .iter()
            .map(|m| {
                m.holidays
                    .as_ref()
                    .map(|sources| {
                        sources
                            .iter()
                            .map(HolidaySource::resolve)
                            .collect::<Result<Vec<_>>>()
                    })
                    .transpose()
                    .map_err(|e| Error::config(format!("milestone {:?}: {}", m.name, e.message())))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Milestones {
            milestones,
            order,
            holidays,
        })
    }

    /// The milestones, in the given order.
    pub fn milestones(&self) -> &[Milestone] {
        &self.milestones
    }

    /// The schedules other than their own that the milestones refer to.
    pub fn schedules(&self) -> impl Iterator<Item = &str> {
        self.milestones.iter().filter_map(|m| m.schedule.as_deref())
    }

    /// Places every milestone for one occurrence of `schedule`, in the
    /// given order. A milestone relative to another schedule is refused
    /// here: use [`resolve_among`](Self::resolve_among).
    ///
    /// # Errors
    ///
    /// As [`resolve_among`](Self::resolve_among).
    pub fn resolve(
        &self,
        schedule: &Schedule,
        occurrence: &Occurrence,
    ) -> Result<Vec<MilestoneAt>> {
        self.resolve_among(schedule, occurrence, std::slice::from_ref(schedule))
    }

    /// Places every milestone for one occurrence of `schedule`, finding
    /// the other schedules that milestones refer to in `schedules`.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) naming the milestone if
    /// its date is out of range, no working day is found within a year
    /// (holiday sets that make every day a holiday), or the occurrence it
    /// refers to does not exist; a [config error](crate::ErrorKind::Config)
    /// for a schedule not in `schedules`.
    pub fn resolve_among(
        &self,
        schedule: &Schedule,
        occurrence: &Occurrence,
        schedules: &[Schedule],
    ) -> Result<Vec<MilestoneAt>> {
        let mut own_days = schedule.work_days();
        let mut placed: Vec<Option<MilestoneAt>> = vec![None; self.milestones.len()];
        // Where each milestone is before overrides cancel it: a cancelled
        // milestone's dependants are placed from there.
        let mut computed: Vec<Option<NaiveDateTime>> = vec![None; self.milestones.len()];
        for &i in &self.order {
            let m = &self.milestones[i];
            let reference = match &m.from {
                Some(from) => {
                    let p = self
                        .milestones
                        .iter()
                        .position(|o| &o.name == from)
                        .ok_or_else(|| not_placed(m, from))?;
                    let local = computed[p].ok_or_else(|| not_placed(m, from))?;
                    Reference {
                        local,
                        text: format!("{from} {}", local.date()),
                    }
                }
                None => occurrence_reference(m, schedule, occurrence, schedules)?,
            };
            let mut own;
            let days = match &self.holidays[i] {
                Some(sets) => {
                    own = WorkDays::new(sets.clone());
                    &mut own
                }
                None => &mut own_days,
            };
            let zone = schedule.zone();
            let shifted = m
                .offset
                .apply(reference.local, zone, days)
                .map_err(|e| Error::refused(format!("milestone {:?}: {}", m.name, e.message())))?;
            let local = match m.time {
                Some(t) => shifted.date().and_time(t),
                None => shifted,
            };
            computed[i] = Some(local);
            let offset = m.offset.describe();
            let explanation = format!("{} = {} {offset}", m.name, reference.text);
            let mut at_local = local;
            let mut notes = Vec::new();
            match m
                .overrides
                .iter()
                .find(|o| o.occurrence() == occurrence.scheduled)
            {
                Some(MilestoneOverride::Cancel { .. }) => continue,
                Some(MilestoneOverride::Move {
                    to, time, reason, ..
                }) => {
                    at_local = to.and_time(time.unwrap_or(local.time()));
                    computed[i] = Some(at_local);
                    notes.push(format!("moved from {}: {reason}", local.date()));
                }
                None => {}
            }
            let (at, _) = zone.resolve(at_local);
            placed[i] = Some(MilestoneAt {
                name: m.name.clone(),
                date: at_local.date(),
                local: at_local,
                at,
                from: m.from.clone(),
                offset,
                explanation,
                notes,
            });
        }
        Ok(placed.into_iter().flatten().collect())
    }
}

fn not_placed(m: &Milestone, from: &str) -> Error {
    Error::config(format!(
        "milestone {:?} is relative to {from:?}, which is not placed",
        m.name
    ))
}

/// The checks of one milestone on its own.
fn check_one(m: &Milestone) -> Result<()> {
    if m.name.trim().is_empty() {
        return Err(Error::config("a milestone has an empty name"));
    }
    if let Some(from) = &m.from {
        let also = [
            (m.follow, "follow"),
            (m.schedule.is_some(), "schedule"),
            (m.occurrence != 0, "occurrence"),
        ];
        if let Some((_, key)) = also.iter().find(|(set, _)| *set) {
            return Err(Error::config(format!(
                "milestone {:?} is relative to the milestone {from:?}, so `{key}` (which picks an occurrence) does not apply: it moves with {from:?}",
                m.name
            )));
        }
    }
    let mut seen = Vec::new();
    for o in &m.overrides {
        if seen.contains(&o.occurrence()) {
            return Err(Error::config(format!(
                "milestone {:?}: more than one override changes the occurrence of {}",
                m.name,
                o.occurrence()
            )));
        }
        seen.push(o.occurrence());
        if let MilestoneOverride::Move { reason, .. } | MilestoneOverride::Cancel { reason, .. } = o
            && crate::identity::is_blank(reason)
        {
            return Err(Error::config(format!(
                "milestone {:?}: the override of {} needs a reason",
                m.name,
                o.occurrence()
            )));
        }
    }
    Ok(())
}

/// The order in which milestones are placed: every milestone after the one
/// it is relative to.
///
/// Each milestone has at most one reference, so the references form a
/// forest unless following them from some milestone comes back to it;
/// ordering by depth puts every reference first.
fn reference_order(milestones: &[Milestone]) -> Result<Vec<usize>> {
    let mut parent = Vec::with_capacity(milestones.len());
    for m in milestones {
        parent.push(match &m.from {
            None => None,
            Some(from) => Some(milestones.iter().position(|o| &o.name == from).ok_or_else(
                || {
                    Error::config(format!(
                        "milestone {:?} is relative to {from:?}, which is not a milestone (known: {})",
                        m.name,
                        milestones
                            .iter()
                            .map(|o| format!("{:?}", o.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                },
            )?),
        });
    }
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
    Ok(order)
}

/// The occurrence a milestone without `from` is placed from: where the
/// rule put it (or where it happens, with `follow`), in its own schedule
/// or another.
fn occurrence_reference(
    m: &Milestone,
    own: &Schedule,
    occurrence: &Occurrence,
    schedules: &[Schedule],
) -> Result<Reference> {
    let (schedule, target) = match &m.schedule {
        None if m.occurrence == 0 => (own, occurrence.clone()),
        None => (
            own,
            nth_from(own, occurrence.at, own_position(own, occurrence), m)?,
        ),
        Some(name) => {
            let other = schedules.iter().find(|s| s.name() == name).ok_or_else(|| {
                Error::config(format!(
                    "milestone {:?} is relative to schedule {name:?}, which is not a schedule here (known: {})",
                    m.name,
                    schedules
                        .iter()
                        .map(|s| format!("{:?}", s.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
            let first = other.occurrences().position(|o| o.at >= occurrence.at);
            (other, nth_from(other, occurrence.at, first, m)?)
        }
    };
    // An occurrence on its scheduled date (a published table's entry, or
    // one no holiday moved) is its own reference, at its own time.
    let moved = !m.follow && target.scheduled != target.date;
    let local = if moved {
        target.scheduled.and_time(schedule.time())
    } else {
        target.local
    };
    let mut about: Vec<String> = target.label.iter().cloned().collect();
    if moved {
        about.push(format!("its scheduled date; it happens on {}", target.date));
    }
    let mut text = format!("{} {}", schedule.name(), local.date());
    if !about.is_empty() {
        text.push_str(&format!(" ({})", about.join("; ")));
    }
    Ok(Reference { local, text })
}

/// The position of `occurrence` among its schedule's occurrences.
fn own_position(schedule: &Schedule, occurrence: &Occurrence) -> Option<usize> {
    schedule
        .occurrences()
        .take_while(|o| o.at <= occurrence.at)
        .position(|o| o.scheduled == occurrence.scheduled && o.index == occurrence.index)
}

/// The occurrence `m.occurrence` places after `base` in `schedule`.
fn nth_from(
    schedule: &Schedule,
    from: DateTime<Utc>,
    base: Option<usize>,
    m: &Milestone,
) -> Result<Occurrence> {
    let missing = || {
        Error::refused(format!(
            "milestone {:?}: schedule {:?} has no occurrence {} from the one at or after {from}",
            m.name,
            schedule.name(),
            m.occurrence
        ))
    };
    let base = base.ok_or_else(missing)?;
    let at = i64::try_from(base).map_err(|_| missing())? + i64::from(m.occurrence);
    let at = usize::try_from(at).map_err(|_| missing())?;
    schedule.occurrences().nth(at).ok_or_else(missing)
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
