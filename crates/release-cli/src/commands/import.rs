//! `release import github-actions`: a GitHub Actions run read back as a
//! journal. The files are GitHub's REST API responses as downloaded
//! (`gh api repos/OWNER/REPO/actions/runs/ID > run.json`, `.../jobs`,
//! `.../approvals`); the mapping is the core's
//! (`release_core::export::import`).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use release_core::export::import::{self, Input, Responses};
use serde::Serialize;
use serde_json::Value;

use super::Status;
use crate::output::Out;
use crate::process_file;

/// The engines a run is imported from.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A GitHub Actions workflow run: its run, jobs and environment
    /// approvals (REST API responses, JSON) become a journal (format 2,
    /// each event's `source` naming the run and the job), on which `plan`
    /// and `explain` answer as on a local run. Jobs are named by step id
    /// (`STEP (k=v, ...)` for a matrix cell; `plan` and `gate: STEP` jobs
    /// are known and record nothing); the run's triggering actor is the
    /// requester; an approval of a manual step's environment approves it.
    GithubActions(GithubActionsArgs),
}

/// Arguments of `release import github-actions`.
#[derive(Debug, Args)]
pub struct GithubActionsArgs {
    /// The process file the workflow was exported from.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// `GET /repos/{owner}/{repo}/actions/runs/{run_id}`.
    #[arg(long, value_name = "RUN.json")]
    pub run: PathBuf,
    /// `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs` (all of
    /// them: `?per_page=100`, or the pages' `jobs` arrays joined into one
    /// array).
    #[arg(long, value_name = "JOBS.json")]
    pub jobs: PathBuf,
    /// `GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`; needed
    /// when a manual step's job ran.
    #[arg(long, value_name = "APPROVALS.json")]
    pub approvals: Option<PathBuf>,
    /// Write the journal to OUT instead of stdout: a new file, or an
    /// earlier import of the same run, which it replaces; any other
    /// existing journal is refused.
    #[arg(long, value_name = "OUT")]
    pub journal: Option<PathBuf>,
}

/// The JSON document of `release import github-actions --journal OUT --json`.
#[derive(Serialize)]
struct ImportDoc<'a> {
    journal: &'a Path,
    events: usize,
    requested_by: Option<&'a str>,
    last_hash: Option<&'a str>,
}

/// Runs `release import`.
///
/// # Errors
///
/// An unreadable or invalid file (naming it, and the field by its JSON
/// pointer), a run the process's engine refuses, an existing OUT.
pub fn run(command: ImportCommand, out: &mut Out) -> Result<Status> {
    match command {
        ImportCommand::GithubActions(args) => github_actions(args, out),
    }
}

fn read_json(path: &Path) -> Result<Value> {
    let text = crate::input::read_text(path)?;
    serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON", crate::input::name(path)))
}

fn github_actions(args: GithubActionsArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.file)?;
    let run = read_json(&args.run)?;
    let jobs = read_json(&args.jobs)?;
    let approvals = args.approvals.as_deref().map(read_json).transpose()?;
    let names = (
        args.run.display().to_string(),
        args.jobs.display().to_string(),
        args.approvals.as_ref().map(|p| p.display().to_string()),
    );
    let responses = Responses {
        run: Input {
            name: &names.0,
            value: &run,
        },
        jobs: Input {
            name: &names.1,
            value: &jobs,
        },
        approvals: approvals
            .as_ref()
            .zip(names.2.as_deref())
            .map(|(value, name)| Input { name, value }),
    };
    let imported = import::import(process.pipeline(), responses)?;
    crate::warnings::report(imported.warnings.iter().cloned());
    let imported = imported.value;
    let text = imported.to_journal()?;
    let Some(path) = &args.journal else {
        out.raw(&text)?;
        return Ok(Status::Done);
    };
    write_new(path, &text)?;
    let last_hash = imported.lines.last().map(|_| {
        let last = text.lines().last().unwrap_or_default();
        release_core::run::journal::hash(last.as_bytes())
    });
    if out.is_json() {
        out.json(&ImportDoc {
            journal: path,
            events: imported.lines.len(),
            requested_by: imported.header.requested_by.as_deref(),
            last_hash: last_hash.as_deref(),
        })?;
    } else {
        out.line(format!(
            "journal {}: {} events imported from GitHub Actions, requested by {}",
            path.display(),
            imported.lines.len(),
            imported
                .header
                .requested_by
                .as_deref()
                .unwrap_or("(unknown)")
        ))?;
    }
    Ok(Status::Done)
}

/// The engine run a journal text was imported from (`source.run.id` of
/// its first event), if it is an import.
fn imported_run(text: &str) -> Option<Value> {
    let first: Value = serde_json::from_str(text.lines().nth(1)?).ok()?;
    let source = first.get("source")?;
    (source.get("engine")? == import::ENGINE).then(|| source.pointer("/run/id").cloned())?
}

/// Writes the journal whole and synced. A new file is created; an existing
/// one is replaced (atomically: a synced temporary file renamed over it)
/// only when it is an import of the same run, which the new one supersedes
/// (a gate job imports its run again each time it looks); any other journal
/// is refused, so a local run is never overwritten.
fn write_new(path: &Path, text: &str) -> Result<()> {
    crate::input::writable(path, "the journal (OUT)")?;
    let context = || format!("cannot write journal {}", path.display());
    match std::fs::read(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
        Ok(old) => {
            let old = String::from_utf8_lossy(&old);
            let same = imported_run(&old).is_some_and(|id| Some(id) == imported_run(text));
            if !same {
                bail!(
                    "journal {} exists and is not an import of this run; an import writes a new journal (remove it, or name another)",
                    path.display()
                );
            }
            let name = path
                .file_name()
                .map_or_else(|| "journal".into(), |n| n.to_string_lossy().into_owned());
            let tmp = path.with_file_name(format!(".{name}.import.tmp"));
            let mut file = std::fs::File::create(&tmp).with_context(context)?;
            file.write_all(text.as_bytes()).with_context(context)?;
            file.sync_all().with_context(context)?;
            return std::fs::rename(&tmp, path).with_context(context);
        }
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(context)?;
    file.sync_all().with_context(context)
}
