//! examples/nodejs against Node.js's published, dated facts
//! (nodejs/Release schedule.json and README.md at commit e4bf922; see
//! examples/nodejs/README.md): every line's first release, LTS start,
//! maintenance start and end of life, derived by the file's rules, and
//! which of them are declared because the published date deviates from
//! the rule. The Python side is crates/release-py/tests/test_example_nodejs.py.

mod support;

use serde_json::Value;
use support::run;

const NODEJS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/nodejs/release.toml"
);
const TAGS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/nodejs/tags.txt"
);

/// schedule.json: line, "start", "lts", "maintenance", "end".
const PUBLISHED: [(&str, &str, Option<&str>, &str, &str); 11] = [
    (
        "16",
        "2021-04-20",
        Some("2021-10-26"),
        "2022-10-18",
        "2023-09-11",
    ),
    ("17", "2021-10-19", None, "2022-04-01", "2022-06-01"),
    (
        "18",
        "2022-04-19",
        Some("2022-10-25"),
        "2023-10-18",
        "2025-04-30",
    ),
    ("19", "2022-10-18", None, "2023-04-01", "2023-06-01"),
    (
        "20",
        "2023-04-18",
        Some("2023-10-24"),
        "2024-10-22",
        "2026-04-30",
    ),
    ("21", "2023-10-17", None, "2024-04-01", "2024-06-01"),
    (
        "22",
        "2024-04-24",
        Some("2024-10-29"),
        "2025-10-21",
        "2027-04-30",
    ),
    ("23", "2024-10-16", None, "2025-04-01", "2025-06-01"),
    (
        "24",
        "2025-05-06",
        Some("2025-10-28"),
        "2026-10-20",
        "2028-04-30",
    ),
    ("25", "2025-10-15", None, "2026-04-01", "2026-06-01"),
    (
        "26",
        "2026-05-05",
        Some("2026-10-28"),
        "2027-10-20",
        "2029-04-30",
    ),
];

/// The published dates the rules do not give, declared in the file:
/// (line, phase).
const DECLARED: [(&str, &str); 5] = [
    ("16", "end_of_life"), // moved up to OpenSSL 1.1.1's end of life
    ("18", "maintenance"), // a Wednesday, not the third Tuesday
    ("20", "maintenance"), // the fourth Tuesday, not the third
    ("26", "active"),      // no odd line 27 in October 2026
    ("26", "maintenance"),
];

fn lines(now: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["--json", "lines", NODEJS, "--now", now];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args, None);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str::<Value>(&stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn start(line: &Value, phase: &str) -> Option<(String, bool)> {
    line["phases"].as_array().unwrap().iter().find_map(|p| {
        (p["phase"] == phase).then(|| {
            (
                p["start"].as_str().unwrap().to_owned(),
                p["declared"].as_bool().unwrap(),
            )
        })
    })
}

#[test]
fn the_rules_give_the_published_dates() {
    let all = lines("2026-01-15T00:00:00Z", &[]);
    assert_eq!(all.len(), PUBLISHED.len());
    let mut checked = 0;
    let mut declared = Vec::new();
    for (line, (key, first, lts, maintenance, end)) in all.iter().zip(PUBLISHED) {
        assert_eq!(line["line"], key);
        assert_eq!(line["first_release"], first, "{key}");
        for (phase, published) in [
            ("current", Some(first)),
            ("active", lts),
            ("maintenance", Some(maintenance)),
            ("end_of_life", Some(end)),
        ] {
            let got = start(line, phase);
            assert_eq!(
                got.as_ref().map(|g| g.0.as_str()),
                published,
                "{key} {phase}"
            );
            if let Some((_, true)) = got {
                declared.push((key, phase));
            }
            checked += usize::from(published.is_some());
        }
    }
    assert_eq!(checked, 39);
    assert_eq!(declared, DECLARED);
}

#[test]
fn supported_lines_on_a_day_and_until_when() {
    let all = lines("2026-01-15T00:00:00Z", &["--supported"]);
    let got: Vec<(&str, &str, &str)> = all
        .iter()
        .map(|l| {
            (
                l["line"].as_str().unwrap(),
                l["on"]["phase"].as_str().unwrap(),
                l["on"]["until"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("20", "maintenance", "2026-04-30"),
            ("22", "maintenance", "2027-04-30"),
            ("24", "active", "2026-10-20"),
            ("25", "current", "2026-04-01"),
        ]
    );
}

#[test]
fn next_patch_stays_in_its_line() {
    let all = lines("2026-01-15T00:00:00Z", &["--tags", TAGS]);
    let next = |key: &str| {
        all.iter().find(|l| l["line"] == key).unwrap()["next_patch"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(next("20"), "v20.19.6");
    assert_eq!(next("22"), "v22.21.2");
    assert_eq!(next("24"), "v24.11.2");
    let twenty = all.iter().find(|l| l["line"] == "20").unwrap();
    assert_eq!(twenty["tags"], serde_json::json!(["v20.19.0", "v20.19.5"]));
}

#[test]
fn the_table_and_the_calendar() {
    let (code, stdout, stderr) = run(
        &[
            "lines",
            NODEJS,
            "--now",
            "2026-01-15T00:00:00Z",
            "--tags",
            TAGS,
            "--component",
            "node",
        ],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout, @r#"
release lines on 2026-01-15
COMPONENT  LINE  PHASE        SINCE       UNTIL                     END OF LIFE  LATEST    NEXT PATCH
node       16    end_of_life  2023-09-11  -                         2023-09-11   -         v16.0.0
node       17    end_of_life  2022-06-01  -                         2022-06-01   -         v17.0.0
node       18    end_of_life  2025-04-30  -                         2025-04-30   v18.20.8  v18.20.9
node       19    end_of_life  2023-06-01  -                         2023-06-01   -         v19.0.0
node       20    maintenance  2024-10-22  2026-04-30 (end_of_life)  2026-04-30   v20.19.5  v20.19.6
node       21    end_of_life  2024-06-01  -                         2024-06-01   -         v21.0.0
node       22    maintenance  2025-10-21  2027-04-30 (end_of_life)  2027-04-30   v22.21.1  v22.21.2
node       23    end_of_life  2025-06-01  -                         2025-06-01   v23.11.1  v23.11.2
node       24    active       2025-10-28  2026-10-20 (maintenance)  2028-04-30   v24.11.1  v24.11.2
node       25    current      2025-10-15  2026-04-01 (maintenance)  2026-06-01   v25.2.1   v25.2.2
node       26    unreleased   -           -                         2029-04-30   -         v26.0.0
"#);
    let (code, ics, stderr) = run(
        &["lines", NODEJS, "--now", "2026-01-15T00:00:00Z", "--ics"],
        None,
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(ics.contains("UID:line-node-24-active@release-core"));
    assert!(ics.contains("SUMMARY:node 20: end_of_life"));
    assert!(ics.contains("DTSTART;TZID=UTC:20260430T000000"), "{ics}");
}

#[test]
fn unknown_component_is_named() {
    let (code, _, stderr) = run(&["lines", NODEJS, "--tag", "deno=v1.0.0"], None);
    assert_eq!(code, 2);
    insta::assert_snapshot!(stderr, @r#"error: "deno" is not a component with lines (components with lines: node)"#);
}
