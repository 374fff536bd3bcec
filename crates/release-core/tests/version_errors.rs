//! Error messages name the input, the scheme and the place. They are part of
//! the interface, so they are snapshot-tested: adding a case is adding a line.

use chrono::NaiveDate;
use release_core::version::{
    CalVerFormat, CandidatePolicy, Level, Pattern, Scheme, TagScheme, TagTemplate, VPrefix,
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

#[test]
fn parse_errors() {
    let semver = Scheme::semver();
    let bare = Scheme::semver_with_prefix(VPrefix::Never);
    let v = Scheme::semver_with_prefix(VPrefix::Always);
    let calver = Scheme::calver("YYYY.0M.MICRO").unwrap();
    let unpadded = Scheme::calver("YYYY.MM.MICRO").unwrap();
    let daily = Scheme::calver("YYYY.0M.0D").unwrap();
    let mut cases = Vec::new();
    for (scheme, text) in [
        (&semver, "1.x.3"),
        (&semver, "1.2"),
        (&semver, "01.2.3"),
        (&semver, "1.2.3-"),
        (&semver, "1.2.3-rc..1"),
        (&semver, "v 1.2.3"),
        (&bare, "v1.2.3"),
        (&v, "1.2.3"),
        (&calver, "2023.6.2"),
        (&calver, "2023.13.1"),
        (&calver, "23.06.1"),
        (&calver, "2023.06"),
        (&calver, "2023.06.1.4"),
        (&calver, "2023.06.01"),
        (&calver, "2023-06-1"),
        (&unpadded, "2023.06.2"),
        (&daily, "2023.02.29"),
        (&calver, "2023.06.2-rc_1"),
    ] {
        cases.push((
            format!("{scheme} {text:?}"),
            scheme.parse(text).map(|v| v.to_string()),
        ));
    }
    insta::assert_snapshot!("parse_errors", lines(cases));
}

#[test]
fn definition_errors() {
    let mut cases = Vec::new();
    for format in [
        "0M.MICRO",
        "YYYY.MM.0M",
        "YYYY.WW.0D",
        "YYYY.DD",
        "YYYY.QQ",
        "MMYYYY",
        "YYYY.",
        "YYYY.0M-",
    ] {
        cases.push((
            format!("format {format:?}"),
            CalVerFormat::new(format).map(|f| f.to_string()),
        ));
    }
    for template in [
        "release-{name}",
        "{version}{name}",
        "v{version",
        "v}{version}",
        "{ver sion}",
        "{version}-{version}",
    ] {
        cases.push((
            format!("template {template:?}"),
            TagTemplate::new(template).map(|t| t.to_string()),
        ));
    }
    cases.push((
        "pattern \"^[0-9+$\"".to_owned(),
        Pattern::new("^[0-9+$").map(|p| p.as_str().to_owned()),
    ));
    let needs_component = TagScheme::new("{component}-v{version}", Scheme::semver()).unwrap();
    cases.push((
        "tag \"backend-v1.0.0\" without a component".to_owned(),
        needs_component
            .parse("backend-v1.0.0")
            .map(|t| t.to_string()),
    ));
    insta::assert_snapshot!("definition_errors", lines(cases));
}

#[test]
fn refusals() {
    let semver = Scheme::semver();
    let strict = Scheme::semver().with_candidates(CandidatePolicy {
        required: true,
        ..Default::default()
    });
    let calver = Scheme::calver("YYYY.0M.MICRO").unwrap();
    let p = |s: &Scheme, t: &str| s.parse(t).unwrap();
    let date = NaiveDate::from_ymd_opt(2023, 5, 1).unwrap();
    let cases = vec![
        (
            "promote 3.6.7 with no candidate, candidates required".to_owned(),
            strict
                .promote(&p(&strict, "3.6.7"), &[])
                .map(|p| p.to.to_string()),
        ),
        (
            "promote 3.6.7-rc2 when 3.6.7 exists".to_owned(),
            semver
                .promote(&p(&semver, "3.6.7-rc2"), &[p(&semver, "3.6.7")])
                .map(|p| p.to.to_string()),
        ),
        (
            "bump_prerelease 1.2.3".to_owned(),
            semver
                .bump_prerelease(&p(&semver, "1.2.3"))
                .map(|v| v.to_string()),
        ),
        (
            "next_for_date 2023-05-01 after 2023.06.1".to_owned(),
            calver
                .next_for_date(date, &[p(&calver, "2023.06.1")])
                .map(|v| v.to_string()),
        ),
        (
            "next minor of a CalVer version".to_owned(),
            calver
                .next(Some(&p(&calver, "2023.06.1")), Level::Minor)
                .map(|v| v.to_string()),
        ),
        (
            "next_for_date on SemVer".to_owned(),
            semver.next_for_date(date, &[]).map(|v| v.to_string()),
        ),
    ];
    insta::assert_snapshot!("refusals", lines(cases));
}
