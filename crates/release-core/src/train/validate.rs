//! A validated train: a definition, its schedule and its tag scheme.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc};

use crate::calendar::{Frequency, Schedule};
use crate::doc_path::Seg;
use crate::version::{Scheme, TagScheme, Version};
use crate::{Error, Result};

use super::def::{ChannelKind, FixRule, Scenario, TrainAction, TrainDef, When};
use super::simulate::TagKind;

/// An error and the path of the key it concerns, relative to the table
/// being checked (the `[[trains]]` entry, or its scenario), so that a
/// process file can place it at that key's line.
pub(crate) type Placed = (Error, Vec<Seg>);

/// A [`TrainDef`] that validated, with the [`Schedule`] its `schedule`
/// names and the [`TagScheme`] of the tags it makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Train {
    def: TrainDef,
    schedule: Schedule,
    /// The schedules of `def.schedules`, in its order.
    extra: Vec<Schedule>,
    tags: TagScheme,
    /// The last environment each kind of fix reaches (index).
    pub(super) hotfix_through: usize,
    pub(super) warmfix_through: usize,
}

/// A tag an environment holds, read under the train's scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Held {
    pub(super) tag: String,
    pub(super) version: Version,
    pub(super) kind: TagKind,
}

/// A scenario's initial state, read.
pub(super) struct Initial {
    pub(super) holds: Vec<Option<Held>>,
    pub(super) latest: Option<Held>,
    pub(super) weeks: u32,
}

/// The most weeks a scenario may play: twenty years.
pub(super) const MAX_WEEKS: u32 = 1_040;

impl Train {
    /// Validates a definition against its schedule and tag scheme (a
    /// [`Scheme`] gives bare-version tags).
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the train and the
    /// field: an empty name, fewer than two environments, an environment
    /// named twice or empty, `cycle_weeks` of 0 or unlike a weekly
    /// schedule's interval, a schedule of another name, a fix rule naming an
    /// unknown environment, a component that the tag scheme contradicts; a
    /// channel of an unknown environment, a `prerelease` channel without a
    /// stage or with one the scheme does not declare, a stage on another
    /// kind, a `point` channel first; a `schedules` entry for an unknown
    /// environment or one it cannot act on. The errors of
    /// [`Train::check`] for the definition's own scenario.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{NaiveDate, NaiveTime, Weekday};
    /// use release_core::calendar::{Recurrence, RecurrenceRule, Schedule};
    /// use release_core::train::{Train, TrainDef};
    /// use release_core::version::Scheme;
    ///
    /// let schedule = Schedule::new(
    ///     "release",
    ///     Recurrence::new(NaiveDate::from_ymd_opt(2020, 11, 17).unwrap(), RecurrenceRule::weekly(2, &[Weekday::Tue]))?,
    ///     NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
    ///     "America/Los_Angeles".parse()?,
    /// )?;
    /// let def = TrainDef::new("sync", "release", &["staging"]);
    /// let err = Train::new(def, schedule, Scheme::semver()).unwrap_err();
    /// assert_eq!(
    ///     err.to_string(),
    ///     "train \"sync\": environments needs at least two environments (promotion order, e.g. [\"staging\", \"production\"]), got 1"
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(def: TrainDef, schedule: Schedule, tags: impl Into<TagScheme>) -> Result<Train> {
        Train::with_schedules(def, schedule, Vec::new(), tags)
    }

    /// [`Train::new`] for a definition with `schedules` besides its release
    /// days: `extra` gives them, in any order.
    ///
    /// # Errors
    ///
    /// Those of [`Train::new`]; a [config error](crate::ErrorKind::Config)
    /// for a `schedules` entry that `extra` does not give, or that repeats
    /// the release days' schedule or another entry.
    pub fn with_schedules(
        def: TrainDef,
        schedule: Schedule,
        extra: Vec<Schedule>,
        tags: impl Into<TagScheme>,
    ) -> Result<Train> {
        Train::placed(def, schedule, extra, tags.into()).map_err(|(e, _)| e)
    }

    /// [`Train::with_schedules`], with each error's path in the train's
    /// table (`cycle_weeks`, `rules.hotfix.through`, `scenario.hotfixes[0]`).
    pub(crate) fn placed(
        def: TrainDef,
        schedule: Schedule,
        extra: Vec<Schedule>,
        mut tags: TagScheme,
    ) -> Result<Train, Placed> {
        let name = &def.name;
        let fail = |msg: String, path: Vec<Seg>| {
            Err((Error::config(format!("train {name:?}: {msg}")), path))
        };
        if name.trim().is_empty() {
            return Err((
                Error::config("a train needs a name: name is empty"),
                vec![Seg::Key("name")],
            ));
        }
        if def.environments.len() < 2 {
            return fail(
                format!(
                    "environments needs at least two environments (promotion order, e.g. [\"staging\", \"production\"]), got {}",
                    def.environments.len()
                ),
                vec![Seg::Key("environments")],
            );
        }
        let mut seen = HashSet::new();
        for (i, env) in def.environments.iter().enumerate() {
            let at = vec![Seg::Key("environments"), Seg::Index(i)];
            if env.trim().is_empty() {
                return fail(format!("environments[{i}] is empty"), at);
            }
            if !seen.insert(env.as_str()) {
                return fail(format!("environments names {env:?} twice"), at);
            }
        }
        if def.cycle_weeks == 0 {
            return fail(
                "cycle_weeks must be at least 1".to_owned(),
                vec![Seg::Key("cycle_weeks")],
            );
        }
        if schedule.name() != def.schedule {
            return fail(
                format!(
                    "schedule is {:?} but the schedule given is named {:?}",
                    def.schedule,
                    schedule.name()
                ),
                vec![Seg::Key("schedule")],
            );
        }
        let Some(recurrence) = schedule.recurrence() else {
            return fail(
                format!(
                    "schedule {:?} is a dates table without a recurrence; a train needs a schedule with a rule (its cycle)",
                    schedule.name()
                ),
                vec![Seg::Key("schedule")],
            );
        };
        let rule = &recurrence.rule;
        if rule.frequency == Frequency::Weekly && rule.interval != def.cycle_weeks {
            return fail(
                format!(
                    "cycle_weeks is {} but schedule {:?} repeats every {} week{} ({rule})",
                    def.cycle_weeks,
                    schedule.name(),
                    rule.interval,
                    if rule.interval == 1 { "" } else { "s" }
                ),
                vec![Seg::Key("cycle_weeks")],
            );
        }
        let through = |field: &'static str,
                       fix: &FixRule,
                       default: usize|
         -> Result<usize, Placed> {
            match &fix.through {
                None => Ok(default),
                Some(env) => def.environments.iter().position(|e| e == env).ok_or_else(|| {
                    (
                        Error::config(format!(
                            "train {name:?}: rules.{field}.through names {env:?}, which is not one of the environments ({})",
                            def.environments.join(", ")
                        )),
                        vec![Seg::Key("rules"), Seg::Key(field), Seg::Key("through")],
                    )
                }),
            }
        };
        let last = def.environments.len() - 1;
        let hotfix_through = through("hotfix", &def.rules.hotfix, last)?;
        let warmfix_through = through("warmfix", &def.rules.warmfix, 0)?;
        let component = vec![Seg::Key("component")];
        match (&def.component, tags.component()) {
            (Some(c), Some(t)) if c != t => {
                return fail(
                    format!("component is {c:?} but the tag scheme is for component {t:?}"),
                    component,
                );
            }
            (Some(c), None) if tags.template().has_component() => {
                tags = tags.for_component(c).map_err(|e| {
                    (
                        Error::config(format!("train {name:?}: component: {e}")),
                        component,
                    )
                })?;
            }
            (None, None) if tags.template().has_component() => {
                return fail(
                    format!(
                        "the tag template {:?} contains {{component}}, so component must be given",
                        tags.template().as_str()
                    ),
                    vec![],
                );
            }
            _ => {}
        }
        check_channels(&def, tags.scheme())?;
        let extra = match_schedules(&def, &schedule, extra)?;
        let train = Train {
            def,
            schedule,
            extra,
            tags,
            hotfix_through,
            warmfix_through,
        };
        if let Some(scenario) = &train.def.scenario {
            train.initial_placed(scenario).map_err(|(e, path)| {
                let mut at = vec![Seg::Key("scenario")];
                at.extend(path);
                (e, at)
            })?;
        }
        Ok(train)
    }

    /// The definition.
    pub fn def(&self) -> &TrainDef {
        &self.def
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.def.name
    }

    /// The environments in promotion order.
    pub fn environments(&self) -> &[String] {
        &self.def.environments
    }

    /// The schedule of release days.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// The schedules of the definition's `schedules`, in its order.
    pub fn extra_schedules(&self) -> &[Schedule] {
        &self.extra
    }

    /// The tag scheme of the tags the train makes.
    pub fn tags(&self) -> &TagScheme {
        &self.tags
    }

    /// The scheme of the versions inside the tags.
    pub fn scheme(&self) -> &Scheme {
        self.tags.scheme()
    }

    /// Checks a scenario against this train without playing it: whatever
    /// [`simulate`](Self::simulate) would reject in the scenario itself.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the train and the
    /// field: both or neither of `weeks` and `cycles`, zero or more than
    /// 1040 weeks, an initial holding of an unknown environment, a latest
    /// tag older than a holding, a hotfix or warmfix before the start or
    /// reaching an environment with a channel, a point release of an
    /// environment without a point channel or before the start. A
    /// [parse error](crate::ErrorKind::Parse) for a tag that does not read
    /// under the scheme.
    pub fn check(&self, scenario: &Scenario) -> Result<()> {
        self.initial(scenario).map(|_| ())
    }

    pub(super) fn initial(&self, scenario: &Scenario) -> Result<Initial> {
        self.initial_placed(scenario).map_err(|(e, _)| e)
    }

    /// The instant a scenario's time stands for: a date is the start of
    /// that day in the schedule's zone.
    pub(super) fn instant(&self, when: When) -> DateTime<Utc> {
        match when {
            When::Date(d) => self.schedule.zone().resolve(d.and_time(NaiveTime::MIN)).0,
            When::Instant(t) => t,
        }
    }

    /// The first date of the week of `date`, on the schedule rule's week
    /// start.
    pub(super) fn week_of(&self, date: NaiveDate) -> NaiveDate {
        let ws = self
            .schedule
            .recurrence()
            .map_or(chrono::Weekday::Mon, |r| r.rule.week_start);
        let back = (date.weekday().num_days_from_monday() + 7 - ws.num_days_from_monday()) % 7;
        date - Days::new(u64::from(back))
    }

    /// A scenario's initial state, or the error with its path in the
    /// scenario's table (`hotfixes[0]`, `weeks`, `initial`).
    fn initial_placed(&self, scenario: &Scenario) -> Result<Initial, Placed> {
        let name = &self.def.name;
        let fail = |msg: String, path: Vec<Seg>| {
            Err((
                Error::config(format!("train {name:?}: scenario.{msg}")),
                path,
            ))
        };
        let (weeks, field) = match (scenario.weeks, scenario.cycles) {
            (Some(_), Some(_)) => {
                return fail(
                    "weeks and scenario.cycles: give one, not both".into(),
                    vec![Seg::Key("cycles")],
                );
            }
            (None, None) => {
                return fail("weeks or scenario.cycles must be given".into(), vec![]);
            }
            (Some(w), None) => (w, "weeks"),
            (None, Some(c)) => (c.saturating_mul(self.def.cycle_weeks), "cycles"),
        };
        if weeks == 0 || weeks > MAX_WEEKS {
            return fail(
                format!("weeks must be 1 to {MAX_WEEKS} weeks, got {weeks}"),
                vec![Seg::Key(field)],
            );
        }
        let start = self.instant(scenario.start);
        let first = self.week_of(self.schedule.zone().local(start).date());
        if first
            .checked_add_days(Days::new(7 * u64::from(weeks)))
            .is_none()
        {
            return fail(
                format!("{field} runs past the calendar"),
                vec![Seg::Key(field)],
            );
        }
        for env in scenario.initial.keys() {
            if !self.def.environments.contains(env) {
                return fail(
                    format!(
                        "initial names {env:?}, which is not one of the environments ({})",
                        self.def.environments.join(", ")
                    ),
                    vec![Seg::Key("initial")],
                );
            }
        }
        let read = |field: &str, path: &'static str, tag: &str| -> Result<Held, Placed> {
            let parsed = self.tags.parse(tag).map_err(|e| {
                (
                    Error::new(e.kind(), format!("train {name:?}: scenario.{field}: {e}")),
                    vec![Seg::Key(path)],
                )
            })?;
            Ok(Held {
                tag: tag.to_owned(),
                version: parsed.version().clone(),
                kind: TagKind::Initial,
            })
        };
        let holds = self
            .def
            .environments
            .iter()
            .map(|env| {
                scenario
                    .initial
                    .get(env)
                    .map(|tag| read(&format!("initial.{env}"), "initial", tag))
                    .transpose()
            })
            .collect::<Result<Vec<_>, Placed>>()?;
        let newest = holds
            .iter()
            .flatten()
            .max_by(|a, b| a.version.cmp(&b.version))
            .cloned();
        let latest = match &scenario.latest {
            None => newest,
            Some(tag) => {
                let latest = read("latest", "latest", tag)?;
                if let Some(n) = newest.filter(|n| n.version > latest.version) {
                    let env = self
                        .def
                        .environments
                        .iter()
                        .zip(&holds)
                        .find(|(_, h)| h.as_ref().is_some_and(|h| h.version == n.version))
                        .map_or("", |(e, _)| e.as_str());
                    return fail(
                        format!("latest is {tag}, older than {}, which {env} holds", n.tag),
                        vec![Seg::Key("latest")],
                    );
                }
                Some(latest)
            }
        };
        for (field, list) in [
            ("hotfixes", &scenario.hotfixes),
            ("warmfixes", &scenario.warmfixes),
        ] {
            for (i, w) in list.iter().enumerate() {
                if self.instant(*w) < start {
                    return fail(
                        format!("{field}[{i}] {w} is before the start {}", scenario.start),
                        vec![Seg::Key(field), Seg::Index(i)],
                    );
                }
            }
        }
        for (field, list, through) in [
            ("hotfixes", &scenario.hotfixes, self.hotfix_through),
            ("warmfixes", &scenario.warmfixes, self.warmfix_through),
        ] {
            let channelled = self.def.environments[..=through]
                .iter()
                .find(|e| self.def.channel_kind(e) != ChannelKind::Promoted);
            if let (false, Some(env)) = (list.is_empty(), channelled) {
                return fail(
                    format!(
                        "{field}: a fix reaches {env:?}, a {} channel, which takes no fixes (a point channel takes points)",
                        self.def.channel_kind(env)
                    ),
                    vec![Seg::Key(field)],
                );
            }
        }
        for (env, list) in &scenario.points {
            if self.def.channel_kind(env) != ChannelKind::Point {
                return fail(
                    format!(
                        "points names {env:?}, which is not an environment with a point channel{}",
                        point_channels(&self.def)
                    ),
                    vec![Seg::Key("points")],
                );
            }
            for (i, w) in list.iter().enumerate() {
                if self.instant(*w) < start {
                    return fail(
                        format!(
                            "points.{env}[{i}] {w} is before the start {}",
                            scenario.start
                        ),
                        vec![Seg::Key("points"), Seg::Name(env.clone()), Seg::Index(i)],
                    );
                }
            }
        }
        Ok(Initial {
            holds,
            latest,
            weeks,
        })
    }
}

/// The environments with a point channel, for a message.
fn point_channels(def: &TrainDef) -> String {
    let points: Vec<&str> = def
        .environments
        .iter()
        .filter(|e| def.channel_kind(e) == ChannelKind::Point)
        .map(String::as_str)
        .collect();
    if points.is_empty() {
        " (the train has none)".to_owned()
    } else {
        format!(" ({})", points.join(", "))
    }
}

/// Checks `channels` and what `schedules` act on against the environments
/// and the scheme.
fn check_channels(def: &TrainDef, scheme: &Scheme) -> Result<(), Placed> {
    let name = &def.name;
    let envs = def.environments.join(", ");
    let fail =
        |msg: String, path: Vec<Seg>| Err((Error::config(format!("train {name:?}: {msg}")), path));
    for (env, channel) in &def.channels {
        let at = |key: Option<&'static str>| {
            let mut path = vec![Seg::Key("channels"), Seg::Name(env.clone())];
            path.extend(key.map(Seg::Key));
            path
        };
        let Some(index) = def.environments.iter().position(|e| e == env) else {
            return fail(
                format!("channels names {env:?}, which is not one of the environments ({envs})"),
                at(None),
            );
        };
        match (channel.kind, &channel.stage) {
            (ChannelKind::Prerelease, None) => {
                return fail(
                    format!(
                        "channels.{env}: a prerelease channel needs a stage (stage = \"beta\")"
                    ),
                    at(None),
                );
            }
            (ChannelKind::Prerelease, Some(stage)) => {
                let stages = scheme.stages();
                let known = stages.is_empty() || stages.iter().any(|s| s == stage);
                let spelled = !stage.is_empty() && stage.bytes().all(|b| b.is_ascii_lowercase());
                if !known || !spelled {
                    return fail(
                        format!(
                            "channels.{env}.stage is {stage:?}, which is not {}",
                            if spelled {
                                format!("one of the scheme's stages ({})", stages.join(", "))
                            } else {
                                "a stage label (lowercase ASCII letters: alpha, beta, rc)"
                                    .to_owned()
                            }
                        ),
                        at(Some("stage")),
                    );
                }
            }
            (kind, Some(_)) => {
                return fail(
                    format!(
                        "channels.{env}.stage is only for a prerelease channel, and this one is {kind}"
                    ),
                    at(Some("stage")),
                );
            }
            (ChannelKind::Point, None) if index == 0 => {
                return fail(
                    format!(
                        "channels.{env}: a point channel takes its releases from the environment before it, and {env} is the first"
                    ),
                    at(Some("kind")),
                );
            }
            _ => {}
        }
    }
    for (i, s) in def.schedules.iter().enumerate() {
        for (j, env) in s.environments.iter().enumerate() {
            let at = vec![
                Seg::Key("schedules"),
                Seg::Index(i),
                Seg::Key("environments"),
                Seg::Index(j),
            ];
            let Some(index) = def.environments.iter().position(|e| e == env) else {
                return fail(
                    format!(
                        "schedules[{i}] ({:?}) names {env:?}, which is not one of the environments ({envs})",
                        s.name
                    ),
                    at,
                );
            };
            let why = match s.does {
                TrainAction::Build if def.channel_kind(env) != ChannelKind::Prerelease => {
                    "a build is for prerelease channels"
                }
                TrainAction::Promote if index == 0 => {
                    "the first environment has none before it to promote from"
                }
                _ => continue,
            };
            return fail(
                format!(
                    "schedules[{i}] ({:?}) does {} for {env:?}, but {why}",
                    s.name, s.does
                ),
                at,
            );
        }
    }
    Ok(())
}

/// The schedules of `def.schedules` from `extra`, in the definition's order.
fn match_schedules(
    def: &TrainDef,
    release: &Schedule,
    mut extra: Vec<Schedule>,
) -> Result<Vec<Schedule>, Placed> {
    let name = &def.name;
    let mut out = Vec::new();
    for (i, s) in def.schedules.iter().enumerate() {
        let at = vec![Seg::Key("schedules"), Seg::Index(i), Seg::Key("name")];
        let repeated =
            s.name == release.name() || def.schedules[..i].iter().any(|t| t.name == s.name);
        if repeated {
            return Err((
                Error::config(format!(
                    "train {name:?}: schedules[{i}] names {:?} again (each schedule once, the release days' not among them)",
                    s.name
                )),
                at,
            ));
        }
        let Some(pos) = extra.iter().position(|e| e.name() == s.name) else {
            let given: Vec<String> = extra.iter().map(|e| format!("{:?}", e.name())).collect();
            return Err((
                Error::config(format!(
                    "train {name:?}: schedules[{i}] names {:?}, which is not given ({})",
                    s.name,
                    if given.is_empty() {
                        "no schedules given".to_owned()
                    } else {
                        given.join(", ")
                    }
                )),
                at,
            ));
        };
        out.push(extra.swap_remove(pos));
    }
    Ok(out)
}
