//! Version schemes and the versions they read.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::calver::{CalVerFormat, CalVersion};
use super::fail::Fail;
use super::pep440::{self, Pep440Version};
use super::prerelease::CounterStyle;
use super::semver::{self as sv, SemVersion, VPrefix};
use super::stage;
use crate::Result;

/// How a scheme spells and requires release candidates.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct CandidatePolicy {
    /// The label of new pre-releases: `rc` gives `-rc.1`.
    pub label: String,
    /// `rc.1` or `rc1`.
    pub style: CounterStyle,
    /// Whether a final may only be released by promoting a candidate (the
    /// eCR process publishes a beta first, then removes the suffix).
    pub required: bool,
    /// The pre-release stages, in order (`["alpha", "beta", "rc"]`); empty
    /// (the default) declares none, and any label is read. A scheme that
    /// declares stages refuses a pre-release label outside them
    /// (`1.0.0-hotfix.1`), unless [`lenient_stages`](Self::lenient_stages);
    /// see [`Scheme::next_stage`]. PEP 440's stages are fixed (`a`, `b`,
    /// `rc`) and this list is not read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stages: Vec<String>,
    /// Read a pre-release label outside [`stages`](Self::stages) with a
    /// warning ([`Scheme::stage_warnings`]) instead of refusing it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lenient_stages: bool,
}

impl Default for CandidatePolicy {
    fn default() -> Self {
        CandidatePolicy {
            label: "rc".to_owned(),
            style: CounterStyle::Dotted,
            required: false,
            stages: Vec::new(),
            lenient_stages: false,
        }
    }
}

/// Settings of a SemVer scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SemVerScheme {
    /// Whether tags carry a `v`.
    #[serde(default)]
    pub v_prefix: VPrefix,
    /// How release candidates are spelled and whether they are required.
    #[serde(default)]
    pub candidates: CandidatePolicy,
}

/// Settings of a CalVer scheme.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CalVerScheme {
    /// The format, e.g. `YYYY.0M.MICRO`.
    pub format: CalVerFormat,
    /// The counter of the first release in a period. Fragalysis starts at 1
    /// (`2023.06.1`, "the first release in June 2023"), which is the
    /// default; calver.org examples often start at 0.
    #[serde(default = "one")]
    pub first_micro: u64,
    /// How release candidates are spelled and whether they are required.
    #[serde(default)]
    pub candidates: CandidatePolicy,
}

/// Settings of a PEP 440 scheme (Python's versions).
///
/// ```toml
/// scheme = { kind = "pep440" }
/// scheme = { kind = "pep440", candidates = { label = "b" } }
/// ```
///
/// New pre-releases take the candidate label as a PEP 440 stage: `a`,
/// `b`, `rc` (or `alpha`, `beta`, `c`, `pre`, `preview`, which PEP 440
/// spells `a`, `b`, `rc`); the counter is attached (`rc1`), as PEP 440's
/// normal form writes it, whatever the counter style.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pep440Scheme {
    /// The label of new pre-releases and whether a candidate is required.
    #[serde(default)]
    pub candidates: CandidatePolicy,
}

fn one() -> u64 {
    1
}

/// A version scheme: how versions are written, read and ordered.
///
/// Serialised as a table with a `kind`:
///
/// ```toml
/// scheme = { kind = "semver", v_prefix = "always" }
/// scheme = { kind = "calver", format = "YYYY.0M.MICRO" }
/// scheme = { kind = "pep440" }
/// ```
///
/// # Example
///
/// ```
/// use release_core::version::Scheme;
///
/// let semver = Scheme::semver();
/// assert_eq!(semver.parse("v1.2.3")?.to_string(), "v1.2.3");
///
/// let calver = Scheme::calver("YYYY.0M.MICRO")?;
/// assert!(calver.parse("2023.6.2").is_err()); // the month is not padded
///
/// let pep440 = Scheme::pep440();
/// assert!(pep440.parse("3.14.0b3")? < pep440.parse("3.14.0rc1")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Scheme {
    /// Semantic Versioning 2.0.0.
    SemVer(SemVerScheme),
    /// Calendar versioning by a format string.
    CalVer(CalVerScheme),
    /// PEP 440, Python's versions (`3.14.0rc1`, `1!2.0`, `1.0.post1`).
    Pep440(Pep440Scheme),
}

impl Scheme {
    /// The kinds of scheme, as `release.toml` (`kind = "semver"`), the CLI's
    /// `--scheme` and Python's `Scheme.kind` spell them.
    pub const KINDS: &'static [&'static str] = &["semver", "calver", "pep440"];

    /// This scheme's kind, one of [`KINDS`](Scheme::KINDS).
    pub fn kind(&self) -> &'static str {
        match self {
            Scheme::SemVer(_) => Self::KINDS[0],
            Scheme::CalVer(_) => Self::KINDS[1],
            Scheme::Pep440(_) => Self::KINDS[2],
        }
    }

    /// PEP 440 with `rc1` candidates.
    ///
    /// ```
    /// use release_core::version::Scheme;
    ///
    /// let s = Scheme::pep440();
    /// assert_eq!(s.parse("1.0RC1")?.to_string(), "1.0RC1"); // kept as written
    /// assert_eq!(s.parse("1.0RC1")?, s.parse("1.0rc1")?); // ordered as normalised
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn pep440() -> Scheme {
        Scheme::Pep440(Pep440Scheme {
            candidates: CandidatePolicy {
                style: CounterStyle::Attached,
                ..CandidatePolicy::default()
            },
        })
    }

    /// SemVer with an optional `v` prefix and `rc.N` candidates.
    pub fn semver() -> Scheme {
        Scheme::SemVer(SemVerScheme::default())
    }

    /// SemVer with the given `v` prefix policy.
    pub fn semver_with_prefix(v_prefix: VPrefix) -> Scheme {
        Scheme::SemVer(SemVerScheme {
            v_prefix,
            ..SemVerScheme::default()
        })
    }

    /// CalVer with the given format, counters starting at 1.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the format is invalid.
    pub fn calver(format: &str) -> Result<Scheme> {
        Ok(Scheme::CalVer(CalVerScheme {
            format: CalVerFormat::new(format)?,
            first_micro: 1,
            candidates: CandidatePolicy::default(),
        }))
    }

    /// This scheme with another candidate policy.
    pub fn with_candidates(mut self, policy: CandidatePolicy) -> Scheme {
        match &mut self {
            Scheme::SemVer(s) => s.candidates = policy,
            Scheme::CalVer(s) => s.candidates = policy,
            Scheme::Pep440(s) => s.candidates = policy,
        }
        self
    }

    /// The candidate policy.
    pub fn candidates(&self) -> &CandidatePolicy {
        match self {
            Scheme::SemVer(s) => &s.candidates,
            Scheme::CalVer(s) => &s.candidates,
            Scheme::Pep440(s) => &s.candidates,
        }
    }

    /// Reads a version (the part of a tag that the template calls
    /// `{version}`).
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) that quotes the text, names
    /// the scheme and says what was expected where.
    pub fn parse(&self, text: &str) -> Result<Version> {
        self.parse_inner(text)
            .map_err(|fail| fail.into_error("version", text, Some(&self.describe())))
    }

    /// Whether `text` is a version of this scheme.
    pub fn conforms(&self, text: &str) -> bool {
        self.parse_inner(text).is_ok()
    }

    pub(crate) fn parse_inner(&self, text: &str) -> std::result::Result<Version, Fail> {
        match self {
            Scheme::SemVer(s) => sv::parse(text, s.v_prefix).map(Version::SemVer),
            Scheme::CalVer(s) => s.format.parse_inner(text).map(Version::CalVer),
            Scheme::Pep440(_) => pep440::parse(text).map(Version::Pep440),
        }
        .and_then(|v| {
            if stage::check(self, &v) {
                Ok(v)
            } else {
                Err(Fail::Stage)
            }
        })
    }

    /// [`parse_inner`](Self::parse_inner) without the reason: the bulk path.
    #[inline]
    pub(crate) fn parse_quiet(&self, text: &str) -> Option<Version> {
        match self {
            Scheme::SemVer(s) => sv::parse_quiet(text, s.v_prefix).map(Version::SemVer),
            Scheme::CalVer(s) => s.format.parse_inner(text).ok().map(Version::CalVer),
            Scheme::Pep440(_) => pep440::parse(text).ok().map(Version::Pep440),
        }
        .filter(|v| stage::check(self, v))
    }

    /// A short description for messages: `SemVer` or `format YYYY.0M.MICRO`.
    pub fn describe(&self) -> String {
        let stages = &self.candidates().stages;
        if !stages.is_empty() && !matches!(self, Scheme::Pep440(_)) {
            return format!("{} (stages {})", self.describe_kind(), stages.join(", "));
        }
        self.describe_kind()
    }

    pub(crate) fn describe_kind(&self) -> String {
        match self {
            Scheme::SemVer(s) => match s.v_prefix {
                VPrefix::Never => "SemVer (no 'v' prefix)".to_owned(),
                VPrefix::Always => "SemVer (with 'v' prefix)".to_owned(),
                VPrefix::Optional => "SemVer".to_owned(),
            },
            Scheme::CalVer(s) => format!("format {}", s.format),
            Scheme::Pep440(_) => "PEP 440".to_owned(),
        }
    }
}

impl fmt::Display for Scheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A version of some scheme: SemVer, CalVer or PEP 440.
///
/// Versions of one scheme are totally ordered by precedence. Across schemes
/// every SemVer version sorts before every CalVer version, and every CalVer
/// version before every PEP 440 one, which only matters if a caller mixes
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Version {
    /// A SemVer version.
    SemVer(SemVersion),
    /// A CalVer version.
    CalVer(CalVersion),
    /// A PEP 440 version.
    Pep440(Pep440Version),
}

impl Version {
    /// Whether this is a pre-release.
    pub fn is_prerelease(&self) -> bool {
        match self {
            Version::SemVer(v) => v.is_prerelease(),
            Version::CalVer(v) => v.is_prerelease(),
            Version::Pep440(v) => v.is_prerelease(),
        }
    }

    /// The pre-release as spelled, if any.
    pub fn prerelease(&self) -> Option<&str> {
        match self {
            Version::SemVer(v) => v.prerelease(),
            Version::CalVer(v) => v.prerelease(),
            Version::Pep440(v) => v.prerelease(),
        }
    }

    /// Warnings about how the version is spelled (lenient reads, such as
    /// an uppercase pre-release label).
    pub fn warnings(&self) -> Vec<crate::Warning> {
        match self {
            Version::SemVer(v) => v.warnings(),
            Version::CalVer(v) => v.warnings(),
            Version::Pep440(v) => v.warnings(),
        }
    }

    /// The SemVer version, if this is one.
    pub fn as_semver(&self) -> Option<&SemVersion> {
        match self {
            Version::SemVer(v) => Some(v),
            _ => None,
        }
    }

    /// The CalVer version, if this is one.
    pub fn as_calver(&self) -> Option<&CalVersion> {
        match self {
            Version::CalVer(v) => Some(v),
            _ => None,
        }
    }

    /// The PEP 440 version, if this is one.
    pub fn as_pep440(&self) -> Option<&Pep440Version> {
        match self {
            Version::Pep440(v) => Some(v),
            _ => None,
        }
    }

    /// `"semver"`, `"calver"` or `"pep440"`, one of [`Scheme::KINDS`].
    pub fn kind(&self) -> &'static str {
        match self {
            Version::SemVer(_) => Scheme::KINDS[0],
            Version::CalVer(_) => Scheme::KINDS[1],
            Version::Pep440(_) => Scheme::KINDS[2],
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::SemVer(v) => v.fmt(f),
            Version::CalVer(v) => v.fmt(f),
            Version::Pep440(v) => v.fmt(f),
        }
    }
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}
