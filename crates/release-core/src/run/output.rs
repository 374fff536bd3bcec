//! What a step reports back: the lines of its `RELEASE_OUTPUT` file, as
//! `output` facts.
//!
//! The format is GitHub Actions' `GITHUB_OUTPUT` without its multi-line
//! form: one `name=value` a line, `name` of lowercase letters, digits,
//! `_` and `-`, `value` the rest of the line (any text, `=` included);
//! blank lines are skipped. The step `build` writing `digest=sha256:ab..`
//! gives the fact `output` `build.digest` = `"sha256:ab.."`, which gates
//! read (`{ output = { step = "build", name = "digest" } }`) and later
//! commands too (`{output.build.digest}`).

use super::executor::Observation;
use crate::gate::{FactKind, FactValue};

/// The outputs of task `task` in `text` (its `RELEASE_OUTPUT` file), in
/// order; a name given twice keeps its last value.
///
/// # Errors
///
/// The first bad line, by number from 1: no `=`, an empty or malformed
/// name. Nothing is recorded from a file with a bad line.
///
/// ```
/// use release_core::run::parse_outputs;
/// let facts = parse_outputs("build", "digest=sha256:ab\ncount=12\n")?;
/// assert_eq!(facts[0].subject, "build.digest");
/// assert!(parse_outputs("build", "digest sha256:ab").is_err());
/// # Ok::<(), String>(())
/// ```
pub fn parse_outputs(task: &str, text: &str) -> Result<Vec<Observation>, String> {
    let mut out: Vec<Observation> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once('=') else {
            return Err(format!(
                "RELEASE_OUTPUT line {}: expected `name=value`, found {line:?}",
                n + 1
            ));
        };
        if !is_output_name(name) {
            return Err(format!(
                "RELEASE_OUTPUT line {}: {name:?} is not an output name (lowercase letters, digits, `_` and `-`)",
                n + 1
            ));
        }
        let subject = format!("{task}.{name}");
        out.retain(|o| o.subject != subject);
        out.push(Observation {
            kind: FactKind::Output,
            subject,
            value: FactValue::Text(value.to_owned()),
        });
    }
    Ok(out)
}

/// Whether `name` may name an output: `[a-z0-9_-]+`.
pub fn is_output_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_are_refused_with_their_number() {
        insta::assert_snapshot!(parse_outputs("build", "a=1\n\nnothing here").unwrap_err(), @r#"RELEASE_OUTPUT line 3: expected `name=value`, found "nothing here""#);
        insta::assert_snapshot!(parse_outputs("build", "Digest=x").unwrap_err(), @r#"RELEASE_OUTPUT line 1: "Digest" is not an output name (lowercase letters, digits, `_` and `-`)"#);
        insta::assert_snapshot!(parse_outputs("build", "=x").unwrap_err(), @r#"RELEASE_OUTPUT line 1: "" is not an output name (lowercase letters, digits, `_` and `-`)"#);
        let facts = parse_outputs("build", "a=1\r\na=x=y\n").unwrap();
        assert_eq!(facts.len(), 1);
        assert_eq!(facts[0].value, FactValue::Text("x=y".into()));
    }
}
