//! Events recorded by other writers while a run is driven (CRITICAL-1 of
//! the reliability findings): the driver applies them before each event of
//! its own, so a cancel stops it starting anything, a skip or waive is
//! honoured, and the journal always replays.

use chrono::{DateTime, TimeZone, Utc};
use release_core::gate::Requirement;
use release_core::identity::Identity;
use release_core::pipeline::{Pipeline, Step, StepKind};
use release_core::run::{
    Driver, Event, EventKind, Observer, Outcome, Run, RunStatus, ScriptedExecutor, VirtualClock,
    journal,
};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap()
}

fn pipeline() -> Pipeline {
    Pipeline::builder()
        .step(Step::new("build", StepKind::Build).estimate("3m..4m".parse().unwrap()))
        .step(
            Step::new("unit", StepKind::Test)
                .needs(["build"])
                .max_attempts(2),
        )
        .step(
            Step::new("lint", StepKind::Test)
                .needs(["build"])
                .requirement(Requirement::Skippable),
        )
        .step(Step::new("deploy", StepKind::Deploy).needs(["unit", "lint"]))
        .step(Step::new("notify", StepKind::Notify).needs(["deploy"]))
        .build()
        .unwrap()
}

fn executor() -> ScriptedExecutor {
    ScriptedExecutor::new().script("unit", [Outcome::failure("flaky")])
}

/// An observer that, once it has seen `after` events, hands the driver one
/// event "recorded by someone else".
struct Injector {
    after: usize,
    seen: usize,
    inject: Option<EventKind>,
    injected_at: Option<usize>,
}

impl Observer for Injector {
    fn event(&mut self, _: &Event, _: &Run) -> release_core::Result<()> {
        self.seen += 1;
        Ok(())
    }

    fn incoming(&mut self, run: &Run) -> release_core::Result<Vec<Event>> {
        if self.seen < self.after {
            return Ok(Vec::new());
        }
        let Some(kind) = self.inject.take() else {
            return Ok(Vec::new());
        };
        self.injected_at = Some(run.journal().len());
        // Another writer's clock, a minute ahead of the run's.
        let at = run.journal().last().map_or(t0(), |e| e.at) + chrono::TimeDelta::minutes(1);
        Ok(vec![Event::new(at, kind)])
    }
}

fn drive(after: usize, inject: EventKind) -> (Run, Option<usize>) {
    let mut run = Run::new(pipeline());
    let mut observer = Injector {
        after,
        seen: 0,
        inject: Some(inject),
        injected_at: None,
    };
    Driver::parallel(2)
        .drive_observed(
            &mut run,
            &mut executor(),
            &mut VirtualClock::new(t0()),
            &mut observer,
        )
        .unwrap();
    assert_eq!(observer.seen, run.journal().len(), "every event observed");
    (run, observer.injected_at)
}

fn replays(run: &Run) {
    let text = journal::encode_all(run.journal()).unwrap();
    let decoded = journal::decode(&text).unwrap();
    let again = Run::replay(pipeline(), decoded.events).unwrap();
    assert_eq!(&again, run);
    let times: Vec<_> = run.journal().iter().map(|e| e.at).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "times in order");
}

fn cancel() -> EventKind {
    EventKind::Cancelled {
        task: None,
        by: Some(Identity::new("ops").unwrap()),
        reason: Some("stop".into()),
    }
}

#[test]
fn a_cancel_after_any_event_stops_the_run_and_the_journal_replays() {
    let mut plain = Run::new(pipeline());
    Driver::parallel(2)
        .drive(&mut plain, &mut executor(), &mut VirtualClock::new(t0()))
        .unwrap();
    let n = plain.journal().len();
    assert!(n >= 8, "a run with several events: {n}");
    for k in 0..=n {
        let (run, at) = drive(k, cancel());
        let at = at.unwrap_or_else(|| panic!("the cancel after event {k} was asked for"));
        replays(&run);
        assert_eq!(run.status(), RunStatus::Cancelled, "cancel after event {k}");
        assert!(matches!(
            run.journal()[at].kind,
            EventKind::Cancelled { .. }
        ));
        for e in &run.journal()[at + 1..] {
            assert!(
                !matches!(
                    e.kind,
                    EventKind::Started { .. }
                        | EventKind::Succeeded { .. }
                        | EventKind::Failed { .. }
                ),
                "cancel after event {k}: {e} recorded after it"
            );
        }
    }
}

#[test]
fn a_skip_recorded_by_another_writer_is_honoured() {
    let skip = EventKind::Skipped {
        task: "lint".into(),
        by: Identity::new("ops").unwrap(),
        reason: "not today".into(),
    };
    // After build started: lint is pending, then skipped, never started.
    let (run, at) = drive(1, skip);
    assert!(at.is_some());
    replays(&run);
    assert_eq!(run.status(), RunStatus::Succeeded);
    assert_eq!(run.state_of("lint").unwrap().as_str(), "skipped");
    assert!(
        !run.journal()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Started { task, .. } if task == "lint"))
    );
}

#[test]
fn a_waiver_recorded_by_another_writer_is_honoured() {
    let waive = EventKind::Waived {
        task: Some("unit".into()),
        gate: None,
        by: Identity::new("ops").unwrap(),
        reason: "known flaky".into(),
    };
    let (run, at) = drive(1, waive);
    assert!(at.is_some());
    replays(&run);
    assert_eq!(run.state_of("unit").unwrap().as_str(), "waived");
    assert!(
        !run.journal()
            .iter()
            .any(|e| matches!(&e.kind, EventKind::Started { task, .. } if task == "unit"))
    );
}
