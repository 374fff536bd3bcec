//! The next releases of a process as a Mermaid `gantt` chart (GitHub and
//! GitLab render it in Markdown): one section per release, its milestones
//! and the release as milestones, each planned step as a bar.
//!
//! Mermaid's Gantt grammar is line-based and picky: a task's name ends at
//! the first `:`, `#` and `;` end its data, `%` starts a comment, and a
//! name that begins with a keyword (`title`, `section`, `click`, a date)
//! is read as that keyword. Every name written here goes through [`text`],
//! which replaces what the grammar would misread, and every id is made
//! here of `[A-Za-z0-9_]`, unique in the chart.

use std::fmt::Write;

use chrono::{DateTime, NaiveDateTime, Utc};

use super::model::{Process, release_schedule_name};
use super::plan::{Plan, PlannedStep};
use crate::calendar::Zone;
use crate::gate::Facts;
use crate::run::TaskState;
use crate::{Error, Result};

/// The most releases one chart holds ([`gantt`] refuses more).
pub const GANTT_MAX_RELEASES: usize = 1000;

/// The longest name (in characters) a chart shows; longer ones are cut
/// with `…`.
const MAX_NAME: usize = 60;

/// The chart's `dateFormat`, and the same in chrono's words.
const MERMAID_DATE_FORMAT: &str = "YYYY-MM-DD HH:mm";
const CHRONO_DATE_FORMAT: &str = "%Y-%m-%d %H:%M";

/// The Mermaid `gantt` text of the next `count` releases of `process` at
/// or after `now`, each planned with nothing known yet (no facts, no
/// journal).
///
/// Each release is a `section`, titled with its schedule and date; in it,
/// in order of time, the release day's milestones and the release itself
/// as Mermaid milestones, and every planned step as a bar from its
/// earliest start to its latest finish (a step of no duration as a
/// milestone). A step that cannot make its deadline (`due`), or can never
/// start, is marked `crit` and says so in its name; a step already done,
/// `done`; a running one, `active`. Times are local wall-clock times in
/// the release schedule's zone, which the title names.
///
/// With `release_day`, the releases are its schedule's next `count`
/// occurrences, each planned from its own instant (so that it is the plan's
/// release day). Without it, a release is the slot the last scheduled
/// environment's deploy takes, as [`Process::plan`] says: each release is
/// then planned from the previous occurrence of that schedule (the first
/// from `now`), so its steps wait for their environments' slots in turn,
/// and a release the plans reach twice is charted once.
///
/// # Errors
///
/// An [invalid error](crate::ErrorKind::Invalid) for a process without
/// schedules (it has no release days), or a `count` above
/// [`GANTT_MAX_RELEASES`]; the errors of [`Process::plan`].
///
/// # Example
///
/// ```
/// use release_core::process::{Process, gantt};
///
/// let process = Process::from_toml("release.toml", r#"
/// name = "demo"
/// release_day = "weekly"
/// [[schedules]]
/// name = "weekly"
/// time = "10:00:00"
/// zone = "Europe/Berlin"
/// recurrence = { start = "2026-01-06", rule = { frequency = "weekly", by_day = ["TU"] } }
/// [milestones]
/// weekly = [{ name = "code freeze", offset = -1, unit = "days" }]
/// [[steps]]
/// id = "tag: v1"
/// kind = "tag"
/// estimate = "15m"
/// "#)?;
/// let now = "2026-01-01T00:00:00Z".parse()?;
/// let text = gantt(&process, now, 1)?;
/// assert_eq!(text, "\
/// gantt
///   title Next releases of demo (times in Europe/Berlin)
///   dateFormat YYYY-MM-DD HH:mm
///   section weekly Tue 2026-01-06
///   code freeze :milestone, r1_m1, 2026-01-05 10:00, 0d
///   release weekly :milestone, r1_release, 2026-01-06 10:00, 0d
///   tag∶ v1 :r1_s1, 2026-01-06 10:00, 2026-01-06 10:15
/// ");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn gantt(process: &Process, now: DateTime<Utc>, count: usize) -> Result<String> {
    if count > GANTT_MAX_RELEASES {
        return Err(Error::invalid(format!(
            "a chart holds at most {GANTT_MAX_RELEASES} releases; {count} asked for"
        )));
    }
    let Some(schedule) = release_schedule_name(process.def()).and_then(|n| process.schedule(n))
    else {
        return Err(Error::invalid(format!(
            "process {:?} has no schedule, so it has no release days to chart: add a [[schedules]] table (and `release_day` naming it)",
            process.name()
        )));
    };
    let by_release_day = process.def().release_day.is_some();
    let facts = Facts::new();
    let mut plans: Vec<Plan> = Vec::with_capacity(count);
    let mut previous: Option<DateTime<Utc>> = None;
    // Plans that reach a release already charted take an occurrence each;
    // bounded, so that a pipeline longer than the schedule's interval
    // still ends.
    let tries = count.saturating_mul(3).saturating_add(3);
    for occurrence in schedule
        .occurrences()
        .skip_while(|o| o.at < now)
        .take(tries)
    {
        if plans.len() >= count {
            break;
        }
        // With a release day, each release is planned from the day after
        // the one before (from `now` for the first), so that steps placed
        // on the calendar months ahead (a freeze before a final) are drawn
        // where they fall, not at the release.
        let from = if by_release_day {
            previous
                .and_then(|p| {
                    let next_day = schedule.zone().local(p).date().succ_opt()?;
                    Some(schedule.zone().resolve(next_day.and_hms_opt(0, 0, 0)?).0)
                })
                .unwrap_or(now)
                .clamp(now, occurrence.at.max(now))
        } else {
            previous.unwrap_or(now).max(now)
        };
        previous = Some(occurrence.at);
        let mut plan = process.plan_steps(from, &facts, &[], None)?;
        if by_release_day
            && plan
                .release
                .as_ref()
                .is_none_or(|r| r.occurrence.at != occurrence.at)
        {
            plan = process.plan_steps(occurrence.at, &facts, &[], None)?;
        }
        if !by_release_day
            && plan
                .release
                .as_ref()
                .is_none_or(|r| r.occurrence.at < occurrence.at)
        {
            // No deploy takes a slot of the schedule (or the one it takes
            // is behind this occurrence): the release is the occurrence.
            plan = process.plan_steps(occurrence.at, &facts, &[], None)?;
        }
        let Some(release) = &plan.release else {
            continue;
        };
        let charted = plans
            .last()
            .and_then(|p| p.release.as_ref())
            .is_some_and(|last| release.occurrence.at <= last.occurrence.at);
        if !charted {
            plans.push(plan);
        }
    }
    Ok(render(process.name(), schedule.zone(), &plans))
}

/// One line of a section: a milestone or a bar, placed by its start.
struct Item {
    name: String,
    tags: Vec<&'static str>,
    id: String,
    start: DateTime<Utc>,
    /// `None` for a milestone.
    end: Option<DateTime<Utc>>,
}

/// The chart of `plans` (each with a release), local times in `zone`.
fn render(process: &str, zone: Zone, plans: &[Plan]) -> String {
    let mut out = String::from("gantt\n");
    let _ = writeln!(
        out,
        "  title {}",
        text(&format!(
            "Next releases of {process} (times in {})",
            zone.name()
        ))
    );
    let _ = writeln!(out, "  dateFormat {MERMAID_DATE_FORMAT}");
    for (k, plan) in plans.iter().enumerate() {
        let Some(release) = &plan.release else {
            continue;
        };
        let o = &release.occurrence;
        let r = k + 1;
        let _ = writeln!(
            out,
            "  section {}",
            text(&match &o.label {
                Some(label) => format!("{} {label} {}", o.schedule, o.date.format("%a %Y-%m-%d")),
                None => format!("{} {}", o.schedule, o.date.format("%a %Y-%m-%d")),
            })
        );
        let mut items: Vec<Item> = Vec::new();
        for (j, m) in release.milestones.iter().enumerate() {
            items.push(Item {
                name: m.name.clone(),
                tags: vec!["milestone"],
                id: format!("r{r}_m{}", j + 1),
                start: m.at,
                end: None,
            });
        }
        items.push(Item {
            name: match &o.label {
                Some(label) => format!("release {label}"),
                None => format!("release {}", o.schedule),
            },
            tags: vec!["milestone"],
            id: format!("r{r}_release"),
            start: o.at,
            end: None,
        });
        for (j, step) in plan.steps.iter().enumerate() {
            items.push(step_item(step, format!("r{r}_s{}", j + 1), o.at));
        }
        // In order of time; milestones and steps that start together keep
        // the order above (milestones, the release, the plan's order).
        items.sort_by_key(|i| i.start);
        for item in items {
            let start = zone.local(item.start);
            let mut data: Vec<String> = item.tags.iter().map(|t| (*t).to_owned()).collect();
            data.push(item.id);
            data.push(date(start));
            match item.end {
                Some(end) => data.push(date(zone.local(end).max(start))),
                None => {
                    if !data.iter().any(|d| d == "milestone") {
                        data.insert(0, "milestone".to_owned());
                    }
                    data.push("0d".to_owned());
                }
            }
            let _ = writeln!(out, "  {} :{}", text(&item.name), data.join(", "));
        }
    }
    out
}

/// A planned step as a bar (a milestone when it takes no time; at the
/// release when it can never start).
fn step_item(step: &PlannedStep, id: String, release: DateTime<Utc>) -> Item {
    let mut tags = Vec::new();
    let mut name = step.id.clone();
    if step.never {
        name.push_str(" (can never start)");
    } else if let Some(late) = step.misses_by {
        let _ = write!(name, " (misses its deadline by {late})");
    }
    if step.never || step.misses_by.is_some() {
        tags.push("crit");
    }
    match step.state {
        TaskState::Succeeded | TaskState::Skipped | TaskState::Waived => tags.push("done"),
        TaskState::Running => tags.push("active"),
        _ => {}
    }
    if step.never {
        tags.push("milestone");
        return Item {
            name,
            tags,
            id,
            start: release,
            end: None,
        };
    }
    let end = (step.finish > step.start).then_some(step.finish);
    if end.is_none() {
        tags.push("milestone");
    }
    Item {
        name,
        tags,
        id,
        start: step.start,
        end,
    }
}

fn date(local: NaiveDateTime) -> String {
    local.format(CHRONO_DATE_FORMAT).to_string()
}

/// Words that begin a line of Mermaid's Gantt grammar other than a task
/// (case-insensitive): a name starting with one of them, then a space or
/// the end, gets a `· ` in front.
const KEYWORDS: &[&str] = &[
    "gantt",
    "dateformat",
    "inclusiveenddates",
    "topaxis",
    "axisformat",
    "tickinterval",
    "includes",
    "excludes",
    "todaymarker",
    "weekday",
    "weekend",
    "title",
    "accdescription",
    "section",
    "click",
    "href",
    "call",
];

/// `name` as a name, section or title the Gantt grammar reads back as
/// written: `:`, `;`, `#` and `%` replaced by look-alikes (`∶ ； ＃ ％`),
/// control characters and line breaks by spaces, runs of spaces by one,
/// cut to [`MAX_NAME`] characters, never empty, and never starting like
/// a keyword, a date or a directive.
fn text(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = match c {
            ':' => '∶',
            ';' => '；',
            '#' => '＃',
            '%' => '％',
            c if c.is_control() || c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    if out.chars().count() > MAX_NAME {
        out = out.chars().take(MAX_NAME - 1).collect::<String>();
        out = out.trim_end().to_owned();
        out.push('…');
    }
    if out.is_empty() {
        return "(unnamed)".to_owned();
    }
    if misread(&out) {
        out.insert_str(0, "· ");
    }
    out
}

/// Whether the grammar would read a line starting with `name` as something
/// other than a task's name.
fn misread(name: &str) -> bool {
    let lower = name.to_lowercase();
    let word_end = |rest: &str| {
        rest.chars()
            .next()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_'))
    };
    let keyword = KEYWORDS.iter().any(|k| {
        lower
            .strip_prefix(k)
            .is_some_and(|rest| word_end(rest) || rest.starts_with(char::is_whitespace))
    });
    let bytes = name.as_bytes();
    let iso_date = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    keyword
        || iso_date
        || lower.starts_with("acctitle")
        || lower.starts_with("accdescr")
        || name.starts_with(['"', '(', ')', '{', '}', '-', ','])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run::{Event, EventKind};
    use insta::assert_snapshot;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn process(text: &str) -> Process {
        Process::from_toml("release.toml", text).unwrap()
    }

    const WEEKLY: &str = r#"
name = "demo"
release_day = "weekly"
[[schedules]]
name = "weekly"
time = "10:00:00"
zone = "America/New_York"
holidays = ["us"]
policy = "next_working_day"
recurrence = { start = "2026-01-06", rule = { frequency = "weekly", by_day = ["TU"] } }
[milestones]
weekly = [
  { name = "code freeze", offset = -1, unit = "working_days" },
  { name = "notes", offset = 1, unit = "hours" },
]
[[steps]]
id = "freeze"
kind = "test"
estimate = "30m"
not_before = { milestone = "code freeze" }
[[steps]]
id = "tag"
kind = "tag"
needs = ["freeze"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["tag"]
estimate = "2h..3h"
due = { milestone = "code freeze", offset = "+2 hours" }
"#;

    #[test]
    fn weekly_releases_with_milestones_steps_and_a_missed_deadline() {
        // 2026-01-19 is Martin Luther King Jr. Day: the code freeze of
        // 2026-01-20, one working day before, is on Friday 2026-01-16.
        let text = gantt(&process(WEEKLY), at("2026-01-01T00:00:00Z"), 3).unwrap();
        assert_snapshot!(text, @r#"
gantt
  title Next releases of demo (times in America/New_York)
  dateFormat YYYY-MM-DD HH:mm
  section weekly Tue 2026-01-06
  code freeze :milestone, r1_m1, 2026-01-05 10:00, 0d
  freeze :r1_s1, 2026-01-05 10:00, 2026-01-05 10:30
  tag :milestone, r1_s2, 2026-01-05 10:30, 0d
  deploy (misses its deadline by 30m) :crit, r1_s3, 2026-01-05 10:30, 2026-01-05 13:30
  release weekly :milestone, r1_release, 2026-01-06 10:00, 0d
  notes :milestone, r1_m2, 2026-01-06 11:00, 0d
  section weekly Tue 2026-01-13
  code freeze :milestone, r2_m1, 2026-01-12 10:00, 0d
  freeze :r2_s1, 2026-01-12 10:00, 2026-01-12 10:30
  tag :milestone, r2_s2, 2026-01-12 10:30, 0d
  deploy (misses its deadline by 30m) :crit, r2_s3, 2026-01-12 10:30, 2026-01-12 13:30
  release weekly :milestone, r2_release, 2026-01-13 10:00, 0d
  notes :milestone, r2_m2, 2026-01-13 11:00, 0d
  section weekly Tue 2026-01-20
  code freeze :milestone, r3_m1, 2026-01-16 10:00, 0d
  freeze :r3_s1, 2026-01-16 10:00, 2026-01-16 10:30
  tag :milestone, r3_s2, 2026-01-16 10:30, 0d
  deploy (misses its deadline by 30m) :crit, r3_s3, 2026-01-16 10:30, 2026-01-16 13:30
  release weekly :milestone, r3_release, 2026-01-20 10:00, 0d
  notes :milestone, r3_m2, 2026-01-20 11:00, 0d
"#);
    }

    #[test]
    fn done_and_running_steps() {
        let process = process(WEEKLY);
        let now = at("2026-01-06T15:40:00Z");
        let journal = [
            Event::new(at("2026-01-06T15:00:00Z"), EventKind::started("freeze")),
            Event::new(
                at("2026-01-06T15:20:00Z"),
                EventKind::Succeeded {
                    task: "freeze".to_owned(),
                    message: None,
                },
            ),
            Event::new(at("2026-01-06T15:25:00Z"), EventKind::started("tag")),
        ];
        let plan = process.plan(now, &Facts::new(), &journal).unwrap();
        let zone = process.schedule("weekly").unwrap().zone();
        assert_snapshot!(render(process.name(), zone, &[plan]), @r#"
gantt
  title Next releases of demo (times in America/New_York)
  dateFormat YYYY-MM-DD HH:mm
  section weekly Tue 2026-01-06
  code freeze :milestone, r1_m1, 2026-01-05 10:00, 0d
  release weekly :milestone, r1_release, 2026-01-06 10:00, 0d
  freeze :done, r1_s1, 2026-01-06 10:00, 2026-01-06 10:20
  tag :active, milestone, r1_s2, 2026-01-06 10:40, 0d
  deploy (misses its deadline by 1d40m) :crit, r1_s3, 2026-01-06 10:40, 2026-01-06 13:40
  notes :milestone, r1_m2, 2026-01-06 11:00, 0d
"#);
    }

    /// Without `release_day`, the release is the production slot the
    /// deploy takes; each release is planned from the previous one, so the
    /// steps wait for the dev and staging slots before it.
    #[test]
    fn releases_by_the_slots_of_the_last_scheduled_environment() {
        let text = r#"
name = "slots"
[[environments]]
name = "staging"
schedule = "staging"
[[environments]]
name = "production"
schedule = "production"
[[schedules]]
name = "staging"
time = "08:30:00"
zone = "Africa/Nairobi"
recurrence = { start = "2026-01-05", rule = { frequency = "weekly", by_day = ["MO"] } }
[[schedules]]
name = "production"
time = "07:30:00"
zone = "Africa/Nairobi"
recurrence = { start = "2026-01-07", rule = { frequency = "weekly", by_day = ["WE"] } }
[[steps]]
id = "build"
kind = "build"
estimate = "20m"
[[steps]]
id = "deploy-staging"
kind = "deploy"
environment = "staging"
needs = ["build"]
estimate = "15m"
[[steps]]
id = "deploy-production"
kind = "deploy"
environment = "production"
needs = ["deploy-staging"]
estimate = "15m..45m"
"#;
        let text = gantt(&process(text), at("2026-01-01T00:00:00Z"), 2).unwrap();
        assert_snapshot!(text, @r#"
gantt
  title Next releases of slots (times in Africa/Nairobi)
  dateFormat YYYY-MM-DD HH:mm
  section production Wed 2026-01-07
  build :r1_s1, 2026-01-01 03:00, 2026-01-01 03:20
  deploy-staging :r1_s2, 2026-01-05 08:30, 2026-01-05 08:45
  release production :milestone, r1_release, 2026-01-07 07:30, 0d
  deploy-production :r1_s3, 2026-01-07 07:30, 2026-01-07 08:15
  section production Wed 2026-01-14
  build :r2_s1, 2026-01-07 07:30, 2026-01-07 07:50
  deploy-staging :r2_s2, 2026-01-12 08:30, 2026-01-12 08:45
  release production :milestone, r2_release, 2026-01-14 07:30, 0d
  deploy-production :r2_s3, 2026-01-14 07:30, 2026-01-14 08:15
"#);
    }

    /// Names the grammar would misread: colons, semicolons, `#`, `%`,
    /// quotes, line breaks, keywords, dates, non-ASCII, very long.
    #[test]
    fn hostile_names() {
        let long = "x".repeat(200);
        let text = format!(
            r##"
name = "a: b; c # d %% e"
release_day = "r: 1 # x"
[[schedules]]
name = "r: 1 # x"
time = "10:00:00"
zone = "Asia/Tokyo"
recurrence = {{ start = "2026-01-06", rule = {{ frequency = "weekly", by_day = ["TU"] }} }}
[milestones]
"r: 1 # x" = [
  {{ name = "title: freeze", offset = -1, unit = "days" }},
  {{ name = "%%{{init: {{}}}}%%", offset = -2, unit = "days" }},
]
[[steps]]
id = "a:b;c#d"
kind = "build"
estimate = "1m"
[[steps]]
id = "say \"hi\"\nthere\ttab"
kind = "build"
estimate = "1m"
[[steps]]
id = "section two"
kind = "build"
estimate = "1m"
[[steps]]
id = "2026-01-01 is a date"
kind = "build"
estimate = "1m"
[[steps]]
id = "  click  "
kind = "build"
estimate = "1m"
[[steps]]
id = "déploiement → 本番 🚀"
kind = "build"
estimate = "1m"
[[steps]]
id = "{long}"
kind = "build"
estimate = "1m"
[[steps]]
id = ":"
kind = "build"
estimate = "1m"
"##
        );
        let chart = gantt(&process(&text), at("2026-01-01T00:00:00Z"), 1).unwrap();
        assert_snapshot!(chart, @r#"
gantt
  title Next releases of a∶ b； c ＃ d ％％ e (times in Asia/Tokyo)
  dateFormat YYYY-MM-DD HH:mm
  section r∶ 1 ＃ x Tue 2026-01-06
  ％％{init∶ {}}％％ :milestone, r1_m2, 2026-01-04 10:00, 0d
  · title∶ freeze :milestone, r1_m1, 2026-01-05 10:00, 0d
  release r∶ 1 ＃ x :milestone, r1_release, 2026-01-06 10:00, 0d
  a∶b；c＃d :r1_s1, 2026-01-06 10:00, 2026-01-06 10:01
  say "hi" there tab :r1_s2, 2026-01-06 10:00, 2026-01-06 10:01
  · section two :r1_s3, 2026-01-06 10:00, 2026-01-06 10:01
  · 2026-01-01 is a date :r1_s4, 2026-01-06 10:00, 2026-01-06 10:01
  · click :r1_s5, 2026-01-06 10:00, 2026-01-06 10:01
  déploiement → 本番 🚀 :r1_s6, 2026-01-06 10:00, 2026-01-06 10:01
  xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx… :r1_s7, 2026-01-06 10:00, 2026-01-06 10:01
  ∶ :r1_s8, 2026-01-06 10:00, 2026-01-06 10:01
"#);
        for line in chart.lines().skip(1) {
            let line = line.trim_start();
            if line.starts_with("title ") || line.starts_with("section ") {
                assert!(!line.contains(['#', ';', '%']), "{line}");
                continue;
            }
            if line.starts_with("dateFormat ") {
                continue;
            }
            let (name, data) = line.split_once(" :").unwrap();
            assert!(!name.contains([':', '#', ';', '%', '\n']), "{name}");
            assert!(name.chars().count() <= MAX_NAME + 2, "{name}");
            assert!(!misread(name), "{name}");
            let id = data.split(", ").find(|d| d.starts_with('r')).unwrap();
            assert!(
                id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "{id}"
            );
        }
        let ids: Vec<&str> = chart
            .lines()
            .filter_map(|l| l.split_once(" :"))
            .filter_map(|(_, d)| d.split(", ").find(|d| d.starts_with('r')))
            .collect();
        let mut unique = ids.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(ids.len(), unique.len());
    }

    /// A deploy into an environment whose schedule has no slot left can
    /// never start: a `crit` milestone at the release, saying so.
    #[test]
    fn a_step_that_can_never_start() {
        let text = r#"
name = "never"
release_day = "weekly"
[[environments]]
name = "production"
schedule = "once"
[[schedules]]
name = "weekly"
time = "10:00:00"
zone = "UTC"
recurrence = { start = "2026-01-06", rule = { frequency = "weekly", by_day = ["TU"] } }
[[schedules]]
name = "once"
time = "10:00:00"
zone = "UTC"
recurrence = { start = "2020-01-07", rule = { frequency = "weekly", count = 1 } }
[[steps]]
id = "deploy"
kind = "deploy"
environment = "production"
"#;
        let chart = gantt(&process(text), at("2026-01-01T00:00:00Z"), 1).unwrap();
        assert_snapshot!(chart, @r#"
gantt
  title Next releases of never (times in UTC)
  dateFormat YYYY-MM-DD HH:mm
  section weekly Tue 2026-01-06
  release weekly :milestone, r1_release, 2026-01-06 10:00, 0d
  deploy (can never start) :crit, milestone, r1_s1, 2026-01-06 10:00, 0d
"#);
    }

    #[test]
    fn sanitised_text() {
        assert_eq!(text("a:b"), "a∶b");
        assert_eq!(text(" \n\t "), "(unnamed)");
        assert_eq!(text("Title x"), "· Title x");
        assert_eq!(text("titles"), "titles");
        assert_eq!(text("topAxis"), "· topAxis");
        assert_eq!(text("gantt-ish"), "· gantt-ish");
        assert_eq!(text("accTitle∶ x"), "· accTitle∶ x");
        assert_eq!(text("x\r\ny"), "x y");
        assert_eq!(text(&"é".repeat(100)).chars().count(), MAX_NAME);
    }

    #[test]
    fn no_schedule_and_too_many() {
        let p = process("name = \"p\"\n[[steps]]\nid = \"a\"\nkind = \"tag\"\n");
        let err = gantt(&p, at("2026-01-01T00:00:00Z"), 3).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Invalid);
        assert!(err.message().contains("has no schedule"), "{err}");
        let err = gantt(&process(WEEKLY), at("2026-01-01T00:00:00Z"), 1001).unwrap_err();
        assert!(err.message().contains("at most 1000"), "{err}");
        assert_eq!(
            gantt(&process(WEEKLY), at("2026-01-01T00:00:00Z"), 0).unwrap(),
            "gantt\n  title Next releases of demo (times in America/New_York)\n  dateFormat YYYY-MM-DD HH:mm\n"
        );
    }
}
