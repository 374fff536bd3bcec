//! Release state: `ReleaseState`, and `advance_state` over any store with
//! `load()` and `save(state)` methods.

use pyo3::prelude::*;
use release_core::state::{ReleaseMode, ReleaseState};

use crate::convert;
use crate::errors::IntoPy;
use crate::schedule::instant;
use crate::tags::PyTagScheme;

/// What each component last released and when, and what it releases
/// next. Immutable: transitions return a new record.
#[pyclass(module = "release_core", name = "ReleaseState", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyReleaseState(pub(crate) ReleaseState);

#[pymethods]
impl PyReleaseState {
    /// An empty record: nothing released, nothing planned.
    #[new]
    fn new() -> Self {
        PyReleaseState(ReleaseState::new())
    }

    /// Reads a record's JSON; `source` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, source = "<release state>"))]
    fn from_json(text: &str, source: &str) -> PyResult<Self> {
        ReleaseState::from_json(source, text)
            .py_err()
            .map(PyReleaseState)
    }

    /// The record's JSON: the same record is the same text.
    fn to_json(&self) -> String {
        self.0.to_json()
    }

    /// Each component's last release: a dict of `version`, `tag` and `at`
    /// (RFC 3339) by component name.
    #[getter]
    fn released<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::json::to_py(py, &self.0.released)
    }

    /// Each component's next release: a dict of `version` and `tag` by
    /// component name.
    #[getter]
    fn next<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        crate::json::to_py(py, &self.0.next)
    }

    /// The record with `version` (tagged `tag`) as `component`'s next
    /// release.
    fn planned(&self, component: &str, version: &str, tag: &str) -> Self {
        PyReleaseState(self.0.planned(component, version, tag))
    }

    /// The record after the planned releases were made `mode` (`"real"`,
    /// `"dry_run"`, `"override"`) at `at` (an aware datetime): only a real
    /// release advances it.
    fn after_release(&self, mode: &Bound<'_, PyAny>, at: &Bound<'_, PyAny>) -> PyResult<Self> {
        let mode = convert::name::<ReleaseMode>(mode, "mode")?;
        Ok(PyReleaseState(self.0.released(mode, instant(at, "at")?)))
    }

    /// Where the record disagrees with `component`'s `tags` (read with
    /// `scheme`): dicts of `component`, `kind` (`"tag_missing"`,
    /// `"tag_newer"`, `"next_tagged"`), `tag` and `message`. Empty when
    /// they agree; the tags are the truth.
    #[pyo3(signature = (component, tags, scheme = None))]
    fn check<'py>(
        &self,
        py: Python<'py>,
        component: &str,
        tags: Vec<String>,
        scheme: Option<PyRef<'_, PyTagScheme>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let found = self
            .0
            .check(component, scheme.as_ref().map(|s| &s.0), &tags);
        crate::json::to_py(py, &found)
    }

    fn __repr__(&self) -> String {
        format!(
            "ReleaseState(released={}, next={})",
            self.0.released.len(),
            self.0.next.len()
        )
    }
}

/// Loads the state from `store` (any object with `load()`, returning a
/// `ReleaseState` or None for none yet, and `save(state)`), applies the
/// release made `mode` at `at`, and saves it only when it changed: a dry
/// run or an override never calls `save`. Returns the new state.
#[pyfunction]
pub fn advance_state(
    store: &Bound<'_, PyAny>,
    mode: &Bound<'_, PyAny>,
    at: &Bound<'_, PyAny>,
) -> PyResult<PyReleaseState> {
    let mode = convert::name::<ReleaseMode>(mode, "mode")?;
    let at = instant(at, "at")?;
    let loaded = store.call_method0("load")?;
    let before = if loaded.is_none() {
        ReleaseState::new()
    } else {
        loaded.extract::<PyRef<'_, PyReleaseState>>()?.0.clone()
    };
    let after = before.released(mode, at);
    if after != before {
        store.call_method1("save", (PyReleaseState(after.clone()),))?;
    }
    Ok(PyReleaseState(after))
}
