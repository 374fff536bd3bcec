//! The journal's JSON-lines form: pure encode and decode. Appending to a
//! file (and syncing it) is the caller's job.

use serde::{Deserialize, Serialize};

use super::event::{Event, EventKind};
use crate::{Error, Result};

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
/// let line = journal::encode(&Event::new(at, EventKind::Started { task: "build".into() }))?;
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
    let mut events: Vec<Event> = Vec::new();
    let mut torn_tail = None;
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
        let event = match event_of(text) {
            Ok(event) => event,
            Err(_) if torn => {
                torn_tail = Some(text.to_owned());
                continue;
            }
            Err(e) => return Err(bad(e)),
        };
        if let Some(before) = events.last() {
            if event.at < before.at {
                return Err(bad(format!(
                    "the event is dated {}, before the event before it ({}); a journal's times never go back",
                    rfc3339(event.at),
                    rfc3339(before.at)
                )));
            }
        }
        event.kind.check().map_err(|e| bad(e.to_string()))?;
        events.push(event);
    }
    Ok(Decoded { events, torn_tail })
}

/// One line's event, refusing fields its event does not define.
fn event_of(text: &str) -> std::result::Result<Event, String> {
    // The typed decode first: its errors (a missing field, a duplicate key,
    // an unknown event) are the clearest.
    let event: Event = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let value: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(text).map_err(|e| e.to_string())?;
    let name = event.kind.name();
    let fields = EventKind::fields_of(name).unwrap_or(&[]);
    if let Some(unknown) = value
        .keys()
        .find(|k| !matches!(k.as_str(), "at" | "event") && !fields.contains(&k.as_str()))
    {
        return Err(format!(
            "unknown field {unknown:?} in a {name} event (its fields: at, event{})",
            fields.iter().map(|f| format!(", {f}")).collect::<String>()
        ));
    }
    Ok(event)
}

fn rfc3339(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}
