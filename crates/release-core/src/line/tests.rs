use chrono::NaiveDate;
use insta::assert_snapshot;
use proptest::prelude::*;

use super::*;
use crate::version::{Scheme, Version};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn versions(scheme: &Scheme, tags: &[&str]) -> Vec<Version> {
    tags.iter().map(|t| scheme.parse(t).unwrap()).collect()
}

fn read(toml_text: &str, scheme: &Scheme) -> crate::Result<Lines> {
    let def: LinesDef = toml::from_str(toml_text).unwrap();
    Lines::new(def, scheme)
}

fn error(toml_text: &str, scheme: &Scheme) -> String {
    read(toml_text, scheme).unwrap_err().to_string()
}

#[test]
fn semver_minor_lines_hold_their_prereleases_and_nothing_else() {
    let s = Scheme::semver();
    let lines = read("key = 2", &s).unwrap();
    let tags = versions(
        &s,
        &[
            "1.35.3",
            "1.36.0",
            "1.35.0",
            "1.36.1-rc.1",
            "1.35.4-rc.1",
            "v2.0.0",
        ],
    );
    let all = lines.lines(&tags).unwrap();
    let keys: Vec<&str> = all.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(keys, ["1.35", "1.36", "2.0"]);
    let texts: Vec<String> = all[0].versions.iter().map(ToString::to_string).collect();
    assert_eq!(texts, ["1.35.0", "1.35.3", "1.35.4-rc.1"]);
    assert_eq!(
        lines.next_patch("1.35", &tags).unwrap().to_string(),
        "1.35.4"
    );
    assert_eq!(
        lines.next_patch("1.36", &tags).unwrap().to_string(),
        "1.36.1"
    );
    assert_eq!(
        lines.next_patch("1.37", &tags).unwrap().to_string(),
        "1.37.0"
    );
}

#[test]
fn majors_are_lines_and_key_order_is_numeric() {
    let s = Scheme::semver();
    let lines = read("key = 1", &s).unwrap();
    let tags = versions(&s, &["10.0.0", "9.1.0", "9.0.2", "v20.18.1"]);
    let all = lines.lines(&tags).unwrap();
    let keys: Vec<&str> = all.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(keys, ["9", "10", "20"]);
    assert_eq!(lines.next_patch("9", &tags).unwrap().to_string(), "9.1.1");
    assert_eq!(
        lines.next_patch("20", &tags).unwrap().to_string(),
        "v20.18.2"
    );
}

#[test]
fn calver_prefix_lines() {
    let s = Scheme::calver("YYYY.0M.MICRO").unwrap();
    let lines = read(r#"key = "YYYY""#, &s).unwrap();
    let tags = versions(&s, &["2024.01.1", "2024.11.3", "2025.02.1"]);
    let all = lines.lines(&tags).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].key, "2024");
    assert_eq!(all[0].versions.len(), 2);
    let monthly = read(r#"key = "YYYY.0M""#, &s).unwrap();
    assert_eq!(monthly.key_of(&tags[1]).as_deref(), Some("2024.11"));
    assert_eq!(
        monthly.next_patch("2024.11", &tags).unwrap().to_string(),
        "2024.11.4"
    );
}

#[test]
fn explicit_lines() {
    let s = Scheme::semver();
    let lines = read(
        r#"key = { stable = ["1.0.0", "1.0.1"], next = ["2.0.0-rc.1"] }"#,
        &s,
    )
    .unwrap();
    let tags = versions(&s, &["1.0.0", "1.0.1", "2.0.0-rc.1", "3.0.0"]);
    let all = lines.lines(&tags).unwrap();
    let keys: Vec<(&str, usize)> = all
        .iter()
        .map(|l| (l.key.as_str(), l.versions.len()))
        .collect();
    assert_eq!(keys, [("next", 1), ("stable", 2)]);
    assert_eq!(lines.key_of(&tags[3]), None);
    assert_eq!(
        lines.next_patch("stable", &tags).unwrap().to_string(),
        "1.0.2"
    );
}

const NODE: &str = r#"
key = 1
first_releases = { "20" = "2023-04-18", "21" = "2023-10-17", "22" = "2024-04-24", "23" = "2024-10-16" }
phases = [
  { phase = "current" },
  { phase = "active", lines = "even", after_newer = 1, from = "6 days then next TU" },
  { phase = "maintenance", lines = "even", from = "12 months then next 10-01 then 3TU of month" },
  { phase = "maintenance", lines = "odd", from = "next 04-01" },
  { phase = "end_of_life", lines = "even", from = "30 months then next 04-30" },
  { phase = "end_of_life", lines = "odd", from = "next 06-01" },
]
dates = { "20" = { maintenance = "2024-10-22" } }
"#;

#[test]
fn phases_by_rule_from_newer_lines_and_declared() {
    let s = Scheme::semver();
    let lines = read(NODE, &s).unwrap();
    let all = lines.lines(&[]).unwrap();
    let l20 = &all[0];
    assert_eq!(l20.start_of(SupportPhase::Current), Some(d(2023, 4, 18)));
    assert_eq!(l20.start_of(SupportPhase::Active), Some(d(2023, 10, 24)));
    assert_eq!(
        l20.start_of(SupportPhase::Maintenance),
        Some(d(2024, 10, 22))
    );
    assert!(l20.phases.iter().any(|p| p.declared));
    assert_eq!(l20.end_of_life(), Some(d(2026, 4, 30)));
    let l22 = &all[2];
    assert_eq!(l22.start_of(SupportPhase::Active), Some(d(2024, 10, 29)));
    assert_eq!(
        l22.start_of(SupportPhase::Maintenance),
        Some(d(2025, 10, 21))
    );
    // 23 has no newer line dated: its phases are from its own release.
    let l23 = &all[3];
    assert_eq!(l23.start_of(SupportPhase::Maintenance), Some(d(2025, 4, 1)));
    assert_eq!(l23.end_of_life(), Some(d(2025, 6, 1)));
    let on = l22.phase_on(d(2025, 1, 1)).unwrap();
    assert_eq!(on.phase, SupportPhase::Active);
    assert_eq!(
        (on.since, on.until),
        (d(2024, 10, 29), Some(d(2025, 10, 21)))
    );
    assert_eq!(on.next, Some(SupportPhase::Maintenance));
    let supported = lines.supported_on(&[], d(2025, 5, 1)).unwrap();
    let keys: Vec<(&str, SupportPhase)> = supported
        .iter()
        .map(|(l, p)| (l.key.as_str(), p.phase))
        .collect();
    assert_eq!(
        keys,
        [
            ("20", SupportPhase::Maintenance),
            ("22", SupportPhase::Active),
            ("23", SupportPhase::Maintenance)
        ]
    );
    assert!(!all[1].is_supported(d(2024, 6, 1)));
    assert_eq!(all[0].phase_on(d(2023, 1, 1)), None);
}

#[test]
fn a_phase_counted_from_an_undated_newer_line_is_not_dated_yet() {
    let s = Scheme::semver();
    let lines = read(
        r#"key = 1
first_releases = { "24" = "2025-05-06" }
phases = [{ phase = "current" }, { phase = "active", after_newer = 1 }]"#,
        &s,
    )
    .unwrap();
    let all = lines.lines(&versions(&s, &["25.0.0"])).unwrap();
    assert_eq!(all[0].start_of(SupportPhase::Active), None);
    assert_eq!(all[0].phase_on(d(2030, 1, 1)).unwrap().until, None);
    assert_eq!(all[1].phases[0].start, None, "25 has no first release date");
}

#[test]
fn every_fourth_and_lists() {
    let s = Scheme::semver();
    let lines = read(
        r#"key = 1
first_releases = { "4" = "2020-01-01", "5" = "2020-06-01", "8" = "2021-01-01" }
phases = [
  { phase = "current" },
  { phase = "active", lines = { every = 4, from = 4 }, from = "1 month" },
  { phase = "security", lines = ["5"], from = "1 year" },
]"#,
        &s,
    )
    .unwrap();
    let all = lines.lines(&[]).unwrap();
    assert_eq!(all[0].start_of(SupportPhase::Active), Some(d(2020, 2, 1)));
    assert_eq!(all[1].start_of(SupportPhase::Active), None);
    assert_eq!(all[1].start_of(SupportPhase::Security), Some(d(2021, 6, 1)));
    assert_eq!(all[2].start_of(SupportPhase::Active), Some(d(2021, 2, 1)));
}

#[test]
fn phase_events_are_all_day_with_stable_uids() {
    let s = Scheme::semver();
    let lines = read(NODE, &s).unwrap();
    let all = lines.lines(&[]).unwrap();
    let events = Lines::phase_events("node", &all[..1]);
    let summaries: Vec<&str> = events.iter().map(|e| e.summary.as_str()).collect();
    assert_eq!(
        summaries,
        [
            "node 20: current",
            "node 20: active",
            "node 20: maintenance",
            "node 20: end_of_life"
        ]
    );
    assert_eq!(events[3].uid, "line-node-20-end_of_life@release-core");
    assert_snapshot!(events[1].description, @r#"Line 20 of node enters its active phase on 2023-10-24: +6 days then next TU after line 21's first release (2023-10-17)."#);
}

#[test]
fn errors_name_the_key() {
    let semver = Scheme::semver();
    let calver = Scheme::calver("YYYY.0M.MICRO").unwrap();
    assert_snapshot!(error("key = 3", &semver), @r#"lines.key: 3 release components do not make a line; a line shares its first 1 (majors, `20` for 20.x) or 2 (`1.35` for 1.35.x) release components"#);
    assert_snapshot!(error("key = 2", &calver), @r#"lines.key: a number (2) counts SemVer or PEP 440 release components, and the scheme is calver (format YYYY.0M.MICRO); give a prefix of its format, such as "YYYY""#);
    assert_snapshot!(error(r#"key = "YYYY""#, &semver), @r#"lines.key: a text ("YYYY") is a prefix of a CalVer format, and the scheme is semver; give the number of release components, such as 2"#);
    assert_snapshot!(error(r#"key = "YYYY.MM""#, &calver), @r#"lines.key: "YYYY.MM" is not a prefix of the format YYYY.0M.MICRO that ends before one of its fields (such as "YYYY")"#);
    assert_snapshot!(error(r#"key = "YYYY.0M.MICRO""#, &calver), @r#"lines.key: "YYYY.0M.MICRO" is not a prefix of the format YYYY.0M.MICRO that ends before one of its fields (such as "YYYY")"#);
    assert_snapshot!(error(r#"key = { a = ["1.0.0"], b = ["1.0.0"] }"#, &semver), @r#"lines.key."b": "1.0.0" is also in line "a"; a version belongs to one line"#);
    assert_snapshot!(error(r#"key = { a = ["one"] }"#, &semver), @r#"lines.key."a": "one": invalid version "one" for SemVer: unexpected character 'o' while parsing major version number"#);
    assert_snapshot!(error(r#"key = 1
first_releases = { "20.1" = "2023-04-18" }"#, &semver), @r#"lines.first_releases: "20.1" is not a line key: a line of key = 1 is written as one number, such as "20""#);
    assert_snapshot!(error(r#"key = "YYYY"
dates = { "2024.01" = { end_of_life = "2030-01-01" } }"#, &calver), @r#"lines.dates: "2024.01" is not a line key: a line of key = "YYYY" is written as one number"#);
    assert_snapshot!(error(r#"key = 1
phases = [{ phase = "current", from = "2 hours" }]"#, &semver), @r#"lines.phases[0].from: "+2 hours" counts minutes or hours; a phase starts on a date"#);
    assert_snapshot!(error(r#"key = 1
phases = [{ phase = "active", after_newer = 0 }]"#, &semver), @r#"lines.phases[0].after_newer: 0 is the line itself; count newer lines from 1 (the next line), or leave it out"#);
    assert_snapshot!(error(r#"key = 1
phases = [{ phase = "active", lines = { every = 0 } }]"#, &semver), @r#"lines.phases[0].lines: every = 0 chooses no line; give a step of at least 1"#);
    assert_snapshot!(error(r#"key = 2
phases = [{ phase = "active", lines = ["20"] }]"#, &semver), @r#"lines.phases[0].lines: "20" is not a line key: a line of key = 2 is written as 2 numbers joined by separators, such as "1.35""#);
    assert_snapshot!(error(r#"key = 1
first_releases = { "20" = "2023-04-18" }
phases = [{ phase = "active", lines = "even" }, { phase = "active", lines = ["20"] }]"#, &semver), @r#"lines.phases: phases[0] and phases[1] both give line "20" the phase active; choose their lines so that one rule applies"#);
    let lines = read(
        "key = 1\nphases = [{ phase = \"active\" }, { phase = \"active\", lines = \"odd\" }]",
        &semver,
    )
    .unwrap();
    assert_snapshot!(lines.lines(&versions(&semver, &["3.0.0"])).unwrap_err().to_string(), @r#"lines.phases: phases[0] and phases[1] both give line "3" the phase active; choose their lines so that one rule applies"#);
    let calver_lines = read(r#"key = "YYYY""#, &calver).unwrap();
    assert_snapshot!(calver_lines.next_patch("2024", &[]).unwrap_err().to_string(), @r#"line "2024" has no versions yet, so it has no next patch (its first version is chosen when the line starts)"#);
    assert_snapshot!(calver_lines.next_patch("24.1", &[]).unwrap_err().to_string(), @r#"line "24.1": a line of key = "YYYY" is written as one number"#);
}

#[test]
fn toml_round_trips() {
    let def: LinesDef = toml::from_str(NODE).unwrap();
    let text = toml::to_string(&def).unwrap();
    let back: LinesDef = toml::from_str(&text).unwrap();
    assert_eq!(back, def);
}

proptest! {
    /// Every version falls in at most one line (the lines' version lists
    /// are disjoint and hold only versions of their key), and the next
    /// patch of a line stays in it.
    #[test]
    fn a_version_is_in_one_line_and_next_patch_stays(
        tags in prop::collection::vec((0u64..4, 0u64..4, 0u64..4, prop::option::of(1u64..3)), 0..20),
        key in 1u8..=2,
    ) {
        let s = Scheme::semver();
        let texts: Vec<String> = tags
            .iter()
            .map(|(a, b, c, rc)| match rc {
                Some(n) => format!("{a}.{b}.{c}-rc.{n}"),
                None => format!("{a}.{b}.{c}"),
            })
            .collect();
        let vs: Vec<Version> = texts.iter().map(|t| s.parse(t).unwrap()).collect();
        let lines = Lines::new(LinesDef::new(LineKey::Components(key)), &s).unwrap();
        let all = lines.lines(&vs).unwrap();
        let total: usize = all.iter().map(|l| l.versions.len()).sum();
        prop_assert_eq!(total, vs.len());
        for line in &all {
            for v in &line.versions {
                prop_assert_eq!(lines.key_of(v), Some(line.key.clone()));
            }
            let next = lines.next_patch(&line.key, &vs).unwrap();
            prop_assert_eq!(lines.key_of(&next), Some(line.key.clone()));
            prop_assert!(line.versions.iter().all(|v| v < &next));
        }
    }

    /// PEP 440 lines (`3.14` holds `3.14.0a1` ... `3.14.2`): every version
    /// in exactly the line of its first release numbers, and the next
    /// patch of a line in it and after all of its versions.
    #[test]
    fn pep440_versions_are_in_one_line_and_next_patch_stays(
        tags in prop::collection::vec((0u64..3, 0u64..4, 0u64..3, prop::option::of((0usize..3, 1u64..4))), 0..20),
        key in 1u8..=2,
    ) {
        let s = Scheme::pep440();
        let texts: Vec<String> = tags
            .iter()
            .map(|(a, b, c, pre)| match pre {
                Some((stage, n)) => format!("{a}.{b}.{c}{}{n}", ["a", "b", "rc"][*stage]),
                None => format!("{a}.{b}.{c}"),
            })
            .collect();
        let vs: Vec<Version> = texts.iter().map(|t| s.parse(t).unwrap()).collect();
        let lines = Lines::new(LinesDef::new(LineKey::Components(key)), &s).unwrap();
        let all = lines.lines(&vs).unwrap();
        let total: usize = all.iter().map(|l| l.versions.len()).sum();
        prop_assert_eq!(total, vs.len());
        for line in &all {
            for v in &line.versions {
                prop_assert_eq!(lines.key_of(v), Some(line.key.clone()));
            }
            let next = lines.next_patch(&line.key, &vs).unwrap();
            prop_assert_eq!(lines.key_of(&next), Some(line.key.clone()));
            prop_assert!(line.versions.iter().all(|v| v < &next));
        }
    }

    /// CalVer prefix lines: each version in the line of its own prefix.
    #[test]
    fn calver_versions_are_in_their_prefix_line(
        tags in prop::collection::vec((2020i32..2026, 1u32..13, 1u64..5), 0..20),
    ) {
        let s = Scheme::calver("YYYY.0M.MICRO").unwrap();
        let vs: Vec<Version> = tags
            .iter()
            .map(|(y, m, n)| s.parse(&format!("{y}.{m:02}.{n}")).unwrap())
            .collect();
        let lines = Lines::new(LinesDef::new(LineKey::Prefix("YYYY".into())), &s).unwrap();
        let all = lines.lines(&vs).unwrap();
        let total: usize = all.iter().map(|l| l.versions.len()).sum();
        prop_assert_eq!(total, vs.len());
        for line in &all {
            for v in &line.versions {
                prop_assert_eq!(v.as_calver().unwrap().year().to_string(), line.key.clone());
            }
            let next = lines.next_patch(&line.key, &vs).unwrap();
            prop_assert_eq!(lines.key_of(&next), Some(line.key.clone()));
        }
    }
}
