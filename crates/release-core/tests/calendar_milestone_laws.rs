//! Property tests of milestones over generated schedules (weekly and
//! monthly rules, US holidays, every way a holiday policy moves an
//! occurrence, move overrides) and generated offsets (days, working days,
//! weeks, months, calendar expressions, chains):
//!
//! - a milestone that stays is where its offset puts the rule's date,
//!   whatever happened to the occurrence, and so never moves with it;
//! - a milestone that follows is where its offset puts the occurrence's
//!   actual date;
//! - both keep the schedule's time unless they set their own.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;
use release_core::calendar::{
    HolidayPolicy, HolidaySource, Milestone, Milestones, Offset, Override, Recurrence,
    RecurrenceRule, Schedule, WorkDays,
};

fn rule() -> impl Strategy<Value = RecurrenceRule> {
    prop_oneof![
        (1u32..=3, 0usize..5).prop_map(|(n, d)| {
            let day = [
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ][d];
            RecurrenceRule::weekly(n, &[day])
        }),
        (1i8..=4, 0usize..2).prop_map(|(n, d)| {
            RecurrenceRule::monthly_nth(1, n, [Weekday::Mon, Weekday::Tue][d])
        }),
    ]
}

fn policy() -> impl Strategy<Value = HolidayPolicy> {
    prop::sample::select(vec![
        HolidayPolicy::Keep,
        HolidayPolicy::NextWorkingDay,
        HolidayPolicy::PreviousWorkingDay,
        HolidayPolicy::Shift(2),
    ])
}

/// Offsets a release calendar writes.
fn offset() -> impl Strategy<Value = Offset> {
    let step = prop_oneof![
        (-40i32..=40).prop_map(|n| format!("{n} days")),
        (-15i32..=15).prop_map(|n| format!("{n} working_days")),
        (-8i32..=8).prop_map(|n| format!("{n} weeks")),
        (-14i32..=14).prop_map(|n| format!("{n} months")),
        (1i32..=4, -3i32..=3).prop_map(|(n, m)| format!("{n}TU of month {m}")),
        (1u32..=12, 1u32..=28).prop_map(|(m, d)| format!("next {m:02}-{d:02}")),
        Just("previous FR".to_owned()),
    ];
    prop::collection::vec(step, 1..=3).prop_map(|steps| {
        steps
            .join(" then ")
            .parse()
            .expect("generated offsets read")
    })
}

fn schedule(
    start: NaiveDate,
    rule: RecurrenceRule,
    policy: HolidayPolicy,
    moved: Option<u8>,
) -> Schedule {
    let s = Schedule::new(
        "release",
        Recurrence::new(start, rule).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        "America/New_York".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(vec![HolidaySource::Builtin("us".into())], policy)
    .unwrap();
    // Move one occurrence by an override, later or earlier.
    let Some(k) = moved else { return s };
    let Some(date) = s
        .recurrence()
        .expect("a rule")
        .dates()
        .nth(usize::from(k % 6))
    else {
        return s;
    };
    let shift = i64::from(k % 7) - 3;
    let to = date + chrono::Duration::days(if shift == 0 { 4 } else { shift });
    s.with_override(Override::Move {
        date,
        to,
        time: None,
        reason: "slipped".into(),
    })
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn staying_milestones_never_move_with_their_occurrence(
        start in (2000i32..2035, 1u32..=12, 1u32..=28)
            .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap()),
        rule in rule(),
        policy in policy(),
        moved in prop::option::of(any::<u8>()),
        offset in offset(),
    ) {
        let s = schedule(start, rule, policy, moved);
        let ms = Milestones::new(vec![
            Milestone::with_offset("stays", offset.clone()),
            Milestone::with_offset("follows", offset.clone()).following(),
        ])
        .unwrap();
        let mut days = WorkDays::new(s.holiday_sets().to_vec());
        for o in s.occurrences().take(12) {
            let got = ms.resolve(&s, &o).unwrap();
            let stays = offset.apply_date(o.scheduled, &mut days).unwrap();
            let follows = offset.apply_date(o.date, &mut days).unwrap();
            prop_assert_eq!(got[0].date, stays, "{} of {}", offset, o);
            prop_assert_eq!(got[1].date, follows, "{} of {}", offset, o);
            prop_assert_eq!(got[0].local.time(), s.time());
            if o.date != o.scheduled && o.date.year() > 0 {
                // The occurrence moved; only the follower may have.
                let unmoved = ms.resolve(&s, &release_core::calendar::Occurrence {
                    date: o.scheduled,
                    local: o.scheduled.and_time(s.time()),
                    notes: Vec::new(),
                    ..o.clone()
                }).unwrap();
                prop_assert_eq!(got[0].date, unmoved[0].date);
            }
        }
    }
}
