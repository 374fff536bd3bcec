//! Python values to and from the core's serde forms, through the standard
//! `json` module: conversion only, the core's serde shapes decide.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use serde::Serialize;
use serde::de::DeserializeOwned;

static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn json_fn<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    cell.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("json")?.getattr(name)?.unbind())
    })
    .map(|f| f.bind(py).clone())
}

/// A core value as plain Python data (dicts, lists, str, int, bool, None).
pub(crate) fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let text = serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))?;
    json_fn(py, &LOADS, "loads")?.call1((text,))
}

/// A core value as JSON text.
pub(crate) fn to_text<T: Serialize + ?Sized>(value: &T) -> PyResult<String> {
    serde_json::to_string(value).map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Plain Python data (a mapping or list in the serde shape) read as a core
/// value; `what` names the argument. Data that is not JSON-shaped is a
/// `TypeError`; JSON the core rejects is a `ParseError` with serde's words.
pub(crate) fn from_py<T: DeserializeOwned>(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let text: String = json_fn(ob.py(), &DUMPS, "dumps")?
        .call1((ob,))
        .map_err(|e| {
            PyTypeError::new_err(format!(
                "{what} must be plain data (dict, list, str, int, float, bool, None): {}",
                e.value(ob.py())
            ))
        })?
        .extract()?;
    from_text(&text, what)
}

/// JSON text read as a core value; a `ParseError` naming `what` otherwise.
/// Deprecated spellings in it are read, each raised as a `ReleaseWarning`.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str, what: &str) -> PyResult<T> {
    Python::attach(|py| crate::convert::reading(py, || serde_json::from_str(text)))?
        .map_err(|e| crate::errors::parse_error_new(format!("invalid {what}: {e}")))
}
