//! `release run` run as a binary: the shell executor, the journal, resume,
//! dry runs, and a run killed with SIGKILL at random points and resumed
//! until it finishes. Outputs are pinned with `--now` (a fixed clock).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};

use insta::assert_snapshot;
use release_core::run::{EventKind, journal};

mod support;
use support::{release_in, scratch};

const NOW: &str = "2026-03-03T12:00:00Z";

/// Each step appends its id to `markers`, then does what its name says.
const BRANCHES: &str = r#"
name = "branches"
[[steps]]
id = "build"
kind = "build"
command = ["sh", "-c", "echo $RELEASE_TASK >> markers"]
[[steps]]
id = "test"
kind = "test"
needs = ["build"]
command = ["sh", "-c", "echo $RELEASE_TASK >> markers; exit 3"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["test"]
command = ["sh", "-c", "echo $RELEASE_TASK >> markers"]
[[steps]]
id = "docs"
kind = "custom"
command = ["sh", "-c", "echo $RELEASE_TASK >> markers"]
"#;

fn markers(dir: &Path) -> Vec<String> {
    std::fs::read_to_string(dir.join("markers"))
        .unwrap_or_default()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn events(dir: &Path, name: &str) -> Vec<release_core::run::Event> {
    let text = std::fs::read_to_string(dir.join(name)).expect("the journal exists");
    let decoded = journal::decode(&text).expect("the journal decodes");
    assert_eq!(decoded.torn_tail, None);
    decoded.events
}

#[test]
fn the_smoke_example_succeeds_with_an_explicit_environment() {
    let smoke = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/pipelines/smoke.toml"
    );
    let dir = scratch("run-smoke", &[]);
    let output = release_in(&dir, &["run", smoke, "--journal", "j.jsonl", "--now", NOW]);
    assert_snapshot!(output, @r#"
        exit 0
        --- stdout
        run succeeded: 4 succeeded
          build-backend   succeeded
          build-frontend  succeeded
          test            succeeded
          notify          succeeded
        --- stderr
        [12:00:00] build-backend started
        [12:00:00] build-backend succeeded in 0.0s
        [12:00:00] build-frontend started
        [12:00:00] build-frontend succeeded in 0.0s
        [12:00:00] test started
        [12:00:00] test succeeded in 0.0s
        [12:00:00] notify started
        [12:00:00] notify succeeded in 0.0s
        "#);
    let names: Vec<&str> = events(&dir, "j.jsonl")
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(names.len(), 8);
}

#[test]
fn a_failing_step_blocks_only_downstream() {
    let dir = scratch("run-fail", &[("p.toml", BRANCHES)]);
    let output = release_in(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--now", NOW],
    );
    assert_snapshot!(output, @r#"
        exit 1
        --- stdout
        run failed: 1 failed, 1 pending, 2 succeeded
          build   succeeded
          test    failed     sh exited with code 3
          deploy  pending    needs "test", which failed
          docs    succeeded
        --- stderr
        [12:00:00] build started
        [12:00:00] build succeeded in 0.0s
        [12:00:00] test started
        [12:00:00] test failed in 0.0s: sh exited with code 3
        [12:00:00] docs started
        [12:00:00] docs succeeded in 0.0s
        "#);
    assert_eq!(markers(&dir), ["build", "test", "docs"]);
}

#[test]
fn json_summary() {
    let dir = scratch("run-json", &[("p.toml", BRANCHES)]);
    let output = release_in(&dir, &["--json", "run", "p.toml", "--now", NOW]);
    assert_snapshot!(output, @r#"
exit 1
--- stdout
{
  "format_version": 1,
  "status": "failed",
  "dry_run": false,
  "journal": null,
  "tasks": [
    {
      "id": "build",
      "state": "succeeded",
      "attempts": 1
    },
    {
      "id": "test",
      "state": "failed",
      "attempts": 1,
      "message": "sh exited with code 3"
    },
    {
      "id": "deploy",
      "state": "pending",
      "attempts": 0
    },
    {
      "id": "docs",
      "state": "succeeded",
      "attempts": 1
    }
  ],
  "blocked": [
    {
      "task": "deploy",
      "state": "pending",
      "reasons": [
        {
          "reason": "needs",
          "task": "test",
          "state": "failed"
        }
      ]
    }
  ]
}
--- stderr
[12:00:00] build started
[12:00:00] build succeeded in 0.0s
[12:00:00] test started
[12:00:00] test failed in 0.0s: sh exited with code 3
[12:00:00] docs started
[12:00:00] docs succeeded in 0.0s
"#);
}

#[test]
fn resume_after_a_failure_runs_no_succeeded_step_again() {
    let dir = scratch("run-resume", &[("p.toml", BRANCHES)]);
    let first = release_in(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--now", NOW],
    );
    assert!(first.starts_with("exit 1\n"), "{first}");
    let before = events(&dir, "j.jsonl").len();
    let again = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(again, @r#"
        exit 1
        --- stdout
        run failed: 1 failed, 1 pending, 2 succeeded
          build   succeeded
          test    failed     sh exited with code 3
          deploy  pending    needs "test", which failed
          docs    succeeded
        "#);
    assert_eq!(markers(&dir), ["build", "test", "docs"]);
    assert_eq!(events(&dir, "j.jsonl").len(), before);
}

/// `--retry-failed`: after fixing the cause, the failed step runs again and
/// the step it blocked follows; succeeded steps still never run again.
#[test]
fn retry_failed_after_a_fix() {
    const FLAKY: &str = r#"
name = "fixable"
[[steps]]
id = "build"
kind = "build"
command = ["sh", "-c", "echo $RELEASE_TASK >> markers"]
[[steps]]
id = "test"
kind = "test"
needs = ["build"]
command = ["sh", "-c", "echo $RELEASE_TASK >> markers; test -f fixed"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["test"]
command = ["sh", "-c", "echo $RELEASE_TASK >> markers"]
"#;
    let dir = scratch("run-retry", &[("p.toml", FLAKY)]);
    let first = release_in(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--now", NOW],
    );
    assert!(first.starts_with("exit 1\n"), "{first}");
    std::fs::write(dir.join("fixed"), "").unwrap();
    let again = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--retry-failed",
            "--now",
            NOW,
        ],
    );
    assert!(again.starts_with("exit 0\n"), "{again}");
    assert_eq!(markers(&dir), ["build", "test", "test", "deploy"]);
    let journal = events(&dir, "j.jsonl");
    assert!(
        journal.iter().any(|e| e.kind.name() == "retried"),
        "{journal:?}"
    );
}

#[test]
fn a_used_journal_needs_resume() {
    let dir = scratch("run-used", &[("p.toml", BRANCHES)]);
    release_in(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--now", NOW],
    );
    let output = release_in(
        &dir,
        &["run", "p.toml", "--journal", "j.jsonl", "--now", NOW],
    );
    assert_snapshot!(output, @r#"
        exit 2
        --- stderr
        error: journal j.jsonl already holds a run: pass --resume to continue it, or choose another --journal
        "#);
}

#[test]
fn dry_run_executes_nothing() {
    let dir = scratch("run-dry", &[("p.toml", BRANCHES)]);
    let output = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--dry-run",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(output, @r#"
        exit 0
        --- stdout
        dry run succeeded: 4 succeeded
          build   succeeded  would run ["sh", "-c", "echo $RELEASE_TASK >> markers"]
          test    succeeded  would run ["sh", "-c", "echo $RELEASE_TASK >> markers; exit 3"]
          deploy  succeeded  would run ["sh", "-c", "echo $RELEASE_TASK >> markers"]
          docs    succeeded  would run ["sh", "-c", "echo $RELEASE_TASK >> markers"]
        --- stderr
        [12:00:00] build started
        [12:00:00] build succeeded in 0.0s: dry run
        [12:00:00] test started
        [12:00:00] test succeeded in 0.0s: dry run
        [12:00:00] deploy started
        [12:00:00] deploy succeeded in 0.0s: dry run
        [12:00:00] docs started
        [12:00:00] docs succeeded in 0.0s: dry run
        "#);
    assert!(markers(&dir).is_empty());
    assert!(!dir.join("j.jsonl").exists());
}

#[test]
fn the_fragalysis_dry_run_takes_its_estimates() {
    let fragalysis = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/pipelines/fragalysis-production.toml"
    );
    let dir = scratch("run-fragalysis", &[]);
    let output = release_in(
        &dir,
        &[
            "run",
            fragalysis,
            "--dry-run",
            "--now",
            "2023-06-20T09:00:00Z",
        ],
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
dry run succeeded: 7 succeeded
  tag-backend   succeeded  would run ["gh", "release", "create", "--repo", "xchem/fragalysis-backend"]
  tag-frontend  succeeded  no command
  pin-stack     succeeded  no command
  tag-stack     succeeded  no command
  deploy-stack  succeeded  no command
  verify        succeeded  approved by dry-run
  ticket        succeeded  no command
--- stderr
[09:00:00] requested by dry-run.requester
[09:00:00] tag-backend started
[09:04:00] tag-backend succeeded in 4m00s: dry run
[09:04:00] tag-frontend started
[09:10:00] tag-frontend succeeded in 6m00s: dry run
[09:10:00] pin-stack started
[09:10:00] pin-stack succeeded in 0.0s: dry run
[09:10:00] tag-stack started
[09:10:00] tag-stack succeeded in 0.0s: dry run
[09:10:00] waived gate "production-tag" deploy-stack by dry-run: dry run: assumed to pass
[09:10:00] waived gate "pins" deploy-stack by dry-run: dry run: assumed to pass
[09:10:00] deploy-stack started
[09:25:00] deploy-stack succeeded in 15m00s: dry run
[09:25:00] approved verify by dry-run
[09:25:00] ticket started
[09:25:00] ticket succeeded in 0.0s: dry run
"#);
}

#[test]
fn a_command_that_cannot_start_fails_its_step() {
    let text = r#"
[[steps]]
id = "missing"
kind = "custom"
command = ["release-cli-test-no-such-program"]
[[steps]]
id = "bare"
kind = "custom"
"#;
    let dir = scratch("run-missing", &[("p.toml", text)]);
    let output = release_in(&dir, &["run", "p.toml", "--now", NOW]);
    assert_snapshot!(output, @r#"
        exit 1
        --- stdout
        run failed: 2 failed
          missing  failed     cannot run "release-cli-test-no-such-program": No such file or directory (os error 2)
          bare     failed     no command to run (give the step a `command`, or make it manual)
        --- stderr
        [12:00:00] missing started
        [12:00:00] missing failed in 0.0s: cannot run "release-cli-test-no-such-program": No such file or directory (os error 2)
        [12:00:00] bare started
        [12:00:00] bare failed in 0.0s: no command to run (give the step a `command`, or make it manual)
        "#);
}

#[test]
fn the_environment_is_explicit() {
    let text = r#"
[[steps]]
id = "env"
kind = "custom"
command = ["sh", "-c", "env | sort > env.txt"]
metadata = { env = { TARGET = "staging" } }
"#;
    let dir = scratch("run-env", &[("p.toml", text)]);
    let output = Command::new(env!("CARGO_BIN_EXE_release"))
        .args(["run", "p.toml", "--now", NOW])
        .current_dir(&dir)
        .env("SECRET_TOKEN", "do-not-leak")
        .output()
        .expect("the release binary runs");
    assert_eq!(output.status.code(), Some(0));
    let env = std::fs::read_to_string(dir.join("env.txt")).expect("env.txt");
    let names: Vec<&str> = env
        .lines()
        .filter_map(|l| l.split_once('=').map(|(k, _)| k))
        .filter(|k| !["PWD", "SHLVL", "_", "OLDPWD"].contains(k))
        .collect();
    // The task's context: the release's name and day, the step.
    let mut expected = vec![
        "PATH",
        "RELEASE_ATTEMPT",
        "RELEASE_DAY",
        "RELEASE_NAME",
        "RELEASE_OUTPUT",
        "RELEASE_RUN_PID",
        "RELEASE_STEP",
        "RELEASE_TASK",
        "TARGET",
    ];
    if std::env::var_os("HOME").is_some() {
        expected.insert(0, "HOME");
    }
    assert_eq!(names, expected);
    assert!(env.contains("TARGET=staging\n"));
    assert!(env.contains("RELEASE_TASK=env\n"));
}

#[test]
fn bad_metadata_env_is_bad_input() {
    let text = r#"
[[steps]]
id = "env"
kind = "custom"
command = ["true"]
metadata = { env = { N = 3 } }
"#;
    let dir = scratch("run-bad-env", &[("p.toml", text)]);
    let output = release_in(&dir, &["run", "p.toml", "--now", NOW]);
    assert_snapshot!(output, @r#"
        exit 2
        --- stderr
        error: p.toml:6:26: steps[0] ("env"): metadata.env.N must be a string, not 3
          |
        6 | metadata = { env = { N = 3 } }
          |                          ^
        "#);
}

/// The crash-resume test, deterministic: chosen steps SIGKILL their own
/// `release run` (its pid is `RELEASE_RUN_PID`) once, right after writing
/// their marker, and the run is resumed until it finishes. A succeeded
/// step never runs again, every attempt ends in a success or an
/// interruption the journal shows, and each killed step ran exactly twice.
/// (The random SIGKILL harness is `scripts/kill-trials.py`, a script: random
/// timing on a loaded machine makes flaky tests.)
#[test]
fn killed_at_chosen_steps_and_resumed_until_done() {
    let mut text = String::from("name = \"crash\"\n");
    let steps: [(&str, &[&str]); 6] = [
        ("s1", &[]),
        ("s2", &["s1"]),
        ("s3", &["s1"]),
        ("s4", &["s2", "s3"]),
        ("s5", &["s4"]),
        ("s6", &[]),
    ];
    for (id, needs) in steps {
        let needs: Vec<String> = needs.iter().map(|n| format!("{n:?}")).collect();
        text.push_str(&format!(
            "[[steps]]\nid = \"{id}\"\nkind = \"custom\"\nneeds = [{}]\n\
             command = [\"sh\", \"-c\", \"echo $RELEASE_TASK >> markers; \
             if [ -e kill-$RELEASE_TASK ]; then rm kill-$RELEASE_TASK; kill -KILL $RELEASE_RUN_PID; exec sleep 5; fi\"]\n",
            needs.join(", ")
        ));
    }
    let killed = ["s1", "s4", "s6"];
    let mut files = vec![("p.toml", text.as_str())];
    let names: Vec<String> = killed.iter().map(|k| format!("kill-{k}")).collect();
    files.extend(names.iter().map(|n| (n.as_str(), "")));
    let dir = scratch("run-crash", &files);
    let mut kills = 0;
    let mut finished = false;
    for round in 0..10 {
        let status = Command::new(env!("CARGO_BIN_EXE_release"))
            .args(["run", "p.toml", "--journal", "j.jsonl", "--resume"])
            .current_dir(&dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("the release binary runs");
        match status.code() {
            Some(0) => {
                finished = true;
                break;
            }
            code => {
                use std::os::unix::process::ExitStatusExt;
                assert_eq!(status.signal(), Some(9), "round {round}: exit {code:?}");
                kills += 1;
            }
        }
        // The journal stays readable after every kill.
        let text = std::fs::read_to_string(dir.join("j.jsonl")).expect("the journal");
        journal::decode(&text).expect("the journal decodes after a kill");
    }
    assert!(finished, "the run finished");
    assert_eq!(kills, killed.len());

    let events = events(&dir, "j.jsonl");
    let mut started: BTreeMap<String, usize> = BTreeMap::new();
    let mut interrupted: BTreeMap<String, usize> = BTreeMap::new();
    let mut succeeded: BTreeMap<String, usize> = BTreeMap::new();
    for e in &events {
        match &e.kind {
            EventKind::Started { task, process } => {
                assert!(
                    !succeeded.contains_key(task),
                    "{task} started again after its success reached the journal"
                );
                assert!(process.is_some(), "{task}: the started event has its pid");
                *started.entry(task.clone()).or_default() += 1;
            }
            EventKind::Interrupted { task } => *interrupted.entry(task.clone()).or_default() += 1,
            EventKind::Succeeded { task, .. } => *succeeded.entry(task.clone()).or_default() += 1,
            EventKind::Failed { task, message } => panic!("{task} failed: {message}"),
            _ => {}
        }
    }
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for m in markers(&dir) {
        *counted.entry(m).or_default() += 1;
    }
    for (id, _) in steps {
        let s = succeeded.get(id).copied().unwrap_or(0);
        let i = interrupted.get(id).copied().unwrap_or(0);
        let a = started.get(id).copied().unwrap_or(0);
        let m = counted.get(id).copied().unwrap_or(0);
        assert_eq!(s, 1, "{id} succeeded once");
        assert_eq!(
            a,
            s + i,
            "{id}: started {a}, succeeded {s}, interrupted {i}"
        );
        // One marker per attempt: no copy ran beside another.
        assert_eq!(m, s + i, "{id}: {m} markers, {s} + {i} attempts");
    }
    // One step at a time, so each kill interrupts the step that killed.
    let expected: BTreeMap<String, usize> = killed.iter().map(|k| (k.to_string(), 1)).collect();
    assert_eq!(interrupted, expected);
}

/// A crash in the middle of an append leaves a torn last line: resuming
/// cuts it, marks the started step interrupted and runs it again.
#[test]
fn resume_repairs_a_torn_journal() {
    let text = r#"
[[steps]]
id = "a"
kind = "build"
command = ["true"]
[[steps]]
id = "b"
kind = "build"
needs = ["a"]
command = ["true"]
"#;
    let torn =
        "{\"at\":\"2026-03-03T11:59:00Z\",\"event\":\"started\",\"task\":\"a\"}\n{\"at\":\"2026-03";
    let dir = scratch("run-torn", &[("p.toml", text), ("j.jsonl", torn)]);
    // In format 2 (migrating cuts the torn line: it is torn again after).
    assert!(release_in(&dir, &["migrate", "j.jsonl"]).starts_with("exit 0"));
    let mut again = std::fs::read(dir.join("j.jsonl")).unwrap();
    again.extend_from_slice(b"{\"at\":\"2026-03");
    std::fs::write(dir.join("j.jsonl"), again).unwrap();
    let output = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(output, @r#"
        exit 0
        --- stdout
        run succeeded: 2 succeeded
          a  succeeded
          b  succeeded
        --- stderr
        [12:00:00] a interrupted (started but never finished); it runs again
        [12:00:00] a started
        [12:00:00] a succeeded in 0.0s
        [12:00:00] b started
        [12:00:00] b succeeded in 0.0s
        "#);
    let names: Vec<&str> = events(&dir, "j.jsonl")
        .iter()
        .map(|e| e.kind.name())
        .collect();
    assert_eq!(
        names,
        [
            "started",
            "interrupted",
            "started",
            "succeeded",
            "started",
            "succeeded"
        ]
    );
}
