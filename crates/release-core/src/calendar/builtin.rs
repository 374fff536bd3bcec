//! Built-in holiday sets.
//!
//! Each set is checked against the `holidays` PyPI package for every year
//! from 2000 to 2050 (crates/release-py/tests/test_holidays.py).

use chrono::Weekday;

use super::holiday::{Holiday, HolidaySet, Observed};

/// The names [`by_name`] knows.
pub const NAMES: [&str; 1] = ["us"];

/// A built-in set by name.
pub fn by_name(name: &str) -> Option<HolidaySet> {
    match name {
        "us" => Some(us_federal()),
        _ => None,
    }
}

/// United States federal holidays (5 U.S.C. 6103), with Saturday holidays
/// observed on Friday and Sunday ones on Monday.
pub fn us_federal() -> HolidaySet {
    use Observed::NearestWeekday as Near;
    HolidaySet {
        name: "us".to_owned(),
        weekend: vec![Weekday::Sat, Weekday::Sun],
        holidays: vec![
            Holiday::fixed("New Year's Day", 1, 1).observed(Near),
            Holiday::nth("Martin Luther King Jr. Day", 1, Weekday::Mon, 3).since(1986),
            Holiday::nth("Washington's Birthday", 2, Weekday::Mon, 3),
            Holiday::nth("Memorial Day", 5, Weekday::Mon, -1),
            Holiday::fixed("Juneteenth National Independence Day", 6, 19)
                .observed(Near)
                .since(2021),
            Holiday::fixed("Independence Day", 7, 4).observed(Near),
            Holiday::nth("Labor Day", 9, Weekday::Mon, 1),
            Holiday::nth("Columbus Day", 10, Weekday::Mon, 2),
            Holiday::fixed("Veterans Day", 11, 11).observed(Near),
            Holiday::nth("Thanksgiving Day", 11, Weekday::Thu, 4),
            Holiday::fixed("Christmas Day", 12, 25).observed(Near),
        ],
    }
}
