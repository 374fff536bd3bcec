//! Hand a process to the CI engine a team already runs: a GitHub Actions
//! workflow (with the environments' protection settings) whose jobs are
//! the process's steps, and a report of everything the engine cannot
//! express natively and how the export handles it; and the way back:
//! [`import`] reads the engine's run (GitHub's REST responses) into a
//! journal, so `plan` and `explain` answer about it as about a local run.
//!
//! Pure: a [`Process`] in, file texts out; the
//! CLI (`release export github-actions FILE`) and Python
//! (`Process.export("github-actions")`) write or return them.
//!
//! ```
//! use release_core::export::{ExportOptions, ExportTarget, export};
//! use release_core::process::Process;
//!
//! let process = Process::from_toml("release.toml", r#"
//! name = "demo"
//! [[steps]]
//! id = "build"
//! kind = "build"
//! command = ["make", "dist"]
//! [[steps]]
//! id = "publish"
//! kind = "deploy"
//! needs = ["build"]
//! command = ["make", "publish"]
//! "#)?;
//! let out = export(&process, ExportTarget::GithubActions, &ExportOptions::new("release.toml"))?;
//! assert_eq!(out.files[0].path, ".github/workflows/demo.yml");
//! assert!(out.files[0].text.contains("needs:\n    - plan\n    - build"));
//! # Ok::<(), release_core::Error>(())
//! ```

mod common;
mod github;
mod gitlab;
pub mod import;
pub mod naming;
mod settings;
mod shell;

use serde::Serialize;

use crate::Result;
use crate::process::Process;

crate::vocabulary! {
    ExportTarget, "export target",
    {
        GithubActions => "github-actions",
        GitlabCi => "gitlab-ci",
    }
}

/// The CI engines a process exports to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ExportTarget {
    /// A GitHub Actions workflow and the repository's environment settings.
    GithubActions,
    /// A GitLab CI pipeline to include from `.gitlab-ci.yml`.
    GitlabCi,
}

/// How the exported workflow finds the process and installs `release`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportOptions {
    /// The process file's path in the repository, as the workflow reads it
    /// (`release.toml`, `release/process.toml`).
    pub process_path: String,
    /// The release-cli version the runners install with `cargo install
    /// --locked` (default: this crate's version).
    pub cli_version: String,
    /// Instead of `cargo install`: a URL of a prebuilt `release` binary for
    /// Linux x86-64, downloaded with `curl`.
    pub binary_url: Option<String>,
    /// The runner label of every job (`ubuntu-latest`).
    pub runs_on: String,
    /// How long a gate job waits for a time-based gate (a window, a soak)
    /// before it fails, in minutes; at most 360, GitHub's limit for a job
    /// on its hosted runners.
    pub wait_minutes: u32,
}

impl ExportOptions {
    /// The defaults, for a process at `process_path` in the repository.
    pub fn new(process_path: &str) -> ExportOptions {
        ExportOptions {
            process_path: process_path.to_owned(),
            cli_version: env!("CARGO_PKG_VERSION").to_owned(),
            binary_url: None,
            runs_on: "ubuntu-latest".to_owned(),
            wait_minutes: 360,
        }
    }
}

/// What an export produced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Export {
    /// The files to write, relative to the repository's root.
    pub files: Vec<ExportFile>,
    /// What the target cannot express natively, and how the export
    /// handles each: a gate job, a documented limit, an omission.
    pub notes: Vec<ExportNote>,
}

/// One file of an export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportFile {
    /// Its path, relative to the repository's root
    /// (`.github/workflows/demo.yml`).
    pub path: String,
    /// Its text.
    pub text: String,
}

/// Something the target engine cannot express exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportNote {
    /// The step (or environment, `environment NAME`) it is about, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// What cannot be expressed natively.
    pub what: String,
    /// How the export handles it.
    pub how: String,
    /// Whether the workflow still enforces it (through a gate job):
    /// `false` when it is only documented or left out; `--strict` refuses
    /// an export with any note.
    pub enforced: bool,
}

/// The export of `process` to `target`: deterministic (the same process
/// and options give the same bytes).
///
/// # Errors
///
/// An [invalid error](crate::ErrorKind::Invalid) when two step ids map to
/// one job id, or when the workflow exceeds one of the target's documented
/// limits (a matrix of more than 256 jobs, a workflow of more than 256
/// jobs in a run, a file over 512,000 bytes): such a process is split
/// into several processes, each exported on its own.
pub fn export(process: &Process, target: ExportTarget, options: &ExportOptions) -> Result<Export> {
    match target {
        ExportTarget::GithubActions => github::export(process, options),
        ExportTarget::GitlabCi => gitlab::export(process, options),
    }
}
