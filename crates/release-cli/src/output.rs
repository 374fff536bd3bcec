//! Printing answers for humans or as JSON, and errors with their exit codes.

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use release_core::ErrorKind;
use serde::Serialize;

/// The version of the `--json` document format, the `format_version` key of
/// every object document. It counts incompatible changes of the shapes
/// (a key removed, renamed or of another type); a key added is compatible
/// and keeps it. It is not the CLI's version (`release --version`), and
/// not named `version`, which several documents use for the version they
/// answer (`release version next --json`).
pub const FORMAT_VERSION: u32 = 1;

/// Where answers go: stdout for the answer, stderr for notes and errors.
pub struct Out {
    json: bool,
}

impl Out {
    /// Output in JSON (`true`) or text.
    pub fn new(json: bool) -> Out {
        Out { json }
    }

    /// Whether the answer is printed as JSON.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Prints one line of text on stdout.
    ///
    /// # Errors
    ///
    /// When stdout is closed or fails.
    pub fn line(&mut self, text: impl Display) -> Result<()> {
        writeln!(io::stdout().lock(), "{text}")?;
        Ok(())
    }

    /// Prints text on stdout as it is (an ICS calendar: its CRLF line ends
    /// are part of the format).
    ///
    /// # Errors
    ///
    /// When stdout is closed or fails.
    pub fn raw(&mut self, text: &str) -> Result<()> {
        self.bytes(text.as_bytes())
    }

    /// Prints bytes on stdout as they are (a completion script, a man page).
    ///
    /// # Errors
    ///
    /// When stdout is closed or fails.
    pub fn bytes(&mut self, bytes: &[u8]) -> Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(bytes)?;
        stdout.flush()?;
        Ok(())
    }

    /// Prints a JSON document on stdout, pretty-printed. An object answer
    /// gets [`FORMAT_VERSION`] as its first key, `format_version`, then its
    /// own keys in their order, then the tags the command left out as a
    /// `rejected` array and its warnings as a `warnings` array (each when
    /// there are any). An array answer keeps its shape (`release next`:
    /// each element carries its own warnings; the left-out tags are on
    /// stderr only).
    ///
    /// # Errors
    ///
    /// When stdout is closed or fails.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        // The one place every `--json` answer passes: the envelope is
        // flattened into the object; serde refuses to flatten an array,
        // which is then printed as it is.
        #[derive(Serialize)]
        struct Document<'a, T: ?Sized> {
            format_version: u32,
            #[serde(flatten)]
            answer: &'a T,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            rejected: Vec<release_core::version::Rejected>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            warnings: Vec<release_core::Warning>,
        }
        let document = Document {
            format_version: FORMAT_VERSION,
            answer: value,
            rejected: crate::rejected::all(),
            warnings: crate::warnings::all(),
        };
        let text = serde_json::to_string_pretty(&document)
            .or_else(|_| serde_json::to_string_pretty(value))?;
        self.document(&text)
    }

    /// Prints a JSON text that is a document of its own format (the JSON
    /// Schema of `release schema`), without the envelope of [`Out::json`].
    ///
    /// # Errors
    ///
    /// When stdout is closed or fails.
    pub fn document(&mut self, text: &str) -> Result<()> {
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        writeln!(stdout)?;
        stdout.flush()?;
        Ok(())
    }

    /// Prints a table: a header row and rows, columns padded to their
    /// widest cell; the last column is not padded (it holds free notes).
    ///
    /// # Errors
    ///
    /// A failed write to stdout.
    pub fn table<S: AsRef<str>>(&mut self, header: &[S], rows: &[Vec<String>]) -> Result<()> {
        let header: Vec<String> = header.iter().map(|h| h.as_ref().to_owned()).collect();
        let columns = header.len().saturating_sub(1);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                rows.iter()
                    .chain([&header])
                    .map(|r| r.get(c).map_or(0, |cell| cell.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in [&header].into_iter().chain(rows) {
            let mut text = String::new();
            for (c, cell) in row.iter().enumerate() {
                match widths.get(c) {
                    Some(w) => text.push_str(&format!("{cell:<w$}  ")),
                    None => text.push_str(cell),
                }
            }
            self.line(text.trim_end())?;
        }
        Ok(())
    }

    /// Prints one line on stderr: notes that are not the answer (rejected
    /// tags, warnings). A failure to write it is ignored, as the answer
    /// itself is unaffected.
    pub fn note(&mut self, text: impl Display) {
        let _ = writeln!(io::stderr().lock(), "{text}");
    }
}

/// The JSON shape of a failure: `{"error": {"kind": ..., "message": ...}}`.
#[derive(Serialize)]
struct ErrorDoc<'a> {
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    /// `parse`, `config` or `refused` from release-core; `usage` for options
    /// that do not fit together; `io` when input could not be read.
    kind: &'a str,
    message: &'a str,
    /// Where in a process file, when the error came from one.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<LocationDoc<'a>>,
}

#[derive(Serialize)]
struct LocationDoc<'a> {
    file: &'a str,
    line: usize,
    column: usize,
}

/// Reports a failure on stderr (and as JSON on stdout with `--json`) and
/// chooses the exit code: 1 when release-core refused a well-formed
/// request, 2 for bad input of every kind.
pub fn report_error(err: &anyhow::Error, out: &mut Out) -> ExitCode {
    let io_error = err.chain().find_map(|e| e.downcast_ref::<io::Error>());
    if io_error.is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) {
        // The reader stopped listening (`release version sort | head -1`):
        // not a failure worth a message.
        return ExitCode::SUCCESS;
    }
    let core = err
        .chain()
        .find_map(|e| e.downcast_ref::<release_core::Error>());
    let (kind, code) = match core.map(release_core::Error::kind) {
        Some(ErrorKind::Refused) => (ErrorKind::Refused.as_str(), 1),
        Some(kind) => (kind.as_str(), 2),
        None if io_error.is_some() => ("io", 2),
        None => ("usage", 2),
    };
    let location = core.and_then(release_core::Error::location);
    // One line, whatever the sources said (a regex error spans several).
    let message = match (core, location) {
        // A place in a file: `file:line:col: message` (what editors jump
        // to), then the line and a caret on stderr.
        (Some(core), Some(at)) => format!("{at}: {}", core.message()),
        _ => format!("{err:#}")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
    };
    if out.is_json() {
        let doc = ErrorDoc {
            error: ErrorBody {
                kind,
                message: &message,
                location: location.map(|at| LocationDoc {
                    file: &at.source,
                    line: at.line,
                    column: at.column,
                }),
            },
        };
        // Best effort: if stdout is gone the stderr line below still tells.
        let _ = out.json(&doc);
    }
    out.note(format_args!("error: {message}"));
    if let Some(at) = location {
        let gutter = at.line.to_string().len();
        out.note(format_args!(
            "{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
            "",
            at.line,
            at.excerpt,
            "",
            " ".repeat(at.excerpt_column - 1),
            "^".repeat(at.width)
        ));
    }
    ExitCode::from(code)
}
