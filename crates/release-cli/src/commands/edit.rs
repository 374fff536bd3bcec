//! `release edit`: one planned file edit (a value at a key path of a
//! TOML, JSON or YAML file, or a CHANGELOG section), shown as a diff with
//! `--dry-run` and written atomically otherwise. The new text is the
//! core's (`release_core::edit`); this module reads, diffs and writes.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Args;
use release_core::edit;
use serde::Serialize;

use super::Status;
use crate::output::Out;

/// Arguments of `release edit`.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The file to edit: `.toml`, `.json`, `.yaml`/`.yml` with `--set`, a
    /// Markdown CHANGELOG with `--changelog`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The value at a key path, dot-separated (`package.version`,
    /// `env.BE_IMAGE_TAG`, `jobs.build.steps.0.uses`), as a string.
    #[arg(
        long,
        value_name = "KEY.PATH=VALUE",
        required_unless_present = "changelog",
        conflicts_with = "changelog"
    )]
    pub set: Option<String>,
    /// A release's section (Markdown from its `## VERSION` heading; a file
    /// or `-` for stdin, such as `release notes` prints), placed above the
    /// newest release; nothing changes when the file has it already.
    #[arg(long, value_name = "FILE|-")]
    pub changelog: Option<PathBuf>,
    /// Show the edit as a diff and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The JSON document of `release edit --json`.
#[derive(Serialize)]
struct EditDoc {
    /// The file edited.
    file: String,
    /// Whether its text changes.
    changed: bool,
    /// Whether it was written (false on a dry run or when unchanged).
    written: bool,
    /// The change as a unified diff (empty when unchanged).
    diff: String,
}

/// Runs `release edit`.
///
/// # Errors
///
/// An unreadable file, a `--set` without `=`, a file of another kind, the
/// core's refusal (with its reason and place), a failure to write.
pub fn run(args: EditArgs, out: &mut Out) -> Result<Status> {
    if !args.dry_run {
        // Refused before anything is read: the edit replaces the file.
        crate::input::writable(&args.file, "the file to edit (without --dry-run)")?;
    }
    let text = crate::input::read_text(&args.file)?;
    let source = crate::input::name(&args.file).into_owned();
    let new = match (&args.set, &args.changelog) {
        (Some(set), _) => set_value(&args.file, &source, &text, set)?,
        (None, Some(section)) => {
            let section = read_section(section)?;
            edit::changelog_section(&source, &text, &section)?
        }
        (None, None) => bail!("say what to edit: --set KEY.PATH=VALUE or --changelog FILE|-"),
    };
    let changed = new != text;
    let diff = if changed {
        unified(&source, &text, &new)
    } else {
        String::new()
    };
    let written = changed && !args.dry_run;
    if written {
        crate::atomic::write(&args.file, new.as_bytes())?;
    }
    if out.is_json() {
        out.json(&EditDoc {
            file: source,
            changed,
            written,
            diff,
        })?;
    } else if !changed {
        out.note(format_args!("{source}: unchanged"));
    } else if args.dry_run {
        out.raw(&diff)?;
    } else {
        out.note(format_args!("{source}: edited"));
    }
    Ok(Status::Done)
}

fn set_value(path: &Path, source: &str, text: &str, set: &str) -> Result<String> {
    let Some((key, value)) = set.split_once('=').filter(|(k, _)| !k.is_empty()) else {
        bail!("--set {set:?}: expected KEY.PATH=VALUE");
    };
    let keys: Vec<&str> = key.split('.').collect();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    Ok(match ext.to_ascii_lowercase().as_str() {
        "toml" => edit::toml_value(source, text, &keys, value)?,
        "json" => edit::json_value(source, text, &keys, value)?,
        "yaml" | "yml" => edit::yaml_value(source, text, &keys, value)?,
        _ => bail!(
            "{source}: --set edits .toml, .json, .yaml and .yml files; this one's kind is not known by its name"
        ),
    })
}

fn read_section(path: &Path) -> Result<String> {
    crate::input::read_text(path)
}

/// A unified diff of `old` and `new` (both named `source`), with three
/// lines of context around each change, by the `similar` crate.
pub(crate) fn unified(source: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(source, source)
        .to_string()
}
