//! Process files: `Process` (a validated release.toml), and what it
//! answers: `Plan`, `PlannedStep`, `Release`, `ProcessExplanation`,
//! `NextVersion`.
//!
//! The core reads no files; `Process.from_file` reads the text here, with
//! Python's own `open`, so that a missing file is Python's
//! `FileNotFoundError` and the core's errors keep the path as their source.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyString};
use release_core::gate::{Fact, Facts};
use release_core::notes::{ReleaseNotes, Ticket, parse_ticket_pins};
use release_core::pipeline::Component;
use release_core::process::{
    Explanation, NextRelease, NextVersion, Plan, PlannedStep, Process, Release,
};
use release_core::run::{Event, journal};
use release_core::version::Change;

use crate::commits::PyChange;
use crate::errors::{IntoPy, warn};
use crate::gate::{PyFact, PyVerdict};
use crate::milestones::PyMilestoneAt;
use crate::notes::{PyReleaseNotes, PyTicket};
use crate::pipeline::{PyPipeline, estimate};
use crate::rotation::PyDuty;
use crate::run::PyRun;
use crate::schedule::{PyOccurrence, PySchedule, instant};
use crate::tags::PyTagScheme;
use crate::train::{PySimulation, scenario_arg};
use crate::{convert, json};

/// Adds the process classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyProcess>()?;
    m.add_class::<PyPlan>()?;
    m.add_class::<PyPlannedStep>()?;
    m.add_class::<PyRelease>()?;
    m.add_class::<PyProcessExplanation>()?;
    m.add_class::<PyNextVersion>()?;
    m.add_class::<PyNextRelease>()?;
    crate::notes::register(m)?;
    crate::train::register(m)?;
    Ok(())
}

/// Facts: None, or an iterable of `Fact`s or dicts in the `Fact` JSON
/// shape (`Fact.to_json()`).
fn facts_arg(ob: Option<&Bound<'_, PyAny>>) -> PyResult<Facts> {
    let mut facts = Facts::new();
    let Some(ob) = ob.filter(|o| !o.is_none()) else {
        return Ok(facts);
    };
    if ob.is_instance_of::<PyDict>() {
        return Err(PyTypeError::new_err(
            "facts must be an iterable of Fact objects or dicts, not a single dict",
        ));
    }
    convert::not_a_str(ob, "facts")?;
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        if let Ok(f) = item.cast::<PyFact>() {
            facts.record(f.get().0.clone());
        } else if item.is_instance_of::<PyDict>() {
            facts.record(json::from_py::<Fact>(&item, &format!("facts[{i}]"))?);
        } else {
            return Err(PyTypeError::new_err(format!(
                "facts[{i}] must be a Fact or a dict, not {}",
                convert::type_name(&item)
            )));
        }
    }
    Ok(facts)
}

/// A run's events: None, a `Run` (its journal), or journal text (JSON
/// lines, as `Run.journal()` gives).
/// Tags by component: `{"app": ["v1.0.0"]}`.
pub(crate) fn tags_arg(ob: Option<&Bound<'_, PyAny>>) -> PyResult<BTreeMap<String, Vec<String>>> {
    dict_of(ob, "tags", |v, what| {
        let items = convert::strings(v, what)?;
        Ok(convert::texts(&items)?
            .into_iter()
            .map(|t| t.into_owned())
            .collect::<Vec<String>>())
    })
}

/// An optional text argument (None or absent: None).
fn opt_str(ob: Option<&Bound<'_, PyAny>>, what: &str) -> PyResult<Option<String>> {
    ob.filter(|o| !o.is_none())
        .map(|o| str_arg(o, what))
        .transpose()
}

fn journal_arg(ob: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Event>> {
    let Some(ob) = ob.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    if let Ok(run) = ob.cast::<PyRun>() {
        return Ok(PyRun::read_for(run, "journal=run")?.0.journal().to_vec());
    }
    if let Ok(text) = ob.cast::<PyString>() {
        return Ok(journal::decode(&text.to_cow()?).py_err()?.events);
    }
    Err(PyTypeError::new_err(format!(
        "journal must be a Run, a str of JSON lines or None, not {}",
        convert::type_name(ob)
    )))
}

/// A list of changes: commit messages (`str`) or `Change`s.
pub(crate) fn changes_arg(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Change>> {
    convert::not_a_str(ob, what)?;
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        if let Ok(c) = item.cast::<PyChange>() {
            out.push(c.get().0.clone());
        } else if let Ok(s) = item.cast::<PyString>() {
            out.push(Change::parse(&s.to_cow()?));
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] must be str or Change, not {}",
                convert::type_name(&item)
            )));
        }
    }
    Ok(out)
}

/// A dict of str keys, each value converted by `value`.
fn dict_of<T>(
    ob: Option<&Bound<'_, PyAny>>,
    what: &str,
    value: impl Fn(&Bound<'_, PyAny>, &str) -> PyResult<T>,
) -> PyResult<BTreeMap<String, T>> {
    let mut out = BTreeMap::new();
    let Some(ob) = ob.filter(|o| !o.is_none()) else {
        return Ok(out);
    };
    let dict = ob.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a dict of component name to list, not {}",
            convert::type_name(ob)
        ))
    })?;
    for (k, v) in dict.iter() {
        let key: String = k.extract().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what} keys must be component names (str), not {}",
                convert::type_name(&k)
            ))
        })?;
        let converted = value(&v, &format!("{what}[{key:?}]"))?;
        out.insert(key, converted);
    }
    Ok(out)
}

fn str_arg(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    convert::str_of(ob, what)
}

/// A team's release process, read from a release.toml and validated: the
/// pipeline is a DAG, every schedule, window and milestone name resolves,
/// trains are playable. Immutable.
#[pyclass(module = "release_core", name = "Process", frozen)]
pub struct PyProcess(Process);

impl PyProcess {
    /// The process.
    pub(crate) fn process(&self) -> &Process {
        &self.0
    }

    /// Reads a process file's text, raising its warnings (deprecated
    /// spellings, each at its `file:line:col`) as `ReleaseWarning`s.
    fn read(py: Python<'_>, source: &str, text: &str) -> PyResult<Self> {
        let process = Process::from_toml(source, text).py_err()?;
        warn(py, process.warnings())?;
        Ok(PyProcess(process))
    }

    fn ticket_components(&self, names: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Component>> {
        let all = &self.0.def().components;
        let Some(names) = names.filter(|o| !o.is_none()) else {
            // Those a ticket names: what other components pin.
            return Ok(self.0.pinned_components());
        };
        let names = convert::strings(names, "components")?;
        let mut out = Vec::new();
        for name in convert::texts(&names)? {
            let c = all.iter().find(|c| c.name == name).ok_or_else(|| {
                let known: Vec<&str> = all.iter().map(|c| c.name.as_str()).collect();
                PyValueError::new_err(format!(
                    "components: {name:?} is not a component of the process ({})",
                    known.join(", ")
                ))
            })?;
            out.push(c.clone());
        }
        Ok(out)
    }
}

#[pymethods]
impl PyProcess {
    /// Reads and validates a process file. `path` is a str or an
    /// `os.PathLike`; errors name it with the line and column, and so do
    /// the `ReleaseWarning`s raised for deprecated spellings it uses.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !path.is_instance_of::<PyString>() && !path.hasattr("__fspath__")? {
            return Err(PyTypeError::new_err(format!(
                "path must be a str or os.PathLike, not {}",
                convert::type_name(path)
            )));
        }
        let name = py.import("os")?.call_method1("fspath", (path,))?;
        let name: String = name.extract().map_err(|_| {
            PyTypeError::new_err("path must name a file with a str path, not bytes")
        })?;
        let kwargs = PyDict::new(py);
        kwargs.set_item("encoding", "utf-8")?;
        let file = py
            .import("builtins")?
            .call_method("open", (&name,), Some(&kwargs))?;
        let text = file.call_method0("read");
        file.call_method0("close")?;
        let text: String = text?.extract()?;
        PyProcess::read(py, &name, &text)
    }

    /// Reads and validates a process from TOML text; `source` names it in
    /// error messages and in the `ReleaseWarning`s of deprecated spellings.
    #[staticmethod]
    #[pyo3(signature = (text, source = "<string>"))]
    fn from_str(text: &Bound<'_, PyAny>, source: &str) -> PyResult<Self> {
        let py = text.py();
        let text = str_arg(text, "text")?;
        PyProcess::read(py, source, &text)
    }

    /// The process's name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// What the process is, in a sentence.
    #[getter]
    fn description(&self) -> &str {
        &self.0.def().description
    }

    /// The validated pipeline of its steps.
    #[getter]
    fn pipeline(&self) -> PyPipeline {
        PyPipeline(self.0.pipeline().clone())
    }

    /// The component names, in file order.
    #[getter]
    fn components(&self) -> Vec<String> {
        self.0
            .def()
            .components
            .iter()
            .map(|c| c.name.clone())
            .collect()
    }

    /// The environment names, in promotion order.
    #[getter]
    fn environments(&self) -> Vec<String> {
        self.0
            .def()
            .environments
            .iter()
            .map(|e| e.name.clone())
            .collect()
    }

    /// The schedule names, in file order.
    #[getter]
    fn schedules(&self) -> Vec<String> {
        self.0
            .schedules()
            .iter()
            .map(|s| s.name().to_owned())
            .collect()
    }

    /// The train names, in file order.
    #[getter]
    fn trains(&self) -> Vec<String> {
        self.0
            .trains()
            .iter()
            .map(|t| t.name().to_owned())
            .collect()
    }

    /// The tag scheme of `component`, or None when it has none; a
    /// `KeyError` for a name that is not a component.
    fn tag_scheme(&self, component: &str) -> PyResult<Option<PyTagScheme>> {
        let c = self
            .0
            .def()
            .components
            .iter()
            .find(|c| c.name == component)
            .ok_or_else(|| PyKeyError::new_err(format!("unknown component {component:?}")))?;
        Ok(c.tags.clone().map(PyTagScheme))
    }

    /// The release lines of `component`, or None when it has no `lines`;
    /// a `KeyError` for a name that is not a component.
    fn release_lines(&self, component: &str) -> PyResult<Option<crate::lines::PyLines>> {
        let c = self
            .0
            .def()
            .components
            .iter()
            .find(|c| c.name == component)
            .ok_or_else(|| PyKeyError::new_err(format!("unknown component {component:?}")))?;
        Ok(match (self.0.lines(component), &c.tags) {
            (Some(lines), Some(tags)) => Some(crate::lines::PyLines::of(
                component,
                lines.clone(),
                tags.clone(),
            )),
            _ => None,
        })
    }

    /// The schedule named `name`, or None.
    fn schedule(&self, name: &str) -> Option<PySchedule> {
        self.0.schedule(name).cloned().map(PySchedule)
    }

    /// The milestones around the occurrences of schedule `name`, if any.
    fn milestones(&self, name: &str) -> Option<crate::milestones::PyMilestones> {
        self.0
            .milestones(name)
            .cloned()
            .map(crate::milestones::PyMilestones)
    }

    /// The next `count` releases from `now` as a Mermaid Gantt chart: one
    /// section per release day with its milestones and planned steps
    /// (`release calendar FILE --format mermaid`).
    #[pyo3(signature = (now, count = 3))]
    fn gantt(&self, now: &Bound<'_, PyAny>, count: usize) -> PyResult<String> {
        release_core::process::gantt(&self.0, instant(now, "now")?, count).py_err()
    }

    /// The process exported to a CI engine (`"github-actions"`): a dict
    /// with `files` (path -> text: the workflow and the environments'
    /// settings) and `notes` (what the engine cannot express natively and
    /// how the export handles it: `about`, `what`, `how`, `enforced`).
    /// `process_path` is the process file's path in the repository, as
    /// the workflow reads it. Deterministic; `ConfigError` past the
    /// engine's limits or for two steps with one job id.
    #[pyo3(signature = (target, process_path = "release.toml", *, cli_version = None, binary_url = None, wait_minutes = 360))]
    fn export<'py>(
        &self,
        py: Python<'py>,
        target: &str,
        process_path: &str,
        cli_version: Option<String>,
        binary_url: Option<String>,
        wait_minutes: u32,
    ) -> PyResult<Bound<'py, PyAny>> {
        use release_core::export::{ExportOptions, ExportTarget};
        let target = convert::name_of::<ExportTarget>(py, target)?;
        if !(1..=360).contains(&wait_minutes) {
            return Err(PyValueError::new_err(format!(
                "wait_minutes={wait_minutes}: a gate job waits 1 to 360 minutes (a hosted runner's job limit)"
            )));
        }
        let mut options = ExportOptions::new(process_path);
        if let Some(v) = cli_version {
            options.cli_version = v;
        }
        options.binary_url = binary_url;
        options.wait_minutes = wait_minutes;
        let out = release_core::export::export(&self.0, target, &options).py_err()?;
        let files: BTreeMap<&str, &str> = out
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.text.as_str()))
            .collect();
        json::to_py(
            py,
            &serde_json::json!({ "files": files, "notes": out.notes }),
        )
    }

    /// What the calendar says at `now`, as facts (`calendar.window_open`
    /// per window, `calendar.holiday` per schedule with holidays).
    fn calendar_facts(&self, now: &Bound<'_, PyAny>) -> PyResult<Vec<PyFact>> {
        let facts = self.0.calendar_facts(instant(now, "now")?);
        Ok(facts.iter().cloned().map(PyFact).collect())
    }

    /// The next release from `now`: its day, who is on duty, milestones,
    /// and every step with its earliest start and latest finish. `facts`
    /// are `Fact`s (or their dicts); `journal` is a `Run` or its journal
    /// text, for a release in progress. `release` names the `[[releases]]`
    /// entry to plan (the default release when None).
    #[pyo3(signature = (now, facts = None, journal = None, release = None))]
    fn plan(
        &self,
        now: &Bound<'_, PyAny>,
        facts: Option<&Bound<'_, PyAny>>,
        journal: Option<&Bound<'_, PyAny>>,
        release: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPlan> {
        let now = instant(now, "now")?;
        let facts = facts_arg(facts)?;
        let journal = journal_arg(journal)?;
        let release = opt_str(release, "release")?;
        self.0
            .plan_for(now, &facts, &journal, release.as_deref())
            .py_err()
            .map(PyPlan)
    }

    /// The next release day of each `[[releases]]` entry from `now` (an
    /// aware datetime), or of the one named `release`, with the next
    /// version of each component it ships and the kind of its release
    /// (the most specific declared: a train's, then the release day's
    /// rule, then its `kind`; commits in `changes` raise it, never lower
    /// it). Without `[[releases]]`, the release day `plan` finds.
    #[pyo3(signature = (now, tags = None, changes = None, facts = None, journal = None, release = None))]
    #[allow(clippy::too_many_arguments)]
    fn next_releases(
        &self,
        py: Python<'_>,
        now: &Bound<'_, PyAny>,
        tags: Option<&Bound<'_, PyAny>>,
        changes: Option<&Bound<'_, PyAny>>,
        facts: Option<&Bound<'_, PyAny>>,
        journal: Option<&Bound<'_, PyAny>>,
        release: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PyNextRelease>> {
        let now = instant(now, "now")?;
        let tags = tags_arg(tags)?;
        let changes = dict_of(changes, "changes", changes_arg)?;
        let facts = facts_arg(facts)?;
        let journal = journal_arg(journal)?;
        let release = opt_str(release, "release")?;
        let releases = self
            .0
            .next_releases(now, &tags, &changes, &facts, &journal, release.as_deref())
            .py_err()?;
        let mut seen = std::collections::BTreeSet::new();
        for v in releases.iter().flat_map(|r| &r.versions) {
            if seen.insert(v.component.clone()) {
                warn(py, &v.warnings)?;
            }
        }
        Ok(releases.into_iter().map(PyNextRelease).collect())
    }

    /// Why the step or environment `target` is not ready at `now` (or that
    /// it is), and until when that holds.
    #[pyo3(signature = (target, now, facts = None, journal = None))]
    fn explain(
        &self,
        target: &Bound<'_, PyAny>,
        now: &Bound<'_, PyAny>,
        facts: Option<&Bound<'_, PyAny>>,
        journal: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyProcessExplanation> {
        let target = str_arg(target, "target")?;
        let now = instant(now, "now")?;
        let facts = facts_arg(facts)?;
        let journal = journal_arg(journal)?;
        self.0
            .explain(&target, now, &facts, &journal)
            .py_err()
            .map(PyProcessExplanation)
    }

    /// A run of this process on an engine read back as journal text
    /// (format 2), which `plan` and `explain` take as `journal`: for
    /// `"github-actions"`, GitHub's REST API responses (parsed JSON) for
    /// the workflow run, its jobs (the response object or its `jobs` list)
    /// and its environment approvals. Errors name the argument and the
    /// field's JSON pointer (a `ConfigError`); approvals that approve no
    /// manual step are raised as `ReleaseWarning`s.
    #[pyo3(signature = (engine, *, run, jobs, approvals = None))]
    fn import_run(
        &self,
        py: Python<'_>,
        engine: &Bound<'_, PyAny>,
        run: &Bound<'_, PyAny>,
        jobs: &Bound<'_, PyAny>,
        approvals: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        use release_core::export::import::{self, ENGINE, Input, Responses};
        let engine = str_arg(engine, "engine")?;
        if engine != ENGINE {
            return Err(PyValueError::new_err(format!(
                "engine must be {ENGINE:?} (the one engine imported from), not {engine:?}"
            )));
        }
        let run: serde_json::Value = json::from_py(run, "run")?;
        let jobs: serde_json::Value = json::from_py(jobs, "jobs")?;
        let approvals: Option<serde_json::Value> = approvals
            .filter(|a| !a.is_none())
            .map(|a| json::from_py(a, "approvals"))
            .transpose()?;
        let responses = Responses {
            run: Input {
                name: "run",
                value: &run,
            },
            jobs: Input {
                name: "jobs",
                value: &jobs,
            },
            approvals: approvals.as_ref().map(|value| Input {
                name: "approvals",
                value,
            }),
        };
        let imported = import::import(self.0.pipeline(), responses).py_err()?;
        warn(py, &imported.warnings)?;
        imported.value.to_journal().py_err()
    }

    /// The next tag of every component on `date`, which is required
    /// (release-core reads no clock): a `datetime.date` (the release day,
    /// which picks a CalVer period), or an aware `datetime.datetime` (an
    /// instant: the release day is that of the release planned from it, as
    /// `plan` finds it, or its UTC date when the process has no schedule).
    /// `tags` maps a component to its existing tags (any order; tags not of
    /// its scheme are left out, each raised as a `ReleaseWarning` and kept
    /// in `NextVersion.warnings`); `changes` maps a component to the commits
    /// since its latest tag (messages or `Change`s): SemVer takes their
    /// level, CalVer releases only when one calls for it. `release` names
    /// the `[[releases]]` entry answered for (the default release when
    /// None): its components, with its kind.
    #[pyo3(signature = (date, tags = None, changes = None, release = None))]
    fn next(
        &self,
        py: Python<'_>,
        date: &Bound<'_, PyAny>,
        tags: Option<&Bound<'_, PyAny>>,
        changes: Option<&Bound<'_, PyAny>>,
        release: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PyNextVersion>> {
        let tags = tags_arg(tags)?;
        let release = opt_str(release, "release")?;
        let changes = dict_of(changes, "changes", changes_arg)?;
        let date = if date.is_instance_of::<PyDateTime>() {
            // An instant: the day of the release planned from it.
            let now = instant(date, "date")?;
            self.0.release_date(now, &Facts::new(), &[]).py_err()?
        } else if date.is_instance_of::<PyDate>() {
            convert::date(date)?
        } else {
            return Err(PyTypeError::new_err(format!(
                "date must be a datetime.date or an aware datetime.datetime, not {}",
                convert::type_name(date)
            )));
        };
        let nexts = self
            .0
            .next_versions_for(&tags, &changes, date, release.as_deref())
            .py_err()?;
        for n in &nexts {
            warn(py, &n.warnings)?;
        }
        Ok(nexts.into_iter().map(PyNextVersion).collect())
    }

    /// Plays the train named `train` (the only one when None) through
    /// `scenario`: a dict in the `[trains.scenario]` shape (dates as
    /// `datetime.date` or "YYYY-MM-DD", instants as aware datetimes or RFC
    /// 3339 text), or None for the scenario written in the file.
    #[pyo3(signature = (train = None, scenario = None))]
    fn simulate(
        &self,
        train: Option<&Bound<'_, PyAny>>,
        scenario: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PySimulation> {
        let train = train
            .filter(|t| !t.is_none())
            .map(|t| str_arg(t, "train"))
            .transpose()?;
        let scenario = scenario
            .filter(|s| !s.is_none())
            .map(scenario_arg)
            .transpose()?;
        self.0
            .simulate(train.as_deref(), scenario.as_ref())
            .py_err()
            .map(PySimulation)
    }

    /// Release notes for `version` from `changes` (commit messages or
    /// `Change`s), written with the file's `[notes]` settings.
    #[pyo3(signature = (version, changes, date = None))]
    fn notes(
        &self,
        version: &Bound<'_, PyAny>,
        changes: &Bound<'_, PyAny>,
        date: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyReleaseNotes> {
        let version = str_arg(version, "version")?;
        let changes = changes_arg(changes, "changes")?;
        let date: Option<NaiveDate> = date
            .filter(|d| !d.is_none())
            .map(convert::date)
            .transpose()?;
        Ok(PyReleaseNotes(ReleaseNotes::new(
            &self.0.def().notes,
            &version,
            date,
            &changes,
        )))
    }

    /// The release ticket for `version`: the pinned tags (a dict of
    /// component to tag, in order), then one bullet per change.
    fn ticket(
        &self,
        version: &Bound<'_, PyAny>,
        changes: &Bound<'_, PyAny>,
        pins: &Bound<'_, PyAny>,
    ) -> PyResult<PyTicket> {
        let version = str_arg(version, "version")?;
        let changes = changes_arg(changes, "changes")?;
        let pins = pins.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!(
                "pins must be a dict of component name to tag, not {}",
                convert::type_name(pins)
            ))
        })?;
        let mut pairs = Vec::with_capacity(pins.len());
        for (k, v) in pins.iter() {
            let component = str_arg(&k, "pins keys")?;
            let tag = str_arg(&v, &format!("pins[{component:?}]"))?;
            pairs.push((component, tag));
        }
        Ok(PyTicket(Ticket::new(
            &self.0.def().notes,
            &version,
            &changes,
            &pairs,
        )))
    }

    /// Reads the pinned tags back from a ticket body: component to tag.
    /// `components` lists the components to read (by default those another
    /// component pins, else all); each must be pinned exactly once, with a
    /// tag its scheme accepts (`ParseError` otherwise).
    #[pyo3(signature = (body, components = None))]
    fn parse_ticket(
        &self,
        body: &Bound<'_, PyAny>,
        components: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<BTreeMap<String, String>> {
        let body = str_arg(body, "body")?;
        let components = self.ticket_components(components)?;
        Ok(parse_ticket_pins(&body, &components)
            .py_err()?
            .into_iter()
            .map(|p| (p.component, p.tag))
            .collect())
    }

    /// The definition as JSON.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(self.0.def())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Process {} ({} steps, {} schedules, {} trains)>",
            convert::repr_str(py, self.0.name()),
            self.0.pipeline().len(),
            self.0.schedules().len(),
            self.0.trains().len()
        )
    }
}

/// The next release of a process from an instant.
#[pyclass(module = "release_core", name = "Plan", frozen)]
pub struct PyPlan(Plan);

#[pymethods]
impl PyPlan {
    /// The process's name.
    #[getter]
    fn process(&self) -> &str {
        &self.0.process
    }

    /// The instant planned from (UTC).
    #[getter]
    fn now(&self) -> DateTime<Utc> {
        self.0.now
    }

    /// The next release day, if the process has schedules.
    #[getter]
    fn release(&self) -> Option<PyRelease> {
        self.0.release.clone().map(PyRelease)
    }

    /// The steps, in a topological order.
    #[getter]
    fn steps(&self) -> Vec<PyPlannedStep> {
        self.0.steps.iter().cloned().map(PyPlannedStep).collect()
    }

    /// The whole pipeline's duration, `(min, max)`.
    #[getter]
    fn estimate(&self) -> (TimeDelta, TimeDelta) {
        estimate(self.0.estimate)
    }

    /// The step ids of the chain that decides the duration.
    #[getter]
    fn critical_path(&self) -> Vec<String> {
        self.0.critical_path.clone()
    }

    /// When the last step finishes at the latest (UTC).
    #[getter]
    fn finish(&self) -> DateTime<Utc> {
        self.0.finish
    }

    /// The step with id `step`, or None.
    fn step(&self, step: &str) -> Option<PyPlannedStep> {
        self.0
            .steps
            .iter()
            .find(|s| s.id == step)
            .cloned()
            .map(PyPlannedStep)
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __len__(&self) -> usize {
        self.0.steps.len()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Plan {} {} steps, release {}, finish {}>",
            convert::repr_str(py, &self.0.process),
            self.0.steps.len(),
            self.0
                .release
                .as_ref()
                .map_or_else(|| "none".to_owned(), |r| r.occurrence.date.to_string()),
            self.0.finish.to_rfc3339()
        )
    }
}

/// The release day a plan works towards.
#[pyclass(module = "release_core", name = "Release", frozen)]
pub struct PyRelease(Release);

#[pymethods]
impl PyRelease {
    /// The `[[releases]]` entry this release day is of; None without
    /// `[[releases]]`.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The occurrence (with holiday moves noted).
    #[getter]
    fn occurrence(&self) -> PyOccurrence {
        PyOccurrence(self.0.occurrence.clone())
    }

    /// Who is on duty that day, one per rotation.
    #[getter]
    fn on_duty(&self) -> Vec<PyDuty> {
        self.0.on_duty.iter().cloned().map(PyDuty).collect()
    }

    /// The milestones of that occurrence.
    #[getter]
    fn milestones(&self) -> Vec<PyMilestoneAt> {
        self.0
            .milestones
            .iter()
            .map(|m| PyMilestoneAt {
                at: m.clone(),
                zone: self.0.occurrence.zone,
            })
            .collect()
    }

    fn __repr__(&self) -> String {
        format!("<Release {}>", self.0.occurrence)
    }
}

/// One step of a plan.
#[pyclass(module = "release_core", name = "PlannedStep", frozen)]
pub struct PyPlannedStep(PlannedStep);

#[pymethods]
impl PyPlannedStep {
    /// The step's id.
    #[getter]
    fn id(&self) -> &str {
        &self.0.id
    }

    /// Its kind (`"build"`, `"tag"`, `"deploy"`, ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }

    /// Its component, if any.
    #[getter]
    fn component(&self) -> Option<&str> {
        self.0.component.as_deref()
    }

    /// Its environment, if any.
    #[getter]
    fn environment(&self) -> Option<&str> {
        self.0.environment.as_deref()
    }

    /// Whether a person must approve it.
    #[getter]
    fn manual(&self) -> bool {
        self.0.manual
    }

    /// Its state now (`"ready"`, `"pending"`, `"succeeded"`, ...).
    #[getter]
    fn state(&self) -> &'static str {
        self.0.state.as_str()
    }

    /// The earliest start (UTC).
    #[getter]
    fn start(&self) -> DateTime<Utc> {
        self.0.start
    }

    /// The latest finish (UTC).
    #[getter]
    fn finish(&self) -> DateTime<Utc> {
        self.0.finish
    }

    /// Its own estimate, `(min, max)`, or None.
    #[getter]
    fn estimate(&self) -> Option<(TimeDelta, TimeDelta)> {
        self.0.estimate.map(estimate)
    }

    /// The deployment slot it waits for, if any.
    #[getter]
    fn slot(&self) -> Option<PyOccurrence> {
        self.0.slot.clone().map(PyOccurrence)
    }

    /// Why it is not ready now, or what it waits for.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.0.reasons.clone()
    }

    /// The earliest start its `not_before` allows (UTC), if it has one.
    #[getter]
    fn not_before(&self) -> Option<DateTime<Utc>> {
        self.0.not_before
    }

    /// Its deadline (UTC), if it has one.
    #[getter]
    fn due(&self) -> Option<DateTime<Utc>> {
        self.0.due
    }

    /// How late it finishes after its deadline even at its earliest.
    #[getter]
    fn misses_by(&self) -> Option<TimeDelta> {
        self.0.misses_by.map(|s| s.to_delta())
    }

    /// The files it edits when it runs, as dicts: `file`, `format`
    /// (`"toml"`, `"yaml"`, `"json"`, `"changelog"`), and `key` and
    /// `value` for a document, or `notes` (`component`, `version`,
    /// `date`) for a changelog.
    #[getter]
    fn edits<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.0.edits)
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<PlannedStep {} {} {} .. {}>",
            convert::repr_str(py, &self.0.id),
            self.0.state.as_str(),
            self.0.start.to_rfc3339(),
            self.0.finish.to_rfc3339()
        )
    }
}

/// Why a step or an environment of a process is not ready, and until when.
#[pyclass(module = "release_core", name = "ProcessExplanation", frozen)]
pub struct PyProcessExplanation(Explanation);

#[pymethods]
impl PyProcessExplanation {
    /// The name asked about.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// `"step"` or `"environment"`.
    #[getter]
    fn target(&self) -> &'static str {
        self.0.target.as_str()
    }

    /// Whether it may go ahead now.
    #[getter]
    fn ready(&self) -> bool {
        self.0.ready
    }

    /// Whether it is already done (succeeded, skipped or waived; for an
    /// environment, every deploy into it; for a matrix step, every cell).
    #[getter]
    fn done(&self) -> bool {
        self.0.done
    }

    /// The step's state (for an environment, its first deploy step not yet
    /// done), if any.
    #[getter]
    fn state(&self) -> Option<&'static str> {
        self.0.state.map(|s| s.as_str())
    }

    /// The verdict of its gates.
    #[getter]
    fn verdict(&self) -> PyVerdict {
        PyVerdict(self.0.verdict.clone())
    }

    /// Every reason it waits, in words.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.0.reasons.clone()
    }

    /// The earliest instant the answer may change without a new fact; None
    /// when only a new fact or event can change it.
    #[getter]
    fn until(&self) -> Option<DateTime<Utc>> {
        self.0.until
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __str__(&self) -> String {
        let mut out = format!(
            "{} {}: {}",
            self.0.target.as_str(),
            self.0.name,
            if self.0.ready { "ready" } else { "not ready" }
        );
        for r in &self.0.reasons {
            out.push_str("\n  - ");
            out.push_str(r);
        }
        if let Some(u) = self.0.until {
            out.push_str(&format!("\n  until {}", u.to_rfc3339()));
        }
        out
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<ProcessExplanation {} {} ready={}>",
            self.0.target.as_str(),
            convert::repr_str(py, &self.0.name),
            if self.0.ready { "True" } else { "False" }
        )
    }
}

/// The next occurrence of one release day and the next version of each
/// component it ships.
#[pyclass(module = "release_core", name = "NextRelease", frozen, eq)]
#[derive(PartialEq)]
pub struct PyNextRelease(NextRelease);

#[pymethods]
impl PyNextRelease {
    /// The release's name; None for a process without `[[releases]]`.
    #[getter]
    fn release(&self) -> Option<&str> {
        self.0.release.as_deref()
    }

    /// The schedule of its days, if any.
    #[getter]
    fn schedule(&self) -> Option<&str> {
        self.0.schedule.as_deref()
    }

    /// Its next occurrence, if any.
    #[getter]
    fn occurrence(&self) -> Option<PyOccurrence> {
        self.0.occurrence.clone().map(PyOccurrence)
    }

    /// The date its versions are for.
    #[getter]
    fn date(&self) -> NaiveDate {
        self.0.date
    }

    /// The next version of each component it ships.
    #[getter]
    fn versions(&self) -> Vec<PyNextVersion> {
        self.0.versions.iter().cloned().map(PyNextVersion).collect()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<NextRelease {} on {}>",
            self.0
                .release
                .as_deref()
                .map_or_else(|| "None".to_owned(), |r| convert::repr_str(py, r)),
            self.0.date
        )
    }
}

/// A component's next tag, and why.
#[pyclass(module = "release_core", name = "NextVersion", frozen, eq)]
#[derive(PartialEq)]
pub struct PyNextVersion(NextVersion);

#[pymethods]
impl PyNextVersion {
    /// The component.
    #[getter]
    fn component(&self) -> &str {
        &self.0.component
    }

    /// Its latest release tag among those given, if any.
    #[getter]
    fn current(&self) -> Option<&str> {
        self.0.current.as_deref()
    }

    /// The next tag; None when nothing calls for a release or the component
    /// has no tag scheme.
    #[getter]
    fn next(&self) -> Option<&str> {
        self.0.next.as_deref()
    }

    /// Why this version (or none).
    #[getter]
    fn reason(&self) -> &str {
        &self.0.reason
    }

    /// The level of the release ("major", "minor", "patch", "prerelease"):
    /// the declared kind's, raised by commits; None for CalVer components
    /// and when nothing is released.
    #[getter]
    fn level(&self) -> Option<&'static str> {
        self.0.level.map(|l| l.as_str())
    }

    /// The pre-release label of the release kind ("beta"), if any.
    #[getter]
    fn prerelease(&self) -> Option<&str> {
        self.0.prerelease.as_deref()
    }

    /// Why this level: "minor: the six-weekly release day".
    #[getter]
    fn level_reason(&self) -> Option<&str> {
        self.0.level_reason.as_deref()
    }

    /// The `[[releases]]` entry this answer is for, if the process has any.
    #[getter]
    fn release(&self) -> Option<&str> {
        self.0.release.as_deref()
    }

    /// The messages of the warnings of the answer: the given tags that are
    /// not of the component's scheme, left out (`Process.next` also raises
    /// each as a `ReleaseWarning`).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.0.warnings.iter().map(ToString::to_string).collect()
    }

    /// The release line this answer is for ("3.13"), when the release
    /// ships a version of each of several lines; else None.
    #[getter]
    fn line(&self) -> Option<&str> {
        self.0.line.as_deref()
    }

    /// The given tags that are not of the component's scheme, as
    /// `(tag, reason)` pairs (the same tags `warnings` names).
    #[getter]
    fn rejected(&self) -> Vec<(String, String)> {
        self.0
            .rejected
            .iter()
            .map(|r| (r.tag.clone(), r.error.to_string()))
            .collect()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let opt =
            |v: Option<&str>| v.map_or_else(|| "None".to_owned(), |s| convert::repr_str(py, s));
        format!(
            "NextVersion(component={}, current={}, next={}, reason={})",
            convert::repr_str(py, &self.0.component),
            opt(self.0.current.as_deref()),
            opt(self.0.next.as_deref()),
            convert::repr_str(py, &self.0.reason)
        )
    }
}
