//! Validation messages name the offender and where. They are part of the
//! interface, so they are snapshot-tested: adding a case is adding a line.

use release_core::pipeline::{Pipeline, PipelineDef};

fn check(cases: &[(&str, &str)]) -> String {
    cases
        .iter()
        .map(|(name, text)| {
            let outcome = match toml::from_str::<PipelineDef>(text) {
                Err(e) => format!("toml: {}", e.message()),
                Ok(def) => match Pipeline::new(def) {
                    Ok(p) => format!("ok: {} tasks", p.len()),
                    Err(e) => format!("{}: {e}", e.kind()),
                },
            };
            format!("{name}\n  {outcome}")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn validation_errors() {
    let cases = [
        ("empty pipeline", ""),
        (
            "two-step cycle",
            r#"steps = [{ id = "a", kind = "build", needs = ["b"] }, { id = "b", kind = "build", needs = ["a"] }]"#,
        ),
        (
            "three-step cycle, declared out of order",
            r#"steps = [{ id = "c", kind = "build", needs = ["a"] }, { id = "b", kind = "build", needs = ["c"] }, { id = "a", kind = "build", needs = ["b"] }, { id = "d", kind = "build", needs = ["a"] }]"#,
        ),
        (
            "self need",
            r#"steps = [{ id = "a", kind = "build", needs = ["a"] }]"#,
        ),
        (
            "two cycles",
            r#"steps = [{ id = "a", kind = "build", needs = ["b"] }, { id = "b", kind = "build", needs = ["a"] }, { id = "x", kind = "build", needs = ["y"] }, { id = "y", kind = "build", needs = ["x"] }]"#,
        ),
        (
            "unknown need",
            r#"steps = [{ id = "deploy", kind = "deploy", needs = ["buld"] }]"#,
        ),
        (
            "need twice",
            r#"steps = [{ id = "a", kind = "build" }, { id = "b", kind = "build", needs = ["a", "a"] }]"#,
        ),
        (
            "duplicate id",
            r#"steps = [{ id = "a", kind = "build" }, { id = "b", kind = "build" }, { id = "a", kind = "test" }]"#,
        ),
        ("empty id", r#"steps = [{ id = "", kind = "build" }]"#),
        (
            "bracket in id",
            r#"steps = [{ id = "test[1]", kind = "test" }]"#,
        ),
        (
            "unknown component",
            r#"steps = [{ id = "a", kind = "tag", component = "stak" }]"#,
        ),
        (
            "unknown environment",
            r#"steps = [{ id = "a", kind = "deploy", environment = "prod" }]"#,
        ),
        (
            "duplicate component, pins unknown and self",
            r#"components = [{ name = "stack", pins = [{ component = "backend" }, { component = "stack" }] }, { name = "stack" }]"#,
        ),
        (
            "duplicate environment",
            r#"environments = [{ name = "dev" }, { name = "dev" }]"#,
        ),
        (
            "wait without duration",
            r#"steps = [{ id = "soak", kind = "wait" }]"#,
        ),
        (
            "wait on a build",
            r#"steps = [{ id = "b", kind = "build", wait = { for = "1h" } }]"#,
        ),
        (
            "zero attempts",
            r#"steps = [{ id = "b", kind = "build", max_attempts = 0 }]"#,
        ),
        (
            "empty command",
            r#"steps = [{ id = "b", kind = "build", command = [] }]"#,
        ),
        (
            "empty program",
            r#"steps = [{ id = "b", kind = "build", command = ["", "x"] }]"#,
        ),
        (
            "bad estimate",
            r#"steps = [{ id = "b", kind = "build", estimate = "5m..3m" }]"#,
        ),
        (
            "bad duration",
            r#"steps = [{ id = "b", kind = "build", estimate = "5 minutes" }]"#,
        ),
        (
            "unknown kind",
            r#"steps = [{ id = "b", kind = "compile" }]"#,
        ),
        (
            "unknown fact kind",
            r#"steps = [{ id = "b", kind = "build", gates = [{ name = "g", rule = { fact = { kind = "ci", equals = true } } }] }]"#,
        ),
        (
            "unknown rule",
            r#"steps = [{ id = "b", kind = "build", gates = [{ name = "g", rule = { tests = "e2e" } }] }]"#,
        ),
        (
            "gates: duplicate name, unknown component, environment, matrix, zero approvals",
            r#"steps = [{ id = "b", kind = "build", gates = [
                { name = "g", rule = { tag = { component = "web" } } },
                { name = "g", rule = { soak = { environment = "staging", at_least = "24h" } } },
                { name = "m", rule = { all = [{ matrix = { step = "b" } }, { matrix = { step = "t" } }] } },
                { name = "a", rule = { not = { approvals = { role = "qa", at_least = 0 } } } },
                { name = "p", rule = { pins = { components = ["backend"], branch = "production" } } },
            ] }]"#,
        ),
        (
            "environment gate on an unknown cell",
            r#"
            environments = [{ name = "prod", gates = [{ name = "m", rule = { matrix = { step = "t", cells = [{ id = "t[x]" }] } } }] }]
            steps = [{ id = "t", kind = "test", matrix = { axes = { os = ["linux", "mac"] } } }]
            "#,
        ),
        (
            "matrix: unknown axis, missing axis, value outside the axis, duplicate cell",
            r#"steps = [{ id = "t", kind = "test", matrix = { axes = { cloud = ["aws", "azure"], db = ["pg"] }, cells = [
                { values = { cloud = "gcp", db = "pg" } },
                { name = "x", values = { cloud = "aws" } },
                { values = { cloud = "aws", db = "pg", os = "linux" } },
                { name = "y", values = { cloud = "aws", db = "pg" } },
                { name = "y", values = { cloud = "azure", db = "pg" } },
            ] } }]"#,
        ),
        (
            "matrix without axes",
            r#"steps = [{ id = "t", kind = "test", matrix = { axes = {} } }]"#,
        ),
        (
            "axis without values, repeated value",
            r#"steps = [{ id = "t", kind = "test", matrix = { axes = { a = [], b = ["x", "x"] } } }]"#,
        ),
        (
            "product too large",
            r#"steps = [{ id = "t", kind = "test", matrix = { axes = { a = ["0","1","2","3","4","5","6","7","8","9"], b = ["0","1","2","3","4","5","6","7","8","9"], c = ["0","1","2","3","4","5","6","7","8","9"], d = ["0","1","2","3","4","5","6","7","8","9"], e = ["0","1"] } } }]"#,
        ),
        (
            "full product",
            r#"steps = [{ id = "t", kind = "test", matrix = { axes = { a = ["1", "2"], b = ["x", "y", "z"] } } }]"#,
        ),
        (
            "a problem and a cycle",
            r#"steps = [{ id = "a", kind = "build", needs = ["b", "zz"] }, { id = "b", kind = "build", needs = ["a"] }]"#,
        ),
    ];
    insta::assert_snapshot!("validation_errors", check(&cases));
}

#[test]
fn many_problems_are_counted() {
    let steps: Vec<String> = (0..30)
        .map(|i| format!("{{ id = \"s{i}\", kind = \"build\", needs = [\"missing{i}\"] }}"))
        .collect();
    let text = format!("steps = [{}]", steps.join(", "));
    let err = Pipeline::new(toml::from_str(&text).unwrap()).unwrap_err();
    assert!(err.is_invalid());
    let message = err.to_string();
    assert!(
        message.starts_with(
            "30 problems in the pipeline: step \"s0\" needs unknown step \"missing0\"; "
        )
    );
    assert!(message.ends_with("; and 10 more"), "{message}");
}
