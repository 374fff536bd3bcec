//! Property tests: the laws every schedule keeps, over generated rules
//! (weekly with intervals and several weekdays, monthly nth and last
//! weekday, daily), zones with DST (New York, London, Sydney) and without
//! (Nairobi), times in DST gaps and overlaps, start dates 1990-2040, holiday
//! sets (built-in and generated), every holiday policy and overrides.
//!
//! Each case checks: occurrences strictly increase by instant and none is
//! duplicated; each one's scheduled date is a date of its rule (and an
//! independent model of the rule agrees); the local wall-clock time is the
//! schedule's time unless a DST gap moved it; `skip` never yields a holiday,
//! previous/next-working-day never yield a non-working day and go no further
//! than the nearest one, a shift lands off holidays; no scheduled date is
//! dropped silently; `next_after`, `upcoming` and `between` agree with the
//! occurrence list; the schedule survives a JSON round trip and its rule an
//! RRULE text round trip.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Days, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use proptest::prelude::*;
use release_core::calendar::{
    ByDay, Frequency, Holiday, HolidayPolicy, HolidaySet, HolidaySource, Observed, Occurrence,
    Override, Recurrence, RecurrenceRule, Resolution, Schedule, Until, Zone,
};

/// Zones with DST in both hemispheres, and one without.
const ZONES: [&str; 4] = [
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Africa/Nairobi",
];

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// How many occurrences of each generated schedule are checked.
const N: usize = 60;

/// How far a holiday policy may move an occurrence (as documented).
const MAX_MOVE_DAYS: i64 = 31;

fn weekday() -> impl Strategy<Value = Weekday> {
    prop::sample::select(WEEKDAYS.to_vec())
}

/// Rules teams write: weekly (intervals 1-4, one to three weekdays),
/// monthly on the nth or last weekday, daily; sometimes with a COUNT.
fn rule() -> impl Strategy<Value = RecurrenceRule> {
    let weekly = (
        1u32..=4,
        prop::sample::subsequence(WEEKDAYS.to_vec(), 1..=3),
    )
        .prop_map(|(interval, days)| RecurrenceRule::weekly(interval, &days));
    let monthly = (
        1u32..=3,
        prop::sample::select(vec![1i8, 2, 3, 4, 5, -1, -2]),
        weekday(),
    )
        .prop_map(|(interval, n, day)| RecurrenceRule::monthly_nth(interval, n, day));
    let daily = (1u32..=3).prop_map(|interval| RecurrenceRule::new(Frequency::Daily, interval));
    (
        prop_oneof![3 => weekly, 2 => monthly, 1 => daily],
        prop::option::weighted(0.15, 1u32..40),
    )
        .prop_map(|(mut rule, count)| {
            rule.count = count;
            rule
        })
}

/// Any rule the model accepts, for the text round trip.
fn any_rule() -> impl Strategy<Value = RecurrenceRule> {
    let by_day = prop::collection::vec(
        (
            prop::option::of(prop::sample::select(vec![
                1i8, 2, 3, 4, 5, -1, -2, -5, 20, -53,
            ])),
            weekday(),
        )
            .prop_map(|(ordinal, weekday)| ByDay { ordinal, weekday }),
        0..4,
    );
    let until = prop::option::of(prop_oneof![
        start_date().prop_map(Until::Date),
        (0i64..2_000_000_000).prop_map(|s| Until::Instant(DateTime::from_timestamp(s, 0).unwrap())),
    ]);
    (
        prop::sample::select(vec![
            Frequency::Daily,
            Frequency::Weekly,
            Frequency::Monthly,
            Frequency::Yearly,
        ]),
        1u32..400,
        by_day,
        prop::collection::vec(prop_oneof![1i8..=31, -31i8..=-1], 0..3),
        prop::collection::vec(1u8..=12, 0..3),
        prop::collection::vec(prop_oneof![1i16..=366, -366i16..=-1], 0..3),
        (
            prop::option::of(1u32..1000),
            until,
            weekday(),
            prop::collection::vec(prop_oneof![1i16..=366, -366i16..=-1], 0..3),
            prop::collection::vec(prop_oneof![1i8..=53, -53i8..=-1], 0..3),
        ),
    )
        .prop_filter_map(
            "a valid rule",
            |(frequency, interval, by_day, by_month_day, by_month, by_set_pos, rest)| {
                let (count, until, week_start, by_year_day, by_week_no) = rest;
                let mut rule = RecurrenceRule::new(frequency, interval);
                rule.by_year_day = by_year_day;
                rule.by_week_no = by_week_no;
                rule.by_day = by_day;
                rule.by_month_day = by_month_day;
                rule.by_month = by_month;
                rule.by_set_pos = by_set_pos;
                rule.count = count;
                rule.until = if count.is_some() { None } else { until };
                rule.week_start = week_start;
                rule.validate().is_ok().then_some(rule)
            },
        )
}

/// Local times, with those in DST gaps and overlaps (01:30 in London's,
/// 02:30 in New York's and Sydney's) well represented.
fn time() -> impl Strategy<Value = NaiveTime> {
    prop_oneof![
        prop::sample::select(vec![(1, 30), (2, 30), (0, 0), (10, 0), (23, 30)]),
        (0u32..24, prop::sample::select(vec![0u32, 15, 30, 45])),
    ]
    .prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

/// Aiming at DST transitions: a month with one (March, April, October,
/// November in the three zones) and a time in its gap or overlap (New
/// York's are 02:00-03:00 and 01:00-02:00, London's both 01:00-02:00,
/// Sydney's both 02:00-03:00).
fn dst_aim() -> impl Strategy<Value = (u32, NaiveTime)> {
    (
        prop::sample::select(vec![3u32, 4, 10, 11]),
        prop::sample::select(vec![(1, 0), (1, 30), (1, 59), (2, 0), (2, 30)]),
    )
        .prop_map(|(month, (h, m))| (month, NaiveTime::from_hms_opt(h, m, 0).unwrap()))
}

/// The rule made to fall on Sundays, when transitions happen: a weekly
/// rule gets Sunday among its days, a monthly one counts Sundays, a daily
/// one runs every day.
fn on_sundays(mut rule: RecurrenceRule) -> RecurrenceRule {
    match rule.frequency {
        Frequency::Weekly if !rule.by_day.iter().any(|b| b.weekday == Weekday::Sun) => {
            rule.by_day.pop();
            rule.by_day.push(ByDay::every(Weekday::Sun));
        }
        Frequency::Weekly => {}
        Frequency::Monthly => rule.by_day[0].weekday = Weekday::Sun,
        Frequency::Daily => rule.interval = 1,
        Frequency::Yearly => {}
    }
    rule
}

/// The rule with an UNTIL `days` after `start`: a date, or an instant at a
/// UTC hour of that day (none if the rule has a COUNT).
fn with_until(
    mut rule: RecurrenceRule,
    start: NaiveDate,
    until: Option<(u64, Option<u32>)>,
) -> RecurrenceRule {
    if let (Some((days, hour)), None) = (until, rule.count) {
        let last = start + Days::new(days);
        rule.until = Some(match hour {
            None => Until::Date(last),
            Some(h) => Until::Instant(last.and_hms_opt(h, 0, 0).unwrap().and_utc()),
        });
    }
    rule
}

/// A date in 1990-2040.
fn start_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1990, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(2040, 12, 31).unwrap();
    (0..=(last - first).num_days() as u64).prop_map(move |n| first + Days::new(n))
}

fn policy() -> impl Strategy<Value = HolidayPolicy> {
    prop_oneof![
        Just(HolidayPolicy::Skip),
        Just(HolidayPolicy::PreviousWorkingDay),
        Just(HolidayPolicy::NextWorkingDay),
        Just(HolidayPolicy::Keep),
        (1i32..=3, any::<bool>()).prop_map(|(n, back)| HolidayPolicy::Shift(if back {
            -n
        } else {
            n
        })),
    ]
}

/// A team's own holiday set, described relative to the schedule so that
/// holidays do meet occurrences (runs of consecutive holidays make the
/// policies search several days).
#[derive(Debug, Clone)]
struct CustomSpec {
    weekend: usize,
    /// (index of a rule date, length of the run of holidays from it)
    runs: Vec<(usize, u64)>,
    /// Days after the start.
    scattered: Vec<u64>,
    fixed: Option<(u8, u8, usize)>,
    nth: Option<(u8, Weekday, i8)>,
}

const WEEKENDS: [&[Weekday]; 3] = [
    &[Weekday::Sat, Weekday::Sun],
    &[Weekday::Fri, Weekday::Sat],
    &[Weekday::Sun],
];

const OBSERVED: [Observed; 4] = [
    Observed::None,
    Observed::NearestWeekday,
    Observed::NextWorkingDay,
    Observed::SundayToNext,
];

fn custom() -> impl Strategy<Value = CustomSpec> {
    (
        0..WEEKENDS.len(),
        prop::collection::vec((0usize..N, 1u64..=4), 0..5),
        prop::collection::vec(0u64..730, 0..6),
        prop::option::of((1u8..=12, 1u8..=28, 0..OBSERVED.len())),
        prop::option::of((
            1u8..=12,
            weekday(),
            prop::sample::select(vec![1i8, 2, 3, 4, -1]),
        )),
    )
        .prop_map(|(weekend, runs, scattered, fixed, nth)| CustomSpec {
            weekend,
            runs,
            scattered,
            fixed,
            nth,
        })
}

/// An override, described relative to the schedule: (kind, index of a rule
/// date, days to move or add at, a time).
type OverrideSeed = (u8, usize, i64, Option<NaiveTime>);

fn override_seed() -> impl Strategy<Value = OverrideSeed> {
    (0u8..3, 0usize..40, -10i64..=10, prop::option::of(time()))
}

fn plus(date: NaiveDate, days: i64) -> NaiveDate {
    date.checked_add_signed(Duration::days(days)).unwrap()
}

fn days_in_month(date: NaiveDate) -> u32 {
    let (y, m) = (date.year(), date.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    next.unwrap().pred_opt().unwrap().day()
}

/// An independent model of the generated rules: whether `date` is one of
/// the rule's dates from `start` (COUNT aside).
fn satisfies(rule: &RecurrenceRule, start: NaiveDate, date: NaiveDate) -> bool {
    if date < start {
        return false;
    }
    let interval = i64::from(rule.interval);
    match rule.frequency {
        Frequency::Daily => (date - start).num_days() % interval == 0,
        Frequency::Weekly => {
            let monday =
                |d: NaiveDate| d - Days::new(u64::from(d.weekday().num_days_from_monday()));
            let weeks = (monday(date) - monday(start)).num_days() / 7;
            let wanted = rule.by_day.iter().any(|b| b.weekday == date.weekday())
                || (rule.by_day.is_empty() && date.weekday() == start.weekday());
            wanted && weeks % interval == 0
        }
        Frequency::Monthly => {
            let months = i64::from(date.year() - start.year()) * 12 + i64::from(date.month())
                - i64::from(start.month());
            let [by] = rule.by_day.as_slice() else {
                unreachable!("the generated monthly rules have one BYDAY")
            };
            let n = by
                .ordinal
                .expect("the generated monthly rules have an ordinal");
            let nth = if n > 0 {
                (date.day() - 1) / 7 + 1 == n as u32
            } else {
                (days_in_month(date) - date.day()) / 7 + 1 == u32::from(n.unsigned_abs())
            };
            months % interval == 0 && by.weekday == date.weekday() && nth
        }
        Frequency::Yearly => unreachable!("the generated schedules are not yearly"),
    }
}

/// The scheduled dates: the rule's dates whose instance (the date at the
/// schedule's time) is not after an instant UNTIL, as RFC 5545 bounds them.
fn scheduled_dates(
    recurrence: &Recurrence,
    time: NaiveTime,
    zone: Zone,
) -> impl Iterator<Item = NaiveDate> + '_ {
    recurrence
        .dates()
        .take_while(move |d| match recurrence.rule.until {
            Some(Until::Instant(until)) => zone.resolve(d.and_time(time)).0 <= until,
            _ => true,
        })
}

/// A generated schedule and what the test needs to know about it.
#[derive(Debug)]
struct Case {
    schedule: Schedule,
    cancelled: BTreeSet<NaiveDate>,
    /// Scheduled date -> (new date, new time).
    moved: BTreeMap<NaiveDate, (NaiveDate, Option<NaiveTime>)>,
    added: Vec<(NaiveDate, Option<NaiveTime>)>,
}

#[allow(clippy::too_many_arguments)]
fn build(
    rule: &RecurrenceRule,
    zone: &str,
    time: NaiveTime,
    start: NaiveDate,
    holidays: u8,
    custom: &CustomSpec,
    policy: HolidayPolicy,
    seeds: &[OverrideSeed],
) -> Case {
    let zone: Zone = zone.parse().unwrap();
    let recurrence = Recurrence::new(start, rule.clone()).unwrap();
    let early: Vec<NaiveDate> = scheduled_dates(&recurrence, time, zone).take(N).collect();
    let mut schedule = Schedule::new("release", recurrence, time, zone).unwrap();

    let mut dates = Vec::new();
    for (i, len) in &custom.runs {
        if let Some(d) = early.get(*i) {
            dates.extend((0..*len).map(|k| *d + Days::new(k)));
        }
    }
    dates.extend(custom.scattered.iter().map(|n| start + Days::new(*n)));
    let mut list = Vec::new();
    if !dates.is_empty() {
        list.push(Holiday::dates("the team day", &dates));
    }
    if let Some((month, day, observed)) = custom.fixed {
        list.push(Holiday::fixed("founders' day", month, day).observed(OBSERVED[observed]));
    }
    if let Some((month, day, n)) = custom.nth {
        list.push(Holiday::nth("the offsite", month, day, n));
    }
    let set = HolidaySet::new("team", list)
        .unwrap()
        .with_weekend(WEEKENDS[custom.weekend]);
    let us = HolidaySource::Builtin("us".into());
    let team = HolidaySource::Custom(set);
    let sources = match holidays {
        0 => vec![],
        1 => vec![us],
        2 => vec![team],
        _ => vec![us, team],
    };
    if !sources.is_empty() {
        schedule = schedule.with_holidays(sources, policy).unwrap();
    }

    let mut case = Case {
        schedule,
        cancelled: BTreeSet::new(),
        moved: BTreeMap::new(),
        added: Vec::new(),
    };
    for (kind, i, days, at) in seeds {
        let o = match kind {
            0 | 1 => {
                let Some(&date) = early.get(*i) else {
                    continue;
                };
                if case.cancelled.contains(&date) || case.moved.contains_key(&date) {
                    continue;
                }
                if *kind == 0 {
                    case.cancelled.insert(date);
                    Override::Cancel {
                        date,
                        reason: "a freeze".into(),
                    }
                } else {
                    let days = if *days == 0 && at.is_none() { 1 } else { *days };
                    let to = plus(date, days);
                    case.moved.insert(date, (to, *at));
                    Override::Move {
                        date,
                        to,
                        time: *at,
                        reason: "the release manager is away".into(),
                    }
                }
            }
            _ => {
                let date = plus(start, 3 * *i as i64 + days);
                case.added.push((date, *at));
                Override::Add {
                    date,
                    time: *at,
                    reason: "a security release".into(),
                }
            }
        };
        case.schedule = case.schedule.with_override(o).unwrap();
    }
    case
}

/// The laws of one generated schedule.
fn check(case: &Case, probes: &[(u32, u32)]) -> Result<(), TestCaseError> {
    let s = &case.schedule;
    let recurrence = s.recurrence().expect("a generated schedule has a rule");
    let rule = &recurrence.rule;
    let start = recurrence.start;
    let (zone, time, policy) = (s.zone(), s.time(), s.policy());
    let occ: Vec<Occurrence> = s.occurrences().take(N).collect();
    // Fewer than asked for: the iterator ended, so the list is all of them.
    let complete = occ.len() < N;
    if rule.count.is_none() && rule.until.is_none() {
        prop_assert!(!complete, "an endless rule ended after {}", occ.len());
    }
    let last_at = occ.last().map(|o| o.at);
    let covered = |at: DateTime<Utc>| complete || last_at.is_some_and(|l| at <= l);

    // Strictly increasing instants: in order, none duplicated.
    for w in occ.windows(2) {
        prop_assert!(
            w[0].at < w[1].at,
            "not strictly increasing: {} then {}",
            w[0],
            w[1]
        );
    }
    // The instants alone are the occurrences' instants, and every
    // occurrence carries its schedule's name.
    let at: Vec<DateTime<Utc>> = s.instants().take(N).collect();
    prop_assert_eq!(at, occ.iter().map(|o| o.at).collect::<Vec<_>>());
    prop_assert!(occ.iter().all(|o| o.schedule == s.name()));
    let indices: Vec<u32> = occ.iter().filter_map(|o| o.index).collect();
    let distinct: BTreeSet<u32> = indices.iter().copied().collect();
    prop_assert_eq!(distinct.len(), indices.len(), "an index is repeated");

    // The rule's dates far enough to account for every listed occurrence
    // (a policy moves at most a month earlier).
    let horizon = match occ.last() {
        Some(o) if !complete => plus(o.date, MAX_MOVE_DAYS + 1),
        _ => NaiveDate::MAX,
    };
    let rule_dates: Vec<NaiveDate> = scheduled_dates(recurrence, time, zone)
        .take_while(|d| *d <= horizon)
        .take(10_000)
        .collect();

    let mut days = s.work_days();
    for o in &occ {
        prop_assert_eq!(o.schedule.as_str(), s.name());
        let expected_time = match o.index {
            None => {
                // An added occurrence: exactly one of the overrides.
                prop_assert_eq!(o.scheduled, o.date);
                prop_assert!(o.notes.len() == 1 && o.notes[0].starts_with("added: "));
                let add = case
                    .added
                    .iter()
                    .find(|(d, t)| *d == o.date && t.unwrap_or(time) == o.local.time());
                prop_assert!(add.is_some(), "{o} is not an added occurrence");
                o.local.time()
            }
            Some(i) => {
                // Each satisfies its rule.
                prop_assert_eq!(rule_dates.get(i as usize), Some(&o.scheduled));
                prop_assert!(
                    satisfies(rule, start, o.scheduled),
                    "{} is not a date of {rule} from {start}",
                    o.scheduled
                );
                prop_assert!(!case.cancelled.contains(&o.scheduled));
                if let Some((to, at)) = case.moved.get(&o.scheduled) {
                    prop_assert_eq!(o.date, *to);
                    prop_assert_eq!(o.notes.len(), 1);
                    let from = format!("moved from {}: ", o.scheduled);
                    prop_assert!(o.notes[0].starts_with(&from), "{}", o);
                    at.unwrap_or(time)
                } else {
                    check_policy(o, policy, &mut days)?;
                    time
                }
            }
        };
        // The local time is the schedule's (or override's), and the instant
        // is its RFC 5545 reading; the wall clock differs only in a gap.
        prop_assert_eq!(o.local, o.date.and_time(expected_time));
        let (at, how) = zone.resolve(o.local);
        prop_assert_eq!((o.at, o.resolution), (at, how));
        let wall = zone.local(o.at);
        match how {
            Resolution::Exact => prop_assert_eq!(wall, o.local),
            Resolution::Ambiguous => {
                prop_assert_eq!(wall, o.local);
                // The first of the two: an hour later the clock reads the
                // same (these zones fall back by an hour).
                prop_assert_eq!(zone.local(o.at + Duration::hours(1)), o.local);
            }
            Resolution::Gap => {
                prop_assert!(zone.name() != "Africa/Nairobi");
                prop_assert!(
                    wall > o.local && wall - o.local <= Duration::hours(1),
                    "{o}: gap read as {wall}"
                );
            }
        }
    }

    // Nothing dropped: every scheduled date has its occurrence listed (or
    // one at the same instant, two moved onto one slot being one), unless
    // cancelled or skipped, and the explanation agrees with the iterator.
    for (i, date) in rule_dates.iter().enumerate() {
        let e = s.explain(*date);
        prop_assert!(e.scheduled);
        match &e.occurrence {
            Some(x) => {
                prop_assert_eq!(x.index, Some(i as u32));
                if covered(x.at) {
                    match occ.iter().find(|o| o.index == Some(i as u32)) {
                        Some(o) => prop_assert_eq!(o, x),
                        None => prop_assert!(occ.iter().any(|o| o.at == x.at), "{x} was dropped"),
                    }
                }
            }
            None => {
                let skipped = policy == HolidayPolicy::Skip && days.holiday(*date).is_some();
                let too_far = e
                    .reasons
                    .last()
                    .is_some_and(|r| r.contains("found no date"));
                prop_assert!(
                    case.cancelled.contains(date) || skipped || too_far,
                    "{date} vanished: {e}"
                );
                prop_assert!(!occ.iter().any(|o| o.index == Some(i as u32)));
            }
        }
    }
    for (date, at) in &case.added {
        let (instant, _) = zone.resolve(date.and_time(at.unwrap_or(time)));
        if covered(instant) {
            prop_assert!(
                occ.iter().any(|o| o.at == instant),
                "the occurrence added on {date} was dropped"
            );
        }
    }

    // Queries agree with the list.
    if let (Some(first), Some(last)) = (occ.first(), occ.last()) {
        let lo = first.at - Duration::days(10);
        let span = i128::from((last.at - lo).num_seconds());
        let probe = |p: u32| {
            let offset = span * i128::from(p) / i128::from(u32::MAX);
            lo + Duration::seconds(i64::try_from(offset).unwrap())
        };
        for (k, (p, q)) in probes.iter().enumerate() {
            let now = probe(*p);
            let expected = occ.iter().find(|o| o.at > now);
            let next = s.next_after(now);
            prop_assert_eq!(next.as_ref(), expected);
            // Exactly at an occurrence: the next one, strictly after.
            let j = *q as usize % occ.len();
            let after = s.next_after(occ[j].at);
            match occ.get(j + 1) {
                Some(o) => prop_assert_eq!(after.as_ref(), Some(o)),
                None if complete => prop_assert_eq!(after, None),
                None => {}
            }
            let upcoming = s.upcoming(now, k + 1);
            let listed: Vec<&Occurrence> = occ.iter().filter(|o| o.at > now).take(k + 1).collect();
            if listed.len() == k + 1 || complete {
                prop_assert_eq!(upcoming.iter().collect::<Vec<_>>(), listed);
            }
            let (a, b) = (now.min(probe(*q)), now.max(probe(*q)));
            let between = s.between(a, b);
            let listed: Vec<&Occurrence> = occ.iter().filter(|o| a <= o.at && o.at < b).collect();
            prop_assert_eq!(between.iter().collect::<Vec<_>>(), listed);
        }
    }

    // Round trips: the schedule through JSON, the rule through RRULE text.
    let json = serde_json::to_string(s).unwrap();
    let back: Schedule = serde_json::from_str(&json).unwrap();
    prop_assert_eq!(&back, s);
    prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
    prop_assert_eq!(&rule.to_string().parse::<RecurrenceRule>().unwrap(), rule);
    let text = s.to_rrule();
    let plain = Schedule::from_rrule(s.name(), &text, None).unwrap();
    prop_assert_eq!(plain.recurrence(), s.recurrence());
    prop_assert_eq!((plain.time(), plain.zone()), (time, zone));
    Ok(())
}

/// What the holiday policy did to an occurrence that no override moved.
fn check_policy(
    o: &Occurrence,
    policy: HolidayPolicy,
    days: &mut release_core::calendar::WorkDays,
) -> Result<(), TestCaseError> {
    let Some(holiday) = days.holiday(o.scheduled).map(|h| h.name.clone()) else {
        prop_assert_eq!(o.date, o.scheduled, "{} moved off a working day", o);
        prop_assert!(o.notes.is_empty());
        return Ok(());
    };
    if policy == HolidayPolicy::Keep {
        prop_assert_eq!(o.date, o.scheduled);
        prop_assert!(o.notes.is_empty());
        return Ok(());
    }
    prop_assert_ne!(
        policy,
        HolidayPolicy::Skip,
        "skip yielded the holiday {}",
        o
    );
    let delta = (o.date - o.scheduled).num_days();
    prop_assert!(delta != 0 && delta.abs() <= MAX_MOVE_DAYS, "{o}");
    prop_assert_eq!(
        &o.notes,
        &vec![format!(
            "{} falls on {holiday}; moved to {} by {policy}",
            o.scheduled, o.date
        )]
    );
    match policy {
        HolidayPolicy::NextWorkingDay | HolidayPolicy::PreviousWorkingDay => {
            let step = if policy == HolidayPolicy::NextWorkingDay {
                1
            } else {
                -1
            };
            prop_assert_eq!(delta.signum(), step, "{}", o);
            prop_assert!(days.is_working_day(o.date), "{o} is not a working day");
            // The nearest working day: none in between.
            for k in 1..delta.abs() {
                let d = plus(o.scheduled, k * step);
                prop_assert!(!days.is_working_day(d), "{o} passed the working day {d}");
            }
        }
        HolidayPolicy::Shift(n) => {
            let n = i64::from(n);
            prop_assert!(
                delta % n == 0 && delta / n >= 1,
                "{o} is not a shift by {n}"
            );
            prop_assert!(days.holiday(o.date).is_none(), "{o} is a holiday");
            for k in 1..delta / n {
                let d = plus(o.scheduled, k * n);
                prop_assert!(days.holiday(d).is_some(), "{o} passed {d}, not a holiday");
            }
        }
        other => unreachable!("{other:?} moves no occurrence"),
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn schedules_keep_their_laws(
        rule in rule(),
        zone in prop::sample::select(ZONES.to_vec()),
        time in time(),
        start in start_date(),
        holidays in 0u8..4,
        custom in custom(),
        policy in policy(),
        seeds in prop::collection::vec(override_seed(), 0..5),
        probes in prop::collection::vec((any::<u32>(), any::<u32>()), 3),
        dst in prop::option::weighted(0.4, dst_aim()),
        until in prop::option::weighted(0.15, (0u64..1500, prop::option::of(0u32..24))),
    ) {
        let (rule, time, start) = match dst {
            Some((month, time)) => (
                on_sundays(rule),
                time,
                start.with_day(1).unwrap().with_month(month).unwrap(),
            ),
            None => (rule, time, start),
        };
        let rule = with_until(rule, start, until);
        let case = build(&rule, zone, time, start, holidays, &custom, policy, &seeds);
        check(&case, &probes)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The dates of a rule are exactly those an independent model gives,
    /// in order, from the start, COUNT and a date UNTIL respected.
    #[test]
    fn rule_dates_match_a_model(
        rule in rule(),
        start in start_date(),
        until in prop::option::weighted(0.3, (0u64..1500, prop::option::of(0u32..24))),
    ) {
        // A date UNTIL ends the dates; an instant one is the schedule's.
        let rule = with_until(rule, start, until);
        let recurrence = Recurrence::new(start, rule.clone()).unwrap();
        let dates: Vec<NaiveDate> = recurrence.dates().take(N).collect();
        for w in dates.windows(2) {
            prop_assert!(w[0] < w[1]);
        }
        let last = match rule.until {
            Some(Until::Date(d)) => d,
            _ => start + Days::new(200 * 366),
        };
        let wanted = rule.count.map_or(N, |c| (c as usize).min(N));
        let mut model = Vec::new();
        let mut d = start;
        while model.len() < wanted && d <= last {
            if satisfies(&rule, start, d) {
                model.push(d);
            }
            d = d.succ_opt().unwrap();
        }
        prop_assert_eq!(dates, model);
    }

    /// RRULE text round-trips: `rule.to_string().parse() == rule`.
    #[test]
    fn rule_text_round_trips(rule in any_rule()) {
        let text = rule.to_string();
        let back: RecurrenceRule = text.parse().map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&back, &rule);
        prop_assert_eq!(back.to_string(), text);
    }
}

// Regressions the laws found.

fn ny_weekly(rrule: &str) -> Schedule {
    Schedule::from_rrule(
        "release",
        &format!("DTSTART;TZID=America/New_York:{rrule}"),
        None,
    )
    .unwrap()
}

/// An instant UNTIL bounds the rule's instances (RFC 5545): the date at the
/// schedule's time. `explain` used to call 1990-01-06 01:30 an occurrence
/// although it is after the UNTIL and the schedule never yields it.
#[test]
fn until_instant_bounds_explanations_too() {
    let s =
        ny_weekly("19900101T013000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=SA;UNTIL=19900101T000000Z");
    assert_eq!(s.occurrences().count(), 0);
    let e = s.explain(NaiveDate::from_ymd_opt(1990, 1, 6).unwrap());
    assert!(!e.scheduled, "{e}");
    assert_eq!(e.occurrence, None);
}

/// An occurrence within an instant UNTIL that a holiday policy moves past it
/// is moved, not dropped (as with a date UNTIL): Martin Luther King Jr. Day
/// 2024-01-15 at 10:00 EST is exactly the UNTIL; next-working-day moves it
/// to the 16th.
#[test]
fn until_instant_keeps_occurrences_moved_past_it() {
    let s = ny_weekly("20240101T100000\nRRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20240115T150000Z")
        .with_holidays(
            vec![HolidaySource::Builtin("us".into())],
            HolidayPolicy::NextWorkingDay,
        )
        .unwrap();
    let dates: Vec<String> = s.occurrences().map(|o| o.date.to_string()).collect();
    assert_eq!(dates, ["2024-01-02", "2024-01-08", "2024-01-16"]);
}
