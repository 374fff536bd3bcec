//! The `[[releases]]` table: a process's release days and the kind of
//! release each ships, and how a component's kind is chosen among the
//! declarations of its release day and its train.

use chrono::{Datelike, Month};
use serde::{Deserialize, Serialize};

use crate::calendar::Occurrence;
use crate::line::{Line, SupportPhase};
use crate::version::ReleaseKind;
use crate::{Error, Result};

/// One release day of a process: a schedule whose occurrences ship
/// releases, and the kind of release each ships (the `[[releases]]` table
/// of a `release.toml`).
///
/// A process may have several (feature releases every March and
/// September, update releases quarterly); `release plan` and `release
/// next` answer for the next occurrence of each, or of the one asked for
/// (`--release NAME`).
///
/// ```toml
/// [[releases]]
/// name = "feature"                  # by default the schedule's name
/// schedule = "six-weekly"           # a [[schedules]] entry of the file
/// components = ["app"]              # by default every component
/// kind = "minor"                    # every occurrence a minor ...
/// rules = [{ when = { month = 5 }, kind = "major" }]  # ... the May one a major
///
/// [[releases]]
/// name = "patch day"
/// schedule = "monthly"
/// kind = "patch"
/// lines = "supported"               # one patch of every supported line
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReleaseDef {
    /// The release's name (`--release NAME`); by default its schedule's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The schedule whose occurrences are this release's days.
    pub schedule: String,
    /// The components it ships; empty (the default) for every component.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<String>,
    /// The kind every occurrence ships unless a rule says otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ReleaseKind>,
    /// Kinds of particular occurrences; the first rule that matches wins
    /// over `kind`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<KindRule>,
    /// Which release lines each component it ships releases on the day,
    /// one version per line (a patch day of every supported line). By
    /// default (none): one version, after the component's newest, of
    /// whatever line. The components it ships must have `lines`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<ReleaseLines>,
}

impl ReleaseDef {
    /// The release's name: `name`, else its schedule's.
    pub fn name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.schedule)
    }

    /// Whether this release ships `component`.
    pub fn ships(&self, component: &str) -> bool {
        self.components.is_empty() || self.components.iter().any(|c| c == component)
    }

    /// The kind `occurrence` ships and why, if this release declares one:
    /// the first matching rule, else `kind`.
    pub fn kind_of(&self, occurrence: Option<&Occurrence>) -> Option<(ReleaseKind, String)> {
        if let Some(o) = occurrence
            && let Some(rule) = self.rules.iter().find(|r| r.when.matches(o))
        {
            let what = match (&rule.when.label, rule.when.month) {
                // The occurrence's own label: the rule's may be a pattern.
                (Some(label), _) => format!("the {} release", o.label.as_ref().unwrap_or(label)),
                (None, Some(m)) => format!("the {} {} release", month_name(m), self.name()),
                (None, None) => format!("every {} release", self.name()),
            };
            return Some((rule.kind.clone(), format!("{}: {what}", rule.kind)));
        }
        self.kind
            .clone()
            .map(|k| (k.clone(), format!("{k}: the {} release day", self.name())))
    }
}

/// The release lines a release day ships a version of (`lines` of a
/// `[[releases]]` entry).
///
/// ```toml
/// lines = "supported"                  # every line supported on the day
/// lines = { phases = ["bugfix"] }      # the lines in one of these phases on the day
/// lines = ["3.13", "3.12"]             # these lines, by key
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "LinesData", into = "LinesData")]
pub enum ReleaseLines {
    /// Every line supported on the release day (in a phase other than
    /// `end_of_life`).
    Supported,
    /// The lines in one of these phases on the release day.
    Phases(Vec<SupportPhase>),
    /// These lines, by key (`1.35`, `20`).
    Keys(Vec<String>),
}

/// The written form of [`ReleaseLines`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum LinesData {
    /// `"supported"`.
    Name(String),
    /// Line keys.
    Keys(Vec<String>),
    /// `{ phases = [...] }`.
    Phases {
        /// The phases.
        phases: Vec<SupportPhase>,
    },
}

impl TryFrom<LinesData> for ReleaseLines {
    type Error = Error;

    fn try_from(data: LinesData) -> Result<ReleaseLines> {
        match data {
            LinesData::Name(name) if name == "supported" => Ok(ReleaseLines::Supported),
            LinesData::Name(name) => Err(Error::config(format!(
                "lines {name:?}: expected \"supported\", a list of line keys ([\"3.13\"]) or {{ phases = [...] }}"
            ))),
            LinesData::Keys(keys) if keys.is_empty() => Err(Error::config(
                "lines = []: name at least one line, or leave `lines` out".to_owned(),
            )),
            LinesData::Keys(keys) => Ok(ReleaseLines::Keys(keys)),
            LinesData::Phases { phases } if phases.is_empty() => Err(Error::config(
                "lines = { phases = [] }: name at least one phase".to_owned(),
            )),
            LinesData::Phases { phases } => Ok(ReleaseLines::Phases(phases)),
        }
    }
}

impl From<ReleaseLines> for LinesData {
    fn from(lines: ReleaseLines) -> LinesData {
        match lines {
            ReleaseLines::Supported => LinesData::Name("supported".to_owned()),
            ReleaseLines::Phases(phases) => LinesData::Phases { phases },
            ReleaseLines::Keys(keys) => LinesData::Keys(keys),
        }
    }
}

impl ReleaseLines {
    /// In words, for answers: `supported`, `in phase bugfix`, `one of
    /// 3.13, 3.12`.
    pub fn describe(&self) -> String {
        match self {
            ReleaseLines::Supported => "supported".to_owned(),
            ReleaseLines::Phases(phases) => {
                let names: Vec<&str> = phases.iter().map(|p| p.as_str()).collect();
                format!("in phase {}", names.join(" or "))
            }
            ReleaseLines::Keys(keys) => format!("one of {}", keys.join(", ")),
        }
    }

    /// Whether `line` is one of these on `date`.
    pub fn includes(&self, line: &Line, date: chrono::NaiveDate) -> bool {
        match self {
            ReleaseLines::Supported => line.is_supported(date),
            ReleaseLines::Phases(phases) => line
                .phase_on(date)
                .is_some_and(|on| phases.contains(&on.phase)),
            ReleaseLines::Keys(keys) => keys.contains(&line.key),
        }
    }
}

/// The kind of the occurrences a `when` matches:
/// `{ when = { month = 5 }, kind = "major" }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KindRule {
    /// Which occurrences.
    pub when: OccurrenceMatch,
    /// The kind they ship.
    pub kind: ReleaseKind,
}

/// Which occurrences of a schedule a [`KindRule`] is for; every condition
/// given must hold (none given: every occurrence).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OccurrenceMatch {
    /// The month (1 to 12) of the occurrence's scheduled date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<u32>,
    /// The label of a dated occurrence (a `dates` entry's `label`); `*`
    /// stands for any text (`"* beta *"` matches `3.14.0 beta 1`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl OccurrenceMatch {
    /// Whether `occurrence` is one of these.
    pub fn matches(&self, occurrence: &Occurrence) -> bool {
        self.month.is_none_or(|m| occurrence.scheduled.month() == m)
            && self
                .label
                .as_ref()
                .is_none_or(|l| occurrence.label.as_deref().is_some_and(|o| glob(l, o)))
    }
}

/// Whether `text` matches `pattern`, where `*` stands for any text
/// (possibly empty) and every other character for itself. Greedy with
/// backtracking to the last `*`: linear in practice for labels.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut i, mut j) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while j < t.len() {
        if i < p.len() && p[i] == '*' {
            star = Some((i, j));
            i += 1;
        } else if i < p.len() && p[i] == t[j] {
            i += 1;
            j += 1;
        } else if let Some((si, sj)) = star {
            i = si + 1;
            j = sj + 1;
            star = Some((si, sj + 1));
        } else {
            return false;
        }
    }
    p[i..].iter().all(|c| *c == '*')
}

/// The English name of month `m` (1 to 12).
fn month_name(m: u32) -> String {
    u8::try_from(m)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .map_or_else(|| format!("month {m}"), |m| m.name().to_owned())
}

/// Where a component's declared kind came from, most specific first: the
/// precedence when several declare one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Declared {
    /// A `tag` step of the component (`release_kind`).
    Step,
    /// A train of the component on the release's schedule (`rules.kind`).
    Train,
    /// The release day (`[[releases]]` `kind` or a matching rule).
    Release,
}

/// The most specific of the declared kinds: a step's over a train's over
/// the release day's. `None` when none is declared.
pub(crate) fn most_specific(
    declared: Vec<(Declared, ReleaseKind, String)>,
) -> Option<(ReleaseKind, String)> {
    declared
        .into_iter()
        .min_by_key(|(d, _, _)| *d)
        .map(|(_, k, why)| (k, why))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Level;

    #[test]
    fn labels_match_with_stars() {
        assert!(glob("3.14.0", "3.14.0"));
        assert!(!glob("3.14.0", "3.14.0 beta 1"));
        assert!(glob("* beta *", "3.14.0 beta 1"));
        assert!(glob("*beta*", "beta"));
        assert!(glob("*", ""));
        assert!(!glob("* alpha *", "3.14.0 beta 1"));
        assert!(glob("3.*.0", "3.14.0"));
        assert!(!glob("3.*.0", "3.14.1"));
        assert!(glob("a*b*c", "a-b-b-c"));
    }

    #[test]
    fn the_most_specific_declaration_wins() {
        let release = (
            Declared::Release,
            ReleaseKind::new(Level::Minor),
            "minor: the feature release day".to_owned(),
        );
        let train = (
            Declared::Train,
            ReleaseKind::new(Level::Patch),
            "patch: train \"t\"".to_owned(),
        );
        assert_eq!(
            most_specific(vec![release.clone(), train.clone()])
                .unwrap()
                .0,
            ReleaseKind::new(Level::Patch)
        );
        assert_eq!(
            most_specific(vec![train, release.clone()]).unwrap().0,
            ReleaseKind::new(Level::Patch)
        );
        assert_eq!(
            most_specific(vec![release]).unwrap().0,
            ReleaseKind::new(Level::Minor)
        );
        assert_eq!(most_specific(Vec::new()), None);
    }
}
