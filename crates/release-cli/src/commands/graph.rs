//! `release graph`: a pipeline drawn by release-core as DOT or Mermaid.

use std::path::Path;

use std::sync::Arc;

use anyhow::Result;
use release_core::pipeline::Pipeline;
use serde::Serialize;

use super::Status;
use crate::output::Out;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Arguments of `release graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A TOML pipeline file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The drawing's language.
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
}

/// A drawing's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (Markdown on GitHub and GitLab renders it).
    Mermaid,
}

/// The JSON document of `release graph --json`.
#[derive(Serialize)]
struct Drawing<'a> {
    name: &'a str,
    format: &'a str,
    graph: &'a str,
}

/// Runs `release graph`.
///
/// # Errors
///
/// An unreadable file, a TOML error (with line and column), or a pipeline
/// that does not validate.
pub fn run(args: GraphArgs, out: &mut Out) -> Result<Status> {
    let pipeline = load(&args.file)?;
    let (format, text) = match args.format {
        GraphFormat::Dot => ("dot", pipeline.to_dot()),
        GraphFormat::Mermaid => ("mermaid", pipeline.to_mermaid()),
    };
    if out.is_json() {
        out.json(&Drawing {
            name: pipeline.name(),
            format,
            graph: &text,
        })?;
    } else {
        out.raw(&text)?;
    }
    Ok(Status::Done)
}

/// Reads a process (or pipeline) file and returns its validated pipeline.
///
/// # Errors
///
/// An unreadable file; the core's error for its content, with its kind
/// (for the exit code) and its file, line and column.
pub fn load(path: &Path) -> Result<Arc<Pipeline>> {
    Ok(crate::process_file::load(path)?.pipeline().clone())
}
