//! A step's file edits at run time (`[[steps.edits]]`): the core says
//! what each edit is (`Process::edits_of`: file, format, key, value with
//! the task's values) and what the new text is (`EditFormat::apply`); this
//! module finds the files, reads them, makes a changelog's section from
//! the commits (as `release notes` does), shows diffs and writes the files
//! atomically.
//!
//! All of a step's edits are computed before any file is written, so an
//! edit the core refuses writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use release_core::edit::{EditFormat, PlannedEdit};
use release_core::notes::ReleaseNotes;
use release_core::process::Process;
use release_core::run::Task;
use release_core::version::Change as Commit;

use crate::git;

/// One file's change: its path, how it is shown, its text before and after.
#[derive(Debug, Clone)]
pub struct Change {
    /// Where the file is.
    pub path: PathBuf,
    /// The file as messages and diffs name it.
    pub shown: String,
    /// Its text now.
    pub old: String,
    /// Its text after the step's edits.
    pub new: String,
}

impl Change {
    /// The change as a unified diff (empty when the text is unchanged).
    pub fn diff(&self) -> String {
        if self.old == self.new {
            return String::new();
        }
        crate::commands::edit::unified(&self.shown, &self.old, &self.new)
    }
}

/// What a run needs to make its steps' edits: the process and where its
/// file is (the base of paths without a component's clone).
#[derive(Debug, Clone)]
pub struct Editor {
    process: Process,
    /// The process file, for the components' `path`s and messages.
    file: PathBuf,
}

impl Editor {
    /// An editor for the edits of `process`, read from `file`.
    pub fn new(process: &Process, file: &Path) -> Editor {
        Editor {
            process: process.clone(),
            file: file.to_path_buf(),
        }
    }

    /// Whether `task`'s step edits files.
    pub fn edits(task: &Task<'_>) -> bool {
        !task.step.details.edits.is_empty()
    }

    /// The changes `task`'s edits make, file by file (a file edited twice
    /// is one change), each read from `overlay` when it holds the file (a
    /// dry run's files as earlier steps' edits left them), else from disk.
    ///
    /// # Errors
    ///
    /// The message of the first edit that cannot be made: a placeholder
    /// without a value, a file that cannot be read, the core's refusal
    /// (with the file, line and column), commits that cannot be read.
    pub fn changes(
        &self,
        task: &Task<'_>,
        overlay: &HashMap<PathBuf, String>,
    ) -> std::result::Result<Vec<Change>, String> {
        let edits = self
            .process
            .edits_of(task, false)
            .map_err(|e| e.to_string())?;
        let mut changes: Vec<Change> = Vec::new();
        for edit in &edits {
            let path = self.path_of(task, &edit.file);
            let shown = path.display().to_string();
            let at = match changes.iter().position(|c| c.path == path) {
                Some(at) => at,
                None => {
                    let old = match overlay.get(&path) {
                        Some(text) => text.clone(),
                        None => read(&path).map_err(|e| format!("{e:#}"))?,
                    };
                    changes.push(Change {
                        path,
                        shown,
                        new: old.clone(),
                        old,
                    });
                    changes.len() - 1
                }
            };
            let value = self
                .value_of(edit)
                .map_err(|e| format!("{} ({}): {e:#}", edit.file, edit.format))?;
            let change = &mut changes[at];
            let key = edit.key.as_deref().unwrap_or("");
            change.new = edit
                .format
                .apply(&change.shown, &change.new, key, &value)
                .map_err(|e| e.to_string())?;
        }
        Ok(changes)
    }

    /// Where an edit's file is: under the step's component's clone (its
    /// `path`, relative to the process file's directory) when it has one,
    /// else under the process file's directory.
    fn path_of(&self, task: &Task<'_>, file: &str) -> PathBuf {
        let base = self.file.parent().unwrap_or(Path::new(""));
        let clone = task
            .step
            .details
            .component
            .as_deref()
            .and_then(|c| self.process.def().components.iter().find(|x| x.name == c))
            .and_then(|c| c.path.as_deref());
        match clone {
            Some(dir) => base.join(dir).join(file),
            None => base.join(file),
        }
    }

    /// What an edit writes: its value, or for a changelog the release
    /// notes of its component's version from the commits since the
    /// component's latest earlier tag.
    fn value_of(&self, edit: &PlannedEdit) -> Result<String> {
        if edit.format != EditFormat::Changelog {
            return Ok(edit.value.clone().unwrap_or_default());
        }
        let Some(notes) = &edit.notes else {
            anyhow::bail!("no component to write the release notes of");
        };
        let Some(version) = &notes.version else {
            anyhow::bail!(
                "component {:?} has no version in this run (give `release run` its tags: --tags FILE or --tag COMPONENT=TAG)",
                notes.component
            );
        };
        let date = notes.date.as_deref().and_then(|d| d.parse().ok());
        let commits = self.commits(&notes.component, version)?;
        let changes: Vec<Commit> = commits.iter().map(|m| Commit::parse(m)).collect();
        let config = &self.process.def().notes;
        Ok(ReleaseNotes::new(config, version, date, &changes).to_markdown())
    }

    /// The commit messages of `component`'s release `version`: from its
    /// clone (`path`), else from the process file's directory when it is
    /// the top of a work tree; none without a repository.
    fn commits(&self, component: &str, version: &str) -> Result<Vec<String>> {
        let base = self.file.parent().unwrap_or(Path::new(""));
        let Some(c) = self
            .process
            .def()
            .components
            .iter()
            .find(|c| c.name == component)
        else {
            return Ok(Vec::new());
        };
        let repo = match &c.path {
            Some(path) => Some(git::Repo::open(&base.join(path)).with_context(|| {
                format!(
                    "{}: the path {path:?} of component {component:?}",
                    self.file.display()
                )
            })?),
            None => git::Repo::here(if base.as_os_str().is_empty() {
                Path::new(".")
            } else {
                base
            }),
        };
        let Some(repo) = repo else {
            return Ok(Vec::new());
        };
        let Some(scheme) = crate::commands::notes::tag_scheme(c)? else {
            return Ok(Vec::new());
        };
        let since = crate::commands::notes::since_tag(&scheme, &repo.tags()?, version);
        repo.commits_since(since.as_deref(), c.branch.as_deref())
    }
}

/// Writes every change that changes its file, each atomically; the files
/// written, as shown.
///
/// # Errors
///
/// The first file that cannot be written (those before it are written).
pub fn write(changes: &[Change]) -> Result<Vec<String>> {
    let mut written = Vec::new();
    for change in changes.iter().filter(|c| c.old != c.new) {
        crate::atomic::write(&change.path, change.new.as_bytes())?;
        written.push(change.shown.clone());
    }
    Ok(written)
}

/// A file's text.
fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    crate::process_file::utf8(path, bytes)
}
