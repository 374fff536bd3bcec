//! `release graph` run as a binary: the core's DOT and Mermaid drawings,
//! and pipeline files that do not validate (exit 2).

use insta::assert_snapshot;

mod support;
use support::{release, release_in, scratch};

const SMOKE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/pipelines/smoke.toml"
);

const SMALL: &str = r#"
name = "small"
[[steps]]
id = "build"
kind = "build"
estimate = "3m..4m"
[[steps]]
id = "approve"
kind = "approve"
needs = ["build"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["approve"]
"#;

#[test]
fn dot() {
    let dir = scratch("graph-dot", &[("p.toml", SMALL)]);
    assert_snapshot!(release_in(&dir, &["graph", "p.toml"]), @r#"
        exit 0
        --- stdout
        digraph "small" {
          rankdir=LR;
          node [shape=box];
          n0 [label="build\nbuild 3m..4m"];
          n1 [label="approve\napprove (manual)", shape=diamond];
          n2 [label="deploy\ndeploy"];
          n0 -> n1;
          n1 -> n2;
        }
        "#);
}

#[test]
fn mermaid() {
    let dir = scratch("graph-mermaid", &[("p.toml", SMALL)]);
    assert_snapshot!(release_in(&dir, &["graph", "p.toml", "--format", "mermaid"]), @r#"
        exit 0
        --- stdout
        flowchart LR
          n0["build<br/>build 3m..4m"]
          n1{"approve<br/>approve (manual)"}
          n2["deploy<br/>deploy"]
          n0 --> n1
          n1 --> n2
        "#);
}

#[test]
fn json_wraps_the_drawing() {
    let dir = scratch("graph-json", &[("p.toml", SMALL)]);
    assert_snapshot!(release_in(&dir, &["--json", "graph", "p.toml", "--format", "mermaid"]), @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "name": "small",
  "format": "mermaid",
  "graph": "flowchart LR\n  n0[\"build<br/>build 3m..4m\"]\n  n1{\"approve<br/>approve (manual)\"}\n  n2[\"deploy<br/>deploy\"]\n  n0 --> n1\n  n1 --> n2\n"
}
"#);
}

#[test]
fn the_smoke_example_draws() {
    let (code, stdout, _) = support::run(&["graph", SMOKE], None);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("digraph \"smoke\" {"));
}

#[test]
fn a_cycle_names_its_steps() {
    let text = r#"
[[steps]]
id = "a"
kind = "build"
needs = ["b"]
[[steps]]
id = "b"
kind = "build"
needs = ["a"]
"#;
    let dir = scratch("graph-cycle", &[("p.toml", text)]);
    assert_snapshot!(release_in(&dir, &["graph", "p.toml"]), @r#"
        exit 2
        --- stderr
        error: p.toml:3:6: cycle in needs: "a" needs "b" needs "a"
          |
        3 | id = "a"
          |      ^^^
        "#);
}

#[test]
fn an_unknown_reference_is_named() {
    let text = r#"
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["biuld"]
"#;
    let dir = scratch("graph-unknown", &[("p.toml", text)]);
    assert_snapshot!(release_in(&dir, &["graph", "p.toml"]), @r#"
        exit 2
        --- stderr
        error: p.toml:5:9: step "deploy" needs unknown step "biuld"
          |
        5 | needs = ["biuld"]
          |         ^^^^^^^^^
        "#);
}

#[test]
fn an_unknown_key_has_line_and_column() {
    let text = "[[steps]]\nid = \"build\"\nkind = \"build\"\nneeds_ = [\"x\"]\n";
    let dir = scratch("graph-key", &[("p.toml", text)]);
    assert_snapshot!(release_in(&dir, &["graph", "p.toml"]), @r#"
exit 2
--- stderr
error: p.toml:4:1: unknown field `needs_`, expected one of `id`, `kind`, `description`, `component`, `environment`, `needs`, `gates`, `estimate`, `manual`, `command`, `metadata`, `max_attempts`, `requirement`, `wait`, `matrix`, `timeout`, `not_before`, `due`, `release_kind`, `edits`
  |
4 | needs_ = ["x"]
  | ^^^^^^
"#);
}

#[test]
fn a_missing_file_is_bad_input() {
    let output = release(&["graph", "/nonexistent/pipeline.toml"], None);
    assert!(output.starts_with("exit 2\n"), "{output}");
}
