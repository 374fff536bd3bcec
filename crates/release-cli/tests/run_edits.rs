//! `[[steps.edits]]`: file edits declared in release.toml, listed by
//! `release plan`, shown as diffs by `release run --dry-run` and written
//! by `release run`, in a scratch directory with a real git clone, a
//! Cargo.toml, a package.json, a CHANGELOG and a workflow file.

mod support;

use std::path::Path;

use support::{git, release_in, scratch};

const PROCESS: &str = r#"
name = "app"

[[components]]
name = "app"
path = "app"
tags = { template = "v{version}", scheme = { kind = "semver" } }

[[steps]]
id = "bump"
kind = "custom"
component = "app"
edits = [
  { file = "Cargo.toml", key = "package.version", value = "{version}" },
  { file = "package.json", key = "version", value = "{version}" },
  { file = "CHANGELOG.md" },
]

[[steps]]
id = "pin"
kind = "custom"
needs = ["bump"]
command = ["true"]

[[steps.edits]]
file = "build.yaml"
key = "env.APP_TAG"
value = "{component.app.tag}"
"#;

const CARGO: &str =
    "[package]\nname = \"app\"\nversion = \"1.2.0\" # bumped by release\nedition = \"2021\"\n";
const PACKAGE: &str = "{\n  \"name\": \"app\",\n  \"version\": \"1.2.0\"\n}\n";
const CHANGELOG: &str = "# Changelog\n\n## 1.2.0 (2023-06-01)\n\n- first\n";
const WORKFLOW: &str =
    "name: build\nenv:\n  APP_TAG: v1.2.0 # pinned\njobs:\n  build:\n    runs-on: ubuntu-latest\n";

const NOW: &str = "2023-06-20T10:00:00Z";

/// The scratch directory: release.toml, the workflow, and the clone `app`
/// (tagged v1.2.0, then a feature and a fix) with its manifests.
fn project(test: &str, workflow: &str) -> std::path::PathBuf {
    let dir = scratch(test, &[("release.toml", PROCESS), ("build.yaml", workflow)]);
    let app = dir.join("app");
    std::fs::create_dir_all(&app).expect("the clone's directory");
    git(&app, &["init", "-q", "-b", "main"]);
    git(
        &app,
        &["commit", "-q", "--allow-empty", "-m", "feat: first"],
    );
    git(&app, &["tag", "v1.2.0"]);
    git(
        &app,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "feat: add search (#12)",
        ],
    );
    git(
        &app,
        &["commit", "-q", "--allow-empty", "-m", "fix: login loop"],
    );
    for (name, text) in [
        ("Cargo.toml", CARGO),
        ("package.json", PACKAGE),
        ("CHANGELOG.md", CHANGELOG),
    ] {
        std::fs::write(app.join(name), text).expect("a file of the clone");
    }
    dir
}

/// Every file the edits touch, as (name, text).
fn files(dir: &Path) -> Vec<(String, String)> {
    [
        "app/Cargo.toml",
        "app/package.json",
        "app/CHANGELOG.md",
        "build.yaml",
    ]
    .iter()
    .map(|f| {
        let text = std::fs::read_to_string(dir.join(f)).expect("read");
        ((*f).to_owned(), text)
    })
    .collect()
}

#[test]
fn plan_lists_each_steps_edits_with_the_plans_values() {
    let dir = project("edits-plan", WORKFLOW);
    let text = release_in(&dir, &["plan", "release.toml", "--now", NOW]);
    let edits = &text[text.find("edits:").expect("an edits section")..];
    insta::assert_snapshot!(edits, @r"
    edits:
      bump
        edit Cargo.toml package.version -> 1.3.0
        edit package.json version -> 1.3.0
        edit CHANGELOG.md -> the release notes of app 1.3.0 (written at run time from the commits)
      pin
        edit build.yaml env.APP_TAG -> v1.3.0

    estimate: 0 for the whole pipeline, along bump -> pin
    from now: 0 left; done by Tue 2023-06-20 10:00Z at the latest
    ");
    let json = release_in(&dir, &["plan", "release.toml", "--now", NOW, "--json"]);
    let doc: serde_json::Value =
        serde_json::from_str(json.split_once("--- stdout\n").expect("stdout").1).expect("JSON");
    let edits: Vec<&serde_json::Value> = doc["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| &s["edits"])
        .collect();
    let edits = serde_json::to_string_pretty(&edits).expect("JSON");
    insta::assert_snapshot!(edits, @r#"
[
  [
    {
      "file": "Cargo.toml",
      "format": "toml",
      "key": "package.version",
      "value": "1.3.0"
    },
    {
      "file": "package.json",
      "format": "json",
      "key": "version",
      "value": "1.3.0"
    },
    {
      "file": "CHANGELOG.md",
      "format": "changelog",
      "notes": {
        "component": "app",
        "date": "2023-06-20",
        "version": "1.3.0"
      }
    }
  ],
  [
    {
      "file": "build.yaml",
      "format": "yaml",
      "key": "env.APP_TAG",
      "value": "v1.3.0"
    }
  ]
]
"#);
}

#[test]
fn a_dry_run_shows_the_diffs_and_writes_nothing() {
    let dir = project("edits-dry-run", WORKFLOW);
    let before = files(&dir);
    let text = release_in(&dir, &["run", "release.toml", "--now", NOW, "--dry-run"]);
    let stdout = text
        .split_once("--- stdout\n")
        .and_then(|(_, rest)| rest.split("--- stderr\n").next())
        .expect("stdout");
    insta::assert_snapshot!(stdout, @r#"
dry run succeeded: 2 succeeded
  bump  succeeded  edits files only (below)
  pin   succeeded  would run ["true"]
bump would edit app/Cargo.toml:
--- app/Cargo.toml
+++ app/Cargo.toml
@@ -1,4 +1,4 @@
 [package]
 name = "app"
-version = "1.2.0" # bumped by release
+version = "1.3.0" # bumped by release
 edition = "2021"
bump would edit app/package.json:
--- app/package.json
+++ app/package.json
@@ -1,4 +1,4 @@
 {
   "name": "app",
-  "version": "1.2.0"
+  "version": "1.3.0"
 }
bump would edit app/CHANGELOG.md:
--- app/CHANGELOG.md
+++ app/CHANGELOG.md
@@ -1,5 +1,15 @@
 # Changelog
 
+## 1.3.0 (2023-06-20)
+
+### Features
+
+- add search (#12)
+
+### Bug Fixes
+
+- login loop
+
 ## 1.2.0 (2023-06-01)
 
 - first
pin would edit build.yaml:
--- build.yaml
+++ build.yaml
@@ -1,6 +1,6 @@
 name: build
 env:
-  APP_TAG: v1.2.0 # pinned
+  APP_TAG: v1.3.0 # pinned
 jobs:
   build:
     runs-on: ubuntu-latest
"#);
    assert_eq!(files(&dir), before, "a dry run writes no file");
}

#[test]
fn a_run_writes_the_files_and_a_second_run_changes_nothing() {
    let dir = project("edits-run", WORKFLOW);
    let first = release_in(&dir, &["run", "release.toml", "--now", NOW]);
    insta::assert_snapshot!(first, @r#"
exit 0
--- stdout
run succeeded: 2 succeeded
  bump  succeeded  edited app/Cargo.toml, app/package.json, app/CHANGELOG.md
  pin   succeeded  edited build.yaml
--- stderr
[10:00:00] bump started
[10:00:00] bump succeeded in 0.0s: edited app/Cargo.toml, app/package.json, app/CHANGELOG.md
[10:00:00] pin started
[10:00:00] pin succeeded in 0.0s: edited build.yaml
"#);
    let after = files(&dir);
    insta::assert_snapshot!(after[2].1, @r#"
# Changelog

## 1.3.0 (2023-06-20)

### Features

- add search (#12)

### Bug Fixes

- login loop

## 1.2.0 (2023-06-01)

- first
"#);
    assert_eq!(after[0].1, CARGO.replace("1.2.0", "1.3.0"));
    assert_eq!(after[1].1, PACKAGE.replace("1.2.0", "1.3.0"));
    assert_eq!(after[3].1, WORKFLOW.replace("v1.2.0", "v1.3.0"));
    let second = release_in(&dir, &["run", "release.toml", "--now", NOW]);
    insta::assert_snapshot!(second, @r#"
exit 0
--- stdout
run succeeded: 2 succeeded
  bump  succeeded  unchanged app/Cargo.toml, app/package.json, app/CHANGELOG.md
  pin   succeeded  unchanged build.yaml
--- stderr
[10:00:00] bump started
[10:00:00] bump succeeded in 0.0s: unchanged app/Cargo.toml, app/package.json, app/CHANGELOG.md
[10:00:00] pin started
[10:00:00] pin succeeded in 0.0s: unchanged build.yaml
"#);
    assert_eq!(files(&dir), after, "the second run changes nothing");
}

#[test]
fn a_refused_edit_fails_its_task_and_writes_no_file() {
    // The pinned tag is an alias of an anchor: editing it would change
    // what else refers to it.
    let aliased = "name: build\nx-tag: &tag v1.2.0\nenv:\n  APP_TAG: *tag\n";
    let dir = project("edits-refused", aliased);
    let process = r#"
[[components]]
name = "app"
path = "app"
tags = { template = "v{version}", scheme = { kind = "semver" } }

[[steps]]
id = "pin"
kind = "custom"
command = ["true"]
edits = [
  { file = "app/Cargo.toml", key = "package.version", value = "{component.app.version}" },
  { file = "build.yaml", key = "env.APP_TAG", value = "{component.app.tag}" },
]
"#;
    std::fs::write(dir.join("release.toml"), process).expect("write");
    let before = files(&dir);
    let dry = release_in(&dir, &["run", "release.toml", "--now", NOW, "--dry-run"]);
    insta::assert_snapshot!(dry, @r#"
exit 0
--- stdout
dry run succeeded: 1 succeeded
  pin  succeeded  would run ["true"]
edits of pin would fail: build.yaml:4:12: env.APP_TAG: an anchor or an alias on the path; editing it would change every place that refers to it
  |
4 |   APP_TAG: *tag
  |            ^
--- stderr
[10:00:00] pin started
[10:00:00] pin succeeded in 0.0s: dry run
"#);
    let text = release_in(&dir, &["run", "release.toml", "--now", NOW]);
    insta::assert_snapshot!(text, @r#"
exit 1
--- stdout
run failed: 1 failed
  pin  failed     build.yaml:4:12: env.APP_TAG: an anchor or an alias on the path; editing it would change every place that refers to it
  |
4 |   APP_TAG: *tag
  |            ^
--- stderr
[10:00:00] pin started
[10:00:00] pin failed in 0.0s: build.yaml:4:12: env.APP_TAG: an anchor or an alias on the path; editing it would change every place that refers to it
  |
4 |   APP_TAG: *tag
  |            ^
"#);
    assert_eq!(files(&dir), before, "no file is written");
}

/// Two steps editing one file: the dry run shows the second's diff on top
/// of the first's, as the run would make them.
#[test]
fn a_dry_run_shows_a_later_edit_of_a_file_on_top_of_an_earlier_one() {
    let dir = project("edits-twice", WORKFLOW);
    let process = r#"
[[components]]
name = "app"
path = "app"
tags = { template = "v{version}", scheme = { kind = "semver" } }

[[steps]]
id = "one"
kind = "custom"
edits = [{ file = "build.yaml", key = "env.APP_TAG", value = "{component.app.tag}" }]

[[steps]]
id = "two"
kind = "custom"
needs = ["one"]
edits = [{ file = "build.yaml", key = "jobs.build.runs-on", value = "ubuntu-24.04" }]
"#;
    std::fs::write(dir.join("release.toml"), process).expect("write");
    let text = release_in(&dir, &["run", "release.toml", "--now", NOW, "--dry-run"]);
    let two = &text[text.find("two would edit").expect("two's diff")..];
    assert!(
        two.contains(" APP_TAG: v1.3.0 # pinned") && two.contains("+    runs-on: ubuntu-24.04"),
        "{two}"
    );
    assert_eq!(files(&dir)[3].1, WORKFLOW, "a dry run writes no file");
}
