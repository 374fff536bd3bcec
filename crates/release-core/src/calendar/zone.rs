//! IANA time zones and how local wall-clock times become instants.
//!
//! # DST semantics
//!
//! Pinned as RFC 5545 (section 3.3.5) specifies them, which is also what
//! python-dateutil with `zoneinfo` does for `fold=0`:
//!
//! - a local time that does not exist (skipped by a spring-forward gap) is
//!   read with the UTC offset from *before* the gap: 02:30 on the
//!   spring-forward Sunday in New York is 07:30Z, that is 03:30 EDT;
//! - an ambiguous local time (repeated by a fall-back) is its *first*
//!   occurrence: 01:30 on the fall-back Sunday in New York is 01:30 EDT
//!   (05:30Z), not EST.
//!
//! So every local date and time names exactly one instant: an occurrence is
//! never duplicated or dropped at a transition.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, FixedOffset, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// An IANA time zone such as `Africa/Nairobi`, serialised as its name.
///
/// # Example
///
/// ```
/// use release_core::calendar::Zone;
///
/// let zone: Zone = "America/New_York".parse()?;
/// assert_eq!(zone.name(), "America/New_York");
/// assert!("Mars/Olympus".parse::<Zone>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

/// How a local time was mapped to an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// The local time exists once.
    Exact,
    /// The local time fell in a spring-forward gap and was read with the
    /// offset from before the gap (so the wall clock shows a later time).
    Gap,
    /// The local time was repeated by a fall-back; the first was taken.
    Ambiguous,
}

crate::vocabulary! {
    Resolution, "local time resolution",
    {
        Exact => "exact",
        Gap => "gap",
        Ambiguous => "ambiguous",
    }
}

impl Zone {
    /// UTC.
    pub const UTC: Zone = Zone(Tz::UTC);

    /// Looks a zone up by its IANA name.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) naming the zone, with a
    /// suggestion when the name differs only in case.
    pub fn new(name: &str) -> Result<Zone> {
        if let Ok(tz) = name.parse::<Tz>() {
            return Ok(Zone(tz));
        }
        let hint = Tz::from_str_insensitive(name)
            .map(|tz| format!(" (did you mean {:?}?)", tz.name()))
            .unwrap_or_default();
        Err(Error::parse(format!(
            "unknown time zone {name:?}: expected an IANA name such as \"Europe/London\"{hint}"
        )))
    }

    /// The IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The chrono-tz zone: the crate's own, so that chrono-tz's types stay
    /// out of the public API (an edge that needs one looks it up by
    /// [`name`](Zone::name)).
    pub(crate) fn tz(self) -> Tz {
        self.0
    }

    /// The instant of a local date and time, by the RFC 5545 rules above.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use release_core::calendar::{Resolution, Zone};
    ///
    /// let ny: Zone = "America/New_York".parse()?;
    /// let gap = NaiveDate::from_ymd_opt(2024, 3, 10).unwrap().and_hms_opt(2, 30, 0).unwrap();
    /// let (at, how) = ny.resolve(gap);
    /// assert_eq!(at.to_rfc3339(), "2024-03-10T07:30:00+00:00"); // 03:30 EDT
    /// assert_eq!(how, Resolution::Gap);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve(self, local: NaiveDateTime) -> (DateTime<Utc>, Resolution) {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) => (t.with_timezone(&Utc), Resolution::Exact),
            LocalResult::Ambiguous(a, b) => (a.min(b).with_timezone(&Utc), Resolution::Ambiguous),
            LocalResult::None => {
                // The offset in force before the gap: a day earlier is before
                // any transition near this one (zones never change offset
                // twice within a day).
                let before = self
                    .0
                    .offset_from_utc_datetime(&(local - Duration::days(1)))
                    .fix();
                let at = local - Duration::seconds(i64::from(before.local_minus_utc()));
                (
                    DateTime::from_naive_utc_and_offset(at, Utc),
                    Resolution::Gap,
                )
            }
        }
    }

    /// The local wall-clock time of an instant, or `None` when it is out
    /// of chrono's range (an instant near its limits in a zone ahead of or
    /// behind UTC).
    pub fn checked_local(self, at: DateTime<Utc>) -> Option<NaiveDateTime> {
        let offset = self.0.offset_from_utc_datetime(&at.naive_utc()).fix();
        at.naive_utc()
            .checked_add_signed(Duration::seconds(i64::from(offset.local_minus_utc())))
    }

    /// The local wall-clock time of an instant.
    pub fn local(self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.0).naive_local()
    }

    /// The UTC offset in force in this zone at an instant.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use release_core::calendar::Zone;
    ///
    /// let ny: Zone = "America/New_York".parse()?;
    /// let july = Utc.with_ymd_and_hms(2024, 7, 1, 12, 0, 0).unwrap();
    /// assert_eq!(ny.offset(july).local_minus_utc(), -4 * 3600); // EDT
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn offset(self, at: DateTime<Utc>) -> FixedOffset {
        self.0.offset_from_utc_datetime(&at.naive_utc()).fix()
    }

    /// The instant with this zone's offset at that instant, for display:
    /// the local wall-clock time and the offset, without chrono-tz's types.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use release_core::calendar::Zone;
    ///
    /// let nairobi: Zone = "Africa/Nairobi".parse()?;
    /// let at = Utc.with_ymd_and_hms(2026, 3, 1, 17, 0, 0).unwrap();
    /// assert_eq!(nairobi.in_zone(at).to_rfc3339(), "2026-03-01T20:00:00+03:00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn in_zone(self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset(at))
    }
}

impl FromStr for Zone {
    type Err = Error;

    fn from_str(s: &str) -> Result<Zone> {
        Zone::new(s)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Zone {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        Zone::new(&name).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(zone: &str, y: i32, m: u32, d: u32, h: u32, min: u32) -> (String, Resolution) {
        let z = Zone::new(zone).unwrap();
        let local = NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap();
        let (t, how) = z.resolve(local);
        (t.format("%Y-%m-%dT%H:%MZ").to_string(), how)
    }

    #[test]
    fn gaps_use_the_offset_before() {
        assert_eq!(
            at("America/New_York", 2024, 3, 10, 2, 30),
            ("2024-03-10T07:30Z".into(), Resolution::Gap)
        );
        assert_eq!(
            at("Europe/London", 2024, 3, 31, 1, 30),
            ("2024-03-31T01:30Z".into(), Resolution::Gap)
        );
        assert_eq!(
            at("Australia/Sydney", 2024, 10, 6, 2, 30),
            ("2024-10-05T16:30Z".into(), Resolution::Gap)
        );
    }

    #[test]
    fn ambiguous_times_take_the_first() {
        assert_eq!(
            at("America/New_York", 2024, 11, 3, 1, 30),
            ("2024-11-03T05:30Z".into(), Resolution::Ambiguous)
        );
        assert_eq!(
            at("Europe/London", 2024, 10, 27, 1, 30),
            ("2024-10-27T00:30Z".into(), Resolution::Ambiguous)
        );
        assert_eq!(
            at("Australia/Sydney", 2024, 4, 7, 2, 30),
            ("2024-04-06T15:30Z".into(), Resolution::Ambiguous)
        );
    }

    #[test]
    fn unknown_zone_hints_at_case() {
        let e = Zone::new("africa/nairobi").unwrap_err();
        assert!(
            e.to_string().contains("did you mean \"Africa/Nairobi\""),
            "{e}"
        );
    }
}
