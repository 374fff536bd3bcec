//! Milestones relative to occurrences: code freeze = release minus 2
//! working days over a holiday, chains, and definition errors.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc, Weekday};
use release_core::calendar::{
    HolidayPolicy, HolidaySource, Milestone, Milestones, OffsetUnit, Recurrence, RecurrenceRule,
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

#[test]
fn milestones_follow_moved_occurrences() {
    // 2021-01-19 stays, but use a Monday schedule hit by MLK day to check
    // that the milestone counts from the date the occurrence moved to.
    let s = Schedule::new(
        "deploy",
        Recurrence::new(d("2021-01-04"), RecurrenceRule::weekly(1, &[Weekday::Mon])).unwrap(),
        hm(9, 0),
        "America/New_York".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(
        vec![HolidaySource::Builtin("us".into())],
        HolidayPolicy::NextWorkingDay,
    )
    .unwrap();
    let o = s.next_after(t("2021-01-12T00:00:00Z")).unwrap();
    assert_eq!((o.scheduled, o.date), (d("2021-01-18"), d("2021-01-19")));
    let ms = Milestones::new(vec![Milestone::new("freeze", -1, OffsetUnit::WorkingDays)]).unwrap();
    // One working day before Tue 01-19, skipping MLK day: Fri 01-15.
    assert_eq!(ms.resolve(&s, &o).unwrap()[0].date, d("2021-01-15"));
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
}
