//! Warnings as values: what the core read but would rather the user wrote
//! otherwise (a deprecated spelling, a lenient read), or what it could not
//! read and left out of an answer (a tag that is not of the scheme).
//!
//! A warning never changes an answer; it travels beside it ([`Warned`], or a
//! `warnings` field of a result) so every edge can show it: the CLI prints
//! warnings on stderr and in `--json` as a `warnings` array, and Python
//! raises them with `warnings.warn` as `release_core.ReleaseWarning`.

use std::cell::RefCell;
use std::fmt;

use serde::Serialize;

use crate::Location;

/// The release in which deprecated spellings stop being read.
pub const DEPRECATED_UNTIL: &str = "0.3";

/// What a [`Warning`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WarningKind {
    /// An old spelling that is still read, for one more minor release.
    DeprecatedSpelling,
    /// Input read leniently: an uppercase pre-release label, say.
    LenientRead,
    /// Input that is not of the expected shape and was left out of the
    /// answer: a tag that is not of the component's scheme.
    UnreadInput,
}

/// A warning: its kind, a lowercase message that names the input, and where
/// the input is when it came from a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// The message, naming the input and what to write instead.
    pub message: String,
    /// The offending text, when the warning is about one (a deprecated
    /// spelling, an unread tag): used to place it in a document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    /// Where the input is, when it came from a document.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "location")]
    pub location: Option<Location>,
}

fn location<S: serde::Serializer>(at: &Option<Location>, s: S) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => s.collect_map([
            ("source", serde_json::Value::from(at.source.as_str())),
            ("line", at.line.into()),
            ("column", at.column.into()),
        ]),
        None => s.serialize_none(),
    }
}

impl Warning {
    /// A warning of `kind` with `message`.
    pub fn new(kind: WarningKind, message: impl Into<String>) -> Warning {
        Warning {
            kind,
            message: message.into(),
            input: None,
            location: None,
        }
    }

    /// `old` is a deprecated spelling of the `what` called `name`.
    pub fn deprecated_spelling(what: &str, old: &str, name: &str) -> Warning {
        Warning {
            input: Some(old.to_owned()),
            ..Warning::new(
                WarningKind::DeprecatedSpelling,
                format!(
                    "{old:?} is a deprecated spelling of the {what} {name:?}; write {name:?} (the old spelling is read until release-core {DEPRECATED_UNTIL})"
                ),
            )
        }
    }

    /// `input` was not read (`message` says why and names it) and is left
    /// out of the answer.
    pub fn unread(input: &str, message: impl Into<String>) -> Warning {
        Warning {
            input: Some(input.to_owned()),
            ..Warning::new(WarningKind::UnreadInput, message)
        }
    }

    /// The same warning, placed at `location`.
    pub fn at(mut self, location: Location) -> Warning {
        self.location = Some(location);
        self
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Some(at) => write!(
                f,
                "{}:{}:{}: {}",
                at.source, at.line, at.column, self.message
            ),
            None => f.write_str(&self.message),
        }
    }
}

/// A value with the warnings found while reading or computing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warned<T> {
    /// The value.
    pub value: T,
    /// The warnings, in the order they were found.
    pub warnings: Vec<Warning>,
}

impl<T> Warned<T> {
    /// A value without warnings.
    pub fn new(value: T) -> Warned<T> {
        Warned {
            value,
            warnings: Vec::new(),
        }
    }

    /// A value with warnings.
    pub fn with(value: T, warnings: Vec<Warning>) -> Warned<T> {
        Warned { value, warnings }
    }
}

thread_local! {
    /// The warnings of the document being read on this thread, when a
    /// reader collects them: serde's `Deserialize` has no way to return
    /// them beside the value.
    static COLLECTOR: RefCell<Option<Vec<Warning>>> = const { RefCell::new(None) };
}

/// Runs `read` (a deserialisation of model types: `serde_json::from_str`,
/// `toml::from_str`) and returns its result with the warnings it reported,
/// such as deprecated spellings. [`Process::from_toml`](crate::process::Process::from_toml)
/// does this itself; callers that deserialise model types directly use it
/// so no warning is lost.
///
/// # Example
///
/// ```
/// use release_core::calendar::WindowKind;
/// use release_core::collect_warnings;
///
/// let read = collect_warnings(|| serde_json::from_str::<WindowKind>("\"allow\""));
/// assert_eq!(read.value?, WindowKind::Allow);
/// assert!(read.warnings.is_empty());
///
/// // A window of the old spelling `Sun` reads, with a warning.
/// let read = collect_warnings(|| {
///     serde_json::from_str::<release_core::calendar::WindowSpan>(
///         r#"{"repeat": "weekly", "start_day": "Sun", "start": "20:00:00", "end_day": "MO", "end": "08:30:00"}"#,
///     )
/// });
/// assert!(read.value.is_ok());
/// assert_eq!(read.warnings[0].kind, release_core::WarningKind::DeprecatedSpelling);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn collect_warnings<R>(read: impl FnOnce() -> R) -> Warned<R> {
    let (value, warnings) = collecting(read);
    Warned { value, warnings }
}

/// Runs `read` while collecting the warnings that deserialisation reports
/// (deprecated spellings); nested calls collect into the outermost one.
pub(crate) fn collecting<R>(read: impl FnOnce() -> R) -> (R, Vec<Warning>) {
    let outer = COLLECTOR.with(|c| c.borrow().is_some());
    if outer {
        return (read(), Vec::new());
    }
    COLLECTOR.with(|c| *c.borrow_mut() = Some(Vec::new()));
    // Reset on unwind too, so a panic in `read` cannot leave a collector
    // behind for the next document.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            COLLECTOR.with(|c| c.borrow_mut().take());
        }
    }
    let reset = Reset;
    let value = read();
    let warnings = COLLECTOR
        .with(|c| c.borrow_mut().take())
        .unwrap_or_default();
    drop(reset);
    (value, warnings)
}

/// Reports a warning to the collector of the document being read. Outside
/// a collecting reader (a caller deserialising a model type itself) the
/// value is still read, and the warning has nowhere to go.
pub(crate) fn emit(warning: Warning) {
    COLLECTOR.with(|c| {
        if let Some(list) = c.borrow_mut().as_mut() {
            list.push(warning);
        }
    });
}

/// Places each warning that names an input at the first not yet claimed
/// occurrence of that input, quoted, in `text` (warnings are found in
/// document order).
pub(crate) fn place(warnings: &mut [Warning], source: &str, text: &str) {
    let mut from: std::collections::HashMap<String, usize> = Default::default();
    for w in warnings.iter_mut().filter(|w| w.location.is_none()) {
        let Some(input) = &w.input else { continue };
        let start = from.get(input).copied().unwrap_or(0);
        let found = ['"', '\'']
            .iter()
            .filter_map(|q| {
                let quoted = format!("{q}{input}{q}");
                text.get(start..)?.find(&quoted).map(|i| start + i)
            })
            .min();
        if let Some(at) = found {
            w.location = Some(Location::of_span(source, text, at..at + input.len() + 2));
            from.insert(input.clone(), at + input.len() + 2);
        }
    }
}
