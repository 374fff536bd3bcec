//! Clocks the drivers read. The core has no real clock: the CLI passes
//! one that reads the system time and sleeps; simulations pass a
//! [`VirtualClock`].

use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::duration::Span;

/// Where a driver gets the time.
pub trait Clock {
    /// The current instant.
    fn now(&mut self) -> DateTime<Utc>;
    /// Waits until `at` (a real clock sleeps; a virtual one jumps). A clock
    /// may return earlier (a fixed clock never moves); the driver then stops
    /// and reports what it waits for.
    fn sleep_until(&mut self, at: DateTime<Utc>);
    /// For a clock that follows real time: how long, in real time, until
    /// `at` (zero once it has passed). [`Driver::drive_concurrent`] waits
    /// for running tasks at most this long, so that a wait step or a soak
    /// that ends while tasks run ends on time.
    ///
    /// `None`, the default, is for clocks that move only when a driver
    /// sleeps on them ([`VirtualClock`], [`FixedClock`]): time does not
    /// pass while tasks run, and the driver waits for their outcomes alone.
    ///
    /// [`Driver::drive_concurrent`]: super::Driver::drive_concurrent
    fn real_time_until(&mut self, at: DateTime<Utc>) -> Option<Duration> {
        let _ = at;
        None
    }
}

/// A clock that moves only when told to, or when a driver sleeps on it:
/// simulations of hours of release in microseconds.
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::duration::Span;
/// use release_core::run::{Clock, VirtualClock};
///
/// let mut clock = VirtualClock::new(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap());
/// clock.advance(Span::minutes(45));
/// assert_eq!(clock.now(), Utc.with_ymd_and_hms(2026, 3, 3, 9, 45, 0).unwrap());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VirtualClock {
    now: DateTime<Utc>,
}

impl VirtualClock {
    /// A clock showing `start`.
    pub fn new(start: DateTime<Utc>) -> VirtualClock {
        VirtualClock { now: start }
    }

    /// Moves forward by `span`.
    pub fn advance(&mut self, span: Span) {
        self.now = span.after(self.now);
    }
}

impl Clock for VirtualClock {
    fn now(&mut self) -> DateTime<Utc> {
        self.now
    }

    fn sleep_until(&mut self, at: DateTime<Utc>) {
        self.now = self.now.max(at);
    }
}

/// A clock stuck at one instant: every event of a run gets the same time.
/// Useful for tests that do not care about time and for benchmarks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedClock {
    now: DateTime<Utc>,
}

impl FixedClock {
    /// A clock showing `at` forever.
    pub fn new(at: DateTime<Utc>) -> FixedClock {
        FixedClock { now: at }
    }
}

impl Clock for FixedClock {
    fn now(&mut self) -> DateTime<Utc> {
        self.now
    }

    fn sleep_until(&mut self, _at: DateTime<Utc>) {}
}
