//! Pipelines: `Pipeline` (a validated DAG, read from TOML, JSON or plain
//! data), `IndexedPipeline` (from integer edges) and `CriticalPath`.

use std::sync::Arc;

use chrono::TimeDelta;
use pyo3::exceptions::{PyIndexError, PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyList, PyString, PyTuple};
use release_core::duration::{Estimate, Span};
use release_core::pipeline::{CriticalPath, IndexedPipeline, Pipeline, PipelineDef, StepId};

use crate::errors::IntoPy;
use crate::{convert, json};

/// An estimate as `(min, max)` timedeltas.
pub(crate) fn estimate(e: Estimate) -> (TimeDelta, TimeDelta) {
    (e.min().to_delta(), e.max().to_delta())
}

/// A validated, immutable pipeline: a DAG of tasks (steps, and one task
/// per cell of a matrix step).
#[pyclass(module = "release_core", name = "Pipeline", frozen)]
#[derive(Clone)]
pub struct PyPipeline(pub(crate) Arc<Pipeline>);

impl PyPipeline {
    fn validate(def: PipelineDef) -> PyResult<Self> {
        Pipeline::new(def).py_err().map(|p| PyPipeline(Arc::new(p)))
    }

    /// A task id by its text, or a `KeyError` naming it.
    pub(crate) fn lookup(pipeline: &Pipeline, task: &str) -> PyResult<StepId> {
        pipeline
            .find(task)
            .ok_or_else(|| PyKeyError::new_err(format!("unknown task {task:?}")))
    }
}

fn ids<'py>(py: Python<'py>, p: &Pipeline, ids: &[StepId]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, ids.iter().map(|&id| PyString::new(py, p.node(id).id())))
}

#[pymethods]
impl PyPipeline {
    /// A pipeline from plain data in the release.toml shape: `steps` (a list
    /// of dicts such as `{"id": "build", "kind": "build", "needs": [...],
    /// "estimate": "3m..4m"}`), and optionally `name`, `components` and
    /// `environments`, and `roles` (`{"qa": {"members": ["bob"]}}`: who may
    /// approve in each role, with `"self_approval": "allowed"` for a team
    /// of one).
    #[new]
    #[pyo3(signature = (steps, *, name = "", components = None, environments = None, roles = None))]
    fn new(
        py: Python<'_>,
        steps: &Bound<'_, PyAny>,
        name: &str,
        components: Option<&Bound<'_, PyAny>>,
        environments: Option<&Bound<'_, PyAny>>,
        roles: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        convert::not_a_str(steps, "steps")?;
        let data = PyDict::new(py);
        data.set_item("name", name)?;
        data.set_item("steps", steps)?;
        if let Some(c) = components {
            data.set_item("components", c)?;
        }
        if let Some(e) = environments {
            data.set_item("environments", e)?;
        }
        if let Some(r) = roles {
            data.set_item("roles", r)?;
        }
        PyPipeline::validate(json::from_py(data.as_any(), "pipeline")?)
    }

    /// A pipeline of `n` numbered nodes from integer data, validated
    /// without making a step or a text id per node: `durations[i]` is
    /// node i's duration in whole seconds, each `(u, v)` of `edges` says
    /// node v needs node u. Returns an `IndexedPipeline` (order and
    /// critical path; `to_pipeline()` for the full `Pipeline`).
    #[staticmethod]
    fn from_edges(
        n: usize,
        durations: &Bound<'_, PyAny>,
        edges: &Bound<'_, PyAny>,
    ) -> PyResult<PyIndexedPipeline> {
        let estimates = read_durations(durations)?;
        let edges = read_edges(edges)?;
        let pipeline = IndexedPipeline::from_edges(n, estimates, &edges).py_err()?;
        Ok(PyIndexedPipeline(Arc::new(pipeline)))
    }

    /// A pipeline from release.toml text. Deprecated spellings are read
    /// with a `ReleaseWarning`.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str) -> PyResult<Self> {
        let def: PipelineDef = convert::reading(py, || toml::from_str(text))?
            .map_err(|e| crate::errors::parse_error_new(format!("invalid pipeline TOML: {e}")))?;
        PyPipeline::validate(def)
    }

    /// A pipeline from its JSON form (`to_json`).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        PyPipeline::validate(json::from_text(text, "pipeline JSON")?)
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&*self.0)
    }

    /// The release.toml form, which `from_toml` reads back.
    fn to_toml(&self) -> PyResult<String> {
        toml::to_string(&*self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The definition as plain data (what `Pipeline(...)` takes).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &*self.0)
    }

    /// The pipeline's name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    fn __len__(&self) -> usize {
        self.0.len()
    }

    fn __contains__(&self, task: &Bound<'_, PyAny>) -> bool {
        task.extract::<&str>()
            .is_ok_and(|t| self.0.find(t).is_some())
    }

    /// Every task id in declaration order (`step`, or `step[cell]`).
    fn ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let all: Vec<StepId> = self.0.ids().collect();
        ids(py, &self.0, &all)
    }

    /// The task ids in a topological order: every task after all it needs;
    /// among tasks free to go, declaration order decides.
    fn order<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        ids(py, &self.0, self.0.order())
    }

    /// The tasks that need nothing: what is ready before anything ran.
    fn roots<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let roots: Vec<StepId> = self.0.roots().collect();
        ids(py, &self.0, &roots)
    }

    /// The tasks `task` needs.
    fn needs<'py>(&self, py: Python<'py>, task: &str) -> PyResult<Bound<'py, PyList>> {
        let id = PyPipeline::lookup(&self.0, task)?;
        ids(py, &self.0, self.0.node(id).needs())
    }

    /// The tasks that need `task`.
    fn dependents<'py>(&self, py: Python<'py>, task: &str) -> PyResult<Bound<'py, PyList>> {
        let id = PyPipeline::lookup(&self.0, task)?;
        ids(py, &self.0, self.0.node(id).dependents())
    }

    /// The step a task comes from, as plain data (a cell's task gives its
    /// matrix step).
    fn step<'py>(&self, py: Python<'py>, task: &str) -> PyResult<Bound<'py, PyAny>> {
        let id = PyPipeline::lookup(&self.0, task)?;
        json::to_py(py, self.0.node(id).step())
    }

    /// A task's estimate as `(min, max)`, or None.
    fn estimate(&self, task: &str) -> PyResult<Option<(TimeDelta, TimeDelta)>> {
        let id = PyPipeline::lookup(&self.0, task)?;
        Ok(self.0.node(id).estimate().map(estimate))
    }

    /// The names of a task's gates (its step's, then its environment's).
    fn gates(&self, task: &str) -> PyResult<Vec<String>> {
        let id = PyPipeline::lookup(&self.0, task)?;
        Ok(self
            .0
            .node(id)
            .gates()
            .iter()
            .map(|g| g.name.clone())
            .collect())
    }

    /// The critical path and the duration estimates.
    fn critical_path(&self) -> PyCriticalPath {
        PyCriticalPath(self.0.critical_path())
    }

    /// The whole pipeline's duration with unlimited parallelism, `(min, max)`.
    fn duration(&self) -> (TimeDelta, TimeDelta) {
        estimate(self.0.duration())
    }

    /// A Graphviz drawing.
    fn to_dot(&self) -> String {
        self.0.to_dot()
    }

    /// A Mermaid drawing.
    fn to_mermaid(&self) -> String {
        self.0.to_mermaid()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyPipeline>()
            .is_ok_and(|o| *o.get().0 == *self.0)
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(PyTypeError::new_err("unhashable type: 'Pipeline'"))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Pipeline {} ({} tasks)>",
            convert::repr_str(py, self.0.name()),
            self.0.len()
        )
    }
}

/// The longest chain of needs by estimated duration, and the duration
/// estimates of the whole pipeline.
#[pyclass(module = "release_core", name = "CriticalPath", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyCriticalPath(CriticalPath);

#[pymethods]
impl PyCriticalPath {
    /// The chain's task ids, first first.
    #[getter]
    fn steps(&self) -> Vec<String> {
        self.0.steps.iter().map(|s| s.id.clone()).collect()
    }

    /// The chain with each task's `(min, max)` estimate, or None.
    #[getter]
    fn estimates(&self) -> Vec<(String, Option<(TimeDelta, TimeDelta)>)> {
        self.0
            .steps
            .iter()
            .map(|s| (s.id.clone(), s.estimate.map(estimate)))
            .collect()
    }

    /// The chain's duration, `(min, max)`.
    #[getter]
    fn estimate(&self) -> (TimeDelta, TimeDelta) {
        estimate(self.0.estimate)
    }

    /// The chain's shortest duration.
    #[getter]
    fn min(&self) -> TimeDelta {
        self.0.estimate.min().to_delta()
    }

    /// The chain's longest duration: "set aside at least" this.
    #[getter]
    fn max(&self) -> TimeDelta {
        self.0.estimate.max().to_delta()
    }

    /// The whole pipeline with unlimited parallelism, `(min, max)`.
    #[getter]
    fn total(&self) -> (TimeDelta, TimeDelta) {
        estimate(self.0.total)
    }

    /// The whole pipeline one step at a time, `(min, max)`.
    #[getter]
    fn serial(&self) -> (TimeDelta, TimeDelta) {
        estimate(self.0.serial)
    }

    /// Tasks without an estimate (counted as zero).
    #[getter]
    fn unestimated(&self) -> Vec<String> {
        self.0.unestimated.clone()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __len__(&self) -> usize {
        self.0.steps.len()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<CriticalPath {}>", self.0.estimate)
    }
}

/// The items of a list, tuple or other iterable, each with its index.
fn items<'py>(
    ob: &Bound<'py, PyAny>,
    what: &str,
    mut each: impl FnMut(usize, Bound<'py, PyAny>) -> PyResult<()>,
) -> PyResult<()> {
    if let Ok(list) = ob.cast::<PyList>() {
        // A list is walked without an iterator object (the common case).
        for (i, item) in list.iter().enumerate() {
            each(i, item)?;
        }
        return Ok(());
    }
    if ob.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a list, not str"
        )));
    }
    let iter = ob.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a list, not {}",
            convert::type_name(ob)
        ))
    })?;
    for (i, item) in iter.enumerate() {
        each(i, item?)?;
    }
    Ok(())
}

/// An int item of `what`, as a `u64`: a `TypeError` for anything but an
/// int (bool included), a `ValueError` for a negative or huge one.
fn int_at(ob: &Bound<'_, PyAny>, what: &str, place: impl Fn() -> String) -> PyResult<u64> {
    // `place` is made only for an error: formatting it for each of
    // 600,000 ints was most of `from_edges`.
    if !ob.is_instance_of::<PyInt>() || ob.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{what}{} must be an int, not {}",
            place(),
            convert::type_name(ob)
        )));
    }
    ob.extract::<u64>().map_err(|_| {
        PyValueError::new_err(format!(
            "{what}{} = {} is not a count: it must be 0 or more, below 2**64",
            place(),
            ob.repr().map_or_else(|_| "?".to_owned(), |r| r.to_string())
        ))
    })
}

/// `durations`: whole seconds per node.
fn read_durations(ob: &Bound<'_, PyAny>) -> PyResult<Vec<Estimate>> {
    let mut out = Vec::with_capacity(ob.len().unwrap_or(0));
    items(ob, "durations", |i, item| {
        let seconds = int_at(&item, "durations", || format!("[{i}]"))?;
        out.push(Estimate::exactly(Span::seconds_of(seconds)));
        Ok(())
    })?;
    Ok(out)
}

/// `edges`: `(u, v)` pairs of node indices.
fn read_edges(ob: &Bound<'_, PyAny>) -> PyResult<Vec<(u32, u32)>> {
    let mut out = Vec::with_capacity(ob.len().unwrap_or(0));
    items(ob, "edges", |i, item| {
        let pair = item.cast::<PyTuple>().ok().filter(|t| t.len() == 2);
        let Some(pair) = pair else {
            return Err(PyTypeError::new_err(format!(
                "edges[{i}] must be a (u, v) tuple of two ints, not {}",
                convert::type_name(&item)
            )));
        };
        let node = |k: usize| -> PyResult<u32> {
            let place = || format!("[{i}][{k}]");
            let value = int_at(&pair.get_item(k)?, "edges", place)?;
            u32::try_from(value).map_err(|_| {
                PyValueError::new_err(format!(
                    "edges{} = {value} is not a node index (below 2**32)",
                    place()
                ))
            })
        };
        out.push((node(0)?, node(1)?));
        Ok(())
    })?;
    Ok(out)
}

/// A validated DAG of numbered nodes, from `Pipeline.from_edges`: the
/// order and critical path a `Pipeline` of the same graph gives, with
/// nodes as ints (their text ids, in a critical path, are the index).
#[pyclass(module = "release_core", name = "IndexedPipeline", frozen)]
#[derive(Clone)]
pub struct PyIndexedPipeline(Arc<IndexedPipeline>);

impl PyIndexedPipeline {
    fn node(&self, node: usize) -> PyResult<StepId> {
        if node < self.0.len() {
            Ok(StepId::from_index(node))
        } else {
            Err(PyIndexError::new_err(format!(
                "node {node} is out of range: there are {} nodes",
                self.0.len()
            )))
        }
    }
}

fn indices<'py>(py: Python<'py>, ids: &[StepId]) -> PyResult<Bound<'py, PyList>> {
    PyList::new(py, ids.iter().map(|id| id.index()))
}

#[pymethods]
impl PyIndexedPipeline {
    fn __len__(&self) -> usize {
        self.0.len()
    }

    /// The nodes in a topological order (lower index first among nodes
    /// free to go).
    fn order<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        indices(py, self.0.order())
    }

    /// The nodes `node` needs, in the order of their edges.
    fn needs<'py>(&self, py: Python<'py>, node: usize) -> PyResult<Bound<'py, PyList>> {
        indices(py, self.0.needs(self.node(node)?))
    }

    /// The nodes that need `node`.
    fn dependents<'py>(&self, py: Python<'py>, node: usize) -> PyResult<Bound<'py, PyList>> {
        indices(py, self.0.dependents(self.node(node)?))
    }

    /// The longest chain by duration; its steps are the nodes' indices as
    /// text.
    fn critical_path(&self) -> PyCriticalPath {
        PyCriticalPath(self.0.critical_path())
    }

    /// The whole graph's duration with unlimited parallelism, `(min, max)`.
    fn duration(&self) -> (TimeDelta, TimeDelta) {
        estimate(self.0.duration())
    }

    /// The same graph as a full `Pipeline`: one build step per node, its
    /// id the index as text.
    fn to_pipeline(&self) -> PyResult<PyPipeline> {
        PyPipeline::validate(self.0.to_def())
    }

    fn __repr__(&self) -> String {
        let edges: usize = (0..self.0.len())
            .map(|v| self.0.needs(StepId::from_index(v)).len())
            .sum();
        format!("<IndexedPipeline {} nodes, {edges} edges>", self.0.len())
    }
}
