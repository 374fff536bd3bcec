//! Reading a process file's text, and placing errors at a line and column.
//!
//! Deserialisation errors carry toml's span. Errors found later, by
//! validation (a cycle, an unknown schedule), carry a path into the document
//! instead (`steps[3].needs`); [`locate`] turns the path into a place by
//! parsing the text again with spans, which costs nothing on the happy path.

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue};

use crate::{Error, Location, Result};

/// One segment of a path into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A key of a table.
    Key(&'static str),
    /// A key of a table that the file chose (a `metadata.env` name).
    Name(String),
    /// An element of an array (of tables).
    Index(usize),
}

/// Deserialises `text` (named `source` in messages) into `T`; an error is a
/// [config error](crate::ErrorKind::Config) placed at its line and column.
pub(crate) fn deserialize<T: DeserializeOwned>(source: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| {
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

/// The place of `path` in `text`: the deepest part of the path that exists
/// (a missing key places the error at its table). `None` when the text does
/// not parse, which cannot happen for text that deserialised.
pub(crate) fn locate(source: &str, text: &str, path: &[Seg]) -> Option<Location> {
    let root = DeTable::parse(text).ok()?;
    let mut span = root.span();
    let mut table: Option<&DeTable<'_>> = Some(root.get_ref());
    let mut array: Option<&[toml::Spanned<DeValue<'_>>]> = None;
    for seg in path {
        let value = match (seg, table, array) {
            (Seg::Key(key), Some(t), _) => match t.get(*key) {
                Some(v) => v,
                None => break,
            },
            (Seg::Name(key), Some(t), _) => match t.get(key.as_str()) {
                Some(v) => v,
                None => break,
            },
            (Seg::Index(i), _, Some(a)) => match a.get(*i) {
                Some(v) => v,
                None => break,
            },
            _ => break,
        };
        span = value.span();
        table = None;
        array = None;
        match value.get_ref() {
            DeValue::Table(t) => table = Some(t),
            DeValue::Array(a) => array = Some(a),
            _ => {}
        }
    }
    Some(Location::of_span(source, text, span))
}

/// `err`, placed at `path` in the text when the path can be found.
pub(crate) fn place(err: Error, source: &str, text: &str, path: &[Seg]) -> Error {
    match locate(source, text, path) {
        Some(at) => err.at(at),
        None => err,
    }
}
