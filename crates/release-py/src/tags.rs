//! `TagScheme`, `Tag`, `TagList`, and the batch functions over tag lists.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use release_core::version::{
    Rejected, Tag, TagList, TagScheme, Version, floating_tags as core_floating,
};
use release_core::{Warning, WarningKind};

use crate::convert;
use crate::errors::{IntoPy, to_py, warn};
use crate::scheme::PyScheme;
use crate::version::PyVersion;

/// How one component's tags are written: a template and a scheme.
#[pyclass(module = "release_core", name = "TagScheme", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyTagScheme(pub(crate) TagScheme);

/// `**fields` as (name, value) pairs; every value must be a `str`.
fn fields(kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Vec<(String, String)>> {
    let Some(kwargs) = kwargs else {
        return Ok(Vec::new());
    };
    kwargs
        .iter()
        .map(|(k, v)| {
            let name: String = k.extract()?;
            let value = v.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "field {name} must be str, not {}",
                    convert::type_name(&v)
                ))
            })?;
            Ok((name, value.to_cow()?.into_owned()))
        })
        .collect()
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Sorts with the core's index-based bulk path (the order only: the
/// versions are never moved); returns the caller's own `str` objects.
pub(crate) fn sort<'py>(
    scheme: &TagScheme,
    tags: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let py = tags.py();
    let items = convert::strings(tags, "tags")?;
    let texts = convert::texts(&items)?;
    let (order, unread) = py.detach(|| scheme.order_with_unread(&texts));
    warn_left_out(
        py,
        scheme,
        texts.len(),
        unread.iter().map(|i| texts[*i].as_ref()),
        unread.len(),
    )?;
    drop(texts);
    // Move the references into the result rather than cloning them: one
    // reference count change less per tag.
    let mut items: Vec<Option<Bound<'py, PyString>>> = items.into_iter().map(Some).collect();
    PyList::new(py, order.iter().map(|i| items[*i].take()))
}

/// The latest tag, as the caller's own `str` object.
pub(crate) fn latest<'py>(
    scheme: &TagScheme,
    tags: &Bound<'py, PyAny>,
    include_prereleases: bool,
) -> PyResult<Option<Bound<'py, PyString>>> {
    let py = tags.py();
    let items = convert::strings(tags, "tags")?;
    let texts = convert::texts(&items)?;
    let (best, unread) = py.detach(|| scheme.latest_with_unread(&texts, include_prereleases));
    warn_left_out(
        py,
        scheme,
        texts.len(),
        unread.iter().map(|i| texts[*i].as_ref()),
        unread.len(),
    )?;
    Ok(best.map(|(i, _)| items[i].clone()))
}

/// One `ReleaseWarning` for the `count` tags of the `read` given that are
/// not of the scheme (`unread`, in input order): how many, and the first few with
/// their reasons. The reasons are built for those few only, so the bulk
/// path stays free of error messages.
fn warn_left_out<'t>(
    py: Python<'_>,
    scheme: &TagScheme,
    read: usize,
    unread: impl Iterator<Item = &'t str>,
    count: usize,
) -> PyResult<()> {
    if count == 0 {
        return Ok(());
    }
    let examples: Vec<Rejected> = unread
        .take(Rejected::SHOWN)
        .filter_map(|t| scheme.rejected(t))
        .collect();
    let message = Rejected::summary(&scheme.describe(), read, count, &examples);
    warn(py, &[Warning::new(WarningKind::UnreadInput, message)])
}

impl PyTagScheme {
    fn version_arg(&self, ob: &Bound<'_, PyAny>) -> PyResult<Version> {
        convert::version_arg(self.0.scheme(), ob, "version")
    }
}

#[pymethods]
impl PyTagScheme {
    /// A tag scheme from a template (`{version}`, `v{version}`,
    /// `{component}-v{version}`), a scheme (default SemVer) and the
    /// component that fills `{component}`.
    #[new]
    #[pyo3(signature = (template = "{version}", scheme = None, component = None))]
    fn new(
        template: &str,
        scheme: Option<&Bound<'_, PyScheme>>,
        component: Option<&str>,
    ) -> PyResult<Self> {
        let scheme =
            scheme.map_or_else(release_core::version::Scheme::semver, |s| s.get().0.clone());
        let mut tags = TagScheme::new(template, scheme).py_err()?;
        if let Some(component) = component {
            tags = tags.for_component(component).py_err()?;
        }
        Ok(PyTagScheme(tags))
    }

    /// The template text.
    #[getter]
    fn template(&self) -> &str {
        self.0.template().as_str()
    }

    /// The scheme of the versions inside the tags.
    #[getter]
    fn scheme(&self) -> PyScheme {
        PyScheme(self.0.scheme().clone())
    }

    /// The component, if one was given.
    #[getter]
    fn component(&self) -> Option<&str> {
        self.0.component()
    }

    /// The names of the template's free placeholders, in order.
    #[getter]
    fn fields(&self) -> Vec<&str> {
        self.0.template().fields().collect()
    }

    fn __str__(&self) -> String {
        self.0.describe()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let scheme = self.scheme().__repr__(py);
        let component = self
            .0
            .component()
            .map_or_else(|| "None".to_owned(), |c| convert::repr_str(py, c));
        format!(
            "TagScheme({}, scheme={scheme}, component={component})",
            convert::repr_str(py, self.0.template().as_str())
        )
    }

    /// Reads a tag; `ParseError` names the tag, the scheme and the reason.
    /// A lenient read of its version (an uppercase pre-release label) is a
    /// `ReleaseWarning`.
    fn parse(&self, py: Python<'_>, tag: &str) -> PyResult<PyTag> {
        let tag = self.0.parse(tag).py_err()?;
        warn(py, &tag.version().warnings())?;
        Ok(PyTag(tag))
    }

    /// The version inside a tag, or None when the tag is not one of ours.
    fn version_of(&self, tag: &str) -> Option<PyVersion> {
        self.0.version_of(tag).map(PyVersion)
    }

    /// The tag for a version (a `Version` or a version text), with values
    /// for free placeholders as keyword arguments.
    #[pyo3(signature = (version, **fields))]
    fn tag(
        &self,
        version: &Bound<'_, PyAny>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<String> {
        let version = self.version_arg(version)?;
        let fields = self::fields(fields)?;
        self.0.tag_with(&version, &borrowed(&fields)).py_err()
    }

    /// The floating tags of a final, rendered through the template. `str`
    /// items of `existing` are tags read by this tag scheme; others' tags
    /// and junk are skipped.
    #[pyo3(signature = (version, existing = None, **fields))]
    fn floating_tags(
        &self,
        version: &Bound<'_, PyAny>,
        existing: Option<&Bound<'_, PyAny>>,
        fields: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Vec<String>> {
        let version = self.version_arg(version)?;
        let existing = existing
            .map(|e| convert::existing(e, "existing", |t| self.0.version_of(t)))
            .transpose()?;
        let fields = self::fields(fields)?;
        self.0
            .floating_tags(
                &version,
                existing.as_deref().unwrap_or_default(),
                &borrowed(&fields),
            )
            .py_err()
    }

    /// Reads every tag, keeping the valid ones and the reasons for the rest.
    fn parse_all(&self, tags: &Bound<'_, PyAny>) -> PyResult<PyTagList> {
        let items = convert::strings(tags, "tags")?;
        let texts = convert::texts(&items)?;
        Ok(PyTagList(self.0.parse_all(texts.iter().map(|t| &**t))))
    }

    /// Our tags sorted ascending by version (ties keep input order); the
    /// returned items are the caller's own `str` objects.
    fn sort<'py>(&self, tags: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyList>> {
        sort(&self.0, tags)
    }

    /// The latest of our tags, or None. Of equal versions the first wins.
    #[pyo3(signature = (tags, include_prereleases = true))]
    fn latest<'py>(
        &self,
        tags: &Bound<'py, PyAny>,
        include_prereleases: bool,
    ) -> PyResult<Option<Bound<'py, PyString>>> {
        latest(&self.0, tags, include_prereleases)
    }
}

/// A tag read by a `TagScheme`: its text, version and free fields.
#[pyclass(module = "release_core", name = "Tag", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyTag(pub(crate) Tag);

#[pymethods]
impl PyTag {
    /// The tag exactly as given.
    #[getter]
    fn text(&self) -> &str {
        self.0.as_str()
    }

    /// The version inside the tag.
    #[getter]
    fn version(&self) -> PyVersion {
        PyVersion(self.0.version().clone())
    }

    /// Free placeholders captured from the tag, by name.
    #[getter]
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for (k, v) in self.0.fields() {
            dict.set_item(k, v)?;
        }
        Ok(dict)
    }

    /// The value captured for a free placeholder.
    fn field(&self, name: &str) -> Option<&str> {
        self.0.field(name)
    }

    fn __str__(&self) -> &str {
        self.0.as_str()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("Tag({})", convert::repr_str(py, self.0.as_str()))
    }
}

/// The result of `TagScheme.parse_all`.
#[pyclass(module = "release_core", name = "TagList", frozen)]
pub struct PyTagList(pub(crate) TagList);

#[pymethods]
impl PyTagList {
    /// Accepted tags, in input order.
    #[getter]
    fn tags(&self) -> Vec<PyTag> {
        self.0.tags.iter().cloned().map(PyTag).collect()
    }

    /// Rejected tags with the error each raised, in input order.
    #[getter]
    fn rejected(&self, py: Python<'_>) -> Vec<(String, Py<PyAny>)> {
        self.0
            .rejected
            .iter()
            .map(|r| {
                let err = to_py(r.error.clone()).into_value(py).into_any();
                (r.tag.clone(), err)
            })
            .collect()
    }

    /// The accepted tags sorted by version (stable).
    fn sorted(&self) -> Vec<PyTag> {
        self.0.sorted().into_iter().cloned().map(PyTag).collect()
    }

    /// The versions of the accepted tags, in input order.
    fn versions(&self) -> Vec<PyVersion> {
        self.0.versions().into_iter().map(PyVersion).collect()
    }

    /// The latest accepted tag, optionally ignoring pre-releases.
    #[pyo3(signature = (include_prereleases = true))]
    fn latest(&self, include_prereleases: bool) -> Option<PyTag> {
        self.0.latest(include_prereleases).cloned().map(PyTag)
    }

    fn __repr__(&self) -> String {
        format!(
            "TagList(tags={}, rejected={})",
            self.0.tags.len(),
            self.0.rejected.len()
        )
    }
}

/// The valid tags of `tags` sorted ascending by version, as the caller's own
/// `str` objects; junk and other components' tags are left out, and one
/// `ReleaseWarning` says how many and names the first few with their
/// reasons. Lenient reads raise no `ReleaseWarning` here, for speed
/// (`Version.warnings` of a parsed tag has them).
#[pyfunction]
#[pyo3(signature = (tags, scheme = None))]
pub fn sort_tags<'py>(
    tags: &Bound<'py, PyAny>,
    scheme: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyList>> {
    sort(&convert::tag_scheme(scheme)?, tags)
}

/// The latest valid tag of `tags` (the caller's own `str` object), or None.
/// The tags left out get one `ReleaseWarning`, as in `sort_tags`; lenient
/// reads raise none here, for speed.
#[pyfunction]
#[pyo3(signature = (tags, scheme = None, include_prereleases = true))]
pub fn latest_tag<'py>(
    tags: &Bound<'py, PyAny>,
    scheme: Option<&Bound<'py, PyAny>>,
    include_prereleases: bool,
) -> PyResult<Option<Bound<'py, PyString>>> {
    latest(&convert::tag_scheme(scheme)?, tags, include_prereleases)
}

/// The version of each tag, aligned with the input: None where a tag is
/// not one of the scheme's. Silent for speed: lenient reads raise no
/// `ReleaseWarning` here; each `Version.warnings` has them.
#[pyfunction]
#[pyo3(signature = (tags, scheme = None))]
pub fn parse_tags(
    tags: &Bound<'_, PyAny>,
    scheme: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<Option<PyVersion>>> {
    let scheme = convert::tag_scheme(scheme)?;
    let items = convert::strings(tags, "tags")?;
    let texts = convert::texts(&items)?;
    Ok(texts
        .iter()
        .map(|t| scheme.version_of(t).map(PyVersion))
        .collect())
}

/// The floating tags a final should move (`3.6.7` -> `3.6`, `3`,
/// `latest`), given the other releases.
#[pyfunction]
#[pyo3(signature = (version, existing = None))]
pub fn floating_tags(
    version: &Bound<'_, PyAny>,
    existing: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<String>> {
    let version = convert::version_only(version, "version")?;
    let existing = match existing {
        Some(e) => {
            convert::not_a_str(e, "existing")?;
            e.try_iter()?
                .enumerate()
                .map(|(i, item)| convert::version_only(&item?, &format!("existing[{i}]")))
                .collect::<PyResult<Vec<_>>>()?
        }
        None => Vec::new(),
    };
    Ok(core_floating(&version, &existing))
}
