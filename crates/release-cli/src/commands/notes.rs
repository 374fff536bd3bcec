//! `release notes`: release notes or the release ticket from commit
//! messages, and pins read back from a ticket.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result, bail};
use release_core::notes::{Entry, NotesConfig, ReleaseNotes, Ticket, parse_ticket_pins};
use release_core::pipeline::Component;
use release_core::process::Process;
use release_core::version::{Change, Scheme, SemVerScheme, TagScheme};

use super::Status;
use crate::args::parse_date;
use crate::git;
use crate::input;
use crate::output::Out;
use crate::process_file;
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;

/// Arguments of `release notes`.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// A process file whose `[notes]` table configures sections and the
    /// ticket title (defaults without it).
    #[arg(long, value_name = "FILE")]
    pub process: Option<PathBuf>,
    /// The version the notes are for (`--version` is the program's own).
    #[arg(long, value_name = "VERSION")]
    pub release: Option<String>,
    /// The release date shown in the heading.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Commit messages, one per line (or NUL-separated); `-`: stdin.
    /// Absent: stdin when something is piped in, else the commits since
    /// the latest tag of a git repository (`--repo`, the released
    /// component's `path`, or the current directory when it is the top of
    /// a work tree).
    #[arg(long, value_name = "PATH")]
    pub commits: Option<PathBuf>,
    /// The git repository the commits come from, when `--commits` is
    /// absent and nothing is piped in (default: the released component's
    /// `path` with --process, else the current directory).
    #[arg(long, value_name = "DIR")]
    pub repo: Option<PathBuf>,
    /// Write the release ticket (title and bullet points) instead.
    #[arg(long)]
    pub ticket: bool,
    /// A pin listed in the ticket (repeatable); with --process, exactly one
    /// valid tag for each component it pins, as --parse-ticket reads them.
    #[arg(long, value_name = "COMPONENT=TAG", requires = "ticket")]
    pub pin: Vec<String>,
    /// Read the pins of a ticket body (file, or `-` for stdin); every
    /// component --process pins must be listed (those another component
    /// pins, or every component when none pins another).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["ticket", "release"])]
    pub parse_ticket: Option<PathBuf>,
}

/// Runs `release notes`.
///
/// # Errors
///
/// An invalid process file, unreadable commits, a ticket missing a pin; an
/// empty `--release`; with `--process`, a release that is not a version of
/// the component released, or `--pin`s that are not exactly one valid tag
/// per pinned component.
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
            .with_context(|| format!("ticket {}", input::name(path)))?;
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
    if version.trim().is_empty() {
        bail!("--release is empty: give the version the notes are for");
    }
    if let Some(process) = &process {
        check_release(process, version)?;
    }
    let mut pins = Vec::new();
    for pin in &args.pin {
        match pin.split_once('=') {
            Some((component, tag)) if !component.is_empty() && !tag.is_empty() => {
                pins.push((component.to_owned(), tag.to_owned()));
            }
            _ => bail!("--pin {pin:?}: expected COMPONENT=TAG"),
        }
    }
    if let (true, Some(process)) = (args.ticket, &process) {
        check_pins(process, &pins)?;
    }
    let messages = messages(&args, process.as_ref(), version)?;
    let changes: Vec<Change> = messages.iter().map(|m| Change::parse(m)).collect();
    if args.ticket {
        let ticket = Ticket::new(&config, version, &changes, &pins);
        if let Some(process) = &process {
            reads_back(process, &ticket)?;
        }
        if out.is_json() {
            out.json(&ticket)?;
        } else {
            out.raw(&ticket.to_markdown())?;
        }
        return Ok(Status::Done);
    }
    let notes = ReleaseNotes::new(&config, version, args.date, &changes);
    if out.is_json() {
        // The document's `left_out` array lists them.
        out.json(&notes)?;
    } else {
        out.raw(&notes.to_markdown())?;
        if !notes.left_out.is_empty() {
            out.note(left_out_note(&notes.left_out));
        }
    }
    Ok(Status::Done)
}

/// The commit messages the notes are made of: `--commits`; else stdin
/// when it is not a terminal and holds any; else git's commits since the
/// latest tag before the release (see [`NotesArgs::commits`]); else none.
fn messages(args: &NotesArgs, process: Option<&Process>, version: &str) -> Result<Vec<String>> {
    if let Some(file) = &args.commits {
        return input::commits(Some(file), &[]);
    }
    if args.repo.is_none() && !std::io::stdin().is_terminal() && input::stdin_unread() {
        let piped = input::commits(Some(Path::new("-")), &[])?;
        if !piped.is_empty() {
            return Ok(piped);
        }
    }
    let component = process.and_then(released_component);
    let repo = match (&args.repo, component.and_then(|c| c.path.as_ref())) {
        (Some(dir), _) => Some(git::Repo::open(dir).context("--repo")?),
        (None, Some(path)) => {
            let file = args.process.as_deref().unwrap_or(Path::new(""));
            let dir = file.parent().unwrap_or(Path::new("")).join(path);
            Some(git::Repo::open(&dir).with_context(|| {
                format!(
                    "{}: the path {path:?} of the released component",
                    file.display()
                )
            })?)
        }
        (None, None) => git::Repo::here(Path::new(".")),
    };
    let Some(repo) = repo else {
        return Ok(Vec::new());
    };
    let scheme = match component.map(tag_scheme).transpose()?.flatten() {
        Some(scheme) => scheme,
        None => TagScheme::new("{version}", Scheme::SemVer(SemVerScheme::default()))?,
    };
    let since = since_tag(&scheme, &repo.tags()?, version);
    repo.commits_since(
        since.as_deref(),
        component.and_then(|c| c.branch.as_deref()),
    )
}

/// The latest tag of the scheme that is not of the release itself (the
/// release may be tagged already: its notes are the changes since the one
/// before).
pub(crate) fn since_tag(scheme: &TagScheme, tags: &[String], version: &str) -> Option<String> {
    let release = scheme
        .scheme()
        .parse(version)
        .ok()
        .or_else(|| scheme.version_of(version));
    let earlier: Vec<&String> = tags
        .iter()
        .filter(|t| release.is_none() || scheme.version_of(t) != release)
        .collect();
    scheme
        .latest(&earlier, false)
        .map(|(i, _)| earlier[i].clone())
}

/// `note: 2 changes left out (...): "chore: bump deps", "update readme"`.
fn left_out_note(left_out: &[Entry]) -> String {
    let count = match left_out.len() {
        1 => "1 change".to_owned(),
        n => format!("{n} changes"),
    };
    let headers: Vec<String> = left_out
        .iter()
        .map(|e| format!("{:?}", header(e)))
        .collect();
    format!(
        "note: {count} left out of the notes (no section for their type; \
         set other = \"...\" in [notes] to list them): {}",
        headers.join(", ")
    )
}

/// An entry as its commit header: `type(scope)!: subject (#pr)`.
fn header(entry: &Entry) -> String {
    let mut text = String::new();
    if let Some(kind) = &entry.kind {
        text.push_str(kind);
        if let Some(scope) = &entry.scope {
            text.push_str(&format!("({scope})"));
        }
        if entry.breaking {
            text.push('!');
        }
        text.push_str(": ");
    }
    text.push_str(&entry.subject);
    if let Some(pr) = entry.pr
        && !entry.subject.contains(&format!("#{pr}"))
    {
        text.push_str(&format!(" (#{pr})"));
    }
    text
}

/// The component a release of the process is a version of: the one that
/// pins others (the Fragalysis stack), else the only one with tags.
fn released_component(process: &Process) -> Option<&Component> {
    let components = &process.def().components;
    let pinners: Vec<&Component> = components.iter().filter(|c| !c.pins.is_empty()).collect();
    let tagged: Vec<&Component> = components.iter().filter(|c| c.tags.is_some()).collect();
    match (pinners.as_slice(), tagged.as_slice()) {
        ([one], _) | ([], [one]) => Some(one),
        _ => None,
    }
}

/// The component's tag scheme, its `{component}` filled in.
pub(crate) fn tag_scheme(component: &Component) -> Result<Option<TagScheme>> {
    Ok(match &component.tags {
        Some(tags) if tags.template().has_component() && tags.component().is_none() => {
            Some(tags.clone().for_component(&component.name)?)
        }
        other => other.clone(),
    })
}

/// With `--process`: the release is a version (or a tag) of the component
/// released, when there is one with a tag scheme.
fn check_release(process: &Process, version: &str) -> Result<()> {
    let Some(component) = released_component(process) else {
        return Ok(());
    };
    let Some(tags) = tag_scheme(component)? else {
        return Ok(());
    };
    let Err(e) = tags.scheme().parse(version) else {
        return Ok(());
    };
    if tags.parse(version).is_ok() {
        return Ok(());
    }
    Err(e).with_context(|| format!("--release {version:?} is not a {} version", component.name))
}

/// With `--process`: one valid `--pin` per pinned component, and no other.
fn check_pins(process: &Process, pins: &[(String, String)]) -> Result<()> {
    let pinned = process.pinned_components();
    let names: Vec<&str> = pinned.iter().map(|c| c.name.as_str()).collect();
    let list = names.join(", ");
    for (n, (name, tag)) in pins.iter().enumerate() {
        let Some(component) = pinned.iter().find(|c| c.name == *name) else {
            if process.def().components.iter().any(|c| c.name == *name) {
                bail!("--pin {name}={tag}: the ticket does not pin {name}; it pins {list}");
            }
            bail!("--pin {name}={tag}: no component named {name:?}; the ticket pins {list}");
        };
        if let Some((_, first)) = pins[..n].iter().find(|(other, _)| other == name) {
            bail!("--pin {name} is given twice ({first} and {tag}); give each component once");
        }
        if tag.contains(char::is_whitespace) || tag.contains('`') {
            bail!("--pin {name}={tag:?}: a tag in a ticket cannot contain whitespace or '`'");
        }
        if let Some(scheme) = tag_scheme(component)? {
            scheme
                .parse(tag)
                .with_context(|| format!("--pin {name}={tag}: not a {name} tag"))?;
        }
    }
    let missing: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| !pins.iter().any(|(n, _)| n == name))
        .collect();
    match missing.as_slice() {
        [] => Ok(()),
        [one] => bail!("the ticket needs a pin for {one}: add --pin {one}=TAG"),
        many => bail!(
            "the ticket needs a pin for {}: add --pin COMPONENT=TAG for each",
            many.join(", ")
        ),
    }
}

/// The ticket reads back with `--parse-ticket` to the pins it was written
/// with (a change bullet could read as a pin).
fn reads_back(process: &Process, ticket: &Ticket) -> Result<()> {
    let read = parse_ticket_pins(ticket.body(), &process.pinned_components())
        .context("the ticket would not read back with --parse-ticket")?;
    let mut got: Vec<(&str, &str)> = read
        .iter()
        .map(|p| (p.component.as_str(), p.tag.as_str()))
        .collect();
    let mut want: Vec<(&str, &str)> = ticket
        .pins()
        .iter()
        .map(|p| (p.component.as_str(), p.tag.as_str()))
        .collect();
    got.sort_unstable();
    want.sort_unstable();
    if got != want {
        bail!(
            "the ticket would not read back with --parse-ticket: it would read {got:?} \
             instead of {want:?}"
        );
    }
    Ok(())
}

fn read(path: &Path) -> Result<String> {
    if path == Path::new("-") {
        return Ok(input::commits(Some(path), &[])?.join("\n"));
    }
    input::read_text(path)
}
