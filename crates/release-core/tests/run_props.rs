//! Laws of the engine, over random pipelines and random interleavings of
//! events: no task is ready, running or done before its needs are
//! satisfied; the ready set never holds a task whose gates fail; replaying
//! the journal (through its JSON-lines form) gives the same run; resuming
//! never undoes a success.

use chrono::{DateTime, TimeZone, Utc};
use proptest::prelude::*;
use release_core::gate::Requirement;
use release_core::gate::{Fact, FactKind, FactValue, Gate, Rule};
use release_core::pipeline::{Pipeline, Step, StepKind};
use release_core::run::{Event, EventKind, Run, TaskState, journal};

#[derive(Debug, Clone)]
struct Spec {
    needs: Vec<Vec<usize>>,
    gated: Vec<bool>,
    requirement: Vec<u8>,
    attempts: Vec<u32>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (1usize..12).prop_flat_map(|n| {
        (
            proptest::collection::vec(
                proptest::collection::vec(any::<prop::sample::Index>(), 0..3),
                n,
            ),
            proptest::collection::vec(any::<bool>(), n),
            proptest::collection::vec(0u8..3, n),
            proptest::collection::vec(1u32..3, n),
        )
            .prop_map(move |(needs, gated, requirement, attempts)| Spec {
                needs: needs
                    .into_iter()
                    .enumerate()
                    .map(|(i, list)| {
                        let mut v: Vec<usize> = if i == 0 {
                            vec![]
                        } else {
                            list.iter().map(|ix| ix.index(i)).collect()
                        };
                        v.sort_unstable();
                        v.dedup();
                        v
                    })
                    .collect(),
                gated,
                requirement,
                attempts,
            })
    })
}

fn build(spec: &Spec) -> Pipeline {
    let steps = (0..spec.needs.len()).map(|i| {
        let mut step = Step::new(format!("s{i}"), StepKind::Build)
            .needs(spec.needs[i].iter().map(|j| format!("s{j}")))
            .max_attempts(spec.attempts[i])
            .requirement(match spec.requirement[i] {
                0 => Requirement::Required,
                1 => Requirement::Advisory,
                _ => Requirement::Skippable,
            });
        if spec.gated[i] {
            step = step.gate(Gate::new("blockers", Rule::count("blockers", 0)));
        }
        step
    });
    Pipeline::builder().steps(steps).build().unwrap()
}

fn t(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(m)
}

/// Turns a number into an event that is likely to be accepted.
fn pick(run: &Run, choice: u32, m: i64) -> Event {
    let p = run.pipeline();
    let n = p.len();
    let task = |k: u32| {
        p.node(release_core::pipeline::StepId::from_index(k as usize % n))
            .id()
            .to_owned()
    };
    let ready: Vec<_> = run.ready().collect();
    let running: Vec<_> = run.running().collect();
    let kind = match choice % 10 {
        0..=2 if !ready.is_empty() => EventKind::Started {
            task: p
                .node(ready[choice as usize / 10 % ready.len()])
                .id()
                .to_owned(),
            process: None,
        },
        3..=4 if !running.is_empty() => EventKind::Succeeded {
            task: p
                .node(running[choice as usize / 10 % running.len()])
                .id()
                .to_owned(),
            message: None,
        },
        5 if !running.is_empty() => EventKind::Failed {
            task: p
                .node(running[choice as usize / 10 % running.len()])
                .id()
                .to_owned(),
            message: "boom".into(),
        },
        6 if !running.is_empty() => EventKind::Interrupted {
            task: p
                .node(running[choice as usize / 10 % running.len()])
                .id()
                .to_owned(),
        },
        7 => EventKind::Fact {
            fact: Box::new(Fact::new(
                FactKind::Count,
                "blockers",
                FactValue::Count(i64::from(choice / 10 % 2)),
                "jira",
                t(m),
            )),
        },
        8 => EventKind::Waived {
            task: Some(task(choice / 10)),
            gate: None,
            by: "w".parse().unwrap(),
            reason: "r".into(),
        },
        _ => EventKind::Skipped {
            task: task(choice / 10),
            by: "s".parse().unwrap(),
            reason: "r".into(),
        },
    };
    Event::new(t(m), kind)
}

fn satisfied(run: &Run, id: release_core::pipeline::StepId) -> bool {
    let state = run.state(id);
    matches!(
        state,
        TaskState::Succeeded | TaskState::Waived | TaskState::Skipped
    ) || (state == TaskState::Failed
        && run.pipeline().node(id).requirement() == Requirement::Advisory)
}

fn check_invariants(run: &Run, now: DateTime<Utc>) -> Result<(), TestCaseError> {
    let p = run.pipeline();
    for node in p.nodes() {
        let id = node.step_id();
        let state = run.state(id);
        if matches!(
            state,
            TaskState::Ready | TaskState::Running | TaskState::Succeeded
        ) {
            for &need in node.needs() {
                prop_assert!(
                    satisfied(run, need),
                    "{} is {state} but needs {} ({})",
                    node.id(),
                    p.node(need).id(),
                    run.state(need)
                );
            }
        }
    }
    for id in run.ready() {
        prop_assert_eq!(run.state(id), TaskState::Ready);
        prop_assert!(
            run.verdict(id, now).is_ok(),
            "{} is ready with failing gates",
            p.node(id).id()
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn interleavings_keep_the_laws(spec in spec(), choices in proptest::collection::vec(any::<u32>(), 0..60)) {
        let pipeline = build(&spec);
        let mut run = Run::new(pipeline.clone());
        check_invariants(&run, t(0))?;
        for (m, choice) in choices.into_iter().enumerate() {
            let event = pick(&run, choice, m as i64);
            let before = run.clone();
            if run.apply(event).is_err() {
                prop_assert_eq!(&run, &before, "a refused event changed the run");
            }
            check_invariants(&run, t(m as i64))?;
        }
        // Replay through the JSON-lines journal equals the live run.
        let text = journal::encode_all(run.journal()).unwrap();
        let events = journal::decode(&text).unwrap().events;
        prop_assert_eq!(&events[..], run.journal());
        let replayed = Run::replay(pipeline.clone(), events.clone()).unwrap();
        prop_assert_eq!(&replayed, &run);
        // Resume: nothing left running, no success undone.
        let resumed = Run::resume(pipeline, events, t(1000)).unwrap();
        prop_assert_eq!(resumed.running().count(), 0);
        for id in run.pipeline().ids() {
            if run.state(id) == TaskState::Succeeded {
                prop_assert_eq!(resumed.state(id), TaskState::Succeeded);
            }
            if run.state(id) == TaskState::Running {
                prop_assert_ne!(resumed.state(id), TaskState::Running);
            }
        }
        check_invariants(&resumed, t(1000))?;
    }

    #[test]
    fn topological_order_respects_needs(spec in spec()) {
        let p = build(&spec);
        let mut position = vec![0; p.len()];
        for (k, id) in p.order().iter().enumerate() {
            position[id.index()] = k;
        }
        prop_assert_eq!(p.order().len(), p.len());
        for node in p.nodes() {
            for need in node.needs() {
                prop_assert!(position[need.index()] < position[node.step_id().index()]);
            }
        }
        let path = p.critical_path();
        prop_assert!(path.total.min() <= path.total.max());
    }
}
