//! Every gate rule: passed, failed, pending (naming the missing fact), and
//! waived; composition with all/any/not; verdicts for humans and as JSON.

use chrono::{DateTime, TimeZone, Utc};
use release_core::duration::Span;
use release_core::gate::Requirement;
use release_core::gate::{
    CellSpec, Fact, FactKind, FactValue, Facts, Gate, Rule, Status, Waiver, WaiverTarget, evaluate,
};
use release_core::version::{Scheme, Severity, TagRule};

fn t(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, h, 0, 0).unwrap()
}

fn fact(kind: FactKind, subject: &str, value: FactValue, at: DateTime<Utc>) -> Fact {
    Fact::new(kind, subject, value, "ci", at)
}

fn text(s: &str) -> FactValue {
    FactValue::Text(s.to_owned())
}

fn status(rule: Rule, facts: &[Fact], now: DateTime<Utc>) -> Status {
    Gate::new("g", rule)
        .evaluate(&facts.iter().cloned().collect(), &[], now)
        .status
}

#[test]
fn test_rule() {
    let rule = || Rule::test("e2e");
    assert_eq!(status(rule(), &[], t(9)), Status::Pending);
    let pass = fact(FactKind::Test, "e2e", FactValue::Bool(true), t(8));
    let fail = fact(FactKind::Test, "e2e", FactValue::Bool(false), t(9));
    assert_eq!(
        status(rule(), std::slice::from_ref(&pass), t(9)),
        Status::Passed
    );
    // The latest fact wins, whatever the order recorded.
    assert_eq!(
        status(rule(), &[fail.clone(), pass.clone()], t(10)),
        Status::Failed
    );
    assert_eq!(
        status(
            rule(),
            &[fact(FactKind::Test, "e2e", text("skipped"), t(8))],
            t(9)
        ),
        Status::Failed
    );
    let v = Gate::new("e2e", rule()).evaluate(&Facts::new(), &[], t(9));
    assert_eq!(
        v.missing().map(ToString::to_string).collect::<Vec<_>>(),
        ["test \"e2e\""]
    );
}

#[test]
fn count_rule() {
    let rule = || Rule::count("open_blockers", 0);
    assert_eq!(status(rule(), &[], t(9)), Status::Pending);
    assert_eq!(
        status(
            rule(),
            &[fact(
                FactKind::Count,
                "open_blockers",
                FactValue::Count(0),
                t(8)
            )],
            t(9)
        ),
        Status::Passed
    );
    assert_eq!(
        status(
            rule(),
            &[fact(
                FactKind::Count,
                "open_blockers",
                FactValue::Count(2),
                t(8)
            )],
            t(9)
        ),
        Status::Failed
    );
    assert_eq!(
        status(
            rule(),
            &[fact(FactKind::Count, "open_blockers", text("none"), t(8))],
            t(9)
        ),
        Status::Failed
    );
}

#[test]
fn approvals_rule_refuses_self_approval() {
    let rule = || Rule::approvals("qa", 2);
    let approval = |who: &str| fact(FactKind::Approval, "qa", text(who), t(8));
    let requester = fact(FactKind::Requester, "", text("carol"), t(7));
    // Unknown requester: pending on the requester even with enough approvals.
    let v = Gate::new("qa", rule()).evaluate(
        &[approval("alice"), approval("bob")].into_iter().collect(),
        &[],
        t(9),
    );
    assert_eq!(v.status, Status::Pending);
    assert_eq!(v.missing().next().unwrap().to_string(), "requester");
    // The requester's own approval does not count; duplicates count once.
    let facts: Facts = [
        requester.clone(),
        approval("alice"),
        approval("alice"),
        approval("carol"),
    ]
    .into_iter()
    .collect();
    let v = Gate::new("qa", rule()).evaluate(&facts, &[], t(9));
    assert_eq!(v.status, Status::Pending);
    assert_eq!(
        v.reasons[0].detail,
        "1 of 2 approvals by qa (alice); carol requested the release, so their approval does not count; missing fact approval \"qa\""
    );
    let facts: Facts = [requester, approval("alice"), approval("bob")]
        .into_iter()
        .collect();
    assert_eq!(
        Gate::new("qa", rule()).evaluate(&facts, &[], t(9)).status,
        Status::Passed
    );
}

#[test]
fn calendar_rules_read_calendar_facts() {
    let holiday = |b| fact(FactKind::Holiday, "uk", FactValue::Bool(b), t(0));
    assert_eq!(
        status(Rule::NotHoliday("uk".into()), &[], t(9)),
        Status::Pending
    );
    assert_eq!(
        status(Rule::NotHoliday("uk".into()), &[holiday(false)], t(9)),
        Status::Passed
    );
    assert_eq!(
        status(Rule::NotHoliday("uk".into()), &[holiday(true)], t(9)),
        Status::Failed
    );
    // A window answer holds until it expires; then the rule is pending again.
    let open = fact(
        FactKind::WindowOpen,
        "promotion",
        FactValue::Bool(true),
        t(8),
    )
    .expiring(t(12));
    let rule = || Rule::InWindow("promotion".into());
    let facts: Facts = [open].into_iter().collect();
    let v = Gate::new("w", rule()).evaluate(&facts, &[], t(9));
    assert_eq!((v.status, v.next_change), (Status::Passed, Some(t(12))));
    assert_eq!(
        Gate::new("w", rule()).evaluate(&facts, &[], t(12)).status,
        Status::Pending
    );
    let closed = fact(
        FactKind::WindowOpen,
        "promotion",
        FactValue::Bool(false),
        t(8),
    );
    assert_eq!(status(rule(), &[closed], t(9)), Status::Failed);
}

#[test]
fn soak_rule_is_pending_until_its_time() {
    let rule = || Rule::soak("staging", Span::hours(24));
    let deployed = fact(FactKind::Deployed, "staging", text("2023.06.2"), t(8));
    assert_eq!(status(rule(), &[], t(9)), Status::Pending);
    let v =
        Gate::new("soak", rule()).evaluate(&[deployed.clone()].into_iter().collect(), &[], t(9));
    assert_eq!(v.status, Status::Pending);
    let tomorrow = Utc.with_ymd_and_hms(2026, 3, 4, 8, 0, 0).unwrap();
    assert_eq!(v.next_change, Some(tomorrow));
    assert_eq!(v.reasons[0].until, Some(tomorrow));
    assert_eq!(v.missing().count(), 0);
    assert_eq!(
        status(rule(), std::slice::from_ref(&deployed), tomorrow),
        Status::Passed
    );
    // A named artifact must be the one deployed.
    let named = Rule::Soak {
        environment: "staging".into(),
        at_least: Span::hours(1),
        artifact: Some("2023.06.3".into()),
    };
    assert_eq!(status(named, &[deployed], tomorrow), Status::Pending);
}

#[test]
fn promoted_rule_needs_the_tag_in_the_previous_environment_first() {
    let rule = || Rule::promoted("sync", "staging");
    let tag = |v: &str| fact(FactKind::Tag, "sync", text(v), t(8));
    let staged = |v: &str, h| fact(FactKind::Deployed, "staging", text(v), t(h));
    // Nothing known: pending on the tag.
    assert_eq!(status(rule(), &[], t(12)), Status::Pending);
    // v0.0.4 reached staging two weeks ago (here: at 5), then v0.0.5
    // replaced it: production may take v0.0.4, not v0.0.6.
    let history = [staged("v0.0.4", 5), staged("v0.0.5", 9)];
    let with = |v: &str| {
        let mut list = history.to_vec();
        list.push(tag(v));
        list
    };
    assert_eq!(status(rule(), &with("v0.0.4"), t(12)), Status::Passed);
    let v =
        Gate::new("promotion", rule()).evaluate(&with("v0.0.6").into_iter().collect(), &[], t(12));
    assert_eq!(v.status, Status::Pending);
    assert_eq!(
        v.reasons[0].detail,
        "missing fact deployed \"staging\" with \"v0.0.6\" (staging holds \"v0.0.5\")"
    );
    // A deployment after `now` does not count yet.
    assert_eq!(
        status(rule(), &[tag("v0.0.4"), staged("v0.0.4", 13)], t(12)),
        Status::Pending
    );
    // Under `not`, a promoted tag fails.
    assert_eq!(
        status(Rule::not(rule()), &with("v0.0.4"), t(12)),
        Status::Failed
    );
}

#[test]
fn tag_rule() {
    let rule = || Rule::tag("stack", TagRule::production_grade());
    assert_eq!(status(rule(), &[], t(9)), Status::Pending);
    assert_eq!(
        status(
            rule(),
            &[fact(FactKind::Tag, "stack", text("2023.06.2"), t(8))],
            t(9)
        ),
        Status::Passed
    );
    let v = Gate::new("prod", rule()).evaluate(
        &[fact(FactKind::Tag, "stack", text("2023.06.2-rc1"), t(8))]
            .into_iter()
            .collect(),
        &[],
        t(9),
    );
    assert_eq!(v.status, Status::Failed);
    assert_eq!(
        v.reasons[0].detail,
        "\"2023.06.2-rc1\" does not match ^[0-9]+\\.[0-9]+\\.[0-9]+$"
    );
    let calver = TagRule::conforms(
        "calver",
        Severity::Hard,
        Scheme::calver("YYYY.0M.MICRO").unwrap(),
    );
    assert_eq!(
        status(
            Rule::tag("stack", calver),
            &[fact(FactKind::Tag, "stack", text("2023.6.2"), t(8))],
            t(9)
        ),
        Status::Failed
    );
}

#[test]
fn pins_rule_checks_tag_and_branch_of_every_pin() {
    let rule = || Rule::pins(["backend", "frontend"], "production");
    let pin = |c: &str, tag: &str, branch: Option<&str>| {
        fact(
            FactKind::Pin,
            c,
            FactValue::Pinned {
                tag: tag.into(),
                branch: branch.map(Into::into),
            },
            t(8),
        )
    };
    let good = [
        pin("backend", "2023.05.1", Some("production")),
        pin("frontend", "2023.05.4", Some("production")),
    ];
    assert_eq!(status(rule(), &good, t(9)), Status::Passed);
    assert_eq!(status(rule(), &good[..1], t(9)), Status::Pending);
    let bad = [
        pin("backend", "2023.05.1", Some("staging")),
        pin("frontend", "2023.05.4-rc1", None),
    ];
    let v = Gate::new("pins", rule()).evaluate(&bad.into_iter().collect(), &[], t(9));
    assert_eq!(v.status, Status::Failed);
    let details: Vec<&str> = v.reasons.iter().map(|r| r.detail.as_str()).collect();
    assert_eq!(
        details,
        [
            "\"2023.05.1\" is from branch \"staging\", not \"production\"",
            "\"2023.05.4-rc1\" does not match ^[0-9]+\\.[0-9]+\\.[0-9]+$; the branch of \"2023.05.4-rc1\" is unknown; it must be \"production\"",
        ]
    );
}

fn matrix() -> Rule {
    let cell = |id: &str, requirement| CellSpec {
        id: id.into(),
        requirement,
    };
    Rule::Matrix {
        step: "test".into(),
        cells: vec![
            cell("test[aws]", Requirement::Required),
            cell("test[azure]", Requirement::Skippable),
            cell("test[gcp]", Requirement::Advisory),
        ],
    }
}

#[test]
fn matrix_rule_required_advisory_skippable_and_waived_cells() {
    let result = |id: &str, v: FactValue| fact(FactKind::Test, id, v, t(8));
    let aws = result("test[aws]", FactValue::Bool(true));
    let azure_skipped = result("test[azure]", text("skipped"));
    let gcp_failed = result("test[gcp]", FactValue::Bool(false));
    // Advisory failure is reported, not blocking.
    let v = Gate::new("matrix", matrix()).evaluate(
        &[aws.clone(), azure_skipped.clone(), gcp_failed.clone()]
            .into_iter()
            .collect(),
        &[],
        t(9),
    );
    assert_eq!(v.status, Status::Passed);
    let gcp = &v.reasons[2];
    assert_eq!((gcp.status, gcp.blocking), (Status::Failed, false));
    // A missing required cell keeps it pending; an advisory one does not.
    let v = Gate::new("matrix", matrix()).evaluate(
        &[azure_skipped.clone()].into_iter().collect(),
        &[],
        t(9),
    );
    assert_eq!(v.status, Status::Pending);
    assert_eq!(
        v.missing().map(ToString::to_string).collect::<Vec<_>>(),
        ["test \"test[aws]\""]
    );
    // A failed required cell fails; a waiver of that cell lets it through.
    let aws_failed = result("test[aws]", FactValue::Bool(false));
    let facts: Facts = [aws_failed, azure_skipped].into_iter().collect();
    assert_eq!(
        Gate::new("matrix", matrix())
            .evaluate(&facts, &[], t(9))
            .status,
        Status::Failed
    );
    let waiver = Waiver::new(
        WaiverTarget::Cell("test[aws]".into()),
        "dana".parse().unwrap(),
        "AWS sandbox down; tested by hand",
        t(9),
    );
    let v = Gate::new("matrix", matrix()).evaluate(&facts, std::slice::from_ref(&waiver), t(9));
    assert_eq!(v.status, Status::Waived);
    assert_eq!(v.waivers().collect::<Vec<_>>(), [&waiver]);
}

#[test]
fn fact_rule() {
    let rule = || Rule::Fact {
        kind: FactKind::Deployed,
        subject: "dev".into(),
        equals: text("1.2.3"),
    };
    assert_eq!(status(rule(), &[], t(9)), Status::Pending);
    assert_eq!(
        status(
            rule(),
            &[fact(FactKind::Deployed, "dev", text("1.2.3"), t(8))],
            t(9)
        ),
        Status::Passed
    );
    assert_eq!(
        status(
            rule(),
            &[fact(FactKind::Deployed, "dev", text("1.2.2"), t(8))],
            t(9)
        ),
        Status::Failed
    );
}

#[test]
fn all_any_not_use_three_valued_logic() {
    let pass = fact(FactKind::Test, "a", FactValue::Bool(true), t(8));
    let fail = fact(FactKind::Test, "b", FactValue::Bool(false), t(8));
    let facts = [pass, fail];
    let (a, b, c) = (Rule::test("a"), Rule::test("b"), Rule::test("c")); // c is missing
    assert_eq!(status(Rule::All(vec![]), &[], t(9)), Status::Passed);
    assert_eq!(status(Rule::Any(vec![]), &[], t(9)), Status::Failed);
    assert_eq!(
        status(Rule::All(vec![a.clone(), c.clone()]), &facts, t(9)),
        Status::Pending
    );
    assert_eq!(
        status(Rule::All(vec![b.clone(), c.clone()]), &facts, t(9)),
        Status::Failed
    );
    assert_eq!(
        status(Rule::Any(vec![b.clone(), c.clone()]), &facts, t(9)),
        Status::Pending
    );
    assert_eq!(
        status(Rule::Any(vec![b.clone(), a.clone()]), &facts, t(9)),
        Status::Passed
    );
    assert_eq!(status(Rule::not(a.clone()), &facts, t(9)), Status::Failed);
    assert_eq!(status(Rule::not(b.clone()), &facts, t(9)), Status::Passed);
    assert_eq!(status(Rule::not(c.clone()), &facts, t(9)), Status::Pending);
    // De Morgan: not(all(a, b)) = any(not a, not b).
    assert_eq!(
        status(
            Rule::not(Rule::All(vec![a.clone(), b.clone()])),
            &facts,
            t(9)
        ),
        Status::Passed
    );
    let v = Gate::new("g", Rule::not(Rule::All(vec![a, b]))).evaluate(
        &facts.iter().cloned().collect(),
        &[],
        t(9),
    );
    let rules: Vec<(&str, Status)> = v
        .reasons
        .iter()
        .map(|r| (r.rule.as_str(), r.status))
        .collect();
    assert_eq!(
        rules,
        [
            ("not: test \"a\"", Status::Failed),
            ("not: test \"b\"", Status::Passed)
        ]
    );
}

#[test]
fn gate_waiver_shows_in_the_verdict() {
    let gates = [
        Gate::new("e2e", Rule::test("e2e")),
        Gate::new("blockers", Rule::count("open_blockers", 0)),
    ];
    let facts: Facts = [
        fact(FactKind::Test, "e2e", FactValue::Bool(false), t(8)),
        fact(FactKind::Count, "open_blockers", FactValue::Count(0), t(8)),
    ]
    .into_iter()
    .collect();
    assert_eq!(evaluate(&gates, &facts, &[], t(9)).status, Status::Failed);
    let waiver = Waiver::new(
        WaiverTarget::Gate("e2e".into()),
        "erin".parse().unwrap(),
        "known flaky test, ticket #42",
        t(9),
    );
    let v = evaluate(&gates, &facts, &[waiver], t(9));
    assert_eq!(v.status, Status::Waived);
    assert!(v.is_ok());
    insta::assert_snapshot!("waived_verdict", v.to_string());
    insta::assert_snapshot!(
        "waived_verdict_json",
        serde_json::to_string_pretty(&v).unwrap()
    );
}

#[test]
fn verdicts_list_every_reason() {
    let gates = [
        Gate::new("tag", Rule::tag("stack", TagRule::production_grade())),
        Gate::new("pins", Rule::pins(["backend", "frontend"], "production")),
        Gate::new("qa", Rule::approvals("qa", 1)),
        Gate::new(
            "calendar",
            Rule::All(vec![
                Rule::NotHoliday("uk".into()),
                Rule::InWindow("deploy".into()),
            ]),
        ),
        Gate::new("soak", Rule::soak("staging", Span::hours(24))),
    ];
    let facts: Facts = [
        fact(FactKind::Tag, "stack", text("2023.06.2"), t(8)),
        fact(
            FactKind::Pin,
            "backend",
            FactValue::Pinned {
                tag: "2023.05.1".into(),
                branch: Some("production".into()),
            },
            t(8),
        ),
        fact(FactKind::Holiday, "uk", FactValue::Bool(false), t(0)),
        fact(FactKind::Deployed, "staging", text("2023.06.2"), t(1)),
    ]
    .into_iter()
    .collect();
    let v = evaluate(&gates, &facts, &[], t(9));
    assert_eq!(v.status, Status::Pending);
    insta::assert_snapshot!("every_reason", v.to_string());
}

/// When a verdict may change by time alone: not when a part that time
/// cannot change decides it (a failed test under `all`), whatever facts
/// of other parts expire; at the earliest expiry when time may change it.
#[test]
fn next_change_leaves_out_expiries_that_cannot_change_the_outcome() {
    let failed = fact(FactKind::Test, "e2e", FactValue::Bool(false), t(8));
    let passed = fact(FactKind::Test, "e2e", FactValue::Bool(true), t(8));
    let window =
        |open: bool| fact(FactKind::WindowOpen, "w", FactValue::Bool(open), t(8)).expiring(t(12));
    let both = |all: bool| {
        let parts = vec![Rule::test("e2e"), Rule::InWindow("w".into())];
        if all {
            Rule::All(parts)
        } else {
            Rule::Any(parts)
        }
    };
    let verdict = |rule: Rule, facts: Vec<Fact>| {
        Gate::new("g", rule).evaluate(&facts.into_iter().collect(), &[], t(9))
    };
    // all: the failed test holds the failure; the window's expiry is moot.
    let v = verdict(both(true), vec![failed.clone(), window(true)]);
    assert_eq!((v.status, v.next_change), (Status::Failed, None));
    let v = verdict(both(true), vec![failed.clone(), window(false)]);
    assert_eq!((v.status, v.next_change), (Status::Failed, None));
    // all, passed test: the window decides, and it changes at its expiry.
    let v = verdict(both(true), vec![passed.clone(), window(false)]);
    assert_eq!((v.status, v.next_change), (Status::Failed, Some(t(12))));
    // any: a failed test does not hold the failure; the window may open.
    let v = verdict(both(false), vec![failed.clone(), window(false)]);
    assert_eq!((v.status, v.next_change), (Status::Failed, Some(t(12))));
    // any, passed test: the pass holds whatever the window does.
    let v = verdict(both(false), vec![passed, window(true)]);
    assert_eq!((v.status, v.next_change), (Status::Passed, None));
    // not(all) is any of the negations: the failed test, negated, passes.
    let v = verdict(Rule::not(both(true)), vec![failed, window(true)]);
    assert_eq!((v.status, v.next_change), (Status::Passed, None));
    // Two gates: one failing for good holds the verdict.
    let gates = [
        Gate::new("tests", Rule::test("e2e")),
        Gate::new("window", Rule::InWindow("w".into())),
    ];
    let facts: Facts = [
        fact(FactKind::Test, "e2e", FactValue::Bool(false), t(8)),
        window(true),
    ]
    .into_iter()
    .collect();
    let v = evaluate(&gates, &facts, &[], t(9));
    assert_eq!((v.status, v.next_change), (Status::Failed, None));
}
