//! RFC 5545 RRULE text: the recurrence rules teams already write.
//!
//! Accepted: `FREQ` (`DAILY`, `WEEKLY`, `MONTHLY`, `YEARLY`), `INTERVAL`,
//! `BYMONTH`, `BYWEEKNO`, `BYYEARDAY`, `BYMONTHDAY`, `BYDAY` (with
//! ordinals in monthly and yearly rules), `BYSETPOS`, `WKST`, `COUNT`,
//! `UNTIL`, and a `DTSTART` line (`DTSTART;TZID=...:`, UTC `...Z`, or
//! `VALUE=DATE`); what they mean is in [`recurrence`](super::recurrence).
//! Everything else (`FREQ=HOURLY`, `BYHOUR`, `RSCALE`, an `EXDATE` line,
//! ...) is rejected with an error that names the input and the part and
//! says what to write instead; nothing is silently ignored.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use super::recurrence::{ByDay, Frequency, Recurrence, RecurrenceRule, Until, parse_weekday_code};
use super::schedule::Schedule;
use super::zone::Zone;
use crate::{Error, Result};

impl FromStr for RecurrenceRule {
    type Err = Error;

    /// Reads an RRULE value (`FREQ=WEEKLY;BYDAY=TU`), with or without the
    /// `RRULE:` prefix.
    fn from_str(text: &str) -> Result<RecurrenceRule> {
        let body = text.trim();
        let body = strip_prefix_ci(body, "RRULE:").unwrap_or(body);
        let fail = |why: String| Error::parse(format!("invalid RRULE {text:?}: {why}"));
        let mut rule = RecurrenceRule::new(Frequency::Weekly, 1);
        let mut seen: Vec<String> = Vec::new();
        for (i, part) in body.split(';').enumerate() {
            let place = i + 1;
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| fail(format!("part {place} {part:?} is not NAME=VALUE")))?;
            let name = name.trim().to_ascii_uppercase();
            let value = value.trim();
            if seen.contains(&name) {
                return Err(fail(format!("{name} is given twice")));
            }
            seen.push(name.clone());
            if value.is_empty() {
                return Err(fail(format!("{name} has no value")));
            }
            let list = || value.split(',').map(str::trim);
            let number = |v: &str, what: &str| -> Result<i64> {
                let digits = v.strip_prefix('+').unwrap_or(v);
                digits.parse::<i64>().map_err(|e| match e.kind() {
                    std::num::IntErrorKind::PosOverflow | std::num::IntErrorKind::NegOverflow => {
                        fail(format!("{what} value {v} is too large"))
                    }
                    _ => fail(format!("{what} value {v:?} is not a number")),
                })
            };
            // COUNT and INTERVAL: a whole number from 1 to u32::MAX.
            let positive = |v: &str, what: &str| -> Result<u32> {
                let digits = v.strip_prefix('+').unwrap_or(v);
                let at_least_one =
                    || fail(format!("{what}={v} must be a whole number of at least 1"));
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    return match digits.parse::<u32>() {
                        Ok(n) if n >= 1 => Ok(n),
                        Ok(_) => Err(at_least_one()),
                        // Only too many digits make an all-digit text fail.
                        Err(_) => Err(fail(format!(
                            "{what}={v} is too large: at most {}",
                            u32::MAX
                        ))),
                    };
                }
                let negative = v
                    .strip_prefix('-')
                    .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()));
                if negative {
                    return Err(at_least_one());
                }
                number(v, what)?;
                Err(at_least_one())
            };
            match name.as_str() {
                "FREQ" => {
                    rule.frequency = match value.to_ascii_uppercase().as_str() {
                        "DAILY" => Frequency::Daily,
                        "WEEKLY" => Frequency::Weekly,
                        "MONTHLY" => Frequency::Monthly,
                        "YEARLY" => Frequency::Yearly,
                        other @ ("HOURLY" | "MINUTELY" | "SECONDLY") => {
                            return Err(fail(format!(
                                "FREQ={other} is not supported: a schedule has one time of day; use FREQ=DAILY and the schedule's time (one schedule per time of day)"
                            )));
                        }
                        other => {
                            return Err(fail(format!(
                                "FREQ={other} is not a frequency: expected DAILY, WEEKLY, MONTHLY or YEARLY"
                            )));
                        }
                    }
                }
                "INTERVAL" => rule.interval = positive(value, "INTERVAL")?,
                "COUNT" => rule.count = Some(positive(value, "COUNT")?),
                "UNTIL" => rule.until = Some(parse_until(value).map_err(&fail)?),
                "WKST" => {
                    rule.week_start =
                        parse_weekday_code(&value.to_ascii_uppercase()).ok_or_else(|| {
                            fail(format!("WKST={value} is not MO, TU, WE, TH, FR, SA or SU"))
                        })?;
                }
                "BYDAY" => {
                    rule.by_day = list()
                        .map(|v| {
                            v.to_ascii_uppercase()
                                .parse::<ByDay>()
                                .map_err(|e| fail(format!("BYDAY: {e}")))
                        })
                        .collect::<Result<_>>()?;
                }
                "BYMONTHDAY" => {
                    rule.by_month_day = list()
                        .map(|v| {
                            let n = number(v, "BYMONTHDAY")?;
                            i8::try_from(n).map_err(|_| {
                                fail(format!("BYMONTHDAY {v} is not in 1 to 31 or -1 to -31"))
                            })
                        })
                        .collect::<Result<_>>()?;
                }
                "BYMONTH" => {
                    rule.by_month = list()
                        .map(|v| {
                            let n = number(v, "BYMONTH")?;
                            u8::try_from(n)
                                .map_err(|_| fail(format!("BYMONTH {v} is not in 1 to 12")))
                        })
                        .collect::<Result<_>>()?;
                }
                "BYYEARDAY" => {
                    rule.by_year_day = list()
                        .map(|v| {
                            let n = number(v, "BYYEARDAY")?;
                            i16::try_from(n).map_err(|_| {
                                fail(format!("BYYEARDAY {v} is not in 1 to 366 or -1 to -366"))
                            })
                        })
                        .collect::<Result<_>>()?;
                }
                "BYWEEKNO" => {
                    rule.by_week_no = list()
                        .map(|v| {
                            let n = number(v, "BYWEEKNO")?;
                            i8::try_from(n).map_err(|_| {
                                fail(format!("BYWEEKNO {v} is not in 1 to 53 or -1 to -53"))
                            })
                        })
                        .collect::<Result<_>>()?;
                }
                "BYSETPOS" => {
                    rule.by_set_pos = list()
                        .map(|v| {
                            let n = number(v, "BYSETPOS")?;
                            i16::try_from(n).map_err(|_| {
                                fail(format!("BYSETPOS {v} is not in 1 to 366 or -1 to -366"))
                            })
                        })
                        .collect::<Result<_>>()?;
                }
                "BYHOUR" | "BYMINUTE" | "BYSECOND" => {
                    return Err(fail(format!(
                        "{name} is not supported: a schedule has one time of day; drop {name} and set the schedule's time (one schedule per time of day)"
                    )));
                }
                "RSCALE" => {
                    return Err(fail(
                        "RSCALE is not supported (RFC 7529): rules are Gregorian; drop RSCALE"
                            .into(),
                    ));
                }
                "SKIP" => {
                    return Err(fail(
                        "SKIP is not supported (RFC 7529): dates that do not exist are skipped, as RFC 5545 says; drop SKIP, or move dates with a holiday policy or an override".into(),
                    ));
                }
                "DTSTART" => {
                    return Err(fail(format!(
                        "DTSTART is not a part of an RRULE: {}",
                        line_hint(&name)
                    )));
                }
                "RDATE" | "EXDATE" | "EXRULE" => {
                    return Err(fail(format!(
                        "{name} is not a part of an RRULE (a property of its own, and not supported): {}",
                        line_hint(&name)
                    )));
                }
                other => {
                    return Err(fail(format!(
                        "unknown part {other:?} at part {place}: expected FREQ, INTERVAL, BYMONTH, BYWEEKNO, BYYEARDAY, BYMONTHDAY, BYDAY, BYSETPOS, WKST, COUNT or UNTIL"
                    )));
                }
            }
        }
        if !seen.iter().any(|n| n == "FREQ") {
            return Err(fail("FREQ is missing".into()));
        }
        rule.validate()?;
        Ok(rule)
    }
}

/// What to write instead of an RFC 5545 property other than `DTSTART` and
/// `RRULE` (`RDATE`, `EXDATE`, `EXRULE`).
fn line_hint(name: &str) -> &'static str {
    match name {
        "DTSTART" => {
            "give it on its own line (DTSTART;TZID=Europe/London:20240102T100000) before the RRULE line"
        }
        "RDATE" => "add the date with an override (action \"add\")",
        "EXDATE" => "cancel the date with an override (action \"cancel\")",
        _ => "cancel its dates with overrides (RFC 5545 deprecates EXRULE)",
    }
}

fn strip_prefix_ci<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Whether `text` is RFC 5545's `date` (`8DIGIT`) or, with `time`, its
/// `date "T" time` (`8DIGIT "T" 6DIGIT`). chrono's `%Y%m%d` alone also
/// takes signs, spaces and short years (`-1 7 7`).
fn rfc5545_shape(text: &str, time: bool) -> bool {
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !time {
        return digits(text, 8);
    }
    match (text.get(..8), text.get(8..9), text.get(9..)) {
        (Some(date), Some(t), Some(clock)) => {
            digits(date, 8) && t.eq_ignore_ascii_case("T") && digits(clock, 6)
        }
        _ => false,
    }
}

fn parse_until(value: &str) -> std::result::Result<Until, String> {
    if let Some(stamp) = value.strip_suffix('Z').or_else(|| value.strip_suffix('z')) {
        if !rfc5545_shape(stamp, true) {
            return Err(format!(
                "UNTIL={value} is not a UTC time such as 20241231T235959Z (8 digits, T, 6 digits, Z)"
            ));
        }
        return NaiveDateTime::parse_from_str(&stamp.to_ascii_uppercase(), "%Y%m%dT%H%M%S")
            .map(|t| Until::Instant(DateTime::from_naive_utc_and_offset(t, Utc)))
            .map_err(|_| format!("UNTIL={value} is not a UTC time such as 20241231T235959Z"));
    }
    if value.contains('T') || value.contains('t') {
        return Err(format!(
            "UNTIL={value} is a local time; RFC 5545 wants UTC (ending in Z) or a date (YYYYMMDD)"
        ));
    }
    if !rfc5545_shape(value, false) {
        return Err(format!(
            "UNTIL={value} is not a date such as 20241231 (exactly 8 digits, YYYYMMDD)"
        ));
    }
    NaiveDate::parse_from_str(value, "%Y%m%d")
        .map(Until::Date)
        .map_err(|_| format!("UNTIL={value} is not a date such as 20241231"))
}

/// A `DTSTART` line: the start date, the local time, and the zone if the
/// line names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DtStart {
    /// The local start date and time (00:00 for `VALUE=DATE`).
    pub local: NaiveDateTime,
    /// `TZID=...`, or UTC for a time ending in `Z`; `None` for a floating
    /// time.
    pub zone: Option<Zone>,
}

impl FromStr for DtStart {
    type Err = Error;

    fn from_str(line: &str) -> Result<DtStart> {
        let fail = |why: &str| Error::parse(format!("invalid DTSTART {line:?}: {why}"));
        let rest = strip_prefix_ci(line.trim(), "DTSTART")
            .ok_or_else(|| fail("it does not start with DTSTART"))?;
        let (params, value) = rest
            .split_once(':')
            .ok_or_else(|| fail("expected ':' before the value"))?;
        let mut zone = None;
        let mut date_only = false;
        for param in params.split(';').filter(|p| !p.is_empty()) {
            let (name, v) = param
                .split_once('=')
                .ok_or_else(|| fail("a parameter is not NAME=VALUE"))?;
            match name.to_ascii_uppercase().as_str() {
                "TZID" => zone = Some(Zone::new(v.trim_matches('"'))?),
                "VALUE" if v.eq_ignore_ascii_case("DATE") => date_only = true,
                "VALUE" if v.eq_ignore_ascii_case("DATE-TIME") => {}
                other => return Err(fail(&format!("parameter {other} is not supported"))),
            }
        }
        let value = value.trim();
        if date_only {
            if !rfc5545_shape(value, false) {
                return Err(fail("expected a date such as 20240102 (exactly 8 digits)"));
            }
            let date = NaiveDate::parse_from_str(value, "%Y%m%d")
                .map_err(|_| fail("expected a date such as 20240102"))?;
            return Ok(DtStart {
                local: date.and_time(NaiveTime::MIN),
                zone,
            });
        }
        let (stamp, utc) = match value.strip_suffix('Z') {
            Some(s) => (s, true),
            None => (value, false),
        };
        if utc && zone.is_some() {
            return Err(fail("a UTC time (ending in Z) cannot also have a TZID"));
        }
        if !rfc5545_shape(stamp, true) {
            return Err(fail(
                "expected a date and time such as 20240102T100000 (8 digits, T, 6 digits)",
            ));
        }
        let local = NaiveDateTime::parse_from_str(&stamp.to_ascii_uppercase(), "%Y%m%dT%H%M%S")
            .map_err(|_| fail("expected a date and time such as 20240102T100000"))?;
        Ok(DtStart {
            local,
            zone: if utc { Some(Zone::UTC) } else { zone },
        })
    }
}

impl Schedule {
    /// A schedule from RFC 5545 text: a `DTSTART` line and an `RRULE` line.
    /// The start gives the first date, the time of day and the zone;
    /// `zone` is used for a floating `DTSTART` (no `TZID`, no `Z`).
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) for text that is not a
    /// supported rule, naming the part; a [config
    /// error](crate::ErrorKind::Config) for a floating start without a zone.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::calendar::Schedule;
    ///
    /// let s = Schedule::from_rrule(
    ///     "release",
    ///     "DTSTART;TZID=America/New_York:20240102T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    ///     None,
    /// )?;
    /// let first: Vec<String> = s.occurrences().take(2).map(|o| o.at.to_rfc3339()).collect();
    /// assert_eq!(first, ["2024-01-02T15:00:00+00:00", "2024-01-16T15:00:00+00:00"]);
    /// assert_eq!(s.to_rrule(), "DTSTART;TZID=America/New_York:20240102T100000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_rrule(name: &str, text: &str, zone: Option<Zone>) -> Result<Schedule> {
        let mut start: Option<DtStart> = None;
        let mut rule: Option<RecurrenceRule> = None;
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if strip_prefix_ci(line, "DTSTART").is_some() {
                start = Some(line.parse()?);
            } else if strip_prefix_ci(line, "RRULE:").is_some()
                || line.to_ascii_uppercase().starts_with("FREQ=")
            {
                rule = Some(line.parse()?);
            } else {
                let property = line
                    .split([':', ';'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_uppercase();
                if matches!(property.as_str(), "RDATE" | "EXDATE" | "EXRULE") {
                    return Err(Error::parse(format!(
                        "unexpected line {line:?}: {property} is not supported; {}",
                        line_hint(&property)
                    )));
                }
                return Err(Error::parse(format!(
                    "unexpected line {line:?}: expected DTSTART or RRULE (EXDATE, RDATE and EXRULE are not supported; use overrides)"
                )));
            }
        }
        let rule = rule.ok_or_else(|| Error::parse(format!("no RRULE in {text:?}")))?;
        let start = start.ok_or_else(|| {
            Error::parse(format!(
                "no DTSTART in {text:?}: an RRULE needs a DTSTART to say when it starts"
            ))
        })?;
        let zone = start.zone.or(zone).ok_or_else(|| {
            Error::config(format!(
                "the DTSTART of schedule {name:?} has no TZID; give the schedule's time zone"
            ))
        })?;
        Schedule::new(
            name,
            Recurrence::new(start.local.date(), rule)?,
            start.local.time(),
            zone,
        )
    }

    /// The schedule's rule as RFC 5545 text (`DTSTART` and `RRULE` lines);
    /// holidays and overrides have no RRULE form and are left out.
    pub fn to_rrule(&self) -> String {
        let Some(recurrence) = self.recurrence() else {
            return self.dates_rrule();
        };
        format!(
            "DTSTART;TZID={}:{}\nRRULE:{}",
            self.zone(),
            recurrence
                .start
                .and_time(self.time())
                .format("%Y%m%dT%H%M%S"),
            recurrence.rule
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "FREQ=MONTHLY;BYDAY=-1FR",
            "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
            "FREQ=MONTHLY;BYMONTH=1,7;BYMONTHDAY=15,-1",
            "FREQ=DAILY;COUNT=10",
            "FREQ=WEEKLY;BYDAY=MO,WE;WKST=SU;UNTIL=20241231T235959Z",
            "FREQ=WEEKLY;UNTIL=20241231",
            "FREQ=YEARLY",
            "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
            "FREQ=YEARLY;INTERVAL=2;BYDAY=20MO,-1FR;COUNT=4",
            "FREQ=YEARLY;BYWEEKNO=1,-1;BYDAY=MO;WKST=SU",
            "FREQ=YEARLY;BYMONTH=1,2;BYWEEKNO=5;BYYEARDAY=-1,100;BYMONTHDAY=3;BYDAY=TU;BYSETPOS=1,-1;WKST=TH;UNTIL=20300101",
        ] {
            let rule: RecurrenceRule = text.parse().unwrap();
            assert_eq!(rule.to_string(), text);
        }
        let loose: RecurrenceRule = "rrule:freq=weekly;byday=tu;interval=2".parse().unwrap();
        assert_eq!(loose.to_string(), "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
        // Any order in, the fixed order out.
        let shuffled: RecurrenceRule = "BYDAY=MO;byweekno=+20;FREQ=yearly;BYYEARDAY=+7;BYMONTH=5"
            .parse()
            .unwrap();
        assert_eq!(
            shuffled.to_string(),
            "FREQ=YEARLY;BYMONTH=5;BYWEEKNO=20;BYYEARDAY=7;BYDAY=MO"
        );
    }

    #[test]
    fn rejects_what_it_does_not_support() {
        for (text, says) in [
            (
                "FREQ=HOURLY",
                "FREQ=HOURLY is not supported: a schedule has one time of day; use FREQ=DAILY",
            ),
            ("FREQ=SECONDLY", "FREQ=SECONDLY is not supported"),
            (
                "FREQ=FORTNIGHTLY",
                "expected DAILY, WEEKLY, MONTHLY or YEARLY",
            ),
            ("FREQ=WEEKLY;BYHOUR=9", "BYHOUR is not supported"),
            (
                "FREQ=YEARLY;BYMINUTE=0",
                "drop BYMINUTE and set the schedule's time",
            ),
            (
                "FREQ=YEARLY;EXDATE=20240101",
                "EXDATE is not a part of an RRULE",
            ),
            (
                "FREQ=YEARLY;BYWEEKNO=ten",
                "BYWEEKNO value \"ten\" is not a number",
            ),
            (
                "FREQ=YEARLY;BYYEARDAY=40000",
                "BYYEARDAY 40000 is not in 1 to 366",
            ),
            ("FREQ=WEEKLY;BYDAY=XX", "invalid weekday"),
            ("FREQ=WEEKLY;FREQ=DAILY", "FREQ is given twice"),
            ("INTERVAL=2", "FREQ is missing"),
            ("FREQ=WEEKLY;INTERVAL=0", "INTERVAL=0 must be"),
            (
                "FREQ=WEEKLY;BYDAY=2TU",
                "ordinals such as 2TU only apply to MONTHLY and YEARLY",
            ),
            ("FREQ=WEEKLY;FOO=1", "unknown part \"FOO\""),
            ("FREQ=DAILY;UNTIL=20240101T000000", "is a local time"),
        ] {
            let err = text.parse::<RecurrenceRule>().unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
    }

    /// LOW-14: chrono's `%Y%m%d` takes a sign, spaces and short years;
    /// UNTIL is exactly `8DIGIT` or `8DIGIT "T" 6DIGIT "Z"` (RFC 5545).
    #[test]
    fn until_is_exactly_rfc5545() {
        // The fuzz artifact (parse_rrule), base64 RlJFUT0NV0VFS0xZO1VOVElMPS0xIDcNNw==.
        let artifact = "FREQ=\rWEEKLY;UNTIL=-1 7\r7";
        let err = artifact.parse::<RecurrenceRule>().unwrap_err().to_string();
        assert!(err.contains("exactly 8 digits"), "{err}");
        for junk in [
            "-1 7 7",
            "-00010707",
            "+20241231",
            "2024123",
            "202412311",
            " 2024 12 31",
            "20241231T2359Z",
            "20241231T 23595Z",
            "-0001231T235959Z",
            "20241231X235959Z",
        ] {
            let text = format!("FREQ=WEEKLY;UNTIL={junk}");
            assert!(
                text.parse::<RecurrenceRule>().is_err(),
                "{text} is accepted"
            );
        }
        for good in ["20241231", "20241231T235959Z", "20241231t235959z"] {
            let rule: RecurrenceRule = format!("FREQ=WEEKLY;UNTIL={good}").parse().unwrap();
            // What it prints, it reads back.
            let again: RecurrenceRule = rule.to_string().parse().unwrap();
            assert_eq!(again, rule);
        }
        for junk in [
            "DTSTART;VALUE=DATE:-1 7 7",
            "DTSTART:-1 7 7T090000",
            "DTSTART:2024010T0900000",
        ] {
            assert!(junk.parse::<DtStart>().is_err(), "{junk} is accepted");
        }
    }

    /// LOW-18: a number too large for COUNT or INTERVAL says so, and the
    /// most there is.
    #[test]
    fn count_too_large_says_so() {
        let err = "FREQ=DAILY;COUNT=18446744073709551615"
            .parse::<RecurrenceRule>()
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("COUNT=18446744073709551615 is too large: at most 4294967295"),
            "{err}"
        );
        let err = "FREQ=DAILY;INTERVAL=4294967296"
            .parse::<RecurrenceRule>()
            .unwrap_err()
            .to_string();
        assert!(err.contains("too large: at most 4294967295"), "{err}");
        for (text, says) in [
            ("FREQ=DAILY;COUNT=0", "at least 1"),
            ("FREQ=DAILY;COUNT=-3", "at least 1"),
            ("FREQ=DAILY;COUNT=-99999999999999999999", "at least 1"),
            ("FREQ=DAILY;COUNT=ten", "is not a number"),
            (
                "FREQ=MONTHLY;BYMONTHDAY=99999999999999999999",
                "is too large",
            ),
        ] {
            let err = text.parse::<RecurrenceRule>().unwrap_err().to_string();
            assert!(err.contains(says), "{text}: {err}");
        }
        let rule: RecurrenceRule = "FREQ=DAILY;COUNT=4294967295".parse().unwrap();
        assert_eq!(rule.count, Some(u32::MAX));
    }

    #[test]
    fn dtstart_forms() {
        let s: DtStart = "DTSTART;TZID=Europe/London:20240102T093000"
            .parse()
            .unwrap();
        assert_eq!(s.zone, Some(Zone::new("Europe/London").unwrap()));
        let u: DtStart = "DTSTART:20240102T093000Z".parse().unwrap();
        assert_eq!(u.zone, Some(Zone::UTC));
        let d: DtStart = "DTSTART;VALUE=DATE:20240102".parse().unwrap();
        assert_eq!(d.local.to_string(), "2024-01-02 00:00:00");
        assert!(
            "DTSTART;TZID=Nowhere/Land:20240102T093000"
                .parse::<DtStart>()
                .is_err()
        );
    }
}
