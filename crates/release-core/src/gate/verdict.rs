//! Verdicts: every reason, not only the first.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::fact::FactKey;
use super::waiver::Waiver;

/// The status of a gate, a reason, or a whole verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// It holds.
    Passed,
    /// It does not hold.
    Failed,
    /// A fact is missing, or time has yet to pass.
    Pending,
    /// It did not hold, but a waiver lets it through.
    Waived,
}

crate::vocabulary! {
    Status, "gate status",
    {
        Passed => "passed",
        Failed => "failed",
        Pending => "pending",
        Waived => "waived",
    }
}

impl Status {
    /// Whether this lets a step proceed (passed or waived).
    pub fn is_ok(self) -> bool {
        matches!(self, Status::Passed | Status::Waived)
    }
}

/// One reason in a verdict: a leaf rule's outcome, or a waiver.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reason {
    /// The gate this reason belongs to.
    pub gate: String,
    /// What this reason contributes. Inside a `not`, a rule that holds
    /// contributes `failed`.
    pub status: Status,
    /// Whether the reason can hold the gate back; `false` for advisory
    /// matrix cells, which are reported but never block.
    pub blocking: bool,
    /// The rule, briefly: `approvals qa >= 2`, `not: test "e2e"`.
    pub rule: String,
    /// Why, for humans.
    pub detail: String,
    /// The fact whose absence keeps this reason pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<FactKey>,
    /// When a pending reason will pass by the passage of time alone (soak),
    /// or when a fact it used expires.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
    /// The waiver that let this through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiver: Option<Waiver>,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mark = match (self.status, self.blocking) {
            (Status::Passed, _) => "ok",
            (Status::Failed, true) => "FAIL",
            (Status::Failed, false) | (Status::Pending, false) => "warn",
            (Status::Pending, true) => "wait",
            (Status::Waived, _) => "WAIVED",
        };
        write!(f, "{mark:<6} {}: {}: {}", self.gate, self.rule, self.detail)
    }
}

/// The verdict of one or more gates: an overall status and every reason.
///
/// `Display` is for humans (one line per reason); `Serialize` for JSON.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::gate::{evaluate, Fact, FactKind, FactValue, Facts, Gate, Rule, Status};
///
/// let now = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let gates = [
///     Gate::new("blockers", Rule::count("open_blockers", 0)),
///     Gate::new("qa", Rule::approvals("qa", 1)),
/// ];
/// let mut facts = Facts::new();
/// facts.record(Fact::new(FactKind::Count, "open_blockers", FactValue::Count(0), "jira", now));
/// let verdict = evaluate(&gates, &facts, &[], now);
/// assert_eq!(verdict.status, Status::Pending);
/// assert_eq!(verdict.to_string(), "\
/// pending
///   ok     blockers: count \"open_blockers\" <= 0: 0 open_blockers (from jira at 2026-03-03T09:00:00Z)
///   wait   qa: approvals \"qa\" >= 1: 0 of 1 approvals by qa; missing fact approval \"qa\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Verdict {
    /// Failed if a blocking reason failed; else pending if one is pending;
    /// else waived if a waiver was needed; else passed.
    pub status: Status,
    /// Every reason, in gate and rule order.
    pub reasons: Vec<Reason>,
    /// The next instant at which the verdict may change without a new
    /// fact (a soak completes, a fact expires).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_change: Option<DateTime<Utc>>,
}

impl Verdict {
    /// A verdict with no gates: passed.
    pub fn passed() -> Verdict {
        Verdict {
            status: Status::Passed,
            reasons: Vec::new(),
            next_change: None,
        }
    }

    /// Whether the step may proceed (passed or waived).
    pub fn is_ok(&self) -> bool {
        self.status.is_ok()
    }

    /// The facts whose absence keeps the verdict pending (advisory cells
    /// aside).
    pub fn missing(&self) -> impl Iterator<Item = &FactKey> {
        self.reasons
            .iter()
            .filter(|r| r.status == Status::Pending && r.blocking)
            .filter_map(|r| r.missing.as_ref())
    }

    /// The blocking reasons that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Reason> {
        self.reasons
            .iter()
            .filter(|r| r.status == Status::Failed && r.blocking)
    }

    /// The waivers applied.
    pub fn waivers(&self) -> impl Iterator<Item = &Waiver> {
        self.reasons.iter().filter_map(|r| r.waiver.as_ref())
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(at) = self.next_change {
            write!(
                f,
                " (may change at {})",
                at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
            )?;
        }
        for reason in &self.reasons {
            write!(f, "\n  {reason}")?;
        }
        Ok(())
    }
}
