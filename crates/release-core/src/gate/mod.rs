//! Gates: rules over facts, approvals and waivers, with verdicts that give
//! every reason.
//!
//! A [`Gate`] names a [`Rule`]. Rules read [`Fact`]s: typed values with a
//! kind, a subject, a source and a time. Rules compose with `all`, `any`
//! and `not`. A missing fact makes a rule **pending**, not failed, and the
//! [`Verdict`] names the missing fact. A [`Waiver`] lets a gate or a matrix
//! cell through on someone's word, and the verdict shows who, why and when.
//!
//! The core reads no clock: `now` is always an argument. Calendar answers
//! (holiday, window open) come in as facts of kinds `calendar.holiday` and
//! `calendar.window_open`; a caller computes them from the calendar module
//! for the instant it evaluates.
//!
//! # Example
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use release_core::gate::{evaluate, Fact, FactKind, FactValue, Facts, Gate, Rule, Status};
//! use release_core::duration::Span;
//!
//! let t = |h| Utc.with_ymd_and_hms(2026, 3, 3, h, 0, 0).unwrap();
//! let gates = [
//!     Gate::new("soak", Rule::soak("staging", Span::hours(24))),
//!     Gate::new("blockers", Rule::count("open_blockers", 0)),
//! ];
//! let mut facts = Facts::new();
//! facts.record(Fact::new(FactKind::Deployed, "staging", FactValue::Text("2023.06.2".into()), "awx", t(8)));
//! facts.record(Fact::new(FactKind::Count, "open_blockers", FactValue::Count(0), "jira", t(9)));
//! let verdict = evaluate(&gates, &facts, &[], t(10));
//! assert_eq!(verdict.status, Status::Pending);
//! assert_eq!(verdict.next_change, Some(Utc.with_ymd_and_hms(2026, 3, 4, 8, 0, 0).unwrap()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod evaluate;
mod fact;
mod requirement;
mod role;
mod rule;
mod verdict;
mod waiver;

pub use self::evaluate::{evaluate, evaluate_with};
pub use self::fact::{Fact, FactKey, FactKind, FactValue, Facts};
pub use self::requirement::Requirement;
pub(crate) use self::role::Allowed;
pub use self::role::{People, Role, SelfApproval, asks_for_approvals};
pub use self::rule::{CellSpec, Gate, Rule};
pub use self::verdict::{Reason, Status, Verdict};
pub use self::waiver::{Waiver, WaiverTarget};
