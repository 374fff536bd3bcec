//! Fuzz RRULE reading: never panics; an accepted rule prints as text that
//! reads back to the same rule; and a schedule built from it expands
//! without panicking, in increasing order.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_core::calendar::{Recurrence, RecurrenceRule, Schedule};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(rule) = text.parse::<RecurrenceRule>() {
        let printed = rule.to_string();
        let again: RecurrenceRule = printed.parse().expect("a printed rule reads back");
        assert_eq!(again, rule);
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 31).expect("valid date");
        let recurrence = Recurrence::new(start, rule).expect("a parsed rule is valid");
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
    // Whole RFC 5545 snippets too.
    let _ = Schedule::from_rrule("fuzz", text, None);
});
