//! SemVer 2.0.0 versions as they appear in tags: with or without a `v`, with
//! pre-release counters spelled `-rc.1` or `-rc1`, with build metadata.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};

use super::fail::Fail;
use super::prerelease;

/// Whether tags of a SemVer scheme carry a `v` before the version.
///
/// Both conventions exist in the seed processes (`v1.2.3` and bare
/// `0.8.3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum VPrefix {
    /// Tags are bare: `1.2.3`. A `v1.2.3` tag does not conform.
    Never,
    /// Tags start with `v`: `v1.2.3`. A bare `1.2.3` does not conform.
    Always,
    /// Both are read; new versions keep the spelling of the version they
    /// derive from, and are bare when there is none.
    #[default]
    Optional,
}

crate::vocabulary! {
    VPrefix, "v prefix policy",
    {
        Never => "never",
        Always => "always",
        Optional => "optional",
    }
}

/// A SemVer 2.0.0 version together with the way it was spelled.
///
/// Equality, order and hashing follow SemVer precedence of the *normalised*
/// version (pre-release identifiers lowercased, `rc1` read as `rc.1`), with
/// build metadata as the final tie-break exactly as the `semver` crate does.
/// The spelling (`v`, `-rc1`, `-Beta`) is kept for [`Display`](fmt::Display),
/// so formatting a parsed version gives back the text it was parsed from.
///
/// Values come from [`Scheme::parse`](super::Scheme::parse) or
/// [`SemVersion::parse`].
#[derive(Clone)]
pub struct SemVersion {
    normalised: semver::Version,
    v: bool,
    /// The text after the `v` when it differs from `normalised`'s own
    /// formatting; `None` for the common canonical case, so parsing a plain
    /// `1.2.3` allocates nothing beyond what `semver` does.
    spelling: Option<Box<str>>,
}

impl SemVersion {
    /// Reads a version, accepting an optional `v` prefix.
    ///
    /// # Errors
    ///
    /// Returns a [parse error](crate::ErrorKind::Parse) that quotes the text
    /// and says what was expected.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::SemVersion;
    ///
    /// let v = SemVersion::parse("v3.6.7-rc2")?;
    /// assert_eq!(v.to_string(), "v3.6.7-rc2");
    /// assert_eq!(v.normalised().to_string(), "3.6.7-rc.2");
    /// assert!(v > SemVersion::parse("3.6.7-rc.1")?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(text: &str) -> crate::Result<SemVersion> {
        parse(text, VPrefix::Optional).map_err(|fail| fail.into_error("version", text, None))
    }

    /// Builds a version from a `semver::Version` (spelled canonically).
    pub fn from_semver(version: semver::Version, v: bool) -> SemVersion {
        let version = normalise_version(version);
        SemVersion {
            normalised: version,
            v,
            spelling: None,
        }
    }

    /// The normalised version that precedence is computed on.
    pub fn normalised(&self) -> &semver::Version {
        &self.normalised
    }

    /// Whether the version was written with a `v` prefix.
    pub fn has_v_prefix(&self) -> bool {
        self.v
    }

    /// The major number.
    pub fn major(&self) -> u64 {
        self.normalised.major
    }

    /// The minor number.
    pub fn minor(&self) -> u64 {
        self.normalised.minor
    }

    /// The patch number.
    pub fn patch(&self) -> u64 {
        self.normalised.patch
    }

    /// Whether this is a pre-release (`1.2.3-rc.1`).
    pub fn is_prerelease(&self) -> bool {
        !self.normalised.pre.is_empty()
    }

    /// The pre-release as spelled (`rc1`, `Beta`), if any.
    pub fn prerelease(&self) -> Option<&str> {
        if !self.is_prerelease() {
            return None;
        }
        Some(match &self.spelling {
            Some(spelling) => {
                let after = spelling.split_once('-').map_or("", |(_, pre)| pre);
                after.split_once('+').map_or(after, |(pre, _)| pre)
            }
            None => self.normalised.pre.as_str(),
        })
    }

    /// The build metadata, if any.
    pub fn build(&self) -> Option<&str> {
        (!self.normalised.build.is_empty()).then(|| self.normalised.build.as_str())
    }

    /// Warnings about the spelling: labels read case-insensitively.
    pub fn warnings(&self) -> Vec<crate::Warning> {
        match self.prerelease() {
            Some(pre) if prerelease::has_uppercase(pre) => vec![crate::Warning::new(
                crate::WarningKind::LenientRead,
                format!(
                    "pre-release {pre:?} has uppercase letters; read as {:?} (SemVer would order it before any lowercase label)",
                    pre.to_ascii_lowercase()
                ),
            )],
            _ => Vec::new(),
        }
    }

    pub(crate) fn with_parts(
        &self,
        version: semver::Version,
        pre_spelling: Option<String>,
    ) -> SemVersion {
        let spelling = pre_spelling.map(|pre| {
            let mut text = format!(
                "{}.{}.{}-{pre}",
                version.major, version.minor, version.patch
            );
            if !version.build.is_empty() {
                text.push('+');
                text.push_str(version.build.as_str());
            }
            text
        });
        let normalised = normalise_version(version);
        let spelling = spelling
            .filter(|s| *s != normalised.to_string())
            .map(String::into_boxed_str);
        SemVersion {
            normalised,
            v: self.v,
            spelling,
        }
    }
}

/// Normalises the pre-release of a version built by us or given by a caller.
fn normalise_version(mut version: semver::Version) -> semver::Version {
    if !version.pre.is_empty()
        && let Ok(n) = prerelease::normalise(version.pre.as_str())
    {
        version.pre = n.pre;
    }
    version
}

pub(crate) fn parse(text: &str, prefix: VPrefix) -> Result<SemVersion, Fail> {
    parse_quiet(text, prefix).ok_or_else(|| diagnose(text, prefix))
}

/// Splits a leading `v` off with a byte test (`strip_prefix('v')` goes
/// through the char pattern machinery, which shows in bulk parsing).
fn split_v(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'v') => (true, &text[1..]),
        _ => (false, text),
    }
}

/// Reads a version, or `None`: the bulk path, which builds no reason. A
/// caller that wants one calls [`diagnose`] on failure.
#[inline]
pub(crate) fn parse_quiet(text: &str, prefix: VPrefix) -> Option<SemVersion> {
    let (v, rest) = split_v(text);
    if (prefix == VPrefix::Never && v) || (prefix == VPrefix::Always && !v) {
        return None;
    }
    let mut version = semver::Version::parse(rest).ok()?;
    if version.pre.is_empty() || prerelease::is_normal(version.pre.as_str()) {
        return Some(SemVersion {
            normalised: version,
            v,
            spelling: None,
        });
    }
    let n = prerelease::normalise(version.pre.as_str()).ok()?;
    version.pre = n.pre;
    Some(SemVersion {
        normalised: version,
        v,
        spelling: n.respelled.then(|| Box::from(rest)),
    })
}

/// Why [`parse_quiet`] said no, found by retracing its steps.
#[cold]
fn diagnose(text: &str, prefix: VPrefix) -> Fail {
    let (v, rest) = split_v(text);
    match (prefix, v) {
        (VPrefix::Never, true) => return Fail::UnexpectedV,
        (VPrefix::Always, false) => return Fail::MissingV,
        _ => {}
    }
    match semver::Version::parse(rest) {
        Err(e) => Fail::SemVer(e),
        Ok(version) => match prerelease::normalise(version.pre.as_str()) {
            Err(e) => Fail::Pre(e),
            // `parse_quiet` accepts whatever gets this far.
            Ok(_) => Fail::Template,
        },
    }
}

impl fmt::Display for SemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.v {
            f.write_str("v")?;
        }
        match &self.spelling {
            Some(spelling) => f.write_str(spelling),
            None => fmt::Display::fmt(&self.normalised, f),
        }
    }
}

impl fmt::Debug for SemVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SemVersion({self})")
    }
}

impl PartialEq for SemVersion {
    fn eq(&self, other: &Self) -> bool {
        self.normalised == other.normalised
    }
}

impl Eq for SemVersion {}

impl PartialOrd for SemVersion {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SemVersion {
    fn cmp(&self, other: &Self) -> Ordering {
        self.normalised.cmp(&other.normalised)
    }
}

impl Hash for SemVersion {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.normalised.hash(state);
    }
}

impl std::str::FromStr for SemVersion {
    type Err = crate::Error;

    fn from_str(s: &str) -> crate::Result<SemVersion> {
        SemVersion::parse(s)
    }
}

impl Serialize for SemVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for SemVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        SemVersion::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spelling_round_trips() {
        for text in [
            "1.2.3",
            "v1.2.3",
            "1.2.3-rc1",
            "v1.2.3-rc.1",
            "1.0.0-Beta",
            "1.0.0-rc.1+build.5",
            "2.0.0+sha.abc",
        ] {
            assert_eq!(SemVersion::parse(text).unwrap().to_string(), text);
        }
    }

    #[test]
    fn attached_counters_order_numerically() {
        let rc2 = SemVersion::parse("1.0.0-rc2").unwrap();
        let rc10 = SemVersion::parse("1.0.0-rc10").unwrap();
        assert!(rc2 < rc10);
        assert_eq!(SemVersion::parse("1.0.0-rc.2").unwrap(), rc2);
    }

    #[test]
    fn uppercase_labels_warn() {
        let beta = SemVersion::parse("1.0.0-Beta").unwrap();
        assert!(beta > SemVersion::parse("1.0.0-alpha").unwrap());
        assert_eq!(beta.warnings().len(), 1);
        assert!(
            SemVersion::parse("1.0.0-beta")
                .unwrap()
                .warnings()
                .is_empty()
        );
    }

    #[test]
    fn prefix_policy() {
        assert!(matches!(
            parse("v1.2.3", VPrefix::Never).unwrap_err(),
            Fail::UnexpectedV
        ));
        assert!(matches!(
            parse("1.2.3", VPrefix::Always).unwrap_err(),
            Fail::MissingV
        ));
        assert!(parse("v1.2.3", VPrefix::Always).is_ok());
    }

    #[test]
    fn prerelease_and_build_accessors() {
        let v = SemVersion::parse("v1.2.3-RC1+b.7").unwrap();
        assert_eq!(v.prerelease(), Some("RC1"));
        assert_eq!(v.build(), Some("b.7"));
        assert_eq!(v.normalised().to_string(), "1.2.3-rc.1+b.7");
    }
}
