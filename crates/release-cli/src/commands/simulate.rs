//! `release simulate`: a release train played week by week.

use anyhow::Result;

use super::Status;
use crate::cli::SimulateArgs;
use crate::output::Out;
use crate::process_file;

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
