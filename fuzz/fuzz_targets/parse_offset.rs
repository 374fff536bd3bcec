//! Fuzz offset reading and applying: never panics; an accepted offset
//! prints as text that reads back to the same offset; applying it to dates
//! near chrono's limits and across DST changes gives a date or an error,
//! never a panic or an endless count.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_core::calendar::{Offset, WorkDays, Zone};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(offset) = text.parse::<Offset>() else {
        return;
    };
    let printed = offset.to_string();
    let again: Offset = printed.parse().expect("a printed offset reads back");
    assert_eq!(again, offset, "{printed:?}");
    let _ = offset.describe();
    let zone: Zone = "America/New_York".parse().expect("zone");
    let mut days = WorkDays::default();
    for date in [
        chrono::NaiveDate::from_ymd_opt(2024, 3, 10),
        chrono::NaiveDate::from_ymd_opt(2024, 1, 31),
        Some(chrono::NaiveDate::MIN),
        Some(chrono::NaiveDate::MAX),
    ]
    .into_iter()
    .flatten()
    {
        let _ = offset.apply_date(date, &mut days);
        let at = date.and_hms_opt(2, 30, 0).expect("valid time");
        let _ = offset.apply(at, zone, &mut days);
    }
});
