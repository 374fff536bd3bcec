//! `release calendar`: upcoming occurrences of schedules, or the
//! explanation of one.

use std::path::Path;

use anyhow::{Context, Result, bail};
use release_core::calendar::{
    HolidayPolicy, HolidaySource, Occurrence, Recurrence, Rule, Schedule,
};
use serde::Deserialize;

use super::Status;
use crate::cli::{CalendarArgs, PolicyArg};
use crate::clock;
use crate::output::Out;

/// A schedule file: `[[schedule]]` tables.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleFile {
    schedule: Vec<Schedule>,
}

/// Runs `release calendar`.
///
/// # Errors
///
/// Unreadable or invalid files, invalid rules, zones or holiday sets.
pub fn run(args: CalendarArgs, out: &mut Out) -> Result<Status> {
    let schedules = schedules(&args)?;
    let now = clock::now_or(args.now);
    if let Some(date) = args.explain {
        let explained: Vec<_> = schedules.iter().map(|s| s.explain(date)).collect();
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
    let mut all: Vec<Occurrence> = schedules
        .iter()
        .flat_map(|s| s.upcoming(now, args.count))
        .collect();
    all.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.schedule.cmp(&b.schedule)));
    if out.is_json() {
        out.json(&all)?;
        return Ok(Status::Done);
    }
    if all.is_empty() {
        out.note("no upcoming occurrences");
        return Ok(Status::Done);
    }
    let rows: Vec<[String; 5]> = all
        .iter()
        .map(|o| {
            [
                o.schedule.clone(),
                o.local.format("%a %Y-%m-%d %H:%M").to_string(),
                o.zone.name().to_owned(),
                o.at.format("%Y-%m-%dT%H:%MZ").to_string(),
                o.notes.join("; "),
            ]
        })
        .collect();
    let header = ["SCHEDULE", "LOCAL", "ZONE", "UTC", "NOTES"].map(str::to_owned);
    let widths: Vec<usize> = (0..4)
        .map(|c| {
            rows.iter()
                .chain([&header])
                .map(|r| r[c].len())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in [&header].into_iter().chain(&rows) {
        let text = format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3]
        );
        out.line(text.trim_end())?;
    }
    Ok(Status::Done)
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

fn schedules(args: &CalendarArgs) -> Result<Vec<Schedule>> {
    match (&args.file, &args.rule) {
        (Some(_), Some(_)) => bail!("give a schedule FILE or --rule, not both"),
        (None, None) => bail!("give a schedule FILE, or --rule with --start, --time and --zone"),
        (Some(path), None) => read_file(path),
        (None, Some(rule)) => Ok(vec![from_flags(args, rule)?]),
    }
}

fn read_file(path: &Path) -> Result<Vec<Schedule>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let file: ScheduleFile = toml::from_str(&text).map_err(|e| {
        // toml's message carries the line, column and a caret excerpt.
        anyhow::anyhow!(
            "invalid schedule file {}: {}",
            path.display(),
            e.to_string().trim_end()
        )
    })?;
    if file.schedule.is_empty() {
        bail!("{}: no [[schedule]] tables", path.display());
    }
    Ok(file.schedule)
}

fn from_flags(args: &CalendarArgs, rule: &str) -> Result<Schedule> {
    let schedule = if rule.to_ascii_uppercase().contains("DTSTART") {
        let zone = args.zone.as_deref().map(str::parse).transpose()?;
        Schedule::from_rrule(&args.name, rule, zone)?
    } else {
        let (Some(start), Some(time), Some(zone)) = (args.start, args.time, &args.zone) else {
            bail!("--rule needs --start, --time and --zone (or a DTSTART line in the rule)");
        };
        let rule: Rule = rule.parse()?;
        Schedule::new(
            &args.name,
            Recurrence::new(start, rule)?,
            time,
            zone.parse()?,
        )?
    };
    let policy = match args.policy {
        PolicyArg::Skip => HolidayPolicy::Skip,
        PolicyArg::PreviousWorkingDay => HolidayPolicy::PreviousWorkingDay,
        PolicyArg::NextWorkingDay => HolidayPolicy::NextWorkingDay,
        PolicyArg::Shift => HolidayPolicy::Shift(args.shift),
        PolicyArg::Keep => HolidayPolicy::Keep,
    };
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
