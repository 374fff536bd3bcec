//! Release calendars: recurrences in IANA time zones, holidays with
//! policies, windows, milestones and rotations, and ICS export.
//!
//! Every query takes `now` as an argument: the core has no clock.

pub mod builtin;
mod holiday;
mod recurrence;
mod zone;

pub use self::holiday::{Holiday, HolidayDate, HolidayOn, HolidaySet, Observed, easter};
pub use self::recurrence::{ByDay, Dates, Frequency, Recurrence, Rule, Until};
pub use self::zone::{Resolution, Zone};
