//! Playing a train through a scenario, week by week, on a virtual clock.

use std::collections::HashSet;
use std::fmt;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::calendar::Occurrence;
use crate::version::{Level, Scheme, Version};
use crate::{Error, Result};

use super::def::{Promote, Scenario, When};
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
}

crate::vocabulary! {
    TagKind, "tag kind",
    {
        Initial => "initial",
        Release => "release",
        Hotfix => "hotfix",
        Warmfix => "warmfix",
    }
}

/// The outcome of [`Train::simulate`]: what every environment held, week by
/// week, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// What the schedule did this week: holiday moves and skips, "no
    /// release day this week".
    pub notes: Vec<String>,
    /// What each environment holds at the end of the week, in promotion
    /// order.
    pub environments: Vec<Holding>,
}

/// A release day: an occurrence of the train's schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// A tag deployed to an environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
        let name = self.name();
        let init = self.initial(scenario)?;
        let schedule = self.schedule();
        let zone = schedule.zone();
        let at_of = |w: When| self.instant(w);
        let week_of = |d: NaiveDate| self.week_of(d);
        let start = at_of(scenario.start);
        let start_date = zone.local(start).date();
        let first = week_of(start_date);
        let end_date = first
            .checked_add_days(Days::new(7 * u64::from(init.weeks)))
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
            .map(week_of)
            .ok_or_else(|| {
                Error::config(format!(
                    "train {name:?}: schedule {:?} has no dates",
                    schedule.name()
                ))
            })?;

        let occurrences = schedule.between(start, end);
        let mut events: Vec<(DateTime<Utc>, Event)> = Vec::new();
        let mut pending = 0;
        for m in &scenario.merges {
            let at = at_of(*m);
            if at < start {
                pending += 1;
            } else if at < end {
                events.push((at, Event::Merge));
            }
        }
        // Train::check saw that no fix is before the start.
        for (list, fix) in [
            (&scenario.hotfixes, Fix::Hotfix),
            (&scenario.warmfixes, Fix::Warmfix),
        ] {
            for w in list {
                let at = at_of(*w);
                if at < end {
                    events.push((at, Event::Fix(fix)));
                }
            }
        }
        events.extend(
            occurrences
                .iter()
                .enumerate()
                .map(|(i, o)| (o.at, Event::Release(i))),
        );
        events.sort();

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
            pending,
        };
        let rule_dates: Vec<NaiveDate> = schedule
            .recurrence()
            .into_iter()
            .flat_map(|r| r.dates())
            .skip_while(|d| *d < first)
            .take_while(|d| *d < end_date)
            .collect();

        let n = self.environments().len();
        let cycle = i64::from(self.def().cycle_weeks);
        let mut weeks = Vec::new();
        let mut next_event = events.iter().peekable();
        for w in 0..init.weeks {
            let wstart = first + Days::new(7 * u64::from(w));
            let wend = wstart + Days::new(7);
            let wend_at = zone.resolve(wend.and_time(NaiveTime::MIN)).0;
            let before: Vec<Option<String>> = state
                .holds
                .iter()
                .map(|h| h.as_ref().map(|h| h.tag.clone()))
                .collect();
            let mut log = WeekLog {
                reasons: vec![Vec::new(); n],
                deployed: vec![Vec::new(); n],
            };
            let mut notes = Vec::new();
            let mut release_day = None;
            while let Some((at, ev)) = next_event.next_if(|(at, _)| *at < wend_at) {
                match ev {
                    Event::Merge => state.pending += 1,
                    Event::Fix(fix) => {
                        let date = zone.local(*at).date();
                        self.fix(*fix, *at, date, &mut state, &mut log)?;
                    }
                    Event::Release(i) => {
                        let Some(o) = occurrences.get(*i) else {
                            continue;
                        };
                        if release_day.is_some() {
                            notes.push(format!("another release day on {}", o.date));
                        } else {
                            release_day = Some(ReleaseDay {
                                date: o.date,
                                scheduled: o.scheduled,
                                at: o.at,
                                notes: o.notes.clone(),
                            });
                        }
                        notes.extend(o.notes.iter().cloned());
                        // Its release week: that of the scheduled date, or
                        // of the date when a holiday moved it back a week.
                        let week = week_of(o.scheduled).min(week_of(o.date));
                        let since = at_of(When::Date(week));
                        self.release(o, since, &mut state, &mut log)?;
                    }
                }
            }
            let in_week: HashSet<NaiveDate> = occurrences
                .iter()
                .filter(|o| o.date >= wstart && o.date < wend)
                .map(|o| o.scheduled)
                .collect();
            for d in rule_dates
                .iter()
                .filter(|d| **d >= wstart && **d < wend && !in_week.contains(*d))
            {
                if *d < start_date {
                    notes.push(format!(
                        "the release day of {d} is before the scenario starts"
                    ));
                    continue;
                }
                let why = schedule.explain(*d).reasons;
                if why.len() > 1 {
                    notes.push(why[1..].join("; "));
                }
            }
            if release_day.is_none() {
                notes.push("no release day this week".to_owned());
            }
            let environments = self
                .environments()
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
                .collect();
            let k = (wstart - anchor).num_days().div_euclid(7);
            weeks.push(Week {
                number: w + 1,
                start: wstart,
                cycle_week: u32::try_from((k - 1).rem_euclid(cycle) + 1).unwrap_or(1),
                release_day,
                notes,
                environments,
            });
        }
        Ok(Simulation {
            train: name.to_owned(),
            environments: self.environments().to_vec(),
            weeks,
        })
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
        let envs = self.environments();
        let source = match rules.promote {
            Promote::PreviousReleaseDay => state.snapshot.clone(),
            Promote::Current => state.holds.clone(),
        };
        for reasons in &mut log.reasons {
            reasons.extend(o.notes.iter().cloned());
        }
        for i in 1..envs.len() {
            let (env, prev) = (&envs[i], &envs[i - 1]);
            let reasons = &mut log.reasons[i];
            if let Some(reason) = &replaced[i] {
                reasons.push(reason.clone());
                continue;
            }
            let when = match rules.promote {
                Promote::PreviousReleaseDay => "at the previous release day",
                Promote::Current => "when the release day began",
            };
            match (&source[i - 1], &state.holds[i]) {
                (None, _) => reasons.push(format!("no release: {prev} held nothing {when}")),
                (Some(s), Some(h)) if s.version == h.version => reasons.push(format!(
                    "no release: {env} already holds {}, what {prev} held {when}",
                    s.tag
                )),
                (Some(s), Some(h)) if s.version < h.version => reasons.push(format!(
                    "no release: {env} keeps {} ({}); {}, what {prev} held {when}, is older",
                    h.tag, h.kind, s.tag
                )),
                (Some(s), _) => {
                    reasons.push(format!("{env} takes {}, what {prev} held {when}", s.tag));
                    log.deployed[i].push(Deployment {
                        tag: s.tag.clone(),
                        kind: TagKind::Release,
                        at: o.at,
                    });
                    state.holds[i] = Some(Held {
                        kind: TagKind::Release,
                        ..s.clone()
                    });
                }
            }
        }
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
            let held = self.make_tag(rules.level(), o.date, TagKind::Release, state)?;
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
        let columns = self.environments.len() + 1;
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
