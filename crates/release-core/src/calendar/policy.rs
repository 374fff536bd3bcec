//! What a schedule does when an occurrence falls on a holiday.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::workdays::WorkDays;

/// The holiday policy of a schedule.
///
/// Serialised as `"skip"`, `"previous_working_day"`, `"next_working_day"`,
/// `"keep"`, or `{ shift = 1 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum HolidayPolicy {
    /// Drop the occurrence.
    #[default]
    Skip,
    /// Move it to the closest earlier working day.
    PreviousWorkingDay,
    /// Move it to the closest later working day.
    NextWorkingDay,
    /// Move it by this many days (negative: earlier), again and again while
    /// it still lands on a holiday; at most 31 days either way.
    Shift(#[cfg_attr(feature = "schema", schemars(range(min = -31, max = 31)))] i32),
    /// Keep it on the holiday.
    Keep,
}

impl fmt::Display for HolidayPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HolidayPolicy::Skip => f.write_str("skip"),
            HolidayPolicy::PreviousWorkingDay => f.write_str("previous-working-day"),
            HolidayPolicy::NextWorkingDay => f.write_str("next-working-day"),
            HolidayPolicy::Shift(n) => {
                write!(f, "shift by {n} day{}", if n.abs() == 1 { "" } else { "s" })
            }
            HolidayPolicy::Keep => f.write_str("keep"),
        }
    }
}

/// The outcome of applying a policy to one date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Applied {
    /// Not a holiday (or kept): the date stands.
    Stands,
    /// Moved to another date, with the reason.
    Moved(NaiveDate, String),
    /// Dropped, with the reason.
    Skipped(String),
}

/// How far a policy may move an occurrence: it never searches further than
/// a month for a working day (and a schedule refuses a longer shift).
pub(crate) const MAX_MOVE_DAYS: u64 = 31;

impl HolidayPolicy {
    pub(crate) fn apply(self, date: NaiveDate, days: &mut WorkDays) -> Applied {
        let Some(holiday) = days.holiday(date).map(|h| h.name.clone()) else {
            return Applied::Stands;
        };
        let falls = format!("{date} falls on {holiday}");
        let target = match self {
            HolidayPolicy::Keep => return Applied::Stands,
            HolidayPolicy::Skip => {
                return Applied::Skipped(format!("{falls}; skipped by the skip policy"));
            }
            HolidayPolicy::NextWorkingDay => search(date, 1, days, true),
            HolidayPolicy::PreviousWorkingDay => search(date, -1, days, true),
            HolidayPolicy::Shift(0) => return Applied::Stands,
            HolidayPolicy::Shift(n) => search(date, n, days, false),
        };
        match target {
            Some(to) => Applied::Moved(to, format!("{falls}; moved to {to} by {self}")),
            None => Applied::Skipped(format!(
                "{falls}; {self} found no date within {MAX_MOVE_DAYS} days, so it is skipped"
            )),
        }
    }
}

/// Steps from `date` by `step` days until a day that is not a holiday (and,
/// with `working`, not a weekend day).
fn search(date: NaiveDate, step: i32, days: &mut WorkDays, working: bool) -> Option<NaiveDate> {
    let mut d = date;
    let by = Days::new(u64::from(step.unsigned_abs()));
    loop {
        d = if step > 0 {
            d.checked_add_days(by)?
        } else {
            d.checked_sub_days(by)?
        };
        let distance = (d - date).num_days().unsigned_abs();
        if distance > MAX_MOVE_DAYS {
            return None;
        }
        let ok = if working {
            days.is_working_day(d)
        } else {
            days.holiday(d).is_none()
        };
        if ok {
            return Some(d);
        }
    }
}
