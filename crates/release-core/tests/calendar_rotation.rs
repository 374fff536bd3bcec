//! Rotations: Mozilla's monthly release manager with a swap and an absence,
//! per-occurrence turns, and the laws (every occurrence has exactly one
//! person; a joiner never rewrites the past).

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use proptest::prelude::*;
use release_core::calendar::{
    Absence, DutyBy, Member, Period, Recurrence, RecurrenceRule, Rotation, Schedule, Swap, Zone,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn la() -> Zone {
    "America/Los_Angeles".parse().unwrap()
}

/// Seed 002: release every other Tuesday from 2020-11-17.
fn mozilla() -> Schedule {
    Schedule::new(
        "release",
        Recurrence::new(d("2020-11-17"), RecurrenceRule::weekly(2, &[Weekday::Tue])).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        la(),
    )
    .unwrap()
}

/// Seed 002: "we appoint a release manager from the team, and rotate every
/// month".
fn release_manager() -> Rotation {
    Rotation::new(
        "release manager",
        ["alice", "bob", "carol", "dave"]
            .iter()
            .map(|n| Member::new(n))
            .collect(),
        Period::Monthly,
        d("2021-01-01"),
        la(),
    )
    .unwrap()
    .with_swap(Swap {
        date: d("2021-03-01"),
        person: "bob".into(),
        instead_of: Some("carol".into()),
        reason: "carol is at a conference in March".into(),
    })
    .unwrap()
    .with_absence(Absence {
        person: "alice".into(),
        from: d("2021-05-10"),
        to: d("2021-05-21"),
        reason: "parental leave".into(),
    })
    .unwrap()
}

#[test]
fn mozilla_monthly_release_manager_with_a_swap_and_an_absence() {
    let s = mozilla();
    let rm = release_manager();
    let table: Vec<(String, String)> = s
        .between(t("2021-01-01T00:00:00Z"), t("2021-07-01T00:00:00Z"))
        .iter()
        .map(|o| {
            let duty = rm.for_occurrence(&s, o).unwrap();
            (o.date.to_string(), duty.person)
        })
        .collect();
    let want = [
        ("2021-01-12", "alice"),
        ("2021-01-26", "alice"),
        ("2021-02-09", "bob"),
        ("2021-02-23", "bob"),
        // carol's month, swapped to bob.
        ("2021-03-09", "bob"),
        ("2021-03-23", "bob"),
        ("2021-04-06", "dave"),
        ("2021-04-20", "dave"),
        // alice's month; she is away for the 18th, bob covers.
        ("2021-05-04", "alice"),
        ("2021-05-18", "bob"),
        // June continues as if alice had taken May: bob.
        ("2021-06-01", "bob"),
        ("2021-06-15", "bob"),
        ("2021-06-29", "bob"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(table, want);

    let march = rm.on_date(d("2021-03-09")).unwrap();
    assert_eq!(march.by, DutyBy::Swap);
    assert_eq!(march.turn, "carol");
    assert_eq!(
        march.reasons,
        [
            "the month from 2021-03-01 is period 3 of release manager (monthly from 2021-01-01): carol's turn",
            "swapped: bob takes it instead of carol: carol is at a conference in March",
        ]
    );
    let covered = rm.on_date(d("2021-05-18")).unwrap();
    assert_eq!(covered.by, DutyBy::Cover);
    assert_eq!(
        covered.reasons,
        [
            "the month from 2021-05-01 is period 5 of release manager (monthly from 2021-01-01): alice's turn",
            "alice is absent from 2021-05-10 to 2021-05-21 (parental leave)",
            "bob covers, the next available after alice in the roster",
        ]
    );
    assert_eq!(
        (covered.start, covered.end),
        (d("2021-05-01"), d("2021-05-31"))
    );
    // on_duty uses the date of `now` in the rotation's zone: 2021-06-01
    // 05:00Z is still May 31 in Los Angeles.
    assert_eq!(
        rm.on_duty(t("2021-06-01T05:00:00Z")).unwrap().person,
        "alice"
    );
    assert_eq!(rm.on_duty(t("2021-06-01T08:00:00Z")).unwrap().person, "bob");
    let table: Vec<String> = rm
        .table(d("2021-01-15"), 6)
        .unwrap()
        .into_iter()
        .map(|x| x.person)
        .collect();
    assert_eq!(table, ["alice", "bob", "bob", "dave", "alice", "bob"]);
}

#[test]
fn per_occurrence_turns_skip_cancelled_occurrences() {
    use release_core::calendar::Override;
    let s = mozilla()
        .with_override(Override::Cancel {
            date: d("2020-12-29"),
            reason: "holidays".into(),
        })
        .unwrap();
    let r = Rotation::new(
        "driver",
        vec![Member::new("a"), Member::new("b"), Member::new("c")],
        Period::PerOccurrence,
        d("2020-12-01"),
        la(),
    )
    .unwrap();
    let got: Vec<(String, String)> = s
        .between(t("2020-12-01T00:00:00Z"), t("2021-02-01T00:00:00Z"))
        .iter()
        .map(|o| (o.date.to_string(), r.for_occurrence(&s, o).unwrap().person))
        .collect();
    assert_eq!(
        got,
        [
            ("2020-12-01".into(), "a".into()),
            ("2020-12-15".into(), "b".into()),
            ("2021-01-12".into(), "c".into()),
            ("2021-01-26".into(), "a".into()),
        ]
    );
    assert!(
        r.on_duty(t("2021-01-01T00:00:00Z"))
            .unwrap_err()
            .is_refused()
    );
    let early = s.occurrences().next().unwrap();
    assert!(r.for_occurrence(&s, &early).unwrap_err().is_refused());
}

#[test]
fn rotations_read_from_toml() {
    let text = r#"
        name = "release manager"
        roster = ["alice", "bob", { name = "erin", since = "2021-04-01" }]
        period = "monthly"
        anchor = "2021-01-01"
        zone = "America/Los_Angeles"
        swaps = [{ date = "2021-02-01", person = "alice", reason = "bob's move" }]
        absences = [{ person = "bob", from = "2021-05-10", to = "2021-05-21" }]
    "#;
    let r: Rotation = toml::from_str(text).unwrap();
    assert_eq!(r.roster()[2].since, Some(d("2021-04-01")));
    let back: Rotation = toml::from_str(&toml::to_string(&r).unwrap()).unwrap();
    assert_eq!(back, r);
    assert!(toml::from_str::<Rotation>(&text.replace("anchor", "anchored")).is_err());
    let err = toml::from_str::<Rotation>(&text.replace("person = \"alice\"", "person = \"zed\""))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("\"zed\", who is not on the roster"),
        "{err}"
    );
}

fn arb_rotation() -> impl Strategy<Value = (Rotation, Period)> {
    let period = prop_oneof![
        Just(Period::Weekly),
        Just(Period::Monthly),
        Just(Period::PerOccurrence)
    ];
    (
        period,
        2usize..6,
        proptest::collection::vec((0usize..6, 0i64..400, 0i64..30), 0..5),
    )
        .prop_map(|(period, n, absences)| {
            let names: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
            let mut r = Rotation::new(
                "r",
                names.iter().map(|n| Member::new(n)).collect(),
                period,
                d("2024-01-01"),
                Zone::UTC,
            )
            .unwrap();
            // Person 0 is never away, so someone is always available.
            for (who, start, len) in absences {
                let who = 1 + who % (n - 1);
                let from = d("2024-01-01") + chrono::Duration::days(start);
                r = r
                    .with_absence(Absence {
                        person: names[who].clone(),
                        from,
                        to: from + chrono::Duration::days(len),
                        reason: String::new(),
                    })
                    .unwrap();
            }
            (r, period)
        })
}

fn weekly_schedule() -> Schedule {
    Schedule::new(
        "s",
        Recurrence::new(
            d("2024-01-02"),
            RecurrenceRule::weekly(1, &[Weekday::Tue, Weekday::Fri]),
        )
        .unwrap(),
        NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        Zone::UTC,
    )
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every occurrence gets exactly one person, on the roster and not
    /// absent that day; the answer is deterministic.
    #[test]
    fn every_occurrence_has_one_available_person((r, _) in arb_rotation()) {
        let s = weekly_schedule();
        for o in s.between(t("2024-01-01T00:00:00Z"), t("2025-01-01T00:00:00Z")) {
            let duty = r.for_occurrence(&s, &o).unwrap();
            prop_assert!(r.roster().iter().any(|m| m.name == duty.person));
            prop_assert!(!r.absences().iter().any(|a| a.person == duty.person && a.from <= o.date && o.date <= a.to));
            prop_assert_eq!(&r.for_occurrence(&s, &o).unwrap(), &duty);
        }
    }

    /// Adding a person with `since` = D, anywhere in the roster, changes no
    /// assignment before D.
    #[test]
    fn a_joiner_does_not_rewrite_the_past(
        (r, period) in arb_rotation(),
        at in 0usize..6,
        since in 0i64..300,
    ) {
        let s = weekly_schedule();
        let since = d("2024-01-01") + chrono::Duration::days(since);
        let mut json = serde_json::to_value(&r).unwrap();
        let roster = json["roster"].as_array_mut().unwrap();
        let at = at % (roster.len() + 1);
        roster.insert(at, serde_json::json!({ "name": "joiner", "since": since }));
        let joined: Rotation = serde_json::from_value(json).unwrap();
        for o in s.between(t("2024-01-01T00:00:00Z"), t("2025-01-01T00:00:00Z")) {
            if o.date >= since {
                break;
            }
            prop_assert_eq!(
                r.for_occurrence(&s, &o).unwrap().person,
                joined.for_occurrence(&s, &o).unwrap().person,
                "{:?} on {}", period, o.date
            );
        }
    }
}
