//! `Version`: a SemVer, CalVer or PEP 440 version.

use pyo3::prelude::*;
use release_core::version::{Scheme, Version};

use crate::convert;
use crate::scheme::PyScheme;

/// A version of some scheme. Equality, ordering and hashing are the core's
/// (SemVer precedence; `v1.2.3 == 1.2.3`); `str()` gives back the exact text.
#[pyclass(module = "release_core", name = "Version", frozen, eq, ord, hash)]
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PyVersion(pub(crate) Version);

impl PyVersion {
    fn semver(&self) -> Option<&release_core::version::SemVersion> {
        self.0.as_semver()
    }

    fn calver(&self) -> Option<&release_core::version::CalVersion> {
        self.0.as_calver()
    }
}

#[pymethods]
impl PyVersion {
    /// Reads `text` with `scheme` (default: SemVer with an optional `v`). A
    /// lenient read (an uppercase pre-release label) is a `ReleaseWarning`.
    #[new]
    #[pyo3(signature = (text, scheme = None))]
    fn new(py: Python<'_>, text: &str, scheme: Option<&Bound<'_, PyScheme>>) -> PyResult<Self> {
        let parsed = match scheme {
            Some(s) => s.get().0.parse(text),
            None => Scheme::semver().parse(text),
        };
        convert::parsed(py, parsed).map(PyVersion)
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    pub(crate) fn __repr__(&self) -> String {
        if self.0.as_pep440().is_some() {
            return format!("Version('{}', scheme=Scheme.pep440())", self.0);
        }
        match self.calver() {
            Some(c) => format!(
                "Version('{}', scheme=Scheme.calver('{}'))",
                self.0,
                c.format().as_str()
            ),
            None => format!("Version('{}')", self.0),
        }
    }

    /// `"semver"`, `"calver"` or `"pep440"`.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind()
    }

    /// PEP 440: the normal form (`1.0RC1` -> `1.0rc1`), which orders;
    /// None for SemVer and CalVer.
    #[getter]
    fn normal_form(&self) -> Option<String> {
        self.0.as_pep440().map(|v| v.normal_form())
    }

    /// PEP 440: the epoch (`1` of `1!2.0`, else `0`); None for SemVer and
    /// CalVer.
    #[getter]
    fn epoch(&self) -> Option<u64> {
        self.0.as_pep440().map(|v| v.epoch())
    }

    /// Whether this is a pre-release.
    #[getter]
    fn is_prerelease(&self) -> bool {
        self.0.is_prerelease()
    }

    /// The pre-release as spelled (`rc1`, `beta.2`), if any.
    #[getter]
    fn prerelease(&self) -> Option<&str> {
        self.0.prerelease()
    }

    /// The messages of the core's warnings about how the version is
    /// spelled (lenient reads); `Version(...)` and `Scheme.parse` also raise
    /// them as `ReleaseWarning`s, the batch functions only keep them here.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.0.warnings().into_iter().map(|w| w.message).collect()
    }

    /// SemVer: whether the version was written with a `v`. CalVer: None.
    #[getter]
    fn has_v_prefix(&self) -> Option<bool> {
        self.semver().map(|v| v.has_v_prefix())
    }

    /// SemVer major number; None for CalVer.
    #[getter]
    fn major(&self) -> Option<u64> {
        self.semver().map(|v| v.major())
    }

    /// SemVer minor number; None for CalVer.
    #[getter]
    fn minor(&self) -> Option<u64> {
        self.semver().map(|v| v.minor())
    }

    /// SemVer patch number; None for CalVer.
    #[getter]
    fn patch(&self) -> Option<u64> {
        self.semver().map(|v| v.patch())
    }

    /// SemVer build metadata, if any; None for CalVer.
    #[getter]
    fn build(&self) -> Option<&str> {
        self.semver().and_then(|v| v.build())
    }

    /// CalVer full year; None for SemVer.
    #[getter]
    fn year(&self) -> Option<i32> {
        self.calver().map(|v| v.year())
    }

    /// CalVer month, when the format has one.
    #[getter]
    fn month(&self) -> Option<u32> {
        self.calver().and_then(|v| v.month())
    }

    /// CalVer week of the year, when the format has one.
    #[getter]
    fn week(&self) -> Option<u32> {
        self.calver().and_then(|v| v.week())
    }

    /// CalVer day of the month, when the format has one.
    #[getter]
    fn day(&self) -> Option<u32> {
        self.calver().and_then(|v| v.day())
    }

    /// CalVer release counter, when the format has one.
    #[getter]
    fn micro(&self) -> Option<u64> {
        self.calver().and_then(|v| v.micro())
    }

    /// CalVer format string; None for SemVer.
    #[getter]
    fn format(&self) -> Option<&str> {
        self.calver().map(|v| v.format().as_str())
    }
}
