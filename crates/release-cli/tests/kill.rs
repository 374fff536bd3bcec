//! Ending steps: a stopped run (SIGTERM) ends its steps' process groups, a
//! SIGKILLed run's step dies by its parent-death signal (Linux), a resume
//! refuses while a previous step process runs, and a timeout ends a step
//! that ignores SIGTERM.
//!
//! Every kill is deterministic: the step itself signals its run, whose pid
//! it finds in `RELEASE_RUN_PID`, at a chosen point. Where a test checks
//! that a process is gone, it waits for that (a bounded wait for an event
//! that must come), never for a guessed time.
#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use release_core::run::{EventKind, journal};

mod support;
use support::scratch;

fn release(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_release"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the release binary runs")
}

fn events(dir: &Path) -> Vec<release_core::run::Event> {
    let text = std::fs::read_to_string(dir.join("j.jsonl")).expect("the journal");
    journal::decode(&text).expect("the journal decodes").events
}

/// The pid a step wrote to `file`, waiting (bounded) for the file.
fn pid_in(dir: &Path, file: &str) -> u32 {
    let text = std::fs::read_to_string(dir.join(file)).expect("the step wrote its pid");
    text.trim().parse().expect("a pid")
}

/// Whether `pid` is gone or a zombie (it can run no more code).
fn dead(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => {
            let state = stat[stat.rfind(')').expect("a stat line") + 1..]
                .split_whitespace()
                .next()
                .unwrap_or("");
            matches!(state, "Z" | "X" | "x")
        }
    }
}

/// Waits until `pid` is dead; false if it still runs after 10 s (it would
/// run for ever, or for 30 s, if the test's claim were wrong). A process
/// left running is killed, so a failing test leaves nothing behind.
fn dies(pid: u32) -> bool {
    let until = Instant::now() + Duration::from_secs(10);
    while Instant::now() < until {
        if dead(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = Command::new("kill")
        .args(["-KILL", &pid.to_string()])
        .status();
    false
}

const STOPPED: &str = r#"
name = "stopped"
[[steps]]
id = "deploy"
kind = "deploy"
command = ["sh", "step.sh"]
[[steps]]
id = "after"
kind = "notify"
needs = ["deploy"]
command = ["sh", "-c", "echo after >> marker"]
"#;

/// The step ignores SIGTERM and starts a child that ignores it too, which
/// would write `marker` once the run has gone: only SIGKILL to the whole
/// group stops it. Then the step sends SIGTERM to its run.
const STEP_SH: &str = r#"trap '' TERM
sh -c 'echo $$ > child.pid; while kill -0 "$RELEASE_RUN_PID" 2>/dev/null; do sleep 0.05; done; echo survived >> marker' &
while [ ! -s child.pid ]; do sleep 0.01; done
kill -TERM "$RELEASE_RUN_PID"
wait
"#;

#[test]
fn sigterm_ends_every_process_of_the_running_step_and_records_it_interrupted() {
    let dir = scratch("kill-sigterm", &[("p.toml", STOPPED), ("step.sh", STEP_SH)]);
    let output = release(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--grace", "1s"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("stopped by SIGTERM: 1 running step(s) ended and recorded as interrupted"),
        "{stderr}"
    );
    // The child was in the step's group: SIGKILL reached it before the run
    // exited, so it never saw the run gone and never wrote the marker.
    assert!(
        dies(pid_in(&dir, "child.pid")),
        "the step's child outlived the run"
    );
    assert!(
        !dir.join("marker").exists(),
        "a step process outlived the run"
    );

    let kinds: Vec<String> = events(&dir)
        .iter()
        .map(|e| format!("{} {}", e.kind.name(), e.kind.task().unwrap_or("")))
        .collect();
    assert_eq!(kinds, ["started deploy", "interrupted deploy"]);

    // The resume runs the interrupted step again (it stops the run again),
    // and never a second copy beside the first.
    let output = release(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--grace",
            "0s",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(!dir.join("marker").exists());
}

#[test]
fn a_sigkilled_run_takes_its_step_with_it() {
    let text = r#"
[[steps]]
id = "deploy"
kind = "deploy"
command = ["sh", "-c", "echo $$ > step.pid; kill -KILL $RELEASE_RUN_PID; exec sleep 30"]
"#;
    let dir = scratch("kill-pdeathsig", &[("p.toml", text)]);
    let output = release(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(output.status.signal(), Some(9));
    let pid = pid_in(&dir, "step.pid");
    // Without the parent-death signal, `sleep 30` would go on as an orphan.
    assert!(dies(pid), "the step outlived its SIGKILLed run");
    // The journal recorded the step's process: the command's pid.
    let events = events(&dir);
    match &events[0].kind {
        EventKind::Started { process, .. } => {
            let process = process.expect("the started event has the process");
            assert_eq!(process.pid, pid);
            assert!(process.start_ticks.is_some());
        }
        other => panic!("first event {other:?}"),
    }
}

#[test]
fn a_resume_refuses_while_the_previous_steps_process_group_runs() {
    // The first attempt leaves a child in its group (`sleep 30 &`, which
    // the parent-death signal of its shell does not reach) and kills the
    // run.
    let text = r#"
[[steps]]
id = "deploy"
kind = "deploy"
command = ["sh", "-c", "echo ran >> markers; if [ -e once ]; then rm once; sleep 30 >/dev/null 2>&1 & echo $! > bg.pid; kill -KILL $RELEASE_RUN_PID; wait; fi"]
"#;
    let dir = scratch("kill-resume", &[("p.toml", text), ("once", "")]);
    let output = release(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(output.status.signal(), Some(9));
    let bg = pid_in(&dir, "bg.pid");

    let output = release(&dir, &["run", "p.toml", "--journal", "j.jsonl", "--resume"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "step \"deploy\" was started by an earlier `release run` and process {bg} of its process group"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("is still running"), "{stderr}");
    // Nothing was started again, nothing was written.
    let markers = std::fs::read_to_string(dir.join("markers")).expect("markers");
    assert_eq!(markers, "ran\n");
    assert_eq!(events(&dir).len(), 1);

    // Once it is gone, the resume runs the step again.
    Command::new("kill")
        .args(["-KILL", &bg.to_string()])
        .status()
        .expect("kill runs");
    assert!(dies(bg));
    let output = release(&dir, &["run", "p.toml", "--journal", "j.jsonl", "--resume"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let markers = std::fs::read_to_string(dir.join("markers")).expect("markers");
    assert_eq!(markers, "ran\nran\n");
}

#[test]
fn a_timeout_kills_a_step_that_ignores_sigterm_and_says_why() {
    let text = r#"
[[steps]]
id = "hang"
kind = "test"
timeout = "1s"
command = ["sh", "-c", "trap '' TERM; echo $$ > step.pid; sleep 20; echo survived >> marker"]
[[steps]]
id = "quits"
kind = "test"
timeout = "1s"
command = ["sleep", "20"]
"#;
    let dir = scratch("kill-timeout", &[("p.toml", text)]);
    let started = Instant::now();
    let output = release(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--parallel",
            "2",
            "--grace",
            "1s",
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    // Well before the 20 s sleeps would end.
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(dies(pid_in(&dir, "step.pid")));
    assert!(!dir.join("marker").exists());
    let mut failures: Vec<(String, String)> = events(&dir)
        .into_iter()
        .filter_map(|e| match e.kind {
            EventKind::Failed { task, message } => Some((task, message)),
            _ => None,
        })
        .collect();
    failures.sort();
    assert_eq!(
        failures,
        [
            (
                "hang".to_owned(),
                "timed out after 1s; killed with SIGKILL after a grace period of 1s".to_owned()
            ),
            (
                "quits".to_owned(),
                "timed out after 1s; sleep ended after SIGTERM (ended by signal: 15 (SIGTERM))"
                    .to_owned()
            ),
        ]
    );
}

#[test]
fn sigterm_stops_a_run_that_waits_for_a_wait_step() {
    // The wait step would keep the run sleeping until 2099; the other step
    // sends SIGTERM to the run.
    let text = r#"
[[steps]]
id = "soak"
kind = "wait"
wait = { until = "2099-01-01T00:00:00Z" }
[[steps]]
id = "signal"
kind = "notify"
command = ["sh", "-c", "kill -TERM $RELEASE_RUN_PID"]
"#;
    let dir = scratch("kill-idle", &[("p.toml", text)]);
    let started = Instant::now();
    let output = release(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--grace", "1s"],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stopped by SIGTERM"), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
    // The journal replays: the wait step is still waiting, for a resume.
    let last = events(&dir).pop().expect("events");
    assert_ne!(last.kind.name(), "started");
}
