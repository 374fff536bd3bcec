//! `release approve`, `waive`, `skip`, `cancel` and `fact` run as a binary:
//! each records one event in a run's journal, only after the run accepted
//! it; a refused event leaves the journal byte for byte as it was. Outputs
//! are pinned with `--now`.

use std::path::Path;

use insta::assert_snapshot;

mod support;
use support::{release_in, scratch};

const NOW: &str = "2026-03-03T12:00:00Z";
const LATER: &str = "2026-03-03T12:30:00Z";

/// A build, a manual sign-off, then a deploy gated on a count of open
/// blockers, and docs, which may be skipped.
const MANUAL: &str = r#"
name = "manual"
[[steps]]
id = "build"
kind = "build"
command = ["true"]
[[steps]]
id = "sign-off"
kind = "approve"
needs = ["build"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["sign-off"]
command = ["true"]
gates = [{ name = "no blockers", rule = { count = { name = "open_blockers", at_most = 0 } } }]
[[steps]]
id = "docs"
kind = "custom"
requirement = "skippable"
needs = ["sign-off"]
command = ["true"]
"#;

fn journal(dir: &Path) -> Vec<u8> {
    std::fs::read(dir.join("j.jsonl")).unwrap_or_default()
}

/// A format-2 journal's events without their envelope (`recorded_by`,
/// `prev`, the last fields of a line) and without the header: the events
/// as format 1 wrote them.
fn without_envelope(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("{\"journal\":"))
        .map(|l| match l.find(",\"recorded_by\":") {
            Some(i) => format!("{}}}\n", &l[..i]),
            None => format!("{l}\n"),
        })
        .collect()
}

fn ecr() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ecr-viewer/release.toml"
    )
    .to_owned()
}

#[test]
fn a_run_stopped_for_an_approval_finishes_after_release_approve() {
    let dir = scratch("record-approve", &[("p.toml", MANUAL)]);
    let first = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
            "--requested-by",
            "lead",
        ],
    );
    assert_snapshot!(first, @r#"
        exit 1
        --- stdout
        run needs_input: 2 pending, 1 ready, 1 succeeded
          build     succeeded
          sign-off  ready      awaiting approval
          deploy    pending    needs "sign-off" (ready)
          docs      pending    needs "sign-off" (ready)
        --- stderr
        [12:00:00] requested by lead
        [12:00:00] build started
        [12:00:00] build succeeded in 0.0s
        "#);

    let approve = release_in(
        &dir,
        &[
            "approve",
            "p.toml",
            "sign-off",
            "--journal",
            "j.jsonl",
            "--by",
            "alice",
            "--now",
            LATER,
        ],
    );
    assert_snapshot!(approve, @r#"
        exit 0
        --- stdout
        approved "sign-off" by alice at 2026-03-03T12:30:00Z
        run in_progress: 1 pending, 1 ready, 2 succeeded
          ready: docs
          blocked: deploy: gates pending; no blockers: count "open_blockers" <= 0: missing fact count "open_blockers"
        "#);

    let fact = release_in(
        &dir,
        &[
            "fact",
            "p.toml",
            "count",
            "open_blockers",
            "0",
            "--source",
            "jira",
            "--journal",
            "j.jsonl",
            "--now",
            LATER,
        ],
    );
    assert_snapshot!(fact, @r#"
        exit 0
        --- stdout
        recorded count "open_blockers" = 0 (from jira at 2026-03-03T12:30:00Z)
        run in_progress: 2 ready, 2 succeeded
          ready: deploy, docs
        "#);

    let resumed = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--now",
            LATER,
        ],
    );
    assert_snapshot!(resumed, @r"
        exit 0
        --- stdout
        run succeeded: 4 succeeded
          build     succeeded
          sign-off  succeeded  approved by alice
          deploy    succeeded
          docs      succeeded
        --- stderr
        [12:30:00] deploy started
        [12:30:00] deploy succeeded in 0.0s
        [12:30:00] docs started
        [12:30:00] docs succeeded in 0.0s
        ");
    let text = String::from_utf8(journal(&dir)).expect("the journal is UTF-8");
    assert!(
        text.starts_with("{\"journal\":\"release-core\",\"format\":2}\n"),
        "{text}"
    );
    assert!(
        text.contains("\"by\":\"alice\",\"recorded_by\":{\"by\":\"alice\",\"via\":\"approve\"},\"prev\":\"sha256:"),
        "{text}"
    );
    assert!(
        text.contains("\"task\":\"deploy\",\"recorded_by\":{\"via\":\"run\"}"),
        "{text}"
    );
    let text = without_envelope(&text);
    // Each step's process (pid, start time) differs from run to run.
    let text: String = text
        .lines()
        .map(|line| match line.split_once(r#","process":{"#) {
            Some((head, tail)) => {
                let rest = tail.split_once('}').map_or("", |(_, r)| r);
                format!("{head},\"process\":{{..}}{rest}\n")
            }
            None => format!("{line}\n"),
        })
        .collect();
    assert_snapshot!(text, @r#"
        {"at":"2026-03-03T12:00:00Z","event":"requested","by":"lead"}
        {"at":"2026-03-03T12:00:00Z","event":"started","task":"build","process":{..}}
        {"at":"2026-03-03T12:00:00Z","event":"succeeded","task":"build"}
        {"at":"2026-03-03T12:30:00Z","event":"approved","task":"sign-off","by":"alice"}
        {"at":"2026-03-03T12:30:00Z","event":"fact","fact":{"kind":"count","subject":"open_blockers","value":0,"source":"jira","at":"2026-03-03T12:30:00Z"}}
        {"at":"2026-03-03T12:30:00Z","event":"started","task":"deploy","process":{..}}
        {"at":"2026-03-03T12:30:00Z","event":"succeeded","task":"deploy"}
        {"at":"2026-03-03T12:30:00Z","event":"started","task":"docs","process":{..}}
        {"at":"2026-03-03T12:30:00Z","event":"succeeded","task":"docs"}
        "#);
}

#[test]
fn refused_and_invalid_events_write_nothing() {
    let dir = scratch("record-refused", &[("p.toml", MANUAL)]);
    // Before the run: sign-off is not ready yet, and the journal does not
    // exist; it must not be created.
    let early = release_in(
        &dir,
        &[
            "approve",
            "p.toml",
            "sign-off",
            "--journal",
            "j.jsonl",
            "--by",
            "alice",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(early, @r#"
        exit 1
        --- stderr
        error: nothing recorded in j.jsonl: task "sign-off" is pending; only a ready task can be approved
        "#);
    assert!(!dir.join("j.jsonl").exists());

    let first = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
            "--requested-by",
            "lead",
        ],
    );
    assert!(first.starts_with("exit 1\n"), "{first}");
    // A torn last line (a crash during an append) is kept too: only an
    // accepted event repairs the file.
    let mut torn = journal(&dir);
    torn.extend_from_slice(b"{\"at\":\"2026-");
    std::fs::write(dir.join("j.jsonl"), &torn).expect("the journal is written");

    let cases: [&[&str]; 6] = [
        &["approve", "p.toml", "sign-of", "--by", "alice"],
        &["approve", "p.toml", "deploy", "--by", "alice"],
        &[
            "skip", "p.toml", "sign-off", "--by", "bob", "--reason", "late",
        ],
        &[
            "waive",
            "p.toml",
            "--gate",
            "no blocker",
            "--by",
            "bob",
            "--reason",
            "x",
        ],
        &["fact", "p.toml", "tests", "e2e", "true"],
        &["approve", "p.toml", "sign-off", "--by", " "],
    ];
    let mut outputs = String::new();
    for case in cases {
        let mut args = case.to_vec();
        args.extend(["--journal", "j.jsonl", "--now", NOW]);
        let shown: Vec<String> = case
            .iter()
            .map(|a| {
                if a.trim().is_empty() || a.contains(' ') {
                    format!("{a:?}")
                } else {
                    (*a).to_owned()
                }
            })
            .collect();
        outputs.push_str(&format!("$ release {}\n", shown.join(" ")));
        outputs.push_str(&release_in(&dir, &args));
        assert_eq!(journal(&dir), torn, "{case:?} changed the journal");
    }
    assert_snapshot!(outputs, @r#"
$ release approve p.toml sign-of --by alice
exit 2
--- stderr
error: nothing recorded in j.jsonl: unknown task "sign-of"
$ release approve p.toml deploy --by alice
exit 1
--- stderr
error: nothing recorded in j.jsonl: task "deploy" is automatic; only manual tasks are approved
$ release skip p.toml sign-off --by bob --reason late
exit 1
--- stderr
error: nothing recorded in j.jsonl: task "sign-off" is required; only skippable or advisory tasks can be skipped (waive it instead)
$ release waive p.toml --gate "no blocker" --by bob --reason x
exit 2
--- stderr
error: nothing recorded in j.jsonl: no task has a gate named "no blocker"
$ release fact p.toml tests e2e true
exit 2
--- stderr
error: invalid value 'tests' for '<KIND>'
  [possible values: test, count, approval, requester, calendar.holiday, calendar.window_open, calendar.milestone, deployed, tag, pin, output]

  tip: a similar value exists: 'test'

For more information, try '--help'.
$ release approve p.toml sign-off --by " "
exit 2
--- stderr
error: invalid value ' ' for '--by <ID>': identity " " is blank; name a person as a login such as "alice"

For more information, try '--help'.
"#);

    // An accepted event cuts the torn line and starts on a line of its own.
    let skip = release_in(
        &dir,
        &[
            "skip",
            "p.toml",
            "docs",
            "--journal",
            "j.jsonl",
            "--by",
            "bob",
            "--reason",
            "no docs change",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(skip, @r#"
        exit 0
        --- stdout
        skipped "docs" by bob at 2026-03-03T12:00:00Z: no docs change
        run needs_input: 1 pending, 1 ready, 1 skipped, 1 succeeded
          awaiting approval: sign-off
        "#);
    let text = String::from_utf8(journal(&dir)).expect("the journal is UTF-8");
    assert!(
        without_envelope(&text).ends_with("\"event\":\"skipped\",\"task\":\"docs\",\"by\":\"bob\",\"reason\":\"no docs change\"}\n"),
        "{text}"
    );
    assert!(!text.contains("{\"at\":\"2026-{"), "{text}");
}

#[test]
fn a_waived_matrix_cell_shows_in_explain() {
    let dir = scratch("record-waive", &[]);
    // The example journal up to its waiver, which is recorded here.
    let example = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ecr-viewer/journal.jsonl"
    ))
    .expect("the example journal is read");
    let lines: Vec<&str> = example.lines().filter(|l| !l.contains("waived")).collect();
    std::fs::write(dir.join("j.jsonl"), lines.join("\n") + "\n").expect("the journal is written");
    // Format 1, as the example is: migrated before anything is recorded.
    let migrated = release_in(&dir, &["migrate", "j.jsonl"]);
    assert!(migrated.starts_with("exit 0"), "{migrated}");
    let file = ecr();

    let before = release_in(
        &dir,
        &[
            "explain",
            &file,
            "final",
            "--journal",
            "j.jsonl",
            "--now",
            "2024-05-02T12:00:00Z",
        ],
    );
    assert!(before.starts_with("exit 1\n"), "{before}");

    let waive = release_in(
        &dir,
        &[
            "waive",
            &file,
            "test[gcp-non-integrated-core-sqlserver-vm]",
            "--journal",
            "j.jsonl",
            "--by",
            "devops-lead",
            "--reason",
            "no GCP customer on this release; tested next cycle",
            "--now",
            "2024-05-02T11:00:00Z",
        ],
    );
    assert_snapshot!(waive, @r#"
        exit 0
        --- stdout
        waived "test[gcp-non-integrated-core-sqlserver-vm]" by devops-lead at 2024-05-02T11:00:00Z: no GCP customer on this release; tested next cycle
        run in_progress: 1 pending, 1 ready, 10 succeeded, 1 waived
          ready: final
        "#);
    let explain = release_in(
        &dir,
        &[
            "explain",
            &file,
            "final",
            "--journal",
            "j.jsonl",
            "--now",
            "2024-05-02T12:00:00Z",
        ],
    );
    assert_snapshot!(explain, @r#"
        exit 0
        --- stdout
        step "final" (ready): ready
          passed  gate "all configurations": matrix "test" cell "test[aws-integrated]" (required): "test[aws-integrated]" passed (from run at 2024-05-02T10:00:00Z)
          passed  gate "all configurations": matrix "test" cell "test[azure-integrated]" (required): "test[azure-integrated]" passed (from run at 2024-05-02T10:00:00Z)
          passed  gate "all configurations": matrix "test" cell "test[aws-non-integrated-extended-sqlserver]" (required): "test[aws-non-integrated-extended-sqlserver]" passed (from run at 2024-05-02T10:00:00Z)
          passed  gate "all configurations": matrix "test" cell "test[azure-non-integrated-extended-sqlserver]" (required): "test[azure-non-integrated-extended-sqlserver]" passed (from run at 2024-05-02T10:00:00Z)
          waived  gate "all configurations": matrix "test" cell "test[gcp-non-integrated-core-sqlserver-vm]" (required): cell "test[gcp-non-integrated-core-sqlserver-vm]" waived by devops-lead at 2024-05-02T11:00:00Z: no GCP customer on this release; tested next cycle
        "#);
}

#[test]
fn a_recorded_fact_is_read_by_a_gate() {
    let dir = scratch("record-fact", &[("p.toml", MANUAL)]);
    let first = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
            "--requested-by",
            "lead",
        ],
    );
    assert!(first.starts_with("exit 1\n"), "{first}");
    let approve = release_in(
        &dir,
        &[
            "approve",
            "p.toml",
            "sign-off",
            "--journal",
            "j.jsonl",
            "--by",
            "alice",
            "--role",
            "qa",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(approve, @r#"
        exit 0
        --- stdout
        approved "sign-off" by alice as "qa" at 2026-03-03T12:00:00Z
        run in_progress: 1 pending, 1 ready, 2 succeeded
          ready: docs
          blocked: deploy: gates pending; no blockers: count "open_blockers" <= 0: missing fact count "open_blockers"
        "#);
    // Two blockers: the gate fails; then none: it passes.
    let two = release_in(
        &dir,
        &[
            "fact",
            "p.toml",
            "count",
            "open_blockers",
            "2",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(two, @r#"
        exit 0
        --- stdout
        recorded count "open_blockers" = 2 (at 2026-03-03T12:00:00Z)
        run in_progress: 1 pending, 1 ready, 2 succeeded
          ready: docs
          blocked: deploy: gates failed; no blockers: count "open_blockers" <= 0: 2 open_blockers (at 2026-03-03T12:00:00Z)
        "#);
    let explain = release_in(
        &dir,
        &[
            "explain",
            "p.toml",
            "deploy",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(explain, @r#"
        exit 1
        --- stdout
        step "deploy" (pending): blocked
          FAILED  gate "no blockers": count "open_blockers" <= 0: 2 open_blockers (at 2026-03-03T12:00:00Z)
        "#);
    let none = release_in(
        &dir,
        &[
            "--json",
            "fact",
            "p.toml",
            "count",
            "open_blockers",
            "0",
            "--source",
            "jira",
            "--expires",
            "2026-03-04T12:00:00Z",
            "--journal",
            "j.jsonl",
            "--now",
            LATER,
        ],
    );
    assert_snapshot!(none, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "recorded": {
    "at": "2026-03-03T12:30:00Z",
    "event": "fact",
    "fact": {
      "kind": "count",
      "subject": "open_blockers",
      "value": 0,
      "source": "jira",
      "at": "2026-03-03T12:30:00Z",
      "expires": "2026-03-04T12:00:00Z"
    }
  },
  "journal": "j.jsonl",
  "status": "in_progress",
  "ready": [
    "deploy",
    "docs"
  ],
  "awaiting_approval": [],
  "tasks": [
    {
      "id": "build",
      "state": "succeeded",
      "attempts": 1
    },
    {
      "id": "sign-off",
      "state": "succeeded",
      "attempts": 0,
      "message": "approved by alice"
    },
    {
      "id": "deploy",
      "state": "ready",
      "attempts": 0
    },
    {
      "id": "docs",
      "state": "ready",
      "attempts": 0
    }
  ],
  "blocked": []
}
"#);
}

#[test]
fn cancelling_a_step_and_the_run() {
    let dir = scratch("record-cancel", &[("p.toml", MANUAL)]);
    let first = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
            "--requested-by",
            "lead",
        ],
    );
    assert!(first.starts_with("exit 1\n"), "{first}");
    let step = release_in(
        &dir,
        &[
            "cancel",
            "p.toml",
            "sign-off",
            "--journal",
            "j.jsonl",
            "--by",
            "carol",
            "--reason",
            "release postponed",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(step, @r#"
        exit 0
        --- stdout
        cancelled "sign-off" by carol at 2026-03-03T12:00:00Z: release postponed
        run failed: 1 cancelled, 2 pending, 1 succeeded
          blocked: deploy: needs "sign-off", which cancelled
          blocked: docs: needs "sign-off", which cancelled
        "#);
    let run = release_in(
        &dir,
        &["cancel", "p.toml", "--journal", "j.jsonl", "--now", NOW],
    );
    assert_snapshot!(run, @r"
        exit 0
        --- stdout
        cancelled the run at 2026-03-03T12:00:00Z
        run cancelled: 3 cancelled, 1 succeeded
        ");
    let again = release_in(
        &dir,
        &[
            "approve",
            "p.toml",
            "sign-off",
            "--journal",
            "j.jsonl",
            "--by",
            "alice",
            "--now",
            NOW,
        ],
    );
    assert_snapshot!(again, @r#"
        exit 1
        --- stderr
        error: nothing recorded in j.jsonl: task "sign-off" is cancelled; only a ready task can be approved
        "#);
}

/// A journal only grows forward in time: an event dated before its last
/// one is refused and nothing is written.
#[test]
fn an_event_before_the_journals_last_is_refused() {
    let example = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/ecr-viewer/journal.jsonl"
    ))
    .expect("the example journal is read");
    let dir = scratch("record-backwards", &[]);
    std::fs::write(dir.join("j.jsonl"), &example).expect("the journal is written");
    let output = release_in(
        &dir,
        &[
            "cancel",
            &ecr(),
            "notify",
            "--journal",
            "j.jsonl",
            "--now",
            "2019-01-01T00:00:00Z",
        ],
    );
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: nothing recorded in j.jsonl: the event's time 2019-01-01T00:00:00Z is before the journal's last event at 2024-05-02T11:00:00Z
    ");
    assert_eq!(journal(&dir), example);
}

/// eat-slots' journal once the ticket was tested on dev (Sunday 2020-07-05,
/// 20:40 EAT), in format 2 as `release migrate` writes it.
const EAT_JOURNAL: &str = concat!(
    r#"{"at":"2020-07-05T17:00:00Z","event":"requested","by":"rm"}"#,
    "\n",
    r#"{"at":"2020-07-05T17:00:00Z","event":"started","task":"deploy-dev"}"#,
    "\n",
    r#"{"at":"2020-07-05T17:10:00Z","event":"succeeded","task":"deploy-dev"}"#,
    "\n",
    r#"{"at":"2020-07-05T17:40:00Z","event":"approved","task":"dev-testing","by":"tester"}"#,
    "\n",
);

/// `explain`, `approve` and `plan` evaluate the `in_window` gate on the
/// same facts: at Sunday 21:00 EAT the move to staging is ready and its
/// approval accepted; at Monday 09:00 EAT it is blocked and the approval
/// refused, the journal untouched.
#[test]
fn eat_slots_approval_is_accepted_inside_the_window_and_refused_after() {
    let toml = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/eat-slots/release.toml"
    );
    let dir = scratch("record-eat-slots", &[("j.jsonl", EAT_JOURNAL)]);
    release_in(&dir, &["migrate", "j.jsonl"]);
    let migrated = journal(&dir);
    let sunday = "2020-07-05T18:00:00Z";
    let monday = "2020-07-06T06:00:00Z";
    let args = |cmd: &'static str, at: &'static str| -> Vec<&'static str> {
        match cmd {
            "explain" => vec![
                "explain",
                toml,
                "move-to-staging",
                "--journal",
                "j.jsonl",
                "--now",
                at,
            ],
            _ => vec![
                "approve",
                toml,
                "move-to-staging",
                "--by",
                "lead",
                "--journal",
                "j.jsonl",
                "--now",
                at,
            ],
        }
    };
    assert_snapshot!(release_in(&dir, &args("explain", monday)), @r#"
exit 1
--- stdout
step "move-to-staging" (pending): blocked
  FAILED  gate "staging promotion window": in window "staging promotion": the window is closed (from calendar at 2020-07-06T06:00:00Z)
  waits: window "staging promotion" opens 2020-07-12T17:00:00Z
  until: Sun 2020-07-12 20:00 at the earliest
"#);
    assert_snapshot!(release_in(&dir, &args("approve", monday)), @r#"
exit 1
--- stderr
error: nothing recorded in j.jsonl: task "move-to-staging" is pending (gate "staging promotion window": the window is closed (from calendar at 2020-07-06T06:00:00Z)); only a ready task can be approved
"#);
    assert_eq!(journal(&dir), migrated, "a refused approval writes nothing");
    assert_snapshot!(release_in(&dir, &args("explain", sunday)), @r#"
exit 0
--- stdout
step "move-to-staging" (ready): ready
  passed  gate "staging promotion window": in window "staging promotion": the window is open (from calendar at 2020-07-05T17:00:00Z)
  note: manual: awaits an approval (release approve)
"#);
    assert_snapshot!(release_in(&dir, &args("approve", sunday)), @r#"
exit 0
--- stdout
approved "move-to-staging" by lead at 2020-07-05T18:00:00Z
run in_progress: 2 pending, 1 ready, 3 succeeded
  ready: deploy-staging
"#);
    assert_snapshot!(
        release_in(&dir, &["explain", toml, "deploy-staging", "--journal", "j.jsonl", "--now", sunday]),
        @r#"
exit 1
--- stdout
step "deploy-staging" (ready): blocked
  waits: waits for the staging slot 2020-07-06 08:30
  until: Mon 2020-07-06 08:30 at the earliest
"#
    );
}
