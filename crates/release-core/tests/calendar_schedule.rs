//! Schedules from the seed processes, holiday policies and overrides.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use release_core::calendar::{
    Holiday, HolidayPolicy, HolidaySet, HolidaySource, Override, Recurrence, RecurrenceRule,
    Schedule,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn weekly(
    name: &str,
    start: &str,
    interval: u32,
    day: Weekday,
    time: NaiveTime,
    zone: &str,
) -> Schedule {
    Schedule::new(
        name,
        Recurrence::new(d(start), RecurrenceRule::weekly(interval, &[day])).unwrap(),
        time,
        zone.parse().unwrap(),
    )
    .unwrap()
}

#[test]
fn mozilla_every_other_tuesday() {
    let s = weekly(
        "release",
        "2020-11-17",
        2,
        Weekday::Tue,
        hm(10, 0),
        "America/Los_Angeles",
    );
    let next = s.next_after(t("2020-12-02T12:00:00Z")).unwrap();
    assert_eq!(next.date, d("2020-12-15"));
    let dates: Vec<String> = s
        .upcoming(t("2020-12-02T12:00:00Z"), 4)
        .iter()
        .map(|o| o.date.to_string())
        .collect();
    assert_eq!(
        dates,
        ["2020-12-15", "2020-12-29", "2021-01-12", "2021-01-26"]
    );
}

#[test]
fn eat_team_slots_in_nairobi() {
    let now = t("2020-07-01T12:00:00+03:00");
    let dev = weekly(
        "dev",
        "2020-01-05",
        1,
        Weekday::Sun,
        hm(20, 0),
        "Africa/Nairobi",
    );
    let staging = weekly(
        "staging",
        "2020-01-06",
        1,
        Weekday::Mon,
        hm(8, 30),
        "Africa/Nairobi",
    );
    let production = weekly(
        "production",
        "2020-07-08",
        2,
        Weekday::Wed,
        hm(7, 30),
        "Africa/Nairobi",
    );
    assert_eq!(dev.next_after(now).unwrap().at, t("2020-07-05T17:00:00Z"));
    assert_eq!(
        staging.next_after(now).unwrap().at,
        t("2020-07-06T05:30:00Z")
    );
    assert_eq!(
        production.next_after(now).unwrap().at,
        t("2020-07-08T04:30:00Z")
    );
    // Production every second week.
    let prod: Vec<String> = production
        .upcoming(now, 3)
        .iter()
        .map(|o| o.date.to_string())
        .collect();
    assert_eq!(prod, ["2020-07-08", "2020-07-22", "2020-08-05"]);
}

fn year_end() -> HolidaySet {
    HolidaySet::new(
        "team",
        vec![Holiday::fixed("the year-end shutdown", 12, 29)],
    )
    .unwrap()
}

#[test]
fn holiday_policies_move_and_explain() {
    let base = weekly(
        "release",
        "2020-11-17",
        2,
        Weekday::Tue,
        hm(10, 0),
        "America/Los_Angeles",
    );
    let next = base
        .clone()
        .with_holidays(
            vec![HolidaySource::Custom(year_end())],
            HolidayPolicy::NextWorkingDay,
        )
        .unwrap();
    let moved = next.next_after(t("2020-12-20T00:00:00Z")).unwrap();
    assert_eq!(moved.date, d("2020-12-30"));
    assert_eq!(moved.scheduled, d("2020-12-29"));
    assert_eq!(
        moved.notes,
        ["2020-12-29 falls on the year-end shutdown; moved to 2020-12-30 by next_working_day"]
    );
    let explained = next.explain(d("2020-12-29"));
    assert!(explained.scheduled);
    assert_eq!(explained.occurrence.unwrap().date, d("2020-12-30"));
    assert_eq!(
        explained.reasons,
        [
            "2020-12-29 is occurrence 4 of release (FREQ=WEEKLY;INTERVAL=2;BYDAY=TU from 2020-11-17, at 10:00 America/Los_Angeles)",
            "2020-12-29 falls on the year-end shutdown; moved to 2020-12-30 by next_working_day",
        ]
    );

    let prev = base
        .clone()
        .with_holidays(
            vec![HolidaySource::Custom(year_end())],
            HolidayPolicy::PreviousWorkingDay,
        )
        .unwrap();
    assert_eq!(
        prev.next_after(t("2020-12-20T00:00:00Z")).unwrap().date,
        d("2020-12-28")
    );

    let skip = base
        .clone()
        .with_holidays(vec![HolidaySource::Custom(year_end())], HolidayPolicy::Skip)
        .unwrap();
    assert_eq!(
        skip.next_after(t("2020-12-20T00:00:00Z")).unwrap().date,
        d("2021-01-12")
    );
    assert!(skip.explain(d("2020-12-29")).occurrence.is_none());

    let shift = base
        .with_holidays(
            vec![HolidaySource::Custom(year_end())],
            HolidayPolicy::Shift(2),
        )
        .unwrap();
    assert_eq!(
        shift.next_after(t("2020-12-20T00:00:00Z")).unwrap().date,
        d("2020-12-31")
    );
}

#[test]
fn builtin_sets_by_name_and_unknown_names() {
    let s = weekly(
        "r",
        "2024-01-04",
        1,
        Weekday::Thu,
        hm(9, 0),
        "America/New_York",
    );
    let us = s
        .clone()
        .with_holidays(
            vec![HolidaySource::Builtin("us".into())],
            HolidayPolicy::PreviousWorkingDay,
        )
        .unwrap();
    // Thanksgiving 2024 is Thursday 28 November: moved to Wednesday.
    let o = us.next_after(t("2024-11-22T00:00:00Z")).unwrap();
    assert_eq!(o.date, d("2024-11-27"));
    let err = s
        .with_holidays(
            vec![HolidaySource::Builtin("atlantis".into())],
            HolidayPolicy::Skip,
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("unknown holiday set \"atlantis\""),
        "{err}"
    );
}

#[test]
fn overrides_cancel_move_and_add_in_order() {
    let s = weekly(
        "release",
        "2024-01-02",
        1,
        Weekday::Tue,
        hm(10, 0),
        "Europe/London",
    )
    .with_override(Override::Cancel {
        date: d("2024-01-09"),
        reason: "team offsite".into(),
    })
    .unwrap()
    .with_override(Override::Move {
        date: d("2024-01-16"),
        to: d("2024-01-31"),
        time: Some(hm(15, 0)),
        reason: "after the migration".into(),
    })
    .unwrap()
    .with_override(Override::Add {
        date: d("2024-01-11"),
        time: None,
        reason: "security fix".into(),
    })
    .unwrap();
    let got: Vec<String> = s
        .occurrences()
        .take(6)
        .map(|o| o.local.format("%Y-%m-%d %H:%M").to_string())
        .collect();
    assert_eq!(
        got,
        [
            "2024-01-02 10:00",
            "2024-01-11 10:00",
            "2024-01-23 10:00",
            "2024-01-30 10:00",
            "2024-01-31 15:00",
            "2024-02-06 10:00"
        ]
    );
    assert_eq!(
        s.explain(d("2024-01-09")).reasons[1],
        "cancelled: team offsite"
    );
    let bad = weekly(
        "release",
        "2024-01-02",
        1,
        Weekday::Tue,
        hm(10, 0),
        "Europe/London",
    )
    .with_override(Override::Cancel {
        date: d("2024-01-10"),
        reason: "x".into(),
    })
    .unwrap_err();
    assert!(
        bad.to_string()
            .contains("names a date the schedule does not have"),
        "{bad}"
    );
}

#[test]
fn dst_never_duplicates_or_drops() {
    // 02:30 daily in New York across both transitions of 2024.
    let s = Schedule::new(
        "nightly",
        Recurrence::new(
            d("2024-03-08"),
            RecurrenceRule::new(release_core::calendar::Frequency::Daily, 1),
        )
        .unwrap(),
        hm(2, 30),
        "America/New_York".parse().unwrap(),
    )
    .unwrap();
    let spring: Vec<String> = s.occurrences().take(4).map(|o| o.at.to_rfc3339()).collect();
    assert_eq!(
        spring,
        [
            "2024-03-08T07:30:00+00:00",
            "2024-03-09T07:30:00+00:00",
            "2024-03-10T07:30:00+00:00",
            "2024-03-11T06:30:00+00:00"
        ]
    );
    let fall = Schedule::new(
        "nightly",
        Recurrence::new(
            d("2024-11-02"),
            RecurrenceRule::new(release_core::calendar::Frequency::Daily, 1),
        )
        .unwrap(),
        hm(1, 30),
        "America/New_York".parse().unwrap(),
    )
    .unwrap();
    let fall: Vec<String> = fall
        .occurrences()
        .take(3)
        .map(|o| o.at.to_rfc3339())
        .collect();
    assert_eq!(
        fall,
        [
            "2024-11-02T05:30:00+00:00",
            "2024-11-03T05:30:00+00:00",
            "2024-11-04T06:30:00+00:00"
        ]
    );
}

#[test]
fn schedules_round_trip_through_serde() {
    let s = weekly(
        "release",
        "2020-11-17",
        2,
        Weekday::Tue,
        hm(10, 0),
        "America/Los_Angeles",
    )
    .with_holidays(
        vec![
            HolidaySource::Builtin("us".into()),
            HolidaySource::Custom(year_end()),
        ],
        HolidayPolicy::Shift(1),
    )
    .unwrap()
    .with_override(Override::Cancel {
        date: d("2020-12-01"),
        reason: "freeze".into(),
    })
    .unwrap();
    let json = serde_json::to_string(&s).unwrap();
    let back: Schedule = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    let typo = json.replace("\"policy\"", "\"polcy\"");
    let err = serde_json::from_str::<Schedule>(&typo)
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown field `polcy`"), "{err}");
}
