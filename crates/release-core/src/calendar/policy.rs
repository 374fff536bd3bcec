//! What a schedule does when an occurrence falls on a holiday.

use std::fmt;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::workdays::WorkDays;
use crate::{Error, Result, Warned, Warning};

/// The holiday policy of a schedule.
///
/// Serialised as `"skip"`, `"previous_working_day"`, `"next_working_day"`,
/// `"keep"`, or `{ shift = 1 }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
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

impl HolidayPolicy {
    /// The policies' names, as `release.toml`, the CLI's `--policy` and
    /// Python write them (the [vocabulary](crate::vocab)); `shift` takes a
    /// number of days beside it.
    pub const NAMES: &'static [&'static str] = &[
        "skip",
        "previous_working_day",
        "next_working_day",
        "shift",
        "keep",
    ];

    /// The spellings the CLI accepted before the one vocabulary, read with a
    /// deprecation warning until release-core 0.3.
    pub const DEPRECATED: &'static [(&'static str, &'static str)] = &[
        ("previous-working-day", "previous_working_day"),
        ("next-working-day", "next_working_day"),
    ];

    /// The policy's name, one of [`NAMES`](HolidayPolicy::NAMES).
    pub fn name(self) -> &'static str {
        match self {
            HolidayPolicy::Skip => "skip",
            HolidayPolicy::PreviousWorkingDay => "previous_working_day",
            HolidayPolicy::NextWorkingDay => "next_working_day",
            HolidayPolicy::Shift(_) => "shift",
            HolidayPolicy::Keep => "keep",
        }
    }

    /// The policy called `name`, with `shift` days for `shift` (and only for
    /// it), as a command line or a binding gives them apart. A deprecated
    /// spelling comes with a warning.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::calendar::HolidayPolicy;
    ///
    /// assert_eq!(HolidayPolicy::from_parts("shift", Some(2))?.value, HolidayPolicy::Shift(2));
    /// let old = HolidayPolicy::from_parts("next-working-day", None)?;
    /// assert_eq!(old.value, HolidayPolicy::NextWorkingDay);
    /// assert_eq!(old.warnings.len(), 1);
    /// assert!(HolidayPolicy::from_parts("skip", Some(2)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) for an unknown name (with
    /// the closest one), `shift` without days, or days for another policy.
    pub fn from_parts(name: &str, shift: Option<i32>) -> Result<Warned<HolidayPolicy>> {
        let Warned {
            value: canonical,
            warnings,
        } = Self::read_name(name)?;
        let policy = match (canonical, shift) {
            ("skip", None) => HolidayPolicy::Skip,
            ("previous_working_day", None) => HolidayPolicy::PreviousWorkingDay,
            ("next_working_day", None) => HolidayPolicy::NextWorkingDay,
            ("keep", None) => HolidayPolicy::Keep,
            ("shift", Some(days)) => HolidayPolicy::Shift(days),
            ("shift", None) => {
                return Err(Error::parse(
                    "the holiday policy \"shift\" needs a number of days to shift by",
                ));
            }
            (known, Some(days)) => {
                return Err(Error::parse(format!(
                    "a shift of {days} days applies to the holiday policy \"shift\", not {known:?}"
                )));
            }
            // `read_name` gives only the names above.
            (other, None) => {
                return Err(Error::parse(format!("unknown holiday policy {other:?}")));
            }
        };
        Ok(Warned::with(policy, warnings))
    }

    /// The canonical name that `text` spells: one of
    /// [`NAMES`](HolidayPolicy::NAMES), or a deprecated spelling of one
    /// (with a warning).
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) for an unknown name, with
    /// the closest one and every accepted one.
    pub fn read_name(text: &str) -> Result<Warned<&'static str>> {
        if let Some(name) = Self::NAMES.iter().find(|n| **n == text) {
            return Ok(Warned::new(*name));
        }
        if let Some((old, new)) = Self::DEPRECATED.iter().find(|(old, _)| *old == text) {
            return Ok(Warned::with(
                *new,
                vec![Warning::deprecated_spelling("holiday policy", old, new)],
            ));
        }
        Err(crate::vocab::unknown_name(
            "holiday policy",
            text,
            Self::NAMES,
        ))
    }
}

impl fmt::Display for HolidayPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HolidayPolicy::Shift(n) => {
                write!(f, "shift by {n} day{}", if n.abs() == 1 { "" } else { "s" })
            }
            other => f.write_str(other.name()),
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
        let Some(holiday) = days.holiday(date).map(|h| h.name) else {
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
            !days.is_holiday(d)
        };
        if ok {
            return Some(d);
        }
    }
}
