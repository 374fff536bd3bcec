//! HIGH-3 of the reliability findings, row by row: every way the requester
//! could approve their own release is refused, the journal is left as it
//! was, and `explain` shows the gate still pending. Plus the requester
//! given at the start (`release run --requested-by`), roles, and blank or
//! look-alike names (MEDIUM-11).

use std::path::{Path, PathBuf};

mod support;
use support::{GATES, release_in, scratch};

const T: &str = "2026-12-03T10:00:00Z";

/// The findings' setup, with the requester given when the run starts
/// (the `requester` fact of the old setup is refused: see row d).
fn setup(test: &str) -> PathBuf {
    setup_with(test, GATES)
}

fn setup_with(test: &str, process: &str) -> PathBuf {
    let dir = scratch(test, &[("g.toml", process)]);
    let out = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "x.jsonl",
            "--now",
            "2026-12-03T09:00:00Z",
            "--requested-by",
            "alice",
        ],
    );
    assert!(out.starts_with("exit 1\n"), "{out}");
    let journal = std::fs::read_to_string(dir.join("x.jsonl")).unwrap();
    // The first event after the journal's header.
    assert!(
        journal
            .lines()
            .find(|l| !l.starts_with(r#"{"journal":"#))
            .unwrap()
            .contains(r#""event":"requested","by":"alice""#),
        "{journal}"
    );
    dir
}

fn journal(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("x.jsonl")).unwrap()
}

fn release(dir: &Path, args: &[&str]) -> String {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--journal", "x.jsonl"]);
    release_in(dir, &all)
}

/// `release explain g.toml deploy` at 10:05: the gate is not passed.
fn assert_gate_not_passed(dir: &Path) {
    let out = release(
        dir,
        &[
            "explain",
            "g.toml",
            "deploy",
            "--now",
            "2026-12-03T10:05:00Z",
            "--json",
        ],
    );
    let json = out.split("--- stdout\n").nth(1).unwrap_or_default();
    let json = json.split("--- stderr\n").next().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {out}"));
    let status = v["verdict"]["status"].as_str().unwrap_or_default();
    assert_ne!(status, "passed", "{out}");
    assert_ne!(status, "waived", "{out}");
}

/// A refused recording command: exit 1 or 2, the reason on stderr, and the
/// journal byte for byte as it was.
fn assert_refused(dir: &Path, args: &[&str], reason: &str) {
    let before = journal(dir);
    let out = release(dir, args);
    assert!(
        out.starts_with("exit 1\n") || out.starts_with("exit 2\n"),
        "{args:?}: {out}"
    );
    assert!(
        out.contains(reason),
        "{args:?}: expected {reason:?} in\n{out}"
    );
    assert_eq!(journal(dir), before, "{args:?} changed the journal");
}

#[test]
fn row_a_case_is_the_same_person() {
    let dir = setup("people-a");
    assert_refused(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "Alice", "--now", T,
        ],
        "alice requested the release, so their approval does not count",
    );
    assert_gate_not_passed(&dir);
}

#[test]
fn row_b_trailing_whitespace_is_the_same_person() {
    let dir = setup("people-b");
    assert_refused(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "alice ", "--now", T,
        ],
        "alice requested the release, so their approval does not count",
    );
    assert_gate_not_passed(&dir);
}

#[test]
fn row_c_a_look_alike_letter_is_refused_not_folded() {
    let dir = setup("people-c");
    assert_refused(
        &dir,
        &[
            "approve",
            "g.toml",
            "--role",
            "qa",
            "--by",
            "al\u{131}ce",
            "--now",
            T,
        ],
        "non-ASCII character '\u{131}' (U+0131)",
    );
    // A Cyrillic a too.
    assert_refused(
        &dir,
        &[
            "approve",
            "g.toml",
            "--role",
            "qa",
            "--by",
            "\u{430}lice",
            "--now",
            T,
        ],
        "look-alike letters such as the dotless i or Cyrillic letters are refused, not folded",
    );
    assert_gate_not_passed(&dir);
}

#[test]
fn row_d_the_requester_cannot_be_rewritten_after_approving() {
    let dir = setup("people-d");
    assert_refused(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "alice", "--now", T,
        ],
        "alice requested the release, so their approval does not count",
    );
    assert_refused(
        &dir,
        &[
            "fact",
            "g.toml",
            "requester",
            "",
            "mallory",
            "--now",
            "2026-12-03T10:01:00Z",
        ],
        "the requester is given when the run starts",
    );
    // Nor through a resumed run.
    let out = release(
        &dir,
        &[
            "run",
            "g.toml",
            "--resume",
            "--requested-by",
            "mallory",
            "--now",
            "2026-12-03T10:01:00Z",
        ],
    );
    assert!(out.starts_with("exit 2\n"), "{out}");
    assert!(
        out.contains("was requested by alice; the requester cannot change"),
        "{out}"
    );
    // A hand-edited second `requested` event does not replay.
    let mut edited = journal(&dir);
    edited
        .push_str("{\"at\":\"2026-12-03T10:01:00Z\",\"event\":\"requested\",\"by\":\"mallory\"}\n");
    std::fs::write(dir.join("x.jsonl"), edited).unwrap();
    let out = release(
        &dir,
        &[
            "explain",
            "g.toml",
            "deploy",
            "--now",
            "2026-12-03T10:05:00Z",
        ],
    );
    // A naive hand edit of a format-2 journal is refused by the format
    // itself (no `recorded_by`, no hash of the line before); the core's
    // own refusal of a second requester is tested in release-core's
    // tests/people.rs.
    assert!(out.starts_with("exit 2\n"), "{out}");
    assert!(
        out.contains("cannot change") || out.contains("journal line 5: a format-2 event needs"),
        "{out}"
    );
}

#[test]
fn row_e_the_requester_may_not_waive_their_own_gate() {
    let dir = setup("people-e");
    assert_refused(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "alice", "--now", T,
        ],
        "so their approval does not count",
    );
    assert_refused(
        &dir,
        &[
            "waive", "g.toml", "--gate", "signoff", "--step", "deploy", "--by", "alice",
            "--reason", ".", "--now", T,
        ],
        "alice may not waive gate \"signoff\": alice requested the release",
    );
    assert_gate_not_passed(&dir);
    // Someone else may.
    let out = release(
        &dir,
        &[
            "waive",
            "g.toml",
            "--gate",
            "signoff",
            "--step",
            "deploy",
            "--by",
            "bob",
            "--reason",
            "qa is out",
            "--now",
            T,
        ],
    );
    assert!(
        out.starts_with("exit 0\n") || out.starts_with("exit 1\n"),
        "{out}"
    );
    assert!(
        out.contains("waived gate \"signoff\" of \"deploy\" by bob"),
        "{out}"
    );
}

#[test]
fn row_f_the_requester_may_not_approve_a_manual_step() {
    let dir = setup("people-f");
    let out = release(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "bob", "--now", T,
        ],
    );
    assert!(out.contains("approved as \"qa\" by bob"), "{out}");
    let out = release(&dir, &["run", "g.toml", "--resume", "--now", T]);
    assert!(out.contains("deploy succeeded"), "{out}");
    assert_refused(
        &dir,
        &["approve", "g.toml", "sign", "--by", "alice", "--now", T],
        "alice requested the release and may not approve its manual step \"sign\"",
    );
    assert_refused(
        &dir,
        &["approve", "g.toml", "sign", "--by", "ALICE", "--now", T],
        "may not approve its manual step",
    );
    let out = release(
        &dir,
        &["approve", "g.toml", "sign", "--by", "carol", "--now", T],
    );
    assert!(out.starts_with("exit 0\n"), "{out}");
}

#[test]
fn row_g_an_approval_fact_without_an_approver_is_refused() {
    let dir = setup("people-g");
    assert_refused(
        &dir,
        &["fact", "g.toml", "approval", "qa", "bob", "--now", T],
        "`release fact approval` is refused, since an approval must say who approved",
    );
    assert_gate_not_passed(&dir);
    // A hand-edited approval fact in the journal does not replay either.
    let mut edited = journal(&dir);
    edited.push_str(
        "{\"at\":\"2026-12-03T10:00:00Z\",\"event\":\"fact\",\"fact\":{\"kind\":\"approval\",\"subject\":\"qa\",\"value\":\"bob\",\"at\":\"2026-12-03T10:00:00Z\"}}\n",
    );
    std::fs::write(dir.join("x.jsonl"), edited).unwrap();
    let out = release(
        &dir,
        &[
            "explain",
            "g.toml",
            "deploy",
            "--now",
            "2026-12-03T10:05:00Z",
        ],
    );
    // As above: the format refuses the naive edit; the core's refusal of
    // an approval fact in a run is tested in release-core's tests/people.rs.
    assert!(out.starts_with("exit 2\n"), "{out}");
    assert!(
        out.contains("`approval` fact is refused")
            || out.contains("journal line 5: a format-2 event needs"),
        "{out}"
    );
}

#[test]
fn a_run_that_needs_approvals_needs_its_requester() {
    let dir = scratch("people-required", &[("g.toml", GATES)]);
    let out = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "x.jsonl",
            "--now",
            "2026-12-03T09:00:00Z",
        ],
    );
    assert!(out.starts_with("exit 2\n"), "{out}");
    assert!(
        out.contains("say who requests this release with --requested-by ID"),
        "{out}"
    );
    assert!(
        !dir.join("x.jsonl").exists() || std::fs::read(dir.join("x.jsonl")).unwrap().is_empty()
    );
    let out = release_in(
        &dir,
        &[
            "run",
            "g.toml",
            "--journal",
            "x.jsonl",
            "--requested-by",
            "al\u{131}ce",
        ],
    );
    assert!(out.starts_with("exit 2\n"), "{out}");
    assert!(out.contains("non-ASCII"), "{out}");
}

#[test]
fn roles_list_who_may_approve_and_a_team_of_one_says_so() {
    let with_roles = format!("{GATES}\n[roles.qa]\nmembers = [\"bob\", \"carol\"]\n");
    let dir = setup_with("people-roles", &with_roles);
    assert_refused(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "dave", "--now", T,
        ],
        "dave is not a member of role \"qa\" (members: bob, carol)",
    );
    assert_refused(
        &dir,
        &[
            "waive", "g.toml", "--gate", "signoff", "--by", "dave", "--reason", "hurry", "--now", T,
        ],
        "dave may not waive gate \"signoff\": dave is not a member of role \"qa\"",
    );
    let out = release(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "Carol", "--now", T,
        ],
    );
    assert!(out.contains("approved as \"qa\" by carol"), "{out}");

    let alone =
        format!("{GATES}\n[roles.qa]\nmembers = [\"alice\"]\nself_approval = \"allowed\"\n");
    let dir = setup_with("people-alone", &alone);
    let out = release(
        &dir,
        &[
            "approve", "g.toml", "--role", "qa", "--by", "alice", "--now", T,
        ],
    );
    assert!(
        out.starts_with("exit 0\n") || out.starts_with("exit 1\n"),
        "{out}"
    );
    let out = release(
        &dir,
        &[
            "explain",
            "g.toml",
            "deploy",
            "--now",
            "2026-12-03T10:05:00Z",
        ],
    );
    assert!(
        out.contains("allowed by self_approval = \"allowed\" of role \"qa\""),
        "{out}"
    );
}

#[test]
fn blank_reasons_are_refused_even_when_invisible() {
    let dir = setup("people-blank");
    assert_refused(
        &dir,
        &[
            "waive", "g.toml", "--gate", "signoff", "--by", "bob", "--reason", "\u{200b}", "--now",
            T,
        ],
        "--reason must not be blank",
    );
    assert_refused(
        &dir,
        &["approve", "g.toml", "--role", "qa", "--by", "", "--now", T],
        "is blank",
    );
}
