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
    location: Option<Location>,
}

/// Where in a source text (a `release.toml`) an error lies.
///
/// Lines and columns count from 1; columns count characters, as editors do.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Location {
    /// The name the caller gave the text, usually its path.
    pub source: String,
    /// The line, from 1.
    pub line: usize,
    /// The column, from 1, in characters.
    pub column: usize,
    /// The text of that line, for an excerpt with a caret: the whole line,
    /// or for a line longer than [`Location::EXCERPT`] characters about
    /// that many around the error, with `…` where it was cut.
    pub excerpt: String,
    /// The column of the error in `excerpt`, from 1, in characters: where
    /// the carets go (`column` itself, unless the line was cut).
    pub excerpt_column: usize,
    /// How many characters of the excerpt the error covers (at least 1),
    /// for the carets under it.
    pub width: usize,
}

impl Location {
    /// The location of byte `offset` in `text`, named `source`. An offset
    /// past the end (or inside a character) is clamped to a valid place.
    pub fn of_offset(source: &str, text: &str, offset: usize) -> Location {
        Location::of_span(source, text, offset..offset)
    }

    /// The location of the byte range `span` in `text`: its start, and its
    /// width up to the end of that line.
    pub fn of_span(source: &str, text: &str, span: std::ops::Range<usize>) -> Location {
        let offset = span.start;
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        let line = text[line_start..line_end].trim_end_matches('\r');
        // In characters, from 0: where the error starts, and how far it
        // goes on this line.
        let at = text[line_start..offset].chars().count();
        let width = text
            .get(offset..span.end.clamp(offset, line_end))
            .map_or(0, |s| s.chars().count())
            .max(1);
        let (excerpt, excerpt_column, width) = excerpt(line, at, width);
        Location {
            source: source.to_owned(),
            line: before.matches('\n').count() + 1,
            column: at + 1,
            excerpt,
            excerpt_column,
            width,
        }
    }

    /// The most characters of a line an excerpt shows (a 100 MB line is
    /// not echoed back).
    pub const EXCERPT: usize = 120;
}

/// The excerpt of `line` for an error at character `at` covering `width`
/// characters: the line if it is short, else [`Location::EXCERPT`]
/// characters with the error a third of the way in, `…` marking each cut.
/// Returns the excerpt, the error's column in it (from 1) and the width
/// of the carets within it.
fn excerpt(line: &str, at: usize, width: usize) -> (String, usize, usize) {
    let len = line.chars().count();
    if len <= Location::EXCERPT {
        return (line.to_owned(), at + 1, width);
    }
    let first = at
        .saturating_sub(Location::EXCERPT / 3)
        .min(len - Location::EXCERPT);
    let last = first + Location::EXCERPT;
    let byte = |c: usize| line.char_indices().nth(c).map_or(line.len(), |(i, _)| i);
    let (from, to) = (byte(first), byte(last));
    let mut text = String::with_capacity(to - from + 6);
    if first > 0 {
        text.push('…');
    }
    text.push_str(&line[from..to]);
    if last < len {
        text.push('…');
    }
    let column = at - first + 1 + usize::from(first > 0);
    // The carets stop at the excerpt's end (the `…` included).
    let room = last.saturating_sub(at).max(1) + usize::from(last < len);
    (text, column, width.min(room))
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.source, self.line, self.column)
    }
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                message: message.into(),
                location: None,
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

    /// Where in a source text the error lies, when it came from one (a
    /// process file); [`Display`](fmt::Display) then starts with
    /// `file:line:column:` and ends with the line and a caret.
    pub fn location(&self) -> Option<&Location> {
        self.inner.location.as_ref()
    }

    /// The same error, placed at `location`.
    pub(crate) fn at(mut self, location: Location) -> Error {
        self.inner.location = Some(location);
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(at) = &self.inner.location else {
            return f.write_str(&self.inner.message);
        };
        // The rustc/toml shape: `file:line:col: message`, the line, a caret.
        let gutter = at.line.to_string().len();
        write!(
            f,
            "{at}: {}\n{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
            self.inner.message,
            "",
            at.line,
            at.excerpt,
            "",
            " ".repeat(at.excerpt_column - 1),
            "^".repeat(at.width),
        )
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Error({}: {})", self.inner.kind, self.inner.message)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// LOW-15: a long line is cut to about [`Location::EXCERPT`] characters
    /// around the error, `…` marking the cuts, the carets under the error.
    #[test]
    fn long_lines_are_clipped_around_the_error() {
        let short = "name = 1";
        let at = Location::of_span("f", short, 7..8);
        assert_eq!(
            (at.excerpt.as_str(), at.excerpt_column, at.width),
            (short, 8, 1)
        );

        let line = format!("{}ERROR{}", "a".repeat(100_000), "b".repeat(100_000));
        let text = format!("first\n{line}\nlast");
        let start = 6 + 100_000;
        let at = Location::of_span("f", &text, start..start + 5);
        assert_eq!((at.line, at.column), (2, 100_001));
        assert!(at.excerpt.starts_with('…') && at.excerpt.ends_with('…'));
        assert_eq!(at.excerpt.chars().count(), Location::EXCERPT + 2);
        let under: String = at
            .excerpt
            .chars()
            .skip(at.excerpt_column - 1)
            .take(at.width)
            .collect();
        assert_eq!(under, "ERROR");

        // Near either end, one cut only; multi-byte characters are not split.
        let line = format!("é{}", "é".repeat(500));
        let at = Location::of_offset("f", &line, 2);
        assert!(!at.excerpt.starts_with('…') && at.excerpt.ends_with('…'));
        assert_eq!(at.excerpt_column, 2);
        let at = Location::of_offset("f", &line, line.len());
        assert!(at.excerpt.starts_with('…') && !at.excerpt.ends_with('…'));
        assert_eq!(at.column, 502);
        assert_eq!(at.excerpt_column, Location::EXCERPT + 2);
        // The carets stop where the excerpt does.
        let at = Location::of_span("f", &line, 0..line.len());
        assert_eq!(at.width, Location::EXCERPT + 1);

        let shown = Error::config("bad").at(Location::of_span("f", &text, start..start + 5));
        let shown = shown.to_string();
        assert!(shown.len() < 600, "{shown}");
        let lines: Vec<&str> = shown.lines().collect();
        let excerpt = lines[2].split_once(" | ").unwrap().1;
        let carets = lines[3].split_once(" | ").unwrap().1;
        let col = carets.find('^').unwrap();
        assert_eq!(
            excerpt.chars().skip(col).take(5).collect::<String>(),
            "ERROR"
        );
    }
}
