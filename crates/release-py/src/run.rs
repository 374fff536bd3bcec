//! Runs: `Run` (the sans-IO engine), `Task`, `Outcome`, `Blocked`,
//! `VirtualClock`, the drive report (a dict), and Python objects as
//! executors.

use std::sync::Arc;

use chrono::{DateTime, TimeDelta, Utc};
use pyo3::exceptions::{PyException, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDateTime, PyDict, PyList, PyString};
use release_core::duration::Span;
use release_core::gate::{Fact, FactKind};
use release_core::pipeline::{Pipeline, StepId};
use release_core::process::Process;
use release_core::run::{
    Blocked, Clock, DriveReport, Driver, Event, EventKind, Executor, FixedClock, Observation,
    Observer, Outcome, OutcomeStatus, Run, Task, VirtualClock, journal,
};

use crate::errors::IntoPy;
use crate::gate::{PyFact, PyVerdict, fact_kind, fact_value};
use crate::pipeline::PyPipeline;
use crate::schedule::instant;
use crate::{convert, json};

/// Adds the run classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRun>()?;
    m.add_class::<PyTask>()?;
    m.add_class::<PyOutcome>()?;
    m.add_class::<PyBlocked>()?;
    m.add_class::<PyVirtualClock>()?;
    Ok(())
}

fn span(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<Span> {
    let delta = convert::timedelta(ob, what)?;
    u64::try_from(delta.num_seconds())
        .map(Span::seconds_of)
        .map_err(|_| {
            pyo3::exceptions::PyValueError::new_err(format!("{what} must not be negative"))
        })
}

/// One task handed to an executor: what to do, and which attempt this is.
#[pyclass(module = "release_core", name = "Task", frozen)]
pub struct PyTask {
    pipeline: Arc<Pipeline>,
    id: StepId,
    attempt: u32,
    /// What the task releases (`Task::values`), as it was handed out.
    values: std::collections::BTreeMap<String, String>,
    /// Its command with the placeholders replaced, or why it cannot be.
    argv: release_core::Result<Option<Vec<String>>>,
}

impl PyTask {
    fn task(&self) -> Task<'_> {
        Task::of(&self.pipeline, self.id, self.attempt)
    }
}

#[pymethods]
impl PyTask {
    /// The task's id (`step`, or `step[cell]`).
    #[getter]
    fn id(&self) -> &str {
        self.pipeline.node(self.id).id()
    }

    /// The step's kind (`"build"`, `"deploy"`, ...).
    #[getter]
    fn kind(&self) -> &'static str {
        self.task().kind().as_str()
    }

    /// Which attempt this is, from 1.
    #[getter]
    fn attempt(&self) -> u32 {
        self.attempt
    }

    /// The step's command as an argument list, if any.
    #[getter]
    fn command(&self) -> Option<Vec<String>> {
        self.task().command().map(<[String]>::to_vec)
    }

    /// The step's component, if any.
    #[getter]
    fn component(&self) -> Option<&str> {
        self.pipeline
            .node(self.id)
            .step()
            .details
            .component
            .as_deref()
    }

    /// The step's environment, if any.
    #[getter]
    fn environment(&self) -> Option<&str> {
        self.pipeline
            .node(self.id)
            .step()
            .details
            .environment
            .as_deref()
    }

    /// The matrix cell's values, for a cell task.
    #[getter]
    fn cell(&self) -> Option<std::collections::BTreeMap<String, String>> {
        self.pipeline.node(self.id).cell().map(|c| c.values.clone())
    }

    /// The step's free metadata, as plain data.
    #[getter]
    fn metadata<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.pipeline.node(self.id).step().details.metadata)
    }

    /// What the task releases, by placeholder name: `version`, `tag`,
    /// `component.<name>.tag`, `release.day`, `output.<step>.<name>`, ...
    /// (the names of the README's "Steps that know what they release").
    #[getter]
    fn context(&self) -> std::collections::BTreeMap<String, String> {
        self.values.clone()
    }

    /// The context as environment variables (`RELEASE_TAG`, ...), as the
    /// CLI's shell executor sets them.
    #[getter]
    fn env(&self) -> std::collections::BTreeMap<String, String> {
        self.values
            .iter()
            .map(|(k, v)| (release_core::run::env_name(k), v.clone()))
            .collect()
    }

    /// The command with its placeholders replaced (`{tag}` -> `1.2.3`).
    ///
    /// Raises `ReleaseError` when a placeholder has no value in this run.
    fn argv(&self) -> PyResult<Option<Vec<String>>> {
        self.argv.clone().py_err()
    }

    /// The whole task (step, cell, attempt) as plain data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.task())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Task {} attempt {}>",
            convert::repr_str(py, self.id()),
            self.attempt
        )
    }
}

/// What an executor reports: success or failure, a message, facts it
/// observed (recorded with the task as their source) and how long it took.
#[pyclass(module = "release_core", name = "Outcome", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyOutcome(Outcome);

fn observations(ob: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Observation>> {
    let Some(ob) = ob else { return Ok(Vec::new()) };
    if ob.is_none() {
        return Ok(Vec::new());
    }
    convert::not_a_str(ob, "facts")?;
    let mut out = Vec::new();
    for item in ob.try_iter()? {
        let item = item?;
        if let Ok(f) = item.cast::<PyFact>() {
            let f = &f.get().0;
            out.push(Observation {
                kind: f.kind,
                subject: f.subject.clone(),
                value: f.value.clone(),
            });
            continue;
        }
        let [kind, subject, value] =
            convert::tuple_of::<3>(&item, "each fact", "(kind, subject, value)")?;
        let kind: FactKind = fact_kind(&kind)?;
        let subject: String = subject.extract()?;
        out.push(Observation {
            kind,
            subject,
            value: fact_value(&value)?,
        });
    }
    Ok(out)
}

fn outcome(
    ok: bool,
    message: Option<String>,
    facts: Option<&Bound<'_, PyAny>>,
    elapsed: Option<&Bound<'_, PyAny>>,
) -> PyResult<Outcome> {
    Ok(Outcome {
        status: if ok {
            OutcomeStatus::Succeeded
        } else {
            OutcomeStatus::Failed
        },
        message,
        facts: observations(facts)?,
        elapsed: elapsed
            .filter(|e| !e.is_none())
            .map(|e| span(e, "elapsed"))
            .transpose()?,
    })
}

#[pymethods]
impl PyOutcome {
    /// `facts` holds `Fact`s or `(kind, subject, value)` tuples; `elapsed`
    /// (a timedelta) advances a virtual clock.
    #[new]
    #[pyo3(signature = (ok, message = None, *, facts = None, elapsed = None))]
    fn new(
        ok: &Bound<'_, PyAny>,
        message: Option<String>,
        facts: Option<&Bound<'_, PyAny>>,
        elapsed: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let ok = ok
            .cast::<PyBool>()
            .map_err(|_| {
                PyTypeError::new_err(format!("ok must be a bool, not {}", convert::type_name(ok)))
            })?
            .is_true();
        outcome(ok, message, facts, elapsed).map(PyOutcome)
    }

    /// Whether the task succeeded.
    #[getter]
    fn ok(&self) -> bool {
        self.0.is_success()
    }

    /// The message, if any.
    #[getter]
    fn message(&self) -> Option<&str> {
        self.0.message.as_deref()
    }

    /// The elapsed time, if given.
    #[getter]
    fn elapsed(&self) -> Option<TimeDelta> {
        self.0.elapsed.map(Span::to_delta)
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __repr__(&self) -> String {
        format!(
            "<Outcome {}>",
            if self.0.is_success() { "ok" } else { "failed" }
        )
    }
}

/// A task's return value as an outcome: None or True succeed, False
/// fails, an `Outcome`, or a dict `{"ok": bool, "message": str, "facts":
/// [...], "elapsed": timedelta}`.
fn returned(value: &Bound<'_, PyAny>) -> PyResult<Outcome> {
    if value.is_none() {
        return Ok(Outcome::success());
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(if b.is_true() {
            Outcome::success()
        } else {
            Outcome::failure("execute returned False")
        });
    }
    if let Ok(o) = value.cast::<PyOutcome>() {
        return Ok(o.get().0.clone());
    }
    if let Ok(d) = value.cast::<PyDict>() {
        let spec = convert::Fields::new(
            d.as_any(),
            "the outcome dict".to_owned(),
            &["ok", "message", "facts", "elapsed"],
        )?;
        let ok = spec.required("ok")?;
        let ok = ok
            .cast::<PyBool>()
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "outcome \"ok\" must be a bool, not {}",
                    convert::type_name(&ok)
                ))
            })?
            .is_true();
        return outcome(
            ok,
            spec.string("message")?,
            spec.optional("facts")?.as_ref(),
            spec.optional("elapsed")?.as_ref(),
        );
    }
    Err(PyTypeError::new_err(format!(
        "execute must return None, a bool, an Outcome or a dict, not {}",
        convert::type_name(value)
    )))
}

/// A failure carrying the Python traceback of `err`.
fn traceback_failure(py: Python<'_>, err: &PyErr, prefix: &str) -> Outcome {
    let text = py
        .import("traceback")
        .and_then(|tb| {
            tb.call_method1(
                "format_exception",
                (err.get_type(py), err.value(py), err.traceback(py)),
            )
        })
        .and_then(|lines| {
            let lines: Vec<String> = lines.extract()?;
            Ok(lines.concat())
        })
        .unwrap_or_else(|_| err.to_string());
    Outcome::failure(format!("{prefix}{}", text.trim_end()))
}

/// A Python object with an `execute(task)` method, as an executor.
struct PyExecutor<'py> {
    target: Bound<'py, PyAny>,
    pipeline: Arc<Pipeline>,
    /// A `BaseException` that is not an `Exception` (KeyboardInterrupt,
    /// SystemExit): raised again once the driver returns.
    abort: Option<PyErr>,
}

impl Executor for PyExecutor<'_> {
    fn execute(&mut self, task: &Task<'_>) -> Outcome {
        let py = self.target.py();
        if let Some(err) = &self.abort {
            return Outcome::failure(format!(
                "not run: the drive was interrupted by {}",
                err.get_type(py)
            ));
        }
        let pytask = PyTask {
            pipeline: self.pipeline.clone(),
            id: task.step_id,
            attempt: task.attempt,
            values: task.values(),
            argv: task.expanded_command(),
        };
        let result = self
            .target
            .call_method1("execute", (pytask,))
            .and_then(|v| returned(&v));
        match result {
            Ok(outcome) => outcome,
            Err(err) if err.is_instance_of::<PyException>(py) => traceback_failure(py, &err, ""),
            Err(err) => {
                let outcome = traceback_failure(py, &err, "interrupted: ");
                self.abort = Some(err);
                outcome
            }
        }
    }
}

/// A clock for simulations: time moves only when the driver waits for a
/// task's `elapsed` or a wait step, or when you `advance` it.
///
/// Its methods convert their arguments before they take the clock, and
/// never call Python code while they hold it, so the driver (which reads
/// the same object) always finds it free.
#[pyclass(module = "release_core", name = "VirtualClock")]
pub struct PyVirtualClock(VirtualClock);

#[pymethods]
impl PyVirtualClock {
    #[new]
    fn new(start: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(PyVirtualClock(VirtualClock::new(instant(start, "start")?)))
    }

    /// The current instant (UTC).
    #[getter]
    fn now(&mut self) -> DateTime<Utc> {
        self.0.now()
    }

    /// Moves time forward.
    fn advance(slf: &Bound<'_, Self>, by: &Bound<'_, PyAny>) -> PyResult<()> {
        let by = span(by, "by")?;
        slf.borrow_mut().0.advance(by);
        Ok(())
    }

    /// Moves time forward to `at` (never back).
    fn sleep_until(slf: &Bound<'_, Self>, at: &Bound<'_, PyAny>) -> PyResult<()> {
        // An aware datetime's tzinfo may be Python code: read it first.
        let at = instant(at, "at")?;
        slf.borrow_mut().0.sleep_until(at);
        Ok(())
    }

    fn __repr__(&mut self) -> String {
        format!("<VirtualClock {}>", self.0.now().to_rfc3339())
    }
}

/// A `VirtualClock` the driver shares with Python: every reading and every
/// sleep goes to the Python object, never to a copy (an executor may
/// `advance` it during `execute`; the borrow is never held across a call
/// into Python).
struct SharedClock<'py>(Bound<'py, PyVirtualClock>);

impl Clock for SharedClock<'_> {
    fn now(&mut self) -> DateTime<Utc> {
        self.0.borrow_mut().0.now()
    }

    fn sleep_until(&mut self, at: DateTime<Utc>) {
        self.0.borrow_mut().0.sleep_until(at);
    }
}

/// What a drive did, as plain data (`_DriveReport` in the stubs): the
/// run's `status` when it stopped, how many tasks it `executed`, the
/// clock's time when it stopped (`finished_at`), and when something
/// changes by itself if it stopped waiting (`wakeup`, else None). A dict
/// rather than a class: a record with nothing to compute needs no mirror.
fn drive_report<'py>(py: Python<'py>, report: &DriveReport) -> PyResult<Bound<'py, PyDict>> {
    let dict = PyDict::new(py);
    dict.set_item("status", report.status.as_str())?;
    dict.set_item("executed", report.executed)?;
    dict.set_item("finished_at", report.finished_at)?;
    dict.set_item("wakeup", report.wakeup)?;
    Ok(dict)
}

/// A task that is not ready, and every reason why.
#[pyclass(module = "release_core", name = "Blocked", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyBlocked(Blocked);

#[pymethods]
impl PyBlocked {
    /// The task.
    #[getter]
    fn task(&self) -> &str {
        &self.0.task
    }

    /// Its state.
    #[getter]
    fn state(&self) -> &'static str {
        self.0.state.as_str()
    }

    /// Every reason, as plain data: `{"reason": "needs", "task": ...,
    /// "state": ...}`, `{"reason": "gates", "verdict": {...}}`,
    /// `{"reason": "awaiting_approval"}`, `{"reason": "waiting_until",
    /// "until": ...}`.
    #[getter]
    fn reasons<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.0.reasons)
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<Blocked {}>", self.0)
    }
}

/// The run of a pipeline: each task's state, fed by timestamped events,
/// every event journaled.
///
/// A run made from a `Process` (rather than its `Pipeline`) evaluates its
/// gates on the facts every other path sees: before each event, what the
/// calendar says at the event's time (a window open, a holiday), as
/// `plan`, `explain` and `release approve` do.
///
/// While `drive` runs, the run is the driver's: every other method (from
/// the executor, the observer or another thread) raises `RunBusyError`.
/// Each method converts its arguments before it takes the run, so Python
/// code runs with the run taken only inside `drive`.
#[pyclass(module = "release_core", name = "Run")]
pub struct PyRun(pub(crate) Run, pub(crate) Option<Arc<Process>>);

/// The error of `what` (a method, a function's argument) using a run
/// while it is driven.
fn busy(what: &str) -> PyErr {
    crate::errors::new_error(
        crate::errors::Class::RunBusy,
        format!(
            "{what}: the run is being driven; its executor, its observer and other threads may use it only after Run.drive returns"
        ),
    )
}

impl PyRun {
    /// The run, to read in `method`; `RunBusyError` while it is driven.
    fn read<'py>(slf: &Bound<'py, Self>, method: &str) -> PyResult<PyRef<'py, Self>> {
        Self::read_for(slf, &format!("Run.{method}"))
    }

    /// The run, to read for `what` outside its methods (`evidence(run)`);
    /// `RunBusyError` while it is driven.
    pub(crate) fn read_for<'py>(slf: &Bound<'py, Self>, what: &str) -> PyResult<PyRef<'py, Self>> {
        slf.try_borrow().map_err(|_| busy(what))
    }

    /// The run, to change in `method`; `RunBusyError` while it is driven.
    fn write<'py>(slf: &Bound<'py, Self>, method: &str) -> PyResult<PyRefMut<'py, Self>> {
        slf.try_borrow_mut()
            .map_err(|_| busy(&format!("Run.{method}")))
    }

    /// Applies the event of `kind` at `at` (see [`Self::apply_event`]).
    fn apply(&mut self, at: DateTime<Utc>, kind: EventKind) -> PyResult<()> {
        self.apply_event(Event::new(at, kind))
    }

    /// Applies `event`, after the calendar's answers at its time for a
    /// process's run: the core's one model of now.
    fn apply_event(&mut self, event: Event) -> PyResult<()> {
        match &self.1 {
            Some(process) => process.apply(&mut self.0, event).py_err(),
            None => self.0.apply(event).py_err(),
        }
    }

    /// Applies the event `kind` makes at `at`, taking the run for
    /// `method`; `kind` checks task names against the run's pipeline.
    fn record_for(
        slf: &Bound<'_, Self>,
        method: &str,
        at: DateTime<Utc>,
        kind: impl FnOnce(&Self) -> PyResult<EventKind>,
    ) -> PyResult<()> {
        let mut this = Self::write(slf, method)?;
        let kind = kind(&this)?;
        this.apply(at, kind)
    }

    fn maybe_known(&self, task: Option<&str>) -> PyResult<Option<String>> {
        task.map(|t| self.known(t)).transpose()
    }

    fn known(&self, task: &str) -> PyResult<String> {
        PyPipeline::lookup(self.0.pipeline(), task).map(|_| task.to_owned())
    }

    fn list<'py>(
        &self,
        py: Python<'py>,
        ids: impl Iterator<Item = StepId>,
    ) -> PyResult<Bound<'py, PyList>> {
        let p = self.0.pipeline();
        let items: Vec<Bound<'py, PyString>> =
            ids.map(|id| PyString::new(py, p.node(id).id())).collect();
        PyList::new(py, items)
    }
}

#[pymethods]
impl PyRun {
    /// A new run: nothing happened yet. With `requested_by` (and `at`, when
    /// the release was requested), the run's first event names who
    /// requested it; it cannot change, and that person may not approve the
    /// release's gates or manual steps, nor waive its gates. Required when
    /// the pipeline has an approvals gate or a manual step.
    #[new]
    #[pyo3(signature = (pipeline, *, requested_by = None, at = None))]
    fn new(
        pipeline: &Bound<'_, PyAny>,
        requested_by: Option<&str>,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let (pipeline, process) = pipeline_or_process(pipeline)?;
        let mut run = PyRun(Run::new(pipeline), process);
        match (requested_by, at) {
            (Some(by), Some(at)) => {
                let by = identity(by, "requested_by")?;
                run.apply(instant(at, "at")?, EventKind::Requested { by })?;
            }
            (Some(_), None) => {
                return Err(PyTypeError::new_err(
                    "requested_by= needs at=, the time the release was requested",
                ));
            }
            (None, Some(_)) => {
                return Err(PyTypeError::new_err(
                    "at= is the time of requested_by=; give both or neither",
                ));
            }
            (None, None) if run.0.needs_requester() => {
                return Err(PyTypeError::new_err(
                    "the pipeline asks for people's approvals (an approvals gate or a manual step): say who requests this release with requested_by= and at=; the requester may not approve it",
                ));
            }
            (None, None) => {}
        }
        Ok(run)
    }

    /// Gives the tasks of a process's run what they release: the plan's
    /// context at `now` (`Process.context`: versions and tags from the
    /// existing `tags`, by component, of the `[[releases]]` entry
    /// `release`). Executors then read it as `task.context`, `task.env`
    /// and `task.argv()`.
    #[pyo3(signature = (*, now, tags = None, release = None))]
    fn set_release(
        slf: &Bound<'_, Self>,
        now: &Bound<'_, PyAny>,
        tags: Option<&Bound<'_, PyAny>>,
        release: Option<&str>,
    ) -> PyResult<()> {
        let py = slf.py();
        let now = instant(now, "now")?;
        let tags = crate::process::tags_arg(tags)?;
        let Some(process) = Self::read(slf, "set_release")?.1.clone() else {
            return Err(PyTypeError::new_err(
                "set_release needs a run made from a Process (Run(process, ...)): a Pipeline has no plan",
            ));
        };
        let (context, warnings) = process
            .context(now, &tags, &release_core::gate::Facts::new(), &[], release)
            .py_err()?;
        // Warned with the run free (the warnings filter is Python code) and
        // before the context is set: under `-W error` nothing changes.
        crate::errors::warn(py, &warnings)?;
        Self::write(slf, "set_release")?.0.set_context(context);
        Ok(())
    }

    /// Who requested the release, if the run says.
    #[getter]
    fn requester(slf: &Bound<'_, Self>) -> PyResult<Option<String>> {
        Ok(Self::read(slf, "requester")?
            .0
            .requester()
            .map(ToString::to_string))
    }

    /// Rebuilds a run from its journal (JSON lines, as `journal()` gives).
    /// A torn last line (a crash mid-write) is ignored.
    #[staticmethod]
    fn replay(pipeline: &Bound<'_, PyAny>, journal: &str) -> PyResult<Self> {
        let decoded = journal::decode(journal).py_err()?;
        match pipeline_or_process(pipeline)? {
            (_, Some(process)) => Ok(PyRun(
                process.replay(&decoded.events).py_err()?,
                Some(process),
            )),
            (pipeline, None) => Run::replay(pipeline, decoded.events)
                .py_err()
                .map(|run| PyRun(run, None)),
        }
    }

    /// Rebuilds a run from its journal and marks tasks started but never
    /// finished as interrupted at `now`, so they run again.
    #[staticmethod]
    #[pyo3(signature = (pipeline, journal, *, now))]
    fn resume(
        pipeline: &Bound<'_, PyAny>,
        journal: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let decoded = journal::decode(journal).py_err()?;
        let now = instant(now, "now")?;
        match pipeline_or_process(pipeline)? {
            (_, Some(process)) => Ok(PyRun(
                process.resume(&decoded.events, now).py_err()?,
                Some(process),
            )),
            (pipeline, None) => Run::resume(pipeline, decoded.events, now)
                .py_err()
                .map(|run| PyRun(run, None)),
        }
    }

    /// The pipeline.
    #[getter]
    fn pipeline(slf: &Bound<'_, Self>) -> PyResult<PyPipeline> {
        Ok(PyPipeline(
            Self::read(slf, "pipeline")?.0.pipeline().clone(),
        ))
    }

    /// `"in_progress"`, `"waiting"`, `"needs_input"`, `"succeeded"`,
    /// `"failed"` or `"cancelled"`.
    #[getter]
    fn status(slf: &Bound<'_, Self>) -> PyResult<&'static str> {
        Ok(Self::read(slf, "status")?.0.status().as_str())
    }

    /// The tasks ready to start, in order.
    fn ready<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let this = Self::read(slf, "ready")?;
        this.list(slf.py(), this.0.ready())
    }

    /// The tasks running.
    fn running<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let this = Self::read(slf, "running")?;
        this.list(slf.py(), this.0.running())
    }

    /// The manual tasks waiting for an approval.
    fn awaiting_approval<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyList>> {
        let this = Self::read(slf, "awaiting_approval")?;
        this.list(slf.py(), this.0.awaiting_approval())
    }

    /// Every task not ready and not done, with its reasons.
    fn blocked(slf: &Bound<'_, Self>) -> PyResult<Vec<PyBlocked>> {
        let this = Self::read(slf, "blocked")?;
        Ok(this.0.blocked().into_iter().map(PyBlocked).collect())
    }

    /// A task's state (`"pending"`, `"ready"`, `"running"`, `"succeeded"`,
    /// `"failed"`, `"skipped"`, `"waived"`, `"cancelled"`).
    fn state(slf: &Bound<'_, Self>, task: &str) -> PyResult<&'static str> {
        let this = Self::read(slf, "state")?;
        let id = PyPipeline::lookup(this.0.pipeline(), task)?;
        Ok(this.0.state(id).as_str())
    }

    /// How many attempts a task has started.
    fn attempts(slf: &Bound<'_, Self>, task: &str) -> PyResult<u32> {
        let this = Self::read(slf, "attempts")?;
        let id = PyPipeline::lookup(this.0.pipeline(), task)?;
        Ok(this.0.attempts(id))
    }

    /// A task's last message (a failure's traceback, for instance).
    fn message(slf: &Bound<'_, Self>, task: &str) -> PyResult<Option<String>> {
        let this = Self::read(slf, "message")?;
        let id = PyPipeline::lookup(this.0.pipeline(), task)?;
        Ok(this.0.message(id).map(str::to_owned))
    }

    /// The verdict of a task's gates at `now`, with the run's facts and
    /// waivers.
    #[pyo3(signature = (task, *, now))]
    fn verdict(slf: &Bound<'_, Self>, task: &str, now: &Bound<'_, PyAny>) -> PyResult<PyVerdict> {
        let now = instant(now, "now")?;
        let this = Self::read(slf, "verdict")?;
        let id = PyPipeline::lookup(this.0.pipeline(), task)?;
        Ok(PyVerdict(this.0.verdict(id, now)))
    }

    /// The next instant at which something changes by itself.
    #[getter]
    fn next_wakeup(slf: &Bound<'_, Self>) -> PyResult<Option<DateTime<Utc>>> {
        Ok(Self::read(slf, "next_wakeup")?.0.next_wakeup())
    }

    /// The facts recorded so far.
    #[getter]
    fn facts(slf: &Bound<'_, Self>) -> PyResult<Vec<PyFact>> {
        let this = Self::read(slf, "facts")?;
        Ok(this.0.facts().iter().cloned().map(PyFact).collect())
    }

    /// Every task's state, attempts and message, as plain data.
    fn snapshot<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let snapshot = Self::read(slf, "snapshot")?.0.snapshot();
        json::to_py(slf.py(), &snapshot)
    }

    /// The journal as JSON lines, which `Run.replay` reads back.
    fn journal(slf: &Bound<'_, Self>) -> PyResult<String> {
        journal::encode_all(Self::read(slf, "journal")?.0.journal()).py_err()
    }

    /// How many events the journal holds.
    fn __len__(slf: &Bound<'_, Self>) -> PyResult<usize> {
        Ok(Self::read(slf, "__len__")?.0.journal().len())
    }

    /// Applies one journal line (an event in its JSON form).
    fn apply_json(slf: &Bound<'_, Self>, line: &str) -> PyResult<()> {
        let event: Event = json::from_text(line, "event JSON")?;
        Self::write(slf, "apply_json")?.apply_event(event)
    }

    /// An executor started a ready task.
    #[pyo3(signature = (task, *, at))]
    fn start(slf: &Bound<'_, Self>, task: &str, at: &Bound<'_, PyAny>) -> PyResult<()> {
        let at = instant(at, "at")?;
        Self::record_for(slf, "start", at, |run| {
            Ok(EventKind::Started {
                task: run.known(task)?,
                process: None,
            })
        })
    }

    /// A running task succeeded.
    #[pyo3(signature = (task, *, at, message = None))]
    fn succeed(
        slf: &Bound<'_, Self>,
        task: &str,
        at: &Bound<'_, PyAny>,
        message: Option<String>,
    ) -> PyResult<()> {
        let at = instant(at, "at")?;
        Self::record_for(slf, "succeed", at, |run| {
            Ok(EventKind::Succeeded {
                task: run.known(task)?,
                message,
            })
        })
    }

    /// A running task's attempt failed.
    #[pyo3(signature = (task, message, *, at))]
    fn fail(
        slf: &Bound<'_, Self>,
        task: &str,
        message: String,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let at = instant(at, "at")?;
        Self::record_for(slf, "fail", at, |run| {
            Ok(EventKind::Failed {
                task: run.known(task)?,
                message,
            })
        })
    }

    /// A task that failed for good gets a new round of attempts (after the
    /// cause was fixed); the tasks its failure blocked follow it.
    #[pyo3(signature = (task, *, at))]
    fn retry(slf: &Bound<'_, Self>, task: &str, at: &Bound<'_, PyAny>) -> PyResult<()> {
        let at = instant(at, "at")?;
        Self::record_for(slf, "retry", at, |run| {
            Ok(EventKind::Retried {
                task: run.known(task)?,
            })
        })
    }

    /// Someone approved a manual task, or the release in a role, or both.
    #[pyo3(signature = (by, *, at, task = None, role = None))]
    fn approve(
        slf: &Bound<'_, Self>,
        by: String,
        at: &Bound<'_, PyAny>,
        task: Option<&str>,
        role: Option<String>,
    ) -> PyResult<()> {
        let by = identity(&by, "by")?;
        let at = instant(at, "at")?;
        Self::record_for(slf, "approve", at, |run| {
            Ok(EventKind::Approved {
                task: run.maybe_known(task)?,
                by,
                role,
            })
        })
    }

    /// Someone waived a task, or (with `gate`) a gate of a task or of every
    /// task.
    #[pyo3(signature = (by, reason, *, at, task = None, gate = None))]
    fn waive(
        slf: &Bound<'_, Self>,
        by: String,
        reason: String,
        at: &Bound<'_, PyAny>,
        task: Option<&str>,
        gate: Option<String>,
    ) -> PyResult<()> {
        let by = identity(&by, "by")?;
        let at = instant(at, "at")?;
        Self::record_for(slf, "waive", at, |run| {
            Ok(EventKind::Waived {
                task: run.maybe_known(task)?,
                gate,
                by,
                reason,
            })
        })
    }

    /// Someone skipped a skippable or advisory task.
    #[pyo3(signature = (task, by, reason, *, at))]
    fn skip(
        slf: &Bound<'_, Self>,
        task: &str,
        by: String,
        reason: String,
        at: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let by = identity(&by, "by")?;
        let at = instant(at, "at")?;
        Self::record_for(slf, "skip", at, |run| {
            Ok(EventKind::Skipped {
                task: run.known(task)?,
                by,
                reason,
            })
        })
    }

    /// A fact became known (at the fact's own time).
    fn record(slf: &Bound<'_, Self>, fact: &Bound<'_, PyAny>) -> PyResult<()> {
        let fact: Fact = fact
            .cast::<PyFact>()
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "fact must be a Fact, not {}",
                    convert::type_name(fact)
                ))
            })?
            .get()
            .0
            .clone();
        let at = fact.at;
        Self::write(slf, "record")?.apply_event(Event::new(at, EventKind::fact(fact)))
    }

    /// The run (or one task) was cancelled.
    #[pyo3(signature = (*, at, task = None, by = None, reason = None))]
    fn cancel(
        slf: &Bound<'_, Self>,
        at: &Bound<'_, PyAny>,
        task: Option<&str>,
        by: Option<String>,
        reason: Option<String>,
    ) -> PyResult<()> {
        let by = by.map(|b| identity(&b, "by")).transpose()?;
        let at = instant(at, "at")?;
        Self::record_for(slf, "cancel", at, |run| {
            Ok(EventKind::Cancelled {
                task: run.maybe_known(task)?,
                by,
                reason,
            })
        })
    }

    /// Lets time pass: wait steps whose time came succeed, time-based
    /// gates are evaluated again. True when something changed.
    fn tick(slf: &Bound<'_, Self>, now: &Bound<'_, PyAny>) -> PyResult<bool> {
        let now = instant(now, "now")?;
        let mut this = Self::write(slf, "tick")?;
        let this = &mut *this;
        let before = this.0.journal().len();
        if let Some(process) = &this.1 {
            process.catch_up(&mut this.0, now).py_err()?;
        }
        Ok(this.0.tick(now) || this.0.journal().len() > before)
    }

    /// Hands ready tasks to `executor.execute(task)` until nothing is
    /// ready: sequentially, or with `parallel` tasks in flight on the
    /// clock's time (the executor itself is always called one at a time).
    ///
    /// Returns what the drive did as a dict: `{"status": ..., "executed":
    /// n, "finished_at": datetime, "wakeup": datetime or None}`.
    ///
    /// `clock` is a `VirtualClock` (advanced by outcomes' `elapsed`, by
    /// wait steps, and by an executor that calls its `advance` during
    /// `execute`: the driver reads the same object) or an aware datetime (a
    /// fixed time). `execute` returns
    /// None or True (success), False (failure), an `Outcome`, or a dict
    /// `{"ok": bool, "message": str, "facts": [...], "elapsed": timedelta}`.
    /// An exception raised by `execute` fails that task with the traceback
    /// as its message; the run goes on with unrelated tasks. A
    /// KeyboardInterrupt or SystemExit fails the task it interrupted,
    /// fails the tasks handed out after it without calling `execute`, and
    /// is raised again when the driver returns.
    ///
    /// `observer`, a callable, is called with each event the driver
    /// applies (as a dict, its journal form), in journal order, right after
    /// the run accepted it and before anything else happens; an exception
    /// it raises stops the drive and is raised again (the run keeps the
    /// events observed).
    ///
    /// The run is the driver's until `drive` returns: the executor, the
    /// observer and other threads get `RunBusyError` from any of its
    /// methods (a second `drive` included), and from a function given the
    /// run (`Process.plan(journal=run)`, `evidence(run)`). They use the
    /// `Task` they are handed, the event dict, and the `VirtualClock`,
    /// which they may read and `advance`.
    #[pyo3(signature = (executor, *, clock, parallel = 1, observer = None))]
    fn drive<'py>(
        slf: &Bound<'py, Self>,
        executor: &Bound<'py, PyAny>,
        clock: &Bound<'py, PyAny>,
        parallel: usize,
        observer: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        if let Some(cb) = observer.filter(|o| !o.is_callable()) {
            return Err(PyTypeError::new_err(format!(
                "observer must be callable, not {}",
                convert::type_name(cb)
            )));
        }
        if !executor.hasattr("execute")? {
            return Err(PyTypeError::new_err(format!(
                "executor must have an execute(task) method; {} has none",
                convert::type_name(executor)
            )));
        }
        let mut clock = DriveClock::of(clock)?;
        let driver = if parallel <= 1 {
            Driver::sequential()
        } else {
            Driver::parallel(parallel)
        };
        let mut this = Self::write(slf, "drive")?;
        let this = &mut *this;
        let mut exec = PyExecutor {
            target: executor.clone(),
            pipeline: this.0.pipeline().clone(),
            abort: None,
        };
        let mut observer = Watching {
            process: this.1.clone(),
            callback: observer.cloned(),
        };
        let report = match &mut clock {
            DriveClock::Shared(shared) => {
                driver.drive_observed(&mut this.0, &mut exec, shared, &mut observer)
            }
            DriveClock::Fixed(fixed) => {
                driver.drive_observed(&mut this.0, &mut exec, fixed, &mut observer)
            }
        };
        if let Some(err) = exec.abort {
            return Err(err);
        }
        match report {
            Ok(report) => drive_report(slf.py(), &report),
            Err(Stop::Core(e)) => Err(e).py_err(),
            Err(Stop::Py(e)) => Err(e),
        }
    }

    fn __eq__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<bool> {
        let Ok(other) = other.cast::<PyRun>() else {
            return Ok(false);
        };
        let this = Self::read(slf, "__eq__")?;
        let other = Self::read(other, "__eq__")?;
        Ok(other.0 == this.0)
    }

    /// Never raises: a repr is what tracebacks and debuggers show, also of
    /// a run being driven.
    fn __repr__(slf: &Bound<'_, Self>) -> String {
        let py = slf.py();
        match slf.try_borrow() {
            Ok(this) => format!(
                "<Run {} {} ({} events)>",
                convert::repr_str(py, this.0.pipeline().name()),
                this.0.status(),
                this.0.journal().len()
            ),
            Err(_) => "<Run being driven>".to_owned(),
        }
    }
}

/// The clock of one drive: the Python `VirtualClock` itself, or a fixed
/// instant.
enum DriveClock<'py> {
    Shared(SharedClock<'py>),
    Fixed(FixedClock),
}

impl<'py> DriveClock<'py> {
    fn of(clock: &Bound<'py, PyAny>) -> PyResult<Self> {
        if let Ok(vc) = clock.cast::<PyVirtualClock>() {
            // The driver reads and moves the Python object's own clock, so
            // an executor that advances it during `execute` is heard.
            return Ok(DriveClock::Shared(SharedClock(vc.clone())));
        }
        if clock.is_instance_of::<PyDateTime>() {
            return Ok(DriveClock::Fixed(FixedClock::new(instant(clock, "clock")?)));
        }
        Err(PyTypeError::new_err(format!(
            "clock must be a VirtualClock or an aware datetime, not {}",
            convert::type_name(clock)
        )))
    }
}

/// Why a Python drive stopped early: the run's error, or the observer's.
enum Stop {
    Core(release_core::Error),
    Py(PyErr),
}

impl From<release_core::Error> for Stop {
    fn from(e: release_core::Error) -> Stop {
        Stop::Core(e)
    }
}

/// The driver's observer in Python: the calendar's answers at each of the
/// driver's own events (a process's run), and the user's callable.
struct Watching<'py> {
    process: Option<Arc<Process>>,
    callback: Option<Bound<'py, PyAny>>,
}

impl Observer<Stop> for Watching<'_> {
    fn event(&mut self, event: &Event, _: &Run) -> Result<(), Stop> {
        let Some(cb) = &self.callback else {
            return Ok(());
        };
        let value = json::to_py(cb.py(), event).map_err(Stop::Py)?;
        cb.call1((value,)).map(|_| ()).map_err(Stop::Py)
    }

    fn known(&mut self, run: &Run, at: DateTime<Utc>) -> Result<Vec<Event>, Stop> {
        Ok(self
            .process
            .as_ref()
            .map(|p| p.calendar_events(run, at))
            .unwrap_or_default())
    }
}

/// A run's first argument: a `Pipeline`, or a `Process` (whose calendar
/// the run then hears).
fn pipeline_or_process(ob: &Bound<'_, PyAny>) -> PyResult<(Arc<Pipeline>, Option<Arc<Process>>)> {
    if let Ok(p) = ob.cast::<crate::process::PyProcess>() {
        let process = p.get().process().clone();
        return Ok((process.pipeline().clone(), Some(Arc::new(process))));
    }
    pipeline_arg(ob)
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "pipeline must be a Pipeline or a Process, not {}",
                convert::type_name(ob)
            ))
        })
        .map(|p| (p, None))
}

fn pipeline_arg(ob: &Bound<'_, PyAny>) -> PyResult<Arc<Pipeline>> {
    ob.cast::<PyPipeline>()
        .map(|p| p.get().0.clone())
        .map_err(|_| {
            PyTypeError::new_err(format!(
                "pipeline must be a Pipeline, not {}",
                convert::type_name(ob)
            ))
        })
}

/// A person named by a Python argument (`by=`, `requested_by=`): the core's
/// identity format, or a `ParseError` naming the argument and the reason.
pub(crate) fn identity(text: &str, arg: &str) -> PyResult<release_core::identity::Identity> {
    release_core::identity::Identity::new(text)
        .map_err(|e| crate::errors::parse_error_new(format!("{arg}: {e}")))
}
