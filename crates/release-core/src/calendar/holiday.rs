//! Holidays as data: rules for dates, observed-day rules, named sets, and
//! working days.
//!
//! A [`HolidaySet`] is plain data (serde), so a team can write its own in
//! `release.toml`; [`builtin`](super::builtin) ships sets for the seeds'
//! countries. Holidays hold no policy: what a schedule does when it meets
//! one is its [`HolidayPolicy`](super::HolidayPolicy).

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// When a holiday falls, year by year.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum HolidayDate {
    /// The same month and day every year (`12-25`).
    Fixed {
        /// 1 to 12.
        month: u8,
        /// 1 to 31.
        day: u8,
    },
    /// The `n`th weekday of a month; negative `n` counts from the end
    /// (`-1` is the last).
    Nth {
        /// 1 to 12.
        month: u8,
        /// The weekday.
        #[serde(with = "crate::vocab::weekday")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "crate::schema_shapes::WeekdayName")
        )]
        weekday: Weekday,
        /// 1 to 5 or -1 to -5.
        n: i8,
    },
    /// Days from Western (Gregorian) Easter Sunday: Good Friday is -2,
    /// Easter Monday 1.
    Easter {
        /// Days after Easter Sunday (negative: before).
        offset: i16,
    },
    /// Explicit dates (one-off holidays, or dates no rule describes, such
    /// as those of a lunar calendar).
    Dates {
        /// The dates.
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Vec<crate::schema_shapes::LocalDate>")
        )]
        dates: Vec<NaiveDate>,
    },
}

/// What happens when a holiday falls on a weekend day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Observed {
    /// Nothing: the holiday is on its day only.
    #[default]
    None,
    /// Saturday is observed on the Friday before, Sunday on the Monday
    /// after (US federal holidays).
    NearestWeekday,
    /// A weekend holiday is also observed on the next working day that is
    /// not already a holiday (UK "substitute days": Christmas on Saturday
    /// gives Monday 27th, Boxing Day on Sunday Tuesday 28th).
    NextWorkingDay,
    /// Only a Sunday holiday is observed, on the next day that is not
    /// already a holiday (Kenya).
    SundayToNext,
}

/// One holiday: a name, a date rule, its observance and the years it
/// applies to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// The holiday's name, used in explanations.
    pub name: String,
    /// When it falls.
    pub date: HolidayDate,
    /// What happens when it falls on a weekend.
    #[serde(default, skip_serializing_if = "is_default")]
    pub observed: Observed,
    /// The first year it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<i32>,
    /// The last year it applies to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<i32>,
    /// Years in which it falls on another date (a bank holiday moved for a
    /// jubilee), by year.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "BTreeMap<i32, crate::schema_shapes::LocalDate>")
    )]
    pub moved: BTreeMap<i32, NaiveDate>,
}

fn is_default(o: &Observed) -> bool {
    *o == Observed::None
}

impl Holiday {
    /// A holiday on a fixed month and day.
    pub fn fixed(name: &str, month: u8, day: u8) -> Holiday {
        Holiday::with(name, HolidayDate::Fixed { month, day })
    }

    /// A holiday on the `n`th weekday of a month.
    pub fn nth(name: &str, month: u8, weekday: Weekday, n: i8) -> Holiday {
        Holiday::with(name, HolidayDate::Nth { month, weekday, n })
    }

    /// A holiday at an offset from Easter Sunday.
    pub fn easter(name: &str, offset: i16) -> Holiday {
        Holiday::with(name, HolidayDate::Easter { offset })
    }

    /// A holiday on explicit dates.
    pub fn dates(name: &str, dates: &[NaiveDate]) -> Holiday {
        Holiday::with(
            name,
            HolidayDate::Dates {
                dates: dates.to_vec(),
            },
        )
    }

    fn with(name: &str, date: HolidayDate) -> Holiday {
        Holiday {
            name: name.to_owned(),
            date,
            observed: Observed::None,
            since: None,
            until: None,
            moved: BTreeMap::new(),
        }
    }

    /// This holiday with an observance rule.
    pub fn observed(mut self, observed: Observed) -> Holiday {
        self.observed = observed;
        self
    }

    /// This holiday only from `year` on.
    pub fn since(mut self, year: i32) -> Holiday {
        self.since = Some(year);
        self
    }

    /// This holiday only up to `year`.
    pub fn until(mut self, year: i32) -> Holiday {
        self.until = Some(year);
        self
    }

    /// This holiday on `date` in `date`'s year instead of its rule's date.
    pub fn moved_to(mut self, date: NaiveDate) -> Holiday {
        self.moved.insert(date.year(), date);
        self
    }

    fn applies(&self, year: i32) -> bool {
        self.since.is_none_or(|s| year >= s) && self.until.is_none_or(|u| year <= u)
    }

    /// The dates of the rule in `year` (before observance). An iterator,
    /// not a list: caches evaluate every rule of a set for each year.
    fn dates_in(&self, year: i32) -> impl Iterator<Item = NaiveDate> + '_ {
        let (one, listed): (Option<NaiveDate>, &[NaiveDate]) = if !self.applies(year) {
            (None, &[])
        } else if let Some(date) = self.moved.get(&year) {
            (Some(*date), &[])
        } else {
            match &self.date {
                HolidayDate::Fixed { month, day } => (
                    NaiveDate::from_ymd_opt(year, u32::from(*month), u32::from(*day)),
                    &[],
                ),
                HolidayDate::Nth { month, weekday, n } => {
                    (nth_weekday(year, u32::from(*month), *weekday, *n), &[])
                }
                HolidayDate::Easter { offset } => (
                    easter(year).and_then(|e| {
                        e.checked_add_signed(chrono::Duration::days(i64::from(*offset)))
                    }),
                    &[],
                ),
                HolidayDate::Dates { dates } => (None, dates.as_slice()),
            }
        };
        one.into_iter()
            .chain(listed.iter().copied().filter(move |d| d.year() == year))
    }

    fn validate(&self) -> Result<()> {
        let err = |why: String| {
            Err(Error::config(format!(
                "invalid holiday {:?}: {why}",
                self.name
            )))
        };
        match &self.date {
            HolidayDate::Fixed { month, day } => {
                // 2024 is a leap year, so 02-29 is accepted (and skipped in
                // other years).
                if NaiveDate::from_ymd_opt(2024, u32::from(*month), u32::from(*day)).is_none() {
                    return err(format!("{month:02}-{day:02} is not a day of the year"));
                }
            }
            HolidayDate::Nth { month, n, .. } => {
                if !(1..=12).contains(month) {
                    return err(format!("month {month} is not in 1 to 12"));
                }
                if *n == 0 || !(-5..=5).contains(n) {
                    return err(format!("n = {n} is not in 1 to 5 or -1 to -5"));
                }
            }
            HolidayDate::Easter { offset } => {
                if offset.unsigned_abs() > 200 {
                    return err(format!(
                        "an Easter offset of {offset} days leaves the year's Easter season"
                    ));
                }
            }
            HolidayDate::Dates { dates } => {
                if dates.is_empty() {
                    return err("it lists no dates".into());
                }
            }
        }
        if let (Some(s), Some(u)) = (self.since, self.until)
            && s > u
        {
            return err(format!("since {s} is after until {u}"));
        }
        Ok(())
    }
}

/// The `n`th `weekday` of a month (negative: from the end).
pub(crate) fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: i8) -> Option<NaiveDate> {
    if n > 0 {
        return NaiveDate::from_weekday_of_month_opt(year, month, weekday, n as u8);
    }
    let next_month = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let last = next_month.pred_opt()?;
    let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    let date = last.checked_sub_days(Days::new(
        u64::from(back) + 7 * (n.unsigned_abs() as u64 - 1),
    ))?;
    (date.month() == month).then_some(date)
}

/// Western Easter Sunday (the anonymous Gregorian algorithm).
pub fn easter(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

/// The days of `year` among the rule-years given (the year and its
/// neighbours), sorted by date, a day itself before its observed days.
pub(crate) fn merge_year<'a>(year: i32, rule_years: impl Iterator<Item = &'a [Day]>) -> Vec<Day> {
    let mut all: Vec<Day> = rule_years
        .flatten()
        .filter(|h| h.date.year() == year)
        .copied()
        .collect();
    all.sort_by_key(|h| (h.date, h.observed));
    all
}

/// A holiday on a date as the index of its rule in its set: what the
/// per-year caches hold, so that evaluating a decade of rules copies no
/// names. [`HolidaySet::named`] makes the [`HolidayOn`] shown to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Day {
    pub(crate) date: NaiveDate,
    /// The index of the holiday in [`HolidaySet::holidays`].
    pub(crate) rule: usize,
    pub(crate) observed: bool,
}

/// A holiday on a date, as a set lists it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct HolidayOn {
    /// The date.
    pub date: NaiveDate,
    /// The holiday's name; observed days are named `"<name> (observed)"`.
    pub name: String,
    /// Whether this is an observed (substitute) day rather than the day
    /// itself.
    pub observed: bool,
}

/// A named set of holidays with its weekend.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, Weekday};
/// use release_core::calendar::{Holiday, HolidaySet, Observed};
///
/// let set = HolidaySet::new("team", vec![
///     Holiday::fixed("Independence Day", 7, 4).observed(Observed::NearestWeekday),
/// ])?;
/// let day = |m, d| NaiveDate::from_ymd_opt(2020, m, d).unwrap();
/// assert_eq!(set.holiday(day(7, 3)).map(|h| h.name), Some("Independence Day (observed)".to_owned()));
/// assert!(!set.is_working_day(day(7, 3)));
/// assert!(set.is_working_day(day(7, 6)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidaySet {
    /// The set's name (`us`, `england-wales`, `ke`, or a team's own).
    pub name: String,
    /// The days that are not working days (default Saturday and Sunday).
    #[serde(
        default = "weekend",
        skip_serializing_if = "is_weekend",
        with = "crate::vocab::weekdays"
    )]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Vec<crate::schema_shapes::WeekdayName>")
    )]
    pub weekend: Vec<Weekday>,
    /// The holidays, in the order observed days are assigned.
    pub holidays: Vec<Holiday>,
}

fn weekend() -> Vec<Weekday> {
    vec![Weekday::Sat, Weekday::Sun]
}

fn is_weekend(days: &[Weekday]) -> bool {
    days == [Weekday::Sat, Weekday::Sun]
}

impl HolidaySet {
    /// A validated set with a Saturday-Sunday weekend.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the invalid
    /// holiday.
    pub fn new(name: &str, holidays: Vec<Holiday>) -> Result<HolidaySet> {
        let set = HolidaySet {
            name: name.to_owned(),
            weekend: weekend(),
            holidays,
        };
        set.validate()?;
        Ok(set)
    }

    /// This set with another weekend.
    pub fn with_weekend(mut self, weekend: &[Weekday]) -> HolidaySet {
        self.weekend = weekend.to_vec();
        self
    }

    /// Checks every holiday.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the holiday.
    pub fn validate(&self) -> Result<()> {
        self.holidays.iter().try_for_each(Holiday::validate)
    }

    /// Every holiday and observed day in `year`, sorted by date.
    pub fn holidays_in(&self, year: i32) -> Vec<HolidayOn> {
        self.days_in(year)
            .iter()
            .map(|day| self.named(day))
            .collect()
    }

    /// [`holidays_in`](Self::holidays_in) as rule indices.
    fn days_in(&self, year: i32) -> Vec<Day> {
        // Observed days may cross into the next or previous year (New
        // Year's Day on a Saturday is observed on 31 December), so the
        // neighbouring years are evaluated too. Saturating: at the ends of
        // `i32` there are no dates anyway (chrono stops at year 262143), and
        // a year must not panic.
        let neighbours =
            [year.saturating_sub(1), year, year.saturating_add(1)].map(|y| self.rules_year(y));
        merge_year(year, neighbours.iter().map(Vec::as_slice))
    }

    /// The day as users see it: with its holiday's name, observed days
    /// named `"<name> (observed)"`.
    pub(crate) fn named(&self, day: &Day) -> HolidayOn {
        let name = &self.holidays[day.rule].name;
        HolidayOn {
            date: day.date,
            name: if day.observed {
                format!("{name} (observed)")
            } else {
                name.clone()
            },
            observed: day.observed,
        }
    }

    /// The days the rules of `year` give, with their observed days, which
    /// may fall in a neighbouring year. [`WorkDays`](super::WorkDays) caches
    /// these per year, so that consecutive years share the work.
    pub(crate) fn rules_year(&self, year: i32) -> Vec<Day> {
        let mut days: Vec<Day> = self
            .holidays
            .iter()
            .enumerate()
            .flat_map(|(rule, h)| {
                h.dates_in(year).map(move |date| Day {
                    date,
                    rule,
                    observed: false,
                })
            })
            .collect();
        // Observed days in the set's order, each avoiding days already
        // taken, so substitute days do not collide.
        for i in 0..days.len() {
            let Day { date, rule, .. } = days[i];
            if let Some(day) = self.observed_day(self.holidays[rule].observed, date, &days) {
                days.push(Day {
                    date: day,
                    rule,
                    observed: true,
                });
            }
        }
        days
    }

    fn observed_day(&self, rule: Observed, date: NaiveDate, taken: &[Day]) -> Option<NaiveDate> {
        let weekend = |d: NaiveDate| self.weekend.contains(&d.weekday());
        let free = |d: NaiveDate| !weekend(d) && !taken.iter().any(|h| h.date == d);
        let next_free = |mut d: NaiveDate| {
            for _ in 0..14 {
                d = d.succ_opt()?;
                if free(d) {
                    return Some(d);
                }
            }
            None
        };
        match rule {
            Observed::None => None,
            Observed::NearestWeekday => match date.weekday() {
                Weekday::Sat => date.pred_opt(),
                Weekday::Sun => date.succ_opt(),
                _ => None,
            },
            Observed::NextWorkingDay if weekend(date) => next_free(date),
            Observed::SundayToNext if date.weekday() == Weekday::Sun => next_free(date),
            Observed::NextWorkingDay | Observed::SundayToNext => None,
        }
    }

    /// The holiday on `date`, if any (the day itself before an observed
    /// day).
    pub fn holiday(&self, date: NaiveDate) -> Option<HolidayOn> {
        self.days_in(date.year())
            .iter()
            .find(|h| h.date == date)
            .map(|day| self.named(day))
    }

    /// Whether `date` is neither a weekend day nor a holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !self.weekend.contains(&date.weekday())
            && !self.days_in(date.year()).iter().any(|h| h.date == date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easter_dates() {
        for (y, m, d) in [
            (2000, 4, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2038, 4, 25),
        ] {
            assert_eq!(easter(y), NaiveDate::from_ymd_opt(y, m, d), "{y}");
        }
    }

    #[test]
    fn nth_and_last_weekdays() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(nth_weekday(2024, 5, Weekday::Mon, -1), d(2024, 5, 27));
        assert_eq!(nth_weekday(2024, 11, Weekday::Thu, 4), d(2024, 11, 28));
        assert_eq!(nth_weekday(2024, 12, Weekday::Tue, -1), d(2024, 12, 31));
        assert_eq!(nth_weekday(2024, 2, Weekday::Thu, 5), d(2024, 2, 29));
        assert_eq!(nth_weekday(2023, 2, Weekday::Thu, 5), None);
    }

    #[test]
    fn substitute_days_do_not_collide() {
        let set = HolidaySet::new(
            "uk-like",
            vec![
                Holiday::fixed("Christmas Day", 12, 25).observed(Observed::NextWorkingDay),
                Holiday::fixed("Boxing Day", 12, 26).observed(Observed::NextWorkingDay),
            ],
        )
        .unwrap();
        let dates: Vec<String> = set
            .holidays_in(2021)
            .iter()
            .map(|h| h.date.to_string())
            .collect();
        // Christmas on Saturday, Boxing Day on Sunday: Monday 27th and
        // Tuesday 28th.
        assert_eq!(
            dates,
            ["2021-12-25", "2021-12-26", "2021-12-27", "2021-12-28"]
        );
    }

    #[test]
    fn observed_crosses_the_year() {
        let set = HolidaySet::new(
            "us-like",
            vec![Holiday::fixed("New Year's Day", 1, 1).observed(Observed::NearestWeekday)],
        )
        .unwrap();
        let in_2021: Vec<String> = set
            .holidays_in(2021)
            .iter()
            .map(|h| h.date.to_string())
            .collect();
        assert_eq!(in_2021, ["2021-01-01", "2021-12-31"]);
    }
}
