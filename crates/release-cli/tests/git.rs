//! Tags and commits read from real git repositories: each test builds its
//! repositories in a scratch directory with `git init`, commits with fixed
//! identities and dates, and tags; no mock of git.

mod support;

use std::path::{Path, PathBuf};

use support::{git, release, release_in, scratch};

/// A repository at `dir` made of `history`: a commit message, a tag
/// (`tag NAME`, lightweight; `annotated NAME`) of the commit before, or a
/// branch there (`branch NAME`; commits go on `main`).
fn repo(dir: &Path, history: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).expect("the repository's directory is made");
    git(dir, &["init", "-q", "-b", "main"]);
    for item in history {
        if let Some(name) = item.strip_prefix("tag ") {
            git(dir, &["tag", name]);
        } else if let Some(name) = item.strip_prefix("branch ") {
            git(dir, &["branch", name]);
        } else if let Some(name) = item.strip_prefix("annotated ") {
            git(dir, &["tag", "-a", "-m", name, name]);
        } else {
            git(dir, &["commit", "-q", "--allow-empty", "-m", item]);
        }
    }
    dir.to_path_buf()
}

/// The output with the scratch directory written `[DIR]`.
fn redact(text: &str, dir: &Path) -> String {
    text.replace(&dir.display().to_string(), "[DIR]")
}

const SEMVER: &[&str] = &[
    "feat: first",
    "tag v1.0.0",
    "fix: a crash",
    "annotated v1.1.0",
    "fix: the parser\n\nA longer body.",
    "feat(api): a new endpoint (#12)",
    "chore: tidy",
];

const ONE_COMPONENT: &str = r#"
name = "app"
[[components]]
name = "app"
repository = "example/app"
tags = { scheme = { kind = "semver", v_prefix = "always" } }
[[steps]]
id = "tag"
kind = "tag"
component = "app"
"#;

#[test]
fn version_next_in_a_repository_bumps_by_its_commits_since_the_latest_tag() {
    let dir = repo(&scratch("git-version-next", &[]), SEMVER);
    insta::assert_snapshot!(release_in(&dir, &["version", "next"]), @r#"
    exit 0
    --- stdout
    v1.2.0
    "#);
    insta::assert_snapshot!(release_in(&dir, &["--json", "version", "next"]), @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "current": "v1.1.0",
  "version": "v1.2.0",
  "tag": "v1.2.0",
  "level": "minor"
}
"#);
    // A level given bumps by it; the tags still come from git.
    insta::assert_snapshot!(release_in(&dir, &["version", "next", "--level", "major"]), @r#"
    exit 0
    --- stdout
    v2.0.0
    "#);
}

#[test]
fn version_next_with_repo_and_nothing_since_the_tag_is_no_release() {
    let dir = repo(
        &scratch("git-version-none", &[]),
        &["feat: one", "tag v0.3.0"],
    );
    let path = dir.display().to_string();
    insta::assert_snapshot!(release(&["version", "next", "--repo", &path], None), @r#"
    exit 0
    --- stdout
    no release: no commits since v0.3.0
    "#);
}

#[test]
fn a_repository_without_tags_or_commits_is_a_first_release() {
    let dir = repo(&scratch("git-empty", &[]), &[]);
    let path = dir.display().to_string();
    insta::assert_snapshot!(release(&["version", "next", "--repo", &path, "--level", "minor"], None), @r#"
    exit 0
    --- stdout
    0.1.0
    "#);
}

#[test]
fn next_and_plan_of_a_one_component_process_read_the_current_directory() {
    let dir = scratch("git-next-here", &[]);
    repo(&dir, SEMVER);
    std::fs::write(dir.join("release.toml"), ONE_COMPONENT).expect("written");
    let at = "--now=2023-06-20T09:00:00Z";
    insta::assert_snapshot!(release_in(&dir, &["next", "release.toml", at]), @r#"
    exit 0
    --- stdout
    COMPONENT  LATEST  NEXT    KIND   WHY
    app        v1.1.0  v1.2.0  minor  3 change(s) call for a minor release
    "#);
    let plan = release_in(&dir, &["plan", "release.toml", at]);
    assert!(plan.contains("app        v1.1.0  v1.2.0"), "{plan}");
    // Tags given on the command line are the answer's; git is not read.
    insta::assert_snapshot!(release_in(&dir, &["next", "release.toml", at, "--tag", "app=v2.0.0"]), @r#"
    exit 0
    --- stdout
    COMPONENT  LATEST  NEXT    KIND   WHY
    app        v2.0.0  v2.0.1  patch  no changes given: next patch
    "#);
}

#[test]
fn notes_in_a_repository_list_the_commits_since_the_tag_before_the_release() {
    let dir = repo(&scratch("git-notes", &[]), SEMVER);
    insta::assert_snapshot!(release_in(&dir, &["notes", "--release", "1.2.0", "--date", "2023-06-20"]), @r#"
    exit 0
    --- stdout
    ## 1.2.0 (2023-06-20)

    ### Features

    - **api:** a new endpoint (#12)

    ### Bug Fixes

    - the parser
    --- stderr
    note: 1 change left out of the notes (no section for their type; set other = "..." in [notes] to list them): "chore: tidy"
    "#);
    // Once the release is tagged its notes are still the changes since the
    // tag before it.
    git(&dir, &["tag", "v1.2.0"]);
    git(
        &dir,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "fix: after the release",
        ],
    );
    let notes = release_in(&dir, &["notes", "--release", "1.2.0"]);
    assert!(notes.contains("a new endpoint"), "{notes}");
    // Piped commits are the notes' instead.
    let piped = release(&["notes", "--release", "1.2.0"], Some("fix: piped\n"));
    assert!(
        piped.contains("piped") && !piped.contains("endpoint"),
        "{piped}"
    );
}

/// The Fragalysis repositories of `examples/fragalysis/tags.txt`, with
/// commits since each one's latest tag.
fn fragalysis(dir: &Path) {
    repo(
        &dir.join("backend"),
        &[
            "feat: models",
            "tag 2023.05.1",
            "fix: the api",
            "branch production",
        ],
    );
    repo(
        &dir.join("frontend"),
        &[
            "feat: viewer",
            "tag 2023.05.3",
            "fix: layout",
            "tag 2023.05.4",
            "fix: colours",
            "branch production",
        ],
    );
    repo(
        &dir.join("stack"),
        &[
            "feat: compose",
            "annotated 2023.06.1",
            "tag latest",
            "fix: pin the images",
            "branch master",
        ],
    );
}

/// Each component's latest tag and next version in `release next --json`.
fn versions(json: &str) -> Vec<(String, String, String)> {
    let doc: serde_json::Value = serde_json::from_str(json).expect("JSON");
    doc.as_array()
        .expect("an array")
        .iter()
        .map(|v| {
            let field = |name: &str| v[name].as_str().unwrap_or("-").to_owned();
            (field("component"), field("current"), field("next"))
        })
        .collect()
}

#[test]
fn fragalysis_from_git_repositories_agrees_with_its_tags_file() {
    let dir = scratch("git-fragalysis", &[]);
    fragalysis(&dir);
    let file = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/fragalysis/release.toml"
    );
    let tags = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/fragalysis/tags.txt"
    );
    let at = "--now=2023-06-20T09:00:00Z";
    let (code, from_file, _) = support::run(&["--json", "next", file, at, "--tags", tags], None);
    assert_eq!(code, 0);
    let repos: Vec<String> = ["backend", "frontend", "stack"]
        .iter()
        .map(|c| format!("--repo={c}={}", dir.join(c).display()))
        .collect();
    let mut args = vec!["--json", "next", file, at];
    args.extend(repos.iter().map(String::as_str));
    let (code, from_git, stderr) = support::run(&args, None);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(versions(&from_git), versions(&from_file));
    assert!(
        versions(&from_git).contains(&("stack".into(), "2023.06.1".into(), "2023.06.2".into())),
        "{from_git}"
    );
    // The stack's `latest` tag is said to be left out, as from the file.
    assert!(stderr.contains("\"latest\""), "{stderr}");

    // The same from `path` keys in the process file, relative to it.
    let text = std::fs::read_to_string(file).expect("the example is read");
    let with_paths = ["backend", "frontend", "stack"].iter().fold(text, |t, c| {
        t.replace(
            &format!("name = \"{c}\"\n"),
            &format!("name = \"{c}\"\npath = \"{c}\"\n"),
        )
    });
    std::fs::write(dir.join("release.toml"), with_paths).expect("written");
    insta::assert_snapshot!(release_in(&dir, &["next", "release.toml", at]), @r#"
    exit 0
    --- stdout
    COMPONENT  LATEST     NEXT       KIND  WHY
    backend    2023.05.1  2023.06.1  -     1 change(s) call for a release; format YYYY.0M.MICRO on 2023-06-20
    frontend   2023.05.4  2023.06.1  -     1 change(s) call for a release; format YYYY.0M.MICRO on 2023-06-20
    stack      2023.06.1  2023.06.2  -     1 change(s) call for a release; format YYYY.0M.MICRO on 2023-06-20
    --- stderr
    note: 1 of 2 tags left out, not of component "stack"'s scheme: "latest" (invalid tag "latest" for format YYYY.0M.MICRO: expected a four-digit year (YYYY) at byte 0, found "late")
    "#);
    let plan = release_in(&dir, &["plan", "release.toml", at]);
    assert!(plan.contains("stack      2023.06.1  2023.06.2"), "{plan}");
    // The stack's notes: its commits since 2023.06.1, from its `path`.
    let notes = release_in(
        &dir,
        &[
            "notes",
            "--process",
            "release.toml",
            "--release",
            "2023.06.2",
        ],
    );
    assert!(
        notes.contains("pin the images") && !notes.contains("compose"),
        "{notes}"
    );
}

#[test]
fn repository_errors_name_the_path_and_gits_reason() {
    let dir = scratch("git-errors", &[("release.toml", ONE_COMPONENT)]);
    let not_a_repo = dir.join("plain");
    std::fs::create_dir_all(&not_a_repo).expect("made");
    let file = dir.join("release.toml").display().to_string();
    let repo_arg = format!("--repo=app={}", not_a_repo.display());
    let (_, _, stderr) = support::run(&["next", &file, &repo_arg], None);
    insta::assert_snapshot!(redact(&stderr, &dir), @r#"error: --repo app: [DIR]/plain: `git rev-parse --git-dir` failed (exit status: 128): fatal: not a git repository (or any of the parent directories): .git"#);
    let missing = format!("--repo=app={}", dir.join("missing").display());
    let (_, _, stderr) = support::run(&["next", &file, &missing], None);
    insta::assert_snapshot!(redact(&stderr, &dir), @r#"error: --repo app: [DIR]/missing: not a directory (expected a git repository's clone)"#);
    insta::assert_snapshot!(release(&["next", &file, "--repo=web=."], None), @r#"
    exit 2
    --- stderr
    error: --repo web=.: no component named "web" (components: app)
    "#);
    insta::assert_snapshot!(release(&["next", &file, "--repo=app=.", "--tag=app=v1.0.0"], None), @r#"
    exit 2
    --- stderr
    error: --repo app=.: tags of app are given with --tag/--tags too; give one source
    "#);
    insta::assert_snapshot!(release(&["next", &file, "--repo", "app"], None), @r#"
    exit 2
    --- stderr
    error: --repo "app": expected COMPONENT=PATH
    "#);
    // A `path` that is not a repository is refused with the file's name.
    let bad = ONE_COMPONENT.replace("repository = ", "path = \"nowhere\"\nrepository = ");
    std::fs::write(dir.join("bad.toml"), bad).expect("written");
    let bad_file = dir.join("bad.toml").display().to_string();
    let (_, _, stderr) = support::run(&["next", &bad_file], None);
    insta::assert_snapshot!(redact(&stderr, &dir), @r#"error: [DIR]/bad.toml: the path "nowhere" of component "app": [DIR]/nowhere: not a directory (expected a git repository's clone)"#);
}

#[test]
fn a_real_run_advances_the_release_state_and_a_dry_run_leaves_it_byte_identical() {
    let dir = scratch("git-state", &[]);
    repo(&dir, SEMVER);
    let process = ONE_COMPONENT.replace(
        "component = \"app\"\n",
        "component = \"app\"\ncommand = [\"git\", \"tag\", \"v1.2.0\"]\n",
    );
    std::fs::write(dir.join("release.toml"), process).expect("written");
    let at = "--now=2023-06-20T09:00:00Z";
    let state = dir.join("state.json");
    // A dry run with no state file writes none.
    let dry = release_in(
        &dir,
        &["run", "release.toml", "--state=state.json", "--dry-run", at],
    );
    assert!(dry.starts_with("exit 0"), "{dry}");
    assert!(!state.exists());
    // A state recording the last release: a dry run keeps its bytes.
    let old = "{\"format\":1,\"released\":{\"app\":{\"version\":\"1.1.0\",\"tag\":\"v1.1.0\",\"at\":\"2023-06-01T10:00:00Z\"}}}";
    std::fs::write(&state, old).expect("written");
    release_in(
        &dir,
        &["run", "release.toml", "--state=state.json", "--dry-run", at],
    );
    assert_eq!(std::fs::read_to_string(&state).expect("read"), old);
    // The real run tags v1.2.0 and the state records it.
    let real = release_in(&dir, &["run", "release.toml", "--state=state.json", at]);
    assert!(
        real.contains("release state state.json: released app v1.2.0"),
        "{real}"
    );
    insta::assert_snapshot!(std::fs::read_to_string(&state).expect("read"), @r#"
    {
      "format": 1,
      "released": {
        "app": {
          "version": "v1.2.0",
          "tag": "v1.2.0",
          "at": "2023-06-20T09:00:00Z"
        }
      },
      "next": {}
    }
    "#);
    // The state now agrees with the tags; a tag it does not know is said.
    let next = release_in(&dir, &["next", "release.toml", at, "--state=state.json"]);
    assert!(!next.contains("warning"), "{next}");
    git(&dir, &["tag", "v1.3.0"]);
    let next = release_in(&dir, &["next", "release.toml", at, "--state=state.json"]);
    insta::assert_snapshot!(next, @r#"
    exit 0
    --- stdout
    COMPONENT  LATEST  NEXT  KIND  WHY
    app        v1.3.0  -     -     nothing changed since the latest tag
    --- stderr
    warning: release state state.json: component "app": tag v1.3.0 is newer than the release state's last release v1.2.0; the tags are the truth
    "#);
}

/// A component's declared `branch` is where its commits come from, not
/// `HEAD`: a feature merged on `main` only does not raise the release of
/// `production`; a branch the clone lacks is an error naming it.
#[test]
fn commits_come_from_the_components_branch() {
    let dir = scratch("git-branch", &[]);
    repo(
        &dir.join("app"),
        &[
            "feat: first",
            "tag v1.0.0",
            "fix: on production",
            "branch production",
            "feat: on main only",
        ],
    );
    let process = |branch: &str| {
        format!(
            "[[components]]\nname = \"app\"\npath = \"app\"\nbranch = \"{branch}\"\ntags = {{ template = \"v{{version}}\", scheme = {{ kind = \"semver\" }} }}\n"
        )
    };
    std::fs::write(dir.join("release.toml"), process("production")).expect("write");
    let at = "--now=2023-06-20T09:00:00Z";
    let out = release_in(&dir, &["next", "release.toml", at]);
    assert!(out.contains("v1.0.1"), "{out}");
    std::fs::write(dir.join("release.toml"), process("main")).expect("write");
    let out = release_in(&dir, &["next", "release.toml", at]);
    assert!(out.contains("v1.1.0"), "{out}");
    std::fs::write(dir.join("release.toml"), process("stable")).expect("write");
    let out = redact(&release_in(&dir, &["next", "release.toml", at]), &dir);
    insta::assert_snapshot!(out, @r#"
exit 2
--- stderr
error: app: the component's branch "stable" is not in this clone (neither refs/heads/stable nor refs/remotes/origin/stable); fetch it, or correct `branch`
"#);
}

/// CalVer's `version next --date` reads git's commits as SemVer's does:
/// the date makes the version, the commits say whether there is one.
#[test]
fn calver_version_next_reads_the_commits_since_the_tag() {
    let calver = |dir: &Path| {
        let path = dir.display().to_string();
        let args = [
            "version",
            "next",
            "--repo",
            &path,
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-06-20",
        ];
        release(&args, None)
    };
    let changed = repo(
        &scratch("git-calver-changed", &[]),
        &["feat: one", "tag 2023.06.1", "fix: two"],
    );
    insta::assert_snapshot!(calver(&changed), @r#"
exit 0
--- stdout
2023.06.2
"#);
    let unchanged = repo(
        &scratch("git-calver-unchanged", &[]),
        &["feat: one", "tag 2023.06.1"],
    );
    insta::assert_snapshot!(calver(&unchanged), @r#"
exit 0
--- stdout
no release: no commits since 2023.06.1
"#);
}
