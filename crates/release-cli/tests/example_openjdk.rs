//! examples/openjdk against OpenJDK's published, dated releases (sources
//! in examples/openjdk/README.md): `release next` and `release plan` give,
//! the day before each release, its date, its version and its kind. The
//! Python side is crates/release-py/tests/test_example_openjdk.py.

mod support;

use serde_json::Value;
use support::run;

const OPENJDK: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/openjdk/release.toml"
);

/// Feature releases: the version and its general availability date.
const FEATURES: [(&str, &str); 5] = [
    ("21.0.0", "2023-09-19"), // JDK 21
    ("22.0.0", "2024-03-19"), // JDK 22
    ("23.0.0", "2024-09-17"), // JDK 23
    ("24.0.0", "2025-03-18"), // JDK 24
    ("25.0.0", "2025-09-16"), // JDK 25
];

/// JDK 21 update releases (critical patch updates): version and date.
const UPDATES: [(&str, &str); 8] = [
    ("21.0.1", "2023-10-17"),
    ("21.0.2", "2024-01-16"),
    ("21.0.3", "2024-04-16"),
    ("21.0.4", "2024-07-16"),
    ("21.0.5", "2024-10-15"),
    ("21.0.6", "2025-01-21"),
    ("21.0.7", "2025-04-15"),
    ("21.0.8", "2025-07-15"),
];

/// The day before `date`, at midnight UTC.
fn eve(date: &str) -> String {
    let d: chrono::NaiveDate = date.parse().unwrap();
    format!("{}T00:00:00Z", d.pred_opt().unwrap())
}

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(args, None);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

#[test]
fn next_gives_each_feature_release_as_a_major_on_its_date() {
    for pair in FEATURES.windows(2) {
        let ((previous, _), (version, date)) = (pair[0], pair[1]);
        let now = eve(date);
        let tag = format!("jdk=jdk-{previous}");
        let doc = json(&[
            "--json",
            "next",
            OPENJDK,
            "--now",
            &now,
            "--release",
            "feature",
            "--tag",
            &tag,
        ]);
        let v = &doc[0];
        assert_eq!(v["component"], "jdk");
        assert_eq!(v["release"], "feature");
        assert_eq!(v["next"], format!("jdk-{version}"), "{date}");
        assert_eq!(v["level"], "major");
        assert_eq!(v["level_reason"], "major: the feature release day");
        // plan: the release day is the published date.
        let plan = json(&[
            "--json",
            "plan",
            OPENJDK,
            "--now",
            &now,
            "--release",
            "feature",
            "--tag",
            &tag,
        ]);
        assert_eq!(plan["release"]["name"], "feature");
        assert_eq!(plan["release"]["occurrence"]["date"], date);
        assert_eq!(plan["versions"][0]["next"], format!("jdk-{version}"));
    }
}

#[test]
fn next_gives_each_update_release_as_a_patch_on_its_date() {
    let mut previous = "21.0.0";
    for (version, date) in UPDATES {
        let now = eve(date);
        let tag = format!("jdk21u=jdk-{previous}");
        let doc = json(&["--json", "next", OPENJDK, "--now", &now, "--tag", &tag]);
        // Both releases are answered; the update is the jdk21u row.
        let update = doc
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["release"] == "update")
            .unwrap();
        assert_eq!(update["next"], format!("jdk-{version}"), "{date}");
        assert_eq!(update["level"], "patch");
        assert_eq!(update["level_reason"], "patch: the update release day");
        let plan = json(&[
            "--json",
            "plan",
            OPENJDK,
            "--now",
            &now,
            "--release",
            "update",
            "--tag",
            &tag,
        ]);
        assert_eq!(plan["release"]["occurrence"]["date"], date, "{version}");
        assert_eq!(plan["versions"][0]["next"], format!("jdk-{version}"));
        previous = version;
    }
}

#[test]
fn the_first_feature_release_is_the_declared_initial_version() {
    let doc = json(&[
        "--json",
        "next",
        OPENJDK,
        "--now",
        &eve("2023-09-19"),
        "--release",
        "feature",
    ]);
    assert_eq!(doc[0]["next"], "jdk-21.0.0");
    assert_eq!(
        doc[0]["reason"],
        "no release yet: the declared first version 21.0.0"
    );
}

#[test]
fn next_and_plan_show_both_release_days_with_their_kinds() {
    let (code, stdout, stderr) = run(
        &[
            "next",
            OPENJDK,
            "--now",
            "2024-03-01T00:00:00Z",
            "--tag",
            "jdk=jdk-21.0.0",
            "--tag",
            "jdk21u=jdk-21.0.2",
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout, @r#"
feature: Tue 2024-03-19 12:00 (schedule "feature")
COMPONENT  LATEST      NEXT        KIND   WHY
jdk        jdk-21.0.0  jdk-22.0.0  major  major: the feature release day

update: Tue 2024-04-16 12:00 (schedule "cpu")
COMPONENT  LATEST      NEXT        KIND   WHY
jdk21u     jdk-21.0.2  jdk-21.0.3  patch  patch: the update release day
"#);
    let (code, stdout, stderr) = run(
        &[
            "--json",
            "next",
            OPENJDK,
            "--release",
            "lts",
            "--now",
            "2024-03-01T00:00:00Z",
        ],
        None,
    );
    assert_eq!(code, 2, "{stdout}");
    insta::assert_snapshot!(stderr, @r#"error: no release named "lts" (releases: "feature", "update")"#);
}
