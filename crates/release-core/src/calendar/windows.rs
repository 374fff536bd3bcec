//! Windows: when changes may move (allow windows such as deploy slots and
//! business hours) and when they may not (deny windows such as freezes).

use std::fmt;

use chrono::{DateTime, Datelike, Days, Duration, NaiveDateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use super::schedule::Schedule;
use super::zone::Zone;
use crate::{Error, Result};

/// Whether a window opens or closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WindowKind {
    /// Changes may move while it is active (a deploy slot).
    Allow,
    /// Changes may not move while it is active (a freeze).
    Deny,
}

crate::vocabulary! {
    WindowKind, "window kind",
    {
        Allow => "allow",
        Deny => "deny",
    }
}

/// When a window is active, in its zone's wall-clock time.
///
/// Serialised with a `repeat` tag: `{ repeat = "weekly", start_day = "Sun",
/// start = "20:00:00", end_day = "Mon", end = "08:30:00" }`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "repeat", rename_all = "snake_case", deny_unknown_fields)]
pub enum WindowSpan {
    /// Every week from `start_day` at `start` to the following `end_day` at
    /// `end`. With the same day, an end at or before the start reaches into
    /// the next week (so the span is never empty).
    Weekly {
        /// The weekday it begins on.
        #[serde(with = "crate::vocab::weekday")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "crate::schema_shapes::WeekdayName")
        )]
        start_day: Weekday,
        /// The local time it begins at.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalTime"))]
        start: NaiveTime,
        /// The weekday it ends on.
        #[serde(with = "crate::vocab::weekday")]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "crate::schema_shapes::WeekdayName")
        )]
        end_day: Weekday,
        /// The local time it ends at (exclusive).
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalTime"))]
        end: NaiveTime,
    },
    /// Every day on `days` (every day if empty) from `start` to `end`; an
    /// end at or before the start ends the next day.
    Daily {
        /// The weekdays it begins on; empty for every day.
        #[serde(
            default,
            skip_serializing_if = "Vec::is_empty",
            with = "crate::vocab::weekdays"
        )]
        #[cfg_attr(
            feature = "schema",
            schemars(with = "Vec<crate::schema_shapes::WeekdayName>")
        )]
        days: Vec<Weekday>,
        /// The local time it begins at.
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalTime"))]
        start: NaiveTime,
        /// The local time it ends at (exclusive).
        #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalTime"))]
        end: NaiveTime,
    },
    /// Once, between two local date-times.
    Once {
        /// The local date and time it begins at.
        #[cfg_attr(
            feature = "schema",
            schemars(with = "crate::schema_shapes::LocalDateTime")
        )]
        start: NaiveDateTime,
        /// The local date and time it ends at (exclusive).
        #[cfg_attr(
            feature = "schema",
            schemars(with = "crate::schema_shapes::LocalDateTime")
        )]
        end: NaiveDateTime,
    },
    /// Around every occurrence of a schedule: from `offset_minutes` after
    /// the occurrence (negative: before) for `duration_minutes` of elapsed
    /// time. The occurrence's own instant places it, so the window's zone
    /// only formats messages.
    Occurrences {
        /// The schedule whose occurrences anchor the window.
        schedule: Box<Schedule>,
        /// Minutes from the occurrence to the window's start.
        #[serde(default)]
        offset_minutes: i64,
        /// How long it lasts, in minutes.
        duration_minutes: i64,
    },
}

impl WindowSpan {
    /// Every week from `start_day` `start` to `end_day` `end`.
    pub fn weekly(
        start_day: Weekday,
        start: NaiveTime,
        end_day: Weekday,
        end: NaiveTime,
    ) -> WindowSpan {
        WindowSpan::Weekly {
            start_day,
            start,
            end_day,
            end,
        }
    }

    /// Every day on `days` (every day if empty) from `start` to `end`.
    pub fn daily(days: &[Weekday], start: NaiveTime, end: NaiveTime) -> WindowSpan {
        WindowSpan::Daily {
            days: days.to_vec(),
            start,
            end,
        }
    }

    /// Once, from `start` to `end` (local).
    pub fn once(start: NaiveDateTime, end: NaiveDateTime) -> WindowSpan {
        WindowSpan::Once { start, end }
    }

    /// Around each occurrence of `schedule`: from `offset` after it (negative:
    /// before) for `duration`. Both are kept to the minute.
    pub fn occurrences(schedule: Schedule, offset: Duration, duration: Duration) -> WindowSpan {
        WindowSpan::Occurrences {
            schedule: Box::new(schedule),
            offset_minutes: offset.num_minutes(),
            duration_minutes: duration.num_minutes(),
        }
    }
}

fn day_code(day: Weekday) -> String {
    day.to_string()
}

impl fmt::Display for WindowSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |t: &NaiveTime| t.format("%H:%M").to_string();
        match self {
            WindowSpan::Weekly {
                start_day,
                start,
                end_day,
                end,
            } => write!(
                f,
                "weekly {} {} to {} {}",
                day_code(*start_day),
                hm(start),
                day_code(*end_day),
                hm(end)
            ),
            WindowSpan::Daily { days, start, end } => {
                let on = if days.is_empty() {
                    "every day".to_owned()
                } else {
                    days.iter()
                        .map(|d| day_code(*d))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                write!(f, "{on} {} to {}", hm(start), hm(end))
            }
            WindowSpan::Once { start, end } => write!(
                f,
                "{} to {}",
                start.format("%Y-%m-%d %H:%M"),
                end.format("%Y-%m-%d %H:%M")
            ),
            WindowSpan::Occurrences {
                schedule,
                offset_minutes,
                duration_minutes,
            } => write!(
                f,
                "{duration_minutes} min from {offset_minutes} min after each {:?} occurrence",
                schedule.name()
            ),
        }
    }
}

/// A named allow or deny window in a zone.
///
/// # Example
///
/// ```
/// use chrono::{NaiveTime, Weekday};
/// use release_core::calendar::{WindowSpan, Window, Windows};
///
/// // The EAT team: tickets move to staging between Sunday 20:00 and
/// // Monday 08:30, Nairobi time.
/// let staging = Window::allow(
///     "staging promotion",
///     "Africa/Nairobi".parse()?,
///     WindowSpan::weekly(
///         Weekday::Sun,
///         NaiveTime::from_hms_opt(20, 0, 0).unwrap(),
///         Weekday::Mon,
///         NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
///     ),
/// );
/// let windows = Windows::new(vec![staging])?;
/// assert!(windows.state_at("2020-07-05T18:00:00Z".parse()?).open); // Sun 21:00 EAT
/// assert!(!windows.state_at("2020-07-06T06:00:00Z".parse()?).open); // Mon 09:00 EAT
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Window {
    /// The name, unique in its set; reasons name windows by it.
    pub name: String,
    /// Allow or deny.
    pub kind: WindowKind,
    /// The zone of the span's wall-clock times.
    pub zone: Zone,
    /// When it is active.
    pub span: WindowSpan,
}

impl Window {
    /// An allow window.
    pub fn allow(name: &str, zone: Zone, span: WindowSpan) -> Window {
        Window {
            name: name.to_owned(),
            kind: WindowKind::Allow,
            zone,
            span,
        }
    }

    /// A deny window (a freeze).
    pub fn deny(name: &str, zone: Zone, span: WindowSpan) -> Window {
        Window {
            name: name.to_owned(),
            kind: WindowKind::Deny,
            zone,
            span,
        }
    }

    /// Checks the span.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the window: a
    /// one-off span that ends before it starts, a daily span that starts
    /// and ends at the same time, or a schedule-anchored span without a
    /// positive duration.
    pub fn validate(&self) -> Result<()> {
        let bad = |why: String| {
            Err(Error::config(format!(
                "{} window {:?}: {why}",
                self.kind, self.name
            )))
        };
        if self.name.trim().is_empty() {
            return Err(Error::config(format!(
                "a {} window has an empty name",
                self.kind
            )));
        }
        match &self.span {
            WindowSpan::Once { start, end } if end <= start => {
                bad(format!("it ends at {end} before it starts at {start}"))
            }
            WindowSpan::Daily { start, end, .. } if start == end => bad(format!(
                "it starts and ends at {}: give different times (an end before the start ends the next day)",
                start.format("%H:%M")
            )),
            WindowSpan::Occurrences {
                duration_minutes, ..
            } if *duration_minutes <= 0 => bad(format!(
                "its duration is {duration_minutes} minutes: it must be positive"
            )),
            _ => Ok(()),
        }
    }

    /// The instances of this window, as UTC half-open intervals, that
    /// overlap `[from, to)`, in order.
    pub fn intervals(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut out = Vec::new();
        let zone = self.zone;
        let mut push = |s: NaiveDateTime, e: NaiveDateTime| {
            let (s, _) = zone.resolve(s);
            let (e, _) = zone.resolve(e);
            if s < e && s < to && e > from {
                out.push((s, e));
            }
        };
        // Local dates that can hold the start of an instance overlapping
        // the range: a recurring span lasts at most a week, and local time
        // is within a day of UTC.
        let dates = || {
            let first = zone.local(from).date() - Days::new(8);
            let last = zone.local(to).date() + Days::new(1);
            first.iter_days().take_while(move |d| *d <= last)
        };
        match &self.span {
            WindowSpan::Weekly {
                start_day,
                start,
                end_day,
                end,
            } => {
                let mut days = i64::from(end_day.num_days_from_monday())
                    - i64::from(start_day.num_days_from_monday());
                if days < 0 || (days == 0 && end <= start) {
                    days += 7;
                }
                for d in dates().filter(|d| d.weekday() == *start_day) {
                    let Some(end_date) = d.checked_add_days(Days::new(days.unsigned_abs())) else {
                        continue;
                    };
                    push(d.and_time(*start), end_date.and_time(*end));
                }
            }
            WindowSpan::Daily { days, start, end } => {
                for d in dates().filter(|d| days.is_empty() || days.contains(&d.weekday())) {
                    let end_date = if end <= start { d.succ_opt() } else { Some(d) };
                    let Some(end_date) = end_date else { continue };
                    push(d.and_time(*start), end_date.and_time(*end));
                }
            }
            WindowSpan::Once { start, end } => push(*start, *end),
            WindowSpan::Occurrences {
                schedule,
                offset_minutes,
                duration_minutes,
            } => {
                let offset = Duration::minutes(*offset_minutes);
                let duration = Duration::minutes(*duration_minutes);
                for o in schedule.occurrences() {
                    let s = o.at + offset;
                    if s >= to {
                        break;
                    }
                    let e = s + duration;
                    if e > from && s < e {
                        out.push((s, e));
                    }
                }
                out.sort();
            }
        }
        out
    }

    /// The instance active at `now`, if any.
    pub fn active_at(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        self.intervals(now, now + Duration::seconds(1))
            .into_iter()
            .find(|(s, e)| *s <= now && now < *e)
    }

    fn describe(&self, (start, end): (DateTime<Utc>, DateTime<Utc>)) -> String {
        let tz = self.zone.tz();
        format!(
            "{} window {:?} ({}) is active from {} to {} {}",
            self.kind,
            self.name,
            self.span,
            start.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z"),
            end.with_timezone(&tz).format("%Y-%m-%d %H:%M %Z"),
            self.zone
        )
    }
}

/// One instance of a window: its start (inclusive) and end (exclusive).
type Instance = (DateTime<Utc>, DateTime<Utc>);

/// Whether a [`Windows`] set is open at an instant, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WindowState {
    /// Whether changes may move.
    pub open: bool,
    /// The windows that decide, as sentences: the active deny windows when
    /// closed by a freeze, the active allow windows when open, or that no
    /// allow window is active.
    pub reasons: Vec<String>,
    /// When the state next changes (see [`Windows::next_change`]).
    pub until: Option<DateTime<Utc>>,
}

impl fmt::Display for WindowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.open { "open" } else { "closed" })?;
        if let Some(until) = self.until {
            write!(f, " until {}", until.format("%Y-%m-%dT%H:%M:%SZ"))?;
        }
        if !self.reasons.is_empty() {
            write!(f, ": {}", self.reasons.join("; "))?;
        }
        Ok(())
    }
}

/// How far ahead [`Windows::next_change`] looks: about eleven years, in
/// doubling steps from a week, so a set whose state never changes again
/// answers `None` after a bounded search.
const HORIZON_DAYS: i64 = 7 * 1024;

/// A set of allow and deny windows.
///
/// Serialised as a list of [`Window`]s.
///
/// # Rules
///
/// - An instant is **open** if no deny window is active at it and, when the
///   set has at least one allow window, at least one allow window is active.
///   A set without allow windows is open whenever no deny window is active.
/// - **Deny wins**: a deny window closes every allow window it overlaps.
/// - **Allow windows union**: overlapping or touching allow windows form one
///   opening; where one ends exactly when the next begins, the set does not
///   close in between.
/// - Every span is **half-open**: active from its start, inclusive, to its
///   end, exclusive. A window from Sunday 20:00 to Monday 08:30 is active at
///   Sunday 20:00 and closed again at Monday 08:30.
/// - Spans are local wall-clock times in the window's [`Zone`], turned into
///   instants with [`Zone::resolve`] (RFC 5545: a time in a spring-forward
///   gap takes the offset from before the gap, an ambiguous time its first
///   occurrence). An instance whose end does not come after its start once
///   resolved is empty and never active.
/// - A one-off window affects only its own span: a future freeze does not
///   close anything now.
///
/// # Example
///
/// ```
/// use chrono::{NaiveDate, NaiveTime, Weekday};
/// use release_core::calendar::{WindowSpan, Window, Windows};
///
/// let nairobi = "Africa/Nairobi".parse()?;
/// let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
/// let freeze_start = NaiveDate::from_ymd_opt(2020, 12, 20).unwrap().and_hms_opt(0, 0, 0).unwrap();
/// let freeze_end = NaiveDate::from_ymd_opt(2021, 1, 4).unwrap().and_hms_opt(0, 0, 0).unwrap();
/// let windows = Windows::new(vec![
///     Window::allow("staging", nairobi, WindowSpan::weekly(Weekday::Sun, hm(20, 0), Weekday::Mon, hm(8, 30))),
///     Window::deny("year-end freeze", nairobi, WindowSpan::once(freeze_start, freeze_end)),
/// ])?;
/// let sunday_night = "2020-12-27T18:00:00Z".parse()?; // Sunday 21:00 EAT, in the freeze
/// let state = windows.state_at(sunday_night);
/// assert!(!state.open);
/// assert!(state.reasons[0].contains("year-end freeze"));
/// // It opens when the freeze ends, Monday 2021-01-04 00:00 EAT, in the
/// // middle of a staging window, and closes at 08:30 EAT.
/// assert_eq!(windows.next_open(sunday_night), Some("2021-01-03T21:00:00Z".parse()?));
/// assert_eq!(windows.next_close(sunday_night), Some("2021-01-04T05:30:00Z".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<Window>", into = "Vec<Window>")]
pub struct Windows {
    windows: Vec<Window>,
}

impl TryFrom<Vec<Window>> for Windows {
    type Error = Error;

    fn try_from(windows: Vec<Window>) -> Result<Windows> {
        Windows::new(windows)
    }
}

impl From<Windows> for Vec<Window> {
    fn from(w: Windows) -> Vec<Window> {
        w.windows
    }
}

impl Windows {
    /// A validated set.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for an invalid window
    /// ([`Window::validate`]) or two windows with the same name.
    pub fn new(windows: Vec<Window>) -> Result<Windows> {
        for (i, w) in windows.iter().enumerate() {
            w.validate()?;
            if windows[..i].iter().any(|o| o.name == w.name) {
                return Err(Error::config(format!(
                    "two windows are named {:?}: window names must be unique",
                    w.name
                )));
            }
        }
        Ok(Windows { windows })
    }

    /// The windows.
    pub fn windows(&self) -> &[Window] {
        &self.windows
    }

    /// Whether the set is open at `now` (ignoring reasons).
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        let mut any_allow = false;
        let mut allowed = false;
        for w in &self.windows {
            match w.kind {
                WindowKind::Deny => {
                    if w.active_at(now).is_some() {
                        return false;
                    }
                }
                WindowKind::Allow => {
                    any_allow = true;
                    allowed = allowed || w.active_at(now).is_some();
                }
            }
        }
        !any_allow || allowed
    }

    /// Whether the set is open at `now`, the windows that decide, and until
    /// when.
    pub fn state_at(&self, now: DateTime<Utc>) -> WindowState {
        let active: Vec<(&Window, Instance)> = self
            .windows
            .iter()
            .filter_map(|w| w.active_at(now).map(|i| (w, i)))
            .collect();
        let deny: Vec<String> = active
            .iter()
            .filter(|(w, _)| w.kind == WindowKind::Deny)
            .map(|(w, i)| w.describe(*i))
            .collect();
        let allow: Vec<String> = active
            .iter()
            .filter(|(w, _)| w.kind == WindowKind::Allow)
            .map(|(w, i)| w.describe(*i))
            .collect();
        let allow_names: Vec<String> = self
            .windows
            .iter()
            .filter(|w| w.kind == WindowKind::Allow)
            .map(|w| format!("{:?}", w.name))
            .collect();
        let (open, reasons) = if !deny.is_empty() {
            let mut reasons = deny;
            if !allow.is_empty() {
                reasons.push(format!(
                    "deny windows win over the active allow window{} {}",
                    if allow.len() == 1 { "" } else { "s" },
                    active
                        .iter()
                        .filter(|(w, _)| w.kind == WindowKind::Allow)
                        .map(|(w, _)| format!("{:?}", w.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            (false, reasons)
        } else if !allow.is_empty() {
            (true, allow)
        } else if allow_names.is_empty() {
            (
                true,
                vec!["no deny window is active and no allow window is defined".to_owned()],
            )
        } else {
            (
                false,
                vec![format!(
                    "no allow window is active ({})",
                    allow_names.join(", ")
                )],
            )
        };
        WindowState {
            open,
            reasons,
            until: self.next_change(now),
        }
    }

    /// The first instant strictly after `now` at which the set opens or
    /// closes: the state at it differs from the state at `now`, and stays
    /// the same everywhere in between. Boundaries where nothing changes
    /// (one allow window ending as another starts, an allow window ending
    /// inside a freeze) are not changes. `None` if nothing changes within
    /// about ten years.
    pub fn next_change(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.changes(now, |_| true)
    }

    /// The first instant strictly after `now` at which the set goes from
    /// closed to open. If it is open at `now`, that is the opening after
    /// the next close.
    pub fn next_open(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.changes(now, |open| open)
    }

    /// The first instant strictly after `now` at which the set goes from
    /// open to closed. If it is closed at `now`, that is the close after the
    /// next opening.
    pub fn next_close(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.changes(now, |open| !open)
    }

    /// The first change after `now` into a state that `wanted` accepts.
    fn changes(&self, now: DateTime<Utc>, wanted: impl Fn(bool) -> bool) -> Option<DateTime<Utc>> {
        let mut days = 7;
        loop {
            let to = now + Duration::days(days);
            // A sweep over the instances' starts and ends, counting the
            // active allow and deny instances.
            let has_allow = self.windows.iter().any(|w| w.kind == WindowKind::Allow);
            let (mut allow, mut deny) = (0i64, 0i64);
            let mut events: Vec<(DateTime<Utc>, i64, i64)> = Vec::new();
            for w in &self.windows {
                let (da, dd) = match w.kind {
                    WindowKind::Allow => (1, 0),
                    WindowKind::Deny => (0, 1),
                };
                for (s, e) in w.intervals(now, to) {
                    if s <= now {
                        allow += da;
                        deny += dd;
                    } else {
                        events.push((s, da, dd));
                    }
                    if e < to {
                        events.push((e, -da, -dd));
                    }
                }
            }
            events.sort_by_key(|e| e.0);
            let open_with = |allow: i64, deny: i64| deny == 0 && (!has_allow || allow > 0);
            let mut state = open_with(allow, deny);
            let mut i = 0;
            while i < events.len() {
                let at = events[i].0;
                while i < events.len() && events[i].0 == at {
                    allow += events[i].1;
                    deny += events[i].2;
                    i += 1;
                }
                let next = open_with(allow, deny);
                if next != state {
                    if wanted(next) {
                        return Some(at);
                    }
                    state = next;
                }
            }
            if days >= HORIZON_DAYS {
                return None;
            }
            days *= 2;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn dt(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn staging() -> Window {
        Window::allow(
            "staging",
            "Africa/Nairobi".parse().unwrap(),
            WindowSpan::weekly(Weekday::Sun, hm(20, 0), Weekday::Mon, hm(8, 30)),
        )
    }

    #[test]
    fn weekly_span_is_half_open() {
        let w = Windows::new(vec![staging()]).unwrap();
        assert!(w.is_open(t("2020-07-05T20:00:00+03:00")));
        assert!(w.is_open(t("2020-07-06T08:29:59+03:00")));
        assert!(!w.is_open(t("2020-07-06T08:30:00+03:00")));
        assert!(!w.is_open(t("2020-07-05T19:59:59+03:00")));
    }

    #[test]
    fn same_day_weekly_span_with_end_before_start_wraps_the_week() {
        let w = Window::allow(
            "almost always",
            Zone::UTC,
            WindowSpan::weekly(Weekday::Mon, hm(10, 0), Weekday::Mon, hm(9, 0)),
        );
        let set = Windows::new(vec![w]).unwrap();
        assert!(set.is_open(t("2024-01-03T00:00:00Z")));
        assert!(!set.is_open(t("2024-01-08T09:30:00Z")));
    }

    #[test]
    fn daily_span_over_midnight() {
        let w = Window::deny(
            "nightly",
            Zone::UTC,
            WindowSpan::daily(&[Weekday::Fri], hm(22, 0), hm(2, 0)),
        );
        let set = Windows::new(vec![w]).unwrap();
        // Friday 2024-01-05 22:00 to Saturday 02:00.
        assert!(!set.is_open(t("2024-01-06T01:00:00Z")));
        assert!(set.is_open(t("2024-01-06T02:00:00Z")));
        assert!(set.is_open(t("2024-01-04T23:00:00Z")));
        assert_eq!(
            set.next_close(t("2024-01-01T00:00:00Z")),
            Some(t("2024-01-05T22:00:00Z"))
        );
    }

    #[test]
    fn touching_allow_windows_union() {
        let a = Window::allow(
            "morning",
            Zone::UTC,
            WindowSpan::daily(&[], hm(8, 0), hm(12, 0)),
        );
        let b = Window::allow(
            "afternoon",
            Zone::UTC,
            WindowSpan::daily(&[], hm(12, 0), hm(17, 0)),
        );
        let set = Windows::new(vec![a, b]).unwrap();
        assert_eq!(
            set.next_close(t("2024-01-01T09:00:00Z")),
            Some(t("2024-01-01T17:00:00Z"))
        );
    }

    #[test]
    fn dst_gap_resolves_both_ends() {
        let ny: Zone = "America/New_York".parse().unwrap();
        let day = (t("2024-03-10T00:00:00Z"), t("2024-03-11T00:00:00Z"));
        // 01:30 EST to 02:30 (in the gap, read with EST): one elapsed hour.
        let w = Window::allow("a", ny, WindowSpan::daily(&[], hm(1, 30), hm(2, 30)));
        assert_eq!(
            w.intervals(day.0, day.1),
            vec![(t("2024-03-10T06:30:00Z"), t("2024-03-10T07:30:00Z"))]
        );
        // 02:00 (gap, read as 03:00 EDT) to 03:00 EDT is empty that day.
        let w = Window::allow("b", ny, WindowSpan::daily(&[], hm(2, 0), hm(3, 0)));
        assert_eq!(w.intervals(day.0, day.1), vec![]);
    }

    #[test]
    fn occurrence_anchored_freeze() {
        use crate::calendar::{Recurrence, RecurrenceRule};
        let schedule = Schedule::new(
            "release",
            Recurrence::new(
                NaiveDate::from_ymd_opt(2024, 1, 2).unwrap(),
                RecurrenceRule::weekly(2, &[Weekday::Tue]),
            )
            .unwrap(),
            hm(10, 0),
            Zone::UTC,
        )
        .unwrap();
        let w = Window::deny(
            "pre-release freeze",
            Zone::UTC,
            WindowSpan::occurrences(schedule, Duration::hours(-24), Duration::hours(25)),
        );
        let set = Windows::new(vec![w]).unwrap();
        assert!(!set.is_open(t("2024-01-15T12:00:00Z")));
        assert!(set.is_open(t("2024-01-16T11:00:00Z")));
        assert!(set.is_open(t("2024-01-08T12:00:00Z")));
        assert_eq!(
            set.next_change(t("2024-01-03T00:00:00Z")),
            Some(t("2024-01-15T10:00:00Z"))
        );
    }

    #[test]
    fn invalid_windows_are_named() {
        let once = Window::deny(
            "freeze",
            Zone::UTC,
            WindowSpan::once(dt("2024-01-02 00:00"), dt("2024-01-01 00:00")),
        );
        let e = Windows::new(vec![once]).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "deny window \"freeze\": it ends at 2024-01-01 00:00:00 before it starts at 2024-01-02 00:00:00"
        );
        let e = Windows::new(vec![staging(), staging()]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "two windows are named \"staging\": window names must be unique"
        );
    }

    #[test]
    fn empty_set_is_always_open() {
        let set = Windows::default();
        let s = set.state_at(t("2024-01-01T00:00:00Z"));
        assert!(s.open);
        assert_eq!(s.until, None);
    }
}
