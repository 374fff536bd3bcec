//! Pre-release stages: the ordered series a scheme's pre-releases pass
//! through (`alpha -> beta -> rc -> final`), and moves along it.
//!
//! A SemVer or CalVer scheme declares its stages in
//! [`CandidatePolicy::stages`](super::CandidatePolicy::stages); PEP 440's are
//! fixed: `a -> b -> rc -> final`. Counters are read in the spellings seen in
//! the wild: `-beta.2`, `-rc1`, `a1`, `b3`, `rc1`.
//!
//! [`Level::Prerelease`](super::Level::Prerelease) bumps the counter *within*
//! the current stage (`beta.2` -> `beta.3`), as it always has;
//! [`Scheme::next_stage`] moves *to the next* stage (`a7` -> `b1`, `rc2` ->
//! final) and [`Scheme::move_to_stage`] to a named later one, never
//! backwards.

use std::fmt;

use serde::Serialize;

use super::scheme::{Scheme, Version};
use crate::{Error, Result, Warning, WarningKind};

/// Where a version stands in its scheme's series of pre-release stages.
///
/// Ordered along the series: every pre-release stage in the scheme's order
/// (by counter within a stage), then [`Final`](Self::Final).
///
/// # Example
///
/// ```
/// use release_core::version::{CandidatePolicy, PrereleaseStage, Scheme};
///
/// let policy = CandidatePolicy { stages: vec!["alpha".into(), "beta".into(), "rc".into()], ..CandidatePolicy::default() };
/// let s = Scheme::semver().with_candidates(policy);
/// let beta = s.stage_of(&s.parse("1.0.0-beta.2")?)?;
/// assert_eq!(beta.to_string(), "beta 2");
/// assert!(beta < s.stage_of(&s.parse("1.0.0-rc1")?)?);
/// assert_eq!(s.stage_of(&s.parse("1.0.0")?)?, PrereleaseStage::Final);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PrereleaseStage {
    /// A pre-release at stage `index` (0-based) of the series, named
    /// `label`, with its counter if it has one (`beta` has none, `beta.2`
    /// has 2).
    Pre {
        /// The position of the stage in the series.
        index: usize,
        /// The stage's label as the scheme declares it (`beta`, `b`).
        label: String,
        /// The counter: `2` of `beta.2`, `rc2` or `b2`.
        counter: Option<u64>,
    },
    /// The final release, after every stage.
    Final,
}

impl fmt::Display for PrereleaseStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PrereleaseStage::Pre {
                label,
                counter: Some(n),
                ..
            } => write!(f, "{label} {n}"),
            PrereleaseStage::Pre { label, .. } => f.write_str(label),
            PrereleaseStage::Final => f.write_str("final"),
        }
    }
}

/// PEP 440's stages, in order.
const PEP440_STAGES: &[&str] = &["a", "b", "rc"];

/// `beta.2` / `rc1` / `beta` -> (`beta`, Some(2)); the first identifier's
/// letters and the number attached to it or after a dot.
pub(crate) fn split_label(pre: &str) -> (&str, Option<u64>) {
    let first = pre.split('.').next().unwrap_or("");
    let letters = first.trim_end_matches(|c: char| c.is_ascii_digit());
    let attached = &first[letters.len()..];
    let counter = if attached.is_empty() {
        pre.split('.').nth(1).and_then(|n| n.parse().ok())
    } else {
        attached.parse().ok()
    };
    (letters, counter)
}

impl Scheme {
    /// The stages this scheme's pre-releases pass through, in order:
    /// PEP 440's `a`, `b`, `rc`; for SemVer and CalVer those declared in
    /// [`CandidatePolicy::stages`](super::CandidatePolicy::stages) (empty:
    /// none declared, any label is read).
    pub fn stages(&self) -> Vec<&str> {
        match self {
            Scheme::Pep440(_) => PEP440_STAGES.to_vec(),
            _ => self
                .candidates()
                .stages
                .iter()
                .map(String::as_str)
                .collect(),
        }
    }

    /// The final `version` is or would be: `1.81.0` of `1.81.0-beta.3`.
    pub(crate) fn final_of(&self, version: &Version) -> Result<Version> {
        super::bump::release_of(version)
    }

    /// The first pre-release of `version`'s final at stage `label`:
    /// `1.81.0-beta.1` of `1.81.0` (counters spelled as the scheme's
    /// candidate policy says).
    pub(crate) fn first_of_stage(&self, version: &Version, label: &str) -> Result<Version> {
        let spelling = super::prerelease::spell(label, 1, self.candidates().style);
        super::bump::with_prerelease(&super::bump::release_of(version)?, &spelling)
    }

    /// Where `version` stands in this scheme's stages.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) when the scheme declares
    /// no stages, the pre-release's label is not one of them, or (PEP 440)
    /// the version is a development release, which stands before every
    /// stage.
    pub fn stage_of(&self, version: &Version) -> Result<PrereleaseStage> {
        if !version.is_prerelease() {
            return Ok(PrereleaseStage::Final);
        }
        let stages = self.stages();
        if stages.is_empty() {
            return Err(Error::refused(format!(
                "the scheme {} declares no pre-release stages, so {version} has no stage (declare candidates.stages, e.g. [\"alpha\", \"beta\", \"rc\"])",
                self.describe()
            )));
        }
        let (label, counter) = match version {
            Version::Pep440(v) => match v.stage() {
                Some((label, n)) => (label.to_owned(), Some(n)),
                None => {
                    return Err(Error::refused(format!(
                        "{version} is a development release, which comes before every stage of PEP 440 (a, b, rc)"
                    )));
                }
            },
            _ => {
                let pre = version.prerelease().unwrap_or("").to_ascii_lowercase();
                let (label, counter) = split_label(&pre);
                (label.to_owned(), counter)
            }
        };
        match stages.iter().position(|s| s.eq_ignore_ascii_case(&label)) {
            Some(index) => Ok(PrereleaseStage::Pre {
                index,
                label: stages[index].to_owned(),
                counter,
            }),
            None => Err(outside(self, version, &label)),
        }
    }

    /// Warnings about `version`'s stage for a scheme whose
    /// [`CandidatePolicy::lenient_stages`](super::CandidatePolicy::lenient_stages)
    /// is set: a pre-release label outside the declared stages, which a
    /// strict scheme refuses to read.
    pub fn stage_warnings(&self, version: &Version) -> Vec<Warning> {
        if self.stages().is_empty() || matches!(version, Version::Pep440(_)) {
            return Vec::new();
        }
        match self.stage_of(version) {
            Err(e) => vec![Warning::new(
                WarningKind::LenientRead,
                e.message().to_owned(),
            )],
            Ok(PrereleaseStage::Pre { label, .. }) if !spelled_as_declared(version, &label) => {
                vec![Warning::new(
                    WarningKind::LenientRead,
                    format!(
                        "the pre-release label of {version} is the stage {label:?} spelled otherwise; write {label:?}"
                    ),
                )]
            }
            Ok(_) => Vec::new(),
        }
    }

    /// Moves `version` to the next stage: `3.14.0a7` -> `3.14.0b1`,
    /// `1.0.0-beta.2` -> `1.0.0-rc.1`, `3.14.0rc2` -> `3.14.0` (the final).
    /// Counters are spelled as `version` spells its own (`-rc1` gives
    /// `-beta1`'s successor `-rc1`; `-beta.2` gives `-rc.1`).
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) when `version` is
    /// already a final (there is no stage after it), or has no stage (see
    /// [`stage_of`](Self::stage_of)).
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::Scheme;
    ///
    /// let s = Scheme::pep440();
    /// assert_eq!(s.next_stage(&s.parse("3.14.0a7")?)?.to_string(), "3.14.0b1");
    /// assert_eq!(s.next_stage(&s.parse("3.14.0rc2")?)?.to_string(), "3.14.0");
    /// assert!(s.next_stage(&s.parse("3.14.0")?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_stage(&self, version: &Version) -> Result<Version> {
        match self.stage_of(version)? {
            PrereleaseStage::Final => Err(Error::refused(format!(
                "{version} is a final; there is no stage after it"
            ))),
            PrereleaseStage::Pre { index, .. } => match self.stages().get(index + 1) {
                Some(next) => self.enter_stage(version, next),
                None => self.promote(version, &[]).map(|p| p.to),
            },
        }
    }

    /// Moves `version` to the stage named `target` (or `"final"`): within
    /// the current stage the counter goes up (`beta.2` -> `beta.3`), to a
    /// later stage its first counter (`a7` -> `rc1`), to `final` the
    /// release.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) when `target` comes
    /// before the version's stage (a release does not go back from beta to
    /// alpha), when `target` is not a stage of the scheme, or when
    /// `version` has no stage.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::Scheme;
    ///
    /// let s = Scheme::pep440();
    /// let b3 = s.parse("3.14.0b3")?;
    /// assert_eq!(s.move_to_stage(&b3, "b")?.to_string(), "3.14.0b4");
    /// assert_eq!(s.move_to_stage(&b3, "rc")?.to_string(), "3.14.0rc1");
    /// assert_eq!(s.move_to_stage(&b3, "final")?.to_string(), "3.14.0");
    /// let back = s.move_to_stage(&b3, "a").unwrap_err();
    /// assert!(back.message().contains("backwards"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn move_to_stage(&self, version: &Version, target: &str) -> Result<Version> {
        let current = self.stage_of(version)?;
        let stages = self.stages();
        let wanted = if target.eq_ignore_ascii_case("final") {
            PrereleaseStage::Final
        } else {
            let Some(index) = stages.iter().position(|s| s.eq_ignore_ascii_case(target)) else {
                return Err(Error::refused(format!(
                    "{target:?} is not a stage of {} (its stages: {}, then final)",
                    self.describe_kind(),
                    stages.join(", ")
                )));
            };
            PrereleaseStage::Pre {
                index,
                label: stages[index].to_owned(),
                counter: None,
            }
        };
        match (&current, &wanted) {
            (PrereleaseStage::Final, PrereleaseStage::Final) => {
                Err(Error::refused(format!("{version} is already a final")))
            }
            (_, PrereleaseStage::Final) => self.promote(version, &[]).map(|p| p.to),
            (
                PrereleaseStage::Pre { index: now, .. },
                PrereleaseStage::Pre { index, label, .. },
            ) if now == index => {
                debug_assert_eq!(label, &stages[*index]);
                self.bump_prerelease(version)
            }
            (
                PrereleaseStage::Pre { index: now, .. },
                PrereleaseStage::Pre { index, label, .. },
            ) if now < index => self.enter_stage(version, label),
            _ => Err(Error::refused(format!(
                "{version} is at stage {current}; moving to {target:?} would go backwards (stages go {}, then final)",
                stages.join(", ")
            ))),
        }
    }

    /// The first pre-release of stage `label` on `version`'s release.
    fn enter_stage(&self, version: &Version, label: &str) -> Result<Version> {
        let release = self.promote(version, &[])?.to;
        let style = match version.prerelease() {
            Some(pre) if !matches!(version, Version::Pep440(_)) => {
                let first = pre.split('.').next().unwrap_or("");
                if first.ends_with(|c: char| c.is_ascii_digit()) {
                    super::CounterStyle::Attached
                } else {
                    super::CounterStyle::Dotted
                }
            }
            _ => self.candidates().style,
        };
        let policy = super::CandidatePolicy {
            label: label.to_owned(),
            style,
            ..self.candidates().clone()
        };
        self.clone()
            .with_candidates(policy)
            .start_prerelease(&release)
    }
}

/// The reason a label is outside a scheme's stages.
fn outside(scheme: &Scheme, version: &Version, label: &str) -> Error {
    Error::refused(format!(
        "the pre-release label {label:?} of {version} is not a stage of {} (its stages: {})",
        scheme.describe_kind(),
        scheme.stages().join(", ")
    ))
}

/// The parse-time check of a strict scheme that declares stages: whether
/// the version's label (if any) is one of them.
pub(crate) fn check(scheme: &Scheme, version: &Version) -> bool {
    let policy = scheme.candidates();
    if policy.stages.is_empty() || policy.lenient_stages || matches!(version, Version::Pep440(_)) {
        return true;
    }
    match scheme.stage_of(version) {
        Ok(PrereleaseStage::Pre { label, .. }) => spelled_as_declared(version, &label),
        Ok(PrereleaseStage::Final) => true,
        Err(_) => false,
    }
}

/// Whether `version`'s pre-release label is spelled exactly as the
/// declared stage `label` (`RC` is the stage `rc` spelled otherwise: a
/// strict scheme refuses it, a lenient one reads it with a warning).
fn spelled_as_declared(version: &Version, label: &str) -> bool {
    let pre = version.prerelease().unwrap_or("");
    split_label(pre).0 == label
}
