//! A release of several lines (`lines` of a `[[releases]]` entry): one next
//! version per chosen line, each from the line's own tags and within it;
//! tags of other lines never leak into a line's answer.

use std::collections::BTreeMap;

use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use release_core::gate::Facts;
use release_core::process::Process;

/// A patch day on the second Tuesday of every month; lines by minor, each
/// supported for a year after its first release; `lines` as given.
fn process(lines: &str) -> Process {
    Process::from_toml(
        "release.toml",
        &format!(
            r#"
[[components]]
name = "app"
tags = {{ scheme = {{ kind = "semver" }} }}

[components.lines]
key = 2
first_releases = {{ "1.0" = "2024-01-09", "1.1" = "2024-06-11", "1.2" = "2024-11-12" }}
phases = [{{ phase = "active" }}, {{ phase = "end_of_life", from = "1 year" }}]

[[schedules]]
name = "patch day"
time = "14:00"
zone = "UTC"
recurrence = {{ start = "2024-01-01", rule = {{ frequency = "monthly", by_day = ["2TU"] }} }}

[[releases]]
schedule = "patch day"
kind = "patch"
lines = {lines}
"#
        ),
    )
    .unwrap()
}

fn answers(
    process: &Process,
    tags: &[String],
    on: NaiveDate,
) -> Vec<(Option<String>, Option<String>)> {
    let now = Utc.from_utc_datetime(&on.and_hms_opt(0, 0, 0).unwrap());
    let tags = BTreeMap::from([("app".to_owned(), tags.to_vec())]);
    let releases = process
        .next_releases(now, &tags, &BTreeMap::new(), &Facts::new(), &[], None)
        .unwrap();
    releases[0]
        .versions
        .iter()
        .map(|v| (v.line.clone(), v.next.clone()))
        .collect()
}

fn strings(tags: &[&str]) -> Vec<String> {
    tags.iter().map(|t| (*t).to_owned()).collect()
}

#[test]
fn a_patch_day_releases_every_supported_line_from_its_own_tags() {
    let p = process(r#""supported""#);
    let tags = strings(&["1.0.4", "1.1.2", "1.2.0", "1.2.1-rc.1", "junk"]);
    let on = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    assert_eq!(
        answers(&p, &tags, on),
        vec![
            (Some("1.0".into()), Some("1.0.5".into())),
            (Some("1.1".into()), Some("1.1.3".into())),
            // An outstanding candidate of the line: its final is next.
            (Some("1.2".into()), Some("1.2.1".into())),
        ]
    );
    // 1.0 reached its end of life on 2025-01-09.
    let later = NaiveDate::from_ymd_opt(2025, 2, 1).unwrap();
    assert_eq!(answers(&p, &tags, later)[0].0.as_deref(), Some("1.1"));
}

#[test]
fn lines_by_key_and_by_phase() {
    let tags = strings(&["1.0.4", "1.1.2", "1.2.0"]);
    let on = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
    let keyed = process(r#"["1.1"]"#);
    assert_eq!(
        answers(&keyed, &tags, on),
        vec![(Some("1.1".into()), Some("1.1.3".into()))]
    );
    let ended = process(r#"{ phases = ["end_of_life"] }"#);
    let none = answers(&ended, &tags, on);
    assert_eq!(none, vec![(None, None)]);
}

#[test]
fn the_tags_not_of_the_scheme_are_reported_once() {
    let p = process(r#""supported""#);
    let now = Utc.with_ymd_and_hms(2024, 12, 1, 0, 0, 0).unwrap();
    let tags = BTreeMap::from([("app".to_owned(), strings(&["1.0.4", "1.1.2", "junk"]))]);
    let releases = p
        .next_releases(now, &tags, &BTreeMap::new(), &Facts::new(), &[], None)
        .unwrap();
    let versions = &releases[0].versions;
    assert_eq!(versions[0].rejected.len(), 1);
    assert_eq!(versions[0].rejected[0].tag, "junk");
    assert!(versions[1..].iter().all(|v| v.rejected.is_empty()));
}

proptest! {
    /// Whatever the tags, each answer of a patch day is of its line and
    /// after every tag of that line.
    #[test]
    fn each_answer_stays_in_its_line(
        tags in prop::collection::vec((0u64..3, 0u64..4, prop::option::of(1u64..3)), 1..16),
    ) {
        let p = process(r#""supported""#);
        let texts: Vec<String> = tags
            .iter()
            .map(|(minor, patch, rc)| match rc {
                Some(n) => format!("1.{minor}.{patch}-rc.{n}"),
                None => format!("1.{minor}.{patch}"),
            })
            .collect();
        let on = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
        for (line, next) in answers(&p, &texts, on) {
            let (Some(line), Some(next)) = (line, next) else { continue };
            let v = semver::Version::parse(&next).unwrap();
            prop_assert_eq!(format!("{}.{}", v.major, v.minor), line.clone());
            for t in &texts {
                let tv = semver::Version::parse(t).unwrap();
                if format!("{}.{}", tv.major, tv.minor) == line {
                    prop_assert!(tv < v, "{} !< {}", t, next);
                }
            }
        }
    }
}
