//! Working days: weekends and holidays of one or more holiday sets, with a
//! per-year cache so that expanding a schedule over decades stays cheap.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::holiday::{HolidayOn, HolidaySet};

/// The working-day calendar of a schedule: the union of its holiday sets.
/// A day is a weekend day if any set says so (with no set: Saturday and
/// Sunday).
#[derive(Debug, Clone, Default)]
pub struct WorkDays {
    sets: Vec<HolidaySet>,
    cache: HashMap<i32, Vec<HolidayOn>>,
}

impl WorkDays {
    /// The working days of the given sets.
    pub fn new(sets: Vec<HolidaySet>) -> WorkDays {
        WorkDays {
            sets,
            cache: HashMap::new(),
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
    pub fn holiday(&mut self, date: NaiveDate) -> Option<&HolidayOn> {
        let sets = &self.sets;
        let year = self.cache.entry(date.year()).or_insert_with(|| {
            let mut all: Vec<HolidayOn> = sets
                .iter()
                .flat_map(|s| s.holidays_in(date.year()))
                .collect();
            all.sort_by(|a, b| a.date.cmp(&b.date).then(a.observed.cmp(&b.observed)));
            all
        });
        year.iter().find(|h| h.date == date)
    }

    /// Whether `date` is neither a weekend day nor a holiday.
    pub fn is_working_day(&mut self, date: NaiveDate) -> bool {
        !self.is_weekend(date) && self.holiday(date).is_none()
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
