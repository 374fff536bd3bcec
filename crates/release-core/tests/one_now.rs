//! One model of "now": every example process driven through a run at the
//! same instants, and at each the verdicts of every path compared: the
//! live run (as `release run` and `release approve` keep it, catching up
//! with the calendar before each event), the journal replayed
//! (`Process::replay`, as a later command reads it), the run `plan` and
//! `explain` answer from (`Process::run_at`), and `explain` itself. A step
//! behind an `in_window` or `not_holiday` gate is ready on every path or
//! on none.

use chrono::{DateTime, Duration, TimeZone, Utc};
use release_core::gate::{Facts, Status};
use release_core::identity::Identity;
use release_core::process::Process;
use release_core::run::{Event, EventKind, Run, TaskState};

const EXAMPLES: &[(&str, &str)] = &[
    (
        "eat-slots",
        include_str!("../../../examples/eat-slots/release.toml"),
    ),
    (
        "ecr-viewer",
        include_str!("../../../examples/ecr-viewer/release.toml"),
    ),
    (
        "fragalysis",
        include_str!("../../../examples/fragalysis/release.toml"),
    ),
    (
        "mozilla-sync",
        include_str!("../../../examples/mozilla-sync/release.toml"),
    ),
    (
        "release-guide",
        include_str!("../../../examples/release-guide/release.toml"),
    ),
    (
        "cpython",
        include_str!("../../../examples/cpython/release.toml"),
    ),
    (
        "nodejs",
        include_str!("../../../examples/nodejs/release.toml"),
    ),
    (
        "openjdk",
        include_str!("../../../examples/openjdk/release.toml"),
    ),
];

fn who(name: &str) -> Identity {
    Identity::new(name).unwrap()
}

/// Each task's state and gate status on one path, by task id.
fn verdicts(run: &Run, at: DateTime<Utc>) -> Vec<(String, TaskState, Status)> {
    let p = run.pipeline();
    p.ids()
        .map(|id| {
            (
                p.node(id).id().to_owned(),
                run.state(id),
                run.verdict(id, at).status,
            )
        })
        .collect()
}

/// Drives `process` from `start` every `step` for `count` instants: at
/// each, compares the paths, then starts and succeeds every ready task and
/// approves every task awaiting approval, each through `Process::apply`.
fn drive_and_compare(name: &str, process: &Process, start: DateTime<Utc>, count: usize) {
    let mut live = Run::new(process.pipeline().clone());
    if live.needs_requester() {
        process
            .apply(
                &mut live,
                Event::new(
                    start,
                    EventKind::Requested {
                        by: who("requester"),
                    },
                ),
            )
            .unwrap();
    }
    let none = Facts::new();
    for n in 0..count {
        let at = start + Duration::hours(5) * i32::try_from(n).unwrap();
        process.catch_up(&mut live, at).unwrap();
        live.tick(at);
        let journal = live.journal().to_vec();
        let replayed = {
            let mut r = process.replay(&journal).unwrap();
            process.catch_up(&mut r, at).unwrap();
            r.tick(at);
            r
        };
        let planned = process.run_at(at, &none, &journal).unwrap();
        let expected = verdicts(&live, at);
        assert_eq!(verdicts(&replayed, at), expected, "{name} at {at}: replay");
        assert_eq!(verdicts(&planned, at), expected, "{name} at {at}: run_at");
        for (task, state, status) in &expected {
            // A matrix cell is explained through its step; its own id works too.
            let Ok(e) = process.explain(task, at, &none, &journal) else {
                continue;
            };
            if process.pipeline().find(task).is_some() && !e.done {
                assert_eq!(e.verdict.status, *status, "{name} at {at}: explain {task}");
                assert_eq!(e.state, Some(*state), "{name} at {at}: explain {task}");
            }
        }
        act(process, &mut live, at);
    }
}

/// Starts and succeeds every ready task, approves every task awaiting
/// approval: what a release manager and the executors would do at `at`.
fn act(process: &Process, live: &mut Run, at: DateTime<Utc>) {
    let p = live.pipeline().clone();
    let ready: Vec<String> = live.ready().map(|id| p.node(id).id().to_owned()).collect();
    for task in ready {
        let started = Event::new(
            at,
            EventKind::Started {
                task: task.clone(),
                process: None,
            },
        );
        if process.apply(live, started).is_ok() {
            let done = Event::new(
                at,
                EventKind::Succeeded {
                    task,
                    message: None,
                },
            );
            process.apply(live, done).unwrap();
        }
    }
    let awaiting: Vec<String> = live
        .awaiting_approval()
        .map(|id| p.node(id).id().to_owned())
        .collect();
    for task in awaiting {
        let approved = Event::new(
            at,
            EventKind::Approved {
                task: Some(task),
                by: who("approver"),
                role: None,
            },
        );
        process.apply(live, approved).unwrap();
    }
}

#[test]
fn every_path_gives_the_same_verdicts_for_every_example() {
    let start = Utc.with_ymd_and_hms(2026, 3, 1, 6, 0, 0).unwrap();
    for (name, text) in EXAMPLES {
        let process = Process::from_toml(&format!("examples/{name}/release.toml"), text).unwrap();
        // Five-hourly for three weeks: every weekday and hour class, a
        // window opening and closing, a weekend.
        drive_and_compare(name, &process, start, 100);
    }
}

/// eat-slots: a ticket may move to staging between Sunday 20:00 and
/// Monday 08:30 EAT. At Sunday 21:00 EAT `explain` says ready and the
/// approval is accepted; at Monday 09:00 it is neither.
#[test]
fn eat_slots_approval_is_accepted_inside_its_window_and_refused_after() {
    let (_, text) = EXAMPLES[0];
    let process = Process::from_toml("eat-slots/release.toml", text).unwrap();
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2020, 7, 5, h, m, 0).unwrap();
    let journal = vec![
        Event::new(at(17, 0), EventKind::Requested { by: who("rm") }),
        Event::new(
            at(17, 0),
            EventKind::Started {
                task: "deploy-dev".into(),
                process: None,
            },
        ),
        Event::new(
            at(17, 10),
            EventKind::Succeeded {
                task: "deploy-dev".into(),
                message: None,
            },
        ),
        Event::new(
            at(17, 40),
            EventKind::Approved {
                task: Some("dev-testing".into()),
                by: who("tester"),
                role: None,
            },
        ),
    ];
    let approve = |at: DateTime<Utc>| {
        Event::new(
            at,
            EventKind::Approved {
                task: Some("move-to-staging".into()),
                by: who("lead"),
                role: None,
            },
        )
    };
    let none = Facts::new();
    let sunday_21_eat = at(18, 0);
    let monday_09_eat = Utc.with_ymd_and_hms(2020, 7, 6, 6, 0, 0).unwrap();

    let e = process
        .explain("move-to-staging", sunday_21_eat, &none, &journal)
        .unwrap();
    assert!(e.ready, "{e:?}");
    let mut run = process.replay(&journal).unwrap();
    process.apply(&mut run, approve(sunday_21_eat)).unwrap();
    assert_eq!(
        run.state_of("move-to-staging").unwrap(),
        TaskState::Succeeded
    );
    // What was recorded replays to the same state.
    let again = process.replay(run.journal()).unwrap();
    assert_eq!(
        again.state_of("move-to-staging").unwrap(),
        TaskState::Succeeded
    );

    let e = process
        .explain("move-to-staging", monday_09_eat, &none, &journal)
        .unwrap();
    assert!(!e.ready, "{e:?}");
    let mut run = process.replay(&journal).unwrap();
    let before = run.clone();
    let refused = process.apply(&mut run, approve(monday_09_eat)).unwrap_err();
    assert!(refused.is_refused(), "{refused}");
    assert_eq!(run, before, "a refused event changes nothing");
}
