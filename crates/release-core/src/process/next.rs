//! The next version of each component, for each release day.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::model::{Process, release_schedule_name};
use super::releases::ReleaseLines;
use super::releases::{Declared, ReleaseDef, most_specific};
use crate::calendar::Occurrence;
use crate::gate::Facts;
use crate::line::Lines;
use crate::pipeline::Component;
use crate::run::Event;
use crate::version::{Change, Level, Rejected, ReleaseKind, Scheme, TagScheme, bump_level};
use crate::{Error, Result, Warning};

/// What a component's next release is called, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct NextVersion {
    /// The component.
    pub component: String,
    /// Its latest release tag among those given, if any.
    pub current: Option<String>,
    /// The next tag; `None` when nothing calls for a release, the
    /// component has no tag scheme, or it has no release yet and no
    /// declared first version (`initial`).
    pub next: Option<String>,
    /// The version of `next`'s tag (`2.0.0` for `v2.0.0`), when there is
    /// a next tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The version of `current`'s tag, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<String>,
    /// Why this version (or none).
    pub reason: String,
    /// The release (`[[releases]]` name) this answer is for, if the
    /// process has `[[releases]]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release: Option<String>,
    /// The level of the release (SemVer components): the declared kind's,
    /// raised by conventional commits where given; `None` for CalVer
    /// components and when nothing is released.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<Level>,
    /// The pre-release label of the release kind (`beta`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prerelease: Option<String>,
    /// Why this level: `minor: the six-weekly release day`, `major: the
    /// May feature release`, `patch: no kind declared`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_reason: Option<String>,
    /// The release line this answer is for, when the release ships a
    /// version of each of several lines (`lines` of a `[[releases]]`
    /// entry): then `current` is the line's latest tag and `next` stays in
    /// the line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<String>,
    /// The given tags that are not of the component's scheme, each with the
    /// reason: they were left out of the answer, never dropped in silence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
    /// The same tags as `warnings` says, as data: each tag and why it is
    /// not of the scheme. With per-line answers, on the component's first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<Rejected>,
}

impl NextVersion {
    /// The kind of the release (level and pre-release label), if it has a
    /// level.
    pub fn kind(&self) -> Option<ReleaseKind> {
        self.level.map(|level| ReleaseKind {
            level,
            prerelease: self.prerelease.clone(),
        })
    }
}

/// The next occurrence of one release day (a `[[releases]]` entry, or the
/// process's default release day) and the next version of each component
/// it ships.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NextRelease {
    /// The release's name (`[[releases]]` `name`, by default its
    /// schedule's); `None` for a process without `[[releases]]`.
    pub release: Option<String>,
    /// The schedule of its days, if the process has one.
    pub schedule: Option<String>,
    /// Its next occurrence (today's, even if its time has passed), if any.
    pub occurrence: Option<Occurrence>,
    /// The date its versions are for (CalVer periods).
    pub date: NaiveDate,
    /// The next version of each component it ships.
    pub versions: Vec<NextVersion>,
}

impl Process {
    /// The next tag of every component, from its existing `tags` (any
    /// order; tags that do not fit its scheme are left out and reported in
    /// the component's [`warnings`](NextVersion::warnings)) and the
    /// `changes` since its latest tag, for the default release on `date`.
    ///
    /// SemVer components: the declared kind (see
    /// [`next_releases`](Self::next_releases)) sets the level, a patch when
    /// none is declared; conventional commits, where given, may raise it
    /// and never lower it. An outstanding candidate (`9.0.0-rc.2`, newer
    /// than every final) is released as its final (`9.0.0`) whether or not
    /// the scheme requires candidates. A component without a tag of its
    /// scheme gets its declared first version (`initial` on its tag
    /// scheme), never an invented one.
    /// CalVer components take the next version of `date`'s period; with a
    /// list of changes, only when one of them calls for a release
    /// ([`Scheme::next_from_changes`](crate::version::Scheme::next_from_changes)).
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for a `tags` or `changes`
    /// key that names no component; a [refused error](crate::ErrorKind::Refused)
    /// when `date` is before the latest CalVer tag's period.
    pub fn next_versions(
        &self,
        tags: &BTreeMap<String, Vec<String>>,
        changes: &BTreeMap<String, Vec<Change>>,
        date: NaiveDate,
    ) -> Result<Vec<NextVersion>> {
        self.next_versions_for(tags, changes, date, None)
    }

    /// [`next_versions`](Self::next_versions) for the `[[releases]]` entry
    /// named `release` on `date` (the default release when `None`): only
    /// the components it ships, with its kind (a rule matches when `date`
    /// is one of its occurrences).
    ///
    /// # Errors
    ///
    /// As [`next_versions`](Self::next_versions), and a
    /// [config error](crate::ErrorKind::Config) for a `release` that is not
    /// the name of an entry.
    pub fn next_versions_for(
        &self,
        tags: &BTreeMap<String, Vec<String>>,
        changes: &BTreeMap<String, Vec<Change>>,
        date: NaiveDate,
        release: Option<&str>,
    ) -> Result<Vec<NextVersion>> {
        let release = match release {
            Some(name) => Some(self.release_named(name)?),
            None => self.default_release(),
        };
        let occurrence = release.and_then(|r| {
            let schedule = self.schedule(&r.schedule)?;
            let o = super::plan::occurrence_on_or_after(schedule, date)?;
            (o.date == date).then_some(o)
        });
        self.versions_for(tags, changes, date, release, occurrence.as_ref())
    }

    /// The default release: the `[[releases]]` entry of `release_day`'s
    /// schedule, else the first entry; `None` without `[[releases]]`.
    pub fn default_release(&self) -> Option<&ReleaseDef> {
        let def = self.def();
        match &def.release_day {
            Some(day) => def.releases.iter().find(|r| &r.schedule == day),
            None => def.releases.first(),
        }
        .or(def.releases.first())
    }

    /// The next release day of each `[[releases]]` entry from `now` (or of
    /// the one named `release`), with the next version of each component it
    /// ships; for a process without `[[releases]]`, its release day as
    /// [`plan`](Self::plan) finds it (`facts` and `journal` as there).
    ///
    /// The kind of a component's release is the most specific one
    /// declared: its `tag` step's `release_kind`, over a train of the
    /// component on the release's schedule (`rules.kind`), over the
    /// release day's (a matching entry of
    /// `rules`, over the entry's `kind`); a patch when none is declared.
    /// Conventional commits in `changes` may raise the level, never lower
    /// it; the reason says which.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for a `release` that is
    /// not the name of a `[[releases]]` entry; the errors of
    /// [`next_versions`](Self::next_versions) and [`plan`](Self::plan).
    pub fn next_releases(
        &self,
        now: DateTime<Utc>,
        tags: &BTreeMap<String, Vec<String>>,
        changes: &BTreeMap<String, Vec<Change>>,
        facts: &Facts,
        journal: &[Event],
        release: Option<&str>,
    ) -> Result<Vec<NextRelease>> {
        let entries = &self.def().releases;
        let chosen: Vec<&ReleaseDef> = match release {
            Some(name) => vec![self.release_named(name)?],
            None => entries.iter().collect(),
        };
        if chosen.is_empty() {
            let plan = self.plan_steps(now, facts, journal, None)?;
            let occurrence = plan.release.map(|r| r.occurrence);
            let date = occurrence.as_ref().map_or(now.date_naive(), |o| o.date);
            return Ok(vec![NextRelease {
                release: None,
                schedule: release_schedule_name(self.def()).map(str::to_owned),
                occurrence,
                date,
                versions: self.versions_for(tags, changes, date, None, None)?,
            }]);
        }
        let mut out = Vec::with_capacity(chosen.len());
        for entry in chosen {
            let occurrence = self
                .schedule(&entry.schedule)
                .and_then(|s| super::plan::next_occurrence(s, now));
            let date = occurrence.as_ref().map_or(now.date_naive(), |o| o.date);
            out.push(NextRelease {
                release: Some(entry.name().to_owned()),
                schedule: Some(entry.schedule.clone()),
                versions: self.versions_for(
                    tags,
                    changes,
                    date,
                    Some(entry),
                    occurrence.as_ref(),
                )?,
                occurrence,
                date,
            });
        }
        Ok(out)
    }

    /// The `[[releases]]` entry named `name`.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the releases there
    /// are.
    pub fn release_named(&self, name: &str) -> Result<&ReleaseDef> {
        let entries = &self.def().releases;
        entries.iter().find(|r| r.name() == name).ok_or_else(|| {
            let names: Vec<String> = entries.iter().map(|r| format!("{:?}", r.name())).collect();
            Error::config(if names.is_empty() {
                format!("no release named {name:?}: the process has no [[releases]]")
            } else {
                format!("no release named {name:?} (releases: {})", names.join(", "))
            })
        })
    }

    /// The kinds declared for `component` on `release`'s occurrence, most
    /// specific first.
    fn declared_kind(
        &self,
        component: &Component,
        release: Option<&ReleaseDef>,
        occurrence: Option<&Occurrence>,
    ) -> Option<(ReleaseKind, String)> {
        let mut declared = Vec::new();
        let schedule = release
            .map(|r| r.schedule.as_str())
            .or_else(|| release_schedule_name(self.def()));
        let only = self.def().only_tagged_component().map(|c| c.name.as_str());
        for train in self.trains() {
            let def = train.def();
            let of_component = match &def.component {
                Some(name) => name == &component.name,
                None => only == Some(component.name.as_str()),
            };
            if of_component
                && Some(def.schedule.as_str()) == schedule
                && let Some(kind) = &def.rules.kind
            {
                declared.push((
                    Declared::Train,
                    kind.clone(),
                    format!("{kind}: train {:?}", def.name),
                ));
            }
        }
        if let Some(step) = self.kind_step(&component.name)
            && let Some(kind) = &step.details.release_kind
        {
            declared.push((
                Declared::Step,
                kind.clone(),
                format!("{kind}: step {:?}", step.id),
            ));
        }
        if let Some((kind, why)) = release.and_then(|r| r.kind_of(occurrence)) {
            declared.push((Declared::Release, kind, why));
        }
        most_specific(declared)
    }

    /// `state` with the next version of each component a run of this
    /// process releases planned (`ReleaseState::planned`): every component
    /// of `versions` with a next tag, or, when the process has `tag` steps
    /// naming components, only those.
    pub fn planned_state(
        &self,
        state: &crate::state::ReleaseState,
        versions: &[NextVersion],
    ) -> crate::state::ReleaseState {
        let tagged: Vec<&str> = self
            .def()
            .steps
            .iter()
            .filter(|s| s.kind == crate::pipeline::StepKind::Tag)
            .filter_map(|s| s.details.component.as_deref())
            .collect();
        let mut state = state.clone();
        for v in versions {
            let Some(tag) = &v.next else { continue };
            if !tagged.is_empty() && !tagged.contains(&v.component.as_str()) {
                continue;
            }
            let version = v.version.as_deref().unwrap_or(tag);
            state = state.planned(&v.component, version, tag);
        }
        state
    }

    /// The `tag` step of component `name` that declares a `release_kind`
    /// (the load checks there is at most one).
    pub(crate) fn kind_step(&self, name: &str) -> Option<&crate::pipeline::Step> {
        let only = self.def().only_tagged_component().map(|c| c.name.as_str());
        self.def().steps.iter().find(|s| {
            s.details.release_kind.is_some()
                && s.details.component.as_deref().or(only) == Some(name)
        })
    }

    fn versions_for(
        &self,
        tags: &BTreeMap<String, Vec<String>>,
        changes: &BTreeMap<String, Vec<Change>>,
        date: NaiveDate,
        release: Option<&ReleaseDef>,
        occurrence: Option<&Occurrence>,
    ) -> Result<Vec<NextVersion>> {
        let components = &self.def().components;
        for name in tags.keys().chain(changes.keys()) {
            if !components.iter().any(|c| &c.name == name) {
                let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
                return Err(Error::config(format!(
                    "tags or changes given for {name:?}, which is not a component (components: {})",
                    names.join(", ")
                )));
            }
        }
        let mut out = Vec::with_capacity(components.len());
        for component in components {
            if release.is_some_and(|r| !r.ships(&component.name)) {
                continue;
            }
            let given = tags.get(&component.name).map_or(&[][..], Vec::as_slice);
            let list = changes.get(&component.name).map(Vec::as_slice);
            let declared = self.declared_kind(component, release, occurrence);
            let per_line = release
                .and_then(|r| r.lines.as_ref())
                .zip(self.lines(&component.name));
            let nexts = match per_line {
                Some((which, lines)) => {
                    per_line_next(component, lines, which, given, list, date, declared)?
                }
                None => vec![next_of(component, given, list, date, declared)?],
            };
            for mut next in nexts {
                next.release = release.map(|r| r.name().to_owned());
                // The versions inside the tags, for those who template
                // their own text (`{version}` of a step's command).
                let version_of = |tag: &Option<String>| {
                    let scheme = component.tags.as_ref()?;
                    scheme.version_of(tag.as_deref()?).map(|v| v.to_string())
                };
                next.version = version_of(&next.next);
                next.current_version = version_of(&next.current);
                out.push(next);
            }
        }
        Ok(out)
    }
}

/// One next version per line of `component` that `which` chooses on
/// `date`, each from the line's own tags only; the next version of each
/// stays in its line (a kind that would leave it is refused).
fn per_line_next(
    component: &Component,
    lines: &Lines,
    which: &ReleaseLines,
    given: &[String],
    changes: Option<&[Change]>,
    date: NaiveDate,
    declared: Option<(ReleaseKind, String)>,
) -> Result<Vec<NextVersion>> {
    let Some(scheme) = &component.tags else {
        return Ok(vec![next_of(component, given, changes, date, declared)?]);
    };
    let key_of = |tag: &String| scheme.version_of(tag).and_then(|v| lines.key_of(&v));
    let versions: Vec<_> = given.iter().filter_map(|t| scheme.version_of(t)).collect();
    let mut out = Vec::new();
    for line in lines.lines(&versions)? {
        if !which.includes(&line, date) {
            continue;
        }
        let own: Vec<String> = given
            .iter()
            .filter(|t| key_of(t).as_deref() == Some(line.key.as_str()))
            .cloned()
            .collect();
        let mut next = next_of(component, &own, changes, date, declared.clone())?;
        next.line = Some(line.key.clone());
        if own.is_empty() {
            next.next = None;
            next.reason = format!("line {}: no tag of the line among those given", line.key);
        } else if let Some(tag) = &next.next
            && key_of(tag).as_deref() != Some(line.key.as_str())
        {
            return Err(Error::refused(format!(
                "component {:?}, line {}: the release kind gives {tag}, which is not of the line; a release of several lines ships versions within each (kind = \"patch\")",
                component.name, line.key
            )));
        }
        out.push(next);
    }
    // The tags not of the scheme are said once, on the first answer.
    let read = scheme.parse_all(given.iter().map(String::as_str));
    let (warnings, rejected) = unread(&component.name, &read.rejected);
    if out.is_empty() {
        let mut none = next_of(component, &[], changes, date, None)?;
        none.next = None;
        none.level = None;
        none.level_reason = None;
        none.reason = format!(
            "no line of {:?} is {} on {date}",
            component.name,
            which.describe()
        );
        out.push(none);
    }
    out[0].warnings = warnings;
    out[0].rejected = rejected;
    Ok(out)
}

/// The warnings and the rejected list of the tags of component `name`
/// that are not of its scheme.
fn unread(name: &str, rejected: &[Rejected]) -> (Vec<Warning>, Vec<Rejected>) {
    let warnings = rejected
        .iter()
        .map(|r| {
            Warning::unread(
                &r.tag,
                format!(
                    "component {name:?}: {}; the tag is left out",
                    r.error.message()
                ),
            )
        })
        .collect();
    (warnings, rejected.to_vec())
}

/// The next version of one component.
fn next_of(
    component: &Component,
    given: &[String],
    changes: Option<&[Change]>,
    date: NaiveDate,
    declared: Option<(ReleaseKind, String)>,
) -> Result<NextVersion> {
    let name = component.name.clone();
    let mut answer = NextVersion {
        component: name.clone(),
        current: None,
        next: None,
        version: None,
        current_version: None,
        reason: String::new(),
        release: None,
        level: None,
        prerelease: None,
        level_reason: None,
        line: None,
        warnings: Vec::new(),
        rejected: Vec::new(),
    };
    let Some(scheme) = &component.tags else {
        answer.reason = "no tag scheme".to_owned();
        return Ok(answer);
    };
    let read = scheme.parse_all(given.iter().map(String::as_str));
    (answer.warnings, answer.rejected) = unread(&name, &read.rejected);
    let latest = scheme.latest(given, false);
    answer.current = latest.as_ref().map(|(i, _)| given[*i].clone());
    if let Scheme::CalVer(_) = scheme.scheme() {
        let (next, reason) = calver_next(
            scheme,
            &read.versions(),
            latest.as_ref().map(|(_, v)| v),
            changes,
            date,
            &name,
        )?;
        answer.next = next;
        answer.reason = reason;
        return Ok(answer);
    }
    let current_version = latest.as_ref().map(|(_, v)| v);
    // The level: the declared kind, raised (never lowered) by the changes.
    let (kind, level_reason, why) = match (declared, changes) {
        (_, Some([])) => {
            answer.reason = "nothing changed since the latest tag".to_owned();
            return Ok(answer);
        }
        (Some((kind, why)), None) => (kind, why.clone(), why),
        (Some((kind, why)), Some(list)) => match bump_level(list, current_version) {
            Some(level) if level > kind.level => {
                let raised = ReleaseKind {
                    level,
                    prerelease: kind.prerelease.clone(),
                };
                let reason = format!(
                    "{level}: {} change(s) raise the declared {kind} ({why})",
                    list.len()
                );
                (raised, reason.clone(), reason)
            }
            called => {
                let calls = called.map_or_else(|| "no release".to_owned(), |l| format!("a {l}"));
                let reason = format!(
                    "{why}; the {} change(s) call for {calls}, which never lowers it",
                    list.len()
                );
                (kind, why, reason)
            }
        },
        (None, None) => {
            let why = "patch: no kind declared".to_owned();
            (
                ReleaseKind::new(Level::Patch),
                why,
                "no changes given: next patch".to_owned(),
            )
        }
        (None, Some(list)) => match bump_level(list, current_version) {
            Some(level) => {
                let why = format!(
                    "{level}: {} change(s) call for a {level} release",
                    list.len()
                );
                (
                    ReleaseKind::new(level),
                    why.clone(),
                    format!("{} change(s) call for a {level} release", list.len()),
                )
            }
            None => {
                answer.reason = format!("no change of {} calls for a release", list.len());
                return Ok(answer);
            }
        },
    };
    answer.level = Some(kind.level);
    answer.prerelease = kind.prerelease.clone();
    answer.level_reason = Some(level_reason);
    let required = scheme.scheme().candidates().required;
    let existing: Vec<_> = given.iter().filter_map(|t| scheme.version_of(t)).collect();
    // An outstanding candidate: newer than every final.
    let candidate = scheme
        .latest(given, true)
        .filter(|(_, v)| v.is_prerelease());
    if latest.is_none() && candidate.is_none() {
        return first_release(scheme, answer, required);
    }
    match candidate {
        // A candidate is out: its final is next; further changes wait for
        // the next cycle.
        Some((i, v)) if required && kind.prerelease.is_none() => {
            let promotion = scheme.scheme().promote(&v, &existing)?;
            answer.next = Some(scheme.tag(&promotion.to)?);
            answer.reason = format!("{why}; promote the candidate {} to its final", given[i]);
        }
        Some((i, v)) => {
            let next = kind.next(scheme.scheme(), Some(&v), &existing)?;
            let what = if next.is_prerelease() {
                "the next pre-release after it"
            } else {
                "its final is next"
            };
            answer.next = Some(scheme.tag(&next)?);
            answer.reason = format!("{why}; the candidate {} is out: {what}", given[i]);
        }
        None => {
            let next = kind.next(scheme.scheme(), current_version, &existing)?;
            if required && !next.is_prerelease() {
                let rc = scheme.scheme().start_prerelease(&next)?;
                answer.next = Some(scheme.tag(&rc)?);
                answer.reason = format!("{why}; a final needs a candidate first");
            } else {
                answer.next = Some(scheme.tag(&next)?);
                answer.reason = why;
            }
        }
    }
    Ok(answer)
}

/// The first release of a component without a tag of its scheme: its
/// declared `initial` version, or none (never an invented one).
fn first_release(
    scheme: &TagScheme,
    mut answer: NextVersion,
    required: bool,
) -> Result<NextVersion> {
    match scheme.initial() {
        Some(initial) if required => {
            let rc = scheme.scheme().start_prerelease(initial)?;
            answer.next = Some(scheme.tag(&rc)?);
            answer.reason = format!(
                "no release yet: the declared first version {initial}, and a final needs a candidate first"
            );
        }
        Some(initial) => {
            answer.next = Some(scheme.tag(initial)?);
            answer.reason = format!("no release yet: the declared first version {initial}");
        }
        None => {
            answer.reason = "no release yet, and no first version declared (initial = \"1.0.0\" on the component's tag scheme)".to_owned();
            answer.level = None;
            answer.prerelease = None;
            answer.level_reason = None;
        }
    }
    Ok(answer)
}

/// The next CalVer version and why.
fn calver_next(
    scheme: &TagScheme,
    existing: &[crate::version::Version],
    current: Option<&crate::version::Version>,
    changes: Option<&[Change]>,
    date: NaiveDate,
    name: &str,
) -> Result<(Option<String>, String)> {
    let in_component = |e: Error| Error::new(e.kind(), format!("component {name:?}: {e}"));
    match changes {
        None => {
            let v = scheme
                .scheme()
                .next_for_date(date, existing)
                .map_err(in_component)?;
            let reason = format!("{} on {date}", scheme.scheme().describe());
            Ok((Some(scheme.tag(&v)?), reason))
        }
        Some(list) => match scheme
            .scheme()
            .next_from_changes(current, list, existing, Some(date))
            .map_err(in_component)?
        {
            Some(v) => Ok((
                Some(scheme.tag(&v)?),
                format!(
                    "{} change(s) call for a release; {} on {date}",
                    list.len(),
                    scheme.scheme().describe()
                ),
            )),
            None if list.is_empty() => {
                Ok((None, "nothing changed since the latest tag".to_owned()))
            }
            None => Ok((
                None,
                format!("no change of {} calls for a release", list.len()),
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const BASE: &str = r#"
name = "demo"
release_day = "six-weekly"

[[components]]
name = "app"
tags = { template = "v{version}", scheme = { kind = "semver" }, initial = "1.0.0" }

[[schedules]]
name = "six-weekly"
time = "10:00"
zone = "UTC"
recurrence = { start = "2025-01-09", rule = { frequency = "weekly", interval = 6, by_day = ["TH"] } }
"#;

    const ENVS: &str =
        "[[environments]]\nname = \"staging\"\n[[environments]]\nname = \"production\"\n";

    fn process(extra: &str) -> Process {
        Process::from_toml("release.toml", &format!("{BASE}{extra}")).unwrap()
    }

    fn tags(list: &[&str]) -> BTreeMap<String, Vec<String>> {
        BTreeMap::from([(
            "app".to_owned(),
            list.iter().map(|t| (*t).to_owned()).collect(),
        )])
    }

    fn changes(messages: &[&str]) -> BTreeMap<String, Vec<Change>> {
        BTreeMap::from([(
            "app".to_owned(),
            messages.iter().map(|m| Change::parse(m)).collect(),
        )])
    }

    fn next(p: &Process, t: &[&str], c: Option<&[&str]>, release: Option<&str>) -> NextVersion {
        let now = Utc.with_ymd_and_hms(2025, 5, 1, 0, 0, 0).unwrap();
        let c = c.map_or_else(BTreeMap::new, changes);
        let r = p
            .next_releases(now, &tags(t), &c, &Facts::new(), &[], release)
            .unwrap();
        r[0].versions[0].clone()
    }

    const MINOR_MAY_MAJOR: &str = r#"
[[releases]]
schedule = "six-weekly"
kind = "minor"
rules = [{ when = { month = 5 }, kind = "major" }]
"#;

    #[test]
    fn a_release_day_declares_its_kind_and_a_rule_picks_an_occurrence() {
        let p = process("[[releases]]\nschedule = \"six-weekly\"\nkind = \"minor\"\n");
        let v = next(&p, &["v1.2.3"], None, None);
        assert_eq!(v.next.as_deref(), Some("v1.3.0"));
        assert_eq!(v.level, Some(Level::Minor));
        assert_eq!(
            v.level_reason.as_deref(),
            Some("minor: the six-weekly release day")
        );
        // The next occurrence from 2025-05-01 is Thursday 2025-05-15: May.
        let p = process(MINOR_MAY_MAJOR);
        let v = next(&p, &["v1.2.3"], None, None);
        assert_eq!(v.next.as_deref(), Some("v2.0.0"));
        assert_eq!(
            v.level_reason.as_deref(),
            Some("major: the May six-weekly release")
        );
    }

    #[test]
    fn the_most_specific_declaration_wins_a_train_over_the_release_day() {
        let train = r#"
[[trains]]
name = "app"
schedule = "six-weekly"
environments = ["staging", "production"]
cycle_weeks = 6
rules = { kind = "patch" }
"#;
        let p = process(&format!("{MINOR_MAY_MAJOR}{ENVS}{train}"));
        let v = next(&p, &["v1.2.3"], None, None);
        assert_eq!(v.next.as_deref(), Some("v1.2.4"));
        assert_eq!(v.level_reason.as_deref(), Some("patch: train \"app\""));
    }

    #[test]
    fn commits_raise_the_declared_level_and_never_lower_it() {
        let p = process("[[releases]]\nschedule = \"six-weekly\"\nkind = \"minor\"\n");
        let raised = next(&p, &["v1.2.3"], Some(&["feat!: drop the old API"]), None);
        assert_eq!(raised.next.as_deref(), Some("v2.0.0"));
        assert_eq!(raised.level, Some(Level::Major));
        assert_eq!(
            raised.reason,
            "major: 1 change(s) raise the declared minor (minor: the six-weekly release day)"
        );
        let kept = next(&p, &["v1.2.3"], Some(&["fix: a typo"]), None);
        assert_eq!(kept.next.as_deref(), Some("v1.3.0"));
        assert_eq!(kept.level, Some(Level::Minor));
        assert_eq!(
            kept.reason,
            "minor: the six-weekly release day; the 1 change(s) call for a patch, which never lowers it"
        );
        let nothing = next(&p, &["v1.2.3"], Some(&[]), None);
        assert_eq!(nothing.next, None);
    }

    #[test]
    fn an_outstanding_candidate_gives_its_final_without_required_candidates() {
        let p = process("[[releases]]\nschedule = \"six-weekly\"\nkind = \"major\"\n");
        let v = next(&p, &["v8.1.0", "v9.0.0-rc.2"], None, None);
        assert_eq!(v.next.as_deref(), Some("v9.0.0"));
        assert_eq!(
            v.reason,
            "major: the six-weekly release day; the candidate v9.0.0-rc.2 is out: its final is next"
        );
    }

    #[test]
    fn a_prerelease_kind_starts_and_bumps_its_label() {
        let p = process(
            "[[releases]]\nschedule = \"six-weekly\"\nkind = { level = \"minor\", prerelease = \"beta\" }\n",
        );
        assert_eq!(
            next(&p, &["v1.2.3"], None, None).next.as_deref(),
            Some("v1.3.0-beta.1")
        );
        let v = next(&p, &["v1.2.3", "v1.3.0-beta.1"], None, None);
        assert_eq!(v.next.as_deref(), Some("v1.3.0-beta.2"));
        assert_eq!(v.kind().unwrap().to_string(), "minor beta");
    }

    #[test]
    fn no_release_yet_uses_the_declared_first_version_and_never_invents_one() {
        let p = process("");
        let v = next(&p, &[], None, None);
        assert_eq!(v.next.as_deref(), Some("v1.0.0"));
        assert_eq!(v.reason, "no release yet: the declared first version 1.0.0");
        let text = BASE.replace(", initial = \"1.0.0\"", "");
        let p = Process::from_toml("release.toml", &text).unwrap();
        let v = next(&p, &[], None, None);
        assert_eq!(v.next, None);
        insta::assert_snapshot!(v.reason, @r#"no release yet, and no first version declared (initial = "1.0.0" on the component's tag scheme)"#);
    }

    #[test]
    fn the_deprecated_train_keys_read_with_a_warning() {
        let train = r#"
[[trains]]
name = "app"
schedule = "six-weekly"
environments = ["staging", "production"]
cycle_weeks = 6
rules = { level = "minor", fix_level = "patch" }
"#;
        let p = process(&format!("{ENVS}{train}"));
        assert_eq!(p.trains()[0].def().rules.level(), Level::Minor);
        assert_eq!(
            p.trains()[0].def().rules.kind,
            Some(ReleaseKind::new(Level::Minor))
        );
        let warnings: Vec<String> = p.warnings().iter().map(|w| w.message.clone()).collect();
        insta::assert_debug_snapshot!(warnings, @r#"
[
    "trains.rules.level is deprecated; write kind = \"minor\" (the old key is read until release-core 0.3)",
    "trains.rules.fix_level is deprecated; write fix_kind = \"patch\" (the old key is read until release-core 0.3)",
]
"#);
        let v = next(&p, &["v1.2.3"], None, None);
        assert_eq!(v.next.as_deref(), Some("v1.3.0"));
    }

    fn error(extra: &str) -> String {
        Process::from_toml("release.toml", &format!("{BASE}{extra}"))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn release_errors_name_the_offender() {
        insta::assert_snapshot!(error("[[releases]]\nschedule = \"weekly\"\n"), @r#"
release.toml:15:12: releases[0] ("weekly"): schedule "weekly" is not defined (schedules: "six-weekly")
   |
15 | schedule = "weekly"
   |            ^^^^^^^^
"#);
        insta::assert_snapshot!(
            error("[[releases]]\nschedule = \"six-weekly\"\n[[releases]]\nschedule = \"six-weekly\"\n"),
            @r#"
release.toml:17:12: releases[1] ("six-weekly"): duplicate release name "six-weekly" (first at releases[0]); give each release of the same schedule a name
   |
17 | schedule = "six-weekly"
   |            ^^^^^^^^^^^^
"#
        );
        insta::assert_snapshot!(
            error("[[releases]]\nschedule = \"six-weekly\"\ncomponents = [\"web\"]\n"),
            @r#"
release.toml:16:14: releases[0] ("six-weekly"): component "web" is not defined (components: "app")
   |
16 | components = ["web"]
   |              ^^^^^^^
"#
        );
        insta::assert_snapshot!(
            error("[[releases]]\nschedule = \"six-weekly\"\nrules = [{ when = { month = 13 }, kind = \"major\" }]\n"),
            @r#"
release.toml:16:10: releases[0] ("six-weekly"): rules[0]: month 13 is not a month (1 to 12)
   |
16 | rules = [{ when = { month = 13 }, kind = "major" }]
   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#
        );
        insta::assert_snapshot!(
            error("[[schedules]]\nname = \"other\"\ntime = \"10:00\"\nzone = \"UTC\"\nrecurrence = { start = \"2025-01-01\", rule = { frequency = \"weekly\" } }\n[[releases]]\nschedule = \"other\"\n"),
            @r#"
release.toml:3:15: release_day "six-weekly" has no [[releases]] entry; add one with schedule = "six-weekly", or leave release_day out (the first entry is the default release)
  |
3 | release_day = "six-weekly"
  |               ^^^^^^^^^^^^
"#
        );
        insta::assert_snapshot!(
            error("[[releases]]\nschedule = \"six-weekly\"\nkind = { level = \"minor\", prerelease = \"Beta 1\" }\n"),
            @r#"
release.toml:16:8: release kind: pre-release label "Beta 1" must be lowercase ASCII letters (alpha, beta, rc)
   |
16 | kind = { level = "minor", prerelease = "Beta 1" }
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#
        );
        insta::assert_snapshot!(
            error("[[releases]]\nschedule = \"six-weekly\"\nkind = { level = \"prerelease\", prerelease = \"beta\" }\n"),
            @r#"
release.toml:16:8: release kind: level "prerelease" already means the next candidate; give a level (major, minor, patch) with prerelease = "beta"
   |
16 | kind = { level = "prerelease", prerelease = "beta" }
   |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#
        );
        let p = process("[[releases]]\nschedule = \"six-weekly\"\n");
        let now = Utc.with_ymd_and_hms(2025, 5, 1, 0, 0, 0).unwrap();
        let err = p
            .next_releases(
                now,
                &BTreeMap::new(),
                &BTreeMap::new(),
                &Facts::new(),
                &[],
                Some("lts"),
            )
            .unwrap_err();
        insta::assert_snapshot!(err.to_string(), @r#"no release named "lts" (releases: "six-weekly")"#);
        let err = process("")
            .plan_for(now, &Facts::new(), &[], Some("lts"))
            .unwrap_err();
        insta::assert_snapshot!(err.to_string(), @r#"no release named "lts": the process has no [[releases]]"#);
    }

    #[test]
    fn initial_errors_are_placed() {
        let with = |initial: &str| {
            let text = BASE.replace("initial = \"1.0.0\"", &format!("initial = \"{initial}\""));
            Process::from_toml("release.toml", &text)
                .unwrap_err()
                .to_string()
        };
        insta::assert_snapshot!(with("1.0.0-rc.1"), @r#"
release.toml:7:8: initial "1.0.0-rc.1" is a pre-release; give the first final version (1.0.0)
  |
7 | tags = { template = "v{version}", scheme = { kind = "semver" }, initial = "1.0.0-rc.1" }
  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#);
        insta::assert_snapshot!(with("one"), @r#"
release.toml:7:8: initial "one": invalid version "one" for SemVer: unexpected character 'o' while parsing major version number
  |
7 | tags = { template = "v{version}", scheme = { kind = "semver" }, initial = "one" }
  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#);
    }
}
