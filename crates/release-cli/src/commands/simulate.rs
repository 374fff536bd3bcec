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
    /// Only the release days and the weeks where something changes, with
    /// their dates (a `*` marks each tag that changed), without reasons;
    /// with `--json`, the simulation of those weeks.
    #[arg(long)]
    pub brief: bool,
}

/// Runs `release simulate`: the table of what each environment holds per
/// week, then every week's reasons (`--json`: the whole simulation);
/// `--brief`, the weeks where something happens only.
///
/// # Errors
///
/// An invalid process file, an unknown train, no scenario.
pub fn run(args: SimulateArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.file)?;
    let mut simulation = process.simulate(args.train.as_deref(), None)?;
    if args.brief {
        simulation = simulation.brief();
    }
    if out.is_json() {
        out.json(&simulation)?;
        return Ok(Status::Done);
    }
    if args.brief {
        out.raw(&simulation.to_brief())?;
        return Ok(Status::Done);
    }
    out.raw(&simulation.to_table())?;
    out.line("")?;
    out.raw(&simulation.to_report())?;
    Ok(Status::Done)
}
