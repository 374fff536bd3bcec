//! Rotations: who is on duty (release manager, on-call) from a roster, per
//! week, per month or per occurrence of a schedule.

use std::fmt;

use chrono::{DateTime, Datelike, Days, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::schedule::{Occurrence, Schedule};
use super::zone::Zone;
use crate::{Error, Result};

/// A person on a roster, optionally only from `since` and up to `until`
/// (inclusive). Deserialised from a plain name too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(from = "MemberSpec")]
pub struct Member {
    /// The person's name, unique on the roster.
    pub name: String,
    /// The first date they are on the roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalDate>")
    )]
    pub since: Option<NaiveDate>,
    /// The last date they are on the roster.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalDate>")
    )]
    pub until: Option<NaiveDate>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
enum MemberSpec {
    Name(String),
    Full(MemberFull),
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct MemberFull {
    name: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalDate>")
    )]
    since: Option<NaiveDate>,
    #[serde(default)]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema_shapes::LocalDate>")
    )]
    until: Option<NaiveDate>,
}

impl From<MemberSpec> for Member {
    fn from(spec: MemberSpec) -> Member {
        match spec {
            MemberSpec::Name(name) => Member::new(&name),
            MemberSpec::Full(f) => Member {
                name: f.name,
                since: f.since,
                until: f.until,
            },
        }
    }
}

impl Member {
    /// A member for all time.
    pub fn new(name: &str) -> Member {
        Member {
            name: name.to_owned(),
            since: None,
            until: None,
        }
    }

    /// This member, on the roster from `date`.
    pub fn since(mut self, date: NaiveDate) -> Member {
        self.since = Some(date);
        self
    }

    /// This member, on the roster up to `date` inclusive.
    pub fn until(mut self, date: NaiveDate) -> Member {
        self.until = Some(date);
        self
    }

    /// Whether they are on the roster on `date`.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        self.since.is_none_or(|s| s <= date) && self.until.is_none_or(|u| date <= u)
    }
}

/// How long one turn lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Seven days from the anchor's weekday.
    Weekly,
    /// A month from the anchor's day of the month.
    Monthly,
    /// One occurrence of a schedule.
    PerOccurrence,
}

crate::vocabulary! {
    Period, "rotation period",
    {
        Weekly => "weekly",
        Monthly => "monthly",
        PerOccurrence => "per_occurrence",
    }
}

/// One period taken by someone other than the turn holder.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Swap {
    /// A date in the period (per occurrence: the occurrence's scheduled
    /// date or its date).
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
    pub date: NaiveDate,
    /// Who takes the period.
    pub person: String,
    /// Whose turn it is, if the swap should be checked against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instead_of: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

/// A person unavailable from `from` to `to`, inclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Absence {
    /// Who.
    pub person: String,
    /// The first day away.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
    pub from: NaiveDate,
    /// The last day away.
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
    pub to: NaiveDate,
    /// Why.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl Absence {
    fn covers(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// Why a person is on duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DutyBy {
    /// It is their turn.
    Turn,
    /// A swap gave them the period.
    Swap,
    /// They cover for someone absent.
    Cover,
}

crate::vocabulary! {
    DutyBy, "duty reason",
    {
        Turn => "turn",
        Swap => "swap",
        Cover => "cover",
    }
}

/// Who is on duty on a date, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// The rotation's name.
    pub rotation: String,
    /// Who is on duty.
    pub person: String,
    /// Why them.
    pub by: DutyBy,
    /// Whose turn the period is, by the roster alone.
    pub turn: String,
    /// The period's position from the anchor, from 0.
    pub period: u32,
    /// The period's first date.
    pub start: NaiveDate,
    /// The period's last date (inclusive).
    pub end: NaiveDate,
    /// The date asked about.
    pub date: NaiveDate,
    /// The explanation, step by step.
    pub reasons: Vec<String>,
}

impl fmt::Display for Duty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} on {}: {}", self.rotation, self.date, self.person)?;
        if !self.reasons.is_empty() {
            write!(f, " ({})", self.reasons.join("; "))?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct RotationData {
    name: String,
    roster: Vec<Member>,
    period: Period,
    #[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::LocalDate"))]
    anchor: NaiveDate,
    zone: Zone,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    swaps: Vec<Swap>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    absences: Vec<Absence>,
}

/// A rotation: a roster taking turns per period from an anchor date, with
/// swaps and absences.
///
/// # Rules
///
/// - **Periods** count from the anchor date: weekly periods are the 7-day
///   spans from the anchor, monthly periods the spans from the anchor's day
///   of one month to the same day of the next (clamped to the month's end),
///   and per-occurrence periods are the schedule's occurrences on or after
///   the anchor, in order (skipped and cancelled occurrences take no turn,
///   added ones do).
/// - **Turns** go round the roster in order. The first period goes to the
///   first member active on its start date; each later period goes to the
///   next member after the previous turn, in roster order, who is active on
///   the period's start date (`since <= start <= until`). Because turns are
///   computed forward from the anchor, a member added with `since = D` is
///   invisible to every period that starts before D: adding a person never
///   rewrites past assignments.
/// - A **swap** names a period (by any date in it, or the occurrence's
///   date) and the person who takes it instead of the turn holder
///   (optionally checked with `instead_of`). It changes that period only;
///   the turns after it are unchanged. An exchange of two periods is two
///   swaps.
/// - An **absence** makes a person unavailable from `from` to `to`,
///   inclusive, day by day. On a day when the scheduled person (turn or
///   swap) is absent or no longer on the roster, the next available member
///   after them in roster order covers. The rotation then continues **as if
///   the absent person had taken their turn**: the next period goes to the
///   member after the absent one, so an absence changes only the days it
///   covers and never shifts later assignments.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use release_core::calendar::{Absence, DutyBy, Member, Period, Rotation};
///
/// let day = |m, d| NaiveDate::from_ymd_opt(2021, m, d).unwrap();
/// let rm = Rotation::new(
///     "release manager",
///     vec![Member::new("alice"), Member::new("bob"), Member::new("carol")],
///     Period::Monthly,
///     day(1, 1),
///     "America/Los_Angeles".parse()?,
/// )?
/// .with_absence(Absence { person: "bob".into(), from: day(2, 10), to: day(2, 12), reason: "PTO".into() })?;
/// assert_eq!(rm.on_date(day(1, 20))?.person, "alice");
/// let covered = rm.on_date(day(2, 11))?;
/// assert_eq!((covered.person.as_str(), covered.by), ("carol", DutyBy::Cover));
/// assert_eq!(rm.on_date(day(3, 1))?.person, "carol"); // as if bob took February
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "RotationData", into = "RotationData")]
pub struct Rotation {
    data: RotationData,
}

impl TryFrom<RotationData> for Rotation {
    type Error = Error;

    fn try_from(data: RotationData) -> Result<Rotation> {
        let rotation = Rotation { data };
        let data = &rotation.data;
        let name = &data.name;
        if data.roster.is_empty() {
            return Err(Error::config(format!(
                "rotation {name:?} has an empty roster"
            )));
        }
        for (i, m) in data.roster.iter().enumerate() {
            if m.name.trim().is_empty() {
                return Err(Error::config(format!(
                    "rotation {name:?}: a roster member has an empty name"
                )));
            }
            if data.roster[..i].iter().any(|o| o.name == m.name) {
                return Err(Error::config(format!(
                    "rotation {name:?}: {:?} is on the roster twice",
                    m.name
                )));
            }
            if let (Some(s), Some(u)) = (m.since, m.until)
                && u < s
            {
                return Err(Error::config(format!(
                    "rotation {name:?}: {:?} is on the roster until {u}, before {s}",
                    m.name
                )));
            }
        }
        let known = |who: &str, what: &str| {
            if data.roster.iter().any(|m| m.name == who) {
                Ok(())
            } else {
                Err(Error::config(format!(
                    "rotation {name:?}: the {what} names {who:?}, who is not on the roster ({})",
                    data.roster
                        .iter()
                        .map(|m| format!("{:?}", m.name))
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        };
        let mut periods: Vec<u32> = Vec::new();
        for s in &data.swaps {
            known(&s.person, &format!("swap on {}", s.date))?;
            if let Some(other) = &s.instead_of {
                known(other, &format!("swap on {}", s.date))?;
            }
            if s.date < data.anchor {
                return Err(Error::config(format!(
                    "rotation {name:?}: the swap on {} is before the anchor {}",
                    s.date, data.anchor
                )));
            }
            // Per occurrence, a swap is keyed by its date; otherwise by the
            // period the date falls in.
            let key = match data.period {
                Period::PerOccurrence => u32::try_from(s.date.num_days_from_ce()).unwrap_or(0),
                _ => rotation.period_of(s.date)?.0,
            };
            if periods.contains(&key) {
                return Err(Error::config(format!(
                    "rotation {name:?}: more than one swap for the period of {}",
                    s.date
                )));
            }
            periods.push(key);
        }
        for a in &data.absences {
            known(&a.person, &format!("absence from {}", a.from))?;
            if a.to < a.from {
                return Err(Error::config(format!(
                    "rotation {name:?}: the absence of {:?} ends on {} before it starts on {}",
                    a.person, a.to, a.from
                )));
            }
        }
        Ok(rotation)
    }
}

impl From<Rotation> for RotationData {
    fn from(r: Rotation) -> RotationData {
        r.data
    }
}

impl Rotation {
    /// A rotation without swaps or absences.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) naming the rotation: an
    /// empty roster, a duplicate or empty name, `until` before `since`.
    pub fn new(
        name: &str,
        roster: Vec<Member>,
        period: Period,
        anchor: NaiveDate,
        zone: Zone,
    ) -> Result<Rotation> {
        Rotation::try_from(RotationData {
            name: name.to_owned(),
            roster,
            period,
            anchor,
            zone,
            swaps: Vec::new(),
            absences: Vec::new(),
        })
    }

    /// This rotation with one more swap.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) if a name is not on the
    /// roster, the date is before the anchor, or the period already has a
    /// swap.
    pub fn with_swap(self, swap: Swap) -> Result<Rotation> {
        let mut data = self.data;
        data.swaps.push(swap);
        Rotation::try_from(data)
    }

    /// This rotation with one more absence.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) if the person is not on
    /// the roster or the absence ends before it starts.
    pub fn with_absence(self, absence: Absence) -> Result<Rotation> {
        let mut data = self.data;
        data.absences.push(absence);
        Rotation::try_from(data)
    }

    /// The name.
    pub fn name(&self) -> &str {
        &self.data.name
    }

    /// The roster, in turn order.
    pub fn roster(&self) -> &[Member] {
        &self.data.roster
    }

    /// The period.
    pub fn period(&self) -> Period {
        self.data.period
    }

    /// The anchor date: the first period starts on it.
    pub fn anchor(&self) -> NaiveDate {
        self.data.anchor
    }

    /// The zone that gives `now` its date in [`on_duty`](Self::on_duty).
    pub fn zone(&self) -> Zone {
        self.data.zone
    }

    /// The swaps.
    pub fn swaps(&self) -> &[Swap] {
        &self.data.swaps
    }

    /// The absences.
    pub fn absences(&self) -> &[Absence] {
        &self.data.absences
    }

    /// Who is on duty at `now`: on the date of `now` in the rotation's zone.
    ///
    /// # Errors
    ///
    /// As [`on_date`](Self::on_date).
    pub fn on_duty(&self, now: DateTime<Utc>) -> Result<Duty> {
        self.on_date(self.data.zone.local(now).date())
    }

    /// Who is on duty on a date, for weekly and monthly rotations.
    ///
    /// # Errors
    ///
    /// A [refused error](crate::ErrorKind::Refused) for a per-occurrence
    /// rotation (use [`for_occurrence`](Self::for_occurrence)), a date
    /// before the anchor, or a date on which nobody on the roster is
    /// available; a [config error](crate::ErrorKind::Config) for a swap
    /// whose `instead_of` is not the turn holder.
    pub fn on_date(&self, date: NaiveDate) -> Result<Duty> {
        let (k, start, end) = self.period_of(date)?;
        let mut turn = None;
        let mut prev = None;
        for j in 0..=k {
            let s = self
                .period_start(j)
                .ok_or_else(|| self.out_of_range(date))?;
            turn = self.next_turn(prev, s);
            prev = turn.or(prev);
        }
        let swap = self
            .data
            .swaps
            .iter()
            .find(|s| self.period_of(s.date).is_ok_and(|(sk, _, _)| sk == k));
        let label = match self.data.period {
            Period::Weekly => format!("the week from {start}"),
            _ => format!("the month from {start}"),
        };
        self.decide(turn, swap, k, start, end, date, label)
    }

    /// Who is on duty for an occurrence of `schedule`. For weekly and
    /// monthly rotations, that is who is on duty on the occurrence's local
    /// date; per occurrence, the occurrence's turn.
    ///
    /// # Errors
    ///
    /// As [`on_date`](Self::on_date), and, per occurrence, a [refused
    /// error](crate::ErrorKind::Refused) if the occurrence is not one of
    /// the schedule's on or after the anchor.
    pub fn for_occurrence(&self, schedule: &Schedule, occurrence: &Occurrence) -> Result<Duty> {
        if self.data.period != Period::PerOccurrence {
            return self.on_date(occurrence.date);
        }
        let mut prev = None;
        let mut turn = None;
        let mut found = None;
        for (j, o) in schedule
            .occurrences()
            .filter(|o| o.date >= self.data.anchor)
            .take_while(|o| o.at <= occurrence.at)
            .enumerate()
        {
            turn = self.next_turn(prev, o.date);
            prev = turn.or(prev);
            if o.at == occurrence.at && o.scheduled == occurrence.scheduled {
                found = Some(j);
                break;
            }
        }
        let Some(k) = found else {
            return Err(Error::refused(format!(
                "rotation {:?}: {occurrence} is not an occurrence of schedule {:?} on or after the anchor {}",
                self.data.name,
                schedule.name(),
                self.data.anchor
            )));
        };
        let k = u32::try_from(k).map_err(|_| self.out_of_range(occurrence.date))?;
        let swap = self
            .data
            .swaps
            .iter()
            .find(|s| s.date == occurrence.scheduled || s.date == occurrence.date);
        let label = format!("the {} occurrence of {}", occurrence.date, schedule.name());
        self.decide(
            turn,
            swap,
            k,
            occurrence.date,
            occurrence.date,
            occurrence.date,
            label,
        )
    }

    /// The duty of `count` consecutive periods from the one containing
    /// `from`, each as on its first day: the rotation's table. Weekly and
    /// monthly rotations only.
    ///
    /// # Errors
    ///
    /// As [`on_date`](Self::on_date).
    pub fn table(&self, from: NaiveDate, count: usize) -> Result<Vec<Duty>> {
        let (k, _, _) = self.period_of(from)?;
        let mut out = Vec::with_capacity(count);
        for j in (k..).take(count) {
            let start = self
                .period_start(j)
                .ok_or_else(|| self.out_of_range(from))?;
            out.push(self.on_date(start)?);
        }
        Ok(out)
    }

    fn out_of_range(&self, date: NaiveDate) -> Error {
        Error::refused(format!(
            "rotation {:?}: {date} is out of range",
            self.data.name
        ))
    }

    /// The period containing `date`: its index, first and last date.
    fn period_of(&self, date: NaiveDate) -> Result<(u32, NaiveDate, NaiveDate)> {
        let anchor = self.data.anchor;
        if date < anchor {
            return Err(Error::refused(format!(
                "rotation {:?}: {date} is before its anchor {anchor}",
                self.data.name
            )));
        }
        let guess = match self.data.period {
            Period::PerOccurrence => {
                return Err(Error::refused(format!(
                    "rotation {:?} turns per occurrence: ask who is on duty for an occurrence, not a date",
                    self.data.name
                )));
            }
            Period::Weekly => (date - anchor).num_days() / 7,
            Period::Monthly => {
                let m = i64::from(date.year() - anchor.year()) * 12 + i64::from(date.month())
                    - i64::from(anchor.month());
                m.max(0)
            }
        };
        let mut k = u32::try_from(guess).map_err(|_| self.out_of_range(date))?;
        // A monthly guess can be one too far when the day of the month
        // is before the anchor's.
        while k > 0 && self.period_start(k).is_none_or(|s| s > date) {
            k -= 1;
        }
        let start = self
            .period_start(k)
            .ok_or_else(|| self.out_of_range(date))?;
        let end = self
            .period_start(k + 1)
            .and_then(|n| n.pred_opt())
            .ok_or_else(|| self.out_of_range(date))?;
        Ok((k, start, end))
    }

    fn period_start(&self, k: u32) -> Option<NaiveDate> {
        let anchor = self.data.anchor;
        match self.data.period {
            Period::Weekly => anchor.checked_add_days(Days::new(u64::from(k) * 7)),
            Period::Monthly => anchor.checked_add_months(Months::new(k)),
            Period::PerOccurrence => None,
        }
    }

    /// The roster index of the turn after `prev` for a period starting on
    /// `start`: the next member in roster order active on that date.
    fn next_turn(&self, prev: Option<usize>, start: NaiveDate) -> Option<usize> {
        let n = self.data.roster.len();
        let first = prev.map_or(0, |p| p + 1);
        (0..n)
            .map(|i| (first + i) % n)
            .find(|i| self.data.roster[*i].active_on(start))
    }

    fn absence(&self, person: &str, date: NaiveDate) -> Option<&Absence> {
        self.data
            .absences
            .iter()
            .find(|a| a.person == person && a.covers(date))
    }

    fn available(&self, i: usize, date: NaiveDate) -> bool {
        let m = &self.data.roster[i];
        m.active_on(date) && self.absence(&m.name, date).is_none()
    }

    #[allow(clippy::too_many_arguments)] // a private assembly step of one record
    fn decide(
        &self,
        turn: Option<usize>,
        swap: Option<&Swap>,
        period: u32,
        start: NaiveDate,
        end: NaiveDate,
        date: NaiveDate,
        label: String,
    ) -> Result<Duty> {
        let roster = &self.data.roster;
        let name = &self.data.name;
        let index = |who: &str| roster.iter().position(|m| m.name == who);
        let mut reasons = Vec::new();
        let turn_name = turn.map(|t| roster[t].name.clone());
        match &turn_name {
            Some(t) => reasons.push(format!(
                "{label} is period {} of {name} ({} from {}): {t}'s turn",
                period + 1,
                self.data.period,
                self.data.anchor
            )),
            None => reasons.push(format!(
                "{label} is period {} of {name}: nobody on the roster is active on {start}",
                period + 1
            )),
        }
        let mut by = DutyBy::Turn;
        let mut scheduled = turn;
        if let Some(s) = swap {
            if let (Some(expected), Some(t)) = (&s.instead_of, &turn_name)
                && expected != t
            {
                return Err(Error::config(format!(
                    "rotation {name:?}: the swap on {} gives {:?} the period instead of {expected:?}, but it is {t:?}'s turn",
                    s.date, s.person
                )));
            }
            scheduled = index(&s.person);
            by = DutyBy::Swap;
            let why = if s.reason.is_empty() {
                String::new()
            } else {
                format!(": {}", s.reason)
            };
            reasons.push(format!(
                "swapped: {} takes it instead of {}{why}",
                s.person,
                turn_name.as_deref().unwrap_or("nobody")
            ));
        }
        let Some(scheduled) = scheduled else {
            return Err(Error::refused(format!(
                "rotation {name:?}: nobody on the roster is active on {start}"
            )));
        };
        let mut person = scheduled;
        if !self.available(scheduled, date) {
            let who = &roster[scheduled].name;
            match self.absence(who, date) {
                Some(a) => {
                    let why = if a.reason.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", a.reason)
                    };
                    reasons.push(format!("{who} is absent from {} to {}{why}", a.from, a.to));
                }
                None => reasons.push(format!("{who} is not on the roster on {date}")),
            }
            let n = roster.len();
            let cover = (1..n)
                .map(|i| (scheduled + i) % n)
                .find(|i| self.available(*i, date))
                .ok_or_else(|| {
                    Error::refused(format!(
                        "rotation {name:?}: nobody on the roster is available on {date}"
                    ))
                })?;
            reasons.push(format!(
                "{} covers, the next available after {who} in the roster",
                roster[cover].name
            ));
            person = cover;
            by = DutyBy::Cover;
        }
        Ok(Duty {
            rotation: name.clone(),
            person: roster[person].name.clone(),
            by,
            turn: turn_name.unwrap_or_default(),
            period,
            start,
            end,
            date,
            reasons,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn weekly(names: &[&str]) -> Rotation {
        Rotation::new(
            "on-call",
            names.iter().map(|n| Member::new(n)).collect(),
            Period::Weekly,
            d("2024-01-01"),
            Zone::UTC,
        )
        .unwrap()
    }

    #[test]
    fn weekly_turns_go_round() {
        let r = weekly(&["a", "b", "c"]);
        let people: Vec<String> = r
            .table(d("2024-01-01"), 5)
            .unwrap()
            .into_iter()
            .map(|x| x.person)
            .collect();
        assert_eq!(people, ["a", "b", "c", "a", "b"]);
        assert_eq!(r.on_date(d("2024-01-14")).unwrap().person, "b");
        assert_eq!(r.on_date(d("2024-01-15")).unwrap().person, "c");
    }

    #[test]
    fn joiner_takes_turns_from_since_only() {
        let before = weekly(&["a", "b", "c"]);
        let mut data: RotationData = before.clone().into();
        data.roster
            .insert(1, Member::new("new").since(d("2024-02-01")));
        let after = Rotation::try_from(data).unwrap();
        for day in d("2024-01-01")
            .iter_days()
            .take_while(|x| *x < d("2024-02-01"))
        {
            assert_eq!(
                before.on_date(day).unwrap().person,
                after.on_date(day).unwrap().person
            );
        }
        // Periods from 02-05 (the first starting on or after 02-01) see them.
        let people: Vec<String> = after
            .table(d("2024-01-29"), 4)
            .unwrap()
            .into_iter()
            .map(|x| x.person)
            .collect();
        // 01-29 is b's turn; then c, a, and "new" (after a in roster order).
        assert_eq!(people, ["b", "c", "a", "new"]);
    }

    #[test]
    fn leaver_is_skipped_and_covered() {
        let mut data: RotationData = weekly(&["a", "b", "c"]).into();
        data.roster[1] = Member::new("b").until(d("2024-01-10"));
        let r = Rotation::try_from(data).unwrap();
        // b's week starts 01-08 (b active), but b leaves after 01-10.
        let duty = r.on_date(d("2024-01-12")).unwrap();
        assert_eq!((duty.person.as_str(), duty.by), ("c", DutyBy::Cover));
        assert_eq!(r.on_date(d("2024-01-15")).unwrap().person, "c");
        assert_eq!(r.on_date(d("2024-01-22")).unwrap().person, "a");
        assert_eq!(r.on_date(d("2024-01-29")).unwrap().person, "c");
    }

    #[test]
    fn monthly_periods_clamp_to_month_end() {
        let r = Rotation::new(
            "rm",
            vec![Member::new("a"), Member::new("b")],
            Period::Monthly,
            d("2024-01-31"),
            Zone::UTC,
        )
        .unwrap();
        let duty = r.on_date(d("2024-02-29")).unwrap();
        assert_eq!((duty.start, duty.end), (d("2024-02-29"), d("2024-03-30")));
        assert_eq!(duty.person, "b");
        let duty = r.on_date(d("2024-02-28")).unwrap();
        assert_eq!((duty.start, duty.end), (d("2024-01-31"), d("2024-02-28")));
        assert_eq!(duty.person, "a");
    }

    #[test]
    fn errors_name_the_rotation() {
        let r = weekly(&["a"]);
        assert_eq!(
            r.on_date(d("2023-12-31")).unwrap_err().to_string(),
            "rotation \"on-call\": 2023-12-31 is before its anchor 2024-01-01"
        );
        let e = weekly(&["a", "b"])
            .with_swap(Swap {
                date: d("2024-01-02"),
                person: "zed".into(),
                instead_of: None,
                reason: String::new(),
            })
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "rotation \"on-call\": the swap on 2024-01-02 names \"zed\", who is not on the roster (\"a\", \"b\")"
        );
        let r = weekly(&["a", "b"])
            .with_swap(Swap {
                date: d("2024-01-02"),
                person: "b".into(),
                instead_of: Some("b".into()),
                reason: String::new(),
            })
            .unwrap();
        assert_eq!(
            r.on_date(d("2024-01-03")).unwrap_err().to_string(),
            "rotation \"on-call\": the swap on 2024-01-02 gives \"b\" the period instead of \"b\", but it is \"a\"'s turn"
        );
    }

    #[test]
    fn everyone_absent_is_refused() {
        let r = weekly(&["a"])
            .with_absence(Absence {
                person: "a".into(),
                from: d("2024-01-02"),
                to: d("2024-01-03"),
                reason: String::new(),
            })
            .unwrap();
        let e = r.on_date(d("2024-01-02")).unwrap_err();
        assert!(e.is_refused());
        assert_eq!(r.on_date(d("2024-01-04")).unwrap().person, "a");
    }
}
