//! The release state kept in a JSON file (`--state FILE`): read, checked
//! against the tags, advanced by a real `release run` and written back
//! atomically. The record, its transitions and the check are the core's
//! (`release_core::state`); this module owns the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use clap::Args;
use release_core::gate::Facts;
use release_core::process::{NextVersion, Process};
use release_core::state::{ReleaseMode, ReleaseState, StateDisagreement};

use crate::args::StateArgs;
use crate::output::Out;
use crate::process_file::State;

/// `--state FILE`: where the release state is kept.
#[derive(Debug, Args)]
pub struct ReleaseStateArgs {
    /// A release-state file (JSON): what each component last released and
    /// when, and what comes next. It is checked against the tags (a
    /// disagreement is reported, the tags win); a real run that succeeds
    /// advances it (written atomically); a dry run never writes it. A
    /// missing file is an empty state.
    #[arg(long = "state", value_name = "PATH")]
    pub path: Option<PathBuf>,
}

/// The state in `path`; an empty one when there is no file yet.
///
/// # Errors
///
/// An unreadable file, or the core's error for its content (placed).
pub fn load(path: &Path) -> Result<ReleaseState> {
    let bytes = match crate::input::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ReleaseState::new()),
        Err(e) => {
            let name = crate::input::name(path);
            return Err(e).with_context(|| format!("cannot read {name}"));
        }
    };
    let text = crate::process_file::utf8(path, bytes)?;
    Ok(ReleaseState::from_json(&crate::input::name(path), &text)?)
}

/// Writes `state` to `path` atomically, unless the file holds it already
/// (a record unchanged is bytes unchanged). Whether it wrote.
///
/// # Errors
///
/// A failure to write, sync or rename.
pub fn save(path: &Path, state: &ReleaseState) -> Result<bool> {
    let text = state.to_json();
    if std::fs::read(path).is_ok_and(|old| old == text.as_bytes()) {
        return Ok(false);
    }
    crate::atomic::write(path, text.as_bytes())?;
    Ok(true)
}

/// Every disagreement of `state` with the `tags`, component by component,
/// said on stderr (`warning: release state FILE: ...`).
pub fn check(
    state: &ReleaseState,
    process: &Process,
    tags: &BTreeMap<String, Vec<String>>,
    path: &Path,
    out: &mut Out,
) -> Vec<StateDisagreement> {
    let mut found = Vec::new();
    for component in &process.def().components {
        let given = tags.get(&component.name).map_or(&[][..], Vec::as_slice);
        found.extend(state.check(&component.name, component.tags.as_ref(), given));
    }
    for d in &found {
        out.note(format_args!(
            "warning: release state {}: {}",
            path.display(),
            d.message
        ));
    }
    found
}

/// The release state of one `release run`: read and planned before the
/// run, advanced after it.
pub struct RunState {
    path: PathBuf,
    before: ReleaseState,
    planned: ReleaseState,
}

/// Before `release run FILE --state PATH` drives its steps (the first of
/// the two hooks `commands::run` calls): the state read and checked
/// against the components' tags, and the versions the process releases
/// next at `at` planned, from the git repositories of the components
/// (their `path`, or the process file's own repository).
///
/// # Errors
///
/// An unreadable state or process file, a repository git cannot read.
pub fn before_run(
    args: &ReleaseStateArgs,
    process: &Process,
    file: &Path,
    at: DateTime<Utc>,
    out: &mut Out,
) -> Result<Option<RunState>> {
    let Some(path) = &args.path else {
        return Ok(None);
    };
    // Refused before the run starts, not when it ends and would write it
    // (a dry run too: one rule for `release run --state`).
    crate::input::writable(path, "the state file of a run (--state)")?;
    let before = load(path)?;
    let none = StateArgs {
        facts: None,
        journal: None,
        tags: None,
        tag: Vec::new(),
        repo: Vec::new(),
    };
    let mut state = State::read(&none)?;
    state.read_git(process, file, &none)?;
    check(&before, process, &state.tags, path, out);
    let releases =
        process.next_releases(at, &state.tags, &state.changes, &Facts::new(), &[], None)?;
    let versions: Vec<NextVersion> = releases.into_iter().flat_map(|r| r.versions).collect();
    let planned = process.planned_state(&before, &versions);
    Ok(Some(RunState {
        path: path.clone(),
        before,
        planned,
    }))
}

/// After the run (the second hook): a real run that succeeded records the
/// planned versions as released at `at` and writes the file atomically; a
/// dry run or an unfinished run leaves it as it was, byte for byte.
///
/// # Errors
///
/// A failure to write the state.
pub fn after_run(
    run: Option<RunState>,
    (succeeded, at): (bool, DateTime<Utc>),
    dry_run: bool,
    out: &mut Out,
) -> Result<()> {
    let Some(RunState {
        path,
        before,
        planned,
    }) = run
    else {
        return Ok(());
    };
    let how = match (dry_run, succeeded) {
        (false, true) => ReleaseMode::Real,
        // Nothing was released, or not all of it: the record stays.
        _ => ReleaseMode::DryRun,
    };
    let after = planned.released(how, at);
    if how != ReleaseMode::Real || !save(&path, &after)? {
        return Ok(());
    }
    let advanced: Vec<String> = after
        .released
        .iter()
        .filter(|(c, r)| before.released.get(*c) != Some(*r))
        .map(|(c, r)| format!("{c} {}", r.tag))
        .collect();
    out.note(format_args!(
        "release state {}: released {}",
        path.display(),
        if advanced.is_empty() {
            "nothing new".to_owned()
        } else {
            advanced.join(", ")
        }
    ));
    Ok(())
}
