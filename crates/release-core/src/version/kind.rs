//! Release kinds: how far a release moves a version, and whether it is a
//! pre-release (`minor`, or `minor` + `beta`).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::bump::{Level, release_of, with_prerelease};
use super::prerelease;
use super::scheme::{Scheme, Version};
use crate::{Error, Result};

/// What kind of release a release day, a train or a component ships: a
/// [`Level`] and an optional pre-release label.
///
/// Written in `release.toml` as the level alone (`kind = "minor"`) or as a
/// table with the label (`kind = { level = "minor", prerelease = "beta" }`,
/// which ships `1.3.0-beta.1`, then `1.3.0-beta.2`).
///
/// # Example
///
/// ```
/// use release_core::version::{Level, ReleaseKind, Scheme};
///
/// let scheme = Scheme::semver();
/// let current = scheme.parse("1.2.3")?;
/// let kind = ReleaseKind::new(Level::Minor).with_prerelease("beta");
/// assert_eq!(kind.to_string(), "minor beta");
/// assert_eq!(kind.next(&scheme, Some(&current), &[])?.to_string(), "1.3.0-beta.1");
/// let beta = scheme.parse("1.3.0-beta.1")?;
/// assert_eq!(kind.next(&scheme, Some(&beta), &[])?.to_string(), "1.3.0-beta.2");
/// assert_eq!(ReleaseKind::new(Level::Minor).next(&scheme, Some(&beta), &[])?.to_string(), "1.3.0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "KindData", into = "KindData")]
pub struct ReleaseKind {
    /// How far the version moves.
    pub level: Level,
    /// The pre-release label (`beta`, `rc`), if the release is one.
    pub prerelease: Option<String>,
}

/// The written form of a [`ReleaseKind`]: a level, or a table with a label.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum KindData {
    /// The level alone: `"minor"`.
    Level(Level),
    /// A level and a pre-release label: `{ level = "minor", prerelease = "beta" }`.
    Full {
        /// How far the version moves.
        level: Level,
        /// The pre-release label.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        prerelease: Option<String>,
    },
}

impl TryFrom<KindData> for ReleaseKind {
    type Error = Error;

    fn try_from(data: KindData) -> Result<ReleaseKind> {
        let kind = match data {
            KindData::Level(level) => ReleaseKind::new(level),
            KindData::Full { level, prerelease } => ReleaseKind { level, prerelease },
        };
        kind.check()?;
        Ok(kind)
    }
}

impl From<ReleaseKind> for KindData {
    fn from(kind: ReleaseKind) -> KindData {
        match kind.prerelease {
            None => KindData::Level(kind.level),
            Some(label) => KindData::Full {
                level: kind.level,
                prerelease: Some(label),
            },
        }
    }
}

impl ReleaseKind {
    /// A final release at `level`.
    pub fn new(level: Level) -> ReleaseKind {
        ReleaseKind {
            level,
            prerelease: None,
        }
    }

    /// This kind as a pre-release labelled `label` (`beta`).
    pub fn with_prerelease(mut self, label: &str) -> ReleaseKind {
        self.prerelease = Some(label.to_owned());
        self
    }

    /// Whether the label is one a pre-release can carry.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for an empty label, a
    /// label that is not ASCII letters, or a label on the `prerelease`
    /// level (which already means "the next candidate").
    pub fn check(&self) -> Result<()> {
        let Some(label) = &self.prerelease else {
            return Ok(());
        };
        if label.is_empty() || !label.bytes().all(|b| b.is_ascii_lowercase()) {
            return Err(Error::config(format!(
                "release kind: pre-release label {label:?} must be lowercase ASCII letters (alpha, beta, rc)"
            )));
        }
        if self.level == Level::Prerelease {
            return Err(Error::config(format!(
                "release kind: level \"prerelease\" already means the next candidate; give a level (major, minor, patch) with prerelease = {label:?}"
            )));
        }
        Ok(())
    }

    /// The version a release of this kind gets after `current` (or after
    /// nothing), on `scheme`. A final kind follows [`Scheme::next`] (from
    /// an outstanding candidate `9.0.0-rc.2`, a major, minor or patch gives
    /// its final `9.0.0`). A pre-release kind gives the first pre-release
    /// of the final the level reaches (`1.3.0-beta.1`), or the next one
    /// when `current` is already such a pre-release of it; `existing`
    /// versions of the final's line with the same label are skipped.
    ///
    /// # Errors
    ///
    /// The errors of [`Scheme::next`].
    pub fn next(
        &self,
        scheme: &Scheme,
        current: Option<&Version>,
        existing: &[Version],
    ) -> Result<Version> {
        let Some(label) = &self.prerelease else {
            return scheme.next(current, self.level);
        };
        let target = scheme.next(current, self.level)?;
        let same_label = |v: &Version| {
            v.prerelease().is_some_and(|p| {
                p.split(|c: char| !c.is_ascii_alphabetic()).next() == Some(label.as_str())
            })
        };
        let target_final = release_of(&target)?;
        self.check_stage(scheme, current, &target_final, label)?;
        // The latest pre-release of the target with this label, if any.
        let mut latest: Option<&Version> = None;
        for v in existing.iter().chain(current) {
            if same_label(v)
                && release_of(v).is_ok_and(|f| f == target_final)
                && latest.is_none_or(|l| v > l)
            {
                latest = Some(v);
            }
        }
        match latest {
            Some(v) => scheme.bump_prerelease(v),
            None => {
                let spelling = prerelease::spell(label, 1, scheme.candidates().style);
                with_prerelease(&target, &spelling)
            }
        }
    }
}

impl ReleaseKind {
    /// Whether a pre-release labelled `label` of `target` may follow
    /// `current` on a scheme that declares its stages: the label must be
    /// one of them, and a release never goes back to an earlier stage
    /// (from `3.14.0b1` to an alpha of 3.14.0).
    fn check_stage(
        &self,
        scheme: &Scheme,
        current: Option<&Version>,
        target: &Version,
        label: &str,
    ) -> Result<()> {
        let stages = scheme.stages();
        if stages.is_empty() {
            return Ok(());
        }
        let Some(wanted) = stages.iter().position(|s| s.eq_ignore_ascii_case(label)) else {
            return Err(Error::refused(format!(
                "release kind {self}: {label:?} is not a stage of {} (its stages: {}, then final)",
                scheme.describe_kind(),
                stages.join(", ")
            )));
        };
        let Some(current) = current.filter(|c| release_of(c).is_ok_and(|f| &f == target)) else {
            return Ok(());
        };
        match scheme.stage_of(current) {
            Ok(super::PrereleaseStage::Pre { index, .. }) if index > wanted => {
                Err(Error::refused(format!(
                    "release kind {self}: {current} is at stage {}; a {label} of {target} would go backwards (stages go {}, then final)",
                    stages[index],
                    stages.join(", ")
                )))
            }
            _ => Ok(()),
        }
    }
}

impl fmt::Display for ReleaseKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.prerelease {
            None => write!(f, "{}", self.level),
            Some(label) => write!(f, "{} {label}", self.level),
        }
    }
}

impl From<Level> for ReleaseKind {
    fn from(level: Level) -> ReleaseKind {
        ReleaseKind::new(level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn next(
        scheme: &Scheme,
        kind: &ReleaseKind,
        current: &str,
        existing: &[&str],
    ) -> Result<String> {
        let current = scheme.parse(current)?;
        let existing: Vec<Version> = existing
            .iter()
            .map(|t| scheme.parse(t))
            .collect::<Result<_>>()?;
        kind.next(scheme, Some(&current), &existing)
            .map(|v| v.to_string())
    }

    #[test]
    fn pep440_kinds_walk_the_stages() {
        let s = Scheme::pep440();
        let minor = ReleaseKind::new(Level::Minor);
        let alpha = minor.clone().with_prerelease("a");
        let beta = minor.clone().with_prerelease("b");
        let rc = minor.clone().with_prerelease("rc");
        assert_eq!(next(&s, &alpha, "3.13.5", &[]).unwrap(), "3.14.0a1");
        assert_eq!(next(&s, &alpha, "3.14.0a7", &[]).unwrap(), "3.14.0a8");
        assert_eq!(next(&s, &beta, "3.14.0a7", &[]).unwrap(), "3.14.0b1");
        assert_eq!(
            next(&s, &beta, "3.14.0b3", &["3.14.0a7"]).unwrap(),
            "3.14.0b4"
        );
        assert_eq!(next(&s, &rc, "3.14.0b4", &[]).unwrap(), "3.14.0rc1");
        assert_eq!(next(&s, &minor, "3.14.0rc3", &[]).unwrap(), "3.14.0");
    }

    #[test]
    fn a_kind_never_moves_a_release_back_to_an_earlier_stage() {
        let s = Scheme::pep440();
        let alpha = ReleaseKind::new(Level::Minor).with_prerelease("a");
        let err = next(&s, &alpha, "3.14.0b1", &[]).unwrap_err();
        assert!(err.message().contains("backwards"), "{}", err.message());
        let staged = Scheme::semver().with_candidates(super::super::CandidatePolicy {
            stages: vec!["alpha".into(), "beta".into(), "rc".into()],
            ..super::super::CandidatePolicy::default()
        });
        let beta = ReleaseKind::new(Level::Minor).with_prerelease("beta");
        let err = next(&staged, &beta, "1.3.0-rc.1", &[]).unwrap_err();
        assert!(err.message().contains("backwards"), "{}", err.message());
        // A label the stages do not list is refused, not guessed.
        let hotfix = ReleaseKind::new(Level::Minor).with_prerelease("hotfix");
        let err = next(&staged, &hotfix, "1.2.0", &[]).unwrap_err();
        assert!(err.message().contains("not a stage"), "{}", err.message());
    }
}
