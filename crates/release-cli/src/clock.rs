//! The one place the CLI reads the system clock: when `--now` is absent.
//! Everything below it takes `now` as a value, so `--now` reproduces any
//! answer exactly.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::executor::Stopper;

/// `--now`, or the current time.
pub fn now_or(given: Option<DateTime<Utc>>) -> DateTime<Utc> {
    // The clock is banned in clippy.toml so it cannot be read by accident;
    // this is the deliberate read.
    #[allow(clippy::disallowed_methods)]
    let system = std::time::SystemTime::now();
    given.unwrap_or_else(|| DateTime::<Utc>::from(system))
}

/// The clock a run's driver reads: the system clock, or the instant of
/// `--now` for ever (a fixed clock, so that a run's output and journal are
/// reproducible; wait steps then never end). A signal that stops the run
/// (`stopper`) cuts the system clock's sleeps short.
pub fn run_clock(
    given: Option<DateTime<Utc>>,
    stopper: Option<Arc<Stopper>>,
) -> Box<dyn release_core::run::Clock> {
    match given {
        Some(at) => Box::new(release_core::run::FixedClock::new(at)),
        None => Box::new(SystemClock { stopper }),
    }
}

/// The system clock, for real runs: reads the time and really sleeps
/// (until a stop signal).
struct SystemClock {
    stopper: Option<Arc<Stopper>>,
}

impl release_core::run::Clock for SystemClock {
    fn now(&mut self) -> DateTime<Utc> {
        now_or(None)
    }

    fn sleep_until(&mut self, at: DateTime<Utc>) {
        if let Ok(wait) = (at - self.now()).to_std() {
            match &self.stopper {
                Some(stopper) => stopper.sleep(wait),
                None => std::thread::sleep(wait),
            }
        }
    }

    fn real_time_until(&mut self, at: DateTime<Utc>) -> Option<std::time::Duration> {
        Some((at - self.now()).to_std().unwrap_or_default())
    }
}
