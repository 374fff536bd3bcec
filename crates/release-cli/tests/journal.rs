//! The journal under other writers, crashes and hand edits: the findings
//! of the reliability attack (`CRITICAL-1`, `HIGH-2`, `HIGH-4`,
//! `MEDIUM-10`, `MEDIUM-11`, `MEDIUM-12`, `LOW-13`), each reproduced
//! deterministically (no sleeps: a step's own command is the other writer).

use std::path::Path;
use std::process::Command;

mod support;
use support::{release_in, scratch};

const BIN: &str = env!("CARGO_BIN_EXE_release");

/// A process whose first step runs `release ARGS...` on the run's own
/// journal while `release run` holds it, then a deploy that writes a
/// marker, and docs that may be skipped.
fn interfering(args: &[&str]) -> String {
    let mut command = vec![format!("{BIN:?}")];
    command.extend(args.iter().map(|a| format!("{a:?}")));
    format!(
        r#"
name = "conc"
[[steps]]
id = "first"
kind = "build"
command = [{}]
[[steps]]
id = "docs"
kind = "custom"
requirement = "skippable"
needs = ["first"]
command = ["sh", "-c", "echo docs ran >> marker"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["docs"]
command = ["sh", "-c", "echo deploy ran >> marker"]
"#,
        command.join(", ")
    )
}

fn journal_lines(dir: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(dir.join("j.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn started(lines: &[serde_json::Value]) -> Vec<String> {
    lines
        .iter()
        .filter(|e| e["event"] == "started")
        .map(|e| e["task"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_cancel_recorded_during_a_run_stops_it() {
    // CRITICAL-1: `release cancel` while `release run` works is honoured.
    let toml = interfering(&[
        "cancel",
        "p.toml",
        "--journal",
        "j.jsonl",
        "--by",
        "ops",
        "--reason",
        "stop",
    ]);
    let dir = scratch("journal-cancel", &[("p.toml", &toml)]);
    let out = release_in(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    assert!(out.contains("cancelled"), "{out}");
    assert!(
        !dir.join("marker").exists(),
        "nothing ran after the cancel: {out}"
    );
    let lines = journal_lines(&dir);
    assert_eq!(started(&lines), ["first"]);
    let cancel = lines
        .iter()
        .position(|e| e["event"] == "cancelled")
        .unwrap();
    assert_eq!(cancel, lines.len() - 1, "the run recorded nothing after it");
    // The journal replays.
    let replay = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--dry-run",
        ],
    );
    assert!(replay.contains("dry run cancelled"), "{replay}");
    assert!(!replay.contains("error"), "{replay}");
}

#[test]
fn a_skip_recorded_during_a_run_is_honoured() {
    let toml = interfering(&[
        "skip",
        "p.toml",
        "docs",
        "--journal",
        "j.jsonl",
        "--by",
        "ops",
        "--reason",
        "not today",
    ]);
    let dir = scratch("journal-skip", &[("p.toml", &toml)]);
    let out = release_in(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    assert!(out.starts_with("exit 0"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("marker")).unwrap(),
        "deploy ran\n"
    );
    assert_eq!(started(&journal_lines(&dir)), ["first", "deploy"]);
    let replay = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--dry-run",
        ],
    );
    assert!(replay.starts_with("exit 0"), "{replay}");
}

#[test]
fn a_waiver_recorded_during_a_run_is_honoured() {
    let toml = interfering(&[
        "waive",
        "p.toml",
        "docs",
        "--journal",
        "j.jsonl",
        "--by",
        "ops",
        "--reason",
        "done by hand",
    ]);
    let dir = scratch("journal-waive", &[("p.toml", &toml)]);
    let out = release_in(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    assert!(out.starts_with("exit 0"), "{out}");
    assert_eq!(started(&journal_lines(&dir)), ["first", "deploy"]);
}

#[test]
fn a_second_run_on_a_journal_refuses_at_once_naming_the_holder() {
    // HIGH-2: the step tries `release run --resume` on the same journal.
    let toml = r#"
name = "two"
[[steps]]
id = "deploy"
kind = "deploy"
command = ["sh", "-c", "\"$BIN\" run p.toml --journal j.jsonl --resume > second.out 2>&1; echo $? >> second.out"]
metadata = { env = { BIN = "BINARY" } }
"#
    .replace("BINARY", BIN);
    let dir = scratch("journal-second-run", &[("p.toml", &toml)]);
    let out = release_in(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    assert!(out.starts_with("exit 0"), "{out}");
    let second = std::fs::read_to_string(dir.join("second.out")).unwrap();
    assert!(
        second.contains("is in use by another `release run` (pid "),
        "{second}"
    );
    assert!(second.ends_with("2\n"), "{second}");
    assert_eq!(started(&journal_lines(&dir)), ["deploy"]);
    // Without --resume too.
    let toml = toml.replace(" --resume", "");
    std::fs::write(dir.join("p.toml"), toml).unwrap();
    std::fs::remove_file(dir.join("j.jsonl")).unwrap();
    let out = release_in(&dir, &["run", "p.toml", "--journal", "j.jsonl"]);
    assert!(out.starts_with("exit 0"), "{out}");
    let second = std::fs::read_to_string(dir.join("second.out")).unwrap();
    assert!(
        second.contains("is in use by another `release run`"),
        "{second}"
    );
}

const GATES: &str = r#"
name = "gates"
[[steps]]
id = "build"
kind = "build"
command = ["true"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["build"]
command = ["true"]
gates = [{ name = "signoff", rule = { approvals = { role = "qa", at_least = 1 } } }]
[[steps]]
id = "sign"
kind = "approve"
needs = ["deploy"]
"#;

#[test]
fn an_append_after_a_missing_final_newline_starts_a_line_of_its_own() {
    // HIGH-4, the findings' exact bytes.
    let nl = "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-12-03T09:00:01Z\",\"event\":\"succeeded\",\"task\":\"build\"}";
    let dir = scratch("journal-newline", &[("g.toml", GATES), ("nl.jsonl", nl)]);
    let out = release_in(
        &dir,
        &[
            "fact",
            "g.toml",
            "count",
            "blockers",
            "0",
            "--journal",
            "nl.jsonl",
            "--now",
            "2026-12-03T09:01:00Z",
        ],
    );
    assert!(out.starts_with("exit 0"), "{out}");
    let text = std::fs::read_to_string(dir.join("nl.jsonl")).unwrap();
    assert!(
        text.starts_with(&format!(
            "{nl}\n{{\"at\":\"2026-12-03T09:01:00Z\",\"event\":\"fact\""
        )),
        "{text}"
    );
    assert_eq!(text.lines().count(), 3);
    let replay = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "nl.jsonl",
            "--resume",
            "--dry-run",
        ],
    );
    assert!(!replay.contains("error"), "{replay}");
    // And `release run` itself.
    std::fs::write(dir.join("nl.jsonl"), nl).unwrap();
    let run = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "nl.jsonl",
            "--resume",
            "--now",
            "2026-12-03T09:02:00Z",
        ],
    );
    assert!(run.starts_with("exit 1"), "waits for the approval: {run}");
    let replay = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "nl.jsonl",
            "--resume",
            "--dry-run",
        ],
    );
    assert!(!replay.contains("error"), "{replay}");
}

#[test]
fn a_torn_tail_cut_inside_a_multi_byte_character_is_cut() {
    // MEDIUM-10, the findings' exact bytes.
    let head =
        b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n".to_vec();
    let mut torn = head.clone();
    torn.extend_from_slice(b"{\"at\":\"2026-12-03T09:00:01Z\",\"event\":\"failed\",\"task\":\"build\",\"message\":\"caf\xc3");
    let dir = scratch("journal-torn-utf8", &[("g.toml", GATES)]);
    std::fs::write(dir.join("tu.jsonl"), &torn).unwrap();
    let run = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "tu.jsonl",
            "--resume",
            "--now",
            "2026-12-03T09:02:00Z",
        ],
    );
    assert!(
        run.starts_with("exit 1"),
        "runs, then waits for the approval: {run}"
    );
    assert!(!run.contains("UTF-8"), "{run}");
    let text = std::fs::read(dir.join("tu.jsonl")).unwrap();
    assert!(text.starts_with(&head));
    assert!(String::from_utf8(text).unwrap().contains("\"interrupted\""));
    // A recording command cuts it too.
    std::fs::write(dir.join("tu.jsonl"), &torn).unwrap();
    let out = release_in(
        &dir,
        &[
            "fact",
            "g.toml",
            "count",
            "blockers",
            "0",
            "--journal",
            "tu.jsonl",
            "--now",
            "2026-12-03T09:01:00Z",
        ],
    );
    assert!(out.starts_with("exit 0"), "{out}");
    let text = String::from_utf8(std::fs::read(dir.join("tu.jsonl")).unwrap()).unwrap();
    assert_eq!(text.lines().count(), 2, "{text}");
}

/// `release run --resume --dry-run` of a hand-edited journal.
fn replay_of(test: &str, journal: &[u8]) -> String {
    let dir = scratch(test, &[("g.toml", GATES)]);
    std::fs::write(dir.join("f.jsonl"), journal).unwrap();
    release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "f.jsonl",
            "--resume",
            "--dry-run",
        ],
    )
}

#[test]
fn hand_edited_journals_are_refused_naming_the_line() {
    // MEDIUM-11.
    let out_of_order = b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2020-01-01T00:00:00Z\",\"event\":\"succeeded\",\"task\":\"build\"}\n";
    let out = replay_of("journal-order", out_of_order);
    assert!(out.starts_with("exit 2"), "{out}");
    assert!(out.contains("journal line 2: the event is dated 2020-01-01T00:00:00Z, before the event before it (2026-12-03T09:00:00Z)"), "{out}");

    let blank = "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"waived\",\"task\":\"build\",\"by\":\"\",\"reason\":\"\"}\n";
    let out = replay_of("journal-blank-waiver", blank.as_bytes());
    assert!(out.starts_with("exit 2"), "{out}");
    assert!(
        out.contains("journal line 1: waived event: \"by\" must not be blank"),
        "{out}"
    );

    let blank =
        "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"approved\",\"by\":\"\",\"role\":\"\"}\n";
    let out = replay_of("journal-blank-approver", blank.as_bytes());
    assert!(
        out.contains("journal line 1: approved event: \"by\" must not be blank"),
        "{out}"
    );

    let zero_width = "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"skipped\",\"task\":\"build\",\"by\":\"ops\",\"reason\":\"\u{200b}\"}\n";
    let out = replay_of("journal-zero-width", zero_width.as_bytes());
    assert!(
        out.contains("journal line 1: skipped event: \"reason\" must not be blank"),
        "{out}"
    );

    let unknown =
        b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\",\"x\":1}\n";
    let out = replay_of("journal-unknown-field", unknown);
    assert!(out.starts_with("exit 2"), "{out}");
    assert!(
        out.contains("journal line 1: unknown field \"x\" in a started event"),
        "{out}"
    );

    let bom =
        b"\xEF\xBB\xBF{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n";
    let out = replay_of("journal-bom", bom);
    assert!(out.starts_with("exit 2"), "{out}");
    assert!(
        out.contains("journal line 1: the file starts with a UTF-8 byte order mark (BOM)"),
        "{out}"
    );

    let unknown_task =
        b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"nope\"}\n";
    let out = replay_of("journal-unknown-task", unknown_task);
    assert!(out.starts_with("exit 2"), "{out}");
}

#[test]
fn a_zero_width_reason_is_blank_on_the_command_line() {
    let dir = scratch("journal-zw-flag", &[("g.toml", GATES)]);
    let out = release_in(
        &dir,
        &[
            "waive",
            "g.toml",
            "build",
            "--by",
            "ops",
            "--reason",
            "\u{200b}",
            "--journal",
            "j.jsonl",
            "--now",
            "2026-12-03T09:00:00Z",
        ],
    );
    assert!(out.starts_with("exit 2"), "{out}");
    assert!(out.contains("--reason must not be blank"), "{out}");
}

#[test]
fn a_journal_that_does_not_replay_exits_2_everywhere() {
    // MEDIUM-12: a journal that CRITICAL-1 used to leave.
    let broken = b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-12-03T09:00:01Z\",\"event\":\"cancelled\"}\n{\"at\":\"2026-12-03T09:00:02Z\",\"event\":\"succeeded\",\"task\":\"build\"}\n";
    let dir = scratch("journal-exit-2", &[("g.toml", GATES)]);
    std::fs::write(dir.join("b.jsonl"), broken).unwrap();
    for args in [
        &["run", "g.toml", "--journal", "b.jsonl", "--resume"][..],
        &[
            "run",
            "g.toml",
            "--journal",
            "b.jsonl",
            "--resume",
            "--dry-run",
        ],
        &[
            "fact",
            "g.toml",
            "count",
            "blockers",
            "0",
            "--journal",
            "b.jsonl",
            "--now",
            "2026-12-03T10:00:00Z",
        ],
        &[
            "cancel",
            "g.toml",
            "--journal",
            "b.jsonl",
            "--now",
            "2026-12-03T10:00:00Z",
        ],
    ] {
        let out = release_in(&dir, args);
        assert!(out.starts_with("exit 2"), "{args:?}: {out}");
        assert!(
            out.contains("event 3: task \"build\" is cancelled"),
            "{args:?}: {out}"
        );
    }
    assert_eq!(
        std::fs::read(dir.join("b.jsonl")).unwrap(),
        broken,
        "nothing written"
    );
}

#[test]
fn concurrent_recording_commands_lose_nothing_and_keep_times_in_order() {
    // LOW-13 and the findings' concurrency harness, with small counts:
    // 4 threads, each recording 5 facts on the system clock.
    const THREADS: usize = 4;
    const EACH: usize = 5;
    let dir = scratch("journal-concurrent", &[("g.toml", GATES)]);
    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let dir = &dir;
            scope.spawn(move || {
                for k in 0..EACH {
                    let status = Command::new(BIN)
                        .args([
                            "fact",
                            "g.toml",
                            "count",
                            &format!("c{t}_{k}"),
                            "1",
                            "--journal",
                            "j.jsonl",
                        ])
                        .current_dir(dir)
                        .output()
                        .unwrap();
                    assert!(
                        status.status.success(),
                        "{}",
                        String::from_utf8_lossy(&status.stderr)
                    );
                }
            });
        }
    });
    let lines = journal_lines(&dir);
    assert_eq!(lines.len(), THREADS * EACH, "no lost or duplicated line");
    let mut subjects: Vec<String> = lines
        .iter()
        .map(|e| e["fact"]["subject"].as_str().unwrap().to_owned())
        .collect();
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), THREADS * EACH);
    let times: Vec<&str> = lines.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let parsed: Vec<chrono::DateTime<chrono::Utc>> =
        times.iter().map(|t| t.parse().unwrap()).collect();
    assert!(
        parsed.windows(2).all(|w| w[0] <= w[1]),
        "times in order: {times:?}"
    );
    let replay = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--dry-run",
        ],
    );
    assert!(!replay.contains("error"), "{replay}");
}
