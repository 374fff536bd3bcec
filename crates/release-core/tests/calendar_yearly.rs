//! Property tests of yearly rules (RFC 5545 `FREQ=YEARLY` with `BYMONTH`,
//! `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY`, `BYDAY` with ordinals,
//! `BYSETPOS`, `WKST`, `INTERVAL`, `COUNT`, `UNTIL`).
//!
//! For generated rules and start dates 1990-2040: the dates strictly
//! increase, none is before the start, each one satisfies the rule's parts
//! by an independent predicate (written from RFC 5545's definitions, not
//! from the implementation: weeks found through their fourth day, ordinals
//! counted by walking the month or the year), and the dates are exactly a
//! brute-force model's (every day of every year tested, `BYSETPOS` picked
//! from the year's set, `COUNT` and `UNTIL` applied), so none is missed.
//! The rule also survives an RRULE text round trip.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use release_core::calendar::{ByDay, Frequency, Recurrence, RecurrenceRule, Until};

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Years after the start's that are compared.
const YEARS: i32 = 60;
/// Dates compared at most per rule.
const N: usize = 30;

fn weekday() -> impl Strategy<Value = Weekday> {
    prop::sample::select(WEEKDAYS.to_vec())
}

fn nonzero(lo: i16, hi: i16) -> impl Strategy<Value = i16> {
    prop_oneof![1i16..=hi, lo..=-1i16]
}

fn start_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2040, 12, 31).unwrap();
    prop_oneof![
        (0..=(last - first).num_days() as u64).prop_map(move |n| first + Days::new(n)),
        // Leap days and month ends, where skipping matters.
        prop::sample::select(vec![
            (1992, 2, 29),
            (2000, 2, 29),
            (2024, 2, 29),
            (2023, 1, 31),
            (2024, 12, 31)
        ])
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
    ]
}

/// Yearly rules: each BY part present now and then, with values in their
/// RFC 5545 ranges (some combinations are then refused by `validate` and
/// filtered out).
fn yearly_rule() -> impl Strategy<Value = RecurrenceRule> {
    let by_day = prop::collection::vec(
        (
            prop::option::weighted(0.4, prop_oneof![3 => nonzero(-5, 5), 1 => nonzero(-53, 53)]),
            weekday(),
        )
            .prop_map(|(ordinal, weekday)| ByDay {
                ordinal: ordinal.map(|n| n as i8),
                weekday,
            }),
        0..3,
    );
    (
        1u32..=4,
        prop::collection::vec(1u8..=12, 0..3),
        prop::collection::vec(nonzero(-53, 53).prop_map(|n| n as i8), 0..2),
        prop::collection::vec(
            prop_oneof![nonzero(-366, 366), nonzero(-5, 5), 59i16..=61],
            0..2,
        ),
        prop::collection::vec(nonzero(-31, 31).prop_map(|n| n as i8), 0..2),
        by_day,
        prop::collection::vec(prop_oneof![nonzero(-3, 3), nonzero(-366, 366)], 0..2),
        (
            weekday(),
            prop::option::weighted(0.2, 1u32..20),
            prop::option::weighted(0.2, 0i64..20_000),
        ),
    )
        .prop_filter_map(
            "a valid rule",
            |(
                interval,
                by_month,
                by_week_no,
                by_year_day,
                by_month_day,
                by_day,
                by_set_pos,
                rest,
            )| {
                let (week_start, count, until_days) = rest;
                let mut rule = RecurrenceRule::new(Frequency::Yearly, interval);
                rule.by_month = by_month;
                rule.by_week_no = by_week_no;
                rule.by_year_day = by_year_day;
                rule.by_month_day = by_month_day;
                rule.by_day = by_day;
                rule.by_set_pos = by_set_pos;
                rule.week_start = week_start;
                rule.count = count;
                rule.until = match (count, until_days) {
                    (None, Some(days)) => Some(Until::Date(
                        NaiveDate::from_ymd_opt(1990, 1, 1).unwrap() + Days::new(days as u64),
                    )),
                    _ => None,
                };
                rule.validate().is_ok().then_some(rule)
            },
        )
}

fn year_len(year: i32) -> u32 {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap().ordinal()
}

fn month_len(date: NaiveDate) -> u32 {
    (28..=31)
        .rev()
        .find(|d| date.with_day(*d).is_some())
        .unwrap()
}

/// Whether `n` (1-based from the start, negative from the end) names
/// position `index` (1-based) of `len`.
fn names(n: i32, index: u32, len: u32) -> bool {
    if n > 0 {
        n as u32 == index
    } else {
        len as i32 + 1 + n == index as i32
    }
}

/// `date`'s week number with weeks starting on `wkst`, and the number of
/// weeks of the year the week belongs to: a week belongs to the year of
/// its fourth day (so week 1 has at least four days in its year).
fn week(date: NaiveDate, wkst: Weekday) -> (u32, u32) {
    let week_start = |d: NaiveDate| {
        let back = (7 + d.weekday().num_days_from_monday() - wkst.num_days_from_monday()) % 7;
        d - Days::new(u64::from(back))
    };
    let fourth = week_start(date) + Days::new(3);
    let number = fourth.ordinal0() / 7 + 1;
    let dec31 = NaiveDate::from_ymd_opt(fourth.year(), 12, 31).unwrap();
    let mut last = week_start(dec31) + Days::new(3);
    if last.year() != fourth.year() {
        last = last - Days::new(7);
    }
    (number, last.ordinal0() / 7 + 1)
}

/// Whether `date` is the `n`th of its weekday in `first..=last`, counted by
/// walking the range.
fn nth_in(date: NaiveDate, n: i8, first: NaiveDate, last: NaiveDate) -> bool {
    let same: Vec<NaiveDate> = first
        .iter_days()
        .take_while(|d| *d <= last)
        .filter(|d| d.weekday() == date.weekday())
        .collect();
    let index = same.iter().position(|d| *d == date).unwrap() as u32 + 1;
    names(i32::from(n), index, same.len() as u32)
}

/// Whether `date` passes the rule's BY parts (not `BYSETPOS`, the interval,
/// the start, `COUNT` or `UNTIL`), from RFC 5545's definitions.
fn matches(rule: &RecurrenceRule, start: NaiveDate, date: NaiveDate) -> bool {
    if !rule.by_month.is_empty() && !rule.by_month.contains(&(date.month() as u8)) {
        return false;
    }
    if !rule.by_year_day.is_empty()
        && !rule
            .by_year_day
            .iter()
            .any(|n| names(i32::from(*n), date.ordinal(), year_len(date.year())))
    {
        return false;
    }
    if !rule.by_month_day.is_empty()
        && !rule
            .by_month_day
            .iter()
            .any(|n| names(i32::from(*n), date.day(), month_len(date)))
    {
        return false;
    }
    if !rule.by_week_no.is_empty() {
        let (number, weeks) = week(date, rule.week_start);
        if !rule
            .by_week_no
            .iter()
            .any(|n| names(i32::from(*n), number, weeks))
        {
            return false;
        }
    }
    if !rule.by_day.is_empty() {
        let (first, last) = if rule.by_month.is_empty() {
            (
                NaiveDate::from_ymd_opt(date.year(), 1, 1).unwrap(),
                NaiveDate::from_ymd_opt(date.year(), 12, 31).unwrap(),
            )
        } else {
            (
                date.with_day(1).unwrap(),
                date.with_day(month_len(date)).unwrap(),
            )
        };
        let ok = rule.by_day.iter().any(|b| {
            b.weekday == date.weekday() && b.ordinal.is_none_or(|n| nth_in(date, n, first, last))
        });
        if !ok {
            return false;
        }
    }
    let day_given = !rule.by_week_no.is_empty()
        || !rule.by_year_day.is_empty()
        || !rule.by_month_day.is_empty()
        || !rule.by_day.is_empty();
    if !day_given {
        return date.day() == start.day()
            && (!rule.by_month.is_empty() || date.month() == start.month());
    }
    true
}

/// The brute-force model: every day of every year in phase, `BYSETPOS`
/// over the year's set, then the start, `UNTIL` and `COUNT`.
fn model(rule: &RecurrenceRule, start: NaiveDate, last_year: i32) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    for year in (start.year()..=last_year).step_by(rule.interval as usize) {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).unwrap();
        let set: Vec<NaiveDate> = first
            .iter_days()
            .take(year_len(year) as usize)
            .filter(|d| matches(rule, start, *d))
            .collect();
        let picked: Vec<NaiveDate> = if rule.by_set_pos.is_empty() {
            set
        } else {
            let len = set.len() as u32;
            let mut p: Vec<NaiveDate> = (1..=len)
                .filter(|i| {
                    rule.by_set_pos
                        .iter()
                        .any(|n| names(i32::from(*n), *i, len))
                })
                .map(|i| set[i as usize - 1])
                .collect();
            p.sort();
            p
        };
        out.extend(picked.into_iter().filter(|d| *d >= start));
    }
    if let Some(Until::Date(until)) = rule.until {
        out.retain(|d| *d <= until);
    }
    if let Some(count) = rule.count {
        out.truncate(count as usize);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn yearly_dates_are_the_rules(rule in yearly_rule(), start in start_date()) {
        let last_year = start.year() + YEARS;
        let recurrence = Recurrence::new(start, rule.clone()).unwrap();
        let dates: Vec<NaiveDate> = recurrence
            .dates()
            .take_while(|d| d.year() <= last_year)
            .take(N)
            .collect();
        for pair in dates.windows(2) {
            prop_assert!(pair[0] < pair[1], "{rule} from {start}: {} then {}", pair[0], pair[1]);
        }
        for d in &dates {
            prop_assert!(*d >= start, "{rule} from {start}: {d} is before the start");
            prop_assert!((d.year() - start.year()) % rule.interval as i32 == 0, "{rule} from {start}: {d} is out of phase");
            prop_assert!(matches(&rule, start, *d), "{rule} from {start}: {d} does not match");
        }
        let mut expected = model(&rule, start, last_year);
        expected.truncate(N);
        prop_assert_eq!(&dates, &expected, "{} from {}", rule, start);
        let again: RecurrenceRule = rule.to_string().parse().unwrap();
        prop_assert_eq!(again, rule);
    }
}

/// The predicate and the model themselves, on known dates.
#[test]
fn the_model_knows_its_weeks() {
    let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    assert_eq!(week(d("2024-12-30"), Weekday::Mon), (1, 52));
    assert_eq!(week(d("2021-01-03"), Weekday::Mon), (53, 53));
    assert_eq!(week(d("2026-12-31"), Weekday::Mon), (53, 53));
    let rule: RecurrenceRule = "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH".parse().unwrap();
    assert_eq!(
        model(&rule, d("2024-01-01"), 2025),
        [d("2024-11-28"), d("2025-11-27")]
    );
}
