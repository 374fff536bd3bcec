//! The journal's JSON-lines form: pure encode and decode. Appending to a
//! file (and syncing it) is the caller's job.

use serde::{Deserialize, Serialize};

use super::event::Event;
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
}

/// Reads JSON lines. Blank lines are skipped. A last line without a
/// newline that does not decode is reported as a torn tail rather than an
/// error, since that is how an append interrupted by a crash looks.
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
/// let text = "{\"at\":\"2026-03-03T09:00:00Z\",\"event\":\"started\",\"task\":\"build\"}\n{\"at\":\"2026-";
/// let decoded = journal::decode(text)?;
/// assert_eq!(decoded.events.len(), 1);
/// assert_eq!(decoded.torn_tail.as_deref(), Some("{\"at\":\"2026-"));
/// assert!(journal::decode("{}\n").unwrap_err().to_string().starts_with("journal line 1: "));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode(text: &str) -> Result<Decoded> {
    let mut events = Vec::new();
    let mut torn_tail = None;
    let complete = text.ends_with('\n');
    let lines: Vec<&str> = text.split('\n').collect();
    let last = lines.len().saturating_sub(1);
    for (n, line) in lines.iter().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Event>(line) {
            Ok(event) => events.push(event),
            Err(_) if n == last && !complete => torn_tail = Some(line.to_owned()),
            Err(e) => {
                return Err(Error::parse(format!("journal line {}: {e}", n + 1)));
            }
        }
    }
    Ok(Decoded { events, torn_tail })
}
