//! Facts: typed, sourced, timestamped values that gates decide on.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a fact is about. Each [`Rule`](super::Rule) reads facts of one kind.
///
/// Serialised as its name (`"test"`, `"calendar.holiday"`). The calendar
/// kinds carry answers of a calendar computed by the caller (today the
/// calendar module and gates are joined through these facts; a calendar can
/// produce them for any instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum FactKind {
    /// A test or check result: subject is the test (or task) name, value a
    /// boolean, or `"skipped"`.
    Test,
    /// A count: subject is what is counted (`open_blockers`), value a number.
    Count,
    /// An approval: subject is the role, value the person who approved. A
    /// run refuses these as facts (its approvals come from `approved`
    /// events, which say who approved); a plan or an explanation without a
    /// journal takes them when `source` names their author.
    Approval,
    /// Who requested the release: value is the person. Their own approval
    /// does not count. A run refuses these (its requester is its
    /// `requested` event, fixed at the start); a plan or an explanation
    /// without a journal takes one.
    Requester,
    /// Whether the instant is a holiday of a calendar: subject is the
    /// calendar, value a boolean.
    Holiday,
    /// Whether a window is open: subject is the window, value a boolean.
    WindowOpen,
    /// When a milestone of the release is: subject is the milestone, value
    /// its instant in RFC 3339 (`"2024-05-07T12:00:00Z"`).
    Milestone,
    /// An artifact was deployed: subject is the environment, value the
    /// artifact (a tag), the fact's time is when it was deployed.
    Deployed,
    /// A component's release tag: subject is the component, value the tag.
    Tag,
    /// A pinned upstream tag: subject is the upstream component, value
    /// `{ tag, branch }`.
    Pin,
    /// A value a step reported (its `RELEASE_OUTPUT` file): subject is
    /// `<task>.<name>` (`build.digest`), value text, source the task. Only
    /// a step's outcome makes one: it is never an approval, a requester or
    /// a fact of another kind.
    Output,
}

crate::vocabulary! {
    FactKind, "fact kind",
    {
        Test => "test",
        Count => "count",
        Approval => "approval",
        Requester => "requester",
        Holiday => "calendar.holiday",
        WindowOpen => "calendar.window_open",
        Milestone => "calendar.milestone",
        Deployed => "deployed",
        Tag => "tag",
        Pin => "pin",
        Output => "output",
    }
}

impl FactKind {
    /// Every kind, in a fixed order.
    pub const ALL: [FactKind; 11] = [
        FactKind::Test,
        FactKind::Count,
        FactKind::Approval,
        FactKind::Requester,
        FactKind::Holiday,
        FactKind::WindowOpen,
        FactKind::Milestone,
        FactKind::Deployed,
        FactKind::Tag,
        FactKind::Pin,
        FactKind::Output,
    ];
}

/// The value of a fact. Serialised untagged, so facts read naturally:
/// `value = true`, `value = 0`, `value = "2023.06.2"`,
/// `value = { tag = "2023.05.1", branch = "production" }`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum FactValue {
    /// Yes or no: a test passed, a day is a holiday.
    Bool(bool),
    /// A number: open blockers.
    Count(i64),
    /// Text: a person, a tag, an artifact, `"skipped"`.
    Text(String),
    /// A tag and the branch it was made from (pins).
    Pinned {
        /// The tag.
        tag: String,
        /// The branch the tag is on, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        branch: Option<String>,
    },
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Count(n) => write!(f, "{n}"),
            FactValue::Text(t) => write!(f, "{t:?}"),
            FactValue::Pinned { tag, branch: None } => write!(f, "{tag:?}"),
            FactValue::Pinned {
                tag,
                branch: Some(b),
            } => write!(f, "{tag:?} on branch {b:?}"),
        }
    }
}

/// A fact: a typed value about a subject, from a source, at a time.
///
/// A fact may expire (a calendar's "the window is open" holds until the
/// window closes); an expired fact counts as missing.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::gate::{Fact, FactKind, FactValue};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let fact = Fact::new(FactKind::Count, "open_blockers", FactValue::Count(0), "jira", at);
/// assert_eq!(fact.to_string(), "count \"open_blockers\" = 0 (from jira at 2026-03-03T09:00:00Z)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Fact {
    /// What the fact is about.
    pub kind: FactKind,
    /// Which test, count, role, calendar, environment or component.
    #[serde(default)]
    pub subject: String,
    /// The value.
    pub value: FactValue,
    /// Who or what reported it (a CI system, a person, a calendar).
    #[serde(default)]
    pub source: String,
    /// When it was observed (for `deployed`, when the deployment happened).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::Instant"))]
    pub at: DateTime<Utc>,
    /// When it stops holding, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::Instant>")
    )]
    pub expires: Option<DateTime<Utc>>,
}

impl Fact {
    /// A fact that does not expire.
    pub fn new(
        kind: FactKind,
        subject: impl Into<String>,
        value: FactValue,
        source: impl Into<String>,
        at: DateTime<Utc>,
    ) -> Fact {
        Fact {
            kind,
            subject: subject.into(),
            value,
            source: source.into(),
            at,
            expires: None,
        }
    }

    /// This fact, expiring at `expires`.
    pub fn expiring(self, expires: DateTime<Utc>) -> Fact {
        Fact {
            expires: Some(expires),
            ..self
        }
    }

    /// The key that rules look facts up by.
    pub fn key(&self) -> FactKey {
        FactKey::new(self.kind, &self.subject)
    }

    /// Whether the fact holds at `now` (it has not expired).
    pub fn holds_at(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_none_or(|e| now < e)
    }
}

impl fmt::Display for Fact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.key(), self.value)?;
        let at = self.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
        if self.source.is_empty() {
            write!(f, " (at {at})")
        } else {
            write!(f, " (from {} at {at})", self.source)
        }
    }
}

/// The kind and subject of a fact: what a rule asks for, and what a
/// pending verdict names as missing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactKey {
    /// The kind.
    pub kind: FactKind,
    /// The subject.
    #[serde(default)]
    pub subject: String,
}

impl FactKey {
    /// A key.
    pub fn new(kind: FactKind, subject: &str) -> FactKey {
        FactKey {
            kind,
            subject: subject.to_owned(),
        }
    }
}

impl fmt::Display for FactKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.subject.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{} {:?}", self.kind, self.subject)
        }
    }
}

/// The facts known so far, indexed by kind and subject.
///
/// Later facts supersede earlier ones for the same key ("latest" is by the
/// fact's time, then by the order recorded); approvals accumulate.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::gate::{Fact, FactKind, FactValue, Facts};
///
/// let t = |h| Utc.with_ymd_and_hms(2026, 3, 3, h, 0, 0).unwrap();
/// let mut facts = Facts::new();
/// facts.record(Fact::new(FactKind::Count, "open_blockers", FactValue::Count(2), "jira", t(9)));
/// facts.record(Fact::new(FactKind::Count, "open_blockers", FactValue::Count(0), "jira", t(10)));
/// let latest = facts.latest(FactKind::Count, "open_blockers", t(11)).unwrap();
/// assert_eq!(latest.value, FactValue::Count(0));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "Vec<Fact>", into = "Vec<Fact>")]
pub struct Facts {
    all: Vec<Fact>,
    by_key: BTreeMap<FactKey, Vec<usize>>,
}

impl Facts {
    /// No facts.
    pub fn new() -> Facts {
        Facts::default()
    }

    /// Adds a fact.
    pub fn record(&mut self, fact: Fact) {
        let index = self.all.len();
        self.by_key.entry(fact.key()).or_default().push(index);
        self.all.push(fact);
    }

    /// Every fact, in the order recorded.
    pub fn iter(&self) -> impl Iterator<Item = &Fact> {
        self.all.iter()
    }

    /// How many facts are known.
    pub fn len(&self) -> usize {
        self.all.len()
    }

    /// Whether no fact is known.
    pub fn is_empty(&self) -> bool {
        self.all.is_empty()
    }

    /// Every fact of a key that holds at `now`, in the order recorded: made
    /// at or before `now` and not expired (a fact from the future does not
    /// count yet, so answers at a past `now` are reproducible).
    pub fn all_of(
        &self,
        kind: FactKind,
        subject: &str,
        now: DateTime<Utc>,
    ) -> impl Iterator<Item = &Fact> {
        let key = FactKey::new(kind, subject);
        self.by_key
            .get(&key)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.all.get(i))
            .filter(move |f| f.at <= now && f.holds_at(now))
    }

    /// The latest fact of a key that holds at `now`: the one with the
    /// latest time, and of those the last recorded.
    pub fn latest(&self, kind: FactKind, subject: &str, now: DateTime<Utc>) -> Option<&Fact> {
        // `max_by_key` returns the last of equal maxima: the last recorded.
        self.all_of(kind, subject, now).max_by_key(|f| f.at)
    }

    /// The earliest expiry after `now` among facts that hold now: when an
    /// answer may change without a new fact.
    pub fn next_expiry(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.all
            .iter()
            .filter_map(|f| f.expires)
            .filter(|&e| e > now)
            .min()
    }
}

impl From<Vec<Fact>> for Facts {
    fn from(all: Vec<Fact>) -> Facts {
        let mut facts = Facts::new();
        for fact in all {
            facts.record(fact);
        }
        facts
    }
}

impl From<Facts> for Vec<Fact> {
    fn from(facts: Facts) -> Vec<Fact> {
        facts.all
    }
}

impl FromIterator<Fact> for Facts {
    fn from_iter<I: IntoIterator<Item = Fact>>(iter: I) -> Facts {
        let mut facts = Facts::new();
        for fact in iter {
            facts.record(fact);
        }
        facts
    }
}
