//! `release schema`: the JSON Schema of a process file.

use anyhow::Result;

use super::Status;
use crate::output::Out;

/// Runs `release schema`: prints the JSON Schema of `release.toml`
/// (pretty JSON, with or without `--json`), the same document the
/// repository commits as `release.schema.json`: a JSON Schema, so without
/// the `format_version` of the `--json` answers.
///
/// # Errors
///
/// When stdout is closed or fails.
pub fn run(out: &mut Out) -> Result<Status> {
    let schema = serde_json::to_string_pretty(&release_core::schema::process_schema())?;
    out.document(&schema)?;
    Ok(Status::Done)
}
