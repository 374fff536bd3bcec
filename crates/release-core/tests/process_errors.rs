//! The bad-input corpus: each file under `tests/bad_input/` is a mistake a
//! team could make in `release.toml` (a typo, a wrong type, a cycle, an
//! unknown time zone, an impossible date, a name that resolves to nothing)
//! or in a release ticket (a missing pin). Each must give its own message,
//! placed at its file, line and column, and never a panic.

use release_core::notes::parse_ticket_pins;
use release_core::process::Process;

const CASES: &[(&str, &str)] = &[
    (
        "bad-calver-format.toml",
        include_str!("bad_input/bad-calver-format.toml"),
    ),
    (
        "bad-estimate.toml",
        include_str!("bad_input/bad-estimate.toml"),
    ),
    (
        "bad-tag-template.toml",
        include_str!("bad_input/bad-tag-template.toml"),
    ),
    ("cycle.toml", include_str!("bad_input/cycle.toml")),
    (
        "duplicate-schedule.toml",
        include_str!("bad_input/duplicate-schedule.toml"),
    ),
    (
        "duplicate-step.toml",
        include_str!("bad_input/duplicate-step.toml"),
    ),
    ("empty.toml", include_str!("bad_input/empty.toml")),
    (
        "environment-unknown-schedule.toml",
        include_str!("bad_input/environment-unknown-schedule.toml"),
    ),
    (
        "gate-unknown-window.toml",
        include_str!("bad_input/gate-unknown-window.toml"),
    ),
    (
        "impossible-date.toml",
        include_str!("bad_input/impossible-date.toml"),
    ),
    (
        "impossible-time.toml",
        include_str!("bad_input/impossible-time.toml"),
    ),
    (
        "milestones-unknown-schedule.toml",
        include_str!("bad_input/milestones-unknown-schedule.toml"),
    ),
    ("not-toml.toml", include_str!("bad_input/not-toml.toml")),
    (
        "notes-type-twice.toml",
        include_str!("bad_input/notes-type-twice.toml"),
    ),
    (
        "promoted-unknown-environment.toml",
        include_str!("bad_input/promoted-unknown-environment.toml"),
    ),
    (
        "release-day-unknown.toml",
        include_str!("bad_input/release-day-unknown.toml"),
    ),
    (
        "train-channel-unknown-environment.toml",
        include_str!("bad_input/train-channel-unknown-environment.toml"),
    ),
    (
        "train-environment-order.toml",
        include_str!("bad_input/train-environment-order.toml"),
    ),
    (
        "train-hotfix-before-start.toml",
        include_str!("bad_input/train-hotfix-before-start.toml"),
    ),
    (
        "train-unknown-environment.toml",
        include_str!("bad_input/train-unknown-environment.toml"),
    ),
    (
        "train-unknown-schedule.toml",
        include_str!("bad_input/train-unknown-schedule.toml"),
    ),
    (
        "train-unknown-extra-schedule.toml",
        include_str!("bad_input/train-unknown-extra-schedule.toml"),
    ),
    (
        "train-zero-weeks.toml",
        include_str!("bad_input/train-zero-weeks.toml"),
    ),
    (
        "typo-step-key.toml",
        include_str!("bad_input/typo-step-key.toml"),
    ),
    (
        "typo-top-level.toml",
        include_str!("bad_input/typo-top-level.toml"),
    ),
    (
        "unknown-fact-kind.toml",
        include_str!("bad_input/unknown-fact-kind.toml"),
    ),
    (
        "unknown-holiday-set.toml",
        include_str!("bad_input/unknown-holiday-set.toml"),
    ),
    (
        "unknown-need.toml",
        include_str!("bad_input/unknown-need.toml"),
    ),
    (
        "unknown-pin-component.toml",
        include_str!("bad_input/unknown-pin-component.toml"),
    ),
    (
        "unknown-step-kind.toml",
        include_str!("bad_input/unknown-step-kind.toml"),
    ),
    (
        "unknown-weekday.toml",
        include_str!("bad_input/unknown-weekday.toml"),
    ),
    (
        "unknown-zone.toml",
        include_str!("bad_input/unknown-zone.toml"),
    ),
    ("wrong-type.toml", include_str!("bad_input/wrong-type.toml")),
    (
        "gate-before-unknown-milestone.toml",
        include_str!("bad_input/gate-before-unknown-milestone.toml"),
    ),
    (
        "milestone-bad-offset.toml",
        include_str!("bad_input/milestone-bad-offset.toml"),
    ),
    (
        "milestone-follow-with-from.toml",
        include_str!("bad_input/milestone-follow-with-from.toml"),
    ),
    (
        "milestone-offset-text-with-unit.toml",
        include_str!("bad_input/milestone-offset-text-with-unit.toml"),
    ),
    (
        "milestone-override-without-reason.toml",
        include_str!("bad_input/milestone-override-without-reason.toml"),
    ),
    (
        "milestone-unknown-schedule-reference.toml",
        include_str!("bad_input/milestone-unknown-schedule-reference.toml"),
    ),
    (
        "step-due-bad-offset.toml",
        include_str!("bad_input/step-due-bad-offset.toml"),
    ),
    (
        "lines-bad-first-release-key.toml",
        include_str!("bad_input/lines-bad-first-release-key.toml"),
    ),
    (
        "lines-key-not-of-scheme.toml",
        include_str!("bad_input/lines-key-not-of-scheme.toml"),
    ),
    (
        "lines-phase-in-hours.toml",
        include_str!("bad_input/lines-phase-in-hours.toml"),
    ),
    (
        "lines-without-tags.toml",
        include_str!("bad_input/lines-without-tags.toml"),
    ),
    (
        "step-due-without-schedule.toml",
        include_str!("bad_input/step-due-without-schedule.toml"),
    ),
    (
        "step-not-before-unknown-milestone.toml",
        include_str!("bad_input/step-not-before-unknown-milestone.toml"),
    ),
    (
        "release-lines-typo.toml",
        include_str!("bad_input/release-lines-typo.toml"),
    ),
    (
        "release-lines-without-lines.toml",
        include_str!("bad_input/release-lines-without-lines.toml"),
    ),
    (
        "unknown-placeholder.toml",
        include_str!("bad_input/unknown-placeholder.toml"),
    ),
    (
        "unclosed-placeholder.toml",
        include_str!("bad_input/unclosed-placeholder.toml"),
    ),
    (
        "edit-unknown-format.toml",
        include_str!("bad_input/edit-unknown-format.toml"),
    ),
    (
        "edit-changelog-with-key.toml",
        include_str!("bad_input/edit-changelog-with-key.toml"),
    ),
    (
        "edit-unknown-placeholder.toml",
        include_str!("bad_input/edit-unknown-placeholder.toml"),
    ),
];

#[test]
fn every_bad_process_file_gets_its_own_placed_message() {
    let mut report = String::new();
    let mut messages = Vec::new();
    for (name, text) in CASES {
        let err = Process::from_toml(name, text).expect_err(name);
        let at = err
            .location()
            .unwrap_or_else(|| panic!("{name}: no location in {err}"));
        assert_eq!(at.source, *name);
        assert!(at.line >= 1 && at.column >= 1, "{name}");
        assert!(
            !messages.contains(&err.message().to_owned()),
            "{name}: same message as another case: {err}"
        );
        messages.push(err.message().to_owned());
        report.push_str(&format!("=== {name} ({})\n{err}\n\n", err.kind()));
    }
    insta::assert_snapshot!("bad_input", report);
}

#[test]
fn a_ticket_missing_a_pin_names_it() {
    let process = Process::from_toml(
        "release.toml",
        include_str!("../../../examples/fragalysis/release.toml"),
    )
    .unwrap();
    let components = &process.def().components[..2];
    let err =
        parse_ticket_pins(include_str!("bad_input/missing-pin.ticket.md"), components).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"the ticket has no pin for frontend: expected a bullet line "- frontend <tag>" (or with '*' or '+', or ':' or '=' before the tag)"#);
}
