//! The one place the CLI reads the system clock: when `--now` is absent.
//! Everything below it takes `now` as a value, so `--now` reproduces any
//! answer exactly.

use chrono::{DateTime, Utc};

/// `--now`, or the current time.
pub fn now_or(given: Option<DateTime<Utc>>) -> DateTime<Utc> {
    // The clock is banned in clippy.toml so it cannot be read by accident;
    // this is the deliberate read.
    #[allow(clippy::disallowed_methods)]
    let system = std::time::SystemTime::now();
    given.unwrap_or_else(|| DateTime::<Utc>::from(system))
}
