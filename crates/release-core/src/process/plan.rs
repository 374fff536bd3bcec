//! What happens next, in order, with dates, durations and who is on duty.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::model::Process;
use crate::Result;
use crate::calendar::{CalendarPoint, Duty, MilestoneAt, Occurrence, Schedule};
use crate::duration::{Estimate, Span};
use crate::edit::PlannedEdit;
use crate::gate::{FactKind, FactValue, Facts, Rule};
use crate::pipeline::{StepId, StepKind, Wait};
use crate::run::{BlockReason, Event, EventKind, Run, Task, TaskState};

/// The next release of a process from an instant: its release day, who is
/// on duty, its milestones, and every step in order with when it can start
/// and finish at the earliest and latest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The process's name.
    pub process: String,
    /// The instant planned from.
    pub now: DateTime<Utc>,
    /// The next release day, if the process has schedules.
    pub release: Option<Release>,
    /// The steps, in a topological order.
    pub steps: Vec<PlannedStep>,
    /// The whole pipeline's duration: with unlimited parallelism, the
    /// longest chain by minimum .. by maximum estimates.
    pub estimate: Estimate,
    /// What is left from `now`: until the last step that can start
    /// finishes, at the earliest .. at the latest (slots, windows and
    /// waits included).
    pub remaining: Estimate,
    /// The chain of steps that decides the duration.
    pub critical_path: Vec<String>,
    /// When the last step that can start finishes, at the latest.
    pub finish: DateTime<Utc>,
}

/// The release day a plan works towards.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// The `[[releases]]` entry this release day is of, by name; `None`
    /// for a process without `[[releases]]`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The occurrence (with holiday moves noted).
    pub occurrence: Occurrence,
    /// Who is on duty that day, one per rotation.
    pub on_duty: Vec<Duty>,
    /// The milestones of that occurrence.
    pub milestones: Vec<MilestoneAt>,
}

/// One step of a plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStep {
    /// The step's id.
    pub id: String,
    /// Its kind.
    pub kind: StepKind,
    /// Its component, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// Its environment, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
    /// Whether a person must approve it.
    pub manual: bool,
    /// The state now: `ready`, `pending` (needs unmet), `succeeded`, ...
    pub state: TaskState,
    /// The earliest start (every earlier step at its minimum estimate);
    /// for a step already done, when it started (from the journal).
    pub start: DateTime<Utc>,
    /// The latest finish (every step at its maximum estimate); for a step
    /// already done, when it ended.
    pub finish: DateTime<Utc>,
    /// The step can never start: its environment's schedule has no slot
    /// left, a window it needs never opens again, or a step it needs can
    /// never start. Its start and finish then mean nothing.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub never: bool,
    /// Its own estimate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estimate: Option<Estimate>,
    /// The deployment slot it waits for (its environment's schedule).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<Occurrence>,
    /// The earliest start its `not_before` allows, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<DateTime<Utc>>,
    /// Its deadline (`due`), if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<DateTime<Utc>>,
    /// How late it finishes after its deadline even at its earliest: it
    /// cannot make it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub misses_by: Option<Span>,
    /// Why it is not ready now, or what it waits for.
    pub reasons: Vec<String>,
    /// The files it edits when it runs, with the plan's values in their
    /// placeholders (see [`Process::edits_of`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<PlannedEdit>,
}

impl Process {
    /// Plans the next release from `now`: `facts` are what is known
    /// (test results, approvals; the calendar's own facts are added), and
    /// `journal` the events of a run in progress (empty for a fresh one).
    ///
    /// Deploy steps into an environment with a schedule start at its next
    /// slot; a step gated by `in_window` starts when the window next opens;
    /// a `wait` step adds its duration. Start and finish bracket the step:
    /// the earliest start with every estimate at its minimum, the latest
    /// finish with every estimate at its maximum.
    ///
    /// # Errors
    ///
    /// The error of a journal event the run refuses (an unknown step, a
    /// finish without a start), or a rotation or milestone that cannot be
    /// resolved for the release day.
    pub fn plan(&self, now: DateTime<Utc>, facts: &Facts, journal: &[Event]) -> Result<Plan> {
        self.plan_for(now, facts, journal, None)
    }

    /// Plans the next release of the `[[releases]]` entry named `release`
    /// (the default release when `None`: [`plan`](Self::plan)).
    ///
    /// # Errors
    ///
    /// As [`plan`](Self::plan); a [config error](crate::ErrorKind::Config)
    /// for a `release` that names no `[[releases]]` entry.
    pub fn plan_for(
        &self,
        now: DateTime<Utc>,
        facts: &Facts,
        journal: &[Event],
        release: Option<&str>,
    ) -> Result<Plan> {
        self.plan_tagged(
            now,
            facts,
            journal,
            release,
            &BTreeMap::new(),
            &BTreeMap::new(),
        )
    }

    /// [`plan_for`](Self::plan_for) with the components' existing `tags`
    /// and the `changes` since each one's latest (by component), from
    /// which the steps' file edits take their versions and tags (see
    /// [`Process::context_with`]); a value the plan cannot compute (a
    /// SemVer version without tags) is left as written (`{version}`).
    ///
    /// # Errors
    ///
    /// As [`plan_for`](Self::plan_for), and the errors of
    /// [`next_releases`](Self::next_releases) when a step edits files.
    pub fn plan_tagged(
        &self,
        now: DateTime<Utc>,
        facts: &Facts,
        journal: &[Event],
        release: Option<&str>,
        tags: &BTreeMap<String, Vec<String>>,
        changes: &BTreeMap<String, Vec<crate::version::Change>>,
    ) -> Result<Plan> {
        let mut plan = self.plan_steps(now, facts, journal, release)?;
        let pipeline = self.pipeline();
        if pipeline.nodes().any(|n| !n.step().details.edits.is_empty()) {
            let (context, _) = self.context_with(now, tags, changes, facts, journal, release)?;
            for (step, &id) in plan.steps.iter_mut().zip(pipeline.order()) {
                let task = Task::of(pipeline, id, 1).in_context(Some(&context));
                step.edits = self.edits_of(&task, true)?;
            }
        }
        Ok(plan)
    }

    /// The plan without the steps' edits: what the core's own answers
    /// (the release date, next versions, explain, the Gantt chart) read,
    /// which the edits' context is made from.
    pub(crate) fn plan_steps(
        &self,
        now: DateTime<Utc>,
        facts: &Facts,
        journal: &[Event],
        release: Option<&str>,
    ) -> Result<Plan> {
        let run = self.run_at(now, facts, journal)?;
        let pipeline = self.pipeline();
        let (mut release, by_release_day) = match release {
            None => self.release_after(now)?,
            Some(name) => {
                let entry = self.release_named(name)?;
                (self.release_of(entry.schedule.as_str(), now)?, true)
            }
        };
        let blocked = run.blocked();
        // By task, so that each step finds its reasons at once (a search of
        // the list per step made a long chain quadratic).
        let blocked: HashMap<&str, &crate::run::Blocked> =
            blocked.iter().map(|b| (b.task.as_str(), b)).collect();
        // With a release day, nothing starts before it.
        let anchor = match (by_release_day, &release) {
            (true, Some(r)) => r.occurrence.at.max(now),
            _ => now,
        };
        let done_at = done_times(journal);
        let n = pipeline.len();
        let mut finish_min = vec![now; n];
        let mut finish_max = vec![now; n];
        let mut never = vec![false; n];
        let mut early = vec![false; n];
        let mut steps = Vec::with_capacity(n);
        for &id in pipeline.order() {
            let node = pipeline.node(id);
            let step = node.step();
            let state = run.state(id);
            let mut reasons = Vec::new();
            if matches!(
                state,
                TaskState::Succeeded | TaskState::Skipped | TaskState::Waived
            ) {
                let (began, ended) = done_at.get(node.id()).copied().unwrap_or((None, None));
                let ended = ended.unwrap_or(now);
                steps.push(self.planned(id, state, began.unwrap_or(ended), ended, None, reasons));
                continue;
            }
            // A step placed on the calendar (`not_before`), and every step
            // after one, starts when the calendar and its needs say, not at
            // the release day: a freeze months before a final is planned
            // then.
            early[id.index()] = step.details.not_before.is_some()
                || node.needs().iter().any(|need| early[need.index()]);
            let base = if early[id.index()] { now } else { anchor };
            let (mut lo, mut hi) = node.needs().iter().fold((base, base), |(lo, hi), need| {
                (
                    lo.max(finish_min[need.index()]),
                    hi.max(finish_max[need.index()]),
                )
            });
            let mut cannot = node.needs().iter().any(|need| never[need.index()]);
            if cannot {
                reasons.push("a step it needs can never start".to_owned());
            }
            let mut not_before = None;
            if let (Some(point), Some(r)) = (&step.details.not_before, &release)
                && !cannot
            {
                match self.point_at(r, point)? {
                    Some(t) => {
                        if t > lo {
                            reasons.push(format!(
                                "waits for {point} at {}",
                                self.local_stamp(r, t)
                            ));
                        }
                        lo = lo.max(t);
                        hi = hi.max(t);
                        not_before = Some(t);
                    }
                    None => reasons.push(format!(
                        "not_before {point}: the milestone is cancelled for this release, so it does not hold the step back"
                    )),
                }
            }
            let mut slot = None;
            if let Some(schedule) = self.slot_schedule(id).filter(|_| !cannot) {
                if let (Some(a), Some(b)) = (at_or_after(schedule, lo), at_or_after(schedule, hi)) {
                    reasons.push(format!(
                        "waits for the {} slot {}",
                        schedule.name(),
                        a.local.format("%Y-%m-%d %H:%M")
                    ));
                    lo = a.at;
                    hi = b.at;
                    slot = Some(a);
                } else {
                    reasons.push(format!(
                        "schedule {:?} has no slot at or after {}",
                        schedule.name(),
                        stamp(lo)
                    ));
                    cannot = true;
                }
            }
            for window in self.gate_windows(id) {
                if cannot {
                    break;
                }
                match self.window_open_from(&window, lo) {
                    Some(t) => {
                        if t > lo {
                            reasons.push(format!("window {window:?} opens {}", stamp(t)));
                        }
                        lo = t;
                    }
                    None => {
                        reasons.push(format!("window {window:?} never opens again"));
                        cannot = true;
                    }
                }
                if let Some(t) = self.window_open_from(&window, hi) {
                    hi = t;
                }
            }
            // The release day decided the start (no need, slot or window
            // pushed it later): say so, so that no waiting step goes
            // without a reason.
            if reasons.is_empty()
                && !early[id.index()]
                && lo > now
                && lo == anchor
                && let Some(r) = &release
            {
                reasons.push(format!(
                    "waits for the release day: {} at {}",
                    r.occurrence.schedule,
                    self.local_stamp(r, lo)
                ));
            }
            let (wait_lo, wait_hi) = match &step.details.wait {
                Some(Wait::For(span)) => (span.to_delta(), span.to_delta()),
                Some(Wait::Until(t)) => (
                    (*t - lo).max(Duration::zero()),
                    (*t - hi).max(Duration::zero()),
                ),
                None => (Duration::zero(), Duration::zero()),
            };
            let estimate = node.estimate();
            let (min, max) = estimate.map_or((Duration::zero(), Duration::zero()), |e| {
                (e.min().to_delta(), e.max().to_delta())
            });
            if let Some(b) = blocked.get(node.id()) {
                for reason in &b.reasons {
                    if let Some(text) = describe(reason) {
                        reasons.push(text);
                    }
                }
            }
            // A wait is the least the step takes; its estimate may say more.
            finish_min[id.index()] = plus(lo, wait_lo.max(min));
            finish_max[id.index()] = plus(hi, wait_hi.max(max));
            never[id.index()] = cannot;
            let mut due = None;
            let mut misses_by = None;
            if let (Some(point), Some(r)) = (&step.details.due, &release) {
                match self.point_at(r, point)? {
                    Some(t) => {
                        due = Some(t);
                        let (early, late) = (finish_min[id.index()], finish_max[id.index()]);
                        let when = self.local_stamp(r, t);
                        let late_by = |end: DateTime<Utc>| {
                            Span::seconds_of(u64::try_from((end - t).num_seconds()).unwrap_or(0))
                        };
                        if now > t {
                            reasons.push(format!("overdue since {when} (due by {point})"));
                        } else if cannot {
                            reasons.push(format!("due by {point} at {when}"));
                        } else if early > t {
                            misses_by = Some(late_by(early));
                            reasons.push(format!(
                                "cannot finish by {point} at {when}: misses it by {} at the earliest",
                                late_by(early)
                            ));
                        } else if late > t {
                            reasons.push(format!(
                                "due by {point} at {when}; may miss it by up to {}",
                                late_by(late)
                            ));
                        } else {
                            reasons.push(format!("due by {point} at {when}"));
                        }
                        if now > t {
                            misses_by = Some(late_by(early.max(now)));
                        }
                    }
                    None => reasons.push(format!(
                        "due {point}: the milestone is cancelled for this release, so the step has no deadline"
                    )),
                }
            }
            let mut planned = self.planned(id, state, lo, finish_max[id.index()], slot, reasons);
            planned.never = cannot;
            planned.not_before = not_before;
            planned.due = due;
            planned.misses_by = misses_by;
            steps.push(planned);
        }
        // Without a release day, the release is the slot the last scheduled
        // environment's deploy actually takes.
        if !by_release_day
            && let Some(o) = self.last_deploy_slot(&steps)
            && let Some(schedule) = self.schedule(&o.schedule)
        {
            release = Some(self.release_on(schedule, o)?);
        }
        let reachable = |v: &[DateTime<Utc>]| {
            v.iter()
                .zip(&never)
                .filter(|(_, never)| !**never)
                .map(|(t, _)| *t)
                .max()
                .unwrap_or(now)
        };
        let (end_min, end_max) = (reachable(&finish_min), reachable(&finish_max));
        let span = |t: DateTime<Utc>| {
            Span::seconds_of(u64::try_from((t - now).num_seconds()).unwrap_or(0))
        };
        let remaining = Estimate::new(span(end_min), span(end_max).max(span(end_min)))?;
        let path = pipeline.critical_path();
        Ok(Plan {
            process: self.name().to_owned(),
            now,
            release,
            finish: end_max,
            estimate: path.total,
            remaining,
            critical_path: path.steps.iter().map(|s| s.id.clone()).collect(),
            steps,
        })
    }

    /// The date a release planned from `now` carries (what CalVer versions
    /// are made of): the local date of the plan's release day, or `now`'s
    /// UTC date when the process has no schedule.
    ///
    /// # Errors
    ///
    /// As [`Process::plan`].
    pub fn release_date(
        &self,
        now: DateTime<Utc>,
        facts: &Facts,
        journal: &[Event],
    ) -> Result<chrono::NaiveDate> {
        let plan = self.plan_steps(now, facts, journal, None)?;
        Ok(plan
            .release
            .map_or_else(|| now.date_naive(), |r| r.occurrence.date))
    }

    /// The slot of the deploy step into the last environment (in promotion
    /// order) that has a schedule, as planned.
    fn last_deploy_slot(&self, steps: &[PlannedStep]) -> Option<Occurrence> {
        let env = self
            .def()
            .environments
            .iter()
            .rev()
            .find(|e| e.schedule.is_some())?;
        steps
            .iter()
            .filter(|s| s.environment.as_deref() == Some(env.name.as_str()) && !s.never)
            .find_map(|s| s.slot.clone())
    }

    /// A run of the pipeline at `now`: the journal replayed in order, each
    /// event after what was known by its time (the calendar's answer then,
    /// and the given `facts` made at or before it), so a step started once
    /// its CI was green, or approved inside its window, replays; then the
    /// calendar's facts and the remaining `facts` at `now`, and time let
    /// pass to `now`.
    ///
    /// This is the run `plan` and `explain` answer from, and the one a
    /// recording edge applies its event to (through [`Process::replay`],
    /// the same replay without given facts): every path evaluates gates
    /// on these facts.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) for a journal event
    /// the run refuses (`journal event N: ...`), a `requester` fact given
    /// with a journal, or facts naming several requesters.
    pub fn run_at(&self, now: DateTime<Utc>, facts: &Facts, journal: &[Event]) -> Result<Run> {
        let mut run = Run::new(self.pipeline().clone());
        // Given facts may name the requester of a run not started (a
        // what-if): the run's first event. A journal names its own.
        let mut requesters: Vec<crate::identity::Identity> = Vec::new();
        for fact in facts.iter().filter(|f| f.kind == FactKind::Requester) {
            if !journal.is_empty() {
                return Err(crate::Error::invalid(
                    "a `requester` fact is refused with a journal: the run's requester is given when it starts (`release run --requested-by`) and cannot change".to_owned(),
                ));
            }
            let who = match &fact.value {
                FactValue::Text(t) => crate::identity::Identity::new(t)
                    .map_err(|e| crate::Error::invalid(format!("requester fact: {e}")))?,
                other => {
                    return Err(crate::Error::invalid(format!(
                        "requester fact: its value {other} is not a person"
                    )));
                }
            };
            if !requesters.contains(&who) {
                requesters.push(who);
            }
        }
        if requesters.len() > 1 {
            let names: Vec<String> = requesters.iter().map(ToString::to_string).collect();
            return Err(crate::Error::invalid(format!(
                "the facts name more than one requester ({}); a release has one",
                names.join(", ")
            )));
        }
        if let Some(by) = requesters.pop() {
            let at = facts.iter().map(|f| f.at).min().unwrap_or(now).min(now);
            run.apply(Event::new(at, EventKind::Requested { by }))?;
        }
        let record = |run: &mut Run, fact: &crate::gate::Fact, at: DateTime<Utc>| {
            run.apply_given(Event::new(
                at.max(fact.at),
                EventKind::Fact {
                    fact: Box::new(fact.clone()),
                },
            ))
        };
        let mut given: Vec<&crate::gate::Fact> = facts
            .iter()
            .filter(|f| f.kind != FactKind::Requester)
            .collect();
        given.sort_by_key(|f| f.at);
        let mut next_fact = 0;
        for (n, event) in journal.iter().enumerate() {
            while let Some(fact) = given.get(next_fact).filter(|f| f.at <= event.at) {
                record(&mut run, fact, fact.at)?;
                next_fact += 1;
            }
            self.replay_one(&mut run, n, event)?;
        }
        self.catch_up(&mut run, now)?;
        for fact in &given[next_fact..] {
            record(&mut run, fact, now)?;
        }
        run.tick(now);
        Ok(run)
    }

    /// The next release day from `now` (today's, even if its time has
    /// passed) and whether it comes from `release_day`: of the
    /// `release_day` schedule, else of the last environment in promotion
    /// order with a schedule (the release reaches production then; `plan`
    /// then uses the slot its deploy takes), else of the file's first
    /// schedule.
    pub(crate) fn release_after(&self, now: DateTime<Utc>) -> Result<(Option<Release>, bool)> {
        let by_release_day = self.def().release_day.is_some() || !self.def().releases.is_empty();
        let Some(name) = super::model::release_schedule_name(self.def()) else {
            return Ok((None, by_release_day));
        };
        Ok((self.release_of(name, now)?, by_release_day))
    }

    /// The next release day of schedule `name` from `now`.
    fn release_of(&self, name: &str, now: DateTime<Utc>) -> Result<Option<Release>> {
        let Some(schedule) = self.schedule(name) else {
            return Ok(None);
        };
        match next_occurrence(schedule, now) {
            Some(occurrence) => Ok(Some(self.release_on(schedule, occurrence)?)),
            None => Ok(None),
        }
    }

    /// The release on `occurrence`: who is on duty, its milestones.
    fn release_on(&self, schedule: &Schedule, occurrence: Occurrence) -> Result<Release> {
        let on_duty = self
            .rotations()
            .iter()
            .map(|r| r.for_occurrence(schedule, &occurrence))
            .collect::<Result<Vec<_>>>()?;
        let milestones = match self.milestones(schedule.name()) {
            Some(m) => m.resolve_among(schedule, &occurrence, &self.def().schedules)?,
            None => Vec::new(),
        };
        let name = self
            .def()
            .releases
            .iter()
            .find(|r| r.schedule == schedule.name())
            .map(|r| r.name().to_owned());
        Ok(Release {
            name,
            occurrence,
            on_duty,
            milestones,
        })
    }

    /// The schedule that gives a step its slots: a deploy step's
    /// environment's.
    fn slot_schedule(&self, id: StepId) -> Option<&Schedule> {
        let step = self.pipeline().node(id).step();
        if step.kind != StepKind::Deploy {
            return None;
        }
        let env = self
            .pipeline()
            .environment(step.details.environment.as_deref()?)?;
        self.schedule(env.schedule.as_deref()?)
    }

    /// The windows a step's gates (and its environment's, for a deploy)
    /// require open.
    fn gate_windows(&self, id: StepId) -> Vec<String> {
        let node = self.pipeline().node(id);
        let step = node.step();
        let env_gates = match (&step.kind, step.details.environment.as_deref()) {
            (StepKind::Deploy, Some(env)) => self
                .pipeline()
                .environment(env)
                .map_or(&[][..], |e| e.gates.as_slice()),
            _ => &[],
        };
        let mut out = Vec::new();
        for gate in node.gates().iter().chain(env_gates) {
            if let Rule::InWindow(name) = &gate.rule
                && !out.contains(name)
            {
                out.push(name.clone());
            }
        }
        out
    }

    fn planned(
        &self,
        id: StepId,
        state: TaskState,
        start: DateTime<Utc>,
        finish: DateTime<Utc>,
        slot: Option<Occurrence>,
        reasons: Vec<String>,
    ) -> PlannedStep {
        let node = self.pipeline().node(id);
        let step = node.step();
        PlannedStep {
            id: node.id().to_owned(),
            kind: step.kind,
            component: step.details.component.clone(),
            environment: step.details.environment.clone(),
            manual: node.is_manual(),
            state,
            start,
            finish,
            estimate: node.estimate(),
            slot,
            reasons,
            never: false,
            not_before: None,
            due: None,
            misses_by: None,
            edits: Vec::new(),
        }
    }

    /// The instant of a calendar point of `release`: `Ok(None)` when its
    /// milestone is cancelled for this release (the reason says so).
    fn point_at(&self, release: &Release, point: &CalendarPoint) -> Result<Option<DateTime<Utc>>> {
        let Some(schedule) = self.schedule(&release.occurrence.schedule) else {
            return Ok(None);
        };
        let base = match &point.milestone {
            None => release.occurrence.local,
            Some(name) => match release.milestones.iter().find(|m| &m.name == name) {
                Some(m) => m.local,
                None => return Ok(None),
            },
        };
        let local = point
            .offset
            .apply(base, schedule.zone(), &mut schedule.work_days())?;
        Ok(Some(schedule.zone().resolve(local).0))
    }

    /// A release's instant in messages: local time and zone.
    fn local_stamp(&self, release: &Release, t: DateTime<Utc>) -> String {
        let zone = release.occurrence.zone;
        format!("{} {zone}", zone.local(t).format("%Y-%m-%d %H:%M"))
    }
}

/// `t` plus `d`, saturating at the latest instant chrono represents.
fn plus(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    t.checked_add_signed(d).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// An instant in messages: RFC 3339 in UTC, to the second.
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// When a task last started and ended, as far as the journal says.
type Times = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// When each task last started and ended, from the journal.
fn done_times(journal: &[Event]) -> HashMap<&str, Times> {
    let mut times: HashMap<&str, Times> = HashMap::new();
    for event in journal {
        match &event.kind {
            EventKind::Started { task, .. } => {
                times.entry(task.as_str()).or_default().0 = Some(event.at);
            }
            EventKind::Succeeded { task, .. }
            | EventKind::Skipped { task, .. }
            | EventKind::Approved {
                task: Some(task), ..
            }
            | EventKind::Waived {
                task: Some(task), ..
            } => {
                times.entry(task.as_str()).or_default().1 = Some(event.at);
            }
            _ => {}
        }
    }
    times
}

/// The next occurrence of `schedule` from `now`: today's (in the
/// schedule's zone), even if its time has passed, else the next one.
pub(crate) fn next_occurrence(schedule: &Schedule, now: DateTime<Utc>) -> Option<Occurrence> {
    let zone = schedule.zone();
    let today = zone.local(now).date().and_hms_opt(0, 0, 0);
    let from = today.map_or(now, |t| zone.resolve(t).0);
    at_or_after(schedule, from.min(now))
}

/// The first occurrence of `schedule` on or after the local `date`.
pub(crate) fn occurrence_on_or_after(
    schedule: &Schedule,
    date: chrono::NaiveDate,
) -> Option<Occurrence> {
    let zone = schedule.zone();
    let (from, _) = zone.resolve(date.and_hms_opt(0, 0, 0)?);
    at_or_after(schedule, from)
}

/// The first occurrence at or after `t`.
fn at_or_after(schedule: &Schedule, t: DateTime<Utc>) -> Option<Occurrence> {
    schedule.next_after(t - Duration::seconds(1))
}

/// A block reason in words; needs are left out (the plan's order shows
/// them).
pub(crate) fn describe(reason: &BlockReason) -> Option<String> {
    match reason {
        BlockReason::Needs { .. } => None,
        BlockReason::Gates { verdict } => {
            Some(holding_back(verdict).join("; ")).filter(|s| !s.is_empty())
        }
        BlockReason::AwaitingApproval => {
            Some("manual: awaits an approval (release approve)".to_owned())
        }
        BlockReason::WaitingUntil { until } => Some(format!("waiting until {until}")),
    }
}

/// The reasons of a verdict that hold a step back (failed or pending, and
/// blocking), in words: `gate "qa" pending: missing fact ...`.
pub(crate) fn holding_back(verdict: &crate::gate::Verdict) -> Vec<String> {
    verdict
        .reasons
        .iter()
        .filter(|r| r.blocking && !r.status.is_ok())
        .map(|r| format!("gate {:?} {}: {}", r.gate, r.status, r.detail))
        .collect()
}
