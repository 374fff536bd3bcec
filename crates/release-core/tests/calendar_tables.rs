//! Schedules with a published table of dates: alone, mixed with a rule,
//! their validation errors (snapshot-tested: they are part of the
//! interface) and the law that occurrences stay strictly increasing.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc, Weekday};
use proptest::prelude::*;
use release_core::calendar::{
    HolidayPolicy, HolidaySource, Occurrence, Override, PublishedDate, Recurrence, RecurrenceRule,
    Schedule,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// Every other Tuesday from 2024-09-03 at 10:00 in London.
fn fortnightly() -> Schedule {
    Schedule::new(
        "release",
        Recurrence::new(d("2024-09-03"), RecurrenceRule::weekly(2, &[Weekday::Tue])).unwrap(),
        hm(10, 0),
        "Europe/London".parse().unwrap(),
    )
    .unwrap()
}

fn row(o: &Occurrence) -> String {
    format!(
        "{} {} scheduled {} index {:?} label {:?} {:?}",
        o.local.format("%Y-%m-%d %H:%M"),
        o.at.format("%H:%MZ"),
        o.scheduled,
        o.index,
        o.label,
        o.notes
    )
}

#[test]
fn a_table_alone() {
    // Written out of order: indices follow the dates.
    let s = Schedule::from_dates(
        "3.13",
        vec![
            PublishedDate::on(d("2024-10-07")).label("3.13.0"),
            PublishedDate::on(d("2024-08-01"))
                .label("3.13.0rc1")
                .at(hm(18, 30)),
            PublishedDate::on(d("2024-10-01"))
                .label("3.13.0rc3")
                .because("a late regression"),
        ],
        hm(12, 0),
        "UTC".parse().unwrap(),
    )
    .unwrap();
    let got: Vec<String> = s.occurrences().map(|o| row(&o)).collect();
    assert_eq!(
        got,
        [
            "2024-08-01 18:30 18:30Z scheduled 2024-08-01 index Some(0) label Some(\"3.13.0rc1\") [\"from the table\"]",
            "2024-10-01 12:00 12:00Z scheduled 2024-10-01 index Some(1) label Some(\"3.13.0rc3\") [\"from the table: a late regression\"]",
            "2024-10-07 12:00 12:00Z scheduled 2024-10-07 index Some(2) label Some(\"3.13.0\") [\"from the table\"]",
        ]
    );
    assert!(s.recurrence().is_none());
    let e = s.explain(d("2024-10-01"));
    assert!(e.scheduled);
    assert_eq!(
        e.reasons,
        [
            "2024-10-01 is entry 2 of the dates table of 3.13 (a dates table, at 12:00 UTC) (3.13.0rc3): a late regression"
        ]
    );
    assert_eq!(e.occurrence.unwrap().label.as_deref(), Some("3.13.0rc3"));
    let none = s.explain(d("2024-10-02"));
    assert!(!none.scheduled && none.occurrence.is_none());
    // Serde round trip: no recurrence written, the table kept.
    let json = serde_json::to_string(&s).unwrap();
    assert!(!json.contains("recurrence"), "{json}");
    let back: Schedule = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s);
    assert_eq!(
        s.to_rrule(),
        "DTSTART;TZID=UTC:20240801T183000\nRDATE;TZID=UTC:20240801T183000,20241001T120000,20241007T120000"
    );
    // The label travels in the occurrence's JSON, and is left out without one.
    let o = s.occurrences().next().unwrap();
    let v = serde_json::to_value(&o).unwrap();
    assert_eq!(v["label"], "3.13.0rc1");
    let plain = fortnightly().occurrences().next().unwrap();
    assert!(serde_json::to_value(&plain).unwrap().get("label").is_none());
}

#[test]
fn a_table_mixed_with_a_rule() {
    // Rule dates: 09-03, 09-17, 10-01, 10-15, 10-29, 11-12, ...
    let s = fortnightly()
        .with_holidays(
            vec![HolidaySource::Builtin("england-wales".into())],
            HolidayPolicy::NextWorkingDay,
        )
        .unwrap()
        .with_dates(vec![
            // On a rule date: is that occurrence, at its own time.
            PublishedDate::on(d("2024-09-17"))
                .label("1.0.0")
                .at(hm(14, 0)),
            // Replaces a rule date, later.
            PublishedDate::on(d("2024-10-03"))
                .label("1.1.0")
                .replacing(d("2024-10-01"))
                .because("a slipped final"),
            // Replaces a rule date, earlier.
            PublishedDate::on(d("2024-10-24"))
                .label("1.2.0")
                .replacing(d("2024-10-29")),
            // Added.
            PublishedDate::on(d("2024-10-09"))
                .label("1.1.1")
                .because("a security fix"),
            // On a holiday (Christmas Day is a Wednesday): kept.
            PublishedDate::on(d("2024-12-25")).label("1.3.0"),
        ])
        .unwrap();
    let got: Vec<String> = s.occurrences().take(11).map(|o| row(&o)).collect();
    assert_eq!(
        got,
        [
            "2024-09-03 10:00 09:00Z scheduled 2024-09-03 index Some(0) label None []",
            "2024-09-17 14:00 13:00Z scheduled 2024-09-17 index Some(1) label Some(\"1.0.0\") [\"from the table\"]",
            "2024-10-03 10:00 09:00Z scheduled 2024-10-01 index Some(2) label Some(\"1.1.0\") [\"moved from 2024-10-01 by the table: a slipped final\"]",
            "2024-10-09 10:00 09:00Z scheduled 2024-10-09 index None label Some(\"1.1.1\") [\"added by the table: a security fix\"]",
            "2024-10-15 10:00 09:00Z scheduled 2024-10-15 index Some(3) label None []",
            "2024-10-24 10:00 09:00Z scheduled 2024-10-29 index Some(4) label Some(\"1.2.0\") [\"moved from 2024-10-29 by the table\"]",
            "2024-11-12 10:00 10:00Z scheduled 2024-11-12 index Some(5) label None []",
            "2024-11-26 10:00 10:00Z scheduled 2024-11-26 index Some(6) label None []",
            "2024-12-10 10:00 10:00Z scheduled 2024-12-10 index Some(7) label None []",
            "2024-12-24 10:00 10:00Z scheduled 2024-12-24 index Some(8) label None []",
            "2024-12-25 10:00 10:00Z scheduled 2024-12-25 index None label Some(\"1.3.0\") [\"added by the table\"]",
        ]
    );
    assert_eq!(
        s.explain(d("2024-09-17")).reasons,
        [
            "2024-09-17 is occurrence 2 of release (FREQ=WEEKLY;INTERVAL=2;BYDAY=TU from 2024-09-03, at 10:00 Europe/London)",
            "from the table: the dates table's entry for 2024-09-17 (1.0.0) is this occurrence",
        ]
    );
    let moved = s.explain(d("2024-10-01"));
    assert_eq!(
        moved.reasons[1],
        "moved to 2024-10-03 by the dates table's entry for 2024-10-03 (1.1.0): a slipped final"
    );
    assert_eq!(moved.occurrence.unwrap().date, d("2024-10-03"));
    let landed = s.explain(d("2024-10-03"));
    assert!(!landed.scheduled);
    assert_eq!(
        landed.reasons[1],
        "but the dates table's entry for 2024-10-03 (1.1.0) moves the occurrence scheduled on 2024-10-01 onto it: a slipped final"
    );
    let added = s.explain(d("2024-10-09"));
    assert_eq!(
        added.reasons[1],
        "but the dates table's entry for 2024-10-09 (1.1.1) adds an occurrence on it: a security fix"
    );
    assert_eq!(s.dates().len(), 5);
    let json = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<Schedule>(&json).unwrap(), s);
}

/// A table entry at the very instant a holiday moves a rule occurrence to
/// is the one kept: the table wins.
#[test]
fn the_table_wins_a_tie() {
    // 2024-12-24 is a rule date; with a shift of one day it lands on
    // 12-25 at 10:00, where the table has an entry.
    let s = fortnightly()
        .with_holidays(
            vec![HolidaySource::Custom(
                release_core::calendar::HolidaySet::new(
                    "eve",
                    vec![release_core::calendar::Holiday::dates(
                        "eve",
                        &[d("2024-12-24")],
                    )],
                )
                .unwrap(),
            )],
            HolidayPolicy::Shift(1),
        )
        .unwrap()
        .with_dates(vec![PublishedDate::on(d("2024-12-25")).label("x")])
        .unwrap();
    let on: Vec<Occurrence> = s
        .occurrences()
        .take_while(|o| o.date <= d("2024-12-25"))
        .filter(|o| o.date == d("2024-12-25"))
        .collect();
    assert_eq!(on.len(), 1);
    assert_eq!(on[0].label.as_deref(), Some("x"));
}

/// The schedule a case builds on (none: the table alone).
fn case(rule: bool, dates: &[PublishedDate], overrides: &[Override]) -> String {
    let mut data = serde_json::json!({
        "name": "beta",
        "time": "12:00:00",
        "zone": "UTC",
        "dates": dates,
        "overrides": overrides,
    });
    if rule {
        data["recurrence"] = serde_json::json!({
            "start": "2024-09-03",
            "rule": { "frequency": "weekly", "interval": 2, "by_day": ["TU"] }
        });
    }
    match serde_json::from_value::<Schedule>(data) {
        Ok(s) => format!("ok: {} dates", s.dates().len()),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn validation_errors() {
    let on = |s: &str| PublishedDate::on(d(s));
    let cancel = |s: &str| Override::Cancel {
        date: d(s),
        reason: "x".into(),
    };
    let cases: Vec<(&str, String)> = vec![
        ("neither a rule nor dates", case(false, &[], &[])),
        (
            "duplicate dates",
            case(
                true,
                &[on("2024-10-09"), on("2024-10-02"), on("2024-10-09")],
                &[],
            ),
        ),
        (
            "replaces a date the rule does not have",
            case(true, &[on("2024-10-03").replacing(d("2024-10-02"))], &[]),
        ),
        (
            "replaces without a rule",
            case(false, &[on("2024-10-03").replacing(d("2024-10-01"))], &[]),
        ),
        (
            "replaces its own date",
            case(true, &[on("2024-10-01").replacing(d("2024-10-01"))], &[]),
        ),
        (
            "two entries replace one date",
            case(
                true,
                &[
                    on("2024-10-03").replacing(d("2024-10-01")),
                    on("2024-10-02").replacing(d("2024-10-01")),
                ],
                &[],
            ),
        ),
        (
            "replaces onto a date the rule still has",
            case(true, &[on("2024-10-15").replacing(d("2024-10-01"))], &[]),
        ),
        (
            "an entry on a cancelled date",
            case(true, &[on("2024-10-01")], &[cancel("2024-10-01")]),
        ),
        (
            "an entry replacing a moved date",
            case(
                true,
                &[on("2024-10-03").replacing(d("2024-10-01"))],
                &[Override::Move {
                    date: d("2024-10-01"),
                    to: d("2024-10-04"),
                    time: None,
                    reason: "x".into(),
                }],
            ),
        ),
        (
            "an override moving onto an entry",
            case(
                true,
                &[on("2024-10-09")],
                &[Override::Move {
                    date: d("2024-10-01"),
                    to: d("2024-10-09"),
                    time: None,
                    reason: "x".into(),
                }],
            ),
        ),
        (
            "an entry on an added date",
            case(
                true,
                &[on("2024-10-09")],
                &[Override::Add {
                    date: d("2024-10-09"),
                    time: None,
                    reason: "x".into(),
                }],
            ),
        ),
        (
            "a cancel without a rule",
            case(false, &[on("2024-10-09")], &[cancel("2024-10-09")]),
        ),
        (
            "the replacing chain is fine",
            case(
                true,
                &[
                    on("2024-10-15").replacing(d("2024-10-01")),
                    on("2024-10-17").replacing(d("2024-10-15")),
                ],
                &[],
            ),
        ),
    ];
    let text = cases
        .iter()
        .map(|(name, outcome)| format!("{name}\n  {outcome}"))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text);
}

/// `(kind, i, days, hour)`: kind 0 an entry on the rule's i-th date, 1 one
/// replacing it, `days` away, 2 an entry added `days` after the start.
fn entry_seed() -> impl Strategy<Value = (u8, usize, i64, Option<u32>)> {
    (0u8..3, 0usize..30, -20i64..20, prop::option::of(0u32..24))
}

fn rule_text() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=MONTHLY;BYDAY=1MO",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=MONTHLY;BYMONTHDAY=1,15;COUNT=12",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// With a table mixed in (and holidays and overrides), occurrences stay
    /// strictly increasing, every table entry appears once, with its label,
    /// and a rule date the table takes is not also an occurrence of its own.
    #[test]
    fn occurrences_stay_strictly_increasing_with_tables(
        rule in rule_text(),
        zone in prop::sample::select(vec!["UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe"]),
        hour in 0u32..24,
        holidays in any::<bool>(),
        shift in -3i32..4,
        cancel in prop::option::of(0usize..30),
        seeds in prop::collection::vec(entry_seed(), 0..8),
        table_only in any::<bool>(),
    ) {
        let start = d("2024-01-01");
        let zone: release_core::calendar::Zone = zone.parse().unwrap();
        let mut s = Schedule::new(
            "release",
            Recurrence::new(start, rule.parse().unwrap()).unwrap(),
            hm(hour, 30),
            zone,
        )
        .unwrap();
        if holidays {
            let policy = if shift == 0 { HolidayPolicy::NextWorkingDay } else { HolidayPolicy::Shift(shift) };
            s = s.with_holidays(vec![HolidaySource::Builtin("us".into())], policy).unwrap();
        }
        let rule_dates: Vec<NaiveDate> = s.recurrence().unwrap().dates().take(40).collect();
        if let Some(i) = cancel
            && let Some(date) = rule_dates.get(i)
        {
            s = s.with_override(Override::Cancel { date: *date, reason: "x".into() }).unwrap();
        }
        let mut dates = Vec::new();
        for (k, (kind, i, days, at)) in seeds.iter().enumerate() {
            let Some(&rule_date) = rule_dates.get(*i) else { continue };
            let mut e = match kind {
                0 => PublishedDate::on(rule_date),
                1 => PublishedDate::on(rule_date.checked_add_signed(chrono::Duration::days(*days)).unwrap())
                    .replacing(rule_date),
                _ => PublishedDate::on(start + Days::new(days.unsigned_abs() * 7 + *i as u64)),
            };
            e = e.label(&format!("v{k}"));
            if let Some(h) = at {
                e = e.at(hm(*h, 0));
            }
            dates.push(e);
        }
        let built = if table_only {
            let plain: Vec<PublishedDate> = dates.into_iter().map(|mut e| { e.replaces = None; e }).collect();
            Schedule::from_dates("release", plain, hm(hour, 30), zone)
        } else {
            s.with_dates(dates)
        };
        // Generated tables may be invalid (two entries on one date, ...).
        let Ok(s) = built else { return Ok(()) };
        let occ: Vec<Occurrence> = s.occurrences().take(200).collect();
        for w in occ.windows(2) {
            prop_assert!(w[0].at < w[1].at, "{} then {}", w[0], w[1]);
        }
        let last: DateTime<Utc> = match occ.last() { Some(o) => o.at, None => return Ok(()) };
        let horizon = last - chrono::Duration::days(40);
        for e in s.dates() {
            let at = zone.resolve(e.date.and_time(e.time.unwrap_or(s.time()))).0;
            if at > horizon {
                continue;
            }
            let found: Vec<&Occurrence> = occ.iter().filter(|o| o.label == e.label).collect();
            prop_assert_eq!(found.len(), 1, "{:?}", e);
            prop_assert_eq!(found[0].at, at);
            if let Some(r) = e.replaces {
                prop_assert_eq!(found[0].scheduled, r);
                prop_assert!(!occ.iter().any(|o| o.scheduled == r && o.label.is_none()));
            }
        }
    }
}

/// ICS summaries name the process, the component and the label; the
/// description carries the reasons.
#[test]
fn ics_summaries_name_what_ships() {
    use chrono::Duration;
    use release_core::calendar::{IcsCalendar, Milestone, Milestones, OffsetUnit};
    let s = fortnightly()
        .with_dates(vec![
            PublishedDate::on(d("2024-09-17")).label("3.13.0"),
            PublishedDate::on(d("2024-10-03"))
                .label("3.13.1")
                .replacing(d("2024-10-01"))
                .because("a slipped final, see bug 1; urgent"),
        ])
        .unwrap();
    let occ: Vec<Occurrence> = s.occurrences().take(4).collect();
    let freeze = Milestones::new(vec![Milestone::new(
        "feature freeze",
        -2,
        OffsetUnit::WorkingDays,
    )])
    .unwrap();
    let mut cal = IcsCalendar::new("Python").with_process("Python");
    cal.add_occurrences(&s, &occ, Duration::hours(1)).unwrap();
    for o in &occ {
        let placed = freeze.resolve(&s, o).unwrap();
        cal.add_milestones(&s, o, &placed, Duration::zero())
            .unwrap();
    }
    let summaries: Vec<&str> = cal.events().iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "Python: release",
            "Python 3.13.0",
            "Python 3.13.1",
            "Python: release",
            "Python: feature freeze (release 2024-09-03)",
            "Python 3.13.0: feature freeze",
            "Python 3.13.1: feature freeze",
            "Python: feature freeze (release 2024-10-15)",
        ]
    );
    assert_eq!(
        cal.events()[2].description,
        "occurrence 3 of release (FREQ=WEEKLY;INTERVAL=2;BYDAY=TU from 2024-09-03)\nships 3.13.1\nscheduled on 2024-10-01\nmoved from 2024-10-01 by the table: a slipped final, see bug 1; urgent"
    );
    let text = cal.to_ics(DateTime::<Utc>::UNIX_EPOCH);
    assert!(text.contains("SUMMARY:Python 3.13.1\r\n"), "{text}");
    assert!(text.contains("by the table: a slipped final\\, see bug 1\\; urgent"));
    // A table-only schedule's description names its entry.
    let pep = Schedule::from_dates(
        "3.14",
        vec![PublishedDate::on(d("2025-05-06")).label("3.14.0 beta 1")],
        hm(12, 0),
        "UTC".parse().unwrap(),
    )
    .unwrap();
    let occ: Vec<Occurrence> = pep.occurrences().collect();
    let mut cal = IcsCalendar::new("Python").with_process("Python");
    cal.add_occurrences(&pep, &occ, Duration::hours(1)).unwrap();
    assert_eq!(cal.events()[0].summary, "Python 3.14.0 beta 1");
    assert_eq!(
        cal.events()[0].description,
        "entry 1 of the dates table of 3.14\nships 3.14.0 beta 1\nfrom the table"
    );
    assert_eq!(cal.events()[0].uid, "3-14-20250506@release-core");
}
