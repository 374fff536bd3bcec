//! What a task releases: the values its command reads, as placeholders in
//! its argument list (`{tag}`, `{component.backend.tag}`) and as
//! environment variables (`RELEASE_TAG`, `RELEASE_COMPONENT_BACKEND_TAG`).
//!
//! A [`ReleaseContext`] holds the release's values (its name and day, each
//! component's current and next version and tag, pins), built by the
//! process from its plan; [`ReleaseContext::of_task`] adds the task's own
//! (its step, attempt, component, environment, matrix cell, and `version`
//! and `tag` of its component). Names are dotted, lowercase; the
//! environment variable of a name is `RELEASE_` and the name upper-cased
//! with every `.` and `-` as `_` ([`env_name`]), except that the
//! `release.` prefix is not repeated (`release.day` is `RELEASE_DAY`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::task::Task;
use crate::{Error, Result};

/// The release-wide values of a run's tasks, by placeholder name
/// (`release.name`, `component.stack.tag`, ...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseContext {
    /// Each value by its name.
    pub values: BTreeMap<String, String>,
}

/// The names a task's own values take (besides the release's, the
/// components' and the cell's): see [`ReleaseContext::of_task`].
pub const TASK_NAMES: &[&str] = &[
    "step",
    "attempt",
    "component",
    "environment",
    "version",
    "tag",
    "current_version",
    "current_tag",
];

/// The release-wide names every process has.
pub const RELEASE_NAMES: &[&str] = &["release.name", "release.day", "release.kind"];

/// The per-component names: `component.<name>.<field>`.
pub const COMPONENT_FIELDS: &[&str] = &["version", "tag", "current_version", "current_tag"];

impl ReleaseContext {
    /// No values.
    pub fn new() -> ReleaseContext {
        ReleaseContext::default()
    }

    /// Sets the value of `name`.
    pub fn set(
        &mut self,
        name: impl Into<String>,
        value: impl Into<String>,
    ) -> &mut ReleaseContext {
        self.values.insert(name.into(), value.into());
        self
    }

    /// The values `task` sees: the release's, then its own: `step`,
    /// `attempt`, `component` and `environment` (when the step has them),
    /// `cell.<axis>` of a matrix cell, and `version`, `tag`,
    /// `current_version`, `current_tag` of its component where known.
    pub fn of_task(&self, task: &Task<'_>) -> BTreeMap<String, String> {
        let mut values = self.values.clone();
        values.insert("step".to_owned(), task.step.id.to_string());
        values.insert("attempt".to_owned(), task.attempt.to_string());
        if let Some(env) = &task.step.details.environment {
            values.insert("environment".to_owned(), env.clone());
        }
        if let Some(component) = &task.step.details.component {
            values.insert("component".to_owned(), component.clone());
            for field in COMPONENT_FIELDS {
                if let Some(v) = self.values.get(&format!("component.{component}.{field}")) {
                    values.insert((*field).to_owned(), v.clone());
                }
            }
        }
        if let Some(cell) = task.cell {
            for (axis, value) in &cell.values {
                values.insert(format!("cell.{axis}"), value.clone());
            }
        }
        values
    }

    /// `task`'s values as environment variables ([`env_name`]), sorted.
    pub fn env_of(&self, task: &Task<'_>) -> Vec<(String, String)> {
        self.of_task(task)
            .into_iter()
            .map(|(k, v)| (env_name(&k), v))
            .collect()
    }

    /// `task`'s command with every placeholder replaced by its value.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming the argument
    /// and the placeholder that has no value here (a version without the
    /// tags to compute it from), or a brace out of place.
    pub fn command_of(&self, task: &Task<'_>) -> Result<Option<Vec<String>>> {
        let Some(command) = task.command() else {
            return Ok(None);
        };
        let values = self.of_task(task);
        command
            .iter()
            .enumerate()
            .map(|(i, arg)| {
                expand(arg, &values).map_err(|e| {
                    Error::invalid(format!("step {:?}: command[{i}] {arg:?}: {e}", task.id))
                })
            })
            .collect::<Result<Vec<_>>>()
            .map(Some)
    }
}

/// The environment variable of a value's name: `RELEASE_` and the name
/// upper-cased, each `.` and `-` as `_`; the `release.` prefix is not
/// repeated (`release.day` is `RELEASE_DAY`, `component.backend.tag` is
/// `RELEASE_COMPONENT_BACKEND_TAG`).
///
/// ```
/// use release_core::run::env_name;
/// assert_eq!(env_name("tag"), "RELEASE_TAG");
/// assert_eq!(env_name("release.day"), "RELEASE_DAY");
/// assert_eq!(env_name("component.fe-app.tag"), "RELEASE_COMPONENT_FE_APP_TAG");
/// ```
pub fn env_name(name: &str) -> String {
    let bare = name.strip_prefix("release.").unwrap_or(name);
    let mut out = String::from("RELEASE_");
    out.extend(bare.chars().map(|c| match c {
        '.' | '-' => '_',
        c => c.to_ascii_uppercase(),
    }));
    out
}

/// A piece of an argument: literal text or a placeholder's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text as written (`{{` and `}}` already one brace).
    Text(&'a str),
    /// A placeholder: the name between `{` and `}`.
    Name(&'a str),
}

/// The pieces of an argument: `gh release create {tag}` has text and one
/// placeholder; `{{` and `}}` are literal braces.
///
/// # Errors
///
/// A message (with the byte offset) for a `{` never closed, a `}` never
/// opened, or an empty or malformed name (names are `[a-z0-9_.-]+`).
///
/// ```
/// use release_core::run::{Piece, placeholders};
/// let pieces = placeholders("v{version}-{{x}}")?;
/// assert_eq!(pieces, [Piece::Text("v"), Piece::Name("version"), Piece::Text("-"), Piece::Text("{"), Piece::Text("x"), Piece::Text("}")]);
/// # Ok::<(), String>(())
/// ```
pub fn placeholders(arg: &str) -> std::result::Result<Vec<Piece<'_>>, String> {
    let mut pieces = Vec::new();
    let bytes = arg.as_bytes();
    let (mut i, mut start) = (0, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => {
                if start < i {
                    pieces.push(Piece::Text(&arg[start..i]));
                }
                pieces.push(Piece::Text(&arg[i..=i]));
                i += 2;
                start = i;
            }
            b'{' => {
                let Some(len) = arg[i + 1..].find('}') else {
                    return Err(format!(
                        "`{{` at byte {i} is never closed (write `{{{{` for a brace)"
                    ));
                };
                let name = &arg[i + 1..i + 1 + len];
                if name.is_empty()
                    || !name.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b"_.-".contains(&b)
                    })
                {
                    return Err(format!(
                        "{{{name}}} at byte {i} is not a placeholder (names are lowercase letters, digits, `_`, `.` and `-`; write `{{{{` for a brace)"
                    ));
                }
                if start < i {
                    pieces.push(Piece::Text(&arg[start..i]));
                }
                pieces.push(Piece::Name(name));
                i += len + 2;
                start = i;
            }
            b'}' => {
                return Err(format!(
                    "`}}` at byte {i} closes nothing (write `}}}}` for a brace)"
                ));
            }
            _ => i += 1,
        }
    }
    if start < bytes.len() {
        pieces.push(Piece::Text(&arg[start..]));
    }
    Ok(pieces)
}

/// `arg` with each placeholder replaced by its value in `values`.
///
/// # Errors
///
/// A message for a placeholder without a value, or a malformed one.
pub fn expand(arg: &str, values: &BTreeMap<String, String>) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(arg.len());
    for piece in placeholders(arg)? {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Name(n) => match values.get(n) {
                Some(v) => out.push_str(v),
                None => {
                    return Err(format!(
                        "{{{n}}} has no value in this run (for versions and tags, give `release run` the existing tags: --tags FILE or --tag COMPONENT=TAG)"
                    ));
                }
            },
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_placeholders_are_refused_with_the_offset() {
        insta::assert_snapshot!(placeholders("a{b").unwrap_err(), @r#"`{` at byte 1 is never closed (write `{{` for a brace)"#);
        insta::assert_snapshot!(placeholders("a}b").unwrap_err(), @r#"`}` at byte 1 closes nothing (write `}}` for a brace)"#);
        insta::assert_snapshot!(placeholders("{}").unwrap_err(), @r#"{} at byte 0 is not a placeholder (names are lowercase letters, digits, `_`, `.` and `-`; write `{{` for a brace)"#);
        insta::assert_snapshot!(placeholders("{Tag}").unwrap_err(), @r#"{Tag} at byte 0 is not a placeholder (names are lowercase letters, digits, `_`, `.` and `-`; write `{{` for a brace)"#);
        let values = BTreeMap::from([("tag".to_owned(), "1.2.3".to_owned())]);
        assert_eq!(expand("v{tag}{{}}", &values).unwrap(), "v1.2.3{}");
        insta::assert_snapshot!(expand("{version}", &values).unwrap_err(), @r#"{version} has no value in this run (for versions and tags, give `release run` the existing tags: --tags FILE or --tag COMPONENT=TAG)"#);
    }
}
