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
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2024-11-28 is occurrence 48 of release (FREQ=WEEKLY;BYDAY=TH from 2024-01-04, at 09:00 America/New_York)
    2024-11-28 falls on Thanksgiving Day; moved to 2024-11-27 by previous_working_day
    => release Wed 2024-11-27 09:00 (America/New_York), 2024-11-27T14:00Z
    --- stderr
    warning: "previous-working-day" is a deprecated spelling of the holiday policy "previous_working_day"; write "previous_working_day" (the old spelling is read until release-core 0.3)
    "#);
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
            "FREQ=HOURLY",
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
    error: invalid RRULE "FREQ=HOURLY": FREQ=HOURLY is not supported: a schedule has one time of day; use FREQ=DAILY and the schedule's time (one schedule per time of day)
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

/// HIGH-7: a count above the documented limit is refused at once, before
/// anything is made (it used to build 10.6 GB of occurrences).
#[test]
fn a_count_above_the_limit_is_refused_at_once() {
    let start = std::time::Instant::now();
    let output = release(
        &[
            "calendar",
            "--rule",
            "FREQ=DAILY",
            "--start",
            "2024-01-01",
            "--time",
            "09:00",
            "--zone",
            "UTC",
            "--now",
            "2024-01-01T00:00:00Z",
            "--count",
            "100000000",
        ],
        None,
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: --count 100000000 is more than the 100000 occurrences a listing may hold per schedule; ask for fewer (a later --now lists later ones)
    ");
    let (_, help, _) = support::run(&["calendar", "--help"], None);
    assert!(help.contains("at most 100000"), "{help}");
}

/// HIGH-7: at the limit, the listing streams: every occurrence, in order,
/// as text and as one JSON document.
#[test]
fn the_limit_itself_is_listed() {
    let args = [
        "calendar",
        "--rule",
        "FREQ=DAILY",
        "--start",
        "2024-01-01",
        "--time",
        "09:00",
        "--zone",
        "UTC",
        "--now",
        "2024-01-01T00:00:00Z",
        "--count",
        "100000",
    ];
    let (code, text, _) = support::run(&args, None);
    assert_eq!(code, 0);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 100_001);
    assert_eq!(
        lines[1],
        "release   Mon 2024-01-01 09:00  UTC   2024-01-01T09:00Z"
    );
    // Rows after the first thousand keep the first thousand's widths.
    assert_eq!(
        lines[100_000],
        "release   Fri 2297-10-15 09:00  UTC   2297-10-15T09:00Z"
    );
    let mut json_args = vec!["--json"];
    json_args.extend(args);
    let (code, json, _) = support::run(&json_args, None);
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("one JSON document");
    let list = doc["occurrences"].as_array().expect("an array");
    assert_eq!(list.len(), 100_000);
    assert_eq!(list[99_999]["date"], "2297-10-15");
    assert_eq!(doc["now"], "2024-01-01T00:00:00Z");
}

/// LOW-14: a junk UNTIL (chrono's lenient %Y%m%d read `-1 7 7` as year
/// -1) is refused, so what is accepted prints back as it reads.
#[test]
fn junk_until_is_refused() {
    let output = release(
        &[
            "calendar",
            "--rule",
            "FREQ=WEEKLY;UNTIL=-1 7 7",
            "--start",
            "2024-01-04",
            "--time",
            "09:00",
            "--zone",
            "UTC",
            "--now",
            "2024-01-01T00:00:00Z",
            "--explain",
            "2024-01-04",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid RRULE "FREQ=WEEKLY;UNTIL=-1 7 7": UNTIL=-1 7 7 is not a date such as 20241231 (exactly 8 digits, YYYYMMDD)
    "#);
}

/// LOW-17: an ICS event after the year 9999 would be an invalid DATE-TIME
/// (`+100000101T090000`): refused, naming the year.
#[test]
fn ics_refuses_years_past_9999() {
    let output = release(
        &[
            "calendar",
            "--rule",
            "FREQ=DAILY",
            "--start",
            "2024-01-01",
            "--time",
            "09:00",
            "--zone",
            "Europe/London",
            "--now",
            "9999-12-30T00:00:00Z",
            "--count",
            "4",
            "--ics",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: ics event "release-+100000101@release-core": it starts in the year 10000, and an RFC 5545 date has a four-digit year (0 to 9999); export an earlier range
    "#);
}

/// LOW-18: messages that say what is wrong: a COUNT too large (not "not a
/// number"), a shift no policy can make (the occurrence silently vanished
/// and --explain blamed "no date within 31 days").
#[test]
fn misleading_messages_say_what_is_wrong() {
    let output = release(
        &[
            "calendar",
            "--rule",
            "FREQ=DAILY;COUNT=18446744073709551615",
            "--start",
            "2024-01-01",
            "--time",
            "09:00",
            "--zone",
            "UTC",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid RRULE "FREQ=DAILY;COUNT=18446744073709551615": COUNT=18446744073709551615 is too large: at most 4294967295
    "#);
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
            "shift",
            "--shift",
            "100000000",
            "--explain",
            "2024-11-28",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: schedule "release": a shift of 100000000 days is more than a holiday policy may move an occurrence (at most 31 days either way)
    "#);
}

/// A yearly rule from flags: US Thanksgiving, the fourth Thursday of
/// November.
#[test]
fn thanksgiving_is_yearly() {
    let output = release(
        &[
            "calendar",
            "--rule",
            "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
            "--start",
            "2024-01-01",
            "--time",
            "09:00",
            "--zone",
            "America/New_York",
            "--now",
            "2024-06-01T00:00:00Z",
            "--count",
            "3",
        ],
        None,
    );
    assert_snapshot!(output);
}

const CPYTHON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/cpython/release.toml"
);

/// A schedule that is a published table of dates, and one mixing a table
/// with a rule: the LABEL column, the label in JSON, and ICS summaries
/// that say what ships.
#[test]
fn published_dates_tables() {
    let args = |extra: &[&'static str]| {
        let mut a = vec![
            "calendar",
            CPYTHON,
            "--now",
            "2025-03-01T00:00:00Z",
            "--count",
            "3",
        ];
        a.extend_from_slice(extra);
        a
    };
    insta::assert_snapshot!("published_dates_table", release(&args(&[]), None));
    let json = release(&args(&["--json"]), None);
    let body = json.split_once("--- stdout\n").unwrap().1;
    let doc: serde_json::Value = serde_json::from_str(body).unwrap();
    let labels: Vec<&str> = doc["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["label"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(
        labels,
        [
            "3.14.0 alpha 6",
            "3.14.0 alpha 7",
            "3.13.3",
            "3.14.0 beta 1",
            "3.13.4",
            "3.13.5",
            "3.14.0",
            "3.15.0 beta 1",
            "3.15.0",
            "3.16.0"
        ]
    );
    assert_eq!(doc["occurrences"][2]["scheduled"], "2025-04-01");
    let ics = release(&args(&["--ics"]), None);
    assert!(ics.contains("X-WR-CALNAME:Python\r\n"), "{ics}");
    assert!(ics.contains("SUMMARY:Python 3.14.0 alpha 6\r\n"), "{ics}");
    assert!(ics.contains("SUMMARY:Python 3.13.3\r\n"), "{ics}");
    assert!(
        ics.contains("SUMMARY:Python 3.14.0 beta 1: announcement drafted\r\n"),
        "{ics}"
    );
    let explained = release(&["calendar", CPYTHON, "--explain", "2025-04-01"], None);
    assert!(
        explained
            .contains("moved to 2025-04-08 by the dates table's entry for 2025-04-08 (3.13.3)"),
        "{explained}"
    );
    // Without labels, the table has no LABEL column.
    let plain = release(
        &[
            "calendar",
            EAT,
            "--now",
            "2020-07-01T12:00:00+03:00",
            "--count",
            "1",
        ],
        None,
    );
    assert!(!plain.contains("LABEL"), "{plain}");
}

/// Mozilla Sync's next releases as a Mermaid Gantt chart: the milestone a
/// working day before, the release, the planned steps.
#[test]
fn mermaid_gantt_of_the_next_releases() {
    let output = release(
        &[
            "calendar",
            MOZILLA,
            "--format",
            "mermaid",
            "--now",
            "2020-12-02T12:00:00Z",
            "--count",
            "2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
gantt
  title Next releases of mozilla-sync (times in America/Los_Angeles)
  dateFormat YYYY-MM-DD HH:mm
  section release Tue 2020-12-15
  functional tests checked :milestone, r1_m1, 2020-12-14 10:00, 0d
  release release :milestone, r1_release, 2020-12-15 10:00, 0d
  check-functional-tests :r1_s1, 2020-12-15 10:00, 2020-12-15 10:30
  tag :r1_s2, 2020-12-15 10:10, 2020-12-15 11:00
  deploy-staging :r1_s3, 2020-12-15 10:25, 2020-12-15 11:40
  deployment-request :r1_s4, 2020-12-15 10:25, 2020-12-15 11:30
  deploy-production :r1_s5, 2020-12-15 10:40, 2020-12-15 13:30
  monitor :r1_s6, 2020-12-15 11:10, 2020-12-15 15:30
  section release Tue 2020-12-29
  functional tests checked :milestone, r2_m1, 2020-12-28 10:00, 0d
  release release :milestone, r2_release, 2020-12-29 10:00, 0d
  check-functional-tests :r2_s1, 2020-12-29 10:00, 2020-12-29 10:30
  tag :r2_s2, 2020-12-29 10:10, 2020-12-29 11:00
  deploy-staging :r2_s3, 2020-12-29 10:25, 2020-12-29 11:40
  deployment-request :r2_s4, 2020-12-29 10:25, 2020-12-29 11:30
  deploy-production :r2_s5, 2020-12-29 10:40, 2020-12-29 13:30
  monitor :r2_s6, 2020-12-29 11:10, 2020-12-29 15:30
"#);
}

#[test]
fn mermaid_gantt_as_json() {
    let output = release(
        &[
            "--json",
            "calendar",
            MOZILLA,
            "--format",
            "mermaid",
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
  "format_version": 1,
  "name": "mozilla-sync",
  "format": "mermaid",
  "gantt": "gantt\n  title Next releases of mozilla-sync (times in America/Los_Angeles)\n  dateFormat YYYY-MM-DD HH:mm\n  section release Tue 2020-12-15\n  functional tests checked :milestone, r1_m1, 2020-12-14 10:00, 0d\n  release release :milestone, r1_release, 2020-12-15 10:00, 0d\n  check-functional-tests :r1_s1, 2020-12-15 10:00, 2020-12-15 10:30\n  tag :r1_s2, 2020-12-15 10:10, 2020-12-15 11:00\n  deploy-staging :r1_s3, 2020-12-15 10:25, 2020-12-15 11:40\n  deployment-request :r1_s4, 2020-12-15 10:25, 2020-12-15 11:30\n  deploy-production :r1_s5, 2020-12-15 10:40, 2020-12-15 13:30\n  monitor :r1_s6, 2020-12-15 11:10, 2020-12-15 15:30\n"
}
"#);
}

/// `--format mermaid` charts a process file's releases: not with --ics,
/// --explain or --rule, and not of a process without schedules.
#[test]
fn mermaid_gantt_refusals() {
    let no_schedule = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ecr-viewer/release.toml"
    );
    let cases: [&[&str]; 4] = [
        &["calendar", MOZILLA, "--format", "mermaid", "--ics"],
        &[
            "calendar",
            MOZILLA,
            "--format",
            "mermaid",
            "--explain",
            "2020-12-15",
        ],
        &[
            "calendar",
            "--format",
            "mermaid",
            "--rule",
            "FREQ=WEEKLY;BYDAY=TU",
            "--start",
            "2020-11-17",
            "--time",
            "10:00",
            "--zone",
            "UTC",
        ],
        &["calendar", no_schedule, "--format", "mermaid"],
    ];
    let outputs: Vec<String> = cases
        .iter()
        .map(|args| release(args, None).replace(env!("CARGO_MANIFEST_DIR"), "<cli>"))
        .collect();
    assert_snapshot!(outputs.join("\n"), @r#"
exit 2
--- stderr
error: --format mermaid draws a Gantt chart; --ics prints an ICS calendar: give one of them

exit 2
--- stderr
error: --format mermaid draws the next releases; --explain explains one date: give one of them

exit 2
--- stderr
error: --format mermaid charts the releases of a process FILE (its milestones and steps); give FILE, not --rule

exit 2
--- stderr
error: <cli>/../../examples/ecr-viewer/release.toml: process "ecr-viewer" has no schedule, so it has no release days to chart: add a [[schedules]] table (and `release_day` naming it)
"#);
}
