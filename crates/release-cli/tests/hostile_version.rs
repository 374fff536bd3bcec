//! `release version ...` on hostile input (the reliability findings, area
//! 2): bounded time, no panic, no wrapped counter, no version its own format
//! cannot read back.

use std::time::{Duration, Instant};

use insta::assert_snapshot;

mod support;
use support::{release, run};

/// Generous for a debug build on a loaded 2-core machine; the exponential
/// matcher took minutes on these inputs in a release build.
const BOUND: Duration = Duration::from_secs(2);

fn dashed(n: usize) -> String {
    vec!["x"; n].join("-")
}

/// HIGH-6: a 4 KB tag against four placeholders, from stdin.
#[test]
fn a_long_tag_against_many_placeholders_is_rejected_quickly() {
    let tag = format!("{}\n", dashed(2000));
    let start = Instant::now();
    let (code, stdout, stderr) = run(
        &[
            "version",
            "latest",
            "--template",
            "{org}-{env}-{name}-{version}",
        ],
        Some(&tag),
    );
    let took = start.elapsed();
    assert!(took < BOUND, "took {took:?}");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("no tag of template {org}-{env}-{name}-{version} with SemVer found"),
        "{stderr}"
    );
}

/// HIGH-6: a 200-part tag against five placeholders and the version.
#[test]
fn a_many_part_tag_against_six_placeholders_is_rejected_quickly() {
    let tag = dashed(200);
    let start = Instant::now();
    let (code, _, stderr) = run(
        &[
            "version",
            "parse",
            "--template",
            "{a}-{b}-{c}-{d}-{e}-{version}",
            &tag,
        ],
        None,
    );
    let took = start.elapsed();
    assert!(took < BOUND, "took {took:?}");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("invalid tag \"x-x-x"), "{stderr}");
}

/// MEDIUM-8: a pre-release counter at u64::MAX is refused, not wrapped to
/// `rc.0` (release build) or a panic (debug build).
#[test]
fn a_prerelease_counter_at_the_limit_is_refused() {
    let output = release(
        &[
            "version",
            "next",
            "--level",
            "prerelease",
            "1.0.0-rc.18446744073709551615",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 1
    --- stderr
    error: the number 18446744073709551615 cannot be incremented
    ");
}

/// MEDIUM-8: a bare numeric pre-release at u64::MAX.
#[test]
fn a_bare_numeric_prerelease_at_the_limit_is_refused() {
    let output = release(
        &[
            "version",
            "next",
            "--level",
            "prerelease",
            "1.0.0-18446744073709551615",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 1
    --- stderr
    error: the number 18446744073709551615 cannot be incremented
    ");
}

/// MEDIUM-8: a hotfix counter at u64::MAX.
#[test]
fn a_hotfix_counter_at_the_limit_is_refused() {
    let output = release(
        &[
            "version",
            "next",
            "--hotfix",
            "suffix",
            "--base",
            "1.4.0-hotfix.18446744073709551615",
            "1.4.0-hotfix.18446744073709551615",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 1
    --- stderr
    error: the number 18446744073709551615 cannot be incremented
    ");
}

/// A CalVer MICRO has at most 19 digits: the next one would not read back.
#[test]
fn a_micro_counter_at_its_limit_is_refused() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-06-20",
            "2023.06.9999999999999999999",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 1
    --- stderr
    error: the number 9999999999999999999 cannot be incremented: a MICRO counter has at most 19 digits
    ");
}

/// LOW-17: `YYYY` cannot write year 10000 (`10000.01.19` would not read
/// back with its own format).
#[test]
fn a_four_digit_year_format_refuses_year_10000() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.0D",
            "--date",
            "+10000-01-19",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: the format YYYY.0M.0D writes a four-digit year (YYYY) and cannot represent the year 10000
    ");
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.0D",
            "--date=-0001-12-31",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: the format YYYY.0M.0D writes a four-digit year (YYYY) and cannot represent the year -1
    ");
    // The last day it can write still works, and reads back.
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.0D",
            "--date",
            "9999-12-31",
        ],
        None,
    );
    assert_snapshot!(output, @r"
    exit 0
    --- stdout
    9999.12.31
    ");
}
