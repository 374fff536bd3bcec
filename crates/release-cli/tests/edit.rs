//! `release edit`: planned file edits, a diff on `--dry-run`, an atomic
//! write otherwise, refusals with their reason.

mod support;

use support::{release, release_in, scratch};

const WORKFLOW: &str = "name: build main\non:\n  push:\n    branches: [ master ]\nenv:\n  # pins\n  BE_IMAGE_TAG: 2023.05.1\n  FE_IMAGE_TAG: \"2023.05.4\"\njobs:\n  build:\n    runs-on: ubuntu-latest\n";

#[test]
fn fragalysis_pins_its_images_in_the_workflow_file() {
    let dir = scratch("edit-workflow", &[("build-main.yaml", WORKFLOW)]);
    let be = [
        "edit",
        "build-main.yaml",
        "--set",
        "env.BE_IMAGE_TAG=2023.06.1",
    ];
    let mut dry = be.to_vec();
    dry.push("--dry-run");
    insta::assert_snapshot!(release_in(&dir, &dry), @r#"
exit 0
--- stdout
--- build-main.yaml
+++ build-main.yaml
@@ -4,7 +4,7 @@
     branches: [ master ]
 env:
   # pins
-  BE_IMAGE_TAG: 2023.05.1
+  BE_IMAGE_TAG: 2023.06.1
   FE_IMAGE_TAG: "2023.05.4"
 jobs:
   build:
"#);
    let file = dir.join("build-main.yaml");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), WORKFLOW);
    insta::assert_snapshot!(release_in(&dir, &be), @r#"
exit 0
--- stderr
build-main.yaml: edited
"#);
    release_in(
        &dir,
        &[
            "edit",
            "build-main.yaml",
            "--set",
            "env.FE_IMAGE_TAG=2023.06.1",
        ],
    );
    let edited = std::fs::read_to_string(&file).expect("read");
    assert_eq!(
        edited,
        WORKFLOW
            .replace("2023.05.1", "2023.06.1")
            .replace("\"2023.05.4\"", "\"2023.06.1\"")
    );
    // Once more: nothing to change, and the file is not rewritten.
    insta::assert_snapshot!(release_in(&dir, &be), @r#"
exit 0
--- stderr
build-main.yaml: unchanged
"#);
    // The flow sequence cannot be edited in place.
    insta::assert_snapshot!(release_in(&dir, &["edit", "build-main.yaml", "--set", "on.push.branches.0=main"]), @r#"
exit 1
--- stderr
error: build-main.yaml:4:15: on.push.branches.0: a flow collection ({..} or [..]) on the path; it cannot be edited in place safely
  |
4 |     branches: [ master ]
  |               ^
"#);
}

#[test]
fn manifests_and_a_changelog_section() {
    let dir = scratch(
        "edit-manifests",
        &[
            (
                "Cargo.toml",
                "[package]\nname = \"app\" # ours\nversion = \"1.2.0\"\n",
            ),
            (
                "package.json",
                "{\n  \"name\": \"app\",\n  \"version\": \"1.2.0\"\n}\n",
            ),
            (
                "CHANGELOG.md",
                "# Changelog\n\n## 1.2.0 (2023-06-01)\n\n- old\n",
            ),
            (
                "notes.md",
                "## 1.3.0 (2023-06-20)\n\n### Features\n\n- new\n",
            ),
        ],
    );
    release_in(&dir, &["edit", "package.json", "--set", "version=1.3.0"]);
    release_in(
        &dir,
        &["edit", "Cargo.toml", "--set", "package.version=1.3.0"],
    );
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("read");
    assert_eq!(
        read("Cargo.toml"),
        "[package]\nname = \"app\" # ours\nversion = \"1.3.0\"\n"
    );
    assert_eq!(
        read("package.json"),
        "{\n  \"name\": \"app\",\n  \"version\": \"1.3.0\"\n}\n"
    );
    insta::assert_snapshot!(release_in(&dir, &["edit", "CHANGELOG.md", "--changelog", "notes.md", "--dry-run"]), @r#"
exit 0
--- stdout
--- CHANGELOG.md
+++ CHANGELOG.md
@@ -1,5 +1,11 @@
 # Changelog
 
+## 1.3.0 (2023-06-20)
+
+### Features
+
+- new
+
 ## 1.2.0 (2023-06-01)
 
 - old
"#);
    release_in(&dir, &["edit", "CHANGELOG.md", "--changelog", "notes.md"]);
    let once = read("CHANGELOG.md");
    release_in(&dir, &["edit", "CHANGELOG.md", "--changelog", "notes.md"]);
    assert_eq!(read("CHANGELOG.md"), once);
    let json = release(
        &[
            "--json",
            "edit",
            &dir.join("CHANGELOG.md").display().to_string(),
            "--changelog",
            "-",
        ],
        Some("## 1.3.0 (2023-06-20)\n\n### Features\n\n- new\n"),
    );
    assert!(json.contains("\"changed\": false"), "{json}");
}
