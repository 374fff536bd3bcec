//! The GitHub Actions export: deterministic, one job per step with the
//! process's edges, matrix cells exactly as declared, a gate job before
//! each step whose gates GitHub cannot enforce, and GitHub's limits.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use release_core::export::{ExportOptions, ExportTarget, export};
use release_core::process::Process;
use serde_json::Value;

fn process(text: &str) -> Process {
    Process::from_toml("release.toml", text).unwrap()
}

fn example(name: &str) -> Process {
    let text = match name {
        "ecr-viewer" => include_str!("../../../examples/ecr-viewer/release.toml"),
        "eat-slots" => include_str!("../../../examples/eat-slots/release.toml"),
        other => panic!("no example {other} here"),
    };
    Process::from_toml(&format!("examples/{name}/release.toml"), text).unwrap()
}

fn workflow(p: &Process) -> (String, Value) {
    let out = export(
        p,
        ExportTarget::GithubActions,
        &ExportOptions::new("release.toml"),
    )
    .unwrap();
    let text = out.files[0].text.clone();
    let doc: Value = serde_saphyr::from_str(&text).unwrap();
    (text, doc)
}

/// Each job's `needs`, by job id.
fn edges(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["jobs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(id, job)| {
            let needs = job["needs"]
                .as_array()
                .map(|a| a.iter().map(|n| n.as_str().unwrap().to_owned()).collect())
                .unwrap_or_default();
            (id.clone(), needs)
        })
        .collect()
}

#[test]
fn the_export_is_deterministic_and_names_its_files() {
    let p = example("ecr-viewer");
    let o = ExportOptions::new("release.toml");
    let a = export(&p, ExportTarget::GithubActions, &o).unwrap();
    let b = export(&p, ExportTarget::GithubActions, &o).unwrap();
    assert_eq!(a, b);
    let paths: Vec<&str> = a.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            ".github/workflows/ecr-viewer.yml",
            ".github/release-environments/ecr-viewer.json"
        ]
    );
}

#[test]
fn a_matrix_step_is_one_job_with_exactly_its_cells() {
    let (_, doc) = workflow(&example("ecr-viewer"));
    let p = example("ecr-viewer");
    // The five declared cells of `test`, not the 24 of the product.
    let step = p
        .def()
        .steps
        .iter()
        .find(|s| {
            s.details
                .matrix
                .as_ref()
                .is_some_and(|m| !m.cells.is_empty())
        })
        .unwrap();
    let job = &doc["jobs"][release_core::export::naming::job_id(&step.id)];
    let include = job["strategy"]["matrix"]["include"].as_array().unwrap();
    let declared = &step.details.matrix.as_ref().unwrap().cells;
    assert_eq!(include.len(), declared.len());
    for (row, cell) in include.iter().zip(declared) {
        for (k, v) in &cell.values {
            assert_eq!(row[k], v.as_str());
        }
    }
    assert_eq!(
        job["name"],
        "test (cloud=${{ matrix.cloud }}, database=${{ matrix.database }}, integration=${{ matrix.integration }}, schema=${{ matrix.schema }})"
    );
    // No advisory cell: every cell must pass.
    assert!(job.get("continue-on-error").is_none());
    // An advisory cell may fail; the others may not.
    let (_, doc) = workflow(&process(
        "[[steps]]\nid = \"t\"\nkind = \"test\"\n[steps.matrix]\naxes = { os = [\"linux\", \"mac\"] }\ncells = [{ values = { os = \"linux\" } }, { values = { os = \"mac\" }, requirement = \"advisory\" }]\n",
    ));
    let job = &doc["jobs"]["t"];
    assert_eq!(job["continue-on-error"], "${{ matrix.release_advisory }}");
    let advisory: Vec<bool> = job["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["release_advisory"].as_bool().unwrap())
        .collect();
    assert_eq!(advisory, [false, true]);
}

#[test]
fn gates_github_cannot_enforce_get_a_gate_job_and_a_note() {
    let p = example("eat-slots");
    let out = export(
        &p,
        ExportTarget::GithubActions,
        &ExportOptions::new("release.toml"),
    )
    .unwrap();
    let (_, doc) = workflow(&p);
    let gate = &doc["jobs"]["gate-deploy-production"];
    assert_eq!(gate["name"], "gate: deploy-production");
    let script = gate["steps"].as_array().unwrap().last().unwrap()["run"]
        .as_str()
        .unwrap();
    assert!(script.contains("release import github-actions"), "{script}");
    assert!(
        script.contains("release explain \"$RELEASE_PROCESS\" deploy-production"),
        "{script}"
    );
    assert!(edges(&doc)["deploy-production"].contains("gate-deploy-production"));
    let holiday = out
        .notes
        .iter()
        .find(|n| {
            n.about.as_deref() == Some("deploy-production") && n.what.contains("not a holiday")
        })
        .expect("a note on the holiday gate");
    assert!(
        holiday.enforced && holiday.how.contains("retrying"),
        "{holiday:?}"
    );
}

#[test]
fn colliding_job_ids_and_limits_are_refused() {
    let clash = process(
        "[[steps]]\nid = \"a.b\"\nkind = \"build\"\n[[steps]]\nid = \"a_b\"\nkind = \"build\"\n",
    );
    let err = export(
        &clash,
        ExportTarget::GithubActions,
        &ExportOptions::new("r.toml"),
    )
    .unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"export: steps "a.b" and "a_b" both map to the job id "a_b" (job ids hold only letters, digits, '-' and '_'); rename one"#);
    let mut big = String::from("name = \"big\"\n");
    for i in 0..1000 {
        big.push_str(&format!(
            "[[steps]]\nid = \"s{i}\"\nkind = \"build\"\ncommand = [\"make\", \"s{i}\"]\n"
        ));
        if i > 0 {
            big.push_str(&format!("needs = [\"s{}\"]\n", i - 1));
        }
    }
    let err = export(
        &process(&big),
        ExportTarget::GithubActions,
        &ExportOptions::new("r.toml"),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("over GitHub's 500000-byte limit for a workflow file (1001 jobs)"),
        "{err}"
    );
}

#[test]
fn the_eat_slots_export_reads_as_written() {
    let p = example("eat-slots");
    let out = export(
        &p,
        ExportTarget::GithubActions,
        &ExportOptions::new("examples/eat-slots/release.toml"),
    )
    .unwrap();
    insta::assert_snapshot!("eat_slots_workflow", out.files[0].text);
    insta::assert_snapshot!("eat_slots_environments", out.files[1].text);
}

proptest! {
    /// Over generated pipelines: the jobs are the steps (plus `plan` and
    /// gate jobs), and each step's job needs exactly the jobs of the steps
    /// it needs, `plan`, and its gate job when it has one.
    #[test]
    fn the_job_graph_is_the_process_graph(
        deps in prop::collection::vec(prop::collection::btree_set(0usize..40, 0..4), 1..40),
        gated in prop::collection::vec(any::<bool>(), 40),
    ) {
        let mut text = String::from("name = \"p\"\n[[components]]\nname = \"c\"\n");
        for (i, needs) in deps.iter().enumerate() {
            text.push_str(&format!("[[steps]]\nid = \"s.{i}\"\nkind = \"build\"\n"));
            let needs: Vec<String> = needs.iter().filter(|j| **j < i).map(|j| format!("\"s.{j}\"")).collect();
            if !needs.is_empty() {
                text.push_str(&format!("needs = [{}]\n", needs.join(", ")));
            }
            if gated[i] {
                text.push_str("gates = [{ name = \"tests\", rule = { test = \"e2e\" } }]\n");
            }
        }
        let p = process(&text);
        let (_, doc) = workflow(&p);
        let got = edges(&doc);
        let mut want: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        want.insert("plan".into(), BTreeSet::new());
        for step in &p.def().steps {
            let id = release_core::export::naming::job_id(&step.id);
            let mut needs: BTreeSet<String> = step.needs.iter().map(|n| release_core::export::naming::job_id(n)).collect();
            needs.insert("plan".into());
            if !step.details.gates.is_empty() {
                let mut gate_needs = needs.clone();
                gate_needs.remove(&format!("gate-{id}"));
                want.insert(format!("gate-{id}"), gate_needs);
                needs.insert(format!("gate-{id}"));
            }
            want.insert(id, needs);
        }
        prop_assert_eq!(got, want);
    }
}

/// The GitLab CI pipeline: one job per step after `plan`, `needs` as the
/// process's, manual steps `when: manual`, environments with a
/// `resource_group` lock, matrix cells as `parallel:matrix`, placeholders
/// as the plan job's dotenv variables; deterministic.
#[test]
fn the_gitlab_pipeline_maps_steps_to_jobs() {
    let p = example("ecr-viewer");
    let o = ExportOptions::new("release.toml");
    let out = export(&p, ExportTarget::GitlabCi, &o).unwrap();
    assert_eq!(out, export(&p, ExportTarget::GitlabCi, &o).unwrap());
    assert_eq!(
        out.files[0].path,
        ".gitlab/release/ecr-viewer.gitlab-ci.yml"
    );
    let doc: Value = serde_saphyr::from_str(&out.files[0].text).unwrap();
    for step in &p.def().steps {
        let job = &doc[release_core::export::naming::job_id(&step.id)];
        let needs: BTreeSet<String> = job["needs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_owned())
            .collect();
        let mut want: BTreeSet<String> = step
            .needs
            .iter()
            .map(|n| release_core::export::naming::job_id(n))
            .collect();
        want.insert("plan".into());
        assert_eq!(needs, want, "{}", step.id);
        if step.is_manual() {
            assert_eq!(job["when"], "manual");
        }
        if let Some(env) = &step.details.environment {
            assert_eq!(job["environment"], env.as_str());
            assert_eq!(job["resource_group"], env.as_str());
        }
        if let Some(m) = step.details.matrix.as_ref().filter(|m| !m.cells.is_empty()) {
            assert_eq!(
                job["parallel"]["matrix"].as_array().unwrap().len(),
                m.cells.len()
            );
        }
    }
    assert_eq!(doc["plan"]["artifacts"]["reports"]["dotenv"], "plan.env");
    let text = &out.files[0].text;
    // The same name the plan job's jq gives (`-` and `.` as `_`).
    assert!(
        text.contains("${RELEASE_COMPONENT_ECR_VIEWER_TAG}"),
        "{text}"
    );
}

/// A step's outputs that a later command reads become job outputs, and the
/// reader needs the producer's job (GitHub passes outputs to direct needs).
#[test]
fn outputs_a_later_command_reads_are_job_outputs() {
    let (_, doc) = workflow(&process(
        "[[steps]]\nid = \"build\"\nkind = \"build\"\ncommand = [\"make\"]\n[[steps]]\nid = \"other\"\nkind = \"build\"\n[[steps]]\nid = \"deploy\"\nkind = \"deploy\"\nneeds = [\"other\"]\ncommand = [\"kubectl\", \"app@{output.build.digest}\"]\n",
    ));
    assert_eq!(
        doc["jobs"]["build"]["outputs"]["digest"],
        "${{ steps.run.outputs.digest }}"
    );
    let build_run = doc["jobs"]["build"]["steps"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert!(
        build_run["run"]
            .as_str()
            .unwrap()
            .contains(">> \"$GITHUB_OUTPUT\"")
    );
    assert!(edges(&doc)["deploy"].contains("build"));
    let deploy_run = doc["jobs"]["deploy"]["steps"]
        .as_array()
        .unwrap()
        .last()
        .unwrap();
    assert_eq!(
        deploy_run["run"],
        "kubectl 'app@${{ needs.build.outputs.digest }}'"
    );
}
