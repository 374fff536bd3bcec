//! The `[[releases]]` table: a process's release days and the kind of
//! release each ships, and how a component's kind is chosen among the
//! declarations of its release day and its train.

use chrono::{Datelike, Month};
use serde::{Deserialize, Serialize};

use crate::calendar::Occurrence;
use crate::version::ReleaseKind;

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
                (Some(label), _) => format!("the {label} release"),
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
    /// The label of a dated occurrence (a `dates` entry's `label`).
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
                .is_none_or(|l| occurrence.label.as_ref() == Some(l))
    }
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
    /// A train of the component on the release's schedule (`rules.kind`).
    Train,
    /// The release day (`[[releases]]` `kind` or a matching rule).
    Release,
}

/// The most specific of the declared kinds: a train's over the release
/// day's. `None` when none is declared.
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
