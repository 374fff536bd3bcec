//! `release export TARGET FILE`: the process as a workflow of the CI
//! engine a team runs (GitHub Actions), with its environment settings and
//! a report of what the engine cannot express natively.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use release_core::export::{self, ExportFile, ExportNote, ExportOptions, ExportTarget};
use serde::Serialize;

use super::Status;
use crate::output::Out;
use crate::{process_file, vocab_arg};

/// Arguments of `release export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engine.
    #[arg(value_name = "TARGET", value_parser = vocab_arg::names::<ExportTarget>())]
    pub target: ExportTarget,
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the files under DIR (`.github/workflows/<process>.yml` and
    /// `.github/release-environments/<process>.json`), each atomically,
    /// instead of printing the workflow.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Refuse (exit 1, nothing written) when anything cannot be expressed
    /// exactly: every note of the report is an error.
    #[arg(long)]
    pub strict: bool,
    /// The process file's path in the repository, as the workflow reads it
    /// [default: FILE as given].
    #[arg(long, value_name = "PATH")]
    pub process_path: Option<String>,
    /// The release-cli version the runners install with `cargo install
    /// --locked` [default: this release's].
    #[arg(long, value_name = "VERSION")]
    pub cli_version: Option<String>,
    /// Download a prebuilt `release` binary from URL instead of `cargo
    /// install`.
    #[arg(long, value_name = "URL")]
    pub binary_url: Option<String>,
    /// How long a gate job waits for a time-based gate before failing, in
    /// minutes (at most 360, a hosted runner's job limit).
    #[arg(long, value_name = "MINUTES", default_value_t = 360, value_parser = clap::value_parser!(u32).range(1..=360))]
    pub wait_minutes: u32,
}

/// The JSON document of `release export --json`.
#[derive(Serialize)]
struct ExportDoc<'a> {
    target: &'static str,
    files: &'a [ExportFile],
    notes: &'a [ExportNote],
}

/// Runs `release export`.
///
/// # Errors
///
/// An invalid process file; a workflow past the engine's limits; with
/// `--strict`, anything the engine cannot express; a file that cannot be
/// written.
pub fn run(args: ExportArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.file)?;
    let mut options = ExportOptions::new(
        &args
            .process_path
            .clone()
            .unwrap_or_else(|| args.file.to_string_lossy().into_owned()),
    );
    if let Some(v) = &args.cli_version {
        options.cli_version = v.clone();
    }
    options.binary_url = args.binary_url.clone();
    options.wait_minutes = args.wait_minutes;
    let exported = export::export(&process, args.target, &options)?;
    for note in &exported.notes {
        out.note(format_args!("note: {}", describe(note)));
    }
    if args.strict && !exported.notes.is_empty() {
        bail!(
            "--strict: {} item(s) cannot be expressed exactly in {} (listed above); nothing written",
            exported.notes.len(),
            args.target
        );
    }
    if let Some(dir) = &args.output {
        for file in &exported.files {
            let path = dir.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot make {}", parent.display()))?;
            }
            crate::atomic::write(&path, file.text.as_bytes())?;
        }
    }
    if out.is_json() {
        out.json(&ExportDoc {
            target: args.target.as_str(),
            files: &exported.files,
            notes: &exported.notes,
        })?;
    } else if let Some(dir) = &args.output {
        for file in &exported.files {
            out.line(format!("wrote {}", dir.join(&file.path).display()))?;
        }
    } else if let Some(workflow) = exported.files.first() {
        out.raw(&workflow.text)?;
    }
    Ok(Status::Done)
}

/// A note in one line: `deploy: gate "soak": ... -> job "gate: deploy" ...`.
fn describe(note: &ExportNote) -> String {
    let enforced = if note.enforced { "" } else { " (not enforced)" };
    match &note.about {
        Some(about) => format!("{about}: {}; {}{enforced}", note.what, note.how),
        None => format!("{}; {}{enforced}", note.what, note.how),
    }
}
