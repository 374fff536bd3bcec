//! `release verify` and `release migrate`: a journal's hash chain checked,
//! and a format-1 journal rewritten to format 2.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use release_core::run::journal::{self, Header, RecordedBy};
use serde::Serialize;

use super::Status;
use crate::clock;
use crate::journal_file::{self, JournalFile, RunLock};
use crate::output::Out;

/// Arguments of `release verify` and `release migrate`.
#[derive(Debug, Args)]
pub struct JournalPathArgs {
    /// The journal (JSON lines).
    #[arg(value_name = "JOURNAL")]
    pub journal: PathBuf,
}

/// The JSON document of `release verify --json`.
#[derive(Serialize)]
struct VerifyDoc<'a> {
    journal: &'a std::path::Path,
    intact: bool,
    #[serde(flatten)]
    verified: &'a journal::Verified,
}

/// Runs `release verify`: exit 0 when the hash chain is intact, 1 when it
/// breaks (or the journal is of format 1, which has none), 2 when the
/// journal cannot be read or decoded.
///
/// # Errors
///
/// An unreadable or undecodable journal.
pub fn verify(args: JournalPathArgs, out: &mut Out) -> Result<Status> {
    let path = &args.journal;
    let name = crate::input::name(path);
    let bytes = crate::input::read(path).with_context(|| format!("cannot read journal {name}"))?;
    let verified = journal::verify(&bytes).with_context(|| format!("invalid journal {name}"))?;
    let intact = verified.format == journal::FORMAT && verified.broken.is_none();
    if out.is_json() {
        out.json(&VerifyDoc {
            journal: path,
            intact,
            verified: &verified,
        })?;
    } else if verified.format != journal::FORMAT {
        out.line(format!(
            "journal {} is in format 1: it has no hash chain to verify; `release migrate {}` rewrites it to format 2",
            crate::input::name(path),
            crate::input::name(path)
        ))?;
    } else if let Some(b) = &verified.broken {
        out.line(format!(
            "journal {}: the hash chain breaks at line {}: {}",
            crate::input::name(path),
            b.line,
            b.message
        ))?;
    } else {
        out.line(format!(
            "journal {}: format 2, {} events, hash chain intact; last hash {}",
            crate::input::name(path),
            verified.events,
            verified.last_hash.as_deref().unwrap_or("(none)")
        ))?;
    }
    Ok(if intact {
        Status::Done
    } else {
        Status::Blocked
    })
}

/// Runs `release migrate`: rewrites a format-1 journal to format 2 (a
/// header, then every event with `recorded_by: {"via": "migrate"}` and its
/// chain hash), atomically: a temporary file next to it is written and
/// synced, then renamed over it. A torn last line is left out. Holds the
/// run lock and the append lock, so no run or writer is at work meanwhile.
///
/// # Errors
///
/// An unreadable or undecodable journal; a run holding it; a failure to
/// write, sync or rename.
pub fn migrate(args: JournalPathArgs, out: &mut Out) -> Result<Status> {
    let path = &args.journal;
    crate::input::writable(path, "the journal")?;
    if !path.is_file() {
        bail!("journal {} is not a file", path.display());
    }
    let _run = RunLock::acquire(path, clock::now_or(None))?;
    let mut lock = JournalFile::open(path, RecordedBy::new("migrate", None))?;
    lock.lock()?;
    let contents = journal_file::read(path)?;
    if contents.format == journal::FORMAT {
        out.line(format!(
            "journal {} is already in format 2: nothing to do",
            path.display()
        ))?;
        return Ok(Status::Done);
    }
    let recorded_by = RecordedBy::new("migrate", None);
    let header = journal::encode_header(&Header::default())?;
    let mut prev = journal::hash(header.trim_end_matches('\n').as_bytes());
    let mut text = header;
    for event in &contents.events {
        let line = journal::encode_entry(event, &recorded_by, &prev)?;
        prev = journal::hash(line.trim_end_matches('\n').as_bytes());
        text.push_str(&line);
    }
    // Atomically: a synced temporary file renamed over the journal, the
    // directory synced.
    crate::atomic::write(path, text.as_bytes())
        .with_context(|| format!("cannot migrate journal {}", path.display()))?;
    out.line(format!(
        "migrated journal {} to format 2: {} events; last hash {prev}",
        path.display(),
        contents.events.len()
    ))?;
    Ok(Status::Done)
}
