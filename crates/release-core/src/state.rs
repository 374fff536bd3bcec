//! Release state: what each component last released and when, and the
//! version a process will release next, as the github-ops style of release
//! script keeps it between runs.
//!
//! The record is data ([`ReleaseState`], serde, JSON with stable field
//! names); its changes are transitions that return a new record
//! ([`ReleaseState::planned`], [`ReleaseState::released`]). Only a real
//! release advances it: a dry run and a release with an explicit version
//! override return it unchanged, so storage written back is byte-identical.
//! Storage is the caller's (the CLI's JSON file, a Python object with
//! `load` and `save`).
//!
//! Tags are the truth about what was released. [`ReleaseState::check`]
//! compares the record with a component's tags and returns every
//! disagreement as a value ([`StateDisagreement`]); nothing here prefers
//! the record over the tags.
//!
//! # Example
//!
//! ```
//! use release_core::state::{ReleaseMode, ReleaseState};
//!
//! let at = "2023-06-20T09:00:00Z".parse()?;
//! let state = ReleaseState::new().planned("stack", "2023.06.2", "2023.06.2");
//! assert_eq!(state.released(ReleaseMode::DryRun, at), state);
//! let after = state.released(ReleaseMode::Real, at);
//! assert_eq!(after.released["stack"].tag, "2023.06.2");
//! assert!(after.next.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::version::TagScheme;
use crate::{Error, Location, Result};

/// The format of [`ReleaseState`]'s JSON, written as `format`.
pub const STATE_FORMAT: u32 = 1;

/// What each component last released and when, and what comes next.
///
/// ```json
/// {
///   "format": 1,
///   "released": { "stack": { "version": "2023.06.1", "tag": "2023.06.1", "at": "2023-06-01T09:00:00Z" } },
///   "next": { "stack": { "version": "2023.06.2", "tag": "2023.06.2" } }
/// }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseState {
    /// The record's format, [`STATE_FORMAT`].
    pub format: u32,
    /// The last release of each component, by name.
    #[serde(default)]
    pub released: BTreeMap<String, Released>,
    /// The version each component will release next, by name.
    #[serde(default)]
    pub next: BTreeMap<String, Upcoming>,
}

/// A component's last release.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Released {
    /// Its version (`2023.06.1`).
    pub version: String,
    /// Its tag, as written in the repository.
    pub tag: String,
    /// When the release finished.
    pub at: DateTime<Utc>,
}

/// The release a component will make next.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upcoming {
    /// Its version.
    pub version: String,
    /// Its tag.
    pub tag: String,
}

/// How a release was made, which decides whether it advances the state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReleaseMode {
    /// A real release of the planned versions: the state advances.
    Real,
    /// A dry run: nothing was released.
    DryRun,
    /// A release of versions given by hand instead of the planned ones: the
    /// state does not record it as the plan's release (the tags say what
    /// was released).
    Override,
}

crate::vocabulary! {
    ReleaseMode, "release mode",
    {
        Real => "real",
        DryRun => "dry_run",
        Override => "override",
    }
}

/// How the release state and a component's tags disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DisagreementKind {
    /// The state's last release has no tag in the repository.
    TagMissing,
    /// A tag is newer than the state's last release: a release the state
    /// did not record.
    TagNewer,
    /// The version the state says comes next is tagged already.
    NextTagged,
}

crate::vocabulary! {
    DisagreementKind, "disagreement kind",
    {
        TagMissing => "tag_missing",
        TagNewer => "tag_newer",
        NextTagged => "next_tagged",
    }
}

/// One disagreement between the release state and the tags.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateDisagreement {
    /// The component.
    pub component: String,
    /// What disagrees.
    pub kind: DisagreementKind,
    /// The tag concerned (the missing one, the newer one, the next one).
    pub tag: String,
    /// A sentence saying it, naming the state's value and the tags'.
    pub message: String,
}

impl Default for ReleaseState {
    fn default() -> Self {
        ReleaseState::new()
    }
}

impl ReleaseState {
    /// An empty record: nothing released, nothing planned.
    pub fn new() -> ReleaseState {
        ReleaseState {
            format: STATE_FORMAT,
            released: BTreeMap::new(),
            next: BTreeMap::new(),
        }
    }

    /// Reads the JSON of a record; `source` names it in errors.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) at its line and column for
    /// JSON that is not a record; a [config error](crate::ErrorKind::Config)
    /// for a format other than [`STATE_FORMAT`].
    pub fn from_json(source: &str, text: &str) -> Result<ReleaseState> {
        let state: ReleaseState = serde_json::from_str(text).map_err(|e| {
            let offset = offset_of(text, e.line(), e.column());
            // serde_json ends its message with the place, which the
            // location says already.
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            Error::parse(format!("invalid release state: {message}"))
                .at(Location::of_offset(source, text, offset))
        })?;
        if state.format != STATE_FORMAT {
            return Err(Error::config(format!(
                "{source}: release state of format {}; this release-core reads format {STATE_FORMAT}",
                state.format
            )));
        }
        Ok(state)
    }

    /// The record as JSON: two-space indented, keys in a fixed order,
    /// ending in a newline, so the same record is the same bytes.
    pub fn to_json(&self) -> String {
        // A record of strings, maps and instants always serialises.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// The record with `version` (tagged `tag`) as `component`'s next
    /// release.
    pub fn planned(&self, component: &str, version: &str, tag: &str) -> ReleaseState {
        let mut state = self.clone();
        state.next.insert(
            component.to_owned(),
            Upcoming {
                version: version.to_owned(),
                tag: tag.to_owned(),
            },
        );
        state
    }

    /// The record after the planned releases were made `how`, finishing at
    /// `at`: for a real release every planned one becomes its component's
    /// last release and nothing is planned; a dry run or an override
    /// changes nothing.
    pub fn released(&self, how: ReleaseMode, at: DateTime<Utc>) -> ReleaseState {
        if how != ReleaseMode::Real {
            return self.clone();
        }
        let mut state = self.clone();
        for (component, next) in std::mem::take(&mut state.next) {
            state.released.insert(
                component,
                Released {
                    version: next.version,
                    tag: next.tag,
                    at,
                },
            );
        }
        state
    }

    /// Where the record disagrees with `component`'s `tags` (read with
    /// `scheme`, when it has one): its last release untagged, a newer tag
    /// than it, its next release tagged already. Empty when they agree.
    pub fn check(
        &self,
        component: &str,
        scheme: Option<&TagScheme>,
        tags: &[String],
    ) -> Vec<StateDisagreement> {
        let mut out = Vec::new();
        let say = |kind, tag: &str, message: String| StateDisagreement {
            component: component.to_owned(),
            kind,
            tag: tag.to_owned(),
            message: format!("component {component:?}: {message}"),
        };
        if let Some(last) = self.released.get(component) {
            if !tags.contains(&last.tag) {
                out.push(say(
                    DisagreementKind::TagMissing,
                    &last.tag,
                    format!(
                        "the release state says {} was released at {}, but no tag {} exists",
                        last.version, last.at, last.tag
                    ),
                ));
            }
            let newest = scheme.and_then(|s| {
                let recorded = s.version_of(&last.tag)?;
                let (i, latest) = s.latest(tags, true)?;
                (latest > recorded).then(|| tags[i].clone())
            });
            if let Some(tag) = newest {
                out.push(say(
                    DisagreementKind::TagNewer,
                    &tag,
                    format!(
                        "tag {tag} is newer than the release state's last release {}; the tags are the truth",
                        last.tag
                    ),
                ));
            }
        }
        if let Some(next) = self.next.get(component)
            && tags.contains(&next.tag)
        {
            out.push(say(
                DisagreementKind::NextTagged,
                &next.tag,
                format!(
                    "the release state plans {} next, but tag {} exists already",
                    next.version, next.tag
                ),
            ));
        }
        out
    }
}

/// The byte offset of serde_json's 1-based `line` and `column` in `text`.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::version::Scheme;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    fn calver() -> TagScheme {
        TagScheme::new(
            "{version}",
            Scheme::calver("YYYY.0M.MICRO").expect("a format"),
        )
        .expect("a scheme")
    }

    fn tags(list: &[&str]) -> Vec<String> {
        list.iter().map(|t| (*t).to_owned()).collect()
    }

    #[test]
    fn a_real_release_advances_the_planned_versions() {
        let planned = ReleaseState::new()
            .planned("backend", "2023.06.1", "2023.06.1")
            .planned("stack", "2023.06.2", "2023.06.2");
        let after = planned.released(ReleaseMode::Real, at("2023-06-20T10:00:00Z"));
        assert!(after.next.is_empty());
        assert_eq!(
            after.released["stack"],
            Released {
                version: "2023.06.2".into(),
                tag: "2023.06.2".into(),
                at: at("2023-06-20T10:00:00Z"),
            }
        );
        assert_eq!(after.released.len(), 2);
    }

    #[test]
    fn a_dry_run_and_an_override_leave_the_record_byte_identical() {
        let planned = ReleaseState::new().planned("stack", "2023.06.2", "2023.06.2");
        let text = planned.to_json();
        for how in [ReleaseMode::DryRun, ReleaseMode::Override] {
            let after = planned.released(how, at("2023-06-20T10:00:00Z"));
            assert_eq!(after.to_json(), text, "{how:?}");
        }
    }

    #[test]
    fn the_json_round_trips_with_stable_field_names() {
        let state = ReleaseState::new()
            .planned("stack", "2023.06.2", "2023.06.2")
            .released(ReleaseMode::Real, at("2023-06-20T10:00:00Z"))
            .planned("stack", "2023.06.3", "2023.06.3");
        let text = state.to_json();
        insta::assert_snapshot!(text, @r#"
{
  "format": 1,
  "released": {
    "stack": {
      "version": "2023.06.2",
      "tag": "2023.06.2",
      "at": "2023-06-20T10:00:00Z"
    }
  },
  "next": {
    "stack": {
      "version": "2023.06.3",
      "tag": "2023.06.3"
    }
  }
}
"#);
        assert_eq!(
            ReleaseState::from_json("s.json", &text).expect("reads"),
            state
        );
    }

    #[test]
    fn bad_records_are_refused_at_their_place() {
        let err =
            ReleaseState::from_json("s.json", "{\n  \"format\": 1,\n  \"nxt\": {}\n}").unwrap_err();
        assert!(err.location().is_some());
        insta::assert_snapshot!(err, @r#"
s.json:3:7: invalid release state: unknown field `nxt`, expected one of `format`, `released`, `next`
  |
3 |   "nxt": {}
  |       ^
"#);
        let err = ReleaseState::from_json("s.json", r#"{"format": 2}"#).unwrap_err();
        insta::assert_snapshot!(err, @r#"s.json: release state of format 2; this release-core reads format 1"#);
    }

    #[test]
    fn disagreements_with_the_tags_are_values() {
        let state = ReleaseState::new()
            .planned("stack", "2023.06.1", "2023.06.1")
            .released(ReleaseMode::Real, at("2023-06-01T10:00:00Z"))
            .planned("stack", "2023.06.2", "2023.06.2");
        let scheme = calver();
        assert!(
            state
                .check("stack", Some(&scheme), &tags(&["2023.05.1", "2023.06.1"]))
                .is_empty()
        );
        let found = state.check("stack", Some(&scheme), &tags(&["2023.05.1", "2023.06.2"]));
        let kinds: Vec<DisagreementKind> = found.iter().map(|d| d.kind).collect();
        assert_eq!(
            kinds,
            [
                DisagreementKind::TagMissing,
                DisagreementKind::TagNewer,
                DisagreementKind::NextTagged
            ]
        );
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        insta::assert_debug_snapshot!(messages, @r#"
[
    "component \"stack\": the release state says 2023.06.1 was released at 2023-06-01 10:00:00 UTC, but no tag 2023.06.1 exists",
    "component \"stack\": tag 2023.06.2 is newer than the release state's last release 2023.06.1; the tags are the truth",
    "component \"stack\": the release state plans 2023.06.2 next, but tag 2023.06.2 exists already",
]
"#);
    }
}
