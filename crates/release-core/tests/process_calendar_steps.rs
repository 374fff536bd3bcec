//! Steps on the calendar: a step starts no earlier than a milestone and is
//! due by one; a plan says when, and by how much a step misses its
//! deadline; `explain` names what a step waits for; a gate asks that a
//! fact held before a milestone.

use chrono::{DateTime, Utc};
use release_core::gate::{Fact, FactKind, FactValue, Facts};
use release_core::process::Process;

fn t(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

/// A yearly final on the first Tuesday of October (as a 12-monthly rule),
/// its feature freeze the first Tuesday of the month five months before.
const PROCESS: &str = r#"
name = "yearly"
release_day = "final"

[[schedules]]
name = "final"
time = "12:00"
zone = "UTC"
recurrence = { start = "2024-10-01", rule = { frequency = "monthly", interval = 12, by_day = ["1TU"] } }

[[milestones.final]]
name = "feature freeze"
offset = "1TU of month -5"

[[milestones.final]]
name = "rc 1"
offset = "-2 months"

[[steps]]
id = "bump-version"
kind = "custom"
estimate = "1h..3h"
due = "feature freeze"

[[steps]]
id = "branch"
kind = "custom"
estimate = "30m"
not_before = "feature freeze"
due = { milestone = "rc 1", offset = "-1 days" }

[[steps]]
id = "late"
kind = "custom"
estimate = "30d"
not_before = { milestone = "rc 1" }
due = { milestone = "rc 1", offset = "+3 days" }

[[steps]]
id = "rc"
kind = "custom"
needs = ["branch"]
gates = [{ name = "backports", rule = { before = { milestone = "feature freeze", rule = { test = "cherry-picks" } } } }]
"#;

fn process() -> Process {
    Process::from_toml("yearly.toml", PROCESS).unwrap()
}

#[test]
fn steps_start_at_and_are_due_by_milestones() {
    let p = process();
    let now = t("2024-03-01T00:00:00Z");
    let plan = p.plan(now, &Facts::new(), &[]).unwrap();
    let release = plan.release.as_ref().unwrap();
    let ms: Vec<String> = release.milestones.iter().map(ToString::to_string).collect();
    assert_eq!(
        ms,
        ["feature freeze 2024-05-07 12:00", "rc 1 2024-08-01 12:00"]
    );
    let step = |id: &str| plan.steps.iter().find(|s| s.id == id).unwrap();
    // Due by the freeze, but nothing starts before the release day.
    let bump = step("bump-version");
    assert_eq!(bump.due, Some(t("2024-05-07T12:00:00Z")));
    assert_eq!(bump.start, t("2024-10-01T12:00:00Z"));
    assert_eq!(
        bump.misses_by.map(|s| s.to_string()),
        Some("147d1h".to_owned())
    );
    assert!(
        bump.reasons.iter().any(|r| r
            == "cannot finish by feature freeze at 2024-05-07 12:00 UTC: misses it by 147d1h at the earliest"),
        "{:?}",
        bump.reasons
    );
    let branch = step("branch");
    assert_eq!(branch.not_before, Some(t("2024-05-07T12:00:00Z")));
    assert_eq!(branch.due, Some(t("2024-07-31T12:00:00Z")));
    // A step placed on the calendar starts there, months before the
    // release day, and the steps after it follow it.
    assert_eq!(branch.start, t("2024-05-07T12:00:00Z"));
    assert_eq!(branch.misses_by, None);
    let rc = step("rc");
    assert_eq!(rc.start, t("2024-05-07T12:30:00Z"));
}

#[test]
fn a_step_waits_for_its_milestone_and_says_so() {
    // Without `release_day` the only schedule is the release day too.
    let text = PROCESS.replace("release_day = \"final\"\n", "");
    let p = Process::from_toml("yearly.toml", &text).unwrap();
    let now = t("2024-03-01T00:00:00Z");
    let plan = p.plan(now, &Facts::new(), &[]).unwrap();
    let branch = plan.steps.iter().find(|s| s.id == "branch").unwrap();
    assert_eq!(branch.start, t("2024-05-07T12:00:00Z"));
    assert_eq!(
        branch.reasons,
        [
            "waits for feature freeze at 2024-05-07 12:00 UTC",
            "due by rc 1 minus 1 day at 2024-07-31 12:00 UTC"
        ]
    );
    let late = plan.steps.iter().find(|s| s.id == "late").unwrap();
    assert!(
        late.reasons
            .iter()
            .any(|r| r == "cannot finish by rc 1 plus 3 days at 2024-08-04 12:00 UTC: misses it by 27d at the earliest"),
        "{:?}",
        late.reasons
    );
    let e = p.explain("branch", now, &Facts::new(), &[]).unwrap();
    assert!(!e.ready);
    assert_eq!(e.until, Some(t("2024-05-07T12:00:00Z")));
    assert!(
        e.reasons
            .contains(&"waits for feature freeze at 2024-05-07 12:00 UTC".to_owned()),
        "{:?}",
        e.reasons
    );
    // Past the deadline and not done: overdue.
    let later = t("2024-08-02T00:00:00Z");
    let e = p.explain("branch", later, &Facts::new(), &[]).unwrap();
    assert!(
        e.reasons
            .iter()
            .any(|r| r == "overdue since 2024-07-31 12:00 UTC (due by rc 1 minus 1 day)"),
        "{:?}",
        e.reasons
    );
}

#[test]
fn a_gate_asks_that_a_fact_held_before_a_milestone() {
    let text = PROCESS.replace("release_day = \"final\"\n", "");
    let p = Process::from_toml("yearly.toml", &text).unwrap();
    let cherry = |at: &str| {
        let mut f = Facts::new();
        f.record(Fact::new(
            FactKind::Test,
            "cherry-picks",
            FactValue::Bool(true),
            "ci",
            t(at),
        ));
        f
    };
    let gate_status = |now: &str, facts: &Facts| {
        let e = p.explain("rc", t(now), facts, &[]).unwrap();
        let reason = e
            .verdict
            .reasons
            .iter()
            .find(|r| r.rule == "before \"feature freeze\"")
            .unwrap()
            .clone();
        (reason.status.as_str(), reason.detail)
    };
    // Before the freeze with no fact: pending, until the freeze.
    assert_eq!(
        gate_status("2024-04-01T00:00:00Z", &Facts::new()),
        (
            "pending",
            "not yet (test \"cherry-picks\": missing fact test \"cherry-picks\"); it must hold by feature freeze (2024-05-07T12:00:00Z)".to_owned()
        )
    );
    // Merged before the freeze: passes, also after it.
    let early = cherry("2024-05-01T00:00:00Z");
    assert_eq!(gate_status("2024-06-01T00:00:00Z", &early).0, "passed");
    // Merged after the freeze: fails.
    let late = cherry("2024-05-20T00:00:00Z");
    assert_eq!(
        gate_status("2024-06-01T00:00:00Z", &late),
        (
            "failed",
            "did not hold by feature freeze (2024-05-07T12:00:00Z); as of then, test \"cherry-picks\": missing fact test \"cherry-picks\"".to_owned()
        )
    );
}

#[test]
fn unknown_milestones_are_named_with_their_place() {
    let bad = PROCESS.replace("due = \"feature freeze\"", "due = \"feature frieze\"");
    let e = Process::from_toml("yearly.toml", &bad).unwrap_err();
    insta::assert_snapshot!(e, @r#"
yearly.toml:23:7: steps[0] ("bump-version"): due: "feature frieze" is not a milestone of the release day's schedule "final" (milestones: "feature freeze", "rc 1")
   |
23 | due = "feature frieze"
   |       ^^^^^^^^^^^^^^^^
"#);
    let bad = PROCESS.replace(
        "milestone = \"feature freeze\", rule",
        "milestone = \"freeze\", rule",
    );
    let e = Process::from_toml("yearly.toml", &bad).unwrap_err();
    insta::assert_snapshot!(e, @r#"
yearly.toml:43:10: steps[3] ("rc"): gate "backports": before: "freeze" is not a milestone of the release day's schedule "final" (milestones: "feature freeze", "rc 1")
   |
43 | gates = [{ name = "backports", rule = { before = { milestone = "freeze", rule = { test = "cherry-picks" } } } }]
   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
"#);
    let bad = PROCESS.replace("offset = \"-1 days\"", "offset = \"-1 dayz\"");
    let e = Process::from_toml("yearly.toml", &bad).unwrap_err();
    insta::assert_snapshot!(e, @r#"
yearly.toml:30:38: invalid offset "-1 dayz": in "-1 dayz", unknown offset unit "dayz" (did you mean "days"?); expected one of: minutes, hours, days, working_days, weeks, months, years
   |
30 | due = { milestone = "rc 1", offset = "-1 dayz" }
   |                                      ^^^^^^^^^
"#);
}
