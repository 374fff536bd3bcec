//! Property tests: the laws every scheme keeps, and a differential test
//! against the bare `semver` crate.

use chrono::NaiveDate;
use proptest::prelude::*;
use release_core::version::{Level, Scheme, TagScheme, VPrefix, Version};

fn ident() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z-]{0,5}",
        (0u64..500).prop_map(|n| n.to_string()),
        "[a-z]{1,3}[0-9]{1,2}".prop_filter("no leading zero after letters", |s| {
            let digits = s.trim_start_matches(|c: char| c.is_ascii_alphabetic());
            digits.len() == 1 || !digits.starts_with('0')
        }),
    ]
}

/// Canonical SemVer text: what `semver::Version` would print.
fn canonical_semver() -> impl Strategy<Value = String> {
    (
        0u64..50,
        0u64..50,
        0u64..50,
        proptest::collection::vec(ident(), 0..3),
        proptest::option::of("[0-9A-Za-z]{1,6}"),
    )
        .prop_map(|(a, b, c, pre, build)| {
            let mut s = format!("{a}.{b}.{c}");
            if !pre.is_empty() {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            if let Some(build) = build {
                s.push('+');
                s.push_str(&build);
            }
            s
        })
}

/// Canonical SemVer whose pre-release SemVer itself orders as we do (no
/// attached counters, no uppercase), for comparing orders.
fn dotted_semver() -> impl Strategy<Value = String> {
    canonical_semver().prop_filter("dotted counters only", |s| {
        semver::Version::parse(s).is_ok_and(|v| {
            v.pre.as_str().split('.').all(|i| {
                i.is_empty()
                    || i.bytes().all(|b| b.is_ascii_digit())
                    || !i.bytes().any(|b| b.is_ascii_digit())
                    || !i.bytes().last().is_some_and(|b| b.is_ascii_digit())
                    || i.bytes().next().is_some_and(|b| b.is_ascii_digit())
            })
        })
    })
}

fn parse(s: &str) -> Version {
    Scheme::semver().parse(s).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn format_parse_round_trips(text in canonical_semver(), v in any::<bool>()) {
        let text = if v { format!("v{text}") } else { text };
        prop_assert_eq!(parse(&text).to_string(), text);
    }

    #[test]
    fn order_is_semver_precedence(a in dotted_semver(), b in dotted_semver()) {
        let (ours_a, ours_b) = (parse(&a), parse(&b));
        let (theirs_a, theirs_b) = (semver::Version::parse(&a).unwrap(), semver::Version::parse(&b).unwrap());
        prop_assert_eq!(ours_a.cmp(&ours_b), theirs_a.cmp(&theirs_b));
        prop_assert_eq!(ours_a == ours_b, theirs_a == theirs_b);
    }

    #[test]
    fn order_is_total(a in canonical_semver(), b in canonical_semver(), c in canonical_semver()) {
        let (a, b, c) = (parse(&a), parse(&b), parse(&c));
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        if a <= b && b <= c {
            prop_assert!(a <= c);
        }
    }

    #[test]
    fn attached_counters_order_like_dotted(major in 0u64..5, n in 0u64..200, m in 0u64..200, label in "[a-z]{1,5}") {
        let attached = |k: u64| parse(&format!("{major}.0.0-{label}{k}"));
        let dotted = |k: u64| parse(&format!("{major}.0.0-{label}.{k}"));
        prop_assert_eq!(attached(n).cmp(&attached(m)), n.cmp(&m));
        prop_assert_eq!(attached(n), dotted(n));
        prop_assert_eq!(attached(n).to_string(), format!("{major}.0.0-{label}{n}"));
    }

    #[test]
    fn next_is_greater(text in canonical_semver()) {
        let scheme = Scheme::semver();
        let v = parse(&text);
        for level in [Level::Major, Level::Minor, Level::Patch, Level::Prerelease] {
            let next = scheme.next(Some(&v), level).unwrap();
            prop_assert!(next > v, "{} at {} gave {}", v, level, next);
        }
    }

    #[test]
    fn promote_undoes_start_prerelease(a in 0u64..100, b in 0u64..100, c in 0u64..100, v in any::<bool>()) {
        let scheme = Scheme::semver();
        let final_v = parse(&format!("{}{a}.{b}.{c}", if v { "v" } else { "" }));
        let rc = scheme.start_prerelease(&final_v).unwrap();
        prop_assert!(rc < final_v);
        let rc2 = scheme.bump_prerelease(&rc).unwrap();
        prop_assert!(rc2 > rc && rc2 < final_v);
        prop_assert_eq!(scheme.promote(&rc2, std::slice::from_ref(&rc)).unwrap().to, final_v.clone());
        prop_assert_eq!(scheme.promote(&rc2, &[]).unwrap().to.to_string(), final_v.to_string());
    }

    #[test]
    fn calver_round_trips_and_orders_by_date(
        days_a in 0i64..20_000, days_b in 0i64..20_000, micro_a in 0u64..30, micro_b in 0u64..30,
        format in prop::sample::select(vec!["YYYY.0M.MICRO", "YY.MM.MICRO", "0Y.0W.MICRO", "YYYY.0M.0D.MICRO", "YYYY-MM-DD_MICRO"]),
    ) {
        let scheme = Scheme::calver(format).unwrap();
        let Scheme::CalVer(cal) = &scheme else { unreachable!() };
        let base = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
        let date_a = base + chrono::Duration::days(days_a);
        let date_b = base + chrono::Duration::days(days_b);
        let a = cal.format.version_for(date_a, Some(micro_a)).unwrap();
        let b = cal.format.version_for(date_b, Some(micro_b)).unwrap();
        let (pa, pb) = (scheme.parse(&a.to_string()).unwrap(), scheme.parse(&b.to_string()).unwrap());
        prop_assert_eq!(pa.to_string(), a.to_string());
        if !a.same_period(&b) {
            // Different periods order by date (periods are contiguous).
            prop_assert_eq!(pa.cmp(&pb), date_a.cmp(&date_b));
        } else {
            prop_assert_eq!(pa.cmp(&pb), micro_a.cmp(&micro_b));
        }
    }

    #[test]
    fn next_for_date_is_newest_and_counts_on(days in 0i64..9000, releases in 1usize..6) {
        let scheme = Scheme::calver("YYYY.0M.MICRO").unwrap();
        let date = NaiveDate::from_ymd_opt(2001, 1, 1).unwrap() + chrono::Duration::days(days);
        let mut existing: Vec<Version> = Vec::new();
        for k in 0..releases {
            let next = scheme.next_for_date(date, &existing).unwrap();
            prop_assert!(existing.iter().all(|e| *e < next));
            prop_assert_eq!(next.as_calver().unwrap().micro(), Some(k as u64 + 1));
            existing.push(next);
        }
    }
}

proptest! {
    /// The bulk sort (packed keys, saturated for huge numbers, full
    /// comparison on ties) gives exactly the order of a stable sort by
    /// version.
    #[test]
    fn bulk_sort_is_a_stable_sort_by_version(tags in proptest::collection::vec(
        prop_oneof![
            canonical_semver(),
            "v?[0-3]\\.[0-3]\\.[0-3](-rc[0-9]|-rc\\.[0-9]|\\+b[0-9])?",
            // Numbers around the packed key's 2^20 limit, which saturate.
            "(1|1048575|1048576|2000000|18446744073709551615)\\.(0|1048575|1048576|3000000)\\.(0|1048575|1048576)(-rc\\.[0-2])?",
            "[a-z]{1,4}",
        ], 0..60)) {
        let scheme = TagScheme::from(Scheme::semver());
        let ours: Vec<usize> = scheme.sort(&tags).into_iter().map(|(i, _)| i).collect();
        let mut expected: Vec<(usize, Version)> = tags.iter().enumerate()
            .filter_map(|(i, t)| Scheme::semver().parse(t).ok().map(|v| (i, v))).collect();
        expected.sort_by(|a, b| a.1.cmp(&b.1));
        prop_assert_eq!(ours, expected.into_iter().map(|(i, _)| i).collect::<Vec<_>>());
    }
}

/// Strings that look like versions and strings that do not.
fn tagish() -> impl Strategy<Value = String> {
    prop_oneof![
        canonical_semver(),
        "[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}(-[0-9A-Za-z.]{0,6})?(\\+[0-9A-Za-z.]{0,4})?",
        "[0-9v.\\-+a-z]{0,12}",
        "\\PC{0,10}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Differential test against the bare `semver` crate: with no `v`
    /// accepted, we read exactly what it reads, and where its order is
    /// ours (no attached counters, no uppercase) we order as it does.
    #[test]
    fn differential_against_semver_crate(a in tagish(), b in tagish()) {
        let scheme = Scheme::semver_with_prefix(VPrefix::Never);
        let (ours_a, theirs_a) = (scheme.parse(&a), semver::Version::parse(&a));
        prop_assert_eq!(ours_a.is_ok(), theirs_a.is_ok(), "acceptance differs on {:?}", a);
        let (ours_b, theirs_b) = (scheme.parse(&b), semver::Version::parse(&b));
        if let (Ok(oa), Ok(ta), Ok(ob), Ok(tb)) = (ours_a, theirs_a, ours_b, theirs_b) {
            prop_assert_eq!(oa.to_string(), a.clone());
            let plain = |v: &semver::Version| {
                let pre = v.pre.as_str();
                !pre.bytes().any(|c| c.is_ascii_uppercase())
                    && pre.split('.').all(|i| {
                        let letters = i.bytes().take_while(u8::is_ascii_alphabetic).count();
                        letters == 0 || letters == i.len() || !i[letters..].bytes().all(|c| c.is_ascii_digit())
                    })
            };
            if plain(&ta) && plain(&tb) {
                prop_assert_eq!(oa.cmp(&ob), ta.cmp(&tb), "{} vs {}", a, b);
            }
        }
    }
}

#[test]
fn sort_and_latest_over_a_mixed_repository() {
    let tags = [
        "v1.10.0",
        "junk",
        "v1.9.0",
        "1.10.0-rc.2",
        "v1.10.0-rc10",
        "2023.06.1",
        "v2.0.0-beta",
        "v1.10.0",
    ];
    let scheme = TagScheme::from(Scheme::semver());
    let sorted: Vec<&str> = scheme.sort(&tags).iter().map(|(i, _)| tags[*i]).collect();
    assert_eq!(
        sorted,
        [
            "v1.9.0",
            "1.10.0-rc.2",
            "v1.10.0-rc10",
            "v1.10.0",
            "v1.10.0",
            "v2.0.0-beta"
        ]
    );
    assert_eq!(
        scheme.latest(&tags, true).map(|(i, _)| tags[i]),
        Some("v2.0.0-beta")
    );
    assert_eq!(
        scheme.latest(&tags, false).map(|(i, _)| tags[i]),
        Some("v1.10.0")
    );
    let list = scheme.parse_all(tags);
    assert_eq!(list.rejected.len(), 2);
    assert_eq!(list.latest(false).map(|t| t.as_str()), Some("v1.10.0"));
}
