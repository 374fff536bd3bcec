//! Playing a train through a scenario, week by week, on a virtual clock.

use std::collections::HashSet;
use std::fmt;
use std::iter::Peekable;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Occurrence;
use crate::version::{Level, Scheme, Version};
use crate::{Error, Result};

use super::def::{ChannelKind, Promote, Scenario, TrainAction, When};
use super::validate::{Held, Train};

/// Where a tag an environment holds came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// Held at the start of the scenario.
    Initial,
    /// Made or promoted on a release day.
    Release,
    /// A production fix, deployed to every environment at once.
    Hotfix,
    /// A staging fix, deployed to the first environment.
    Warmfix,
    /// A point release of a `point` channel, deployed to it only.
    Point,
    /// A new build of a `prerelease` channel on one of its build days.
    Build,
}

crate::vocabulary! {
    TagKind, "tag kind",
    {
        Initial => "initial",
        Release => "release",
        Hotfix => "hotfix",
        Warmfix => "warmfix",
        Point => "point",
        Build => "build",
    }
}

/// The outcome of [`Train::simulate`]: what every environment held, week by
/// week, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Simulation {
    /// The train's name.
    pub train: String,
    /// The environments in promotion order (the table's columns).
    pub environments: Vec<String>,
    /// The weeks, from week 1.
    pub weeks: Vec<Week>,
}

/// One week of a [`Simulation`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Week {
    /// 1-based.
    pub number: u32,
    /// The first local date of the week (on the schedule's week start).
    pub start: NaiveDate,
    /// The week's place in its cycle, 1 to `cycle_weeks`; the release week
    /// (the one of the schedule's dates) is the last. This is the calendar
    /// week's place: a release day a holiday moved into another week still
    /// belongs, for fixes, to the release week of its scheduled date.
    pub cycle_week: u32,
    /// The release day in this week, if the schedule has one.
    pub release_day: Option<ReleaseDay>,
    /// The days of the train's other schedules and its point releases in
    /// this week, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days: Vec<TrainDay>,
    /// What the schedule did this week: holiday moves and skips, "no
    /// release day this week".
    pub notes: Vec<String>,
    /// What each environment holds at the end of the week, in promotion
    /// order.
    pub environments: Vec<Holding>,
}

/// A release day: an occurrence of the train's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReleaseDay {
    /// The local date it happens on.
    pub date: NaiveDate,
    /// The date the schedule's rule gave, before holidays and overrides.
    pub scheduled: NaiveDate,
    /// The instant.
    pub at: DateTime<Utc>,
    /// The schedule's reasons when it is not on the scheduled date.
    pub notes: Vec<String>,
}

/// A day of a train's other schedule, or a point release, in a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrainDay {
    /// The local date.
    pub date: NaiveDate,
    /// The instant.
    pub at: DateTime<Utc>,
    /// What the day is: `build (beta-builds)`, `promote (promotions)`,
    /// `point release of stable`.
    pub what: String,
}

/// A tag deployed to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Deployment {
    /// The tag.
    pub tag: String,
    /// Where it came from.
    pub kind: TagKind,
    /// When.
    pub at: DateTime<Utc>,
}

/// What one environment holds at the end of a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Holding {
    /// The environment.
    pub environment: String,
    /// The tag it holds, if any.
    pub tag: Option<String>,
    /// Where that tag came from.
    pub kind: Option<TagKind>,
    /// Whether it holds another tag than at the start of the week.
    pub changed: bool,
    /// Every tag deployed to it this week, in order (a release and a
    /// later warmfix make two).
    pub deployed: Vec<Deployment>,
    /// Why, in the order things happened.
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    Merge,
    Fix(Fix),
    Release(usize),
    /// A point release of the environment at this index.
    Point(usize),
    /// An occurrence (index) of the train's other schedule (index).
    Extra(usize, usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fix {
    Hotfix,
    Warmfix,
}

/// A fix that replaces the planned release of an environment.
struct Replacing {
    kind: TagKind,
    tag: String,
    at: DateTime<Utc>,
}

/// The state the virtual clock carries from event to event.
struct State {
    holds: Vec<Option<Held>>,
    /// The latest fix whose rule replaces the planned release of each
    /// environment (its `through`).
    replacing: Vec<Option<Replacing>>,
    /// What each environment held at the end of the previous release day.
    snapshot: Vec<Option<Held>>,
    latest: Option<Held>,
    versions: Vec<Version>,
    /// Merges since the latest tag.
    pending: usize,
}

/// What happened in the current week so far.
struct WeekLog {
    reasons: Vec<Vec<String>>,
    deployed: Vec<Vec<Deployment>>,
}

/// The scenario's weeks on the calendar, and what happens in them.
struct Play {
    start_date: NaiveDate,
    /// The first day of week 1.
    first: NaiveDate,
    /// The week of the schedule's first date, from which cycle weeks count.
    anchor: NaiveDate,
    /// The release days.
    occurrences: Vec<Occurrence>,
    /// The days of the train's other schedules, per schedule.
    extra: Vec<Vec<Occurrence>>,
    /// The schedule rule's dates (before holidays and overrides).
    rule_dates: Vec<NaiveDate>,
    events: Vec<(DateTime<Utc>, Event)>,
    /// Merges before the start.
    pending: usize,
}

/// What a week says besides its environments.
#[derive(Default)]
struct Diary {
    release_day: Option<ReleaseDay>,
    days: Vec<TrainDay>,
    notes: Vec<String>,
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

impl Train {
    /// Plays the train through a scenario on a virtual clock, week by week.
    ///
    /// Weeks start on the schedule rule's week start (Monday unless `WKST`
    /// says otherwise): week 1 is the week that contains the scenario's
    /// start, so the fix table's "week 1, week 2" of a cycle are calendar
    /// weeks, and a release day early in the week still has a week before
    /// it. Release days are the schedule's occurrences at or after the
    /// start, so holidays, policies and overrides apply and are reported.
    ///
    /// On a release day, in this order:
    ///
    /// 1. every later environment takes what the one before it held at the
    ///    end of the previous release day (the scenario's initial holdings
    ///    for the first release day), if that is newer than what it holds;
    /// 2. the first environment gets a new tag (the next version after the
    ///    latest tag) if something merged since the latest tag, or if
    ///    `skip_when_unchanged` is off.
    ///
    /// A fix is a new tag (of everything merged so far), deployed at once to
    /// the environments up to its rule's `through`. With `replaces_planned`
    /// it also replaces the planned release of its `through` environment
    /// (production for a hotfix, staging for a warmfix) on a release day
    /// later in the same release week: the calendar week of the release
    /// day's scheduled date, so a release day a holiday moved into the next
    /// week is still replaced by a fix earlier in its real release week (and
    /// one moved back into the week before by a fix earlier that week). The
    /// other environments the fix reached still have their planned release
    /// that day: staging gets a new tag after a hotfix if something merged
    /// after it. Tags are one line: each is newer than every tag before it.
    ///
    /// # Errors
    ///
    /// The errors of [`Train::check`]; a [config
    /// error](crate::ErrorKind::Config) for a schedule without dates; the
    /// scheme's error when it cannot make the next tag (e.g. a CalVer date
    /// before the latest release).
    pub fn simulate(&self, scenario: &Scenario) -> Result<Simulation> {
        let init = self.initial(scenario)?;
        let play = self.play(scenario, init.weeks)?;
        let mut versions: Vec<Version> = init
            .holds
            .iter()
            .flatten()
            .map(|h| h.version.clone())
            .collect();
        versions.extend(init.latest.iter().map(|h| h.version.clone()));
        let mut state = State {
            replacing: init.holds.iter().map(|_| None).collect(),
            snapshot: init.holds.clone(),
            holds: init.holds,
            latest: init.latest,
            versions,
            pending: play.pending,
        };
        let mut next_event = play.events.iter().peekable();
        let mut weeks = Vec::new();
        for w in 0..init.weeks {
            weeks.push(self.week(w, &play, &mut next_event, &mut state)?);
        }
        Ok(Simulation {
            train: self.name().to_owned(),
            environments: self.environments().to_vec(),
            weeks,
        })
    }

    /// The scenario's weeks on the calendar, and everything that happens
    /// in them, in order.
    fn play(&self, scenario: &Scenario, weeks: u32) -> Result<Play> {
        let name = self.name();
        let schedule = self.schedule();
        let zone = schedule.zone();
        let start = self.instant(scenario.start);
        let start_date = zone.local(start).date();
        let first = self.week_of(start_date);
        let end_date = first
            .checked_add_days(Days::new(7 * u64::from(weeks)))
            .ok_or_else(|| {
                Error::config(format!(
                    "train {name:?}: scenario.weeks runs past the calendar"
                ))
            })?;
        let end = zone.resolve(end_date.and_time(NaiveTime::MIN)).0;
        let anchor = schedule
            .recurrence()
            .into_iter()
            .flat_map(|r| r.dates())
            .next()
            .map(|d| self.week_of(d))
            .ok_or_else(|| {
                Error::config(format!(
                    "train {name:?}: schedule {:?} has no dates",
                    schedule.name()
                ))
            })?;
        let rule_dates: Vec<NaiveDate> = schedule
            .recurrence()
            .into_iter()
            .flat_map(|r| r.dates())
            .skip_while(|d| *d < first)
            .take_while(|d| *d < end_date)
            .collect();
        let mut play = Play {
            start_date,
            first,
            anchor,
            occurrences: schedule.between(start, end),
            extra: self
                .extra_schedules()
                .iter()
                .map(|s| s.between(start, end))
                .collect(),
            rule_dates,
            events: Vec::new(),
            pending: 0,
        };
        self.events(scenario, start, end, &mut play);
        Ok(play)
    }

    /// Everything that happens from `start` to `end`, in order, into
    /// `play`; merges before the start count as pending.
    fn events(
        &self,
        scenario: &Scenario,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        play: &mut Play,
    ) {
        let events = &mut play.events;
        for m in &scenario.merges {
            let at = self.instant(*m);
            if at < start {
                play.pending += 1;
            } else if at < end {
                events.push((at, Event::Merge));
            }
        }
        // Train::check saw that no fix is before the start.
        for (list, fix) in [
            (&scenario.hotfixes, Fix::Hotfix),
            (&scenario.warmfixes, Fix::Warmfix),
        ] {
            let fixes = list.iter().map(|w| self.instant(*w)).filter(|at| *at < end);
            events.extend(fixes.map(|at| (at, Event::Fix(fix))));
        }
        let releases = play.occurrences.iter().enumerate();
        events.extend(releases.map(|(i, o)| (o.at, Event::Release(i))));
        for (k, list) in play.extra.iter().enumerate() {
            events.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, o)| (o.at, Event::Extra(k, i))),
            );
        }
        for (env, list) in &scenario.points {
            // Train::check saw that each names a point channel.
            let Some(e) = self.environments().iter().position(|x| x == env) else {
                continue;
            };
            let points = list.iter().map(|w| self.instant(*w)).filter(|at| *at < end);
            events.extend(points.map(|at| (at, Event::Point(e))));
        }
        events.sort();
    }

    /// Week `w` of the play: its events, then what it says of the week.
    fn week<'p>(
        &self,
        w: u32,
        play: &'p Play,
        next_event: &mut Peekable<std::slice::Iter<'p, (DateTime<Utc>, Event)>>,
        state: &mut State,
    ) -> Result<Week> {
        let zone = self.schedule().zone();
        let start = play.first + Days::new(7 * u64::from(w));
        let end = start + Days::new(7);
        let end_at = zone.resolve(end.and_time(NaiveTime::MIN)).0;
        let before: Vec<Option<String>> = state
            .holds
            .iter()
            .map(|h| h.as_ref().map(|h| h.tag.clone()))
            .collect();
        let n = self.environments().len();
        let mut log = WeekLog {
            reasons: vec![Vec::new(); n],
            deployed: vec![Vec::new(); n],
        };
        let mut diary = Diary::default();
        while let Some((at, ev)) = next_event.next_if(|(at, _)| *at < end_at) {
            self.happen(*ev, *at, play, state, &mut log, &mut diary)?;
        }
        self.missed_release_days(play, start, end, &mut diary.notes);
        if diary.release_day.is_none() {
            diary.notes.push("no release day this week".to_owned());
        }
        let k = (start - play.anchor).num_days().div_euclid(7);
        let cycle = i64::from(self.def().cycle_weeks);
        Ok(Week {
            number: w + 1,
            start,
            cycle_week: u32::try_from((k - 1).rem_euclid(cycle) + 1).unwrap_or(1),
            release_day: diary.release_day,
            days: diary.days,
            notes: diary.notes,
            environments: self.holdings(state, before, log),
        })
    }

    /// One event at `at`.
    fn happen(
        &self,
        ev: Event,
        at: DateTime<Utc>,
        play: &Play,
        state: &mut State,
        log: &mut WeekLog,
        diary: &mut Diary,
    ) -> Result<()> {
        let date = self.schedule().zone().local(at).date();
        match ev {
            Event::Merge => state.pending += 1,
            Event::Fix(fix) => self.fix(fix, at, date, state, log)?,
            Event::Release(i) => {
                if let Some(o) = play.occurrences.get(i) {
                    self.release_day(o, state, log, diary)?;
                }
            }
            Event::Point(e) => {
                self.point(e, at, date, state, log)?;
                let what = format!("point release of {}", self.environments()[e]);
                diary.days.push(TrainDay { date, at, what });
            }
            Event::Extra(k, i) => {
                if let Some(o) = play.extra.get(k).and_then(|l| l.get(i)) {
                    self.extra_day(k, o, state, log, diary)?;
                }
            }
        }
        Ok(())
    }

    /// A release day: the week's first is its release day, a second one
    /// a note.
    fn release_day(
        &self,
        o: &Occurrence,
        state: &mut State,
        log: &mut WeekLog,
        diary: &mut Diary,
    ) -> Result<()> {
        if diary.release_day.is_some() {
            diary
                .notes
                .push(format!("another release day on {}", o.date));
        } else {
            diary.release_day = Some(ReleaseDay {
                date: o.date,
                scheduled: o.scheduled,
                at: o.at,
                notes: o.notes.clone(),
            });
        }
        diary.notes.extend(o.notes.iter().cloned());
        // Its release week: that of the scheduled date, or of the date
        // when a holiday moved it back a week.
        let week = self.week_of(o.scheduled).min(self.week_of(o.date));
        let since = self.instant(When::Date(week));
        self.release(o, since, state, log)
    }

    /// A day of the train's other schedule `k`: a build or a promotion.
    fn extra_day(
        &self,
        k: usize,
        o: &Occurrence,
        state: &mut State,
        log: &mut WeekLog,
        diary: &mut Diary,
    ) -> Result<()> {
        let ts = &self.def().schedules[k];
        diary.days.push(TrainDay {
            date: o.date,
            at: o.at,
            what: format!("{} ({})", ts.does, ts.name),
        });
        diary
            .notes
            .extend(o.notes.iter().map(|n| format!("{}: {n}", ts.name)));
        match ts.does {
            TrainAction::Build => self.build(k, o, state, log),
            TrainAction::Promote => {
                let envs = self.acts_on(k);
                for &e in &envs {
                    log.reasons[e].push(format!("promotion day {} ({})", o.date, ts.name));
                }
                self.promote_all(o, &envs, state, log)
            }
        }
    }

    /// Why the rule's release days of the week `start..end` that are not
    /// release days are not, into `notes`.
    fn missed_release_days(
        &self,
        play: &Play,
        start: NaiveDate,
        end: NaiveDate,
        notes: &mut Vec<String>,
    ) {
        let in_week: HashSet<NaiveDate> = play
            .occurrences
            .iter()
            .filter(|o| o.date >= start && o.date < end)
            .map(|o| o.scheduled)
            .collect();
        for d in play
            .rule_dates
            .iter()
            .filter(|d| **d >= start && **d < end && !in_week.contains(*d))
        {
            if *d < play.start_date {
                notes.push(format!(
                    "the release day of {d} is before the scenario starts"
                ));
                continue;
            }
            let why = self.schedule().explain(*d).reasons;
            if why.len() > 1 {
                notes.push(why[1..].join("; "));
            }
        }
    }

    /// What each environment holds at the end of the week, and why.
    fn holdings(&self, state: &State, before: Vec<Option<String>>, log: WeekLog) -> Vec<Holding> {
        self.environments()
            .iter()
            .zip(state.holds.iter().zip(before))
            .zip(log.reasons.into_iter().zip(log.deployed))
            .map(|((env, (held, before)), (mut reasons, deployed))| {
                if reasons.is_empty() {
                    reasons.push("no release day this week".to_owned());
                }
                Holding {
                    environment: env.clone(),
                    tag: held.as_ref().map(|h| h.tag.clone()),
                    kind: held.as_ref().map(|h| h.kind),
                    changed: held.as_ref().map(|h| &h.tag) != before.as_ref(),
                    deployed,
                    reasons,
                }
            })
            .collect()
    }

    /// Plays the definition's own scenario.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the definition has
    /// none; otherwise as [`simulate`](Self::simulate).
    pub fn simulate_own(&self) -> Result<Simulation> {
        let scenario = self.def().scenario.as_ref().ok_or_else(|| {
            Error::config(format!(
                "train {:?} has no scenario to simulate",
                self.name()
            ))
        })?;
        self.simulate(scenario)
    }

    /// The next tag after the latest one.
    fn next_tag(&self, level: Level, date: NaiveDate, state: &State) -> Result<(String, Version)> {
        let scheme = self.scheme();
        let version = if matches!(scheme, Scheme::CalVer(_)) {
            scheme.next_for_date(date, &state.versions)
        } else {
            scheme.next(state.latest.as_ref().map(|h| &h.version), level)
        };
        let wrap = |e: Error| {
            Error::new(
                e.kind(),
                format!("train {:?}: the tag of {date}: {e}", self.name()),
            )
        };
        let version = version.map_err(wrap)?;
        let tag = self.tags().tag(&version).map_err(wrap)?;
        Ok((tag, version))
    }

    fn make_tag(
        &self,
        level: Level,
        date: NaiveDate,
        kind: TagKind,
        state: &mut State,
    ) -> Result<Held> {
        let (tag, version) = self.next_tag(level, date, state)?;
        let held = Held {
            tag,
            version: version.clone(),
            kind,
        };
        state.versions.push(version);
        state.latest = Some(held.clone());
        state.pending = 0;
        Ok(held)
    }

    fn fix(
        &self,
        fix: Fix,
        at: DateTime<Utc>,
        date: NaiveDate,
        state: &mut State,
        log: &mut WeekLog,
    ) -> Result<()> {
        let rules = &self.def().rules;
        let (kind, rule, through) = match fix {
            Fix::Hotfix => (TagKind::Hotfix, &rules.hotfix, self.hotfix_through),
            Fix::Warmfix => (TagKind::Warmfix, &rules.warmfix, self.warmfix_through),
        };
        let held = self.make_tag(rules.fix_level(), date, kind, state)?;
        for i in 0..=through {
            log.reasons[i].push(format!("{kind} {} deployed on {date}", held.tag));
            log.deployed[i].push(Deployment {
                tag: held.tag.clone(),
                kind,
                at,
            });
            state.holds[i] = Some(held.clone());
        }
        if rule.replaces_planned {
            state.replacing[through] = Some(Replacing {
                kind,
                tag: held.tag,
                at,
            });
        }
        Ok(())
    }

    /// Plays the release day `o`, whose release week began at `since`: a
    /// replacing fix from then on replaces the planned release of its
    /// environment.
    fn release(
        &self,
        o: &Occurrence,
        since: DateTime<Utc>,
        state: &mut State,
        log: &mut WeekLog,
    ) -> Result<()> {
        let rules = &self.def().rules;
        let replaced: Vec<Option<String>> = state
            .replacing
            .iter()
            .map(|r| {
                r.as_ref().filter(|r| r.at >= since).map(|r| {
                    format!(
                        "no planned release on {}: {} {} replaced it",
                        o.date, r.kind, r.tag
                    )
                })
            })
            .collect();
        for reasons in &mut log.reasons {
            reasons.extend(o.notes.iter().cloned());
        }
        let later: Vec<usize> = (1..self.environments().len())
            .filter(|i| !self.promoted_on_other_days(*i))
            .collect();
        self.promote_each(o, &later, &replaced, state, log)?;
        let since = state
            .latest
            .as_ref()
            .map_or_else(|| "yet".to_owned(), |h| format!("since {}", h.tag));
        let reason = if let Some(reason) = &replaced[0] {
            reason.clone()
        } else if state.pending == 0 && rules.skip_when_unchanged {
            format!("no release: nothing merged {since}")
        } else {
            let merged = match state.pending {
                0 => format!("released on schedule with nothing merged {since}"),
                m => format!("{} {since}", plural(m, "merge")),
            };
            let held = match self.stage_of_channel(0) {
                None => self.make_tag(rules.level(), o.date, TagKind::Release, state)?,
                Some(stage) => self.make_prerelease(stage, o.date, state)?,
            };
            let reason = format!("new tag {}: {merged}", held.tag);
            log.deployed[0].push(Deployment {
                tag: held.tag.clone(),
                kind: TagKind::Release,
                at: o.at,
            });
            state.holds[0] = Some(held);
            reason
        };
        log.reasons[0].push(reason);
        state.snapshot = state.holds.clone();
        Ok(())
    }
}

impl Train {
    /// The stage of the environment's channel when it is `prerelease`.
    fn stage_of_channel(&self, i: usize) -> Option<&str> {
        let env = &self.environments()[i];
        match self.def().channels.get(env) {
            Some(c) if c.kind == ChannelKind::Prerelease => c.stage.as_deref(),
            _ => None,
        }
    }

    /// Whether a `promote` schedule of the train promotes environment `i`,
    /// so that release days do not.
    fn promoted_on_other_days(&self, i: usize) -> bool {
        (0..self.def().schedules.len()).any(|k| {
            self.def().schedules[k].does == TrainAction::Promote && self.acts_on(k).contains(&i)
        })
    }

    /// The environments (indexes) the train's other schedule `k` acts on:
    /// those it lists, or every one it can act on.
    fn acts_on(&self, k: usize) -> Vec<usize> {
        let ts = &self.def().schedules[k];
        let envs = self.environments();
        if !ts.environments.is_empty() {
            return ts
                .environments
                .iter()
                .filter_map(|e| envs.iter().position(|x| x == e))
                .collect();
        }
        match ts.does {
            TrainAction::Build => (0..envs.len())
                .filter(|i| self.stage_of_channel(*i).is_some())
                .collect(),
            TrainAction::Promote => (1..envs.len()).collect(),
        }
    }

    /// A new tag of the next version at `stage` on the first environment:
    /// the first pre-release of the version after the final of what it held
    /// (or of the latest tag).
    fn make_prerelease(&self, stage: &str, date: NaiveDate, state: &mut State) -> Result<Held> {
        let scheme = self.scheme();
        let wrap = |e: Error| {
            Error::new(
                e.kind(),
                format!("train {:?}: the tag of {date}: {e}", self.name()),
            )
        };
        let from = state.holds[0].as_ref().or(state.latest.as_ref());
        let base = match from {
            Some(h) => Some(scheme.final_of(&h.version).map_err(wrap)?),
            None => None,
        };
        let next = scheme
            .next(base.as_ref(), self.def().rules.level())
            .map_err(wrap)?;
        let version = scheme.first_of_stage(&next, stage).map_err(wrap)?;
        let held = self.held(version, TagKind::Release).map_err(wrap)?;
        state.versions.push(held.version.clone());
        state.latest = Some(held.clone());
        state.pending = 0;
        Ok(held)
    }

    /// `version` as a tag held, of `kind`.
    fn held(&self, version: Version, kind: TagKind) -> Result<Held> {
        Ok(Held {
            tag: self.tags().tag(&version)?,
            version,
            kind,
        })
    }

    /// Each later environment of `envs` takes, by its channel, what the one
    /// before it held (when the release day began, or at the previous
    /// release day), unless a fix replaced its planned release.
    fn promote_each(
        &self,
        o: &Occurrence,
        envs: &[usize],
        replaced: &[Option<String>],
        state: &mut State,
        log: &mut WeekLog,
    ) -> Result<()> {
        let rules = &self.def().rules;
        let source = match rules.promote {
            Promote::PreviousReleaseDay => state.snapshot.clone(),
            Promote::Current => state.holds.clone(),
        };
        let when = match rules.promote {
            Promote::PreviousReleaseDay => "at the previous release day",
            Promote::Current => "when the release day began",
        };
        let names = self.environments();
        for &i in envs.iter().filter(|i| **i > 0) {
            let (env, prev) = (&names[i], &names[i - 1]);
            if let Some(reason) = replaced.get(i).and_then(Option::as_ref) {
                log.reasons[i].push(reason.clone());
                continue;
            }
            let Some(s) = &source[i - 1] else {
                log.reasons[i].push(format!("no release: {prev} held nothing {when}"));
                continue;
            };
            let (offer, how) = self.offer(i, s, state.holds[i].as_ref())?;
            let reasons = &mut log.reasons[i];
            match &state.holds[i] {
                Some(h) if offer.version == h.version => reasons.push(format!(
                    "no release: {env} already holds {}, {how}what {prev} held {when}",
                    offer.tag
                )),
                Some(h) if offer.version < h.version => reasons.push(format!(
                    "no release: {env} keeps {} ({}); {}, {how}what {prev} held {when}, is older",
                    h.tag, h.kind, offer.tag
                )),
                _ => {
                    reasons.push(format!(
                        "{env} takes {}, {how}what {prev} held {when}",
                        offer.tag
                    ));
                    log.deployed[i].push(Deployment {
                        tag: offer.tag.clone(),
                        kind: TagKind::Release,
                        at: o.at,
                    });
                    if !state.versions.contains(&offer.version) {
                        state.versions.push(offer.version.clone());
                    }
                    state.holds[i] = Some(Held {
                        kind: TagKind::Release,
                        ..offer
                    });
                }
            }
        }
        Ok(())
    }

    /// What environment `i`'s channel makes of `s`, which the one before
    /// held, and how to say so (`"the final of 1.81.0-beta.5, "`). A
    /// prerelease channel already on a pre-release of `s`'s final gets the
    /// next one (`-beta.3` after `-beta.2`); otherwise the first at its
    /// stage.
    fn offer(&self, i: usize, s: &Held, held: Option<&Held>) -> Result<(Held, String)> {
        let scheme = self.scheme();
        let env = &self.environments()[i];
        let wrap = |e: Error| {
            Error::new(
                e.kind(),
                format!("train {:?}: channel of {env}: {e}", self.name()),
            )
        };
        let version = match (self.def().channel_kind(env), self.stage_of_channel(i)) {
            (ChannelKind::Point, _) => scheme.final_of(&s.version).map_err(wrap)?,
            (ChannelKind::Prerelease, Some(stage)) => {
                let first = scheme.first_of_stage(&s.version, stage).map_err(wrap)?;
                match held {
                    Some(h) if at_stage(&h.version, stage) && h.version >= first => {
                        let same = scheme.final_of(&h.version).map_err(wrap)?
                            == scheme.final_of(&first).map_err(wrap)?;
                        if same {
                            scheme.bump_prerelease(&h.version).map_err(wrap)?
                        } else {
                            first
                        }
                    }
                    _ => first,
                }
            }
            _ => return Ok((s.clone(), String::new())),
        };
        if version == s.version {
            return Ok((s.clone(), String::new()));
        }
        let how = match self.def().channel_kind(env) {
            ChannelKind::Point => format!("the final of {}, ", s.tag),
            _ => format!("branched from {}, ", s.tag),
        };
        Ok((self.held(version, TagKind::Release).map_err(wrap)?, how))
    }

    /// A promotion day: the environments schedule `o` is for take what the
    /// ones before them held.
    fn promote_all(
        &self,
        o: &Occurrence,
        envs: &[usize],
        state: &mut State,
        log: &mut WeekLog,
    ) -> Result<()> {
        let none = vec![None; self.environments().len()];
        self.promote_each(o, envs, &none, state, log)
    }

    /// A build day of the train's other schedule `k`: each `prerelease`
    /// channel it is for gets the next pre-release of what it holds.
    fn build(&self, k: usize, o: &Occurrence, state: &mut State, log: &mut WeekLog) -> Result<()> {
        let scheme = self.scheme();
        for i in self.acts_on(k) {
            let env = &self.environments()[i];
            let Some(h) = state.holds[i]
                .as_ref()
                .filter(|h| h.version.is_prerelease())
            else {
                log.reasons[i].push(format!(
                    "no build on {}: {env} holds no pre-release",
                    o.date
                ));
                continue;
            };
            let version = scheme.bump_prerelease(&h.version).map_err(|e| {
                Error::new(
                    e.kind(),
                    format!(
                        "train {:?}: the build of {env} on {}: {e}",
                        self.name(),
                        o.date
                    ),
                )
            })?;
            let held = self.held(version, TagKind::Build)?;
            log.reasons[i].push(format!("build {} on {}", held.tag, o.date));
            log.deployed[i].push(Deployment {
                tag: held.tag.clone(),
                kind: TagKind::Build,
                at: o.at,
            });
            state.versions.push(held.version.clone());
            state.holds[i] = Some(held);
        }
        Ok(())
    }

    /// A point release of environment `e`: the next patch of what it holds,
    /// deployed to it only.
    fn point(
        &self,
        e: usize,
        at: DateTime<Utc>,
        date: NaiveDate,
        state: &mut State,
        log: &mut WeekLog,
    ) -> Result<()> {
        let env = &self.environments()[e];
        let wrap = |e: Error| {
            Error::new(
                e.kind(),
                format!(
                    "train {:?}: the point release of {env} on {date}: {e}",
                    self.name()
                ),
            )
        };
        let Some(h) = &state.holds[e] else {
            return Err(Error::config(format!(
                "train {:?}: the point release of {env} on {date}: {env} holds nothing yet",
                self.name()
            )));
        };
        let version = self
            .scheme()
            .next(Some(&h.version), Level::Patch)
            .map_err(wrap)?;
        let held = self.held(version, TagKind::Point).map_err(wrap)?;
        log.reasons[e].push(format!("point release {} on {date}", held.tag));
        log.deployed[e].push(Deployment {
            tag: held.tag.clone(),
            kind: TagKind::Point,
            at,
        });
        state.versions.push(held.version.clone());
        state.holds[e] = Some(held);
        Ok(())
    }
}

impl Simulation {
    /// A plain text table of what each environment holds at the end of each
    /// week, as process documents draw it (`-` for nothing).
    ///
    /// ```text
    /// week  staging  production
    /// 1     v0.0.4   v0.0.3
    /// ```
    pub fn to_table(&self) -> String {
        let mut rows: Vec<Vec<String>> = vec![
            std::iter::once("week".to_owned())
                .chain(self.environments.iter().cloned())
                .collect(),
        ];
        for w in &self.weeks {
            rows.push(
                std::iter::once(w.number.to_string())
                    .chain(
                        w.environments
                            .iter()
                            .map(|h| h.tag.clone().unwrap_or_else(|| "-".to_owned())),
                    )
                    .collect(),
            );
        }
        render(&rows)
    }

    /// This simulation with only the weeks where something happens: a
    /// release day, or an environment that changed (a build, a point
    /// release, a fix). The weeks keep their numbers.
    pub fn brief(&self) -> Simulation {
        Simulation {
            train: self.train.clone(),
            environments: self.environments.clone(),
            weeks: self
                .weeks
                .iter()
                .filter(|w| w.release_day.is_some() || w.environments.iter().any(|h| h.changed))
                .cloned()
                .collect(),
        }
    }

    /// The table of [`brief`](Self::brief)'s weeks, with the dates of each
    /// week's release day and other days (builds, promotions, point
    /// releases; comma-separated, in order), and a `*` after each tag that
    /// changed that week.
    ///
    /// ```text
    /// week  date        staging  production
    /// 1     2020-11-17  v0.0.4*  v0.0.3*
    /// 3     2020-12-01  v0.0.5*  v0.0.4*
    /// ```
    pub fn to_brief(&self) -> String {
        let mut rows: Vec<Vec<String>> = vec![
            ["week", "date"]
                .into_iter()
                .map(str::to_owned)
                .chain(self.environments.iter().cloned())
                .collect(),
        ];
        for w in self.brief().weeks {
            let mut dates: Vec<NaiveDate> = w
                .release_day
                .iter()
                .map(|d| d.date)
                .chain(w.days.iter().map(|d| d.date))
                .collect();
            dates.sort();
            dates.dedup();
            let date = if dates.is_empty() {
                w.start.to_string()
            } else {
                let spelled: Vec<String> = dates.iter().map(NaiveDate::to_string).collect();
                spelled.join(",")
            };
            rows.push(
                [w.number.to_string(), date]
                    .into_iter()
                    .chain(w.environments.iter().map(|h| {
                        let tag = h.tag.clone().unwrap_or_else(|| "-".to_owned());
                        if h.changed { format!("{tag}*") } else { tag }
                    }))
                    .collect(),
            );
        }
        render(&rows)
    }

    /// Every week with its release day, the schedule's notes and each
    /// environment's tag and reasons: the table's explanation.
    pub fn to_report(&self) -> String {
        let mut out = String::new();
        for w in &self.weeks {
            out.push_str(&format!(
                "week {} (from {}, week {} of the cycle)",
                w.number, w.start, w.cycle_week
            ));
            if let Some(day) = &w.release_day {
                out.push_str(&format!(": release day {}", day.date));
            }
            out.push('\n');
            for note in &w.notes {
                out.push_str(&format!("  note: {note}\n"));
            }
            for day in &w.days {
                out.push_str(&format!("  {}: {}\n", day.date, day.what));
            }
            for h in &w.environments {
                out.push_str(&format!(
                    "  {}: {}{}\n",
                    h.environment,
                    h.tag.as_deref().unwrap_or("-"),
                    if h.changed { " (changed)" } else { "" }
                ));
                for r in &h.reasons {
                    out.push_str(&format!("    - {r}\n"));
                }
            }
        }
        out
    }
}

impl fmt::Display for Simulation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_table())
    }
}

/// Whether `version` is a pre-release labelled `stage` (`1.81.0-beta.2`).
fn at_stage(version: &Version, stage: &str) -> bool {
    version
        .prerelease()
        .is_some_and(|p| p.split(|c: char| !c.is_ascii_alphabetic()).next() == Some(stage))
}

/// Rows as columns padded to their widest cell, two spaces apart.
fn render(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
