//! Bounded work and checked numbers on hostile version input (the
//! reliability findings HIGH-6, MEDIUM-8 and LOW-17), through the public API.
//!
//! The time bounds read the wall clock, which the library never does; the
//! tests may. The step counts behind them are asserted in
//! `version::template`'s unit tests.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::time::{Duration, Instant};

use chrono::NaiveDate;
use release_core::version::{HotfixStyle, Level, Scheme, TagScheme};

/// Generous for a debug build on a loaded machine; the exponential matcher
/// took minutes on these inputs in a release build.
const BOUND: Duration = Duration::from_secs(2);

fn dashed(n: usize) -> String {
    vec!["x"; n].join("-")
}

fn timed<T>(f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < BOUND, "took {took:?}");
    out
}

/// HIGH-6: a 4 KB tag against `{org}-{env}-{name}-{version}`.
#[test]
fn long_tag_against_four_placeholders() {
    let scheme = TagScheme::new("{org}-{env}-{name}-{version}", Scheme::semver()).unwrap();
    let tag = dashed(2000);
    let err = timed(|| scheme.parse(&tag)).unwrap_err();
    assert!(err.is_parse(), "{err}");
    assert!(timed(|| scheme.version_of(&tag)).is_none());
    assert!(timed(|| scheme.latest(&[tag.as_str()], true)).is_none());
}

/// HIGH-6: a 200-part tag against `{a}-{b}-{c}-{d}-{e}-{version}`.
#[test]
fn many_part_tag_against_six_placeholders() {
    let scheme = TagScheme::new("{a}-{b}-{c}-{d}-{e}-{version}", Scheme::semver()).unwrap();
    let tag = dashed(200);
    assert!(timed(|| scheme.parse(&tag)).unwrap_err().is_parse());
    // The same shape with a real version at the end still reads.
    let tag = format!("{}-1.2.3-rc.1", dashed(200));
    let parsed = timed(|| scheme.parse(&tag)).unwrap();
    assert_eq!(parsed.version().to_string(), "1.2.3-rc.1");
    assert_eq!(parsed.field("a"), Some("x"));
    assert_eq!(parsed.field("e"), Some(&*dashed(196)));
}

/// HIGH-6: the version in the middle of the template, and a 1 MB tag.
#[test]
fn version_in_the_middle_and_a_megabyte_tag() {
    let scheme = TagScheme::new("{a}-{version}-{b}", Scheme::semver()).unwrap();
    assert!(timed(|| scheme.parse(&dashed(2000))).is_err());
    let scheme = TagScheme::new("{org}-{env}-{name}-{version}", Scheme::semver()).unwrap();
    let tag = "x".repeat(1 << 20);
    assert!(timed(|| scheme.parse(&tag)).is_err());
    let tag = format!("{}-1.0.0", dashed(300_000));
    assert_eq!(
        timed(|| scheme.parse(&tag)).unwrap().version().to_string(),
        "1.0.0"
    );
}

fn refused(result: release_core::Result<release_core::version::Version>, number: &str) {
    let err = result.unwrap_err();
    assert!(err.is_refused(), "{err}");
    assert!(
        err.message()
            .starts_with(&format!("the number {number} cannot be incremented")),
        "{err}"
    );
}

/// MEDIUM-8: counters at u64::MAX are refused, never wrapped to 0.
#[test]
fn counters_at_the_limit_are_refused() {
    let s = Scheme::semver();
    let max = "18446744073709551615";
    for text in [
        format!("1.0.0-rc.{max}"),
        format!("1.0.0-{max}"),
        format!("1.0.0-rc{max}"),
    ] {
        let v = s.parse(&text).unwrap();
        refused(s.next(Some(&v), Level::Prerelease), max);
        refused(s.bump_prerelease(&v), max);
    }
    let base = s.parse(&format!("1.4.0-hotfix.{max}")).unwrap();
    refused(
        s.hotfix(&base, std::slice::from_ref(&base), HotfixStyle::Suffix),
        max,
    );
    let base = s.parse("1.4.0").unwrap();
    let existing = [s.parse(&format!("1.4.{max}")).unwrap()];
    refused(s.hotfix(&base, &existing, HotfixStyle::Patch), max);
    for level in [Level::Major, Level::Minor, Level::Patch] {
        let v = s.parse(&format!("{max}.{max}.{max}")).unwrap();
        refused(s.next(Some(&v), level), max);
    }
}

/// MEDIUM-8 for CalVer: `MICRO` reads at most 19 digits, so the counter
/// stops at 9999999999999999999 instead of producing a version its own
/// format rejects.
#[test]
fn calver_counters_stop_where_the_format_stops_reading() {
    let s = Scheme::calver("YYYY.0M.MICRO").unwrap();
    let top = "9999999999999999999";
    let v = s.parse(&format!("2023.06.{top}")).unwrap();
    refused(s.next(Some(&v), Level::Patch), top);
    refused(s.hotfix(&v, &[], HotfixStyle::Patch), top);
    let date = NaiveDate::from_ymd_opt(2023, 6, 20).unwrap();
    refused(s.next_for_date(date, std::slice::from_ref(&v)), top);
    let v = s.parse("2023.06.1-rc.18446744073709551615").unwrap();
    refused(s.next(Some(&v), Level::Prerelease), "18446744073709551615");
    // One below the limit still works and reads back.
    let v = s.parse("2023.06.9999999999999999998").unwrap();
    let next = s.next(Some(&v), Level::Patch).unwrap();
    assert_eq!(s.parse(&next.to_string()).unwrap(), next);
}

/// LOW-17: `YYYY` writes the years 0 to 9999, `YY`/`0Y` 2000 to 2999; any
/// other year is refused instead of written in a form the format rejects.
#[test]
fn calver_years_outside_the_format_are_refused() {
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let full = Scheme::calver("YYYY.0M.0D").unwrap();
    for year in [10_000, 262_000, -1, -262_000] {
        let err = full.next_for_date(d(year, 1, 19), &[]).unwrap_err();
        assert!(err.is_config(), "{err}");
        assert_eq!(
            err.message(),
            format!(
                "the format YYYY.0M.0D writes a four-digit year (YYYY) and cannot represent the year {year}"
            )
        );
    }
    for (year, want) in [(9999, "9999.12.31"), (0, "0000.12.31")] {
        let v = full.next_for_date(d(year, 12, 31), &[]).unwrap();
        assert_eq!(v.to_string(), want);
        assert_eq!(full.parse(want).unwrap(), v);
    }
    let short = Scheme::calver("0Y.0M.MICRO").unwrap();
    let err = short.next_for_date(d(3000, 1, 1), &[]).unwrap_err();
    assert!(err.is_config(), "{err}");
    let v = short.next_for_date(d(2999, 1, 1), &[]).unwrap();
    assert_eq!(short.parse(&v.to_string()).unwrap(), v);
}
