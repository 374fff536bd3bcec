//! The next version of each component.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::model::Process;
use crate::version::{Change, Level, Scheme, bump_level};
use crate::{Error, Result, Warning};

/// What a component's next release is called, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextVersion {
    /// The component.
    pub component: String,
    /// Its latest release tag among those given, if any.
    pub current: Option<String>,
    /// The next tag; `None` when nothing calls for a release or the
    /// component has no tag scheme.
    pub next: Option<String>,
    /// Why this version (or none).
    pub reason: String,
    /// The given tags that are not of the component's scheme, each with the
    /// reason: they were left out of the answer, never dropped in silence.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Warning>,
}

impl Process {
    /// The next tag of every component, from its existing `tags` (any
    /// order; tags that do not fit its scheme are left out and reported in
    /// the component's [`warnings`](NextVersion::warnings)) and the
    /// `changes` since its latest tag. SemVer components: conventional
    /// commits pick the level; without a list the next patch is proposed.
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
            let name = component.name.clone();
            let Some(scheme) = &component.tags else {
                out.push(NextVersion {
                    component: name,
                    current: None,
                    next: None,
                    reason: "no tag scheme".to_owned(),
                    warnings: Vec::new(),
                });
                continue;
            };
            let given = tags.get(&component.name).map_or(&[][..], Vec::as_slice);
            let read = scheme.parse_all(given.iter().map(String::as_str));
            let warnings = read
                .rejected
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
            let latest = scheme.latest(given, false);
            let current = latest.as_ref().map(|(i, _)| given[*i].clone());
            let (next, reason) = match scheme.scheme() {
                Scheme::CalVer(_) => {
                    let existing = read.versions();
                    let in_component =
                        |e: Error| Error::new(e.kind(), format!("component {name:?}: {e}"));
                    match changes.get(&component.name) {
                        None => {
                            let v = scheme
                                .scheme()
                                .next_for_date(date, &existing)
                                .map_err(in_component)?;
                            let reason = format!("{} on {date}", scheme.scheme().describe());
                            (Some(scheme.tag(&v)?), reason)
                        }
                        Some(list) => {
                            let current_version = latest.as_ref().map(|(_, v)| v);
                            match scheme
                                .scheme()
                                .next_from_changes(current_version, list, &existing, Some(date))
                                .map_err(in_component)?
                            {
                                Some(v) => (
                                    Some(scheme.tag(&v)?),
                                    format!(
                                        "{} change(s) call for a release; {} on {date}",
                                        list.len(),
                                        scheme.scheme().describe()
                                    ),
                                ),
                                None if list.is_empty() => {
                                    (None, "nothing changed since the latest tag".to_owned())
                                }
                                None => (
                                    None,
                                    format!("no change of {} calls for a release", list.len()),
                                ),
                            }
                        }
                    }
                }
                Scheme::SemVer(_) | Scheme::Pep440(_) => {
                    let current_version = latest.as_ref().map(|(_, v)| v);
                    let (level, why) = match changes.get(&component.name) {
                        None => (
                            Some(Level::Patch),
                            "no changes given: next patch".to_owned(),
                        ),
                        Some(list) => match bump_level(list, current_version) {
                            Some(level) => (
                                Some(level),
                                format!("{} change(s) call for a {level} release", list.len()),
                            ),
                            None if list.is_empty() => {
                                (None, "nothing changed since the latest tag".to_owned())
                            }
                            None => (
                                None,
                                format!("no change of {} calls for a release", list.len()),
                            ),
                        },
                    };
                    let candidate = scheme
                        .latest(given, true)
                        .filter(|(_, v)| v.is_prerelease());
                    let required = scheme.scheme().candidates().required;
                    match (level, candidate) {
                        // A candidate is out: its final is next; further
                        // changes wait for the next cycle.
                        (_, Some((i, v))) if required => {
                            let existing: Vec<_> =
                                given.iter().filter_map(|t| scheme.version_of(t)).collect();
                            let promotion = scheme.scheme().promote(&v, &existing)?;
                            (
                                Some(scheme.tag(&promotion.to)?),
                                format!("promote the candidate {} to its final", given[i]),
                            )
                        }
                        (Some(level), _) => {
                            let v = scheme.scheme().next(current_version, level)?;
                            if required {
                                let rc = scheme.scheme().start_prerelease(&v)?;
                                let why = format!("{why}; a final needs a candidate first");
                                (Some(scheme.tag(&rc)?), why)
                            } else {
                                (Some(scheme.tag(&v)?), why)
                            }
                        }
                        (None, _) => (None, why),
                    }
                }
            };
            out.push(NextVersion {
                component: name,
                current,
                next,
                reason,
                warnings,
            });
        }
        Ok(out)
    }
}
