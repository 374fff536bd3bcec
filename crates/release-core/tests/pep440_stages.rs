//! PEP 440 through every operation of a scheme, and pre-release stages;
//! every error message under a snapshot.

use release_core::version::{
    CandidatePolicy, HotfixStyle, Level, PrereleaseStage, Scheme, TagScheme, floating_tags,
};

fn lines(cases: Vec<(String, Result<String, release_core::Error>)>) -> String {
    cases
        .into_iter()
        .map(|(input, result)| match result {
            Ok(ok) => format!("{input}\n  ok: {ok}"),
            Err(e) => format!("{input}\n  {}: {e}", e.kind()),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn staged(lenient: bool) -> Scheme {
    Scheme::semver().with_candidates(CandidatePolicy {
        stages: vec!["alpha".into(), "beta".into(), "rc".into()],
        lenient_stages: lenient,
        ..CandidatePolicy::default()
    })
}

#[test]
fn pep440_next_levels() {
    let s = Scheme::pep440();
    let next = |text: &str, level| {
        s.next(Some(&s.parse(text).unwrap()), level)
            .unwrap()
            .to_string()
    };
    assert_eq!(next("3.14.0a1", Level::Prerelease), "3.14.0a2");
    assert_eq!(next("3.14.0b3", Level::Prerelease), "3.14.0b4");
    assert_eq!(next("3.14.0rc1", Level::Prerelease), "3.14.0rc2");
    assert_eq!(next("1.0.dev3", Level::Prerelease), "1.0.dev4");
    assert_eq!(next("3.13.1", Level::Prerelease), "3.13.2rc1");
    assert_eq!(next("3.14.0rc1", Level::Patch), "3.14.0");
    assert_eq!(next("3.14.0rc1", Level::Minor), "3.14.0");
    assert_eq!(next("3.14.1rc1", Level::Minor), "3.15.0");
    assert_eq!(next("1.0", Level::Patch), "1.0.1");
    assert_eq!(next("1.0.post1", Level::Patch), "1.0.1");
    assert_eq!(next("1!2.0", Level::Major), "1!3.0");
    assert_eq!(next("1.0RC1", Level::Prerelease), "1.0rc2");
    assert_eq!(next("2.3.4.5", Level::Minor), "2.4.0.0");
    assert_eq!(s.next(None, Level::Minor).unwrap().to_string(), "0.1.0");
}

#[test]
fn pep440_promote_hotfix_tags_and_floating() {
    let s = Scheme::pep440();
    let p = |t: &str| s.parse(t).unwrap();
    assert_eq!(
        s.promote(&p("3.14.0rc1"), &[]).unwrap().to.to_string(),
        "3.14.0"
    );
    let existing = [p("1.4.0"), p("1.4.1"), p("1.5.0"), p("1.4.0.post1")];
    assert_eq!(
        s.hotfix(&p("1.4.0"), &existing, HotfixStyle::Patch)
            .unwrap()
            .to_string(),
        "1.4.2"
    );
    assert_eq!(
        s.hotfix(&p("1.4.0"), &existing, HotfixStyle::Suffix)
            .unwrap()
            .to_string(),
        "1.4.0.post2"
    );
    let tags = TagScheme::new("v{version}", s.clone()).unwrap();
    let list = ["v3.14.0rc1", "v3.14.0", "v3.13.2", "latest", "v3.14.0b3"];
    let sorted = tags.sort(&list);
    assert_eq!(
        sorted.iter().map(|(i, _)| list[*i]).collect::<Vec<_>>(),
        ["v3.13.2", "v3.14.0b3", "v3.14.0rc1", "v3.14.0"]
    );
    let (_, latest) = tags.latest(&list, false).unwrap();
    assert_eq!(latest.to_string(), "3.14.0");
    assert_eq!(tags.tag(&p("3.14.1")).unwrap(), "v3.14.1");
    assert_eq!(
        floating_tags(&p("3.14.2"), &[p("3.13.9")]),
        ["3.14", "3", "latest"]
    );
    assert!(floating_tags(&p("3.14.2rc1"), &[]).is_empty());
}

#[test]
fn stages_move_forward_only() {
    let py = Scheme::pep440();
    let sv = staged(false);
    let p = |s: &Scheme, t: &str| s.parse(t).unwrap();
    let next = |s: &Scheme, t: &str| s.next_stage(&p(s, t)).unwrap().to_string();
    assert_eq!(next(&py, "3.14.0a7"), "3.14.0b1");
    assert_eq!(next(&py, "3.14.0b3"), "3.14.0rc1");
    assert_eq!(next(&py, "3.14.0rc2"), "3.14.0");
    assert_eq!(next(&sv, "1.0.0-alpha.3"), "1.0.0-beta.1");
    assert_eq!(next(&sv, "1.0.0-beta1"), "1.0.0-rc1");
    assert_eq!(next(&sv, "1.0.0-rc.2"), "1.0.0");
    let moved = sv.move_to_stage(&p(&sv, "1.0.0-beta.2"), "beta").unwrap();
    assert_eq!(moved.to_string(), "1.0.0-beta.3");
    assert_eq!(
        sv.stage_of(&p(&sv, "1.0.0-beta.2")).unwrap(),
        PrereleaseStage::Pre {
            index: 1,
            label: "beta".into(),
            counter: Some(2)
        }
    );
}

#[test]
fn stage_errors() {
    let py = Scheme::pep440();
    let strict = staged(false);
    let lenient = staged(true);
    let none = Scheme::semver();
    let p = |s: &Scheme, t: &str| s.parse(t).unwrap();
    let cases = vec![
        (
            "parse 1.0.0-hotfix.1, stages alpha, beta, rc".to_owned(),
            strict.parse("1.0.0-hotfix.1").map(|v| v.to_string()),
        ),
        (
            "stage_of 1.0.0-hotfix.1, lenient".to_owned(),
            lenient
                .stage_of(&p(&lenient, "1.0.0-hotfix.1"))
                .map(|s| s.to_string()),
        ),
        (
            "stage_warnings 1.0.0-hotfix.1, lenient".to_owned(),
            Ok(lenient
                .stage_warnings(&p(&lenient, "1.0.0-hotfix.1"))
                .into_iter()
                .map(|w| w.message)
                .collect::<Vec<_>>()
                .join("; ")),
        ),
        (
            "move_to_stage 3.14.0b3 -> a".to_owned(),
            py.move_to_stage(&p(&py, "3.14.0b3"), "a")
                .map(|v| v.to_string()),
        ),
        (
            "move_to_stage 1.0.0-rc.1 -> gamma".to_owned(),
            strict
                .move_to_stage(&p(&strict, "1.0.0-rc.1"), "gamma")
                .map(|v| v.to_string()),
        ),
        (
            "move_to_stage 3.14.0 -> final".to_owned(),
            py.move_to_stage(&p(&py, "3.14.0"), "final")
                .map(|v| v.to_string()),
        ),
        (
            "next_stage 3.14.0".to_owned(),
            py.next_stage(&p(&py, "3.14.0")).map(|v| v.to_string()),
        ),
        (
            "next_stage 1.0.dev3".to_owned(),
            py.next_stage(&p(&py, "1.0.dev3")).map(|v| v.to_string()),
        ),
        (
            "next_stage 1.0.0-rc.1, no stages declared".to_owned(),
            none.next_stage(&p(&none, "1.0.0-rc.1"))
                .map(|v| v.to_string()),
        ),
    ];
    insta::assert_snapshot!("stage_errors", lines(cases));
}

#[test]
fn pep440_errors() {
    let py = Scheme::pep440();
    let beta = py.clone().with_candidates(CandidatePolicy {
        label: "hotfix".into(),
        ..CandidatePolicy::default()
    });
    let p = |t: &str| py.parse(t).unwrap();
    let mut cases: Vec<(String, Result<String, release_core::Error>)> = [
        "",
        "1.0-",
        "1.0.x",
        "1.0+",
        "1!",
        "a1.0",
        "1.0a1a2",
        "1.18446744073709551616",
        "1.0.*",
    ]
    .into_iter()
    .map(|t| (format!("parse {t:?}"), py.parse(t).map(|v| v.to_string())))
    .collect();
    cases.extend([
        (
            "start_prerelease 1.0 with label hotfix".to_owned(),
            beta.start_prerelease(&p("1.0")).map(|v| v.to_string()),
        ),
        (
            "bump_prerelease 1.0.post1".to_owned(),
            py.bump_prerelease(&p("1.0.post1")).map(|v| v.to_string()),
        ),
        (
            "next_for_date on PEP 440".to_owned(),
            py.next_for_date(chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(), &[])
                .map(|v| v.to_string()),
        ),
        (
            "next of a SemVer version on PEP 440".to_owned(),
            py.next(
                Some(&Scheme::semver().parse("1.0.0").unwrap()),
                Level::Patch,
            )
            .map(|v| v.to_string()),
        ),
        (
            "warnings of 1.0-ALPHA1".to_owned(),
            Ok(p("1.0-ALPHA1")
                .warnings()
                .into_iter()
                .map(|w| w.message)
                .collect::<Vec<_>>()
                .join("; ")),
        ),
    ]);
    insta::assert_snapshot!("pep440_errors", lines(cases));
}

#[test]
fn pep440_reads_from_toml() {
    let scheme: Scheme = toml::from_str("kind = \"pep440\"").unwrap();
    assert_eq!(scheme.kind(), "pep440");
    assert!(scheme.parse("3.14.0rc1").unwrap().is_prerelease());
    let staged: Scheme = toml::from_str(
        "kind = \"semver\"\ncandidates = { stages = [\"alpha\", \"beta\", \"rc\"] }",
    )
    .unwrap();
    assert!(staged.parse("1.0.0-hotfix.1").is_err());
}
