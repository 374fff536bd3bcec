//! A validated process: the pipeline built, every name resolved.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::def::ProcessDef;
use super::source;
use crate::calendar::{Milestones, Rotation, Schedule, Window, Windows};
use crate::doc_path::{self, Seg};
use crate::gate::{Fact, FactKind, FactValue, Facts, Gate, Rule};
use crate::line::Lines;
use crate::pipeline::Pipeline;
use crate::train::{Scenario, Simulation, Train};
use crate::{Error, Result, Warned, Warning};

/// The name calendar facts are reported under, as their source.
pub const CALENDAR_SOURCE: &str = "calendar";

/// A team's release process, validated: the pipeline is a DAG, every
/// schedule, window and milestone name used resolves, and the calendar
/// feeds the gates.
///
/// # Example
///
/// ```
/// use release_core::process::Process;
///
/// let process = Process::from_toml("release.toml", r#"
/// name = "demo"
/// [[steps]]
/// id = "tag"
/// kind = "tag"
/// [[steps]]
/// id = "deploy"
/// kind = "deploy"
/// needs = ["tag"]
/// "#)?;
/// assert_eq!(process.pipeline().len(), 2);
///
/// let err = Process::from_toml("release.toml", "[[steps]]\nid = \"a\"\nkind = \"tag\"\nnedds = []\n")
///     .unwrap_err();
/// assert_eq!(err.location().unwrap().line, 4);
/// assert!(err.message().starts_with("unknown field `nedds`"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Process {
    def: ProcessDef,
    pipeline: Arc<Pipeline>,
    /// One set per window of the file, in file order, so that each window
    /// can be asked alone whether it is open.
    window_sets: Vec<Windows>,
    trains: Vec<Train>,
    /// Whether a gate asks whether something held before a milestone, so
    /// that the calendar's facts must say when the milestones are.
    milestone_gates: bool,
    /// Each component's validated release lines, by component name, in
    /// file order.
    lines: Vec<(String, Lines)>,
    /// What reading the file warned about (deprecated spellings).
    warnings: Vec<Warning>,
}

impl Process {
    /// Reads and validates a process from TOML `text`; `source` names the
    /// text (its path) in error messages.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for text that is not a
    /// process file (bad TOML, an unknown key, a wrong type, an unknown time
    /// zone, an impossible date), placed at its line and column; the
    /// validation errors of [`Process::new`], placed at the table or key
    /// they concern.
    pub fn from_toml(source: &str, text: &str) -> Result<Process> {
        let Warned {
            value: def,
            warnings,
        } = source::deserialize::<ProcessDef>(source, text)?;
        let mut process = Process::validated(def)
            .map_err(|(err, path)| doc_path::place(err, source, text, &path))?;
        process.warnings = warnings;
        Ok(process)
    }

    /// The warnings of reading the process file: deprecated spellings, each
    /// placed at its line and column. Empty for a process built from a
    /// definition.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Validates a process definition.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming the offender
    /// and its place (`environments[1].schedule`): the pipeline's own errors
    /// (cycles, unknown or duplicate steps), duplicate schedule, window or
    /// rotation names, an environment's schedule, a milestone list or an
    /// `in_window`/`not_holiday` gate naming nothing in the file, a train
    /// whose environments are not in the process's promotion order. A
    /// train's own errors ([`Train::new`], its scenario's
    /// [`Train::check`]) as they are.
    pub fn new(def: ProcessDef) -> Result<Process> {
        Process::validated(def).map_err(|(err, _)| err)
    }

    fn validated(def: ProcessDef) -> Result<Process, (Error, Vec<Seg>)> {
        unique(
            def.schedules.iter().map(Schedule::name),
            "schedules",
            "schedule",
        )?;
        unique(
            def.windows.iter().map(|w| w.name.as_str()),
            "windows",
            "window",
        )?;
        unique(
            def.rotations.iter().map(Rotation::name),
            "rotations",
            "rotation",
        )?;
        let schedule_names: Vec<&str> = def.schedules.iter().map(Schedule::name).collect();
        let window_names: Vec<&str> = def.windows.iter().map(|w| w.name.as_str()).collect();
        if let Some(name) = &def.release_day
            && !schedule_names.contains(&name.as_str())
        {
            return Err((
                Error::invalid(format!(
                    "release_day: schedule {name:?} is not defined{}",
                    known("schedules", &schedule_names)
                )),
                vec![Seg::Key("release_day")],
            ));
        }
        check_releases(&def, &schedule_names)?;
        check_step_kinds(&def)?;
        if def.default_timeout.is_some_and(|t| t.seconds() == 0) {
            return Err((
                Error::invalid(
                    "default_timeout is 0; give a positive duration, or none (steps then run as long as they take)"
                        .to_owned(),
                ),
                vec![Seg::Key("default_timeout")],
            ));
        }
        for (i, env) in def.environments.iter().enumerate() {
            if let Some(name) = &env.schedule
                && !schedule_names.contains(&name.as_str())
            {
                return Err((
                    Error::invalid(format!(
                        "environments[{i}] ({:?}): schedule {name:?} is not defined{}",
                        env.name,
                        known("schedules", &schedule_names)
                    )),
                    vec![
                        Seg::Key("environments"),
                        Seg::Index(i),
                        Seg::Key("schedule"),
                    ],
                ));
            }
            let at = |j| {
                vec![
                    Seg::Key("environments"),
                    Seg::Index(i),
                    Seg::Key("gates"),
                    Seg::Index(j),
                ]
            };
            let place = format!("environments[{i}] ({:?})", env.name);
            check_gates(&env.gates, &place, &schedule_names, &window_names, at)?;
        }
        for (i, step) in def.steps.iter().enumerate() {
            let at = |j| {
                vec![
                    Seg::Key("steps"),
                    Seg::Index(i),
                    Seg::Key("gates"),
                    Seg::Index(j),
                ]
            };
            let place = format!("steps[{i}] ({:?})", step.id);
            check_gates(
                &step.details.gates,
                &place,
                &schedule_names,
                &window_names,
                at,
            )?;
        }
        check_commands(&def)?;
        check_edits(&def)?;
        for (i, step) in def.steps.iter().enumerate() {
            if let Some((problem, key)) = step.env_problem() {
                let mut at = vec![
                    Seg::Key("steps"),
                    Seg::Index(i),
                    Seg::Key("metadata"),
                    Seg::Key("env"),
                ];
                at.extend(key.map(Seg::Name));
                return Err((
                    Error::invalid(format!("steps[{i}] ({:?}): {problem}", step.id)),
                    at,
                ));
            }
        }
        for (name, milestones) in &def.milestones {
            if !schedule_names.contains(&name.as_str()) {
                return Err((
                    Error::invalid(format!(
                        "milestones: {name:?} is not a schedule{}",
                        known("schedules", &schedule_names)
                    )),
                    vec![Seg::Key("milestones")],
                ));
            }
            for (i, m) in milestones.milestones().iter().enumerate() {
                if let Some(other) = &m.schedule
                    && !schedule_names.contains(&other.as_str())
                {
                    return Err((
                        Error::invalid(format!(
                            "milestones.{name}[{i}] ({:?}) is relative to schedule {other:?}, which is not a schedule{}",
                            m.name,
                            known("schedules", &schedule_names)
                        )),
                        vec![
                            Seg::Key("milestones"),
                            Seg::Name(name.clone()),
                            Seg::Index(i),
                            Seg::Key("schedule"),
                        ],
                    ));
                }
            }
        }
        check_points(&def)?;
        let mut window_sets = Vec::with_capacity(def.windows.len());
        for (i, window) in def.windows.iter().enumerate() {
            let set = Windows::new(vec![window.clone()]).map_err(|e| {
                (
                    Error::invalid(format!("windows[{i}] ({:?}): {e}", window.name)),
                    vec![Seg::Key("windows"), Seg::Index(i)],
                )
            })?;
            window_sets.push(set);
        }
        let pipeline = Pipeline::new(def.pipeline_def()).map_err(|e| {
            let path = pipeline_path(&def, e.message());
            (e, path)
        })?;
        def.notes
            .validate()
            .map_err(|e| (e, vec![Seg::Key("notes")]))?;
        let trains = def
            .trains
            .iter()
            .enumerate()
            .map(|(i, t)| build_train(&def, i, t))
            .collect::<Result<Vec<_>, _>>()?;
        let lines = component_lines(&def)?;
        if def.steps.is_empty()
            && def.schedules.is_empty()
            && def.windows.is_empty()
            && def.rotations.is_empty()
            && def.trains.is_empty()
            && def.components.is_empty()
            && def.environments.is_empty()
        {
            return Err((
                Error::invalid(
                    "the process is empty: it defines no [[steps]], [[schedules]], [[windows]], [[rotations]], [[trains]], [[components]] or [[environments]]",
                ),
                Vec::new(),
            ));
        }
        let milestone_gates = def
            .steps
            .iter()
            .flat_map(|s| &s.details.gates)
            .chain(def.environments.iter().flat_map(|e| &e.gates))
            .any(|g| {
                g.rule
                    .walk()
                    .iter()
                    .any(|r| matches!(r, Rule::Before { .. }))
            });
        Ok(Process {
            def,
            pipeline: Arc::new(pipeline),
            window_sets,
            trains,
            milestone_gates,
            lines,
            warnings: Vec::new(),
        })
    }

    /// The release lines of component `name`, validated against its tag
    /// scheme; `None` when it has no `lines` (or is not a component).
    pub fn lines(&self, component: &str) -> Option<&Lines> {
        self.lines
            .iter()
            .find(|(name, _)| name == component)
            .map(|(_, l)| l)
    }

    /// The components with release lines, in file order, with their lines.
    pub fn components_with_lines(&self) -> impl Iterator<Item = (&str, &Lines)> {
        self.lines.iter().map(|(n, l)| (n.as_str(), l))
    }

    /// The definition as written.
    pub fn def(&self) -> &ProcessDef {
        &self.def
    }

    /// The process's name.
    pub fn name(&self) -> &str {
        &self.def.name
    }

    /// The validated pipeline of its steps.
    pub fn pipeline(&self) -> &Arc<Pipeline> {
        &self.pipeline
    }

    /// Its schedules, in file order.
    pub fn schedules(&self) -> &[Schedule] {
        &self.def.schedules
    }

    /// The schedule named `name`.
    pub fn schedule(&self, name: &str) -> Option<&Schedule> {
        self.def.schedules.iter().find(|s| s.name() == name)
    }

    /// Its windows, in file order.
    pub fn windows(&self) -> &[Window] {
        &self.def.windows
    }

    /// Whether the window named `name` is open at `now`, and until when
    /// that answer holds. `None` for an unknown name.
    pub fn window_at(
        &self,
        name: &str,
        now: DateTime<Utc>,
    ) -> Option<(bool, Option<DateTime<Utc>>)> {
        let i = self.def.windows.iter().position(|w| w.name == name)?;
        let set = &self.window_sets[i];
        Some((set.is_open(now), set.next_change(now)))
    }

    /// The first instant at or after `t` when the window named `name` is
    /// open (`t` itself if it is open then); `None` for an unknown name or
    /// a window that never opens again.
    pub fn window_open_from(&self, name: &str, t: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let i = self.def.windows.iter().position(|w| w.name == name)?;
        let set = &self.window_sets[i];
        if set.is_open(t) {
            Some(t)
        } else {
            set.next_open(t)
        }
    }

    /// The components a release ticket lists pins for: those another
    /// component pins (the Fragalysis stack pins backend and frontend), or
    /// every component when none pins another.
    pub fn pinned_components(&self) -> Vec<crate::pipeline::Component> {
        let components = &self.def.components;
        let pinned: Vec<_> = components
            .iter()
            .filter(|c| {
                components
                    .iter()
                    .any(|o| o.pins.iter().any(|p| p.component == c.name))
            })
            .cloned()
            .collect();
        if pinned.is_empty() {
            components.clone()
        } else {
            pinned
        }
    }

    /// Its release trains, in file order.
    pub fn trains(&self) -> &[Train] {
        &self.trains
    }

    /// Simulates the train named `train` (the only one when `None`) with
    /// `scenario`, or the scenario written in the file when `None`.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for an unknown train, a
    /// missing name when there are several, no scenario at all; the train's
    /// own errors for a scenario it cannot play.
    pub fn simulate(&self, train: Option<&str>, scenario: Option<&Scenario>) -> Result<Simulation> {
        let names: Vec<&str> = self.trains.iter().map(Train::name).collect();
        let found = match train {
            Some(name) => self
                .trains
                .iter()
                .find(|t| t.name() == name)
                .ok_or_else(|| {
                    Error::config(format!(
                        "no train named {name:?}{}",
                        known("trains", &names)
                    ))
                })?,
            None => match self.trains.as_slice() {
                [one] => one,
                [] => return Err(Error::config("the process has no [[trains]]")),
                _ => {
                    return Err(Error::config(format!(
                        "the process has several trains; name one{}",
                        known("trains", &names)
                    )));
                }
            },
        };
        match scenario {
            Some(s) => found.simulate(s),
            None => found.simulate_own(),
        }
    }

    /// Its rotations, in file order.
    pub fn rotations(&self) -> &[Rotation] {
        &self.def.rotations
    }

    /// The milestones around the occurrences of schedule `name`.
    pub fn milestones(&self, schedule: &str) -> Option<&Milestones> {
        self.def.milestones.get(schedule)
    }

    /// What the calendar says at `now`, as facts for gates: for every
    /// window, `calendar.window_open` (expiring when the window next opens
    /// or closes); for every schedule with holidays, `calendar.holiday` for
    /// the schedule's local date (expiring at its local midnight).
    ///
    /// This is how `in_window` and `not_holiday` gates read the calendar.
    pub fn calendar_facts(&self, now: DateTime<Utc>) -> Facts {
        let mut facts = Facts::new();
        for (window, set) in self.def.windows.iter().zip(&self.window_sets) {
            let open = set.is_open(now);
            let mut fact = Fact::new(
                FactKind::WindowOpen,
                &window.name,
                FactValue::Bool(open),
                CALENDAR_SOURCE,
                now,
            );
            if let Some(change) = set.next_change(now) {
                fact = fact.expiring(change);
            }
            facts.record(fact);
        }
        for schedule in &self.def.schedules {
            let zone = schedule.zone();
            let date = zone.local(now).date();
            let holiday = schedule.work_days().is_holiday(date);
            let mut fact = Fact::new(
                FactKind::Holiday,
                schedule.name(),
                FactValue::Bool(holiday),
                CALENDAR_SOURCE,
                now,
            );
            if let Some(midnight) = date.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0)) {
                let (at, _) = zone.resolve(midnight);
                fact = fact.expiring(at.max(now + Duration::seconds(1)));
            }
            facts.record(fact);
        }
        if self.milestone_gates {
            self.milestone_facts(now, &mut facts);
        }
        facts
    }

    /// When the milestones of the release planned from `now` are (facts
    /// `calendar.milestone`). A release that cannot be placed gives none:
    /// the gates that need them stay pending, naming the fact.
    fn milestone_facts(&self, now: DateTime<Utc>, facts: &mut Facts) {
        let Ok((Some(release), _)) = self.release_after(now) else {
            return;
        };
        for m in &release.milestones {
            facts.record(Fact::new(
                FactKind::Milestone,
                &m.name,
                FactValue::Text(m.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
                CALENDAR_SOURCE,
                now,
            ));
        }
    }
}

/// Each component's lines, by component name.
type ComponentLines = Vec<(String, Lines)>;

/// Every component's `lines`, validated against its tag scheme; errors
/// name the component and the key (`components[0] ("node"): lines.key:
/// ...`), placed at `components[i].lines...`.
fn component_lines(def: &ProcessDef) -> Result<ComponentLines, (Error, Vec<Seg>)> {
    let mut out = Vec::new();
    for (i, component) in def.components.iter().enumerate() {
        let Some(lines) = &component.lines else {
            continue;
        };
        let mut at = vec![Seg::Key("components"), Seg::Index(i), Seg::Key("lines")];
        let place = format!("components[{i}] ({:?})", component.name);
        let Some(tags) = &component.tags else {
            return Err((
                Error::invalid(format!(
                    "{place}: lines need a tag scheme (`tags`) to read versions from"
                )),
                at,
            ));
        };
        let lines = Lines::validated(lines.clone(), tags.scheme()).map_err(|(e, path)| {
            at.extend(path);
            (
                Error::new(e.kind(), format!("{place}: {}", e.message())),
                at,
            )
        })?;
        out.push((component.name.clone(), lines));
    }
    Ok(out)
}

/// The name of the schedule whose occurrences are a plan's release days:
/// `release_day`, else the first `[[releases]]` entry's, else the last
/// environment in promotion order with a schedule, else the file's first
/// schedule.
pub(crate) fn release_schedule_name(def: &ProcessDef) -> Option<&str> {
    def.release_day
        .as_deref()
        .or_else(|| def.releases.first().map(|r| r.schedule.as_str()))
        .or_else(|| {
            def.environments
                .iter()
                .rev()
                .find_map(|e| e.schedule.as_deref())
        })
        .or_else(|| def.schedules.first().map(Schedule::name))
}

/// A step's `release_kind` is on a `tag` step of a component with a tag
/// scheme (named, or the only one), and on at most one step per component.
fn check_step_kinds(def: &ProcessDef) -> Result<(), (Error, Vec<Seg>)> {
    let tagged: Vec<&str> = def
        .components
        .iter()
        .filter(|c| c.tags.is_some())
        .map(|c| c.name.as_str())
        .collect();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (i, step) in def.steps.iter().enumerate() {
        if step.details.release_kind.is_none() {
            continue;
        }
        let at = vec![Seg::Key("steps"), Seg::Index(i), Seg::Key("release_kind")];
        let place = format!("steps[{i}] ({:?})", step.id);
        let component = match (&step.details.component, tagged.as_slice()) {
            _ if step.kind != crate::pipeline::StepKind::Tag => Err(format!(
                "a release kind is the kind of the tag a step makes, and this step is of kind {:?}; declare it on the step of kind \"tag\"",
                step.kind.as_str()
            )),
            (Some(c), _) if tagged.contains(&c.as_str()) => Ok(c.as_str()),
            (Some(c), _) => Err(format!(
                "component {c:?} has no tag scheme, so it has no release kind"
            )),
            (None, [only]) => Ok(*only),
            (None, _) => Err(format!(
                "say which component the release kind is of (`component`); tagged components: {}",
                tagged.join(", ")
            )),
        }
        .map_err(|why| (Error::invalid(format!("{place}: release_kind: {why}")), at.clone()))?;
        if let Some((_, first)) = seen.iter().find(|(c, _)| *c == component) {
            return Err((
                Error::invalid(format!(
                    "{place}: release_kind: step {first:?} already declares the release kind of component {component:?}; one step per component declares it"
                )),
                at,
            ));
        }
        seen.push((component, step.id.as_str()));
    }
    Ok(())
}

/// The names a placeholder may use, for commands and edit values alike:
/// each component with the components it pins, and the step ids.
type PlaceholderNames<'a> = (Vec<(&'a str, Vec<&'a str>)>, Vec<&'a str>);

fn placeholder_names(def: &ProcessDef) -> PlaceholderNames<'_> {
    let components = def
        .components
        .iter()
        .map(|c| {
            let pins = c.pins.iter().map(|p| p.component.as_str()).collect();
            (c.name.as_str(), pins)
        })
        .collect();
    let steps = def.steps.iter().map(|s| s.id.as_str()).collect();
    (components, steps)
}

/// The matrix axes a step's `{cell.AXIS}` placeholders may name.
fn matrix_axes(step: &crate::pipeline::Step) -> Vec<&str> {
    step.details
        .matrix
        .iter()
        .flat_map(|m| m.axes.keys().map(String::as_str))
        .collect()
}

/// Every placeholder of every step's `command` names a value a run of
/// this process may have (see [`crate::run::Context`]); errors are placed
/// at `steps[i].command[j]`.
fn check_commands(def: &ProcessDef) -> Result<(), (Error, Vec<Seg>)> {
    let (components, steps) = placeholder_names(def);
    for (i, step) in def.steps.iter().enumerate() {
        let axes = matrix_axes(step);
        for (j, arg) in step.details.command.iter().flatten().enumerate() {
            if let Err(problem) =
                super::context::check_command(&components, &steps, step, &axes, arg)
            {
                return Err((
                    Error::invalid(format!(
                        "steps[{i}] ({:?}): command[{j}] {arg:?}: {problem}",
                        step.id
                    )),
                    vec![
                        Seg::Key("steps"),
                        Seg::Index(i),
                        Seg::Key("command"),
                        Seg::Index(j),
                    ],
                ));
            }
        }
    }
    Ok(())
}

/// Every step's file edits: a file of a known format (declared, or from
/// its extension), a `key` and a `value` for a document and neither for a
/// changelog, placeholders a run may fill (as a command's), a component
/// with a tag scheme for a changelog's notes, and a step an executor runs.
/// Errors are placed at `steps[i].edits[j].<field>`.
fn check_edits(def: &ProcessDef) -> Result<(), (Error, Vec<Seg>)> {
    let (components, steps) = placeholder_names(def);
    for (i, step) in def.steps.iter().enumerate() {
        let axes = matrix_axes(step);
        for (j, edit) in step.details.edits.iter().enumerate() {
            let fail = |problem: String, field: &'static str| {
                Err((
                    Error::invalid(format!("steps[{i}] ({:?}): edits[{j}]: {problem}", step.id)),
                    vec![
                        Seg::Key("steps"),
                        Seg::Index(i),
                        Seg::Key("edits"),
                        Seg::Index(j),
                        Seg::Key(field),
                    ],
                ))
            };
            if !step.is_executed() {
                return fail(
                    "a manual or wait step runs nothing, so it edits no file; put the edit on a step an executor runs".into(),
                    "file",
                );
            }
            if let Some((problem, field)) = edit.problem() {
                return fail(problem, field);
            }
            if let Some(value) = &edit.value
                && let Err(problem) =
                    super::context::check_command(&components, &steps, step, &axes, value)
            {
                return fail(format!("value {value:?}: {problem}"), "value");
            }
            if edit.effective_format() == Some(crate::edit::EditFormat::Changelog)
                && let Err(problem) = notes_component(def, step)
            {
                return fail(format!("file {:?}: {problem}", edit.file), "file");
            }
        }
    }
    Ok(())
}

/// The component whose release notes a step's changelog edit writes: the
/// step's, else the one tagged component; it needs a tag scheme (its
/// version is the notes').
pub(crate) fn notes_component<'a>(
    def: &'a ProcessDef,
    step: &crate::pipeline::Step,
) -> std::result::Result<&'a str, String> {
    let component = match &step.details.component {
        Some(name) => def.components.iter().find(|c| &c.name == name),
        None => def.only_tagged_component(),
    };
    match component {
        Some(c) if c.tags.is_some() => Ok(c.name.as_str()),
        Some(c) => Err(format!(
            "a changelog's section is the release notes of the step's component, and component {:?} has no tag scheme (no version)",
            c.name
        )),
        None => Err("a changelog's section is the release notes of the step's component: give the step a `component` with a tag scheme".into()),
    }
}

/// Every `[[releases]]` entry names a schedule and components of the
/// file, once; its rules' months are months.
fn check_releases(def: &ProcessDef, schedule_names: &[&str]) -> Result<(), (Error, Vec<Seg>)> {
    let component_names: Vec<&str> = def.components.iter().map(|c| c.name.as_str()).collect();
    let mut seen: Vec<&str> = Vec::new();
    for (i, r) in def.releases.iter().enumerate() {
        let at = |key: &'static str| vec![Seg::Key("releases"), Seg::Index(i), Seg::Key(key)];
        let place = format!("releases[{i}] ({:?})", r.name());
        if !schedule_names.contains(&r.schedule.as_str()) {
            return Err((
                Error::invalid(format!(
                    "{place}: schedule {:?} is not defined{}",
                    r.schedule,
                    known("schedules", schedule_names)
                )),
                at("schedule"),
            ));
        }
        if let Some(first) = seen.iter().position(|n| *n == r.name()) {
            return Err((
                Error::invalid(format!(
                    "{place}: duplicate release name {:?} (first at releases[{first}]); give each release of the same schedule a name",
                    r.name()
                )),
                at(if r.name.is_some() { "name" } else { "schedule" }),
            ));
        }
        seen.push(r.name());
        if let Some(c) = r
            .components
            .iter()
            .find(|c| !component_names.contains(&c.as_str()))
        {
            return Err((
                Error::invalid(format!(
                    "{place}: component {c:?} is not defined{}",
                    known("components", &component_names)
                )),
                at("components"),
            ));
        }
        if r.lines.is_some()
            && let Some(c) = def
                .components
                .iter()
                .find(|c| r.ships(&c.name) && c.tags.is_some() && c.lines.is_none())
        {
            return Err((
                Error::invalid(format!(
                    "{place}: lines: component {:?} has no `lines`, so it has no line to release; give it [components.lines], or list the components with lines in `components`",
                    c.name
                )),
                at("lines"),
            ));
        }
        for (j, rule) in r.rules.iter().enumerate() {
            if let Some(m) = rule.when.month.filter(|m| !(1..=12).contains(m)) {
                return Err((
                    Error::invalid(format!(
                        "{place}: rules[{j}]: month {m} is not a month (1 to 12)"
                    )),
                    vec![
                        Seg::Key("releases"),
                        Seg::Index(i),
                        Seg::Key("rules"),
                        Seg::Index(j),
                    ],
                ));
            }
        }
    }
    if let Some(day) = &def.release_day
        && !def.releases.is_empty()
        && !def.releases.iter().any(|r| &r.schedule == day)
    {
        return Err((
            Error::invalid(format!(
                "release_day {day:?} has no [[releases]] entry; add one with schedule = {day:?}, or leave release_day out (the first entry is the default release)"
            )),
            vec![Seg::Key("release_day")],
        ));
    }
    Ok(())
}

/// Every step's `not_before` and `due` name a milestone of the release
/// day's schedule, if any.
fn check_points(def: &ProcessDef) -> Result<(), (Error, Vec<Seg>)> {
    let release = release_schedule_name(def);
    let names: Vec<&str> = release
        .and_then(|r| def.milestones.get(r))
        .map(|m| m.milestones().iter().map(|m| m.name.as_str()).collect())
        .unwrap_or_default();
    let unknown = |m: &str| match release {
        None => Some(
            "the process has no schedule, so there is no release day to place it on".to_owned(),
        ),
        Some(r) if !names.contains(&m) => Some(format!(
            "{m:?} is not a milestone of the release day's schedule {r:?}{}",
            known("milestones", &names)
        )),
        Some(_) => None,
    };
    let gate_problem = |gates: &[Gate]| {
        gates.iter().enumerate().find_map(|(j, g)| {
            g.rule.walk().into_iter().find_map(|r| match r {
                Rule::Before { milestone, .. } => {
                    unknown(milestone).map(|p| (j, format!("gate {:?}: before: {p}", g.name)))
                }
                _ => None,
            })
        })
    };
    for (i, env) in def.environments.iter().enumerate() {
        if let Some((j, problem)) = gate_problem(&env.gates) {
            return Err((
                Error::invalid(format!("environments[{i}] ({:?}): {problem}", env.name)),
                vec![
                    Seg::Key("environments"),
                    Seg::Index(i),
                    Seg::Key("gates"),
                    Seg::Index(j),
                ],
            ));
        }
    }
    for (i, step) in def.steps.iter().enumerate() {
        if let Some((j, problem)) = gate_problem(&step.details.gates) {
            return Err((
                Error::invalid(format!("steps[{i}] ({:?}): {problem}", step.id)),
                vec![
                    Seg::Key("steps"),
                    Seg::Index(i),
                    Seg::Key("gates"),
                    Seg::Index(j),
                ],
            ));
        }
        let points = [
            ("not_before", &step.details.not_before),
            ("due", &step.details.due),
        ];
        for (key, point) in points {
            let Some(point) = point else { continue };
            let problem = match (release, point.milestone.as_deref()) {
                (None, _) => unknown(""),
                (Some(_), Some(m)) => unknown(m),
                (Some(_), None) => None,
            };
            if let Some(problem) = problem {
                return Err((
                    Error::invalid(format!("steps[{i}] ({:?}): {key}: {problem}", step.id)),
                    vec![Seg::Key("steps"), Seg::Index(i), Seg::Key(key)],
                ));
            }
        }
    }
    Ok(())
}

/// A train of the file: its schedule resolved by name, its tags from its
/// component (or the only component with a tag scheme).
fn build_train(
    def: &ProcessDef,
    i: usize,
    t: &crate::train::TrainDef,
) -> Result<Train, (Error, Vec<Seg>)> {
    let at = |key: &'static str| vec![Seg::Key("trains"), Seg::Index(i), Seg::Key(key)];
    let place = format!("trains[{i}] ({:?})", t.name);
    let schedule_names: Vec<&str> = def.schedules.iter().map(Schedule::name).collect();
    let Some(schedule) = def.schedules.iter().find(|s| s.name() == t.schedule) else {
        return Err((
            Error::invalid(format!(
                "{place}: schedule {:?} is not defined{}",
                t.schedule,
                known("schedules", &schedule_names)
            )),
            at("schedule"),
        ));
    };
    if !def.environments.is_empty() {
        let env_names: Vec<&str> = def.environments.iter().map(|e| e.name.as_str()).collect();
        if let Some(env) = t
            .environments
            .iter()
            .find(|e| !env_names.contains(&e.as_str()))
        {
            return Err((
                Error::invalid(format!(
                    "{place}: environment {env:?} is not defined{}",
                    known("environments", &env_names)
                )),
                at("environments"),
            ));
        }
        // The process's environments are in promotion order; a train
        // promotes through its own in that order too.
        // (An environment named twice is the train's own error.)
        let rank = |e: &str| env_names.iter().position(|n| *n == e);
        if t.environments.windows(2).any(|w| rank(&w[0]) > rank(&w[1])) {
            let written: Vec<&str> = t.environments.iter().map(String::as_str).collect();
            let mut expected = written.clone();
            expected.sort_by_key(|e| rank(e));
            let list = |names: &[&str]| {
                let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
                format!("[{}]", quoted.join(", "))
            };
            return Err((
                Error::invalid(format!(
                    "{place}: environments {} are not in the process's promotion order; expected {}",
                    list(&written),
                    list(&expected)
                )),
                at("environments"),
            ));
        }
    }
    let tagged: Vec<&crate::pipeline::Component> =
        def.components.iter().filter(|c| c.tags.is_some()).collect();
    let component = match &t.component {
        Some(name) => def
            .components
            .iter()
            .find(|c| &c.name == name)
            .ok_or_else(|| {
                let names: Vec<&str> = def.components.iter().map(|c| c.name.as_str()).collect();
                (
                    Error::invalid(format!(
                        "{place}: component {name:?} is not defined{}",
                        known("components", &names)
                    )),
                    at("component"),
                )
            })?,
        None => match tagged.as_slice() {
            [one] => *one,
            _ => {
                return Err((
                    Error::invalid(format!(
                        "{place}: name the component whose tags the train makes (component = \"...\"); {} components have a tag scheme",
                        tagged.len()
                    )),
                    vec![Seg::Key("trains"), Seg::Index(i)],
                ));
            }
        },
    };
    let Some(tags) = component.tags.clone() else {
        return Err((
            Error::invalid(format!(
                "{place}: component {:?} has no tag scheme (tags = {{ ... }})",
                component.name
            )),
            at("component"),
        ));
    };
    let mut extra = Vec::new();
    for (j, s) in t.schedules.iter().enumerate() {
        let Some(found) = def.schedules.iter().find(|d| d.name() == s.name) else {
            return Err((
                Error::invalid(format!(
                    "{place}: schedules[{j}]: schedule {:?} is not defined{}",
                    s.name,
                    known("schedules", &schedule_names)
                )),
                vec![
                    Seg::Key("trains"),
                    Seg::Index(i),
                    Seg::Key("schedules"),
                    Seg::Index(j),
                    Seg::Key("name"),
                ],
            ));
        };
        extra.push(found.clone());
    }
    Train::placed(t.clone(), schedule.clone(), extra, tags).map_err(|(e, path)| {
        let mut at = vec![Seg::Key("trains"), Seg::Index(i)];
        at.extend(path);
        (e, at)
    })
}

/// The list of known names for an error message, or nothing.
fn known(what: &str, names: &[&str]) -> String {
    if names.is_empty() {
        format!(" (the file has no {what})")
    } else {
        let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        format!(" ({what}: {})", quoted.join(", "))
    }
}

fn unique<'a>(
    names: impl Iterator<Item = &'a str>,
    table: &'static str,
    what: &str,
) -> Result<(), (Error, Vec<Seg>)> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, name) in names.enumerate() {
        if let Some(first) = seen.iter().position(|n| *n == name) {
            return Err((
                Error::invalid(format!(
                    "{table}[{i}]: duplicate {what} name {name:?} (first at {table}[{first}])"
                )),
                vec![Seg::Key(table), Seg::Index(i), Seg::Key("name")],
            ));
        }
        seen.push(name);
    }
    Ok(())
}

/// Checks that calendar rules in `gates` name a schedule or window of the
/// file: such a gate would otherwise wait forever for a fact no one gives.
fn check_gates(
    gates: &[Gate],
    place: &str,
    schedules: &[&str],
    windows: &[&str],
    at: impl Fn(usize) -> Vec<Seg>,
) -> Result<(), (Error, Vec<Seg>)> {
    for (j, gate) in gates.iter().enumerate() {
        let mut problem = None;
        visit(&gate.rule, &mut |rule| match rule {
            Rule::InWindow(name) if !windows.contains(&name.as_str()) && problem.is_none() => {
                problem = Some(format!(
                    "in_window names {name:?}, which is not a window{}",
                    known("windows", windows)
                ));
            }
            Rule::NotHoliday(name) if !schedules.contains(&name.as_str()) && problem.is_none() => {
                problem = Some(format!(
                    "not_holiday names {name:?}, which is not a schedule{}",
                    known("schedules", schedules)
                ));
            }
            _ => {}
        });
        if let Some(problem) = problem {
            return Err((
                Error::invalid(format!("{place}: gate {:?}: {problem}", gate.name)),
                at(j),
            ));
        }
    }
    Ok(())
}

fn visit(rule: &Rule, f: &mut impl FnMut(&Rule)) {
    f(rule);
    match rule {
        Rule::All(rules) | Rule::Any(rules) => rules.iter().for_each(|r| visit(r, f)),
        Rule::Not(rule) | Rule::Before { rule, .. } => visit(rule, f),
        _ => {}
    }
}

/// Where a pipeline error belongs: the first step, component or
/// environment its message names in quotes (the second of a duplicate
/// id; the `needs`, `environment` or `component` key a bad reference is
/// in), or the steps table.
fn pipeline_path(def: &ProcessDef, message: &str) -> Vec<Seg> {
    let first = message.split("; ").next().unwrap_or(message);
    for quoted in first.split('"').skip(1).step_by(2) {
        let mut matching = def.steps.iter().enumerate().filter(|(_, s)| s.id == quoted);
        let found = if first.starts_with("duplicate step id") {
            matching.nth(1)
        } else {
            matching.next()
        };
        if let Some((i, _)) = found {
            let key = if first.contains("needs unknown step") || first.contains("twice") {
                "needs"
            } else if first.contains("timeout") {
                "timeout"
            } else if first.contains("unknown environment") {
                "environment"
            } else if first.contains("unknown component") && !first.starts_with("component") {
                "component"
            } else {
                "id"
            };
            return vec![Seg::Key("steps"), Seg::Index(i), Seg::Key(key)];
        }
        if let Some(i) = def.components.iter().position(|c| c.name == quoted) {
            let key = if first.contains(" pins ") {
                "pins"
            } else {
                "name"
            };
            return vec![Seg::Key("components"), Seg::Index(i), Seg::Key(key)];
        }
        if let Some(i) = def.environments.iter().position(|e| e.name == quoted) {
            let key = if first.starts_with("gate ") {
                "gates"
            } else {
                "name"
            };
            return vec![Seg::Key("environments"), Seg::Index(i), Seg::Key(key)];
        }
    }
    vec![Seg::Key("steps")]
}
