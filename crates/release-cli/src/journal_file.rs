//! A run's journal file (JSON lines, one event a line): read, repaired
//! after a crash, and appended to one synced line at a time. Shared by
//! `release run` and the commands that record one event (`release
//! approve`, `waive`, `skip`, `cancel`, `fact`).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use release_core::run::{Event, journal};

/// What a journal file holds.
pub struct Contents {
    /// The events, in order.
    pub events: Vec<Event>,
    /// The length of the file without its torn last line, when it has one
    /// (what a crash during an append leaves).
    torn_at: Option<u64>,
}

/// Reads and decodes a journal; a missing file is an empty journal (a run
/// not started yet).
///
/// # Errors
///
/// An unreadable file, or a line that does not decode (not the last).
pub fn read(path: &Path) -> Result<Contents> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(e).with_context(|| format!("cannot read journal {}", path.display()));
        }
    };
    let decoded =
        journal::decode(&text).with_context(|| format!("invalid journal {}", path.display()))?;
    let torn_at = decoded
        .torn_tail
        .map(|_| text.rfind('\n').map_or(0, |i| i + 1) as u64);
    Ok(Contents {
        events: decoded.events,
        torn_at,
    })
}

impl Contents {
    /// Cuts a torn last line off the file, so that the next event starts
    /// on a line of its own. Does nothing when the journal is whole.
    ///
    /// # Errors
    ///
    /// The file cannot be opened, truncated or synced.
    pub fn repair(&self, path: &Path) -> Result<()> {
        let Some(keep) = self.torn_at else {
            return Ok(());
        };
        let file = OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot repair journal {}", path.display()))?;
        file.set_len(keep)
            .and_then(|()| file.sync_data())
            .with_context(|| format!("cannot repair journal {}", path.display()))
    }
}

/// The journal file open for appending: each event is written as one JSON
/// line and synced before the caller goes on.
pub struct JournalFile {
    path: PathBuf,
    file: File,
}

impl JournalFile {
    /// Opens (or creates) the journal for appending.
    ///
    /// # Errors
    ///
    /// The file cannot be created or opened.
    pub fn open(path: &Path) -> Result<JournalFile> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("cannot open journal {}", path.display()))?;
        Ok(JournalFile {
            path: path.to_owned(),
            file,
        })
    }

    /// Appends one event and syncs the file.
    ///
    /// # Errors
    ///
    /// A failed write or sync.
    pub fn append(&mut self, event: &Event) -> Result<()> {
        let line = journal::encode(event)?;
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .with_context(|| format!("cannot write journal {}", self.path.display()))
    }
}
