//! Tag classification: `TagRule`, `RuleVerdict`, `Classification`,
//! `classify`, `slug`.

use pyo3::prelude::*;
use release_core::version::{
    Check, Classification, RuleVerdict, Severity, TagRule, classify as core_classify,
    slug as core_slug,
};

use crate::convert;
use crate::errors::IntoPy;
use crate::scheme::PyScheme;

/// A named rule over tags: a hard rule decides, a style rule warns.
#[pyclass(module = "release_core", name = "TagRule", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyTagRule(pub(crate) TagRule);

#[pymethods]
impl PyTagRule {
    /// The Fragalysis production rule: the slug of the tag matches
    /// `^[0-9]+\.[0-9]+\.[0-9]+$`.
    #[staticmethod]
    fn production_grade() -> Self {
        PyTagRule(TagRule::production_grade())
    }

    /// A rule that the tag (or its slug) matches a regular expression.
    #[staticmethod]
    #[pyo3(signature = (name, severity, pattern, slug = false))]
    fn pattern(
        name: &str,
        severity: &Bound<'_, PyAny>,
        pattern: &str,
        slug: bool,
    ) -> PyResult<Self> {
        let severity = convert::name::<Severity>(severity, "severity")?;
        TagRule::pattern(name, severity, pattern, slug)
            .py_err()
            .map(PyTagRule)
    }

    /// A rule that the tag is a version of `scheme`.
    #[staticmethod]
    fn conforms(
        name: &str,
        severity: &Bound<'_, PyAny>,
        scheme: &Bound<'_, PyScheme>,
    ) -> PyResult<Self> {
        Ok(PyTagRule(TagRule::conforms(
            name,
            convert::name::<Severity>(severity, "severity")?,
            scheme.get().0.clone(),
        )))
    }

    /// The rule's name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// `"hard"` or `"style"`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.as_str()
    }

    /// `"pattern"` or `"conforms"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match &self.0.check {
            Check::Pattern { .. } => "pattern",
            Check::Conforms { .. } => "conforms",
        }
    }

    /// The pattern of a pattern rule; None otherwise.
    #[getter]
    fn pattern_text(&self) -> Option<&str> {
        match &self.0.check {
            Check::Pattern { pattern, .. } => Some(pattern.as_str()),
            Check::Conforms { .. } => None,
        }
    }

    /// Whether a pattern rule tests the slug; None for other rules.
    #[getter]
    fn slug(&self) -> Option<bool> {
        match &self.0.check {
            Check::Pattern { slug, .. } => Some(*slug),
            Check::Conforms { .. } => None,
        }
    }

    /// The scheme of a conforms rule; None otherwise.
    #[getter]
    fn scheme(&self) -> Option<PyScheme> {
        match &self.0.check {
            Check::Conforms { scheme } => Some(PyScheme(scheme.clone())),
            Check::Pattern { .. } => None,
        }
    }

    /// Tests one tag.
    fn check(&self, tag: &str) -> PyRuleVerdict {
        PyRuleVerdict(self.0.check(tag))
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<TagRule {} ({}, {})>",
            convert::repr_str(py, &self.0.name),
            self.severity(),
            self.kind()
        )
    }
}

/// The outcome of one rule on one tag.
#[pyclass(module = "release_core", name = "RuleVerdict", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyRuleVerdict(pub(crate) RuleVerdict);

#[pymethods]
impl PyRuleVerdict {
    /// The rule's name.
    #[getter]
    fn rule(&self) -> &str {
        &self.0.rule
    }

    /// `"hard"` or `"style"`.
    #[getter]
    fn severity(&self) -> &'static str {
        self.0.severity.as_str()
    }

    /// Whether the tag passed.
    #[getter]
    fn passed(&self) -> bool {
        self.0.passed
    }

    /// Why, for humans.
    #[getter]
    fn detail(&self) -> &str {
        &self.0.detail
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "RuleVerdict(rule={}, severity='{}', passed={}, detail={})",
            convert::repr_str(py, &self.0.rule),
            self.severity(),
            if self.0.passed { "True" } else { "False" },
            convert::repr_str(py, &self.0.detail)
        )
    }
}

/// Every rule's verdict on one tag.
#[pyclass(module = "release_core", name = "Classification", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyClassification(pub(crate) Classification);

fn verdicts<'a>(it: impl Iterator<Item = &'a RuleVerdict>) -> Vec<PyRuleVerdict> {
    it.cloned().map(PyRuleVerdict).collect()
}

#[pymethods]
impl PyClassification {
    /// The tag.
    #[getter]
    fn tag(&self) -> &str {
        &self.0.tag
    }

    /// Whether every hard rule passed.
    #[getter]
    fn accepted(&self) -> bool {
        self.0.accepted()
    }

    /// One verdict per rule, in rule order.
    #[getter]
    fn verdicts(&self) -> Vec<PyRuleVerdict> {
        verdicts(self.0.verdicts.iter())
    }

    /// The failed hard rules.
    #[getter]
    fn failures(&self) -> Vec<PyRuleVerdict> {
        verdicts(self.0.failures())
    }

    /// The failed style rules.
    #[getter]
    fn warnings(&self) -> Vec<PyRuleVerdict> {
        verdicts(self.0.warnings())
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Classification {} {}>",
            convert::repr_str(py, &self.0.tag),
            if self.0.accepted() {
                "accepted"
            } else {
                "rejected"
            }
        )
    }
}

/// Tests a tag against every rule; the verdict lists each one.
#[pyfunction]
pub fn classify(tag: &str, rules: &Bound<'_, PyAny>) -> PyResult<PyClassification> {
    let list = convert::instances(rules, "rules", "TagRule", |r: &PyTagRule| r.0.clone())?;
    Ok(PyClassification(core_classify(tag, &list)))
}

/// The slug CI computes from a ref name (lowercase, `[0-9a-z._]` kept,
/// other characters `-`, trimmed, at most 63 characters).
#[pyfunction]
pub fn slug(text: &str) -> String {
    core_slug(text)
}
