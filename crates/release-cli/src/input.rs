//! Reading FILE arguments, tag lists and commit messages from arguments,
//! files and stdin.
//!
//! Every FILE argument that is only read may be `-`, standard input
//! (`release check - < release.toml`); standard input can be read once, so
//! only one argument of a command may be `-`. A file the command writes
//! back (a journal it appends to, the file `release edit` replaces) may not
//! be `-`: [`writable`] refuses it.

use std::borrow::Cow;
use std::io::{IsTerminal, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::{Context, Result, bail};

/// Whether standard input was read already (by a `-` FILE, a tag list or
/// `--commits -`).
static STDIN_READ: AtomicBool = AtomicBool::new(false);

/// Whether standard input is still unread (a command that reads piped
/// input unasked, as `release notes` does, leaves it to a `-` FILE).
pub fn stdin_unread() -> bool {
    !STDIN_READ.load(Ordering::SeqCst)
}

/// Whether a FILE argument names standard input.
pub fn is_dash(path: &Path) -> bool {
    path == Path::new("-")
}

/// The name of a FILE argument in messages and error locations:
/// `<stdin>` for `-`, else the path as given.
pub fn name(path: &Path) -> Cow<'_, str> {
    match is_dash(path) {
        true => Cow::Borrowed("<stdin>"),
        false => path.to_string_lossy(),
    }
}

/// The bytes of a FILE argument: the file's, or standard input's for `-`.
/// The raw `io::Error` is kept, so a caller may treat a missing file as
/// empty (a journal not started yet).
///
/// # Errors
///
/// The file cannot be read, or `-` when standard input was read already.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    if !is_dash(path) {
        return std::fs::read(path);
    }
    let mut bytes = Vec::new();
    take_stdin()?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// The text of a FILE argument (`-`: standard input), refused with the
/// place of its first byte that is not UTF-8.
///
/// # Errors
///
/// An unreadable file, or one that is not UTF-8.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = read(path).with_context(|| format!("cannot read {}", name(path)))?;
    crate::process_file::utf8(path, bytes)
}

/// Refuses `-` for a FILE the command writes back (`what` names it:
/// "the journal"): standard input cannot be replaced or appended to.
///
/// # Errors
///
/// When `path` is `-`.
pub fn writable(path: &Path, what: &str) -> Result<()> {
    if is_dash(path) {
        bail!("{what} cannot be `-` (standard input): this command writes it back; name a file");
    }
    Ok(())
}

fn take_stdin() -> std::io::Result<std::io::StdinLock<'static>> {
    if STDIN_READ.swap(true, Ordering::SeqCst) {
        return Err(std::io::Error::other(
            "standard input is read by another argument already; only one FILE may be `-`",
        ));
    }
    Ok(std::io::stdin().lock())
}

/// The tags of a list argument: the arguments when there are any, else
/// standard input one tag per line (blank lines skipped, whitespace trimmed).
///
/// When standard input is a terminal there is nobody piping tags in, so the
/// list is empty (a first release) rather than waiting for typed input.
///
/// # Errors
///
/// When standard input cannot be read or is not UTF-8.
pub fn tags(args: Vec<String>) -> Result<Vec<String>> {
    Ok(tag_list(args)?
        .tags()
        .into_iter()
        .map(str::to_owned)
        .collect())
}

/// The tags of a list argument as they came, for commands that read a
/// large list once: standard input's text is kept whole and its lines are
/// borrowed, not copied one allocation per tag.
pub enum TagList {
    /// The arguments, one tag each.
    Args(Vec<String>),
    /// Standard input's text, one tag per line.
    Piped(String),
}

impl TagList {
    /// Each tag: an argument as given, a line of standard input trimmed
    /// (blank lines skipped).
    pub fn tags(&self) -> Vec<&str> {
        match self {
            TagList::Args(args) => args.iter().map(String::as_str).collect(),
            TagList::Piped(text) => text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect(),
        }
    }
}

/// [`tags`] without copying each line of standard input.
///
/// # Errors
///
/// As [`tags`].
pub fn tag_list(args: Vec<String>) -> Result<TagList> {
    if !args.is_empty() {
        return Ok(TagList::Args(args));
    }
    if std::io::stdin().is_terminal() {
        return Ok(TagList::Args(Vec::new()));
    }
    let text = read_stdin().context("could not read tags from stdin")?;
    Ok(TagList::Piped(text))
}

/// Commit messages from `--commits FILE|-` followed by each `--commit MSG`.
///
/// A text containing NUL bytes is split on them, one full message each
/// (`git log -z --format=%B`), so bodies and `BREAKING CHANGE:` footers
/// survive; otherwise each non-blank line is one message
/// (`git log --format=%s`).
///
/// # Errors
///
/// When the file or stdin cannot be read or is not UTF-8.
pub fn commits(file: Option<&Path>, extra: &[String]) -> Result<Vec<String>> {
    let mut messages = Vec::new();
    if let Some(path) = file {
        let text = if is_dash(path) {
            read_stdin().context("could not read commit messages from stdin")?
        } else {
            std::fs::read_to_string(path)
                .with_context(|| format!("could not read commit messages from {path:?}"))?
        };
        let split: Vec<&str> = if text.contains('\0') {
            text.split('\0').collect()
        } else {
            text.lines().collect()
        };
        messages.extend(
            split
                .into_iter()
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_owned),
        );
    }
    messages.extend(extra.iter().cloned());
    Ok(messages)
}

/// Whether `--commits` names standard input.
pub fn is_stdin(path: Option<&Path>) -> bool {
    path.is_some_and(is_dash)
}

fn read_stdin() -> std::io::Result<String> {
    let mut text = String::new();
    take_stdin()?.read_to_string(&mut text)?;
    Ok(text)
}
