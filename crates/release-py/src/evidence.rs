//! `evidence(run)`: the release evidence record of a run, as plain data.

use pyo3::prelude::*;
use release_core::evidence::Evidence;

use crate::run::PyRun;

/// The release evidence record of `run`: a dict with the stable field
/// names of `release evidence` (`format`, `status`, `requested_by`,
/// `started`, `finished`, `tags`, `pins`, `steps`, `facts`, `approvals`,
/// `waivers`).
#[pyfunction]
pub fn evidence<'py>(py: Python<'py>, run: &Bound<'py, PyRun>) -> PyResult<Bound<'py, PyAny>> {
    let evidence = Evidence::of_run(&PyRun::read_for(run, "evidence(run)")?.0);
    crate::json::to_py(py, &evidence)
}
