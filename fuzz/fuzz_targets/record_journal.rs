//! Fuzz the record path: bytes become a sequence of events (the runner's
//! starts and outcomes, people's approvals, waivers, skips, cancels,
//! facts, a requester) offered to a run one by one, as `release run` and
//! the recording commands offer them. Every event the run accepts is
//! appended as a format-2 journal line chained to the one before; every
//! event it refuses is not. Whatever the sequence, the journal decodes,
//! its hash chain is intact, and replaying it rebuilds the same run.
#![no_main]

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use release_core::gate::{Fact, FactKind, FactValue, Gate, Requirement, Rule};
use release_core::identity::Identity;
use release_core::pipeline::{Pipeline, PipelineDef, Step, StepKind};
use release_core::run::journal::{self, Header, RecordedBy};
use release_core::run::{Event, EventKind, Run};

/// A fixed pipeline with every kind of task the record path meets: an
/// automatic build, a gated deploy, a manual sign-off, a skippable check.
fn pipeline() -> Pipeline {
    let steps = vec![
        Step::new("build", StepKind::Build),
        Step::new("deploy", StepKind::Deploy)
            .needs(["build"])
            .gate(Gate::new(
                "signoff",
                Rule::Approvals {
                    role: "qa".into(),
                    at_least: 1,
                },
            )),
        Step::new("sign", StepKind::Approve).needs(["deploy"]),
        Step::new("lint", StepKind::Test).requirement(Requirement::Skippable),
    ];
    let def = PipelineDef {
        name: "fuzz".into(),
        components: Vec::new(),
        environments: Vec::new(),
        steps,
        roles: Default::default(),
    };
    Pipeline::new(def).expect("the fuzz pipeline is valid")
}

const TASKS: [&str; 5] = ["build", "deploy", "sign", "lint", "nope"];
const PEOPLE: [&str; 3] = ["alice", "bob", "carol"];

fn t(m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(i64::from(m))
}

fn person(b: u8) -> Identity {
    Identity::new(PEOPLE[usize::from(b) % PEOPLE.len()]).expect("a valid login")
}

/// One candidate event and who records it, from two bytes.
fn event(op: u8, arg: u8, minute: u32) -> (Event, RecordedBy) {
    let task = TASKS[usize::from(arg) % TASKS.len()].to_owned();
    let runner = RecordedBy::new("run", None);
    let (kind, by) = match op % 11 {
        0 => (EventKind::started(task), runner),
        1 => (
            EventKind::Succeeded {
                task,
                message: None,
            },
            runner,
        ),
        2 => (
            EventKind::Failed {
                task,
                message: "boom".into(),
            },
            runner,
        ),
        3 => (EventKind::Interrupted { task }, runner),
        4 => (EventKind::Retried { task }, runner),
        5 => {
            let by = person(arg >> 4);
            (
                EventKind::Approved {
                    task: (arg & 1 == 0).then_some(task),
                    by: by.clone(),
                    role: (arg & 2 == 0).then(|| "qa".to_owned()),
                },
                RecordedBy::new("approve", Some(by)),
            )
        }
        6 => {
            let by = person(arg >> 4);
            (
                EventKind::Waived {
                    task: Some(task),
                    gate: (arg & 1 == 0).then(|| "signoff".to_owned()),
                    by: by.clone(),
                    reason: "known flake".into(),
                },
                RecordedBy::new("waive", Some(by)),
            )
        }
        7 => {
            let by = person(arg >> 4);
            (
                EventKind::Skipped {
                    task,
                    by: by.clone(),
                    reason: "not this time".into(),
                },
                RecordedBy::new("skip", Some(by)),
            )
        }
        8 => {
            let by = person(arg >> 4);
            (
                EventKind::Cancelled {
                    task: (arg & 1 == 0).then_some(task),
                    by: Some(by.clone()),
                    reason: Some("stop".into()),
                },
                RecordedBy::new("cancel", Some(by)),
            )
        }
        9 => (
            EventKind::fact(Fact::new(
                FactKind::Count,
                "blockers",
                FactValue::Count(i64::from(arg % 3)),
                "jira",
                t(minute),
            )),
            RecordedBy::new("fact", None),
        ),
        _ => (EventKind::Requested { by: person(arg) }, runner),
    };
    (Event::new(t(minute), kind), by)
}

fuzz_target!(|data: &[u8]| {
    let pipeline = pipeline();
    let mut run = Run::new(pipeline.clone());
    let mut text = journal::encode_header(&Header::new(None)).expect("a header encodes");
    let mut prev = journal::hash(text.trim_end_matches('\n').as_bytes());
    let mut minute = 0u32;
    for pair in data.chunks(3).take(200) {
        let [op, arg, step] = [
            pair[0],
            *pair.get(1).unwrap_or(&0),
            *pair.get(2).unwrap_or(&0),
        ];
        // Time never goes back: each event is at or after the last.
        minute += u32::from(step % 4);
        let (event, by) = event(op, arg, minute);
        if run.apply(event.clone()).is_ok() {
            let line = journal::encode_entry(&event, &by, &prev).expect("an event encodes");
            prev = journal::hash(line.trim_end_matches('\n').as_bytes());
            text.push_str(&line);
        }
    }
    let decoded = journal::decode_bytes(text.as_bytes())
        .unwrap_or_else(|e| panic!("the recorded journal does not decode: {e}\n{text}"));
    assert_eq!(decoded.torn_tail, None);
    let verified = journal::verify(text.as_bytes()).expect("the journal verifies");
    assert_eq!(verified.broken, None, "{text}");
    let replayed = Run::replay(pipeline, decoded.events)
        .unwrap_or_else(|e| panic!("the recorded journal does not replay: {e}\n{text}"));
    assert_eq!(replayed, run, "replay differs from the live run\n{text}");
});
