//! RRULE error messages name the input and the part, and what to write
//! instead. They are part of the interface, so they are snapshot-tested:
//! adding a case is adding a line.

use release_core::calendar::{RecurrenceRule, Schedule};

fn lines(cases: Vec<(String, Result<String, release_core::Error>)>) -> String {
    cases
        .into_iter()
        .map(|(input, result)| match result {
            Ok(ok) => format!("{input}\n  ok: {ok}"),
            Err(e) => format!("{input}\n  {}: {e}", e.kind()),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn rule_errors() {
    let mut cases = Vec::new();
    for text in [
        // Unsupported frequencies and parts, with the nearest spelling.
        "FREQ=HOURLY",
        "FREQ=MINUTELY;INTERVAL=15",
        "FREQ=SECONDLY",
        "FREQ=FORTNIGHTLY",
        "FREQ=YEARLY;BYHOUR=9",
        "FREQ=WEEKLY;BYMINUTE=30",
        "FREQ=DAILY;BYSECOND=0",
        "FREQ=YEARLY;RSCALE=HEBREW",
        "FREQ=MONTHLY;SKIP=FORWARD",
        "FREQ=YEARLY;RDATE=20240101",
        "FREQ=YEARLY;EXDATE=20240101",
        "FREQ=YEARLY;DTSTART=20240101",
        "FREQ=YEARLY;BYEASTER=0",
        // Parts in frequencies RFC 5545 forbids them in.
        "FREQ=DAILY;BYYEARDAY=1",
        "FREQ=WEEKLY;BYYEARDAY=1",
        "FREQ=MONTHLY;BYYEARDAY=-1",
        "FREQ=DAILY;BYWEEKNO=1",
        "FREQ=MONTHLY;BYWEEKNO=20",
        "FREQ=WEEKLY;BYDAY=2TU",
        "FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO",
        "FREQ=YEARLY;BYMONTH=11;BYDAY=6TH",
        "FREQ=MONTHLY;BYDAY=-20FR",
        "FREQ=YEARLY;BYSETPOS=-1",
        // Values out of range.
        "FREQ=YEARLY;BYDAY=54MO",
        "FREQ=YEARLY;BYDAY=0MO",
        "FREQ=YEARLY;BYYEARDAY=0",
        "FREQ=YEARLY;BYYEARDAY=-367",
        "FREQ=YEARLY;BYYEARDAY=99999",
        "FREQ=YEARLY;BYYEARDAY=first",
        "FREQ=YEARLY;BYWEEKNO=0",
        "FREQ=YEARLY;BYWEEKNO=54",
        "FREQ=YEARLY;BYWEEKNO=-300",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=YEARLY;BYWEEKNO=1;BYWEEKNO=2",
        // Accepted, for contrast.
        "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
        "freq=yearly;byyearday=-1;byweekno=-1;wkst=su",
    ] {
        cases.push((
            text.to_owned(),
            text.parse::<RecurrenceRule>().map(|r| r.to_string()),
        ));
    }
    insta::assert_snapshot!("rule_errors", lines(cases));
}

#[test]
fn rfc5545_text_errors() {
    let mut cases = Vec::new();
    for text in [
        "DTSTART:20240101T090000Z\nRRULE:FREQ=YEARLY\nEXDATE:20250101T090000Z",
        "DTSTART:20240101T090000Z\nRRULE:FREQ=YEARLY\nRDATE;VALUE=DATE:20250102",
        "DTSTART:20240101T090000Z\nRRULE:FREQ=YEARLY\nEXRULE:FREQ=YEARLY;BYMONTH=1",
        "DTSTART:20240101T090000Z\nRRULE:FREQ=HOURLY",
        "DTSTART:20240101T090000Z\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
    ] {
        cases.push((
            text.replace('\n', "\\n"),
            Schedule::from_rrule("yearly", text, None).map(|s| s.to_rrule().replace('\n', "\\n")),
        ));
    }
    insta::assert_snapshot!("rfc5545_text_errors", lines(cases));
}
