//! Reading a process file's text, and placing errors at a line and column.
//!
//! Deserialisation errors carry toml's span. Errors found later, by
//! validation (a cycle, an unknown schedule), carry a path into the document
//! instead (`steps[3].needs`), which [`crate::doc_path`] turns into a place.

use serde::de::DeserializeOwned;

use crate::warning::{self, Warned};
use crate::{Error, Location, Result};

/// Deserialises `text` (named `source` in messages) into `T`; an error is a
/// [config error](crate::ErrorKind::Config) placed at its line and column.
/// Deprecated spellings read on the way come back as warnings placed at
/// their line and column.
pub(crate) fn deserialize<T: DeserializeOwned>(source: &str, text: &str) -> Result<Warned<T>> {
    let (read, mut warnings) = warning::collecting(|| toml::from_str::<T>(text));
    warning::place(&mut warnings, source, text);
    read.map(|value| Warned::with(value, warnings)).map_err(|e| {
        // toml's messages end with a newline and sometimes start with a
        // capital; ours are one lowercase line.
        let mut message = e.message().trim().to_owned();
        if let Some(span) = e.span() {
            // chrono's messages do not name the input or what was expected.
            if CHRONO_MESSAGES.contains(&message.as_str()) {
                let value = text.get(span).unwrap_or("").trim();
                message = format!(
                    "invalid date or time {value}: {message} (expected a date YYYY-MM-DD, a time HH:MM:SS or an RFC 3339 instant)"
                );
            }
        }
        let err = Error::config(message);
        match e.span() {
            Some(span) => err.at(Location::of_span(source, text, span)),
            None => Error::config(format!("{source}: {}", e.message().trim())),
        }
    })
}

/// chrono's parse error messages, which a date or time field reports as is.
const CHRONO_MESSAGES: &[&str] = &[
    "input is out of range",
    "no possible date and time matching input",
    "input is not enough for unique date and time",
    "input contains invalid characters",
    "premature end of input",
    "trailing input",
];
