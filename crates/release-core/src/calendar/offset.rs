//! Offsets: how far a date lies from another, as release processes say it.
//! "Two working days before", "five months before", "the second Tuesday of
//! the month before", "the next April 30 after", chained, or a fixed date.
//!
//! One type for every dated thing placed relative to another: milestones
//! around a schedule's occurrences, a step's start and deadline, a release
//! line's support phases.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, Duration, Months, NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize};

use super::recurrence::{ByDay, weekday_code};
use super::workdays::WorkDays;
use super::zone::Zone;
use crate::{Error, Result};

/// What an offset counts.
///
/// Minutes and hours are exact durations (RFC 5545's `dur-hour` and
/// `dur-minute`: across a DST change, two hours are two hours of elapsed
/// time); days, weeks, months and years are nominal (`dur-day`: the same
/// local time on another date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum OffsetUnit {
    /// Minutes of elapsed time.
    Minutes,
    /// Hours of elapsed time.
    Hours,
    /// Calendar days.
    #[default]
    Days,
    /// Working days (weekends and holidays do not count).
    WorkingDays,
    /// Weeks of seven calendar days.
    Weeks,
    /// Calendar months; a day the target month lacks is its last day.
    Months,
    /// Calendar years (twelve months; February 29 becomes February 28).
    Years,
}

crate::vocabulary! {
    OffsetUnit, "offset unit",
    {
        Minutes => "minutes",
        Hours => "hours",
        Days => "days",
        WorkingDays => "working_days",
        Weeks => "weeks",
        Months => "months",
        Years => "years",
    }
}

impl OffsetUnit {
    /// The unit in words, singular or plural: `"working day"`, `"months"`.
    fn words(self, n: u32) -> &'static str {
        let (one, many) = match self {
            OffsetUnit::Minutes => ("minute", "minutes"),
            OffsetUnit::Hours => ("hour", "hours"),
            OffsetUnit::Days => ("day", "days"),
            OffsetUnit::WorkingDays => ("working day", "working days"),
            OffsetUnit::Weeks => ("week", "weeks"),
            OffsetUnit::Months => ("month", "months"),
            OffsetUnit::Years => ("year", "years"),
        };
        if n == 1 { one } else { many }
    }

    /// Reads a unit name, also in the singular (`1 month`).
    fn read(text: &str) -> Result<OffsetUnit> {
        let plural = format!("{text}s");
        match <OffsetUnit as crate::vocab::Vocabulary>::from_name(&plural) {
            Some(unit) => Ok(unit),
            None => crate::vocab::read::<OffsetUnit>(text).map(|w| w.value),
        }
    }
}

/// Which way a calendar expression looks from its reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seek {
    /// The first matching date strictly after the reference.
    Next,
    /// The last matching date strictly before the reference.
    Previous,
}

crate::vocabulary! {
    Seek, "direction",
    {
        Next => "next",
        Previous => "previous",
    }
}

/// A day of a month, for [`OffsetStep::DayOfMonth`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MonthDay {
    /// The `n`th weekday of the month (`2TU`, `-1FR`).
    Weekday(ByDay),
    /// A day number, 1 to 31 or -1 to -31 from the end; a day the month
    /// lacks is its last day (`31` in April is April 30).
    Number(i8),
}

/// One step of an [`Offset`], applied to the result of the step before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OffsetStep {
    /// `amount` units later (negative: earlier): `-2 working_days`,
    /// `+5 months`, `90 minutes`.
    Shift {
        /// How many (negative: before).
        amount: i32,
        /// Of what.
        unit: OffsetUnit,
    },
    /// A day of the month `months` months from the reference's month:
    /// `2TU of month -1` (the second Tuesday of the month before),
    /// `-1 of month` (the last day of the same month).
    DayOfMonth {
        /// Which day.
        day: MonthDay,
        /// Months from the reference's month (0: the same).
        months: i32,
    },
    /// The next (or previous) given day of the year, strictly after (or
    /// before) the reference: `next 04-30`. February 29 is only found in
    /// leap years.
    DayOfYear {
        /// Next or previous.
        seek: Seek,
        /// The month, 1 to 12.
        month: u8,
        /// The day, 1 to 31 (valid in that month).
        day: u8,
    },
    /// The next (or previous) weekday, strictly after (or before) the
    /// reference: `next FR`, `previous MO`.
    Weekday {
        /// Next or previous.
        seek: Seek,
        /// The weekday.
        weekday: Weekday,
    },
    /// A fixed local date, whatever the reference: `2024-05-08`.
    Date(NaiveDate),
}

/// How far a date lies from its reference: one or more [`OffsetStep`]s,
/// each applied to the result of the one before.
///
/// # Text
///
/// Steps are joined by the word `then`; each step is one of:
///
/// | Text | Meaning |
/// |---|---|
/// | `-2 working_days`, `3 days`, `+1 week`, `-5 months`, `1 year`, `90 minutes`, `2 hours` | a shift; a unit's singular is read too |
/// | `2TU of month -1`, `-1FR of month`, `15 of month +2`, `-1 of month` | a day of the month N months from the reference's (`of month` alone: the same month) |
/// | `next 04-30`, `previous 12-25` | the next (previous) such day of the year, strictly after (before) |
/// | `next FR`, `previous MO` | the next (previous) such weekday, strictly after (before) |
/// | `2024-05-08` | a fixed date |
///
/// An empty text, or `0 days`, is the reference itself. `Display`
/// writes the same text back, so it round-trips; [`Offset::describe`]
/// says it in words.
///
/// # Rules
///
/// - Days, weeks, months, years and the calendar expressions move the
///   date and keep the local time of day; minutes and hours are elapsed
///   time in the zone (so two hours before 03:30 on the night clocks go
///   forward is 00:30).
/// - Month arithmetic clamps to the month's end: January 31 plus one month
///   is February 28 (29 in a leap year), and March 31 minus one month too;
///   each step starts from the result of the one before, so January 31
///   plus one month then plus one month is March 28. Years are twelve
///   months (February 29 plus one year is February 28).
/// - Working days are those of the [`WorkDays`] passed in; counting starts
///   from the reference whether or not it is a working day, and `0
///   working_days` is the reference itself.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use release_core::calendar::{Offset, WorkDays};
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let mut days = WorkDays::default();
/// // Python's beta 1: five months before the October final.
/// let beta: Offset = "-5 months".parse()?;
/// assert_eq!(beta.apply_date(d(2024, 10, 1), &mut days)?, d(2024, 5, 1));
/// // Patch Tuesday of the month before.
/// let patch: Offset = "2TU of month -1".parse()?;
/// assert_eq!(patch.apply_date(d(2024, 10, 1), &mut days)?, d(2024, 9, 10));
/// assert_eq!(patch.describe(), "the second Tuesday of the month before");
/// // Chained: the Friday before, then two working days earlier.
/// let chained: Offset = "previous FR then -2 working_days".parse()?;
/// assert_eq!(chained.apply_date(d(2024, 10, 1), &mut days)?, d(2024, 9, 25));
/// assert_eq!(d(2024, 1, 31) + chrono::Months::new(1), d(2024, 2, 29));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Offset {
    steps: Vec<OffsetStep>,
}

/// How far working-day and calendar searches look before they give up
/// (holiday sets that make every day a holiday; `next 02-29` from a date
/// with no leap year left).
const SEARCH_YEARS: i32 = 8;

impl Offset {
    /// The offset of no steps: the reference itself.
    pub fn zero() -> Offset {
        Offset::default()
    }

    /// An offset of one step.
    pub fn new(step: OffsetStep) -> Offset {
        Offset::zero().then(step)
    }

    /// `amount` units: `Offset::by(-2, OffsetUnit::WorkingDays)`.
    pub fn by(amount: i32, unit: OffsetUnit) -> Offset {
        Offset::new(OffsetStep::Shift { amount, unit })
    }

    /// This offset, then `step`. A shift of 0 moves nothing and is left
    /// out, so that equal offsets are equal values (`0 days` is
    /// [`Offset::zero`]).
    pub fn then(mut self, step: OffsetStep) -> Offset {
        if !matches!(step, OffsetStep::Shift { amount: 0, .. }) {
            self.steps.push(step);
        }
        self
    }

    /// The steps, in order.
    pub fn steps(&self) -> &[OffsetStep] {
        &self.steps
    }

    /// Whether it is the reference itself (no step moves it).
    pub fn is_zero(&self) -> bool {
        self.steps
            .iter()
            .all(|s| matches!(s, OffsetStep::Shift { amount: 0, .. }))
    }

    /// Whether a step counts minutes or hours, which a date alone cannot.
    pub fn is_exact(&self) -> bool {
        self.steps.iter().any(|s| {
            matches!(
                s,
                OffsetStep::Shift {
                    unit: OffsetUnit::Minutes | OffsetUnit::Hours,
                    ..
                }
            )
        })
    }

    /// Whether a step counts working days (so the holidays matter).
    pub fn counts_working_days(&self) -> bool {
        self.steps.iter().any(|s| {
            matches!(
                s,
                OffsetStep::Shift {
                    unit: OffsetUnit::WorkingDays,
                    ..
                }
            )
        })
    }

    /// The local date and time `self` from `from`, in `zone` (for minutes
    /// and hours), counting working days of `days`.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) naming the step when
    /// its result is out of chrono's range, or no working day or matching
    /// date is found within eight years.
    pub fn apply(
        &self,
        from: NaiveDateTime,
        zone: Zone,
        days: &mut WorkDays,
    ) -> Result<NaiveDateTime> {
        let mut at = from;
        for step in &self.steps {
            at = match *step {
                OffsetStep::Shift {
                    amount,
                    unit: unit @ (OffsetUnit::Minutes | OffsetUnit::Hours),
                } if amount.unsigned_abs() <= MAX_AMOUNT => {
                    let minutes =
                        i64::from(amount) * if unit == OffsetUnit::Hours { 60 } else { 1 };
                    let (instant, _) = zone.resolve(at);
                    instant
                        .checked_add_signed(Duration::minutes(minutes))
                        .and_then(|t| zone.checked_local(t))
                        .ok_or_else(|| self.out_of_range(step, from.date()))?
                }
                _ => date_step(step, at.date(), days)
                    .ok_or_else(|| self.out_of_range(step, from.date()))?
                    .and_time(at.time()),
            };
        }
        Ok(at)
    }

    /// The date `self` from `from`, counting working days of `days`.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when a step counts
    /// minutes or hours (a date has no time of day: use [`apply`](Self::apply)),
    /// and the refused errors of [`apply`](Self::apply).
    pub fn apply_date(&self, from: NaiveDate, days: &mut WorkDays) -> Result<NaiveDate> {
        if self.is_exact() {
            return Err(Error::config(format!(
                "offset \"{self}\" counts minutes or hours, and a date has no time of day"
            )));
        }
        let mut at = from;
        for step in &self.steps {
            at = date_step(step, at, days).ok_or_else(|| self.out_of_range(step, from))?;
        }
        Ok(at)
    }

    fn out_of_range(&self, step: &OffsetStep, from: NaiveDate) -> Error {
        Error::refused(format!(
            "offset \"{self}\" from {from}: no date for \"{}\" (out of range, or no such day within {SEARCH_YEARS} years)",
            StepText(step)
        ))
    }

    /// The offset in words: `"minus 2 working days"`, `"the second Tuesday
    /// of the month before, then minus 1 day"`, `"the reference itself"`.
    pub fn describe(&self) -> String {
        if self.steps.is_empty() {
            return "the reference itself".to_owned();
        }
        self.steps
            .iter()
            .map(describe_step)
            .collect::<Vec<_>>()
            .join(", then ")
    }
}

/// One step on a date; `None` out of range or when nothing is found.
fn date_step(step: &OffsetStep, date: NaiveDate, days: &mut WorkDays) -> Option<NaiveDate> {
    match *step {
        // Larger amounts than the text can say are refused, not counted
        // day by day for years (working days are found one at a time).
        OffsetStep::Shift { amount, .. } if amount.unsigned_abs() > MAX_AMOUNT => None,
        OffsetStep::Shift { amount, unit } => match unit {
            OffsetUnit::Days => add_days(date, i64::from(amount)),
            OffsetUnit::Weeks => add_days(date, i64::from(amount) * 7),
            OffsetUnit::WorkingDays => days.add_working_days(date, amount),
            OffsetUnit::Months => add_months(date, i64::from(amount)),
            OffsetUnit::Years => add_months(date, i64::from(amount) * 12),
            // Exact units are applied by `Offset::apply`; on a date alone
            // they are refused before any step runs.
            OffsetUnit::Minutes | OffsetUnit::Hours => None,
        },
        OffsetStep::DayOfMonth { day, months } => {
            let first = add_months(date.with_day(1)?, i64::from(months))?;
            day_of_month(first, day)
        }
        OffsetStep::DayOfYear { seek, month, day } => {
            let year = date.year();
            let candidates: Vec<i32> = match seek {
                Seek::Next => (year..=year + SEARCH_YEARS).collect(),
                Seek::Previous => (year - SEARCH_YEARS..=year).rev().collect(),
            };
            candidates
                .into_iter()
                .filter_map(|y| NaiveDate::from_ymd_opt(y, u32::from(month), u32::from(day)))
                .find(|d| match seek {
                    Seek::Next => *d > date,
                    Seek::Previous => *d < date,
                })
        }
        OffsetStep::Weekday { seek, weekday } => {
            let today = i64::from(date.weekday().num_days_from_monday());
            let want = i64::from(weekday.num_days_from_monday());
            match seek {
                Seek::Next => add_days(date, (want - today - 1).rem_euclid(7) + 1),
                Seek::Previous => add_days(date, -((today - want - 1).rem_euclid(7) + 1)),
            }
        }
        OffsetStep::Date(d) => Some(d),
    }
}

fn add_days(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let by = Days::new(n.unsigned_abs());
    if n < 0 {
        date.checked_sub_days(by)
    } else {
        date.checked_add_days(by)
    }
}

/// chrono's month arithmetic, which clamps to the target month's end.
fn add_months(date: NaiveDate, n: i64) -> Option<NaiveDate> {
    let by = Months::new(u32::try_from(n.unsigned_abs()).ok()?);
    if n < 0 {
        date.checked_sub_months(by)
    } else {
        date.checked_add_months(by)
    }
}

/// The day `day` of the month starting on `first`.
fn day_of_month(first: NaiveDate, day: MonthDay) -> Option<NaiveDate> {
    let next = add_months(first, 1)?;
    let len = u32::try_from(next.signed_duration_since(first).num_days()).ok()?;
    match day {
        MonthDay::Number(n) => {
            let n = i32::from(n);
            let d = if n > 0 {
                n.min(len as i32)
            } else {
                (len as i32 + 1 + n).max(1)
            };
            first.with_day(d as u32)
        }
        MonthDay::Weekday(by) => {
            let ordinal = i32::from(by.ordinal.unwrap_or(1));
            let want = by.weekday.num_days_from_monday() as i32;
            if ordinal > 0 {
                let lead = (want - first.weekday().num_days_from_monday() as i32).rem_euclid(7);
                let d = 1 + lead + 7 * (ordinal - 1);
                (d <= len as i32)
                    .then(|| first.with_day(d as u32))
                    .flatten()
            } else {
                let last = first.with_day(len)?;
                let back = (last.weekday().num_days_from_monday() as i32 - want).rem_euclid(7);
                let d = len as i32 - back - 7 * (-ordinal - 1);
                (d >= 1).then(|| first.with_day(d as u32)).flatten()
            }
        }
    }
}

fn ordinal_words(n: i32) -> String {
    let word = match n {
        1 => "first",
        2 => "second",
        3 => "third",
        4 => "fourth",
        5 => "fifth",
        _ => "",
    };
    if !word.is_empty() {
        return word.to_owned();
    }
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn months_words(months: i32) -> String {
    match months {
        0 => "the month".to_owned(),
        -1 => "the month before".to_owned(),
        1 => "the month after".to_owned(),
        n if n < 0 => format!("the month {} months before", -n),
        n => format!("the month {n} months later"),
    }
}

fn weekday_words(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

fn describe_step(step: &OffsetStep) -> String {
    match *step {
        OffsetStep::Shift { amount, unit } => {
            let n = amount.unsigned_abs();
            let sign = if amount < 0 { "minus" } else { "plus" };
            format!("{sign} {n} {}", unit.words(n))
        }
        OffsetStep::DayOfMonth { day, months } => {
            let which = match day {
                MonthDay::Number(-1) => "the last day".to_owned(),
                MonthDay::Number(n) if n < 0 => format!("day {n} from the end"),
                MonthDay::Number(n) => format!("day {n}"),
                MonthDay::Weekday(ByDay {
                    ordinal: Some(-1),
                    weekday,
                }) => format!("the last {}", weekday_words(weekday)),
                MonthDay::Weekday(ByDay { ordinal, weekday }) => {
                    let n = i32::from(ordinal.unwrap_or(1));
                    if n < 0 {
                        format!(
                            "the {} {} from the end",
                            ordinal_words(-n),
                            weekday_words(weekday)
                        )
                    } else {
                        format!("the {} {}", ordinal_words(n), weekday_words(weekday))
                    }
                }
            };
            format!("{which} of {}", months_words(months))
        }
        OffsetStep::DayOfYear { seek, month, day } => {
            let name = NaiveDate::from_ymd_opt(2000, u32::from(month), u32::from(day)).map_or_else(
                || format!("{month:02}-{day:02}"),
                |d| d.format("%B %-d").to_string(),
            );
            match seek {
                Seek::Next => format!("the next {name} after"),
                Seek::Previous => format!("the last {name} before"),
            }
        }
        OffsetStep::Weekday { seek, weekday } => match seek {
            Seek::Next => format!("the next {} after", weekday_words(weekday)),
            Seek::Previous => format!("the {} before", weekday_words(weekday)),
        },
        OffsetStep::Date(d) => format!("on {d}"),
    }
}

/// A step in the text of [`Offset`]'s grammar.
struct StepText<'a>(&'a OffsetStep);

impl fmt::Display for StepText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self.0 {
            OffsetStep::Shift { amount, unit } => {
                let sign = if amount > 0 { "+" } else { "" };
                write!(f, "{sign}{amount} {unit}")
            }
            OffsetStep::DayOfMonth { day, months } => {
                match day {
                    MonthDay::Weekday(by) => write!(f, "{by}")?,
                    MonthDay::Number(n) => write!(f, "{n}")?,
                }
                f.write_str(" of month")?;
                match months {
                    0 => Ok(()),
                    n if n > 0 => write!(f, " +{n}"),
                    n => write!(f, " {n}"),
                }
            }
            OffsetStep::DayOfYear { seek, month, day } => {
                write!(f, "{seek} {month:02}-{day:02}")
            }
            OffsetStep::Weekday { seek, weekday } => {
                write!(f, "{seek} {}", weekday_code(weekday))
            }
            OffsetStep::Date(d) => write!(f, "{d}"),
        }
    }
}

impl fmt::Display for Offset {
    /// The offset's text (see [`Offset`]), which reads back the same.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.steps.is_empty() {
            return f.write_str("0 days");
        }
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(" then ")?;
            }
            write!(f, "{}", StepText(step))?;
        }
        Ok(())
    }
}

impl fmt::Display for OffsetStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        StepText(self).fmt(f)
    }
}

const GRAMMAR: &str = "expected steps joined by \"then\", each \"-2 working_days\", \"+5 months\", \"2TU of month -1\", \"next 04-30\", \"previous FR\" or a date \"2024-05-08\"";

impl FromStr for Offset {
    type Err = Error;

    /// Reads the text of [`Offset`]'s grammar.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) naming the whole text and
    /// the step that is wrong.
    fn from_str(text: &str) -> Result<Offset> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Ok(Offset::zero());
        }
        // Steps are the runs of words between `then`s.
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let steps = words
            .split(|w| *w == "then")
            .map(|part| {
                let part = part.join(" ");
                parse_step(&part).map_err(|why| {
                    Error::parse(format!("invalid offset {text:?}: in {part:?}, {why}"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(steps.into_iter().fold(Offset::zero(), Offset::then))
    }
}

impl FromStr for OffsetStep {
    type Err = Error;

    /// Reads one step of [`Offset`]'s grammar.
    fn from_str(text: &str) -> Result<OffsetStep> {
        parse_step(text.trim())
            .map_err(|why| Error::parse(format!("invalid offset step {text:?}: {why}")))
    }
}

/// One step; the error says what is wrong, without the text (the caller
/// names it).
fn parse_step(part: &str) -> std::result::Result<OffsetStep, String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    match words.as_slice() {
        [] => Err(format!("the step is empty; {GRAMMAR}")),
        [date] if date.len() == 10 && date.as_bytes().get(4) == Some(&b'-') => date
            .parse::<NaiveDate>()
            .map(OffsetStep::Date)
            .map_err(|e| format!("{date:?} is not a date ({e})")),
        [seek, what] if matches!(*seek, "next" | "previous") => {
            let seek = if *seek == "next" {
                Seek::Next
            } else {
                Seek::Previous
            };
            parse_seek(seek, what)
        }
        [day, "of", "month", rest @ ..] => {
            let months = match rest {
                [] => 0,
                [n] => parse_amount(n)?,
                _ => {
                    return Err(format!(
                        "expected \"of month\" and at most a number of months; {GRAMMAR}"
                    ));
                }
            };
            let day = if day.bytes().last().is_some_and(|b| b.is_ascii_alphabetic()) {
                let by: ByDay = day.parse().map_err(|e: Error| e.message().to_owned())?;
                // ByDay reads year ordinals too (`20MO`, yearly rules); a
                // weekday of a month is 1 to 5 or -1 to -5.
                if by.ordinal.is_some_and(|n| !(-5..=5).contains(&n)) {
                    return Err(format!(
                        "{day:?} is not a weekday of a month: its ordinal must be 1 to 5 or -1 to -5"
                    ));
                }
                MonthDay::Weekday(ByDay {
                    ordinal: Some(by.ordinal.unwrap_or(1)),
                    weekday: by.weekday,
                })
            } else {
                let n: i8 = day
                    .parse()
                    .ok()
                    .filter(|n: &i8| *n != 0 && (-31..=31).contains(n))
                    .ok_or_else(|| {
                        format!("{day:?} is not a day of the month (1 to 31 or -1 to -31) or a weekday such as 2TU")
                    })?;
                MonthDay::Number(n)
            };
            Ok(OffsetStep::DayOfMonth { day, months })
        }
        [_, "of", other, ..] => Err(format!(
            "expected \"of month\" after the day, as in \"2TU of month -1\", not \"of {other}\""
        )),
        [amount, unit] => {
            let amount = parse_amount(amount)?;
            let unit = OffsetUnit::read(unit).map_err(|e| e.message().to_owned())?;
            Ok(OffsetStep::Shift { amount, unit })
        }
        _ => Err(GRAMMAR.to_owned()),
    }
}

fn parse_seek(seek: Seek, what: &str) -> std::result::Result<OffsetStep, String> {
    if let Some(weekday) = super::recurrence::parse_weekday_code(what) {
        return Ok(OffsetStep::Weekday { seek, weekday });
    }
    let bad = || {
        format!(
            "{what:?} is neither a weekday (MO .. SU) nor a day of the year MM-DD such as 04-30"
        )
    };
    let (m, d) = what.split_once('-').ok_or_else(bad)?;
    let (month, day): (u8, u8) = (m.parse().map_err(|_| bad())?, d.parse().map_err(|_| bad())?);
    // 2000 is a leap year, so February 29 is a valid day of the year.
    NaiveDate::from_ymd_opt(2000, u32::from(month), u32::from(day)).ok_or_else(bad)?;
    Ok(OffsetStep::DayOfYear { seek, month, day })
}

fn parse_amount(text: &str) -> std::result::Result<i32, String> {
    text.strip_prefix('+')
        .unwrap_or(text)
        .parse::<i32>()
        .ok()
        .filter(|n| n.unsigned_abs() <= MAX_AMOUNT)
        .ok_or_else(|| format!("{text:?} is not a whole number from -{MAX_AMOUNT} to {MAX_AMOUNT}"))
}

/// The largest amount of any unit: a hundred years of days, which keeps
/// every product (weeks in days, years in months, hours in minutes) far
/// from overflow and a count of working days short. Larger amounts are
/// refused when read and when applied.
const MAX_AMOUNT: u32 = 36_600;

impl Serialize for Offset {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Offset {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Offset, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Offset {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Offset".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "How far from the reference: steps joined by \" then \", each a shift (\"-2 working_days\", \"+5 months\", \"90 minutes\"), a day of a month (\"2TU of month -1\", \"-1 of month\"), the next or previous day of the year or weekday (\"next 04-30\", \"previous FR\"), or a fixed date (\"2024-05-08\").",
            "type": "string",
            "pattern": schema_pattern(),
            "examples": ["-2 working_days", "-5 months", "2TU of month -1", "next 04-30", "previous FR then -1 days"]
        })
    }
}

/// The grammar of [`Offset`]'s text as a regular expression, for editors
/// (the parser's messages say more).
#[cfg(feature = "schema")]
fn schema_pattern() -> String {
    let day = "(?:MO|TU|WE|TH|FR|SA|SU)";
    let units = "(?:minutes?|hours?|days?|working_days?|weeks?|months?|years?)";
    let shift = format!("[+-]?[0-9]+\\s+{units}");
    let of_month =
        format!("(?:[+-]?[1-5]?{day}|[+-]?[0-9]{{1,2}})\\s+of\\s+month(?:\\s+[+-]?[0-9]+)?");
    let seek = format!("(?:next|previous)\\s+(?:{day}|[0-9]{{2}}-[0-9]{{2}})");
    let date = "[0-9]{4}-[0-9]{2}-[0-9]{2}";
    let step = format!("(?:{shift}|{of_month}|{seek}|{date})");
    format!("^\\s*(?:{step}(?:\\s+then\\s+{step})*)?\\s*$")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn on(offset: &str, from: &str) -> String {
        let o: Offset = offset.parse().unwrap();
        o.apply_date(d(from), &mut WorkDays::default())
            .unwrap()
            .to_string()
    }

    #[test]
    fn month_ends_clamp_and_each_step_starts_from_the_last() {
        assert_eq!(on("1 month", "2023-01-31"), "2023-02-28");
        assert_eq!(on("1 month", "2024-01-31"), "2024-02-29");
        assert_eq!(on("-1 month", "2024-03-31"), "2024-02-29");
        assert_eq!(on("1 month then 1 month", "2023-01-31"), "2023-03-28");
        assert_eq!(on("2 months", "2023-01-31"), "2023-03-31");
        assert_eq!(on("1 year", "2024-02-29"), "2025-02-28");
        assert_eq!(on("-4 years", "2024-02-29"), "2020-02-29");
        assert_eq!(on("-2 weeks", "2024-01-10"), "2023-12-27");
    }

    #[test]
    fn calendar_expressions() {
        // The second Tuesday of the month before / N months later.
        assert_eq!(on("2TU of month -1", "2024-10-01"), "2024-09-10");
        assert_eq!(on("2TU of month +3", "2024-10-31"), "2025-01-14");
        assert_eq!(on("-1FR of month", "2024-05-02"), "2024-05-31");
        assert_eq!(on("-1 of month +1", "2024-01-15"), "2024-02-29");
        assert_eq!(on("31 of month +2", "2024-02-10"), "2024-04-30");
        // Strictly after / before.
        assert_eq!(on("next 04-30", "2024-04-30"), "2025-04-30");
        assert_eq!(on("next 04-30", "2024-04-29"), "2024-04-30");
        assert_eq!(on("previous 12-25", "2024-12-25"), "2023-12-25");
        assert_eq!(on("next 02-29", "2024-03-01"), "2028-02-29");
        assert_eq!(on("next TU", "2024-10-01"), "2024-10-08");
        assert_eq!(on("next WE", "2024-10-01"), "2024-10-02");
        assert_eq!(on("previous TU", "2024-10-01"), "2024-09-24");
        assert_eq!(on("previous MO", "2024-10-01"), "2024-09-30");
        assert_eq!(on("2024-05-08", "1999-01-01"), "2024-05-08");
        assert_eq!(on("", "2024-05-08"), "2024-05-08");
        // Five Tuesdays: only some months have a 5th.
        let fifth: Offset = "5TU of month".parse().unwrap();
        assert!(
            fifth
                .apply_date(d("2024-02-01"), &mut WorkDays::default())
                .unwrap_err()
                .is_refused()
        );
    }

    #[test]
    fn working_days_skip_weekends() {
        assert_eq!(on("-2 working_days", "2024-10-01"), "2024-09-27");
        assert_eq!(on("1 working_day", "2024-10-04"), "2024-10-07");
        assert_eq!(on("0 working_days", "2024-10-05"), "2024-10-05");
    }

    #[test]
    fn exact_units_are_elapsed_time() {
        let ny: Zone = "America/New_York".parse().unwrap();
        let o: Offset = "-2 hours".parse().unwrap();
        // 2024-03-10 03:30 EDT minus two hours is 00:30 EST.
        let from = d("2024-03-10").and_hms_opt(3, 30, 0).unwrap();
        let got = o.apply(from, ny, &mut WorkDays::default()).unwrap();
        assert_eq!(got.to_string(), "2024-03-10 00:30:00");
        let days: Offset = "-1 days".parse().unwrap();
        let got = days.apply(from, ny, &mut WorkDays::default()).unwrap();
        assert_eq!(got.to_string(), "2024-03-09 03:30:00");
        let e = o
            .apply_date(d("2024-03-10"), &mut WorkDays::default())
            .unwrap_err();
        assert!(e.is_config(), "{e}");
    }

    #[test]
    fn text_round_trips_and_describes() {
        for text in [
            "-2 working_days",
            "+5 months",
            "2TU of month -1",
            "-1FR of month",
            "15 of month +2",
            "next 04-30",
            "previous FR then -1 days",
            "2024-05-08",
            "+90 minutes",
            "0 days",
        ] {
            let o: Offset = text.parse().unwrap();
            assert_eq!(o.to_string(), text);
            assert_eq!(o.to_string().parse::<Offset>().unwrap(), o);
        }
        // Shifts of 0 move nothing and are left out.
        let o: Offset = "0 days then -3 hours then 0 working_days".parse().unwrap();
        assert_eq!(o.to_string(), "-3 hours");
        assert_eq!(Offset::by(0, OffsetUnit::Weeks), Offset::zero());
        let o: Offset = "1 month then next TU".parse().unwrap();
        assert_eq!(o.to_string(), "+1 months then next TU");
        assert_eq!(o.describe(), "plus 1 month, then the next Tuesday after");
        assert_eq!(
            "-1FR of month -2".parse::<Offset>().unwrap().describe(),
            "the last Friday of the month 2 months before"
        );
        assert_eq!(
            "previous 04-30".parse::<Offset>().unwrap().describe(),
            "the last April 30 before"
        );
    }

    #[test]
    fn bad_text_names_the_input_and_the_step() {
        let e = "-2 wrking_days".parse::<Offset>().unwrap_err();
        assert!(e.is_parse());
        assert_eq!(
            e.to_string(),
            "invalid offset \"-2 wrking_days\": in \"-2 wrking_days\", unknown offset unit \"wrking_days\" (did you mean \"working_days\"?); expected one of: minutes, hours, days, working_days, weeks, months, years"
        );
        for bad in [
            "two days",
            "1 fortnight",
            "next 02-30",
            "next XX",
            "0TU of month",
            "6TU of month",
            "-20FR of month",
            "32 of month",
            "2TU of month -1 extra",
            "2024-13-01",
            "99999999 days",
            "1 days then",
            "then",
        ] {
            let e = bad.parse::<Offset>().unwrap_err();
            assert!(e.is_parse(), "{bad}");
            assert!(e.to_string().contains(&format!("{bad:?}")), "{e}");
        }
    }

    #[test]
    fn searches_end() {
        // Found by fuzzing: hours before the first representable day.
        let ny: Zone = "America/New_York".parse().unwrap();
        let first = NaiveDate::MIN.and_hms_opt(2, 30, 0).unwrap();
        let e = Offset::by(-4, OffsetUnit::Hours)
            .apply(first, ny, &mut WorkDays::default())
            .unwrap_err();
        assert!(e.is_refused(), "{e}");
        let huge = Offset::by(i32::MAX, OffsetUnit::WorkingDays);
        let e = huge
            .apply_date(d("2024-01-01"), &mut WorkDays::default())
            .unwrap_err();
        assert!(e.is_refused(), "{e}");
        let o: Offset = "1 years".parse().unwrap();
        let e = o
            .apply_date(NaiveDate::MAX, &mut WorkDays::default())
            .unwrap_err();
        assert!(e.is_refused());
        assert!(e.to_string().contains("+1 years"), "{e}");
    }
}
