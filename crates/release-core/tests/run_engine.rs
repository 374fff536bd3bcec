//! Every engine transition, the journal, resume, executors and drivers.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, TimeZone, Utc};
use release_core::duration::Span;
use release_core::gate::Requirement;
use release_core::gate::{Fact, FactKind, FactValue, Gate, Rule};
use release_core::pipeline::{Cell, Environment, Matrix, Pipeline, Step, StepKind, Wait};
use release_core::run::{
    BlockReason, Clock, Driver, DryRunExecutor, Event, EventKind, FixedClock, Observer, Outcome,
    Run, RunStatus, ScriptedExecutor, TaskState, VirtualClock, journal,
};

fn t(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(m)
}

fn ev(m: i64, kind: EventKind) -> Event {
    Event::new(t(m), kind)
}

fn started(task: &str) -> EventKind {
    EventKind::started(task)
}

fn succeeded(task: &str) -> EventKind {
    EventKind::Succeeded {
        task: task.into(),
        message: None,
    }
}

fn failed(task: &str, message: &str) -> EventKind {
    EventKind::Failed {
        task: task.into(),
        message: message.into(),
    }
}

fn ids(run: &Run, list: impl Iterator<Item = release_core::pipeline::StepId>) -> Vec<String> {
    list.map(|id| run.pipeline().node(id).id().to_owned())
        .collect()
}

fn diamond() -> Pipeline {
    Pipeline::builder()
        .step(Step::new("a", StepKind::Build))
        .step(Step::new("b", StepKind::Build).needs(["a"]))
        .step(Step::new("c", StepKind::Build).needs(["a"]))
        .step(Step::new("d", StepKind::Deploy).needs(["b", "c"]))
        .step(Step::new("other", StepKind::Notify))
        .build()
        .unwrap()
}

#[test]
fn pending_ready_running_succeeded() {
    let mut run = Run::new(diamond());
    assert_eq!(ids(&run, run.ready()), ["a", "other"]);
    assert_eq!(run.state_of("b").unwrap(), TaskState::Pending);
    run.apply(ev(0, started("a"))).unwrap();
    assert_eq!(run.state_of("a").unwrap(), TaskState::Running);
    assert_eq!(ids(&run, run.ready()), ["other"]);
    run.apply(ev(1, succeeded("a"))).unwrap();
    assert_eq!(ids(&run, run.ready()), ["b", "c", "other"]);
    for task in ["b", "c"] {
        run.apply(ev(2, started(task))).unwrap();
        run.apply(ev(3, succeeded(task))).unwrap();
    }
    assert_eq!(ids(&run, run.ready()), ["d", "other"]);
    assert_eq!(run.status(), RunStatus::InProgress);
}

#[test]
fn failure_blocks_only_downstream() {
    let mut run = Run::new(diamond());
    run.apply(ev(0, started("a"))).unwrap();
    run.apply(ev(1, succeeded("a"))).unwrap();
    run.apply(ev(1, started("b"))).unwrap();
    run.apply(ev(2, failed("b", "exit status 1"))).unwrap();
    assert_eq!(run.state_of("b").unwrap(), TaskState::Failed);
    // c and the unrelated task still go ahead; d is blocked.
    assert_eq!(ids(&run, run.ready()), ["c", "other"]);
    let blocked = run.blocked();
    assert_eq!(blocked.len(), 1);
    assert_eq!(
        blocked[0].to_string(),
        "d: needs \"b\", which failed; needs \"c\" (ready)"
    );
    assert_eq!(
        run.message(run.pipeline().lookup("b").unwrap()),
        Some("exit status 1")
    );
    for task in ["c", "other"] {
        run.apply(ev(3, started(task))).unwrap();
        run.apply(ev(4, succeeded(task))).unwrap();
    }
    assert_eq!(run.status(), RunStatus::Failed);
}

#[test]
fn a_failed_task_can_be_retried_and_unblocks_its_dependents() {
    let mut run = Run::new(diamond());
    run.apply(ev(0, started("a"))).unwrap();
    run.apply(ev(1, succeeded("a"))).unwrap();
    run.apply(ev(1, started("b"))).unwrap();
    run.apply(ev(2, failed("b", "exit status 1"))).unwrap();
    // In order: the journal below is decoded, and its times never go back.
    for task in ["c", "other"] {
        run.apply(ev(4, started(task))).unwrap();
        run.apply(ev(4, succeeded(task))).unwrap();
    }
    assert_eq!(run.status(), RunStatus::Failed);
    // Only a failed task is retried.
    let not_failed = run.apply(ev(5, EventKind::Retried { task: "c".into() }));
    assert!(not_failed.unwrap_err().is_refused());
    run.apply(ev(5, EventKind::Retried { task: "b".into() }))
        .unwrap();
    let b = run.pipeline().lookup("b").unwrap();
    assert_eq!(run.state(b), TaskState::Ready);
    assert_eq!(run.attempts(b), 0);
    run.apply(ev(6, started("b"))).unwrap();
    run.apply(ev(7, succeeded("b"))).unwrap();
    assert_eq!(ids(&run, run.ready()), ["d"]);
    run.apply(ev(8, started("d"))).unwrap();
    run.apply(ev(9, succeeded("d"))).unwrap();
    assert_eq!(run.status(), RunStatus::Succeeded);
    // The retry is in the journal, and replaying it gives the same run.
    let text = journal::encode_all(run.journal()).unwrap();
    assert!(text.contains("\"retried\""), "{text}");
    let replayed = Run::replay(
        run.pipeline().clone(),
        journal::decode(&text).unwrap().events,
    )
    .unwrap();
    assert_eq!(replayed.snapshot(), run.snapshot());
}

#[test]
fn advisory_failures_are_not_retried() {
    let p = Pipeline::builder()
        .step(Step::new("lint", StepKind::Test).requirement(Requirement::Advisory))
        .step(Step::new("ship", StepKind::Deploy).needs(["lint"]))
        .build()
        .unwrap();
    let mut run = Run::new(p);
    run.apply(ev(0, started("lint"))).unwrap();
    run.apply(ev(1, failed("lint", "style"))).unwrap();
    let err = run
        .apply(ev(
            2,
            EventKind::Retried {
                task: "lint".into(),
            },
        ))
        .unwrap_err();
    assert!(err.to_string().contains("nothing to retry"), "{err}");
}

#[test]
fn retries_up_to_max_attempts() {
    let p = Pipeline::builder()
        .step(Step::new("flaky", StepKind::Test).max_attempts(3))
        .build()
        .unwrap();
    let mut run = Run::new(p);
    let id = run.pipeline().lookup("flaky").unwrap();
    for attempt in 1..=3 {
        assert_eq!(run.state(id), TaskState::Ready);
        run.apply(ev(attempt, started("flaky"))).unwrap();
        assert_eq!(run.attempts(id), attempt as u32);
        assert_eq!(run.task(id).attempt, attempt as u32);
        run.apply(ev(attempt, failed("flaky", "timeout"))).unwrap();
    }
    assert_eq!(run.state(id), TaskState::Failed);
    // The test result is a fact.
    let fact = run.facts().latest(FactKind::Test, "flaky", t(9)).unwrap();
    assert_eq!(fact.value, FactValue::Bool(false));
}

#[test]
fn refused_events_change_nothing() {
    let mut run = Run::new(diamond());
    let before = run.clone();
    let cases = [
        (
            ev(0, started("b")),
            "task \"b\" is pending; only a ready task can start",
        ),
        (
            ev(0, succeeded("a")),
            "task \"a\" is ready; only a running task can succeed",
        ),
        (ev(0, started("zz")), "unknown task \"zz\""),
        (
            ev(
                0,
                EventKind::Approved {
                    task: Some("a".into()),
                    by: "x".parse().unwrap(),
                    role: None,
                },
            ),
            "task \"a\" is automatic; only manual tasks are approved",
        ),
        (
            ev(
                0,
                EventKind::Skipped {
                    task: "a".into(),
                    by: "x".parse().unwrap(),
                    reason: "r".into(),
                },
            ),
            "task \"a\" is required; only skippable or advisory tasks can be skipped (waive it instead)",
        ),
        (
            ev(
                0,
                EventKind::Waived {
                    task: Some("a".into()),
                    gate: Some("qa".into()),
                    by: "x".parse().unwrap(),
                    reason: "r".into(),
                },
            ),
            "task \"a\" has no gate named \"qa\"",
        ),
        (
            ev(0, EventKind::Interrupted { task: "a".into() }),
            "task \"a\" is ready; only a running task can be interrupted",
        ),
    ];
    for (event, message) in cases {
        let err = run.apply(event).unwrap_err();
        assert_eq!(err.to_string(), message);
        assert_eq!(run, before);
    }
}

#[test]
fn manual_steps_wait_for_approval() {
    let p = Pipeline::builder()
        .step(Step::new("build", StepKind::Build))
        .step(Step::new("sign-off", StepKind::Approve).needs(["build"]))
        .step(Step::new("deploy", StepKind::Deploy).needs(["sign-off"]))
        .build()
        .unwrap();
    let mut run = Run::new(p);
    run.apply(ev(
        0,
        EventKind::Requested {
            by: "lee".parse().unwrap(),
        },
    ))
    .unwrap();
    let mut clock = FixedClock::new(t(0));
    let report = Driver::sequential()
        .drive(&mut run, &mut ScriptedExecutor::new(), &mut clock)
        .unwrap();
    assert_eq!(report.status, RunStatus::NeedsInput);
    assert_eq!(ids(&run, run.awaiting_approval()), ["sign-off"]);
    assert_eq!(run.blocked()[0].reasons, [BlockReason::AwaitingApproval]);
    assert!(run.apply(ev(1, started("sign-off"))).is_err());
    run.apply(ev(
        1,
        EventKind::Approved {
            task: Some("sign-off".into()),
            by: "maria".parse().unwrap(),
            role: Some("release-manager".into()),
        },
    ))
    .unwrap();
    assert_eq!(run.state_of("sign-off").unwrap(), TaskState::Succeeded);
    let fact = run
        .facts()
        .latest(FactKind::Approval, "release-manager", t(2))
        .unwrap();
    assert_eq!(fact.value, FactValue::Text("maria".into()));
    let report = Driver::sequential()
        .drive(&mut run, &mut ScriptedExecutor::new(), &mut clock)
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
}

#[test]
fn gates_hold_tasks_until_facts_arrive_and_can_be_waived() {
    let p = Pipeline::builder()
        .environment(
            Environment::new("production")
                .gate(Gate::new("blockers", Rule::count("open_blockers", 0))),
        )
        .step(Step::new("build", StepKind::Build))
        .step(
            Step::new("deploy", StepKind::Deploy)
                .environment("production")
                .needs(["build"]),
        )
        .build()
        .unwrap();
    let mut run = Run::new(p);
    run.apply(ev(0, started("build"))).unwrap();
    run.apply(ev(1, succeeded("build"))).unwrap();
    // Needs met, gate pending: not ready, and the reason names the fact.
    assert_eq!(run.state_of("deploy").unwrap(), TaskState::Pending);
    assert_eq!(run.ready().count(), 0);
    assert_eq!(
        run.blocked()[0].to_string(),
        "deploy: gates pending; blockers: count \"open_blockers\" <= 0: missing fact count \"open_blockers\""
    );
    assert_eq!(run.status(), RunStatus::NeedsInput);
    let blockers = |n| EventKind::Fact {
        fact: Box::new(Fact::new(
            FactKind::Count,
            "open_blockers",
            FactValue::Count(n),
            "jira",
            t(2),
        )),
    };
    run.apply(ev(2, blockers(0))).unwrap();
    assert_eq!(ids(&run, run.ready()), ["deploy"]);
    // A new blocker takes it out of the ready set again.
    run.apply(ev(3, blockers(1))).unwrap();
    assert_eq!(run.ready().count(), 0);
    // A waiver of the gate lets it through, on the record.
    run.apply(ev(
        4,
        EventKind::Waived {
            task: Some("deploy".into()),
            gate: Some("blockers".into()),
            by: "lee".parse().unwrap(),
            reason: "cosmetic bug".into(),
        },
    ))
    .unwrap();
    assert_eq!(ids(&run, run.ready()), ["deploy"]);
    let verdict = run.verdict(run.pipeline().lookup("deploy").unwrap(), t(4));
    assert_eq!(verdict.waivers().next().unwrap().by, "lee");
}

#[test]
fn wait_steps_and_soaks_give_the_next_wakeup() {
    let p = Pipeline::builder()
        .environment(Environment::new("staging"))
        .environment(Environment::new("production"))
        .step(Step::new("deploy-staging", StepKind::Deploy).environment("staging"))
        .step(Step::wait_step("monitor", Wait::For(Span::hours(1))).needs(["deploy-staging"]))
        .step(
            Step::new("deploy-production", StepKind::Deploy)
                .environment("production")
                .needs(["monitor"])
                .gate(Gate::new("soak", Rule::soak("staging", Span::hours(2)))),
        )
        .build()
        .unwrap();
    let mut run = Run::new(p);
    let mut clock = VirtualClock::new(t(0));
    // A fixed clock cannot wait: the driver stops and says until when.
    let report = Driver::sequential()
        .drive(
            &mut run.clone(),
            &mut ScriptedExecutor::new(),
            &mut FixedClock::new(t(0)),
        )
        .unwrap();
    assert_eq!(
        (report.status, report.wakeup),
        (RunStatus::Waiting, Some(t(60)))
    );
    let report = Driver::sequential()
        .drive(&mut run, &mut ScriptedExecutor::new(), &mut clock)
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
    // Deployed at 0, monitor until 60, soak until 120, then production.
    assert_eq!(report.finished_at, t(120));
    let kinds: Vec<String> = run.journal().iter().map(|e| e.to_string()).collect();
    assert_eq!(
        kinds,
        [
            "2026-03-03T09:00:00Z started deploy-staging",
            "2026-03-03T09:00:00Z succeeded deploy-staging",
            "2026-03-03T10:00:00Z tick",
            "2026-03-03T11:00:00Z tick",
            "2026-03-03T11:00:00Z started deploy-production",
            "2026-03-03T11:00:00Z succeeded deploy-production",
        ]
    );
    assert_eq!(
        Run::replay(run.pipeline().clone(), run.journal().to_vec()).unwrap(),
        run
    );
}

#[test]
fn waive_skip_and_cancel() {
    let p = Pipeline::builder()
        .step(Step::new("a", StepKind::Build))
        .step(Step::new("lint", StepKind::Test).requirement(Requirement::Skippable))
        .step(Step::new("b", StepKind::Build).needs(["a", "lint"]))
        .step(Step::new("c", StepKind::Build).needs(["b"]))
        .build()
        .unwrap();
    let mut run = Run::new(p);
    run.apply(ev(0, started("a"))).unwrap();
    run.apply(ev(1, failed("a", "broken"))).unwrap();
    run.apply(ev(
        2,
        EventKind::Waived {
            task: Some("a".into()),
            gate: None,
            by: "sam".parse().unwrap(),
            reason: "built by hand".into(),
        },
    ))
    .unwrap();
    assert_eq!(run.state_of("a").unwrap(), TaskState::Waived);
    run.apply(ev(
        3,
        EventKind::Skipped {
            task: "lint".into(),
            by: "sam".parse().unwrap(),
            reason: "linter down".into(),
        },
    ))
    .unwrap();
    assert_eq!(run.state_of("lint").unwrap(), TaskState::Skipped);
    assert_eq!(ids(&run, run.ready()), ["b"]);
    run.apply(ev(
        4,
        EventKind::Cancelled {
            task: Some("b".into()),
            by: None,
            reason: Some("not today".into()),
        },
    ))
    .unwrap();
    assert_eq!(run.state_of("b").unwrap(), TaskState::Cancelled);
    assert_eq!(
        run.blocked()[0].to_string(),
        "c: needs \"b\", which cancelled"
    );
    run.apply(ev(
        5,
        EventKind::Cancelled {
            task: None,
            by: Some("sam".parse().unwrap()),
            reason: None,
        },
    ))
    .unwrap();
    assert_eq!(run.state_of("c").unwrap(), TaskState::Cancelled);
    assert_eq!(run.status(), RunStatus::Cancelled);
    assert!(run.apply(ev(6, started("c"))).is_err());
}

#[test]
fn matrix_cells_and_advisory_failures() {
    let matrix = Matrix::default()
        .axis("cloud", ["aws", "gcp"])
        .cell(Cell::new([("cloud", "aws")]))
        .cell(Cell::new([("cloud", "gcp")]).requirement(Requirement::Advisory));
    let p = Pipeline::builder()
        .step(Step::new("test", StepKind::Test).matrix(matrix))
        .step(
            Step::new("final", StepKind::Tag)
                .needs(["test"])
                .gate(Gate::new("matrix", Rule::matrix("test"))),
        )
        .build()
        .unwrap();
    let mut run = Run::new(p);
    let mut exec = ScriptedExecutor::new().script("test[gcp]", [Outcome::failure("quota")]);
    let report = Driver::parallel(2)
        .drive(&mut run, &mut exec, &mut FixedClock::new(t(0)))
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
    assert_eq!(run.state_of("test[gcp]").unwrap(), TaskState::Failed);
    assert_eq!(run.state_of("final").unwrap(), TaskState::Succeeded);
}

#[test]
fn journal_round_trip_and_resume_after_a_crash() {
    let p = diamond();
    let mut run = Run::new(p.clone());
    run.apply(ev(0, started("a"))).unwrap();
    run.apply(ev(1, succeeded("a"))).unwrap();
    run.apply(ev(1, started("b"))).unwrap();
    run.apply(ev(
        1,
        EventKind::Fact {
            fact: Box::new(Fact::new(
                FactKind::Tag,
                "x",
                FactValue::Text("1.0.0".into()),
                "ci",
                t(1),
            )),
        },
    ))
    .unwrap();
    // The process dies here, mid-append.
    let mut text = journal::encode_all(run.journal()).unwrap();
    text.push_str("{\"at\":\"2026-03-03T09:02:00Z\",\"event\":\"succ");
    let decoded = journal::decode(&text).unwrap();
    assert!(decoded.torn_tail.is_some());
    assert_eq!(Run::replay(p.clone(), decoded.events.clone()).unwrap(), run);
    let resumed = Run::resume(p, decoded.events.clone(), t(5)).unwrap();
    let tail: Vec<String> = resumed.journal()[decoded.events.len()..]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(tail, ["2026-03-03T09:05:00Z interrupted b"]);
    assert_eq!(resumed.state_of("b").unwrap(), TaskState::Ready);
    assert_eq!(resumed.state_of("a").unwrap(), TaskState::Succeeded);
    // Driving the resumed run never repeats a succeeded task.
    let mut resumed = resumed;
    let mut exec = ScriptedExecutor::new();
    Driver::sequential()
        .drive(&mut resumed, &mut exec, &mut FixedClock::new(t(6)))
        .unwrap();
    let calls: Vec<&str> = exec.calls().iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(calls, ["b", "c", "d", "other"]);
    assert_eq!(resumed.status(), RunStatus::Succeeded);
}

#[test]
fn journal_errors_name_the_line() {
    let text = "{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"started\",\"task\":\"a\"}\n{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"exploded\"}\n";
    let err = journal::decode(text).unwrap_err();
    assert!(err.is_parse());
    assert!(
        err.to_string()
            .starts_with("journal line 2: unknown variant `exploded`"),
        "{err}"
    );
    let events = journal::decode(
        "{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"succeeded\",\"task\":\"a\"}\n",
    )
    .unwrap()
    .events;
    let err = Run::replay(diamond(), events).unwrap_err();
    assert_eq!(
        err.to_string(),
        "event 1: task \"a\" is ready; only a running task can succeed"
    );
}

#[test]
fn dry_run_on_a_virtual_clock_shows_the_schedule() {
    let p = Pipeline::builder()
        .step(
            Step::new("backend", StepKind::Build)
                .estimate("3m..4m".parse().unwrap())
                .command(["make", "backend"]),
        )
        .step(Step::new("frontend", StepKind::Build).estimate("5m..6m".parse().unwrap()))
        .step(
            Step::new("stack", StepKind::Build)
                .needs(["backend", "frontend"])
                .estimate("10m..15m".parse().unwrap()),
        )
        .build()
        .unwrap();
    let mut sequential = Run::new(p.clone());
    let mut dry = DryRunExecutor::with_estimates();
    let report = Driver::sequential()
        .drive(&mut sequential, &mut dry, &mut VirtualClock::new(t(0)))
        .unwrap();
    assert_eq!(report.finished_at, t(25));
    assert_eq!(
        dry.planned()[0].command.as_deref(),
        Some(&["make".to_owned(), "backend".to_owned()][..])
    );
    let mut parallel = Run::new(p);
    let report = Driver::parallel(2)
        .drive(
            &mut parallel,
            &mut DryRunExecutor::with_estimates(),
            &mut VirtualClock::new(t(0)),
        )
        .unwrap();
    assert_eq!(report.finished_at, t(21));
}

#[test]
fn executors_can_be_closures_and_report_facts() {
    let p = Pipeline::builder()
        .step(Step::new("tag", StepKind::Tag).component("stack"))
        .step(
            Step::new("check", StepKind::Test)
                .needs(["tag"])
                .gate(Gate::new(
                    "prod",
                    Rule::tag("stack", release_core::version::TagRule::production_grade()),
                )),
        )
        .component(release_core::pipeline::Component::new("stack"))
        .build()
        .unwrap();
    let mut run = Run::new(p);
    let mut exec = |task: &release_core::run::Task<'_>| {
        if task.id == "tag" {
            Outcome::success().observe(FactKind::Tag, "stack", FactValue::Text("2023.06.2".into()))
        } else {
            Outcome::success()
        }
    };
    let report = Driver::sequential()
        .drive(&mut run, &mut exec, &mut FixedClock::new(t(0)))
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
    assert_eq!(report.executed, 2);
    let snapshot = serde_json::to_value(run.snapshot()).unwrap();
    assert_eq!(snapshot["status"], "succeeded");
    assert_eq!(snapshot["tasks"][1]["state"], "succeeded");
}

// Drivers: the observer, real concurrency, panicking executors.

/// Every event, as the observer saw it; each time, the run had just
/// accepted it (it is the journal's last).
#[derive(Default)]
struct Seen(Vec<Event>);

impl Observer for Seen {
    fn event(&mut self, event: &Event, run: &Run) -> release_core::Result<()> {
        assert_eq!(run.journal().last(), Some(event), "observed as applied");
        self.0.push(event.clone());
        Ok(())
    }
}

#[test]
fn the_observer_sees_every_event_in_journal_order() {
    let p = Pipeline::builder()
        .environment(Environment::new("staging"))
        .step(
            Step::new("tag", StepKind::Tag)
                .component("stack")
                .max_attempts(2),
        )
        .step(
            Step::new("deploy-staging", StepKind::Deploy)
                .environment("staging")
                .needs(["tag"]),
        )
        .step(Step::wait_step("monitor", Wait::For(Span::hours(1))).needs(["deploy-staging"]))
        .step(Step::new("verify", StepKind::Test).needs(["monitor"]))
        .component(release_core::pipeline::Component::new("stack"))
        .build()
        .unwrap();
    let mut run = Run::new(p.clone());
    let mut exec = ScriptedExecutor::new().script(
        "tag",
        [
            Outcome::failure("network"),
            Outcome::success().observe(FactKind::Tag, "stack", FactValue::Text("2026.03.0".into())),
        ],
    );
    let mut seen = Seen::default();
    let report = Driver::sequential()
        .drive_observed(&mut run, &mut exec, &mut VirtualClock::new(t(0)), &mut seen)
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
    assert_eq!(seen.0, run.journal());
    let names: Vec<&str> = seen.0.iter().map(|e| e.kind.name()).collect();
    assert_eq!(
        names,
        [
            "started",
            "failed",
            "started",
            "fact",
            "succeeded",
            "started",
            "succeeded",
            "tick",
            "started",
            "succeeded"
        ]
    );
    // `drive` without an observer writes the same journal.
    let mut plain = Run::new(p);
    let mut exec = ScriptedExecutor::new().script(
        "tag",
        [
            Outcome::failure("network"),
            Outcome::success().observe(FactKind::Tag, "stack", FactValue::Text("2026.03.0".into())),
        ],
    );
    Driver::sequential()
        .drive(&mut plain, &mut exec, &mut VirtualClock::new(t(0)))
        .unwrap();
    assert_eq!(plain, run);
}

/// The observer's own error type: a journal that cannot be written.
#[derive(Debug, PartialEq)]
enum Stop {
    Disk(usize),
    Run(String),
}

impl From<release_core::Error> for Stop {
    fn from(e: release_core::Error) -> Stop {
        Stop::Run(e.to_string())
    }
}

#[test]
fn an_observer_error_stops_the_drive_and_the_run_replays() {
    let p = Pipeline::builder()
        .step(Step::new("tag", StepKind::Tag).component("stack"))
        .step(Step::new("deploy", StepKind::Deploy).needs(["tag"]))
        .step(Step::new("notify", StepKind::Notify).needs(["deploy"]))
        .component(release_core::pipeline::Component::new("stack"))
        .build()
        .unwrap();
    // Fails on each kind of event in turn: a started (the task must then
    // not run), a fact in the middle of an outcome, a succeeded.
    for fail_at in 0..6 {
        let mut run = Run::new(p.clone());
        let mut calls = Vec::new();
        let mut exec = |task: &release_core::run::Task<'_>| {
            calls.push(task.id.to_owned());
            Outcome::success().observe(FactKind::Tag, "stack", FactValue::Text(task.id.into()))
        };
        let mut seen = Vec::new();
        let mut observer = |event: &Event, _: &Run| {
            if seen.len() == fail_at {
                return Err(Stop::Disk(fail_at));
            }
            seen.push(event.clone());
            Ok(())
        };
        let err = Driver::sequential()
            .drive_observed(
                &mut run,
                &mut exec,
                &mut FixedClock::new(t(0)),
                &mut observer,
            )
            .unwrap_err();
        assert_eq!(err, Stop::Disk(fail_at));
        // The run holds exactly the events shown: the ones written, then the
        // one that could not be.
        assert_eq!(run.journal().len(), fail_at + 1);
        assert_eq!(run.journal()[..fail_at], seen[..]);
        assert_eq!(Run::replay(p.clone(), run.journal().to_vec()).unwrap(), run);
        // A task is executed only once its `started` was observed.
        let observed_starts = seen
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Started { .. }))
            .count();
        assert_eq!(calls.len(), observed_starts, "stopped at {fail_at}");
        // What was written resumes to the end.
        let mut resumed = Run::resume(p.clone(), seen, t(1)).unwrap();
        let report = Driver::sequential()
            .drive(
                &mut resumed,
                &mut ScriptedExecutor::new(),
                &mut FixedClock::new(t(1)),
            )
            .unwrap();
        assert_eq!(report.status, RunStatus::Succeeded);
    }
}

/// A pipeline of `roots` independent tasks, then a chain of joins.
fn wide(roots: usize) -> Pipeline {
    let mut b = Pipeline::builder();
    for i in 0..roots {
        b = b.step(Step::new(format!("r{i}"), StepKind::Build));
    }
    b.step(Step::new("x", StepKind::Build).needs(["r0", "r1"]))
        .step(Step::new("y", StepKind::Test).needs(["x", "r2"]))
        .step(Step::new("z", StepKind::Deploy).needs(["y", "r3", "r4", "r5"]))
        .build()
        .unwrap()
}

/// Counts the tasks running at once and checks each task's needs returned
/// before it starts.
#[derive(Default)]
struct Counting {
    running: AtomicUsize,
    most: AtomicUsize,
    done: Mutex<HashSet<String>>,
    early: Mutex<Vec<String>>,
}

impl Counting {
    fn run(
        &self,
        task: &release_core::run::Task<'_>,
        needs: &[release_core::pipeline::StepName],
    ) -> Outcome {
        let now = self.running.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(now, Ordering::SeqCst);
        {
            let done = self.done.lock().unwrap();
            for need in needs {
                if !done.contains(need.as_str()) {
                    self.early
                        .lock()
                        .unwrap()
                        .push(format!("{} before {need}", task.id));
                }
            }
        }
        std::thread::sleep(std::time::Duration::from_millis(40));
        self.done.lock().unwrap().insert(task.id.to_owned());
        self.running.fetch_sub(1, Ordering::SeqCst);
        Outcome::success()
    }
}

#[test]
fn concurrent_driving_runs_at_most_n_at_once_in_dependency_order() {
    let p = wide(6);
    let counting = Counting::default();
    let exec = |task: &release_core::run::Task<'_>| counting.run(task, &task.step.needs);
    let mut run = Run::new(p.clone());
    let mut seen = Seen::default();
    let report = Driver::parallel(3)
        .drive_concurrent(&mut run, &exec, &mut FixedClock::new(t(0)), &mut seen)
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
    assert_eq!(report.executed, 9);
    assert_eq!(
        counting.most.load(Ordering::SeqCst),
        3,
        "three at once, never more"
    );
    assert_eq!(*counting.early.lock().unwrap(), Vec::<String>::new());
    assert_eq!(seen.0, run.journal());
    assert_eq!(Run::replay(p, seen.0).unwrap(), run);
    // Each task started once and finished after it started.
    for task in ["r0", "r5", "x", "y", "z"] {
        let position = |kind: EventKind| run.journal().iter().position(|e| e.kind == kind);
        assert!(
            position(started(task)) < position(succeeded(task)),
            "{task}"
        );
    }
}

#[test]
fn concurrent_driving_with_one_slot_is_sequential() {
    let p = wide(6);
    let counting = Counting::default();
    let exec = |task: &release_core::run::Task<'_>| counting.run(task, &task.step.needs);
    let mut run = Run::new(p.clone());
    Driver::sequential()
        .drive_concurrent(
            &mut run,
            &exec,
            &mut FixedClock::new(t(0)),
            &mut Seen::default(),
        )
        .unwrap();
    assert_eq!(counting.most.load(Ordering::SeqCst), 1);
    let mut simulated = Run::new(p);
    Driver::sequential()
        .drive(
            &mut simulated,
            &mut ScriptedExecutor::new(),
            &mut FixedClock::new(t(0)),
        )
        .unwrap();
    assert_eq!(simulated, run);
}

#[test]
fn a_concurrent_observer_error_stops_before_the_task_runs() {
    let p = wide(6);
    let calls = AtomicUsize::new(0);
    let exec = |_: &release_core::run::Task<'_>| {
        calls.fetch_add(1, Ordering::SeqCst);
        Outcome::success()
    };
    let mut run = Run::new(p.clone());
    let mut count = 0;
    // The third event is the third `started`: two tasks run, the third not.
    let err = Driver::parallel(3)
        .drive_concurrent(
            &mut run,
            &exec,
            &mut FixedClock::new(t(0)),
            &mut |_: &Event, _: &Run| {
                count += 1;
                if count == 3 {
                    Err(Stop::Disk(3))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
    assert_eq!(err, Stop::Disk(3));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    assert_eq!(run.journal().len(), 3);
    assert_eq!(Run::replay(p, run.journal().to_vec()).unwrap(), run);
    // The outcomes of the tasks that ran were not recorded: they still show
    // running, and a resume marks them interrupted.
    assert_eq!(run.running().count(), 3);
}

#[test]
fn a_panicking_executor_fails_its_task_with_the_message() {
    let p = diamond();
    // A formatted message (a `String` payload), and a payload that is no
    // message at all.
    let exec = |task: &release_core::run::Task<'_>| match task.id {
        "b" => panic!("{} is out of disk", task.id),
        "other" => std::panic::panic_any(42_u8),
        _ => Outcome::success(),
    };
    // Simulated and concurrent alike.
    let mut simulated = Run::new(p.clone());
    let mut sequential_exec = exec;
    let report = Driver::sequential()
        .drive(
            &mut simulated,
            &mut sequential_exec,
            &mut FixedClock::new(t(0)),
        )
        .unwrap();
    let mut concurrent = Run::new(p);
    let report_concurrent = Driver::parallel(3)
        .drive_concurrent(
            &mut concurrent,
            &exec,
            &mut FixedClock::new(t(0)),
            &mut Seen::default(),
        )
        .unwrap();
    for (run, report) in [(&simulated, report), (&concurrent, report_concurrent)] {
        assert_eq!(report.status, RunStatus::Failed);
        let message = |id: &str| run.message(run.pipeline().lookup(id).unwrap());
        assert_eq!(run.state_of("b").unwrap(), TaskState::Failed);
        assert_eq!(
            message("b"),
            Some("the executor panicked: b is out of disk")
        );
        assert_eq!(message("other"), Some("the executor panicked"));
        assert_eq!(run.state_of("c").unwrap(), TaskState::Succeeded);
        assert_eq!(run.state_of("d").unwrap(), TaskState::Pending);
        assert_eq!(run.blocked()[0].to_string(), "d: needs \"b\", which failed");
    }
}

/// Real time sped up a hundred times, so that a wait step of seconds ends
/// in tens of milliseconds while another task runs.
struct FastClock {
    // The test's stand-in for the CLI's system clock: the ban on reading
    // the clock in release-core is for the library, not for this test.
    #[allow(clippy::disallowed_types)]
    origin: std::time::Instant,
    start: DateTime<Utc>,
}

const SPEED: u32 = 100;

impl FastClock {
    // As above: a test clock that follows real time.
    #[allow(clippy::disallowed_methods, clippy::disallowed_types)]
    fn new(start: DateTime<Utc>) -> FastClock {
        FastClock {
            origin: std::time::Instant::now(),
            start,
        }
    }
}

impl Clock for FastClock {
    fn now(&mut self) -> DateTime<Utc> {
        self.start + chrono::TimeDelta::from_std(self.origin.elapsed() * SPEED).unwrap()
    }

    fn sleep_until(&mut self, at: DateTime<Utc>) {
        if let Ok(wait) = (at - self.now()).to_std() {
            std::thread::sleep(wait / SPEED);
        }
    }

    fn real_time_until(&mut self, at: DateTime<Utc>) -> Option<std::time::Duration> {
        Some((at - self.now()).to_std().unwrap_or_default() / SPEED)
    }
}

#[test]
fn a_wait_step_ends_on_time_while_another_task_runs() {
    let p = Pipeline::builder()
        .step(Step::new("slow", StepKind::Build))
        .step(Step::new("quick", StepKind::Build))
        .step(Step::wait_step("pause", Wait::For(Span::seconds_of(10))).needs(["quick"]))
        .step(Step::new("after", StepKind::Notify).needs(["pause"]))
        .build()
        .unwrap();
    let exec = |task: &release_core::run::Task<'_>| {
        if task.id == "slow" {
            // 80 s of the fast clock; the pause takes 10.
            std::thread::sleep(std::time::Duration::from_millis(800));
        }
        Outcome::success()
    };
    let mut run = Run::new(p.clone());
    let report = Driver::parallel(2)
        .drive_concurrent(
            &mut run,
            &exec,
            &mut FastClock::new(t(0)),
            &mut Seen::default(),
        )
        .unwrap();
    assert_eq!(report.status, RunStatus::Succeeded);
    let names: Vec<String> = run
        .journal()
        .iter()
        .map(|e| format!("{} {}", e.kind.name(), e.kind.task().unwrap_or("")))
        .collect();
    assert_eq!(
        names,
        [
            "started slow",
            "started quick",
            "succeeded quick",
            "tick ",
            "started after",
            "succeeded after",
            "succeeded slow"
        ]
    );
    assert_eq!(Run::replay(p, run.journal().to_vec()).unwrap(), run);
}
