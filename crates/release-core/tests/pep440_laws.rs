//! Property tests of PEP 440 and of pre-release stages: order consistent
//! with parse and print, stage order total and consistent with parse.

use proptest::prelude::*;
use release_core::version::{CandidatePolicy, Level, PrereleaseStage, Scheme, Version};

/// A PEP 440 version in one of the spellings PEP 440 normalises.
fn spelled() -> impl Strategy<Value = String> {
    let sep = prop_oneof![Just(""), Just("."), Just("-"), Just("_")];
    let label = prop_oneof![
        Just("a"),
        Just("b"),
        Just("rc"),
        Just("c"),
        Just("alpha"),
        Just("Beta"),
        Just("RC"),
        Just("pre"),
        Just("preview"),
    ];
    (
        proptest::option::of(0u64..3),
        proptest::collection::vec(0u64..30, 1..5),
        proptest::option::of((sep.clone(), label, 0u64..20)),
        proptest::option::of((sep.clone(), 0u64..5)),
        proptest::option::of((sep, 0u64..5)),
        proptest::option::of("[a-z0-9]{1,4}(\\.[a-z0-9]{1,4}){0,2}"),
        any::<bool>(),
    )
        .prop_map(|(epoch, release, pre, post, dev, local, v)| {
            let mut s = String::new();
            if v {
                s.push('v');
            }
            if let Some(e) = epoch {
                s.push_str(&format!("{e}!"));
            }
            let release: Vec<String> = release.iter().map(u64::to_string).collect();
            s.push_str(&release.join("."));
            if let Some((sep, label, n)) = pre {
                s.push_str(&format!("{sep}{label}{n}"));
            }
            if let Some((sep, n)) = post {
                s.push_str(&format!("{sep}post{n}"));
            }
            if let Some((sep, n)) = dev {
                s.push_str(&format!("{sep}dev{n}"));
            }
            if let Some(local) = local {
                s.push('+');
                s.push_str(&local);
            }
            s
        })
}

fn normal(v: &Version) -> String {
    v.as_pep440().expect("a PEP 440 version").normal_form()
}

fn staged() -> Scheme {
    Scheme::semver().with_candidates(CandidatePolicy {
        stages: vec!["alpha".into(), "beta".into(), "rc".into()],
        ..CandidatePolicy::default()
    })
}

/// A SemVer version at some stage: `1.2.3`, `1.2.3-beta.2`, `1.2.3-rc4`.
fn staged_text() -> impl Strategy<Value = String> {
    (
        0u64..5,
        0u64..5,
        proptest::option::of((0usize..3, 0u64..20, any::<bool>())),
    )
        .prop_map(|(minor, patch, pre)| {
            let mut s = format!("1.{minor}.{patch}");
            if let Some((stage, n, dotted)) = pre {
                let label = ["alpha", "beta", "rc"][stage];
                s.push_str(&if dotted {
                    format!("-{label}.{n}")
                } else {
                    format!("-{label}{n}")
                });
            }
            s
        })
}

proptest! {
    #[test]
    fn print_reads_back_and_the_normal_form_is_a_fixpoint(text in spelled()) {
        let s = Scheme::pep440();
        let v = s.parse(&text).unwrap();
        prop_assert_eq!(v.to_string(), text.clone());
        let n = s.parse(&normal(&v)).unwrap();
        prop_assert_eq!(&n, &v);
        prop_assert_eq!(normal(&n), normal(&v));
        prop_assert!(n.warnings().is_empty());
        prop_assert_eq!(v.warnings().is_empty(), normal(&v) == text);
    }

    #[test]
    fn order_is_that_of_the_normal_forms(a in spelled(), b in spelled()) {
        let s = Scheme::pep440();
        let (va, vb) = (s.parse(&a).unwrap(), s.parse(&b).unwrap());
        let (na, nb) = (s.parse(&normal(&va)).unwrap(), s.parse(&normal(&vb)).unwrap());
        prop_assert_eq!(va.cmp(&vb), na.cmp(&nb));
        prop_assert_eq!(va == vb, va.cmp(&vb).is_eq());
    }

    #[test]
    fn next_versions_go_forward(text in spelled()) {
        let s = Scheme::pep440();
        let v = s.parse(&text).unwrap();
        for level in [Level::Prerelease, Level::Patch, Level::Minor, Level::Major] {
            let next = s.next(Some(&v), level).unwrap();
            prop_assert!(next > v, "{} of {} gave {}", level, v, next);
        }
        if let Ok(next) = s.next_stage(&v) {
            prop_assert!(next > v);
            prop_assert!(s.stage_of(&next).unwrap() > s.stage_of(&v).unwrap());
        }
    }

    #[test]
    fn stage_order_is_total_and_follows_the_versions(a in staged_text(), b in staged_text()) {
        let s = staged();
        let (va, vb) = (s.parse(&a).unwrap(), s.parse(&b).unwrap());
        let (sa, sb) = (s.stage_of(&va).unwrap(), s.stage_of(&vb).unwrap());
        // Total: exactly one of <, ==, >.
        prop_assert_eq!(
            [sa < sb, sa == sb, sa > sb].iter().filter(|x| **x).count(),
            1
        );
        // On one release, the stage order is the version order.
        if va.as_semver().map(|v| (v.minor(), v.patch())) == vb.as_semver().map(|v| (v.minor(), v.patch())) {
            prop_assert_eq!(sa.cmp(&sb), va.cmp(&vb));
        }
        // A final is after every stage; moving on never goes back.
        prop_assert!(sa <= PrereleaseStage::Final);
        if let Ok(next) = s.next_stage(&va) {
            prop_assert!(s.stage_of(&next).unwrap() > sa);
            prop_assert!(next > va);
        }
    }
}
