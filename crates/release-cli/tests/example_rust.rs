//! examples/rust against the Rust project's published, dated facts
//! (sources in examples/rust/README.md: rust-lang/rust RELEASES.md and the
//! release announcements of blog.rust-lang.org), through `simulate`
//! (`--json`, `--brief`). The Python side is
//! crates/release-py/tests/test_example_rust.py.

mod support;

use serde_json::Value;
use support::run;

const RUST: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/rust/release.toml"
);

/// Every stable release of the scenario and its published date.
const STABLE: [(&str, &str); 8] = [
    ("1.80.0", "2024-07-25"), // RELEASES.md: Version 1.80.0 (2024-07-25)
    ("1.80.1", "2024-08-08"), // RELEASES.md: Version 1.80.1 (2024-08-08)
    ("1.81.0", "2024-09-05"), // RELEASES.md: Version 1.81.0 (2024-09-05)
    ("1.82.0", "2024-10-17"), // RELEASES.md: Version 1.82.0 (2024-10-17)
    ("1.83.0", "2024-11-28"), // blog: 2024/11/28/Rust-1.83.0
    ("1.84.0", "2025-01-09"), // blog: 2025/01/09/Rust-1.84.0
    ("1.84.1", "2025-01-30"), // blog: 2025/01/30/Rust-1.84.1
    ("1.85.0", "2025-02-20"), // blog: 2025/02/20 Rust 1.85.0
];

fn simulation() -> Value {
    let (code, stdout, stderr) = run(&["--json", "simulate", RUST], None);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

/// (date, tag) of every deployment to `env`, in order.
fn deployed(sim: &Value, env: usize) -> Vec<(String, String)> {
    sim["weeks"]
        .as_array()
        .expect("weeks")
        .iter()
        .flat_map(|w| {
            w["environments"][env]["deployed"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|d| {
            let at = d["at"].as_str().expect("at");
            (
                at[..10].to_owned(),
                d["tag"].as_str().expect("tag").to_owned(),
            )
        })
        .collect()
}

#[test]
fn stable_gets_each_release_on_its_published_date() {
    let sim = simulation();
    assert_eq!(
        sim["environments"],
        serde_json::json!(["nightly", "beta", "stable"])
    );
    let got = deployed(&sim, 2);
    let want: Vec<(String, String)> = STABLE
        .iter()
        .map(|(v, d)| ((*d).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(got, want);
}

#[test]
fn a_point_release_changes_stable_only_and_the_next_stable_is_the_minor() {
    let sim = simulation();
    let weeks = sim["weeks"].as_array().expect("weeks");
    for (point, next) in [("1.80.1", "1.81.0"), ("1.84.1", "1.85.0")] {
        let w = weeks
            .iter()
            .find(|w| {
                w["environments"][2]["deployed"]
                    .as_array()
                    .is_some_and(|d| d.iter().any(|d| d["tag"] == point))
            })
            .unwrap_or_else(|| panic!("no week deploys {point}"));
        assert_eq!(w["environments"][2]["deployed"][0]["kind"], "point");
        assert_eq!(
            w["environments"][0]["changed"], false,
            "{point} changed nightly"
        );
        assert!(
            w["environments"][1]["deployed"]
                .as_array()
                .is_none_or(|d| d.iter().all(|d| d["kind"] == "build")),
            "{point} reached beta"
        );
        let after: Vec<String> = deployed(&sim, 2)
            .into_iter()
            .map(|(_, t)| t)
            .skip_while(|t| t != point)
            .collect();
        assert_eq!(after.get(1).map(String::as_str), Some(next));
    }
}

#[test]
fn beta_holds_the_next_minors_betas_while_stable_is_on_a_line() {
    let sim = simulation();
    for w in sim["weeks"].as_array().expect("weeks") {
        let stable = w["environments"][2]["tag"].as_str().expect("stable");
        let beta = w["environments"][1]["tag"].as_str().expect("beta");
        let nightly = w["environments"][0]["tag"].as_str().expect("nightly");
        let minor =
            |v: &str| -> u64 { v.split('.').nth(1).expect("minor").parse().expect("number") };
        assert!(
            beta.contains("-beta."),
            "week {}: beta holds {beta}",
            w["number"]
        );
        assert_eq!(
            minor(beta),
            minor(stable) + 1,
            "week {}: {beta} vs {stable}",
            w["number"]
        );
        assert!(nightly.contains("-nightly."), "{nightly}");
        assert_eq!(minor(nightly), minor(stable) + 2, "week {}", w["number"]);
    }
    let first = &sim["weeks"][0]["environments"];
    assert_eq!(first[1]["tag"], "1.81.0-beta.1");
    assert_eq!(first[2]["tag"], "1.80.0");
}

#[test]
fn brief_shows_release_days_and_changes_only() {
    let (code, stdout, stderr) = run(&["simulate", RUST, "--brief"], None);
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!(stdout, @r#"
week  date                   nightly            beta            stable
1     2024-07-25             1.82.0-nightly.1*  1.81.0-beta.1*  1.80.0*
2     2024-07-30             1.82.0-nightly.1   1.81.0-beta.2*  1.80.0
3     2024-08-08             1.82.0-nightly.1   1.81.0-beta.2   1.80.1*
4     2024-08-13             1.82.0-nightly.1   1.81.0-beta.3*  1.80.1
6     2024-08-27             1.82.0-nightly.1   1.81.0-beta.4*  1.80.1
7     2024-09-05             1.83.0-nightly.1*  1.82.0-beta.1*  1.81.0*
8     2024-09-10             1.83.0-nightly.1   1.82.0-beta.2*  1.81.0
10    2024-09-24             1.83.0-nightly.1   1.82.0-beta.3*  1.81.0
12    2024-10-08             1.83.0-nightly.1   1.82.0-beta.4*  1.81.0
13    2024-10-17             1.84.0-nightly.1*  1.83.0-beta.1*  1.82.0*
14    2024-10-22             1.84.0-nightly.1   1.83.0-beta.2*  1.82.0
16    2024-11-05             1.84.0-nightly.1   1.83.0-beta.3*  1.82.0
18    2024-11-19             1.84.0-nightly.1   1.83.0-beta.4*  1.82.0
19    2024-11-28             1.85.0-nightly.1*  1.84.0-beta.1*  1.83.0*
20    2024-12-03             1.85.0-nightly.1   1.84.0-beta.2*  1.83.0
22    2024-12-17             1.85.0-nightly.1   1.84.0-beta.3*  1.83.0
24    2024-12-31             1.85.0-nightly.1   1.84.0-beta.4*  1.83.0
25    2025-01-09             1.86.0-nightly.1*  1.85.0-beta.1*  1.84.0*
26    2025-01-14             1.86.0-nightly.1   1.85.0-beta.2*  1.84.0
28    2025-01-28,2025-01-30  1.86.0-nightly.1   1.85.0-beta.3*  1.84.1*
30    2025-02-11             1.86.0-nightly.1   1.85.0-beta.4*  1.84.1
31    2025-02-20             1.87.0-nightly.1*  1.86.0-beta.1*  1.85.0*
"#);
    // No week without a release day or a change.
    assert!(!stdout.lines().any(|l| l.starts_with("5 ")));
}

#[test]
fn the_readme_shows_what_brief_prints() {
    let readme = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/rust/README.md"
    ))
    .unwrap();
    let command = "$ release simulate examples/rust/release.toml --brief\n";
    let start = readme.find(command).expect("the README shows --brief") + command.len();
    let shown = &readme[start..start + readme[start..].find("```").expect("block ends")];
    let (code, stdout, stderr) = run(&["simulate", RUST, "--brief"], None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(shown, stdout);
}
