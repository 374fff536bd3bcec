//! A run's journal file (JSON lines, one event a line): read as bytes,
//! repaired after a crash, locked, and appended to one synced line at a
//! time. Shared by `release run` and the commands that record one event
//! (`release approve`, `waive`, `skip`, `cancel`, `fact`).
//!
//! Two locks, each on a file of its own next to the journal (so a lock
//! never blocks a reader of the journal, and `plan`/`explain` take none):
//!
//! - the **run lock**, `J.run.lock`: held by `release run` (not a dry run)
//!   for its whole life. A second `release run` on the journal, with or
//!   without `--resume`, refuses at once and names the holder: the lock
//!   file's content is the holder's pid and start time.
//! - the **append lock**, `J.append.lock`: every writer holds it for one
//!   append, from reading the journal to syncing its line. `release run`
//!   takes it before each event of its own, reads what others appended
//!   meanwhile, applies it (a cancel stops it starting anything), and
//!   writes its event before releasing it.
//!
//! Both are advisory `flock`-style locks (std's `File::lock`), released by
//! the kernel when the holder dies, so a SIGKILL never leaves a stale lock.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use release_core::run::Event;
use release_core::run::journal::{self, Header, RecordedBy};

/// What a journal file holds.
pub struct Contents {
    /// The events, in order.
    pub events: Vec<Event>,
    /// The length of the file without its torn last line (what a crash
    /// during an append leaves), or the file's length.
    keep: u64,
    /// The file's length.
    len: u64,
    /// The last line is a whole event without its newline (a crash or a
    /// full disk that cut exactly the newline, a hand edit): the next
    /// append must start a line of its own.
    needs_newline: bool,
    /// The format (1: no header, read-only).
    pub format: u32,
    /// The hash of the last whole line (format 2).
    last_hash: Option<String>,
}

/// Reads and decodes a journal as bytes; a missing file is an empty
/// journal (a run not started yet).
///
/// # Errors
///
/// An unreadable file, or a line that does not decode (not the last).
pub fn read(path: &Path) -> Result<Contents> {
    let bytes = match crate::input::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            let name = crate::input::name(path);
            return Err(e).with_context(|| format!("cannot read journal {name}"));
        }
    };
    decode(&bytes, None).with_context(|| format!("invalid journal {}", crate::input::name(path)))
}

/// Decodes a journal's bytes, or (with `prev`, the hash of the line before
/// them) the bytes appended after a known point.
fn decode(bytes: &[u8], prev: Option<&str>) -> Result<Contents> {
    let decoded = match prev {
        Some(prev) => journal::decode_after(bytes, prev)?,
        None => journal::decode_bytes(bytes)?,
    };
    let len = bytes.len() as u64;
    let keep = match decoded.torn_tail {
        Some(_) => bytes
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i as u64 + 1),
        None => len,
    };
    Ok(Contents {
        events: decoded.events,
        keep,
        len,
        needs_newline: keep == len && !bytes.is_empty() && !bytes.ends_with(b"\n"),
        format: decoded.format,
        last_hash: decoded.last_hash,
    })
}

/// The note for a journal of format 1, which is read but never written.
pub fn format_1_note(path: &Path) -> String {
    format!(
        "journal {} is in format 1 (release-core 0.1, no header): it replays read-only; `release migrate {}` rewrites it to format 2",
        path.display(),
        path.display()
    )
}

impl Contents {
    /// Makes the file end with a whole line: cuts a torn last line off,
    /// and adds the newline a whole last line lacks, so that the next
    /// event starts on a line of its own. Does nothing when the journal is
    /// whole. Returns the file's length after.
    ///
    /// # Errors
    ///
    /// The file cannot be opened, truncated, written or synced.
    pub fn repair(&self, path: &Path) -> Result<u64> {
        repair_at(path, 0, self)
    }
}

/// Repairs the tail of a journal whose bytes from `base` on are `tail`.
fn repair_at(path: &Path, base: u64, tail: &Contents) -> Result<u64> {
    if tail.keep == tail.len && !tail.needs_newline {
        return Ok(base + tail.len);
    }
    let context = || format!("cannot repair journal {}", path.display());
    let mut file = OpenOptions::new()
        .write(true)
        .open(path)
        .with_context(context)?;
    if tail.keep < tail.len {
        file.set_len(base + tail.keep).with_context(context)?;
    }
    let mut end = base + tail.keep;
    if tail.needs_newline {
        file.seek(SeekFrom::Start(end))
            .and_then(|_| file.write_all(b"\n"))
            .with_context(context)?;
        end += 1;
    }
    file.sync_data().with_context(context)?;
    Ok(end)
}

/// `J.<what>.lock`, next to the journal `J`.
fn lock_path(path: &Path, what: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{what}.lock"));
    PathBuf::from(name)
}

/// The run lock of a journal, held by `release run` for its whole life.
pub struct RunLock {
    _file: File,
}

impl RunLock {
    /// Takes the run lock at once, or refuses, naming the process that
    /// holds it (the lock file says its pid and start time).
    ///
    /// # Errors
    ///
    /// Another process holds the lock; the lock file cannot be created,
    /// locked or written.
    pub fn acquire(path: &Path, started: DateTime<Utc>) -> Result<RunLock> {
        crate::input::writable(path, "the journal")?;
        let lock = lock_path(path, "run");
        let context = || {
            format!(
                "cannot lock journal {} ({})",
                path.display(),
                lock.display()
            )
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock)
            .with_context(context)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                // The holder wrote its line before anything else; a lock
                // just taken may not have it yet.
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let holder = if holder.is_empty() {
                    "a process that has not said which yet".to_owned()
                } else {
                    holder.to_owned()
                };
                bail!(
                    "journal {} is in use by another `release run` ({holder}; lock {}): wait for it to finish or stop it, then --resume",
                    path.display(),
                    lock.display()
                );
            }
            Err(TryLockError::Error(e)) => return Err(e).with_context(context),
        }
        let line = format!(
            "pid {} started {}\n",
            std::process::id(),
            started.to_rfc3339_opts(SecondsFormat::AutoSi, true)
        );
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(line.as_bytes()))
            .and_then(|()| file.sync_data())
            .with_context(context)?;
        Ok(RunLock { _file: file })
    }
}

/// The journal file with its append lock: each event is written as one
/// JSON line and synced before the caller goes on, under the lock.
pub struct JournalFile {
    path: PathBuf,
    /// Who writes, through what: every event's `recorded_by`.
    recorded_by: RecordedBy,
    /// The hash of the journal's last line, once read or written: the next
    /// event's `prev`. `None` for an empty journal (the next append writes
    /// the header first).
    last_hash: Option<String>,
    lock: File,
    locked: bool,
    /// The journal open for appending, once something is appended (a
    /// refused event creates no journal).
    file: Option<File>,
    /// How many bytes of the journal this writer has read or written: what
    /// others appended starts there.
    end: u64,
}

impl JournalFile {
    /// Opens the journal's append lock (creating the lock file); the
    /// journal itself is created by the first append.
    ///
    /// # Errors
    ///
    /// The lock file cannot be created or opened.
    pub fn open(path: &Path, recorded_by: RecordedBy) -> Result<JournalFile> {
        crate::input::writable(path, "the journal")?;
        let lock = lock_path(path, "append");
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock)
            .with_context(|| format!("cannot open journal lock {}", lock.display()))?;
        Ok(JournalFile {
            path: path.to_owned(),
            recorded_by,
            last_hash: None,
            lock: file,
            locked: false,
            file: None,
            end: 0,
        })
    }

    /// Takes the append lock (waiting for another writer's one append).
    ///
    /// # Errors
    ///
    /// The lock cannot be taken.
    pub fn lock(&mut self) -> Result<()> {
        if !self.locked {
            self.lock
                .lock()
                .with_context(|| format!("cannot lock journal {}", self.path.display()))?;
            self.locked = true;
        }
        Ok(())
    }

    /// Releases the append lock.
    ///
    /// # Errors
    ///
    /// The lock cannot be released.
    pub fn unlock(&mut self) -> Result<()> {
        if self.locked {
            self.lock
                .unlock()
                .with_context(|| format!("cannot unlock journal {}", self.path.display()))?;
            self.locked = false;
        }
        Ok(())
    }

    /// Reads the whole journal under the append lock, and repairs its
    /// tail; the next append goes after what was read.
    ///
    /// # Errors
    ///
    /// As [`read`] and [`Contents::repair`].
    pub fn read_all(&mut self) -> Result<Vec<Event>> {
        self.lock()?;
        let contents = read(&self.path)?;
        if contents.format == 1 {
            bail!(format_1_note(&self.path));
        }
        self.last_hash.clone_from(&contents.last_hash);
        self.end = if self.path.exists() {
            contents.repair(&self.path)?
        } else {
            0
        };
        Ok(contents.events)
    }

    /// Takes the append lock and returns the events others appended since
    /// this writer last read or wrote, repairing a torn tail they left.
    /// The lock stays held until [`unlock`](JournalFile::unlock).
    ///
    /// # Errors
    ///
    /// The lock cannot be taken; the journal cannot be read or repaired,
    /// or what was appended does not decode.
    pub fn incoming(&mut self) -> Result<Vec<Event>> {
        self.lock()?;
        let mut bytes = Vec::new();
        match File::open(&self.path) {
            Ok(mut file) => {
                file.seek(SeekFrom::Start(self.end))
                    .and_then(|_| file.read_to_end(&mut bytes))
                    .with_context(|| format!("cannot read journal {}", self.path.display()))?;
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read journal {}", self.path.display()));
            }
        }
        if bytes.is_empty() {
            return Ok(Vec::new());
        }
        let tail = decode(&bytes, self.last_hash.as_deref()).with_context(|| {
            format!(
                "invalid journal {}: in what was appended after byte {}",
                self.path.display(),
                self.end
            )
        })?;
        self.end = repair_at(&self.path, self.end, &tail)?;
        if tail.last_hash.is_some() {
            self.last_hash = tail.last_hash;
        }
        Ok(tail.events)
    }

    /// Appends one event and syncs the file.
    ///
    /// # Errors
    ///
    /// A failed open, write or sync.
    pub fn append(&mut self, event: &Event) -> Result<()> {
        self.append_in(event, None)
    }

    /// [`append`](Self::append) with a task's context in the line
    /// (`journal::encode_entry_in`): a `started` event's.
    ///
    /// # Errors
    ///
    /// As [`append`](Self::append).
    pub fn append_in(
        &mut self,
        event: &Event,
        context: Option<&std::collections::BTreeMap<String, String>>,
    ) -> Result<()> {
        let mut line = String::new();
        let prev = match &self.last_hash {
            Some(prev) => prev.clone(),
            None => {
                // A new journal: format 2's header first.
                let header = journal::encode_header(&Header::default())?;
                let prev = journal::hash(header.trim_end_matches('\n').as_bytes());
                line.push_str(&header);
                prev
            }
        };
        let entry = journal::encode_entry_in(event, &self.recorded_by, &prev, context)?;
        self.last_hash = Some(journal::hash(entry.trim_end_matches('\n').as_bytes()));
        line.push_str(&entry);
        let file = match self.file.take() {
            Some(file) => file,
            None => OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.path)
                .with_context(|| format!("cannot open journal {}", self.path.display()))?,
        };
        let file = self.file.insert(file);
        file.write_all(line.as_bytes())
            .and_then(|()| file.sync_data())
            .with_context(|| format!("cannot write journal {}", self.path.display()))?;
        self.end += line.len() as u64;
        Ok(())
    }
}
