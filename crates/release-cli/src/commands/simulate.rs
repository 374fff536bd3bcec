//! `release simulate`: a release train played week by week.

use anyhow::Result;

use super::Status;
use crate::output::Out;
use crate::process_file;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `release simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A process file (release.toml) with `[[trains]]`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The train to play (needed when the file has several).
    #[arg(long, value_name = "NAME")]
    pub train: Option<String>,
    /// Only the table, without each week's reasons.
    #[arg(long)]
    pub brief: bool,
}

/// Runs `release simulate`: the table of what each environment holds per
/// week, then every week's reasons (`--json`: the whole simulation).
///
/// # Errors
///
/// An invalid process file, an unknown train, no scenario.
pub fn run(args: SimulateArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.file)?;
    let simulation = process.simulate(args.train.as_deref(), None)?;
    if out.is_json() {
        out.json(&simulation)?;
        return Ok(Status::Done);
    }
    out.raw(&simulation.to_table())?;
    if !args.brief {
        out.line("")?;
        out.raw(&simulation.to_report())?;
    }
    Ok(Status::Done)
}
