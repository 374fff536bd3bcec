//! Driving a run on a virtual clock while the calendar answers: a gate
//! that fails for a reason time cannot fix ends the drive, even when it
//! also reads a calendar fact that expires (issue 13).

use chrono::{DateTime, TimeZone, Utc};
use release_core::Error;
use release_core::gate::{Fact, FactKind, FactValue, Status};
use release_core::process::Process;
use release_core::run::{
    Driver, Event, EventKind, Observer, Outcome, Run, RunStatus, VirtualClock,
};

const PROCESS: &str = r#"
name = "windowed"

[[components]]
name = "app"
tags = { scheme = { kind = "semver" } }

[[windows]]
name = "deploys"
kind = "allow"
zone = "UTC"
span = { repeat = "weekly", start_day = "MO", start = "09:00:00", end_day = "MO", end = "17:00:00" }

[[steps]]
id = "ship"
kind = "build"
command = ["true"]
gates = [{ name = "tested, in hours", rule = { all = [{ test = "e2e" }, { in_window = "deploys" }] } }]
"#;

/// Gives the calendar's answers as a `release run` does, and stops the
/// drive with an error after `limit` events instead of looping forever.
struct Calendar<'a> {
    process: &'a Process,
    seen: usize,
    limit: usize,
}

/// Why a drive stopped early.
#[derive(Debug)]
// The fields are read by `Debug`, in the failure message.
#[allow(dead_code)]
enum Stop {
    Core(Error),
    Endless(usize),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Core(e)
    }
}

impl Observer<Stop> for Calendar<'_> {
    fn event(&mut self, _: &Event, _: &Run) -> Result<(), Stop> {
        self.seen += 1;
        if self.seen > self.limit {
            return Err(Stop::Endless(self.limit));
        }
        Ok(())
    }

    fn known(&mut self, run: &Run, at: DateTime<Utc>) -> Result<Vec<Event>, Stop> {
        Ok(self.process.calendar_events(run, at))
    }
}

fn drive(process: &Process, test_passed: bool, start: DateTime<Utc>) -> (RunStatus, Run) {
    let mut run = Run::new(process.pipeline().clone());
    let result = Fact::new(
        FactKind::Test,
        "e2e",
        FactValue::Bool(test_passed),
        "ci",
        start,
    );
    process
        .apply(&mut run, Event::new(start, EventKind::fact(result)))
        .unwrap();
    let mut observer = Calendar {
        process,
        seen: 0,
        limit: 500,
    };
    let mut clock = VirtualClock::new(start);
    let mut executor = |_: &release_core::run::Task<'_>| Outcome::success();
    let report = Driver::sequential()
        .drive_observed(&mut run, &mut executor, &mut clock, &mut observer)
        .unwrap();
    (report.status, run)
}

#[test]
fn a_failed_test_behind_an_expiring_window_needs_input_instead_of_waiting_forever() {
    let process = Process::from_toml("release.toml", PROCESS).unwrap();
    // Monday 10:00: the window is open (its answer expires at 17:00), the
    // test failed; no passage of time makes the gate pass.
    let monday = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    let (status, run) = drive(&process, false, monday);
    assert_eq!(status, RunStatus::NeedsInput);
    let ship = run.pipeline().lookup("ship").unwrap();
    let verdict = run.verdict(ship, monday);
    assert_eq!(verdict.status, Status::Failed);
    assert_eq!(verdict.next_change, None);
}

#[test]
fn a_passed_test_outside_the_window_waits_for_it_to_open() {
    let process = Process::from_toml("release.toml", PROCESS).unwrap();
    // Sunday: the window is closed; time opens it, and the step runs.
    let sunday = Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
    let (status, run) = drive(&process, true, sunday);
    assert_eq!(status, RunStatus::Succeeded);
    let ship = run.pipeline().lookup("ship").unwrap();
    assert_eq!(run.state(ship).as_str(), "succeeded");
}
