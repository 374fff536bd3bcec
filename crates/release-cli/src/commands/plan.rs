//! `release plan`: what happens next, in order, with dates, who is on duty
//! and duration estimates; and `release next`: the next version of each
//! component.

use anyhow::Result;
use chrono::{DateTime, Utc};
use release_core::calendar::Zone;
use release_core::process::{NextRelease, NextVersion, Plan, Process};
use serde::Serialize;

use super::Status;
use crate::args::{ProcessAt, StateArgs};
use crate::clock;
use crate::output::Out;
use crate::process_file::{self, State};
use crate::state_file::{self, ReleaseStateArgs};
use clap::Args;

/// Arguments of `release plan` and `release next`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The file and the instant.
    #[command(flatten)]
    pub at: ProcessAt,
    /// What is known.
    #[command(flatten)]
    pub state: StateArgs,
    /// Answer for the `[[releases]]` entry of this name only (by default:
    /// `plan` plans the default release and lists the next of every
    /// release; `next` answers for every release).
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,
    /// The release state to check against the tags.
    #[command(flatten)]
    pub release_state: ReleaseStateArgs,
}

/// The JSON document of `release plan --json`.
#[derive(Serialize)]
struct PlanDoc<'a> {
    #[serde(flatten)]
    plan: &'a Plan,
    /// The versions of the planned release.
    versions: &'a [NextVersion],
    /// The next occurrence of every release (or of the one asked for),
    /// with its versions.
    releases: &'a [NextRelease],
}

/// Runs `release plan`.
///
/// # Errors
///
/// An invalid process file or state file; a version the core refuses.
pub fn run(args: PlanArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.at.file)?;
    let mut state = State::read(&args.state)?;
    state.read_git(&process, &args.at.file, &args.state)?;
    check_state(&args, &process, &state, out)?;
    let now = clock::now_or(args.at.now);
    let plan = process.plan_tagged(
        now,
        &state.facts,
        &state.journal,
        args.release.as_deref(),
        &state.tags,
        &state.changes,
    )?;
    let releases = next_releases(&process, &state, now, args.release.as_deref())?;
    // The planned release's versions: of the release asked for, else of
    // the plan's release day.
    let planned = plan.release.as_ref().and_then(|r| r.name.clone());
    let versions: Vec<NextVersion> = releases
        .iter()
        .find(|r| r.release == planned || releases.len() == 1)
        .map(|r| r.versions.clone())
        .unwrap_or_default();
    if out.is_json() {
        out.json(&PlanDoc {
            plan: &plan,
            versions: &versions,
            releases: &releases,
        })?;
        return Ok(Status::Done);
    }
    let zone = plan.release.as_ref().map(|r| r.occurrence.zone);
    let show = |t: DateTime<Utc>| when(t, zone);
    let title = if plan.process.is_empty() {
        crate::input::name(&args.at.file).into_owned()
    } else {
        plan.process.clone()
    };
    out.line(format!(
        "{title}: plan from {} ({})",
        show(now),
        zone.map_or("UTC", Zone::name)
    ))?;
    if let Some(release) = &plan.release {
        let o = &release.occurrence;
        let mut line = format!("release day: {} {}", o.schedule, show(o.at));
        for note in &o.notes {
            line.push_str(&format!(" ({note})"));
        }
        out.line(line)?;
        for duty in &release.on_duty {
            out.line(format!("on duty: {} is {}", duty.rotation, duty.person))?;
        }
        for m in &release.milestones {
            let mut line = format!("milestone: {} {}", m.name, show(m.at));
            for note in &m.notes {
                line.push_str(&format!(" ({note})"));
            }
            out.line(line)?;
        }
    }
    if !versions.is_empty() {
        out.line("")?;
        versions_table(&versions, out)?;
    }
    let others: Vec<&NextRelease> = releases.iter().filter(|r| r.release != planned).collect();
    if releases.len() > 1 && !others.is_empty() {
        for r in others {
            out.line("")?;
            release_heading(r, out)?;
            versions_table(&r.versions, out)?;
        }
    }
    out.line("")?;
    let rows: Vec<Vec<String>> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                s.id.clone(),
                s.kind.as_str().to_owned(),
                s.environment.clone().unwrap_or_else(|| "-".to_owned()),
                s.state.as_str().to_owned(),
                if s.never {
                    "never".to_owned()
                } else {
                    show(s.start)
                },
                if s.never {
                    "never".to_owned()
                } else {
                    show(s.finish)
                },
                s.estimate.map_or_else(|| "-".to_owned(), |e| e.to_string()),
                s.reasons.join("; "),
            ]
        })
        .collect();
    let mut head = vec![
        "#",
        "STEP",
        "KIND",
        "ENV",
        "STATE",
        "START",
        "FINISH BY",
        "ESTIMATE",
        "NOTES",
    ];
    // Deadlines get a column of their own when a step has one.
    let mut rows = rows;
    if plan.steps.iter().any(|s| s.due.is_some()) {
        head.insert(7, "DUE");
        for (row, s) in rows.iter_mut().zip(&plan.steps) {
            let due = match (s.due, s.misses_by) {
                (Some(t), Some(by)) => format!("{} (misses by {by})", show(t)),
                (Some(t), None) => show(t),
                (None, _) => "-".to_owned(),
            };
            row.insert(7, due);
        }
    }
    out.table(&head, &rows)?;
    edits(&plan, out)?;
    out.line("")?;
    // A process with no steps (release days and lines only) has no path.
    out.line(match plan.critical_path.is_empty() {
        true => "estimate: no steps to run".to_owned(),
        false => format!(
            "estimate: {} for the whole pipeline, along {}",
            plan.estimate,
            plan.critical_path.join(" -> "),
        ),
    })?;
    out.line(format!(
        "from now: {} left; done by {} at the latest",
        plan.remaining,
        show(plan.finish)
    ))?;
    let never: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.never)
        .map(|s| s.id.as_str())
        .collect();
    if !never.is_empty() {
        out.line(format!("never: {} (see NOTES)", never.join(", ")))?;
    }
    Ok(Status::Done)
}

/// The steps' file edits, under each step that makes any:
/// `edit FILE KEY -> VALUE`.
fn edits(plan: &Plan, out: &mut Out) -> Result<()> {
    let editing: Vec<_> = plan.steps.iter().filter(|s| !s.edits.is_empty()).collect();
    if editing.is_empty() {
        return Ok(());
    }
    out.line("")?;
    out.line("edits:")?;
    for step in editing {
        out.line(format!("  {}", step.id))?;
        for e in &step.edits {
            let line = match (&e.key, &e.value, &e.notes) {
                (Some(key), Some(value), _) => format!("edit {} {key} -> {value}", e.file),
                (_, _, Some(n)) => format!(
                    "edit {} -> the release notes of {} {} (written at run time from the commits)",
                    e.file,
                    n.component,
                    n.version.as_deref().unwrap_or("(version unknown)")
                ),
                _ => format!("edit {} ({})", e.file, e.format),
            };
            out.line(format!("    {line}"))?;
        }
    }
    Ok(())
}

/// Runs `release next`.
///
/// # Errors
///
/// An invalid process file or tag list; a date before a CalVer tag's.
pub fn next(args: PlanArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.at.file)?;
    let mut state = State::read(&args.state)?;
    state.read_git(&process, &args.at.file, &args.state)?;
    check_state(&args, &process, &state, out)?;
    let now = clock::now_or(args.at.now);
    let releases = next_releases(&process, &state, now, args.release.as_deref())?;
    if out.is_json() {
        let versions: Vec<&NextVersion> = releases.iter().flat_map(|r| &r.versions).collect();
        out.json(&versions)?;
        return Ok(Status::Done);
    }
    for (i, r) in releases.iter().enumerate() {
        if r.release.is_some() {
            if i > 0 {
                out.line("")?;
            }
            release_heading(r, out)?;
        }
        versions_table(&r.versions, out)?;
    }
    Ok(Status::Done)
}

/// With `--state`: the release state's disagreements with the tags, on
/// stderr; the answer is the tags'.
fn check_state(args: &PlanArgs, process: &Process, state: &State, out: &mut Out) -> Result<()> {
    if let Some(path) = &args.release_state.path {
        let record = state_file::load(path)?;
        state_file::check(&record, process, &state.tags, path, out);
    }
    Ok(())
}

/// `feature: Tue 2024-03-19 09:00 (schedule "feature")`.
fn release_heading(r: &NextRelease, out: &mut Out) -> Result<()> {
    let name = r.release.as_deref().unwrap_or("release");
    match &r.occurrence {
        Some(o) => out.line(format!(
            "{name}: {} (schedule {:?})",
            when(o.at, Some(o.zone)),
            o.schedule
        )),
        None => out.line(format!(
            "{name}: no release day ahead; versions for {}",
            r.date
        )),
    }
}

fn versions_table(versions: &[NextVersion], out: &mut Out) -> Result<()> {
    // A LINE column only when the release ships several lines.
    let lined = versions.iter().any(|v| v.line.is_some());
    let rows: Vec<Vec<String>> = versions
        .iter()
        .map(|v| {
            let mut row = vec![v.component.clone()];
            if lined {
                row.push(v.line.clone().unwrap_or_else(|| "-".to_owned()));
            }
            row.extend([
                v.current.clone().unwrap_or_else(|| "-".to_owned()),
                v.next.clone().unwrap_or_else(|| "-".to_owned()),
                v.kind().map_or_else(|| "-".to_owned(), |k| k.to_string()),
                v.reason.clone(),
            ]);
            row
        })
        .collect();
    let mut header = vec!["COMPONENT"];
    if lined {
        header.push("LINE");
    }
    header.extend(["LATEST", "NEXT", "KIND", "WHY"]);
    out.table(&header, &rows)
}

fn next_releases(
    process: &Process,
    state: &State,
    now: DateTime<Utc>,
    release: Option<&str>,
) -> Result<Vec<NextRelease>> {
    // CalVer versions carry the release day's local date.
    let releases = process.next_releases(
        now,
        &state.tags,
        &state.changes,
        &state.facts,
        &state.journal,
        release,
    )?;
    // Tags that are not of a component's scheme are left out, and said so
    // in one line per component (once, though several releases and lines
    // read its tags); each answer also carries them (`rejected`).
    let mut seen = std::collections::BTreeSet::new();
    for v in releases.iter().flat_map(|r| &r.versions) {
        if !v.rejected.is_empty() && seen.insert(v.component.clone()) {
            let read = state.tags.get(&v.component).map_or(0, Vec::len);
            let what = format!("component {:?}'s scheme", v.component);
            crate::rejected::report(&what, read, &v.rejected);
        }
    }
    Ok(releases)
}

/// An instant in the plan's zone (UTC without one), to the minute.
pub fn when(t: DateTime<Utc>, zone: Option<Zone>) -> String {
    match zone {
        Some(z) => z.local(t).format("%a %Y-%m-%d %H:%M").to_string(),
        None => t.format("%a %Y-%m-%d %H:%MZ").to_string(),
    }
}
