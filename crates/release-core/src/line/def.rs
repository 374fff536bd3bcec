//! Release lines as `release.toml` writes them: the key that groups
//! versions into lines, the support phases and the lines they apply to,
//! and the dates a process declares.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::calendar::Offset;

/// A phase of a release line's life: what support a line gets.
///
/// Distinct from a pre-release stage (alpha, beta, candidate), which is a
/// property of a version; a support phase is a property of a line on a
/// date. Which phases a process uses, and when each starts, is data
/// ([`PhaseRule`]); a line is supported from its first release until its
/// `end_of_life` phase starts.
///
/// ```
/// use release_core::line::SupportPhase;
///
/// let phase: SupportPhase = "end_of_life".parse()?;
/// assert_eq!(phase, SupportPhase::EndOfLife);
/// assert!(!phase.is_supported());
/// assert_eq!(SupportPhase::Active.as_str(), "active");
/// # Ok::<(), release_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum SupportPhase {
    /// The newest line, receiving most changes (Node.js "Current").
    Current,
    /// Active long-term support: audited fixes and features (Node.js
    /// "Active LTS").
    Active,
    /// Bug fixes and security fixes, no features (CPython's "bugfix"
    /// status).
    Bugfix,
    /// Critical bug fixes and security updates only (Node.js
    /// "Maintenance").
    Maintenance,
    /// Security fixes only.
    Security,
    /// No longer supported.
    EndOfLife,
}

crate::vocabulary! {
    SupportPhase, "support phase",
    {
        Current => "current",
        Active => "active",
        Bugfix => "bugfix",
        Maintenance => "maintenance",
        Security => "security",
        EndOfLife => "end_of_life",
    }
}

impl SupportPhase {
    /// Whether a line in this phase is supported (every phase but
    /// `end_of_life`).
    pub fn is_supported(self) -> bool {
        self != SupportPhase::EndOfLife
    }
}

/// Which versions share a line.
///
/// - A number `N` (SemVer): the first `N` release components, 1 or 2.
///   `key = 1` makes majors the lines (Node.js `20` holds `20.0.0` ..
///   `20.18.1`); `key = 2` makes `1.35` hold `1.35.0`, `1.35.4` and
///   `1.35.5-rc.1` (pre-releases belong to the line of their release
///   components).
/// - A text (CalVer): a prefix of the scheme's format, ending at a field:
///   `key = "YYYY"` on `YYYY.0M.MICRO` makes `2024` hold `2024.01.1` and
///   `2024.11.3`; `key = "YYYY.0M"` makes `2024.01` a line.
/// - A table of lists (any scheme): each line named, with its versions:
///   `key = { "lts-2024" = ["2024.01.1", "2024.01.2"] }`; a version in no
///   list is in no line, and a version may be in only one list.
///
/// ```toml
/// lines = { key = 2 }
/// lines = { key = "YYYY" }
/// lines = { key = { "stable" = ["1.0.0", "1.0.1"], "next" = ["2.0.0-rc.1"] } }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum LineKey {
    /// The first N SemVer release components (1 or 2).
    Components(u8),
    /// A prefix of the CalVer format (`YYYY`, `YYYY.0M`).
    Prefix(String),
    /// Lines named, each with the version texts it holds.
    Explicit(BTreeMap<String, Vec<String>>),
}

/// Which parity a line's number has, for [`LineSelector`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineParity {
    /// Every line.
    All,
    /// Lines whose number is even (Node.js LTS majors).
    Even,
    /// Lines whose number is odd.
    Odd,
}

crate::vocabulary! {
    LineParity, "line parity",
    {
        All => "all",
        Even => "even",
        Odd => "odd",
    }
}

/// The lines a phase applies to.
///
/// A line's number is the last number of its key (`20` for `20`, `35` for
/// `1.35`, `2024` for `2024`); a key without a number (`stable`) is only
/// chosen by `all` or by name.
///
/// ```toml
/// lines = "even"                      # all, even or odd
/// lines = { every = 4, from = 2 }     # 2, 6, 10, ... (each line's number)
/// lines = ["18", "20"]                # a declared list
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum LineSelector {
    /// All lines, even or odd ones.
    Parity(LineParity),
    /// Every `every`-th line number from `from` on.
    Every {
        /// The step, at least 1.
        every: u64,
        /// The first number chosen.
        #[serde(default)]
        from: u64,
    },
    /// The lines named by key.
    List(Vec<String>),
}

impl Default for LineSelector {
    fn default() -> Self {
        LineSelector::Parity(LineParity::All)
    }
}

impl LineSelector {
    fn is_all(&self) -> bool {
        *self == LineSelector::default()
    }
}

/// When a phase starts, for the lines it applies to.
///
/// The start is `from` (an [`Offset`]) after the line's first release, or,
/// with `after_newer = N`, after the first release of the line `N` newer
/// (Node.js: an even line becomes LTS after the next, odd, line is
/// released). A date declared for the line in [`LinesDef::dates`] wins
/// over the rule.
///
/// ```toml
/// phases = [
///   { phase = "current" },
///   { phase = "active", lines = "even", after_newer = 1, from = "6 days then next TU" },
///   { phase = "end_of_life", lines = "even", from = "30 months then next 04-30" },
/// ]
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PhaseRule {
    /// The phase.
    pub phase: SupportPhase,
    /// How long after the reference it starts (`"0 days"`, `"6 months"`,
    /// `"36 months then next 04-30"`); days or longer, no minutes or hours.
    #[serde(default, skip_serializing_if = "Offset::is_zero")]
    pub from: Offset,
    /// Count from the first release of the line this many lines newer
    /// (in key order) instead of the line's own; absent: the line's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after_newer: Option<u32>,
    /// The lines it applies to (default: all).
    #[serde(default, skip_serializing_if = "LineSelector::is_all")]
    pub lines: LineSelector,
}

impl PhaseRule {
    /// `phase` starting `from` after each line's first release, for all
    /// lines.
    pub fn new(phase: SupportPhase, from: Offset) -> PhaseRule {
        PhaseRule {
            phase,
            from,
            after_newer: None,
            lines: LineSelector::default(),
        }
    }

    /// Counted from the first release of the line `n` newer.
    pub fn after_newer(self, n: u32) -> PhaseRule {
        PhaseRule {
            after_newer: Some(n),
            ..self
        }
    }

    /// For the lines `lines` chooses only.
    pub fn lines(self, lines: LineSelector) -> PhaseRule {
        PhaseRule { lines, ..self }
    }
}

/// A component's release lines, as `release.toml` writes them on a
/// `[[components]]` table.
///
/// Tags carry no dates, so a line's first release date is declared
/// (`first_releases`, by line key); a line without one has no dated
/// phases (it is listed, with its versions, but never supported on a
/// date). A date declared in `dates` (by line key, then phase) replaces
/// the rule's for that line, or gives a phase that no rule gives it.
///
/// ```toml
/// [[components]]
/// name = "node"
/// tags = { scheme = { kind = "semver", v_prefix = "always" } }
/// lines.key = 1
/// lines.first_releases = { "20" = "2023-04-18", "21" = "2023-10-17" }
/// lines.phases = [
///   { phase = "current" },
///   { phase = "active", lines = "even", after_newer = 1, from = "6 days then next TU" },
///   { phase = "maintenance", lines = "odd", from = "next 04-01" },
///   { phase = "end_of_life", lines = "odd", from = "next 06-01" },
/// ]
/// lines.dates = { "20" = { maintenance = "2024-10-22", end_of_life = "2026-04-30" } }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LinesDef {
    /// Which versions share a line.
    pub key: LineKey,
    /// Each line's first release date, by line key (`"20" = "2023-04-18"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "BTreeMap<String, crate::schema_shapes::LocalDate>")
    )]
    pub first_releases: BTreeMap<String, NaiveDate>,
    /// The phases and when each starts, in any order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<PhaseRule>,
    /// Declared phase dates, by line key then phase; they win over the
    /// rules (a published date that deviates from the rule).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(
        feature = "schema",
        schemars(
            with = "BTreeMap<String, BTreeMap<SupportPhase, crate::schema_shapes::LocalDate>>"
        )
    )]
    pub dates: BTreeMap<String, BTreeMap<SupportPhase, NaiveDate>>,
}

impl LinesDef {
    /// Lines by `key`, with no dates and no phases.
    pub fn new(key: LineKey) -> LinesDef {
        LinesDef {
            key,
            first_releases: BTreeMap::new(),
            phases: Vec::new(),
            dates: BTreeMap::new(),
        }
    }

    /// With the first release date of line `key`.
    pub fn first_release(mut self, key: impl Into<String>, date: NaiveDate) -> LinesDef {
        self.first_releases.insert(key.into(), date);
        self
    }

    /// With one more phase rule.
    pub fn phase(mut self, rule: PhaseRule) -> LinesDef {
        self.phases.push(rule);
        self
    }

    /// With a declared date of `phase` for line `key`.
    pub fn date(
        mut self,
        key: impl Into<String>,
        phase: SupportPhase,
        date: NaiveDate,
    ) -> LinesDef {
        self.dates
            .entry(key.into())
            .or_default()
            .insert(phase, date);
        self
    }
}
