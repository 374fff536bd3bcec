//! The journal under other writers, crashes and hand edits: the findings
//! of the reliability attack (`CRITICAL-1`, `HIGH-2`, `HIGH-4`,
//! `MEDIUM-10`, `MEDIUM-11`, `MEDIUM-12`, `LOW-13`), each reproduced
//! deterministically (no sleeps: a step's own command is the other writer).

use std::path::Path;
use std::process::Command;

mod support;
use support::{GATES, release_in, scratch};

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

/// The events of `dir/j.jsonl` (the header left out).
fn journal_lines(dir: &Path) -> Vec<serde_json::Value> {
    events_of(&dir.join("j.jsonl"))
}

fn events_of(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e.get("journal").is_none())
        .collect()
}

/// `release migrate` of a format-1 fixture.
fn migrate(dir: &Path, name: &str) {
    let out = release_in(dir, &["migrate", name]);
    assert!(out.starts_with("exit 0"), "{out}");
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

#[test]
fn an_append_after_a_missing_final_newline_starts_a_line_of_its_own() {
    // HIGH-4, the findings' exact bytes: a format-1 journal is read-only,
    // so the append is refused and nothing is glued.
    let nl = "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-12-03T09:00:01Z\",\"event\":\"succeeded\",\"task\":\"build\"}";
    let dir = scratch("journal-newline", &[("g.toml", GATES), ("nl.jsonl", nl)]);
    let fact = [
        "fact",
        "g.toml",
        "count",
        "blockers",
        "0",
        "--journal",
        "nl.jsonl",
        "--now",
        "2026-12-03T09:01:00Z",
    ];
    let out = release_in(&dir, &fact);
    assert!(out.starts_with("exit 2"), "{out}");
    assert!(out.contains("is in format 1"), "{out}");
    assert_eq!(std::fs::read_to_string(dir.join("nl.jsonl")).unwrap(), nl);
    // Migrated, then the same cut: the last line without its newline.
    migrate(&dir, "nl.jsonl");
    let text = std::fs::read_to_string(dir.join("nl.jsonl")).unwrap();
    std::fs::write(dir.join("nl.jsonl"), text.trim_end_matches('\n')).unwrap();
    let out = release_in(&dir, &fact);
    assert!(out.starts_with("exit 0"), "{out}");
    let text = std::fs::read_to_string(dir.join("nl.jsonl")).unwrap();
    assert_eq!(text.lines().count(), 4, "header, 3 events: {text}");
    assert!(
        text.lines()
            .nth(3)
            .unwrap()
            .starts_with("{\"at\":\"2026-12-03T09:01:00Z\",\"event\":\"fact\""),
        "{text}"
    );
    let verify = release_in(&dir, &["verify", "nl.jsonl"]);
    assert!(verify.starts_with("exit 0"), "{verify}");
    // And `release run` itself.
    std::fs::write(dir.join("nl.jsonl"), text.trim_end_matches('\n')).unwrap();
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
    let verify = release_in(&dir, &["verify", "nl.jsonl"]);
    assert!(verify.starts_with("exit 0"), "{verify}");
}

#[test]
fn a_torn_tail_cut_inside_a_multi_byte_character_is_cut() {
    // MEDIUM-10, the findings' exact bytes: read as a torn line, not as an
    // invalid-UTF-8 journal.
    let head =
        b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n".to_vec();
    let cut: &[u8] = b"{\"at\":\"2026-12-03T09:00:01Z\",\"event\":\"failed\",\"task\":\"build\",\"message\":\"caf\xc3";
    let mut torn = head.clone();
    torn.extend_from_slice(cut);
    let dir = scratch("journal-torn-utf8", &[("g.toml", GATES)]);
    std::fs::write(dir.join("tu.jsonl"), &torn).unwrap();
    let dry = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "tu.jsonl",
            "--resume",
            "--dry-run",
        ],
    );
    assert!(!dry.contains("UTF-8"), "{dry}");
    assert!(dry.contains("is in format 1"), "the note: {dry}");
    // Migrating leaves the torn line out.
    migrate(&dir, "tu.jsonl");
    assert_eq!(events_of(&dir.join("tu.jsonl")).len(), 1);
    let whole = std::fs::read(dir.join("tu.jsonl")).unwrap();
    // The same cut at the end of a format-2 journal: `release run` cuts it.
    let mut torn = whole.clone();
    torn.extend_from_slice(cut);
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
    assert!(text.starts_with(&whole));
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
    assert_eq!(events_of(&dir.join("tu.jsonl")).len(), 2);
    let verify = release_in(&dir, &["verify", "tu.jsonl"]);
    assert!(verify.starts_with("exit 0"), "{verify}");
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
        out.contains("journal line 1: identity \"\" is blank"),
        "{out}"
    );

    let blank =
        "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"approved\",\"by\":\"\",\"role\":\"\"}\n";
    let out = replay_of("journal-blank-approver", blank.as_bytes());
    assert!(
        out.contains("journal line 1: identity \"\" is blank"),
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
    migrate(&dir, "b.jsonl");
    let broken = std::fs::read(dir.join("b.jsonl")).unwrap();
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

#[test]
fn verify_says_where_the_chain_breaks() {
    // Format 2: a new journal written by recording commands.
    let dir = scratch("journal-verify", &[("g.toml", GATES)]);
    for (subject, now) in [
        ("a", "2026-12-03T09:00:00Z"),
        ("b", "2026-12-03T09:01:00Z"),
        ("c", "2026-12-03T09:02:00Z"),
    ] {
        let out = release_in(
            &dir,
            &[
                "fact",
                "g.toml",
                "count",
                subject,
                "0",
                "--journal",
                "j.jsonl",
                "--now",
                now,
            ],
        );
        assert!(out.starts_with("exit 0"), "{out}");
    }
    let text = std::fs::read_to_string(dir.join("j.jsonl")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("{\"journal\":\"release-core\",\"format\":2"),
        "{text}"
    );
    assert!(
        lines[1].contains("\"recorded_by\":{\"via\":\"fact\"},\"prev\":\"sha256:"),
        "{text}"
    );
    let ok = release_in(&dir, &["verify", "j.jsonl"]);
    assert!(
        ok.starts_with("exit 0") && ok.contains("hash chain intact"),
        "{ok}"
    );
    // An edit of line 2 (the value 0 made 1) breaks the chain at line 3.
    let edited = text.replacen("\"value\":0", "\"value\":1", 1);
    std::fs::write(dir.join("j.jsonl"), &edited).unwrap();
    let out = release_in(&dir, &["verify", "j.jsonl"]);
    assert!(out.starts_with("exit 1"), "{out}");
    assert!(out.contains("the hash chain breaks at line 3"), "{out}");
    // So does a removed line; and a replay refuses it (exit 2).
    let removed: String = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    std::fs::write(dir.join("j.jsonl"), &removed).unwrap();
    let out = release_in(&dir, &["verify", "j.jsonl"]);
    assert!(out.contains("the hash chain breaks at line 3"), "{out}");
    let out = release_in(
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
    assert!(out.starts_with("exit 2"), "{out}");
    // Unreadable: exit 2.
    std::fs::write(dir.join("j.jsonl"), "{\"at\":1}\n").unwrap();
    let out = release_in(&dir, &["verify", "j.jsonl"]);
    assert!(out.starts_with("exit 2"), "{out}");
}

#[test]
fn migrate_rewrites_a_format_1_journal_that_then_replays_the_same() {
    let v1 = "{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-12-03T09:00:01Z\",\"event\":\"succeeded\",\"task\":\"build\"}\n";
    let dir = scratch("journal-migrate", &[("g.toml", GATES), ("j.jsonl", v1)]);
    let before = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--dry-run",
            "--now",
            "2026-12-03T10:00:00Z",
        ],
    );
    let verify = release_in(&dir, &["verify", "j.jsonl"]);
    assert!(
        verify.starts_with("exit 1") && verify.contains("format 1"),
        "{verify}"
    );
    let out = release_in(&dir, &["migrate", "j.jsonl"]);
    assert!(
        out.contains("migrated journal j.jsonl to format 2: 2 events"),
        "{out}"
    );
    let after = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--dry-run",
            "--now",
            "2026-12-03T10:00:00Z",
        ],
    );
    let note = "journal j.jsonl is in format 1 (release-core 0.1, no header): it replays read-only; `release migrate j.jsonl` rewrites it to format 2\n";
    assert!(before.contains(note), "{before}");
    assert_eq!(after, before.replace(note, ""));
    let events = journal_lines(&dir);
    assert_eq!(events[0]["recorded_by"]["via"], "migrate");
    assert!(release_in(&dir, &["verify", "j.jsonl"]).starts_with("exit 0"));
    let again = release_in(&dir, &["migrate", "j.jsonl"]);
    assert!(again.contains("already in format 2"), "{again}");
    assert!(!dir.join("j.jsonl.migrate.tmp").exists());
}

#[test]
fn events_dated_after_now_are_refused() {
    // MEDIUM-11: events dated 9999-12-31, with a command time (--now).
    let future = "{\"at\":\"9999-12-31T00:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n";
    let dir = scratch("journal-future", &[("g.toml", GATES), ("f.jsonl", future)]);
    migrate(&dir, "f.jsonl");
    let before = std::fs::read(dir.join("f.jsonl")).unwrap();
    let run = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "f.jsonl",
            "--resume",
            "--now",
            "2026-12-03T09:00:00Z",
        ],
    );
    assert!(run.starts_with("exit 2"), "{run}");
    assert!(
        run.contains(
            "its last event is dated 9999-12-31T00:00:00Z, after --now 2026-12-03T09:00:00Z"
        ),
        "{run}"
    );
    let fact = release_in(
        &dir,
        &[
            "fact",
            "g.toml",
            "count",
            "x",
            "0",
            "--journal",
            "f.jsonl",
            "--now",
            "2026-12-03T09:00:00Z",
        ],
    );
    assert!(fact.starts_with("exit 2"), "{fact}");
    assert!(
        fact.contains("before the journal's last event at 9999-12-31T00:00:00Z"),
        "{fact}"
    );
    assert_eq!(
        std::fs::read(dir.join("f.jsonl")).unwrap(),
        before,
        "nothing written"
    );
}
