//! `release graph`: a pipeline drawn by release-core as DOT or Mermaid.

use std::path::Path;

use anyhow::{Context, Result};
use release_core::pipeline::{Pipeline, PipelineDef};
use serde::Serialize;

use super::Status;
use crate::cli::{GraphArgs, GraphFormat};
use crate::output::Out;

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

/// Reads a TOML pipeline file and validates it with release-core.
///
/// # Errors
///
/// An unreadable file; a TOML error (unknown key, wrong type) with its line
/// and column; the core's validation error (a cycle naming its steps, an
/// unknown reference, a duplicate id), which keeps its kind for the exit
/// code.
pub fn load(path: &Path) -> Result<Pipeline> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let def: PipelineDef = toml::from_str(&text).map_err(|e| {
        // toml's message carries the line, column and a caret excerpt.
        anyhow::anyhow!(
            "invalid pipeline file {}: {}",
            path.display(),
            e.to_string().trim_end()
        )
    })?;
    Pipeline::new(def).with_context(|| format!("invalid pipeline {}", path.display()))
}
