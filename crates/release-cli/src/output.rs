//! Printing answers for humans or as JSON, and errors with their exit codes.

use std::fmt::Display;
use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::Result;
use release_core::ErrorKind;
use serde::Serialize;

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
        io::stdout().lock().write_all(text.as_bytes())?;
        Ok(())
    }

    /// Prints a JSON document on stdout, pretty-printed; an object gets the
    /// tags the command left out as a `rejected` array and its warnings as
    /// a `warnings` array (each when there are any).
    ///
    /// # Errors
    ///
    /// When stdout is closed or fails.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        // The rejected tags and the warnings ride along in an object
        // answer (its keys in their order, then `rejected`, then
        // `warnings`); an array answer keeps its shape, and they are on
        // stderr only (each element of `release next` carries its own).
        #[derive(Serialize)]
        struct WithExtras<'a, T: ?Sized> {
            #[serde(flatten)]
            answer: &'a T,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            rejected: Vec<release_core::version::Rejected>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            warnings: Vec<release_core::Warning>,
        }
        let rejected = crate::rejected::all();
        let found = crate::warnings::all();
        let text = match found.is_empty() && rejected.is_empty() {
            true => serde_json::to_string_pretty(value)?,
            false => serde_json::to_string_pretty(&WithExtras {
                answer: value,
                rejected,
                warnings: found,
            })
            .or_else(|_| serde_json::to_string_pretty(value))?,
        };
        let mut stdout = io::stdout().lock();
        stdout.write_all(text.as_bytes())?;
        writeln!(stdout)?;
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
