//! Durations as release documents write them: `15m`, `1h30m`, `2d`, and
//! estimates as ranges, `3m..4m`.
//!
//! A base module: [`Span`] is a step's estimate in a pipeline, a soak time
//! in a gate and a clock's advance in a run, so it sits below all of them.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// A non-negative duration with second precision.
///
/// Written as a sequence of `<number><unit>` with units `d`, `h`, `m`, `s`
/// (`45m`, `1h30m`, `2d`), or `0`. Serialised as that text; a bare integer
/// in TOML or JSON is read as seconds.
///
/// Release processes speak in minutes and hours; chrono's `TimeDelta` has
/// no text form and allows negatives, so estimates and soak times use this
/// small type and convert with [`Span::to_delta`].
///
/// # Example
///
/// ```
/// use release_core::duration::Span;
///
/// let span: Span = "1h30m".parse()?;
/// assert_eq!(span.seconds(), 5400);
/// assert_eq!(span.to_string(), "1h30m");
/// assert_eq!(Span::minutes(45).to_string(), "45m");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span(u64);

impl Span {
    /// No time at all.
    pub const ZERO: Span = Span(0);

    /// A span of `n` seconds.
    pub const fn seconds_of(n: u64) -> Span {
        Span(n)
    }

    /// A span of `n` minutes.
    pub const fn minutes(n: u64) -> Span {
        Span(n.saturating_mul(60))
    }

    /// A span of `n` hours.
    pub const fn hours(n: u64) -> Span {
        Span(n.saturating_mul(3600))
    }

    /// A span of `n` days (24 hours each; calendar days belong to calendars).
    pub const fn days(n: u64) -> Span {
        Span(n.saturating_mul(86_400))
    }

    /// The length in seconds.
    pub const fn seconds(self) -> u64 {
        self.0
    }

    /// The sum, saturating at the largest span rather than wrapping.
    pub const fn saturating_add(self, other: Span) -> Span {
        Span(self.0.saturating_add(other.0))
    }

    /// The longest span a file may give: 100 years (of 365.25 days). Longer
    /// is surely a typo, and instants that far out leave chrono's range
    /// once a pipeline adds many of them up.
    pub const MAX: Span = Span(100 * 36_525 * 864);

    /// The instant `self` after `t`, saturating at the latest instant
    /// chrono represents rather than overflowing.
    pub fn after(self, t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::Utc> {
        t.checked_add_signed(self.to_delta())
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC)
    }

    /// The span as a chrono delta, for arithmetic on instants.
    pub fn to_delta(self) -> chrono::TimeDelta {
        // Spans beyond chrono's range (about 292 billion years) are
        // clamped: no release waits that long, and clamping beats a panic.
        chrono::TimeDelta::try_seconds(i64::try_from(self.0).unwrap_or(i64::MAX / 1000))
            .unwrap_or(chrono::TimeDelta::MAX)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0");
        }
        let mut rest = self.0;
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] {
            if rest >= size {
                write!(f, "{}{unit}", rest / size)?;
                rest %= size;
            }
        }
        Ok(())
    }
}

impl FromStr for Span {
    type Err = Error;

    fn from_str(text: &str) -> Result<Span> {
        let fail = |why: String| Error::parse(format!("invalid duration {text:?}: {why}"));
        if text == "0" {
            return Ok(Span::ZERO);
        }
        if text.is_empty() {
            return Err(fail(
                "it is empty; write e.g. \"15m\" or \"1h30m\"".to_owned(),
            ));
        }
        let mut total: u64 = 0;
        let mut number: Option<u64> = None;
        let mut last_unit = u64::MAX;
        for (at, c) in text.char_indices() {
            if let Some(d) = c.to_digit(10) {
                let n = number
                    .unwrap_or(0)
                    .checked_mul(10)
                    .and_then(|n| n.checked_add(u64::from(d)))
                    .ok_or_else(|| fail(format!("the number at byte {at} is too large")))?;
                number = Some(n);
                continue;
            }
            let size = match c {
                'd' => 86_400,
                'h' => 3600,
                'm' => 60,
                's' => 1,
                _ => {
                    return Err(fail(format!(
                        "unexpected {c:?} at byte {at}; units are d, h, m and s"
                    )));
                }
            };
            let n = number
                .take()
                .ok_or_else(|| fail(format!("unit {c:?} at byte {at} has no number before it")))?;
            if size >= last_unit {
                return Err(fail(format!(
                    "unit {c:?} at byte {at} is out of order; write larger units first"
                )));
            }
            last_unit = size;
            total = n
                .checked_mul(size)
                .and_then(|v| total.checked_add(v))
                .ok_or_else(|| fail("it is too long".to_owned()))?;
        }
        if number.is_some() {
            return Err(fail(
                "the last number has no unit (d, h, m or s)".to_owned(),
            ));
        }
        if total > Span::MAX.0 {
            return Err(fail("it is longer than 100 years (36525d)".to_owned()));
        }
        Ok(Span(total))
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Span {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Span, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Span;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration such as \"15m\" or a number of seconds")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Span, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Span, E> {
                if v > Span::MAX.0 {
                    return Err(E::custom(format!(
                        "invalid duration {v}: it is longer than 100 years ({} seconds)",
                        Span::MAX.0
                    )));
                }
                Ok(Span(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Span, E> {
                let v = u64::try_from(v)
                    .map_err(|_| E::custom(format!("invalid duration {v}: it is negative")))?;
                self.visit_u64(v)
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// An estimated duration as a range, `min..max`: the Fragalysis document's
/// "3-4 minutes for a typical backend build" is `3m..4m`.
///
/// Written `"3m..4m"`, or `"5m"` when both ends agree.
///
/// # Example
///
/// ```
/// use release_core::duration::{Estimate, Span};
///
/// let e: Estimate = "3m..4m".parse()?;
/// assert_eq!(e, Estimate::new(Span::minutes(3), Span::minutes(4))?);
/// assert_eq!((e + "10m..15m".parse()?).to_string(), "13m..19m");
/// assert!("5m..3m".parse::<Estimate>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Estimate {
    min: Span,
    max: Span,
}

impl Estimate {
    /// Nothing to wait for.
    pub const ZERO: Estimate = Estimate {
        min: Span::ZERO,
        max: Span::ZERO,
    };

    /// An estimate between `min` and `max`.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) when `min` is above `max`.
    pub fn new(min: Span, max: Span) -> Result<Estimate> {
        if min > max {
            return Err(Error::parse(format!(
                "invalid estimate {min}..{max}: the minimum is above the maximum"
            )));
        }
        Ok(Estimate { min, max })
    }

    /// An exact estimate.
    pub const fn exactly(span: Span) -> Estimate {
        Estimate {
            min: span,
            max: span,
        }
    }

    /// The shortest expected duration.
    pub const fn min(self) -> Span {
        self.min
    }

    /// The longest expected duration.
    pub const fn max(self) -> Span {
        self.max
    }
}

impl std::ops::Add for Estimate {
    type Output = Estimate;

    fn add(self, other: Estimate) -> Estimate {
        Estimate {
            min: self.min.saturating_add(other.min),
            max: self.max.saturating_add(other.max),
        }
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.min == self.max {
            write!(f, "{}", self.min)
        } else {
            write!(f, "{}..{}", self.min, self.max)
        }
    }
}

impl FromStr for Estimate {
    type Err = Error;

    fn from_str(text: &str) -> Result<Estimate> {
        match text.split_once("..") {
            Some((min, max)) => {
                let (min, max) = (min.trim().parse()?, max.trim().parse()?);
                Estimate::new(min, max).map_err(|_| {
                    Error::parse(format!(
                        "invalid estimate {text:?}: the minimum is above the maximum"
                    ))
                })
            }
            None => Ok(Estimate::exactly(text.trim().parse()?)),
        }
    }
}

impl Serialize for Estimate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Estimate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Estimate, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
