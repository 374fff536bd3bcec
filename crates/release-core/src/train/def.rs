//! The `[[trains]]` table of a `release.toml`: a release train as data.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::version::{Level, ReleaseKind};
use crate::warning::DEPRECATED_UNTIL;
use crate::{Error, Result, Warning, WarningKind};

/// A release train: releases on a schedule's days, promoted through
/// environments in order (the `[[trains]]` table of a `release.toml`).
///
/// ```toml
/// [[trains]]
/// name = "sync"
/// schedule = "release"                      # a [[schedules]] entry of the file
/// environments = ["staging", "production"]  # promotion order
/// cycle_weeks = 2                           # the default
/// ```
///
/// The schedule is named, not embedded: whoever reads the file resolves the
/// name and passes the [`Schedule`](crate::calendar::Schedule) to
/// [`Train::new`](super::Train::new).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainDef {
    /// The train's name, used in messages.
    pub name: String,
    /// The name of the schedule whose occurrences are the release days.
    pub schedule: String,
    /// Environments in promotion order: the first receives new tags, each
    /// later one takes what the one before it held (`["staging",
    /// "production"]`). In a process file they follow the order of its
    /// `[[environments]]`.
    pub environments: Vec<String>,
    /// The component whose tags the train makes, for tag templates with
    /// `{component}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The length of a cycle in weeks ("a predictable 2 week release
    /// cycle"); the release day is in the last week of the cycle.
    #[serde(default = "two")]
    pub cycle_weeks: u32,
    /// What happens on release days and after fixes.
    #[serde(default)]
    pub rules: Rules,
    /// The channel of each environment that is not `promoted` (the
    /// default): `{ beta = { kind = "prerelease", stage = "beta" }, stable
    /// = { kind = "point" } }`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub channels: BTreeMap<String, Channel>,
    /// Schedules besides the release days, each with what its days do
    /// (beta builds, promotion days): `[{ name = "beta-builds", does =
    /// "build" }]`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<TrainSchedule>,
    /// A scenario to play the train through, e.g. the one that reproduces
    /// a process document's example. It is checked with the train: what a
    /// simulation would reject in it is an error of the definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Scenario>,
}

fn two() -> u32 {
    2
}

impl TrainDef {
    /// A definition with the default rules and no scenario.
    pub fn new(name: &str, schedule: &str, environments: &[&str]) -> TrainDef {
        TrainDef {
            name: name.to_owned(),
            schedule: schedule.to_owned(),
            environments: environments.iter().map(|e| (*e).to_owned()).collect(),
            component: None,
            cycle_weeks: two(),
            rules: Rules::default(),
            channels: BTreeMap::new(),
            schedules: Vec::new(),
            scenario: None,
        }
    }

    /// The channel kind of `environment`: its `channels` entry, or
    /// [`ChannelKind::Promoted`].
    pub fn channel_kind(&self, environment: &str) -> ChannelKind {
        self.channels
            .get(environment)
            .map_or(ChannelKind::Promoted, |c| c.kind)
    }
}

/// What kind of channel an environment is: what it takes, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ChannelKind {
    /// Takes what the environment before it held (the first environment:
    /// a new tag when something merged), as a train without channels does.
    #[default]
    Promoted,
    /// Holds pre-releases of the next version at its `stage`
    /// (`1.81.0-beta.1`): on a release day the first pre-release of what
    /// the environment before held (the first environment: of the version
    /// after its own), and the counter bumps on each of its build days.
    Prerelease,
    /// Takes the final of what the environment before held on a release
    /// day, and point releases of itself only: a point release on it makes
    /// `1.80.1` from `1.80.0` and changes nothing else, so the next regular
    /// release is still the environment before's (`1.81.0`).
    Point,
}

crate::vocabulary! {
    ChannelKind, "channel kind",
    {
        Promoted => "promoted",
        Prerelease => "prerelease",
        Point => "point",
    }
}

/// An environment's channel (`trains.channels.<environment>`).
///
/// ```toml
/// [trains.channels]
/// nightly = { kind = "prerelease", stage = "nightly" }
/// beta = { kind = "prerelease", stage = "beta" }
/// stable = { kind = "point" }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Channel {
    /// What the environment takes, and when.
    pub kind: ChannelKind,
    /// The pre-release stage a `prerelease` channel holds (`beta`); one of
    /// the scheme's declared stages when it declares any. Only for
    /// `prerelease`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

impl Channel {
    /// A channel of this kind without a stage.
    pub fn new(kind: ChannelKind) -> Channel {
        Channel { kind, stage: None }
    }

    /// A `prerelease` channel at `stage`.
    pub fn prerelease(stage: &str) -> Channel {
        Channel {
            kind: ChannelKind::Prerelease,
            stage: Some(stage.to_owned()),
        }
    }
}

/// What the days of a train's extra schedule do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TrainAction {
    /// A new build of each `prerelease` channel it is for: the counter
    /// bumps (`1.81.0-beta.1` -> `1.81.0-beta.2`).
    Build,
    /// Promotion only: each later environment it is for takes what the one
    /// before it holds, by its channel's rule; the first environment gets
    /// no new tag.
    Promote,
}

crate::vocabulary! {
    TrainAction, "train schedule action",
    {
        Build => "build",
        Promote => "promote",
    }
}

/// A schedule of a train besides its release days
/// (`[[trains.schedules]]`).
///
/// ```toml
/// [[trains.schedules]]
/// name = "beta-builds"       # a [[schedules]] entry of the file
/// does = "build"
/// environments = ["beta"]    # by default every environment it can act on
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrainSchedule {
    /// The schedule's name.
    pub name: String,
    /// What its days do.
    pub does: TrainAction,
    /// The environments it acts on: for `build` `prerelease` channels, for
    /// `promote` environments after the first. Empty: all such.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<String>,
}

impl TrainSchedule {
    /// A schedule `name` doing `does` for every environment it can act on.
    pub fn new(name: &str, does: TrainAction) -> TrainSchedule {
        TrainSchedule {
            name: name.to_owned(),
            does,
            environments: Vec::new(),
        }
    }
}

/// The rules of a train, as data. The defaults are the Mozilla Sync
/// process (seed 002).
///
/// ```toml
/// [trains.rules]
/// kind = "minor"      # each release day's release; by default a patch
/// fix_kind = "patch"  # each hotfix's and warmfix's
/// ```
///
/// `level` and `fix_level`, the keys of release-core 0.1, are deprecated
/// aliases of `kind` and `fix_kind`: they read, with a warning, until
/// release-core 0.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "RulesData", into = "RulesData")]
pub struct Rules {
    /// "If no new changes have merged to master since last release: no new
    /// release is created." With `false`, every release day makes a tag.
    pub skip_when_unchanged: bool,
    /// The kind of a planned release: how far it moves the version
    /// (SemVer; CalVer versions follow the release date). `None`: not
    /// declared, a patch. A declared kind is also what `release next`
    /// answers for the train's component on the train's release days.
    pub kind: Option<ReleaseKind>,
    /// The kind of a hotfix or warmfix; `None`: a patch.
    pub fix_kind: Option<ReleaseKind>,
    /// What a later environment takes on a release day.
    pub promote: Promote,
    /// Production fixes: deployed to every environment at once; in the
    /// release week, one replaces the planned production release.
    pub hotfix: FixRule,
    /// Staging fixes: deployed to the first environment; in the release
    /// week, one replaces the planned staging release.
    pub warmfix: FixRule,
}

impl Rules {
    /// How far a planned release moves the version: `kind`'s level, or a
    /// patch.
    pub fn level(&self) -> Level {
        self.kind.as_ref().map_or(Level::Patch, |k| k.level)
    }

    /// How far a fix moves the version: `fix_kind`'s level, or a patch.
    pub fn fix_level(&self) -> Level {
        self.fix_kind.as_ref().map_or(Level::Patch, |k| k.level)
    }
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            skip_when_unchanged: true,
            kind: None,
            fix_kind: None,
            promote: Promote::PreviousReleaseDay,
            hotfix: FixRule::default(),
            warmfix: FixRule::default(),
        }
    }
}

/// The written form of [`Rules`], with the deprecated keys.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
struct RulesData {
    /// "If no new changes have merged to master since last release: no new
    /// release is created." With `false`, every release day makes a tag.
    skip_when_unchanged: bool,
    /// The kind of a planned release (`"minor"`, or `{ level = "minor",
    /// prerelease = "beta" }`); by default a patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<ReleaseKind>,
    /// The kind of a hotfix or warmfix; by default a patch.
    #[serde(skip_serializing_if = "Option::is_none")]
    fix_kind: Option<ReleaseKind>,
    /// Deprecated (until 0.3): write `kind`.
    #[serde(skip_serializing)]
    level: Option<Level>,
    /// Deprecated (until 0.3): write `fix_kind`.
    #[serde(skip_serializing)]
    fix_level: Option<Level>,
    /// What a later environment takes on a release day.
    promote: Promote,
    /// Production fixes.
    hotfix: FixRule,
    /// Staging fixes.
    warmfix: FixRule,
}

impl Default for RulesData {
    fn default() -> RulesData {
        Rules::default().into()
    }
}

impl From<RulesData> for Rules {
    fn from(data: RulesData) -> Rules {
        let read = |new: Option<ReleaseKind>, old: Option<Level>, key: &str, to: &str| {
            let Some(level) = old else { return new };
            crate::warning::emit(Warning {
                input: Some(key.to_owned()),
                ..Warning::new(
                    WarningKind::DeprecatedSpelling,
                    format!(
                        "trains.rules.{key} is deprecated; write {to} = {:?}{} (the old key is read until release-core {DEPRECATED_UNTIL})",
                        level.as_str(),
                        if new.is_some() {
                            ", which this table also gives and which wins"
                        } else {
                            ""
                        },
                    ),
                )
            });
            new.or(Some(ReleaseKind::new(level)))
        };
        let kind = read(data.kind, data.level, "level", "kind");
        let fix_kind = read(data.fix_kind, data.fix_level, "fix_level", "fix_kind");
        Rules {
            skip_when_unchanged: data.skip_when_unchanged,
            kind,
            fix_kind,
            promote: data.promote,
            hotfix: data.hotfix,
            warmfix: data.warmfix,
        }
    }
}

impl From<Rules> for RulesData {
    fn from(r: Rules) -> RulesData {
        RulesData {
            skip_when_unchanged: r.skip_when_unchanged,
            kind: r.kind,
            fix_kind: r.fix_kind,
            level: None,
            fix_level: None,
            promote: r.promote,
            hotfix: r.hotfix,
            warmfix: r.warmfix,
        }
    }
}

/// What a later environment takes from the one before it on a release day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Promote {
    /// What the environment before held at the end of the previous release
    /// day: a release soaks a whole cycle before it moves on ("we have 2
    /// weeks to test new changes against staging before they roll out to
    /// production"). A warmfix deployed between release days waits a cycle.
    #[default]
    PreviousReleaseDay,
    /// What the environment before holds when the release day starts,
    /// warmfixes included.
    Current,
}

crate::vocabulary! {
    Promote, "promotion rule",
    {
        PreviousReleaseDay => "previous_release_day",
        Current => "current",
    }
}

/// How a fix (hotfix or warmfix) is deployed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct FixRule {
    /// The last environment the fix reaches; it is deployed to every
    /// environment up to this one at once. By default the last environment
    /// for a hotfix ("hotfix is also deployed to staging") and the first for
    /// a warmfix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
    /// Whether a fix earlier in the release week replaces that release
    /// day's planned release of the `through` environment only ("no more
    /// changes to the release process after that"): a hotfix replaces the
    /// planned production release, a warmfix the planned staging one. The
    /// other environments the fix reached still have their planned release
    /// (staging gets a new tag after a hotfix if something merged since).
    /// The release week is the calendar week of the release day's scheduled
    /// date, even when a holiday moved the day into the next week.
    pub replaces_planned: bool,
}

impl Default for FixRule {
    fn default() -> FixRule {
        FixRule {
            through: None,
            replaces_planned: true,
        }
    }
}

/// A point in time in a scenario: a date (the start of that day in the
/// schedule's zone) or an instant. Written `"2020-11-17"` or
/// `"2020-11-17T18:00:00Z"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum When {
    /// The start of this local date in the schedule's zone.
    Date(NaiveDate),
    /// This instant.
    Instant(DateTime<Utc>),
}

impl FromStr for When {
    type Err = Error;

    fn from_str(s: &str) -> Result<When> {
        if let Ok(date) = s.parse::<NaiveDate>() {
            return Ok(When::Date(date));
        }
        DateTime::parse_from_rfc3339(s)
            .map(|t| When::Instant(t.with_timezone(&Utc)))
            .map_err(|_| {
                Error::parse(format!(
                    "invalid date or instant {s:?}: expected YYYY-MM-DD or an RFC 3339 instant such as 2020-11-17T18:00:00Z"
                ))
            })
    }
}

impl fmt::Display for When {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            When::Date(d) => write!(f, "{d}"),
            When::Instant(t) => write!(f, "{}", t.to_rfc3339()),
        }
    }
}

impl From<NaiveDate> for When {
    fn from(date: NaiveDate) -> When {
        When::Date(date)
    }
}

impl From<DateTime<Utc>> for When {
    fn from(at: DateTime<Utc>) -> When {
        When::Instant(at)
    }
}

impl Serialize for When {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for When {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// A situation to play a train through: where it starts, for how long,
/// what each environment holds, and what happens (merges, fixes).
///
/// ```toml
/// [trains.scenario]
/// start = "2020-11-17"
/// weeks = 3
/// initial = { staging = "v0.0.3", production = "v0.0.2" }
/// merges = ["2020-11-12", "2020-11-20T17:00:00Z"]
/// hotfixes = []
/// warmfixes = []
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// When the scenario starts. Week 1 is the week (from the schedule's
    /// week start, Monday by default) that contains it; release days
    /// before it are not played.
    pub start: When,
    /// How many weeks to play (give this or `cycles`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<u32>,
    /// How many cycles to play (`cycles * cycle_weeks` weeks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycles: Option<u32>,
    /// The tag each environment holds at the start, which is also what it
    /// held at the end of the release day before the start. An environment
    /// left out holds nothing yet.
    #[serde(default)]
    pub initial: BTreeMap<String, String>,
    /// The latest tag at the start; by default the newest initial tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// When changes merged. Merges before the start that are not in the
    /// latest tag count towards the first release.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merges: Vec<When>,
    /// When production fixes were tagged and deployed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hotfixes: Vec<When>,
    /// When staging fixes were tagged and deployed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warmfixes: Vec<When>,
    /// Point releases of `point` channels, by environment: each makes the
    /// next patch of what it holds (`1.80.0` -> `1.80.1`) and deploys it to
    /// that environment only.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub points: BTreeMap<String, Vec<When>>,
}

impl Scenario {
    /// A scenario of `weeks` weeks from `start` with nothing held, merged
    /// or fixed.
    pub fn new(start: impl Into<When>, weeks: u32) -> Scenario {
        Scenario {
            start: start.into(),
            weeks: Some(weeks),
            cycles: None,
            initial: BTreeMap::new(),
            latest: None,
            merges: Vec::new(),
            hotfixes: Vec::new(),
            warmfixes: Vec::new(),
            points: BTreeMap::new(),
        }
    }

    /// This scenario with a point release of `environment` at `at`.
    pub fn point(mut self, environment: &str, at: impl Into<When>) -> Scenario {
        self.points
            .entry(environment.to_owned())
            .or_default()
            .push(at.into());
        self
    }

    /// This scenario with `environment` holding `tag` at the start.
    pub fn holding(mut self, environment: &str, tag: &str) -> Scenario {
        self.initial.insert(environment.to_owned(), tag.to_owned());
        self
    }

    /// This scenario with merges at these times.
    pub fn merges<I: IntoIterator<Item = W>, W: Into<When>>(mut self, at: I) -> Scenario {
        self.merges.extend(at.into_iter().map(Into::into));
        self
    }

    /// This scenario with a hotfix at `at`.
    pub fn hotfix(mut self, at: impl Into<When>) -> Scenario {
        self.hotfixes.push(at.into());
        self
    }

    /// This scenario with a warmfix at `at`.
    pub fn warmfix(mut self, at: impl Into<When>) -> Scenario {
        self.warmfixes.push(at.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_reads_dates_and_instants_and_round_trips() {
        for text in ["2020-11-17", "2020-11-17T18:00:00+00:00"] {
            assert_eq!(text.parse::<When>().unwrap().to_string(), text);
        }
        assert_eq!(
            "2020-11-17T10:00:00-08:00"
                .parse::<When>()
                .unwrap()
                .to_string(),
            "2020-11-17T18:00:00+00:00"
        );
        assert_eq!(
            "tuesday".parse::<When>().unwrap_err().to_string(),
            "invalid date or instant \"tuesday\": expected YYYY-MM-DD or an RFC 3339 instant such as 2020-11-17T18:00:00Z"
        );
    }

    #[test]
    fn defaults_are_the_mozilla_process() {
        let rules = Rules::default();
        assert!(rules.skip_when_unchanged);
        assert_eq!(rules.promote, Promote::PreviousReleaseDay);
        assert!(rules.hotfix.replaces_planned && rules.warmfix.replaces_planned);
        assert_eq!(TrainDef::new("t", "s", &["a", "b"]).cycle_weeks, 2);
    }
}
