//! Reading tag lists and commit messages from arguments, files and stdin.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result};

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
    if !args.is_empty() {
        return Ok(args);
    }
    if std::io::stdin().is_terminal() {
        return Ok(Vec::new());
    }
    let text = read_stdin().context("could not read tags from stdin")?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect())
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
        let text = if path == Path::new("-") {
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
    path.is_some_and(|p| p == Path::new("-"))
}

fn read_stdin() -> std::io::Result<String> {
    let mut text = String::new();
    std::io::stdin().lock().read_to_string(&mut text)?;
    Ok(text)
}
