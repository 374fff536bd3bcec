//! The GitHub Actions import (`release_core::export::import`) on GitHub's
//! published examples (tests/fixtures/github/published, verbatim) and on
//! edited copies of them for examples/ecr-viewer (tests/fixtures/github/ecr-viewer,
//! written by make_edits.py there).

// The no-I/O rule is for the library: this test reads its fixture files and
// the shipped example process and journal.
#![allow(clippy::disallowed_methods)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use release_core::export::import::{self, Input, Responses};
use release_core::gate::Facts;
use release_core::pipeline::Pipeline;
use release_core::process::Process;
use release_core::run::{Event, EventKind, Run, TaskState, journal};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/github");
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{path}")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn ecr_viewer() -> Process {
    let path = format!("{ROOT}/examples/ecr-viewer/release.toml");
    Process::from_toml("release.toml", &std::fs::read_to_string(path).unwrap()).unwrap()
}

fn import_of(
    pipeline: &Arc<Pipeline>,
    run: &Value,
    jobs: &Value,
    approvals: Option<&Value>,
) -> release_core::Result<import::ImportedRun> {
    let responses = Responses {
        run: Input {
            name: "run.json",
            value: run,
        },
        jobs: Input {
            name: "jobs.json",
            value: jobs,
        },
        approvals: approvals.map(|value| Input {
            name: "approvals.json",
            value,
        }),
    };
    import::import(pipeline, responses).map(|w| w.value)
}

/// The shipped local run of examples/ecr-viewer, with the GitHub run's one
/// difference: the gcp cell failed instead of being waived.
fn local_journal() -> Vec<Event> {
    let text =
        std::fs::read_to_string(format!("{ROOT}/examples/ecr-viewer/journal.jsonl")).unwrap();
    let mut events = journal::decode(&text).unwrap().events;
    let waiver = events.pop().unwrap();
    assert_eq!(waiver.kind.name(), "waived");
    let at = Utc.with_ymd_and_hms(2024, 5, 2, 10, 0, 0).unwrap();
    let task = "test[gcp-non-integrated-core-sqlserver-vm]";
    events.push(Event::new(at, EventKind::started(task)));
    events.push(Event::new(
        at,
        EventKind::Failed {
            task: task.into(),
            message: "GitHub job \"test (cloud=gcp, database=sqlserver, integration=non-integrated, schema=core)\": failure (https://github.com/octo-org/octo-repo/actions/runs/30433642/job/399444507)".into(),
        },
    ));
    events
}

#[test]
fn the_published_examples_are_of_two_runs_and_say_so() {
    let process = ecr_viewer();
    let err = import_of(
        process.pipeline(),
        &json("published/workflow-run.json"),
        &json("published/job-paginated.json"),
        Some(&json("published/environment-approvals-items.json")),
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @r#"jobs.json: /jobs/0/run_id: the job belongs to run 29679449, not to run 30433642 (run.json: /id)"#);
}

#[test]
fn an_edited_run_imports_into_a_chained_journal_with_its_sources() {
    let process = ecr_viewer();
    let imported = import_of(
        process.pipeline(),
        &json("ecr-viewer/run.json"),
        &json("ecr-viewer/jobs.json"),
        Some(&json("ecr-viewer/approvals.json")),
    )
    .unwrap();
    let text = imported.to_journal().unwrap();
    let verified = journal::verify(text.as_bytes()).unwrap();
    assert_eq!(verified.broken, None);
    let decoded = journal::decode(&text).unwrap();
    assert_eq!(
        decoded.header.unwrap().requested_by.as_deref(),
        Some("example-requester")
    );
    let run = Run::replay(Arc::clone(process.pipeline()), decoded.events).unwrap();
    assert_eq!(run.state_of("release-notes").unwrap(), TaskState::Succeeded);
    assert_eq!(
        run.state_of("test[gcp-non-integrated-core-sqlserver-vm]")
            .unwrap(),
        TaskState::Failed
    );
    assert_eq!(run.state_of("final").unwrap(), TaskState::Pending);
    let first = text.lines().nth(1).unwrap();
    insta::assert_snapshot!(first, @r#"{"at":"2024-05-01T08:55:00Z","event":"requested","by":"example-requester","recorded_by":{"via":"import"},"prev":"sha256:bb6124aaec1bec8c15702ff227c0f33144981cd17ddeab9639d7d3eba77282bf","source":{"engine":"github-actions","run":{"attempt":1,"id":30433642,"url":"https://github.com/octo-org/octo-repo/actions/runs/30433642"}}}"#);
    let approved = text.lines().find(|l| l.contains("\"approved\"")).unwrap();
    insta::assert_snapshot!(approved, @r#"{"at":"2024-05-01T09:30:00Z","event":"approved","task":"release-notes","by":"product-lead","recorded_by":{"via":"import"},"prev":"sha256:35cfb3675be3742a371912477b25c556da400bfe46b2237bc8df167acbfc199c","source":{"engine":"github-actions","run":{"attempt":1,"id":30433642,"url":"https://github.com/octo-org/octo-repo/actions/runs/30433642"},"job":{"id":399444498,"name":"release-notes","url":"https://github.com/octo-org/octo-repo/actions/runs/30433642/job/399444498"}}}"#);
}

#[test]
fn explain_answers_on_the_import_as_on_the_local_run() {
    let process = ecr_viewer();
    let imported = import_of(
        process.pipeline(),
        &json("ecr-viewer/run.json"),
        &json("ecr-viewer/jobs.json"),
        Some(&json("ecr-viewer/approvals.json")),
    )
    .unwrap();
    let now = Utc.with_ymd_and_hms(2024, 5, 3, 9, 0, 0).unwrap();
    let facts = Facts::default();
    let local = local_journal();
    for step in ["final", "test", "release-notes", "notify"] {
        let a = process
            .explain(step, now, &facts, &imported.events())
            .unwrap();
        let b = process.explain(step, now, &facts, &local).unwrap();
        assert_eq!(a, b, "{step}");
    }
}

fn edited(f: impl FnOnce(&mut Value, &mut Value, &mut Value)) -> String {
    let process = ecr_viewer();
    let (mut run, mut jobs, mut approvals) = (
        json("ecr-viewer/run.json"),
        json("ecr-viewer/jobs.json"),
        json("ecr-viewer/approvals.json"),
    );
    f(&mut run, &mut jobs, &mut approvals);
    import_of(process.pipeline(), &run, &jobs, Some(&approvals))
        .unwrap_err()
        .to_string()
}

#[test]
fn errors_name_the_input_and_the_field() {
    let unknown = edited(|_, jobs, _| jobs["jobs"][1]["name"] = "publish".into());
    insta::assert_snapshot!(unknown, @r#"jobs.json: /jobs/1/name: job "publish" is no step of process "ecr-viewer" (its jobs: plan, gate: STEP, beta, release-notes, deployment-options (target=aws-terraform), deployment-options (target=azure-terraform), deployment-options (target=vm), deploy, test (cloud=aws, database=postgres, integration=integrated, schema=extended), test (cloud=azure, database=postgres, integration=integrated, schema=extended), test (cloud=aws, database=sqlserver, integration=non-integrated, schema=extended), test (cloud=azure, database=sqlserver, integration=non-integrated, schema=extended), test (cloud=gcp, database=sqlserver, integration=non-integrated, schema=core), final, notify)"#);
    let workflow = edited(|_, jobs, _| jobs["jobs"][2]["workflow_name"] = "Lint".into());
    insta::assert_snapshot!(workflow, @r#"jobs.json: /jobs/2/workflow_name: the job is of workflow "Lint", not of the run's "Build" (run.json: /name)"#);
    let missing = edited(|_, jobs, _| {
        jobs["jobs"][1]
            .as_object_mut()
            .unwrap()
            .remove("started_at");
    });
    insta::assert_snapshot!(missing, @r#"jobs.json: /jobs/1/started_at: missing (GitHub's response has it)"#);
    let cell = edited(|_, jobs, _| {
        jobs["jobs"][3]["name"] = "deployment-options (target=gcp)".into();
    });
    insta::assert_snapshot!(cell, @r#"jobs.json: /jobs/3/name: job "deployment-options (target=gcp)" is no step of process "ecr-viewer" (its jobs: plan, gate: STEP, beta, release-notes, deployment-options (target=aws-terraform), deployment-options (target=azure-terraform), deployment-options (target=vm), deploy, test (cloud=aws, database=postgres, integration=integrated, schema=extended), test (cloud=azure, database=postgres, integration=integrated, schema=extended), test (cloud=aws, database=sqlserver, integration=non-integrated, schema=extended), test (cloud=azure, database=sqlserver, integration=non-integrated, schema=extended), test (cloud=gcp, database=sqlserver, integration=non-integrated, schema=core), final, notify)"#);
    let twice = edited(|_, jobs, _| jobs["jobs"][4]["name"] = "beta".into());
    insta::assert_snapshot!(twice, @r#"jobs.json: /jobs/4/name: job "beta" is task "beta" again (job /jobs/1 is it too)"#);
    let unapproved = edited(|_, _, approvals| {
        approvals[0]["environments"][0]["name"] = "staging".into();
    });
    insta::assert_snapshot!(unapproved, @r#"jobs.json: /jobs/2/conclusion: job "release-notes" is the manual step "release-notes", and no approval of environment "approve-release-notes" is in the approvals (approvals.json)"#);
    let self_approved = edited(|_, _, approvals| {
        approvals[0]["user"]["login"] = "Example-Requester".into();
    });
    insta::assert_snapshot!(self_approved, @r#"jobs.json: /jobs/2: job "release-notes": the engine refuses its approved event: example-requester requested the release and may not approve its manual step "release-notes" (a role with self_approval = "allowed" lets a team of one approve with --role)"#);
    let login = edited(|run, _, _| run["triggering_actor"]["login"] = "al ice".into());
    insta::assert_snapshot!(login, @r#"run.json: /triggering_actor/login: identity "al ice" has the character ' '; identities are logins of letters, digits, '.', '_' and '-' ([a-z0-9][a-z0-9._-]*)"#);
    let order = edited(|_, jobs, _| {
        jobs["jobs"][6]["started_at"] = "2024-05-01T09:59:00Z".into();
    });
    insta::assert_snapshot!(order, @r#"jobs.json: /jobs/6: job "deploy": the engine refuses its started event: task "deploy" is pending; only a ready task can start"#);
}

#[test]
fn a_rejection_cancels_the_manual_step_and_bots_keep_their_mark() {
    let process = ecr_viewer();
    let run = json("ecr-viewer/run.json");
    let mut jobs = json("ecr-viewer/jobs.json");
    let mut approvals = json("ecr-viewer/approvals.json");
    approvals[0]["state"] = "rejected".into();
    approvals[0]["user"]["login"] = "release-bot[bot]".into();
    let list = jobs["jobs"].as_array_mut().unwrap();
    list[2]["conclusion"] = "failure".into();
    list.truncate(3);
    let imported = import_of(process.pipeline(), &run, &jobs, Some(&approvals)).unwrap();
    let last = imported.events().pop().unwrap();
    insta::assert_debug_snapshot!(last.kind, @r#"
Cancelled {
    task: Some(
        "release-notes",
    ),
    by: Some(
        Identity(
            "release-bot.bot",
        ),
    ),
    reason: Some(
        "rejected on GitHub: Ship it!",
    ),
}
"#);
}

#[test]
fn approvals_of_other_environments_are_warnings() {
    let process = ecr_viewer();
    let run = json("ecr-viewer/run.json");
    let jobs = json("ecr-viewer/jobs.json");
    let mut approvals = json("ecr-viewer/approvals.json");
    let mut other = approvals[0].clone();
    other["environments"][0]["name"] = "dev".into();
    approvals.as_array_mut().unwrap().push(other);
    let responses = Responses {
        run: Input {
            name: "run.json",
            value: &run,
        },
        jobs: Input {
            name: "jobs.json",
            value: &jobs,
        },
        approvals: Some(Input {
            name: "approvals.json",
            value: &approvals,
        }),
    };
    let warned = import::import(process.pipeline(), responses).unwrap();
    let messages: Vec<&str> = warned.warnings.iter().map(|w| w.message.as_str()).collect();
    insta::assert_debug_snapshot!(messages, @r#"
[
    "approvals.json: /1/environments/0/name: the approval of environment \"dev\" by product-lead approves no manual step of process \"ecr-viewer\", so it records nothing",
]
"#);
}

/// The keys of every object, by JSON pointer (array indices dropped).
fn shape(value: &Value, at: &str, out: &mut std::collections::BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{at}/{k}");
                out.insert(here.clone());
                shape(v, &here, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| shape(v, at, out)),
        _ => {}
    }
}

fn keys(value: &Value) -> std::collections::BTreeSet<String> {
    let mut out = std::collections::BTreeSet::new();
    shape(value, "", &mut out);
    out
}

#[test]
fn the_edited_copies_keep_the_published_shapes() {
    // Values change (make_edits.py lists each change), fields never: an
    // edited copy has exactly the published example's keys (the jobs'
    // emptied `steps` and the added `created_at` aside).
    assert_eq!(
        keys(&json("ecr-viewer/run.json")),
        keys(&json("published/workflow-run.json"))
    );
    assert_eq!(
        keys(&json("ecr-viewer/approvals.json")),
        keys(&json("published/environment-approvals-items.json"))
    );
    let published = keys(&json("published/job-paginated.json"));
    let published: std::collections::BTreeSet<String> = published
        .into_iter()
        .filter(|k| !k.starts_with("/jobs/steps/"))
        .chain(["/jobs/created_at".to_owned()])
        .collect();
    assert_eq!(keys(&json("ecr-viewer/jobs.json")), published);
}

#[test]
fn a_wait_step_ends_by_the_clock_and_an_in_progress_job_is_running() {
    let process = Process::from_toml(
        "soak.toml",
        r#"
name = "soak"
[[steps]]
id = "build.all"
kind = "build"
[[steps]]
id = "soak"
kind = "wait"
needs = ["build.all"]
wait = { for = "1h" }
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["soak"]
"#,
    )
    .unwrap();
    let run = json("ecr-viewer/run.json");
    let mut jobs = json("ecr-viewer/jobs.json");
    let list = jobs["jobs"].as_array_mut().unwrap();
    list.truncate(3);
    let times = [
        (
            "build_all",
            "completed",
            "2024-05-01T10:00:00Z",
            "2024-05-01T10:05:00Z",
        ),
        (
            "soak",
            "completed",
            "2024-05-01T10:05:00Z",
            "2024-05-01T11:05:00Z",
        ),
        ("deploy", "in_progress", "2024-05-01T11:06:00Z", ""),
    ];
    for (job, (name, status, started, completed)) in list.iter_mut().zip(times) {
        // The job's name is the step id, not its job id.
        job["name"] = if name == "build_all" {
            "build.all"
        } else {
            name
        }
        .into();
        job["status"] = status.into();
        job["started_at"] = started.into();
        job["completed_at"] = if completed.is_empty() {
            Value::Null
        } else {
            completed.into()
        };
        job["conclusion"] = if completed.is_empty() {
            Value::Null
        } else {
            "success".into()
        };
    }
    let imported = import_of(process.pipeline(), &run, &jobs, None).unwrap();
    let names: Vec<String> = imported.events().iter().map(ToString::to_string).collect();
    insta::assert_debug_snapshot!(names, @r#"
[
    "2024-05-01T08:55:00Z requested by example-requester",
    "2024-05-01T10:00:00Z started build.all",
    "2024-05-01T10:05:00Z succeeded build.all",
    "2024-05-01T11:05:00Z tick",
    "2024-05-01T11:06:00Z started deploy",
]
"#);
    let replayed = Run::replay(Arc::clone(process.pipeline()), imported.events()).unwrap();
    assert_eq!(replayed.state_of("soak").unwrap(), TaskState::Succeeded);
    assert_eq!(replayed.state_of("deploy").unwrap(), TaskState::Running);
}

/// OpenAPI 3.0's `nullable: true` as JSON Schema: `null` joins the type
/// (and the enum, when there is one).
fn json_schema_of(openapi: &mut Value) {
    match openapi {
        Value::Object(map) => {
            if map.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(t)) = map.get("type").cloned() {
                    map.insert("type".into(), serde_json::json!([t, "null"]));
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            map.values_mut().for_each(json_schema_of);
        }
        Value::Array(items) => items.iter_mut().for_each(json_schema_of),
        _ => {}
    }
}

/// What the description's schema `root` (a JSON Schema over its
/// `components`) says is wrong with `doc`.
fn schema_errors(root: Value, doc: &Value) -> Vec<String> {
    let mut components = json("published/schemas.json")["components"].clone();
    for stand_in in ["simple-user", "pull-request-minimal", "minimal-repository"] {
        components["schemas"][stand_in] = serde_json::json!({"type": "object"});
    }
    json_schema_of(&mut components);
    let mut schema = root;
    schema["components"] = components;
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn component(name: &str) -> Value {
    serde_json::json!({"$ref": format!("#/components/schemas/{name}")})
}

/// The jobs endpoint's response: `total_count` and `jobs` (its inline
/// schema in the description's path, written here).
fn jobs_response() -> Value {
    serde_json::json!({
        "type": "object",
        "required": ["total_count", "jobs"],
        "properties": {
            "total_count": {"type": "integer"},
            "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/job"}}
        }
    })
}

fn approvals_response() -> Value {
    serde_json::json!({"type": "array", "items": {"$ref": "#/components/schemas/environment-approvals"}})
}

#[test]
fn the_fixtures_validate_against_the_descriptions_schemas() {
    for (run, jobs, approvals) in [
        (
            "published/workflow-run.json",
            "published/job-paginated.json",
            "published/environment-approvals-items.json",
        ),
        (
            "ecr-viewer/run.json",
            "ecr-viewer/jobs.json",
            "ecr-viewer/approvals.json",
        ),
    ] {
        assert_eq!(
            schema_errors(component("workflow-run"), &json(run)),
            Vec::<String>::new(),
            "{run}"
        );
        assert_eq!(
            schema_errors(approvals_response(), &json(approvals)),
            Vec::<String>::new(),
            "{approvals}"
        );
        let errors = schema_errors(jobs_response(), &json(jobs));
        if jobs.starts_with("published/") {
            // GitHub's own example lacks a field its schema requires.
            insta::assert_debug_snapshot!(errors, @r#"
[
    "/jobs/0: \"created_at\" is a required property",
]
"#);
        } else {
            assert_eq!(errors, Vec::<String>::new(), "{jobs}");
        }
    }
    // The schemas do check: a run without its id is refused.
    let mut run = json("published/workflow-run.json");
    run.as_object_mut().unwrap().remove("id");
    assert_eq!(schema_errors(component("workflow-run"), &run).len(), 1);
}
