//! `release evidence`: the release evidence record of a run, one JSON
//! document exported from its journal (the core's `evidence::Evidence`).

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use release_core::evidence::Evidence;
use release_core::run::Run;

use super::Status;
use crate::output::Out;

/// Arguments of `release evidence`.
#[derive(Debug, Args)]
pub struct EvidenceArgs {
    /// The process file the run ran (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The run's journal.
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
}

/// Runs `release evidence`: prints the record as JSON (with or without
/// `--json`).
///
/// # Errors
///
/// An invalid process file, an unreadable journal, a journal that does
/// not replay.
pub fn run(args: EvidenceArgs, out: &mut Out) -> Result<Status> {
    let pipeline = super::graph::load(&args.file)?;
    let contents = crate::journal_file::read(&args.journal)?;
    let run = Run::replay(pipeline, contents.events)
        .with_context(|| format!("journal {}", args.journal.display()))?;
    out.raw(&Evidence::of_run(&run).to_json())?;
    Ok(Status::Done)
}
