//! examples/cpython against CPython's published, dated facts (sources in
//! examples/cpython/README.md: PEP 602, 693, 719, 745, 790, 826), through
//! `calendar` (table, JSON, `--ics`, `--format mermaid`), `plan` and
//! `explain`. The Python side is crates/release-py/tests/test_example_cpython.py.

mod support;

use serde_json::Value;
use support::run;

const CPYTHON: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/cpython/release.toml"
);

/// The x.y.0 finals: the version, the published date, and the date of the
/// yearly rule (the first Tuesday of October) it stands for.
const FINALS: [(&str, &str, &str); 5] = [
    ("3.12.0", "2023-10-02", "2023-10-03"), // PEP 693: Monday 2023-10-02
    ("3.13.0", "2024-10-07", "2024-10-01"), // PEP 719: planned 2024-10-01, released 2024-10-07
    ("3.14.0", "2025-10-07", "2025-10-07"), // PEP 745: Tuesday 2025-10-07
    ("3.15.0", "2026-10-01", "2026-10-06"), // PEP 790: Thursday 2026-10-01
    ("3.16.0", "2027-10-05", "2027-10-05"), // PEP 826: Tuesday 2027-10-05
];

/// The feature freeze (beta 1) as planned: five months before the final's
/// rule date, the first Tuesday of that month; 3.12's by override.
const FREEZES: [(&str, &str); 5] = [
    ("3.12.0", "2023-05-08"), // PEP 693 (first plan): Monday 2023-05-08
    ("3.13.0", "2024-05-07"), // PEP 719: Tuesday 2024-05-07
    ("3.14.0", "2025-05-06"), // PEP 745: Tuesday 2025-05-06
    ("3.15.0", "2026-05-05"), // PEP 790: Tuesday 2026-05-05
    ("3.16.0", "2027-05-04"), // PEP 826: Tuesday 2027-05-04
];

/// Beta 1 as released.
const BETAS: [(&str, &str); 4] = [
    ("3.12.0 beta 1", "2023-05-22"), // PEP 693: postponed two weeks
    ("3.13.0 beta 1", "2024-05-08"), // PEP 719
    ("3.14.0 beta 1", "2025-05-07"), // PEP 745
    ("3.15.0 beta 1", "2026-05-07"), // PEP 790: moved to Thursday
];

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = run(&all, None);
    assert!(code == 0 || code == 1, "exit {code}: {stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn text(args: &[&str]) -> String {
    let (code, stdout, stderr) = run(args, None);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

#[test]
fn the_calendar_gives_the_published_dates() {
    let doc = json(&[
        "calendar",
        CPYTHON,
        "--now",
        "2023-01-01T00:00:00Z",
        "--count",
        "5",
    ]);
    let occurrences = doc["occurrences"].as_array().unwrap();
    let of = |schedule: &str| -> Vec<&Value> {
        occurrences
            .iter()
            .filter(|o| o["schedule"] == schedule)
            .collect()
    };
    let finals = of("final");
    assert_eq!(finals.len(), FINALS.len());
    for ((version, date, rule_date), o) in FINALS.iter().zip(&finals) {
        assert_eq!(o["label"], *version);
        assert_eq!(o["date"], *date, "{version}");
        assert_eq!(o["scheduled"], *rule_date, "{version}");
        assert_eq!(o["at"], format!("{date}T12:00:00Z"));
        // The feature freeze stays where the rule's date puts it, also
        // when the final slipped (3.13.0) or was published earlier (3.15.0).
        let freeze = FREEZES.iter().find(|(v, _)| v == version).unwrap().1;
        let milestone = &o["milestones"][0];
        assert_eq!(milestone["name"], "feature freeze");
        assert_eq!(milestone["date"], freeze, "{version}");
    }
    let betas: Vec<(String, String)> = of("beta 1")
        .iter()
        .map(|o| {
            (
                o["label"].as_str().unwrap().to_owned(),
                o["date"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = BETAS
        .iter()
        .filter(|(label, _)| !label.starts_with("3.14"))
        .map(|(l, d)| ((*l).to_owned(), (*d).to_owned()))
        .collect();
    assert_eq!(betas, expected);
    let b314 = of("3.14")
        .into_iter()
        .find(|o| o["label"] == "3.14.0 beta 1");
    assert!(
        b314.is_none(),
        "five 3.14 entries from 2023 end before its beta"
    );
    let later = json(&[
        "calendar",
        CPYTHON,
        "--now",
        "2025-05-01T00:00:00Z",
        "--count",
        "1",
    ]);
    let b314 = later["occurrences"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["schedule"] == "3.14")
        .unwrap();
    assert_eq!(
        (b314["label"].as_str(), b314["date"].as_str()),
        (Some(BETAS[2].0), Some(BETAS[2].1))
    );
    // The table says why each final is where it is.
    let table = text(&[
        "calendar",
        CPYTHON,
        "--now",
        "2024-01-01T00:00:00Z",
        "--count",
        "1",
    ]);
    assert!(
        table.contains(
            "3.13.0          moved from 2024-10-01 by the table: postponed with 3.13.0rc3 (PEP 719)"
        ),
        "{table}"
    );
    let explained = text(&["calendar", CPYTHON, "--explain", "2024-10-01"]);
    assert!(explained.contains("2024-10-07"), "{explained}");
}

#[test]
fn the_feed_and_the_chart_carry_the_same_dates() {
    let ics = text(&[
        "calendar",
        CPYTHON,
        "--now",
        "2023-01-01T00:00:00Z",
        "--count",
        "5",
        "--ics",
    ]);
    let unfolded = ics.replace("\r\n ", "");
    let events: Vec<&str> = unfolded.split("BEGIN:VEVENT").skip(1).collect();
    let start_of = |summary: &str| -> String {
        let event = events
            .iter()
            .find(|e| e.contains(&format!("\r\nSUMMARY:{summary}\r\n")))
            .unwrap_or_else(|| panic!("no event {summary:?}"));
        let line = event.lines().find(|l| l.starts_with("DTSTART")).unwrap();
        line.rsplit(':').next().unwrap().to_owned()
    };
    for (version, date, _) in FINALS {
        assert_eq!(
            start_of(&format!("Python {version}")),
            format!("{}T120000", date.replace('-', ""))
        );
    }
    for (version, freeze) in FREEZES {
        assert_eq!(
            start_of(&format!("Python {version}: feature freeze")),
            format!("{}T120000", freeze.replace('-', ""))
        );
    }
    let chart = text(&[
        "calendar",
        CPYTHON,
        "--format",
        "mermaid",
        "--now",
        "2024-03-01T00:00:00Z",
        "--count",
        "2",
    ]);
    assert!(
        chart.contains("  section final 3.13.0 Mon 2024-10-07\n"),
        "{chart}"
    );
    assert!(
        chart.contains("  feature freeze :milestone, r1_m1, 2024-05-07 12:00, 0d\n"),
        "{chart}"
    );
    assert!(
        chart.contains("  release 3.13.0 :milestone, r1_release, 2024-10-07 12:00, 0d\n"),
        "{chart}"
    );
    // The bump is drawn at the freeze, in time for its deadline.
    assert!(
        chart.contains("  bump-version :r1_s3, 2024-05-07 14:00, 2024-05-07 20:00\n"),
        "{chart}"
    );
    assert!(
        chart.contains("  section final 3.14.0 Tue 2025-10-07\n"),
        "{chart}"
    );
}

#[test]
fn plan_and_explain_follow_the_freeze() {
    let now = "2024-03-01T00:00:00Z";
    let plan = json(&["plan", CPYTHON, "--now", now]);
    let occurrence = &plan["release"]["occurrence"];
    assert_eq!(
        (
            occurrence["label"].as_str(),
            occurrence["date"].as_str(),
            occurrence["scheduled"].as_str()
        ),
        (Some("3.13.0"), Some("2024-10-07"), Some("2024-10-01"))
    );
    assert_eq!(
        plan["release"]["milestones"][0]["at"],
        "2024-05-07T12:00:00Z"
    );
    let step = |id: &str| {
        plan["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(step("tag-beta-1")["start"], "2024-05-07T12:00:00Z");
    let bump = step("bump-version");
    assert_eq!(bump["due"], "2024-05-09T12:00:00Z");
    assert_eq!(bump["finish"], "2024-05-07T20:00:00Z");
    assert!(bump.get("misses_by").is_none(), "{bump}");
    assert_eq!(step("tag-final")["start"], "2024-10-07T12:00:00Z");
    let table = text(&["plan", CPYTHON, "--now", now]);
    assert!(table.contains("DUE"), "{table}");
    let explained = json(&["explain", CPYTHON, "tag-beta-1", "--now", now]);
    assert_eq!(explained["ready"], false);
    assert_eq!(explained["until"], "2024-05-07T12:00:00Z");
    let reasons: Vec<&str> = explained["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"waits for feature freeze at 2024-05-07 12:00 UTC"),
        "{reasons:?}"
    );
    // After the deadline, still not done: overdue.
    let late = json(&[
        "explain",
        CPYTHON,
        "bump-version",
        "--now",
        "2024-05-10T00:00:00Z",
    ]);
    let reasons = late["reasons"].to_string();
    assert!(
        reasons.contains("overdue since 2024-05-09 12:00 UTC (due by feature freeze plus 2 days)"),
        "{reasons}"
    );
}

/// examples/cpython/releases.txt: every actual release of lines 3.9 to
/// 3.15 as (date, tag), oldest first.
fn releases() -> Vec<(String, String)> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/cpython/releases.txt"
    );
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (date, tag) = l.split_once(' ').unwrap();
            (date.to_owned(), tag.to_owned())
        })
        .collect()
}

/// `--tag python=TAG` for every release before `date`.
fn tags_before(date: &str) -> Vec<String> {
    releases()
        .into_iter()
        .filter(|(d, _)| d.as_str() < date)
        .map(|(_, t)| format!("--tag=python={t}"))
        .collect()
}

/// The answers of `release next --release NAME` at midnight UTC of
/// `date`, from the tags released before it: (line, next) per answer.
fn next_on(release: &str, date: &str) -> Vec<(Option<String>, String)> {
    let now = format!("{date}T00:00:00Z");
    let mut args = vec!["next", CPYTHON, "--release", release, "--now", now.as_str()];
    let tags = tags_before(date);
    args.extend(tags.iter().map(String::as_str));
    // The release day is `date`: `release plan` says when it is.
    let plan = json(&["plan", CPYTHON, "--release", release, "--now", now.as_str()]);
    assert_eq!(plan["releases"][0]["occurrence"]["date"], date, "{plan}");
    json(&args)
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["line"].as_str().map(str::to_owned),
                v["next"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect()
}

/// PEP 745's 3.14 releases: on each day of the 3.14 table, the next
/// version from the tags before it is the tag released that day (a1 from
/// the 3.13.0 final, a7 -> b1, b4 -> rc1, rc3 -> the final).
#[test]
fn each_3_14_release_day_gives_the_version_released_on_it() {
    let released: Vec<(String, String)> = releases()
        .into_iter()
        .filter(|(d, t)| t.starts_with("v3.14.0") && d.as_str() <= "2025-10-07")
        .collect();
    assert_eq!(released.len(), 15, "{released:?}");
    for (date, tag) in released {
        assert_eq!(next_on("3.14", &date), vec![(None, tag)], "on {date}");
    }
}

/// The bugfix days of the 3.13 table: the next patch of every line in its
/// bugfix phase that day, from that line's tags only (3.12.8 beside
/// 3.13.1 though 3.13.0 is newer; 3.12 leaves bugfix after 3.12.10).
#[test]
fn bugfix_days_release_every_line_in_bugfix() {
    let line = |l: &str, t: &str| (Some(l.to_owned()), t.to_owned());
    let facts = [
        (
            "2024-12-03",
            vec![line("3.12", "v3.12.8"), line("3.13", "v3.13.1")],
        ),
        (
            "2025-02-04",
            vec![line("3.12", "v3.12.9"), line("3.13", "v3.13.2")],
        ),
        (
            "2025-04-08",
            vec![line("3.12", "v3.12.10"), line("3.13", "v3.13.3")],
        ),
        ("2025-06-03", vec![line("3.13", "v3.13.4")]),
        ("2025-06-11", vec![line("3.13", "v3.13.5")]),
    ];
    let released = releases();
    for (date, expected) in facts {
        for (_, tag) in &expected {
            assert!(
                released.iter().any(|(d, t)| d == date && t == tag),
                "{tag} is not dated {date} in releases.txt"
            );
        }
        assert_eq!(next_on("bugfix", date), expected, "on {date}");
    }
}

/// The lines' status on two dates, as python/peps' release-cycle data
/// publishes it, and their ends of life.
#[test]
fn lines_are_in_their_published_phases() {
    let phases = |date: &str| -> Vec<(String, String, String)> {
        let now = format!("{date}T00:00:00Z");
        let mut args = vec!["lines", CPYTHON, "--now", now.as_str()];
        let tags = tags_before(date);
        args.extend(tags.iter().map(String::as_str));
        json(&args)
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["on"].is_object())
            .map(|l| {
                (
                    l["line"].as_str().unwrap().to_owned(),
                    l["on"]["phase"].as_str().unwrap().to_owned(),
                    l["end_of_life"].as_str().unwrap_or("-").to_owned(),
                )
            })
            .collect()
    };
    let row = |l: &str, p: &str, e: &str| (l.to_owned(), p.to_owned(), e.to_owned());
    assert_eq!(
        phases("2025-12-03"),
        vec![
            row("3.9", "end_of_life", "2025-10-31"),
            row("3.10", "security", "2026-10-01"),
            row("3.11", "security", "2027-10-01"),
            row("3.12", "security", "2028-10-01"),
            row("3.13", "bugfix", "2029-10-01"),
            row("3.14", "bugfix", "2030-10-01"),
        ]
    );
    let on_2026_12 = phases("2026-12-03");
    assert_eq!(on_2026_12[1], row("3.10", "end_of_life", "2026-10-01"));
    assert_eq!(on_2026_12[4], row("3.13", "security", "2029-10-01"));
    assert_eq!(on_2026_12[6], row("3.15", "bugfix", "2031-10-01"));
}
