//! Paths into a TOML document (`trains[2].environments`), and placing an
//! error at the line and column they lead to.
//!
//! Validation finds most errors after deserialisation, when toml's spans
//! are gone; the module that finds one (a train, a process) returns it with
//! the path of the key it concerns, and the caller that holds the text
//! [`place`]s it by parsing the text again with spans, which costs nothing
//! on the happy path. A base module, so that every module validating a
//! part of `release.toml` can name a path without importing the process.

use toml::de::{DeTable, DeValue};

use crate::{Error, Location};

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
