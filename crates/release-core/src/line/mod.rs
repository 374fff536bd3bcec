//! Release lines and their support phases.
//!
//! A [`Line`] is the set of versions sharing a key ([`LineKey`]): the
//! first N SemVer release components (`1.35` for `1.35.x`, `20` for
//! Node.js majors), a prefix of a CalVer format (`2024` for `2024.*`),
//! or explicit lists. Each version is in exactly one line, or in none.
//!
//! Each line has a life: [`SupportPhase`]s (`current`, `active`,
//! `maintenance`, `security`, `end_of_life`), each starting at an
//! [`Offset`](crate::calendar::Offset) from the line's first release or
//! from a newer line's, for the lines a [`LineSelector`] chooses (even
//! majors, every fourth, a list), or on a date declared for the line.
//! Tags carry no dates, so first release dates are declared
//! ([`LinesDef::first_releases`]).
//!
//! The answers: which lines exist ([`Lines::lines`]), which are supported
//! on a date and in which phase until when ([`Line::phase_on`],
//! [`Lines::supported_on`]), the next patch of a line
//! ([`Lines::next_patch`]), and the phase changes as calendar events
//! ([`Lines::phase_events`]).
//!
//! # Example
//!
//! Node.js: majors are lines, even ones become LTS after the next (odd)
//! major is released.
//!
//! ```
//! use chrono::NaiveDate;
//! use release_core::line::{Lines, LinesDef, SupportPhase};
//! use release_core::version::Scheme;
//!
//! let def: LinesDef = toml::from_str(r#"
//!     key = 1
//!     first_releases = { "22" = "2024-04-24", "23" = "2024-10-16" }
//!     phases = [
//!       { phase = "current" },
//!       { phase = "active", lines = "even", after_newer = 1, from = "6 days then next TU" },
//!       { phase = "end_of_life", lines = "even", from = "30 months then next 04-30" },
//!       { phase = "end_of_life", lines = "odd", from = "next 06-01" },
//!     ]
//! "#)?;
//! let lines = Lines::new(def, &Scheme::semver())?;
//! let all = lines.lines(&[])?;
//! let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! assert_eq!(all[0].start_of(SupportPhase::Active), Some(d(2024, 10, 29)));
//! assert_eq!(all[0].end_of_life(), Some(d(2027, 4, 30)));
//! assert_eq!(all[1].end_of_life(), Some(d(2025, 6, 1)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod def;
mod lines;

pub use self::def::{LineKey, LineParity, LineSelector, LinesDef, PhaseRule, SupportPhase};
pub use self::lines::{Line, Lines, PhaseOn, PhaseStart};

#[cfg(test)]
mod tests;
