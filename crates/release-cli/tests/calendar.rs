//! `release calendar` run as a binary. Every answer is pinned with `--now`.

use insta::assert_snapshot;

mod support;
use support::release;

const EAT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/eat-slots/release.toml"
);

/// The EAT team's slots (seed 003) from its process file.
#[test]
fn eat_slots_from_a_file() {
    let output = release(
        &[
            "calendar",
            EAT,
            "--now",
            "2020-07-01T12:00:00+03:00",
            "--count",
            "2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    windows: closed until 2020-07-05T17:00:00Z: no allow window is active ("staging promotion")
    SCHEDULE    LOCAL                 ZONE            UTC                NOTES
    dev         Sun 2020-07-05 20:00  Africa/Nairobi  2020-07-05T17:00Z
    staging     Mon 2020-07-06 08:30  Africa/Nairobi  2020-07-06T05:30Z
    production  Wed 2020-07-08 07:30  Africa/Nairobi  2020-07-08T04:30Z
    dev         Sun 2020-07-12 20:00  Africa/Nairobi  2020-07-12T17:00Z
    staging     Mon 2020-07-13 08:30  Africa/Nairobi  2020-07-13T05:30Z
    production  Wed 2020-07-22 07:30  Africa/Nairobi  2020-07-22T04:30Z
    "#);
}

/// Mozilla Sync: every other Tuesday from 2020-11-17; from Wednesday
/// 2020-12-02 the next is 2020-12-15.
#[test]
fn every_other_tuesday_from_flags_as_json() {
    let output = release(
        &[
            "--json",
            "calendar",
            "--rule",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
            "--start",
            "2020-11-17",
            "--time",
            "10:00",
            "--zone",
            "America/Los_Angeles",
            "--now",
            "2020-12-02T12:00:00Z",
            "--count",
            "1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    {
      "now": "2020-12-02T12:00:00Z",
      "windows": null,
      "occurrences": [
        {
          "schedule": "release",
          "index": 2,
          "scheduled": "2020-12-15",
          "date": "2020-12-15",
          "local": "2020-12-15T10:00:00",
          "at": "2020-12-15T18:00:00Z",
          "zone": "America/Los_Angeles",
          "resolution": "exact",
          "notes": [],
          "on_duty": [],
          "milestones": []
        }
      ]
    }
    "#);
}

/// A holiday moves an occurrence, and `--explain` says why.
#[test]
fn explain_a_holiday_move() {
    let output = release(
        &[
            "calendar",
            "--rule",
            "FREQ=WEEKLY;BYDAY=TH",
            "--start",
            "2024-01-04",
            "--time",
            "09:00",
            "--zone",
            "America/New_York",
            "--holidays",
            "us",
            "--policy",
            "previous-working-day",
            "--explain",
            "2024-11-28",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 0
    --- stdout
    2024-11-28 is occurrence 48 of release (FREQ=WEEKLY;BYDAY=TH from 2024-01-04, at 09:00 America/New_York)
    2024-11-28 falls on Thanksgiving Day; moved to 2024-11-27 by previous_working_day
    => release Wed 2024-11-27 09:00 (America/New_York), 2024-11-27T14:00Z
    --- stderr
    warning: "previous-working-day" is a deprecated spelling of the holiday policy "previous_working_day"; write "previous_working_day" (the old spelling is read until release-core 0.3)
    ");
}

/// Bad input names itself and exits 2.
#[test]
fn bad_input_exits_2() {
    let zone = release(
        &[
            "calendar",
            "--rule",
            "FREQ=WEEKLY",
            "--start",
            "2024-01-01",
            "--time",
            "09:00",
            "--zone",
            "Mars/Base",
        ],
        None,
    );
    assert_snapshot!(zone, @r#"
    exit 2
    --- stderr
    error: unknown time zone "Mars/Base": expected an IANA name such as "Europe/London"
    "#);
    let rule = release(
        &[
            "calendar",
            "--rule",
            "FREQ=YEARLY",
            "--start",
            "2024-01-01",
            "--time",
            "09:00",
            "--zone",
            "UTC",
        ],
        None,
    );
    assert_snapshot!(rule, @r#"
    exit 2
    --- stderr
    error: invalid RRULE "FREQ=YEARLY": FREQ=YEARLY is not supported (DAILY, WEEKLY and MONTHLY are)
    "#);
    let missing = release(&["calendar", "--rule", "FREQ=WEEKLY"], None);
    assert_snapshot!(missing, @r"
    exit 2
    --- stderr
    error: --rule needs --start, --time and --zone (or a DTSTART line in the rule)
    ");
}

const MOZILLA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/mozilla-sync/release.toml"
);

/// Mozilla Sync (seed 002): the monthly release-manager rotation with a
/// swap, and the functional tests checked a working day before each
/// release.
#[test]
fn mozilla_rotation_and_milestones() {
    let output = release(
        &[
            "calendar",
            MOZILLA,
            "--now",
            "2020-12-02T12:00:00Z",
            "--count",
            "3",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 0
    --- stdout
    SCHEDULE  LOCAL                 ZONE                 UTC                ON DUTY  NOTES
    release   Tue 2020-12-15 10:00  America/Los_Angeles  2020-12-15T18:00Z  bob
    release   Tue 2020-12-29 10:00  America/Los_Angeles  2020-12-29T18:00Z  bob
    release   Tue 2021-01-12 10:00  America/Los_Angeles  2021-01-12T18:00Z  dave

    Mon 2020-12-14 10:00  functional tests checked = release 2020-12-15 minus 1 working day
    Mon 2020-12-28 10:00  functional tests checked = release 2020-12-29 minus 1 working day
    Mon 2021-01-11 10:00  functional tests checked = release 2021-01-12 minus 1 working day
    ");
}

/// `--ics`: an RFC 5545 calendar with CRLF line ends, a VTIMEZONE, stable
/// UIDs, and DTSTAMP from `--now`.
#[test]
fn ics_export() {
    let output = release(
        &[
            "calendar",
            MOZILLA,
            "--now",
            "2020-12-02T12:00:00Z",
            "--count",
            "1",
            "--ics",
        ],
        None,
    );
    assert!(
        output.contains("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
        "{output}"
    );
    assert!(
        output.contains("UID:release-20201215@release-core\r\n"),
        "{output}"
    );
    assert!(
        output.contains("DTSTART;TZID=America/Los_Angeles:20201215T100000\r\n"),
        "{output}"
    );
    assert!(
        output.contains("UID:release-20201215-functional-tests-checked@release-core\r\n"),
        "{output}"
    );
    assert!(
        output.contains("BEGIN:VTIMEZONE\r\nTZID:America/Los_Angeles\r\n"),
        "{output}"
    );
    assert!(output.contains("DTSTAMP:20201202T120000Z\r\n"), "{output}");
    // The same input gives the same bytes.
    let again = release(
        &[
            "calendar",
            MOZILLA,
            "--now",
            "2020-12-02T12:00:00Z",
            "--count",
            "1",
            "--ics",
        ],
        None,
    );
    assert_eq!(output, again);
}
