//! Release calendars: recurrences in IANA time zones, holidays with
//! policies, windows, offsets and milestones, rotations, and ICS export.
//!
//! Every query takes `now` as an argument: the core has no clock.

pub mod builtin;
mod holiday;
mod ics;
mod milestone;
mod offset;
mod point;
mod policy;
mod recurrence;
mod rotation;
mod rrule;
mod schedule;
mod windows;
mod workdays;
mod zone;

pub use self::holiday::{Holiday, HolidayDate, HolidayOn, HolidaySet, Observed, easter};
pub use self::ics::{IcsCalendar, IcsEvent, PRODID};
pub use self::milestone::{Milestone, MilestoneAt, MilestoneOverride, Milestones};
pub use self::offset::{MonthDay, Offset, OffsetStep, OffsetUnit, Seek};
pub use self::point::CalendarPoint;
pub use self::policy::HolidayPolicy;
pub use self::recurrence::{ByDay, Dates, Frequency, Recurrence, RecurrenceRule, Until};
pub use self::rotation::{Absence, Duty, DutyBy, Member, Period, Rotation, Swap};
pub use self::rrule::DtStart;
pub use self::schedule::{
    HolidaySource, Instants, MAX_LISTED, Occurrence, OccurrenceExplanation, Occurrences, Override,
    PublishedDate, Schedule,
};
pub use self::windows::{Window, WindowKind, WindowSpan, WindowState, Windows};
pub use self::workdays::WorkDays;
pub use self::zone::{Resolution, Zone};
