//! Validated release lines and their answers: which line a version is
//! in, each line's dated phases, what is supported on a date and until
//! when, the next patch of a line, and the phase changes as calendar
//! events.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::def::{LineKey, LineParity, LineSelector, LinesDef, PhaseRule, SupportPhase};
use crate::calendar::{IcsEvent, WorkDays, Zone};
use crate::doc_path::Seg;
use crate::version::{Level, Scheme, SemVersion, Tag, VPrefix, Version};
use crate::{Error, Result};

/// A component's release lines, validated against its version scheme.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use release_core::line::{LineKey, Lines, LinesDef, PhaseRule, SupportPhase};
/// use release_core::version::Scheme;
///
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// let scheme = Scheme::semver();
/// let def = LinesDef::new(LineKey::Components(2))
///     .first_release("1.35", d(2024, 1, 10))
///     .first_release("1.36", d(2024, 6, 1))
///     .phase(PhaseRule::new(SupportPhase::Current, "0 days".parse()?))
///     .phase(PhaseRule::new(SupportPhase::Maintenance, "0 days".parse()?).after_newer(1))
///     .phase(PhaseRule::new(SupportPhase::EndOfLife, "1 year".parse()?));
/// let lines = Lines::new(def, &scheme)?;
/// let tags: Vec<_> = ["1.35.3", "1.36.0", "1.35.2", "1.36.1-rc.1"]
///     .iter()
///     .map(|t| scheme.parse(t))
///     .collect::<Result<_, _>>()?;
/// let all = lines.lines(&tags)?;
/// assert_eq!(all.len(), 2);
/// let on = all[0].phase_on(d(2024, 8, 1)).unwrap();
/// assert_eq!((all[0].key.as_str(), on.phase), ("1.35", SupportPhase::Maintenance));
/// assert_eq!(on.until, Some(d(2025, 1, 10)));
/// // The next patch of 1.35, although 1.36.0 exists.
/// assert_eq!(lines.next_patch("1.35", &tags)?.to_string(), "1.35.4");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Lines {
    def: LinesDef,
    scheme: Scheme,
    /// For a CalVer prefix: how many fields of the version make the key.
    fields: usize,
    /// For explicit lines: version text to line key.
    members: BTreeMap<String, String>,
}

/// One release line: its key, its versions (sorted, oldest first) and
/// its dated phases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    /// The key (`20`, `1.35`, `2024`, `stable`).
    pub key: String,
    /// The versions of the line, oldest first.
    pub versions: Vec<Version>,
    /// The first release date, when declared.
    pub first_release: Option<NaiveDate>,
    /// Its phases: those with a known start by date, then those whose
    /// start is not known yet (counted from a newer line not yet dated).
    pub phases: Vec<PhaseStart>,
}

/// When a line enters a phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseStart {
    /// The phase.
    pub phase: SupportPhase,
    /// Its first day; `None` while it is counted from a newer line that
    /// has no first release date.
    pub start: Option<NaiveDate>,
    /// Whether the date is declared (`dates`) rather than derived.
    pub declared: bool,
    /// How the start was found, in words.
    pub because: String,
}

/// A line's phase on a date: since when, until when, and what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PhaseOn {
    /// The phase on the date.
    pub phase: SupportPhase,
    /// Its first day.
    pub since: NaiveDate,
    /// The first day of the next phase, when known.
    pub until: Option<NaiveDate>,
    /// The next phase, when known.
    pub next: Option<SupportPhase>,
}

impl Line {
    /// The phase on `date`: the phase with the latest known start on or
    /// before it. `None` before the line's first dated phase.
    pub fn phase_on(&self, date: NaiveDate) -> Option<PhaseOn> {
        let dated: Vec<(NaiveDate, SupportPhase)> = self
            .phases
            .iter()
            .filter_map(|p| p.start.map(|s| (s, p.phase)))
            .collect();
        let i = dated.iter().rposition(|(s, _)| *s <= date)?;
        let next = dated.get(i + 1);
        Some(PhaseOn {
            phase: dated[i].1,
            since: dated[i].0,
            until: next.map(|n| n.0),
            next: next.map(|n| n.1),
        })
    }

    /// Whether the line is supported on `date`: in a phase other than
    /// `end_of_life`.
    pub fn is_supported(&self, date: NaiveDate) -> bool {
        self.phase_on(date).is_some_and(|p| p.phase.is_supported())
    }

    /// The start of `phase`, when known.
    pub fn start_of(&self, phase: SupportPhase) -> Option<NaiveDate> {
        self.phases
            .iter()
            .find(|p| p.phase == phase)
            .and_then(|p| p.start)
    }

    /// The line's end of life, when known.
    pub fn end_of_life(&self) -> Option<NaiveDate> {
        self.start_of(SupportPhase::EndOfLife)
    }

    /// The latest version of the line (pre-releases included).
    pub fn latest(&self) -> Option<&Version> {
        self.versions.last()
    }
}

/// The order of line keys: numbers by value (`9` before `10`), then text.
fn key_order(a: &str, b: &str) -> Ordering {
    let parts = |k: &str| -> Vec<(u8, u64, String)> {
        k.split(|c: char| !c.is_ascii_alphanumeric())
            .map(|p| match p.parse::<u64>() {
                Ok(n) => (0, n, String::new()),
                Err(_) => (1, 0, p.to_owned()),
            })
            .collect()
    };
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

/// The number a selector reads from a key: its last run of digits.
fn key_number(key: &str) -> Option<u64> {
    let digits: String = key
        .chars()
        .rev()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    digits.parse().ok()
}

fn selects(selector: &LineSelector, key: &str) -> bool {
    match selector {
        LineSelector::Parity(LineParity::All) => true,
        LineSelector::Parity(parity) => {
            key_number(key).is_some_and(|n| (n % 2 == 0) == (*parity == LineParity::Even))
        }
        LineSelector::Every { every, from } => {
            key_number(key).is_some_and(|n| *every > 0 && n >= *from && (n - from) % every == 0)
        }
        LineSelector::List(keys) => keys.iter().any(|k| k == key),
    }
}

type Failed = (Error, Vec<Seg>);

/// `one number`, `2 numbers joined by separators`.
fn numbers(n: usize) -> String {
    if n == 1 {
        "one number".to_owned()
    } else {
        format!("{n} numbers joined by separators")
    }
}

fn fail(path: Vec<Seg>, message: String) -> Failed {
    (Error::invalid(message), path)
}

impl Lines {
    /// Validates `def` against `scheme`.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming the key
    /// (`lines.key`, `lines.phases[1].from`, `lines.first_releases."20.1"`):
    /// a key that does not fit the scheme, a CalVer prefix that is not one
    /// of the format, a version listed in two lines, a declared line key
    /// that no version can have, a phase offset in minutes or hours, an
    /// `after_newer` of 0, an `every` of 0, two rules giving a declared
    /// line the same phase.
    pub fn new(def: LinesDef, scheme: &Scheme) -> Result<Lines> {
        Lines::validated(def, scheme).map_err(|(e, _)| e)
    }

    /// As [`new`](Self::new), with the path of the offending key inside
    /// the `lines` table.
    pub(crate) fn validated(def: LinesDef, scheme: &Scheme) -> std::result::Result<Lines, Failed> {
        let mut fields = 0;
        let mut members = BTreeMap::new();
        let key_at = || vec![Seg::Key("key")];
        match (&def.key, scheme) {
            (LineKey::Components(n), Scheme::SemVer(_) | Scheme::Pep440(_)) => {
                if !(1..=2).contains(n) {
                    return Err(fail(
                        key_at(),
                        format!(
                            "lines.key: {n} release components do not make a line; a line shares its first 1 (majors, `20` for 20.x) or 2 (`1.35` for 1.35.x) release components"
                        ),
                    ));
                }
            }
            (LineKey::Components(n), _) => {
                return Err(fail(
                    key_at(),
                    format!(
                        "lines.key: a number ({n}) counts SemVer or PEP 440 release components, and the scheme is {} ({scheme}); give a prefix of its format, such as \"YYYY\"",
                        scheme.kind()
                    ),
                ));
            }
            (LineKey::Prefix(prefix), Scheme::CalVer(s)) => {
                let format = s.format.as_str();
                let at_field = format
                    .strip_prefix(prefix.as_str())
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| !c.is_ascii_alphanumeric());
                if !at_field || prefix.is_empty() {
                    return Err(fail(
                        key_at(),
                        format!(
                            "lines.key: {prefix:?} is not a prefix of the format {format} that ends before one of its fields (such as {:?})",
                            format
                                .split(|c: char| !c.is_ascii_alphanumeric())
                                .next()
                                .unwrap_or(format)
                        ),
                    ));
                }
                fields = prefix
                    .chars()
                    .filter(|c| !c.is_ascii_alphanumeric())
                    .count()
                    + 1;
            }
            (LineKey::Prefix(prefix), _) => {
                return Err(fail(
                    key_at(),
                    format!(
                        "lines.key: a text ({prefix:?}) is a prefix of a CalVer format, and the scheme is {}; give the number of release components, such as 2",
                        scheme.kind()
                    ),
                ));
            }
            (LineKey::Explicit(lists), _) => {
                for (line, versions) in lists {
                    for text in versions {
                        let at = || vec![Seg::Key("key"), Seg::Name(line.clone())];
                        let version = scheme.parse(text).map_err(|e| {
                            fail(
                                at(),
                                format!("lines.key.{line:?}: {text:?}: {}", e.message()),
                            )
                        })?;
                        if let Some(other) = members.insert(version.to_string(), line.clone()) {
                            return Err(fail(
                                at(),
                                format!(
                                    "lines.key.{line:?}: {text:?} is also in line {other:?}; a version belongs to one line"
                                ),
                            ));
                        }
                    }
                }
            }
        }
        let lines = Lines {
            def,
            scheme: scheme.clone(),
            fields,
            members,
        };
        let declared = lines
            .def
            .first_releases
            .keys()
            .map(|k| (k, "first_releases"))
            .chain(lines.def.dates.keys().map(|k| (k, "dates")));
        for (key, table) in declared {
            if let Some(why) = lines.bad_key(key) {
                let table_seg = if table == "dates" {
                    Seg::Key("dates")
                } else {
                    Seg::Key("first_releases")
                };
                return Err(fail(
                    vec![table_seg, Seg::Name(key.clone())],
                    format!("lines.{table}: {key:?} is not a line key: {why}"),
                ));
            }
        }
        for (i, rule) in lines.def.phases.iter().enumerate() {
            let at = |k| vec![Seg::Key("phases"), Seg::Index(i), Seg::Key(k)];
            if rule.from.is_exact() {
                return Err(fail(
                    at("from"),
                    format!(
                        "lines.phases[{i}].from: \"{}\" counts minutes or hours; a phase starts on a date",
                        rule.from
                    ),
                ));
            }
            if rule.after_newer == Some(0) {
                return Err(fail(
                    at("after_newer"),
                    format!(
                        "lines.phases[{i}].after_newer: 0 is the line itself; count newer lines from 1 (the next line), or leave it out"
                    ),
                ));
            }
            match &rule.lines {
                LineSelector::Every { every: 0, .. } => {
                    return Err(fail(
                        at("lines"),
                        format!(
                            "lines.phases[{i}].lines: every = 0 chooses no line; give a step of at least 1"
                        ),
                    ));
                }
                LineSelector::List(keys) => {
                    if let Some((key, why)) =
                        keys.iter().find_map(|k| lines.bad_key(k).map(|w| (k, w)))
                    {
                        return Err(fail(
                            at("lines"),
                            format!("lines.phases[{i}].lines: {key:?} is not a line key: {why}"),
                        ));
                    }
                }
                _ => {}
            }
        }
        for key in lines.declared_keys() {
            lines
                .rules_for(&key)
                .map_err(|e| (e, vec![Seg::Key("phases")]))?;
        }
        Ok(lines)
    }

    /// Why `key` cannot be a line key of this scheme, if it cannot.
    fn bad_key(&self, key: &str) -> Option<String> {
        let numeric = |n: usize, example: &str| {
            let parts: Vec<&str> = key.split('.').collect();
            let ok = parts.len() == n
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.bytes().all(|b| b.is_ascii_digit())
                        && (p.len() == 1 || !p.starts_with('0'))
                });
            (!ok).then(|| {
                format!(
                    "a line of key = {n} is written as {}, such as {example:?}",
                    numbers(n)
                )
            })
        };
        match &self.def.key {
            LineKey::Components(1) => numeric(1, "20"),
            LineKey::Components(_) => numeric(2, "1.35"),
            LineKey::Prefix(prefix) => {
                let parts = key.split(|c: char| !c.is_ascii_alphanumeric()).count();
                let digits = key
                    .chars()
                    .all(|c| c.is_ascii_digit() || !c.is_ascii_alphanumeric());
                (parts != self.fields || !digits).then(|| {
                    format!(
                        "a line of key = {prefix:?} is written as {}",
                        numbers(self.fields)
                    )
                })
            }
            LineKey::Explicit(lists) => (!lists.contains_key(key)).then(|| {
                let names: Vec<&str> = lists.keys().map(String::as_str).collect();
                format!("the lines are {}", names.join(", "))
            }),
        }
    }

    /// The keys the definition declares (first releases, dates, lists).
    fn declared_keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self
            .def
            .first_releases
            .keys()
            .chain(self.def.dates.keys())
            .cloned()
            .collect();
        if let LineKey::Explicit(lists) = &self.def.key {
            keys.extend(lists.keys().cloned());
        }
        keys.sort_by(|a, b| key_order(a, b));
        keys.dedup();
        keys
    }

    /// The rules that apply to line `key`, at most one per phase.
    fn rules_for(&self, key: &str) -> Result<Vec<&PhaseRule>> {
        let mut chosen: Vec<(usize, &PhaseRule)> = Vec::new();
        for (i, rule) in self.def.phases.iter().enumerate() {
            if !selects(&rule.lines, key) {
                continue;
            }
            if let Some((j, _)) = chosen.iter().find(|(_, r)| r.phase == rule.phase) {
                return Err(Error::invalid(format!(
                    "lines.phases: phases[{j}] and phases[{i}] both give line {key:?} the phase {}; choose their lines so that one rule applies",
                    rule.phase
                )));
            }
            chosen.push((i, rule));
        }
        Ok(chosen.into_iter().map(|(_, r)| r).collect())
    }

    /// The definition.
    pub fn def(&self) -> &LinesDef {
        &self.def
    }

    /// The scheme the lines' versions are of.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The tags among `tags` that belong to the line `key`, oldest first
    /// (the line's own tags, as written: other lines' never leak in).
    pub fn tags_of<'t>(&self, key: &str, tags: &'t [Tag]) -> Vec<&'t Tag> {
        let mut own: Vec<&Tag> = tags
            .iter()
            .filter(|t| self.key_of(t.version()).as_deref() == Some(key))
            .collect();
        own.sort_by(|a, b| a.version().cmp(b.version()));
        own
    }

    /// The key of the line `version` belongs to; `None` when it is in no
    /// line (an explicit list that does not name it, a version of another
    /// scheme).
    pub fn key_of(&self, version: &Version) -> Option<String> {
        match (&self.def.key, version) {
            (LineKey::Components(n), Version::SemVer(v)) => Some(match n {
                1 => v.major().to_string(),
                _ => format!("{}.{}", v.major(), v.minor()),
            }),
            // PEP 440: the first n release numbers (`3.14` for
            // `3.14.0rc1`; a missing one counts as 0, as PEP 440 pads),
            // after the epoch when there is one (`1!2.0` is in `1!2.0`).
            (LineKey::Components(n), Version::Pep440(v)) => {
                let release = v.release();
                let numbers: Vec<String> = (0..*n as usize)
                    .map(|i| release.get(i).copied().unwrap_or(0).to_string())
                    .collect();
                let key = numbers.join(".");
                Some(match v.epoch() {
                    0 => key,
                    e => format!("{e}!{key}"),
                })
            }
            (LineKey::Prefix(_), Version::CalVer(_)) => {
                let text = version.to_string();
                let mut seen = 0;
                let end = text
                    .char_indices()
                    .find(|(_, c)| {
                        if c.is_ascii_alphanumeric() {
                            return false;
                        }
                        seen += 1;
                        seen == self.fields
                    })
                    .map_or(text.len(), |(i, _)| i);
                Some(text[..end].to_owned())
            }
            (LineKey::Explicit(_), v) => self.members.get(&v.to_string()).cloned(),
            _ => None,
        }
    }

    /// Every line, in key order (`9` before `10`): those the versions
    /// fall in and those the definition declares, each with its versions
    /// (oldest first) and its dated phases. A version belongs to exactly
    /// one line, or to none ([`key_of`](Self::key_of)).
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) when two rules give a
    /// line (known from the versions only) the same phase, and the
    /// [refused errors](crate::ErrorKind::Refused) of
    /// [`Offset::apply_date`](crate::calendar::Offset::apply_date) for a
    /// date out of range.
    pub fn lines(&self, versions: &[Version]) -> Result<Vec<Line>> {
        let mut by_key: BTreeMap<String, Vec<Version>> = BTreeMap::new();
        for key in self.declared_keys() {
            by_key.entry(key).or_default();
        }
        for v in versions {
            if let Some(key) = self.key_of(v) {
                by_key.entry(key).or_default().push(v.clone());
            }
        }
        let mut keyed: Vec<(String, Vec<Version>)> = by_key.into_iter().collect();
        keyed.sort_by(|a, b| key_order(&a.0, &b.0));
        let keys: Vec<&str> = keyed.iter().map(|(k, _)| k.as_str()).collect();
        let mut days = WorkDays::default();
        let mut out = Vec::with_capacity(keyed.len());
        for (i, (key, _)) in keyed.iter().enumerate() {
            let first_release = self.def.first_releases.get(key).copied();
            let declared = self.def.dates.get(key);
            let mut phases = Vec::new();
            for rule in self.rules_for(key)? {
                if let Some(date) = declared.and_then(|d| d.get(&rule.phase)) {
                    phases.push(PhaseStart {
                        phase: rule.phase,
                        start: Some(*date),
                        declared: true,
                        because: format!("declared for line {key}"),
                    });
                    continue;
                }
                let (anchor, what) = match rule.after_newer {
                    None => (first_release, format!("line {key}'s first release")),
                    Some(n) => {
                        let newer = keys.get(i + n as usize).copied();
                        (
                            newer.and_then(|k| self.def.first_releases.get(k).copied()),
                            match newer {
                                Some(k) => format!("line {k}'s first release"),
                                None => format!("the first release of the line {n} newer"),
                            },
                        )
                    }
                };
                let start = anchor
                    .map(|from| rule.from.apply_date(from, &mut days))
                    .transpose()?;
                let because = match (start, anchor) {
                    (Some(_), Some(from)) if rule.from.is_zero() => format!("{what} ({from})"),
                    (Some(_), Some(from)) => format!("{} after {what} ({from})", rule.from),
                    _ => format!("{} after {what}, not dated yet", rule.from),
                };
                phases.push(PhaseStart {
                    phase: rule.phase,
                    start,
                    declared: false,
                    because,
                });
            }
            if let Some(dates) = declared {
                for (phase, date) in dates {
                    if !phases.iter().any(|p| p.phase == *phase) {
                        phases.push(PhaseStart {
                            phase: *phase,
                            start: Some(*date),
                            declared: true,
                            because: format!("declared for line {key}"),
                        });
                    }
                }
            }
            // Dated first (by date, then phase order), undated last.
            phases.sort_by_key(|p| (p.start.is_none(), p.start, p.phase));
            out.push(Line {
                key: key.clone(),
                versions: Vec::new(),
                first_release,
                phases,
            });
        }
        for (line, (_, mut versions)) in out.iter_mut().zip(keyed) {
            versions.sort();
            line.versions = versions;
        }
        Ok(out)
    }

    /// The lines supported on `date` (in a phase other than
    /// `end_of_life`), with their phase, in key order.
    ///
    /// # Errors
    ///
    /// As [`lines`](Self::lines).
    pub fn supported_on(
        &self,
        versions: &[Version],
        date: NaiveDate,
    ) -> Result<Vec<(Line, PhaseOn)>> {
        Ok(self
            .lines(versions)?
            .into_iter()
            .filter_map(|l| {
                let on = l.phase_on(date)?;
                on.phase.is_supported().then_some((l, on))
            })
            .collect())
    }

    /// The next patch release of line `key`: the next patch after the
    /// line's latest version (so `1.35` gives `1.35.4` after `1.35.3`
    /// although `1.36.0` exists; a pre-release `1.35.4-rc.1` gives its
    /// final `1.35.4`). A SemVer line without versions starts at its key
    /// (`1.35.0`, `20.0.0`). For key-defined lines the answer is in the
    /// line; for explicit lines it is the next patch of the latest listed
    /// version, which is in no line until a list names it.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) for a key no version
    /// can have, or a CalVer or explicit line without versions; the errors
    /// of [`Scheme::next`] (a CalVer format without `MICRO`).
    pub fn next_patch(&self, key: &str, versions: &[Version]) -> Result<Version> {
        if let Some(why) = self.bad_key(key) {
            return Err(Error::refused(format!("line {key:?}: {why}")));
        }
        let latest = versions
            .iter()
            .filter(|v| self.key_of(v).as_deref() == Some(key))
            .max();
        let next = match (latest, &self.scheme) {
            (Some(v), _) => self.scheme.next(Some(v), Level::Patch)?,
            (None, Scheme::SemVer(s)) if matches!(self.def.key, LineKey::Components(_)) => {
                let mut parts = key.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
                let major = parts.next().unwrap_or(0);
                let minor = parts.next().unwrap_or(0);
                Version::SemVer(SemVersion::from_semver(
                    semver::Version::new(major, minor, 0),
                    s.v_prefix == VPrefix::Always,
                ))
            }
            (None, Scheme::Pep440(_)) if matches!(self.def.key, LineKey::Components(_)) => {
                self.scheme.parse(&format!("{key}.0"))?
            }
            (None, _) => {
                return Err(Error::refused(format!(
                    "line {key:?} has no versions yet, so it has no next patch (its first version is chosen when the line starts)"
                )));
            }
        };
        Ok(next)
    }

    /// The phase changes of `lines` as all-day calendar events (UTC), one
    /// per dated phase: `"node 20: active"`, `"node 20: end_of_life"`.
    /// UIDs are stable: `line-<component>-<key>-<phase>@release-core`.
    /// Add them to an [`IcsCalendar`](crate::calendar::IcsCalendar) with
    /// `add_event`.
    pub fn phase_events(component: &str, lines: &[Line]) -> Vec<IcsEvent> {
        let mut out = Vec::new();
        for line in lines {
            for p in &line.phases {
                let Some(start) = p.start else { continue };
                out.push(IcsEvent {
                    uid: format!("line-{component}-{}-{}@release-core", line.key, p.phase),
                    summary: format!("{component} {}: {}", line.key, p.phase),
                    description: format!(
                        "Line {} of {component} enters its {} phase on {start}: {}.",
                        line.key, p.phase, p.because
                    ),
                    zone: Zone::UTC,
                    local: start.and_time(chrono::NaiveTime::MIN),
                    duration: Duration::days(1),
                });
            }
        }
        out
    }
}
