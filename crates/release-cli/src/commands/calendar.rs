//! `release calendar`: upcoming occurrences of schedules, or the
//! explanation of one.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Result, bail};
use chrono::Duration;
use release_core::calendar::{
    Duty, HolidayPolicy, HolidaySource, IcsCalendar, MAX_LISTED, MilestoneAt, Milestones,
    Occurrence, Recurrence, RecurrenceRule, Rotation, Schedule, Window, WindowState, Windows,
};
use serde::Serialize;

use super::Status;
use crate::args::{parse_date, parse_now};
use crate::clock;
use crate::output::Out;
use crate::{vocab_arg, warnings};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use std::path::PathBuf;

/// Arguments of `release calendar`.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// A process file (release.toml) with `[[schedules]]` tables.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// An RRULE (`FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`) or RFC 5545 text with a
    /// DTSTART line, for a schedule given on the command line.
    #[arg(long, value_name = "RRULE")]
    pub rule: Option<String>,
    /// The first date of `--rule` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// The local time of `--rule` (HH:MM).
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub time: Option<chrono::NaiveTime>,
    /// The IANA zone of `--rule` (Africa/Nairobi).
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// The name of `--rule`'s schedule.
    #[arg(long, default_value = "release")]
    pub name: String,
    /// Built-in holiday sets for `--rule` (us, england-wales, ke).
    #[arg(long = "holidays", value_name = "SET")]
    pub holidays: Vec<String>,
    /// What `--rule` does on a holiday (`shift` moves it by `--shift` days).
    #[arg(long, value_name = "POLICY", value_parser = vocab_arg::policy_names(), default_value = "skip")]
    pub policy: &'static str,
    /// With `--policy shift`: by how many days (negative: earlier), at
    /// most 31 either way.
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    pub shift: i32,
    /// The current time (RFC 3339), for reproducible answers.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// How many occurrences to list per schedule, at most 100000 (a larger
    /// count is refused).
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// Explain the occurrence scheduled on DATE instead of listing.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub explain: Option<NaiveDate>,
    /// Print the listed occurrences and milestones as an RFC 5545 calendar.
    #[arg(long, conflicts_with = "explain")]
    pub ics: bool,
    /// With --ics: the calendar's name.
    #[arg(long, value_name = "NAME")]
    pub calendar_name: Option<String>,
    /// With --ics: how long each event lasts, in minutes.
    #[arg(long, value_name = "MINUTES", default_value_t = 60)]
    pub duration: i64,
    /// What to print: `table` lists the occurrences; `mermaid` draws the
    /// next --count releases of the process FILE (milestones and planned
    /// steps) as a Mermaid Gantt chart.
    #[arg(long, value_enum, default_value = "table")]
    pub format: CalendarFormat,
}

/// What `release calendar` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CalendarFormat {
    /// The occurrences as a table (JSON with --json), or an ICS calendar
    /// with --ics.
    Table,
    /// A Mermaid Gantt chart of the next releases (Markdown on GitHub and
    /// GitLab renders it).
    Mermaid,
}

/// The JSON document of `release calendar --format mermaid --json`.
#[derive(Serialize)]
struct Chart<'a> {
    name: &'a str,
    format: &'a str,
    gantt: &'a str,
}

/// `release calendar FILE --format mermaid`: the core's Gantt chart of the
/// next `--count` releases of the process FILE.
fn mermaid(args: &CalendarArgs, out: &mut Out) -> Result<Status> {
    if args.ics {
        bail!(
            "--format mermaid draws a Gantt chart; --ics prints an ICS calendar: give one of them"
        );
    }
    if args.explain.is_some() {
        bail!(
            "--format mermaid draws the next releases; --explain explains one date: give one of them"
        );
    }
    let Some(path) = &args.file else {
        bail!(
            "--format mermaid charts the releases of a process FILE (its milestones and steps); give FILE, not --rule"
        );
    };
    if args.rule.is_some() {
        bail!("give a calendar FILE or --rule, not both");
    }
    let process = crate::process_file::load(path)?;
    let now = clock::now_or(args.now);
    let text = release_core::process::gantt(&process, now, args.count)
        .map_err(|e| anyhow::Error::from(e).context(crate::input::name(path).into_owned()))?;
    if out.is_json() {
        out.json(&Chart {
            name: process.name(),
            format: "mermaid",
            gantt: &text,
        })?;
    } else {
        out.raw(&text)?;
    }
    Ok(Status::Done)
}

fn parse_time(text: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| format!("invalid time {text:?}: expected HH:MM"))
}

/// The calendar part of a process file (`[[schedules]]`, `[[windows]]`,
/// `[[rotations]]`, `[milestones]`), or a schedule from the flags.
#[derive(Default)]
struct CalendarFile {
    /// The process's name, for the ICS summaries (none with `--rule`).
    process: Option<String>,
    /// The process's component, when it has exactly one: the component
    /// every schedule releases.
    component: Option<String>,
    schedule: Vec<Schedule>,
    window: Vec<Window>,
    rotation: Vec<Rotation>,
    milestones: BTreeMap<String, Milestones>,
}

/// One listed occurrence with who is on duty and its milestones.
#[derive(Serialize)]
struct Entry {
    #[serde(flatten)]
    occurrence: Occurrence,
    on_duty: Vec<Duty>,
    milestones: Vec<MilestoneAt>,
}

/// The JSON document of a listing, its occurrences written as they are
/// made.
#[derive(Serialize)]
#[serde(bound = "I: Iterator<Item = Result<Entry>>")]
struct Listing<'a, I: Iterator<Item = Result<Entry>>> {
    now: chrono::DateTime<chrono::Utc>,
    windows: Option<&'a WindowState>,
    occurrences: Streamed<I>,
}

/// A JSON array written from an iterator as it yields; its first error
/// stops the document and is kept for the caller.
struct Streamed<I> {
    items: RefCell<Option<I>>,
    error: RefCell<Option<anyhow::Error>>,
}

impl<I: Iterator<Item = Result<Entry>>> Serialize for Streamed<I> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error as _, SerializeSeq};
        let items = self.items.borrow_mut().take().into_iter().flatten();
        let mut seq = serializer.serialize_seq(None)?;
        for item in items {
            match item {
                Ok(entry) => seq.serialize_element(&entry)?,
                Err(e) => {
                    let message = format!("{e:#}");
                    *self.error.borrow_mut() = Some(e);
                    return Err(S::Error::custom(message));
                }
            }
        }
        seq.end()
    }
}

/// How many rows of the table set its column widths: the rows after them
/// are printed as they come, in those widths (a longer cell pushes its
/// line out), so that a long listing is not held in memory.
const TABLE_HEAD: usize = 1000;

/// Runs `release calendar`.
///
/// # Errors
///
/// Unreadable or invalid files, invalid rules, zones or holiday sets; a
/// `--count` above [`MAX_LISTED`].
pub fn run(args: CalendarArgs, out: &mut Out) -> Result<Status> {
    if args.count > MAX_LISTED {
        bail!(
            "--count {} is more than the {MAX_LISTED} occurrences a listing may hold per schedule; ask for fewer (a later --now lists later ones)",
            args.count
        );
    }
    if args.format == CalendarFormat::Mermaid {
        return mermaid(&args, out);
    }
    let file = calendar_file(&args)?;
    let now = clock::now_or(args.now);
    if let Some(date) = args.explain {
        let explained: Vec<_> = file.schedule.iter().map(|s| s.explain(date)).collect();
        if out.is_json() {
            out.json(&explained)?;
        } else {
            for e in &explained {
                for reason in &e.reasons {
                    out.line(reason)?;
                }
                match &e.occurrence {
                    Some(o) => out.line(format!("=> {}", line(o)))?,
                    None if e.scheduled => out.line("=> no occurrence")?,
                    None => {}
                }
            }
        }
        return Ok(Status::Done);
    }
    let entries = entries(&file, now, args.count);
    if args.ics {
        let mut calendar = IcsCalendar::new(
            args.calendar_name
                .as_deref()
                .or(file.process.as_deref())
                .unwrap_or("releases"),
        );
        if let Some(process) = &file.process {
            calendar = calendar.with_process(process);
        }
        if let Some(component) = &file.component {
            for s in &file.schedule {
                calendar = calendar.with_component(s.name(), component);
            }
        }
        let duration = Duration::minutes(args.duration);
        for entry in entries {
            let (i, e) = entry?;
            let schedule = &file.schedule[i];
            calendar.add_occurrences(schedule, std::slice::from_ref(&e.occurrence), duration)?;
            calendar.add_milestones(schedule, &e.occurrence, &e.milestones, duration)?;
        }
        out.raw(&calendar.to_ics(now))?;
        return Ok(Status::Done);
    }
    let windows = if file.window.is_empty() {
        None
    } else {
        Some(Windows::new(file.window.clone())?.state_at(now))
    };
    let entries = entries.map(|r| r.map(|(_, e)| e));
    if out.is_json() {
        let listing = Listing {
            now,
            windows: windows.as_ref(),
            occurrences: Streamed {
                items: RefCell::new(Some(entries)),
                error: RefCell::new(None),
            },
        };
        let mut stdout = BufWriter::new(io::stdout().lock());
        let written = serde_json::to_writer_pretty(&mut stdout, &listing);
        if let Some(e) = listing.occurrences.error.take() {
            return Err(e);
        }
        written.map_err(json_error)?;
        writeln!(stdout)?;
        stdout.flush()?;
        return Ok(Status::Done);
    }
    if let Some(state) = &windows {
        out.line(format!("windows: {state}"))?;
    }
    let mut stdout = BufWriter::new(io::stdout().lock());
    let labelled = file
        .schedule
        .iter()
        .any(|s| s.dates().iter().any(|e| e.label.is_some()));
    let mut table = Table::new(!file.rotation.is_empty(), labelled);
    let mut milestones: Vec<MilestoneAt> = Vec::new();
    for entry in entries {
        let entry = entry?;
        milestones.extend(entry.milestones.iter().cloned());
        table.row(&entry, &mut stdout)?;
    }
    if table.rows == 0 {
        drop(stdout);
        out.note("no upcoming occurrences");
        return Ok(Status::Done);
    }
    table.finish(&mut stdout)?;
    if !milestones.is_empty() {
        writeln!(stdout)?;
        for m in milestones {
            let notes: String = m.notes.iter().map(|n| format!(" ({n})")).collect();
            writeln!(
                stdout,
                "{}  {}{notes}",
                m.local.format("%a %Y-%m-%d %H:%M"),
                m.explanation
            )?;
        }
    }
    stdout.flush()?;
    Ok(Status::Done)
}

/// A serde_json failure: the I/O error it wraps (a closed pipe is then
/// recognised), else itself.
fn json_error(e: serde_json::Error) -> anyhow::Error {
    if e.is_io() {
        io::Error::from(e).into()
    } else {
        e.into()
    }
}

/// The next `count` occurrences of every schedule after `now`, merged in
/// order of instant (ties: the file's order of schedules), each with its
/// schedule's position, who is on duty and its milestones; made one at a
/// time.
fn entries<'a>(
    file: &'a CalendarFile,
    now: chrono::DateTime<chrono::Utc>,
    count: usize,
) -> impl Iterator<Item = Result<(usize, Entry)>> + 'a {
    let mut heads: Vec<_> = file
        .schedule
        .iter()
        .map(|s| {
            s.occurrences()
                .skip_while(move |o| o.at <= now)
                .take(count)
                .peekable()
        })
        .collect();
    std::iter::from_fn(move || {
        let i = heads
            .iter_mut()
            .enumerate()
            .filter_map(|(i, h)| h.peek().map(|o| (o.at, i)))
            .min()?
            .1;
        let o = heads[i].next()?;
        Some(entry(file, i, o).map(|e| (i, e)))
    })
}

fn entry(file: &CalendarFile, i: usize, o: Occurrence) -> Result<Entry> {
    let schedule = &file.schedule[i];
    let on_duty = file
        .rotation
        .iter()
        .map(|r| r.for_occurrence(schedule, &o))
        .collect::<release_core::Result<Vec<_>>>()?;
    let milestones = match file.milestones.get(schedule.name()) {
        Some(m) => m.resolve_among(schedule, &o, &file.schedule)?,
        None => Vec::new(),
    };
    Ok(Entry {
        occurrence: o,
        on_duty,
        milestones,
    })
}

/// The listing's table, printed as rows come: the first [`TABLE_HEAD`]
/// rows are held to size the columns (each padded to its widest cell, the
/// last, free notes, not padded), later ones printed at once.
///
/// The LABEL column (what ships: a version from a dates table) is shown
/// when an occurrence listed has a label: one of the held rows, or, for a
/// listing longer than those, when a schedule's dates table has labels.
struct Table {
    duty: bool,
    /// Whether a schedule's dates table has labels.
    labelled: bool,
    /// Whether the LABEL column (at [`LABEL`]) is shown; decided when the
    /// held rows are flushed.
    label: bool,
    header: Vec<String>,
    held: Vec<Vec<String>>,
    widths: Option<Vec<usize>>,
    rows: usize,
}

impl Table {
    fn new(duty: bool, labelled: bool) -> Table {
        let mut header: Vec<String> = ["SCHEDULE", "LOCAL", "ZONE", "UTC", "LABEL"]
            .map(str::to_owned)
            .to_vec();
        if duty {
            header.push("ON DUTY".to_owned());
        }
        header.push("NOTES".to_owned());
        Table {
            duty,
            labelled,
            label: true,
            header,
            held: Vec::new(),
            widths: None,
            rows: 0,
        }
    }

    fn row(&mut self, e: &Entry, w: &mut impl Write) -> Result<()> {
        let o = &e.occurrence;
        let mut row = vec![
            o.schedule.clone(),
            o.local.format("%a %Y-%m-%d %H:%M").to_string(),
            o.zone.name().to_owned(),
            o.at.format("%Y-%m-%dT%H:%MZ").to_string(),
            o.label.clone().unwrap_or_default(),
        ];
        if self.duty {
            row.push(
                e.on_duty
                    .iter()
                    .map(|d| d.person.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            );
        }
        row.push(o.notes.join("; "));
        self.rows += 1;
        match &self.widths {
            Some(widths) => {
                if !self.label {
                    row.remove(LABEL);
                }
                print_row(&row, widths, w)
            }
            None => {
                self.held.push(row);
                if self.held.len() >= TABLE_HEAD {
                    self.flush(w)?;
                }
                Ok(())
            }
        }
    }

    /// Sizes the columns by the rows held and prints them, the header
    /// first.
    fn flush(&mut self, w: &mut impl Write) -> Result<()> {
        self.label = self.held.iter().any(|r| !r[LABEL].is_empty())
            || (self.held.len() >= TABLE_HEAD && self.labelled);
        if !self.label {
            self.header.remove(LABEL);
            for row in &mut self.held {
                row.remove(LABEL);
            }
        }
        let columns = self.header.len().saturating_sub(1);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.held
                    .iter()
                    .chain([&self.header])
                    .map(|r| r.get(c).map_or(0, |cell| cell.chars().count()))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        print_row(&self.header, &widths, w)?;
        for row in std::mem::take(&mut self.held) {
            print_row(&row, &widths, w)?;
        }
        self.widths = Some(widths);
        Ok(())
    }

    fn finish(&mut self, w: &mut impl Write) -> Result<()> {
        if self.widths.is_none() {
            self.flush(w)?;
        }
        Ok(())
    }
}

/// The position of the LABEL column in a row.
const LABEL: usize = 4;

fn print_row(row: &[String], widths: &[usize], w: &mut impl Write) -> Result<()> {
    let mut text = String::new();
    for (c, cell) in row.iter().enumerate() {
        match widths.get(c) {
            Some(width) => text.push_str(&format!("{cell:<width$}  ")),
            None => text.push_str(cell),
        }
    }
    writeln!(w, "{}", text.trim_end())?;
    Ok(())
}

fn line(o: &Occurrence) -> String {
    let label = o
        .label
        .as_deref()
        .map_or_else(String::new, |l| format!(" {l}"));
    format!(
        "{}{label} {} ({}), {}",
        o.schedule,
        o.local.format("%a %Y-%m-%d %H:%M"),
        o.zone,
        o.at.format("%Y-%m-%dT%H:%MZ")
    )
}

fn calendar_file(args: &CalendarArgs) -> Result<CalendarFile> {
    match (&args.file, &args.rule) {
        (Some(_), Some(_)) => bail!("give a calendar FILE or --rule, not both"),
        (None, None) => bail!("give a calendar FILE, or --rule with --start, --time and --zone"),
        (Some(path), None) => read_file(path),
        (None, Some(rule)) => Ok(CalendarFile {
            schedule: vec![from_flags(args, rule)?],
            ..CalendarFile::default()
        }),
    }
}

fn read_file(path: &Path) -> Result<CalendarFile> {
    let process = crate::process_file::load(path)?;
    let def = process.def();
    if def.schedules.is_empty() {
        bail!("{}: no [[schedules]] tables", crate::input::name(path));
    }
    Ok(CalendarFile {
        process: Some(def.name.clone()),
        component: match def.components.as_slice() {
            [one] => Some(one.name.clone()),
            _ => None,
        },
        schedule: def.schedules.clone(),
        window: def.windows.clone(),
        rotation: def.rotations.clone(),
        milestones: def.milestones.clone(),
    })
}

fn from_flags(args: &CalendarArgs, rule: &str) -> Result<Schedule> {
    let schedule = if rule.to_ascii_uppercase().contains("DTSTART") {
        let zone = args.zone.as_deref().map(str::parse).transpose()?;
        Schedule::from_rrule(&args.name, rule, zone)?
    } else {
        let (Some(start), Some(time), Some(zone)) = (args.start, args.time, &args.zone) else {
            bail!("--rule needs --start, --time and --zone (or a DTSTART line in the rule)");
        };
        let rule: RecurrenceRule = rule.parse()?;
        Schedule::new(
            &args.name,
            Recurrence::new(start, rule)?,
            time,
            zone.parse()?,
        )?
    };
    let policy =
        HolidayPolicy::from_parts(args.policy, (args.policy == "shift").then_some(args.shift))?;
    warnings::report(policy.warnings);
    let policy = policy.value;
    if args.holidays.is_empty() {
        return Ok(schedule);
    }
    let sets = args
        .holidays
        .iter()
        .cloned()
        .map(HolidaySource::Builtin)
        .collect();
    Ok(schedule.with_holidays(sets, policy)?)
}
