//! Schedules: a recurrence at a local time in a zone, with holidays, a
//! holiday policy and overrides; and the occurrences they produce.

use std::collections::VecDeque;
use std::fmt;

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

/// The serialised form of a [`Schedule`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct ScheduleData {
    name: String,
    recurrence: Recurrence,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalTime"))]
    time: NaiveTime,
    zone: Zone,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    holidays: Vec<HolidaySource>,
    #[serde(default)]
    policy: HolidayPolicy,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    overrides: Vec<Override>,
}

/// A release schedule: dates from a [`Recurrence`], at a local time in a
/// [`Zone`], with holidays, a [`HolidayPolicy`] and [`Override`]s.
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "ScheduleData", into = "ScheduleData")]
pub struct Schedule {
    data: ScheduleData,
    sets: Vec<HolidaySet>,
}

impl ScheduleData {
    /// Whether a date of the rule is within an instant `UNTIL`. RFC 5545
    /// bounds the rule's instances, the dates at the schedule's time, so an
    /// occurrence a holiday policy moves past the `UNTIL` is moved, not
    /// dropped (as with a date `UNTIL`, which [`Dates`] applies).
    fn within_until(&self, date: NaiveDate) -> bool {
        let Some(Until::Instant(until)) = self.recurrence.rule.until else {
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
            .dates()
            .take_while(|d| self.within_until(*d))
    }
}

impl TryFrom<ScheduleData> for Schedule {
    type Error = Error;

    fn try_from(data: ScheduleData) -> Result<Schedule> {
        data.recurrence.rule.validate()?;
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
            .collect::<Result<Vec<_>>>()?;
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
                    "schedule {:?}: the override of {date} names a date the schedule does not have ({} from {})",
                    data.name, data.recurrence.rule, data.recurrence.start
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
        Ok(Schedule { data, sets })
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
    /// occurrence (ICS UIDs, rotations per occurrence).
    pub index: Option<u32>,
    /// The date the rule gave (before holidays and overrides).
    pub scheduled: NaiveDate,
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
        for note in &self.notes {
            write!(f, " ({note})")?;
        }
        Ok(())
    }
}

/// What happened to a scheduled date: see [`Schedule::explain`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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
            recurrence,
            time,
            zone,
            holidays: Vec::new(),
            policy: HolidayPolicy::default(),
            overrides: Vec::new(),
        })
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

    /// The recurrence.
    pub fn recurrence(&self) -> &Recurrence {
        &self.data.recurrence
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
        WorkDays::new(self.sets.clone())
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
        extra.sort_by_key(|o| std::cmp::Reverse(order(o)));
        Occurrences {
            schedule: self,
            dates: self.data.recurrence.dates(),
            upcoming: None,
            index: 0,
            days: self.work_days(),
            pending: VecDeque::new(),
            reasons: Vec::new(),
            extra,
            last: None,
            rule_done: false,
        }
    }

    /// The position of a scheduled date in the rule, if the rule has it.
    fn index_of(&self, date: NaiveDate) -> Option<u32> {
        self.data
            .dates()
            .take_while(|d| *d <= date)
            .position(|d| d == date)
            .and_then(|i| u32::try_from(i).ok())
    }

    fn moved_by_override(&self, date: NaiveDate) -> bool {
        self.data
            .overrides
            .iter()
            .any(|o| matches!(o, Override::Move { date: d, .. } if *d == date))
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
        let rule_text = format!(
            "{} ({} from {}, at {} {})",
            self.data.name,
            self.data.recurrence.rule,
            self.data.recurrence.start,
            self.data.time.format("%H:%M"),
            self.data.zone
        );
        let index = self
            .data
            .dates()
            .take_while(|d| *d <= date)
            .position(|d| d == date);
        let Some(index) = index else {
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
        let occurrence =
            self.resolve_scheduled(index as u32, date, &mut self.work_days(), &mut reasons);
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
            schedule: self.data.name.clone(),
            index,
            scheduled,
            date,
            local,
            at,
            zone: self.data.zone,
            resolution,
            notes,
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
    dates: Dates<'a>,
    /// The next rule date, fetched but not yet resolved.
    upcoming: Option<NaiveDate>,
    index: u32,
    days: WorkDays,
    /// Resolved occurrences, sorted by [`order`].
    pending: VecDeque<Occurrence>,
    /// Moved and added occurrences, latest first (popped from the end).
    extra: Vec<Occurrence>,
    /// Reused for the reasons of each scheduled date.
    reasons: Vec<String>,
    last: Option<DateTime<Utc>>,
    rule_done: bool,
}

/// Occurrences are ordered by instant, then scheduled date and index, so
/// the order is total and deterministic.
fn order(o: &Occurrence) -> (DateTime<Utc>, NaiveDate, Option<u32>) {
    (o.at, o.scheduled, o.index)
}

impl Iterator for Occurrences<'_> {
    type Item = Occurrence;

    fn next(&mut self) -> Option<Occurrence> {
        loop {
            if self.upcoming.is_none() && !self.rule_done {
                self.upcoming = self
                    .dates
                    .next()
                    .filter(|d| self.schedule.data.within_until(*d));
                self.rule_done = self.upcoming.is_none();
            }
            let heap = self.pending.front();
            let extra = self.extra.last();
            let candidate = match (heap, extra) {
                (Some(h), Some(e)) => Some(if e.at < h.at { e } else { h }),
                (h, e) => h.or(e),
            };
            let safe = match (candidate, self.upcoming) {
                (None, _) => self.rule_done,
                (Some(_), None) => true,
                (Some(c), Some(next)) => {
                    let horizon = next
                        .checked_sub_days(Days::new(MAX_MOVE_DAYS + 1))
                        .unwrap_or(next);
                    c.date < horizon
                }
            };
            if safe {
                let take_extra = match (self.pending.front(), self.extra.last()) {
                    (Some(h), Some(e)) => e.at < h.at,
                    (None, Some(_)) => true,
                    _ => false,
                };
                let next = if take_extra {
                    self.extra.pop()
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
