//! ICS export: a hand-written RFC 5545 reader checks what the exporter
//! writes (line endings, folding, escaping, components, time zones), and a
//! snapshot pins one whole calendar.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use release_core::calendar::{
    HolidayPolicy, HolidaySource, IcsCalendar, Milestone, Milestones, OffsetUnit, Override,
    Recurrence, RecurrenceRule, Schedule, Zone,
};

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

/// One content line: name, parameters, value (still escaped).
#[derive(Debug, Clone)]
struct Prop {
    name: String,
    params: BTreeMap<String, String>,
    value: String,
}

/// A component with its properties and sub-components.
#[derive(Debug, Clone, Default)]
struct Component {
    name: String,
    props: Vec<Prop>,
    children: Vec<Component>,
}

impl Component {
    fn get(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }

    fn value(&self, name: &str) -> &str {
        &self
            .get(name)
            .unwrap_or_else(|| panic!("{} has no {name}", self.name))
            .value
    }

    fn all(&self, name: &str) -> Vec<&Component> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// Reads RFC 5545 text strictly enough to catch what matters here: CRLF
/// only, physical lines of at most 75 octets, unfolding, balanced
/// BEGIN/END, `NAME;PARAM=V:VALUE` lines.
fn parse(text: &str) -> Component {
    assert!(text.ends_with("\r\n"));
    assert!(
        !text.replace("\r\n", "").contains('\n') && !text.replace("\r\n", "").contains('\r'),
        "bare CR or LF"
    );
    for physical in text.split("\r\n") {
        assert!(physical.len() <= 75, "line over 75 octets: {physical:?}");
    }
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut stack: Vec<Component> = vec![Component::default()];
    for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
        let colon = line.find(':').unwrap_or_else(|| panic!("no colon: {line}"));
        let (head, value) = (&line[..colon], &line[colon + 1..]);
        let mut parts = head.split(';');
        let name = parts.next().unwrap().to_owned();
        let params = parts
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        match name.as_str() {
            "BEGIN" => stack.push(Component {
                name: value.to_owned(),
                ..Component::default()
            }),
            "END" => {
                let done = stack.pop().unwrap();
                assert_eq!(done.name, value, "END does not match BEGIN");
                stack.last_mut().unwrap().children.push(done);
            }
            _ => stack.last_mut().unwrap().props.push(Prop {
                name,
                params,
                value: value.to_owned(),
            }),
        }
    }
    assert_eq!(stack.len(), 1, "unbalanced BEGIN/END");
    let mut root = stack.pop().unwrap();
    assert_eq!(root.children.len(), 1);
    root.children.pop().unwrap()
}

fn unescape(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next().unwrap() {
                'n' | 'N' => out.push('\n'),
                other => out.push(other),
            }
        } else {
            assert!(c != ';' && c != ',', "unescaped {c:?} in {value:?}");
            out.push(c);
        }
    }
    out
}

fn local(value: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%S").unwrap()
}

/// Seed 002's train over the March 2021 DST change, with US holidays, an
/// added hotfix, and a code freeze; seed 003's production slot in Nairobi.
fn calendar() -> (IcsCalendar, Vec<(String, DateTime<Utc>, String)>) {
    let mozilla = Schedule::new(
        "Sync release",
        Recurrence::new(d("2020-11-17"), RecurrenceRule::weekly(2, &[Weekday::Tue])).unwrap(),
        hm(10, 0),
        "America/Los_Angeles".parse().unwrap(),
    )
    .unwrap()
    .with_holidays(
        vec![HolidaySource::Builtin("us".into())],
        HolidayPolicy::NextWorkingDay,
    )
    .unwrap()
    .with_override(Override::Add {
        date: d("2021-03-16"),
        time: Some(hm(15, 0)),
        reason: "hotfix; see bug 1695, urgent\\now".into(),
    })
    .unwrap();
    let eat = Schedule::new(
        "production",
        Recurrence::new(d("2020-07-08"), RecurrenceRule::weekly(2, &[Weekday::Wed])).unwrap(),
        hm(7, 30),
        "Africa/Nairobi".parse().unwrap(),
    )
    .unwrap();
    let milestones = Milestones::new(vec![
        Milestone::new("code freeze", -2, OffsetUnit::WorkingDays).at(hm(17, 0)),
    ])
    .unwrap();
    let (from, to) = (t("2021-03-01T00:00:00Z"), t("2021-03-24T00:00:00Z"));
    let moz = mozilla.between(from, to);
    let nbo = eat.between(from, to);
    let mut cal = IcsCalendar::new("Release calendar, Sync & EAT");
    cal.add_occurrences(&mozilla, &moz, Duration::hours(1))
        .unwrap();
    cal.add_occurrences(&eat, &nbo, Duration::minutes(90))
        .unwrap();
    let mut expected: Vec<(String, DateTime<Utc>, String)> = Vec::new();
    for o in &moz {
        let uid = match o.index {
            Some(_) => format!("sync-release-{}@release-core", o.scheduled.format("%Y%m%d")),
            None => format!(
                "sync-release-{}T{}-added@release-core",
                o.scheduled.format("%Y%m%d"),
                o.local.format("%H%M")
            ),
        };
        expected.push((uid, o.at, "America/Los_Angeles".into()));
        if o.index.is_some() {
            let placed = milestones.resolve(&mozilla, o).unwrap();
            cal.add_milestones(&mozilla, o, &placed, Duration::zero())
                .unwrap();
            expected.push((
                format!(
                    "sync-release-{}-code-freeze@release-core",
                    o.scheduled.format("%Y%m%d")
                ),
                placed[0].at,
                "America/Los_Angeles".into(),
            ));
        }
    }
    for o in &nbo {
        expected.push((
            format!("production-{}@release-core", o.scheduled.format("%Y%m%d")),
            o.at,
            "Africa/Nairobi".into(),
        ));
    }
    (cal, expected)
}

#[test]
fn exported_calendar_reads_back() {
    let (cal, expected) = calendar();
    let now = t("2021-03-01T12:00:00Z");
    let text = cal.to_ics(now);
    let vcal = parse(&text);
    assert_eq!(vcal.name, "VCALENDAR");
    assert_eq!(vcal.value("VERSION"), "2.0");
    assert_eq!(vcal.value("PRODID"), release_core::calendar::PRODID);
    assert_eq!(
        unescape(vcal.value("X-WR-CALNAME")),
        "Release calendar, Sync & EAT"
    );

    // One VTIMEZONE per zone used.
    let zones: BTreeMap<String, &Component> = vcal
        .all("VTIMEZONE")
        .into_iter()
        .map(|z| (z.value("TZID").to_owned(), z))
        .collect();
    assert_eq!(
        zones.keys().collect::<Vec<_>>(),
        ["Africa/Nairobi", "America/Los_Angeles"]
    );
    // Nairobi has no DST: a single STANDARD at +0300.
    let nbo = zones["Africa/Nairobi"];
    assert_eq!(nbo.children.len(), 1);
    assert_eq!(nbo.children[0].name, "STANDARD");
    assert_eq!(nbo.children[0].value("TZOFFSETTO"), "+0300");
    assert_eq!(nbo.children[0].value("TZOFFSETFROM"), "+0300");
    // Los Angeles: PST in force at the start, then the change to PDT on
    // 2021-03-14 at 02:00 local standard time.
    let la = zones["America/Los_Angeles"];
    let kinds: Vec<&str> = la.children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(kinds, ["STANDARD", "DAYLIGHT"]);
    let dst = &la.children[1];
    assert_eq!(dst.value("DTSTART"), "20210314T020000");
    assert_eq!(dst.value("TZOFFSETFROM"), "-0800");
    assert_eq!(dst.value("TZOFFSETTO"), "-0700");
    assert_eq!(dst.value("TZNAME"), "PDT");

    let events = vcal.all("VEVENT");
    assert_eq!(events.len(), expected.len());
    for (uid, at, zone) in &expected {
        let e = events
            .iter()
            .find(|e| e.value("UID") == uid)
            .unwrap_or_else(|| panic!("no event {uid}"));
        assert_eq!(e.value("DTSTAMP"), "20210301T120000Z");
        let start = e.get("DTSTART").unwrap();
        assert_eq!(start.params["TZID"], *zone);
        assert!(zones.contains_key(zone));
        // The local time, read in its zone, is the occurrence's instant.
        let z: Zone = zone.parse().unwrap();
        assert_eq!(z.resolve(local(&start.value)).0, *at, "{uid}");
        assert!(e.get("DURATION").is_some());
        assert!(!e.value("SUMMARY").is_empty());
    }
    let uids: std::collections::BTreeSet<&str> = events.iter().map(|e| e.value("UID")).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");

    // Escaping round-trips.
    let hotfix = events
        .iter()
        .find(|e| e.value("UID").ends_with("-added@release-core"))
        .unwrap();
    assert_eq!(
        unescape(hotfix.value("DESCRIPTION")),
        "an added occurrence of Sync release\nadded: hotfix; see bug 1695, urgent\\now"
    );
    let freeze = events
        .iter()
        .find(|e| e.value("UID") == "sync-release-20210323-code-freeze@release-core")
        .unwrap();
    assert_eq!(freeze.value("DTSTART"), "20210319T170000");
    assert_eq!(freeze.value("DURATION"), "PT0S");
    assert_eq!(
        unescape(freeze.value("SUMMARY")),
        "code freeze (Sync release 2021-03-23)"
    );
}

#[test]
fn export_is_stable_across_runs() {
    let now = t("2021-03-01T12:00:00Z");
    let a = calendar().0.to_ics(now);
    let b = calendar().0.to_ics(now);
    assert_eq!(a, b);
    // Only DTSTAMP depends on `now`.
    let later = calendar().0.to_ics(t("2021-03-02T00:00:00Z"));
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.starts_with("DTSTAMP"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&a), strip(&later));
}

#[test]
fn duplicate_uids_and_negative_durations_are_refused() {
    let s = Schedule::new(
        "r",
        Recurrence::new(d("2024-01-02"), RecurrenceRule::weekly(1, &[Weekday::Tue])).unwrap(),
        hm(9, 0),
        Zone::UTC,
    )
    .unwrap();
    let occ: Vec<_> = s.occurrences().take(1).collect();
    let mut cal = IcsCalendar::new("x");
    cal.add_occurrences(&s, &occ, Duration::hours(1)).unwrap();
    let e = cal
        .add_occurrences(&s, &occ, Duration::hours(1))
        .unwrap_err();
    insta::assert_snapshot!(e, @r#"ics event "r-20240102@release-core": the UID is already in the calendar"#);
    let e = IcsCalendar::new("y")
        .add_occurrences(&s, &occ, Duration::hours(-1))
        .unwrap_err();
    insta::assert_snapshot!(e, @r#"ics event "r-20240102@release-core": the duration is negative"#);
}

#[test]
fn snapshot_of_one_calendar() {
    let (cal, _) = calendar();
    let text = cal.to_ics(t("2021-03-01T12:00:00Z"));
    // CRLF shown as a visible marker so the snapshot pins line endings too.
    insta::assert_snapshot!(text.replace("\r\n", "⏎\n"));
}
