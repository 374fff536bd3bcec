//! Working days: weekends and holidays of one or more holiday sets, with a
//! per-year cache so that expanding a schedule over decades stays cheap.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Weekday};

use super::holiday::{Day, HolidayOn, HolidaySet, merge_year};

/// The working-day calendar of a schedule: the union of its holiday sets.
/// A day is a weekend day if any set says so (with no set: Saturday and
/// Sunday).
#[derive(Debug, Clone, Default)]
pub struct WorkDays {
    /// Shared: a schedule hands its sets to every expansion.
    sets: Arc<[HolidaySet]>,
    /// The holidays of each year, all sets merged. A schedule touches a
    /// handful of years in order, so a list searched from its most recent
    /// entry beats hashing (it showed in profiles of 10-year expansions).
    /// Each day is held as its set's index and its rule's (a [`Day`]):
    /// names are made only for the holidays a caller asks about.
    cache: Vec<(i32, Vec<(usize, Day)>)>,
    /// What each set's rules give for a year (see
    /// [`HolidaySet::rules_year`]); a year's holidays need its neighbours'
    /// too, so consecutive years share these.
    rule_years: HashMap<(usize, i32), Vec<Day>>,
}

impl WorkDays {
    /// The working days of the given sets.
    pub fn new(sets: Vec<HolidaySet>) -> WorkDays {
        WorkDays::shared(sets.into())
    }

    /// The working days of sets shared with their owner.
    pub(crate) fn shared(sets: Arc<[HolidaySet]>) -> WorkDays {
        WorkDays {
            sets,
            cache: Vec::new(),
            rule_years: HashMap::new(),
        }
    }

    /// Whether `date` is a weekend day.
    pub fn is_weekend(&self, date: NaiveDate) -> bool {
        let day = date.weekday();
        if self.sets.is_empty() {
            return matches!(day, Weekday::Sat | Weekday::Sun);
        }
        self.sets.iter().any(|s| s.weekend.contains(&day))
    }

    /// The holiday on `date`, if any.
    pub fn holiday(&mut self, date: NaiveDate) -> Option<HolidayOn> {
        let (set, day) = *self.day(date)?;
        Some(self.sets[set].named(&day))
    }

    /// Whether `date` is a holiday of any set.
    pub fn is_holiday(&mut self, date: NaiveDate) -> bool {
        self.day(date).is_some()
    }

    /// The first holiday on `date` by the sets' order, the day itself
    /// before an observed day.
    fn day(&mut self, date: NaiveDate) -> Option<&(usize, Day)> {
        let year = date.year();
        let cached = self.cache.iter().rposition(|(y, _)| *y == year);
        let index = if let Some(i) = cached {
            i
        } else {
            let mut all = Vec::new();
            for (i, set) in self.sets.iter().enumerate() {
                let neighbours = [year.saturating_sub(1), year, year.saturating_add(1)];
                for y in neighbours {
                    self.rule_years
                        .entry((i, y))
                        .or_insert_with(|| set.rules_year(y));
                }
                let parts = neighbours
                    .iter()
                    .filter_map(|y| self.rule_years.get(&(i, *y)).map(Vec::as_slice));
                all.extend(merge_year(year, parts).into_iter().map(|day| (i, day)));
            }
            all.sort_by_key(|(_, day)| (day.date, day.observed));
            self.cache.push((year, all));
            self.cache.len() - 1
        };
        self.cache[index].1.iter().find(|(_, day)| day.date == date)
    }

    /// Whether `date` is neither a weekend day nor a holiday.
    pub fn is_working_day(&mut self, date: NaiveDate) -> bool {
        !self.is_weekend(date) && !self.is_holiday(date)
    }

    /// The `n`th working day after `date` (negative: before). Zero gives
    /// `date` itself, working day or not.
    pub fn add_working_days(&mut self, date: NaiveDate, n: i32) -> Option<NaiveDate> {
        let mut d = date;
        let mut left = n.unsigned_abs();
        // A year of non-working days in a row means the sets are wrong;
        // stop rather than loop.
        let mut budget = 366 + 2 * left;
        while left > 0 {
            d = if n > 0 { d.succ_opt()? } else { d.pred_opt()? };
            if self.is_working_day(d) {
                left -= 1;
            }
            budget = budget.checked_sub(1)?;
        }
        Some(d)
    }
}
