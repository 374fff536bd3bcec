//! Gates: `Fact`, `Gate`, `Waiver`, `Verdict`, `Reason` and `evaluate`.

use chrono::{DateTime, Utc};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyString};
use release_core::gate::{
    Fact, FactKind, FactValue, Facts, Gate, Reason, Rule, Verdict, Waiver, WaiverTarget,
    evaluate as core_evaluate,
};

use crate::schedule::instant;
use crate::{convert, json};

/// A fact kind from its name (`"test"`, `"calendar.holiday"`, ...).
pub(crate) fn fact_kind(ob: &Bound<'_, PyAny>) -> PyResult<FactKind> {
    convert::name(ob, "kind")
}

/// A fact value: a bool, an int, a str, or `{"tag": ..., "branch": ...}`.
pub(crate) fn fact_value(ob: &Bound<'_, PyAny>) -> PyResult<FactValue> {
    if let Ok(b) = ob.cast::<PyBool>() {
        return Ok(FactValue::Bool(b.is_true()));
    }
    if ob.is_instance_of::<PyInt>() {
        return Ok(FactValue::Count(ob.extract()?));
    }
    if let Ok(s) = ob.cast::<PyString>() {
        return Ok(FactValue::Text(s.to_str()?.to_owned()));
    }
    if ob.cast::<pyo3::types::PyMapping>().is_ok() {
        return match json::from_py::<FactValue>(ob, "value")? {
            v @ FactValue::Pinned { .. } => Ok(v),
            _ => Err(PyTypeError::new_err(
                "a mapping value must be {\"tag\": str, \"branch\": str}",
            )),
        };
    }
    Err(PyTypeError::new_err(format!(
        "value must be a bool, int, str or {{\"tag\": ..., \"branch\": ...}}, not {}",
        convert::type_name(ob)
    )))
}

/// A typed value with a kind, a subject, a source and a time.
#[pyclass(module = "release_core", name = "Fact", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyFact(pub(crate) Fact);

#[pymethods]
impl PyFact {
    /// `Fact("test", "unit", True, source="ci", at=...)`; `expires` makes it
    /// stop holding at that instant.
    #[new]
    #[pyo3(signature = (kind, subject, value, *, at, source = "", expires = None))]
    fn new(
        kind: &Bound<'_, PyAny>,
        subject: &str,
        value: &Bound<'_, PyAny>,
        at: &Bound<'_, PyAny>,
        source: &str,
        expires: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut fact = Fact::new(
            fact_kind(kind)?,
            subject,
            fact_value(value)?,
            source,
            instant(at, "at")?,
        );
        if let Some(e) = expires {
            fact = fact.expiring(instant(e, "expires")?);
        }
        Ok(PyFact(fact))
    }

    /// The kind's name.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }

    /// What the fact is about (a test's name, an environment, a role).
    #[getter]
    fn subject(&self) -> &str {
        &self.0.subject
    }

    /// The value: bool, int, str, or a `{"tag", "branch"}` dict.
    #[getter]
    fn value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.0.value)
    }

    /// Who or what reported it.
    #[getter]
    fn source(&self) -> &str {
        &self.0.source
    }

    /// When it became known (UTC).
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// When it stops holding, if ever.
    #[getter]
    fn expires(&self) -> Option<DateTime<Utc>> {
        self.0.expires
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    /// A fact from its JSON form.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        json::from_text(text, "fact JSON").map(PyFact)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<Fact {}>", self.0)
    }
}

/// A named rule over facts. The rule is plain data in the release.toml
/// shape: `{"test": "unit"}`, `{"count": {"name": "open_blockers",
/// "at_most": 0}}`, `{"approvals": {"role": "qa", "at_least": 1}}`,
/// `{"matrix": {"step": "test", "cells": [...]}}`, `{"all": [...]}`, ...
#[pyclass(module = "release_core", name = "Gate", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyGate(pub(crate) Gate);

#[pymethods]
impl PyGate {
    #[new]
    fn new(name: &str, rule: &Bound<'_, PyAny>) -> PyResult<Self> {
        if rule.is_instance_of::<PyString>() {
            // A bare str is a unit rule such as "test"? No such rule exists:
            // say what is expected instead of a serde message.
            return Err(PyTypeError::new_err(
                "rule must be a dict in the release.toml shape, e.g. {\"test\": \"unit\"}, not str",
            ));
        }
        let rule: Rule = json::from_py(rule, "rule")?;
        Ok(PyGate(Gate::new(name, rule)))
    }

    /// A gate from its JSON form (`{"name": ..., "rule": {...}}`).
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Self> {
        json::from_text(text, "gate JSON").map(PyGate)
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    /// The gate's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// The rule, as plain data.
    #[getter]
    fn rule<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.0.rule)
    }

    /// The verdict of this gate alone at `now`.
    #[pyo3(signature = (facts, waivers = None, *, now))]
    fn evaluate(
        &self,
        facts: &Bound<'_, PyAny>,
        waivers: Option<&Bound<'_, PyAny>>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<PyVerdict> {
        let facts = facts_arg(facts)?;
        let waivers = waivers_arg(waivers)?;
        Ok(PyVerdict(self.0.evaluate(
            &facts,
            &waivers,
            instant(now, "now")?,
        )))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("<Gate {}>", convert::repr_str(py, &self.0.name))
    }
}

/// Facts from an iterable of `Fact`.
pub(crate) fn facts_arg(ob: &Bound<'_, PyAny>) -> PyResult<Facts> {
    convert::not_a_str(ob, "facts")?;
    let mut facts = Facts::new();
    for item in ob.try_iter()? {
        let item = item?;
        let fact = item.cast::<PyFact>().map_err(|_| {
            PyTypeError::new_err(format!(
                "facts must hold Fact objects, not {}",
                convert::type_name(&item)
            ))
        })?;
        facts.record(fact.get().0.clone());
    }
    Ok(facts)
}

fn waivers_arg(ob: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Waiver>> {
    let Some(ob) = ob else { return Ok(Vec::new()) };
    convert::not_a_str(ob, "waivers")?;
    let mut out = Vec::new();
    for item in ob.try_iter()? {
        let item = item?;
        let w = item.cast::<PyWaiver>().map_err(|_| {
            PyTypeError::new_err(format!(
                "waivers must hold Waiver objects, not {}",
                convert::type_name(&item)
            ))
        })?;
        out.push(w.get().0.clone());
    }
    Ok(out)
}

fn gates_arg(ob: &Bound<'_, PyAny>) -> PyResult<Vec<Gate>> {
    if let Ok(g) = ob.cast::<PyGate>() {
        return Ok(vec![g.get().0.clone()]);
    }
    convert::not_a_str(ob, "gates")?;
    let mut out = Vec::new();
    for item in ob.try_iter()? {
        let item = item?;
        let g = item.cast::<PyGate>().map_err(|_| {
            PyTypeError::new_err(format!(
                "gates must hold Gate objects, not {}",
                convert::type_name(&item)
            ))
        })?;
        out.push(g.get().0.clone());
    }
    Ok(out)
}

/// Evaluates gates (a `Gate` or an iterable of them) over facts at `now`:
/// every reason, not only the first.
#[pyfunction]
#[pyo3(signature = (gates, facts, waivers = None, *, now))]
pub(crate) fn evaluate(
    gates: &Bound<'_, PyAny>,
    facts: &Bound<'_, PyAny>,
    waivers: Option<&Bound<'_, PyAny>>,
    now: &Bound<'_, PyAny>,
) -> PyResult<PyVerdict> {
    let gates = gates_arg(gates)?;
    let facts = facts_arg(facts)?;
    let waivers = waivers_arg(waivers)?;
    Ok(PyVerdict(core_evaluate(
        &gates,
        &facts,
        &waivers,
        instant(now, "now")?,
    )))
}

/// A gate or a matrix cell let through on someone's word: who, why, when.
#[pyclass(module = "release_core", name = "Waiver", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyWaiver(pub(crate) Waiver);

#[pymethods]
impl PyWaiver {
    /// `Waiver(gate="qa", by=..., reason=..., at=...)` or
    /// `Waiver(cell="test[gcp-vm]", ...)`: exactly one of `gate`, `cell`.
    #[new]
    #[pyo3(signature = (*, by, reason, at, gate = None, cell = None))]
    fn new(
        by: &str,
        reason: &str,
        at: &Bound<'_, PyAny>,
        gate: Option<String>,
        cell: Option<String>,
    ) -> PyResult<Self> {
        let target = match (gate, cell) {
            (Some(g), None) => WaiverTarget::Gate(g),
            (None, Some(c)) => WaiverTarget::Cell(c),
            _ => {
                return Err(PyTypeError::new_err(
                    "a waiver takes exactly one of gate= or cell=",
                ));
            }
        };
        if release_core::identity::is_blank(reason) {
            return Err(crate::errors::parse_error_new(
                "reason: a waiver's reason must not be blank".to_owned(),
            ));
        }
        Ok(PyWaiver(Waiver::new(
            target,
            crate::run::identity(by, "by")?,
            reason,
            instant(at, "at")?,
        )))
    }

    /// `"gate"` or `"cell"`.
    #[getter]
    fn target_kind(&self) -> &'static str {
        match self.0.target {
            WaiverTarget::Gate(_) => "gate",
            WaiverTarget::Cell(_) => "cell",
        }
    }

    /// The gate's name or the cell's task id.
    #[getter]
    fn target(&self) -> &str {
        match &self.0.target {
            WaiverTarget::Gate(s) | WaiverTarget::Cell(s) => s,
        }
    }

    /// Who waived.
    #[getter]
    fn by(&self) -> &str {
        self.0.by.as_str()
    }

    /// Why.
    #[getter]
    fn reason(&self) -> &str {
        &self.0.reason
    }

    /// When (UTC).
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<Waiver {}>", self.0)
    }
}

/// One reason of a verdict: a rule's status and why.
#[pyclass(module = "release_core", name = "Reason", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyReason(Reason);

#[pymethods]
impl PyReason {
    /// The gate it belongs to.
    #[getter]
    fn gate(&self) -> &str {
        &self.0.gate
    }

    /// `"passed"`, `"failed"`, `"pending"` or `"waived"`.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// Whether it holds the release back.
    #[getter]
    fn blocking(&self) -> bool {
        self.0.blocking
    }

    /// The rule, briefly.
    #[getter]
    fn rule(&self) -> &str {
        &self.0.rule
    }

    /// What was found.
    #[getter]
    fn detail(&self) -> &str {
        &self.0.detail
    }

    /// The missing fact `(kind, subject)` of a pending reason.
    #[getter]
    fn missing(&self) -> Option<(&'static str, &str)> {
        self.0
            .missing
            .as_ref()
            .map(|k| (k.kind.as_str(), k.subject.as_str()))
    }

    /// When a pending reason passes by itself (a soak).
    #[getter]
    fn until(&self) -> Option<DateTime<Utc>> {
        self.0.until
    }

    /// The waiver of a waived reason.
    #[getter]
    fn waiver(&self) -> Option<PyWaiver> {
        self.0.waiver.clone().map(PyWaiver)
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<Reason {}>", self.0)
    }
}

/// The outcome of gates: a status and every reason.
#[pyclass(module = "release_core", name = "Verdict", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyVerdict(pub(crate) Verdict);

#[pymethods]
impl PyVerdict {
    /// `"passed"`, `"failed"`, `"pending"` or `"waived"`.
    #[getter]
    fn status(&self) -> &'static str {
        self.0.status.as_str()
    }

    /// Whether the release may go (passed, or waived).
    #[getter]
    fn ok(&self) -> bool {
        self.0.is_ok()
    }

    /// Every reason.
    #[getter]
    fn reasons(&self) -> Vec<PyReason> {
        self.0.reasons.iter().cloned().map(PyReason).collect()
    }

    /// The next instant at which the verdict changes by itself, if any.
    #[getter]
    fn next_change(&self) -> Option<DateTime<Utc>> {
        self.0.next_change
    }

    /// The missing facts, `(kind, subject)`.
    #[getter]
    fn missing(&self) -> Vec<(&'static str, String)> {
        self.0
            .missing()
            .map(|k| (k.kind.as_str(), k.subject.clone()))
            .collect()
    }

    /// The failed reasons.
    #[getter]
    fn failures(&self) -> Vec<PyReason> {
        self.0.failures().cloned().map(PyReason).collect()
    }

    /// The waivers applied.
    #[getter]
    fn waivers(&self) -> Vec<PyWaiver> {
        self.0.waivers().cloned().map(PyWaiver).collect()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    /// The JSON form as plain data.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        json::to_py(py, &self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Verdict {} ({} reasons)>",
            self.0.status,
            self.0.reasons.len()
        )
    }
}
