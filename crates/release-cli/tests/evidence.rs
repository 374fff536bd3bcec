//! `release evidence`: the evidence record of a run from its journal.

mod support;
use support::{release_in, scratch};

const NOW: &str = "2026-03-03T12:00:00Z";
const LATER: &str = "2026-03-03T12:30:00Z";

/// A build, a manual sign-off, a deploy gated on open blockers, and docs,
/// which may be skipped.
const MANUAL: &str = r#"
name = "manual"
[[components]]
name = "app"
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

#[test]
fn a_finished_release_exports_its_evidence() {
    let dir = scratch("evidence", &[("p.toml", MANUAL)]);
    let steps: &[&[&str]] = &[
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
        &[
            "fact",
            "p.toml",
            "tag",
            "app",
            "v1.3.0",
            "--source",
            "git",
            "--journal",
            "j.jsonl",
            "--now",
            LATER,
        ],
        &[
            "skip",
            "p.toml",
            "docs",
            "--by",
            "alice",
            "--reason",
            "no doc changes",
            "--journal",
            "j.jsonl",
            "--now",
            LATER,
        ],
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--resume",
            "--now",
            LATER,
        ],
    ];
    for args in steps {
        let out = release_in(&dir, args);
        assert!(
            out.starts_with("exit 0") || out.starts_with("exit 1"),
            "{args:?}: {out}"
        );
    }
    insta::assert_snapshot!(release_in(&dir, &["evidence", "p.toml", "j.jsonl"]), @r#"
exit 0
--- stdout
{
  "format": 1,
  "status": "succeeded",
  "requested_by": "lead",
  "started": "2026-03-03T12:00:00Z",
  "finished": "2026-03-03T12:30:00Z",
  "tags": {
    "app": "v1.3.0"
  },
  "pins": {},
  "steps": [
    {
      "id": "build",
      "state": "succeeded",
      "component": null,
      "environment": null,
      "started": "2026-03-03T12:00:00Z",
      "finished": "2026-03-03T12:00:00Z",
      "attempts": 1,
      "gates": null
    },
    {
      "id": "sign-off",
      "state": "succeeded",
      "component": null,
      "environment": null,
      "started": null,
      "finished": "2026-03-03T12:30:00Z",
      "attempts": 0,
      "gates": null
    },
    {
      "id": "deploy",
      "state": "succeeded",
      "component": null,
      "environment": null,
      "started": "2026-03-03T12:30:00Z",
      "finished": "2026-03-03T12:30:00Z",
      "attempts": 1,
      "gates": {
        "status": "passed",
        "reasons": [
          {
            "gate": "no blockers",
            "status": "passed",
            "blocking": true,
            "rule": "count \"open_blockers\" <= 0",
            "detail": "0 open_blockers (from jira at 2026-03-03T12:30:00Z)"
          }
        ]
      }
    },
    {
      "id": "docs",
      "state": "skipped",
      "component": null,
      "environment": null,
      "started": null,
      "finished": "2026-03-03T12:30:00Z",
      "attempts": 0,
      "gates": null
    }
  ],
  "facts": [
    {
      "kind": "count",
      "subject": "open_blockers",
      "value": 0,
      "source": "jira",
      "at": "2026-03-03T12:30:00Z"
    },
    {
      "kind": "tag",
      "subject": "app",
      "value": "v1.3.0",
      "source": "git",
      "at": "2026-03-03T12:30:00Z"
    }
  ],
  "approvals": [
    {
      "at": "2026-03-03T12:30:00Z",
      "by": "alice",
      "task": "sign-off",
      "role": null
    }
  ],
  "waivers": [
    {
      "at": "2026-03-03T12:30:00Z",
      "action": "skipped",
      "task": "docs",
      "gate": null,
      "by": "alice",
      "reason": "no doc changes"
    }
  ]
}
"#);
}
