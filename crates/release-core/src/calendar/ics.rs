//! ICS export (RFC 5545) of occurrences and milestones, so a team can
//! subscribe to its release calendar.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName};

use super::milestone::MilestoneAt;
use super::schedule::{Occurrence, Schedule};
use super::zone::Zone;
use crate::{Error, Result};

/// The `PRODID` of exported calendars.
pub const PRODID: &str = "-//release-core//release-core//EN";

/// One event of an [`IcsCalendar`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// The UID, stable across runs.
    pub uid: String,
    /// The title.
    pub summary: String,
    /// The body (notes, explanations); may be empty.
    pub description: String,
    /// The zone of `local`.
    pub zone: Zone,
    /// The local start.
    pub local: NaiveDateTime,
    /// How long it lasts (`DURATION`), not negative.
    pub duration: Duration,
}

/// A calendar to export: events from occurrences and milestones, written by
/// [`to_ics`](IcsCalendar::to_ics).
///
/// # Format
///
/// - Every event's start is written in its zone's wall-clock time with
///   `DTSTART;TZID=<IANA name>:<local>`, and the calendar carries one
///   `VTIMEZONE` per zone used, generated from the compiled-in tz database
///   over the exported range: one `STANDARD` or `DAYLIGHT` observance for
///   the offset in force at the start of the range, then one per offset
///   change within it (a zone without changes gets a single `STANDARD`).
/// - Local times that a DST change skips or repeats are written as the
///   schedule has them; RFC 5545 reads them the way
///   [`Zone::resolve`](super::Zone::resolve) does, so readers agree on the
///   instant.
/// - UIDs are stable across runs: derived from the schedule's name and the
///   occurrence's *scheduled* date (so an occurrence moved by a holiday
///   keeps its UID, and calendar clients update it instead of duplicating
///   it), plus the milestone's name: `release-20201215@release-core`,
///   `release-20201215-code-freeze@release-core`.
/// - `DTSTAMP` is required by RFC 5545 and is "now"; release-core has no
///   clock, so the caller passes it. Pass a fixed value to get byte-identical
///   output.
/// - Lines end in CRLF and are folded at 75 octets (never inside a UTF-8
///   character); TEXT values escape `\`, `;`, `,` and newlines.
///
/// # Example
///
/// ```
/// use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
/// use release_core::calendar::{IcsCalendar, Recurrence, RecurrenceRule, Schedule};
///
/// let schedule = Schedule::new(
///     "production",
///     Recurrence::new(NaiveDate::from_ymd_opt(2020, 7, 8).unwrap(), RecurrenceRule::weekly(2, &[Weekday::Wed]))?,
///     NaiveTime::from_hms_opt(7, 30, 0).unwrap(),
///     "Africa/Nairobi".parse()?,
/// )?;
/// let occurrences: Vec<_> = schedule.occurrences().take(2).collect();
/// let mut calendar = IcsCalendar::new("EAT releases");
/// calendar.add_occurrences(&schedule, &occurrences, Duration::hours(1))?;
/// let text = calendar.to_ics("2020-07-01T00:00:00Z".parse()?);
/// assert!(text.contains("DTSTART;TZID=Africa/Nairobi:20200708T073000\r\n"));
/// assert!(text.contains("UID:production-20200708@release-core\r\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsCalendar {
    name: String,
    /// The process the events are of, for their summaries.
    process: Option<String>,
    /// The component of each schedule's events, by schedule name.
    components: BTreeMap<String, String>,
    events: Vec<IcsEvent>,
    /// The events' UIDs, so that adding one is checked at once.
    uids: HashSet<String>,
}

impl IcsCalendar {
    /// An empty calendar; `name` becomes `X-WR-CALNAME`, which clients show.
    pub fn new(name: &str) -> IcsCalendar {
        IcsCalendar {
            name: name.to_owned(),
            process: None,
            components: BTreeMap::new(),
            events: Vec::new(),
            uids: HashSet::new(),
        }
    }

    /// This calendar with the name of the process its events are of, which
    /// their summaries then name (see [`add_occurrences`](Self::add_occurrences)).
    /// Set it before adding events.
    ///
    /// ```
    /// use chrono::{Duration, NaiveDate, NaiveTime};
    /// use release_core::calendar::{IcsCalendar, PublishedDate, Schedule};
    ///
    /// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
    /// let schedule = Schedule::from_dates(
    ///     "final",
    ///     vec![PublishedDate::on(d("2024-07-25")).label("1.80.0")],
    ///     NaiveTime::from_hms_opt(15, 0, 0).unwrap(),
    ///     "UTC".parse()?,
    /// )?;
    /// let occurrences: Vec<_> = schedule.occurrences().collect();
    /// let mut calendar = IcsCalendar::new("Rust releases").with_process("Rust");
    /// calendar.add_occurrences(&schedule, &occurrences, Duration::hours(1))?;
    /// assert_eq!(calendar.events()[0].summary, "Rust 1.80.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_process(mut self, process: &str) -> IcsCalendar {
        self.process = Some(process.to_owned());
        self
    }

    /// This calendar naming `component` in the summaries of `schedule`'s
    /// events (after the process; left out where it is the process's own
    /// name, ignoring case). Set it before adding events.
    ///
    /// ```
    /// use chrono::{Duration, NaiveDate, NaiveTime, Weekday};
    /// use release_core::calendar::{IcsCalendar, Recurrence, RecurrenceRule, Schedule};
    ///
    /// let schedule = Schedule::new(
    ///     "production",
    ///     Recurrence::new(NaiveDate::from_ymd_opt(2020, 7, 8).unwrap(), RecurrenceRule::weekly(2, &[Weekday::Wed]))?,
    ///     NaiveTime::from_hms_opt(7, 30, 0).unwrap(),
    ///     "Africa/Nairobi".parse()?,
    /// )?;
    /// let occurrences: Vec<_> = schedule.occurrences().take(1).collect();
    /// let mut calendar = IcsCalendar::new("EAT")
    ///     .with_process("eat-slots")
    ///     .with_component("production", "application");
    /// calendar.add_occurrences(&schedule, &occurrences, Duration::hours(1))?;
    /// assert_eq!(calendar.events()[0].summary, "eat-slots application: production release");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_component(mut self, schedule: &str, component: &str) -> IcsCalendar {
        self.components
            .insert(schedule.to_owned(), component.to_owned());
        self
    }

    /// The process and component that summaries of `schedule`'s events
    /// name: `"Rust"`, `"eat-slots application"`; `None` without a
    /// process.
    fn subject(&self, schedule: &str) -> Option<String> {
        let process = self.process.as_deref()?;
        Some(match self.components.get(schedule) {
            Some(c) if !c.eq_ignore_ascii_case(process) => format!("{process} {c}"),
            _ => process.to_owned(),
        })
    }

    /// The summary of an occurrence: see [`add_occurrences`](Self::add_occurrences).
    fn occurrence_summary(&self, schedule: &Schedule, o: &Occurrence) -> String {
        match (self.subject(schedule.name()), &o.label) {
            (Some(subject), Some(label)) => format!("{subject} {label}"),
            (None, Some(label)) => format!("{} {label}", schedule.name()),
            (Some(subject), None) => format!("{subject}: {}", release_of(schedule.name())),
            (None, None) => schedule.name().to_owned(),
        }
    }

    /// The events, in the order added.
    pub fn events(&self) -> &[IcsEvent] {
        &self.events
    }

    /// Adds an event.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for a negative duration,
    /// a UID already in the calendar, or a start outside the years 0 to
    /// 9999 (RFC 5545's DATE-TIME has a four-digit year).
    pub fn add_event(&mut self, event: IcsEvent) -> Result<&mut IcsCalendar> {
        if event.duration < Duration::zero() {
            return Err(Error::config(format!(
                "ics event {:?}: the duration is negative",
                event.uid
            )));
        }
        if !(0..=9999).contains(&event.local.year()) {
            return Err(Error::config(format!(
                "ics event {:?}: it starts in the year {}, and an RFC 5545 date has a four-digit year (0 to 9999); export an earlier range",
                event.uid,
                event.local.year()
            )));
        }
        if !self.uids.insert(event.uid.clone()) {
            return Err(Error::config(format!(
                "ics event {:?}: the UID is already in the calendar",
                event.uid
            )));
        }
        self.events.push(event);
        Ok(self)
    }

    /// Adds one event per occurrence of `schedule`, each lasting
    /// `duration`.
    ///
    /// The summary says what ships, for a person reading their calendar:
    ///
    /// - with a label (the version, from the schedule's dates table):
    ///   `"<process> <label>"` (`"Rust 1.80.0"`, `"Python 3.14.0 beta 1"`),
    ///   the component after the process where one is set
    ///   ([`with_component`](Self::with_component));
    /// - without a label: `"<process>: <schedule> release"`
    ///   (`"eat-slots: production release"`; `release` is not repeated when
    ///   the schedule's name has the word: `"mozilla-sync: release"`);
    /// - without a process ([`with_process`](Self::with_process)): the
    ///   schedule's name, then the label if any (`"final 1.80.0"`).
    ///
    /// The description says which occurrence it is (of the rule, of the
    /// dates table, or added), the version it ships, and every reason it
    /// is where it is: moved by a holiday, overridden, from the table.
    ///
    /// # Errors
    ///
    /// As [`add_event`](Self::add_event).
    pub fn add_occurrences(
        &mut self,
        schedule: &Schedule,
        occurrences: &[Occurrence],
        duration: Duration,
    ) -> Result<&mut IcsCalendar> {
        for o in occurrences {
            let mut description = match (o.index, schedule.recurrence()) {
                (Some(i), Some(r)) => format!(
                    "occurrence {} of {} ({} from {})",
                    i + 1,
                    schedule.name(),
                    r.rule,
                    r.start
                ),
                (Some(i), None) => {
                    format!("entry {} of the dates table of {}", i + 1, schedule.name())
                }
                (None, _) => format!("an added occurrence of {}", schedule.name()),
            };
            if let Some(label) = &o.label {
                description.push_str("\nships ");
                description.push_str(label);
            }
            if o.date != o.scheduled {
                let _ = write!(description, "\nscheduled on {}", o.scheduled);
            }
            for note in &o.notes {
                description.push('\n');
                description.push_str(note);
            }
            self.add_event(IcsEvent {
                uid: format!("{}@release-core", occurrence_uid(schedule.name(), o)),
                summary: self.occurrence_summary(schedule, o),
                description,
                zone: schedule.zone(),
                local: o.local,
                duration,
            })?;
        }
        Ok(self)
    }

    /// Adds one event per milestone of an occurrence (as placed by
    /// [`Milestones::resolve`](super::Milestones::resolve)), each lasting
    /// `duration`. The summary says what the milestone is for: with the
    /// occurrence's label, `"<process> <label>: <milestone>"` (`"Python
    /// 3.13.0: feature freeze"`; without a process, the schedule's name in
    /// its place); without a label, `"<process>: <milestone> (<schedule>
    /// <date>)"`, or `"<milestone> (<schedule> <date>)"` without a process.
    /// The description says how it was placed, and the occurrence's
    /// reasons.
    ///
    /// # Errors
    ///
    /// As [`add_event`](Self::add_event).
    pub fn add_milestones(
        &mut self,
        schedule: &Schedule,
        occurrence: &Occurrence,
        milestones: &[MilestoneAt],
        duration: Duration,
    ) -> Result<&mut IcsCalendar> {
        let base = occurrence_uid(schedule.name(), occurrence);
        let subject = self.subject(schedule.name());
        for m in milestones {
            let summary = match (&subject, &occurrence.label) {
                (Some(s), Some(label)) => format!("{s} {label}: {}", m.name),
                (None, Some(label)) => format!("{} {label}: {}", schedule.name(), m.name),
                (Some(s), None) => {
                    format!("{s}: {} ({} {})", m.name, schedule.name(), occurrence.date)
                }
                (None, None) => format!("{} ({} {})", m.name, schedule.name(), occurrence.date),
            };
            let mut description = m.explanation.clone();
            for note in &m.notes {
                let _ = write!(description, "\n{}: {note}", m.name);
            }
            for note in &occurrence.notes {
                let _ = write!(
                    description,
                    "\n{} {}: {note}",
                    schedule.name(),
                    occurrence.date
                );
            }
            self.add_event(IcsEvent {
                uid: format!("{base}-{}@release-core", slug(&m.name)),
                summary,
                description,
                zone: schedule.zone(),
                local: m.local,
                duration,
            })?;
        }
        Ok(self)
    }

    /// The calendar as RFC 5545 text, with `DTSTAMP` set to `now` (the
    /// core has no clock, so the caller gives it). Events come in order of start, then
    /// UID, so the same input gives the same bytes.
    pub fn to_ics(&self, now: DateTime<Utc>) -> String {
        let mut lines: Vec<String> = vec![
            "BEGIN:VCALENDAR".into(),
            "VERSION:2.0".into(),
            format!("PRODID:{PRODID}"),
            "CALSCALE:GREGORIAN".into(),
            "METHOD:PUBLISH".into(),
            format!("X-WR-CALNAME:{}", escape(&self.name)),
        ];
        // Each zone's range: from its first event's start to its last
        // event's end.
        let mut zones: BTreeMap<&'static str, (Zone, DateTime<Utc>, DateTime<Utc>)> =
            BTreeMap::new();
        let mut events: Vec<(DateTime<Utc>, &IcsEvent)> = self
            .events
            .iter()
            .map(|e| (e.zone.resolve(e.local).0, e))
            .collect();
        events.sort_by(|a, b| (a.0, &a.1.uid).cmp(&(b.0, &b.1.uid)));
        for (at, e) in &events {
            let end = *at + e.duration;
            let entry = zones.entry(e.zone.name()).or_insert((e.zone, *at, end));
            entry.1 = entry.1.min(*at);
            entry.2 = entry.2.max(end);
        }
        for (zone, from, to) in zones.values() {
            vtimezone(&mut lines, *zone, *from, *to);
        }
        let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
        for (_, e) in events {
            lines.push("BEGIN:VEVENT".into());
            lines.push(format!("UID:{}", e.uid));
            lines.push(format!("DTSTAMP:{stamp}"));
            lines.push(format!(
                "DTSTART;TZID={}:{}",
                e.zone.name(),
                e.local.format("%Y%m%dT%H%M%S")
            ));
            lines.push(format!("DURATION:{}", duration_text(e.duration)));
            lines.push(format!("SUMMARY:{}", escape(&e.summary)));
            if !e.description.is_empty() {
                lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
            }
            lines.push("END:VEVENT".into());
        }
        lines.push("END:VCALENDAR".into());
        let mut out = String::new();
        for line in &lines {
            fold(&mut out, line);
        }
        out
    }
}

/// `"<schedule> release"`, or the schedule's name if it has the word.
fn release_of(schedule: &str) -> String {
    let has = schedule
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("release"));
    if has {
        schedule.to_owned()
    } else {
        format!("{schedule} release")
    }
}

/// `<schedule>-<yyyymmdd of the scheduled date>`, plus the local time for
/// an added occurrence (two can be added on one date).
fn occurrence_uid(schedule: &str, o: &Occurrence) -> String {
    let base = format!("{}-{}", slug(schedule), o.scheduled.format("%Y%m%d"));
    match o.index {
        Some(_) => base,
        None => format!("{base}T{}-added", o.local.format("%H%M")),
    }
}

/// Lowercase ASCII letters and digits, other runs as one `-`.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("event");
    }
    out
}

/// TEXT escaping (RFC 5545, 3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` folded at 75 octets (RFC 5545, 3.1), each physical line
/// ending in CRLF; continuation lines start with one space, which counts.
fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

/// `DURATION` text: `PT1H30M`, `P1DT2H`, `PT0S`.
fn duration_text(d: Duration) -> String {
    let total = d.num_seconds().max(0);
    let (days, rest) = (total / 86_400, total % 86_400);
    let (h, m, s) = (rest / 3600, rest % 3600 / 60, rest % 60);
    let mut out = String::from("P");
    if days > 0 {
        let _ = write!(out, "{days}D");
    }
    if rest > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            let _ = write!(out, "{h}H");
        }
        // RFC 5545's grammar allows hours then seconds only with minutes in
        // between.
        if m > 0 || (h > 0 && s > 0) {
            let _ = write!(out, "{m}M");
        }
        if s > 0 || rest == 0 {
            let _ = write!(out, "{s}S");
        }
    }
    out
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let a = seconds.unsigned_abs();
    let (h, m, s) = (a / 3600, a % 3600 / 60, a % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// The offset at an instant: seconds east of UTC, whether DST is in force,
/// and the abbreviation.
fn offset_at(zone: Zone, at: DateTime<Utc>) -> (i32, bool, String) {
    let o = zone.tz().offset_from_utc_datetime(&at.naive_utc());
    let seconds = o.fix().local_minus_utc();
    let name = o
        .abbreviation()
        .map_or_else(|| offset_text(seconds), str::to_owned);
    (seconds, o.dst_offset() != Duration::zero(), name)
}

/// The instants in `(from, to]` at which the zone's UTC offset changes.
/// Zones change offset at most a few times a year, never twice in a day,
/// so a daily scan with a bisection to the second finds every change.
fn transitions(zone: Zone, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut out = Vec::new();
    let mut t = from;
    let mut off = offset_at(zone, t).0;
    while t < to {
        let next = (t + Duration::days(1)).min(to);
        let next_off = offset_at(zone, next).0;
        if next_off != off {
            // Bisect on whole seconds: tz data changes on whole seconds.
            let (mut lo, mut hi) = (t.timestamp(), next.timestamp());
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let at = DateTime::from_timestamp(mid, 0).unwrap_or(t);
                if offset_at(zone, at).0 == off {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let hi = DateTime::from_timestamp(hi, 0).unwrap_or(next);
            out.push(hi);
            off = next_off;
        }
        t = next;
    }
    out
}

fn vtimezone(lines: &mut Vec<String>, zone: Zone, from: DateTime<Utc>, to: DateTime<Utc>) {
    lines.push("BEGIN:VTIMEZONE".into());
    lines.push(format!("TZID:{}", zone.name()));
    let observance = |lines: &mut Vec<String>, at: DateTime<Utc>, before: i32| {
        let (offset, dst, name) = offset_at(zone, at);
        let kind = if dst { "DAYLIGHT" } else { "STANDARD" };
        // The onset in the wall-clock time in force before it (RFC 5545,
        // 3.6.5).
        let onset = at.naive_utc() + Duration::seconds(i64::from(before));
        lines.push(format!("BEGIN:{kind}"));
        lines.push(format!("DTSTART:{}", onset.format("%Y%m%dT%H%M%S")));
        lines.push(format!("TZOFFSETFROM:{}", offset_text(before)));
        lines.push(format!("TZOFFSETTO:{}", offset_text(offset)));
        lines.push(format!("TZNAME:{}", escape(&name)));
        lines.push(format!("END:{kind}"));
    };
    // The offset in force when the range starts, from the local midnight
    // before the first event, so it covers every event.
    let start_local = zone.local(from).date().and_hms_opt(0, 0, 0);
    let start = start_local.map_or(from, |l| zone.resolve(l).0.min(from));
    let (first, _, _) = offset_at(zone, start);
    observance(lines, start, first);
    let mut before = first;
    for t in transitions(zone, start, to) {
        observance(lines, t, before);
        before = offset_at(zone, t).0;
    }
    lines.push("END:VTIMEZONE".into());
}

#[cfg(test)]
mod tests {
    /// LOW-17: RFC 5545 DATE-TIMEs have four-digit years; an event after
    /// 9999 is refused rather than written as `+100000101T090000`.
    #[test]
    fn refuses_years_past_9999() {
        use chrono::NaiveDate;
        let event = |y: i32| IcsEvent {
            uid: format!("e{y}@release-core"),
            summary: "e".into(),
            description: String::new(),
            zone: Zone::UTC,
            local: NaiveDate::from_ymd_opt(y, 1, 1)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            duration: Duration::hours(1),
        };
        let mut calendar = IcsCalendar::new("c");
        calendar.add_event(event(9999)).unwrap();
        let err = calendar.add_event(event(10_000)).unwrap_err();
        assert!(err.to_string().contains("year 10000"), "{err}");
        assert!(calendar.add_event(event(-1)).is_err());
        assert_eq!(calendar.events().len(), 1);
        // The UID check is a set: a repeat is still refused.
        assert!(calendar.add_event(event(9999)).is_err());
        assert!(
            calendar
                .to_ics(DateTime::<Utc>::UNIX_EPOCH)
                .contains(":99990101T090000\r\n")
        );
    }

    use super::*;

    #[test]
    fn escapes_text() {
        assert_eq!(escape("a\\b;c,d\ne\r\nf"), "a\\\\b\\;c\\,d\\ne\\nf");
    }

    #[test]
    fn folds_at_75_octets_without_splitting_characters() {
        let mut out = String::new();
        let line = format!("SUMMARY:{}", "é".repeat(60));
        fold(&mut out, &line);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{physical:?}");
        }
        let unfolded = out.trim_end_matches("\r\n").replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }

    #[test]
    fn durations() {
        assert_eq!(duration_text(Duration::hours(1)), "PT1H");
        assert_eq!(duration_text(Duration::minutes(90)), "PT1H30M");
        assert_eq!(duration_text(Duration::seconds(3601)), "PT1H0M1S");
        assert_eq!(duration_text(Duration::zero()), "PT0S");
        assert_eq!(duration_text(Duration::days(2)), "P2D");
        assert_eq!(duration_text(Duration::hours(26)), "P1DT2H");
    }

    #[test]
    fn finds_new_york_transitions() {
        let ny: Zone = "America/New_York".parse().unwrap();
        let got = transitions(
            ny,
            "2024-01-01T00:00:00Z".parse().unwrap(),
            "2025-01-01T00:00:00Z".parse().unwrap(),
        );
        let want: Vec<DateTime<Utc>> = vec![
            "2024-03-10T07:00:00Z".parse().unwrap(),
            "2024-11-03T06:00:00Z".parse().unwrap(),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Code Freeze!"), "code-freeze");
        assert_eq!(slug("--"), "event");
    }
}
