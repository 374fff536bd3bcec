//! Built-in holiday sets.
//!
//! Each set is checked against the `holidays` PyPI package (the version
//! pinned in crates/release-py/requirements-dev.txt) for every year from
//! 2000 to 2050 (crates/release-py/tests/test_holidays.py): the dates must
//! be the same, observed days included. Names follow the package where
//! practical. Where the package's data is an estimate (lunar holidays) or
//! a one-off decision (jubilees, state funerals), the dates are listed
//! explicitly below; when the package changes them, the differential test
//! fails and the lists must be refreshed from it.

use chrono::{NaiveDate, Weekday};

use super::holiday::{Holiday, HolidaySet, Observed};

/// The names [`by_name`] knows.
pub const NAMES: [&str; 3] = ["us", "england-wales", "ke"];

/// The schema of a built-in holiday set's name: one of [`NAMES`].
#[cfg(feature = "schema")]
pub(crate) struct BuiltinHolidays;

#[cfg(feature = "schema")]
impl schemars::JsonSchema for BuiltinHolidays {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "BuiltinHolidays".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A built-in holiday set by name.",
            "type": "string",
            "enum": NAMES
        })
    }
}

/// A built-in set by name (one of [`NAMES`]).
pub fn by_name(name: &str) -> Option<HolidaySet> {
    match name {
        "us" => Some(us_federal()),
        "england-wales" => Some(england_wales()),
        "ke" => Some(kenya()),
        _ => None,
    }
}

/// A date in a `const` table. Only called in `const` items, so a date
/// that does not exist fails the build rather than a run.
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        #[expect(clippy::panic, reason = "evaluated at compile time only")]
        None => panic!("not a date in a built-in holiday table"),
    }
}

/// United States federal holidays (5 U.S.C. 6103), with Saturday holidays
/// observed on Friday and Sunday ones on Monday.
///
/// A Saturday New Year's Day is observed on 31 December of the year
/// before, which [`HolidaySet::holidays_in`] lists in that earlier year,
/// as the `holidays` package does. The rules are those in force since 1978
/// (when Veterans Day returned to 11 November); earlier years are not
/// modelled.
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

/// One-off bank holidays of England and Wales, by royal proclamation.
const ENGLAND_WALES_SPECIAL: [(&str, NaiveDate); 9] = [
    ("Silver Jubilee of Elizabeth II", ymd(1977, 6, 7)),
    ("Wedding of Charles and Diana", ymd(1981, 7, 29)),
    ("Millennium Celebrations", ymd(1999, 12, 31)),
    ("Golden Jubilee of Elizabeth II", ymd(2002, 6, 3)),
    ("Wedding of William and Catherine", ymd(2011, 4, 29)),
    ("Diamond Jubilee of Elizabeth II", ymd(2012, 6, 5)),
    ("Platinum Jubilee of Elizabeth II", ymd(2022, 6, 3)),
    ("State Funeral of Queen Elizabeth II", ymd(2022, 9, 19)),
    ("Coronation of Charles III", ymd(2023, 5, 8)),
];

/// Bank holidays in England and Wales (the gov.uk "england-and-wales"
/// list; the `holidays` package's `UK(subdiv="ENG")`, which equals its
/// `"WLS"`).
///
/// A weekend New Year's Day, Christmas Day or Boxing Day is substituted by
/// the next weekday that is not already a bank holiday: Christmas on a
/// Sunday gives Tuesday 27th, since Monday is Boxing Day. The early May
/// bank holiday moved to 8 May for the VE Day anniversaries of 1995 and
/// 2020, and the spring bank holiday moved for the jubilees of 2002, 2012
/// and 2022.
pub fn england_wales() -> HolidaySet {
    use Observed::NextWorkingDay as Next;
    let mut holidays = vec![
        // Bank holidays were extended to New Year's Day in 1974 (first
        // observed 1975 in the package's data).
        Holiday::fixed("New Year's Day", 1, 1)
            .observed(Next)
            .since(1975),
        Holiday::easter("Good Friday", -2),
        Holiday::easter("Easter Monday", 1),
        Holiday::nth("May Day", 5, Weekday::Mon, 1)
            .since(1978)
            .moved_to(ymd(1995, 5, 8))
            .moved_to(ymd(2020, 5, 8)),
        // Whit Monday until the spring bank holiday replaced it in 1971.
        Holiday::easter("Whit Monday", 50).until(1970),
        Holiday::nth("Spring Bank Holiday", 5, Weekday::Mon, -1)
            .since(1971)
            .moved_to(ymd(2002, 6, 4))
            .moved_to(ymd(2012, 6, 4))
            .moved_to(ymd(2022, 6, 2)),
        Holiday::nth("Late Summer Bank Holiday", 8, Weekday::Mon, -1).since(1971),
        Holiday::fixed("Christmas Day", 12, 25).observed(Next),
        Holiday::fixed("Boxing Day", 12, 26).observed(Next),
    ];
    holidays.extend(
        ENGLAND_WALES_SPECIAL
            .iter()
            .map(|(name, date)| Holiday::dates(name, &[*date])),
    );
    HolidaySet {
        name: "england-wales".to_owned(),
        weekend: vec![Weekday::Sat, Weekday::Sun],
        holidays,
    }
}

/// Idd-ul-Fitr in Kenya, 2000 to 2050: the dates of the `holidays`
/// package (`holidays.KE`, version pinned in
/// crates/release-py/requirements-dev.txt). The package has the gazetted
/// dates for 2014-2026 and estimates the others from the Islamic
/// calendar; when it revises an estimate (or a date is gazetted), the
/// differential test fails and this list must be refreshed from it. Years
/// outside 2000-2050 have no Idd-ul-Fitr in this set.
const KENYA_EID_AL_FITR: [NaiveDate; 53] = [
    ymd(2000, 1, 8),
    ymd(2000, 12, 27),
    ymd(2001, 12, 16),
    ymd(2002, 12, 5),
    ymd(2003, 11, 25),
    ymd(2004, 11, 14),
    ymd(2005, 11, 3),
    ymd(2006, 10, 23),
    ymd(2007, 10, 13),
    ymd(2008, 10, 1),
    ymd(2009, 9, 20),
    ymd(2010, 9, 10),
    ymd(2011, 8, 30),
    ymd(2012, 8, 19),
    ymd(2013, 8, 8),
    ymd(2014, 7, 29),
    ymd(2015, 7, 18),
    ymd(2016, 7, 7),
    ymd(2017, 6, 26),
    ymd(2018, 6, 15),
    ymd(2019, 6, 5),
    ymd(2020, 5, 25),
    ymd(2021, 5, 14),
    ymd(2022, 5, 3),
    ymd(2023, 4, 21),
    ymd(2024, 4, 10),
    ymd(2025, 3, 31),
    ymd(2026, 3, 20),
    ymd(2027, 3, 9),
    ymd(2028, 2, 26),
    ymd(2029, 2, 14),
    ymd(2030, 2, 4),
    ymd(2031, 1, 24),
    ymd(2032, 1, 14),
    ymd(2033, 1, 2),
    ymd(2033, 12, 23),
    ymd(2034, 12, 12),
    ymd(2035, 12, 1),
    ymd(2036, 11, 19),
    ymd(2037, 11, 8),
    ymd(2038, 10, 29),
    ymd(2039, 10, 19),
    ymd(2040, 10, 7),
    ymd(2041, 9, 26),
    ymd(2042, 9, 15),
    ymd(2043, 9, 4),
    ymd(2044, 8, 24),
    ymd(2045, 8, 14),
    ymd(2046, 8, 3),
    ymd(2047, 7, 24),
    ymd(2048, 7, 12),
    ymd(2049, 7, 1),
    ymd(2050, 6, 20),
];

/// One-off public holidays of Kenya, gazetted by the Cabinet Secretary
/// (as listed by the `holidays` package). A one-off day on a Sunday is not
/// observed on the Monday.
const KENYA_SPECIAL: [(&str, NaiveDate); 16] = [
    ("Visit of Pope Francis to Kenya", ymd(2015, 11, 26)),
    ("Election Day", ymd(2017, 8, 8)),
    ("Election Day", ymd(2017, 10, 25)),
    ("Election Day", ymd(2017, 10, 26)),
    ("Inauguration Day", ymd(2017, 11, 28)),
    ("President Moi Memorial Day", ymd(2020, 2, 11)),
    (
        "State Funeral for Former President Mwai Kibaki",
        ymd(2022, 4, 29),
    ),
    ("Election Day", ymd(2022, 8, 9)),
    ("Day of Mourning for Queen Elizabeth II", ymd(2022, 9, 10)),
    ("Day of Mourning for Queen Elizabeth II", ymd(2022, 9, 11)),
    ("Day of Mourning for Queen Elizabeth II", ymd(2022, 9, 12)),
    ("Inauguration Day", ymd(2022, 9, 13)),
    ("National Tree Growing Day", ymd(2023, 11, 13)),
    ("National Tree Growing Day", ymd(2024, 5, 10)),
    ("Inauguration Day", ymd(2024, 11, 1)),
    (
        "State Funeral for Former Prime Minister Raila Odinga",
        ymd(2025, 10, 17),
    ),
];

/// Kenyan public holidays (Public Holidays Act, Cap. 110, and the
/// Constitution of 2010), as the `holidays` package's default `KE` set
/// lists them.
///
/// A holiday on a Sunday is observed on the next day that is not a
/// weekend day or another holiday; one-off gazetted days are not. Days
/// renamed over the years (Kenyatta Day is Mashujaa Day since 2011, Moi
/// Day Utamaduni Day from 2021 and Mazingira Day from 2025) are separate
/// entries with year ranges. Idd-ul-Azha and Diwali are not in the set:
/// the package lists them only under its optional `ISLAMIC` and `HINDU`
/// categories. The package starts Sunday observance in 1985; this set
/// observes in every year, which differs only before 1985.
pub fn kenya() -> HolidaySet {
    use Observed::SundayToNext as Sun;
    let mut holidays = vec![
        Holiday::fixed("New Year's Day", 1, 1).observed(Sun),
        Holiday::easter("Good Friday", -2),
        Holiday::easter("Easter Monday", 1),
        Holiday::fixed("Labour Day", 5, 1).observed(Sun),
        // The package lists Madaraka Day from the 2010 Constitution on.
        Holiday::fixed("Madaraka Day", 6, 1)
            .observed(Sun)
            .since(2011),
        Holiday::fixed("Moi Day", 10, 10)
            .observed(Sun)
            .since(1990)
            .until(2009),
        Holiday::fixed("Moi Day", 10, 10)
            .observed(Sun)
            .since(2018)
            .until(2020),
        Holiday::fixed("Utamaduni Day", 10, 10)
            .observed(Sun)
            .since(2021)
            .until(2024),
        Holiday::fixed("Mazingira Day", 10, 10)
            .observed(Sun)
            .since(2025),
        Holiday::fixed("Kenyatta Day", 10, 20)
            .observed(Sun)
            .until(2010),
        Holiday::fixed("Mashujaa Day", 10, 20)
            .observed(Sun)
            .since(2011),
        Holiday::fixed("Independence Day", 12, 12)
            .observed(Sun)
            .until(2010),
        Holiday::fixed("Jamhuri Day", 12, 12)
            .observed(Sun)
            .since(2011),
        Holiday::fixed("Christmas Day", 12, 25).observed(Sun),
        Holiday::fixed("Boxing Day", 12, 26).observed(Sun),
        Holiday::dates("Idd-ul-Fitr", &KENYA_EID_AL_FITR).observed(Sun),
    ];
    holidays.extend(
        KENYA_SPECIAL
            .iter()
            .map(|(name, date)| Holiday::dates(name, &[*date])),
    );
    HolidaySet {
        name: "ke".to_owned(),
        weekend: vec![Weekday::Sat, Weekday::Sun],
        holidays,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    /// The dates and names of a set in `year`, as `"YYYY-MM-DD name"`.
    fn days(set: &HolidaySet, year: i32) -> Vec<String> {
        set.holidays_in(year)
            .iter()
            .map(|h| format!("{} {}", h.date, h.name))
            .collect()
    }

    fn has(set: &HolidaySet, date: &str, name: &str) -> bool {
        let date: NaiveDate = date.parse().unwrap();
        set.holidays_in(date.year())
            .iter()
            .any(|h| h.date == date && h.name == name)
    }

    #[test]
    fn names_are_known() {
        for name in NAMES {
            let set = by_name(name).unwrap();
            assert_eq!(set.name, name);
            set.validate().unwrap();
        }
        assert!(by_name("mars").is_none());
    }

    #[test]
    fn us_federal_dates() {
        let us = us_federal();
        assert!(has(&us, "2021-12-31", "New Year's Day (observed)"));
        assert!(has(
            &us,
            "2022-06-20",
            "Juneteenth National Independence Day (observed)"
        ));
        assert!(has(&us, "2020-07-03", "Independence Day (observed)"));
        assert!(!has(
            &us,
            "2020-06-19",
            "Juneteenth National Independence Day"
        ));
        // New Year's Day 2022 is a Saturday: observed in 2021, not 2022.
        assert_eq!(
            days(&us, 2022).first().map(String::as_str),
            Some("2022-01-01 New Year's Day")
        );
        assert_eq!(days(&us, 2023).len(), 13);
    }

    #[test]
    fn england_wales_dates() {
        let uk = england_wales();
        assert_eq!(
            days(&uk, 2022),
            [
                "2022-01-01 New Year's Day",
                "2022-01-03 New Year's Day (observed)",
                "2022-04-15 Good Friday",
                "2022-04-18 Easter Monday",
                "2022-05-02 May Day",
                "2022-06-02 Spring Bank Holiday",
                "2022-06-03 Platinum Jubilee of Elizabeth II",
                "2022-08-29 Late Summer Bank Holiday",
                "2022-09-19 State Funeral of Queen Elizabeth II",
                "2022-12-25 Christmas Day",
                "2022-12-26 Boxing Day",
                "2022-12-27 Christmas Day (observed)",
            ]
        );
        assert!(has(&uk, "2023-05-08", "Coronation of Charles III"));
        assert!(has(&uk, "2020-05-08", "May Day"));
        assert!(!has(&uk, "2020-05-04", "May Day"));
        assert!(has(&uk, "2012-06-04", "Spring Bank Holiday"));
        assert!(has(&uk, "2012-06-05", "Diamond Jubilee of Elizabeth II"));
        // Christmas on Saturday, Boxing Day on Sunday.
        assert!(has(&uk, "2021-12-27", "Christmas Day (observed)"));
        assert!(has(&uk, "2021-12-28", "Boxing Day (observed)"));
        assert_eq!(days(&uk, 2019).len(), 8);
    }

    #[test]
    fn kenya_dates() {
        let ke = kenya();
        assert!(has(&ke, "2023-04-21", "Idd-ul-Fitr"));
        // Idd-ul-Fitr on Sunday 2 January 2033 is observed on the Monday.
        assert!(has(&ke, "2033-01-03", "Idd-ul-Fitr (observed)"));
        // Christmas on Sunday: Monday is Boxing Day, so Tuesday.
        assert!(has(&ke, "2022-12-27", "Christmas Day (observed)"));
        assert!(has(&ke, "2022-10-10", "Utamaduni Day"));
        assert!(has(&ke, "2025-10-10", "Mazingira Day"));
        assert!(has(&ke, "2010-10-20", "Kenyatta Day"));
        assert!(has(&ke, "2011-10-20", "Mashujaa Day"));
        assert!(ke.holiday("2015-10-10".parse().unwrap()).is_none());
        // A one-off day on a Sunday is not observed on the Monday.
        assert!(has(
            &ke,
            "2022-09-11",
            "Day of Mourning for Queen Elizabeth II"
        ));
        assert!(has(&ke, "2022-09-13", "Inauguration Day"));
        assert_eq!(
            ke.holidays_in(2022)
                .iter()
                .filter(|h| h.observed)
                .map(|h| h.date.to_string())
                .collect::<Vec<_>>(),
            ["2022-05-02", "2022-12-27"]
        );
    }
}
