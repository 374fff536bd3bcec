//! Which declaration of a release kind wins: a tag step's `release_kind`
//! over a train's `rules.kind` over the release day's rule over its `kind`
//! (the most specific wins), and the reasons that say which.

use std::collections::BTreeMap;

use chrono::{TimeZone, Utc};
use release_core::gate::Facts;
use release_core::process::Process;

/// A six-weekly release day that ships a minor, May's a major; `step` is
/// the tag step's extra keys.
fn process(step: &str) -> Process {
    Process::from_toml(
        "release.toml",
        &format!(
            r#"
[[components]]
name = "app"
tags = {{ scheme = {{ kind = "semver" }} }}

[[schedules]]
name = "six-weekly"
time = "10:00"
zone = "UTC"
recurrence = {{ start = "2025-01-02", rule = {{ frequency = "weekly", interval = 6, by_day = ["TH"] }} }}

[[releases]]
schedule = "six-weekly"
kind = "minor"
rules = [{{ when = {{ month = 5 }}, kind = "major" }}]

[[steps]]
id = "tag"
kind = "tag"
{step}
"#
        ),
    )
    .unwrap()
}

fn answer(p: &Process, now: (i32, u32, u32)) -> (String, String) {
    let now = Utc.with_ymd_and_hms(now.0, now.1, now.2, 0, 0, 0).unwrap();
    let tags = BTreeMap::from([("app".to_owned(), vec!["1.4.2".to_owned()])]);
    let r = p
        .next_releases(now, &tags, &BTreeMap::new(), &Facts::new(), &[], None)
        .unwrap();
    let v = &r[0].versions[0];
    (v.next.clone().unwrap(), v.level_reason.clone().unwrap())
}

#[test]
fn the_release_day_declares_the_kind_by_occurrence() {
    let p = process("");
    assert_eq!(
        answer(&p, (2025, 1, 1)),
        ("1.5.0".into(), "minor: the six-weekly release day".into())
    );
    // 2025-05-08 is a release day in May: the rule makes it a major.
    assert_eq!(
        answer(&p, (2025, 5, 1)),
        ("2.0.0".into(), "major: the May six-weekly release".into())
    );
}

#[test]
fn a_tag_steps_kind_is_the_most_specific() {
    let p = process(r#"release_kind = { level = "patch", prerelease = "rc" }"#);
    for day in [(2025, 1, 1), (2025, 5, 1)] {
        assert_eq!(
            answer(&p, day),
            ("1.4.3-rc.1".into(), "patch rc: step \"tag\"".into())
        );
    }
}

#[test]
fn a_release_kind_on_the_wrong_step_is_an_error_at_load() {
    let text = |step: &str| {
        format!(
            "[[components]]\nname = \"app\"\ntags = {{ scheme = {{ kind = \"semver\" }} }}\n\n{step}"
        )
    };
    let err = |step: &str| {
        Process::from_toml("release.toml", &text(step))
            .unwrap_err()
            .to_string()
    };
    insta::assert_snapshot!(
        err("[[steps]]\nid = \"deploy\"\nkind = \"deploy\"\nrelease_kind = \"minor\"\n"),
        @r#"
        release.toml:8:16: steps[0] ("deploy"): release_kind: a release kind is the kind of the tag a step makes, and this step is of kind "deploy"; declare it on the step of kind "tag"
          |
        8 | release_kind = "minor"
          |                ^^^^^^^
        "#
    );
    insta::assert_snapshot!(
        err("[[steps]]\nid = \"a\"\nkind = \"tag\"\nrelease_kind = \"minor\"\n\n[[steps]]\nid = \"b\"\nkind = \"tag\"\nneeds = [\"a\"]\nrelease_kind = \"patch\"\n"),
        @r#"
        release.toml:14:16: steps[1] ("b"): release_kind: step "a" already declares the release kind of component "app"; one step per component declares it
           |
        14 | release_kind = "patch"
           |                ^^^^^^^
        "#
    );
}
