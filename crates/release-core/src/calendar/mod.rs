//! Release calendars: recurrences in IANA time zones, holidays with
//! policies, windows, milestones and rotations, and ICS export.
//!
//! Every query takes `now` as an argument: the core has no clock.

mod recurrence;
mod zone;

pub use self::recurrence::{ByDay, Dates, Frequency, Recurrence, Rule, Until};
pub use self::zone::{Resolution, Zone};
