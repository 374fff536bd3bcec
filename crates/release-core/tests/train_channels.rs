//! Trains with channels: prerelease and point channels, build and
//! promotion days besides release days, point releases, the brief
//! simulation, and the errors of each.

use chrono::{NaiveDate, NaiveTime, Weekday};
use release_core::calendar::{Recurrence, RecurrenceRule, Schedule};
use release_core::train::{
    Channel, ChannelKind, Scenario, TagKind, Train, TrainAction, TrainDef, TrainSchedule,
};
use release_core::version::{CandidatePolicy, Scheme};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn weekly(name: &str, start: &str, interval: u32, day: Weekday) -> Schedule {
    Schedule::new(
        name,
        Recurrence::new(d(start), RecurrenceRule::weekly(interval, &[day])).unwrap(),
        NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        "UTC".parse().unwrap(),
    )
    .unwrap()
}

fn scheme() -> Scheme {
    Scheme::semver().with_candidates(CandidatePolicy {
        label: "beta".into(),
        stages: vec!["nightly".into(), "beta".into()],
        ..CandidatePolicy::default()
    })
}

/// Nightly -> beta -> stable every six weeks on Thursday, beta builds
/// every other Tuesday.
fn rust_def() -> TrainDef {
    let mut def = TrainDef::new("rust", "release", &["nightly", "beta", "stable"]);
    def.cycle_weeks = 6;
    def.rules.skip_when_unchanged = false;
    def.rules.kind = Some(release_core::version::Level::Minor.into());
    def.rules.promote = release_core::train::Promote::Current;
    def.channels
        .insert("nightly".into(), Channel::prerelease("nightly"));
    def.channels
        .insert("beta".into(), Channel::prerelease("beta"));
    def.channels
        .insert("stable".into(), Channel::new(ChannelKind::Point));
    let mut builds = TrainSchedule::new("beta-builds", TrainAction::Build);
    builds.environments = vec!["beta".into()];
    def.schedules.push(builds);
    def
}

fn rust(def: TrainDef) -> Result<Train, release_core::Error> {
    Train::with_schedules(
        def,
        weekly("release", "2024-07-25", 6, Weekday::Thu),
        vec![weekly("beta-builds", "2024-07-30", 2, Weekday::Tue)],
        scheme(),
    )
}

fn scenario(weeks: u32) -> Scenario {
    Scenario::new(d("2024-07-25"), weeks)
        .holding("nightly", "1.81.0-nightly.1")
        .holding("beta", "1.80.0-beta.1")
        .holding("stable", "1.79.0")
}

#[test]
fn channels_play_the_rust_train() {
    let sim = rust(rust_def())
        .unwrap()
        .simulate(&scenario(8).point("stable", d("2024-08-08")))
        .unwrap();
    insta::assert_snapshot!(sim.to_table(), @r#"
week  nightly           beta           stable
1     1.82.0-nightly.1  1.81.0-beta.1  1.80.0
2     1.82.0-nightly.1  1.81.0-beta.2  1.80.0
3     1.82.0-nightly.1  1.81.0-beta.2  1.80.1
4     1.82.0-nightly.1  1.81.0-beta.3  1.80.1
5     1.82.0-nightly.1  1.81.0-beta.3  1.80.1
6     1.82.0-nightly.1  1.81.0-beta.4  1.80.1
7     1.83.0-nightly.1  1.82.0-beta.1  1.81.0
8     1.83.0-nightly.1  1.82.0-beta.2  1.81.0
"#);
    insta::assert_snapshot!(sim.to_brief(), @r#"
week  date        nightly            beta            stable
1     2024-07-25  1.82.0-nightly.1*  1.81.0-beta.1*  1.80.0*
2     2024-07-30  1.82.0-nightly.1   1.81.0-beta.2*  1.80.0
3     2024-08-08  1.82.0-nightly.1   1.81.0-beta.2   1.80.1*
4     2024-08-13  1.82.0-nightly.1   1.81.0-beta.3*  1.80.1
6     2024-08-27  1.82.0-nightly.1   1.81.0-beta.4*  1.80.1
7     2024-09-05  1.83.0-nightly.1*  1.82.0-beta.1*  1.81.0*
8     2024-09-10  1.83.0-nightly.1   1.82.0-beta.2*  1.81.0
"#);
    let week3 = &sim.weeks[2];
    assert_eq!(week3.environments[2].kind, Some(TagKind::Point));
    assert!(!week3.environments[0].changed && !week3.environments[1].changed);
    insta::assert_snapshot!(sim.weeks[0].environments.iter().flat_map(|h| h.reasons.clone()).collect::<Vec<_>>().join("\n"), @r#"
new tag 1.82.0-nightly.1: released on schedule with nothing merged since 1.81.0-nightly.1
beta takes 1.81.0-beta.1, branched from 1.81.0-nightly.1, what nightly held when the release day began
stable takes 1.80.0, the final of 1.80.0-beta.1, what beta held when the release day began
"#);
}

#[test]
fn a_promotion_day_promotes_instead_of_the_release_day() {
    let mut def = TrainDef::new("sync", "release", &["staging", "production"]);
    def.rules.skip_when_unchanged = false;
    def.schedules
        .push(TrainSchedule::new("promotions", TrainAction::Promote));
    let train = Train::with_schedules(
        def,
        weekly("release", "2024-07-02", 2, Weekday::Tue),
        vec![weekly("promotions", "2024-07-04", 2, Weekday::Thu)],
        Scheme::semver(),
    )
    .unwrap();
    let sim = train
        .simulate(&Scenario::new(d("2024-07-02"), 4).holding("staging", "1.0.0"))
        .unwrap();
    insta::assert_snapshot!(sim.to_report(), @r#"
week 1 (from 2024-07-01, week 2 of the cycle): release day 2024-07-02
  2024-07-04: promote (promotions)
  staging: 1.0.1 (changed)
    - new tag 1.0.1: released on schedule with nothing merged since 1.0.0
  production: 1.0.1 (changed)
    - promotion day 2024-07-04 (promotions)
    - production takes 1.0.1, what staging held at the previous release day
week 2 (from 2024-07-08, week 1 of the cycle)
  note: no release day this week
  staging: 1.0.1
    - no release day this week
  production: 1.0.1
    - no release day this week
week 3 (from 2024-07-15, week 2 of the cycle): release day 2024-07-16
  2024-07-18: promote (promotions)
  staging: 1.0.2 (changed)
    - new tag 1.0.2: released on schedule with nothing merged since 1.0.1
  production: 1.0.2 (changed)
    - promotion day 2024-07-18 (promotions)
    - production takes 1.0.2, what staging held at the previous release day
week 4 (from 2024-07-22, week 1 of the cycle)
  note: no release day this week
  staging: 1.0.2
    - no release day this week
  production: 1.0.2
    - no release day this week
"#);
}

#[test]
fn a_prerelease_channel_promoted_again_from_the_same_version_bumps_its_counter() {
    let mut def = TrainDef::new("edge", "release", &["nightly", "beta"]);
    def.cycle_weeks = 6;
    def.rules.skip_when_unchanged = false;
    def.rules.kind = Some(release_core::version::Level::Minor.into());
    def.channels
        .insert("nightly".into(), Channel::prerelease("nightly"));
    def.channels
        .insert("beta".into(), Channel::prerelease("beta"));
    def.schedules
        .push(TrainSchedule::new("promotions", TrainAction::Promote));
    let train = Train::with_schedules(
        def,
        weekly("release", "2024-07-25", 6, Weekday::Thu),
        vec![weekly("promotions", "2024-07-29", 1, Weekday::Mon)],
        scheme(),
    )
    .unwrap();
    let sim = train
        .simulate(&Scenario::new(d("2024-07-25"), 3).holding("nightly", "1.81.0-nightly.1"))
        .unwrap();
    insta::assert_snapshot!(sim.to_brief(), @r#"
week  date        nightly            beta
1     2024-07-25  1.82.0-nightly.1*  -
2     2024-07-29  1.82.0-nightly.1   1.82.0-beta.1*
3     2024-08-05  1.82.0-nightly.1   1.82.0-beta.2*
"#);
}

#[test]
fn channel_errors_name_the_field() {
    let mut errors = Vec::new();
    let mut case = |what: &str, f: &dyn Fn(&mut TrainDef)| {
        let mut def = rust_def();
        f(&mut def);
        errors.push(format!("{what}: {}", rust(def).unwrap_err()));
    };
    case("unknown environment", &|d| {
        d.channels
            .insert("stabel".into(), Channel::new(ChannelKind::Point));
    });
    case("no stage", &|d| {
        d.channels
            .insert("beta".into(), Channel::new(ChannelKind::Prerelease));
    });
    case("unknown stage", &|d| {
        d.channels.insert("beta".into(), Channel::prerelease("rc"));
    });
    case("stage on a point channel", &|d| {
        d.channels.insert(
            "stable".into(),
            Channel {
                kind: ChannelKind::Point,
                stage: Some("beta".into()),
            },
        );
    });
    case("point first", &|d| {
        d.channels
            .insert("nightly".into(), Channel::new(ChannelKind::Point));
    });
    case("build for a point channel", &|d| {
        d.schedules[0].environments = vec!["stable".into()];
    });
    case("schedule not given", &|d| {
        d.schedules[0].name = "beta-bulids".into();
    });
    case("release schedule again", &|d| {
        d.schedules[0].name = "release".into();
    });
    insta::assert_snapshot!(errors.join("\n"), @r#"
unknown environment: train "rust": channels names "stabel", which is not one of the environments (nightly, beta, stable)
no stage: train "rust": channels.beta: a prerelease channel needs a stage (stage = "beta")
unknown stage: train "rust": channels.beta.stage is "rc", which is not one of the scheme's stages (nightly, beta)
stage on a point channel: train "rust": channels.stable.stage is only for a prerelease channel, and this one is point
point first: train "rust": channels.nightly: a point channel takes its releases from the environment before it, and nightly is the first
build for a point channel: train "rust": schedules[0] ("beta-builds") does build for "stable", but a build is for prerelease channels
schedule not given: train "rust": schedules[0] names "beta-bulids", which is not given ("beta-builds")
release schedule again: train "rust": schedules[0] names "release" again (each schedule once, the release days' not among them)
"#);
}

#[test]
fn scenario_points_are_checked() {
    let train = rust(rust_def()).unwrap();
    let a = train
        .check(&scenario(3).point("beta", d("2024-08-08")))
        .unwrap_err();
    let b = train
        .check(&scenario(3).point("stable", d("2024-07-01")))
        .unwrap_err();
    let c = train
        .check(&scenario(3).hotfix(d("2024-08-08")))
        .unwrap_err();
    insta::assert_snapshot!(format!("{a}\n{b}\n{c}"), @r#"
train "rust": scenario.points names "beta", which is not an environment with a point channel (stable)
train "rust": scenario.points.stable[0] 2024-07-01 is before the start 2024-07-25
train "rust": scenario.hotfixes: a fix reaches "nightly", a prerelease channel, which takes no fixes (a point channel takes points)
"#);
}
