//! The journal's JSON-lines form: pure encode and decode. Appending to a
//! file (and syncing it), and locking it, is the caller's job.
//!
//! # Format 2
//!
//! A journal of format 2 starts with a header line, then one event a line:
//!
//! ```text
//! {"journal":"release-core","format":2,"requested_by":"alice"}
//! {"at":"2026-03-03T09:00:00Z","event":"started","task":"build","recorded_by":{"via":"run"},"prev":"sha256:…"}
//! {"at":"2026-03-03T09:05:00Z","event":"approved","by":"bob","role":"qa","recorded_by":{"by":"bob","via":"approve"},"prev":"sha256:…"}
//! ```
//!
//! - The header ([`Header`]) names the format and holds the run's
//!   requester (`requested_by`, optional; fixed when the run starts).
//! - Every event line is a [`JournalLine`]: the event's own fields (`at`,
//!   `event`, ...), who recorded it and through which command
//!   (`recorded_by`: [`RecordedBy`]), and `prev`, the SHA-256 of the bytes
//!   of the line before it (header included; without its line ending), as
//!   `sha256:` and 64 lowercase hex digits. A `started` line written by
//!   `release run` carries `context`, the task's context as strings (what
//!   it releases: `version`, `tag`, `component.<name>.tag`, ...;
//!   [`encode_entry_in`]). A step's outputs are `fact` events of kind
//!   `output`, one per output. The `outputs` object and `source`
//!   ([`Source`]: the engine run an event was imported from) are reserved
//!   for what later versions record; they are read and kept, never
//!   interpreted yet.
//! - Unknown fields are refused, in the header and in events.
//!
//! The hash chain is **tamper-evidence against edits, not a signature**:
//! changing, inserting or removing a line breaks the chain at the next
//! line ([`verify`] says where; `release verify JOURNAL`), but anyone who
//! can write the file can also rewrite every hash after an edit. Only a
//! last hash kept elsewhere (an evidence record, a ticket, a tag) makes a
//! rewrite detectable.
//!
//! # Format 1
//!
//! Format 1 (release-core 0.1: no header, events without `recorded_by` or
//! `prev`) still decodes, and replays; writers refuse to append to it, and
//! `release migrate JOURNAL` rewrites it to format 2.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::event::{Event, EventKind};
use crate::{Error, Result};

/// The format this release writes.
pub const FORMAT: u32 = 2;

/// The header line of a format-2 journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Always `release-core`: what wrote the file.
    pub journal: String,
    /// The format, [`FORMAT`].
    pub format: u32,
    /// Who requested the run, when given as it started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_by: Option<String>,
}

impl Header {
    /// The header of a new journal of format [`FORMAT`].
    pub fn new(requested_by: Option<String>) -> Header {
        Header {
            journal: "release-core".to_owned(),
            format: FORMAT,
            requested_by,
        }
    }
}

impl Default for Header {
    fn default() -> Header {
        Header::new(None)
    }
}

/// Who recorded an event, and through what: `{"by":"alice","via":"approve"}`,
/// `{"via":"run"}` for the runner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedBy {
    /// The identity, when the writer has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<crate::identity::Identity>,
    /// The writing command or program (`run`, `approve`, `fact`, `migrate`, ...).
    pub via: String,
}

impl RecordedBy {
    /// Recorded through `via`, by `by` if known.
    pub fn new(via: impl Into<String>, by: Option<crate::identity::Identity>) -> RecordedBy {
        RecordedBy {
            by,
            via: via.into(),
        }
    }
}

/// Where an imported event comes from (reserved for engine import):
/// `{"engine":"github-actions","run":"123","job":"deploy"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The engine.
    pub engine: String,
    /// The engine's run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<serde_json::Value>,
    /// The engine's job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<serde_json::Value>,
}

/// One event line of a format-2 journal: the event and its envelope.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JournalLine {
    /// The event.
    #[serde(flatten)]
    pub event: Event,
    /// Who recorded it.
    pub recorded_by: RecordedBy,
    /// The hash of the line before it ([`hash`]).
    pub prev: String,
    /// The task's context (reserved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<serde_json::Map<String, serde_json::Value>>,
    /// The task's outputs (reserved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outputs: Option<serde_json::Map<String, serde_json::Value>>,
    /// Where the event was imported from (reserved).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// The envelope fields of an entry, read beside its event.
#[derive(Deserialize)]
struct Envelope {
    recorded_by: Option<RecordedBy>,
    prev: Option<String>,
    #[allow(dead_code)]
    context: Option<serde_json::Map<String, serde_json::Value>>,
    #[allow(dead_code)]
    outputs: Option<serde_json::Map<String, serde_json::Value>>,
    #[allow(dead_code)]
    source: Option<Source>,
}

/// The envelope's fields, allowed in format 2 beside an event's own.
const ENVELOPE: [&str; 5] = ["recorded_by", "prev", "context", "outputs", "source"];

/// The chain hash of a line: `sha256:` and the SHA-256 of its bytes
/// (without its line ending), in lowercase hex.
///
/// # Example
///
/// ```
/// use release_core::run::journal;
///
/// assert_eq!(
///     journal::hash(b"abc"),
///     "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/// );
/// ```
pub fn hash(line: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(line))
}

/// The header as a JSON line, with the trailing newline.
///
/// # Errors
///
/// As [`encode`].
pub fn encode_header(header: &Header) -> Result<String> {
    let mut line = serde_json::to_string(header)
        .map_err(|e| Error::parse(format!("cannot encode the journal header: {e}")))?;
    line.push('\n');
    Ok(line)
}

/// A format-2 event line (with the trailing newline), chained to the line
/// before it, whose [`hash`] is `prev`.
///
/// # Errors
///
/// As [`encode`].
pub fn encode_entry(event: &Event, recorded_by: &RecordedBy, prev: &str) -> Result<String> {
    encode_entry_in(event, recorded_by, prev, None)
}

/// [`encode_entry`] with the task's context (a `started` event's: what the
/// task releases, [`Task::values`](super::Task::values)) in the line's
/// `context` object, which records which version each task released.
/// Replays read it and keep it; the run rebuilds the context from the plan.
///
/// # Errors
///
/// As [`encode`].
pub fn encode_entry_in(
    event: &Event,
    recorded_by: &RecordedBy,
    prev: &str,
    context: Option<&std::collections::BTreeMap<String, String>>,
) -> Result<String> {
    let context = context.filter(|c| !c.is_empty()).map(|c| {
        c.iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect()
    });
    let entry = JournalLine {
        event: event.clone(),
        recorded_by: recorded_by.clone(),
        prev: prev.to_owned(),
        context,
        outputs: None,
        source: None,
    };
    let mut line = serde_json::to_string(&entry)
        .map_err(|e| Error::parse(format!("cannot encode event: {e}")))?;
    line.push('\n');
    Ok(line)
}

/// One event as a JSON line, with the trailing newline.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse) if the event cannot be encoded
/// (it always can; serde's signature allows failure).
///
/// # Example
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use release_core::run::{journal, Event, EventKind};
///
/// let at = Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap();
/// let line = journal::encode(&Event::new(at, EventKind::started("build")))?;
/// assert_eq!(line, "{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn encode(event: &Event) -> Result<String> {
    let mut line = serde_json::to_string(event)
        .map_err(|e| Error::parse(format!("cannot encode event: {e}")))?;
    line.push('\n');
    Ok(line)
}

/// Every event as JSON lines.
///
/// # Errors
///
/// As [`encode`].
pub fn encode_all(events: &[Event]) -> Result<String> {
    let mut out = String::new();
    for event in events {
        out.push_str(&encode(event)?);
    }
    Ok(out)
}

/// A decoded journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decoded {
    /// The events, in order.
    pub events: Vec<Event>,
    /// A last line cut short (no newline, not valid JSON): what a crash
    /// during an append leaves. It is not an event; a caller resuming
    /// should truncate the file before it and append from there.
    pub torn_tail: Option<String>,
    /// The format: 2 with a header, 1 without (an empty journal is 2).
    #[serde(default = "format_2")]
    pub format: u32,
    /// The header, in format 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header: Option<Header>,
    /// The hash of the last whole line (the next event's `prev`), in
    /// format 2 once there is a header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_hash: Option<String>,
}

fn format_2() -> u32 {
    FORMAT
}

/// Where a journal's hash chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broken {
    /// The line (from 1) whose `prev` does not match.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What [`verify`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verified {
    /// The format (1 has no chain).
    pub format: u32,
    /// The events read (up to the break).
    pub events: usize,
    /// The hash of the last line read, in format 2.
    pub last_hash: Option<String>,
    /// Where the chain breaks, if it does.
    pub broken: Option<Broken>,
}

/// Reads JSON lines. Blank lines are skipped. A last line without a
/// newline that does not decode is reported as a torn tail rather than an
/// error, since that is how an append interrupted by a crash looks. As
/// [`decode_bytes`] of the text's bytes.
///
/// # Errors
///
/// As [`decode_bytes`].
///
/// # Example
///
/// ```
/// use release_core::run::journal;
///
/// let text = "{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-";
/// let decoded = journal::decode(text)?;
/// assert_eq!(decoded.events.len(), 1);
/// assert_eq!(decoded.torn_tail.as_deref(), Some("{\"at\":\"2026-"));
/// assert!(journal::decode("{}\n").unwrap_err().to_string().starts_with("journal line 1: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode(text: &str) -> Result<Decoded> {
    decode_bytes(text.as_bytes())
}

/// Reads JSON lines from bytes, as a file holds them. Blank lines are
/// skipped, and a `\r` before a newline is ignored. A last line without a
/// newline that does not decode, also when it is not valid UTF-8 (an append
/// cut inside a multi-byte character), is reported as a torn tail rather
/// than an error.
///
/// Every event is validated, and the first one that is not names its line:
/// it must be valid UTF-8 (a UTF-8 byte order mark is named as such), have
/// no field its event does not define, be dated no earlier than the event
/// before it, and name who and why when it must
/// ([`EventKind::check`](super::EventKind::check)). Whether the tasks it
/// names exist is the pipeline's question: [`Run::replay`](super::Run::replay)
/// refuses an unknown one. Events dated in the future are not refused
/// here (the decoder has no clock); a caller that has the time of its
/// command compares.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse) naming the line number and
/// what is wrong with it.
///
/// # Example
///
/// ```
/// use release_core::run::journal;
///
/// let bytes = b"{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-03-03T09:00:01Z\",\"event\":\"failed\",\"task\":\"build\",\"message\":\"caf\xc3";
/// let decoded = journal::decode_bytes(bytes)?;
/// assert_eq!(decoded.events.len(), 1);
/// assert!(decoded.torn_tail.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode_bytes(bytes: &[u8]) -> Result<Decoded> {
    let (decoded, broken) = decode_from(bytes, None)?;
    match broken {
        Some(b) => Err(Error::parse(format!(
            "journal line {}: {} (`release verify` tells more)",
            b.line, b.message
        ))),
        None => Ok(decoded),
    }
}

/// Decodes lines appended to a format-2 journal after a line whose hash is
/// `prev` (what a writer that has read the journal up to there reads
/// next). Line numbers count from the first line given.
///
/// # Errors
///
/// As [`decode_bytes`].
pub fn decode_after(bytes: &[u8], prev: &str) -> Result<Decoded> {
    let (decoded, broken) = decode_from(bytes, Some(prev.to_owned()))?;
    match broken {
        Some(b) => Err(Error::parse(format!(
            "journal line {} after what was read: {}",
            b.line, b.message
        ))),
        None => Ok(decoded),
    }
}

/// Checks a journal's hash chain: where it breaks (a line whose `prev` is
/// not the hash of the line before it: that line was edited, or a line was
/// removed or inserted), or that it is intact. Format 1 has no chain.
///
/// # Errors
///
/// A journal that does not decode for another reason, as [`decode_bytes`].
pub fn verify(bytes: &[u8]) -> Result<Verified> {
    let (decoded, broken) = decode_from(bytes, None)?;
    Ok(Verified {
        format: decoded.format,
        events: decoded.events.len(),
        last_hash: decoded.last_hash,
        broken,
    })
}

/// Decodes, validating every line; `prev` continues a format-2 chain. A
/// break in the chain ends the decode and is returned beside what was read
/// before it ([`decode_bytes`] turns it into an error, [`verify`] reports it).
fn decode_from(bytes: &[u8], mut prev: Option<String>) -> Result<(Decoded, Option<Broken>)> {
    let mut events: Vec<Event> = Vec::new();
    let mut torn_tail = None;
    let mut header = None;
    let continuing = prev.is_some();
    let mut first = true;
    let complete = bytes.ends_with(b"\n");
    let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let torn = n == last && !complete;
        let bad = |message: String| Error::parse(format!("journal line {}: {message}", n + 1));
        if n == 0 && line.starts_with(b"\xEF\xBB\xBF") {
            return Err(bad(
                "the file starts with a UTF-8 byte order mark (BOM); a journal is UTF-8 without one"
                    .to_owned(),
            ));
        }
        let text = match std::str::from_utf8(line) {
            Ok(text) => text,
            Err(_) if torn => {
                torn_tail = Some(String::from_utf8_lossy(line).into_owned());
                continue;
            }
            Err(e) => return Err(bad(format!("not valid UTF-8: {e}"))),
        };
        if text.trim().is_empty() {
            continue;
        }
        if std::mem::replace(&mut first, false) && !continuing && is_header(text) {
            match header_of(text) {
                Ok(h) => {
                    header = Some(h);
                    prev = Some(hash(line));
                    continue;
                }
                Err(_) if torn => {
                    torn_tail = Some(text.to_owned());
                    continue;
                }
                Err(e) => return Err(bad(e)),
            }
        }
        let v2 = prev.is_some();
        let (event, envelope) = match event_of(text, v2) {
            Ok(event) => event,
            Err(_) if torn => {
                torn_tail = Some(text.to_owned());
                continue;
            }
            Err(e) => return Err(bad(e)),
        };
        if let Some(expected) = &prev {
            let Some(envelope) = envelope else {
                return Err(bad(
                    "a format-2 event needs `recorded_by` and `prev`".to_owned()
                ));
            };
            if envelope.recorded_by.is_none() {
                return Err(bad("a format-2 event needs `recorded_by`".to_owned()));
            }
            if envelope.prev.as_deref() != Some(expected.as_str()) {
                let broken = Broken {
                    line: n + 1,
                    message: format!(
                        "the hash chain breaks: its prev {} is not the hash of the line before it ({expected}): that line was edited, or a line was removed or inserted",
                        envelope.prev.as_deref().unwrap_or("(none)")
                    ),
                };
                let decoded = Decoded {
                    events,
                    torn_tail,
                    format: FORMAT,
                    header,
                    last_hash: prev,
                };
                return Ok((decoded, Some(broken)));
            }
            prev = Some(hash(line));
        }
        if let Some(before) = events.last()
            && event.at < before.at
        {
            return Err(bad(format!(
                "the event is dated {}, before the event before it ({}); a journal's times never go back",
                rfc3339(event.at),
                rfc3339(before.at)
            )));
        }
        event.kind.check().map_err(|e| bad(e.to_string()))?;
        events.push(event);
    }
    let format = if header.is_some() || continuing || events.is_empty() {
        FORMAT
    } else {
        1
    };
    Ok((
        Decoded {
            events,
            torn_tail,
            format,
            header,
            last_hash: prev,
        },
        None,
    ))
}

/// Whether a line is a header (an object with a `journal` key).
fn is_header(text: &str) -> bool {
    serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text)
        .is_ok_and(|m| m.contains_key("journal"))
}

fn header_of(text: &str) -> std::result::Result<Header, String> {
    let header: Header = serde_json::from_str(text).map_err(|e| format!("invalid header: {e}"))?;
    if header.journal != "release-core" {
        return Err(format!(
            "the header says journal {:?}, not \"release-core\"",
            header.journal
        ));
    }
    if header.format != FORMAT {
        return Err(format!(
            "journal format {} is not known to this release (it reads 1 and 2)",
            header.format
        ));
    }
    Ok(header)
}

/// One line's event, refusing fields its event does not define (and, in
/// format 2, its envelope).
fn event_of(text: &str, v2: bool) -> std::result::Result<(Event, Option<Envelope>), String> {
    // The typed decode first: its errors (a missing field, a duplicate key,
    // an unknown event) are the clearest.
    let event: Event = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let value: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    let name = event.kind.name();
    let fields = EventKind::fields_of(name).unwrap_or(&[]);
    let allowed = |k: &str| {
        matches!(k, "at" | "event") || fields.contains(&k) || (v2 && ENVELOPE.contains(&k))
    };
    if let Some(unknown) = value.keys().find(|k| !allowed(k)) {
        let more = if v2 {
            ", recorded_by, prev, context, outputs, source"
        } else {
            ""
        };
        return Err(format!(
            "unknown field {unknown:?} in a {name} event (its fields: at, event{}{more})",
            fields.iter().map(|f| format!(", {f}")).collect::<String>()
        ));
    }
    let envelope = if v2 {
        Some(serde_json::from_str::<Envelope>(text).map_err(|e| e.to_string())?)
    } else {
        None
    };
    Ok((event, envelope))
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
