//! Choosing the next version: by level, by date, for a hotfix, for a
//! pre-release, and promoting a candidate to a final.

use chrono::NaiveDate;
use serde::Serialize;

use super::calver::{CalVersion, MAX_MICRO};
use super::pep440::Pep440Version;
use super::prerelease::{self, CounterStyle};
use super::scheme::{Scheme, Version};
use super::semver::{SemVersion, VPrefix};
use crate::{Error, Result};

/// How far a release moves a SemVer version.
///
/// Ordered by size: `Prerelease < Patch < Minor < Major`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// The next pre-release: `1.2.3-rc.1` -> `1.2.3-rc.2`; from a final,
    /// the next patch's first candidate.
    Prerelease,
    /// `1.2.3` -> `1.2.4`.
    Patch,
    /// `1.2.3` -> `1.3.0`.
    Minor,
    /// `1.2.3` -> `2.0.0`.
    Major,
}

crate::vocabulary! {
    Level, "level",
    {
        Prerelease => "prerelease",
        Patch => "patch",
        Minor => "minor",
        Major => "major",
    }
    deprecated {
        "pre" => "prerelease",
        "Major" => "major", "Minor" => "minor", "Patch" => "patch", "Prerelease" => "prerelease",
        "MAJOR" => "major", "MINOR" => "minor", "PATCH" => "patch", "PRERELEASE" => "prerelease",
    }
}

/// The two ways teams number a hotfix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HotfixStyle {
    /// The next patch after the highest release of the base's line:
    /// base `1.4.0` with `1.4.1` released gives `1.4.2` (CalVer: the next
    /// counter of the base's period).
    #[default]
    Patch,
    /// `-hotfix.N` on the base version: `1.4.0-hotfix.1`, `1.4.0-hotfix.2`.
    /// Note that SemVer orders these *before* `1.4.0`.
    Suffix,
}

crate::vocabulary! {
    HotfixStyle, "hotfix style",
    {
        Patch => "patch",
        Suffix => "suffix",
    }
}

/// The outcome of [`Scheme::promote`]: the final and the candidate it comes
/// from, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Promotion {
    /// The candidate promoted, if there was one.
    pub from: Option<Version>,
    /// The final version.
    pub to: Version,
}

impl Scheme {
    /// The next version after `current` (or after nothing) at `level`.
    ///
    /// SemVer follows the `inc` rules of node's `semver`, which most release
    /// tools share: from a pre-release, the level's final is released first
    /// (`1.3.0-rc.2` at minor gives `1.3.0`, at patch also `1.3.0`); from a
    /// final, the level is bumped and lower numbers reset. `Prerelease` moves
    /// a candidate's counter, or starts the next patch's first candidate.
    /// Build metadata is dropped; the `v` spelling of `current` is kept.
    ///
    /// CalVer versions follow the date (see [`next_for_date`](Self::next_for_date));
    /// only `Prerelease` and `Patch` (the next counter of the same period)
    /// apply.
    ///
    /// PEP 440 versions bump their release segment as SemVer does (`Major`
    /// the first number, `Minor` the second, `Patch` the third, padding
    /// with zeros: `1.0` at patch gives `1.0.1`); from a pre-release or a
    /// development release the level's final comes first (`3.14.0rc1` at
    /// minor gives `3.14.0`); post-releases and local labels are dropped,
    /// the epoch kept. `Prerelease` moves the counter within the current
    /// stage (`3.14.0a1` -> `3.14.0a2`, `1.0.dev3` -> `1.0.dev4`), or starts
    /// the next patch's first candidate (`3.13.1` -> `3.13.2rc1`).
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for `Major` or `Minor` on
    /// a CalVer scheme, or `Patch` on a CalVer format without `MICRO`.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::{Level, Scheme};
    ///
    /// let scheme = Scheme::semver();
    /// let v = scheme.parse("v1.2.3")?;
    /// assert_eq!(scheme.next(Some(&v), Level::Minor)?.to_string(), "v1.3.0");
    /// assert_eq!(scheme.next(Some(&v), Level::Prerelease)?.to_string(), "v1.2.4-rc.1");
    ///
    /// let python = Scheme::pep440();
    /// let a1 = python.parse("3.14.0a1")?;
    /// assert_eq!(python.next(Some(&a1), Level::Prerelease)?.to_string(), "3.14.0a2");
    /// assert_eq!(python.next(Some(&a1), Level::Minor)?.to_string(), "3.14.0");
    /// let final_ = python.parse("3.14.0")?;
    /// assert_eq!(python.next(Some(&final_), Level::Patch)?.to_string(), "3.14.1");
    /// assert_eq!(python.next(Some(&final_), Level::Major)?.to_string(), "4.0.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next(&self, current: Option<&Version>, level: Level) -> Result<Version> {
        match (self, current) {
            (Scheme::SemVer(s), None) => {
                let base = SemVersion::from_semver(
                    semver::Version::new(0, 0, 0),
                    s.v_prefix == VPrefix::Always,
                );
                self.next_semver(&base, level)
            }
            (Scheme::SemVer(_), Some(Version::SemVer(v))) => self.next_semver(v, level),
            (Scheme::CalVer(s), Some(Version::CalVer(v))) => match level {
                Level::Prerelease if v.is_prerelease() => {
                    self.bump_prerelease(&Version::CalVer(v.clone()))
                }
                Level::Prerelease => {
                    let next = self.next(current, Level::Patch)?;
                    self.start_prerelease(&next)
                }
                Level::Patch => match v.micro() {
                    Some(micro) if v.is_prerelease() => {
                        Ok(Version::CalVer(v.with_prerelease(None)?.with_micro(micro)))
                    }
                    Some(micro) => Ok(Version::CalVer(v.with_micro(checked_micro(micro)?))),
                    None => Err(Error::config(format!(
                        "the CalVer format {} has no MICRO counter, so a period holds one release",
                        s.format
                    ))),
                },
                Level::Major | Level::Minor => Err(Error::config(format!(
                    "CalVer versions follow the date; a {level} bump does not apply to format {} (use the next version for a date)",
                    s.format
                ))),
            },
            (Scheme::CalVer(s), None) => Err(Error::config(format!(
                "CalVer versions follow the date; give a date to get the first version of format {}",
                s.format
            ))),
            (Scheme::Pep440(_), None) => {
                let base = Pep440Version::parse("0.0.0")?;
                self.next_pep440(&base, level)
            }
            (Scheme::Pep440(_), Some(Version::Pep440(v))) => self.next_pep440(v, level),
            (_, Some(other)) => Err(mismatch(self, other)),
        }
    }

    fn next_pep440(&self, v: &Pep440Version, level: Level) -> Result<Version> {
        let pre = v.is_prerelease();
        let index = match level {
            Level::Major => 0,
            Level::Minor => 1,
            Level::Patch => 2,
            Level::Prerelease if pre => return self.bump_prerelease(&Version::Pep440(v.clone())),
            Level::Prerelease => {
                let next = self.next_pep440(v, Level::Patch)?;
                return self.start_prerelease(&next);
            }
        };
        let mut release = v.release().to_vec();
        if release.len() <= index {
            release.resize(index + 1, 0);
        }
        // From a pre-release whose lower numbers are zero, the level's
        // final is the pre-release's own final (node's `inc`): `1.0rc1` ->
        // `1.0`, and a development release of a post-release its
        // post-release (`1.0.post1.dev2` -> `1.0.post1`).
        if pre && release[index + 1..].iter().all(|n| *n == 0) {
            return Ok(Version::Pep440(v.final_release()));
        }
        release[index] = checked(release[index])?;
        for n in &mut release[index + 1..] {
            *n = 0;
        }
        Ok(Version::Pep440(v.with_release(release)))
    }

    fn next_semver(&self, v: &SemVersion, level: Level) -> Result<Version> {
        let n = v.normalised();
        let pre = v.is_prerelease();
        let (major, minor, patch) = (n.major, n.minor, n.patch);
        let plain =
            |major, minor, patch| v.with_parts(semver::Version::new(major, minor, patch), None);
        Ok(Version::SemVer(match level {
            Level::Major if pre && minor == 0 && patch == 0 => plain(major, 0, 0),
            Level::Major => plain(checked(major)?, 0, 0),
            Level::Minor if pre && patch == 0 => plain(major, minor, 0),
            Level::Minor => plain(major, checked(minor)?, 0),
            Level::Patch if pre => plain(major, minor, patch),
            Level::Patch => plain(major, minor, checked(patch)?),
            Level::Prerelease if pre => return self.bump_prerelease(&Version::SemVer(v.clone())),
            Level::Prerelease => {
                let next = plain(major, minor, checked(patch)?);
                return self.start_prerelease(&Version::SemVer(next));
            }
        }))
    }

    /// The first candidate of a final: `1.3.0` -> `1.3.0-rc.1`, with the
    /// scheme's label and counter style.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) when `version` is
    /// already a pre-release (bump it instead).
    pub fn start_prerelease(&self, version: &Version) -> Result<Version> {
        if version.is_prerelease() {
            return Err(Error::refused(format!(
                "{version} is already a pre-release; bump it instead of starting another"
            )));
        }
        let policy = self.candidates();
        if let Version::Pep440(v) = version {
            return v
                .with_stage(&policy.label, 1)
                .map(Version::Pep440)
                .ok_or_else(|| pep440_label(&policy.label));
        }
        let spelling = prerelease::spell(&policy.label, 1, policy.style);
        with_prerelease(version, &spelling)
    }

    /// The next candidate: `1.3.0-rc.1` -> `1.3.0-rc.2`, `rc1` -> `rc2`.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) when `version` is not a
    /// pre-release.
    pub fn bump_prerelease(&self, version: &Version) -> Result<Version> {
        let (normalised, spelling) = match version {
            Version::SemVer(v) => (Some(v.normalised().pre.clone()), v.prerelease()),
            Version::CalVer(v) => (v.normalised_prerelease().cloned(), v.prerelease()),
            Version::Pep440(v) => {
                let next = match (v.dev(), v.stage()) {
                    (Some(dev), _) => Some(v.with_dev(checked(dev)?)),
                    (None, Some((label, n))) => v.with_stage(label, checked(n)?),
                    (None, None) => None,
                };
                return next.map(Version::Pep440).ok_or_else(|| {
                    Error::refused(format!(
                        "{version} is not a pre-release; start one before bumping it"
                    ))
                });
            }
        };
        match (normalised, spelling) {
            (Some(pre), Some(spelling)) => {
                with_prerelease(version, &prerelease::bump(&pre, spelling)?)
            }
            _ => Err(Error::refused(format!(
                "{version} is not a pre-release; start one before bumping it"
            ))),
        }
    }

    /// Promotes a candidate to its final, or checks that a final may be
    /// released.
    ///
    /// Given a pre-release (`3.6.7-rc2`), the final is the same version
    /// without the suffix (`3.6.7`). Given a final, the latest candidate of
    /// it in `existing` is the one promoted; when there is none and the
    /// scheme's [`CandidatePolicy::required`](super::CandidatePolicy::required)
    /// is set, the promotion is refused.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) when the final already
    /// exists in `existing`, or a candidate is required and none exists.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::Scheme;
    ///
    /// let scheme = Scheme::semver();
    /// let rc = scheme.parse("3.6.7-rc2")?;
    /// assert_eq!(scheme.promote(&rc, &[])?.to.to_string(), "3.6.7");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn promote(&self, version: &Version, existing: &[Version]) -> Result<Promotion> {
        // The release a final of `version` would be: build metadata is no
        // part of it, so `1.0.0+b7` is already released when `1.0.0` is.
        let release = release_of(version)?;
        if let Some(done) = existing
            .iter()
            .filter(|e| !e.is_prerelease())
            .find(|e| release_of(e).is_ok_and(|r| r == release))
        {
            return Err(Error::refused(format!(
                "{done} is already released; nothing to promote"
            )));
        }
        // A candidate's build metadata describes the candidate's build, so
        // its final drops it; a final given as it is (`0.0.77+0`) is
        // released as given, never as a version that sorts below it.
        let final_version = if version.is_prerelease() {
            release.clone()
        } else {
            version.clone()
        };
        if version.is_prerelease() {
            return Ok(Promotion {
                from: Some(version.clone()),
                to: final_version,
            });
        }
        let candidate = existing
            .iter()
            .filter(|e| e.is_prerelease())
            .filter(|e| release_of(e).is_ok_and(|r| r == release))
            .max()
            .cloned();
        if candidate.is_none() && self.candidates().required {
            return Err(Error::refused(format!(
                "no release candidate of {release} exists, and this scheme releases a final only by promoting a candidate"
            )));
        }
        Ok(Promotion {
            from: candidate,
            to: final_version,
        })
    }

    /// The next hotfix of `base` given the existing versions.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when `base` is not of
    /// this scheme, or the CalVer format has no `MICRO` for a patch-style
    /// hotfix.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::{HotfixStyle, Scheme};
    ///
    /// let s = Scheme::semver();
    /// let existing: Vec<_> = ["1.4.0", "1.4.1", "1.5.0"].iter().map(|t| s.parse(t)).collect::<Result<_, _>>()?;
    /// let base = s.parse("1.4.0")?;
    /// assert_eq!(s.hotfix(&base, &existing, HotfixStyle::Patch)?.to_string(), "1.4.2");
    /// assert_eq!(s.hotfix(&base, &existing, HotfixStyle::Suffix)?.to_string(), "1.4.0-hotfix.1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn hotfix(
        &self,
        base: &Version,
        existing: &[Version],
        style: HotfixStyle,
    ) -> Result<Version> {
        let base_final = release_of(base)?;
        match style {
            HotfixStyle::Suffix if matches!(base_final, Version::Pep440(_)) => {
                let Version::Pep440(b) = &base_final else {
                    unreachable!("matched above")
                };
                let highest = existing
                    .iter()
                    .filter_map(Version::as_pep440)
                    .filter(|e| e.release() == b.release() && e.epoch() == b.epoch())
                    .filter(|e| !e.is_prerelease())
                    .filter_map(Pep440Version::post)
                    .max();
                let number = highest.map_or(Ok(1), checked)?;
                Ok(Version::Pep440(b.with_post(number)))
            }
            HotfixStyle::Suffix => {
                let highest = existing
                    .iter()
                    .filter(|e| release_of(e).is_ok_and(|r| r == base_final))
                    .filter_map(hotfix_number)
                    .max();
                let number = highest.map_or(Ok(1), checked)?;
                let spelling = prerelease::spell("hotfix", number, CounterStyle::Dotted);
                with_prerelease(&base_final, &spelling)
            }
            HotfixStyle::Patch => match &base_final {
                Version::SemVer(b) => {
                    let line = |v: &SemVersion| v.major() == b.major() && v.minor() == b.minor();
                    let highest = existing
                        .iter()
                        .filter_map(Version::as_semver)
                        .filter(|v| line(v) && !v.is_prerelease())
                        .map(SemVersion::patch)
                        .chain([b.patch()])
                        .max()
                        .unwrap_or(b.patch());
                    let next = semver::Version::new(b.major(), b.minor(), checked(highest)?);
                    Ok(Version::SemVer(b.with_parts(next, None)))
                }
                Version::CalVer(b) => {
                    let Some(micro) = b.micro() else {
                        return Err(Error::config(format!(
                            "the CalVer format {} has no MICRO counter, so a patch-style hotfix has no number; use the suffix style",
                            b.format()
                        )));
                    };
                    let highest = existing
                        .iter()
                        .filter_map(Version::as_calver)
                        .filter(|v| v.same_period(b) && !v.is_prerelease())
                        .filter_map(CalVersion::micro)
                        .chain([micro])
                        .max()
                        .unwrap_or(micro);
                    Ok(Version::CalVer(b.with_micro(checked_micro(highest)?)))
                }
                Version::Pep440(b) => {
                    let line = |v: &Pep440Version| {
                        v.epoch() == b.epoch()
                            && v.release().first() == b.release().first()
                            && v.release().get(1).unwrap_or(&0) == b.release().get(1).unwrap_or(&0)
                    };
                    let patch = |v: &Pep440Version| v.release().get(2).copied().unwrap_or(0);
                    let highest = existing
                        .iter()
                        .filter_map(Version::as_pep440)
                        .filter(|v| line(v) && !v.is_prerelease())
                        .map(patch)
                        .chain([patch(b)])
                        .max()
                        .unwrap_or(0);
                    let mut release = b.release().to_vec();
                    release.resize(release.len().max(3), 0);
                    release[2] = checked(highest)?;
                    release.truncate(3);
                    Ok(Version::Pep440(b.with_release(release)))
                }
            },
        }
    }

    /// The next CalVer version for a release on `date`, given the existing
    /// versions of this scheme.
    ///
    /// The counter restarts in each period and counts only versions of this
    /// format (a stray `2023.6.5` is not read by `YYYY.0M.MICRO`, so it does
    /// not count toward `2023.06`). Several releases on one day keep
    /// counting. A pending candidate of the period (`2023.06.2-rc1` with no
    /// `2023.06.2`) is finalised rather than skipped.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for a SemVer scheme; a
    /// [refused error](crate::ErrorKind::Refused) when the format has no
    /// `MICRO` and the period already has a release, or when the result
    /// would not be newer than the latest existing release (a date in the
    /// past).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use release_core::version::Scheme;
    ///
    /// let scheme = Scheme::calver("YYYY.0M.MICRO")?;
    /// let existing = [scheme.parse("2023.05.1")?, scheme.parse("2023.06.1")?];
    /// let date = NaiveDate::from_ymd_opt(2023, 6, 20).unwrap();
    /// assert_eq!(scheme.next_for_date(date, &existing)?.to_string(), "2023.06.2");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_for_date(&self, date: NaiveDate, existing: &[Version]) -> Result<Version> {
        let Scheme::CalVer(s) = self else {
            return Err(Error::config(format!(
                "a {} scheme does not choose versions by date; give a level instead",
                self.describe()
            )));
        };
        let probe = s.format.version_for(date, Some(s.first_micro))?;
        let ours = existing
            .iter()
            .filter_map(Version::as_calver)
            .filter(|v| *v.format() == s.format);
        let mut micro: Option<u64> = None;
        let mut latest_final: Option<&CalVersion> = None;
        for v in ours {
            if !v.is_prerelease() && latest_final.is_none_or(|l| v > l) {
                latest_final = Some(v);
            }
            if !v.same_period(&probe) {
                continue;
            }
            if !s.format.has_micro() {
                if !v.is_prerelease() {
                    return Err(Error::refused(format!(
                        "{v} already exists for this period and the format {} has no MICRO counter for a second release",
                        s.format
                    )));
                }
                continue;
            }
            let m = v.micro().unwrap_or(s.first_micro);
            let candidate = if v.is_prerelease() {
                m
            } else {
                checked_micro(m)?
            };
            micro = Some(micro.map_or(candidate, |cur| cur.max(candidate)));
        }
        let next = s
            .format
            .version_for(date, Some(micro.unwrap_or(s.first_micro)))?;
        if let Some(latest) = latest_final
            && next <= *latest
        {
            return Err(Error::refused(format!(
                "a release on {date} would be {next}, which is not newer than the latest release {latest}"
            )));
        }
        Ok(Version::CalVer(next))
    }
}

/// The final a version is (or would be): the version without pre-release
/// and build metadata.
pub(super) fn release_of(version: &Version) -> Result<Version> {
    match version {
        Version::SemVer(v) => {
            let n = v.normalised();
            Ok(Version::SemVer(v.with_parts(
                semver::Version::new(n.major, n.minor, n.patch),
                None,
            )))
        }
        Version::CalVer(v) => v.with_prerelease(None).map(Version::CalVer),
        Version::Pep440(v) => Ok(Version::Pep440(v.final_release())),
    }
}

/// A candidate label that is no PEP 440 stage.
fn pep440_label(label: &str) -> Error {
    Error::config(format!(
        "the candidate label {label:?} is no PEP 440 pre-release stage; PEP 440 has a (alpha), b (beta) and rc (release candidate)"
    ))
}

pub(super) fn with_prerelease(version: &Version, spelling: &str) -> Result<Version> {
    match version {
        Version::SemVer(v) => {
            let n = v.normalised();
            let mut next = semver::Version::new(n.major, n.minor, n.patch);
            next.pre = prerelease::normalise(spelling)
                .map(|p| p.pre)
                .map_err(|e| {
                    Error::parse(format!(
                        "invalid pre-release {spelling:?}: {}",
                        e.describe()
                    ))
                })?;
            Ok(Version::SemVer(
                v.with_parts(next, Some(spelling.to_owned())),
            ))
        }
        Version::CalVer(v) => v.with_prerelease(Some(spelling)).map(Version::CalVer),
        Version::Pep440(v) => {
            let (label, number) = split_counter(spelling);
            v.with_stage(label, number.unwrap_or(0))
                .map(Version::Pep440)
                .ok_or_else(|| pep440_label(label))
        }
    }
}

/// `rc1` / `rc.1` -> (`rc`, 1).
fn split_counter(spelling: &str) -> (&str, Option<u64>) {
    let label = spelling.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = spelling[label.len()..].parse().ok();
    (label.trim_end_matches('.'), number)
}

fn hotfix_number(version: &Version) -> Option<u64> {
    let pre = match version {
        Version::SemVer(v) => v.normalised().pre.as_str().to_owned(),
        Version::CalVer(v) => v.normalised_prerelease()?.as_str().to_owned(),
        Version::Pep440(_) => return None,
    };
    pre.strip_prefix("hotfix.")?.parse().ok()
}

/// `n + 1`, or a refusal when `n` is `u64::MAX`: every number a user
/// wrote (major, minor, patch, a pre-release or hotfix counter) goes up
/// through here, never with a bare `+ 1`.
pub(super) fn checked(n: u64) -> Result<u64> {
    n.checked_add(1)
        .ok_or_else(|| Error::refused(format!("the number {n} cannot be incremented")))
}

/// [`checked`] for a CalVer `MICRO`, which has at most 19 digits, so that
/// the next version can be read back.
fn checked_micro(n: u64) -> Result<u64> {
    let next = checked(n)?;
    if next > MAX_MICRO {
        return Err(Error::refused(format!(
            "the number {n} cannot be incremented: a MICRO counter has at most 19 digits"
        )));
    }
    Ok(next)
}

fn mismatch(scheme: &Scheme, version: &Version) -> Error {
    Error::config(format!(
        "{version} is a {} version, but the scheme is {}",
        version.kind(),
        scheme.describe()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn semver(s: &str) -> Version {
        Scheme::semver().parse(s).unwrap()
    }

    #[test]
    fn next_follows_npm_inc() {
        let s = Scheme::semver();
        let cases = [
            ("1.2.3", Level::Major, "2.0.0"),
            ("1.2.3", Level::Minor, "1.3.0"),
            ("1.2.3", Level::Patch, "1.2.4"),
            ("1.2.3", Level::Prerelease, "1.2.4-rc.1"),
            ("1.3.0-rc.2", Level::Minor, "1.3.0"),
            ("1.3.0-rc.2", Level::Patch, "1.3.0"),
            ("1.3.0-rc.2", Level::Major, "2.0.0"),
            ("2.0.0-rc.2", Level::Major, "2.0.0"),
            ("1.3.0-rc2", Level::Prerelease, "1.3.0-rc3"),
            ("v1.2.3+build", Level::Patch, "v1.2.4"),
        ];
        for (from, level, want) in cases {
            assert_eq!(
                s.next(Some(&semver(from)), level).unwrap().to_string(),
                want,
                "{from} {level}"
            );
        }
        assert_eq!(s.next(None, Level::Minor).unwrap().to_string(), "0.1.0");
    }

    #[test]
    fn promote_requires_a_candidate_when_the_scheme_says_so() {
        let strict = Scheme::semver().with_candidates(super::super::CandidatePolicy {
            required: true,
            ..Default::default()
        });
        let final_v = semver("3.6.7");
        assert!(strict.promote(&final_v, &[]).unwrap_err().is_refused());
        let p = strict
            .promote(&final_v, &[semver("3.6.7-rc1"), semver("3.6.7-rc2")])
            .unwrap();
        assert_eq!(p.from.unwrap().to_string(), "3.6.7-rc2");
        assert!(
            strict
                .promote(&semver("3.6.7-rc2"), std::slice::from_ref(&final_v))
                .unwrap_err()
                .is_refused()
        );
        assert_eq!(Scheme::semver().promote(&final_v, &[]).unwrap().from, None);
    }

    /// Found by fuzzing: promoting `0.0.77+0` answered `0.0.77`, which
    /// sorts below it. A final keeps its build metadata; a candidate's is
    /// dropped; a final differing only in build metadata is already out.
    #[test]
    fn promote_never_answers_below_its_input() {
        let s = Scheme::semver();
        let built = semver("0.0.77+0");
        let p = s.promote(&built, &[]).unwrap();
        assert_eq!(p.to.to_string(), "0.0.77+0");
        assert!(p.to >= built);
        let rc = semver("1.0.0-rc.1+b5");
        assert_eq!(s.promote(&rc, &[]).unwrap().to.to_string(), "1.0.0");
        let err = s.promote(&built, &[semver("0.0.77")]).unwrap_err();
        assert!(err.is_refused(), "{err}");
        assert!(
            err.to_string().contains("0.0.77 is already released"),
            "{err}"
        );
        let err = s
            .promote(&semver("0.0.77"), std::slice::from_ref(&built))
            .unwrap_err();
        assert!(err.is_refused(), "{err}");
        // A candidate with build metadata is still the candidate promoted.
        let p = s
            .promote(&semver("2.0.0"), &[semver("2.0.0-rc.1+linux")])
            .unwrap();
        assert_eq!(p.from.unwrap().to_string(), "2.0.0-rc.1+linux");
    }

    #[test]
    fn calver_next_counts_per_period_and_only_conforming() {
        let s = Scheme::calver("YYYY.0M.MICRO").unwrap();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let existing = vec![s.parse("2023.05.1").unwrap(), s.parse("2023.06.1").unwrap()];
        assert_eq!(
            s.next_for_date(d(2023, 6, 20), &existing)
                .unwrap()
                .to_string(),
            "2023.06.2"
        );
        assert_eq!(
            s.next_for_date(d(2023, 7, 1), &existing)
                .unwrap()
                .to_string(),
            "2023.07.1"
        );
        assert!(
            s.next_for_date(d(2023, 5, 1), &existing)
                .unwrap_err()
                .is_refused()
        );
        let with_rc = vec![
            s.parse("2023.06.1").unwrap(),
            s.parse("2023.06.2-rc1").unwrap(),
        ];
        assert_eq!(
            s.next_for_date(d(2023, 6, 20), &with_rc)
                .unwrap()
                .to_string(),
            "2023.06.2"
        );
        let daily = Scheme::calver("YYYY.0M.0D").unwrap();
        let today = vec![daily.parse("2023.06.20").unwrap()];
        assert!(
            daily
                .next_for_date(d(2023, 6, 20), &today)
                .unwrap_err()
                .is_refused()
        );
    }
}
