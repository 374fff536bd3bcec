//! Fuzz RRULE reading: never panics; an accepted rule prints as text that
//! reads back to the same rule; and a schedule built from it expands
//! without panicking, in increasing order, never before its start.
//!
//! Two kinds of input: the bytes as text, and (so that every frequency,
//! `YEARLY` included, and every part, `BYWEEKNO` and `BYYEARDAY` included,
//! are reached from an empty corpus) the bytes as choices that build a rule
//! from RFC 5545's parts and a start date (leap days included); a first
//! byte of 0x80 or more selects them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_core::calendar::{Recurrence, RecurrenceRule, Schedule};

const FREQS: [&str; 7] = [
    "YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "yearly", "YEARLY",
];
const PARTS: [&str; 12] = [
    "BYMONTH",
    "BYWEEKNO",
    "BYYEARDAY",
    "BYMONTHDAY",
    "BYDAY",
    "BYSETPOS",
    "WKST",
    "COUNT",
    "INTERVAL",
    "UNTIL",
    "BYHOUR",
    "RDATE",
];
const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const STARTS: [(i32, u32, u32); 6] = [
    (2024, 1, 31),
    (2024, 2, 29),
    (2023, 12, 31),
    (2021, 1, 1),
    (2026, 12, 28),
    (1999, 6, 15),
];

/// A rule's text and a start from choice bytes.
fn built(data: &[u8]) -> (String, chrono::NaiveDate) {
    let mut bytes = data.iter().copied();
    let mut next = || bytes.next();
    let (y, m, d) = STARTS[usize::from(next().unwrap_or(0)) % STARTS.len()];
    let start = chrono::NaiveDate::from_ymd_opt(y, m, d).expect("valid start");
    let mut text = format!(
        "FREQ={}",
        FREQS[usize::from(next().unwrap_or(0)) % FREQS.len()]
    );
    while let (Some(part), Some(n)) = (next(), next()) {
        let part = PARTS[usize::from(part) % PARTS.len()];
        let signed = i16::from(n as i8);
        let value = match part {
            "BYDAY" => {
                let day = DAYS[usize::from(n) % 7];
                match n % 3 {
                    0 => day.to_owned(),
                    _ => format!("{}{day}", signed % 60),
                }
            }
            "WKST" => DAYS[usize::from(n) % 7].to_owned(),
            "BYYEARDAY" | "BYSETPOS" => (signed * 3).to_string(),
            "COUNT" | "INTERVAL" => (n % 8).to_string(),
            "UNTIL" => format!("20{:02}0{}01", n % 60, 1 + n % 9),
            _ => signed.to_string(),
        };
        text.push(';');
        text.push_str(part);
        text.push('=');
        text.push_str(&value);
        // A second value in a list now and then.
        if n % 5 == 0
            && let Some(more) = next()
        {
            text.push_str(&format!(",{}", i16::from(more as i8) % 54));
        }
    }
    (text, start)
}

fn check(text: &str, start: chrono::NaiveDate) {
    let Ok(rule) = text.parse::<RecurrenceRule>() else {
        return;
    };
    let printed = rule.to_string();
    let again: RecurrenceRule = printed.parse().expect("a printed rule reads back");
    assert_eq!(again, rule);
    let recurrence = Recurrence::new(start, rule).expect("a parsed rule is valid");
    let mut last_date = None;
    for date in recurrence.dates().take(50) {
        assert!(date >= start, "no date before the start");
        assert!(
            last_date.is_none_or(|l| date > l),
            "dates strictly increase"
        );
        last_date = Some(date);
    }
    let time = chrono::NaiveTime::from_hms_opt(2, 30, 0).expect("valid time");
    let schedule = Schedule::new(
        "fuzz",
        recurrence,
        time,
        "America/New_York".parse().expect("zone"),
    )
    .expect("a valid rule makes a schedule");
    let mut last = None;
    for o in schedule.occurrences().take(50) {
        assert!(
            last.is_none_or(|l| o.at > l),
            "occurrences strictly increase"
        );
        last = Some(o.at);
    }
}

fuzz_target!(|data: &[u8]| {
    // A first byte of 0x80 or more never starts an accepted text (the
    // text's first character must be ASCII), so it picks the built rules.
    if let Some((&first, rest)) = data.split_first()
        && first >= 0x80
    {
        let (text, start) = built(rest);
        check(&text, start);
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(
        text,
        chrono::NaiveDate::from_ymd_opt(2024, 1, 31).expect("valid date"),
    );
    // Whole RFC 5545 snippets too.
    let _ = Schedule::from_rrule("fuzz", text, None);
});
