//! The seed processes as pipelines: Fragalysis (pins, CalVer, build-time
//! estimates and the "at least 45 minutes"), and the eCR Viewer test matrix.

use release_core::gate::Requirement;
use release_core::pipeline::{Pipeline, StepKind};

/// The Fragalysis production release, as a release.toml would hold it.
const FRAGALYSIS: &str = include_str!("../../../examples/pipelines/fragalysis-seed.toml");

fn fragalysis() -> Pipeline {
    toml::from_str(FRAGALYSIS).unwrap()
}

#[test]
fn fragalysis_set_aside_at_least_45_minutes() {
    let p = fragalysis();
    let path = p.critical_path();
    // backend 3-4 + frontend 5-6 + stack 10-15 + verification 15-20.
    assert_eq!(path.estimate.to_string(), "33m..45m");
    assert_eq!(path.total.to_string(), "33m..45m");
    assert_eq!(path.estimate.max().seconds(), 45 * 60);
    let ids: Vec<&str> = path.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "tag-backend",
            "tag-frontend",
            "pin-stack",
            "tag-stack",
            "deploy-stack",
            "verify",
            "ticket"
        ]
    );
    assert_eq!(path.unestimated, ["pin-stack", "tag-stack", "ticket"]);
    assert_eq!(
        path.to_string(),
        "tag-backend (3m..4m) -> tag-frontend (5m..6m) -> pin-stack (no estimate) -> \
         tag-stack (no estimate) -> deploy-stack (10m..15m) -> verify (15m..20m) -> \
         ticket (no estimate) = 33m..45m"
    );
}

#[test]
fn fragalysis_gates_and_pins() {
    let p = fragalysis();
    let deploy = p.node(p.find("deploy-stack").unwrap());
    let names: Vec<&str> = deploy.gates().iter().map(|g| g.name.as_str()).collect();
    assert_eq!(names, ["production-tag", "pins"]);
    assert!(p.node(p.find("verify").unwrap()).is_manual());
    let stack = p.component("stack").unwrap();
    assert_eq!(stack.pins.len(), 2);
    assert_eq!(stack.pins[0].variable.as_deref(), Some("BE_IMAGE_TAG"));
    assert_eq!(
        p.node(p.find("tag-backend").unwrap())
            .step()
            .details
            .command
            .as_ref()
            .unwrap()[0],
        "gh"
    );
}

#[test]
fn fragalysis_round_trips_through_toml_and_json() {
    let p = fragalysis();
    let text = toml::to_string(&p).unwrap();
    let again: Pipeline = toml::from_str(&text).unwrap();
    assert_eq!(again, p);
    let json = serde_json::to_string(&p).unwrap();
    let again: Pipeline = serde_json::from_str(&json).unwrap();
    assert_eq!(again, p);
}

#[test]
fn unknown_fields_are_refused_with_their_place() {
    let text = FRAGALYSIS.replace("estimate = \"3m..4m\"", "estimat = \"3m..4m\"");
    let err = toml::from_str::<Pipeline>(&text).unwrap_err().to_string();
    assert!(err.contains("unknown field `estimat`"), "{err}");
    assert!(err.contains("line 43"), "{err}");

    let text = FRAGALYSIS.replace(
        "rule = { tag = { component = \"stack\" } }",
        "rule = { fact = { kind = \"tests\", equals = true } }",
    );
    let err = toml::from_str::<Pipeline>(&text).unwrap_err().to_string();
    assert!(err.contains("unknown fact kind \"tests\""), "{err}");
}

/// The eCR Viewer "Streamline" release: five configurations of
/// cloud x integration x schema x database, not the product.
const ECR: &str = include_str!("../../../examples/pipelines/ecr-viewer-seed.toml");

#[test]
fn ecr_matrix_expands_into_the_listed_cells() {
    let p: Pipeline = toml::from_str(ECR).unwrap();
    let ids: Vec<&str> = p.nodes().map(|n| n.id()).collect();
    assert_eq!(
        ids,
        [
            "beta",
            "deployment-options[aws-terraform]",
            "deployment-options[azure-terraform]",
            "deployment-options[vm]",
            "deploy",
            "test[aws-integrated]",
            "test[azure-integrated]",
            "test[aws-sqlserver]",
            "test[azure-sqlserver]",
            "test[gcp-vm]",
            "final",
            "notify",
        ]
    );
    let gcp = p.node(p.find("test[gcp-vm]").unwrap());
    assert_eq!(gcp.requirement(), Requirement::Advisory);
    assert_eq!(gcp.cell().unwrap().values["database"], "sqlserver");
    assert_eq!(gcp.kind(), StepKind::Test);
    // `final` needs every cell; the deploy needs all three option cells.
    assert_eq!(p.node(p.find("final").unwrap()).needs().len(), 5);
    assert_eq!(p.node(p.find("deploy").unwrap()).needs().len(), 3);
    // The matrix gate was completed from the step.
    let gate = &p.node(p.find("final").unwrap()).gates()[0];
    let text = serde_json::to_string(&gate.rule).unwrap();
    assert!(
        text.contains("\"id\":\"test[gcp-vm]\",\"requirement\":\"advisory\""),
        "{text}"
    );
    // And the pipeline round-trips with it.
    let again: Pipeline = toml::from_str(&toml::to_string(&p).unwrap()).unwrap();
    assert_eq!(again, p);
}

#[test]
fn drawings() {
    let p: Pipeline = toml::from_str(ECR).unwrap();
    let dot = p.to_dot();
    assert!(dot.starts_with("digraph \"ecr-viewer\" {\n"));
    assert!(dot.contains("  subgraph \"cluster_test\" {\n    label=\"test\";\n"));
    assert!(dot.contains("    n9 [label=\"test[gcp-vm]\\ntest\", style=dashed];\n"));
    assert!(dot.contains("  n4 -> n5;\n"));
    let mermaid = p.to_mermaid();
    assert!(mermaid.contains("  subgraph s3[\"test\"]\n"));
    assert!(mermaid.contains("  n9 -.-> n10\n"));
    assert!(mermaid.contains("  n4[\"deploy<br/>deploy -#gt; dev\"]\n"));
    insta::assert_snapshot!("fragalysis_dot", fragalysis().to_dot());
    insta::assert_snapshot!("fragalysis_mermaid", fragalysis().to_mermaid());
}

#[test]
fn lookups_by_id_with_and_without_cells() {
    let p: Pipeline = toml::from_str(
        r#"steps = [
            { id = "t", kind = "test", matrix = { axes = { os = ["linux"] } } },
            { id = "after", kind = "notify", needs = ["t"] },
        ]"#,
    )
    .unwrap();
    assert_eq!(p.len(), 2);
    assert_eq!(p.find("t[linux]").map(|id| id.index()), Some(0));
    assert_eq!(p.find("t"), None);
    assert_eq!(
        p.node(p.find("after").unwrap()).needs(),
        [p.find("t[linux]").unwrap()]
    );
    let plain: Pipeline = toml::from_str(
        r#"steps = [{ id = "a", kind = "build" }, { id = "b", kind = "build", needs = ["a"] }]"#,
    )
    .unwrap();
    assert_eq!(plain.find("b").map(|id| id.index()), Some(1));
    assert_eq!(plain.find("c"), None);
    assert!(plain.lookup("c").unwrap_err().is_invalid());
}
