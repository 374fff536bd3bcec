//! Conventional commits: `Change`, `parse_commit`, `bump_level`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;
use release_core::version::{Change, bump_level as core_bump_level};

use crate::convert;

/// One change, read from a commit message.
#[pyclass(module = "release_core", name = "Change", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyChange(pub(crate) Change);

#[pymethods]
impl PyChange {
    /// The conventional type, lowercased (`feat`, `fix`); None when the
    /// message does not follow the convention.
    #[getter]
    fn kind(&self) -> Option<&str> {
        self.0.kind.as_deref()
    }

    /// The scope in parentheses, if any.
    #[getter]
    fn scope(&self) -> Option<&str> {
        self.0.scope.as_deref()
    }

    /// Whether the change is breaking.
    #[getter]
    fn breaking(&self) -> bool {
        self.0.breaking
    }

    /// The subject line.
    #[getter]
    fn subject(&self) -> &str {
        &self.0.subject
    }

    /// The pull request number, if the header names one.
    #[getter]
    fn pr(&self) -> Option<u64> {
        self.0.pr
    }

    /// Every `#N` reference in the message, in order, without duplicates.
    #[getter]
    fn references(&self) -> Vec<u64> {
        self.0.references.clone()
    }

    /// The bump this change alone calls for, or None.
    #[getter]
    fn level(&self) -> Option<&'static str> {
        self.0.level().map(|l| l.as_str())
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let opt =
            |v: Option<&str>| v.map_or_else(|| "None".to_owned(), |s| convert::repr_str(py, s));
        format!(
            "Change(kind={}, scope={}, breaking={}, subject={})",
            opt(self.0.kind.as_deref()),
            opt(self.0.scope.as_deref()),
            if self.0.breaking { "True" } else { "False" },
            convert::repr_str(py, &self.0.subject),
        )
    }
}

/// Reads a commit message (conventional or not) into a `Change`.
#[pyfunction]
pub fn parse_commit(message: &str) -> PyChange {
    PyChange(Change::parse(message))
}

/// The bump a set of commits calls for (`"major"`, `"minor"`, `"patch"`),
/// or None. Items are messages or `Change`s.
#[pyfunction]
#[pyo3(signature = (messages, current = None))]
pub fn bump_level(
    messages: &Bound<'_, PyAny>,
    current: Option<&Bound<'_, PyAny>>,
) -> PyResult<Option<&'static str>> {
    convert::not_a_str(messages, "messages")?;
    let mut changes = Vec::new();
    for (i, item) in messages.try_iter()?.enumerate() {
        let item = item?;
        if let Ok(c) = item.cast::<PyChange>() {
            changes.push(c.get().0.clone());
        } else if let Ok(s) = item.cast::<PyString>() {
            changes.push(Change::parse(&s.to_cow()?));
        } else {
            return Err(PyTypeError::new_err(format!(
                "messages[{i}] must be str or Change, not {}",
                convert::type_name(&item)
            )));
        }
    }
    let current = current
        .map(|c| convert::version_only(c, "current"))
        .transpose()?;
    Ok(core_bump_level(&changes, current.as_ref()).map(|l| l.as_str()))
}
