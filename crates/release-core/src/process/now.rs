//! One model of "now": the facts every path evaluates gates on.
//!
//! `plan`, `explain`, a `release run`, `approve`, `waive`, `skip`,
//! `cancel`, `fact` and Python's `Run` all see the same facts at an
//! instant: the journal's own events, the facts given, and what the
//! calendar says (`calendar.window_open`, `calendar.holiday`,
//! `calendar.milestone`) at each event's time. The calendar's answers are
//! not journaled by the person who approves; they are recomputed here,
//! before each event, so that an approval inside a window replays inside
//! it, whoever replays it and whenever.

use chrono::{DateTime, Utc};

use super::model::Process;
use crate::Result;
use crate::gate::Fact;
use crate::run::{Event, EventKind, Run};

impl Process {
    /// What the calendar says at `at` that `run` does not hold yet, as
    /// `fact` events at `at`: each calendar fact whose value or expiry
    /// differs from the one the run holds then (or that it lacks). Empty
    /// for a process without windows or schedules, and when the run knows
    /// it all already, so that applying them twice changes nothing.
    ///
    /// An edge that journals a run (`release run`) writes these events: the
    /// journal then shows what the calendar said when.
    pub fn calendar_events(&self, run: &Run, at: DateTime<Utc>) -> Vec<Event> {
        if !self.has_calendar() {
            return Vec::new();
        }
        self.calendar_facts(at)
            .iter()
            .filter(|fact| !held(run, fact, at))
            .map(|fact| Event::new(at, EventKind::fact(fact.clone())))
            .collect()
    }

    /// Applies [`calendar_events`](Self::calendar_events) at `at` to `run`:
    /// what every path does before an event at `at`.
    ///
    /// # Errors
    ///
    /// An event the run refuses: none, unless `at` is before the run's
    /// last event.
    pub fn catch_up(&self, run: &mut Run, at: DateTime<Utc>) -> Result<()> {
        for event in self.calendar_events(run, at) {
            run.apply(event)?;
        }
        Ok(())
    }

    /// Applies `event` to `run` after what the calendar says at its time
    /// ([`catch_up`](Self::catch_up)): an approval, a waiver, a skip, a
    /// cancellation or a fact as every path sees it. A refused event
    /// leaves the run as it was, calendar facts included.
    ///
    /// # Errors
    ///
    /// The run's error for the event (see [`Run::apply`]).
    pub fn apply(&self, run: &mut Run, event: Event) -> Result<()> {
        let known = self.calendar_events(run, event.at);
        if known.is_empty() {
            return run.apply(event);
        }
        // Only when the calendar has news is the run copied, so that a
        // refusal can leave it as it was.
        let mut next = run.clone();
        for fact in known {
            next.apply(fact)?;
        }
        next.apply(event)?;
        *run = next;
        Ok(())
    }

    /// Rebuilds the run of `journal`: each event applied after what the
    /// calendar said at its time ([`apply`](Self::apply)). The run's
    /// journal holds the calendar's facts between the events given.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming the first
    /// event the run refuses (`journal event 3: ...`).
    pub fn replay(&self, journal: &[Event]) -> Result<Run> {
        let mut run = Run::new(self.pipeline().clone());
        for (n, event) in journal.iter().enumerate() {
            self.replay_one(&mut run, n, event)?;
        }
        Ok(run)
    }

    /// [`replay`](Self::replay), then an `interrupted` event at `now` for
    /// every task started and never finished (see [`Run::resume`]).
    ///
    /// # Errors
    ///
    /// As [`replay`](Self::replay).
    pub fn resume(&self, journal: &[Event], now: DateTime<Utc>) -> Result<Run> {
        self.resumed(self.replay(journal)?, now)
    }

    /// A run [`replay`](Self::replay)ed, resumed at `now`: an `interrupted`
    /// event for every task started and never finished, then the
    /// calendar's answers at `now`. An edge that needs to know where the
    /// replay ended (to write only what the resume adds) replays first.
    ///
    /// # Errors
    ///
    /// As [`Run::resume`].
    pub fn resumed(&self, replayed: Run, now: DateTime<Utc>) -> Result<Run> {
        // The interruptions are the run's own rule; the replayed journal,
        // calendar facts included, is the input it applies them to.
        let mut run = Run::resume(
            replayed.pipeline().clone(),
            replayed.journal().to_vec(),
            now,
        )?;
        self.catch_up(&mut run, now)?;
        Ok(run)
    }

    /// One journal event of a replay, numbered from 0 in errors as
    /// `journal event N` (from 1).
    pub(crate) fn replay_one(&self, run: &mut Run, n: usize, event: &Event) -> Result<()> {
        self.catch_up(run, event.at)
            .and_then(|()| run.apply(event.clone()))
            .map_err(|e| crate::Error::invalid(format!("journal event {}: {e}", n + 1)))
    }

    /// Whether the calendar gives facts at all (windows or schedules).
    fn has_calendar(&self) -> bool {
        !self.def().windows.is_empty() || !self.def().schedules.is_empty()
    }
}

/// Whether `run` holds `fact` at `at` already: the same value, expiring
/// at the same time.
fn held(run: &Run, fact: &Fact, at: DateTime<Utc>) -> bool {
    run.facts()
        .latest(fact.kind, &fact.subject, at)
        .is_some_and(|f| f.value == fact.value && f.expires == fact.expires)
}
