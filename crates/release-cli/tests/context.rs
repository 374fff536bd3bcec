//! Steps that know what they release and report back: the task context as
//! placeholders and `RELEASE_*` variables, `RELEASE_OUTPUT` files as
//! `output` facts that later gates and placeholders read, and the dry run
//! that prints each argv as it would run.

use insta::assert_snapshot;

mod support;
use support::{release_in, scratch};

const NOW: &str = "2026-03-03T12:00:00Z";

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The done-when of the issue: every command with the tags the plan
/// computes, the stack's 2023.06.2 among them.
#[test]
fn the_fragalysis_dry_run_prints_every_command_with_the_planned_tags() {
    let dir = example("fragalysis");
    let out = release_in(
        std::path::Path::new(&dir),
        &[
            "run",
            "release.toml",
            "--dry-run",
            "--now",
            "2023-06-20T09:00:00Z",
            "--tags",
            "tags.txt",
        ],
    );
    assert!(out.contains("\"2023.06.2\""), "{out}");
    // The example's README shows this dry run as it is.
    let stdout = out
        .split_once("--- stdout\n")
        .and_then(|(_, rest)| rest.split_once("--- stderr\n"))
        .map(|(stdout, _)| stdout)
        .unwrap();
    let readme = std::fs::read_to_string(format!("{dir}/README.md")).unwrap();
    assert!(
        readme.contains(stdout),
        "examples/fragalysis/README.md shows another dry run"
    );
    assert_snapshot!(out, @r#"
exit 0
--- stdout
dry run succeeded: 8 succeeded
  choose-versions    succeeded  approved by dry-run
  tag-backend        succeeded  would run ["gh", "release", "create", "2023.06.1", "--repo", "xchem/fragalysis-backend", "--target", "production", "--title", "2023.06.1"]
  tag-frontend       succeeded  would run ["gh", "release", "create", "2023.06.1", "--repo", "xchem/fragalysis-frontend", "--target", "production", "--title", "2023.06.1"]
  pin-stack          succeeded  edits files only (below)
  tag-stack          succeeded  would run ["gh", "release", "create", "2023.06.2", "--repo", "xchem/fragalysis-stack", "--target", "master", "--title", "2023.06.2"]
  deploy-production  succeeded  would run ["kubectl", "--context", "production", "set", "image", "deployment/stack", "stack=xchem/fragalysis-stack:2023.06.2"]
  verify             succeeded  approved by dry-run
  ticket             succeeded  would run ["gh", "issue", "create", "--repo", "xchem/fragalysis-stack", "--title", "Release 2023.06.2", "--body", "backend 2023.06.1, frontend 2023.06.1"]
pin-stack would edit build-main.yaml:
--- build-main.yaml
+++ build-main.yaml
@@ -6,8 +6,8 @@
   push:
     branches: [ master ]
 env:
-  BE_IMAGE_TAG: 2023.05.1
-  FE_IMAGE_TAG: 2023.05.4
+  BE_IMAGE_TAG: 2023.06.1
+  FE_IMAGE_TAG: 2023.06.1
 jobs:
   build:
     runs-on: ubuntu-latest
--- stderr
warning: component "stack": invalid tag "latest" for format YYYY.0M.MICRO: expected a four-digit year (YYYY) at byte 0, found "late"; the tag is left out
[09:00:00] requested by dry-run.requester
[09:00:00] approved choose-versions by dry-run
[09:00:00] tag-backend started
[09:04:00] tag-backend succeeded in 4m00s: dry run
[09:04:00] waived gate "backend-ci" tag-frontend by dry-run: dry run: assumed to pass
[09:04:00] tag-frontend started
[09:10:00] tag-frontend succeeded in 6m00s: dry run
[09:10:00] waived gate "frontend-ci" pin-stack by dry-run: dry run: assumed to pass
[09:10:00] pin-stack started
[09:10:00] pin-stack succeeded in 0.0s: dry run
[09:10:00] tag-stack started
[09:10:00] tag-stack succeeded in 0.0s: dry run
[09:10:00] waived gate "production-tag" deploy-production by dry-run: dry run: assumed to pass
[09:10:00] waived gate "pins" deploy-production by dry-run: dry run: assumed to pass
[09:10:00] deploy-production started
[09:25:00] deploy-production succeeded in 15m00s: dry run
[09:25:00] approved verify by dry-run
[09:25:00] ticket started
[09:25:00] ticket succeeded in 0.0s: dry run
"#);
}

const OUTPUTS: &str = r#"
name = "outputs"
[[components]]
name = "app"
tags = { scheme = { kind = "semver" } }

[[steps]]
id = "build"
kind = "build"
component = "app"
command = ["sh", "-c", "echo \"digest=sha256:$RELEASE_TAG\" >> \"$RELEASE_OUTPUT\"; echo tests=12 >> \"$RELEASE_OUTPUT\""]

[[steps]]
id = "deploy"
kind = "deploy"
component = "app"
needs = ["build"]
gates = [{ name = "built", rule = { output = { step = "build", name = "digest" } } }]
command = ["sh", "-c", "echo \"$0 $1\" > deployed.txt", "{tag}", "{output.build.digest}"]

[[steps]]
id = "report"
kind = "notify"
needs = ["deploy"]
command = ["sh", "-c", "echo ok=1 >> \"$RELEASE_OUTPUT\"; echo 'Bad=2' >> \"$RELEASE_OUTPUT\""]
"#;

/// A step's output becomes a fact a later gate reads and a later command's
/// placeholder; a bad line fails its step, naming the line, and records
/// nothing of its file.
#[test]
fn outputs_become_facts_that_gates_and_placeholders_read() {
    let dir = scratch("context-outputs", &[("p.toml", OUTPUTS)]);
    let out = release_in(
        &dir,
        &[
            "run",
            "p.toml",
            "--journal",
            "j.jsonl",
            "--now",
            NOW,
            "--tag",
            "app=1.2.3",
        ],
    );
    assert_snapshot!(out, @r#"
exit 1
--- stdout
run failed: 1 failed, 2 succeeded
  build   succeeded
  deploy  succeeded
  report  failed     RELEASE_OUTPUT line 2: "Bad" is not an output name (lowercase letters, digits, `_` and `-`); nothing of it was recorded
--- stderr
[12:00:00] build started
[12:00:00] fact output "build.digest" = "sha256:1.2.4" (from build at 2026-03-03T12:00:00Z)
[12:00:00] fact output "build.tests" = "12" (from build at 2026-03-03T12:00:00Z)
[12:00:00] build succeeded in 0.0s
[12:00:00] deploy started
[12:00:00] deploy succeeded in 0.0s
[12:00:00] report started
[12:00:00] report failed in 0.0s: RELEASE_OUTPUT line 2: "Bad" is not an output name (lowercase letters, digits, `_` and `-`); nothing of it was recorded
"#);
    let deployed = std::fs::read_to_string(dir.join("deployed.txt")).unwrap();
    assert_eq!(deployed, "1.2.4 sha256:1.2.4\n");
    let journal = std::fs::read_to_string(dir.join("j.jsonl")).unwrap();
    assert!(journal.contains(r#""kind":"output","subject":"build.digest""#));
    assert!(!journal.contains("report.ok"), "nothing half-recorded");
    // Each start records what its task released.
    let build = journal
        .lines()
        .find(|l| l.contains(r#""event":"started","task":"build""#))
        .unwrap();
    assert!(build.contains(r#""tag":"1.2.4""#), "{build}");
    assert!(build.contains(r#""version":"1.2.4""#), "{build}");
    assert!(release_in(&dir, &["verify", "j.jsonl"]).starts_with("exit 0"));
    // Outputs are the steps' own: no one records one by hand.
    assert_snapshot!(
        release_in(&dir, &["fact", "p.toml", "output", "build.digest", "x", "--journal", "j.jsonl", "--now", NOW]),
        @r#"
exit 2
--- stderr
error: nothing recorded: `release fact output` is refused; an output is what a step reports in its RELEASE_OUTPUT file while `release run` runs it
"#
    );
}

/// An unknown placeholder is an error when the file is read, placed at
/// its argument.
#[test]
fn an_unknown_placeholder_is_refused_at_load() {
    let text = "[[steps]]\nid = \"tag\"\nkind = \"tag\"\ncommand = [\"git\", \"tag\", \"{tga}\"]\n";
    let dir = scratch("context-unknown", &[("p.toml", text)]);
    assert_snapshot!(release_in(&dir, &["check", "p.toml"]), @r#"
exit 2
--- stderr
error: p.toml:4:26: steps[0] ("tag"): command[2] "{tga}": unknown placeholder {tga}; a command may use {step}, {attempt}, {release.name}, {release.day}, {release.kind}, {output.STEP.NAME}; `{{` and `}}` are literal braces
  |
4 | command = ["git", "tag", "{tga}"]
  |                          ^^^^^^^
"#);
}
