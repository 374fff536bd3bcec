//! Recurrence rules: which dates a schedule falls on.
//!
//! The model is the part of RFC 5545's RRULE (section 3.3.10) that release
//! calendars use: daily, weekly, monthly and yearly frequencies with an
//! interval, `BYMONTH`, `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY`, `BYDAY`
//! (with ordinals in monthly and yearly rules: `2TU`, `-1FR`, `20MO`),
//! `BYSETPOS`, `WKST`, `COUNT` and `UNTIL`. Anything else (`BYHOUR`,
//! `BYMINUTE`, `BYSECOND`, `FREQ=HOURLY` and finer) is rejected when the
//! rule is read (see [`rrule`](super::rrule)), by name and with the nearest
//! supported spelling, never ignored.
//!
//! How the parts combine (RFC 5545's expand/limit table, the default day,
//! `WKST` and `BYWEEKNO`) is documented on [`RecurrenceRule`].
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
    /// Every `interval` years.
    Yearly,
}

crate::vocabulary! {
    Frequency, "frequency",
    {
        Daily => "daily",
        Weekly => "weekly",
        Monthly => "monthly",
        Yearly => "yearly",
    }
}

impl Frequency {
    /// The RRULE spelling: `DAILY`, `WEEKLY`, `MONTHLY`, `YEARLY`.
    pub fn as_rrule(self) -> &'static str {
        match self {
            Frequency::Daily => "DAILY",
            Frequency::Weekly => "WEEKLY",
            Frequency::Monthly => "MONTHLY",
            Frequency::Yearly => "YEARLY",
        }
    }
}

/// A weekday with an optional ordinal in its month or year: `TU`, `2TU`
/// (second Tuesday), `-1FR` (last Friday), `20MO` (in a yearly rule
/// without `BYMONTH`, the 20th Monday of the year). Serialised in RRULE
/// spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ByDay {
    /// From the start of the month (1 to 5) or of the year (1 to 53, in
    /// yearly rules without `BYMONTH`), negative from its end; `None` for
    /// every such weekday in the period.
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

    /// The `n`th such weekday of the month or year (negative: from the
    /// end).
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
                let bad_ordinal = || {
                    Error::parse(format!(
                        "invalid weekday ordinal in {s:?}: expected 1 to 53 or -1 to -53 (1 to 5 or -1 to -5 in a month)"
                    ))
                };
                let n: i8 = n
                    .strip_prefix('+')
                    .unwrap_or(n)
                    .parse()
                    .map_err(|_| bad_ordinal())?;
                if n == 0 || !(-53..=53).contains(&n) {
                    return Err(bad_ordinal());
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
/// # Which part applies where (RFC 5545's expand/limit table)
///
/// | Part | `DAILY` | `WEEKLY` | `MONTHLY` | `YEARLY` |
/// |---|---|---|---|---|
/// | `BYMONTH` | limit | limit | limit | expand |
/// | `BYWEEKNO` | refused | refused | refused | expand |
/// | `BYYEARDAY` | refused | refused | refused | expand |
/// | `BYMONTHDAY` | limit | refused | expand | expand |
/// | `BYDAY` | limit | expand | expand (note 1) | expand (note 2) |
/// | `BYSETPOS` | limit | limit | limit | limit |
///
/// "Expand" parts together make the period's candidate days and are
/// intersected (a day is in the set when it passes every given part);
/// "limit" parts filter the period's days. The notes:
///
/// 1. In a monthly rule `BYDAY` only limits when `BYMONTHDAY` is given;
///    its ordinals (`2TU`, `-1FR`: 1 to 5, -1 to -5) count in the month.
/// 2. In a yearly rule `BYDAY` limits when `BYYEARDAY` or `BYMONTHDAY` is
///    given; with `BYWEEKNO` it means those weekdays of the weeks, and
///    ordinals are refused (RFC 5545 forbids them there); with `BYMONTH`
///    its ordinals count in each month (1 to 5, -1 to -5); otherwise in
///    the year (`20MO`, the 20th Monday; `-1FR`, the last Friday: 1 to 53,
///    -1 to -53).
///
/// When no part gives the day (no `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY` or
/// `BYDAY`), a monthly rule takes the start's day of the month, and a
/// yearly one the start's day in the start's month (or in each `BYMONTH`
/// month). Days that do not exist are skipped, never clamped: a yearly
/// rule from February 29 falls only in leap years, a monthly one from the
/// 31st only in long months.
///
/// # Weeks: `WKST` and `BYWEEKNO`
///
/// `WKST` (the rule's `week_start`, Monday by default) matters in two
/// places: a weekly rule's periods are weeks starting on it (so
/// `INTERVAL=2;BYDAY=TU,SU` depends on it), and `BYWEEKNO` numbers weeks
/// starting on it. Week 1 of a year is the first week with at least four
/// days in that year (with Monday, ISO 8601's weeks); a year has 52 or 53
/// weeks, and `BYWEEKNO=-1` is its last. A yearly rule's period is still
/// the calendar year: its set holds the days of the year whose week has a
/// wanted number (in the year the week belongs to), so
/// `BYWEEKNO=1;BYDAY=MO` can fall on December 29 to 31 of the year before
/// week 1's own year. Elsewhere `WKST` has no effect. (python-dateutil
/// differs here: it calls the January days of a 52-week year's last week
/// week 53, and never matches a negative number against the next year's
/// week 1; these are RFC 5545's and ISO 8601's answers.)
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
    /// Weekdays (with ordinals in monthly and yearly rules).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_day: Vec<ByDay>,
    /// Days of the year, 1 to 366 or -1 to -366 from its end (yearly
    /// rules only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_year_day: Vec<i16>,
    /// Weeks of the year, 1 to 53 or -1 to -53 from its end, starting on
    /// `week_start`; week 1 is the first with at least four days in the
    /// year (yearly rules only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_week_no: Vec<i8>,
    /// Days of the month, 1 to 31 or -1 to -31 from the end.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub by_month_day: Vec<i8>,
    /// Months, 1 to 12, that the dates fall in.
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
    /// The first day of a week (`WKST`, default Monday): the start of a
    /// weekly rule's periods and of `BYWEEKNO`'s weeks.
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
            by_year_day: Vec::new(),
            by_week_no: Vec::new(),
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

    /// Every `interval` years on the `n`th `weekday` of `month` (1 to 12;
    /// `n` negative: from the end): `yearly_nth(1, 10, 1, Weekday::Mon)`
    /// is the first Monday of October (`FREQ=YEARLY;BYMONTH=10;BYDAY=1MO`).
    pub fn yearly_nth(interval: u32, month: u8, n: i8, weekday: Weekday) -> RecurrenceRule {
        RecurrenceRule {
            by_month: vec![month],
            by_day: vec![ByDay::nth(n, weekday)],
            ..RecurrenceRule::new(Frequency::Yearly, interval)
        }
    }

    /// Every `interval` years on `day` (negative: from the end) of `month`:
    /// `yearly_on(1, 12, 24)` is `FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24`.
    pub fn yearly_on(interval: u32, month: u8, day: i8) -> RecurrenceRule {
        RecurrenceRule {
            by_month: vec![month],
            by_month_day: vec![day],
            ..RecurrenceRule::new(Frequency::Yearly, interval)
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
        let yearly = self.frequency == Frequency::Yearly;
        let freq = self.frequency.as_rrule();
        if let Some(d) = self.by_day.iter().find(|d| d.ordinal.is_some()) {
            let n = d.ordinal.unwrap_or(1);
            match self.frequency {
                Frequency::Daily | Frequency::Weekly => {
                    return err(format!(
                        "BYDAY ordinals such as {d} only apply to MONTHLY and YEARLY rules (FREQ={freq}: use {}, or FREQ=MONTHLY;BYDAY={d})",
                        weekday_code(d.weekday)
                    ));
                }
                Frequency::Yearly if !self.by_week_no.is_empty() => {
                    return err(format!(
                        "BYDAY ordinals such as {d} cannot be used with BYWEEKNO (RFC 5545); use {} with BYWEEKNO, or BYSETPOS",
                        weekday_code(d.weekday)
                    ));
                }
                Frequency::Yearly if self.by_month.is_empty() => {}
                _ if !(-5..=5).contains(&n) => {
                    return err(format!(
                        "BYDAY {d} counts in the month ({}), so its ordinal must be 1 to 5 or -1 to -5",
                        if yearly {
                            "with BYMONTH"
                        } else {
                            "FREQ=MONTHLY"
                        }
                    ));
                }
                _ => {}
            }
        }
        if self.frequency == Frequency::Weekly && !self.by_month_day.is_empty() {
            return err("BYMONTHDAY does not apply to WEEKLY rules".into());
        }
        if !yearly && !self.by_year_day.is_empty() {
            return err(format!(
                "BYYEARDAY does not apply to {freq} rules (RFC 5545: not with DAILY, WEEKLY or MONTHLY); use FREQ=YEARLY"
            ));
        }
        if !yearly && !self.by_week_no.is_empty() {
            return err(format!(
                "BYWEEKNO only applies to YEARLY rules (RFC 5545), not {freq}; use FREQ=YEARLY"
            ));
        }
        if let Some(d) = self
            .by_year_day
            .iter()
            .find(|d| **d == 0 || !(-366..=366).contains(*d))
        {
            return err(format!("BYYEARDAY {d} is not in 1 to 366 or -1 to -366"));
        }
        if let Some(w) = self
            .by_week_no
            .iter()
            .find(|w| **w == 0 || !(-53..=53).contains(*w))
        {
            return err(format!("BYWEEKNO {w} is not in 1 to 53 or -1 to -53"));
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
        let selects = !self.by_day.is_empty()
            || !self.by_month_day.is_empty()
            || !self.by_year_day.is_empty()
            || !self.by_week_no.is_empty()
            || (yearly && !self.by_month.is_empty());
        if !self.by_set_pos.is_empty() && !selects {
            return err(if yearly {
                "BYSETPOS needs BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY or BYDAY to select from"
                    .into()
            } else {
                "BYSETPOS needs BYDAY or BYMONTHDAY to select from".into()
            });
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
        if !self.by_week_no.is_empty() {
            write!(
                f,
                ";BYWEEKNO={}",
                list(self.by_week_no.iter().map(i8::to_string).collect())
            )?;
        }
        if !self.by_year_day.is_empty() {
            write!(
                f,
                ";BYYEARDAY={}",
                list(self.by_year_day.iter().map(i16::to_string).collect())
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
/// monthly rule, 400 years. The Gregorian calendar, weekdays included,
/// repeats every 400 years (146,097 days, a whole number of weeks), so a
/// monthly rule with any date has one within 4,800 periods, and a yearly
/// rule within [`MAX_EMPTY_YEARS`].
const MAX_EMPTY_PERIODS: u32 = 4_800;

/// [`MAX_EMPTY_PERIODS`] for yearly rules: 400 periods (at least 400
/// years), checked a year at a time.
const MAX_EMPTY_YEARS: u32 = 400;

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
                // Day numbers, converted to a date once per date: the
                // three date additions this took showed in profiles of
                // decade-long expansions.
                let back = (7 + self.start.weekday().num_days_from_monday()
                    - rule.week_start.num_days_from_monday())
                    % 7;
                let week = i64::from(self.start.num_days_from_ce()) - i64::from(back)
                    + i64::try_from(step.checked_mul(7)?).ok()?;
                // Past the representable calendar: the end.
                let calendar =
                    NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce();
                if !calendar.contains(&i32::try_from(week).ok()?) {
                    return None;
                }
                let day = |w: Weekday| {
                    let offset =
                        (7 + w.num_days_from_monday() - rule.week_start.num_days_from_monday()) % 7;
                    let n = i32::try_from(week + i64::from(offset)).ok()?;
                    NaiveDate::from_num_days_from_ce_opt(n)
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
            Frequency::Yearly => {
                let year = i32::try_from(step)
                    .ok()
                    .and_then(|s| self.start.year().checked_add(s))?;
                year_dates(rule, year, self.start, dates)?;
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

/// The candidate dates of year `year` of a yearly rule, in order, pushed
/// onto `dates`; `None` past the representable calendar.
///
/// Every day of the year is tested against the given parts (each of
/// `BYMONTH`, `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY`, `BYDAY` expands to a
/// set of days, and the set is their intersection); with none giving the
/// day, the start's day of the month in the start's month or each `BYMONTH`
/// month, skipped where it does not exist.
fn year_dates(
    rule: &RecurrenceRule,
    year: i32,
    start: NaiveDate,
    dates: &mut Vec<NaiveDate>,
) -> Option<()> {
    let day_given = !rule.by_week_no.is_empty()
        || !rule.by_year_day.is_empty()
        || !rule.by_month_day.is_empty()
        || !rule.by_day.is_empty();
    if !day_given {
        if rule.by_month.is_empty() {
            dates.extend(NaiveDate::from_ymd_opt(year, start.month(), start.day()));
        } else {
            let mut months = rule.by_month.clone();
            months.sort_unstable();
            months.dedup();
            dates.extend(
                months
                    .iter()
                    .filter_map(|m| NaiveDate::from_ymd_opt(year, u32::from(*m), start.day())),
            );
        }
        return Some(());
    }
    let first = NaiveDate::from_ymd_opt(year, 1, 1)?;
    let len: i32 = if first.leap_year() { 366 } else { 365 };
    let weeks = (!rule.by_week_no.is_empty()).then(|| WeekNumbering::new(rule.week_start));
    for (i, day) in (0..len).zip(first.iter_days()) {
        if !rule.month_ok(day) {
            continue;
        }
        if !rule.by_year_day.is_empty() {
            let n = i + 1;
            let from_end = n - len - 1;
            if !rule
                .by_year_day
                .iter()
                .any(|d| i32::from(*d) == n || i32::from(*d) == from_end)
            {
                continue;
            }
        }
        if !rule.by_month_day.is_empty() && !month_day_matches(&rule.by_month_day, day) {
            continue;
        }
        if let Some(weeks) = &weeks {
            let (number, in_year) = weeks.week_of(day);
            let from_end = i32::from(number) - i32::from(in_year) - 1;
            if !rule
                .by_week_no
                .iter()
                .any(|w| *w == number as i8 || i32::from(*w) == from_end)
            {
                continue;
            }
        }
        if !rule.by_day.is_empty() && !rule.by_day.iter().any(|b| by_day_in_year(rule, *b, day)) {
            continue;
        }
        dates.push(day);
    }
    Some(())
}

/// Whether `day` is `by`'s weekday and, with an ordinal, its `n`th in the
/// month (with `BYMONTH`) or in the year (without).
fn by_day_in_year(rule: &RecurrenceRule, by: ByDay, day: NaiveDate) -> bool {
    if day.weekday() != by.weekday {
        return false;
    }
    let Some(n) = by.ordinal else {
        return true;
    };
    let (index, total) = if rule.by_month.is_empty() {
        (day.ordinal0(), if day.leap_year() { 366 } else { 365 })
    } else {
        (day.day0(), days_in_month(day))
    };
    let forward = index / 7 + 1;
    let backward = (total - 1 - index) / 7 + 1;
    if n > 0 {
        u32::from(n.unsigned_abs()) == forward
    } else {
        u32::from(n.unsigned_abs()) == backward
    }
}

/// Week numbers with weeks starting on a given weekday: week 1 of a year is
/// the first such week with at least four days in the year.
struct WeekNumbering {
    week_start: Weekday,
}

impl WeekNumbering {
    fn new(week_start: Weekday) -> WeekNumbering {
        WeekNumbering { week_start }
    }

    /// Days from the week start to `w` (0 to 6).
    fn offset(&self, w: Weekday) -> i32 {
        (7 + w.num_days_from_monday() as i32 - self.week_start.num_days_from_monday() as i32) % 7
    }

    /// The day of the year (0-based, may be negative: in the year before)
    /// on which week 1 of `year` starts.
    fn week1_start(&self, year: i32) -> Option<i32> {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1)?;
        let back = self.offset(jan1.weekday());
        // The week holding January 1 has 7 - back days in the year; it is
        // week 1 when that is at least four.
        Some(if 7 - back >= 4 { -back } else { 7 - back })
    }

    fn weeks_in(&self, year: i32) -> Option<u8> {
        let this = self.week1_start(year)?;
        let len = if NaiveDate::from_ymd_opt(year, 1, 1)?.leap_year() {
            366
        } else {
            365
        };
        let next = self.week1_start(year + 1)? + len;
        Some(((next - this) / 7) as u8)
    }

    /// `day`'s week number and the number of weeks in the year its week
    /// belongs to (the year before or after at the ends of the year).
    fn week_of(&self, day: NaiveDate) -> (u8, u8) {
        let year = day.year();
        let ordinal = day.ordinal0() as i32;
        let (Some(this), Some(next)) = (self.week1_start(year), self.week1_start(year + 1)) else {
            return (0, 0);
        };
        let len = if day.leap_year() { 366 } else { 365 };
        if ordinal >= next + len {
            return (1, self.weeks_in(year + 1).unwrap_or(0));
        }
        if ordinal < this {
            let Some(weeks) = self.weeks_in(year - 1) else {
                return (0, 0);
            };
            return (weeks, weeks);
        }
        (
            ((ordinal - this) / 7 + 1) as u8,
            self.weeks_in(year).unwrap_or(0),
        )
    }
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
                let limit = match rule.frequency {
                    Frequency::Yearly => MAX_EMPTY_YEARS,
                    _ => MAX_EMPTY_PERIODS,
                };
                if self.empty_run > limit {
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
        assert_eq!(
            "20MO".parse::<ByDay>().unwrap(),
            ByDay::nth(20, Weekday::Mon)
        );
        for bad in [
            "",
            "M",
            "XX",
            "0MO",
            "54TU",
            "-54TU",
            "\u{34a}",
            ")``\u{34a}",
        ] {
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

    fn yearly(text: &str, start: &str, n: usize) -> Vec<String> {
        let rule: RecurrenceRule = text.parse().unwrap();
        first(&Recurrence::new(d(start), rule).unwrap(), n)
    }

    #[test]
    fn us_thanksgiving_is_the_fourth_thursday_of_november() {
        assert_eq!(
            yearly("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "2024-01-01", 5),
            [
                "2024-11-28",
                "2025-11-27",
                "2026-11-26",
                "2027-11-25",
                "2028-11-23"
            ]
        );
    }

    #[test]
    fn first_tuesday_of_october_and_the_constructors() {
        let rule = RecurrenceRule::yearly_nth(1, 10, 1, Weekday::Tue);
        assert_eq!(rule.to_string(), "FREQ=YEARLY;BYMONTH=10;BYDAY=1TU");
        let rec = Recurrence::new(d("2024-01-01"), rule).unwrap();
        assert_eq!(first(&rec, 3), ["2024-10-01", "2025-10-07", "2026-10-06"]);
        let rule = RecurrenceRule::yearly_on(1, 12, 24);
        assert_eq!(rule.to_string(), "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24");
        let rec = Recurrence::new(d("2024-12-25"), rule).unwrap();
        assert_eq!(first(&rec, 2), ["2025-12-24", "2026-12-24"]);
    }

    #[test]
    fn year_days_from_either_end() {
        assert_eq!(
            yearly("FREQ=YEARLY;BYYEARDAY=-1", "2024-01-01", 3),
            ["2024-12-31", "2025-12-31", "2026-12-31"]
        );
        // Day 60 is February 29 in leap years, March 1 otherwise.
        assert_eq!(
            yearly("FREQ=YEARLY;BYYEARDAY=60", "2023-01-01", 3),
            ["2023-03-01", "2024-02-29", "2025-03-01"]
        );
        // Day 366 exists only in leap years.
        assert_eq!(
            yearly("FREQ=YEARLY;BYYEARDAY=366", "2023-01-01", 2),
            ["2024-12-31", "2028-12-31"]
        );
    }

    #[test]
    fn week_numbers_follow_wkst() {
        assert_eq!(
            yearly("FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", "2024-01-01", 5),
            [
                "2024-05-13",
                "2025-05-12",
                "2026-05-11",
                "2027-05-17",
                "2028-05-15"
            ]
        );
        // ISO week 1 of 2025 starts on Monday 2024-12-30.
        assert_eq!(
            yearly("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO", "2024-01-01", 5),
            [
                "2024-01-01",
                "2024-12-30",
                "2025-12-29",
                "2027-01-04",
                "2028-01-03"
            ]
        );
        // With Sunday weeks, 2026 starts on a Thursday whose week has three
        // days in 2026: week 1 is January 4 to 10.
        assert_eq!(
            yearly("FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;WKST=SU", "2024-01-01", 5),
            [
                "2024-01-01",
                "2024-12-30",
                "2026-01-05",
                "2027-01-04",
                "2028-01-03"
            ]
        );
        assert_eq!(
            yearly("FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU", "2024-01-01", 5),
            [
                "2024-12-29",
                "2025-12-28",
                "2027-01-03",
                "2028-01-02",
                "2028-12-31"
            ]
        );
        // 2026 has 53 ISO weeks, 2025 52.
        assert_eq!(
            yearly("FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH", "2024-01-01", 2),
            ["2026-12-31", "2032-12-30"]
        );
        // Without BYDAY, every day of the week.
        assert_eq!(
            yearly("FREQ=YEARLY;BYWEEKNO=2", "2024-01-01", 8)[7],
            "2025-01-06"
        );
    }

    #[test]
    fn weekday_ordinals_count_in_the_year_without_bymonth() {
        assert_eq!(
            yearly("FREQ=YEARLY;BYDAY=20MO", "2024-01-01", 3),
            ["2024-05-13", "2025-05-19", "2026-05-18"]
        );
        assert_eq!(
            yearly("FREQ=YEARLY;BYDAY=-1FR", "2024-01-01", 4),
            ["2024-12-27", "2025-12-26", "2026-12-25", "2027-12-31"]
        );
        assert_eq!(
            yearly("FREQ=YEARLY;BYDAY=53FR", "2020-01-01", 2),
            ["2021-12-31", "2027-12-31"]
        );
    }

    #[test]
    fn setpos_over_the_years_set() {
        assert_eq!(
            yearly(
                "FREQ=YEARLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
                "2024-01-01",
                5
            ),
            [
                "2024-12-31",
                "2025-12-31",
                "2026-12-31",
                "2027-12-31",
                "2028-12-29"
            ]
        );
        assert_eq!(
            yearly(
                "FREQ=YEARLY;BYMONTH=3,6,9;BYMONTHDAY=1;BYSETPOS=2",
                "2024-01-01",
                2
            ),
            ["2024-06-01", "2025-06-01"]
        );
    }

    #[test]
    fn february_29_falls_only_in_leap_years() {
        assert_eq!(
            yearly("FREQ=YEARLY", "2024-02-29", 3),
            ["2024-02-29", "2028-02-29", "2032-02-29"]
        );
        // 2100 is not a leap year; 2096 and 2104 are.
        let dates = yearly("FREQ=YEARLY;INTERVAL=4", "2096-02-29", 2);
        assert_eq!(dates, ["2096-02-29", "2104-02-29"]);
        // The start's day in each BYMONTH month, skipped where it is not.
        assert_eq!(
            yearly("FREQ=YEARLY;BYMONTH=3,9", "2024-01-31", 2),
            ["2024-03-31", "2025-03-31"]
        );
    }

    #[test]
    fn yearly_count_until_and_interval_phase() {
        assert_eq!(
            yearly("FREQ=YEARLY;COUNT=3", "2024-07-04", 10),
            ["2024-07-04", "2025-07-04", "2026-07-04"]
        );
        assert_eq!(
            yearly("FREQ=YEARLY;UNTIL=20260704", "2024-07-04", 10),
            ["2024-07-04", "2025-07-04", "2026-07-04"]
        );
        assert_eq!(
            yearly("FREQ=YEARLY;UNTIL=20260703", "2024-07-04", 10),
            ["2024-07-04", "2025-07-04"]
        );
        // INTERVAL=2 counts from the start's year, even when the start's
        // own date is not one of the rule's.
        assert_eq!(
            yearly("FREQ=YEARLY;INTERVAL=2", "2023-06-15", 3),
            ["2023-06-15", "2025-06-15", "2027-06-15"]
        );
        assert_eq!(
            yearly(
                "FREQ=YEARLY;INTERVAL=2;BYMONTH=1;BYMONTHDAY=1",
                "2023-06-15",
                3
            ),
            ["2025-01-01", "2027-01-01", "2029-01-01"]
        );
        assert_eq!(
            yearly(
                "FREQ=YEARLY;INTERVAL=3;BYMONTH=11;BYDAY=4TH;COUNT=2",
                "2024-12-01",
                5
            ),
            ["2027-11-25", "2030-11-28"]
        );
    }

    #[test]
    fn impossible_yearly_rules_end_within_400_years() {
        for text in [
            "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
            "FREQ=YEARLY;BYMONTH=4;BYYEARDAY=1",
            "FREQ=YEARLY;BYWEEKNO=1;BYMONTH=6",
            "FREQ=YEARLY;INTERVAL=100;BYYEARDAY=366",
        ] {
            let rule: RecurrenceRule = text.parse().unwrap();
            let rec = Recurrence::new(d("2001-01-01"), rule).unwrap();
            let mut dates = rec.dates();
            assert_eq!(dates.next(), None, "{text}");
            assert!(
                dates.period <= MAX_EMPTY_YEARS + 1,
                "{text}: {}",
                dates.period
            );
        }
        // A rule whose dates are centuries apart still finds them: day 366
        // of every hundredth year from 2001 (2001, 2101, ...) never comes,
        // but from 2000 it does (2000, 2400).
        let rule: RecurrenceRule = "FREQ=YEARLY;INTERVAL=100;BYYEARDAY=366".parse().unwrap();
        let rec = Recurrence::new(d("2000-01-01"), rule).unwrap();
        assert_eq!(first(&rec, 2), ["2000-12-31", "2400-12-31"]);
    }

    #[test]
    fn new_fields_serialise_only_when_given() {
        let rule: RecurrenceRule = "FREQ=YEARLY;BYWEEKNO=20,-1;BYYEARDAY=-1;BYDAY=MO;WKST=SU"
            .parse()
            .unwrap();
        let json = serde_json::to_string(&rule).unwrap();
        assert_eq!(
            json,
            r#"{"frequency":"yearly","interval":1,"by_day":["MO"],"by_year_day":[-1],"by_week_no":[20,-1],"week_start":"SU"}"#
        );
        assert_eq!(serde_json::from_str::<RecurrenceRule>(&json).unwrap(), rule);
        let monthly = serde_json::to_string(&RecurrenceRule::new(Frequency::Monthly, 1)).unwrap();
        assert_eq!(monthly, r#"{"frequency":"monthly","interval":1}"#);
    }

    #[test]
    fn forbidden_combinations_are_named() {
        for (text, says) in [
            (
                "FREQ=MONTHLY;BYYEARDAY=1",
                "BYYEARDAY does not apply to MONTHLY",
            ),
            (
                "FREQ=DAILY;BYYEARDAY=1",
                "BYYEARDAY does not apply to DAILY",
            ),
            ("FREQ=WEEKLY;BYWEEKNO=1", "BYWEEKNO only applies to YEARLY"),
            ("FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO only applies to YEARLY"),
            (
                "FREQ=YEARLY;BYWEEKNO=1;BYDAY=1MO",
                "cannot be used with BYWEEKNO",
            ),
            (
                "FREQ=YEARLY;BYMONTH=1;BYDAY=6MO",
                "its ordinal must be 1 to 5",
            ),
            ("FREQ=MONTHLY;BYDAY=20MO", "its ordinal must be 1 to 5"),
            ("FREQ=WEEKLY;BYDAY=2TU", "only apply to MONTHLY and YEARLY"),
            ("FREQ=YEARLY;BYYEARDAY=0", "BYYEARDAY 0 is not in 1 to 366"),
            (
                "FREQ=YEARLY;BYYEARDAY=367",
                "BYYEARDAY 367 is not in 1 to 366",
            ),
            ("FREQ=YEARLY;BYWEEKNO=54", "BYWEEKNO 54 is not in 1 to 53"),
            ("FREQ=YEARLY;BYSETPOS=1", "BYSETPOS needs BYMONTH, BYWEEKNO"),
        ] {
            let err = text.parse::<RecurrenceRule>().unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
        // Allowed: BYSETPOS over the BYMONTH months' start days.
        assert!(
            "FREQ=YEARLY;BYMONTH=1,2;BYSETPOS=1"
                .parse::<RecurrenceRule>()
                .is_ok()
        );
    }
}
