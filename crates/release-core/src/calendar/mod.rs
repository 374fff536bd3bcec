//! Release calendars: recurrences in IANA time zones, holidays with
//! policies, windows, milestones and rotations, and ICS export.
//!
//! Every query takes `now` as an argument: the core has no clock.

pub mod builtin;
mod holiday;
mod policy;
mod recurrence;
mod rrule;
mod schedule;
mod workdays;
mod zone;

pub use self::holiday::{Holiday, HolidayDate, HolidayOn, HolidaySet, Observed, easter};
pub use self::policy::HolidayPolicy;
pub use self::rrule::DtStart;
pub use self::recurrence::{ByDay, Dates, Frequency, Recurrence, Rule, Until};
pub use self::schedule::{Explanation, HolidaySource, Occurrence, Occurrences, Override, Schedule};
pub use self::workdays::WorkDays;
pub use self::zone::{Resolution, Zone};
