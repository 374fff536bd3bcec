//! Drawing a pipeline as Graphviz DOT or Mermaid text: pure string
//! functions, so every front end draws the same picture.

use std::fmt::Write;

use super::graph::{Node, Pipeline};

fn label(node: &Node<'_>) -> String {
    let mut text = format!("{}\n{}", node.id(), node.kind());
    if let Some(e) = node.estimate() {
        let _ = write!(text, " {e}");
    }
    if node.is_manual() {
        text.push_str(" (manual)");
    }
    if let Some(env) = &node.step().details.environment {
        let _ = write!(text, " -> {env}");
    }
    text
}

fn dot_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn mermaid_quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '\n' => out.push_str("<br/>"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Pipeline {
    /// The pipeline as a Graphviz DOT digraph: an edge from each task to
    /// the tasks that need it, manual steps as diamonds, matrix cells
    /// grouped in a cluster per matrix step.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::pipeline::{Pipeline, Step, StepKind};
    ///
    /// let p = Pipeline::builder()
    ///     .name("demo")
    ///     .step(Step::new("build", StepKind::Build))
    ///     .step(Step::new("ok", StepKind::Approve).needs(["build"]))
    ///     .build()?;
    /// assert_eq!(p.to_dot(), r#"digraph "demo" {
    ///   rankdir=LR;
    ///   node [shape=box];
    ///   n0 [label="build\nbuild"];
    ///   n1 [label="ok\napprove (manual)", shape=diamond];
    ///   n0 -> n1;
    /// }
    /// "#);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_dot(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "digraph {} {{", dot_quote(self.name()));
        out.push_str("  rankdir=LR;\n  node [shape=box];\n");
        let mut cluster: Option<usize> = None;
        for node in self.nodes() {
            let step = self.nodes[node.step_id().index()].step as usize;
            let in_cell = node.cell().is_some();
            if cluster.is_some() && (cluster != Some(step) || !in_cell) {
                out.push_str("  }\n");
                cluster = None;
            }
            if in_cell && cluster.is_none() {
                let _ = writeln!(
                    out,
                    "  subgraph {} {{\n    label={};",
                    dot_quote(&format!("cluster_{}", node.step().id)),
                    dot_quote(&node.step().id)
                );
                cluster = Some(step);
            }
            let indent = if in_cell { "    " } else { "  " };
            let shape = if node.is_manual() {
                ", shape=diamond"
            } else {
                ""
            };
            let style = match node.requirement() {
                crate::gate::Requirement::Required => "",
                _ => ", style=dashed",
            };
            let _ = writeln!(
                out,
                "{indent}n{} [label={}{shape}{style}];",
                node.step_id().index(),
                dot_quote(&label(&node))
            );
        }
        if cluster.is_some() {
            out.push_str("  }\n");
        }
        for node in self.nodes() {
            for need in node.needs() {
                let _ = writeln!(out, "  n{} -> n{};", need.index(), node.step_id().index());
            }
        }
        out.push_str("}\n");
        out
    }

    /// The pipeline as a Mermaid flowchart, with the same conventions as
    /// [`to_dot`](Self::to_dot).
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::pipeline::{Pipeline, Step, StepKind};
    ///
    /// let p = Pipeline::builder()
    ///     .step(Step::new("build", StepKind::Build).estimate("5m".parse()?))
    ///     .step(Step::new("deploy", StepKind::Deploy).needs(["build"]))
    ///     .build()?;
    /// assert_eq!(p.to_mermaid(), "flowchart LR\n  n0[\"build<br/>build 5m\"]\n  n1[\"deploy<br/>deploy\"]\n  n0 --> n1\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let mut cluster: Option<usize> = None;
        for node in self.nodes() {
            let step = self.nodes[node.step_id().index()].step as usize;
            let in_cell = node.cell().is_some();
            if cluster.is_some() && (cluster != Some(step) || !in_cell) {
                out.push_str("  end\n");
                cluster = None;
            }
            if in_cell && cluster.is_none() {
                let _ = writeln!(
                    out,
                    "  subgraph s{step}[{}]",
                    mermaid_quote(&node.step().id)
                );
                cluster = Some(step);
            }
            let indent = if in_cell { "    " } else { "  " };
            let (open, close) = if node.is_manual() {
                ("{", "}")
            } else {
                ("[", "]")
            };
            let _ = writeln!(
                out,
                "{indent}n{}{open}{}{close}",
                node.step_id().index(),
                mermaid_quote(&label(&node))
            );
        }
        if cluster.is_some() {
            out.push_str("  end\n");
        }
        for node in self.nodes() {
            for need in node.needs() {
                let arrow = match self.node(*need).requirement() {
                    crate::gate::Requirement::Required => "-->",
                    _ => "-.->",
                };
                let _ = writeln!(
                    out,
                    "  n{} {arrow} n{}",
                    need.index(),
                    node.step_id().index()
                );
            }
        }
        out
    }
}
