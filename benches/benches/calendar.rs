//! Expand "every other Tuesday 10:00 America/New_York from 2024-01-02" over
//! ten years: release-core with US federal holidays and the
//! next-working-day policy, side by side with the `rrule` crate expanding
//! the rule alone, and release-core without holidays for reference.
//!
//! Each side reads the same RFC 5545 text and collects the instants
//! (release-core through `Schedule::instants`), so the
//! measurement covers parsing, expansion and zone conversion on both.
//! Before measuring, the answers are compared: the same number of
//! occurrences (next-working-day moves, never drops), the same instants
//! except those moved off a holiday, and those moved ones scheduled at the
//! peer's instants.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use release_core::calendar::{HolidayPolicy, HolidaySource, Occurrence, Schedule};

const RRULE: &str = "DTSTART;TZID=America/New_York:20240102T100000\n\
                     RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;UNTIL=20340102T150000Z";

fn peer(text: &str) -> Vec<DateTime<Utc>> {
    let set = rrule::RRuleSet::from_str(text).expect("the peer reads the rule");
    set.all(u16::MAX)
        .dates
        .iter()
        .map(|t| t.with_timezone(&Utc))
        .collect()
}

fn schedule(text: &str, holidays: bool) -> Schedule {
    let s = Schedule::from_rrule("release", text, None).expect("release-core reads the rule");
    if !holidays {
        return s;
    }
    s.with_holidays(
        vec![HolidaySource::Builtin("us".into())],
        HolidayPolicy::NextWorkingDay,
    )
    .expect("the US federal set is built in")
}

fn ours(text: &str, holidays: bool) -> Vec<DateTime<Utc>> {
    schedule(text, holidays).instants().collect()
}

/// Same answers, or the comparison means nothing.
fn check() {
    let theirs = peer(RRULE);
    assert_eq!(theirs.len(), 261, "ten years of every other Tuesday");
    assert_eq!(ours(RRULE, false), theirs);
    let with = schedule(RRULE, true);
    let occurrences: Vec<Occurrence> = with.occurrences().collect();
    assert_eq!(occurrences.len(), theirs.len());
    let zone = with.zone();
    let mut moved = 0;
    for (o, t) in occurrences.iter().zip(&theirs) {
        let scheduled = zone.resolve(o.scheduled.and_time(with.time())).0;
        assert_eq!(scheduled, *t, "{o}");
        if o.date == o.scheduled {
            assert_eq!(o.at, *t, "{o}");
        } else {
            moved += 1;
            assert!(o.at > *t, "{o}");
        }
    }
    // Christmas, New Year's Day, Independence Day, Veterans Day... on
    // release Tuesdays.
    assert!(moved > 0, "no occurrence met a holiday");
}

fn bench(c: &mut Criterion) {
    check();
    let mut group = c.benchmark_group("every_other_tuesday_10y");
    group.bench_function("rrule_crate", |b| b.iter(|| peer(black_box(RRULE))));
    group.bench_function("release_core_us_holidays_next_working_day", |b| {
        b.iter(|| ours(black_box(RRULE), true))
    });
    group.bench_function("release_core_no_holidays", |b| {
        b.iter(|| ours(black_box(RRULE), false))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
