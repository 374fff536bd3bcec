//! `Scheme` and `Promotion`.

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use release_core::version::{
    CalVerFormat, CalVerScheme, CandidatePolicy, CounterStyle, HotfixStyle, Level, PrereleaseStage,
    Promotion, Scheme, VPrefix, Version,
};

use crate::convert;
use crate::errors::IntoPy;
use crate::version::PyVersion;

/// A version scheme: how versions are written, read and ordered.
#[pyclass(module = "release_core", name = "Scheme", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyScheme(pub(crate) Scheme);

/// The keyword arguments every scheme constructor shares about
/// pre-releases.
struct Candidates<'a> {
    label: &'a str,
    style: &'a str,
    required: bool,
    stages: Vec<String>,
    lenient_stages: bool,
}

fn policy(py: Python<'_>, c: Candidates<'_>) -> PyResult<CandidatePolicy> {
    if c.lenient_stages && c.stages.is_empty() {
        return Err(crate::errors::config_error_new(
            "lenient_stages=True reads labels outside the declared stages; declare them with stages=[...]"
                .to_owned(),
        ));
    }
    Ok(CandidatePolicy {
        label: c.label.to_owned(),
        style: convert::name_of::<CounterStyle>(py, c.style)?,
        required: c.required,
        stages: c.stages,
        lenient_stages: c.lenient_stages,
    })
}

fn wrap(v: Version) -> PyVersion {
    PyVersion(v)
}

impl PyScheme {
    fn arg(&self, ob: &Bound<'_, PyAny>, what: &str) -> PyResult<Version> {
        convert::version_arg(&self.0, ob, what)
    }

    fn existing(&self, ob: &Bound<'_, PyAny>) -> PyResult<Vec<Version>> {
        convert::existing(ob, "existing", |t| self.0.parse(t).ok())
    }
}

#[pymethods]
impl PyScheme {
    /// Semantic Versioning 2.0.0.
    #[staticmethod]
    #[pyo3(signature = (
        v_prefix = "optional",
        *,
        candidate_label = "rc",
        counter_style = "dotted",
        require_candidate = false,
        stages = None,
        lenient_stages = false,
    ))]
    fn semver(
        py: Python<'_>,
        v_prefix: &str,
        candidate_label: &str,
        counter_style: &str,
        require_candidate: bool,
        stages: Option<Vec<String>>,
        lenient_stages: bool,
    ) -> PyResult<Self> {
        let v_prefix = convert::name_of::<VPrefix>(py, v_prefix)?;
        let candidates = policy(
            py,
            Candidates {
                label: candidate_label,
                style: counter_style,
                required: require_candidate,
                stages: stages.unwrap_or_default(),
                lenient_stages,
            },
        )?;
        Ok(PyScheme(
            Scheme::semver_with_prefix(v_prefix).with_candidates(candidates),
        ))
    }

    /// Calendar versioning by a format such as `YYYY.0M.MICRO`.
    #[staticmethod]
    #[pyo3(signature = (
        format,
        first_micro = 1,
        *,
        candidate_label = "rc",
        counter_style = "dotted",
        require_candidate = false,
        stages = None,
        lenient_stages = false,
    ))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn calver(
        py: Python<'_>,
        format: &str,
        first_micro: u64,
        candidate_label: &str,
        counter_style: &str,
        require_candidate: bool,
        stages: Option<Vec<String>>,
        lenient_stages: bool,
    ) -> PyResult<Self> {
        let candidates = policy(
            py,
            Candidates {
                label: candidate_label,
                style: counter_style,
                required: require_candidate,
                stages: stages.unwrap_or_default(),
                lenient_stages,
            },
        )?;
        Ok(PyScheme(Scheme::CalVer(CalVerScheme {
            format: CalVerFormat::new(format).py_err()?,
            first_micro,
            candidates,
        })))
    }

    /// PEP 440, Python's versions (`3.14.0rc1`, `1!2.0`, `1.0.post1`,
    /// `1.0+local`); new pre-releases take `candidate_label` as their stage
    /// (`a`, `b` or `rc`).
    #[staticmethod]
    #[pyo3(signature = (*, candidate_label = "rc", require_candidate = false))]
    fn pep440(candidate_label: &str, require_candidate: bool) -> Self {
        let mut candidates = Scheme::pep440().candidates().clone();
        candidates.label = candidate_label.to_owned();
        candidates.required = require_candidate;
        PyScheme(Scheme::pep440().with_candidates(candidates))
    }

    /// `"semver"`, `"calver"` or `"pep440"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind()
    }

    /// SemVer: `"never"`, `"always"` or `"optional"`. CalVer: None.
    #[getter]
    fn v_prefix(&self) -> Option<&'static str> {
        match &self.0 {
            Scheme::SemVer(s) => Some(s.v_prefix.as_str()),
            _ => None,
        }
    }

    /// CalVer: the format string. SemVer: None.
    #[getter]
    fn format(&self) -> Option<&str> {
        match &self.0 {
            Scheme::CalVer(s) => Some(s.format.as_str()),
            _ => None,
        }
    }

    /// CalVer: the counter of the first release in a period. SemVer: None.
    #[getter]
    fn first_micro(&self) -> Option<u64> {
        match &self.0 {
            Scheme::CalVer(s) => Some(s.first_micro),
            _ => None,
        }
    }

    /// The pre-release stages in order: PEP 440's `["a", "b", "rc"]`, or
    /// those declared with `stages=` (empty: none declared).
    #[getter]
    fn stages(&self) -> Vec<String> {
        self.0.stages().into_iter().map(str::to_owned).collect()
    }

    /// Whether a label outside the declared stages is read with a
    /// `ReleaseWarning` instead of refused.
    #[getter]
    fn lenient_stages(&self) -> bool {
        self.0.candidates().lenient_stages
    }

    /// Where `version` stands: `("b", 3)` for `3.14.0b3`, `("rc", None)`
    /// for a label without a counter, None for a final. `RefusedError`
    /// when the scheme declares no stages or the label is not one.
    fn stage_of(&self, version: &Bound<'_, PyAny>) -> PyResult<Option<(String, Option<u64>)>> {
        let v = self.arg(version, "version")?;
        Ok(match self.0.stage_of(&v).py_err()? {
            PrereleaseStage::Final => None,
            PrereleaseStage::Pre { label, counter, .. } => Some((label, counter)),
        })
    }

    /// The first pre-release of the next stage, or the final after the
    /// last (`3.14.0a7` -> `3.14.0b1`, `3.14.0rc2` -> `3.14.0`).
    fn next_stage(&self, version: &Bound<'_, PyAny>) -> PyResult<PyVersion> {
        let v = self.arg(version, "version")?;
        self.0.next_stage(&v).py_err().map(wrap)
    }

    /// `version` moved to `stage` (or `"final"`): the next counter within
    /// its stage, the first of a later one; `RefusedError` backwards.
    fn move_to_stage(&self, version: &Bound<'_, PyAny>, stage: &str) -> PyResult<PyVersion> {
        let v = self.arg(version, "version")?;
        self.0.move_to_stage(&v, stage).py_err().map(wrap)
    }

    /// The label of new pre-releases (`rc`).
    #[getter]
    fn candidate_label(&self) -> &str {
        &self.0.candidates().label
    }

    /// `"dotted"` (`rc.1`) or `"attached"` (`rc1`).
    #[getter]
    fn counter_style(&self) -> &'static str {
        self.0.candidates().style.as_str()
    }

    /// Whether a final may only be released by promoting a candidate.
    #[getter]
    fn require_candidate(&self) -> bool {
        self.0.candidates().required
    }

    fn __str__(&self) -> String {
        self.0.describe()
    }

    pub(crate) fn __repr__(&self, py: Python<'_>) -> String {
        let mut args = Vec::new();
        let name = match &self.0 {
            Scheme::CalVer(s) => {
                args.push(convert::repr_str(py, s.format.as_str()));
                if s.first_micro != 1 {
                    args.push(format!("first_micro={}", s.first_micro));
                }
                "calver"
            }
            Scheme::SemVer(s) => {
                if s.v_prefix != Default::default() {
                    args.push(format!("v_prefix='{}'", s.v_prefix.as_str()));
                }
                "semver"
            }
            Scheme::Pep440(_) => "pep440",
            _ => "unknown",
        };
        let c = self.0.candidates();
        let default = match &self.0 {
            Scheme::Pep440(_) => Scheme::pep440().candidates().clone(),
            _ => CandidatePolicy::default(),
        };
        if c.label != default.label {
            args.push(format!(
                "candidate_label={}",
                convert::repr_str(py, &c.label)
            ));
        }
        if c.style != default.style {
            args.push(format!("counter_style='{}'", c.style.as_str()));
        }
        if c.required {
            args.push("require_candidate=True".to_owned());
        }
        if !c.stages.is_empty() {
            let stages: Vec<String> = c.stages.iter().map(|s| convert::repr_str(py, s)).collect();
            args.push(format!("stages=[{}]", stages.join(", ")));
        }
        if c.lenient_stages {
            args.push("lenient_stages=True".to_owned());
        }
        format!("Scheme.{name}({})", args.join(", "))
    }

    /// Reads a version; `ParseError` names the text and what was expected.
    /// A lenient read (an uppercase pre-release label) is a
    /// `ReleaseWarning`.
    fn parse(&self, py: Python<'_>, text: &str) -> PyResult<PyVersion> {
        let v = convert::parsed(py, self.0.parse(text))?;
        crate::errors::warn(py, &self.0.stage_warnings(&v))?;
        Ok(wrap(v))
    }

    /// Whether `text` is a version of this scheme.
    fn conforms(&self, text: &str) -> bool {
        self.0.conforms(text)
    }

    /// The next version after `current` (or after nothing) at `level`.
    fn next(
        &self,
        current: Option<&Bound<'_, PyAny>>,
        level: &Bound<'_, PyAny>,
    ) -> PyResult<PyVersion> {
        let current = current.map(|c| self.arg(c, "current")).transpose()?;
        let level = convert::name::<Level>(level, "level")?;
        self.0.next(current.as_ref(), level).py_err().map(wrap)
    }

    /// The next version from conventional-commit messages since `current`;
    /// None when no commit calls for a release. The commits decide whether
    /// there is a release; SemVer takes their level (a `date` is a
    /// `ConfigError`), CalVer the period of `date` (required: release-core
    /// reads no clock) after the `existing` versions, as `next_for_date`.
    /// The same core call as `release version next --commit ... --date`.
    #[pyo3(signature = (current, messages, *, existing = None, date = None))]
    fn next_from_commits(
        &self,
        current: Option<&Bound<'_, PyAny>>,
        messages: &Bound<'_, PyAny>,
        existing: Option<&Bound<'_, PyAny>>,
        date: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Option<PyVersion>> {
        let current = current.map(|c| self.arg(c, "current")).transpose()?;
        let items = convert::strings(messages, "messages")?;
        let texts = convert::texts(&items)?;
        let existing = existing
            .filter(|e| !e.is_none())
            .map(|e| self.existing(e))
            .transpose()?;
        let date = date
            .filter(|d| !d.is_none())
            .map(convert::date)
            .transpose()?;
        self.0
            .next_from_commits(
                current.as_ref(),
                &texts,
                existing.as_deref().unwrap_or_default(),
                date,
            )
            .py_err()
            .map(|v| v.map(wrap))
    }

    /// The next CalVer version for a release on `date` (a `datetime.date`;
    /// a `datetime.datetime` is refused with `TypeError`).
    #[pyo3(signature = (date, existing = None))]
    fn next_for_date(
        &self,
        date: &Bound<'_, PyAny>,
        existing: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyVersion> {
        let date = convert::date(date)?;
        let existing = existing.map(|e| self.existing(e)).transpose()?;
        self.0
            .next_for_date(date, existing.as_deref().unwrap_or_default())
            .py_err()
            .map(wrap)
    }

    /// The first candidate of a final: `1.3.0` -> `1.3.0-rc.1`.
    fn start_prerelease(&self, version: &Bound<'_, PyAny>) -> PyResult<PyVersion> {
        let v = self.arg(version, "version")?;
        self.0.start_prerelease(&v).py_err().map(wrap)
    }

    /// The next candidate: `1.3.0-rc.1` -> `1.3.0-rc.2`.
    fn bump_prerelease(&self, version: &Bound<'_, PyAny>) -> PyResult<PyVersion> {
        let v = self.arg(version, "version")?;
        self.0.bump_prerelease(&v).py_err().map(wrap)
    }

    /// Promotes a candidate to its final, or checks that a final may be
    /// released given the `existing` versions.
    #[pyo3(signature = (version, existing = None))]
    fn promote(
        &self,
        version: &Bound<'_, PyAny>,
        existing: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<PyPromotion> {
        let v = self.arg(version, "version")?;
        let existing = existing.map(|e| self.existing(e)).transpose()?;
        self.0
            .promote(&v, existing.as_deref().unwrap_or_default())
            .py_err()
            .map(PyPromotion)
    }

    /// The next hotfix of `base` given the existing versions.
    #[pyo3(signature = (base, existing = None, style = "patch"))]
    fn hotfix(
        &self,
        py: Python<'_>,
        base: &Bound<'_, PyAny>,
        existing: Option<&Bound<'_, PyAny>>,
        style: &str,
    ) -> PyResult<PyVersion> {
        let base = self.arg(base, "base")?;
        let existing = existing.map(|e| self.existing(e)).transpose()?;
        let style = convert::name_of::<HotfixStyle>(py, style)?;
        self.0
            .hotfix(&base, existing.as_deref().unwrap_or_default(), style)
            .py_err()
            .map(wrap)
    }
}

/// The outcome of `Scheme.promote`: the final, and the candidate it comes
/// from if there is one.
#[pyclass(module = "release_core", name = "Promotion", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyPromotion(pub(crate) Promotion);

#[pymethods]
impl PyPromotion {
    /// The candidate promoted, if there was one.
    #[getter]
    fn candidate(&self) -> Option<PyVersion> {
        self.0.from.clone().map(PyVersion)
    }

    /// The final version.
    #[getter]
    #[pyo3(name = "final")]
    fn final_version(&self) -> PyVersion {
        PyVersion(self.0.to.clone())
    }

    /// `(candidate, final)`, so that `candidate, final = scheme.promote(v)`
    /// works.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let pair = PyTuple::new(
            py,
            [
                self.candidate().into_pyobject(py)?.into_any(),
                self.final_version().into_pyobject(py)?.into_any(),
            ],
        )?;
        pair.try_iter().map(Bound::into_any)
    }

    fn __repr__(&self) -> String {
        let candidate = self
            .candidate()
            .map_or_else(|| "None".to_owned(), |v| v.__repr__());
        format!(
            "Promotion(candidate={candidate}, final={})",
            self.final_version().__repr__()
        )
    }
}
