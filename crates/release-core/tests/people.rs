//! People in a run: one identity format, a requester fixed at the start,
//! approvals only from authored `approved` events, roles, and no way for
//! the requester to approve or waive their own release (HIGH-3), nor for
//! anyone to leave a blank name or reason (MEDIUM-11).

use chrono::{DateTime, TimeZone, Utc};
use release_core::gate::{
    Fact, FactKind, FactValue, Facts, Gate, Role, Rule, SelfApproval, Status,
};
use release_core::identity::Identity;
use release_core::pipeline::{Pipeline, Step, StepKind};
use release_core::run::{Event, EventKind, Run, TaskState, journal};

fn t(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(m)
}

fn id(s: &str) -> Identity {
    s.parse().unwrap()
}

fn ev(m: i64, kind: EventKind) -> Event {
    Event::new(t(m), kind)
}

fn pipeline(roles: &[(&str, Role)]) -> Pipeline {
    let mut b = Pipeline::builder()
        .step(Step::new("build", StepKind::Build))
        .step(
            Step::new("deploy", StepKind::Deploy)
                .needs(["build"])
                .gate(Gate::new("signoff", Rule::approvals("qa", 1))),
        )
        .step(Step::new("sign", StepKind::Approve).needs(["deploy"]));
    for (name, role) in roles {
        b = b.role(*name, role.clone());
    }
    b.build().unwrap()
}

/// A run requested by alice, with build done.
fn run(roles: &[(&str, Role)]) -> Run {
    let mut run = Run::new(pipeline(roles));
    run.apply(ev(0, EventKind::Requested { by: id("alice") }))
        .unwrap();
    run.apply(ev(
        1,
        EventKind::Started {
            task: "build".into(),
            process: None,
        },
    ))
    .unwrap();
    run.apply(ev(
        2,
        EventKind::Succeeded {
            task: "build".into(),
            message: None,
        },
    ))
    .unwrap();
    run
}

fn approve_qa(by: &str) -> EventKind {
    EventKind::Approved {
        task: None,
        by: id(by),
        role: Some("qa".into()),
    }
}

fn deploy_status(run: &Run) -> Status {
    let deploy = run.pipeline().find("deploy").unwrap();
    run.verdict(deploy, t(10)).status
}

#[test]
fn the_requester_may_not_approve_by_any_spelling() {
    for spelling in ["alice", "Alice", "alice ", " ALICE\t"] {
        let mut r = run(&[]);
        let err = r.apply(ev(3, approve_qa(spelling))).unwrap_err();
        assert!(err.is_refused(), "{spelling:?}: {err}");
        assert!(
            err.to_string()
                .contains("alice requested the release, so their approval does not count"),
            "{err}"
        );
        assert_eq!(deploy_status(&r), Status::Pending);
    }
    // A look-alike is not an identity at all.
    assert!("al\u{131}ce".parse::<Identity>().is_err());
}

#[test]
fn the_requester_is_fixed_at_the_start() {
    let mut r = run(&[]);
    let err = r
        .apply(ev(3, EventKind::Requested { by: id("mallory") }))
        .unwrap_err();
    assert!(err.to_string().contains("cannot change"), "{err}");
    // Not after the run started either.
    let mut fresh = Run::new(pipeline(&[]));
    fresh
        .apply(ev(
            0,
            EventKind::Started {
                task: "build".into(),
                process: None,
            },
        ))
        .unwrap();
    let err = fresh
        .apply(ev(1, EventKind::Requested { by: id("alice") }))
        .unwrap_err();
    assert!(
        err.to_string().contains("given when the run starts"),
        "{err}"
    );
    // A requester fact is refused.
    let err = r
        .apply(ev(
            3,
            EventKind::fact(Fact::new(
                FactKind::Requester,
                "",
                FactValue::Text("mallory".into()),
                "",
                t(3),
            )),
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("`requester` fact is refused"),
        "{err}"
    );
    assert_eq!(r.requester(), Some(&id("alice")));
}

#[test]
fn approval_facts_are_refused_in_a_run() {
    let mut r = run(&[]);
    let err = r
        .apply(ev(
            3,
            EventKind::fact(Fact::new(
                FactKind::Approval,
                "qa",
                FactValue::Text("bob".into()),
                "",
                t(3),
            )),
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("`approval` fact is refused"),
        "{err}"
    );
    assert_eq!(deploy_status(&r), Status::Pending);
    // bob's own approval counts.
    r.apply(ev(3, approve_qa("Bob"))).unwrap();
    assert_eq!(deploy_status(&r), Status::Passed);
}

#[test]
fn roles_list_who_may_approve() {
    let roles = [("qa", Role::new([id("bob"), id("carol")]))];
    let mut r = run(&roles);
    let err = r.apply(ev(3, approve_qa("dave"))).unwrap_err();
    assert!(
        err.to_string()
            .contains("dave is not a member of role \"qa\" (members: bob, carol)"),
        "{err}"
    );
    r.apply(ev(3, approve_qa("carol"))).unwrap();
    assert_eq!(deploy_status(&r), Status::Passed);
    // A role not in the table cannot be approved in.
    let err = r
        .apply(ev(
            4,
            EventKind::Approved {
                task: None,
                by: id("carol"),
                role: Some("ops".into()),
            },
        ))
        .unwrap_err();
    assert!(err.to_string().contains("not in [roles]"), "{err}");
    // An approvals gate naming an undeclared role is a definition error.
    let err = Pipeline::builder()
        .role("ops", Role::new([id("bob")]))
        .step(
            Step::new("deploy", StepKind::Deploy)
                .gate(Gate::new("signoff", Rule::approvals("qa", 1))),
        )
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("not in [roles]"), "{err}");
}

#[test]
fn a_team_of_one_says_so_and_every_verdict_records_it() {
    let roles = [(
        "qa",
        Role::new([id("alice")]).self_approval(SelfApproval::Allowed),
    )];
    let mut r = run(&roles);
    r.apply(ev(3, approve_qa("alice"))).unwrap();
    let deploy = r.pipeline().find("deploy").unwrap();
    let verdict = r.verdict(deploy, t(10));
    assert_eq!(verdict.status, Status::Passed);
    assert!(
        verdict.reasons[0]
            .detail
            .contains("allowed by self_approval = \"allowed\" of role \"qa\""),
        "{verdict}"
    );
    // The manual step: with the role, and the note says so.
    r.apply(ev(
        4,
        EventKind::Started {
            task: "deploy".into(),
            process: None,
        },
    ))
    .unwrap();
    r.apply(ev(
        5,
        EventKind::Succeeded {
            task: "deploy".into(),
            message: None,
        },
    ))
    .unwrap();
    let err = r
        .apply(ev(
            6,
            EventKind::Approved {
                task: Some("sign".into()),
                by: id("alice"),
                role: None,
            },
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("may not approve its manual step"),
        "{err}"
    );
    r.apply(ev(
        6,
        EventKind::Approved {
            task: Some("sign".into()),
            by: id("alice"),
            role: Some("qa".into()),
        },
    ))
    .unwrap();
    assert_eq!(r.state_of("sign").unwrap(), TaskState::Succeeded);
    let sign = r.pipeline().find("sign").unwrap();
    assert!(
        r.message(sign).unwrap().contains("self_approval"),
        "{:?}",
        r.message(sign)
    );
}

#[test]
fn the_requester_may_not_waive_their_gate_nor_approve_their_manual_step() {
    let mut r = run(&[]);
    let err = r
        .apply(ev(
            3,
            EventKind::Waived {
                task: Some("deploy".into()),
                gate: Some("signoff".into()),
                by: id("Alice"),
                reason: "in a hurry".into(),
            },
        ))
        .unwrap_err();
    assert!(err.is_refused(), "{err}");
    assert!(
        err.to_string().contains("may not waive gate \"signoff\""),
        "{err}"
    );
    assert_eq!(deploy_status(&r), Status::Pending);
    r.apply(ev(3, approve_qa("bob"))).unwrap();
    r.apply(ev(
        4,
        EventKind::Started {
            task: "deploy".into(),
            process: None,
        },
    ))
    .unwrap();
    r.apply(ev(
        5,
        EventKind::Succeeded {
            task: "deploy".into(),
            message: None,
        },
    ))
    .unwrap();
    let err = r
        .apply(ev(
            6,
            EventKind::Approved {
                task: Some("sign".into()),
                by: id("alice"),
                role: None,
            },
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("alice requested the release"),
        "{err}"
    );
    let err = r
        .apply(ev(
            6,
            EventKind::Waived {
                task: Some("sign".into()),
                gate: None,
                by: id("alice"),
                reason: "done".into(),
            },
        ))
        .unwrap_err();
    assert!(
        err.to_string().contains("may not waive its manual step"),
        "{err}"
    );
    r.apply(ev(
        6,
        EventKind::Approved {
            task: Some("sign".into()),
            by: id("bob"),
            role: None,
        },
    ))
    .unwrap();
}

#[test]
fn a_manual_step_needs_a_known_requester() {
    let mut r = Run::new(
        Pipeline::builder()
            .step(Step::new("sign", StepKind::Approve))
            .build()
            .unwrap(),
    );
    let err = r
        .apply(ev(
            1,
            EventKind::Approved {
                task: Some("sign".into()),
                by: id("bob"),
                role: None,
            },
        ))
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("who requested the release is unknown"),
        "{err}"
    );
}

#[test]
fn blank_reasons_and_names_are_refused() {
    let mut r = run(&[]);
    for reason in ["", "  ", "\u{200b}", " \u{feff}\u{2060} "] {
        let err = r
            .apply(ev(
                3,
                EventKind::Waived {
                    task: Some("deploy".into()),
                    gate: Some("signoff".into()),
                    by: id("bob"),
                    reason: reason.into(),
                },
            ))
            .unwrap_err();
        assert!(
            err.to_string().contains("must not be blank"),
            "{reason:?}: {err}"
        );
        let err = r
            .apply(ev(
                3,
                EventKind::Cancelled {
                    task: None,
                    by: Some(id("bob")),
                    reason: Some(reason.into()),
                },
            ))
            .unwrap_err();
        assert!(
            err.to_string().contains("must not be blank"),
            "{reason:?}: {err}"
        );
    }
    // Hand-edited journal lines with blank names do not decode.
    for line in [
        r#"{"at":"2026-12-03T09:00:00Z","event":"waived","task":"build","by":"","reason":"x"}"#,
        r#"{"at":"2026-12-03T09:00:00Z","event":"approved","by":"","role":"qa"}"#,
        r#"{"at":"2026-12-03T09:00:00Z","event":"approved","by":"\u200b","role":"qa"}"#,
    ] {
        let err = journal::decode(&format!("{line}\n")).unwrap_err();
        assert!(err.to_string().contains("blank"), "{line}: {err}");
    }
    // A blank reason in a hand-edited journal is refused when it is read,
    // naming the line.
    let text = concat!(
        r#"{"at":"2026-12-03T09:00:00Z","event":"waived","task":"build","by":"bob","reason":"\u200b"}"#,
        "\n"
    );
    let err = journal::decode(text).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("journal line 1: waived event: \"reason\" must not be blank"),
        "{err}"
    );
}

#[test]
fn plan_facts_need_an_author_and_one_requester() {
    use release_core::process::Process;
    let p = Process::from_toml(
        "gates.toml",
        r#"
name = "gates"
[roles.qa]
members = ["bob", "carol"]
[[steps]]
id = "deploy"
kind = "deploy"
gates = [{ name = "signoff", rule = { approvals = { role = "qa", at_least = 1 } } }]
"#,
    )
    .unwrap();
    let fact = |kind, value: &str, source: &str| {
        Fact::new(
            kind,
            if kind == FactKind::Approval { "qa" } else { "" },
            FactValue::Text(value.into()),
            source,
            t(0),
        )
    };
    let facts = |list: Vec<Fact>| list.into_iter().collect::<Facts>();
    // Without an author, an approval fact is refused.
    let err = p
        .explain(
            "deploy",
            t(5),
            &facts(vec![
                fact(FactKind::Requester, "alice", ""),
                fact(FactKind::Approval, "bob", ""),
            ]),
            &[],
        )
        .unwrap_err();
    assert!(err.to_string().contains("needs its author"), "{err}");
    // With one, it counts; the requester's own does not.
    let e = p
        .explain(
            "deploy",
            t(5),
            &facts(vec![
                fact(FactKind::Requester, "alice", ""),
                fact(FactKind::Approval, "bob", "bob"),
            ]),
            &[],
        )
        .unwrap();
    assert_eq!(e.verdict.status, Status::Passed, "{}", e.verdict);
    let e = p
        .explain(
            "deploy",
            t(5),
            &facts(vec![
                fact(FactKind::Requester, "alice", ""),
                fact(FactKind::Approval, "Alice", "alice"),
            ]),
            &[],
        )
        .unwrap();
    assert_eq!(e.verdict.status, Status::Pending, "{}", e.verdict);
    // Two requesters are a contradiction.
    let err = p
        .explain(
            "deploy",
            t(5),
            &facts(vec![
                fact(FactKind::Requester, "alice", ""),
                fact(FactKind::Requester, "mallory", ""),
            ]),
            &[],
        )
        .unwrap_err();
    assert!(err.to_string().contains("more than one requester"), "{err}");
}
