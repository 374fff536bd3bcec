//! `release lines`: a process's release lines, each line's support phase
//! on a date and until when, its end of life and its next patch, from the
//! components' `lines` and the tags given; or, with `--ics`, the phase
//! changes as an ICS calendar.
//!
//! The JSON shape (`--json`) is part of the CLI's interface: an array of
//! [`LineDoc`]. Add fields, never rename or remove them.

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::Args;
use release_core::calendar::IcsCalendar;
use release_core::line::{Line, Lines, PhaseOn, PhaseStart};
use release_core::version::{Tag, TagScheme};
use serde::Serialize;

use super::Status;
use crate::args::{ProcessAt, StateArgs};
use crate::clock;
use crate::output::Out;
use crate::process_file::{self, State};

/// Arguments of `release lines`.
#[derive(Debug, Args)]
pub struct LinesArgs {
    /// The file and the instant (its UTC date is the day asked about).
    #[command(flatten)]
    pub at: ProcessAt,
    /// A file of existing tags, one `COMPONENT TAG` a line.
    #[arg(long, value_name = "PATH")]
    pub tags: Option<std::path::PathBuf>,
    /// An existing tag of a component (repeatable).
    #[arg(long, value_name = "COMPONENT=TAG")]
    pub tag: Vec<String>,
    /// Only this component's lines.
    #[arg(long, value_name = "NAME")]
    pub component: Option<String>,
    /// Only the lines supported on the day (not end of life, released).
    #[arg(long)]
    pub supported: bool,
    /// Print the lines' phase changes as an ICS calendar instead.
    #[arg(long)]
    pub ics: bool,
}

/// One line in `release lines --json`.
#[derive(Debug, Serialize)]
pub struct LineDoc {
    /// The component.
    pub component: String,
    /// The line's key (`20`, `1.35`).
    pub line: String,
    /// The line's tags, oldest first, as given.
    pub tags: Vec<String>,
    /// The declared first release date.
    pub first_release: Option<NaiveDate>,
    /// Every phase and its start (`null` while not dated).
    pub phases: Vec<PhaseStart>,
    /// The day asked about.
    pub date: NaiveDate,
    /// The phase on that day, since when and until when; `null` before the
    /// line's first dated phase.
    pub on: Option<PhaseOn>,
    /// Whether the line is supported on that day.
    pub supported: bool,
    /// The end of life, when dated.
    pub end_of_life: Option<NaiveDate>,
    /// The next patch release of the line, as a tag; `null` when there is
    /// none (a CalVer line without tags).
    pub next_patch: Option<String>,
}

fn doc(
    component: &str,
    lines: &Lines,
    scheme: &TagScheme,
    tags: &[Tag],
    line: Line,
    date: NaiveDate,
) -> LineDoc {
    let versions: Vec<_> = tags.iter().map(|t| t.version().clone()).collect();
    let next_patch = lines
        .next_patch(&line.key, &versions)
        .ok()
        .and_then(|v| scheme.tag(&v).ok());
    LineDoc {
        component: component.to_owned(),
        tags: lines
            .tags_of(&line.key, tags)
            .into_iter()
            .map(|t| t.as_str().to_owned())
            .collect(),
        first_release: line.first_release,
        on: line.phase_on(date),
        supported: line.is_supported(date),
        end_of_life: line.end_of_life(),
        phases: line.phases,
        date,
        next_patch,
        line: line.key,
    }
}

/// Runs `release lines`.
///
/// # Errors
///
/// An invalid process or tags file, tags given for a component without
/// lines, a `--component` without lines.
pub fn run(args: LinesArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.at.file)?;
    let state = State::read(&StateArgs {
        facts: None,
        journal: None,
        tags: args.tags.clone(),
        tag: args.tag.clone(),
        repo: Vec::new(),
    })?;
    let now = clock::now_or(args.at.now);
    let date = now.date_naive();
    let with_lines: Vec<(&str, &Lines)> = process.components_with_lines().collect();
    if with_lines.is_empty() {
        bail!(
            "{}: no component has `lines`",
            crate::input::name(&args.at.file)
        );
    }
    let names: Vec<&str> = with_lines.iter().map(|(n, _)| *n).collect();
    for name in state.tags.keys().chain(args.component.iter()) {
        if !names.contains(&name.as_str()) {
            bail!(
                "{name:?} is not a component with lines (components with lines: {})",
                names.join(", ")
            );
        }
    }
    let mut docs = Vec::new();
    let mut events = Vec::new();
    for (name, lines) in with_lines {
        if args.component.as_deref().is_some_and(|c| c != name) {
            continue;
        }
        let Some(scheme) = process
            .def()
            .components
            .iter()
            .find(|c| c.name == name)
            .and_then(|c| c.tags.clone())
        else {
            continue;
        };
        let given = state.tags.get(name).map_or(&[][..], Vec::as_slice);
        let list = scheme.parse_all(given.iter().map(String::as_str));
        crate::rejected::report_list(
            &format!("component {name:?} ({})", scheme.describe()),
            given.len(),
            &list,
        );
        let tags = list.tags;
        let versions: Vec<_> = tags.iter().map(|t| t.version().clone()).collect();
        let all = lines.lines(&versions)?;
        if args.ics {
            events.extend(Lines::phase_events(name, &all));
            continue;
        }
        for line in all {
            let d = doc(name, lines, &scheme, &tags, line, date);
            if !args.supported || d.supported {
                docs.push(d);
            }
        }
    }
    if args.ics {
        let mut calendar = IcsCalendar::new(&format!("{} release lines", process.name()));
        for event in events {
            calendar.add_event(event)?;
        }
        out.raw(&calendar.to_ics(now))?;
        return Ok(Status::Done);
    }
    if out.is_json() {
        out.json(&docs)?;
        return Ok(Status::Done);
    }
    let text = |d: Option<NaiveDate>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let rows: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            vec![
                d.component.clone(),
                d.line.clone(),
                d.on.map_or_else(|| "unreleased".to_owned(), |p| p.phase.to_string()),
                text(d.on.map(|p| p.since)),
                match d.on.and_then(|p| p.next.zip(p.until)) {
                    Some((next, until)) => format!("{until} ({next})"),
                    None => "-".to_owned(),
                },
                text(d.end_of_life),
                d.tags.last().cloned().unwrap_or_else(|| "-".to_owned()),
                d.next_patch.clone().unwrap_or_else(|| "-".to_owned()),
            ]
        })
        .collect();
    out.line(format!("release lines on {date}"))?;
    out.table(
        &[
            "COMPONENT",
            "LINE",
            "PHASE",
            "SINCE",
            "UNTIL",
            "END OF LIFE",
            "LATEST",
            "NEXT PATCH",
        ],
        &rows,
    )?;
    Ok(Status::Done)
}
