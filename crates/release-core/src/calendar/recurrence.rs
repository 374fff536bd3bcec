//! Recurrence rules: which dates a schedule falls on.
//!
//! The model is the part of RFC 5545's RRULE that release calendars use:
//! daily, weekly and monthly frequencies with an interval, `BYDAY` (with
//! ordinals for monthly rules: `2TU`, `-1FR`), `BYMONTHDAY`, `BYMONTH`,
//! `BYSETPOS`, `WKST`, `COUNT` and `UNTIL`. Anything else is rejected when
//! the rule is read (see [`rrule`](super::rrule)), never ignored.
//!
//! The start date fixes the phase: "every other Tuesday from 2020-11-17"
//! counts weeks from the week of 2020-11-17, so it never drifts across a
//! month or a year boundary. Dates before the start are never produced, and
//! the start itself only if it matches the rule (as python-dateutil does).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// How often the rule's period repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Frequency {
    /// Every `interval` days.
    Daily,
    /// Every `interval` weeks (weeks start on the rule's `week_start`).
    Weekly,
    /// Every `interval` months.
    Monthly,
}

crate::vocabulary! {
    Frequency, "frequency",
    {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
    }
}

impl Frequency {
    /// The RRULE spelling: `DAILY`, `WEEKLY`, `MONTHLY`.
    pub fn as_rrule(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
        }
    }
}

/// A weekday with an optional ordinal in its month: `TU`, `2TU` (second
/// Tuesday), `-1FR` (last Friday). Serialised in RRULE spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ByDay {
    /// 1 to 5 from the start of the month, -1 to -5 from its end; `None`
    /// for every such weekday in the period.
    pub ordinal: Option<i8>,
    /// The weekday.
    pub weekday: Weekday,
}

impl ByDay {
    /// Every such weekday.
    pub fn every(weekday: Weekday) -> ByDay {
        ByDay {
            ordinal: None,
            weekday,
        }
    }

    /// The `n`th such weekday of the month (negative: from the end).
    pub fn nth(n: i8, weekday: Weekday) -> ByDay {
        ByDay {
            ordinal: Some(n),
            weekday,
        }
    }
}

/// The weekday's RFC 5545 code, the [vocabulary](crate::vocab)'s spelling.
pub(crate) fn weekday_code(day: Weekday) -> &'static str {
    crate::vocab::Vocabulary::as_str(day)
}

/// The weekday of an RFC 5545 code (`MO` .. `SU`), exactly.
pub(crate) fn parse_weekday_code(code: &str) -> Option<Weekday> {
    <Weekday as crate::vocab::Vocabulary>::from_name(code)
}

impl fmt::Display for ByDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(n) = self.ordinal {
            write!(f, "{n}")?;
        }
        f.write_str(weekday_code(self.weekday))
    }
}

impl FromStr for ByDay {
    type Err = Error;

    fn from_str(s: &str) -> Result<ByDay> {
        let bad_day = || {
            Error::parse(format!(
                "invalid weekday {s:?}: expected MO, TU, WE, TH, FR, SA or SU, optionally after an ordinal such as 2 or -1"
            ))
        };
        // The code is the last two bytes; `get` (not `split_at`) because
        // the text may end inside a multi-byte character (found by fuzzing).
        let split = s.len().checked_sub(2).ok_or_else(bad_day)?;
        let (number, code) = (
            s.get(..split).ok_or_else(bad_day)?,
            s.get(split..).ok_or_else(bad_day)?,
        );
        let weekday = parse_weekday_code(code).ok_or_else(bad_day)?;
        let ordinal = match number {
            "" => None,
            n => {
                let n: i8 = n.strip_prefix('+').unwrap_or(n).parse().map_err(|_| {
                    Error::parse(format!(
                        "invalid weekday ordinal in {s:?}: expected 1 to 5 or -1 to -5"
                    ))
                })?;
                if n == 0 || !(-5..=5).contains(&n) {
                    return Err(Error::parse(format!(
                        "invalid weekday ordinal in {s:?}: expected 1 to 5 or -1 to -5"
                    )));
                }
                Some(n)
            }
        };
        Ok(ByDay { ordinal, weekday })
    }
}

impl Serialize for ByDay {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ByDay {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The last date or instant of a rule (`UNTIL`, inclusive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Until {
    /// Up to and including this local date.
    Date(
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
        NaiveDate,
    ),
    /// Up to and including this instant.
    Instant(
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::Instant"))]
        DateTime<Utc>,
    ),
}

/// A recurrence rule (the RRULE part, without `DTSTART`).
///
/// # Example
///
/// ```
/// use release_core::calendar::RecurrenceRule;
///
/// let rule: RecurrenceRule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU".parse()?;
/// assert_eq!(rule.interval, 2);
/// assert_eq!(rule.to_string(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecurrenceRule {
    /// The period.
    pub frequency: Frequency,
    /// Every how many periods (at least 1).
    #[serde(default = "one")]
    pub interval: u32,
    /// Weekdays (with ordinals in monthly rules).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_day: Vec<ByDay>,
    /// Days of the month, 1 to 31 or -1 to -31 from the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_month_day: Vec<i8>,
    /// Months, 1 to 12, that the dates must fall in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_month: Vec<u8>,
    /// Positions within each period's set of dates (1 first, -1 last).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_set_pos: Vec<i16>,
    /// How many dates the rule yields at most.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The last date or instant, inclusive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<Until>,
    /// The first day of a week, for weekly intervals (default Monday).
    #[serde(
        default = "monday",
        skip_serializing_if = "is_monday",
        with = "crate::vocab::weekday"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema_shapes::WeekdayName")
    )]
    pub week_start: Weekday,
}

fn one() -> u32 {
    1
}

fn monday() -> Weekday {
    Weekday::Mon
}

fn is_monday(day: &Weekday) -> bool {
    *day == Weekday::Mon
}

impl RecurrenceRule {
    /// A rule of the given frequency and interval with no other parts.
    pub fn new(frequency: Frequency, interval: u32) -> RecurrenceRule {
        RecurrenceRule {
            frequency,
            interval,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            by_month: Vec::new(),
            by_set_pos: Vec::new(),
            count: None,
            until: None,
            week_start: Weekday::Mon,
        }
    }

    /// Every `interval` weeks on the given weekdays.
    pub fn weekly(interval: u32, days: &[Weekday]) -> RecurrenceRule {
        RecurrenceRule {
            by_day: days.iter().copied().map(ByDay::every).collect(),
            ..RecurrenceRule::new(Frequency::Weekly, interval)
        }
    }

    /// Every `interval` months on the `n`th `weekday` (negative: from the
    /// end, so -1 is the last).
    pub fn monthly_nth(interval: u32, n: i8, weekday: Weekday) -> RecurrenceRule {
        RecurrenceRule {
            by_day: vec![ByDay::nth(n, weekday)],
            ..RecurrenceRule::new(Frequency::Monthly, interval)
        }
    }

    /// Checks the combination of parts, as RFC 5545 restricts them.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the part.
    pub fn validate(&self) -> Result<()> {
        let err = |why: String| {
            Err(Error::config(format!(
                "invalid recurrence rule {self}: {why}"
            )))
        };
        if self.interval == 0 {
            return err("INTERVAL must be at least 1".into());
        }
        if self.count.is_some() && self.until.is_some() {
            return err("COUNT and UNTIL cannot both be given".into());
        }
        if self.count == Some(0) {
            return err("COUNT must be at least 1".into());
        }
        if self.frequency != Frequency::Monthly
            && let Some(d) = self.by_day.iter().find(|d| d.ordinal.is_some())
        {
            return err(format!(
                "BYDAY ordinals such as {d} only apply to MONTHLY rules"
            ));
        }
        if self.frequency == Frequency::Weekly && !self.by_month_day.is_empty() {
            return err("BYMONTHDAY does not apply to WEEKLY rules".into());
        }
        if let Some(d) = self
            .by_month_day
            .iter()
            .find(|d| **d == 0 || !(-31..=31).contains(*d))
        {
            return err(format!("BYMONTHDAY {d} is not in 1 to 31 or -1 to -31"));
        }
        if let Some(m) = self.by_month.iter().find(|m| !(1..=12).contains(*m)) {
            return err(format!("BYMONTH {m} is not in 1 to 12"));
        }
        if let Some(p) = self
            .by_set_pos
            .iter()
            .find(|p| **p == 0 || !(-366..=366).contains(*p))
        {
            return err(format!("BYSETPOS {p} is not in 1 to 366 or -1 to -366"));
        }
        if !self.by_set_pos.is_empty() && self.by_day.is_empty() && self.by_month_day.is_empty() {
            return err("BYSETPOS needs BYDAY or BYMONTHDAY to select from".into());
        }
        Ok(())
    }

    /// Whether `date`'s month passes `BYMONTH`.
    fn month_ok(&self, date: NaiveDate) -> bool {
        self.by_month.is_empty() || self.by_month.contains(&(date.month() as u8))
    }
}

impl fmt::Display for RecurrenceRule {
    /// The RRULE text, parts in a fixed order, so it round-trips.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FREQ={}", self.frequency.as_rrule())?;
        if self.interval != 1 {
            write!(f, ";INTERVAL={}", self.interval)?;
        }
        let list = |items: Vec<String>| items.join(",");
        if !self.by_month.is_empty() {
            write!(
                f,
                ";BYMONTH={}",
                list(self.by_month.iter().map(u8::to_string).collect())
            )?;
        }
        if !self.by_month_day.is_empty() {
            write!(
                f,
                ";BYMONTHDAY={}",
                list(self.by_month_day.iter().map(i8::to_string).collect())
            )?;
        }
        if !self.by_day.is_empty() {
            write!(
                f,
                ";BYDAY={}",
                list(self.by_day.iter().map(ByDay::to_string).collect())
            )?;
        }
        if !self.by_set_pos.is_empty() {
            write!(
                f,
                ";BYSETPOS={}",
                list(self.by_set_pos.iter().map(i16::to_string).collect())
            )?;
        }
        if self.week_start != Weekday::Mon {
            write!(f, ";WKST={}", weekday_code(self.week_start))?;
        }
        if let Some(count) = self.count {
            write!(f, ";COUNT={count}")?;
        }
        match self.until {
            Some(Until::Date(d)) => write!(f, ";UNTIL={}", d.format("%Y%m%d"))?,
            Some(Until::Instant(t)) => write!(f, ";UNTIL={}", t.format("%Y%m%dT%H%M%SZ"))?,
            None => {}
        }
        Ok(())
    }
}

/// A rule anchored at a start date: the dates of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Recurrence {
    /// The first date considered; it fixes the phase of intervals.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
    pub start: NaiveDate,
    /// The rule.
    pub rule: RecurrenceRule,
}

/// Periods in a row without any date before a rule is taken to have no more
/// (a rule such as `BYMONTH=2;BYMONTHDAY=30` has none at all): for a
/// monthly rule, 400 years.
const MAX_EMPTY_PERIODS: u32 = 4_800;

impl Recurrence {
    /// A validated recurrence.
    ///
    /// # Errors
    ///
    /// As [`RecurrenceRule::validate`].
    pub fn new(start: NaiveDate, rule: RecurrenceRule) -> Result<Recurrence> {
        rule.validate()?;
        Ok(Recurrence { start, rule })
    }

    /// The dates of the rule from its start, in order; ends at `COUNT` or a
    /// date `UNTIL`. (An instant `UNTIL` is applied by the schedule, which
    /// knows the time of day and zone.)
    pub fn dates(&self) -> Dates<'_> {
        Dates {
            recurrence: self,
            period: 0,
            buffer: Vec::new(),
            next_in_buffer: 0,
            emitted: 0,
            empty_run: 0,
            done: false,
        }
    }

    /// The dates of period `k` (the `k`th period from the start's), sorted,
    /// `BYSETPOS` applied, into `dates` (cleared first, so the iterator
    /// reuses one buffer); `None` past the representable calendar.
    fn period_dates(&self, k: u32, dates: &mut Vec<NaiveDate>) -> Option<()> {
        let rule = &self.rule;
        let step = u64::from(k) * u64::from(rule.interval);
        dates.clear();
        match rule.frequency {
            Frequency::Daily => {
                let day = self.start.checked_add_days(Days::new(step))?;
                let weekday_ok = rule.by_day.is_empty()
                    || rule.by_day.iter().any(|d| d.weekday == day.weekday());
                let mday_ok =
                    rule.by_month_day.is_empty() || month_day_matches(&rule.by_month_day, day);
                if weekday_ok && mday_ok {
                    dates.push(day);
                }
            }
            Frequency::Weekly => {
                let back = (7 + self.start.weekday().num_days_from_monday()
                    - rule.week_start.num_days_from_monday())
                    % 7;
                let week0 = self.start.checked_sub_days(Days::new(u64::from(back)))?;
                let week = week0.checked_add_days(Days::new(step.checked_mul(7)?))?;
                // Each wanted weekday's day of the week, directly (sorted
                // and deduplicated below).
                let day = |w: Weekday| {
                    let offset =
                        (7 + w.num_days_from_monday() - rule.week_start.num_days_from_monday()) % 7;
                    week.checked_add_days(Days::new(u64::from(offset)))
                };
                if rule.by_day.is_empty() {
                    dates.extend(day(self.start.weekday()));
                } else {
                    dates.extend(rule.by_day.iter().filter_map(|d| day(d.weekday)));
                }
            }
            Frequency::Monthly => {
                let first = self.start.with_day(1)?;
                let month = first.checked_add_months(Months::new(u32::try_from(step).ok()?))?;
                dates.extend(month_dates(rule, month, self.start.day()));
            }
        }
        dates.retain(|d| rule.month_ok(*d));
        dates.sort_unstable();
        dates.dedup();
        if !rule.by_set_pos.is_empty() {
            let n = dates.len() as i64;
            let mut picked: Vec<NaiveDate> = rule
                .by_set_pos
                .iter()
                .filter_map(|p| {
                    let p = i64::from(*p);
                    let index = if p > 0 { p - 1 } else { n + p };
                    (0..n).contains(&index).then(|| dates[index as usize])
                })
                .collect();
            picked.sort_unstable();
            picked.dedup();
            *dates = picked;
        }
        Some(())
    }
}

/// Whether `day` is one of the month days (negative: from the end).
fn month_day_matches(days: &[i8], day: NaiveDate) -> bool {
    let len = days_in_month(day);
    days.iter()
        .any(|d| resolve_month_day(*d, len) == Some(day.day()))
}

fn resolve_month_day(d: i8, len: u32) -> Option<u32> {
    let d = i32::from(d);
    let day = if d > 0 { d } else { len as i32 + 1 + d };
    (1..=len as i32).contains(&day).then_some(day as u32)
}

fn days_in_month(date: NaiveDate) -> u32 {
    let first = date.with_day(1).unwrap_or(date);
    first
        .checked_add_months(Months::new(1))
        .and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day())
}

/// The candidate dates of one month of a monthly rule.
fn month_dates(rule: &RecurrenceRule, first: NaiveDate, start_day: u32) -> Vec<NaiveDate> {
    let len = days_in_month(first);
    let all = (0..len).filter_map(|i| first.checked_add_days(Days::new(u64::from(i))));
    if !rule.by_day.is_empty() {
        let mut out = Vec::new();
        for by in &rule.by_day {
            let matching: Vec<NaiveDate> =
                all.clone().filter(|d| d.weekday() == by.weekday).collect();
            match by.ordinal {
                None => out.extend(matching),
                Some(n) if n > 0 => out.extend(matching.get(n as usize - 1)),
                Some(n) => out.extend(
                    matching
                        .len()
                        .checked_sub(n.unsigned_abs() as usize)
                        .map(|i| matching[i]),
                ),
            }
        }
        if !rule.by_month_day.is_empty() {
            out.retain(|d| month_day_matches(&rule.by_month_day, *d));
        }
        return out;
    }
    if !rule.by_month_day.is_empty() {
        return rule
            .by_month_day
            .iter()
            .filter_map(|d| resolve_month_day(*d, len))
            .filter_map(|day| first.with_day(day))
            .collect();
    }
    // No BY part: the start's day of the month, skipped in months without
    // it (RFC 5545: invalid dates are ignored, not clamped).
    first.with_day(start_day).into_iter().collect()
}

/// The iterator of [`Recurrence::dates`].
#[derive(Debug, Clone)]
pub struct Dates<'a> {
    recurrence: &'a Recurrence,
    period: u32,
    buffer: Vec<NaiveDate>,
    next_in_buffer: usize,
    emitted: u32,
    empty_run: u32,
    done: bool,
}

impl Iterator for Dates<'_> {
    type Item = NaiveDate;

    fn next(&mut self) -> Option<NaiveDate> {
        let rule = &self.recurrence.rule;
        loop {
            if self.done {
                return None;
            }
            if let Some(date) = self.buffer.get(self.next_in_buffer).copied() {
                self.next_in_buffer += 1;
                if date < self.recurrence.start {
                    continue;
                }
                if let Some(Until::Date(until)) = rule.until
                    && date > until
                {
                    self.done = true;
                    return None;
                }
                self.emitted += 1;
                if rule.count.is_some_and(|c| self.emitted >= c) {
                    self.done = true;
                }
                return Some(date);
            }
            let found = self.recurrence.period_dates(self.period, &mut self.buffer);
            self.next_in_buffer = 0;
            if found.is_none() {
                self.done = true;
                return None;
            }
            self.period = match self.period.checked_add(1) {
                Some(p) => p,
                None => {
                    self.done = true;
                    return None;
                }
            };
            if self.buffer.is_empty() {
                self.empty_run += 1;
                if self.empty_run > MAX_EMPTY_PERIODS {
                    self.done = true;
                }
            } else {
                self.empty_run = 0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn first(rec: &Recurrence, n: usize) -> Vec<String> {
        rec.dates().take(n).map(|d| d.to_string()).collect()
    }

    #[test]
    fn weekday_codes_are_read_safely() {
        assert_eq!(
            "-1FR".parse::<ByDay>().unwrap(),
            ByDay::nth(-1, Weekday::Fri)
        );
        for bad in ["", "M", "XX", "0MO", "6TU", "\u{34a}", ")``\u{34a}"] {
            assert!(bad.parse::<ByDay>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_other_tuesday_keeps_its_phase() {
        let rec =
            Recurrence::new(d("2020-11-17"), RecurrenceRule::weekly(2, &[Weekday::Tue])).unwrap();
        assert_eq!(
            first(&rec, 4),
            ["2020-11-17", "2020-12-01", "2020-12-15", "2020-12-29"]
        );
        let later: Vec<NaiveDate> = rec
            .dates()
            .skip_while(|x| *x < d("2020-12-02"))
            .take(1)
            .collect();
        assert_eq!(later, [d("2020-12-15")]);
        // Across a year boundary the phase holds.
        assert!(rec.dates().any(|x| x == d("2021-01-12")));
    }

    #[test]
    fn monthly_nth_and_last() {
        let rec = Recurrence::new(
            d("2024-01-01"),
            RecurrenceRule::monthly_nth(1, -1, Weekday::Fri),
        )
        .unwrap();
        assert_eq!(first(&rec, 3), ["2024-01-26", "2024-02-23", "2024-03-29"]);
        let second_tue = Recurrence::new(
            d("2024-01-01"),
            RecurrenceRule::monthly_nth(1, 2, Weekday::Tue),
        )
        .unwrap();
        assert_eq!(first(&second_tue, 2), ["2024-01-09", "2024-02-13"]);
    }

    #[test]
    fn last_workday_by_setpos() {
        let mut rule = RecurrenceRule::new(Frequency::Monthly, 1);
        rule.by_day = [
            Weekday::Mon,
            Weekday::Tue,
            Weekday::Wed,
            Weekday::Thu,
            Weekday::Fri,
        ]
        .into_iter()
        .map(ByDay::every)
        .collect();
        rule.by_set_pos = vec![-1];
        let rec = Recurrence::new(d("2024-01-01"), rule).unwrap();
        assert_eq!(first(&rec, 3), ["2024-01-31", "2024-02-29", "2024-03-29"]);
    }

    #[test]
    fn impossible_rules_end() {
        let mut rule = RecurrenceRule::new(Frequency::Monthly, 1);
        rule.by_month = vec![2];
        rule.by_month_day = vec![30];
        let rec = Recurrence::new(d("2024-01-01"), rule).unwrap();
        assert_eq!(rec.dates().next(), None);
    }

    #[test]
    fn count_and_until() {
        let mut rule = RecurrenceRule::weekly(1, &[Weekday::Mon]);
        rule.count = Some(2);
        let rec = Recurrence::new(d("2024-01-01"), rule.clone()).unwrap();
        assert_eq!(first(&rec, 10), ["2024-01-01", "2024-01-08"]);
        rule.count = None;
        rule.until = Some(Until::Date(d("2024-01-15")));
        let rec = Recurrence::new(d("2024-01-01"), rule).unwrap();
        assert_eq!(first(&rec, 10), ["2024-01-01", "2024-01-08", "2024-01-15"]);
    }

    #[test]
    fn skips_the_31st_in_short_months() {
        let rec =
            Recurrence::new(d("2024-01-31"), RecurrenceRule::new(Frequency::Monthly, 1)).unwrap();
        assert_eq!(first(&rec, 3), ["2024-01-31", "2024-03-31", "2024-05-31"]);
    }
}
