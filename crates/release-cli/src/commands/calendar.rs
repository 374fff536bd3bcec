//! `release calendar`: upcoming occurrences of schedules, or the
//! explanation of one.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, bail};
use chrono::Duration;
use release_core::calendar::{
    Duty, HolidayPolicy, HolidaySource, IcsCalendar, MilestoneAt, Milestones, Occurrence,
    Recurrence, RecurrenceRule, Rotation, Schedule, Window, WindowState, Windows,
};
use serde::Serialize;

use super::Status;
use crate::args::{parse_date, parse_now};
use crate::clock;
use crate::output::Out;
use crate::{vocab_arg, warnings};
use chrono::NaiveDate;
use clap::Args;
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
    /// With `--policy shift`: by how many days (negative: earlier).
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
    /// How many occurrences to list per schedule.
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

/// The JSON document of a listing.
#[derive(Serialize)]
struct Listing<'a> {
    now: chrono::DateTime<chrono::Utc>,
    windows: Option<&'a WindowState>,
    occurrences: &'a [Entry],
}

/// Runs `release calendar`.
///
/// # Errors
///
/// Unreadable or invalid files, invalid rules, zones or holiday sets.
pub fn run(args: CalendarArgs, out: &mut Out) -> Result<Status> {
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
    let mut entries: Vec<(usize, Entry)> = Vec::new();
    for (i, schedule) in file.schedule.iter().enumerate() {
        for o in schedule.upcoming(now, args.count) {
            let on_duty = file
                .rotation
                .iter()
                .map(|r| r.for_occurrence(schedule, &o))
                .collect::<release_core::Result<Vec<_>>>()?;
            let milestones = match file.milestones.get(schedule.name()) {
                Some(m) => m.resolve(schedule, &o)?,
                None => Vec::new(),
            };
            entries.push((
                i,
                Entry {
                    occurrence: o,
                    on_duty,
                    milestones,
                },
            ));
        }
    }
    entries.sort_by(|a, b| {
        a.1.occurrence
            .at
            .cmp(&b.1.occurrence.at)
            .then(a.0.cmp(&b.0))
    });
    if args.ics {
        let mut calendar = IcsCalendar::new(args.calendar_name.as_deref().unwrap_or("releases"));
        let duration = Duration::minutes(args.duration);
        for (i, e) in &entries {
            let schedule = &file.schedule[*i];
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
    let entries: Vec<Entry> = entries.into_iter().map(|(_, e)| e).collect();
    if out.is_json() {
        out.json(&Listing {
            now,
            windows: windows.as_ref(),
            occurrences: &entries,
        })?;
        return Ok(Status::Done);
    }
    if let Some(state) = &windows {
        out.line(format!("windows: {state}"))?;
    }
    if entries.is_empty() {
        out.note("no upcoming occurrences");
        return Ok(Status::Done);
    }
    print_table(&entries, !file.rotation.is_empty(), out)?;
    let milestones: Vec<&MilestoneAt> = entries.iter().flat_map(|e| &e.milestones).collect();
    if !milestones.is_empty() {
        out.line("")?;
        for m in milestones {
            out.line(format!(
                "{}  {}",
                m.local.format("%a %Y-%m-%d %H:%M"),
                m.explanation
            ))?;
        }
    }
    Ok(Status::Done)
}

fn print_table(entries: &[Entry], duty: bool, out: &mut Out) -> Result<()> {
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let o = &e.occurrence;
            let mut row = vec![
                o.schedule.clone(),
                o.local.format("%a %Y-%m-%d %H:%M").to_string(),
                o.zone.name().to_owned(),
                o.at.format("%Y-%m-%dT%H:%MZ").to_string(),
            ];
            if duty {
                row.push(
                    e.on_duty
                        .iter()
                        .map(|d| d.person.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                );
            }
            row.push(o.notes.join("; "));
            row
        })
        .collect();
    let mut header: Vec<String> = ["SCHEDULE", "LOCAL", "ZONE", "UTC"]
        .map(str::to_owned)
        .to_vec();
    if duty {
        header.push("ON DUTY".to_owned());
    }
    header.push("NOTES".to_owned());
    out.table(&header, &rows)
}

fn line(o: &Occurrence) -> String {
    format!(
        "{} {} ({}), {}",
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
        bail!("{}: no [[schedules]] tables", path.display());
    }
    Ok(CalendarFile {
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
