//! Release trains: the Mozilla Sync document's example, fixes, holidays,
//! invalid definitions and the laws of promotion.

use chrono::{NaiveDate, NaiveTime, Weekday};
use proptest::prelude::*;
use release_core::calendar::{HolidayPolicy, HolidaySource, Recurrence, RecurrenceRule, Schedule};
use release_core::process::Process;
use release_core::train::{Rules, Scenario, Simulation, TagKind, Train, TrainDef, When};
use release_core::version::Scheme;

/// The Mozilla Sync process (seed 002), whose train reproduces the
/// document's table.
const MOZILLA: &str = include_str!("../../../examples/mozilla-sync/release.toml");

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The release schedule and the train as written in the example file.
fn mozilla_file() -> (Schedule, TrainDef) {
    let process = Process::from_toml("examples/mozilla-sync/release.toml", MOZILLA).unwrap();
    let def = process.def();
    (def.schedules[0].clone(), def.trains[0].clone())
}

fn mozilla() -> Train {
    let (schedule, def) = mozilla_file();
    Train::new(def, schedule, Scheme::semver()).unwrap()
}

/// Mozilla's train, from the release week of 2020-11-17, staging on v0.0.4
/// and production on v0.0.3 after the release day before.
fn from_release_week(weeks: u32) -> Scenario {
    Scenario::new(d("2020-11-17"), weeks)
        .holding("staging", "v0.0.4")
        .holding("production", "v0.0.3")
}

fn table(sim: &Simulation) -> String {
    sim.to_table()
}

#[test]
fn the_documents_example_table() {
    let sim = mozilla().simulate_own().unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.4   v0.0.3
    2     v0.0.4   v0.0.3
    3     v0.0.5   v0.0.4
    ");
    insta::assert_snapshot!("mozilla_report", sim.to_report());
}

#[test]
fn the_documents_example_as_json() {
    let sim = mozilla().simulate_own().unwrap();
    let json = serde_json::to_string_pretty(&sim).unwrap();
    let back: Simulation = serde_json::from_str(&json).unwrap();
    assert_eq!(back, sim);
    insta::assert_snapshot!("mozilla_json", json);
}

#[test]
fn the_definition_round_trips_through_toml() {
    let (_, def) = mozilla_file();
    let text = toml::to_string(&def).unwrap();
    let back: TrainDef = toml::from_str(&text).unwrap();
    assert_eq!(back, def);
    // The rules written out in the example are the defaults.
    let short: TrainDef = toml::from_str(
        r#"
        name = "sync"
        schedule = "release"
        environments = ["staging", "production"]
        "#,
    )
    .unwrap();
    assert_eq!(short.rules, Rules::default());
    assert_eq!(short.cycle_weeks, 2);
    // The rules the example writes out are the defaults.
    let (schedule, _) = mozilla_file();
    let short = TrainDef {
        scenario: def.scenario.clone(),
        ..short
    };
    let short = Train::new(short, schedule, Scheme::semver()).unwrap();
    assert_eq!(short.simulate_own(), mozilla().simulate_own());
    let scenario = || busy(5).hotfix(d("2020-11-30")).warmfix(d("2020-11-25"));
    assert_eq!(short.simulate(&scenario()), mozilla().simulate(&scenario()));
}

#[test]
fn nothing_merged_means_no_tag_and_production_catches_up() {
    let sim = mozilla().simulate(&from_release_week(6)).unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.4   v0.0.4
    2     v0.0.4   v0.0.4
    3     v0.0.4   v0.0.4
    4     v0.0.4   v0.0.4
    5     v0.0.4   v0.0.4
    6     v0.0.4   v0.0.4
    ");
    let week = |n: usize, env: usize| sim.weeks[n - 1].environments[env].reasons.join("; ");
    assert_eq!(week(1, 0), "no release: nothing merged since v0.0.4");
    assert_eq!(
        week(1, 1),
        "production takes v0.0.4, what staging held at the previous release day"
    );
    assert!(sim.weeks[0].environments[1].changed);
    assert_eq!(week(2, 0), "no release day this week");
    assert_eq!(
        week(3, 1),
        "no release: production already holds v0.0.4, what staging held at the previous release day"
    );
    assert!(!sim.weeks[2].environments[1].changed);
}

#[test]
fn skip_when_unchanged_off_tags_every_release_day() {
    let (schedule, mut def) = mozilla_file();
    def.rules.skip_when_unchanged = false;
    let sim = Train::new(def, schedule, Scheme::semver())
        .unwrap()
        .simulate(&from_release_week(3))
        .unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.5   v0.0.4
    2     v0.0.5   v0.0.4
    3     v0.0.6   v0.0.5
    ");
    assert_eq!(
        sim.weeks[0].environments[0].reasons,
        ["new tag v0.0.5: released on schedule with nothing merged since v0.0.4"]
    );
}

/// Merges before each release day of the scenario, so every release day
/// has something to release.
fn busy(weeks: u32) -> Scenario {
    from_release_week(weeks).merges([
        d("2020-11-16"),
        d("2020-11-26"),
        d("2020-12-08"),
        d("2020-12-22"),
    ])
}

fn reasons(sim: &Simulation) -> String {
    sim.weeks
        .iter()
        .map(|w| {
            let envs: Vec<String> = w
                .environments
                .iter()
                .map(|h| format!("  {}: {}", h.environment, h.reasons.join("; ")))
                .collect();
            format!("week {}\n{}", w.number, envs.join("\n"))
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn hotfix_in_the_first_week_of_a_cycle() {
    // Week 2 is the first week of the cycle that ends on 2020-12-01.
    let sim = mozilla()
        .simulate(&busy(5).hotfix(d("2020-11-25")))
        .unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.5   v0.0.4
    2     v0.0.6   v0.0.6
    3     v0.0.7   v0.0.6
    4     v0.0.7   v0.0.6
    5     v0.0.8   v0.0.7
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: new tag v0.0.5: 1 merge since v0.0.4
      production: production takes v0.0.4, what staging held at the previous release day
    week 2
      staging: hotfix v0.0.6 deployed on 2020-11-25
      production: hotfix v0.0.6 deployed on 2020-11-25
    week 3
      staging: new tag v0.0.7: 1 merge since v0.0.6
      production: no release: production keeps v0.0.6 (hotfix); v0.0.5, what staging held at the previous release day, is older
    week 4
      staging: no release day this week
      production: no release day this week
    week 5
      staging: new tag v0.0.8: 1 merge since v0.0.7
      production: production takes v0.0.7, what staging held at the previous release day
    ");
    assert_eq!(sim.weeks[1].environments[1].kind, Some(TagKind::Hotfix));
}

#[test]
fn hotfix_in_the_release_week_replaces_the_planned_production_release() {
    // Monday 2020-11-30, the day before the release day of 2020-12-01.
    let sim = mozilla()
        .simulate(&busy(5).hotfix(d("2020-11-30")))
        .unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.5   v0.0.4
    2     v0.0.5   v0.0.4
    3     v0.0.6   v0.0.6
    4     v0.0.6   v0.0.6
    5     v0.0.7   v0.0.6
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: new tag v0.0.5: 1 merge since v0.0.4
      production: production takes v0.0.4, what staging held at the previous release day
    week 2
      staging: no release day this week
      production: no release day this week
    week 3
      staging: hotfix v0.0.6 deployed on 2020-11-30; no release: nothing merged since v0.0.6
      production: hotfix v0.0.6 deployed on 2020-11-30; no planned release on 2020-12-01: hotfix v0.0.6 replaced it
    week 4
      staging: no release day this week
      production: no release day this week
    week 5
      staging: new tag v0.0.7: 1 merge since v0.0.6
      production: no release: production already holds v0.0.6, what staging held at the previous release day
    ");
}

#[test]
fn warmfix_in_the_first_week_of_a_cycle() {
    let sim = mozilla()
        .simulate(&busy(5).warmfix(d("2020-11-25")))
        .unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.5   v0.0.4
    2     v0.0.6   v0.0.4
    3     v0.0.7   v0.0.5
    4     v0.0.7   v0.0.5
    5     v0.0.8   v0.0.7
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: new tag v0.0.5: 1 merge since v0.0.4
      production: production takes v0.0.4, what staging held at the previous release day
    week 2
      staging: warmfix v0.0.6 deployed on 2020-11-25
      production: no release day this week
    week 3
      staging: new tag v0.0.7: 1 merge since v0.0.6
      production: production takes v0.0.5, what staging held at the previous release day
    week 4
      staging: no release day this week
      production: no release day this week
    week 5
      staging: new tag v0.0.8: 1 merge since v0.0.7
      production: production takes v0.0.7, what staging held at the previous release day
    ");
}

#[test]
fn warmfix_in_the_release_week_replaces_the_planned_staging_release() {
    let sim = mozilla()
        .simulate(&busy(5).warmfix(d("2020-11-30")))
        .unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.5   v0.0.4
    2     v0.0.5   v0.0.4
    3     v0.0.6   v0.0.5
    4     v0.0.6   v0.0.5
    5     v0.0.7   v0.0.6
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: new tag v0.0.5: 1 merge since v0.0.4
      production: production takes v0.0.4, what staging held at the previous release day
    week 2
      staging: no release day this week
      production: no release day this week
    week 3
      staging: warmfix v0.0.6 deployed on 2020-11-30; no planned release on 2020-12-01: warmfix v0.0.6 replaced it
      production: production takes v0.0.5, what staging held at the previous release day
    week 4
      staging: no release day this week
      production: no release day this week
    week 5
      staging: new tag v0.0.7: 1 merge since v0.0.6
      production: production takes v0.0.6, what staging held at the previous release day
    ");
}

fn at(s: &str) -> When {
    s.parse().unwrap()
}

#[test]
fn a_fix_replaces_only_the_planned_release_of_its_through_environment() {
    // A hotfix on Monday, a merge on Tuesday before the release day of
    // 2020-12-01 (10:00 in Los Angeles, 18:00Z): the hotfix went to staging
    // too, but it replaces only production's planned release; staging gets
    // the merge.
    let hotfix = from_release_week(3)
        .hotfix(at("2020-11-30T20:00:00Z"))
        .merges([at("2020-12-01T10:00:00Z")]);
    let sim = mozilla().simulate(&hotfix).unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.4   v0.0.4
    2     v0.0.4   v0.0.4
    3     v0.0.6   v0.0.5
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: no release: nothing merged since v0.0.4
      production: production takes v0.0.4, what staging held at the previous release day
    week 2
      staging: no release day this week
      production: no release day this week
    week 3
      staging: hotfix v0.0.5 deployed on 2020-11-30; new tag v0.0.6: 1 merge since v0.0.5
      production: hotfix v0.0.5 deployed on 2020-11-30; no planned release on 2020-12-01: hotfix v0.0.5 replaced it
    ");
    // A warmfix the same way replaces staging's planned release, merge or
    // not; production still takes what staging held at the previous
    // release day.
    let warmfix = from_release_week(3)
        .warmfix(at("2020-11-30T20:00:00Z"))
        .merges([at("2020-12-01T10:00:00Z")]);
    let sim = mozilla().simulate(&warmfix).unwrap();
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v0.0.4   v0.0.4
    2     v0.0.4   v0.0.4
    3     v0.0.5   v0.0.4
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: no release: nothing merged since v0.0.4
      production: production takes v0.0.4, what staging held at the previous release day
    week 2
      staging: no release day this week
      production: no release day this week
    week 3
      staging: warmfix v0.0.5 deployed on 2020-11-30; no planned release on 2020-12-01: warmfix v0.0.5 replaced it
      production: no release: production already holds v0.0.4, what staging held at the previous release day
    ");
}

/// A train every other Friday from 2021-12-10 with US holidays moved to the
/// next working day: Christmas 2021 is observed on Friday 2021-12-24, so
/// that release day moves to Monday 2021-12-27, into the next calendar
/// week. Played for 3 weeks from 2021-12-13 with a warmfix at `warmfix`.
fn around_christmas(warmfix: &str) -> Simulation {
    let schedule = Schedule::new(
        "release",
        Recurrence::new(d("2021-12-10"), RecurrenceRule::weekly(2, &[Weekday::Fri])).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        "America/Los_Angeles".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(
        vec![HolidaySource::Builtin("us".into())],
        HolidayPolicy::NextWorkingDay,
    )
    .unwrap();
    let def = TrainDef::new("sync", "release", &["staging", "production"]);
    let train = Train::new(def, schedule, Scheme::semver()).unwrap();
    let scenario = Scenario::new(d("2021-12-13"), 3)
        .holding("staging", "v1.0.0")
        .holding("production", "v0.9.0")
        .merges([d("2021-12-14"), d("2021-12-23")])
        .warmfix(d(warmfix));
    train.simulate(&scenario).unwrap()
}

#[test]
fn a_release_day_moved_into_the_next_week_keeps_its_cycle_week() {
    // Wednesday 2021-12-22 is in the release week of the release day
    // scheduled on 2021-12-24 (week 2 of the cycle), so the warmfix replaces
    // that release, although it happens on 2021-12-27, in week 1 of the
    // next cycle by the calendar.
    let sim = around_christmas("2021-12-22");
    let day = sim.weeks[2].release_day.as_ref().unwrap();
    assert_eq!(
        (day.scheduled, day.date),
        (d("2021-12-24"), d("2021-12-27"))
    );
    let cycle_weeks: Vec<u32> = sim.weeks.iter().map(|w| w.cycle_week).collect();
    assert_eq!(cycle_weeks, [1, 2, 1]);
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v1.0.0   v0.9.0
    2     v1.0.1   v0.9.0
    3     v1.0.1   v1.0.0
    ");
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: no release day this week
      production: no release day this week
    week 2
      staging: warmfix v1.0.1 deployed on 2021-12-22
      production: no release day this week
    week 3
      staging: 2021-12-24 falls on Christmas Day (observed); moved to 2021-12-27 by next_working_day; no planned release on 2021-12-27: warmfix v1.0.1 replaced it
      production: 2021-12-24 falls on Christmas Day (observed); moved to 2021-12-27 by next_working_day; production takes v1.0.0, what staging held at the previous release day
    ");
    // A warmfix in the first week of that cycle replaces nothing: the
    // release day makes a tag of the merge after it.
    let sim = around_christmas("2021-12-15");
    insta::assert_snapshot!(
        sim.weeks[2].environments[0].reasons.join("; "),
        @"2021-12-24 falls on Christmas Day (observed); moved to 2021-12-27 by next_working_day; new tag v1.0.2: 1 merge since v1.0.1"
    );
}

#[test]
fn a_written_scenario_is_checked_when_the_file_loads() {
    // What `simulate` would reject is an error of the file, placed at the
    // key of the scenario it concerns.
    let cases = [
        ("weeks = 3", "weeks = 0"),
        (
            "initial = { staging = \"v0.0.3\", production = \"v0.0.2\" }",
            "initial = { stagin = \"v0.0.3\", production = \"v0.0.2\" }",
        ),
        (
            "initial = { staging = \"v0.0.3\", production = \"v0.0.2\" }",
            "initial = { staging = \"v0.0.3x\", production = \"v0.0.2\" }",
        ),
        ("latest = \"v0.0.3\"", "latest = \"v0.0.1\""),
        (
            "merges = [",
            "warmfixes = [\"2020-11-20\", \"2020-11-16T23:00:00Z\"]\nmerges = [",
        ),
    ];
    let text = cases
        .into_iter()
        .map(|(from, to)| {
            assert!(MOZILLA.contains(from), "{from}");
            let file = MOZILLA.replacen(from, to, 1);
            let err = Process::from_toml("release.toml", &file).unwrap_err();
            let at = err.location().unwrap();
            let line = file.lines().nth(at.line - 1).unwrap();
            format!("{line}\n{:>w$}^ {}", "", err.message(), w = at.column - 1)
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text, @r#"
    weeks = 0
            ^ train "sync": scenario.weeks must be 1 to 1040 weeks, got 0
    initial = { stagin = "v0.0.3", production = "v0.0.2" }
              ^ train "sync": scenario.initial names "stagin", which is not one of the environments (staging, production)
    initial = { staging = "v0.0.3x", production = "v0.0.2" }
              ^ train "sync": scenario.initial.staging: invalid tag "v0.0.3x" for SemVer (with 'v' prefix): unexpected character 'x' after patch version number
    latest = "v0.0.1"
             ^ train "sync": scenario.latest is v0.0.1, older than v0.0.3, which staging holds
    warmfixes = ["2020-11-20", "2020-11-16T23:00:00Z"]
                               ^ train "sync": scenario.warmfixes[1] 2020-11-16T23:00:00+00:00 is before the start 2020-11-17
    "#);
}

/// A train every other Tuesday from 2023-06-20 (2023-07-04 is
/// Independence Day) with US holidays under `policy`, played for 3 weeks.
fn around_independence_day(policy: HolidayPolicy) -> Simulation {
    let schedule = Schedule::new(
        "release",
        Recurrence::new(d("2023-06-20"), RecurrenceRule::weekly(2, &[Weekday::Tue])).unwrap(),
        NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
        "America/Los_Angeles".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(vec![HolidaySource::Builtin("us".into())], policy)
    .unwrap();
    let def = TrainDef::new("sync", "release", &["staging", "production"]);
    let train = Train::new(def, schedule, Scheme::semver()).unwrap();
    let scenario = Scenario::new(d("2023-06-20"), 3)
        .holding("staging", "v1.2.0")
        .holding("production", "v1.1.0")
        .merges([d("2023-06-19"), d("2023-06-28")]);
    train.simulate(&scenario).unwrap()
}

#[test]
fn a_holiday_moves_the_release_day() {
    // Every other Tuesday from 2023-06-20: 2023-07-04 is Independence Day.
    let sim = around_independence_day(HolidayPolicy::NextWorkingDay);
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v1.2.1   v1.2.0
    2     v1.2.1   v1.2.0
    3     v1.2.2   v1.2.1
    ");
    let day = sim.weeks[2].release_day.as_ref().unwrap();
    assert_eq!(
        (day.scheduled, day.date),
        (d("2023-07-04"), d("2023-07-05"))
    );
    insta::assert_snapshot!(
        sim.weeks[2].notes.join("\n"),
        @"2023-07-04 falls on Independence Day; moved to 2023-07-05 by next_working_day"
    );
    insta::assert_snapshot!(reasons(&sim), @r"
    week 1
      staging: new tag v1.2.1: 1 merge since v1.2.0
      production: production takes v1.2.0, what staging held at the previous release day
    week 2
      staging: no release day this week
      production: no release day this week
    week 3
      staging: 2023-07-04 falls on Independence Day; moved to 2023-07-05 by next_working_day; new tag v1.2.2: 1 merge since v1.2.1
      production: 2023-07-04 falls on Independence Day; moved to 2023-07-05 by next_working_day; production takes v1.2.1, what staging held at the previous release day
    ");
}

#[test]
fn a_skipped_release_day_is_reported() {
    let sim = around_independence_day(HolidayPolicy::Skip);
    assert!(sim.weeks[2].release_day.is_none());
    assert_eq!(sim.weeks[2].cycle_week, 2);
    insta::assert_snapshot!(sim.weeks[2].notes.join("\n"), @r"
    2023-07-04 falls on Independence Day; skipped by the skip policy
    no release day this week
    ");
    insta::assert_snapshot!(table(&sim), @r"
    week  staging  production
    1     v1.2.1   v1.2.0
    2     v1.2.1   v1.2.0
    3     v1.2.1   v1.2.0
    ");
}

fn outcome(def: &str, scenario: Option<Scenario>) -> String {
    let (schedule, _) = mozilla_file();
    let def: TrainDef = match toml::from_str(def) {
        Ok(def) => def,
        Err(e) => return format!("toml: {}", e.message()),
    };
    let result = Train::new(def, schedule, Scheme::semver()).and_then(|t| match &scenario {
        Some(s) => t.simulate(s).map(|_| ()),
        None => Ok(()),
    });
    match result {
        Ok(()) => "ok".to_owned(),
        Err(e) => format!("{}: {e}", e.kind()),
    }
}

#[test]
fn invalid_definitions() {
    let base = |extra: &str| {
        format!(
            "name = \"sync\"\nschedule = \"release\"\nenvironments = [\"staging\", \"production\"]\n{extra}"
        )
    };
    let cases: Vec<(&str, String, Option<Scenario>)> = vec![
        (
            "one environment",
            "name = \"sync\"\nschedule = \"release\"\nenvironments = [\"staging\"]".into(),
            None,
        ),
        (
            "duplicate environment",
            "name = \"sync\"\nschedule = \"release\"\nenvironments = [\"staging\", \"staging\"]"
                .into(),
            None,
        ),
        (
            "empty environment",
            "name = \"sync\"\nschedule = \"release\"\nenvironments = [\"staging\", \"\"]".into(),
            None,
        ),
        (
            "empty name",
            "name = \"\"\nschedule = \"release\"\nenvironments = [\"staging\", \"production\"]"
                .into(),
            None,
        ),
        ("zero cycle", base("cycle_weeks = 0"), None),
        ("cycle unlike the schedule", base("cycle_weeks = 3"), None),
        (
            "another schedule",
            "name = \"sync\"\nschedule = \"deploy\"\nenvironments = [\"staging\", \"production\"]"
                .into(),
            None,
        ),
        ("unknown field", base("cycle = 2"), None),
        (
            "unknown rule",
            base("rules = { skip_unchanged = false }"),
            None,
        ),
        (
            "fix through unknown",
            base("rules = { hotfix = { through = \"prod\" } }"),
            None,
        ),
        ("bad level", base("rules = { level = \"huge\" }"), None),
        (
            "bad initial tag",
            base(
                "scenario = { start = \"2020-11-17\", weeks = 3, initial = { staging = \"0.0.3x\" } }",
            ),
            None,
        ),
        (
            "unknown initial environment",
            base("scenario = { start = \"2020-11-17\", weeks = 3, initial = { qa = \"v0.0.3\" } }"),
            None,
        ),
        (
            "weeks and cycles",
            base("scenario = { start = \"2020-11-17\", weeks = 3, cycles = 2 }"),
            None,
        ),
        (
            "neither weeks nor cycles",
            base("scenario = { start = \"2020-11-17\" }"),
            None,
        ),
        (
            "zero weeks",
            base("scenario = { start = \"2020-11-17\", cycles = 0 }"),
            None,
        ),
        (
            "latest older than a holding",
            base(
                "scenario = { start = \"2020-11-17\", weeks = 3, initial = { staging = \"v0.0.3\" }, latest = \"v0.0.2\" }",
            ),
            None,
        ),
        (
            "bad start",
            base("scenario = { start = \"next tuesday\", weeks = 3 }"),
            None,
        ),
        (
            "written warmfix before the start",
            base("scenario = { start = \"2020-11-17\", weeks = 3, warmfixes = [\"2020-11-16\"] }"),
            None,
        ),
        (
            "hotfix before the start",
            base(""),
            Some(Scenario::new(d("2020-11-17"), 3).hotfix(d("2020-11-01"))),
        ),
    ];
    let text = cases
        .into_iter()
        .map(|(name, def, scenario)| format!("{name}\n  {}", outcome(&def, scenario)))
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(text, @r#"
one environment
  config: train "sync": environments needs at least two environments (promotion order, e.g. ["staging", "production"]), got 1
duplicate environment
  config: train "sync": environments names "staging" twice
empty environment
  config: train "sync": environments[1] is empty
empty name
  config: a train needs a name: name is empty
zero cycle
  config: train "sync": cycle_weeks must be at least 1
cycle unlike the schedule
  config: train "sync": cycle_weeks is 3 but schedule "release" repeats every 2 weeks (FREQ=WEEKLY;INTERVAL=2;BYDAY=TU)
another schedule
  config: train "sync": schedule is "deploy" but the schedule given is named "release"
unknown field
  toml: unknown field `cycle`, expected one of `name`, `schedule`, `environments`, `component`, `cycle_weeks`, `rules`, `channels`, `schedules`, `scenario`
unknown rule
  toml: unknown field `skip_unchanged`, expected one of `skip_when_unchanged`, `kind`, `fix_kind`, `level`, `fix_level`, `promote`, `hotfix`, `warmfix`
fix through unknown
  config: train "sync": rules.hotfix.through names "prod", which is not one of the environments (staging, production)
bad level
  toml: unknown level "huge"; expected one of: prerelease, patch, minor, major
bad initial tag
  parse: train "sync": scenario.initial.staging: invalid tag "0.0.3x" for SemVer: unexpected character 'x' after patch version number
unknown initial environment
  config: train "sync": scenario.initial names "qa", which is not one of the environments (staging, production)
weeks and cycles
  config: train "sync": scenario.weeks and scenario.cycles: give one, not both
neither weeks nor cycles
  config: train "sync": scenario.weeks or scenario.cycles must be given
zero weeks
  config: train "sync": scenario.weeks must be 1 to 1040 weeks, got 0
latest older than a holding
  config: train "sync": scenario.latest is v0.0.2, older than v0.0.3, which staging holds
bad start
  toml: invalid date or instant "next tuesday": expected YYYY-MM-DD or an RFC 3339 instant such as 2020-11-17T18:00:00Z
written warmfix before the start
  config: train "sync": scenario.warmfixes[0] 2020-11-16 is before the start 2020-11-17
hotfix before the start
  config: train "sync": scenario.hotfixes[0] 2020-11-01 is before the start 2020-11-17
"#);
}

#[test]
fn a_component_fills_the_tag_template() {
    let (schedule, mut def) = mozilla_file();
    def.component = Some("syncstorage".into());
    let tags =
        release_core::version::TagScheme::new("{component}-{version}", Scheme::semver()).unwrap();
    let mut scenario = def.scenario.take().unwrap();
    scenario.initial = [
        ("staging".to_owned(), "syncstorage-v0.0.3".to_owned()),
        ("production".to_owned(), "syncstorage-v0.0.2".to_owned()),
    ]
    .into();
    scenario.latest = None;
    let sim = Train::new(def, schedule, tags)
        .unwrap()
        .simulate(&scenario)
        .unwrap();
    assert_eq!(
        sim.weeks[2].environments[0].tag.as_deref(),
        Some("syncstorage-v0.0.5")
    );
}

proptest! {
    /// Production never holds a tag staging did not hold before it (except
    /// a hotfix, which goes to both), and no environment goes back in
    /// version order.
    #[test]
    fn promotion_laws(
        merges in proptest::collection::vec(0u64..70, 0..12),
        hotfixes in proptest::collection::vec(0u64..70, 0..3),
        warmfixes in proptest::collection::vec(0u64..70, 0..3),
        promote_current in any::<bool>(),
    ) {
        let (schedule, mut def) = mozilla_file();
        if promote_current {
            def.rules.promote = release_core::train::Promote::Current;
        }
        let train = Train::new(def, schedule, Scheme::semver()).unwrap();
        let day = |n: u64| d("2020-11-17") + chrono::Days::new(n);
        let mut scenario = from_release_week(10).merges(merges.iter().map(|n| day(*n)));
        for n in &hotfixes {
            scenario = scenario.hotfix(day(*n));
        }
        for n in &warmfixes {
            scenario = scenario.warmfix(day(*n));
        }
        let sim = train.simulate(&scenario).unwrap();
        let scheme = Scheme::semver();
        let v = |t: &str| scheme.parse(t).unwrap();
        let mut staging_held = vec!["v0.0.4".to_owned()];
        let mut last = ["v0.0.4".to_owned(), "v0.0.3".to_owned()];
        for week in &sim.weeks {
            let staging = &week.environments[0];
            let production = &week.environments[1];
            let s = staging.tag.clone().unwrap();
            let p = production.tag.clone().unwrap();
            prop_assert!(v(&s) >= v(&last[0]), "staging went back: {} to {s}", last[0]);
            prop_assert!(v(&p) >= v(&last[1]), "production went back: {} to {p}", last[1]);
            // Promoting what staging holds when the release day begins may
            // take a tag staging got earlier that week; from the previous
            // release day, it is a tag of an earlier week.
            if promote_current {
                staging_held.extend(staging.deployed.iter().map(|d| d.tag.clone()));
            }
            for p in production.deployed.iter().filter(|d| d.kind != TagKind::Hotfix) {
                prop_assert!(
                    staging_held.contains(&p.tag),
                    "production took {}, which staging never held before",
                    p.tag
                );
            }
            staging_held.extend(staging.deployed.iter().map(|d| d.tag.clone()));
            last = [s, p];
        }
    }
}

/// A train needs a rule (its cycle): a schedule that is a dates table alone
/// is refused, naming it.
#[test]
fn a_train_refuses_a_dates_table_alone() {
    let rule = r#"recurrence = { start = "2020-11-17", rule = { frequency = "weekly", interval = 2, by_day = ["TU"] } }"#;
    assert!(MOZILLA.contains(rule));
    let text = MOZILLA.replace(rule, r#"dates = [{ date = "2020-11-17", label = "v1" }]"#);
    let err = Process::from_toml("release.toml", &text).unwrap_err();
    assert!(
        err.to_string()
            .contains("schedule \"release\" is a dates table without a recurrence; a train needs a schedule with a rule"),
        "{err}"
    );
}
