//! `release check`: validate a process file.

use anyhow::Result;
use serde::Serialize;

use super::Status;
use crate::output::Out;
use crate::process_file;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `release check`.
#[derive(Debug, Args)]
pub struct ProcessCheckArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// The JSON document of `release check --json`.
#[derive(Serialize)]
struct Summary<'a> {
    file: String,
    name: &'a str,
    valid: bool,
    components: usize,
    environments: Vec<&'a str>,
    steps: usize,
    schedules: Vec<&'a str>,
    windows: Vec<&'a str>,
    rotations: Vec<&'a str>,
}

/// Runs `release check`: the file is valid, or the error names its place.
///
/// # Errors
///
/// An unreadable or invalid process file.
pub fn run(args: ProcessCheckArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.file)?;
    let def = process.def();
    let summary = Summary {
        file: crate::input::name(&args.file).into_owned(),
        name: process.name(),
        valid: true,
        components: def.components.len(),
        environments: def.environments.iter().map(|e| e.name.as_str()).collect(),
        steps: process.pipeline().len(),
        schedules: def.schedules.iter().map(|s| s.name()).collect(),
        windows: def.windows.iter().map(|w| w.name.as_str()).collect(),
        rotations: def.rotations.iter().map(|r| r.name()).collect(),
    };
    if out.is_json() {
        out.json(&summary)?;
        return Ok(Status::Done);
    }
    out.line(format!(
        "{}: valid process {:?}: {} component(s), {} step(s), environments [{}], schedules [{}], windows [{}], rotations [{}]",
        summary.file,
        summary.name,
        summary.components,
        summary.steps,
        summary.environments.join(", "),
        summary.schedules.join(", "),
        summary.windows.join(", "),
        summary.rotations.join(", "),
    ))?;
    Ok(Status::Done)
}
