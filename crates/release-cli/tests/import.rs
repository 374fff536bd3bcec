//! `release import github-actions`: GitHub's published REST examples
//! (crates/release-core/tests/fixtures/github) imported into a journal, on
//! which `release explain` answers as on the equivalent local run.

use std::path::Path;

mod support;
use support::{release_in, scratch};

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const FIXTURES: &str = "crates/release-core/tests/fixtures/github";
const PROCESS: &str = "examples/ecr-viewer/release.toml";

fn import(out: &Path, run: &str, jobs: &str, approvals: Option<&str>) -> String {
    let run = format!("{FIXTURES}/{run}");
    let jobs = format!("{FIXTURES}/{jobs}");
    let out = out.display().to_string();
    let mut args = vec![
        "import",
        "github-actions",
        PROCESS,
        "--run",
        &run,
        "--jobs",
        &jobs,
    ];
    let approvals = approvals.map(|a| format!("{FIXTURES}/{a}"));
    if let Some(a) = &approvals {
        args.extend(["--approvals", a]);
    }
    args.extend(["--journal", &out]);
    release_in(Path::new(ROOT), &args)
}

/// The shipped local run of examples/ecr-viewer, with the GitHub run's one
/// difference: the gcp test cell failed instead of being waived.
fn local_journal(dir: &Path) -> std::path::PathBuf {
    let shipped =
        std::fs::read_to_string(format!("{ROOT}/examples/ecr-viewer/journal.jsonl")).unwrap();
    let mut lines: Vec<&str> = shipped.lines().collect();
    assert!(lines.pop().unwrap().contains("\"waived\""));
    let mut text = lines.join("\n");
    text.push_str(concat!(
        "\n{\"at\": \"2024-05-02T10:00:00Z\", \"event\": \"started\", \"task\": \"test[gcp-non-integrated-core-sqlserver-vm]\"}\n",
        "{\"at\": \"2024-05-02T10:00:00Z\", \"event\": \"failed\", \"task\": \"test[gcp-non-integrated-core-sqlserver-vm]\", ",
        "\"message\": \"GitHub job \\\"test (cloud=gcp, database=sqlserver, integration=non-integrated, schema=core)\\\": failure (https://github.com/octo-org/octo-repo/actions/runs/30433642/job/399444507)\"}\n",
    ));
    let path = dir.join("local.jsonl");
    std::fs::write(&path, text).unwrap();
    path
}

fn explain(step: &str, journal: &Path, json: bool) -> String {
    let journal = journal.display().to_string();
    let mut args = vec![
        "explain",
        PROCESS,
        step,
        "--journal",
        &journal,
        "--now",
        "2024-05-03T09:00:00Z",
    ];
    if json {
        args.push("--json");
    }
    release_in(Path::new(ROOT), &args)
}

#[test]
fn explain_answers_on_the_imported_run_as_on_the_local_one() {
    let dir = scratch("import-explain", &[]);
    let imported = dir.join("github.jsonl");
    let said = import(
        &imported,
        "ecr-viewer/run.json",
        "ecr-viewer/jobs.json",
        Some("ecr-viewer/approvals.json"),
    );
    insta::assert_snapshot!(said.replace(&imported.display().to_string(), "OUT"), @r#"
exit 0
--- stdout
journal OUT: 22 events imported from GitHub Actions, requested by example-requester
"#);
    let local = local_journal(&dir);
    for step in ["final", "test", "release-notes", "deploy", "notify"] {
        for json in [false, true] {
            assert_eq!(
                explain(step, &imported, json),
                explain(step, &local, json),
                "{step}"
            );
        }
    }
    insta::assert_snapshot!(explain("final", &imported, false), @r#"
exit 1
--- stdout
step "final" (pending): blocked
  passed  gate "all configurations": matrix "test" cell "test[aws-integrated]" (required): "test[aws-integrated]" passed (from run at 2024-05-02T10:00:00Z)
  passed  gate "all configurations": matrix "test" cell "test[azure-integrated]" (required): "test[azure-integrated]" passed (from run at 2024-05-02T10:00:00Z)
  passed  gate "all configurations": matrix "test" cell "test[aws-non-integrated-extended-sqlserver]" (required): "test[aws-non-integrated-extended-sqlserver]" passed (from run at 2024-05-02T10:00:00Z)
  passed  gate "all configurations": matrix "test" cell "test[azure-non-integrated-extended-sqlserver]" (required): "test[azure-non-integrated-extended-sqlserver]" passed (from run at 2024-05-02T10:00:00Z)
  FAILED  gate "all configurations": matrix "test" cell "test[gcp-non-integrated-core-sqlserver-vm]" (required): "test[gcp-non-integrated-core-sqlserver-vm]" failed (from run at 2024-05-02T10:00:00Z)
  waits: needs "test[gcp-non-integrated-core-sqlserver-vm]", which is failed
  until: Fri 2024-05-03 11:00Z at the earliest
"#);
    let verified = release_in(
        Path::new(ROOT),
        &["verify", &imported.display().to_string()],
    );
    assert!(verified.starts_with("exit 0\n"), "{verified}");
}

#[test]
fn the_journal_goes_to_stdout_by_default_and_an_existing_one_is_kept() {
    let dir = scratch("import-stdout", &[]);
    let out = release_in(
        Path::new(ROOT),
        &[
            "import",
            "github-actions",
            PROCESS,
            "--run",
            &format!("{FIXTURES}/ecr-viewer/run.json"),
            "--jobs",
            &format!("{FIXTURES}/ecr-viewer/jobs.json"),
            "--approvals",
            &format!("{FIXTURES}/ecr-viewer/approvals.json"),
        ],
    );
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("exit 0"));
    assert_eq!(lines.next(), Some("--- stdout"));
    assert_eq!(
        lines.next(),
        Some("{\"journal\":\"release-core\",\"format\":2,\"requested_by\":\"example-requester\"}")
    );
    let existing = dir.join("existing.jsonl");
    std::fs::write(&existing, "keep me\n").unwrap();
    let said = import(
        &existing,
        "ecr-viewer/run.json",
        "ecr-viewer/jobs.json",
        Some("ecr-viewer/approvals.json"),
    );
    insta::assert_snapshot!(said.replace(&existing.display().to_string(), "OUT"), @r#"
exit 2
--- stderr
error: journal OUT exists and is not an import of this run; an import writes a new journal (remove it, or name another)
"#);
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "keep me\n");
    // An earlier import of the same run is replaced (a gate job imports
    // its run each time it looks).
    let again = dir.join("again.jsonl");
    for _ in 0..2 {
        let said = import(
            &again,
            "ecr-viewer/run.json",
            "ecr-viewer/jobs.json",
            Some("ecr-viewer/approvals.json"),
        );
        assert!(said.starts_with("exit 0\n"), "{said}");
    }
}

#[test]
fn errors_name_the_file_and_the_field() {
    let dir = scratch("import-errors", &[]);
    let out = dir.join("never.jsonl");
    let mixed = import(
        &out,
        "published/workflow-run.json",
        "published/job-paginated.json",
        Some("published/environment-approvals-items.json"),
    );
    insta::assert_snapshot!(mixed, @r#"
exit 2
--- stderr
error: crates/release-core/tests/fixtures/github/published/job-paginated.json: /jobs/0/run_id: the job belongs to run 29679449, not to run 30433642 (crates/release-core/tests/fixtures/github/published/workflow-run.json: /id)
"#);
    let unapproved = import(&out, "ecr-viewer/run.json", "ecr-viewer/jobs.json", None);
    insta::assert_snapshot!(unapproved, @r#"
exit 2
--- stderr
error: crates/release-core/tests/fixtures/github/ecr-viewer/jobs.json: /jobs/2/conclusion: job "release-notes" is the manual step "release-notes", and no approval of environment "approve-release-notes" is in the approvals (none were given)
"#);
    let not_json = import(&out, "README.md", "ecr-viewer/jobs.json", None);
    insta::assert_snapshot!(not_json, @r#"
exit 2
--- stderr
error: crates/release-core/tests/fixtures/github/README.md: not valid JSON: expected value at line 1 column 1
"#);
    assert!(!out.exists());
}
