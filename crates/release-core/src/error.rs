//! The crate's one error type.
//!
//! Following jiff, [`Error`] is cheap to move (one pointer), says what kind of
//! failure it is through [`Error::kind`] and the `is_*` predicates, and
//! carries a lowercase message that names the offending input and where in it
//! the problem lies. Callers that need to branch match on [`ErrorKind`]; the
//! message is for humans.

use std::fmt;

/// What kind of failure an [`Error`] is.
///
/// The set grows as release-core grows, so match with a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Text could not be read: a tag, a version, a format string, a rule.
    Parse,
    /// A definition is inconsistent: a CalVer format without a year, a tag
    /// template without `{version}`, an operation that the scheme does not
    /// support.
    Config,
    /// A well-formed request that the current state refuses: promoting a
    /// final version when the scheme demands a candidate, a next CalVer for a
    /// date before the latest release.
    Refused,
    /// A pipeline or gate definition does not validate: a cycle (the message
    /// names the steps on it, in order), a reference to an unknown step,
    /// component, environment or fact kind, a duplicate id. Such a pipeline
    /// cannot be constructed.
    Invalid,
}

impl ErrorKind {
    /// A short lowercase name of the kind, as used in JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Parse => "parse",
            ErrorKind::Config => "config",
            ErrorKind::Refused => "refused",
            ErrorKind::Invalid => "invalid",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from release-core.
///
/// # Example
///
/// ```
/// use release_core::version::Scheme;
///
/// let err = Scheme::calver("YYYY.0M.MICRO")?.parse("2023.6.2").unwrap_err();
/// assert!(err.is_parse());
/// assert_eq!(
///     err.to_string(),
///     "invalid version \"2023.6.2\" for format YYYY.0M.MICRO: \
///      the month \"6\" at byte 5 is not zero-padded, but 0M is written with two digits",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, PartialEq, Eq)]
struct Inner {
    kind: ErrorKind,
    message: String,
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
            }),
        }
    }

    pub(crate) fn parse(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Parse, message)
    }

    pub(crate) fn config(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Config, message)
    }

    pub(crate) fn refused(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Refused, message)
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Invalid, message)
    }

    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// Whether some text could not be read.
    pub fn is_parse(&self) -> bool {
        self.kind() == ErrorKind::Parse
    }

    /// Whether a definition is inconsistent.
    pub fn is_config(&self) -> bool {
        self.kind() == ErrorKind::Config
    }

    /// Whether a well-formed request was refused by the current state.
    pub fn is_refused(&self) -> bool {
        self.kind() == ErrorKind::Refused
    }

    /// Whether a pipeline or gate definition did not validate.
    pub fn is_invalid(&self) -> bool {
        self.kind() == ErrorKind::Invalid
    }

    /// The human-readable message, without the kind.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.inner.kind, self.inner.message)
    }
}

impl std::error::Error for Error {}
