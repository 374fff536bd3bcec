//! The five seed processes, each as its `examples/<name>/release.toml`,
//! checked against what its document states.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use release_core::gate::{Fact, FactKind, FactValue, Facts, Status};
use release_core::notes::{Ticket, parse_ticket_pins};
use release_core::process::{Process, Target};
use release_core::run::{Event, EventKind, TaskState};
use release_core::version::Change;

/// The example files, compiled in (the crate does no I/O, its tests
/// neither).
fn load(name: &str) -> Process {
    let text = match name {
        "fragalysis" => include_str!("../../../examples/fragalysis/release.toml"),
        "mozilla-sync" => include_str!("../../../examples/mozilla-sync/release.toml"),
        "eat-slots" => include_str!("../../../examples/eat-slots/release.toml"),
        "release-guide" => include_str!("../../../examples/release-guide/release.toml"),
        "ecr-viewer" => include_str!("../../../examples/ecr-viewer/release.toml"),
        _ => unreachable!("no example {name}"),
    };
    Process::from_toml(&format!("examples/{name}/release.toml"), text).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn fact(kind: FactKind, subject: &str, value: FactValue, at: &str) -> Fact {
    Fact::new(kind, subject, value, "test", t(at))
}

fn facts(list: Vec<Fact>) -> Facts {
    let mut facts = Facts::new();
    for f in list {
        facts.record(f);
    }
    facts
}

fn ev(at: &str, kind: EventKind) -> Event {
    Event::new(t(at), kind)
}

fn succeeded(at: &str, task: &str) -> Vec<Event> {
    vec![
        ev(at, EventKind::started(task)),
        ev(
            at,
            EventKind::Succeeded {
                task: task.into(),
                message: None,
            },
        ),
    ]
}

/// The first event of a run that has manual steps: who requested it.
fn requested(at: &str, by: &str) -> Event {
    ev(
        at,
        EventKind::Requested {
            by: by.parse().unwrap(),
        },
    )
}

fn approved(at: &str, task: &str, by: &str) -> Event {
    ev(
        at,
        EventKind::Approved {
            task: Some(task.into()),
            by: by.parse().unwrap(),
            role: None,
        },
    )
}

fn ids(process: &Process) -> Vec<String> {
    let p = process.pipeline();
    p.order()
        .iter()
        .map(|&id| p.node(id).id().to_owned())
        .collect()
}

// ---------------------------------------------------------------- Fragalysis

fn fragalysis_tags() -> BTreeMap<String, Vec<String>> {
    let mut tags = BTreeMap::new();
    tags.insert("backend".to_owned(), vec!["2023.05.1".to_owned()]);
    tags.insert(
        "frontend".to_owned(),
        vec!["2023.05.3".to_owned(), "2023.05.4".to_owned()],
    );
    tags.insert(
        "stack".to_owned(),
        vec!["2023.06.1".to_owned(), "latest".to_owned()],
    );
    tags
}

#[test]
fn fragalysis_next_stack_tag_is_year_month_iteration() {
    let p = load("fragalysis");
    let next = p
        .next_versions(&fragalysis_tags(), &BTreeMap::new(), d("2023-06-20"))
        .unwrap();
    let stack = next.iter().find(|v| v.component == "stack").unwrap();
    // "to deploy a new production stack version 2023.06.2"
    assert_eq!(stack.current.as_deref(), Some("2023.06.1"));
    assert_eq!(stack.next.as_deref(), Some("2023.06.2"));
    let backend = next.iter().find(|v| v.component == "backend").unwrap();
    assert_eq!(backend.next.as_deref(), Some("2023.06.1"));
}

#[test]
fn fragalysis_sets_aside_at_least_45_minutes() {
    let p = load("fragalysis");
    let plan = p
        .plan(t("2023-06-20T09:00:00Z"), &Facts::new(), &[])
        .unwrap();
    // 3-4 (backend) + 5-6 (frontend) + 10-15 (stack) + 15-20 (verify).
    assert_eq!(plan.estimate.to_string(), "33m..45m");
    assert_eq!(plan.finish, t("2023-06-20T09:45:00Z"));
    assert_eq!(
        ids(&p),
        [
            "choose-versions",
            "tag-backend",
            "tag-frontend",
            "pin-stack",
            "tag-stack",
            "deploy-production",
            "verify",
            "ticket"
        ]
    );
}

#[test]
fn fragalysis_upstream_ci_must_be_green_before_the_next_step() {
    let p = load("fragalysis");
    let mut journal = vec![
        requested("2023-06-20T08:00:00Z", "frank"),
        approved("2023-06-20T09:00:00Z", "choose-versions", "alan"),
    ];
    journal.extend(succeeded("2023-06-20T09:01:00Z", "tag-backend"));
    let now = t("2023-06-20T09:05:00Z");
    let e = p
        .explain("tag-frontend", now, &Facts::new(), &journal)
        .unwrap();
    assert!(!e.ready);
    assert_eq!(e.verdict.status, Status::Pending);
    let green = facts(vec![fact(
        FactKind::Test,
        "backend-ci",
        FactValue::Bool(true),
        "2023-06-20T09:04:00Z",
    )]);
    let e = p.explain("tag-frontend", now, &green, &journal).unwrap();
    assert!(e.ready, "{e:?}");
    let red = facts(vec![fact(
        FactKind::Test,
        "backend-ci",
        FactValue::Bool(false),
        "2023-06-20T09:04:00Z",
    )]);
    let e = p.explain("tag-frontend", now, &red, &journal).unwrap();
    assert_eq!(e.verdict.status, Status::Failed);
}

#[test]
fn fragalysis_only_production_grade_tags_deploy_to_production() {
    let p = load("fragalysis");
    let now = t("2023-06-20T10:00:00Z");
    let pins = |backend_branch: &str| {
        vec![
            fact(
                FactKind::Pin,
                "backend",
                FactValue::Pinned {
                    tag: "2023.05.1".into(),
                    branch: Some(backend_branch.into()),
                },
                "2023-06-20T09:00:00Z",
            ),
            fact(
                FactKind::Pin,
                "frontend",
                FactValue::Pinned {
                    tag: "2023.05.4".into(),
                    branch: Some("production".into()),
                },
                "2023-06-20T09:00:00Z",
            ),
        ]
    };
    let with_tag = |tag: &str, branch: &str| {
        let mut list = pins(branch);
        list.push(fact(
            FactKind::Tag,
            "stack",
            FactValue::Text(tag.into()),
            "2023-06-20T09:30:00Z",
        ));
        facts(list)
    };
    let ok = p
        .explain("production", now, &with_tag("2023.06.2", "production"), &[])
        .unwrap();
    assert_eq!(ok.verdict.status, Status::Passed, "{:?}", ok.verdict);
    // "If it is not [a 3-digit value] the stack will be built but it will
    // not be deployed."
    let rc = p
        .explain(
            "production",
            now,
            &with_tag("2023.06.2-rc1", "production"),
            &[],
        )
        .unwrap();
    assert_eq!(rc.verdict.status, Status::Failed);
    assert!(!rc.ready);
    // "you MUST NOT use tags that are not on production branches"
    let staging = p
        .explain("production", now, &with_tag("2023.06.2", "staging"), &[])
        .unwrap();
    assert_eq!(staging.verdict.status, Status::Failed);
    let detail: Vec<&str> = staging
        .verdict
        .failures()
        .map(|r| r.detail.as_str())
        .collect();
    assert!(
        detail.iter().any(|d| d.contains("from branch \"staging\"")),
        "{detail:?}"
    );
    // Staging has no such gate: other tags reach staging.
    assert!(
        p.pipeline()
            .environment("staging")
            .unwrap()
            .gates
            .is_empty()
    );
}

#[test]
fn fragalysis_release_ticket_round_trips_its_pins() {
    let p = load("fragalysis");
    let changes = vec![
        Change::parse("fix: target list paging (#1201)"),
        Change::parse("feat: RHS download (#1188)"),
    ];
    let ticket = Ticket::new(
        &p.def().notes,
        "2023.06.2",
        &changes,
        &[("backend", "2023.05.1"), ("frontend", "2023.05.4")],
    );
    assert_eq!(ticket.title(), "Release 2023.06.2");
    assert!(ticket.body().contains("#1201"));
    let pins = parse_ticket_pins(ticket.body(), &p.def().components[..2]).unwrap();
    let read: Vec<(&str, &str)> = pins
        .iter()
        .map(|p| (p.component.as_str(), p.tag.as_str()))
        .collect();
    assert_eq!(read, [("backend", "2023.05.1"), ("frontend", "2023.05.4")]);
    let err = parse_ticket_pins(
        "- backend 2023.05.1\n- #1201 paging",
        &p.def().components[..2],
    )
    .unwrap_err();
    assert!(err.to_string().contains("frontend"), "{err}");
}

// ------------------------------------------------------------- Mozilla Sync

#[test]
fn mozilla_cycle_table_comes_out_of_the_example() {
    let p = load("mozilla-sync");
    let sim = p.simulate(None, None).unwrap();
    assert_eq!(
        sim.to_table(),
        "week  staging  production\n1     v0.0.4   v0.0.3\n2     v0.0.4   v0.0.3\n3     v0.0.5   v0.0.4\n"
    );
}

#[test]
fn mozilla_releases_every_other_tuesday_with_a_monthly_release_manager() {
    let p = load("mozilla-sync");
    let plan = p
        .plan(t("2020-12-02T12:00:00Z"), &Facts::new(), &[])
        .unwrap();
    let release = plan.release.unwrap();
    assert_eq!(release.occurrence.date, d("2020-12-15"));
    assert_eq!(release.on_duty.len(), 1);
    assert_eq!(release.on_duty[0].person, "bob");
    // Nothing starts before release day.
    assert!(plan.steps.iter().all(|s| s.start >= release.occurrence.at));
    // January's release manager differs from December's.
    let jan = p
        .plan(t("2021-01-06T12:00:00Z"), &Facts::new(), &[])
        .unwrap()
        .release
        .unwrap();
    assert_eq!(jan.occurrence.date, d("2021-01-12"));
    assert_ne!(jan.on_duty[0].person, "bob");
}

#[test]
fn mozilla_holiday_moves_the_release_day() {
    let p = load("mozilla-sync");
    let schedule = p.schedule("release").unwrap();
    // Every other Tuesday from 2020-11-17 reaches 2021-05-25, then
    // 2021-06-08 ...; Christmas 2024 falls on Wednesday, but 2029-12-25 is
    // a Tuesday of the series? Find any occurrence moved by a holiday.
    let moved = schedule
        .between(t("2020-11-01T00:00:00Z"), t("2030-12-31T00:00:00Z"))
        .into_iter()
        .find(|o| o.date != o.scheduled)
        .expect("a release day on a US holiday within ten years");
    assert_eq!(moved.date, moved.scheduled.succ_opt().unwrap());
    assert!(!moved.notes.is_empty());
    // The gate "not a holiday" fails on the holiday itself.
    let at = p
        .schedule("release")
        .unwrap()
        .zone()
        .resolve(moved.scheduled.and_hms_opt(12, 0, 0).unwrap())
        .0;
    let e = p.explain("production", at, &Facts::new(), &[]).unwrap();
    let holiday = e
        .verdict
        .reasons
        .iter()
        .find(|r| r.gate == "not a holiday")
        .unwrap();
    assert_eq!(holiday.status, Status::Failed);
}

#[test]
fn mozilla_qa_blocks_production_only() {
    let p = load("mozilla-sync");
    let gates = |env: &str| -> Vec<String> {
        p.pipeline()
            .environment(env)
            .unwrap()
            .gates
            .iter()
            .map(|g| g.name.clone())
            .collect()
    };
    assert_eq!(
        gates("staging"),
        ["automated tests", "release manager", "not a holiday"]
    );
    assert_eq!(
        gates("production"),
        [
            "automated tests",
            "qa blockers",
            "was in staging",
            "release manager",
            "not a holiday"
        ]
    );
    let now = t("2020-12-15T19:00:00Z");
    let known = facts(vec![
        fact(
            FactKind::Test,
            "unit-and-integration",
            FactValue::Bool(true),
            "2020-12-15T18:00:00Z",
        ),
        fact(
            FactKind::Count,
            "qa-blockers",
            FactValue::Count(1),
            "2020-12-15T18:00:00Z",
        ),
        fact(
            FactKind::Approval,
            "release-manager",
            FactValue::Text("bob".into()),
            "2020-12-15T18:00:00Z",
        ),
        fact(
            FactKind::Requester,
            "",
            FactValue::Text("alice".into()),
            "2020-12-15T18:00:00Z",
        ),
    ]);
    let staging = p.explain("staging", now, &known, &[]).unwrap();
    assert_eq!(
        staging.verdict.status,
        Status::Passed,
        "{:?}",
        staging.verdict
    );
    let production = p.explain("production", now, &known, &[]).unwrap();
    assert_eq!(production.verdict.status, Status::Failed);
    assert_eq!(production.target, Target::Environment);
}

#[test]
fn mozilla_production_takes_what_staging_held_before() {
    let p = load("mozilla-sync");
    let now = t("2020-12-15T19:00:00Z");
    let known = |tag: &str| {
        facts(vec![
            fact(
                FactKind::Deployed,
                "staging",
                FactValue::Text("v0.0.4".into()),
                "2020-12-01T19:00:00Z",
            ),
            fact(
                FactKind::Deployed,
                "staging",
                FactValue::Text("v0.0.5".into()),
                "2020-12-15T18:30:00Z",
            ),
            fact(
                FactKind::Tag,
                "syncstorage",
                FactValue::Text(tag.into()),
                "2020-12-15T18:40:00Z",
            ),
        ])
    };
    let gate = |tag: &str| {
        let e = p.explain("production", now, &known(tag), &[]).unwrap();
        e.verdict
            .reasons
            .iter()
            .find(|r| r.gate == "was in staging")
            .unwrap()
            .status
    };
    assert_eq!(gate("v0.0.4"), Status::Passed);
    assert_eq!(gate("v0.0.6"), Status::Pending);
}

// --------------------------------------------------------------- EAT slots

#[test]
fn eat_slots_are_in_nairobi_time() {
    let p = load("eat-slots");
    // Saturday 2020-07-04 12:00 EAT.
    let plan = p
        .plan(t("2020-07-04T09:00:00Z"), &Facts::new(), &[])
        .unwrap();
    let start = |id: &str| plan.steps.iter().find(|s| s.id == id).unwrap().start;
    assert_eq!(start("deploy-dev"), t("2020-07-05T17:00:00Z")); // Sun 20:00 EAT
    assert_eq!(start("deploy-staging"), t("2020-07-06T05:30:00Z")); // Mon 08:30 EAT
    // Production every second Wednesday 07:30 EAT: 2020-07-08 is too early
    // for this week's tickets (staging tests take 3-5 days), so 07-22.
    assert_eq!(start("deploy-production"), t("2020-07-22T04:30:00Z"));
}

#[test]
fn eat_tickets_move_to_staging_only_from_sunday_2000_to_monday_0830() {
    let p = load("eat-slots");
    let mut journal = vec![requested("2020-07-05T17:00:00Z", "otieno")];
    journal.extend(succeeded("2020-07-05T17:05:00Z", "deploy-dev"));
    journal.push(approved("2020-07-05T17:30:00Z", "dev-testing", "wanjiru"));
    // Sunday 21:00 EAT: inside the window, the ticket may move.
    let e = p
        .explain(
            "move-to-staging",
            t("2020-07-05T18:00:00Z"),
            &Facts::new(),
            &journal,
        )
        .unwrap();
    assert!(e.ready, "{e:?}");
    assert_eq!(e.state, Some(TaskState::Ready));
    // Monday 09:00 EAT: closed until next Sunday 20:00 EAT.
    let e = p
        .explain(
            "move-to-staging",
            t("2020-07-06T06:00:00Z"),
            &Facts::new(),
            &journal,
        )
        .unwrap();
    assert!(!e.ready);
    assert_eq!(e.until, Some(t("2020-07-12T17:00:00Z")));
    let window = e
        .verdict
        .reasons
        .iter()
        .find(|r| r.gate == "staging promotion window")
        .unwrap();
    assert_eq!(window.status, Status::Failed);
    // Dragging the ticket then is refused, as the journal would record it.
    let mut late = journal.clone();
    late.push(approved(
        "2020-07-06T06:00:00Z",
        "move-to-staging",
        "wanjiru",
    ));
    let err = p
        .explain(
            "move-to-staging",
            t("2020-07-06T06:05:00Z"),
            &Facts::new(),
            &late,
        )
        .unwrap_err();
    // A journal the run refuses is bad input (exit 2 in the CLI).
    assert!(err.is_invalid(), "{err}");
    assert!(err.to_string().starts_with("journal event 5: "), "{err}");
    // Inside the window it is accepted and the step is done.
    let mut on_time = journal.clone();
    on_time.push(approved(
        "2020-07-05T18:00:00Z",
        "move-to-staging",
        "wanjiru",
    ));
    let e = p
        .explain(
            "move-to-staging",
            t("2020-07-05T18:05:00Z"),
            &Facts::new(),
            &on_time,
        )
        .unwrap();
    assert_eq!(e.state, Some(TaskState::Succeeded));
}

// ----------------------------------------------------------- Release guide

#[test]
fn release_guide_seven_steps_in_order_with_snapshot_before_production() {
    let p = load("release-guide");
    let order = ids(&p);
    assert_eq!(
        order,
        [
            "close-prs-and-tickets",
            "tag-applications",
            "snapshot-database",
            "deploy-development",
            "test-development",
            "deploy-production",
            "verify-production",
            "monitor"
        ]
    );
    let pos = |id: &str| order.iter().position(|s| s == id).unwrap();
    assert!(pos("snapshot-database") < pos("deploy-production"));
    // Post-release monitoring: 24 to 48 hours.
    let plan = p
        .plan(t("2024-03-01T09:00:00Z"), &Facts::new(), &[])
        .unwrap();
    let monitor = plan.steps.iter().find(|s| s.id == "monitor").unwrap();
    assert_eq!(monitor.estimate.unwrap().to_string(), "1d..2d");
    let verify = plan
        .steps
        .iter()
        .find(|s| s.id == "verify-production")
        .unwrap();
    assert_eq!(monitor.finish - verify.finish, chrono::Duration::hours(48));
}

// -------------------------------------------------------------- eCR Viewer

fn ecr_journal_until_tested() -> Vec<Event> {
    let mut j = vec![requested("2024-05-01T08:00:00Z", "maintainer-2")];
    j.extend(succeeded("2024-05-01T09:00:00Z", "beta"));
    for cell in ["aws-terraform", "azure-terraform", "vm"] {
        j.extend(succeeded(
            "2024-05-01T10:00:00Z",
            &format!("deployment-options[{cell}]"),
        ));
    }
    j.extend(succeeded("2024-05-01T11:00:00Z", "deploy"));
    j
}

const ECR_CELLS: [&str; 5] = [
    "aws-integrated",
    "azure-integrated",
    "aws-non-integrated-extended-sqlserver",
    "azure-non-integrated-extended-sqlserver",
    "gcp-non-integrated-core-sqlserver-vm",
];

#[test]
fn ecr_final_needs_all_five_configurations_or_a_waiver() {
    let p = load("ecr-viewer");
    let now = t("2024-05-02T12:00:00Z");
    let mut journal = ecr_journal_until_tested();
    journal.push(approved(
        "2024-05-01T09:30:00Z",
        "release-notes",
        "maintainer-1",
    ));
    let passed = |cells: &[&str]| {
        facts(
            cells
                .iter()
                .map(|c| {
                    fact(
                        FactKind::Test,
                        &format!("test[{c}]"),
                        FactValue::Bool(true),
                        "2024-05-02T10:00:00Z",
                    )
                })
                .collect(),
        )
    };
    // Four of five: the final is blocked, naming the missing configuration.
    let e = p
        .explain("final", now, &passed(&ECR_CELLS[..4]), &journal)
        .unwrap();
    assert_ne!(e.verdict.status, Status::Passed);
    assert!(
        e.verdict
            .reasons
            .iter()
            .any(|r| r.rule.contains("gcp-non-integrated-core-sqlserver-vm") && !r.status.is_ok())
    );
    // Waiving the fifth with a reason lets it through, and says so.
    let mut waived = journal.clone();
    waived.push(ev(
        "2024-05-02T11:00:00Z",
        EventKind::Waived {
            task: Some("test[gcp-non-integrated-core-sqlserver-vm]".into()),
            gate: None,
            by: "lead".parse().unwrap(),
            reason: "no GCP customer this release".into(),
        },
    ));
    let e = p
        .explain("final", now, &passed(&ECR_CELLS[..4]), &waived)
        .unwrap();
    assert_eq!(e.verdict.status, Status::Waived, "{:?}", e.verdict);
    let w = e.verdict.waivers().next().unwrap();
    assert_eq!(w.by, "lead");
    assert_eq!(w.reason, "no GCP customer this release");
}

#[test]
fn ecr_notes_approved_before_final_and_options_before_deploy() {
    let p = load("ecr-viewer");
    let order = ids(&p);
    let pos = |id: &str| order.iter().position(|s| s == id).unwrap();
    assert!(pos("release-notes") < pos("final"));
    assert!(pos("deployment-options[vm]") < pos("deploy"));
    // Without the notes approved the final waits, even with every test green.
    let journal = ecr_journal_until_tested();
    let e = p
        .explain("final", t("2024-05-02T12:00:00Z"), &Facts::new(), &journal)
        .unwrap();
    assert!(
        e.reasons.iter().any(|r| r.contains("release-notes")),
        "{:?}",
        e.reasons
    );
    assert_eq!(e.state, Some(TaskState::Pending));
}

#[test]
fn ecr_final_is_the_beta_without_its_suffix_with_floating_tags() {
    let p = load("ecr-viewer");
    let scheme = p.def().components[0].tags.clone().unwrap();
    let beta = scheme.parse("v1.4.0-beta.1").unwrap();
    let existing = scheme.parse_all(["v1.3.2", "v1.4.0-beta.1"]).versions();
    let promotion = scheme.scheme().promote(beta.version(), &existing).unwrap();
    assert_eq!(scheme.tag(&promotion.to).unwrap(), "v1.4.0");
    let floating = scheme.floating_tags(&promotion.to, &existing, &[]).unwrap();
    assert!(!floating.is_empty());
    // Candidates are required: a final without a beta is refused.
    let v150 = scheme.parse("v1.5.0").unwrap();
    let err = scheme
        .scheme()
        .promote(v150.version(), &existing)
        .unwrap_err();
    assert!(err.is_refused());
    assert!(
        err.to_string().contains("no release candidate of v1.5.0"),
        "{err}"
    );
}

#[test]
fn ecr_next_is_a_beta_then_its_final() {
    let p = load("ecr-viewer");
    let date = d("2024-05-01");
    let mut tags = BTreeMap::new();
    tags.insert("ecr-viewer".to_owned(), vec!["v1.3.2".to_owned()]);
    let mut changes = BTreeMap::new();
    changes.insert(
        "ecr-viewer".to_owned(),
        vec![Change::parse("feat: eICR summary panel (#512)")],
    );
    let next = p.next_versions(&tags, &changes, date).unwrap();
    assert_eq!(next[0].next.as_deref(), Some("v1.4.0-beta.1"));
    tags.get_mut("ecr-viewer")
        .unwrap()
        .push("v1.4.0-beta.1".to_owned());
    let next = p.next_versions(&tags, &changes, date).unwrap();
    assert_eq!(next[0].next.as_deref(), Some("v1.4.0"));
    assert_eq!(
        next[0].reason,
        "1 change(s) call for a minor release; promote the candidate v1.4.0-beta.1 to its final"
    );
}
