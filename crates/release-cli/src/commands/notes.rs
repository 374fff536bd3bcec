//! `release notes`: release notes or the release ticket from commit
//! messages, and pins read back from a ticket.

use std::path::Path;

use anyhow::{Context, Result, bail};
use release_core::notes::{NotesConfig, ReleaseNotes, Ticket, parse_ticket_pins};
use release_core::version::Change;

use super::Status;
use crate::cli::NotesArgs;
use crate::input;
use crate::output::Out;
use crate::process_file;

/// Runs `release notes`.
///
/// # Errors
///
/// An invalid process file, unreadable commits, a ticket missing a pin.
pub fn run(args: NotesArgs, out: &mut Out) -> Result<Status> {
    let process = args
        .process
        .as_deref()
        .map(process_file::load)
        .transpose()?;
    let config = process
        .as_ref()
        .map_or_else(NotesConfig::default, |p| p.def().notes.clone());
    if let Some(path) = &args.parse_ticket {
        let Some(process) = &process else {
            bail!("--parse-ticket needs --process FILE: the components to read pins for");
        };
        let body = read(path)?;
        let pins = parse_ticket_pins(&body, &process.pinned_components())
            .with_context(|| format!("ticket {}", path.display()))?;
        if out.is_json() {
            out.json(&pins)?;
        } else {
            for pin in &pins {
                out.line(format!("{} {}", pin.component, pin.tag))?;
            }
        }
        return Ok(Status::Done);
    }
    let Some(version) = &args.release else {
        bail!("--release VERSION is required (the release the notes are for)");
    };
    let commits_file = args.commits.as_deref().unwrap_or(Path::new("-"));
    let messages = input::commits(Some(commits_file), &[])?;
    let changes: Vec<Change> = messages.iter().map(|m| Change::parse(m)).collect();
    if args.ticket {
        let mut pins = Vec::new();
        for pin in &args.pin {
            let Some((component, tag)) = pin.split_once('=') else {
                bail!("--pin {pin:?}: expected COMPONENT=TAG");
            };
            pins.push((component.to_owned(), tag.to_owned()));
        }
        let ticket = Ticket::new(&config, version, &changes, &pins);
        if out.is_json() {
            out.json(&ticket)?;
        } else {
            out.raw(&ticket.to_markdown())?;
        }
        return Ok(Status::Done);
    }
    let notes = ReleaseNotes::new(&config, version, args.date, &changes);
    if out.is_json() {
        out.json(&notes)?;
    } else {
        out.raw(&notes.to_markdown())?;
    }
    Ok(Status::Done)
}

fn read(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        return Ok(input::commits(Some(path), &[])?.join("\n"));
    }
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
