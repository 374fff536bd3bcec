//! Milestones relative to occurrences: code freeze = release minus 2
//! working days over a holiday, chains, and definition errors.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use release_core::calendar::{
    HolidayPolicy, HolidaySource, Milestone, MilestoneOverride, Milestones, OffsetUnit, Recurrence,
    RecurrenceRule, Schedule,
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

/// Seed 002's train with US federal holidays.
fn mozilla() -> Schedule {
    Schedule::new(
        "release",
        Recurrence::new(d("2020-11-17"), RecurrenceRule::weekly(2, &[Weekday::Tue])).unwrap(),
        hm(10, 0),
        "America/Los_Angeles".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(
        vec![HolidaySource::Builtin("us".into())],
        HolidayPolicy::NextWorkingDay,
    )
    .unwrap()
}

fn milestones() -> Milestones {
    Milestones::new(vec![
        Milestone::new("code freeze", -2, OffsetUnit::WorkingDays).at(hm(17, 0)),
        Milestone::new("qa sign-off", 1, OffsetUnit::WorkingDays).after("code freeze"),
        Milestone::new("retro", 3, OffsetUnit::Days),
    ])
    .unwrap()
}

#[test]
fn code_freeze_is_two_working_days_before_over_christmas() {
    let s = mozilla();
    let release = s.next_after(t("2020-12-20T00:00:00Z")).unwrap();
    assert_eq!(release.date, d("2020-12-29"));
    let got = milestones().resolve(&s, &release).unwrap();
    let summary: Vec<String> = got.iter().map(ToString::to_string).collect();
    // Mon 12-28 is one working day before; Fri 12-25 is Christmas Day;
    // Thu 12-24 is the second. QA signs off one working day after the
    // freeze, skipping Christmas: Mon 12-28, at the freeze's 17:00.
    assert_eq!(
        summary,
        [
            "code freeze 2020-12-24 17:00",
            "qa sign-off 2020-12-28 17:00",
            "retro 2021-01-01 10:00",
        ]
    );
    assert_eq!(got[0].at, t("2020-12-25T01:00:00Z"));
    assert_eq!(got[0].from, None);
    assert_eq!(got[0].offset, "minus 2 working days");
    assert_eq!(
        got[0].explanation,
        "code freeze = release 2020-12-29 minus 2 working days"
    );
    assert_eq!(got[1].from.as_deref(), Some("code freeze"));
    assert_eq!(
        got[1].explanation,
        "qa sign-off = code freeze 2020-12-24 plus 1 working day"
    );
}

/// A Monday schedule hit by MLK day (Mon 2021-01-18), moved by `policy`.
fn mondays(policy: HolidayPolicy) -> Schedule {
    Schedule::new(
        "deploy",
        Recurrence::new(d("2021-01-04"), RecurrenceRule::weekly(1, &[Weekday::Mon])).unwrap(),
        hm(9, 0),
        "America/New_York".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(vec![HolidaySource::Builtin("us".into())], policy)
    .unwrap()
}

#[test]
fn milestones_stay_on_the_rule_date_unless_they_follow() {
    let ms = Milestones::new(vec![
        Milestone::new("stays", -3, OffsetUnit::Days),
        Milestone::new("follows", -3, OffsetUnit::Days).following(),
        Milestone::new("after follows", 1, OffsetUnit::Days).after("follows"),
    ])
    .unwrap();
    // Moved later: Mon 01-18 to Tue 01-19.
    let s = mondays(HolidayPolicy::NextWorkingDay);
    let o = s.next_after(t("2021-01-12T00:00:00Z")).unwrap();
    assert_eq!((o.scheduled, o.date), (d("2021-01-18"), d("2021-01-19")));
    let got = ms.resolve(&s, &o).unwrap();
    let dates: Vec<String> = got.iter().map(|m| m.date.to_string()).collect();
    assert_eq!(dates, ["2021-01-15", "2021-01-16", "2021-01-17"]);
    assert_eq!(
        got[0].explanation,
        "stays = deploy 2021-01-18 (its scheduled date; it happens on 2021-01-19) minus 3 days"
    );
    assert_eq!(
        got[1].explanation,
        "follows = deploy 2021-01-19 minus 3 days"
    );
    // Moved earlier: Mon 01-18 to Fri 01-15.
    let s = mondays(HolidayPolicy::PreviousWorkingDay);
    let o = s.next_after(t("2021-01-12T00:00:00Z")).unwrap();
    assert_eq!((o.scheduled, o.date), (d("2021-01-18"), d("2021-01-15")));
    let got = ms.resolve(&s, &o).unwrap();
    let dates: Vec<String> = got.iter().map(|m| m.date.to_string()).collect();
    assert_eq!(dates, ["2021-01-15", "2021-01-12", "2021-01-13"]);
    // The time of the reference is the schedule's either way.
    assert!(got.iter().all(|m| m.local.time() == hm(9, 0)));
}

#[test]
fn working_days_count_the_milestones_own_holidays() {
    // The schedule keeps US holidays (MLK day is not a working day); the
    // freeze counts only weekends of a set without holidays.
    let s = mondays(HolidayPolicy::Keep);
    let o = s
        .occurrences()
        .find(|o| o.date == d("2021-01-19") || o.date == d("2021-01-25"))
        .unwrap();
    assert_eq!(o.date, d("2021-01-25"));
    let own = release_core::calendar::HolidaySet::new("weekends only", vec![]).unwrap();
    let ms = Milestones::new(vec![
        Milestone::new("by the schedule", -5, OffsetUnit::WorkingDays),
        Milestone::new("by its own", -5, OffsetUnit::WorkingDays)
            .with_holidays(vec![HolidaySource::Custom(own)]),
    ])
    .unwrap();
    let got = ms.resolve(&s, &o).unwrap();
    // Five working days before Mon 01-25: 01-22, 21, 20, 19, then 01-15
    // over MLK day; without holidays 01-18 counts.
    assert_eq!(got[0].date, d("2021-01-15"));
    assert_eq!(got[1].date, d("2021-01-18"));
    let e = Milestones::new(vec![
        Milestone::new("x", -1, OffsetUnit::WorkingDays)
            .with_holidays(vec![HolidaySource::Builtin("atlantis".into())]),
    ])
    .unwrap_err();
    assert!(e.is_config());
    assert!(
        e.to_string()
            .starts_with("milestone \"x\": unknown holiday set \"atlantis\""),
        "{e}"
    );
}

#[test]
fn overrides_move_or_cancel_one_occurrences_milestone() {
    let s = mozilla();
    let ms = Milestones::new(vec![
        Milestone::new("code freeze", -2, OffsetUnit::WorkingDays)
            .at(hm(17, 0))
            .with_override(MilestoneOverride::Move {
                occurrence: d("2020-12-29"),
                to: d("2020-12-22"),
                time: None,
                reason: "freeze before the holidays".into(),
            })
            .with_override(MilestoneOverride::Cancel {
                occurrence: d("2021-01-12"),
                reason: "no freeze in the quiet week".into(),
            }),
        Milestone::new("qa sign-off", 1, OffsetUnit::WorkingDays).after("code freeze"),
    ])
    .unwrap();
    let release = s.next_after(t("2020-12-20T00:00:00Z")).unwrap();
    let got = ms.resolve(&s, &release).unwrap();
    assert_eq!(got[0].to_string(), "code freeze 2020-12-22 17:00");
    assert_eq!(
        got[0].notes,
        ["moved from 2020-12-24: freeze before the holidays"]
    );
    // The sign-off moves with the freeze it is relative to.
    assert_eq!(got[1].date, d("2020-12-23"));
    let quiet = s.next_after(t("2021-01-05T00:00:00Z")).unwrap();
    assert_eq!(quiet.scheduled, d("2021-01-12"));
    let got = ms.resolve(&s, &quiet).unwrap();
    let names: Vec<&str> = got.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["qa sign-off"]);
    // Placed from where the cancelled freeze would have been (Fri 01-08).
    assert_eq!(got[0].date, d("2021-01-11"));
    let e = Milestones::new(vec![
        Milestone::new("f", -1, OffsetUnit::Days).with_override(MilestoneOverride::Cancel {
            occurrence: d("2021-01-12"),
            reason: " ".into(),
        }),
    ])
    .unwrap_err();
    insta::assert_snapshot!(e, @r#"milestone "f": the override of 2021-01-12 needs a reason"#);
}

#[test]
fn milestones_of_later_occurrences_and_other_schedules() {
    let s = mozilla();
    let merge = Schedule::new(
        "merge",
        Recurrence::new(d("2020-11-01"), RecurrenceRule::weekly(1, &[Weekday::Thu])).unwrap(),
        hm(12, 0),
        "America/Los_Angeles".parse().unwrap(),
    )
    .unwrap();
    let ms = Milestones::new(vec![
        // The freeze of the release after next, one day before it.
        Milestone::new("next freeze", -1, OffsetUnit::Days).of_occurrence(2),
        Milestone::new("previous release", 0, OffsetUnit::Days).of_occurrence(-1),
        // The first merge day at or after the release, and the one after.
        Milestone::new("merge", 0, OffsetUnit::Days).of_schedule("merge", 0),
        Milestone::new("merge after", 0, OffsetUnit::Days).of_schedule("merge", 1),
    ])
    .unwrap();
    let schedules = [s.clone(), merge];
    let release = s.next_after(t("2020-12-02T00:00:00Z")).unwrap();
    assert_eq!(release.date, d("2020-12-15"));
    let got = ms.resolve_among(&s, &release, &schedules).unwrap();
    let summary: Vec<String> = got.iter().map(ToString::to_string).collect();
    assert_eq!(
        summary,
        [
            "next freeze 2021-01-11 10:00",
            "previous release 2020-12-01 10:00",
            "merge 2020-12-17 12:00",
            "merge after 2020-12-24 12:00",
        ]
    );
    // Without the other schedule: an error naming it.
    let e = ms.resolve(&s, &release).unwrap_err();
    assert!(e.is_config());
    assert!(
        e.to_string().contains("relative to schedule \"merge\""),
        "{e}"
    );
    // Before the first occurrence there is none.
    let first = s.occurrences().next().unwrap();
    let e = Milestones::new(vec![
        Milestone::new("p", 0, OffsetUnit::Days).of_occurrence(-1),
    ])
    .unwrap()
    .resolve(&s, &first)
    .unwrap_err();
    assert!(e.is_refused(), "{e}");
    let e = Milestones::new(vec![
        Milestone::new("a", 0, OffsetUnit::Days),
        Milestone::new("b", 0, OffsetUnit::Days)
            .after("a")
            .following(),
    ])
    .unwrap_err();
    insta::assert_snapshot!(e, @r#"milestone "b" is relative to the milestone "a", so `follow` (which picks an occurrence) does not apply: it moves with "a""#);
}

#[test]
fn offsets_in_months_and_calendar_expressions() {
    let s = Schedule::new(
        "final",
        Recurrence::new(
            d("2024-10-01"),
            "FREQ=MONTHLY;INTERVAL=12;BYDAY=1TU".parse().unwrap(),
        )
        .unwrap(),
        hm(12, 0),
        "UTC".parse().unwrap(),
    )
    .unwrap();
    let ms = Milestones::new(vec![
        Milestone::with_offset("beta 1", "1TU of month -5".parse().unwrap()),
        Milestone::with_offset("last call", "previous FR then -1 weeks".parse().unwrap()),
    ])
    .unwrap();
    let o = s.occurrences().next().unwrap();
    assert_eq!(o.date, d("2024-10-01"));
    let got = ms.resolve(&s, &o).unwrap();
    assert_eq!(got[0].date, d("2024-05-07"));
    assert_eq!(
        got[0].explanation,
        "beta 1 = final 2024-10-01 the first Tuesday of the month 5 months before"
    );
    assert_eq!(got[1].date, d("2024-09-20"));
}

#[test]
fn definition_errors_name_the_milestone() {
    let e = Milestones::new(vec![
        Milestone::new("a", -1, OffsetUnit::Days).after("c"),
        Milestone::new("b", -1, OffsetUnit::Days).after("a"),
        Milestone::new("c", -1, OffsetUnit::Days).after("b"),
    ])
    .unwrap_err();
    assert!(e.is_config());
    insta::assert_snapshot!(e, @r#"milestone "a" is relative to itself through a cycle: "a" -> "c" -> "b" -> "a""#);
    let e = Milestones::new(vec![
        Milestone::new("freeze", -1, OffsetUnit::Days),
        Milestone::new("freeze", -2, OffsetUnit::Days),
    ])
    .unwrap_err();
    insta::assert_snapshot!(e, @r#"two milestones are named "freeze": milestone names must be unique"#);
    let e = Milestones::new(vec![
        Milestone::new("freeze", -1, OffsetUnit::Days).after("branch cut"),
    ])
    .unwrap_err();
    insta::assert_snapshot!(e, @r#"milestone "freeze" is relative to "branch cut", which is not a milestone (known: "freeze")"#);
}

#[test]
fn milestones_read_from_toml() {
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Doc {
        milestones: Milestones,
    }
    let text = r#"
        [[milestones]]
        name = "code freeze"
        offset = -2
        unit = "working_days"
        time = "17:00:00"

        [[milestones]]
        name = "qa sign-off"
        from = "code freeze"
        offset = 1
        unit = "working_days"
    "#;
    let doc: Doc = toml::from_str(text).unwrap();
    assert_eq!(doc.milestones.milestones().len(), 2);
    let back: Doc = toml::from_str(&toml::to_string(&doc).unwrap()).unwrap();
    assert_eq!(back.milestones, doc.milestones);
    let cyclic = text.replace("offset = -2", "offset = -2\nfrom = \"qa sign-off\"");
    let err = toml::from_str::<Doc>(&cyclic).err().unwrap();
    assert!(err.to_string().contains("through a cycle"), "{err}");
    assert!(toml::from_str::<Doc>(&text.replace("unit =", "units =")).is_err());
    // The text form, and the keys that pick a reference.
    let text = r#"
        [[milestones]]
        name = "beta 1"
        offset = "1TU of month -5"

        [[milestones]]
        name = "announce"
        schedule = "merge"
        occurrence = 1
        follow = true
        holidays = ["us"]
        overrides = [{ action = "move", occurrence = "2024-10-01", to = "2024-09-30", reason = "conference" }]
    "#;
    let doc: Doc = toml::from_str(text).unwrap();
    let m = &doc.milestones.milestones()[1];
    assert_eq!(
        (m.schedule.as_deref(), m.occurrence, m.follow),
        (Some("merge"), 1, true)
    );
    assert_eq!(
        doc.milestones.milestones()[0].offset.to_string(),
        "1TU of month -5"
    );
    let back: Doc = toml::from_str(&toml::to_string(&doc).unwrap()).unwrap();
    assert_eq!(back.milestones, doc.milestones);
    let err = toml::from_str::<Doc>(&text.replace(
        "offset = \"1TU of month -5\"",
        "offset = \"1TU of month -5\"\nunit = \"days\"",
    ))
    .err()
    .unwrap();
    assert!(
        err.to_string()
            .contains("only goes with a whole-number offset"),
        "{err}"
    );
    let err = toml::from_str::<Doc>(&text.replace("of month -5", "of mnth -5"))
        .err()
        .unwrap();
    assert!(
        err.to_string()
            .contains("invalid offset \"1TU of mnth -5\""),
        "{err}"
    );
}
