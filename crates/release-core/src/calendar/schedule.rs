//! Schedules: a recurrence at a local time in a zone, with holidays, a
//! holiday policy and overrides; and the occurrences they produce.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::builtin;
use super::holiday::HolidaySet;
use super::policy::{Applied, HolidayPolicy, MAX_MOVE_DAYS};
use super::recurrence::{Dates, Recurrence, Until};
use super::workdays::WorkDays;
use super::zone::{Resolution, Zone};
use crate::{Error, Result};

/// The most occurrences one listing may ask for: the CLI's
/// `release calendar --count` and Python's `Schedule.upcoming`,
/// `Schedule.between` and `Schedule.instants` refuse more (each occurrence
/// is built in memory there). [`Schedule::occurrences`] has no limit: it
/// makes them one at a time.
pub const MAX_LISTED: usize = 100_000;

/// Where a schedule's holidays come from: a built-in set by name (`"us"`),
/// or a set given as data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum HolidaySource {
    /// A built-in set ([`builtin::NAMES`]).
    Builtin(
        #[cfg_attr(feature = "schema", schemars(with = "super::builtin::BuiltinHolidays"))] String,
    ),
    /// A set written out.
    Custom(HolidaySet),
}

impl HolidaySource {
    pub(super) fn resolve(&self) -> Result<HolidaySet> {
        match self {
            HolidaySource::Custom(set) => {
                set.validate()?;
                Ok(set.clone())
            }
            HolidaySource::Builtin(name) => builtin::by_name(name).ok_or_else(|| {
                Error::config(format!(
                    "unknown holiday set {name:?}: the built-in sets are {}",
                    builtin::NAMES.join(", ")
                ))
            }),
        }
    }
}

/// A change to one occurrence, with the reason a team gives for it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Override {
    /// The occurrence scheduled on `date` does not happen.
    Cancel {
        /// The scheduled date (the rule's date).
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        date: NaiveDate,
        /// Why.
        reason: String,
    },
    /// The occurrence scheduled on `date` happens on `to` instead.
    Move {
        /// The scheduled date (the rule's date).
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        date: NaiveDate,
        /// The new local date.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        to: NaiveDate,
        /// The new local time; the schedule's time if absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Option<crate::schema_shapes::LocalTime>")
        )]
        time: Option<NaiveTime>,
        /// Why.
        reason: String,
    },
    /// An extra occurrence on `date`.
    Add {
        /// The local date.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        date: NaiveDate,
        /// The local time; the schedule's time if absent.
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

impl Override {
    fn date(&self) -> NaiveDate {
        match self {
            Override::Cancel { date, .. }
            | Override::Move { date, .. }
            | Override::Add { date, .. } => *date,
        }
    }
}

/// One entry of a schedule's `dates` table: a date a project published
/// (PEP 745's "3.14.0 beta 1: 2025-05-06"), with what ships on it.
///
/// How entries meet the schedule's rule: an entry on a date of the rule
/// is that occurrence; one with `replaces` takes the place of that rule
/// date; any other is an added occurrence. Holidays do not move entries.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PublishedDate {
    /// The local date.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
    pub date: NaiveDate,
    /// The local time; the schedule's time if absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalTime>")
    )]
    pub time: Option<NaiveTime>,
    /// What ships on it, usually the version (`"3.13.0"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The rule's date this entry stands for (a slipped release): the
    /// occurrence scheduled on `replaces` happens on `date` instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalDate>")
    )]
    pub replaces: Option<NaiveDate>,
    /// Why (shown in explanations and calendar feeds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl PublishedDate {
    /// An entry on `date` with no time, label, replacement or reason.
    pub fn on(date: NaiveDate) -> PublishedDate {
        PublishedDate {
            date,
            time: None,
            label: None,
            replaces: None,
            reason: None,
        }
    }

    /// This entry with a label (the version it ships).
    #[must_use]
    pub fn label(mut self, label: &str) -> PublishedDate {
        self.label = Some(label.to_owned());
        self
    }

    /// This entry at a local time of its own.
    #[must_use]
    pub fn at(mut self, time: NaiveTime) -> PublishedDate {
        self.time = Some(time);
        self
    }

    /// This entry standing for the rule's occurrence of `date`.
    #[must_use]
    pub fn replacing(mut self, date: NaiveDate) -> PublishedDate {
        self.replaces = Some(date);
        self
    }

    /// This entry with a reason.
    #[must_use]
    pub fn because(mut self, reason: &str) -> PublishedDate {
        self.reason = Some(reason.to_owned());
        self
    }

    /// `" (3.13.0)"`, or nothing without a label.
    fn label_text(&self) -> String {
        self.label
            .as_deref()
            .map_or_else(String::new, |l| format!(" ({l})"))
    }

    /// `": <reason>"`, or nothing without one.
    fn reason_text(&self) -> String {
        self.reason
            .as_deref()
            .map_or_else(String::new, |r| format!(": {r}"))
    }
}

/// How a table entry stands to the rule, resolved when the schedule is
/// built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// On a date the rule schedules: it is that occurrence.
    OnRule,
    /// In place of the rule's date it names.
    Replaces,
    /// Neither: an added occurrence (or, without a rule, one of the table).
    Added,
}

/// A table entry resolved against the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct TableSlot {
    /// Position in the schedule's `dates`.
    entry: usize,
    index: Option<u32>,
    /// The rule's date it stands for, else its own.
    scheduled: NaiveDate,
    slot: Slot,
}

/// The serialised form of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct ScheduleData {
    name: String,
    /// The rule; a schedule without one is its `dates` table alone (it
    /// needs at least one of the two).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    recurrence: Option<Recurrence>,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalTime"))]
    time: NaiveTime,
    zone: Zone,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    holidays: Vec<HolidaySource>,
    #[serde(default)]
    policy: HolidayPolicy,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    overrides: Vec<Override>,
    /// Published dates: each entry on a date of the rule is that
    /// occurrence, one with `replaces` stands for that rule date, any other
    /// is added. Not moved by the holiday policy.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    dates: Vec<PublishedDate>,
}

/// A release schedule: dates from a [`Recurrence`], or from a published
/// table of dates, or both, at a local time in a [`Zone`], with holidays,
/// a [`HolidayPolicy`] and [`Override`]s.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, NaiveTime, Weekday};
/// use release_core::calendar::{Recurrence, RecurrenceRule, Schedule};
///
/// // Mozilla Sync: every other Tuesday from 2020-11-17.
/// let start = NaiveDate::from_ymd_opt(2020, 11, 17).unwrap();
/// let schedule = Schedule::new(
///     "release",
///     Recurrence::new(start, RecurrenceRule::weekly(2, &[Weekday::Tue]))?,
///     NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
///     "America/Los_Angeles".parse()?,
/// )?;
/// let now = "2020-12-02T12:00:00Z".parse()?;
/// assert_eq!(schedule.next_after(now).unwrap().date.to_string(), "2020-12-15");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Published dates
///
/// Projects publish a date per release (Python's release PEPs, Ubuntu's
/// and Firefox's schedules). A schedule's `dates` table holds them
/// ([`PublishedDate`]): a schedule is a table alone (no `recurrence`), a
/// rule alone, or a table mixed with a rule. The table wins for its dates:
///
/// - an entry on a date the rule schedules **is** that occurrence: its
///   time and label win, and its note says `from the table`;
/// - an entry with `replaces` takes the place of that rule date, like an
///   [`Override::Move`]: the occurrence's `scheduled` stays the rule's
///   date (so milestones counted from it stay put) and its note says
///   `moved from <date> by the table: <reason>`;
/// - any other entry is an added occurrence (`added by the table`); in a
///   schedule without a rule, every entry is an occurrence `from the
///   table`.
///
/// Table entries are not moved by the holiday policy: a published date is
/// what was published, holiday or not. Overrides are for rule dates: an
/// override of a date the table has (as an entry or as the date it
/// replaces) is refused, as are two entries on one date, two entries
/// replacing one date, a `replaces` naming a date the rule does not have,
/// and an entry replacing a date that lands on a date the rule still has.
///
/// Indices ([`Occurrence::index`]): an entry on or replacing a rule date has
/// that date's position in the rule; an entry added to a rule has none,
/// like an added override. In a schedule without a rule, an entry's index
/// is its position in the table ordered by date (so the order the entries
/// are written in does not matter); it stays stable as long as new entries
/// are published after the last one, and an entry inserted before others
/// shifts their indices. ICS UIDs use the date an occurrence stands for,
/// not the index, so they do not shift.
///
/// ```
/// use chrono::{NaiveDate, NaiveTime, Weekday};
/// use release_core::calendar::{PublishedDate, Recurrence, RecurrenceRule, Schedule};
///
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// // Betas every other Tuesday; 3.14.0b2 slipped a day; an extra rc.
/// let schedule = Schedule::new(
///     "beta",
///     Recurrence::new(d("2025-05-06"), RecurrenceRule::weekly(2, &[Weekday::Tue]))?,
///     NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
///     "UTC".parse()?,
/// )?
/// .with_dates(vec![
///     PublishedDate::on(d("2025-05-06")).label("3.14.0b1"),
///     PublishedDate::on(d("2025-05-21"))
///         .label("3.14.0b2")
///         .replacing(d("2025-05-20"))
///         .because("a late fix"),
///     PublishedDate::on(d("2025-05-29")).label("3.14.0b2.1"),
/// ])?;
/// let first: Vec<_> = schedule.occurrences().take(4).collect();
/// let labels: Vec<_> = first.iter().map(|o| o.label.as_deref().unwrap_or("-")).collect();
/// assert_eq!(labels, ["3.14.0b1", "3.14.0b2", "3.14.0b2.1", "-"]);
/// assert_eq!(first[1].scheduled, d("2025-05-20"));
/// assert_eq!(first[1].notes, ["moved from 2025-05-20 by the table: a late fix"]);
/// assert_eq!(first[3].date, d("2025-06-03"));
///
/// // A table alone.
/// let pep = Schedule::from_dates(
///     "3.13",
///     vec![
///         PublishedDate::on(d("2024-10-07")).label("3.13.0"),
///         PublishedDate::on(d("2024-10-01")).label("3.13.0rc3"),
///     ],
///     NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
///     "UTC".parse()?,
/// )?;
/// let index: Vec<_> = pep.occurrences().map(|o| o.index).collect();
/// assert_eq!(index, [Some(0), Some(1)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "ScheduleData", into = "ScheduleData")]
pub struct Schedule {
    data: ScheduleData,
    /// Shared with each expansion's [`WorkDays`], which would otherwise
    /// copy every holiday name per call.
    sets: Arc<[HolidaySet]>,
    /// The table's entries resolved against the rule, in date order.
    table: Vec<TableSlot>,
    /// The rule dates the table takes (entries on them or replacing them).
    taken: BTreeSet<NaiveDate>,
}

impl ScheduleData {
    /// Whether a date of the rule is within an instant `UNTIL`. RFC 5545
    /// bounds the rule's instances, the dates at the schedule's time, so an
    /// occurrence a holiday policy moves past the `UNTIL` is moved, not
    /// dropped (as with a date `UNTIL`, which [`Dates`] applies).
    fn within_until(&self, date: NaiveDate) -> bool {
        let Some(Until::Instant(until)) = self.recurrence.as_ref().and_then(|r| r.rule.until)
        else {
            return true;
        };
        // UTC offsets are less than a day, so only a date within a day of
        // the UNTIL needs the zone.
        let local = date.and_time(self.time);
        let until = until.naive_utc();
        let day = Duration::days(1);
        if local.checked_add_signed(day).is_some_and(|l| l <= until) {
            return true;
        }
        if local.checked_sub_signed(day).is_some_and(|l| l > until) {
            return false;
        }
        self.zone.resolve(local).0.naive_utc() <= until
    }

    /// The scheduled dates: the rule's, with an instant `UNTIL` applied.
    fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.recurrence
            .iter()
            .flat_map(Recurrence::dates)
            .take_while(|d| self.within_until(*d))
    }

    /// `<rule> from <start>`, or that there is no rule.
    fn rule_text(&self) -> String {
        match &self.recurrence {
            Some(r) => format!("{} from {}", r.rule, r.start),
            None => "no recurrence, only its dates table".to_owned(),
        }
    }

    /// The positions in the rule of those of `wanted` that are rule dates.
    fn rule_positions(&self, wanted: &BTreeSet<NaiveDate>) -> BTreeMap<NaiveDate, u32> {
        let Some(last) = wanted.last().copied() else {
            return BTreeMap::new();
        };
        self.dates()
            .take_while(|d| *d <= last)
            .enumerate()
            .filter(|(_, d)| wanted.contains(d))
            .filter_map(|(i, d)| Some((d, u32::try_from(i).ok()?)))
            .collect()
    }

    /// Checks the dates table against itself, the rule and the overrides,
    /// and resolves each entry (in date order) and the rule dates taken.
    fn resolve_table(&self) -> Result<(Vec<TableSlot>, BTreeSet<NaiveDate>)> {
        let name = &self.name;
        let fail = |m: String| Err(Error::config(format!("schedule {name:?}: {m}")));
        let mut order: Vec<usize> = (0..self.dates.len()).collect();
        order.sort_by_key(|&i| self.dates[i].date);
        for pair in order.windows(2) {
            if self.dates[pair[0]].date == self.dates[pair[1]].date {
                return fail(format!(
                    "the dates table has {} twice (entries #{} and #{})",
                    self.dates[pair[0]].date,
                    pair[0].min(pair[1]) + 1,
                    pair[0].max(pair[1]) + 1
                ));
            }
        }
        let mut wanted: BTreeSet<NaiveDate> = BTreeSet::new();
        for e in &self.dates {
            wanted.insert(e.date);
            wanted.extend(e.replaces);
        }
        let positions = self.rule_positions(&wanted);
        let mut replaced: BTreeMap<NaiveDate, NaiveDate> = BTreeMap::new();
        for e in &self.dates {
            let Some(r) = e.replaces else { continue };
            if r == e.date {
                return fail(format!(
                    "the dates entry {} replaces its own date; drop `replaces` (an entry on a date of the rule is that occurrence)",
                    e.date
                ));
            }
            if !positions.contains_key(&r) {
                return fail(format!(
                    "the dates entry {} replaces {r}, a date the schedule does not have ({})",
                    e.date,
                    self.rule_text()
                ));
            }
            if let Some(other) = replaced.insert(r, e.date) {
                return fail(format!(
                    "the dates entries {} and {} both replace {r}",
                    other.min(e.date),
                    other.max(e.date)
                ));
            }
        }
        let mut taken: BTreeSet<NaiveDate> = replaced.keys().copied().collect();
        for e in &self.dates {
            if e.replaces.is_none() && positions.contains_key(&e.date) {
                taken.insert(e.date);
            }
        }
        for e in &self.dates {
            if let Some(r) = e.replaces
                && positions.contains_key(&e.date)
                && !taken.contains(&e.date)
            {
                return fail(format!(
                    "the dates entry {} replaces {r} but lands on {}, which the rule also schedules; let another entry replace {} too, or pick another date",
                    e.date, e.date, e.date
                ));
            }
        }
        for o in &self.overrides {
            let (what, target) = match o {
                Override::Cancel { .. } => ("cancel", None),
                Override::Move { to, .. } => ("move", Some(*to)),
                Override::Add { .. } => ("add", None),
            };
            let hit = self.dates.iter().find(|e| {
                e.date == o.date() || e.replaces == Some(o.date()) || target == Some(e.date)
            });
            if let Some(e) = hit {
                return fail(format!(
                    "the dates entry {} conflicts with the override ({what}) of {}: a date is in the table or overridden, not both",
                    e.date,
                    o.date()
                ));
            }
        }
        let table_only = self.recurrence.is_none();
        let slots = order
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let e = &self.dates[i];
                let (index, scheduled, slot) = if table_only {
                    (u32::try_from(k).ok(), e.date, Slot::Added)
                } else if let Some(r) = e.replaces {
                    (positions.get(&r).copied(), r, Slot::Replaces)
                } else if let Some(p) = positions.get(&e.date) {
                    (Some(*p), e.date, Slot::OnRule)
                } else {
                    (None, e.date, Slot::Added)
                };
                TableSlot {
                    entry: i,
                    index,
                    scheduled,
                    slot,
                }
            })
            .collect();
        Ok((slots, taken))
    }
}

impl TryFrom<ScheduleData> for Schedule {
    type Error = Error;

    fn try_from(data: ScheduleData) -> Result<Schedule> {
        if data.recurrence.is_none() && data.dates.is_empty() {
            return Err(Error::config(format!(
                "schedule {:?} has neither a recurrence nor dates: give a `recurrence`, a `dates` table, or both",
                data.name
            )));
        }
        if let Some(r) = &data.recurrence {
            r.rule.validate()?;
        }
        if let HolidayPolicy::Shift(n) = data.policy
            && u64::from(n.unsigned_abs()) > MAX_MOVE_DAYS
        {
            return Err(Error::config(format!(
                "schedule {:?}: a shift of {n} days is more than a holiday policy may move an occurrence (at most {MAX_MOVE_DAYS} days either way)",
                data.name
            )));
        }
        let sets = data
            .holidays
            .iter()
            .map(HolidaySource::resolve)
            .collect::<Result<Arc<[_]>>>()?;
        for o in &data.overrides {
            if let Override::Move { date, to, .. } = o
                && date == to
                && !matches!(o, Override::Move { time: Some(_), .. })
            {
                return Err(Error::config(format!(
                    "schedule {:?}: the override of {date} moves it to the same date",
                    data.name
                )));
            }
        }
        for o in data
            .overrides
            .iter()
            .filter(|o| !matches!(o, Override::Add { .. }))
        {
            let date = o.date();
            if !data.dates().take_while(|d| *d <= date).any(|d| d == date) {
                return Err(Error::config(format!(
                    "schedule {:?}: the override of {date} names a date the schedule does not have ({})",
                    data.name,
                    data.rule_text()
                )));
            }
        }
        let mut seen = Vec::new();
        for o in data
            .overrides
            .iter()
            .filter(|o| !matches!(o, Override::Add { .. }))
        {
            if seen.contains(&o.date()) {
                return Err(Error::config(format!(
                    "schedule {:?}: more than one override cancels or moves the occurrence of {}",
                    data.name,
                    o.date()
                )));
            }
            seen.push(o.date());
        }
        let (table, taken) = data.resolve_table()?;
        Ok(Schedule {
            data,
            sets,
            table,
            taken,
        })
    }
}

impl From<Schedule> for ScheduleData {
    fn from(s: Schedule) -> ScheduleData {
        s.data
    }
}

/// One occurrence of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Occurrence {
    /// The schedule's name.
    pub schedule: String,
    /// Position of the scheduled date in the rule, from 0; `None` for an
    /// added occurrence. Stable across runs, so it identifies the
    /// occurrence (ICS UIDs). For entries of a dates table, see
    /// [`Schedule`] ("Published dates"): in a schedule without a rule, an
    /// entry's position in the table ordered by date.
    pub index: Option<u32>,
    /// The date the rule gave (before holidays and overrides); for an
    /// entry of the dates table, the rule date it stands for, else its own
    /// date.
    pub scheduled: NaiveDate,
    /// What ships on it (a version, `"3.13.0"`), from the dates table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The local date it happens on.
    pub date: NaiveDate,
    /// The local date and time it happens at.
    pub local: NaiveDateTime,
    /// The instant.
    pub at: DateTime<Utc>,
    /// The schedule's zone.
    pub zone: Zone,
    /// How the local time was resolved (DST gap or overlap).
    pub resolution: Resolution,
    /// Why it is not where the rule put it, if it moved or was added.
    pub notes: Vec<String>,
}

impl fmt::Display for Occurrence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.schedule,
            self.local.format("%Y-%m-%d %H:%M")
        )?;
        if let Some(label) = &self.label {
            write!(f, " {label}")?;
        }
        for note in &self.notes {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// What happened to a scheduled date: see [`Schedule::explain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct OccurrenceExplanation {
    /// The date asked about.
    pub date: NaiveDate,
    /// Whether the rule schedules it.
    pub scheduled: bool,
    /// The occurrence that results, if any (it may be on another date).
    pub occurrence: Option<Occurrence>,
    /// Every reason, in the order they applied.
    pub reasons: Vec<String>,
}

impl fmt::Display for OccurrenceExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.reasons.join("; "))
    }
}

impl Schedule {
    /// A schedule without holidays or overrides.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) if the rule is invalid.
    pub fn new(
        name: &str,
        recurrence: Recurrence,
        time: NaiveTime,
        zone: Zone,
    ) -> Result<Schedule> {
        Schedule::try_from(ScheduleData {
            name: name.to_owned(),
            recurrence: Some(recurrence),
            time,
            zone,
            holidays: Vec::new(),
            policy: HolidayPolicy::default(),
            overrides: Vec::new(),
            dates: Vec::new(),
        })
    }

    /// A schedule that is a table of published dates alone (no rule); each
    /// entry without a time of its own is at `time`. See [`Schedule`]
    /// ("Published dates").
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for an empty table, two
    /// entries on one date, or an entry that `replaces` a date (there is
    /// no rule to take it from).
    pub fn from_dates(
        name: &str,
        dates: Vec<PublishedDate>,
        time: NaiveTime,
        zone: Zone,
    ) -> Result<Schedule> {
        Schedule::try_from(ScheduleData {
            name: name.to_owned(),
            recurrence: None,
            time,
            zone,
            holidays: Vec::new(),
            policy: HolidayPolicy::default(),
            overrides: Vec::new(),
            dates,
        })
    }

    /// This schedule with its dates table replaced by `dates`, mixed with
    /// its rule (see [`Schedule`], "Published dates").
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the schedule and
    /// the entry: two entries on one date, a `replaces` naming a date the
    /// rule does not have, two entries replacing one date, an entry
    /// conflicting with an override; or no rule and no dates.
    pub fn with_dates(self, dates: Vec<PublishedDate>) -> Result<Schedule> {
        Schedule::try_from(ScheduleData { dates, ..self.data })
    }

    /// This schedule with holidays (built-in names or sets) and a policy.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for an unknown built-in
    /// set or an invalid holiday.
    pub fn with_holidays(
        self,
        holidays: Vec<HolidaySource>,
        policy: HolidayPolicy,
    ) -> Result<Schedule> {
        Schedule::try_from(ScheduleData {
            holidays,
            policy,
            ..self.data
        })
    }

    /// This schedule with one more override.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) if it conflicts with an
    /// existing override.
    pub fn with_override(self, o: Override) -> Result<Schedule> {
        let mut data = self.data;
        data.overrides.push(o);
        Schedule::try_from(data)
    }

    /// The schedule's name.
    pub fn name(&self) -> &str {
        &self.data.name
    }

    /// The recurrence, if the schedule has a rule (a schedule may be a
    /// dates table alone).
    pub fn recurrence(&self) -> Option<&Recurrence> {
        self.data.recurrence.as_ref()
    }

    /// The dates table, as written.
    pub fn dates(&self) -> &[PublishedDate] {
        &self.data.dates
    }

    /// The local time of occurrences.
    pub fn time(&self) -> NaiveTime {
        self.data.time
    }

    /// The zone.
    pub fn zone(&self) -> Zone {
        self.data.zone
    }

    /// The holiday policy.
    pub fn policy(&self) -> HolidayPolicy {
        self.data.policy
    }

    /// The overrides.
    pub fn overrides(&self) -> &[Override] {
        &self.data.overrides
    }

    /// The resolved holiday sets.
    pub fn holiday_sets(&self) -> &[HolidaySet] {
        &self.sets
    }

    /// The working days of this schedule's holiday sets.
    pub fn work_days(&self) -> WorkDays {
        WorkDays::shared(Arc::clone(&self.sets))
    }

    /// Every occurrence in order: strictly increasing instants, none
    /// duplicated, skipped and cancelled ones left out.
    pub fn occurrences(&self) -> Occurrences<'_> {
        let mut extra: Vec<Occurrence> = Vec::new();
        for o in &self.data.overrides {
            match o {
                Override::Add { date, time, reason } => extra.push(self.make(
                    None,
                    *date,
                    *date,
                    time.unwrap_or(self.data.time),
                    vec![format!("added: {reason}")],
                )),
                Override::Move {
                    date,
                    to,
                    time,
                    reason,
                } => {
                    let index = self.index_of(*date);
                    extra.push(self.make(
                        index,
                        *date,
                        *to,
                        time.unwrap_or(self.data.time),
                        vec![format!("moved from {date}: {reason}")],
                    ));
                }
                Override::Cancel { .. } => {}
            }
        }
        let mut extra: Vec<(Occurrence, bool)> = extra.into_iter().map(|o| (o, false)).collect();
        extra.extend(self.table.iter().map(|t| (self.table_occurrence(t), true)));
        extra.sort_by_key(|(o, _)| std::cmp::Reverse(order(o)));
        Occurrences {
            schedule: self,
            dates: self.data.recurrence.as_ref().map(Recurrence::dates),
            upcoming: None,
            horizon: NaiveDate::MIN,
            index: 0,
            days: self.work_days(),
            pending: VecDeque::new(),
            reasons: Vec::new(),
            extra,
            last: None,
            rule_done: false,
        }
    }

    /// The instants of [`occurrences`](Self::occurrences), in the same
    /// order: for callers that want a list of times, without building
    /// each occurrence's details.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, NaiveTime};
    /// use release_core::calendar::{
    ///     ByDay, Frequency, HolidayPolicy, HolidaySource, Recurrence, RecurrenceRule, Schedule,
    /// };
    ///
    /// let mut rule = RecurrenceRule::new(Frequency::Weekly, 2);
    /// rule.by_day = vec![ByDay::every(chrono::Weekday::Tue)];
    /// rule.count = Some(3);
    /// let start = NaiveDate::from_ymd_opt(2029, 12, 11).unwrap();
    /// let schedule = Schedule::new(
    ///     "release",
    ///     Recurrence::new(start, rule)?,
    ///     NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    ///     "America/New_York".parse()?,
    /// )?
    /// .with_holidays(vec![HolidaySource::Builtin("us".into())], HolidayPolicy::NextWorkingDay)?;
    /// let at: Vec<String> = schedule.instants().map(|t| t.to_rfc3339()).collect();
    /// // Christmas Day 2029 is a Tuesday: that occurrence moves to Wednesday.
    /// assert_eq!(at, [
    ///     "2029-12-11T15:00:00+00:00",
    ///     "2029-12-26T15:00:00+00:00",
    ///     "2030-01-08T15:00:00+00:00",
    /// ]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn instants(&self) -> Instants<'_> {
        Instants(self.occurrences())
    }

    /// The position of a scheduled date in the rule, if the rule has it.
    fn index_of(&self, date: NaiveDate) -> Option<u32> {
        self.data
            .dates()
            .take_while(|d| *d <= date)
            .position(|d| d == date)
            .and_then(|i| u32::try_from(i).ok())
    }

    /// Whether the rule date's occurrence is made elsewhere: moved by an
    /// override or taken by the dates table.
    fn moved_by_override(&self, date: NaiveDate) -> bool {
        self.taken.contains(&date)
            || self
                .data
                .overrides
                .iter()
                .any(|o| matches!(o, Override::Move { date: d, .. } if *d == date))
    }

    /// A schedule without a rule as RFC 5545 text: `DTSTART` at its first
    /// entry and one `RDATE` line of every entry (what
    /// [`to_rrule`](Self::to_rrule) gives for it).
    pub(super) fn dates_rrule(&self) -> String {
        let zone = self.data.zone;
        let local = |t: &TableSlot| {
            let e = &self.data.dates[t.entry];
            e.date
                .and_time(e.time.unwrap_or(self.data.time))
                .format("%Y%m%dT%H%M%S")
                .to_string()
        };
        let all: Vec<String> = self.table.iter().map(local).collect();
        format!(
            "DTSTART;TZID={zone}:{}\nRDATE;TZID={zone}:{}",
            all.first().map_or("", String::as_str),
            all.join(",")
        )
    }

    /// The occurrence of a table entry.
    fn table_occurrence(&self, t: &TableSlot) -> Occurrence {
        let e = &self.data.dates[t.entry];
        let note = match t.slot {
            Slot::OnRule => format!("from the table{}", e.reason_text()),
            Slot::Replaces => format!("moved from {} by the table{}", t.scheduled, e.reason_text()),
            Slot::Added if self.data.recurrence.is_none() => {
                format!("from the table{}", e.reason_text())
            }
            Slot::Added => format!("added by the table{}", e.reason_text()),
        };
        let mut o = self.make(
            t.index,
            t.scheduled,
            e.date,
            e.time.unwrap_or(self.data.time),
            vec![note],
        );
        o.label.clone_from(&e.label);
        o
    }

    /// The table's slot whose entry is on `date`, and the one replacing
    /// the rule date `date`.
    fn table_on(&self, date: NaiveDate) -> (Option<&TableSlot>, Option<&TableSlot>) {
        let on = self
            .table
            .iter()
            .find(|t| self.data.dates[t.entry].date == date);
        let replacing = self
            .table
            .iter()
            .find(|t| t.slot == Slot::Replaces && t.scheduled == date);
        (on, replacing)
    }

    /// The first occurrence strictly after `now`.
    pub fn next_after(&self, now: DateTime<Utc>) -> Option<Occurrence> {
        self.occurrences().find(|o| o.at > now)
    }

    /// The first `n` occurrences strictly after `now`.
    pub fn upcoming(&self, now: DateTime<Utc>, n: usize) -> Vec<Occurrence> {
        self.occurrences()
            .skip_while(|o| o.at <= now)
            .take(n)
            .collect()
    }

    /// The occurrences at or after `start` and before `end`.
    pub fn between(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<Occurrence> {
        self.occurrences()
            .skip_while(|o| o.at < start)
            .take_while(|o| o.at < end)
            .collect()
    }

    /// Why the occurrence of a date is where it is: whether the rule
    /// schedules `date`, and what holidays, the policy and overrides did to
    /// it. For a date the rule does not schedule, says so (and names an
    /// occurrence moved onto it, if any).
    pub fn explain(&self, date: NaiveDate) -> OccurrenceExplanation {
        let rule_text = match &self.data.recurrence {
            Some(r) => format!(
                "{} ({} from {}, at {} {})",
                self.data.name,
                r.rule,
                r.start,
                self.data.time.format("%H:%M"),
                self.data.zone
            ),
            None => format!(
                "{} (a dates table, at {} {})",
                self.data.name,
                self.data.time.format("%H:%M"),
                self.data.zone
            ),
        };
        let (on, replacing) = self.table_on(date);
        let index = self
            .data
            .dates()
            .take_while(|d| *d <= date)
            .position(|d| d == date);
        let Some(index) = index else {
            if let Some(t) = on {
                let e = &self.data.dates[t.entry];
                let (label, reason) = (e.label_text(), e.reason_text());
                let reasons = match (t.slot, &self.data.recurrence) {
                    (_, None) => vec![format!(
                        "{date} is entry {} of the dates table of {rule_text}{label}{reason}",
                        t.index.map_or(0, |i| i + 1)
                    )],
                    (Slot::Replaces, Some(_)) => vec![
                        format!("{date} is not a date of {rule_text}"),
                        format!(
                            "but the dates table's entry for {date}{label} moves the occurrence scheduled on {} onto it{reason}",
                            t.scheduled
                        ),
                    ],
                    (_, Some(_)) => vec![
                        format!("{date} is not a date of {rule_text}"),
                        format!(
                            "but the dates table's entry for {date}{label} adds an occurrence on it{reason}"
                        ),
                    ],
                };
                return OccurrenceExplanation {
                    date,
                    scheduled: self.data.recurrence.is_none(),
                    occurrence: Some(self.named(self.table_occurrence(t))),
                    reasons,
                };
            }
            let landed = self
                .occurrences()
                .skip_while(|o| o.date < date)
                .take_while(|o| o.date <= date)
                .next();
            let mut reasons = vec![format!("{date} is not a date of {rule_text}")];
            if let Some(o) = &landed {
                reasons.push(format!(
                    "but the occurrence scheduled on {} happens on it",
                    o.scheduled
                ));
                reasons.extend(o.notes.iter().cloned());
            }
            return OccurrenceExplanation {
                date,
                scheduled: false,
                occurrence: landed,
                reasons,
            };
        };
        let mut reasons = vec![format!("{date} is occurrence {} of {rule_text}", index + 1)];
        let table = on.filter(|t| t.slot == Slot::OnRule).or(replacing);
        if let Some(t) = table {
            let e = &self.data.dates[t.entry];
            let (label, reason) = (e.label_text(), e.reason_text());
            reasons.push(if t.slot == Slot::OnRule {
                format!(
                    "from the table: the dates table's entry for {date}{label} is this occurrence{reason}"
                )
            } else {
                format!(
                    "moved to {} by the dates table's entry for {}{label}{reason}",
                    e.date, e.date
                )
            });
            return OccurrenceExplanation {
                date,
                scheduled: true,
                occurrence: Some(self.named(self.table_occurrence(t))),
                reasons,
            };
        }
        let occurrence = self
            .resolve_scheduled(index as u32, date, &mut self.work_days(), &mut reasons)
            .map(|o| self.named(o));
        if occurrence.is_some() && reasons.len() == 1 {
            reasons.push("no holiday or override applies".to_owned());
        }
        OccurrenceExplanation {
            date,
            scheduled: true,
            occurrence,
            reasons,
        }
    }

    /// Applies overrides, then the holiday policy, to a scheduled date.
    fn resolve_scheduled(
        &self,
        index: u32,
        scheduled: NaiveDate,
        days: &mut WorkDays,
        reasons: &mut Vec<String>,
    ) -> Option<Occurrence> {
        let time = self.data.time;
        for o in &self.data.overrides {
            match o {
                Override::Cancel { date, reason } if *date == scheduled => {
                    reasons.push(format!("cancelled: {reason}"));
                    return None;
                }
                Override::Move {
                    date,
                    to,
                    time: new_time,
                    reason,
                } if *date == scheduled => {
                    reasons.push(format!("moved to {to}: {reason}"));
                    let notes = vec![format!("moved from {date}: {reason}")];
                    return Some(self.make(
                        Some(index),
                        scheduled,
                        *to,
                        new_time.unwrap_or(time),
                        notes,
                    ));
                }
                _ => {}
            }
        }
        match self.data.policy.apply(scheduled, days) {
            Applied::Stands => Some(self.make(
                Some(index),
                scheduled,
                scheduled,
                time,
                reasons[1..].to_vec(),
            )),
            Applied::Moved(to, why) => {
                reasons.push(why);
                Some(self.make(Some(index), scheduled, to, time, reasons[1..].to_vec()))
            }
            Applied::Skipped(why) => {
                reasons.push(why);
                None
            }
        }
    }

    /// The occurrence with this schedule's name.
    fn named(&self, mut o: Occurrence) -> Occurrence {
        o.schedule.clone_from(&self.data.name);
        o
    }

    fn make(
        &self,
        index: Option<u32>,
        scheduled: NaiveDate,
        date: NaiveDate,
        time: NaiveTime,
        notes: Vec<String>,
    ) -> Occurrence {
        let local = date.and_time(time);
        let (at, resolution) = self.data.zone.resolve(local);
        Occurrence {
            // Named by `named` when handed out: an expansion's instants
            // need no copy of the name.
            schedule: String::new(),
            index,
            scheduled,
            date,
            local,
            at,
            zone: self.data.zone,
            resolution,
            notes,
            label: None,
        }
    }
}

/// The iterator of [`Schedule::occurrences`].
///
/// A holiday policy moves an occurrence by at most a month, so resolved
/// occurrences wait in a short sorted queue until no later scheduled date
/// can land before them (they arrive almost always in order, so inserting
/// is a push at the back). Overrides that move or add occurrences (to any
/// date) are resolved up front and merged in.
pub struct Occurrences<'a> {
    schedule: &'a Schedule,
    /// The rule's dates; `None` for a schedule without a rule.
    dates: Option<Dates<'a>>,
    /// The next rule date, fetched but not yet resolved.
    upcoming: Option<NaiveDate>,
    /// The latest date an occurrence may have to be handed out before
    /// `upcoming` is resolved: a policy moves `upcoming` back by at most
    /// [`MAX_MOVE_DAYS`].
    horizon: NaiveDate,
    index: u32,
    days: WorkDays,
    /// Resolved occurrences, sorted by [`order`].
    pending: VecDeque<Occurrence>,
    /// Moved and added occurrences and the dates table's, latest first
    /// (popped from the end); `true` for the table's, which win a tie.
    extra: Vec<(Occurrence, bool)>,
    /// Reused for the reasons of each scheduled date.
    reasons: Vec<String>,
    last: Option<DateTime<Utc>>,
    rule_done: bool,
}

/// The iterator of [`Schedule::instants`]: the occurrences' instants
/// alone.
pub struct Instants<'a>(Occurrences<'a>);

impl Iterator for Instants<'_> {
    type Item = DateTime<Utc>;

    fn next(&mut self) -> Option<DateTime<Utc>> {
        self.0.next_unnamed().map(|o| o.at)
    }
}

/// Occurrences are ordered by instant, then scheduled date and index, so
/// the order is total and deterministic.
fn order(o: &Occurrence) -> (DateTime<Utc>, NaiveDate, Option<u32>) {
    (o.at, o.scheduled, o.index)
}

impl Iterator for Occurrences<'_> {
    type Item = Occurrence;

    fn next(&mut self) -> Option<Occurrence> {
        let next = self.next_unnamed()?;
        Some(self.schedule.named(next))
    }
}

impl Occurrences<'_> {
    /// The next occurrence without the schedule's name (which
    /// `Schedule::make` leaves empty).
    fn next_unnamed(&mut self) -> Option<Occurrence> {
        loop {
            if self.upcoming.is_none() && !self.rule_done {
                self.upcoming = self
                    .dates
                    .as_mut()
                    .and_then(Iterator::next)
                    .filter(|d| self.schedule.data.within_until(*d));
                self.rule_done = self.upcoming.is_none();
                if let Some(next) = self.upcoming {
                    self.horizon = next
                        .checked_sub_days(Days::new(MAX_MOVE_DAYS + 1))
                        .unwrap_or(next);
                }
            }
            let heap = self.pending.front();
            let extra = self.extra.last().map(|(o, _)| o);
            let candidate = match (heap, extra) {
                (Some(h), Some(e)) => Some(if e.at < h.at { e } else { h }),
                (h, e) => h.or(e),
            };
            let safe = match (candidate, self.upcoming) {
                (None, _) => self.rule_done,
                (Some(_), None) => true,
                (Some(c), Some(_)) => c.date < self.horizon,
            };
            if safe {
                // At one instant, the table's occurrence wins: it is
                // taken first, and the rule's is then dropped below.
                let take_extra = match (self.pending.front(), self.extra.last()) {
                    (Some(h), Some((e, table))) => e.at < h.at || (*table && e.at == h.at),
                    (None, Some(_)) => true,
                    _ => false,
                };
                let next = if take_extra {
                    self.extra.pop().map(|(o, _)| o)
                } else {
                    self.pending.pop_front()
                }?;
                // Two occurrences moved onto one slot are one occurrence.
                if self.last.is_some_and(|l| next.at <= l) {
                    continue;
                }
                self.last = Some(next.at);
                return Some(next);
            }
            let Some(date) = self.upcoming.take() else {
                continue;
            };
            let index = self.index;
            self.index = self.index.saturating_add(1);
            if self.schedule.moved_by_override(date) {
                continue;
            }
            // resolve_scheduled's first reason is the rule's (not a note).
            self.reasons.clear();
            self.reasons.push(String::new());
            if let Some(o) =
                self.schedule
                    .resolve_scheduled(index, date, &mut self.days, &mut self.reasons)
            {
                let key = order(&o);
                let at = self.pending.partition_point(|p| order(p) <= key);
                self.pending.insert(at, o);
            }
        }
    }
}
